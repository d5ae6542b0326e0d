// SPDX-License-Identifier: MIT
#include "revisionhistorymodel.h"

#include "rollout/rollouttracker.h"

#include <algorithm>

namespace rollscope {

using kube::ReplicaSetInfo;
using kube::RevisionInfo;

namespace {

bool newerFirst(const RevisionInfo &a, const RevisionInfo &b)
{
    if (a.revision != b.revision)
        return a.revision > b.revision;
    return a.replicaSetName < b.replicaSetName;
}

} // namespace

RevisionHistoryModel::RevisionHistoryModel(QObject *parent)
    : RolloutTableModel({Age}, parent)
{}

void RevisionHistoryModel::unbind()
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = nullptr;
}

void RevisionHistoryModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    QList<RevisionInfo> revisions = tracker ? tracker->history() : QList<RevisionInfo>();
    std::sort(revisions.begin(), revisions.end(), newerFirst);
    beginResetModel();
    m_rows = revisions;
    m_current = 0;
    if (tracker) {
        if (const auto deployment = tracker->deployment())
            m_current = deployment->revision;
    }
    endResetModel();
    m_tracker = tracker;
    m_lastGood = 0;
    if (!tracker)
        return;
    followTracker();
    using T = rollout::RolloutTracker;
    m_connections << connect(tracker, &T::replicaSetAdded, this, [this](const ReplicaSetInfo &rs) {
        onReplicaSetAdded(rs);
        followTracker();
    });
    m_connections << connect(tracker, &T::replicaSetUpdated, this,
                             [this](const ReplicaSetInfo &before, const ReplicaSetInfo &after) {
                                 onReplicaSetUpdated(before, after);
                                 followTracker();
                             });
    m_connections << connect(tracker, &T::replicaSetRemoved, this,
                             [this](const ReplicaSetInfo &rs) {
                                 onReplicaSetRemoved(rs);
                                 followTracker();
                             });
    m_connections << connect(tracker, &T::deploymentChanged, this,
                             [this](const kube::DeploymentInfo &d) {
                                 setCurrentRevision(d.revision);
                                 followTracker();
                             });
}

void RevisionHistoryModel::followTracker()
{
    if (m_tracker)
        setLastGoodRevision(m_tracker->lastGoodRevision());
}

void RevisionHistoryModel::emitRowChanged(qint64 revision)
{
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).revision == revision)
            emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
}

void RevisionHistoryModel::setLastGoodRevision(qint64 revision)
{
    if (revision == m_lastGood)
        return;
    const qint64 before = m_lastGood;
    m_lastGood = revision;
    emitRowChanged(before);
    emitRowChanged(revision);
}

void RevisionHistoryModel::setRevisions(const QList<RevisionInfo> &revisions)
{
    unbind();
    QList<RevisionInfo> sorted = revisions;
    std::sort(sorted.begin(), sorted.end(), newerFirst);
    beginResetModel();
    m_rows = sorted;
    m_current = 0;
    for (const RevisionInfo &r : std::as_const(m_rows)) {
        if (r.current)
            m_current = r.revision;
    }
    endResetModel();
}

void RevisionHistoryModel::setCurrentRevision(qint64 revision)
{
    if (revision == m_current)
        return;
    m_current = revision;
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        RevisionInfo &r = m_rows[row];
        const bool current = r.revision > 0 && r.revision == revision;
        if (r.current != current) {
            r.current = current;
            emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1),
                             {CurrentRole, Qt::ToolTipRole, RevisionInfoRole});
        }
    }
}

int RevisionHistoryModel::rowOf(const QString &replicaSetName) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).replicaSetName == replicaSetName)
            return int(i);
    }
    return -1;
}

int RevisionHistoryModel::positionFor(const RevisionInfo &revision) const
{
    const auto it = std::lower_bound(m_rows.cbegin(), m_rows.cend(), revision, newerFirst);
    return int(it - m_rows.cbegin());
}

void RevisionHistoryModel::place(const RevisionInfo &revision)
{
    const int row = rowOf(revision.replicaSetName);
    if (row < 0) {
        const int at = positionFor(revision);
        beginInsertRows({}, at, at);
        m_rows.insert(at, revision);
        endInsertRows();
        return;
    }
    if (m_rows.at(row) == revision)
        return;
    const RevisionInfo old = m_rows.takeAt(row);
    const int to = positionFor(revision);
    m_rows.insert(row, old);
    if (to != row) {
        // A rollback renumbered it: move the row (the destination counts before the move).
        beginMoveRows({}, row, row, {}, to > row ? to + 1 : to);
        m_rows.move(row, to);
        endMoveRows();
    }
    m_rows[to] = revision;
    emit dataChanged(index(to, 0), index(to, ColumnCount - 1));
}

void RevisionHistoryModel::remove(const QString &replicaSetName)
{
    const int row = rowOf(replicaSetName);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

void RevisionHistoryModel::onReplicaSetAdded(const ReplicaSetInfo &replicaSet)
{
    if (replicaSet.revision <= 0) {
        remove(replicaSet.name); // kubectl skips ReplicaSets without a revision
        return;
    }
    place(rollout::revisionInfo(replicaSet, m_current));
}

void RevisionHistoryModel::onReplicaSetUpdated(const ReplicaSetInfo &, const ReplicaSetInfo &after)
{
    onReplicaSetAdded(after);
}

void RevisionHistoryModel::onReplicaSetRemoved(const ReplicaSetInfo &replicaSet)
{
    remove(replicaSet.name);
}

int RevisionHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RevisionHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RevisionHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RevisionInfo &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Revision:
            return r.revision;
        case State:
            if (r.current)
                return tr("current");
            if (r.revision == m_lastGood)
                return tr("last good");
            return {};
        case Images:
            return r.images().join(QStringLiteral(", "));
        case ChangeCause:
            return r.changeCause.isEmpty() ? tr("<none>") : r.changeCause;
        case Age:
            return age(r.created);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Age:
            return -r.created.toMSecsSinceEpoch();
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (r.current)
            return tr("Revision %1 is the current one").arg(r.revision);
        if (r.revision == m_lastGood)
            return tr("Revision %1 is the last good one: the newest earlier revision whose pods "
                      "still serve (or served last)")
                .arg(r.revision);
        return tr("Replica set %1").arg(r.replicaSetName);
    case Qt::TextAlignmentRole:
        if (index.column() == Revision)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return r.replicaSetName;
    case CurrentRole:
        return r.current;
    case LastGoodRole:
        return !r.current && r.revision == m_lastGood;
    case RevisionRole:
        return r.revision;
    case RevisionInfoRole:
        return QVariant::fromValue(r);
    }
    return {};
}

QVariant RevisionHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Revision:
        return tr("REVISION");
    case State:
        return tr("STATE");
    case Images:
        return tr("IMAGES");
    case ChangeCause:
        return tr("CHANGE-CAUSE");
    case Age:
        return tr("AGE");
    }
    return {};
}

} // namespace rollscope
