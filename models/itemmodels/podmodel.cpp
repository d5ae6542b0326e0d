// SPDX-License-Identifier: MIT
#include "podmodel.h"

#include "rollout/rollouttracker.h"

#include <algorithm>

namespace rollscope {

using kube::PodInfo;
using rollout::VersionInfo;

namespace {

// VERSION's sort key: the version's rank (new 0, then older versions from the most recent, then
// none), then the youngest pod first.
qint64 podVersionSortKey(const VersionInfo *version, const PodInfo &pod)
{
    constexpr qint64 kTimeSpan = qint64(1) << 43; // ms: beyond the year 2200
    qint64 rank = 4095;
    if (version)
        rank = version->isNew ? 0 : 1 + std::clamp(4000 - version->colorIndex, 0, 4000);
    const qint64 created =
        pod.creationTimestamp.isValid()
            ? std::clamp<qint64>(pod.creationTimestamp.toMSecsSinceEpoch(), 0, kTimeSpan - 1)
            : 0;
    return rank * kTimeSpan + (kTimeSpan - 1 - created);
}

} // namespace

void PodModel::setTracker(rollout::RolloutTracker *tracker)
{
    using T = rollout::RolloutTracker;
    bindTracker(tracker, &T::sharedPods, &T::podAdded, &T::podUpdated, &T::podRemoved);
}

QVariant PodModel::rowData(const PodInfo &pod, int column, int role) const
{
    const VersionInfo *version = versionOf(pod);
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Name:
            return pod.name;
        case Version:
            return version ? version->label : pod.podTemplateHash;
        case ReplicaSet:
            return pod.ownerKind == u"ReplicaSet" ? pod.ownerName : QString();
        case Status:
            return pod.statusText;
        case Ready:
            return pod.readyText();
        case Restarts:
            // A restart a little ahead of this machine's clock reads "0s ago", not "<invalid>".
            return pod.restartsText(std::max(now(), pod.lastRestart));
        case Node:
            return pod.node.isEmpty() ? tr("<none>") : pod.node;
        case Age:
            return age(pod.creationTimestamp);
        }
        return {};
    case SortRole:
        switch (column) {
        case Version:
            return podVersionSortKey(version, pod);
        case Ready:
            return pod.totalContainers > 0 ? double(pod.readyContainers) / pod.totalContainers
                                           : 0.0;
        case Restarts:
            return pod.restarts;
        case Age:
            return -pod.creationTimestamp.toMSecsSinceEpoch();
        }
        return {}; // the other columns sort by what they show
    case Qt::ToolTipRole:
        if (column == Status) {
            if (const auto failure = rollout::podFailure(pod))
                return failure->message.isEmpty() ? failure->reason : failure->message;
            return pod.message;
        }
        if (column == Version && version)
            return version->replicaSet;
        return {};
    case VersionRole:
        return version ? version->id : pod.podTemplateHash;
    case ColorIndexRole:
        return version ? version->colorIndex : -1;
    case IsNewRole:
        return version ? version->isNew : false;
    case TerminatingRole:
        return pod.isTerminating();
    case FailingRole:
        return rollout::podFailure(pod).has_value();
    case FailureReasonRole: {
        const auto failure = rollout::podFailure(pod);
        return failure ? failure->reason : QString();
    }
    }
    return {};
}

} // namespace rollscope
