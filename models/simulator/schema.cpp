// SPDX-License-Identifier: MIT
#include "schema.h"

#include <QJsonArray>
#include <QLocale>
#include <QVariant>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>

namespace rollscope::sim::Schema {

namespace {

using K = Node::Kind;

// Field metadata beyond name and type: the OpenAPI extensions and `required`.
struct Ext
{
    const char *patchStrategy = nullptr;
    const char *patchMergeKey = nullptr;
    const char *listType = nullptr;
    QStringList listMapKeys;
    bool required = false;
};

struct FieldSpec
{
    const char *name;
    const Node *node;
    const char *description = nullptr;
    Ext ext = {};
};

// A list merged by `key` in strategic merge patches, a map keyed by `keys` for apply.
Ext mergeBy(const char *key, QStringList keys = {})
{
    if (keys.isEmpty())
        keys << QLatin1StringView(key);
    return Ext{"merge", key, "map", keys, false};
}
const Ext kAtomic{nullptr, nullptr, "atomic", {}, false};
const Ext kRequired{nullptr, nullptr, nullptr, {}, true};
const Ext kMergeSet{"merge", nullptr, "set", {}, false};

constexpr const char *kMetaPackage = "io.k8s.apimachinery.pkg.apis.meta.v1";
constexpr const char *kCorePackage = "io.k8s.api.core.v1";
constexpr const char *kAppsPackage = "io.k8s.api.apps.v1";
constexpr const char *kAutoscalingPackage = "io.k8s.api.autoscaling.v1";

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
    const Node *named(K kind, const char *package, const char *goName, const char *description)
    {
        Node &n = m_pool.emplace_back();
        n.kind = kind;
        n.package = QLatin1StringView(package);
        n.goName = QLatin1StringView(goName);
        n.description = QString::fromUtf8(description);
        return &n;
    }
    const Node *list(const Node *element)
    {
        Node &n = m_pool.emplace_back();
        n.kind = K::List;
        n.element = element;
        return &n;
    }
    // goName: a named map type (its Go name shows in type errors), e.g. "ResourceList".
    const Node *map(const Node *element, const char *goName = nullptr)
    {
        Node &n = m_pool.emplace_back();
        n.kind = K::Map;
        n.element = element;
        n.goName = QLatin1StringView(goName);
        return &n;
    }
    // A Go struct of the current package (m_package).
    const Node *object(const char *goName, const char *description,
                       std::initializer_list<FieldSpec> fields)
    {
        return object(goName, description, QList<FieldSpec>(fields));
    }
    const Node *object(const char *goName, const char *description, QList<FieldSpec> fields)
    {
        Node &n = m_pool.emplace_back();
        n.kind = K::Struct;
        n.goName = QLatin1StringView(goName);
        n.package = QLatin1StringView(m_package);
        n.description = QString::fromUtf8(description);
        std::sort(fields.begin(), fields.end(), [](const FieldSpec &a, const FieldSpec &b) {
            return qstrcmp(a.name, b.name) < 0;
        });
        for (const FieldSpec &spec : fields) {
            Field f;
            f.name = QLatin1StringView(spec.name);
            f.node = spec.node;
            f.description = QString::fromUtf8(spec.description);
            f.patchStrategy = QLatin1StringView(spec.ext.patchStrategy);
            f.patchMergeKey = QLatin1StringView(spec.ext.patchMergeKey);
            f.listType = QLatin1StringView(spec.ext.listType);
            f.listMapKeys = spec.ext.listMapKeys;
            f.required = spec.ext.required;
            n.fields << f;
        }
        return &n;
    }

