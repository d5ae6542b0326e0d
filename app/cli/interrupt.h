// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

class QObject;

namespace rollscope::cli {

// SIGINT/SIGTERM reach `handler` on the event loop through a socket pair (the async-signal-safe
// way), once; a second signal ends the process as usual. Both programs' mains use it: the
// headless commands to end their recording cleanly, the simulator to quit.
void onInterrupt(QObject *context, std::function<void()> handler);

} // namespace rollscope::cli
