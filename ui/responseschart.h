// SPDX-License-Identifier: MIT
#pragma once

#include "charts/responsechartdata.h"
#include "charttimeaxis.h"
#include "common/throttle.h"
#include "probe/probetypes.h"
#include "rollout/rollouttypes.h"

#include <QChartView>
#include <QHash>
#include <QPointer>
#include <QTimer>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace rollscope {

class ChartLegend;

// Responses per second per version (stacked bands in the versions' colours, as on the pods
// chart) and failed requests per second (a red line, on top), on the same time axis as the pods
// chart (see PodsChart: a shared ChartTimeAxis, wheel zoom, drag pan, double-click reset). The
// legend is a ChartLegend widget under the plot.
class ResponsesChart : public QChartView
{
    Q_OBJECT
public:
    explicit ResponsesChart(QWidget *parent = nullptr);
    ~ResponsesChart() override;

    void setOrigin(qint64 originMs);
    void setVersions(const QList<rollout::VersionInfo> &versions);
    void appendBuckets(const QList<probe::ProbeBucket> &buckets);
    // A new recording: no bands, and the time axis starts over.
    void clear();
    // Exactly [0, seconds] on the x axis (exports, recorded timelines), until zoomed.
    void setTimeRange(double seconds);
    // A finished recording: see ResponseChartData::setEndMs(). The time axis is fitted to it.
    void setEndMs(std::optional<qint64> endMs);
    double dataSpan() const;

    // See PodsChart::timeAxis().
    ChartTimeAxis *timeAxis() const { return m_axis; }
    void setTimeAxis(ChartTimeAxis *axis);
    ChartLegend *legendWidget() const { return m_legend; }
    QValueAxis *xAxis() const { return m_x; }
    QValueAxis *yAxis() const { return m_y; }

    const ResponseChartData &data() const { return m_data; }
    int redrawCount() const { return m_redraws; }
    QAreaSeries *band(const QString &versionId) const { return m_bands.value(versionId); }
    QLineSeries *failureLine() const { return m_failures; }

public slots:
    // Back to the fitted x range (both charts when the axis is shared).
    void resetZoom();
    // See PodsChart::redrawNow().
    void redrawNow();

signals:
    void dataSpanChanged(double seconds);
    void totalsChanged();

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
    QString labelOf(const QString &versionId) const;
    QColor colorOf(const QString &versionId) const;

    ResponseChartData m_data;
    QList<rollout::VersionInfo> m_versions;
    QHash<QString, QAreaSeries *> m_bands;
    QLineSeries *m_failures = nullptr;
    QValueAxis *m_x;
    QValueAxis *m_y;
    ChartTimeAxis *m_ownAxis;
    // The shared axis may go first (both are children of one view): then the own one is used.
    QPointer<ChartTimeAxis> m_axis;
    ChartLegend *m_legend;
    // At most 25 redraws a second, the first change at once.
    Throttle m_redrawThrottle{40, [this] { redraw(); }};
    int m_redraws = 0;
    int m_yTicks = 6;         // intervals on the y axis, fewer on a short plot
    qint64 m_drawnStepMs = 0; // the shortest step drawn (see ResponseChartData::upper())
};

} // namespace rollscope
