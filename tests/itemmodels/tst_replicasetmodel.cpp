// SPDX-License-Identifier: MIT
// ReplicaSetModel under QAbstractItemModelTester, bound to a RolloutTracker fed with a recorded
// rollout: rows appear, change and go one at a time; version roles follow versionsChanged.
#include "../unit/rollout/rolloutfixtures.h"
#include "itemmodels/replicasetmodel.h"
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

class TestReplicaSetModel : public QObject
{
    Q_OBJECT
private slots:
    void followsTheTrackerIncrementally()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        tracker.flush();

        ReplicaSetModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(0));
        model.setTracker(&tracker);
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        const QModelIndex v1 = model.index(0, 0);
        QCOMPARE(v1.data(ReplicaSetModel::ColorIndexRole).toInt(), 0);
        QVERIFY(v1.data(ReplicaSetModel::IsNewRole).toBool());

        // The recorded rollout: v2 appears, grows, v1 shrinks; an old history ReplicaSet is
        // cleaned up.
        tracker.scope().applyReplicaSet(
            replicaSet(QStringLiteral("5d8f7c9b6d"), imageOf(QStringLiteral("v0")), 0, 0));
        kube::DeploymentInfo d = demoDeployment(imageOf(QStringLiteral("v2")), 2);
        setStatus(d, 3, 1, 3, 3);
        tracker.scope().applyDeployment(d);
        tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1, 0, 0));
        tracker.flush();
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 2));
        tracker.scope().applyReplicaSet(replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 2, 1, 0));
        tracker.scope().applyReplicaSetRemoved(
            replicaSet(QStringLiteral("5d8f7c9b6d"), imageOf(QStringLiteral("v0")), 0, 0));
        tracker.flush();

        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserts.count(), 2);
        QCOMPARE(removes.count(), 1);
        QVERIFY(changes.count() >= 3);
        QCOMPARE(model.rowCount(), 2);

        const int rowV2 = model.rowOf(replicaSetName(kV2));
        QVERIFY(rowV2 >= 0);
        auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
            return model.index(row, column).data(role);
        };
        QCOMPARE(cell(rowV2, ReplicaSetModel::Revision).toLongLong(), 2);
        QCOMPARE(cell(rowV2, ReplicaSetModel::Image).toString(), imageOf(QStringLiteral("v2")));
        QCOMPARE(cell(rowV2, ReplicaSetModel::Desired).toInt(), 2);
        QCOMPARE(cell(rowV2, ReplicaSetModel::Ready).toInt(), 1);
        QCOMPARE(cell(rowV2, ReplicaSetModel::Age).toString(), QStringLiteral("0s"));
        QCOMPARE(cell(rowV2, 0, ReplicaSetModel::ColorIndexRole).toInt(), 1);
        QVERIFY(cell(rowV2, 0, ReplicaSetModel::IsNewRole).toBool());
        QCOMPARE(cell(rowV2, 0, ReplicaSetModel::VersionRole).toString(), kV2);
        QCOMPARE(cell(rowV2, 0, ReplicaSetModel::VersionLabelRole).toString(),
                 imageOf(QStringLiteral("v2")));
        const int rowV1 = model.rowOf(replicaSetName(kV1));
        QVERIFY(!cell(rowV1, 0, ReplicaSetModel::IsNewRole).toBool());
        QCOMPARE(cell(rowV1, ReplicaSetModel::Age).toString(), QStringLiteral("10m"));
        QCOMPARE(model.headerData(ReplicaSetModel::Available, Qt::Horizontal).toString(),
                 QStringLiteral("AVAILABLE"));

        // Unbinding empties the model with one reset.
        model.setTracker(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCOMPARE(resets.count(), 1);
    }

    void plainValues()
    {
        ReplicaSetModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setReplicaSets({replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 0),
                              replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 3)});
        QCOMPARE(model.index(0, 0).data(ReplicaSetModel::ColorIndexRole).toInt(), -1);
        rollout::VersionInfo v;
        v.id = kV2;
        v.replicaSet = replicaSetName(kV2);
        v.colorIndex = 0;
        v.isNew = true;
        v.label = imageOf(QStringLiteral("v2"));
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setVersions({v});
        QCOMPARE(changes.count(), 1); // only the row whose version changed
        QCOMPARE(model.index(1, 0).data(ReplicaSetModel::ColorIndexRole).toInt(), 0);
        model.onUpdated({}, replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 4));
        QCOMPARE(model.index(1, ReplicaSetModel::Desired).data().toInt(), 4);
        QCOMPARE(model.index(1, ReplicaSetModel::Desired).data(ReplicaSetModel::SortRole).toInt(),
                 4);
    }

    // Sorted by the model's default, the newest revision comes first.
    void defaultSortIsNewestRevisionFirst()
    {
        ReplicaSetModel model;
        model.setReplicaSets(
            {replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 0),
             replicaSet(kV2, imageOf(QStringLiteral("v2")), 3, 3),
             replicaSet(QStringLiteral("5d4c3b2a19"), imageOf(QStringLiteral("v0")), 2, 0)});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(ReplicaSetModel::SortRole);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(ReplicaSetModel::DefaultSortColumn, ReplicaSetModel::DefaultSortOrder);
        QList<qint64> revisions;
        for (int row = 0; row < proxy.rowCount(); ++row)
            revisions << proxy.index(row, ReplicaSetModel::Revision).data().toLongLong();
        QCOMPARE(revisions, (QList<qint64>{3, 2, 1}));
    }
};

ROLLSCOPE_TEST_MAIN(TestReplicaSetModel)
#include "tst_replicasetmodel.moc"
