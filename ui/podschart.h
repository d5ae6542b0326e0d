// SPDX-License-Identifier: MIT
#pragma once

#include "charts/podchartdata.h"
#include "charttimeaxis.h"
#include "common/throttle.h"
#include "rollout/rollouttypes.h"

#include <QChartView>
#include <QHash>
#include <QPointer>
#include <QTimer>

class QGraphicsSimpleTextItem;
class QLineSeries;
class QValueAxis;

namespace rollscope {

class ChartLegend;

// Pods per version over time: for each version its ready pods (solid) and all its pods
// (dashed), in the version's colour (Theme::colorForVersion: the same image keeps its colour
// across recordings), with the strategy's bounds (replicas + maxSurge, replicas −
// maxUnavailable) drawn on top, labelled at their right end ("≤ 4", "≥ 3"). The legend is a
// widget under the plot (ChartLegend: full labels that wrap, never elided). The x axis is a
// ChartTimeAxis, shared with the responses chart when the view attaches both to one
// (setTimeAxis()): fitted to the rollout, wheel to zoom, drag to pan, double-click to reset.
// Samples arrive in batches; the chart redraws at most every 40 ms with one replace() per
// series, each line thinned to the plot's pixel columns (decimateForDrawing()): an hour of
// samples costs a redraw no more than a minute does.
class PodsChart : public QChartView
{
    Q_OBJECT
public:
    explicit PodsChart(QWidget *parent = nullptr);
    ~PodsChart() override;

    void setOrigin(qint64 originMs);
    void setVersions(const QList<rollout::VersionInfo> &versions);
    void appendSamples(const QList<rollout::PodCountSample> &samples);
    // A new recording: no lines, no legend entries, and the time axis starts over.
    void clear();
    // Extend the lines to the wall clock (while recording) or stop at the last sample.
    void setLive(bool live);
    // Exactly [0, seconds] on the x axis (exports, recorded timelines), until zoomed.
    void setTimeRange(double seconds);
    // How far the data reaches, seconds since the change (to now while live).
    double dataSpan() const;

    // The x axis this chart follows; its own until setTimeAxis() gives it a shared one (null:
    // back to its own). The chart reports its data span to it and zooms and pans it.
    ChartTimeAxis *timeAxis() const { return m_axis; }
    void setTimeAxis(ChartTimeAxis *axis);
    ChartLegend *legendWidget() const { return m_legend; }

    const PodChartData &data() const { return m_data; }
    int redrawCount() const { return m_redraws; }
    // Series by name, for tests: "<versionId>/ready", "<versionId>/total", "maxTotal",
    // "minAvailable".
    QLineSeries *series(const QString &name) const { return m_series.value(name); }
    // The labels at the guarantee lines' right ends ("≤ 4", "≥ 3"), for tests.
    QGraphicsSimpleTextItem *guaranteeLabel(const QString &name) const;
    QValueAxis *xAxis() const { return m_x; }
    QValueAxis *yAxis() const { return m_y; }

public slots:
    // Back to the fitted x range (both charts when the axis is shared).
    void resetZoom();
    // Redraws from the data at once instead of at the end of the batch interval (a grab or an
    // export that must show what arrived; benchmarks).
    void redrawNow();

signals:
    void dataSpanChanged(double seconds);

protected:
    void changeEvent(QEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void scheduleRedraw();
    void redraw();
    void applyTheme();
    void applyTimeRange();
    void layoutLegend();
    void onPlotAreaChanged();
    void updateLegend();
    void placeGuaranteeLabels();
    QLineSeries *ensureSeries(const QString &name, bool *created = nullptr);
    qint64 untilMs() const;

    PodChartData m_data;
    QList<rollout::VersionInfo> m_versions;
    QHash<QString, QLineSeries *> m_series;
    QValueAxis *m_x;
    QValueAxis *m_y;
    ChartTimeAxis *m_ownAxis;
    // The shared axis may go first (both are children of one view): then the own one is used.
    QPointer<ChartTimeAxis> m_axis;
    ChartLegend *m_legend;
    QGraphicsSimpleTextItem *m_maxLabel;
    QGraphicsSimpleTextItem *m_minLabel;
    // At most 40 redraws a second, the first change at once: with a sample at most every 25 ms
    // while pods change (RolloutView), a pod that becomes ready is drawn within about 50 ms.
    Throttle m_redrawThrottle{25, [this] { redraw(); }};
    QTimer m_liveTimer;
    bool m_live = true;
    int m_redraws = 0;
    int m_yTicks = 6;         // intervals on the y axis, fewer on a short plot
    bool m_decimated = false; // a line has more points than the plot's columns show
};

} // namespace rollscope
