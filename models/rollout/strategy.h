// SPDX-License-Identifier: MIT
#pragma once

// The Deployment strategy in numbers, resolved exactly as the deployment controller resolves it
// (facts §5 "Fencepost resolution"), and the controller's RollingUpdate / Recreate arithmetic
// replayed step by step for the update dialog's preview (facts §7).

#include "kube/resources.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace rollscope::rollout {

struct StrategyNumbers
{
    QString type = QStringLiteral("RollingUpdate"); // RollingUpdate or Recreate
    int replicas = 0;                               // spec.replicas
    kube::IntOrString maxSurge;                     // as given in the spec (unset for Recreate)
    kube::IntOrString maxUnavailable;
    int surge = 0;        // resolved: percentages round up; 0 for Recreate
    int unavailable = 0;  // resolved: percentages round down, capped at replicas; 1 when both
                          // resolve to 0; 0 for Recreate and for 0 replicas
    int maxTotal = 0;     // replicas + surge: the most pods the controller allows at once
    int minAvailable = 0; // replicas - unavailable; 0 for Recreate (it stops every old pod first)

    bool isRecreate() const { return type == u"Recreate"; }
    bool operator==(const StrategyNumbers &) const = default;
};

StrategyNumbers resolveStrategy(const kube::DeploymentInfo &deployment);
StrategyNumbers resolveStrategy(int replicas, const kube::IntOrString &maxSurge,
                                const kube::IntOrString &maxUnavailable,
                                const QString &type = QStringLiteral("RollingUpdate"));

// "3 replicas · maxSurge 25% → 1 · maxUnavailable 25% → 0 · at most 4 pods · at least 3
// available" (translated). An integer that needs no resolving is shown once ("maxSurge 3").
QString describe(const StrategyNumbers &numbers);

// One row of the predicted rollout: the ReplicaSets' spec.replicas after a controller step, and
// what the Deployment status would then read.
struct PredictedStep
{
    int timeIndex = 0;   // k: the step happens at k·T, T = the time a new pod needs to be ready
    int oldReplicas = 0; // old ReplicaSet spec.replicas
    int newReplicas = 0; // new ReplicaSet spec.replicas
    int newReady = 0;    // new pods ready (= available, minReadySeconds 0)
    int totalPods = 0;   // old + new (deleted pods drop out at once)
    int available = 0;   // old (all ready) + new ready

    bool operator==(const PredictedStep &) const = default;
};

// Replays the controller for an update of a Deployment whose `replicas` pods all run the old
// template, under the assumptions of facts §7: every new pod is ready exactly T after it was
// created, controller passes and pod creation/deletion are instantaneous.
// At t = 0 every controller action that changes a number is a row (new ReplicaSet created,
// old scaled down, new scaled up); from T on, one row per k·T with the state once the pods created
// so far are ready and the controller has settled. Ends when the rollout is complete (or stops
// progressing).
QList<PredictedStep> predictSteps(int replicas, const kube::IntOrString &maxSurge,
                                  const kube::IntOrString &maxUnavailable,
                                  const QString &type = QStringLiteral("RollingUpdate"));

} // namespace rollscope::rollout

Q_DECLARE_METATYPE(rollscope::rollout::StrategyNumbers)
Q_DECLARE_METATYPE(rollscope::rollout::PredictedStep)
