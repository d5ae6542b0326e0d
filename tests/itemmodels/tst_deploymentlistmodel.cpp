#include "itemmodels/deploymentlistmodel.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QJsonDocument>
#include <QSignalSpy>

using namespace rollscope;
using kube::DeploymentInfo;

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
        QTest::newRow("complete") << QByteArray()
                                  << int(DeploymentListModel::RolloutStatus::Complete);
        QTest::newRow("generation not observed")
            << QByteArray(R"({"metadata":{"generation":2}})")
            << int(DeploymentListModel::RolloutStatus::Progressing);
        QTest::newRow("paused") << QByteArray(R"({"spec":{"paused":true}})")
                                << int(DeploymentListModel::RolloutStatus::Paused);
        QTest::newRow("deadline exceeded")
            << QByteArray(
                   R"({"status":{"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded"}]}})")
            << int(DeploymentListModel::RolloutStatus::Failed);
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
        QCOMPARE(int(DeploymentListModel::rolloutStatus(DeploymentInfo::fromJson(base))), status);
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
