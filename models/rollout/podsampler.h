// SPDX-License-Identifier: MIT
#pragma once

// The pods-by-version samples of a tracked Deployment (see RolloutTracker's header comment,
// "Samples"): one every sampleIntervalMs while live, one more when the pod counts change but at
// most one per minSampleSpacingMs, handed out in batches at most every batchIntervalMs, thinned
// and bounded as they age. Each sample also carries the extremes the pods went through since the
// previous one (PodExtremes), because samples are spaced and watch events are not.
//
// The rules are pure functions (changeSampleDelay, makeSample, compactSamples) and PodExtremes
// is a plain value, so tests check them without timers. PodSampler puts them on timers; its
// clocks can be replaced, so the spacing and the compaction can be tested with a fake clock.

#include "kube/resources.h"
#include "rollout/rollouttypes.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

namespace rollscope::rollout {

struct TrackerOptions
{
    int sampleIntervalMs = 500;
    int minSampleSpacingMs = 100;
    int batchIntervalMs = 200;
    qint64 fullResolutionMs = 2LL * 60 * 60 * 1000;
    qint64 archiveSpacingMs = 60 * 1000;
    int maxArchivedSamples = 24 * 60;
    int maxRecordedEvents = 10000;
    // The longest a Complete outcome waits for an old ReplicaSet's scale-down to arrive on the
    // ReplicaSet watch (rollouttracker.h, "Rollouts and the outcome").
    int outcomeWaitMs = 5000;
};

// What a sample shows besides the extremes: the pods per version and the strategy's bounds now.
struct SampleInput
{
    QList<VersionPods> counts;
    int desired = 0;
    int maxTotal = 0;
    int minAvailable = 0;
    // minReadySeconds: only the ReplicaSet controller knows availability, no low point then.
    bool availabilityLags = false;
};

// Pods of the Deployment as each pod watch event leaves them, and their extremes since the last
// reset (PodCountSample::lowAvailable/peakTotal).
class PodExtremes
{
public:
    explicit PodExtremes(QString deploymentName = {});

    // One pod event: `before` as it was known (null when new), `after` as it is (null when gone).
    void apply(const kube::PodInfo *before, const kube::PodInfo *after);
    // The extremes start again from the pods as they are now.
    void reset();

    int total() const { return m_total; }
    int available() const { return m_available; }
    // -1 until the first apply() or reset().
    int lowAvailable() const { return m_lowAvailable; }
    int peakTotal() const { return m_peakTotal; }

private:
    QString m_deploymentName;
    int m_total = 0;
    int m_available = 0;
    int m_lowAvailable = -1;
    int m_peakTotal = -1;
};

// How long a change sample waits: the rest of minSpacingMs since the last sample (none: at once).
qint64 changeSampleDelay(std::optional<qint64> sinceLastSampleMs, int minSpacingMs);
// A sample at `timeMs` of `input`, with the extremes `extremes` went through.
PodCountSample makeSample(qint64 timeMs, const SampleInput &input, const PodExtremes &extremes);
// Samples older than fullResolutionMs before the last one thinned to one per archiveSpacingMs, at
// most maxArchivedSamples of them; and never more than a hard cap of samples in all, should time
// stand still. The list is in time order and is returned unchanged when nothing is due.
QList<PodCountSample> compactSamples(const QList<PodCountSample> &samples,
                                     const TrackerOptions &options);

class PodSampler : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>;
    // Brings the pod counts up to date and returns them, or nullopt while no sample may be taken
    // (not live yet). Called right before a timer takes a sample.
    using Source = std::function<std::optional<SampleInput>()>;

    explicit PodSampler(QString deploymentName, QObject *parent = nullptr);

    void setOptions(const TrackerOptions &options);
    const TrackerOptions &options() const { return m_options; }
    // The time samples carry (wall-clock milliseconds).
    void setClock(Clock clock);
    // The time the spacing of change samples is measured in (a QElapsedTimer by default).
    void setMonotonicClock(Clock clock);
    void setSource(Source source);

    // The periodic sample and the batches run only between start() and stop(); stop() leaves the
    // pending batch to emitBatch().
    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // A pod event, for the extremes; see PodExtremes.
    void tally(const kube::PodInfo *before, const kube::PodInfo *after);
    void resetExtremes();
    const PodExtremes &extremes() const { return m_extremes; }

    // The pod counts changed: a change sample is due, after the spacing.
    void countsChanged();
    bool changePending() const { return m_changePending; }
    // How long the pending change sample waits now (see changeSampleDelay()).
    qint64 changeSampleDelayNow() const;

    // Takes a sample at `timeMs` (not before the last one) and queues it for the next batch.
    void append(qint64 timeMs, const SampleInput &input);
    // Emits the queued samples now, if any.
    void emitBatch();

    QList<PodCountSample> samples() const { return m_samples; }

signals:
    void samplesAppended(const QList<rollscope::rollout::PodCountSample> &samples);

private:
    qint64 wallNow() const;
    qint64 monotonicNow() const;
    void takeFromSource(bool onlyIfChanged);

    TrackerOptions m_options;
    Clock m_clock;
    Clock m_monotonic;
    Source m_source;
    bool m_running = false;
    bool m_changePending = false;
    QTimer m_sampleTimer;
    QTimer m_changeSampleTimer;
    QTimer m_batchTimer;
    QElapsedTimer m_elapsed;
    std::optional<qint64> m_lastSampleMono;
    PodExtremes m_extremes;
    QList<PodCountSample> m_samples;
    QList<PodCountSample> m_batch;
    qsizetype m_compactAt = 0;
};

} // namespace rollscope::rollout
