// SPDX-License-Identifier: MIT
#include "deploymentcontroller.h"

#include "controllerutil.h"
#include "deploymentutil.h"
#include "simulator/clock.h"
#include "simulator/eventrecorder.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/selector.h"
#include "simulator/store.h"

#include <algorithm>

namespace rollscope::sim {

using namespace deployutil;

namespace {

// The controller's workqueue retries a failing key this often before dropping it.
constexpr int kMaxRetries = 15;

QLatin1StringView l1(const char *text)
{
    return QLatin1StringView(text);
}

QString deploymentControllerComponent()
{
    return QString::fromLatin1(DeploymentController::kComponent);
}

} // namespace

// Everything one syncDeployment pass works on. ReplicaSets are referred to by uid; `rs` holds
// the freshest copy, so a scale made early in the pass is what later steps see.
struct DeploymentController::Sync
{
    QString key;
    QJsonObject d;
    QHash<QString, QJsonObject> rs;
    QStringList rsList; // owned ReplicaSets, oldest first

    QJsonObject get(const QString &uid) const
    {
        return uid.isEmpty() ? QJsonObject() : rs.value(uid);
    }
    QList<QJsonObject> objects(const QStringList &uids) const
    {
        QList<QJsonObject> out;
        out.reserve(uids.size());
        for (const QString &uid : uids) {
            if (!uid.isEmpty())
                out << rs.value(uid);
        }
        return out;
    }
    QStringList active(const QStringList &uids) const
    {
        QStringList out;
        for (const QString &uid : uids) {
            if (!uid.isEmpty() && specReplicas(rs.value(uid)) > 0)
                out << uid;
        }
        return out;
    }
    void sortByCreation(QStringList &uids) const
    {
        std::sort(uids.begin(), uids.end(), [this](const QString &a, const QString &b) {
            return createdBefore(rs.value(a), rs.value(b));
        });
    }
};

DeploymentController::DeploymentController(const SimContext &context)
    : QueueController(context)
{
    inform(Resources::deployments(), [this](const StoreEvent &e) { onDeployment(e); });
    inform(Resources::replicaSets(), [this](const StoreEvent &e) { onReplicaSet(e); });
    inform(Resources::pods(), [this](const StoreEvent &e) { onPod(e); });
}

// --- informers --------------------------------------------------------------------------------

void DeploymentController::onDeployment(const StoreEvent &e)
{
    const QString key = ctrl::keyOf(e.object);
    const QString uid = json::uid(e.object);
    if (e.type == EventType::Deleted) {
        m_deploymentByUid.remove(uid);
        m_uidByDeployment.remove(key);
        m_strategyByUid.remove(uid);
        m_failures.remove(key);
        return;
    }
    m_deploymentByUid.insert(uid, key);
    m_uidByDeployment.insert(key, uid);
    m_strategyByUid.insert(uid, json::string(e.object, {u"spec", u"strategy", u"type"}));
    m_queue.enqueue(key);
}

void DeploymentController::onReplicaSet(const StoreEvent &e)
{
    const QString key = ctrl::keyOf(e.object);
    RsInfo info;
    info.ns = json::ns(e.object);
    info.uid = json::uid(e.object);
    if (const auto ref = ctrl::controllerRef(e.object))
        info.controllerUid = ref->uid;
    info.labels = json::labels(e.object);
    info.deleting = json::isBeingDeleted(e.object);

    const auto previous = m_rs.constFind(key);
    RsInfo old;
    const bool existed = previous != m_rs.cend();
    if (existed) {
        old = *previous;
        if (!old.controllerUid.isEmpty()) {
            ctrl::unindex(m_rsByOwner, old.controllerUid, key);
        } else {
            ctrl::unindex(m_orphanRs, old.ns, key);
        }
        m_rs.remove(key);
    }
    if (e.type == EventType::Deleted) {
        m_rsKeyByUid.remove(info.uid);
        enqueueOwner(info.controllerUid);
        return;
    }
    m_rs.insert(key, info);
    m_rsKeyByUid.insert(info.uid, key);
    if (!info.controllerUid.isEmpty())
        m_rsByOwner[info.controllerUid].insert(key);
    else
        m_orphanRs[info.ns].insert(key);

    if (existed && !old.controllerUid.isEmpty() && old.controllerUid != info.controllerUid)
        enqueueOwner(old.controllerUid);
    if (!info.controllerUid.isEmpty()) {
        enqueueOwner(info.controllerUid);
        return;
    }
    // An orphan: whoever might adopt it looks again (only on a change that matters).
    if (!existed || old.labels != info.labels || !old.controllerUid.isEmpty())
        enqueueMatching(info.ns, info.labels);
}

void DeploymentController::onPod(const StoreEvent &e)
{
    const ctrl::PodFacts &pod = ctrl::podFacts(e);
    const QString key = pod.key;
    if (const auto it = m_pods.constFind(key); it != m_pods.cend()) {
        PodCounts &counts = m_podCountsByRs[it->rsUid];
        --counts.total;
        if (!it->terminal)
            --counts.nonTerminal;
        const QString rsUid = it->rsUid;
        if (counts.total <= 0)
            m_podCountsByRs.remove(rsUid);
        m_pods.remove(key);
        if (e.type == EventType::Deleted) {
            // deletePod: a Recreate deployment waits for its last pod to go.
            const QString rsKey = m_rsKeyByUid.value(rsUid);
            const QString ownerUid = m_rs.value(rsKey).controllerUid;
            if (ownerUid.isEmpty() || m_strategyByUid.value(ownerUid) != u"Recreate")
                return;
            int remaining = 0;
            for (const QString &sibling : m_rsByOwner.value(ownerUid))
                remaining += m_podCountsByRs.value(m_rs.value(sibling).uid).total;
            if (remaining == 0)
                enqueueOwner(ownerUid);
            return;
        }
    }
    if (e.type == EventType::Deleted || pod.controllerUid.isEmpty())
        return;
    PodInfo info{pod.controllerUid, pod.terminal};
    PodCounts &counts = m_podCountsByRs[info.rsUid];
    ++counts.total;
    if (!info.terminal)
        ++counts.nonTerminal;
    m_pods.insert(key, info);
}

void DeploymentController::enqueueOwner(const QString &controllerUid)
{
    enqueueByUid(m_deploymentByUid, controllerUid);
}

void DeploymentController::enqueueMatching(const QString &ns, const QJsonObject &labels)
{
    const QString prefix = ns + u'/';
    for (auto it = m_uidByDeployment.cbegin(); it != m_uidByDeployment.cend(); ++it) {
        if (it.key().startsWith(prefix))
            enqueueIfSelects(Resources::deployments(), it.key(), labels);
    }
}

void DeploymentController::sync(const QString &key)
{
    const auto [ns, name] = ctrl::splitKey(key);
    const auto current = m_ctx.store->get(Resources::deployments(), ns, name);
    if (!current) {
        m_failures.remove(key);
        return;
    }
    Sync s;
    s.key = key;
    s.d = *current;
    if (syncDeployment(s))
        m_failures.remove(key);
    else
        requeueRateLimited(key);
}

void DeploymentController::requeueRateLimited(const QString &key)
{
    const int failures = m_failures.value(key);
    if (failures >= kMaxRetries) {
        m_failures.remove(key);
        return;
    }
    m_failures.insert(key, failures + 1);
    // ItemExponentialFailureRateLimiter(5ms, 1000s).
    m_queue.enqueueAfter(key, qMin<qint64>(qint64(5) << failures, 1'000'000));
}

// --- syncDeployment ---------------------------------------------------------------------------

bool DeploymentController::syncDeployment(Sync &s)
{
    const auto selector = LabelSelector::fromObject(json::object(s.d, {u"spec", u"selector"}));
    if (!selector || selector->isEmpty()) {
        m_ctx.events->warning(
            s.d, deploymentControllerComponent(), QStringLiteral("SelectingAll"),
            QStringLiteral(
                "This deployment is selecting all pods. A non-empty selector is required."));
        const qint64 generation = json::integer(s.d, {u"metadata", u"generation"});
        if (json::integer(s.d, {u"status", u"observedGeneration"}) < generation) {
            json::set(s.d, {u"status", u"observedGeneration"}, generation);
            return writeStatus(s);
        }
        return true;
    }
    if (!claimReplicaSets(s))
        return false;
    if (json::isBeingDeleted(s.d))
        return syncStatusOnly(s);
    if (!checkPausedConditions(s))
        return false;
    if (isPaused(s.d))
        return syncScaleOnly(s);
    // The legacy rollback annotation (deprecated.deployment.rollback.to) is not acted on:
    // kubectl >= 1.18 rolls back by patching the template.
    const std::optional<bool> scaling = isScalingEvent(s);
    if (!scaling)
        return false;
    if (*scaling)
        return syncScaleOnly(s);
    const QString strategy = json::string(s.d, {u"spec", u"strategy", u"type"});
    if (strategy == u"Recreate")
        return rolloutRecreate(s);
    if (strategy == u"RollingUpdate")
        return rolloutRolling(s);
    return true;
}

bool DeploymentController::claimReplicaSets(Sync &s)
{
    const QString uid = json::uid(s.d);
    const QString ns = json::ns(s.d);
    const auto selector = LabelSelector::fromObject(json::object(s.d, {u"spec", u"selector"}));
    const bool deploymentDeleting = json::isBeingDeleted(s.d);
    QList<QJsonObject> owned;

    const QSet<QString> ownedKeys = m_rsByOwner.value(uid);
    for (const QString &rsKey : ownedKeys) {
        const auto [rsNs, rsName] = ctrl::splitKey(rsKey);
        const auto rs = m_ctx.store->get(Resources::replicaSets(), rsNs, rsName);
        if (!rs)
            continue;
        if (selector->matches(json::labels(*rs))) {
            owned << *rs;
            continue;
        }
        if (deploymentDeleting)
            continue; // a controller being deleted neither adopts nor releases
        // Release: the labels no longer match, so the RS is not ours any more.
        const auto released =
            m_ctx.registry->modify(Resources::replicaSets(), rsNs, rsName, [&uid](QJsonObject &o) {
                ctrl::removeOwnerRefs(o, {uid});
                return true;
            });
        if (!released && released.error().httpStatus != 404)
            return false;
    }

    if (!deploymentDeleting) {
        const QSet<QString> orphans = m_orphanRs.value(ns);
        for (const QString &rsKey : orphans) {
            const auto [rsNs, rsName] = ctrl::splitKey(rsKey);
            const auto rs = m_ctx.store->get(Resources::replicaSets(), rsNs, rsName);
            if (!rs || json::isBeingDeleted(*rs) || ctrl::controllerRef(*rs) ||
                !selector->matches(json::labels(*rs)))
                continue;
            const auto adopted = m_ctx.registry->modify(Resources::replicaSets(), rsNs, rsName,
                                                        [&s](QJsonObject &o) {
                                                            ctrl::addControllerRef(o, s.d);
                                                            return true;
                                                        });
            if (!adopted) {
                if (adopted.error().httpStatus == 404)
                    continue;
                return false;
            }
            owned << adopted.value();
        }
    }

    deployutil::sortByCreation(owned);
    for (const QJsonObject &rs : std::as_const(owned)) {
        s.rs.insert(json::uid(rs), rs);
        s.rsList << json::uid(rs);
    }
    return true;
}

std::optional<DeploymentController::ReplicaSets>
DeploymentController::getAllReplicaSetsAndSyncRevision(Sync &s, bool createIfNotExisted)
{
    // FindOldReplicaSets: everything but the current new RS.
    const QString existing = json::uid(findNewReplicaSet(s.d, s.objects(s.rsList)));
    ReplicaSets rss;
    for (const QString &uid : std::as_const(s.rsList)) {
        if (uid != existing)
            rss.oldRSs << uid;
    }
    std::optional<QString> newRS = getNewReplicaSet(s, rss.oldRSs, createIfNotExisted);
    if (!newRS)
        return std::nullopt;
    rss.newRS = std::move(*newRS);
    return rss;
}

std::optional<QString> DeploymentController::getNewReplicaSet(Sync &s, const QStringList &oldRSs,
                                                              bool createIfNotExisted)
{
    const qint64 now = m_ctx.clock->nowMs();
    const QJsonObject existing = findNewReplicaSet(s.d, s.objects(s.rsList));
    const QString newRevision = QString::number(maxRevision(s.objects(oldRSs)) + 1);
    const qint64 minReady = json::integer(s.d, {u"spec", u"minReadySeconds"});

    if (!existing.isEmpty()) {
        // Sync the existing new RS's annotations (a rollback renumbers it here) and
        // minReadySeconds; then the deployment's revision and a missing Progressing condition.
        QJsonObject rsCopy = existing;
        const bool annotationsUpdated = setNewReplicaSetAnnotations(s.d, rsCopy, newRevision, true);
        const bool minReadyNeedsUpdate =
            json::integer(rsCopy, {u"spec", u"minReadySeconds"}) != minReady;
        if (annotationsUpdated || minReadyNeedsUpdate) {
            json::set(rsCopy, {u"spec", u"minReadySeconds"},
                      minReady == 0 ? QJsonValue(QJsonValue::Undefined) : QJsonValue(minReady));
            const auto updated = m_ctx.registry->update(Resources::replicaSets(), json::ns(rsCopy),
                                                        json::name(rsCopy), rsCopy);
            if (!updated)
                return std::nullopt;
            s.rs.insert(json::uid(existing), updated.value());
            return json::uid(existing);
        }
        bool needsUpdate = false;
        const QString rsRevision = json::annotation(rsCopy, QString(l1(kRevision)));
        if (json::annotation(s.d, QString(l1(kRevision))) != rsRevision) {
            json::setAnnotation(s.d, QString(l1(kRevision)), rsRevision);
            needsUpdate = true;
        }
        QJsonObject status = s.d.value(u"status").toObject();
        if (hasProgressDeadline(s.d) && getCondition(status, u"Progressing").isEmpty()) {
            setCondition(
                status,
                newCondition(QStringLiteral("Progressing"), QStringLiteral("True"),
                             l1(kFoundNewReplicaSet),
                             QStringLiteral("Found new replica set \"%1\"").arg(json::name(rsCopy)),
                             m_ctx.clock->toWallMs(now)));
            s.d.insert(QStringLiteral("status"), status);
            needsUpdate = true;
        }
        if (needsUpdate && !writeStatus(s))
            return std::nullopt;
        return json::uid(existing);
    }

    if (!createIfNotExisted)
        return QString();

    // A new ReplicaSet, named after the template's hash.
    QJsonObject podTemplate = json::object(s.d, {u"spec", u"template"});
    const QJsonValue collision = json::get(s.d, {u"status", u"collisionCount"});
    const QString hash =
        computeHash(podTemplate, collision.isDouble() ? std::optional<qint64>(collision.toInteger())
                                                      : std::nullopt);
    QJsonObject templateLabels = json::labels(podTemplate);
    templateLabels.insert(l1(kPodTemplateHash), hash);
    json::set(podTemplate, {u"metadata", u"labels"}, templateLabels);
    QJsonObject selector = json::object(s.d, {u"spec", u"selector"});
    QJsonObject matchLabels = selector.value(u"matchLabels").toObject();
    matchLabels.insert(l1(kPodTemplateHash), hash);
    selector.insert(QStringLiteral("matchLabels"), matchLabels);

    const QString rsName = json::name(s.d) + u'-' + hash;
    QJsonObject rs;
    rs.insert(QStringLiteral("apiVersion"), QStringLiteral("apps/v1"));
    rs.insert(QStringLiteral("kind"), QStringLiteral("ReplicaSet"));
    rs.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), rsName},
                                                      {QStringLiteral("namespace"), json::ns(s.d)},
                                                      {QStringLiteral("labels"), templateLabels},
                                                      {QStringLiteral("ownerReferences"),
                                                       QJsonArray{ctrl::newControllerRef(s.d)}}});
    QJsonObject spec{{QStringLiteral("replicas"), 0},
                     {QStringLiteral("selector"), selector},
                     {QStringLiteral("template"), podTemplate}};
    if (minReady != 0)
        spec.insert(QStringLiteral("minReadySeconds"), minReady);
    rs.insert(QStringLiteral("spec"), spec);

    QList<QJsonObject> all = s.objects(oldRSs);
    all << rs;
    const int newReplicas = newRSNewReplicas(s.d, all, rs);
    json::set(rs, {u"spec", u"replicas"}, newReplicas);
    setNewReplicaSetAnnotations(s.d, rs, newRevision, false);

    bool alreadyExists = false;
    QJsonObject createdRS;
    const auto created = m_ctx.registry->create(Resources::replicaSets(), json::ns(s.d), rs);
    if (created) {
        createdRS = created.value();
    } else if (created.error().reason == u"AlreadyExists") {
        alreadyExists = true;
        const auto found = m_ctx.store->get(Resources::replicaSets(), json::ns(s.d), rsName);
        if (!found)
            return std::nullopt;
        const auto ref = ctrl::controllerRef(*found);
        if (ref && ref->uid == json::uid(s.d) &&
            equalIgnoreHash(json::object(s.d, {u"spec", u"template"}),
                            json::object(*found, {u"spec", u"template"}))) {
            createdRS = *found;
        } else {
            // A hash collision: bump collisionCount and try again on the next sync.
            json::set(s.d, {u"status", u"collisionCount"},
                      collision.isDouble() ? collision.toInteger() + 1 : 1);
            writeStatus(s);
            return std::nullopt;
        }
    } else if (created.error().httpStatus == 403 &&
               created.error().message.contains(QStringLiteral("being terminated"))) {
        return QString(); // every later create fails as well; the namespace is going away
    } else {
        const QString message = QStringLiteral("Failed to create new replica set \"%1\": %2")
                                    .arg(rsName, created.error().message);
        if (hasProgressDeadline(s.d)) {
            QJsonObject status = s.d.value(u"status").toObject();
            setCondition(status,
                         newCondition(QStringLiteral("Progressing"), QStringLiteral("False"),
                                      l1(kFailedRSCreate), message, m_ctx.clock->toWallMs(now)));
            s.d.insert(QStringLiteral("status"), status);
            writeStatus(s);
        }
        m_ctx.events->warning(s.d, deploymentControllerComponent(), l1(kFailedRSCreate), message);
        return std::nullopt;
    }

    if (!alreadyExists && newReplicas > 0)
        m_ctx.events->normal(
            s.d, deploymentControllerComponent(), QStringLiteral("ScalingReplicaSet"),
            QStringLiteral("Scaled up replica set %1 to %2").arg(rsName).arg(newReplicas));
    bool needsUpdate = false;
    if (json::annotation(s.d, QString(l1(kRevision))) != newRevision) {
        json::setAnnotation(s.d, QString(l1(kRevision)), newRevision);
        needsUpdate = true;
    }
    if (!alreadyExists && hasProgressDeadline(s.d)) {
        QJsonObject status = s.d.value(u"status").toObject();
        setCondition(status,
                     newCondition(QStringLiteral("Progressing"), QStringLiteral("True"),
                                  l1(kNewReplicaSetCreated),
                                  QStringLiteral("Created new replica set \"%1\"").arg(rsName),
                                  m_ctx.clock->toWallMs(now)));
        s.d.insert(QStringLiteral("status"), status);
        needsUpdate = true;
    }
    s.rs.insert(json::uid(createdRS), createdRS);
    if (needsUpdate && !writeStatus(s))
        return std::nullopt;
    return json::uid(createdRS);
}

