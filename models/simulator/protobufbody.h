// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace rollscope::sim::ProtobufBody {

// A create or update body sent as application/vnd.kubernetes.protobuf (kubectl create and other
// typed clients do), as the JSON object the same request would carry as JSON, so that it goes
// through the JSON path's type checks, defaults and validation unchanged.
//
// The body is the magic "k8s\0" and a runtime.Unknown{typeMeta{apiVersion, kind}, raw, ...}; raw
// is the object, decoded by a table of the message types of Deployment, ReplicaSet, Pod,
// Service, Namespace and autoscaling/v1 Scale. An empty apiVersion or kind in the envelope
// defaults to the endpoint's (`apiVersion`, `kind`: what it decodes into, e.g. "apps/v1" and
// "Deployment", or "autoscaling/v1" and "Scale" on a scale subresource).
//
// Field numbers the table does not know are skipped, as Go keeps them unknown. Scalars that are
// pointers in Go (DeploymentSpec.replicas) are emitted whenever present, others only when not
// zero (the generated Go marshaller writes every non-pointer field, zero or not).
//
// Errors: 400 BadRequest for a malformed body, worded as the API server's transformDecodeError;
// 415 for a kind the simulator serves but the table cannot decode (Node, Endpoints, ...).
Result<QJsonObject> decode(const QByteArray &body, const QString &apiVersion, const QString &kind);

} // namespace rollscope::sim::ProtobufBody
