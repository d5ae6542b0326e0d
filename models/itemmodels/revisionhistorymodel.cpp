// SPDX-License-Identifier: MIT
#include "revisionhistorymodel.h"

#include "rollout/rollouttracker.h"

namespace rollscope {

using kube::ReplicaSetInfo;
using kube::RevisionInfo;

void RevisionHistoryModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    m_tracker = tracker;
    const auto deployment = tracker ? tracker->deployment() : std::nullopt;
    resetRows(tracker ? tracker->history() : QList<RevisionInfo>(), [this, &deployment] {
        m_current = deployment ? deployment->revision : 0;
        m_lastGood = 0;
    });
    if (!tracker)
        return;
    followTracker();
    using T = rollout::RolloutTracker;
    follow(tracker, &T::replicaSetAdded, [this](const ReplicaSetInfo &rs) {
        onReplicaSetAdded(rs);
        followTracker();
    });
    follow(tracker, &T::replicaSetUpdated,
           [this](const ReplicaSetInfo &before, const ReplicaSetInfo &after) {
               onReplicaSetUpdated(before, after);
               followTracker();
           });
    follow(tracker, &T::replicaSetRemoved, [this](const ReplicaSetInfo &rs) {
        onReplicaSetRemoved(rs);
        followTracker();
    });
    follow(tracker, &T::deploymentChanged, [this](const kube::DeploymentInfo &d) {
        setCurrentRevision(d.revision);
        followTracker();
    });
}

void RevisionHistoryModel::followTracker()
{
    if (m_tracker)
        setLastGoodRevision(m_tracker->lastGoodRevision());
}

void RevisionHistoryModel::setLastGoodRevision(qint64 revision)
{
    refreshRows([this](const RevisionInfo &r) { return r.revision == m_lastGood; },
                [&] { m_lastGood = revision; }, {});
}

void RevisionHistoryModel::setRevisions(const QList<RevisionInfo> &revisions)
{
    unbind();
    m_tracker = nullptr;
    resetRows(revisions, [this, &revisions] {
        m_current = 0;
        for (const RevisionInfo &r : revisions) {
            if (r.current)
                m_current = r.revision;
        }
    });
}

void RevisionHistoryModel::setCurrentRevision(qint64 revision)
{
    if (revision == m_current)
        return;
    m_current = revision;
    editRows(
        [revision](RevisionInfo &r) {
            const bool current = r.revision > 0 && r.revision == revision;
            if (r.current == current)
                return false;
            r.current = current;
            return true;
        },
        {CurrentRole, Qt::ToolTipRole, RevisionInfoRole});
}

void RevisionHistoryModel::onReplicaSetAdded(const ReplicaSetInfo &replicaSet)
{
    if (replicaSet.revision <= 0) {
        removeKey(replicaSet.name); // kubectl skips ReplicaSets without a revision
        return;
    }
    upsert(rollout::revisionInfo(replicaSet, m_current));
}

void RevisionHistoryModel::onReplicaSetUpdated(const ReplicaSetInfo &, const ReplicaSetInfo &after)
{
    onReplicaSetAdded(after);
}

void RevisionHistoryModel::onReplicaSetRemoved(const ReplicaSetInfo &replicaSet)
{
    removeKey(replicaSet.name);
}

QVariant RevisionHistoryModel::rowData(const RevisionInfo &r, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
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
        if (column == Age)
            return -r.created.toMSecsSinceEpoch();
        return {}; // the others sort by what they show
    case Qt::ToolTipRole:
        if (r.current)
            return tr("Revision %1 is the current one").arg(r.revision);
        if (r.revision == m_lastGood)
            return tr("Revision %1 is the last good one: the newest earlier revision whose pods "
                      "still serve (or served last)")
                .arg(r.revision);
        return tr("Replica set %1").arg(r.replicaSetName);
    case Qt::TextAlignmentRole:
        if (column == Revision)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case CurrentRole:
        return r.current;
    case LastGoodRole:
        return !r.current && r.revision == m_lastGood;
    case RevisionRole:
        return r.revision;
    }
    return {};
}

} // namespace rollscope
