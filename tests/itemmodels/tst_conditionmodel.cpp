// SPDX-License-Identifier: MIT
// ConditionModel under QAbstractItemModelTester, bound to a RolloutTracker fed with the
// Deployment's recorded conditions: rows change in place, appear and go.
#include "../unit/rollout/rolloutfixtures.h"
#include "itemmodels/conditionmodel.h"
#include "rollout/rollouttracker.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::test;

class TestConditionModel : public QObject
{
    Q_OBJECT
private slots:
    void followsTheDeployment()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        kube::DeploymentInfo d = demoDeployment();
        tracker.scope().applyDeployment(d);

        ConditionModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(120));
        model.setTracker(&tracker);
        QCOMPARE(model.rowCount(), 2);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        auto cell = [&](const QString &type, int column, int role = Qt::DisplayRole) {
            return model.index(model.rowOf(type), column).data(role);
        };
        const QString progressing = QStringLiteral("Progressing");
        QCOMPARE(cell(progressing, ConditionModel::Reason).toString(),
                 QStringLiteral("NewReplicaSetAvailable"));
        QCOMPARE(cell(progressing, ConditionModel::LastUpdate).toString(), QStringLiteral("2m"));

        // Recorded: the rollout starts, times out, a quota failure appears, then clears.
        setCondition(d, progressing, QStringLiteral("True"), QStringLiteral("ReplicaSetUpdated"),
                     {}, 60);
        tracker.scope().applyDeployment(d);
        setCondition(
            d, progressing, QStringLiteral("False"), QStringLiteral("ProgressDeadlineExceeded"),
            QStringLiteral("ReplicaSet \"demo-dp-6b5b87b666\" has timed out progressing."), 90);
        setCondition(d, QStringLiteral("ReplicaFailure"), QStringLiteral("True"),
                     QStringLiteral("FailedCreate"), QStringLiteral("exceeded quota"), 90);
        tracker.scope().applyDeployment(d);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(cell(progressing, ConditionModel::Status).toString(), QStringLiteral("False"));
        QCOMPARE(cell(progressing, 0, ConditionModel::SeverityRole).toInt(),
                 int(rollout::RolloutEvent::Severity::Error));
        QCOMPARE(cell(QStringLiteral("Available"), 0, ConditionModel::SeverityRole).toInt(),
                 int(rollout::RolloutEvent::Severity::Info));
        QCOMPARE(cell(progressing, ConditionModel::LastTransition).toString(),
                 QStringLiteral("30s"));
        QCOMPARE(cell(progressing, ConditionModel::LastUpdate, Qt::ToolTipRole).toString(),
                 QStringLiteral("2026-11-26T20:01:30Z"));

        d.conditions.removeLast();
        tracker.scope().applyDeployment(d);
        QCOMPARE(model.rowCount(), 2);
        // The same conditions again (only the status counters moved): no row signal.
        const int before = int(changes.count());
        setStatus(d, 4, 1, 3, 3);
        tracker.scope().applyDeployment(d);
        QCOMPARE(changes.count(), before);

        QCOMPARE(resets.count(), 0);
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(removes.count(), 1);
        QCOMPARE(changes.count(), 2);

        tracker.scope().applyDeploymentRemoved(d);
        QCOMPARE(model.rowCount(), 0);
    }
};

ROLLSCOPE_TEST_MAIN(TestConditionModel)
#include "tst_conditionmodel.moc"
