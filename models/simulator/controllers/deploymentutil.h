// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

// The deployment controller's arithmetic (k8s.io/kubernetes/pkg/controller/deployment/util),
// on Deployments and ReplicaSets held as JSON. Pure functions: the controller and the tests
// share them.
namespace rollscope::sim {
class SimClock;
}

namespace rollscope::sim::deployutil {

inline constexpr char kRevision[] = "deployment.kubernetes.io/revision";
inline constexpr char kRevisionHistory[] = "deployment.kubernetes.io/revision-history";
inline constexpr char kDesiredReplicas[] = "deployment.kubernetes.io/desired-replicas";
inline constexpr char kMaxReplicas[] = "deployment.kubernetes.io/max-replicas";
inline constexpr char kRollbackTo[] = "deprecated.deployment.rollback.to";
inline constexpr char kLastApplied[] = "kubectl.kubernetes.io/last-applied-configuration";
inline constexpr char kPodTemplateHash[] = "pod-template-hash";

// Condition reasons (deployment_util.go).
inline constexpr char kNewRSAvailable[] = "NewReplicaSetAvailable";
inline constexpr char kTimedOut[] = "ProgressDeadlineExceeded";
inline constexpr char kReplicaSetUpdated[] = "ReplicaSetUpdated";
inline constexpr char kNewReplicaSetCreated[] = "NewReplicaSetCreated";
inline constexpr char kFoundNewReplicaSet[] = "FoundNewReplicaSet";
inline constexpr char kFailedRSCreate[] = "ReplicaSetCreateError";
inline constexpr char kPaused[] = "DeploymentPaused";
inline constexpr char kResumed[] = "DeploymentResumed";
inline constexpr char kMinimumReplicasAvailable[] = "MinimumReplicasAvailable";
inline constexpr char kMinimumReplicasUnavailable[] = "MinimumReplicasUnavailable";

// The default revisionHistory annotation length bound (maxRevHistoryLengthInChars).
inline constexpr int kMaxRevisionHistoryChars = 2000;

// Counts are int32 on the wire, but sums and surges of valid ones can pass INT_MAX (Go wraps;
// C++ must not overflow): the arithmetic runs in 64 bits and saturates to the int range.
int saturate(qint64 value);

int specReplicas(const QJsonObject &object); // spec.replicas (1 when absent)
int statusInt(const QJsonObject &object, QStringView field);
bool isRollingUpdate(const QJsonObject &deployment);
bool isPaused(const QJsonObject &deployment);
bool hasProgressDeadline(const QJsonObject &deployment);
bool hasRevisionHistoryLimit(const QJsonObject &deployment);

// ResolveFenceposts / MaxSurge / MaxUnavailable.
int maxSurge(const QJsonObject &deployment);
int maxUnavailable(const QJsonObject &deployment);

// controller.ComputeHash: a deterministic hash of the template (and collisionCount), spelled
// in the API server's "safe" alphabet.
QString computeHash(const QJsonObject &podTemplate, std::optional<qint64> collisionCount);
// Go's rand.SafeEncodeString: each character through bcdfghjklmnpqrstvwxz2456789.
QString safeEncode(const QString &text);

// EqualIgnoreHash: templates equal apart from the pod-template-hash label (and, like
// apiequality.Semantic, without telling null or empty maps and lists from absent ones).
bool equalIgnoreHash(const QJsonObject &a, const QJsonObject &b);

// Revision of an RS (0 when absent or not a number) and the highest among `replicaSets`.
qint64 revision(const QJsonObject &object);
qint64 maxRevision(const QList<QJsonObject> &replicaSets);

// ReplicaSetsByCreationTimestamp: creationTimestamp, then name.
bool createdBefore(const QJsonObject &a, const QJsonObject &b);
void sortByCreation(QList<QJsonObject> &replicaSets);

// The oldest RS whose template equals the deployment's, or an empty object.
QJsonObject findNewReplicaSet(const QJsonObject &deployment, QList<QJsonObject> replicaSets);

// NewRSNewReplicas.
int newRSNewReplicas(const QJsonObject &deployment, const QList<QJsonObject> &allReplicaSets,
                     const QJsonObject &newReplicaSet);

// Sums over replica sets (empty objects, the absent new RS, are skipped). 64-bit: several
// int32 counts add up past INT_MAX, and a saturated sum would make scaling inexact.
qint64 sumSpecReplicas(const QList<QJsonObject> &replicaSets);
qint64 sumStatus(const QList<QJsonObject> &replicaSets, QStringView field);
QList<QJsonObject> filterActive(const QList<QJsonObject> &replicaSets);

// ReplicasAnnotationsNeedUpdate / SetReplicasAnnotations.
bool replicasAnnotationsNeedUpdate(const QJsonObject &rs, int desired, int maxReplicas);
void setReplicasAnnotations(QJsonObject &rs, int desired, int maxReplicas);

// SetNewReplicaSetAnnotations: copies the deployment's annotations (minus the skip list), raises
// the revision to `newRevision` when lower (recording the old one in revision-history), and for
// a new RS adds desired/max replicas. True if anything changed.
bool setNewReplicaSetAnnotations(const QJsonObject &deployment, QJsonObject &rs,
                                 const QString &newRevision, bool exists);
bool skipCopyAnnotation(const QString &key);

// GetProportion for proportional scaling.
qint64 getProportion(const QJsonObject &rs, const QJsonObject &deployment, qint64 replicasToAdd,
                     qint64 replicasAdded);

// FindActiveOrLatest / IsSaturated.
QJsonObject findActiveOrLatest(const QJsonObject &newRS, QList<QJsonObject> oldRSs);
bool isSaturated(const QJsonObject &deployment, const QJsonObject &rs);

// Deployment conditions: {type,status,lastUpdateTime,lastTransitionTime,reason,message}.
// `nowMs` is the wall-clock instant the condition carries (SimClock::toWallMs).
QJsonObject newCondition(const QString &type, const QString &status, const QString &reason,
                         const QString &message, qint64 nowMs);
QJsonObject getCondition(const QJsonObject &status, QStringView type);
// SetDeploymentCondition: same status and reason is a no-op; same status keeps
// lastTransitionTime; the condition moves to the end of the list.
void setCondition(QJsonObject &status, QJsonObject condition);
void removeCondition(QJsonObject &status, QStringView type);

// DeploymentComplete / DeploymentProgressing / DeploymentTimedOut.
bool deploymentComplete(const QJsonObject &deployment, const QJsonObject &newStatus);
bool deploymentProgressing(const QJsonObject &deployment, const QJsonObject &newStatus);
bool deploymentTimedOut(const QJsonObject &deployment, const QJsonObject &newStatus,
                        const SimClock &clock);

} // namespace rollscope::sim::deployutil
