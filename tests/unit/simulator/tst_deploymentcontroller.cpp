// SPDX-License-Identifier: MIT
#include "simfixture.h"
#include "simulator/controllers/deploymentutil.h"
#include "simulator/controllers/replicasetcontroller.h"
#include "testmain.h"

#include <QRegularExpression>
#include <QTest>

#include <climits>

using namespace rollscope::sim;
using rollscope::sim::test::SimFixture;

namespace {

// Pods of these templates are ready exactly T = 10 s after creation: no pull time, the
// default 300 ms from Created to Started, then 9.7 s to Ready.
const QString kReadyAfterT = QStringLiteral("ready-after=9700ms,pull=0");
constexpr qint64 kT = 10'000;

// Records, at every store change, the old/new ReplicaSet sizes of a rollout from image
// `oldImage` to `newImage` and checks the strategy's guarantees on the live pods.
class RolloutRecorder
{
public:
    RolloutRecorder(SimFixture &f, const QString &deployment, const QString &oldImage,
                    const QString &newImage, int maxActive, int minAvailable)
        : m_f(f)
        , m_deployment(deployment)
        , m_oldImage(oldImage)
        , m_newImage(newImage)
        , m_maxActive(maxActive)
        , m_minAvailable(minAvailable)
    {
        record();
        m_subscription = f.store.subscribe([this](const StoreEvent &e) {
            if (*e.resource == Resources::replicaSets())
                record();
            if (*e.resource == Resources::pods())
                checkInvariants();
        });
    }
    ~RolloutRecorder() { m_f.store.unsubscribe(m_subscription); }

    QStringList steps() const { return m_steps; }
    QStringList violations() const { return m_violations; }
    int maxActiveSeen() const { return m_maxActiveSeen; }
    int minAvailableSeen() const { return m_minAvailableSeen; }

private:
    int sizeOf(const QString &image) const
    {
        const QJsonObject rs = m_f.replicaSetWithImage(m_deployment, image);
        return rs.isEmpty() ? 0 : SimFixture::specReplicas(rs);
    }
    void record()
    {
        const QString step =
            QStringLiteral("%1/%2").arg(sizeOf(m_oldImage)).arg(sizeOf(m_newImage));
        if (m_steps.isEmpty() || m_steps.last() != step)
            m_steps << step;
    }
    void checkInvariants()
    {
        int active = 0;
        int available = 0;
        for (const QJsonObject &pod : m_f.pods()) {
            if (json::label(pod, QStringLiteral("app")) != m_deployment || !ctrl::isPodActive(pod))
                continue;
            ++active;
            if (ctrl::isPodReady(pod))
                ++available;
        }
        m_maxActiveSeen = qMax(m_maxActiveSeen, active);
        m_minAvailableSeen = qMin(m_minAvailableSeen, available);
        if (active > m_maxActive)
            m_violations << QStringLiteral("t=%1 active %2 > %3")
                                .arg(m_f.elapsed())
                                .arg(active)
                                .arg(m_maxActive);
        if (available < m_minAvailable)
            m_violations << QStringLiteral("t=%1 available %2 < %3")
                                .arg(m_f.elapsed())
                                .arg(available)
                                .arg(m_minAvailable);
    }

    SimFixture &m_f;
    QString m_deployment;
    QString m_oldImage;
    QString m_newImage;
    int m_maxActive;
    int m_minAvailable;
    int m_subscription = 0;
    QStringList m_steps;
    QStringList m_violations;
    int m_maxActiveSeen = 0;
    int m_minAvailableSeen = INT_MAX;
};

struct Row
{
    int k; // at k*T after the image change
    int oldReplicas;
    int newReplicas;
    QString status; // replicas/updated/available/unavailable
    QString rollout;
};

QString waiting(const QString &what)
{
    return QStringLiteral("Waiting for deployment \"demo\" rollout to finish: ") + what;
}

} // namespace

class TestDeploymentController : public QObject
{
    Q_OBJECT

private:
    // Creates "demo", lets the first rollout complete, changes the image at t1 = 60 s and walks
    // the table.
    void runWorkedExample(int replicas, const QJsonValue &surge, const QJsonValue &unavailable,
                          int maxActive, int minAvailable, const QList<Row> &rows,
                          const QStringList &expectedSteps, int createdWith);

private slots:
    void fenceposts_data();
    void fenceposts();
    void newReplicaSetShape();
    void hugeReplicaCountsDoNotOverflow();
    void maxUnavailableAllScalesOldToZeroAtOnce();
    void exampleA_maxSurgeZero();
    void exampleB_seedGuideDemoDp();
    void exampleC_surge3Unavailable2();
    void minReadySecondsDelaysEachStep();
    void recreate();
    void pausedDeploymentRollsOutOnceOnResume();
    void proportionalScalingMidRollout();
    void scalingEventOnCompleteDeployment();
    void progressDeadlineExceeded();
    void rollbackReusesOldReplicaSet();
    void revisionHistoryLimitCleanup();
    void observedGenerationAndRolloutStatus();
    void templateHashIsDeterministic();
};

