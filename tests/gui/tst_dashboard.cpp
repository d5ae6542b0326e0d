// SPDX-License-Identifier: MIT
// The seed guide's experiment through the window, against the in-process demo cluster:
// select demo-dp, press I, roll out bebullish/demo:v2, watch it complete, roll back.
#include "clusterbar.h"
#include "deploymentspane.h"
#include "dialogwatch.h"
#include "mainwindow.h"
#include "podschart.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "testmain.h"
#include "updateimagedialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>

using namespace rollscope;
using rollscope::test::whenDialogOpens;

namespace {

constexpr int kTimeout = 60'000;

double lastY(QLineSeries *series)
{
    return series && series->count() > 0 ? series->at(series->count() - 1).y() : -1;
}

} // namespace

class TestDashboard : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;

    RolloutView *view() const { return m_window->rolloutView(); }
    rollout::RolloutTracker *tracker() const { return view()->tracker(); }

    QString versionIdOfImage(const QString &image) const
    {
        for (const auto &v : tracker()->versions()) {
            if (v.image == image)
                return v.id;
        }
        return {};
    }

    // "I" is a window shortcut: it needs the window active again after an earlier dialog.
    void pressUpdateImageKey()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window->deploymentsPane()->view(), Qt::Key_I);
    }

private slots:
    void initTestCase()
    {
        QSettings().clear();
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        StartOptions options;
        options.demo = true;
        options.demoSpeed = 4; // start delays and grace periods pass four times faster
        m_window->start(options);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        QVERIFY(m_window->windowTitle().contains(QStringLiteral("Rollscope")));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->deploymentsPane()->selectKey(QStringLiteral("default/demo-dp")), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker() && tracker()->isLive(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        QVERIFY(m_window->clusterBar()->currentContext().isDemo);
    }

    void invalidImageIsRefusedBeforeAnyRequest()
    {
        // Nothing else is being asked: the access reviews of the Deployment are answered.
        QTRY_VERIFY_WITH_TIMEOUT(view()->access() && !view()->isCheckingAccess(), kTimeout);
        const qint64 sent = m_window->session()->client()->requestsSent();
        bool checked = false;
        whenDialogOpens<UpdateImageDialog>([&checked](UpdateImageDialog *dialog) {
            dialog->imageBox()->setEditText(QStringLiteral("Bebullish/Demo:V2"));
            checked = !dialog->updateButton()->isEnabled() && !dialog->problem().isEmpty();
            dialog->reject();
        });
        pressUpdateImageKey();
        QTRY_VERIFY(checked);
        QCOMPARE(m_window->session()->client()->requestsSent(), sent);
    }

    void updateImageRollsOutAndCompletes()
    {
        whenDialogOpens<UpdateImageDialog>([](UpdateImageDialog *dialog) {
            dialog->imageBox()->setEditText(QStringLiteral("bebullish/demo:v2"));
            QVERIFY(dialog->updateButton()->isEnabled());
            // The predicted steps of the 25%/25% strategy: never more than 4 pods.
            QVERIFY(dialog->stepsTable()->rowCount() >= 3);
            dialog->updateButton()->click();
        });
        pressUpdateImageKey();
        QTRY_VERIFY_WITH_TIMEOUT(!versionIdOfImage(QStringLiteral("bebullish/demo:v2")).isEmpty(),
                                 kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        QVERIFY(view()->outcomeBanner()->isVisible());
        QVERIFY(view()->outcomeBanner()->text().contains(QStringLiteral("complete")));
        QCOMPARE(view()->statusBadge()->text(),
                 rollout::RolloutTracker::stateText(rollout::RolloutState::Complete));

        const QString v2 = versionIdOfImage(QStringLiteral("bebullish/demo:v2"));
        const QString v1 = versionIdOfImage(QStringLiteral("bebullish/demo:v1"));
        PodsChart *chart = view()->podsChart();
        // The chart's series end with 3 ready v2 pods and 0 v1 pods.
        QTRY_COMPARE_WITH_TIMEOUT(lastY(chart->series(v2 + QStringLiteral("/ready"))), 3.0,
                                  kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(lastY(chart->series(v1 + QStringLiteral("/total"))), 0.0,
                                  kTimeout);
        QCOMPARE(chart->data().maxPodsObserved() <= 4, true);
        QCOMPARE(chart->data().minAvailableObserved() >= 3, true);
    }

    void rollBackReturnsToV1()
    {
        whenDialogOpens<QDialog>([](QDialog *dialog) {
            auto *table = dialog->findChild<QTableView *>();
            QVERIFY(table);
            // Newest first: row 0 is the current revision (v2), row 1 revision 1 (v1).
            table->setCurrentIndex(table->model()->index(1, 0));
            auto *buttons = dialog->findChild<QDialogButtonBox *>();
            for (QAbstractButton *b : buttons->buttons()) {
                if (buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
                    b->click();
            }
        });
        view()->rollbackAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->deployment()->containers.value(0).image,
                                  QStringLiteral("bebullish/demo:v1"), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        const QString v1 = versionIdOfImage(QStringLiteral("bebullish/demo:v1"));
        QTRY_COMPARE_WITH_TIMEOUT(lastY(view()->podsChart()->series(v1 + QStringLiteral("/ready"))),
                                  3.0, kTimeout);
    }

    void viewerIsDeniedInPlainWords()
    {
        kube::Kubeconfig::LoadOptions load;
        load.explicitPath = m_window->demoKubeconfigPath();
        const auto config = kube::Kubeconfig::load(load);
        QVERIFY(config);
        const auto viewer = config->resolve(QStringLiteral("rollscope-sim-viewer"));
        QVERIFY(viewer);
        m_window->session()->open(viewer.value(), QStringLiteral("viewer"));
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->deploymentsPane()->selectKey(QStringLiteral("default/demo-dp")), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker() && tracker()->isLive(), kTimeout);
        view()->setConfirmationsEnabled(false);
        view()->updateImageTo(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v3"));
        QTRY_VERIFY_WITH_TIMEOUT(!view()->lastError().isEmpty(), kTimeout);
        QVERIFY2(view()->lastError().contains(QStringLiteral("viewer")),
                 qPrintable(view()->lastError()));
        QVERIFY2(view()->lastError().contains(QStringLiteral("patch")),
                 qPrintable(view()->lastError()));
    }

    void cleanupTestCase() { m_window.reset(); }
};

ROLLSCOPE_GUI_TEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
