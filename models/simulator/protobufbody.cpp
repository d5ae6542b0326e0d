// SPDX-License-Identifier: MIT
#include "protobufbody.h"

#include "apimachinery/httpstatus.h"
#include "resources.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdint>
#include <google/protobuf/io/coded_stream.h>
#include <map>
#include <string>
#include <vector>

namespace rollscope::sim::ProtobufBody {

namespace {

// How a field's bytes become JSON.
enum class PbType : quint8
{
    String,
    Bool,
    Int32,
    Int64,
    Message,     // a nested message: a JSON object
    Quantity,    // resource.Quantity{string = 1}: its string
    IntOrString, // intstr.IntOrString{type = 1, intVal = 2, strVal = 3}: a number or a string
    Time,        // metav1.Time as Timestamp{seconds = 1, nanos = 2}: RFC 3339, seconds only
    FieldsV1,    // metav1.FieldsV1{raw = 1}: the JSON document it holds
};

enum PbFlag : quint8
{
    Repeated = 1, // a JSON array (packed or not for scalars)
    Map = 2,      // map<string, T>: repeated entries {key = 1, value = 2}, a JSON object
    Pointer = 4,  // a pointer in Go: emitted when present, even when zero
    Inline = 8,   // an embedded Go struct: its fields go into the enclosing JSON object
};

struct PbMessage;

struct PbField
{
    quint32 number = 0;
    const char *json = "";
    PbType type = PbType::String;
    quint8 flags = 0;
    const PbMessage *message = nullptr;
};

struct PbMessage
{
    const char *goName = "";
    std::vector<PbField> fields;

    const PbField *field(quint32 number) const
    {
        for (const PbField &f : fields) {
            if (f.number == number)
                return &f;
        }
        return nullptr;
    }
};

// The message types, from k8s.io/api/{apps,core,autoscaling}/v1 and apimachinery's meta/v1
// generated.proto. Where the simulator's schema (schema.cpp) types a struct, only the fields it
// knows are listed: kubectl sends fieldValidation=Strict, and a field Go would decode but the
// simulator does not know must not turn into a strict "unknown field" error. The subtrees the
// schema keeps as they come (env, probes, volumes, ...) are decoded as far as listed here.
struct PbTables
{
    PbMessage objectMeta, ownerReference, managedFieldsEntry, labelSelector, labelRequirement;
    PbMessage deployment, deploymentSpec, deploymentStrategy, rollingUpdate, deploymentStatus,
        deploymentCondition;
    PbMessage replicaSet, replicaSetSpec, replicaSetStatus, replicaSetCondition;
    PbMessage podTemplateSpec, podSpec, container, containerPort, envVar, envVarSource,
        objectFieldSelector, resourceFieldSelector, keySelector, envFromSource, envSource,
        localObjectReference, resources, resourceClaim, volumeMount, volumeDevice, resizePolicy,
        probe, probeHandler, execAction, httpGetAction, httpHeader, tcpSocketAction, grpcAction,
        lifecycle, lifecycleHandler, sleepAction, securityContext, capabilities, seLinuxOptions,
        seccompProfile, appArmorProfile, podSecurityContext, sysctl, toleration, volume,
        volumeSource, hostPathVolume, emptyDirVolume, secretVolume, configMapVolume, keyToPath,
        pvcVolume, downwardApiVolume, downwardApiFile, hostAlias, podDnsConfig, dnsOption,
        readinessGate, podOs, schedulingGate, topologySpread, affinity, nodeAffinity, nodeSelector,
        nodeSelectorTerm, nodeSelectorRequirement, preferredSchedulingTerm, podAffinity,
        podAffinityTerm, weightedPodAffinityTerm;
    PbMessage pod, podStatus, podCondition, podIp, containerStatus, containerState, stateWaiting,
        stateRunning, stateTerminated;
    PbMessage service, serviceSpec, servicePort, sessionAffinityConfig, clientIpConfig,
        serviceStatus, loadBalancerStatus, loadBalancerIngress, portStatus, condition;
    PbMessage namespaceKind, namespaceSpec, namespaceStatus, namespaceCondition;
    PbMessage scale, scaleSpec, scaleStatus;

