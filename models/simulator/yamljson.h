// SPDX-License-Identifier: MIT
#pragma once

// The simulator reads apply-patch+yaml bodies and scenario manifests with apimachinery's YAML to
// JSON conversion, the one the client reads kubeconfig extensions with.
#include "apimachinery/yamljson.h"

namespace rollscope::sim {

using apimachinery::yamlToJsonObject;
using apimachinery::yamlToJsonObjects;

} // namespace rollscope::sim
