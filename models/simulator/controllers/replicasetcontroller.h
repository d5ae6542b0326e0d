// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"
#include "controllerutil.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

namespace rollscope::sim {

struct StoreEvent;

// The ReplicaSet controller (k8s.io/kubernetes/pkg/controller/replicaset): adopts matching
// orphan pods, creates missing pods from the template in slow-start batches (1, 2, 4, ...; at
// most 500 per sync), deletes surplus pods in the real rank order, and writes status (replicas,
// fullyLabeledReplicas, readyReplicas, availableReplicas with minReadySeconds,
// observedGeneration, ReplicaFailure). Only active pods count: not terminal and not being
// deleted. Pods are indexed by their controlling ReplicaSet from store notifications.
class ReplicaSetController final : public QueueController
{
public:
    explicit ReplicaSetController(const SimContext &context);

    static constexpr char kComponent[] = "replicaset-controller";
    // The controller's burstReplicas: at most this many creates or deletes per sync.
    static constexpr int kBurstReplicas = 500;
    // After a full burst the next one waits this long (simulated): the real controller is
    // paced by its API client's rate limit (kube-api-qps 20), and the simulator, on one
    // thread, must give the event loop back between bursts or a large scale freezes the API.
    static constexpr qint64 kBurstIntervalMs = 1000;

    // The deletion order of getPodsToDelete (ActivePodsWithRanks.Less): true when `a` goes
    // before `b`. `rankA`/`rankB` count the related pods on each pod's node.
    static bool deletesBefore(const QJsonObject &a, int rankA, const QJsonObject &b, int rankB);

private:
    struct RsInfo
    {
        QString ns;
        QString name;
        QString uid;
        QString controllerUid;
    };
    // What a sync reads of a pod, kept from the pod's notifications so that a sync does not
    // re-read and re-parse every pod of its ReplicaSet.
    struct PodSummary
    {
        QString name;
        QString uid;
        QString owner; // controller uid, "" for an orphan
        QJsonObject labels;
        bool active = false;
        bool ready = false;
        qint64 readySinceMs = -1; // wall-clock ms, as the Ready condition carries it
    };

    void onReplicaSet(const StoreEvent &event);
    void onPod(const StoreEvent &event);
    void enqueueRs(const QString &uid);
    void enqueueMatching(const QString &ns, const QJsonObject &labels);
    void sync(const QString &key) override;
    // What a sync's creates and deletes leave: the active pods afterwards, and the first
    // error ("" if none), shown as the ReplicaFailure condition.
    struct Managed
    {
        QList<PodSummary> pods;
        QString error;
    };
    Managed manageReplicas(const QList<PodSummary> &activePods, const QJsonObject &rs);
    QList<QJsonObject> relatedPods(const QJsonObject &rs) const;
    void removePodFromIndex(const QString &podKey);
    static PodSummary summarize(const QJsonObject &pod);
    static PodSummary summarize(const ctrl::PodFacts &pod);

    QHash<QString, RsInfo> m_rs;                    // key -> info
    QHash<QString, QString> m_rsKeyByUid;           // uid -> key
    QHash<QString, QSet<QString>> m_rsByController; // controller uid -> RS uids
    QHash<QString, QSet<QString>> m_rsByNamespace;  // ns -> RS keys
    QHash<QString, PodSummary> m_pods;              // pod key -> summary
    QHash<QString, QSet<QString>> m_podsByOwner;    // RS uid -> pod keys
    QHash<QString, QSet<QString>> m_orphanPods;     // ns -> pod keys without a controller
    QHash<QString, qint64> m_nextBurstAt;           // RS key -> earliest next create/delete
};

} // namespace rollscope::sim
