// SPDX-License-Identifier: MIT
// The rollout view steered from the keyboard and out of trouble, against the in-process demo
// cluster: every action has a key, Tab leaves the tables, a failed rollout offers the way back
// (and it works), a stalled one warns before its deadline, a scale says what it did, traffic
// stops after the outcome, an export says where it went, and a kubeconfig changed on disk is
// read again without dropping the connection.
#include "clusterbar.h"
#include "deploymentspane.h"
#include "dialogwatch.h"
#include "itemmodels/revisionhistorymodel.h"
#include "mainwindow.h"
#include "podlogviewer.h"
#include "podschart.h"
#include "probe/trafficprober.h"
#include "probepanel.h"
#include "responseschart.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "testmain.h"
#include "timelineviewer.h"
#include "updateimagedialog.h"
#include "yamlviewer.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QValueAxis>

using namespace rollscope;
using rollscope::test::whenDialogOpens;

namespace {

constexpr int kTimeout = 60'000;
const QString kDemo = QStringLiteral("default/demo-dp");

} // namespace

class TestRolloutActions : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;

    RolloutView *view() const { return m_window->rolloutView(); }
    rollout::RolloutTracker *tracker() const { return view()->tracker(); }

    void press(Qt::Key key, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        // The keys are window shortcuts: they work from any pane but a text field.
        QTest::keyClick(view()->podTable(), key, modifiers);
    }

    void waitComplete()
    {
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
    }

    QString image() const { return tracker()->deployment()->containers.value(0).image; }