    void build()
    {
        const Node *str = leaf(K::String);
        const Node *i32 = leaf(K::Int32);
        const Node *i64 = leaf(K::Int64);
        const Node *boolean = leaf(K::Bool);
        const Node *strings = list(str);
        const Node *stringMap = map(str);
        const Node *time = named(K::Time, kMetaPackage, "Time",
                                 "A timestamp in RFC 3339 form, e.g. 2024-01-02T15:04:05Z.");
        const Node *intOrString =
            named(K::IntOrString, "io.k8s.apimachinery.pkg.util.intstr", "IntOrString",
                  "Either an integer or a string, e.g. a port number or a port name, a count "
                  "or a percentage (\"25%\").");
        const Node *quantity =
            named(K::Quantity, "io.k8s.apimachinery.pkg.api.resource", "Quantity",
                  "A fixed-point number with an optional suffix: binary (Ki, Mi, Gi, Ti, Pi, Ei), "
                  "decimal (m, k, M, G, T, P, E) or an exponent (1e3), e.g. \"500m\" CPU or "
                  "\"128Mi\" memory.");
        const Node *quantityMap = map(quantity, "ResourceList");
        // Free-form JSON, as in the API itself (FieldsV1 and RawExtension are any object).
        const Node *freeForm = leaf(K::Any);
        // Subtrees this simulator does not model field by field (rare or deprecated volume
        // drivers, the ephemeral volume's embedded PVC template, DRA claim templates): they take
        // any JSON and keep it, so a manifest using them is not refused.
        const Node *notModelled = leaf(K::Any);

        // --- meta/v1 ---------------------------------------------------------------------
        m_package = kMetaPackage;
        const Node *ownerReference = object(
            "OwnerReference",
            "Identifies an owning object; the garbage collector deletes an object whose owners "
            "are all gone.",
            {{"apiVersion", str, "API version of the owner.", kRequired},
             {"blockOwnerDeletion", boolean,
              "If true, the owner cannot be deleted in the foreground before this object is."},
             {"controller", boolean, "If true, this owner is the managing controller."},
             {"kind", str, "Kind of the owner.", kRequired},
             {"name", str, "Name of the owner.", kRequired},
             {"uid", str, "UID of the owner.", kRequired}});
        const Node *managedFieldsEntry = object(
            "ManagedFieldsEntry", "The fields one manager owns, as server-side apply tracks them.",
            {{"apiVersion", str, "The version of the fields' schema."},
             {"fieldsType", str, "The format of fieldsV1: always \"FieldsV1\"."},
             {"fieldsV1", freeForm, "The set of owned fields, as a trie of field paths."},
             {"manager", str, "The manager's name (the fieldManager of its requests)."},
             {"operation", str, "Apply or Update."},
             {"subresource", str, "The subresource written, if any."},
             {"time", time, "When the fields were last changed."}});
        const Node *meta = object(
            "ObjectMeta", "Metadata every persisted object has.",
            {{"annotations", stringMap,
              "Arbitrary non-identifying key/value data, kept with the object."},
             {"creationTimestamp", time, "When the object was created (set by the server)."},
             {"deletionGracePeriodSeconds", i64,
              "Seconds the object is given to terminate once deletion was requested."},
             {"deletionTimestamp", time,
              "When the object will be deleted; set when deletion is requested."},
             {"finalizers", strings, "Keys that must be removed before the object is deleted.",
              kMergeSet},
             {"generateName", str, "A prefix for a server-generated name when name is not given."},
             {"generation", i64, "A sequence number of changes to the desired state."},
             {"labels", stringMap, "Key/value pairs that selectors match."},
             {"managedFields", list(managedFieldsEntry), "Which manager owns which fields.",
              kAtomic},
             {"name", str, "The object's name, unique in its namespace."},
             {"namespace", str, "The namespace of a namespaced object."},
             {"ownerReferences", list(ownerReference), "The objects this one depends on.",
              mergeBy("uid")},
             {"resourceVersion", str, "An opaque version for optimistic concurrency and watches."},
             {"selfLink", str, "Deprecated; not set."},
             {"uid", str, "The unique id of this object, set by the server."}});
        const Node *requirement =
            object("LabelSelectorRequirement", "One expression of a label selector.",
                   {{"key", str, "The label key.", kRequired},
                    {"operator", str, "In, NotIn, Exists or DoesNotExist.", kRequired},
                    {"values", strings,
                     "The values for In and NotIn; empty for Exists, DoesNotExist.", kAtomic}});
        const Node *selector = object(
            "LabelSelector",
            "A label query; all its requirements must hold (an empty selector matches all).",
            {{"matchExpressions", list(requirement), "Requirements on labels.", kAtomic},
             {"matchLabels", stringMap, "Labels that must all be present with these values."}});
        const Node *metaCondition =
            object("Condition", "One aspect of an object's current state.",
                   {{"lastTransitionTime", time, "When status last changed.", kRequired},
                    {"message", str, "A human-readable explanation.", kRequired},
                    {"observedGeneration", i64, "The generation this condition was set for."},
                    {"reason", str, "A CamelCase reason for the last transition.", kRequired},
                    {"status", str, "True, False or Unknown.", kRequired},
                    {"type", str, "The condition's type.", kRequired}});

        // --- core/v1: containers ---------------------------------------------------------
        m_package = kCorePackage;
        const Node *localObjectReference =
            object("LocalObjectReference", "Refers to an object by name in the same namespace.",
                   {{"name", str, "Name of the referent."}});
        const Node *containerPort =
            object("ContainerPort", "A network port of a container.",
                   {{"containerPort", i32, "The port number on the pod's IP (1-65535).", kRequired},
                    {"hostIP", str, "The host IP to bind an external port to."},
                    {"hostPort", i32, "The port number on the host (rarely needed)."},
                    {"name", str, "An IANA_SVC_NAME a Service's targetPort can refer to."},
                    {"protocol", str, "TCP (default), UDP or SCTP."}});
        const Node *configMapKeySelector =
            object("ConfigMapKeySelector", "Selects one key of a ConfigMap.",
                   {{"key", str, "The key to select.", kRequired},
                    {"name", str, "Name of the ConfigMap."},
                    {"optional", boolean, "Whether the ConfigMap or key may be missing."}});
        const Node *secretKeySelector =
            object("SecretKeySelector", "Selects one key of a Secret.",
                   {{"key", str, "The key to select.", kRequired},
                    {"name", str, "Name of the Secret."},
                    {"optional", boolean, "Whether the Secret or key may be missing."}});
        const Node *objectFieldSelector =
            object("ObjectFieldSelector", "Selects a field of the pod.",
                   {{"apiVersion", str, "Version of the schema fieldPath is written in (\"v1\")."},
                    {"fieldPath", str, "Path of the field, e.g. metadata.name or status.podIP.",
                     kRequired}});
        const Node *resourceFieldSelector = object(
            "ResourceFieldSelector", "Selects a container's resource limit or request.",
            {{"containerName", str, "The container; required for volumes."},
             {"divisor", quantity, "The unit of the exposed value (default 1)."},
             {"resource", str, "The resource, e.g. limits.cpu or requests.memory.", kRequired}});
        const Node *envVarSource =
            object("EnvVarSource", "Where an environment variable's value comes from.",
                   {{"configMapKeyRef", configMapKeySelector, "A key of a ConfigMap."},
                    {"fieldRef", objectFieldSelector, "A field of the pod."},
                    {"resourceFieldRef", resourceFieldSelector, "A resource limit or request."},
                    {"secretKeyRef", secretKeySelector, "A key of a Secret."}});
        const Node *envVar = object(
            "EnvVar", "An environment variable of a container.",
            {{"name", str, "The variable's name.", kRequired},
             {"value", str, "The value; $(VAR) references expand. Defaults to \"\"."},
             {"valueFrom", envVarSource, "A source for the value; cannot be used with value."}});
        const Node *envFromSource =
            object("EnvFromSource", "A set of environment variables from a ConfigMap or Secret.",
                   {{"configMapRef",
                     object("ConfigMapEnvSource", "A ConfigMap whose keys become variables.",
                            {{"name", str, "Name of the ConfigMap."},
                             {"optional", boolean, "Whether it may be missing."}}),
                     "The ConfigMap to use."},
                    {"prefix", str, "A prefix to add to every key."},
                    {"secretRef",
                     object("SecretEnvSource", "A Secret whose keys become variables.",
                            {{"name", str, "Name of the Secret."},
                             {"optional", boolean, "Whether it may be missing."}}),
                     "The Secret to use."}});
        const Node *execAction =
            object("ExecAction", "Runs a command in the container.",
                   {{"command", strings,
                     "The command line, run without a shell; exit status 0 is success.", kAtomic}});
        const Node *httpHeader = object("HTTPHeader", "A header of a probe's HTTP request.",
                                        {{"name", str, "The header name.", kRequired},
                                         {"value", str, "The header value.", kRequired}});
        const Node *httpGetAction =
            object("HTTPGetAction", "An HTTP GET request; a status from 200 to 399 is success.",
                   {{"host", str, "Host to connect to; defaults to the pod IP."},
                    {"httpHeaders", list(httpHeader), "Custom request headers.", kAtomic},
                    {"path", str, "Path to request."},
                    {"port", intOrString, "Port number or name to connect to.", kRequired},
                    {"scheme", str, "HTTP (default) or HTTPS."}});
        const Node *tcpSocketAction =
            object("TCPSocketAction", "Opens a TCP connection; connecting is success.",
                   {{"host", str, "Host to connect to; defaults to the pod IP."},
                    {"port", intOrString, "Port number or name to connect to.", kRequired}});
        const Node *grpcAction =
            object("GRPCAction", "A gRPC health check (grpc.health.v1).",
                   {{"port", i32, "Port number of the gRPC service.", kRequired},
                    {"service", str, "The service name sent in the HealthCheckRequest."}});
        const Node *probe = object(
            "Probe", "A health check of a container: one action and how often to run it.",
            {{"exec", execAction, "Run a command."},
             {"failureThreshold", i32, "Consecutive failures to count as failed (default 3)."},
             {"grpc", grpcAction, "Call a gRPC health check."},
             {"httpGet", httpGetAction, "Send an HTTP GET request."},
             {"initialDelaySeconds", i32, "Seconds after the container starts before probing."},
             {"periodSeconds", i32, "Seconds between probes (default 10)."},
             {"successThreshold", i32,
              "Consecutive successes to count as passed after a failure (default 1)."},
             {"tcpSocket", tcpSocketAction, "Open a TCP connection."},
             {"terminationGracePeriodSeconds", i64,
              "Grace period after a liveness or startup failure; overrides the pod's."},
             {"timeoutSeconds", i32, "Seconds before a probe times out (default 1)."}});
        const Node *lifecycleHandler = object(
            "LifecycleHandler", "An action run at a lifecycle hook: exactly one of its fields.",
            {{"exec", execAction, "Run a command."},
             {"httpGet", httpGetAction, "Send an HTTP GET request."},
             {"sleep",
              object("SleepAction", "Sleeps for a while.",
                     {{"seconds", i64, "Seconds to sleep.", kRequired}}),
              "Sleep."},
             {"tcpSocket", tcpSocketAction, "Deprecated; kept for compatibility."}});
        const Node *lifecycle =
            object("Lifecycle", "Actions the kubelet runs when a container starts or stops.",
                   {{"postStart", lifecycleHandler, "Run right after the container is created."},
                    {"preStop", lifecycleHandler, "Run before the container is terminated."}});
        const Node *resourceClaim =
            object("ResourceClaim", "A reference to a pod's resource claim.",
                   {{"name", str, "Name of an entry in pod.spec.resourceClaims.", kRequired},
                    {"request", str, "The request of that claim to use."}});
        const Node *resources = object(
            "ResourceRequirements", "Compute resources a container requests and is limited to.",
            {{"claims", list(resourceClaim), "Dynamic resources (DRA) this container uses.",
              Ext{nullptr, nullptr, "map", {QStringLiteral("name")}, false}},
             {"limits", quantityMap, "The most of each resource allowed, e.g. cpu: 500m."},
             {"requests", quantityMap,
              "The amount of each resource reserved for scheduling; defaults to limits."}});
        const Node *seLinuxOptions = object("SELinuxOptions", "SELinux labels.",
                                            {{"level", str, "The SELinux level label."},
                                             {"role", str, "The SELinux role label."},
                                             {"type", str, "The SELinux type label."},
                                             {"user", str, "The SELinux user label."}});
        const Node *seccompProfile =
            object("SeccompProfile", "A seccomp profile.",
                   {{"localhostProfile", str, "A profile file on the node, for type Localhost."},
                    {"type", str, "Localhost, RuntimeDefault or Unconfined.", kRequired}});
        const Node *appArmorProfile =
            object("AppArmorProfile", "An AppArmor profile.",
                   {{"localhostProfile", str, "A profile loaded on the node, for type Localhost."},
                    {"type", str, "Localhost, RuntimeDefault or Unconfined.", kRequired}});
        const Node *windowsOptions =
            object("WindowsSecurityContextOptions", "Windows-specific security options.",
                   {{"gmsaCredentialSpec", str, "The GMSA credential spec's content."},
                    {"gmsaCredentialSpecName", str, "The name of the GMSA credential spec."},
                    {"hostProcess", boolean, "Run as a Windows host process."},
                    {"runAsUserName", str, "The Windows user to run as."}});
        const Node *securityContext =
            object("SecurityContext", "Security settings of a container; they override the pod's.",
                   {{"allowPrivilegeEscalation", boolean,
                     "Whether a process can gain more privileges than its parent."},
                    {"appArmorProfile", appArmorProfile, "The AppArmor profile."},
                    {"capabilities",
                     object("Capabilities", "Linux capabilities to add and drop.",
                            {{"add", strings, "Capabilities to add.", kAtomic},
                             {"drop", strings, "Capabilities to drop.", kAtomic}}),
                     "Capabilities to add or drop."},
                    {"privileged", boolean, "Run as privileged (root on the host)."},
                    {"procMount", str, "Default or Unmasked."},
                    {"readOnlyRootFilesystem", boolean, "Mount the root filesystem read-only."},
                    {"runAsGroup", i64, "The GID to run as."},
                    {"runAsNonRoot", boolean, "Refuse to start if the user would be root."},
                    {"runAsUser", i64, "The UID to run as."},
                    {"seLinuxOptions", seLinuxOptions, "SELinux labels."},
                    {"seccompProfile", seccompProfile, "The seccomp profile."},
                    {"windowsOptions", windowsOptions, "Windows-specific options."}});
        const Node *volumeMount =
            object("VolumeMount", "A volume mounted into a container.",
                   {{"mountPath", str, "Where in the container to mount; must not contain ':'.",
                     kRequired},
                    {"mountPropagation", str, "None (default), HostToContainer or Bidirectional."},
                    {"name", str, "The volume's name in pod.spec.volumes.", kRequired},
                    {"readOnly", boolean, "Mount read-only."},
                    {"recursiveReadOnly", str, "Disabled, IfPossible or Enabled."},
                    {"subPath", str, "A path inside the volume to mount instead of its root."},
                    {"subPathExpr", str, "Like subPath, with $(VAR) expansion."}});
        const Node *volumeDevice =
            object("VolumeDevice", "A raw block volume mapped into a container.",
                   {{"devicePath", str, "The device path in the container.", kRequired},
                    {"name", str, "The PVC's name in pod.spec.volumes.", kRequired}});
        const Node *resizePolicy =
            object("ContainerResizePolicy", "How a container is resized in place.",
                   {{"resourceName", str, "cpu or memory.", kRequired},
                    {"restartPolicy", str, "NotRequired or RestartContainer.", kRequired}});
        const QList<FieldSpec> containerFields{
            {"args", strings, "Arguments to the entrypoint; the image's CMD if not given.",
             kAtomic},
            {"command", strings, "The entrypoint array; the image's ENTRYPOINT if not given.",
             kAtomic},
            {"env", list(envVar), "Environment variables to set.", mergeBy("name")},
            {"envFrom", list(envFromSource), "Sources of environment variables.", kAtomic},
            {"image", str, "The container image, e.g. nginx:1.27."},
            {"imagePullPolicy", str, "Always, Never or IfNotPresent."},
            {"lifecycle", lifecycle, "Actions on container start and stop."},
            {"livenessProbe", probe, "Restart the container when this fails."},
            {"name", str, "The container's name (a DNS label), unique in the pod.", kRequired},
            {"ports", list(containerPort), "Ports the container exposes (informational).",
             mergeBy("containerPort",
                     {QStringLiteral("containerPort"), QStringLiteral("protocol")})},
            {"readinessProbe", probe, "Take the pod out of Service endpoints when this fails."},
            {"resizePolicy", list(resizePolicy), "How each resource is resized.", kAtomic},
            {"resources", resources, "Compute resources the container needs."},
            {"restartPolicy", str, "Always makes an init container a sidecar."},
            {"securityContext", securityContext, "Security settings."},
            {"startupProbe", probe, "Other probes wait until this succeeds."},
            {"stdin", boolean, "Allocate a stdin buffer."},
            {"stdinOnce", boolean, "Close stdin after the first attach ends."},
            {"terminationMessagePath", str, "File whose content is the termination message."},
            {"terminationMessagePolicy", str, "File or FallbackToLogsOnError."},
            {"tty", boolean, "Allocate a TTY."},
            {"volumeDevices", list(volumeDevice), "Block devices to map.", mergeBy("devicePath")},
            {"volumeMounts", list(volumeMount), "Volumes to mount.", mergeBy("mountPath")},
            {"workingDir", str, "The working directory; the image's if not given."}};
        const Node *container =
            object("Container", "A container to run in a pod.", containerFields);
        QList<FieldSpec> ephemeralFields = containerFields;
        ephemeralFields << FieldSpec{"targetContainerName", str,
                                     "The container whose namespaces to share."};
        const Node *ephemeralContainer =
            object("EphemeralContainer", "A container added to a running pod for debugging.",
                   ephemeralFields);

        // --- core/v1: pod spec ------------------------------------------------------------
        const Node *nodeSelectorRequirement =
            object("NodeSelectorRequirement", "One expression on a node's labels or fields.",
                   {{"key", str, "The label key.", kRequired},
                    {"operator", str, "In, NotIn, Exists, DoesNotExist, Gt or Lt.", kRequired},
                    {"values", strings, "The values to compare with.", kAtomic}});
        const Node *nodeSelectorTerm = object(
            "NodeSelectorTerm", "Requirements a node must all meet.",
            {{"matchExpressions", list(nodeSelectorRequirement), "On the node's labels.", kAtomic},
             {"matchFields", list(nodeSelectorRequirement), "On the node's fields.", kAtomic}});
        const Node *nodeAffinity = object(
            "NodeAffinity", "Rules on which nodes a pod may or prefers to run.",
            {{"preferredDuringSchedulingIgnoredDuringExecution",
              list(object("PreferredSchedulingTerm", "A weighted node preference.",
                          {{"preference", nodeSelectorTerm, "The preferred nodes.", kRequired},
                           {"weight", i32, "Weight from 1 to 100.", kRequired}})),
              "Nodes the scheduler prefers.", kAtomic},
             {"requiredDuringSchedulingIgnoredDuringExecution",
              object("NodeSelector", "Terms of which a node must meet one.",
                     {{"nodeSelectorTerms", list(nodeSelectorTerm), "The terms (ORed).",
                       Ext{nullptr, nullptr, "atomic", {}, true}}}),
              "Nodes the pod must run on."}});
        const Node *podAffinityTerm = object(
            "PodAffinityTerm", "Pods that must (not) run in the same topology domain.",
            {{"labelSelector", selector, "The pods."},
             {"matchLabelKeys", strings, "Label keys whose values must also match.", kAtomic},
             {"mismatchLabelKeys", strings, "Label keys whose values must differ.", kAtomic},
             {"namespaceSelector", selector, "Namespaces the pods are in."},
             {"namespaces", strings, "Namespaces the pods are in.", kAtomic},
             {"topologyKey", str, "The node label that defines a domain, e.g. a zone.",
              kRequired}});
        const Node *weightedPodAffinityTerm =
            object("WeightedPodAffinityTerm", "A weighted pod affinity preference.",
                   {{"podAffinityTerm", podAffinityTerm, "The term.", kRequired},
                    {"weight", i32, "Weight from 1 to 100.", kRequired}});
        auto podAffinityType = [&](const char *goName, const char *description) {
            return object(goName, description,
                          {{"preferredDuringSchedulingIgnoredDuringExecution",
                            list(weightedPodAffinityTerm), "Preferred terms.", kAtomic},
                           {"requiredDuringSchedulingIgnoredDuringExecution", list(podAffinityTerm),
                            "Required terms.", kAtomic}});
        };
        const Node *affinity = object(
            "Affinity", "Scheduling constraints.",
            {{"nodeAffinity", nodeAffinity, "Which nodes the pod runs on."},
             {"podAffinity", podAffinityType("PodAffinity", "Run near pods matching these terms."),
              "Co-locate with other pods."},
             {"podAntiAffinity",
              podAffinityType("PodAntiAffinity", "Run away from pods matching these terms."),
              "Keep away from other pods."}});
        const Node *toleration = object(
            "Toleration", "Lets the pod be scheduled onto nodes with a matching taint.",
            {{"effect", str, "NoSchedule, PreferNoSchedule or NoExecute; empty matches all."},
             {"key", str, "The taint key; empty with Exists matches all taints."},
             {"operator", str, "Exists or Equal (default)."},
             {"tolerationSeconds", i64,
              "How long a NoExecute taint is tolerated before eviction; unset is forever."},
             {"value", str, "The taint value for Equal."}});
        const Node *topologySpreadConstraint = object(
            "TopologySpreadConstraint", "How to spread matching pods across topology domains.",
            {{"labelSelector", selector, "The pods counted."},
             {"matchLabelKeys", strings, "Label keys of this pod added to the selector.", kAtomic},
             {"maxSkew", i32, "The most the pod counts of two domains may differ.", kRequired},
             {"minDomains", i32, "The least number of eligible domains."},
             {"nodeAffinityPolicy", str, "Honor or Ignore the pod's node affinity."},
             {"nodeTaintsPolicy", str, "Honor or Ignore node taints."},
             {"topologyKey", str, "The node label that defines a domain.", kRequired},
             {"whenUnsatisfiable", str, "DoNotSchedule or ScheduleAnyway.", kRequired}});
        const Node *podSecurityContext = object(
            "PodSecurityContext", "Security settings for all containers of a pod.",
            {{"appArmorProfile", appArmorProfile, "The AppArmor profile."},
             {"fsGroup", i64, "A supplemental group that owns the pod's volumes."},
             {"fsGroupChangePolicy", str, "OnRootMismatch or Always."},
             {"runAsGroup", i64, "The GID to run as."},
             {"runAsNonRoot", boolean, "Refuse to start containers that would run as root."},
             {"runAsUser", i64, "The UID to run as."},
             {"seLinuxChangePolicy", str, "MountOption or Recursive."},
             {"seLinuxOptions", seLinuxOptions, "SELinux labels."},
             {"seccompProfile", seccompProfile, "The seccomp profile."},
             {"supplementalGroups", list(i64), "More groups for the first process.", kAtomic},
             {"supplementalGroupsPolicy", str, "Merge or Strict."},
             {"sysctls",
              list(object("Sysctl", "A kernel parameter.",
                          {{"name", str, "The parameter.", kRequired},
                           {"value", str, "Its value.", kRequired}})),
              "Namespaced kernel parameters to set.", kAtomic},
             {"windowsOptions", windowsOptions, "Windows-specific options."}});
        const Node *keyToPath = object("KeyToPath", "Maps a key to a file in a volume.",
                                       {{"key", str, "The key.", kRequired},
                                        {"mode", i32, "The file mode bits (0000-0777)."},
                                        {"path", str, "The relative file path.", kRequired}});
        const Node *keysToPaths = list(keyToPath);
        const Node *downwardApiFile =
            object("DownwardAPIVolumeFile", "A file with pod information.",
                   {{"fieldRef", objectFieldSelector, "A field of the pod."},
                    {"mode", i32, "The file mode bits."},
                    {"path", str, "The relative file path.", kRequired},
                    {"resourceFieldRef", resourceFieldSelector, "A resource limit or request."}});
        const Node *configMapProjection = object(
            "ConfigMapProjection", "A ConfigMap's keys as files of a projected volume.",
            {{"items", keysToPaths, "Which keys, to which paths; all keys if empty.", kAtomic},
             {"name", str, "Name of the ConfigMap."},
             {"optional", boolean, "Whether it may be missing."}});
        const Node *secretProjection = object(
            "SecretProjection", "A Secret's keys as files of a projected volume.",
            {{"items", keysToPaths, "Which keys, to which paths; all keys if empty.", kAtomic},
             {"name", str, "Name of the Secret."},
             {"optional", boolean, "Whether it may be missing."}});
        const Node *volumeProjection =
            object("VolumeProjection", "One source of a projected volume.",
                   {{"clusterTrustBundle", notModelled, "Certificates of ClusterTrustBundles."},
                    {"configMap", configMapProjection, "A ConfigMap."},
                    {"downwardAPI",
                     object("DownwardAPIProjection", "Pod information as files.",
                            {{"items", list(downwardApiFile), "The files.", kAtomic}}),
                     "Pod information."},
                    {"secret", secretProjection, "A Secret."},
                    {"serviceAccountToken",
                     object("ServiceAccountTokenProjection", "A service account token as a file.",
                            {{"audience", str, "The token's intended audience."},
                             {"expirationSeconds", i64, "Requested validity (default 1 hour)."},
                             {"path", str, "The relative file path.", kRequired}}),
                     "A bound service account token."}});
        const Node *volume = object(
            "Volume", "A named volume the pod's containers can mount; exactly one source.",
            {{"awsElasticBlockStore", notModelled, "Deprecated in-tree driver."},
             {"azureDisk", notModelled, "Deprecated in-tree driver."},
             {"azureFile", notModelled, "Deprecated in-tree driver."},
             {"cephfs", notModelled, "Deprecated in-tree driver."},
             {"cinder", notModelled, "Deprecated in-tree driver."},
             {"configMap",
              object("ConfigMapVolumeSource", "A ConfigMap's keys as files.",
                     {{"defaultMode", i32, "Mode bits of the files (default 0644)."},
                      {"items", keysToPaths, "Which keys, to which paths; all if empty.", kAtomic},
                      {"name", str, "Name of the ConfigMap."},
                      {"optional", boolean, "Whether it may be missing."}}),
              "A ConfigMap."},
             {"csi",
              object("CSIVolumeSource", "An ephemeral volume of a CSI driver.",
                     {{"driver", str, "The CSI driver's name.", kRequired},
                      {"fsType", str, "The filesystem type, e.g. ext4."},
                      {"nodePublishSecretRef", localObjectReference, "A Secret for the driver."},
                      {"readOnly", boolean, "Mount read-only."},
                      {"volumeAttributes", stringMap, "Driver-specific properties."}}),
              "A CSI driver's ephemeral volume."},
             {"downwardAPI",
              object("DownwardAPIVolumeSource", "Pod information as files.",
                     {{"defaultMode", i32, "Mode bits of the files (default 0644)."},
                      {"items", list(downwardApiFile), "The files.", kAtomic}}),
              "Pod information."},
             {"emptyDir",
              object("EmptyDirVolumeSource", "An empty directory living as long as the pod.",
                     {{"medium", str, "\"\" (node storage) or Memory (tmpfs)."},
                      {"sizeLimit", quantity, "The most storage it may use."}}),
              "A temporary directory."},
             {"ephemeral", notModelled, "A PVC created for and with the pod."},
             {"fc", notModelled, "A Fibre Channel volume."},
             {"flexVolume", notModelled, "Deprecated FlexVolume driver."},
             {"flocker", notModelled, "Deprecated in-tree driver."},
             {"gcePersistentDisk", notModelled, "Deprecated in-tree driver."},
             {"gitRepo", notModelled, "Deprecated git checkout."},
             {"glusterfs", notModelled, "Deprecated in-tree driver."},
             {"hostPath",
              object("HostPathVolumeSource", "A file or directory of the node.",
                     {{"path", str, "The path on the node.", kRequired},
                      {"type", str, "What must exist there, e.g. Directory or File."}}),
              "A path on the node."},
             {"image", notModelled, "An OCI image's content."},
             {"iscsi", notModelled, "An iSCSI disk."},
             {"name", str, "The volume's name (a DNS label), unique in the pod.", kRequired},
             {"nfs",
              object("NFSVolumeSource", "An NFS export.",
                     {{"path", str, "The exported path.", kRequired},
                      {"readOnly", boolean, "Mount read-only."},
                      {"server", str, "The NFS server.", kRequired}}),
              "An NFS export."},
             {"persistentVolumeClaim",
              object("PersistentVolumeClaimVolumeSource", "A PVC in the pod's namespace.",
                     {{"claimName", str, "The PVC's name.", kRequired},
                      {"readOnly", boolean, "Mount read-only."}}),
              "A PersistentVolumeClaim."},
             {"photonPersistentDisk", notModelled, "Deprecated in-tree driver."},
             {"portworxVolume", notModelled, "Deprecated in-tree driver."},
             {"projected",
              object("ProjectedVolumeSource", "Several sources in one directory.",
                     {{"defaultMode", i32, "Mode bits of the files (default 0644)."},
                      {"sources", list(volumeProjection), "The sources.", kAtomic}}),
              "Several sources in one directory."},
             {"quobyte", notModelled, "Deprecated in-tree driver."},
             {"rbd", notModelled, "Deprecated in-tree driver."},
             {"scaleIO", notModelled, "Deprecated in-tree driver."},
             {"secret",
              object("SecretVolumeSource", "A Secret's keys as files.",
                     {{"defaultMode", i32, "Mode bits of the files (default 0644)."},
                      {"items", keysToPaths, "Which keys, to which paths; all if empty.", kAtomic},
                      {"optional", boolean, "Whether it may be missing."},
                      {"secretName", str, "Name of the Secret."}}),
              "A Secret."},
             {"storageos", notModelled, "Deprecated in-tree driver."},
             {"vsphereVolume", notModelled, "Deprecated in-tree driver."}});
        const Node *containers = list(container);
        const Ext containersExt = mergeBy("name");
        const Node *podSpec = object(
            "PodSpec", "The desired state of a pod: its containers, volumes and scheduling.",
            {{"activeDeadlineSeconds", i64, "Seconds the pod may be active before it fails."},
             {"affinity", affinity, "Scheduling constraints."},
             {"automountServiceAccountToken", boolean, "Mount the service account's token."},
             {"containers", containers, "The containers; at least one.",
              Ext{"merge", "name", "map", {QStringLiteral("name")}, true}},
             {"dnsConfig",
              object("PodDNSConfig", "DNS settings merged into the generated resolv.conf.",
                     {{"nameservers", strings, "DNS server IPs.", kAtomic},
                      {"options",
                       list(object("PodDNSConfigOption", "A resolver option.",
                                   {{"name", str, "The option."}, {"value", str, "Its value."}})),
                       "Resolver options.", kAtomic},
                      {"searches", strings, "Search domains.", kAtomic}}),
              "DNS settings."},
             {"dnsPolicy", str,
              "ClusterFirst (default), ClusterFirstWithHostNet, Default or None."},
             {"enableServiceLinks", boolean, "Inject Services as environment variables."},
             {"ephemeralContainers", list(ephemeralContainer), "Debug containers.", containersExt},
             {"hostAliases",
              list(object("HostAlias", "Lines added to the pod's /etc/hosts.",
                          {{"hostnames", strings, "Host names for the IP.", kAtomic},
                           {"ip", str, "The IP address.", kRequired}})),
              "Extra /etc/hosts entries.", mergeBy("ip")},
             {"hostIPC", boolean, "Use the host's IPC namespace."},
             {"hostNetwork", boolean, "Use the host's network namespace."},
             {"hostPID", boolean, "Use the host's PID namespace."},
             {"hostUsers", boolean, "Use the host's user namespace (default true)."},
             {"hostname", str, "The pod's hostname; its name by default."},
             {"imagePullSecrets", list(localObjectReference), "Secrets for pulling images.",
              mergeBy("name")},
             {"initContainers", containers, "Containers run to completion before the others.",
              containersExt},
             {"nodeName", str, "The node the pod is bound to."},
             {"nodeSelector", stringMap, "Labels a node must have to run the pod."},
             {"os",
              object("PodOS", "The pod's operating system.",
                     {{"name", str, "linux or windows.", kRequired}}),
              "The operating system of the containers."},
             {"overhead", quantityMap, "Resources the pod's sandbox uses."},
             {"preemptionPolicy", str, "PreemptLowerPriority or Never."},
             {"priority", i32, "The priority, from priorityClassName."},
             {"priorityClassName", str, "The PriorityClass to use."},
             {"readinessGates",
              list(object("PodReadinessGate", "A condition the pod's readiness waits for.",
                          {{"conditionType", str, "The condition type.", kRequired}})),
              "Conditions for pod readiness.", kAtomic},
             {"resourceClaims",
              list(object("PodResourceClaim", "A DRA resource claim of the pod.",
                          {{"name", str, "The name containers use.", kRequired},
                           {"resourceClaimName", str, "An existing ResourceClaim."},
                           {"resourceClaimTemplateName", str, "A ResourceClaimTemplate."}})),
              "Dynamic resources the pod uses.",
              Ext{"merge,retainKeys", "name", "map", {QStringLiteral("name")}, false}},
             {"resources", resources, "Pod-level compute resources."},
             {"restartPolicy", str, "Always (default), OnFailure or Never."},
             {"runtimeClassName", str, "The RuntimeClass to run with."},
             {"schedulerName", str, "The scheduler to use."},
             {"schedulingGates",
              list(object("PodSchedulingGate", "Holds scheduling back while present.",
                          {{"name", str, "The gate's name.", kRequired}})),
              "Gates that block scheduling.", mergeBy("name")},
             {"securityContext", podSecurityContext, "Pod-level security settings."},
             {"serviceAccount", str, "Deprecated alias of serviceAccountName."},
             {"serviceAccountName", str, "The ServiceAccount to run as."},
             {"setHostnameAsFQDN", boolean, "Use the FQDN as the hostname."},
             {"shareProcessNamespace", boolean, "Share one PID namespace among containers."},
             {"subdomain", str, "The pod's subdomain, for DNS."},
             {"terminationGracePeriodSeconds", i64,
              "Seconds between SIGTERM and SIGKILL on deletion (default 30)."},
             {"tolerations", list(toleration), "Taints the pod tolerates.", kAtomic},
             {"topologySpreadConstraints", list(topologySpreadConstraint),
              "How to spread pods across domains.",
              Ext{"merge",
                  "topologyKey",
                  "map",
                  {QStringLiteral("topologyKey"), QStringLiteral("whenUnsatisfiable")},
                  false}},
             {"volumes", list(volume), "Volumes the containers can mount.",
              Ext{"merge,retainKeys", "name", "map", {QStringLiteral("name")}, false}}});
        const Node *podTemplate =
            object("PodTemplateSpec", "The pods a controller creates.",
                   {{"metadata", meta, "The pods' metadata, labels in particular."},
                    {"spec", podSpec, "The pods' spec."}});

        // --- core/v1: pod status ---------------------------------------------------------
        const Node *containerState =
            object("ContainerState", "A container's state: exactly one of its fields.",
                   {{"running",
                     object("ContainerStateRunning", "The container is running.",
                            {{"startedAt", time, "When it (re)started."}}),
                     "Running."},
                    {"terminated",
                     object("ContainerStateTerminated", "The container has exited.",
                            {{"containerID", str, "The container's id."},
                             {"exitCode", i32, "Its exit code.", kRequired},
                             {"finishedAt", time, "When it exited."},
                             {"message", str, "A message about the exit."},
                             {"reason", str, "Why it exited, e.g. Completed or OOMKilled."},
                             {"signal", i32, "The signal that ended it."},
                             {"startedAt", time, "When it started."}}),
                     "Exited."},
                    {"waiting",
                     object("ContainerStateWaiting", "The container is not running yet.",
                            {{"message", str, "A message about the wait."},
                             {"reason", str, "Why, e.g. ContainerCreating or CrashLoopBackOff."}}),
                     "Waiting."}});
        const Node *containerStatus =
            object("ContainerStatus", "The observed state of one container.",
                   {{"allocatedResources", quantityMap, "Resources allocated by the node."},
                    {"allocatedResourcesStatus", notModelled, "Health of allocated devices."},
                    {"containerID", str, "The runtime's id, <type>://<id>."},
                    {"image", str, "The image it runs."},
                    {"imageID", str, "The image's digest."},
                    {"lastState", containerState, "The previous termination, if any."},
                    {"name", str, "The container's name.", kRequired},
                    {"ready", boolean, "Whether its readiness probe passes.", kRequired},
                    {"resources", resources, "The resources actually configured."},
                    {"restartCount", i32, "How often it was restarted.", kRequired},
                    {"started", boolean, "Whether its startup probe passed."},
                    {"state", containerState, "Its current state."},
                    {"user", notModelled, "The identity it runs with."},
                    {"volumeMounts",
                     list(object("VolumeMountStatus", "A mounted volume's state.",
                                 {{"mountPath", str, "Where it is mounted.", kRequired},
                                  {"name", str, "The volume's name.", kRequired},
                                  {"readOnly", boolean, "Mounted read-only."},
                                  {"recursiveReadOnly", str, "The recursive read-only mode."}})),
                     "The mounts' states.", mergeBy("mountPath")}});
        const Node *containerStatuses = list(containerStatus);
        const Node *podCondition =
            object("PodCondition", "One aspect of a pod's state (PodScheduled, Ready, ...).",
                   {{"lastProbeTime", time, "When it was last probed."},
                    {"lastTransitionTime", time, "When status last changed."},
                    {"message", str, "A human-readable explanation."},
                    {"reason", str, "A CamelCase reason for the last transition."},
                    {"status", str, "True, False or Unknown.", kRequired},
                    {"type", str, "The condition's type.", kRequired}});
        const Node *podIp =
            object("PodIP", "An IP address of the pod.", {{"ip", str, "The address.", kRequired}});
        const Node *hostIp = object("HostIP", "An IP address of the pod's node.",
                                    {{"ip", str, "The address.", kRequired}});
        const Node *podStatus = object(
            "PodStatus", "The observed state of a pod.",
            {{"conditions", list(podCondition), "The pod's conditions.", mergeBy("type")},
             {"containerStatuses", containerStatuses, "One per container.", kAtomic},
             {"ephemeralContainerStatuses", containerStatuses, "One per debug container.", kAtomic},
             {"hostIP", str, "The IP of the node the pod runs on."},
             {"hostIPs", list(hostIp), "The IPs of the node.", kAtomic},
             {"initContainerStatuses", containerStatuses, "One per init container.", kAtomic},
             {"message", str, "Why the pod is in this state."},
             {"nominatedNodeName", str, "The node preemption made room on."},
             {"phase", str, "Pending, Running, Succeeded, Failed or Unknown."},
             {"podIP", str, "The pod's IP."},
             {"podIPs", list(podIp), "The pod's IPs.", mergeBy("ip")},
             {"qosClass", str, "Guaranteed, Burstable or BestEffort."},
             {"reason", str, "A CamelCase reason, e.g. Evicted."},
             {"resize", str, "The state of an in-place resize."},
             {"resourceClaimStatuses",
              list(object("PodResourceClaimStatus", "The claim created for a pod's claim.",
                          {{"name", str, "The claim in pod.spec.resourceClaims.", kRequired},
                           {"resourceClaimName", str, "The ResourceClaim created."}})),
              "Claims created for the pod.", mergeBy("name")},
             {"startTime", time, "When the kubelet accepted the pod."}});

        // --- apps/v1 ---------------------------------------------------------------------
        m_package = kAppsPackage;
        const Node *rollingUpdate = object(
            "RollingUpdateDeployment", "How far a rolling update may go beyond the bounds.",
            {{"maxSurge", intOrString,
              "Pods that may exist above replicas during the update: a number or a percentage "
              "(rounded up). Default 25%."},
             {"maxUnavailable", intOrString,
              "Pods that may be unavailable during the update: a number or a percentage "
              "(rounded down). Default 25%."}});
        const Node *strategy =
            object("DeploymentStrategy", "How pods are replaced by new ones.",
                   {{"rollingUpdate", rollingUpdate, "The bounds of a rolling update."},
                    {"type", str, "RollingUpdate (default) or Recreate."}});
        const Node *deploymentSpec = object(
            "DeploymentSpec", "The desired state of a Deployment.",
            {{"minReadySeconds", i32,
              "Seconds a new pod must be ready to count as available (default 0)."},
             {"paused", boolean, "Whether the rollout is paused."},
             {"progressDeadlineSeconds", i32,
              "Seconds without progress before the rollout is reported failed (default 600)."},
             {"replicas", i32, "The desired number of pods (default 1)."},
             {"revisionHistoryLimit", i32, "Old ReplicaSets kept for rollback (default 10)."},
             {"selector", selector, "Which pods belong to the Deployment; immutable.", kRequired},
             {"strategy", strategy, "How old pods are replaced by new ones.",
              Ext{"retainKeys", nullptr, nullptr, {}, false}},
             {"template", podTemplate, "The pods to create.", kRequired}});
        const Node *deploymentCondition =
            object("DeploymentCondition", "One aspect of a Deployment's state.",
                   {{"lastTransitionTime", time, "When status last changed."},
                    {"lastUpdateTime", time, "When the condition was last updated."},
                    {"message", str, "A human-readable explanation."},
                    {"reason", str, "A CamelCase reason for the last transition."},
                    {"status", str, "True, False or Unknown.", kRequired},
                    {"type", str, "Available, Progressing or ReplicaFailure.", kRequired}});
        const Node *deploymentStatus =
            object("DeploymentStatus", "The observed state of a Deployment.",
                   {{"availableReplicas", i32, "Pods ready for at least minReadySeconds."},
                    {"collisionCount", i32, "Counts template hash collisions."},
                    {"conditions", list(deploymentCondition), "The Deployment's conditions.",
                     mergeBy("type")},
                    {"observedGeneration", i64, "The generation the controller last acted on."},
                    {"readyReplicas", i32, "Pods that are ready."},
                    {"replicas", i32, "Pods that are not terminating."},
                    {"unavailableReplicas", i32, "Pods still needed for full availability."},
                    {"updatedReplicas", i32, "Pods of the current template."}});
        deployment = object("Deployment", "Declarative updates for pods through ReplicaSets.",
                            {{"apiVersion", str, "The versioned schema of this object: apps/v1."},
                             {"kind", str, "The object's kind: Deployment."},
                             {"metadata", meta, "Standard object metadata."},
                             {"spec", deploymentSpec, "The desired state."},
                             {"status", deploymentStatus, "The observed state (read-only)."}});

        const Node *replicaSetSpec = object(
            "ReplicaSetSpec", "The desired state of a ReplicaSet.",
            {{"minReadySeconds", i32, "Seconds a new pod must be ready to count as available."},
             {"replicas", i32, "The desired number of pods (default 1)."},
             {"selector", selector, "Which pods the ReplicaSet counts.", kRequired},
             {"template", podTemplate, "The pods to create."}});
        const Node *replicaSetCondition =
            object("ReplicaSetCondition", "One aspect of a ReplicaSet's state.",
                   {{"lastTransitionTime", time, "When status last changed."},
                    {"message", str, "A human-readable explanation."},
                    {"reason", str, "A CamelCase reason for the last transition."},
                    {"status", str, "True, False or Unknown.", kRequired},
                    {"type", str, "The condition's type, e.g. ReplicaFailure.", kRequired}});
        const Node *replicaSetStatus =
            object("ReplicaSetStatus", "The observed state of a ReplicaSet.",
                   {{"availableReplicas", i32, "Pods ready for at least minReadySeconds."},
                    {"conditions", list(replicaSetCondition), "The ReplicaSet's conditions.",
                     mergeBy("type")},
                    {"fullyLabeledReplicas", i32, "Pods whose labels match the template's."},
                    {"observedGeneration", i64, "The generation the controller last acted on."},
                    {"readyReplicas", i32, "Pods that are ready."},
                    {"replicas", i32, "Pods that exist.", kRequired}});
        replicaSet = object("ReplicaSet", "Keeps a number of identical pods running.",
                            {{"apiVersion", str, "The versioned schema of this object: apps/v1."},
                             {"kind", str, "The object's kind: ReplicaSet."},
                             {"metadata", meta, "Standard object metadata."},
                             {"spec", replicaSetSpec, "The desired state."},
                             {"status", replicaSetStatus, "The observed state (read-only)."}});

        // --- core/v1: kinds --------------------------------------------------------------
        m_package = kCorePackage;
        pod = object("Pod", "A group of containers run together on one node.",
                     {{"apiVersion", str, "The versioned schema of this object: v1."},
                      {"kind", str, "The object's kind: Pod."},
                      {"metadata", meta, "Standard object metadata."},
                      {"spec", podSpec, "The desired state."},
                      {"status", podStatus, "The observed state (read-only)."}});

        const Node *servicePort = object(
            "ServicePort", "A port a Service exposes.",
            {{"appProtocol", str, "The application protocol, e.g. http or kubernetes.io/h2c."},
             {"name", str, "The port's name; required when there are several ports."},
             {"nodePort", i32, "The port on every node, for NodePort and LoadBalancer."},
             {"port", i32, "The port the Service listens on.", kRequired},
             {"protocol", str, "TCP (default), UDP or SCTP."},
             {"targetPort", intOrString,
              "The pods' port: a number or a container port's name (default: port)."}});
        const Node *loadBalancerIngress =
            object("LoadBalancerIngress", "An ingress point of a load balancer.",
                   {{"hostname", str, "A DNS name."},
                    {"ip", str, "An IP address."},
                    {"ipMode", str, "VIP or Proxy."},
                    {"ports",
                     list(object("PortStatus", "The state of a load balancer port.",
                                 {{"error", str, "Why the port failed, if it did."},
                                  {"port", i32, "The port.", kRequired},
                                  {"protocol", str, "TCP, UDP or SCTP.", kRequired}})),
                     "The ports' states.", kAtomic}});
        const Node *serviceSpec = object(
            "ServiceSpec", "The desired state of a Service.",
            {{"allocateLoadBalancerNodePorts", boolean, "Allocate node ports for LoadBalancer."},
             {"clusterIP", str, "The virtual IP; None makes a headless Service."},
             {"clusterIPs", strings, "The virtual IPs, one per family.", kAtomic},
             {"externalIPs", strings, "IPs routed to the Service from outside.", kAtomic},
             {"externalName", str, "The DNS name an ExternalName Service aliases."},
             {"externalTrafficPolicy", str, "Cluster or Local."},
             {"healthCheckNodePort", i32, "The health check port for Local traffic policy."},
             {"internalTrafficPolicy", str, "Cluster or Local."},
             {"ipFamilies", strings, "IPv4 and/or IPv6.", kAtomic},
             {"ipFamilyPolicy", str, "SingleStack, PreferDualStack or RequireDualStack."},
             {"loadBalancerClass", str, "The load balancer implementation."},
             {"loadBalancerIP", str, "Deprecated: a requested load balancer IP."},
             {"loadBalancerSourceRanges", strings, "Client CIDRs allowed.", kAtomic},
             {"ports", list(servicePort), "The ports the Service exposes.",
              mergeBy("port", {QStringLiteral("port"), QStringLiteral("protocol")})},
             {"publishNotReadyAddresses", boolean, "Include unready pods in endpoints."},
             {"selector", stringMap, "Labels of the pods traffic goes to."},
             {"sessionAffinity", str, "None or ClientIP."},
             {"sessionAffinityConfig",
              object("SessionAffinityConfig", "Session affinity settings.",
                     {{"clientIP",
                       object("ClientIPConfig", "ClientIP affinity settings.",
                              {{"timeoutSeconds", i32, "The sticky time (default 3 hours)."}}),
                       "ClientIP affinity."}}),
              "Session affinity settings."},
             {"trafficDistribution", str, "A preference such as PreferClose."},
             {"type", str, "ClusterIP (default), NodePort, LoadBalancer or ExternalName."}});
        const Node *serviceStatus = object(
            "ServiceStatus", "The observed state of a Service.",
            {{"conditions", list(metaCondition), "The Service's conditions.", mergeBy("type")},
             {"loadBalancer",
              object("LoadBalancerStatus", "The load balancer's state.",
                     {{"ingress", list(loadBalancerIngress), "Its ingress points.", kAtomic}}),
              "The load balancer, if any."}});
        service = object("Service", "A stable address for a set of pods.",
                         {{"apiVersion", str, "The versioned schema of this object: v1."},
                          {"kind", str, "The object's kind: Service."},
                          {"metadata", meta, "Standard object metadata."},
                          {"spec", serviceSpec, "The desired state."},
                          {"status", serviceStatus, "The observed state (read-only)."}});

        const Node *namespaceCondition =
            object("NamespaceCondition", "One aspect of a namespace's state.",
                   {{"lastTransitionTime", time, "When status last changed."},
                    {"message", str, "A human-readable explanation."},
                    {"reason", str, "A CamelCase reason for the last transition."},
                    {"status", str, "True, False or Unknown.", kRequired},
                    {"type", str, "The condition's type.", kRequired}});
        namespaceKind =
            object("Namespace", "A scope for names; deleting it deletes everything in it.",
                   {{"apiVersion", str, "The versioned schema of this object: v1."},
                    {"kind", str, "The object's kind: Namespace."},
                    {"metadata", meta, "Standard object metadata."},
                    {"spec",
                     object("NamespaceSpec", "The desired state of a namespace.",
                            {{"finalizers", strings,
                              "Finalizers that must run before it is removed.", kAtomic}}),
                     "The desired state."},
                    {"status",
                     object("NamespaceStatus", "The observed state of a namespace.",
                            {{"conditions", list(namespaceCondition), "The namespace's conditions.",
                              mergeBy("type")},
                             {"phase", str, "Active or Terminating."}}),
                     "The observed state (read-only)."}});

        // --- autoscaling/v1 --------------------------------------------------------------
        m_package = kAutoscalingPackage;
        scale = object("Scale", "The scale subresource: a resource's replica count.",
                       {{"apiVersion", str, "The versioned schema of this object: autoscaling/v1."},
                        {"kind", str, "The object's kind: Scale."},
                        {"metadata", meta, "Standard object metadata."},
                        {"spec",
                         object("ScaleSpec", "The desired scale.",
                                {{"replicas", i32, "The desired number of instances."}}),
                         "The desired scale."},
                        {"status",
                         object("ScaleStatus", "The observed scale.",
                                {{"replicas", i32, "The current number of instances.", kRequired},
                                 {"selector", str, "The pods' label selector, as a string."}}),
                         "The observed scale (read-only)."}});
    }

