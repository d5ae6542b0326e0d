// SPDX-License-Identifier: MIT
#pragma once

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

} // namespace rollscope
