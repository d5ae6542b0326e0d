// SPDX-License-Identifier: MIT
#include "simfixture.h"
#include "testmain.h"

#include <QRegularExpression>
#include <QTest>

using namespace rollscope::sim;
using rollscope::sim::test::SimFixture;

namespace {

const QString kReadyAfterT = QStringLiteral("ready-after=9700ms,pull=0");

QJsonObject serviceJson(const QString &name, const QString &app, const QJsonValue &targetPort,
                        bool publishNotReady = false, const QString &portName = {})
{
    QJsonObject port{{QStringLiteral("port"), 80}, {QStringLiteral("targetPort"), targetPort}};
    if (!portName.isEmpty())
        port.insert(QStringLiteral("name"), portName);
    QJsonObject spec{{QStringLiteral("selector"), QJsonObject{{QStringLiteral("app"), app}}},
                     {QStringLiteral("ports"), QJsonArray{port}}};
    if (publishNotReady)
        spec.insert(QStringLiteral("publishNotReadyAddresses"), true);
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Service")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("labels"),
                      QJsonObject{{QStringLiteral("team"), QStringLiteral("blue")}}}}},
        {QStringLiteral("spec"), spec}};
}

QJsonObject subset(const QJsonObject &endpoints)
{
    const QJsonArray subsets = json::array(endpoints, {u"subsets"});
    return subsets.isEmpty() ? QJsonObject() : subsets.first().toObject();
}

QList<QJsonObject> slicesOf(const SimFixture &f, const QString &service)
{
    QList<QJsonObject> result;
    for (const QJsonObject &slice :
         f.store.list(Resources::endpointSlices(), QStringLiteral("default"))) {
        if (json::label(slice, QStringLiteral("kubernetes.io/service-name")) == service)
            result << slice;
    }
    return result;
}

// endpoint conditions by pod name: "ready/serving/terminating" as 0/1 digits
QHash<QString, QString> sliceConditions(const SimFixture &f, const QString &service)
{
    QHash<QString, QString> result;
    for (const QJsonObject &slice : slicesOf(f, service)) {
        for (const QJsonValue &v : slice.value(u"endpoints").toArray()) {
            const QJsonObject e = v.toObject();
            const QJsonObject c = e.value(u"conditions").toObject();
            result.insert(json::string(e, {u"targetRef", u"name"}),
                          QStringLiteral("%1%2%3")
                              .arg(int(c.value(u"ready").toBool()))
                              .arg(int(c.value(u"serving").toBool()))
                              .arg(int(c.value(u"terminating").toBool())));
        }
    }
    return result;
}

} // namespace

class TestEndpoints : public QObject
{
    Q_OBJECT

private slots:
    void readyNotReadyAndTerminating();
    void publishNotReadyAddresses();
    void sliceShape();
    void placeholderSliceAndMissingNamedPort();
    void numericTargetPort();
    void noRewriteWhenUnchanged();
    void serviceDeletionRemovesEndpoints();
};

void TestEndpoints::readyNotReadyAndTerminating()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.create(Resources::services(), serviceJson(QStringLiteral("demo-svc"), QStringLiteral("demo"),
                                                QStringLiteral("http")));
    f.settle();

    // Pods have addresses but are not ready.
    QJsonObject ep = f.get(Resources::endpoints(), QStringLiteral("demo-svc"));
    QVERIFY(!ep.isEmpty());
    QCOMPARE(json::label(ep, QStringLiteral("team")), QStringLiteral("blue"));
    QJsonObject s = subset(ep);
    QVERIFY(!s.contains(u"addresses"));
    QCOMPARE(s.value(u"notReadyAddresses").toArray().size(), 3);
    // The named targetPort resolved to the container port.
    QCOMPARE(s.value(u"ports").toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("port"), 8080},
                                     {QStringLiteral("protocol"), QStringLiteral("TCP")}}}));
    const QJsonObject address = s.value(u"notReadyAddresses").toArray().first().toObject();
    QVERIFY(address.value(u"ip").toString().startsWith(QStringLiteral("10.244.")));
    QVERIFY(address.value(u"nodeName").toString().startsWith(QStringLiteral("sim-node-")));
    QCOMPARE(json::string(address, {u"targetRef", u"kind"}), QStringLiteral("Pod"));
    QCOMPARE(json::string(address, {u"targetRef", u"namespace"}), QStringLiteral("default"));
    const QJsonObject pod =
        f.get(Resources::pods(), json::string(address, {u"targetRef", u"name"}));
    QCOMPARE(json::string(address, {u"targetRef", u"uid"}), json::uid(pod));
    QCOMPARE(json::string(pod, {u"status", u"podIP"}), address.value(u"ip").toString());
    for (const QString &c : sliceConditions(f, QStringLiteral("demo-svc")))
        QCOMPARE(c, QStringLiteral("000"));

    // Ready at 10 s.
    f.advanceTo(10'000);
    ep = f.get(Resources::endpoints(), QStringLiteral("demo-svc"));
    s = subset(ep);
    QCOMPARE(s.value(u"addresses").toArray().size(), 3);
    QVERIFY(!s.contains(u"notReadyAddresses"));
    // Sorted by IP text.
    QStringList ips;
    for (const QJsonValue &a : s.value(u"addresses").toArray())
        ips << a.toObject().value(u"ip").toString();
    QStringList sorted = ips;
    sorted.sort();
    QCOMPARE(ips, sorted);
    QHash<QString, QString> conditions = sliceConditions(f, QStringLiteral("demo-svc"));
    QCOMPARE(conditions.size(), 3);
    for (const QString &c : std::as_const(conditions))
        QCOMPARE(c, QStringLiteral("110"));

    // A pod is deleted: it leaves Endpoints at once; the slice keeps it as terminating, still
    // serving while it drains. Its replacement shows up as not ready.
    const QString victim = json::name(f.pods().first());
    QVERIFY(f.registry.remove(Resources::pods(), QStringLiteral("default"), victim).ok());
    f.settle();
    s = subset(f.get(Resources::endpoints(), QStringLiteral("demo-svc")));
    QCOMPARE(s.value(u"addresses").toArray().size(), 2);
    QCOMPARE(s.value(u"notReadyAddresses").toArray().size(), 1);
    for (const QJsonValue &a : s.value(u"addresses").toArray())
        QVERIFY(json::string(a.toObject(), {u"targetRef", u"name"}) != victim);
    conditions = sliceConditions(f, QStringLiteral("demo-svc"));
    QCOMPARE(conditions.size(), 4);
    QCOMPARE(conditions.value(victim), QStringLiteral("011"));
    int replacements = 0;
    for (auto it = conditions.cbegin(); it != conditions.cend(); ++it) {
        if (it.value() == u"000")
            ++replacements;
    }
    QCOMPARE(replacements, 1);
    // Gone after its 1 s drain.
    f.advance(1000);
    QVERIFY(!sliceConditions(f, QStringLiteral("demo-svc")).contains(victim));
}

