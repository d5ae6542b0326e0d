// SPDX-License-Identifier: MIT
#include "simfixture.h"
#include "simulator/controllers/kubelet.h"
#include "testmain.h"

#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace rollscope::sim;
using rollscope::sim::test::SimFixture;

namespace {

QJsonObject podJson(const QString &name, const QString &image, const QString &behavior = {})
{
    QJsonObject metadata{{QStringLiteral("name"), name},
                         {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), name}}}};
    if (!behavior.isEmpty())
        metadata.insert(QStringLiteral("annotations"),
                        QJsonObject{{QStringLiteral("sim.rollscope.dev/behavior"), behavior}});
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("containers"),
                      QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("demo")},
                                             {QStringLiteral("image"), image}}}}}},
    };
}

QJsonObject containerStatus(const QJsonObject &pod)
{
    return json::array(pod, {u"status", u"containerStatuses"}).first().toObject();
}

QString waitingReason(const QJsonObject &pod)
{
    return json::string(containerStatus(pod), {u"state", u"waiting", u"reason"});
}

QString waitingMessage(const QJsonObject &pod)
{
    return json::string(containerStatus(pod), {u"state", u"waiting", u"message"});
}

QString conditionStatus(const QJsonObject &pod, QStringView type)
{
    return SimFixture::condition(pod, type).value(u"status").toString();
}

} // namespace

class TestKubelet : public QObject
{
    Q_OBJECT

private slots:
    void helpers();
    void normalLifecycle();
    void secondPodFindsImagePresent();
    void pullPolicyAlwaysPullsEveryTime();
    void slowImage();
    void neverReadyReportsUnhealthy();
    void crashLoopBackOff();
    void missingImage();
    void invalidImageName();
    void terminationWithDrain();
    void terminationWithoutDrain();
    void deletingPodThatNeverStarted();
    void forceDeleteStopsProcess();
    void uniquePodIps();
    void unschedulableWithoutNodes();
};

