// SPDX-License-Identifier: MIT
#include "allocator.h"

#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QThreadPool>

#include <atomic>

#if defined(__GLIBC__)
#include <malloc.h>
#include <unistd.h>
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

std::optional<QByteArray> hugePageTunables(const QByteArray &tunables,
                                           const QByteArray &transparentHugePages)
{
    // "always": the heap has huge pages already; "never": there are none to have.
    if (!transparentHugePages.contains("[madvise]") || tunables.contains("glibc.malloc.hugetlb"))
        return std::nullopt;
    const QByteArray hugePages = "glibc.malloc.hugetlb=1";
    return tunables.isEmpty() ? hugePages : tunables + ':' + hugePages;
}

void restartWithHugePageHeap(char **argv)
{
#if defined(__GLIBC__) && defined(Q_OS_LINUX)
    // Once only, even if the new process were not to see the tunable (a secure-mode start drops
    // GLIBC_TUNABLES); and the marker is not passed on to what this process starts.
    static const char kRestarted[] = "ROLLSCOPE_HUGE_PAGE_RESTART";
    const bool restarted = qEnvironmentVariableIsSet(kRestarted);
    qunsetenv(kRestarted);
    if (restarted || qEnvironmentVariableIsSet("ROLLSCOPE_NO_HUGE_PAGES"))
        return;
    QFile mode(QStringLiteral("/sys/kernel/mm/transparent_hugepage/enabled"));
    if (!mode.open(QIODevice::ReadOnly))
        return;
    const QByteArray before = qgetenv("GLIBC_TUNABLES");
    const std::optional<QByteArray> tunables = hugePageTunables(before, mode.read(256));
    mode.close();
    if (!tunables)
        return;
    qputenv("GLIBC_TUNABLES", *tunables);
    qputenv(kRestarted, "1");
    execv("/proc/self/exe", argv);
    // Could not start again: go on as started.
    qunsetenv(kRestarted);
    if (before.isNull())
        qunsetenv("GLIBC_TUNABLES");
    else
        qputenv("GLIBC_TUNABLES", before);
#else
    Q_UNUSED(argv);
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
