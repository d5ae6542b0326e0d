// SPDX-License-Identifier: MIT
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

    void rowsShowTheChange()
    {
        const QList<RecentTimeline> list = RecentTimelines::scan(m_dir.path());
        QCOMPARE(list.size(), 3);
        const RecentTimeline &complete = list.at(2);
        QCOMPARE(complete.changeFrom, QStringLiteral("bebullish/demo:v1"));
        QCOMPARE(complete.change(), QStringLiteral("bebullish/demo:v1 → v2"));
        QVERIFY2(complete.label().startsWith(
                     QStringLiteral("default/demo-dp: bebullish/demo:v1 → v2 — ")),
                 qPrintable(complete.label()));
        QVERIFY(complete.label().endsWith(QStringLiteral(" — complete without failures")));
        RecentTimelinesModel model;
        model.setEntries(list);
        QCOMPARE(model.data(model.index(2, 0), Qt::DisplayRole).toString(), complete.label());
        QCOMPARE(model.data(model.index(2, 0), RecentTimelinesModel::ChangeRole).toString(),
                 complete.change());
    }

    void changeText_data()
    {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("text");
        const auto row = [](const char *name, const char *from, const char *to, const char *text) {
            QTest::newRow(name) << QString::fromUtf8(from) << QString::fromUtf8(to)
                                << QString::fromUtf8(text);
        };
        row("same repository", "bebullish/demo:v1", "bebullish/demo:v2", "bebullish/demo:v1 → v2");
        row("registry port", "localhost:5000/demo:v1", "localhost:5000/demo:v2",
            "localhost:5000/demo:v1 → v2");
        row("digest", "demo@sha256:aa", "demo@sha256:bb", "demo@sha256:aa → sha256:bb");
        row("other repository", "nginx:1.25", "bebullish/demo:v2",
            "nginx:1.25 → bebullish/demo:v2");
        row("no tag", "demo:v1", "demo", "demo:v1 → demo");
        row("old unknown", "", "bebullish/demo:v2", "bebullish/demo:v2");
        row("unchanged", "demo:v1", "demo:v1", "demo:v1");
        row("nothing", "", "", "");
    }
    void changeText()
    {
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, text);
        QCOMPARE(TimelineText::change(from, to), text);
    }

    // The window refreshes the list as soon as a recording finishes, while the autosave thread
    // may still be writing the end record: the list must not call it interrupted then.
    void finishedRecordingIsListedAsFinished()
    {
        const QList<RecentTimeline> onDisk = RecentTimelines::scan(m_dir.path());
        QCOMPARE(onDisk.size(), 3);
        // The same recording as read before its end record reached the disk.
        QTemporaryDir early;
        QVERIFY(early.isValid());
        const QString path = early.filePath(QFileInfo(onDisk.at(2).path).fileName());
        QFile full(onDisk.at(2).path);
        QVERIFY(full.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = full.readAll().trimmed().split('\n');
        QVERIFY(lines.last().startsWith("{\"record\":\"end\""));
        lines.removeLast();
        QFile cut(path);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write(lines.join('\n') + '\n');
        cut.close();
        QList<RecentTimeline> scanned = RecentTimelines::scan(early.path());
        QCOMPARE(scanned.size(), 1);
        QVERIFY(scanned.first().interrupted);

        Scenario s = demoScenario();
        const Timeline recorded = record(s);
        const RecentTimeline finished = RecentTimelines::entryFor(path, recorded);
        QVERIFY(!finished.interrupted);
        QCOMPARE(finished.verdictCode, VerdictCode::Success);
        QCOMPARE(finished.change(), QStringLiteral("bebullish/demo:v1 → v2"));
        scanned = RecentTimelines::merged(scanned, finished);
        QCOMPARE(scanned.size(), 1);
        QCOMPARE(scanned.first(), finished);

        // In a longer list it takes its place by start time; the limit holds.
        QList<RecentTimeline> list = onDisk;
        RecentTimeline newer = finished;
        newer.path = m_dir.filePath(QStringLiteral("newer.jsonl"));
        newer.startedAtMs = kT0 + 90'000;
        list = RecentTimelines::merged(list, newer);
        QCOMPARE(list.size(), 4);
        QCOMPARE(list.at(1).path, newer.path);
        list = RecentTimelines::merged(list, newer, 2);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(1).path, newer.path);
        QVERIFY(RecentTimelines::merged(onDisk, newer, 1).constFirst().startedAtMs >
                newer.startedAtMs);

        // The model updates the row in place, or inserts it in order.
        RecentTimelinesModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEntries(RecentTimelines::scan(early.path()));
        QVERIFY(model.data(model.index(0, 0), RecentTimelinesModel::InterruptedRole).toBool());
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.updateEntry(finished);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.data(model.index(0, 0), RecentTimelinesModel::InterruptedRole).toBool());
        QCOMPARE(model.data(model.index(0, 0), RecentTimelinesModel::VerdictRole).toString(),
                 QStringLiteral("complete without failures"));
        model.updateEntry(newer);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0, 0), RecentTimelinesModel::PathRole).toString(),
                 newer.path);
    }

    // Only the tail is read for the end record, however long the recording.
    void peekReadsTheEndOfALongRecording()
    {
        const QList<RecentTimeline> onDisk = RecentTimelines::scan(m_dir.path());
        QFile full(onDisk.at(2).path);
        QVERIFY(full.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = full.readAll().trimmed().split('\n');
        QTemporaryDir big;
        QVERIFY(big.isValid());
        QFile out(big.filePath(QStringLiteral("long.jsonl")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(lines.first() + '\n');
        // Some 2 MB of samples: far more than is read.
        const QByteArray sample = lines.at(lines.size() - 2) + '\n';
        for (int i = 0; i < 2 * 1024 * 1024 / int(sample.size()); ++i)
            out.write(sample);
        out.write(lines.last() + '\n');
        out.close();
        const std::optional<RecentTimeline> e = RecentTimelines::peek(out.fileName());
        QVERIFY(e.has_value());
        QVERIFY(!e->interrupted);
        QCOMPARE(e->verdictCode, VerdictCode::Success);
        QCOMPARE(e->change(), QStringLiteral("bebullish/demo:v1 → v2"));
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
