// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "common/appsettings.h"
#include "common/translations.h"
#include "common/version.h"
#include "deploymentspane.h"
#include "emptystatewidget.h"
#include "execapprovalprompter.h"
#include "itemmodels/deploymentlistmodel.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "session/democluster.h"
#include "shortcutsdialog.h"
#include "theme.h"
#include "timeline/loader.h"
#include "timeline/recenttimelines.h"
#include "timeline/recorder.h"
#include "timelineviewer.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileSystemWatcher>
#include <QFutureWatcher>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace rollscope {

namespace {
constexpr char kDemoContext[] = "rollscope-sim";
const auto kMainSplitter = QStringLiteral("main");
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_session(new ClusterSession(this))
    , m_approvals(new ExecApprovalPrompter(this))
    , m_clusterBar(new ClusterBar(this))
    , m_pages(new QStackedWidget(this))
    , m_emptyState(new EmptyStateWidget(this))
    , m_clusterPage(new QWidget(this))
    , m_demoBanner(new QLabel(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
    , m_deployments(new DeploymentsPane(this))
    , m_detailsPlaceholder(new QLabel(this))
    , m_details(new QStackedWidget(this))
    , m_rolloutView(new RolloutView(this))
    , m_connectionLabel(new QLabel(this))
    , m_kubeconfigWatcher(new QFileSystemWatcher(this))
{
    setWindowTitle(tr("Rollscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/rollscope.svg")));
    setObjectName(QStringLiteral("MainWindow"));
    m_session->setExecApprovalHandler(m_approvals->handler());

    auto *bar = addToolBar(tr("Cluster"));
    bar->setObjectName(QStringLiteral("clusterToolBar"));
    bar->setMovable(false);
    bar->addWidget(m_clusterBar);
    m_clusterBar->setEnabled(false);

    m_emptyState->setTitle(tr("Not connected to a cluster"));
    m_emptyState->setText(
        tr("<p>Rollscope reads the same kubeconfig as <code>kubectl</code>: the file given with "
           "<code>--kubeconfig</code>, else the files in <code>$KUBECONFIG</code>, else "
           "<code>~/.kube/config</code>.</p>"
           "<p>To connect to a cluster, choose <b>File ▸ Open Kubeconfig…</b> or start "
           "Rollscope with<br><code>rollscope --kubeconfig FILE --context NAME</code></p>"
           "<p>To try it without a cluster, choose <b>Demo cluster</b> above or start "
           "<code>rollscope --demo</code>.</p>"));

    m_demoBanner->setObjectName(QStringLiteral("demoBanner"));
    m_demoBanner->setWordWrap(true);
    m_demoBanner->setTextFormat(Qt::RichText);
    m_demoBanner->setMargin(8);
    m_demoBanner->setAutoFillBackground(true);
    m_demoBanner->setText(
        tr("<b>Demo cluster.</b> No kubeconfig was found, so Rollscope started its built-in "
           "cluster simulator. To connect to a real cluster, choose <b>File ▸ Open "
           "Kubeconfig…</b>, start <code>rollscope --kubeconfig FILE --context NAME</code> or put "
           "your kubeconfig at <code>~/.kube/config</code>."));
    m_demoBanner->hide();

    m_detailsPlaceholder->setAlignment(Qt::AlignCenter);
    m_detailsPlaceholder->setWordWrap(true);
    m_detailsPlaceholder->setText(tr("Select a Deployment to see its rollout."));
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_splitter->addWidget(m_deployments);
    m_details->addWidget(m_detailsPlaceholder);
    m_details->addWidget(m_rolloutView);
    m_rolloutView->setSession(m_session);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setSizes({340, 1000}); // until the user's own layout is restored
    m_splitter->setChildrenCollapsible(false);

    auto *clusterLayout = new QVBoxLayout(m_clusterPage);
    clusterLayout->setContentsMargins(6, 6, 6, 0);
    clusterLayout->addWidget(m_demoBanner);
    clusterLayout->addWidget(m_splitter, 1);

    m_pages->addWidget(m_emptyState);
    m_pages->addWidget(m_clusterPage);
    setCentralWidget(m_pages);

    m_connectionLabel->setText(tr("Not connected"));
    statusBar()->addPermanentWidget(m_connectionLabel);

    connect(m_clusterBar, &ClusterBar::contextChosen, this, &MainWindow::connectTo);
    connect(m_clusterBar, &ClusterBar::namespaceChosen, m_session, &ClusterSession::setNamespace);
    connect(m_session, &ClusterSession::stateChanged, this,
            [this](ClusterSession::State state, const QString &message) {
                m_clusterBar->setConnectionState(state, message);
                m_connectionLabel->setText(message);
                updateCentralPage();
            });
    connect(m_session, &ClusterSession::opened, this, &MainWindow::onSessionOpened);
    connect(m_session, &ClusterSession::deploymentsReplaced, this,
            [this] { m_deployments->setInformer(m_session->deployments()); });
    connect(m_session, &ClusterSession::closed, this, [this] { onDeploymentSelected({}); });
    connect(m_deployments, &DeploymentsPane::currentDeploymentChanged, this,
            &MainWindow::onDeploymentSelected);
    connect(m_deployments, &DeploymentsPane::activated, this, [this](const QString &key) {
        onDeploymentSelected(key);
        m_rolloutView->updateImageAction()->trigger();
    });
    connect(m_rolloutView, &RolloutView::rolloutFinished, this, &MainWindow::onRolloutFinished);
    m_deployments->view()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_deployments->view(), &QWidget::customContextMenuRequested, this,
            &MainWindow::showDeploymentMenu);
    connect(m_rolloutView, &RolloutView::statusMessage, statusBar(), &QStatusBar::showMessage);
    // The list shows the watched Deployment's status as the view has it (pods included).
    connect(m_rolloutView, &RolloutView::liveStatusChanged, m_deployments->model(),
            &DeploymentListModel::setLiveStatus);
    // Editors save by writing a new file and renaming it: wait for the dust to settle, then read
    // every file again (and watch the new inode).
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(300);
    connect(&m_reloadTimer, &QTimer::timeout, this, &MainWindow::reloadKubeconfig);
    connect(m_kubeconfigWatcher, &QFileSystemWatcher::fileChanged, this,
            [this] { m_reloadTimer.start(); });
    connect(m_rolloutView, &RolloutView::timelineRecorded, this,
            [this](const QString &path) { refreshRecentTimelines(path); });
    // Read from the list when the Update image dialog opens: the list changes far more often.
    m_rolloutView->setImageSuggestionSource([this] { return imageSuggestions(); });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("Rollscope"));
        m_tray->show();
    }

    createMenus();
    restoreLayout();
}

