// SPDX-License-Identifier: MIT
#pragma once

// Shared by the fuzz targets: Qt set up once, quietly. The same sources build two ways
// (tests/fuzz/CMakeLists.txt): with clang's libFuzzer (build-fuzz/, run.sh), and with
// replaymain.cpp as a plain program that feeds the seed corpora and every reproducer under
// regressions/ to the target once (the fuzz_replay test of the normal build).

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

namespace rollscope::fuzz {

// A QCoreApplication (timers, tr(), the event dispatcher) made once, and Qt's warnings about
// hostile input dropped: printing them would cost more than parsing. Fatal messages still
// abort, which the fuzzer reports as a crash.
inline void initQt()
{
    static bool done = false;
    if (done)
        return;
    done = true;
    qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!qEnvironmentVariableIsSet("ROLLSCOPE_FUZZ_VERBOSE")) {
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext &, const QString &msg) {
            if (type == QtFatalMsg) {
                fprintf(stderr, "qFatal: %s\n", qPrintable(msg));
                abort();
            }
        });
    }
    static int argc = 1;
    static char name[] = "rollscope-fuzz";
    static char *argv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv); // lives as long as the process
}

inline QByteArray bytes(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

// A failed invariant: abort, so that libFuzzer keeps the input (and the replay test fails).
[[noreturn]] inline void invariantFailed(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, what);
    abort();
}

} // namespace rollscope::fuzz

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition))                                                                          \
            ::rollscope::fuzz::invariantFailed(#condition, __FILE__, __LINE__);                    \
    } while (false)
