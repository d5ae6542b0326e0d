// SPDX-License-Identifier: MIT
// TimelineRecorder fed recorded input sequences: samples, derived events, the summary, and
// the autosave file it writes along the way.
#include "testmain.h"
#include "timeline/loader.h"
#include "timeline/recorder.h"
#include "timelinescenarios.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <csignal>
#include <sys/resource.h>

using namespace rollscope;
using namespace rollscope::timeline;
using namespace rollscope::timeline::test;

namespace {

QList<TimelineEvent> eventsOfType(const Timeline &t, const char *type)
{
    QList<TimelineEvent> found;
    for (const TimelineEvent &e : t.events) {
        if (e.type == QLatin1StringView(type))
            found << e;
    }
    return found;
}

probe::ProbeResult ok(qint64 ms, const QString &version, qint32 latencyUs = 1000)
{
    probe::ProbeResult r;
    r.startMs = kT0 + ms;
    r.latencyUs = latencyUs;
    r.httpStatus = 200;
    r.versionId = version;
    r.pod = version + QStringLiteral("-pod");
    return r;
}

probe::ProbeResult failed(qint64 ms, probe::FailureClass failure)
{
    probe::ProbeResult r;
    r.startMs = kT0 + ms;
    r.latencyUs = 500;
    r.failure = failure;
    r.versionId = QLatin1StringView(probe::kUnknownVersion);
    return r;
}

probe::ProbeBucket bucketUntil(qint64 ms)
{
    probe::ProbeBucket b;
    b.startMs = kT0 + ms - 100;
    b.durationMs = 100;
    return b;
}

RecordingStart simpleStart()
{
    RecordingStart start = startFor(QStringLiteral("1"), QStringLiteral("0"), 4, 3);
    start.versions = {versionV1(false), versionV2(true)};
    return start;
}

} // namespace

class TestTimelineRecorder : public QObject
{
    Q_OBJECT

private slots:
    void demoRolloutSamples()
    {
        const Timeline t = record(demoScenario());
        // t = 0, then every 0.5 s up to 5.5, and the last one ends at the finish (5.6).
        QCOMPARE(t.samples.size(), 13);
        QCOMPARE(t.samples.first().tMs, 0);
        QCOMPARE(t.samples.at(1).tMs, 500);
        QCOMPARE(t.samples.last().tMs, 5600);
        QCOMPARE(t.samples.first().pods.value(versionV1().id), (PodCounts{3, 3, 3, 0}));
        QVERIFY(t.samples.first().responses.isEmpty());
        QCOMPARE(t.samples.last().pods.value(versionV2().id), (PodCounts{3, 3, 3, 0}));
        QVERIFY(!t.samples.last().pods.contains(versionV1().id));
        // 20 requests/s for 5.6 s, none lost, none failed.
        QCOMPARE(t.summary.requests, 112);
        QCOMPARE(t.summary.failedRequests, 0);
        QVERIFY(t.summary.responsesByVersion.value(versionV1().id) > 0);
        QVERIFY(t.summary.responsesByVersion.value(versionV2().id) > 0);
        for (const TimelineSample &s : t.samples) {
            QCOMPARE(s.failed(), 0);
            QCOMPARE(s.maxTotal, 4);
            QCOMPARE(s.minAvailable, 3);
            if (s.tMs > 0) {
                QVERIFY(s.latencyP50Us.has_value());
                QVERIFY(*s.latencyP50Us <= *s.latencyP90Us);
                QVERIFY(*s.latencyP90Us <= *s.latencyP99Us);
            }
        }
    }

    void demoRolloutSummary()
    {
        const Timeline t = record(demoScenario());
        const Summary &s = t.summary;
        QCOMPARE(t.outcome, Outcome::Complete);
        QCOMPARE(s.verdictCode, VerdictCode::Success);
        QCOMPARE(s.verdict, QStringLiteral("complete without failures"));
        QCOMPARE(exitCodeFor(s.verdictCode), 0);
        QCOMPARE(s.durationMs, 5600);
        QCOMPARE(s.firstNewReadyMs, std::optional<qint64>(1600));
        // 4 pods at most (3 + maxSurge 1), never fewer than 3 available.
        QCOMPARE(s.maxPods, 4);
        QCOMPARE(s.maxPodsAllowed, 4);
        QVERIFY(!s.maxPodsExceeded());
        QCOMPARE(s.minAvailable, 3);
        QCOMPARE(s.minAvailableRequired, 3);
        QVERIFY(!s.minAvailableViolated());
        // Both versions ready from 1.6 s until the last old pod stopped at 4.9 s.
        QCOMPARE(s.mixedReadyMs, 3300);
        // v2 answers from its first ready pod; v1 until its last pod stopped.
        QVERIFY(s.mixedAnsweringMs > 2500 && s.mixedAnsweringMs < 3400);
        QCOMPARE(s.failureBursts, 0);
    }

