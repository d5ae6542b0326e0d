// SPDX-License-Identifier: MIT
#include "deploymentutil.h"

#include "controllerutil.h"
#include "simulator/clock.h"
#include "simulator/json.h"
#include "simulator/registry.h"

#include <QJsonArray>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace rollscope::sim::deployutil {

namespace {

QLatin1StringView l1(const char *text)
{
    return QLatin1StringView(text);
}

QJsonValue strategyValue(const QJsonObject &d, QStringView field)
{
    return d.value(u"spec")
        .toObject()
        .value(u"strategy")
        .toObject()
        .value(u"rollingUpdate")
        .toObject()
        .value(field);
}

// ResolveFenceposts: surge rounds up, unavailable down; both 0 makes unavailable 1.
std::pair<int, int> fenceposts(const QJsonObject &d)
{
    const int desired = specReplicas(d);
    QJsonValue surgeValue = strategyValue(d, u"maxSurge");
    QJsonValue unavailableValue = strategyValue(d, u"maxUnavailable");
    if (surgeValue.isUndefined() || surgeValue.isNull())
        surgeValue = 0;
    if (unavailableValue.isUndefined() || unavailableValue.isNull())
        unavailableValue = 0;
    const int surge = scaledValue(surgeValue, desired, true);
    int unavailable = scaledValue(unavailableValue, desired, false);
    if (surge == 0 && unavailable == 0)
        unavailable = 1;
    return {surge, unavailable};
}

// apiequality.Semantic does not tell a nil map or slice from an empty one; JSON adds null.
QJsonValue normalized(const QJsonValue &value);

QJsonObject normalizedObject(const QJsonObject &object)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QJsonValue v = normalized(it.value());
        if (v.isNull() || v.isUndefined())
            continue;
        if (v.isObject() && v.toObject().isEmpty())
            continue;
        if (v.isArray() && v.toArray().isEmpty())
            continue;
        out.insert(it.key(), v);
    }
    return out;
}

QJsonValue normalized(const QJsonValue &value)
{
    if (value.isObject())
        return normalizedObject(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(normalized(v));
        return out;
    }
    return value;
}

QJsonObject withoutHashLabel(QJsonObject podTemplate)
{
    QJsonObject metadata = podTemplate.value(u"metadata").toObject();
    QJsonObject labels = metadata.value(u"labels").toObject();
    if (!labels.contains(l1(kPodTemplateHash)))
        return podTemplate;
    labels.remove(l1(kPodTemplateHash));
    if (labels.isEmpty())
        metadata.remove(QStringLiteral("labels"));
    else
        metadata.insert(QStringLiteral("labels"), labels);
    podTemplate.insert(QStringLiteral("metadata"), metadata);
    return podTemplate;
}

} // namespace

int saturate(qint64 value)
{
    constexpr qint64 lowest = std::numeric_limits<int>::min();
    constexpr qint64 highest = std::numeric_limits<int>::max();
    return int(value < lowest ? lowest : value > highest ? highest : value);
}

namespace {

int readInt(const QJsonValue &value, int fallback)
{
    if (!value.isDouble())
        return fallback;
    const double d = value.toDouble();
    if (d >= double(std::numeric_limits<int>::max()))
        return std::numeric_limits<int>::max();
    if (d <= double(std::numeric_limits<int>::min()))
        return std::numeric_limits<int>::min();
    return saturate(value.toInteger());
}

} // namespace

int specReplicas(const QJsonObject &object)
{
    return readInt(object.value(u"spec").toObject().value(u"replicas"), 1);
}

int statusInt(const QJsonObject &object, QStringView field)
{
    return readInt(object.value(u"status").toObject().value(field), 0);
}

bool isRollingUpdate(const QJsonObject &d)
{
    return json::string(d, {u"spec", u"strategy", u"type"}) == u"RollingUpdate";
}

bool isPaused(const QJsonObject &d)
{
    return json::boolean(d, {u"spec", u"paused"});
}

bool hasProgressDeadline(const QJsonObject &d)
{
    const QJsonValue v = json::get(d, {u"spec", u"progressDeadlineSeconds"});
    return v.isDouble() && v.toInteger() != INT_MAX;
}

bool hasRevisionHistoryLimit(const QJsonObject &d)
{
    const QJsonValue v = json::get(d, {u"spec", u"revisionHistoryLimit"});
    return v.isDouble() && v.toInteger() != INT_MAX;
}

int maxSurge(const QJsonObject &d)
{
    if (!isRollingUpdate(d))
        return 0;
    return fenceposts(d).first;
}

int maxUnavailable(const QJsonObject &d)
{
    const int replicas = specReplicas(d);
    if (!isRollingUpdate(d) || replicas == 0)
        return 0;
    return qMin(fenceposts(d).second, replicas);
}

