// SPDX-License-Identifier: MIT
#include "openapi.h"

#include "resources.h"
#include "schema.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QStringList>
#include <QTimeZone>

namespace rollscope::sim::OpenApi {

namespace {

using Schema::Node;
using NK = Schema::Node::Kind;

// The /openapi/v3 key of a resource's group version: "api/v1", "apis/apps/v1".
QString openApiKey(const ResourceType &t)
{
    return t.group.isEmpty() ? QStringLiteral("api/v1")
                             : QStringLiteral("apis/") + t.groupVersion();
}

// The group versions a user may create or apply objects in, as /openapi/v3 keys.
QStringList servedGroupVersions()
{
    QStringList gvs;
    for (const ResourceType &t : Resources::all()) {
        if (!gvs.contains(openApiKey(t)))
            gvs << openApiKey(t);
    }
    return gvs;
}

QJsonObject gvkObject(const QString &group, const QString &version, const QString &kind)
{
    return QJsonObject{{QStringLiteral("group"), group},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("kind"), kind}};
}

// Builds the schemas of one document, OpenAPI 3 ("#/components/schemas/") or Swagger 2.0
// ("#/definitions/"), from the typed-object table.
class SchemaWriter
{
public:
    explicit SchemaWriter(bool v3)
        : m_v3(v3)
    {}

    // Adds the named type and everything it refers to; `gvk` marks a kind's top-level type.
    void addRoot(const Node *node, const QJsonObject &gvk)
    {
        add(node);
        QJsonArray &gvks = m_gvks[node->componentName()];
        if (!gvks.contains(gvk))
            gvks.append(gvk);
    }

    QJsonObject schemas() const
    {
        QJsonObject out;
        for (auto it = m_components.cbegin(); it != m_components.cend(); ++it) {
            QJsonObject component = it.value();
            const auto gvks = m_gvks.constFind(it.key());
            if (gvks != m_gvks.cend())
                component.insert(QStringLiteral("x-kubernetes-group-version-kind"), *gvks);
            out.insert(it.key(), component);
        }
        return out;
    }

    QString ref(const Node *node) const
    {
        return (m_v3 ? QStringLiteral("#/components/schemas/") : QStringLiteral("#/definitions/")) +
               node->componentName();
    }

private:
    static bool isNamed(const Node *node) { return !node->componentName().isEmpty(); }

