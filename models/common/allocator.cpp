// SPDX-License-Identifier: MIT
#include "allocator.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QThreadPool>

#include <atomic>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rollscope {

bool limitAllocatorArenas()
{
#if defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, 2) == 1;
#else
    return false;
#endif
}

namespace {

struct TrimState
{
    QMutex mutex;
    qint64 pending = 0;
    QElapsedTimer sinceLast; // invalid until the first trim
    bool running = false;
    std::atomic<int> trims{0};
};

TrimState &trimState()
{
    static TrimState state;
    return state;
}

} // namespace

bool FreedMemory::trimDue(qint64 pendingBytes, qint64 sinceLastMs)
{
    return pendingBytes >= kTrimAfterBytes && (sinceLastMs < 0 || sinceLastMs >= kTrimSpacingMs);
}

void FreedMemory::noteTransientBytes(qint64 bytes)
{
#if defined(__GLIBC__)
    TrimState &state = trimState();
    {
        const QMutexLocker lock(&state.mutex);
        state.pending += qMax<qint64>(0, bytes);
        const qint64 since = state.sinceLast.isValid() ? state.sinceLast.elapsed() : -1;
        if (state.running || !trimDue(state.pending, since))
            return;
        state.running = true;
        state.pending = 0;
        state.sinceLast.start();
    }
    QThreadPool::globalInstance()->start([] {
        malloc_trim(0);
        TrimState &s = trimState();
        s.trims.fetch_add(1, std::memory_order_relaxed);
        const QMutexLocker lock(&s.mutex);
        s.running = false;
    });
#else
    Q_UNUSED(bytes);
#endif
}

int FreedMemory::trims()
{
    return trimState().trims.load(std::memory_order_relaxed);
}

} // namespace rollscope
