// SPDX-License-Identifier: MIT
#include "deploymentscope.h"

#include "kube/apiclient.h"
#include "rollout/statusrules.h"
#include "rollout/versions.h"

#include <QSet>

namespace rollscope::rollout {

using kube::DeploymentInfo;
using kube::EventInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

DeploymentScope::DeploymentScope(kube::ApiClient *client, QString ns, QString deploymentName,
                                 QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_ns(std::move(ns))
    , m_name(std::move(deploymentName))
    , m_live(client == nullptr)
{}

DeploymentScope::~DeploymentScope()
{
    // The informers are children and outlive this destructor's body: whatever they emit while
    // QObject deletes them must not reach a scope that is half destroyed.
    for (kube::Informer *informer : {static_cast<kube::Informer *>(m_deploymentInformer),
                                     static_cast<kube::Informer *>(m_eventInformer),
                                     static_cast<kube::Informer *>(m_replicaSetInformer),
                                     static_cast<kube::Informer *>(m_podInformer)}) {
        if (informer)
            disconnect(informer, nullptr, this, nullptr);
    }
}

void DeploymentScope::setPodObserver(PodObserver observer)
{
    m_podObserver = std::move(observer);
}

// --- informers -----------------------------------------------------------------------------------

void DeploymentScope::start()
{
    if (m_running)
        return;
    m_running = true;
    if (!m_client)
        return;
    kube::InformerOptions options;
    options.ns = m_ns;
    options.fieldSelector = QStringLiteral("metadata.name=") + m_name;
    m_deploymentInformer = new kube::DeploymentInformer(m_client, options, this);
    m_deploymentInformer->addHandlers(
        this,
        {[this](const DeploymentInfo &d) { applyDeployment(d); },
         [this](const DeploymentInfo &, const DeploymentInfo &after) { applyDeployment(after); },
         [this](const DeploymentInfo &d) { applyDeploymentRemoved(d); }});
    connect(m_deploymentInformer, &kube::Informer::syncedChanged, this,
            &DeploymentScope::updateLive);

    kube::InformerOptions events;
    events.ns = m_ns;
    m_eventInformer = new kube::EventInformer(m_client, events, this);
    m_eventInformer->addHandlers(this, {[this](const EventInfo &e) { takeEvent(nullptr, e); },
                                        [this](const EventInfo &before, const EventInfo &after) {
                                            takeEvent(&before, after);
                                        },
                                        [this](const EventInfo &e) { dropEvent(e); }});
    connect(m_eventInformer, &kube::Informer::syncedChanged, this, &DeploymentScope::updateLive);

    m_deploymentInformer->start();
    m_eventInformer->start();
    m_scopedConfigured = false;
    ensureScopedInformers();
}

void DeploymentScope::stop()
{
    if (!m_running)
        return;
    m_running = false;
    // What was ours stays readable (sharedEvents()) once the informer is gone.
    if (m_eventInformer) {
        for (const QString &key : std::as_const(m_candidates)) {
            if (const EventInfo *event = m_eventInformer->value(key))
                m_fedEvents.insert(key, share(*event)); // the same value, not a copy
        }
    }
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
}

void DeploymentScope::dropScopedInformers()
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

void DeploymentScope::ensureScopedInformers()
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
    m_replicaSetInformer->addHandlers(
        this,
        {[this](const ReplicaSetInfo &rs) { applyReplicaSet(rs); },
         [this](const ReplicaSetInfo &, const ReplicaSetInfo &after) { applyReplicaSet(after); },
         [this](const ReplicaSetInfo &rs) { applyReplicaSetRemoved(rs); }});
    kube::ReplicaSetInformer *replicaSets = m_replicaSetInformer;
    connect(replicaSets, &kube::Informer::syncedChanged, this, [this, replicaSets](bool synced) {
        // The first list of a new selector: what the old one had and this one lacks is gone.
        if (synced)
            reconcileReplicaSets(replicaSets->items());
        updateLive();
    });

    m_podInformer = new kube::PodInformer(m_client, options, this);
    m_podInformer->addHandlers(this,
                               {[this](const PodInfo &pod) { applyPod(pod); },
                                [this](const PodInfo &, const PodInfo &after) { applyPod(after); },
                                [this](const PodInfo &pod) { applyPodRemoved(pod); }});
    kube::PodInformer *pods = m_podInformer;
    connect(pods, &kube::Informer::syncedChanged, this, [this, pods](bool synced) {
        if (synced)
            reconcilePods(pods->items());
        updateLive();
    });

    m_replicaSetInformer->start();
    m_podInformer->start();
}

void DeploymentScope::reconcileReplicaSets(const QList<ReplicaSetInfo> &present)
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

void DeploymentScope::reconcilePods(const QList<PodInfo> &present)
{
    QSet<QString> names;
    for (const PodInfo &pod : present)
        names.insert(pod.name);
    const QList<Shared<PodInfo>> known = m_allPods.values();
    for (const Shared<PodInfo> &pod : known) {
        if (!names.contains(pod->name))
            applyPodRemoved(*pod);
    }
}

void DeploymentScope::updateLive()
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
    emit becameLive();
    emit changed();
}

