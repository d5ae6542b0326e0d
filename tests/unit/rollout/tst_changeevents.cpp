// SPDX-License-Identifier: MIT
// What the timeline records for a change of one object, from the object before and after: the
// pure functions of changeevents.h, without a tracker, informers or timers.
#include "rollout/changeevents.h"
#include "rolloutfixtures.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;
using kube::DeploymentInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

using DeploymentEdit = std::function<void(DeploymentInfo &)>;
Q_DECLARE_METATYPE(DeploymentEdit)
Q_DECLARE_METATYPE(RolloutEvent::Severity)

namespace {

const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");
constexpr qint64 kTime = 1'234'567;

QStringList typesOf(const QList<RolloutEvent> &events)
{
    QStringList types;
    for (const RolloutEvent &e : events)
        types << e.type;
    return types;
}

QStringList strings(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *s : list)
        result << QString::fromLatin1(s);
    return result;
}

} // namespace

class TestChangeEvents : public QObject
{
    Q_OBJECT
private slots:
    void deploymentChanges_data()
    {
        QTest::addColumn<DeploymentEdit>("before");
        QTest::addColumn<DeploymentEdit>("after");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<RolloutEvent::Severity>("lastSeverity");

        const DeploymentEdit none = [](DeploymentInfo &) {};
        const DeploymentEdit paused = [](DeploymentInfo &d) { d.paused = true; };
        const auto info = RolloutEvent::Severity::Info;
        QTest::newRow("nothing changed") << none << none << QStringList() << info;
        QTest::newRow("paused") << none << paused << strings({"Paused"}) << info;
        QTest::newRow("resumed") << paused << none << strings({"Resumed"}) << info;
        QTest::newRow("replicas changed")
            << none << DeploymentEdit([](DeploymentInfo &d) { d.replicas = 5; })
            << strings({"Scaled"}) << info;
        QTest::newRow("restartedAt annotation") << none << DeploymentEdit([](DeploymentInfo &d) {
            d.templateRestartedAt = QStringLiteral("2026-11-26T20:00:00Z");
        }) << strings({"Restarted"}) << info;
        QTest::newRow("restartedAt annotation removed") << DeploymentEdit([](DeploymentInfo &d) {
            d.templateRestartedAt = QStringLiteral("2026-11-26T20:00:00Z");
        }) << none << QStringList() << info;
        QTest::newRow("paused and scaled, in that order")
            << none << DeploymentEdit([](DeploymentInfo &d) {
                   d.paused = true;
                   d.replicas = 1;
               })
            << strings({"Paused", "Scaled"}) << info;
        QTest::newRow("progress deadline exceeded is an error")
            << none << DeploymentEdit([](DeploymentInfo &d) {
                   setCondition(d, QStringLiteral("Progressing"), QStringLiteral("False"),
                                QStringLiteral("ProgressDeadlineExceeded"));
               })
            << strings({"ConditionChanged"}) << RolloutEvent::Severity::Error;
        QTest::newRow("available false is a warning")
            << none << DeploymentEdit([](DeploymentInfo &d) {
                   setCondition(d, QStringLiteral("Available"), QStringLiteral("False"),
                                QStringLiteral("MinimumReplicasUnavailable"));
               })
            << strings({"ConditionChanged"}) << RolloutEvent::Severity::Warning;
        QTest::newRow("a new condition") << none << DeploymentEdit([](DeploymentInfo &d) {
            setCondition(d, QStringLiteral("ReplicaFailure"), QStringLiteral("True"),
                         QStringLiteral("FailedCreate"));
        }) << strings({"ConditionChanged"})
                                         << RolloutEvent::Severity::Error;
        QTest::newRow("only the condition's message and time moved")
            << none << DeploymentEdit([](DeploymentInfo &d) {
                   setCondition(d, QStringLiteral("Progressing"), QStringLiteral("True"),
                                QStringLiteral("NewReplicaSetAvailable"),
                                QStringLiteral("other words"), 30);
               })
            << QStringList() << info;
    }

    void deploymentChanges()
    {
        QFETCH(DeploymentEdit, before);
        QFETCH(DeploymentEdit, after);
        QFETCH(QStringList, types);
        QFETCH(RolloutEvent::Severity, lastSeverity);
        DeploymentInfo b = demoDeployment();
        DeploymentInfo a = demoDeployment();
        before(b);
        after(a);
        const QList<RolloutEvent> events = rollout::deploymentChanges(b, a, kTime);
        QCOMPARE(typesOf(events), types);
        for (const RolloutEvent &e : events) {
            QCOMPARE(e.timeMs, kTime);
            QCOMPARE(e.object, QStringLiteral("deployment/demo-dp"));
            QVERIFY(e.versionId.isEmpty());
            QVERIFY(!e.message.isEmpty());
        }
        if (!events.isEmpty())
            QCOMPARE(events.last().severity, lastSeverity);
    }

