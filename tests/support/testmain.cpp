// SPDX-License-Identifier: MIT
#include "testmain.h"

#include "common/openssl.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStandardPaths>

namespace rollscope::test {

void prepareEnvironment()
{
    // As the programs do: test processes end with network threads that used TLS.
    keepOpenSslUntilExit();
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
}

void prepareApplication()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Rollscope"));
    // Settings and data of their own for each test program: ctest runs several at once, and a
    // test that starts from empty settings and an empty autosave folder (tst_rollout_session,
    // tst_window_vs_headless) removed the autosave files another one was writing and reading.
    QCoreApplication::setApplicationName(
        QStringLiteral("Rollscope-tests-") +
        QFileInfo(QCoreApplication::applicationFilePath()).completeBaseName());
}

} // namespace rollscope::test
