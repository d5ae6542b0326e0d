// SPDX-License-Identifier: MIT
// Strategy numbers and the predicted rollout: the controller's fencepost rounding and the worked
// examples of kubernetes-facts §7, row by row.
#include "rollout/strategy.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::rollout;
using kube::IntOrString;

namespace {

IntOrString pct(int p)
{
    return IntOrString::fromString(QString::number(p) + u'%');
}
IntOrString num(int n)
{
    return IntOrString::fromInt(n);
}

QString dump(const QList<PredictedStep> &steps)
{
    QStringList lines;
    for (const PredictedStep &s : steps)
        lines << QStringLiteral("t=%1 old=%2 new=%3 ready=%4 total=%5 available=%6")
                     .arg(s.timeIndex)
                     .arg(s.oldReplicas)
                     .arg(s.newReplicas)
                     .arg(s.newReady)
                     .arg(s.totalPods)
                     .arg(s.available);
    return lines.join(u'\n');
}

} // namespace

class TestStrategy : public QObject
{
    Q_OBJECT
private slots:
    void resolve_data()
    {
        QTest::addColumn<int>("replicas");
        QTest::addColumn<IntOrString>("surge");
        QTest::addColumn<IntOrString>("unavailable");
        QTest::addColumn<QString>("type");
        QTest::addColumn<int>("resolvedSurge");
        QTest::addColumn<int>("resolvedUnavailable");
        QTest::addColumn<int>("maxTotal");
        QTest::addColumn<int>("minAvailable");
        const QString rolling = QStringLiteral("RollingUpdate");
        QTest::newRow("demo 3 at 25%/25%")
            << 3 << pct(25) << pct(25) << rolling << 1 << 0 << 4 << 3;
        QTest::newRow("A: 4, 0, 25%") << 4 << num(0) << pct(25) << rolling << 0 << 1 << 4 << 3;
        QTest::newRow("C: 10, 3, 2") << 10 << num(3) << num(2) << rolling << 3 << 2 << 13 << 8;
        QTest::newRow("1 replica 25%/25%")
            << 1 << pct(25) << pct(25) << rolling << 1 << 0 << 2 << 1;
        QTest::newRow("both round to 0") << 3 << num(0) << pct(25) << rolling << 0 << 1 << 3 << 2;
        QTest::newRow("0% and 1% of 2") << 2 << pct(0) << pct(1) << rolling << 0 << 1 << 2 << 1;
        QTest::newRow("0 replicas") << 0 << pct(25) << pct(25) << rolling << 0 << 0 << 0 << 0;
        QTest::newRow("unavailable capped") << 2 << num(1) << num(5) << rolling << 1 << 2 << 3 << 0;
        QTest::newRow("100% surge") << 4 << pct(100) << num(0) << rolling << 4 << 0 << 8 << 4;
        QTest::newRow("Recreate") << 3 << IntOrString() << IntOrString()
                                  << QStringLiteral("Recreate") << 0 << 0 << 3 << 0;
    }
    void resolve()
    {
        QFETCH(int, replicas);
        QFETCH(IntOrString, surge);
        QFETCH(IntOrString, unavailable);
        QFETCH(QString, type);
        const StrategyNumbers n = resolveStrategy(replicas, surge, unavailable, type);
        QTEST(n.surge, "resolvedSurge");
        QTEST(n.unavailable, "resolvedUnavailable");
        QTEST(n.maxTotal, "maxTotal");
        QTEST(n.minAvailable, "minAvailable");
        QCOMPARE(n.replicas, replicas);
        QCOMPARE(n.maxSurge, surge);
        QCOMPARE(n.maxUnavailable, unavailable);
    }

    void fromDeployment()
    {
        kube::DeploymentInfo d;
        d.replicas = 3;
        d.strategy.maxSurge = pct(25);
        d.strategy.maxUnavailable = pct(25);
        const StrategyNumbers n = resolveStrategy(d);
        QCOMPARE(n.type, QStringLiteral("RollingUpdate"));
        QCOMPARE(n.maxTotal, 4);
        QCOMPARE(n.minAvailable, 3);
    }

    void describeSentence_data()
    {
        QTest::addColumn<StrategyNumbers>("numbers");
        QTest::addColumn<QString>("text");
        QTest::newRow("demo") << resolveStrategy(3, pct(25), pct(25))
                              << QStringLiteral("3 replicas · maxSurge 25% → 1 · maxUnavailable "
                                                "25% → 0 · at most 4 pods · at least 3 available");
        QTest::newRow("integers need no arrow")
            << resolveStrategy(10, num(3), num(2))
            << QStringLiteral("10 replicas · maxSurge 3 · maxUnavailable 2 · at most 13 pods · "
                              "at least 8 available");
        QTest::newRow("both zero shows the 1")
            << resolveStrategy(3, num(0), num(0))
            << QStringLiteral("3 replicas · maxSurge 0 · maxUnavailable 0 → 1 · at most 3 pods · "
                              "at least 2 available");
        QTest::newRow("one replica")
            << resolveStrategy(1, pct(25), pct(25))
            << QStringLiteral("1 replica · maxSurge 25% → 1 · maxUnavailable 25% → 0 · at most 2 "
                              "pods · at least 1 available");
        QTest::newRow("Recreate")
            << resolveStrategy(3, {}, {}, QStringLiteral("Recreate"))
            << QStringLiteral("3 replicas · Recreate · at most 3 pods · no pods available while "
                              "they are replaced");
    }
    void describeSentence()
    {
        QFETCH(StrategyNumbers, numbers);
        QTEST(describe(numbers), "text");
    }