QString safeEncode(const QString &text)
{
    static const QString alphabet = QStringLiteral("bcdfghjklmnpqrstvwxz2456789");
    QString out;
    out.reserve(text.size());
    for (const QChar c : text)
        out += alphabet.at(int(c.unicode() % alphabet.size()));
    return out;
}

QString computeHash(const QJsonObject &podTemplate, std::optional<qint64> collisionCount)
{
    // FNV-1a, 32 bits, over the template's canonical JSON (QJsonObject keeps keys sorted, so
    // equal templates give equal bytes), then the collision count as eight little-endian bytes.
    quint32 hash = 2166136261u;
    auto feed = [&hash](uchar byte) {
        hash ^= byte;
        hash *= 16777619u;
    };
    for (const char byte : json::compact(podTemplate))
        feed(uchar(byte));
    if (collisionCount) {
        const quint32 count = quint32(*collisionCount);
        for (int i = 0; i < 4; ++i)
            feed(uchar((count >> (8 * i)) & 0xff));
        for (int i = 0; i < 4; ++i)
            feed(0);
    }
    return safeEncode(QString::number(hash));
}

bool equalIgnoreHash(const QJsonObject &a, const QJsonObject &b)
{
    const QJsonObject x = withoutHashLabel(a);
    const QJsonObject y = withoutHashLabel(b);
    if (x == y)
        return true;
    return normalizedObject(x) == normalizedObject(y);
}

qint64 revision(const QJsonObject &object)
{
    bool ok = false;
    const qint64 value = json::annotation(object, QString(l1(kRevision))).toLongLong(&ok);
    return ok ? value : 0;
}

qint64 maxRevision(const QList<QJsonObject> &replicaSets)
{
    qint64 most = 0;
    for (const QJsonObject &rs : replicaSets) {
        if (!rs.isEmpty())
            most = qMax(most, revision(rs));
    }
    return most;
}

bool createdBefore(const QJsonObject &a, const QJsonObject &b)
{
    // RFC 3339 in UTC with second precision sorts as text.
    const QString ta = json::string(a, {u"metadata", u"creationTimestamp"});
    const QString tb = json::string(b, {u"metadata", u"creationTimestamp"});
    if (ta != tb)
        return ta < tb;
    return json::name(a) < json::name(b);
}

void sortByCreation(QList<QJsonObject> &replicaSets)
{
    std::sort(replicaSets.begin(), replicaSets.end(), createdBefore);
}

QJsonObject findNewReplicaSet(const QJsonObject &deployment, QList<QJsonObject> replicaSets)
{
    sortByCreation(replicaSets);
    const QJsonObject wanted = json::object(deployment, {u"spec", u"template"});
    for (const QJsonObject &rs : std::as_const(replicaSets)) {
        if (equalIgnoreHash(json::object(rs, {u"spec", u"template"}), wanted))
            return rs;
    }
    return {};
}

int newRSNewReplicas(const QJsonObject &deployment, const QList<QJsonObject> &allReplicaSets,
                     const QJsonObject &newReplicaSet)
{
    const int replicas = specReplicas(deployment);
    if (!isRollingUpdate(deployment))
        return replicas; // Recreate
    const qint64 newReplicas = specReplicas(newReplicaSet);
    const qint64 current = sumSpecReplicas(allReplicaSets);
    const qint64 maxTotal = qint64(replicas) + maxSurge(deployment);
    if (current >= maxTotal)
        return int(newReplicas);
    const qint64 scaleUp = qMin(maxTotal - current, replicas - newReplicas);
    return saturate(newReplicas + scaleUp);
}

qint64 sumSpecReplicas(const QList<QJsonObject> &replicaSets)
{
    qint64 total = 0;
    for (const QJsonObject &rs : replicaSets) {
        if (!rs.isEmpty())
            total += specReplicas(rs);
    }
    return total;
}

qint64 sumStatus(const QList<QJsonObject> &replicaSets, QStringView field)
{
    qint64 total = 0;
    for (const QJsonObject &rs : replicaSets) {
        if (!rs.isEmpty())
            total += statusInt(rs, field);
    }
    return total;
}

QList<QJsonObject> filterActive(const QList<QJsonObject> &replicaSets)
{
    QList<QJsonObject> active;
    for (const QJsonObject &rs : replicaSets) {
        if (!rs.isEmpty() && specReplicas(rs) > 0)
            active << rs;
    }
    return active;
}

bool replicasAnnotationsNeedUpdate(const QJsonObject &rs, int desired, int maxReplicas)
{
    return json::annotation(rs, QString(l1(kDesiredReplicas))) != QString::number(desired) ||
           json::annotation(rs, QString(l1(kMaxReplicas))) != QString::number(maxReplicas);
}

