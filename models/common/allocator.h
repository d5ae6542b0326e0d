// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QtGlobal>

#include <optional>

namespace rollscope {

// To be called first thing in main(), before any thread starts. glibc gives every thread that
// allocates an arena of its own (up to eight per core). Rollscope's worker threads decode list
// pages: they allocate megabytes of JSON that live for milliseconds beside the typed values that
// live on in the caches, so each arena ends up with long-lived values scattered over pages it
// can neither reuse for another thread nor return. Following a 2000-replica rollout, that was
// 45 MB of a 165 MB peak RSS (measured with tests/bench/bench_rollout_scale.sh; the heap itself
// peaked at 85 MB). Two arenas keep the main thread and the network thread from contending
// while freed memory is found again by whoever allocates next. Does nothing on other C
// libraries. Returns whether the limit was set.
bool limitAllocatorArenas();

// To be called first thing in main() of a program whose heap grows large (rollscope-sim holds
// every object of its cluster: about 700 MB for scale:1000:20), before any thread starts. On a
// virtual machine each page a growing heap touches for the first time is a costly fault:
// starting scale:1000:20 took 171,000 of them, a quarter of its time. glibc backs its heap with
// transparent huge pages when its glibc.malloc.hugetlb tunable asks it to (2,000 faults;
// seeding scale:1000:20 took 1.6 s instead of 4.0 s), and reads tunables only when a program
// starts. So when the kernel gives huge pages to whoever asks (transparent_hugepage "madvise") and
// GLIBC_TUNABLES does not say already, the program starts itself again in place (execv of
// /proc/self/exe, same arguments and process) with the tunable added. Returns when it did not: not
// Linux with glibc, ROLLSCOPE_NO_HUGE_PAGES set, nothing to gain, restarted once already, or the
// exec failed.
void restartWithHugePageHeap(char **argv);
// What GLIBC_TUNABLES becomes for that restart, given its value now and the contents of
// /sys/kernel/mm/transparent_hugepage/enabled; nullopt when there is nothing to restart for.
std::optional<QByteArray> hugePageTunables(const QByteArray &tunables,
                                           const QByteArray &transparentHugePages);

// Freed memory the process keeps: glibc returns only the top of a heap to the system at free();
// the pages of chunks freed below live data stay resident until malloc_trim() gives them back.
// A watch stream reads its data in slices of a quarter megabyte, a list page is megabytes of
// JSON: both freed at once, between values that live on in the caches. Following a
// 5,000-replica rollout in the window, trimming every second lowered the peak RSS by about 22 MB
// (177 and 170 MB against 201 and 192 MB in alternating runs of bench_dashboard).
//
// noteTransientBytes() counts such bytes as they are let go; once kTrimAfterBytes went through
// and kTrimSpacingMs passed since the last time, the freed pages of every arena are given back
// on a worker thread (a few milliseconds for a heap of 150 MB). Safe from any thread. Does
// nothing on other C libraries.
class FreedMemory
{
public:
    static constexpr qint64 kTrimAfterBytes = 16 * 1024 * 1024;
    static constexpr qint64 kTrimSpacingMs = 1000;

    static void noteTransientBytes(qint64 bytes);
    // Whether a trim is due: `pendingBytes` let go since the last one, `sinceLastMs` ago (-1:
    // never). The rule noteTransientBytes() follows.
    static bool trimDue(qint64 pendingBytes, qint64 sinceLastMs);
    // How many trims ran (tests, benchmarks).
    static int trims();
};

} // namespace rollscope
