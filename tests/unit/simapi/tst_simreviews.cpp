// SPDX-License-Identifier: MIT
// The self-reviews (`kubectl auth can-i`, `auth can-i --list`, `auth whoami`) answered by the
// API server's own authorizer, and the status a real API server writes on create.

#include "simulator/apiserver.h"
#include "simulator/auth.h"
#include "simulator/clock.h"
#include "simulator/discovery.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/scenarios.h"
#include "simulator/store.h"
#include "simulator/yamljson.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <memory>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

class RecordingExchange final : public HttpExchange
{
public:
    RecordingExchange(HttpRequest request, QObject *parent)
        : HttpExchange(std::move(request), parent)
    {}

    void respond(int s, const HttpHeaders &, const QByteArray &b) override
    {
        status = s;
        body = b;
    }
    void beginStream(int s, const HttpHeaders &) override { status = s; }
    void write(const QByteArray &chunk) override { body += chunk; }
    void end() override {}
    void abort() override {}
    qint64 pendingBytes() const override { return 0; }

    int status = 0;
    QByteArray body;
};

struct Reply
{
    int status = 0;
    QJsonObject json;
};

const QByteArray kAdmin = "admin-token";
const QByteArray kViewer = "viewer-token";

struct Server
{
    QObject exchanges;
    SimClock clock{SimClock::Mode::Virtual, 1'700'000'000'000};
    Store store;
    QRandomGenerator random{7};
    Registry registry{&store, &clock, &random};
    Authenticator auth{nullptr};
    std::unique_ptr<ApiServer> api;

    Server()
    {
        auth.addToken(QString::fromLatin1(kAdmin),
                      Identity{QStringLiteral("admin"), {QLatin1StringView(kAdminGroup)}});
        auth.addToken(QString::fromLatin1(kViewer),
                      Identity{QStringLiteral("viewer"), {QLatin1StringView(kViewerGroup)}});
        api = std::make_unique<ApiServer>(&registry, &auth);
        (void)registry.create(Resources::namespaces(), {},
                              json::parseObject(R"({"metadata":{"name":"default"}})"));
    }

    Reply call(const QByteArray &method, const QByteArray &target, const QByteArray &body,
               const QByteArray &token,
               const QByteArray &contentType = QByteArrayLiteral("application/json"))
    {
        HttpRequest request;
        request.method = method;
        request.target = target;
        request.headers = {{"authorization", "Bearer " + token}, {"content-type", contentType}};
        request.body = body;
        auto *exchange = new RecordingExchange(request, &exchanges);
        api->handler()(exchange);
        return Reply{exchange->status, QJsonDocument::fromJson(exchange->body).object()};
    }

    Reply accessReview(const QJsonObject &spec, const QByteArray &token)
    {
        const QJsonObject review{
            {QStringLiteral("kind"), QStringLiteral("SelfSubjectAccessReview")},
            {QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
            {QStringLiteral("spec"), spec}};
        return call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                    json::compact(review), token);
    }
};

QJsonObject resourceAttributes(const char *verb, const char *group, const char *resource,
                               const char *subresource = "")
{
    return QJsonObject{
        {QStringLiteral("resourceAttributes"),
         QJsonObject{{QStringLiteral("namespace"), QStringLiteral("default")},
                     {QStringLiteral("verb"), QLatin1StringView(verb)},
                     {QStringLiteral("group"), QLatin1StringView(group)},
                     {QStringLiteral("resource"), QLatin1StringView(resource)},
                     {QStringLiteral("subresource"), QLatin1StringView(subresource)}}}};
}

QJsonObject pathAttributes(const char *verb, const char *path)
{
    return QJsonObject{{QStringLiteral("nonResourceAttributes"),
                        QJsonObject{{QStringLiteral("verb"), QLatin1StringView(verb)},
                                    {QStringLiteral("path"), QLatin1StringView(path)}}}};
}

