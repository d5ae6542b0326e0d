// SPDX-License-Identifier: MIT
#include "schema.h"

#include <QJsonArray>
#include <QLocale>
#include <QVariant>

#include <cmath>
#include <deque>
#include <limits>

namespace rollscope::sim::Schema {

namespace {

struct Node
{
    enum class Kind
    {
        Struct,
        Map,
        List,
        String,
        Int32,
        Int64,
        Bool,
        IntOrString,
        Any
    };
    Kind kind = Kind::Any;
    QString goName; // Struct: its Go type name, e.g. "DeploymentSpec"
    QHash<QString, const Node *> fields;
    const Node *element = nullptr; // Map value, List element
};

using K = Node::Kind;

// Every node of every schema, built once; nodes point at each other.
class Schemas
{
public:
    Schemas() { build(); }

    const Node *deployment = nullptr;
    const Node *replicaSet = nullptr;
    const Node *pod = nullptr;
    const Node *service = nullptr;
    const Node *namespaceKind = nullptr;
    const Node *scale = nullptr;

private:
    const Node *leaf(K kind)
    {
        Node &n = m_pool.emplace_back();
        n.kind = kind;
        return &n;
    }
    const Node *list(const Node *element)
    {
        Node &n = m_pool.emplace_back();
        n.kind = K::List;
        n.element = element;
        return &n;
    }
    const Node *map(const Node *element)
    {
        Node &n = m_pool.emplace_back();
        n.kind = K::Map;
        n.element = element;
        return &n;
    }
    const Node *object(const char *goName,
                       std::initializer_list<std::pair<const char *, const Node *>> fields)
    {
        Node &n = m_pool.emplace_back();
        n.kind = K::Struct;
        n.goName = QLatin1StringView(goName);
        for (const auto &[name, node] : fields)
            n.fields.insert(QLatin1StringView(name), node);
        return &n;
    }

