// SPDX-License-Identifier: MIT
// The numbers behind the charts: latency percentiles, 100 ms buckets of the requests started in
// them (final only when all of those ended), totals, skipped requests, memory that stays
// bounded at any rate, and the pacing that spreads requests evenly.
#include "probe/aggregator.h"
#include "probe/httpresponse.h"
#include "probe/pacing.h"
#include "testmain.h"

#include <numeric>

using namespace rollscope::probe;

namespace {

const QString kV1 = QStringLiteral("hash-v1");
const QString kV2 = QStringLiteral("hash-v2");

QHash<QString, QString> pods()
{
    return {{QStringLiteral("demo-dp-hash1-aaaaa"), kV1},
            {QStringLiteral("demo-dp-hash2-bbbbb"), kV2}};
}

Exchange answer(qint64 startMs, qint32 latencyUs, const char *pod, int status = 200)
{
    Exchange e;
    e.startMs = startMs;
    e.latencyUs = latencyUs;
    e.httpStatus = status;
    e.failure = classifyStatus(status);
    e.evidence.body = QByteArray(pod) + " v\n";
    return e;
}

} // namespace

class TestProbeBuckets : public QObject
{
    Q_OBJECT

private slots:
    void percentiles_data()
    {
        QTest::addColumn<QList<qint32>>("samples");
        QTest::addColumn<qint32>("p50");
        QTest::addColumn<qint32>("p90");
        QTest::addColumn<qint32>("p99");
        QTest::newRow("empty") << QList<qint32>{} << 0 << 0 << 0;
        QTest::newRow("one") << QList<qint32>{7} << 7 << 7 << 7;
        QTest::newRow("two") << QList<qint32>{10, 20} << 10 << 20 << 20;
        QList<qint32> hundred(100);
        std::iota(hundred.begin(), hundred.end(), 1); // 1..100, shuffled below
        std::reverse(hundred.begin(), hundred.end());
        QTest::newRow("1..100") << hundred << 50 << 90 << 99;
        QList<qint32> thousand(1000);
        std::iota(thousand.begin(), thousand.end(), 1);
        QTest::newRow("1..1000") << thousand << 500 << 900 << 990;
        QTest::newRow("tail") << QList<qint32>{1, 1, 1, 1, 1, 1, 1, 1, 1, 500} << 1 << 1 << 500;
    }

    void percentiles()
    {
        QFETCH(QList<qint32>, samples);
        QFETCH(qint32, p50);
        QFETCH(qint32, p90);
        QFETCH(qint32, p99);
        std::vector<qint32> v(samples.cbegin(), samples.cend());
        QCOMPARE(latencyPercentile(v, 0.50), p50);
        QCOMPARE(latencyPercentile(v, 0.90), p90);
        QCOMPARE(latencyPercentile(v, 0.99), p99);
    }

