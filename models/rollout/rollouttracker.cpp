// SPDX-License-Identifier: MIT
#include "rollouttracker.h"

#include <QDateTime>

#include <algorithm>

namespace rollscope::rollout {

using kube::Condition;
using kube::DeploymentInfo;
using kube::EventInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

RolloutTracker::RolloutTracker(kube::ApiClient *client, QString ns, QString deploymentName,
                               QObject *parent)
    : QObject(parent)
    , m_scope(client, std::move(ns), deploymentName)
    , m_sampler(std::move(deploymentName))
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &RolloutTracker::flush);
    m_outcomeWait.setSingleShot(true);
    connect(&m_outcomeWait, &QTimer::timeout, this, [this] {
        m_outcomeWaitOver = true;
        markDirty();
    });

    m_scope.setPodObserver(
        [this](const PodInfo *before, const PodInfo *after) { m_sampler.tally(before, after); });
    connect(&m_scope, &DeploymentScope::becameLive, this, &RolloutTracker::onBecameLive);
    connect(&m_scope, &DeploymentScope::deploymentSeen, this, &RolloutTracker::onDeploymentSeen);
    connect(&m_scope, &DeploymentScope::deploymentChanged, this,
            &RolloutTracker::onDeploymentChanged);
    connect(&m_scope, &DeploymentScope::deploymentRemoved, this,
            &RolloutTracker::deploymentRemoved);
    connect(&m_scope, &DeploymentScope::replicaSetAdded, this, &RolloutTracker::onReplicaSetAdded);
    connect(&m_scope, &DeploymentScope::replicaSetUpdated, this,
            &RolloutTracker::onReplicaSetUpdated);
    connect(&m_scope, &DeploymentScope::replicaSetRemoved, this,
            &RolloutTracker::replicaSetRemoved);
    connect(&m_scope, &DeploymentScope::podAdded, this, &RolloutTracker::onPodAdded);
    connect(&m_scope, &DeploymentScope::podUpdated, this, &RolloutTracker::onPodUpdated);
    connect(&m_scope, &DeploymentScope::podRemoved, this, &RolloutTracker::onPodRemoved);
    connect(&m_scope, &DeploymentScope::eventAdded, this, &RolloutTracker::onEventAdded);
    connect(&m_scope, &DeploymentScope::eventUpdated, this, &RolloutTracker::onEventUpdated);
    connect(&m_scope, &DeploymentScope::eventRemoved, this, &RolloutTracker::eventRemoved);
    connect(&m_scope, &DeploymentScope::changed, this, &RolloutTracker::markDirty);

    m_sampler.setClock([this] { return now(); });
    m_sampler.setSource([this] { return sampleSource(); });
    connect(&m_sampler, &PodSampler::samplesAppended, this, &RolloutTracker::samplesAppended);
}

RolloutTracker::~RolloutTracker()
{
    // The scope and the sampler are members and go after this body: nothing they still emit
    // may reach a tracker that is half destroyed.
    disconnect(&m_scope, nullptr, this, nullptr);
    disconnect(&m_sampler, nullptr, this, nullptr);
    m_scope.setPodObserver({});
    m_sampler.setClock({});
    m_sampler.setSource({});
}

void RolloutTracker::setOptions(const TrackerOptions &options)
{
    m_sampler.setOptions(options);
}

void RolloutTracker::setClock(Clock clock)
{
    m_clock = std::move(clock);
}

qint64 RolloutTracker::now() const
{
    return m_clock ? m_clock() : QDateTime::currentMSecsSinceEpoch();
}

void RolloutTracker::start()
{
    if (m_running)
        return;
    m_running = true;
    m_scope.start();
    m_sampler.start();
    markDirty();
}

void RolloutTracker::stop()
{
    if (!m_running)
        return;
    m_running = false;
    m_outcomeWait.stop();
    m_scope.stop();
    m_sampler.stop();
    flush();
    m_sampler.emitBatch();
}

// --- what the scope reports ----------------------------------------------------------------------

void RolloutTracker::onBecameLive()
{
    m_sampler.resetExtremes(); // filling the caches is not a change of the pods
    // Dirty first: a flush() from a liveChanged() slot evaluates the live status at once (and
    // starts the rollout found in progress) rather than at the next event-loop pass.
    markDirty();
    emit liveChanged(true);
}

