// SPDX-License-Identifier: MIT
#pragma once

// RolloutTracker: everything the Rollout view and the timeline know about one Deployment, kept
// live from its own informers and handed out as values (architecture: "Layers talk in values").
//
// Scope of the informers: the Deployment (fieldSelector metadata.name=NAME), its ReplicaSets and
// Pods (labelSelector = the Deployment's selector; both are recreated when the selector changes),
// and the Events of the namespace (kept in memory only when they concern the Deployment, one of
// its ReplicaSets or one of their pods).
//
// Versions. One per ReplicaSet controlled by the Deployment (ownerReference uid) that has pods,
// a non-zero size or is the new one at some moment while tracking; ReplicaSets that stay at 0
// (old history) are in history() and replicaSets() but are not versions. Once a version, always a
// version while the tracker lives, so the chart's old points keep their label.
// - id: the ReplicaSet's pod-template-hash, so a rollback that reuses a ReplicaSet comes back as
//   the same version (same id and colour), renumbered and now isNew.
// - label: the image of the container whose image differs between the versions (several
//   containers: their images joined with ", "; no difference: the first container's image); where
//   two versions share a label (rollout restart), both get " (rev N)".
// - colorIndex: 0, 1, 2... in order of first sight, ties by revision; stable while tracking.
// - isNew: the ReplicaSet whose revision is the Deployment's revision annotation and whose
//   containers equal the Deployment's (right after a template change, until the controller has
//   created or renumbered the new ReplicaSet, no version is new).
//
// Status (evaluateStatus), in this order:
//   paused -> Paused; generation > observedGeneration -> Progressing (waiting to be observed);
//   Progressing condition ProgressDeadlineExceeded -> Failed; a pod of the new version waiting
//   with CrashLoopBackOff, ImagePullBackOff, ErrImagePull, InvalidImageName, ErrImageNeverPull,
//   CreateContainerConfigError, CreateContainerError or RunContainerError -> Failed at once, with
//   that reason and the pod; a ReplicaFailure condition that is True -> Failed; then the checks of
//   `kubectl rollout status` (updated < replicas, old replicas pending termination, updated not
//   all available) -> Progressing, else Complete.
//
// Rollouts and the outcome. A rollout begins with markChange(), when a different ReplicaSet
// becomes the new one without a markChange() (kubectl, a rollback), or, when tracking starts
// in the middle of one, at the first evaluation (t = 0 = first seen). outcomeReached() fires once
// per rollout, on the first Complete or Failed that belongs to it: after markChange() only once
// the Deployment's generation has moved past the one it had then, and a ProgressDeadlineExceeded
// condition only when it is not the one that was there when the rollout began.
// Complete waits until the tracker's own ReplicaSets show no old one wanting pods: the
// Deployment's status and the old ReplicaSet's last scale-down come on two watches, and the
// scale-down (which the controller made first) may arrive a moment later; waiting records it
// before the outcome, as it happened. The wait ends after outcomeWaitMs (5 s) in any case, so a
// ReplicaSet watch that stalls delays the outcome but cannot withhold it.
//
// Samples. One PodCountSample every sampleIntervalMs (500 ms) while live, plus one when the pod
// counts change, at most one per minSampleSpacingMs (100 ms; a change inside that window is
// sampled at its end, so the last state is never lost). They reach samplesAppended() in batches,
// at most one signal per batchIntervalMs (200 ms), never one per watch event. samples() keeps the
// last fullResolutionMs (2 h) as taken; older samples are thinned to one per archiveSpacingMs
// (60 s), at most maxArchivedSamples (1440, a day) of them, older ones dropped.
//
// Changes reach item models incrementally through the per-object signals (replicaSetAdded...,
// podAdded..., eventAdded...), emitted at once; aggregates (versions, counts, status, pod
// versions) are recomputed once per event-loop pass (flush()).
//
// Parts. The tracker composes them and publishes what they find; each does one job:
// - DeploymentScope (deploymentscope.h): the informers, ownership, which pods and events are
//   ours, when it is live, reconcile after a relist.
// - versions.h: which ReplicaSet is new, version ids, labels, pods per version, history, and
//   VersionBook (versions and their colours while tracking). Pure.
// - statusrules.h: evaluateStatus(), podFailure(), conditionSeverity(), stateText(). Pure.
// - changeevents.h: what to record for a change of one object, before -> after. Pure.
// - PodSampler (podsampler.h): the samples, their extremes, spacing, batches and compaction.
// The tracker itself keeps the rollout (markChange(), rolloutStarted(), outcomeReached()), the
// flush of the aggregates, the recorded events and every public signal.

