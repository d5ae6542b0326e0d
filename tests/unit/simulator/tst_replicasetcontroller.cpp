// SPDX-License-Identifier: MIT
#include "simfixture.h"
#include "simulator/controllers/replicasetcontroller.h"
#include "testmain.h"

#include <QTest>

#include <algorithm>

using namespace rollscope::sim;
using rollscope::sim::test::SimFixture;

namespace {

QJsonObject replicaSetJson(const QString &name, int replicas, const QString &behavior = {},
                           int minReadySeconds = 0)
{
    QJsonObject templateMeta{
        {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), name},
                                               {QStringLiteral("tier"), QStringLiteral("web")}}}};
    QJsonObject annotations{{QStringLiteral("team"), QStringLiteral("blue")}};
    if (!behavior.isEmpty())
        annotations.insert(QStringLiteral("sim.rollscope.dev/behavior"), behavior);
    templateMeta.insert(QStringLiteral("annotations"), annotations);
    QJsonObject spec{
        {QStringLiteral("replicas"), replicas},
        {QStringLiteral("selector"),
         QJsonObject{{QStringLiteral("matchLabels"), QJsonObject{{QStringLiteral("app"), name}}}}},
        {QStringLiteral("template"),
         QJsonObject{
             {QStringLiteral("metadata"), templateMeta},
             {QStringLiteral("spec"),
              QJsonObject{{QStringLiteral("containers"),
                           QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("app")},
                                                  {QStringLiteral("image"),
                                                   QStringLiteral("bebullish/demo:v1")}}}}}}}}};
    if (minReadySeconds > 0)
        spec.insert(QStringLiteral("minReadySeconds"), minReadySeconds);
    return QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
                       {QStringLiteral("kind"), QStringLiteral("ReplicaSet")},
                       {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
                       {QStringLiteral("spec"), spec}};
}

// A pod as the rank comparison sees it.
QJsonObject rankPod(const QString &name, const QString &node, const QString &phase, bool ready,
                    qint64 readySinceS = 0, int restarts = 0, qint64 createdS = 0, int cost = 0)
{
    QJsonObject pod;
    json::set(pod, {u"metadata", u"name"}, name);
    json::set(pod, {u"metadata", u"creationTimestamp"},
              json::timestamp(SimFixture::kStartMs + createdS * 1000));
    if (cost != 0)
        json::setAnnotation(pod, QStringLiteral("controller.kubernetes.io/pod-deletion-cost"),
                            QString::number(cost));
    if (!node.isEmpty())
        json::set(pod, {u"spec", u"nodeName"}, node);
    QJsonObject status{{QStringLiteral("phase"), phase}};
    status.insert(
        QStringLiteral("conditions"),
        QJsonArray{QJsonObject{
            {QStringLiteral("type"), QStringLiteral("Ready")},
            {QStringLiteral("status"), ready ? QStringLiteral("True") : QStringLiteral("False")},
            {QStringLiteral("lastTransitionTime"),
             json::timestamp(SimFixture::kStartMs + readySinceS * 1000)}}});
    status.insert(QStringLiteral("containerStatuses"),
                  QJsonArray{QJsonObject{{QStringLiteral("restartCount"), restarts}}});
    pod.insert(QStringLiteral("status"), status);
    return pod;
}

} // namespace

class TestReplicaSetController : public QObject
{
    Q_OBJECT

private slots:
    void createsPodsFromTemplate();
    void deletesSurplusAndReplacesDeleted();
    void burstOfAtMost500PerSync();
    void largeScaleLeavesTheLoopFreeBetweenBursts();
    void deletionRankOrder_data();
    void deletionRankOrder();
    void scaleDownPicksNotReadyAndNewest();
    void availabilityWaitsForMinReadySeconds();
    void adoptsMatchingOrphanPods();
};

