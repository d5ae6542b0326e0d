// SPDX-License-Identifier: MIT
// Which address the prober sends its requests to: Services that select the Deployment's pods,
// LoadBalancer ingress first, then NodePorts on node addresses, then the API server's service
// proxy; a URL typed by the user otherwise.
#include "probe/targets.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::kube;
using namespace rollscope::probe;

namespace {

DeploymentInfo demoDeployment()
{
    DeploymentInfo d;
    d.ns = QStringLiteral("default");
    d.name = QStringLiteral("demo-dp");
    d.templateLabels = {{QStringLiteral("app"), QStringLiteral("demo")},
                        {QStringLiteral("tier"), QStringLiteral("web")}};
    return d;
}

ServiceInfo service(const QString &name, const QString &type, Labels selector,
                    QStringList ingress = {}, int nodePort = 31080)
{
    ServiceInfo s;
    s.ns = QStringLiteral("default");
    s.name = name;
    s.type = type;
    s.selector = std::move(selector);
    ServiceInfo::Port port;
    port.port = 80;
    port.targetPort = IntOrString::fromInt(8080);
    port.nodePort = type == u"ClusterIP" ? 0 : nodePort;
    s.ports = {port};
    s.loadBalancerIngress = std::move(ingress);
    return s;
}

NodeInfo node(const QString &name, const QString &ip, bool ready = true)
{
    NodeInfo n;
    n.name = name;
    n.internalIP = ip;
    n.ready = ready;
    return n;
}

const Labels kDemo{{QStringLiteral("app"), QStringLiteral("demo")}};

QList<NodeInfo> threeNodes()
{
    return {node(QStringLiteral("sim-node-1"), QStringLiteral("127.0.0.1")),
            node(QStringLiteral("sim-node-2"), QStringLiteral("127.0.0.2")),
            node(QStringLiteral("sim-node-3"), QStringLiteral("127.0.0.3"))};
}

// "LoadBalancer http://127.0.1.18:80/" etc., one per candidate, for compact comparisons.
QStringList summary(const QList<ProbeTarget> &targets)
{
    QStringList out;
    for (const ProbeTarget &t : targets) {
        switch (t.kind) {
        case ProbeTarget::Kind::LoadBalancer:
            out << QStringLiteral("lb ") + t.url.toString();
            break;
        case ProbeTarget::Kind::NodePort:
            out << QStringLiteral("nodeport ") + t.url.toString();
            break;
        case ProbeTarget::Kind::ServiceProxy:
            out << QStringLiteral("proxy %1/%2:%3")
                       .arg(t.serviceNamespace, t.serviceName, t.servicePort);
            break;
        case ProbeTarget::Kind::Url:
            out << QStringLiteral("url ") + t.url.toString();
            break;
        }
    }
    return out;
}

} // namespace

