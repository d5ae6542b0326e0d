// SPDX-License-Identifier: MIT
#pragma once

// Small, copyable values of the Kubernetes objects Rollscope shows. Parsed once from the API's
// JSON; the JSON itself is not kept (a pod's JSON is ~10 KiB, its PodInfo a few hundred bytes).
// Every value has key() ("namespace/name", or "name" for cluster-scoped objects) and kind().

#include "apimachinery/intstr.h"
#include "common/sharedvalue.h"
#include "kube/resourcekind.h"

#include <QByteArrayView>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

namespace rollscope::kube {

namespace fastjson {
class Object;
}

using Labels = QMap<QString, QString>;

// Well-known annotation and label keys.
namespace keys {
inline constexpr QLatin1StringView kRevision("deployment.kubernetes.io/revision");
inline constexpr QLatin1StringView kRevisionHistory("deployment.kubernetes.io/revision-history");
inline constexpr QLatin1StringView kDesiredReplicas("deployment.kubernetes.io/desired-replicas");
inline constexpr QLatin1StringView kMaxReplicas("deployment.kubernetes.io/max-replicas");
inline constexpr QLatin1StringView kChangeCause("kubernetes.io/change-cause");
inline constexpr QLatin1StringView kRestartedAt("kubectl.kubernetes.io/restartedAt");
inline constexpr QLatin1StringView kLastApplied("kubectl.kubernetes.io/last-applied-configuration");
inline constexpr QLatin1StringView kRollbackTo("deprecated.deployment.rollback.to");
inline constexpr QLatin1StringView kPodTemplateHash("pod-template-hash");
inline constexpr QLatin1StringView kServiceName("kubernetes.io/service-name");
} // namespace keys

// Kubernetes timestamps (RFC 3339, with or without fractional seconds) as UTC; invalid when absent.
QDateTime parseTimestamp(const QJsonValue &value);

// intstr.IntOrString (maxSurge 1 or "25%"), with the scaling the simulator's deployment
// controller uses too.
using IntOrString = apimachinery::IntOrString;

// metav1.LabelSelector.
struct LabelSelectorInfo
{
    struct Requirement
    {
        QString key;
        QString op; // In, NotIn, Exists, DoesNotExist
        QStringList values;
        bool operator==(const Requirement &) const = default;
    };

    bool present = false; // false for a missing (nil) selector, which selects nothing
    Labels matchLabels;
    QList<Requirement> matchExpressions;

    static LabelSelectorInfo fromJson(const QJsonValue &value);
    // Requirements as kubectl prints them, sorted by key: "app=demo,tier in (a,b),!legacy".
    // Empty for an empty or missing selector (kubectl's FormatLabelSelector shows "<none>").
    QString toString() const;
    // Only the matchExpressions part of toString().
    QString expressionsString() const;
    // Nothing matches a missing selector or one with an operator metav1 does not know
    // (LabelSelectorAsSelector fails), as in the deployment controller.
    bool matches(const Labels &labels) const;

    bool operator==(const LabelSelectorInfo &) const = default;
};

struct ContainerImage
{
    QString name;
    QString image;
    bool operator==(const ContainerImage &) const = default;
};

// A status condition of a Deployment or Pod.
struct Condition
{
    QString type;
    QString status; // "True", "False", "Unknown"
    QString reason;
    QString message;
    QDateTime lastUpdateTime; // Deployments only
    QDateTime lastTransitionTime;

    bool operator==(const Condition &) const = default;
};

struct DeploymentInfo
{
    QString ns;
    QString name;
    QString uid;
    qint64 generation = 0;
    qint64 observedGeneration = 0;
    Labels labels;
    LabelSelectorInfo selector;
    int replicas = 1; // spec.replicas (the API defaults it to 1)

    struct Strategy
    {
        QString type = QStringLiteral("RollingUpdate");
        IntOrString maxSurge;       // unset for Recreate
        IntOrString maxUnavailable; // unset for Recreate
        bool operator==(const Strategy &) const = default;
    };
    Strategy strategy;
    int minReadySeconds = 0;
    std::optional<int> progressDeadlineSeconds;
    std::optional<int> revisionHistoryLimit;
    bool paused = false;
    QList<ContainerImage> containers;
    QList<ContainerImage> initContainers;
    Labels templateLabels;

    qint64 revision = 0; // deployment.kubernetes.io/revision; 0 when absent
    QString changeCause;
    QString templateRestartedAt; // kubectl.kubernetes.io/restartedAt on the pod template

