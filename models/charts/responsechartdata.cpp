// SPDX-License-Identifier: MIT
#include "responsechartdata.h"

#include "common/saturating.h"

#include <algorithm>
#include <limits>

namespace rollscope {

ResponseChartData::ResponseChartData(int maxBins)
    : m_maxBins(qMax(16, maxBins))
{}

void ResponseChartData::setOrigin(qint64 originMs)
{
    m_originMs = originMs;
    m_hasOrigin = true;
}

void ResponseChartData::clear()
{
    const int maxBins = m_maxBins;
    const QStringList order = m_order;
    *this = ResponseChartData(maxBins);
    m_order = order;
}

void ResponseChartData::setVersionOrder(const QStringList &versionIds)
{
    m_order = versionIds;
}

QStringList ResponseChartData::versions() const
{
    QStringList all = m_order;
    for (const QString &v : m_seen) {
        if (!all.contains(v))
            all.append(v);
    }
    // Only versions that answered take a band.
    QStringList answered;
    for (const QString &v : std::as_const(all)) {
        if (m_totals.value(v) > 0)
            answered.append(v);
    }
    return answered;
}

ResponseChartData::Bin &ResponseChartData::binFor(qint64 timeMs)
{
    // Answers from before the origin (a prober started first) count in the first bin.
    const qint64 offset = std::clamp<qint64>(saturatingSub(timeMs, m_originMs), 0, kMaxOffsetMs);
    if (!m_bins.isEmpty()) {
        // Coarsen before filling a gap, not after: each merge halves the bins, so a time far
        // ahead costs a few merges and at most m_maxBins empty bins instead of one per bin.
        const qint64 firstOffset = m_bins.first().startMs - m_originMs;
        while ((offset - firstOffset) / m_binMs >= m_maxBins)
            mergeBins();
    }
    const qint64 start = m_originMs + (offset / m_binMs) * m_binMs;
    if (m_bins.isEmpty() || m_bins.last().startMs < start) {
        // Empty bins in between are real zeros (no answers), not gaps.
        qint64 next = m_bins.isEmpty() ? start : m_bins.last().startMs + m_binMs;
        while (next <= start) {
            m_bins.append(Bin{next, {}, 0});
            next += m_binMs;
        }
        return m_bins.last();
    }
    for (qsizetype i = m_bins.size() - 1; i >= 0; --i) {
        if (m_bins[i].startMs == start)
            return m_bins[i];
        if (m_bins[i].startMs < start)
            break;
    }
    // Older than the first bin (late bucket before data started): fold into the first.
    return m_bins.first();
}

void ResponseChartData::mergeBins()
{
    QList<Bin> merged;
    merged.reserve(m_bins.size() / 2 + 1);
    const qint64 newBin = m_binMs * 2;
    for (const Bin &bin : std::as_const(m_bins)) {
        const qint64 start = m_originMs + ((bin.startMs - m_originMs) / newBin) * newBin;
        if (merged.isEmpty() || merged.last().startMs != start)
            merged.append(Bin{start, {}, 0});
        Bin &target = merged.last();
        for (auto it = bin.responses.cbegin(); it != bin.responses.cend(); ++it)
            target.responses[it.key()] += it.value();
        target.failures += bin.failures;
    }
    m_bins = std::move(merged);
    m_binMs = newBin;
}

void ResponseChartData::append(const QList<probe::ProbeBucket> &buckets)
{
    for (const probe::ProbeBucket &bucket : buckets) {
        if (!m_hasOrigin)
            setOrigin(bucket.startMs);
        m_lastMs = qMax(m_lastMs, saturatingAdd(bucket.startMs, bucket.durationMs));
        Bin &bin = binFor(bucket.startMs);
        for (auto it = bucket.responsesByVersion.cbegin(); it != bucket.responsesByVersion.cend();
             ++it) {
            bin.responses[it.key()] += it.value();
            m_totals[it.key()] += it.value();
            if (!m_seen.contains(it.key()))
                m_seen.append(it.key());
        }
        for (int i = 0; i < probe::kFailureClassCount; ++i) {
            bin.failures += bucket.failures[std::size_t(i)];
            m_failureTotals[std::size_t(i)] += bucket.failures[std::size_t(i)];
        }
        while (m_bins.size() > m_maxBins)
            mergeBins();
    }
}

QList<ResponseChartData::Step> ResponseChartData::steps(qint64 minStepMs) const
{
    const qsizetype group =
        std::max<qsizetype>(1, qsizetype((std::max<qint64>(minStepMs, 0) + m_binMs - 1) / m_binMs));
    QList<Step> out;
    out.reserve(m_bins.size() / group + 1);
    for (qsizetype i = 0; i < m_bins.size(); i += group) {
        const qsizetype last = std::min(i + group, m_bins.size()) - 1;
        out.append(Step{m_bins.at(i).startMs, m_bins.at(last).startMs + m_binMs, i, last});
    }
    if (m_endMs && !out.isEmpty()) {
        Step &last = out.last();
        last.endMs = std::clamp(*m_endMs, last.startMs + 1, last.endMs);
        if (last.endMs - last.startMs < m_binMs / 2 && out.size() > 1) {
            const Step tail = out.takeLast();
            out.last().endMs = tail.endMs;
            out.last().last = tail.last;
        }
    }
    return out;
}

QList<QPointF> ResponseChartData::upper(int index, qint64 minStepMs) const
{
    const QStringList order = versions();
    const QList<Step> all = steps(minStepMs);
    QList<QPointF> points;
    points.reserve(all.size() * 2);
    for (const Step &step : all) {
        qint64 sum = 0;
        for (qsizetype b = step.first; b <= step.last; ++b) {
            for (int i = 0; i <= index && i < order.size(); ++i)
                sum += m_bins.at(b).responses.value(order.at(i));
        }
        // Flat across the step: a rate holds for the whole step.
        points.append(QPointF(x(step.startMs), rate(sum, step)));
        points.append(QPointF(x(step.endMs), rate(sum, step)));
    }
    return points;
}

QList<QPointF> ResponseChartData::lower(int index, qint64 minStepMs) const
{
    if (index <= 0) {
        const QList<Step> all = steps(minStepMs);
        QList<QPointF> zeros;
        zeros.reserve(all.size() * 2);
        for (const Step &step : all) {
            zeros.append(QPointF(x(step.startMs), 0));
            zeros.append(QPointF(x(step.endMs), 0));
        }
        return zeros;
    }
    return upper(index - 1, minStepMs);
}

QList<QPointF> ResponseChartData::failures(qint64 minStepMs) const
{
    const QList<Step> all = steps(minStepMs);
    QList<QPointF> points;
    points.reserve(all.size() * 2);
    for (const Step &step : all) {
        qint64 sum = 0;
        for (qsizetype b = step.first; b <= step.last; ++b)
            sum += m_bins.at(b).failures;
        points.append(QPointF(x(step.startMs), rate(sum, step)));
        points.append(QPointF(x(step.endMs), rate(sum, step)));
    }
    return points;
}

double ResponseChartData::peakRate(qint64 minStepMs) const
{
    double peak = 0;
    for (const Step &step : steps(minStepMs)) {
        qint64 answered = 0;
        qint64 failed = 0;
        for (qsizetype b = step.first; b <= step.last; ++b) {
            for (qint64 v : m_bins.at(b).responses)
                answered += v;
            failed += m_bins.at(b).failures;
        }
        peak = qMax(peak, qMax(rate(answered, step), rate(failed, step)));
    }
    return peak;
}

qint64 ResponseChartData::requests() const
{
    qint64 n = failed();
    for (qint64 v : m_totals)
        n += v;
    return n;
}

qint64 ResponseChartData::failed() const
{
    qint64 n = 0;
    for (qint64 f : m_failureTotals)
        n += f;
    return n;
}

double ResponseChartData::share(const QString &versionId, qint64 windowMs) const
{
    qint64 mine = 0;
    qint64 all = 0;
    for (qsizetype i = m_bins.size() - 1; i >= 0; --i) {
        const Bin &bin = m_bins.at(i);
        if (bin.startMs + m_binMs <= m_lastMs - windowMs)
            break;
        for (auto it = bin.responses.cbegin(); it != bin.responses.cend(); ++it) {
            all += it.value();
            if (it.key() == versionId)
                mine += it.value();
        }
    }
    return all == 0 ? 0.0 : double(mine) / double(all);
}

} // namespace rollscope
