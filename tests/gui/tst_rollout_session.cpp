// SPDX-License-Identifier: MIT
// One recording at a time in the window: every chart series and counter shows only the current
// recording (a new change, another Deployment), and every action made from the window is
// recorded as a requested change, against the in-process demo cluster.
#include "clusterbar.h"
#include "deploymentspane.h"
#include "dialogwatch.h"
#include "mainwindow.h"
#include "podschart.h"
#include "probe/trafficprober.h"
#include "probepanel.h"
#include "responseschart.h"
#include "rollout/rolloutsession.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "testmain.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QInputDialog>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineSeries>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>

using namespace rollscope;
using rollscope::test::whenDialogOpens;

namespace {

constexpr int kTimeout = 60'000;

} // namespace

class TestRolloutSession : public QObject
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

    bool onlyVersionWithPods(const QString &id) const
    {
        for (const rollout::VersionPods &c : tracker()->podCounts()) {
            if (c.versionId != id && (c.total > 0 || c.terminating > 0))
                return false;
        }
        return true;
    }

    void select(const QString &key)
    {
        QTRY_VERIFY_WITH_TIMEOUT(m_window->deploymentsPane()->selectKey(key), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker() && tracker()->isLive() && view()->deploymentKey() == key,
                                 kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
    }

    // Rolls the first container to `image` from the window and waits until the rollout is over
    // and traffic reached the new version.
    void rollTo(const QString &image, bool expectAnswers)
    {
        const QString container = tracker()->deployment()->containers.value(0).name;
        view()->updateImageTo(container, image);
        QTRY_VERIFY_WITH_TIMEOUT(!versionIdOfImage(image).isEmpty(), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker()->newVersionId() == versionIdOfImage(image) &&
                                     tracker()->status().state == rollout::RolloutState::Complete,
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->prober()->state() == probe::TrafficProber::State::Running,
                                 kTimeout);
        const QString newId = versionIdOfImage(image);
        // The old pods are gone (not just terminating), so the next change starts clean.
        QTRY_VERIFY_WITH_TIMEOUT(onlyVersionWithPods(newId), kTimeout);
        if (expectAnswers)
            QTRY_VERIFY_WITH_TIMEOUT(view()->responsesChart()->data().total(newId) > 0, kTimeout);
        else
            QTRY_VERIFY_WITH_TIMEOUT(view()->responsesChart()->data().failed() > 0, kTimeout);
        // Let both charts redraw what they have.
        QTRY_VERIFY(view()->responsesChart()->redrawCount() > 0);
        QTest::qWait(0);
    }

    // Every series drawn with points belongs to one of `allowed` (version ids of this
    // recording), and the counters name no other version.
    void verifyOnlyCurrent(const QStringList &allowed, const QStringList &forbiddenLabels)
    {
        const int podsRedraws = view()->podsChart()->redrawCount();
        const int responsesRedraws = view()->responsesChart()->redrawCount();
        QTRY_VERIFY(view()->podsChart()->redrawCount() > podsRedraws);
        QTRY_VERIFY(view()->responsesChart()->redrawCount() > responsesRedraws);
        const qint64 origin = tracker()->originMs();
        QCOMPARE(view()->podsChart()->data().originMs(), origin);
        QCOMPARE(view()->responsesChart()->data().originMs(), origin);
        for (const QString &id : view()->podsChart()->data().versionIds())
            QVERIFY2(allowed.contains(id), qPrintable(id));
        for (QAbstractSeries *s : view()->podsChart()->chart()->series()) {
            auto *line = qobject_cast<QLineSeries *>(s);
            QVERIFY(line);
            if (line->count() == 0)
                continue;
            bool known = line == view()->podsChart()->series(QStringLiteral("maxTotal")) ||
                         line == view()->podsChart()->series(QStringLiteral("minAvailable"));
            for (const QString &id : allowed) {
                known = known ||
                        line == view()->podsChart()->series(id + QStringLiteral("/ready")) ||
                        line == view()->podsChart()->series(id + QStringLiteral("/total"));
            }
            QVERIFY2(known, qPrintable(line->name()));
            for (const QString &label : forbiddenLabels)
                QVERIFY2(!line->name().contains(label), qPrintable(line->name()));
        }
        for (const QString &id : view()->responsesChart()->data().versions())
            QVERIFY2(allowed.contains(id), qPrintable(id));
        for (QAbstractSeries *s : view()->responsesChart()->chart()->series()) {
            if (auto *band = qobject_cast<QAreaSeries *>(s)) {
                if (band->upperSeries()->count() == 0)
                    continue;
                bool known = false;
                for (const QString &id : allowed)
                    known = known || band == view()->responsesChart()->band(id);
                QVERIFY2(known, qPrintable(band->name()));
                for (const QString &label : forbiddenLabels)
                    QVERIFY2(!band->name().contains(label), qPrintable(band->name()));
            }
        }
        // The counters: what the chart holds, nothing from an earlier recording.
        const auto *totals =
            view()->probePanel()->findChild<QLabel *>(QStringLiteral("probeTotals"));
        QVERIFY(totals);
        for (const QString &label : forbiddenLabels)
            QVERIFY2(!totals->text().contains(label), qPrintable(totals->text()));
        const ResponseChartData &data = view()->responsesChart()->data();
        QVERIFY2(totals->text().contains(QStringLiteral("failed: <b>%1</b>").arg(data.failed())),
                 qPrintable(totals->text()));
    }

    static QList<QJsonObject> recordsOf(const QString &autosave)
    {
        QList<QJsonObject> records;
        QFile file(autosave);
        if (!file.open(QIODevice::ReadOnly))
            return records;
        while (!file.atEnd())
            records << QJsonDocument::fromJson(file.readLine()).object();
        return records;
    }

    // The requested events of an autosave, in order.
    static QList<QJsonObject> requestedEvents(const QString &autosave)
    {
        QList<QJsonObject> events;
        for (const QJsonObject &o : recordsOf(autosave)) {
            if (o.value(QLatin1StringView("record")).toString() == QLatin1StringView("event") &&
                o.contains(QLatin1StringView("request")))
                events << o;
        }
        std::stable_sort(events.begin(), events.end(), [](const auto &a, const auto &b) {
            return a.value(QLatin1StringView("t")).toDouble() <
                   b.value(QLatin1StringView("t")).toDouble();
        });
        return events;
    }

    static QJsonObject endOf(const QString &autosave)
    {
        for (const QJsonObject &o : recordsOf(autosave)) {
            if (o.value(QLatin1StringView("record")).toString() == QLatin1StringView("end"))
                return o;
        }
        return {};
    }

    // What each recording was about and how it ended, for a failure's message.
    static QString describe(const QSignalSpy &recorded)
    {
        QStringList lines;
        for (const QList<QVariant> &signal : recorded) {
            const QString path = signal.at(0).toString();
            const QList<QJsonObject> records = recordsOf(path);
            const QJsonObject change =
                records.isEmpty() ? QJsonObject() : records.first().value(u"change").toObject();
            lines << QStringLiteral("%1: %2 -> %3 (%4), end %5")
                         .arg(QFileInfo(path).fileName(), change.value(u"from").toString(),
                              change.value(u"to").toString(),
                              change.value(u"observed").toBool() ? QStringLiteral("observed")
                                                                 : QStringLiteral("requested"),
                              QString::fromUtf8(
                                  QJsonDocument(endOf(path)).toJson(QJsonDocument::Compact)));
        }
        return lines.join(u"; ");
    }

    // timelineRecorded comes when the recording ends; its autosave is written on a thread of its
    // own and is complete once its end record is on disk. Waits for that before reading it.
    static void waitWritten(const QSignalSpy &recorded)
    {
        for (const QList<QVariant> &signal : recorded) {
            const QString path = signal.at(0).toString();
            QTRY_VERIFY2_WITH_TIMEOUT(!endOf(path).isEmpty(), qPrintable(path), kTimeout);
        }
    }

    static void verifyRequested(const QString &autosave, const QString &from, const QString &to)
    {
        QFile file(autosave);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(autosave));
        const QJsonObject header = QJsonDocument::fromJson(file.readLine()).object();
        QCOMPARE(header.value(QLatin1StringView("record")).toString(), QStringLiteral("header"));
        const QJsonObject change = header.value(QLatin1StringView("change")).toObject();
        QCOMPARE(change.value(QLatin1StringView("observed")).toBool(true), false);
        QCOMPARE(change.value(QLatin1StringView("from")).toString(), from);
        QCOMPARE(change.value(QLatin1StringView("to")).toString(), to);
        QCOMPARE(change.value(QLatin1StringView("requestedBy")).toString(),
                 QStringLiteral("Rollscope"));
        QVERIFY(!change.value(QLatin1StringView("cause")).toString().isEmpty());
        // The traffic was running: the probe is recorded as the terminal records it.
        QVERIFY(!header.value(QLatin1StringView("probe"))
                     .toObject()
                     .value(QLatin1StringView("kind"))
                     .toString()
                     .isEmpty());
    }