    void predict_data()
    {
        QTest::addColumn<int>("replicas");
        QTest::addColumn<IntOrString>("surge");
        QTest::addColumn<IntOrString>("unavailable");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QList<PredictedStep>>("expected");
        const QString rolling = QStringLiteral("RollingUpdate");
        // Rows: {t, old, new, new ready, total, available}.
        QTest::newRow("A: 4 replicas, surge 0, unavailable 25%")
            << 4 << num(0) << pct(25) << rolling
            << QList<PredictedStep>{{0, 3, 0, 0, 3, 3}, {0, 3, 1, 0, 4, 3}, {1, 2, 2, 1, 4, 3},
                                    {2, 1, 3, 2, 4, 3}, {3, 0, 4, 3, 4, 3}, {4, 0, 4, 4, 4, 4}};
        QTest::newRow("B: 3 replicas, 25%/25%")
            << 3 << pct(25) << pct(25) << rolling
            << QList<PredictedStep>{
                   {0, 3, 1, 0, 4, 3}, {1, 2, 2, 1, 4, 3}, {2, 1, 3, 2, 4, 3}, {3, 0, 3, 3, 3, 3}};
        QTest::newRow("C: 10 replicas, surge 3, unavailable 2")
            << 10 << num(3) << num(2) << rolling
            << QList<PredictedStep>{{0, 10, 3, 0, 13, 10},
                                    {0, 8, 3, 0, 11, 8},
                                    {0, 8, 5, 0, 13, 8},
                                    {1, 3, 10, 5, 13, 8},
                                    {2, 0, 10, 10, 10, 10}};
        QTest::newRow("Recreate") << 3 << IntOrString() << IntOrString()
                                  << QStringLiteral("Recreate")
                                  << QList<PredictedStep>{{0, 0, 0, 0, 0, 0},
                                                          {0, 0, 3, 0, 3, 0},
                                                          {1, 0, 3, 3, 3, 3}};
        QTest::newRow("0 replicas")
            << 0 << pct(25) << pct(25) << rolling << QList<PredictedStep>{{0, 0, 0, 0, 0, 0}};
        QTest::newRow("Recreate of 0 replicas")
            << 0 << IntOrString() << IntOrString() << QStringLiteral("Recreate")
            << QList<PredictedStep>{{0, 0, 0, 0, 0, 0}};
        QTest::newRow("1 replica, 25%/25%: surge 1, unavailable 0")
            << 1 << pct(25) << pct(25) << rolling
            << QList<PredictedStep>{{0, 1, 1, 0, 2, 1}, {1, 0, 1, 1, 1, 1}};
        // maxSurge 0 and 25% of 3 rounds down to 0 as well: the controller makes it 1.
        QTest::newRow("both round to zero") << 3 << num(0) << pct(25) << rolling
                                            << QList<PredictedStep>{{0, 2, 0, 0, 2, 2},
                                                                    {0, 2, 1, 0, 3, 2},
                                                                    {1, 1, 2, 1, 3, 2},
                                                                    {2, 0, 3, 2, 3, 2},
                                                                    {3, 0, 3, 3, 3, 3}};
        QTest::newRow("100% surge: all new at once")
            << 4 << pct(100) << num(0) << rolling
            << QList<PredictedStep>{{0, 4, 4, 0, 8, 4}, {1, 0, 4, 4, 4, 4}};
    }
    void predict()
    {
        QFETCH(int, replicas);
        QFETCH(IntOrString, surge);
        QFETCH(IntOrString, unavailable);
        QFETCH(QString, type);
        QFETCH(QList<PredictedStep>, expected);
        const QList<PredictedStep> steps = predictSteps(replicas, surge, unavailable, type);
        QVERIFY2(
            steps == expected,
            qPrintable(QStringLiteral("got\n%1\nexpected\n%2").arg(dump(steps), dump(expected))));
    }

    // The guarantees hold on every row of every rolling prediction.
    void predictionsKeepTheGuarantees()
    {
        for (int replicas = 0; replicas <= 12; ++replicas) {
            for (const auto &[surge, unavailable] :
                 QList<std::pair<IntOrString, IntOrString>>{{pct(25), pct(25)},
                                                            {num(0), num(1)},
                                                            {num(1), num(0)},
                                                            {pct(50), pct(10)},
                                                            {num(0), pct(25)},
                                                            {num(3), num(2)}}) {
                const StrategyNumbers n = resolveStrategy(replicas, surge, unavailable);
                const QList<PredictedStep> steps = predictSteps(replicas, surge, unavailable);
                QVERIFY(!steps.isEmpty());
                for (const PredictedStep &s : steps) {
                    QVERIFY2(s.totalPods <= n.maxTotal, qPrintable(dump(steps)));
                    QVERIFY2(s.available >= n.minAvailable, qPrintable(dump(steps)));
                }
                const PredictedStep &last = steps.last();
                QCOMPARE(last.oldReplicas, 0);
                QCOMPARE(last.newReplicas, replicas);
                QCOMPARE(last.newReady, replicas);
            }
        }
    }
};

ROLLSCOPE_TEST_MAIN(TestStrategy)
#include "tst_strategy.moc"
