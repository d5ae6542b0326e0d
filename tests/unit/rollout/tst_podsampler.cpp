// SPDX-License-Identifier: MIT
// The sample rules on their own: the spacing of change samples, the extremes between samples,
// compaction of old samples, time order and batching, with fake clocks instead of waiting.
#include "rollout/podsampler.h"
#include "rolloutfixtures.h"
#include "testmain.h"

#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;
using kube::PodInfo;

namespace {

const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");

PodCountSample sampleAt(qint64 timeMs)
{
    PodCountSample s;
    s.timeMs = timeMs;
    return s;
}

QList<PodCountSample> everyMs(qint64 from, qint64 to, qint64 step)
{
    QList<PodCountSample> list;
    for (qint64 t = from; t <= to; t += step)
        list.append(sampleAt(t));
    return list;
}

SampleInput input(int total, int available)
{
    SampleInput in;
    in.counts = {VersionPods{kV1, total, available, available, 0}};
    in.desired = 3;
    in.maxTotal = 4;
    in.minAvailable = 2;
    return in;
}

TrackerOptions smallOptions()
{
    TrackerOptions o;
    o.sampleIntervalMs = 500;
    o.minSampleSpacingMs = 100;
    o.fullResolutionMs = 10'000;
    o.archiveSpacingMs = 5'000;
    o.maxArchivedSamples = 3;
    return o;
}

} // namespace

class TestPodSampler : public QObject
{
    Q_OBJECT
private slots:
    void changeSampleDelay_data()
    {
        QTest::addColumn<qint64>("since"); // -1: no sample yet
        QTest::addColumn<int>("minSpacing");
        QTest::addColumn<qint64>("delay");
        QTest::newRow("first sample: at once") << qint64(-1) << 100 << qint64(0);
        QTest::newRow("right after a sample") << qint64(0) << 100 << qint64(100);
        QTest::newRow("inside the window: its end") << qint64(30) << 100 << qint64(70);
        QTest::newRow("window just over") << qint64(100) << 100 << qint64(0);
        QTest::newRow("long after") << qint64(5000) << 100 << qint64(0);
        QTest::newRow("no spacing") << qint64(0) << 0 << qint64(0);
    }

    void changeSampleDelay()
    {
        QFETCH(qint64, since);
        QFETCH(int, minSpacing);
        QFETCH(qint64, delay);
        QCOMPARE(
            rollout::changeSampleDelay(since < 0 ? std::nullopt : std::optional(since), minSpacing),
            delay);
    }

    // The careless strategy: the old pods go before the new ones are there.
    void extremesFollowEachEvent()
    {
        PodExtremes e(kDeployment);
        QCOMPARE(e.lowAvailable(), -1);
        QCOMPARE(e.peakTotal(), -1);
        QList<PodInfo> old;
        for (const char *suffix : {"aaaaa", "bbbbb", "ccccc"}) {
            old.append(pod(kV1, QString::fromLatin1(suffix), true));
            e.apply(nullptr, &old.last());
        }
        QCOMPARE(e.total(), 3);
        QCOMPARE(e.available(), 3);
        e.reset();
        QCOMPARE(e.lowAvailable(), 3);
        QCOMPARE(e.peakTotal(), 3);
        for (const PodInfo &p : std::as_const(old)) {
            const PodInfo leaving = terminating(p);
            e.apply(&p, &leaving);
        }
        QCOMPARE(e.total(), 0);
        const PodInfo fresh = pod(kV2, QStringLiteral("xxxxx"), false);
        e.apply(nullptr, &fresh);
        const PodInfo ready = pod(kV2, QStringLiteral("xxxxx"), true);
        e.apply(&fresh, &ready);
        QCOMPARE(e.total(), 1);
        QCOMPARE(e.available(), 1);
        QCOMPARE(e.lowAvailable(), 0);
        QCOMPARE(e.peakTotal(), 3);
        e.apply(&ready, nullptr); // gone
        QCOMPARE(e.total(), 0);
        e.reset();
        QCOMPARE(e.lowAvailable(), 0);
        QCOMPARE(e.peakTotal(), 0);
    }

    void extremesCountOnlyTheDeploymentsPods_data()
    {
        QTest::addColumn<PodInfo>("pod");
        QTest::addColumn<int>("total");
        const PodInfo ours = pod(kV1, QStringLiteral("aaaaa"), true);
        QTest::newRow("ours") << ours << 1;
        PodInfo other = ours;
        other.ownerName = QStringLiteral("demo-dp-2-") + kV1; // another Deployment, same prefix
        QTest::newRow("another deployment's") << other << 0;
        PodInfo bare = ours;
        bare.ownerKind = QStringLiteral("StatefulSet");
        QTest::newRow("not from a replica set") << bare << 0;
        PodInfo noHash = ours;
        noHash.podTemplateHash.clear();
        QTest::newRow("no pod-template-hash") << noHash << 0;
        QTest::newRow("terminating") << terminating(ours) << 0;
        PodInfo done = ours;
        done.phase = QStringLiteral("Succeeded");
        QTest::newRow("finished") << done << 0;
    }

