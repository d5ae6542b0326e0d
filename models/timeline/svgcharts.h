// SPDX-License-Identifier: MIT
#pragma once

// The two charts of the HTML report as inline SVG text (no QtGui here: the core library draws
// with strings). Colours are CSS classes the report's stylesheet defines for light, dark and
// print, so one SVG serves all three:
//   .v-new, .v0 ... .v4, .v-unknown   version fills (.ready solid, .notready lighter)
//   .failed, .burst, .guide-max, .guide-min, .available, .axis, .grid, .marker
// Output depends only on the timeline, so golden files can hold it.

#include "timeline/timeline.h"

#include <QCoreApplication>
#include <QString>

namespace rollscope::timeline {

struct ChartGeometry
{
    int width = 960;
    int height = 300;
    int left = 52;
    int right = 16;
    int top = 18;
    int bottom = 36;
};

class SvgCharts
{
    Q_DECLARE_TR_FUNCTIONS(SvgCharts)

public:
    // Pods per version over time (ready solid, not ready lighter, stacked), with the
    // guarantees: replicas + maxSurge and replicas - maxUnavailable, and the available pods.
    static QString podsChart(const Timeline &timeline, const ChartGeometry &geometry = {});
    // Responses per second per version, stacked, with the failed requests on top.
    static QString responsesChart(const Timeline &timeline, const ChartGeometry &geometry = {});

    // The CSS class of a version's colour: "v-new", "v0".."v4" or "v-unknown".
    static QString versionClass(const Timeline &timeline, const QString &versionId);
    // A round axis maximum at or above `value` (1, 2, 5 x 10^n).
    static double niceCeiling(double value);
    // A tick step giving about `count` ticks over `span`.
    static double niceStep(double span, int count);
};

} // namespace rollscope::timeline
