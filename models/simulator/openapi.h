// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace rollscope::sim::OpenApi {

// The OpenAPI documents kube-apiserver publishes, generated from the typed-object table
// (schema.h): the /openapi/v3 index, one OpenAPI 3 document per group version
// ("v3/apis/apps/v1", "v3/api/v1") with the kinds' schemas, and the Swagger 2.0 document ("v2"),
// as JSON only. Empty for an unknown path.
QByteArray document(const QString &path);

// The hash a group version's document is listed with in the /openapi/v3 index (and its ETag).
QByteArray hashOf(const QByteArray &document);

struct Reply
{
    int status = 200;
    QByteArray contentType; // empty for a reply without a body
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
};

// A GET of /openapi/<path> as kube-openapi's handlers answer it: `hash` is the request's ?hash=
// (a stale one redirects to the current document, a current one makes the reply immutable),
// `accept` picks JSON (the only encoding served: a protobuf-only Accept gets 406), and an
// `ifNoneMatch` naming the document's ETag gets 304. status 404 for an unknown path.
Reply serve(const QString &path, const QString &hash, const QByteArray &accept,
            const QByteArray &ifNoneMatch);

} // namespace rollscope::sim::OpenApi