private slots:
    void initTestCase()
    {
        QSettings().clear();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1024, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        StartOptions options;
        options.demo = true;
        options.demoSpeed = 4;
        m_window->start(options);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        // At start the focus is where the single keys work, not in the filter.
        QTRY_VERIFY(m_window->deploymentsPane()->view()->hasFocus());
        QTRY_VERIFY_WITH_TIMEOUT(m_window->deploymentsPane()->selectKey(kDemo), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker() && tracker()->isLive(), kTimeout);
        waitComplete();
    }

    void everyActionHasAKey()
    {
        // Each action's key opens its dialog (answered with Cancel) or does its job.
        const QList<std::pair<Qt::Key, QAction *>> keyed = {
            {Qt::Key_I, view()->updateImageAction()}, {Qt::Key_P, view()->pauseAction()},
            {Qt::Key_R, view()->restartAction()},     {Qt::Key_B, view()->rollbackAction()},
            {Qt::Key_A, view()->abortAction()},       {Qt::Key_S, view()->scaleAction()},
            {Qt::Key_T, view()->trafficAction()}};
        for (const auto &[key, action] : keyed)
            QCOMPARE(action->shortcut(), QKeySequence(key));

        bool updateOpened = false;
        whenDialogOpens<UpdateImageDialog>([&](UpdateImageDialog *dialog) {
            updateOpened = true;
            dialog->reject();
        });
        press(Qt::Key_I);
        QTRY_VERIFY(updateOpened);

        bool scaleOpened = false;
        whenDialogOpens<QInputDialog>([&](QInputDialog *dialog) {
            scaleOpened = true;
            dialog->reject();
        });
        press(Qt::Key_S);
        QTRY_VERIFY(scaleOpened);

        bool restartAsked = false;
        whenDialogOpens<QMessageBox>([&](QMessageBox *box) {
            restartAsked = box->text().contains(QStringLiteral("replaced"));
            box->reject();
        });
        press(Qt::Key_R);
        QTRY_VERIFY(restartAsked);

        press(Qt::Key_P);
        QTRY_VERIFY_WITH_TIMEOUT(tracker()->deployment()->paused, kTimeout);
        QCOMPARE(view()->pauseAction()->text(), QStringLiteral("Res&ume"));
        press(Qt::Key_P);
        QTRY_VERIFY_WITH_TIMEOUT(!tracker()->deployment()->paused, kTimeout);

        press(Qt::Key_T);
        QTRY_VERIFY_WITH_TIMEOUT(view()->prober()->state() != probe::TrafficProber::State::Stopped,
                                 kTimeout);
        QCOMPARE(view()->trafficAction()->text(), QStringLiteral("Stop &Traffic"));
        press(Qt::Key_T);
        QTRY_COMPARE_WITH_TIMEOUT(view()->prober()->state(), probe::TrafficProber::State::Stopped,
                                  kTimeout);

        // Y shows the Deployment as YAML, L the logs of a pod, each in a window of its own.
        press(Qt::Key_Y);
        auto *yaml = view()->findChild<YamlViewer *>();
        QVERIFY(yaml);
        QTRY_VERIFY_WITH_TIMEOUT(yaml->yamlText().contains(QStringLiteral("kind: Deployment")),
                                 kTimeout);
        yaml->close();
        press(Qt::Key_L);
        auto *logs = view()->findChild<PodLogViewer *>();
        QVERIFY(logs);
        QTRY_VERIFY_WITH_TIMEOUT(logs->lineCount() > 0, kTimeout);
        logs->close();

        auto *tabs = view()->findChild<QTabWidget *>();
        QVERIFY(tabs);
        press(Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 2);
        press(Qt::Key_1, Qt::ControlModifier);
        QCOMPARE(tabs->currentIndex(), 0);
    }

    void tabLeavesTheTables()
    {
        QTableView *pods = view()->podTable();
        pods->setFocus();
        QTRY_VERIFY(pods->hasFocus());
        QTest::keyClick(pods, Qt::Key_Tab);
        QVERIFY(!pods->hasFocus());
    }

    void failedRolloutOffersTheWayBack()
    {
        view()->setConfirmationsEnabled(false);
        view()->updateImageTo(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2-missing"));
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Failed,
                                  kTimeout);
        // Abort is offered exactly now, and the banner's button names the way back.
        QTRY_VERIFY_WITH_TIMEOUT(view()->abortAction()->isEnabled(), kTimeout);
        QPushButton *back = view()->outcomeActionButton();
        QTRY_VERIFY_WITH_TIMEOUT(back->isVisible(), kTimeout);
        QVERIFY(view()->outcomeBanner()->text().contains(QStringLiteral("failed")));
        QVERIFY2(back->text().contains(QStringLiteral("bebullish/demo:v1")),
                 qPrintable(back->text()));
        QVERIFY(back->isEnabled());

        // The rollback dialog marks the current and the last good revision, and has the last
        // good one chosen already.
        bool marked = false;
        whenDialogOpens<QDialog>([&](QDialog *dialog) {
            auto *table = dialog->findChild<QTableView *>();
            const QModelIndex current = table ? table->currentIndex() : QModelIndex();
            marked = current.isValid() &&
                     current.data(RevisionHistoryModel::LastGoodRole).toBool() &&
                     current.siblingAtColumn(RevisionHistoryModel::State).data().toString() ==
                         QStringLiteral("last good");
            dialog->reject();
        });
        view()->rollbackAction()->trigger();
        QTRY_VERIFY(marked);

        back->click();
        QTRY_COMPARE_WITH_TIMEOUT(image(), QStringLiteral("bebullish/demo:v1"), kTimeout);
        waitComplete();
        QTRY_VERIFY_WITH_TIMEOUT(!back->isVisible(), kTimeout);
        view()->setConfirmationsEnabled(true);
    }

    void stalledRolloutWarnsBeforeTheDeadline()
    {
        view()->setStallWarningAfter(1500);
        view()->setConfirmationsEnabled(false);
        view()->updateImageTo(QStringLiteral("demo"),
                              QStringLiteral("bebullish/demo:v2-neverready"));
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->outcomeBanner()->text().contains(QStringLiteral("No progress")), kTimeout);
        QVERIFY(
            view()->outcomeBanner()->text().contains(QStringLiteral("progressDeadlineSeconds")));
        QVERIFY(view()->outcomeActionButton()->isVisible());
        QCOMPARE(tracker()->status().state, rollout::RolloutState::Progressing);
        view()->abortAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(image(), QStringLiteral("bebullish/demo:v1"), kTimeout);
        waitComplete();
        view()->setStallWarningAfter(60'000);
        view()->setConfirmationsEnabled(true);
    }

    void scaleSaysWhatItDid()
    {
        view()->setTrafficStopAfter(0);
        view()->scaleTo(4);
        QTRY_VERIFY_WITH_TIMEOUT(
            view()->outcomeBanner()->text().contains(QStringLiteral("Scaling of demo-dp complete")),
            kTimeout);
        QVERIFY2(!view()->outcomeBanner()->text().contains(QStringLiteral("new version")),
                 qPrintable(view()->outcomeBanner()->text()));
        QVERIFY(view()->outcomeBanner()->text().contains(QStringLiteral("4 pods ready")));
        view()->scaleTo(3);
        QTRY_VERIFY_WITH_TIMEOUT(view()->outcomeBanner()->text().contains(QStringLiteral("3 pods")),
                                 kTimeout);
    }

    void trafficStartsAndStopsByItself()
    {
        // The scales before stopped their traffic at once after their outcome.
        QTRY_COMPARE_WITH_TIMEOUT(view()->prober()->state(), probe::TrafficProber::State::Stopped,
                                  kTimeout);
        QSignalSpy notices(view(), &RolloutView::statusMessage);
        QSignalSpy outcomes(view()->rolloutSession(), &rollout::RolloutSession::outcomeReached);
        view()->setTrafficStopAfter(0);
        view()->updateImageTo(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
        QTRY_VERIFY_WITH_TIMEOUT(view()->prober()->state() != probe::TrafficProber::State::Stopped,
                                 kTimeout);
        QVERIFY(!notices.isEmpty());
        QVERIFY(notices.first().first().toString().contains(QStringLiteral("started by itself")));
        waitComplete();
        QTRY_COMPARE_WITH_TIMEOUT(view()->prober()->state(), probe::TrafficProber::State::Stopped,
                                  kTimeout);
        QVERIFY(notices.last().first().toString().contains(QStringLiteral("stopped")));
        view()->setTrafficStopAfter(30);

        // The time axis is fitted to the rollout (change -> outcome), not to a minute or more.
        QCOMPARE(outcomes.size(), 1);
        const double seconds = outcomes.first().at(4).toLongLong() / 1000.0;
        QVERIFY(seconds > 0);
        for (const QValueAxis *axis :
             {view()->podsChart()->xAxis(), view()->responsesChart()->xAxis()}) {
            QVERIFY2(axis->max() >= seconds && axis->max() - axis->min() <= 3 * seconds,
                     qPrintable(QStringLiteral("%1 s rollout, axis %2–%3")
                                    .arg(seconds)
                                    .arg(axis->min())
                                    .arg(axis->max())));
        }
    }

    void exportSaysWhereItWent()
    {
        showExported(view(), QStringLiteral("/tmp/somewhere/report.html"));
        QVERIFY(m_window->statusBar()->currentMessage().contains(
            QStringLiteral("/tmp/somewhere/report.html")));
        auto *open =
            m_window->statusBar()->findChild<QPushButton *>(QStringLiteral("openExportFolder"));
        QVERIFY(open);
        QVERIFY(open->isVisible());
        m_window->statusBar()->clearMessage();
        QVERIFY(!open->isVisible());
    }

    void readOnlyContextDisablesWritesBeforeAnyRequest()
    {
        kube::Kubeconfig::LoadOptions load;
        load.explicitPath = m_window->demoKubeconfigPath();
        const auto config = kube::Kubeconfig::load(load);
        QVERIFY(config);
        const auto viewer = config->resolve(QStringLiteral("rollscope-sim-viewer"));
        QVERIFY(viewer);
        m_window->session()->open(viewer.value(), QStringLiteral("viewer"));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->deploymentsPane()->selectKey(kDemo), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker() && tracker()->isLive(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->access().has_value(), kTimeout);
        for (QAction *action :
             {view()->updateImageAction(), view()->pauseAction(), view()->restartAction(),
              view()->rollbackAction(), view()->abortAction(), view()->scaleAction()}) {
            QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
            QVERIFY2(action->toolTip().contains(QStringLiteral("may not")),
                     qPrintable(action->toolTip()));
        }
        QVERIFY(view()->updateImageAction()->toolTip().contains(QStringLiteral("Deployments")));
        // Reading stays possible: traffic is not a write.
        QVERIFY(view()->trafficAction()->isEnabled());
        // The key does nothing: no dialog opens.
        bool opened = false;
        whenDialogOpens<UpdateImageDialog>([&](UpdateImageDialog *dialog) {
            opened = true;
            dialog->reject();
        });
        press(Qt::Key_I);
        QCoreApplication::processEvents();
        QVERIFY(!opened);
        QVERIFY(QApplication::activeModalWidget() == nullptr);
    }

    void changedKubeconfigIsReadAgain()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("config"));
        QVERIFY(QFile::copy(m_window->demoKubeconfigPath(), path));
        QSignalSpy loaded(m_window.get(), &MainWindow::contextsLoaded);
        m_window->openKubeconfigFile(path);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        QCOMPARE(m_window->watchedKubeconfigFiles(), QStringList{path});

        // Add a context by hand: the list offers it, the connection stays.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QByteArray text = file.readAll();
        file.close();
        const QByteArray marker = "contexts:\n";
        QVERIFY(text.contains(marker));
        text.replace(marker, marker +
                                 "- name: added-by-hand\n  context:\n    cluster: rollscope-sim\n"
                                 "    user: rollscope-sim-viewer\n");
        QSignalSpy reloaded(m_window.get(), &MainWindow::kubeconfigReloaded);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
        file.close();
        QTRY_VERIFY_WITH_TIMEOUT(!reloaded.isEmpty(), kTimeout);
        QVERIFY(m_window->clusterBar()->contextNames().contains(QStringLiteral("added-by-hand")));
        QCOMPARE(m_window->session()->state(), ClusterSession::State::Connected);

        // A broken save loses nothing either.
        reloaded.clear();
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write("contexts: [\n");
        file.close();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->statusBar()->currentMessage().contains(QStringLiteral("cannot be read")),
            kTimeout);
        QVERIFY(m_window->clusterBar()->contextNames().contains(QStringLiteral("added-by-hand")));
        QCOMPARE(m_window->session()->state(), ClusterSession::State::Connected);
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestRolloutActions)
#include "tst_rolloutactions.moc"
