// SPDX-License-Identifier: MIT
// TimelineRecorder fed recorded input sequences: samples, derived events, the summary, and
// the autosave file it writes along the way.
#include "testmain.h"
#include "timeline/exporters.h"
#include "timeline/loader.h"
#include "timeline/recorder.h"
#include "timeline/timelinejson.h"
#include "timelinescenarios.h"

#include <QDateTime>
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

// A Deployment of `replicas` pods, 25 %/25 %, both versions known.
RecordingStart scaledStart(int replicas)
{
    const int surge = (replicas + 3) / 4;
    const int unavailable = replicas / 4;
    RecordingStart start = startFor(QStringLiteral("25%"), QStringLiteral("25%"), replicas + surge,
                                    replicas - unavailable);
    start.strategy.replicas = replicas;
    start.versions = {versionV1(false), versionV2(true)};
    return start;
}

QString podOf(const VersionInfo &v, int i)
{
    return v.replicaSet + QStringLiteral("-p") + QString::number(i);
}

// Per-pod tracker events of pods `from` .. `to - 1` of `v`, `stepMs` apart from `ms`.
QList<RolloutEvent> podEvents(qint64 ms, int stepMs, const char *type, const VersionInfo &v,
                              int from, int to, const QString &kubernetesReason = {},
                              bool onReplicaSet = false)
{
    QList<RolloutEvent> events;
    for (int i = from; i < to; ++i, ms += stepMs) {
        const QString pod = podOf(v, i);
        if (kubernetesReason.isEmpty()) {
            events << trackerEvent(ms, type, QStringLiteral("Pod %1 changed").arg(pod),
                                   QStringLiteral("pod/") + pod, v.id);
        } else if (onReplicaSet) {
            events << trackerEvent(ms, "KubernetesEvent",
                                   kubernetesReason + QStringLiteral(": Created pod: ") + pod,
                                   QStringLiteral("replicaset/") + v.replicaSet, v.id);
        } else {
            events << trackerEvent(ms, "KubernetesEvent",
                                   kubernetesReason + QStringLiteral(": Successfully assigned ") +
                                       pod + QStringLiteral(" to sim-node-1"),
                                   QStringLiteral("pod/") + pod, v.id);
        }
    }
    return events;
}

// A rollout of 40 replicas in two seconds: routine per-pod events in bunches, a few warnings,
// a lone event, and what is never merged. Pods are sampled before each interval ends.
struct ScaledSequence
{
    QList<PodCountSample> pods;
    QList<RolloutEvent> events;
};

ScaledSequence scaledSequence(int replicas)
{
    const VersionInfo v1 = versionV1();
    const VersionInfo v2 = versionV2();
    const int maxTotal = replicas + (replicas + 3) / 4;
    const int minAvailable = replicas - replicas / 4;
    const auto at = [&](qint64 ms, std::array<int, 4> a, std::array<int, 4> b) {
        PodsAt p{ms, {a[0], a[1], a[2], a[3]}, {b[0], b[1], b[2], b[3]}};
        return podSample(p, replicas, maxTotal, minAvailable);
    };
    ScaledSequence s;
    s.pods = {
        at(0, {40, 40, 40, 0}, {0, 0, 0, 0}),
        at(200, {40, 40, 40, 0}, {10, 0, 0, 0}),
        at(1450, {30, 30, 30, 10}, {10, 10, 10, 0}),
        at(1950, {30, 30, 30, 5}, {10, 10, 10, 0}),
    };
    using Sev = RolloutEvent::Severity;
    s.events << imageChangeRequested(QStringLiteral("Image of container demo set to v2"))
             << trackerEvent(100, "ReplicaSetScaled", QStringLiteral("Scaled up to 10"),
                             QStringLiteral("replicaset/") + v2.replicaSet, v2.id)
             << trackerEvent(100, "KubernetesEvent",
                             QStringLiteral("ScalingReplicaSet: Scaled up replica set %1 to 10")
                                 .arg(v2.replicaSet),
                             QStringLiteral("deployment/demo-dp"));
    s.events << podEvents(120, 2, "PodCreated", v2, 0, 10);
    s.events << podEvents(130, 1, "", v2, 0, 10, QStringLiteral("SuccessfulCreate"), true);
    s.events << podEvents(600, 3, "", v2, 0, 10, QStringLiteral("Scheduled"));
    s.events << podEvents(1000, 1, "PodReady", v2, 0, 10);
    s.events << trackerEvent(1010, "KubernetesEvent",
                             QStringLiteral("BackOff: Back-off pulling image"),
                             QStringLiteral("pod/") + podOf(v2, 3), v2.id, Sev::Warning)
             << trackerEvent(1011, "KubernetesEvent",
                             QStringLiteral("BackOff: Back-off pulling image"),
                             QStringLiteral("pod/") + podOf(v2, 4), v2.id, Sev::Warning)
             << trackerEvent(1020, "PodNotReady", QStringLiteral("no longer ready"),
                             QStringLiteral("pod/") + podOf(v2, 5), v2.id, Sev::Warning)
             << trackerEvent(1021, "PodNotReady", QStringLiteral("no longer ready"),
                             QStringLiteral("pod/") + podOf(v2, 6), v2.id, Sev::Warning);
    s.events << podEvents(1100, 2, "PodTerminating", v1, 0, 10);
    s.events << podEvents(1200, 1, "PodStarted", v2, 9, 10);
    s.events << trackerEvent(1300, "ConditionChanged", QStringLiteral("Progressing is True"),
                             QStringLiteral("deployment/demo-dp"));
    s.events << podEvents(1900, 1, "PodGone", v1, 0, 5);
    return s;
}