class TestProbeTargets : public QObject
{
    Q_OBJECT

private slots:
    void selection_data()
    {
        QTest::addColumn<QList<ServiceInfo>>("services");
        QTest::addColumn<QList<NodeInfo>>("nodes");
        QTest::addColumn<QStringList>("expected");

        QTest::newRow("LoadBalancer with ingress")
            << QList<ServiceInfo>{service(QStringLiteral("demo-service"),
                                          QStringLiteral("LoadBalancer"), kDemo,
                                          {QStringLiteral("127.0.1.18")})}
            << threeNodes()
            << QStringList{QStringLiteral("lb http://127.0.1.18:80/"),
                           QStringLiteral("nodeport http://127.0.0.1:31080/"),
                           QStringLiteral("nodeport http://127.0.0.2:31080/"),
                           QStringLiteral("nodeport http://127.0.0.3:31080/"),
                           QStringLiteral("proxy default/demo-service:80")};
        QTest::newRow("LoadBalancer pending -> NodePort first")
            << QList<ServiceInfo>{service(QStringLiteral("demo-service"),
                                          QStringLiteral("LoadBalancer"), kDemo)}
            << threeNodes()
            << QStringList{QStringLiteral("nodeport http://127.0.0.1:31080/"),
                           QStringLiteral("nodeport http://127.0.0.2:31080/"),
                           QStringLiteral("nodeport http://127.0.0.3:31080/"),
                           QStringLiteral("proxy default/demo-service:80")};
        QTest::newRow("NodePort, not-ready node last")
            << QList<ServiceInfo>{service(QStringLiteral("demo-np"), QStringLiteral("NodePort"),
                                          kDemo)}
            << QList<NodeInfo>{node(QStringLiteral("a"), QStringLiteral("10.0.0.1"), false),
                               node(QStringLiteral("b"), QStringLiteral("10.0.0.2")),
                               node(QStringLiteral("c"), QString())}
            << QStringList{QStringLiteral("nodeport http://10.0.0.2:31080/"),
                           QStringLiteral("nodeport http://10.0.0.1:31080/"),
                           QStringLiteral("proxy default/demo-np:80")};
        QTest::newRow("ClusterIP only -> service proxy")
            << QList<ServiceInfo>{service(QStringLiteral("demo-internal"),
                                          QStringLiteral("ClusterIP"), kDemo)}
            << threeNodes() << QStringList{QStringLiteral("proxy default/demo-internal:80")};
        QTest::newRow("no service -> none")
            << QList<ServiceInfo>{} << threeNodes() << QStringList{};
        QTest::newRow("selector must match every label")
            << QList<ServiceInfo>{service(QStringLiteral("other-app"), QStringLiteral("NodePort"),
                                          {{QStringLiteral("app"), QStringLiteral("shop")}}),
                                  service(QStringLiteral("more-labels"), QStringLiteral("NodePort"),
                                          {{QStringLiteral("app"), QStringLiteral("demo")},
                                           {QStringLiteral("track"), QStringLiteral("canary")}}),
                                  service(QStringLiteral("no-selector"), QStringLiteral("NodePort"),
                                          {}),
                                  service(QStringLiteral("subset"), QStringLiteral("ClusterIP"),
                                          {{QStringLiteral("tier"), QStringLiteral("web")}})}
            << threeNodes() << QStringList{QStringLiteral("proxy default/subset:80")};
        ServiceInfo otherNs =
            service(QStringLiteral("demo-service"), QStringLiteral("LoadBalancer"), kDemo,
                    {QStringLiteral("127.0.1.9")});
        otherNs.ns = QStringLiteral("shop");
        QTest::newRow("other namespace ignored")
            << QList<ServiceInfo>{otherNs} << threeNodes() << QStringList{};
        QTest::newRow("two services: every LB before every NodePort")
            << QList<ServiceInfo>{service(QStringLiteral("b-np"), QStringLiteral("NodePort"), kDemo,
                                          {}, 30002),
                                  service(QStringLiteral("a-lb"), QStringLiteral("LoadBalancer"),
                                          kDemo, {QStringLiteral("lb.example.com")}, 30001)}
            << QList<NodeInfo>{node(QStringLiteral("n1"), QStringLiteral("10.0.0.1"))}
            << QStringList{QStringLiteral("lb http://lb.example.com:80/"),
                           QStringLiteral("nodeport http://10.0.0.1:30001/"),
                           QStringLiteral("nodeport http://10.0.0.1:30002/"),
                           QStringLiteral("proxy default/a-lb:80"),
                           QStringLiteral("proxy default/b-np:80")};
    }

    void selection()
    {
        QFETCH(QList<ServiceInfo>, services);
        QFETCH(QList<NodeInfo>, nodes);
        QFETCH(QStringList, expected);
        const QList<ProbeTarget> targets =
            candidateTargets(demoDeployment(), services, nodes, QStringLiteral("default"));
        QCOMPARE(summary(targets), expected);
        for (const ProbeTarget &t : targets) {
            QVERIFY2(!t.description.isEmpty(), "every candidate is described in plain words");
            QVERIFY(!t.serviceName.isEmpty());
        }
    }

    void descriptions()
    {
        const QList<ProbeTarget> targets = candidateTargets(
            demoDeployment(),
            {service(QStringLiteral("demo-service"), QStringLiteral("LoadBalancer"), kDemo,
                     {QStringLiteral("127.0.1.18")})},
            {node(QStringLiteral("sim-node-1"), QStringLiteral("127.0.0.1"))},
            QStringLiteral("default"));
        QCOMPARE(targets.size(), 3);
        QCOMPARE(targets.at(0).description,
                 QStringLiteral("LoadBalancer 127.0.1.18:80 of service demo-service"));
        QCOMPARE(targets.at(1).description,
                 QStringLiteral("NodePort 127.0.0.1:31080 on node sim-node-1 of service "
                                "demo-service"));
        QVERIFY(targets.at(2).description.contains(QStringLiteral("API server proxy")));
    }

