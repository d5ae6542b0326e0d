// SPDX-License-Identifier: MIT
#pragma once

// `rollscope rollout deployment/NAME --image CONTAINER=IMAGE`: what a CI pipeline calls to prove
// a zero-downtime deploy. It changes the image as `kubectl set image` does, follows the rollout
// like `kubectl rollout status` (one line per notable event as well), probes the Service with a
// fresh connection per request, records the timeline (autosaved as it goes) and writes the
// requested exports. Without --image it follows the rollout already in progress.
//
// Exit status: 0 complete with no failed request, 2 complete but requests failed, 1 failed,
// timed out or aborted (and every error before the rollout: kubeconfig, connection, not found),
// 64 an unusable --probe URL. Exec credential plugins run without asking, as in kubectl.
//
// Exports never hold credentials or local paths: the timeline is passed through
// Timeline::redacted() with the kubeconfig's secrets (tokens, passwords, exec env values,
// auth-provider values) and paths before anything is written.

#include "kube/apiclient.h"
#include "kube/resources.h"
#include "probe/probetypes.h"
#include "rollout/rollouttypes.h"
#include "timeline/timeline.h"

#include <QCoreApplication>
#include <QMultiMap>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QTimer;

namespace rollscope::rollout {
class RolloutSession;
class RolloutTracker;
} // namespace rollscope::rollout

namespace rollscope::timeline {

struct RolloutCommandOptions
{
    enum class Probe
    {
        Auto,
        Url,
        Off
    };

    QString kubeconfig; // --kubeconfig; "" = $KUBECONFIG, else ~/.kube/config
    QString context;
    QString ns;
    int verbosity = 0;
    // Tests only: overrides $KUBECONFIG / the home folder when loading.
    std::optional<QString> kubeconfigEnv;

    QString deployment;
    QString container; // with `image`: the change; both empty: watch
    QString image;
    Probe probe = Probe::Auto;
    QString probeUrl;
    double rate = 20.0;
    QString timelineFile;
    QString reportFile;
    QString csvFile;
    int timeoutSeconds = 600;

    // "" = TimelineRecorder::autosavePathFor(); autosave = false writes none.
    bool autosave = true;
    QString autosavePath;
    qint32 sampleIntervalMs = 500;
};

class RolloutCommand : public QObject
{
    Q_OBJECT

public:
    using Writer = std::function<void(const QString &text)>;

    // Writers default to stdout and stderr.
    explicit RolloutCommand(RolloutCommandOptions options, Writer out = {}, Writer err = {},
                            QObject *parent = nullptr);
    ~RolloutCommand() override;

    void start();
    // Ctrl-C / SIGTERM: stops following, records the rollout as aborted, writes the files.
    void abort();
    int exitCode() const { return m_exitCode; }

    // kubectl rollout status' line for a Deployment ("Waiting for deployment "demo-dp" rollout
    // to finish: 1 out of 3 new replicas have been updated..."); `done` when it reads
    // "successfully rolled out".
    static QString statusLine(const kube::DeploymentInfo &deployment, bool *done = nullptr);
    // The progress line printed for a recorded event, or "" when the event is not notable.
    static QString eventLine(const TimelineEvent &event);
    // Values from the kubeconfig that must never reach an export: credentials and paths.
    static QStringList secretsOf(const kube::ClusterConfig &config, const QStringList &files);

signals:
    void finished(int exitCode);

private:
    // A line per pod that becomes ready only up to kPerPodEventsUpToReplicas (timeline.h), or
    // with -v; beyond, the recording's steps say how many became ready, a line a second at most.
    static constexpr qint64 kReadyLineIntervalMs = 1000;
    bool podLinesWanted() const;
    void readyPodsLine(const TimelineEvent &event);
    enum class Phase
    {
        Idle,
        Connecting,
        Preparing,
        Recording,
        Draining,
        Done
    };

    void onLive(bool live);
    void resolveProbe();
    void onTargets();
    void begin(std::optional<probe::ProbeTarget> target);
    void follow();
    void startProber(const probe::ProbeTarget &target);
    void applyChange();
    void watchInProgress();
    void onRecordingStarted(qint64 t0);
    void onDeployment(const kube::DeploymentInfo &deployment);
    void onOutcome(Outcome outcome, const QString &reason, const QString &message,
                   qint64 durationMs);
    void finalize(const Timeline &recorded);
    void writeFiles(const Timeline &timeline);
    void fail(const QString &text, int exitCode = 1);
    void done(int exitCode);
    // Event lines go out in the order of their times, not of their arrival: an event derived
    // from answers reaches the recorder up to one prober batch after it happened.
    void queueLine(qint64 tMs, const QString &line);
    void flushLines(qint64 upToMs);
    void flushAllLines(); // and from now on, lines go out at once

    RolloutCommandOptions m_options;
    Writer m_out;
    Writer m_err;
    Phase m_phase = Phase::Idle;
    int m_exitCode = -1;

    kube::ApiClient *m_client = nullptr;
    rollout::RolloutSession *m_session = nullptr;
    rollout::RolloutTracker *m_tracker = nullptr; // the session's
    bool m_probing = false;
    QTimer *m_timeout = nullptr;
    QStringList m_secrets;
    QString m_context;
    QString m_ns;
    std::optional<probe::ProbeTarget> m_target;

    qint64 m_generationAtChange = -1; // status lines only for what the change produced
    QString m_lastStatusLine;
    bool m_autosaveClosed = false;
    bool m_reported = false;
    bool m_awaitingRecording = false; // applyChange() or watchInProgress() asked for one
    bool m_changeSent = true;         // false between sending the change and its answer
    qint64 m_t0 = 0;                  // the timeline's t = 0 (the PATCH, or the first observation)
    QMultiMap<qint64, QString> m_pendingLines; // t -> line, not printed yet
    qint64 m_lastReadyLineMs = -1;             // of the last "N of M pods of V ready" line
    QTimer *m_lineTimer = nullptr;
    bool m_linesFlushed = false;
};

class RolloutCommandText
{
    Q_DECLARE_TR_FUNCTIONS(RolloutCommand)
};

} // namespace rollscope::timeline
