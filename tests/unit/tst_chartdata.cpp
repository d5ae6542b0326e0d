// SPDX-License-Identifier: MIT
#include "charts/podchartdata.h"
#include "charts/responsechartdata.h"
#include "testmain.h"

#include <limits>

using namespace rollscope;
using rollout::PodCountSample;
using rollout::VersionPods;

namespace {

PodCountSample sample(qint64 t, int oldTotal, int oldReady, int newTotal, int newReady)
{
    PodCountSample s;
    s.timeMs = t;
    s.desired = 3;
    s.maxTotal = 4;
    s.minAvailable = 3;
    s.versions = {VersionPods{QStringLiteral("old"), oldTotal, oldReady, oldReady, 0},
                  VersionPods{QStringLiteral("new"), newTotal, newReady, newReady, 0}};
    return s;
}

probe::ProbeBucket bucket(qint64 t, int oldCount, int newCount, int refused = 0)
{
    probe::ProbeBucket b;
    b.startMs = t;
    if (oldCount)
        b.responsesByVersion.insert(QStringLiteral("old"), oldCount);
    if (newCount)
        b.responsesByVersion.insert(QStringLiteral("new"), newCount);
    b.failures[std::size_t(probe::FailureClass::Refused)] = refused;
    return b;
}

} // namespace

