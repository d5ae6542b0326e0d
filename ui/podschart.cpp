// SPDX-License-Identifier: MIT
#include "podschart.h"

#include "chartlegend.h"
#include "charttimeaxis.h"
#include "theme.h"

#include <QDateTime>
#include <QEvent>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace rollscope {

namespace {
const QString kMaxTotal = QStringLiteral("maxTotal");
const QString kMinAvailable = QStringLiteral("minAvailable");
constexpr int kPodsChartMargin = 4;
} // namespace

PodsChart::PodsChart(QWidget *parent)
    : QChartView(parent)
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this))
    , m_ownAxis(new ChartTimeAxis(this))
    , m_axis(m_ownAxis)
    , m_legend(new ChartLegend(this))
{
    setObjectName(QStringLiteral("podsChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto *c = chart();
    c->setTitle(tr("Pods per version"));
    // The legend is a widget of ours under the plot: the chart's own elides its labels.
    c->legend()->hide();
    c->setMargins(QMargins(kPodsChartMargin, kPodsChartMargin, kPodsChartMargin, kPodsChartMargin));
    m_x->setTitleText(tr("seconds since the change"));
    m_y->setTitleText(tr("pods"));
    m_y->setRange(0, 4);
    ChartTicks::applyTicks(m_y, 1);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);

    m_maxLabel = new QGraphicsSimpleTextItem(c);
    m_minLabel = new QGraphicsSimpleTextItem(c);
    for (QGraphicsSimpleTextItem *label : {m_maxLabel, m_minLabel}) {
        label->setZValue(1000); // over the series
        label->hide();
    }
    m_maxLabel->setToolTip(tr("At most this many pods: replicas + maxSurge"));
    m_minLabel->setToolTip(tr("At least this many available pods: replicas − maxUnavailable"));
    connect(c, &QChart::plotAreaChanged, this, &PodsChart::placeGuaranteeLabels);
    connect(c, &QChart::plotAreaChanged, this, &PodsChart::onPlotAreaChanged);

    connect(m_legend, &ChartLegend::heightChanged, this, &PodsChart::layoutLegend);
    m_axis->attach(this);
    connect(m_axis, &ChartTimeAxis::rangeChanged, this, &PodsChart::applyTimeRange);
    applyTimeRange();

    // While recording, the last value extends to now even without new samples.
    m_liveTimer.setInterval(1000);
    connect(&m_liveTimer, &QTimer::timeout, this, &PodsChart::scheduleRedraw);
    m_liveTimer.start();
    applyTheme();
}

PodsChart::~PodsChart()
{
    // A shared axis that outlives the chart must not call back into a half-destroyed one.
    if (m_axis) {
        m_axis->detach(this);
        disconnect(m_axis, nullptr, this, nullptr);
    }
    disconnect(chart(), nullptr, this, nullptr);
    disconnect(m_legend, nullptr, this, nullptr);
}

void PodsChart::setOrigin(qint64 originMs)
{
    m_data.setOrigin(originMs);
    scheduleRedraw();
}

void PodsChart::clear()
{
    m_data.clear();
    // A new recording starts without the last one's lines and legend entries: its versions
    // (and their "(rev N)" labels) come back only if they have pods in this one.
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (it.key() == kMaxTotal || it.key() == kMinAvailable) {
            it.value()->clear();
            ++it;
            continue;
        }
        chart()->removeSeries(it.value());
        delete it.value();
        it = m_series.erase(it);
    }
    m_axis->restart();
    scheduleRedraw();
}

void PodsChart::setLive(bool live)
{
    m_live = live;
    if (live)
        m_liveTimer.start();
    else
        m_liveTimer.stop();
    m_axis->setLive(live);
    scheduleRedraw();
}

void PodsChart::setTimeRange(double seconds)
{
    m_axis->setFixedSpan(seconds);
}

void PodsChart::setTimeAxis(ChartTimeAxis *axis)
{
    if (!axis)
        axis = m_ownAxis;
    if (axis == m_axis)
        return;
    if (m_axis) {
        m_axis->detach(this);
        disconnect(m_axis, nullptr, this, nullptr);
    }
    m_axis = axis;
    if (axis != m_ownAxis) {
        connect(axis, &QObject::destroyed, this, [this] {
            m_axis = m_ownAxis;
            m_ownAxis->attach(this);
            applyTimeRange();
        });
    }
    m_axis->attach(this);
    m_axis->setLive(m_live);
    connect(m_axis, &ChartTimeAxis::rangeChanged, this, &PodsChart::applyTimeRange);
    m_axis->setReach(this, dataSpan());
    applyTimeRange();
}

void PodsChart::resetZoom()
{
    m_axis->resetZoom();
}

double PodsChart::dataSpan() const
{
    if (m_data.originMs() <= 0 && m_data.lastSampleMs() <= 0)
        return 0; // nothing recorded yet
    return std::max(0.0, double(untilMs() - m_data.originMs()) / 1000.0);
}

