// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

namespace rollscope::sim::Discovery {

// Legacy discovery documents, as kube-apiserver v1.32 serves them with plain application/json.
QJsonObject version();
QJsonObject apiVersions(const QString &serverAddress);
QJsonObject apiGroupList();
// The APIResourceList of "v1", "apps/v1", ...; empty object for an unknown group version.
QJsonObject apiResourceList(const QString &groupVersion);

inline constexpr char kGitVersion[] = "v1.32.0-rollscope-sim";

} // namespace rollscope::sim::Discovery
