// SPDX-License-Identifier: MIT
#include "kube/resources.h"
#include "kubetestdata.h"
#include "testmain.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::kubeFixture;

namespace {
QDateTime utc(const char *text)
{
    return QDateTime::fromString(QLatin1StringView(text), Qt::ISODate).toUTC();
}
} // namespace

class TestResources : public QObject
{
    Q_OBJECT
private slots:
    // STATUS, READY and RESTARTS exactly as `kubectl get pods` prints them.
    void kubectlPodStatus_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("ready");
        QTest::addColumn<QString>("restarts");
        QTest::newRow("pending") << "pod-pending.json"
                                 << "Pending"
                                 << "0/1"
                                 << "0";
        QTest::newRow("container creating") << "pod-containercreating.json"
                                            << "ContainerCreating"
                                            << "0/1"
                                            << "0";
        QTest::newRow("running, not ready") << "pod-running-notready.json"
                                            << "Running"
                                            << "0/1"
                                            << "0";
        QTest::newRow("ready") << "pod-ready.json"
                               << "Running"
                               << "1/1"
                               << "0";
        QTest::newRow("crash loop") << "pod-crashloop.json"
                                    << "CrashLoopBackOff"
                                    << "0/1"
                                    << "5 (5m ago)";
        QTest::newRow("image pull error") << "pod-errimagepull.json"
                                          << "ErrImagePull"
                                          << "0/1"
                                          << "0";
        QTest::newRow("terminating") << "pod-terminating.json"
                                     << "Terminating"
                                     << "1/1"
                                     << "0";
        QTest::newRow("completed") << "pod-completed.json"
                                   << "Completed"
                                   << "0/1"
                                   << "0";
        QTest::newRow("init container running") << "pod-init.json"
                                                << "Init:0/1"
                                                << "0/1"
                                                << "0";
        QTest::newRow("sidecar") << "pod-sidecar.json"
                                 << "Running"
                                 << "2/2"
                                 << "1 (14m ago)";
        QTest::newRow("deleted after completing") << "pod-terminated-completed.json"
                                                  << "Completed"
                                                  << "0/1"
                                                  << "0";
    }
    void kubectlPodStatus()
    {
        QFETCH(QString, file);
        QFETCH(QString, status);
        QFETCH(QString, ready);
        QFETCH(QString, restarts);
        const QJsonObject json = kubeFixture(file);
        QVERIFY2(!json.isEmpty(), qPrintable(file));
        const PodInfo pod = PodInfo::fromJson(json);
        QCOMPARE(pod.statusText, status);
        QCOMPARE(pod.readyText(), ready);
        QCOMPARE(pod.restartsText(utc("2024-05-01T10:15:00Z")), restarts);
    }

    void podFields()
    {
        const PodInfo pod = PodInfo::fromJson(kubeFixture(QStringLiteral("pod-crashloop.json")));
        QCOMPARE(pod.ns, QStringLiteral("default"));
        QCOMPARE(pod.name, QStringLiteral("demo-crash"));
        QCOMPARE(pod.key(), QStringLiteral("default/demo-crash"));
        QCOMPARE(pod.uid, QStringLiteral("uid-demo-crash"));
        QCOMPARE(pod.ownerKind, QStringLiteral("ReplicaSet"));
        QCOMPARE(pod.ownerName, QStringLiteral("demo-dp-5d8f7c9b6d"));
        QCOMPARE(pod.ownerUid, QStringLiteral("rs-uid-1"));
        QCOMPARE(pod.podTemplateHash, QStringLiteral("5d8f7c9b6d"));
        QCOMPARE(pod.node, QStringLiteral("sim-node-1"));
        QCOMPARE(pod.podIP, QStringLiteral("10.244.1.5"));
        QCOMPARE(pod.phase, QStringLiteral("Running"));
        QVERIFY(!pod.ready);
        QCOMPARE(pod.containers.size(), 1);
        const ContainerStatusInfo &c = pod.containers.first();
        QCOMPARE(c.state, ContainerStatusInfo::State::Waiting);
        QCOMPARE(c.reason, QStringLiteral("CrashLoopBackOff"));
        QVERIFY(c.message.startsWith(QStringLiteral("back-off")));
        QCOMPARE(c.restartCount, 5);
        QCOMPARE(c.lastTerminatedFinishedAt, utc("2024-05-01T10:10:00Z"));
        QCOMPARE(c.lastTerminatedReason, QStringLiteral("Error"));
        QCOMPARE(c.lastTerminatedExitCode, 1);
        QCOMPARE(pod.creationTimestamp, utc("2024-05-01T10:00:00Z"));
        QCOMPARE(pod.startTime, utc("2024-05-01T10:00:01Z"));

        const PodInfo ready = PodInfo::fromJson(kubeFixture(QStringLiteral("pod-ready.json")));
        QVERIFY(ready.ready);
        QVERIFY(ready.containersReady);
        QCOMPARE(ready.readyTransitionTime, utc("2024-05-01T10:00:07Z"));
        QCOMPARE(ready.containers.first().state, ContainerStatusInfo::State::Running);
        QCOMPARE(ready.containers.first().startedAt, utc("2024-05-01T10:00:03Z"));

        const PodInfo terminating =
            PodInfo::fromJson(kubeFixture(QStringLiteral("pod-terminating.json")));
        QVERIFY(terminating.isTerminating());
        QCOMPARE(terminating.deletionTimestamp, utc("2024-05-01T10:20:00Z"));
    }

    void deploymentFields()
    {
        const DeploymentInfo d =
            DeploymentInfo::fromJson(kubeFixture(QStringLiteral("deployment.json")));
        QCOMPARE(d.ns, QStringLiteral("default"));
        QCOMPARE(d.name, QStringLiteral("demo-dp"));
        QCOMPARE(d.key(), QStringLiteral("default/demo-dp"));
        QCOMPARE(d.uid, QStringLiteral("dep-uid-1"));
        QCOMPARE(d.generation, qint64(4));
        QCOMPARE(d.observedGeneration, qint64(3));
        QCOMPARE(d.labels.value(QStringLiteral("app")), QStringLiteral("demo"));
        QCOMPARE(d.selector.matchLabels.value(QStringLiteral("app")), QStringLiteral("demo"));
        QCOMPARE(d.selector.expressionsString(), QStringLiteral("!legacy,tier in (api,web)"));
        QCOMPARE(d.selector.toString(), QStringLiteral("app=demo,!legacy,tier in (api,web)"));
        QCOMPARE(d.replicas, 3);
        QCOMPARE(d.strategy.type, QStringLiteral("RollingUpdate"));
        QCOMPARE(d.strategy.maxSurge, IntOrString::fromInt(1));
        QCOMPARE(d.strategy.maxUnavailable, IntOrString::fromString(QStringLiteral("25%")));
        QCOMPARE(d.minReadySeconds, 5);
        QCOMPARE(d.progressDeadlineSeconds, std::optional<int>(600));
        QCOMPARE(d.revisionHistoryLimit, std::optional<int>(10));
        QVERIFY(d.paused);
        QCOMPARE(d.containers.size(), 2);
        QCOMPARE(d.containers[0].name, QStringLiteral("demo"));
        QCOMPARE(d.containers[0].image, QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(d.imagesText(), QStringLiteral("bebullish/demo:v2,envoy:v1"));
        QCOMPARE(d.containerNamesText(), QStringLiteral("demo,sidecar"));
        QCOMPARE(d.revision, qint64(3));
        QCOMPARE(d.changeCause,
                 QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2"));
        QCOMPARE(d.templateRestartedAt, QStringLiteral("2024-05-01T11:00:00+02:00"));
        QCOMPARE(d.status.replicas, 4);
        QCOMPARE(d.status.updatedReplicas, 1);
        QCOMPARE(d.status.readyReplicas, 3);
        QCOMPARE(d.status.availableReplicas, 3);
        QCOMPARE(d.status.unavailableReplicas, 1);
        QCOMPARE(d.collisionCount, std::optional<int>(2));
        QCOMPARE(d.conditions.size(), 2);
        const auto progressing = d.condition(QStringLiteral("Progressing"));
        QVERIFY(progressing);
        QCOMPARE(progressing->reason, QStringLiteral("ReplicaSetUpdated"));
        QCOMPARE(progressing->lastUpdateTime, utc("2024-05-01T10:00:00Z"));
        QCOMPARE(progressing->lastTransitionTime, utc("2024-05-01T09:00:00Z"));
        QCOMPARE(d.creationTimestamp, utc("2024-05-01T09:00:00Z"));
    }

    void deploymentDefaults()
    {
        // Counters are omitempty: a missing key means 0; replicas defaults to 1.
        const QJsonObject minimal{{QStringLiteral("metadata"),
                                   QJsonObject{{QStringLiteral("name"), QStringLiteral("x")}}}};
        const DeploymentInfo d = DeploymentInfo::fromJson(minimal);
        QCOMPARE(d.replicas, 1);
        QCOMPARE(d.status.availableReplicas, 0);
        QCOMPARE(d.strategy.maxSurge.toString(), QStringLiteral("25%"));
        QVERIFY(!d.paused);
        QVERIFY(!d.progressDeadlineSeconds);
        QVERIFY(!d.selector.present);
        QCOMPARE(d.key(), QStringLiteral("x"));
    }

    void replicaSetFields()
    {
        const ReplicaSetInfo r =
            ReplicaSetInfo::fromJson(kubeFixture(QStringLiteral("replicaset.json")));
        QCOMPARE(r.name, QStringLiteral("demo-dp-5d8f7c9b6d"));
        QCOMPARE(r.ownerKind, QStringLiteral("Deployment"));
        QCOMPARE(r.ownerName, QStringLiteral("demo-dp"));
        QCOMPARE(r.ownerUid, QStringLiteral("dep-uid-1"));
        QCOMPARE(r.revision, qint64(3));
        QCOMPARE(r.revisionHistory, QStringLiteral("1"));
        QCOMPARE(r.podTemplateHash, QStringLiteral("5d8f7c9b6d"));
        QCOMPARE(r.imagesText(), QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(r.changeCause,
                 QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2"));
        QCOMPARE(r.desiredReplicasAnnotation, std::optional<int>(3));
        QCOMPARE(r.maxReplicasAnnotation, std::optional<int>(4));
        QCOMPARE(r.desired, 2);
        QCOMPARE(r.current, 2);
        QCOMPARE(r.ready, 1);
        QCOMPARE(r.available, 1);
        QCOMPARE(r.observedGeneration, qint64(2));
        QCOMPARE(r.selector.toString(), QStringLiteral("app=demo,pod-template-hash=5d8f7c9b6d"));
    }

    void serviceFields()
    {
        const ServiceInfo s = ServiceInfo::fromJson(kubeFixture(QStringLiteral("service.json")));
        QCOMPARE(s.type, QStringLiteral("LoadBalancer"));
        QCOMPARE(s.selector.value(QStringLiteral("app")), QStringLiteral("demo"));
        QCOMPARE(s.clusterIP, QStringLiteral("10.96.0.20"));
        QCOMPARE(s.ports.size(), 2);
        QCOMPARE(s.ports[0].name, QStringLiteral("http"));
        QCOMPARE(s.ports[0].port, 80);
        QCOMPARE(s.ports[0].targetPort, IntOrString::fromInt(8080));
        QCOMPARE(s.ports[0].nodePort, 30080);
        QCOMPARE(s.ports[1].targetPort, IntOrString::fromString(QStringLiteral("metrics")));
        QCOMPARE(s.loadBalancerIngress,
                 QStringList({QStringLiteral("172.18.255.1"), QStringLiteral("demo.example.com")}));
    }

    void endpointSliceFields()
    {
        const EndpointSliceInfo s =
            EndpointSliceInfo::fromJson(kubeFixture(QStringLiteral("endpointslice.json")));
        QCOMPARE(s.serviceName, QStringLiteral("demo-service"));
        QCOMPARE(s.addressType, QStringLiteral("IPv4"));
        QCOMPARE(s.endpoints.size(), 3);
        QCOMPARE(s.endpoints[0].addresses, QStringList{QStringLiteral("10.244.1.5")});
        QVERIFY(s.endpoints[0].ready && s.endpoints[0].serving && !s.endpoints[0].terminating);
        QCOMPARE(s.endpoints[0].podName, QStringLiteral("demo-ready"));
        QCOMPARE(s.endpoints[0].node, QStringLiteral("sim-node-1"));
        QVERIFY(!s.endpoints[1].ready && s.endpoints[1].serving && s.endpoints[1].terminating);
        // Unknown conditions count as ready, as the API documents.
        QVERIFY(s.endpoints[2].ready && s.endpoints[2].serving);
        QCOMPARE(s.ports.first().port, 8080);
    }

    void eventFields()
    {
        const EventInfo e = EventInfo::fromJson(kubeFixture(QStringLiteral("event.json")));
        QCOMPARE(e.involvedKind, QStringLiteral("Deployment"));
        QCOMPARE(e.involvedName, QStringLiteral("demo-dp"));
        QCOMPARE(e.type, QStringLiteral("Normal"));
        QCOMPARE(e.reason, QStringLiteral("ScalingReplicaSet"));
        QCOMPARE(e.count, 2);
        QCOMPARE(e.lastTimestamp, utc("2024-05-01T10:00:30Z"));
        QVERIFY(!e.eventTime.isValid());
        QCOMPARE(e.lastSeen(), utc("2024-05-01T10:00:30Z"));
    }

    // What repeats across events (namespace, the pod and its uid, kind, type, reason, source) is
    // one string shared by all of them, on both decoding paths; names and messages are not.
    void eventsShareWhatRepeats()
    {
        const auto line = [](const QString &name, const QString &reason) {
            const QJsonObject event{
                {QStringLiteral("kind"), QStringLiteral("Event")},
                {QStringLiteral("metadata"),
                 QJsonObject{{QStringLiteral("name"), name},
                             {QStringLiteral("namespace"), QStringLiteral("default")},
                             {QStringLiteral("uid"), name + QStringLiteral("-uid")}}},
                {QStringLiteral("involvedObject"),
                 QJsonObject{
                     {QStringLiteral("kind"), QStringLiteral("Pod")},
                     {QStringLiteral("name"), QStringLiteral("web-1")},
                     {QStringLiteral("namespace"), QStringLiteral("default")},
                     {QStringLiteral("uid"), QStringLiteral("pod-uid-1")},
                     {QStringLiteral("fieldPath"), QStringLiteral("spec.containers{demo}")}}},
                {QStringLiteral("reason"), reason},
                {QStringLiteral("message"), QStringLiteral("m")},
                {QStringLiteral("type"), QStringLiteral("Normal")},
                {QStringLiteral("source"),
                 QJsonObject{{QStringLiteral("component"), QStringLiteral("kubelet")}}}};
            return QJsonDocument(event).toJson(QJsonDocument::Compact);
        };
        for (const bool fast : {false, true}) {
            const auto decode = [fast](const QByteArray &json) {
                return fast ? EventInfo::fromWatchLine("{\"type\":\"ADDED\",\"object\":" + json +
                                                       '}')
                            : EventInfo::fromJson(QJsonDocument::fromJson(json).object());
            };
            const EventInfo a = decode(line(QStringLiteral("web-1.a"), QStringLiteral("Pulled")));
            const EventInfo b = decode(line(QStringLiteral("web-1.b"), QStringLiteral("Pulled")));
            QCOMPARE(b.involvedName, QStringLiteral("web-1"));
            for (const auto field :
                 {&EventInfo::ns, &EventInfo::involvedKind, &EventInfo::involvedName,
                  &EventInfo::type, &EventInfo::reason, &EventInfo::message})
                QVERIFY(a.*field == b.*field && (a.*field).isSharedWith(b.*field));
            QVERIFY(!a.name.isSharedWith(b.name));

            // The key is made once: every copy's key() is the same string, no new one.
            QCOMPARE(a.key(), QStringLiteral("default/web-1.a"));
            const EventInfo copy = a;
            QVERIFY(copy.key().isSharedWith(a.key()));
            QVERIFY(a.key().isSharedWith(a.key()));
            // Never part of equality: a value made by hand equals the decoded one.
            EventInfo byHand = a;
            byHand.keyCache = {};
            QVERIFY(byHand == a);
            QCOMPARE(byHand.key(), a.key());
            // A value whose name or namespace changed after decoding keys by what it is now.
            EventInfo renamed = a;
            renamed.name = QStringLiteral("web-1.c");
            QCOMPARE(renamed.key(), QStringLiteral("default/web-1.c"));
            renamed.ns = QStringLiteral("other");
            QCOMPARE(renamed.key(), QStringLiteral("other/web-1.c"));
            renamed.ns.clear();
            QCOMPARE(renamed.key(), QStringLiteral("web-1.c"));
        }
    }

    // Events from the events.k8s.io recorder (kube-scheduler's Scheduled; any repeated one):
    // only eventTime, in microseconds, and repeats in a series instead of count.
    void eventsFromTheNewRecorder()
    {
        const QJsonObject scheduled = QJsonDocument::fromJson(R"({"kind":"Event",
            "metadata":{"name":"web.1","namespace":"default"},
            "involvedObject":{"kind":"Pod","name":"web","namespace":"default"},
            "reason":"Scheduled","message":"Successfully assigned default/web to n1",
            "type":"Normal","source":{},"firstTimestamp":null,"lastTimestamp":null,
            "eventTime":"2024-05-01T10:00:00.123456Z","action":"Binding",
            "reportingComponent":"default-scheduler","reportingInstance":"default-scheduler-cp"})")
                                          .object();
        EventInfo e = EventInfo::fromJson(scheduled);
        QCOMPARE(e.eventTime, utc("2024-05-01T10:00:00.123Z"));
        QCOMPARE(e.lastSeen(), utc("2024-05-01T10:00:00.123Z"));
        QCOMPARE(e.count, 1);

        QJsonObject repeated = scheduled;
        repeated.insert(QStringLiteral("series"),
                        QJsonObject{{QStringLiteral("count"), 4},
                                    {QStringLiteral("lastObservedTime"),
                                     QStringLiteral("2024-05-01T10:06:00.000001Z")}});
        e = EventInfo::fromJson(repeated);
        QCOMPARE(e.count, 4);
        QCOMPARE(e.lastSeen(), utc("2024-05-01T10:06:00Z"));
    }

    // Watch events are decoded from their lines with simdjson (fastjson.h): every fixture must
    // give exactly the value the QJsonObject path gives, whatever the whitespace, including
    // values of the wrong type and numbers written as doubles.
    void watchLinesDecodeAsObjects_data()
    {
        QTest::addColumn<QString>("file");
        const QDir dir(QFileInfo(rollscope::test::kubeDataFile(QStringLiteral("pod-ready.json")))
                           .absolutePath());
        const QStringList pods = dir.entryList({QStringLiteral("pod-*.json")});
        QVERIFY(pods.size() >= 10);
        for (const QString &file : pods)
            QTest::newRow(qPrintable(file)) << file;
        QTest::newRow("event.json") << QStringLiteral("event.json");
    }
    void watchLinesDecodeAsObjects()
    {
        QFETCH(QString, file);
        const QJsonObject object = kubeFixture(file);
        QVERIFY(!object.isEmpty());
        for (const QJsonDocument::JsonFormat format :
             {QJsonDocument::Compact, QJsonDocument::Indented}) {
            const QByteArray line =
                QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("MODIFIED")},
                                          {QStringLiteral("object"), object}})
                    .toJson(format);
            if (file.startsWith(u"pod-")) {
                const PodInfo pod = PodInfo::fromWatchLine(line);
                QCOMPARE(pod, PodInfo::fromJson(object));
                QVERIFY(!pod.name.isEmpty());
            } else {
                const EventInfo event = EventInfo::fromWatchLine(line);
                QCOMPARE(event, EventInfo::fromJson(object));
                QVERIFY(!event.name.isEmpty());
            }
        }
    }
    void watchLinesWithOddValues()
    {
        // Numbers as doubles, strings where numbers belong, nulls, a value too big for 64 bits,
        // unknown and non-ASCII content: the same as Qt's reading, field by field.
        const QByteArray object =
            R"({"kind":"Pod","metadata":{"name":"dup","name":"p\u00e9-1","namespace":"d",
            "labels":{"app":"a","n":3,"pod-template-hash":"abc"},"ownerReferences":[
            {"kind":"ReplicaSet","name":"rs","uid":"u","controller":true}],
            "creationTimestamp":"2024-05-01T10:00:00Z","deletionTimestamp":null},
            "spec":{"containers":[{"name":"c","image":"i:1"}],"initContainers":"x"},
            "status":{"phase":"Running","podIP":7,"conditions":[{"type":"Ready","status":"True",
            "lastTransitionTime":"2024-05-01T10:00:05.5Z"}],"containerStatuses":[{"name":"c",
            "ready":true,"restartCount":2.0,"started":"yes","state":{"running":{
            "startedAt":"2024-05-01T10:00:01Z"}},"lastState":{"terminated":{"exitCode":1e30,
            "finishedAt":"2024-05-01T09:59:00Z","reason":"Error"}}}]}})";
        const QByteArray line = "{\"object\":" + object + ",\"type\":\"ADDED\"}";
        const QJsonObject parsed = QJsonDocument::fromJson(object).object();
        QVERIFY(!parsed.isEmpty());
        const PodInfo fast = PodInfo::fromWatchLine(line);
        QCOMPARE(fast, PodInfo::fromJson(parsed));
        QCOMPARE(fast.name, QStringLiteral("p\u00e9-1"));
        QCOMPARE(fast.containers.value(0).restartCount, 2);
        QCOMPARE(fast.labels.value(QStringLiteral("n")), QString());
        // A line that is not an event decodes as an empty value, not a crash.
        QCOMPARE(PodInfo::fromWatchLine("{\"type\":\"ADDED\"}"), PodInfo::fromJson(QJsonObject()));
        QCOMPARE(PodInfo::fromWatchLine("not json"), PodInfo::fromJson(QJsonObject()));
    }

    // Strings that repeat across pods are shared (found by their bytes in a per-thread pool,
    // label sets compared by their bytes): the values stay exactly what Qt's reading gives,
    // for labels that are odd (duplicate keys, out of order, not strings, not ASCII, empty,
    // many) and strings the pool does not take (long, not ASCII), and when the same line is
    // decoded again and finds everything pooled.
    void watchLinesWithPooledStrings_data()
    {
        QTest::addColumn<QByteArray>("object");
        // (Templates with their braces balanced: moc reads raw strings as plain ones.)
        const auto pod = [](const char *labels, const char *node, const char *image) {
            return QByteArray(
                       R"({"metadata":{"name":"p","namespace":"ns","labels":LABELS},
                       "spec":{"nodeName":"NODE","containers":[{"name":"c","image":"IMAGE"}]},
                       "status":{"phase":"Running","containerStatuses":[{"name":"c",
                       "image":"IMAGE","ready":true,"state":{"running":{}}}]}})")
                .replace("IMAGE", image)
                .replace("NODE", node)
                .replace("LABELS", labels);
        };
        QTest::newRow("plain") << pod(R"({"app":"a","pod-template-hash":"h1"})", "node-1", "i:1");
        QTest::newRow("out of order")
            << pod(R"({"z":"1","pod-template-hash":"h1","app":"a"})", "node-1", "i:1");
        QTest::newRow("duplicate keys")
            << pod(R"({"app":"a","app":"b","pod-template-hash":"h1"})", "node-1", "i:1");
        QTest::newRow("duplicate keys apart")
            << pod(R"({"app":"b","pod-template-hash":"h1","app":"a"})", "node-1", "i:1");
        QTest::newRow("not strings") << pod(R"({"app":3,"on":true,"x":null})", "node-1", "i:1");
        QTest::newRow("empty") << pod(R"({"app":"","":"x"})", "node-1", "i:1");
        QTest::newRow("not an object") << pod(R"(["app"])", "node-1", "i:1");
        QTest::newRow("none") << pod(R"({})", "node-1", "i:1");
        QTest::newRow("not ASCII") << pod(R"({"app":"caf\u00e9","k\u00e9":"v"})",
                                          "n\xc3\xb6"
                                          "de",
                                          "\xc3\xafmage");
        // (Plain literals: moc misreads backslashes in raw ones.)
        QTest::newRow("escapes") << pod("{\"a\\\"b\":\"c\\\\d\",\"e\\u0041\":\"\\u0042\"}",
                                        "node\\/2", "i\\t1");
        QByteArray many = "{";
        for (int i = 0; i < 40; ++i)
            many += (i ? ",\"k" : "\"k") + QByteArray::number(39 - i) + "\":\"v\"";
        many += "}";
        QTest::newRow("40 labels") << pod(many.constData(), "node-1", "i:1");
        const QByteArray longText(300, 'x');
        const QByteArray longLabels = "{\"app\":\"" + longText + "\"}";
        QTest::newRow("long strings")
            << pod(longLabels.constData(), longText.constData(), longText.constData());
    }
    void watchLinesWithPooledStrings()
    {
        QFETCH(QByteArray, object);
        const QJsonObject parsed = QJsonDocument::fromJson(object).object();
        QVERIFY(!parsed.isEmpty());
        const QByteArray line = "{\"type\":\"MODIFIED\",\"object\":" + object + "}";
        const PodInfo expected = PodInfo::fromJson(parsed);
        for (int round = 0; round < 2; ++round) {
            const PodInfo fast = PodInfo::fromWatchLine(line);
            QCOMPARE(fast, expected);
            QCOMPARE(fast.labels, expected.labels);
            QCOMPARE(fast.node, expected.node);
            QCOMPARE(fast.specContainers, expected.specContainers);
        }
    }
    // Duplicate keys anywhere: the last one counts, as in Qt's reading, also where several keys
    // of an object are read in one pass.
    void watchLinesWithDuplicateKeys()
    {
        const QByteArray object =
            R"({"metadata":{"name":"a","namespace":"n1","name":"b","namespace":"n2",
            "ownerReferences":[{"kind":"X","controller":true,"kind":"ReplicaSet","name":"rs"}]},
            "status":{"phase":"Pending"},"spec":{"nodeName":"n"},
            "status":{"phase":"Running","phase":"Failed","conditions":[{"type":"Ready",
            "status":"False","status":"True","type":"Ready"}],"containerStatuses":[{"name":"c",
            "state":{"waiting":{"reason":"A"},"running":{},"waiting":{"reason":"B",
            "reason":"C"}},"restartCount":1,"restartCount":4}]}})";
        const QJsonObject parsed = QJsonDocument::fromJson(object).object();
        QVERIFY(!parsed.isEmpty());
        const PodInfo fast =
            PodInfo::fromWatchLine("{\"type\":\"ADDED\",\"object\":" + object + "}");
        QCOMPARE(fast, PodInfo::fromJson(parsed));
        QCOMPARE(fast.name, QStringLiteral("b"));
        QCOMPARE(fast.ns, QStringLiteral("n2"));
        QCOMPARE(fast.ownerKind, QStringLiteral("ReplicaSet"));
        QCOMPARE(fast.phase, QStringLiteral("Failed"));
        QVERIFY(fast.ready);
        QCOMPARE(fast.containers.value(0).reason, QStringLiteral("C"));
        QCOMPARE(fast.containers.value(0).restartCount, 4);
    }
    // Many more distinct strings than the pool holds (a hostile or very large cluster): it
    // stays bounded, forgets some, and every value is still the one Qt's reading gives.
    void watchLinesBeyondThePool()
    {
        for (int i = 0; i < 6000; ++i) {
            const QString n = QString::number(i);
            const QJsonObject container{{QStringLiteral("name"), QStringLiteral("c")},
                                        {QStringLiteral("image"), QStringLiteral("i:") + n}};
            const QJsonObject labels{
                {QStringLiteral("app"), QStringLiteral("a") + n},
                {QStringLiteral("pod-template-hash"), QStringLiteral("h") + n}};
            const QByteArray object =
                QJsonDocument(
                    QJsonObject{
                        {QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("p") + n},
                                     {QStringLiteral("namespace"), QStringLiteral("ns") + n},
                                     {QStringLiteral("labels"), labels}}},
                        {QStringLiteral("spec"),
                         QJsonObject{{QStringLiteral("nodeName"), QStringLiteral("node-") + n},
                                     {QStringLiteral("containers"), QJsonArray{container}}}},
                        {QStringLiteral("status"),
                         QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")}}}})
                    .toJson(QJsonDocument::Compact);
            const PodInfo fast =
                PodInfo::fromWatchLine("{\"type\":\"ADDED\",\"object\":" + object + "}");
            const PodInfo expected = PodInfo::fromJson(QJsonDocument::fromJson(object).object());
            if (!(fast == expected))
                QFAIL(qPrintable(QStringLiteral("pod %1 differs").arg(i)));
            QCOMPARE(fast.node, QStringLiteral("node-%1").arg(i));
        }
    }

    void nodeAndNamespace()
    {
        const NodeInfo n = NodeInfo::fromJson(kubeFixture(QStringLiteral("node.json")));
        QCOMPARE(n.name, QStringLiteral("sim-node-1"));
        QCOMPARE(n.internalIP, QStringLiteral("172.18.0.2"));
        QVERIFY(n.ready);
        QVERIFY(n.unschedulable);
        QCOMPARE(n.key(), QStringLiteral("sim-node-1"));
        const NamespaceInfo ns =
            NamespaceInfo::fromJson(kubeFixture(QStringLiteral("namespace.json")));
        QCOMPARE(ns.name, QStringLiteral("shop"));
        QCOMPARE(ns.phase, QStringLiteral("Active"));
    }

    void intOrStringScaling_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<int>("total");
        QTest::addColumn<int>("up");
        QTest::addColumn<int>("down");
        QTest::newRow("25% of 3") << QJsonValue(QStringLiteral("25%")) << 3 << 1 << 0;
        QTest::newRow("25% of 4") << QJsonValue(QStringLiteral("25%")) << 4 << 1 << 1;
        QTest::newRow("int") << QJsonValue(2) << 10 << 2 << 2;
        QTest::newRow("100%") << QJsonValue(QStringLiteral("100%")) << 7 << 7 << 7;
    }
    void intOrStringScaling()
    {
        QFETCH(QJsonValue, value);
        QFETCH(int, total);
        QFETCH(int, up);
        QFETCH(int, down);
        const IntOrString v = IntOrString::fromJson(value);
        QCOMPARE(v.scaledValue(total, true), std::optional<int>(up));
        QCOMPARE(v.scaledValue(total, false), std::optional<int>(down));
        QVERIFY(!IntOrString::fromString(QStringLiteral("abc")).scaledValue(3, true));
    }

    void selectorMatching()
    {
        const DeploymentInfo d =
            DeploymentInfo::fromJson(kubeFixture(QStringLiteral("deployment.json")));
        QVERIFY(d.selector.matches({{QStringLiteral("app"), QStringLiteral("demo")},
                                    {QStringLiteral("tier"), QStringLiteral("web")}}));
        QVERIFY(!d.selector.matches({{QStringLiteral("app"), QStringLiteral("demo")}}));
        QVERIFY(!d.selector.matches({{QStringLiteral("app"), QStringLiteral("demo")},
                                     {QStringLiteral("tier"), QStringLiteral("web")},
                                     {QStringLiteral("legacy"), QString()}}));
    }

    void valuesAreSmallAndComparable()
    {
        const PodInfo a = PodInfo::fromJson(kubeFixture(QStringLiteral("pod-ready.json")));
        PodInfo b = a;
        QCOMPARE(a, b);
        b.ready = false;
        QVERIFY(!(a == b));
        QVERIFY(QMetaType::fromType<PodInfo>().isValid());
        QVERIFY(QVariant::fromValue(a).value<PodInfo>() == a);
    }
};

ROLLSCOPE_TEST_MAIN(TestResources)
#include "tst_resources.moc"
