// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

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
