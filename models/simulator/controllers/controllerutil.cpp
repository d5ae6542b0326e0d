// SPDX-License-Identifier: MIT
#include "controllerutil.h"

#include "simulator/json.h"
#include "simulator/store.h"

namespace rollscope::sim::ctrl {

QString key(const QString &ns, const QString &name)
{
    return ns.isEmpty() ? name : QString(ns + u'/' + name);
}

QString keyOf(const QJsonObject &object)
{
    return key(json::ns(object), json::name(object));
}

std::pair<QString, QString> splitKey(const QString &k)
{
    const qsizetype slash = k.indexOf(u'/');
    if (slash < 0)
        return {QString(), k};
    return {k.left(slash), k.mid(slash + 1)};
}

QList<OwnerRef> ownerRefs(const QJsonObject &object)
{
    QList<OwnerRef> refs;
    const QJsonArray array =
        object.value(u"metadata").toObject().value(u"ownerReferences").toArray();
    refs.reserve(array.size());
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        refs << OwnerRef{
            o.value(u"apiVersion").toString(), o.value(u"kind").toString(),
            o.value(u"name").toString(),       o.value(u"uid").toString(),
            o.value(u"controller").toBool(),   o.value(u"blockOwnerDeletion").toBool()};
    }
    return refs;
}

std::optional<OwnerRef> controllerRef(const QJsonObject &object)
{
    const QJsonArray array =
        object.value(u"metadata").toObject().value(u"ownerReferences").toArray();
    for (const QJsonValue &v : array) {
        const QJsonObject o = v.toObject();
        if (o.value(u"controller").toBool())
            return OwnerRef{o.value(u"apiVersion").toString(),
                            o.value(u"kind").toString(),
                            o.value(u"name").toString(),
                            o.value(u"uid").toString(),
                            true,
                            o.value(u"blockOwnerDeletion").toBool()};
    }
    return std::nullopt;
}

QJsonObject newControllerRef(const QJsonObject &owner)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), owner.value(u"apiVersion")},
        {QStringLiteral("kind"), owner.value(u"kind")},
        {QStringLiteral("name"), json::name(owner)},
        {QStringLiteral("uid"), json::uid(owner)},
        {QStringLiteral("controller"), true},
        {QStringLiteral("blockOwnerDeletion"), true},
    };
}

void addControllerRef(QJsonObject &object, const QJsonObject &owner)
{
    QJsonArray refs = json::array(object, {u"metadata", u"ownerReferences"});
    refs.append(newControllerRef(owner));
    json::set(object, {u"metadata", u"ownerReferences"}, refs);
}

void removeOwnerRefs(QJsonObject &object, const QSet<QString> &ownerUids)
{
    QJsonArray refs = json::array(object, {u"metadata", u"ownerReferences"});
    for (qsizetype i = refs.size() - 1; i >= 0; --i) {
        if (ownerUids.contains(refs.at(i).toObject().value(u"uid").toString()))
            refs.removeAt(i);
    }
    json::set(object, {u"metadata", u"ownerReferences"},
              refs.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(refs));
}

