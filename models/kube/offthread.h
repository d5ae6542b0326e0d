// SPDX-License-Identifier: MIT
#pragma once

// Decoding list pages (a 500-pod page is ~1 MB of JSON) off the GUI thread, with the result
// delivered back on the receiver's thread, and never to a receiver that is gone.

#include <QMetaObject>
#include <QMutex>
#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>
#include <utility>

namespace rollscope::kube {

// Runs `work` on the global thread pool, then `done(result)` on `receiver`'s thread. If the
// receiver is destroyed first, `done` is dropped. `work` must touch only what it captured by
// value (implicitly shared Qt values such as QJsonObject are fine).
template<typename R>
void runOffThread(QObject *receiver, std::function<R()> work, std::function<void(R)> done)
{
    struct Guard
    {
        QMutex mutex;
        QObject *receiver = nullptr;
        QMetaObject::Connection watch; // used on the receiver's thread only
    };
    auto guard = std::make_shared<Guard>();
    guard->receiver = receiver;
    // The receiver's thread clears the pointer while it is destroyed; a worker that already
    // posted its result is safe too: ~QObject removes events still posted to it.
    guard->watch = QObject::connect(receiver, &QObject::destroyed, receiver, [guard] {
        const QMutexLocker lock(&guard->mutex);
        guard->receiver = nullptr;
    });
    QThreadPool::globalInstance()->start(
        [guard, work = std::move(work), done = std::move(done)]() mutable {
            auto result = std::make_shared<R>(work());
            const QMutexLocker lock(&guard->mutex);
            if (!guard->receiver)
                return;
            QMetaObject::invokeMethod(
                guard->receiver,
                [guard, result, done = std::move(done)]() mutable {
                    QObject::disconnect(guard->watch);
                    done(std::move(*result));
                },
                Qt::QueuedConnection);
        });
}

} // namespace rollscope::kube
