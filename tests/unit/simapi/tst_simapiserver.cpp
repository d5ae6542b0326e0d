// SPDX-License-Identifier: MIT
// The API server driven in-process: requests go to ApiServer's handler through a recording
// exchange, with no sockets, on a virtual clock. Hostile input first: forged continue tokens,
// oversized bodies, values that do not fit their typed fields, query parsing as the real server.

#include "simulator/apiserver.h"
#include "simulator/auth.h"
#include "simulator/clock.h"
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

// Records what the API server answers.
class RecordingExchange final : public HttpExchange
{
public:
    RecordingExchange(HttpRequest request, QObject *parent)
        : HttpExchange(std::move(request), parent)
    {}

    void respond(int s, const HttpHeaders &h, const QByteArray &b) override
    {
        if (m_finished)
            return;
        m_finished = true;
        status = s;
        headers = h;
        body = b;
    }
    void beginStream(int s, const HttpHeaders &) override
    {
        status = s;
        streaming = true;
    }
    void write(const QByteArray &chunk) override { body += chunk; }
    void end() override { m_finished = true; }
    void abort() override { m_finished = true; }
    qint64 pendingBytes() const override { return 0; }

    int status = 0;
    bool streaming = false;
    HttpHeaders headers;
    QByteArray body;
};

struct Reply
{
    int status = 0;
    bool streaming = false;
    QByteArray body;
    HttpHeaders headers;
    QList<QByteArray> warnings() const
    {
        QList<QByteArray> out;
        for (const auto &[name, value] : headers) {
            if (name.compare("warning", Qt::CaseInsensitive) == 0)
                out << value;
        }
        return out;
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString message() const { return json().value(u"message").toString(); }
    QStringList names() const
    {
        QStringList out;
        for (const QJsonValue &item : json().value(u"items").toArray())
            out << json::name(item.toObject());
        return out;
    }
};

const QByteArray kAdmin = "admin-token";
const QByteArray kViewer = "viewer-token";

struct Server
{
    QObject exchanges; // outlives the server: watches hold exchanges
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

    Reply call(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
               const QByteArray &contentType = "application/json", const QByteArray &token = kAdmin,
               bool bodyTooLarge = false)
    {
        HttpRequest request;
        request.method = method;
        request.target = target;
        request.headers = {{"authorization", "Bearer " + token}, {"content-type", contentType}};
        request.body = body;
        request.bodyTooLarge = bodyTooLarge;
        auto *exchange = new RecordingExchange(request, &exchanges);
        api->handler()(exchange);
        return Reply{exchange->status, exchange->streaming, exchange->body, exchange->headers};
    }

    void createNamespaces(int count)
    {
        for (int i = 0; i < count; ++i) {
            const QString app =
                QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}.at(i %
                                                                                              3);
            QJsonObject ns;
            json::set(ns, {u"metadata", u"name"}, QStringLiteral("ns-%1").arg(i));
            json::set(ns, {u"metadata", u"labels"}, QJsonObject{{QStringLiteral("app"), app}});
            QVERIFY(registry.create(Resources::namespaces(), {}, ns).ok());
        }
    }
};

// Two lines per container; following delivers nothing more until cancelled.
class FakeLogs final : public LogSource
{
public:
    QString logs(const QString &, const QString &, const QString &, QStringList *lines,
                 QList<qint64> *timestamps) const override
    {
        *lines = {QStringLiteral("one"), QStringLiteral("two")};
        *timestamps = {1'700'000'000'000, 1'700'000'001'000};
        return {};
    }
    int follow(const QString &, const QString &, const QString &,
               std::function<void(qint64, const QString &)>, std::function<void()>) override
    {
        ++following;
        return following;
    }
    void unfollow(int) override {}
    int following = 0;
};

QByteArray encodeToken(const QJsonObject &token)
{
    return QJsonDocument(token)
        .toJson(QJsonDocument::Compact)
        .toBase64(QByteArray::Base64UrlEncoding);
}

QJsonObject decodeToken(const QString &token)
{
    return QJsonDocument::fromJson(
               QByteArray::fromBase64(token.toLatin1(), QByteArray::Base64UrlEncoding))
        .object();
}

QByteArray deploymentBody(const QJsonValue &replicas)
{
    QJsonObject d = yamlToJsonObject(demoDeploymentManifest()).value();
    json::set(d, {u"spec", u"replicas"}, replicas);
    return json::compact(d);
}

} // namespace

class TestSimApiServer : public QObject
{
    Q_OBJECT

private slots:
    void pagesFollowContinueTokensToTheEnd()
    {
        Server s;
        s.createNamespaces(7);
        QStringList all;
        QString token;
        int pages = 0;
        do {
            QByteArray target = "/api/v1/namespaces?limit=3";
            if (!token.isEmpty())
                target += "&continue=" + token.toLatin1();
            const Reply r = s.call("GET", target);
            QCOMPARE(r.status, 200);
            const QStringList names = r.names();
            QVERIFY2(!names.isEmpty(), "a page that does not advance");
            all += names;
            token = json::string(r.json(), {u"metadata", u"continue"});
            QVERIFY(++pages <= 3);
        } while (!token.isEmpty());
        QCOMPARE(all.size(), 8); // default + 7
        QCOMPARE(QSet<QString>(all.begin(), all.end()).size(), 8);
    }

