// SPDX-License-Identifier: MIT
// PodModel under QAbstractItemModelTester, bound to a RolloutTracker fed with a recorded rollout:
// kubectl's columns, version roles, terminating and failing pods.
#include "../unit/rollout/rolloutfixtures.h"
#include "itemmodels/podmodel.h"
#include "rollout/rollouttracker.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>

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
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        for (const char *suffix : {"aaaaa", "bbbbb", "ccccc"})
            tracker.scope().applyPod(pod(kV1, QString::fromLatin1(suffix), true));
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
        tracker.scope().applyDeployment(d);
        tracker.scope().applyReplicaSet(replicaSet(kV2, v2, 2, 1, 0, 0));
        kube::PodInfo x = pendingPod(kV2, QStringLiteral("xxxxx"), v2);
        tracker.scope().applyPod(x);
        tracker.flush();
        model.applyPending(); // the event loop's end of pass (kBatchedFeed)
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
        tracker.scope().applyPod(x);
        model.applyPending();
        QVERIFY(cell(rowX, 0, PodModel::FailingRole).toBool());
        QCOMPARE(cell(rowX, 0, PodModel::FailureReasonRole).toString(),
                 QStringLiteral("ImagePullBackOff"));
        QCOMPARE(cell(rowX, PodModel::Status).toString(), QStringLiteral("ImagePullBackOff"));
        QCOMPARE(cell(rowX, PodModel::Status, Qt::ToolTipRole).toString(),
                 QStringLiteral("Back-off pulling image"));
        QCOMPARE(cell(rowX, PodModel::Ready).toString(), QStringLiteral("0/1"));
        QCOMPARE(cell(rowX, PodModel::Node).toString(), QStringLiteral("sim-node-2"));

        const kube::PodInfo old = terminating(pod(kV1, QStringLiteral("aaaaa"), true));
        tracker.scope().applyPod(old);
        model.applyPending();
        QVERIFY(model.index(model.rowOf(old.name), 0).data(PodModel::TerminatingRole).toBool());
        QCOMPARE(model.index(model.rowOf(old.name), PodModel::Status).data().toString(),
                 QStringLiteral("Terminating"));
        tracker.scope().applyPodRemoved(old);
        model.applyPending();

        kube::PodInfo restarted = pod(kV1, QStringLiteral("bbbbb"), true);
        restarted.restarts = 3;
        restarted.lastRestart = at(-120);
        tracker.scope().applyPod(restarted);
        model.applyPending();
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

    // Sorted by the model's default (what the Rollout view shows first): the new version on top,
    // then the older versions from the most recent, each youngest pod first; pods of no known
    // version last. REPLICASET names the owner.
    void defaultSortIsNewVersionThenYoungest()
    {
        const QString kV0 = QStringLiteral("5d4c3b2a19");
        PodModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        kube::PodInfo orphan =
            pod(QStringLiteral("0000000000"), QStringLiteral("zzzzz"), true, {}, -1);
        orphan.podTemplateHash.clear();
        orphan.ownerKind.clear();
        orphan.ownerName.clear();
        model.setPods({pod(kV1, QStringLiteral("old-1"), true, {}, -300),
                       pod(kV2, QStringLiteral("new-1"), false, {}, -20),
                       pod(kV0, QStringLiteral("oldest"), true, {}, -900), orphan,
                       pod(kV1, QStringLiteral("old-2"), true, {}, -200),
                       pod(kV2, QStringLiteral("new-2"), false, {}, -10)});
        rollout::VersionInfo v0;
        v0.id = kV0;
        v0.replicaSet = replicaSetName(kV0);
        rollout::VersionInfo v1 = v0;
        v1.id = kV1;
        v1.replicaSet = replicaSetName(kV1);
        v1.colorIndex = 1;
        rollout::VersionInfo v2 = v0;
        v2.id = kV2;
        v2.replicaSet = replicaSetName(kV2);
        v2.colorIndex = 2;
        v2.isNew = true;
        model.setVersions({v0, v1, v2});

        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(PodModel::SortRole);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(PodModel::DefaultSortColumn, PodModel::DefaultSortOrder);
        auto shown = [&proxy] {
            QStringList list;
            for (int row = 0; row < proxy.rowCount(); ++row)
                list << proxy.index(row, PodModel::Name).data().toString().section(u'-', 3);
            return list;
        };
        QCOMPARE(shown(), (QStringList{QStringLiteral("new-2"), QStringLiteral("new-1"),
                                       QStringLiteral("old-2"), QStringLiteral("old-1"),
                                       QStringLiteral("oldest"), QStringLiteral("zzzzz")}));

        const int row = model.rowOf(replicaSetName(kV2) + QStringLiteral("-new-1"));
        QCOMPARE(model.headerData(PodModel::ReplicaSet, Qt::Horizontal).toString(),
                 QStringLiteral("REPLICASET"));
        QCOMPARE(model.index(row, PodModel::ReplicaSet).data().toString(), replicaSetName(kV2));
        QCOMPARE(model.index(model.rowOf(orphan.name), PodModel::ReplicaSet).data().toString(),
                 QString());

        // The rollout goes on: v2 is no longer new (v3 is, with no pod yet); v2's pods stay on
        // top of the older ones.
        v2.isNew = false;
        rollout::VersionInfo v3 = v0;
        v3.id = QStringLiteral("9f9f9f9f9f");
        v3.colorIndex = 3;
        v3.isNew = true;
        model.setVersions({v0, v1, v2, v3});
        QCOMPARE(shown().first(), QStringLiteral("new-2"));
        model.onAdded(pod(v3.id, QStringLiteral("v3-1"), false, {}, -1));
        QCOMPARE(shown().first(), QStringLiteral("v3-1"));
    }

    // Ages and restarts a little ahead of this machine's clock never read "<invalid>".
    void restartsAheadOfTheClock()
    {
        PodModel model;
        model.setNow(at(0));
        kube::PodInfo p = pod(kV1, QStringLiteral("aaaaa"), true);
        p.restarts = 2;
        p.lastRestart = at(5);
        model.setPods({p});
        QCOMPARE(model.index(0, PodModel::Restarts).data().toString(),
                 QStringLiteral("2 (0s ago)"));
        // The same for AGE (RolloutTableModel::age, shared by every rollout table).
        kube::PodInfo young = pod(kV1, QStringLiteral("bbbbb"), true);
        young.creationTimestamp = at(5);
        model.setPods({young});
        QCOMPARE(model.index(0, PodModel::Age).data().toString(), QStringLiteral("0s"));
    }
};

ROLLSCOPE_TEST_MAIN(TestPodModel)
#include "tst_podmodel.moc"