    const char *m_package = kCorePackage;
    std::deque<Node> m_pool; // a deque never moves what it holds
};

const Schemas &schemas()
{
    static const Schemas instance;
    return instance;
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
        if (!node->goName.isEmpty()) // a named map type, e.g. v1.ResourceList
            return QStringLiteral("v1.") + node->goName;
        return QStringLiteral("map[string]") + goTypeName(node->element);
    case K::List:
        return QStringLiteral("[]") + goTypeName(node->element);
    case K::String:
    case K::Time: // metav1.Time decodes its JSON string with encoding/json
        return QStringLiteral("string");
    case K::Int32:
    case K::IntOrString: // intstr decodes a non-string into its int32
        return QStringLiteral("int32");
    case K::Int64:
        return QStringLiteral("int64");
    case K::Bool:
        return QStringLiteral("bool");
    case K::Quantity:
        return QStringLiteral("resource.Quantity");
    case K::Any:
        break;
    }
    return QStringLiteral("interface {}");
}

// resource.ParseQuantity's verdict on `text`: nullopt when it parses, else its error text.
std::optional<QString> quantityProblem(const QString &text)
{
    static const QString formatWrong =
        QStringLiteral("quantities must match the regular expression "
                       "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    if (text.isEmpty())
        return formatWrong;
    if (text == u"0")
        return std::nullopt;
    const qsizetype end = text.size();
    qsizetype pos = 0;
    auto isDigit = [&](qsizetype i) { return text.at(i) >= u'0' && text.at(i) <= u'9'; };
    if (text.at(0) == u'-' || text.at(0) == u'+')
        ++pos;
    bool digits = false;
    while (pos < end && isDigit(pos)) {
        ++pos;
        digits = true;
    }
    if (pos < end && text.at(pos) == u'.') {
        ++pos;
        while (pos < end && isDigit(pos)) {
            ++pos;
            digits = true;
        }
    }
    const qsizetype suffixStart = pos;
    // The suffix: letters of "eEinumkKMGTP", then an optional sign and digits; anything else
    // is the format error.
    while (pos < end && QStringView(u"eEinumkKMGTP").contains(text.at(pos)))
        ++pos;
    if (pos < end && (text.at(pos) == u'-' || text.at(pos) == u'+'))
        ++pos;
    while (pos < end && isDigit(pos))
        ++pos;
    if (pos < end)
        return formatWrong;
    // A sign alone is zero (the numerator's leading zeros are all stripped); a bare "." is not
    // a number.
    const QStringView number = QStringView(text).left(suffixStart);
    if (!digits && number.contains(u'.'))
        return QStringLiteral("unable to parse numeric part of quantity");
    const QStringView suffix = QStringView(text).mid(suffixStart);
    static const QStringList known{QString(),
                                   QStringLiteral("n"),
                                   QStringLiteral("u"),
                                   QStringLiteral("m"),
                                   QStringLiteral("k"),
                                   QStringLiteral("M"),
                                   QStringLiteral("G"),
                                   QStringLiteral("T"),
                                   QStringLiteral("P"),
                                   QStringLiteral("E"),
                                   QStringLiteral("Ki"),
                                   QStringLiteral("Mi"),
                                   QStringLiteral("Gi"),
                                   QStringLiteral("Ti"),
                                   QStringLiteral("Pi"),
                                   QStringLiteral("Ei")};
    if (known.contains(suffix))
        return std::nullopt;
    if (suffix.size() > 1 && (suffix.at(0) == u'e' || suffix.at(0) == u'E')) {
        bool ok = false;
        const qint64 exponent = suffix.mid(1).toLongLong(&ok);
        Q_UNUSED(exponent)
        if (ok)
            return std::nullopt;
    }
    return QStringLiteral("unable to parse quantity's suffix");
}

// The text resource.Quantity's UnmarshalJSON parses for a JSON value: a string's content, or
// the value's JSON text.
QString quantityText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString().trimmed();
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        const QVariant variant = value.toVariant();
        if (variant.typeId() == QMetaType::LongLong)
            return QString::number(variant.toLongLong());
        return QString::number(value.toDouble(), 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::Array:
        return QStringLiteral("[");
    default:
        return QStringLiteral("{");
    }
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
        case K::Time:
            if (!v.isString())
                mismatch(jsonKind(v));
            return;
        case K::Quantity:
            // Its UnmarshalJSON's own error, which Go's json passes on as it is.
            if (auto problem = quantityProblem(quantityText(v)))
                m_out.typeError = *problem;
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
            // Maps of scalars only: no map of structs is modelled (unknown fields inside one
            // would need their own path form).
            if (node->element->kind != K::Struct && node->element->kind != K::List &&
                node->element->kind != K::Map) {
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
                const Field *field = node->field(it.key());
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
                value(child, field->node, node->goName, joined(typePath, it.key()),
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

const Field *Node::field(const QString &name) const
{
    // Fields are sorted by name.
    const auto it = std::lower_bound(fields.cbegin(), fields.cend(), name,
                                     [](const Field &f, const QString &n) { return f.name < n; });
    return it != fields.cend() && it->name == name ? &*it : nullptr;
}

QString Node::componentName() const
{
    if (package.isEmpty() || goName.isEmpty())
        return {};
    return package + u'.' + goName;
}

const Node *root(const ResourceType &type, bool scale)
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

bool hasSchema(const ResourceType &type)
{
    return root(type, false) != nullptr;
}

Decoded decode(const ResourceType &type, QJsonObject &object, bool scale)
{
    Decoded out;
    const Node *root = Schema::root(type, scale);
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