    void add(const Node *node)
    {
        const QString name = node->componentName();
        if (name.isEmpty() || m_components.contains(name))
            return;
        m_components.insert(name, QJsonObject()); // claims the name: a cycle stops here
        QJsonObject component{{QStringLiteral("description"), node->description}};
        switch (node->kind) {
        case NK::Struct: {
            QJsonObject properties;
            QJsonArray required;
            for (const Schema::Field &f : node->fields) {
                properties.insert(f.name, property(f));
                if (f.required)
                    required.append(f.name);
            }
            component.insert(QStringLiteral("type"), QStringLiteral("object"));
            component.insert(QStringLiteral("properties"), properties);
            if (!required.isEmpty())
                component.insert(QStringLiteral("required"), required);
            break;
        }
        case NK::Time:
            component.insert(QStringLiteral("type"), QStringLiteral("string"));
            component.insert(QStringLiteral("format"), QStringLiteral("date-time"));
            break;
        case NK::IntOrString:
            component.insert(QStringLiteral("format"), QStringLiteral("int-or-string"));
            if (m_v3) {
                // No `type`: OpenAPI 3 says "one of" (kubectl explain then names the type).
                component.insert(
                    QStringLiteral("oneOf"),
                    QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")}},
                               QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}}});
                component.insert(QStringLiteral("x-kubernetes-int-or-string"), true);
            } else {
                component.insert(QStringLiteral("type"), QStringLiteral("string"));
            }
            break;
        case NK::Quantity:
            if (m_v3)
                component.insert(
                    QStringLiteral("oneOf"),
                    QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}},
                               QJsonObject{{QStringLiteral("type"), QStringLiteral("number")}}});
            else
                component.insert(QStringLiteral("type"), QStringLiteral("string"));
            break;
        default:
            break;
        }
        m_components.insert(name, component);
    }

    // The schema of a value of `node`'s type, as a property, an array item or a map value.
    QJsonObject valueSchema(const Node *node, bool item)
    {
        if (isNamed(node)) {
            add(node);
            // OpenAPI 3 puts a reference beside a description or a default in an allOf.
            if (!m_v3 || (item && node->kind != NK::Struct))
                return QJsonObject{{QStringLiteral("$ref"), ref(node)}};
            QJsonObject s{{QStringLiteral("allOf"),
                           QJsonArray{QJsonObject{{QStringLiteral("$ref"), ref(node)}}}}};
            if (node->kind == NK::Struct)
                s.insert(QStringLiteral("default"), QJsonObject());
            return s;
        }
        switch (node->kind) {
        case NK::List:
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("array")},
                               {QStringLiteral("items"), valueSchema(node->element, true)}};
        case NK::Map:
            return QJsonObject{
                {QStringLiteral("type"), QStringLiteral("object")},
                {QStringLiteral("additionalProperties"), valueSchema(node->element, true)}};
        case NK::String: {
            QJsonObject s{{QStringLiteral("type"), QStringLiteral("string")}};
            if (item)
                s.insert(QStringLiteral("default"), QString());
            return s;
        }
        case NK::Int32:
        case NK::Int64:
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("integer")},
                               {QStringLiteral("format"), node->kind == NK::Int32
                                                              ? QStringLiteral("int32")
                                                              : QStringLiteral("int64")}};
        case NK::Bool:
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("boolean")}};
        default: // free-form JSON
            return QJsonObject{{QStringLiteral("type"), QStringLiteral("object")}};
        }
    }

    QJsonObject property(const Schema::Field &f)
    {
        QJsonObject s = valueSchema(f.node, false);
        if (!f.description.isEmpty())
            s.insert(QStringLiteral("description"), f.description);
        if (!f.patchStrategy.isEmpty())
            s.insert(QStringLiteral("x-kubernetes-patch-strategy"), f.patchStrategy);
        if (!f.patchMergeKey.isEmpty())
            s.insert(QStringLiteral("x-kubernetes-patch-merge-key"), f.patchMergeKey);
        if (!f.listType.isEmpty())
            s.insert(QStringLiteral("x-kubernetes-list-type"), f.listType);
        if (!f.listMapKeys.isEmpty())
            s.insert(QStringLiteral("x-kubernetes-list-map-keys"),
                     QJsonArray::fromStringList(f.listMapKeys));
        return s;
    }

    bool m_v3;
    QMap<QString, QJsonObject> m_components;
    QHash<QString, QJsonArray> m_gvks;
};

QJsonObject queryParameter(const char *name, bool v3)
{
    QJsonObject p{{QStringLiteral("name"), QLatin1StringView(name)},
                  {QStringLiteral("in"), QStringLiteral("query")}};
    if (v3)
        p.insert(QStringLiteral("schema"),
                 QJsonObject{{QStringLiteral("type"), QStringLiteral("string")}});
    else
        p.insert(QStringLiteral("type"), QStringLiteral("string"));
    return p;
}

constexpr const char *kPatchTypes[] = {
    "application/apply-patch+yaml", "application/json-patch+json", "application/merge-patch+json",
    "application/strategic-merge-patch+json"};

