#pragma once

#include "timeline/timeline.h"

#include <QMainWindow>

class QLabel;
class QTableWidget;

namespace rollscope {

class PodsChart;
class ResponsesChart;

// A recorded rollout, opened read-only: the summary and verdict, the same two charts as the
// live view, and the event list. Exports from here as from the live view.
class TimelineViewer : public QMainWindow
{
    Q_OBJECT
public:
    explicit TimelineViewer(timeline::Timeline timeline, QWidget *parent = nullptr);

    const timeline::Timeline &timeline() const { return m_timeline; }
    PodsChart *podsChart() const { return m_pods; }
    ResponsesChart *responsesChart() const { return m_responses; }
    QTableWidget *eventTable() const { return m_events; }
    QImage renderCharts(const QSize &size = QSize(1600, 560)) const;

    // The live view's inputs rebuilt from a recorded timeline.
    static QList<rollout::PodCountSample> podSamples(const timeline::Timeline &timeline);
    static QList<probe::ProbeBucket> probeBuckets(const timeline::Timeline &timeline);

private:
    void exportAs();

    timeline::Timeline m_timeline;
    QLabel *m_summary;
    PodsChart *m_pods;
    ResponsesChart *m_responses;
    QTableWidget *m_events;
};

// File > Export timeline: the format follows the chosen file name (.json, .csv, .html, .png).
// Writes atomically; errors are shown in plain words. `charts` renders the PNG.
void exportTimelineWithDialog(QWidget *parent, const timeline::Timeline &timeline,
                              const std::function<QImage()> &charts);

} // namespace rollscope
