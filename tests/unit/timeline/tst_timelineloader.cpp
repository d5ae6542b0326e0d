// SPDX-License-Identifier: MIT
// Reopening saved timelines: complete recordings, recordings cut off mid-line by a crash, exports,
// and files that are not timelines.
#include "charts/responsechartdata.h"
#include "testmain.h"
#include "timeline/exporters.h"
#include "timeline/loader.h"
#include "timeline/recorder.h"
#include "timeline/svgcharts.h"
#include "timeline/timelinejson.h"
#include "timelinescenarios.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>

using namespace rollscope;
using namespace rollscope::timeline;
using namespace rollscope::timeline::test;

namespace {

QString hostileDir()
{
    QString dir = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../..");
    return QDir::cleanPath(dir + QStringLiteral("/tests/data/timeline/hostile"));
}

} // namespace

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
        QTest::newRow("empty") << QByteArray() << QStringLiteral("the file is empty");
        QTest::newRow("blank") << QByteArray(" \n\t\n") << QStringLiteral("the file is empty");
        QTest::newRow("array") << QByteArray("[]") << QStringLiteral("holds a JSON array");
        QTest::newRow("array of objects")
            << QByteArray("[{\"format\": \"rollscope-timeline/1\"}]\n")
            << QStringLiteral("holds a JSON array, not an object");
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
        // Qt's parser has nothing to say about a document that parsed: never show its
        // "no error occurred".
        QVERIFY2(!t.error().message.contains(QStringLiteral("no error")),
                 qPrintable(t.error().message));
    }

    // Out-of-range numbers in a file (hand-edited, corrupt or hostile) load clamped, with a
    // warning naming the field; everything downstream (the summary, every exporter, the
    // charts' data) then runs on numbers in range. Before, 21 such files aborted the sanitizer
    // build (llround of unchecked doubles, negated LLONG_MIN, int overflow in sums) and one
    // sample at t = 1e9 s froze the window.
    void hostileNumbersAreClamped_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("warnings"); // each must be part of a warning
        const auto row = [](const char *file, const QStringList &warnings) {
            QTest::newRow(file) << QString::fromLatin1(file) << warnings;
        };
        row("sample-t-huge.json",
            {QStringLiteral("samples[4].t: 1e308 is outside the recording (0 to 5.6 s)")});
        row("sample-t-negative-huge.json", {QStringLiteral("samples[4].t: -1e308 is outside")});
        row("sample-t-1e9-unfinished.json",
            {QStringLiteral("samples[12].t: 1000000000 is outside the recording")});
        row("counts-int-max.json",
            {QStringLiteral("samples[5].pods.bebullish/demo:v2.total: 2147483647 is out of "
                            "range (0 to 100000000), read as 100000000"),
             QStringLiteral("samples[5].responses.bebullish/demo:v1: 2147483647 is out of range"),
             QStringLiteral("samples[5].failures.refused: 2147483647 is out of range"),
             QStringLiteral("samples[5].failed: 2147483647 is out of range")});
        row("counts-negative.json",
            {QStringLiteral("samples[5].pods.bebullish/demo:v1.ready: -5 is out of range (0 to "
                            "100000000), read as 0"),
             QStringLiteral("samples[5].responses.bebullish/demo:v1: -5"),
             QStringLiteral("samples[5].peakPods: -5"), QStringLiteral("events[1].count: -5")});
        row("ints-9.3e18.json", {QStringLiteral("samples[6].desired: 9.3e18 is out of range"),
                                 QStringLiteral("samples[6].lowAvailable: -9.3e18 is out of range"),
                                 QStringLiteral("versions[0].revision: 9.3e18"),
                                 QStringLiteral("versions[1].colorIndex: 9.3e18"),
                                 QStringLiteral("strategy.replicas: 9.3e18")});
        row("events-huge.json",
            {QStringLiteral("events[1].t: 1e308 is out of range (-3600 to 5.6)"),
             QStringLiteral("events[2].durationSeconds: 1e308"),
             QStringLiteral("events[2].count: 1e308"), QStringLiteral("events[3].t: -1e308")});
        row("latency-huge.json", {QStringLiteral("samples[3].latencyMs.p99: 1e308")});
        row("mixed-ready-huge.json", {QStringLiteral("samples[3].mixedReadySeconds: 1e308")});
        row("interval-huge.json", {QStringLiteral("sampleIntervalSeconds: 1e308 is out of range")});
        row("interval-negative.json", {QStringLiteral("sampleIntervalSeconds: -1e308")});
        row("strategy-huge.json", {QStringLiteral("strategy.progressDeadlineSeconds: 1e308"),
                                   QStringLiteral("strategy.minReadySeconds: -1e308"),
                                   QStringLiteral("strategy.maxTotal: 1e308")});
        row("rate-huge.json", {QStringLiteral("probe.rate: 1e308")});
        row("answers-huge.json", {QStringLiteral("versions[1].firstAnswerT: -1e308"),
                                  QStringLiteral("versions[1].lastAnswerT: 1e308")});
        row("finished-before-start.json", {QStringLiteral("finishedAt: 2024-05-01T11:00:00.000Z "
                                                          "is before startedAt")});
        row("finished-far-future.json",
            {QStringLiteral("finishedAt: 9999-12-31T23:59:59.999Z is more than 30 days after")});
        // In range, but the sums used to overflow int.
        row("many-versions-at-the-limit.json", {});
        row("recording-sample-t-1e9.jsonl",
            {QStringLiteral("line 6: t: 1000000000 is outside the recording (0 to 2592000 s)")});
        row("recording-with-end.jsonl",
            {QStringLiteral("line 4: pods.6b5b87b666.total: -5"),
             QStringLiteral("line 4: responses.6b5b87b666: 2147483647"),
             QStringLiteral("line 5: t: -1e308 is outside the recording (0 to 2 s)"),
             QStringLiteral("line 6: pods.6b5b87b666.total: 9.3e18"),
             QStringLiteral("line 7: t: 2.5 is outside the recording (0 to 2 s)"),
             QStringLiteral("line 8: versions[0].firstAnswerT: -1e308")});
    }

    void hostileNumbersAreClamped()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, warnings);
        const Result<Timeline> loaded = TimelineLoader::load(hostileDir() + u'/' + file);
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().message));
        const Timeline &t = *loaded;
        const QString all = t.warnings.join(u'\n');
        for (const QString &w : std::as_const(warnings)) {
            const bool found = std::any_of(t.warnings.cbegin(), t.warnings.cend(),
                                           [&w](const QString &m) { return m.contains(w); });
            QVERIFY2(found, qPrintable(QStringLiteral("missing \"%1\" in:\n%2").arg(w, all)));
        }
        if (warnings.isEmpty())
            QVERIFY2(t.warnings.isEmpty(), qPrintable(all));

        // Every number is in range now.
        QVERIFY(t.durationMs() >= 0 && t.durationMs() <= kMaxSpanMs);
        QVERIFY(t.sampleIntervalMs > 0);
        for (const TimelineSample &s : t.samples) {
            QVERIFY(s.tMs >= 0 && s.tMs <= t.durationMs());
            for (const PodCounts &c : s.pods)
                QVERIFY(c.total >= 0 && c.total <= kMaxCount && c.ready >= 0);
            for (int r : s.responses)
                QVERIFY(r >= 0 && r <= kMaxCount);
            QVERIFY(s.mixedReadyMs >= 0 && s.mixedReadyMs <= kMaxSpanMs);
        }
        for (const TimelineEvent &e : t.events)
            QVERIFY(e.tMs >= -kMaxLeadMs && e.tMs <= kMaxSpanMs && e.count >= 0);

        // The summary, the exporters and the charts' data run on it (under ASan/UBSan in CI).
        QCOMPARE(computeSummary(t), t.summary);
        QVERIFY(t.summary.requests >= 0 && t.summary.failedRequests >= 0);
        for (const auto format : {TimelineExport::Format::Json, TimelineExport::Format::Csv,
                                  TimelineExport::Format::Html})
            QVERIFY(!TimelineExport::render(t, format).isEmpty());
        QVERIFY(SvgCharts::podsChart(t).endsWith(QStringLiteral("</svg>\n")));
        QVERIFY(SvgCharts::responsesChart(t).endsWith(QStringLiteral("</svg>\n")));
        // As the timeline window feeds its responses chart.
        ResponseChartData chart;
        chart.setOrigin(t.startedAtMs);
        QList<probe::ProbeBucket> buckets;
        for (const TimelineSample &s : t.samples) {
            probe::ProbeBucket b;
            b.startMs = t.startedAtMs + s.tMs - t.sampleIntervalMs;
            b.durationMs = t.sampleIntervalMs;
            b.responsesByVersion = s.responses;
            b.failures = s.failures;
            buckets << b;
        }
        chart.append(buckets);
        QVERIFY(chart.binCount() <= 1800);

        // What was loaded exports to a file that loads without a complaint.
        const Result<Timeline> again = TimelineLoader::parse(TimelineExport::json(t));
        QVERIFY(again.ok());
        QVERIFY2(again->warnings.isEmpty(), qPrintable(again->warnings.join(u'\n')));
    }

    // A file with a million bad values does not make a million warnings.
    void warningsAreBounded()
    {
        QByteArray data = "{\"format\": \"rollscope-timeline/1\", \"samples\": [";
        for (int i = 0; i < 1000; ++i)
            data += (i ? "," : "") + QByteArray("{\"t\": 1, \"desired\": -1}");
        data += "]}";
        const Result<Timeline> t = TimelineLoader::parse(data);
        QVERIFY(t.ok());
        QCOMPARE(t->samples.size(), 1000);
        QCOMPARE(t->warnings.size(), TimelineField::kMaxWarnings + 1);
        QVERIFY(t->warnings.last().contains(QStringLiteral("only the first 50")));
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
