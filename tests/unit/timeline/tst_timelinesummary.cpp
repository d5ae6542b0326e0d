// SPDX-License-Identifier: MIT
// computeSummary() and the small value helpers of timeline.h, on hand-built timelines.
#include "testmain.h"
#include "timeline/timeline.h"

#include <limits>

using namespace rollscope;
using namespace rollscope::timeline;
using rollout::VersionInfo;

namespace {

const QString kOld = QStringLiteral("old");
const QString kNew = QStringLiteral("new");

Timeline twoVersions()
{
    Timeline t;
    t.ns = QStringLiteral("default");
    t.name = QStringLiteral("web");
    t.startedAtMs = 1'000'000;
    t.versions = {VersionInfo{kOld, QStringLiteral("web:1"), QStringLiteral("web:1"),
                              QStringLiteral("web-old"), 1, false, 0},
                  VersionInfo{kNew, QStringLiteral("web:2"), QStringLiteral("web:2"),
                              QStringLiteral("web-new"), 2, true, 1}};
    t.strategy = StrategyInfo{
        QStringLiteral("RollingUpdate"), 4, QStringLiteral("1"), QStringLiteral("1"), 5, 3, 0, 600};
    return t;
}

TimelineSample sample(qint64 t, int oldReady, int newReady, int okOld, int okNew, int refused = 0,
                      int peak = -1, int low = -1, qint64 mixed = 0)
{
    TimelineSample s;
    s.tMs = t;
    if (oldReady >= 0)
        s.pods.insert(kOld, PodCounts{oldReady, oldReady, oldReady, 0});
    if (newReady >= 0)
        s.pods.insert(kNew, PodCounts{newReady, newReady, newReady, 0});
    if (okOld > 0)
        s.responses.insert(kOld, okOld);
    if (okNew > 0)
        s.responses.insert(kNew, okNew);
    s.failures[size_t(probe::FailureClass::Refused)] = refused;
    s.peakPods = peak;
    s.lowAvailable = low;
    s.mixedReadyMs = mixed;
    s.maxTotal = 5;
    s.minAvailable = 3;
    s.desired = 4;
    return s;
}

} // namespace

class TestTimelineSummary : public QObject
{
    Q_OBJECT

private slots:
    void countsRequestsPerVersionAndClass()
    {
        Timeline t = twoVersions();
        t.samples = {sample(0, 4, -1, 0, 0), sample(1000, 4, 1, 10, 2, 1),
                     sample(2000, 2, 3, 4, 7, 2)};
        t.samples[2].failures[size_t(probe::FailureClass::Timeout)] = 3;
        t.samples[2].responses.insert(QStringLiteral("unknown"), 1);
        const Summary s = computeSummary(t);
        QCOMPARE(s.requests, 10 + 2 + 1 + 4 + 7 + 2 + 3 + 1);
        QCOMPARE(s.failedRequests, 6);
        QCOMPARE(s.failedByClass[size_t(probe::FailureClass::Refused)], 3);
        QCOMPARE(s.failedByClass[size_t(probe::FailureClass::Timeout)], 3);
        QCOMPARE(s.responsesByVersion.value(kOld), 14);
        QCOMPARE(s.responsesByVersion.value(kNew), 9);
        QCOMPARE(s.responsesByVersion.value(QStringLiteral("unknown")), 1);
    }

    void guaranteesFromPeaksAndLows()
    {
        Timeline t = twoVersions();
        t.samples = {sample(0, 4, -1, 0, 0, 0, 4, 4), sample(500, 4, 1, 0, 0, 0, 5, 4),
                     sample(1000, 3, 1, 0, 0, 0, 5, 3), sample(1500, 3, 2, 0, 0, 0, -1, -1)};
        Summary s = computeSummary(t);
        QCOMPARE(s.maxPods, 5);
        QCOMPARE(s.maxPodsAllowed, 5);
        QVERIFY(!s.maxPodsExceeded());
        QCOMPARE(s.minAvailable, 3);
        QCOMPARE(s.minAvailableRequired, 3);
        QVERIFY(!s.minAvailableViolated());
        t.samples[1].peakPods = 6;
        t.samples[2].lowAvailable = 2;
        s = computeSummary(t);
        QVERIFY(s.maxPodsExceeded());
        QVERIFY(s.minAvailableViolated());
    }

    void noPodsKnownMeansNoViolation()
    {
        Timeline t = twoVersions();
        const Summary s = computeSummary(t);
        QCOMPARE(s.maxPods, -1);
        QCOMPARE(s.minAvailable, -1);
        QVERIFY(!s.maxPodsExceeded());
        QVERIFY(!s.minAvailableViolated());
    }