    void forgedContinueTokensAreRefused_data()
    {
        QTest::addColumn<QString>("forgery");
        QTest::addColumn<int>("status");
        QTest::newRow("start -1") << QStringLiteral("start:-1") << 410;
        QTest::newRow("start huge") << QStringLiteral("start:9223372036854775807") << 410;
        QTest::newRow("start at the end") << QStringLiteral("start:8") << 410;
        QTest::newRow("start 0 (would page forever)") << QStringLiteral("start:0") << 410;
        QTest::newRow("another snapshot id") << QStringLiteral("id:999") << 410;
        QTest::newRow("other resourceVersion") << QStringLiteral("rv:1") << 410;
        QTest::newRow("mac removed") << QStringLiteral("mac:") << 400;
        QTest::newRow("garbage base64") << QStringLiteral("raw:!!!***") << 400;
        QTest::newRow("base64 of non-JSON") << QStringLiteral("raw:aGVsbG8") << 400;
        QTest::newRow("negative rv") << QStringLiteral("rv:-5") << 400;
        QTest::newRow("wrong encoding version") << QStringLiteral("v:x") << 400;
        QTest::newRow("another server's token") << QStringLiteral("other") << 410;
    }

    void forgedContinueTokensAreRefused()
    {
        QFETCH(QString, forgery);
        QFETCH(int, status);
        Server s;
        s.createNamespaces(7);
        const Reply first = s.call("GET", "/api/v1/namespaces?limit=3");
        QCOMPARE(first.status, 200);
        const QString real = json::string(first.json(), {u"metadata", u"continue"});
        QVERIFY(!real.isEmpty());

        QByteArray token;
        const QString field = forgery.section(u':', 0, 0);
        const QString value = forgery.section(u':', 1);
        if (field == u"raw") {
            token = value.toLatin1();
        } else if (field == u"other") {
            // The same store and list, served by another process (another key).
            ApiServer other(&s.registry, &s.auth);
            HttpRequest request;
            request.method = "GET";
            request.target = "/api/v1/namespaces?limit=3";
            request.headers = {{"authorization", "Bearer " + kAdmin}};
            auto *exchange = new RecordingExchange(request, &s.exchanges);
            other.handler()(exchange);
            token = json::string(QJsonDocument::fromJson(exchange->body).object(),
                                 {u"metadata", u"continue"})
                        .toLatin1();
            QVERIFY(!token.isEmpty());
        } else {
            QJsonObject o = decodeToken(real);
            if (field == u"mac" && value.isEmpty()) {
                o.remove(QStringLiteral("mac"));
            } else if (field == u"id" || field == u"v") {
                o.insert(field, value);
            } else {
                o.insert(field, value.toLongLong());
            }
            token = encodeToken(o);
        }
        const Reply r = s.call("GET", "/api/v1/namespaces?limit=3&continue=" + token);
        QCOMPARE(r.status, status);
        QCOMPARE(r.json().value(u"reason").toString(),
                 status == 410 ? QStringLiteral("Expired") : QStringLiteral("BadRequest"));
        // The real token still works afterwards.
        QCOMPARE(s.call("GET", "/api/v1/namespaces?limit=3&continue=" + real.toLatin1()).status,
                 200);
    }

    void continueTokenBelongsToItsList()
    {
        Server s;
        s.createNamespaces(7);
        const Reply first = s.call("GET", "/api/v1/namespaces?limit=2&labelSelector=app%3Da");
        const QByteArray token = json::string(first.json(), {u"metadata", u"continue"}).toLatin1();
        QVERIFY(!token.isEmpty());
        QCOMPARE(s.call("GET", "/api/v1/namespaces?limit=2&continue=" + token).status, 410);
        QCOMPARE(s.call("GET", "/api/v1/namespaces?limit=2&labelSelector=app%3Da&continue=" + token)
                     .status,
                 200);
    }

    void limits_data()
    {
        QTest::addColumn<QByteArray>("limit");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("items");
        QTest::newRow("int64 max") << QByteArray("9223372036854775807") << 200 << 8;
        QTest::newRow("negative is no limit") << QByteArray("-1") << 200 << 8;
        QTest::newRow("int64 min") << QByteArray("-9223372036854775808") << 200 << 8;
        QTest::newRow("zero") << QByteArray("0") << 200 << 8;
        QTest::newRow("not a number") << QByteArray("abc") << 400 << 0;
        QTest::newRow("beyond int64") << QByteArray("99999999999999999999") << 400 << 0;
    }

    void limits()
    {
        QFETCH(QByteArray, limit);
        QFETCH(int, status);
        QFETCH(int, items);
        Server s;
        s.createNamespaces(7);
        const Reply r = s.call("GET", "/api/v1/namespaces?limit=" + limit);
        QCOMPARE(r.status, status);
        if (status == 200) {
            QCOMPARE(r.names().size(), items);
            QVERIFY(!json::has(r.json(), {u"metadata", u"continue"}));
        }
        // A huge limit on a continued list: the rest, with no overflow.
        if (status == 200) {
            const Reply first = s.call("GET", "/api/v1/namespaces?limit=3");
            const QByteArray token =
                json::string(first.json(), {u"metadata", u"continue"}).toLatin1();
            const Reply rest =
                s.call("GET", "/api/v1/namespaces?limit=" + limit + "&continue=" + token);
            QCOMPARE(rest.status, 200);
            QCOMPARE(rest.names().size(), 5);
        }
    }

