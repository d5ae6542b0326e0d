// SPDX-License-Identifier: MIT
#include "simulator/clock.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/scenarios.h"
#include "simulator/store.h"
#include "simulator/yamljson.h"
#include "testmain.h"

#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::sim;

class TestSimRegistry : public QObject
{
    Q_OBJECT

    struct Fixture
    {
        SimClock clock{SimClock::Mode::Virtual, 1'700'000'000'000};
        Store store;
        QRandomGenerator random{42};
        Registry registry{&store, &clock, &random};
        Fixture()
        {
            for (const char *ns : {"default", "kube-system"})
                (void)registry.create(
                    Resources::namespaces(), {},
                    QJsonObject{{QStringLiteral("metadata"),
                                 QJsonObject{{QStringLiteral("name"), QLatin1StringView(ns)}}}});
        }
        QJsonObject demo() { return yamlToJsonObject(demoDeploymentManifest()).value(); }
    };

private slots:
    void createDefaultsAndServerFields()
    {
        Fixture f;
        const auto created =
            f.registry.create(Resources::deployments(), QStringLiteral("default"), f.demo());
        QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
        const QJsonObject d = created.value();
        QCOMPARE(d.value(u"kind").toString(), QStringLiteral("Deployment"));
        QCOMPARE(d.value(u"apiVersion").toString(), QStringLiteral("apps/v1"));
        QCOMPARE(json::integer(d, {u"metadata", u"generation"}), 1);
        QVERIFY(!json::uid(d).isEmpty());
        QCOMPARE(json::string(d, {u"metadata", u"creationTimestamp"}),
                 QStringLiteral("2023-11-14T22:13:20Z"));
        QCOMPARE(json::integer(d, {u"spec", u"revisionHistoryLimit"}), 10);
        QCOMPARE(json::integer(d, {u"spec", u"progressDeadlineSeconds"}), 600);
        const QJsonObject container =
            json::array(d, {u"spec", u"template", u"spec", u"containers"}).first().toObject();
        QCOMPARE(container.value(u"imagePullPolicy").toString(), QStringLiteral("IfNotPresent"));
        QCOMPARE(container.value(u"terminationMessagePath").toString(),
                 QStringLiteral("/dev/termination-log"));
        QCOMPARE(
            json::integer(d, {u"spec", u"template", u"spec", u"terminationGracePeriodSeconds"}),
            30);
        QCOMPARE(
            container.value(u"ports").toArray().first().toObject().value(u"protocol").toString(),
            QStringLiteral("TCP"));
    }

    void strategyDefaults()
    {
        Fixture f;
        QJsonObject d = f.demo();
        json::remove(d, {u"spec", u"strategy"});
        const auto created =
            f.registry.create(Resources::deployments(), QStringLiteral("default"), d);
        QVERIFY(created);
        QCOMPARE(json::string(*created, {u"spec", u"strategy", u"type"}),
                 QStringLiteral("RollingUpdate"));
        QCOMPARE(json::string(*created, {u"spec", u"strategy", u"rollingUpdate", u"maxSurge"}),
                 QStringLiteral("25%"));
        QCOMPARE(
            json::string(*created, {u"spec", u"strategy", u"rollingUpdate", u"maxUnavailable"}),
            QStringLiteral("25%"));
    }