void TestEndpoints::publishNotReadyAddresses()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 2, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.create(Resources::services(), serviceJson(QStringLiteral("peers"), QStringLiteral("demo"),
                                                QStringLiteral("http"), true));
    f.settle();
    QJsonObject s = subset(f.get(Resources::endpoints(), QStringLiteral("peers")));
    QCOMPARE(s.value(u"addresses").toArray().size(), 2);
    QVERIFY(!s.contains(u"notReadyAddresses"));
    for (const QString &c : sliceConditions(f, QStringLiteral("peers")))
        QCOMPARE(c, QStringLiteral("100")); // ready although not serving
    f.advanceTo(10'000);
    const QString victim = json::name(f.pods().first());
    QVERIFY(f.registry.remove(Resources::pods(), QStringLiteral("default"), victim).ok());
    f.settle();
    // Terminating pods stay listed with publishNotReadyAddresses.
    s = subset(f.get(Resources::endpoints(), QStringLiteral("peers")));
    QStringList names;
    for (const QJsonValue &a : s.value(u"addresses").toArray())
        names << json::string(a.toObject(), {u"targetRef", u"name"});
    QVERIFY(names.contains(victim));
    QCOMPARE(sliceConditions(f, QStringLiteral("peers")).value(victim), QStringLiteral("111"));
}

void TestEndpoints::sliceShape()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 2, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    const QJsonObject svc = f.create(
        Resources::services(), serviceJson(QStringLiteral("demo-svc"), QStringLiteral("demo"),
                                           QStringLiteral("http"), false, QStringLiteral("web")));
    f.advanceTo(10'000);
    const QList<QJsonObject> slices = slicesOf(f, QStringLiteral("demo-svc"));
    QCOMPARE(slices.size(), 1);
    const QJsonObject slice = slices.first();
    QVERIFY2(QRegularExpression(QStringLiteral("^demo-svc-[bcdfghjklmnpqrstvwxz2456789]{5}$"))
                 .match(json::name(slice))
                 .hasMatch(),
             qPrintable(json::name(slice)));
    QCOMPARE(json::label(slice, QStringLiteral("endpointslice.kubernetes.io/managed-by")),
             QStringLiteral("endpointslice-controller.k8s.io"));
    QCOMPARE(json::label(slice, QStringLiteral("team")), QStringLiteral("blue"));
    QCOMPARE(slice.value(u"addressType").toString(), QStringLiteral("IPv4"));
    QCOMPARE(slice.value(u"kind").toString(), QStringLiteral("EndpointSlice"));
    QCOMPARE(slice.value(u"apiVersion").toString(), QStringLiteral("discovery.k8s.io/v1"));
    const auto ref = ctrl::controllerRef(slice);
    QVERIFY(ref);
    QCOMPARE(ref->kind, QStringLiteral("Service"));
    QCOMPARE(ref->uid, json::uid(svc));
    QVERIFY(
        !json::annotation(slice, QStringLiteral("endpoints.kubernetes.io/last-change-trigger-time"))
             .isEmpty());
    QCOMPARE(slice.value(u"ports").toArray(),
             (QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                     {QStringLiteral("port"), 8080},
                                     {QStringLiteral("protocol"), QStringLiteral("TCP")}}}));
    const QJsonArray endpoints = slice.value(u"endpoints").toArray();
    QCOMPARE(endpoints.size(), 2);
    const QJsonObject e = endpoints.first().toObject();
    QCOMPARE(e.value(u"addresses").toArray().size(), 1);
    QVERIFY(e.value(u"nodeName").toString().startsWith(QStringLiteral("sim-node-")));
    QCOMPARE(json::string(e, {u"targetRef", u"kind"}), QStringLiteral("Pod"));
    // The Endpoints port carries the Service port's name too.
    QCOMPARE(
        subset(f.get(Resources::endpoints(), QStringLiteral("demo-svc"))).value(u"ports").toArray(),
        slice.value(u"ports").toArray());
}

