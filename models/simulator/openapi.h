// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>

namespace rollscope::sim::OpenApi {

// The OpenAPI document at /openapi/<path> ("v2", "v3", "v3/apis/apps/v1"...), or empty for an
// unknown path (the server answers 404).
QByteArray document(const QString &path);

} // namespace rollscope::sim::OpenApi
