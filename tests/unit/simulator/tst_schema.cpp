// SPDX-License-Identifier: MIT
// The typed-object schemas (models/simulator/schema.*) against what the simulator itself writes:
// every object of the demo cluster, after it has run a rollout, decodes into its Go type with no
// unknown field and no type error. A field missing from a schema would otherwise be dropped from
// clients' writes (and reported to them as unknown). And the typed subtrees (probes, env,
// resources, volumes, tolerations, owner references, statuses) against hostile bodies: Go's json
// error for the first value of a wrong type, the strict decoder's path for unknown fields.

#include "simfixture.h"
#include "simulator/scenarios.h"
#include "simulator/schema.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::sim;
using namespace rollscope::sim::test;

namespace {

QJsonObject parsed(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

// A Deployment using every typed pod subtree, as a user would write it.
QJsonObject richDeployment()
{
    return parsed(R"({
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "default",
        "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "o", "uid": "u1",
                             "controller": false, "blockOwnerDeletion": true}]},
      "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "web"}},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 0}},
        "template": {"metadata": {"labels": {"app": "web"}},
          "spec": {
            "containers": [{"name": "web", "image": "nginx:1.27",
              "env": [{"name": "A", "value": "1"},
                      {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                      {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}}}],
              "envFrom": [{"configMapRef": {"name": "cfg"}, "prefix": "CFG_"}],
              "livenessProbe": {"httpGet": {"path": "/healthz", "port": "http",
                                            "httpHeaders": [{"name": "X", "value": "y"}]},
                                "periodSeconds": 10, "failureThreshold": 3},
              "readinessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 2},
              "startupProbe": {"exec": {"command": ["true"]}, "terminationGracePeriodSeconds": 5},
              "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
              "resources": {"limits": {"cpu": "500m", "memory": "128Mi"},
                            "requests": {"cpu": 0.25, "memory": 64000000, "ephemeral-storage": "1e3"}},
              "securityContext": {"runAsNonRoot": true, "runAsUser": 1000,
                                  "capabilities": {"drop": ["ALL"]},
                                  "seccompProfile": {"type": "RuntimeDefault"}},
              "volumeMounts": [{"name": "data", "mountPath": "/data", "readOnly": true}],
              "ports": [{"name": "http", "containerPort": 8080}]}],
            "volumes": [{"name": "data", "emptyDir": {"sizeLimit": "1Gi"}},
                        {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420,
                                                      "items": [{"key": "a", "path": "a"}]}},
                        {"name": "tok", "projected": {"sources": [{"serviceAccountToken": {"path": "t", "expirationSeconds": 3600}}]}},
                        {"name": "eph", "ephemeral": {"volumeClaimTemplate": {"spec": {"anything": 1}}}}],
            "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 30}],
            "affinity": {"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
              {"weight": 100, "podAffinityTerm": {"topologyKey": "kubernetes.io/hostname",
                "labelSelector": {"matchLabels": {"app": "web"}}}}]}},
            "securityContext": {"fsGroup": 2000, "sysctls": [{"name": "a", "value": "b"}]},
            "topologySpreadConstraints": [{"maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "ScheduleAnyway"}]}}},
      "status": {"replicas": 2, "conditions": [{"type": "Available", "status": "True",
                 "lastUpdateTime": "2024-01-02T03:04:05Z"}]}
    })");
}

// Sets the value at a path of object keys and array indices.
QJsonValue withValue(const QJsonValue &at, QStringList path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    const QString step = path.takeFirst();
    bool isIndex = false;
    const int index = step.toInt(&isIndex);
    if (isIndex) {
        QJsonArray array = at.toArray();
        array.replace(index, withValue(array.at(index), path, value));
        return array;
    }
    QJsonObject object = at.toObject();
    object.insert(step, withValue(object.value(step), path, value));
    return object;
}

Schema::Decoded decodeWith(const ResourceType &type, QJsonObject object, const QString &path,
                           const QJsonValue &value)
{
    QJsonObject changed = withValue(object, path.split(u'/'), value).toObject();
    return Schema::decode(type, changed);
}

const QString kPodSpec = QStringLiteral("spec/template/spec/");

} // namespace