    void deploymentMessages()
    {
        DeploymentInfo after = demoDeployment();
        after.replicas = 5;
        setCondition(after, QStringLiteral("Progressing"), QStringLiteral("False"),
                     QStringLiteral("ProgressDeadlineExceeded"),
                     QStringLiteral("ReplicaSet \"x\" has timed out progressing."));
        const QList<RolloutEvent> events =
            rollout::deploymentChanges(demoDeployment(), after, kTime);
        QCOMPARE(events.size(), 2);
        QCOMPARE(events.at(0).message, QStringLiteral("Scaled from 3 to 5 replicas"));
        QCOMPARE(events.at(1).message,
                 QStringLiteral("Progressing is False (ProgressDeadlineExceeded): ReplicaSet "
                                "\"x\" has timed out progressing."));
    }

    void replicaSetChanges_data()
    {
        QTest::addColumn<ReplicaSetInfo>("before");
        QTest::addColumn<ReplicaSetInfo>("after");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<QString>("lastMessage");

        const QString v1 = imageOf(QStringLiteral("v1"));
        const ReplicaSetInfo at1 = replicaSet(kV1, v1, 1, 0);
        QTest::newRow("unchanged") << at1 << at1 << QStringList() << QString();
        QTest::newRow("revision raised: rolled back")
            << at1 << replicaSet(kV1, v1, 3, 0) << strings({"RolledBack"})
            << QStringLiteral("Rolled back to bebullish/demo:v1: replica set demo-dp-7c9f8d6b5d, "
                              "revision 1 is now revision 3");
        QTest::newRow("revision set for the first time")
            << replicaSet(kV1, v1, 0, 0) << replicaSet(kV1, v1, 2, 0) << QStringList() << QString();
        QTest::newRow("revision lowered")
            << replicaSet(kV1, v1, 3, 0) << at1 << QStringList() << QString();
        QTest::newRow("scaled up")
            << at1 << replicaSet(kV1, v1, 1, 3) << strings({"ReplicaSetScaled"})
            << QStringLiteral("Scaled up replica set demo-dp-7c9f8d6b5d from 0 to 3");
        QTest::newRow("scaled down")
            << replicaSet(kV1, v1, 1, 3) << replicaSet(kV1, v1, 1, 2)
            << strings({"ReplicaSetScaled"})
            << QStringLiteral("Scaled down replica set demo-dp-7c9f8d6b5d from 3 to 2");
        QTest::newRow("rolled back and scaled up")
            << at1 << replicaSet(kV1, v1, 3, 1) << strings({"RolledBack", "ReplicaSetScaled"})
            << QStringLiteral("Scaled up replica set demo-dp-7c9f8d6b5d from 0 to 1");
        QTest::newRow("only readiness moved")
            << replicaSet(kV1, v1, 1, 3, 1) << replicaSet(kV1, v1, 1, 3, 3) << QStringList()
            << QString();
    }

    void replicaSetChanges()
    {
        QFETCH(ReplicaSetInfo, before);
        QFETCH(ReplicaSetInfo, after);
        QFETCH(QStringList, types);
        QFETCH(QString, lastMessage);
        const QList<RolloutEvent> events = rollout::replicaSetChanges(before, after, kTime);
        QCOMPARE(typesOf(events), types);
        for (const RolloutEvent &e : events) {
            QCOMPARE(e.timeMs, kTime);
            QCOMPARE(e.object, QStringLiteral("replicaset/demo-dp-7c9f8d6b5d"));
            QCOMPARE(e.versionId, kV1); // the pod-template-hash
            QCOMPARE(e.severity, RolloutEvent::Severity::Info);
        }
        if (!events.isEmpty())
            QCOMPARE(events.last().message, lastMessage);
    }