    void build()
    {
        const Node *str = leaf(K::String);
        const Node *i32 = leaf(K::Int32);
        const Node *i64 = leaf(K::Int64);
        const Node *boolean = leaf(K::Bool);
        const Node *intOrString = leaf(K::IntOrString);
        const Node *any = leaf(K::Any);
        const Node *strings = list(str);
        const Node *stringMap = map(str);
        const Node *time = str; // metav1.Time decodes from a JSON string

        const Node *meta = object("ObjectMeta", {{"annotations", stringMap},
                                                 {"creationTimestamp", time},
                                                 {"deletionGracePeriodSeconds", i64},
                                                 {"deletionTimestamp", time},
                                                 {"finalizers", strings},
                                                 {"generateName", str},
                                                 {"generation", i64},
                                                 {"labels", stringMap},
                                                 {"managedFields", any},
                                                 {"name", str},
                                                 {"namespace", str},
                                                 {"ownerReferences", any},
                                                 {"resourceVersion", str},
                                                 {"selfLink", str},
                                                 {"uid", str}});
        const Node *containerPort = object("ContainerPort", {{"containerPort", i32},
                                                             {"hostIP", str},
                                                             {"hostPort", i32},
                                                             {"name", str},
                                                             {"protocol", str}});
        const Node *container = object("Container", {{"args", strings},
                                                     {"command", strings},
                                                     {"env", any},
                                                     {"envFrom", any},
                                                     {"image", str},
                                                     {"imagePullPolicy", str},
                                                     {"lifecycle", any},
                                                     {"livenessProbe", any},
                                                     {"name", str},
                                                     {"ports", list(containerPort)},
                                                     {"readinessProbe", any},
                                                     {"resizePolicy", any},
                                                     {"resources", any},
                                                     {"restartPolicy", str},
                                                     {"securityContext", any},
                                                     {"startupProbe", any},
                                                     {"stdin", boolean},
                                                     {"stdinOnce", boolean},
                                                     {"terminationMessagePath", str},
                                                     {"terminationMessagePolicy", str},
                                                     {"tty", boolean},
                                                     {"volumeDevices", any},
                                                     {"volumeMounts", any},
                                                     {"workingDir", str}});
        const Node *containers = list(container);
        const Node *podSpec = object("PodSpec", {{"activeDeadlineSeconds", i64},
                                                 {"affinity", any},
                                                 {"automountServiceAccountToken", boolean},
                                                 {"containers", containers},
                                                 {"dnsConfig", any},
                                                 {"dnsPolicy", str},
                                                 {"enableServiceLinks", boolean},
                                                 {"ephemeralContainers", any},
                                                 {"hostAliases", any},
                                                 {"hostIPC", boolean},
                                                 {"hostNetwork", boolean},
                                                 {"hostPID", boolean},
                                                 {"hostUsers", boolean},
                                                 {"hostname", str},
                                                 {"imagePullSecrets", any},
                                                 {"initContainers", containers},
                                                 {"nodeName", str},
                                                 {"nodeSelector", stringMap},
                                                 {"os", any},
                                                 {"overhead", any},
                                                 {"preemptionPolicy", str},
                                                 {"priority", i32},
                                                 {"priorityClassName", str},
                                                 {"readinessGates", any},
                                                 {"resourceClaims", any},
                                                 {"resources", any},
                                                 {"restartPolicy", str},
                                                 {"runtimeClassName", str},
                                                 {"schedulerName", str},
                                                 {"schedulingGates", any},
                                                 {"securityContext", any},
                                                 {"serviceAccount", str},
                                                 {"serviceAccountName", str},
                                                 {"setHostnameAsFQDN", boolean},
                                                 {"shareProcessNamespace", boolean},
                                                 {"subdomain", str},
                                                 {"terminationGracePeriodSeconds", i64},
                                                 {"tolerations", any},
                                                 {"topologySpreadConstraints", any},
                                                 {"volumes", any}});
        const Node *podTemplate =
            object("PodTemplateSpec", {{"metadata", meta}, {"spec", podSpec}});
        const Node *requirement = object("LabelSelectorRequirement",
                                         {{"key", str}, {"operator", str}, {"values", strings}});
        const Node *selector = object(
            "LabelSelector", {{"matchExpressions", list(requirement)}, {"matchLabels", stringMap}});

        const Node *rollingUpdate =
            object("RollingUpdateDeployment",
                   {{"maxSurge", intOrString}, {"maxUnavailable", intOrString}});
        const Node *strategy =
            object("DeploymentStrategy", {{"rollingUpdate", rollingUpdate}, {"type", str}});
        const Node *deploymentSpec = object("DeploymentSpec", {{"minReadySeconds", i32},
                                                               {"paused", boolean},
                                                               {"progressDeadlineSeconds", i32},
                                                               {"replicas", i32},
                                                               {"revisionHistoryLimit", i32},
                                                               {"selector", selector},
                                                               {"strategy", strategy},
                                                               {"template", podTemplate}});
        const Node *deploymentCondition =
            object("DeploymentCondition", {{"lastTransitionTime", time},
                                           {"lastUpdateTime", time},
                                           {"message", str},
                                           {"reason", str},
                                           {"status", str},
                                           {"type", str}});
        const Node *deploymentStatus =
            object("DeploymentStatus", {{"availableReplicas", i32},
                                        {"collisionCount", i32},
                                        {"conditions", list(deploymentCondition)},
                                        {"observedGeneration", i64},
                                        {"readyReplicas", i32},
                                        {"replicas", i32},
                                        {"unavailableReplicas", i32},
                                        {"updatedReplicas", i32}});
        deployment = object("Deployment", {{"apiVersion", str},
                                           {"kind", str},
                                           {"metadata", meta},
                                           {"spec", deploymentSpec},
                                           {"status", deploymentStatus}});

        const Node *replicaSetSpec = object("ReplicaSetSpec", {{"minReadySeconds", i32},
                                                               {"replicas", i32},
                                                               {"selector", selector},
                                                               {"template", podTemplate}});
        const Node *replicaSetStatus = object("ReplicaSetStatus", {{"availableReplicas", i32},
                                                                   {"conditions", any},
                                                                   {"fullyLabeledReplicas", i32},
                                                                   {"observedGeneration", i64},
                                                                   {"readyReplicas", i32},
                                                                   {"replicas", i32}});
        replicaSet = object("ReplicaSet", {{"apiVersion", str},
                                           {"kind", str},
                                           {"metadata", meta},
                                           {"spec", replicaSetSpec},
                                           {"status", replicaSetStatus}});

        pod = object("Pod", {{"apiVersion", str},
                             {"kind", str},
                             {"metadata", meta},
                             {"spec", podSpec},
                             {"status", any}});

        const Node *servicePort = object("ServicePort", {{"appProtocol", str},
                                                         {"name", str},
                                                         {"nodePort", i32},
                                                         {"port", i32},
                                                         {"protocol", str},
                                                         {"targetPort", intOrString}});
        const Node *serviceSpec = object("ServiceSpec", {{"allocateLoadBalancerNodePorts", boolean},
                                                         {"clusterIP", str},
                                                         {"clusterIPs", strings},
                                                         {"externalIPs", strings},
                                                         {"externalName", str},
                                                         {"externalTrafficPolicy", str},
                                                         {"healthCheckNodePort", i32},
                                                         {"internalTrafficPolicy", str},
                                                         {"ipFamilies", strings},
                                                         {"ipFamilyPolicy", str},
                                                         {"loadBalancerClass", str},
                                                         {"loadBalancerIP", str},
                                                         {"loadBalancerSourceRanges", strings},
                                                         {"ports", list(servicePort)},
                                                         {"publishNotReadyAddresses", boolean},
                                                         {"selector", stringMap},
                                                         {"sessionAffinity", str},
                                                         {"sessionAffinityConfig", any},
                                                         {"trafficDistribution", str},
                                                         {"type", str}});
        service = object("Service", {{"apiVersion", str},
                                     {"kind", str},
                                     {"metadata", meta},
                                     {"spec", serviceSpec},
                                     {"status", any}});

        namespaceKind =
            object("Namespace", {{"apiVersion", str},
                                 {"kind", str},
                                 {"metadata", meta},
                                 {"spec", object("NamespaceSpec", {{"finalizers", strings}})},
                                 {"status", any}});

        scale = object("Scale",
                       {{"apiVersion", str},
                        {"kind", str},
                        {"metadata", meta},
                        {"spec", object("ScaleSpec", {{"replicas", i32}})},
                        {"status", object("ScaleStatus", {{"replicas", i32}, {"selector", str}})}});
    }

