// SPDX-License-Identifier: MIT
#pragma once

// Versions of a Deployment as pure functions of its values: which ReplicaSet is the new one, the
// id of a version (the pod-template-hash), labels that tell versions apart, pods per version and
// `kubectl rollout history`. VersionBook keeps what must stay stable while tracking (colours,
// versions that are gone), and nothing else: no QObject, no timers.

#include "kube/operations.h"
#include "kube/resources.h"
#include "rollout/rollouttypes.h"

#include <QHash>
#include <QList>
#include <QString>

#include <utility>

namespace rollscope::rollout {

// A version and the containers of its ReplicaSet, for labelVersions().
struct VersionSource
{
    VersionInfo info;
    QList<kube::ContainerImage> containers;
};

// Sets image and label of every version (see RolloutTracker's header comment).
void labelVersions(QList<VersionSource> &versions);

// The version id of a ReplicaSet: its pod-template-hash, so a rollback that reuses a ReplicaSet
// comes back as the same version (its name when hand-made data has no hash).
QString versionIdOf(const kube::ReplicaSetInfo &replicaSet);
// The version of a pod: its ReplicaSet's (`replicaSets` by name), else its own
// pod-template-hash.
QString versionIdOfPod(const kube::PodInfo &pod,
                       const QHash<QString, kube::ReplicaSetInfo> &replicaSets);

// The name of the Deployment's new ReplicaSet among `replicaSets` (the Deployment's, by name):
// the one whose revision is the Deployment's revision annotation and whose containers equal the
// Deployment's; without the annotation (hand-made data), the newest one with those containers.
// Empty while there is none (right after a template change).
QString findNewReplicaSet(const kube::DeploymentInfo &deployment,
                          const QHash<QString, kube::ReplicaSetInfo> &replicaSets);

// One line of `kubectl rollout history`, from a ReplicaSet.
kube::RevisionInfo revisionInfo(const kube::ReplicaSetInfo &replicaSet, qint64 currentRevision);
// Every line, ascending by revision; ReplicaSets without a revision are skipped, as kubectl does.
QList<kube::RevisionInfo> revisionHistory(const QHash<QString, kube::ReplicaSetInfo> &replicaSets,
                                          qint64 currentRevision);
// The revision a failed or unwanted rollout should return to ("last good"): among the revisions
// other than the current one, the newest whose ReplicaSet still has available pods (the version
// serving now: a rollout never scales the old one below what maxUnavailable allows), else the
// newest one before the current. 0 when there is none.
qint64 lastGoodRevision(const QHash<QString, kube::ReplicaSetInfo> &replicaSets,
                        qint64 currentRevision);

// What countPods() needs of the pods of one group (one ReplicaSet and pod-template-hash), kept
// up to date one pod change at a time: a 2000-replica rollout changes pods thousands of times,
// and counting every pod at each change made following it quadratic.
struct PodTally
{
    int all = 0;         // every pod, terminating and finished ones included
    int counted = 0;     // neither terminating nor finished: what `total` counts
    int ready = 0;       // counted and ready
    int terminating = 0; // terminating and not finished

    // `sign` +1 adds the pod, -1 takes it away again.
    void add(const kube::PodInfo &pod, int sign);
    bool isEmpty() const { return all == 0; }
    bool operator==(const PodTally &) const = default;
};
// The group of a pod: its ReplicaSet's name and its own pod-template-hash (what
// versionIdOfPod() looks at).
using PodGroup = std::pair<QString, QString>;
PodGroup podGroupOf(const kube::PodInfo &pod);
using PodTallies = QHash<PodGroup, PodTally>;
// Adds (+1) or takes away (-1) one pod, dropping groups that become empty.
void tallyPod(PodTallies &tallies, const kube::PodInfo &pod, int sign);

// Pods per version now, one entry per version in the order of `versions`. Terminating pods count
// in `terminating` only, finished ones not at all. With `availabilityLags` (minReadySeconds),
// available is the ReplicaSet's count (never above ready): only its controller can judge it.
QList<VersionPods> countPods(const PodTallies &tallies,
                             const QHash<QString, kube::ReplicaSetInfo> &replicaSets,
                             const QList<VersionInfo> &versions, bool availabilityLags);
// The same from the pods themselves (tallies them first).
QList<VersionPods> countPods(const QHash<QString, kube::PodInfo> &pods,
                             const QHash<QString, kube::ReplicaSetInfo> &replicaSets,
                             const QList<VersionInfo> &versions, bool availabilityLags);
// Pods per ReplicaSet name, every pod counted (what VersionBook::update() takes).
QHash<QString, int> podsPerReplicaSet(const PodTallies &tallies);

// The versions seen while tracking. A ReplicaSet becomes a version once it has pods, a non-zero
// size or is the new one, and stays one (old chart points keep their label and colour), with
// colours given in order of first sight, ties by revision.
class VersionBook
{
public:
    // Brings the versions up to date with the Deployment's ReplicaSets (by name), how many pods
    // each has and which one is new (a name, or empty); returns them in colorIndex order.
    QList<VersionInfo> update(const QHash<QString, kube::ReplicaSetInfo> &replicaSets,
                              const QHash<QString, int> &podsPerReplicaSet,
                              const QString &newReplicaSet);
    // The id of the new version after the last update(); empty when none is new.
    QString newVersionId() const { return m_newVersionId; }

private:
    struct State
    {
        VersionInfo info;
        QList<kube::ContainerImage> containers;
        bool shown = false;
    };
    QHash<QString, State> m_states; // by version id
    int m_nextColor = 0;
    QString m_newVersionId;
};

} // namespace rollscope::rollout
