// SPDX-License-Identifier: MIT
#include "charttimeaxis.h"

#include <QChart>
#include <QChartView>
#include <QMouseEvent>
#include <QValueAxis>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace rollscope {

namespace ChartTicks {

double niceStep(double span, int maxTicks)
{
    if (!(span > 0) || !std::isfinite(span) || maxTicks < 1)
        return 1;
    const double raw = span / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * magnitude >= raw * (1 - 1e-9))
            return m * magnitude;
    }
    return 10 * magnitude;
}

double niceIntegerStep(double span, int maxTicks)
{
    return std::max(1.0, niceStep(span, maxTicks));
}

int maxTicksFor(double plotHeight)
{
    if (!(plotHeight > 0))
        return 6; // not laid out yet
    return std::clamp(int(plotHeight / 32), 2, 6);
}

void applyTicks(QValueAxis *axis, double step)
{
    if (axis->tickType() != QValueAxis::TicksDynamic)
        axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0);
    if (!qFuzzyCompare(axis->tickInterval(), step))
        axis->setTickInterval(step);
    const int decimals = step >= 1 ? 0 : int(std::ceil(-std::log10(step) - 1e-9));
    const QString format = QStringLiteral("%.%1f").arg(std::clamp(decimals, 0, 3));
    if (axis->labelFormat() != format)
        axis->setLabelFormat(format);
}

void setRangeAndStep(QValueAxis *axis, double min, double max, double step)
{
    const auto setRange = [axis, min, max] {
        if (!qFuzzyCompare(axis->min(), min) || !qFuzzyCompare(axis->max(), max))
            axis->setRange(min, max);
    };
    if (axis->tickType() != QValueAxis::TicksDynamic || step >= axis->tickInterval()) {
        applyTicks(axis, step);
        setRange();
    } else {
        setRange();
        applyTicks(axis, step);
    }
}

} // namespace ChartTicks

ChartTimeAxis::ChartTimeAxis(QObject *parent)
    : QObject(parent)
{}

double ChartTimeAxis::tickInterval() const
{
    return ChartTicks::niceStep(m_max - m_min, 8);
}

double ChartTimeAxis::reach() const
{
    double r = 0;
    for (const double seconds : m_reach)
        r = std::max(r, seconds);
    return r;
}

void ChartTimeAxis::setReach(const QObject *source, double seconds)
{
    if (!std::isfinite(seconds))
        seconds = 0;
    seconds = std::max(0.0, seconds);
    const auto it = m_reach.constFind(source);
    if (it == m_reach.cend()) {
        connect(source, &QObject::destroyed, this, [this, source] {
            m_reach.remove(source);
            refit();
        });
    } else if (it.value() == seconds) {
        return;
    }
    m_reach.insert(source, seconds);
    refit();
}

void ChartTimeAxis::setLive(bool live)
{
    if (m_live == live)
        return;
    m_live = live;
    refit();
}

void ChartTimeAxis::setEnd(std::optional<double> seconds)
{
    if (seconds && !std::isfinite(*seconds))
        seconds.reset();
    if (m_end == seconds)
        return;
    m_end = seconds;
    refit();
}

void ChartTimeAxis::setFixedSpan(std::optional<double> seconds)
{
    if (seconds && !(std::isfinite(*seconds) && *seconds > 0))
        seconds.reset();
    m_fixed = seconds;
    refit();
}

void ChartTimeAxis::restart()
{
    for (auto it = m_reach.begin(); it != m_reach.end(); ++it)
        it.value() = 0;
    m_end.reset();
    m_zoomed = false;
    refit();
}

void ChartTimeAxis::resetZoom()
{
    m_zoomed = false;
    refit();
}

void ChartTimeAxis::refit()
{
    if (m_zoomed)
        return;
    double right = 0;
    if (m_fixed) {
        right = *m_fixed;
    } else if (m_end) {
        // Change → outcome, with a little room after the outcome.
        const double end = std::max(0.0, *m_end);
        right = end + std::max(0.5, end * 0.05);
    } else if (!m_live) {
        const double r = reach();
        right = r + std::max(0.5, r * 0.05);
    } else {
        // Follow the data with some room ahead, in round steps so the axis does not creep.
        const double r = reach();
        const double target = r + std::max(1.0, r * 0.1);
        const double step = ChartTicks::niceStep(target, 8);
        right = std::max(kMinLiveSpan, std::ceil(target / step) * step);
    }
    setRange(0, right);
}