void TestDeploymentController::fenceposts_data()
{
    QTest::addColumn<int>("replicas");
    QTest::addColumn<QJsonValue>("surge");
    QTest::addColumn<QJsonValue>("unavailable");
    QTest::addColumn<int>("expectedSurge");
    QTest::addColumn<int>("expectedUnavailable");
    QTest::newRow("A 4 0/25%") << 4 << QJsonValue(0) << QJsonValue(QStringLiteral("25%")) << 0 << 1;
    QTest::newRow("B 3 25%/25%") << 3 << QJsonValue(QStringLiteral("25%"))
                                 << QJsonValue(QStringLiteral("25%")) << 1 << 0;
    QTest::newRow("C 10 3/2") << 10 << QJsonValue(3) << QJsonValue(2) << 3 << 2;
    // Both round to 0: maxUnavailable becomes 1.
    QTest::newRow("1% of 2") << 2 << QJsonValue(QStringLiteral("1%"))
                             << QJsonValue(QStringLiteral("1%")) << 1 << 0;
    QTest::newRow("both floor to 0")
        << 2 << QJsonValue(0) << QJsonValue(QStringLiteral("10%")) << 0 << 1;
    QTest::newRow("capped at replicas") << 2 << QJsonValue(0) << QJsonValue(5) << 0 << 2;
    // Percentages of huge counts saturate instead of overflowing.
    QTest::newRow("100% of int32 max") << INT_MAX << QJsonValue(QStringLiteral("100%"))
                                       << QJsonValue(QStringLiteral("100%")) << INT_MAX << INT_MAX;
    QTest::newRow("absurd percent")
        << INT_MAX << QJsonValue(QStringLiteral("99999999999999999999%")) << QJsonValue(0)
        << INT_MAX << 0;
    QTest::newRow("int32 max surge") << 5 << QJsonValue(INT_MAX) << QJsonValue(0) << INT_MAX << 0;
}

void TestDeploymentController::fenceposts()
{
    QFETCH(int, replicas);
    QFETCH(QJsonValue, surge);
    QFETCH(QJsonValue, unavailable);
    QFETCH(int, expectedSurge);
    QFETCH(int, expectedUnavailable);
    const QJsonObject d = SimFixture::deploymentJson(
        QStringLiteral("demo"), replicas, QStringLiteral("bebullish/demo:v1"), surge, unavailable);
    QCOMPARE(deployutil::maxSurge(d), expectedSurge);
    QCOMPARE(deployutil::maxUnavailable(d), expectedUnavailable);
}

// replicas 2^31-1 with a 100% surge: replicas + maxSurge passes INT_MAX. UBSan aborts on a
// signed overflow, so getting through the syncs is the test; the sums saturate.
void TestDeploymentController::hugeReplicaCountsDoNotOverflow()
{
    SimFixture f;
    f.create(Resources::deployments(),
             SimFixture::deploymentJson(
                 QStringLiteral("huge"), INT_MAX, QStringLiteral("bebullish/demo:v1"),
                 QJsonValue(QStringLiteral("100%")), QJsonValue(QStringLiteral("100%"))));
    f.settle();
    QList<QJsonObject> sets = f.store.list(Resources::replicaSets(), QStringLiteral("default"));
    QCOMPARE(sets.size(), 1);
    QCOMPARE(deployutil::specReplicas(sets.first()), INT_MAX);
    QCOMPARE(json::annotation(sets.first(), QString::fromLatin1(deployutil::kMaxReplicas)),
             QString::number(INT_MAX));
    QVERIFY(f.pods().size() <= ReplicaSetController::kBurstReplicas);

    // A new template mid-way: proportional arithmetic over two huge ReplicaSets.
    QJsonObject d = f.get(Resources::deployments(), QStringLiteral("huge"));
    json::set(
        d, {u"spec", u"template", u"spec", u"containers"},
        QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("demo")},
                               {QStringLiteral("image"), QStringLiteral("bebullish/demo:v2")}}});
    QVERIFY(
        f.registry
            .update(Resources::deployments(), QStringLiteral("default"), QStringLiteral("huge"), d)
            .ok());
    f.settle();
    json::set(d, {u"spec", u"replicas"}, INT_MAX - 1);
    json::remove(d, {u"metadata", u"resourceVersion"});
    QVERIFY(
        f.registry
            .update(Resources::deployments(), QStringLiteral("default"), QStringLiteral("huge"), d)
            .ok());
    f.settle();
    sets = f.store.list(Resources::replicaSets(), QStringLiteral("default"));
    QCOMPARE(sets.size(), 2);
    for (const QJsonObject &rs : std::as_const(sets))
        QVERIFY(deployutil::specReplicas(rs) >= 0);
    QCOMPARE(deployutil::sumSpecReplicas(sets + sets), 2 * (deployutil::sumSpecReplicas(sets)));
    QCOMPARE(deployutil::saturate(qint64(INT_MAX) * 4), INT_MAX);
}