const PodFacts &podFacts(const StoreEvent &event)
{
    // One entry: the listeners of one store change run back to back. uid + resourceVersion
    // identify an object version even across several stores (uids are random).
    thread_local PodFacts cache;
    thread_local EventType cachedType = EventType::Added;
    const QJsonObject &pod = event.object;
    const QJsonObject metadata = pod.value(u"metadata").toObject();
    const QString uid = metadata.value(u"uid").toString();
    const QString resourceVersion = metadata.value(u"resourceVersion").toString();
    if (!cache.uid.isEmpty() && cache.uid == uid && cache.resourceVersion == resourceVersion &&
        cachedType == event.type)
        return cache;

    PodFacts f;
    f.uid = uid;
    f.resourceVersion = resourceVersion;
    f.ns = metadata.value(u"namespace").toString();
    f.name = metadata.value(u"name").toString();
    f.key = key(f.ns, f.name);
    f.labels = metadata.value(u"labels").toObject();
    f.deleting =
        metadata.contains(u"deletionTimestamp") && !metadata.value(u"deletionTimestamp").isNull();
    const QJsonArray finalizers = metadata.value(u"finalizers").toArray();
    f.hasFinalizers = !finalizers.isEmpty();
    for (const QJsonValue &v : finalizers) {
        const QString finalizer = v.toString();
        f.foregroundFinalizer = f.foregroundFinalizer || finalizer == u"foregroundDeletion";
        f.orphanFinalizer = f.orphanFinalizer || finalizer == u"orphan";
    }
    for (const QJsonValue &v : metadata.value(u"ownerReferences").toArray()) {
        const QJsonObject o = v.toObject();
        OwnerRef ref{o.value(u"apiVersion").toString(), o.value(u"kind").toString(),
                     o.value(u"name").toString(),       o.value(u"uid").toString(),
                     o.value(u"controller").toBool(),   o.value(u"blockOwnerDeletion").toBool()};
        if (ref.controller && f.controllerUid.isEmpty())
            f.controllerUid = ref.uid;
        f.owners << ref;
    }
    const QJsonObject spec = pod.value(u"spec").toObject();
    f.nodeName = spec.value(u"nodeName").toString();
    f.schedulerName = spec.value(u"schedulerName").toString();
    for (const QJsonValue &c : spec.value(u"containers").toArray()) {
        for (const QJsonValue &p : c.toObject().value(u"ports").toArray())
            f.ports.append(p);
    }
    const QJsonObject status = pod.value(u"status").toObject();
    f.phase = status.value(u"phase").toString();
    f.podIp = status.value(u"podIP").toString();
    f.terminal = f.phase == u"Succeeded" || f.phase == u"Failed";
    f.active = !f.terminal && !f.deleting;
    for (const QJsonValue &v : status.value(u"conditions").toArray()) {
        const QJsonObject c = v.toObject();
        if (c.value(u"type").toString() != u"Ready")
            continue;
        f.ready = c.value(u"status").toString() == u"True";
        if (f.ready)
            f.readySinceMs = json::parseTimestamp(c.value(u"lastTransitionTime").toString());
        break;
    }
    cache = std::move(f);
    cachedType = event.type;
    return cache;
}

bool isPodTerminal(const QJsonObject &pod)
{
    const QString phase = pod.value(u"status").toObject().value(u"phase").toString();
    return phase == u"Succeeded" || phase == u"Failed";
}

bool isPodActive(const QJsonObject &pod)
{
    return !isPodTerminal(pod) && !json::isBeingDeleted(pod);
}

QJsonObject findCondition(const QJsonObject &status, QStringView type)
{
    const QJsonArray conditions = status.value(u"conditions").toArray();
    for (const QJsonValue &v : conditions) {
        const QJsonObject c = v.toObject();
        if (c.value(u"type").toString() == type)
            return c;
    }
    return {};
}

bool isPodReady(const QJsonObject &pod)
{
    return findCondition(pod.value(u"status").toObject(), u"Ready").value(u"status").toString() ==
           u"True";
}

qint64 podReadySinceMs(const QJsonObject &pod)
{
    const QJsonObject c = findCondition(pod.value(u"status").toObject(), u"Ready");
    if (c.value(u"status").toString() != u"True")
        return -1;
    return json::parseTimestamp(c.value(u"lastTransitionTime").toString());
}

int maxContainerRestarts(const QJsonObject &pod)
{
    int most = 0;
    const QJsonArray statuses =
        pod.value(u"status").toObject().value(u"containerStatuses").toArray();
    for (const QJsonValue &v : statuses)
        most = qMax(most, toInt(v.toObject().value(u"restartCount")));
    return most;
}

void setPodCondition(QJsonObject &podStatus, const QString &type, const QString &status,
                     const QString &reason, const QString &message, qint64 nowMs)
{
    QJsonArray conditions = podStatus.value(u"conditions").toArray();
    qsizetype index = -1;
    for (qsizetype i = 0; i < conditions.size(); ++i) {
        if (conditions.at(i).toObject().value(u"type").toString() == type) {
            index = i;
            break;
        }
    }
    QJsonObject c;
    c.insert(QStringLiteral("type"), type);
    c.insert(QStringLiteral("status"), status);
    c.insert(QStringLiteral("lastProbeTime"), QJsonValue(QJsonValue::Null));
    QString transition = json::timestamp(nowMs);
    if (index >= 0) {
        const QJsonObject old = conditions.at(index).toObject();
        if (old.value(u"status").toString() == status)
            transition = old.value(u"lastTransitionTime").toString();
    }
    c.insert(QStringLiteral("lastTransitionTime"), transition);
    if (!reason.isEmpty())
        c.insert(QStringLiteral("reason"), reason);
    if (!message.isEmpty())
        c.insert(QStringLiteral("message"), message);
    if (index >= 0)
        conditions.replace(index, c);
    else
        conditions.append(c);
    podStatus.insert(QStringLiteral("conditions"), conditions);
}

int toInt(const QJsonValue &value, int fallback)
{
    return value.isDouble() ? int(value.toInteger()) : fallback;
}

} // namespace rollscope::sim::ctrl