void TestReplicaSetController::createsPodsFromTemplate()
{
    SimFixture f;
    const QJsonObject rs =
        f.create(Resources::replicaSets(), replicaSetJson(QStringLiteral("web"), 3));
    f.settle();
    const QList<QJsonObject> pods = f.podsOf(rs);
    QCOMPARE(pods.size(), 3);
    for (const QJsonObject &pod : pods) {
        QVERIFY(json::name(pod).startsWith(QStringLiteral("web-")));
        QCOMPARE(json::name(pod).size(), 4 + 5);
        QCOMPARE(json::string(pod, {u"metadata", u"generateName"}), QStringLiteral("web-"));
        QCOMPARE(json::label(pod, QStringLiteral("tier")), QStringLiteral("web"));
        QCOMPARE(json::annotation(pod, QStringLiteral("team")), QStringLiteral("blue"));
        const auto ref = ctrl::controllerRef(pod);
        QVERIFY(ref);
        QCOMPARE(ref->kind, QStringLiteral("ReplicaSet"));
        QCOMPARE(ref->name, QStringLiteral("web"));
        QVERIFY(ref->blockOwnerDeletion);
    }
    const QJsonObject live = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(live, u"replicas"), 3);
    QCOMPARE(SimFixture::statusInt(live, u"fullyLabeledReplicas"), 3);
    QCOMPARE(SimFixture::statusInt(live, u"readyReplicas"), 0);
    QCOMPARE(json::integer(live, {u"status", u"observedGeneration"}), 1);
    QStringList names;
    for (const QJsonObject &pod : pods)
        names << json::name(pod);
    QStringList messages =
        f.eventMessages(QStringLiteral("SuccessfulCreate"), QStringLiteral("web"));
    QCOMPARE(messages.size(), 3);
    for (const QString &name : std::as_const(names))
        QVERIFY(messages.contains(QStringLiteral("Created pod: ") + name));
    QCOMPARE(json::string(f.eventList(QStringLiteral("SuccessfulCreate")).first(),
                          {u"source", u"component"}),
             QStringLiteral("replicaset-controller"));

    f.advance(5000); // ready after pull + start + 1.5 s
    const QJsonObject ready = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(ready, u"readyReplicas"), 3);
    QCOMPARE(SimFixture::statusInt(ready, u"availableReplicas"), 3);
}

void TestReplicaSetController::deletesSurplusAndReplacesDeleted()
{
    SimFixture f;
    const QJsonObject rs =
        f.create(Resources::replicaSets(), replicaSetJson(QStringLiteral("web"), 4));
    f.advance(5000);
    // Scale down to 1: three graceful deletions, counted out of status at once.
    f.patch(Resources::replicaSets(), QStringLiteral("web"), PatchType::Merge,
            R"({"spec":{"replicas":1}})");
    f.settle();
    QJsonObject live = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(live, u"replicas"), 1);
    QCOMPARE(json::integer(live, {u"status", u"observedGeneration"}), 2);
    int terminating = 0;
    for (const QJsonObject &pod : f.podsOf(rs))
        terminating += json::isBeingDeleted(pod) ? 1 : 0;
    QCOMPARE(terminating, 3);
    QCOMPARE(f.eventMessages(QStringLiteral("SuccessfulDelete"), QStringLiteral("web")).size(), 3);
    for (const QString &m : f.eventMessages(QStringLiteral("SuccessfulDelete")))
        QVERIFY(m.startsWith(QStringLiteral("Deleted pod: web-")));
    f.advance(2000);
    QCOMPARE(f.podsOf(rs).size(), 1);

    // Deleting the last pod: a replacement comes while it still terminates.
    const QString victim = json::name(f.podsOf(rs).first());
    QVERIFY(f.registry.remove(Resources::pods(), QStringLiteral("default"), victim).ok());
    f.settle();
    QCOMPARE(f.podsOf(rs).size(), 2);
    live = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(live, u"replicas"), 1);
    f.advance(2000);
    QCOMPARE(f.podsOf(rs).size(), 1);
    QVERIFY(json::name(f.podsOf(rs).first()) != victim);
}

