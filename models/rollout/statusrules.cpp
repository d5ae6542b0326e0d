// SPDX-License-Identifier: MIT
#include "statusrules.h"

#include <algorithm>
#include <limits>

namespace rollscope::rollout {

using kube::Condition;
using kube::DeploymentInfo;
using kube::PodInfo;

namespace {

// Waiting reasons that mean the pod will not run without a change, most specific first.
const QLatin1StringView kStatusFailureReasons[] = {
    QLatin1StringView("InvalidImageName"),           QLatin1StringView("ErrImageNeverPull"),
    QLatin1StringView("CreateContainerConfigError"), QLatin1StringView("CreateContainerError"),
    QLatin1StringView("RunContainerError"),          QLatin1StringView("ErrImagePull"),
    QLatin1StringView("ImagePullBackOff"),           QLatin1StringView("CrashLoopBackOff"),
};

} // namespace

int failureRank(const QString &reason)
{
    for (int i = 0; i < int(std::size(kStatusFailureReasons)); ++i) {
        if (reason == kStatusFailureReasons[i])
            return i;
    }
    return -1;
}

bool isTerminalPod(const PodInfo &pod)
{
    return pod.phase == u"Succeeded" || pod.phase == u"Failed";
}

std::optional<PodFailure> podFailure(const PodInfo &pod)
{
    std::optional<PodFailure> best;
    int bestRank = std::numeric_limits<int>::max();
    auto consider = [&](const QList<kube::ContainerStatusInfo> &containers) {
        for (const kube::ContainerStatusInfo &c : containers) {
            if (c.state != kube::ContainerStatusInfo::State::Waiting)
                continue;
            const int rank = failureRank(c.reason);
            if (rank >= 0 && rank < bestRank) {
                bestRank = rank;
                best = PodFailure{c.reason, c.message, c.name};
            }
        }
    };
    consider(pod.initContainers);
    consider(pod.containers);
    return best;
}

RolloutEvent::Severity conditionSeverity(const Condition &condition)
{
    if (condition.type == u"ReplicaFailure")
        return condition.status == u"True" ? RolloutEvent::Severity::Error
                                           : RolloutEvent::Severity::Info;
    if (condition.status == u"False")
        return condition.type == u"Progressing" ? RolloutEvent::Severity::Error
                                                : RolloutEvent::Severity::Warning;
    return RolloutEvent::Severity::Info;
}

RolloutStatus evaluateStatus(const DeploymentInfo &d, const QList<PodInfo> &newPods,
                             int newAvailable)
{
    const QString deadlineExceeded = QStringLiteral("ProgressDeadlineExceeded");
    RolloutStatus s;
    s.desired = d.replicas;
    s.updated = d.status.updatedReplicas;
    s.ready = d.status.readyReplicas;
    s.available = d.status.availableReplicas;
    s.progress = d.replicas > 0 ? std::clamp(double(newAvailable) / d.replicas, 0.0, 1.0) : 1.0;
    const std::optional<Condition> progressing = d.condition(QStringLiteral("Progressing"));
    const QString progressingReason = progressing ? progressing->reason : QString();

    auto set = [&](RolloutState state, const QString &reason, const QString &message) {
        s.state = state;
        s.reason = reason;
        s.message = message;
        return s;
    };

    if (d.paused)
        return set(RolloutState::Paused, QStringLiteral("DeploymentPaused"),
                   RolloutTrackerText::tr("Deployment \"%1\" is paused").arg(d.name));
    if (d.generation > d.observedGeneration)
        return set(RolloutState::Progressing, progressingReason,
                   RolloutTrackerText::tr("Waiting for deployment spec update to be observed..."));
    if (progressingReason == deadlineExceeded) {
        QString message =
            RolloutTrackerText::tr("Deployment \"%1\" exceeded its progress deadline").arg(d.name);
        if (!progressing->message.isEmpty())
            message = RolloutTrackerText::tr("%1: %2").arg(message, progressing->message);
        return set(RolloutState::Failed, deadlineExceeded, message);
    }
    std::optional<PodFailure> failure;
    QString failingPod;
    for (const PodInfo &pod : newPods) {
        const std::optional<PodFailure> f = podFailure(pod);
        if (f && (!failure || failureRank(f->reason) < failureRank(failure->reason))) {
            failure = f;
            failingPod = pod.name;
        }
    }
    if (failure) {
        QString message = RolloutTrackerText::tr("Pod %1 of the new version cannot run: %2")
                              .arg(failingPod, failure->reason);
        if (!failure->message.isEmpty())
            message = RolloutTrackerText::tr("%1 (%2)").arg(message, failure->message);
        return set(RolloutState::Failed, failure->reason, message);
    }
    if (const std::optional<Condition> replicaFailure =
            d.condition(QStringLiteral("ReplicaFailure"));
        replicaFailure && replicaFailure->status == u"True")
        return set(RolloutState::Failed, replicaFailure->reason, replicaFailure->message);
    if (d.status.updatedReplicas < d.replicas)
        return set(RolloutState::Progressing, progressingReason,
                   RolloutTrackerText::tr(
                       "Waiting for rollout to finish: %1 out of %2 new replicas have been "
                       "updated...")
                       .arg(d.status.updatedReplicas)
                       .arg(d.replicas));
    if (d.status.replicas > d.status.updatedReplicas)
        return set(
            RolloutState::Progressing, progressingReason,
            RolloutTrackerText::tr("Waiting for rollout to finish: %1 old replicas are pending "
                                   "termination...")
                .arg(d.status.replicas - d.status.updatedReplicas));
    if (d.status.availableReplicas < d.status.updatedReplicas)
        return set(
            RolloutState::Progressing, progressingReason,
            RolloutTrackerText::tr("Waiting for rollout to finish: %1 of %2 updated replicas are "
                                   "available...")
                .arg(d.status.availableReplicas)
                .arg(d.status.updatedReplicas));
    s.progress = 1.0;
    return set(RolloutState::Complete, QStringLiteral("NewReplicaSetAvailable"),
               RolloutTrackerText::tr("Deployment \"%1\" successfully rolled out").arg(d.name));
}

QString stateText(RolloutState state)
{
    switch (state) {
    case RolloutState::Unknown:
        return RolloutTrackerText::tr("Unknown");
    case RolloutState::Progressing:
        return RolloutTrackerText::tr("Progressing");
    case RolloutState::Paused:
        return RolloutTrackerText::tr("Paused");
    case RolloutState::Complete:
        return RolloutTrackerText::tr("Complete");
    case RolloutState::Failed:
        return RolloutTrackerText::tr("Failed");
    }
    return {};
}

} // namespace rollscope::rollout
