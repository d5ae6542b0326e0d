// SPDX-License-Identifier: MIT
#pragma once

// The recorded timeline of one rollout, as a plain value: what the controller did (events), what
// the pods did and what the traffic saw (samples at a fixed interval), and the summary and
// verdict computed from them. The recorder builds it, the loader reads it back from disk, the
// exporters and views only read it (architecture convention 2: values, no live pointers).
//
// Times: `startedAtMs` is wall-clock milliseconds since the Unix epoch (t = 0: the PATCH, or
// when an already-running rollout was first seen); every other time is milliseconds relative to
// it, so a timeline reads the same wherever it is opened.

#include "probe/probetypes.h"
#include "rollout/rollouttypes.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <array>
#include <optional>

namespace rollscope::timeline {

// The export format ("format" of a .json export) and the autosave format (first line of a
// .jsonl recording). Bump the number on an incompatible change; readers reject other numbers.
inline constexpr QLatin1StringView kFormatId("rollscope-timeline/1");
inline constexpr QLatin1StringView kLogFormatId("rollscope-timeline-log/1");

// Ranges a loaded timeline's numbers are held to. A file can be hand-edited or corrupt: the
// loader clamps every value into these (and says so in Timeline::warnings), so the arithmetic
// on a timeline cannot overflow and no chart is asked to span centuries.
inline constexpr qint64 kMaxSpanMs = 30LL * 24 * 3600 * 1000; // the longest recording
inline constexpr qint64 kMaxLeadMs = 3600LL * 1000;           // events kept from before the change
inline constexpr int kMaxCount = 100'000'000; // pods, answers or failures in one value

// Up to this many desired replicas, a recording keeps an event per pod for every routine step
// (created, scheduled, started, ready, terminating, gone, and the Kubernetes events of each
// pod); beyond, the recorder merges them into steps per ReplicaSet (TimelineRecorder), and
// `rollscope rollout` prints counts instead of a line per pod. Failures always keep their
// per-pod events.
inline constexpr int kPerPodEventsUpToReplicas = 20;

enum class Outcome
{
    Recording, // still running (an export made while recording)
    Complete,
    Failed,
    Timeout,
    Aborted, // stopped by the user, or the recording was cut off (see Timeline::interrupted)
};
// "recording", "complete", "failed", "timeout", "aborted".
QString outcomeId(Outcome outcome);
std::optional<Outcome> outcomeFromId(const QString &id);

enum class VerdictCode
{
    Recording,
    Success,        // complete without failed requests
    FailedRequests, // complete, but requests failed
    Failed,
    TimedOut,
    Aborted,
};
// "recording", "success", "failedRequests", "failed", "timeout", "aborted".
QString verdictCodeId(VerdictCode code);
std::optional<VerdictCode> verdictCodeFromId(const QString &id);
// The exit status of `rollscope rollout`: 0 success, 2 failed requests, 1 otherwise.
int exitCodeFor(VerdictCode code);

// "info", "warning", "error".
QString severityId(rollout::RolloutEvent::Severity severity);
rollout::RolloutEvent::Severity severityFromId(const QString &id);

// The change being rolled out: `kubectl set image deployment/NAME container=to`.
struct ChangeInfo
{
    QString container;
    QString from; // image before the change
    QString to;   // image after it
    // Who or what asked for it: the change-cause annotation ("rollscope set image ..."), or for
    // an observed rollout whatever the Deployment says.
    QString cause;
    QString requestedBy;   // "rollscope rollout" (headless), "Rollscope" (the window), ...
    bool observed = false; // already running when first seen: Rollscope did not apply it
    // What was asked for: "setImage", "rollback", "abort", "restart", "scale", "pause",
    // "resume"; "" for an observed change.
    QString action;

    bool operator==(const ChangeInfo &) const = default;
};

// The rolling-update strategy, with the two guarantees worked out for `replicas`.
struct StrategyInfo
{
    QString type = QStringLiteral("RollingUpdate");
    int replicas = 0;
    QString maxSurge;       // as written: "25%", "1"
    QString maxUnavailable; // as written
    int maxTotal = 0;       // replicas + maxSurge (rounded up)
    int minAvailable = 0;   // replicas - maxUnavailable (rounded down)
    int minReadySeconds = 0;
    int progressDeadlineSeconds = 0; // 0 = not set