bool DeploymentController::checkPausedConditions(Sync &s)
{
    if (!hasProgressDeadline(s.d))
        return true;
    QJsonObject status = s.d.value(u"status").toObject();
    const QJsonObject condition = getCondition(status, u"Progressing");
    if (condition.value(u"reason").toString() == l1(kTimedOut))
        return true;
    const bool pausedConditionExists = condition.value(u"reason").toString() == l1(kPaused);
    const qint64 now = m_ctx.clock->nowMs();
    if (isPaused(s.d) && !pausedConditionExists) {
        setCondition(status, newCondition(QStringLiteral("Progressing"), QStringLiteral("Unknown"),
                                          l1(kPaused), QStringLiteral("Deployment is paused"),
                                          m_ctx.clock->toWallMs(now)));
    } else if (!isPaused(s.d) && pausedConditionExists) {
        setCondition(status, newCondition(QStringLiteral("Progressing"), QStringLiteral("Unknown"),
                                          l1(kResumed), QStringLiteral("Deployment is resumed"),
                                          m_ctx.clock->toWallMs(now)));
    } else {
        return true;
    }
    s.d.insert(QStringLiteral("status"), status);
    return writeStatus(s);
}

std::optional<bool> DeploymentController::isScalingEvent(Sync &s)
{
    const std::optional<ReplicaSets> rss = getAllReplicaSetsAndSyncRevision(s, false);
    if (!rss)
        return std::nullopt;
    const int replicas = specReplicas(s.d);
    for (const QString &uid : s.active(rss->all())) {
        bool ok = false;
        const int desired =
            json::annotation(s.rs.value(uid), QString(l1(kDesiredReplicas))).toInt(&ok);
        if (ok && desired != replicas)
            return true;
    }
    return false;
}

