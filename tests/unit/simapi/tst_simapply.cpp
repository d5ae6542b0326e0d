// SPDX-License-Identifier: MIT
// Server-side apply and field ownership (metadata.managedFields), driven through the API
// server in-process: Apply and Update entries, conflicts between managers, force, removal of
// fields an applier no longer applies, the User-Agent fallback, client-sent managedFields.

#include "simulator/apiserver.h"
#include "simulator/auth.h"
#include "simulator/clock.h"
#include "simulator/json.h"
#include "simulator/managedfields.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/store.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <memory>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

class ApplyExchange final : public HttpExchange
{
public:
    ApplyExchange(HttpRequest request, QObject *parent)
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

struct Answer
{
    int status = 0;
    QJsonObject body;
};

const QByteArray kToken = "admin-token";
const QByteArray kApply = "application/apply-patch+yaml";
const QByteArray kSmp = "application/strategic-merge-patch+json";
const QByteArray kMerge = "application/merge-patch+json";
const QByteArray kDeployments = "/apis/apps/v1/namespaces/default/deployments";

struct Sim
{
    QObject exchanges;
    SimClock clock{SimClock::Mode::Virtual, 1'700'000'000'000};
    Store store;
    QRandomGenerator random{7};
    Registry registry{&store, &clock, &random};
    Authenticator auth{nullptr};
    std::unique_ptr<ApiServer> api;

    Sim()
    {
        auth.addToken(QString::fromLatin1(kToken),
                      Identity{QStringLiteral("admin"), {QLatin1StringView(kAdminGroup)}});
        api = std::make_unique<ApiServer>(&registry, &auth);
        (void)registry.create(Resources::namespaces(), {},
                              json::parseObject(R"({"metadata":{"name":"default"}})"));
    }

    Answer call(const QByteArray &method, const QByteArray &target, const QByteArray &body = {},
                const QByteArray &contentType = "application/json",
                const QByteArray &userAgent = "test-client/1.0")
    {
        HttpRequest request;
        request.method = method;
        request.target = target;
        request.headers = {{"authorization", "Bearer " + kToken},
                           {"content-type", contentType},
                           {"user-agent", userAgent}};
        request.body = body;
        auto *exchange = new ApplyExchange(request, &exchanges);
        api->handler()(exchange);
        return {exchange->status, QJsonDocument::fromJson(exchange->body).object()};
    }

    Answer apply(const QByteArray &manager, const QByteArray &body, bool force = false)
    {
        return call("PATCH",
                    kDeployments + "/demo?fieldManager=" + manager +
                        (force ? "&force=true" : "&force=false"),
                    body, kApply);
    }
};

// An applied configuration of the demo Deployment, with `extra` merged into its container.
QByteArray config(const QString &image, const QJsonObject &extraContainer = {},
                  const QJsonObject &extraMetadata = {})
{
    QJsonObject container{{QStringLiteral("name"), QStringLiteral("demo")},
                          {QStringLiteral("image"), image}};
    for (auto it = extraContainer.begin(); it != extraContainer.end(); ++it)
        container.insert(it.key(), it.value());
    QJsonObject metadata{{QStringLiteral("name"), QStringLiteral("demo")}};
    for (auto it = extraMetadata.begin(); it != extraMetadata.end(); ++it)
        metadata.insert(it.key(), it.value());
    const QJsonObject labels{{QStringLiteral("app"), QStringLiteral("demo")}};
    const QJsonObject d{
        {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
        {QStringLiteral("kind"), QStringLiteral("Deployment")},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("spec"),
         QJsonObject{
             {QStringLiteral("replicas"), 2},
             {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labels}}},
             {QStringLiteral("template"),
              QJsonObject{
                  {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labels}}},
                  {QStringLiteral("spec"),
                   QJsonObject{{QStringLiteral("containers"), QJsonArray{container}}}}}}}}};
    return json::compact(d);
}

QJsonArray managedFields(const QJsonObject &object)
{
    return json::array(object, {u"metadata", u"managedFields"});
}

QJsonObject entryOf(const QJsonObject &object, const QString &manager)
{
    for (const QJsonValue &e : managedFields(object)) {
        if (e.toObject().value(u"manager").toString() == manager)
            return e.toObject();
    }
    return {};
}

