// SPDX-License-Identifier: MIT
#include "testmain.h"

#include "common/openssl.h"

#include <QCoreApplication>
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
    QCoreApplication::setApplicationName(QStringLiteral("Rollscope-tests"));
}

} // namespace rollscope::test
