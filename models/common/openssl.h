// SPDX-License-Identifier: MIT
#pragma once

namespace rollscope {

// To be called first thing in main(), before anything uses TLS. OpenSSL 3 frees every thread's
// state from an atexit handler; Qt's threads are detached, so one that used OpenSSL (the
// QNetworkAccessManager thread) may still be running its thread-exit destructors at that moment,
// and frees the same state again (a double free ASan caught in `rollscope __complete` on a loaded
// machine). Without the atexit handler the process exits with that state in place, which is what
// ending a process does anyway. Returns whether OpenSSL accepted it (false when something has
// initialised it already).
bool keepOpenSslUntilExit();

} // namespace rollscope
