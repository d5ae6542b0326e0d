// SPDX-License-Identifier: MIT
#pragma once

// The status rules of a rollout, as pure functions of the values the informers deliver: what
// `kubectl rollout status` would say, which pod failures end a rollout at once, how a condition
// reads. No QObject, no timers: the tracker calls them on every flush, the views and the tests
// call them directly.

#include "kube/resources.h"
#include "rollout/rollouttypes.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace rollscope::rollout {

// The user-visible strings of the tracker's parts keep the translation context the tracker had
// before it was split (moc names a Q_OBJECT's context with its namespace), so translations that
// exist stay valid.
class RolloutTrackerText
{
    Q_DECLARE_TR_FUNCTIONS(rollscope::rollout::RolloutTracker)
};

// Why a pod cannot run, when a container (or init container) waits for one of the reasons the
// status counts as a failure; nullopt otherwise.
struct PodFailure
{
    QString reason;
    QString message;
    QString container;
};
std::optional<PodFailure> podFailure(const kube::PodInfo &pod);

// How specific a waiting reason is as a failure: 0 the most specific (InvalidImageName), higher
// ones less (CrashLoopBackOff last); -1 when the reason is not a failure at all.
int failureRank(const QString &reason);

// Succeeded or Failed: the pod will not run again and counts for nothing.
bool isTerminalPod(const kube::PodInfo &pod);

// How a Deployment condition reads: Progressing False and ReplicaFailure True are errors,
// Available False (and other False conditions) warnings, the rest information.
RolloutEvent::Severity conditionSeverity(const kube::Condition &condition);

// The status rules of RolloutTracker's header comment, in their order. `newPods`: the pods of the
// new version that are not terminating, sorted by name (only those podFailure() finds something
// wrong with matter, so passing just those is the same); `newAvailable`: how many are available.
RolloutStatus evaluateStatus(const kube::DeploymentInfo &deployment,
                             const QList<kube::PodInfo> &newPods, int newAvailable);

// The status badge's word for a state.
QString stateText(RolloutState state);

} // namespace rollscope::rollout
