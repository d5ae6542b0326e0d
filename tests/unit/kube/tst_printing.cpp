// SPDX-License-Identifier: MIT
#include "cli/getcommand.h"
#include "kube/printing.h"
#include "kubetestdata.h"
#include "testmain.h"

#include <QJsonArray>

using namespace rollscope;
using namespace rollscope::kube;

class TestPrinting : public QObject
{
    Q_OBJECT
private slots:
    // apimachinery's duration.HumanDuration, as in kubectl's AGE column.
    void humanDuration_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        const qint64 m = 60;
        const qint64 h = 3600;
        const qint64 d = 24 * h;
        const qint64 y = 365 * d;
        QTest::newRow("-3s") << qint64(-3) << "<invalid>";
        QTest::newRow("-1s") << qint64(-1) << "0s";
        QTest::newRow("0s") << qint64(0) << "0s";
        QTest::newRow("59s") << qint64(59) << "59s";
        QTest::newRow("119s") << qint64(119) << "119s";
        QTest::newRow("2m") << 2 * m << "2m";
        QTest::newRow("2m5s") << 2 * m + 5 << "2m5s";
        QTest::newRow("9m59s") << 10 * m - 1 << "9m59s";
        QTest::newRow("10m") << 10 * m << "10m";
        QTest::newRow("10m30s") << 10 * m + 30 << "10m";
        QTest::newRow("179m") << 180 * m - 1 << "179m";
        QTest::newRow("3h") << 3 * h << "3h";
        QTest::newRow("3h5m") << 3 * h + 5 * m << "3h5m";
        QTest::newRow("7h59m") << 8 * h - m << "7h59m";
        QTest::newRow("8h") << 8 * h << "8h";
        QTest::newRow("47h") << 48 * h - 1 << "47h";
        QTest::newRow("2d") << 2 * d << "2d";
        QTest::newRow("2d3h") << 2 * d + 3 * h << "2d3h";
        QTest::newRow("7d23h") << 8 * d - h << "7d23h";
        QTest::newRow("8d") << 8 * d << "8d";
        QTest::newRow("729d") << 2 * y - d << "729d";
        QTest::newRow("2y") << 2 * y << "2y";
        QTest::newRow("2y45d") << 2 * y + 45 * d << "2y45d";
        QTest::newRow("8y") << 8 * y + 100 * d << "8y";
    }
    void humanDuration()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(kube::humanDuration(seconds * 1000), text);
    }
    void humanDurationTruncatesMilliseconds()
    {
        QCOMPARE(kube::humanDuration(1999), QStringLiteral("1s"));
        QCOMPARE(kube::humanDuration(-1999), QStringLiteral("0s"));
        QCOMPARE(kube::humanDuration(-2000), QStringLiteral("<invalid>"));
    }

    void tabWriterPadsLikeKubectl()
    {
        TabWriter writer;
        writer.addRow({QStringLiteral("NAME"), QStringLiteral("READY"), QStringLiteral("AGE")});
        writer.addRow({QStringLiteral("demo-dp"), QStringLiteral("3/3"), QStringLiteral("20m")});
        writer.addRow({QStringLiteral("a"), QStringLiteral("10/10"), QStringLiteral("5s")});
        // Column width = max(6, longest + 3); the last column is not padded.
        QCOMPARE(writer.text(), QStringLiteral("NAME      READY   AGE\n"
                                               "demo-dp   3/3     20m\n"
                                               "a         10/10   5s\n"));
    }

    void deploymentTable()
    {
        const DeploymentInfo d =
            DeploymentInfo::fromJson(test::kubeFixture(QStringLiteral("deployment.json")));
        DeploymentInfo shop = d;
        shop.ns = QStringLiteral("shop");
        shop.name = QStringLiteral("cart");
        const QDateTime now = d.creationTimestamp.addSecs(3 * 3600 + 5 * 60);
        QCOMPARE(GetCommand::formatTable({d}, false, false, now),
                 QStringLiteral("NAME      READY   UP-TO-DATE   AVAILABLE   AGE\n"
                                "demo-dp   3/3     1            3           3h5m\n"));
        QCOMPARE(GetCommand::formatTable({d, shop}, true, false, now),
                 QStringLiteral("NAMESPACE   NAME      READY   UP-TO-DATE   AVAILABLE   AGE\n"
                                "default     demo-dp   3/3     1            3           3h5m\n"
                                "shop        cart      3/3     1            3           3h5m\n"));
        QCOMPARE(GetCommand::formatTable({d}, false, true, now),
                 QStringLiteral("NAME      READY   UP-TO-DATE   AVAILABLE   AGE    CONTAINERS     "
                                "IMAGES                       SELECTOR\n"
                                "demo-dp   3/3     1            3           3h5m   demo,sidecar   "
                                "bebullish/demo:v2,envoy:v1   app=demo,!legacy,tier in "
                                "(api,web)\n"));
    }

    void deploymentListJson()
    {
        ListResult list;
        list.resourceVersion = QStringLiteral("42");
        list.items.append(test::kubeFixture(QStringLiteral("deployment.json")));
        const QJsonObject json =
            QJsonDocument::fromJson(GetCommand::formatJson(list).toUtf8()).object();
        QCOMPARE(json.value(u"kind").toString(), QStringLiteral("DeploymentList"));
        QCOMPARE(json.value(u"apiVersion").toString(), QStringLiteral("apps/v1"));
        QCOMPARE(json.value(u"metadata").toObject().value(u"resourceVersion").toString(),
                 QStringLiteral("42"));
        QCOMPARE(json.value(u"items").toArray().size(), 1);
        QCOMPARE(json.value(u"items").toArray().first().toObject(),
                 test::kubeFixture(QStringLiteral("deployment.json")));
    }

    void klogPrefix()
    {
        const QDateTime t(QDate(2024, 5, 1), QTime(10, 2, 3, 45));
        QVERIFY(GetCommand::logPrefix(t).startsWith(QStringLiteral("I0501 10:02:03.045000 ")));
        QVERIFY(GetCommand::logPrefix(t).endsWith(QStringLiteral(" rollscope] ")));
    }
};

ROLLSCOPE_TEST_MAIN(TestPrinting)
#include "tst_printing.moc"