    void demoRolloutDerivedEvents()
    {
        const Timeline t = record(demoScenario());
        const QList<TimelineEvent> first = eventsOfType(t, "FirstAnswer");
        QCOMPARE(first.size(), 2);
        QCOMPARE(first.at(0).versionId, versionV1().id);
        QCOMPARE(first.at(0).tMs, 0);
        QCOMPARE(first.at(1).versionId, versionV2().id);
        QCOMPARE(first.at(1).tMs, 1600); // the first request after the pod turned ready
        QVERIFY(first.at(1).message.contains(QStringLiteral("bebullish/demo:v2")));
        QVERIFY(first.at(1).object.startsWith(QStringLiteral("pod/demo-dp-7c9d8f6d45-")));
        // The old version's last answer, the new one has none (it still answers).
        const QList<TimelineEvent> last = eventsOfType(t, "LastAnswer");
        QCOMPARE(last.size(), 1);
        QCOMPARE(last.at(0).versionId, versionV1().id);
        QVERIFY(last.at(0).tMs >= 4500 && last.at(0).tMs < 4900);
        QCOMPARE(t.answers.value(versionV1().id).lastMs, last.at(0).tMs);
        QVERIFY(eventsOfType(t, "FailureBurst").isEmpty());
        // One outcome, the recorder's (the tracker's was dropped), at the end.
        const QList<TimelineEvent> outcome = eventsOfType(t, "Outcome");
        QCOMPARE(outcome.size(), 1);
        QCOMPARE(outcome.at(0).tMs, 5600);
        QVERIFY(outcome.at(0).message.startsWith(QStringLiteral("complete without failures")));
        QCOMPARE(t.events.last(), outcome.at(0));
        // Ordered by time.
        for (qsizetype i = 1; i < t.events.size(); ++i)
            QVERIFY(t.events.at(i - 1).tMs <= t.events.at(i).tMs);
        // The tracker's events are all there.
        QCOMPARE(eventsOfType(t, "PodReady").size(), 3);
        QCOMPARE(eventsOfType(t, "ImageChangeRequested").size(), 1);
    }

    void carelessRolloutCountsFailures()
    {
        const Timeline t = record(carelessScenario());
        const Summary &s = t.summary;
        QCOMPARE(s.verdictCode, VerdictCode::FailedRequests);
        QCOMPARE(exitCodeFor(s.verdictCode), 2);
        QVERIFY(s.verdict.startsWith(QStringLiteral("complete with ")));
        QVERIFY(s.failedRequests > 0);
        // Every failure is a refused connection (no pod ready, nothing listening).
        QCOMPARE(s.failedByClass[size_t(probe::FailureClass::Refused)], s.failedRequests);
        // Requests started from 150 ms (all pods gone) until 1.9 s (first new pod ready).
        QCOMPARE(s.failedRequests, 35);
        QCOMPARE(s.minAvailable, 0);
        QCOMPARE(s.maxPods, 3);
        QCOMPARE(s.mixedReadyMs, 0);
        QCOMPARE(s.mixedAnsweringMs, 0);
        const QList<TimelineEvent> bursts = eventsOfType(t, "FailureBurst");
        QCOMPARE(bursts.size(), 1);
        QCOMPARE(bursts.at(0).tMs, 150);
        QCOMPARE(bursts.at(0).count, 35);
        QCOMPARE(bursts.at(0).durationMs, 1700);
        QCOMPARE(bursts.at(0).severity, RolloutEvent::Severity::Error);
        QVERIFY2(bursts.at(0).message.contains(QStringLiteral("35 of 35 requests failed")),
                 qPrintable(bursts.at(0).message));
        QCOMPARE(s.failureBursts, 1);
        // The failures sit in the samples of the outage.
        int failedInSamples = 0;
        for (const TimelineSample &sample : t.samples) {
            failedInSamples += sample.failed();
            if (sample.tMs <= 0 || sample.tMs > 2000)
                QCOMPARE(sample.failed(), 0);
        }
        QCOMPARE(failedInSamples, 35);
    }

