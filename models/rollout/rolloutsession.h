// SPDX-License-Identifier: MIT
#pragma once

// RolloutSession: one Deployment followed, and the recording of its rollouts, wired once. The
// window shows a session (charts, tables, banner); the headless command prints one. Both get
// the same timeline for the same rollout because both get it from here.
//
// A session owns:
// - the RolloutTracker of the Deployment (informers, versions, status, events, pod samples);
// - target discovery (the Services of the namespace and the Nodes, for NodePorts), when asked;
// - the TrafficProber (started and stopped by its user; its pod -> version map and version
//   aliases are kept up to date here);
// - the TimelineRecorder of the current recording, fed from the tracker and the prober.
//
// Recordings. One per rollout: it starts when the tracker reports a rollout (a change observed in
// the cluster, t = 0 when the new ReplicaSet was seen) or when an action of this session is about
// to be sent (t = 0 when it is sent: the requested event). A new recording ends the previous one
// (Aborted, "a new change started"). Each recording starts the charts from empty series
// (seriesReset): samples and buckets from before its t = 0 are never shown.
//
// The outcome and the duration. A recording's outcome time is the moment its outcome is known:
// the tracker's outcome (Complete or Failed), a deletion, a timeout or an abort. The duration is
// outcome time - t = 0, and it is the one duration everything shows: the banner
// (outcomeReached), the timeline's summary, the exports and the headless summary. After the
// outcome the recording waits for the answers to requests sent before it (at most
// `drainTimeoutMs`), then finishes at the outcome time: answers to later requests are not its.
// A recording superseded by a new change before the answer to its own request came waits for
// that answer (at most `drainTimeoutMs`) so that its requested event is recorded, then finishes:
// its recordingFinished may then come after the new recording's recordingStarted.
//
// Actions. setImage, rollback, abort, restart, scale and setPaused send one write each. Each is
// recorded as a requested event (ImageChangeRequested, RollbackRequested, AbortRequested,
// RestartRequested, ScaleRequested, PauseRequested, ResumeRequested) at the time it was sent,
// with what, from, to, who (`requestedBy`) and the API's answer. An action that starts a rollout
// (image, rollback, abort, restart), and any action when nothing is being recorded, starts a
// new recording whose change is the request; a scale or pause during a recording is recorded
// into it. A write sent before the Deployment's watches are open waits for them (at most
// 10 s), so the rollout's first steps are seen as they happen. Changes made by someone else
// stay observed: the tracker's Paused, Scaled, RolledBack... events and observed recordings.

#include "kube/informerfwd.h"
#include "kube/operations.h"
#include "kube/resources.h"
#include "probe/probetypes.h"
#include "probe/trafficprober.h"
#include "rollout/rollouttypes.h"
#include "timeline/timeline.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace rollscope::kube {
class ApiClient;
} // namespace rollscope::kube
namespace rollscope::probe {
class TrafficProber;
}
namespace rollscope::timeline {
class TimelineRecorder;
}

namespace rollscope::rollout {

class RolloutTracker;
struct StrategyNumbers;

struct SessionOptions
{
    QString context;                                   // the kubeconfig context, for the timeline
    QString requestedBy = QStringLiteral("Rollscope"); // who the requested events name
    bool autosave = true;
    // The first recording's autosave file ("" = TimelineRecorder::autosavePathFor()); later
    // recordings always use the usual place.
    QString autosavePath;
    qint32 sampleIntervalMs = 500;
    // RecorderOptions::perPodEventsUpToReplicas.
    int perPodEventsUpToReplicas = timeline::kPerPodEventsUpToReplicas;
    // Watch the namespace's Services and the Nodes for probe targets (targetsChanged()).
    bool discoverTargets = true;
    // The headless command: the traffic ends with the rollout (the prober is stopped at the
    // outcome, and the recording finishes once it has delivered its last answers).
    bool stopProbeAtOutcome = false;
    qint32 drainTimeoutMs = 5000;
    // A rollout already running when first seen keeps its events from this long before.
    qint64 observedHistoryMs = 10LL * 60 * 1000;
};

enum class SessionAction
{
    SetImage,
    Rollback,
    Abort,
    Restart,
    Scale,
    Pause,
    Resume
};

class RolloutSession : public QObject
{
    Q_OBJECT

public:
    RolloutSession(kube::ApiClient *client, QString ns, QString deploymentName,
                   SessionOptions options = {}, QObject *parent = nullptr);
    // A recording still open is finished as by close("Rollscope was closed").
    ~RolloutSession() override;

