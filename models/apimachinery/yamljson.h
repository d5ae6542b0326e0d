// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>

#include <limits>

namespace YAML {
class Node;
}

namespace rollscope::apimachinery {

// YAML (a superset of JSON) to JSON, as sigs.k8s.io/yaml's YAMLToJSON reads it: quoted scalars
// (and `!!str`) stay strings; plain ones become numbers ("5", "-1.5", "1e3"), booleans
// (true/True/TRUE, false/False/FALSE) or null (null/Null/NULL, "~", empty), else strings. A
// repeated key keeps its last value. Keys must be scalars. kubectl reads kubeconfig extensions
// this way and the API server apply-patch+yaml bodies, so the client and the simulator share it.

// The `reason` of the Error when a node is nested deeper than allowed.
inline constexpr QLatin1StringView kYamlNestedTooDeep("NestedTooDeep");
inline constexpr int kYamlNoDepthLimit = std::numeric_limits<int>::max();

// One parsed node. Nested more than `maxDepth` levels below `node` is an error (reason
// kYamlNestedTooDeep), as is a key that is not a scalar.
Result<QJsonValue> yamlNodeToJson(const YAML::Node &node, int maxDepth = kYamlNoDepthLimit);

// A whole document, which must be a mapping. Errors read as the API server's ("error converting
// YAML to JSON: yaml: line 3: ...") and are of kind Usage.
Result<QJsonObject> yamlToJsonObject(const QByteArray &yaml);
// Every document of a multi-document stream (`---`), skipping empty ones.
Result<QList<QJsonObject>> yamlToJsonObjects(const QByteArray &yaml);

} // namespace rollscope::apimachinery