void ChartTimeAxis::setRange(double min, double max)
{
    if (qFuzzyCompare(1 + min, 1 + m_min) && qFuzzyCompare(max, m_max))
        return;
    m_min = min;
    m_max = max;
    emit rangeChanged(m_min, m_max);
}

void ChartTimeAxis::zoom(double factor, double anchor)
{
    if (!(factor > 0) || !std::isfinite(factor) || !std::isfinite(anchor))
        return;
    const double span = m_max - m_min;
    const double newSpan = std::clamp(span * factor, kMinZoomSpan, 1e7);
    anchor = std::clamp(anchor, m_min, m_max);
    double min = anchor - (anchor - m_min) * newSpan / span;
    min = std::max(0.0, min);
    m_zoomed = true;
    setRange(min, min + newSpan);
}

void ChartTimeAxis::pan(double seconds)
{
    if (!std::isfinite(seconds))
        return;
    const double span = m_max - m_min;
    const double min = std::max(0.0, m_min + seconds);
    m_zoomed = true;
    setRange(min, min + span);
}

void ChartTimeAxis::attach(QChartView *view)
{
    view->viewport()->installEventFilter(this);
}

void ChartTimeAxis::detach(QChartView *view)
{
    view->viewport()->removeEventFilter(this);
    m_reach.remove(view);
    disconnect(view, &QObject::destroyed, this, nullptr);
    if (m_dragView == view)
        m_dragView = nullptr;
}

QChartView *ChartTimeAxis::viewOf(QObject *watched) const
{
    return watched ? qobject_cast<QChartView *>(watched->parent()) : nullptr;
}

bool ChartTimeAxis::eventFilter(QObject *watched, QEvent *event)
{
    QChartView *view = viewOf(watched);
    if (!view)
        return false;
    QChart *chart = view->chart();
    const auto chartPos = [view, chart](const QPointF &viewportPos) {
        return chart->mapFromScene(view->mapToScene(viewportPos.toPoint()));
    };
    switch (event->type()) {
    case QEvent::Wheel: {
        auto *wheel = static_cast<QWheelEvent *>(event);
        const QPointF at = chartPos(wheel->position());
        if (!chart->plotArea().contains(at) || wheel->angleDelta().y() == 0)
            return false;
        const double x = chart->mapToValue(at).x();
        zoom(std::pow(0.8, wheel->angleDelta().y() / 120.0), x);
        wheel->accept();
        return true;
    }
    case QEvent::MouseButtonPress: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (mouse->button() != Qt::LeftButton ||
            !chart->plotArea().contains(chartPos(mouse->position())))
            return false;
        m_dragView = view;
        m_dragFrom = mouse->position().toPoint();
        m_dragMin = m_min;
        m_dragMax = m_max;
        return true;
    }
    case QEvent::MouseMove: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (m_dragView != view || !(mouse->buttons() & Qt::LeftButton))
            return false;
        const double width = chart->plotArea().width();
        if (width <= 0)
            return true;
        const int dx = mouse->position().toPoint().x() - m_dragFrom.x();
        if (dx == 0)
            return true;
        const double seconds = -double(dx) * (m_dragMax - m_dragMin) / width;
        const double min = std::max(0.0, m_dragMin + seconds);
        m_zoomed = true;
        view->viewport()->setCursor(Qt::ClosedHandCursor);
        setRange(min, min + (m_dragMax - m_dragMin));
        return true;
    }
    case QEvent::MouseButtonRelease:
        if (m_dragView != view)
            return false;
        m_dragView = nullptr;
        view->viewport()->unsetCursor();
        return true;
    case QEvent::MouseButtonDblClick:
        if (static_cast<QMouseEvent *>(event)->button() != Qt::LeftButton)
            return false;
        m_dragView = nullptr;
        resetZoom();
        return true;
    default:
        return false;
    }
}

} // namespace rollscope
