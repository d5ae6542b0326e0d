// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>
#include <QStringList>

#include <optional>

namespace rollscope::sim {

struct StoreEvent;

// The deployment controller (k8s.io/kubernetes/pkg/controller/deployment), step for step:
// syncDeployment's order (selector check, adoption, deletion, paused conditions, paused ->
// scale only, scaling event -> scale only, else Recreate or RollingUpdate), new ReplicaSet
// creation with the pod-template-hash and revision annotations, NewRSNewReplicas,
// reconcileNewReplicaSet / reconcileOldReplicaSets, proportional scaling, progress deadline,
// calculateStatus, revision history cleanup and rollbacks (a template that matches an old RS
// makes that RS the new one, renumbered).
//
// It keeps its own indexes of ReplicaSets by owner and of pods by ReplicaSet, fed by the store's
// change notifications, as the informers of the real controller do; syncs run from a coalescing
// work queue on the simulated clock.
class DeploymentController final : public QueueController
{
public:
    explicit DeploymentController(const SimContext &context);

    static constexpr char kComponent[] = "deployment-controller";

private:
    struct Sync;
    struct RsInfo
    {
        QString ns;
        QString uid;
        QString controllerUid;
        QJsonObject labels;
        bool deleting = false;
    };
    struct PodCounts
    {
        int total = 0;
        int nonTerminal = 0;
    };
    struct PodInfo
    {
        QString rsUid;
        bool terminal = false;
    };

    void onDeployment(const StoreEvent &event);
    void onReplicaSet(const StoreEvent &event);
    void onPod(const StoreEvent &event);
    void enqueueOwner(const QString &controllerUid);
    void enqueueMatching(const QString &ns, const QJsonObject &labels);
    void sync(const QString &key) override;
    void requeueRateLimited(const QString &key);

    // The owned ReplicaSets split as getAllReplicaSetsAndSyncRevision splits them, by uid.
    struct ReplicaSets
    {
        QString newRS; // "" when there is none (yet)
        QStringList oldRSs;
        // Old ones then the new one (which may be "": the Sync helpers skip it).
        QStringList all() const { return QStringList(oldRSs) << newRS; }
    };
    // A ReplicaSet write: nullopt when it failed (retry with back-off), else whether its size
    // changed.
    using Scaled = std::optional<bool>;

    // syncDeployment and its parts; false (or nullopt) means "failed, retry with back-off".
    bool syncDeployment(Sync &s);
    bool claimReplicaSets(Sync &s);
    std::optional<ReplicaSets> getAllReplicaSetsAndSyncRevision(Sync &s, bool createIfNotExisted);
    std::optional<QString> getNewReplicaSet(Sync &s, const QStringList &oldRSs,
                                            bool createIfNotExisted);
    bool checkPausedConditions(Sync &s);
    std::optional<bool> isScalingEvent(Sync &s);
    bool syncScaleOnly(Sync &s);
    bool syncStatusOnly(Sync &s);
    bool scale(Sync &s, const ReplicaSets &rss);
    bool rolloutRolling(Sync &s);
    bool rolloutRecreate(Sync &s);
    Scaled reconcileNewReplicaSet(Sync &s, const ReplicaSets &rss);
    Scaled reconcileOldReplicaSets(Sync &s, const ReplicaSets &rss);
    // How many replicas were scaled down.
    std::optional<int> cleanupUnhealthyReplicas(Sync &s, QStringList oldRSs, int maxCleanup);
    std::optional<int> scaleDownOldReplicaSetsForRollingUpdate(Sync &s, const QStringList &allRSs,
                                                               QStringList oldRSs);
    bool oldPodsRunning(Sync &s, const ReplicaSets &rss) const;
    bool cleanupDeployment(Sync &s, const QStringList &oldRSs);
    Scaled scaleReplicaSetAndRecordEvent(Sync &s, const QString &uid, int newScale);
    Scaled scaleReplicaSet(Sync &s, const QString &uid, int newScale, const QString &operation);
    QJsonObject calculateStatus(const Sync &s, const ReplicaSets &rss) const;
    bool syncDeploymentStatus(Sync &s, const ReplicaSets &rss);
    bool syncRolloutStatus(Sync &s, const ReplicaSets &rss);
    void requeueStuckDeployment(const Sync &s, const QJsonObject &newStatus);
    bool writeStatus(Sync &s);

    QHash<QString, QString> m_deploymentByUid; // uid -> key
    QHash<QString, QString> m_uidByDeployment; // key -> uid
    QHash<QString, QString> m_strategyByUid;   // uid -> strategy type
    QHash<QString, RsInfo> m_rs;               // key -> info
    QHash<QString, QString> m_rsKeyByUid;
    QHash<QString, QSet<QString>> m_rsByOwner; // controller uid -> RS keys
    QHash<QString, QSet<QString>> m_orphanRs;  // ns -> RS keys without a controller
    QHash<QString, PodInfo> m_pods;            // pod key -> owner RS
    QHash<QString, PodCounts> m_podCountsByRs; // RS uid -> counts
    QHash<QString, int> m_failures;            // rate limiter: requeues per key
};

} // namespace rollscope::sim