// --- what belongs to the Deployment --------------------------------------------------------------

bool DeploymentScope::ownsReplicaSet(const ReplicaSetInfo &replicaSet) const
{
    if (!m_deployment)
        return false;
    if (!m_deployment->uid.isEmpty())
        return replicaSet.ownerUid == m_deployment->uid;
    // Hand-made values without uids (recorded sequences): the owner's name must do.
    return replicaSet.ownerName == m_name &&
           (replicaSet.ownerKind.isEmpty() || replicaSet.ownerKind == u"Deployment");
}

bool DeploymentScope::podIsOurs(const PodInfo &pod) const
{
    if (!pod.ownerKind.isEmpty() && pod.ownerKind != u"ReplicaSet")
        return false;
    const auto rs = m_replicaSets.constFind(pod.ownerName);
    if (rs == m_replicaSets.cend())
        return false;
    return pod.ownerUid.isEmpty() || rs->uid.isEmpty() || pod.ownerUid == rs->uid;
}

bool DeploymentScope::eventIsOurs(const EventInfo &event) const
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

QString DeploymentScope::versionIdOfPod(const PodInfo &pod) const
{
    return rollout::versionIdOfPod(pod, m_replicaSets);
}

QString DeploymentScope::versionIdOfObject(const QString &kind, const QString &name) const
{
    if (kind == u"ReplicaSet") {
        if (const auto rs = m_replicaSets.constFind(name); rs != m_replicaSets.cend())
            return versionIdOf(*rs);
    } else if (kind == u"Pod") {
        if (const auto pod = m_pods.constFind(name); pod != m_pods.cend())
            return versionIdOfPod(**pod);
        if (const auto rs = m_replicaSets.constFind(name.section(u'-', 0, -2));
            rs != m_replicaSets.cend())
            return versionIdOf(*rs);
    }
    return {};
}

void DeploymentScope::refreshOwnership()
{
    const QList<ReplicaSetInfo> all = m_allReplicaSets.values();
    for (const ReplicaSetInfo &rs : all)
        applyReplicaSet(rs); // adds what is ours now, removes what no longer is
    refreshEvents();
}

void DeploymentScope::refreshPodsOf(const QString &replicaSetName)
{
    const QList<Shared<PodInfo>> all = m_allPods.values();
    for (const Shared<PodInfo> &pod : all) {
        if (pod->ownerName != replicaSetName)
            continue;
        if (podIsOurs(*pod))
            admitPod(*pod);
        else if (m_pods.contains(pod->name))
            dropPod(*pod, false);
    }
}

void DeploymentScope::refreshEvents()
{
    const QList<QString> keys = m_candidates.values();
    for (const QString &key : keys) {
        const EventInfo *known = candidate(key);
        if (!known)
            continue;
        const Shared<EventInfo> held = share(*known); // alive through what the signals do
        const EventInfo &event = *held;
        const bool ours = eventIsOurs(event);
        const bool wasOurs = m_events.contains(key);
        if (ours && !wasOurs) {
            m_events.insert(key);
            emit eventAdded(event);
        } else if (!ours && wasOurs) {
            m_events.remove(key);
            emit eventRemoved(event);
        }
    }
}

const EventInfo *DeploymentScope::candidate(const QString &key) const
{
    if (m_eventInformer)
        return m_eventInformer->value(key);
    const auto it = m_fedEvents.constFind(key);
    return it == m_fedEvents.cend() ? nullptr : it->get();
}

QList<Shared<EventInfo>> DeploymentScope::sharedEvents() const
{
    QList<Shared<EventInfo>> ours;
    ours.reserve(m_events.size());
    for (const QString &key : m_events) {
        if (const EventInfo *event = candidate(key))
            ours.append(share(*event));
    }
    return ours;
}

// --- feeding -------------------------------------------------------------------------------------

void DeploymentScope::applyDeployment(const DeploymentInfo &deployment)
{
    if (deployment.name != m_name || (!m_ns.isEmpty() && deployment.ns != m_ns))
        return;
    const std::optional<DeploymentInfo> before = std::exchange(m_deployment, deployment);
    emit deploymentSeen(before, deployment);
    if (!before || before->uid != deployment.uid)
        refreshOwnership();
    emit deploymentChanged(deployment);
    ensureScopedInformers();
    emit changed();
}

void DeploymentScope::applyDeploymentRemoved(const DeploymentInfo &deployment)
{
    if (deployment.name != m_name || !m_deployment)
        return;
    m_deployment.reset();
    emit deploymentRemoved();
    refreshOwnership();
    emit changed();
}

void DeploymentScope::applyReplicaSet(const ReplicaSetInfo &replicaSet)
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
        if (versionIdOf(before) != versionIdOf(replicaSet))
            reindexPodVersionsOf(replicaSet.name);
        emit replicaSetUpdated(before, replicaSet);
    } else if (owned) {
        m_replicaSets.insert(replicaSet.name, replicaSet);
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
    emit changed();
}

