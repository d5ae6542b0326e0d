// SPDX-License-Identifier: MIT
#pragma once

#include "apimachinery/duration.h"
#include "resources.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rollscope::sim {

// Server-side printing (meta.k8s.io/v1 Table), as kube-apiserver's printers do it: every column
// including the wide ones (kubectl hides priority-1 columns unless -o wide), cells computed at
// response time (AGE is a string), rows carrying PartialObjectMetadata.
namespace Tables {

QJsonArray columnDefinitions(const ResourceType &type);
QJsonArray cells(const ResourceType &type, const QJsonObject &object, qint64 nowMs);

enum class IncludeObject
{
    Metadata,
    Object,
    None
};
QJsonObject row(const ResourceType &type, const QJsonObject &object, qint64 nowMs,
                IncludeObject include);
// A Table of `objects`. `withColumns` false leaves columnDefinitions null (later watch events).
QJsonObject table(const ResourceType &type, const QList<QJsonObject> &objects, qint64 nowMs,
                  IncludeObject include, bool withColumns, const QJsonObject &listMetadata);

// apimachinery's duration.HumanDuration, shared with the client.
using apimachinery::humanDuration;

} // namespace Tables

} // namespace rollscope::sim
