// SPDX-License-Identifier: MIT
#pragma once

#include "kube/accessreview.h"
#include "kube/operations.h"
#include "kube/resources.h"
#include "probe/probetypes.h"
#include "rollout/rolloutsession.h"
#include "rollout/rollouttypes.h"
#include "timeline/timeline.h"

#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QAction;
class QLabel;
class QPushButton;
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;

namespace rollscope {

class ChartTimeAxis;
class ClusterSession;
class PodsChart;
class ProbePanel;
class ResponsesChart;
class ReplicaSetModel;
class PodModel;
class EventModel;
class ConditionModel;

namespace rollout {
class RolloutTracker;
}
namespace probe {
class TrafficProber;
}

// Everything about the selected Deployment's rollout: status and strategy, the pods-by-version
// and responses-per-version charts on one time axis, the traffic prober's controls, the
// ReplicaSets, pods, events and conditions, and the actions (update image, pause/resume,
// restart, roll back, abort, scale). Each rollout seen here is recorded as a timeline.
class RolloutView : public QWidget
{
    Q_OBJECT
public:
    explicit RolloutView(QWidget *parent = nullptr);
    ~RolloutView() override;

    void setSession(ClusterSession *session);
    // Starts following ns/name (replacing what was shown); empty name = nothing.
    void showDeployment(const QString &ns, const QString &name);
    QString deploymentKey() const;

    rollout::RolloutSession *rolloutSession() const { return m_rollout; }
    rollout::RolloutTracker *tracker() const;
    probe::TrafficProber *prober() const;
    PodsChart *podsChart() const { return m_podsChart; }
    ResponsesChart *responsesChart() const { return m_responsesChart; }
    ProbePanel *probePanel() const { return m_probePanel; }
    QLabel *statusBadge() const { return m_badge; }
    QLabel *outcomeBanner() const { return m_outcome; }
    // The banner's next step ("Roll back to revision N…"), shown when a rollout failed or stalls.
    QPushButton *outcomeActionButton() const { return m_outcomeAction; }
    QTableView *podTable() const { return m_podTable; }

    QAction *updateImageAction() const { return m_updateImage; }
    QAction *pauseAction() const { return m_pause; }
    QAction *restartAction() const { return m_restart; }
    QAction *rollbackAction() const { return m_rollback; }
    QAction *abortAction() const { return m_abort; }
    QAction *scaleAction() const { return m_scale; }
    // Start or stop traffic to the Service (T).
    QAction *trafficAction() const { return m_traffic; }
    // The Deployment's YAML (Y); the logs of the pod chosen in the pods table, else the first (L).
    QAction *yamlAction() const { return m_yaml; }
    QAction *logsAction() const { return m_logs; }
    // Back to the fitted time axis after zooming or panning the charts (Ctrl+0).
    QAction *resetZoomAction() const { return m_resetZoom; }
    // Show the Pods, ReplicaSets, Events, Conditions tab (Ctrl+1 … Ctrl+4).
    QList<QAction *> tabActions() const { return m_tabActions; }
    // What the API said the user may do in the watched namespace (nullopt until it answered).
    const std::optional<kube::AccessResults> &access() const { return m_access; }
    // The access reviews are still being asked (requests in flight).
    bool isCheckingAccess() const { return m_permissions && m_permissions->isChecking(); }

    // Traffic starts by itself when a change is made here (Traffic ▸ Start Automatically).
    void setAutoStartTraffic(bool on) { m_autoTraffic = on; }
    // Traffic stops this many seconds after a rollout's outcome; -1 = never.
    void setTrafficStopAfter(int seconds) { m_trafficStopAfterS = seconds; }
    // How long a rollout may go without progress before the banner warns (default 60 s, or a
    // quarter of progressDeadlineSeconds when that is shorter).
    void setStallWarningAfter(int ms) { m_stallWarningMs = ms; }

    // The timeline of the current (or last) rollout shown here, with the summary so far.
    std::optional<timeline::Timeline> currentTimeline() const;

    // Images seen in the cluster, offered in the Update image dialog.
    void setImageSuggestions(const QStringList &images) { m_clusterImages = images; }
    // The same, asked for when the dialog opens (instead of kept up to date at every change of a
    // thousand Deployments); it wins over setImageSuggestions().
    void setImageSuggestionSource(std::function<QStringList()> source)
    {
        m_clusterImageSource = std::move(source);
    }

