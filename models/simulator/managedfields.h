// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

// Field ownership as kube-apiserver tracks it in metadata.managedFields (server-side apply,
// sigs.k8s.io/structured-merge-diff semantics, simplified to the kinds the simulator serves).
//
// A field set is held in its wire form, a FieldsV1 trie: keys `f:<field>`, `k:{"name":"x"}`
// (an item of an associative list, by its list-map keys), `v:<json>` (an item of a set) and
// `.` (the node itself is a member); a key mapping to `{}` is a member leaf.
namespace rollscope::sim::managedfields {

// ValidateFieldManager's bound, and what the User-Agent fallback is cut to.
inline constexpr qsizetype kMaxManagerLength = 128;

// What part of an object a write can change, so what ownership it records: the main resource
// of a type with a status subresource never owns `status`; a status write owns only `status`.
enum class Scope
{
    Whole,
    MainResource,
    Status
};

struct Writer
{
    QString manager;
    QString apiVersion;  // of the request, e.g. "apps/v1"
    QString subresource; // "status", "scale" or empty
    // RFC 3339 at second precision, asked for only when an entry changes (most controller
    // writes change nothing they own, and formatting a time on each would be wasted).
    std::function<QString()> time;
    Scope scope = Scope::Whole;
};

// managerOrUserAgent: the fieldManager parameter, else the User-Agent up to its first '/',
// without unprintable characters, cut to kMaxManagerLength bytes.
QString managerFromUserAgent(const QByteArray &userAgent);

// An Update-operation write: `next` is the object about to be stored, `old` the stored one
// (nullptr for a create). The fields the write added or changed become the writer's (taken
// from other managers), removed fields leave every set. When `next` carries managedFields that
// differ from the stored ones (a client setting them), those are the base instead, and a list
// of only empty entries (`[{}]`) resets them; invalid ones are ignored, as the API server does.
void recordUpdate(QJsonObject &next, const QJsonObject *old, const Writer &writer,
                  const QString &kind);

// An Apply-operation write. `live` is the stored object (nullptr for a create by apply),
// `config` the applied configuration and `merged` the live object with the configuration merged
// in. Fields the writer applied before and omits now are removed from `merged` unless another
// manager owns them; ownership is updated and written to merged's managedFields. A field
// another manager owns with a different value is a conflict: 409 (reason Conflict, causes of
// type FieldManagerConflict) unless `force`, which takes it over.
Result<QJsonObject> recordApply(const QJsonObject *live, const QJsonObject &config,
                                QJsonObject merged, const Writer &writer, const QString &kind,
                                bool force);

// The set of fields a value holds, as ToFieldSet builds it for an applied configuration.
QJsonObject fieldSet(const QJsonObject &object, const QString &kind);

// A FieldsV1 path as conflicts print it: `.spec.containers[name="demo"].image`.
QString pathString(const QStringList &elements);

} // namespace rollscope::sim::managedfields
