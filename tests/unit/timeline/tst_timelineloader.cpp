// Reopening saved timelines: complete recordings, recordings cut off mid-line by a crash, exports,
// and files that are not timelines.
#include "testmain.h"
#include "timeline/exporters.h"
#include "timeline/loader.h"
#include "timeline/recorder.h"
#include "timelinescenarios.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace rollscope;
using namespace rollscope::timeline;
using namespace rollscope::timeline::test;

class TestTimelineLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QByteArray m_recording; // the demo rollout's complete autosave file
    Timeline m_recorded;

    QString write(const QString &name, const QByteArray &data)
    {
        const QString path = m_dir.filePath(name);
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return {};
        file.write(data);
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString path = m_dir.filePath(QStringLiteral("demo.jsonl"));
        TimelineRecorder recorder(testOptions(path));
        QSignalSpy closed(&recorder, &TimelineRecorder::autosaveClosed);
        replay(recorder, demoScenario());
        QTRY_COMPARE(closed.size(), 1);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        m_recording = file.readAll();
        m_recorded = recorder.timeline();
        QVERIFY(m_recording.endsWith('\n'));
    }

    void recordingIsJsonLines()
    {
        const QList<QByteArray> lines = m_recording.trimmed().split('\n');
        QVERIFY(lines.first().startsWith(
            "{\"record\":\"header\",\"format\":\"rollscope-timeline-log/1\""));
        QVERIFY(lines.last().startsWith("{\"record\":\"end\""));
        int samples = 0;
        for (const QByteArray &line : lines)
            samples += line.startsWith("{\"record\":\"sample\"") ? 1 : 0;
        QCOMPARE(samples, m_recorded.samples.size());
    }

    void completeRecordingLoads()
    {
        const Result<Timeline> t =
            TimelineLoader::load(write(QStringLiteral("full.jsonl"), m_recording));
        QVERIFY2(t.ok(), qPrintable(t ? QString() : t.error().message));
        QVERIFY(!t->interrupted);
        QCOMPARE(*t, m_recorded);
    }

    // The acceptance case: killed while writing a line. Everything before that line is there,
    // the partial line is ignored, the timeline says it was interrupted.
    void recordingCutOffMidLine_data()
    {
        QTest::addColumn<double>("fraction");
        QTest::newRow("early") << 0.15;
        QTest::newRow("half") << 0.5;
        QTest::newRow("late") << 0.9;
        QTest::newRow("in the end record") << 0.999;
    }
    void recordingCutOffMidLine()
    {
        QFETCH(double, fraction);
        qsizetype cut = qsizetype(m_recording.size() * fraction);
        // Inside a line, never right after a newline.
        while (cut > 0 && (m_recording.at(cut - 1) == '\n' || m_recording.at(cut) == '\n'))
            --cut;
        const QByteArray partial = m_recording.left(cut);
        const qsizetype completeLines = partial.count('\n');
        const Result<Timeline> t =
            TimelineLoader::load(write(QStringLiteral("cut.jsonl"), partial));
        QVERIFY2(t.ok(), qPrintable(t ? QString() : t.error().message));
        QVERIFY(t->interrupted);
        QCOMPARE(t->outcome, Outcome::Aborted);
        QCOMPARE(t->summary.verdictCode, VerdictCode::Aborted);
        QVERIFY(t->summary.verdict.startsWith(QStringLiteral("interrupted")));
        // Exactly the complete lines were read: samples and events up to the cut.
        qsizetype samples = 0;
        qsizetype events = 0;
        const QList<QByteArray> lines = partial.left(partial.lastIndexOf('\n')).split('\n');
        for (const QByteArray &line : lines) {
            samples += line.startsWith("{\"record\":\"sample\"") ? 1 : 0;
            events += line.startsWith("{\"record\":\"event\"") ? 1 : 0;
        }
        QCOMPARE(lines.size(), completeLines);
        QCOMPARE(t->samples.size(), samples);
        QCOMPARE(t->events.size(), events);
        QCOMPARE(t->samples, m_recorded.samples.mid(0, samples));
        // What it has adds up.
        qint64 requests = 0;
        for (const TimelineSample &s : std::as_const(t->samples))
            requests += s.answered() + s.failed();
        QCOMPARE(t->summary.requests, requests);
        QCOMPARE(t->ns, QStringLiteral("default"));
        QCOMPARE(t->change.to, QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(t->finishedAtMs, t->startedAtMs + t->durationMs());
        // Answer spans are worked out from what is there.
        if (t->summary.responsesByVersion.value(versionV1().id) > 0)
            QVERIFY(t->answers.contains(versionV1().id));
        // And it exports like any other timeline, saying it was interrupted.
        const QByteArray json = TimelineExport::json(*t);
        QVERIFY(json.contains("\"interrupted\": true"));
        QVERIFY(json.contains("\"outcome\": \"aborted\""));
        QVERIFY(TimelineExport::html(*t).contains("cut off"));
    }

    void recordingWithoutEndRecordIsInterrupted()
    {
        const QByteArray withoutEnd =
            m_recording.left(m_recording.lastIndexOf("{\"record\":\"end\""));
        const Result<Timeline> t = TimelineLoader::parse(withoutEnd);
        QVERIFY(t.ok());
        QVERIFY(t->interrupted);
        QCOMPARE(t->samples, m_recorded.samples);
        // LastAnswer and Outcome are written before the end record.
        QCOMPARE(t->events, m_recorded.events);
        // The answer spans come from the samples and the FirstAnswer events.
        QCOMPARE(t->answers.value(versionV2().id).firstMs,
                 m_recorded.answers.value(versionV2().id).firstMs);
        QVERIFY(t->summary.mixedAnsweringMs > 0);
    }

    void damagedLineInTheMiddleIsSkipped()
    {
        QList<QByteArray> lines = m_recording.split('\n');
        lines[5] = "{\"record\":\"sample\",\"t\":";
        const Result<Timeline> t = TimelineLoader::parse(lines.join('\n'));
        QVERIFY(t.ok());
        QVERIFY(t->interrupted);
        QCOMPARE(t->outcome, Outcome::Complete); // the end record is there
    }

    void onlyTheHeader()
    {
        const QByteArray header = m_recording.left(m_recording.indexOf('\n') + 1);
        const Result<Timeline> t = TimelineLoader::parse(header);
        QVERIFY(t.ok());
        QVERIFY(t->interrupted);
        QVERIFY(t->samples.isEmpty());
        QCOMPARE(t->summary.durationMs, 0);
    }

    void notATimeline_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("Not a Rollscope timeline");
        QTest::newRow("text") << QByteArray("hello\n") << QStringLiteral("Not a Rollscope");
        QTest::newRow("header cut")
            << QByteArray("{\"record\":\"header\",\"format\":\"rollsc") << QStringLiteral("header");
        QTest::newRow("other log version")
            << QByteArray("{\"record\":\"header\",\"format\":\"rollscope-timeline-log/9\"}\n")
            << QStringLiteral("rollscope-timeline-log/9");
        QTest::newRow("other json") << QByteArray("{\"kind\": \"Deployment\"}")
                                    << QStringLiteral("Not a Rollscope timeline");
    }
    void notATimeline()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, mentions);
        const Result<Timeline> t = TimelineLoader::parse(data);
        QVERIFY(!t.ok());
        QVERIFY2(t.error().message.contains(mentions), qPrintable(t.error().message));
    }

    void exportsLoadToo()
    {
        const QString path = write(QStringLiteral("export.json"), TimelineExport::json(m_recorded));
        const Result<Timeline> t = TimelineLoader::load(path);
        QVERIFY(t.ok());
        QCOMPARE(*t, m_recorded);
    }

    void missingFile()
    {
        const Result<Timeline> t =
            TimelineLoader::load(m_dir.filePath(QStringLiteral("nope.jsonl")));
        QVERIFY(!t.ok());
        QVERIFY(!t.error().message.isEmpty());
    }
};

ROLLSCOPE_TEST_MAIN(TestTimelineLoader)
#include "tst_timelineloader.moc"
