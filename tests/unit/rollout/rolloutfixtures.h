// SPDX-License-Identifier: MIT
#pragma once

// Hand-made Kubernetes values for the rollout tests: the demo Deployment (default/demo-dp, 3
// replicas, RollingUpdate 25%/25%, container demo), its ReplicaSets, pods and Events, shaped as
// the informers deliver them, so recorded sequences can be replayed without a cluster.

#include "kube/resources.h"

#include <QDateTime>

namespace rollscope::test {

inline const QString kNs = QStringLiteral("default");
inline const QString kDeployment = QStringLiteral("demo-dp");
inline const QString kDeploymentUid = QStringLiteral("uid-demo-dp");

inline QDateTime at(int seconds)
{
    return QDateTime(QDate(2026, 11, 26), QTime(20, 0), Qt::UTC).addSecs(seconds);
}

inline QString imageOf(const QString &tag)
{
    return QStringLiteral("bebullish/demo:") + tag;
}

// The Deployment, complete at revision `revision` with `image`.
inline kube::DeploymentInfo demoDeployment(const QString &image = imageOf(QStringLiteral("v1")),
                                           qint64 revision = 1, int replicas = 3)
{
    kube::DeploymentInfo d;
    d.ns = kNs;
    d.name = kDeployment;
    d.uid = kDeploymentUid;
    d.generation = revision;
    d.observedGeneration = revision;
    d.selector.present = true;
    d.selector.matchLabels.insert(QStringLiteral("app"), QStringLiteral("demo"));
    d.replicas = replicas;
    d.strategy.maxSurge = kube::IntOrString::fromString(QStringLiteral("25%"));
    d.strategy.maxUnavailable = kube::IntOrString::fromString(QStringLiteral("25%"));
    d.progressDeadlineSeconds = 600;
    d.containers = {{QStringLiteral("demo"), image}};
    d.templateLabels.insert(QStringLiteral("app"), QStringLiteral("demo"));
    d.revision = revision;
    d.status.replicas = replicas;
    d.status.updatedReplicas = replicas;
    d.status.readyReplicas = replicas;
    d.status.availableReplicas = replicas;
    kube::Condition available;
    available.type = QStringLiteral("Available");
    available.status = QStringLiteral("True");
    available.reason = QStringLiteral("MinimumReplicasAvailable");
    available.lastUpdateTime = available.lastTransitionTime = at(0);
    kube::Condition progressing;
    progressing.type = QStringLiteral("Progressing");
    progressing.status = QStringLiteral("True");
    progressing.reason = QStringLiteral("NewReplicaSetAvailable");
    progressing.lastUpdateTime = progressing.lastTransitionTime = at(0);
    d.conditions = {available, progressing};
    d.creationTimestamp = at(-3600);
    return d;
}

inline void setCondition(kube::DeploymentInfo &d, const QString &type, const QString &status,
                         const QString &reason, const QString &message = {}, int time = 0)
{
    for (kube::Condition &c : d.conditions) {
        if (c.type == type) {
            if (c.status != status)
                c.lastTransitionTime = at(time);
            c.status = status;
            c.reason = reason;
            c.message = message;
            c.lastUpdateTime = at(time);
            return;
        }
    }
    kube::Condition c;
    c.type = type;
    c.status = status;
    c.reason = reason;
    c.message = message;
    c.lastUpdateTime = c.lastTransitionTime = at(time);
    d.conditions.append(c);
}

// The status counters the controller would write.
inline void setStatus(kube::DeploymentInfo &d, int replicas, int updated, int ready, int available)
{
    d.status.replicas = replicas;
    d.status.updatedReplicas = updated;
    d.status.readyReplicas = ready;
    d.status.availableReplicas = available;
    d.status.unavailableReplicas = std::max(0, replicas - available);
}

inline QString replicaSetName(const QString &hash)
{
    return kDeployment + u'-' + hash;
}

inline kube::ReplicaSetInfo replicaSet(const QString &hash, const QString &image, qint64 revision,
                                       int desired, int ready = -1, int createdAt = -600)
{
    kube::ReplicaSetInfo rs;
    rs.ns = kNs;
    rs.name = replicaSetName(hash);
    rs.uid = QStringLiteral("uid-rs-") + hash;
    rs.ownerKind = QStringLiteral("Deployment");
    rs.ownerName = kDeployment;
    rs.ownerUid = kDeploymentUid;
    rs.revision = revision;
    rs.podTemplateHash = hash;
    rs.containers = {{QStringLiteral("demo"), image}};
    rs.labels.insert(QStringLiteral("app"), QStringLiteral("demo"));
    rs.labels.insert(QStringLiteral("pod-template-hash"), hash);
    rs.desired = desired;
    rs.current = desired;
    rs.ready = ready < 0 ? desired : ready;
    rs.available = rs.ready;
    rs.creationTimestamp = at(createdAt);
    return rs;
}

inline kube::PodInfo pod(const QString &hash, const QString &suffix, bool ready,
                         const QString &image = {}, int createdAt = -300)
{
    kube::PodInfo p;
    p.ns = kNs;
    p.name = replicaSetName(hash) + u'-' + suffix;
    p.uid = QStringLiteral("uid-pod-") + hash + u'-' + suffix;
    p.ownerKind = QStringLiteral("ReplicaSet");
    p.ownerName = replicaSetName(hash);
    p.ownerUid = QStringLiteral("uid-rs-") + hash;
    p.labels.insert(QStringLiteral("app"), QStringLiteral("demo"));
    p.labels.insert(QStringLiteral("pod-template-hash"), hash);
    p.podTemplateHash = hash;
    p.node = QStringLiteral("sim-node-1");
    p.podIP = QStringLiteral("10.244.1.") + QString::number(qHash(suffix) % 200 + 2);
    p.phase = QStringLiteral("Running");
    p.ready = ready;
    p.containersReady = ready;
    p.readyTransitionTime = at(createdAt + 2);
    p.specContainers = {{QStringLiteral("demo"), image}};
    kube::ContainerStatusInfo c;
    c.name = QStringLiteral("demo");
    c.image = image;
    c.ready = ready;
    c.started = true;
    c.state = kube::ContainerStatusInfo::State::Running;
    c.startedAt = at(createdAt + 1);
    p.containers = {c};
    p.creationTimestamp = at(createdAt);
    p.startTime = at(createdAt);
    p.readyContainers = ready ? 1 : 0;
    p.totalContainers = 1;
    p.statusText = QStringLiteral("Running");
    return p;
}

// A pod just created by its ReplicaSet: not scheduled, Pending.
inline kube::PodInfo pendingPod(const QString &hash, const QString &suffix,
                                const QString &image = {}, int createdAt = 0)
{
    kube::PodInfo p = pod(hash, suffix, false, image, createdAt);
    p.node.clear();
    p.podIP.clear();
    p.phase = QStringLiteral("Pending");
    p.containers.first().state = kube::ContainerStatusInfo::State::Waiting;
    p.containers.first().reason = QStringLiteral("ContainerCreating");
    p.containers.first().started = false;
    p.statusText = QStringLiteral("Pending");
    return p;
}

inline kube::PodInfo waiting(kube::PodInfo p, const QString &reason, const QString &message = {})
{
    p.phase = QStringLiteral("Pending");
    if (reason == u"CrashLoopBackOff") {
        p.phase = QStringLiteral("Running");
        p.restarts = std::max(p.restarts, 2);
        p.containers.first().restartCount = p.restarts;
        p.containers.first().lastTerminatedReason = QStringLiteral("Error");
        p.containers.first().lastTerminatedExitCode = 1;
    }
    p.ready = false;
    p.containersReady = false;
    p.readyContainers = 0;
    p.containers.first().ready = false;
    p.containers.first().state = kube::ContainerStatusInfo::State::Waiting;
    p.containers.first().reason = reason;
    p.containers.first().message = message;
    p.statusText = reason;
    return p;
}

inline kube::PodInfo terminating(kube::PodInfo p, int time = 0)
{
    p.deletionTimestamp = at(time);
    p.statusText = QStringLiteral("Terminating");
    return p;
}

inline kube::EventInfo kubeEvent(const QString &name, const QString &kind, const QString &object,
                                 const QString &reason, const QString &message, int lastSeen,
                                 const QString &type = QStringLiteral("Normal"), int count = 1)
{
    kube::EventInfo e;
    e.ns = kNs;
    e.name = name;
    e.uid = QStringLiteral("uid-ev-") + name;
    e.involvedKind = kind;
    e.involvedName = object;
    e.type = type;
    e.reason = reason;
    e.message = message;
    e.count = count;
    e.lastTimestamp = at(lastSeen);
    e.creationTimestamp = at(lastSeen);
    return e;
}

} // namespace rollscope::test
