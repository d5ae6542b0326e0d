// SPDX-License-Identifier: MIT
#pragma once

#include "resources.h"

#include <QJsonObject>
#include <QStringList>

#include <optional>

namespace rollscope::sim {

// The Go types behind the kinds clients write (Deployment, ReplicaSet, Pod, Service, Namespace
// and the autoscaling/v1 Scale), as far as decoding a request body into them matters: which
// fields exist and what JSON each can hold. The API server decodes every write into its typed
// object, so a value of the wrong type is an error (Go's json wording), and a field the type
// does not have is dropped, reported as a warning or refused, as `fieldValidation` asks.
//
// Free-form subtrees (RawExtension-like) and the few rarely used ones not modelled (see
// schema.cpp) accept any JSON and are kept as they are. Kinds without a schema here are not
// checked.
namespace Schema {

enum class FieldValidation
{
    Ignore,
    Warn,
    Strict
};

struct Decoded
{
    // Go's JSON decoding error for the first value its typed field cannot hold, e.g.
    // "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type
    // int32". When set, nothing else is meaningful: the write fails.
    std::optional<QString> typeError;
    // Fields the type does not have, named as the strict decoder names them
    // ("spec.template.spec.containers[0].bogus"); they are removed from the object. At most
    // 100 are named; `moreUnknownFields` says there were more.
    QStringList unknownFields;
    bool moreUnknownFields = false;
};

// The typed-object table itself, read by the OpenAPI documents (openapi.cpp) so that what the
// server decodes and what it publishes come from one source.
struct Node;

struct Field
{
    QString name;
    const Node *node = nullptr;
    QString description;
    // Kubernetes' OpenAPI extensions on the field: strategic merge patch metadata and the list
    // semantics server-side apply uses.
    QString patchStrategy;   // "merge", "retainKeys", "merge,retainKeys"
    QString patchMergeKey;   // "name"
    QString listType;        // "atomic", "map", "set"
    QStringList listMapKeys; // with listType "map"
    bool required = false;
};

struct Node
{
    enum class Kind
    {
        Struct,
        Map,
        List,
        String,
        Int32,
        Int64,
        Bool,
        Time,        // metav1.Time: an RFC 3339 string
        IntOrString, // intstr.IntOrString
        Quantity,    // resource.Quantity: a string or a number in the quantity syntax
        Any          // free-form JSON (RawExtension, FieldsV1) or a subtree not modelled
    };
    Kind kind = Kind::Any;
    // Struct, Time, IntOrString, Quantity: the Go type and its OpenAPI package, e.g.
    // "DeploymentSpec" in "io.k8s.api.apps.v1".
    QString goName;
    QString package;
    QString description;
    QList<Field> fields;           // Struct, sorted by name
    const Node *element = nullptr; // Map value, List element

    const Field *field(const QString &name) const;
    // "io.k8s.api.apps.v1.DeploymentSpec"; empty for nodes that are no named type.
    QString componentName() const;
};

// The kind's typed object (its autoscaling/v1 Scale when `scale`), or null when not modelled.
const Node *root(const ResourceType &type, bool scale = false);

bool hasSchema(const ResourceType &type);

// Decodes `object` as the API server decodes a body into the kind's Go type (its Scale when
// `scale`): reports the first type error and the unknown fields, and removes the unknown fields
// from `object`, as the typed object cannot hold them.
Decoded decode(const ResourceType &type, QJsonObject &object, bool scale = false);

// The strict decoder's error text for unknown fields: `strict decoding error: unknown field
// "a", unknown field "b"`.
QString strictDecodingError(const QStringList &unknownFields);

} // namespace Schema

} // namespace rollscope::sim
