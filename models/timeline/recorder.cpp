// SPDX-License-Identifier: MIT
#include "timeline/recorder.h"

#include "timeline/timelinejson.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMutex>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rollscope::timeline {

using Severity = rollout::RolloutEvent::Severity;

namespace {

const QString &unknownVersion()
{
    static const QString id = QLatin1StringView(probe::kUnknownVersion);
    return id;
}

// Nearest rank: the smallest value with at least q of the samples at or below it.
qint32 percentile(const std::vector<qint32> &sorted, double q)
{
    if (sorted.empty())
        return 0;
    const auto n = sorted.size();
    auto rank = size_t(std::ceil(q * double(n)));
    rank = std::clamp<size_t>(rank, 1, n);
    return sorted[rank - 1];
}

// Routine per-pod events that steps merge (besides Kubernetes events).
bool stepType(const QString &type)
{
    static const QStringList types{QStringLiteral("PodCreated"),     QStringLiteral("PodScheduled"),
                                   QStringLiteral("PodStarted"),     QStringLiteral("PodReady"),
                                   QStringLiteral("PodTerminating"), QStringLiteral("PodGone")};
    return types.contains(type);
}

// The reason of a Kubernetes event as the tracker words it: "Scheduled: Successfully assigned
// ...". Kubernetes reasons are one CamelCase word; anything else gives "" (not merged).
QString kubernetesEventReason(const QString &message)
{
    static const QRegularExpression reason(
        QStringLiteral("^([A-Za-z][A-Za-z0-9]{0,127})\\s*[:\\x{FF1A}]"));
    const QRegularExpressionMatch match = reason.match(message);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

int TimelineRecorder::PodState::total() const
{
    int n = 0;
    for (const PodCounts &p : pods)
        n += p.total;
    return n;
}

int TimelineRecorder::PodState::available() const
{
    int n = 0;
    for (const PodCounts &p : pods)
        n += p.available;
    return n;
}

bool TimelineRecorder::PodState::mixedReady() const
{
    int versions = 0;
    for (const PodCounts &p : pods) {
        if (p.ready > 0)
            ++versions;
    }
    return versions >= 2;
}

TimelineRecorder::TimelineRecorder(RecorderOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
    m_options.sampleIntervalMs = std::max<qint32>(50, m_options.sampleIntervalMs);
    m_options.lateGraceMs = std::max<qint32>(0, m_options.lateGraceMs);
    m_options.maxLagMs = std::max(m_options.maxLagMs, m_options.lateGraceMs);
}

TimelineRecorder::~TimelineRecorder()
{
    // An unfinished recording keeps what it has; the loader shows it as interrupted.
    flushAutosave();
}

QString TimelineRecorder::autosaveDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/timelines");
}

QString TimelineRecorder::autosavePathFor(const QString &ns, const QString &name,
                                          qint64 startedAtMs)
{
    // Kubernetes names are DNS labels already; the filter only guards against surprises.
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    QString safeNs = ns;
    QString safeName = name;
    safeNs.replace(unsafe, QStringLiteral("_"));
    safeName.replace(unsafe, QStringLiteral("_"));
    // Milliseconds in the name, and a suffix when taken: two recordings started in the same
    // millisecond (a scale, then an update sent in the same event-loop pass) must never share a
    // file. The first one's file may not exist yet (the autosave thread creates it: under load it
    // had not when the second name was chosen, and both recordings wrote one file), so what was
    // handed out counts as taken too.
    static QMutex mutex;
    static QSet<QString> handedOut;
    const QString stamp = QDateTime::fromMSecsSinceEpoch(startedAtMs, Qt::UTC)
                              .toString(QStringLiteral("yyyyMMdd-HHmmss.zzz"));
    const QString base = autosaveDirectory() + u'/' + stamp + u'-' + safeNs + u'-' + safeName;
    const QMutexLocker lock(&mutex);
    QString path = base + QStringLiteral(".jsonl");
    for (int n = 2; (handedOut.contains(path) || QFileInfo::exists(path)) && n < 1000; ++n)
        path = base + u'-' + QString::number(n) + QStringLiteral(".jsonl");
    handedOut.insert(path);
    return path;
}

void TimelineRecorder::start(const RecordingStart &start)
{
    // One recorder records one rollout: its autosave file and timers belong to that recording.
    if (m_recording || m_finished) {
        qWarning("TimelineRecorder::start: already used for a recording");
        return;
    }
    m_timeline = Timeline();
    m_timeline.ns = start.ns;
    m_timeline.name = start.name;
    m_timeline.context = start.context;
    m_timeline.change = start.change;
    m_timeline.startedAtMs = start.startedAtMs;
    m_timeline.sampleIntervalMs = m_options.sampleIntervalMs;
    m_timeline.strategy = start.strategy;
    m_timeline.probe = start.probe;
    m_timeline.versions = start.versions;
    m_recording = true;
    m_finished = false;
    m_nextIndex = 0;
    m_intervals.clear();
    m_pendingResults.clear();
    m_pendingPods.clear();
    m_pods = {};
    m_podsSinceRel = 0;
    m_haveBuckets = false;
    m_bucketWatermarkRel = 0;
    m_burst.reset();
    m_lastPod.clear();
    m_steps.clear();
    m_stepsClosedBeforeRel = std::numeric_limits<qint64>::min();
    m_lastPodSampleRel = std::numeric_limits<qint64>::min();
    resetIntervalExtremes();
    if (start.pods) {
        rollout::PodCountSample pods = *start.pods;
        pods.timeMs = std::min(pods.timeMs, start.startedAtMs);
        m_pendingPods << pods;
    }

    if (!m_options.autosavePath.isEmpty()) {
        m_writer = new AutosaveWriter(this);
        connect(m_writer, &AutosaveWriter::failed, this, &TimelineRecorder::autosaveFailed);
        connect(m_writer, &AutosaveWriter::closed, this, &TimelineRecorder::autosaveClosed);
        m_writer->open(m_options.autosavePath);
        log(TimelineJson::headerRecord(m_timeline));
        for (const rollout::VersionInfo &v : std::as_const(m_timeline.versions))
            log(TimelineJson::versionRecord(v, std::nullopt));
        flushAutosave();
        m_flushTimer = new QTimer(this);
        connect(m_flushTimer, &QTimer::timeout, this, &TimelineRecorder::flushAutosave);
        m_flushTimer->start(m_options.flushIntervalMs);
    }
    if (m_options.autoTick) {
        m_tickTimer = new QTimer(this);
        connect(m_tickTimer, &QTimer::timeout, this,
                [this] { tick(QDateTime::currentMSecsSinceEpoch()); });
        m_tickTimer->start(m_options.tickIntervalMs);
    }
}

Timeline TimelineRecorder::timeline() const
{
    Timeline t = m_timeline;
    if (!m_finished)
        t.summary = computeSummary(t);
    return t;
}

void TimelineRecorder::setVersions(const QList<rollout::VersionInfo> &versions)
{
    if (!m_recording)
        return;
    for (const rollout::VersionInfo &v : versions) {
        const auto it = std::find_if(m_timeline.versions.begin(), m_timeline.versions.end(),
                                     [&v](const rollout::VersionInfo &o) { return o.id == v.id; });
        if (it == m_timeline.versions.end())
            m_timeline.versions << v;
        else if (*it == v)
            continue;
        else
            *it = v;
        log(TimelineJson::versionRecord(v, std::nullopt));
    }
}

void TimelineRecorder::addPodCounts(const QList<rollout::PodCountSample> &samples)
{
    if (!m_recording || samples.isEmpty())
        return;
    m_pendingPods << samples;
    std::stable_sort(m_pendingPods.begin(), m_pendingPods.end(),
                     [](const rollout::PodCountSample &a, const rollout::PodCountSample &b) {
                         return a.timeMs < b.timeMs;
                     });
}

void TimelineRecorder::addEvent(const rollout::RolloutEvent &event)
{
    if (!m_recording)
        return;
    // The recorder decides the outcome (it also knows timeouts and aborts).
    if (event.type == QLatin1StringView("Outcome"))
        return;
    qint64 t = rel(event.timeMs);
    // Kubernetes timestamps have one-second precision: a second of slack before the window,
    // clamped to its start, keeps an event that happened just after the change.
    const qint64 earliest = -m_options.keepEventsBeforeMs;
    if (t < earliest - 1000)
        return;
    t = std::max(t, earliest);
    TimelineEvent e =
        derivedEvent(t, event.type, event.message, event.object, event.versionId, event.severity);
    e.request = event.request;
    if (!mergeIntoStep(e))
        record(e);
}

qint64 TimelineRecorder::derivedEventsFinalBeforeMs() const
{
    qint64 until = m_burst ? std::min(m_burst->startMs, m_processedUntilRel) : m_processedUntilRel;
    for (const Step &step : m_steps) {
        for (const TimelineEvent &e : step.events)
            until = std::min(until, e.tMs);
    }
    return until;
}

bool TimelineRecorder::mergeIntoStep(const TimelineEvent &event)
{
    if (m_timeline.strategy.replicas <= m_options.perPodEventsUpToReplicas)
        return false;
    if (event.severity != Severity::Info || event.request || event.versionId.isEmpty())
        return false;
    QString reason;
    QString object;
    if (event.type == QLatin1StringView("KubernetesEvent")) {
        reason = kubernetesEventReason(event.message);
        if (reason.isEmpty())
            return false;
        if (event.object.startsWith(QLatin1StringView("replicaset/"))) {
            // A ReplicaSet's events about one pod each; its others are not routine.
            if (reason != QLatin1StringView("SuccessfulCreate") &&
                reason != QLatin1StringView("SuccessfulDelete"))
                return false;
            object = event.object;
        } else if (!event.object.startsWith(QLatin1StringView("pod/"))) {
            return false;
        }
    } else if (!stepType(event.type) || !event.object.startsWith(QLatin1StringView("pod/"))) {
        return false;
    }
    if (object.isEmpty()) {
        const rollout::VersionInfo *version = m_timeline.version(event.versionId);
        if (!version || version->replicaSet.isEmpty())
            return false;
        object = QStringLiteral("replicaset/") + version->replicaSet;
    }
    // Its step is recorded already: too late to merge, kept as it is.
    if (event.tMs < m_stepsClosedBeforeRel)
        return false;
    const QString key = event.type + u'\n' + reason + u'\n' + event.versionId;
    for (Step &step : m_steps) {
        if (step.key == key) {
            step.events << event;
            return true;
        }
    }
    m_steps << Step{key, reason, object, {event}};
    return true;
}

void TimelineRecorder::closeSteps(qint64 beforeRel, const TimelineSample &sample)
{
    m_stepsClosedBeforeRel = std::max(m_stepsClosedBeforeRel, beforeRel);
    QList<TimelineEvent> closing;
    for (qsizetype i = 0; i < m_steps.size(); ++i) {
        Step &step = m_steps[i];
        QList<TimelineEvent> keep;
        QList<TimelineEvent> events;
        for (TimelineEvent &e : step.events)
            (e.tMs < beforeRel ? events : keep) << std::move(e);
        step.events = std::move(keep);
        if (!events.isEmpty())
            closing << stepEvent(step, events, sample);
    }
    m_steps.removeIf([](const Step &step) { return step.events.isEmpty(); });
    for (const TimelineEvent &e : std::as_const(closing))
        record(e);
}

TimelineEvent TimelineRecorder::stepEvent(const Step &step, const QList<TimelineEvent> &events,
                                          const TimelineSample &sample) const
{
    // One event is kept as it came: nothing to merge.
    if (events.size() == 1)
        return events.first();
    qint64 firstMs = events.first().tMs;
    qint64 lastMs = firstMs;
    for (const TimelineEvent &e : events) {
        firstMs = std::min(firstMs, e.tMs);
        lastMs = std::max(lastMs, e.tMs);
    }
    const TimelineEvent &first = events.first();
    const QString label = m_timeline.versionLabel(first.versionId);
    const QString type = first.type;
    const QString count = QString::number(events.size());
    QString text;
    if (type == QLatin1StringView("KubernetesEvent"))
        text = RecorderText::tr("%1: %2 pods of %3").arg(step.reason, count, label);
    else if (type == QLatin1StringView("PodCreated"))
        text = RecorderText::tr("%1 pods of %2 created").arg(count, label);
    else if (type == QLatin1StringView("PodScheduled"))
        text = RecorderText::tr("%1 pods of %2 scheduled").arg(count, label);
    else if (type == QLatin1StringView("PodStarted"))
        text = RecorderText::tr("%1 pods of %2 started").arg(count, label);
    else if (type == QLatin1StringView("PodReady"))
        text = RecorderText::tr("%1 pods of %2 ready").arg(count, label);
    else if (type == QLatin1StringView("PodTerminating"))
        text = RecorderText::tr("%1 pods of %2 terminating").arg(count, label);
    else
        text = RecorderText::tr("%1 pods of %2 gone").arg(count, label);
    const qint64 duration = lastMs - firstMs;
    if (duration > 0)
        text = RecorderText::tr("%1 within %2 s").arg(text, formatSeconds(duration));
    // Where the version's pods stand in the sample that reflects these events (peakPods -1: the
    // tracker had not reported pods).
    if (sample.peakPods >= 0) {
        const PodCounts pods = sample.pods.value(first.versionId);
        if ((type == QLatin1StringView("PodCreated") || type == QLatin1StringView("PodReady")) &&
            sample.desired > 0) {
            const int n = type == QLatin1StringView("PodReady") ? pods.ready : pods.total;
            text = RecorderText::tr("%1 (%2 of %3)")
                       .arg(text, QString::number(n), QString::number(sample.desired));
        } else if (type == QLatin1StringView("PodTerminating")) {
            text = RecorderText::tr("%1 (%2 left)").arg(text, QString::number(pods.total));
        } else if (type == QLatin1StringView("PodGone")) {
            text = RecorderText::tr("%1 (%2 still terminating)")
                       .arg(text, QString::number(pods.terminating));
        }
    }
    TimelineEvent e =
        derivedEvent(firstMs, type, text, step.object, first.versionId, Severity::Info);
    e.durationMs = duration;
    e.count = int(std::min<qsizetype>(events.size(), kMaxCount));
    return e;
}

void TimelineRecorder::setStatus(const rollout::RolloutStatus &status)
{
    m_status = status;
}

void TimelineRecorder::setStrategy(const StrategyInfo &strategy)
{
    if (!m_recording || strategy == m_timeline.strategy)
        return;
    m_timeline.strategy = strategy;
    log(TimelineJson::strategyRecord(strategy));
}

void TimelineRecorder::setProbe(const ProbeInfo &probe)
{
    if (!m_recording || probe == m_timeline.probe)
        return;
    m_timeline.probe = probe;
    log(TimelineJson::probeRecord(probe));
}

void TimelineRecorder::addProbeResults(const QList<probe::ProbeResult> &results)
{
    if (!m_recording || results.isEmpty())
        return;
    m_pendingResults << results;
    std::stable_sort(m_pendingResults.begin(), m_pendingResults.end(),
                     [](const probe::ProbeResult &a, const probe::ProbeResult &b) {
                         return a.startMs < b.startMs;
                     });
}

void TimelineRecorder::addProbeBuckets(const QList<probe::ProbeBucket> &buckets)
{
    if (!m_recording)
        return;
    for (const probe::ProbeBucket &b : buckets) {
        m_haveBuckets = true;
        m_bucketWatermarkRel = std::max(m_bucketWatermarkRel, rel(b.startMs + b.durationMs));
    }
}

qint64 TimelineRecorder::intervalIndex(qint64 relMs) const
{
    return relMs / m_options.sampleIntervalMs + 1;
}

void TimelineRecorder::tick(qint64 nowMs)
{
    if (!m_recording)
        return;
    const qint64 now = rel(nowMs);
    // Every request started before the watermark has been reported.
    qint64 watermark = m_haveBuckets ? m_bucketWatermarkRel : now - m_options.lateGraceMs;
    watermark = std::max(watermark, now - m_options.maxLagMs);
    processResults(watermark, false);
    m_processedUntilRel = std::max(m_processedUntilRel, watermark);
    const qint64 closeUntil = std::min(watermark, now - m_options.lateGraceMs);
    while (m_nextIndex * m_options.sampleIntervalMs <= closeUntil)
        closeInterval(m_nextIndex * m_options.sampleIntervalMs, false);
    if (m_burst && watermark > m_burst->lastFailureMs + m_options.burstGapMs)
        closeBurst();
}

void TimelineRecorder::processResults(qint64 untilRel, bool all)
{
    qsizetype n = 0;
    while (n < m_pendingResults.size() && (all || rel(m_pendingResults.at(n).startMs) < untilRel))
        ++n;
    if (n == 0)
        return;
    const QList<probe::ProbeResult> ready = m_pendingResults.mid(0, n);
    m_pendingResults.remove(0, n);
    for (const probe::ProbeResult &r : ready)
        process(r);
}

void TimelineRecorder::process(const probe::ProbeResult &result)
{
    const qint64 start = rel(result.startMs);
    if (start < 0)
        return; // sent before the change: not part of this rollout
    const qint64 k = std::max({intervalIndex(start), m_nextIndex, qint64(1)});
    Interval &interval = m_intervals[k];

    if (m_burst && start > m_burst->lastFailureMs + m_options.burstGapMs)
        closeBurst();

    if (result.failure) {
        const auto c = size_t(*result.failure);
        ++interval.failures[c];
        if (!m_burst)
            m_burst = Burst{start, start, 0, 0, 0, {}, {}};
        m_burst->lastFailureMs = std::max(m_burst->lastFailureMs, start);
        ++m_burst->failed;
        m_burst->requests += std::exchange(m_burst->trailingOk, 0) + 1;
        ++m_burst->byClass[c];
        if (*result.failure == probe::FailureClass::Other && m_burst->otherError.isEmpty())
            m_burst->otherError =
                result.error.isEmpty() ? RecorderText::tr("no details") : result.error.left(200);
        return;
    }

    const QString version = result.versionId.isEmpty() ? unknownVersion() : result.versionId;
    ++interval.responses[version];
    interval.latencies.push_back(result.latencyUs);
    if (m_burst)
        ++m_burst->trailingOk;
    if (version == unknownVersion())
        return;
    auto it = m_timeline.answers.find(version);
    if (it == m_timeline.answers.end()) {
        m_timeline.answers.insert(version, AnswerSpan{start, start});
        m_lastPod.insert(version, result.pod);
        record(derivedEvent(
            start, QStringLiteral("FirstAnswer"),
            RecorderText::tr("First answer from %1").arg(m_timeline.versionLabel(version)),
            result.pod.isEmpty() ? QString() : QStringLiteral("pod/") + result.pod, version,
            Severity::Info));
        return;
    }
    it->firstMs = std::min(it->firstMs, start);
    if (start >= it->lastMs) {
        it->lastMs = start;
        m_lastPod.insert(version, result.pod);
    }
}

void TimelineRecorder::closeBurst()
{
    if (!m_burst)
        return;
    const Burst burst = *m_burst;
    m_burst.reset();
    QStringList classes;
    for (int c = 0; c < probe::kFailureClassCount; ++c) {
        if (burst.byClass[size_t(c)] == 0)
            continue;
        QString entry = RecorderText::tr("%1: %2")
                            .arg(probe::failureClassText(probe::FailureClass(c)))
                            .arg(burst.byClass[size_t(c)]);
        if (probe::FailureClass(c) == probe::FailureClass::Other)
            entry = RecorderText::tr("%1, first: %2").arg(entry, burst.otherError);
        classes << entry;
    }
    const qint64 duration = burst.lastFailureMs - burst.startMs;
    const QString message =
        burst.failed == 1
            ? RecorderText::tr("1 request failed (%1)").arg(classes.join(QStringLiteral(", ")))
            : RecorderText::tr("%1 of %2 requests failed within %3 s (%4)")
                  .arg(burst.failed)
                  .arg(burst.requests)
                  .arg(formatSeconds(duration), classes.join(QStringLiteral(", ")));
    TimelineEvent e = derivedEvent(burst.startMs, QStringLiteral("FailureBurst"), message,
                                   QString(), QString(), Severity::Error);
    e.durationMs = duration;
    e.count = burst.failed;
    record(e);
}

void TimelineRecorder::resetIntervalExtremes()
{
    m_peakPods = m_pods.known ? m_pods.total() : -1;
    m_lowAvailable = m_pods.known ? m_pods.available() : -1;
    m_mixedReadyMs = 0;
}

void TimelineRecorder::accountPodsTo(qint64 relMs)
{
    if (relMs <= m_podsSinceRel)
        return;
    if (m_pods.known && m_pods.mixedReady())
        m_mixedReadyMs += relMs - m_podsSinceRel;
    m_podsSinceRel = relMs;
}

void TimelineRecorder::applyPods(const rollout::PodCountSample &sample, qint64 atRel)
{
    accountPodsTo(atRel);
    m_pods.known = true;
    m_pods.pods.clear();
    for (const rollout::VersionPods &v : sample.versions)
        m_pods.pods.insert(v.versionId, PodCounts{v.total, v.ready, v.available, v.terminating});
    m_pods.desired = sample.desired;
    m_pods.maxTotal = sample.maxTotal;
    m_pods.minAvailable = sample.minAvailable;
    // The tracker's extremes since its previous sample cover the states between samples.
    const int total = std::max(m_pods.total(), sample.peakTotal);
    const int available = sample.lowAvailable >= 0
                              ? std::min(m_pods.available(), sample.lowAvailable)
                              : m_pods.available();
    m_peakPods = std::max(m_peakPods, total);
    m_lowAvailable = m_lowAvailable < 0 ? available : std::min(m_lowAvailable, available);
}

void TimelineRecorder::applyPodsUntil(qint64 relMs, bool inclusive)
{
    while (!m_pendingPods.isEmpty()) {
        const qint64 t = rel(m_pendingPods.first().timeMs);
        if (inclusive ? t > relMs : t >= relMs)
            break;
        applyPods(m_pendingPods.takeFirst(), std::max(t, m_podsSinceRel));
        m_lastPodSampleRel = std::max(m_lastPodSampleRel, t);
    }
}

void TimelineRecorder::closeInterval(qint64 endRel, bool last)
{
    const qint64 k = m_nextIndex;
    applyPodsUntil(endRel, k == 0);
    accountPodsTo(endRel);

    TimelineSample s;
    s.tMs = endRel;
    PodState pods = m_pods;
    int peak = m_peakPods;
    int low = m_lowAvailable;
    // Before the tracker's first report the t = 0 snapshot borrows the earliest one that
    // follows within the interval, so the pods chart starts at 0 rather than one sample later.
    if (k == 0 && !pods.known && !m_pendingPods.isEmpty() &&
        rel(m_pendingPods.first().timeMs) < m_options.sampleIntervalMs) {
        const rollout::PodCountSample &first = m_pendingPods.first();
        pods.known = true;
        for (const rollout::VersionPods &v : first.versions)
            pods.pods.insert(v.versionId, PodCounts{v.total, v.ready, v.available, v.terminating});
        pods.desired = first.desired;
        pods.maxTotal = first.maxTotal;
        pods.minAvailable = first.minAvailable;
        peak = pods.total();
        low = pods.available();
    }
    s.pods = pods.pods;
    s.desired = pods.desired;
    s.maxTotal = pods.maxTotal;
    s.minAvailable = pods.minAvailable;
    s.peakPods = peak;
    s.lowAvailable = low;
    s.mixedReadyMs = m_mixedReadyMs;

    Interval interval;
    if (k > 0) {
        interval = m_intervals.take(k);
        if (last) {
            // Whatever remains (results of requests started after the finish) ends here.
            for (auto it = m_intervals.begin(); it != m_intervals.end(); ++it) {
                for (auto r = it->responses.cbegin(); r != it->responses.cend(); ++r)
                    interval.responses[r.key()] += r.value();
                for (size_t c = 0; c < interval.failures.size(); ++c)
                    interval.failures[c] += it->failures[c];
                interval.latencies.insert(interval.latencies.end(), it->latencies.begin(),
                                          it->latencies.end());
            }
            m_intervals.clear();
        }
    }
    s.responses = interval.responses;
    s.failures = interval.failures;
    if (!interval.latencies.empty()) {
        std::sort(interval.latencies.begin(), interval.latencies.end());
        s.latencyP50Us = percentile(interval.latencies, 0.50);
        s.latencyP90Us = percentile(interval.latencies, 0.90);
        s.latencyP99Us = percentile(interval.latencies, 0.99);
    }

    m_timeline.samples << s;
    log(TimelineJson::sampleRecord(s));
    ++m_nextIndex;
    resetIntervalExtremes();
    // The events the sample's pods reflect: those before the tracker's last count it holds (the
    // end of the interval when the tracker counted none; its start at the latest, so that a
    // tracker that stops counting holds no step back for long).
    qint64 stepsBefore = endRel;
    if (last)
        stepsBefore = std::numeric_limits<qint64>::max();
    else if (m_pods.known)
        stepsBefore = std::clamp(m_lastPodSampleRel, endRel - m_options.sampleIntervalMs, endRel);
    closeSteps(stepsBefore, s);
    emit sampleRecorded(s);
}

void TimelineRecorder::finish(Outcome outcome, const QString &reason, const QString &message,
                              qint64 nowMs)
{
    if (!m_recording)
        return;
    const qint64 now = std::max<qint64>(0, rel(nowMs));
    // Requests sent after the outcome (while the prober drained) are not part of the rollout.
    m_pendingResults.removeIf(
        [this, now](const probe::ProbeResult &r) { return rel(r.startMs) > now; });
    processResults(0, true);
    const qint64 interval = m_options.sampleIntervalMs;
    if (m_nextIndex == 0)
        closeInterval(0, false);
    while (m_nextIndex * interval < now)
        closeInterval(m_nextIndex * interval, false);
    const qint64 lastT = m_timeline.samples.isEmpty() ? -1 : m_timeline.samples.last().tMs;
    if (now > lastT || !m_intervals.isEmpty() || !m_pendingPods.isEmpty())
        closeInterval(std::max(now, lastT + 1), true);
    // What the last sample closed, when no shorter one followed.
    if (!m_steps.isEmpty())
        closeSteps(std::numeric_limits<qint64>::max(), m_timeline.samples.last());
    closeBurst();

    // Versions the rollout moved away from: when they answered for the last time. The new
    // version's last answer is simply the end of the recording.
    const QStringList newIds = m_timeline.newVersionIds();
    for (auto it = m_timeline.answers.cbegin(); it != m_timeline.answers.cend(); ++it) {
        if (newIds.contains(it.key()))
            continue;
        const QString pod = m_lastPod.value(it.key());
        record(derivedEvent(
            it->lastMs, QStringLiteral("LastAnswer"),
            RecorderText::tr("Last answer from %1").arg(m_timeline.versionLabel(it.key())),
            pod.isEmpty() ? QString() : QStringLiteral("pod/") + pod, it.key(), Severity::Info));
    }

    m_timeline.finishedAtMs = m_timeline.startedAtMs + now;
    m_timeline.outcome = outcome;
    m_timeline.outcomeReason = reason;
    m_timeline.outcomeMessage = message;
    m_timeline.summary = computeSummary(m_timeline);
    Severity severity = Severity::Error;
    if (m_timeline.summary.verdictCode == VerdictCode::Success)
        severity = Severity::Info;
    else if (m_timeline.summary.verdictCode == VerdictCode::FailedRequests)
        severity = Severity::Warning;
    QString text = m_timeline.summary.verdict;
    if (!message.isEmpty() && message != reason)
        text += QStringLiteral(" (") + message + u')';
    record(derivedEvent(now, QStringLiteral("Outcome"), text,
                        QStringLiteral("deployment/") + m_timeline.name, QString(), severity));

    m_recording = false;
    m_finished = true;
    if (m_tickTimer)
        m_tickTimer->stop();
    if (m_flushTimer)
        m_flushTimer->stop();
    log(TimelineJson::endRecord(m_timeline));
    flushAutosave();
    if (m_writer)
        m_writer->close();
    emit finished(m_timeline);
}

TimelineEvent TimelineRecorder::derivedEvent(qint64 tMs, const QString &type,
                                             const QString &message, const QString &object,
                                             const QString &versionId, Severity severity) const
{
    TimelineEvent e;
    e.tMs = tMs;
    e.type = type;
    e.message = message;
    e.object = object;
    e.versionId = versionId;
    e.severity = severity;
    return e;
}

void TimelineRecorder::record(const TimelineEvent &event)
{
    m_timeline.insertEvent(event);
    log(TimelineJson::eventRecord(event));
    emit eventRecorded(event);
}

void TimelineRecorder::log(const QByteArray &line)
{
    if (!m_writer)
        return;
    m_unflushed += line;
    m_unflushed += '\n';
}

void TimelineRecorder::flushAutosave()
{
    if (m_writer && !m_unflushed.isEmpty())
        m_writer->append(std::exchange(m_unflushed, {}));
}

} // namespace rollscope::timeline