// A PATCH operation per kind: kubectl's QueryParamVerifierV3 reads it to learn that the server
// validates fields itself (then it sends fieldValidation=Strict and skips client-side schema
// validation), `kubectl explain` finds the kind's GVK on it, and `kubectl apply` checks it takes
// strategic merge patches before computing one from the schemas.
QJsonObject patchOperation(const ResourceType &t, const SchemaWriter &writer, bool v3)
{
    const Node *root = Schema::root(t);
    QJsonObject ok{{QStringLiteral("description"), QStringLiteral("OK")}};
    if (root) {
        const QJsonObject schema{{QStringLiteral("$ref"), writer.ref(root)}};
        if (v3)
            ok.insert(QStringLiteral("content"),
                      QJsonObject{{QStringLiteral("application/json"),
                                   QJsonObject{{QStringLiteral("schema"), schema}}}});
        else
            ok.insert(QStringLiteral("schema"), schema);
    }
    QJsonArray parameters;
    for (const char *name : {"dryRun", "fieldManager", "fieldValidation", "force"})
        parameters.append(queryParameter(name, v3));
    QJsonObject patch{
        {QStringLiteral("operationId"), QString(QStringLiteral("patch") + t.kind)},
        {QStringLiteral("responses"), QJsonObject{{QStringLiteral("200"), ok}}},
        {QStringLiteral("x-kubernetes-action"), QStringLiteral("patch")},
        {QStringLiteral("x-kubernetes-group-version-kind"), gvkObject(t.group, t.version, t.kind)},
    };
    const QJsonObject body{{QStringLiteral("type"), QStringLiteral("object")}};
    if (v3) {
        QJsonObject content;
        for (const char *type : kPatchTypes)
            content.insert(QLatin1StringView(type), QJsonObject{{QStringLiteral("schema"), body}});
        patch.insert(
            QStringLiteral("requestBody"),
            QJsonObject{{QStringLiteral("content"), content}, {QStringLiteral("required"), true}});
    } else {
        QJsonArray consumes;
        for (const char *type : kPatchTypes)
            consumes.append(QLatin1StringView(type));
        patch.insert(QStringLiteral("consumes"), consumes);
        patch.insert(QStringLiteral("produces"), QJsonArray{QStringLiteral("application/json")});
        parameters.prepend(QJsonObject{{QStringLiteral("name"), QStringLiteral("body")},
                                       {QStringLiteral("in"), QStringLiteral("body")},
                                       {QStringLiteral("required"), true},
                                       {QStringLiteral("schema"), body}});
    }
    patch.insert(QStringLiteral("parameters"), parameters);
    return patch;
}

QString itemPath(const ResourceType &t)
{
    return u'/' + openApiKey(t) +
           (t.namespaced ? QStringLiteral("/namespaces/{namespace}/") : QStringLiteral("/")) +
           t.plural + QStringLiteral("/{name}");
}

// The kinds of the group versions `keys` (all when empty) with their schemas, and the Scale
// of those with a scale subresource.
void addKinds(SchemaWriter &writer, const QStringList &keys)
{
    for (const ResourceType &t : Resources::all()) {
        if (!keys.isEmpty() && !keys.contains(openApiKey(t)))
            continue;
        if (const Node *root = Schema::root(t))
            writer.addRoot(root, gvkObject(t.group, t.version, t.kind));
        if (t.subresources.contains(QStringLiteral("scale")))
            writer.addRoot(Schema::root(t, true),
                           gvkObject(QStringLiteral("autoscaling"), QStringLiteral("v1"),
                                     QStringLiteral("Scale")));
    }
}

QJsonObject openApiInfo()
{
    return QJsonObject{{QStringLiteral("title"), QStringLiteral("Kubernetes")},
                       {QStringLiteral("version"), QStringLiteral("v1.32.0")}};
}

QByteArray groupVersionDocument(const QString &key)
{
    SchemaWriter writer(true);
    addKinds(writer, {key});
    QJsonObject paths;
    for (const ResourceType &t : Resources::all()) {
        if (openApiKey(t) == key)
            paths.insert(itemPath(t),
                         QJsonObject{{QStringLiteral("patch"), patchOperation(t, writer, true)}});
    }
    if (paths.isEmpty())
        return {};
    const QJsonObject doc{
        {QStringLiteral("openapi"), QStringLiteral("3.0.0")},
        {QStringLiteral("info"), openApiInfo()},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("components"), QJsonObject{{QStringLiteral("schemas"), writer.schemas()}}},
    };
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

QByteArray swaggerDocument()
{
    SchemaWriter writer(false);
    addKinds(writer, {});
    QJsonObject paths;
    for (const ResourceType &t : Resources::all())
        paths.insert(itemPath(t),
                     QJsonObject{{QStringLiteral("patch"), patchOperation(t, writer, false)}});
    const QJsonObject doc{
        {QStringLiteral("swagger"), QStringLiteral("2.0")},
        {QStringLiteral("info"), openApiInfo()},
        {QStringLiteral("paths"), paths},
        {QStringLiteral("definitions"), writer.schemas()},
    };
    return QJsonDocument(doc).toJson(QJsonDocument::Compact);
}