    bool operator==(const StrategyInfo &) const = default;
};

// Where the traffic came from. Never holds a credential: URLs lose user info and query.
struct ProbeInfo
{
    bool enabled = false;
    QString kind;   // "loadBalancer", "nodePort", "serviceProxy", "url"
    QString target; // plain words, e.g. "LoadBalancer 127.0.1.18:80 of service demo-service"
    double ratePerSecond = 0;

    bool operator==(const ProbeInfo &) const = default;
};

struct PodCounts
{
    int total = 0;
    int ready = 0;
    int available = 0;
    int terminating = 0;

    bool operator==(const PodCounts &) const = default;
};

// One fixed interval. A sample at `tMs` covers (previous sample's tMs, tMs]; the first sample
// (t = 0) holds the state at the change and no traffic. The last one ends at the finish, so it
// can be shorter than the interval.
struct TimelineSample
{
    qint64 tMs = 0;
    // Pods per version id at the end of the interval. Empty when the tracker had not reported
    // pods yet.
    QMap<QString, PodCounts> pods;
    // Successful answers per version id ("unknown" when the answer could not be attributed).
    QMap<QString, int> responses;
    std::array<int, probe::kFailureClassCount> failures{};
    // Extremes within the interval, so that a peak shorter than the interval still counts:
    // most pods (all versions, terminating ones excluded, as the controller counts them) and
    // fewest available pods. -1 when no pods were known.
    int peakPods = -1;
    int lowAvailable = -1;
    // Time within the interval during which pods of at least two versions were ready.
    qint64 mixedReadyMs = 0;
    // The guarantees at the end of the interval (0 when unknown).
    int desired = 0;
    int maxTotal = 0;
    int minAvailable = 0;
    // Latency percentiles of the successful answers completed in the interval.
    std::optional<qint32> latencyP50Us;
    std::optional<qint32> latencyP90Us;
    std::optional<qint32> latencyP99Us;

    int failed() const;
    int answered() const;
    bool operator==(const TimelineSample &) const = default;
};

// Something that happened. `type` uses RolloutEvent's names (ImageChangeRequested, PodReady,
// FirstAnswer, FailureBurst, Outcome, ...).
struct TimelineEvent
{
    qint64 tMs = 0;
    QString type;
    QString message;
    QString object;    // "pod/demo-dp-6b5b87b666-f4rck", "deployment/demo-dp", or ""
    QString versionId; // "" when no version is concerned
    rollout::RolloutEvent::Severity severity = rollout::RolloutEvent::Severity::Info;
    // Failure bursts: how long the burst lasted and how many requests failed in it. Steps (routine
    // per-pod events of one ReplicaSet merged by the recorder, see TimelineRecorder): from the
    // first pod's event to the last one's, and how many per-pod events were merged.
    qint64 durationMs = 0;
    int count = 0;
    // Requested events (an action Rollscope performed): who, from, to and the API's answer.
    std::optional<rollout::RequestInfo> request;

    bool operator==(const TimelineEvent &) const = default;
};

// When a version answered for the first and the last time (successful answers only).
struct AnswerSpan
{
    qint64 firstMs = 0;
    qint64 lastMs = 0;
    bool operator==(const AnswerSpan &) const = default;
};

struct Summary
{
    qint64 durationMs = 0;
    // From the change until the first pod of the new version was ready.
    std::optional<qint64> firstNewReadyMs;
    // Both old and new versions answered (overlap of their first..last answers).
    qint64 mixedAnsweringMs = 0;
    // Pods of at least two versions were ready at once.
    qint64 mixedReadyMs = 0;
    // Observed extremes vs the strategy's guarantees (-1: no pods known).
    int maxPods = -1;
    int maxPodsAllowed = 0; // replicas + maxSurge
    int minAvailable = -1;
    int minAvailableRequired = 0; // replicas - maxUnavailable
    qint64 requests = 0;
    qint64 failedRequests = 0;
    QMap<QString, qint64> responsesByVersion; // by version id
    std::array<qint64, probe::kFailureClassCount> failedByClass{};
    int failureBursts = 0;
    VerdictCode verdictCode = VerdictCode::Recording;
    QString verdict; // plain words, translated

