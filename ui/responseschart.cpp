#include "responseschart.h"

#include "theme.h"

#include <QAreaSeries>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

namespace rollscope {

ResponsesChart::ResponsesChart(QWidget *parent)
    : QChartView(parent)
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this))
{
    setObjectName(QStringLiteral("responsesChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto *c = chart();
    c->setTitle(tr("Responses per version"));
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    m_x->setTitleText(tr("seconds since the change"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setRange(0, m_range);
    m_y->setTitleText(tr("answers / s"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 10);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);

    m_failures = new QLineSeries(this);
    m_failures->setName(tr("failed / s"));
    c->addSeries(m_failures);
    m_failures->attachAxis(m_x);
    m_failures->attachAxis(m_y);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(40);
    connect(&m_redrawTimer, &QTimer::timeout, this, &ResponsesChart::redraw);
    applyTheme();
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
    scheduleRedraw();
}

void ResponsesChart::setTimeRange(double seconds)
{
    if (qFuzzyCompare(seconds, m_range))
        return;
    m_range = seconds;
    m_x->setRange(0, m_range);
}

double ResponsesChart::dataSpan() const
{
    return double(m_data.lastBucketMs() - m_data.originMs()) / 1000.0;
}

void ResponsesChart::scheduleRedraw()
{
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
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
            return Theme::versionColor(v.colorIndex, v.isNew, palette());
    }
    return Theme::color(Theme::Role::Muted, palette());
}

void ResponsesChart::redraw()
{
    ++m_redraws;
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
        }
        band->setName(labelOf(id));
        QColor fill = colorOf(id);
        QColor edge = fill;
        fill.setAlpha(150);
        band->setBrush(fill);
        band->setPen(QPen(edge, 1.2));
        band->upperSeries()->replace(m_data.upper(i));
        band->lowerSeries()->replace(m_data.lower(i));
    }
    m_failures->setPen(QPen(Theme::color(Theme::Role::Error, palette()), 2.4));
    m_failures->replace(m_data.failures());
    const double top = qMax(5.0, m_data.peakRate() * 1.15);
    if (!qFuzzyCompare(m_y->max(), top))
        m_y->setRange(0, top);
    emit dataSpanChanged(dataSpan());
}

void ResponsesChart::applyTheme()
{
    Theme::applyToChart(chart(), {m_x, m_y}, palette());
    scheduleRedraw();
}

void ResponsesChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QChartView::changeEvent(event);
}

} // namespace rollscope