    std::deque<Node> m_pool; // a deque never moves what it holds
};

const Schemas &schemas()
{
    static const Schemas instance;
    return instance;
}

const Node *rootFor(const ResourceType &type, bool scale)
{
    const Schemas &s = schemas();
    if (scale)
        return s.scale;
    if (type == Resources::deployments())
        return s.deployment;
    if (type == Resources::replicaSets())
        return s.replicaSet;
    if (type == Resources::pods())
        return s.pod;
    if (type == Resources::services())
        return s.service;
    if (type == Resources::namespaces())
        return s.namespaceKind;
    return nullptr;
}

// How Go's json names the JSON value it could not store.
QString jsonKind(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return QStringLiteral("bool");
    case QJsonValue::String:
        return QStringLiteral("string");
    case QJsonValue::Array:
        return QStringLiteral("array");
    case QJsonValue::Object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("number");
    }
}

// Why a JSON value does not fit a Go integer of `bits` bits ("string", "number 1.5", ...), or
// nullopt when it does.
std::optional<QString> integerMismatch(const QJsonValue &value, int bits)
{
    if (!value.isDouble())
        return jsonKind(value);
    const qint64 low =
        bits == 32 ? std::numeric_limits<qint32>::min() : std::numeric_limits<qint64>::min();
    const qint64 high =
        bits == 32 ? std::numeric_limits<qint32>::max() : std::numeric_limits<qint64>::max();
    const QVariant variant = value.toVariant();
    if (variant.typeId() == QMetaType::LongLong) {
        const qint64 n = variant.toLongLong();
        if (n >= low && n <= high)
            return std::nullopt;
        return QStringLiteral("number %1").arg(n);
    }
    // A fraction or a number beyond int64. (3.0 cannot be told from 3 once parsed; let it be.)
    const double d = value.toDouble();
    if (std::trunc(d) == d && d >= double(low) && d < double(high))
        return std::nullopt;
    return QStringLiteral("number %1").arg(QString::number(d, 'g', QLocale::FloatingPointShortest));
}

QString goTypeName(const Node *node)
{
    switch (node->kind) {
    case K::Struct:
        return QStringLiteral("v1.") + node->goName;
    case K::Map:
        return QStringLiteral("map[string]") + goTypeName(node->element);
    case K::List:
        return QStringLiteral("[]") + goTypeName(node->element);
    case K::String:
        return QStringLiteral("string");
    case K::Int32:
    case K::IntOrString: // intstr decodes a non-string into its int32
        return QStringLiteral("int32");
    case K::Int64:
        return QStringLiteral("int64");
    case K::Bool:
        return QStringLiteral("bool");
    case K::Any:
        break;
    }
    return QStringLiteral("interface {}");
}

QString joined(const QString &path, const QString &name)
{
    return path.isEmpty() ? name : path + u'.' + name;
}

// Nesting is bounded by the body parser; this bound only keeps a hostile document from
// recursing through a Map or List schema forever (none is recursive, but stay safe).
constexpr int kMaxDepth = 64;
constexpr qsizetype kMaxNamedUnknownFields = 100;

class Decoder
{
public:
    explicit Decoder(Decoded &out)
        : m_out(out)
    {}

