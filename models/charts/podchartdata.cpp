// SPDX-License-Identifier: MIT
#include "podchartdata.h"

#include "common/saturating.h"

#include <algorithm>
#include <limits>

namespace rollscope {

QList<QPointF> decimateForDrawing(const QList<QPointF> &points, double xMin, double xMax,
                                  int columns)
{
    columns = std::max(1, columns);
    if (points.size() <= 4 * qsizetype(columns) + 2 || !(xMax > xMin))
        return points;
    QList<QPointF> out;
    out.reserve(4 * qsizetype(columns) + 2);
    const double perColumn = double(columns) / (xMax - xMin);
    qsizetype i = 0;
    // Before the range: the last point only.
    while (i < points.size() && points.at(i).x() < xMin)
        ++i;
    if (i > 0)
        out.append(points.at(i - 1));
    while (i < points.size() && points.at(i).x() <= xMax) {
        const auto column = qint64((points.at(i).x() - xMin) * perColumn);
        const qsizetype first = i;
        qsizetype low = i;
        qsizetype high = i;
        while (i < points.size() && points.at(i).x() <= xMax &&
               qint64((points.at(i).x() - xMin) * perColumn) == column) {
            if (points.at(i).y() < points.at(low).y())
                low = i;
            if (points.at(i).y() > points.at(high).y())
                high = i;
            ++i;
        }
        const qsizetype last = i - 1;
        // In the order they come, each once.
        qsizetype picked[4] = {first, std::min(low, high), std::max(low, high), last};
        qsizetype previous = -1;
        for (qsizetype p : picked) {
            if (p != previous)
                out.append(points.at(p));
            previous = p;
        }
    }
    // After the range: the first point only.
    if (i < points.size())
        out.append(points.at(i));
    return out;
}

void PodChartData::setOrigin(qint64 originMs)
{
    m_originMs = originMs;
    m_hasOrigin = true;
}

void PodChartData::clear()
{
    *this = PodChartData();
}

void PodChartData::record(Series &series, qint64 timeMs, int value)
{
    if (!series.changes.isEmpty() && series.changes.last().second == value)
        return;
    series.changes.append({timeMs, value});
}

void PodChartData::append(const QList<rollout::PodCountSample> &samples)
{
    for (const rollout::PodCountSample &sample : samples) {
        if (!m_hasOrigin)
            setOrigin(sample.timeMs);
        if (sample.timeMs < m_originMs)
            continue; // from before this recording (a late batch of the previous one)
        m_lastMs = qMax(m_lastMs, sample.timeMs);
        qint64 allPods = 0;
        qint64 available = 0;
        QSet<QString> present;
        for (const rollout::VersionPods &v : sample.versions) {
            if (!m_order.contains(v.versionId))
                m_order.append(v.versionId);
            present.insert(v.versionId);
            if ((v.total > 0 || v.terminating > 0) && !m_withPods.contains(v.versionId))
                m_withPods.append(v.versionId);
            record(m_total[v.versionId], sample.timeMs, v.total);
            record(m_ready[v.versionId], sample.timeMs, v.ready);
            m_peak = qMax(m_peak, clampToInt(qint64(v.total) + v.terminating));
            allPods += v.total;
            available += v.available;
        }
        // A version missing from a sample has no pods any more.
        for (const QString &id : std::as_const(m_order)) {
            if (!present.contains(id)) {
                record(m_total[id], sample.timeMs, 0);
                record(m_ready[id], sample.timeMs, 0);
            }
        }
        record(m_maxTotal, sample.timeMs, sample.maxTotal);
        record(m_minAvailableLine, sample.timeMs, sample.minAvailable);
        m_peak = qMax(m_peak, qMax(sample.maxTotal, clampToInt(allPods)));
        m_maxPods = qMax(m_maxPods, clampToInt(allPods));
        m_minAvailableSeen = m_minAvailableSeen < 0
                                 ? clampToInt(available)
                                 : qMin(m_minAvailableSeen, clampToInt(available));
    }
}

QList<QPointF> PodChartData::steps(const Series &series, qint64 untilMs) const
{
    QList<QPointF> points;
    points.reserve(series.changes.size() * 2 + 1);
    for (qsizetype i = 0; i < series.changes.size(); ++i) {
        const auto &[time, value] = series.changes.at(i);
        const double x = double(time - m_originMs) / 1000.0;
        if (i > 0)
            points.append(QPointF(x, series.changes.at(i - 1).second)); // the step's riser
        points.append(QPointF(x, value));
    }
    if (!series.changes.isEmpty() && untilMs > series.changes.last().first)
        points.append(QPointF(double(untilMs - m_originMs) / 1000.0, series.changes.last().second));
    return points;
}

QList<QPointF> PodChartData::total(const QString &versionId, qint64 untilMs) const
{
    return steps(m_total.value(versionId), untilMs);
}

QList<QPointF> PodChartData::ready(const QString &versionId, qint64 untilMs) const
{
    return steps(m_ready.value(versionId), untilMs);
}

QList<QPointF> PodChartData::maxTotal(qint64 untilMs) const
{
    return steps(m_maxTotal, untilMs);
}

QList<QPointF> PodChartData::minAvailable(qint64 untilMs) const
{
    return steps(m_minAvailableLine, untilMs);
}

qsizetype PodChartData::pointCount() const
{
    qsizetype n = m_maxTotal.changes.size() + m_minAvailableLine.changes.size();
    for (const Series &s : m_total)
        n += s.changes.size();
    for (const Series &s : m_ready)
        n += s.changes.size();
    return n;
}

} // namespace rollscope
