// SPDX-License-Identifier: MIT
#include "itemmodels/deploymentlistmodel.h"
#include "rollout/statusrules.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>

using namespace rollscope;
using kube::DeploymentInfo;
using rollout::RolloutState;

namespace {

DeploymentInfo deployment(const QString &ns, const QString &name, int replicas, int ready,
                          int updated, const QString &image, qint64 generation = 1,
                          qint64 observed = 1)
{
    const QString json = QStringLiteral(R"({"metadata":{"namespace":"%1","name":"%2","uid":"uid-%2",
        "generation":%7,"creationTimestamp":"2026-11-26T20:00:00Z"},
      "spec":{"replicas":%3,"selector":{"matchLabels":{"app":"%2"}},
              "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
              "template":{"metadata":{"labels":{"app":"%2"}},"spec":{"containers":[{"name":"c","image":"%6"}]}}},
      "status":{"observedGeneration":%8,"replicas":%3,"readyReplicas":%4,"availableReplicas":%4,"updatedReplicas":%5}})")
                             .arg(ns, name)
                             .arg(replicas)
                             .arg(ready)
                             .arg(updated)
                             .arg(image)
                             .arg(generation)
                             .arg(observed);
    return DeploymentInfo::fromJson(QJsonDocument::fromJson(json.toUtf8()).object());
}

} // namespace

class TestDeploymentListModel : public QObject
{
    Q_OBJECT
private slots:
    void recordedSequenceUpdatesIncrementally()
    {
        DeploymentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(QDateTime(QDate(2026, 11, 26), QTime(20, 5), Qt::UTC));
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);

        // A recorded sequence: three arrive, one rolls out, one goes away.
        const DeploymentInfo demo = deployment(QStringLiteral("default"), QStringLiteral("demo-dp"),
                                               3, 3, 3, QStringLiteral("bebullish/demo:v1"));
        model.onAdded(demo);
        model.onAdded(deployment(QStringLiteral("shop"), QStringLiteral("cart"), 1, 1, 1,
                                 QStringLiteral("redis:7")));
        model.onAdded(deployment(QStringLiteral("shop"), QStringLiteral("frontend"), 2, 2, 2,
                                 QStringLiteral("nginx:1.27")));
        QCOMPARE(model.rowCount(), 3);
        const DeploymentInfo rolling =
            deployment(QStringLiteral("default"), QStringLiteral("demo-dp"), 3, 2, 1,
                       QStringLiteral("bebullish/demo:v2"), 2, 2);
        model.onUpdated(demo, rolling);
        model.onRemoved(deployment(QStringLiteral("shop"), QStringLiteral("cart"), 1, 1, 1,
                                   QStringLiteral("redis:7")));

        QCOMPARE(resets.count(), 0); // incremental, never a reset per event
        QCOMPARE(inserts.count(), 3);
        QCOMPARE(removes.count(), 1);
        QVERIFY(changes.count() >= 1);
        QCOMPARE(model.rowCount(), 2);

        const QModelIndex demoRow = model.indexOfKey(QStringLiteral("default/demo-dp"));
        QVERIFY(demoRow.isValid());
        auto cell = [&](int column) {
            return model.index(demoRow.row(), column).data().toString();
        };
        QCOMPARE(cell(DeploymentListModel::Ready), QStringLiteral("2/3"));
        QCOMPARE(cell(DeploymentListModel::UpToDate), QStringLiteral("1"));
        QCOMPARE(cell(DeploymentListModel::Images), QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(cell(DeploymentListModel::Strategy), QStringLiteral("Rolling 25%/25%"));
        QCOMPARE(cell(DeploymentListModel::Status), QStringLiteral("Progressing"));
        QCOMPARE(cell(DeploymentListModel::Age), QStringLiteral("5m"));
        QVERIFY(!model.indexOfKey(QStringLiteral("shop/cart")).isValid());
    }

