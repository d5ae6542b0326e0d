// File -> Recent timelines: scanning the autosave folder and the list model.
#include "testmain.h"
#include "timeline/exporters.h"
#include "timeline/recenttimelines.h"
#include "timeline/recorder.h"
#include "timelinescenarios.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>

using namespace rollscope;
using namespace rollscope::timeline;
using namespace rollscope::timeline::test;

class TestRecentTimelines : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Records `s` into the folder under the name the recorder would give it, `shiftMs` later.
    QString recordInto(Scenario s, qint64 shiftMs)
    {
        s.start.startedAtMs += shiftMs;
        const QString path = m_dir.path() + u'/' +
                             QFileInfo(TimelineRecorder::autosavePathFor(s.start.ns, s.start.name,
                                                                         s.start.startedAtMs))
                                 .fileName();
        TimelineRecorder recorder(testOptions(path));
        QSignalSpy closed(&recorder, &TimelineRecorder::autosaveClosed);
        recorder.start(s.start);
        recorder.addProbeResults({answerFrom(s.pods, 0, shiftMs + 10)});
        for (const PodsAt &p : s.pods)
            recorder.addPodCounts(
                {podSample(p, 3, s.start.strategy.maxTotal, s.start.strategy.minAvailable)});
        if (s.outcome != Outcome::Recording) {
            recorder.finish(s.outcome, s.reason, s.message, s.start.startedAtMs + 3000);
            if (!QTest::qWaitFor([&closed] { return closed.size() == 1; }, 5000))
                return {};
        } else {
            recorder.tick(s.start.startedAtMs + 2000);
            recorder.flushAutosave();
            // The writer thread gets it to the disk; wait for the sample lines.
            const bool written = QTest::qWaitFor(
                [&path] {
                    QFile f(path);
                    return f.open(QIODevice::ReadOnly) && f.readAll().contains("\"sample\"");
                },
                5000);
            if (!written)
                return {};
        }
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        Scenario complete = demoScenario();
        Scenario failed = carelessScenario();
        failed.outcome = Outcome::Failed;
        failed.reason = QStringLiteral("ProgressDeadlineExceeded");
        Scenario running = demoScenario();
        running.outcome = Outcome::Recording; // killed while recording
        QVERIFY(!recordInto(complete, 0).isEmpty());
        QVERIFY(!recordInto(failed, 60'000).isEmpty());
        QVERIFY(!recordInto(running, 120'000).isEmpty());
        // Not timelines: skipped.
        QFile junk(m_dir.filePath(QStringLiteral("20990101-000000-x-y.jsonl")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write("not a timeline\n");
        junk.close();
        QFile other(m_dir.filePath(QStringLiteral("notes.txt")));
        QVERIFY(other.open(QIODevice::WriteOnly));
    }

    void scanListsNewestFirst()
    {
        const QList<RecentTimeline> list = RecentTimelines::scan(m_dir.path());
        QCOMPARE(list.size(), 3);
        QCOMPARE(list.at(0).startedAtMs, kT0 + 120'000);
        QVERIFY(list.at(0).interrupted);
        QCOMPARE(list.at(0).verdictCode, VerdictCode::Aborted);
        QVERIFY(list.at(0).verdict.startsWith(QStringLiteral("interrupted")));

        QCOMPARE(list.at(1).startedAtMs, kT0 + 60'000);
        QCOMPARE(list.at(1).outcome, Outcome::Failed);
        QCOMPARE(list.at(1).verdict, QStringLiteral("failed: ProgressDeadlineExceeded"));
        QVERIFY(!list.at(1).interrupted);

        QCOMPARE(list.at(2).startedAtMs, kT0);
        QCOMPARE(list.at(2).verdictCode, VerdictCode::Success);
        QCOMPARE(list.at(2).verdict, QStringLiteral("complete without failures"));
        QCOMPARE(list.at(2).deployment(), QStringLiteral("default/demo-dp"));
        QCOMPARE(list.at(2).changeTo, QStringLiteral("bebullish/demo:v2"));
        QVERIFY(QFileInfo(list.at(2).path).isAbsolute());
        QVERIFY(list.at(2).path.startsWith(m_dir.path()));
    }

    void scanHonoursTheLimit()
    {
        const QList<RecentTimeline> list = RecentTimelines::scan(m_dir.path(), 2);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).startedAtMs, kT0 + 120'000);
    }

    void peekReadsExports()
    {
        const QString path = m_dir.filePath(QStringLiteral("export.json"));
        QVERIFY(TimelineExport::write(path, TimelineExport::json(record(carelessScenario()))).ok());
        const std::optional<RecentTimeline> e = RecentTimelines::peek(path);
        QVERIFY(e.has_value());
        QCOMPARE(e->verdictCode, VerdictCode::FailedRequests);
        QCOMPARE(e->verdict, QStringLiteral("complete with 35 failed requests"));
        QVERIFY(!RecentTimelines::peek(m_dir.filePath(QStringLiteral("notes.txt"))).has_value());
        QFile::remove(path);
    }

    void scanOfAMissingFolderIsEmpty()
    {
        QVERIFY(RecentTimelines::scan(m_dir.filePath(QStringLiteral("nothing-here"))).isEmpty());
        // The default folder is under AppDataLocation (test mode in tests).
        QVERIFY(TimelineRecorder::autosaveDirectory().startsWith(
            QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    }

    void model()
    {
        RecentTimelinesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        QSignalSpy refreshed(&model, &RecentTimelinesModel::refreshed);
        model.refresh(m_dir.path());
        QTRY_COMPARE(refreshed.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        const QModelIndex last = model.index(2, 0);
        QCOMPARE(model.data(last, RecentTimelinesModel::DeploymentRole).toString(),
                 QStringLiteral("default/demo-dp"));
        QCOMPARE(model.data(last, RecentTimelinesModel::VerdictRole).toString(),
                 QStringLiteral("complete without failures"));
        QCOMPARE(model.data(last, RecentTimelinesModel::VerdictCodeRole).toString(),
                 QStringLiteral("success"));
        QCOMPARE(model.data(last, RecentTimelinesModel::StartedAtRole).toDateTime(),
                 QDateTime::fromMSecsSinceEpoch(kT0, Qt::UTC));
        QVERIFY(model.data(last, RecentTimelinesModel::PathRole)
                    .toString()
                    .endsWith(QStringLiteral(".jsonl")));
        QVERIFY(model.data(last, Qt::DisplayRole).toString().contains(QStringLiteral("demo-dp")));
        QVERIFY(model.data(model.index(0, 0), RecentTimelinesModel::InterruptedRole).toBool());
        QVERIFY(model.roleNames().contains(RecentTimelinesModel::VerdictRole));

        // A newer refresh wins over an older one; the list can also be set directly.
        model.refresh(m_dir.filePath(QStringLiteral("nothing-here")));
        model.refresh(m_dir.path(), 1);
        QTRY_COMPARE(refreshed.size(), 2);
        QCOMPARE(model.rowCount(), 1);
        model.setEntries({});
        QCOMPARE(model.rowCount(), 0);
    }
};

ROLLSCOPE_TEST_MAIN(TestRecentTimelines)
#include "tst_recenttimelines.moc"