bool DeploymentController::syncScaleOnly(Sync &s)
{
    const std::optional<ReplicaSets> rss = getAllReplicaSetsAndSyncRevision(s, false);
    if (!rss || !scale(s, *rss))
        return false;
    // History is cleaned up while paused (and no legacy rollback is pending).
    if (isPaused(s.d) && json::annotation(s.d, QString(l1(kRollbackTo))).isEmpty() &&
        !cleanupDeployment(s, rss->oldRSs))
        return false;
    return syncDeploymentStatus(s, *rss);
}

bool DeploymentController::syncStatusOnly(Sync &s)
{
    const std::optional<ReplicaSets> rss = getAllReplicaSetsAndSyncRevision(s, false);
    return rss && syncDeploymentStatus(s, *rss);
}

bool DeploymentController::scale(Sync &s, const ReplicaSets &rss)
{
    const int replicas = specReplicas(s.d);
    // One active RS (or none): it takes the whole count.
    const QJsonObject activeOrLatest = findActiveOrLatest(s.get(rss.newRS), s.objects(rss.oldRSs));
    if (!activeOrLatest.isEmpty()) {
        if (specReplicas(activeOrLatest) == replicas)
            return true;
        return scaleReplicaSetAndRecordEvent(s, json::uid(activeOrLatest), replicas).has_value();
    }
    // A saturated new RS: the old ones go to zero.
    if (isSaturated(s.d, s.get(rss.newRS))) {
        for (const QString &uid : s.active(rss.oldRSs)) {
            if (!scaleReplicaSetAndRecordEvent(s, uid, 0))
                return false;
        }
        return true;
    }
    if (!isRollingUpdate(s.d))
        return true;

    // Proportional scaling across the active ReplicaSets.
    QStringList all = s.active(rss.all());
    const qint64 allReplicas = sumSpecReplicas(s.objects(all));
    const qint64 allowed = replicas > 0 ? qint64(replicas) + maxSurge(s.d) : 0;
    const qint64 toAdd = allowed - allReplicas;
    QString operation;
    if (toAdd != 0) {
        // Larger first; among equals ReplicaSetsBySizeNewer (newer first) when scaling up,
        // ReplicaSetsBySizeOlder (older first) when scaling down.
        const bool newerFirst = toAdd > 0;
        std::sort(all.begin(), all.end(), [&s, newerFirst](const QString &a, const QString &b) {
            const int sa = specReplicas(s.rs.value(a));
            const int sb = specReplicas(s.rs.value(b));
            if (sa != sb)
                return sa > sb;
            return newerFirst ? createdBefore(s.rs.value(b), s.rs.value(a))
                              : createdBefore(s.rs.value(a), s.rs.value(b));
        });
        operation = newerFirst ? QStringLiteral("up") : QStringLiteral("down");
    }
    QHash<QString, qint64> sizes;
    qint64 added = 0;
    for (const QString &uid : std::as_const(all)) {
        const QJsonObject rs = s.rs.value(uid);
        if (toAdd != 0) {
            const qint64 proportion = getProportion(rs, s.d, toAdd, added);
            sizes.insert(uid, specReplicas(rs) + proportion);
            added += proportion;
        } else {
            sizes.insert(uid, specReplicas(rs));
        }
    }
    for (qsizetype i = 0; i < all.size(); ++i) {
        const QString &uid = all.at(i);
        if (i == 0 && toAdd != 0) {
            // Leftovers go to the largest RS.
            sizes[uid] = qMax<qint64>(0, sizes.value(uid) + toAdd - added);
        }
        if (!scaleReplicaSet(s, uid, saturate(sizes.value(uid)), operation))
            return false;
    }
    return true;
}