#include "kube/informer.h"
#include "kube/operations.h"
#include "kube/resources.h"
#include "rollout/changeevents.h"
#include "rollout/deploymentscope.h"
#include "rollout/podsampler.h"
#include "rollout/rollouttypes.h"
#include "rollout/statusrules.h"
#include "rollout/strategy.h"
#include "rollout/versions.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

namespace rollscope::kube {
class ApiClient;
}

namespace rollscope::rollout {

// TrackerOptions (podsampler.h), VersionSource, labelVersions() and revisionInfo() (versions.h),
// PodFailure, podFailure() and conditionSeverity() (statusrules.h) are declared with the part
// that owns them; this header includes them all.

class RolloutTracker : public QObject
{
    Q_OBJECT

public:
    using Clock = std::function<qint64()>;

    // `client` may be null: nothing is watched, the tracker is live at once and the apply*()
    // functions feed it (recorded sequences in tests, a loaded timeline).
    RolloutTracker(kube::ApiClient *client, QString ns, QString deploymentName,
                   QObject *parent = nullptr);
    ~RolloutTracker() override;

    void setOptions(const TrackerOptions &options);
    const TrackerOptions &options() const { return m_sampler.options(); }
    // Wall-clock milliseconds for samples and events; tests may substitute their own.
    void setClock(Clock clock);
    qint64 now() const;

    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // Every informer has listed once (always true without a client). Events are recorded and
    // samples taken only from then on, so objects that already existed are not "created".
    bool isLive() const { return m_scope.isLive(); }

    // A write that changes the Deployment was accepted (an image update, a rollback, a restart, a
    // scale...): t = 0 of a new rollout at `timeMs`, when it was sent. The requested event itself
    // is the caller's to record (RolloutSession records what, from, to, who and the answer).
    void markChange(qint64 timeMs);
    // t = 0 of the current (or last) rollout; 0 before the first.
    qint64 originMs() const { return m_originMs; }
    bool rolloutActive() const { return m_rolloutActive; }

    QString ns() const { return m_scope.ns(); }
    QString deploymentName() const { return m_scope.deploymentName(); }
    std::optional<kube::DeploymentInfo> deployment() const { return m_scope.deployment(); }
    StrategyNumbers strategy() const { return m_strategy; }
    RolloutStatus status() const { return m_status; }
    QList<VersionInfo> versions() const { return m_publishedVersions; }
    std::optional<VersionInfo> version(const QString &id) const;
    QString newVersionId() const { return m_versionBook.newVersionId(); }
    // Pod name -> version id, for every pod of the Deployment (terminating ones included).
    QHash<QString, QString> podVersions() const { return m_publishedPodVersions; }
    QString versionOfPod(const QString &podName) const;
    // Pods per version now, in colorIndex order.
    QList<VersionPods> podCounts() const { return m_counts; }
    // The Deployment's ReplicaSets (by revision), pods (by name) and the Kubernetes Events that
    // concern them (oldest first).
    QList<kube::ReplicaSetInfo> replicaSets() const;
    QList<kube::PodInfo> pods() const;
    QList<kube::EventInfo> events() const;
    // The same, the informers' own values (see sharedvalue.h): what the tables keep.
    QList<Shared<kube::PodInfo>> sharedPods() const;
    QList<Shared<kube::EventInfo>> sharedEvents() const;
    // How many events() are, without copying them.
    qsizetype eventCount() const { return m_scope.eventCount(); }
    // Revisions from the ReplicaSets, ascending, as `kubectl rollout history` lists them.
    QList<kube::RevisionInfo> history() const;
    // The revision to return to when this rollout is unwanted (lastGoodRevision()); 0: none.
    qint64 lastGoodRevision() const;
    QList<PodCountSample> samples() const { return m_sampler.samples(); }
    QList<RolloutEvent> recordedEvents() const { return m_recorded; }

    // The informers, read-only (null without a client or before the Deployment was seen).
    const kube::DeploymentInformer *deploymentInformer() const
    {
        return m_scope.deploymentInformer();
    }
    const kube::ReplicaSetInformer *replicaSetInformer() const
    {
        return m_scope.replicaSetInformer();
    }
    const kube::PodInformer *podInformer() const { return m_scope.podInformer(); }
    const kube::EventInformer *eventInformer() const { return m_scope.eventInformer(); }

    // The scope the informers feed: its applyPod(), applyEvent()... take one change at a time
    // (tests replay recorded sequences through them, without a cluster).
    DeploymentScope &scope() { return m_scope; }

    // Recomputes versions, counts and status now and publishes what changed (the event loop
    // does it once per pass otherwise).
    void flush();
    // Takes a sample now (while live) and emits the pending batch.
    void sampleNow();

