// SPDX-License-Identifier: MIT
// The live charts read at a glance (issue 13): full legend labels at 1024 px, the strategy's
// guarantees on top and labelled, an x axis fitted to the rollout that zooms and pans on both
// charts together, round ticks, and a colour per image that lasts across recordings.
#include "chartlegend.h"
#include "charttimeaxis.h"
#include "podschart.h"
#include "responseschart.h"
#include "testmain.h"
#include "theme.h"
#include "timeline/loader.h"
#include "timelineviewer.h"

#include <QAbstractSeries>
#include <QApplication>
#include <QAreaSeries>
#include <QChart>
#include <QDateTime>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPainter>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSplitter>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <memory>

using namespace rollscope;

namespace {

rollout::VersionInfo chartsVersion(const QString &id, const QString &image, int colorIndex,
                                   bool isNew, qint64 revision)
{
    rollout::VersionInfo v;
    v.id = id;
    v.image = image;
    v.label = image;
    v.replicaSet = QStringLiteral("demo-dp-%1").arg(id);
    v.revision = revision;
    v.isNew = isNew;
    v.colorIndex = colorIndex;
    return v;
}

// `seconds` of a rollout of `replicas` pods from the first version to the last, one sample a
// second, 25 % surge and unavailability.
QList<rollout::PodCountSample> chartsRollout(qint64 originMs, const QStringList &ids, int replicas,
                                             int seconds)
{
    QList<rollout::PodCountSample> samples;
    for (int t = 0; t <= seconds; ++t) {
        rollout::PodCountSample s;
        s.timeMs = originMs + qint64(t) * 1000;
        s.desired = replicas;
        s.maxTotal = replicas + (replicas + 3) / 4;
        s.minAvailable = replicas - replicas / 4;
        const int moved = replicas * t / std::max(1, seconds);
        for (int i = 0; i < ids.size(); ++i) {
            const bool last = i == ids.size() - 1;
            const bool first = i == 0;
            const int n = last ? moved : first ? replicas - moved : (t % 2);
            s.versions << rollout::VersionPods{ids.at(i), n, std::max(0, n - 1), n, 0};
        }
        samples << s;
    }
    return samples;
}

QList<probe::ProbeBucket> chartsTraffic(qint64 originMs, const QStringList &ids, int seconds,
                                        int perBucket)
{
    QList<probe::ProbeBucket> buckets;
    for (int i = 0; i < seconds * 10; ++i) {
        probe::ProbeBucket b;
        b.startMs = originMs + qint64(i) * 100;
        b.durationMs = 100;
        for (const QString &id : ids)
            b.responsesByVersion.insert(id, perBucket);
        if (i % 7 == 0)
            b.failures[0] = 1;
        buckets << b;
    }
    return buckets;
}

bool isRoundStep(double step)
{
    const double magnitude = std::pow(10.0, std::floor(std::log10(step)));
    const double m = step / magnitude;
    return qFuzzyCompare(m, 1.0) || qFuzzyCompare(m, 2.0) || qFuzzyCompare(m, 5.0);
}

// The two charts side by side, as the rollout view lays them out, sharing one time axis.
struct ChartsWindow
{
    ChartsWindow(const QSize &size)
    {
        window = std::make_unique<QWidget>();
        auto *layout = new QHBoxLayout(window.get());
        auto *splitter = new QSplitter(Qt::Horizontal, window.get());
        layout->addWidget(splitter);
        pods = new PodsChart(splitter);
        responses = new ResponsesChart(splitter);
        splitter->addWidget(pods);
        splitter->addWidget(responses);
        axis = new ChartTimeAxis(window.get());
        pods->setTimeAxis(axis);
        responses->setTimeAxis(axis);
        window->resize(size);
    }
    void fill(const QList<rollout::VersionInfo> &versions, int replicas, int seconds,
              qint64 originMs)
    {
        QStringList ids;
        for (const auto &v : versions)
            ids << v.id;
        pods->setOrigin(originMs);
        pods->setVersions(versions);
        pods->appendSamples(chartsRollout(originMs, ids, replicas, seconds));
        responses->setOrigin(originMs);
        responses->setVersions(versions);
        responses->appendBuckets(chartsTraffic(originMs, ids, seconds, 2));
    }
    bool drawn(int podsBefore = 0, int responsesBefore = 0) const
    {
        return pods->redrawCount() > podsBefore && responses->redrawCount() > responsesBefore;
    }
    std::unique_ptr<QWidget> window;
    PodsChart *pods = nullptr;
    ResponsesChart *responses = nullptr;
    ChartTimeAxis *axis = nullptr;
};

void maybeSaveShot(QWidget *window, const QString &name)
{
    const QString dir = qEnvironmentVariable("ROLLSCOPE_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        window->grab().save(dir + u'/' + name + QStringLiteral(".png"));
}

QPoint plotCentre(QChartView *view)
{
    const QPointF inScene = view->chart()->mapToScene(view->chart()->plotArea().center());
    return view->mapFromScene(inScene);
}

} // namespace

class TestCharts : public QObject
{
    Q_OBJECT

private slots:
    void niceSteps()
    {
        QCOMPARE(ChartTicks::niceStep(31, 6), 10.0);
        QCOMPARE(ChartTicks::niceStep(10, 8), 2.0);
        QCOMPARE(ChartTicks::niceStep(2502, 6), 500.0);
        QCOMPARE(ChartTicks::niceStep(0.8, 8), 0.1);
        QCOMPARE(ChartTicks::niceIntegerStep(3, 6), 1.0);
        QCOMPARE(ChartTicks::niceStep(0, 6), 1.0);
    }

