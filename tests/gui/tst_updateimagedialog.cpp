// SPDX-License-Identifier: MIT
// The update dialog deploys exactly what was typed, checked and shown: Enter on an invalid text
// does nothing, completion never swaps in a suggestion that differs only in case, the
// suggestions are grouped, the predicted steps explain their "T". Then the same through the
// window against the in-process demo cluster: no PATCH for an unvalidated text, and the abort
// confirmation reads as plain words.
#include "deploymentspane.h"
#include "dialogwatch.h"
#include "mainwindow.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "testmain.h"
#include "updateimagedialog.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QCompleter>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTimer>

using namespace rollscope;
using rollscope::test::whenDialogOpens;

namespace {

constexpr int kTimeout = 60'000;

// demo-dp after a v1 -> v2 rollout: 3 replicas, 25%/25%.
kube::DeploymentInfo demoDeployment()
{
    kube::DeploymentInfo d;
    d.ns = QStringLiteral("default");
    d.name = QStringLiteral("demo-dp");
    d.replicas = 3;
    d.strategy.maxSurge = kube::IntOrString::fromString(QStringLiteral("25%"));
    d.strategy.maxUnavailable = kube::IntOrString::fromString(QStringLiteral("25%"));
    d.containers = {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2")}};
    d.revision = 2;
    return d;
}

const QStringList kRevisions{QStringLiteral("bebullish/demo:v1"),
                             QStringLiteral("bebullish/demo:v2")};
const QStringList kClusterImages{QStringLiteral("nginx:1.27.2"),
                                 QStringLiteral("bebullish/demo:v2"), QStringLiteral("redis:7.4.1"),
                                 QStringLiteral("bebullish/demo:v3"),
                                 QStringLiteral("bebullish/demo:v1")};

struct Item
{
    QString text;
    int group = 0; // UpdateImageDialog::GroupRole; 0 for headers and the separator
    bool enabled = true;
};

QList<Item> items(const QComboBox *box)
{
    QList<Item> result;
    const auto *model = qobject_cast<const QStandardItemModel *>(box->model());
    for (int i = 0; i < box->count(); ++i) {
        result << Item{box->itemText(i), box->itemData(i, UpdateImageDialog::GroupRole).toInt(),
                       model->item(i)->isEnabled()};
    }
    return result;
}

} // namespace

class TestUpdateImageDialog : public QObject
{
    Q_OBJECT

    std::unique_ptr<MainWindow> m_window;

    RolloutView *view() const { return m_window->rolloutView(); }
    rollout::RolloutTracker *tracker() const { return view()->tracker(); }
    QString deployedImage() const { return tracker()->deployment()->containers.value(0).image; }

    void pressUpdateImageKey()
    {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        QTest::keyClick(m_window->deploymentsPane()->view(), Qt::Key_I);
    }

    // Types `text` as a person would (key by key, so completion gets its chance) and presses
    // Enter.
    static void typeAndPressEnter(UpdateImageDialog *dialog, const QString &text)
    {
        QLineEdit *edit = dialog->imageBox()->lineEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Return);
    }

private slots:
    void initTestCase() { QSettings().clear(); }

    // --- the dialog on its own --------------------------------------------------------------