bool DeploymentController::rolloutRolling(Sync &s)
{
    const std::optional<ReplicaSets> rss = getAllReplicaSetsAndSyncRevision(s, true);
    if (!rss)
        return false;
    if (rss->newRS.isEmpty())
        return true; // the namespace is terminating

    const Scaled scaledUp = reconcileNewReplicaSet(s, *rss);
    if (!scaledUp)
        return false;
    if (*scaledUp) // scale-down waits for the next pass, which the RS update triggers
        return syncRolloutStatus(s, *rss);

    const Scaled scaledDown = reconcileOldReplicaSets(s, *rss);
    if (!scaledDown)
        return false;
    if (*scaledDown)
        return syncRolloutStatus(s, *rss);

    if (deploymentComplete(s.d, s.d.value(u"status").toObject()) &&
        !cleanupDeployment(s, rss->oldRSs))
        return false;
    return syncRolloutStatus(s, *rss);
}

DeploymentController::Scaled DeploymentController::reconcileNewReplicaSet(Sync &s,
                                                                          const ReplicaSets &rss)
{
    const int replicas = specReplicas(s.d);
    const int current = specReplicas(s.get(rss.newRS));
    if (current == replicas)
        return false;
    if (current > replicas)
        return scaleReplicaSetAndRecordEvent(s, rss.newRS, replicas);
    const int wanted = newRSNewReplicas(s.d, s.objects(rss.all()), s.get(rss.newRS));
    return scaleReplicaSetAndRecordEvent(s, rss.newRS, wanted);
}