    // Without a strategy (a watch that never saw the Deployment spec) the samples' guarantees
    // are used.
    void guaranteesFallBackToTheSamples()
    {
        Timeline t = twoVersions();
        t.strategy = {};
        t.samples = {sample(0, 4, -1, 0, 0, 0, 4, 4)};
        const Summary s = computeSummary(t);
        QCOMPARE(s.maxPodsAllowed, 5);
        QCOMPARE(s.minAvailableRequired, 3);
    }

    void mixedVersionWindows_data()
    {
        QTest::addColumn<qint64>("oldFirst");
        QTest::addColumn<qint64>("oldLast");
        QTest::addColumn<qint64>("newFirst");
        QTest::addColumn<qint64>("newLast");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("overlap") << qint64(0) << qint64(5000) << qint64(2000) << qint64(9000)
                                 << qint64(3000);
        QTest::newRow("clean switch")
            << qint64(0) << qint64(2000) << qint64(2500) << qint64(9000) << qint64(0);
        QTest::newRow("touching") << qint64(0) << qint64(2000) << qint64(2000) << qint64(9000)
                                  << qint64(0);
        QTest::newRow("old outlives new")
            << qint64(0) << qint64(9000) << qint64(2000) << qint64(4000) << qint64(2000);
    }
    void mixedVersionWindows()
    {
        QFETCH(qint64, oldFirst);
        QFETCH(qint64, oldLast);
        QFETCH(qint64, newFirst);
        QFETCH(qint64, newLast);
        QFETCH(qint64, expected);
        Timeline t = twoVersions();
        t.answers.insert(kOld, AnswerSpan{oldFirst, oldLast});
        t.answers.insert(kNew, AnswerSpan{newFirst, newLast});
        t.samples = {sample(0, 4, -1, 0, 0, 0, -1, -1, 0), sample(500, 4, 1, 0, 0, 0, -1, -1, 300),
                     sample(1000, 3, 1, 0, 0, 0, -1, -1, 500)};
        const Summary s = computeSummary(t);
        QCOMPARE(s.mixedAnsweringMs, expected);
        QCOMPARE(s.mixedReadyMs, 800);
    }

    void onlyOneVersionAnsweredMeansNoMixedWindow()
    {
        Timeline t = twoVersions();
        t.answers.insert(kOld, AnswerSpan{0, 5000});
        QCOMPARE(computeSummary(t).mixedAnsweringMs, 0);
    }

    void firstNewReady()
    {
        Timeline t = twoVersions();
        t.samples = {sample(0, 4, -1, 0, 0), sample(500, 4, 0, 0, 0), sample(1000, 4, 1, 0, 0)};
        QCOMPARE(computeSummary(t).firstNewReadyMs, std::optional<qint64>(1000));
        // The PodReady event is exact; the sample only bounds it.
        TimelineEvent ready;
        ready.tMs = 730;
        ready.type = QStringLiteral("PodReady");
        ready.versionId = kNew;
        t.insertEvent(ready);
        QCOMPARE(computeSummary(t).firstNewReadyMs, std::optional<qint64>(730));
        // An old pod's readiness says nothing.
        Timeline u = twoVersions();
        ready.versionId = kOld;
        u.insertEvent(ready);
        QCOMPARE(computeSummary(u).firstNewReadyMs, std::nullopt);
    }

