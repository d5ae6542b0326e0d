// SPDX-License-Identifier: MIT
// The scale scenario's copies of its settled first Deployment (SettledCopier) against the same
// scenario with every Deployment driven through the controllers: the same objects, identifiers
// aside; nothing left for the controllers to write; and copies that serve and roll out.

#include "simfixture.h"
#include "simulator/controllers/kubelet.h"
#include "simulator/scenarios.h"
#include "simulator/settledcopies.h"

#include <QRegularExpression>

using namespace rollscope::sim;
using namespace rollscope::sim::test;

namespace {

constexpr qint64 kWarmUpMs = 20 * 60 * 1000;

Scenario scale(int deployments, int podsEach, bool copies)
{
    Scenario s;
    s.kind = Scenario::Kind::Scale;
    s.deployments = deployments;
    s.podsEach = podsEach;
    s.copySettled = copies;
    return s;
}

// Seeds `scenario` as rollscope-sim does: seed, warm-up, finish.
bool seed(SimFixture &sim, const Scenario &scenario)
{
    if (auto r = seedScenario(&sim.registry, scenario); !r) {
        qWarning("seed: %s", qPrintable(r.error().message));
        return false;
    }
    sim.advance(kWarmUpMs);
    if (auto r = finishScenario(&sim.registry, scenario); !r) {
        qWarning("finish: %s", qPrintable(r.error().message));
        return false;
    }
    return true;
}

// An object's compact JSON with what is unique to one run or one copy replaced by its kind:
// uids, resourceVersions, pod-template-hashes and pod name suffixes, pod and node addresses,
// container IDs, event name suffixes, and the node a pod runs on (the scheduler spreads the
// pods of all Deployments, the copies keep the first one's spread).
QString normalized(const QJsonObject &object)
{
    static const QList<std::pair<QRegularExpression, QString>> rules = [] {
        const QString hash = QStringLiteral("[bcdfghjklmnpqrstvwxz2456789]");
        return QList<std::pair<QRegularExpression, QString>>{
            {QRegularExpression(
                 QStringLiteral("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")),
             QStringLiteral("<uid>")},
            {QRegularExpression(QStringLiteral("containerd://[0-9a-f]{64}")),
             QStringLiteral("<container>")},
            {QRegularExpression(QStringLiteral("\"resourceVersion\":\"\\d+\"")),
             QStringLiteral("\"resourceVersion\":\"<rv>\"")},
            {QRegularExpression(QStringLiteral("(app-\\d{4})-%1{6,10}-%1{5}\\b").arg(hash)),
             QStringLiteral("\\1-<hash>-<pod>")},
            {QRegularExpression(QStringLiteral("(app-\\d{4})-%1{6,10}\\b").arg(hash)),
             QStringLiteral("\\1-<hash>")},
            {QRegularExpression(QStringLiteral("\"pod-template-hash\":\"%1{6,10}\"").arg(hash)),
             QStringLiteral("\"pod-template-hash\":\"<hash>\"")},
            {QRegularExpression(QStringLiteral("\\b\\d+\\.\\d+\\.\\d+\\.\\d+\\b")),
             QStringLiteral("<address>")},
            {QRegularExpression(QStringLiteral("sim-node-\\d+")), QStringLiteral("<node>")},
            {QRegularExpression(QStringLiteral("kube-api-access-[a-z0-9]{5}")),
             QStringLiteral("kube-api-access-<volume>")},
            {QRegularExpression(QStringLiteral("\\.[0-9a-f]{10,}\"")), QStringLiteral(".<n>\"")},
        };
    }();
    QString text = QString::fromUtf8(json::compact(object));
    for (const auto &[pattern, replacement] : rules)
        text.replace(pattern, replacement);
    return text;
}

QStringList normalizedObjects(const Store &store, const ResourceType &type)
{
    QStringList out;
    store.forEach(type, {}, [&out](const QJsonObject &o) {
        if (json::ns(o).startsWith(u"load-"))
            out << normalized(o);
        return true;
    });
    out.sort();
    return out;
}

} // namespace

class TestSettledCopies : public QObject
{
    Q_OBJECT

private slots:
    // Copies are what the controllers write for each Deployment: Deployments, ReplicaSets, pods
    // and events equal, object for object, once identifiers are set aside.
    void copiesAreWhatTheControllersWrite()
    {
        SimFixture driven;
        SimFixture copied;
        QVERIFY(seed(driven, scale(6, 4, false)));
        QVERIFY(seed(copied, scale(6, 4, true)));
        QCOMPARE(copied.store.count(Resources::deployments()),
                 driven.store.count(Resources::deployments()));
        for (const ResourceType *type : {&Resources::deployments(), &Resources::replicaSets(),
                                         &Resources::pods(), &Resources::events()}) {
            const QStringList expected = normalizedObjects(driven.store, *type);
            const QStringList actual = normalizedObjects(copied.store, *type);
            QVERIFY2(!expected.isEmpty(), qPrintable(type->plural));
            for (qsizetype i = 0; i < std::max(expected.size(), actual.size()); ++i) {
                QCOMPARE(actual.value(i), expected.value(i));
            }
        }
        // Every pod has its own address and token volume, and every container its own ID.
        QSet<QString> addresses;
        QSet<QString> containers;
        QSet<QString> volumes;
        for (const QJsonObject &pod : copied.store.list(Resources::pods())) {
            const QString address = json::string(pod, {u"status", u"podIP"});
            QVERIFY2(!addresses.contains(address), qPrintable(address));
            addresses.insert(address);
            for (const QJsonValue &v : json::array(pod, {u"spec", u"volumes"})) {
                const QString volume = v.toObject().value(u"name").toString();
                QVERIFY2(!volumes.contains(volume), qPrintable(volume));
                volumes.insert(volume);
            }
            for (const QJsonValue &s : json::array(pod, {u"status", u"containerStatuses"})) {
                const QString id = s.toObject().value(u"containerID").toString();
                QVERIFY2(!containers.contains(id), qPrintable(id));
                containers.insert(id);
            }
        }
        QCOMPARE(addresses.size(), 24);
        QCOMPARE(volumes.size(), 24);
    }