DeploymentController::Scaled DeploymentController::reconcileOldReplicaSets(Sync &s,
                                                                           const ReplicaSets &rss)
{
    const QStringList oldActive = s.active(rss.oldRSs);
    if (sumSpecReplicas(s.objects(oldActive)) == 0)
        return false; // nothing to scale down
    const qint64 allPods = sumSpecReplicas(s.objects(rss.all()));
    const qint64 minAvailable = qint64(specReplicas(s.d)) - maxUnavailable(s.d);
    const QJsonObject newObject = s.get(rss.newRS);
    const qint64 newUnavailable =
        qint64(specReplicas(newObject)) - statusInt(newObject, u"availableReplicas");
    const int maxScaledDown = saturate(allPods - minAvailable - newUnavailable);
    if (maxScaledDown <= 0)
        return false;

    // Unhealthy old replicas go first; they do not count against availability.
    const std::optional<int> cleaned = cleanupUnhealthyReplicas(s, oldActive, maxScaledDown);
    if (!cleaned)
        return std::nullopt;
    const std::optional<int> scaledDown =
        scaleDownOldReplicaSetsForRollingUpdate(s, QStringList(oldActive) << rss.newRS, oldActive);
    if (!scaledDown)
        return std::nullopt;
    return *cleaned + *scaledDown > 0;
}

