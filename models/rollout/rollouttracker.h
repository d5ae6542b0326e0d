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

#include "kube/informer.h"
#include "kube/operations.h"
#include "kube/resources.h"
#include "rollout/rollouttypes.h"
#include "rollout/strategy.h"

#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

#include <functional>
#include <optional>

namespace rollscope::kube {
class ApiClient;
}

namespace rollscope::rollout {

struct TrackerOptions
{
    int sampleIntervalMs = 500;
    int minSampleSpacingMs = 100;
    int batchIntervalMs = 200;
    qint64 fullResolutionMs = 2LL * 60 * 60 * 1000;
    qint64 archiveSpacingMs = 60 * 1000;
    int maxArchivedSamples = 24 * 60;
    int maxRecordedEvents = 10000;
};

// A version and the containers of its ReplicaSet, for labelVersions().
struct VersionSource
{
    VersionInfo info;
    QList<kube::ContainerImage> containers;
};

// Sets image and label of every version (see the header comment).
void labelVersions(QList<VersionSource> &versions);

// Why a pod cannot run, when a container (or init container) waits for one of the reasons the
// status counts as a failure; nullopt otherwise.
struct PodFailure
{
    QString reason;
    QString message;
    QString container;
};
std::optional<PodFailure> podFailure(const kube::PodInfo &pod);

// How a Deployment condition reads: Progressing False and ReplicaFailure True are errors,
// Available False (and other False conditions) warnings, the rest information.
RolloutEvent::Severity conditionSeverity(const kube::Condition &condition);

// One line of `kubectl rollout history`, from a ReplicaSet.
kube::RevisionInfo revisionInfo(const kube::ReplicaSetInfo &replicaSet, qint64 currentRevision);

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
    const TrackerOptions &options() const { return m_options; }
    // Wall-clock milliseconds for samples and events; tests may substitute their own.
    void setClock(Clock clock);
    qint64 now() const;

    void start();
    void stop();
    bool isRunning() const { return m_running; }
    // Every informer has listed once (always true without a client). Events are recorded and
    // samples taken only from then on, so objects that already existed are not "created".
    bool isLive() const { return m_live; }

    // The window sends the PATCH of an image change: t = 0 of a new rollout, and an
    // ImageChangeRequested event. Call it only when a PATCH is really sent.
    void markChange(qint64 timeMs, const QString &description);
    // t = 0 of the current (or last) rollout; 0 before the first.
    qint64 originMs() const { return m_originMs; }
    bool rolloutActive() const { return m_rolloutActive; }

    QString ns() const { return m_ns; }
    QString deploymentName() const { return m_name; }
    std::optional<kube::DeploymentInfo> deployment() const { return m_deployment; }
    StrategyNumbers strategy() const { return m_strategy; }
    RolloutStatus status() const { return m_status; }
    QList<VersionInfo> versions() const { return m_publishedVersions; }
    std::optional<VersionInfo> version(const QString &id) const;
    QString newVersionId() const { return m_newVersionId; }
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
    // Revisions from the ReplicaSets, ascending, as `kubectl rollout history` lists them.
    QList<kube::RevisionInfo> history() const;
    QList<PodCountSample> samples() const { return m_samples; }
    QList<RolloutEvent> recordedEvents() const { return m_recorded; }

    // The informers, read-only (null without a client or before the Deployment was seen).
    const kube::DeploymentInformer *deploymentInformer() const { return m_deploymentInformer; }
    const kube::ReplicaSetInformer *replicaSetInformer() const { return m_replicaSetInformer; }
    const kube::PodInformer *podInformer() const { return m_podInformer; }
    const kube::EventInformer *eventInformer() const { return m_eventInformer; }

    // What the informers report, one change at a time (public so recorded sequences can be
    // replayed without a cluster).
    void applyDeployment(const kube::DeploymentInfo &deployment);
    void applyDeploymentRemoved(const kube::DeploymentInfo &deployment);
    void applyReplicaSet(const kube::ReplicaSetInfo &replicaSet);
    void applyReplicaSetRemoved(const kube::ReplicaSetInfo &replicaSet);
    void applyPod(const kube::PodInfo &pod);
    void applyPodRemoved(const kube::PodInfo &pod);
    void applyEvent(const kube::EventInfo &event);
    void applyEventRemoved(const kube::EventInfo &event);

    // Recomputes versions, counts and status now and publishes what changed (the event loop
    // does it once per pass otherwise).
    void flush();
    // Takes a sample now (while live) and emits the pending batch.
    void sampleNow();