// maxSurge 0, maxUnavailable 100%: the old ReplicaSet goes to 0 in the first pass (the
// "careless" strategy the traffic tests rely on), with the 64-bit arithmetic too.
void TestDeploymentController::maxUnavailableAllScalesOldToZeroAtOnce()
{
    SimFixture f;
    f.create(Resources::deployments(),
             SimFixture::deploymentJson(QStringLiteral("careless"), 3,
                                        QStringLiteral("bebullish/demo:v1"), QJsonValue(0),
                                        QJsonValue(QStringLiteral("100%"))));
    f.advance(60'000);
    f.setImage(QStringLiteral("careless"), QStringLiteral("bebullish/demo:v2"));
    f.settle();
    const QList<QJsonObject> sets =
        f.store.list(Resources::replicaSets(), QStringLiteral("default"));
    QCOMPARE(sets.size(), 2);
    qint64 oldSize = -1;
    for (const QJsonObject &rs : sets) {
        const QJsonArray containers =
            json::array(rs, {u"spec", u"template", u"spec", u"containers"});
        if (containers.first().toObject().value(u"image").toString() == u"bebullish/demo:v1")
            oldSize = deployutil::specReplicas(rs);
    }
    QCOMPARE(oldSize, 0);
}

void TestDeploymentController::newReplicaSetShape()
{
    SimFixture f;
    QJsonObject d =
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"));
    json::setAnnotation(d, QStringLiteral("kubernetes.io/change-cause"), QStringLiteral("first"));
    json::setAnnotation(d, QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"),
                        QStringLiteral("{}"));
    f.createDeployment(d);
    f.settle();

    const QList<QJsonObject> sets = f.replicaSets(QStringLiteral("demo"));
    QCOMPARE(sets.size(), 1);
    const QJsonObject rs = sets.first();
    const QString hash = json::label(rs, QStringLiteral("pod-template-hash"));
    QVERIFY(!hash.isEmpty());
    QVERIFY2(QRegularExpression(QStringLiteral("^[4-9bcdf]{1,10}$")).match(hash).hasMatch(),
             qPrintable(hash));
    QCOMPARE(json::name(rs), QStringLiteral("demo-") + hash);
    QCOMPARE(json::string(rs, {u"spec", u"selector", u"matchLabels", u"pod-template-hash"}), hash);
    QCOMPARE(json::string(rs, {u"spec", u"template", u"metadata", u"labels", u"pod-template-hash"}),
             hash);
    QCOMPARE(json::label(rs, QStringLiteral("app")), QStringLiteral("demo"));
    const auto ref = ctrl::controllerRef(rs);
    QVERIFY(ref.has_value());
    QCOMPARE(ref->kind, QStringLiteral("Deployment"));
    QCOMPARE(ref->uid, json::uid(f.deployment(QStringLiteral("demo"))));
    QVERIFY(ref->blockOwnerDeletion);
    QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("1"));
    QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/desired-replicas")),
             QStringLiteral("3"));
    QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/max-replicas")),
             QStringLiteral("4"));
    QCOMPARE(json::annotation(rs, QStringLiteral("kubernetes.io/change-cause")),
             QStringLiteral("first"));
    QVERIFY(json::annotation(rs, QStringLiteral("kubectl.kubernetes.io/last-applied-configuration"))
                .isEmpty());
    QCOMPARE(SimFixture::specReplicas(rs), 3);
    QCOMPARE(json::annotation(f.deployment(QStringLiteral("demo")),
                              QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("1"));
    QCOMPARE(f.eventMessages(QStringLiteral("ScalingReplicaSet"), QStringLiteral("demo")),
             QStringList{QStringLiteral("Scaled up replica set %1 to 3").arg(json::name(rs))});
    // Writing the revision annotation through /status did not bump the generation.
    QCOMPARE(json::integer(f.deployment(QStringLiteral("demo")), {u"metadata", u"generation"}), 1);
    // The pods carry the hash and belong to the RS.
    QCOMPARE(f.podsOf(rs).size(), 3);
    for (const QJsonObject &pod : f.podsOf(rs)) {
        QCOMPARE(json::label(pod, QStringLiteral("pod-template-hash")), hash);
        QVERIFY(json::name(pod).startsWith(json::name(rs) + u'-'));
    }
}