std::optional<int> DeploymentController::cleanupUnhealthyReplicas(Sync &s, QStringList oldRSs,
                                                                  int maxCleanup)
{
    s.sortByCreation(oldRSs);
    int total = 0;
    for (const QString &uid : std::as_const(oldRSs)) {
        if (total >= maxCleanup)
            break;
        const QJsonObject rs = s.rs.value(uid);
        const int replicas = specReplicas(rs);
        const int available = statusInt(rs, u"availableReplicas");
        if (replicas == 0 || replicas == available)
            continue;
        const int count = saturate(qMin<qint64>(maxCleanup - total, qint64(replicas) - available));
        const int newCount = saturate(qint64(replicas) - count);
        if (newCount > replicas)
            return std::nullopt; // cannot happen with sane statuses; the real controller errors too
        if (!scaleReplicaSetAndRecordEvent(s, uid, newCount))
            return std::nullopt;
        total += count;
    }
    return total;
}

std::optional<int>
DeploymentController::scaleDownOldReplicaSetsForRollingUpdate(Sync &s, const QStringList &allRSs,
                                                              QStringList oldRSs)
{
    const qint64 minAvailable = qint64(specReplicas(s.d)) - maxUnavailable(s.d);
    const qint64 available = sumStatus(s.objects(allRSs), u"availableReplicas");
    if (available <= minAvailable)
        return 0;
    s.sortByCreation(oldRSs);
    const int toScaleDown = saturate(available - minAvailable);
    int total = 0;
    for (const QString &uid : std::as_const(oldRSs)) {
        if (total >= toScaleDown)
            break;
        const int replicas = specReplicas(s.rs.value(uid));
        if (replicas == 0)
            continue;
        const int count = qMin(replicas, toScaleDown - total);
        if (!scaleReplicaSetAndRecordEvent(s, uid, replicas - count))
            return std::nullopt;
        total += count;
    }
    return total;
}

bool DeploymentController::rolloutRecreate(Sync &s)
{
    // No new RS yet: scaling up before the old pods are gone is what Recreate avoids.
    std::optional<ReplicaSets> rss = getAllReplicaSetsAndSyncRevision(s, false);
    if (!rss)
        return false;

    bool scaledDown = false;
    for (const QString &uid : s.active(rss->oldRSs)) {
        const Scaled scaled = scaleReplicaSetAndRecordEvent(s, uid, 0);
        if (!scaled)
            return false;
        scaledDown = scaledDown || *scaled;
    }
    if (scaledDown || oldPodsRunning(s, *rss))
        return syncRolloutStatus(s, *rss);

    if (rss->newRS.isEmpty()) {
        rss = getAllReplicaSetsAndSyncRevision(s, true);
        if (!rss)
            return false;
        if (rss->newRS.isEmpty())
            return true;
    }
    if (!scaleReplicaSetAndRecordEvent(s, rss->newRS, specReplicas(s.d)))
        return false;
    if (deploymentComplete(s.d, s.d.value(u"status").toObject()) &&
        !cleanupDeployment(s, rss->oldRSs))
        return false;
    return syncRolloutStatus(s, *rss);
}

bool DeploymentController::oldPodsRunning(Sync &s, const ReplicaSets &rss) const
{
    if (sumStatus(s.objects(rss.oldRSs), u"replicas") > 0)
        return true;
    // Any pod of an old RS that is not Succeeded/Failed (terminating ones included) counts.
    for (const QString &uid : std::as_const(s.rsList)) {
        if (uid == rss.newRS)
            continue;
        if (m_podCountsByRs.value(uid).nonTerminal > 0)
            return true;
    }
    return false;
}

