// SPDX-License-Identifier: MIT
#include "common/throttle.h"

#include <algorithm>

namespace rollscope {

Throttle::Throttle(int intervalMs, std::function<void()> action, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
    , m_action(std::move(action))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        ran();
        m_action();
    });
}

void Throttle::request()
{
    if (m_timer.isActive())
        return;
    const qint64 since = m_sinceRun.isValid() ? m_sinceRun.elapsed() : qint64(m_intervalMs);
    m_timer.start(int(std::clamp<qint64>(m_intervalMs - since, 0, m_intervalMs)));
}

void Throttle::ran()
{
    m_timer.stop();
    m_sinceRun.start();
}

} // namespace rollscope
