// SPDX-License-Identifier: MIT
// Linked into every GUI test: the window's demo cluster is the simulator, as the app's main()
// installs it (the window's library does not link the simulator).
#include "simulator/cluster.h"

namespace {

const bool g_demoInstalled = [] {
    rollscope::sim::SimClusterThread::installAsDemoCluster();
    return true;
}();

} // namespace