    // The status rules of the header comment (statusrules.h). `newPods`: the pods of the new
    // version.
    static RolloutStatus evaluateStatus(const kube::DeploymentInfo &deployment,
                                        const QList<kube::PodInfo> &newPods, int newAvailable);
    static QString stateText(RolloutState state);

signals:
    void liveChanged(bool live);
    void deploymentChanged(const rollscope::kube::DeploymentInfo &deployment);
    void deploymentRemoved();
    void strategyChanged(const rollscope::rollout::StrategyNumbers &strategy);
    void versionsChanged(const QList<rollscope::rollout::VersionInfo> &versions);
    void statusChanged(const rollscope::rollout::RolloutStatus &status);
    void samplesAppended(const QList<rollscope::rollout::PodCountSample> &samples);
    void eventRecorded(const rollscope::rollout::RolloutEvent &event);
    void rolloutStarted(qint64 originMs);
    void outcomeReached(const rollscope::rollout::RolloutStatus &status);
    void podVersionsChanged(const QHash<QString, QString> &podVersions);

    void replicaSetAdded(const rollscope::kube::ReplicaSetInfo &replicaSet);
    void replicaSetUpdated(const rollscope::kube::ReplicaSetInfo &before,
                           const rollscope::kube::ReplicaSetInfo &after);
    void replicaSetRemoved(const rollscope::kube::ReplicaSetInfo &replicaSet);
    void podAdded(const rollscope::kube::PodInfo &pod);
    void podUpdated(const rollscope::kube::PodInfo &before, const rollscope::kube::PodInfo &after);
    void podRemoved(const rollscope::kube::PodInfo &pod);
    void eventAdded(const rollscope::kube::EventInfo &event);
    void eventUpdated(const rollscope::kube::EventInfo &before,
                      const rollscope::kube::EventInfo &after);
    void eventRemoved(const rollscope::kube::EventInfo &event);

private:
    // Reactions to the scope: what the timeline records and the per-object signals.
    void onBecameLive();
    void onDeploymentSeen(const std::optional<kube::DeploymentInfo> &before,
                          const kube::DeploymentInfo &after);
    void onDeploymentChanged(const kube::DeploymentInfo &deployment);
    void onReplicaSetAdded(const kube::ReplicaSetInfo &replicaSet);
    void onReplicaSetUpdated(const kube::ReplicaSetInfo &before, const kube::ReplicaSetInfo &after);
    void onPodAdded(const kube::PodInfo &pod);
    void onPodUpdated(const kube::PodInfo &before, const kube::PodInfo &after);
    void onPodRemoved(const kube::PodInfo &pod, bool gone);
    void onEventAdded(const kube::EventInfo &event);
    void onEventUpdated(const kube::EventInfo &before, const kube::EventInfo &after);

    void markDirty();
    void recomputeVersions();
    void recomputeCounts();
    void recomputeStatus();
    void startRollout(qint64 originMs);
    bool oldReplicaSetWantsPods() const;
    SampleInput sampleInput() const;
    std::optional<SampleInput> sampleSource();

    // Keeps the event (bounded by maxRecordedEvents) and emits eventRecorded(). Callers record
    // only while live, so objects that already existed when tracking began are not "created".
    void record(const RolloutEvent &event);
    void record(const QList<RolloutEvent> &events);
    VersionIdResolver versionResolver() const;

    DeploymentScope m_scope;
    PodSampler m_sampler;
    VersionBook m_versionBook;
    Clock m_clock;
    bool m_running = false;

    qint64 m_generationSeenMs = 0;
    StrategyNumbers m_strategy;
    bool m_strategyDiffers = false; // between deploymentSeen and deploymentChanged

    QList<VersionInfo> m_publishedVersions;
    QList<VersionPods> m_counts;
    QHash<QString, QString> m_publishedPodVersions;
    quint64 m_publishedPodVersionsRevision = 0;
    RolloutStatus m_status;
    bool m_statusEvaluatedLive = false;

    bool m_rolloutActive = false;
    bool m_outcomeEmitted = false;
    qint64 m_originMs = 0;
    bool m_markPending = false;
    qint64 m_markGeneration = -1;
    qint64 m_newVersionSeenMs = 0;
    QString m_lastNewVersionId;
    std::optional<kube::Condition> m_progressingAtStart;

    QString m_newReplicaSet; // its name, as recomputeVersions() last found it
    QTimer m_outcomeWait;    // Complete seen, an old ReplicaSet's scale-down not yet
    bool m_outcomeWaitOver = false;

    bool m_dirty = false;
    QTimer m_flushTimer;
    QList<RolloutEvent> m_recorded;
};

} // namespace rollscope::rollout
