// SPDX-License-Identifier: MIT
#include "nodes.h"

#include "simulator/clock.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonObject>

namespace rollscope::sim {

namespace {

// The four conditions of a healthy node, as its kubelet first posts them at `time`.
QJsonArray healthyNodeConditions(const QString &time)
{
    struct Condition
    {
        const char *type;
        const char *status;
        const char *reason;
        const char *message;
    };
    static constexpr Condition kConditions[] = {
        {"MemoryPressure", "False", "KubeletHasSufficientMemory",
         "kubelet has sufficient memory available"},
        {"DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"},
        {"PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"},
        {"Ready", "True", "KubeletReady", "kubelet is posting ready status"},
    };
    QJsonArray conditions;
    for (const Condition &c : kConditions) {
        conditions.append(QJsonObject{
            {QStringLiteral("type"), QLatin1StringView(c.type)},
            {QStringLiteral("status"), QLatin1StringView(c.status)},
            {QStringLiteral("lastHeartbeatTime"), time},
            {QStringLiteral("lastTransitionTime"), time},
            {QStringLiteral("reason"), QLatin1StringView(c.reason)},
            {QStringLiteral("message"), QLatin1StringView(c.message)},
        });
    }
    return conditions;
}

// Stable per-node identifiers (machine-id, boot-id, system UUID) derived from the name.
QString hexId(const QString &seed, int length)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(seed.toUtf8(), QCryptographicHash::Sha256).toHex().left(length));
}

QString uuidFrom(const QString &seed)
{
    const QString h = hexId(seed, 32);
    return h.mid(0, 8) + u'-' + h.mid(8, 4) + u'-' + h.mid(12, 4) + u'-' + h.mid(16, 4) + u'-' +
           h.mid(20, 12);
}

} // namespace

QString simNodeName(int index)
{
    return QStringLiteral("sim-node-%1").arg(index);
}

QString simNodeAddress(int index)
{
    // 127.0.0.1 .. 127.0.0.254, then on into 127.0.1.x: every node stays a loopback address.
    const int host = (index - 1) % 254 + 1;
    const int subnet = (index - 1) / 254;
    return QStringLiteral("127.0.%1.%2").arg(subnet).arg(host);
}

int createNodes(Registry &registry, int count)
{
    const QString now = registry.clock()->timestamp(registry.clock()->nowMs());
    int created = 0;
    for (int i = 1; i <= count; ++i) {
        const QString name = simNodeName(i);
        if (registry.store()->get(Resources::nodes(), {}, name))
            continue;
        const QString podCidr = QStringLiteral("10.244.%1.0/24").arg((i - 1) % 256);
        QJsonObject labels{
            {QStringLiteral("beta.kubernetes.io/arch"), QStringLiteral("amd64")},
            {QStringLiteral("beta.kubernetes.io/os"), QStringLiteral("linux")},
            {QStringLiteral("kubernetes.io/arch"), QStringLiteral("amd64")},
            {QStringLiteral("kubernetes.io/hostname"), name},
            {QStringLiteral("kubernetes.io/os"), QStringLiteral("linux")},
        };
        QJsonObject annotations{
            {QStringLiteral("node.alpha.kubernetes.io/ttl"), QStringLiteral("0")},
            {QStringLiteral("volumes.kubernetes.io/controller-managed-attach-detach"),
             QStringLiteral("true")},
        };
        QJsonObject resources{
            {QStringLiteral("cpu"), QStringLiteral("4")},
            {QStringLiteral("ephemeral-storage"), QStringLiteral("102626232Ki")},
            {QStringLiteral("hugepages-1Gi"), QStringLiteral("0")},
            {QStringLiteral("hugepages-2Mi"), QStringLiteral("0")},
            {QStringLiteral("memory"), QStringLiteral("16311484Ki")},
            {QStringLiteral("pods"), QStringLiteral("110")},
        };
        QJsonObject status;
        status.insert(QStringLiteral("addresses"),
                      QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("InternalIP")},
                                             {QStringLiteral("address"), simNodeAddress(i)}},
                                 QJsonObject{{QStringLiteral("type"), QStringLiteral("Hostname")},
                                             {QStringLiteral("address"), name}}});
        status.insert(QStringLiteral("capacity"), resources);
        status.insert(QStringLiteral("allocatable"), resources);
        status.insert(QStringLiteral("conditions"), healthyNodeConditions(now));
        status.insert(QStringLiteral("daemonEndpoints"),
                      QJsonObject{{QStringLiteral("kubeletEndpoint"),
                                   QJsonObject{{QStringLiteral("Port"), 10250}}}});
        status.insert(
            QStringLiteral("nodeInfo"),
            QJsonObject{
                {QStringLiteral("architecture"), QStringLiteral("amd64")},
                {QStringLiteral("bootID"), uuidFrom(name + QStringLiteral("/boot"))},
                {QStringLiteral("containerRuntimeVersion"), QStringLiteral("containerd://1.7.0")},
                {QStringLiteral("kernelVersion"), QStringLiteral("6.1.0-18-amd64")},
                {QStringLiteral("kubeProxyVersion"), QStringLiteral("v1.32.0")},
                {QStringLiteral("kubeletVersion"), QStringLiteral("v1.32.0")},
                {QStringLiteral("machineID"), hexId(name + QStringLiteral("/machine"), 32)},
                {QStringLiteral("operatingSystem"), QStringLiteral("linux")},
                {QStringLiteral("osImage"), QStringLiteral("Debian GNU/Linux 12 (bookworm)")},
                {QStringLiteral("systemUUID"), uuidFrom(name + QStringLiteral("/system"))},
            });
        QJsonObject node{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Node")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name},
                                                     {QStringLiteral("labels"), labels},
                                                     {QStringLiteral("annotations"), annotations}}},
            {QStringLiteral("spec"),
             QJsonObject{{QStringLiteral("podCIDR"), podCidr},
                         {QStringLiteral("podCIDRs"), QJsonArray{podCidr}}}},
            {QStringLiteral("status"), status},
        };
        if (registry.create(Resources::nodes(), {}, node))
            ++created;
    }
    return created;
}

void createSystemNamespaces(Registry &registry)
{
    for (const char *name : {"default", "kube-node-lease", "kube-public", "kube-system"}) {
        const QString ns = QLatin1StringView(name);
        if (registry.store()->get(Resources::namespaces(), {}, ns))
            continue;
        QJsonObject object{
            {QStringLiteral("apiVersion"), QStringLiteral("v1")},
            {QStringLiteral("kind"), QStringLiteral("Namespace")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), ns}}},
        };
        (void)registry.create(Resources::namespaces(), {}, object);
    }
}

} // namespace rollscope::sim
