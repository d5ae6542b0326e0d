// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QObject>
#include <QPoint>

#include <optional>

class QChartView;
class QValueAxis;

namespace rollscope {

// Round numbers for chart axes: steps of 1, 2 or 5 × 10^n.
namespace ChartTicks {
// The round step that cuts `span` into at most `maxTicks` intervals.
double niceStep(double span, int maxTicks);
// As niceStep(), but a whole number of at least 1 (pods).
double niceIntegerStep(double span, int maxTicks);
// How many intervals a y axis `plotHeight` pixels tall takes before its labels crowd.
int maxTicksFor(double plotHeight);
// Gives `axis` ticks every `step` from 0 and labels with as many decimals as the step needs.
void applyTicks(QValueAxis *axis, double step);
// Sets `axis` to [min, max] with ticks every `step`, in the order that never has Qt Charts build
// thousands of ticks in between: a bigger step before a wider range, a narrower range before a
// smaller step (0-4 by 1 to 0-7000 by 1000 went through 0-7000 by 1: 7,000 labels, 50 MB).
void setRangeAndStep(QValueAxis *axis, double min, double max, double step);
} // namespace ChartTicks

// The x range (seconds since the change) that the pods and responses charts share. Each chart
// reports how far its data reaches; the axis fits [0, reach + a margin]:
//  - while live it follows the data (at least 10 s, so the first seconds are not stretched);
//  - after the outcome (setEnd()) it is fitted to change → outcome;
//  - a fixed span (setFixedSpan(), the exports and the viewer) wins over both.
// Zooming or panning (mouse wheel, drag; see attach()) takes over until resetZoom(): the range
// then stays where the user put it and no longer follows the data.
class ChartTimeAxis : public QObject
{
    Q_OBJECT
public:
    static constexpr double kMinLiveSpan = 10.0; // seconds
    static constexpr double kMinZoomSpan = 0.5;  // seconds

    explicit ChartTimeAxis(QObject *parent = nullptr);

    double min() const { return m_min; }
    double max() const { return m_max; }
    // A round step giving about six to eight ticks over the current range.
    double tickInterval() const;
    bool isZoomed() const { return m_zoomed; }
    bool isLive() const { return m_live && !m_end; }
    std::optional<double> end() const { return m_end; }
    // How far the data reaches, the largest of all charts' reports.
    double reach() const;

    // How far `source`'s data reaches (seconds since the change); forgotten when it is destroyed.
    void setReach(const QObject *source, double seconds);
    // Following the wall clock (a recording in progress) or not.
    void setLive(bool live);
    // The outcome, seconds after the change: the fitted range ends shortly after it. Unset, as
    // when a new recording starts, the range follows the data again.
    void setEnd(std::optional<double> seconds);
    // Exactly [0, seconds] until unset (exports, recorded timelines).
    void setFixedSpan(std::optional<double> seconds);
    // A new recording: no reach, no end, no zoom.
    void restart();

    // Scales the range by `factor` (< 1 zooms in) around `anchor` seconds.
    void zoom(double factor, double anchor);
    // Moves the range by `seconds` (positive: later).
    void pan(double seconds);
    // Wheel zoom, drag pan and double-click reset on `view`'s plot area.
    void attach(QChartView *view);
    // Stops the above and forgets how far `view`'s data reaches (the range stays as it is).
    void detach(QChartView *view);

public slots:
    // Back to the fitted range, following the data again.
    void resetZoom();

signals:
    void rangeChanged(double min, double max);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refit();
    void setRange(double min, double max);
    QChartView *viewOf(QObject *watched) const;

    QHash<const QObject *, double> m_reach;
    bool m_live = true;
    std::optional<double> m_end;
    std::optional<double> m_fixed;
    bool m_zoomed = false;
    double m_min = 0;
    double m_max = kMinLiveSpan;
    // A drag in progress: where it started (viewport pixels) and the range then.
    QChartView *m_dragView = nullptr;
    QPoint m_dragFrom;
    double m_dragMin = 0;
    double m_dragMax = 0;
};

} // namespace rollscope
