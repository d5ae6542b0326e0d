// SPDX-License-Identifier: MIT
#include "testmain.h"

#include <QCoreApplication>
#include <QStandardPaths>

namespace rollscope::test {

void prepareEnvironment()
{
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
