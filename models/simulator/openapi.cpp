// SPDX-License-Identifier: MIT
#include "openapi.h"

#include "resources.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace rollscope::sim::OpenApi {

namespace {

// The group versions a user may create or apply objects in, as /openapi/v3 keys.
QStringList servedGroupVersions()
{
    QStringList gvs;
    for (const ResourceType &t : Resources::all()) {
        const QString key = t.group.isEmpty() ? QStringLiteral("api/v1")
                                              : QStringLiteral("apis/") + t.groupVersion();
        if (!gvs.contains(key))
            gvs << key;
    }
    return gvs;
}

QJsonObject parameter(const char *name)
{
    return QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                       {QStringLiteral("in"), QStringLiteral("query")},
                       {QStringLiteral("schema"),
                        QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}}};
}

// A PATCH operation per kind is what kubectl's QueryParamVerifierV3 reads to learn that the
// server validates fields itself (then it sends fieldValidation=Strict and skips client-side
// schema validation, which would need the protobuf OpenAPI v2 document). Schemas are left out:
// for built-in kinds kubectl computes strategic merge patches from its compiled-in types.
QByteArray groupVersionDocument(const QString &key)
{
    QJsonObject paths;
    for (const ResourceType &t : Resources::all()) {
        const QString tKey = t.group.isEmpty() ? QStringLiteral("api/v1")
                                               : QStringLiteral("apis/") + t.groupVersion();
        if (tKey != key)
            continue;
        const QString path =
            u'/' + tKey +
            (t.namespaced ? QStringLiteral("/namespaces/{namespace}/") : QStringLiteral("/")) +
            t.plural + QStringLiteral("/{name}");
        QJsonObject content;
        for (const char *type :
             {"application/apply-patch+yaml", "application/json-patch+json",
              "application/merge-patch+json", "application/strategic-merge-patch+json"})
            content.insert(
                QLatin1StringView(type),
                QJsonObject{{QStringLiteral("schema"),
                             QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}}}});
        const QJsonObject patch{
            {QStringLiteral("operationId"), QString(QStringLiteral("patch") + t.kind)},
            {QStringLiteral("parameters"),
             QJsonArray{parameter("dryRun"), parameter("fieldManager"),
                        parameter("fieldValidation"), parameter("force")}},
            {QStringLiteral("requestBody"),
             QJsonObject{{QStringLiteral("content"), content}, {QStringLiteral("required"), true}}},
            {QStringLiteral("responses"),
             QJsonObject{{QStringLiteral("200"),
                          QJsonObject{{QStringLiteral("description"), QStringLiteral("OK")}}}}},
            {QStringLiteral("x-kubernetes-action"), QStringLiteral("patch")},
            {QStringLiteral("x-kubernetes-group-version-kind"),
             QJsonObject{{QStringLiteral("group"), t.group},
                         {QStringLiteral("version"), t.version},
                         {QStringLiteral("kind"), t.kind}}},
        };
        paths.insert(path, QJsonObject{{QStringLiteral("patch"), patch}});
    }
    if (paths.isEmpty())
        return {};
    const QJsonObject doc{
        {QStringLiteral("openapi"), QStringLiteral("3.0.0")},
        {QStringLiteral("info"),
         QJsonObject{{QStringLiteral("title"), QStringLiteral("Kubernetes")},
                     {QStringLiteral("version"), QStringLiteral("v1.32.0")}}},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), QJsonObject{{QStringLiteral("schemas"), QJsonObject()}}},
    };
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

QByteArray hashOf(const QByteArray &document)
{
    return QCryptographicHash::hash(document, QCryptographicHash::Sha256)
        .toHex()
        .left(32)
        .toUpper();
}

} // namespace

QByteArray document(const QString &path)
{
    if (path == u"v3" || path == u"v3/") {
        QJsonObject paths;
        for (const QString &gv : servedGroupVersions())
            paths.insert(
                gv, QJsonObject{
                        {QStringLiteral("serverRelativeURL"),
                         QString(QStringLiteral("/openapi/v3/") + gv + QStringLiteral("?hash=") +
                                 QString::fromLatin1(hashOf(groupVersionDocument(gv))))}});
        return QJsonDocument(QJsonObject{{QStringLiteral("paths"), paths}})
            .toJson(QJsonDocument::Compact);
    }
    if (path.startsWith(QStringLiteral("v3/")))
        return groupVersionDocument(path.mid(3));
    // /openapi/v2 is protobuf-only for kubectl; a 404 is the answer that works.
    return {};
}

} // namespace rollscope::sim::OpenApi