    void bucketsAndTotals()
    {
        ProbeAggregator aggregator;
        aggregator.setPodVersions(pods(), 0);
        aggregator.begin(10'000);
        // Bucket 10000: two v1 answers, a refused connection, a 500 from v2.
        for (qint64 t : {10'010, 10'020, 10'030, 10'040})
            aggregator.started(t);
        aggregator.finished(answer(10'010, 1000, "demo-dp-hash1-aaaaa"), 10'011);
        aggregator.finished(answer(10'020, 3000, "demo-dp-hash1-aaaaa"), 10'023);
        Exchange refused;
        refused.startMs = 10'030;
        refused.latencyUs = 100;
        refused.failure = FailureClass::Refused;
        aggregator.finished(refused, 10'031);
        // Bucket 10100: a v2 answer, and one request still in flight.
        aggregator.started(10'150);
        aggregator.started(10'160);
        aggregator.finished(answer(10'150, 2000, "demo-dp-hash2-bbbbb"), 10'152);
        aggregator.skipped(10'170, ProbeAggregator::SkipReason::Busy, 2);

        aggregator.advance(10'250);
        ProbeAggregator::Output out = aggregator.take();
        QVERIFY2(out.buckets.isEmpty(), "bucket 10000 still waits for the request of 10040");
        QCOMPARE(out.results.size(), qsizetype(4));

        aggregator.finished(answer(10'040, 5000, "demo-dp-hash2-bbbbb", 500), 10'045);
        aggregator.advance(10'250);
        out = aggregator.take();
        QCOMPARE(out.buckets.size(), qsizetype(1)); // 10100 waits for 10160
        const ProbeBucket &first = out.buckets.first();
        QCOMPARE(first.startMs, qint64(10'000));
        QCOMPARE(first.durationMs, 100);
        QCOMPARE(first.responsesByVersion, (QMap<QString, int>{{kV1, 2}}));
        QCOMPARE(first.failures[size_t(FailureClass::Refused)], 1);
        QCOMPARE(first.failures[size_t(FailureClass::Http5xx)], 1);
        QCOMPARE(first.failedTotal(), 2);
        // Latencies of the app's answers only (the refusal has none): 1000, 3000, 5000 us.
        QCOMPARE(first.latencyP50Us, 3000);
        QCOMPARE(first.latencyP99Us, 5000);
        QCOMPARE(out.results.size(), qsizetype(1));
        QCOMPARE(out.results.first().versionId, kV2);
        QCOMPARE(out.results.first().httpStatus, 500);

        Exchange timedOut;
        timedOut.startMs = 10'160;
        timedOut.latencyUs = 2'000'000;
        timedOut.failure = FailureClass::Timeout;
        aggregator.finished(timedOut, 12'160);
        aggregator.advance(12'200);
        out = aggregator.take();
        QCOMPARE(out.buckets.first().startMs, qint64(10'100));
        QCOMPARE(out.buckets.first().skipped, 2);
        QCOMPARE(out.buckets.first().failures[size_t(FailureClass::Timeout)], 1);
        QCOMPARE(out.buckets.first().responsesByVersion, (QMap<QString, int>{{kV2, 1}}));
        // Empty buckets keep time continuous: 10200 .. 12100.
        QCOMPARE(out.buckets.size(), qsizetype(21));
        QCOMPARE(out.buckets.last().startMs, qint64(12'100));

        const ProbeTotals &totals = out.totals;
        QCOMPARE(totals.sent, qint64(6));
        QCOMPARE(totals.answered, qint64(4));
        QCOMPARE(totals.responsesByVersion, (QMap<QString, qint64>{{kV1, 2}, {kV2, 1}}));
        QCOMPARE(totals.failures[size_t(FailureClass::Refused)], qint64(1));
        QCOMPARE(totals.failures[size_t(FailureClass::Http5xx)], qint64(1));
        QCOMPARE(totals.failures[size_t(FailureClass::Timeout)], qint64(1));
        QCOMPARE(totals.failedTotal(), qint64(3));
        QCOMPARE(totals.skippedBusy, qint64(2));

        aggregator.end(12'300);
        out = aggregator.take();
        QCOMPARE(aggregator.openBuckets(), qsizetype(0));
    }

    void resultsAreSortedByStart()
    {
        ProbeAggregator aggregator;
        aggregator.begin(0);
        aggregator.started(10);
        aggregator.started(20);
        aggregator.finished(answer(20, 1, "x"), 21);
        aggregator.finished(answer(10, 50'000, "x"), 60);
        aggregator.advance(200);
        const ProbeAggregator::Output out = aggregator.take();
        QCOMPARE(out.results.size(), qsizetype(2));
        QCOMPARE(out.results.at(0).startMs, qint64(10));
        QCOMPARE(out.results.at(1).startMs, qint64(20));
        QCOMPARE(out.results.at(0).versionId, QStringLiteral("unknown"));
    }

    // Ten seconds at 10,000 requests/s that nobody collects: memory stays within the limits.
    void boundedMemory()
    {
        ProbeAggregator::Limits limits;
        limits.maxOutboxResults = 1000;
        limits.maxOutboxBuckets = 50;
        limits.maxLatencySamples = 64;
        ProbeAggregator aggregator(limits);
        aggregator.setPodVersions(pods(), 0);
        aggregator.begin(0);
        qint64 maxOpen = 0;
        qint64 maxResults = 0;
        for (qint64 ms = 0; ms < 10'000; ++ms) {
            for (int i = 0; i < 10; ++i) {
                aggregator.started(ms);
                aggregator.finished(answer(ms, qint32(1000 + i), "demo-dp-hash1-aaaaa"), ms);
            }
            if (ms % 100 == 0)
                aggregator.advance(ms);
            maxOpen = qMax<qint64>(maxOpen, aggregator.openBuckets());
            maxResults = qMax<qint64>(maxResults, aggregator.outboxResults());
        }
        QVERIFY2(maxOpen <= 3, qPrintable(QString::number(maxOpen)));
        QVERIFY(maxResults <= limits.maxOutboxResults + limits.maxOutboxResults / 10 + 10);
        QVERIFY(aggregator.outboxBuckets() <= limits.maxOutboxBuckets);
        const ProbeAggregator::Output out = aggregator.take();
        QCOMPARE(out.totals.sent, qint64(100'000));
        QCOMPARE(out.totals.responsesByVersion.value(kV1), qint64(100'000));
        QCOMPARE(out.totals.droppedResults + out.results.size(), qint64(100'000));
        // Percentiles of a 1,000-answer bucket from its 64-sample reservoir stay in range.
        const ProbeBucket &b = out.buckets.last();
        QCOMPARE(b.responsesByVersion.value(kV1), 1000);
        QVERIFY(b.latencyP50Us >= 1000 && b.latencyP99Us <= 1009);
    }

    void staleBucketsAreCut()
    {
        ProbeAggregator aggregator;
        aggregator.begin(0);
        aggregator.started(5); // never finishes
        aggregator.advance(ProbeAggregator::kStaleBucketMs + 200);
        const ProbeAggregator::Output out = aggregator.take();
        QVERIFY(!out.buckets.isEmpty());
        QCOMPARE(out.buckets.first().startMs, qint64(0));
        QVERIFY(aggregator.openBuckets() <= 2);
    }

    void pacingIsEven()
    {
        Pacer pacer;
        pacer.start(0, 1000.0);
        QCOMPARE(pacer.take(0).send, 1); // the first request goes at once
        QCOMPARE(pacer.nextDueNs(), qint64(1'000'000));
        QCOMPARE(pacer.take(500'000).send, 0);
        QCOMPARE(pacer.take(1'000'000).send, 1);
        QCOMPARE(pacer.take(3'000'000).send, 2);
        // A 100 ms stall: at most a 20 ms burst, the rest is late, and the schedule moves on.
        const Pacer::Due due = pacer.take(103'000'000);
        QCOMPARE(due.send, 20);
        QCOMPARE(due.late, qint64(80));
        QCOMPARE(pacer.nextDueNs(), qint64(104'000'000));

        // 20/s: one every 50 ms, exactly 200 in 10 s.
        pacer.start(0, 20.0);
        int sent = 0;
        for (qint64 ms = 0; ms < 10'000; ++ms)
            sent += pacer.take(ms * 1'000'000).send;
        QCOMPARE(sent, 200);

        // A new rate applies from the next due time without a burst.
        pacer.start(0, 10.0);
        QCOMPARE(pacer.take(0).send, 1);
        pacer.setRate(50'000'000, 1000.0);
        QCOMPARE(pacer.take(60'000'000).send, 0);
        QCOMPARE(pacer.take(100'000'000).send, 1);
        QCOMPARE(pacer.take(101'000'000).send, 1);
    }
};

ROLLSCOPE_TEST_MAIN(TestProbeBuckets)
#include "tst_probebuckets.moc"
