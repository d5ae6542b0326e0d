// SPDX-License-Identifier: MIT
// RevisionHistoryModel under QAbstractItemModelTester, bound to a RolloutTracker fed with a
// recorded update and rollback: newest revision on top, the current marker follows the
// Deployment, a renumbered ReplicaSet moves with one row move.
#include "../unit/rollout/rolloutfixtures.h"
#include "itemmodels/revisionhistorymodel.h"
#include "rollout/rollouttracker.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::test;

namespace {
const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");

QList<qint64> revisions(const RevisionHistoryModel &model)
{
    QList<qint64> list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << model.index(row, 0).data(RevisionHistoryModel::RevisionRole).toLongLong();
    return list;
}
} // namespace

class TestRevisionHistoryModel : public QObject
{
    Q_OBJECT
private slots:
    void updateAndRollback()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));

        RevisionHistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(0));
        model.setTracker(&tracker);
        QCOMPARE(revisions(model), QList<qint64>{1});
        QVERIFY(model.index(0, 0).data(RevisionHistoryModel::CurrentRole).toBool());
        QCOMPARE(model.index(0, RevisionHistoryModel::ChangeCause).data().toString(),
                 QStringLiteral("<none>"));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);

        // set image v2.
        kube::ReplicaSetInfo v2 = replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1, 0, 0);
        v2.changeCause =
            QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2");
        tracker.scope().applyReplicaSet(v2);
        tracker.scope().applyDeployment(demoDeployment(imageOf(QStringLiteral("v2")), 2));
        QCOMPARE(revisions(model), (QList<qint64>{2, 1}));
        QVERIFY(model.index(0, 0).data(RevisionHistoryModel::CurrentRole).toBool());
        QVERIFY(!model.index(1, 0).data(RevisionHistoryModel::CurrentRole).toBool());
        QCOMPARE(model.index(0, RevisionHistoryModel::ChangeCause).data().toString(),
                 v2.changeCause);
        QCOMPARE(model.index(0, RevisionHistoryModel::Images).data().toString(),
                 imageOf(QStringLiteral("v2")));
        // v2 (ready 0 of 1) is current; v1 still serves: it is the one to return to.
        QCOMPARE(model.lastGoodRevision(), 1);
        QCOMPARE(model.index(0, RevisionHistoryModel::State).data().toString(),
                 QStringLiteral("current"));
        QCOMPARE(model.index(1, RevisionHistoryModel::State).data().toString(),
                 QStringLiteral("last good"));
        QVERIFY(model.index(1, 0).data(RevisionHistoryModel::LastGoodRole).toBool());
        QVERIFY(!model.index(0, 0).data(RevisionHistoryModel::LastGoodRole).toBool());

        // rollout undo: the v1 ReplicaSet becomes revision 3 and moves to the top.
        kube::ReplicaSetInfo reused = replicaSet(kV1, imageOf(QStringLiteral("v1")), 3, 3);
        reused.revisionHistory = QStringLiteral("1");
        tracker.scope().applyReplicaSet(reused);
        tracker.scope().applyDeployment(demoDeployment(imageOf(QStringLiteral("v1")), 3));
        QCOMPARE(revisions(model), (QList<qint64>{3, 2}));
        QCOMPARE(moves.count(), 1);
        QVERIFY(model.index(0, 0).data(RevisionHistoryModel::CurrentRole).toBool());
        QVERIFY(!model.index(1, 0).data(RevisionHistoryModel::CurrentRole).toBool());
        QCOMPARE(model.index(0, 0).data(RevisionHistoryModel::KeyRole).toString(),
                 replicaSetName(kV1));

        // History cleanup deletes the old one.
        tracker.scope().applyReplicaSetRemoved(v2);
        QCOMPARE(revisions(model), QList<qint64>{3});
        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(tracker.history().size(), 1);
    }

    void plainValues()
    {
        RevisionHistoryModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        kube::RevisionInfo a;
        a.revision = 4;
        a.replicaSetName = QStringLiteral("a");
        kube::RevisionInfo b;
        b.revision = 7;
        b.replicaSetName = QStringLiteral("b");
        b.current = true;
        model.setRevisions({a, b});
        QCOMPARE(revisions(model), (QList<qint64>{7, 4}));
        QCOMPARE(model.currentRevision(), 7);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setCurrentRevision(4);
        QCOMPARE(changes.count(), 2);
        QVERIFY(model.index(1, 0).data(RevisionHistoryModel::CurrentRole).toBool());
        // A ReplicaSet without a revision annotation is no row (kubectl skips it).
        model.onReplicaSetAdded(replicaSet(kV1, imageOf(QStringLiteral("v1")), 0, 0));
        QCOMPARE(model.rowCount(), 2);
    }
};

ROLLSCOPE_TEST_MAIN(TestRevisionHistoryModel)
#include "tst_revisionhistorymodel.moc"