bool DeploymentController::cleanupDeployment(Sync &s, const QStringList &oldRSs)
{
    if (!hasRevisionHistoryLimit(s.d))
        return true;
    QStringList cleanable;
    for (const QString &uid : oldRSs) {
        if (!json::isBeingDeleted(s.rs.value(uid)))
            cleanable << uid;
    }
    const qint64 limit = json::integer(s.d, {u"spec", u"revisionHistoryLimit"});
    const qint64 diff = cleanable.size() - limit;
    if (diff <= 0)
        return true;
    // ReplicaSetsByRevision: revision, then creation time.
    std::sort(cleanable.begin(), cleanable.end(), [&s](const QString &a, const QString &b) {
        const qint64 ra = revision(s.rs.value(a));
        const qint64 rb = revision(s.rs.value(b));
        if (ra != rb)
            return ra < rb;
        return createdBefore(s.rs.value(a), s.rs.value(b));
    });
    for (qint64 i = 0; i < diff; ++i) {
        const QJsonObject rs = s.rs.value(cleanable.at(i));
        // Only RSs that are empty and fully observed go.
        if (statusInt(rs, u"replicas") != 0 || specReplicas(rs) != 0 ||
            json::integer(rs, {u"metadata", u"generation"}) >
                json::integer(rs, {u"status", u"observedGeneration"}) ||
            json::isBeingDeleted(rs))
            continue;
        const auto removed =
            m_ctx.registry->remove(Resources::replicaSets(), json::ns(rs), json::name(rs));
        if (!removed && removed.error().httpStatus != 404)
            return false;
    }
    return true;
}

DeploymentController::Scaled
DeploymentController::scaleReplicaSetAndRecordEvent(Sync &s, const QString &uid, int newScale)
{
    if (specReplicas(s.rs.value(uid)) == newScale)
        return false;
    const QString operation =
        specReplicas(s.rs.value(uid)) < newScale ? QStringLiteral("up") : QStringLiteral("down");
    return scaleReplicaSet(s, uid, newScale, operation);
}

DeploymentController::Scaled DeploymentController::scaleReplicaSet(Sync &s, const QString &uid,
                                                                   int newScale,
                                                                   const QString &operation)
{
    const QJsonObject rs = s.rs.value(uid);
    const int oldScale = specReplicas(rs);
    const bool sizeNeedsUpdate = oldScale != newScale;
    const int desired = specReplicas(s.d);
    const int maxReplicas = saturate(qint64(desired) + maxSurge(s.d));
    const bool annotationsNeedUpdate = replicasAnnotationsNeedUpdate(rs, desired, maxReplicas);
    if (!sizeNeedsUpdate && !annotationsNeedUpdate)
        return false;
    const auto updated = m_ctx.registry->modify(Resources::replicaSets(), json::ns(rs),
                                                json::name(rs), [&](QJsonObject &o) {
                                                    json::set(o, {u"spec", u"replicas"}, newScale);
                                                    setReplicasAnnotations(o, desired, maxReplicas);
                                                    return true;
                                                });
    if (!updated)
        return std::nullopt;
    s.rs.insert(uid, updated.value());
    if (sizeNeedsUpdate) {
        m_ctx.events->normal(s.d, deploymentControllerComponent(),
                             QStringLiteral("ScalingReplicaSet"),
                             QStringLiteral("Scaled %1 replica set %2 to %3 from %4")
                                 .arg(operation, json::name(rs))
                                 .arg(newScale)
                                 .arg(oldScale));
    }
    return sizeNeedsUpdate;
}

// --- status -----------------------------------------------------------------------------------

QJsonObject DeploymentController::calculateStatus(const Sync &s, const ReplicaSets &rss) const
{
    const QList<QJsonObject> all = s.objects(rss.all());
    const int available = saturate(sumStatus(all, u"availableReplicas"));
    const int unavailable = saturate(qMax<qint64>(0, sumSpecReplicas(all) - available));
    const QJsonObject old = s.d.value(u"status").toObject();

    // Every counter is omitempty in the API's JSON.
    QJsonObject status;
    auto put = [&status](const QString &field, qint64 value) {
        if (value != 0)
            status.insert(field, value);
    };
    put(QStringLiteral("observedGeneration"), json::integer(s.d, {u"metadata", u"generation"}));
    put(QStringLiteral("replicas"), saturate(sumStatus(all, u"replicas")));
    put(QStringLiteral("updatedReplicas"), statusInt(s.get(rss.newRS), u"replicas"));
    put(QStringLiteral("readyReplicas"), saturate(sumStatus(all, u"readyReplicas")));
    put(QStringLiteral("availableReplicas"), available);
    put(QStringLiteral("unavailableReplicas"), unavailable);
    if (old.contains(u"collisionCount"))
        status.insert(QStringLiteral("collisionCount"), old.value(u"collisionCount"));
    if (old.contains(u"conditions"))
        status.insert(QStringLiteral("conditions"), old.value(u"conditions"));

    const qint64 now = m_ctx.clock->nowMs();
    if (available >= specReplicas(s.d) - maxUnavailable(s.d))
        setCondition(status, newCondition(QStringLiteral("Available"), QStringLiteral("True"),
                                          l1(kMinimumReplicasAvailable),
                                          QStringLiteral("Deployment has minimum availability."),
                                          m_ctx.clock->toWallMs(now)));
    else
        setCondition(status,
                     newCondition(QStringLiteral("Available"), QStringLiteral("False"),
                                  l1(kMinimumReplicasUnavailable),
                                  QStringLiteral("Deployment does not have minimum availability."),
                                  m_ctx.clock->toWallMs(now)));
    return status;
}

bool DeploymentController::syncDeploymentStatus(Sync &s, const ReplicaSets &rss)
{
    const QJsonObject newStatus = calculateStatus(s, rss);
    if (newStatus == s.d.value(u"status").toObject())
        return true;
    s.d.insert(QStringLiteral("status"), newStatus);
    return writeStatus(s);
}

