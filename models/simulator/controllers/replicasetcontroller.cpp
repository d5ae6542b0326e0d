// SPDX-License-Identifier: MIT
#include "replicasetcontroller.h"

#include "controllerutil.h"
#include "simulator/clock.h"
#include "simulator/eventrecorder.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/selector.h"
#include "simulator/store.h"

#include <algorithm>

namespace rollscope::sim {

namespace {

QString replicaSetControllerComponent()
{
    return QString::fromLatin1(ReplicaSetController::kComponent);
}

// podPhaseToOrdinal: Pending < Unknown < Running; anything else sorts with Pending.
int phaseOrdinal(const QJsonObject &pod)
{
    const QString phase = json::string(pod, {u"status", u"phase"});
    if (phase == u"Unknown")
        return 1;
    if (phase == u"Running")
        return 2;
    return 0;
}

int deletionCost(const QJsonObject &pod)
{
    bool ok = false;
    const int cost =
        json::annotation(pod, QStringLiteral("controller.kubernetes.io/pod-deletion-cost"))
            .toInt(&ok);
    return ok ? cost : 0;
}

qint64 creationMs(const QJsonObject &object)
{
    return json::parseTimestamp(json::string(object, {u"metadata", u"creationTimestamp"}));
}

// afterOrZero: a missing time sorts first, otherwise the later time first.
bool afterOrZero(qint64 a, qint64 b)
{
    if (a < 0 || b < 0)
        return a < 0;
    return a > b;
}

} // namespace

ReplicaSetController::ReplicaSetController(const SimContext &context)
    : QueueController(context)
{
    inform(Resources::replicaSets(), [this](const StoreEvent &e) { onReplicaSet(e); });
    inform(Resources::pods(), [this](const StoreEvent &e) { onPod(e); });
}

bool ReplicaSetController::deletesBefore(const QJsonObject &a, int rankA, const QJsonObject &b,
                                         int rankB)
{
    // 1. Unassigned < assigned.
    const QString nodeA = json::string(a, {u"spec", u"nodeName"});
    const QString nodeB = json::string(b, {u"spec", u"nodeName"});
    if (nodeA != nodeB && (nodeA.isEmpty() || nodeB.isEmpty()))
        return nodeA.isEmpty();
    // 2. Pending < Unknown < Running.
    if (phaseOrdinal(a) != phaseOrdinal(b))
        return phaseOrdinal(a) < phaseOrdinal(b);
    // 3. Not ready < ready.
    const bool readyA = ctrl::isPodReady(a);
    const bool readyB = ctrl::isPodReady(b);
    if (readyA != readyB)
        return !readyA;
    // 4. Lower pod-deletion-cost first.
    if (deletionCost(a) != deletionCost(b))
        return deletionCost(a) < deletionCost(b);
    // 5. Doubled up (more related pods on the node) first.
    if (rankA != rankB)
        return rankA > rankB;
    // 6. Ready for less time first.
    if (readyA && readyB) {
        const qint64 ta = ctrl::podReadySinceMs(a);
        const qint64 tb = ctrl::podReadySinceMs(b);
        if (ta != tb)
            return afterOrZero(ta, tb);
    }
    // 7. More restarts first.
    const int restartsA = ctrl::maxContainerRestarts(a);
    const int restartsB = ctrl::maxContainerRestarts(b);
    if (restartsA != restartsB)
        return restartsA > restartsB;
    // 8. Newer first.
    const qint64 ca = creationMs(a);
    const qint64 cb = creationMs(b);
    if (ca != cb)
        return afterOrZero(ca, cb);
    return false;
}

// --- informers --------------------------------------------------------------------------------

void ReplicaSetController::onReplicaSet(const StoreEvent &e)
{
    const QString key = ctrl::keyOf(e.object);
    const QString uid = json::uid(e.object);
    if (const auto it = m_rs.constFind(key); it != m_rs.cend()) {
        if (!it->controllerUid.isEmpty()) {
            ctrl::unindex(m_rsByController, it->controllerUid, it->uid);
        }
        m_rsKeyByUid.remove(it->uid);
        m_rs.erase(it);
    }
    if (e.type == EventType::Deleted) {
        m_nextBurstAt.remove(key);
        ctrl::unindex(m_rsByNamespace, json::ns(e.object), key);
        return;
    }
    RsInfo info;
    info.ns = json::ns(e.object);
    info.name = json::name(e.object);
    info.uid = uid;
    if (const auto ref = ctrl::controllerRef(e.object))
        info.controllerUid = ref->uid;
    m_rs.insert(key, info);
    m_rsKeyByUid.insert(uid, key);
    m_rsByNamespace[info.ns].insert(key);
    if (!info.controllerUid.isEmpty())
        m_rsByController[info.controllerUid].insert(uid);
    m_queue.enqueue(key);
}

ReplicaSetController::PodSummary ReplicaSetController::summarize(const QJsonObject &pod)
{
    PodSummary summary;
    summary.name = json::name(pod);
    summary.uid = json::uid(pod);
    if (const auto ref = ctrl::controllerRef(pod))
        summary.owner = ref->uid;
    summary.labels = json::labels(pod);
    summary.active = ctrl::isPodActive(pod);
    summary.readySinceMs = ctrl::podReadySinceMs(pod);
    summary.ready = summary.readySinceMs >= 0 || ctrl::isPodReady(pod);
    return summary;
}

ReplicaSetController::PodSummary ReplicaSetController::summarize(const ctrl::PodFacts &pod)
{
    PodSummary summary;
    summary.name = pod.name;
    summary.uid = pod.uid;
    summary.owner = pod.controllerUid;
    summary.labels = pod.labels;
    summary.active = pod.active;
    summary.ready = pod.ready;
    summary.readySinceMs = pod.readySinceMs;
    return summary;
}

void ReplicaSetController::removePodFromIndex(const QString &podKey)
{
    const auto it = m_pods.constFind(podKey);
    if (it == m_pods.cend())
        return;
    if (it->owner.isEmpty()) {
        const QString ns = ctrl::splitKey(podKey).first;
        ctrl::unindex(m_orphanPods, ns, podKey);
    } else {
        ctrl::unindex(m_podsByOwner, it->owner, podKey);
    }
    m_pods.erase(it);
}

void ReplicaSetController::onPod(const StoreEvent &e)
{
    const ctrl::PodFacts &facts = ctrl::podFacts(e);
    const QString key = facts.key;
    const auto previous = m_pods.constFind(key);
    const bool existed = previous != m_pods.cend();
    const QString oldOwner = existed ? previous->owner : QString();
    const QJsonObject oldLabels = existed ? previous->labels : QJsonObject();
    removePodFromIndex(key);
    if (e.type == EventType::Deleted) {
        enqueueRs(oldOwner);
        return;
    }
    const PodSummary summary = summarize(facts);
    m_pods.insert(key, summary);
    if (!summary.owner.isEmpty()) {
        m_podsByOwner[summary.owner].insert(key);
        if (existed && oldOwner != summary.owner)
            enqueueRs(oldOwner);
        enqueueRs(summary.owner);
        return;
    }
    m_orphanPods[facts.ns].insert(key);
    if (existed && !oldOwner.isEmpty())
        enqueueRs(oldOwner);
    // An orphan: the ReplicaSets that may adopt it look again.
    if (summary.active && (!existed || oldLabels != summary.labels || !oldOwner.isEmpty()))
        enqueueMatching(facts.ns, summary.labels);
}

void ReplicaSetController::enqueueRs(const QString &uid)
{
    enqueueByUid(m_rsKeyByUid, uid);
}

void ReplicaSetController::enqueueMatching(const QString &ns, const QJsonObject &labels)
{
    for (const QString &rsKey : m_rsByNamespace.value(ns))
        enqueueIfSelects(Resources::replicaSets(), rsKey, labels);
}

// --- sync ---------------------------------------------------------------------------------------

void ReplicaSetController::sync(const QString &key)
{
    const auto [ns, name] = ctrl::splitKey(key);
    const auto found = m_ctx.store->get(Resources::replicaSets(), ns, name);
    if (!found)
        return;
    const QJsonObject rs = *found;
    const QString uid = json::uid(rs);
    const auto selector = LabelSelector::fromObject(json::object(rs, {u"spec", u"selector"}));
    if (!selector)
        return;
    const bool deleting = json::isBeingDeleted(rs);

    // claimPods over the active pods: keep what matches, release what does not, adopt orphans.
    QList<PodSummary> active;
    const QSet<QString> owned = m_podsByOwner.value(uid);
    for (const QString &podKey : owned) {
        const auto summary = m_pods.constFind(podKey);
        if (summary == m_pods.cend() || !summary->active)
            continue;
        if (selector->matches(summary->labels)) {
            active << *summary;
            continue;
        }
        if (deleting)
            continue;
        const auto [podNs, podName] = ctrl::splitKey(podKey);
        (void)m_ctx.registry->modify(Resources::pods(), podNs, podName, [&uid](QJsonObject &o) {
            ctrl::removeOwnerRefs(o, {uid});
            return true;
        });
    }
    if (!deleting && !selector->isEmpty()) {
        const QSet<QString> orphans = m_orphanPods.value(ns);
        for (const QString &podKey : orphans) {
            const auto summary = m_pods.constFind(podKey);
            if (summary == m_pods.cend() || !summary->active || !selector->matches(summary->labels))
                continue;
            const auto [podNs, podName] = ctrl::splitKey(podKey);
            const auto pod = m_ctx.store->get(Resources::pods(), podNs, podName);
            if (!pod || !ctrl::isPodActive(*pod) || ctrl::controllerRef(*pod))
                continue;
            const auto adopted =
                m_ctx.registry->modify(Resources::pods(), podNs, podName, [&rs](QJsonObject &o) {
                    ctrl::addControllerRef(o, rs);
                    return true;
                });
            if (adopted)
                active << summarize(adopted.value());
        }
    }
    // A deterministic starting order (the informer's is arbitrary).
    std::sort(active.begin(), active.end(),
              [](const PodSummary &a, const PodSummary &b) { return a.name < b.name; });

    const Managed managed = deleting ? Managed{active, {}} : manageReplicas(active, rs);
    const QList<PodSummary> &afterwards = managed.pods;
    const QString &manageError = managed.error;

    // calculateStatus over the pods as they are after this sync's creates and deletes.
    const qint64 now = m_ctx.clock->nowMs();
    const qint64 minReady = json::integer(rs, {u"spec", u"minReadySeconds"});
    const LabelSelector templateLabels =
        LabelSelector::fromMap(json::object(rs, {u"spec", u"template", u"metadata", u"labels"}));
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    qint64 nextAvailable = -1;
    for (const PodSummary &pod : std::as_const(afterwards)) {
        if (templateLabels.matches(pod.labels))
            ++fullyLabeled;
        if (!pod.ready)
            continue;
        ++ready;
        // podutil.IsPodAvailable: ready for longer than minReadySeconds (strictly). The Ready
        // condition carries a wall-clock time; minReadySeconds is simulated time.
        const qint64 readySince =
            pod.readySinceMs >= 0 ? m_ctx.clock->fromWallMs(pod.readySinceMs) : -1;
        if (minReady == 0 || (readySince >= 0 && readySince + minReady * 1000 < now)) {
            ++available;
        } else if (readySince >= 0) {
            // Becomes available the first millisecond after readySince + minReadySeconds.
            const qint64 at = readySince + minReady * 1000 + 1;
            if (nextAvailable < 0 || at < nextAvailable)
                nextAvailable = at;
        }
    }
    const QJsonObject oldStatus = rs.value(u"status").toObject();
    QJsonObject status;
    status.insert(QStringLiteral("replicas"), afterwards.size());
    if (fullyLabeled != 0)
        status.insert(QStringLiteral("fullyLabeledReplicas"), fullyLabeled);
    if (ready != 0)
        status.insert(QStringLiteral("readyReplicas"), ready);
    if (available != 0)
        status.insert(QStringLiteral("availableReplicas"), available);
    const qint64 generation = json::integer(rs, {u"metadata", u"generation"});
    if (generation != 0)
        status.insert(QStringLiteral("observedGeneration"), generation);
    QJsonArray conditions = oldStatus.value(u"conditions").toArray();
    const QJsonObject failure = ctrl::findCondition(oldStatus, u"ReplicaFailure");
    if (!manageError.isEmpty() && failure.isEmpty()) {
        const qsizetype diff = active.size() - json::integer(rs, {u"spec", u"replicas"}, 1);
        QJsonObject condition{
            {QStringLiteral("type"), QStringLiteral("ReplicaFailure")},
            {QStringLiteral("status"), QStringLiteral("True")},
            {QStringLiteral("lastTransitionTime"), m_ctx.clock->timestamp(now)},
            {QStringLiteral("reason"), diff < 0   ? QStringLiteral("FailedCreate")
                                       : diff > 0 ? QStringLiteral("FailedDelete")
                                                  : QString()},
            {QStringLiteral("message"), manageError},
        };
        conditions.append(condition);
    } else if (manageError.isEmpty() && !failure.isEmpty()) {
        for (qsizetype i = conditions.size() - 1; i >= 0; --i) {
            if (conditions.at(i).toObject().value(u"type").toString() == u"ReplicaFailure")
                conditions.removeAt(i);
        }
    }
    if (!conditions.isEmpty())
        status.insert(QStringLiteral("conditions"), conditions);
    if (status != oldStatus) {
        (void)m_ctx.registry->modify(
            Resources::replicaSets(), ns, name,
            [&status](QJsonObject &o) {
                o.insert(QStringLiteral("status"), status);
                return true;
            },
            Subresource::Status);
    }
    if (nextAvailable >= 0)
        m_queue.enqueueAfter(key, nextAvailable - now);
    if (!manageError.isEmpty())
        m_queue.enqueueAfter(key, 1000); // retried; the real queue rate-limits the same way
}

QList<QJsonObject> ReplicaSetController::relatedPods(const QJsonObject &rs) const
{
    QList<QJsonObject> related;
    const auto ref = ctrl::controllerRef(rs);
    if (!ref)
        return related;
    for (const QString &rsUid : m_rsByController.value(ref->uid)) {
        for (const QString &podKey : m_podsByOwner.value(rsUid)) {
            const auto [podNs, podName] = ctrl::splitKey(podKey);
            if (const auto pod = m_ctx.store->get(Resources::pods(), podNs, podName))
                related << *pod;
        }
    }
    return related;
}

ReplicaSetController::Managed
ReplicaSetController::manageReplicas(const QList<PodSummary> &activePods, const QJsonObject &rs)
{
    Managed out{activePods, {}};
    const qsizetype diff = activePods.size() - json::integer(rs, {u"spec", u"replicas"}, 1);
    const QString ns = json::ns(rs);
    const QString key = ctrl::keyOf(rs);
    const qint64 now = m_ctx.clock->nowMs();
    if (diff == 0) {
        m_nextBurstAt.remove(key);
        return out;
    }
    if (const auto next = m_nextBurstAt.constFind(key); next != m_nextBurstAt.cend()) {
        if (now < *next) {
            m_queue.enqueueAfter(key, *next - now);
            return out;
        }
        m_nextBurstAt.erase(next);
    }
    if (qAbs(diff) > kBurstReplicas) {
        // More than one burst to go: this one, then the next after the interval.
        m_nextBurstAt.insert(key, now + kBurstIntervalMs);
        m_queue.enqueueAfter(key, kBurstIntervalMs);
    }
    if (diff < 0) {
        const int toCreate = int(qMin<qsizetype>(-diff, kBurstReplicas));
        const QJsonObject podTemplate = json::object(rs, {u"spec", u"template"});
        const QJsonObject templateMeta = podTemplate.value(u"metadata").toObject();
        QJsonObject metadata;
        metadata.insert(QStringLiteral("generateName"), QString(json::name(rs) + u'-'));
        for (const char *field : {"labels", "annotations", "finalizers"}) {
            const QJsonValue v = templateMeta.value(QLatin1StringView(field));
            if ((v.isObject() && !v.toObject().isEmpty()) ||
                (v.isArray() && !v.toArray().isEmpty()))
                metadata.insert(QLatin1StringView(field), v);
        }
        metadata.insert(QStringLiteral("ownerReferences"), QJsonArray{ctrl::newControllerRef(rs)});
        QJsonObject pod;
        pod.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
        pod.insert(QStringLiteral("kind"), QStringLiteral("Pod"));
        pod.insert(QStringLiteral("metadata"), metadata);
        pod.insert(QStringLiteral("spec"), podTemplate.value(u"spec"));

        // slowStartBatch: 1, 2, 4, ... and stop at the first batch with an error.
        int remaining = toCreate;
        int batch = qMin(remaining, 1);
        while (batch > 0) {
            QString error;
            for (int i = 0; i < batch; ++i) {
                const auto created = m_ctx.registry->create(Resources::pods(), ns, pod);
                if (!created) {
                    error = created.error().message;
                    m_ctx.events->warning(rs, replicaSetControllerComponent(),
                                          QStringLiteral("FailedCreate"),
                                          QStringLiteral("Error creating: %1").arg(error));
                    continue;
                }
                out.pods << summarize(created.value());
                m_ctx.events->normal(
                    rs, replicaSetControllerComponent(), QStringLiteral("SuccessfulCreate"),
                    QStringLiteral("Created pod: %1").arg(json::name(created.value())));
            }
            if (!error.isEmpty()) {
                out.error = error;
                return out;
            }
            remaining -= batch;
            batch = qMin(2 * batch, remaining);
        }
        return out;
    }

    const int toDelete = int(qMin<qsizetype>(diff, kBurstReplicas));
    // Scale-down is rare: only now are the pods themselves read, for the ranking.
    QList<QJsonObject> victims;
    for (const PodSummary &summary : activePods) {
        if (const auto pod = m_ctx.store->get(Resources::pods(), ns, summary.name))
            victims << *pod;
    }
    if (toDelete < victims.size()) {
        // getPodsRankedByRelatedPodsOnSameNode
        QHash<QString, int> onNode;
        for (const QJsonObject &pod : relatedPods(rs))
            ++onNode[json::string(pod, {u"spec", u"nodeName"})];
        QList<std::pair<QJsonObject, int>> ranked;
        for (const QJsonObject &pod : std::as_const(victims))
            ranked.append({pod, onNode.value(json::string(pod, {u"spec", u"nodeName"}))});
        std::stable_sort(ranked.begin(), ranked.end(), [](const auto &a, const auto &b) {
            return deletesBefore(a.first, a.second, b.first, b.second);
        });
        victims.clear();
        for (const auto &[pod, rank] : std::as_const(ranked))
            victims << pod;
    }
    for (int i = 0; i < toDelete && i < victims.size(); ++i) {
        const QJsonObject &pod = victims.at(i);
        const auto removed = m_ctx.registry->remove(Resources::pods(), ns, json::name(pod));
        if (!removed) {
            if (removed.error().httpStatus != 404) {
                m_ctx.events->warning(
                    rs, replicaSetControllerComponent(), QStringLiteral("FailedDelete"),
                    QStringLiteral("Error deleting: %1").arg(removed.error().message));
                if (out.error.isEmpty())
                    out.error = removed.error().message;
            }
            continue;
        }
        for (qsizetype k = 0; k < out.pods.size(); ++k) {
            if (out.pods.at(k).uid == json::uid(pod)) {
                out.pods.removeAt(k);
                break;
            }
        }
        m_ctx.events->normal(rs, replicaSetControllerComponent(),
                             QStringLiteral("SuccessfulDelete"),
                             QStringLiteral("Deleted pod: %1").arg(json::name(pod)));
    }
    return out;
}

} // namespace rollscope::sim