void DeploymentScope::applyReplicaSetRemoved(const ReplicaSetInfo &replicaSet)
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
    emit changed();
}

void DeploymentScope::applyPod(const PodInfo &pod)
{
    if (!m_ns.isEmpty() && pod.ns != m_ns)
        return;
    const auto known = m_allPods.constFind(pod.name);
    if (m_podObserver)
        m_podObserver(known == m_allPods.cend() ? nullptr : known->get(), &pod);
    m_allPods.insert(pod.name, share(pod));
    if (podIsOurs(pod))
        admitPod(pod);
    else if (m_pods.contains(pod.name))
        dropPod(pod, false);
}

void DeploymentScope::applyPodRemoved(const PodInfo &pod)
{
    if (const auto known = m_allPods.constFind(pod.name); known != m_allPods.cend()) {
        if (m_podObserver)
            m_podObserver(known->get(), nullptr);
    }
    m_allPods.remove(pod.name);
    if (m_pods.contains(pod.name))
        dropPod(pod, true);
}

void DeploymentScope::admitPod(const PodInfo &pod)
{
    const auto it = m_pods.find(pod.name);
    if (it == m_pods.end()) {
        m_pods.insert(pod.name, share(pod));
        indexPod(nullptr, &pod);
        emit podAdded(pod);
        emit changed();
        return;
    }
    if (**it == pod) {
        *it = share(pod); // the value m_allPods holds: one copy
        return;
    }
    const Shared<PodInfo> before = std::exchange(*it, share(pod));
    indexPod(before.get(), &pod);
    emit podUpdated(*before, pod);
    emit changed();
}

void DeploymentScope::dropPod(const PodInfo &pod, bool gone)
{
    const auto it = m_pods.find(pod.name);
    if (it == m_pods.end())
        return;
    const Shared<PodInfo> before = *it;
    m_pods.erase(it);
    indexPod(before.get(), nullptr);
    emit podRemoved(*before, gone);
    emit changed();
}

void DeploymentScope::indexPod(const PodInfo *before, const PodInfo *after)
{
    if (before)
        tallyPod(m_podTallies, *before, -1);
    if (after)
        tallyPod(m_podTallies, *after, +1);
    const QString &name = after ? after->name : before->name;
    if (after && podFailure(*after))
        m_failingPods.insert(name);
    else
        m_failingPods.remove(name);
    if (!after) {
        if (m_podVersions.remove(name))
            ++m_podVersionsRevision;
        return;
    }
    const QString version = versionIdOfPod(*after);
    const auto known = m_podVersions.constFind(name);
    if (known == m_podVersions.cend() || *known != version) {
        m_podVersions.insert(name, version);
        ++m_podVersionsRevision;
    }
}

void DeploymentScope::reindexPodVersionsOf(const QString &replicaSetName)
{
    for (const Shared<PodInfo> &pod : std::as_const(m_pods)) {
        if (pod->ownerName == replicaSetName)
            indexPod(pod.get(), pod.get());
    }
}

void DeploymentScope::applyEvent(const EventInfo &event)
{
    if (!m_ns.isEmpty() && event.ns != m_ns)
        return;
    const QString key = event.key();
    const Shared<EventInfo> before = m_fedEvents.value(key);
    if (event.involvedName.startsWith(m_name))
        m_fedEvents.insert(key, share(event));
    else
        m_fedEvents.remove(key);
    takeEvent(before.get(), event);
}

void DeploymentScope::applyEventRemoved(const EventInfo &event)
{
    const auto it = m_fedEvents.find(event.key());
    if (it == m_fedEvents.end())
        return;
    const Shared<EventInfo> before = *it;
    m_fedEvents.erase(it);
    dropEvent(*before);
}

void DeploymentScope::takeEvent(const EventInfo *before, const EventInfo &event)
{
    if (!m_ns.isEmpty() && event.ns != m_ns)
        return;
    const QString key = event.key();
    // Everything the Deployment owns is named "<deployment>-...": keep only those candidates.
    if (!event.involvedName.startsWith(m_name)) {
        dropEvent(before ? *before : event);
        return;
    }
    m_candidates.insert(key);
    // Started again after a stop(): what was kept then is what it was.
    Shared<EventInfo> kept;
    if (m_eventInformer && !m_fedEvents.isEmpty()) {
        kept = m_fedEvents.take(key);
        if (!before && kept)
            before = kept.get();
    }
    const bool ours = eventIsOurs(event);
    const bool wasOurs = m_events.contains(key);
    if (ours && !wasOurs) {
        m_events.insert(key);
        emit eventAdded(event);
    } else if (ours) {
        if (before && *before == event)
            return;
        emit eventUpdated(before ? *before : EventInfo(), event);
    } else if (wasOurs) {
        m_events.remove(key);
        emit eventRemoved(before ? *before : event);
    }
}

void DeploymentScope::dropEvent(const EventInfo &event)
{
    const QString key = event.key();
    if (!m_candidates.remove(key))
        return;
    if (m_events.remove(key))
        emit eventRemoved(event);
}

} // namespace rollscope::rollout
