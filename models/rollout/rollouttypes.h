// SPDX-License-Identifier: MIT
#pragma once

// Values the rollout layer hands to the prober, the timeline and the views. Small, copyable,
// no QObject pointers (architecture convention 2). Times are wall-clock milliseconds since the
// Unix epoch (QDateTime::currentMSecsSinceEpoch()); a timeline turns them into t = seconds since
// the change.

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace rollscope::rollout {

// One version of a Deployment: the pod template of one ReplicaSet, named by the image of the
// container that changed (made unique with the revision where two revisions share the image,
// e.g. after `rollout restart`).
struct VersionInfo
{
    QString id;         // stable key for one rollout: the ReplicaSet's pod-template-hash
    QString label;      // what charts show: "bebullish/demo:v2", or "bebullish/demo:v2 (rev 3)"
    QString image;      // image of the changed container
    QString replicaSet; // ReplicaSet name
    qint64 revision = 0;
    bool isNew = false; // the Deployment's current template
    int colorIndex = 0; // stable within one rollout, 0 = the oldest version seen

    bool operator==(const VersionInfo &) const = default;
};

// Pods of one version at one moment. Terminating pods (deletionTimestamp set) are counted in
// `terminating` only; total = pods that count for the ReplicaSet (not terminating, not done).
struct VersionPods
{
    QString versionId;
    int total = 0;
    int ready = 0;
    int available = 0;
    int terminating = 0;

    bool operator==(const VersionPods &) const = default;
};

// One point of the pods-by-version chart, with the strategy's guarantees at that moment.
struct PodCountSample
{
    qint64 timeMs = 0;
    QList<VersionPods> versions;
    int desired = 0;      // spec.replicas
    int maxTotal = 0;     // replicas + maxSurge
    int minAvailable = 0; // replicas - maxUnavailable
    // The extremes the pods went through since the previous sample, this one included, as each
    // watch event left them (samples are spaced and batched; these are not): the fewest
    // available and the most pods. -1: not tracked.
    int lowAvailable = -1;
    int peakTotal = -1;

    bool operator==(const PodCountSample &) const = default;
};

enum class RolloutState
{
    Unknown,     // not seen yet
    Progressing, // a new ReplicaSet is being rolled out
    Paused,
    Complete, // updated == replicas == available, observedGeneration current
    Failed,   // progress deadline exceeded, or the new pods cannot run (see reason)
};

struct RolloutStatus
{
    RolloutState state = RolloutState::Unknown;
    QString reason;  // e.g. ProgressDeadlineExceeded, CrashLoopBackOff, ImagePullBackOff
    QString message; // plain words for the status badge
    int desired = 0;
    int updated = 0;
    int ready = 0;
    int available = 0;
    double progress = 0.0; // 0..1, updated-and-available share of desired

    bool operator==(const RolloutStatus &) const = default;
};

// An action Rollscope performed on the Deployment (the window or the headless command), as
// opposed to a change it observed: who asked, from what, to what, and what the API answered.
struct RequestInfo
{
    QString requestedBy; // "Rollscope" (the window), "rollscope rollout" (headless)
    QString from;        // before: "bebullish/demo:v1", "3 replicas", "running", "revision 2"
    QString to;          // asked for: "bebullish/demo:v2", "5 replicas", "paused", "revision 1"
    bool accepted = false;
    // "" when accepted and changed; "unchanged" when the API changed nothing; else the API's
    // error in plain words.
    QString result;

    bool operator==(const RequestInfo &) const = default;
};

// Something that happened during a rollout, for the event list and the timeline.
struct RolloutEvent
{
    enum class Severity
    {
        Info,
        Warning,
        Error
    };

    qint64 timeMs = 0;
    // Stable, machine-readable kind. Requested (`request` set): ImageChangeRequested,
    // RollbackRequested, AbortRequested, RestartRequested, ScaleRequested, PauseRequested,
    // ResumeRequested. Observed: ReplicaSetCreated, ReplicaSetScaled,
    // PodCreated, PodScheduled, PodStarted, PodReady, PodNotReady, PodTerminating, PodGone,
    // PodRestarted, PodFailing, ConditionChanged, KubernetesEvent, FirstAnswer, LastAnswer,
    // FailureBurst, Paused, Resumed, RolledBack, Restarted, Scaled, Outcome.
    QString type;
    QString message;   // plain words, already translated
    QString object;    // "pod/demo-dp-6b5b87b666-f4rck", "replicaset/demo-dp-6b5b87b666"
    QString versionId; // the version concerned, if any
    Severity severity = Severity::Info;
    std::optional<RequestInfo> request; // set for an action Rollscope performed

    bool operator==(const RolloutEvent &) const = default;
};

} // namespace rollscope::rollout

Q_DECLARE_METATYPE(rollscope::rollout::VersionInfo)
Q_DECLARE_METATYPE(rollscope::rollout::PodCountSample)
Q_DECLARE_METATYPE(rollscope::rollout::RolloutStatus)
Q_DECLARE_METATYPE(rollscope::rollout::RolloutEvent)
