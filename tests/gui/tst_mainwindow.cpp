// SPDX-License-Identifier: MIT
#include "common/appsettings.h"
#include "emptystatewidget.h"
#include "mainwindow.h"
#include "session/democluster.h"
#include "shortcutsdialog.h"
#include "simulator/cluster.h"
#include "testmain.h"

#include <QApplication>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

using namespace rollscope;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        // Each test starts from no saved settings (test mode keeps them out of the user's home).
        QSettings().clear();
    }

    void opensWithMenusStatusBarAndEmptyState()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QVERIFY(window.windowTitle().contains(QStringLiteral("Rollscope")));

        QStringList menus;
        const QList<QAction *> actions = window.menuBar()->actions();
        for (const QAction *action : actions)
            menus << action->text().remove(u'&');
        QCOMPARE(menus, (QStringList{QStringLiteral("File"), QStringLiteral("Deployment"),
                                     QStringLiteral("Traffic"), QStringLiteral("View"),
                                     QStringLiteral("Help")}));

        QVERIFY(window.statusBar()->isVisible());
        QVERIFY(window.emptyState()->isVisible());
        QVERIFY(window.emptyState()->text().contains(QStringLiteral("--kubeconfig")));
    }

    void shortcutsDialogListsTheWindowsShortcuts()
    {
        MainWindow window;
        ShortcutsDialog dialog(&window);
        // Quit, Full Screen and Keyboard Shortcuts carry shortcuts.
        QVERIFY(dialog.shortcutCount() >= 3);
    }

    void geometryIsRememberedAcrossStarts()
    {
        QVERIFY(QStandardPaths::isTestModeEnabled());
        {
            MainWindow window;
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(777, 555);
            window.close();
        }
        QVERIFY(!AppSettings().mainWindowGeometry().isEmpty());
        MainWindow again;
        QCOMPARE(again.size(), QSize(777, 555));
    }

    // A program that installed no demo cluster (the window's library does not link the
    // simulator; main() provides it) says so instead of starting nothing.
    void demoWithoutADemoClusterSaysSo()
    {
        DemoCluster::setFactory({});
        MainWindow window;
        window.show();
        StartOptions options;
        options.demo = true;
        window.start(options);
        QTRY_COMPARE(window.emptyState()->title(),
                     QStringLiteral("The demo cluster could not start"));
        QVERIFY2(window.emptyState()->text().contains(QStringLiteral("built without")),
                 qPrintable(window.emptyState()->text()));
        sim::SimClusterThread::installAsDemoCluster();
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
