// SPDX-License-Identifier: MIT
#include "simulator/discovery.h"
#include "simulator/eventrecorder.h"
#include "simulator/images.h"
#include "simulator/json.h"
#include "simulator/openapi.h"
#include "simulator/resources.h"
#include "simulator/tables.h"
#include "testmain.h"

#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

constexpr qint64 kNow = 1'800'000'000'000;

QJsonObject obj(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).object();
}

QString created(qint64 agoMs)
{
    return json::timestamp(kNow - agoMs);
}

} // namespace

class TestSimTables : public QObject
{
    Q_OBJECT
private slots:
    void deploymentRow()
    {
        const QJsonObject d =
            obj(QStringLiteral(R"({"metadata":{"name":"demo-dp","creationTimestamp":"%1"},
          "spec":{"replicas":3,"selector":{"matchLabels":{"tier":"web","app":"demo"}},
                  "template":{"spec":{"containers":[{"name":"demo","image":"bebullish/demo:v2"},{"name":"side","image":"busybox"}]}}},
          "status":{"readyReplicas":2,"updatedReplicas":1,"availableReplicas":2}})")
                    .arg(created(300'000))
                    .toUtf8());
        const QJsonArray cells = Tables::cells(Resources::deployments(), d, kNow);
        QCOMPARE(cells, (QJsonArray{QStringLiteral("demo-dp"), QStringLiteral("2/3"), 1, 2,
                                    QStringLiteral("5m"), QStringLiteral("demo,side"),
                                    QStringLiteral("bebullish/demo:v2,busybox"),
                                    QStringLiteral("app=demo,tier=web")}));
        QCOMPARE(Tables::columnDefinitions(Resources::deployments()).size(), cells.size());
    }

    void podStatus_data()
    {
        QTest::addColumn<QByteArray>("pod");
        QTest::addColumn<QString>("ready");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("restarts");
        QTest::newRow("pending")
            << QByteArray(R"({"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending"}})")
            << QStringLiteral("0/1") << QStringLiteral("Pending") << QStringLiteral("0");
        QTest::newRow("creating")
            << QByteArray(R"({"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending",
                 "containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ContainerCreating"}}}]}})")
            << QStringLiteral("0/1") << QStringLiteral("ContainerCreating") << QStringLiteral("0");
        QTest::newRow("running not ready")
            << QByteArray(R"({"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running",
                 "containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":{"running":{}}}]}})")
            << QStringLiteral("0/1") << QStringLiteral("Running") << QStringLiteral("0");
        QTest::newRow("ready")
            << QByteArray(R"({"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running",
                 "containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{}}}]}})")
            << QStringLiteral("1/1") << QStringLiteral("Running") << QStringLiteral("0");
        QTest::newRow("crash loop")
            << QByteArray(R"({"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running",
                 "containerStatuses":[{"name":"c","ready":false,"restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"}},
                 "lastState":{"terminated":{"exitCode":1,"reason":"Error","finishedAt":"2027-01-15T07:58:30Z"}}}]}})")
            << QStringLiteral("0/1") << QStringLiteral("CrashLoopBackOff")
            << QStringLiteral("3 (90s ago)");
        QTest::newRow("terminating")
            << QByteArray(
                   R"({"metadata":{"deletionTimestamp":"2027-01-15T08:01:00Z"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running",
                 "containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{}}}]}})")
            << QStringLiteral("1/1") << QStringLiteral("Terminating") << QStringLiteral("0");
        QTest::newRow("completed")
            << QByteArray(R"({"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Succeeded",
                 "containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":{"terminated":{"exitCode":0,"reason":"Completed"}}}]}})")
            << QStringLiteral("0/1") << QStringLiteral("Completed") << QStringLiteral("0");
    }

    void podStatus()
    {
        QFETCH(QByteArray, pod);
        QFETCH(QString, ready);
        QFETCH(QString, status);
        QFETCH(QString, restarts);
        // kNow is 2027-01-15T08:00:00Z.
        QCOMPARE(json::timestamp(kNow), QStringLiteral("2027-01-15T08:00:00Z"));
        const QJsonArray cells = Tables::cells(Resources::pods(), obj(pod), kNow);
        QCOMPARE(cells.at(1).toString(), ready);
        QCOMPARE(cells.at(2).toString(), status);
        QCOMPARE(cells.at(3).toString(), restarts);
    }

    void serviceRow()
    {
        const QJsonObject pending =
            obj(R"({"metadata":{"name":"demo-service"},"spec":{"type":"LoadBalancer",
            "clusterIPs":["10.96.0.20"],"selector":{"app":"demo"},"ports":[{"port":80,"nodePort":31234,"protocol":"TCP"}]},
            "status":{"loadBalancer":{}}})");
        QJsonArray cells = Tables::cells(Resources::services(), pending, kNow);
        QCOMPARE(cells.at(1).toString(), QStringLiteral("LoadBalancer"));
        QCOMPARE(cells.at(2).toString(), QStringLiteral("10.96.0.20"));
        QCOMPARE(cells.at(3).toString(), QStringLiteral("<pending>"));
        QCOMPARE(cells.at(4).toString(), QStringLiteral("80:31234/TCP"));
        QCOMPARE(cells.at(6).toString(), QStringLiteral("app=demo"));
        QJsonObject ready = pending;
        json::set(ready, {u"status", u"loadBalancer", u"ingress"},
                  QJsonArray{QJsonObject{{QStringLiteral("ip"), QStringLiteral("127.0.1.7")}}});
        cells = Tables::cells(Resources::services(), ready, kNow);
        QCOMPARE(cells.at(3).toString(), QStringLiteral("127.0.1.7"));
    }

    // An events.k8s.io Event prints the same row as the core Event it is stored as: both shapes
    // (the legacy recorder's and the events.k8s.io recorder's) and both API versions.
    void eventRowsInBothVersions()
    {
        QJsonObject legacy = obj(
            R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"web.1"},"involvedObject":{"kind":"Pod","name":"web"},
            "reason":"Pulling","message":"Pulling image","type":"Normal",
            "source":{"component":"kubelet","host":"sim-node-1"},"count":3,
            "reportingComponent":"kubelet","reportingInstance":"sim-node-1","eventTime":null})");
        legacy.insert(QStringLiteral("firstTimestamp"), created(600'000));
        legacy.insert(QStringLiteral("lastTimestamp"), created(60'000));
        QJsonObject modern = obj(
            R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"web.2"},"involvedObject":{"kind":"Pod","name":"web"},
            "reason":"Scheduled","message":"Successfully assigned default/web to sim-node-1",
            "type":"Normal","source":{},"firstTimestamp":null,"lastTimestamp":null,
            "reportingComponent":"default-scheduler","action":"Binding",
            "reportingInstance":"default-scheduler-rollscope-sim"})");
        modern.insert(QStringLiteral("eventTime"), json::microTimestamp(kNow - 120'000));
        const QJsonArray legacyRow = Tables::cells(Resources::events(), legacy, kNow);
        const QJsonArray modernRow = Tables::cells(Resources::events(), modern, kNow);
        QCOMPARE(legacyRow.at(0).toString(), QStringLiteral("60s"));
        QCOMPARE(legacyRow.at(3).toString(), QStringLiteral("pod/web"));
        QCOMPARE(legacyRow.at(6).toString(), QStringLiteral("Pulling image"));
        QCOMPARE(legacyRow.at(8).toInteger(), 3);
        QCOMPARE(modernRow.at(0).toString(), QStringLiteral("2m"));
        QCOMPARE(modernRow.at(5).toString(),
                 QStringLiteral("default-scheduler, default-scheduler-rollscope-sim"));
        QCOMPARE(modernRow.at(8).toInteger(), 1);
        for (const QJsonObject &core : {legacy, modern}) {
            const QJsonObject v1 = EventsV1::fromCore(core);
            QCOMPARE(v1.value(u"apiVersion").toString(), QStringLiteral("events.k8s.io/v1"));
            QCOMPARE(v1.value(u"note"), core.value(u"message"));
            QCOMPARE(Tables::cells(Resources::eventsV1(), v1, kNow),
                     Tables::cells(Resources::events(), core, kNow));
            // And back, field for field.
            QCOMPARE(EventsV1::toCore(v1), core);
        }
    }

    void tableEnvelopeAndRowObject()
    {
        const QJsonObject d = obj(
            R"({"kind":"Deployment","metadata":{"name":"a","namespace":"ns","resourceVersion":"7"}})");
        const QJsonObject t = Tables::table(
            Resources::deployments(), {d}, kNow, Tables::IncludeObject::Metadata, true,
            QJsonObject{{QStringLiteral("resourceVersion"), QStringLiteral("9")}});
        QCOMPARE(t.value(u"kind").toString(), QStringLiteral("Table"));
        QCOMPARE(t.value(u"apiVersion").toString(), QStringLiteral("meta.k8s.io/v1"));
        const QJsonObject row = t.value(u"rows").toArray().first().toObject();
        QCOMPARE(row.value(u"object").toObject().value(u"kind").toString(),
                 QStringLiteral("PartialObjectMetadata"));
        QCOMPARE(json::ns(row.value(u"object").toObject()), QStringLiteral("ns"));
        const QJsonObject later = Tables::table(Resources::deployments(), {d}, kNow,
                                                Tables::IncludeObject::Metadata, false, {});
        QVERIFY(later.value(u"columnDefinitions").isNull());
    }

    void discoveryHasShortNamesAndSubresources()
    {
        const QJsonArray apps =
            Discovery::apiResourceList(QStringLiteral("apps/v1")).value(u"resources").toArray();
        QStringList names;
        for (const QJsonValue &r : apps)
            names << r.toObject().value(u"name").toString();
        QVERIFY(names.contains(QStringLiteral("deployments/scale")));
        QVERIFY(names.contains(QStringLiteral("replicasets/status")));
        const QJsonObject deployments = apps.first().toObject();
        QCOMPARE(deployments.value(u"shortNames").toArray(), QJsonArray{QStringLiteral("deploy")});
        QVERIFY(Discovery::apiResourceList(QStringLiteral("nope/v1")).isEmpty());
    }

    void openApiAdvertisesFieldValidationPerKind()
    {
        const QJsonObject root =
            QJsonDocument::fromJson(OpenApi::document(QStringLiteral("v3"))).object();
        const QString url = root.value(u"paths")
                                .toObject()
                                .value(u"apis/apps/v1")
                                .toObject()
                                .value(u"serverRelativeURL")
                                .toString();
        QVERIFY(url.startsWith(QStringLiteral("/openapi/v3/apis/apps/v1?hash=")));
        const QJsonObject doc =
            QJsonDocument::fromJson(OpenApi::document(QStringLiteral("v3/apis/apps/v1"))).object();
        const QJsonObject patch =
            doc.value(u"paths")
                .toObject()
                .value(u"/apis/apps/v1/namespaces/{namespace}/deployments/{name}")
                .toObject()
                .value(u"patch")
                .toObject();
        QCOMPARE(
            patch.value(u"x-kubernetes-group-version-kind").toObject().value(u"kind").toString(),
            QStringLiteral("Deployment"));
        bool hasFieldValidation = false;
        for (const QJsonValue &p : patch.value(u"parameters").toArray())
            hasFieldValidation =
                hasFieldValidation || p.toObject().value(u"name").toString() == u"fieldValidation";
        QVERIFY(hasFieldValidation);
        // Swagger 2.0, JSON only (tst_simopenapi checks its content).
        QCOMPARE(QJsonDocument::fromJson(OpenApi::document(QStringLiteral("v2")))
                     .object()
                     .value(u"swagger")
                     .toString(),
                 QStringLiteral("2.0"));
    }

    void imageBehaviours()
    {
        const ImageBehavior v1 = behaviorFor(QStringLiteral("bebullish/demo:v1"));
        QVERIFY(v1.exists);
        QCOMPARE(v1.version, QStringLiteral("v1"));
        QVERIFY(!behaviorFor(QStringLiteral("bebullish/demo:v9")).exists);
        QVERIFY(behaviorFor(QStringLiteral("nginx:1.27")).exists);
        QVERIFY(!behaviorFor(QStringLiteral("nginx:1.27-missing")).exists);
        QVERIFY(behaviorFor(QStringLiteral("Bebullish/Demo:V2")).invalidName);
        const ImageBehavior mixed =
            behaviorFor(QStringLiteral("bebullish/demo:v2-slow-nodrain-fail30"));
        QVERIFY(mixed.exists);
        QCOMPARE(mixed.readyAfterMs, 20'000);
        QVERIFY(!mixed.drain);
        QCOMPARE(mixed.failRate, 0.3);
        const ImageBehavior annotated =
            behaviorFor(QStringLiteral("nginx:1.27"),
                        QJsonObject{{QLatin1StringView(kBehaviorAnnotation),
                                     QStringLiteral("ready-after=7s, neverready, latency=250ms")}});
        QCOMPARE(annotated.readyAfterMs, 7000);
        QVERIFY(annotated.neverReady);
        QCOMPARE(annotated.latencyMs, 250);
    }
};

ROLLSCOPE_TEST_MAIN(TestSimTables)
#include "tst_simtables.moc"