qint64 PodsChart::untilMs() const
{
    return m_live ? qMax(QDateTime::currentMSecsSinceEpoch(), m_data.lastSampleMs())
                  : m_data.lastSampleMs();
}

void PodsChart::setVersions(const QList<rollout::VersionInfo> &versions)
{
    m_versions = versions;
    scheduleRedraw();
}

void PodsChart::appendSamples(const QList<rollout::PodCountSample> &samples)
{
    if (samples.isEmpty())
        return;
    m_data.append(samples);
    scheduleRedraw();
}

void PodsChart::redrawNow()
{
    redraw();
}

void PodsChart::scheduleRedraw()
{
    m_redrawThrottle.request();
}

QLineSeries *PodsChart::ensureSeries(const QString &name, bool *created)
{
    QLineSeries *s = m_series.value(name);
    if (created)
        *created = !s;
    if (!s) {
        s = new QLineSeries(this);
        s->setName(name);
        chart()->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        m_series.insert(name, s);
    }
    return s;
}

void PodsChart::redraw()
{
    ++m_redraws;
    const qint64 until = untilMs();
    // The x range first: the lines are thinned to what its pixel columns can show.
    m_axis->setReach(this, dataSpan());
    const double xMin = m_axis->min();
    const double xMax = m_axis->max();
    const int columns = chart()->plotArea().width() >= 1 ? int(chart()->plotArea().width()) : 1000;
    bool decimated = false;
    const auto drawable = [&](const QList<QPointF> &points) {
        QList<QPointF> shown = decimateForDrawing(points, xMin, xMax, columns);
        decimated = decimated || shown.size() < points.size();
        return shown;
    };
    const QPalette pal = palette();
    const QStringList drawn = m_data.versionIds();
    bool added = false;
    for (const rollout::VersionInfo &v : std::as_const(m_versions)) {
        if (!drawn.contains(v.id))
            continue;
        const QColor color = Theme::colorForVersion(v, m_versions, pal);
        bool created = false;
        QLineSeries *ready = ensureSeries(v.id + QStringLiteral("/ready"), &created);
        added = added || created;
        ready->setName(tr("%1 ready").arg(v.label));
        ready->setPen(QPen(color, 2.6));
        ready->replace(drawable(m_data.ready(v.id, until)));
        QLineSeries *total = ensureSeries(v.id + QStringLiteral("/total"), &created);
        added = added || created;
        total->setName(tr("%1 all").arg(v.label));
        total->setPen(QPen(color, 1.4, Qt::DashLine));
        total->replace(drawable(m_data.total(v.id, until)));
    }
    // The guarantees on top of the versions' lines: Qt Charts draws series in the order added.
    bool createdMax = false;
    bool createdMin = false;
    QLineSeries *maxTotal = ensureSeries(kMaxTotal, &createdMax);
    QLineSeries *minAvailable = ensureSeries(kMinAvailable, &createdMin);
    if (added && !createdMax && !createdMin) {
        for (QLineSeries *s : {maxTotal, minAvailable}) {
            chart()->removeSeries(s);
            chart()->addSeries(s);
            s->attachAxis(m_x);
            s->attachAxis(m_y);
        }
    }
    maxTotal->setName(tr("at most (replicas + maxSurge)"));
    maxTotal->setPen(QPen(Theme::color(Theme::Role::Guarantee, pal), 1.8, Qt::DashDotLine));
    maxTotal->replace(drawable(m_data.maxTotal(until)));
    minAvailable->setName(tr("at least available (replicas − maxUnavailable)"));
    minAvailable->setPen(QPen(Theme::color(Theme::Role::Warning, pal), 2.0, Qt::DotLine));
    minAvailable->replace(drawable(m_data.minAvailable(until)));

    // Whole pods in round steps: 0, 500, …, 3000 for 2000 replicas with 25 % surge.
    const double top = qMax(2, m_data.peak() + 1);
    const double step = ChartTicks::niceIntegerStep(top, m_yTicks);
    const double yMax = std::ceil(top / step) * step;
    ChartTicks::setRangeAndStep(m_y, 0, yMax, step);
    updateLegend();
    placeGuaranteeLabels();
    m_decimated = decimated;
    // Drawn for the range as it is now (setReach() above may have asked for this redraw again).
    m_redrawThrottle.ran();
    emit dataSpanChanged(dataSpan());
}