void TestDeploymentController::runWorkedExample(int replicas, const QJsonValue &surge,
                                                const QJsonValue &unavailable, int maxActive,
                                                int minAvailable, const QList<Row> &rows,
                                                const QStringList &expectedSteps, int createdWith)
{
    SimFixture f;
    const QString v1 = QStringLiteral("bebullish/demo:v1");
    const QString v2 = QStringLiteral("bebullish/demo:v2");
    f.createDeployment(SimFixture::deploymentJson(QStringLiteral("demo"), replicas, v1, surge,
                                                  unavailable, kReadyAfterT));
    f.advanceTo(60'000);
    QCOMPARE(SimFixture::rolloutStatus(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("deployment \"demo\" successfully rolled out"));

    RolloutRecorder recorder(f, QStringLiteral("demo"), v1, v2, maxActive, minAvailable);
    const qint64 t1 = f.elapsed();
    f.setImage(QStringLiteral("demo"), v2);
    const Row *previous = nullptr;
    for (const Row &row : rows) {
        if (previous) {
            // Nothing moves before the new pods are ready, a millisecond before kT.
            f.advanceTo(t1 + row.k * kT - 1);
            QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"), v1)),
                     previous->oldReplicas);
            QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"), v2)),
                     previous->newReplicas);
            QCOMPARE(SimFixture::statusLine(f.deployment(QStringLiteral("demo"))),
                     previous->status);
        }
        previous = &row;
        f.advanceTo(t1 + row.k * kT);
        const QJsonObject d = f.deployment(QStringLiteral("demo"));
        const QString at = QStringLiteral("at %1T").arg(row.k);
        QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"), v1)),
                 row.oldReplicas);
        QVERIFY2(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"), v2)) ==
                     row.newReplicas,
                 qPrintable(at));
        QVERIFY2(SimFixture::statusLine(d) == row.status,
                 qPrintable(at + u' ' + SimFixture::statusLine(d)));
        QVERIFY2(SimFixture::rolloutStatus(d) == row.rollout,
                 qPrintable(at + u' ' + SimFixture::rolloutStatus(d)));
        QCOMPARE(json::integer(d, {u"status", u"observedGeneration"}),
                 json::integer(d, {u"metadata", u"generation"}));
    }
    QCOMPARE(recorder.steps(), expectedSteps);
    QVERIFY2(recorder.violations().isEmpty(), qPrintable(recorder.violations().join(u'\n')));

    // The ScalingReplicaSet events tell the same steps.
    const QString oldName = json::name(f.replicaSetWithImage(QStringLiteral("demo"), v1));
    const QString newName = json::name(f.replicaSetWithImage(QStringLiteral("demo"), v2));
    QStringList expectedEvents{
        QStringLiteral("Scaled up replica set %1 to %2").arg(oldName).arg(replicas)};
    for (qsizetype i = 1; i < expectedSteps.size(); ++i) {
        const QStringList from = expectedSteps.at(i - 1).split(u'/');
        const QStringList to = expectedSteps.at(i).split(u'/');
        if (from.at(0) != to.at(0))
            expectedEvents << QStringLiteral("Scaled down replica set %1 to %2 from %3")
                                  .arg(oldName, to.at(0), from.at(0));
        if (from.at(1) != to.at(1)) {
            if (from.at(1) == u"0" && createdWith > 0)
                expectedEvents
                    << QStringLiteral("Scaled up replica set %1 to %2").arg(newName, to.at(1));
            else
                expectedEvents << QStringLiteral("Scaled up replica set %1 to %2 from %3")
                                      .arg(newName, to.at(1), from.at(1));
        }
    }
    QCOMPARE(f.eventMessages(QStringLiteral("ScalingReplicaSet"), QStringLiteral("demo")),
             expectedEvents);
    for (const QJsonObject &e : f.eventList(QStringLiteral("ScalingReplicaSet"))) {
        QCOMPARE(json::string(e, {u"source", u"component"}),
                 QStringLiteral("deployment-controller"));
        QCOMPARE(e.value(u"type").toString(), QStringLiteral("Normal"));
        QCOMPARE(json::string(e, {u"involvedObject", u"kind"}), QStringLiteral("Deployment"));
    }

    const QJsonObject d = f.deployment(QStringLiteral("demo"));
    const QJsonObject progressing = SimFixture::condition(d, u"Progressing");
    const QJsonObject newRs = f.replicaSetWithImage(QStringLiteral("demo"), v2);
    QCOMPARE(progressing.value(u"status").toString(), QStringLiteral("True"));
    QCOMPARE(progressing.value(u"reason").toString(), QStringLiteral("NewReplicaSetAvailable"));
    QCOMPARE(
        progressing.value(u"message").toString(),
        QStringLiteral("ReplicaSet \"%1\" has successfully progressed.").arg(json::name(newRs)));
    const QJsonObject available = SimFixture::condition(d, u"Available");
    QCOMPARE(available.value(u"status").toString(), QStringLiteral("True"));
    QCOMPARE(available.value(u"reason").toString(), QStringLiteral("MinimumReplicasAvailable"));
    QCOMPARE(available.value(u"message").toString(),
             QStringLiteral("Deployment has minimum availability."));
    // The Available condition never flipped during the rollout.
    QCOMPARE(json::parseTimestamp(available.value(u"lastTransitionTime").toString()),
             SimFixture::kStartMs + kT);
    for (const char *key :
         {"type", "status", "lastUpdateTime", "lastTransitionTime", "reason", "message"})
        QVERIFY(progressing.contains(QLatin1StringView(key)));
    QCOMPARE(json::annotation(d, QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("2"));
    QCOMPARE(json::annotation(newRs, QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("2"));
}

void TestDeploymentController::exampleA_maxSurgeZero()
{
    // replicas 4, maxSurge 0, maxUnavailable 25%: never more than 4 pods, never fewer than 3.
    runWorkedExample(4, 0, QStringLiteral("25%"), 4, 3,
                     {
                         {0, 3, 1, QStringLiteral("4/1/3/1"),
                          waiting(QStringLiteral("1 out of 4 new replicas have been updated..."))},
                         {1, 2, 2, QStringLiteral("4/2/3/1"),
                          waiting(QStringLiteral("2 out of 4 new replicas have been updated..."))},
                         {2, 1, 3, QStringLiteral("4/3/3/1"),
                          waiting(QStringLiteral("3 out of 4 new replicas have been updated..."))},
                         {3, 0, 4, QStringLiteral("4/4/3/1"),
                          waiting(QStringLiteral("3 of 4 updated replicas are available..."))},
                         {4, 0, 4, QStringLiteral("4/4/4/0"),
                          QStringLiteral("deployment \"demo\" successfully rolled out")},
                     },
                     {QStringLiteral("4/0"), QStringLiteral("3/0"), QStringLiteral("3/1"),
                      QStringLiteral("2/1"), QStringLiteral("2/2"), QStringLiteral("1/2"),
                      QStringLiteral("1/3"), QStringLiteral("0/3"), QStringLiteral("0/4")},
                     0);
}

void TestDeploymentController::exampleB_seedGuideDemoDp()
{
    runWorkedExample(3, QStringLiteral("25%"), QStringLiteral("25%"), 4, 3,
                     {
                         {0, 3, 1, QStringLiteral("4/1/3/1"),
                          waiting(QStringLiteral("1 out of 3 new replicas have been updated..."))},
                         {1, 2, 2, QStringLiteral("4/2/3/1"),
                          waiting(QStringLiteral("2 out of 3 new replicas have been updated..."))},
                         {2, 1, 3, QStringLiteral("4/3/3/1"),
                          waiting(QStringLiteral("1 old replicas are pending termination..."))},
                         {3, 0, 3, QStringLiteral("3/3/3/0"),
                          QStringLiteral("deployment \"demo\" successfully rolled out")},
                     },
                     {QStringLiteral("3/0"), QStringLiteral("3/1"), QStringLiteral("2/1"),
                      QStringLiteral("2/2"), QStringLiteral("1/2"), QStringLiteral("1/3"),
                      QStringLiteral("0/3")},
                     1);
}

void TestDeploymentController::exampleC_surge3Unavailable2()
{
    runWorkedExample(10, 3, 2, 13, 8,
                     {
                         {0, 8, 5, QStringLiteral("13/5/8/5"),
                          waiting(QStringLiteral("5 out of 10 new replicas have been updated..."))},
                         {1, 3, 10, QStringLiteral("13/10/8/5"),
                          waiting(QStringLiteral("3 old replicas are pending termination..."))},
                         {2, 0, 10, QStringLiteral("10/10/10/0"),
                          QStringLiteral("deployment \"demo\" successfully rolled out")},
                     },
                     {QStringLiteral("10/0"), QStringLiteral("10/3"), QStringLiteral("8/3"),
                      QStringLiteral("8/5"), QStringLiteral("3/5"), QStringLiteral("3/10"),
                      QStringLiteral("0/10")},
                     3);
}

void TestDeploymentController::minReadySecondsDelaysEachStep()
{
    // Example B with minReadySeconds 5: readiness at T, availability and the next step only
    // after T + 5 s (lastTransitionTime + minReadySeconds must be strictly in the past).
    SimFixture f;
    QJsonObject d =
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT);
    json::set(d, {u"spec", u"minReadySeconds"}, 5);
    f.createDeployment(d);
    f.advanceTo(60'000);
    QCOMPARE(SimFixture::statusLine(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("3/3/3/0"));

    const qint64 t1 = f.elapsed();
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    f.advanceTo(t1 + kT);
    QJsonObject now = f.deployment(QStringLiteral("demo"));
    QCOMPARE(SimFixture::statusInt(now, u"readyReplicas"), 4);
    QCOMPARE(SimFixture::statusInt(now, u"availableReplicas"), 3);
    const QJsonObject newRs =
        f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    QCOMPARE(SimFixture::statusInt(newRs, u"readyReplicas"), 1);
    QCOMPARE(SimFixture::statusInt(newRs, u"availableReplicas"), 0);
    QCOMPARE(json::integer(newRs, {u"spec", u"minReadySeconds"}), 5);

    f.advanceTo(t1 + kT + 5000);
    QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"),
                                                            QStringLiteral("bebullish/demo:v1"))),
             3);
    f.advanceTo(t1 + kT + 5001);
    now = f.deployment(QStringLiteral("demo"));
    QCOMPARE(SimFixture::statusInt(now, u"availableReplicas"), 3); // 2 old + 1 new
    QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"),
                                                            QStringLiteral("bebullish/demo:v1"))),
             2);
    QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"),
                                                            QStringLiteral("bebullish/demo:v2"))),
             2);
    f.advanceTo(t1 + 3 * (kT + 5001));
    QCOMPARE(SimFixture::rolloutStatus(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("deployment \"demo\" successfully rolled out"));
}