    // A request counts in the interval in which it started, however late it is reported, as
    // long as the interval is still open; the watermark keeps it open.
    void resultsCountByStartTime()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.addProbeResults({ok(450, versionV1().id, 300'000)}); // started 0.45 s, 300 ms long
        r.addProbeBuckets({bucketUntil(400)});
        r.tick(kT0 + 900); // the watermark (0.4 s) holds the first interval open
        QCOMPARE(r.timeline().samples.size(), 1); // only t = 0
        r.addProbeBuckets({bucketUntil(600)});
        r.tick(kT0 + 900);
        QCOMPARE(r.timeline().samples.size(), 2);
        QCOMPARE(r.timeline().samples.at(1).responses.value(versionV1().id), 1);
        QCOMPARE(r.timeline().samples.at(1).latencyP50Us, std::optional<qint32>(300'000));
    }

    void lateResultGoesToTheOldestOpenInterval()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.addProbeBuckets({bucketUntil(1100)});
        r.tick(kT0 + 1400); // closes t = 0, 0.5 and 1.0
        QCOMPARE(r.timeline().samples.size(), 3);
        r.addProbeResults({ok(200, versionV1().id)}); // belongs to (0, 0.5], already written
        r.addProbeBuckets({bucketUntil(1600)});
        r.tick(kT0 + 1900);
        QCOMPARE(r.timeline().samples.size(), 4);
        QCOMPARE(r.timeline().samples.at(3).tMs, 1500);
        QCOMPARE(r.timeline().samples.at(3).responses.value(versionV1().id), 1);
        QCOMPARE(r.timeline().summary.requests, 1);
    }

    void stalledProberHoldsSamplesBackAtMostMaxLag()
    {
        RecorderOptions options = testOptions();
        options.maxLagMs = 2000;
        TimelineRecorder r(options);
        r.start(simpleStart());
        r.addProbeBuckets({bucketUntil(100)});
        r.tick(kT0 + 1500);
        QCOMPARE(r.timeline().samples.size(), 1);
        r.tick(kT0 + 3100); // 3.1 - 2.0 lag: up to 1.0 s may close
        QCOMPARE(r.timeline().samples.size(), 3);
        QCOMPARE(r.timeline().samples.last().tMs, 1000);
    }

    void withoutBucketsTheWallClockCloses()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.tick(kT0 + 799); // 0.5 + 0.3 grace not reached
        QCOMPARE(r.timeline().samples.size(), 1);
        r.tick(kT0 + 800);
        QCOMPARE(r.timeline().samples.size(), 2);
    }

    // A peak shorter than the interval still counts, and the end state is what the sample shows.
    void podExtremesWithinAnInterval()
    {
        TimelineRecorder r(testOptions());
        RecordingStart start = simpleStart();
        start.pods = podSample({0, {3, 3, 3, 0}, {0, 0, 0, 0}}, 3, 4, 3);
        r.start(start);
        r.addPodCounts({podSample({100, {3, 3, 3, 0}, {2, 1, 1, 0}}, 3, 4, 3),
                        podSample({200, {3, 1, 1, 0}, {2, 1, 1, 0}}, 3, 4, 3),
                        podSample({300, {1, 1, 1, 0}, {3, 3, 3, 0}}, 3, 4, 3)});
        r.tick(kT0 + 900);
        const Timeline t = r.timeline();
        QCOMPARE(t.samples.size(), 2);
        const TimelineSample &s = t.samples.at(1);
        QCOMPARE(s.peakPods, 5);
        QCOMPARE(s.lowAvailable, 2);
        QCOMPARE(s.pods.value(versionV2().id), (PodCounts{3, 3, 3, 0}));
        // Two versions ready from 0.1 s to the end of the interval.
        QCOMPARE(s.mixedReadyMs, 400);
        QCOMPARE(t.summary.maxPods, 5);
        QVERIFY(t.summary.maxPodsExceeded());
        QCOMPARE(t.summary.minAvailable, 2);
        QVERIFY(t.summary.minAvailableViolated());
    }

    void podSamplesOutOfOrderAreAppliedInTimeOrder()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.addPodCounts({podSample({300, {0, 0, 0, 0}, {3, 3, 3, 0}}, 3, 4, 3)});
        r.addPodCounts({podSample({100, {3, 3, 3, 0}, {0, 0, 0, 0}}, 3, 4, 3)});
        r.tick(kT0 + 900);
        const Timeline t = r.timeline();
        QCOMPARE(t.samples.at(1).pods.value(versionV2().id), (PodCounts{3, 3, 3, 0}));
        QVERIFY(!t.samples.at(1).pods.contains(versionV1().id));
        // The t = 0 snapshot borrowed the first report (0.1 s).
        QCOMPARE(t.samples.at(0).pods.value(versionV1().id), (PodCounts{3, 3, 3, 0}));
    }

    void eventsBeforeTheChangeAreDropped()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.addEvent(trackerEvent(-5000, "PodReady", QStringLiteral("old"), QStringLiteral("pod/x")));
        r.addEvent(trackerEvent(-400, "KubernetesEvent", QStringLiteral("rounded down"),
                                QStringLiteral("deployment/demo-dp")));
        r.addEvent(trackerEvent(300, "PodCreated", QStringLiteral("new"), QStringLiteral("pod/y")));
        const Timeline t = r.timeline();
        QCOMPARE(t.events.size(), 2);
        // One second of slack for Kubernetes' whole-second timestamps, clamped to t = 0.
        QCOMPARE(t.events.at(0).tMs, 0);
        QCOMPARE(t.events.at(1).tMs, 300);
    }