void setReplicasAnnotations(QJsonObject &rs, int desired, int maxReplicas)
{
    json::setAnnotation(rs, QString(l1(kDesiredReplicas)), QString::number(desired));
    json::setAnnotation(rs, QString(l1(kMaxReplicas)), QString::number(maxReplicas));
}

bool skipCopyAnnotation(const QString &key)
{
    return key == l1(kLastApplied) || key == l1(kRevision) || key == l1(kRevisionHistory) ||
           key == l1(kDesiredReplicas) || key == l1(kMaxReplicas) || key == l1(kRollbackTo);
}

bool setNewReplicaSetAnnotations(const QJsonObject &deployment, QJsonObject &rs,
                                 const QString &newRevision, bool exists)
{
    QJsonObject metadata = rs.value(u"metadata").toObject();
    QJsonObject annotations = metadata.value(u"annotations").toObject();
    bool changed = false;
    // copyDeploymentAnnotationsToReplicaSet: add and overwrite, never remove.
    const QJsonObject source = json::object(deployment, {u"metadata", u"annotations"});
    for (auto it = source.begin(); it != source.end(); ++it) {
        if (skipCopyAnnotation(it.key()))
            continue;
        if (annotations.contains(it.key()) && annotations.value(it.key()) == it.value())
            continue;
        annotations.insert(it.key(), it.value());
        changed = true;
    }

    const QString revisionKey = l1(kRevision);
    const bool hadRevision = annotations.contains(revisionKey);
    const QString oldRevision = annotations.value(revisionKey).toString();
    bool oldOk = false;
    qint64 oldValue = oldRevision.toLongLong(&oldOk);
    if (!oldOk) {
        if (!oldRevision.isEmpty()) {
            metadata.insert(QStringLiteral("annotations"), annotations);
            rs.insert(QStringLiteral("metadata"), metadata);
            return false; // not a number: left alone, as the real controller does
        }
        oldValue = 0;
    }
    bool newOk = false;
    const qint64 newValue = newRevision.toLongLong(&newOk);
    if (!newOk)
        return false;
    if (oldValue < newValue) {
        annotations.insert(revisionKey, newRevision);
        changed = true;
    }
    // A known RS raised to a new revision is a rollback: keep its old numbers.
    if (hadRevision && oldValue < newValue) {
        const QString historyKey = l1(kRevisionHistory);
        const QString history = annotations.value(historyKey).toString();
        QStringList old = history.split(u',');
        if (old.first().isEmpty()) {
            annotations.insert(historyKey, oldRevision);
        } else {
            qsizetype total = history.size() + oldRevision.size() + 1;
            qsizetype start = 0;
            while (total > kMaxRevisionHistoryChars && start < old.size()) {
                total -= old.at(start).size() + 1;
                ++start;
            }
            if (total <= kMaxRevisionHistoryChars) {
                old = old.mid(start);
                old << oldRevision;
                annotations.insert(historyKey, old.join(u','));
            }
        }
    }
    metadata.insert(QStringLiteral("annotations"), annotations);
    rs.insert(QStringLiteral("metadata"), metadata);
    if (!exists) {
        const int replicas = specReplicas(deployment);
        const int maxReplicas = saturate(qint64(replicas) + maxSurge(deployment));
        if (replicasAnnotationsNeedUpdate(rs, replicas, maxReplicas)) {
            setReplicasAnnotations(rs, replicas, maxReplicas);
            changed = true;
        }
    }
    return changed;
}

qint64 getProportion(const QJsonObject &rs, const QJsonObject &deployment, qint64 replicasToAdd,
                     qint64 replicasAdded)
{
    if (rs.isEmpty() || specReplicas(rs) == 0 || replicasToAdd == 0 ||
        replicasToAdd == replicasAdded)
        return 0;
    // getReplicaSetFraction
    qint64 fraction = 0;
    const int replicas = specReplicas(deployment);
    const int rsReplicas = specReplicas(rs);
    if (replicas == 0) {
        fraction = -rsReplicas;
    } else {
        const qint64 deploymentMax = qint64(replicas) + maxSurge(deployment);
        bool ok = false;
        int before = json::annotation(rs, QString(l1(kMaxReplicas))).toInt(&ok);
        if (!ok || before == 0)
            before = statusInt(deployment, u"replicas");
        if (before == 0)
            return 0;
        const double size = double(rsReplicas) * double(deploymentMax) / double(before);
        fraction = qint64(qBound(-9.0e15, std::round(size), 9.0e15)) - rsReplicas;
    }
    const qint64 allowed = replicasToAdd - replicasAdded;
    if (replicasToAdd > 0)
        return qMin(fraction, allowed);
    return qMax(fraction, allowed);
}