    void podChanges_data()
    {
        QTest::addColumn<PodInfo>("before");
        QTest::addColumn<PodInfo>("after");
        QTest::addColumn<QStringList>("types");
        QTest::addColumn<RolloutEvent::Severity>("lastSeverity");

        const QString v2 = imageOf(QStringLiteral("v2"));
        const auto info = RolloutEvent::Severity::Info;
        const auto warning = RolloutEvent::Severity::Warning;
        const auto error = RolloutEvent::Severity::Error;
        const PodInfo pending = pendingPod(kV2, QStringLiteral("xxxxx"), v2);
        PodInfo scheduled = pending;
        scheduled.node = QStringLiteral("sim-node-2");
        const PodInfo running = pod(kV2, QStringLiteral("xxxxx"), false, v2);
        const PodInfo ready = pod(kV2, QStringLiteral("xxxxx"), true, v2);
        PodInfo restarted = ready;
        restarted.restarts = 1;
        restarted.containers.first().lastTerminatedReason = QStringLiteral("OOMKilled");
        restarted.containers.first().lastTerminatedExitCode = 137;

        QTest::newRow("unchanged") << ready << ready << QStringList() << info;
        QTest::newRow("scheduled") << pending << scheduled << strings({"PodScheduled"}) << info;
        QTest::newRow("started") << scheduled << running << strings({"PodStarted"}) << info;
        QTest::newRow("becomes ready") << running << ready << strings({"PodReady"}) << info;
        QTest::newRow("pending to ready in one step")
            << pending << ready << strings({"PodScheduled", "PodStarted", "PodReady"}) << info;
        QTest::newRow("no longer ready") << ready << running << strings({"PodNotReady"}) << warning;
        QTest::newRow("terminating: not 'no longer ready'")
            << ready << terminating(running) << strings({"PodTerminating"}) << info;
        QTest::newRow("restarted") << ready << restarted << strings({"PodRestarted"}) << warning;
        QTest::newRow("image pull fails")
            << scheduled << waiting(scheduled, QStringLiteral("ErrImagePull"))
            << strings({"PodFailing"}) << error;
        QTest::newRow("failing for another reason")
            << waiting(scheduled, QStringLiteral("ErrImagePull"))
            << waiting(scheduled, QStringLiteral("ImagePullBackOff")) << strings({"PodFailing"})
            << error;
        QTest::newRow("failing for the same reason again")
            << waiting(scheduled, QStringLiteral("ImagePullBackOff"))
            << waiting(scheduled, QStringLiteral("ImagePullBackOff"), QStringLiteral("again"))
            << QStringList() << info;
        QTest::newRow("a wait that is not a failure")
            << scheduled << waiting(scheduled, QStringLiteral("ContainerCreating")) << QStringList()
            << info;
        QTest::newRow("crash loop: ready lost, restarted, failing")
            << ready << waiting(ready, QStringLiteral("CrashLoopBackOff"))
            << strings({"PodNotReady", "PodRestarted", "PodFailing"}) << error;
    }

    void podChanges()
    {
        QFETCH(PodInfo, before);
        QFETCH(PodInfo, after);
        QFETCH(QStringList, types);
        QFETCH(RolloutEvent::Severity, lastSeverity);
        const QList<RolloutEvent> events =
            rollout::podChanges(before, after, QStringLiteral("the-version"), kTime);
        QCOMPARE(typesOf(events), types);
        for (const RolloutEvent &e : events) {
            QCOMPARE(e.timeMs, kTime);
            QCOMPARE(e.object, QStringLiteral("pod/demo-dp-6b5b87b666-xxxxx"));
            QCOMPARE(e.versionId, QStringLiteral("the-version"));
        }
        if (!events.isEmpty())
            QCOMPARE(events.last().severity, lastSeverity);
    }

    void podMessages()
    {
        const QString v2 = imageOf(QStringLiteral("v2"));
        const PodInfo ready = pod(kV2, QStringLiteral("xxxxx"), true, v2);
        PodInfo restarted = ready;
        restarted.restarts = 2;
        restarted.containers.first().lastTerminatedReason = QStringLiteral("OOMKilled");
        restarted.containers.first().lastTerminatedExitCode = 137;
        QCOMPARE(rollout::podChanges(ready, restarted, kV2, kTime).first().message,
                 QStringLiteral("Pod demo-dp-6b5b87b666-xxxxx restarted (2 restarts); container "
                                "demo exited: OOMKilled (exit code 137)"));
        const PodInfo failing =
            waiting(ready, QStringLiteral("ErrImagePull"), QStringLiteral("manifest unknown"));
        QCOMPARE(rollout::podChanges(restarted, failing, kV2, kTime).last().message,
                 QStringLiteral("Pod demo-dp-6b5b87b666-xxxxx: ErrImagePull (manifest unknown)"));
    }

