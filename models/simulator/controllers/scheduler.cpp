// SPDX-License-Identifier: MIT
#include "scheduler.h"

#include "controllerutil.h"
#include "simulator/clock.h"
#include "simulator/eventrecorder.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/store.h"

#include <QMap>

#include <climits>

namespace rollscope::sim {

namespace {

constexpr qint64 kUnschedulableRetryMs = 300'000;

QString schedulerComponent()
{
    return QString::fromLatin1(Scheduler::kComponent);
}

bool tolerates(const QJsonArray &tolerations, const QJsonObject &taint)
{
    const QString key = taint.value(u"key").toString();
    const QString value = taint.value(u"value").toString();
    const QString effect = taint.value(u"effect").toString();
    for (const QJsonValue &v : tolerations) {
        const QJsonObject t = v.toObject();
        const QString tEffect = t.value(u"effect").toString();
        if (!tEffect.isEmpty() && tEffect != effect)
            continue;
        const QString op = t.value(u"operator").toString();
        const QString tKey = t.value(u"key").toString();
        if (tKey.isEmpty() && op == u"Exists")
            return true;
        if (tKey != key)
            continue;
        if (op == u"Exists" || t.value(u"value").toString() == value)
            return true;
    }
    return false;
}

QString taintText(const QJsonObject &taint)
{
    return QStringLiteral("{%1: %2}")
        .arg(taint.value(u"key").toString(), taint.value(u"value").toString());
}

} // namespace

Scheduler::Scheduler(const SimContext &context)
    : QueueController(context)
{
    inform(Resources::nodes(), [this](const StoreEvent &e) { onNode(e); });
    inform(Resources::pods(), [this](const StoreEvent &e) { onPod(e); });
}

void Scheduler::onNode(const StoreEvent &e)
{
    const QString name = json::name(e.object);
    if (e.type == EventType::Deleted) {
        m_nodes.remove(name);
        return;
    }
    NodeInfo info;
    info.ready = ctrl::findCondition(e.object.value(u"status").toObject(), u"Ready")
                     .value(u"status")
                     .toString() == u"True";
    info.unschedulable = json::boolean(e.object, {u"spec", u"unschedulable"});
    info.labels = json::labels(e.object);
    info.taints = json::array(e.object, {u"spec", u"taints"});
    const auto old = m_nodes.constFind(name);
    const bool changed = old == m_nodes.cend() || old->ready != info.ready ||
                         old->unschedulable != info.unschedulable || old->labels != info.labels ||
                         old->taints != info.taints;
    m_nodes.insert(name, info);
    if (!changed)
        return;
    // A node appeared or changed: the unschedulable pods try again (moveAllToActiveQueue).
    for (const QString &podKey : std::as_const(m_unschedulable))
        m_queue.enqueue(podKey);
}

void Scheduler::unplace(const QString &podKey)
{
    const auto it = m_placement.constFind(podKey);
    if (it == m_placement.cend())
        return;
    if (--m_podsOnNode[it->node] <= 0)
        m_podsOnNode.remove(it->node);
    if (!it->owner.isEmpty()) {
        auto owner = m_ownerOnNode.find(it->owner);
        if (owner != m_ownerOnNode.end()) {
            if (--(*owner)[it->node] <= 0)
                owner->remove(it->node);
            if (owner->isEmpty())
                m_ownerOnNode.erase(owner);
        }
    }
    m_placement.erase(it);
}

void Scheduler::onPod(const StoreEvent &e)
{
    const ctrl::PodFacts &pod = ctrl::podFacts(e);
    const QString key = pod.key;
    unplace(key);
    if (e.type == EventType::Deleted) {
        m_unschedulable.remove(key);
        return;
    }
    const QString node = pod.nodeName;
    if (!node.isEmpty()) {
        m_unschedulable.remove(key);
        if (pod.terminal)
            return;
        Placement placement{node, pod.controllerUid};
        ++m_podsOnNode[node];
        if (!placement.owner.isEmpty())
            ++m_ownerOnNode[placement.owner][node];
        m_placement.insert(key, placement);
        return;
    }
    if (!pod.schedulerName.isEmpty() && pod.schedulerName != schedulerComponent())
        return;
    if (pod.deleting || pod.terminal)
        return;
    // A new pending pod is queued; one already found unschedulable waits for a node change.
    if (e.type == EventType::Added || !m_unschedulable.contains(key))
        m_queue.enqueue(key);
}

void Scheduler::sync(const QString &podKey)
{
    const auto [ns, name] = ctrl::splitKey(podKey);
    const auto found = m_ctx.store->get(Resources::pods(), ns, name);
    if (!found) {
        m_unschedulable.remove(podKey);
        return;
    }
    QJsonObject pod = *found;
    if (!json::string(pod, {u"spec", u"nodeName"}).isEmpty() || json::isBeingDeleted(pod)) {
        m_unschedulable.remove(podKey);
        return;
    }
    const QJsonArray tolerations = json::array(pod, {u"spec", u"tolerations"});
    const QJsonObject nodeSelector = json::object(pod, {u"spec", u"nodeSelector"});

    // Filter.
    QStringList feasible;
    QMap<QString, int> reasons; // "node(s) ..." -> count
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        const NodeInfo &node = *it;
        if (node.unschedulable) {
            ++reasons[QStringLiteral("node(s) were unschedulable")];
            continue;
        }
        if (!node.ready) {
            const QJsonObject notReady{
                {QStringLiteral("key"), QStringLiteral("node.kubernetes.io/not-ready")},
                {QStringLiteral("effect"), QStringLiteral("NoSchedule")}};
            if (!tolerates(tolerations, notReady)) {
                ++reasons[QStringLiteral("node(s) had untolerated taint ") + taintText(notReady)];
                continue;
            }
        }
        bool taintBlocks = false;
        for (const QJsonValue &v : node.taints) {
            const QJsonObject taint = v.toObject();
            const QString effect = taint.value(u"effect").toString();
            if ((effect == u"NoSchedule" || effect == u"NoExecute") &&
                !tolerates(tolerations, taint)) {
                ++reasons[QStringLiteral("node(s) had untolerated taint ") + taintText(taint)];
                taintBlocks = true;
                break;
            }
        }
        if (taintBlocks)
            continue;
        bool selected = true;
        for (auto s = nodeSelector.begin(); s != nodeSelector.end(); ++s) {
            if (node.labels.value(s.key()) != s.value()) {
                selected = false;
                break;
            }
        }
        if (!selected) {
            ++reasons[QStringLiteral("node(s) didn't match Pod's node affinity/selector")];
            continue;
        }
        feasible << it.key();
    }