    void verdicts_data()
    {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<int>("failed");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("interrupted");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("verdict");
        QTest::newRow("clean") << int(Outcome::Complete) << 0 << QString() << QString() << false
                               << int(VerdictCode::Success)
                               << QStringLiteral("complete without failures");
        QTest::newRow("one failure")
            << int(Outcome::Complete) << 1 << QString() << QString() << false
            << int(VerdictCode::FailedRequests) << QStringLiteral("complete with 1 failed request");
        QTest::newRow("failures") << int(Outcome::Complete) << 12 << QString() << QString() << false
                                  << int(VerdictCode::FailedRequests)
                                  << QStringLiteral("complete with 12 failed requests");
        QTest::newRow("failed with reason")
            << int(Outcome::Failed) << 3 << QStringLiteral("CrashLoopBackOff")
            << QStringLiteral("back-off restarting") << false << int(VerdictCode::Failed)
            << QStringLiteral("failed: CrashLoopBackOff");
        QTest::newRow("failed with a message only")
            << int(Outcome::Failed) << 0 << QString() << QStringLiteral("deployment was deleted")
            << false << int(VerdictCode::Failed)
            << QStringLiteral("failed: deployment was deleted");
        QTest::newRow("timeout") << int(Outcome::Timeout) << 5 << QString() << QString() << false
                                 << int(VerdictCode::TimedOut) << QStringLiteral("timed out");
        QTest::newRow("aborted") << int(Outcome::Aborted) << 0 << QString() << QString() << false
                                 << int(VerdictCode::Aborted) << QStringLiteral("aborted");
        QTest::newRow("interrupted")
            << int(Outcome::Aborted) << 0 << QString() << QString() << true
            << int(VerdictCode::Aborted)
            << QStringLiteral("interrupted: the recording stopped before the rollout finished");
        QTest::newRow("recording")
            << int(Outcome::Recording) << 0 << QString() << QString() << false
            << int(VerdictCode::Recording) << QStringLiteral("recording");
    }
    void verdicts()
    {
        QFETCH(int, outcome);
        QFETCH(int, failed);
        QFETCH(QString, reason);
        QFETCH(QString, message);
        QFETCH(bool, interrupted);
        QFETCH(int, code);
        QFETCH(QString, verdict);
        Timeline t = twoVersions();
        t.outcome = Outcome(outcome);
        t.outcomeReason = reason;
        t.outcomeMessage = message;
        t.interrupted = interrupted;
        t.samples = {sample(0, 4, -1, 0, 0, failed)};
        const Summary s = computeSummary(t);
        QCOMPARE(int(s.verdictCode), code);
        QCOMPARE(s.verdict, verdict);
    }

    void exitCodes()
    {
        QCOMPARE(exitCodeFor(VerdictCode::Success), 0);
        QCOMPARE(exitCodeFor(VerdictCode::FailedRequests), 2);
        QCOMPARE(exitCodeFor(VerdictCode::Failed), 1);
        QCOMPARE(exitCodeFor(VerdictCode::TimedOut), 1);
        QCOMPARE(exitCodeFor(VerdictCode::Aborted), 1);
    }

    void duration()
    {
        Timeline t = twoVersions();
        t.samples = {sample(0, 4, -1, 0, 0), sample(500, 4, -1, 0, 0)};
        TimelineEvent burst;
        burst.tMs = 300;
        burst.durationMs = 900;
        burst.type = QStringLiteral("FailureBurst");
        t.insertEvent(burst);
        // While recording: as far as anything reaches.
        QCOMPARE(computeSummary(t).durationMs, 1200);
        QCOMPARE(computeSummary(t).failureBursts, 1);
        t.finishedAtMs = t.startedAtMs + 4321;
        QCOMPARE(computeSummary(t).durationMs, 4321);
    }

    void idsRoundTrip()
    {
        for (Outcome o : {Outcome::Recording, Outcome::Complete, Outcome::Failed, Outcome::Timeout,
                          Outcome::Aborted})
            QCOMPARE(outcomeFromId(outcomeId(o)), std::optional(o));
        for (VerdictCode c :
             {VerdictCode::Recording, VerdictCode::Success, VerdictCode::FailedRequests,
              VerdictCode::Failed, VerdictCode::TimedOut, VerdictCode::Aborted})
            QCOMPARE(verdictCodeFromId(verdictCodeId(c)), std::optional(c));
        QCOMPARE(outcomeFromId(QStringLiteral("nonsense")), std::nullopt);
        QCOMPARE(outcomeId(Outcome::Timeout), QStringLiteral("timeout"));
    }