void RolloutTracker::onDeploymentSeen(const std::optional<DeploymentInfo> &before,
                                      const DeploymentInfo &after)
{
    if (!before || before->generation != after.generation)
        m_generationSeenMs = now();
    if (isLive() && before && before->uid == after.uid)
        record(deploymentChanges(*before, after, now()));
    const StrategyNumbers strategy = resolveStrategy(after);
    m_strategyDiffers = !before || strategy != m_strategy;
    m_strategy = strategy;
}

void RolloutTracker::onDeploymentChanged(const DeploymentInfo &deployment)
{
    emit deploymentChanged(deployment);
    if (std::exchange(m_strategyDiffers, false))
        emit strategyChanged(m_strategy);
}

void RolloutTracker::onReplicaSetAdded(const ReplicaSetInfo &replicaSet)
{
    if (isLive())
        record(replicaSetCreated(replicaSet, now()));
    emit replicaSetAdded(replicaSet);
}

void RolloutTracker::onReplicaSetUpdated(const ReplicaSetInfo &before, const ReplicaSetInfo &after)
{
    if (isLive())
        record(replicaSetChanges(before, after, now()));
    emit replicaSetUpdated(before, after);
}

void RolloutTracker::onPodAdded(const PodInfo &pod)
{
    if (isLive())
        record(podCreated(pod, m_scope.versionIdOfPod(pod), now()));
    emit podAdded(pod);
}

void RolloutTracker::onPodUpdated(const PodInfo &before, const PodInfo &after)
{
    if (isLive())
        record(podChanges(before, after, m_scope.versionIdOfPod(after), now()));
    emit podUpdated(before, after);
}

void RolloutTracker::onPodRemoved(const PodInfo &pod, bool gone)
{
    if (gone && isLive())
        record(podGone(pod, m_scope.versionIdOfPod(pod), now()));
    emit podRemoved(pod);
}

void RolloutTracker::onEventAdded(const EventInfo &event)
{
    if (isLive())
        record(kubernetesEvent(event, versionResolver(), now()));
    emit eventAdded(event);
}

void RolloutTracker::onEventUpdated(const EventInfo &before, const EventInfo &after)
{
    // Seen again (a new count or time): it happened again.
    if (isLive() && (before.count != after.count || before.lastSeen() != after.lastSeen()))
        record(kubernetesEvent(after, versionResolver(), now()));
    emit eventUpdated(before, after);
}

VersionIdResolver RolloutTracker::versionResolver() const
{
    return [this](const QString &kind, const QString &name) {
        return m_scope.versionIdOfObject(kind, name);
    };
}

// --- recording -----------------------------------------------------------------------------------

void RolloutTracker::record(const RolloutEvent &event)
{
    m_recorded.append(event);
    const int max = std::max(1, m_sampler.options().maxRecordedEvents);
    if (m_recorded.size() > max + max / 10)
        m_recorded.remove(0, m_recorded.size() - max); // in chunks: removing one by one is O(n)
    emit eventRecorded(event);
}

void RolloutTracker::record(const QList<RolloutEvent> &events)
{
    for (const RolloutEvent &event : events)
        record(event);
}

// --- aggregates ----------------------------------------------------------------------------------