    void booleanQueryParameters_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("watch");
        // apimachinery's Convert_Slice_string_To_bool: only 0 and false (any case) are false.
        for (const char *v : {"true", "True", "TRUE", "1", "t", "T", "yes", ""})
            QTest::addRow("watch=%s", v) << QByteArray(v) << true;
        for (const char *v : {"false", "False", "FALSE", "fAlSe", "0"})
            QTest::addRow("watch=%s", v) << QByteArray(v) << false;
    }

    void booleanQueryParameters()
    {
        QFETCH(QByteArray, value);
        QFETCH(bool, watch);
        Server s;
        const Reply r = s.call("GET", "/api/v1/namespaces?watch=" + value);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.streaming, watch);
        if (watch)
            QVERIFY(r.body.contains("\"type\":\"ADDED\""));
        else
            QCOMPARE(r.json().value(u"kind").toString(), QStringLiteral("NamespaceList"));
        s.api->endWatches();
    }

    void logFlagsParseAsTheApiServer_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<bool>("stamped");
        QTest::addColumn<bool>("followed");
        QTest::newRow("none") << QByteArray() << false << false;
        QTest::newRow("Python-style True")
            << QByteArray("?timestamps=True&follow=True") << true << true;
        QTest::newRow("1 and 0") << QByteArray("?timestamps=1&follow=0") << true << false;
        QTest::newRow("FALSE") << QByteArray("?timestamps=FALSE&follow=false") << false << false;
    }

    void logFlagsParseAsTheApiServer()
    {
        QFETCH(QByteArray, query);
        QFETCH(bool, stamped);
        QFETCH(bool, followed);
        FakeLogs logs; // outlives the server
        Server s;
        s.api->setLogSource(&logs);
        QVERIFY(s.registry
                    .create(Resources::pods(), QStringLiteral("default"),
                            json::parseObject(R"({"metadata":{"name":"p"},"spec":{"containers":)"
                                              R"([{"name":"c","image":"busybox:1.36"}]}})"))
                    .ok());
        const Reply r = s.call("GET", "/api/v1/namespaces/default/pods/p/log" + query);
        QCOMPARE(r.status, 200);
        QCOMPARE(r.streaming, followed);
        QCOMPARE(logs.following, followed ? 1 : 0);
        QCOMPARE(r.body.startsWith("2023-11-14T22:13:20"), stamped);
        QVERIFY(r.body.contains("one\n") && r.body.contains("two\n"));
    }

    void hugeGracePeriodDoesNotOverflow_data()
    {
        QTest::addColumn<QByteArray>("grace");
        QTest::newRow("int64 max") << QByteArray("9223372036854775807");
        QTest::newRow("negative") << QByteArray("-9223372036854775808");
    }

    void hugeGracePeriodDoesNotOverflow()
    {
        QFETCH(QByteArray, grace);
        Server s;
        QVERIFY(s.registry
                    .create(Resources::pods(), QStringLiteral("default"),
                            json::parseObject(R"({"metadata":{"name":"p"},"spec":{"nodeName":)"
                                              R"("n","containers":[{"name":"c","image":"b:1"}]}})"))
                    .ok());
        const Reply r =
            s.call("DELETE", "/api/v1/namespaces/default/pods/p?gracePeriodSeconds=" + grace);
        QVERIFY2(r.status == 200 || r.status == 202, r.body.constData());
        QVERIFY(json::has(r.json(), {u"metadata", u"deletionTimestamp"}));
    }

    void plusInQueryIsASpace()
    {
        Server s;
        s.createNamespaces(6);
        const Reply r = s.call("GET", "/api/v1/namespaces?labelSelector=app+in+(a,b)");
        QCOMPARE(r.status, 200);
        QCOMPARE(r.names().size(), 4);
        const Reply encoded = s.call("GET", "/api/v1/namespaces?labelSelector=app%20notin%20(a)");
        QCOMPARE(encoded.names().size(), 5); // default has no app label
    }

    void viewerIsForbiddenBeforeExistenceIsChecked()
    {
        Server s;
        const QByteArray eviction = R"({"apiVersion":"policy/v1","kind":"Eviction",)"
                                    R"("metadata":{"name":"missing"}})";
        const Reply viewer = s.call("POST", "/api/v1/namespaces/default/pods/missing/eviction",
                                    eviction, "application/json", kViewer);
        QCOMPARE(viewer.status, 403);
        QCOMPARE(viewer.message(),
                 QStringLiteral("pods \"missing\" is forbidden: User \"viewer\" cannot create "
                                "resource \"pods/eviction\" in API group \"\" in the namespace "
                                "\"default\""));
        const Reply admin =
            s.call("POST", "/api/v1/namespaces/default/pods/missing/eviction", eviction);
        QCOMPARE(admin.status, 404);
        QCOMPARE(admin.message(), QStringLiteral("pods \"missing\" not found"));
        // Unknown subresources too: 403 for the viewer, 404 for the admin.
        // (a read: the viewer may, and it does not exist)
        QCOMPARE(s.call("GET", "/api/v1/namespaces/default/pods/x/nosuch", {}, {}, kViewer).status,
                 404);
        QCOMPARE(s.call("PUT", "/api/v1/namespaces/default/pods/x/nosuch", "{}", "application/json",
                        kViewer)
                     .status,
                 403);
    }

    void oversizedBodyIs413()
    {
        Server s;
        const Reply admin = s.call("POST", "/apis/apps/v1/namespaces/default/deployments", {},
                                   "application/json", kAdmin, true);
        QCOMPARE(admin.status, 413);
        QCOMPARE(admin.json().value(u"reason").toString(), QStringLiteral("RequestEntityTooLarge"));
        QCOMPARE(admin.message(), QStringLiteral("Request entity too large: limit is 3145728"));
        // Authorization still comes first.
        QCOMPARE(s.call("POST", "/apis/apps/v1/namespaces/default/deployments", {},
                        "application/json", kViewer, true)
                     .status,
                 403);
    }

    void jsonPatchBombsAreBounded()
    {
        Server s;
        QVERIFY(s.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploymentBody(2))
                    .status == 201);
        // Each copy appends the array to itself: it doubles, 25 times.
        QJsonArray ops;
        ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("add")},
                               {QStringLiteral("path"), QStringLiteral("/spec/template/x")},
                               {QStringLiteral("value"), QJsonArray{QString(1000, u'x')}}});
        for (int i = 0; i < 25; ++i)
            ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("copy")},
                                   {QStringLiteral("from"), QStringLiteral("/spec/template/x")},
                                   {QStringLiteral("path"), QStringLiteral("/spec/template/x/-")}});
        const Reply bomb = s.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/demo-dp",
                                  QJsonDocument(ops).toJson(QJsonDocument::Compact),
                                  "application/json-patch+json");
        QCOMPARE(bomb.status, 422);
        QVERIFY2(bomb.message().startsWith(
                     QStringLiteral("Unable to complete the copy, the accumulated size increase "
                                    "of copy is ")),
                 qPrintable(bomb.message().left(200)));
        QVERIFY(bomb.message().endsWith(QStringLiteral("exceeding the limit 3145728")));

        QJsonArray many;
        for (int i = 0; i < 10001; ++i)
            many.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("test")},
                                    {QStringLiteral("path"), QStringLiteral("/kind")},
                                    {QStringLiteral("value"), QStringLiteral("Deployment")}});
        const Reply tooMany = s.call(
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/demo-dp",
            QJsonDocument(many).toJson(QJsonDocument::Compact), "application/json-patch+json");
        QCOMPARE(tooMany.status, 413);
        QCOMPARE(tooMany.message(),
                 QStringLiteral("Request entity too large: The allowed maximum operations in a "
                                "JSON patch is 10000, got 10001"));
    }

    void annotationsAreLimitedTo256KiB()
    {
        Server s;
        QJsonObject d = QJsonDocument::fromJson(deploymentBody(1)).object();
        json::setAnnotation(d, QStringLiteral("big"), QString(262144, u'x'));
        const Reply created =
            s.call("POST", "/apis/apps/v1/namespaces/default/deployments", json::compact(d));
        QCOMPARE(created.status, 422);
        QCOMPARE(created.message(),
                 QStringLiteral("Deployment.apps \"demo-dp\" is invalid: metadata.annotations: "
                                "Too long: must have at most 262144 bytes"));
        // Exactly at the limit (key + value) is fine.
        json::setAnnotation(d, QStringLiteral("big"), QString(262144 - 3, u'x'));
        QCOMPARE(
            s.call("POST", "/apis/apps/v1/namespaces/default/deployments", json::compact(d)).status,
            201);
        // A patch that grows them past the limit.
        const Reply patched =
            s.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/demo-dp",
                   R"({"metadata":{"annotations":{"more":"x"}}})", "application/merge-patch+json");
        QCOMPARE(patched.status, 422);
    }

    void replicasMustFitInt32_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QByteArray deployments = "/apis/apps/v1/namespaces/default/deployments";
        const QByteArray demo = deployments + "/demo-dp";
        const QByteArray json = "application/json";
        const QByteArray merge = "application/merge-patch+json";
        const QString dSpec = QStringLiteral(
            "Deployment in version \"v1\" cannot be handled as a Deployment: json: cannot "
            "unmarshal %1 into Go struct field DeploymentSpec.spec.replicas of type int32");
        QTest::newRow("create string")
            << QByteArray("POST") << deployments << json << deploymentBody(QStringLiteral("x"))
            << 400 << dSpec.arg(QStringLiteral("string"));
        QTest::newRow("create 2^31")
            << QByteArray("POST") << deployments << json << deploymentBody(2147483648.0) << 400
            << dSpec.arg(QStringLiteral("number 2147483648"));
        QTest::newRow("create fraction")
            << QByteArray("POST") << deployments << json << deploymentBody(1.5) << 400
            << dSpec.arg(QStringLiteral("number 1.5"));
        QTest::newRow("create bool")
            << QByteArray("POST") << deployments << json << deploymentBody(true) << 400
            << dSpec.arg(QStringLiteral("bool"));
        QTest::newRow("update negative")
            << QByteArray("PUT") << demo << json << deploymentBody(-1) << 422
            << QStringLiteral("Deployment.apps \"demo-dp\" is invalid: spec.replicas: Invalid "
                              "value: -1: must be greater than or equal to 0");
        QTest::newRow("update string")
            << QByteArray("PUT") << demo << json << deploymentBody(QStringLiteral("x")) << 400
            << dSpec.arg(QStringLiteral("string"));
        QTest::newRow("merge patch string")
            << QByteArray("PATCH") << demo << merge << QByteArray(R"({"spec":{"replicas":"x"}})")
            << 422 << QString();
        QTest::newRow("strategic patch 2^31")
            << QByteArray("PATCH") << demo << QByteArray("application/strategic-merge-patch+json")
            << QByteArray(R"({"spec":{"replicas":2147483648}})") << 422 << QString();
        QTest::newRow("json patch string")
            << QByteArray("PATCH") << demo << QByteArray("application/json-patch+json")
            << QByteArray(R"([{"op":"replace","path":"/spec/replicas","value":"x"}])") << 422
            << QString();
        QTest::newRow("apply creating with a string")
            << QByteArray("PATCH")
            << QByteArray("/apis/apps/v1/namespaces/default/deployments/other?fieldManager=t")
            << QByteArray("application/apply-patch+yaml")
            << QByteArray(R"({"apiVersion":"apps/v1","kind":"Deployment","spec":{"replicas":"x"}})")
            << 422 << QString();
        QTest::newRow("scale put string")
            << QByteArray("PUT") << demo + "/scale" << json
            << QByteArray(R"({"kind":"Scale","apiVersion":"autoscaling/v1",)"
                          R"("metadata":{"name":"demo-dp"},"spec":{"replicas":"x"}})")
            << 400
            << QStringLiteral("Scale in version \"v1\" cannot be handled as a Scale: json: cannot "
                              "unmarshal string into Go struct field ScaleSpec.spec.replicas of "
                              "type int32");
        QTest::newRow("scale merge patch 2^31")
            << QByteArray("PATCH") << demo + "/scale" << merge
            << QByteArray(R"({"spec":{"replicas":2147483648}})") << 422 << QString();
        QTest::newRow("scale merge patch negative")
            << QByteArray("PATCH") << demo + "/scale" << merge
            << QByteArray(R"({"spec":{"replicas":-3}})") << 422 << QString();
        QTest::newRow("replicaset create string")
            << QByteArray("POST") << QByteArray("/apis/apps/v1/namespaces/default/replicasets")
            << json
            << QByteArray(R"({"spec":{"replicas":"x","selector":{"matchLabels":{"a":"b"}}}})")
            << 400
            << QStringLiteral("the object provided is unrecognized (must be of type ReplicaSet): "
                              "json: cannot unmarshal string into Go struct field "
                              "ReplicaSetSpec.spec.replicas of type int32 ({\"spec\":{\"replicas\":"
                              "\"x\",\"selec ...)");
    }

    void replicasMustFitInt32()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        Server s;
        QCOMPARE(s.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploymentBody(3))
                     .status,
                 201);
        const Reply r = s.call(method, target, body, contentType);
        QCOMPARE(r.status, status);
        if (!message.isEmpty())
            QCOMPARE(r.message(), message);
        if (status == 422 && method == "PATCH" && !target.endsWith("scale") &&
            r.message().contains(u"patch:"))
            QVERIFY(r.message().contains(u"of type int32"));
        // Nothing changed.
        const auto live = s.registry.get(Resources::deployments(), QStringLiteral("default"),
                                         QStringLiteral("demo-dp"));
        QCOMPARE(json::integer(*live, {u"spec", u"replicas"}), 3);
    }

    // Found by the official clients' suites (tests/e2e/clients): the API server decodes every
    // write into its typed object, so a field the type does not have is never stored; whether
    // it is refused, reported or ignored is the fieldValidation directive (Warn by default).
    void unknownFieldsFollowFieldValidation_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("target");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QList<QByteArray>>("warnings");
        const QByteArray deployments = "/apis/apps/v1/namespaces/default/deployments";
        const QByteArray demo = deployments + "/demo-dp";
        const QByteArray json = "application/json";
        QJsonObject withUnknown = yamlToJsonObject(demoDeploymentManifest()).value();
        json::set(withUnknown, {u"spec", u"bogus"}, 1);
        QJsonArray containers =
            json::array(withUnknown, {u"spec", u"template", u"spec", u"containers"});
        QJsonObject container = containers.at(0).toObject();
        container.insert(QStringLiteral("imagee"), QStringLiteral("x"));
        containers.replace(0, container);
        json::set(withUnknown, {u"spec", u"template", u"spec", u"containers"}, containers);
        const QByteArray body = json::compact(withUnknown);
        const QByteArray bogus = "299 - \"unknown field \\\"spec.bogus\\\"\"";
        const QByteArray imagee =
            "299 - \"unknown field \\\"spec.template.spec.containers[0].imagee\\\"\"";
        const QString strict =
            QStringLiteral("strict decoding error: unknown field \"spec.bogus\", unknown field "
                           "\"spec.template.spec.containers[0].imagee\"");
        const QString handled =
            QStringLiteral("Deployment in version \"v1\" cannot be handled as a Deployment: ");

        QTest::newRow("create, no directive: Warn")
            << QByteArray("POST") << deployments << json << body << 201 << QString()
            << QList<QByteArray>{bogus, imagee};
        QTest::newRow("create Warn")
            << QByteArray("POST") << deployments + "?fieldValidation=Warn" << json << body << 201
            << QString() << QList<QByteArray>{bogus, imagee};
        QTest::newRow("create Ignore")
            << QByteArray("POST") << deployments + "?fieldValidation=Ignore" << json << body << 201
            << QString() << QList<QByteArray>{};
        QTest::newRow("create Strict")
            << QByteArray("POST") << deployments + "?fieldValidation=Strict" << json << body << 400
            << handled + strict << QList<QByteArray>{};
        QTest::newRow("create strict (wrong case)")
            << QByteArray("POST") << deployments + "?fieldValidation=strict" << json << body << 422
            << QStringLiteral("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: "
                              "Unsupported value: \"strict\": supported values: \"\", "
                              "\"Ignore\", \"Strict\", \"Warn\"")
            << QList<QByteArray>{};
        QTest::newRow("update Strict")
            << QByteArray("PUT") << demo + "?fieldValidation=Strict" << json << body << 400
            << handled + strict << QList<QByteArray>{};
        QTest::newRow("update Warn") << QByteArray("PUT") << demo << json << body << 200
                                     << QString() << QList<QByteArray>{bogus, imagee};
        QTest::newRow("merge patch Strict")
            << QByteArray("PATCH") << demo + "?fieldValidation=Strict"
            << QByteArray("application/merge-patch+json") << QByteArray(R"({"spec":{"bogus":2}})")
            << 400 << QStringLiteral("strict decoding error: unknown field \"spec.bogus\"")
            << QList<QByteArray>{};
        QTest::newRow("strategic merge patch Warn")
            << QByteArray("PATCH") << demo << QByteArray("application/strategic-merge-patch+json")
            << QByteArray(R"({"spec":{"template":{"spec":{"containers":[)"
                          R"({"name":"demo","imagee":"x"}]}}}})")
            << 200 << QString() << QList<QByteArray>{imagee};
        QTest::newRow("json patch Strict")
            << QByteArray("PATCH") << demo + "?fieldValidation=Strict"
            << QByteArray("application/json-patch+json")
            << QByteArray(R"([{"op":"add","path":"/spec/bogus","value":1}])") << 400
            << QStringLiteral("strict decoding error: unknown field \"spec.bogus\"")
            << QList<QByteArray>{};
        QTest::newRow("json patch Ignore")
            << QByteArray("PATCH") << demo + "?fieldValidation=Ignore"
            << QByteArray("application/json-patch+json")
            << QByteArray(R"([{"op":"add","path":"/spec/bogus","value":1}])") << 200 << QString()
            << QList<QByteArray>{};
        QTest::newRow("apply: the field manager's typed patch fails")
            << QByteArray("PATCH") << demo + "?fieldManager=t&fieldValidation=Ignore"
            << QByteArray("application/apply-patch+yaml")
            << QByteArray(R"({"apiVersion":"apps/v1","kind":"Deployment",)"
                          R"("metadata":{"name":"demo-dp"},"spec":{"bogus":1}})")
            << 500
            << QStringLiteral("failed to create typed patch object (default/demo-dp; apps/v1, "
                              "Kind=Deployment): .spec.bogus: field not declared in schema")
            << QList<QByteArray>{};
    }

    void unknownFieldsFollowFieldValidation()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, target);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        QFETCH(QList<QByteArray>, warnings);
        Server s;
        if (method != "POST")
            QCOMPARE(
                s.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploymentBody(3))
                    .status,
                201);
        const Reply r = s.call(method, target, body, contentType);
        QCOMPARE(r.status, status);
        if (!message.isEmpty())
            QCOMPARE(r.message(), message);
        if (status >= 400)
            QCOMPARE(r.json().value(u"code").toInt(), status);
        QCOMPARE(r.warnings(), warnings);
        // Whatever the directive, an unknown field is never stored.
        const auto live = s.registry.get(Resources::deployments(), QStringLiteral("default"),
                                         QStringLiteral("demo-dp"));
        if (status >= 400 && method == "POST") {
            QVERIFY(!live);
            return;
        }
        QVERIFY(live);
        QVERIFY(!json::has(*live, {u"spec", u"bogus"}));
        const QJsonObject stored =
            json::array(*live, {u"spec", u"template", u"spec", u"containers"}).at(0).toObject();
        QVERIFY(!stored.contains(u"imagee"));
        QCOMPARE(stored.value(u"name").toString(), QStringLiteral("demo"));
        if (status < 400)
            QVERIFY(!r.json().value(u"spec").toObject().contains(u"bogus"));
    }

    // A body with thousands of unknown fields: all dropped, the warnings bounded as the API
    // server's recorder bounds them (4 KiB of text), the Strict message bounded too.
    void manyUnknownFieldsAreBounded()
    {
        Server s;
        QJsonObject d = yamlToJsonObject(demoDeploymentManifest()).value();
        QJsonObject spec = d.value(u"spec").toObject();
        for (int i = 0; i < 5000; ++i)
            spec.insert(QStringLiteral("unknown-%1").arg(i, 4, 10, QLatin1Char('0')), i);
        d.insert(QStringLiteral("spec"), spec);
        const QByteArray deployments = "/apis/apps/v1/namespaces/default/deployments";
        const Reply strict =
            s.call("POST", deployments + "?fieldValidation=Strict", json::compact(d));
        QCOMPARE(strict.status, 400);
        QVERIFY(strict.message().size() < 8 * 1024);
        QVERIFY(strict.message().contains(u"unknown field \"spec.unknown-0000\""));
        const Reply warned = s.call("POST", deployments, json::compact(d));
        QCOMPARE(warned.status, 201);
        qsizetype bytes = 0;
        for (const QByteArray &w : warned.warnings())
            bytes += w.size();
        QVERIFY(!warned.warnings().isEmpty());
        QVERIFY2(bytes < 6 * 1024, qPrintable(QString::number(bytes)));
        const auto live = s.registry.get(Resources::deployments(), QStringLiteral("default"),
                                         QStringLiteral("demo-dp"));
        const QStringList keys = json::object(*live, {u"spec"}).keys();
        QVERIFY(keys.contains(QStringLiteral("template")));
        for (const QString &key : keys)
            QVERIFY2(!key.startsWith(u"unknown-"), qPrintable(key));
    }

    // A field name is the client's text: quoted as Go's QuoteToASCII, it cannot end the header.
    void warningsAreQuotedSafely()
    {
        Server s;
        QJsonObject d = yamlToJsonObject(demoDeploymentManifest()).value();
        json::set(d, {u"spec", QStringLiteral("a\r\nX-Injected: \"1\"\\\u00e9")}, 1);
        const Reply r =
            s.call("POST", "/apis/apps/v1/namespaces/default/deployments", json::compact(d));
        QCOMPARE(r.status, 201);
        QCOMPARE(r.warnings(),
                 QList<QByteArray>{"299 - \"unknown field \\\"spec.a\\r\\nX-Injected: "
                                   "\\\"1\\\"\\\\\\u00e9\\\"\""});
    }

    // Every field of the served kinds' Go types is type-checked, not only the replicas.
    void valuesMustFitTheirTypedFields_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("problem");
        const QByteArray merge = "application/merge-patch+json";
        QTest::newRow("paused: \"yes\"")
            << QByteArray("PATCH") << merge << QByteArray(R"({"spec":{"paused":"yes"}})") << 422
            << QStringLiteral("json: cannot unmarshal string into Go struct field "
                              "DeploymentSpec.spec.paused of type bool");
        QTest::newRow("maxSurge: true")
            << QByteArray("PATCH") << merge
            << QByteArray(R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":true}}}})") << 422
            << QStringLiteral("json: cannot unmarshal bool into Go struct field "
                              "RollingUpdateDeployment.spec.strategy.rollingUpdate.maxSurge of "
                              "type int32");
        QTest::newRow("a label value 1")
            << QByteArray("PATCH") << merge << QByteArray(R"({"metadata":{"labels":{"a":1}}})")
            << 422
            << QStringLiteral("json: cannot unmarshal number into Go struct field "
                              "ObjectMeta.metadata.labels of type string");
        QJsonObject d = yamlToJsonObject(demoDeploymentManifest()).value();
        json::set(d, {u"spec", u"template", u"spec", u"containers"},
                  QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("demo")},
                                         {QStringLiteral("image"), 5}}});
        QTest::newRow("create with image: 5")
            << QByteArray("POST") << QByteArray("application/json") << json::compact(d) << 400
            << QStringLiteral("Deployment in version \"v1\" cannot be handled as a Deployment: "
                              "json: cannot unmarshal number into Go struct field "
                              "Container.spec.template.spec.containers.image of type string");
        json::set(d, {u"spec", u"template", u"spec", u"containers"},
                  QJsonObject{{QStringLiteral("name"), QStringLiteral("demo")}});
        QTest::newRow("create with containers: {}")
            << QByteArray("POST") << QByteArray("application/json") << json::compact(d) << 400
            << QStringLiteral("Deployment in version \"v1\" cannot be handled as a Deployment: "
                              "json: cannot unmarshal object into Go struct field "
                              "PodSpec.spec.template.spec.containers of type []v1.Container");
    }

    void valuesMustFitTheirTypedFields()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, problem);
        Server s;
        const QByteArray deployments = "/apis/apps/v1/namespaces/default/deployments";
        auto live = [&s] {
            return s.registry.get(Resources::deployments(), QStringLiteral("default"),
                                  QStringLiteral("demo-dp"));
        };
        if (method == "PATCH")
            QCOMPARE(s.call("POST", deployments, deploymentBody(3)).status, 201);
        const auto before = live();
        const Reply r = s.call(method, method == "PATCH" ? deployments + "/demo-dp" : deployments,
                               body, contentType);
        QCOMPARE(r.status, status);
        QVERIFY2(r.message().endsWith(problem), qPrintable(r.message()));
        if (method == "PATCH")
            QCOMPARE(live().value(), before.value()); // nothing changed
        else
            QVERIFY(!live());
    }

    // Server-side apply that creates the object answers 201 Created, as the API server does.
    void applyThatCreatesIs201()
    {
        Server s;
        QJsonObject d = yamlToJsonObject(demoDeploymentManifest()).value();
        const QByteArray target =
            "/apis/apps/v1/namespaces/default/deployments/demo-dp?fieldManager=t";
        const Reply created =
            s.call("PATCH", target, json::compact(d), "application/apply-patch+yaml");
        QCOMPARE(created.status, 201);
        QCOMPARE(json::integer(created.json(), {u"spec", u"replicas"}), 3);
        json::set(d, {u"spec", u"replicas"}, 4);
        const Reply updated =
            s.call("PATCH", target, json::compact(d), "application/apply-patch+yaml");
        QCOMPARE(updated.status, 200);
        QCOMPARE(json::integer(updated.json(), {u"spec", u"replicas"}), 4);
        // A dry run that would create is 201 too, and stores nothing.
        const Reply dry = s.call(
            "PATCH", "/apis/apps/v1/namespaces/default/deployments/other?fieldManager=t&dryRun=All",
            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"other"},)"
            R"("spec":{"selector":{"matchLabels":{"a":"b"}},"template":{"metadata":)"
            R"({"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}})",
            "application/apply-patch+yaml");
        QCOMPARE(dry.status, 201);
        QVERIFY(!s.registry.get(Resources::deployments(), QStringLiteral("default"),
                                QStringLiteral("other")));
    }

    // A continue token whose snapshot has been compacted away is 410 Expired with a token for
    // the rest of the list as it is now (etcd3's handleCompactedErrorForPaging), which then
    // pages on from where the first page stopped.
    void compactedContinueTokenOffersTheRest()
    {
        Server s;
        s.createNamespaces(7); // default, ns-0 .. ns-6
        const Reply first = s.call("GET", "/api/v1/namespaces?limit=3");
        QCOMPARE(first.names(), (QStringList{QStringLiteral("default"), QStringLiteral("ns-0"),
                                             QStringLiteral("ns-1")}));
        const QByteArray token = json::string(first.json(), {u"metadata", u"continue"}).toLatin1();
        QJsonObject late;
        json::set(late, {u"metadata", u"name"}, QStringLiteral("ns-1a"));
        QVERIFY(s.registry.create(Resources::namespaces(), {}, late).ok());
        // Before a compaction the pages stay consistent: ns-1a is not in this list.
        const Reply second = s.call("GET", "/api/v1/namespaces?limit=3&continue=" + token);
        QCOMPARE(second.status, 200);
        QCOMPARE(second.names(), (QStringList{QStringLiteral("ns-2"), QStringLiteral("ns-3"),
                                              QStringLiteral("ns-4")}));

        s.store.compact();
        const Reply expired = s.call("GET", "/api/v1/namespaces?limit=3&continue=" + token);
        QCOMPARE(expired.status, 410);
        QCOMPARE(expired.json().value(u"reason").toString(), QStringLiteral("Expired"));
        QVERIFY(expired.message().startsWith(
            QStringLiteral("The provided continue parameter is too old to display a consistent "
                           "list result. You can start a new list without the continue "
                           "parameter, or use the continue token in this response")));
        const QString rest = json::string(expired.json(), {u"metadata", u"continue"});
        QVERIFY(!rest.isEmpty());
        // The rest token is bound to its list like any other.
        QCOMPARE(
            s.call("GET", "/api/v1/namespaces?labelSelector=app%3Da&continue=" + rest.toLatin1())
                .status,
            410);
        QStringList names;
        QString next = rest;
        int pages = 0;
        while (!next.isEmpty() && ++pages < 10) {
            const Reply page =
                s.call("GET", "/api/v1/namespaces?limit=3&continue=" + next.toLatin1());
            QCOMPARE(page.status, 200);
            names += page.names();
            next = json::string(page.json(), {u"metadata", u"continue"});
        }
        QCOMPARE(names, (QStringList{QStringLiteral("ns-1a"), QStringLiteral("ns-2"),
                                     QStringLiteral("ns-3"), QStringLiteral("ns-4"),
                                     QStringLiteral("ns-5"), QStringLiteral("ns-6")}));
    }

    void validReplicasAreAccepted_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<qint64>("replicas");
        QTest::newRow("int32 max")
            << QByteArray(R"({"spec":{"replicas":2147483647}})") << qint64(2147483647);
        QTest::newRow("zero") << QByteArray(R"({"spec":{"replicas":0}})") << qint64(0);
        QTest::newRow("null is the default")
            << QByteArray(R"({"spec":{"replicas":null}})") << qint64(1);
    }

    void validReplicasAreAccepted()
    {
        QFETCH(QByteArray, body);
        QFETCH(qint64, replicas);
        Server s;
        QCOMPARE(s.call("POST", "/apis/apps/v1/namespaces/default/deployments", deploymentBody(3))
                     .status,
                 201);
        const Reply r = s.call("PATCH", "/apis/apps/v1/namespaces/default/deployments/demo-dp",
                               body, "application/merge-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(json::integer(r.json(), {u"spec", u"replicas"}), replicas);
    }
};

ROLLSCOPE_TEST_MAIN(TestSimApiServer)
#include "tst_simapiserver.moc"