    void versionTextsAreTagsWhenOneRepository()
    {
        QList<rollout::VersionInfo> versions{
            chartsVersion(QStringLiteral("a"), QStringLiteral("bebullish/demo:v1"), 0, false, 1),
            chartsVersion(QStringLiteral("b"), QStringLiteral("bebullish/demo:v2"), 1, true, 2)};
        QHash<QString, QString> texts = ChartLegend::versionTexts(versions);
        QCOMPARE(texts.value(QStringLiteral("a")), QStringLiteral("v1"));
        QCOMPARE(texts.value(QStringLiteral("b")), QStringLiteral("v2 (new)"));
        QVERIFY(ChartLegend::versionToolTip(versions.at(1)).contains(versions.at(1).image));
        // A restart: the same image twice keeps its "(rev N)".
        versions[1].image = versions[0].image;
        versions[1].label = QStringLiteral("bebullish/demo:v1 (rev 2)");
        texts = ChartLegend::versionTexts(versions);
        QCOMPARE(texts.value(QStringLiteral("b")), QStringLiteral("v1 (rev 2) (new)"));
        // Two repositories: the full references.
        versions[1].image = QStringLiteral("registry.example.com/team/demo:v2");
        versions[1].label = versions[1].image;
        texts = ChartLegend::versionTexts(versions);
        QCOMPARE(texts.value(QStringLiteral("a")), QStringLiteral("bebullish/demo:v1"));
        QCOMPARE(texts.value(QStringLiteral("b")),
                 QStringLiteral("registry.example.com/team/demo:v2 (new)"));
    }

    void legendLabelsAreFullAndFit_data()
    {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QStringList>("images");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("dark");
        const QStringList demo{QStringLiteral("bebullish/demo:v1"),
                               QStringLiteral("bebullish/demo:v2"),
                               QStringLiteral("bebullish/demo:v3")};
        QTest::newRow("1024, three tags, light")
            << QSize(1024, 700) << demo
            << QStringList{QStringLiteral("v1"), QStringLiteral("v2"), QStringLiteral("v3 (new)")}
            << false;
        QTest::newRow("1024, three tags, dark")
            << QSize(1024, 700) << demo
            << QStringList{QStringLiteral("v1"), QStringLiteral("v2"), QStringLiteral("v3 (new)")}
            << true;
        const QStringList mixed{QStringLiteral("bebullish/demo:v1"),
                                QStringLiteral("registry.example.com/platform/demo-api:2.14.0")};
        QTest::newRow("1024, two repositories")
            << QSize(1024, 700) << mixed
            << QStringList{mixed.at(0), QStringLiteral("%1 (new)").arg(mixed.at(1))} << false;
        QTest::newRow("1600, two repositories")
            << QSize(1600, 1000) << mixed
            << QStringList{mixed.at(0), QStringLiteral("%1 (new)").arg(mixed.at(1))} << false;
    }
    void legendLabelsAreFullAndFit()
    {
        QFETCH(QSize, size);
        QFETCH(QStringList, images);
        QFETCH(QStringList, expected);
        QFETCH(bool, dark);
        const QPalette before = QApplication::palette();
        const auto restore = qScopeGuard([&before] { QApplication::setPalette(before); });
        if (dark)
            QApplication::setPalette(Theme::darkPalette());
        ChartsWindow w(size);
        QList<rollout::VersionInfo> versions;
        for (int i = 0; i < images.size(); ++i)
            versions << chartsVersion(QStringLiteral("h%1").arg(i), images.at(i), i,
                                      i == images.size() - 1, i + 1);
        w.fill(versions, 4, 5, QDateTime::currentMSecsSinceEpoch() - 5000);
        w.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window.get()));
        QTRY_VERIFY(w.drawn());
        QTRY_COMPARE(w.responses->legendWidget()->labels().size(), images.size() + 1);