    void extremesCountOnlyTheDeploymentsPods()
    {
        QFETCH(PodInfo, pod);
        QFETCH(int, total);
        PodExtremes e(kDeployment);
        e.apply(nullptr, &pod);
        QCOMPARE(e.total(), total);
    }

    void makeSampleCarriesTheExtremes()
    {
        PodExtremes e(kDeployment);
        const PodInfo a = pod(kV1, QStringLiteral("aaaaa"), true);
        const PodInfo b = pod(kV1, QStringLiteral("bbbbb"), true);
        e.apply(nullptr, &a);
        e.apply(nullptr, &b);
        e.apply(&a, nullptr); // surge to 2, down to 1 available
        PodCountSample s = makeSample(42, input(3, 3), e);
        QCOMPARE(s.timeMs, 42);
        QCOMPARE(s.desired, 3);
        QCOMPARE(s.maxTotal, 4);
        QCOMPARE(s.minAvailable, 2);
        QCOMPARE(s.versions.size(), 1);
        QCOMPARE(s.lowAvailable, 1);
        QCOMPARE(s.peakTotal, 3); // the counts now are above what the events went through

        SampleInput lagging = input(3, 3);
        lagging.availabilityLags = true;
        s = makeSample(42, lagging, e);
        QCOMPARE(s.lowAvailable, -1);
        QCOMPARE(makeSample(42, input(3, 3), PodExtremes()).lowAvailable, 3);
    }

