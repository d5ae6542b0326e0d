// SPDX-License-Identifier: MIT
// The exporters against golden files in tests/data/timeline/ (fixed times, stable key order and
// number formatting), plus the properties every export must have: valid, self-contained,
// escaped, no credential. ROLLSCOPE_UPDATE_GOLDEN=1 rewrites the golden files after a
// deliberate change (review the diff).
#include "testmain.h"
#include "timeline/exporters.h"
#include "timeline/loader.h"
#include "timeline/svgcharts.h"
#include "timeline/timelinejson.h"
#include "timelinescenarios.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <thread>
#include <unistd.h>

using namespace rollscope;
using namespace rollscope::timeline;
using namespace rollscope::timeline::test;

namespace {

QString dataDir()
{
    QString dir = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../..");
    return QDir::cleanPath(dir + QStringLiteral("/tests/data/timeline"));
}

Timeline scenario(const QString &name)
{
    return record(name == QLatin1StringView("careless") ? carelessScenario() : demoScenario());
}

struct stat statOf(const QString &path, bool follow = true)
{
    struct stat st = {};
    const QByteArray name = QFile::encodeName(path);
    if ((follow ? ::stat(name.constData(), &st) : ::lstat(name.constData(), &st)) != 0)
        st.st_mode = 0;
    return st;
}

// Reads a file descriptor to its end.
QByteArray readAll(int fd)
{
    QByteArray data;
    char buffer[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return data;
        data.append(buffer, n);
    }
}

QByteArray render(const Timeline &t, const QString &format)
{
    if (format == QLatin1StringView("json"))
        return TimelineExport::json(t);
    if (format == QLatin1StringView("csv"))
        return TimelineExport::csv(t);
    return TimelineExport::html(t);
}

} // namespace