void PodsChart::updateLegend()
{
    const QPalette pal = palette();
    const QStringList drawn = m_data.versionIds();
    const QHash<QString, QString> texts = ChartLegend::versionTexts(m_versions);
    QList<ChartLegend::Entry> entries;
    for (const rollout::VersionInfo &v : std::as_const(m_versions)) {
        if (!drawn.contains(v.id))
            continue;
        ChartLegend::Entry e;
        e.key = v.id;
        e.text = texts.value(v.id);
        e.toolTip = ChartLegend::versionToolTip(v);
        e.color = Theme::colorForVersion(v, m_versions, pal);
        e.swatch = ChartLegend::Swatch::ReadyPair;
        e.bold = v.isNew;
        entries << e;
    }
    const QColor muted = Theme::color(Theme::Role::Muted, pal);
    if (!entries.isEmpty()) {
        // What the two lines of each version mean, in one entry.
        entries << ChartLegend::Entry{
            QStringLiteral("key/lines"),
            tr("solid: ready · dashed: all"),
            tr("Solid lines: the version's ready pods.\nDashed lines: all pods of the version, "
               "ready or not (terminating pods not counted)."),
            muted,
            ChartLegend::Swatch::ReadyPair,
            Qt::SolidLine,
            false};
    }
    const QList<QPointF> maxPoints =
        m_series.value(kMaxTotal) ? m_series.value(kMaxTotal)->points() : QList<QPointF>();
    if (!maxPoints.isEmpty() && maxPoints.last().y() > 0) {
        const QList<QPointF> minPoints = m_series.value(kMinAvailable)->points();
        entries << ChartLegend::Entry{
            kMaxTotal,
            tr("≤ %1 pods (maxSurge)").arg(qRound(maxPoints.last().y())),
            tr("The strategy allows at most this many pods of all versions together"),
            Theme::color(Theme::Role::Guarantee, pal),
            ChartLegend::Swatch::Line,
            Qt::DashDotLine,
            false};
        if (!minPoints.isEmpty())
            entries << ChartLegend::Entry{
                kMinAvailable,
                tr("≥ %1 available (maxUnavailable)").arg(qRound(minPoints.last().y())),
                tr("The strategy keeps at least this many pods available"),
                Theme::color(Theme::Role::Warning, pal),
                ChartLegend::Swatch::Line,
                Qt::DotLine,
                false};
    }
    m_legend->setEntries(entries);
}

QGraphicsSimpleTextItem *PodsChart::guaranteeLabel(const QString &name) const
{
    if (name == kMaxTotal)
        return m_maxLabel;
    if (name == kMinAvailable)
        return m_minLabel;
    return nullptr;
}

void PodsChart::placeGuaranteeLabels()
{
    const QRectF plot = chart()->plotArea();
    const auto place = [this, &plot](QGraphicsSimpleTextItem *label, QLineSeries *series,
                                     const QString &format, bool above) {
        const QList<QPointF> points = series ? series->points() : QList<QPointF>();
        if (points.isEmpty() || points.last().y() <= 0 || plot.isEmpty() ||
            points.last().x() < m_x->min() || points.first().x() > m_x->max()) {
            label->hide();
            return;
        }
        // At the line's right end, or the axis' if the line runs on past it.
        const double x = qMin(points.last().x(), m_x->max());
        double y = points.last().y();
        for (const QPointF &p : points) {
            if (p.x() <= x)
                y = p.y();
        }
        label->setText(format.arg(qRound(y)));
        const QPointF at = chart()->mapToPosition(QPointF(x, y), series);
        const QRectF box = label->boundingRect();
        double top = above ? at.y() - box.height() - 1 : at.y() + 2;
        if (top + box.height() > plot.bottom())
            top = at.y() - box.height() - 1;
        if (top < plot.top())
            top = at.y() + 2;
        label->setPos(qMax(plot.left() + 2, at.x() - box.width() - 4), top);
        label->show();
    };
    place(m_maxLabel, m_series.value(kMaxTotal), tr("≤ %1"), true);
    place(m_minLabel, m_series.value(kMinAvailable), tr("≥ %1"), false);
}

void PodsChart::applyTimeRange()
{
    // (From 10 s to an hour with the old 1-s step, Qt Charts built and destroyed 3,600 ticks.)
    ChartTicks::setRangeAndStep(m_x, m_axis->min(), m_axis->max(), m_axis->tickInterval());
    placeGuaranteeLabels();
    // Thinned lines are thinned for a range: zoomed or panned, they are thinned again.
    if (m_decimated)
        scheduleRedraw();
}

void PodsChart::layoutLegend()
{
    m_legend->placeIn(this, kPodsChartMargin);
}

void PodsChart::onPlotAreaChanged()
{
    const int ticks = ChartTicks::maxTicksFor(chart()->plotArea().height());
    if (ticks != m_yTicks) {
        m_yTicks = ticks;
        scheduleRedraw();
    }
}

void PodsChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    // A short chart keeps its height for the plot: "seconds since the change" is implied.
    m_x->setTitleVisible(height() >= 320);
    layoutLegend();
}

void PodsChart::applyTheme()
{
    const QPalette pal = palette();
    Theme::applyToChart(chart(), {m_x, m_y}, pal);
    QFont font = this->font();
    font.setBold(true);
    m_maxLabel->setFont(font);
    m_minLabel->setFont(font);
    m_maxLabel->setBrush(Theme::color(Theme::Role::Guarantee, pal));
    m_minLabel->setBrush(Theme::color(Theme::Role::Warning, pal));
    scheduleRedraw();
}

void PodsChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange) {
        applyTheme();
        // The chart theme just recoloured every series: give them their version colours now,
        // not one redraw interval later (a grab or a paint in between shows the theme's).
        redraw();
    }
    QChartView::changeEvent(event);
}

} // namespace rollscope