const QString kContainer = QStringLiteral(R"(k:{"name":"demo"})");

QJsonObject containerFields(const QJsonObject &entry)
{
    return json::object(entry, {u"fieldsV1", u"f:spec", u"f:template", u"f:spec", u"f:containers"})
        .value(kContainer)
        .toObject();
}

QString imageOf(const QJsonObject &d)
{
    return json::array(d, {u"spec", u"template", u"spec", u"containers"})
        .first()
        .toObject()
        .value(u"image")
        .toString();
}

} // namespace

class TestSimApply : public QObject
{
    Q_OBJECT

private slots:
    void applyCreatesWithAnApplyEntry()
    {
        Sim s;
        const Answer a = s.apply("a", config(QStringLiteral("demo:v1")));
        QCOMPARE(a.status, 201);
        const QJsonArray entries = managedFields(a.body);
        QCOMPARE(entries.size(), 1);
        const QJsonObject e = entries.first().toObject();
        QCOMPARE(e.value(u"manager").toString(), QStringLiteral("a"));
        QCOMPARE(e.value(u"operation").toString(), QStringLiteral("Apply"));
        QCOMPARE(e.value(u"apiVersion").toString(), QStringLiteral("apps/v1"));
        QCOMPARE(e.value(u"fieldsType").toString(), QStringLiteral("FieldsV1"));
        QCOMPARE(e.value(u"time").toString(), QStringLiteral("2023-11-14T22:13:20Z"));
        QVERIFY(!e.contains(u"subresource"));
        const QJsonObject fields = e.value(u"fieldsV1").toObject();
        // Server-owned metadata and type meta are never tracked; the selector is atomic.
        QVERIFY(!fields.contains(u"f:apiVersion"));
        QVERIFY(!fields.contains(u"f:metadata"));
        QCOMPARE(json::get(fields, {u"f:spec", u"f:selector"}), QJsonValue(QJsonObject()));
        QCOMPARE(json::get(fields, {u"f:spec", u"f:replicas"}), QJsonValue(QJsonObject()));
        QCOMPARE(
            json::get(fields, {u"f:spec", u"f:template", u"f:metadata", u"f:labels", u"f:app"}),
            QJsonValue(QJsonObject()));
        // Apply entries own list items (`.`), not maps.
        QVERIFY(!json::object(fields, {u"f:spec", u"f:template", u"f:metadata", u"f:labels"})
                     .contains(u"."));
        const QJsonObject c = containerFields(e);
        QCOMPARE(c, (QJsonObject{{QStringLiteral("."), QJsonObject()},
                                 {QStringLiteral("f:image"), QJsonObject()},
                                 {QStringLiteral("f:name"), QJsonObject()}}));
        // Defaulted fields belong to nobody.
        QVERIFY(!json::has(fields, {u"f:spec", u"f:strategy"}));
        QVERIFY(!json::has(fields, {u"f:status"}));
    }

