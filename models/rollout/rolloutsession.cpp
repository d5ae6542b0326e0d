// SPDX-License-Identifier: MIT
#include "rollout/rolloutsession.h"

#include "common/idtable.h"
#include "kube/apiclient.h"
#include "kube/informer.h"
#include "probe/targets.h"
#include "probe/trafficprober.h"
#include "rollout/rollouttracker.h"
#include "rollout/strategy.h"
#include "timeline/recorder.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSignalBlocker>

#include <algorithm>
#include <limits>

namespace rollscope::rollout {

namespace {

class SessionText
{
    Q_DECLARE_TR_FUNCTIONS(RolloutSession)
};

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// How long a write waits for the Deployment's watches to open.
constexpr int kWatchWaitMs = 10'000;
// How often a draining recording looks whether its answers are in.
constexpr int kDrainPollMs = 50;

// The ids of the actions in a recording's change (ChangeInfo::action).
constexpr IdTable<SessionAction, 7> kActionIds{
    {{SessionAction::SetImage, QLatin1StringView("setImage")},
     {SessionAction::Rollback, QLatin1StringView("rollback")},
     {SessionAction::Abort, QLatin1StringView("abort")},
     {SessionAction::Restart, QLatin1StringView("restart")},
     {SessionAction::Scale, QLatin1StringView("scale")},
     {SessionAction::Pause, QLatin1StringView("pause")},
     {SessionAction::Resume, QLatin1StringView("resume")}}};

QString actionId(SessionAction action)
{
    return idOf(kActionIds, action);
}

QString imagesText(const QList<kube::ContainerImage> &containers)
{
    QStringList images;
    for (const kube::ContainerImage &c : containers)
        images << c.image;
    return images.join(QStringLiteral(", "));
}

} // namespace

RolloutSession::RolloutSession(kube::ApiClient *client, QString ns, QString deploymentName,
                               SessionOptions options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_ns(std::move(ns))
    , m_name(std::move(deploymentName))
    , m_options(std::move(options))
{
    m_drainPoll.setInterval(kDrainPollMs);
    connect(&m_drainPoll, &QTimer::timeout, this, &RolloutSession::maybeFinish);
    m_drainLimit.setSingleShot(true);
    connect(&m_drainLimit, &QTimer::timeout, this, &RolloutSession::finishNow);
    m_parkLimit.setSingleShot(true);
    connect(&m_parkLimit, &QTimer::timeout, this, &RolloutSession::finishParked);
}

RolloutSession::~RolloutSession()
{
    // No signal from a half-destroyed object: the recording is only completed on disk.
    const QSignalBlocker blocker(this);
    close(SessionText::tr("Rollscope was closed"));
}

void RolloutSession::close(const QString &message)
{
    finishParked();
    if (!isRecording())
        return;
    if (!m_outcome)
        m_outcome = Ending{timeline::Outcome::Aborted, QStringLiteral("Closed"), message,
                           std::max(nowMs(), m_recorder->timeline().startedAtMs)};
    finishNow();
}

void RolloutSession::start()
{
    if (m_tracker)
        return;
    m_tracker = new RolloutTracker(m_client, m_ns, m_name, this);
    connect(m_tracker, &RolloutTracker::rolloutStarted, this, &RolloutSession::onRolloutStarted);
    connect(m_tracker, &RolloutTracker::outcomeReached, this, &RolloutSession::onTrackerOutcome);
    connect(m_tracker, &RolloutTracker::samplesAppended, this, &RolloutSession::onSamples);
    connect(m_tracker, &RolloutTracker::versionsChanged, this, &RolloutSession::onVersions);
    connect(m_tracker, &RolloutTracker::strategyChanged, this, &RolloutSession::onStrategy);
    connect(m_tracker, &RolloutTracker::statusChanged, this, [this](const RolloutStatus &status) {
        if (m_recorder && m_recorder->isRecording())
            m_recorder->setStatus(status);
    });
    connect(m_tracker, &RolloutTracker::eventRecorded, this, [this](const RolloutEvent &event) {
        if (!m_recorder || !m_recorder->isRecording())
            return;
        // Once the outcome is reached the recording only waits for the answers to requests
        // sent before it (maybeFinish()); what the cluster does meanwhile (the old pods going
        // away) is after the rollout and not part of its recording, which ends at the outcome.
        if (m_outcome && event.timeMs > m_outcome->atMs)
            return;
        m_recorder->addEvent(event);
    });
    connect(m_tracker, &RolloutTracker::podVersionsChanged, this,
            [this](const QHash<QString, QString> &podVersions) {
                m_prober->setPodVersions(podVersions);
            });
    connect(m_tracker, &RolloutTracker::deploymentChanged, this, &RolloutSession::refreshTargets);
    connect(m_tracker, &RolloutTracker::deploymentRemoved, this, [this] {
        if (isRecording() && !m_outcome)
            reachOutcome(timeline::Outcome::Failed, QStringLiteral("Deleted"),
                         SessionText::tr("deployment \"%1\" was deleted").arg(m_name), nowMs());
    });

    m_prober = new probe::TrafficProber(this);
    m_prober->setApiClient(m_client);
    connect(m_prober, &probe::TrafficProber::bucketsReady, this, &RolloutSession::onBuckets);
    connect(m_prober, &probe::TrafficProber::resultsReady, this,
            [this](const QList<probe::ProbeResult> &results) {
                if (m_recorder && m_recorder->isRecording())
                    m_recorder->addProbeResults(results);
            });
    connect(m_prober, &probe::TrafficProber::stateChanged, this, &RolloutSession::onProbeState);

    if (m_options.discoverTargets && m_client) {
        kube::InformerOptions scoped;
        scoped.ns = m_ns;
        m_services = new kube::ServiceInformer(m_client, scoped, this);
        m_nodes = new kube::NodeInformer(m_client, {}, this);
        for (kube::Informer *informer :
             {static_cast<kube::Informer *>(m_services), static_cast<kube::Informer *>(m_nodes)}) {
            connect(informer, &kube::Informer::resynced, this, &RolloutSession::refreshTargets);
            // A user who may not list nodes still gets LoadBalancer and service-proxy targets.
            connect(informer, &kube::Informer::statusChanged, this,
                    &RolloutSession::refreshTargets);
        }
        m_services->addHandlers(this, {[this](const kube::ServiceInfo &) { refreshTargets(); },
                                       [this](const kube::ServiceInfo &,
                                              const kube::ServiceInfo &) { refreshTargets(); },
                                       [this](const kube::ServiceInfo &) { refreshTargets(); }});
        m_services->start();
        m_nodes->start();
    }
    resetSeries(nowMs());
    m_tracker->start();
}

// --- traffic ----------------------------------------------------------------------------------

bool RolloutSession::targetsResolved() const
{
    const auto resolved = [](const kube::Informer *informer) {
        if (!informer)
            return false;
        const kube::InformerStatus status = informer->status();
        return status.synced || status.lastError.has_value() || status.error.has_value();
    };
    return resolved(m_services) && resolved(m_nodes);
}

void RolloutSession::refreshTargets()
{
    if (!m_tracker || !m_services || !m_nodes)
        return;
    const std::optional<kube::DeploymentInfo> deployment = m_tracker->deployment();
    if (!deployment)
        return;
    const QList<probe::ProbeTarget> targets =
        probe::candidateTargets(*deployment, m_services->items(), m_nodes->items(), m_ns);
    // The first time both lists are in, even when no Service fits: the answer is "none".
    const bool first = !m_targetsAnnounced && targetsResolved();
    if (targets == m_targets && !first)
        return;
    m_targetsAnnounced = m_targetsAnnounced || first;
    m_targets = targets;
    emit targetsChanged(m_targets);
}

VoidResult RolloutSession::setProbeOptions(const probe::ProbeOptions &options)
{
    if (!m_prober)
        return Error::make(Error::Kind::Generic, SessionText::tr("The session has not started"));
    VoidResult set = m_prober->setOptions(options);
    if (set && m_recorder && m_recorder->isRecording() &&
        m_prober->state() == probe::TrafficProber::State::Running)
        m_recorder->setProbe(probeInfo(options));
    return set;
}

VoidResult RolloutSession::startProbe(const probe::ProbeOptions &options)
{
    if (!m_prober)
        return Error::make(Error::Kind::Generic, SessionText::tr("The session has not started"));
    if (VoidResult set = m_prober->setOptions(options); !set)
        return set;
    if (m_tracker)
        m_prober->setPodVersions(m_tracker->podVersions());
    if (VoidResult started = m_prober->start(); !started)
        return started;
    if (m_recorder && m_recorder->isRecording())
        m_recorder->setProbe(probeInfo(options));
    return Done{};
}

void RolloutSession::stopProbe()
{
    if (m_prober)
        m_prober->stop();
}

void RolloutSession::onProbeState()
{
    if (m_outcome)
        maybeFinish();
}

void RolloutSession::onBuckets(const QList<probe::ProbeBucket> &buckets)
{
    if (m_recorder && m_recorder->isRecording())
        m_recorder->addProbeBuckets(buckets);
    // The prober runs on across recordings and delivers in batches: buckets that ended before
    // the series' t = 0 belong to the previous recording.
    QList<probe::ProbeBucket> current;
    current.reserve(buckets.size());
    for (const probe::ProbeBucket &bucket : buckets) {
        if (bucket.startMs + bucket.durationMs > m_seriesOriginMs)
            current.append(bucket);
    }
    if (!current.isEmpty())
        emit probeBuckets(current);
}

void RolloutSession::onSamples(const QList<PodCountSample> &samples)
{
    if (m_recorder && m_recorder->isRecording())
        m_recorder->addPodCounts(samples);
    // Batches may still bring samples from before t = 0: the previous recording's.
    QList<PodCountSample> current;
    current.reserve(samples.size());
    for (const PodCountSample &sample : samples) {
        if (sample.timeMs >= m_seriesOriginMs)
            current.append(sample);
    }
    if (!current.isEmpty())
        emit podSamples(current);
}

void RolloutSession::onVersions(const QList<VersionInfo> &versions)
{
    if (m_recorder && m_recorder->isRecording())
        m_recorder->setVersions(versions);
    // "v2" answers (a version in a header or regex) map to the version with that tag.
    QHash<QString, QString> aliases;
    for (const VersionInfo &v : versions) {
        aliases.insert(v.label, v.id);
        aliases.insert(v.image.section(u':', -1), v.id);
    }
    m_prober->setVersionAliases(aliases);
}

void RolloutSession::onStrategy(const StrategyNumbers &numbers)
{
    // A strategy changed mid-rollout is the recording's too.
    if (m_recorder && m_recorder->isRecording())
        m_recorder->setStrategy(strategyInfo(numbers, m_tracker->deployment()));
}

// --- recordings -------------------------------------------------------------------------------

bool RolloutSession::isRecording() const
{
    return m_recorder && m_recorder->isRecording();
}

std::optional<timeline::Timeline> RolloutSession::timeline() const
{
    if (m_recorder)
        return m_recorder->timeline();
    return m_last;
}

qint64 RolloutSession::derivedEventsFinalBeforeMs() const
{
    return m_recorder ? m_recorder->derivedEventsFinalBeforeMs()
                      : std::numeric_limits<qint64>::max();
}

QString RolloutSession::autosavePath() const
{
    return m_recorder ? m_recorder->autosavePath() : QString();
}

void RolloutSession::resetSeries(qint64 originMs)
{
    m_seriesOriginMs = originMs;
    emit seriesReset(originMs);
}

void RolloutSession::onRolloutStarted(qint64 originMs)
{
    // A request of this session is on its way and its recording is open: the rollout the
    // tracker reports before the answer (the new ReplicaSet seen first) is the request's, and
    // so is the one markChange() announces with the request's t = 0.
    if (isRecording() && !m_outcome &&
        (m_inFlight || originMs == m_recorder->timeline().startedAtMs))
        return;
    timeline::ChangeInfo change = observedChange();
    startRecording(originMs, change, true);
}

void RolloutSession::recordCurrent()
{
    if (!m_tracker)
        return;
    m_tracker->flush();
    // The tracker saw the rollout in progress (now, or before): it is being recorded already.
    if (isRecording() && !m_outcome) {
        const timeline::Timeline current = m_recorder->timeline();
        emit recordingStarted(current.change, current.startedAtMs);
        return;
    }
    const RolloutStatus status = m_tracker->status();
    const bool active = m_tracker->rolloutActive();
    const qint64 t0 = active && m_tracker->originMs() > 0 ? m_tracker->originMs() : nowMs();
    startRecording(t0, observedChange(), true);
    // Nothing in progress: the recording says so at once, as kubectl rollout status does.
    if (!active && status.state == RolloutState::Complete)
        reachOutcome(timeline::Outcome::Complete, QString(), status.message, nowMs());
    else if (!active && status.state == RolloutState::Failed)
        reachOutcome(timeline::Outcome::Failed, status.reason, status.message, nowMs());
}

void RolloutSession::startRecording(qint64 originMs, const timeline::ChangeInfo &change,
                                    bool observed)
{
    if (m_recorder && m_recorder->isRecording()) {
        if (!m_outcome) {
            m_outcome = Ending{timeline::Outcome::Aborted, QStringLiteral("Superseded"),
                               SessionText::tr("A new change started before this rollout "
                                               "finished"),
                               std::max(originMs, m_recorder->timeline().startedAtMs)};
        }
        if (m_inFlight)
            park(*m_outcome);
        else
            finishNow();
    }
    m_drainPoll.stop();
    m_drainLimit.stop();
    m_outcome.reset();
    m_inFlight = false;
    if (!m_parked || m_parked->recorder != m_recorder)
        delete m_recorder;
    m_recorder = nullptr;

    timeline::RecorderOptions options;
    options.sampleIntervalMs = m_options.sampleIntervalMs;
    options.perPodEventsUpToReplicas = m_options.perPodEventsUpToReplicas;
    if (m_options.autosave) {
        options.autosavePath =
            m_recordings == 0 && !m_options.autosavePath.isEmpty()
                ? m_options.autosavePath
                : timeline::TimelineRecorder::autosavePathFor(m_ns, m_name, originMs);
    }
    // A rollout that was already running: its earlier events belong to it.
    if (observed)
        options.keepEventsBeforeMs = m_options.observedHistoryMs;
    ++m_recordings;
    m_recorder = new timeline::TimelineRecorder(options, this);
    connect(m_recorder, &timeline::TimelineRecorder::autosaveFailed, this,
            &RolloutSession::autosaveFailed);
    connect(m_recorder, &timeline::TimelineRecorder::autosaveClosed, this,
            &RolloutSession::autosaveClosed);
    connect(m_recorder, &timeline::TimelineRecorder::eventRecorded, this,
            &RolloutSession::eventRecorded);

    timeline::RecordingStart start;
    start.ns = m_ns;
    start.name = m_name;
    start.context = m_options.context;
    start.change = change;
    start.startedAtMs = originMs;
    start.versions = m_tracker->versions();
    start.strategy = strategyInfo(m_tracker->strategy(), m_tracker->deployment());
    if (m_prober->state() == probe::TrafficProber::State::Running)
        start.probe = probeInfo(m_prober->options());
    // The pods at t = 0: the last sample taken by then; the pods as they are now when t = 0 is
    // now (the tracker's samples are spaced).
    m_tracker->flush();
    const QList<PodCountSample> samples = m_tracker->samples();
    PodCountSample pods;
    const auto at = std::find_if(samples.crbegin(), samples.crend(),
                                 [originMs](const auto &s) { return s.timeMs <= originMs; });
    if (at != samples.crend() && !samples.isEmpty() && samples.last().timeMs > originMs) {
        pods = *at;
    } else {
        if (!samples.isEmpty())
            pods = samples.last();
        pods.versions = m_tracker->podCounts();
        pods.desired = start.strategy.replicas;
        pods.maxTotal = start.strategy.maxTotal;
        pods.minAvailable = start.strategy.minAvailable;
    }
    pods.timeMs = originMs;
    pods.lowAvailable = -1;
    pods.peakTotal = -1;
    start.pods = pods;
    m_recorder->start(start);
    m_recorder->setStatus(m_tracker->status());
    // What the tracker saw since t = 0 (or, for a rollout already running, before it).
    for (const RolloutEvent &event : m_tracker->recordedEvents()) {
        if (observed || event.timeMs >= originMs)
            m_recorder->addEvent(event);
    }

    resetSeries(originMs);
    emit podSamples({pods});
    emit recordingStarted(change, originMs);
}

void RolloutSession::onTrackerOutcome(const RolloutStatus &status)
{
    // While a request is on its way, an outcome is the previous rollout's (the tracker learns
    // of the new one when the answer comes: markChange()).
    if (!isRecording() || m_outcome || m_inFlight)
        return;
    if (status.state == RolloutState::Complete)
        reachOutcome(timeline::Outcome::Complete, QString(), status.message, nowMs());
    else
        reachOutcome(timeline::Outcome::Failed, status.reason, status.message, nowMs());
}

void RolloutSession::endRecording(timeline::Outcome outcome, const QString &reason,
                                  const QString &message)
{
    if (!isRecording() || m_outcome)
        return;
    reachOutcome(outcome, reason, message, nowMs());
}

void RolloutSession::reachOutcome(timeline::Outcome outcome, const QString &reason,
                                  const QString &message, qint64 atMs)
{
    const qint64 origin = m_recorder->timeline().startedAtMs;
    atMs = std::max(atMs, origin);
    m_outcome = Ending{outcome, reason, message, atMs};
    m_inFlight = false;
    const QPointer<timeline::TimelineRecorder> recorder = m_recorder;
    emit outcomeReached(outcome, m_tracker->status(), reason, message, atMs - origin);
    if (!recorder || recorder != m_recorder || !m_outcome)
        return; // a slot started another recording
    if (m_options.stopProbeAtOutcome)
        m_prober->stop();
    m_drainLimit.start(m_options.drainTimeoutMs);
    m_drainPoll.start();
    maybeFinish();
}

void RolloutSession::maybeFinish()
{
    if (!m_outcome || !isRecording())
        return;
    const auto state = m_prober->state();
    bool drained = state == probe::TrafficProber::State::Stopped;
    if (!drained && !m_options.stopProbeAtOutcome) {
        // The traffic goes on: the recording waits until the answers to requests sent before
        // the outcome are counted.
        drained =
            m_recorder->processedUntilMs() >= m_outcome->atMs - m_recorder->timeline().startedAtMs;
    }
    if (drained)
        finishNow();
}

void RolloutSession::finishNow()
{
    m_drainPoll.stop();
    m_drainLimit.stop();
    if (!m_outcome || !isRecording())
        return;
    m_recorder->finish(m_outcome->outcome, m_outcome->reason, m_outcome->message, m_outcome->atMs);
    m_last = m_recorder->timeline();
    emit recordingFinished(*m_last, m_recorder->autosavePath());
}

void RolloutSession::park(const Ending &ending)
{
    // One at a time: an older parked recording has waited long enough.
    finishParked();
    m_parked = Parked{m_recorder, ending};
    m_parkLimit.start(m_options.drainTimeoutMs);
}

void RolloutSession::finishParked()
{
    m_parkLimit.stop();
    if (!m_parked)
        return;
    const Parked parked = *std::exchange(m_parked, std::nullopt);
    if (!parked.recorder)
        return;
    const Ending &e = parked.ending;
    parked.recorder->finish(e.outcome, e.reason, e.message, e.atMs);
    const timeline::Timeline recorded = parked.recorder->timeline();
    const QString autosave = parked.recorder->autosavePath();
    // The current recording, if any, is the newer one: the session's last finished recording
    // is this one only when nothing newer is being recorded or was finished.
    if (!isRecording() && (!m_last || m_last->startedAtMs <= recorded.startedAtMs))
        m_last = recorded;
    parked.recorder->deleteLater();
    emit recordingFinished(recorded, autosave);
}

timeline::ChangeInfo RolloutSession::observedChange() const
{
    timeline::ChangeInfo change;
    change.observed = true;
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    if (d)
        change.cause = d->changeCause;
    // From the newest old version that still has pods to the new one.
    const QList<VersionInfo> versions = m_tracker->versions();
    const VersionInfo *to = nullptr;
    const VersionInfo *from = nullptr;
    for (const VersionInfo &v : versions) {
        if (v.isNew)
            to = &v;
        else if (!from || v.revision > from->revision)
            from = &v;
    }
    if (to)
        change.to = to->image;
    if (from)
        change.from = from->image;
    // The container whose image differs between the two ReplicaSets.
    if (to && from) {
        QList<kube::ContainerImage> before;
        QList<kube::ContainerImage> after;
        for (const kube::ReplicaSetInfo &rs : m_tracker->replicaSets()) {
            if (rs.name == from->replicaSet)
                before = rs.containers;
            if (rs.name == to->replicaSet)
                after = rs.containers;
        }
        for (const kube::ContainerImage &c : std::as_const(after)) {
            for (const kube::ContainerImage &b : std::as_const(before)) {
                if (b.name == c.name && b.image != c.image && change.container.isEmpty())
                    change.container = c.name;
            }
        }
    }
    if (change.container.isEmpty() && d && !d->containers.isEmpty())
        change.container = d->containers.first().name;
    return change;
}

// --- actions ----------------------------------------------------------------------------------

void RolloutSession::whenWatching(std::function<void()> go)
{
    QList<const kube::Informer *> informers;
    if (m_tracker) {
        for (const kube::Informer *i :
             {static_cast<const kube::Informer *>(m_tracker->deploymentInformer()),
              static_cast<const kube::Informer *>(m_tracker->replicaSetInformer()),
              static_cast<const kube::Informer *>(m_tracker->podInformer()),
              static_cast<const kube::Informer *>(m_tracker->eventInformer())}) {
            if (i)
                informers << i;
        }
    }
    const auto ready = [informers] {
        return std::all_of(informers.cbegin(), informers.cend(), [](const kube::Informer *i) {
            return i->status().state == kube::InformerStatus::State::Watching;
        });
    };
    if (ready()) {
        go();
        return;
    }
    // A change sent before the watches open is seen only once they do, its first steps in one
    // burst. One context object for the waits: deleting it ends them all, so `go` runs once.
    auto *waiting = new QObject(this);
    auto once = [waiting, go = std::move(go)] {
        waiting->disconnect();
        waiting->deleteLater();
        go();
    };
    for (const kube::Informer *informer : std::as_const(informers)) {
        connect(informer, &kube::Informer::statusChanged, waiting, [ready, once] {
            if (ready())
                once();
        });
    }
    // A watch that cannot open is reported by the informer; the write goes ahead anyway.
    QTimer::singleShot(kWatchWaitMs, waiting, once);
}

void RolloutSession::send(Request request, const Send &write)
{
    whenWatching([this, request, write]() mutable {
        request.timeMs = nowMs();
        // A rollout starts with the request: t = 0 is when it is sent. A request that starts
        // none is recorded into the current recording, or starts one of its own.
        const bool own = request.startsRollout || !isRecording() || m_outcome.has_value();
        if (own) {
            if (request.action == SessionAction::Abort && isRecording() && !m_outcome) {
                m_outcome = Ending{timeline::Outcome::Aborted, QStringLiteral("AbortRequested"),
                                   SessionText::tr("Aborted by %1: rolled back to the previous "
                                                   "revision")
                                       .arg(request.info.requestedBy),
                                   request.timeMs};
            }
            startRecording(request.timeMs, request.change, false);
            m_inFlight = true;
        }
        QPointer<timeline::TimelineRecorder> recorder = m_recorder;
        write(this, [this, request, own, recorder](Result<kube::WriteOutcome> result) {
            if (own && recorder == m_recorder)
                m_inFlight = false;
            RolloutEvent event;
            event.timeMs = request.timeMs;
            event.type = request.type;
            event.message = request.message;
            event.object = QStringLiteral("deployment/") + m_name;
            RequestInfo info = request.info;
            info.accepted = bool(result);
            if (!result) {
                info.result = result.error().message;
                event.severity = RolloutEvent::Severity::Error;
            } else if (!result->changed) {
                info.result = QStringLiteral("unchanged");
            }
            event.request = info;
            const bool current = recorder && recorder == m_recorder && isRecording();
            if (current)
                m_recorder->addEvent(event);
            if (recorder && m_parked && recorder == m_parked->recorder) {
                // The answer a superseded recording waited for: its last event.
                recorder->addEvent(event);
                finishParked();
            }
            if (!result) {
                emit requestRejected(request.action, result.error());
                if (own && current && !m_outcome)
                    reachOutcome(timeline::Outcome::Failed, QStringLiteral("ChangeRejected"),
                                 result.error().message, nowMs());
                return;
            }
            emit requestAccepted(request.action, result->message);
            if (!own || !current || m_outcome)
                return;
            if (!result->changed) {
                // Nothing will roll out: the recording says so and ends.
                reachOutcome(timeline::Outcome::Aborted, QStringLiteral("Unchanged"),
                             result->message, nowMs());
                return;
            }
            // The tracker's rollout (and its outcome) starts at the request.
            m_tracker->markChange(request.timeMs);
        });
    });
}

timeline::ChangeInfo RolloutSession::changeTo(const QList<kube::ContainerImage> &target) const
{
    timeline::ChangeInfo change;
    change.requestedBy = m_options.requestedBy;
    const std::optional<kube::DeploymentInfo> deployment =
        m_tracker ? m_tracker->deployment() : std::nullopt;
    if (!deployment)
        return change;
    // The container whose image the change moves; none moves (a restart): the first one.
    for (const kube::ContainerImage &c : deployment->containers) {
        for (const kube::ContainerImage &t : target) {
            if (change.container.isEmpty() && t.name == c.name && t.image != c.image) {
                change.container = c.name;
                change.from = c.image;
                change.to = t.image;
            }
        }
    }
    if (change.container.isEmpty() && !deployment->containers.isEmpty()) {
        change.container = deployment->containers.first().name;
        change.from = deployment->containers.first().image;
        change.to = change.from;
    }
    return change;
}

void RolloutSession::setImage(const QString &container, const QString &image, const QString &cause)
{
    if (!m_tracker || !m_tracker->deployment())
        return;
    const kube::DeploymentInfo deployment = *m_tracker->deployment();
    Request request;
    request.action = SessionAction::SetImage;
    request.type = QStringLiteral("ImageChangeRequested");
    request.startsRollout = true;
    request.change.container = container;
    for (const kube::ContainerImage &c : deployment.containers) {
        if (c.name == container || container == QLatin1StringView("*")) {
            request.change.from = c.image;
            break;
        }
    }
    request.change.to = image;
    request.change.requestedBy = m_options.requestedBy;
    request.change.action = actionId(request.action);
    const QList<kube::ImageChange> changes{{container, image}};
    request.change.cause =
        cause.isEmpty() ? kube::DeploymentOperations::defaultChangeCause(m_name, changes) : cause;
    request.info = {m_options.requestedBy, request.change.from, image, false, {}};
    request.message = SessionText::tr("Image of container %1 set to %2 (was %3)")
                          .arg(container, image, request.change.from);
    const std::optional<QString> annotation =
        cause.isEmpty() ? std::optional<QString>() : std::optional<QString>(cause);
    send(request, [this, changes, annotation](QObject *context, auto done) {
        kube::DeploymentOperations::setImage(m_client, m_ns, m_name, changes, annotation, context,
                                             std::move(done));
    });
}

void RolloutSession::rollback(qint64 revision)
{
    rollbackAs(revision, SessionAction::Rollback);
}

void RolloutSession::rollbackAs(qint64 revision, SessionAction action)
{
    if (!m_tracker || !m_tracker->deployment())
        return;
    const qint64 current = m_tracker->deployment()->revision;
    QList<kube::ContainerImage> target;
    qint64 to = revision;
    // "undo" returns to the newest revision before the current one.
    for (const kube::RevisionInfo &r : m_tracker->history()) {
        if (revision > 0 ? r.revision == revision
                         : (r.revision != current && r.revision > 0 && !r.current &&
                            (to == 0 || r.revision > to))) {
            to = r.revision;
            target = r.containers;
        }
    }
    Request request;
    request.action = action;
    request.type = action == SessionAction::Abort ? QStringLiteral("AbortRequested")
                                                  : QStringLiteral("RollbackRequested");
    request.startsRollout = true;
    request.change = changeTo(target);
    request.change.action = actionId(request.action);
    request.change.cause = revision > 0
                               ? QStringLiteral("rollout undo deployment/%1 --to-revision=%2")
                                     .arg(m_name)
                                     .arg(revision)
                               : QStringLiteral("rollout undo deployment/%1").arg(m_name);
    request.info = {m_options.requestedBy,
                    SessionText::tr("revision %1 (%2)")
                        .arg(current)
                        .arg(imagesText(m_tracker->deployment()->containers)),
                    SessionText::tr("revision %1 (%2)").arg(to).arg(imagesText(target)),
                    false,
                    {}};
    request.message =
        action == SessionAction::Abort
            ? SessionText::tr("Abort the rollout: roll back to revision %1 (%2)")
                  .arg(to)
                  .arg(imagesText(target))
            : SessionText::tr("Roll back to revision %1 (%2)").arg(to).arg(imagesText(target));
    send(request, [this, revision](QObject *context, auto done) {
        kube::DeploymentOperations::rollback(m_client, m_ns, m_name, revision, context,
                                             std::move(done));
    });
}

void RolloutSession::abort()
{
    // Recorded as AbortRequested: the rollout being aborted ends as Aborted, and the rollback
    // that follows is a recording of its own.
    rollbackAs(0, SessionAction::Abort);
}

void RolloutSession::restart()
{
    if (!m_tracker || !m_tracker->deployment())
        return;
    const kube::DeploymentInfo deployment = *m_tracker->deployment();
    Request request;
    request.action = SessionAction::Restart;
    request.type = QStringLiteral("RestartRequested");
    request.startsRollout = true;
    request.change = changeTo(deployment.containers);
    request.change.action = actionId(request.action);
    request.change.cause = QStringLiteral("rollout restart deployment/%1").arg(m_name);
    const QString images = imagesText(deployment.containers);
    request.info = {m_options.requestedBy, images, images, false, {}};
    request.message = SessionText::tr("Restart: every pod replaced, following the strategy");
    send(request, [this](QObject *context, auto done) {
        kube::DeploymentOperations::restart(m_client, m_ns, m_name, context, std::move(done));
    });
}

void RolloutSession::scale(int replicas)
{
    if (!m_tracker || !m_tracker->deployment())
        return;
    const kube::DeploymentInfo deployment = *m_tracker->deployment();
    Request request;
    request.action = SessionAction::Scale;
    request.type = QStringLiteral("ScaleRequested");
    request.change = changeTo(deployment.containers);
    request.change.action = actionId(request.action);
    request.change.cause =
        QStringLiteral("scale deployment/%1 --replicas=%2").arg(m_name).arg(replicas);
    // Without a loaded translation "%n replica(s)" stays literal: spell both forms.
    const auto replicasText = [](int n) {
        return n == 1 ? SessionText::tr("1 replica") : SessionText::tr("%1 replicas").arg(n);
    };
    request.info = {m_options.requestedBy,
                    replicasText(deployment.replicas),
                    replicasText(replicas),
                    false,
                    {}};
    request.message =
        SessionText::tr("Scale from %1 to %2 replicas").arg(deployment.replicas).arg(replicas);
    send(request, [this, replicas](QObject *context, auto done) {
        kube::DeploymentOperations::scale(m_client, m_ns, m_name, replicas, context,
                                          std::move(done));
    });
}

void RolloutSession::setPaused(bool paused)
{
    if (!m_tracker || !m_tracker->deployment())
        return;
    const kube::DeploymentInfo deployment = *m_tracker->deployment();
    Request request;
    request.action = paused ? SessionAction::Pause : SessionAction::Resume;
    request.type = paused ? QStringLiteral("PauseRequested") : QStringLiteral("ResumeRequested");
    request.change = changeTo(deployment.containers);
    request.change.action = actionId(request.action);
    request.change.cause = paused ? QStringLiteral("rollout pause deployment/%1").arg(m_name)
                                  : QStringLiteral("rollout resume deployment/%1").arg(m_name);
    const QString running = SessionText::tr("running");
    const QString pausedText = SessionText::tr("paused");
    request.info = {m_options.requestedBy,
                    deployment.paused ? pausedText : running,
                    paused ? pausedText : running,
                    false,
                    {}};
    request.message =
        paused ? SessionText::tr("Pause the rollout") : SessionText::tr("Resume the rollout");
    send(request, [this, paused](QObject *context, auto done) {
        if (paused)
            kube::DeploymentOperations::pause(m_client, m_ns, m_name, context, std::move(done));
        else
            kube::DeploymentOperations::resume(m_client, m_ns, m_name, context, std::move(done));
    });
}

// --- names ------------------------------------------------------------------------------------

QString RolloutSession::probeKindId(probe::ProbeTarget::Kind kind)
{
    switch (kind) {
    case probe::ProbeTarget::Kind::LoadBalancer:
        return QStringLiteral("loadBalancer");
    case probe::ProbeTarget::Kind::NodePort:
        return QStringLiteral("nodePort");
    case probe::ProbeTarget::Kind::ServiceProxy:
        return QStringLiteral("serviceProxy");
    case probe::ProbeTarget::Kind::Url:
        return QStringLiteral("url");
    }
    return QStringLiteral("url");
}

timeline::ProbeInfo RolloutSession::probeInfo(const probe::ProbeOptions &options)
{
    timeline::ProbeInfo info;
    info.enabled = true;
    info.kind = probeKindId(options.target.kind);
    info.target = options.target.description;
    info.ratePerSecond = options.rate;
    return info;
}

timeline::StrategyInfo RolloutSession::strategyInfo(const StrategyNumbers &n,
                                                    const std::optional<kube::DeploymentInfo> &d)
{
    timeline::StrategyInfo s;
    s.type = n.type;
    s.replicas = n.replicas;
    s.maxSurge = n.maxSurge.toString();
    s.maxUnavailable = n.maxUnavailable.toString();
    s.maxTotal = n.maxTotal;
    s.minAvailable = n.minAvailable;
    if (d) {
        s.minReadySeconds = d->minReadySeconds;
        s.progressDeadlineSeconds = d->progressDeadlineSeconds.value_or(0);
    }
    return s;
}

} // namespace rollscope::rollout
