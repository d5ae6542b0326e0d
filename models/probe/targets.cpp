// SPDX-License-Identifier: MIT
#include "probe/targets.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QUrl>

#include <algorithm>

namespace rollscope::probe {

namespace {

class TargetText
{
    Q_DECLARE_TR_FUNCTIONS(TargetText)
};

// The port probing is most likely meant for comes first.
int portRank(const kube::ServiceInfo::Port &port)
{
    if (port.name.compare(u"http", Qt::CaseInsensitive) == 0)
        return 0;
    if (port.port == 80)
        return 1;
    if (port.port == 8080)
        return 2;
    return 3;
}

QList<kube::ServiceInfo::Port> tcpPorts(const kube::ServiceInfo &service)
{
    QList<kube::ServiceInfo::Port> ports;
    for (const kube::ServiceInfo::Port &port : service.ports) {
        if (port.protocol.isEmpty() || port.protocol.compare(u"TCP", Qt::CaseInsensitive) == 0)
            ports.append(port);
    }
    std::stable_sort(ports.begin(), ports.end(),
                     [](const auto &a, const auto &b) { return portRank(a) < portRank(b); });
    return ports;
}

QUrl httpUrl(const QString &host, int port)
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(host);
    url.setPort(port);
    url.setPath(QStringLiteral("/"));
    return url;
}

// "127.0.1.18:80", "[fd00::1]:80".
QString hostPort(const QString &host, int port)
{
    const QHostAddress address(host);
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        return QStringLiteral("[%1]:%2").arg(host).arg(port);
    return QStringLiteral("%1:%2").arg(host).arg(port);
}

QString portText(const kube::ServiceInfo::Port &port)
{
    return port.name.isEmpty() ? QString::number(port.port)
                               : QStringLiteral("%1 (%2)").arg(port.port).arg(port.name);
}

} // namespace

bool serviceSelectsPods(const kube::ServiceInfo &service, const kube::Labels &podLabels)
{
    if (service.selector.isEmpty())
        return false;
    for (auto it = service.selector.cbegin(); it != service.selector.cend(); ++it) {
        const auto label = podLabels.constFind(it.key());
        if (label == podLabels.cend() || *label != it.value())
            return false;
    }
    return true;
}

QList<ProbeTarget> candidateTargets(const kube::DeploymentInfo &deployment,
                                    const QList<kube::ServiceInfo> &services,
                                    const QList<kube::NodeInfo> &nodes, const QString &ns)
{
    QList<kube::ServiceInfo> selecting;
    for (const kube::ServiceInfo &service : services) {
        if (service.ns == ns && service.type != u"ExternalName" &&
            serviceSelectsPods(service, deployment.templateLabels))
            selecting.append(service);
    }
    std::sort(selecting.begin(), selecting.end(),
              [](const auto &a, const auto &b) { return a.name < b.name; });

    // Ready nodes first, otherwise in the order given.
    QList<kube::NodeInfo> usableNodes;
    for (const kube::NodeInfo &node : nodes) {
        if (!node.internalIP.isEmpty())
            usableNodes.append(node);
    }
    std::stable_sort(usableNodes.begin(), usableNodes.end(),
                     [](const auto &a, const auto &b) { return a.ready && !b.ready; });

    QList<ProbeTarget> loadBalancers;
    QList<ProbeTarget> nodePorts;
    QList<ProbeTarget> proxies;
    for (const kube::ServiceInfo &service : std::as_const(selecting)) {
        const QList<kube::ServiceInfo::Port> ports = tcpPorts(service);
        for (const kube::ServiceInfo::Port &port : ports) {
            ProbeTarget base;
            base.serviceNamespace = service.ns;
            base.serviceName = service.name;
            base.servicePort = port.name.isEmpty() ? QString::number(port.port) : port.name;

            if (service.type == u"LoadBalancer") {
                for (const QString &ingress : service.loadBalancerIngress) {
                    if (ingress.isEmpty() || port.port <= 0)
                        continue;
                    ProbeTarget t = base;
                    t.kind = ProbeTarget::Kind::LoadBalancer;
                    t.url = httpUrl(ingress, port.port);
                    t.description = TargetText::tr("LoadBalancer %1 of service %2")
                                        .arg(hostPort(ingress, port.port), service.name);
                    loadBalancers.append(t);
                }
            }
            if ((service.type == u"LoadBalancer" || service.type == u"NodePort") &&
                port.nodePort > 0) {
                for (const kube::NodeInfo &node : std::as_const(usableNodes)) {
                    ProbeTarget t = base;
                    t.kind = ProbeTarget::Kind::NodePort;
                    t.url = httpUrl(node.internalIP, port.nodePort);
                    t.description =
                        TargetText::tr("NodePort %1 on node %2 of service %3")
                            .arg(hostPort(node.internalIP, port.nodePort), node.name, service.name);
                    nodePorts.append(t);
                }
            }
            ProbeTarget t = base;
            t.kind = ProbeTarget::Kind::ServiceProxy;
            t.description = TargetText::tr("API server proxy to service %1, port %2 (with your "
                                           "cluster credentials)")
                                .arg(service.name, portText(port));
            proxies.append(t);
        }
    }
    return loadBalancers + nodePorts + proxies;
}