    struct Status
    {
        int replicas = 0;
        int updatedReplicas = 0;
        int readyReplicas = 0;
        int availableReplicas = 0;
        int unavailableReplicas = 0;
        std::optional<int> terminatingReplicas;
        bool operator==(const Status &) const = default;
    };
    Status status;
    QList<Condition> conditions;
    std::optional<int> collisionCount;
    QDateTime creationTimestamp;
    QDateTime deletionTimestamp;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static DeploymentInfo fromJson(const QJsonObject &object);
    static const ResourceKind &kind() { return ResourceKind::deployments(); }
    QString key() const;
    std::optional<Condition> condition(const QString &type) const;
    // "Image1,Image2", as kubectl's wide output lays containers out.
    QString imagesText() const;
    QString containerNamesText() const;

    bool operator==(const DeploymentInfo &) const = default;
};

struct ReplicaSetInfo
{
    QString ns;
    QString name;
    QString uid;
    // The controller ownerReference (the Deployment), if any.
    QString ownerKind;
    QString ownerName;
    QString ownerUid;
    qint64 revision = 0; // deployment.kubernetes.io/revision; 0 when absent or unparsable
    QString revisionHistory;
    QString podTemplateHash;
    QList<ContainerImage> containers;
    QString changeCause;
    Labels labels;
    LabelSelectorInfo selector;
    std::optional<int> desiredReplicasAnnotation;
    std::optional<int> maxReplicasAnnotation;

    int desired = 0;   // spec.replicas
    int current = 0;   // status.replicas
    int ready = 0;     // status.readyReplicas
    int available = 0; // status.availableReplicas
    qint64 generation = 0;
    qint64 observedGeneration = 0;
    QDateTime creationTimestamp;
    QDateTime deletionTimestamp;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static ReplicaSetInfo fromJson(const QJsonObject &object);
    static const ResourceKind &kind() { return ResourceKind::replicaSets(); }
    QString key() const;
    QString imagesText() const;

    bool operator==(const ReplicaSetInfo &) const = default;
};

struct ContainerStatusInfo
{
    enum class State
    {
        Unknown, // no state reported yet
        Waiting,
        Running,
        Terminated
    };

    QString name;
    QString image;
    bool ready = false;
    std::optional<bool> started;
    int restartCount = 0;
    State state = State::Unknown;
    QString reason;  // waiting or terminated reason
    QString message; // waiting or terminated message
    int exitCode = 0;
    int signal = 0;
    QDateTime startedAt;  // running or terminated
    QDateTime finishedAt; // terminated
    QDateTime lastTerminatedFinishedAt;
    QString lastTerminatedReason;
    int lastTerminatedExitCode = 0;
    bool restartable = false; // a sidecar: an init container with restartPolicy Always

    bool operator==(const ContainerStatusInfo &) const = default;
};

struct PodInfo
{
    QString ns;
    QString name;
    QString uid;
    QString ownerKind; // the controller ownerReference
    QString ownerName;
    QString ownerUid;
    Labels labels;
    QString podTemplateHash;
    QString node;
    QString podIP;
    QString phase;
    QString reason;     // status.reason (e.g. Evicted)
    QString message;    // status.message
    bool ready = false; // the Ready condition is True
    bool containersReady = false;
    QDateTime readyTransitionTime;
    QDateTime containersReadyTransitionTime;
    QList<ContainerImage> specContainers;
    QList<ContainerStatusInfo> containers;
    QList<ContainerStatusInfo> initContainers;
    QDateTime deletionTimestamp;
    QDateTime creationTimestamp;
    QDateTime startTime;

    // Computed exactly as `kubectl get pods` does: READY "1/2", STATUS, RESTARTS.
    int readyContainers = 0;
    int totalContainers = 0;
    int restarts = 0;
    QDateTime lastRestart; // latest lastState.terminated.finishedAt counted in restarts
    QString statusText;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static PodInfo fromJson(const QJsonObject &object);
    static PodInfo fromJson(const fastjson::Object &object);
    // The object of a watch event's line ({"type": ..., "object": {...}}), read with simdjson:
    // the same value as fromJson() of the parsed object, in a fraction of the time.
    static PodInfo fromWatchLine(QByteArrayView line);
    static const ResourceKind &kind() { return ResourceKind::pods(); }
    QString key() const;
    bool isTerminating() const { return deletionTimestamp.isValid(); }
    QString readyText() const;
    // kubectl's RESTARTS column: "0", or "3 (2m ago)" relative to now.
    QString restartsText(const QDateTime &now) const;

    bool operator==(const PodInfo &) const = default;
};

struct ServiceInfo
{
    struct Port
    {
        QString name;
        int port = 0;
        IntOrString targetPort;
        int nodePort = 0;
        QString protocol = QStringLiteral("TCP");
        bool operator==(const Port &) const = default;
    };

