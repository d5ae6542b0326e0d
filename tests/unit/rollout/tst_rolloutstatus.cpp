// SPDX-License-Identifier: MIT
// The status rules of RolloutTracker::evaluateStatus, in their order, and which waiting reasons
// count as a failure of the new version.
#include "rollout/rollouttracker.h"
#include "rolloutfixtures.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;
using kube::DeploymentInfo;
using kube::PodInfo;

namespace {

const QString kV2 = QStringLiteral("6b5b87b666");

// Halfway through the demo rollout to v2: old 2, new 2 (1 ready).
DeploymentInfo midRollout()
{
    DeploymentInfo d = demoDeployment(imageOf(QStringLiteral("v2")), 2);
    setStatus(d, 4, 2, 3, 3);
    setCondition(d, QStringLiteral("Progressing"), QStringLiteral("True"),
                 QStringLiteral("ReplicaSetUpdated"));
    return d;
}

} // namespace

class TestRolloutStatus : public QObject
{
    Q_OBJECT
private slots:
    void rules_data()
    {
        QTest::addColumn<DeploymentInfo>("deployment");
        QTest::addColumn<QList<PodInfo>>("newPods");
        QTest::addColumn<int>("state");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("message");

        const QList<PodInfo> healthy = {pod(kV2, QStringLiteral("aaaaa"), true),
                                        pod(kV2, QStringLiteral("bbbbb"), false)};
        QTest::newRow("complete") << demoDeployment() << QList<PodInfo>()
                                  << int(RolloutState::Complete)
                                  << QStringLiteral("NewReplicaSetAvailable")
                                  << QStringLiteral(
                                         "Deployment \"demo-dp\" successfully rolled out");

        DeploymentInfo paused = midRollout();
        paused.paused = true;
        QTest::newRow("paused wins")
            << paused << healthy << int(RolloutState::Paused) << QStringLiteral("DeploymentPaused")
            << QStringLiteral("Deployment \"demo-dp\" is paused");

        DeploymentInfo unobserved = demoDeployment();
        unobserved.generation = 2;
        QTest::newRow("generation not observed")
            << unobserved << QList<PodInfo>() << int(RolloutState::Progressing)
            << QStringLiteral("NewReplicaSetAvailable")
            << QStringLiteral("Waiting for deployment spec update to be observed...");

        DeploymentInfo deadline = midRollout();
        setCondition(
            deadline, QStringLiteral("Progressing"), QStringLiteral("False"),
            QStringLiteral("ProgressDeadlineExceeded"),
            QStringLiteral("ReplicaSet \"demo-dp-6b5b87b666\" has timed out progressing."));
        QTest::newRow("deadline exceeded")
            << deadline << healthy << int(RolloutState::Failed)
            << QStringLiteral("ProgressDeadlineExceeded")
            << QStringLiteral("Deployment \"demo-dp\" exceeded its progress deadline: ReplicaSet "
                              "\"demo-dp-6b5b87b666\" has timed out progressing.");

        // The deadline is not judged before the spec is observed (kubectl's order).
        DeploymentInfo deadlineUnobserved = deadline;
        deadlineUnobserved.generation = 3;
        QTest::newRow("deadline of an unobserved generation")
            << deadlineUnobserved << healthy << int(RolloutState::Progressing)
            << QStringLiteral("ProgressDeadlineExceeded")
            << QStringLiteral("Waiting for deployment spec update to be observed...");

        const PodInfo crashing =
            waiting(pod(kV2, QStringLiteral("ccccc"), false), QStringLiteral("CrashLoopBackOff"),
                    QStringLiteral("back-off 10s restarting failed container"));
        QTest::newRow("crash loop in the new version")
            << midRollout() << QList<PodInfo>{healthy.first(), crashing}
            << int(RolloutState::Failed) << QStringLiteral("CrashLoopBackOff")
            << QStringLiteral("Pod demo-dp-6b5b87b666-ccccc of the new version cannot run: "
                              "CrashLoopBackOff (back-off 10s restarting failed container)");

        const PodInfo pulling =
            waiting(pendingPod(kV2, QStringLiteral("ddddd")), QStringLiteral("ErrImagePull"));
        const PodInfo invalid =
            waiting(pendingPod(kV2, QStringLiteral("eeeee")), QStringLiteral("InvalidImageName"));
        QTest::newRow("image pull error")
            << midRollout() << QList<PodInfo>{pulling} << int(RolloutState::Failed)
            << QStringLiteral("ErrImagePull")
            << QStringLiteral(
                   "Pod demo-dp-6b5b87b666-ddddd of the new version cannot run: ErrImagePull");
        QTest::newRow("the most specific reason wins")
            << midRollout() << QList<PodInfo>{crashing, pulling, invalid}
            << int(RolloutState::Failed) << QStringLiteral("InvalidImageName")
            << QStringLiteral(
                   "Pod demo-dp-6b5b87b666-eeeee of the new version cannot run: InvalidImageName");

        const PodInfo creating =
            waiting(pendingPod(kV2, QStringLiteral("fffff")), QStringLiteral("ContainerCreating"));
        QTest::newRow("ContainerCreating is no failure")
            << midRollout() << QList<PodInfo>{creating} << int(RolloutState::Progressing)
            << QStringLiteral("ReplicaSetUpdated")
            << QStringLiteral("Waiting for rollout to finish: 2 out of 3 new replicas have been "
                              "updated...");

        DeploymentInfo quota = midRollout();
        setCondition(quota, QStringLiteral("ReplicaFailure"), QStringLiteral("True"),
                     QStringLiteral("FailedCreate"), QStringLiteral("exceeded quota"));
        QTest::newRow("replica failure")
            << quota << healthy << int(RolloutState::Failed) << QStringLiteral("FailedCreate")
            << QStringLiteral("exceeded quota");

        DeploymentInfo pending = demoDeployment(imageOf(QStringLiteral("v2")), 2);
        setStatus(pending, 4, 3, 4, 4);
        QTest::newRow("old replicas pending termination")
            << pending << healthy << int(RolloutState::Progressing)
            << QStringLiteral("NewReplicaSetAvailable")
            << QStringLiteral(
                   "Waiting for rollout to finish: 1 old replicas are pending termination...");

        DeploymentInfo unavailable = demoDeployment(imageOf(QStringLiteral("v2")), 2);
        setStatus(unavailable, 3, 3, 2, 2);
        QTest::newRow("updated not all available")
            << unavailable << healthy << int(RolloutState::Progressing)
            << QStringLiteral("NewReplicaSetAvailable")
            << QStringLiteral(
                   "Waiting for rollout to finish: 2 of 3 updated replicas are available...");
    }
    void rules()
    {
        QFETCH(DeploymentInfo, deployment);
        QFETCH(QList<PodInfo>, newPods);
        const RolloutStatus status = RolloutTracker::evaluateStatus(deployment, newPods, 1);
        QTEST(int(status.state), "state");
        QTEST(status.reason, "reason");
        QTEST(status.message, "message");
        QCOMPARE(status.desired, deployment.replicas);
        QCOMPARE(status.updated, deployment.status.updatedReplicas);
        QCOMPARE(status.available, deployment.status.availableReplicas);
    }