void TestReplicaSetController::burstOfAtMost500PerSync()
{
    SimFixture f;
    // Record each status the RS controller writes.
    QList<int> statuses;
    const int sub = f.store.subscribe([&](const StoreEvent &e) {
        if (*e.resource == Resources::replicaSets() && e.type == EventType::Modified &&
            e.object.value(u"status") != e.previous.value(u"status"))
            statuses << SimFixture::statusInt(e.object, u"replicas");
    });
    f.create(Resources::replicaSets(), replicaSetJson(QStringLiteral("big"), 600));
    f.settle();
    QVERIFY(!statuses.isEmpty());
    QCOMPARE(statuses.first(), ReplicaSetController::kBurstReplicas);
    QCOMPARE(f.pods().size(), ReplicaSetController::kBurstReplicas);
    // The rest comes with the next burst, after the interval.
    f.advance(ReplicaSetController::kBurstIntervalMs);
    f.store.unsubscribe(sub);
    QCOMPARE(statuses.last(), 600);
    QCOMPARE(f.pods().size(), 600);
}

// replicas: 100000 must not run one sync after another until every pod exists: each burst
// creates at most 500, and then nothing is due until the next one, so the event loop (the API)
// gets the thread back between bursts.
void TestReplicaSetController::largeScaleLeavesTheLoopFreeBetweenBursts()
{
    SimFixture f;
    int created = 0;
    const int sub = f.store.subscribe([&](const StoreEvent &e) {
        if (*e.resource == Resources::pods() && e.type == EventType::Added)
            ++created;
    });
    f.create(Resources::replicaSets(), replicaSetJson(QStringLiteral("huge"), 100000));
    const qint64 start = f.now();
    f.settle();
    QCOMPARE(created, ReplicaSetController::kBurstReplicas);
    // Nothing more to do now: the next burst is scheduled, not due.
    QVERIFY(f.clock.nextDueMs() > start);
    // The API answers in between (same thread, same clock instant).
    const auto rs =
        f.registry.get(Resources::replicaSets(), QStringLiteral("default"), QStringLiteral("huge"));
    QVERIFY(rs.ok());
    QCOMPARE(SimFixture::statusInt(*rs, u"replicas"), ReplicaSetController::kBurstReplicas);
    f.advance(ReplicaSetController::kBurstIntervalMs);
    QCOMPARE(created, 2 * ReplicaSetController::kBurstReplicas);
    f.store.unsubscribe(sub);
}

void TestReplicaSetController::deletionRankOrder_data()
{
    QTest::addColumn<QJsonObject>("first");
    QTest::addColumn<int>("firstRank");
    QTest::addColumn<QJsonObject>("second");
    QTest::addColumn<int>("secondRank");
    const QString n = QStringLiteral("node-a");
    const QString running = QStringLiteral("Running");
    QTest::newRow("unassigned before assigned")
        << rankPod(QStringLiteral("a"), {}, QStringLiteral("Pending"), false) << 0
        << rankPod(QStringLiteral("b"), n, QStringLiteral("Pending"), false) << 0;
    QTest::newRow("pending before unknown")
        << rankPod(QStringLiteral("a"), n, QStringLiteral("Pending"), false) << 0
        << rankPod(QStringLiteral("b"), n, QStringLiteral("Unknown"), false) << 0;
    QTest::newRow("unknown before running")
        << rankPod(QStringLiteral("a"), n, QStringLiteral("Unknown"), false) << 0
        << rankPod(QStringLiteral("b"), n, running, false) << 0;
    QTest::newRow("not ready before ready") << rankPod(QStringLiteral("a"), n, running, false) << 0
                                            << rankPod(QStringLiteral("b"), n, running, true) << 0;
    QTest::newRow("lower deletion cost first")
        << rankPod(QStringLiteral("a"), n, running, true, 0, 0, 0, -5) << 0
        << rankPod(QStringLiteral("b"), n, running, true, 0, 0, 0, 10) << 0;
    QTest::newRow("doubled up first") << rankPod(QStringLiteral("a"), n, running, true) << 3
                                      << rankPod(QStringLiteral("b"), n, running, true) << 1;
    QTest::newRow("more recently ready first")
        << rankPod(QStringLiteral("a"), n, running, true, 50) << 0
        << rankPod(QStringLiteral("b"), n, running, true, 10) << 0;
    QTest::newRow("more restarts first")
        << rankPod(QStringLiteral("a"), n, running, true, 10, 4) << 0
        << rankPod(QStringLiteral("b"), n, running, true, 10, 1) << 0;
    QTest::newRow("newer first") << rankPod(QStringLiteral("a"), n, running, true, 10, 0, 20) << 0
                                 << rankPod(QStringLiteral("b"), n, running, true, 10, 0, 5) << 0;
}