bool DeploymentController::syncRolloutStatus(Sync &s, const ReplicaSets &rss)
{
    const qint64 now = m_ctx.clock->nowMs();
    QJsonObject newStatus = calculateStatus(s, rss);
    if (!hasProgressDeadline(s.d))
        removeCondition(newStatus, u"Progressing");

    const QJsonObject current = getCondition(s.d.value(u"status").toObject(), u"Progressing");
    const bool isComplete = ctrl::toInt(newStatus.value(u"replicas")) ==
                                ctrl::toInt(newStatus.value(u"updatedReplicas")) &&
                            current.value(u"reason").toString() == l1(kNewRSAvailable);
    // The messages name the new ReplicaSet, or the deployment while it has none.
    const QString newName = json::name(s.get(rss.newRS));
    const QString subject = newName.isEmpty()
                                ? QStringLiteral("Deployment \"%1\"").arg(json::name(s.d))
                                : QStringLiteral("ReplicaSet \"%1\"").arg(newName);
    if (hasProgressDeadline(s.d) && !isComplete) {
        if (deploymentComplete(s.d, newStatus)) {
            const QString message = subject + QStringLiteral(" has successfully progressed.");
            setCondition(newStatus,
                         newCondition(QStringLiteral("Progressing"), QStringLiteral("True"),
                                      l1(kNewRSAvailable), message, m_ctx.clock->toWallMs(now)));
        } else if (deploymentProgressing(s.d, newStatus)) {
            const QString message = subject + QStringLiteral(" is progressing.");
            QJsonObject condition =
                newCondition(QStringLiteral("Progressing"), QStringLiteral("True"),
                             l1(kReplicaSetUpdated), message, m_ctx.clock->toWallMs(now));
            // Progress refreshes lastUpdateTime even with the same reason; lastTransitionTime
            // stays while the condition stays True.
            if (!current.isEmpty()) {
                if (current.value(u"status").toString() == u"True")
                    condition.insert(QStringLiteral("lastTransitionTime"),
                                     current.value(u"lastTransitionTime"));
                removeCondition(newStatus, u"Progressing");
            }
            setCondition(newStatus, condition);
        } else if (deploymentTimedOut(s.d, newStatus, *m_ctx.clock)) {
            const QString message = subject + QStringLiteral(" has timed out progressing.");
            setCondition(newStatus,
                         newCondition(QStringLiteral("Progressing"), QStringLiteral("False"),
                                      l1(kTimedOut), message, m_ctx.clock->toWallMs(now)));
        }
    }

    // ReplicaSet failures (FailedCreate/FailedDelete) show on the deployment; the new RS's
    // take precedence.
    QJsonObject failure;
    QList<QJsonObject> candidates;
    if (!rss.newRS.isEmpty())
        candidates << s.get(rss.newRS);
    candidates << s.objects(rss.all());
    for (const QJsonObject &rs : std::as_const(candidates)) {
        const QJsonObject c =
            ctrl::findCondition(rs.value(u"status").toObject(), u"ReplicaFailure");
        if (!c.isEmpty()) {
            failure = c;
            break;
        }
    }
    if (!failure.isEmpty()) {
        QJsonObject condition = failure;
        condition.insert(QStringLiteral("lastUpdateTime"), failure.value(u"lastTransitionTime"));
        setCondition(newStatus, condition);
    } else {
        removeCondition(newStatus, u"ReplicaFailure");
    }

    if (newStatus == s.d.value(u"status").toObject()) {
        requeueStuckDeployment(s, newStatus);
        return true;
    }
    s.d.insert(QStringLiteral("status"), newStatus);
    return writeStatus(s);
}

void DeploymentController::requeueStuckDeployment(const Sync &s, const QJsonObject &newStatus)
{
    const QJsonObject current = getCondition(s.d.value(u"status").toObject(), u"Progressing");
    if (!hasProgressDeadline(s.d) || current.isEmpty())
        return;
    if (deploymentComplete(s.d, newStatus) || current.value(u"reason").toString() == l1(kTimedOut))
        return;
    const qint64 lastUpdate =
        m_ctx.clock->parseTimestamp(current.value(u"lastUpdateTime").toString());
    if (lastUpdate < 0)
        return;
    const qint64 deadlineMs = json::integer(s.d, {u"spec", u"progressDeadlineSeconds"}) * 1000;
    const qint64 after = lastUpdate + deadlineMs - m_ctx.clock->nowMs();
    if (after >= 1000) {
        // A second more, against millisecond skew (as the real controller does).
        m_queue.enqueueAfter(s.key, after + 1000);
    } else if (after >= 0) {
        // The real controller polls through its rate limiter here; the check turns true the
        // first millisecond after the deadline, so look exactly then.
        m_queue.enqueueAfter(s.key, after + 1);
    } else {
        // Past the deadline yet not timed out (a completed rollout that was scaled since):
        // the real controller polls at its rate limit until the pods are available.
        m_queue.enqueueAfter(s.key, 1000);
    }
}

bool DeploymentController::writeStatus(Sync &s)
{
    const QJsonObject status = s.d.value(u"status").toObject();
    const QJsonValue annotations = json::get(s.d, {u"metadata", u"annotations"});
    const auto written = m_ctx.registry->modify(
        Resources::deployments(), json::ns(s.d), json::name(s.d),
        [&](QJsonObject &o) {
            o.insert(QStringLiteral("status"), status);
            json::set(o, {u"metadata", u"annotations"}, annotations);
            return true;
        },
        Subresource::Status);
    if (!written)
        return false;
    s.d = written.value();
    return true;
}

} // namespace rollscope::sim
