// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>

namespace rollscope::sim {

// YAML (a superset of JSON) to JSON, with Kubernetes' reading of scalars: unquoted numbers and
// booleans become JSON numbers and booleans, everything else strings. Used for
// application/apply-patch+yaml bodies and the scenario manifests.
Result<QJsonObject> yamlToJsonObject(const QByteArray &yaml);
// Every document of a multi-document stream (`---`), skipping empty ones.
Result<QList<QJsonObject>> yamlToJsonObjects(const QByteArray &yaml);

} // namespace rollscope::sim