    void enterOnAnInvalidTextDoesNothing()
    {
        UpdateImageDialog dialog(demoDeployment(), kRevisions, kClusterImages);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        typeAndPressEnter(&dialog, QStringLiteral("BEBULLISH/DEMO:V1"));
        QCoreApplication::processEvents();
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        // The text stays as typed, checked and refused, and the box says why.
        QCOMPARE(dialog.imageBox()->lineEdit()->text(), QStringLiteral("BEBULLISH/DEMO:V1"));
        QCOMPARE(dialog.image(), QStringLiteral("BEBULLISH/DEMO:V1"));
        QVERIFY(!dialog.updateButton()->isEnabled());
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("imageError"));
        QVERIFY(error && error->isVisible());
        QVERIFY2(error->text().contains(QStringLiteral("\"BEBULLISH/DEMO\" must be lower case")),
                 qPrintable(error->text()));
        QVERIFY2(error->text().contains(QStringLiteral("the tag \"V1\" is fine")),
                 qPrintable(error->text()));
    }

    // A valid text that differs from a suggestion only in case (tags may use upper case) is
    // deployed as typed, not replaced by the suggestion.
    void acceptedImageIsTheTypedText_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::newRow("upper-case tag next to a lower-case suggestion")
            << QStringLiteral("bebullish/demo:V1");
        QTest::newRow("a suggestion typed in full") << QStringLiteral("bebullish/demo:v1");
        QTest::newRow("prefix of suggestions") << QStringLiteral("bebullish/demo:v");
        QTest::newRow("new tag") << QStringLiteral("bebullish/demo:v4");
        QTest::newRow("registry with upper case")
            << QStringLiteral("Registry.Example.com/bebullish/demo:v1");
    }

    void acceptedImageIsTheTypedText()
    {
        QFETCH(QString, typed);
        UpdateImageDialog dialog(demoDeployment(), kRevisions, kClusterImages);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        typeAndPressEnter(&dialog, typed);
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(dialog.image(), typed);
        QCOMPARE(dialog.imageBox()->lineEdit()->text(), typed);
    }

    // Whatever sets the text, accepting checks the text on screen again.
    void acceptRechecksTheTextOnScreen()
    {
        UpdateImageDialog dialog(demoDeployment(), kRevisions, kClusterImages);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.imageBox()->lineEdit()->setText(QStringLiteral("bebullish/demo:v3"));
        QVERIFY(dialog.updateButton()->isEnabled());
        {
            // A text set behind the dialog's back, without the signal that re-checks it.
            const QSignalBlocker blocker(dialog.imageBox());
            dialog.imageBox()->lineEdit()->setText(QStringLiteral("Not/An:Image!"));
        }
        dialog.accept();
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QVERIFY(!dialog.problem().isEmpty());
        QVERIFY(!dialog.updateButton()->isEnabled());
    }

    void suggestionsAreGrouped()
    {
        UpdateImageDialog dialog(demoDeployment(), kRevisions, kClusterImages);
        const QList<Item> list = items(dialog.imageBox());
        const int revision = int(UpdateImageDialog::SuggestionGroup::Revision);
        const int same = int(UpdateImageDialog::SuggestionGroup::SameRepository);
        const int other = int(UpdateImageDialog::SuggestionGroup::Other);
        QStringList texts;
        for (const Item &i : list)
            texts << i.text;
        // The current image (v2) is not offered; v1 is an earlier revision of demo-dp; v3 is
        // only seen in the cluster; nginx and redis come after a separator and a header.
        QCOMPARE(list.size(), 8);
        QCOMPARE(list.at(0).text, QStringLiteral("Earlier revisions of demo-dp"));
        QVERIFY(!list.at(0).enabled);
        QCOMPARE(list.at(1).text, QStringLiteral("bebullish/demo:v1"));
        QCOMPARE(list.at(1).group, revision);
        QCOMPARE(list.at(2).text, QStringLiteral("Other tags of bebullish/demo"));
        QVERIFY(!list.at(2).enabled);
        QCOMPARE(list.at(3).text, QStringLiteral("bebullish/demo:v3"));
        QCOMPARE(list.at(3).group, same);
        QVERIFY(list.at(4).text.isEmpty()); // the separator
        QVERIFY(!list.at(4).enabled);
        QCOMPARE(list.at(5).text, QStringLiteral("Other images in the cluster"));
        QVERIFY(!list.at(5).enabled);
        QCOMPARE(list.at(6).text, QStringLiteral("nginx:1.27.2"));
        QCOMPARE(list.at(6).group, other);
        QCOMPARE(list.at(7).text, QStringLiteral("redis:7.4.1"));
        QCOMPARE(list.at(7).group, other);
        QVERIFY2(!texts.contains(QStringLiteral("bebullish/demo:v2")),
                 qPrintable(texts.join(u',')));
    }

    void predictedStepsExplainT()
    {
        UpdateImageDialog dialog(demoDeployment(), kRevisions, kClusterImages);
        QVERIFY(dialog.stepsTable()->rowCount() >= 3);
        QCOMPARE(dialog.stepsTable()->item(1, 0)->text(), QStringLiteral("after 1 T"));
        QVERIFY(dialog.stepsTable()->item(1, 0)->toolTip().contains(
            QStringLiteral("T being the time one new pod takes to become ready")));
        QVERIFY2(dialog.stepsLegend()->text().startsWith(
                     QStringLiteral("T is the time one new pod takes to become ready")),
                 qPrintable(dialog.stepsLegend()->text()));
        QVERIFY(!dialog.stepsLegend()->isHidden());
    }

    void upperCaseProblemNamesEachPart_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addColumn<QStringList>("mentions"); // empty when the parser's message stands
        QTest::addColumn<QString>("absent");
        QTest::newRow("all upper case")
            << QStringLiteral("BEBULLISH/DEMO:V1")
            << QStringList{QStringLiteral("the repository \"BEBULLISH/DEMO\" must be lower case "
                                          "(\"bebullish/demo\")"),
                           QStringLiteral("the tag \"V1\" is fine")}
            << QStringLiteral("registry");
        QTest::newRow("repository only")
            << QStringLiteral("Demo") << QStringList{QStringLiteral("\"Demo\" must be lower")}
            << QStringLiteral("tag");
        QTest::newRow("registry and tag may stay")
            << QStringLiteral("Registry.Example.com/Team/App:Latest")
            << QStringList{QStringLiteral("the repository \"Team/App\" must be lower case"),
                           QStringLiteral("the registry \"Registry.Example.com\" may use upper "
                                          "case"),
                           QStringLiteral("the tag \"Latest\" is fine")}
            << QString();
        QTest::newRow("bad tag is not called fine")
            << QStringLiteral("Demo:-V1")
            << QStringList{QStringLiteral("\"Demo\" must be lower case"),
                           QStringLiteral("the tag \"-V1\" may only use")}
            << QStringLiteral("is fine");
        QTest::newRow("lower-case repository: the parser's message")
            << QStringLiteral("demo:-v1") << QStringList{} << QString();
    }

    void upperCaseProblemNamesEachPart()
    {
        QFETCH(QString, typed);
        QFETCH(QStringList, mentions);
        QFETCH(QString, absent);
        const QString message = UpdateImageDialog::upperCaseProblem(typed);
        if (mentions.isEmpty()) {
            QVERIFY2(message.isEmpty(), qPrintable(message));
            return;
        }
        for (const QString &m : std::as_const(mentions))
            QVERIFY2(message.contains(m), qPrintable(message));
        if (!absent.isEmpty())
            QVERIFY2(!message.contains(absent), qPrintable(message));
    }

    // --- through the window, against the demo cluster ----------------------------------------

    // Choosing a suggestion in the completion popup with Enter puts it in the box; it takes a
    // second Enter, on the text now shown, to accept.
    void choosingACompletionDoesNotAccept()
    {
        UpdateImageDialog dialog(demoDeployment(), kRevisions, kClusterImages);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QLineEdit *edit = dialog.imageBox()->lineEdit();
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, QStringLiteral("bebullish/demo:v"));
        QCompleter *completer = dialog.imageBox()->completer();
        QVERIFY(completer);
        QCOMPARE(completer->caseSensitivity(), Qt::CaseSensitive);
        QTRY_VERIFY(completer->popup()->isVisible());
        QTest::keyClick(completer->popup(), Qt::Key_Down);
        QTest::keyClick(completer->popup(), Qt::Key_Return);
        QCoreApplication::processEvents();
        const QString chosen = edit->text();
        QVERIFY2(chosen == QStringLiteral("bebullish/demo:v1") ||
                     chosen == QStringLiteral("bebullish/demo:v3"),
                 qPrintable(chosen));
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(accepted.count(), 1);
        QCOMPARE(dialog.image(), chosen);
    }

    void demoClusterStarts()
    {
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        StartOptions options;
        options.demo = true;
        options.demoSpeed = 4;
        m_window->start(options);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->session()->state() == ClusterSession::State::Connected,
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->deploymentsPane()->selectKey(QStringLiteral("default/demo-dp")), kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(tracker() && tracker()->isLive(), kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
    }

    // The abort confirmation is plain words, without markdown backticks.
    void abortConfirmationHasNoBackticks()
    {
        view()->updateImageTo(QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2"));
        QTRY_VERIFY_WITH_TIMEOUT(view()->abortAction()->isEnabled(), kTimeout);
        QString text;
        whenDialogOpens<QMessageBox>([&text](QMessageBox *box) {
            text = box->text();
            box->reject(); // Cancel: the rollout goes on
        });
        view()->abortAction()->trigger();
        QTRY_VERIFY(!text.isEmpty());
        QVERIFY2(!text.contains(u'`'), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("kubectl rollout undo")), qPrintable(text));
        QTRY_COMPARE_WITH_TIMEOUT(tracker()->status().state, rollout::RolloutState::Complete,
                                  kTimeout);
        QCOMPARE(deployedImage(), QStringLiteral("bebullish/demo:v2"));
    }

    // After v1 -> v2, BEBULLISH/DEMO:V1 + Enter must not roll out bebullish/demo:v1.
    void enterNeverDeploysAnUnvalidatedText()
    {
        QCOMPARE(deployedImage(), QStringLiteral("bebullish/demo:v2"));
        // Nothing else is being asked: the access reviews of the Deployment are answered.
        QTRY_VERIFY_WITH_TIMEOUT(view()->access() && !view()->isCheckingAccess(), kTimeout);
        const qint64 sent = m_window->session()->client()->requestsSent();
        bool stayedOpen = false;
        bool suggested = false;
        QString shown;
        whenDialogOpens<UpdateImageDialog>([&](UpdateImageDialog *dialog) {
            suggested = dialog->imageBox()->findText(QStringLiteral("bebullish/demo:v1")) >= 0;
            typeAndPressEnter(dialog, QStringLiteral("BEBULLISH/DEMO:V1"));
            QCoreApplication::processEvents();
            stayedOpen = dialog->isVisible();
            shown = dialog->imageBox()->lineEdit()->text();
            dialog->reject();
        });
        pressUpdateImageKey();
        QTRY_VERIFY(!shown.isEmpty());
        QVERIFY(suggested);
        QVERIFY(stayedOpen);
        QCOMPARE(shown, QStringLiteral("BEBULLISH/DEMO:V1"));
        QCOMPARE(m_window->session()->client()->requestsSent(), sent);
        QCOMPARE(deployedImage(), QStringLiteral("bebullish/demo:v2"));
    }

    void cleanupTestCase() { m_window.reset(); }
};

ROLLSCOPE_GUI_TEST_MAIN(TestUpdateImageDialog)
#include "tst_updateimagedialog.moc"