QJsonObject findActiveOrLatest(const QJsonObject &newRS, QList<QJsonObject> oldRSs)
{
    if (newRS.isEmpty() && oldRSs.isEmpty())
        return {};
    std::sort(oldRSs.begin(), oldRSs.end(),
              [](const QJsonObject &a, const QJsonObject &b) { return createdBefore(b, a); });
    QList<QJsonObject> all = oldRSs;
    all << newRS;
    const QList<QJsonObject> active = filterActive(all);
    if (active.isEmpty())
        return !newRS.isEmpty() ? newRS : oldRSs.first();
    if (active.size() == 1)
        return active.first();
    return {};
}

bool isSaturated(const QJsonObject &deployment, const QJsonObject &rs)
{
    if (rs.isEmpty())
        return false;
    bool ok = false;
    const int desired = json::annotation(rs, QString(l1(kDesiredReplicas))).toInt(&ok);
    if (!ok)
        return false;
    const int replicas = specReplicas(deployment);
    return specReplicas(rs) == replicas && desired == replicas &&
           statusInt(rs, u"availableReplicas") == replicas;
}

QJsonObject newCondition(const QString &type, const QString &status, const QString &reason,
                         const QString &message, qint64 nowMs)
{
    const QString now = json::timestamp(nowMs);
    return QJsonObject{
        {QStringLiteral("type"), type},          {QStringLiteral("status"), status},
        {QStringLiteral("lastUpdateTime"), now}, {QStringLiteral("lastTransitionTime"), now},
        {QStringLiteral("reason"), reason},      {QStringLiteral("message"), message},
    };
}

QJsonObject getCondition(const QJsonObject &status, QStringView type)
{
    return ctrl::findCondition(status, type);
}

void removeCondition(QJsonObject &status, QStringView type)
{
    const QJsonArray conditions = status.value(u"conditions").toArray();
    QJsonArray kept;
    for (const QJsonValue &v : conditions) {
        if (v.toObject().value(u"type").toString() != type)
            kept.append(v);
    }
    if (kept.isEmpty())
        status.remove(QStringLiteral("conditions"));
    else
        status.insert(QStringLiteral("conditions"), kept);
}

void setCondition(QJsonObject &status, QJsonObject condition)
{
    const QString type = condition.value(u"type").toString();
    const QJsonObject current = getCondition(status, type);
    if (!current.isEmpty() && current.value(u"status") == condition.value(u"status") &&
        current.value(u"reason") == condition.value(u"reason"))
        return;
    if (!current.isEmpty() && current.value(u"status") == condition.value(u"status"))
        condition.insert(QStringLiteral("lastTransitionTime"),
                         current.value(u"lastTransitionTime"));
    removeCondition(status, type);
    QJsonArray conditions = status.value(u"conditions").toArray();
    conditions.append(condition);
    status.insert(QStringLiteral("conditions"), conditions);
}

bool deploymentComplete(const QJsonObject &d, const QJsonObject &newStatus)
{
    const int replicas = specReplicas(d);
    return ctrl::toInt(newStatus.value(u"updatedReplicas")) == replicas &&
           ctrl::toInt(newStatus.value(u"replicas")) == replicas &&
           ctrl::toInt(newStatus.value(u"availableReplicas")) == replicas &&
           newStatus.value(u"observedGeneration").toInteger() >=
               json::integer(d, {u"metadata", u"generation"});
}

bool deploymentProgressing(const QJsonObject &d, const QJsonObject &newStatus)
{
    const QJsonObject old = d.value(u"status").toObject();
    auto get = [](const QJsonObject &s, QStringView f) { return ctrl::toInt(s.value(f)); };
    const qint64 oldOld = qint64(get(old, u"replicas")) - get(old, u"updatedReplicas");
    const qint64 newOld = qint64(get(newStatus, u"replicas")) - get(newStatus, u"updatedReplicas");
    return get(newStatus, u"updatedReplicas") > get(old, u"updatedReplicas") || newOld < oldOld ||
           get(newStatus, u"readyReplicas") > get(old, u"readyReplicas") ||
           get(newStatus, u"availableReplicas") > get(old, u"availableReplicas");
}

bool deploymentTimedOut(const QJsonObject &d, const QJsonObject &newStatus, const SimClock &clock)
{
    if (!hasProgressDeadline(d))
        return false;
    const QJsonObject condition = getCondition(newStatus, u"Progressing");
    if (condition.isEmpty())
        return false;
    const QString reason = condition.value(u"reason").toString();
    if (reason == l1(kNewRSAvailable))
        return false;
    if (reason == l1(kTimedOut))
        return true;
    const qint64 from = clock.parseTimestamp(condition.value(u"lastUpdateTime").toString());
    const qint64 deadline = json::integer(d, {u"spec", u"progressDeadlineSeconds"}) * 1000;
    return from >= 0 && from + deadline < clock.nowMs();
}

} // namespace rollscope::sim::deployutil