    // For tests: skip the confirmation dialogs (they would block an offscreen test).
    void setConfirmationsEnabled(bool enabled) { m_confirm = enabled; }
    // For tests: answer the Update image, Roll back and Scale dialogs programmatically.
    void updateImageTo(const QString &container, const QString &image, const QString &cause = {});
    void rollbackTo(qint64 revision);
    void scaleTo(int replicas);
    // Last message shown for a failed action (also shown in a dialog when confirmations are on).
    QString lastError() const { return m_lastError; }

signals:
    void rolloutFinished(const QString &title, const QString &message, bool success);
    void actionFailed(const QString &message);
    void timelineRecorded(const QString &autosavePath);
    // A short notice for the status bar (traffic started or stopped by itself, …).
    void statusMessage(const QString &message, int timeoutMs);
    // The watched Deployment's status, as the badge shows it (the deployments list shows the same).
    void liveStatusChanged(const QString &ns, const QString &name,
                           const rollout::RolloutStatus &status);

private:
    void buildActions();
    void clear();
    void bindTracker();
    void onDeploymentChanged(const kube::DeploymentInfo &deployment);
    void onStatusChanged(const rollout::RolloutStatus &status);
    void onVersionsChanged(const QList<rollout::VersionInfo> &versions);
    void onRecordingStarted(const timeline::ChangeInfo &change);
    void onOutcome(timeline::Outcome outcome, const rollout::RolloutStatus &status,
                   const QString &reason, const QString &message, qint64 durationMs);
    void updateActions();
    void showBanner(int role, const QString &title, const QString &text, bool offerRollback);
    void checkStall();
    void rollbackToLastGood();
    // "image, image" of a revision of the tracked Deployment; "" when unknown.
    QString imagesOfRevision(qint64 revision) const;
    void toggleTraffic();
    void showObjectMenu(QTableView *table, bool isPod, const QPoint &at);
    void openYaml(const QString &apiPath, const QString &title);
    void openLogs(const QString &pod);
    void showCurrentPodLogs();
    void viewDeploymentYaml();
    void startProbe();
    void stopProbe();
    void updateProbeTotals();
    void showError(const QString &title, const QString &message);
    bool confirm(const QString &title, const QString &text, const QString &button);
    static QString failureTitle(rollout::SessionAction action);

    void updateImage();
    void applyImage(const QString &container, const QString &image, const QString &cause);
    void togglePause();
    void restart();
    void rollback();
    void abortRollout();
    void scale();

    QPointer<ClusterSession> m_session;
    QString m_ns;
    QString m_name;
    rollout::RolloutSession *m_rollout = nullptr;
    std::optional<timeline::Timeline> m_lastTimeline;
    QStringList m_clusterImages;
    std::function<QStringList()> m_clusterImageSource;

    QLabel *m_title;
    QLabel *m_badge;
    QProgressBar *m_progress;
    QLabel *m_strategy;
    QWidget *m_outcomeFrame;
    QLabel *m_outcome;
    QPushButton *m_outcomeAction;
    QTableView *m_podTable = nullptr;
    QSplitter *m_charts;
    PodsChart *m_podsChart;
    ResponsesChart *m_responsesChart;
    ProbePanel *m_probePanel;
    QTabWidget *m_tabs;
    ReplicaSetModel *m_replicaSetModel;
    PodModel *m_podModel;
    EventModel *m_eventModel;
    ConditionModel *m_conditionModel;
    QAction *m_updateImage = nullptr;
    QAction *m_pause = nullptr;
    QAction *m_restart = nullptr;
    QAction *m_rollback = nullptr;
    QAction *m_abort = nullptr;
    QAction *m_scale = nullptr;
    QAction *m_traffic = nullptr;
    QAction *m_resetZoom = nullptr;
    ChartTimeAxis *m_timeAxis = nullptr;
    QAction *m_yaml = nullptr;
    QAction *m_logs = nullptr;
    QList<QAction *> m_tabActions;
    // Asked through SelfSubjectAccessReview on every Deployment shown, so that a read-only
    // context has its write actions disabled (with the reason) before anyone gets a 403.
    kube::PermissionCheck *m_permissions = nullptr;
    std::optional<kube::AccessResults> m_access;
    QHash<QAction *, QString> m_defaultTips;
    bool m_confirm = true;
    bool m_autoTraffic = true;
    int m_trafficStopAfterS = 30;
    QTimer m_trafficStopTimer;
    // No progress for a while: m_lastProgressMs is when the counts last changed.
    QTimer m_stallTimer;
    int m_stallWarningMs = 60'000;
    qint64 m_lastProgressMs = 0;
    QList<int> m_progressKey;
    bool m_stallShown = false;
    bool m_outcomeShown = false;
    timeline::ChangeInfo m_change;
    QString m_lastError;
};

} // namespace rollscope
