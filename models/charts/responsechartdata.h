// SPDX-License-Identifier: MIT
#pragma once

#include "probe/probetypes.h"

#include <QList>
#include <QMap>
#include <QPointF>
#include <QStringList>

#include <algorithm>
#include <array>
#include <optional>

namespace rollscope {

// The responses-per-version chart as numbers: answers per second per version (stacked, in a
// fixed version order) and failures per second, on the same x axis as the pods chart (seconds
// since the change). 100 ms probe buckets are summed into bins of one second; when an hour of
// bins would be too many points, neighbouring bins are merged and the bin doubles, so memory
// and drawing cost stay bounded however long the prober runs. A gap between answers costs no
// more than the bin limit either (bins are merged before the gap is filled), so one answer dated
// years ahead, say from a corrupt timeline, cannot stall the GUI thread.
class ResponseChartData
{
public:
    explicit ResponseChartData(int maxBins = 1800);

    void setOrigin(qint64 originMs);
    qint64 originMs() const { return m_originMs; }
    void clear();
    // Stacking order (oldest version first); versions seen but not listed go after it.
    void setVersionOrder(const QStringList &versionIds);
    QStringList versions() const;

    void append(const QList<probe::ProbeBucket> &buckets);
    // A finished recording ends at `endMs`: its last bin lasts until then, not a whole bin, and
    // its rate is over that time. A last bin shorter than half a bin is drawn together with the
    // one before (a rate over a few milliseconds is one answer's timing, not the traffic).
    // Unset, as while live, every bin is whole.
    void setEndMs(std::optional<qint64> endMs) { m_endMs = endMs; }

    // Upper edge of version `index`'s band (its rate plus those stacked below it), and the lower.
    // `minStepMs`: for drawing, neighbouring bins are drawn together, as one step of their
    // average rate, until a step lasts at least this long (a pixel column of the plot; groups
    // start at the first bin, so they do not shift as bins are added). 0 = every bin.
    QList<QPointF> upper(int index, qint64 minStepMs = 0) const;
    QList<QPointF> lower(int index, qint64 minStepMs = 0) const;
    QList<QPointF> failures(qint64 minStepMs = 0) const;
    double peakRate(qint64 minStepMs = 0) const;
    qint64 binMs() const { return m_binMs; }
    qsizetype binCount() const { return m_bins.size(); }

    // Since the origin.
    qint64 total(const QString &versionId) const { return m_totals.value(versionId); }
    qint64 requests() const;
    qint64 failed() const;
    std::array<qint64, probe::kFailureClassCount> failuresByClass() const
    {
        return m_failureTotals;
    }
    // Share of answers from `versionId` among the answers of the last `windowMs`.
    double share(const QString &versionId, qint64 windowMs) const;
    qint64 lastBucketMs() const { return m_lastMs; }

private:
    struct Bin
    {
        qint64 startMs = 0;
        // 64-bit: merged bins add up many buckets of up to INT_MAX answers each.
        QMap<QString, qint64> responses;
        qint64 failures = 0;
    };
    // What is drawn as one flat step: bins [first, last] over [startMs, endMs).
    struct Step
    {
        qint64 startMs = 0;
        qint64 endMs = 0;
        qsizetype first = 0;
        qsizetype last = 0;
    };
    Bin &binFor(qint64 timeMs);
    void mergeBins();
    QList<Step> steps(qint64 minStepMs) const;
    static double rate(qint64 count, const Step &step)
    {
        return double(count) * 1000.0 / double(std::max<qint64>(step.endMs - step.startMs, 1));
    }
    double x(qint64 timeMs) const { return double(timeMs - m_originMs) / 1000.0; }

    // How far after the origin a time may lie; later ones are held there (about 35,000 years:
    // no real rollout, but it keeps every sum and doubling below within qint64).
    static constexpr qint64 kMaxOffsetMs = qint64(1) << 50;

    int m_maxBins;
    qint64 m_binMs = 1000;
    qint64 m_originMs = 0;
    bool m_hasOrigin = false;
    qint64 m_lastMs = 0;
    std::optional<qint64> m_endMs;
    QList<Bin> m_bins;
    QStringList m_order;
    QStringList m_seen;
    QMap<QString, qint64> m_totals;
    std::array<qint64, probe::kFailureClassCount> m_failureTotals{};
};

} // namespace rollscope
