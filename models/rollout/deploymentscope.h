// SPDX-License-Identifier: MIT
#pragma once

// DeploymentScope: which objects of a namespace belong to one Deployment, kept live from their
// informers (see RolloutTracker's header comment, "Scope of the informers"). It watches the
// Deployment (fieldSelector metadata.name=NAME), its ReplicaSets and Pods (labelSelector = the
// Deployment's selector, both recreated when the selector changes) and the Events of the
// namespace; it decides ownership (ownerReference uid), which pods and events are ours, when
// everything has listed once (live), and what disappeared across a relist (reconcile).
//
// It reports each change of what is ours with one signal, at once and in the order it happens;
// the tracker turns them into recorded events, per-object signals and recomputed aggregates.
// Nothing here records, samples or judges a rollout.

#include "kube/informer.h"
#include "kube/resources.h"
#include "rollout/versions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

namespace rollscope::kube {
class ApiClient;
}

namespace rollscope::rollout {

class DeploymentScope : public QObject
{
    Q_OBJECT

public:
    // Every pod event of the namespace as the pod watch delivers it, before it is sorted into
    // ours or not: `before` as known (null when new), `after` (null when gone).
    using PodObserver =
        std::function<void(const kube::PodInfo *before, const kube::PodInfo *after)>;

    // `client` may be null: nothing is watched, the scope is live at once and the apply*()
    // functions feed it.
    DeploymentScope(kube::ApiClient *client, QString ns, QString deploymentName,
                    QObject *parent = nullptr);
    ~DeploymentScope() override;

    QString ns() const { return m_ns; }
    QString deploymentName() const { return m_name; }

    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // Every informer has listed once (always true without a client).
    bool isLive() const { return m_live; }

    void setPodObserver(PodObserver observer);

    const std::optional<kube::DeploymentInfo> &deployment() const { return m_deployment; }
    // What is ours, by name (events by key).
    const QHash<QString, kube::ReplicaSetInfo> &replicaSets() const { return m_replicaSets; }
    const QHash<QString, Shared<kube::PodInfo>> &pods() const { return m_pods; }
    QList<Shared<kube::EventInfo>> sharedEvents() const; // in no particular order
    qsizetype eventCount() const { return m_events.size(); }

    // The version of a pod of ours (see versionIdOfPod() in versions.h).
    QString versionIdOfPod(const kube::PodInfo &pod) const;

    // Indexes of pods(), kept as each pod changes so that the aggregates cost no more than the
    // change (client-go keeps indexers beside its stores for the same reason):
    // the tallies countPods() takes,
    const PodTallies &podTallies() const { return m_podTallies; }
    // the pods podFailure() finds something wrong with, by name,
    const QSet<QString> &failingPods() const { return m_failingPods; }
    // and every pod's version by pod name, with a revision that changes when it does.
    const QHash<QString, QString> &podVersions() const { return m_podVersions; }
    quint64 podVersionsRevision() const { return m_podVersionsRevision; }
    // The version of an object an event names ("ReplicaSet" or "Pod"); a pod that is not known
    // (yet, or any more) by the name of its ReplicaSet, "<replicaset>-<suffix>". Empty if none.
    QString versionIdOfObject(const QString &kind, const QString &name) const;

    const kube::DeploymentInformer *deploymentInformer() const { return m_deploymentInformer; }
    const kube::ReplicaSetInformer *replicaSetInformer() const { return m_replicaSetInformer; }
    const kube::PodInformer *podInformer() const { return m_podInformer; }
    const kube::EventInformer *eventInformer() const { return m_eventInformer; }

    // What the informers report, one change at a time.
    void applyDeployment(const kube::DeploymentInfo &deployment);
    void applyDeploymentRemoved(const kube::DeploymentInfo &deployment);
    void applyReplicaSet(const kube::ReplicaSetInfo &replicaSet);
    void applyReplicaSetRemoved(const kube::ReplicaSetInfo &replicaSet);
    void applyPod(const kube::PodInfo &pod);
    void applyPodRemoved(const kube::PodInfo &pod);
    void applyEvent(const kube::EventInfo &event);
    void applyEventRemoved(const kube::EventInfo &event);

signals:
    void becameLive();
    // The Deployment as it arrives, before ownership follows it (`before` empty the first time).
    void deploymentSeen(const std::optional<rollscope::kube::DeploymentInfo> &before,
                        const rollscope::kube::DeploymentInfo &after);
    // ... and once ownership has followed it.
    void deploymentChanged(const rollscope::kube::DeploymentInfo &deployment);
    void deploymentRemoved();