    void watchingARolloutKeepsEarlierEvents()
    {
        RecorderOptions options = testOptions();
        options.keepEventsBeforeMs = 60'000;
        TimelineRecorder r(options);
        RecordingStart start = simpleStart();
        start.change.observed = true;
        r.start(start);
        r.addEvent(trackerEvent(-5000, "PodReady", QStringLiteral("earlier"),
                                QStringLiteral("pod/x"), versionV2().id));
        const Timeline t = r.timeline();
        QCOMPARE(t.events.size(), 1);
        QCOMPARE(t.events.at(0).tMs, -5000);
        // The new pod was ready before recording began: t = 0 at the earliest.
        QCOMPARE(t.summary.firstNewReadyMs, std::optional<qint64>(0));
    }

    void burstsAreSplitByQuietGaps()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.addProbeResults({failed(100, probe::FailureClass::Reset), ok(150, versionV1().id),
                           failed(800, probe::FailureClass::Timeout), ok(1000, versionV1().id),
                           failed(3000, probe::FailureClass::Refused), ok(3100, versionV1().id)});
        r.addProbeBuckets({bucketUntil(3200)});
        r.tick(kT0 + 3300); // the first burst ended (gap > 1 s), the second is still open
        QCOMPARE(eventsOfType(r.timeline(), "FailureBurst").size(), 1);
        r.finish(Outcome::Complete, {}, {}, kT0 + 3500);
        const QList<TimelineEvent> bursts = eventsOfType(r.timeline(), "FailureBurst");
        QCOMPARE(bursts.size(), 2);
        QCOMPARE(bursts.at(0).tMs, 100);
        QCOMPARE(bursts.at(0).durationMs, 700);
        QCOMPARE(bursts.at(0).count, 2);
        QVERIFY2(bursts.at(0).message.contains(QStringLiteral("2 of 3 requests failed")),
                 qPrintable(bursts.at(0).message));
        QCOMPARE(bursts.at(1).tMs, 3000);
        QCOMPARE(bursts.at(1).count, 1);
        QCOMPARE(r.timeline().summary.failedRequests, 3);
        QCOMPARE(r.timeline().summary.verdictCode, VerdictCode::FailedRequests);
    }

    void requestsBeforeTheChangeDoNotCount()
    {
        TimelineRecorder r(testOptions());
        r.start(simpleStart());
        r.addProbeResults({ok(-300, versionV1().id), ok(100, versionV1().id)});
        r.finish(Outcome::Complete, {}, {}, kT0 + 200);
        QCOMPARE(r.timeline().summary.requests, 1);
        QCOMPARE(r.timeline().answers.value(versionV1().id).firstMs, 100);
    }

    void outcomes_data()
    {
        QTest::addColumn<int>("outcome");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("verdict");
        QTest::addColumn<int>("exitCode");
        QTest::newRow("complete") << int(Outcome::Complete) << QString()
                                  << int(VerdictCode::Success)
                                  << QStringLiteral("complete without failures") << 0;
        QTest::newRow("failed") << int(Outcome::Failed)
                                << QStringLiteral("ProgressDeadlineExceeded")
                                << int(VerdictCode::Failed)
                                << QStringLiteral("failed: ProgressDeadlineExceeded") << 1;
        QTest::newRow("timeout") << int(Outcome::Timeout) << QString() << int(VerdictCode::TimedOut)
                                 << QStringLiteral("timed out") << 1;
        QTest::newRow("aborted") << int(Outcome::Aborted) << QString() << int(VerdictCode::Aborted)
                                 << QStringLiteral("aborted") << 1;
    }
    void outcomes()
    {
        QFETCH(int, outcome);
        QFETCH(QString, reason);
        QFETCH(int, code);
        QFETCH(QString, verdict);
        QFETCH(int, exitCode);
        TimelineRecorder r(testOptions());
        QSignalSpy finished(&r, &TimelineRecorder::finished);
        r.start(simpleStart());
        r.finish(Outcome(outcome), reason, {}, kT0 + 1000);
        QCOMPARE(finished.size(), 1);
        const Timeline t = finished.first().first().value<Timeline>();
        QCOMPARE(t, r.timeline());
        QCOMPARE(int(t.summary.verdictCode), code);
        QCOMPARE(t.summary.verdict, verdict);
        QCOMPARE(exitCodeFor(t.summary.verdictCode), exitCode);
        QCOMPARE(t.finishedAtMs, kT0 + 1000);
        QVERIFY(!r.isRecording());
        // Nothing is recorded after the finish.
        r.addEvent(trackerEvent(1200, "PodReady", QStringLiteral("late"), QStringLiteral("pod/x")));
        QCOMPARE(r.timeline(), t);
    }

    void signalsCarryEverySampleAndEvent()
    {
        TimelineRecorder r(testOptions());
        QSignalSpy samples(&r, &TimelineRecorder::sampleRecorded);
        QSignalSpy events(&r, &TimelineRecorder::eventRecorded);
        replay(r, demoScenario());
        QCOMPARE(samples.size(), r.timeline().samples.size());
        QCOMPARE(events.size(), r.timeline().events.size());
    }

    void versionsChangeIsRecorded()
    {
        TimelineRecorder r(testOptions());
        RecordingStart start = simpleStart();
        start.versions = {versionV1(true)};
        r.start(start);
        r.setVersions({versionV1(false), versionV2(true)});
        QCOMPARE(r.timeline().versions, (QList<VersionInfo>{versionV1(false), versionV2(true)}));
        QCOMPARE(r.timeline().newVersionIds(), QStringList{versionV2().id});
    }

    // The autosave file holds the same timeline as the recorder, once closed.
    void autosaveRoundTrip()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("timelines/demo.jsonl"));
        TimelineRecorder r(testOptions(path));
        QSignalSpy closed(&r, &TimelineRecorder::autosaveClosed);
        QSignalSpy failedSpy(&r, &TimelineRecorder::autosaveFailed);
        replay(r, demoScenario());
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(closed.first().first().toString(), path);
        QCOMPARE(failedSpy.size(), 0);
        QCOMPARE(QFile::permissions(path) & (QFile::ReadOther | QFile::ReadGroup),
                 QFile::Permissions());
        const Result<Timeline> loaded = TimelineLoader::load(path);
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().message));
        QVERIFY(!loaded->interrupted);
        QCOMPARE(loaded->samples, r.timeline().samples);
        QCOMPARE(loaded->events, r.timeline().events);
        QCOMPARE(loaded->summary, r.timeline().summary);
        QCOMPARE(*loaded, r.timeline());
    }

    // While recording, a second's worth of lines reaches the disk: a crash loses at most that.
    void autosaveWritesWhileRecording()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.jsonl"));
        RecorderOptions options = testOptions(path);
        options.flushIntervalMs = 50;
        TimelineRecorder r(options);
        r.start(simpleStart());
        r.addProbeResults({ok(100, versionV1().id)});
        r.addEvent(trackerEvent(200, "PodCreated", QStringLiteral("new"), QStringLiteral("pod/y")));
        r.tick(kT0 + 900);
        const auto loadedSamples = [&path]() -> qsizetype {
            const Result<Timeline> t = TimelineLoader::load(path);
            return t ? t->samples.size() : -1;
        };
        QTRY_COMPARE(loadedSamples(), 2);
        const Result<Timeline> t = TimelineLoader::load(path);
        QVERIFY(t->interrupted);
        QCOMPARE(t->outcome, Outcome::Aborted);
        QCOMPARE(t->summary.requests, 1);
        QCOMPARE(t->events.size(), 2); // FirstAnswer and PodCreated
    }

    void autosaveFailureIsReported()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        // A folder cannot be created where a file is.
        TimelineRecorder r(testOptions(dir.filePath(QStringLiteral("file/sub/x.jsonl"))));
        QSignalSpy failedSpy(&r, &TimelineRecorder::autosaveFailed);
        r.start(simpleStart());
        QTRY_COMPARE(failedSpy.size(), 1);
        QVERIFY(!failedSpy.first().first().toString().isEmpty());
    }

    // A full disk used to repeat the warning every second: it is reported when writing starts
    // to fail, and again only after a write went through in between. The file-size limit
    // (RLIMIT_FSIZE, with SIGXFSZ ignored writes fail with EFBIG) stands in for a full disk
    // the test can empty again.
    void autosaveFailureIsReportedOncePerStreak()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("streak.jsonl"));
        const QByteArray line = QByteArray(99, 'x') + '\n';
        const auto size = [&path] { return QFileInfo(path).size(); };
        rlimit unlimited = {};
        QCOMPARE(::getrlimit(RLIMIT_FSIZE, &unlimited), 0);
        const auto limitTo = [&unlimited](rlim_t bytes) {
            rlimit l = unlimited;
            l.rlim_cur = bytes;
            return ::setrlimit(RLIMIT_FSIZE, &l) == 0;
        };
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        struct Restore
        {
            rlimit limit;
            decltype(oldHandler) handler;
            ~Restore()
            {
                ::setrlimit(RLIMIT_FSIZE, &limit);
                std::signal(SIGXFSZ, handler);
            }
        } restore{unlimited, oldHandler};

        AutosaveWriter writer;
        QSignalSpy failed(&writer, &AutosaveWriter::failed);
        QSignalSpy closed(&writer, &AutosaveWriter::closed);
        writer.open(path);
        writer.append(line);
        QTRY_COMPARE(size(), line.size());

        // A streak of five failed writes: one warning.
        QVERIFY(limitTo(rlim_t(line.size())));
        for (int i = 0; i < 5; ++i)
            writer.append(line);
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(QStringLiteral("autosaved")));
        // The disk has room again: what waited goes out, without another warning.
        QVERIFY(limitTo(unlimited.rlim_cur));
        writer.append(line);
        QTRY_COMPARE(size(), 7 * line.size());
        QCOMPARE(failed.size(), 1);
        // Full again: a new streak, a new warning (one).
        QVERIFY(limitTo(rlim_t(7 * line.size())));
        for (int i = 0; i < 3; ++i)
            writer.append(line);
        QTRY_COMPARE(failed.size(), 2);
        QVERIFY(limitTo(unlimited.rlim_cur));
        writer.close();
        QTRY_COMPARE(closed.size(), 1);
        QCOMPARE(failed.size(), 2);
        QCOMPARE(size(), 10 * line.size());
    }

    void autosavePathIsUnderAppData()
    {
        const QString path = TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                               QStringLiteral("demo-dp"), kT0);
        QVERIFY(path.startsWith(TimelineRecorder::autosaveDirectory() + u'/'));
        QVERIFY2(path.endsWith(QStringLiteral("/20240501-120000.000-default-demo-dp.jsonl")),
                 qPrintable(path));
        QVERIFY(TimelineRecorder::autosaveDirectory().endsWith(QStringLiteral("/timelines")));
    }

    // Two recordings started in the same second (a scale, then an update) get two files.
    void autosavePathsNeverCollide()
    {
        const QString first = TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                                QStringLiteral("demo-dp"), kT0);
        QVERIFY(QDir().mkpath(TimelineRecorder::autosaveDirectory()));
        QFile taken(first);
        QVERIFY(taken.open(QIODevice::WriteOnly));
        taken.close();
        const QString second = TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                                 QStringLiteral("demo-dp"), kT0);
        QVERIFY(second != first);
        QVERIFY2(second.endsWith(QStringLiteral("-demo-dp-2.jsonl")), qPrintable(second));
        QVERIFY(QFile::remove(first));
        QVERIFY(TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                  QStringLiteral("demo-dp"), kT0 + 1) != first);
    }
};

ROLLSCOPE_TEST_MAIN(TestTimelineRecorder)
#include "tst_timelinerecorder.moc"
