// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QJsonArray>
#include <QJsonObject>

namespace rollscope::sim {

enum class PatchType
{
    Json,
    Merge,
    StrategicMerge,
    Apply
};

// kube-apiserver's bounds on JSON patches: at most 10000 operations (413), and `copy`
// operations may add at most JSONPatchMaxCopyBytes (3 MiB) in total (422).
inline constexpr qsizetype kMaxJsonPatchOperations = 10000;
inline constexpr qint64 kJsonPatchMaxCopyBytes = 3 * 1024 * 1024;

// The patch type for a request Content-Type, or nullopt (the server answers 415).
std::optional<PatchType> patchTypeFor(const QByteArray &contentType);

// RFC 7386 JSON merge patch: maps merge recursively, null deletes, lists replace.
QJsonObject applyMergePatch(const QJsonObject &target, const QJsonObject &patch);

// RFC 6902 JSON patch. All-or-nothing: a failing operation (a failed `test`, a missing path)
// leaves nothing applied and yields 422, as the API server does.
Result<QJsonObject> applyJsonPatch(const QJsonObject &target, const QJsonArray &operations);

// Kubernetes strategic merge patch for the built-in types the simulator serves: lists of
// containers, env, ports, volumes, conditions... merge by their merge key; the directives
// $patch (replace|delete|merge), $setElementOrder/<list>, $deleteFromPrimitiveList/<list> and
// $retainKeys are honoured. `kind` selects the merge keys that depend on the type (Service
// ports merge by `port`, container ports by `containerPort`).
Result<QJsonObject> applyStrategicMergePatch(const QJsonObject &target, const QJsonObject &patch,
                                             const QString &kind);

// Server-side apply's merge: the applied configuration is merged into the live object with the
// strategic merge rules. Field ownership (managedFields, conflicts, force, the removal of fields
// no longer applied) is managedfields::recordApply's, which the registry runs on the result.
Result<QJsonObject> applyApplyPatch(const QJsonObject &target, const QJsonObject &applied,
                                    const QString &kind);

} // namespace rollscope::sim
