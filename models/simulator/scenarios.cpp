// SPDX-License-Identifier: MIT
#include "scenarios.h"

#include "clock.h"
#include "json.h"
#include "registry.h"
#include "resources.h"
#include "settledcopies.h"
#include "yamljson.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace rollscope::sim {

QByteArray demoDeploymentManifest()
{
    return QByteArrayLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-dp
spec:
  selector:
    matchLabels:
      app: demo
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
  template:
    metadata:
      labels:
        app: demo
    spec:
      containers:
      - name: demo
        image: bebullish/demo:v1
        ports:
        - containerPort: 8080
)");
}

QByteArray demoServiceManifest()
{
    return QByteArrayLiteral(R"(apiVersion: v1
kind: Service
metadata:
  name: demo-service
spec:
  selector:
    app: demo
  type: LoadBalancer
  ports:
  - port: 80
    targetPort: 8080
    protocol: TCP
)");
}

Result<Scenario> Scenario::parse(const QString &text)
{
    Scenario s;
    if (text.isEmpty() || text == u"demo") {
        s.kind = Kind::Demo;
        return s;
    }
    if (text == u"empty") {
        s.kind = Kind::Empty;
        return s;
    }
    const QStringList parts = text.split(u':');
    bool okD = false;
    bool okP = false;
    if (parts.size() == 3 && parts[0] == u"scale") {
        s.kind = Kind::Scale;
        s.deployments = parts[1].toInt(&okD);
        s.podsEach = parts[2].toInt(&okP);
        if (okD && okP && s.deployments > 0 && s.podsEach >= 0 && s.deployments <= 100000)
            return s;
    }
    return Error::make(Error::Kind::Usage,
                       QCoreApplication::translate("Scenario",
                                                   "unknown scenario \"%1\": use demo, empty or "
                                                   "scale:DEPLOYMENTS:PODS_EACH")
                           .arg(text));
}

QString Scenario::toString() const
{
    switch (kind) {
    case Kind::Demo:
        return QStringLiteral("demo");
    case Kind::Empty:
        return QStringLiteral("empty");
    case Kind::Scale:
        return QStringLiteral("scale:%1:%2").arg(deployments).arg(podsEach);
    }
    return {};
}

namespace {

VoidResult createFromYaml(Registry *registry, const QString &ns, const QByteArray &yaml)
{
    auto objects = yamlToJsonObjects(yaml);
    if (!objects)
        return objects.error();
    for (const QJsonObject &o : *objects) {
        const ResourceType *type =
            Resources::byKind(o.value(u"apiVersion").toString(), o.value(u"kind").toString());
        if (!type)
            return Error::make(Error::Kind::Generic, QStringLiteral("unknown kind in scenario"));
        auto created = registry->create(*type, ns, o);
        if (!created)
            return created.error();
    }
    return Done{};
}

VoidResult ensureNamespace(Registry *registry, const QString &name)
{
    if (registry->get(Resources::namespaces(), {}, name))
        return Done{};
    auto created = registry->create(
        Resources::namespaces(), {},
        QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                    {QStringLiteral("kind"), QStringLiteral("Namespace")},
                    {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}}});
    if (!created)
        return created.error();
    return Done{};
}

QByteArray simpleDeployment(const QString &name, const QString &app, const QString &image,
                            int replicas, int port, const QString &strategy = {})
{
    QString yaml = QStringLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: %1
  labels:
    app: %2
spec:
  replicas: %3
  selector:
    matchLabels:
      app: %2
%6  template:
    metadata:
      labels:
        app: %2
    spec:
      containers:
      - name: %2
        image: %4
        ports:
        - containerPort: %5
)")
                       .arg(name, app)
                       .arg(replicas)
                       .arg(image)
                       .arg(port)
                       .arg(strategy);
    return yaml.toUtf8();
}

QByteArray simpleService(const QString &name, const QString &app, int port, int targetPort,
                         const QString &type = QStringLiteral("ClusterIP"))
{
    return QStringLiteral(R"(apiVersion: v1
kind: Service
metadata:
  name: %1
spec:
  type: %5
  selector:
    app: %2
  ports:
  - port: %3
    targetPort: %4
)")
        .arg(name, app)
        .arg(port)
        .arg(targetPort)
        .arg(type)
        .toUtf8();
}

} // namespace

