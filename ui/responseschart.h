#pragma once

#include "charts/responsechartdata.h"
#include "probe/probetypes.h"
#include "rollout/rollouttypes.h"

#include <QChartView>
#include <QHash>
#include <QTimer>

class QAreaSeries;
class QLineSeries;
class QValueAxis;

namespace rollscope {

// Responses per second per version (stacked bands in the versions' colours) and failed
// requests per second (a red line), on the same time axis as the pods chart.
class ResponsesChart : public QChartView
{
    Q_OBJECT
public:
    explicit ResponsesChart(QWidget *parent = nullptr);

    void setOrigin(qint64 originMs);
    void setVersions(const QList<rollout::VersionInfo> &versions);
    void appendBuckets(const QList<probe::ProbeBucket> &buckets);
    void clear();
    void setTimeRange(double seconds);
    // A finished recording: see ResponseChartData::setEndMs().
    void setEndMs(std::optional<qint64> endMs);
    double dataSpan() const;

    const ResponseChartData &data() const { return m_data; }
    int redrawCount() const { return m_redraws; }
    QAreaSeries *band(const QString &versionId) const { return m_bands.value(versionId); }
    QLineSeries *failureLine() const { return m_failures; }

signals:
    void dataSpanChanged(double seconds);
    void totalsChanged();

protected:
    void changeEvent(QEvent *event) override;

private:
    void scheduleRedraw();
    void redraw();
    void applyTheme();
    QString labelOf(const QString &versionId) const;
    QColor colorOf(const QString &versionId) const;

    ResponseChartData m_data;
    QList<rollout::VersionInfo> m_versions;
    QHash<QString, QAreaSeries *> m_bands;
    QLineSeries *m_failures = nullptr;
    QValueAxis *m_x;
    QValueAxis *m_y;
    QTimer m_redrawTimer;
    double m_range = 60;
    int m_redraws = 0;
};

} // namespace rollscope