class TestSchema : public QObject
{
    Q_OBJECT

private slots:
    void everythingTheSimulatorWritesDecodes()
    {
        SimFixture f;
        Scenario demo;
        demo.kind = Scenario::Kind::Demo;
        QVERIFY(seedScenario(&f.registry, demo).ok());
        f.advance(5 * 60 * 1000);
        // A rollout, so old and new ReplicaSets, terminating pods and conditions all exist.
        QVERIFY(
            f.registry
                .modify(
                    Resources::deployments(), QStringLiteral("default"), QStringLiteral("demo-dp"),
                    [](QJsonObject &d) {
                        QJsonArray containers =
                            json::array(d, {u"spec", u"template", u"spec", u"containers"});
                        QJsonObject c = containers.at(0).toObject();
                        c.insert(QStringLiteral("image"), QStringLiteral("bebullish/demo:v2"));
                        containers.replace(0, c);
                        json::set(d, {u"spec", u"template", u"spec", u"containers"}, containers);
                        return true;
                    })
                .ok());
        f.advance(2000);
        int checked = 0;
        for (const ResourceType &type : Resources::all()) {
            if (!Schema::hasSchema(type))
                continue;
            for (const QJsonObject &stored : f.store.list(type)) {
                QJsonObject copy = stored;
                const Schema::Decoded decoded = Schema::decode(type, copy);
                const QString what = type.plural + u'/' + json::name(stored);
                QVERIFY2(!decoded.typeError, qPrintable(what + QStringLiteral(": ") +
                                                        decoded.typeError.value_or(QString())));
                QVERIFY2(
                    decoded.unknownFields.isEmpty(),
                    qPrintable(what + QStringLiteral(": ") + decoded.unknownFields.join(u',')));
                QCOMPARE(copy, stored);
                ++checked;
            }
        }
        QVERIFY2(checked > 20, qPrintable(QString::number(checked)));
    }

    void scaleDecodes()
    {
        SimFixture f;
        Scenario demo;
        demo.kind = Scenario::Kind::Demo;
        QVERIFY(seedScenario(&f.registry, demo).ok());
        const auto scale = f.registry.get(Resources::deployments(), QStringLiteral("default"),
                                          QStringLiteral("demo-dp"), Subresource::Scale);
        QVERIFY(scale.ok());
        QJsonObject copy = scale.value();
        const Schema::Decoded decoded = Schema::decode(Resources::deployments(), copy, true);
        QVERIFY(!decoded.typeError);
        QCOMPARE(decoded.unknownFields, QStringList());
    }
    void typedSubtreesDecode()
    {
        QJsonObject d = richDeployment();
        const QJsonObject before = d;
        const Schema::Decoded decoded = Schema::decode(Resources::deployments(), d);
        QVERIFY2(!decoded.typeError, qPrintable(decoded.typeError.value_or(QString())));
        QCOMPARE(decoded.unknownFields, QStringList());
        QCOMPARE(d, before);
    }