    // The status rules of the header comment. `newPods`: the pods of the new version.
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
    struct VersionState
    {
        VersionInfo info;
        QList<kube::ContainerImage> containers;
        bool shown = false;
    };

    void ensureScopedInformers();
    void dropScopedInformers();
    void onInformerSynced();
    void reconcileReplicaSets(const QList<kube::ReplicaSetInfo> &present);
    void reconcilePods(const QList<kube::PodInfo> &present);
    void updateLive();

    bool ownsReplicaSet(const kube::ReplicaSetInfo &replicaSet) const;
    bool podIsOurs(const kube::PodInfo &pod) const;
    bool eventIsOurs(const kube::EventInfo &event) const;
    void refreshOwnership();
    void refreshPodsOf(const QString &replicaSetName);
    void refreshEvents();
    void admitPod(const kube::PodInfo &pod);
    void dropPod(const kube::PodInfo &pod, bool gone);
    QString versionIdOf(const kube::ReplicaSetInfo &replicaSet) const;
    QString versionIdOfPod(const kube::PodInfo &pod) const;

    void markDirty();
    void recomputeVersions();
    void recomputeCounts();
    void recomputeStatus();
    QString findNewReplicaSet() const;
    void startRollout(qint64 originMs);

    void record(const QString &type, const QString &message, const QString &object,
                const QString &versionId = {},
                RolloutEvent::Severity severity = RolloutEvent::Severity::Info,
                std::optional<qint64> timeMs = std::nullopt);
    void recordDeploymentChanges(const kube::DeploymentInfo &before,
                                 const kube::DeploymentInfo &after);
    void recordReplicaSetChanges(const kube::ReplicaSetInfo &before,
                                 const kube::ReplicaSetInfo &after);
    void recordPodChanges(const kube::PodInfo &before, const kube::PodInfo &after);
    void recordKubernetesEvent(const kube::EventInfo &event);

    void requestChangeSample();
    void appendSample(qint64 timeMs);
    void emitBatch();
    void compactSamples();

    QPointer<kube::ApiClient> m_client;
    QString m_ns;
    QString m_name;
    TrackerOptions m_options;
    Clock m_clock;
    bool m_running = false;
    bool m_live = false;

    kube::DeploymentInformer *m_deploymentInformer = nullptr;
    kube::ReplicaSetInformer *m_replicaSetInformer = nullptr;
    kube::PodInformer *m_podInformer = nullptr;
    kube::EventInformer *m_eventInformer = nullptr;
    QString m_scopedSelector; // the labelSelector the ReplicaSet and Pod informers use
    bool m_hasScopedSelector = false;
    bool m_scopedConfigured = false;

    std::optional<kube::DeploymentInfo> m_deployment;
    qint64 m_generationSeenMs = 0;
    StrategyNumbers m_strategy;
    QHash<QString, kube::ReplicaSetInfo> m_allReplicaSets; // by name, as listed
    QHash<QString, kube::ReplicaSetInfo> m_replicaSets;    // the Deployment's, by name
    QHash<QString, kube::PodInfo> m_allPods;               // by name, as listed
    QHash<QString, kube::PodInfo> m_pods;                  // the Deployment's, by name
    QHash<QString, kube::EventInfo> m_candidateEvents;     // by key: about "<deployment>-..."
    QHash<QString, kube::EventInfo> m_events;              // by key: ours

    QHash<QString, VersionState> m_versionStates; // by version id
    int m_nextColor = 0;
    QString m_newVersionId;
    QList<VersionInfo> m_publishedVersions;
    QList<VersionPods> m_counts;
    QHash<QString, QString> m_publishedPodVersions;
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

    bool m_dirty = false;
    bool m_changePending = false;
    QTimer m_flushTimer;
    QTimer m_sampleTimer;
    QTimer m_changeSampleTimer;
    QTimer m_batchTimer;
    QElapsedTimer m_sinceSample;
    // Pods of the Deployment as each event leaves them, and their extremes since the last
    // sample (PodCountSample::lowAvailable/peakTotal).
    struct PodTally
    {
        int total = 0;
        int available = 0;
    };
    void tally(const kube::PodInfo *before, const kube::PodInfo *after);
    void resetExtremes();
    PodTally m_tally;
    int m_lowAvailableSinceSample = -1;
    int m_peakTotalSinceSample = -1;
    QList<PodCountSample> m_samples;
    QList<PodCountSample> m_batch;
    qsizetype m_compactAt = 0;
    QList<RolloutEvent> m_recorded;
};

} // namespace rollscope::rollout