// Every document, built once (the table is static).
struct Documents
{
    Documents()
    {
        QJsonObject index;
        for (const QString &gv : servedGroupVersions()) {
            const QByteArray doc = groupVersionDocument(gv);
            const QByteArray hash = hashOf(doc);
            byPath.insert(QStringLiteral("v3/") + gv, doc);
            hashes.insert(QStringLiteral("v3/") + gv, hash);
            index.insert(
                gv, QJsonObject{{QStringLiteral("serverRelativeURL"),
                                 QString(QStringLiteral("/openapi/v3/") + gv +
                                         QStringLiteral("?hash=") + QString::fromLatin1(hash))}});
        }
        const QByteArray indexDoc = QJsonDocument(QJsonObject{{QStringLiteral("paths"), index}})
                                        .toJson(QJsonDocument::Compact);
        byPath.insert(QStringLiteral("v3"), indexDoc);
        byPath.insert(QStringLiteral("v3/"), indexDoc);
        const QByteArray v2 = swaggerDocument();
        byPath.insert(QStringLiteral("v2"), v2);
        hashes.insert(QStringLiteral("v2"), hashOf(v2));
    }
    QHash<QString, QByteArray> byPath;
    QHash<QString, QByteArray> hashes; // documents served with an ETag
};

const Documents &documents()
{
    static const Documents instance;
    return instance;
}

// Whether an Accept header admits application/json (no header admits anything).
bool acceptsJson(const QByteArray &accept)
{
    if (accept.trimmed().isEmpty())
        return true;
    for (const QByteArray &clause : accept.split(',')) {
        const QByteArray type = clause.split(';').value(0).trimmed().toLower();
        if (type == "application/json" || type == "application/*" || type == "*/*")
            return true;
    }
    return false;
}

} // namespace

QByteArray hashOf(const QByteArray &document)
{
    // As kube-openapi computes it: the SHA-512 of the document in upper-case hex.
    return QCryptographicHash::hash(document, QCryptographicHash::Sha512).toHex().toUpper();
}

QByteArray document(const QString &path)
{
    return documents().byPath.value(path);
}

Reply serve(const QString &path, const QString &hash, const QByteArray &accept,
            const QByteArray &ifNoneMatch)
{
    Reply reply;
    const Documents &docs = documents();
    const auto doc = docs.byPath.constFind(path);
    if (doc == docs.byPath.cend()) {
        reply.status = 404;
        return reply;
    }
    const QByteArray etag = docs.hashes.value(path);
    if (etag.isEmpty()) { // the index: always fresh
        reply.contentType = QByteArrayLiteral("application/json");
        reply.body = *doc;
        return reply;
    }
    reply.headers << qMakePair(QByteArrayLiteral("Vary"), QByteArrayLiteral("Accept"));
    if (!acceptsJson(accept)) {
        // kube-apiserver would send protobuf here; the simulator has JSON only.
        reply.status = 406;
        return reply;
    }
    if (!hash.isEmpty() && path.startsWith(u"v3/")) {
        if (hash.toLatin1() != etag) {
            reply.status = 301;
            reply.headers << qMakePair(QByteArrayLiteral("Location"),
                                       QByteArray("/openapi/" + path.toUtf8() + "?hash=" + etag));
            return reply;
        }
        // The hash names this exact content: it can be cached for good.
        reply.headers << qMakePair(QByteArrayLiteral("Cache-Control"),
                                   QByteArrayLiteral("public, immutable"))
                      << qMakePair(QByteArrayLiteral("Expires"),
                                   QLocale::c()
                                           .toString(QDateTime::currentDateTimeUtc().addYears(1),
                                                     QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
                                           .toLatin1() +
                                       " UTC");
    }
    const QByteArray quoted = '"' + etag + '"';
    reply.headers << qMakePair(QByteArrayLiteral("Etag"), quoted);
    for (const QByteArray &candidate : ifNoneMatch.split(',')) {
        const QByteArray c = candidate.trimmed();
        if (c == quoted || c == "W/" + quoted || c == "*") {
            reply.status = 304;
            return reply;
        }
    }
    reply.contentType = QByteArrayLiteral("application/json");
    reply.body = *doc;
    return reply;
}

} // namespace rollscope::sim::OpenApi
