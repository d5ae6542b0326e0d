// SPDX-License-Identifier: MIT
#include "eventmodel.h"

#include "rollout/rollouttracker.h"

#include <algorithm>

namespace rollscope {

using kube::EventInfo;

EventModel::EventModel(QObject *parent)
    : RolloutTableModel({LastSeen}, parent)
{}

void EventModel::unbind()
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = nullptr;
}

void EventModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    m_tracker = tracker;
    QList<EventInfo> events = tracker ? tracker->events() : QList<EventInfo>();
    std::sort(events.begin(), events.end(), &EventModel::newerFirst);
    beginResetModel();
    m_rows = events;
    endResetModel();
    if (!tracker)
        return;
    using T = rollout::RolloutTracker;
    m_connections << connect(tracker, &T::eventAdded, this, &EventModel::onAdded);
    m_connections << connect(tracker, &T::eventUpdated, this, &EventModel::onUpdated);
    m_connections << connect(tracker, &T::eventRemoved, this, &EventModel::onRemoved);
}

void EventModel::setEvents(const QList<EventInfo> &events)
{
    unbind();
    QList<EventInfo> sorted = events;
    std::sort(sorted.begin(), sorted.end(), &EventModel::newerFirst);
    beginResetModel();
    m_rows = sorted;
    endResetModel();
}

bool EventModel::newerFirst(const EventInfo &a, const EventInfo &b)
{
    const QDateTime x = a.lastSeen();
    const QDateTime y = b.lastSeen();
    if (x != y)
        return x > y;
    return a.key() < b.key();
}

int EventModel::positionFor(const EventInfo &event) const
{
    const auto it =
        std::lower_bound(m_rows.cbegin(), m_rows.cend(), event, &EventModel::newerFirst);
    return int(it - m_rows.cbegin());
}

int EventModel::rowOf(const QString &key) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key() == key)
            return int(i);
    }
    return -1;
}

void EventModel::onAdded(const EventInfo &event)
{
    if (const int existing = rowOf(event.key()); existing >= 0) {
        onUpdated(m_rows.at(existing), event);
        return;
    }
    const int row = positionFor(event);
    beginInsertRows({}, row, row);
    m_rows.insert(row, event);
    endInsertRows();
}

void EventModel::onUpdated(const EventInfo &, const EventInfo &after)
{
    const int row = rowOf(after.key());
    if (row < 0) {
        onAdded(after);
        return;
    }
    // Where it goes among the others.
    const EventInfo old = m_rows.takeAt(row);
    const int to = positionFor(after);
    m_rows.insert(row, old);
    if (to != row) {
        // beginMoveRows counts the destination before the move.
        beginMoveRows({}, row, row, {}, to > row ? to + 1 : to);
        m_rows.move(row, to);
        endMoveRows();
    }
    m_rows[to] = after;
    emit dataChanged(index(to, 0), index(to, ColumnCount - 1));
}

void EventModel::onRemoved(const EventInfo &event)
{
    const int row = rowOf(event.key());
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const EventInfo &e = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LastSeen:
            return age(e.lastSeen());
        case Type:
            return e.type;
        case Reason:
            return e.reason;
        case Object:
            return QString(e.involvedKind.toLower() + u'/' + e.involvedName);
        case Message:
            return e.message;
        case Count:
            return e.count;
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case LastSeen:
            return -e.lastSeen().toMSecsSinceEpoch(); // newest first when ascending
        case Count:
            return e.count;
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (index.column() == LastSeen)
            return e.lastSeen().toString(Qt::ISODate);
        if (index.column() == Message)
            return e.message;
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Count)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return e.key();
    case WarningRole:
        return e.type == u"Warning";
    case InvolvedKindRole:
        return e.involvedKind;
    case InvolvedNameRole:
        return e.involvedName;
    case EventRole:
        return QVariant::fromValue(e);
    }
    return {};
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LastSeen:
        return tr("LAST SEEN");
    case Type:
        return tr("TYPE");
    case Reason:
        return tr("REASON");
    case Object:
        return tr("OBJECT");
    case Message:
        return tr("MESSAGE");
    case Count:
        return tr("COUNT");
    }
    return {};
}

} // namespace rollscope