    void namedPortsAndPreference()
    {
        ServiceInfo s = service(QStringLiteral("multi"), QStringLiteral("ClusterIP"), kDemo);
        ServiceInfo::Port metrics;
        metrics.name = QStringLiteral("metrics");
        metrics.port = 9090;
        ServiceInfo::Port http;
        http.name = QStringLiteral("http");
        http.port = 8000;
        ServiceInfo::Port udp;
        udp.name = QStringLiteral("dns");
        udp.port = 53;
        udp.protocol = QStringLiteral("UDP");
        s.ports = {metrics, http, udp};
        const QList<ProbeTarget> targets =
            candidateTargets(demoDeployment(), {s}, {}, QStringLiteral("default"));
        QCOMPARE(summary(targets), (QStringList{QStringLiteral("proxy default/multi:http"),
                                                QStringLiteral("proxy default/multi:metrics")}));
        QCOMPARE(serviceProxyPath(targets.first(), QStringLiteral("/healthz")),
                 QStringLiteral("/api/v1/namespaces/default/services/multi:http/proxy/healthz"));
        QCOMPARE(serviceProxyPath(targets.first(), QString()),
                 QStringLiteral("/api/v1/namespaces/default/services/multi:http/proxy/"));
    }

    void ipv6NodeAddress()
    {
        const QList<ProbeTarget> targets = candidateTargets(
            demoDeployment(), {service(QStringLiteral("np"), QStringLiteral("NodePort"), kDemo)},
            {node(QStringLiteral("v6"), QStringLiteral("fd00::5"))}, QStringLiteral("default"));
        QCOMPARE(targets.first().url.host(), QStringLiteral("fd00::5"));
        QCOMPARE(hostHeader(targets.first().url), QByteArray("[fd00::5]:31080"));
        QVERIFY(targets.first().description.contains(QStringLiteral("[fd00::5]:31080")));
    }

    void userUrl_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QByteArray>("host");
        QTest::newRow("ingress") << "http://demo.example.com/" << true << "http://demo.example.com/"
                                 << QByteArray("demo.example.com");
        QTest::newRow("no scheme, port and path")
            << "localhost:8080/hello?x=1" << true << "http://localhost:8080/hello?x=1"
            << QByteArray("localhost:8080");
        QTest::newRow("no path") << "https://demo.example.com" << true
                                 << "https://demo.example.com/" << QByteArray("demo.example.com");
        QTest::newRow("https non-default port")
            << "https://demo.example.com:8443/x" << true << "https://demo.example.com:8443/x"
            << QByteArray("demo.example.com:8443");
        QTest::newRow("fragment dropped")
            << "http://a.example/p#frag" << true << "http://a.example/p" << QByteArray("a.example");
        QTest::newRow("empty") << "  " << false << "" << QByteArray();
        QTest::newRow("ftp") << "ftp://files.example.com/" << false << "" << QByteArray();
        QTest::newRow("credentials")
            << "http://user:secret@demo.example.com/" << false << "" << QByteArray();
        QTest::newRow("no host") << "http:///path" << false << "" << QByteArray();
    }

    void userUrl()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(QString, url);
        QFETCH(QByteArray, host);
        const Result<ProbeTarget> target = fromUserUrl(text);
        QCOMPARE(target.ok(), ok);
        if (!ok) {
            QVERIFY(!target.error().message.isEmpty());
            QVERIFY2(!target.error().message.contains(QStringLiteral("secret")),
                     "a password never ends up in a message");
            return;
        }
        QCOMPARE(target->kind, ProbeTarget::Kind::Url);
        QCOMPARE(target->url.toString(), url);
        QCOMPARE(hostHeader(target->url), host);
        QVERIFY(!target->description.isEmpty());
    }
};

ROLLSCOPE_TEST_MAIN(TestProbeTargets)
#include "tst_probetargets.moc"