class TestTimelineExport : public QObject
{
    Q_OBJECT

private slots:
    void golden_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("format");
        for (const char *s : {"demo", "careless"}) {
            for (const char *f : {"json", "csv", "html"})
                QTest::newRow(qPrintable(
                    QStringLiteral("%1.%2").arg(QLatin1StringView(s), QLatin1StringView(f))))
                    << QString::fromLatin1(s) << QString::fromLatin1(f);
        }
    }
    void golden()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, format);
        const QByteArray actual = render(::scenario(scenario), format);
        // Twice the same: nothing depends on the clock, the locale or hash order.
        QCOMPARE(render(::scenario(scenario), format), actual);
        const QString path = dataDir() + u'/' + scenario + u'.' + format;
        if (qEnvironmentVariableIsSet("ROLLSCOPE_UPDATE_GOLDEN")) {
            QVERIFY(TimelineExport::write(path, actual).ok());
            QSKIP("golden file rewritten");
        }
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray expected = file.readAll();
        if (actual != expected) {
            // The first differing line, rather than two walls of text.
            const QList<QByteArray> a = actual.split('\n');
            const QList<QByteArray> e = expected.split('\n');
            for (qsizetype i = 0; i < std::min(a.size(), e.size()); ++i) {
                if (a.at(i) != e.at(i))
                    QFAIL(qPrintable(
                        QStringLiteral("%1 line %2:\n  actual:   %3\n  expected: %4")
                            .arg(path)
                            .arg(i + 1)
                            .arg(QString::fromUtf8(a.at(i)), QString::fromUtf8(e.at(i)))));
            }
            QCOMPARE(a.size(), e.size());
        }
    }

    void jsonHasTheDocumentedShape()
    {
        const QJsonObject o =
            QJsonDocument::fromJson(TimelineExport::json(scenario(QStringLiteral("demo"))))
                .object();
        QCOMPARE(o.value(QStringLiteral("format")).toString(),
                 QStringLiteral("rollscope-timeline/1"));
        QCOMPARE(o.value(QStringLiteral("deployment")).toObject(),
                 (QJsonObject{{QStringLiteral("namespace"), QStringLiteral("default")},
                              {QStringLiteral("name"), QStringLiteral("demo-dp")}}));
        const QJsonObject change = o.value(QStringLiteral("change")).toObject();
        QCOMPARE(change.value(QStringLiteral("container")).toString(), QStringLiteral("demo"));
        QCOMPARE(change.value(QStringLiteral("from")).toString(),
                 QStringLiteral("bebullish/demo:v1"));
        QCOMPARE(change.value(QStringLiteral("to")).toString(),
                 QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(o.value(QStringLiteral("startedAt")).toString(),
                 QStringLiteral("2024-05-01T12:00:00.000Z"));
        QCOMPARE(o.value(QStringLiteral("finishedAt")).toString(),
                 QStringLiteral("2024-05-01T12:00:05.600Z"));
        QCOMPARE(o.value(QStringLiteral("outcome")).toString(), QStringLiteral("complete"));

        const QJsonArray samples = o.value(QStringLiteral("samples")).toArray();
        QCOMPARE(samples.size(), 13);
        const QJsonObject s = samples.at(4).toObject();
        QCOMPARE(s.value(QStringLiteral("t")).toDouble(), 2.0);
        const QJsonObject pods = s.value(QStringLiteral("pods")).toObject();
        QVERIFY(pods.contains(QStringLiteral("bebullish/demo:v1")));
        QVERIFY(pods.contains(QStringLiteral("bebullish/demo:v2")));
        for (const char *key : {"total", "ready", "available"})
            QVERIFY(pods.value(QStringLiteral("bebullish/demo:v2"))
                        .toObject()
                        .contains(QLatin1StringView(key)));
        QVERIFY(s.value(QStringLiteral("responses")).isObject());
        QCOMPARE(s.value(QStringLiteral("failed")).toInt(-1), 0);

        const QJsonArray events = o.value(QStringLiteral("events")).toArray();
        QVERIFY(!events.isEmpty());
        for (const QJsonValue &e : events) {
            for (const char *key : {"t", "type", "message", "object"})
                QVERIFY(e.toObject().contains(QLatin1StringView(key)));
        }

        const QJsonObject summary = o.value(QStringLiteral("summary")).toObject();
        QCOMPARE(summary.value(QStringLiteral("durationSeconds")).toDouble(), 5.6);
        QCOMPARE(summary.value(QStringLiteral("requests")).toInt(), 112);
        QCOMPARE(summary.value(QStringLiteral("failedRequests")).toInt(-1), 0);
        QCOMPARE(summary.value(QStringLiteral("maxPods")).toInt(), 4);
        QCOMPARE(summary.value(QStringLiteral("minAvailable")).toInt(), 3);
        QCOMPARE(summary.value(QStringLiteral("verdict")).toString(),
                 QStringLiteral("complete without failures"));
        const QJsonObject byVersion =
            summary.value(QStringLiteral("responsesByVersion")).toObject();
        QCOMPARE(byVersion.keys(), (QStringList{QStringLiteral("bebullish/demo:v1"),
                                                QStringLiteral("bebullish/demo:v2")}));
        QCOMPARE(byVersion.value(QStringLiteral("bebullish/demo:v1")).toInt() +
                     byVersion.value(QStringLiteral("bebullish/demo:v2")).toInt(),
                 112);
    }

    // Keys are written in a fixed order, "format" first, so the files read and diff well.
    void jsonKeyOrderIsStable()
    {
        const QByteArray json = TimelineExport::json(scenario(QStringLiteral("demo")));
        QVERIFY(json.startsWith("{\n  \"format\": \"rollscope-timeline/1\",\n  \"deployment\""));
        QVERIFY(json.indexOf("\"summary\"") < json.indexOf("\"samples\""));
        QVERIFY(json.indexOf("\"samples\"") < json.indexOf("\"events\""));
        // One sample per line.
        QVERIFY(json.contains("\n    {\"t\": 0, \"pods\": {"));
    }

    void jsonRoundTrips_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::newRow("demo") << QStringLiteral("demo");
        QTest::newRow("careless") << QStringLiteral("careless");
    }
    void jsonRoundTrips()
    {
        QFETCH(QString, scenario);
        const Timeline t = ::scenario(scenario);
        const Result<Timeline> back = TimelineLoader::parse(TimelineExport::json(t));
        QVERIFY2(back.ok(), qPrintable(back ? QString() : back.error().message));
        QCOMPARE(back->samples, t.samples);
        QCOMPARE(back->events, t.events);
        QCOMPARE(back->summary, t.summary);
        QCOMPARE(*back, t);
    }

    void jsonOfAnotherFormatIsRefused()
    {
        const Result<Timeline> r =
            TimelineJson::parseExport("{\"format\": \"rollscope-timeline/2\", \"samples\": []}");
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(QStringLiteral("rollscope-timeline/2")),
                 qPrintable(r.error().message));
        QVERIFY(!TimelineJson::parseExport("[1, 2]").ok());
        QVERIFY(!TimelineJson::parseExport("{\"format\": \"other\"}").ok());
    }

    void csvHasOneRowPerSample()
    {
        const Timeline t = scenario(QStringLiteral("careless"));
        const QList<QByteArray> lines = TimelineExport::csv(t).split('\n');
        QCOMPARE(lines.last(), QByteArray()); // ends with a newline
        QCOMPARE(lines.size() - 2, t.samples.size());
        const QList<QByteArray> header = lines.first().split(',');
        const QList<QByteArray> columns = lines.at(3).split(',');
        QCOMPARE(columns.size(), header.size());
        QCOMPARE(header.first(), QByteArray("t"));
        QVERIFY(header.contains("bebullish/demo:v2 ready"));
        QVERIFY(header.contains("failed refused"));
        // The failures of the careless rollout add up in the "failed" column.
        const qsizetype failedColumn = header.indexOf("failed");
        int failed = 0;
        for (qsizetype i = 1; i < lines.size() - 1; ++i)
            failed += lines.at(i).split(',').at(failedColumn).toInt();
        QCOMPARE(failed, int(t.summary.failedRequests));
    }

    void csvQuotesAndDefusesText()
    {
        Timeline t;
        t.versions = {
            rollout::VersionInfo{
                QStringLiteral("a"), QStringLiteral("=cmd|' /C calc'!A0"), {}, {}, 1, true, 0},
            rollout::VersionInfo{
                QStringLiteral("b"), QStringLiteral("img, \"quoted\""), {}, {}, 2, false, 1}};
        TimelineSample s;
        s.responses.insert(QStringLiteral("a"), 1);
        s.responses.insert(QStringLiteral("b"), 2);
        t.samples << s;
        const QByteArray csv = TimelineExport::csv(t);
        QVERIFY(csv.startsWith("t,'=cmd|' /C calc'!A0 total,"));
        QVERIFY(csv.contains(",\"img, \"\"quoted\"\" total\","));
    }

    void htmlIsSelfContained()
    {
        const QString html =
            QString::fromUtf8(TimelineExport::html(scenario(QStringLiteral("demo"))));
        QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
        QCOMPARE(html.count(QStringLiteral("<svg ")), 2);
        QVERIFY(!html.contains(QStringLiteral("<script"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral(" src="), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral("<link"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral("@import"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QStringLiteral("url("), Qt::CaseInsensitive));
        // The only URL is the SVG namespace, which is a name, not a fetch.
        static const QRegularExpression url(QStringLiteral("https?://"));
        QCOMPARE(html.count(url), html.count(QStringLiteral("http://www.w3.org/2000/svg")));
        // Light, dark and print.
        QVERIFY(html.contains(QStringLiteral("prefers-color-scheme: dark")));
        QVERIFY(html.contains(QStringLiteral("@media print")));
    }

    void htmlShowsSummaryChartsAndEvents()
    {
        const Timeline t = scenario(QStringLiteral("careless"));
        const QString html = QString::fromUtf8(TimelineExport::html(t));
        QVERIFY(html.contains(QStringLiteral("complete with 35 failed requests")));
        QVERIFY(html.contains(QStringLiteral("Connection refused: 35")));
        // Guarantee lines, stacked bands per version, the failures and the burst.
        QVERIFY(html.contains(QStringLiteral("class=\"guide-max\"")));
        QVERIFY(html.contains(QStringLiteral("class=\"guide-min\"")));
        QVERIFY(html.contains(QStringLiteral("class=\"v-new ready\"")));
        QVERIFY(html.contains(QStringLiteral("class=\"v0 ready\"")));
        QVERIFY(html.contains(QStringLiteral("class=\"failed\"")));
        QVERIFY(html.contains(QStringLiteral("class=\"burst\"")));
        for (const TimelineEvent &e : t.events)
            QVERIFY2(html.contains(e.message.toHtmlEscaped()), qPrintable(e.message));
    }

    void htmlEscapesEverything()
    {
        Timeline t = scenario(QStringLiteral("demo"));
        TimelineEvent e;
        e.tMs = 10;
        e.type = QStringLiteral("KubernetesEvent");
        e.message = QStringLiteral("<script>alert(1)</script> & \"quotes\"");
        e.object = QStringLiteral("pod/<img onerror=x>");
        t.insertEvent(e);
        t.versions[0].label = QStringLiteral("<b>v1</b>");
        const QString html = QString::fromUtf8(TimelineExport::html(t));
        QVERIFY(!html.contains(QStringLiteral("<script>")));
        QVERIFY(!html.contains(QStringLiteral("<img")));
        QVERIFY(!html.contains(QStringLiteral("<b>v1")));
        QVERIFY(html.contains(
            QStringLiteral("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;")));
    }

    void chartsOfAnEmptyTimelineSaySo()
    {
        Timeline t;
        QVERIFY(SvgCharts::podsChart(t).contains(QStringLiteral("No pods were recorded.")));
        QVERIFY(SvgCharts::responsesChart(t).contains(QStringLiteral("not probed")));
        t.probe.enabled = true;
        QVERIFY(SvgCharts::responsesChart(t).contains(QStringLiteral("No traffic")));
        // The report still renders.
        QVERIFY(TimelineExport::html(t).contains("</html>"));
    }

    // The last interval ends at the outcome and can be a few milliseconds long: its rate is
    // not one answer over those milliseconds (a spike above the probe rate).
    void shortLastIntervalIsNoSpike()
    {
        const Timeline t = shortLastInterval();
        const double limit = t.probe.ratePerSecond + 1000.0 / t.sampleIntervalMs;
        const QList<TrafficInterval> intervals = trafficIntervals(t);
        QCOMPARE(intervals.size(), 4);
        QCOMPARE(intervals.first().startMs, qint64(0));
        for (qsizetype i = 1; i < intervals.size(); ++i)
            QCOMPARE(intervals.at(i).startMs, intervals.at(i - 1).endMs);
        // Merged into the interval before, over its real length: 11 answers in 534 ms.
        QCOMPARE(intervals.last().startMs, qint64(1500));
        QCOMPARE(intervals.last().endMs, qint64(2034));
        QCOMPARE(intervals.last().responses.value(versionV2().id), qint64(11));
        for (const TrafficInterval &i : intervals) {
            QVERIFY2(i.requestRate() <= limit, qPrintable(QString::number(i.requestRate())));
            QVERIFY(i.requestRate() >= t.probe.ratePerSecond - 1000.0 / t.sampleIntervalMs);
        }

        // The report's chart: its y axis tops at the highest rate drawn.
        const QString svg = SvgCharts::responsesChart(t);
        static const QRegularExpression yTick(QStringLiteral("text-anchor=\"end\">([0-9.]+)<"));
        double yMax = 0;
        for (auto it = yTick.globalMatch(svg); it.hasNext();)
            yMax = std::max(yMax, it.next().captured(1).toDouble());
        QCOMPARE(yMax, SvgCharts::niceCeiling(20.6));
        QVERIFY(yMax <= SvgCharts::niceCeiling(limit));
        QVERIFY(TimelineExport::html(t).contains(svg.toUtf8()));

        // The CSV holds counts per sample, not rates: nothing divided by 34 ms there.
        const QList<QByteArray> rows = TimelineExport::csv(t).trimmed().split('\n');
        QCOMPARE(rows.size(), t.samples.size() + 1);
        QVERIFY(rows.last().startsWith("2.034,"));
    }

    void trafficIntervalsOfIrregularSamples()
    {
        Timeline t = shortLastInterval();
        // A lone short first interval stays on its own; short ones after it join it until it
        // spans a whole interval.
        t.samples = {TimelineSample{}, TimelineSample{}, TimelineSample{}, TimelineSample{}};
        t.samples[1].tMs = 10;
        t.samples[2].tMs = 20;
        t.samples[3].tMs = 700;
        t.samples[1].failures[0] = 1;
        t.samples[3].failures[0] = 13;
        const QList<TrafficInterval> intervals = trafficIntervals(t);
        QCOMPARE(intervals.size(), 1);
        QCOMPARE(intervals.first().endMs, qint64(700));
        QCOMPARE(intervals.first().failed, qint64(14));
        QCOMPARE(intervals.first().failedRate(), 20.0);
        t.samples.resize(1);
        QVERIFY(trafficIntervals(t).isEmpty());
    }

    void niceAxes()
    {
        QCOMPARE(SvgCharts::niceCeiling(0.3), 1.0);
        QCOMPARE(SvgCharts::niceCeiling(4), 5.0);
        QCOMPARE(SvgCharts::niceCeiling(21), 25.0);
        QCOMPARE(SvgCharts::niceCeiling(100), 100.0);
        QCOMPARE(SvgCharts::niceCeiling(101), 200.0);
        QCOMPARE(SvgCharts::niceStep(5.6, 8), 1.0);
        QCOMPARE(SvgCharts::niceStep(60, 8), 10.0);
        QCOMPARE(SvgCharts::niceStep(600, 8), 100.0);
    }

    void formatFromSuffix()
    {
        QCOMPARE(TimelineExport::formatForPath(QStringLiteral("a/b.JSON")),
                 std::optional(TimelineExport::Format::Json));
        QCOMPARE(TimelineExport::formatForPath(QStringLiteral("r.htm")),
                 std::optional(TimelineExport::Format::Html));
        QCOMPARE(TimelineExport::formatForPath(QStringLiteral("x.csv")),
                 std::optional(TimelineExport::Format::Csv));
        QCOMPARE(TimelineExport::formatForPath(QStringLiteral("x.png")), std::nullopt);
    }

    void writeIsAtomic()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.json"));
        QVERIFY(TimelineExport::write(path, "first").ok());
        QVERIFY(TimelineExport::write(path, "second").ok());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("second"));
        // No temporary file is left behind.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("t.json")});
        const VoidResult failed =
            TimelineExport::write(dir.filePath(QStringLiteral("missing/t.json")), "x");
        QVERIFY(!failed.ok());
        // The message names the file, not the whole local path.
        QVERIFY(!failed.error().message.contains(dir.path()));
    }

    // `--timeline /dev/null` used to rename a temporary file over /dev/null. The test never
    // goes near the real one (it runs as root in CI, where a regression would replace it): it
    // makes its own null device node in a temporary folder, where a wrong rename stays.
    void writeToCharacterDeviceKeepsTheDevice()
    {
        QTemporaryDir dir;
        const QString node = dir.filePath(QStringLiteral("null"));
        if (::mknod(QFile::encodeName(node).constData(), S_IFCHR | 0666, makedev(1, 3)) != 0)
            QSKIP("cannot make a device node here (needs CAP_MKNOD)");
        const QString link = dir.filePath(QStringLiteral("out.json"));
        QVERIFY(QFile::link(node, link));
        const QByteArray data = TimelineExport::json(scenario(QStringLiteral("demo")));
        for (const QString &path : {node, link, node}) {
            const VoidResult written = TimelineExport::write(path, data);
            if (!written && written.error().message.contains(QStringLiteral("not permitted")))
                QSKIP("device nodes cannot be opened here (device cgroup)");
            QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().message));
        }
        const struct stat st = statOf(node, false);
        QVERIFY(S_ISCHR(st.st_mode));
        QCOMPARE(st.st_rdev, makedev(1, 3));
        QVERIFY(S_ISLNK(statOf(link, false).st_mode));
        QVERIFY(S_ISCHR(statOf(link).st_mode));
        // No temporary file was left next to it either.
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral("null"), QStringLiteral("out.json")}));
        // Without root a rename over the real /dev/null cannot happen, so the real thing is safe
        // to try: it used to fail there (and turn a successful rollout into exit status 1).
        if (::geteuid() != 0) {
            QVERIFY(TimelineExport::write(QStringLiteral("/dev/null"), data).ok());
            QVERIFY(S_ISCHR(statOf(QStringLiteral("/dev/null"), false).st_mode));
        }
    }

    void writeToFifoFeedsTheReader()
    {
        QTemporaryDir dir;
        const QString fifo = dir.filePath(QStringLiteral("report.html"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        // A second name for the same FIFO: the reader uses it, so a regression that renames
        // over `fifo` leaves the reader waiting on a FIFO the test can still reach and release.
        const QString keeper = dir.filePath(QStringLiteral("keeper"));
        QCOMPARE(::link(QFile::encodeName(fifo).constData(), QFile::encodeName(keeper).constData()),
                 0);
        QByteArray received;
        std::thread reader([&received, name = QFile::encodeName(keeper)] {
            const int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
            if (fd >= 0) {
                received = readAll(fd);
                ::close(fd);
            }
        });
        // More than a pipe holds, so the writer has to wait for the reader in between.
        QByteArray data = TimelineExport::html(scenario(QStringLiteral("careless")));
        while (data.size() < 1024 * 1024)
            data += data;
        const VoidResult written = TimelineExport::write(fifo, data);
        // Release a reader still waiting for a writer (only if the export went elsewhere), so
        // a regression fails the test rather than hanging it; harmless otherwise.
        const int release = ::open(QFile::encodeName(keeper).constData(), O_WRONLY | O_NONBLOCK);
        if (release >= 0)
            ::close(release);
        reader.join();
        QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().message));
        QCOMPARE(received.size(), data.size());
        QVERIFY(received == data);
        QVERIFY(S_ISFIFO(statOf(fifo, false).st_mode));
        QCOMPARE(QDir(dir.path()).entryList(QDir::AllEntries | QDir::System | QDir::NoDotAndDotDot),
                 (QStringList{QStringLiteral("keeper"), QStringLiteral("report.html")}));
    }

    // "-", /dev/stdout and /dev/fd/N write to the descriptor the process already has, after
    // what it wrote before; the file behind it is neither replaced nor truncated.
    void writeToDescriptorPaths_data()
    {
        QTest::addColumn<QString>("path"); // "%1" is the descriptor
        QTest::addColumn<bool>("asStdout");
        QTest::newRow("-") << QStringLiteral("-") << true;
        QTest::newRow("/dev/stdout") << QStringLiteral("/dev/stdout") << true;
        QTest::newRow("/dev/fd/N") << QStringLiteral("/dev/fd/%1") << false;
        QTest::newRow("/proc/self/fd/N") << QStringLiteral("/proc/self/fd/%1") << false;
    }

    void writeToDescriptorPaths()
    {
        QFETCH(QString, path);
        QFETCH(bool, asStdout);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("captured.txt"));
        const int fd = ::open(QFile::encodeName(file).constData(),
                              O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        QVERIFY(fd >= 0);
        QCOMPARE(::write(fd, "before\n", 7), ssize_t(7));
        const ino_t inode = statOf(file).st_ino;
        VoidResult written = Done{};
        if (asStdout) {
            std::fflush(stdout);
            const int saved = ::dup(STDOUT_FILENO);
            QVERIFY(saved >= 0);
            ::dup2(fd, STDOUT_FILENO);
            written = TimelineExport::write(path, "exported\n");
            std::fflush(stdout);
            ::dup2(saved, STDOUT_FILENO);
            ::close(saved);
        } else {
            written = TimelineExport::write(path.arg(fd), "exported\n");
        }
        QVERIFY2(written.ok(), qPrintable(written ? QString() : written.error().message));
        // The descriptor is still open and usable.
        QCOMPARE(::write(fd, "after\n", 6), ssize_t(6));
        ::close(fd);
        QCOMPARE(statOf(file).st_ino, inode);
        QFile result(file);
        QVERIFY(result.open(QIODevice::ReadOnly));
        QCOMPARE(result.readAll(), QByteArray("before\nexported\nafter\n"));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files),
                 QStringList{QStringLiteral("captured.txt")});
    }

    void writeRefusesFolders()
    {
        QTemporaryDir dir;
        const VoidResult written = TimelineExport::write(dir.path(), "x");
        QVERIFY(!written.ok());
        QVERIFY(QFileInfo(dir.path()).isDir());
    }
};

ROLLSCOPE_TEST_MAIN(TestTimelineExport)
#include "tst_timelineexport.moc"
