// SPDX-License-Identifier: MIT
#pragma once

#include "clusterbar.h"
#include "kube/kubeconfig.h"

#include <QMainWindow>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>

#include <memory>

class QAction;
class QFileSystemWatcher;
class QLabel;
class QMenu;
class QSplitter;
class QStackedWidget;
class QSystemTrayIcon;

namespace rollscope {

class ClusterSession;
class DemoCluster;
class DeploymentsPane;
class EmptyStateWidget;
class ExecApprovalPrompter;
class RolloutView;

// How the window starts: the command line's connection options.
struct StartOptions
{
    QString kubeconfig;     // --kubeconfig (only this file)
    QString context;        // --context (else the kubeconfig's current-context)
    QString ns;             // -n (else the context's namespace)
    bool demo = false;      // --demo: start on the built-in demo cluster
    double demoSpeed = 1.0; // simulated time of the demo cluster runs this much faster
    QString timelineFile;   // `rollscope FILE.json`: open this saved timeline in the viewer
};

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads the kubeconfig (off the GUI thread) and connects as the options say; with no
    // kubeconfig at all, to the demo cluster. Opens options.timelineFile, if any, as
    // openTimelineFile() does.
    void start(const StartOptions &options);
    // Loads a saved timeline (.json or autosaved .jsonl) off the GUI thread and shows it in a
    // read-only TimelineViewer; a file that cannot be loaded gets a message box that names the
    // file and what is wrong with it. File > Open, Recent Timelines and the command line.
    void openTimelineFile(const QString &path);

    EmptyStateWidget *emptyState() const { return m_emptyState; }
    ClusterBar *clusterBar() const { return m_clusterBar; }
    DeploymentsPane *deploymentsPane() const { return m_deployments; }
    ClusterSession *session() const { return m_session; }
    RolloutView *rolloutView() const { return m_rolloutView; }
    bool isShowingCluster() const;
    // The kubeconfig the demo cluster wrote (contexts rollscope-sim, -token and -viewer).
    QString demoKubeconfigPath() const;
    // The notification shown when the window was not focused (for tests; "" when none).
    QString lastNotification() const { return m_lastNotification; }
    // File > Open Kubeconfig: read this file (only it, as --kubeconfig does) and connect to its
    // current context. The file is watched: when it changes, its contexts are read again.
    void openKubeconfigFile(const QString &path);
    // The files of the kubeconfig in use, watched for changes.
    QStringList watchedKubeconfigFiles() const;

signals:
    // The kubeconfig was read (or failed to be); contexts are offered.
    void contextsLoaded();
    // A changed kubeconfig file was read again.
    void kubeconfigReloaded();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showShortcuts();
    void showAbout();
    void restoreLayout();
    void saveLayout() const;

    void loadKubeconfig();
    void onKubeconfigLoaded(const Result<kube::Kubeconfig> &loaded);
    void connectTo(const ContextEntry &entry);
    void startDemo();
    void openDemoKubeconfig(const QString &path);
    void onSessionOpened();
    void refreshNamespaces();
    void showConnectionProblem(const QString &title, const QString &message);
    void updateCentralPage();
    void onDeploymentSelected(const QString &key);
    void onRolloutFinished(const QString &title, const QString &message, bool success);
    void exportTimeline();
    void openTimeline();
    void openKubeconfig();
    void watchKubeconfig();
    void reloadKubeconfig();
    void createTrafficMenu();
    void showDeploymentMenu(const QPoint &at);
    // `finishedPath`: the autosave of a recording that just finished, listed with the state
    // the recorder knows rather than what the disk has so far (see RecentTimelines::merged()).
    void refreshRecentTimelines(const QString &finishedPath = {});
    void setDarkPalette(bool dark);
    // The images of every Deployment listed (the Update image dialog offers them).
    QStringList imageSuggestions() const;

    StartOptions m_options;
    std::optional<kube::Kubeconfig> m_kubeconfig;
    ClusterSession *m_session;
    ExecApprovalPrompter *m_approvals;
    ClusterBar *m_clusterBar;
    QStackedWidget *m_pages;
    EmptyStateWidget *m_emptyState;
    QWidget *m_clusterPage;
    QLabel *m_demoBanner;
    QSplitter *m_splitter;
    DeploymentsPane *m_deployments;
    QLabel *m_detailsPlaceholder;
    QStackedWidget *m_details;
    RolloutView *m_rolloutView;
    QMenu *m_recentMenu = nullptr;
    QAction *m_exportAction = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QString m_lastNotification;
    QLabel *m_connectionLabel;
    DemoCluster *m_demo = nullptr; // the in-process demo cluster, once started
    std::unique_ptr<QTemporaryDir> m_demoDir;
    bool m_noKubeconfig = false;
    bool m_reloading = false;     // the kubeconfig is read again after a change on disk
    QString m_previousKubeconfig; // File > Open Kubeconfig: what to keep if the file is bad
    bool m_openingFile = false;
    ContextEntry m_currentEntry;
    QFileSystemWatcher *m_kubeconfigWatcher;
    QTimer m_reloadTimer;
    bool m_namespacesPending = false;
};

} // namespace rollscope
