#pragma once

#include "charts/podchartdata.h"
#include "rollout/rollouttypes.h"

#include <QChartView>
#include <QHash>
#include <QTimer>

class QLineSeries;
class QValueAxis;

namespace rollscope {

// Pods per version over time: for each version its ready pods (solid) and all its pods
// (dashed), in the version's colour, with the strategy's bounds (replicas + maxSurge,
// replicas − maxUnavailable) as dotted lines. Samples arrive in batches; the chart redraws at
// most every 40 ms with one replace() per series.
class PodsChart : public QChartView
{
    Q_OBJECT
public:
    explicit PodsChart(QWidget *parent = nullptr);

    void setOrigin(qint64 originMs);
    void setVersions(const QList<rollout::VersionInfo> &versions);
    void appendSamples(const QList<rollout::PodCountSample> &samples);
    void clear();
    // Extend the lines to the wall clock (while recording) or stop at the last sample.
    void setLive(bool live);
    // The x range to show, shared with the responses chart.
    void setTimeRange(double seconds);
    double dataSpan() const;

    const PodChartData &data() const { return m_data; }
    int redrawCount() const { return m_redraws; }
    // Series by name, for tests: "<versionId>/ready", "<versionId>/total", "maxTotal",
    // "minAvailable".
    QLineSeries *series(const QString &name) const { return m_series.value(name); }

signals:
    void dataSpanChanged(double seconds);

protected:
    void changeEvent(QEvent *event) override;

private:
    void scheduleRedraw();
    void redraw();
    void applyTheme();
    QLineSeries *ensureSeries(const QString &name, const QString &label, bool inLegend);
    qint64 untilMs() const;

    PodChartData m_data;
    QList<rollout::VersionInfo> m_versions;
    QHash<QString, QLineSeries *> m_series;
    QValueAxis *m_x;
    QValueAxis *m_y;
    QTimer m_redrawTimer;
    QTimer m_liveTimer;
    bool m_live = true;
    double m_range = 60;
    int m_redraws = 0;
};

} // namespace rollscope
