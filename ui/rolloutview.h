#pragma once

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
class QProgressBar;
class QSplitter;
class QTabWidget;
class QTableView;

namespace rollscope {

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

    QAction *updateImageAction() const { return m_updateImage; }
    QAction *pauseAction() const { return m_pause; }
    QAction *restartAction() const { return m_restart; }
    QAction *rollbackAction() const { return m_rollback; }
    QAction *abortAction() const { return m_abort; }
    QAction *scaleAction() const { return m_scale; }

    // The timeline of the current (or last) rollout shown here, with the summary so far.
    std::optional<timeline::Timeline> currentTimeline() const;
    // Both charts side by side, for the PNG export.
    QImage renderCharts(const QSize &size = QSize(1600, 560)) const;

    // Images seen in the cluster, offered in the Update image dialog.
    void setImageSuggestions(const QStringList &images) { m_clusterImages = images; }

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
    void syncTimeRange();
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

    QLabel *m_title;
    QLabel *m_badge;
    QProgressBar *m_progress;
    QLabel *m_strategy;
    QLabel *m_outcome;
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
    bool m_confirm = true;
    QString m_lastError;
};

} // namespace rollscope
