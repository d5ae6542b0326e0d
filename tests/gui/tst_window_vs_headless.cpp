// SPDX-License-Identifier: MIT
// The window and the terminal record the same rollout the same way: the seed guide's rollout
// to bebullish/demo:v2 is made once from the window (offscreen, the built-in demo cluster) and
// once with the headless command (in process, against a fresh demo cluster), and the two
// timelines are compared: the change, the probe's kind and target, the strategy, the outcome,
// the verdict, the duration (within 0.5 s) and the events.
//
// Events: the milestones (the request, the new ReplicaSet, the first answer of the new version,
// the outcome) come in the same order, and each kind of pod and ReplicaSet event happens as
// many times (PodGone is not counted: the last old pod may go just before or just after the
// outcome, which comes when no old replica is counted any more; ReplicaSetScaled is counted: the
// tracker records the old ReplicaSet's last scale-down before the outcome, whichever watch
// delivers first). The order of events of *different* pods is not compared: two pods becoming
// ready 20 ms apart may be reported in either order by the watches, and both orders are true.
#include "cli/rolloutcommand.h"
#include "deploymentspane.h"
#include "mainwindow.h"
#include "probe/trafficprober.h"
#include "probepanel.h"
#include "rollout/rolloutsession.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "simulator/cluster.h"
#include "testmain.h"
#include "timeline/loader.h"

#include <QDir>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace rollscope;

namespace {

constexpr int kTimeout = 120'000;
const QString kImage = QStringLiteral("bebullish/demo:v2");

// The types of the events, in order, keeping the first of each type only.
QStringList firstOccurrences(const timeline::Timeline &t, const QStringList &types)
{
    QStringList order;
    for (const timeline::TimelineEvent &e : t.events) {
        if (types.contains(e.type) && !order.contains(e.type))
            order << e.type;
    }
    return order;
}

int countOf(const timeline::Timeline &t, const QString &type)
{
    return int(std::count_if(t.events.cbegin(), t.events.cend(),
                             [&type](const timeline::TimelineEvent &e) { return e.type == type; }));
}

} // namespace

class TestWindowVsHeadless : public QObject
{
    Q_OBJECT

    std::optional<timeline::Timeline> m_window;
    std::optional<timeline::Timeline> m_headless;

private slots:
    void initTestCase()
    {
        QSettings().clear();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
            .removeRecursively();
    }