    void createdAndGone()
    {
        const ReplicaSetInfo rs = replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1);
        const RolloutEvent created = rollout::replicaSetCreated(rs, kTime);
        QCOMPARE(created.type, QStringLiteral("ReplicaSetCreated"));
        QCOMPARE(created.message,
                 QStringLiteral("Replica set demo-dp-6b5b87b666 created for revision 2"));
        QCOMPARE(created.versionId, kV2);
        QCOMPARE(created.timeMs, kTime);

        const PodInfo p = pod(kV2, QStringLiteral("xxxxx"), true);
        const RolloutEvent added = rollout::podCreated(p, QStringLiteral("v"), kTime);
        QCOMPARE(added.type, QStringLiteral("PodCreated"));
        QCOMPARE(added.object, QStringLiteral("pod/demo-dp-6b5b87b666-xxxxx"));
        QCOMPARE(added.versionId, QStringLiteral("v"));
        const RolloutEvent gone = rollout::podGone(p, QStringLiteral("v"), kTime + 1);
        QCOMPARE(gone.type, QStringLiteral("PodGone"));
        QCOMPARE(gone.message, QStringLiteral("Pod demo-dp-6b5b87b666-xxxxx is gone"));
        QCOMPARE(gone.timeMs, kTime + 1);
    }

    void kubernetesEvents_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("versionId");
        QTest::addColumn<RolloutEvent::Severity>("severity");

        const QString rs = replicaSetName(kV2);
        QTest::newRow("pod, warning")
            << QStringLiteral("Pod") << rs + QStringLiteral("-xxxxx") << QStringLiteral("Warning")
            << kV2 << RolloutEvent::Severity::Warning;
        QTest::newRow("replica set, normal")
            << QStringLiteral("ReplicaSet") << rs << QStringLiteral("Normal") << kV2
            << RolloutEvent::Severity::Info;
        QTest::newRow("deployment: no version")
            << QStringLiteral("Deployment") << kDeployment << QStringLiteral("Normal") << QString()
            << RolloutEvent::Severity::Info;
        QTest::newRow("unknown pod")
            << QStringLiteral("Pod") << QStringLiteral("elsewhere-abcde")
            << QStringLiteral("Normal") << QString() << RolloutEvent::Severity::Info;
    }

    void kubernetesEvents()
    {
        QFETCH(QString, kind);
        QFETCH(QString, name);
        QFETCH(QString, type);
        QFETCH(QString, versionId);
        QFETCH(RolloutEvent::Severity, severity);
        QStringList asked;
        const VersionIdResolver resolver = [&](const QString &k, const QString &n) {
            asked << k + u' ' + n;
            return n.startsWith(replicaSetName(kV2)) ? kV2 : QString();
        };
        const kube::EventInfo event =
            kubeEvent(QStringLiteral("e1"), kind, name, QStringLiteral("BackOff"),
                      QStringLiteral("Back-off pulling image"), 8, type);
        const RolloutEvent e = rollout::kubernetesEvent(event, resolver, kTime);
        QCOMPARE(e.type, QStringLiteral("KubernetesEvent"));
        QCOMPARE(e.message, QStringLiteral("BackOff: Back-off pulling image"));
        QCOMPARE(e.object, kind.toLower() + u'/' + name);
        QCOMPARE(e.versionId, versionId);
        QCOMPARE(e.severity, severity);
        QCOMPARE(e.timeMs, kTime);
        // Only objects that have a version are looked up.
        QCOMPARE(asked.size(), kind == u"Deployment" ? 0 : 1);
    }

    void outcome()
    {
        RolloutStatus status;
        status.state = RolloutState::Complete;
        status.message = QStringLiteral("Deployment \"demo-dp\" successfully rolled out");
        RolloutEvent e = rollout::outcomeEvent(kDeployment, status, kV2, kTime);
        QCOMPARE(e.type, QStringLiteral("Outcome"));
        QCOMPARE(e.severity, RolloutEvent::Severity::Info);
        QCOMPARE(e.message, QStringLiteral("Rollout complete: ") + status.message);
        QCOMPARE(e.object, QStringLiteral("deployment/demo-dp"));
        QCOMPARE(e.versionId, kV2);

        status.state = RolloutState::Failed;
        status.reason = QStringLiteral("ImagePullBackOff");
        status.message = QStringLiteral("cannot pull");
        e = rollout::outcomeEvent(kDeployment, status, kV2, kTime);
        QCOMPARE(e.severity, RolloutEvent::Severity::Error);
        QCOMPARE(e.message, QStringLiteral("Rollout failed (ImagePullBackOff): cannot pull"));
    }
};

ROLLSCOPE_TEST_MAIN(TestChangeEvents)
#include "tst_changeevents.moc"
