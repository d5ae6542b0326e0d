// SPDX-License-Identifier: MIT
#pragma once

#include "rollout/rollouttypes.h"

#include <QHash>
#include <QList>
#include <QPointF>
#include <QSet>

namespace rollscope {

// What a line of `points` (x never decreasing) looks like `columns` pixel columns wide over
// [xMin, xMax]: in each column its first, lowest, highest and last point (in their order), so
// every vertical extent and every join between columns is drawn as the whole line would be, in at
// most four points a column. Of the points outside the range, only the one next to each end is
// kept (the line enters and leaves the plot as before). A line that is short already comes back
// as it is. Drawing 36,000 points where 700 columns show is what made an hour-long chart slow.
QList<QPointF> decimateForDrawing(const QList<QPointF> &points, double xMin, double xMax,
                                  int columns);

// The pods-by-version chart as numbers: step lines (x = seconds since the change) of total and
// ready pods per version, and the strategy's guarantee lines. Pod counts change rarely, so only
// the points where a value changes are kept: an hour of samples costs a few hundred points, and
// the chart never draws more than it must.
class PodChartData
{
public:
    void setOrigin(qint64 originMs);
    qint64 originMs() const { return m_originMs; }
    void clear();

    void append(const QList<rollout::PodCountSample> &samples);
    qint64 lastSampleMs() const { return m_lastMs; }

    // Step-shaped points up to `untilMs` (the last value is extended to it).
    QList<QPointF> total(const QString &versionId, qint64 untilMs) const;
    QList<QPointF> ready(const QString &versionId, qint64 untilMs) const;
    QList<QPointF> maxTotal(qint64 untilMs) const;     // replicas + maxSurge
    QList<QPointF> minAvailable(qint64 untilMs) const; // replicas - maxUnavailable
    // The versions that had pods in this recording (a version the tracker still lists but whose
    // pods were all gone before t = 0 belongs to an earlier rollout and takes no line).
    QStringList versionIds() const { return m_withPods; }

    // The largest count seen (for the y axis).
    int peak() const { return m_peak; }
    // Highest number of pods of all versions together, and the lowest available, seen so far.
    int maxPodsObserved() const { return m_maxPods; }
    int minAvailableObserved() const { return m_minAvailableSeen; }

    // Points kept, for tests of the memory bound.
    qsizetype pointCount() const;

private:
    struct Series
    {
        QList<QPair<qint64, int>> changes; // (time ms, value) where the value changed
    };
    static void record(Series &series, qint64 timeMs, int value);
    QList<QPointF> steps(const Series &series, qint64 untilMs) const;

    qint64 m_originMs = 0;
    bool m_hasOrigin = false;
    qint64 m_lastMs = 0;
    QHash<QString, Series> m_total;
    QHash<QString, Series> m_ready;
    Series m_maxTotal;
    Series m_minAvailableLine;
    QStringList m_order;
    QStringList m_withPods;
    int m_peak = 0;
    int m_maxPods = 0;
    int m_minAvailableSeen = -1;
};

} // namespace rollscope