void TestEndpoints::placeholderSliceAndMissingNamedPort()
{
    SimFixture f;
    f.create(Resources::services(), serviceJson(QStringLiteral("lonely"), QStringLiteral("nobody"),
                                                QStringLiteral("http")));
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 2, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.create(Resources::services(), serviceJson(QStringLiteral("wrong-port"),
                                                QStringLiteral("demo"), QStringLiteral("grpc")));
    f.advanceTo(10'000);
    // No pods: Endpoints without subsets, one placeholder slice.
    QJsonObject ep = f.get(Resources::endpoints(), QStringLiteral("lonely"));
    QVERIFY(!ep.isEmpty());
    QVERIFY(!ep.contains(u"subsets"));
    QList<QJsonObject> slices = slicesOf(f, QStringLiteral("lonely"));
    QCOMPARE(slices.size(), 1);
    QVERIFY(slices.first().value(u"endpoints").isNull());
    // Pods without the named port are left out of Endpoints.
    ep = f.get(Resources::endpoints(), QStringLiteral("wrong-port"));
    QVERIFY(!ep.contains(u"subsets"));
}

void TestEndpoints::numericTargetPort()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 1, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.create(Resources::services(),
             serviceJson(QStringLiteral("direct"), QStringLiteral("demo"), QJsonValue(9090)));
    f.advanceTo(10'000);
    const QJsonObject s = subset(f.get(Resources::endpoints(), QStringLiteral("direct")));
    QCOMPARE(s.value(u"ports").toArray().first().toObject().value(u"port").toInt(), 9090);
    QCOMPARE(s.value(u"addresses").toArray().size(), 1);
}

void TestEndpoints::noRewriteWhenUnchanged()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 2, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.create(Resources::services(), serviceJson(QStringLiteral("demo-svc"), QStringLiteral("demo"),
                                                QStringLiteral("http")));
    f.advanceTo(20'000);
    const QString epVersion =
        json::string(f.get(Resources::endpoints(), QStringLiteral("demo-svc")),
                     {u"metadata", u"resourceVersion"});
    const QString sliceVersion = json::string(slicesOf(f, QStringLiteral("demo-svc")).first(),
                                              {u"metadata", u"resourceVersion"});
    int writes = 0;
    const int sub = f.store.subscribe([&](const StoreEvent &e) {
        if (*e.resource == Resources::endpoints() || *e.resource == Resources::endpointSlices())
            ++writes;
    });
    // The Service changes in a way endpoints do not show; pods get an unrelated annotation.
    f.patch(Resources::services(), QStringLiteral("demo-svc"), PatchType::Merge,
            R"({"metadata":{"annotations":{"note":"hello"}}})");
    for (const QJsonObject &pod : f.pods())
        f.patch(Resources::pods(), json::name(pod), PatchType::Merge,
                R"({"metadata":{"annotations":{"note":"hello"}}})");
    f.advance(60'000);
    f.store.unsubscribe(sub);
    QCOMPARE(writes, 0);
    QCOMPARE(json::string(f.get(Resources::endpoints(), QStringLiteral("demo-svc")),
                          {u"metadata", u"resourceVersion"}),
             epVersion);
    QCOMPARE(json::string(slicesOf(f, QStringLiteral("demo-svc")).first(),
                          {u"metadata", u"resourceVersion"}),
             sliceVersion);
}

void TestEndpoints::serviceDeletionRemovesEndpoints()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 1, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.create(Resources::services(), serviceJson(QStringLiteral("demo-svc"), QStringLiteral("demo"),
                                                QStringLiteral("http")));
    f.advanceTo(10'000);
    QVERIFY(!f.get(Resources::endpoints(), QStringLiteral("demo-svc")).isEmpty());
    QCOMPARE(slicesOf(f, QStringLiteral("demo-svc")).size(), 1);
    QVERIFY(
        f.registry
            .remove(Resources::services(), QStringLiteral("default"), QStringLiteral("demo-svc"))
            .ok());
    f.settle();
    QVERIFY(f.get(Resources::endpoints(), QStringLiteral("demo-svc")).isEmpty());
    QCOMPARE(slicesOf(f, QStringLiteral("demo-svc")).size(), 0);
}

ROLLSCOPE_TEST_MAIN(TestEndpoints)
#include "tst_endpoints.moc"