    void typedSubtreeErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("error");
        const QString prefix = QStringLiteral("json: cannot unmarshal ");
        const QString c = kPodSpec + QStringLiteral("containers/0/");
        const QString goC = QStringLiteral("spec.template.spec.containers.");
        QTest::newRow("probe int")
            << c + QStringLiteral("livenessProbe/periodSeconds") << QJsonValue(QStringLiteral("10"))
            << prefix + QStringLiteral("string into Go struct field Probe.") + goC +
                   QStringLiteral("livenessProbe.periodSeconds of type int32");
        QTest::newRow("probe port")
            << c + QStringLiteral("livenessProbe/httpGet/port") << QJsonValue(true)
            << prefix + QStringLiteral("bool into Go struct field HTTPGetAction.") + goC +
                   QStringLiteral("livenessProbe.httpGet.port of type int32");
        QTest::newRow("probe grpc")
            << c + QStringLiteral("readinessProbe/grpc") << QJsonValue(QJsonArray{1})
            << prefix + QStringLiteral("array into Go struct field Probe.") + goC +
                   QStringLiteral("readinessProbe.grpc of type v1.GRPCAction");
        QTest::newRow("env valueFrom")
            << c + QStringLiteral("env/1/valueFrom/fieldRef") << QJsonValue(QStringLiteral("x"))
            << prefix + QStringLiteral("string into Go struct field EnvVarSource.") + goC +
                   QStringLiteral("env.valueFrom.fieldRef of type v1.ObjectFieldSelector");
        QTest::newRow("env list") << c + QStringLiteral("env") << QJsonValue(QJsonObject())
                                  << prefix +
                                         QStringLiteral("object into Go struct field Container.") +
                                         goC + QStringLiteral("env of type []v1.EnvVar");
        QTest::newRow("resources map")
            << c + QStringLiteral("resources/limits") << QJsonValue(QStringLiteral("1"))
            << prefix + QStringLiteral("string into Go struct field ResourceRequirements.") + goC +
                   QStringLiteral("resources.limits of type v1.ResourceList");
        const QString quantityFormat =
            QStringLiteral("quantities must match the regular expression "
                           "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        QTest::newRow("quantity word") << c + QStringLiteral("resources/limits/cpu")
                                       << QJsonValue(QStringLiteral("lots")) << quantityFormat;
        QTest::newRow("quantity bool")
            << c + QStringLiteral("resources/requests/cpu") << QJsonValue(true) << quantityFormat;
        QTest::newRow("quantity object") << c + QStringLiteral("resources/requests/cpu")
                                         << QJsonValue(QJsonObject()) << quantityFormat;
        QTest::newRow("quantity empty") << c + QStringLiteral("resources/requests/cpu")
                                        << QJsonValue(QString()) << quantityFormat;
        QTest::newRow("quantity suffix")
            << c + QStringLiteral("resources/limits/memory") << QJsonValue(QStringLiteral("1mm"))
            << QStringLiteral("unable to parse quantity's suffix");
        QTest::newRow("quantity in volume")
            << kPodSpec + QStringLiteral("volumes/0/emptyDir/sizeLimit")
            << QJsonValue(QStringLiteral("1GB")) << quantityFormat;
        QTest::newRow("security context")
            << c + QStringLiteral("securityContext/runAsUser") << QJsonValue(1.5)
            << prefix + QStringLiteral("number 1.5 into Go struct field SecurityContext.") + goC +
                   QStringLiteral("securityContext.runAsUser of type int64");
        QTest::newRow("volume mount")
            << c + QStringLiteral("volumeMounts/0/readOnly") << QJsonValue(QStringLiteral("yes"))
            << prefix + QStringLiteral("string into Go struct field VolumeMount.") + goC +
                   QStringLiteral("volumeMounts.readOnly of type bool");
        QTest::newRow("volume source")
            << kPodSpec + QStringLiteral("volumes/1/configMap/defaultMode")
            << QJsonValue(QStringLiteral("0644"))
            << prefix + QStringLiteral(
                            "string into Go struct field ConfigMapVolumeSource.spec.template.spec."
                            "volumes.configMap.defaultMode of type int32");
        QTest::newRow("toleration")
            << kPodSpec + QStringLiteral("tolerations/0/tolerationSeconds")
            << QJsonValue(QStringLiteral("30"))
            << prefix + QStringLiteral("string into Go struct field Toleration.spec.template.spec."
                                       "tolerations.tolerationSeconds of type int64");
        QTest::newRow("affinity")
            << kPodSpec + QStringLiteral("affinity/podAntiAffinity/"
                                         "preferredDuringSchedulingIgnoredDuringExecution/0/weight")
            << QJsonValue(QStringLiteral("100"))
            << prefix + QStringLiteral(
                            "string into Go struct field WeightedPodAffinityTerm.spec.template."
                            "spec.affinity.podAntiAffinity."
                            "preferredDuringSchedulingIgnoredDuringExecution.weight of type int32");
        QTest::newRow("owner reference")
            << QStringLiteral("metadata/ownerReferences/0/controller")
            << QJsonValue(QStringLiteral("true"))
            << prefix + QStringLiteral(
                            "string into Go struct field OwnerReference.metadata.ownerReferences."
                            "controller of type bool");
        QTest::newRow("status condition time")
            << QStringLiteral("status/conditions/0/lastUpdateTime") << QJsonValue(5)
            << prefix + QStringLiteral(
                            "number into Go struct field DeploymentCondition.status.conditions."
                            "lastUpdateTime of type string");
    }

    void typedSubtreeErrors()
    {
        QFETCH(QString, path);
        QFETCH(QJsonValue, value);
        QFETCH(QString, error);
        const Schema::Decoded decoded =
            decodeWith(Resources::deployments(), richDeployment(), path, value);
        QCOMPARE(decoded.typeError.value_or(QString()), error);
    }

    void quantitiesThatParse()
    {
        const QJsonArray quantities{QJsonValue(QStringLiteral("0")),
                                    QJsonValue(QStringLiteral("100m")),
                                    QJsonValue(QStringLiteral("1.5Gi")),
                                    QJsonValue(QStringLiteral("+2")),
                                    QJsonValue(QStringLiteral("1e3")),
                                    QJsonValue(QStringLiteral("2E-3")),
                                    QJsonValue(QStringLiteral(" 7Ki ")),
                                    QJsonValue(QStringLiteral("5M")),
                                    QJsonValue(3),
                                    QJsonValue(0.5),
                                    QJsonValue(-1),
                                    QJsonValue(QJsonValue::Null)};
        for (const QJsonValue &q : quantities) {
            const Schema::Decoded decoded =
                decodeWith(Resources::deployments(), richDeployment(),
                           kPodSpec + QStringLiteral("containers/0/resources/limits/cpu"), q);
            QVERIFY2(!decoded.typeError,
                     qPrintable(QString::fromUtf8(
                                    QJsonDocument(QJsonArray{q}).toJson(QJsonDocument::Compact)) +
                                QStringLiteral(": ") + decoded.typeError.value_or(QString())));
        }
    }

