// SPDX-License-Identifier: MIT
#include "responseschart.h"

#include "chartlegend.h"
#include "charttimeaxis.h"
#include "theme.h"

#include <QAreaSeries>
#include <QEvent>
#include <QLegend>
#include <QLineSeries>
#include <QValueAxis>

#include <cmath>

namespace rollscope {

namespace {
constexpr int kResponsesChartMargin = 4;
} // namespace

ResponsesChart::ResponsesChart(QWidget *parent)
    : QChartView(parent)
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this))
    , m_ownAxis(new ChartTimeAxis(this))
    , m_axis(m_ownAxis)
    , m_legend(new ChartLegend(this))
{
    setObjectName(QStringLiteral("responsesChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto *c = chart();
    c->setTitle(tr("Responses per version"));
    // The legend is a widget of ours under the plot: the chart's own elides its labels.
    c->legend()->hide();
    c->setMargins(QMargins(kResponsesChartMargin, kResponsesChartMargin, kResponsesChartMargin,
                           kResponsesChartMargin));
    m_x->setTitleText(tr("seconds since the change"));
    m_y->setTitleText(tr("answers / s"));
    m_y->setRange(0, 10);
    ChartTicks::applyTicks(m_y, 2);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);

    m_failures = new QLineSeries(this);
    m_failures->setName(tr("failed / s"));
    c->addSeries(m_failures);
    m_failures->attachAxis(m_x);
    m_failures->attachAxis(m_y);

    connect(m_legend, &ChartLegend::heightChanged, this, &ResponsesChart::layoutLegend);
    connect(c, &QChart::plotAreaChanged, this, &ResponsesChart::onPlotAreaChanged);
    m_axis->attach(this);
    connect(m_axis, &ChartTimeAxis::rangeChanged, this, &ResponsesChart::applyTimeRange);
    applyTimeRange();

    applyTheme();
}

ResponsesChart::~ResponsesChart()
{
    // A shared axis that outlives the chart must not call back into a half-destroyed one.
    if (m_axis) {
        m_axis->detach(this);
        disconnect(m_axis, nullptr, this, nullptr);
    }
    disconnect(chart(), nullptr, this, nullptr);
    disconnect(m_legend, nullptr, this, nullptr);
}

void ResponsesChart::setOrigin(qint64 originMs)
{
    m_data.setOrigin(originMs);
    scheduleRedraw();
}

void ResponsesChart::clear()
{
    m_data.clear();
    // The last recording's bands go with it: a version that does not answer in this one must
    // not keep its old area on screen.
    for (QAreaSeries *band : std::as_const(m_bands)) {
        chart()->removeSeries(band);
        delete band;
    }
    m_bands.clear();
    m_failures->clear();
    m_axis->restart();
    scheduleRedraw();
    emit totalsChanged();
}

void ResponsesChart::setVersions(const QList<rollout::VersionInfo> &versions)
{
    m_versions = versions;
    QList<rollout::VersionInfo> ordered = versions;
    std::sort(ordered.begin(), ordered.end(),
              [](const auto &a, const auto &b) { return a.colorIndex < b.colorIndex; });
    QStringList order;
    for (const auto &v : ordered)
        order << v.id;
    m_data.setVersionOrder(order);
    scheduleRedraw();
}

void ResponsesChart::appendBuckets(const QList<probe::ProbeBucket> &buckets)
{
    if (buckets.isEmpty())
        return;
    m_data.append(buckets);
    scheduleRedraw();
    emit totalsChanged();
}

void ResponsesChart::setEndMs(std::optional<qint64> endMs)
{
    m_data.setEndMs(endMs);
    if (endMs && m_data.originMs() > 0)
        m_axis->setEnd(double(*endMs - m_data.originMs()) / 1000.0);
    else if (!endMs)
        m_axis->setEnd(std::nullopt);
    scheduleRedraw();
}

void ResponsesChart::setTimeRange(double seconds)
{
    m_axis->setFixedSpan(seconds);
}

void ResponsesChart::setTimeAxis(ChartTimeAxis *axis)
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
    connect(m_axis, &ChartTimeAxis::rangeChanged, this, &ResponsesChart::applyTimeRange);
    m_axis->setReach(this, dataSpan());
    applyTimeRange();
}

void ResponsesChart::resetZoom()
{
    m_axis->resetZoom();
}

double ResponsesChart::dataSpan() const
{
    if (m_data.lastBucketMs() <= 0)
        return 0; // nothing recorded yet
    return std::max(0.0, double(m_data.lastBucketMs() - m_data.originMs()) / 1000.0);
}

void ResponsesChart::redrawNow()
{
    redraw();
}

void ResponsesChart::scheduleRedraw()
{
    m_redrawThrottle.request();
}

QString ResponsesChart::labelOf(const QString &versionId) const
{
    for (const auto &v : m_versions) {
        if (v.id == versionId)
            return v.label;
    }
    return versionId == QLatin1StringView(probe::kUnknownVersion) ? tr("unattributed") : versionId;
}

QColor ResponsesChart::colorOf(const QString &versionId) const
{
    for (const auto &v : m_versions) {
        if (v.id == versionId)
            return Theme::colorForVersion(v, m_versions, palette());
    }
    return Theme::color(Theme::Role::Muted, palette());
}