Result<ProbeTarget> fromUserUrl(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error::make(Error::Kind::Usage, TargetText::tr("Enter a URL to probe, such as "
                                                              "http://demo.example.com/."));
    // "host:8080/path" has no scheme; QUrl would read "host" as one.
    const bool hasScheme = trimmed.contains(QStringLiteral("://"));
    const QUrl url = QUrl::fromUserInput(hasScheme ? trimmed : QStringLiteral("http://") + trimmed);
    if (!url.isValid() || url.host().isEmpty())
        return Error::make(
            Error::Kind::Usage,
            TargetText::tr("\"%1\" is not a URL with a host name or address.").arg(trimmed));
    const QString scheme = url.scheme().toLower();
    if (scheme != u"http" && scheme != u"https")
        return Error::make(Error::Kind::Usage,
                           TargetText::tr("Only http:// and https:// URLs can be probed, not "
                                          "%1://.")
                               .arg(scheme));
    if (!url.userInfo().isEmpty())
        return Error::make(Error::Kind::Usage,
                           TargetText::tr("Leave user names and passwords out of the URL."));
    if (url.port() == 0)
        return Error::make(Error::Kind::Usage, TargetText::tr("Port 0 cannot be probed."));

    ProbeTarget target;
    target.kind = ProbeTarget::Kind::Url;
    target.url = url.adjusted(QUrl::RemoveFragment);
    if (target.url.path().isEmpty())
        target.url.setPath(QStringLiteral("/"));
    target.description = TargetText::tr("URL %1").arg(target.url.toDisplayString());
    return target;
}

QString serviceProxyPath(const ProbeTarget &target, const QString &requestPath)
{
    QString path = requestPath.isEmpty() ? QStringLiteral("/") : requestPath;
    if (!path.startsWith(u'/'))
        path.prepend(u'/');
    const QString name = target.servicePort.isEmpty()
                             ? target.serviceName
                             : QString(target.serviceName + u':' + target.servicePort);
    return QStringLiteral("/api/v1/namespaces/%1/services/%2/proxy%3")
        .arg(target.serviceNamespace, name, path);
}

QByteArray hostHeader(const QUrl &url)
{
    QByteArray host = url.host(QUrl::FullyEncoded).toLatin1();
    if (host.contains(':'))
        host = '[' + host + ']';
    const int defaultPort = url.scheme() == u"https" ? 443 : 80;
    const int port = url.port(defaultPort);
    if (port != defaultPort)
        host += ':' + QByteArray::number(port);
    return host;
}

} // namespace rollscope::probe