void TestKubelet::helpers()
{
    QCOMPARE(Kubelet::backOffMs(1), 10'000);
    QCOMPARE(Kubelet::backOffMs(2), 20'000);
    QCOMPARE(Kubelet::backOffMs(5), 160'000);
    QCOMPARE(Kubelet::backOffMs(6), 300'000);
    QCOMPARE(Kubelet::backOffMs(30), 300'000);
    QCOMPARE(Kubelet::goDuration(0), QStringLiteral("0s"));
    QCOMPARE(Kubelet::goDuration(812), QStringLiteral("812ms"));
    QCOMPARE(Kubelet::goDuration(1500), QStringLiteral("1.5s"));
    QCOMPARE(Kubelet::goDuration(20'000), QStringLiteral("20s"));
    QCOMPARE(Kubelet::goDuration(160'000), QStringLiteral("2m40s"));
    QCOMPARE(Kubelet::goDuration(300'000), QStringLiteral("5m0s"));
    QCOMPARE(Kubelet::goDuration(3'600'000), QStringLiteral("1h0m0s"));
    QCOMPARE(Kubelet::normalizedImage(QStringLiteral("nginx")),
             QStringLiteral("docker.io/library/nginx:latest"));
    QCOMPARE(Kubelet::normalizedImage(QStringLiteral("bebullish/demo:v1")),
             QStringLiteral("docker.io/bebullish/demo:v1"));
    QCOMPARE(Kubelet::normalizedImage(QStringLiteral("localhost:5000/team/app:1.2")),
             QStringLiteral("localhost:5000/team/app:1.2"));
    QCOMPARE(Kubelet::normalizedImage(QStringLiteral("quay.io/org/app")),
             QStringLiteral("quay.io/org/app:latest"));
    // Pod addresses: 253 hosts (.2 .. .254) per block, 10.244/14 first; and back.
    QCOMPARE(Kubelet::podAddress(0, 0), QStringLiteral("10.244.0.2"));
    QCOMPARE(Kubelet::podAddress(2, 252), QStringLiteral("10.244.2.254"));
    QCOMPARE(Kubelet::podAddress(2, 253), QStringLiteral("10.245.2.2"));
    for (const int slot : {0, 1, 252, 253, 5000, 60'000})
        QCOMPARE(Kubelet::podAddressSlot(Kubelet::podAddress(7, slot)), slot);
    for (const char *notOurs : {"", "10.244.0", "10.244.0.1", "10.244.0.255", "10.100.0.5",
                                "11.244.0.5", "10.244.x.5", "10.244.300.5", "10.244.0.5.6"})
        QCOMPARE(Kubelet::podAddressSlot(QString::fromLatin1(notOurs)), -1);
}

void TestKubelet::normalLifecycle()
{
    SimFixture f(1);
    QSignalSpy stopped(&f.runtime, &PodRuntime::stopped);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1")));
    f.settle();

    // t0: bound and admitted, the image pulling.
    QJsonObject pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(json::string(pod, {u"spec", u"nodeName"}), QStringLiteral("sim-node-1"));
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Pending"));
    QCOMPARE(json::string(pod, {u"status", u"hostIP"}), QStringLiteral("127.0.0.1"));
    QCOMPARE(json::array(pod, {u"status", u"hostIPs"}).first().toObject().value(u"ip").toString(),
             QStringLiteral("127.0.0.1"));
    const QString ip = json::string(pod, {u"status", u"podIP"});
    QVERIFY2(QRegularExpression(QStringLiteral("^10\\.244\\.0\\.\\d+$")).match(ip).hasMatch(),
             qPrintable(ip));
    QCOMPARE(json::array(pod, {u"status", u"podIPs"}).first().toObject().value(u"ip").toString(),
             ip);
    QCOMPARE(json::string(pod, {u"status", u"startTime"}), json::timestamp(SimFixture::kStartMs));
    QCOMPARE(waitingReason(pod), QStringLiteral("ContainerCreating"));
    QCOMPARE(containerStatus(pod).value(u"image").toString(), QStringLiteral("bebullish/demo:v1"));
    QCOMPARE(containerStatus(pod).value(u"started").toBool(true), false);
    QCOMPARE(conditionStatus(pod, u"PodScheduled"), QStringLiteral("True"));
    QCOMPARE(conditionStatus(pod, u"Initialized"), QStringLiteral("True"));
    QCOMPARE(conditionStatus(pod, u"Ready"), QStringLiteral("False"));
    QCOMPARE(SimFixture::condition(pod, u"Ready").value(u"reason").toString(),
             QStringLiteral("ContainersNotReady"));
    QCOMPARE(SimFixture::condition(pod, u"Ready").value(u"message").toString(),
             QStringLiteral("containers with unready status: [demo]"));
    QStringList types;
    for (const QJsonValue &c : json::array(pod, {u"status", u"conditions"}))
        types << c.toObject().value(u"type").toString();
    QCOMPARE(types,
             (QStringList{QStringLiteral("PodReadyToStartContainers"),
                          QStringLiteral("Initialized"), QStringLiteral("Ready"),
                          QStringLiteral("ContainersReady"), QStringLiteral("PodScheduled")}));
    QCOMPARE(f.eventMessages(QStringLiteral("Scheduled")),
             QStringList{QStringLiteral("Successfully assigned default/web to sim-node-1")});
    QCOMPARE(f.eventMessages(QStringLiteral("Pulling")),
             QStringList{QStringLiteral("Pulling image \"bebullish/demo:v1\"")});
    // kube-scheduler reports through the events.k8s.io recorder: eventTime in microseconds,
    // reportingComponent/-Instance and action set, the legacy fields left empty.
    const QJsonObject scheduled = f.eventList(QStringLiteral("Scheduled")).first();
    QCOMPARE(scheduled.value(u"eventTime").toString(), json::microTimestamp(SimFixture::kStartMs));
    QCOMPARE(scheduled.value(u"reportingComponent").toString(),
             QStringLiteral("default-scheduler"));
    QCOMPARE(scheduled.value(u"reportingInstance").toString(),
             QStringLiteral("default-scheduler-rollscope-sim"));
    QCOMPARE(scheduled.value(u"action").toString(), QStringLiteral("Binding"));
    QVERIFY(scheduled.value(u"firstTimestamp").isNull());
    QVERIFY(scheduled.value(u"lastTimestamp").isNull());
    QVERIFY(!scheduled.contains(u"count"));
    QCOMPARE(scheduled.value(u"source").toObject(), QJsonObject());
    QCOMPARE(json::string(scheduled, {u"involvedObject", u"kind"}), QStringLiteral("Pod"));
    // Admission on create: the service-account token volume, mounted in the container, and
    // the default tolerations of not-ready and unreachable nodes.
    const QJsonArray volumes = json::array(pod, {u"spec", u"volumes"});
    QCOMPARE(volumes.size(), 1);
    const QString volume = volumes.first().toObject().value(u"name").toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^kube-api-access-[b-z2-9]{5}$"))
                 .match(volume)
                 .hasMatch(),
             qPrintable(volume));
    QCOMPARE(json::array(volumes.first().toObject(), {u"projected", u"sources"}).size(), 3);
    const QJsonArray mounts = json::array(pod, {u"spec", u"containers"})
                                  .first()
                                  .toObject()
                                  .value(u"volumeMounts")
                                  .toArray();
    QCOMPARE(mounts, (QJsonArray{QJsonObject{
                         {QStringLiteral("name"), volume},
                         {QStringLiteral("readOnly"), true},
                         {QStringLiteral("mountPath"),
                          QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount")}}}));
    QStringList tolerated;
    for (const QJsonValue &t : json::array(pod, {u"spec", u"tolerations"}))
        tolerated << t.toObject().value(u"key").toString() + u':' +
                         t.toObject().value(u"effect").toString() + u':' +
                         QString::number(t.toObject().value(u"tolerationSeconds").toInteger());
    QCOMPARE(tolerated,
             (QStringList{QStringLiteral("node.kubernetes.io/not-ready:NoExecute:300"),
                          QStringLiteral("node.kubernetes.io/unreachable:NoExecute:300")}));
    const QJsonObject pulling = f.eventList(QStringLiteral("Pulling")).first();
    QCOMPARE(json::string(pulling, {u"source", u"component"}), QStringLiteral("kubelet"));
    QCOMPARE(json::string(pulling, {u"source", u"host"}), QStringLiteral("sim-node-1"));
    QCOMPARE(json::string(pulling, {u"involvedObject", u"fieldPath"}),
             QStringLiteral("spec.containers{demo}"));
    QVERIFY(f.runtime.find(QStringLiteral("default"), QStringLiteral("web")) == nullptr);

    // +800 ms pulled and created, +300 ms started.
    f.advance(799);
    QVERIFY(f.eventList(QStringLiteral("Pulled")).isEmpty());
    f.advance(1);
    const QStringList pulled = f.eventMessages(QStringLiteral("Pulled"));
    QCOMPARE(pulled.size(), 1);
    QVERIFY2(QRegularExpression(
                 QStringLiteral("^Successfully pulled image \"bebullish/demo:v1\" in 800ms "
                                "\\(800ms including waiting\\)\\. Image size: \\d+ bytes\\.$"))
                 .match(pulled.first())
                 .hasMatch(),
             qPrintable(pulled.first()));
    QCOMPARE(f.eventMessages(QStringLiteral("Created")),
             QStringList{QStringLiteral("Created container demo")});
    QVERIFY(f.eventList(QStringLiteral("Started")).isEmpty());
    f.advance(300);
    pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(f.eventMessages(QStringLiteral("Started")),
             QStringList{QStringLiteral("Started container demo")});
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Running"));
    const QJsonObject cs = containerStatus(pod);
    QCOMPARE(json::string(cs, {u"state", u"running", u"startedAt"}),
             json::timestamp(SimFixture::kStartMs + 1100));
    QCOMPARE(cs.value(u"started").toBool(), true);
    QCOMPARE(cs.value(u"ready").toBool(), false);
    QCOMPARE(cs.value(u"image").toString(), QStringLiteral("docker.io/bebullish/demo:v1"));
    QVERIFY(cs.value(u"imageID")
                .toString()
                .startsWith(QStringLiteral("docker.io/bebullish/demo@sha256:")));
    QVERIFY2(QRegularExpression(QStringLiteral("^containerd://[0-9a-f]{64}$"))
                 .match(cs.value(u"containerID").toString())
                 .hasMatch(),
             qPrintable(cs.value(u"containerID").toString()));
    QCOMPARE(cs.value(u"restartCount").toInt(-1), 0);
    const PodProcess *process = f.runtime.find(QStringLiteral("default"), QStringLiteral("web"));
    QVERIFY(process);
    QVERIFY(process->running);
    QVERIFY(!process->listening);
    QCOMPARE(process->podIp, ip);

    // +1.5 s ready, and listening.
    f.advance(1499);
    QCOMPARE(conditionStatus(f.get(Resources::pods(), QStringLiteral("web")), u"Ready"),
             QStringLiteral("False"));
    f.advance(1);
    pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(conditionStatus(pod, u"Ready"), QStringLiteral("True"));
    QCOMPARE(conditionStatus(pod, u"ContainersReady"), QStringLiteral("True"));
    QCOMPARE(containerStatus(pod).value(u"ready").toBool(), true);
    QCOMPARE(SimFixture::condition(pod, u"Ready").value(u"lastTransitionTime").toString(),
             json::timestamp(SimFixture::kStartMs + 2600));
    QVERIFY(f.runtime.find(QStringLiteral("default"), QStringLiteral("web"))->listening);
    QCOMPARE(stopped.count(), 0);
}

void TestKubelet::secondPodFindsImagePresent()
{
    SimFixture f(1);
    f.create(Resources::pods(),
             podJson(QStringLiteral("one"), QStringLiteral("bebullish/demo:v1")));
    f.advance(5000);
    f.create(Resources::pods(),
             podJson(QStringLiteral("two"), QStringLiteral("bebullish/demo:v1")));
    f.settle();
    QCOMPARE(f.eventMessages(QStringLiteral("Pulled"), QStringLiteral("two")),
             QStringList{QStringLiteral(
                 "Container image \"bebullish/demo:v1\" already present on machine")});
    QVERIFY(f.eventList(QStringLiteral("Pulling"), QStringLiteral("two")).isEmpty());
    f.advance(300);
    QCOMPARE(json::string(f.get(Resources::pods(), QStringLiteral("two")), {u"status", u"phase"}),
             QStringLiteral("Running"));

    // A pod arriving while the image is being pulled waits for that pull.
    f.create(Resources::pods(),
             podJson(QStringLiteral("three"), QStringLiteral("bebullish/demo:v2")));
    f.advance(300);
    f.create(Resources::pods(),
             podJson(QStringLiteral("four"), QStringLiteral("bebullish/demo:v2")));
    f.settle();
    f.advance(499);
    QVERIFY(f.eventList(QStringLiteral("Pulled"), QStringLiteral("four")).isEmpty());
    f.advance(1);
    QCOMPARE(f.eventList(QStringLiteral("Pulled"), QStringLiteral("four")).size(), 1);
    QVERIFY(f.eventMessages(QStringLiteral("Pulled"), QStringLiteral("four"))
                .first()
                .contains(QStringLiteral("in 500ms (500ms including waiting)")));
}

void TestKubelet::pullPolicyAlwaysPullsEveryTime()
{
    SimFixture f(1);
    // No tag means :latest, which defaults imagePullPolicy to Always.
    f.create(Resources::pods(), podJson(QStringLiteral("one"), QStringLiteral("example/app")));
    f.advance(5000);
    f.create(Resources::pods(), podJson(QStringLiteral("two"), QStringLiteral("example/app")));
    f.settle();
    QCOMPARE(f.eventMessages(QStringLiteral("Pulling"), QStringLiteral("two")),
             QStringList{QStringLiteral("Pulling image \"example/app\"")});
    f.advance(800);
    QVERIFY(f.eventMessages(QStringLiteral("Pulled"), QStringLiteral("two"))
                .first()
                .startsWith(QStringLiteral("Successfully pulled image")));
}

void TestKubelet::slowImage()
{
    SimFixture f(1);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v2-slow")));
    f.advance(1100 + 19'999);
    QCOMPARE(conditionStatus(f.get(Resources::pods(), QStringLiteral("web")), u"Ready"),
             QStringLiteral("False"));
    f.advance(1);
    QCOMPARE(conditionStatus(f.get(Resources::pods(), QStringLiteral("web")), u"Ready"),
             QStringLiteral("True"));
}

void TestKubelet::neverReadyReportsUnhealthy()
{
    SimFixture f(1);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v2-neverready")));
    f.advance(33'000);
    const QJsonObject pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Running"));
    QCOMPARE(conditionStatus(pod, u"Ready"), QStringLiteral("False"));
    // Probes at start + 1.5 s and every 10 s after: 2.6, 12.6, 22.6, 32.6 s, folded into one.
    const QList<QJsonObject> unhealthy = f.eventList(QStringLiteral("Unhealthy"));
    QCOMPARE(unhealthy.size(), 1);
    QCOMPARE(unhealthy.first().value(u"message").toString(),
             QStringLiteral("Readiness probe failed: HTTP probe failed with statuscode: 503"));
    QCOMPARE(unhealthy.first().value(u"type").toString(), QStringLiteral("Warning"));
    QCOMPARE(unhealthy.first().value(u"count").toInt(), 4);
}

void TestKubelet::crashLoopBackOff()
{
    SimFixture f(1);
    QSignalSpy stopped(&f.runtime, &PodRuntime::stopped);
    const QJsonObject created =
        f.create(Resources::pods(),
                 podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1-crash")));
    const QString podText = QStringLiteral("web_default(%1)").arg(json::uid(created));
    // Started at 1.1 s, exits at 4.1 s.
    f.advanceTo(4100);
    QJsonObject pod = f.get(Resources::pods(), QStringLiteral("web"));
    QJsonObject cs = containerStatus(pod);
    QCOMPARE(json::integer(cs, {u"state", u"terminated", u"exitCode"}), 1);
    QCOMPARE(json::string(cs, {u"state", u"terminated", u"reason"}), QStringLiteral("Error"));
    QCOMPARE(conditionStatus(pod, u"Ready"), QStringLiteral("False"));
    QCOMPARE(stopped.count(), 1);
    // First restart at once (after the PLEG resync), no back-off yet.
    f.advanceTo(5100);
    pod = f.get(Resources::pods(), QStringLiteral("web"));
    cs = containerStatus(pod);
    QCOMPARE(cs.value(u"restartCount").toInt(), 1);
    QCOMPARE(json::integer(cs, {u"lastState", u"terminated", u"exitCode"}), 1);
    f.advanceTo(5400);
    QCOMPARE(json::has(containerStatus(f.get(Resources::pods(), QStringLiteral("web"))),
                       {u"state", u"running"}),
             true);
    QCOMPARE(json::string(f.get(Resources::pods(), QStringLiteral("web")), {u"status", u"phase"}),
             QStringLiteral("Running"));
    // Second exit at 8.4 s: CrashLoopBackOff, 10 s.
    f.advanceTo(9400);
    pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(waitingReason(pod), QStringLiteral("CrashLoopBackOff"));
    QCOMPARE(waitingMessage(pod),
             QStringLiteral("back-off 10s restarting failed container=demo pod=") + podText);
    QCOMPARE(containerStatus(pod).value(u"restartCount").toInt(), 1);
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Running"));
    const QList<QJsonObject> backOff = f.eventList(QStringLiteral("BackOff"));
    QCOMPARE(backOff.size(), 1);
    QCOMPARE(backOff.first().value(u"message").toString(),
             QStringLiteral("Back-off restarting failed container demo in pod ") + podText);
    QCOMPARE(backOff.first().value(u"type").toString(), QStringLiteral("Warning"));
    // Restart when the back-off from the exit (8.4 s) has passed.
    f.advanceTo(18'399);
    QCOMPARE(containerStatus(f.get(Resources::pods(), QStringLiteral("web")))
                 .value(u"restartCount")
                 .toInt(),
             1);
    f.advanceTo(18'400);
    QCOMPARE(containerStatus(f.get(Resources::pods(), QStringLiteral("web")))
                 .value(u"restartCount")
                 .toInt(),
             2);
    // Started 18.7 s, exits 21.7 s: back-off 20 s, then 40 s.
    f.advanceTo(22'700);
    QCOMPARE(waitingMessage(f.get(Resources::pods(), QStringLiteral("web"))),
             QStringLiteral("back-off 20s restarting failed container=demo pod=") + podText);
    f.advanceTo(41'700);
    QCOMPARE(containerStatus(f.get(Resources::pods(), QStringLiteral("web")))
                 .value(u"restartCount")
                 .toInt(),
             3);
    f.advanceTo(46'000);
    QCOMPARE(waitingMessage(f.get(Resources::pods(), QStringLiteral("web"))),
             QStringLiteral("back-off 40s restarting failed container=demo pod=") + podText);
    // The BackOff event folded: one object, count 3.
    QCOMPARE(f.eventList(QStringLiteral("BackOff")).size(), 1);
    QCOMPARE(f.eventList(QStringLiteral("BackOff")).first().value(u"count").toInt(), 3);
    // Restarts go through the image check again.
    QVERIFY(f.eventMessages(QStringLiteral("Pulled"))
                .contains(QStringLiteral(
                    "Container image \"bebullish/demo:v1-crash\" already present on machine")));
}

void TestKubelet::missingImage()
{
    SimFixture f(1);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v9")));
    f.advanceTo(800);
    QJsonObject pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(waitingReason(pod), QStringLiteral("ErrImagePull"));
    QVERIFY(waitingMessage(pod).contains(QStringLiteral("docker.io/bebullish/demo:v9: not found")));
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Pending"));
    QStringList failed = f.eventMessages(QStringLiteral("Failed"));
    QCOMPARE(failed.size(), 2);
    QVERIFY(
        failed.at(0).startsWith(QStringLiteral("Failed to pull image \"bebullish/demo:v9\": ")));
    QVERIFY(failed.at(0).endsWith(QStringLiteral("not found")));
    QCOMPARE(failed.at(1), QStringLiteral("Error: ErrImagePull"));

    f.advanceTo(1800);
    pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(waitingReason(pod), QStringLiteral("ImagePullBackOff"));
    QCOMPARE(waitingMessage(pod), QStringLiteral("Back-off pulling image \"bebullish/demo:v9\""));
    QCOMPARE(f.eventMessages(QStringLiteral("BackOff")),
             QStringList{QStringLiteral("Back-off pulling image \"bebullish/demo:v9\"")});
    QCOMPARE(f.eventList(QStringLiteral("BackOff")).first().value(u"type").toString(),
             QStringLiteral("Normal"));
    QVERIFY(f.eventMessages(QStringLiteral("Failed"))
                .contains(QStringLiteral("Error: ImagePullBackOff")));

    // Pulls again 10 s after the failure, then backs off 20 s.
    f.advanceTo(10'799);
    QCOMPARE(f.eventList(QStringLiteral("Pulling")).first().value(u"count").toInt(), 1);
    f.advanceTo(10'800);
    QCOMPARE(f.eventList(QStringLiteral("Pulling")).first().value(u"count").toInt(), 2);
    f.advanceTo(11'600);
    QCOMPARE(waitingReason(f.get(Resources::pods(), QStringLiteral("web"))),
             QStringLiteral("ErrImagePull"));
    f.advanceTo(31'599);
    QCOMPARE(f.eventList(QStringLiteral("Pulling")).first().value(u"count").toInt(), 2);
    f.advanceTo(31'600);
    QCOMPARE(f.eventList(QStringLiteral("Pulling")).first().value(u"count").toInt(), 3);
    QVERIFY(f.runtime.find(QStringLiteral("default"), QStringLiteral("web")) == nullptr);
}

void TestKubelet::invalidImageName()
{
    SimFixture f(1);
    f.create(Resources::pods(), podJson(QStringLiteral("web"), QStringLiteral("Bad//Name")));
    f.settle();
    const QJsonObject pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(waitingReason(pod), QStringLiteral("InvalidImageName"));
    const QString message =
        QStringLiteral("Failed to apply default image tag \"Bad//Name\": couldn't parse image name "
                       "\"Bad//Name\": invalid reference format");
    QCOMPARE(waitingMessage(pod), message);
    QCOMPARE(f.eventMessages(QStringLiteral("InspectFailed")), QStringList{message});
    QCOMPARE(f.eventMessages(QStringLiteral("Failed")),
             QStringList{QStringLiteral("Error: InvalidImageName")});
    QVERIFY(f.eventList(QStringLiteral("Pulling")).isEmpty());
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Pending"));
}

void TestKubelet::terminationWithDrain()
{
    SimFixture f(1);
    QSignalSpy terminating(&f.runtime, &PodRuntime::terminating);
    QSignalSpy stopped(&f.runtime, &PodRuntime::stopped);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1")));
    f.advance(5000);
    QString lastPhase;
    QJsonObject lastState;
    const int sub = f.store.subscribe([&](const StoreEvent &e) {
        if (*e.resource == Resources::pods() && e.type == EventType::Modified) {
            lastPhase = json::string(e.object, {u"status", u"phase"});
            lastState = containerStatus(e.object).value(u"state").toObject();
        }
    });
    QVERIFY(f.registry.remove(Resources::pods(), QStringLiteral("default"), QStringLiteral("web"))
                .ok());
    f.settle();
    QCOMPARE(f.eventMessages(QStringLiteral("Killing")),
             QStringList{QStringLiteral("Stopping container demo")});
    QCOMPARE(terminating.count(), 1);
    QCOMPARE(terminating.first().at(0).toString(), QStringLiteral("default"));
    QCOMPARE(terminating.first().at(1).toString(), QStringLiteral("web"));
    QCOMPARE(terminating.first().at(2).toBool(), false); // draining, not abrupt
    const PodProcess *process = f.runtime.find(QStringLiteral("default"), QStringLiteral("web"));
    QVERIFY(process && process->terminating && process->running);
    QCOMPARE(stopped.count(), 0);
    // The app drains for 1 s, then exits 0; the kubelet deletes the pod for good.
    f.advance(999);
    QVERIFY(!f.get(Resources::pods(), QStringLiteral("web")).isEmpty());
    f.advance(1);
    f.store.unsubscribe(sub);
    QVERIFY(f.get(Resources::pods(), QStringLiteral("web")).isEmpty());
    QCOMPARE(lastPhase, QStringLiteral("Succeeded"));
    QCOMPARE(json::integer(lastState, {u"terminated", u"exitCode"}), 0);
    QCOMPARE(json::string(lastState, {u"terminated", u"reason"}), QStringLiteral("Completed"));
    QCOMPARE(stopped.count(), 1);
    QVERIFY(f.runtime.find(QStringLiteral("default"), QStringLiteral("web")) == nullptr);
}

void TestKubelet::terminationWithoutDrain()
{
    SimFixture f(1);
    QSignalSpy terminating(&f.runtime, &PodRuntime::terminating);
    QSignalSpy stopped(&f.runtime, &PodRuntime::stopped);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1-nodrain")));
    f.advance(5000);
    QString lastPhase;
    const int sub = f.store.subscribe([&](const StoreEvent &e) {
        if (*e.resource == Resources::pods() && e.type == EventType::Modified)
            lastPhase = json::string(e.object, {u"status", u"phase"});
    });
    QVERIFY(f.registry.remove(Resources::pods(), QStringLiteral("default"), QStringLiteral("web"))
                .ok());
    f.settle();
    f.store.unsubscribe(sub);
    QCOMPARE(terminating.count(), 1);
    QCOMPARE(terminating.first().at(2).toBool(), true); // abrupt
    QCOMPARE(stopped.count(), 1);
    QVERIFY(f.get(Resources::pods(), QStringLiteral("web")).isEmpty());
    QCOMPARE(lastPhase, QStringLiteral("Failed")); // died of SIGTERM (143)
}

void TestKubelet::deletingPodThatNeverStarted()
{
    SimFixture f(1);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v9")));
    f.advance(3000);
    QVERIFY(f.registry.remove(Resources::pods(), QStringLiteral("default"), QStringLiteral("web"))
                .ok());
    f.settle();
    QVERIFY(f.get(Resources::pods(), QStringLiteral("web")).isEmpty());
    QVERIFY(f.eventList(QStringLiteral("Killing")).isEmpty());
}

void TestKubelet::forceDeleteStopsProcess()
{
    SimFixture f(1);
    QSignalSpy stopped(&f.runtime, &PodRuntime::stopped);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1")));
    f.advance(5000);
    DeleteOptions now;
    now.gracePeriodSeconds = 0;
    QVERIFY(
        f.registry.remove(Resources::pods(), QStringLiteral("default"), QStringLiteral("web"), now)
            .ok());
    QCOMPARE(stopped.count(), 1);
    QVERIFY(f.runtime.find(QStringLiteral("default"), QStringLiteral("web")) == nullptr);
    f.advance(5000); // no timers of the pod fire any more
    QVERIFY(f.get(Resources::pods(), QStringLiteral("web")).isEmpty());
}

void TestKubelet::uniquePodIps()
{
    SimFixture f(3);
    for (int i = 0; i < 30; ++i)
        f.create(Resources::pods(),
                 podJson(QStringLiteral("p%1").arg(i), QStringLiteral("bebullish/demo:v1")));
    f.advance(5000);
    QSet<QString> ips;
    const QRegularExpression pattern(QStringLiteral("^10\\.244\\.([0-2])\\.(\\d+)$"));
    for (const QJsonObject &pod : f.pods()) {
        const QString ip = json::string(pod, {u"status", u"podIP"});
        const auto m = pattern.match(ip);
        QVERIFY2(m.hasMatch(), qPrintable(ip));
        const int node = m.captured(1).toInt();
        QCOMPARE(json::string(pod, {u"spec", u"nodeName"}),
                 QStringLiteral("sim-node-%1").arg(node + 1));
        QCOMPARE(json::string(pod, {u"status", u"hostIP"}),
                 QStringLiteral("127.0.0.%1").arg(node + 1));
        QVERIFY(!ips.contains(ip));
        ips.insert(ip);
        QCOMPARE(f.runtime.find(QStringLiteral("default"), json::name(pod))->podIp, ip);
    }
    QCOMPARE(ips.size(), 30);
    // Even spread: 10 pods per node.
    QHash<QString, int> perNode;
    for (const QJsonObject &pod : f.pods())
        ++perNode[json::string(pod, {u"spec", u"nodeName"})];
    for (int count : std::as_const(perNode))
        QCOMPARE(count, 10);
}

void TestKubelet::unschedulableWithoutNodes()
{
    SimFixture f(0);
    f.create(Resources::pods(),
             podJson(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1")));
    f.settle();
    QJsonObject pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(json::string(pod, {u"status", u"phase"}), QStringLiteral("Pending"));
    const QJsonObject scheduled = SimFixture::condition(pod, u"PodScheduled");
    QCOMPARE(scheduled.value(u"status").toString(), QStringLiteral("False"));
    QCOMPARE(scheduled.value(u"reason").toString(), QStringLiteral("Unschedulable"));
    QCOMPARE(f.eventMessages(QStringLiteral("FailedScheduling")),
             QStringList{QStringLiteral("no nodes available to schedule pods")});
    QCOMPARE(f.eventList(QStringLiteral("FailedScheduling")).first().value(u"type").toString(),
             QStringLiteral("Warning"));
    // A node registers: the pod is scheduled and starts.
    createNodes(f.registry, 1);
    f.advance(5000);
    pod = f.get(Resources::pods(), QStringLiteral("web"));
    QCOMPARE(json::string(pod, {u"spec", u"nodeName"}), QStringLiteral("sim-node-1"));
    QCOMPARE(conditionStatus(pod, u"Ready"), QStringLiteral("True"));
}

ROLLSCOPE_TEST_MAIN(TestKubelet)
#include "tst_kubelet.moc"