    void statusFollowsTheController_data()
    {
        QTest::addColumn<QByteArray>("patch");
        QTest::addColumn<int>("status");
        QTest::newRow("complete") << QByteArray() << int(RolloutState::Complete);
        QTest::newRow("generation not observed")
            << QByteArray(R"({"metadata":{"generation":2}})") << int(RolloutState::Progressing);
        QTest::newRow("paused") << QByteArray(R"({"spec":{"paused":true}})")
                                << int(RolloutState::Paused);
        QTest::newRow("deadline exceeded")
            << QByteArray(
                   R"({"status":{"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}})")
            << int(RolloutState::Failed);
        QTest::newRow("replica failure")
            << QByteArray(
                   R"({"status":{"conditions":[{"type":"ReplicaFailure","status":"True","reason":"FailedCreate","message":"quota"}]}})")
            << int(RolloutState::Failed);
        QTest::newRow("old replicas pending termination")
            << QByteArray(R"({"status":{"replicas":3}})") << int(RolloutState::Progressing);
    }

    void statusFollowsTheController()
    {
        QFETCH(QByteArray, patch);
        QFETCH(int, status);
        QJsonObject base = QJsonDocument::fromJson(R"({"metadata":{"name":"d","generation":1},
            "spec":{"replicas":2},"status":{"observedGeneration":1,"replicas":2,"updatedReplicas":2,"availableReplicas":2}})")
                               .object();
        const QJsonObject extra = QJsonDocument::fromJson(patch).object();
        for (auto it = extra.begin(); it != extra.end(); ++it) {
            QJsonObject part = base.value(it.key()).toObject();
            const QJsonObject add = it.value().toObject();
            for (auto a = add.begin(); a != add.end(); ++a)
                part.insert(a.key(), a.value());
            base.insert(it.key(), part);
        }
        const DeploymentInfo d = DeploymentInfo::fromJson(base);
        // One rule set: the list says what the Rollout view's rules say without pods.
        const rollout::RolloutStatus expected = rollout::evaluateStatus(d, {}, 2);
        QCOMPARE(int(expected.state), status);
        QCOMPARE(DeploymentListModel::statusOf(d), expected);

        DeploymentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDeployments({d});
        const QModelIndex cell = model.index(0, DeploymentListModel::Status);
        QCOMPARE(cell.data(DeploymentListModel::StatusRole).toInt(), status);
        QCOMPARE(cell.data().toString(), rollout::stateText(RolloutState(status)));
        QCOMPARE(cell.data(Qt::ToolTipRole).toString(), expected.message);
    }

    // The Rollout view sees the pods too: its status for the Deployment it watches (Failed on
    // ImagePullBackOff while the Deployment alone still reads Progressing) is what that row
    // shows, text, state and tooltip; the other rows keep their own.
    void liveStatusOverridesTheWatchedRow()
    {
        DeploymentListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const DeploymentInfo rolling =
            deployment(QStringLiteral("default"), QStringLiteral("demo-dp"), 3, 3, 1,
                       QStringLiteral("bebullish/demo:v2"), 2, 2);
        const DeploymentInfo other = deployment(QStringLiteral("shop"), QStringLiteral("cart"), 1,
                                                1, 1, QStringLiteral("redis:7"));
        model.setDeployments({rolling, other});
        const int row = model.indexOfKey(rolling.key()).row();
        const QModelIndex status = model.index(row, DeploymentListModel::Status);
        const QModelIndex otherStatus =
            model.index(model.indexOfKey(other.key()).row(), DeploymentListModel::Status);
        QCOMPARE(status.data().toString(), rollout::stateText(RolloutState::Progressing));
        QVERIFY(!status.data(DeploymentListModel::LiveStatusRole).toBool());

        rollout::RolloutStatus live;
        live.state = RolloutState::Failed;
        live.reason = QStringLiteral("ImagePullBackOff");
        live.message =
            QStringLiteral("Pod demo-dp-x of the new version cannot run: ImagePullBackOff");
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        model.setLiveStatus(rolling.ns, rolling.name, live);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).toModelIndex(), status);
        QCOMPARE(model.liveStatusKey(), rolling.key());
        QCOMPARE(status.data().toString(), rollout::stateText(RolloutState::Failed));
        QCOMPARE(status.data(DeploymentListModel::StatusRole).toInt(), int(RolloutState::Failed));
        QCOMPARE(status.data(Qt::ToolTipRole).toString(), live.message);
        QCOMPARE(
            status.data(DeploymentListModel::RolloutStatusRole).value<rollout::RolloutStatus>(),
            live);
        QVERIFY(status.data(DeploymentListModel::LiveStatusRole).toBool());
        QCOMPARE(otherStatus.data().toString(), rollout::stateText(RolloutState::Complete));

        // The same status again changes nothing; an update of the Deployment keeps the live one.
        model.setLiveStatus(rolling.ns, rolling.name, live);
        QCOMPARE(changes.count(), 1);
        model.onUpdated(rolling, rolling);
        QCOMPARE(status.data().toString(), rollout::stateText(RolloutState::Failed));

        // The view watches another Deployment: the first row goes back to its own status.
        rollout::RolloutStatus complete;
        complete.state = RolloutState::Complete;
        complete.message = QStringLiteral("Deployment \"cart\" successfully rolled out");
        model.setLiveStatus(other.ns, other.name, complete);
        QCOMPARE(status.data().toString(), rollout::stateText(RolloutState::Progressing));
        QCOMPARE(otherStatus.data(Qt::ToolTipRole).toString(), complete.message);

        // Unknown (the view has not seen it yet) and clearLiveStatus() clear it.
        model.setLiveStatus(other.ns, other.name, rollout::RolloutStatus());
        QVERIFY(model.liveStatusKey().isEmpty());
        model.setLiveStatus(rolling.ns, rolling.name, live);
        model.clearLiveStatus();
        QVERIFY(model.liveStatusKey().isEmpty());
        QCOMPARE(status.data().toString(), rollout::stateText(RolloutState::Progressing));

        // A removed Deployment takes its live status with it.
        model.setLiveStatus(rolling.ns, rolling.name, live);
        model.onRemoved(rolling);
        QVERIFY(model.liveStatusKey().isEmpty());
        model.onAdded(rolling);
        QCOMPARE(model.index(model.indexOfKey(rolling.key()).row(), DeploymentListModel::Status)
                     .data()
                     .toString(),
                 rollout::stateText(RolloutState::Progressing));
    }

    void statusSortsWhatNeedsAttentionFirst()
    {
        DeploymentListModel model;
        const DeploymentInfo complete = deployment(QStringLiteral("a"), QStringLiteral("complete"),
                                                   1, 1, 1, QStringLiteral("x:1"));
        const DeploymentInfo progressing = deployment(
            QStringLiteral("a"), QStringLiteral("progressing"), 2, 1, 1, QStringLiteral("x:2"));
        const DeploymentInfo failing = deployment(QStringLiteral("a"), QStringLiteral("failing"), 2,
                                                  2, 2, QStringLiteral("x:3"));
        model.setDeployments({complete, progressing, failing});
        rollout::RolloutStatus failed;
        failed.state = RolloutState::Failed;
        model.setLiveStatus(failing.ns, failing.name, failed);
        DeploymentFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(DeploymentListModel::Status, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, DeploymentListModel::Name).data().toString(), failing.name);
        QCOMPARE(proxy.index(1, DeploymentListModel::Name).data().toString(), progressing.name);
        QCOMPARE(proxy.index(2, DeploymentListModel::Name).data().toString(), complete.name);
        // The live status takes part in sorting and filtering, as it is shown.
        model.clearLiveStatus();
        QCOMPARE(proxy.index(2, DeploymentListModel::Name).data().toString(), failing.name);
        model.setLiveStatus(failing.ns, failing.name, failed);
        proxy.setFilterText(QStringLiteral("failed"));
        QCOMPARE(proxy.rowCount(), 1);
    }

    // A creation time ahead of this machine's clock (clock skew) reads 0s, never "<invalid>".
    void ageNeverInvalid_data()
    {
        QTest::addColumn<int>("aheadMs");
        QTest::addColumn<QString>("age");
        QTest::newRow("behind") << -65'000 << QStringLiteral("65s");
        QTest::newRow("same") << 0 << QStringLiteral("0s");
        QTest::newRow("1.5 s ahead") << 1'500 << QStringLiteral("0s");
        QTest::newRow("5 s ahead") << 5'000 << QStringLiteral("0s");
        QTest::newRow("an hour ahead") << 3'600'000 << QStringLiteral("0s");
    }

    void ageNeverInvalid()
    {
        QFETCH(int, aheadMs);
        QFETCH(QString, age);
        DeploymentListModel model;
        const DeploymentInfo d = deployment(QStringLiteral("default"), QStringLiteral("demo-dp"), 1,
                                            1, 1, QStringLiteral("x:1"));
        model.setNow(d.creationTimestamp.addMSecs(-aheadMs));
        model.setDeployments({d});
        QCOMPARE(model.index(0, DeploymentListModel::Age).data().toString(), age);
    }

    void filterAndSort()
    {
        DeploymentListModel model;
        model.setDeployments({deployment(QStringLiteral("default"), QStringLiteral("demo-dp"), 3, 3,
                                         3, QStringLiteral("bebullish/demo:v1")),
                              deployment(QStringLiteral("shop"), QStringLiteral("cart"), 1, 0, 1,
                                         QStringLiteral("redis:7")),
                              deployment(QStringLiteral("shop"), QStringLiteral("frontend"), 2, 2,
                                         2, QStringLiteral("nginx:1.27"))});
        DeploymentFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.setFilterText(QStringLiteral("shop"));
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setFilterText(QStringLiteral("NGINX"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, DeploymentListModel::Name).data().toString(),
                 QStringLiteral("frontend"));
        proxy.setFilterText({});
        proxy.sort(DeploymentListModel::Ready, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, DeploymentListModel::Name).data().toString(),
                 QStringLiteral("cart"));
        proxy.sort(DeploymentListModel::Name, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, DeploymentListModel::Name).data().toString(),
                 QStringLiteral("cart"));
        QCOMPARE(proxy.index(2, DeploymentListModel::Name).data().toString(),
                 QStringLiteral("frontend"));
    }
};

ROLLSCOPE_TEST_MAIN(TestDeploymentListModel)
#include "tst_deploymentlistmodel.moc"
