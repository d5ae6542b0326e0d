// SPDX-License-Identifier: MIT
// The Deployments pane on its own: which columns show at its default width, the Columns menu and
// its memory, Tab and Esc, and the watched Deployment that only the user changes.
#include "deploymentspane.h"
#include "itemmodels/deploymentlistmodel.h"
#include "kube/apiclient.h"
#include "kube/informer.h"
#include "rollout/statusrules.h"
#include "testmain.h"
#include "theme.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMenu>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QVBoxLayout>

using namespace rollscope;
using kube::DeploymentInfo;
using Column = DeploymentListModel::Column;

namespace {

DeploymentInfo paneDeployment(const QString &ns, const QString &name, int ready = 3,
                              int updated = 3)
{
    const QString json = QStringLiteral(R"({"metadata":{"namespace":"%1","name":"%2","uid":"uid-%2",
        "generation":1,"creationTimestamp":"2026-11-26T20:00:00Z"},
      "spec":{"replicas":3,"selector":{"matchLabels":{"app":"%2"}},
              "template":{"metadata":{"labels":{"app":"%2"}},"spec":{"containers":[{"name":"c","image":"nginx:1.27"}]}}},
      "status":{"observedGeneration":1,"replicas":3,"readyReplicas":%3,"availableReplicas":%3,"updatedReplicas":%4}})")
                             .arg(ns, name)
                             .arg(ready)
                             .arg(updated);
    return DeploymentInfo::fromJson(QJsonDocument::fromJson(json.toUtf8()).object());
}

QList<DeploymentInfo> threeDeployments()
{
    return {paneDeployment(QStringLiteral("default"), QStringLiteral("demo-dp")),
            paneDeployment(QStringLiteral("shop"), QStringLiteral("cart")),
            paneDeployment(QStringLiteral("shop"), QStringLiteral("frontend"))};
}

QStringList shownColumns(const QTableView *view)
{
    QStringList shown;
    for (int column = 0; column < view->model()->columnCount(); ++column) {
        if (!view->isColumnHidden(column))
            shown << view->model()->headerData(column, Qt::Horizontal).toString();
    }
    return shown;
}

// Clicks the NAME cell of the row showing `key`, as the user does.
void clickRow(DeploymentsPane &pane, const QString &key)
{
    const QModelIndex index =
        pane.proxy()->mapFromSource(pane.model()->indexOfKey(key)).siblingAtColumn(Column::Name);
    QVERIFY(index.isValid());
    const QRect rect = pane.view()->visualRect(index);
    QTest::mouseClick(pane.view()->viewport(), Qt::LeftButton, {}, rect.center());
}

} // namespace

class TestDeploymentsPane : public QObject
{
    Q_OBJECT
private slots:
    void init()
    {
        QSettings().clear(); // no column choice left over
    }

    void nameReadyAndStatusFitTheDefaultWidth()
    {
        DeploymentsPane pane;
        QAbstractItemModelTester tester(pane.model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QList<DeploymentInfo> deployments = threeDeployments();
        deployments << paneDeployment(QStringLiteral("default"),
                                      QStringLiteral("a-deployment-with-a-name-much-too-long-for-"
                                                     "the-pane-of-the-window"),
                                      1, 2);
        pane.model()->setDeployments(deployments);
        pane.resize(350, 400); // the pane at 1024x700
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));

