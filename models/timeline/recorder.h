// SPDX-License-Identifier: MIT
#pragma once

// TimelineRecorder: turns what the rollout tracker and the traffic prober report into one
// Timeline, and autosaves it as it grows.
//
// Inputs are values with wall-clock times (rollouttypes.h, probetypes.h); tick(now) moves the
// recording on. Everything is deterministic given the inputs and the tick times, so tests feed
// recorded sequences and compare the result.
//
// How samples are made (one per `sampleIntervalMs`, t = end of the interval):
// - probe results are counted in the interval in which the request *started*, so a burst of
//   errors lines up with the pod change that caused it. An interval is closed only when the
//   prober's buckets say every request started in it has ended and been attributed (the
//   bucket "watermark"), and at least `lateGraceMs` after its end; without buckets the wall
//   clock minus the grace is the watermark. A stalled prober holds samples back at most
//   `maxLagMs`. A result for an interval already closed counts in the oldest open one.
// - pod counts are the state at the end of the interval, plus the peak of pods, the low of
//   available pods and the time with two versions ready within it (PodCountSamples are applied
//   in time order).
// Derived events: FirstAnswer (first successful answer of each version), LastAnswer (at the
// finish, for each version that is not the rollout's target), FailureBurst (failed requests no
// more than `burstGapMs` apart, reported when the burst is over, at its start time) and
// Outcome. The recorder owns the outcome: an Outcome event from the tracker is ignored.
//
// Steps: when the Deployment wants more than kPerPodEventsUpToReplicas replicas (timeline.h),
// routine per-pod events are merged per ReplicaSet, so that a rollout of 2000 pods records a
// few hundred events rather than twenty thousand. Merged are info events of the types PodCreated,
// PodScheduled, PodStarted, PodReady, PodTerminating and PodGone, and Kubernetes events (type
// Normal) of a pod or a ReplicaSet's SuccessfulCreate/SuccessfulDelete, of a known version.
// Events of one type (one reason for Kubernetes events) and one version make one step per
// sample: the events the sample's pods reflect and the previous sample's did not, i.e. those
// before the tracker's last pod count the sample holds (the tracker counts pods a little after
// their events; when it reported none, or none for an interval, the interval's end or start).
// A step is at its first event's time, durationMs to the last one, `count` events, the
// ReplicaSet as object, with a message that says how many pods of which version and, where
// the samples know it, where the version's pods stand in that sample (so the totals read in
// the steps are the samples'). It is recorded once, final, when its sample is made: the
// signals, the autosave log and a loader of a cut-off recording see exactly what the recorder
// holds, and nothing recorded ever changes. A step of one event is recorded as that event,
// unchanged. Warnings, errors, requests, conditions, ReplicaSet events and the derived events
// are never merged, nor an event that arrives after its step was recorded.

#include "timeline/autosave.h"
#include "timeline/timeline.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QSet>

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

class QTimer;

namespace rollscope::timeline {

struct RecorderOptions
{
    qint32 sampleIntervalMs = 500;
    qint32 lateGraceMs = 300;
    qint32 maxLagMs = 10'000;
    qint32 burstGapMs = 1000;
    // Autosave lines are handed to the writer thread this often (a kill loses at most this).
    qint32 flushIntervalMs = 1000;
    // tick() on a timer with the wall clock; tests turn it off and tick by hand.
    bool autoTick = true;
    qint32 tickIntervalMs = 100;
    // "" = no autosave. TimelineRecorder::autosavePathFor() gives the usual place.
    QString autosavePath;
    // Events this long before t = 0 are kept (with negative t): useful when watching a rollout
    // that is already running; a rollout Rollscope starts wants none of the older history.
    qint64 keepEventsBeforeMs = 0;
    // Beyond this many desired replicas, routine per-pod events become per-ReplicaSet steps (see
    // the header comment); `rollscope rollout -v` keeps every pod's events.
    int perPodEventsUpToReplicas = kPerPodEventsUpToReplicas;
};

struct RecordingStart
{
    QString ns;
    QString name;
    QString context;
    ChangeInfo change;
    qint64 startedAtMs = 0; // t = 0, wall clock
    StrategyInfo strategy;
    ProbeInfo probe;
    QList<rollout::VersionInfo> versions;
    // The pods at t = 0, when known.
    std::optional<rollout::PodCountSample> pods;
};

class TimelineRecorder : public QObject
{
    Q_OBJECT

public:
    explicit TimelineRecorder(RecorderOptions options = {}, QObject *parent = nullptr);
    ~TimelineRecorder() override;

    const RecorderOptions &options() const { return m_options; }

    void start(const RecordingStart &start);
    bool isRecording() const { return m_recording; }
    // Events derived from the traffic (first and last answers, failure bursts) and steps are
    // final before this time (ms from t = 0): answers up to it have been processed, an open
    // failure burst is recorded, at its start, only once it ends, and an open step, at its first
    // event's time, once its interval is closed. An event recorded later is not earlier.
    qint64 derivedEventsFinalBeforeMs() const;
    bool isFinished() const { return m_finished; }
    // Answers to requests started before this time (ms from t = 0) have been counted.
    qint64 processedUntilMs() const { return m_processedUntilRel; }

    // A snapshot with the summary so far.
    Timeline timeline() const;
    QString autosavePath() const { return m_options.autosavePath; }

    // The usual autosave file: <AppDataLocation>/timelines/<start>-<namespace>-<name>.jsonl, with a
    // suffix (-2, -3...) when the name is taken: by a file, or by a path this process handed out
    // before (its file is created later, on the autosave thread). Each call hands out a new path.
    static QString autosaveDirectory();
    static QString autosavePathFor(const QString &ns, const QString &name, qint64 startedAtMs);

