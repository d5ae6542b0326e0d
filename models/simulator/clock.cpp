#include "clock.h"

#include <QDateTime>

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
    rearmTimer();
}

void SimClock::setSpeed(double speed)
{
    if (speed <= 0)
        speed = 1.0;
    // Re-base so simulated time stays continuous across the change.
    const qint64 simNow = nowMs();
    m_realBaseSim = simNow;
    m_realBaseWall = wallMs();
    m_speed = speed;
    rearmTimer();
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
    while (!m_tasks.empty()) {
        auto it = m_tasks.begin();
        if (it->first.at > limitMs)
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
