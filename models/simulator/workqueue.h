// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

#include <QHash>
#include <QSet>
#include <QString>

#include <functional>

namespace rollscope::sim {

// A controller's work queue: keys are coalesced while pending, processed on the simulated
// clock (delay 0 = the next pass), one key at a time, like client-go's workqueue with a single
// worker. enqueueAfter() keeps the earliest of several requested times.
class WorkQueue
{
public:
    using Handler = std::function<void(const QString &key)>;

    WorkQueue(SimClock *clock, Handler handler)
        : m_clock(clock)
        , m_handler(std::move(handler))
    {}
    ~WorkQueue()
    {
        for (auto it = m_scheduled.cbegin(); it != m_scheduled.cend(); ++it)
            m_clock->cancel(it.value().task);
    }
    WorkQueue(const WorkQueue &) = delete;
    WorkQueue &operator=(const WorkQueue &) = delete;

    void enqueue(const QString &key) { enqueueAfter(key, 0); }

    void enqueueAfter(const QString &key, qint64 delayMs)
    {
        const qint64 at = m_clock->nowMs() + qMax<qint64>(0, delayMs);
        const auto it = m_scheduled.constFind(key);
        if (it != m_scheduled.cend()) {
            if (it.value().at <= at)
                return;
            m_clock->cancel(it.value().task);
        }
        const SimClock::TaskId task = m_clock->callAt(at, [this, key] {
            m_scheduled.remove(key);
            m_handler(key);
        });
        m_scheduled.insert(key, Pending{at, task});
    }

    bool isPending(const QString &key) const { return m_scheduled.contains(key); }

private:
    struct Pending
    {
        qint64 at;
        SimClock::TaskId task;
    };
    SimClock *m_clock;
    Handler m_handler;
    QHash<QString, Pending> m_scheduled;
};

} // namespace rollscope::sim