    void generationFollowsSpecAndAnnotations()
    {
        Fixture f;
        const QString ns = QStringLiteral("default");
        const QString name = QStringLiteral("demo-dp");
        QVERIFY(f.registry.create(Resources::deployments(), ns, f.demo()));
        // Status writes never bump the generation.
        QVERIFY(f.registry.modify(
            Resources::deployments(), ns, name,
            [](QJsonObject &o) {
                json::set(o, {u"status", u"replicas"}, 3);
                return true;
            },
            Subresource::Status));
        QCOMPARE(json::integer(*f.store.get(Resources::deployments(), ns, name),
                               {u"metadata", u"generation"}),
                 1);
        const auto patched = f.registry.patch(
            Resources::deployments(), ns, name, PatchType::StrategicMerge,
            R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":"bebullish/demo:v2"}]}}}})");
        QVERIFY(patched);
        QCOMPARE(json::integer(*patched, {u"metadata", u"generation"}), 2);
        QCOMPARE(json::integer(*patched, {u"status", u"replicas"}),
                 3); // status survives a spec patch
        const auto annotated =
            f.registry.patch(Resources::deployments(), ns, name, PatchType::Merge,
                             R"({"metadata":{"annotations":{"note":"x"}}})");
        QVERIFY(annotated);
        QCOMPARE(json::integer(*annotated, {u"metadata", u"generation"}), 3);
        // A status update cannot change the spec.
        QJsonObject sneaky = *annotated;
        json::set(sneaky, {u"spec", u"replicas"}, 10);
        json::set(sneaky, {u"status", u"replicas"}, 4);
        const auto status =
            f.registry.update(Resources::deployments(), ns, name, sneaky, Subresource::Status);
        QVERIFY(status);
        QCOMPARE(json::integer(*status, {u"spec", u"replicas"}), 3);
        QCOMPARE(json::integer(*status, {u"status", u"replicas"}), 4);
    }

    void staleResourceVersionConflicts()
    {
        Fixture f;
        const auto created =
            f.registry.create(Resources::deployments(), QStringLiteral("default"), f.demo());
        QVERIFY(created);
        QJsonObject first = *created;
        QJsonObject second = *created;
        json::set(first, {u"spec", u"replicas"}, 4);
        QVERIFY(f.registry.update(Resources::deployments(), QStringLiteral("default"),
                                  QStringLiteral("demo-dp"), first));
        json::set(second, {u"spec", u"replicas"}, 5);
        const auto conflict = f.registry.update(Resources::deployments(), QStringLiteral("default"),
                                                QStringLiteral("demo-dp"), second);
        QVERIFY(!conflict);
        QCOMPARE(conflict.error().httpStatus, 409);
        QCOMPARE(conflict.error().reason, QStringLiteral("Conflict"));
        QCOMPARE(
            conflict.error().message,
            QStringLiteral("Operation cannot be fulfilled on deployments.apps \"demo-dp\": the "
                           "object has been modified; please apply your changes to the latest "
                           "version and try again"));
        // Without a resourceVersion the update is unconditional.
        json::remove(second, {u"metadata", u"resourceVersion"});
        QVERIFY(f.registry.update(Resources::deployments(), QStringLiteral("default"),
                                  QStringLiteral("demo-dp"), second));
        const auto exists =
            f.registry.create(Resources::deployments(), QStringLiteral("default"), f.demo());
        QCOMPARE(exists.error().httpStatus, 409);
        QCOMPARE(exists.error().reason, QStringLiteral("AlreadyExists"));
    }

