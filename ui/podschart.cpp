#include "podschart.h"

#include "theme.h"

#include <QDateTime>
#include <QEvent>
#include <QLegendMarker>
#include <QLineSeries>
#include <QValueAxis>

namespace rollscope {

namespace {
const QString kMaxTotal = QStringLiteral("maxTotal");
const QString kMinAvailable = QStringLiteral("minAvailable");
} // namespace

PodsChart::PodsChart(QWidget *parent)
    : QChartView(parent)
    , m_x(new QValueAxis(this))
    , m_y(new QValueAxis(this))
{
    setObjectName(QStringLiteral("podsChart"));
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    auto *c = chart();
    c->setTitle(tr("Pods per version"));
    c->legend()->setAlignment(Qt::AlignBottom);
    c->setMargins(QMargins(4, 4, 4, 4));
    m_x->setTitleText(tr("seconds since the change"));
    m_x->setLabelFormat(QStringLiteral("%.0f"));
    m_x->setRange(0, m_range);
    m_y->setTitleText(tr("pods"));
    m_y->setLabelFormat(QStringLiteral("%.0f"));
    m_y->setRange(0, 4);
    c->addAxis(m_x, Qt::AlignBottom);
    c->addAxis(m_y, Qt::AlignLeft);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(40);
    connect(&m_redrawTimer, &QTimer::timeout, this, &PodsChart::redraw);
    // While recording, the last value extends to now even without new samples.
    m_liveTimer.setInterval(1000);
    connect(&m_liveTimer, &QTimer::timeout, this, &PodsChart::scheduleRedraw);
    m_liveTimer.start();
    applyTheme();
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
    scheduleRedraw();
}

void PodsChart::setLive(bool live)
{
    m_live = live;
    if (live)
        m_liveTimer.start();
    else
        m_liveTimer.stop();
    scheduleRedraw();
}

void PodsChart::setTimeRange(double seconds)
{
    if (qFuzzyCompare(seconds, m_range))
        return;
    m_range = seconds;
    m_x->setRange(0, m_range);
}

double PodsChart::dataSpan() const
{
    return double(untilMs() - m_data.originMs()) / 1000.0;
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

void PodsChart::scheduleRedraw()
{
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

QLineSeries *PodsChart::ensureSeries(const QString &name, const QString &label, bool inLegend)
{
    QLineSeries *s = m_series.value(name);
    if (!s) {
        s = new QLineSeries(this);
        s->setName(label);
        chart()->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        m_series.insert(name, s);
    }
    s->setName(label);
    const auto markers = chart()->legend()->markers(s);
    for (QLegendMarker *marker : markers)
        marker->setVisible(inLegend);
    return s;
}

void PodsChart::redraw()
{
    ++m_redraws;
    const qint64 until = untilMs();
    const QPalette pal = palette();
    const QStringList drawn = m_data.versionIds();
    for (const rollout::VersionInfo &v : std::as_const(m_versions)) {
        if (!drawn.contains(v.id))
            continue;
        const QColor color = Theme::versionColor(v.colorIndex, v.isNew, pal);
        QLineSeries *ready = ensureSeries(
            v.id + QStringLiteral("/ready"),
            v.isNew ? tr("%1 (new) ready").arg(v.label) : tr("%1 ready").arg(v.label), true);
        QPen readyPen(color, 2.6);
        ready->setPen(readyPen);
        ready->replace(m_data.ready(v.id, until));
        QLineSeries *total =
            ensureSeries(v.id + QStringLiteral("/total"), tr("%1 all").arg(v.label), false);
        QPen totalPen(color, 1.4, Qt::DashLine);
        total->setPen(totalPen);
        total->replace(m_data.total(v.id, until));
    }
    const QColor bound = Theme::color(Theme::Role::Guarantee, pal);
    QLineSeries *maxTotal = ensureSeries(kMaxTotal, tr("at most (replicas + maxSurge)"), true);
    maxTotal->setPen(QPen(bound, 1.2, Qt::DotLine));
    maxTotal->replace(m_data.maxTotal(until));
    QLineSeries *minAvailable =
        ensureSeries(kMinAvailable, tr("at least available (replicas − maxUnavailable)"), true);
    minAvailable->setPen(QPen(Theme::color(Theme::Role::Warning, pal), 1.2, Qt::DotLine));
    minAvailable->replace(m_data.minAvailable(until));

    const double top = qMax(2, m_data.peak() + 1);
    if (!qFuzzyCompare(m_y->max(), top)) {
        m_y->setRange(0, top);
        m_y->setTickCount(int(qMin(top, 10.0)) + 1);
    }
    emit dataSpanChanged(dataSpan());
}

void PodsChart::applyTheme()
{
    Theme::applyToChart(chart(), {m_x, m_y}, palette());
    scheduleRedraw();
}

void PodsChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyTheme();
    QChartView::changeEvent(event);
}

} // namespace rollscope