    QString ns;
    QString name;
    QString uid;
    QString type = QStringLiteral("ClusterIP");
    Labels selector;
    QList<Port> ports;
    QString clusterIP;
    QStringList externalIPs;
    QStringList loadBalancerIngress; // IPs, or hostnames where there is no IP
    QDateTime creationTimestamp;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static ServiceInfo fromJson(const QJsonObject &object);
    static const ResourceKind &kind() { return ResourceKind::services(); }
    QString key() const;

    bool operator==(const ServiceInfo &) const = default;
};

struct EndpointSliceInfo
{
    struct Endpoint
    {
        QStringList addresses;
        // Conditions; the API leaves them out when unknown, which means ready/serving.
        bool ready = true;
        bool serving = true;
        bool terminating = false;
        QString podName; // targetRef of kind Pod
        QString podUid;
        QString node;
        bool operator==(const Endpoint &) const = default;
    };
    struct Port
    {
        QString name;
        int port = 0;
        QString protocol = QStringLiteral("TCP");
        bool operator==(const Port &) const = default;
    };

    QString ns;
    QString name;
    QString uid;
    QString serviceName; // label kubernetes.io/service-name
    QString addressType;
    QList<Endpoint> endpoints;
    QList<Port> ports;
    QDateTime creationTimestamp;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static EndpointSliceInfo fromJson(const QJsonObject &object);
    static const ResourceKind &kind() { return ResourceKind::endpointSlices(); }
    QString key() const;

    bool operator==(const EndpointSliceInfo &) const = default;
};

// A value's key ("namespace/name"), made once by its decoder so that every copy of the value
// shares one string: the informer's cache, the rollout's scope and the events table each key the
// 45,000 events of a 5,000-replica rollout by it. Never part of the value's equality; key() makes
// the key afresh when the cache is empty or no longer matches the namespace and name.
struct KeyCache
{
    QString text;
    bool operator==(const KeyCache &) const { return true; }
};

// core/v1 Event: what Rollscope shows of one (the columns of `kubectl get events`) and decides
// on (whose it is, by the involved object's kind and name). A 5,000-replica rollout leaves
// 45,000 of them, held by the informer and by the events table, so what nothing reads (the
// involved object's namespace, uid and field path, the source, the first timestamp) is not
// decoded: what client-go's informers drop with a transform for the same reason.
struct EventInfo
{
    QString ns;
    QString name;
    QString uid;
    QString involvedKind;
    QString involvedName;
    QString type; // Normal, Warning
    QString reason;
    QString message;
    int count = 1; // how often it happened: count, or series.count, at least 1
    QDateTime lastTimestamp;
    QDateTime eventTime;
    QDateTime creationTimestamp;
    KeyCache keyCache;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static EventInfo fromJson(const QJsonObject &object);
    static EventInfo fromJson(const fastjson::Object &object);
    // As PodInfo::fromWatchLine().
    static EventInfo fromWatchLine(QByteArrayView line);
    static const ResourceKind &kind() { return ResourceKind::events(); }
    QString key() const;
    // The latest of lastTimestamp, eventTime and creationTimestamp (events fill only some).
    QDateTime lastSeen() const;

    bool operator==(const EventInfo &) const = default;
};

struct NodeInfo
{
    QString name;
    QString uid;
    QString internalIP;
    bool ready = false;
    bool unschedulable = false;
    QDateTime creationTimestamp;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static NodeInfo fromJson(const QJsonObject &object);
    static const ResourceKind &kind() { return ResourceKind::nodes(); }
    QString key() const { return name; }

    bool operator==(const NodeInfo &) const = default;
};

struct NamespaceInfo
{
    QString name;
    QString uid;
    QString phase;
    QDateTime creationTimestamp;
    ShareLink shareLink; // its holder in an informer's cache (sharedvalue.h)

    static NamespaceInfo fromJson(const QJsonObject &object);
    static const ResourceKind &kind() { return ResourceKind::namespaces(); }
    QString key() const { return name; }

    bool operator==(const NamespaceInfo &) const = default;
};

// "namespace/name" ("name" without a namespace), the cache key of the informers.
QString objectKey(const QJsonObject &object);

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::DeploymentInfo)
Q_DECLARE_METATYPE(rollscope::kube::ReplicaSetInfo)
Q_DECLARE_METATYPE(rollscope::kube::PodInfo)
Q_DECLARE_METATYPE(rollscope::kube::ServiceInfo)
Q_DECLARE_METATYPE(rollscope::kube::EndpointSliceInfo)
Q_DECLARE_METATYPE(rollscope::kube::EventInfo)
Q_DECLARE_METATYPE(rollscope::kube::NodeInfo)
Q_DECLARE_METATYPE(rollscope::kube::NamespaceInfo)
