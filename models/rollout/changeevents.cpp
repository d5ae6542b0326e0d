// SPDX-License-Identifier: MIT
#include "changeevents.h"

#include "rollout/statusrules.h"
#include "rollout/versions.h"

#include <optional>

namespace rollscope::rollout {

using kube::Condition;
using kube::DeploymentInfo;
using kube::EventInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

namespace {

RolloutEvent changeEvent(qint64 timeMs, const QString &type, const QString &message,
                         const QString &object, const QString &versionId = {},
                         RolloutEvent::Severity severity = RolloutEvent::Severity::Info)
{
    RolloutEvent event;
    event.timeMs = timeMs;
    event.type = type;
    event.message = message;
    event.object = object;
    event.versionId = versionId;
    event.severity = severity;
    return event;
}

} // namespace

QString objectRef(const QString &kind, const QString &name)
{
    return kind.toLower() + u'/' + name;
}

QList<RolloutEvent> deploymentChanges(const DeploymentInfo &before, const DeploymentInfo &after,
                                      qint64 timeMs)
{
    QList<RolloutEvent> events;
    const QString object = objectRef(QStringLiteral("Deployment"), after.name);
    if (!before.paused && after.paused)
        events.append(changeEvent(timeMs, QStringLiteral("Paused"),
                                  RolloutTrackerText::tr("Rollout paused"), object));
    if (before.paused && !after.paused)
        events.append(changeEvent(timeMs, QStringLiteral("Resumed"),
                                  RolloutTrackerText::tr("Rollout resumed"), object));
    if (after.templateRestartedAt != before.templateRestartedAt &&
        !after.templateRestartedAt.isEmpty()) {
        events.append(changeEvent(timeMs, QStringLiteral("Restarted"),
                                  RolloutTrackerText::tr("Rollout restart requested at %1")
                                      .arg(after.templateRestartedAt),
                                  object));
    }
    if (after.replicas != before.replicas) {
        events.append(changeEvent(timeMs, QStringLiteral("Scaled"),
                                  RolloutTrackerText::tr("Scaled from %1 to %2 replicas")
                                      .arg(before.replicas)
                                      .arg(after.replicas),
                                  object));
    }
    for (const Condition &condition : after.conditions) {
        const std::optional<Condition> was = before.condition(condition.type);
        if (was && was->status == condition.status && was->reason == condition.reason)
            continue;
        QString text = RolloutTrackerText::tr("%1 is %2").arg(condition.type, condition.status);
        if (!condition.reason.isEmpty())
            text = RolloutTrackerText::tr("%1 (%2)").arg(text, condition.reason);
        if (!condition.message.isEmpty())
            text = RolloutTrackerText::tr("%1: %2").arg(text, condition.message);
        events.append(changeEvent(timeMs, QStringLiteral("ConditionChanged"), text, object, {},
                                  conditionSeverity(condition)));
    }
    return events;
}

QList<RolloutEvent> replicaSetChanges(const ReplicaSetInfo &before, const ReplicaSetInfo &after,
                                      qint64 timeMs)
{
    QList<RolloutEvent> events;
    const QString object = objectRef(QStringLiteral("ReplicaSet"), after.name);
    const QString versionId = versionIdOf(after);
    // The controller raises an existing ReplicaSet's revision only when its template becomes
    // the Deployment's again: a rollback (or an update back to an earlier template).
    if (before.revision > 0 && after.revision > before.revision) {
        events.append(changeEvent(
            timeMs, QStringLiteral("RolledBack"),
            RolloutTrackerText::tr("Rolled back to %1: replica set %2, revision %3 is now "
                                   "revision %4")
                .arg(after.imagesText(), after.name)
                .arg(before.revision)
                .arg(after.revision),
            object, versionId));
    }
    if (after.desired != before.desired) {
        const QString text =
            after.desired > before.desired
                ? RolloutTrackerText::tr("Scaled up replica set %1 from %2 to %3")
                : RolloutTrackerText::tr("Scaled down replica set %1 from %2 to %3");
        events.append(changeEvent(timeMs, QStringLiteral("ReplicaSetScaled"),
                                  text.arg(after.name).arg(before.desired).arg(after.desired),
                                  object, versionId));
    }
    return events;
}

QList<RolloutEvent> podChanges(const PodInfo &before, const PodInfo &after,
                               const QString &versionId, qint64 timeMs)
{
    QList<RolloutEvent> events;
    const QString object = objectRef(QStringLiteral("Pod"), after.name);
    auto add = [&](const QString &type, const QString &message,
                   RolloutEvent::Severity severity = RolloutEvent::Severity::Info) {
        events.append(changeEvent(timeMs, type, message, object, versionId, severity));
    };
    if (before.node.isEmpty() && !after.node.isEmpty()) {
        add(QStringLiteral("PodScheduled"),
            RolloutTrackerText::tr("Pod %1 scheduled to %2").arg(after.name, after.node));
    }
    if (before.phase != u"Running" && after.phase == u"Running")
        add(QStringLiteral("PodStarted"), RolloutTrackerText::tr("Pod %1 started").arg(after.name));
    if (!before.ready && after.ready)
        add(QStringLiteral("PodReady"), RolloutTrackerText::tr("Pod %1 is ready").arg(after.name));
    // A terminating pod stops being ready as a matter of course: PodTerminating says it.
    if (before.ready && !after.ready && !after.isTerminating())
        add(QStringLiteral("PodNotReady"),
            RolloutTrackerText::tr("Pod %1 is no longer ready").arg(after.name),
            RolloutEvent::Severity::Warning);
    if (!before.isTerminating() && after.isTerminating())
        add(QStringLiteral("PodTerminating"),
            RolloutTrackerText::tr("Pod %1 is terminating").arg(after.name));
    if (after.restarts > before.restarts) {
        QString text = RolloutTrackerText::tr("Pod %1 restarted (%2 restarts)")
                           .arg(after.name)
                           .arg(after.restarts);
        for (const kube::ContainerStatusInfo &c : after.containers) {
            if (!c.lastTerminatedReason.isEmpty()) {
                text = RolloutTrackerText::tr("%1; container %2 exited: %3 (exit code %4)")
                           .arg(text, c.name, c.lastTerminatedReason)
                           .arg(c.lastTerminatedExitCode);
                break;
            }
        }
        add(QStringLiteral("PodRestarted"), text, RolloutEvent::Severity::Warning);
    }
    const std::optional<PodFailure> was = podFailure(before);
    const std::optional<PodFailure> is = podFailure(after);
    if (is && (!was || was->reason != is->reason)) {
        QString text = RolloutTrackerText::tr("Pod %1: %2").arg(after.name, is->reason);
        if (!is->message.isEmpty())
            text = RolloutTrackerText::tr("%1 (%2)").arg(text, is->message);
        add(QStringLiteral("PodFailing"), text, RolloutEvent::Severity::Error);
    }
    return events;
}

RolloutEvent replicaSetCreated(const ReplicaSetInfo &replicaSet, qint64 timeMs)
{
    return changeEvent(timeMs, QStringLiteral("ReplicaSetCreated"),
                       RolloutTrackerText::tr("Replica set %1 created for revision %2")
                           .arg(replicaSet.name)
                           .arg(replicaSet.revision),
                       objectRef(QStringLiteral("ReplicaSet"), replicaSet.name),
                       versionIdOf(replicaSet));
}

RolloutEvent podCreated(const PodInfo &pod, const QString &versionId, qint64 timeMs)
{
    return changeEvent(timeMs, QStringLiteral("PodCreated"),
                       RolloutTrackerText::tr("Pod %1 created").arg(pod.name),
                       objectRef(QStringLiteral("Pod"), pod.name), versionId);
}

RolloutEvent podGone(const PodInfo &pod, const QString &versionId, qint64 timeMs)
{
    return changeEvent(timeMs, QStringLiteral("PodGone"),
                       RolloutTrackerText::tr("Pod %1 is gone").arg(pod.name),
                       objectRef(QStringLiteral("Pod"), pod.name), versionId);
}

RolloutEvent kubernetesEvent(const EventInfo &event, const VersionIdResolver &versionOf,
                             qint64 timeMs)
{
    QString versionId;
    if (versionOf && (event.involvedKind == u"ReplicaSet" || event.involvedKind == u"Pod"))
        versionId = versionOf(event.involvedKind, event.involvedName);
    return changeEvent(timeMs, QStringLiteral("KubernetesEvent"),
                       RolloutTrackerText::tr("%1: %2").arg(event.reason, event.message),
                       objectRef(event.involvedKind, event.involvedName), versionId,
                       event.type == u"Warning" ? RolloutEvent::Severity::Warning
                                                : RolloutEvent::Severity::Info);
}

RolloutEvent outcomeEvent(const QString &deploymentName, const RolloutStatus &status,
                          const QString &versionId, qint64 timeMs)
{
    const bool complete = status.state == RolloutState::Complete;
    return changeEvent(
        timeMs, QStringLiteral("Outcome"),
        complete
            ? RolloutTrackerText::tr("Rollout complete: %1").arg(status.message)
            : RolloutTrackerText::tr("Rollout failed (%1): %2").arg(status.reason, status.message),
        objectRef(QStringLiteral("Deployment"), deploymentName), versionId,
        complete ? RolloutEvent::Severity::Info : RolloutEvent::Severity::Error);
}

} // namespace rollscope::rollout
