// SPDX-License-Identifier: MIT
#include "clock.h"

#include "json.h"

#include <QDateTime>
#include <QElapsedTimer>

namespace rollscope::sim {

namespace {
qint64 wallMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}
} // namespace

SimClock::SimClock(Mode mode, qint64 startMs, QObject *parent)
    : QObject(parent)
    , m_mode(mode)
{
    if (startMs <= 0)
        startMs = wallMs();
    m_virtualNow = startMs;
    m_realBaseSim = startMs;
    m_realBaseWall = wallMs();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        runUntil(nowMs());
        rearmTimer();
    });
}

SimClock::~SimClock() = default;

qint64 SimClock::nowMs() const
{
    if (m_mode == Mode::Virtual)
        return m_virtualNow;
    return m_realBaseSim + qint64(double(wallMs() - m_realBaseWall) * m_speed);
}

QDateTime SimClock::now() const
{
    return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC);
}

void SimClock::switchToReal()
{
    if (m_mode == Mode::Real)
        return;
    m_realBaseSim = m_virtualNow;
    m_realBaseWall = wallMs();
    m_mode = Mode::Real;
    m_segments.push_back({m_realBaseSim, m_realBaseWall, m_speed});
    rearmTimer();
}

void SimClock::setSpeed(double speed)
{
    if (speed <= 0)
        speed = 1.0;
    // Re-base so simulated time stays continuous across the change.
    const qint64 simNow = nowMs();
    if (m_mode == Mode::Real) {
        // Bounded: a segment per change of speed, and nobody changes it often.
        if (m_segments.size() >= 64)
            m_segments.erase(m_segments.begin() + 1);
        m_segments.push_back({simNow, toWallMs(simNow), speed});
    }
    m_realBaseSim = simNow;
    m_realBaseWall = wallMs();
    m_speed = speed;
    rearmTimer();
}

qint64 SimClock::toWallMs(qint64 simMs) const
{
    for (auto it = m_segments.rbegin(); it != m_segments.rend(); ++it) {
        if (simMs >= it->sim)
            return it->wall + qint64(double(simMs - it->sim) / it->speed);
    }
    return simMs;
}

qint64 SimClock::fromWallMs(qint64 wallMs) const
{
    for (auto it = m_segments.rbegin(); it != m_segments.rend(); ++it) {
        if (wallMs >= it->wall)
            return it->sim + qint64(double(wallMs - it->wall) * it->speed);
    }
    // Before the first switch the clock was virtual; a time in the moment between the end of
    // the warm-up and the switch belongs to the switch.
    return m_segments.empty() ? wallMs : qMin(wallMs, m_segments.front().sim);
}

QString SimClock::timestamp(qint64 simMs) const
{
    return json::timestamp(toWallMs(simMs));
}

QString SimClock::microTimestamp(qint64 simMs) const
{
    return json::microTimestamp(toWallMs(simMs));
}

qint64 SimClock::parseTimestamp(const QString &text) const
{
    const qint64 wall = json::parseTimestamp(text);
    return wall < 0 ? wall : fromWallMs(wall);
}

SimClock::TaskId SimClock::callAt(qint64 atMs, std::function<void()> task)
{
    const TaskId id = m_nextId++;
    m_tasks.emplace(Key{atMs, id}, std::move(task));
    m_dueById.emplace(id, atMs);
    if (m_mode == Mode::Real && !m_running)
        rearmTimer();
    return id;
}

SimClock::TaskId SimClock::callAfter(qint64 delayMs, std::function<void()> task)
{
    return callAt(nowMs() + qMax<qint64>(0, delayMs), std::move(task));
}

void SimClock::cancel(TaskId id)
{
    const auto it = m_dueById.find(id);
    if (it == m_dueById.end())
        return;
    m_tasks.erase(Key{it->second, id});
    m_dueById.erase(it);
}

bool SimClock::isScheduled(TaskId id) const
{
    return m_dueById.count(id) != 0;
}

void SimClock::advance(qint64 ms)
{
    Q_ASSERT(m_mode == Mode::Virtual);
    const qint64 target = m_virtualNow + qMax<qint64>(0, ms);
    runUntil(target);
    m_virtualNow = target;
}

void SimClock::runDue()
{
    runUntil(nowMs());
    if (m_mode == Mode::Real)
        rearmTimer();
}

qint64 SimClock::nextDueMs() const
{
    return m_tasks.empty() ? -1 : m_tasks.begin()->first.at;
}

qint64 SimClock::realDelayUntil(qint64 atMs) const
{
    const qint64 simDelay = atMs - nowMs();
    if (simDelay <= 0)
        return 0;
    return qint64(double(simDelay) / m_speed) + 1;
}

void SimClock::runUntil(qint64 limitMs)
{
    if (m_running)
        return; // a task called runDue(); the outer loop picks up what it scheduled
    m_running = true;
    // Real mode: a pass ends after kRealSliceMs of work even if more is due, and the timer
    // (re-armed at 0 by the caller) continues it after the event loop has served the sockets.
    // Without the slice a burst of controller work (a 2000-pod rollout at --speed 10 keeps
    // tasks due faster than they run) held every watch, request and answer until it was
    // over: the cluster fell behind its own API, which a real one, with its API server and
    // controllers in separate processes, never does.
    constexpr qint64 kRealSliceMs = 20;
    QElapsedTimer slice;
    slice.start();
    while (!m_tasks.empty()) {
        auto it = m_tasks.begin();
        if (it->first.at > limitMs)
            break;
        if (m_mode == Mode::Real && slice.elapsed() >= kRealSliceMs)
            break;
        if (m_mode == Mode::Virtual && it->first.at > m_virtualNow)
            m_virtualNow = it->first.at;
        std::function<void()> task = std::move(it->second);
        m_dueById.erase(it->first.id);
        m_tasks.erase(it);
        task();
        if (m_mode == Mode::Real)
            limitMs = qMax(limitMs, nowMs());
    }
    m_running = false;
}

void SimClock::rearmTimer()
{
    if (m_mode != Mode::Real)
        return;
    if (m_tasks.empty()) {
        m_timer.stop();
        return;
    }
    const qint64 delay = realDelayUntil(m_tasks.begin()->first.at);
    m_timer.start(int(qMin<qint64>(delay, 60'000)));
}

} // namespace rollscope::sim
