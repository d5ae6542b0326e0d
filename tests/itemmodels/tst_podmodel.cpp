// PodModel under QAbstractItemModelTester, bound to a RolloutTracker fed with a recorded rollout:
// kubectl's columns, version roles, terminating and failing pods.
#include "../unit/rollout/rolloutfixtures.h"
#include "itemmodels/podmodel.h"
#include "rollout/rollouttracker.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::test;

namespace {
const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");
} // namespace

class TestPodModel : public QObject
{
    Q_OBJECT
private slots:
    void followsTheTrackerIncrementally()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.applyDeployment(demoDeployment());
        tracker.applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        for (const char *suffix : {"aaaaa", "bbbbb", "ccccc"})
            tracker.applyPod(pod(kV1, QString::fromLatin1(suffix), true));
        tracker.flush();

        PodModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(0));
        model.setTracker(&tracker);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, PodModel::Name).data().toString(),
                 replicaSetName(kV1) + QStringLiteral("-aaaaa"));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);

        // The recorded sequence: the v2 ReplicaSet, a pod that pulls, fails, one old pod goes.
        const QString v2 = imageOf(QStringLiteral("v9"));
        kube::DeploymentInfo d = demoDeployment(v2, 2);
        setStatus(d, 3, 0, 3, 3);
        tracker.applyDeployment(d);
        tracker.applyReplicaSet(replicaSet(kV2, v2, 2, 1, 0, 0));
        kube::PodInfo x = pendingPod(kV2, QStringLiteral("xxxxx"), v2);
        tracker.applyPod(x);
        tracker.flush();
        const int rowX = model.rowOf(x.name);
        QVERIFY(rowX >= 0);
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.index(row, column).data(role);
        };
        QCOMPARE(cell(rowX, PodModel::Version).toString(), v2);
        QCOMPARE(cell(rowX, PodModel::Node).toString(), QStringLiteral("<none>"));
        QCOMPARE(cell(rowX, PodModel::Status).toString(), QStringLiteral("Pending"));
        QCOMPARE(cell(rowX, 0, PodModel::ColorIndexRole).toInt(), 1);
        QVERIFY(cell(rowX, 0, PodModel::IsNewRole).toBool());
        QVERIFY(!cell(rowX, 0, PodModel::FailingRole).toBool());

        x = waiting(x, QStringLiteral("ImagePullBackOff"),
                    QStringLiteral("Back-off pulling image"));
        x.node = QStringLiteral("sim-node-2");
        tracker.applyPod(x);
        QVERIFY(cell(rowX, 0, PodModel::FailingRole).toBool());
        QCOMPARE(cell(rowX, 0, PodModel::FailureReasonRole).toString(),
                 QStringLiteral("ImagePullBackOff"));
        QCOMPARE(cell(rowX, PodModel::Status).toString(), QStringLiteral("ImagePullBackOff"));
        QCOMPARE(cell(rowX, PodModel::Status, Qt::ToolTipRole).toString(),
                 QStringLiteral("Back-off pulling image"));
        QCOMPARE(cell(rowX, PodModel::Ready).toString(), QStringLiteral("0/1"));
        QCOMPARE(cell(rowX, PodModel::Node).toString(), QStringLiteral("sim-node-2"));

        const kube::PodInfo old = terminating(pod(kV1, QStringLiteral("aaaaa"), true));
        tracker.applyPod(old);
        QVERIFY(model.index(model.rowOf(old.name), 0).data(PodModel::TerminatingRole).toBool());
        QCOMPARE(model.index(model.rowOf(old.name), PodModel::Status).data().toString(),
                 QStringLiteral("Terminating"));
        tracker.applyPodRemoved(old);

        kube::PodInfo restarted = pod(kV1, QStringLiteral("bbbbb"), true);
        restarted.restarts = 3;
        restarted.lastRestart = at(-120);
        tracker.applyPod(restarted);
        QCOMPARE(model.index(model.rowOf(restarted.name), PodModel::Restarts).data().toString(),
                 QStringLiteral("3 (2m ago)"));
        QCOMPARE(model.index(model.rowOf(restarted.name), PodModel::Restarts)
                     .data(PodModel::SortRole)
                     .toInt(),
                 3);

        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(removes.count(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(tracker.versionOfPod(x.name), kV2);
    }

    // A label change (a second version with the same image) reaches the existing rows.
    void versionLabelsFollow()
    {
        PodModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPods(
            {pod(kV1, QStringLiteral("aaaaa"), true), pod(kV2, QStringLiteral("bbbbb"), true)});
        QCOMPARE(model.index(0, PodModel::Version).data().toString(), kV1); // no versions yet
        rollout::VersionInfo a;
        a.id = kV1;
        a.label = QStringLiteral("bebullish/demo:v1 (rev 1)");
        a.replicaSet = replicaSetName(kV1);
        rollout::VersionInfo b = a;
        b.id = kV2;
        b.label = QStringLiteral("bebullish/demo:v1 (rev 2)");
        b.replicaSet = replicaSetName(kV2);
        b.colorIndex = 1;
        b.isNew = true;
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setVersions({a, b});
        QCOMPARE(changes.count(), 2);
        QCOMPARE(model.index(1, PodModel::Version).data().toString(), b.label);
        model.setVersions({a, b});
        QCOMPARE(changes.count(), 2); // nothing changed, nothing emitted
    }
};

ROLLSCOPE_TEST_MAIN(TestPodModel)
#include "tst_podmodel.moc"