    PbTables()
    {
        using T = PbType;
        constexpr quint8 R = Repeated, M = Map, P = Pointer, I = Inline;

        // --- meta/v1
        objectMeta = {"ObjectMeta",
                      {{1, "name"},
                       {2, "generateName"},
                       {3, "namespace"},
                       {4, "selfLink"},
                       {5, "uid"},
                       {6, "resourceVersion"},
                       {7, "generation", T::Int64},
                       {8, "creationTimestamp", T::Time},
                       {9, "deletionTimestamp", T::Time, P},
                       {10, "deletionGracePeriodSeconds", T::Int64, P},
                       {11, "labels", T::String, M},
                       {12, "annotations", T::String, M},
                       {13, "ownerReferences", T::Message, R, &ownerReference},
                       {14, "finalizers", T::String, R},
                       {17, "managedFields", T::Message, R, &managedFieldsEntry}}};
        ownerReference = {"OwnerReference",
                          {{5, "apiVersion"},
                           {1, "kind"},
                           {3, "name"},
                           {4, "uid"},
                           {6, "controller", T::Bool, P},
                           {7, "blockOwnerDeletion", T::Bool, P}}};
        managedFieldsEntry = {"ManagedFieldsEntry",
                              {{1, "manager"},
                               {2, "operation"},
                               {3, "apiVersion"},
                               {4, "time", T::Time, P},
                               {6, "fieldsType"},
                               {7, "fieldsV1", T::FieldsV1, P},
                               {8, "subresource"}}};
        labelSelector = {"LabelSelector",
                         {{1, "matchLabels", T::String, M},
                          {2, "matchExpressions", T::Message, R, &labelRequirement}}};
        labelRequirement = {"LabelSelectorRequirement",
                            {{1, "key"}, {2, "operator"}, {3, "values", T::String, R}}};
        condition = {"Condition",
                     {{1, "type"},
                      {2, "status"},
                      {3, "observedGeneration", T::Int64},
                      {4, "lastTransitionTime", T::Time},
                      {5, "reason"},
                      {6, "message"}}};

        // --- apps/v1 (DeploymentSpec.podReplacementPolicy and the status' terminatingReplicas
        // are left out: the simulator's schema does not have them)
        deployment = {"Deployment",
                      {{1, "metadata", T::Message, 0, &objectMeta},
                       {2, "spec", T::Message, 0, &deploymentSpec},
                       {3, "status", T::Message, 0, &deploymentStatus}}};
        deploymentSpec = {"DeploymentSpec",
                          {{1, "replicas", T::Int32, P},
                           {2, "selector", T::Message, P, &labelSelector},
                           {3, "template", T::Message, 0, &podTemplateSpec},
                           {4, "strategy", T::Message, 0, &deploymentStrategy},
                           {5, "minReadySeconds", T::Int32},
                           {6, "revisionHistoryLimit", T::Int32, P},
                           {7, "paused", T::Bool},
                           {9, "progressDeadlineSeconds", T::Int32, P}}};
        deploymentStrategy = {"DeploymentStrategy",
                              {{1, "type"}, {2, "rollingUpdate", T::Message, P, &rollingUpdate}}};
        rollingUpdate = {
            "RollingUpdateDeployment",
            {{1, "maxUnavailable", T::IntOrString, P}, {2, "maxSurge", T::IntOrString, P}}};
        deploymentStatus = {"DeploymentStatus",
                            {{1, "observedGeneration", T::Int64},
                             {2, "replicas", T::Int32},
                             {3, "updatedReplicas", T::Int32},
                             {7, "readyReplicas", T::Int32},
                             {4, "availableReplicas", T::Int32},
                             {5, "unavailableReplicas", T::Int32},
                             {6, "conditions", T::Message, R, &deploymentCondition},
                             {8, "collisionCount", T::Int32, P}}};
        deploymentCondition = {"DeploymentCondition",
                               {{1, "type"},
                                {2, "status"},
                                {6, "lastUpdateTime", T::Time},
                                {7, "lastTransitionTime", T::Time},
                                {4, "reason"},
                                {5, "message"}}};
        replicaSet = {"ReplicaSet",
                      {{1, "metadata", T::Message, 0, &objectMeta},
                       {2, "spec", T::Message, 0, &replicaSetSpec},
                       {3, "status", T::Message, 0, &replicaSetStatus}}};
        replicaSetSpec = {"ReplicaSetSpec",
                          {{1, "replicas", T::Int32, P},
                           {4, "minReadySeconds", T::Int32},
                           {2, "selector", T::Message, P, &labelSelector},
                           {3, "template", T::Message, 0, &podTemplateSpec}}};
        replicaSetStatus = {"ReplicaSetStatus",
                            {{1, "replicas", T::Int32},
                             {2, "fullyLabeledReplicas", T::Int32},
                             {4, "readyReplicas", T::Int32},
                             {5, "availableReplicas", T::Int32},
                             {3, "observedGeneration", T::Int64},
                             {6, "conditions", T::Message, R, &replicaSetCondition}}};
        replicaSetCondition = {"ReplicaSetCondition",
                               {{1, "type"},
                                {2, "status"},
                                {3, "lastTransitionTime", T::Time},
                                {4, "reason"},
                                {5, "message"}}};

        // --- core/v1: pods (PodSpec.ephemeralContainers, resourceClaims and the Windows
        // options are left out)
        podTemplateSpec = {
            "PodTemplateSpec",
            {{1, "metadata", T::Message, 0, &objectMeta}, {2, "spec", T::Message, 0, &podSpec}}};
        podSpec = {"PodSpec",
                   {{1, "volumes", T::Message, R, &volume},
                    {2, "containers", T::Message, R, &container},
                    {3, "restartPolicy"},
                    {4, "terminationGracePeriodSeconds", T::Int64, P},
                    {5, "activeDeadlineSeconds", T::Int64, P},
                    {6, "dnsPolicy"},
                    {7, "nodeSelector", T::String, M},
                    {8, "serviceAccountName"},
                    {9, "serviceAccount"},
                    {10, "nodeName"},
                    {11, "hostNetwork", T::Bool},
                    {12, "hostPID", T::Bool},
                    {13, "hostIPC", T::Bool},
                    {14, "securityContext", T::Message, P, &podSecurityContext},
                    {15, "imagePullSecrets", T::Message, R, &localObjectReference},
                    {16, "hostname"},
                    {17, "subdomain"},
                    {18, "affinity", T::Message, P, &affinity},
                    {19, "schedulerName"},
                    {20, "initContainers", T::Message, R, &container},
                    {21, "automountServiceAccountToken", T::Bool, P},
                    {22, "tolerations", T::Message, R, &toleration},
                    {23, "hostAliases", T::Message, R, &hostAlias},
                    {24, "priorityClassName"},
                    {25, "priority", T::Int32, P},
                    {26, "dnsConfig", T::Message, P, &podDnsConfig},
                    {27, "shareProcessNamespace", T::Bool, P},
                    {28, "readinessGates", T::Message, R, &readinessGate},
                    {29, "runtimeClassName", T::String, P},
                    {30, "enableServiceLinks", T::Bool, P},
                    {31, "preemptionPolicy", T::String, P},
                    {32, "overhead", T::Quantity, M},
                    {33, "topologySpreadConstraints", T::Message, R, &topologySpread},
                    {35, "setHostnameAsFQDN", T::Bool, P},
                    {36, "os", T::Message, P, &podOs},
                    {37, "hostUsers", T::Bool, P},
                    {38, "schedulingGates", T::Message, R, &schedulingGate},
                    {40, "resources", T::Message, P, &resources}}};
        container = {"Container",
                     {{1, "name"},
                      {2, "image"},
                      {3, "command", T::String, R},
                      {4, "args", T::String, R},
                      {5, "workingDir"},
                      {6, "ports", T::Message, R, &containerPort},
                      {7, "env", T::Message, R, &envVar},
                      {8, "resources", T::Message, 0, &resources},
                      {9, "volumeMounts", T::Message, R, &volumeMount},
                      {10, "livenessProbe", T::Message, P, &probe},
                      {11, "readinessProbe", T::Message, P, &probe},
                      {12, "lifecycle", T::Message, P, &lifecycle},
                      {13, "terminationMessagePath"},
                      {14, "imagePullPolicy"},
                      {15, "securityContext", T::Message, P, &securityContext},
                      {16, "stdin", T::Bool},
                      {17, "stdinOnce", T::Bool},
                      {18, "tty", T::Bool},
                      {19, "envFrom", T::Message, R, &envFromSource},
                      {20, "terminationMessagePolicy"},
                      {21, "volumeDevices", T::Message, R, &volumeDevice},
                      {22, "startupProbe", T::Message, P, &probe},
                      {23, "resizePolicy", T::Message, R, &resizePolicy},
                      {24, "restartPolicy", T::String, P}}};
        containerPort = {"ContainerPort",
                         {{1, "name"},
                          {2, "hostPort", T::Int32},
                          {3, "containerPort", T::Int32},
                          {4, "protocol"},
                          {5, "hostIP"}}};
        envVar = {"EnvVar",
                  {{1, "name"}, {2, "value"}, {3, "valueFrom", T::Message, P, &envVarSource}}};
        envVarSource = {"EnvVarSource",
                        {{1, "fieldRef", T::Message, P, &objectFieldSelector},
                         {2, "resourceFieldRef", T::Message, P, &resourceFieldSelector},
                         {3, "configMapKeyRef", T::Message, P, &keySelector},
                         {4, "secretKeyRef", T::Message, P, &keySelector}}};
        objectFieldSelector = {"ObjectFieldSelector", {{1, "apiVersion"}, {2, "fieldPath"}}};
        resourceFieldSelector = {
            "ResourceFieldSelector",
            {{1, "containerName"}, {2, "resource"}, {3, "divisor", T::Quantity}}};
        // ConfigMapKeySelector and SecretKeySelector have the same fields.
        keySelector = {"KeySelector",
                       {{1, "localObjectReference", T::Message, I, &localObjectReference},
                        {2, "key"},
                        {3, "optional", T::Bool, P}}};
        envFromSource = {"EnvFromSource",
                         {{1, "prefix"},
                          {2, "configMapRef", T::Message, P, &envSource},
                          {3, "secretRef", T::Message, P, &envSource}}};
        // ConfigMapEnvSource and SecretEnvSource have the same fields.
        envSource = {"EnvSource",
                     {{1, "localObjectReference", T::Message, I, &localObjectReference},
                      {2, "optional", T::Bool, P}}};
        localObjectReference = {"LocalObjectReference", {{1, "name"}}};
        resources = {"ResourceRequirements",
                     {{1, "limits", T::Quantity, M},
                      {2, "requests", T::Quantity, M},
                      {3, "claims", T::Message, R, &resourceClaim}}};
        resourceClaim = {"ResourceClaim", {{1, "name"}, {2, "request"}}};
        volumeMount = {"VolumeMount",
                       {{1, "name"},
                        {2, "readOnly", T::Bool},
                        {3, "mountPath"},
                        {4, "subPath"},
                        {5, "mountPropagation", T::String, P},
                        {6, "subPathExpr"},
                        {7, "recursiveReadOnly", T::String, P}}};
        volumeDevice = {"VolumeDevice", {{1, "name"}, {2, "devicePath"}}};
        resizePolicy = {"ContainerResizePolicy", {{1, "resourceName"}, {2, "restartPolicy"}}};
        probe = {"Probe",
                 {{1, "handler", T::Message, I, &probeHandler},
                  {2, "initialDelaySeconds", T::Int32},
                  {3, "timeoutSeconds", T::Int32},
                  {4, "periodSeconds", T::Int32},
                  {5, "successThreshold", T::Int32},
                  {6, "failureThreshold", T::Int32},
                  {7, "terminationGracePeriodSeconds", T::Int64, P}}};
        probeHandler = {"ProbeHandler",
                        {{1, "exec", T::Message, P, &execAction},
                         {2, "httpGet", T::Message, P, &httpGetAction},
                         {3, "tcpSocket", T::Message, P, &tcpSocketAction},
                         {4, "grpc", T::Message, P, &grpcAction}}};
        execAction = {"ExecAction", {{1, "command", T::String, R}}};
        httpGetAction = {"HTTPGetAction",
                         {{1, "path"},
                          {2, "port", T::IntOrString},
                          {3, "host"},
                          {4, "scheme"},
                          {5, "httpHeaders", T::Message, R, &httpHeader}}};
        httpHeader = {"HTTPHeader", {{1, "name"}, {2, "value"}}};
        tcpSocketAction = {"TCPSocketAction", {{1, "port", T::IntOrString}, {2, "host"}}};
        grpcAction = {"GRPCAction", {{1, "port", T::Int32}, {2, "service", T::String, P}}};
        lifecycle = {"Lifecycle",
                     {{1, "postStart", T::Message, P, &lifecycleHandler},
                      {2, "preStop", T::Message, P, &lifecycleHandler}}};
        lifecycleHandler = {"LifecycleHandler",
                            {{1, "exec", T::Message, P, &execAction},
                             {2, "httpGet", T::Message, P, &httpGetAction},
                             {3, "tcpSocket", T::Message, P, &tcpSocketAction},
                             {4, "sleep", T::Message, P, &sleepAction}}};
        sleepAction = {"SleepAction", {{1, "seconds", T::Int64}}};
        securityContext = {"SecurityContext",
                           {{1, "capabilities", T::Message, P, &capabilities},
                            {2, "privileged", T::Bool, P},
                            {3, "seLinuxOptions", T::Message, P, &seLinuxOptions},
                            {4, "runAsUser", T::Int64, P},
                            {5, "runAsNonRoot", T::Bool, P},
                            {6, "readOnlyRootFilesystem", T::Bool, P},
                            {7, "allowPrivilegeEscalation", T::Bool, P},
                            {8, "runAsGroup", T::Int64, P},
                            {9, "procMount", T::String, P},
                            {11, "seccompProfile", T::Message, P, &seccompProfile},
                            {12, "appArmorProfile", T::Message, P, &appArmorProfile}}};
        capabilities = {"Capabilities", {{1, "add", T::String, R}, {2, "drop", T::String, R}}};
        seLinuxOptions = {"SELinuxOptions", {{1, "user"}, {2, "role"}, {3, "type"}, {4, "level"}}};
        seccompProfile = {"SeccompProfile", {{1, "type"}, {2, "localhostProfile", T::String, P}}};
        appArmorProfile = {"AppArmorProfile", {{1, "type"}, {2, "localhostProfile", T::String, P}}};
        podSecurityContext = {"PodSecurityContext",
                              {{1, "seLinuxOptions", T::Message, P, &seLinuxOptions},
                               {2, "runAsUser", T::Int64, P},
                               {3, "runAsNonRoot", T::Bool, P},
                               {4, "supplementalGroups", T::Int64, R},
                               {5, "fsGroup", T::Int64, P},
                               {6, "runAsGroup", T::Int64, P},
                               {7, "sysctls", T::Message, R, &sysctl},
                               {9, "fsGroupChangePolicy", T::String, P},
                               {10, "seccompProfile", T::Message, P, &seccompProfile},
                               {11, "appArmorProfile", T::Message, P, &appArmorProfile}}};
        sysctl = {"Sysctl", {{1, "name"}, {2, "value"}}};
        toleration = {"Toleration",
                      {{1, "key"},
                       {2, "operator"},
                       {3, "value"},
                       {4, "effect"},
                       {5, "tolerationSeconds", T::Int64, P}}};
        // Volume sources: the common ones (hostPath, emptyDir, secret, persistentVolumeClaim,
        // downwardAPI, configMap); the others are skipped.
        volume = {"Volume", {{1, "name"}, {2, "volumeSource", T::Message, I, &volumeSource}}};
        volumeSource = {"VolumeSource",
                        {{1, "hostPath", T::Message, P, &hostPathVolume},
                         {2, "emptyDir", T::Message, P, &emptyDirVolume},
                         {6, "secret", T::Message, P, &secretVolume},
                         {10, "persistentVolumeClaim", T::Message, P, &pvcVolume},
                         {16, "downwardAPI", T::Message, P, &downwardApiVolume},
                         {19, "configMap", T::Message, P, &configMapVolume}}};
        hostPathVolume = {"HostPathVolumeSource", {{1, "path"}, {2, "type", T::String, P}}};
        emptyDirVolume = {"EmptyDirVolumeSource",
                          {{1, "medium"}, {2, "sizeLimit", T::Quantity, P}}};
        secretVolume = {"SecretVolumeSource",
                        {{1, "secretName"},
                         {2, "items", T::Message, R, &keyToPath},
                         {3, "defaultMode", T::Int32, P},
                         {4, "optional", T::Bool, P}}};
        configMapVolume = {"ConfigMapVolumeSource",
                           {{1, "localObjectReference", T::Message, I, &localObjectReference},
                            {2, "items", T::Message, R, &keyToPath},
                            {3, "defaultMode", T::Int32, P},
                            {4, "optional", T::Bool, P}}};
        keyToPath = {"KeyToPath", {{1, "key"}, {2, "path"}, {3, "mode", T::Int32, P}}};
        pvcVolume = {"PersistentVolumeClaimVolumeSource",
                     {{1, "claimName"}, {2, "readOnly", T::Bool}}};
        downwardApiVolume = {
            "DownwardAPIVolumeSource",
            {{1, "items", T::Message, R, &downwardApiFile}, {2, "defaultMode", T::Int32, P}}};
        downwardApiFile = {"DownwardAPIVolumeFile",
                           {{1, "path"},
                            {2, "fieldRef", T::Message, P, &objectFieldSelector},
                            {3, "resourceFieldRef", T::Message, P, &resourceFieldSelector},
                            {4, "mode", T::Int32, P}}};
        hostAlias = {"HostAlias", {{1, "ip"}, {2, "hostnames", T::String, R}}};
        podDnsConfig = {"PodDNSConfig",
                        {{1, "nameservers", T::String, R},
                         {2, "searches", T::String, R},
                         {3, "options", T::Message, R, &dnsOption}}};
        dnsOption = {"PodDNSConfigOption", {{1, "name"}, {2, "value", T::String, P}}};
        readinessGate = {"PodReadinessGate", {{1, "conditionType"}}};
        podOs = {"PodOS", {{1, "name"}}};
        schedulingGate = {"PodSchedulingGate", {{1, "name"}}};
        topologySpread = {"TopologySpreadConstraint",
                          {{1, "maxSkew", T::Int32},
                           {2, "topologyKey"},
                           {3, "whenUnsatisfiable"},
                           {4, "labelSelector", T::Message, P, &labelSelector},
                           {5, "minDomains", T::Int32, P},
                           {6, "nodeAffinityPolicy", T::String, P},
                           {7, "nodeTaintsPolicy", T::String, P},
                           {8, "matchLabelKeys", T::String, R}}};
        affinity = {"Affinity",
                    {{1, "nodeAffinity", T::Message, P, &nodeAffinity},
                     {2, "podAffinity", T::Message, P, &podAffinity},
                     {3, "podAntiAffinity", T::Message, P, &podAffinity}}};
        nodeAffinity = {
            "NodeAffinity",
            {{1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, P, &nodeSelector},
             {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, R,
              &preferredSchedulingTerm}}};
        nodeSelector = {"NodeSelector",
                        {{1, "nodeSelectorTerms", T::Message, R, &nodeSelectorTerm}}};
        nodeSelectorTerm = {"NodeSelectorTerm",
                            {{1, "matchExpressions", T::Message, R, &nodeSelectorRequirement},
                             {2, "matchFields", T::Message, R, &nodeSelectorRequirement}}};
        nodeSelectorRequirement = {"NodeSelectorRequirement",
                                   {{1, "key"}, {2, "operator"}, {3, "values", T::String, R}}};
        preferredSchedulingTerm = {
            "PreferredSchedulingTerm",
            {{1, "weight", T::Int32}, {2, "preference", T::Message, 0, &nodeSelectorTerm}}};
        // PodAffinity and PodAntiAffinity have the same fields.
        podAffinity = {
            "PodAffinity",
            {{1, "requiredDuringSchedulingIgnoredDuringExecution", T::Message, R, &podAffinityTerm},
             {2, "preferredDuringSchedulingIgnoredDuringExecution", T::Message, R,
              &weightedPodAffinityTerm}}};
        podAffinityTerm = {"PodAffinityTerm",
                           {{1, "labelSelector", T::Message, P, &labelSelector},
                            {2, "namespaces", T::String, R},
                            {3, "topologyKey"},
                            {4, "namespaceSelector", T::Message, P, &labelSelector},
                            {5, "matchLabelKeys", T::String, R},
                            {6, "mismatchLabelKeys", T::String, R}}};
        weightedPodAffinityTerm = {
            "WeightedPodAffinityTerm",
            {{1, "weight", T::Int32}, {2, "podAffinityTerm", T::Message, 0, &podAffinityTerm}}};

        pod = {"Pod",
               {{1, "metadata", T::Message, 0, &objectMeta},
                {2, "spec", T::Message, 0, &podSpec},
                {3, "status", T::Message, 0, &podStatus}}};
        podStatus = {"PodStatus",
                     {{1, "phase"},
                      {2, "conditions", T::Message, R, &podCondition},
                      {3, "message"},
                      {4, "reason"},
                      {5, "hostIP"},
                      {6, "podIP"},
                      {7, "startTime", T::Time, P},
                      {8, "containerStatuses", T::Message, R, &containerStatus},
                      {9, "qosClass"},
                      {10, "initContainerStatuses", T::Message, R, &containerStatus},
                      {11, "nominatedNodeName"},
                      {12, "podIPs", T::Message, R, &podIp}}};
        podCondition = {"PodCondition",
                        {{1, "type"},
                         {2, "status"},
                         {3, "lastProbeTime", T::Time},
                         {4, "lastTransitionTime", T::Time},
                         {5, "reason"},
                         {6, "message"}}};
        podIp = {"PodIP", {{1, "ip"}}};
        containerStatus = {"ContainerStatus",
                           {{1, "name"},
                            {2, "state", T::Message, 0, &containerState},
                            {3, "lastState", T::Message, 0, &containerState},
                            {4, "ready", T::Bool},
                            {5, "restartCount", T::Int32},
                            {6, "image"},
                            {7, "imageID"},
                            {8, "containerID"},
                            {9, "started", T::Bool, P}}};
        containerState = {"ContainerState",
                          {{1, "waiting", T::Message, P, &stateWaiting},
                           {2, "running", T::Message, P, &stateRunning},
                           {3, "terminated", T::Message, P, &stateTerminated}}};
        stateWaiting = {"ContainerStateWaiting", {{1, "reason"}, {2, "message"}}};
        stateRunning = {"ContainerStateRunning", {{1, "startedAt", T::Time}}};
        stateTerminated = {"ContainerStateTerminated",
                           {{1, "exitCode", T::Int32},
                            {2, "signal", T::Int32},
                            {3, "reason"},
                            {4, "message"},
                            {5, "startedAt", T::Time},
                            {6, "finishedAt", T::Time},
                            {7, "containerID"}}};

        // --- core/v1: services (ServiceSpec 6, 15 and 16 are gone from the API)
        service = {"Service",
                   {{1, "metadata", T::Message, 0, &objectMeta},
                    {2, "spec", T::Message, 0, &serviceSpec},
                    {3, "status", T::Message, 0, &serviceStatus}}};
        serviceSpec = {"ServiceSpec",
                       {{1, "ports", T::Message, R, &servicePort},
                        {2, "selector", T::String, M},
                        {3, "clusterIP"},
                        {4, "type"},
                        {5, "externalIPs", T::String, R},
                        {7, "sessionAffinity"},
                        {8, "loadBalancerIP"},
                        {9, "loadBalancerSourceRanges", T::String, R},
                        {10, "externalName"},
                        {11, "externalTrafficPolicy"},
                        {12, "healthCheckNodePort", T::Int32},
                        {13, "publishNotReadyAddresses", T::Bool},
                        {14, "sessionAffinityConfig", T::Message, P, &sessionAffinityConfig},
                        {17, "ipFamilyPolicy", T::String, P},
                        {18, "clusterIPs", T::String, R},
                        {19, "ipFamilies", T::String, R},
                        {20, "allocateLoadBalancerNodePorts", T::Bool, P},
                        {21, "loadBalancerClass", T::String, P},
                        {22, "internalTrafficPolicy", T::String, P},
                        {23, "trafficDistribution", T::String, P}}};
        servicePort = {"ServicePort",
                       {{1, "name"},
                        {2, "protocol"},
                        {3, "port", T::Int32},
                        {4, "targetPort", T::IntOrString},
                        {5, "nodePort", T::Int32},
                        {6, "appProtocol", T::String, P}}};
        sessionAffinityConfig = {"SessionAffinityConfig",
                                 {{1, "clientIP", T::Message, P, &clientIpConfig}}};
        clientIpConfig = {"ClientIPConfig", {{1, "timeoutSeconds", T::Int32, P}}};
        serviceStatus = {"ServiceStatus",
                         {{1, "loadBalancer", T::Message, 0, &loadBalancerStatus},
                          {2, "conditions", T::Message, R, &condition}}};
        loadBalancerStatus = {"LoadBalancerStatus",
                              {{1, "ingress", T::Message, R, &loadBalancerIngress}}};
        loadBalancerIngress = {"LoadBalancerIngress",
                               {{1, "ip"},
                                {2, "hostname"},
                                {3, "ipMode", T::String, P},
                                {4, "ports", T::Message, R, &portStatus}}};
        portStatus = {"PortStatus",
                      {{1, "port", T::Int32}, {2, "protocol"}, {3, "error", T::String, P}}};

        // --- core/v1: namespaces
        namespaceKind = {"Namespace",
                         {{1, "metadata", T::Message, 0, &objectMeta},
                          {2, "spec", T::Message, 0, &namespaceSpec},
                          {3, "status", T::Message, 0, &namespaceStatus}}};
        namespaceSpec = {"NamespaceSpec", {{1, "finalizers", T::String, R}}};
        namespaceStatus = {"NamespaceStatus",
                           {{1, "phase"}, {2, "conditions", T::Message, R, &namespaceCondition}}};
        namespaceCondition = {"NamespaceCondition",
                              {{1, "type"},
                               {2, "status"},
                               {4, "lastTransitionTime", T::Time},
                               {5, "reason"},
                               {6, "message"}}};

        // --- autoscaling/v1 Scale. spec.replicas is not a pointer in Go, but 0 there means
        // "scale to zero": it is emitted whenever present (the marshaller always writes it).
        scale = {"Scale",
                 {{1, "metadata", T::Message, 0, &objectMeta},
                  {2, "spec", T::Message, 0, &scaleSpec},
                  {3, "status", T::Message, 0, &scaleStatus}}};
        scaleSpec = {"ScaleSpec", {{1, "replicas", T::Int32, P}}};
        scaleStatus = {"ScaleStatus", {{1, "replicas", T::Int32}, {2, "selector"}}};
    }