    // Inputs (connect the tracker's and the prober's signals here).
    void setVersions(const QList<rollscope::rollout::VersionInfo> &versions);
    void addPodCounts(const QList<rollscope::rollout::PodCountSample> &samples);
    void addEvent(const rollscope::rollout::RolloutEvent &event);
    void setStatus(const rollscope::rollout::RolloutStatus &status);
    void setStrategy(const rollscope::timeline::StrategyInfo &strategy);
    void setProbe(const rollscope::timeline::ProbeInfo &probe);
    void addProbeResults(const QList<rollscope::probe::ProbeResult> &results);
    void addProbeBuckets(const QList<rollscope::probe::ProbeBucket> &buckets);

    // Closes the intervals that are complete at wall-clock `nowMs`.
    void tick(qint64 nowMs);
    // Ends the recording: everything pending is counted, the last sample ends at `nowMs`;
    // results of requests started after `nowMs` (reported while the prober drains) are not.
    // `reason` is the short cause for Failed ("ProgressDeadlineExceeded"), `message` plain words.
    void finish(rollscope::timeline::Outcome outcome, const QString &reason, const QString &message,
                qint64 nowMs);

    // Hands the lines recorded so far to the writer now rather than at the next second.
    void flushAutosave();

    // The last status the tracker reported (for the verdict "failed: reason").
    const rollout::RolloutStatus &status() const { return m_status; }

signals:
    void sampleRecorded(const rollscope::timeline::TimelineSample &sample);
    void eventRecorded(const rollscope::timeline::TimelineEvent &event);
    void finished(const rollscope::timeline::Timeline &timeline);
    void autosaveFailed(const QString &message);
    // The autosave file is complete and closed (after finished()).
    void autosaveClosed(const QString &path);

private:
    struct PodState
    {
        bool known = false;
        QMap<QString, PodCounts> pods;
        int desired = 0;
        int maxTotal = 0;
        int minAvailable = 0;

        int total() const;
        int available() const;
        bool mixedReady() const;
    };
    struct Interval
    {
        QMap<QString, int> responses;
        std::array<int, probe::kFailureClassCount> failures{};
        std::vector<qint32> latencies;
    };
    struct Burst
    {
        qint64 startMs = 0;
        qint64 lastFailureMs = 0;
        int failed = 0;
        int requests = 0;   // from the first to the last failure
        int trailingOk = 0; // answers after the last failure, counted if another one follows
        std::array<int, probe::kFailureClassCount> byClass{};
        QString otherError; // the first "other" failure's own words: the class alone says little
    };

    // Routine per-pod events of one kind and version, merged (see the header comment).
    struct Step
    {
        QString key;                 // type, reason and version id
        QString reason;              // Kubernetes events: the reason ("Scheduled")
        QString object;              // "replicaset/NAME"
        QList<TimelineEvent> events; // not recorded yet
    };

    qint64 rel(qint64 wallMs) const { return wallMs - m_timeline.startedAtMs; }
    bool mergeIntoStep(const TimelineEvent &event);
    // Records, for each open step, its events before `beforeRel` as one step with the pods
    // `sample` holds; later ones stay open.
    void closeSteps(qint64 beforeRel, const TimelineSample &sample);
    TimelineEvent stepEvent(const Step &step, const QList<TimelineEvent> &events,
                            const TimelineSample &sample) const;
    qint64 intervalIndex(qint64 relMs) const;
    void processResults(qint64 untilRel, bool all);
    void process(const probe::ProbeResult &result);
    void closeInterval(qint64 endRel, bool last);
    void applyPodsUntil(qint64 relMs, bool inclusive);
    void applyPods(const rollout::PodCountSample &sample, qint64 atRel);
    void accountPodsTo(qint64 relMs);
    void resetIntervalExtremes();
    void closeBurst();
    void record(const TimelineEvent &event);
    void log(const QByteArray &line);
    TimelineEvent derivedEvent(qint64 tMs, const QString &type, const QString &message,
                               const QString &object, const QString &versionId,
                               rollout::RolloutEvent::Severity severity) const;

    RecorderOptions m_options;
    Timeline m_timeline;
    rollout::RolloutStatus m_status;
    bool m_recording = false;
    bool m_finished = false;

    // Samples.
    qint64 m_nextIndex = 0; // the next interval to close; 0 is the t = 0 snapshot
    QMap<qint64, Interval> m_intervals;
    qint64 m_bucketWatermarkRel = 0;
    qint64 m_processedUntilRel = 0; // answers started before this are processed
    bool m_haveBuckets = false;
    QList<probe::ProbeResult> m_pendingResults;   // not processed yet, by start
    QList<rollout::PodCountSample> m_pendingPods; // not applied yet, by time
    PodState m_pods;
    qint64 m_podsSinceRel = 0; // m_pods holds from then and is accounted up to then
    int m_peakPods = -1;
    int m_lowAvailable = -1;
    qint64 m_mixedReadyMs = 0;

    // Derived events.
    QMap<QString, QString> m_lastPod; // version id -> pod of its latest answer
    std::optional<Burst> m_burst;
    QList<Step> m_steps; // open, in the order of their first events
    // Steps hold the events before this time (ms from t = 0) no more: a later one of that
    // time is recorded as it came.
    qint64 m_stepsClosedBeforeRel = std::numeric_limits<qint64>::min();
    qint64 m_lastPodSampleRel = std::numeric_limits<qint64>::min(); // of the pods applied

    // Autosave.
    AutosaveWriter *m_writer = nullptr;
    QByteArray m_unflushed;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_tickTimer = nullptr;
};

class RecorderText
{
    Q_DECLARE_TR_FUNCTIONS(TimelineRecorder)
};

} // namespace rollscope::timeline