    // The controllers find the copies settled: in ten minutes nothing writes a Deployment,
    // ReplicaSet or pod, as in the scenario driven through them.
    void copiesLeaveNothingToWrite()
    {
        SimFixture copied;
        QVERIFY(seed(copied, scale(5, 3, true)));
        int writes = 0;
        const auto id = copied.store.subscribe([&writes](const StoreEvent &e) {
            if (*e.resource == Resources::deployments() ||
                *e.resource == Resources::replicaSets() || *e.resource == Resources::pods())
                ++writes;
        });
        copied.advance(10 * 60 * 1000);
        copied.store.unsubscribe(id);
        QCOMPARE(writes, 0);
    }

    // A copy's pods run in the pod runtime (they answer traffic), and the copy rolls out like
    // any Deployment: its old pods are stopped and deleted by the kubelet, its new ones take
    // addresses no other pod has.
    void copiesServeAndRollOut()
    {
        SimFixture sim;
        const Scenario scenario = scale(4, 3, true);
        QVERIFY(seed(sim, scenario));
        const QString ns = scaleNamespace(scenario, 2);
        const QString name = scaleDeploymentName(2);
        const QList<QJsonObject> before = sim.store.list(Resources::pods(), ns);
        QCOMPARE(before.size(), 3);
        for (const QJsonObject &pod : before) {
            const auto process = sim.runtime.find(ns, json::name(pod));
            QVERIFY(process);
            QVERIFY(process->running && process->listening);
            QCOMPARE(process->podIp, json::string(pod, {u"status", u"podIP"}));
        }

        QVERIFY(!sim.setImage(name, QStringLiteral("bebullish/demo:v2"), ns).isEmpty());
        sim.advance(3 * 60 * 1000);
        const QJsonObject status = sim.deployment(name, ns).value(u"status").toObject();
        QCOMPARE(status.value(u"updatedReplicas").toInt(), 3);
        QCOMPARE(status.value(u"availableReplicas").toInt(), 3);
        QCOMPARE(status.value(u"replicas").toInt(), 3);
        const QList<QJsonObject> after = sim.store.list(Resources::pods(), ns);
        QCOMPARE(after.size(), 3);
        QSet<QString> addresses;
        for (const QJsonObject &pod : sim.store.list(Resources::pods()))
            addresses.insert(json::string(pod, {u"status", u"podIP"}));
        QCOMPARE(addresses.size(), sim.store.count(Resources::pods()));
        for (const QJsonObject &old : before) {
            QVERIFY(!sim.store.get(Resources::pods(), ns, json::name(old)));
            QVERIFY(!sim.runtime.find(ns, json::name(old)));
        }
        for (const QJsonObject &pod : after) {
            QCOMPARE(json::array(pod, {u"spec", u"containers"})
                         .first()
                         .toObject()
                         .value(u"image")
                         .toString(),
                     QStringLiteral("bebullish/demo:v2"));
        }
        // The copy's events say what happened to it: its old pods were killed.
        QStringList killed;
        for (const QJsonObject &e : sim.store.list(Resources::events(), ns)) {
            if (e.value(u"reason").toString() == u"Killing")
                killed << json::string(e, {u"involvedObject", u"name"});
        }
        killed.sort();
        QStringList expectedKilled;
        for (const QJsonObject &old : before)
            expectedKilled << json::name(old);
        expectedKilled.sort();
        QCOMPARE(killed, expectedKilled);
    }

    // The prototype must have settled: a copier refuses one that has not.
    void anUnsettledPrototypeIsRefused()
    {
        SimFixture sim;
        const Scenario scenario = scale(3, 2, true);
        QVERIFY(seedScenario(&sim.registry, scenario));
        sim.advance(100); // pods created, not running yet
        const auto copier = SettledCopier::fromPrototype(&sim.registry, scaleNamespace(scenario, 0),
                                                         scaleDeploymentName(0));
        QVERIFY(!copier);
        QVERIFY2(copier.error().message.contains(scaleDeploymentName(0)),
                 qPrintable(copier.error().message));
        QCOMPARE(sim.store.count(Resources::deployments()), 1);
    }
};

QTEST_GUILESS_MAIN(TestSettledCopies)
#include "tst_settledcopies.moc"
