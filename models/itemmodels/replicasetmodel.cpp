// SPDX-License-Identifier: MIT
#include "replicasetmodel.h"

#include "rollout/rollouttracker.h"

namespace rollscope {

using kube::ReplicaSetInfo;
using rollout::VersionInfo;

void ReplicaSetModel::setTracker(rollout::RolloutTracker *tracker)
{
    using T = rollout::RolloutTracker;
    bindTracker(tracker, &T::replicaSets, &T::replicaSetAdded, &T::replicaSetUpdated,
                &T::replicaSetRemoved);
}

QVariant ReplicaSetModel::rowData(const ReplicaSetInfo &rs, int column, int role) const
{
    const VersionInfo *version = versionOf(rs);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Revision:
            return rs.revision;
        case Image:
            return rs.imagesText();
        case Desired:
            return rs.desired;
        case Current:
            return rs.current;
        case Ready:
            return rs.ready;
        case Available:
            return rs.available;
        case Age:
            return age(rs.creationTimestamp);
        }
        return {};
    case SortRole:
        if (column == Age)
            return -rs.creationTimestamp.toMSecsSinceEpoch(); // youngest first when ascending
        return {};                                            // the others sort by what they show
    case Qt::ToolTipRole:
        if (column == Revision && !rs.revisionHistory.isEmpty())
            return tr("Also revision %1 before").arg(rs.revisionHistory);
        if (column == Image)
            return version ? version->label : rs.imagesText();
        return rs.name;
    case Qt::TextAlignmentRole:
        if (column != Image && column != Age)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case VersionRole:
        return version ? version->id
                       : (rs.podTemplateHash.isEmpty() ? rs.name : rs.podTemplateHash);
    case VersionLabelRole:
        return version ? version->label : QString();
    case ColorIndexRole:
        return version ? version->colorIndex : -1;
    case IsNewRole:
        return version ? version->isNew : false;
    }
    return {};
}

} // namespace rollscope