        QCOMPARE(shownColumns(pane.view()),
                 (QStringList{QStringLiteral("NAME"), QStringLiteral("READY"),
                              QStringLiteral("STATUS")}));
        QHeaderView *header = pane.view()->horizontalHeader();
        const int viewport = pane.view()->viewport()->width();
        QTRY_COMPARE(pane.view()->horizontalScrollBar()->maximum(), 0);
        QVERIFY(header->sectionViewportPosition(Column::Status) +
                    header->sectionSize(Column::Status) <=
                viewport);
        // STATUS is wide enough for its words; NAME takes the rest and elides the long name.
        QVERIFY(header->sectionSize(Column::Status) >=
                pane.fontMetrics().horizontalAdvance(
                    rollout::stateText(rollout::RolloutState::Progressing)));
        QVERIFY(header->sectionSize(Column::Name) > viewport / 3);
        QVERIFY(header->sectionSize(Column::Name) <
                pane.fontMetrics().horizontalAdvance(deployments.last().name));
        QCOMPARE(pane.view()->textElideMode(), Qt::ElideRight);
    }

    void columnsMenuShowsMoreAndRemembers()
    {
        {
            DeploymentsPane pane;
            QCOMPARE(pane.view()->horizontalHeader()->contextMenuPolicy(), Qt::CustomContextMenu);
            // Columns ▸ one action per column but NAME.
            const QList<QAction *> top = pane.headerMenu()->actions();
            QCOMPARE(top.size(), 1);
            QMenu *columns = top.first()->menu();
            QVERIFY(columns);
            QCOMPARE(top.first()->text().remove(u'&'), QStringLiteral("Columns"));
            QVERIFY(!pane.columnAction(Column::Name));
            QAction *ns = pane.columnAction(Column::Namespace);
            QVERIFY(ns && columns->actions().contains(ns));
            QVERIFY(!ns->isChecked());
            QVERIFY(pane.columnAction(Column::Status)->isChecked());

            ns->trigger();
            pane.columnAction(Column::Status)->trigger();
            QCOMPARE(shownColumns(pane.view()),
                     (QStringList{QStringLiteral("NAME"), QStringLiteral("NAMESPACE"),
                                  QStringLiteral("READY")}));
        }
        {
            DeploymentsPane again; // the choice outlives the pane
            QCOMPARE(shownColumns(again.view()),
                     (QStringList{QStringLiteral("NAME"), QStringLiteral("NAMESPACE"),
                                  QStringLiteral("READY")}));
            QAction *reset =
                again.headerMenu()->findChild<QAction *>(QStringLiteral("defaultColumns"));
            QVERIFY(reset);
            reset->trigger();
            QCOMPARE(shownColumns(again.view()),
                     (QStringList{QStringLiteral("NAME"), QStringLiteral("READY"),
                                  QStringLiteral("STATUS")}));
        }
        DeploymentsPane third;
        QVERIFY(!third.columnAction(Column::Namespace)->isChecked());
    }

    void namespaceShowsForAllNamespaces()
    {
        kube::ClusterConfig config;
        config.cluster.server = QUrl(QStringLiteral("https://127.0.0.1:9"));
        kube::ApiClient client(config);
        kube::InformerOptions all;
        all.ns.clear();
        kube::DeploymentInformer allNamespaces(&client, all); // never started
        kube::InformerOptions one;
        one.ns = QStringLiteral("default");
        kube::DeploymentInformer defaultOnly(&client, one);

        DeploymentsPane pane;
        QVERIFY(pane.view()->isColumnHidden(Column::Namespace));
        pane.setInformer(&allNamespaces);
        QVERIFY(pane.showsNamespace());
        QVERIFY(!pane.view()->isColumnHidden(Column::Namespace));
        QVERIFY(!pane.columnAction(Column::Namespace)->isEnabled());
        pane.setInformer(&defaultOnly);
        QVERIFY(!pane.showsNamespace());
        QVERIFY(pane.view()->isColumnHidden(Column::Namespace));
        QVERIFY(pane.columnAction(Column::Namespace)->isEnabled());
        pane.setInformer(nullptr);
    }

    void tabLeavesTheTable()
    {
        QWidget window;
        auto *layout = new QVBoxLayout(&window);
        auto *pane = new DeploymentsPane(&window);
        auto *next = new QLineEdit(&window);
        next->setObjectName(QStringLiteral("nextPane"));
        layout->addWidget(pane);
        layout->addWidget(next);
        pane->model()->setDeployments(threeDeployments());
        window.show();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QVERIFY(!pane->view()->tabKeyNavigation());

        pane->filter()->setFocus(Qt::TabFocusReason);
        QTRY_VERIFY(pane->filter()->hasFocus());
        QTest::keyClick(pane->filter(), Qt::Key_Tab);
        QTRY_VERIFY(pane->view()->hasFocus());
        QTest::keyClick(pane->view(), Qt::Key_Tab);
        QTRY_VERIFY(next->hasFocus());
        QTest::keyClick(next, Qt::Key_Backtab);
        QTRY_VERIFY(pane->view()->hasFocus());
        QTest::keyClick(pane->view(), Qt::Key_Backtab);
        QTRY_VERIFY(pane->filter()->hasFocus());
    }

    void escClearsTheFilterThenGoesToTheTable()
    {
        DeploymentsPane pane;
        pane.model()->setDeployments(threeDeployments());
        pane.show();
        QVERIFY(QTest::qWaitForWindowActive(&pane));
        pane.focusFilter();
        QTRY_VERIFY(pane.filter()->hasFocus());
        QTest::keyClicks(pane.filter(), QStringLiteral("shop"));
        QCOMPARE(pane.proxy()->rowCount(), 2);
        QTest::keyClick(pane.filter(), Qt::Key_Escape);
        QCOMPARE(pane.filter()->text(), QString());
        QCOMPARE(pane.proxy()->rowCount(), 3);
        QVERIFY(pane.filter()->hasFocus());
        QTest::keyClick(pane.filter(), Qt::Key_Escape);
        QTRY_VERIFY(pane.view()->hasFocus());
    }

    // Typing in the filter, sorting, rows coming and going: the watched Deployment stays. Only
    // a click, the keys of the table or Enter change it.
    void onlyTheUserChangesTheWatchedDeployment()
    {
        DeploymentsPane pane;
        pane.model()->setDeployments(threeDeployments());
        pane.resize(400, 400);
        pane.show();
        QVERIFY(QTest::qWaitForWindowActive(&pane));
        QSignalSpy changed(&pane, &DeploymentsPane::currentDeploymentChanged);
        QSignalSpy activated(&pane, &DeploymentsPane::activated);
        const QString demo = QStringLiteral("default/demo-dp");
        const QString cart = QStringLiteral("shop/cart");
        const QString frontend = QStringLiteral("shop/frontend");
        auto currentRowKey = [&pane] {
            return pane.view()->currentIndex().data(DeploymentListModel::KeyRole).toString();
        };

        // Sorted by name: cart, demo-dp, frontend. A click watches demo-dp.
        clickRow(pane, demo);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.last().first().toString(), demo);
        QCOMPARE(pane.currentKey(), demo);

        // Typing filters demo-dp away (the rows around it stay): nothing changes.
        pane.focusFilter();
        QTest::keyClicks(pane.filter(), QStringLiteral("shop"));
        QCOMPARE(pane.proxy()->rowCount(), 2);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(pane.currentKey(), demo);
        QTRY_VERIFY(!pane.view()->currentIndex().isValid()); // the table shows no current row
        QVERIFY(!pane.view()->selectionModel()->hasSelection());
        // Typing more, down to no row and back.
        QTest::keyClicks(pane.filter(), QStringLiteral("zzz"));
        QCOMPARE(pane.proxy()->rowCount(), 0);
        QTest::keyClick(pane.filter(), Qt::Key_Escape);
        QCOMPARE(pane.proxy()->rowCount(), 3);
        QTRY_COMPARE(currentRowKey(), demo); // shown again as the current row
        QVERIFY(pane.view()->selectionModel()->isRowSelected(pane.view()->currentIndex().row()));
        QCOMPARE(changed.count(), 1);

        // Re-sorting and other rows coming and going leave it alone.
        pane.view()->sortByColumn(Column::Name, Qt::DescendingOrder);
        pane.model()->onRemoved(paneDeployment(QStringLiteral("shop"), QStringLiteral("cart")));
        pane.model()->onAdded(paneDeployment(QStringLiteral("shop"), QStringLiteral("cart")));
        QTRY_COMPARE(currentRowKey(), demo);
        QCOMPARE(changed.count(), 1);
        // Its own row leaving (deleted in the cluster) does not pick a neighbour either.
        const DeploymentInfo demoInfo = *pane.model()->deployment(demo);
        pane.model()->onRemoved(demoInfo);
        QTRY_VERIFY(!pane.view()->currentIndex().isValid());
        QCOMPARE(pane.currentKey(), demo);
        QCOMPARE(changed.count(), 1);
        pane.model()->onAdded(demoInfo);
        QTRY_COMPARE(currentRowKey(), demo);
        QCOMPARE(changed.count(), 1);

        // Keyboard navigation in the table is a choice: descending, frontend > demo-dp > cart.
        pane.view()->setFocus(Qt::OtherFocusReason);
        QTest::keyClick(pane.view(), Qt::Key_Down);
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.last().first().toString(), cart);
        QTest::keyClick(pane.view(), Qt::Key_Home, Qt::ControlModifier);
        QCOMPARE(changed.last().first().toString(), frontend);
        QCOMPARE(pane.currentKey(), frontend);

        // Enter activates the current row.
        QTest::keyClick(pane.view(), Qt::Key_Return);
        QCOMPARE(activated.count(), 1);
        QCOMPARE(activated.last().first().toString(), frontend);

        // selectKey() is a choice too, and Enter after the filter hid the watched row picks the
        // row the user moves to.
        QVERIFY(pane.selectKey(cart));
        QCOMPARE(changed.last().first().toString(), cart);
        QVERIFY(!pane.selectKey(QStringLiteral("nowhere/none")));
        QCOMPARE(pane.currentKey(), cart);
        const int before = int(changed.count());
        QVERIFY(pane.selectKey({}));
        QCOMPARE(changed.count(), before + 1);
        QCOMPARE(changed.last().first().toString(), QString());
        QTRY_VERIFY(!pane.view()->currentIndex().isValid());
    }

    // The row the Rollout view watches shows the view's status, in the badge's colour.
    void liveStatusShowsInTheViewsColour()
    {
        DeploymentsPane pane;
        pane.model()->setDeployments(threeDeployments());
        rollout::RolloutStatus failed;
        failed.state = rollout::RolloutState::Failed;
        failed.reason = QStringLiteral("CrashLoopBackOff");
        failed.message = QStringLiteral("Pod demo-dp-x of the new version cannot run");
        pane.model()->setLiveStatus(QStringLiteral("default"), QStringLiteral("demo-dp"), failed);
        const QModelIndex status =
            pane.proxy()
                ->mapFromSource(pane.model()->indexOfKey(QStringLiteral("default/demo-dp")))
                .siblingAtColumn(Column::Status);
        QCOMPARE(status.data().toString(), rollout::stateText(rollout::RolloutState::Failed));
        QCOMPARE(status.data(Qt::ToolTipRole).toString(), failed.message);

        // Painted in the badge's colour for Failed (Error); a Complete row has none of it.
        pane.resize(400, 300);
        pane.show();
        QVERIFY(QTest::qWaitForWindowExposed(&pane));
        const QColor error = Theme::color(Theme::Role::Error, pane.view()->palette());
        const QImage shot = pane.view()->viewport()->grab().toImage();
        auto hasErrorColour = [&](const QModelIndex &index) {
            const QRect rect = pane.view()->visualRect(index);
            const qreal dpr = shot.devicePixelRatio();
            for (int y = int(rect.top() * dpr); y < int(rect.bottom() * dpr); ++y) {
                for (int x = int(rect.left() * dpr); x < int(rect.right() * dpr); ++x) {
                    const QColor c = shot.pixelColor(x, y);
                    if (qAbs(c.red() - error.red()) < 12 && qAbs(c.green() - error.green()) < 12 &&
                        qAbs(c.blue() - error.blue()) < 12)
                        return true;
                }
            }
            return false;
        };
        QVERIFY(hasErrorColour(status));
        const QModelIndex complete =
            pane.proxy()
                ->mapFromSource(pane.model()->indexOfKey(QStringLiteral("shop/cart")))
                .siblingAtColumn(Column::Status);
        QCOMPARE(complete.data().toString(), rollout::stateText(rollout::RolloutState::Complete));
        QVERIFY(!hasErrorColour(complete));
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestDeploymentsPane)
#include "tst_deploymentspane.moc"
