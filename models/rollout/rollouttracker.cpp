#include "rollouttracker.h"

#include "kube/apiclient.h"

#include <QDateTime>
#include <QSet>

#include <algorithm>
#include <limits>

namespace rollscope::rollout {

using kube::Condition;
using kube::DeploymentInfo;
using kube::EventInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

namespace {

// Waiting reasons that mean the pod will not run without a change, most specific first.
const QLatin1StringView kFailureReasons[] = {
    QLatin1StringView("InvalidImageName"),           QLatin1StringView("ErrImageNeverPull"),
    QLatin1StringView("CreateContainerConfigError"), QLatin1StringView("CreateContainerError"),
    QLatin1StringView("RunContainerError"),          QLatin1StringView("ErrImagePull"),
    QLatin1StringView("ImagePullBackOff"),           QLatin1StringView("CrashLoopBackOff"),
};

int failureRank(const QString &reason)
{
    for (int i = 0; i < int(std::size(kFailureReasons)); ++i) {
        if (reason == kFailureReasons[i])
            return i;
    }
    return -1;
}

const QString kProgressing = QStringLiteral("Progressing");
const QString kDeadlineExceeded = QStringLiteral("ProgressDeadlineExceeded");

bool isTerminal(const PodInfo &pod)
{
    return pod.phase == u"Succeeded" || pod.phase == u"Failed";
}

QString objectRef(const QString &kind, const QString &name)
{
    return kind.toLower() + u'/' + name;
}

} // namespace

// --- free functions ------------------------------------------------------------------------------

void labelVersions(QList<VersionSource> &versions)
{
    // The containers whose image is not the same in every version (or missing from some).
    QStringList names;
    for (const VersionSource &v : std::as_const(versions)) {
        for (const kube::ContainerImage &c : v.containers) {
            if (!names.contains(c.name))
                names.append(c.name);
        }
    }
    QSet<QString> differing;
    for (const QString &name : std::as_const(names)) {
        std::optional<QString> first;
        for (const VersionSource &v : std::as_const(versions)) {
            QString image = QStringLiteral("\x01"); // stands for "no such container"
            for (const kube::ContainerImage &c : v.containers) {
                if (c.name == name)
                    image = c.image;
            }
            if (!first)
                first = image;
            else if (*first != image)
                differing.insert(name);
        }
    }
    QHash<QString, int> uses;
    for (VersionSource &v : versions) {
        QStringList parts;
        for (const kube::ContainerImage &c : std::as_const(v.containers)) {
            if (differing.contains(c.name))
                parts.append(c.image);
        }
        if (parts.isEmpty())
            parts.append(v.containers.isEmpty() ? v.info.replicaSet : v.containers.first().image);
        v.info.image = parts.join(QStringLiteral(", "));
        ++uses[v.info.image];
    }
    for (VersionSource &v : versions) {
        v.info.label =
            uses.value(v.info.image) > 1
                ? RolloutTracker::tr("%1 (rev %2)").arg(v.info.image).arg(v.info.revision)
                : v.info.image;
    }
}

std::optional<PodFailure> podFailure(const PodInfo &pod)
{
    std::optional<PodFailure> best;
    int bestRank = std::numeric_limits<int>::max();
    auto consider = [&](const QList<kube::ContainerStatusInfo> &containers) {
        for (const kube::ContainerStatusInfo &c : containers) {
            if (c.state != kube::ContainerStatusInfo::State::Waiting)
                continue;
            const int rank = failureRank(c.reason);
            if (rank >= 0 && rank < bestRank) {
                bestRank = rank;
                best = PodFailure{c.reason, c.message, c.name};
            }
        }
    };
    consider(pod.initContainers);
    consider(pod.containers);
    return best;
}

RolloutEvent::Severity conditionSeverity(const Condition &condition)
{
    if (condition.type == u"ReplicaFailure")
        return condition.status == u"True" ? RolloutEvent::Severity::Error
                                           : RolloutEvent::Severity::Info;
    if (condition.status == u"False")
        return condition.type == kProgressing ? RolloutEvent::Severity::Error
                                              : RolloutEvent::Severity::Warning;
    return RolloutEvent::Severity::Info;
}

kube::RevisionInfo revisionInfo(const ReplicaSetInfo &replicaSet, qint64 currentRevision)
{
    kube::RevisionInfo r;
    r.revision = replicaSet.revision;
    r.replicaSetName = replicaSet.name;
    r.containers = replicaSet.containers;
    r.changeCause = replicaSet.changeCause;
    r.created = replicaSet.creationTimestamp;
    r.current = replicaSet.revision > 0 && replicaSet.revision == currentRevision;
    return r;
}

// --- RolloutTracker ------------------------------------------------------------------------------

RolloutTracker::RolloutTracker(kube::ApiClient *client, QString ns, QString deploymentName,
                               QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_ns(std::move(ns))
    , m_name(std::move(deploymentName))
    , m_live(client == nullptr)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(0);
    connect(&m_flushTimer, &QTimer::timeout, this, &RolloutTracker::flush);

    m_sampleTimer.setInterval(m_options.sampleIntervalMs);
    connect(&m_sampleTimer, &QTimer::timeout, this, [this] {
        flush();
        if (m_live)
            appendSample(now());
    });
    m_changeSampleTimer.setSingleShot(true);
    connect(&m_changeSampleTimer, &QTimer::timeout, this, [this] {
        flush();
        if (m_live && m_changePending)
            appendSample(now());
    });
    m_batchTimer.setSingleShot(true);
    connect(&m_batchTimer, &QTimer::timeout, this, &RolloutTracker::emitBatch);
    m_compactAt = 2 * std::max(1, 60'000 / std::max(1, m_options.sampleIntervalMs));
}

RolloutTracker::~RolloutTracker() = default;

void RolloutTracker::setOptions(const TrackerOptions &options)
{
    m_options = options;
    m_sampleTimer.setInterval(std::max(1, m_options.sampleIntervalMs));
    m_compactAt = m_samples.size() + std::max(1, 60'000 / std::max(1, m_options.sampleIntervalMs));
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
    if (m_client) {
        kube::InformerOptions options;
        options.ns = m_ns;
        options.fieldSelector = QStringLiteral("metadata.name=") + m_name;
        m_deploymentInformer = new kube::DeploymentInformer(m_client, options, this);
        connect(m_deploymentInformer, &kube::DeploymentInformer::added, this,
                &RolloutTracker::applyDeployment);
        connect(m_deploymentInformer, &kube::DeploymentInformer::updated, this,
                [this](const DeploymentInfo &, const DeploymentInfo &after) {
                    applyDeployment(after);
                });
        connect(m_deploymentInformer, &kube::DeploymentInformer::removed, this,
                &RolloutTracker::applyDeploymentRemoved);
        connect(m_deploymentInformer, &kube::Informer::syncedChanged, this,
                &RolloutTracker::updateLive);

        kube::InformerOptions events;
        events.ns = m_ns;
        m_eventInformer = new kube::EventInformer(m_client, events, this);
        connect(m_eventInformer, &kube::EventInformer::added, this, &RolloutTracker::applyEvent);
        connect(m_eventInformer, &kube::EventInformer::updated, this,
                [this](const EventInfo &, const EventInfo &after) { applyEvent(after); });
        connect(m_eventInformer, &kube::EventInformer::removed, this,
                &RolloutTracker::applyEventRemoved);
        connect(m_eventInformer, &kube::Informer::syncedChanged, this, &RolloutTracker::updateLive);

        m_deploymentInformer->start();
        m_eventInformer->start();
        m_scopedConfigured = false;
        ensureScopedInformers();
    }
    m_sampleTimer.start(std::max(1, m_options.sampleIntervalMs));
    markDirty();
}

void RolloutTracker::stop()
{
    if (!m_running)
        return;
    m_running = false;
    for (kube::Informer *informer : {static_cast<kube::Informer *>(m_deploymentInformer),
                                     static_cast<kube::Informer *>(m_eventInformer)}) {
        if (!informer)
            continue;
        disconnect(informer, nullptr, this, nullptr);
        informer->stop();
        informer->deleteLater(); // stop() may run inside one of its signals
    }
    m_deploymentInformer = nullptr;
    m_eventInformer = nullptr;
    dropScopedInformers();
    m_scopedConfigured = false;
    m_sampleTimer.stop();
    m_changeSampleTimer.stop();
    m_batchTimer.stop();
    flush();
    emitBatch();
}

void RolloutTracker::dropScopedInformers()
{
    for (kube::Informer *informer : {static_cast<kube::Informer *>(m_replicaSetInformer),
                                     static_cast<kube::Informer *>(m_podInformer)}) {
        if (!informer)
            continue;
        disconnect(informer, nullptr, this, nullptr);
        informer->stop();
        informer->deleteLater();
    }
    m_replicaSetInformer = nullptr;
    m_podInformer = nullptr;
}

void RolloutTracker::ensureScopedInformers()
{
    if (!m_client || !m_running || !m_deployment)
        return;
    const bool has = m_deployment->selector.present;
    const QString selector = m_deployment->selector.toString();
    if (m_scopedConfigured && has == m_hasScopedSelector && selector == m_scopedSelector)
        return;
    dropScopedInformers();
    m_scopedConfigured = true;
    m_hasScopedSelector = has;
    m_scopedSelector = selector;
    if (!has) {
        // A missing selector selects nothing.
        reconcileReplicaSets({});
        reconcilePods({});
        updateLive();
        return;
    }
    kube::InformerOptions options;
    options.ns = m_ns;
    options.labelSelector = selector;

    m_replicaSetInformer = new kube::ReplicaSetInformer(m_client, options, this);
    connect(m_replicaSetInformer, &kube::ReplicaSetInformer::added, this,
            &RolloutTracker::applyReplicaSet);
    connect(
        m_replicaSetInformer, &kube::ReplicaSetInformer::updated, this,
        [this](const ReplicaSetInfo &, const ReplicaSetInfo &after) { applyReplicaSet(after); });
    connect(m_replicaSetInformer, &kube::ReplicaSetInformer::removed, this,
            &RolloutTracker::applyReplicaSetRemoved);
    kube::ReplicaSetInformer *replicaSets = m_replicaSetInformer;
    connect(replicaSets, &kube::Informer::syncedChanged, this, [this, replicaSets](bool synced) {
        // The first list of a new selector: what the old one had and this one lacks is gone.
        if (synced)
            reconcileReplicaSets(replicaSets->items());
        updateLive();
    });

    m_podInformer = new kube::PodInformer(m_client, options, this);
    connect(m_podInformer, &kube::PodInformer::added, this, &RolloutTracker::applyPod);
    connect(m_podInformer, &kube::PodInformer::updated, this,
            [this](const PodInfo &, const PodInfo &after) { applyPod(after); });
    connect(m_podInformer, &kube::PodInformer::removed, this, &RolloutTracker::applyPodRemoved);
    kube::PodInformer *pods = m_podInformer;
    connect(pods, &kube::Informer::syncedChanged, this, [this, pods](bool synced) {
        if (synced)
            reconcilePods(pods->items());
        updateLive();
    });

    m_replicaSetInformer->start();
    m_podInformer->start();
}

void RolloutTracker::reconcileReplicaSets(const QList<ReplicaSetInfo> &present)
{
    QSet<QString> names;
    for (const ReplicaSetInfo &rs : present)
        names.insert(rs.name);
    const QList<ReplicaSetInfo> known = m_allReplicaSets.values();
    for (const ReplicaSetInfo &rs : known) {
        if (!names.contains(rs.name))
            applyReplicaSetRemoved(rs);
    }
}

void RolloutTracker::reconcilePods(const QList<PodInfo> &present)
{
    QSet<QString> names;
    for (const PodInfo &pod : present)
        names.insert(pod.name);
    const QList<PodInfo> known = m_allPods.values();
    for (const PodInfo &pod : known) {
        if (!names.contains(pod.name))
            applyPodRemoved(pod);
    }
}

void RolloutTracker::updateLive()
{
    if (m_live || !m_client)
        return;
    auto synced = [](const kube::Informer *informer) { return informer && informer->hasSynced(); };
    if (!synced(m_deploymentInformer) || !synced(m_eventInformer))
        return;
    if (m_deployment && m_hasScopedSelector &&
        (!synced(m_replicaSetInformer) || !synced(m_podInformer)))
        return;
    if (m_deployment && !m_scopedConfigured)
        return;
    m_live = true;
    resetExtremes(); // filling the caches is not a change of the pods
    emit liveChanged(true);
    markDirty();
}

// --- what belongs to the Deployment --------------------------------------------------------------

bool RolloutTracker::ownsReplicaSet(const ReplicaSetInfo &replicaSet) const
{
    if (!m_deployment)
        return false;
    if (!m_deployment->uid.isEmpty())
        return replicaSet.ownerUid == m_deployment->uid;
    // Hand-made values without uids (recorded sequences): the owner's name must do.
    return replicaSet.ownerName == m_name &&
           (replicaSet.ownerKind.isEmpty() || replicaSet.ownerKind == u"Deployment");
}

bool RolloutTracker::podIsOurs(const PodInfo &pod) const
{
    if (!pod.ownerKind.isEmpty() && pod.ownerKind != u"ReplicaSet")
        return false;
    const auto rs = m_replicaSets.constFind(pod.ownerName);
    if (rs == m_replicaSets.cend())
        return false;
    return pod.ownerUid.isEmpty() || rs->uid.isEmpty() || pod.ownerUid == rs->uid;
}

bool RolloutTracker::eventIsOurs(const EventInfo &event) const
{
    const QString &kind = event.involvedKind;
    const QString &name = event.involvedName;
    if (kind == u"Deployment")
        return name == m_name;
    if (kind == u"ReplicaSet")
        return m_replicaSets.contains(name);
    if (kind == u"Pod") {
        // Events of a pod may come before the pod or outlive it; its name is "<rs>-<suffix>".
        return m_pods.contains(name) || m_replicaSets.contains(name.section(u'-', 0, -2));
    }
    return false;
}

QString RolloutTracker::versionIdOf(const ReplicaSetInfo &replicaSet) const
{
    return replicaSet.podTemplateHash.isEmpty() ? replicaSet.name : replicaSet.podTemplateHash;
}

QString RolloutTracker::versionIdOfPod(const PodInfo &pod) const
{
    const auto rs = m_replicaSets.constFind(pod.ownerName);
    if (rs != m_replicaSets.cend())
        return versionIdOf(*rs);
    return pod.podTemplateHash;
}

void RolloutTracker::refreshOwnership()
{
    const QList<ReplicaSetInfo> all = m_allReplicaSets.values();
    for (const ReplicaSetInfo &rs : all)
        applyReplicaSet(rs); // adds what is ours now, removes what no longer is
    refreshEvents();
}

void RolloutTracker::refreshPodsOf(const QString &replicaSetName)
{
    const QList<PodInfo> all = m_allPods.values();
    for (const PodInfo &pod : all) {
        if (pod.ownerName != replicaSetName)
            continue;
        if (podIsOurs(pod))
            admitPod(pod);
        else if (m_pods.contains(pod.name))
            dropPod(pod, false);
    }
}

void RolloutTracker::refreshEvents()
{
    const QList<EventInfo> candidates = m_candidateEvents.values();
    for (const EventInfo &event : candidates) {
        const bool ours = eventIsOurs(event);
        const auto it = m_events.constFind(event.key());
        if (ours && it == m_events.cend()) {
            m_events.insert(event.key(), event);
            if (m_live)
                recordKubernetesEvent(event);
            emit eventAdded(event);
        } else if (!ours && it != m_events.cend()) {
            const EventInfo before = *it;
            m_events.remove(event.key());
            emit eventRemoved(before);
        }
    }
}

// --- feeding -------------------------------------------------------------------------------------

void RolloutTracker::applyDeployment(const DeploymentInfo &deployment)
{
    if (deployment.name != m_name || (!m_ns.isEmpty() && deployment.ns != m_ns))
        return;
    const std::optional<DeploymentInfo> before = m_deployment;
    m_deployment = deployment;
    if (!before || before->generation != deployment.generation)
        m_generationSeenMs = now();
    if (m_live && before && before->uid == deployment.uid)
        recordDeploymentChanges(*before, deployment);
    const StrategyNumbers strategy = resolveStrategy(deployment);
    const bool strategyDiffers = !before || strategy != m_strategy;
    m_strategy = strategy;
    if (!before || before->uid != deployment.uid)
        refreshOwnership();
    emit deploymentChanged(deployment);
    if (strategyDiffers)
        emit strategyChanged(strategy);
    ensureScopedInformers();
    markDirty();
}

void RolloutTracker::applyDeploymentRemoved(const DeploymentInfo &deployment)
{
    if (deployment.name != m_name || !m_deployment)
        return;
    m_deployment.reset();
    emit deploymentRemoved();
    refreshOwnership();
    markDirty();
}

void RolloutTracker::applyReplicaSet(const ReplicaSetInfo &replicaSet)
{
    if (!m_ns.isEmpty() && replicaSet.ns != m_ns)
        return;
    m_allReplicaSets.insert(replicaSet.name, replicaSet);
    const bool owned = ownsReplicaSet(replicaSet);
    const auto it = m_replicaSets.find(replicaSet.name);
    if (owned && it != m_replicaSets.end()) {
        if (*it == replicaSet)
            return;
        const ReplicaSetInfo before = std::exchange(*it, replicaSet);
        if (m_live)
            recordReplicaSetChanges(before, replicaSet);
        emit replicaSetUpdated(before, replicaSet);
    } else if (owned) {
        m_replicaSets.insert(replicaSet.name, replicaSet);
        if (m_live) {
            record(QStringLiteral("ReplicaSetCreated"),
                   tr("Replica set %1 created for revision %2")
                       .arg(replicaSet.name)
                       .arg(replicaSet.revision),
                   objectRef(QStringLiteral("ReplicaSet"), replicaSet.name),
                   versionIdOf(replicaSet));
        }
        emit replicaSetAdded(replicaSet);
        refreshPodsOf(replicaSet.name);
        refreshEvents();
    } else if (it != m_replicaSets.end()) {
        const ReplicaSetInfo before = *it;
        m_replicaSets.erase(it);
        emit replicaSetRemoved(before);
        refreshPodsOf(replicaSet.name);
        refreshEvents();
    } else {
        return;
    }
    markDirty();
}

void RolloutTracker::applyReplicaSetRemoved(const ReplicaSetInfo &replicaSet)
{
    m_allReplicaSets.remove(replicaSet.name);
    const auto it = m_replicaSets.find(replicaSet.name);
    if (it == m_replicaSets.end())
        return;
    const ReplicaSetInfo before = *it;
    m_replicaSets.erase(it);
    emit replicaSetRemoved(before);
    refreshPodsOf(replicaSet.name);
    refreshEvents();
    markDirty();
}

void RolloutTracker::applyPod(const PodInfo &pod)
{
    if (!m_ns.isEmpty() && pod.ns != m_ns)
        return;
    const auto known = m_allPods.constFind(pod.name);
    tally(known == m_allPods.cend() ? nullptr : &*known, &pod);
    m_allPods.insert(pod.name, pod);
    if (podIsOurs(pod))
        admitPod(pod);
    else if (m_pods.contains(pod.name))
        dropPod(pod, false);
}

void RolloutTracker::applyPodRemoved(const PodInfo &pod)
{
    if (const auto known = m_allPods.constFind(pod.name); known != m_allPods.cend())
        tally(&*known, nullptr);
    m_allPods.remove(pod.name);
    if (m_pods.contains(pod.name))
        dropPod(pod, true);
}

void RolloutTracker::admitPod(const PodInfo &pod)
{
    const auto it = m_pods.find(pod.name);
    if (it == m_pods.end()) {
        m_pods.insert(pod.name, pod);
        if (m_live) {
            record(QStringLiteral("PodCreated"), tr("Pod %1 created").arg(pod.name),
                   objectRef(QStringLiteral("Pod"), pod.name), versionIdOfPod(pod));
        }
        emit podAdded(pod);
        markDirty();
        return;
    }
    if (*it == pod)
        return;
    const PodInfo before = std::exchange(*it, pod);
    if (m_live)
        recordPodChanges(before, pod);
    emit podUpdated(before, pod);
    markDirty();
}

void RolloutTracker::tally(const PodInfo *before, const PodInfo *after)
{
    // Pods are counted as the pod watch delivers them, by the name of the ReplicaSet that owns
    // them (a Deployment's ReplicaSets are "<deployment>-<pod-template-hash>"): the ReplicaSet
    // watch is a separate stream and may lag, and a pod must not drop out of the count meanwhile.
    auto add = [this](const PodInfo *pod, int sign) {
        if (!pod || pod->isTerminating() || isTerminal(*pod))
            return;
        if (pod->ownerKind != u"ReplicaSet" || pod->podTemplateHash.isEmpty() ||
            pod->ownerName != m_name + u'-' + pod->podTemplateHash)
            return;
        m_tally.total += sign;
        if (pod->ready)
            m_tally.available += sign;
    };
    add(before, -1);
    add(after, +1);
    m_peakTotalSinceSample = std::max(m_peakTotalSinceSample, m_tally.total);
    m_lowAvailableSinceSample = m_lowAvailableSinceSample < 0
                                    ? m_tally.available
                                    : std::min(m_lowAvailableSinceSample, m_tally.available);
}

void RolloutTracker::resetExtremes()
{
    m_peakTotalSinceSample = m_tally.total;
    m_lowAvailableSinceSample = m_tally.available;
}

void RolloutTracker::dropPod(const PodInfo &pod, bool gone)
{
    const auto it = m_pods.find(pod.name);
    if (it == m_pods.end())
        return;
    const PodInfo before = *it;
    m_pods.erase(it);
    if (gone && m_live) {
        record(QStringLiteral("PodGone"), tr("Pod %1 is gone").arg(pod.name),
               objectRef(QStringLiteral("Pod"), pod.name), versionIdOfPod(before));
    }
    emit podRemoved(before);
    markDirty();
}

void RolloutTracker::applyEvent(const EventInfo &event)
{
    if (!m_ns.isEmpty() && event.ns != m_ns)
        return;
    // Everything the Deployment owns is named "<deployment>-...": keep only those candidates.
    if (!event.involvedName.startsWith(m_name)) {
        if (m_candidateEvents.remove(event.key()))
            applyEventRemoved(event);
        return;
    }
    m_candidateEvents.insert(event.key(), event);
    const bool ours = eventIsOurs(event);
    const auto it = m_events.find(event.key());
    if (ours && it == m_events.end()) {
        m_events.insert(event.key(), event);
        if (m_live)
            recordKubernetesEvent(event);
        emit eventAdded(event);
    } else if (ours) {
        if (*it == event)
            return;
        const EventInfo before = std::exchange(*it, event);
        if (m_live && (before.count != event.count || before.lastSeen() != event.lastSeen()))
            recordKubernetesEvent(event);
        emit eventUpdated(before, event);
    } else if (it != m_events.end()) {
        const EventInfo before = *it;
        m_events.erase(it);
        emit eventRemoved(before);
    }
}

void RolloutTracker::applyEventRemoved(const EventInfo &event)
{
    m_candidateEvents.remove(event.key());
    const auto it = m_events.find(event.key());
    if (it == m_events.end())
        return;
    const EventInfo before = *it;
    m_events.erase(it);
    emit eventRemoved(before);
}

// --- recording -----------------------------------------------------------------------------------

void RolloutTracker::record(const QString &type, const QString &message, const QString &object,
                            const QString &versionId, RolloutEvent::Severity severity,
                            std::optional<qint64> timeMs)
{
    RolloutEvent event;
    event.timeMs = timeMs.value_or(now());
    event.type = type;
    event.message = message;
    event.object = object;
    event.versionId = versionId;
    event.severity = severity;
    m_recorded.append(event);
    const int max = std::max(1, m_options.maxRecordedEvents);
    if (m_recorded.size() > max + max / 10)
        m_recorded.remove(0, m_recorded.size() - max); // in chunks: removing one by one is O(n)
    emit eventRecorded(event);
}

void RolloutTracker::recordDeploymentChanges(const DeploymentInfo &before,
                                             const DeploymentInfo &after)
{
    const QString object = objectRef(QStringLiteral("Deployment"), after.name);
    if (!before.paused && after.paused)
        record(QStringLiteral("Paused"), tr("Rollout paused"), object);
    if (before.paused && !after.paused)
        record(QStringLiteral("Resumed"), tr("Rollout resumed"), object);
    if (after.templateRestartedAt != before.templateRestartedAt &&
        !after.templateRestartedAt.isEmpty()) {
        record(QStringLiteral("Restarted"),
               tr("Rollout restart requested at %1").arg(after.templateRestartedAt), object);
    }
    if (after.replicas != before.replicas) {
        record(QStringLiteral("Scaled"),
               tr("Scaled from %1 to %2 replicas").arg(before.replicas).arg(after.replicas),
               object);
    }
    for (const Condition &condition : after.conditions) {
        const std::optional<Condition> was = before.condition(condition.type);
        if (was && was->status == condition.status && was->reason == condition.reason)
            continue;
        QString text = tr("%1 is %2").arg(condition.type, condition.status);
        if (!condition.reason.isEmpty())
            text = tr("%1 (%2)").arg(text, condition.reason);
        if (!condition.message.isEmpty())
            text = tr("%1: %2").arg(text, condition.message);
        record(QStringLiteral("ConditionChanged"), text, object, {}, conditionSeverity(condition));
    }
}

void RolloutTracker::recordReplicaSetChanges(const ReplicaSetInfo &before,
                                             const ReplicaSetInfo &after)
{
    const QString object = objectRef(QStringLiteral("ReplicaSet"), after.name);
    const QString versionId = versionIdOf(after);
    // The controller raises an existing ReplicaSet's revision only when its template becomes
    // the Deployment's again: a rollback (or an update back to an earlier template).
    if (before.revision > 0 && after.revision > before.revision) {
        record(QStringLiteral("RolledBack"),
               tr("Rolled back to %1: replica set %2, revision %3 is now revision %4")
                   .arg(after.imagesText(), after.name)
                   .arg(before.revision)
                   .arg(after.revision),
               object, versionId);
    }
    if (after.desired != before.desired) {
        const QString text = after.desired > before.desired
                                 ? tr("Scaled up replica set %1 from %2 to %3")
                                 : tr("Scaled down replica set %1 from %2 to %3");
        record(QStringLiteral("ReplicaSetScaled"),
               text.arg(after.name).arg(before.desired).arg(after.desired), object, versionId);
    }
}

void RolloutTracker::recordPodChanges(const PodInfo &before, const PodInfo &after)
{
    const QString object = objectRef(QStringLiteral("Pod"), after.name);
    const QString versionId = versionIdOfPod(after);
    if (before.node.isEmpty() && !after.node.isEmpty()) {
        record(QStringLiteral("PodScheduled"),
               tr("Pod %1 scheduled to %2").arg(after.name, after.node), object, versionId);
    }
    if (before.phase != u"Running" && after.phase == u"Running")
        record(QStringLiteral("PodStarted"), tr("Pod %1 started").arg(after.name), object,
               versionId);
    if (!before.ready && after.ready)
        record(QStringLiteral("PodReady"), tr("Pod %1 is ready").arg(after.name), object,
               versionId);
    // A terminating pod stops being ready as a matter of course: PodTerminating says it.
    if (before.ready && !after.ready && !after.isTerminating())
        record(QStringLiteral("PodNotReady"), tr("Pod %1 is no longer ready").arg(after.name),
               object, versionId, RolloutEvent::Severity::Warning);
    if (!before.isTerminating() && after.isTerminating())
        record(QStringLiteral("PodTerminating"), tr("Pod %1 is terminating").arg(after.name),
               object, versionId);
    if (after.restarts > before.restarts) {
        QString text = tr("Pod %1 restarted (%2 restarts)").arg(after.name).arg(after.restarts);
        for (const kube::ContainerStatusInfo &c : after.containers) {
            if (!c.lastTerminatedReason.isEmpty()) {
                text = tr("%1; container %2 exited: %3 (exit code %4)")
                           .arg(text, c.name, c.lastTerminatedReason)
                           .arg(c.lastTerminatedExitCode);
                break;
            }
        }
        record(QStringLiteral("PodRestarted"), text, object, versionId,
               RolloutEvent::Severity::Warning);
    }
    const std::optional<PodFailure> was = podFailure(before);
    const std::optional<PodFailure> is = podFailure(after);
    if (is && (!was || was->reason != is->reason)) {
        QString text = tr("Pod %1: %2").arg(after.name, is->reason);
        if (!is->message.isEmpty())
            text = tr("%1 (%2)").arg(text, is->message);
        record(QStringLiteral("PodFailing"), text, object, versionId,
               RolloutEvent::Severity::Error);
    }
}

void RolloutTracker::recordKubernetesEvent(const EventInfo &event)
{
    QString versionId;
    if (event.involvedKind == u"ReplicaSet") {
        if (const auto rs = m_replicaSets.constFind(event.involvedName); rs != m_replicaSets.cend())
            versionId = versionIdOf(*rs);
    } else if (event.involvedKind == u"Pod") {
        if (const auto pod = m_pods.constFind(event.involvedName); pod != m_pods.cend())
            versionId = versionIdOfPod(*pod);
        else if (const auto rs = m_replicaSets.constFind(event.involvedName.section(u'-', 0, -2));
                 rs != m_replicaSets.cend())
            versionId = versionIdOf(*rs);
    }
    record(QStringLiteral("KubernetesEvent"), tr("%1: %2").arg(event.reason, event.message),
           objectRef(event.involvedKind, event.involvedName), versionId,
           event.type == u"Warning" ? RolloutEvent::Severity::Warning
                                    : RolloutEvent::Severity::Info);
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
    QHash<QString, QString> podVersions;
    podVersions.reserve(m_pods.size());
    for (const PodInfo &pod : std::as_const(m_pods))
        podVersions.insert(pod.name, versionIdOfPod(pod));
    if (podVersions != m_publishedPodVersions) {
        m_publishedPodVersions = podVersions;
        emit podVersionsChanged(podVersions);
    }
    recomputeStatus();
}

QString RolloutTracker::findNewReplicaSet() const
{
    if (!m_deployment)
        return {};
    const DeploymentInfo &d = *m_deployment;
    QString best;
    qint64 bestRevision = -1;
    for (const ReplicaSetInfo &rs : m_replicaSets) {
        if (rs.containers != d.containers)
            continue;
        if (d.revision > 0) {
            if (rs.revision == d.revision)
                return rs.name;
            continue;
        }
        // No revision annotation (hand-made data): the newest matching template.
        if (rs.revision > bestRevision || (rs.revision == bestRevision && rs.name < best)) {
            best = rs.name;
            bestRevision = rs.revision;
        }
    }
    return best;
}

void RolloutTracker::recomputeVersions()
{
    const QString newReplicaSet = findNewReplicaSet();
    QHash<QString, int> podsPerReplicaSet;
    for (const PodInfo &pod : std::as_const(m_pods))
        ++podsPerReplicaSet[pod.ownerName];

    // ReplicaSets that are gone keep their version (old chart points need the label).
    for (VersionState &state : m_versionStates) {
        if (!m_replicaSets.contains(state.info.replicaSet))
            state.info.isNew = false;
    }
    QList<std::pair<qint64, QString>> fresh; // (revision, id) of versions seen for the first time
    for (const ReplicaSetInfo &rs : std::as_const(m_replicaSets)) {
        const QString id = versionIdOf(rs);
        VersionState &state = m_versionStates[id];
        state.info.id = id;
        state.info.replicaSet = rs.name;
        state.info.revision = rs.revision;
        state.info.isNew = rs.name == newReplicaSet;
        state.containers = rs.containers;
        const bool active = rs.desired > 0 || rs.current > 0 || state.info.isNew ||
                            podsPerReplicaSet.value(rs.name) > 0;
        if (active && !state.shown)
            fresh.append({rs.revision, id});
    }
    std::sort(fresh.begin(), fresh.end());
    for (const auto &[revision, id] : std::as_const(fresh)) {
        VersionState &state = m_versionStates[id];
        state.shown = true;
        state.info.colorIndex = m_nextColor++;
    }
    m_newVersionId =
        newReplicaSet.isEmpty() ? QString() : versionIdOf(m_replicaSets.value(newReplicaSet));

    QList<VersionSource> sources;
    for (const VersionState &state : std::as_const(m_versionStates)) {
        if (state.shown)
            sources.append({state.info, state.containers});
    }
    labelVersions(sources);
    std::sort(sources.begin(), sources.end(), [](const VersionSource &a, const VersionSource &b) {
        return a.info.colorIndex < b.info.colorIndex;
    });
    QList<VersionInfo> versions;
    versions.reserve(sources.size());
    for (const VersionSource &source : std::as_const(sources)) {
        m_versionStates[source.info.id].info = source.info;
        versions.append(source.info);
    }
    if (versions != m_publishedVersions) {
        m_publishedVersions = versions;
        emit versionsChanged(versions);
    }
}

void RolloutTracker::recomputeCounts()
{
    QHash<QString, VersionPods> byId;
    for (const PodInfo &pod : std::as_const(m_pods)) {
        const QString id = versionIdOfPod(pod);
        if (id.isEmpty())
            continue;
        VersionPods &c = byId[id];
        if (pod.isTerminating()) {
            if (!isTerminal(pod))
                ++c.terminating;
            continue;
        }
        if (isTerminal(pod))
            continue;
        ++c.total;
        if (pod.ready)
            ++c.ready;
    }
    // With minReadySeconds, available lags ready by a time only the ReplicaSet controller
    // judges (pods carry the cluster's clock, not ours): take its count, never above ready.
    const bool lagging = m_deployment && m_deployment->minReadySeconds > 0;
    QList<VersionPods> counts;
    counts.reserve(m_publishedVersions.size());
    for (const VersionInfo &version : std::as_const(m_publishedVersions)) {
        VersionPods c = byId.value(version.id);
        c.versionId = version.id;
        c.available = c.ready;
        if (lagging) {
            const auto rs = m_replicaSets.constFind(version.replicaSet);
            c.available = std::min(c.ready, rs == m_replicaSets.cend() ? 0 : rs->available);
        }
        counts.append(c);
    }
    if (counts == m_counts)
        return;
    m_counts = counts;
    if (m_live) {
        m_changePending = true;
        requestChangeSample();
    }
}

void RolloutTracker::recomputeStatus()
{
    RolloutStatus status;
    if (m_deployment) {
        QList<PodInfo> newPods;
        if (!m_newVersionId.isEmpty()) {
            for (const PodInfo &pod : std::as_const(m_pods)) {
                if (!pod.isTerminating() && versionIdOfPod(pod) == m_newVersionId)
                    newPods.append(pod);
            }
            std::sort(newPods.begin(), newPods.end(),
                      [](const PodInfo &a, const PodInfo &b) { return a.name < b.name; });
        }
        int newAvailable = 0;
        for (const VersionPods &c : std::as_const(m_counts)) {
            if (c.versionId == m_newVersionId)
                newAvailable = c.available;
        }
        status = evaluateStatus(*m_deployment, newPods, newAvailable);
    } else if (m_live) {
        status.reason = QStringLiteral("NotFound");
        status.message = tr("Deployment \"%1\" not found").arg(m_name);
    }
    if (status != m_status) {
        m_status = status;
        emit statusChanged(status);
    }
    if (!m_live || !m_deployment)
        return;

    if (!m_statusEvaluatedLive) {
        m_statusEvaluatedLive = true;
        m_lastNewVersionId = m_newVersionId;
        // Tracking starts in the middle of a rollout: t = 0 is now.
        if (!m_rolloutActive &&
            (status.state == RolloutState::Progressing || status.state == RolloutState::Failed))
            startRollout(now());
    } else if (!m_newVersionId.isEmpty() && m_newVersionId != m_lastNewVersionId) {
        m_lastNewVersionId = m_newVersionId;
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
    if (status.state != RolloutState::Complete && status.state != RolloutState::Failed)
        return;
    // Not yet the Deployment the change produced.
    if (m_markGeneration >= 0 && m_deployment->generation <= m_markGeneration)
        return;
    if (status.state == RolloutState::Failed && status.reason == kDeadlineExceeded &&
        m_progressingAtStart && m_deployment->condition(kProgressing) == m_progressingAtStart)
        return; // the previous rollout's verdict, not this one's
    m_outcomeEmitted = true;
    const bool complete = status.state == RolloutState::Complete;
    record(QStringLiteral("Outcome"),
           complete ? tr("Rollout complete: %1").arg(status.message)
                    : tr("Rollout failed (%1): %2").arg(status.reason, status.message),
           objectRef(QStringLiteral("Deployment"), m_name), m_newVersionId,
           complete ? RolloutEvent::Severity::Info : RolloutEvent::Severity::Error);
    emit outcomeReached(status);
}

void RolloutTracker::startRollout(qint64 originMs)
{
    m_rolloutActive = true;
    m_outcomeEmitted = false;
    m_originMs = originMs;
    resetExtremes(); // what the caches went through before the change is not the rollout's
    m_progressingAtStart =
        m_deployment ? m_deployment->condition(kProgressing) : std::optional<Condition>();
    emit rolloutStarted(originMs);
}

void RolloutTracker::markChange(qint64 timeMs, const QString &description)
{
    flush();
    // The window may call this once the PATCH has returned, when the watch has already
    // delivered the Deployment and even the new ReplicaSet it produced.
    const bool replicaSetSeen = m_rolloutActive && !m_outcomeEmitted &&
                                !m_lastNewVersionId.isEmpty() && m_newVersionSeenMs > timeMs;
    startRollout(timeMs);
    if (replicaSetSeen) {
        m_markPending = false;
        m_markGeneration = -1;
    } else {
        m_markPending = true;
        m_markGeneration = !m_deployment                 ? -1
                           : m_generationSeenMs > timeMs ? m_deployment->generation - 1
                                                         : m_deployment->generation;
    }
    record(QStringLiteral("ImageChangeRequested"), description,
           objectRef(QStringLiteral("Deployment"), m_name), {}, RolloutEvent::Severity::Info,
           timeMs);
    if (m_live)
        appendSample(timeMs);
    markDirty();
}

RolloutStatus RolloutTracker::evaluateStatus(const DeploymentInfo &d, const QList<PodInfo> &newPods,
                                             int newAvailable)
{
    RolloutStatus s;
    s.desired = d.replicas;
    s.updated = d.status.updatedReplicas;
    s.ready = d.status.readyReplicas;
    s.available = d.status.availableReplicas;
    s.progress = d.replicas > 0 ? std::clamp(double(newAvailable) / d.replicas, 0.0, 1.0) : 1.0;
    const std::optional<Condition> progressing = d.condition(kProgressing);
    const QString progressingReason = progressing ? progressing->reason : QString();

    auto set = [&](RolloutState state, const QString &reason, const QString &message) {
        s.state = state;
        s.reason = reason;
        s.message = message;
        return s;
    };

    if (d.paused)
        return set(RolloutState::Paused, QStringLiteral("DeploymentPaused"),
                   tr("Deployment \"%1\" is paused").arg(d.name));
    if (d.generation > d.observedGeneration)
        return set(RolloutState::Progressing, progressingReason,
                   tr("Waiting for deployment spec update to be observed..."));
    if (progressingReason == kDeadlineExceeded) {
        QString message = tr("Deployment \"%1\" exceeded its progress deadline").arg(d.name);
        if (!progressing->message.isEmpty())
            message = tr("%1: %2").arg(message, progressing->message);
        return set(RolloutState::Failed, kDeadlineExceeded, message);
    }
    std::optional<PodFailure> failure;
    QString failingPod;
    for (const PodInfo &pod : newPods) {
        const std::optional<PodFailure> f = podFailure(pod);
        if (f && (!failure || failureRank(f->reason) < failureRank(failure->reason))) {
            failure = f;
            failingPod = pod.name;
        }
    }
    if (failure) {
        QString message =
            tr("Pod %1 of the new version cannot run: %2").arg(failingPod, failure->reason);
        if (!failure->message.isEmpty())
            message = tr("%1 (%2)").arg(message, failure->message);
        return set(RolloutState::Failed, failure->reason, message);
    }
    if (const std::optional<Condition> replicaFailure =
            d.condition(QStringLiteral("ReplicaFailure"));
        replicaFailure && replicaFailure->status == u"True")
        return set(RolloutState::Failed, replicaFailure->reason, replicaFailure->message);
    if (d.status.updatedReplicas < d.replicas)
        return set(RolloutState::Progressing, progressingReason,
                   tr("Waiting for rollout to finish: %1 out of %2 new replicas have been "
                      "updated...")
                       .arg(d.status.updatedReplicas)
                       .arg(d.replicas));
    if (d.status.replicas > d.status.updatedReplicas)
        return set(RolloutState::Progressing, progressingReason,
                   tr("Waiting for rollout to finish: %1 old replicas are pending "
                      "termination...")
                       .arg(d.status.replicas - d.status.updatedReplicas));
    if (d.status.availableReplicas < d.status.updatedReplicas)
        return set(RolloutState::Progressing, progressingReason,
                   tr("Waiting for rollout to finish: %1 of %2 updated replicas are "
                      "available...")
                       .arg(d.status.availableReplicas)
                       .arg(d.status.updatedReplicas));
    s.progress = 1.0;
    return set(RolloutState::Complete, QStringLiteral("NewReplicaSetAvailable"),
               tr("Deployment \"%1\" successfully rolled out").arg(d.name));
}

QString RolloutTracker::stateText(RolloutState state)
{
    switch (state) {
    case RolloutState::Unknown:
        return tr("Unknown");
    case RolloutState::Progressing:
        return tr("Progressing");
    case RolloutState::Paused:
        return tr("Paused");
    case RolloutState::Complete:
        return tr("Complete");
    case RolloutState::Failed:
        return tr("Failed");
    }
    return {};
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
    const auto it = m_pods.constFind(podName);
    return it == m_pods.cend() ? QString() : versionIdOfPod(*it);
}

QList<ReplicaSetInfo> RolloutTracker::replicaSets() const
{
    QList<ReplicaSetInfo> list = m_replicaSets.values();
    std::sort(list.begin(), list.end(), [](const ReplicaSetInfo &a, const ReplicaSetInfo &b) {
        return a.revision != b.revision ? a.revision < b.revision : a.name < b.name;
    });
    return list;
}

QList<PodInfo> RolloutTracker::pods() const
{
    QList<PodInfo> list = m_pods.values();
    std::sort(list.begin(), list.end(),
              [](const PodInfo &a, const PodInfo &b) { return a.name < b.name; });
    return list;
}

QList<EventInfo> RolloutTracker::events() const
{
    QList<EventInfo> list = m_events.values();
    std::sort(list.begin(), list.end(), [](const EventInfo &a, const EventInfo &b) {
        const QDateTime x = a.lastSeen();
        const QDateTime y = b.lastSeen();
        return x != y ? x < y : a.key() < b.key();
    });
    return list;
}

QList<kube::RevisionInfo> RolloutTracker::history() const
{
    const qint64 current = m_deployment ? m_deployment->revision : 0;
    QList<kube::RevisionInfo> list;
    for (const ReplicaSetInfo &rs : m_replicaSets) {
        if (rs.revision > 0) // kubectl skips what it cannot parse
            list.append(revisionInfo(rs, current));
    }
    std::sort(list.begin(), list.end(),
              [](const kube::RevisionInfo &a, const kube::RevisionInfo &b) {
                  return a.revision < b.revision;
              });
    return list;
}

// --- samples -------------------------------------------------------------------------------------

void RolloutTracker::requestChangeSample()
{
    if (!m_running || m_changeSampleTimer.isActive())
        return;
    const qint64 since =
        m_sinceSample.isValid() ? m_sinceSample.elapsed() : std::numeric_limits<qint64>::max();
    const qint64 wait = std::max<qint64>(0, m_options.minSampleSpacingMs - since);
    m_changeSampleTimer.start(int(wait));
}

void RolloutTracker::sampleNow()
{
    flush();
    if (m_live)
        appendSample(now());
    emitBatch();
}

void RolloutTracker::appendSample(qint64 timeMs)
{
    if (!m_samples.isEmpty())
        timeMs = std::max(timeMs, m_samples.last().timeMs); // the chart needs time order
    PodCountSample sample;
    sample.timeMs = timeMs;
    sample.versions = m_counts;
    sample.desired = m_deployment ? m_strategy.replicas : 0;
    sample.maxTotal = m_deployment ? m_strategy.maxTotal : 0;
    sample.minAvailable = m_deployment ? m_strategy.minAvailable : 0;
    int available = 0;
    int total = 0;
    for (const VersionPods &v : std::as_const(m_counts)) {
        available += v.available;
        total += v.total;
    }
    // With minReadySeconds only the ReplicaSet controller knows availability: no extremes then.
    const bool lagging = m_deployment && m_deployment->minReadySeconds > 0;
    sample.peakTotal = std::max(total, m_peakTotalSinceSample);
    sample.lowAvailable =
        lagging ? -1
                : (m_lowAvailableSinceSample < 0 ? available
                                                 : std::min(available, m_lowAvailableSinceSample));
    resetExtremes();
    m_samples.append(sample);
    m_batch.append(sample);
    m_changePending = false;
    m_changeSampleTimer.stop();
    m_sinceSample.start();
    if (m_samples.size() >= m_compactAt)
        compactSamples();
    if (m_running) {
        if (!m_batchTimer.isActive())
            m_batchTimer.start(std::max(0, m_options.batchIntervalMs));
    }
}

void RolloutTracker::emitBatch()
{
    m_batchTimer.stop();
    if (m_batch.isEmpty())
        return;
    const QList<PodCountSample> batch = std::exchange(m_batch, {});
    emit samplesAppended(batch);
}

void RolloutTracker::compactSamples()
{
    // Runs again after about a minute of samples.
    const qsizetype step = std::max(1, 60'000 / std::max(1, m_options.sampleIntervalMs));
    m_compactAt = m_samples.size() + step;
    const qint64 cutoff = m_samples.last().timeMs - m_options.fullResolutionMs;
    // Change samples come at most every minSampleSpacingMs: a bound even if time stood still.
    const qsizetype hardCap =
        std::max(0, m_options.maxArchivedSamples) +
        qsizetype(m_options.fullResolutionMs / std::max(1, m_options.minSampleSpacingMs));
    if (m_samples.first().timeMs >= cutoff && m_samples.size() <= hardCap)
        return;
    QList<PodCountSample> kept;
    kept.reserve(m_samples.size());
    qsizetype i = 0;
    std::optional<qint64> lastArchived;
    for (; i < m_samples.size() && m_samples.at(i).timeMs < cutoff; ++i) {
        const qint64 t = m_samples.at(i).timeMs;
        if (!lastArchived || t - *lastArchived >= m_options.archiveSpacingMs) {
            kept.append(m_samples.at(i));
            lastArchived = t;
        }
    }
    if (kept.size() > m_options.maxArchivedSamples)
        kept.remove(0, kept.size() - std::max(0, m_options.maxArchivedSamples));
    for (; i < m_samples.size(); ++i)
        kept.append(m_samples.at(i));
    if (kept.size() > hardCap)
        kept.remove(0, kept.size() - hardCap);
    m_samples = kept;
    m_compactAt = m_samples.size() + step;
}

} // namespace rollscope::rollout
