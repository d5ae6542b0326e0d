// SPDX-License-Identifier: MIT
// RolloutTracker fed with recorded sequences (what the informers deliver during a rollout), no
// cluster: versions and pod counts along the way, the events it records for the timeline, the
// outcome (once per rollout, never from stale data), event filtering and the sample bounds.
#include "rollout/rollouttracker.h"
#include "rolloutfixtures.h"
#include "testmain.h"

#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;
using kube::DeploymentInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

namespace {

const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");

// A tracker without a cluster, on a clock the test moves.
struct Replay
{
    Replay()
        : tracker(nullptr, kNs, kDeployment)
        , outcomes(&tracker, &RolloutTracker::outcomeReached)
        , started(&tracker, &RolloutTracker::rolloutStarted)
        , recorded(&tracker, &RolloutTracker::eventRecorded)
    {
        tracker.setClock([this] { return clockMs; });
    }

    // default/demo-dp complete at v1: 3 ready pods.
    void steadyV1()
    {
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        for (const char *suffix : {"aaaaa", "bbbbb", "ccccc"})
            tracker.scope().applyPod(
                pod(kV1, QString::fromLatin1(suffix), true, imageOf(QStringLiteral("v1"))));
        tracker.flush();
        recorded.clear(); // live from the start without a cluster: forget the setup
    }

    // kubectl set image demo=<image>: the Deployment as the PATCH left it, then as the controller
    // leaves it once it has created the new ReplicaSet with one pod (facts §7 B, t = 0).
    void changeImage(const QString &image, const QString &hash, qint64 revision = 2)
    {
        DeploymentInfo d = demoDeployment(imageOf(QStringLiteral("v1")), revision - 1);
        d.containers = {{QStringLiteral("demo"), image}};
        d.generation = revision;
        tracker.scope().applyDeployment(d);
        tick();
        tracker.scope().applyReplicaSet(replicaSet(hash, image, revision, 1, 0, 0));
        d.revision = revision;
        d.observedGeneration = revision;
        setStatus(d, 3, 0, 3, 3);
        setCondition(d, QStringLiteral("Progressing"), QStringLiteral("True"),
                     QStringLiteral("NewReplicaSetCreated"));
        tracker.scope().applyDeployment(d);
        deployment = d;
        tick();
    }

    // The rollout to v2 with every new pod ready and the Deployment's status saying complete,
    // while the tracker's view of v1 still wants one pod (its last scale-down not yet seen).
    void completeBeforeV1IsScaledDown()
    {
        tracker.markChange(clockMs);
        changeImage(imageOf(QStringLiteral("v2")), kV2);
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 1));
        tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 3));
        tick();
        DeploymentInfo done = deployment;
        setStatus(done, 3, 3, 3, 3);
        setCondition(done, QStringLiteral("Progressing"), QStringLiteral("True"),
                     QStringLiteral("NewReplicaSetAvailable"));
        tracker.scope().applyDeployment(done);
        deployment = done;
        tick();
    }

    void tick(qint64 ms = 100)
    {
        clockMs += ms;
        tracker.flush();
    }

    QStringList recordedTypes() const
    {
        QStringList types;
        for (const QList<QVariant> &args : recorded)
            types << args.first().value<RolloutEvent>().type;
        return types;
    }

    VersionPods counts(const QString &id) const
    {
        for (const VersionPods &c : tracker.podCounts()) {
            if (c.versionId == id)
                return c;
        }
        return {};
    }

    qint64 clockMs = 1'000'000;
    RolloutTracker tracker;
    DeploymentInfo deployment;
    QSignalSpy outcomes;
    QSignalSpy started;
    QSignalSpy recorded;
};

} // namespace