// A length-delimited protobuf field (a string or a nested message).
QByteArray protoField(int number, const QByteArray &value)
{
    QByteArray out(1, char((number << 3) | 2));
    quint64 size = quint64(value.size());
    do {
        const auto low = quint8(size & 0x7f);
        size >>= 7;
        out += char(size ? low | 0x80 : low);
    } while (size);
    return out + value;
}

// What client-go sends: "k8s\0" + runtime.Unknown{typeMeta, raw}.
QByteArray protoEnvelope(const QByteArray &apiVersion, const QByteArray &kind,
                         const QByteArray &raw)
{
    return QByteArray("k8s\0", 4) + protoField(1, protoField(1, apiVersion) + protoField(2, kind)) +
           protoField(2, raw);
}

QStringList resourceNames(const QJsonObject &list)
{
    QStringList names;
    for (const QJsonValue &r : list.value(u"resources").toArray())
        names << r.toObject().value(u"name").toString();
    return names;
}

} // namespace

class TestSimReviews : public QObject
{
    Q_OBJECT

private slots:
    void accessReviewAnswersAsTheAuthorizer_data()
    {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<QJsonObject>("spec");
        QTest::addColumn<bool>("allowed");
        QTest::addColumn<QString>("reason");
        const QString viewerReason =
            QStringLiteral("RBAC: allowed by ClusterRoleBinding \"rollscope:viewers\" of "
                           "ClusterRole \"view\" to Group \"rollscope:viewers\"");
        QTest::newRow("admin patch deployments")
            << kAdmin << resourceAttributes("patch", "apps", "deployments") << true << QString();
        QTest::newRow("admin anything")
            << kAdmin << resourceAttributes("*", "*", "*") << true << QString();
        QTest::newRow("viewer patch deployments")
            << kViewer << resourceAttributes("patch", "apps", "deployments") << false << QString();
        QTest::newRow("viewer list pods")
            << kViewer << resourceAttributes("list", "", "pods") << true << viewerReason;
        QTest::newRow("viewer get services/proxy")
            << kViewer << resourceAttributes("get", "", "services", "proxy") << false << QString();
        QTest::newRow("viewer create SSAR")
            << kViewer
            << resourceAttributes("create", "authorization.k8s.io", "selfsubjectaccessreviews")
            << true
            << QStringLiteral("RBAC: allowed by ClusterRoleBinding \"system:basic-user\" of "
                              "ClusterRole \"system:basic-user\" to Group "
                              "\"system:authenticated\"");
        QTest::newRow("viewer get /version")
            << kViewer << pathAttributes("get", "/version") << true
            << QStringLiteral("RBAC: allowed by ClusterRoleBinding "
                              "\"system:discovery\" of ClusterRole "
                              "\"system:discovery\" to Group "
                              "\"system:authenticated\"");
        QTest::newRow("viewer get /metrics")
            << kViewer << pathAttributes("get", "/metrics") << false << QString();
        QTest::newRow("admin get /metrics")
            << kAdmin << pathAttributes("get", "/metrics") << true << QString();
    }