    void compaction_data()
    {
        QTest::addColumn<QList<PodCountSample>>("samples");
        QTest::addColumn<int>("recent");   // kept at full resolution
        QTest::addColumn<int>("archived"); // thinned ones kept
        QTest::addColumn<bool>("unchanged");

        QTest::newRow("all recent: nothing to do") << everyMs(0, 9'500, 500) << 20 << 0 << true;
        // 0..60 s every 500 ms: the last 10 s stay (21), older ones every 5 s, at most 3.
        QTest::newRow("a minute") << everyMs(0, 60'000, 500) << 21 << 3 << false;
        // Old samples every 500 ms for 12 s before the window: one per 5 s from the oldest.
        QTest::newRow("a little old") << everyMs(0, 21'500, 500) << 21 << 3 << false;
        QTest::newRow("just over") << everyMs(0, 10'500, 500) << 21 << 1 << false;
    }

    void compaction()
    {
        QFETCH(QList<PodCountSample>, samples);
        QFETCH(int, recent);
        QFETCH(int, archived);
        QFETCH(bool, unchanged);
        const QList<PodCountSample> kept = compactSamples(samples, smallOptions());
        if (unchanged)
            QCOMPARE(kept, samples);
        const qint64 last = samples.last().timeMs;
        int fresh = 0;
        int old = 0;
        for (qsizetype i = 0; i < kept.size(); ++i) {
            if (i > 0)
                QVERIFY(kept.at(i).timeMs > kept.at(i - 1).timeMs);
            (kept.at(i).timeMs >= last - 10'000 ? fresh : old) += 1;
        }
        QCOMPARE(fresh, recent);
        QCOMPARE(old, archived);
        QCOMPARE(kept.last().timeMs, last);
        // Archived samples are at least archiveSpacingMs apart.
        for (int i = 1; i < old; ++i)
            QVERIFY(kept.at(i).timeMs - kept.at(i - 1).timeMs >= 5'000);
    }

    void compactionKeepsTheNewestArchived()
    {
        const QList<PodCountSample> kept = compactSamples(everyMs(0, 60'000, 500), smallOptions());
        // Thinned from the oldest: 0, 5 s, 10 s ... 45 s; the last three of those stay.
        QCOMPARE(kept.at(0).timeMs, 35'000);
        QCOMPARE(kept.at(1).timeMs, 40'000);
        QCOMPARE(kept.at(2).timeMs, 45'000);
        QCOMPARE(kept.at(3).timeMs, 50'000);
    }

    // Change samples with a clock that stands still: the hard cap still bounds the list.
    void compactionWhenTimeStandsStill()
    {
        TrackerOptions o = smallOptions();
        const QList<PodCountSample> still(1000, sampleAt(7));
        const QList<PodCountSample> kept = compactSamples(still, o);
        QCOMPARE(kept.size(), 3 + 10'000 / 100);
    }

    void samplesAreInTimeOrderAndBatched()
    {
        PodSampler sampler(kDeployment);
        QSignalSpy appended(&sampler, &PodSampler::samplesAppended);
        sampler.append(1'000, input(3, 3));
        sampler.append(900, input(3, 2)); // the clock went back: kept in order
        sampler.append(1'100, input(3, 1));
        QCOMPARE(appended.count(), 0); // not running: no batch timer, nothing sent yet
        sampler.emitBatch();
        QCOMPARE(appended.count(), 1);
        const QList<PodCountSample> batch = appended.first().first().value<QList<PodCountSample>>();
        QCOMPARE(batch.size(), 3);
        QCOMPARE(batch.at(0).timeMs, 1'000);
        QCOMPARE(batch.at(1).timeMs, 1'000);
        QCOMPARE(batch.at(2).timeMs, 1'100);
        QCOMPARE(sampler.samples(), batch);
        sampler.emitBatch();
        QCOMPARE(appended.count(), 1); // nothing new
    }

    void aSampleResetsTheExtremes()
    {
        PodSampler sampler(kDeployment);
        const PodInfo a = pod(kV1, QStringLiteral("aaaaa"), true);
        const PodInfo leaving = terminating(a);
        sampler.tally(nullptr, &a);
        sampler.resetExtremes();
        sampler.tally(&a, &leaving);
        sampler.append(10, input(1, 1));
        QCOMPARE(sampler.samples().last().lowAvailable, 0);
        sampler.append(20, input(1, 1));
        QCOMPARE(sampler.samples().last().lowAvailable, 0); // the pods are still at 0
        const PodInfo back = pod(kV1, QStringLiteral("bbbbb"), true);
        sampler.tally(nullptr, &back);
        sampler.append(30, input(1, 1));
        QCOMPARE(sampler.samples().last().lowAvailable, 0); // from 0 to 1 since the last one
        sampler.append(40, input(1, 1));
        QCOMPARE(sampler.samples().last().lowAvailable, 1);
    }

    void changeSpacingOnTheMonotonicClock()
    {
        qint64 mono = 5'000;
        PodSampler sampler(kDeployment);
        sampler.setOptions(smallOptions());
        sampler.setMonotonicClock([&mono] { return mono; });
        QCOMPARE(sampler.changeSampleDelayNow(), 0); // no sample yet
        sampler.append(1, input(3, 3));
        mono += 30;
        QCOMPARE(sampler.changeSampleDelayNow(), 70);
        mono += 70;
        QCOMPARE(sampler.changeSampleDelayNow(), 0);

        sampler.countsChanged(); // not running: remembered, not scheduled
        QVERIFY(sampler.changePending());
        sampler.append(2, input(3, 2));
        QVERIFY(!sampler.changePending());
    }

    void compactionWhileSampling()
    {
        qint64 wall = 0;
        PodSampler sampler(kDeployment);
        sampler.setClock([&wall] { return wall; });
        sampler.setOptions(smallOptions());
        for (int i = 0; i < 600; ++i) {
            wall += 500;
            sampler.append(wall, input(3, 3));
        }
        const QList<PodCountSample> samples = sampler.samples();
        // The last 10 s complete, at most 3 archived, and what came since the last compaction.
        QVERIFY2(samples.size() <= 21 + 3 + 120, qPrintable(QString::number(samples.size())));
        QCOMPARE(samples.last().timeMs, wall);
        qsizetype recent = 0;
        for (const PodCountSample &s : samples)
            recent += s.timeMs >= wall - 10'000 ? 1 : 0;
        QCOMPARE(recent, 21);
    }

    // With the event loop: a change while running is sampled from the source and sent in a batch.
    void runningSamplerTakesChangesFromTheSource()
    {
        qint64 wall = 50'000;
        int asked = 0;
        PodSampler sampler(kDeployment);
        TrackerOptions o = smallOptions();
        o.sampleIntervalMs = 60'000; // only the change sample in this test
        o.batchIntervalMs = 0;
        sampler.setOptions(o);
        sampler.setClock([&wall] { return wall; });
        sampler.setSource([&asked]() -> std::optional<SampleInput> {
            ++asked;
            return input(2, 1);
        });
        QSignalSpy appended(&sampler, &PodSampler::samplesAppended);
        sampler.start();
        sampler.countsChanged();
        QTRY_COMPARE(appended.count(), 1);
        QCOMPARE(asked, 1);
        const QList<PodCountSample> batch = appended.first().first().value<QList<PodCountSample>>();
        QCOMPARE(batch.size(), 1);
        QCOMPARE(batch.first().timeMs, wall);
        QCOMPARE(batch.first().versions.first().total, 2);
        sampler.stop();
    }
};

ROLLSCOPE_TEST_MAIN(TestPodSampler)
#include "tst_podsampler.moc"