    void replicaSetAdded(const rollscope::kube::ReplicaSetInfo &replicaSet);
    void replicaSetUpdated(const rollscope::kube::ReplicaSetInfo &before,
                           const rollscope::kube::ReplicaSetInfo &after);
    void replicaSetRemoved(const rollscope::kube::ReplicaSetInfo &replicaSet);
    void podAdded(const rollscope::kube::PodInfo &pod);
    void podUpdated(const rollscope::kube::PodInfo &before, const rollscope::kube::PodInfo &after);
    // `gone`: deleted from the cluster, not only no longer ours.
    void podRemoved(const rollscope::kube::PodInfo &pod, bool gone);
    void eventAdded(const rollscope::kube::EventInfo &event);
    void eventUpdated(const rollscope::kube::EventInfo &before,
                      const rollscope::kube::EventInfo &after);
    void eventRemoved(const rollscope::kube::EventInfo &event);

    // What is ours changed in a way the aggregates (versions, counts, status) may see.
    void changed();

private:
    void ensureScopedInformers();
    void dropScopedInformers();
    void reconcileReplicaSets(const QList<kube::ReplicaSetInfo> &present);
    void reconcilePods(const QList<kube::PodInfo> &present);
    void updateLive();

    bool ownsReplicaSet(const kube::ReplicaSetInfo &replicaSet) const;
    bool podIsOurs(const kube::PodInfo &pod) const;
    bool eventIsOurs(const kube::EventInfo &event) const;
    // The value of a candidate event; nullptr when there is none.
    const kube::EventInfo *candidate(const QString &key) const;
    // An event as it arrives (`before`: as it was, null when new) and as it goes.
    void takeEvent(const kube::EventInfo *before, const kube::EventInfo &event);
    void dropEvent(const kube::EventInfo &event);
    void refreshOwnership();
    void refreshPodsOf(const QString &replicaSetName);
    void refreshEvents();
    void admitPod(const kube::PodInfo &pod);
    void dropPod(const kube::PodInfo &pod, bool gone);
    // Keep the pod indexes in step with m_pods: `before` leaves them, `after` enters them
    // (either may be null).
    void indexPod(const kube::PodInfo *before, const kube::PodInfo *after);
    // The versions of the pods of a ReplicaSet whose version id may have changed.
    void reindexPodVersionsOf(const QString &replicaSetName);

    QPointer<kube::ApiClient> m_client;
    QString m_ns;
    QString m_name;
    bool m_running = false;
    bool m_live = false;
    PodObserver m_podObserver;

    kube::DeploymentInformer *m_deploymentInformer = nullptr;
    kube::ReplicaSetInformer *m_replicaSetInformer = nullptr;
    kube::PodInformer *m_podInformer = nullptr;
    kube::EventInformer *m_eventInformer = nullptr;
    QString m_scopedSelector; // the labelSelector the ReplicaSet and Pod informers use
    bool m_hasScopedSelector = false;
    bool m_scopedConfigured = false;

    std::optional<kube::DeploymentInfo> m_deployment;
    QHash<QString, kube::ReplicaSetInfo> m_allReplicaSets; // by name, as listed
    QHash<QString, kube::ReplicaSetInfo> m_replicaSets;    // the Deployment's, by name
    // Pods by name as listed, and the Deployment's: the pod informer's values (share()).
    QHash<QString, Shared<kube::PodInfo>> m_allPods;
    QHash<QString, Shared<kube::PodInfo>> m_pods;
    // Events about "<deployment>..." (candidates), by key, and those of them that are ours. Their
    // values are the event informer's, read through candidate(): 45,000 events are not kept a
    // second time. Without an informer (fed by apply*(), or stopped) they are m_fedEvents.
    QSet<QString> m_candidates;
    QSet<QString> m_events;
    QHash<QString, Shared<kube::EventInfo>> m_fedEvents;
    PodTallies m_podTallies;
    QSet<QString> m_failingPods;
    QHash<QString, QString> m_podVersions; // pod name -> version id
    quint64 m_podVersionsRevision = 0;
};

} // namespace rollscope::rollout
