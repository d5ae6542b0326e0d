// SPDX-License-Identifier: MIT
#include "simfixture.h"
#include "testmain.h"

#include <QTest>

using namespace rollscope::sim;
using rollscope::sim::test::SimFixture;

namespace {

const QString kReadyAfterT = QStringLiteral("ready-after=9700ms,pull=0");

void createDemo(SimFixture &f, const QString &ns = QStringLiteral("default"))
{
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT),
        ns);
}

DeleteOptions policy(const QString &propagation)
{
    DeleteOptions options;
    options.propagationPolicy = propagation;
    return options;
}

} // namespace

class TestGarbageCollector : public QObject
{
    Q_OBJECT

private slots:
    void backgroundDeletion();
    void foregroundDeletion();
    void orphanDeletionThenAdoption();
    void danglingOwnerIsCollected();
    void remainingOwnerKeepsDependent();
    void namespaceDeletion();
};

void TestGarbageCollector::backgroundDeletion()
{
    SimFixture f;
    createDemo(f);
    f.advanceTo(10'000);
    const QJsonObject rs = f.replicaSets(QStringLiteral("demo")).first();
    QVERIFY(f.registry
                .remove(Resources::deployments(), QStringLiteral("default"), QStringLiteral("demo"))
                .ok());
    QVERIFY(f.deployment(QStringLiteral("demo")).isEmpty()); // gone at once
    f.settle();
    QVERIFY(f.get(Resources::replicaSets(), json::name(rs)).isEmpty());
    QCOMPARE(f.pods().size(), 3);
    for (const QJsonObject &pod : f.pods())
        QVERIFY(json::isBeingDeleted(pod));
    f.advance(1000);
    QCOMPARE(f.pods().size(), 0);
}

void TestGarbageCollector::foregroundDeletion()
{
    SimFixture f;
    createDemo(f);
    f.advanceTo(10'000);
    const QJsonObject rs = f.replicaSets(QStringLiteral("demo")).first();
    QVERIFY(f.registry
                .remove(Resources::deployments(), QStringLiteral("default"), QStringLiteral("demo"),
                        policy(QStringLiteral("Foreground")))
                .ok());
    f.settle();
    // The owner waits with its finalizer; so does the RS (it has pods); the pods terminate.
    QJsonObject d = f.deployment(QStringLiteral("demo"));
    QVERIFY(json::isBeingDeleted(d));
    QCOMPARE(json::array(d, {u"metadata", u"finalizers"}),
             QJsonArray{QStringLiteral("foregroundDeletion")});
    QJsonObject liveRs = f.get(Resources::replicaSets(), json::name(rs));
    QVERIFY(json::isBeingDeleted(liveRs));
    QVERIFY(json::array(liveRs, {u"metadata", u"finalizers"})
                .contains(QStringLiteral("foregroundDeletion")));
    QCOMPARE(SimFixture::specReplicas(liveRs), 3); // nobody scales it down
    QCOMPARE(f.pods().size(), 3);
    for (const QJsonObject &pod : f.pods())
        QVERIFY(json::isBeingDeleted(pod));
    f.advance(999);
    QVERIFY(!f.deployment(QStringLiteral("demo")).isEmpty());
    QVERIFY(!f.get(Resources::replicaSets(), json::name(rs)).isEmpty());
    // The pods finish draining: then the RS, then the deployment go.
    f.advance(1);
    QCOMPARE(f.pods().size(), 0);
    QVERIFY(f.get(Resources::replicaSets(), json::name(rs)).isEmpty());
    QVERIFY(f.deployment(QStringLiteral("demo")).isEmpty());
    // No replacement pods were made while the RS was being deleted.
    QCOMPARE(f.eventMessages(QStringLiteral("SuccessfulCreate")).size(), 3);
}

void TestGarbageCollector::orphanDeletionThenAdoption()
{
    SimFixture f;
    createDemo(f);
    f.advanceTo(10'000);
    const QJsonObject rs = f.replicaSets(QStringLiteral("demo")).first();
    QVERIFY(f.registry
                .remove(Resources::deployments(), QStringLiteral("default"), QStringLiteral("demo"),
                        policy(QStringLiteral("Orphan")))
                .ok());
    f.settle();
    QVERIFY(f.deployment(QStringLiteral("demo")).isEmpty());
    const QJsonObject orphan = f.get(Resources::replicaSets(), json::name(rs));
    QVERIFY(!orphan.isEmpty());
    QVERIFY(!json::has(orphan, {u"metadata", u"ownerReferences"}));
    f.advance(5000);
    QCOMPARE(f.pods().size(), 3);
    for (const QJsonObject &pod : f.pods())
        QVERIFY(!json::isBeingDeleted(pod));

    // A new deployment with the same selector and template adopts the RS (no new RS).
    createDemo(f);
    f.settle();
    const QList<QJsonObject> sets = f.replicaSets(QStringLiteral("demo"));
    QCOMPARE(sets.size(), 1);
    QCOMPARE(json::uid(sets.first()), json::uid(rs));
    QCOMPARE(f.pods().size(), 3);
    QCOMPARE(SimFixture::statusLine(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("3/3/3/0"));
}

void TestGarbageCollector::danglingOwnerIsCollected()
{
    SimFixture f;
    QJsonObject pod = SimFixture::parse(
        R"({"metadata":{"name":"leftover","ownerReferences":[{"apiVersion":"apps/v1",)"
        R"("kind":"ReplicaSet","name":"gone","uid":"00000000-0000-0000-0000-000000000001",)"
        R"("controller":true}]},"spec":{"containers":[{"name":"a","image":"bebullish/demo:v1"}]}})");
    QVERIFY(!f.create(Resources::pods(), pod).isEmpty());
    f.settle();
    // Its owner never existed: deleted (gracefully, it was already scheduled).
    const QJsonObject live = f.get(Resources::pods(), QStringLiteral("leftover"));
    QVERIFY(live.isEmpty() || json::isBeingDeleted(live));
    f.advance(2000);
    QVERIFY(f.get(Resources::pods(), QStringLiteral("leftover")).isEmpty());
}

void TestGarbageCollector::remainingOwnerKeepsDependent()
{
    SimFixture f;
    const QJsonObject cm1 = f.create(
        Resources::services(),
        SimFixture::parse(R"({"metadata":{"name":"one"},"spec":{"ports":[{"port":80}]}})"));
    const QJsonObject cm2 = f.create(
        Resources::services(),
        SimFixture::parse(R"({"metadata":{"name":"two"},"spec":{"ports":[{"port":80}]}})"));
    auto ref = [](const QJsonObject &owner) {
        return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                           {QStringLiteral("kind"), QStringLiteral("Service")},
                           {QStringLiteral("name"), json::name(owner)},
                           {QStringLiteral("uid"), json::uid(owner)}};
    };
    QJsonObject pod = SimFixture::parse(
        R"({"metadata":{"name":"shared"},"spec":{"containers":[{"name":"a","image":"bebullish/demo:v1"}]}})");
    json::set(pod, {u"metadata", u"ownerReferences"}, QJsonArray{ref(cm1), ref(cm2)});
    f.create(Resources::pods(), pod);
    f.settle();
    QVERIFY(
        f.registry.remove(Resources::services(), QStringLiteral("default"), QStringLiteral("one"))
            .ok());
    f.settle();
    const QJsonObject live = f.get(Resources::pods(), QStringLiteral("shared"));
    QVERIFY(!live.isEmpty());
    QVERIFY(!json::isBeingDeleted(live));
    const QList<ctrl::OwnerRef> owners = ctrl::ownerRefs(live);
    QCOMPARE(owners.size(), 1);
    QCOMPARE(owners.first().uid, json::uid(cm2));
    // The last owner goes: so does the pod.
    QVERIFY(
        f.registry.remove(Resources::services(), QStringLiteral("default"), QStringLiteral("two"))
            .ok());
    f.advance(2000);
    QVERIFY(f.get(Resources::pods(), QStringLiteral("shared")).isEmpty());
}

void TestGarbageCollector::namespaceDeletion()
{
    SimFixture f;
    f.create(Resources::namespaces(), SimFixture::parse(R"({"metadata":{"name":"team-a"}})"), {});
    createDemo(f, QStringLiteral("team-a"));
    f.create(Resources::services(),
             SimFixture::parse(R"({"metadata":{"name":"demo"},"spec":{"selector":{"app":"demo"},)"
                               R"("ports":[{"port":80,"targetPort":"http"}]}})"),
             QStringLiteral("team-a"));
    f.advanceTo(10'000);
    QCOMPARE(f.pods(QStringLiteral("team-a")).size(), 3);
    QVERIFY(
        !f.get(Resources::endpoints(), QStringLiteral("demo"), QStringLiteral("team-a")).isEmpty());

    QVERIFY(f.registry.remove(Resources::namespaces(), {}, QStringLiteral("team-a")).ok());
    f.settle();
    const QJsonObject ns = f.get(Resources::namespaces(), QStringLiteral("team-a"), {});
    QCOMPARE(json::string(ns, {u"status", u"phase"}), QStringLiteral("Terminating"));
    QCOMPARE(f.store.list(Resources::deployments(), QStringLiteral("team-a")).size(), 0);
    QCOMPARE(f.store.list(Resources::replicaSets(), QStringLiteral("team-a")).size(), 0);
    QCOMPARE(f.store.list(Resources::services(), QStringLiteral("team-a")).size(), 0);
    for (const QJsonObject &pod : f.pods(QStringLiteral("team-a")))
        QVERIFY(json::isBeingDeleted(pod));
    // Nothing new can be made in it meanwhile.
    QVERIFY(!f.registry
                 .create(Resources::services(), QStringLiteral("team-a"),
                         SimFixture::parse(
                             R"({"metadata":{"name":"late"},"spec":{"ports":[{"port":80}]}})"))
                 .ok());
    f.advance(1000);
    QCOMPARE(f.pods(QStringLiteral("team-a")).size(), 0);
    QVERIFY(f.get(Resources::namespaces(), QStringLiteral("team-a"), {}).isEmpty());
    QCOMPARE(f.store.list(Resources::events(), QStringLiteral("team-a")).size(), 0);
    QCOMPARE(f.store.list(Resources::endpointSlices(), QStringLiteral("team-a")).size(), 0);
    // Other namespaces are untouched.
    QVERIFY(!f.get(Resources::namespaces(), QStringLiteral("default"), {}).isEmpty());
}

ROLLSCOPE_TEST_MAIN(TestGarbageCollector)
#include "tst_garbagecollector.moc"
