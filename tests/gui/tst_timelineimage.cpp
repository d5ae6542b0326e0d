// SPDX-License-Identifier: MIT
// The PNG export and the viewer's responses chart, drawn from a timeline: the charts cover the
// recording's span (as the JSON and HTML exports), the image carries a title line, and the
// short last interval is not drawn as a spike.
#include "../unit/timeline/timelinescenarios.h"
#include "podschart.h"
#include "responseschart.h"
#include "testmain.h"
#include "timeline/loader.h"
#include "timelineviewer.h"

#include <QChart>
#include <QDir>
#include <QImage>
#include <QPointF>
#include <QValueAxis>

using namespace rollscope;
using namespace rollscope::timeline;
using namespace rollscope::timeline::test;

namespace {

QString timelineDir()
{
    QString dir = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/../..");
    return QDir::cleanPath(dir + QStringLiteral("/tests/data/timeline"));
}

double xMax(QChartView *view)
{
    const QList<QAbstractAxis *> axes = view->chart()->axes(Qt::Horizontal);
    auto *axis = axes.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(axes.first());
    return axis ? axis->max() : -1;
}

} // namespace

class TestTimelineImage : public QObject
{
    Q_OBJECT

private slots:
    void spanIsTheRecording()
    {
        Timeline t = shortLastInterval();
        QCOMPARE(TimelineImage::spanSeconds(t), 2.034);
        // Still recording: up to the last sample.
        t.finishedAtMs = 0;
        t.outcome = Outcome::Recording;
        QCOMPARE(TimelineImage::spanSeconds(t), 2.034);
        t.samples.clear();
        QVERIFY(TimelineImage::spanSeconds(t) > 0);
    }

    void titleNamesDeploymentChangeAndVerdict()
    {
        Timeline t = shortLastInterval();
        QCOMPARE(TimelineImage::title(t),
                 QStringLiteral("default/demo-dp · bebullish/demo:v1 → v2 · complete without "
                                "failures"));
        t.change = {};
        t.summary.verdict = QStringLiteral("timed out");
        QCOMPARE(TimelineImage::title(t), QStringLiteral("default/demo-dp · timed out"));
    }

    void chartsCoverTheRecordingSpan()
    {
        const Result<Timeline> loaded =
            TimelineLoader::load(timelineDir() + QStringLiteral("/demo.json"));
        QVERIFY2(loaded.ok(), qPrintable(loaded ? QString() : loaded.error().message));
        PodsChart pods;
        ResponsesChart responses;
        TimelineImage::fill(*loaded, &pods, &responses);
        const double span = double(loaded->durationMs()) / 1000.0;
        QVERIFY(span > 1);
        QCOMPARE(TimelineImage::spanSeconds(*loaded), span);
        QCOMPARE(xMax(&pods), span);
        QCOMPARE(xMax(&responses), span);
    }

    void viewerRatesOfAShortLastInterval()
    {
        const Timeline t = shortLastInterval();
        const QList<probe::ProbeBucket> buckets = TimelineViewer::probeBuckets(t);
        QCOMPARE(buckets.size(), t.samples.size() - 1);
        // Each bucket is its sample's real interval: the last ends at the outcome.
        QCOMPARE(buckets.last().startMs, t.startedAtMs + 2000);
        QCOMPARE(buckets.last().durationMs, 34);
        for (qsizetype i = 1; i < buckets.size(); ++i)
            QCOMPARE(buckets.at(i).startMs,
                     buckets.at(i - 1).startMs + buckets.at(i - 1).durationMs);
        ResponsesChart chart;
        chart.setOrigin(t.startedAtMs);
        chart.appendBuckets(buckets);
        QCOMPARE(chart.data().lastBucketMs(), t.finishedAtMs);
        QCOMPARE(chart.data().total(versionV2().id), qint64(41));
        const double limit = t.probe.ratePerSecond + 1000.0 / t.sampleIntervalMs;
        QVERIFY2(chart.data().peakRate() <= limit,
                 qPrintable(QString::number(chart.data().peakRate())));
    }

    // The viewer's chart sums samples into one-second bins: the last bin ends at the outcome,
    // and its rate is over the time it covers.
    void viewerLastBinEndsAtTheOutcome_data()
    {
        QTest::addColumn<qint64>("lastMs");
        QTest::addColumn<int>("lastAnswers");
        QTest::addColumn<double>("stepStart");
        QTest::addColumn<double>("rate");
        // 34 ms past the bin: drawn with the bin before, 21 answers over 1.034 s.
        QTest::newRow("34 ms") << qint64(2034) << 1 << 1.0 << 21 / 1.034;
        // 600 ms into the bin: 12 answers over 0.6 s, not over a whole second.
        QTest::newRow("600 ms") << qint64(2600) << 2 << 2.0 << 20.0;
    }
    void viewerLastBinEndsAtTheOutcome()
    {
        QFETCH(qint64, lastMs);
        QFETCH(int, lastAnswers);
        QFETCH(double, stepStart);
        QFETCH(double, rate);
        Timeline t = shortLastInterval();
        t.samples.removeLast();
        if (lastMs > 2500) {
            TimelineSample full;
            full.tMs = 2500;
            full.responses.insert(versionV2().id, 10);
            t.samples << full;
        }
        TimelineSample last;
        last.tMs = lastMs;
        last.responses.insert(versionV2().id, lastAnswers);
        t.samples << last;
        t.finishedAtMs = t.startedAtMs + lastMs;
        PodsChart pods;
        ResponsesChart responses;
        TimelineImage::fill(t, &pods, &responses);
        const ResponseChartData &data = responses.data();
        const QList<QPointF> upper = data.upper(0);
        QVERIFY(upper.size() >= 2);
        QCOMPARE(upper.last().x(), double(lastMs) / 1000.0);
        QCOMPARE(upper.at(upper.size() - 2).x(), stepStart);
        QCOMPARE(upper.last().y(), rate);
        QCOMPARE(data.failures().last().x(), double(lastMs) / 1000.0);
        QCOMPARE(data.lower(0).size(), upper.size());
        QVERIFY(data.peakRate() <= t.probe.ratePerSecond + 1000.0 / t.sampleIntervalMs);
    }

    void renderDrawsTitleAndCharts()
    {
        const Result<Timeline> loaded =
            TimelineLoader::load(timelineDir() + QStringLiteral("/demo.json"));
        QVERIFY(loaded.ok());
        QObject context;
        QImage image;
        TimelineImage::render(
            *loaded, &context, [&image](const QImage &i) { image = i; }, QSize(800, 400));
        QTRY_VERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(800, 400));
        // The title strip holds text: pixels other than the background.
        const QRgb background = image.pixel(0, 0);
        bool inked = false;
        for (int y = 0; y < 30 && !inked; ++y) {
            for (int x = 0; x < 400 && !inked; ++x)
                inked = image.pixel(x, y) != background;
        }
        QVERIFY(inked);
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestTimelineImage)
#include "tst_timelineimage.moc"