MainWindow::~MainWindow()
{
    // Close the connection before the demo cluster it may talk to goes away.
    m_session->close();
}

QString MainWindow::demoKubeconfigPath() const
{
    return m_demoDir ? m_demoDir->filePath(QStringLiteral("kubeconfig")) : QString();
}

bool MainWindow::isShowingCluster() const
{
    return m_pages->currentWidget() == m_clusterPage;
}

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *openConfig =
        fileMenu->addAction(tr("Open &Kubeconfig…"), this, &MainWindow::openKubeconfig);
    openConfig->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    openConfig->setToolTip(tr("Read another kubeconfig file and connect to its current context"));
    fileMenu->addSeparator();
    QAction *open = fileMenu->addAction(tr("&Open Timeline…"), this, &MainWindow::openTimeline);
    open->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_O));
    m_recentMenu = fileMenu->addMenu(tr("&Recent Timelines"));
    m_exportAction =
        fileMenu->addAction(tr("&Export Timeline…"), this, &MainWindow::exportTimeline);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    fileMenu->addSeparator();
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    // Explicit keys: the platform's standard keys are empty on some platforms (offscreen).
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu *deploymentMenu = menuBar()->addMenu(tr("&Deployment"));
    deploymentMenu->addAction(m_rolloutView->updateImageAction());
    deploymentMenu->addSeparator();
    deploymentMenu->addAction(m_rolloutView->pauseAction());
    deploymentMenu->addAction(m_rolloutView->restartAction());
    deploymentMenu->addAction(m_rolloutView->rollbackAction());
    deploymentMenu->addAction(m_rolloutView->abortAction());
    deploymentMenu->addAction(m_rolloutView->scaleAction());
    deploymentMenu->addSeparator();
    deploymentMenu->addAction(m_rolloutView->yamlAction());
    deploymentMenu->addAction(m_rolloutView->logsAction());

    createTrafficMenu();

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *filter = viewMenu->addAction(tr("&Filter Deployments"));
    filter->setShortcuts({QKeySequence(Qt::Key_Slash), QKeySequence(Qt::CTRL | Qt::Key_F)});
    filter->setShortcutContext(Qt::WindowShortcut);
    connect(filter, &QAction::triggered, m_deployments, &DeploymentsPane::focusFilter);
    viewMenu->addSeparator();
    viewMenu->addActions(m_rolloutView->tabActions());
    viewMenu->addAction(m_rolloutView->resetZoomAction());
    viewMenu->addSeparator();
    QAction *dark = viewMenu->addAction(tr("&Dark Palette"));
    dark->setCheckable(true);
    dark->setChecked(AppSettings().darkPalette());
    connect(dark, &QAction::toggled, this, &MainWindow::setDarkPalette);
    // View > Language: kept in the settings, spoken from the next start (--lang overrides it).
    QMenu *languageMenu = viewMenu->addMenu(tr("&Language"));
    auto *languages = new QActionGroup(languageMenu);
    const QString chosenLanguage = Translations::normalized(AppSettings().language());
    QStringList languageCodes{QString()};
    languageCodes << Translations::languages();
    for (const QString &code : std::as_const(languageCodes)) {
        QAction *choice = languageMenu->addAction(code.isEmpty() ? tr("&System Language")
                                                                 : Translations::nativeName(code));
        choice->setCheckable(true);
        choice->setChecked(code == chosenLanguage);
        languages->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, code] {
            if (AppSettings().language() == code)
                return;
            AppSettings().setLanguage(code);
            QMessageBox::information(this, tr("Language"),
                                     tr("Rollscope speaks the chosen language from its next "
                                        "start."));
        });
    }
    QAction *fullScreen = viewMenu->addAction(tr("F&ull Screen"));
    fullScreen->setCheckable(true);
    fullScreen->setShortcut(QKeySequence(Qt::Key_F11));
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts =
        helpMenu->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Question));
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(tr("&About Rollscope"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::showDeploymentMenu(const QPoint &at)
{
    QTableView *table = m_deployments->view();
    const QModelIndex index = table->indexAt(at);
    if (!index.isValid())
        return;
    const QString key = index.data(DeploymentListModel::KeyRole).toString();
    // Right-click chooses the row, as in a file manager: the actions then act on it (they
    // enable themselves once its rollout view has the Deployment, a moment later).
    m_deployments->selectKey(key);
    QMenu menu(this);
    menu.addAction(m_rolloutView->updateImageAction());
    menu.addAction(m_rolloutView->rollbackAction());
    menu.addAction(m_rolloutView->restartAction());
    menu.addAction(m_rolloutView->scaleAction());
    menu.addAction(m_rolloutView->pauseAction());
    menu.addSeparator();
    menu.addAction(m_rolloutView->yamlAction());
    menu.addAction(m_rolloutView->logsAction());
    menu.addAction(tr("Copy Name"), this,
                   [name = key.section(u'/', 1)] { QGuiApplication::clipboard()->setText(name); });
    menu.exec(table->viewport()->mapToGlobal(at));
}

void MainWindow::createTrafficMenu()
{
    QMenu *menu = menuBar()->addMenu(tr("&Traffic"));
    menu->addAction(m_rolloutView->trafficAction());
    menu->addSeparator();
    const AppSettings settings;
    QAction *autoStart = menu->addAction(tr("Start &Automatically"));
    autoStart->setToolTip(tr("Send traffic to the Service when a change is made in Rollscope"));
    autoStart->setCheckable(true);
    autoStart->setChecked(settings.autoStartTraffic());
    m_rolloutView->setAutoStartTraffic(autoStart->isChecked());
    connect(autoStart, &QAction::toggled, this, [this](bool on) {
        AppSettings().setAutoStartTraffic(on);
        m_rolloutView->setAutoStartTraffic(on);
    });
    QMenu *stopMenu = menu->addMenu(tr("&Stop After the Outcome"));
    auto *group = new QActionGroup(stopMenu);
    const QList<std::pair<int, QString>> choices = {{0, tr("At Once")},
                                                    {10, tr("After 10 Seconds")},
                                                    {30, tr("After 30 Seconds")},
                                                    {120, tr("After 2 Minutes")},
                                                    {-1, tr("Never (Keep Sending)")}};
    const int current = settings.trafficStopAfterSeconds();
    m_rolloutView->setTrafficStopAfter(current);
    for (const auto &[seconds, label] : choices) {
        QAction *choice = stopMenu->addAction(label);
        choice->setCheckable(true);
        choice->setChecked(seconds == current);
        choice->setData(seconds);
        group->addAction(choice);
        connect(choice, &QAction::triggered, this, [this, seconds = seconds] {
            AppSettings().setTrafficStopAfterSeconds(seconds);
            m_rolloutView->setTrafficStopAfter(seconds);
        });
    }
}

void MainWindow::showShortcuts()
{
    ShortcutsDialog dialog(this, this);
    dialog.exec();
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About Rollscope"),
        tr("<h3>Rollscope %1</h3>"
           "<p>A desktop dashboard for Kubernetes rolling updates: pods per version, responses "
           "per version, and a timeline of every rollout.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QLatin1StringView(kVersion), QLatin1StringView(qVersion())));
}

void MainWindow::restoreLayout()
{
    const AppSettings settings;
    if (!restoreGeometry(settings.mainWindowGeometry())) {
        // First start: most of a typical screen, centred.
        const QRect available = screen() ? screen()->availableGeometry() : QRect(0, 0, 1600, 1000);
        const QSize size(qMin(1440, available.width() * 9 / 10),
                         qMin(900, available.height() * 9 / 10));
        resize(size);
        move(available.center() - rect().center());
    }
    restoreState(settings.mainWindowState());
    m_splitter->restoreState(settings.splitterState(kMainSplitter));
    if (settings.darkPalette())
        setDarkPalette(true);
    refreshRecentTimelines();
}

void MainWindow::saveLayout() const
{
    AppSettings settings;
    settings.setMainWindowGeometry(saveGeometry());
    settings.setMainWindowState(saveState());
    settings.setSplitterState(kMainSplitter, m_splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

// --- connecting -------------------------------------------------------------------------------

void MainWindow::start(const StartOptions &options)
{
    m_options = options;
    loadKubeconfig();
    if (!options.timelineFile.isEmpty())
        openTimelineFile(options.timelineFile);
}

void MainWindow::openKubeconfig()
{
    AppSettings settings;
    QString folder = settings.lastFolder(QStringLiteral("kubeconfig"));
    if (folder.isEmpty())
        folder = QDir::home().filePath(QStringLiteral(".kube"));
    const QString path = QFileDialog::getOpenFileName(this, tr("Open kubeconfig"), folder);
    if (path.isEmpty())
        return;
    settings.setLastFolder(QStringLiteral("kubeconfig"), QFileInfo(path).absolutePath());
    openKubeconfigFile(path);
}

void MainWindow::openKubeconfigFile(const QString &path)
{
    m_previousKubeconfig = m_options.kubeconfig;
    m_openingFile = true;
    m_options.kubeconfig = path;
    m_options.context.clear();
    m_options.ns.clear();
    m_options.demo = false;
    m_reloading = false;
    loadKubeconfig();
}

QStringList MainWindow::watchedKubeconfigFiles() const
{
    return m_kubeconfigWatcher->files();
}

void MainWindow::watchKubeconfig()
{
    if (const QStringList old = m_kubeconfigWatcher->files(); !old.isEmpty())
        m_kubeconfigWatcher->removePaths(old);
    if (!m_kubeconfig)
        return;
    QStringList files;
    for (const QString &file : m_kubeconfig->files()) {
        if (QFileInfo(file).isFile()) // not /dev/stdin
            files << file;
    }
    if (!files.isEmpty())
        m_kubeconfigWatcher->addPaths(files);
}

void MainWindow::reloadKubeconfig()
{
    m_reloading = true;
    loadKubeconfig();
}

void MainWindow::loadKubeconfig()
{
    m_connectionLabel->setText(tr("Reading kubeconfig…"));
    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = m_options.kubeconfig;
    auto *watcher = new QFutureWatcher<Result<kube::Kubeconfig>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        onKubeconfigLoaded(watcher->result());
        watcher->deleteLater();
    });
    // Reading files and parsing YAML stays off the GUI thread.
    watcher->setFuture(QtConcurrent::run([load] { return kube::Kubeconfig::load(load); }));
}

void MainWindow::onKubeconfigLoaded(const Result<kube::Kubeconfig> &loaded)
{
    const bool reloading = std::exchange(m_reloading, false);
    const bool openingFile = std::exchange(m_openingFile, false);
    if (openingFile && !loaded && m_session->isOpen()) {
        // A bad file chosen by hand loses nothing: the connection in use stays.
        m_options.kubeconfig = m_previousKubeconfig;
        QMessageBox box(QMessageBox::Warning, tr("Open kubeconfig"),
                        tr("Rollscope cannot use this kubeconfig.") + QStringLiteral("\n\n") +
                            loaded.error().message,
                        QMessageBox::Ok, this);
        box.setObjectName(QStringLiteral("kubeconfigError"));
        box.setTextFormat(Qt::PlainText);
        box.exec();
        return;
    }
    if (reloading && !loaded) {
        // A half-written or broken file: keep what is connected, say what is wrong.
        statusBar()->showMessage(tr("The changed kubeconfig cannot be read: %1")
                                     .arg(loaded.error().message.section(u'\n', 0, 0)),
                                 15'000);
        m_connectionLabel->setText(m_session->isOpen() ? m_connectionLabel->text()
                                                       : tr("The kubeconfig cannot be read"));
        return;
    }
    QList<ContextEntry> entries;
    QString loadError;
    if (loaded) {
        m_kubeconfig = loaded.value();
        m_noKubeconfig = m_kubeconfig->isEmpty();
        for (const kube::ContextInfo &context : m_kubeconfig->contexts()) {
            ContextEntry entry;
            entry.name = context.name;
            entry.label = context.name;
            const auto cluster = m_kubeconfig->cluster(context.cluster);
            if (cluster) {
                entry.insecure =
                    cluster->insecureSkipTlsVerify || cluster->server.scheme() == u"http";
                entry.detail = tr("Server %1, user %2, from %3")
                                   .arg(cluster->server.toString(), context.user,
                                        QDir::toNativeSeparators(context.definedIn));
            }
            entries << entry;
        }
    } else {
        m_noKubeconfig = true;
        loadError = loaded.error().message;
    }
    ContextEntry demo;
    demo.isDemo = true;
    demo.label = tr("Demo cluster (built-in)");
    demo.detail = tr("rollscope-sim, a Kubernetes API simulator running inside Rollscope");
    entries << demo;
    m_clusterBar->setContexts(entries);
    m_clusterBar->setEnabled(true);
    watchKubeconfig();
    emit contextsLoaded();

    if (reloading) {
        // The connection in use stays as long as its context still exists.
        bool stillThere = m_currentEntry.isDemo;
        for (const ContextEntry &e : std::as_const(entries))
            stillThere = stillThere || (!e.isDemo && e.name == m_currentEntry.name);
        if (stillThere) {
            m_clusterBar->selectContext(m_currentEntry);
            statusBar()->showMessage(tr("The kubeconfig changed on disk and was read again: "
                                        "contexts %1.")
                                         .arg(m_clusterBar->contextNames().join(u", ")),
                                     10'000);
        } else {
            m_session->close();
            showConnectionProblem(
                tr("Context “%1” is gone").arg(m_currentEntry.name),
                tr("The kubeconfig changed on disk and no longer defines this context."));
        }
        emit kubeconfigReloaded();
        return;
    }

    if (!loadError.isEmpty() && !m_options.demo) {
        showConnectionProblem(tr("The kubeconfig cannot be read"), loadError);
        return;
    }
    ContextEntry initial = demo;
    if (!m_options.demo && m_kubeconfig && !m_kubeconfig->isEmpty()) {
        const QString wanted =
            m_options.context.isEmpty() ? m_kubeconfig->currentContext() : m_options.context;
        initial = ContextEntry{};
        for (const ContextEntry &e : std::as_const(entries)) {
            if (!e.isDemo && e.name == wanted)
                initial = e;
        }
        if (initial.name.isEmpty()) {
            initial.name = wanted;
            initial.label = wanted;
        }
    }
    m_clusterBar->selectContext(initial);
    connectTo(initial);
}

void MainWindow::connectTo(const ContextEntry &entry)
{
    m_currentEntry = entry;
    m_demoBanner->setVisible(entry.isDemo && m_noKubeconfig);
    if (entry.isDemo) {
        startDemo();
        return;
    }
    if (!m_kubeconfig)
        return;
    const auto config = m_kubeconfig->resolve(entry.name, m_options.ns);
    m_options.ns.clear(); // -n applies to the first context only
    if (!config) {
        m_session->close();
        showConnectionProblem(tr("Cannot use context “%1”").arg(entry.name),
                              config.error().message);
        return;
    }
    AppSettings().setLastContext(entry.name);
    m_session->open(config.value(), entry.name);
}

void MainWindow::startDemo()
{
    if (m_demo && m_demo->isRunning() && m_demoDir) {
        openDemoKubeconfig(m_demoDir->filePath(QStringLiteral("kubeconfig")));
        return;
    }
    m_session->close();
    m_connectionLabel->setText(tr("Starting the demo cluster…"));
    m_clusterBar->setConnectionState(ClusterSession::State::Connecting,
                                     tr("Starting the demo cluster…"));
    if (!m_demo) {
        m_demo = DemoCluster::create(this);
        if (!m_demo) {
            showConnectionProblem(tr("The demo cluster could not start"),
                                  tr("This program was built without the demo cluster."));
            return;
        }
        connect(m_demo, &DemoCluster::ready, this,
                [this](const QUrl &, const QString &path) { openDemoKubeconfig(path); });
        connect(m_demo, &DemoCluster::failed, this, [this](const QString &message) {
            showConnectionProblem(tr("The demo cluster could not start"), message);
        });
    }
    m_demoDir = std::make_unique<QTemporaryDir>();
    m_demo->startDemo(m_options.demoSpeed, m_demoDir->filePath(QStringLiteral("kubeconfig")));
}

void MainWindow::openDemoKubeconfig(const QString &path)
{
    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = path;
    const auto demoConfig = kube::Kubeconfig::load(load); // a small file we just wrote
    if (!demoConfig) {
        showConnectionProblem(tr("The demo cluster could not start"), demoConfig.error().message);
        return;
    }
    const auto config = demoConfig->resolve(QLatin1StringView(kDemoContext));
    if (!config) {
        showConnectionProblem(tr("The demo cluster could not start"), config.error().message);
        return;
    }
    m_session->open(config.value(), tr("Demo cluster"));
}

void MainWindow::onSessionOpened()
{
    m_deployments->setInformer(m_session->deployments());
    if (auto *namespaces = m_session->namespaces()) {
        auto refresh = [this] { refreshNamespaces(); };
        namespaces->addHandlers(this, {[refresh](const kube::NamespaceInfo &) { refresh(); },
                                       {},
                                       [refresh](const kube::NamespaceInfo &) { refresh(); }});
        connect(namespaces, &kube::Informer::resynced, this, refresh);
    }
    refreshNamespaces();
    updateCentralPage();
}

void MainWindow::refreshNamespaces()
{
    QStringList names;
    if (auto *namespaces = m_session->namespaces()) {
        for (const kube::NamespaceInfo &ns : namespaces->items())
            names << ns.name;
    }
    m_clusterBar->setNamespaces(names, m_session->currentNamespace());
}

void MainWindow::showConnectionProblem(const QString &title, const QString &message)
{
    m_emptyState->setTitle(title);
    m_emptyState->setText(
        QStringLiteral("<p>%1</p><p>%2</p>")
            .arg(message.toHtmlEscaped().replace(u'\n', QStringLiteral("<br>")),
                 tr("Choose another context above, or the <b>Demo cluster</b>.")));
    m_connectionLabel->setText(title);
    m_clusterBar->setConnectionState(ClusterSession::State::Failed, title);
    m_pages->setCurrentWidget(m_emptyState);
}

void MainWindow::onDeploymentSelected(const QString &key)
{
    const QString ns = key.section(u'/', 0, 0);
    const QString name = key.section(u'/', 1);
    m_rolloutView->showDeployment(ns, name);
    m_details->setCurrentWidget(name.isEmpty() ? static_cast<QWidget *>(m_detailsPlaceholder)
                                               : static_cast<QWidget *>(m_rolloutView));
}

QStringList MainWindow::imageSuggestions() const
{
    QStringList images;
    const DeploymentListModel *model = m_deployments->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto d = model->index(row, 0)
                           .data(DeploymentListModel::DeploymentRole)
                           .value<kube::DeploymentInfo>();
        for (const kube::ContainerImage &c : d.containers)
            images << c.image;
    }
    images.removeDuplicates();
    return images;
}

void MainWindow::onRolloutFinished(const QString &title, const QString &message, bool success)
{
    statusBar()->showMessage(title, 10'000);
    if (isActiveWindow())
        return;
    m_lastNotification = title + u'\n' + message;
    if (m_tray)
        m_tray->showMessage(title, message,
                            success ? QSystemTrayIcon::Information : QSystemTrayIcon::Warning,
                            10'000);
}

void MainWindow::exportTimeline()
{
    const auto timeline = m_rolloutView->currentTimeline();
    if (!timeline) {
        QMessageBox::information(this, tr("Export timeline"),
                                 tr("No rollout has been recorded yet. Update an image (or watch "
                                    "a rollout start) and Rollscope records it."));
        return;
    }
    exportTimelineWithDialog(this, *timeline);
}

void MainWindow::openTimeline()
{
    AppSettings settings;
    QString folder = settings.lastFolder(QStringLiteral("timeline"));
    if (folder.isEmpty())
        folder = timeline::TimelineRecorder::autosaveDirectory();
    const QString path = QFileDialog::getOpenFileName(this, tr("Open timeline"), folder,
                                                      tr("Rollscope timelines (*.json *.jsonl)"));
    if (path.isEmpty())
        return;
    settings.setLastFolder(QStringLiteral("timeline"), QFileInfo(path).absolutePath());
    openTimelineFile(path);
}

void MainWindow::openTimelineFile(const QString &path)
{
    auto *watcher = new QFutureWatcher<Result<timeline::Timeline>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        const auto loaded = watcher->result();
        watcher->deleteLater();
        if (!loaded) {
            // Plain text: the loader's message may quote the file's own (hostile) content.
            QMessageBox box(
                QMessageBox::Warning, tr("Open timeline"),
                tr("Rollscope cannot open the timeline “%1”.").arg(QDir::toNativeSeparators(path)) +
                    QStringLiteral("\n\n") + loaded.error().message,
                QMessageBox::Ok, this);
            box.setObjectName(QStringLiteral("timelineError"));
            box.setTextFormat(Qt::PlainText);
            box.exec();
            return;
        }
        auto *viewer = new TimelineViewer(loaded.value(), this);
        viewer->setWindowFlag(Qt::Window);
        viewer->show();
    });
    // Reading and parsing stays off the GUI thread.
    watcher->setFuture(QtConcurrent::run([path] { return timeline::TimelineLoader::load(path); }));
}

void MainWindow::refreshRecentTimelines(const QString &finishedPath)
{
    // The autosave thread may still be writing the end record when the scan reads the file:
    // the recording that just finished is listed from the recorder's timeline instead.
    std::optional<timeline::RecentTimeline> finished;
    if (!finishedPath.isEmpty()) {
        if (const auto recorded = m_rolloutView->currentTimeline())
            finished = timeline::RecentTimelines::entryFor(finishedPath, *recorded);
    }
    auto *watcher = new QFutureWatcher<QList<timeline::RecentTimeline>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, finished] {
        QList<timeline::RecentTimeline> recent = watcher->result();
        watcher->deleteLater();
        if (finished)
            recent = timeline::RecentTimelines::merged(recent, *finished);
        m_recentMenu->clear();
        for (const timeline::RecentTimeline &r : std::as_const(recent)) {
            const QString path = r.path;
            m_recentMenu->addAction(r.label(), this, [this, path] { openTimelineFile(path); });
        }
        m_recentMenu->setEnabled(!recent.isEmpty());
    });
    watcher->setFuture(QtConcurrent::run([] { return timeline::RecentTimelines::scan(); }));
}

void MainWindow::setDarkPalette(bool dark)
{
    AppSettings().setDarkPalette(dark);
    if (dark) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(Theme::darkPalette());
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
}

void MainWindow::updateCentralPage()
{
    if (!m_session->isOpen() || m_pages->currentWidget() == m_clusterPage)
        return;
    m_pages->setCurrentWidget(m_clusterPage);
    // Start where the single-key shortcuts work (I, P, …): in the deployments table, not in
    // the filter (where typing filters).
    m_deployments->view()->setFocus(Qt::OtherFocusReason);
}

} // namespace rollscope
