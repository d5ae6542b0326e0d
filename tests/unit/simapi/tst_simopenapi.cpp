// SPDX-License-Identifier: MIT
// The OpenAPI documents (models/simulator/openapi.*) against the typed-object table they are
// generated from (schema.*): every served kind has a component carrying its GVK, and every
// component's properties are exactly the table's fields with their types and the Kubernetes
// extensions kubectl reads (patch strategy and merge key, list type, formats). Then the HTTP
// behaviour kube-openapi has: the index's hash, immutable caching, redirects for a stale hash,
// ETag / If-None-Match, and JSON only (406 for a protobuf-only Accept).

#include "simulator/openapi.h"
#include "simulator/resources.h"
#include "simulator/schema.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

using NK = Schema::Node::Kind;

QJsonObject documentFor(const QString &path)
{
    return QJsonDocument::fromJson(OpenApi::document(path)).object();
}

QString keyOf(const ResourceType &t)
{
    return t.group.isEmpty() ? QStringLiteral("api/v1")
                             : QStringLiteral("apis/") + t.groupVersion();
}

QJsonObject gvk(const QString &group, const QString &version, const QString &kind)
{
    return QJsonObject{{QStringLiteral("group"), group},
                       {QStringLiteral("version"), version},
                       {QStringLiteral("kind"), kind}};
}

// The component whose x-kubernetes-group-version-kind names `want`, as kubectl explain looks
// it up; its name in `name`.
QJsonObject componentWithGvk(const QJsonObject &schemas, const QJsonObject &want, QString *name)
{
    for (auto it = schemas.begin(); it != schemas.end(); ++it) {
        const QJsonArray gvks =
            it.value().toObject().value(u"x-kubernetes-group-version-kind").toArray();
        if (gvks.contains(want)) {
            *name = it.key();
            return it.value().toObject();
        }
    }
    return {};
}

// Compares a component (and, recursively, everything it refers to) with the table's node.
// v3: properties refer to named types through allOf/$ref; v2: through $ref.
class Matcher
{
public:
    Matcher(const QJsonObject &schemas, bool v3)
        : m_schemas(schemas)
        , m_v3(v3)
    {}

    QStringList problems;

    void component(const QString &name, const Schema::Node *node)
    {
        if (m_seen.contains(name))
            return;
        m_seen.insert(name);
        if (name != node->componentName())
            return problem(name, QStringLiteral("names a node called ") + node->componentName());
        const QJsonObject c = m_schemas.value(name).toObject();
        if (c.isEmpty())
            return problem(name, QStringLiteral("missing"));
        if (c.value(u"description").toString().isEmpty())
            problem(name, QStringLiteral("no description"));
        switch (node->kind) {
        case NK::Struct: {
            const QJsonObject properties = c.value(u"properties").toObject();
            QStringList names;
            QStringList required;
            for (const Schema::Field &f : node->fields) {
                names << f.name;
                if (f.required)
                    required << f.name;
                property(name + u'.' + f.name, properties.value(f.name).toObject(), f);
            }
            if (properties.keys() != names)
                problem(name, QStringLiteral("properties %1, fields %2")
                                  .arg(properties.keys().join(u','), names.join(u',')));
            QStringList listed;
            for (const QJsonValue &r : c.value(u"required").toArray())
                listed << r.toString();
            if (listed != required)
                problem(name, QStringLiteral("required ") + listed.join(u','));
            expect(name, c, u"type", QStringLiteral("object"));
            break;
        }
        case NK::Time:
            expect(name, c, u"type", QStringLiteral("string"));
            expect(name, c, u"format", QStringLiteral("date-time"));
            break;
        case NK::IntOrString:
            expect(name, c, u"format", QStringLiteral("int-or-string"));
            if (m_v3 && !c.value(u"x-kubernetes-int-or-string").toBool())
                problem(name, QStringLiteral("no x-kubernetes-int-or-string"));
            if (m_v3 && c.contains(u"type"))
                problem(name, QStringLiteral("a type (kubectl explain would not name it)"));
            break;
        case NK::Quantity:
            if (m_v3 && c.value(u"oneOf").toArray().size() != 2)
                problem(name, QStringLiteral("not oneOf string or number"));
            break;
        default:
            problem(name, QStringLiteral("unexpected component kind"));
        }
    }

private:
    void problem(const QString &where, const QString &what)
    {
        problems << where + QStringLiteral(": ") + what;
    }
    void expect(const QString &where, const QJsonObject &o, QStringView key, const QString &want)
    {
        const QString got = o.value(key).toString();
        if (got != want)
            problem(where, key.toString() + u'=' + got + QStringLiteral(", expected ") + want);
    }