    void typedSubtreeUnknownFields()
    {
        QJsonObject d = richDeployment();
        const QString c = kPodSpec + QStringLiteral("containers/0/");
        for (const QString &path :
             {c + QStringLiteral("livenessProbe/httpGet/bogus"),
              c + QStringLiteral("env/1/valueFrom/bogus"), c + QStringLiteral("resources/bogus"),
              c + QStringLiteral("securityContext/capabilities/bogus"),
              kPodSpec + QStringLiteral("volumes/2/projected/sources/0/serviceAccountToken/bogus"),
              kPodSpec + QStringLiteral("tolerations/0/bogus"),
              QStringLiteral("metadata/ownerReferences/0/bogus"),
              QStringLiteral("status/conditions/0/bogus")})
            d = withValue(d, path.split(u'/'), 1).toObject();
        // Not modelled: the ephemeral volume's template takes any JSON.
        d = withValue(d, (kPodSpec + QStringLiteral("volumes/3/ephemeral/more")).split(u'/'), 1)
                .toObject();
        const Schema::Decoded decoded = Schema::decode(Resources::deployments(), d);
        QVERIFY(!decoded.typeError);
        const QString sc = QStringLiteral("spec.template.spec.containers[0].");
        QCOMPARE(decoded.unknownFields,
                 QStringList({QStringLiteral("metadata.ownerReferences[0].bogus"),
                              sc + QStringLiteral("env[1].valueFrom.bogus"),
                              sc + QStringLiteral("livenessProbe.httpGet.bogus"),
                              sc + QStringLiteral("resources.bogus"),
                              sc + QStringLiteral("securityContext.capabilities.bogus"),
                              QStringLiteral("spec.template.spec.tolerations[0].bogus"),
                              QStringLiteral("spec.template.spec.volumes[2].projected.sources[0]."
                                             "serviceAccountToken.bogus"),
                              QStringLiteral("status.conditions[0].bogus")}));
        // Removed from the object, as the typed object cannot hold them; the rest is kept.
        QCOMPARE(d,
                 withValue(richDeployment(),
                           (kPodSpec + QStringLiteral("volumes/3/ephemeral/more")).split(u'/'), 1)
                     .toObject());
    }

    void podAndServiceStatus()
    {
        const QJsonObject pod = parsed(R"({"apiVersion": "v1", "kind": "Pod",
          "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "i"}]},
          "status": {"phase": "Running", "podIPs": [{"ip": "10.0.0.1"}],
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null}],
            "containerStatuses": [{"name": "c", "ready": true, "restartCount": 0, "image": "i",
              "imageID": "", "state": {"running": {"startedAt": "2024-01-02T03:04:05Z"}},
              "lastState": {"terminated": {"exitCode": 1, "reason": "Error"}}}]}})");
        QJsonObject copy = pod;
        QVERIFY(!Schema::decode(Resources::pods(), copy).typeError);
        QCOMPARE(
            decodeWith(Resources::pods(), pod,
                       QStringLiteral("status/containerStatuses/0/lastState/terminated/exitCode"),
                       QStringLiteral("1"))
                .typeError.value_or(QString()),
            QStringLiteral("json: cannot unmarshal string into Go struct field "
                           "ContainerStateTerminated.status.containerStatuses.lastState."
                           "terminated.exitCode of type int32"));
        QCOMPARE(decodeWith(Resources::pods(), pod,
                            QStringLiteral("status/containerStatuses/0/state/running/since"), 1)
                     .unknownFields,
                 QStringList{QStringLiteral("status.containerStatuses[0].state.running.since")});
        const QJsonObject service = parsed(R"({"apiVersion": "v1", "kind": "Service",
          "metadata": {"name": "s"}, "spec": {"ports": [{"port": 80, "targetPort": "http"}],
            "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}},
          "status": {"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ports": [{"port": 80, "protocol": "TCP"}]}]}}})");
        copy = service;
        QVERIFY(!Schema::decode(Resources::services(), copy).typeError);
        QCOMPARE(
            decodeWith(Resources::services(), service,
                       QStringLiteral("status/loadBalancer/ingress/0/ip"), 1234)
                .typeError.value_or(QString()),
            QStringLiteral("json: cannot unmarshal number into Go struct field "
                           "LoadBalancerIngress.status.loadBalancer.ingress.ip of type string"));
        QCOMPARE(decodeWith(Resources::services(), service,
                            QStringLiteral("spec/sessionAffinityConfig/clientIP/timeoutSeconds"),
                            QStringLiteral("60"))
                     .typeError.value_or(QString()),
                 QStringLiteral("json: cannot unmarshal string into Go struct field "
                                "ClientIPConfig.spec.sessionAffinityConfig.clientIP.timeoutSeconds "
                                "of type int32"));
    }
};

ROLLSCOPE_TEST_MAIN(TestSchema)
#include "tst_schema.moc"