class TestRolloutTracker : public QObject
{
    Q_OBJECT
private slots:
    // The demo rollout to v2 as the informers deliver it (facts §7 B), step by step.
    void demoRolloutToComplete()
    {
        Replay r;
        r.steadyV1();
        QCOMPARE(r.tracker.status().state, RolloutState::Complete);
        QCOMPARE(r.started.count(), 0); // nothing in progress: no rollout
        QCOMPARE(r.counts(kV1), (VersionPods{kV1, 3, 3, 3, 0}));

        r.tracker.markChange(r.clockMs);
        QCOMPARE(r.started.count(), 1);
        QCOMPARE(r.tracker.originMs(), r.clockMs);
        // The stale "complete" status must not count as this rollout's outcome.
        r.tick();
        QCOMPARE(r.outcomes.count(), 0);

        const QString v2 = imageOf(QStringLiteral("v2"));
        r.changeImage(v2, kV2);
        QCOMPARE(r.started.count(), 1); // the ReplicaSet of the marked change, same rollout
        QCOMPARE(r.tracker.versions().size(), 2);
        QCOMPARE(r.tracker.versions().at(1).label, v2);
        QVERIFY(r.tracker.versions().at(1).isNew);
        QCOMPARE(r.tracker.status().state, RolloutState::Progressing);

        // T: the first v2 pod comes up; old 3 -> 2, new 1 -> 2.
        PodInfo x = pendingPod(kV2, QStringLiteral("xxxxx"), v2);
        r.tracker.scope().applyPod(x);
        x.node = QStringLiteral("sim-node-2");
        r.tracker.scope().applyPod(x);
        PodInfo xReady = pod(kV2, QStringLiteral("xxxxx"), true, v2, 0);
        r.tracker.scope().applyPod(xReady);
        r.tick();
        QCOMPARE(r.counts(kV2), (VersionPods{kV2, 1, 1, 1, 0}));
        r.tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 2));
        r.tracker.scope().applyPod(
            terminating(pod(kV1, QStringLiteral("aaaaa"), true, imageOf(QStringLiteral("v1")))));
        r.tracker.scope().applyReplicaSet(replicaSet(kV2, v2, 2, 2, 1, 0));
        r.tracker.scope().applyPod(pendingPod(kV2, QStringLiteral("yyyyy"), v2));
        r.tick();
        QCOMPARE(r.counts(kV1), (VersionPods{kV1, 2, 2, 2, 1}));
        QCOMPARE(r.counts(kV2), (VersionPods{kV2, 2, 1, 1, 0}));
        QCOMPARE(r.tracker.podVersions().value(x.name), kV2);
        r.tracker.scope().applyPodRemoved(pod(kV1, QStringLiteral("aaaaa"), false));

        // 2T and 3T.
        r.tracker.scope().applyPod(pod(kV2, QStringLiteral("yyyyy"), true, v2, 1));
        r.tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 1));
        r.tracker.scope().applyPod(terminating(pod(kV1, QStringLiteral("bbbbb"), true)));
        r.tracker.scope().applyReplicaSet(replicaSet(kV2, v2, 2, 3, 2, 0));
        r.tracker.scope().applyPod(pod(kV2, QStringLiteral("zzzzz"), true, v2, 2));
        r.tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 0));
        r.tracker.scope().applyPod(terminating(pod(kV1, QStringLiteral("ccccc"), true)));
        r.tick();
        QCOMPARE(r.outcomes.count(), 0); // the Deployment status still says 0 updated
        DeploymentInfo done = r.deployment;
        setStatus(done, 3, 3, 3, 3);
        setCondition(done, QStringLiteral("Progressing"), QStringLiteral("True"),
                     QStringLiteral("NewReplicaSetAvailable"));
        r.tracker.scope().applyDeployment(done);
        r.tick();
        QCOMPARE(r.tracker.status().state, RolloutState::Complete);
        QCOMPARE(r.outcomes.count(), 1);
        QCOMPARE(r.outcomes.first().first().value<RolloutStatus>().state, RolloutState::Complete);
        QCOMPARE(r.counts(kV2), (VersionPods{kV2, 3, 3, 3, 0}));
        QCOMPARE(r.counts(kV1), (VersionPods{kV1, 0, 0, 0, 2}));

        // Later changes do not repeat the outcome.
        r.tracker.scope().applyPodRemoved(pod(kV1, QStringLiteral("bbbbb"), false));
        r.tracker.scope().applyPodRemoved(pod(kV1, QStringLiteral("ccccc"), false));
        r.tick();
        QCOMPARE(r.outcomes.count(), 1);
        QCOMPARE(r.counts(kV1), (VersionPods{kV1, 0, 0, 0, 0}));

        const QStringList types = r.recordedTypes();
        for (const char *expected :
             {"ConditionChanged", "ReplicaSetCreated", "PodCreated", "PodScheduled", "PodStarted",
              "PodReady", "ReplicaSetScaled", "PodTerminating", "PodGone", "Outcome"})
            QVERIFY2(types.contains(QString::fromLatin1(expected)),
                     qPrintable(QString::fromLatin1(expected) + QStringLiteral(" missing from ") +
                                types.join(u", ")));
        QCOMPARE(types.count(QStringLiteral("PodCreated")), 3);
        QCOMPARE(types.count(QStringLiteral("PodGone")), 3);
        QCOMPARE(types.count(QStringLiteral("Outcome")), 1);
        // The request itself is the session's to record, with who asked and the answer.
        QVERIFY(!types.contains(QStringLiteral("ImageChangeRequested")));
        QCOMPARE(types.last(), QStringLiteral("PodGone"));
    }

    void crashLoopFailsWithTheReason()
    {
        Replay r;
        r.steadyV1();
        r.tracker.markChange(r.clockMs);
        const QString image = imageOf(QStringLiteral("v2-crash"));
        r.changeImage(image, kV2);
        PodInfo x = pod(kV2, QStringLiteral("xxxxx"), false, image, 0);
        r.tracker.scope().applyPod(x);
        r.tick();
        QCOMPARE(r.tracker.status().state, RolloutState::Progressing);
        x.restarts = 1;
        r.tracker.scope().applyPod(x);
        r.tick();
        QCOMPARE(r.outcomes.count(), 0);
        r.tracker.scope().applyPod(
            waiting(x, QStringLiteral("CrashLoopBackOff"),
                    QStringLiteral("back-off 10s restarting failed container")));
        r.tick();
        QCOMPARE(r.tracker.status().state, RolloutState::Failed);
        QCOMPARE(r.tracker.status().reason, QStringLiteral("CrashLoopBackOff"));
        QVERIFY(r.tracker.status().message.contains(x.name));
        QCOMPARE(r.outcomes.count(), 1);
        const RolloutStatus outcome = r.outcomes.first().first().value<RolloutStatus>();
        QCOMPARE(outcome.state, RolloutState::Failed);
        QCOMPARE(outcome.reason, QStringLiteral("CrashLoopBackOff"));
        QVERIFY(r.recordedTypes().contains(QStringLiteral("PodRestarted")));
        QVERIFY(r.recordedTypes().contains(QStringLiteral("PodFailing")));
        // Still failing, more restarts: no second outcome.
        x = waiting(x, QStringLiteral("CrashLoopBackOff"));
        x.restarts = 3;
        r.tracker.scope().applyPod(x);
        r.tick();
        QCOMPARE(r.outcomes.count(), 1);
    }

    void imagePullErrorFailsEarly()
    {
        Replay r;
        r.steadyV1();
        r.tracker.markChange(r.clockMs);
        const QString image = imageOf(QStringLiteral("v9"));
        r.changeImage(image, kV2);
        r.tracker.scope().applyPod(waiting(pendingPod(kV2, QStringLiteral("xxxxx"), image),
                                           QStringLiteral("ErrImagePull"),
                                           QStringLiteral("not found")));
        r.tick();
        QCOMPARE(r.tracker.status().state, RolloutState::Failed);
        QCOMPARE(r.tracker.status().reason, QStringLiteral("ErrImagePull"));
        QCOMPARE(r.outcomes.count(), 1); // at once, with v1 still wanting its 3 pods
        // The old version's pods are untouched and still count.
        QCOMPARE(r.counts(kV1), (VersionPods{kV1, 3, 3, 3, 0}));
        QCOMPARE(r.counts(kV2), (VersionPods{kV2, 1, 0, 0, 0}));
    }

    // A failed rollout, then a rollback (no markChange: kubectl rollout undo): the stale
    // ProgressDeadlineExceeded condition is not the rollback's outcome.
    void deadlineThenRollback()
    {
        Replay r;
        r.steadyV1();
        r.tracker.markChange(r.clockMs);
        const QString image = imageOf(QStringLiteral("v2-neverready"));
        r.changeImage(image, kV2);
        r.tracker.scope().applyPod(pod(kV2, QStringLiteral("xxxxx"), false, image, 0));
        r.tick();
        DeploymentInfo timedOut = r.deployment;
        setStatus(timedOut, 4, 1, 3, 3);
        setCondition(timedOut, QStringLiteral("Progressing"), QStringLiteral("False"),
                     QStringLiteral("ProgressDeadlineExceeded"),
                     QStringLiteral("ReplicaSet \"demo-dp-6b5b87b666\" has timed out progressing."),
                     30);
        r.tracker.scope().applyDeployment(timedOut);
        r.tick();
        QCOMPARE(r.outcomes.count(), 1);
        QCOMPARE(r.outcomes.last().first().value<RolloutStatus>().reason,
                 QStringLiteral("ProgressDeadlineExceeded"));

        // rollout undo: template back to v1, the controller renumbers the v1 ReplicaSet to 3.
        DeploymentInfo undo = timedOut;
        undo.containers = {{QStringLiteral("demo"), imageOf(QStringLiteral("v1"))}};
        undo.generation = 3;
        r.tracker.scope().applyDeployment(undo);
        r.tick();
        ReplicaSetInfo reused = replicaSet(kV1, imageOf(QStringLiteral("v1")), 3, 3);
        reused.revisionHistory = QStringLiteral("1");
        r.tracker.scope().applyReplicaSet(reused);
        undo.revision = 3;
        undo.observedGeneration = 3;
        r.tracker.scope().applyDeployment(undo);
        r.tick();
        QCOMPARE(r.started.count(), 2); // the rollback is a rollout of its own
        QCOMPARE(r.tracker.newVersionId(), kV1);
        QCOMPARE(r.tracker.status().state, RolloutState::Failed); // the condition still says so
        QCOMPARE(r.outcomes.count(), 1);                          // but it is not this outcome
        QVERIFY(r.recordedTypes().contains(QStringLiteral("RolledBack")));

        r.tracker.scope().applyReplicaSet(replicaSet(kV2, image, 2, 0, 0));
        r.tracker.scope().applyPod(terminating(pod(kV2, QStringLiteral("xxxxx"), false, image, 0)));
        setStatus(undo, 3, 3, 3, 3);
        setCondition(undo, QStringLiteral("Progressing"), QStringLiteral("True"),
                     QStringLiteral("NewReplicaSetAvailable"), {}, 40);
        r.tracker.scope().applyDeployment(undo);
        r.tick();
        QCOMPARE(r.outcomes.count(), 2);
        QCOMPARE(r.outcomes.last().first().value<RolloutStatus>().state, RolloutState::Complete);
    }

    void startedInTheMiddleOfARollout()
    {
        Replay r;
        DeploymentInfo d = demoDeployment(imageOf(QStringLiteral("v2")), 2);
        setStatus(d, 4, 1, 3, 3);
        r.tracker.scope().applyDeployment(d);
        r.tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        r.tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1, 0));
        r.tick();
        QCOMPARE(r.started.count(), 1);
        QCOMPARE(r.tracker.originMs(), r.clockMs); // t = 0 is when it was first seen
        QVERIFY(r.tracker.rolloutActive());
        QCOMPARE(r.tracker.versions().size(), 2);
        QCOMPARE(r.tracker.versions().at(0).id, kV1); // colours by revision
        QCOMPARE(r.tracker.versions().at(1).colorIndex, 1);
        // As the controller does it: the old ReplicaSet scaled to 0, then the status.
        r.tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 0));
        r.tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 3));
        setStatus(d, 3, 3, 3, 3);
        r.tracker.scope().applyDeployment(d);
        r.tick();
        QCOMPARE(r.outcomes.count(), 1);
    }

    // The Deployment's status (its watch) says complete before the old ReplicaSet's last
    // scale-down (another watch) has arrived: the outcome waits for it, so the timeline holds
    // the scale-down before the outcome, in the order the controller made them.
    void completeWaitsForTheOldReplicaSetsScaleDown()
    {
        Replay r;
        r.steadyV1();
        r.completeBeforeV1IsScaledDown();
        QCOMPARE(r.tracker.status().state, RolloutState::Complete); // what kubectl would say
        QCOMPARE(r.outcomes.count(), 0); // but v1 still wants a pod in the tracker's view

        r.tick(3);
        QCOMPARE(r.outcomes.count(), 0); // nothing new: still waiting
        r.tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 0));
        r.tick(3);
        QCOMPARE(r.outcomes.count(), 1);
        const QStringList types = r.recordedTypes();
        QCOMPARE(types.last(), QStringLiteral("Outcome"));
        QCOMPARE(types.at(types.size() - 2), QStringLiteral("ReplicaSetScaled"));
        // A failure is not held back by the old ReplicaSets: imagePullErrorFailsEarly.
    }

    // The wait is bounded: a ReplicaSet watch that never delivers the scale-down delays the
    // outcome by outcomeWaitMs and no more; a status that stops saying Complete meanwhile
    // ends that wait.
    void outcomeWaitIsBounded()
    {
        Replay r;
        TrackerOptions options;
        options.outcomeWaitMs = 50;
        r.tracker.setOptions(options);
        r.steadyV1();
        r.completeBeforeV1IsScaledDown();
        QCOMPARE(r.outcomes.count(), 0);
        // Back to progressing before the wait is over: no outcome from the stale wait.
        DeploymentInfo again = r.deployment;
        setStatus(again, 4, 3, 3, 3);
        r.tracker.scope().applyDeployment(again);
        r.tick();
        QCOMPARE(r.tracker.status().state, RolloutState::Progressing);
        QVERIFY(!r.outcomes.wait(150));
        QCOMPARE(r.outcomes.count(), 0);

        r.tracker.scope().applyDeployment(r.deployment);
        r.tick();
        QCOMPARE(r.outcomes.count(), 0);
        QVERIFY(r.outcomes.wait(5000)); // the old ReplicaSet never said 0
        QCOMPARE(r.outcomes.count(), 1);
        QCOMPARE(r.outcomes.first().first().value<RolloutStatus>().state, RolloutState::Complete);
        QCOMPARE(r.recordedTypes().last(), QStringLiteral("Outcome"));
    }

    // kubectl set image from elsewhere (no markChange): the new ReplicaSet begins the rollout.
    void externalChangeStartsARollout()
    {
        Replay r;
        r.steadyV1();
        r.clockMs += 5000;
        r.changeImage(imageOf(QStringLiteral("v2")), kV2);
        QCOMPARE(r.started.count(), 1);
        QCOMPARE(r.started.first().first().toLongLong(), r.clockMs); // when the ReplicaSet was seen
        QVERIFY(!r.recordedTypes().contains(QStringLiteral("ImageChangeRequested")));
    }

    void pausedAndResumedAreRecorded()
    {
        Replay r;
        r.steadyV1();
        DeploymentInfo d = demoDeployment();
        d.paused = true;
        setCondition(d, QStringLiteral("Progressing"), QStringLiteral("Unknown"),
                     QStringLiteral("DeploymentPaused"), QStringLiteral("Deployment is paused"));
        r.tracker.scope().applyDeployment(d);
        r.tick();
        QCOMPARE(r.tracker.status().state, RolloutState::Paused);
        d.paused = false;
        setCondition(d, QStringLiteral("Progressing"), QStringLiteral("Unknown"),
                     QStringLiteral("DeploymentResumed"), QStringLiteral("Deployment is resumed"));
        r.tracker.scope().applyDeployment(d);
        d.replicas = 5;
        r.tracker.scope().applyDeployment(d);
        r.tick();
        const QStringList types = r.recordedTypes();
        QCOMPARE(types.count(QStringLiteral("Paused")), 1);
        QCOMPARE(types.count(QStringLiteral("Resumed")), 1);
        QCOMPARE(types.count(QStringLiteral("Scaled")), 1);
        QCOMPARE(types.count(QStringLiteral("ConditionChanged")), 2);
        QCOMPARE(r.tracker.strategy().maxTotal, 7); // 5 + ceil(1.25)
    }

    // Events of the namespace: only the Deployment's, its ReplicaSets' and their pods'.
    void kubernetesEventsAreFiltered()
    {
        Replay r;
        QSignalSpy added(&r.tracker, &RolloutTracker::eventAdded);
        QSignalSpy removed(&r.tracker, &RolloutTracker::eventRemoved);
        r.steadyV1();
        const QString rs = replicaSetName(kV1);
        // A pod's event before the pod is known, and one of a pod that is gone: both belong.
        r.tracker.scope().applyEvent(
            kubeEvent(QStringLiteral("e1"), QStringLiteral("Pod"), rs + QStringLiteral("-qqqqq"),
                      QStringLiteral("Scheduled"), QStringLiteral("assigned"), 1));
        r.tracker.scope().applyEvent(kubeEvent(QStringLiteral("e2"), QStringLiteral("ReplicaSet"),
                                               rs, QStringLiteral("SuccessfulCreate"),
                                               QStringLiteral("Created pod"), 2));
        r.tracker.scope().applyEvent(kubeEvent(QStringLiteral("e3"), QStringLiteral("Deployment"),
                                               kDeployment, QStringLiteral("ScalingReplicaSet"),
                                               QStringLiteral("Scaled up"), 3));
        // Not ours: another Deployment whose name starts the same, and an unrelated pod.
        r.tracker.scope().applyEvent(kubeEvent(
            QStringLiteral("e4"), QStringLiteral("Deployment"), QStringLiteral("demo-dp-2"),
            QStringLiteral("ScalingReplicaSet"), QStringLiteral("x"), 4));
        r.tracker.scope().applyEvent(kubeEvent(QStringLiteral("e5"), QStringLiteral("Pod"),
                                               QStringLiteral("demo-dp-2-5d8f7c9b6d-abcde"),
                                               QStringLiteral("Pulled"), QStringLiteral("x"), 5));
        r.tracker.scope().applyEvent(kubeEvent(QStringLiteral("e6"), QStringLiteral("Pod"),
                                               QStringLiteral("cart-5d8f7c9b6d-abcde"),
                                               QStringLiteral("Pulled"), QStringLiteral("x"), 6));
        QCOMPARE(added.count(), 3);
        QCOMPARE(r.tracker.events().size(), 3);
        QCOMPARE(r.tracker.events().last().name, QStringLiteral("e3"));

        // A ReplicaSet's events arrive before the ReplicaSet itself.
        const QString rs2 = replicaSetName(kV2);
        r.tracker.scope().applyEvent(kubeEvent(QStringLiteral("e7"), QStringLiteral("ReplicaSet"),
                                               rs2, QStringLiteral("SuccessfulCreate"),
                                               QStringLiteral("Created pod"), 7));
        QCOMPARE(added.count(), 3);
        r.tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1));
        QCOMPARE(added.count(), 4);

        // Warnings become warnings in the timeline, with the version.
        kube::EventInfo backoff =
            kubeEvent(QStringLiteral("e8"), QStringLiteral("Pod"), rs2 + QStringLiteral("-xxxxx"),
                      QStringLiteral("BackOff"), QStringLiteral("Back-off pulling image"), 8,
                      QStringLiteral("Warning"));
        r.tracker.scope().applyEvent(backoff);
        const RolloutEvent last = r.recorded.last().first().value<RolloutEvent>();
        QCOMPARE(last.type, QStringLiteral("KubernetesEvent"));
        QCOMPARE(last.severity, RolloutEvent::Severity::Warning);
        QCOMPARE(last.versionId, kV2);
        QCOMPARE(last.object, QStringLiteral("pod/") + rs2 + QStringLiteral("-xxxxx"));
        // Seen again: counted again.
        const int before = int(r.recorded.count());
        backoff.count = 2;
        backoff.lastTimestamp = at(9);
        r.tracker.scope().applyEvent(backoff);
        QCOMPARE(r.recorded.count(), before + 1);

        r.tracker.scope().applyEventRemoved(backoff);
        QCOMPARE(removed.count(), 1);
        // The ReplicaSet goes: its events go from the list.
        r.tracker.scope().applyReplicaSetRemoved(
            replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 0));
        QCOMPARE(removed.count(), 2);
    }

    // Samples: taken while live, in time order, bounded (older ones thinned, then dropped).
    void samplesAreBounded()
    {
        Replay r;
        TrackerOptions options;
        options.sampleIntervalMs = 500;
        options.fullResolutionMs = 10'000;
        options.archiveSpacingMs = 5'000;
        options.maxArchivedSamples = 3;
        r.tracker.setOptions(options);
        QSignalSpy appended(&r.tracker, &RolloutTracker::samplesAppended);
        r.steadyV1();
        for (int i = 0; i < 600; ++i) {
            r.clockMs += 500;
            r.tracker.sampleNow();
        }
        QCOMPARE(appended.count(), 600);
        const QList<PodCountSample> samples = r.tracker.samples();
        QVERIFY2(samples.size() <= 21 + 3 + 120, qPrintable(QString::number(samples.size())));
        QCOMPARE(samples.last().timeMs, r.clockMs);
        for (qsizetype i = 1; i < samples.size(); ++i)
            QVERIFY(samples.at(i).timeMs > samples.at(i - 1).timeMs);
        // The last 10 s are complete.
        qsizetype recent = 0;
        for (const PodCountSample &s : samples)
            recent += s.timeMs >= r.clockMs - 10'000 ? 1 : 0;
        QCOMPARE(recent, 21);
        const PodCountSample &s = samples.last();
        QCOMPARE(s.desired, 3);
        QCOMPARE(s.maxTotal, 4);
        QCOMPARE(s.minAvailable, 3);
        QCOMPARE(s.versions, (QList<VersionPods>{{kV1, 3, 3, 3, 0}}));
    }

    // With the event loop: samples come in batches, one signal for many changes.
    void changesAreSampledInBatches()
    {
        Replay r;
        TrackerOptions options;
        options.sampleIntervalMs = 60'000; // only change samples in this test
        options.minSampleSpacingMs = 50;
        options.batchIntervalMs = 100;
        r.tracker.setOptions(options);
        QSignalSpy appended(&r.tracker, &RolloutTracker::samplesAppended);
        r.tracker.start();
        r.steadyV1();
        // A burst of watch events in one pass: one sample, not one per event.
        for (const char *suffix : {"ddddd", "eeeee", "fffff", "ggggg"})
            r.tracker.scope().applyPod(pod(kV1, QString::fromLatin1(suffix), false));
        QTRY_COMPARE(appended.count(), 1);
        const QList<PodCountSample> batch = appended.first().first().value<QList<PodCountSample>>();
        QCOMPARE(batch.size(), 1);
        QCOMPARE(batch.first().versions.first().total, 7);
        r.tracker.stop();
    }

    // The careless strategy seen by a client that lags: the old pods' deletions and the new pods
    // arrive in one pass, so no sample ever shows 0 available. The sample still carries what
    // the events went through: none available at one point, at most 3 pods.
    void samplesCarryTheExtremesBetweenThem()
    {
        Replay r;
        TrackerOptions options;
        options.sampleIntervalMs = 60'000;
        options.minSampleSpacingMs = 50;
        options.batchIntervalMs = 100;
        r.tracker.setOptions(options);
        QSignalSpy appended(&r.tracker, &RolloutTracker::samplesAppended);
        r.tracker.start();
        r.steadyV1();
        QTRY_VERIFY(!appended.isEmpty()); // the steady state, sampled
        appended.clear();
        const QString v1 = imageOf(QStringLiteral("v1"));
        r.tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 3));
        for (const char *suffix : {"aaaaa", "bbbbb", "ccccc"})
            r.tracker.scope().applyPod(
                terminating(pod(kV1, QString::fromLatin1(suffix), true, v1)));
        for (const char *suffix : {"xxxxx", "yyyyy", "zzzzz"})
            r.tracker.scope().applyPod(
                pod(kV2, QString::fromLatin1(suffix), true, imageOf(QStringLiteral("v2")), 0));
        QTRY_VERIFY(!appended.isEmpty());
        const PodCountSample sample = appended.last().first().value<QList<PodCountSample>>().last();
        int available = 0;
        for (const VersionPods &v : sample.versions)
            available += v.available;
        QCOMPARE(available, 3);           // the state the batch ended in
        QCOMPARE(sample.lowAvailable, 0); // ... and the one it went through
        QCOMPARE(sample.peakTotal, 3);
        r.tracker.stop();
    }
};

ROLLSCOPE_TEST_MAIN(TestRolloutTracker)
#include "tst_rollouttracker.moc"