    void fromTheWindow()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        StartOptions options;
        options.demo = true;
        options.demoSpeed = 4;
        window.start(options);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        const QString key = QStringLiteral("default/demo-dp");
        QTRY_VERIFY_WITH_TIMEOUT(window.deploymentsPane()->selectKey(key), kTimeout);
        RolloutView *view = window.rolloutView();
        QTRY_VERIFY_WITH_TIMEOUT(view->tracker() && view->tracker()->isLive(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(view->tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        view->setConfirmationsEnabled(false);
        // Traffic goes where the terminal sends it: the first target found.
        QTRY_VERIFY_WITH_TIMEOUT(view->probePanel()->options().has_value(), kTimeout);

        QList<timeline::Timeline> recorded;
        connect(view->rolloutSession(), &rollout::RolloutSession::recordingFinished, this,
                [&recorded](const timeline::Timeline &t) { recorded << t; });
        view->updateImageTo(QStringLiteral("demo"), kImage);
        QTRY_VERIFY_WITH_TIMEOUT(!recorded.isEmpty(), kTimeout);
        QCOMPARE(recorded.size(), 1);
        m_window = recorded.first();
    }

    void fromTheTerminal()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        sim::SimClusterThread cluster;
        QSignalSpy ready(&cluster, &sim::SimClusterThread::ready);
        sim::SimOptions simOptions;
        simOptions.speed = 4;
        cluster.start(simOptions, dir.filePath(QStringLiteral("kubeconfig")));
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty(), kTimeout);

        timeline::RolloutCommandOptions options;
        options.kubeconfig = dir.filePath(QStringLiteral("kubeconfig"));
        options.deployment = QStringLiteral("demo-dp");
        options.container = QStringLiteral("demo");
        options.image = kImage;
        options.autosave = false;
        options.timelineFile = dir.filePath(QStringLiteral("timeline.json"));
        QString out;
        QString err;
        timeline::RolloutCommand command(
            options, [&out](const QString &t) { out += t; },
            [&err](const QString &t) { err += t; });
        QSignalSpy finished(&command, &timeline::RolloutCommand::finished);
        command.start();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), kTimeout);
        QVERIFY2(command.exitCode() == 0, qPrintable(out + err));
        Result<timeline::Timeline> loaded =
            timeline::TimelineLoader::load(dir.filePath(QStringLiteral("timeline.json")));
        QVERIFY2(loaded, qPrintable(loaded ? QString() : loaded.error().message));
        m_headless = *loaded;
        cluster.stop();
    }

    void bothRecordTheSame()
    {
        QVERIFY(m_window && m_headless);
        const timeline::Timeline &w = *m_window;
        const timeline::Timeline &h = *m_headless;

        QCOMPARE(w.change.container, h.change.container);
        QCOMPARE(w.change.from, h.change.from);
        QCOMPARE(w.change.to, h.change.to);
        QCOMPARE(w.change.cause, h.change.cause);
        QCOMPARE(w.change.action, h.change.action);
        QCOMPARE(w.change.observed, false);
        QCOMPARE(h.change.observed, false);
        // Who asked differs, and says so.
        QCOMPARE(w.change.requestedBy, QStringLiteral("Rollscope"));
        QCOMPARE(h.change.requestedBy, QStringLiteral("rollscope rollout"));

        QVERIFY(w.probe.enabled);
        QCOMPARE(w.probe.kind, h.probe.kind);
        // "LoadBalancer 127.0.1.199:80 of service demo-service": each cluster has its own
        // addresses; the kind of target and the Service are the same.
        QCOMPARE(w.probe.target.section(QStringLiteral(" of "), 1),
                 h.probe.target.section(QStringLiteral(" of "), 1));
        QCOMPARE(w.probe.target.section(u' ', 0, 0), h.probe.target.section(u' ', 0, 0));
        QCOMPARE(w.probe.ratePerSecond, h.probe.ratePerSecond);
        QCOMPARE(w.strategy, h.strategy);

        QCOMPARE(w.outcome, timeline::Outcome::Complete);
        QCOMPARE(w.outcome, h.outcome);
        QCOMPARE(w.summary.verdictCode, h.summary.verdictCode);
        QCOMPARE(w.summary.verdict, h.summary.verdict);
        QCOMPARE(w.summary.failedRequests, 0);
        QCOMPARE(h.summary.failedRequests, 0);
        // One duration, defined the same way in both: the recording's span, from t = 0 (the
        // request) exactly to the outcome, never the answers drained after it. The two runs'
        // durations are not compared with each other: they are two real rollouts on a real-time
        // cluster, and a loaded machine delays one more than the other.
        for (const timeline::Timeline *t : {&w, &h}) {
            QCOMPARE(t->summary.durationMs, t->durationMs());
            QCOMPARE(t->events.last().type, QStringLiteral("Outcome"));
            QCOMPARE(t->summary.durationMs, t->events.last().tMs);
            QCOMPARE(t->events.first().tMs, 0);
        }

        const QStringList milestones{QStringLiteral("ImageChangeRequested"),
                                     QStringLiteral("ReplicaSetCreated"),
                                     QStringLiteral("Outcome")};
        QCOMPARE(firstOccurrences(w, milestones), milestones);
        QCOMPARE(firstOccurrences(h, milestones), milestones);
        QCOMPARE(w.events.first().type, QStringLiteral("ImageChangeRequested"));
        QCOMPARE(h.events.first().type, QStringLiteral("ImageChangeRequested"));
        QCOMPARE(w.events.last().type, QStringLiteral("Outcome"));
        QCOMPARE(h.events.last().type, QStringLiteral("Outcome"));
        for (const timeline::Timeline *t : {&w, &h}) {
            const timeline::TimelineEvent &request = t->events.first();
            QVERIFY(request.request.has_value());
            QCOMPARE(request.request->from, QStringLiteral("bebullish/demo:v1"));
            QCOMPARE(request.request->to, kImage);
            QVERIFY(request.request->accepted);
            QCOMPARE(request.request->requestedBy, t->change.requestedBy);
        }
        for (const char *type : {"ReplicaSetCreated", "PodCreated", "PodReady", "ReplicaSetScaled",
                                 "FirstAnswer", "Outcome"}) {
            const QString name = QString::fromLatin1(type);
            QVERIFY2(countOf(w, name) == countOf(h, name),
                     qPrintable(QStringLiteral("%1: window %2, terminal %3")
                                    .arg(name)
                                    .arg(countOf(w, name))
                                    .arg(countOf(h, name))));
        }
        QCOMPARE(countOf(w, QStringLiteral("PodCreated")), 3);
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestWindowVsHeadless)
#include "tst_window_vs_headless.moc"