    void validation_data()
    {
        QTest::addColumn<QByteArray>("mergePatch");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        QTest::newRow("selector does not match labels")
            << QByteArray(R"({"spec":{"template":{"metadata":{"labels":{"app":"other"}}}}})")
            << QStringLiteral("spec.template.metadata.labels")
            << QStringLiteral("`selector` does not match template `labels`");
        QTest::newRow("both zero")
            << QByteArray(
                   R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}})")
            << QStringLiteral("spec.strategy.rollingUpdate.maxUnavailable")
            << QStringLiteral("may not be 0 when `maxSurge` is 0");
        QTest::newRow("both zero percent")
            << QByteArray(
                   R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":"0%","maxUnavailable":"0%"}}}})")
            << QStringLiteral("spec.strategy.rollingUpdate.maxUnavailable")
            << QStringLiteral("may not be 0 when `maxSurge` is 0");
        QTest::newRow("over 100%")
            << QByteArray(R"({"spec":{"strategy":{"rollingUpdate":{"maxUnavailable":"150%"}}}})")
            << QStringLiteral("spec.strategy.rollingUpdate.maxUnavailable")
            << QStringLiteral("must not be greater than 100%");
        QTest::newRow("recreate with rollingUpdate")
            << QByteArray(R"({"spec":{"strategy":{"type":"Recreate"}}})")
            << QStringLiteral("spec.strategy.rollingUpdate")
            << QStringLiteral("may not be specified when strategy `type` is 'Recreate'");
        QTest::newRow("empty image")
            << QByteArray(
                   R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":""}]}}}})")
            << QStringLiteral("spec.template.spec.containers[0].image")
            << QStringLiteral("Required value");
        QTest::newRow("whitespace image")
            << QByteArray(
                   R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","image":" demo:v2"}]}}}})")
            << QStringLiteral("spec.template.spec.containers[0].image")
            << QStringLiteral("must not have leading or trailing whitespace");
        QTest::newRow("negative replicas")
            << QByteArray(R"({"spec":{"replicas":-1}})") << QStringLiteral("spec.replicas")
            << QStringLiteral("must be greater than or equal to 0");
    }

    void validation()
    {
        QFETCH(QByteArray, mergePatch);
        QFETCH(QString, field);
        QFETCH(QString, message);
        Fixture f;
        QVERIFY(f.registry.create(Resources::deployments(), QStringLiteral("default"), f.demo()));
        const auto result =
            f.registry.patch(Resources::deployments(), QStringLiteral("default"),
                             QStringLiteral("demo-dp"), PatchType::Merge, mergePatch);
        QVERIFY(!result);
        QCOMPARE(result.error().httpStatus, 422);
        QCOMPARE(result.error().reason, QStringLiteral("Invalid"));
        QVERIFY2(result.error().message.startsWith(
                     QStringLiteral("Deployment.apps \"demo-dp\" is invalid: ")),
                 qPrintable(result.error().message));
        bool found = false;
        for (const ErrorCause &c : result.error().causes)
            found = found || (c.field == field && c.message.contains(message));
        QVERIFY2(found, qPrintable(result.error().message));
        // Nothing was written.
        QCOMPARE(json::integer(*f.store.get(Resources::deployments(), QStringLiteral("default"),
                                            QStringLiteral("demo-dp")),
                               {u"metadata", u"generation"}),
                 1);
    }

    void scaleSubresource()
    {
        Fixture f;
        QVERIFY(f.registry.create(Resources::deployments(), QStringLiteral("default"), f.demo()));
        const auto scale = f.registry.get(Resources::deployments(), QStringLiteral("default"),
                                          QStringLiteral("demo-dp"), Subresource::Scale);
        QVERIFY(scale);
        QCOMPARE(scale->value(u"kind").toString(), QStringLiteral("Scale"));
        QCOMPARE(scale->value(u"apiVersion").toString(), QStringLiteral("autoscaling/v1"));
        QCOMPARE(json::integer(*scale, {u"spec", u"replicas"}), 3);
        QCOMPARE(json::string(*scale, {u"status", u"selector"}), QStringLiteral("app=demo"));
        QVERIFY(f.registry.patch(Resources::deployments(), QStringLiteral("default"),
                                 QStringLiteral("demo-dp"), PatchType::Merge,
                                 R"({"spec":{"replicas":5}})", Subresource::Scale));
        const auto d = f.store.get(Resources::deployments(), QStringLiteral("default"),
                                   QStringLiteral("demo-dp"));
        QCOMPARE(json::integer(*d, {u"spec", u"replicas"}), 5);
        QCOMPARE(json::integer(*d, {u"metadata", u"generation"}), 2);
    }

    void namespaceMustExist()
    {
        Fixture f;
        const auto result =
            f.registry.create(Resources::deployments(), QStringLiteral("nowhere"), f.demo());
        QVERIFY(!result);
        QCOMPARE(result.error().httpStatus, 404);
        QCOMPARE(result.error().message, QStringLiteral("namespaces \"nowhere\" not found"));
    }

    void podDeletionIsGracefulOnceScheduled()
    {
        Fixture f;
        QJsonObject pod{{QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("p")}}},
                        {QStringLiteral("spec"),
                         QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("sim-node-1")},
                                     {QStringLiteral("containers"),
                                      QJsonArray{QJsonObject{
                                          {QStringLiteral("name"), QStringLiteral("c")},
                                          {QStringLiteral("image"), QStringLiteral("x:1")}}}}}}};
        QVERIFY(f.registry.create(Resources::pods(), QStringLiteral("default"), pod));
        const auto outcome =
            f.registry.remove(Resources::pods(), QStringLiteral("default"), QStringLiteral("p"));
        QVERIFY(outcome);
        QVERIFY(!outcome->removed);
        QCOMPARE(json::integer(outcome->object, {u"metadata", u"deletionGracePeriodSeconds"}), 30);
        QCOMPARE(json::parseTimestamp(
                     json::string(outcome->object, {u"metadata", u"deletionTimestamp"})),
                 f.clock.nowMs() + 30'000);
        // Force deletion removes it at once.
        DeleteOptions force;
        force.gracePeriodSeconds = 0;
        const auto forced = f.registry.remove(Resources::pods(), QStringLiteral("default"),
                                              QStringLiteral("p"), force);
        QVERIFY(forced && forced->removed);
        QVERIFY(!f.store.get(Resources::pods(), QStringLiteral("default"), QStringLiteral("p")));
    }

    void servicesGetAddresses()
    {
        Fixture f;
        auto svc = yamlToJsonObject(demoServiceManifest());
        QVERIFY(svc);
        const auto created =
            f.registry.create(Resources::services(), QStringLiteral("default"), *svc);
        QVERIFY2(created, qPrintable(created ? QString() : created.error().message));
        QVERIFY(
            json::string(*created, {u"spec", u"clusterIP"}).startsWith(QStringLiteral("10.96.")));
        const QJsonObject port = json::array(*created, {u"spec", u"ports"}).first().toObject();
        const qint64 nodePort = port.value(u"nodePort").toInteger();
        QVERIFY(nodePort >= 30000 && nodePort <= 32767);
        QVERIFY(f.registry.isNodePortAllocated(int(nodePort)));
        // Another Service may not take the same nodePort.
        QJsonObject other = *svc;
        json::set(other, {u"metadata", u"name"}, QStringLiteral("other"));
        json::set(other, {u"spec", u"ports"},
                  QJsonArray{QJsonObject{{QStringLiteral("port"), 81},
                                         {QStringLiteral("nodePort"), nodePort}}});
        const auto clash =
            f.registry.create(Resources::services(), QStringLiteral("default"), other);
        QVERIFY(!clash);
        QVERIFY(
            clash.error().message.contains(QStringLiteral("provided port is already allocated")));
    }

    void finalizersHoldDeletionUntilRemoved()
    {
        Fixture f;
        QVERIFY(f.registry.create(Resources::deployments(), QStringLiteral("default"), f.demo()));
        DeleteOptions foreground;
        foreground.propagationPolicy = QStringLiteral("Foreground");
        const auto pending = f.registry.remove(Resources::deployments(), QStringLiteral("default"),
                                               QStringLiteral("demo-dp"), foreground);
        QVERIFY(pending && !pending->removed);
        QVERIFY(json::isBeingDeleted(pending->object));
        QCOMPARE(json::array(pending->object, {u"metadata", u"finalizers"}),
                 QJsonArray{QStringLiteral("foregroundDeletion")});
        // The garbage collector removes the finalizer; then the object goes.
        QVERIFY(f.registry.modify(Resources::deployments(), QStringLiteral("default"),
                                  QStringLiteral("demo-dp"), [](QJsonObject &o) {
                                      json::set(o, {u"metadata", u"finalizers"}, QJsonArray());
                                      return true;
                                  }));
        QVERIFY(!f.store.get(Resources::deployments(), QStringLiteral("default"),
                             QStringLiteral("demo-dp")));
    }
};

ROLLSCOPE_TEST_MAIN(TestSimRegistry)
#include "tst_simregistry.moc"
