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
    replaceRows(tracker ? tracker->events() : QList<EventInfo>());
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
    replaceRows(events);
}

void EventModel::replaceRows(QList<EventInfo> events)
{
    std::sort(events.begin(), events.end(), &EventModel::newerFirst);
    beginResetModel();
    m_rows.clear();
    m_lastSeen.clear();
    m_rows.reserve(std::size_t(events.size()));
    for (EventInfo &e : events) {
        const QString key = e.key();
        if (m_lastSeen.contains(key))
            continue; // the same Event twice: the newer one is already in
        m_lastSeen.insert(key, e.lastSeen());
        m_rows.push_back(std::make_unique<EventInfo>(std::move(e)));
    }
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
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), event,
                                     [](const std::unique_ptr<EventInfo> &row, const EventInfo &e) {
                                         return newerFirst(*row, e);
                                     });
    return int(it - m_rows.cbegin());
}

int EventModel::rowOf(const QString &key) const
{
    const auto seen = m_lastSeen.constFind(key);
    if (seen == m_lastSeen.cend())
        return -1;
    // The first row not before (lastSeen, key) in the model's order is the one.
    const QDateTime &time = seen.value();
    const auto it =
        std::lower_bound(m_rows.cbegin(), m_rows.cend(), key,
                         [&time](const std::unique_ptr<EventInfo> &row, const QString &k) {
                             const QDateTime rowTime = row->lastSeen();
                             if (rowTime != time)
                                 return rowTime > time;
                             return row->key() < k;
                         });
    if (it == m_rows.cend() || (*it)->key() != key)
        return -1;
    return int(it - m_rows.cbegin());
}

void EventModel::onAdded(const EventInfo &event)
{
    if (const int existing = rowOf(event.key()); existing >= 0) {
        onUpdated(*m_rows[std::size_t(existing)], event);
        return;
    }
    const int row = positionFor(event);
    beginInsertRows({}, row, row);
    m_rows.insert(m_rows.begin() + row, std::make_unique<EventInfo>(event));
    m_lastSeen.insert(event.key(), event.lastSeen());
    endInsertRows();
}

void EventModel::onUpdated(const EventInfo &, const EventInfo &after)
{
    const QString key = after.key();
    const int row = rowOf(key);
    if (row < 0) {
        onAdded(after);
        return;
    }
    // Where it goes among the others: rows before `row` that sort before `after` count, the row
    // itself does not.
    const int position = positionFor(after);
    const int to = position > row ? position - 1 : position;
    if (to != row) {
        // beginMoveRows counts the destination before the move.
        beginMoveRows({}, row, row, {}, to > row ? to + 1 : to);
        std::unique_ptr<EventInfo> taken = std::move(m_rows[std::size_t(row)]);
        m_rows.erase(m_rows.begin() + row);
        m_rows.insert(m_rows.begin() + to, std::move(taken));
        endMoveRows();
    }
    *m_rows[std::size_t(to)] = after;
    m_lastSeen.insert(key, after.lastSeen());
    emit dataChanged(index(to, 0), index(to, ColumnCount - 1));
}

void EventModel::onRemoved(const EventInfo &event)
{
    const QString key = event.key();
    const int row = rowOf(key);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    m_lastSeen.remove(key);
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
    const EventInfo &e = *m_rows[std::size_t(index.row())];
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
