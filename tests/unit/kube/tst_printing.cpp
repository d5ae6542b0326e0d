// SPDX-License-Identifier: MIT
#include "cli/getcommand.h"
#include "cli/tabwriter.h"
#include "kubetestdata.h"
#include "testmain.h"

#include <QJsonArray>

using namespace rollscope;
using namespace rollscope::kube;

class TestPrinting : public QObject
{
    Q_OBJECT
private slots:
    void tabWriterPadsLikeKubectl()
    {
        cli::TabWriter writer;
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