    void start();
    const SessionOptions &options() const { return m_options; }
    QString ns() const { return m_ns; }
    QString deploymentName() const { return m_name; }
    RolloutTracker *tracker() const { return m_tracker; }
    probe::TrafficProber *prober() const { return m_prober; }

    // Where traffic can go (discoverTargets): the Services that select the Deployment's pods.
    QList<probe::ProbeTarget> targets() const { return m_targets; }
    // Both the Services and the Nodes were listed once, or failed to be.
    bool targetsResolved() const;
    VoidResult startProbe(const probe::ProbeOptions &options);
    VoidResult setProbeOptions(const probe::ProbeOptions &options);
    void stopProbe();

    // The current recording is open (its outcome may be known, and answers still drain).
    bool isRecording() const;
    // The outcome of the current recording is known (it is draining or finished).
    bool outcomeKnown() const { return m_outcome.has_value(); }
    // The current (or last) recording, with its summary so far.
    std::optional<timeline::Timeline> timeline() const;
    QString autosavePath() const;
    // Events derived from the traffic are final before this time (ms from t = 0; see
    // TimelineRecorder::derivedEventsFinalBeforeMs()).
    qint64 derivedEventsFinalBeforeMs() const;
    // t = 0 of what the charts show: the current recording's, or when the session started.
    qint64 seriesOriginMs() const { return m_seriesOriginMs; }

    // Starts recording what is going on now, as observed: the rollout in progress from when it
    // was first seen, or (nothing in progress) the present state, with its outcome at once.
    void recordCurrent();
    // Ends the current recording now with this outcome (a timeout, Ctrl-C, another Deployment
    // selected, a fatal error), after its answers drained.
    void endRecording(timeline::Outcome outcome, const QString &reason, const QString &message);
    // Ends the current recording at once, without waiting for answers (Aborted with `message`
    // unless its outcome is known): another Deployment is selected, the window closes.
    void close(const QString &message);

    // Actions (see the header comment). `cause` "" = kubectl's default change-cause.
    void setImage(const QString &container, const QString &image, const QString &cause = {});
    // To `revision` (0 = the previous one, as `kubectl rollout undo`).
    void rollback(qint64 revision);
    // Rolls back to the previous revision while a rollout is in progress; that rollout's
    // recording ends as Aborted.
    void abort();
    void restart();
    void scale(int replicas);
    void setPaused(bool paused);

    // The timeline's names for a prober's target and for the strategy, so the window and the
    // terminal record the same.
    static timeline::ProbeInfo probeInfo(const probe::ProbeOptions &options);
    static QString probeKindId(probe::ProbeTarget::Kind kind);
    static timeline::StrategyInfo strategyInfo(const StrategyNumbers &numbers,
                                               const std::optional<kube::DeploymentInfo> &d);

signals:
    void targetsChanged(const QList<rollscope::probe::ProbeTarget> &targets);
    // The charts start from empty series at `originMs`; what follows is from then on.
    void seriesReset(qint64 originMs);
    void podSamples(const QList<rollscope::rollout::PodCountSample> &samples);
    void probeBuckets(const QList<rollscope::probe::ProbeBucket> &buckets);