    // The schema of a value of `node`'s type.
    void value(const QString &where, const QJsonObject &s, const Schema::Node *node, bool property)
    {
        const QString name = node->componentName();
        if (!name.isEmpty()) {
            QString ref = s.value(u"$ref").toString();
            if (m_v3 && property)
                ref = s.value(u"allOf").toArray().at(0).toObject().value(u"$ref").toString();
            else if (m_v3 && node->kind == NK::Struct)
                ref = s.value(u"allOf").toArray().at(0).toObject().value(u"$ref").toString();
            const QString prefix =
                m_v3 ? QStringLiteral("#/components/schemas/") : QStringLiteral("#/definitions/");
            if (ref != prefix + name)
                return problem(where, QStringLiteral("refers to ") + ref);
            component(name, node);
            return;
        }
        switch (node->kind) {
        case NK::List:
            expect(where, s, u"type", QStringLiteral("array"));
            value(where + QStringLiteral("[]"), s.value(u"items").toObject(), node->element, false);
            return;
        case NK::Map:
            expect(where, s, u"type", QStringLiteral("object"));
            value(where + QStringLiteral("{}"), s.value(u"additionalProperties").toObject(),
                  node->element, false);
            return;
        case NK::String:
            expect(where, s, u"type", QStringLiteral("string"));
            return;
        case NK::Int32:
        case NK::Int64:
            expect(where, s, u"type", QStringLiteral("integer"));
            expect(where, s, u"format",
                   node->kind == NK::Int32 ? QStringLiteral("int32") : QStringLiteral("int64"));
            return;
        case NK::Bool:
            expect(where, s, u"type", QStringLiteral("boolean"));
            return;
        case NK::Any:
            expect(where, s, u"type", QStringLiteral("object"));
            return;
        default:
            problem(where, QStringLiteral("a named kind without a component"));
        }
    }

    void property(const QString &where, const QJsonObject &s, const Schema::Field &f)
    {
        if (s.isEmpty())
            return problem(where, QStringLiteral("missing"));
        value(where, s, f.node, true);
        if (s.value(u"description").toString() != f.description)
            problem(where, QStringLiteral("description differs"));
        expect(where, s, u"x-kubernetes-patch-strategy", f.patchStrategy);
        expect(where, s, u"x-kubernetes-patch-merge-key", f.patchMergeKey);
        expect(where, s, u"x-kubernetes-list-type", f.listType);
        QStringList keys;
        for (const QJsonValue &k : s.value(u"x-kubernetes-list-map-keys").toArray())
            keys << k.toString();
        if (keys != f.listMapKeys)
            problem(where, QStringLiteral("list map keys ") + keys.join(u','));
    }

    QJsonObject m_schemas;
    bool m_v3;
    QSet<QString> m_seen;
};

const Schema::Field *fieldAt(const Schema::Node *node, const QStringList &path)
{
    const Schema::Field *f = nullptr;
    for (const QString &name : path) {
        while (node && (node->kind == NK::List || node->kind == NK::Map))
            node = node->element;
        f = node ? node->field(name) : nullptr;
        if (!f)
            return nullptr;
        node = f->node;
    }
    return f;
}

} // namespace

class TestSimOpenApi : public QObject
{
    Q_OBJECT

private slots:
    void everyServedKindHasItsSchema()
    {
        int kinds = 0;
        for (const ResourceType &t : Resources::all()) {
            const Schema::Node *root = Schema::root(t);
            if (!root)
                continue;
            ++kinds;
            const QJsonObject doc = documentFor(QStringLiteral("v3/") + keyOf(t));
            const QJsonObject schemas =
                doc.value(u"components").toObject().value(u"schemas").toObject();
            QString name;
            const QJsonObject component =
                componentWithGvk(schemas, gvk(t.group, t.version, t.kind), &name);
            QVERIFY2(!component.isEmpty(), qPrintable(t.kind));
            QCOMPARE(name, root->componentName());
            Matcher m(schemas, true);
            m.component(name, root);
            QVERIFY2(m.problems.isEmpty(), qPrintable(m.problems.mid(0, 10).join(u'\n')));
            // The same in Swagger 2.0.
            const QJsonObject definitions =
                documentFor(QStringLiteral("v2")).value(u"definitions").toObject();
            QString v2Name;
            QVERIFY(
                !componentWithGvk(definitions, gvk(t.group, t.version, t.kind), &v2Name).isEmpty());
            Matcher m2(definitions, false);
            m2.component(v2Name, root);
            QVERIFY2(m2.problems.isEmpty(), qPrintable(m2.problems.mid(0, 10).join(u'\n')));
            if (t.subresources.contains(QStringLiteral("scale"))) {
                QString scaleName;
                const QJsonObject scale =
                    componentWithGvk(schemas,
                                     gvk(QStringLiteral("autoscaling"), QStringLiteral("v1"),
                                         QStringLiteral("Scale")),
                                     &scaleName);
                QCOMPARE(scaleName, QStringLiteral("io.k8s.api.autoscaling.v1.Scale"));
                QCOMPARE(scale.value(u"x-kubernetes-group-version-kind").toArray().size(), 1);
            }
        }
        QCOMPARE(kinds, 5);
    }

