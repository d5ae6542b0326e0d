// SPDX-License-Identifier: MIT
// The window in the middle of the demo rollout, at the demo's real speed: both charts side by
// side, both versions on them, traffic attributed to both, in the light and the dark palette;
// then a failed rollout with its way out. Each state is grabbed at 1024x700 and 1600x1000.
// With ROLLSCOPE_SCREENSHOT_DIR set, the grabs are written there (the README's screenshots:
// `ROLLSCOPE_SCREENSHOT_DIR=resources/screenshots xvfb-run -a build/tests/tst_rollout_screens`).
#include "deploymentspane.h"
#include "mainwindow.h"
#include "podschart.h"
#include "probe/trafficprober.h"
#include "probepanel.h"
#include "responseschart.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "testmain.h"

#include <QAction>
#include <QApplication>
#include <QMenuBar>
#include <QPushButton>
#include <QSet>
#include <QSettings>

using namespace rollscope;

namespace {

constexpr int kTimeout = 60'000;

// Distinct colours in a coarse grid of samples: a blank or half-painted grab has a handful.
int colourCount(const QImage &image)
{
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7) {
        for (int x = 0; x < image.width(); x += 7)
            colours.insert(image.pixel(x, y));
    }
    return int(colours.size());
}

double luminance(const QImage &image)
{
    double sum = 0;
    int n = 0;
    for (int y = 0; y < image.height(); y += 11) {
        for (int x = 0; x < image.width(); x += 11) {
            sum += qGray(image.pixel(x, y));
            ++n;
        }
    }
    return n ? sum / n : 0;
}

} // namespace

class TestRolloutScreens : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;

    RolloutView *view() const { return m_window->rolloutView(); }

    QString versionOf(const QString &image) const
    {
        for (const auto &v : view()->tracker()->versions()) {
            if (v.image == image)
                return v.id;
        }
        return {};
    }

    QAction *darkAction() const
    {
        for (QAction *menu : m_window->menuBar()->actions()) {
            for (QAction *action : menu->menu()->actions()) {
                if (action->isCheckable() && action->text().contains(QStringLiteral("Dark")))
                    return action;
            }
        }
        return nullptr;
    }

    // `name`-WxH-light.png and -dark.png at both window sizes; ends at 1600x1000, light.
    void grabEverySize(const QString &name)
    {
        QAction *dark = darkAction();
        QVERIFY(dark);
        for (const QSize size : {QSize(1024, 700), QSize(1600, 1000)}) {
            m_window->resize(size);
            QTRY_COMPARE(m_window->size(), size);
            const QString base =
                QStringLiteral("%1-%2x%3").arg(name).arg(size.width()).arg(size.height());
            const QImage light = grabAndMaybeSave(base + QStringLiteral("-light"));
            QVERIFY(colourCount(light) > 40);
            dark->setChecked(true);
            const QImage darkShot = grabAndMaybeSave(base + QStringLiteral("-dark"));
            QVERIFY(colourCount(darkShot) > 40);
            QVERIFY2(luminance(darkShot) < luminance(light) - 40,
                     qPrintable(QStringLiteral("light %1, dark %2")
                                    .arg(luminance(light))
                                    .arg(luminance(darkShot))));
            dark->setChecked(false);
        }
    }

    QImage grabAndMaybeSave(const QString &name)
    {
        QCoreApplication::processEvents();
        const QImage shot = m_window->grab().toImage();
        const QString dir = qEnvironmentVariable("ROLLSCOPE_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            shot.save(dir + u'/' + name + QStringLiteral(".png"));
        return shot;
    }

private slots:
    void initTestCase()
    {
        QSettings().clear();
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1600, 1000);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        StartOptions options;
        options.demo = true;
        m_window->start(options);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->deploymentsPane()->selectKey(QStringLiteral("default/demo-dp")), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->tracker() && view()->tracker()->isLive(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(view()->tracker()->status().state,
                                  rollout::RolloutState::Complete, kTimeout);
    }

    void midRolloutShowsBothVersionsOnBothCharts()
    {
        view()->setConfirmationsEnabled(false);
        view()->updateImageTo(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
        QTRY_VERIFY_WITH_TIMEOUT(!versionOf(QStringLiteral("bebullish/demo:v2")).isEmpty(),
                                 kTimeout);
        const QString v1 = versionOf(QStringLiteral("bebullish/demo:v1"));
        const QString v2 = versionOf(QStringLiteral("bebullish/demo:v2"));
        QVERIFY(!v1.isEmpty());

        // The change started the prober on the demo Service without being asked.
        QString problem;
        QVERIFY2(view()->probePanel()->options(&problem), qPrintable(problem));
        QTRY_VERIFY2_WITH_TIMEOUT(view()->prober()->state() == probe::TrafficProber::State::Running,
                                  qPrintable(view()->lastError()), kTimeout);
        // Mid-rollout: both versions answer and both have ready pods.
        const ResponsesChart *responses = view()->responsesChart();
        QTRY_VERIFY_WITH_TIMEOUT(
            responses->data().total(v1) > 0 && responses->data().total(v2) >= 20, kTimeout);

        // The charts sit side by side on the same time origin.
        const PodsChart *pods = view()->podsChart();
        QVERIFY(pods->isVisible());
        QVERIFY(responses->isVisible());
        const QPoint podsAt = pods->mapTo(m_window.get(), QPoint(0, 0));
        const QPoint responsesAt = responses->mapTo(m_window.get(), QPoint(0, 0));
        QCOMPARE(podsAt.y(), responsesAt.y());
        QVERIFY(responsesAt.x() >= podsAt.x() + pods->width());
        QVERIFY(pods->data().versionIds().contains(v1));
        QVERIFY(pods->data().versionIds().contains(v2));

        grabEverySize(QStringLiteral("rollout"));

        QTRY_COMPARE_WITH_TIMEOUT(view()->tracker()->status().state,
                                  rollout::RolloutState::Complete, kTimeout);
    }

    void failedRolloutShowsItsWayOut()
    {
        view()->setConfirmationsEnabled(false);
        view()->updateImageTo(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v3-missing"));
        QTRY_COMPARE_WITH_TIMEOUT(view()->tracker()->status().state, rollout::RolloutState::Failed,
                                  kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->outcomeActionButton()->isVisible(), kTimeout);
        grabEverySize(QStringLiteral("failed"));
        view()->outcomeActionButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(view()->tracker()->status().state,
                                  rollout::RolloutState::Complete, kTimeout);
    }

    void cleanupTestCase() { m_window.reset(); }
};

ROLLSCOPE_GUI_TEST_MAIN(TestRolloutScreens)
#include "tst_rollout_screens.moc"
