// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <optional>
#include <type_traits>
#include <utility>

namespace rollscope::sim {

struct ResourceType;
struct StoreEvent;

// Small pieces every controller needs: object keys, owner references, pod readiness and
// availability (k8s.io/kubernetes/pkg/api/v1/pod), and conditions.
namespace ctrl {

// "ns/name" (or "name" for cluster-scoped objects): how the work queues name objects.
QString key(const QString &ns, const QString &name);
QString keyOf(const QJsonObject &object);
std::pair<QString, QString> splitKey(const QString &key);

struct OwnerRef
{
    QString apiVersion;
    QString kind;
    QString name;
    QString uid;
    bool controller = false;
    bool blockOwnerDeletion = false;
};

QList<OwnerRef> ownerRefs(const QJsonObject &object);
// The managing owner (metav1.GetControllerOf).
std::optional<OwnerRef> controllerRef(const QJsonObject &object);
// metav1.NewControllerRef: controller and blockOwnerDeletion both true.
QJsonObject newControllerRef(const QJsonObject &owner);
// Adoption: appends newControllerRef(owner) to the object's owner references.
void addControllerRef(QJsonObject &object, const QJsonObject &owner);
// Release: drops the references to the owners in `ownerUids`, and the list once empty (the API
// omits an empty one).
void removeOwnerRefs(QJsonObject &object, const QSet<QString> &ownerUids);

// What the controllers read of a pod, parsed once per store change and shared by every
// controller's listener (as one informer cache is shared in kube-controller-manager): a pod
// change reaches six listeners, and each parsing the JSON on its own was most of the cost.
struct PodFacts
{
    QString key; // "ns/name"
    QString ns;
    QString name;
    QString uid;
    QString resourceVersion;
    QString nodeName;
    QString schedulerName;
    QString phase;
    QString podIp;
    QJsonObject labels;
    QList<OwnerRef> owners;
    QString controllerUid; // of the controlling owner, "" if none
    bool deleting = false; // deletionTimestamp set
    bool hasFinalizers = false;
    bool foregroundFinalizer = false;
    bool orphanFinalizer = false;
    bool terminal = false;    // Succeeded or Failed
    bool active = false;      // neither terminal nor deleting
    bool ready = false;       // Ready condition True
    qint64 readySinceMs = -1; // wall-clock ms, as the condition carries it
    QJsonArray ports;         // every container's ports
};
// The facts of the pod in `event` (its `object`). Memoized for the event being delivered.
const PodFacts &podFacts(const StoreEvent &event);

// Pods.
bool isPodTerminal(const QJsonObject &pod); // Succeeded or Failed
bool isPodActive(const QJsonObject &pod);   // not terminal and no deletionTimestamp
bool isPodReady(const QJsonObject &pod);
// When the Ready condition last turned True (second precision, as the API carries it), or -1.
// A wall-clock instant: SimClock::fromWallMs turns it into simulated time.
qint64 podReadySinceMs(const QJsonObject &pod);
int maxContainerRestarts(const QJsonObject &pod);

// status.conditions[] of any object.
QJsonObject findCondition(const QJsonObject &status, QStringView type);
// The pod's `status.conditions` entry of `type`, set to `status`: lastTransitionTime moves only
// when the status changes. Conditions keep their order; a new one is appended. `nowMs` is the
// wall-clock instant a new transition carries (SimClock::toWallMs).
void setPodCondition(QJsonObject &podStatus, const QString &type, const QString &status,
                     const QString &reason, const QString &message, qint64 nowMs);

int toInt(const QJsonValue &value, int fallback = 0);

// Takes `value` out of the set filed under `key` in a set-valued index (owner -> dependents,
// namespace -> keys, ...) and drops the set once it is empty, so that the index does not keep
// an entry for every key it ever saw.
template<typename Key, typename Value>
void unindex(QHash<Key, QSet<Value>> &index, const std::type_identity_t<Key> &key,
             const std::type_identity_t<Value> &value)
{
    const auto set = index.find(key);
    if (set == index.end())
        return;
    set->remove(value);
    if (set->isEmpty())
        index.erase(set);
}

} // namespace ctrl
} // namespace rollscope::sim
