// SPDX-License-Identifier: MIT
#pragma once

// Recorded input sequences for the timeline tests: what the rollout tracker and the traffic
// prober report during a rollout, with fixed wall-clock times, replayed into a TimelineRecorder
// the way the headless command wires them (ticks every 100 ms, buckets 50 ms behind).
//
//   demo      the seed guide's rollout: demo-dp, 3 replicas, maxSurge 25% (1), maxUnavailable
//             25% (0), bebullish/demo:v1 -> v2, one new pod at a time, 20 requests/s, no failure
//   careless  maxSurge 0, maxUnavailable 100%: every old pod stops at once, requests are
//             refused until the first new pod is ready

#include "timeline/recorder.h"

#include <QList>
#include <QString>

#include <algorithm>
#include <functional>
#include <map>
#include <utility>

namespace rollscope::timeline::test {

using rollout::PodCountSample;
using rollout::RequestInfo;
using rollout::RolloutEvent;
using rollout::VersionInfo;
using rollout::VersionPods;

inline constexpr qint64 kT0 = 1714564800000; // 2024-05-01T12:00:00Z

inline VersionInfo versionV1(bool isNew = false)
{
    return VersionInfo{QStringLiteral("6b5b87b666"),
                       QStringLiteral("bebullish/demo:v1"),
                       QStringLiteral("bebullish/demo:v1"),
                       QStringLiteral("demo-dp-6b5b87b666"),
                       1,
                       isNew,
                       0};
}

inline VersionInfo versionV2(bool isNew = true)
{
    return VersionInfo{QStringLiteral("7c9d8f6d45"),
                       QStringLiteral("bebullish/demo:v2"),
                       QStringLiteral("bebullish/demo:v2"),
                       QStringLiteral("demo-dp-7c9d8f6d45"),
                       2,
                       isNew,
                       1};
}

// Pods of v1 and v2: {total, ready, available, terminating} each.
struct PodsAt
{
    qint64 ms = 0; // relative to kT0
    int v1[4] = {0, 0, 0, 0};
    int v2[4] = {0, 0, 0, 0};
};

inline PodCountSample podSample(const PodsAt &p, int desired, int maxTotal, int minAvailable)
{
    PodCountSample s;
    s.timeMs = kT0 + p.ms;
    const auto add = [&s](const QString &id, const int c[4]) {
        if (c[0] + c[3] > 0)
            s.versions << VersionPods{id, c[0], c[1], c[2], c[3]};
    };
    add(versionV1().id, p.v1);
    add(versionV2().id, p.v2);
    s.desired = desired;
    s.maxTotal = maxTotal;
    s.minAvailable = minAvailable;
    return s;
}

inline RolloutEvent trackerEvent(qint64 ms, const char *type, const QString &message,
                                 const QString &object, const QString &versionId = {},
                                 RolloutEvent::Severity severity = RolloutEvent::Severity::Info)
{
    return RolloutEvent{kT0 + ms,    QLatin1StringView(type), message, object, versionId, severity,
                        std::nullopt};
}

// The image update the session sends, as it records it: who, from, to and the answer.
inline RolloutEvent imageChangeRequested(const QString &message)
{
    RolloutEvent e{kT0,         QStringLiteral("ImageChangeRequested"),
                   message,     QStringLiteral("deployment/demo-dp"),
                   QString(),   RolloutEvent::Severity::Info,
                   std::nullopt};
    e.request =
        RequestInfo{QStringLiteral("rollscope rollout"), QStringLiteral("bebullish/demo:v1"),
                    QStringLiteral("bebullish/demo:v2"), true, QString()};
    return e;
}

struct Scenario
{
    RecordingStart start;
    QList<PodsAt> pods;
    QList<RolloutEvent> events;
    qint64 endMs = 0;
    Outcome outcome = Outcome::Complete;
    QString reason;
    QString message;
    int rate = 20;
    // Which version answers request number i started at `ms` (or which failure), by pods ready.
    std::function<probe::ProbeResult(int i, qint64 ms)> answer;
};

inline QString pod(const char *hash, const char *suffix)
{
    return QStringLiteral("demo-dp-") + QLatin1StringView(hash) + u'-' + QLatin1StringView(suffix);
}

// The ready pods of each version at `ms` (the state of the last PodsAt at or before it).
inline std::pair<int, int> readyAt(const QList<PodsAt> &pods, qint64 ms)
{
    std::pair<int, int> ready{0, 0};
    for (const PodsAt &p : pods) {
        if (p.ms <= ms)
            ready = {p.v1[1], p.v2[1]};
    }
    return ready;
}

inline RecordingStart startFor(const QString &maxSurge, const QString &maxUnavailable, int maxTotal,
                               int minAvailable)
{
    RecordingStart start;
    start.ns = QStringLiteral("default");
    start.name = QStringLiteral("demo-dp");
    start.context = QStringLiteral("rollscope-sim");
    start.change = ChangeInfo{QStringLiteral("demo"),
                              QStringLiteral("bebullish/demo:v1"),
                              QStringLiteral("bebullish/demo:v2"),
                              QStringLiteral("rollscope set image deployment/demo-dp "
                                             "demo=bebullish/demo:v2"),
                              QStringLiteral("rollscope rollout"),
                              false,
                              QStringLiteral("setImage")};
    start.startedAtMs = kT0;
    start.strategy = StrategyInfo{QStringLiteral("RollingUpdate"),
                                  3,
                                  maxSurge,
                                  maxUnavailable,
                                  maxTotal,
                                  minAvailable,
                                  0,
                                  600};
    start.probe =
        ProbeInfo{true, QStringLiteral("loadBalancer"),
                  QStringLiteral("LoadBalancer 127.0.1.18:80 of service demo-service"), 20};
    start.versions = {versionV1()};
    return start;
}

inline probe::ProbeResult answerFrom(const QList<PodsAt> &pods, int i, qint64 ms)
{
    probe::ProbeResult r;
    r.startMs = kT0 + ms;
    const auto [v1, v2] = readyAt(pods, ms);
    if (v1 + v2 == 0) {
        r.latencyUs = 300;
        r.failure = probe::FailureClass::Refused;
        r.versionId = QLatin1StringView(probe::kUnknownVersion);
        return r;
    }
    // Round robin over the ready pods, new ones first: deterministic and version-fair.
    const int slot = i % (v1 + v2);
    const bool fromV2 = slot < v2;
    r.latencyUs = 1500 + (i % 7) * 250;
    r.httpStatus = 200;
    r.versionId = fromV2 ? versionV2().id : versionV1().id;
    r.pod = fromV2 ? pod("7c9d8f6d45", slot == 0   ? "a1b2c"
                                       : slot == 1 ? "d3e4f"
                                                   : "g5h6i")
                   : pod("6b5b87b666", (slot - v2) == 0   ? "x1y2z"
                                       : (slot - v2) == 1 ? "p9q8r"
                                                          : "m7n6o");
    return r;
}

inline Scenario demoScenario()
{
    Scenario s;
    s.start = startFor(QStringLiteral("25%"), QStringLiteral("25%"), 4, 3);
    const QString v1 = versionV1().id;
    const QString v2 = versionV2().id;
    // clang-format off
    s.pods = {
        {0,    {3, 3, 3, 0}, {0, 0, 0, 0}},
        {120,  {3, 3, 3, 0}, {1, 0, 0, 0}},
        {1600, {3, 3, 3, 0}, {1, 1, 1, 0}},
        {1700, {2, 2, 2, 1}, {2, 1, 1, 0}},
        {2500, {2, 2, 2, 0}, {2, 1, 1, 0}},
        {3200, {2, 2, 2, 0}, {2, 2, 2, 0}},
        {3300, {1, 1, 1, 1}, {3, 2, 2, 0}},
        {4100, {1, 1, 1, 0}, {3, 2, 2, 0}},
        {4800, {1, 1, 1, 0}, {3, 3, 3, 0}},
        {4900, {0, 0, 0, 1}, {3, 3, 3, 0}},
        {5500, {0, 0, 0, 0}, {3, 3, 3, 0}},
    };
    // clang-format on
    s.start.pods = podSample(s.pods.first(), 3, 4, 3);
    using Sev = RolloutEvent::Severity;
    s.events = {
        imageChangeRequested(QStringLiteral("Image of container demo set to bebullish/demo:v2 (was "
                                            "bebullish/demo:v1)")),
        trackerEvent(100, "ReplicaSetCreated",
                     QStringLiteral("Created ReplicaSet demo-dp-7c9d8f6d45 (revision 2)"),
                     QStringLiteral("replicaset/demo-dp-7c9d8f6d45"), v2),
        trackerEvent(110, "ReplicaSetScaled", QStringLiteral("Scaled up to 1"),
                     QStringLiteral("replicaset/demo-dp-7c9d8f6d45"), v2),
        trackerEvent(120, "PodCreated", QStringLiteral("Pod created"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "a1b2c"), v2),
        trackerEvent(150, "PodScheduled", QStringLiteral("Assigned to node sim-node-1"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "a1b2c"), v2),
        trackerEvent(900, "PodStarted", QStringLiteral("Container demo started"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "a1b2c"), v2),
        trackerEvent(1600, "PodReady", QStringLiteral("Pod is ready"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "a1b2c"), v2),
        trackerEvent(1700, "ReplicaSetScaled", QStringLiteral("Scaled down to 2"),
                     QStringLiteral("replicaset/demo-dp-6b5b87b666"), v1),
        trackerEvent(1700, "PodTerminating", QStringLiteral("Pod is terminating"),
                     QStringLiteral("pod/") + pod("6b5b87b666", "m7n6o"), v1),
        trackerEvent(1710, "PodCreated", QStringLiteral("Pod created"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "d3e4f"), v2),
        trackerEvent(2500, "PodGone", QStringLiteral("Pod deleted"),
                     QStringLiteral("pod/") + pod("6b5b87b666", "m7n6o"), v1),
        trackerEvent(3200, "PodReady", QStringLiteral("Pod is ready"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "d3e4f"), v2),
        trackerEvent(3300, "PodTerminating", QStringLiteral("Pod is terminating"),
                     QStringLiteral("pod/") + pod("6b5b87b666", "p9q8r"), v1),
        trackerEvent(3310, "PodCreated", QStringLiteral("Pod created"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "g5h6i"), v2),
        trackerEvent(3400, "KubernetesEvent",
                     QStringLiteral("Scaled up replica set demo-dp-7c9d8f6d45 to 3 from 2"),
                     QStringLiteral("deployment/demo-dp")),
        trackerEvent(4100, "PodGone", QStringLiteral("Pod deleted"),
                     QStringLiteral("pod/") + pod("6b5b87b666", "p9q8r"), v1),
        trackerEvent(4800, "PodReady", QStringLiteral("Pod is ready"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "g5h6i"), v2),
        trackerEvent(4900, "PodTerminating", QStringLiteral("Pod is terminating"),
                     QStringLiteral("pod/") + pod("6b5b87b666", "x1y2z"), v1),
        trackerEvent(5500, "PodGone", QStringLiteral("Pod deleted"),
                     QStringLiteral("pod/") + pod("6b5b87b666", "x1y2z"), v1),
        trackerEvent(5550, "ConditionChanged",
                     QStringLiteral("Progressing: NewReplicaSetAvailable (ReplicaSet "
                                    "\"demo-dp-7c9d8f6d45\" has successfully progressed.)"),
                     QStringLiteral("deployment/demo-dp")),
        // The tracker's own outcome event: the recorder writes its own instead.
        trackerEvent(5600, "Outcome", QStringLiteral("Complete"),
                     QStringLiteral("deployment/demo-dp"), {}, Sev::Info),
    };
    s.endMs = 5600;
    s.message = QStringLiteral("deployment \"demo-dp\" successfully rolled out");
    const QList<PodsAt> pods = s.pods;
    s.answer = [pods](int i, qint64 ms) { return answerFrom(pods, i, ms); };
    return s;
}

inline Scenario carelessScenario()
{
    Scenario s;
    s.start = startFor(QStringLiteral("0"), QStringLiteral("100%"), 3, 0);
    const QString v1 = versionV1().id;
    const QString v2 = versionV2().id;
    // clang-format off
    s.pods = {
        {0,    {3, 3, 3, 0}, {0, 0, 0, 0}},
        {150,  {0, 0, 0, 3}, {3, 0, 0, 0}},
        {1000, {0, 0, 0, 0}, {3, 0, 0, 0}},
        {1900, {0, 0, 0, 0}, {3, 2, 2, 0}},
        {2100, {0, 0, 0, 0}, {3, 3, 3, 0}},
    };
    // clang-format on
    s.start.pods = podSample(s.pods.first(), 3, 3, 0);
    s.events = {
        imageChangeRequested(QStringLiteral("Image of container demo set to bebullish/demo:v2")),
        trackerEvent(100, "ReplicaSetCreated",
                     QStringLiteral("Created ReplicaSet demo-dp-7c9d8f6d45"),
                     QStringLiteral("replicaset/demo-dp-7c9d8f6d45"), v2),
        trackerEvent(150, "ReplicaSetScaled", QStringLiteral("Scaled down to 0"),
                     QStringLiteral("replicaset/demo-dp-6b5b87b666"), v1),
        trackerEvent(150, "ReplicaSetScaled", QStringLiteral("Scaled up to 3"),
                     QStringLiteral("replicaset/demo-dp-7c9d8f6d45"), v2),
        trackerEvent(1900, "PodReady", QStringLiteral("Pod is ready"),
                     QStringLiteral("pod/") + pod("7c9d8f6d45", "a1b2c"), v2),
        trackerEvent(2600, "ConditionChanged",
                     QStringLiteral("Available: MinimumReplicasAvailable"),
                     QStringLiteral("deployment/demo-dp")),
    };
    s.endMs = 2700;
    s.message = QStringLiteral("deployment \"demo-dp\" successfully rolled out");
    const QList<PodsAt> pods = s.pods;
    s.answer = [pods](int i, qint64 ms) { return answerFrom(pods, i, ms); };
    return s;
}

// Replays a scenario into `recorder` (not started yet): inputs in time order, the prober's
// results and buckets in 100 ms batches as they would arrive, a tick after each batch.
inline void replay(TimelineRecorder &recorder, const Scenario &s)
{
    recorder.start(s.start);
    recorder.setVersions({versionV1(false), versionV2(true)});
    // Everything that happens at a wall-clock moment, in the order it would arrive.
    std::multimap<qint64, std::function<void()>> timeline;
    for (const PodsAt &p : s.pods) {
        const PodCountSample sample = podSample(
            p, s.start.strategy.replicas, s.start.strategy.maxTotal, s.start.strategy.minAvailable);
        timeline.emplace(p.ms, [&recorder, sample] { recorder.addPodCounts({sample}); });
    }
    for (const RolloutEvent &e : s.events)
        timeline.emplace(e.timeMs - kT0, [&recorder, e] { recorder.addEvent(e); });
    // Requests every 1000/rate ms, delivered in 100 ms batches once they completed; each
    // batch's bucket says every request started 50 ms before it has been reported.
    const qint64 every = 1000 / s.rate;
    int i = 0;
    for (qint64 batchEnd = 100;; batchEnd += 100) {
        const bool last = batchEnd >= s.endMs;
        const qint64 at = last ? s.endMs : batchEnd;
        const qint64 until = last ? s.endMs : batchEnd - 50;
        QList<probe::ProbeResult> results;
        for (; i * every < until; ++i)
            results << s.answer(i, i * every);
        probe::ProbeBucket bucket;
        bucket.startMs = kT0 + until - 100;
        bucket.durationMs = 100;
        timeline.emplace(at, [&recorder, results, bucket, at] {
            recorder.addProbeResults(results);
            recorder.addProbeBuckets({bucket});
            recorder.tick(kT0 + at);
        });
        if (last)
            break;
    }
    for (auto &[ms, step] : timeline) {
        if (ms <= s.endMs)
            step();
    }
    recorder.finish(s.outcome, s.reason, s.message, kT0 + s.endMs);
}

inline RecorderOptions testOptions(const QString &autosavePath = {})
{
    RecorderOptions o;
    o.autoTick = false;
    o.autosavePath = autosavePath;
    return o;
}

// The finished timeline of a scenario.
// Traffic at 20/s in 500 ms samples, the outcome 34 ms after the last full interval: the last
// sample holds one answer in 34 ms (29/s if divided by its own length).
inline Timeline shortLastInterval()
{
    Timeline t;
    t.ns = QStringLiteral("default");
    t.name = QStringLiteral("demo-dp");
    t.change.from = QStringLiteral("bebullish/demo:v1");
    t.change.to = QStringLiteral("bebullish/demo:v2");
    t.startedAtMs = kT0;
    t.finishedAtMs = kT0 + 2034;
    t.outcome = Outcome::Complete;
    t.sampleIntervalMs = 500;
    t.probe = ProbeInfo{true, QStringLiteral("loadBalancer"), QStringLiteral("test"), 20};
    t.versions = {versionV1(), versionV2()};
    for (qint64 ms = 0; ms <= 2000; ms += 500) {
        TimelineSample s;
        s.tMs = ms;
        if (ms > 0)
            s.responses.insert(versionV2().id, 10);
        t.samples << s;
    }
    TimelineSample last;
    last.tMs = 2034;
    last.responses.insert(versionV2().id, 1);
    t.samples << last;
    t.summary = computeSummary(t);
    return t;
}

inline Timeline record(const Scenario &s)
{
    TimelineRecorder recorder(testOptions());
    replay(recorder, s);
    return recorder.timeline();
}

} // namespace rollscope::timeline::test