    void accessReviewAnswersAsTheAuthorizer()
    {
        QFETCH(QByteArray, token);
        QFETCH(QJsonObject, spec);
        QFETCH(bool, allowed);
        QFETCH(QString, reason);
        Server s;
        const Reply r = s.accessReview(spec, token);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json.value(u"kind").toString(), QStringLiteral("SelfSubjectAccessReview"));
        QCOMPARE(r.json.value(u"spec").toObject(), spec);
        QCOMPARE(json::get(r.json, {u"status", u"allowed"}), QJsonValue(allowed));
        QCOMPARE(json::string(r.json, {u"status", u"reason"}), reason);
        QVERIFY(!json::has(r.json, {u"status", u"denied"}));
    }

    void accessReviewAgreesWithRealRequests()
    {
        // The viewer's real patch is refused, the review says no; a real list passes, the
        // review says yes.
        Server s;
        const Reply patch =
            s.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/x", "{}", kViewer);
        QCOMPARE(patch.status, 403);
        QCOMPARE(s.accessReview(resourceAttributes("patch", "apps", "deployments"), kViewer)
                     .json.value(u"status")
                     .toObject()
                     .value(u"allowed"),
                 QJsonValue(false));
        QCOMPARE(s.call("GET", "/api/v1/namespaces/default/pods", {}, kViewer).status, 200);
        // A path the viewer may not get is 403 for real, and the review agrees.
        const Reply metrics = s.call("GET", "/metrics", {}, kViewer);
        QCOMPARE(metrics.status, 403);
        QCOMPARE(metrics.json.value(u"message").toString(),
                 QStringLiteral("forbidden: User \"viewer\" cannot get path \"/metrics\""));
        QCOMPARE(s.call("GET", "/metrics", {}, kAdmin).status, 404);
        QCOMPARE(s.call("GET", "/apis/apps/v1", {}, kViewer).status, 200);
    }

    void protobufReviewsAreDecoded()
    {
        // kubectl auth can-i patch deployments: ResourceAttributes{namespace=1, verb=2, group=3,
        // resource=5} in SelfSubjectAccessReviewSpec.resourceAttributes = 1, in spec = 2.
        const QByteArray attributes = protoField(1, "default") + protoField(2, "patch") +
                                      protoField(3, "apps") + protoField(5, "deployments");
        const QByteArray review =
            protoEnvelope("authorization.k8s.io/v1", "SelfSubjectAccessReview",
                          protoField(1, {}) + protoField(2, protoField(1, attributes)));
        const QByteArray target = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
        const QByteArray protobuf = "application/vnd.kubernetes.protobuf";
        Server s;
        const Reply admin = s.call("POST", target, review, kAdmin, protobuf);
        QCOMPARE(admin.status, 201);
        QCOMPARE(json::get(admin.json, {u"status", u"allowed"}), QJsonValue(true));
        QCOMPARE(json::object(admin.json, {u"spec", u"resourceAttributes"}),
                 (QJsonObject{{QStringLiteral("namespace"), QStringLiteral("default")},
                              {QStringLiteral("verb"), QStringLiteral("patch")},
                              {QStringLiteral("group"), QStringLiteral("apps")},
                              {QStringLiteral("resource"), QStringLiteral("deployments")}}));
        const Reply viewer = s.call("POST", target, review, kViewer, protobuf);
        QCOMPARE(viewer.status, 201);
        QCOMPARE(json::get(viewer.json, {u"status", u"allowed"}), QJsonValue(false));

        // A non-resource question: NonResourceAttributes{path=1, verb=2} at spec field 2.
        const QByteArray path = protoEnvelope(
            "authorization.k8s.io/v1", "SelfSubjectAccessReview",
            protoField(2, protoField(2, protoField(1, "/version") + protoField(2, "get"))));
        QCOMPARE(json::get(s.call("POST", target, path, kViewer, protobuf).json,
                           {u"status", u"allowed"}),
                 QJsonValue(true));

        const QByteArray rules = protoEnvelope("authorization.k8s.io/v1", "SelfSubjectRulesReview",
                                               protoField(2, protoField(1, "shop")));
        const Reply rulesReply =
            s.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", rules, kViewer,
                   protobuf);
        QCOMPARE(rulesReply.status, 201);
        QCOMPARE(json::string(rulesReply.json, {u"spec", u"namespace"}), QStringLiteral("shop"));

        const Reply whoami = s.call(
            "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            protoEnvelope("authentication.k8s.io/v1", "SelfSubjectReview", {}), kAdmin, protobuf);
        QCOMPARE(whoami.status, 201);
        QCOMPARE(json::string(whoami.json, {u"status", u"userInfo", u"username"}),
                 QStringLiteral("admin"));

        // Garbage is a 400, not a crash: a truncated length, no envelope.
        QCOMPARE(s.call("POST", target, QByteArray("k8s\0\x12\x7f", 6), kAdmin, protobuf).status,
                 400);
        QCOMPARE(s.call("POST", target, "not protobuf", kAdmin, protobuf).status, 400);
    }

    void accessReviewNeedsExactlyOneKindOfAttributes()
    {
        Server s;
        QCOMPARE(s.accessReview({}, kAdmin).status, 422);
        QJsonObject both = resourceAttributes("get", "", "pods");
        both.insert(QStringLiteral("nonResourceAttributes"),
                    pathAttributes("get", "/version").value(u"nonResourceAttributes"));
        const Reply r = s.accessReview(both, kAdmin);
        QCOMPARE(r.status, 422);
        QCOMPARE(r.json.value(u"reason").toString(), QStringLiteral("Invalid"));
    }

    void reviewsAreCreateOnly()
    {
        Server s;
        QCOMPARE(s.call("GET", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", {}, kAdmin)
                     .status,
                 405);
        QCOMPARE(s.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                        "not json", kAdmin)
                     .status,
                 400);
    }

    void rulesReviewRendersTheIdentitysRules()
    {
        Server s;
        const QByteArray body =
            R"({"kind":"SelfSubjectRulesReview","apiVersion":"authorization.k8s.io/v1",)"
            R"("spec":{"namespace":"default"}})";
        const Reply admin =
            s.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", body, kAdmin);
        QCOMPARE(admin.status, 201);
        QCOMPARE(json::string(admin.json, {u"spec", u"namespace"}), QStringLiteral("default"));
        const QJsonObject adminRule =
            json::array(admin.json, {u"status", u"resourceRules"}).at(0).toObject();
        QCOMPARE(adminRule.value(u"verbs").toArray(), QJsonArray{QStringLiteral("*")});
        QCOMPARE(adminRule.value(u"apiGroups").toArray(), QJsonArray{QStringLiteral("*")});
        QCOMPARE(adminRule.value(u"resources").toArray(), QJsonArray{QStringLiteral("*")});
        QCOMPARE(json::array(admin.json, {u"status", u"nonResourceRules"})
                     .at(0)
                     .toObject()
                     .value(u"nonResourceURLs")
                     .toArray(),
                 QJsonArray{QStringLiteral("*")});
        QCOMPARE(json::get(admin.json, {u"status", u"incomplete"}), QJsonValue(false));

        const Reply viewer =
            s.call("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", body, kViewer);
        QCOMPARE(viewer.status, 201);
        const QJsonArray rules = json::array(viewer.json, {u"status", u"resourceRules"});
        const QJsonObject read = rules.at(0).toObject();
        QCOMPARE(
            read.value(u"verbs").toArray(),
            (QJsonArray{QStringLiteral("get"), QStringLiteral("list"), QStringLiteral("watch")}));
        QCOMPARE(read.value(u"resources").toArray(), QJsonArray{QStringLiteral("*")});
        // Nothing grants the viewer a write but the self-reviews (system:basic-user).
        for (const QJsonValue &rule : rules) {
            for (const QJsonValue &verb : rule.toObject().value(u"verbs").toArray()) {
                if (verb.toString() == u"create") {
                    const QString group =
                        rule.toObject().value(u"apiGroups").toArray().at(0).toString();
                    QVERIFY2(group.startsWith(u"authentication.k8s.io") ||
                                 group.startsWith(u"authorization.k8s.io"),
                             qPrintable(group));
                } else {
                    QVERIFY(verb.toString() == u"get" || verb.toString() == u"list" ||
                            verb.toString() == u"watch");
                }
            }
        }
    }

    void selfSubjectReviewSaysWhoYouAre()
    {
        Server s;
        const Reply r = s.call(
            "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
            R"({"kind":"SelfSubjectReview","apiVersion":"authentication.k8s.io/v1"})", kViewer);
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json.value(u"kind").toString(), QStringLiteral("SelfSubjectReview"));
        QCOMPARE(json::string(r.json, {u"status", u"userInfo", u"username"}),
                 QStringLiteral("viewer"));
        QCOMPARE(json::array(r.json, {u"status", u"userInfo", u"groups"}),
                 (QJsonArray{QStringLiteral("rollscope:viewers"),
                             QStringLiteral("system:authenticated")}));
    }

    void discoveryAdvertisesTheReviews()
    {
        QCOMPARE(
            resourceNames(Discovery::apiResourceList(QStringLiteral("authorization.k8s.io/v1"))),
            (QStringList{QStringLiteral("selfsubjectaccessreviews"),
                         QStringLiteral("selfsubjectrulesreviews")}));
        const QJsonObject authn =
            Discovery::apiResourceList(QStringLiteral("authentication.k8s.io/v1"));
        QCOMPARE(resourceNames(authn), QStringList{QStringLiteral("selfsubjectreviews")});
        QCOMPARE(authn.value(u"resources").toArray().at(0).toObject().value(u"verbs").toArray(),
                 QJsonArray{QStringLiteral("create")});
        // Every advertised group version has resources (else `kubectl api-resources` fails).
        for (const QJsonValue &g : Discovery::apiGroupList().value(u"groups").toArray()) {
            const QString gv = g.toObject()
                                   .value(u"preferredVersion")
                                   .toObject()
                                   .value(u"groupVersion")
                                   .toString();
            QVERIFY2(!resourceNames(Discovery::apiResourceList(gv)).isEmpty(), qPrintable(gv));
        }
    }

    // A real API server serializes status structs and non-omitempty fields on create.
    void createWritesTheStatusARealServerWrites()
    {
        Server s;
        const auto rs = s.registry.create(
            Resources::replicaSets(), QStringLiteral("default"),
            json::parseObject(
                R"({"metadata":{"name":"rs"},"spec":{"selector":{"matchLabels":{"a":"b"}},)"
                R"("template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[)"
                R"({"name":"c","image":"i"}]}}},"status":{"replicas":7}})"));
        QVERIFY(rs.ok());
        QCOMPARE(rs->value(u"status").toObject(), (QJsonObject{{QStringLiteral("replicas"), 0}}));
        const auto deployment =
            s.registry.create(Resources::deployments(), QStringLiteral("default"),
                              yamlToJsonObject(demoDeploymentManifest()).value());
        QVERIFY(deployment.ok());
        QVERIFY(deployment->value(u"status").isObject());
        QCOMPARE(deployment->value(u"status").toObject(), QJsonObject());
        const auto service = s.registry.create(Resources::services(), QStringLiteral("default"),
                                               yamlToJsonObject(demoServiceManifest()).value());
        QVERIFY(service.ok());
        QCOMPARE(json::get(*service, {u"status", u"loadBalancer"}), QJsonValue(QJsonObject()));
        const auto ns = s.registry.create(Resources::namespaces(), {},
                                          json::parseObject(R"({"metadata":{"name":"n"}})"));
        QVERIFY(ns.ok());
        QCOMPARE(json::string(*ns, {u"status", u"phase"}), QStringLiteral("Active"));
        const auto pod =
            s.registry.create(Resources::pods(), QStringLiteral("default"),
                              json::parseObject(R"({"metadata":{"name":"p"},"spec":{"containers":[)"
                                                R"({"name":"c","image":"i"}]}})"));
        QVERIFY(pod.ok());
        QCOMPARE(json::string(*pod, {u"status", u"phase"}), QStringLiteral("Pending"));
        const auto node = s.registry.create(Resources::nodes(), {},
                                            json::parseObject(R"({"metadata":{"name":"n1"}})"));
        QVERIFY(node.ok());
        QCOMPARE(json::get(*node, {u"status", u"daemonEndpoints", u"kubeletEndpoint", u"Port"}),
                 QJsonValue(0));
        QCOMPARE(json::get(*node, {u"status", u"nodeInfo", u"kubeletVersion"}),
                 QJsonValue(QString()));
        // Over the wire too: the ReplicaSet's status is there for clients that map it.
        const Reply got =
            s.call("GET", "/apis/apps/v1/namespaces/default/replicasets/rs", {}, kAdmin);
        QCOMPARE(got.status, 200);
        QCOMPARE(json::get(got.json, {u"status", u"replicas"}), QJsonValue(0));
    }
};

ROLLSCOPE_TEST_MAIN(TestSimReviews)
#include "tst_simreviews.moc"