namespace {

// kube-apiserver's default/kubernetes: the first address of the service range, port 443 named
// https, no selector. Its targetPort is the apiserver's port, 6443 until it listens.
QByteArray kubernetesService()
{
    return QByteArrayLiteral(R"(apiVersion: v1
kind: Service
metadata:
  name: kubernetes
  labels:
    component: apiserver
    provider: kubernetes
spec:
  type: ClusterIP
  clusterIP: 10.96.0.1
  ports:
  - name: https
    port: 443
    protocol: TCP
    targetPort: 6443
)");
}

} // namespace

VoidResult publishApiServerEndpoints(Registry *registry, const QHostAddress &address, quint16 port)
{
    const QString defaultNs = QStringLiteral("default");
    const QString name = QStringLiteral("kubernetes");
    QHostAddress published = address;
    if (address == QHostAddress::Any || address == QHostAddress::AnyIPv4 || address.isNull())
        published = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        published = QHostAddress::LocalHostIPv6;
    const bool ipv6 = published.protocol() == QAbstractSocket::IPv6Protocol;
    const QString ip = published.toString();

    if (auto service = registry->get(Resources::services(), defaultNs, name)) {
        QJsonObject svc = *service;
        QJsonArray ports = json::array(svc, {u"spec", u"ports"});
        if (!ports.isEmpty()) {
            QJsonObject first = ports.at(0).toObject();
            first.insert(QStringLiteral("targetPort"), int(port));
            ports.replace(0, first);
            json::set(svc, {u"spec", u"ports"}, ports);
            if (auto updated = registry->update(Resources::services(), defaultNs, name, svc);
                !updated)
                return updated.error();
        }
    }

    const QJsonObject endpointPort{{QStringLiteral("name"), QStringLiteral("https")},
                                   {QStringLiteral("port"), int(port)},
                                   {QStringLiteral("protocol"), QStringLiteral("TCP")}};
    QJsonObject endpoints{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Endpoints")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("labels"),
                      QJsonObject{{QStringLiteral("endpointslice.kubernetes.io/skip-mirror"),
                                   QStringLiteral("true")}}}}},
        {QStringLiteral("subsets"),
         QJsonArray{QJsonObject{
             {QStringLiteral("addresses"), QJsonArray{QJsonObject{{QStringLiteral("ip"), ip}}}},
             {QStringLiteral("ports"), QJsonArray{endpointPort}}}}}};
    QJsonObject slice{
        {QStringLiteral("apiVersion"), QStringLiteral("discovery.k8s.io/v1")},
        {QStringLiteral("kind"), QStringLiteral("EndpointSlice")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("labels"),
                      QJsonObject{{QStringLiteral("kubernetes.io/service-name"), name}}}}},
        {QStringLiteral("addressType"), ipv6 ? QStringLiteral("IPv6") : QStringLiteral("IPv4")},
        {QStringLiteral("endpoints"),
         QJsonArray{QJsonObject{
             {QStringLiteral("addresses"), QJsonArray{ip}},
             {QStringLiteral("conditions"), QJsonObject{{QStringLiteral("ready"), true}}}}}},
        {QStringLiteral("ports"), QJsonArray{endpointPort}}};
    const QList<std::pair<const ResourceType *, QJsonObject>> objects{
        {&Resources::endpoints(), endpoints}, {&Resources::endpointSlices(), slice}};
    for (const auto &[type, object] : objects) {
        if (auto old = registry->get(*type, defaultNs, name)) {
            QJsonObject next = object;
            json::set(next, {u"metadata", u"resourceVersion"},
                      json::get(*old, {u"metadata", u"resourceVersion"}));
            if (auto updated = registry->update(*type, defaultNs, name, next); !updated)
                return updated.error();
        } else if (auto created = registry->create(*type, defaultNs, object); !created) {
            return created.error();
        }
    }
    return Done{};
}

QString scaleNamespace(const Scenario &scenario, int index)
{
    const int namespaces = qMax(1, qMin(10, scenario.deployments));
    return QStringLiteral("load-%1").arg(index % namespaces, 2, 10, QChar(u'0'));
}

QString scaleDeploymentName(int index)
{
    return QStringLiteral("app-%1").arg(index, 4, 10, QChar(u'0'));
}