    void recordingStarted(const rollscope::timeline::ChangeInfo &change, qint64 originMs);
    void eventRecorded(const rollscope::timeline::TimelineEvent &event);
    // The recording's outcome is known; `durationMs` is the rollout's one duration.
    void outcomeReached(rollscope::timeline::Outcome outcome,
                        const rollscope::rollout::RolloutStatus &status, const QString &reason,
                        const QString &message, qint64 durationMs);
    void recordingFinished(const rollscope::timeline::Timeline &timeline,
                           const QString &autosavePath);
    void autosaveFailed(const QString &message);
    void autosaveClosed(const QString &path);

    // The API's answer to an action: the kubectl-like line ("deployment.apps/demo-dp image
    // updated"), or the error.
    void requestAccepted(rollscope::rollout::SessionAction action, const QString &message);
    void requestRejected(rollscope::rollout::SessionAction action, const rollscope::Error &error);

private:
    void rollbackAs(qint64 revision, SessionAction action);
    using Send = std::function<void(QObject *, std::function<void(Result<kube::WriteOutcome>)>)>;
    struct Request
    {
        SessionAction action = SessionAction::SetImage;
        QString type; // the requested event's type
        QString message;
        RequestInfo info;
        timeline::ChangeInfo change; // for the recording it starts
        bool startsRollout = false;
        qint64 timeMs = 0;
    };

    void refreshTargets();
    void onRolloutStarted(qint64 originMs);
    void onTrackerOutcome(const RolloutStatus &status);
    void onSamples(const QList<PodCountSample> &samples);
    void onBuckets(const QList<probe::ProbeBucket> &buckets);
    void onVersions(const QList<VersionInfo> &versions);
    void onStrategy(const StrategyNumbers &numbers);
    void onProbeState();

    void startRecording(qint64 originMs, const timeline::ChangeInfo &change, bool observed);
    void resetSeries(qint64 originMs);
    void reachOutcome(timeline::Outcome outcome, const QString &reason, const QString &message,
                      qint64 atMs);
    void maybeFinish();
    void finishNow();
    timeline::ChangeInfo observedChange() const;

    // Runs `go` once the tracker's watches are open (or after 10 s, or at once without them).
    void whenWatching(std::function<void()> go);
    void send(Request request, const Send &write);
    timeline::ChangeInfo changeTo(const QList<kube::ContainerImage> &target) const;

    kube::ApiClient *m_client = nullptr;
    QString m_ns;
    QString m_name;
    SessionOptions m_options;
    RolloutTracker *m_tracker = nullptr;
    probe::TrafficProber *m_prober = nullptr;
    kube::ServiceInformer *m_services = nullptr;
    kube::NodeInformer *m_nodes = nullptr;
    QList<probe::ProbeTarget> m_targets;
    bool m_targetsAnnounced = false;

    timeline::TimelineRecorder *m_recorder = nullptr;
    std::optional<timeline::Timeline> m_last;
    int m_recordings = 0;
    qint64 m_seriesOriginMs = 0;
    // The current recording was started by a request whose answer has not come yet.
    bool m_inFlight = false;
    // The end of the current recording, once known.
    struct Ending
    {
        timeline::Outcome outcome = timeline::Outcome::Aborted;
        QString reason;
        QString message;
        qint64 atMs = 0;
    };
    std::optional<Ending> m_outcome;
    QTimer m_drainPoll;
    QTimer m_drainLimit;
    // A recording superseded while the answer to the request that started it was on its way:
    // it waits for that answer (its requested event) at most `drainTimeoutMs`, then finishes
    // with its ending. It receives nothing else: what happens next is the new recording's.
    struct Parked
    {
        QPointer<timeline::TimelineRecorder> recorder;
        Ending ending;
    };
    std::optional<Parked> m_parked;
    QTimer m_parkLimit;

    void park(const Ending &ending);
    void finishParked();
};

} // namespace rollscope::rollout

Q_DECLARE_METATYPE(rollscope::rollout::SessionAction)