    void updateOwnsWhatItChanged()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        s.clock.advance(5000);
        const QByteArray patch =
            R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":"demo:v2"}]}}}})";
        const Answer p =
            s.call("PATCH", kDeployments + "/demo?fieldManager=kubectl-set", patch, kSmp);
        QCOMPARE(p.status, 200);
        const QJsonArray entries = managedFields(p.body);
        QCOMPARE(entries.size(), 2);
        // Apply entries sort first.
        QCOMPARE(entries.at(0).toObject().value(u"operation").toString(), QStringLiteral("Apply"));
        const QJsonObject set = entries.at(1).toObject();
        QCOMPARE(set.value(u"manager").toString(), QStringLiteral("kubectl-set"));
        QCOMPARE(set.value(u"operation").toString(), QStringLiteral("Update"));
        QCOMPARE(set.value(u"apiVersion").toString(), QStringLiteral("apps/v1"));
        QCOMPARE(set.value(u"time").toString(), QStringLiteral("2023-11-14T22:13:25Z"));
        QCOMPARE(containerFields(set), (QJsonObject{{QStringLiteral("f:image"), QJsonObject()}}));
        // The applier lost the image, kept the rest.
        const QJsonObject applied = containerFields(entryOf(p.body, QStringLiteral("a")));
        QVERIFY(!applied.contains(u"f:image"));
        QVERIFY(applied.contains(u"f:name"));
    }

    void conflictIs409WithCauses()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        const QByteArray patch =
            R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":"demo:v2"}]}}}})";
        QCOMPARE(
            s.call("PATCH", kDeployments + "/demo?fieldManager=kubectl-set", patch, kSmp).status,
            200);
        const Answer c = s.apply("a", config(QStringLiteral("demo:v3")));
        QCOMPARE(c.status, 409);
        QCOMPARE(c.body.value(u"kind").toString(), QStringLiteral("Status"));
        QCOMPARE(c.body.value(u"reason").toString(), QStringLiteral("Conflict"));
        QCOMPARE(c.body.value(u"message").toString(),
                 QStringLiteral("Apply failed with 1 conflict: conflict with \"kubectl-set\" "
                                "using apps/v1: .spec.template.spec.containers[name=\"demo\"]"
                                ".image"));
        const QJsonObject details = c.body.value(u"details").toObject();
        QVERIFY(!details.contains(u"name"));
        const QJsonArray causes = details.value(u"causes").toArray();
        QCOMPARE(causes.size(), 1);
        QCOMPARE(
            causes.first().toObject(),
            (QJsonObject{{QStringLiteral("reason"), QStringLiteral("FieldManagerConflict")},
                         {QStringLiteral("message"),
                          QStringLiteral("conflict with \"kubectl-set\" using apps/v1")},
                         {QStringLiteral("field"),
                          QStringLiteral(".spec.template.spec.containers[name=\"demo\"].image")}}));
        // Nothing was written.
        const Answer live = s.call("GET", kDeployments + "/demo");
        QCOMPARE(imageOf(live.body), QStringLiteral("demo:v2"));

        // Applying the value the other manager set is no conflict: both own it.
        const Answer shared = s.apply("a", config(QStringLiteral("demo:v2")));
        QCOMPARE(shared.status, 200);
        QVERIFY(containerFields(entryOf(shared.body, QStringLiteral("a"))).contains(u"f:image"));
        QVERIFY(containerFields(entryOf(shared.body, QStringLiteral("kubectl-set")))
                    .contains(u"f:image"));
    }

    void severalConflictsAreListedByManager()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        QCOMPARE(s.call("PATCH", kDeployments + "/demo?fieldManager=m2",
                        R"({"spec":{"replicas":5}})", kMerge)
                     .status,
                 200);
        QCOMPARE(
            s.call(
                 "PATCH", kDeployments + "/demo?fieldManager=m1",
                 R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":"x:1"}]}}}})",
                 kSmp)
                .status,
            200);
        const Answer c = s.apply("a", config(QStringLiteral("demo:v1")));
        QCOMPARE(c.status, 409);
        QCOMPARE(c.body.value(u"message").toString(),
                 QStringLiteral("Apply failed with 2 conflicts: conflicts with \"m1\" using "
                                "apps/v1:\n- .spec.template.spec.containers[name=\"demo\"].image\n"
                                "conflicts with \"m2\" using apps/v1:\n- .spec.replicas"));
        QCOMPARE(json::array(c.body, {u"details", u"causes"}).size(), 2);
    }

    void forceTakesOwnership()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        const QByteArray patch =
            R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":"demo:v2"}]}}}})";
        QCOMPARE(
            s.call("PATCH", kDeployments + "/demo?fieldManager=kubectl-set", patch, kSmp).status,
            200);
        const Answer f = s.apply("a", config(QStringLiteral("demo:v3")), true);
        QCOMPARE(f.status, 200);
        QCOMPARE(imageOf(f.body), QStringLiteral("demo:v3"));
        // kubectl-set owned only the image: its entry is gone.
        QVERIFY(entryOf(f.body, QStringLiteral("kubectl-set")).isEmpty());
        QVERIFY(containerFields(entryOf(f.body, QStringLiteral("a"))).contains(u"f:image"));
    }

    void omittedFieldsAreRemoved()
    {
        Sim s;
        const QJsonObject env{
            {QStringLiteral("env"),
             QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("MODE")},
                                    {QStringLiteral("value"), QStringLiteral("fast")}}}}};
        const QJsonObject annotations{
            {QStringLiteral("annotations"),
             QJsonObject{{QStringLiteral("team"), QStringLiteral("x")},
                         {QStringLiteral("shared"), QStringLiteral("y")}}}};
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"), env, annotations)).status, 201);
        // Another applier co-owns one annotation.
        const QByteArray other =
            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"demo",)"
            R"("annotations":{"shared":"y"}}})";
        QCOMPARE(s.apply("b", other).status, 200);

        const Answer again = s.apply("a", config(QStringLiteral("demo:v1")));
        QCOMPARE(again.status, 200);
        const QJsonObject container =
            json::array(again.body, {u"spec", u"template", u"spec", u"containers"})
                .first()
                .toObject();
        QVERIFY(!container.contains(u"env"));
        const QJsonObject kept = json::object(again.body, {u"metadata", u"annotations"});
        QVERIFY(!kept.contains(u"team"));
        QCOMPARE(kept.value(u"shared").toString(), QStringLiteral("y"));
        // Defaulted fields nobody applied stay.
        QCOMPARE(container.value(u"imagePullPolicy").toString(), QStringLiteral("IfNotPresent"));
        QVERIFY(!json::has(entryOf(again.body, QStringLiteral("a")), {u"fieldsV1", u"f:metadata"}));
    }

    void userAgentNamesTheManager()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        const Answer p = s.call("PATCH", kDeployments + "/demo", R"({"spec":{"replicas":4}})",
                                kMerge, "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9");
        QCOMPARE(p.status, 200);
        const QJsonObject e = entryOf(p.body, QStringLiteral("kubectl"));
        QCOMPARE(e.value(u"operation").toString(), QStringLiteral("Update"));
        QCOMPARE(json::get(e, {u"fieldsV1", u"f:spec", u"f:replicas"}), QJsonValue(QJsonObject()));
        QCOMPARE(managedfields::managerFromUserAgent("OpenAPI-Generator/31.0.0/python"),
                 QStringLiteral("OpenAPI-Generator"));
        QCOMPARE(managedfields::managerFromUserAgent(QByteArray(500, 'x')).size(), 128);
        QCOMPARE(managedfields::managerFromUserAgent("a\tb\x01/c"), QStringLiteral("ab"));
    }

    void createRecordsAnUpdateWithDefaults()
    {
        Sim s;
        const QJsonObject withPorts{
            {QStringLiteral("ports"),
             QJsonArray{QJsonObject{{QStringLiteral("containerPort"), 8080}}}}};
        const Answer c = s.call("POST", kDeployments + "?fieldManager=kubectl-create",
                                config(QStringLiteral("demo:v1"), withPorts));
        QCOMPARE(c.status, 201);
        const QJsonObject e = entryOf(c.body, QStringLiteral("kubectl-create"));
        QCOMPARE(e.value(u"operation").toString(), QStringLiteral("Update"));
        const QJsonObject fields = e.value(u"fieldsV1").toObject();
        // Update entries own maps they created, and the defaulted fields of the typed object.
        QVERIFY(json::object(fields, {u"f:spec", u"f:template", u"f:metadata", u"f:labels"})
                    .contains(u"."));
        QVERIFY(json::has(fields, {u"f:spec", u"f:progressDeadlineSeconds"}));
        QVERIFY(containerFields(e).contains(u"f:imagePullPolicy"));
        const QJsonObject ports = containerFields(e).value(u"f:ports").toObject();
        QVERIFY(ports.contains(u"."));
        QVERIFY(ports.contains(QStringLiteral(R"(k:{"containerPort":8080,"protocol":"TCP"})")));
        QVERIFY(!fields.contains(u"f:status"));
    }

    void statusWritesRecordTheController()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        const auto written = s.registry.modify(
            Resources::deployments(), QStringLiteral("default"), QStringLiteral("demo"),
            [](QJsonObject &d) {
                json::set(d, {u"status", u"replicas"}, 2);
                json::set(d, {u"status", u"observedGeneration"}, 1);
                return true;
            },
            Subresource::Status);
        QVERIFY(written);
        const QJsonObject e = entryOf(*written, QStringLiteral("kube-controller-manager"));
        QCOMPARE(e.value(u"operation").toString(), QStringLiteral("Update"));
        QCOMPARE(e.value(u"subresource").toString(), QStringLiteral("status"));
        QCOMPARE(e.value(u"fieldsV1").toObject(),
                 (QJsonObject{{QStringLiteral("f:status"),
                               QJsonObject{{QStringLiteral("f:observedGeneration"), QJsonObject()},
                                           {QStringLiteral("f:replicas"), QJsonObject()}}}}));
        // The applier's entry is untouched.
        QVERIFY(!entryOf(*written, QStringLiteral("a")).isEmpty());
    }

    void sentManagedFieldsAreUsedOrReset()
    {
        Sim s;
        QCOMPARE(s.apply("a", config(QStringLiteral("demo:v1"))).status, 201);
        // Invalid entries are ignored: the live ones stay.
        const Answer bad = s.call(
            "PATCH", kDeployments + "/demo?fieldManager=x",
            R"({"metadata":{"managedFields":[{"manager":"z","operation":"Bogus"}]}})", kMerge);
        QCOMPARE(bad.status, 200);
        QVERIFY(!entryOf(bad.body, QStringLiteral("a")).isEmpty());
        QVERIFY(entryOf(bad.body, QStringLiteral("z")).isEmpty());
        // `[{}]` resets them.
        const Answer reset = s.call("PATCH", kDeployments + "/demo?fieldManager=x",
                                    R"({"metadata":{"managedFields":[{}]}})", kMerge);
        QCOMPARE(reset.status, 200);
        QVERIFY(managedFields(reset.body).isEmpty());
        // Valid ones replace them.
        const Answer set = s.call(
            "PATCH", kDeployments + "/demo?fieldManager=x",
            R"({"metadata":{"managedFields":[{"manager":"owner","operation":"Apply",)"
            R"("apiVersion":"apps/v1","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{"f:replicas":{}}}}]}})",
            kMerge);
        QCOMPARE(set.status, 200);
        QCOMPARE(json::get(entryOf(set.body, QStringLiteral("owner")),
                           {u"fieldsV1", u"f:spec", u"f:replicas"}),
                 QJsonValue(QJsonObject()));
        QCOMPARE(s.apply("b", R"({"apiVersion":"apps/v1","kind":"Deployment",)"
                              R"("metadata":{"name":"demo"},"spec":{"replicas":9}})")
                     .body.value(u"message")
                     .toString(),
                 QStringLiteral("Apply failed with 1 conflict: conflict with \"owner\": "
                                ".spec.replicas"));
    }

    void optionsAreValidated()
    {
        Sim s;
        const Answer noManager =
            s.call("PATCH", kDeployments + "/demo", config(QStringLiteral("demo:v1")), kApply);
        QCOMPARE(noManager.status, 422);
        const Answer forced = s.call("PATCH", kDeployments + "/demo?force=true&fieldManager=x",
                                     R"({"spec":{"replicas":1}})", kMerge);
        QCOMPARE(forced.status, 422);
        QCOMPARE(forced.body.value(u"message").toString(),
                 QStringLiteral("PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may "
                                "not be specified for non-apply patch"));
        const Answer tooLong =
            s.call("PATCH", kDeployments + "/demo?fieldManager=" + QByteArray(129, 'm'),
                   config(QStringLiteral("demo:v1")), kApply);
        QCOMPARE(tooLong.status, 422);
    }

    void pathStrings()
    {
        QCOMPARE(managedfields::pathString({QStringLiteral("f:spec"), QStringLiteral("f:ports"),
                                            QStringLiteral(R"(k:{"port":80,"protocol":"TCP"})"),
                                            QStringLiteral("f:name")}),
                 QStringLiteral(R"(.spec.ports[port=80,protocol="TCP"].name)"));
        QCOMPARE(
            managedfields::pathString({QStringLiteral("f:metadata"), QStringLiteral("f:finalizers"),
                                       QStringLiteral(R"(v:"a/b")")}),
            QStringLiteral(R"(.metadata.finalizers[="a/b"])"));
    }
};

ROLLSCOPE_TEST_MAIN(TestSimApply)
#include "tst_simapply.moc"