    void upstreamNamesAndExtensions()
    {
        const QJsonObject schemas = documentFor(QStringLiteral("v3/apis/apps/v1"))
                                        .value(u"components")
                                        .toObject()
                                        .value(u"schemas")
                                        .toObject();
        for (const char *name :
             {"io.k8s.api.apps.v1.Deployment", "io.k8s.api.core.v1.PodSpec",
              "io.k8s.api.core.v1.Probe", "io.k8s.api.core.v1.ResourceRequirements",
              "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
              "io.k8s.apimachinery.pkg.apis.meta.v1.Time",
              "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
              "io.k8s.apimachinery.pkg.api.resource.Quantity"})
            QVERIFY2(schemas.contains(QLatin1StringView(name)), name);
        const QJsonObject podSpec =
            schemas.value(u"io.k8s.api.core.v1.PodSpec").toObject().value(u"properties").toObject();
        const QJsonObject containers = podSpec.value(u"containers").toObject();
        QCOMPARE(containers.value(u"x-kubernetes-patch-merge-key").toString(), u"name");
        QCOMPARE(containers.value(u"x-kubernetes-patch-strategy").toString(), u"merge");
        QCOMPARE(containers.value(u"x-kubernetes-list-type").toString(), u"map");
        QCOMPARE(
            podSpec.value(u"volumes").toObject().value(u"x-kubernetes-patch-strategy").toString(),
            u"merge,retainKeys");
        QCOMPARE(
            podSpec.value(u"tolerations").toObject().value(u"x-kubernetes-list-type").toString(),
            u"atomic");
        const QJsonObject spec = schemas.value(u"io.k8s.api.apps.v1.DeploymentSpec")
                                     .toObject()
                                     .value(u"properties")
                                     .toObject();
        QCOMPARE(
            spec.value(u"strategy").toObject().value(u"x-kubernetes-patch-strategy").toString(),
            u"retainKeys");
        QCOMPARE(spec.value(u"replicas").toObject().value(u"format").toString(), u"int32");
        QCOMPARE(spec.value(u"template")
                     .toObject()
                     .value(u"allOf")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"$ref"),
                 QStringLiteral("#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec"));
        QVERIFY(schemas.value(u"io.k8s.apimachinery.pkg.util.intstr.IntOrString")
                    .toObject()
                    .value(u"x-kubernetes-int-or-string")
                    .toBool());
        // The table's metadata, as the documents carry it.
        const Schema::Field *ports = fieldAt(Schema::root(Resources::services()),
                                             {QStringLiteral("spec"), QStringLiteral("ports")});
        QVERIFY(ports);
        QCOMPARE(ports->listMapKeys,
                 QStringList({QStringLiteral("port"), QStringLiteral("protocol")}));
        const Schema::Field *env =
            fieldAt(Schema::root(Resources::pods()),
                    {QStringLiteral("spec"), QStringLiteral("containers"), QStringLiteral("env")});
        QVERIFY(env);
        QCOMPARE(env->patchMergeKey, QStringLiteral("name"));
    }

    void everyPatchPathNamesItsKind()
    {
        const QJsonObject index = documentFor(QStringLiteral("v3")).value(u"paths").toObject();
        for (const ResourceType &t : Resources::all()) {
            QVERIFY2(index.contains(keyOf(t)), qPrintable(keyOf(t)));
            const QJsonObject paths =
                documentFor(QStringLiteral("v3/") + keyOf(t)).value(u"paths").toObject();
            bool found = false;
            for (auto it = paths.begin(); it != paths.end(); ++it) {
                const QJsonObject patch = it.value().toObject().value(u"patch").toObject();
                if (patch.value(u"x-kubernetes-group-version-kind").toObject() ==
                    gvk(t.group, t.version, t.kind)) {
                    const bool patchable =
                        it.key().endsWith(u'/' + t.plural + QStringLiteral("/{name}")) &&
                        patch.value(u"requestBody")
                            .toObject()
                            .value(u"content")
                            .toObject()
                            .contains(u"application/strategic-merge-patch+json");
                    found = found || patchable;
                }
            }
            QVERIFY2(found, qPrintable(t.kind));
        }
    }

    void hashesCachingAndNegotiation()
    {
        const QJsonObject index = documentFor(QStringLiteral("v3")).value(u"paths").toObject();
        const QString url =
            index.value(u"apis/apps/v1").toObject().value(u"serverRelativeURL").toString();
        const QByteArray doc = OpenApi::document(QStringLiteral("v3/apis/apps/v1"));
        const QByteArray hash = OpenApi::hashOf(doc);
        QCOMPARE(url, QStringLiteral("/openapi/v3/apis/apps/v1?hash=") + QString::fromLatin1(hash));
        auto header = [](const OpenApi::Reply &r, const char *name) {
            for (const auto &[n, v] : r.headers) {
                if (n.compare(name, Qt::CaseInsensitive) == 0)
                    return v;
            }
            return QByteArray();
        };

        // The current hash: immutable, with its ETag.
        OpenApi::Reply r = OpenApi::serve(QStringLiteral("v3/apis/apps/v1"),
                                          QString::fromLatin1(hash), "application/json, */*", {});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, doc);
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(header(r, "Cache-Control"), QByteArray("public, immutable"));
        QVERIFY(!header(r, "Expires").isEmpty());
        QCOMPARE(header(r, "Etag"), '"' + hash + '"');
        // A stale hash: to the current document.
        r = OpenApi::serve(QStringLiteral("v3/apis/apps/v1"), QStringLiteral("0BAD"), {}, {});
        QCOMPARE(r.status, 301);
        QCOMPARE(header(r, "Location"), "/openapi/v3/apis/apps/v1?hash=" + hash);
        QVERIFY(r.body.isEmpty());
        // No hash: revalidated by ETag.
        r = OpenApi::serve(QStringLiteral("v3/apis/apps/v1"), {}, {}, '"' + hash + '"');
        QCOMPARE(r.status, 304);
        QVERIFY(r.body.isEmpty());
        r = OpenApi::serve(QStringLiteral("v3/apis/apps/v1"), {}, {}, "\"other\"");
        QCOMPARE(r.status, 200);
        QVERIFY(header(r, "Cache-Control").isEmpty()); // the server's default no-cache applies
        // Protobuf only: not served.
        r = OpenApi::serve(QStringLiteral("v2"), {},
                           "application/com.github.proto-openapi.spec.v2@v1.0+protobuf", {});
        QCOMPARE(r.status, 406);
        QVERIFY(r.body.isEmpty());
        r = OpenApi::serve(QStringLiteral("v2"), {}, "application/json", {});
        QCOMPARE(r.status, 200);
        QCOMPARE(QJsonDocument::fromJson(r.body).object().value(u"swagger").toString(), u"2.0");
        // Unknown paths and hostile input.
        QCOMPARE(OpenApi::serve(QStringLiteral("v3/apis/nope/v1"), {}, {}, {}).status, 404);
        QCOMPARE(OpenApi::serve(QStringLiteral("v4"), {}, {}, {}).status, 404);
        QCOMPARE(OpenApi::serve(QStringLiteral("v3/apis/apps/v1"), QString(5000, u'x'),
                                QByteArray(5000, ';'), QByteArray(5000, ','))
                     .status,
                 406);
        QCOMPARE(OpenApi::serve(QStringLiteral("v3/apis/apps/v1"), QString(5000, u'x'),
                                "text/html;q=0.1, */*;q=0.5", QByteArray(5000, ','))
                     .status,
                 301);
        // The index is always fresh.
        r = OpenApi::serve(QStringLiteral("v3"), {}, {}, {});
        QCOMPARE(r.status, 200);
        QVERIFY(header(r, "Etag").isEmpty());
    }
};

ROLLSCOPE_TEST_MAIN(TestSimOpenApi)
#include "tst_simopenapi.moc"
