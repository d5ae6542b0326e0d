// SPDX-License-Identifier: MIT
#include "podsampler.h"

#include "rollout/statusrules.h"

#include <QDateTime>

#include <algorithm>

namespace rollscope::rollout {

using kube::PodInfo;

namespace {

// Compaction runs again after about a minute of periodic samples.
qsizetype compactionStep(const TrackerOptions &options)
{
    return std::max(1, 60'000 / std::max(1, options.sampleIntervalMs));
}

} // namespace

// --- PodExtremes ---------------------------------------------------------------------------------

PodExtremes::PodExtremes(QString deploymentName)
    : m_deploymentName(std::move(deploymentName))
{}

void PodExtremes::apply(const PodInfo *before, const PodInfo *after)
{
    // Pods are counted as the pod watch delivers them, by the name of the ReplicaSet that owns
    // them (a Deployment's ReplicaSets are "<deployment>-<pod-template-hash>"): the ReplicaSet
    // watch is a separate stream and may lag, and a pod must not drop out of the count meanwhile.
    auto add = [this](const PodInfo *pod, int sign) {
        if (!pod || pod->isTerminating() || isTerminalPod(*pod))
            return;
        if (pod->ownerKind != u"ReplicaSet" || pod->podTemplateHash.isEmpty() ||
            pod->ownerName != m_deploymentName + u'-' + pod->podTemplateHash)
            return;
        m_total += sign;
        if (pod->ready)
            m_available += sign;
    };
    add(before, -1);
    add(after, +1);
    m_peakTotal = std::max(m_peakTotal, m_total);
    m_lowAvailable = m_lowAvailable < 0 ? m_available : std::min(m_lowAvailable, m_available);
}

void PodExtremes::reset()
{
    m_peakTotal = m_total;
    m_lowAvailable = m_available;
}

// --- the rules -----------------------------------------------------------------------------------

qint64 changeSampleDelay(std::optional<qint64> sinceLastSampleMs, int minSpacingMs)
{
    if (!sinceLastSampleMs)
        return 0;
    return std::max<qint64>(0, minSpacingMs - *sinceLastSampleMs);
}

PodCountSample makeSample(qint64 timeMs, const SampleInput &input, const PodExtremes &extremes)
{
    PodCountSample sample;
    sample.timeMs = timeMs;
    sample.versions = input.counts;
    sample.desired = input.desired;
    sample.maxTotal = input.maxTotal;
    sample.minAvailable = input.minAvailable;
    int available = 0;
    int total = 0;
    for (const VersionPods &v : input.counts) {
        available += v.available;
        total += v.total;
    }
    sample.peakTotal = std::max(total, extremes.peakTotal());
    const int low = extremes.lowAvailable();
    sample.lowAvailable =
        input.availabilityLags ? -1 : (low < 0 ? available : std::min(available, low));
    return sample;
}

QList<PodCountSample> compactSamples(const QList<PodCountSample> &samples,
                                     const TrackerOptions &options)
{
    if (samples.isEmpty())
        return samples;
    const qint64 cutoff = samples.last().timeMs - options.fullResolutionMs;
    // Change samples come at most every minSampleSpacingMs: a bound even if time stood still.
    const qsizetype hardCap =
        std::max(0, options.maxArchivedSamples) +
        qsizetype(options.fullResolutionMs / std::max(1, options.minSampleSpacingMs));
    if (samples.first().timeMs >= cutoff && samples.size() <= hardCap)
        return samples;
    QList<PodCountSample> kept;
    kept.reserve(samples.size());
    qsizetype i = 0;
    std::optional<qint64> lastArchived;
    for (; i < samples.size() && samples.at(i).timeMs < cutoff; ++i) {
        const qint64 t = samples.at(i).timeMs;
        if (!lastArchived || t - *lastArchived >= options.archiveSpacingMs) {
            kept.append(samples.at(i));
            lastArchived = t;
        }
    }
    if (kept.size() > options.maxArchivedSamples)
        kept.remove(0, kept.size() - std::max(0, options.maxArchivedSamples));
    for (; i < samples.size(); ++i)
        kept.append(samples.at(i));
    if (kept.size() > hardCap)
        kept.remove(0, kept.size() - hardCap);
    return kept;
}

// --- PodSampler ----------------------------------------------------------------------------------

PodSampler::PodSampler(QString deploymentName, QObject *parent)
    : QObject(parent)
    , m_extremes(std::move(deploymentName))
{
    m_elapsed.start();
    m_sampleTimer.setInterval(m_options.sampleIntervalMs);
    connect(&m_sampleTimer, &QTimer::timeout, this, [this] { takeFromSource(false); });
    m_changeSampleTimer.setSingleShot(true);
    connect(&m_changeSampleTimer, &QTimer::timeout, this, [this] { takeFromSource(true); });
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &PodSampler::emitBatch);
    m_compactAt = 2 * compactionStep(m_options);
}

void PodSampler::setOptions(const TrackerOptions &options)
{
    m_options = options;
    m_sampleTimer.setInterval(std::max(1, m_options.sampleIntervalMs));
    m_compactAt = m_samples.size() + compactionStep(m_options);
}

void PodSampler::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

void PodSampler::setMonotonicClock(Clock clock)
{
    m_monotonic = std::move(clock);
}

void PodSampler::setSource(Source source)
{
    m_source = std::move(source);
}

qint64 PodSampler::wallNow() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

qint64 PodSampler::monotonicNow() const
{
    return m_monotonic ? m_monotonic() : m_elapsed.elapsed();
}

void PodSampler::start()
{
    if (m_running)
        return;
    m_running = true;
    m_sampleTimer.start(std::max(1, m_options.sampleIntervalMs));
}

void PodSampler::stop()
{
    m_running = false;
    m_sampleTimer.stop();
    m_changeSampleTimer.stop();
    m_batchTimer.stop();
}

void PodSampler::tally(const PodInfo *before, const PodInfo *after)
{
    m_extremes.apply(before, after);
}

void PodSampler::resetExtremes()
{
    m_extremes.reset();
}

qint64 PodSampler::changeSampleDelayNow() const
{
    const std::optional<qint64> since =
        m_lastSampleMono ? std::optional<qint64>(monotonicNow() - *m_lastSampleMono) : std::nullopt;
    return changeSampleDelay(since, m_options.minSampleSpacingMs);
}

void PodSampler::countsChanged()
{
    m_changePending = true;
    if (!m_running || m_changeSampleTimer.isActive())
        return;
    m_changeSampleTimer.start(int(changeSampleDelayNow()));
}

void PodSampler::takeFromSource(bool onlyIfChanged)
{
    // The source brings the counts up to date first, which may itself ask for a change sample:
    // the sample taken here answers that too.
    const std::optional<SampleInput> input = m_source ? m_source() : std::nullopt;
    if (input && (!onlyIfChanged || m_changePending))
        append(wallNow(), *input);
}

void PodSampler::append(qint64 timeMs, const SampleInput &input)
{
    if (!m_samples.isEmpty())
        timeMs = std::max(timeMs, m_samples.last().timeMs); // the chart needs time order
    const PodCountSample sample = makeSample(timeMs, input, m_extremes);
    m_extremes.reset();
    m_samples.append(sample);
    m_batch.append(sample);
    m_changePending = false;
    m_changeSampleTimer.stop();
    m_lastSampleMono = monotonicNow();
    if (m_samples.size() >= m_compactAt) {
        m_samples = compactSamples(m_samples, m_options);
        m_compactAt = m_samples.size() + compactionStep(m_options);
    }
    if (m_running && !m_batchTimer.isActive())
        m_batchTimer.start(std::max(0, m_options.batchIntervalMs));
}

void PodSampler::emitBatch()
{
    m_batchTimer.stop();
    if (m_batch.isEmpty())
        return;
    const QList<PodCountSample> batch = std::exchange(m_batch, {});
    emit samplesAppended(batch);
}

} // namespace rollscope::rollout