    const PbMessage *root(const QString &apiVersion, const QString &kind) const
    {
        if (apiVersion == u"apps/v1") {
            if (kind == u"Deployment")
                return &deployment;
            if (kind == u"ReplicaSet")
                return &replicaSet;
        } else if (apiVersion == u"v1") {
            if (kind == u"Pod")
                return &pod;
            if (kind == u"Service")
                return &service;
            if (kind == u"Namespace")
                return &namespaceKind;
        } else if (apiVersion == u"autoscaling/v1" && kind == u"Scale") {
            return &scale;
        }
        return nullptr;
    }
};

const PbTables &pbTables()
{
    static const PbTables tables;
    return tables;
}

// Bounds on what one body may make: nesting (the table's deepest path is far less) and values.
constexpr int kPbMaxDepth = 32;
constexpr qint64 kPbMaxValues = 200000;

// The Go field a JSON name stands for, as the generated code names it in its errors.
QString goFieldName(const char *json)
{
    QString name = QString::fromLatin1(json);
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

// The envelope's fields: typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2 (contentEncoding = 3
// and contentType = 4 are not needed).
struct PbEnvelope
{
    QJsonObject typeMeta;
    QByteArray raw;
};

const PbMessage &pbTypeMeta()
{
    static const PbMessage def{"TypeMeta", {{1, "apiVersion"}, {2, "kind"}}};
    return def;
}

// Reads one message by its table into JSON; the first problem stops it, worded as the Go
// generated unmarshallers word theirs.
class PbDecoder
{
public:
    explicit PbDecoder(QByteArray data)
        : m_data(std::move(data))
        , m_in(reinterpret_cast<const quint8 *>(m_data.constData()), int(m_data.size()))
    {
        m_in.PushLimit(int(m_data.size()));
    }

    QString error;

    // runtime.Unknown, the envelope.
    bool envelope(PbEnvelope &out)
    {
        while (m_in.BytesUntilLimit() > 0) {
            quint64 key = 0;
            int wireType = 0;
            quint32 number = 0;
            if (!readKey("Unknown", key, wireType, number))
                return false;
            if (number == 1 || number == 2) {
                if (wireType != 2)
                    return wrongType(wireType, number == 1 ? "TypeMeta" : "Raw");
                if (number == 1 ? !nested(pbTypeMeta(), out.typeMeta, 0) : !bytes(out.raw))
                    return false;
            } else if (!skip(key)) {
                return false;
            }
        }
        return true;
    }

    // The fields of `def` until the current limit, into `out` (merged, as proto2 merges a
    // message that appears twice).
    bool message(const PbMessage &def, QJsonObject &out, int depth)
    {
        if (depth > kPbMaxDepth)
            return fail(QStringLiteral("proto: nesting too deep"));
        // Repeated fields and maps collect here and go into `out` at the end: appending to
        // a value held in `out` would copy it each time (quadratic on a hostile body).
        std::map<const PbField *, Pending> pending;
        bool ok = true;
        while (ok && m_in.BytesUntilLimit() > 0) {
            quint64 key = 0;
            int wireType = 0;
            quint32 number = 0;
            if (!readKey(def.goName, key, wireType, number)) {
                ok = false;
                break;
            }
            const PbField *field = def.field(number);
            if (!field) {
                ok = skip(key);
                continue;
            }
            if (!count()) {
                ok = false;
            } else if (field->flags & (Repeated | Map)) {
                auto slot = pending.find(field);
                if (slot == pending.end()) {
                    slot = pending.emplace(field, Pending()).first;
                    // Merging into what an earlier copy of this message left copies it:
                    // bounded, or a body repeating a big message would cost n².
                    m_mergedValues += slot->second.take(*field, out);
                    if (m_mergedValues > kPbMaxValues)
                        ok = fail(QStringLiteral("proto: too many values (more than %1)")
                                      .arg(kPbMaxValues));
                }
                ok = ok &&
                     ((field->flags & Map) ? mapField(*field, wireType, slot->second, depth)
                                           : repeatedField(*field, wireType, slot->second, depth));
            } else {
                ok = fieldValue(*field, wireType, out, depth);
            }
        }
        for (auto &[field, values] : pending)
            values.put(*field, out);
        return ok;
    }

private:
    bool fail(const QString &message)
    {
        if (error.isEmpty())
            error = message;
        return false;
    }
    bool eof() { return fail(QStringLiteral("unexpected EOF")); }
    bool wrongType(int wireType, const char *json)
    {
        return fail(QStringLiteral("proto: wrong wireType = %1 for field %2")
                        .arg(wireType)
                        .arg(goFieldName(json)));
    }
    bool count()
    {
        if (++m_values <= kPbMaxValues)
            return true;
        return fail(QStringLiteral("proto: too many values (more than %1)").arg(kPbMaxValues));
    }

    bool varint(quint64 &out)
    {
        std::uint64_t value = 0;
        if (m_in.ReadVarint64(&value)) {
            out = quint64(value);
            return true;
        }
        // A varint runs to the end (EOF) or past ten bytes (overflow).
        return m_in.BytesUntilLimit() >= 10 ? fail(QStringLiteral("proto: integer overflow"))
                                            : eof();
    }

    // A field's key, checked as the generated code checks it.
    bool readKey(const char *goName, quint64 &key, int &wireType, quint32 &number)
    {
        if (!varint(key))
            return false;
        wireType = int(key & 7);
        const qint32 goNumber = qint32(quint32(key >> 3));
        if (wireType == 4)
            return fail(QStringLiteral("proto: %1: wiretype end group for non-group")
                            .arg(QLatin1StringView(goName)));
        if (goNumber <= 0)
            return fail(QStringLiteral("proto: %1: illegal tag %2 (wire type %3)")
                            .arg(QLatin1StringView(goName))
                            .arg(goNumber)
                            .arg(wireType));
        number = quint32(goNumber);
        return true;
    }

    // A length-delimited field's length, checked against what is left.
    bool length(int &out)
    {
        quint64 n = 0;
        if (!varint(n))
            return false;
        if (qint64(n) < 0)
            return fail(QStringLiteral("proto: negative length found during unmarshaling"));
        if (n > quint64(m_in.BytesUntilLimit()))
            return eof();
        out = int(n);
        return true;
    }

    bool bytes(QByteArray &out)
    {
        int n = 0;
        if (!length(n))
            return false;
        std::string s;
        if (!m_in.ReadString(&s, n))
            return eof();
        out = QByteArray(s.data(), qsizetype(s.size()));
        return true;
    }

    // Skips an unknown field whose key was read, groups included (as Go's skipGenerated).
    bool skip(quint64 key)
    {
        qint64 depth = 0;
        for (;;) {
            switch (key & 7) {
            case 0: {
                quint64 ignored = 0;
                if (!varint(ignored))
                    return false;
                break;
            }
            case 1:
                if (!m_in.Skip(8))
                    return eof();
                break;
            case 2: {
                int n = 0;
                if (!length(n))
                    return false;
                if (!m_in.Skip(n))
                    return eof();
                break;
            }
            case 3:
                ++depth;
                break;
            case 4:
                if (depth == 0)
                    return fail(QStringLiteral("proto: unexpected end of group"));
                --depth;
                break;
            case 5:
                if (!m_in.Skip(4))
                    return eof();
                break;
            default:
                return fail(QStringLiteral("proto: illegal wireType %1").arg(int(key & 7)));
            }
            if (depth == 0)
                return true;
            if (m_in.BytesUntilLimit() <= 0)
                return eof();
            if (!varint(key))
                return false;
        }
    }

    // A nested message of `def`'s type into `out`, reading its length first.
    bool nested(const PbMessage &def, QJsonObject &out, int depth)
    {
        int n = 0;
        if (!length(n))
            return false;
        const auto limit = m_in.PushLimit(n);
        const bool ok = message(def, out, depth + 1);
        m_in.PopLimit(limit);
        return ok;
    }

    // A small fixed message (Timestamp, IntOrString, Quantity, FieldsV1): its fields 1 to 3,
    // varints or bytes as the masks say (bit n for field n), the last one winning.
    struct Small
    {
        quint64 varints[4] = {0, 0, 0, 0};
        QByteArray bytes[4];
        bool present[4] = {false, false, false, false};
        int size = 0;
    };
    bool small(Small &out, quint32 varintMask, quint32 bytesMask, const char *goName)
    {
        int n = 0;
        if (!length(n))
            return false;
        out.size = n;
        const auto limit = m_in.PushLimit(n);
        bool ok = true;
        while (ok && m_in.BytesUntilLimit() > 0) {
            quint64 key = 0;
            int wireType = 0;
            quint32 number = 0;
            if (!readKey(goName, key, wireType, number)) {
                ok = false;
                break;
            }
            const bool isVarint = number < 4 && ((varintMask >> number) & 1);
            const bool isBytes = number < 4 && ((bytesMask >> number) & 1);
            if (!isVarint && !isBytes) {
                ok = skip(key);
                continue;
            }
            if (wireType != (isVarint ? 0 : 2)) {
                ok = fail(QStringLiteral("proto: wrong wireType = %1 for field %2")
                              .arg(wireType)
                              .arg(number));
                break;
            }
            out.present[number] = true;
            ok = isVarint ? varint(out.varints[number]) : bytes(out.bytes[number]);
        }
        m_in.PopLimit(limit);
        return ok;
    }

    // One map entry {key = 1, value = 2} into the JSON object `map`. A missing key is "", a
    // missing value Go's zero.
    bool mapEntry(const PbField &field, std::map<QString, QJsonValue> &map, int depth)
    {
        int n = 0;
        if (!length(n))
            return false;
        const auto limit = m_in.PushLimit(n);
        QByteArray key;
        QJsonObject holder;
        bool ok = true;
        while (ok && m_in.BytesUntilLimit() > 0) {
            quint64 tag = 0;
            int wireType = 0;
            quint32 number = 0;
            if (!readKey("MapEntry", tag, wireType, number)) {
                ok = false;
                break;
            }
            if (number == 1) {
                ok = wireType == 2 ? bytes(key) : wrongType(wireType, "key");
            } else if (number == 2) {
                PbField value = field;
                value.flags = Pointer; // present: emitted, zero or not
                value.json = "v";
                ok = fieldValue(value, wireType, holder, depth);
            } else {
                ok = skip(tag);
            }
        }
        m_in.PopLimit(limit);
        if (!ok)
            return false;
        QJsonValue value = holder.value(u"v");
        if (value.isUndefined()) {
            value = field.type == PbType::Quantity ? QJsonValue(QStringLiteral("0"))
                    : field.type == PbType::String ? QJsonValue(QString())
                                                   : QJsonValue(QJsonObject());
        }
        map.insert_or_assign(QString::fromUtf8(key), value);
        return true;
    }

    // The values of one repeated field or map of a message, collected.
    struct Pending
    {
        QJsonArray array;
        std::map<QString, QJsonValue> map; // a key sent again replaces the value

        // Starts from what `out` has (a message sent twice is merged); returns how many
        // values that was.
        qint64 take(const PbField &field, QJsonObject &out)
        {
            QJsonValue value = out.take(QLatin1StringView(field.json));
            if (field.flags & Map) {
                const QJsonObject object = value.toObject();
                for (auto it = object.begin(); it != object.end(); ++it)
                    map.insert_or_assign(it.key(), it.value());
                return object.size();
            }
            array = value.toArray();
            return array.size();
        }
        // Into `out`, the keys of a map in order (each insert then appends).
        void put(const PbField &field, QJsonObject &out)
        {
            if (field.flags & Map) {
                QJsonObject object;
                for (const auto &[key, value] : map)
                    object.insert(key, value);
                out.insert(QLatin1StringView(field.json), object);
            } else {
                out.insert(QLatin1StringView(field.json), array);
            }
        }
    };

    bool mapField(const PbField &field, int wireType, Pending &values, int depth)
    {
        if (wireType != 2)
            return wrongType(wireType, field.json);
        return mapEntry(field, values.map, depth);
    }

    bool repeatedField(const PbField &field, int wireType, Pending &values, int depth)
    {
        if (wantsVarint(field.type) && wireType == 2) { // packed
            int n = 0;
            if (!length(n))
                return false;
            const auto limit = m_in.PushLimit(n);
            bool ok = true;
            while (ok && m_in.BytesUntilLimit() > 0) {
                quint64 raw = 0;
                ok = varint(raw) && count();
                if (ok)
                    values.array.append(scalar(field.type, raw));
            }
            m_in.PopLimit(limit);
            return ok;
        }
        PbField one = field;
        one.flags = Pointer; // an element is kept, zero or not
        one.json = "v";
        QJsonObject holder;
        if (!fieldValue(one, wireType, holder, depth))
            return false;
        values.array.append(holder.value(u"v"));
        return true;
    }

    static bool wantsVarint(PbType type)
    {
        return type == PbType::Bool || type == PbType::Int32 || type == PbType::Int64;
    }

    // A scalar read from a varint, as Go converts it.
    static QJsonValue scalar(PbType type, quint64 raw)
    {
        switch (type) {
        case PbType::Bool:
            return raw != 0;
        case PbType::Int32:
            return qint64(qint32(quint32(raw)));
        default:
            return qint64(raw);
        }
    }
    static bool isZero(const QJsonValue &v)
    {
        return (v.isBool() && !v.toBool()) || (v.isDouble() && v.toDouble() == 0) ||
               (v.isString() && v.toString().isEmpty());
    }

    bool fieldValue(const PbField &field, int wireType, QJsonObject &out, int depth)
    {
        const QString name = QLatin1StringView(field.json);

        const bool pointer = field.flags & Pointer;
        auto put = [&](const QJsonValue &v) {
            if (pointer || !isZero(v))
                out.insert(name, v);
            else
                out.remove(name); // the last one wins, and it is Go's zero
        };

        if (wantsVarint(field.type)) {
            if (wireType != 0)
                return wrongType(wireType, field.json);
            quint64 raw = 0;
            if (!varint(raw))
                return false;
            put(scalar(field.type, raw));
            return true;
        }
        if (wireType != 2)
            return wrongType(wireType, field.json);

        switch (field.type) {
        case PbType::String: {
            QByteArray value;
            if (!bytes(value))
                return false;
            put(QString::fromUtf8(value));
            return true;
        }
        case PbType::Message: {
            if (field.flags & Inline)
                return nested(*field.message, out, depth);
            QJsonObject child = out.take(name).toObject(); // unshared: no copy on write
            if (!nested(*field.message, child, depth))
                return false;
            out.insert(name, child);
            return true;
        }
        case PbType::Quantity: {
            Small q;
            if (!small(q, 0, 0b10, "Quantity"))
                return false;
            // Go parses it into a resource.Quantity; the simulator keeps the text.
            out.insert(name, q.present[1] ? QString::fromUtf8(q.bytes[1]) : QStringLiteral("0"));
            return true;
        }
        case PbType::IntOrString: {
            Small v;
            if (!small(v, 0b110, 0b1000, "IntOrString"))
                return false;
            const qint64 type = qint64(v.varints[1]);
            if (type == 0)
                put(qint64(qint32(quint32(v.varints[2]))));
            else if (type == 1)
                put(QString::fromUtf8(v.bytes[3]));
            else
                return fail(QStringLiteral("impossible IntOrString.Type"));
            return true;
        }
        case PbType::Time: {
            Small t;
            if (!small(t, 0b110, 0, "Timestamp"))
                return false;
            if (t.size == 0) { // Go's zero time, null in JSON: left out
                out.remove(name);
                return true;
            }
            // As metav1.Time: whole seconds (the nanoseconds are dropped), years 1 to 9999.
            const qint64 seconds = qint64(t.varints[1]);
            constexpr qint64 kYear1 = -62135596800;     // 0001-01-01T00:00:00Z
            constexpr qint64 kYear10000 = 253402300800; // 10000-01-01T00:00:00Z
            if (seconds < kYear1 || seconds >= kYear10000)
                return fail(QStringLiteral("Time.MarshalJSON: year outside of range [1,9999]"));
            const QDateTime time = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
            out.insert(name, time.toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss'Z'")));
            return true;
        }
        case PbType::FieldsV1: {
            Small f;
            if (!small(f, 0, 0b10, "FieldsV1"))
                return false;
            if (f.bytes[1].isEmpty()) {
                out.remove(name);
                return true;
            }
            QJsonParseError parseError;
            const QJsonDocument doc = QJsonDocument::fromJson(f.bytes[1], &parseError);
            if (parseError.error != QJsonParseError::NoError || !doc.isObject())
                return fail(QStringLiteral("json: error calling MarshalJSON for type "
                                           "*v1.FieldsV1: invalid JSON"));
            out.insert(name, doc.object());
            return true;
        }
        default:
            return wrongType(wireType, field.json);
        }
    }

    const QByteArray m_data; // what m_in reads: declared first, outlives it
    google::protobuf::io::CodedInputStream m_in;
    qint64 m_values = 0;
    qint64 m_mergedValues = 0;
};

Error pbBadRequest(const QString &message)
{
    return apimachinery::statusError(400, message);
}

} // namespace

Result<QJsonObject> decode(const QByteArray &body, const QString &apiVersion, const QString &kind)
{
    // As transformDecodeError: with a kind known, "<kind> in version ... cannot be handled as a
    // <into>: <problem>"; before that, "the object provided is unrecognized ...".
    auto unrecognized = [&](const QString &problem) {
        QString summary = body.size() > 30
                              ? QString::fromUtf8(body.left(30)) + QStringLiteral(" ...")
                              : QString::fromUtf8(body);
        return pbBadRequest(QStringLiteral("the object provided is unrecognized (must be of type "
                                           "%1): %2 (%3)")
                                .arg(kind, problem, summary));
    };
    if (body.isEmpty())
        return unrecognized(QStringLiteral("empty data"));
    static const QByteArray magic("k8s\0", 4);
    if (!body.startsWith(magic))
        return unrecognized(QStringLiteral("provided data does not appear to be a protobuf "
                                           "message, expected prefix [107 56 115 0]"));
    if (body.size() == magic.size())
        return unrecognized(QStringLiteral("empty body"));
    if (body.size() > (qsizetype(1) << 30))
        return unrecognized(QStringLiteral("proto: body too large"));

    // runtime.Unknown.
    PbEnvelope envelope;
    {
        PbDecoder decoder(body.mid(magic.size()));
        if (!decoder.envelope(envelope))
            return unrecognized(decoder.error);
    }
    QString envelopeKind = envelope.typeMeta.value(u"kind").toString();
    QString envelopeApiVersion = envelope.typeMeta.value(u"apiVersion").toString();

    // copyKindDefaults: the endpoint's kind and version fill in what the envelope left empty.
    if (envelopeKind.isEmpty())
        envelopeKind = kind;
    if (envelopeApiVersion.isEmpty())
        envelopeApiVersion = apiVersion;
    const QString version = envelopeApiVersion.section(u'/', -1);
    auto cannotHandle = [&](const QString &problem) {
        return pbBadRequest(QStringLiteral("%1 in version \"%2\" cannot be handled as a %3: %4")
                                .arg(envelopeKind.left(256), version.left(256), kind, problem));
    };

    const PbMessage *root = pbTables().root(envelopeApiVersion, envelopeKind);
    if (!root) {
        if (Resources::byKind(envelopeApiVersion, envelopeKind)) {
            // Served, but not in the table: the simulator cannot read it.
            return apimachinery::statusError(
                415, QStringLiteral("the body of the request was in an unknown format - accepted "
                                    "media types include: application/json, application/yaml"));
        }
        return cannotHandle(
            QStringLiteral("no kind \"%1\" is registered for version \"%2\" in scheme "
                           "\"pkg/api/legacyscheme/scheme.go:30\"")
                .arg(envelopeKind.left(256), envelopeApiVersion.left(256)));
    }

    PbDecoder decoder(envelope.raw);
    QJsonObject object;
    if (!decoder.message(*root, object, 0))
        return cannotHandle(decoder.error);
    object.insert(QStringLiteral("apiVersion"), envelopeApiVersion);
    object.insert(QStringLiteral("kind"), envelopeKind);
    return object;
}

} // namespace rollscope::sim::ProtobufBody