private slots:
    void initTestCase()
    {
        QSettings().clear();
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
            .removeRecursively();
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        StartOptions options;
        options.demo = true;
        options.demoSpeed = 4;
        m_window->start(options);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        select(QStringLiteral("default/demo-dp"));
        view()->setConfirmationsEnabled(false);
    }

    void newChangeStartsFromEmptyCharts()
    {
        rollTo(QStringLiteral("bebullish/demo:v2"), true);
        const QString v1 = versionIdOfImage(QStringLiteral("bebullish/demo:v1"));
        QVERIFY(view()->responsesChart()->data().total(v1) > 0 ||
                view()->responsesChart()->data().total(
                    versionIdOfImage(QStringLiteral("bebullish/demo:v2"))) > 0);
        rollTo(QStringLiteral("bebullish/demo:v3"), true);
        // v1 had no pods in the v2 -> v3 rollout: it answered nothing and is drawn nowhere.
        QCOMPARE(view()->responsesChart()->data().total(v1), 0);
        verifyOnlyCurrent({versionIdOfImage(QStringLiteral("bebullish/demo:v2")),
                           versionIdOfImage(QStringLiteral("bebullish/demo:v3"))},
                          {QStringLiteral("demo:v1")});
    }

    // An action of the window that starts a rollout (rollback, restart) is recorded, in the
    // autosave, as requested here: from, to and who, not as an observed change.
    void rollbackAndRestartAreRecordedAsRequested()
    {
        const QString v3 = QStringLiteral("bebullish/demo:v3");
        const QString v2 = QStringLiteral("bebullish/demo:v2");
        QSignalSpy recorded(view(), &RolloutView::timelineRecorded);
        whenDialogOpens<QDialog>([](QDialog *dialog) {
            auto *table = dialog->findChild<QTableView *>();
            QVERIFY(table);
            // Newest first: row 0 is the current revision (v3), row 1 the one before (v2).
            table->setCurrentIndex(table->model()->index(1, 0));
            auto *buttons = dialog->findChild<QDialogButtonBox *>();
            for (QAbstractButton *b : buttons->buttons()) {
                if (buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
                    b->click();
            }
        });
        view()->rollbackAction()->trigger();
        QTRY_VERIFY2_WITH_TIMEOUT(recorded.size() == 1, qPrintable(describe(recorded)), kTimeout);
        waitWritten(recorded);
        verifyRequested(recorded.at(0).at(0).toString(), v3, v2);

        view()->restartAction()->trigger();
        QTRY_VERIFY2_WITH_TIMEOUT(recorded.size() == 2, qPrintable(describe(recorded)), kTimeout);
        waitWritten(recorded);
        verifyRequested(recorded.at(1).at(0).toString(), v2, v2);
        QTRY_VERIFY_WITH_TIMEOUT(onlyVersionWithPods(tracker()->newVersionId()), kTimeout);
    }

    // The window's recording says what the terminal's says: the probe's kind, and the strategy
    // as it changes during the rollout (a scale).
    void recordingHasProbeKindAndFollowsStrategy()
    {
        const QString container = tracker()->deployment()->containers.value(0).name;
        view()->updateImageTo(container, QStringLiteral("bebullish/demo:v1"));
        QTRY_VERIFY_WITH_TIMEOUT(view()->currentTimeline() &&
                                     view()->currentTimeline()->change.to ==
                                         QStringLiteral("bebullish/demo:v1"),
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->currentTimeline()->probe.enabled, kTimeout);
        QCOMPARE(view()->currentTimeline()->probe.kind,
                 rollout::RolloutSession::probeKindId(view()->prober()->options().target.kind));
        QVERIFY(!view()->currentTimeline()->probe.kind.isEmpty());
        const int replicas = view()->currentTimeline()->strategy.replicas;
        whenDialogOpens<QInputDialog>([replicas](QInputDialog *dialog) {
            dialog->setIntValue(replicas + 1);
            dialog->accept();
        });
        view()->scaleAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(view()->currentTimeline()->strategy.replicas, replicas + 1,
                                  kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(onlyVersionWithPods(tracker()->newVersionId()), kTimeout);
    }

    // An image update sent right after a scale is still this window's change: the scale is
    // recorded as a request of its own, and the update as the next one.
    void updateAfterScaleIsRequested()
    {
        const QString from = tracker()->deployment()->containers.value(0).image;
        const QString to = QStringLiteral("bebullish/demo:v3");
        const int replicas = tracker()->deployment()->replicas;
        // The previous test's recording is over: what is recorded from now on is this test's.
        QTRY_VERIFY_WITH_TIMEOUT(!view()->rolloutSession()->isRecording(), kTimeout);
        QSignalSpy recorded(view(), &RolloutView::timelineRecorded);
        whenDialogOpens<QInputDialog>([replicas](QInputDialog *dialog) {
            dialog->setIntValue(replicas - 1);
            dialog->accept();
        });
        view()->scaleAction()->trigger();
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->deployment()->replicas, replicas - 1, kTimeout);
        view()->updateImageTo(tracker()->deployment()->containers.value(0).name, to);
        // The scale's recording ends (complete, or superseded by the update), then the update's.
        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 2, kTimeout);
        waitWritten(recorded);
        QVERIFY(recorded.first().at(0).toString() != recorded.last().at(0).toString());
        verifyRequested(recorded.last().at(0).toString(), from, to);
        QCOMPARE(requestedEvents(recorded.first().at(0).toString())
                     .value(0)
                     .value(QLatin1StringView("type")),
                 QJsonValue(QStringLiteral("ScaleRequested")));
        QTRY_VERIFY_WITH_TIMEOUT(onlyVersionWithPods(tracker()->newVersionId()), kTimeout);
    }

    // An update sent while the scale's answer is still on its way (both in the same event-loop
    // pass, so the answer cannot have come): the scale's recording is superseded, and still
    // holds its requested event with the API's answer, recorded when that answer comes.
    void updateBeforeTheScaleIsAnsweredKeepsTheScaleRequest()
    {
        const QString from = tracker()->deployment()->containers.value(0).image;
        const QString to = from == QStringLiteral("bebullish/demo:v2")
                               ? QStringLiteral("bebullish/demo:v1")
                               : QStringLiteral("bebullish/demo:v2");
        const int replicas = tracker()->deployment()->replicas;
        QTRY_VERIFY_WITH_TIMEOUT(!view()->rolloutSession()->isRecording(), kTimeout);
        QSignalSpy recorded(view(), &RolloutView::timelineRecorded);
        QSignalSpy accepted(view()->rolloutSession(), &rollout::RolloutSession::requestAccepted);
        view()->scaleTo(replicas + 1);
        view()->updateImageTo(tracker()->deployment()->containers.value(0).name, to);
        QTRY_COMPARE_WITH_TIMEOUT(recorded.size(), 2, kTimeout);
        waitWritten(recorded);
        QCOMPARE(accepted.size(), 2);
        const QString scaleRecording = recorded.first().at(0).toString();
        QCOMPARE(endOf(scaleRecording).value(QLatin1StringView("outcomeReason")).toString(),
                 QStringLiteral("Superseded"));
        const QList<QJsonObject> requests = requestedEvents(scaleRecording);
        QCOMPARE(requests.size(), 1);
        QCOMPARE(requests.first().value(QLatin1StringView("type")).toString(),
                 QStringLiteral("ScaleRequested"));
        QCOMPARE(requests.first()
                     .value(QLatin1StringView("request"))
                     .toObject()
                     .value(QLatin1StringView("accepted"))
                     .toBool(),
                 true);
        verifyRequested(recorded.last().at(0).toString(), from, to);
        QTRY_VERIFY_WITH_TIMEOUT(onlyVersionWithPods(tracker()->newVersionId()), kTimeout);
        QCOMPARE(tracker()->deployment()->replicas, replicas + 1);
    }

    // Every action of the window is a requested event in the autosave, with what, from, to, who
    // and the API's answer: scale, pause, resume (into the recording in progress), abort.
    void everyActionIsARequestedEvent()
    {
        const QString container = tracker()->deployment()->containers.value(0).name;
        const QString before = tracker()->deployment()->containers.value(0).image;
        const int replicas = tracker()->deployment()->replicas;
        QTRY_VERIFY_WITH_TIMEOUT(!view()->rolloutSession()->isRecording(), kTimeout);
        QSignalSpy recorded(view(), &RolloutView::timelineRecorded);
        QSignalSpy started(view()->rolloutSession(), &rollout::RolloutSession::recordingStarted);
        // Its pods take 20 s (5 s at the demo's speed) to be ready: the actions below all
        // happen while it rolls out.
        view()->updateImageTo(container, QStringLiteral("bebullish/demo:v2-slow"));
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, kTimeout);
        // During the rollout: scale, pause, resume, then abort it.
        view()->scaleTo(replicas + 1);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->deployment()->replicas, replicas + 1, kTimeout);
        view()->pauseAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(tracker()->deployment()->paused, kTimeout);
        view()->pauseAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!tracker()->deployment()->paused, kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(view()->abortAction()->isEnabled(), kTimeout);
        QVERIFY2(recorded.isEmpty(), qPrintable(describe(recorded)));
        view()->abortAction()->trigger();
        // The update's recording ends as aborted, the rollback's starts with the request.
        QTRY_VERIFY_WITH_TIMEOUT(recorded.size() >= 1, kTimeout);
        waitWritten(recorded);
        const QString first = recorded.at(0).at(0).toString();
        const QList<QJsonObject> requests = requestedEvents(first);
        QStringList types;
        for (const QJsonObject &e : requests)
            types << e.value(QLatin1StringView("type")).toString();
        QCOMPARE(
            types,
            (QStringList{QStringLiteral("ImageChangeRequested"), QStringLiteral("ScaleRequested"),
                         QStringLiteral("PauseRequested"), QStringLiteral("ResumeRequested")}));
        for (const QJsonObject &e : requests) {
            const QJsonObject r = e.value(QLatin1StringView("request")).toObject();
            QCOMPARE(r.value(QLatin1StringView("requestedBy")).toString(),
                     QStringLiteral("Rollscope"));
            QVERIFY(r.value(QLatin1StringView("accepted")).toBool());
            QVERIFY(!r.value(QLatin1StringView("from")).toString().isEmpty());
            QVERIFY(!r.value(QLatin1StringView("to")).toString().isEmpty());
        }
        const QJsonObject scale = requests.at(1).value(QLatin1StringView("request")).toObject();
        QVERIFY(
            scale.value(QLatin1StringView("from")).toString().contains(QString::number(replicas)));
        QVERIFY(scale.value(QLatin1StringView("to"))
                    .toString()
                    .contains(QString::number(replicas + 1)));
        QCOMPARE(requests.at(2)
                     .value(QLatin1StringView("request"))
                     .toObject()
                     .value(QLatin1StringView("to"))
                     .toString(),
                 QStringLiteral("paused"));
        QCOMPARE(endOf(first).value(QLatin1StringView("outcome")).toString(),
                 QStringLiteral("aborted"));
        // Ended by the abort itself, not merely superseded by the rollback's recording.
        QCOMPARE(endOf(first).value(QLatin1StringView("outcomeReason")).toString(),
                 QStringLiteral("AbortRequested"));

        QTRY_VERIFY_WITH_TIMEOUT(started.size() >= 2, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(recorded.size() >= 2, kTimeout);
        waitWritten(recorded);
        const QList<QJsonObject> abort = requestedEvents(recorded.at(1).at(0).toString());
        QVERIFY(!abort.isEmpty());
        // Recorded as what was asked for: an abort (a rollback to the previous revision).
        QCOMPARE(abort.first().value(QLatin1StringView("type")).toString(),
                 QStringLiteral("AbortRequested"));
        const QJsonObject r = abort.first().value(QLatin1StringView("request")).toObject();
        QVERIFY2(r.value(QLatin1StringView("to")).toString().contains(before),
                 qPrintable(r.value(QLatin1StringView("to")).toString()));
        QCOMPARE(tracker()->deployment()->containers.value(0).image, before);
        QTRY_VERIFY_WITH_TIMEOUT(onlyVersionWithPods(tracker()->newVersionId()), kTimeout);
        view()->scaleTo(replicas);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->deployment()->replicas, replicas, kTimeout);
    }

    void anotherDeploymentStartsFromEmptyCharts()
    {
        QComboBox *namespaces = m_window->clusterBar()->namespaceBox();
        QTRY_VERIFY_WITH_TIMEOUT(namespaces->findText(QStringLiteral("shop")) >= 0, kTimeout);
        namespaces->setCurrentIndex(namespaces->findText(QStringLiteral("shop")));
        select(QStringLiteral("shop/cart"));
        view()->setConfirmationsEnabled(false);
        rollTo(QStringLiteral("redis:7.4.2"), false);
        verifyOnlyCurrent({versionIdOfImage(QStringLiteral("redis:7.4.1")),
                           versionIdOfImage(QStringLiteral("redis:7.4.2"))},
                          {QStringLiteral("demo:")});
    }

    void cleanupTestCase() { m_window.reset(); }
};

ROLLSCOPE_GUI_TEST_MAIN(TestRolloutSession)
#include "tst_rollout_session.moc"