void RolloutTracker::markDirty()
{
    m_dirty = true;
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void RolloutTracker::flush()
{
    m_flushTimer.stop();
    if (!m_dirty)
        return;
    m_dirty = false;
    recomputeVersions();
    recomputeCounts();
    // The scope's indexes make this cost what changed, not what is cached (see podTallies()).
    if (m_scope.podVersionsRevision() != m_publishedPodVersionsRevision) {
        m_publishedPodVersionsRevision = m_scope.podVersionsRevision();
        if (m_scope.podVersions() != m_publishedPodVersions) {
            m_publishedPodVersions = m_scope.podVersions();
            emit podVersionsChanged(m_publishedPodVersions);
        }
    }
    recomputeStatus();
}

void RolloutTracker::recomputeVersions()
{
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    m_newReplicaSet =
        deployment ? findNewReplicaSet(*deployment, m_scope.replicaSets()) : QString();
    const QList<VersionInfo> versions = m_versionBook.update(
        m_scope.replicaSets(), podsPerReplicaSet(m_scope.podTallies()), m_newReplicaSet);
    if (versions != m_publishedVersions) {
        m_publishedVersions = versions;
        emit versionsChanged(versions);
    }
}

void RolloutTracker::recomputeCounts()
{
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    // With minReadySeconds, available lags ready by a time only the ReplicaSet controller
    // judges: countPods() takes its count then.
    const bool lagging = deployment && deployment->minReadySeconds > 0;
    const QList<VersionPods> counts =
        countPods(m_scope.podTallies(), m_scope.replicaSets(), m_publishedVersions, lagging);
    if (counts == m_counts)
        return;
    m_counts = counts;
    if (isLive())
        m_sampler.countsChanged();
}

void RolloutTracker::recomputeStatus()
{
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    const QString newVersionId = m_versionBook.newVersionId();
    const bool live = isLive();
    RolloutStatus status;
    if (deployment) {
        // Of the new version's pods, evaluateStatus() looks only for the ones that cannot run.
        QList<PodInfo> newPods;
        if (!newVersionId.isEmpty()) {
            for (const QString &name : m_scope.failingPods()) {
                const auto pod = m_scope.pods().constFind(name);
                if (pod != m_scope.pods().cend() && !(*pod)->isTerminating() &&
                    m_scope.versionIdOfPod(**pod) == newVersionId)
                    newPods.append(**pod);
            }
            std::sort(newPods.begin(), newPods.end(),
                      [](const PodInfo &a, const PodInfo &b) { return a.name < b.name; });
        }
        int newAvailable = 0;
        for (const VersionPods &c : std::as_const(m_counts)) {
            if (c.versionId == newVersionId)
                newAvailable = c.available;
        }
        status = rollout::evaluateStatus(*deployment, newPods, newAvailable);
    } else if (live) {
        status.reason = QStringLiteral("NotFound");
        status.message = tr("Deployment \"%1\" not found").arg(deploymentName());
    }
    if (status != m_status) {
        m_status = status;
        emit statusChanged(status);
    }
    if (!live || !deployment)
        return;

    if (!m_statusEvaluatedLive) {
        m_statusEvaluatedLive = true;
        m_lastNewVersionId = newVersionId;
        // Tracking starts in the middle of a rollout: t = 0 is now.
        if (!m_rolloutActive &&
            (status.state == RolloutState::Progressing || status.state == RolloutState::Failed))
            startRollout(now());
    } else if (!newVersionId.isEmpty() && newVersionId != m_lastNewVersionId) {
        m_lastNewVersionId = newVersionId;
        m_newVersionSeenMs = now();
        if (m_markPending) {
            m_markPending = false; // the change markChange() announced
        } else {
            startRollout(now()); // kubectl, a rollback, another client
            m_markGeneration = -1;
        }
    }

    if (!m_rolloutActive || m_outcomeEmitted)
        return;
    if (status.state != RolloutState::Complete) {
        m_outcomeWait.stop(); // a wait belongs to one stretch of Complete
        m_outcomeWaitOver = false;
    }
    if (status.state != RolloutState::Complete && status.state != RolloutState::Failed)
        return;
    // Not yet the Deployment the change produced.
    if (m_markGeneration >= 0 && deployment->generation <= m_markGeneration)
        return;
    const QString progressing = QStringLiteral("Progressing");
    if (status.state == RolloutState::Failed && status.reason == u"ProgressDeadlineExceeded" &&
        m_progressingAtStart && deployment->condition(progressing) == m_progressingAtStart)
        return; // the previous rollout's verdict, not this one's
    if (status.state == RolloutState::Complete && !m_outcomeWaitOver && oldReplicaSetWantsPods()) {
        // The controller scaled it down before the status could say Complete: that change is
        // on its way on the ReplicaSet watch (and flushes again when it comes).
        if (!m_outcomeWait.isActive())
            m_outcomeWait.start(std::max(0, m_sampler.options().outcomeWaitMs));
        return;
    }
    m_outcomeWait.stop();
    m_outcomeWaitOver = false;
    m_outcomeEmitted = true;
    record(outcomeEvent(deploymentName(), status, newVersionId, now()));
    emit outcomeReached(status);
}

bool RolloutTracker::oldReplicaSetWantsPods() const
{
    if (m_newReplicaSet.isEmpty())
        return false;
    for (const ReplicaSetInfo &replicaSet : m_scope.replicaSets()) {
        if (replicaSet.name != m_newReplicaSet && replicaSet.desired > 0 &&
            !replicaSet.deletionTimestamp.isValid())
            return true;
    }
    return false;
}

void RolloutTracker::startRollout(qint64 originMs)
{
    m_rolloutActive = true;
    m_outcomeEmitted = false;
    m_outcomeWait.stop();
    m_outcomeWaitOver = false;
    m_originMs = originMs;
    // What the caches went through before the change is not the rollout's.
    m_sampler.resetExtremes();
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    m_progressingAtStart = deployment ? deployment->condition(QStringLiteral("Progressing"))
                                      : std::optional<Condition>();
    emit rolloutStarted(originMs);
}

void RolloutTracker::markChange(qint64 timeMs)
{
    flush();
    // The window may call this once the PATCH has returned, when the watch has already
    // delivered the Deployment and even the new ReplicaSet it produced.
    const bool replicaSetSeen = m_rolloutActive && !m_outcomeEmitted &&
                                !m_lastNewVersionId.isEmpty() && m_newVersionSeenMs > timeMs;
    startRollout(timeMs);
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    if (replicaSetSeen) {
        m_markPending = false;
        m_markGeneration = -1;
    } else {
        m_markPending = true;
        m_markGeneration = !deployment                   ? -1
                           : m_generationSeenMs > timeMs ? deployment->generation - 1
                                                         : deployment->generation;
    }
    if (isLive())
        m_sampler.append(timeMs, sampleInput());
    markDirty();
}

RolloutStatus RolloutTracker::evaluateStatus(const DeploymentInfo &deployment,
                                             const QList<PodInfo> &newPods, int newAvailable)
{
    return rollout::evaluateStatus(deployment, newPods, newAvailable);
}

QString RolloutTracker::stateText(RolloutState state)
{
    return rollout::stateText(state);
}

// --- samples -------------------------------------------------------------------------------------

SampleInput RolloutTracker::sampleInput() const
{
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    SampleInput input;
    input.counts = m_counts;
    input.desired = deployment ? m_strategy.replicas : 0;
    input.maxTotal = deployment ? m_strategy.maxTotal : 0;
    input.minAvailable = deployment ? m_strategy.minAvailable : 0;
    input.availabilityLags = deployment && deployment->minReadySeconds > 0;
    return input;
}

std::optional<SampleInput> RolloutTracker::sampleSource()
{
    flush();
    if (!isLive())
        return std::nullopt;
    return sampleInput();
}

void RolloutTracker::sampleNow()
{
    flush();
    if (isLive())
        m_sampler.append(now(), sampleInput());
    m_sampler.emitBatch();
}

// --- accessors -----------------------------------------------------------------------------------

std::optional<VersionInfo> RolloutTracker::version(const QString &id) const
{
    for (const VersionInfo &v : m_publishedVersions) {
        if (v.id == id)
            return v;
    }
    return std::nullopt;
}

QString RolloutTracker::versionOfPod(const QString &podName) const
{
    const auto it = m_scope.pods().constFind(podName);
    return it == m_scope.pods().cend() ? QString() : m_scope.versionIdOfPod(**it);
}

QList<ReplicaSetInfo> RolloutTracker::replicaSets() const
{
    QList<ReplicaSetInfo> list = m_scope.replicaSets().values();
    std::sort(list.begin(), list.end(), [](const ReplicaSetInfo &a, const ReplicaSetInfo &b) {
        return a.revision != b.revision ? a.revision < b.revision : a.name < b.name;
    });
    return list;
}

namespace {

template<typename T>
QList<T> copies(const QList<Shared<T>> &shared)
{
    QList<T> list;
    list.reserve(shared.size());
    for (const Shared<T> &value : shared)
        list.append(*value);
    return list;
}

} // namespace

QList<PodInfo> RolloutTracker::pods() const
{
    return copies(sharedPods());
}

QList<Shared<PodInfo>> RolloutTracker::sharedPods() const
{
    QList<Shared<PodInfo>> list = m_scope.pods().values();
    std::sort(list.begin(), list.end(),
              [](const Shared<PodInfo> &a, const Shared<PodInfo> &b) { return a->name < b->name; });
    return list;
}

QList<EventInfo> RolloutTracker::events() const
{
    return copies(sharedEvents());
}

QList<Shared<EventInfo>> RolloutTracker::sharedEvents() const
{
    QList<Shared<EventInfo>> list = m_scope.sharedEvents();
    std::sort(list.begin(), list.end(), [](const Shared<EventInfo> &a, const Shared<EventInfo> &b) {
        const QDateTime x = a->lastSeen();
        const QDateTime y = b->lastSeen();
        return x != y ? x < y : a->key() < b->key();
    });
    return list;
}

QList<kube::RevisionInfo> RolloutTracker::history() const
{
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    return revisionHistory(m_scope.replicaSets(), deployment ? deployment->revision : 0);
}

qint64 RolloutTracker::lastGoodRevision() const
{
    const std::optional<DeploymentInfo> &deployment = m_scope.deployment();
    return rollout::lastGoodRevision(m_scope.replicaSets(), deployment ? deployment->revision : 0);
}

} // namespace rollscope::rollout