VoidResult finishScenario(Registry *registry, const Scenario &scenario)
{
    if (scenario.kind != Scenario::Kind::Scale || !scenario.copySettled || scenario.deployments < 2)
        return Done{};
    auto copier =
        SettledCopier::fromPrototype(registry, scaleNamespace(scenario, 0), scaleDeploymentName(0));
    if (!copier)
        return copier.error();
    QList<std::pair<QString, QString>> copies;
    for (int d = 1; d < scenario.deployments; ++d)
        copies.append({scaleNamespace(scenario, d), scaleDeploymentName(d)});
    if (auto r = copier->copyAll(copies); !r)
        return r;
    // The controllers look at what they were told of.
    registry->clock()->runDue();
    return Done{};
}

VoidResult seedScenario(Registry *registry, const Scenario &scenario)
{
    if (auto r = createFromYaml(registry, QStringLiteral("default"), kubernetesService()); !r)
        return r;
    switch (scenario.kind) {
    case Scenario::Kind::Empty:
        return Done{};
    case Scenario::Kind::Demo: {
        for (const auto &step :
             {createFromYaml(registry, QStringLiteral("default"), demoDeploymentManifest()),
              createFromYaml(registry, QStringLiteral("default"), demoServiceManifest())}) {
            if (!step)
                return step;
        }
        for (const char *ns : {"shop", "monitoring"}) {
            if (auto r = ensureNamespace(registry, QLatin1StringView(ns)); !r)
                return r;
        }
        const QString shop = QStringLiteral("shop");
        const QString monitoring = QStringLiteral("monitoring");
        const QList<std::pair<QString, QByteArray>> objects = {
            {shop, simpleDeployment(QStringLiteral("frontend"), QStringLiteral("frontend"),
                                    QStringLiteral("nginx:1.27.2"), 2, 80)},
            {shop, simpleService(QStringLiteral("frontend"), QStringLiteral("frontend"), 80, 80,
                                 QStringLiteral("NodePort"))},
            {shop, simpleDeployment(QStringLiteral("cart"), QStringLiteral("cart"),
                                    QStringLiteral("redis:7.4.1"), 1, 6379,
                                    QStringLiteral("  strategy:\n    type: Recreate\n"))},
            {shop, simpleService(QStringLiteral("cart"), QStringLiteral("cart"), 6379, 6379)},
            {shop, simpleDeployment(QStringLiteral("checkout"), QStringLiteral("checkout"),
                                    QStringLiteral("bebullish/demo:v2"), 4, 8080,
                                    QStringLiteral("  strategy:\n    rollingUpdate:\n      "
                                                   "maxSurge: 1\n      maxUnavailable: 0\n"))},
            {shop, simpleService(QStringLiteral("checkout"), QStringLiteral("checkout"), 80, 8080)},
            {monitoring,
             simpleDeployment(QStringLiteral("prometheus"), QStringLiteral("prometheus"),
                              QStringLiteral("prom/prometheus:v2.55.1"), 1, 9090)},
            {monitoring, simpleDeployment(QStringLiteral("grafana"), QStringLiteral("grafana"),
                                          QStringLiteral("grafana/grafana:11.3.0"), 1, 3000)},
        };
        for (const auto &[ns, yaml] : objects) {
            if (auto r = createFromYaml(registry, ns, yaml); !r)
                return r;
        }
        return Done{};
    }
    case Scenario::Kind::Scale: {
        const int namespaces = qMin(10, scenario.deployments);
        for (int n = 0; n < namespaces; ++n) {
            if (auto r =
                    ensureNamespace(registry, QStringLiteral("load-%1").arg(n, 2, 10, QChar(u'0')));
                !r)
                return r;
        }
        // With copies, only the first one goes through the controllers.
        const int driven = scenario.copySettled ? 1 : scenario.deployments;
        for (int d = 0; d < driven; ++d) {
            const QString name = scaleDeploymentName(d);
            if (auto r =
                    createFromYaml(registry, scaleNamespace(scenario, d),
                                   simpleDeployment(name, name, QStringLiteral("bebullish/demo:v1"),
                                                    scenario.podsEach, 8080));
                !r)
                return r;
        }
        return Done{};
    }
    }
    return Done{};
}

} // namespace rollscope::sim