void feed(TimelineRecorder &r, const ScaledSequence &s, qint64 untilMs)
{
    std::multimap<qint64, std::function<void()>> inputs;
    for (const PodCountSample &p : s.pods)
        inputs.emplace(p.timeMs - kT0, [&r, p] { r.addPodCounts({p}); });
    for (const RolloutEvent &e : s.events)
        inputs.emplace(e.timeMs - kT0, [&r, e] { r.addEvent(e); });
    for (auto &[ms, input] : inputs) {
        if (ms <= untilMs)
            input();
    }
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

    // Beyond kPerPodEventsUpToReplicas, routine per-pod events of one kind and version between
    // two samples become one step of their ReplicaSet; failures and everything else stay as
    // they came.
    void bigRolloutMergesPerPodEventsIntoSteps()
    {
        const ScaledSequence seq = scaledSequence(40);
        TimelineRecorder r(testOptions());
        QSignalSpy recorded(&r, &TimelineRecorder::eventRecorded);
        r.start(scaledStart(40));
        feed(r, seq, 2000);
        r.finish(Outcome::Complete, {}, {}, kT0 + 2000);
        const Timeline t = r.timeline();
        QCOMPARE(recorded.size(), t.events.size());
        const QString rs2 = QStringLiteral("replicaset/") + versionV2().replicaSet;
        const QString rs1 = QStringLiteral("replicaset/") + versionV1().replicaSet;

        const auto only = [&t](const char *type) {
            const QList<TimelineEvent> found = eventsOfType(t, type);
            return found.size() == 1 ? found.first() : TimelineEvent();
        };
        const TimelineEvent created = only("PodCreated");
        QCOMPARE(created.tMs, 120);
        QCOMPARE(created.durationMs, 18);
        QCOMPARE(created.count, 10);
        QCOMPARE(created.object, rs2);
        QCOMPARE(created.versionId, versionV2().id);
        QCOMPARE(created.severity, RolloutEvent::Severity::Info);
        // The total is the sample's (t = 0.5: 10 pods of v2, counted at 0.2).
        QCOMPARE(created.message,
                 QStringLiteral("10 pods of bebullish/demo:v2 created within 0.018 s (10 of 40)"));

        const TimelineEvent ready = only("PodReady");
        QCOMPARE(ready.tMs, 1000);
        QCOMPARE(ready.durationMs, 9);
        QCOMPARE(ready.count, 10);
        QCOMPARE(ready.object, rs2);
        QCOMPARE(ready.message,
                 QStringLiteral("10 pods of bebullish/demo:v2 ready within 0.009 s (10 of 40)"));
        const TimelineSample &at1500 = t.samples.at(3);
        QCOMPARE(at1500.tMs, 1500);
        QCOMPARE(at1500.pods.value(versionV2().id).ready, 10);
        QCOMPARE(at1500.desired, 40);

        const TimelineEvent terminating = only("PodTerminating");
        QCOMPARE(terminating.object, rs1);
        QCOMPARE(terminating.versionId, versionV1().id);
        QCOMPARE(terminating.count, 10);
        QCOMPARE(terminating.message,
                 QStringLiteral("10 pods of bebullish/demo:v1 terminating within 0.018 s "
                                "(30 left)"));
        const TimelineEvent gone = only("PodGone");
        QCOMPARE(gone.tMs, 1900);
        QCOMPARE(gone.count, 5);
        QCOMPARE(gone.message, QStringLiteral("5 pods of bebullish/demo:v1 gone within 0.004 s "
                                              "(5 still terminating)"));
        // One event in its interval is kept as it came.
        const TimelineEvent started = only("PodStarted");
        QCOMPARE(started.object, QStringLiteral("pod/") + podOf(versionV2(), 9));
        QCOMPARE(started.count, 0);
        QCOMPARE(started.message, QStringLiteral("Pod %1 changed").arg(podOf(versionV2(), 9)));

        // Kubernetes events merge per reason; warnings stay per pod; the Deployment's stay.
        QList<TimelineEvent> merged;
        QList<TimelineEvent> warnings;
        QList<TimelineEvent> other;
        for (const TimelineEvent &e : eventsOfType(t, "KubernetesEvent")) {
            if (e.severity != RolloutEvent::Severity::Info)
                warnings << e;
            else if (e.count > 0)
                merged << e;
            else
                other << e;
        }
        QCOMPARE(merged.size(), 2);
        QCOMPARE(merged.at(0).tMs, 130);
        QCOMPARE(merged.at(0).object, rs2);
        QCOMPARE(merged.at(0).count, 10);
        QCOMPARE(merged.at(0).message,
                 QStringLiteral("SuccessfulCreate: 10 pods of bebullish/demo:v2 within 0.009 s"));
        QCOMPARE(merged.at(1).tMs, 600);
        QCOMPARE(merged.at(1).object, rs2);
        QCOMPARE(merged.at(1).durationMs, 27);
        QCOMPARE(merged.at(1).message,
                 QStringLiteral("Scheduled: 10 pods of bebullish/demo:v2 within 0.027 s"));
        QCOMPARE(warnings.size(), 2);
        QCOMPARE(warnings.at(0).object, QStringLiteral("pod/") + podOf(versionV2(), 3));
        QCOMPARE(warnings.at(1).object, QStringLiteral("pod/") + podOf(versionV2(), 4));
        QCOMPARE(warnings.at(1).message, QStringLiteral("BackOff: Back-off pulling image"));
        QCOMPARE(other.size(), 1);
        QCOMPARE(other.at(0).object, QStringLiteral("deployment/demo-dp"));
        QCOMPARE(eventsOfType(t, "PodNotReady").size(), 2);
        QCOMPARE(eventsOfType(t, "ReplicaSetScaled").size(), 1);
        QCOMPARE(eventsOfType(t, "ConditionChanged").size(), 1);
        QCOMPARE(eventsOfType(t, "ImageChangeRequested").size(), 1);
        QVERIFY(eventsOfType(t, "ImageChangeRequested").first().request.has_value());

        // In time order, and the first new pod ready is the step's first pod.
        for (qsizetype i = 1; i < t.events.size(); ++i)
            QVERIFY(t.events.at(i - 1).tMs <= t.events.at(i).tMs);
        QCOMPARE(t.summary.firstNewReadyMs, std::optional<qint64>(1000));
    }

    // Up to kPerPodEventsUpToReplicas, every event is kept as it came.
    void smallRolloutKeepsPerPodEvents()
    {
        QCOMPARE(kPerPodEventsUpToReplicas, 20);
        const ScaledSequence seq = scaledSequence(kPerPodEventsUpToReplicas);
        TimelineRecorder r(testOptions());
        r.start(scaledStart(kPerPodEventsUpToReplicas));
        feed(r, seq, 2000);
        r.finish(Outcome::Complete, {}, {}, kT0 + 2000);
        const Timeline t = r.timeline();
        // Every input but the tracker's outcome, plus the recorder's Outcome.
        QCOMPARE(t.events.size(), seq.events.size() + 1);
        for (const TimelineEvent &e : t.events) {
            QCOMPARE(e.count, 0);
            QVERIFY(!e.object.startsWith(QStringLiteral("replicaset/")) ||
                    e.type == QStringLiteral("ReplicaSetScaled") ||
                    e.message.startsWith(QStringLiteral("SuccessfulCreate: Created pod")));
        }
        QCOMPARE(eventsOfType(t, "PodReady").size(), 10);
    }

    // A step is recorded once, final, when its sample is made; until then it holds back what is
    // final. An event of a step already recorded is kept as it came.
    void stepIsRecordedWhenItsIntervalCloses()
    {
        TimelineRecorder r(testOptions());
        QSignalSpy recorded(&r, &TimelineRecorder::eventRecorded);
        r.start(scaledStart(40));
        for (const RolloutEvent &e : podEvents(120, 10, "PodReady", versionV2(), 0, 3))
            r.addEvent(e);
        r.tick(kT0 + 700); // closes t = 0 only: the interval ending at 0.5 needs 0.8
        QCOMPARE(recorded.size(), 0);
        QVERIFY(r.timeline().events.isEmpty());
        QCOMPARE(r.derivedEventsFinalBeforeMs(), 120);
        r.tick(kT0 + 800);
        QCOMPARE(recorded.size(), 1);
        const TimelineEvent step = recorded.first().first().value<TimelineEvent>();
        QCOMPARE(step.tMs, 120);
        QCOMPARE(step.durationMs, 20);
        QCOMPARE(step.count, 3);
        QCOMPARE(r.timeline().events, QList<TimelineEvent>{step});
        QVERIFY(r.derivedEventsFinalBeforeMs() >= 500);
        // Late for its interval: as it came, not merged into a later one.
        r.addEvent(podEvents(400, 1, "PodReady", versionV2(), 3, 4).first());
        r.addEvent(podEvents(410, 1, "PodReady", versionV2(), 4, 5).first());
        QCOMPARE(recorded.size(), 3);
        QCOMPARE(r.timeline().events.at(1).object, QStringLiteral("pod/") + podOf(versionV2(), 3));
        QCOMPARE(r.timeline().events.at(2).count, 0);
        // An event of an unknown version has no ReplicaSet to merge into.
        r.addEvent(trackerEvent(900, "PodReady", QStringLiteral("x"), QStringLiteral("pod/x"),
                                QStringLiteral("unknownhash")));
        QCOMPARE(recorded.size(), 4);
        // The finish records what is open.
        for (const RolloutEvent &e : podEvents(1000, 1, "PodGone", versionV1(), 0, 2))
            r.addEvent(e);
        QCOMPARE(recorded.size(), 4);
        r.finish(Outcome::Complete, {}, {}, kT0 + 1005);
        const QList<TimelineEvent> gone = eventsOfType(r.timeline(), "PodGone");
        QCOMPARE(gone.size(), 1);
        QCOMPARE(gone.first().count, 2);
    }

    // Merged steps reach the autosave log as the recorder holds them: a finished recording and
    // one cut off while recording load back to the recorder's timeline.
    void autosaveRoundTripOfSteps()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("big.jsonl"));
        RecorderOptions options = testOptions(path);
        options.flushIntervalMs = 50;
        TimelineRecorder r(options);
        QSignalSpy closed(&r, &TimelineRecorder::autosaveClosed);
        const ScaledSequence seq = scaledSequence(40);
        r.start(scaledStart(40));
        feed(r, seq, 1300);
        r.tick(kT0 + 1300); // samples up to t = 1 made; the pods were last counted at 0.2
        r.flushAutosave();
        const Timeline live = r.timeline();
        QVERIFY(eventsOfType(live, "PodCreated").first().count == 10);
        QVERIFY(eventsOfType(live, "PodReady").isEmpty());
        const auto loadedEvents = [&path]() {
            const Result<Timeline> t = TimelineLoader::load(path);
            return t ? t->events : QList<TimelineEvent>();
        };
        QTRY_COMPARE(loadedEvents(), live.events);
        const Result<Timeline> cut = TimelineLoader::load(path);
        QVERIFY(cut->interrupted);
        QCOMPARE(cut->samples, live.samples);

        feed(r, ScaledSequence{{}, seq.events.mid(0)}, -1); // nothing: inputs are by time
        ScaledSequence rest;
        for (const PodCountSample &p : seq.pods) {
            if (p.timeMs - kT0 > 1300)
                rest.pods << p;
        }
        for (const RolloutEvent &e : seq.events) {
            if (e.timeMs - kT0 > 1300)
                rest.events << e;
        }
        feed(r, rest, 2000);
        r.finish(Outcome::Complete, {}, {}, kT0 + 2000);
        QTRY_COMPARE(closed.size(), 1);
        const Result<Timeline> loaded = TimelineLoader::load(path);
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().message));
        QVERIFY(!loaded->interrupted);
        QCOMPARE(loaded->events, r.timeline().events);
        QCOMPARE(*loaded, r.timeline());
        QVERIFY(eventsOfType(*loaded, "PodReady").first().count == 10);
        // The export reads back the same steps.
        const Result<Timeline> exported = TimelineJson::parseExport(TimelineExport::json(*loaded));
        QVERIFY(exported.ok());
        QCOMPARE(exported->events, loaded->events);
    }

    // 2000 replicas, 25 %/25 %, in 20 s, sampled as the tracker does: the JSON and the HTML
    // report stay under 1 MB, and each ready step's total is what its sample says.
    void rolloutOf2000ReplicasStaysSmall()
    {
        constexpr int replicas = 2000;
        const VersionInfo v1 = versionV1();
        const VersionInfo v2 = versionV2();
        std::multimap<qint64, RolloutEvent> events;
        const auto add = [&events](const QList<RolloutEvent> &list) {
            for (const RolloutEvent &e : list)
                events.emplace(e.timeMs - kT0, e);
        };
        // New pods: created 4 ms apart, each scheduled, pulled, started, ready; old pods stop
        // 8 ms apart after the first 500 and are gone 2 s later.
        for (int i = 0; i < replicas; ++i) {
            const qint64 c = 100 + qint64(i) * 8;
            add(podEvents(c, 0, "PodCreated", v2, i, i + 1));
            add(podEvents(c, 0, "", v2, i, i + 1, QStringLiteral("SuccessfulCreate"), true));
            add(podEvents(c + 300, 0, "PodScheduled", v2, i, i + 1));
            add(podEvents(c + 300, 0, "", v2, i, i + 1, QStringLiteral("Scheduled")));
            add(podEvents(c + 900, 0, "", v2, i, i + 1, QStringLiteral("Pulled")));
            add(podEvents(c + 1000, 0, "", v2, i, i + 1, QStringLiteral("Started")));
            add(podEvents(c + 1000, 0, "PodStarted", v2, i, i + 1));
            add(podEvents(c + 1500, 0, "PodReady", v2, i, i + 1));
            const qint64 k = 600 + qint64(i) * 8;
            add(podEvents(k, 0, "PodTerminating", v1, i, i + 1));
            add(podEvents(k, 0, "", v1, i, i + 1, QStringLiteral("Killing")));
            add(podEvents(k + 2000, 0, "PodGone", v1, i, i + 1));
        }
        // A few failures on the way: kept per pod.
        for (int i = 0; i < 30; ++i) {
            add({trackerEvent(5000 + i, "KubernetesEvent", QStringLiteral("BackOff: Back-off"),
                              QStringLiteral("pod/") + podOf(v2, i), v2.id,
                              RolloutEvent::Severity::Warning)});
        }
        TimelineRecorder r(testOptions());
        r.start(scaledStart(replicas));
        // The pods as the tracker counts them, sampled every 100 ms.
        int v1Total = replicas;
        int v1Terminating = 0;
        int v2Total = 0;
        int v2Ready = 0;
        auto next = events.begin();
        const qint64 endMs = 20'000;
        for (qint64 ms = 0; ms <= endMs; ms += 100) {
            for (; next != events.end() && next->first < ms; ++next) {
                const RolloutEvent &e = next->second;
                if (e.type == QLatin1StringView("PodCreated")) {
                    ++v2Total;
                } else if (e.type == QLatin1StringView("PodReady")) {
                    ++v2Ready;
                } else if (e.type == QLatin1StringView("PodTerminating")) {
                    --v1Total;
                    ++v1Terminating;
                } else if (e.type == QLatin1StringView("PodGone")) {
                    --v1Terminating;
                }
                r.addEvent(e);
            }
            PodsAt p{
                ms, {v1Total, v1Total, v1Total, v1Terminating}, {v2Total, v2Ready, v2Ready, 0}};
            r.addPodCounts({podSample(p, replicas, replicas + 500, replicas - 500)});
            r.tick(kT0 + ms);
        }
        r.finish(Outcome::Complete, {}, {}, kT0 + endMs);
        const Timeline t = r.timeline();

        // Each step counts the pods the sample after it has and the one before had not: the
        // totals are the samples' and add up.
        int readyPods = 0;
        for (const TimelineEvent &e : eventsOfType(t, "PodReady")) {
            readyPods += std::max(e.count, 1);
            if (e.count == 0)
                continue;
            QVERIFY2(e.message.endsWith(QStringLiteral("(%1 of %2)").arg(readyPods).arg(replicas)),
                     qPrintable(e.message));
            QVERIFY(std::any_of(t.samples.cbegin(), t.samples.cend(), [&](const TimelineSample &s) {
                return s.tMs > e.tMs && s.pods.value(v2.id).ready == readyPods;
            }));
        }
        QCOMPARE(readyPods, replicas);
        QCOMPARE(t.samples.last().pods.value(v2.id).ready, replicas);
        QCOMPARE(eventsOfType(t, "KubernetesEvent").size() > 30, true);
        int warnings = 0;
        for (const TimelineEvent &e : t.events)
            warnings += e.severity == RolloutEvent::Severity::Warning ? 1 : 0;
        QCOMPARE(warnings, 30);

        const QByteArray json = TimelineExport::json(t);
        const QByteArray html = TimelineExport::html(t);
        qInfo("%lld events of %zu per-pod events: JSON %lld bytes, HTML %lld bytes",
              qlonglong(t.events.size()), events.size(), qlonglong(json.size()),
              qlonglong(html.size()));
        QVERIFY(json.size() < 1'000'000);
        QVERIFY(html.size() < 1'000'000);
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

    // Two recordings started in the same millisecond (a scale, then an update) get two files:
    // when the first one's file exists, and when it does not exist yet (the autosave thread
    // creates it later).
    void autosavePathsNeverCollide()
    {
        const qint64 t = kT0 + 5 * 60 * 1000; // a time no other test hands out
        const QString first = TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                                QStringLiteral("demo-dp"), t);
        QVERIFY(!QFileInfo::exists(first));
        const QString second = TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                                 QStringLiteral("demo-dp"), t);
        QVERIFY(second != first);
        QVERIFY2(second.endsWith(QStringLiteral("-demo-dp-2.jsonl")), qPrintable(second));

        // A file of that name made by someone else (another Rollscope) counts as taken too.
        const qint64 u = t + 1;
        QVERIFY(QDir().mkpath(TimelineRecorder::autosaveDirectory()));
        const QString stamp = QDateTime::fromMSecsSinceEpoch(u, Qt::UTC)
                                  .toString(QStringLiteral("yyyyMMdd-HHmmss.zzz"));
        QFile taken(TimelineRecorder::autosaveDirectory() + u'/' + stamp +
                    QStringLiteral("-default-demo-dp.jsonl"));
        QVERIFY(taken.open(QIODevice::WriteOnly));
        taken.close();
        const QString third = TimelineRecorder::autosavePathFor(QStringLiteral("default"),
                                                                QStringLiteral("demo-dp"), u);
        QVERIFY(third != taken.fileName());
        QVERIFY2(third.endsWith(QStringLiteral("-demo-dp-2.jsonl")), qPrintable(third));
        QVERIFY(taken.remove());
    }
};

ROLLSCOPE_TEST_MAIN(TestTimelineRecorder)
#include "tst_timelinerecorder.moc"
