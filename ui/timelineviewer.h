// SPDX-License-Identifier: MIT
#pragma once

#include "timeline/timeline.h"

#include <QCoreApplication>
#include <QImage>
#include <QMainWindow>
#include <QSize>

#include <functional>

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

// The PNG export: the recording's two charts over the same span as the JSON and HTML exports
// (from the change to the outcome), under a title line naming the deployment, the change and
// the verdict. Drawn from the timeline rather than from the live charts, which keep moving
// after the outcome.
class TimelineImage
{
    Q_DECLARE_TR_FUNCTIONS(TimelineImage)

public:
    static constexpr QSize kDefaultSize{1600, 600};

    // "default/demo-dp · bebullish/demo:v1 → v2 · complete without failures".
    static QString title(const timeline::Timeline &timeline);
    // Seconds since the change the charts cover: to the outcome (to the last sample while the
    // rollout is still recording), the span the HTML report's charts cover.
    static double spanSeconds(const timeline::Timeline &timeline);
    // Fills fresh charts with `timeline`, x axis over spanSeconds().
    static void fill(const timeline::Timeline &timeline, PodsChart *pods,
                     ResponsesChart *responses);
    // Calls `done` with the image once both charts have drawn (they redraw on a timer), on the
    // GUI thread; not at all if `context` is destroyed first.
    static void render(const timeline::Timeline &timeline, QObject *context,
                       const std::function<void(const QImage &)> &done,
                       const QSize &size = kDefaultSize);
};

// File > Export timeline: the format follows the chosen file name (.json, .csv, .html, .png).
// The dialog starts in the folder used last. Writes atomically off the GUI thread; errors are
// shown in plain words, success with the path and an "Open Folder" button (in the status bar of
// a main window, else in a message box).
void exportTimelineWithDialog(QWidget *parent, const timeline::Timeline &timeline);
// The notice shown after a successful export.
void showExported(QWidget *parent, const QString &path);

} // namespace rollscope
