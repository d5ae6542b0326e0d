// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QObject>
#include <QTimer>

#include <functional>
#include <map>
#include <vector>

namespace rollscope::sim {

// Simulated time, in milliseconds since the Unix epoch. Everything in the simulator that waits
// (start delays, grace periods, progress deadlines, controller requeues) schedules work here
// instead of using timers directly, so tests can drive the whole cluster with a virtual clock and
// the server can run faster than real time (--speed).
class SimClock : public QObject
{
    Q_OBJECT
public:
    enum class Mode
    {
        Virtual, // time moves only in advance(); nothing runs by itself
        Real,    // time follows the wall clock, multiplied by speed()
    };
    using TaskId = quint64;

    explicit SimClock(Mode mode, qint64 startMs = 0, QObject *parent = nullptr);
    ~SimClock() override;

    Mode mode() const { return m_mode; }
    qint64 nowMs() const;
    QDateTime now() const;

    // Virtual -> Real: simulated time continues from where the virtual clock stands, then
    // follows the wall clock (used after a scenario was seeded in fast-forward).
    void switchToReal();

    // Real mode only: how many simulated milliseconds pass per real millisecond.
    double speed() const { return m_speed; }
    void setSpeed(double speed);

    // Runs `task` when simulated time reaches `atMs` (at once, on the next pass, if it already
    // has). Tasks due at the same time run in the order they were scheduled.
    TaskId callAt(qint64 atMs, std::function<void()> task);
    TaskId callAfter(qint64 delayMs, std::function<void()> task);
    void cancel(TaskId id);
    bool isScheduled(TaskId id) const;

    // Virtual mode: moves time forward by `ms`, running every task that falls due on the way, in
    // time order, with nowMs() equal to each task's due time while it runs. Tasks scheduled by
    // tasks run too if they fall inside the window.
    void advance(qint64 ms);
    // Runs the tasks due now (including those they schedule for now) without moving time.
    void runDue();
    // Virtual mode: the due time of the next task, or -1 when nothing is scheduled.
    qint64 nextDueMs() const;

    // Real-time milliseconds until simulated `atMs` (at least 0).
    qint64 realDelayUntil(qint64 atMs) const;

    // The times objects carry. With --speed N simulated time runs N times faster than the wall
    // clock: that shortens every delay, but the timestamps clients see (creation, conditions,
    // events, logs) are the wall-clock instants at which things happened, never ahead of the
    // wall clock (a real cluster's clients compute ages against their own clock). On a virtual
    // clock, and for what happened before switchToReal(), simulated time is the timestamp.
    qint64 toWallMs(qint64 simMs) const;
    qint64 fromWallMs(qint64 wallMs) const;
    qint64 wallNowMs() const { return toWallMs(nowMs()); }
    // RFC 3339 (seconds) and micro-precision timestamps of simulated `simMs`, and back (-1 when
    // `text` is not a timestamp).
    QString timestamp(qint64 simMs) const;
    QString microTimestamp(qint64 simMs) const;
    qint64 parseTimestamp(const QString &text) const;

private:
    void runUntil(qint64 limitMs);
    void rearmTimer();

    struct Key
    {
        qint64 at;
        TaskId id;
        bool operator<(const Key &other) const
        {
            return at != other.at ? at < other.at : id < other.id;
        }
    };

    Mode m_mode;
    double m_speed = 1.0;
    qint64 m_virtualNow = 0;
    // Real mode: simulated time = m_realBaseSim + (wall - m_realBaseWall) * speed.
    qint64 m_realBaseSim = 0;
    qint64 m_realBaseWall = 0;
    // Where simulated time met the wall clock at each switch to real time or change of speed:
    // from `sim` on, simulated time runs `speed` times faster than the wall clock from `wall`.
    struct Segment
    {
        qint64 sim;
        qint64 wall;
        double speed;
    };
    std::vector<Segment> m_segments;
    TaskId m_nextId = 1;
    std::map<Key, std::function<void()>> m_tasks;
    std::map<TaskId, qint64> m_dueById;
    QTimer m_timer;
    bool m_running = false;
};

} // namespace rollscope::sim
