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
// Subtrees the simulator does not model in detail (probes, volumes, affinity, pod status, ...)
// accept any JSON and are kept as they are. Kinds without a schema here are not checked.
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