void TestReplicaSetController::deletionRankOrder()
{
    QFETCH(QJsonObject, first);
    QFETCH(int, firstRank);
    QFETCH(QJsonObject, second);
    QFETCH(int, secondRank);
    QVERIFY(ReplicaSetController::deletesBefore(first, firstRank, second, secondRank));
    QVERIFY(!ReplicaSetController::deletesBefore(second, secondRank, first, firstRank));
    QVERIFY(!ReplicaSetController::deletesBefore(first, firstRank, first, firstRank));
}

void TestReplicaSetController::scaleDownPicksNotReadyAndNewest()
{
    SimFixture f(1);
    const QJsonObject rs =
        f.create(Resources::replicaSets(),
                 replicaSetJson(QStringLiteral("web"), 2, QStringLiteral("ready-after=2s")));
    f.advance(10'000);
    // Two more pods, created (and ready) 10 s later than the first two.
    f.patch(Resources::replicaSets(), QStringLiteral("web"), PatchType::Merge,
            R"({"spec":{"replicas":4}})");
    f.advance(10'000);
    QStringList old;
    QStringList newer;
    for (const QJsonObject &pod : f.podsOf(rs)) {
        (json::string(pod, {u"metadata", u"creationTimestamp"}) ==
                 json::timestamp(SimFixture::kStartMs)
             ? old
             : newer)
            << json::name(pod);
    }
    QCOMPARE(old.size(), 2);
    QCOMPARE(newer.size(), 2);
    // Back to 2: the two that became ready most recently go; the old ones stay.
    f.patch(Resources::replicaSets(), QStringLiteral("web"), PatchType::Merge,
            R"({"spec":{"replicas":2}})");
    f.settle();
    QStringList deleted;
    for (const QJsonObject &pod : f.podsOf(rs)) {
        if (json::isBeingDeleted(pod))
            deleted << json::name(pod);
    }
    deleted.sort();
    newer.sort();
    QCOMPARE(deleted, newer);
}

void TestReplicaSetController::availabilityWaitsForMinReadySeconds()
{
    SimFixture f;
    // Ready 10 s after creation (no pull, 300 ms start, 9.7 s), minReadySeconds 5.
    f.create(
        Resources::replicaSets(),
        replicaSetJson(QStringLiteral("web"), 2, QStringLiteral("ready-after=9700ms,pull=0"), 5));
    f.advanceTo(10'000);
    QJsonObject live = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(live, u"readyReplicas"), 2);
    QCOMPARE(SimFixture::statusInt(live, u"availableReplicas"), 0);
    f.advanceTo(15'000);
    live = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(live, u"availableReplicas"), 0); // not strictly past yet
    f.advanceTo(15'001);
    live = f.get(Resources::replicaSets(), QStringLiteral("web"));
    QCOMPARE(SimFixture::statusInt(live, u"availableReplicas"), 2);
}

void TestReplicaSetController::adoptsMatchingOrphanPods()
{
    SimFixture f;
    // A bare pod with matching labels exists first (kubectl run ... -l app=web).
    const QJsonObject pod =
        f.create(Resources::pods(),
                 SimFixture::parse(
                     R"({"metadata":{"name":"stray","labels":{"app":"web","tier":"web"}},)"
                     R"("spec":{"containers":[{"name":"app","image":"bebullish/demo:v1"}]}})"));
    QVERIFY(!pod.isEmpty());
    f.settle();
    const QJsonObject rs =
        f.create(Resources::replicaSets(), replicaSetJson(QStringLiteral("web"), 2));
    f.settle();
    const QJsonObject adopted = f.get(Resources::pods(), QStringLiteral("stray"));
    const auto ref = ctrl::controllerRef(adopted);
    QVERIFY(ref);
    QCOMPARE(ref->uid, json::uid(rs));
    // Adopted plus one created: two in all.
    QCOMPARE(f.podsOf(rs).size(), 2);
    QCOMPARE(f.eventMessages(QStringLiteral("SuccessfulCreate"), QStringLiteral("web")).size(), 1);
}

ROLLSCOPE_TEST_MAIN(TestReplicaSetController)
#include "tst_replicasetcontroller.moc"