    // goStruct: the Go struct holding the field being decoded; typePath: the JSON names from
    // the top, as Go's errors join them; strictPath: the same with list indices, as the strict
    // decoder names unknown fields.
    void value(QJsonValue &v, const Node *node, const QString &goStruct, const QString &typePath,
               const QString &strictPath, int depth)
    {
        if (m_out.typeError || v.isNull() || v.isUndefined() || node->kind == K::Any ||
            depth > kMaxDepth)
            return;
        auto mismatch = [&](const QString &what) {
            m_out.typeError = QStringLiteral("json: cannot unmarshal %1 into Go struct field %2.%3 "
                                             "of type %4")
                                  .arg(what, goStruct, typePath, goTypeName(node));
        };
        switch (node->kind) {
        case K::String:
            if (!v.isString())
                mismatch(jsonKind(v));
            return;
        case K::Bool:
            if (!v.isBool())
                mismatch(jsonKind(v));
            return;
        case K::Int32:
        case K::Int64:
            if (const auto m = integerMismatch(v, node->kind == K::Int32 ? 32 : 64))
                mismatch(*m);
            return;
        case K::IntOrString:
            if (!v.isString()) {
                if (const auto m = integerMismatch(v, 32))
                    mismatch(*m);
            }
            return;
        case K::List: {
            if (!v.isArray())
                return mismatch(jsonKind(v));
            QJsonArray array = v.toArray();
            bool changed = false;
            for (qsizetype i = 0; i < array.size() && !m_out.typeError; ++i) {
                QJsonValue item = array.at(i);
                const qsizetype before = unknownCount();
                value(item, node->element, goStruct, typePath,
                      strictPath + QStringLiteral("[%1]").arg(i), depth + 1);
                if (unknownCount() != before) {
                    array.replace(i, item);
                    changed = true;
                }
            }
            if (changed)
                v = array;
            return;
        }
        case K::Map: {
            if (!v.isObject())
                return mismatch(jsonKind(v));
            if (node->element->kind == K::String || node->element->kind == K::Any) {
                const QJsonObject o = v.toObject();
                for (auto it = o.begin(); it != o.end() && !m_out.typeError; ++it) {
                    QJsonValue item = it.value();
                    value(item, node->element, goStruct, typePath, strictPath, depth + 1);
                }
            }
            return;
        }
        case K::Struct: {
            if (!v.isObject())
                return mismatch(jsonKind(v));
            QJsonObject o = v.toObject();
            QStringList unknown;
            bool changed = false;
            for (auto it = o.begin(); it != o.end() && !m_out.typeError; ++it) {
                const Node *field = node->fields.value(it.key());
                if (!field) {
                    // Named in key order, depth first: document order for a sorted document.
                    // Every one is removed; a hostile body's thousands are named up to a bound.
                    ++m_unknownSeen;
                    if (m_out.unknownFields.size() < kMaxNamedUnknownFields)
                        m_out.unknownFields << joined(strictPath, it.key());
                    else
                        m_out.moreUnknownFields = true;
                    unknown << it.key();
                    continue;
                }
                QJsonValue child = it.value();
                const qsizetype before = unknownCount();
                value(child, field, node->goName, joined(typePath, it.key()),
                      joined(strictPath, it.key()), depth + 1);
                if (unknownCount() != before) {
                    it.value() = child;
                    changed = true;
                }
            }
            for (const QString &key : std::as_const(unknown)) {
                o.remove(key);
                changed = true;
            }
            if (changed)
                v = o;
            return;
        }
        case K::Any:
            return;
        }
    }

private:
    // Changes whenever an unknown field is found, named or not.
    qsizetype unknownCount() const { return m_unknownSeen; }

    Decoded &m_out;
    qsizetype m_unknownSeen = 0;
};

} // namespace

bool hasSchema(const ResourceType &type)
{
    return rootFor(type, false) != nullptr;
}

Decoded decode(const ResourceType &type, QJsonObject &object, bool scale)
{
    Decoded out;
    const Node *root = rootFor(type, scale);
    if (!root)
        return out;
    QJsonValue value = object;
    Decoder(out).value(value, root, root->goName, QString(), QString(), 0);
    if (!out.unknownFields.isEmpty())
        object = value.toObject();
    return out;
}

QString strictDecodingError(const QStringList &unknownFields)
{
    QStringList parts;
    for (const QString &field : unknownFields)
        parts << QStringLiteral("unknown field \"%1\"").arg(field);
    return QStringLiteral("strict decoding error: ") + parts.join(QStringLiteral(", "));
}

} // namespace rollscope::sim::Schema
