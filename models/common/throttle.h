// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <functional>

namespace rollscope {

// Runs an action at most once per interval, at the leading edge: a request after a quiet
// interval runs on the next event-loop pass (requests of the same pass run it once), a request
// within the interval runs when the interval is over. A trailing-only timer would add the whole
// interval to every change (a Pod Ready took 40 ms longer to reach a chart for nothing).
//
// The action may also run directly (a redraw forced by a resize): it calls ran() then, so the
// interval counts from there and a pending run is dropped.
class Throttle : public QObject
{
public:
    Throttle(int intervalMs, std::function<void()> action, QObject *parent = nullptr);

    void setInterval(int intervalMs) { m_intervalMs = intervalMs; }
    int interval() const { return m_intervalMs; }

    // Asks for a run: now (next pass) or when the interval since the last run is over.
    void request();
    bool isPending() const { return m_timer.isActive(); }
    // The action ran (through request() or directly): the interval starts now, nothing pends.
    void ran();
    // Drops a pending run.
    void cancel() { m_timer.stop(); }

private:
    int m_intervalMs;
    std::function<void()> m_action;
    QTimer m_timer;
    QElapsedTimer m_sinceRun; // invalid until the first run
};

} // namespace rollscope