void ResponsesChart::redraw()
{
    ++m_redraws;
    // The x range first: bins narrower than a pixel column of it are drawn together.
    m_axis->setReach(this, dataSpan());
    const double columns = chart()->plotArea().width() >= 1 ? chart()->plotArea().width() : 1000.0;
    const auto minStepMs = qint64((m_axis->max() - m_axis->min()) * 1000.0 / columns);
    const QStringList versions = m_data.versions();
    for (auto it = m_bands.begin(); it != m_bands.end();) {
        if (versions.contains(it.key())) {
            ++it;
            continue;
        }
        chart()->removeSeries(it.value());
        delete it.value();
        it = m_bands.erase(it);
    }
    bool added = false;
    for (int i = 0; i < versions.size(); ++i) {
        const QString &id = versions.at(i);
        QAreaSeries *band = m_bands.value(id);
        if (!band) {
            band = new QAreaSeries(new QLineSeries(this), new QLineSeries(this));
            // The band owns its edges, so removing a band frees them too.
            band->upperSeries()->setParent(band);
            band->lowerSeries()->setParent(band);
            chart()->addSeries(band);
            band->attachAxis(m_x);
            band->attachAxis(m_y);
            m_bands.insert(id, band);
            added = true;
        }
        band->setName(labelOf(id));
        QColor fill = colorOf(id);
        QColor edge = fill;
        fill.setAlpha(150);
        band->setBrush(fill);
        // One pixel: Qt's raster engine draws a pen up to 1 px wide with its fast line stroker,
        // a wider one through the general path stroker (two thirds of a frame of an hour's
        // data went to it at 1.2 px, which looked the same).
        band->setPen(QPen(edge, 1.0));
        band->upperSeries()->replace(m_data.upper(i, minStepMs));
        band->lowerSeries()->replace(m_data.lower(i, minStepMs));
    }
    // Failures on top of the bands: Qt Charts draws series in the order added.
    if (added) {
        chart()->removeSeries(m_failures);
        chart()->addSeries(m_failures);
        m_failures->attachAxis(m_x);
        m_failures->attachAxis(m_y);
    }
    m_failures->setPen(QPen(Theme::color(Theme::Role::Error, palette()), 2.4));
    m_failures->replace(m_data.failures(minStepMs));
    // Round ticks: 0, 10, 20, … rather than 0, 8, 16, 23. The highest rate of any bin, drawn
    // apart or not: the axis stays when zooming.
    const double top = qMax(5.0, m_data.peakRate() * 1.1);
    const double step = ChartTicks::niceStep(top, m_yTicks);
    const double yMax = std::ceil(top / step - 1e-9) * step;
    ChartTicks::setRangeAndStep(m_y, 0, yMax, step);
    updateLegend();
    m_drawnStepMs = minStepMs;
    // Drawn for the range as it is now (setReach() above may have asked for this redraw again).
    m_redrawThrottle.ran();
    emit dataSpanChanged(dataSpan());
}

void ResponsesChart::updateLegend()
{
    const QPalette pal = palette();
    const QHash<QString, QString> texts = ChartLegend::versionTexts(m_versions);
    QList<ChartLegend::Entry> entries;
    const QStringList versions = m_data.versions();
    for (const QString &id : versions) {
        ChartLegend::Entry e;
        e.key = id;
        e.swatch = ChartLegend::Swatch::Band;
        e.color = colorOf(id);
        e.text = texts.value(id, labelOf(id));
        e.toolTip = tr("Answers per second from %1").arg(labelOf(id));
        for (const rollout::VersionInfo &v : std::as_const(m_versions)) {
            if (v.id == id) {
                e.toolTip = ChartLegend::versionToolTip(v);
                e.bold = v.isNew;
            }
        }
        entries << e;
    }
    entries << ChartLegend::Entry{QStringLiteral("failures"),
                                  tr("failed / s"),
                                  tr("Requests per second that failed (errors, timeouts)"),
                                  Theme::color(Theme::Role::Error, pal),
                                  ChartLegend::Swatch::Line,
                                  Qt::SolidLine,
                                  false};
    m_legend->setEntries(entries);
}

void ResponsesChart::applyTimeRange()
{
    // (From 10 s to an hour with the old 1-s step, Qt Charts built and destroyed 3,600 ticks.)
    ChartTicks::setRangeAndStep(m_x, m_axis->min(), m_axis->max(), m_axis->tickInterval());
    // Bins drawn together for one range are drawn apart again when zoomed in (and the other way).
    const double columns = chart()->plotArea().width() >= 1 ? chart()->plotArea().width() : 1000.0;
    const qint64 stepMs = qint64((m_axis->max() - m_axis->min()) * 1000.0 / columns);
    if ((stepMs + m_data.binMs() - 1) / m_data.binMs() !=
        (m_drawnStepMs + m_data.binMs() - 1) / m_data.binMs())
        scheduleRedraw();
}

void ResponsesChart::layoutLegend()
{
    m_legend->placeIn(this, kResponsesChartMargin);
}

void ResponsesChart::onPlotAreaChanged()
{
    const int ticks = ChartTicks::maxTicksFor(chart()->plotArea().height());
    if (ticks != m_yTicks) {
        m_yTicks = ticks;
        scheduleRedraw();
    }
}

void ResponsesChart::resizeEvent(QResizeEvent *event)
{
    QChartView::resizeEvent(event);
    // A short chart keeps its height for the plot: "seconds since the change" is implied.
    m_x->setTitleVisible(height() >= 320);
    layoutLegend();
}

void ResponsesChart::applyTheme()
{
    Theme::applyToChart(chart(), {m_x, m_y}, palette());
    scheduleRedraw();
}

void ResponsesChart::changeEvent(QEvent *event)
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