        for (QChartView *view :
             {static_cast<QChartView *>(w.pods), static_cast<QChartView *>(w.responses)}) {
            ChartLegend *legend =
                view == w.pods ? w.pods->legendWidget() : w.responses->legendWidget();
            QVERIFY(!view->chart()->legend()->isVisible());
            QVERIFY(legend->isVisible());
            // The legend lies inside its chart, under the plot.
            QVERIFY(view->rect().contains(legend->geometry()));
            const auto plotBottom = [view] {
                return view->mapFromScene(view->chart()->mapToScene(view->chart()->plotArea()))
                    .boundingRect()
                    .bottom();
            };
            // (The chart lays itself out on the next turn of the event loop.)
            QTRY_VERIFY2(legend->geometry().top() >= plotBottom(),
                         qPrintable(QStringLiteral("legend at %1, plot ends at %2")
                                        .arg(legend->geometry().top())
                                        .arg(plotBottom())));
            for (int i = 0; i < images.size(); ++i) {
                QLabel *label = legend->label(versions.at(i).id);
                QVERIFY(label);
                QCOMPARE(label->text(), expected.at(i));
                QVERIFY(label->toolTip().contains(images.at(i)));
            }
            for (QLabel *label : legend->labels()) {
                QVERIFY(label->isVisible());
                // Not elided or cut: the label has all the room its text needs, within the
                // legend.
                const int needed = label->fontMetrics().horizontalAdvance(label->text());
                QVERIFY2(label->width() >= needed, qPrintable(QStringLiteral("%1: %2 < %3")
                                                                  .arg(label->text())
                                                                  .arg(label->width())
                                                                  .arg(needed)));
                QVERIFY2(legend->rect().contains(label->geometry()), qPrintable(label->text()));
                QVERIFY(label->height() >= label->sizeHint().height());
            }
        }
        // The pods legend says what solid and dashed mean, and names the guarantees.
        QCOMPARE(w.pods->legendWidget()->label(QStringLiteral("key/lines"))->text(),
                 QStringLiteral("solid: ready · dashed: all"));
        QVERIFY(w.pods->legendWidget()
                    ->label(QStringLiteral("key/lines"))
                    ->toolTip()
                    .contains(QStringLiteral("Dashed lines")));
        QCOMPARE(w.pods->legendWidget()->label(QStringLiteral("maxTotal"))->text(),
                 QStringLiteral("≤ 5 pods (maxSurge)"));
        QCOMPARE(w.pods->legendWidget()->label(QStringLiteral("minAvailable"))->text(),
                 QStringLiteral("≥ 3 available (maxUnavailable)"));
        maybeSaveShot(w.window.get(),
                      QStringLiteral("charts-%1x%2-%3-%4")
                          .arg(size.width())
                          .arg(size.height())
                          .arg(images.size())
                          .arg(dark ? QStringLiteral("dark") : QStringLiteral("light")));
    }

    void guaranteesDrawnOnTopAndLabelled()
    {
        ChartsWindow w(QSize(1024, 700));
        const QList<rollout::VersionInfo> versions{
            chartsVersion(QStringLiteral("a"), QStringLiteral("bebullish/demo:v1"), 0, false, 1),
            chartsVersion(QStringLiteral("b"), QStringLiteral("bebullish/demo:v2"), 1, true, 2)};
        // Eight seconds of data on the axis' ten: the lines end right of the centre whenever the
        // redraw comes (with five, a redraw within 60 ms put the labels' right edge left of it).
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 8000;
        // The guarantees exist before the versions' lines do (first redraw without versions).
        w.pods->setOrigin(origin);
        w.pods->appendSamples(chartsRollout(origin, {}, 4, 1));
        w.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window.get()));
        QTRY_VERIFY(w.pods->series(QStringLiteral("maxTotal")));
        w.fill(versions, 4, 8, origin);
        QTRY_VERIFY(w.pods->series(QStringLiteral("b/ready")));
        QTRY_VERIFY(w.pods->guaranteeLabel(QStringLiteral("maxTotal"))->isVisible());

        const QList<QAbstractSeries *> order = w.pods->chart()->series();
        const auto indexOf = [&order, &w](const QString &name) {
            return order.indexOf(w.pods->series(name));
        };
        for (const QString &line : {QStringLiteral("a/ready"), QStringLiteral("a/total"),
                                    QStringLiteral("b/ready"), QStringLiteral("b/total")}) {
            QVERIFY(indexOf(line) >= 0);
            QVERIFY(indexOf(QStringLiteral("maxTotal")) > indexOf(line));
            QVERIFY(indexOf(QStringLiteral("minAvailable")) > indexOf(line));
        }
        // Distinct from each other and from the versions.
        const QPen maxPen = w.pods->series(QStringLiteral("maxTotal"))->pen();
        const QPen minPen = w.pods->series(QStringLiteral("minAvailable"))->pen();
        QVERIFY(maxPen.color() != minPen.color());
        QVERIFY(maxPen.style() != minPen.style());
        for (const QString &line : {QStringLiteral("a/ready"), QStringLiteral("b/ready")}) {
            QVERIFY(w.pods->series(line)->pen().color() != maxPen.color());
            QVERIFY(w.pods->series(line)->pen().color() != minPen.color());
        }
        QCOMPARE(w.pods->guaranteeLabel(QStringLiteral("maxTotal"))->text(), QStringLiteral("≤ 5"));
        QCOMPARE(w.pods->guaranteeLabel(QStringLiteral("minAvailable"))->text(),
                 QStringLiteral("≥ 3"));
        QVERIFY(w.pods->guaranteeLabel(QStringLiteral("minAvailable"))->isVisible());
        // Near the lines' right end, inside the plot.
        const QRectF plot = w.pods->chart()->plotArea();
        for (const QString &name : {QStringLiteral("maxTotal"), QStringLiteral("minAvailable")}) {
            const QRectF box = w.pods->guaranteeLabel(name)->sceneBoundingRect();
            QVERIFY(plot.contains(w.pods->chart()->mapFromScene(box.center())));
            QVERIFY(box.right() > plot.center().x());
        }
        // The responses chart's failures line over its bands.
        const QList<QAbstractSeries *> bands = w.responses->chart()->series();
        QCOMPARE(bands.last(), w.responses->failureLine());
    }

    void axisFittedToAFinishedRollout()
    {
        ChartsWindow w(QSize(1024, 700));
        const QList<rollout::VersionInfo> versions{
            chartsVersion(QStringLiteral("a"), QStringLiteral("bebullish/demo:v1"), 0, false, 1),
            chartsVersion(QStringLiteral("b"), QStringLiteral("bebullish/demo:v2"), 1, true, 2)};
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 5000;
        w.fill(versions, 4, 5, origin);
        w.window->show();
        QTRY_VERIFY(w.drawn());
        // Live, five seconds in: the minimum live span, not a minute.
        QCOMPARE(w.axis->min(), 0.0);
        QCOMPARE(w.axis->max(), ChartTimeAxis::kMinLiveSpan);
        // The outcome at 5 s: fitted to it.
        w.pods->setLive(false);
        w.axis->setEnd(5.0);
        QVERIFY(w.axis->max() >= 5.0);
        QVERIFY(w.axis->max() <= 3 * 5.0);
        QVERIFY(w.axis->max() <= 6.0);
        for (QValueAxis *x : {w.pods->xAxis(), w.responses->xAxis()}) {
            QCOMPARE(x->max(), w.axis->max());
            QCOMPARE(x->tickType(), QValueAxis::TicksDynamic);
            QVERIFY(isRoundStep(x->tickInterval()));
        }
        // The responses chart's end fits it too.
        w.axis->setEnd(std::nullopt);
        w.responses->setEndMs(origin + 5000);
        QCOMPARE(w.axis->end(), std::optional<double>(5.0));
        QVERIFY(w.axis->max() <= 6.0);
        // A new recording follows the data again.
        w.pods->clear();
        w.responses->clear();
        QVERIFY(!w.axis->end());
        QVERIFY(!w.axis->isZoomed());
    }

    void axisFollowsALongLiveRollout()
    {
        ChartsWindow w(QSize(1024, 700));
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 100'000;
        w.fill(
            {chartsVersion(QStringLiteral("a"), QStringLiteral("bebullish/demo:v1"), 0, true, 1)},
            4, 100, origin);
        QTRY_VERIFY(w.drawn());
        QVERIFY(w.axis->max() >= 100);
        QVERIFY(w.axis->max() <= 130);
        QVERIFY(isRoundStep(w.pods->xAxis()->tickInterval()));
        const int ticks = int((w.axis->max() - w.axis->min()) / w.pods->xAxis()->tickInterval());
        QVERIFY2(ticks >= 4 && ticks <= 8, qPrintable(QString::number(ticks)));
    }

    void zoomAndPanBothChartsTogether()
    {
        ChartsWindow w(QSize(1024, 700));
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 40'000;
        w.fill(
            {chartsVersion(QStringLiteral("a"), QStringLiteral("bebullish/demo:v1"), 0, false, 1),
             chartsVersion(QStringLiteral("b"), QStringLiteral("bebullish/demo:v2"), 1, true, 2)},
            4, 40, origin);
        w.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window.get()));
        QTRY_VERIFY(w.drawn());
        const double fittedMax = w.axis->max();
        QVERIFY(fittedMax >= 40);

        // Wheel up over the pods chart's plot: zoomed in around the cursor, on both charts.
        QSignalSpy changed(w.axis, &ChartTimeAxis::rangeChanged);
        const QPoint at = plotCentre(w.pods);
        const double atX =
            w.pods->chart()->mapToValue(w.pods->chart()->mapFromScene(w.pods->mapToScene(at))).x();
        QWheelEvent wheel(at, w.pods->viewport()->mapToGlobal(at), QPoint(), QPoint(0, 240),
                          Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(w.pods->viewport(), &wheel);
        QVERIFY(w.axis->isZoomed());
        QVERIFY(changed.size() >= 1);
        const double span = w.axis->max() - w.axis->min();
        QVERIFY(span < fittedMax * 0.8);
        QVERIFY(w.axis->min() < atX && atX < w.axis->max());
        QCOMPARE(w.responses->xAxis()->min(), w.axis->min());
        QCOMPARE(w.responses->xAxis()->max(), w.axis->max());
        QCOMPARE(w.pods->xAxis()->max(), w.axis->max());

        // Zoomed: the data growing no longer moves the range.
        const double zoomedMax = w.axis->max();
        w.axis->setReach(w.pods, 500);
        QCOMPARE(w.axis->max(), zoomedMax);

        // Drag to the left on the responses chart: later seconds.
        const QPoint from = plotCentre(w.responses);
        QTest::mousePress(w.responses->viewport(), Qt::LeftButton, Qt::NoModifier, from);
        QMouseEvent move(QEvent::MouseMove, from - QPoint(100, 0),
                         w.responses->viewport()->mapToGlobal(from - QPoint(100, 0)), Qt::NoButton,
                         Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w.responses->viewport(), &move);
        QTest::mouseRelease(w.responses->viewport(), Qt::LeftButton, Qt::NoModifier,
                            from - QPoint(100, 0));
        QVERIFY(w.axis->max() > zoomedMax);
        QVERIFY(qAbs((w.axis->max() - w.axis->min()) - span) < 1e-6);
        QCOMPARE(w.pods->xAxis()->min(), w.axis->min());

        // Double-click resets, and so does the slot.
        QTest::mouseDClick(w.pods->viewport(), Qt::LeftButton, Qt::NoModifier, plotCentre(w.pods));
        QVERIFY(!w.axis->isZoomed());
        QCOMPARE(w.axis->min(), 0.0);
        QVERIFY(w.axis->max() >= 500); // following the data again
        w.axis->zoom(0.5, 10);
        QVERIFY(w.axis->isZoomed());
        w.responses->resetZoom();
        QVERIFY(!w.axis->isZoomed());
        QCOMPARE(w.pods->xAxis()->min(), 0.0);
    }

    void roundYTicks()
    {
        ChartsWindow w(QSize(1024, 700));
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 10'000;
        const QList<rollout::VersionInfo> versions{
            chartsVersion(QStringLiteral("a"), QStringLiteral("bebullish/demo:v1"), 0, false, 1),
            chartsVersion(QStringLiteral("b"), QStringLiteral("bebullish/demo:v2"), 1, true, 2)};
        QStringList ids{QStringLiteral("a"), QStringLiteral("b")};
        w.pods->setOrigin(origin);
        w.pods->setVersions(versions);
        w.pods->appendSamples(chartsRollout(origin, ids, 2000, 10));
        w.responses->setOrigin(origin);
        w.responses->setVersions(versions);
        // About 27 answers a second (the 0/8/16/23/31 case).
        w.responses->appendBuckets(chartsTraffic(origin, ids, 10, 1));
        QList<probe::ProbeBucket> more =
            chartsTraffic(origin + 10'000, {QStringLiteral("a")}, 2, 1);
        for (probe::ProbeBucket &b : more)
            b.responsesByVersion[QStringLiteral("a")] = 3;
        w.responses->appendBuckets(more);
        w.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window.get()));
        QTRY_VERIFY(w.drawn());
        // Laid out: as many ticks as the plot's height takes.
        QTRY_COMPARE(w.pods->yAxis()->tickInterval(), 500.0);
        for (QValueAxis *y : {w.pods->yAxis(), w.responses->yAxis()}) {
            QCOMPARE(y->tickType(), QValueAxis::TicksDynamic);
            QCOMPARE(y->min(), 0.0);
            QVERIFY2(isRoundStep(y->tickInterval()),
                     qPrintable(QString::number(y->tickInterval())));
            const double intervals = y->max() / y->tickInterval();
            QCOMPARE(intervals, std::round(intervals));
            QVERIFY(intervals >= 3 && intervals <= 7);
        }
        QCOMPARE(w.pods->yAxis()->tickInterval(), 500.0);
        QCOMPARE(w.pods->yAxis()->max(), 3000.0);
        QVERIFY(w.responses->yAxis()->max() >= w.responses->data().peakRate());
        QCOMPARE(w.responses->yAxis()->labelFormat(), QStringLiteral("%.0f"));
    }

    // A y axis going from 0-4 by 1 to 0-7000 by 1000 (a 5,000-replica Deployment appears) and
    // back never passes through a state with thousands of ticks: Qt Charts builds a label for
    // each, 7,000 of them took 50 MB.
    void rangeAndStepNeverStormTicks()
    {
        QValueAxis axis;
        axis.setRange(0, 4);
        ChartTicks::applyTicks(&axis, 1);
        double worst = 0;
        const auto check = [&] {
            worst = std::max(worst, (axis.max() - axis.min()) / axis.tickInterval());
        };
        connect(&axis, &QValueAxis::rangeChanged, this, check);
        connect(&axis, &QValueAxis::tickIntervalChanged, this, check);

        ChartTicks::setRangeAndStep(&axis, 0, 7000, 1000);
        QCOMPARE(axis.max(), 7000.0);
        QCOMPARE(axis.tickInterval(), 1000.0);
        ChartTicks::setRangeAndStep(&axis, 0, 8, 2);
        QCOMPARE(axis.max(), 8.0);
        QCOMPARE(axis.tickInterval(), 2.0);
        ChartTicks::setRangeAndStep(&axis, 0, 3600, 600); // the time axis: 10 s to an hour
        ChartTicks::setRangeAndStep(&axis, 0, 10, 2);
        QCOMPARE(axis.max(), 10.0);
        QVERIFY2(worst <= 7000.0 / 1000.0 + 1e-9, qPrintable(QString::number(worst)));
    }

    void imageKeepsItsColourAcrossRecordings()
    {
        PodsChart chart;
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 5000;
        // First recording: v1 (old) → v2 (new).
        const QString v1 = QStringLiteral("registry.test/colours:v1");
        const QString v2 = QStringLiteral("registry.test/colours:v2");
        QList<rollout::VersionInfo> first{chartsVersion(QStringLiteral("h1"), v1, 0, false, 1),
                                          chartsVersion(QStringLiteral("h2"), v2, 1, true, 2)};
        chart.setOrigin(origin);
        chart.setVersions(first);
        chart.appendSamples(
            chartsRollout(origin, {QStringLiteral("h1"), QStringLiteral("h2")}, 2, 3));
        QTRY_VERIFY(chart.series(QStringLiteral("h2/ready")));
        const QColor v1Colour = chart.series(QStringLiteral("h1/ready"))->pen().color();
        const QColor v2Colour = chart.series(QStringLiteral("h2/ready"))->pen().color();
        QVERIFY(v1Colour != v2Colour);
        QCOMPARE(v1Colour, Theme::colorForImage(v1, chart.palette()));

        // The next recording rolls back to v1, which is now the new version with another index.
        chart.clear();
        QList<rollout::VersionInfo> second{chartsVersion(QStringLiteral("h2"), v2, 0, false, 2),
                                           chartsVersion(QStringLiteral("h1"), v1, 1, true, 3)};
        chart.setOrigin(origin + 1000);
        chart.setVersions(second);
        chart.appendSamples(
            chartsRollout(origin + 1000, {QStringLiteral("h2"), QStringLiteral("h1")}, 2, 3));
        QTRY_VERIFY(chart.series(QStringLiteral("h1/ready")));
        QCOMPARE(chart.series(QStringLiteral("h1/ready"))->pen().color(), v1Colour);
        QCOMPARE(chart.series(QStringLiteral("h2/ready"))->pen().color(), v2Colour);

        // Light and dark variants differ, each readable on its background.
        const QColor onDark = Theme::colorForImage(v1, Theme::darkPalette());
        QVERIFY(onDark != Theme::colorForImage(v1, QPalette(Qt::white)));
        QVERIFY(onDark.lightness() > Theme::darkPalette().color(QPalette::Base).lightness() + 60);
        // A restart (the same image twice): the newer revision gets a colour of its own.
        rollout::VersionInfo restarted = chartsVersion(QStringLiteral("h3"), v1, 2, true, 4);
        restarted.label = v1 + QStringLiteral(" (rev 4)");
        const QList<rollout::VersionInfo> withRestart{second.at(1), restarted};
        QCOMPARE(Theme::colorKey(second.at(1), withRestart), v1);
        QVERIFY(Theme::colorForVersion(restarted, withRestart) !=
                Theme::colorForVersion(second.at(1), withRestart));
    }

    // A line with far more points than the plot has pixel columns is drawn from at most four
    // points a column: each column's first, lowest, highest and last point, in order; of what
    // lies outside the range only the neighbour of each end.
    void decimationKeepsWhatAColumnShows()
    {
        QList<QPointF> points;
        for (int i = 0; i < 10'000; ++i)
            points << QPointF(i / 10.0, (i % 7) * (i % 2 ? 1 : -1));
        const QList<QPointF> shown = decimateForDrawing(points, 100, 900, 200);
        QVERIFY2(shown.size() <= 4 * 200 + 2, qPrintable(QString::number(shown.size())));
        QCOMPARE(shown.first(), points.at(999)); // the last point before the range
        QCOMPARE(shown.last(), points.at(9001)); // the first point after it
        for (qsizetype i = 1; i < shown.size(); ++i)
            QVERIFY(shown.at(i).x() >= shown.at(i - 1).x());
        // Every column keeps the extremes of its points: here -6 and 6 in each.
        const double width = 800.0 / 200;
        for (int column = 0; column < 200; ++column) {
            double low = 0;
            double high = 0;
            for (const QPointF &p : shown) {
                if (p.x() >= 100 + column * width && p.x() < 100 + (column + 1) * width) {
                    low = std::min(low, p.y());
                    high = std::max(high, p.y());
                }
            }
            QCOMPARE(low, -6.0);
            QCOMPARE(high, 6.0);
        }
        // A short line comes back as it is.
        const QList<QPointF> few = {QPointF(0, 1), QPointF(1, 2), QPointF(1, 3)};
        QCOMPARE(decimateForDrawing(few, 0, 1, 100), few);
    }

    // An hour at 10 Hz whose counts change at every sample: the pods chart keeps every change in
    // its data but draws a few points per pixel column, ending exactly at the last value; the
    // responses chart draws bins together into steps of a column or more, at the same rates.
    void hourAtTenHertzIsDrawnAtThePlotsResolution()
    {
        ChartsWindow w(QSize(1200, 420));
        w.window->show();
        QVERIFY(QTest::qWaitForWindowExposed(w.window.get()));
        const qint64 origin = QDateTime::currentMSecsSinceEpoch() - 3'600'000;
        const QList<rollout::VersionInfo> versions = {
            chartsVersion(QStringLiteral("a"), QStringLiteral("demo:v1"), 0, false, 1),
            chartsVersion(QStringLiteral("b"), QStringLiteral("demo:v2"), 1, true, 2)};
        QList<rollout::PodCountSample> samples;
        for (int i = 0; i < 36'000; ++i) {
            rollout::PodCountSample s;
            s.timeMs = origin + qint64(i) * 100;
            s.maxTotal = 125;
            s.minAvailable = 75;
            const int moved = 100 * i / 36'000;
            s.versions << rollout::VersionPods{QStringLiteral("a"), 100 - moved + i % 2,
                                               100 - moved, 100 - moved, 0}
                       << rollout::VersionPods{QStringLiteral("b"), moved + i % 2, moved, moved, 0};
            samples << s;
        }
        w.pods->setOrigin(origin);
        w.pods->setVersions(versions);
        w.pods->setLive(false);
        w.pods->appendSamples(samples);
        w.responses->setOrigin(origin);
        w.responses->setVersions(versions);
        w.responses->appendBuckets(chartsTraffic(origin, {QStringLiteral("a")}, 3600, 2));
        w.pods->redrawNow();
        w.responses->redrawNow();
        QVERIFY(w.pods->data().pointCount() > 70'000);
        const int columns = int(w.pods->chart()->plotArea().width());
        QLineSeries *total = w.pods->series(QStringLiteral("b/total"));
        QVERIFY(total);
        QVERIFY2(total->count() <= 4 * columns + 2, qPrintable(QString::number(total->count())));
        QCOMPARE(total->at(total->count() - 1).y(), double(samples.last().versions.at(1).total));
        QAreaSeries *band = w.responses->band(QStringLiteral("a"));
        QVERIFY(band);
        const int plot = int(w.responses->chart()->plotArea().width());
        QVERIFY2(band->upperSeries()->count() <= 2 * plot + 2,
                 qPrintable(QString::number(band->upperSeries()->count())));
        // 2 answers a bucket, 10 buckets a second: 20/s, whatever the steps drawn.
        for (const QPointF &p : band->upperSeries()->points())
            QCOMPARE(p.y(), 20.0);
    }

    // The PNG export renders hidden charts at a size they never had on screen: their legends
    // come along, under the plots.
    void exportImageHasLegends()
    {
        const Result<timeline::Timeline> loaded = timeline::TimelineLoader::load(
            QStringLiteral(QT_TESTCASE_SOURCEDIR "/../data/timeline/demo.json"));
        QVERIFY(loaded.ok());
        QObject context;
        QImage image;
        TimelineImage::render(
            *loaded, &context, [&image](const QImage &i) { image = i; }, QSize(1600, 600));
        QTRY_VERIFY(!image.isNull());
        const QString dir = qEnvironmentVariable("ROLLSCOPE_SCREENSHOT_DIR");
        if (!dir.isEmpty())
            image.save(dir + QStringLiteral("/charts-export.png"));
        // Text in the bottom strip of each half, where the legends are.
        for (const int left : {0, 800}) {
            QHash<QRgb, int> colours;
            for (int y = 560; y < 596; ++y) {
                for (int x = left + 10; x < left + 790; ++x)
                    ++colours[image.pixel(x, y)];
            }
            QVERIFY2(colours.size() > 20, qPrintable(QString::number(colours.size())));
        }
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestCharts)
#include "tst_charts.moc"
