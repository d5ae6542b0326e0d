// SPDX-License-Identifier: MIT
#pragma once

// What the timeline records when an object of the Deployment changes, as pure functions of the
// object before and after: a Deployment paused, scaled or restarted, a ReplicaSet scaled or
// brought back by a rollback, a pod scheduled, ready, terminating or failing, a Kubernetes Event.
// The caller gives the time and which version an object belongs to; nothing here keeps state,
// owns a timer or decides whether a change is worth recording at all (the tracker records only
// while live).

#include "kube/resources.h"
#include "rollout/rollouttypes.h"

#include <QList>
#include <QString>

#include <functional>

namespace rollscope::rollout {

// "deployment/demo-dp", "pod/demo-dp-6b5b87b666-f4rck": how events name their object.
QString objectRef(const QString &kind, const QString &name);

// Which version an object of the Deployment belongs to, by kind ("ReplicaSet", "Pod") and name;
// empty when none is known.
using VersionIdResolver = std::function<QString(const QString &kind, const QString &name)>;

// Paused, Resumed, Restarted (a new kubectl.kubernetes.io/restartedAt), Scaled and one
// ConditionChanged per condition whose status or reason moved.
QList<RolloutEvent> deploymentChanges(const kube::DeploymentInfo &before,
                                      const kube::DeploymentInfo &after, qint64 timeMs);
// RolledBack (an existing ReplicaSet's revision raised) and ReplicaSetScaled.
QList<RolloutEvent> replicaSetChanges(const kube::ReplicaSetInfo &before,
                                      const kube::ReplicaSetInfo &after, qint64 timeMs);
// PodScheduled, PodStarted, PodReady, PodNotReady, PodTerminating, PodRestarted, PodFailing.
// `versionId`: the pod's version.
QList<RolloutEvent> podChanges(const kube::PodInfo &before, const kube::PodInfo &after,
                               const QString &versionId, qint64 timeMs);

RolloutEvent replicaSetCreated(const kube::ReplicaSetInfo &replicaSet, qint64 timeMs);
RolloutEvent podCreated(const kube::PodInfo &pod, const QString &versionId, qint64 timeMs);
RolloutEvent podGone(const kube::PodInfo &pod, const QString &versionId, qint64 timeMs);
// A Kubernetes Event about the Deployment or one of its objects (Warning stays a warning).
RolloutEvent kubernetesEvent(const kube::EventInfo &event, const VersionIdResolver &versionOf,
                             qint64 timeMs);
// The verdict of a rollout of `deploymentName` (Complete or Failed) about version `versionId`.
RolloutEvent outcomeEvent(const QString &deploymentName, const RolloutStatus &status,
                          const QString &versionId, qint64 timeMs);

} // namespace rollscope::rollout