    void progressIsTheNewVersionsAvailableShare()
    {
        QCOMPARE(RolloutTracker::evaluateStatus(midRollout(), {}, 1).progress, 1.0 / 3);
        QCOMPARE(RolloutTracker::evaluateStatus(midRollout(), {}, 5).progress, 1.0);
        QCOMPARE(RolloutTracker::evaluateStatus(demoDeployment(), {}, 0).progress, 1.0);
    }

    void podFailureReasons_data()
    {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("failure");
        for (const char *r : {"CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull",
                              "InvalidImageName", "CreateContainerConfigError",
                              "CreateContainerError", "ErrImageNeverPull", "RunContainerError"})
            QTest::newRow(r) << QString::fromLatin1(r) << true;
        for (const char *r : {"ContainerCreating", "PodInitializing", ""})
            QTest::newRow(*r ? r : "empty") << QString::fromLatin1(r) << false;
    }
    void podFailureReasons()
    {
        QFETCH(QString, reason);
        const PodInfo p =
            waiting(pendingPod(kV2, QStringLiteral("xxxxx")), reason, QStringLiteral("why"));
        const auto failure = podFailure(p);
        QTEST(failure.has_value(), "failure");
        if (failure) {
            QCOMPARE(failure->reason, reason);
            QCOMPARE(failure->message, QStringLiteral("why"));
            QCOMPARE(failure->container, QStringLiteral("demo"));
        }
    }

    void initContainerFailuresCount()
    {
        PodInfo p = pendingPod(kV2, QStringLiteral("yyyyy"));
        kube::ContainerStatusInfo init;
        init.name = QStringLiteral("setup");
        init.state = kube::ContainerStatusInfo::State::Waiting;
        init.reason = QStringLiteral("ImagePullBackOff");
        p.initContainers = {init};
        const auto failure = podFailure(p);
        QVERIFY(failure);
        QCOMPARE(failure->container, QStringLiteral("setup"));
    }

    void conditionSeverities()
    {
        kube::Condition c;
        c.type = QStringLiteral("Progressing");
        c.status = QStringLiteral("False");
        QCOMPARE(conditionSeverity(c), RolloutEvent::Severity::Error);
        c.status = QStringLiteral("Unknown");
        QCOMPARE(conditionSeverity(c), RolloutEvent::Severity::Info);
        c.type = QStringLiteral("Available");
        c.status = QStringLiteral("False");
        QCOMPARE(conditionSeverity(c), RolloutEvent::Severity::Warning);
        c.type = QStringLiteral("ReplicaFailure");
        c.status = QStringLiteral("True");
        QCOMPARE(conditionSeverity(c), RolloutEvent::Severity::Error);
    }
};

ROLLSCOPE_TEST_MAIN(TestRolloutStatus)
#include "tst_rolloutstatus.moc"
