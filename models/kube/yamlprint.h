// SPDX-License-Identifier: MIT
#pragma once

// JSON objects as YAML text that reads like `kubectl get -o yaml`: block style, keys in the
// object's order (QJsonObject keeps them sorted, as kubectl prints them), sequences at their
// key's indentation, strings quoted only when they would read as something else.

#include <QJsonObject>
#include <QJsonValue>
#include <QString>

namespace rollscope::kube {

struct YamlPrintOptions
{
    // kubectl get -o yaml hides metadata.managedFields by default (--show-managed-fields=false).
    bool showManagedFields = false;
};

// The object as a YAML document (no "---"), ending with a newline.
QString toYaml(const QJsonObject &object, const YamlPrintOptions &options = {});

// One string as a YAML scalar on a single line: plain when it reads back as the same string,
// else single-quoted, else double-quoted with escapes (control characters, line breaks).
QString yamlInlineScalar(const QString &text);

} // namespace rollscope::kube