    const qint64 now = m_ctx.clock->nowMs();
    if (feasible.isEmpty()) {
        QString message;
        if (m_nodes.isEmpty()) {
            message = QStringLiteral("no nodes available to schedule pods");
        } else {
            QStringList parts;
            for (auto it = reasons.cbegin(); it != reasons.cend(); ++it)
                parts << QString::number(it.value()) + u' ' + it.key();
            const int total = int(m_nodes.size());
            message = QStringLiteral("0/%1 nodes are available: %2. preemption: 0/%1 nodes are "
                                     "available: %1 Preemption is not helpful for scheduling.")
                          .arg(total)
                          .arg(parts.join(QStringLiteral(", ")));
        }
        m_unschedulable.insert(podKey);
        const auto written = m_ctx.registry->modify(
            Resources::pods(), ns, name,
            [&](QJsonObject &o) {
                QJsonObject status = o.value(u"status").toObject();
                ctrl::setPodCondition(status, QStringLiteral("PodScheduled"),
                                      QStringLiteral("False"), QStringLiteral("Unschedulable"),
                                      message, m_ctx.clock->toWallMs(now));
                o.insert(QStringLiteral("status"), status);
                return true;
            },
            Subresource::Status);
        m_ctx.events->warning(written ? written.value() : pod, schedulerComponent(),
                              QStringLiteral("FailedScheduling"), message);
        m_queue.enqueueAfter(podKey, kUnschedulableRetryMs);
        return;
    }

    // Score: spread the owner's pods, then all pods; pick randomly among the best.
    QString owner;
    if (const auto ref = ctrl::controllerRef(pod))
        owner = ref->uid;
    const QHash<QString, int> ownerCounts = m_ownerOnNode.value(owner);
    QStringList best;
    std::pair<int, int> bestScore{INT_MAX, INT_MAX};
    for (const QString &node : std::as_const(feasible)) {
        const std::pair<int, int> score{owner.isEmpty() ? 0 : ownerCounts.value(node),
                                        m_podsOnNode.value(node)};
        if (score < bestScore) {
            bestScore = score;
            best = {node};
        } else if (score == bestScore) {
            best << node;
        }
    }
    const QString chosen =
        best.size() == 1 ? best.first() : best.at(int(m_ctx.random->bounded(quint32(best.size()))));

    // Bind (the pods/binding subresource): nodeName plus PodScheduled=True.
    json::set(pod, {u"spec", u"nodeName"}, chosen);
    QJsonObject status = pod.value(u"status").toObject();
    ctrl::setPodCondition(status, QStringLiteral("PodScheduled"), QStringLiteral("True"), {}, {},
                          m_ctx.clock->toWallMs(now));
    pod.insert(QStringLiteral("status"), status);
    m_unschedulable.remove(podKey);
    const QJsonObject bound = m_ctx.store->put(Resources::pods(), pod);
    // kube-scheduler reports through the events.k8s.io recorder: the instance is the scheduler
    // and its host (here the simulator), the action the binding.
    m_ctx.events->recordEventsV1(
        bound, QStringLiteral("Normal"), schedulerComponent(),
        schedulerComponent() + QStringLiteral("-rollscope-sim"), QStringLiteral("Binding"),
        QStringLiteral("Scheduled"),
        QStringLiteral("Successfully assigned %1/%2 to %3").arg(ns, name, chosen));
}

} // namespace rollscope::sim
