// SPDX-License-Identifier: MIT
// Which objects belong to the Deployment, without a cluster: ownership by uid, pods that follow
// their ReplicaSet, events that come before their object, and what a removal reports.
#include "rollout/deploymentscope.h"
#include "rolloutfixtures.h"
#include "testmain.h"

#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;
using kube::PodInfo;
using kube::ReplicaSetInfo;

namespace {

const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");

} // namespace

class TestDeploymentScope : public QObject
{
    Q_OBJECT
private slots:
    void withoutAClientItIsLiveAtOnce()
    {
        DeploymentScope scope(nullptr, kNs, kDeployment);
        QVERIFY(scope.isLive());
        QVERIFY(!scope.deployment());
        QVERIFY(!scope.deploymentInformer());
    }

    void ownershipFollowsTheDeploymentsUid()
    {
        DeploymentScope scope(nullptr, kNs, kDeployment);
        QSignalSpy added(&scope, &DeploymentScope::replicaSetAdded);
        QSignalSpy removed(&scope, &DeploymentScope::replicaSetRemoved);
        QSignalSpy podsAdded(&scope, &DeploymentScope::podAdded);
        // ReplicaSet and pod before the Deployment: kept, not ours yet.
        scope.applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        scope.applyPod(pod(kV1, QStringLiteral("aaaaa"), true));
        QCOMPARE(added.count(), 0);
        QVERIFY(scope.pods().isEmpty());

        scope.applyDeployment(demoDeployment());
        QCOMPARE(added.count(), 1);
        QCOMPARE(podsAdded.count(), 1);
        QCOMPARE(scope.versionIdOfPod(*scope.pods().constBegin().value()), kV1);

        // Same name, another owner (a Deployment deleted and created again): not ours.
        ReplicaSetInfo stranger = replicaSet(kV2, imageOf(QStringLiteral("v2")), 1, 1);
        stranger.ownerUid = QStringLiteral("uid-someone-else");
        scope.applyReplicaSet(stranger);
        QCOMPARE(added.count(), 1);

        // The Deployment is recreated with a new uid: the old ReplicaSet is no longer ours.
        kube::DeploymentInfo again = demoDeployment();
        again.uid = QStringLiteral("uid-someone-else");
        scope.applyDeployment(again);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(added.count(), 2);
        QCOMPARE(scope.replicaSets().keys(), QList<QString>{stranger.name});
        QVERIFY(scope.pods().isEmpty()); // its pod went with it
    }

    void removalsSayWhetherThePodIsGone()
    {
        DeploymentScope scope(nullptr, kNs, kDeployment);
        QSignalSpy podsRemoved(&scope, &DeploymentScope::podRemoved);
        scope.applyDeployment(demoDeployment());
        const ReplicaSetInfo rs = replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 2);
        scope.applyReplicaSet(rs);
        const PodInfo a = pod(kV1, QStringLiteral("aaaaa"), true);
        const PodInfo b = pod(kV1, QStringLiteral("bbbbb"), true);
        scope.applyPod(a);
        scope.applyPod(b);
        scope.applyPodRemoved(a);
        QCOMPARE(podsRemoved.count(), 1);
        QCOMPARE(podsRemoved.last().at(1).toBool(), true); // deleted
        scope.applyReplicaSetRemoved(rs);
        QCOMPARE(podsRemoved.count(), 2);
        QCOMPARE(podsRemoved.last().at(1).toBool(), false); // only no longer ours
    }

    void thePodObserverSeesEveryPodEvent()
    {
        DeploymentScope scope(nullptr, kNs, kDeployment);
        QStringList seen;
        scope.setPodObserver([&seen](const PodInfo *before, const PodInfo *after) {
            seen << QStringLiteral("%1>%2").arg(before ? before->name : QStringLiteral("-"),
                                                after ? after->name : QStringLiteral("-"));
        });
        const PodInfo a = pod(kV1, QStringLiteral("aaaaa"), true); // not ours: no Deployment
        scope.applyPod(a);
        scope.applyPod(a);
        scope.applyPodRemoved(a);
        PodInfo elsewhere = a;
        elsewhere.ns = QStringLiteral("other");
        scope.applyPod(elsewhere); // another namespace: not seen at all
        QCOMPARE(seen,
                 (QStringList{QStringLiteral("->") + a.name, a.name + QStringLiteral(">") + a.name,
                              a.name + QStringLiteral(">-")}));
    }

    void eventsAndTheirVersions()
    {
        DeploymentScope scope(nullptr, kNs, kDeployment);
        QSignalSpy added(&scope, &DeploymentScope::eventAdded);
        scope.applyDeployment(demoDeployment());
        const QString rs2 = replicaSetName(kV2);
        // A pod's event before its ReplicaSet is known: a candidate, not ours yet.
        scope.applyEvent(kubeEvent(QStringLiteral("e1"), QStringLiteral("Pod"),
                                   rs2 + QStringLiteral("-xxxxx"), QStringLiteral("Pulling"),
                                   QStringLiteral("pulling"), 1));
        QCOMPARE(added.count(), 0);
        QVERIFY(scope.versionIdOfObject(QStringLiteral("Pod"), rs2 + QStringLiteral("-xxxxx"))
                    .isEmpty());
        scope.applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1));
        QCOMPARE(added.count(), 1);
        // The pod is not known yet: its version by its ReplicaSet's name.
        QCOMPARE(scope.versionIdOfObject(QStringLiteral("Pod"), rs2 + QStringLiteral("-xxxxx")),
                 kV2);
        QCOMPARE(scope.versionIdOfObject(QStringLiteral("ReplicaSet"), rs2), kV2);
        QVERIFY(scope.versionIdOfObject(QStringLiteral("Deployment"), kDeployment).isEmpty());
        // Another Deployment's event whose name starts the same: never ours.
        scope.applyEvent(kubeEvent(QStringLiteral("e2"), QStringLiteral("Deployment"),
                                   QStringLiteral("demo-dp-2"), QStringLiteral("Scaling"),
                                   QStringLiteral("x"), 2));
        QCOMPARE(added.count(), 1);
        QCOMPARE(scope.sharedEvents().size(), 1);
    }
};

ROLLSCOPE_TEST_MAIN(TestDeploymentScope)
#include "tst_deploymentscope.moc"