class TestChartData : public QObject
{
    Q_OBJECT
private slots:
    void podStepsKeepOnlyChanges()
    {
        PodChartData data;
        data.setOrigin(10'000);
        // The 25%/25% demo rollout, sampled every 500 ms for a minute with long flat stretches.
        QList<PodCountSample> samples;
        for (qint64 t = 10'000; t < 70'000; t += 500) {
            if (t < 20'000)
                samples << sample(t, 3, 3, 1, 0);
            else if (t < 30'000)
                samples << sample(t, 2, 2, 2, 1);
            else
                samples << sample(t, 0, 0, 3, 3);
        }
        data.append(samples);
        QCOMPARE(data.total(QStringLiteral("new"), 70'000),
                 (QList<QPointF>{{0, 1}, {10, 1}, {10, 2}, {20, 2}, {20, 3}, {60, 3}}));
        QCOMPARE(data.ready(QStringLiteral("old"), 70'000).last(), QPointF(60, 0));
        QCOMPARE(data.maxTotal(70'000), (QList<QPointF>{{0, 4}, {60, 4}}));
        QCOMPARE(data.maxPodsObserved(), 4);
        QCOMPARE(data.minAvailableObserved(), 3);
        QCOMPARE(data.peak(), 4);
        // 120 samples, but only change points are kept.
        QVERIFY(data.pointCount() < 20);
    }

    void onlyVersionsWithPodsTakeALine()
    {
        // A tracker lists every version it has seen; one whose pods were all gone before this
        // recording (the v1 of a v2 -> v3 rollout) belongs to an earlier one and takes no line.
        PodChartData data;
        data.setOrigin(0);
        data.append({sample(0, 0, 0, 1, 0), sample(500, 0, 0, 3, 3)});
        QCOMPARE(data.versionIds(), QStringList{QStringLiteral("new")});
        // Pods that are only terminating are still this recording's.
        PodCountSample draining = sample(1000, 0, 0, 3, 3);
        draining.versions[0].terminating = 1;
        data.append({draining});
        QCOMPARE(data.versionIds(), (QStringList{QStringLiteral("new"), QStringLiteral("old")}));
        data.clear();
        QVERIFY(data.versionIds().isEmpty());
    }

    void responsesStackPerVersion()
    {
        ResponseChartData data;
        data.setOrigin(0);
        data.setVersionOrder({QStringLiteral("old"), QStringLiteral("new")});
        QList<probe::ProbeBucket> buckets;
        for (qint64 t = 0; t < 2000; t += 100)
            buckets << bucket(t, t < 1000 ? 2 : 1, t < 1000 ? 0 : 1);
        data.append(buckets);
        QCOMPARE(data.versions(), (QStringList{QStringLiteral("old"), QStringLiteral("new")}));
        // Second 0: 20 old answers/s; second 1: 10 old + 10 new.
        QCOMPARE(data.upper(0), (QList<QPointF>{{0, 20}, {1, 20}, {1, 10}, {2, 10}}));
        QCOMPARE(data.upper(1), (QList<QPointF>{{0, 20}, {1, 20}, {1, 20}, {2, 20}}));
        QCOMPARE(data.lower(1), data.upper(0));
        QCOMPARE(data.total(QStringLiteral("old")), 30);
        QCOMPARE(data.total(QStringLiteral("new")), 10);
        QCOMPARE(data.requests(), 40);
        QCOMPARE(data.share(QStringLiteral("new"), 1000), 0.5);
    }

    void failuresAreCountedAndCharted()
    {
        ResponseChartData data;
        data.setOrigin(0);
        data.append({bucket(0, 1, 0), bucket(100, 0, 0, 3), bucket(1200, 0, 1, 1)});
        QCOMPARE(data.failed(), 4);
        QCOMPARE(data.failuresByClass()[std::size_t(probe::FailureClass::Refused)], 4);
        QCOMPARE(data.failures(), (QList<QPointF>{{0, 3}, {1, 3}, {1, 1}, {2, 1}}));
    }

    void anHourStaysBounded()
    {
        ResponseChartData data(600);
        data.setOrigin(0);
        QList<probe::ProbeBucket> buckets;
        for (qint64 t = 0; t < 3600 * 1000; t += 100)
            buckets << bucket(t, 1, 1);
        data.append(buckets);
        QVERIFY(data.binCount() <= 600);
        QCOMPARE(data.binMs(), qint64(8000)); // 3600 one-second bins merged three times
        QCOMPARE(data.total(QStringLiteral("old")), 36000);
        // Rates survive the merging: 10 + 10 answers per second.
        QCOMPARE(data.upper(1).at(2).y(), 20.0);
    }

    // A corrupt timeline put one sample about 30 years after the change: the gap used to be
    // filled with a bin per second (a billion appends on the GUI thread).
    void farAwayAnswersCostNoMoreThanTheBinLimit_data()
    {
        QTest::addColumn<qint64>("farMs");
        QTest::newRow("1e9 s") << qint64(1'000'000'000'000);
        QTest::newRow("1e15 s") << qint64(1'000'000'000'000'000'000);
        QTest::newRow("INT64_MAX") << std::numeric_limits<qint64>::max();
    }

    void farAwayAnswersCostNoMoreThanTheBinLimit()
    {
        QFETCH(qint64, farMs);
        ResponseChartData data(600);
        data.setOrigin(1000);
        data.append({bucket(1000, 2, 0), bucket(2000, 1, 1)});
        data.append({bucket(farMs, 0, 3)});
        QVERIFY(data.binCount() <= 600);
        QVERIFY(data.binCount() >= 2);
        QCOMPARE(data.total(QStringLiteral("old")), 3);
        QCOMPARE(data.total(QStringLiteral("new")), 4);
        // Every answer is still drawn somewhere: the bands add up to all answers.
        double drawn = 0;
        const QList<QPointF> top = data.upper(1);
        for (qsizetype i = 0; i < top.size(); i += 2)
            drawn += top.at(i).y() * double(data.binMs()) / 1000.0;
        QCOMPARE(drawn, 7.0);
    }

    void hugeCountsDoNotOverflow()
    {
        const int max = std::numeric_limits<int>::max();
        ResponseChartData data(16);
        data.setOrigin(0);
        QList<probe::ProbeBucket> buckets;
        for (qint64 t = 0; t < 100 * 1000; t += 100)
            buckets << bucket(t, max, max, max);
        data.append(buckets);
        QCOMPARE(data.total(QStringLiteral("old")), 1000 * qint64(max));
        QCOMPARE(data.requests(), 3000 * qint64(max));
        QVERIFY(data.peakRate() > 0);
        QVERIFY(data.upper(1).first().y() > data.upper(0).first().y());

        PodChartData pods;
        PodCountSample s = sample(0, max, max, max, max);
        s.versions[0].terminating = max;
        pods.append({s});
        QCOMPARE(pods.maxPodsObserved(), max);
        QCOMPARE(pods.peak(), max);
        QCOMPARE(pods.minAvailableObserved(), max);
    }
};

ROLLSCOPE_TEST_MAIN(TestChartData)
#include "tst_chartdata.moc"
