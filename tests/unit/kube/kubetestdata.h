// SPDX-License-Identifier: MIT
#pragma once

// Fixture access for the tests of models/kube.

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTest>

namespace rollscope::test {

inline QString kubeDataFile(const QString &name)
{
    QString source = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (source.isEmpty())
        source = QDir::cleanPath(QFINDTESTDATA("../../data") + QStringLiteral("/../.."));
    return QDir::cleanPath(source + QStringLiteral("/tests/data/kube/") + name);
}

inline QJsonObject kubeFixture(const QString &name)
{
    QFile file(kubeDataFile(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace rollscope::test