    void formatting_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0");
        QTest::newRow("whole") << qint64(2000) << QStringLiteral("2");
        QTest::newRow("half") << qint64(1500) << QStringLiteral("1.5");
        QTest::newRow("ms") << qint64(1234) << QStringLiteral("1.234");
        QTest::newRow("tens of ms") << qint64(50) << QStringLiteral("0.05");
        QTest::newRow("negative") << qint64(-250) << QStringLiteral("-0.25");
        // -LLONG_MIN does not fit in a qint64: negating it was undefined behaviour.
        QTest::newRow("LLONG_MIN")
            << std::numeric_limits<qint64>::min() << QStringLiteral("-9223372036854775.808");
        QTest::newRow("LLONG_MAX")
            << std::numeric_limits<qint64>::max() << QStringLiteral("9223372036854775.807");
    }
    void formatting()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(formatSeconds(ms), text);
    }

    void decimals()
    {
        QCOMPARE(formatDecimal(1.5, 3), QStringLiteral("1.5"));
        QCOMPARE(formatDecimal(2.0, 3), QStringLiteral("2"));
        QCOMPARE(formatDecimal(0.1 + 0.2, 3), QStringLiteral("0.3"));
        QCOMPARE(formatDecimal(-0.0001, 2), QStringLiteral("0"));
        QCOMPARE(formatDecimal(1234.5678, 1), QStringLiteral("1234.6"));
    }

    // A timeline built by hand (or by a future reader without the loader's checks) with
    // extreme values: the arithmetic saturates instead of overflowing (UBSan aborts on it).
    void summaryArithmeticSaturates()
    {
        constexpr int intMax = std::numeric_limits<int>::max();
        constexpr qint64 llMax = std::numeric_limits<qint64>::max();
        Timeline t = twoVersions();
        t.outcome = Outcome::Complete;
        for (int i = 0; i < 4; ++i) {
            TimelineSample s = sample(i * 500, 1, 1, intMax, intMax, intMax, intMax, 0, llMax);
            for (size_t c = 0; c < s.failures.size(); ++c)
                s.failures[c] = intMax;
            t.samples << s;
        }
        t.answers.insert(kOld, AnswerSpan{std::numeric_limits<qint64>::min(), llMax});
        t.answers.insert(kNew, AnswerSpan{std::numeric_limits<qint64>::min(), llMax});
        TimelineEvent burst;
        burst.tMs = llMax;
        burst.durationMs = llMax;
        t.insertEvent(burst);
        QCOMPARE(t.samples.first().answered(), intMax);
        QCOMPARE(t.samples.first().failed(), intMax);
        QCOMPARE(t.durationMs(), llMax);
        const Summary s = computeSummary(t);
        QCOMPARE(s.mixedReadyMs, llMax);
        QCOMPARE(s.mixedAnsweringMs, llMax);
        QCOMPARE(s.responsesByVersion.value(kOld), 4 * qint64(intMax));
        QCOMPARE(s.failedRequests, 4 * qint64(probe::kFailureClassCount) * intMax);
        QCOMPARE(s.requests, s.failedRequests + 8 * qint64(intMax));
        QCOMPARE(s.verdictCode, VerdictCode::FailedRequests);
        t.finishedAtMs = llMax;
        t.startedAtMs = std::numeric_limits<qint64>::min();
        QCOMPARE(t.durationMs(), llMax);
    }

    void eventsStayOrderedAndStable()
    {
        Timeline t;
        const auto add = [&t](qint64 ms, const char *type) {
            TimelineEvent e;
            e.tMs = ms;
            e.type = QLatin1StringView(type);
            t.insertEvent(e);
        };
        add(100, "a");
        add(50, "b");
        add(100, "c");
        add(0, "d");
        QStringList types;
        for (const TimelineEvent &e : t.events)
            types << e.type;
        QCOMPARE(types, (QStringList{QStringLiteral("d"), QStringLiteral("b"), QStringLiteral("a"),
                                     QStringLiteral("c")}));
    }

    void versionOrderPutsUnknownLast()
    {
        Timeline t = twoVersions();
        TimelineSample s;
        s.responses.insert(QStringLiteral("unknown"), 1);
        s.responses.insert(QStringLiteral("zzz"), 1);
        t.samples << s;
        QCOMPARE(t.versionOrder(),
                 (QStringList{kOld, kNew, QStringLiteral("zzz"), QStringLiteral("unknown")}));
        QCOMPARE(t.versionLabel(kNew), QStringLiteral("web:2"));
        QCOMPARE(t.versionLabel(QStringLiteral("zzz")), QStringLiteral("zzz"));
    }

    void redactionReplacesSecretsEverywhere()
    {
        Timeline t = twoVersions();
        const QString secret = QStringLiteral("s3cr3t-t0ken");
        t.change.cause = QStringLiteral("token ") + secret;
        t.probe.target = QStringLiteral("http://user:") + secret + QStringLiteral("@host/");
        t.outcomeMessage = QStringLiteral("failed with ") + secret;
        TimelineEvent e;
        e.message = QStringLiteral("env X=") + secret;
        e.object = QStringLiteral("/home/me/.kube/config");
        t.insertEvent(e);
        const Timeline r = t.redacted({secret, QStringLiteral("/home/me"), QStringLiteral("ab")});
        QVERIFY(!r.change.cause.contains(secret));
        QVERIFY(!r.probe.target.contains(secret));
        QVERIFY(!r.outcomeMessage.contains(secret));
        QCOMPARE(r.events.first().message, QStringLiteral("env X=[redacted]"));
        QCOMPARE(r.events.first().object, QStringLiteral("[redacted]/.kube/config"));
        // Too short to be a secret: left alone rather than mangling words.
        QCOMPARE(r.name, QStringLiteral("web"));
        QCOMPARE(t.redacted({}), t);
    }
};

ROLLSCOPE_TEST_MAIN(TestTimelineSummary)
#include "tst_timelinesummary.moc"
