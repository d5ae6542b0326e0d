#include "mainwindow.h"

#include "common/appsettings.h"
#include "common/version.h"
#include "emptystatewidget.h"
#include "shortcutsdialog.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QScreen>
#include <QStackedWidget>
#include <QStatusBar>

namespace rollscope {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_pages(new QStackedWidget(this))
    , m_emptyState(new EmptyStateWidget(this))
    , m_connectionLabel(new QLabel(this))
{
    setWindowTitle(tr("Rollscope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/rollscope.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    m_emptyState->setTitle(tr("Not connected to a cluster"));
    m_emptyState->setText(
        tr("<p>Rollscope reads the same kubeconfig as <code>kubectl</code>: the file given with "
           "<code>--kubeconfig</code>, else the files in <code>$KUBECONFIG</code>, else "
           "<code>~/.kube/config</code>.</p>"
           "<p>To connect to a cluster, start Rollscope with<br>"
           "<code>rollscope --kubeconfig FILE --context NAME</code></p>"));
    m_pages->addWidget(m_emptyState);
    setCentralWidget(m_pages);

    m_connectionLabel->setText(tr("Not connected"));
    statusBar()->addPermanentWidget(m_connectionLabel);

    createMenus();
    restoreLayout();
}

MainWindow::~MainWindow() = default;

void MainWindow::createMenus()
{
    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    QAction *quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    // Explicit keys: the platform's standard keys are empty on some platforms (offscreen).
    quit->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    quit->setMenuRole(QAction::QuitRole);

    QMenu *viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *fullScreen = viewMenu->addAction(tr("&Full Screen"));
    fullScreen->setCheckable(true);
    fullScreen->setShortcut(QKeySequence(Qt::Key_F11));
    connect(fullScreen, &QAction::toggled, this, [this](bool on) {
        setWindowState(on ? windowState() | Qt::WindowFullScreen
                          : windowState() & ~Qt::WindowFullScreen);
    });

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    QAction *shortcuts =
        helpMenu->addAction(tr("&Keyboard Shortcuts"), this, &MainWindow::showShortcuts);
    shortcuts->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    helpMenu->addSeparator();
    QAction *about = helpMenu->addAction(tr("&About Rollscope"), this, &MainWindow::showAbout);
    about->setMenuRole(QAction::AboutRole);
    QAction *aboutQt = helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
    aboutQt->setMenuRole(QAction::AboutQtRole);
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
}

void MainWindow::saveLayout() const
{
    AppSettings settings;
    settings.setMainWindowGeometry(saveGeometry());
    settings.setMainWindowState(saveState());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveLayout();
    event->accept();
}

} // namespace rollscope