void TestDeploymentController::recreate()
{
    SimFixture f;
    QJsonObject d = SimFixture::deploymentJson(
        QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"), 0, 0, kReadyAfterT);
    QJsonObject spec = d.value(u"spec").toObject();
    spec.insert(QStringLiteral("strategy"),
                QJsonObject{{QStringLiteral("type"), QStringLiteral("Recreate")}});
    d.insert(QStringLiteral("spec"), spec);
    f.createDeployment(d);
    f.advanceTo(60'000);
    QCOMPARE(SimFixture::statusLine(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("3/3/3/0"));
    const QJsonObject oldRs = f.replicaSets(QStringLiteral("demo")).first();
    QCOMPARE(json::annotation(oldRs, QStringLiteral("deployment.kubernetes.io/max-replicas")),
             QStringLiteral("3")); // no surge with Recreate

    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    f.settle();
    // Old scaled to zero at once; no new RS while old pods still exist (they drain for 1 s).
    QCOMPARE(f.replicaSets(QStringLiteral("demo")).size(), 1);
    QCOMPARE(SimFixture::specReplicas(f.replicaSets(QStringLiteral("demo")).first()), 0);
    QCOMPARE(f.podsOf(oldRs).size(), 3);
    for (const QJsonObject &pod : f.podsOf(oldRs))
        QVERIFY(json::isBeingDeleted(pod));
    f.advance(999);
    QCOMPARE(f.replicaSets(QStringLiteral("demo")).size(), 1);
    f.advance(1);
    // The old pods are gone: the new RS comes straight at full size.
    QCOMPARE(f.podsOf(oldRs).size(), 0);
    const QJsonObject newRs =
        f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    QVERIFY(!newRs.isEmpty());
    QCOMPARE(SimFixture::specReplicas(newRs), 3);
    QCOMPARE(f.eventMessages(QStringLiteral("ScalingReplicaSet"), QStringLiteral("demo")),
             (QStringList{
                 QStringLiteral("Scaled up replica set %1 to 3").arg(json::name(oldRs)),
                 QStringLiteral("Scaled down replica set %1 to 0 from 3").arg(json::name(oldRs)),
                 QStringLiteral("Scaled up replica set %1 to 3").arg(json::name(newRs)),
             }));
    f.advance(kT);
    QCOMPARE(SimFixture::rolloutStatus(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("deployment \"demo\" successfully rolled out"));
}

void TestDeploymentController::pausedDeploymentRollsOutOnceOnResume()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.advanceTo(60'000);
    // kubectl rollout pause
    f.patch(Resources::deployments(), QStringLiteral("demo"), PatchType::StrategicMerge,
            R"({"spec":{"paused":true}})");
    f.settle();
    QJsonObject progressing =
        SimFixture::condition(f.deployment(QStringLiteral("demo")), u"Progressing");
    QCOMPARE(progressing.value(u"status").toString(), QStringLiteral("Unknown"));
    QCOMPARE(progressing.value(u"reason").toString(), QStringLiteral("DeploymentPaused"));
    QCOMPARE(progressing.value(u"message").toString(), QStringLiteral("Deployment is paused"));

    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    f.advance(5000);
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v3"));
    f.advance(5000);
    QCOMPARE(f.replicaSets(QStringLiteral("demo")).size(), 1);
    QCOMPARE(
        json::integer(f.deployment(QStringLiteral("demo")), {u"status", u"observedGeneration"}),
        json::integer(f.deployment(QStringLiteral("demo")), {u"metadata", u"generation"}));

    // kubectl rollout resume
    f.patch(Resources::deployments(), QStringLiteral("demo"), PatchType::StrategicMerge,
            R"({"spec":{"paused":null}})");
    f.settle();
    const QList<QJsonObject> sets = f.replicaSets(QStringLiteral("demo"));
    QCOMPARE(sets.size(), 2);
    QVERIFY(f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"))
                .isEmpty());
    QVERIFY(!f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v3"))
                 .isEmpty());
    progressing = SimFixture::condition(f.deployment(QStringLiteral("demo")), u"Progressing");
    QCOMPARE(progressing.value(u"status").toString(), QStringLiteral("True"));
    QCOMPARE(progressing.value(u"reason").toString(), QStringLiteral("ReplicaSetUpdated"));
    f.advance(4 * kT);
    QCOMPARE(SimFixture::rolloutStatus(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("deployment \"demo\" successfully rolled out"));
    QCOMPARE(json::annotation(f.deployment(QStringLiteral("demo")),
                              QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("2"));
}

void TestDeploymentController::proportionalScalingMidRollout()
{
    // The docs' example: 10 replicas, surge 3, unavailable 2, a rollout stuck at old 8 /
    // new 5 (the new pods never become ready), then a scale to 15.
    SimFixture f;
    f.createDeployment(SimFixture::deploymentJson(
        QStringLiteral("demo"), 10, QStringLiteral("bebullish/demo:v1"), 3, 2, kReadyAfterT));
    f.advanceTo(60'000);
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2-neverready"));
    f.advance(30'000);
    const QJsonObject oldRs =
        f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v1"));
    QJsonObject newRs = f.replicaSetWithImage(QStringLiteral("demo"),
                                              QStringLiteral("bebullish/demo:v2-neverready"));
    QCOMPARE(SimFixture::specReplicas(oldRs), 8);
    QCOMPARE(SimFixture::specReplicas(newRs), 5);
    QCOMPARE(json::annotation(newRs, QStringLiteral("deployment.kubernetes.io/max-replicas")),
             QStringLiteral("13"));

    // kubectl scale --replicas=15 (merge patch on /scale)
    const auto scaled = f.registry.patch(Resources::deployments(), QStringLiteral("default"),
                                         QStringLiteral("demo"), PatchType::Merge,
                                         R"({"spec":{"replicas":15}})", Subresource::Scale);
    QVERIFY(scaled.ok());
    f.settle();
    QCOMPARE(SimFixture::specReplicas(f.replicaSetWithImage(QStringLiteral("demo"),
                                                            QStringLiteral("bebullish/demo:v1"))),
             11);
    newRs = f.replicaSetWithImage(QStringLiteral("demo"),
                                  QStringLiteral("bebullish/demo:v2-neverready"));
    QCOMPARE(SimFixture::specReplicas(newRs), 7);
    for (const QJsonObject &rs : f.replicaSets(QStringLiteral("demo"))) {
        QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/desired-replicas")),
                 QStringLiteral("15"));
        QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/max-replicas")),
                 QStringLiteral("18"));
    }
    const QStringList scaling =
        f.eventMessages(QStringLiteral("ScalingReplicaSet"), QStringLiteral("demo"));
    QVERIFY(scaling.contains(
        QStringLiteral("Scaled up replica set %1 to 11 from 8").arg(json::name(oldRs))));
    QVERIFY(scaling.contains(
        QStringLiteral("Scaled up replica set %1 to 7 from 5").arg(json::name(newRs))));
}

void TestDeploymentController::scalingEventOnCompleteDeployment()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.advanceTo(60'000);
    f.patch(Resources::deployments(), QStringLiteral("demo"), PatchType::Merge,
            R"({"spec":{"replicas":5}})");
    f.settle();
    const QJsonObject rs = f.replicaSets(QStringLiteral("demo")).first();
    QCOMPARE(f.replicaSets(QStringLiteral("demo")).size(), 1);
    QCOMPARE(SimFixture::specReplicas(rs), 5);
    QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/desired-replicas")),
             QStringLiteral("5"));
    QCOMPARE(json::annotation(rs, QStringLiteral("deployment.kubernetes.io/max-replicas")),
             QStringLiteral("7"));
    QCOMPARE(f.eventMessages(QStringLiteral("ScalingReplicaSet"), QStringLiteral("demo")).last(),
             QStringLiteral("Scaled up replica set %1 to 5 from 3").arg(json::name(rs)));
    f.advance(kT);
    QCOMPARE(SimFixture::statusLine(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("5/5/5/0"));
}

void TestDeploymentController::progressDeadlineExceeded()
{
    SimFixture f;
    QJsonObject d =
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT);
    json::set(d, {u"spec", u"progressDeadlineSeconds"}, 30);
    f.createDeployment(d);
    f.advanceTo(60'000);
    const qint64 t1 = f.elapsed();
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2-neverready"));
    f.settle();
    QJsonObject progressing =
        SimFixture::condition(f.deployment(QStringLiteral("demo")), u"Progressing");
    QCOMPARE(progressing.value(u"reason").toString(), QStringLiteral("ReplicaSetUpdated"));
    QCOMPARE(json::parseTimestamp(progressing.value(u"lastUpdateTime").toString()),
             SimFixture::kStartMs + t1);

    // The controller looks again at lastUpdateTime + deadline + 1 s, and not before.
    f.advanceTo(t1 + 30'999);
    progressing = SimFixture::condition(f.deployment(QStringLiteral("demo")), u"Progressing");
    QCOMPARE(progressing.value(u"status").toString(), QStringLiteral("True"));
    f.advanceTo(t1 + 31'000);
    const QJsonObject dep = f.deployment(QStringLiteral("demo"));
    progressing = SimFixture::condition(dep, u"Progressing");
    const QJsonObject newRs = f.replicaSetWithImage(QStringLiteral("demo"),
                                                    QStringLiteral("bebullish/demo:v2-neverready"));
    QCOMPARE(progressing.value(u"status").toString(), QStringLiteral("False"));
    QCOMPARE(progressing.value(u"reason").toString(), QStringLiteral("ProgressDeadlineExceeded"));
    QCOMPARE(progressing.value(u"message").toString(),
             QStringLiteral("ReplicaSet \"%1\" has timed out progressing.").arg(json::name(newRs)));
    QCOMPARE(json::parseTimestamp(progressing.value(u"lastTransitionTime").toString()),
             SimFixture::kStartMs + t1 + 31'000);
    QCOMPARE(SimFixture::rolloutStatus(dep),
             QStringLiteral("error: deployment \"demo\" exceeded its progress deadline"));
    // The rollout itself stays where it was: 3 old, 1 new (maxUnavailable 0).
    QCOMPARE(SimFixture::specReplicas(newRs), 1);
    QCOMPARE(SimFixture::statusLine(dep), QStringLiteral("4/1/3/1"));
    // Available is still True: 3 old pods are enough.
    QCOMPARE(SimFixture::condition(dep, u"Available").value(u"status").toString(),
             QStringLiteral("True"));
    // Readiness failures are reported (and folded) as Unhealthy events.
    QVERIFY(!f.eventList(QStringLiteral("Unhealthy")).isEmpty());
}

void TestDeploymentController::rollbackReusesOldReplicaSet()
{
    SimFixture f;
    QJsonObject d =
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT);
    json::setAnnotation(d, QStringLiteral("kubernetes.io/change-cause"), QStringLiteral("v1"));
    f.createDeployment(d);
    f.advanceTo(60'000);
    f.patch(
        Resources::deployments(), QStringLiteral("demo"), PatchType::StrategicMerge,
        R"({"metadata":{"annotations":{"kubernetes.io/change-cause":"v2"}},)"
        R"("spec":{"template":{"spec":{"containers":[{"name":"demo","image":"bebullish/demo:v2"}]}}}})");
    f.advanceTo(120'000);
    const QJsonObject rs1 =
        f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v1"));
    const QJsonObject rs2 =
        f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    QCOMPARE(json::annotation(rs2, QStringLiteral("kubernetes.io/change-cause")),
             QStringLiteral("v2"));
    QCOMPARE(SimFixture::specReplicas(rs1), 0);

    // kubectl rollout undo: revision 1's template minus the hash label, and the annotations.
    QJsonObject templ = json::object(rs1, {u"spec", u"template"});
    QJsonObject labels = json::labels(templ);
    labels.remove(QStringLiteral("pod-template-hash"));
    json::set(templ, {u"metadata", u"labels"}, labels);
    QJsonObject annotations =
        json::object(f.deployment(QStringLiteral("demo")), {u"metadata", u"annotations"});
    annotations.insert(QStringLiteral("kubernetes.io/change-cause"), QStringLiteral("v1"));
    const QJsonArray ops{
        QJsonObject{{QStringLiteral("op"), QStringLiteral("replace")},
                    {QStringLiteral("path"), QStringLiteral("/spec/template")},
                    {QStringLiteral("value"), templ}},
        QJsonObject{{QStringLiteral("op"), QStringLiteral("replace")},
                    {QStringLiteral("path"), QStringLiteral("/metadata/annotations")},
                    {QStringLiteral("value"), annotations}},
    };
    f.patch(Resources::deployments(), QStringLiteral("demo"), PatchType::Json,
            QJsonDocument(ops).toJson(QJsonDocument::Compact));
    f.settle();

    // No third RS: revision 1's RS is the new one again, renumbered to 3.
    const QList<QJsonObject> sets = f.replicaSets(QStringLiteral("demo"));
    QCOMPARE(sets.size(), 2);
    const QJsonObject reused = f.get(Resources::replicaSets(), json::name(rs1));
    QCOMPARE(json::uid(reused), json::uid(rs1));
    QCOMPARE(json::annotation(reused, QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("3"));
    QCOMPARE(json::annotation(reused, QStringLiteral("deployment.kubernetes.io/revision-history")),
             QStringLiteral("1"));
    QCOMPARE(json::annotation(reused, QStringLiteral("kubernetes.io/change-cause")),
             QStringLiteral("v1"));
    QCOMPARE(json::annotation(f.deployment(QStringLiteral("demo")),
                              QStringLiteral("deployment.kubernetes.io/revision")),
             QStringLiteral("3"));
    QVERIFY(SimFixture::specReplicas(reused) > 0);
    f.advance(4 * kT);
    QCOMPARE(SimFixture::rolloutStatus(f.deployment(QStringLiteral("demo"))),
             QStringLiteral("deployment \"demo\" successfully rolled out"));
    QCOMPARE(SimFixture::specReplicas(f.get(Resources::replicaSets(), json::name(rs2))), 0);
    // History now reads 2, 3 (revisions are never reused).
    QStringList revisions;
    for (const QJsonObject &rs : f.replicaSets(QStringLiteral("demo")))
        revisions << json::annotation(rs, QStringLiteral("deployment.kubernetes.io/revision"));
    revisions.sort();
    QCOMPARE(revisions, (QStringList{QStringLiteral("2"), QStringLiteral("3")}));
}

void TestDeploymentController::revisionHistoryLimitCleanup()
{
    SimFixture f;
    QJsonObject d =
        SimFixture::deploymentJson(QStringLiteral("demo"), 2, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT);
    json::set(d, {u"spec", u"revisionHistoryLimit"}, 1);
    f.createDeployment(d);
    f.advanceTo(60'000);
    const QString first = json::name(f.replicaSets(QStringLiteral("demo")).first());
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    f.advance(60'000);
    QCOMPARE(f.replicaSets(QStringLiteral("demo")).size(), 2); // new + 1 old
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v3"));
    // While the rollout runs, nothing is cleaned up.
    f.settle();
    QCOMPARE(f.replicaSets(QStringLiteral("demo")).size(), 3);
    f.advance(60'000);
    // Complete: the oldest (revision 1) went; revision 2 stays as the one allowed old RS.
    const QList<QJsonObject> sets = f.replicaSets(QStringLiteral("demo"));
    QCOMPARE(sets.size(), 2);
    QVERIFY(f.get(Resources::replicaSets(), first).isEmpty());
    QVERIFY(!f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"))
                 .isEmpty());
    QVERIFY(!f.replicaSetWithImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v3"))
                 .isEmpty());
}

void TestDeploymentController::observedGenerationAndRolloutStatus()
{
    SimFixture f;
    f.createDeployment(
        SimFixture::deploymentJson(QStringLiteral("demo"), 3, QStringLiteral("bebullish/demo:v1"),
                                   QStringLiteral("25%"), QStringLiteral("25%"), kReadyAfterT));
    f.advanceTo(60'000);
    QCOMPARE(json::integer(f.deployment(QStringLiteral("demo")), {u"metadata", u"generation"}), 1);
    f.setImage(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
    // Before the controller ran: the spec change is not observed yet.
    QJsonObject d = f.deployment(QStringLiteral("demo"));
    QCOMPARE(json::integer(d, {u"metadata", u"generation"}), 2);
    QCOMPARE(json::integer(d, {u"status", u"observedGeneration"}), 1);
    QCOMPARE(SimFixture::rolloutStatus(d),
             QStringLiteral("Waiting for deployment spec update to be observed..."));
    f.settle();
    d = f.deployment(QStringLiteral("demo"));
    QCOMPARE(json::integer(d, {u"status", u"observedGeneration"}), 2);
    QCOMPARE(json::integer(d, {u"metadata", u"generation"}), 2); // status writes do not bump it
    // Counters are omitempty: a finished rollout's status has no unavailableReplicas key.
    f.advance(4 * kT);
    d = f.deployment(QStringLiteral("demo"));
    QVERIFY(!d.value(u"status").toObject().contains(u"unavailableReplicas"));
    QCOMPARE(SimFixture::rolloutStatus(d),
             QStringLiteral("deployment \"demo\" successfully rolled out"));
}

void TestDeploymentController::templateHashIsDeterministic()
{
    const QJsonObject templ = SimFixture::parse(
        R"({"metadata":{"labels":{"app":"demo"}},"spec":{"containers":[{"name":"demo","image":"x:1"}]}})");
    const QString a = deployutil::computeHash(templ, std::nullopt);
    QCOMPARE(deployutil::computeHash(templ, std::nullopt), a);
    QVERIFY(deployutil::computeHash(templ, 1) != a);
    QJsonObject other = templ;
    json::set(other, {u"metadata", u"labels", u"tier"}, QStringLiteral("web"));
    QVERIFY(deployutil::computeHash(other, std::nullopt) != a);
    QCOMPARE(deployutil::safeEncode(QStringLiteral("0123456789")), QStringLiteral("456789bcdf"));
    // Template equality ignores the hash label and null/empty maps.
    QJsonObject hashed = templ;
    json::set(hashed, {u"metadata", u"labels", u"pod-template-hash"}, a);
    json::set(hashed, {u"metadata", u"annotations"}, QJsonObject());
    json::set(hashed, {u"metadata", u"creationTimestamp"}, QJsonValue(QJsonValue::Null));
    QVERIFY(deployutil::equalIgnoreHash(templ, hashed));
    QVERIFY(!deployutil::equalIgnoreHash(other, hashed));
}

ROLLSCOPE_TEST_MAIN(TestDeploymentController)
#include "tst_deploymentcontroller.moc"