    bool maxPodsExceeded() const { return maxPodsAllowed > 0 && maxPods > maxPodsAllowed; }
    bool minAvailableViolated() const
    {
        return minAvailable >= 0 && minAvailable < minAvailableRequired;
    }
    bool operator==(const Summary &) const = default;
};

struct Timeline
{
    QString ns;
    QString name;
    QString context; // kubeconfig context name, informative only
    ChangeInfo change;
    qint64 startedAtMs = 0;
    qint64 finishedAtMs = 0; // 0 while recording
    Outcome outcome = Outcome::Recording;
    QString outcomeReason;    // Failed: ProgressDeadlineExceeded, CrashLoopBackOff, ...
    QString outcomeMessage;   // plain words
    bool interrupted = false; // loaded from a recording that was cut off
    // What the loader found wrong with the file (out-of-range values it clamped or left out),
    // one sentence each, naming the field: "samples[12].t: 1e308 is outside ...". Not saved.
    QStringList warnings;
    qint32 sampleIntervalMs = 500;
    StrategyInfo strategy;
    ProbeInfo probe;
    QList<rollout::VersionInfo> versions; // oldest first
    QMap<QString, AnswerSpan> answers;    // by version id
    QList<TimelineSample> samples;        // by tMs
    QList<TimelineEvent> events;          // by tMs, stable
    Summary summary;

    // The key a version has in exports: its label (unique within a rollout), else the id.
    QString versionLabel(const QString &versionId) const;
    const rollout::VersionInfo *version(const QString &versionId) const;
    // Ids of the versions the rollout moves to (isNew) and away from, oldest first.
    QStringList newVersionIds() const;
    QStringList oldVersionIds() const;
    // Version ids in a stable order for columns and legends: versions() first, then any other
    // id that appears in the samples ("unknown" last).
    QStringList versionOrder() const;
    qint64 durationMs() const;

    // Inserts keeping events ordered by time (equal times keep arrival order).
    void insertEvent(const TimelineEvent &event);
    // Every text field with each of `secrets` replaced by "[redacted]" (exports must never hold
    // a credential or a local path, even one that reached a message by accident).
    Timeline redacted(const QStringList &secrets) const;

    bool operator==(const Timeline &) const = default;
};

// The traffic of one stretch of the recording, for charts that draw rates. A stretch is a
// sample's interval (previous sample's tMs, tMs], except that an interval shorter than the
// sample interval (the last one, which ends at the outcome) is merged into the one before: one
// answer in its 34 ms would otherwise read as 29/s against a probe rate of 20/s. Rates are
// always the counts over the stretch's real length, so no rate exceeds the probe rate by more
// than one request per sample interval.
struct TrafficInterval
{
    qint64 startMs = 0;
    qint64 endMs = 0;
    QMap<QString, qint64> responses; // successful answers per version id
    qint64 failed = 0;

    double seconds() const { return double(std::max<qint64>(endMs - startMs, 1)) / 1000.0; }
    double responseRate(const QString &versionId) const
    {
        return double(responses.value(versionId)) / seconds();
    }
    double failedRate() const { return double(failed) / seconds(); }
    // Answers and failures per second together.
    double requestRate() const;
    bool operator==(const TrafficInterval &) const = default;
};
// The stretches of `timeline`'s samples after the first (which covers no time), in time order.
QList<TrafficInterval> trafficIntervals(const Timeline &timeline);

// Derives the summary and verdict from a timeline's samples, events, answers and outcome. Pure:
// the recorder, the loader (after a cut-off) and tests get the same numbers.
Summary computeSummary(const Timeline &timeline);

// Plain words for the verdict: "complete without failures", "complete with 3 failed
// requests", "failed: ProgressDeadlineExceeded", "timed out", "aborted".
class TimelineText
{
    Q_DECLARE_TR_FUNCTIONS(Timeline)
public:
    static QString verdict(VerdictCode code, qint64 failedRequests, const QString &reason,
                           bool interrupted);
    // The change in a few words, the repository said once when both images share it:
    // "bebullish/demo:v1 → v2"; just the new image when the old one is not known.
    static QString change(const QString &from, const QString &to);
};

// Seconds with millisecond precision and no trailing zeros: 1500 -> "1.5", 2000 -> "2".
QString formatSeconds(qint64 ms);
// A number with at most `decimals` decimals, trailing zeros dropped, "." as decimal point.
QString formatDecimal(double value, int decimals);

} // namespace rollscope::timeline

Q_DECLARE_METATYPE(rollscope::timeline::TimelineSample)
Q_DECLARE_METATYPE(rollscope::timeline::TimelineEvent)
Q_DECLARE_METATYPE(rollscope::timeline::Timeline)
