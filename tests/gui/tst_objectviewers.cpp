// SPDX-License-Identifier: MIT
// The object viewers of issue 13 against an in-process simulator: the YAML window shows a
// deployment as kubectl get -o yaml does (managedFields hidden until asked for), searches it,
// and says in plain words when the object is missing; the log window shows a pod's lines, counts
// search matches, follows (and stops following when scrolled up), keeps at most maxLines() lines
// and says so, offers a container chooser, and reports how the stream ended.
// With ROLLSCOPE_SCREENSHOT_DIR set, both windows are grabbed there.
#include "../integration/simfixture.h"
#include "kube/resourcekind.h"
#include "podlogviewer.h"
#include "simulator/clock.h"
#include "testmain.h"
#include "textfindbar.h"
#include "theme.h"
#include "yamlviewer.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QFontMetricsF>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextLayout>

using namespace rollscope;
using rollscope::test::Await;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 20000;

// The columns of a log or a YAML listing line up: a line of narrow glyphs is as wide as one of
// wide glyphs, as drawn.
bool columnsLineUp(const QFont &font)
{
    const QFontMetricsF metrics(font);
    const qreal wide = metrics.horizontalAdvance(QStringLiteral("MMMMWWWW"));
    return wide > 0 && qFuzzyCompare(metrics.horizontalAdvance(QStringLiteral("iiiillll")), wide) &&
           qFuzzyCompare(metrics.horizontalAdvance(QStringLiteral("....::::")), wide);
}
const QString kNs = QStringLiteral("default");
const QString kDeploymentPath =
    QStringLiteral("/apis/apps/v1/namespaces/default/deployments/demo-dp");

// Lines the test writes, served for every existing pod, with followers it feeds.
class ViewerTestLogs : public sim::LogSource
{
public:
    QStringList lines;
    QString logs(const QString &, const QString &, const QString &, QStringList *out,
                 QList<qint64> *stamps) const override
    {
        *out = lines;
        for (qsizetype i = 0; i < lines.size(); ++i)
            stamps->append(0);
        return {};
    }
    int follow(const QString &, const QString &, const QString &,
               std::function<void(qint64, const QString &)> onLine, std::function<void()>) override
    {
        m_followers.insert(m_next, std::move(onLine));
        return m_next++;
    }
    void unfollow(int id) override { m_followers.remove(id); }
    int followers() const { return static_cast<int>(m_followers.size()); }
    void push(const QStringList &more)
    {
        lines += more;
        const auto followers = m_followers;
        for (const QString &line : more) {
            for (const auto &f : followers)
                f(0, line);
        }
    }

private:
    QHash<int, std::function<void(qint64, const QString &)>> m_followers;
    int m_next = 1;
};

void screenshot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("ROLLSCOPE_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QVERIFY(w->grab().save(QDir(dir).filePath(name)));
}

} // namespace

class TestObjectViewers : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ViewerTestLogs> m_scripted; // outlives the simulator
    std::unique_ptr<SimFixture> m_sim;
    std::unique_ptr<kube::ApiClient> m_client;

    QString demoPod()
    {
        Await<kube::ListResult> listed;
        kube::ListOptions options;
        options.ns = kNs;
        options.labelSelector = QStringLiteral("app=demo");
        m_client->listAll(kube::ResourceKind::pods(), options, this, listed.callback());
        if (!QTest::qWaitFor([&] { return listed.ready(); }, kTimeout) || !listed.result().ok() ||
            listed.value().items.isEmpty())
            return {};
        return listed.value().items.first().value(u"metadata").toObject().value(u"name").toString();
    }

private slots:
    void init()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
        m_client = std::make_unique<kube::ApiClient>(*m_sim->config());
    }
    void cleanup()
    {
        m_client.reset();
        m_sim.reset();
        m_scripted.reset();
    }

    void yamlViewerShowsADeployment()
    {
        // Give the deployment managedFields (the simulator keeps what it is sent).
        const QByteArray patch = R"({"metadata":{"managedFields":[{"manager":"rollscope-test",
            "operation":"Update","apiVersion":"apps/v1","fieldsType":"FieldsV1",
            "fieldsV1":{"f:spec":{"f:replicas":{}}}}]}})";
        Await<kube::ApiResponse> patched;
        m_client->send(kube::ApiRequest::patch(kDeploymentPath,
                                               QByteArrayLiteral("application/merge-patch+json"),
                                               patch),
                       this, patched.callback());
        QTRY_VERIFY_WITH_TIMEOUT(patched.ready(), kTimeout);
        QVERIFY2(patched.result().ok(), qPrintable(patched.errorText()));
        const bool simKeepsManagedFields =
            patched.result()->json().value(u"metadata").toObject().contains(u"managedFields");

        YamlViewer viewer(m_client.get(), kDeploymentPath, QStringLiteral("deployment/demo-dp"));
        QSignalSpy loaded(&viewer, &YamlViewer::loaded);
        viewer.show();
        QCOMPARE(viewer.windowTitle(), QStringLiteral("deployment/demo-dp — YAML"));
        QVERIFY2(columnsLineUp(viewer.textView()->font()),
                 qPrintable(QFontInfo(viewer.textView()->font()).family()));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        QCOMPARE(loaded.first().first().toBool(), true);
        const QString yaml = viewer.yamlText();
        QVERIFY2(yaml.startsWith(u"apiVersion: apps/v1\n"), qPrintable(yaml.left(200)));
        QVERIFY(yaml.contains(u"\nkind: Deployment\n"));
        QVERIFY(yaml.contains(u"\n  name: demo-dp\n"));
        QVERIFY(yaml.contains(u"\n      containers:\n      - image: "));
        QVERIFY(!yaml.contains(u"managedFields"));
        QVERIFY(!viewer.showsManagedFields());
        QVERIFY(viewer.textView()->isReadOnly());
        QVERIFY(viewer.errorText().isEmpty());

        if (simKeepsManagedFields) {
            viewer.findChild<QCheckBox *>(QStringLiteral("managedFieldsBox"))->click();
            QVERIFY(viewer.showsManagedFields());
            QVERIFY(viewer.yamlText().contains(u"\n  managedFields:\n  - apiVersion: apps/v1\n"));
            QVERIFY(viewer.yamlText().contains(u"manager: rollscope-test"));
            screenshot(&viewer, QStringLiteral("yamlviewer-managed.png"));
            viewer.setShowManagedFields(false);
            QVERIFY(!viewer.yamlText().contains(u"managedFields"));
        } else {
            qWarning("the simulator dropped managedFields; the toggle is checked by tst_yamlprint");
        }

        // Search: Ctrl+F focuses the field, matches are counted, F3 moves on.
        QTest::keyClick(&viewer, Qt::Key_F, Qt::ControlModifier);
        QLineEdit *field = viewer.findBar()->field();
        QTRY_VERIFY(field->hasFocus());
        QTest::keyClicks(field, QStringLiteral("demo-dp"));
        const int expected = static_cast<int>(viewer.yamlText().count(u"demo-dp"));
        QVERIFY(expected >= 2);
        QCOMPARE(viewer.findBar()->matchCount(), expected);
        QCOMPARE(viewer.findBar()->statusText(), QStringLiteral("1 of %1").arg(expected));
        QCOMPARE(viewer.textView()->textCursor().selectedText(), QStringLiteral("demo-dp"));
        QTest::keyClick(field, Qt::Key_Return);
        QCOMPARE(viewer.findBar()->statusText(), QStringLiteral("2 of %1").arg(expected));
        QTest::keyClick(&viewer, Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(viewer.findBar()->statusText(), QStringLiteral("1 of %1").arg(expected));
        QTest::keyClick(&viewer, Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(viewer.findBar()->statusText(),
                 QStringLiteral("%1 of %1").arg(expected)); // wraps around
        viewer.findBar()->setText(QStringLiteral("replicas"));
        screenshot(&viewer, QStringLiteral("yamlviewer.png"));
        viewer.findBar()->setText(QStringLiteral("no-such-text-anywhere"));
        QCOMPARE(viewer.findBar()->matchCount(), 0);
        QCOMPARE(viewer.findBar()->statusText(), QStringLiteral("no match"));

        // Copy with nothing selected: the whole document.
        viewer.textView()->setTextCursor(QTextCursor(viewer.textView()->document()));
        viewer.copy();
        QCOMPARE(QGuiApplication::clipboard()->text(), viewer.yamlText());

        // Reload fetches again.
        viewer.reload();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, kTimeout);
        QVERIFY(viewer.hasObject());
    }

    void yamlViewerSaysWhenTheObjectIsMissing()
    {
        YamlViewer viewer(m_client.get(),
                          QStringLiteral("/apis/apps/v1/namespaces/default/deployments/gone"),
                          QStringLiteral("deployment/gone"));
        QSignalSpy loaded(&viewer, &YamlViewer::loaded);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        QCOMPARE(loaded.first().first().toBool(), false);
        QVERIFY2(viewer.errorText().startsWith(u"deployment/gone does not exist (any more): "),
                 qPrintable(viewer.errorText()));
        QVERIFY(viewer.yamlText().isEmpty());
        QCOMPARE(viewer.findChild<QLabel *>(QStringLiteral("statusLabel"))->text(),
                 viewer.errorText());
    }

    void yamlViewerColoursKeysButNotLiteralBlocks()
    {
        // An annotation with a multi-line value whose lines look like keys.
        const QByteArray patch = R"({"metadata":{"annotations":{
            "note":"server:\n  port: 8080\n- item: x\n","flag":"true"}}})";
        Await<kube::ApiResponse> patched;
        m_client->send(kube::ApiRequest::patch(kDeploymentPath,
                                               QByteArrayLiteral("application/merge-patch+json"),
                                               patch),
                       this, patched.callback());
        QTRY_VERIFY_WITH_TIMEOUT(patched.ready(), kTimeout);
        QVERIFY2(patched.result().ok(), qPrintable(patched.errorText()));

        YamlViewer viewer(m_client.get(), kDeploymentPath, QStringLiteral("deployment/demo-dp"));
        QSignalSpy loaded(&viewer, &YamlViewer::loaded);
        viewer.show();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, kTimeout);
        const QString yaml = viewer.yamlText();
        const QString expected = QStringLiteral("    flag: \"true\"\n    note: |\n      server:\n"
                                                "        port: 8080\n      - item: x\n  creat");
        QVERIFY2(yaml.contains(expected), qPrintable(yaml));
        QTextDocument *doc = viewer.textView()->document();
        const int note = doc->find(QStringLiteral("    note: |")).blockNumber();
        QVERIFY(note > 0);
        auto boldIn = [doc](int blockNumber) {
            const QTextBlock block = doc->findBlockByNumber(blockNumber);
            const auto formats = block.layout()->formats();
            for (const QTextLayout::FormatRange &range : formats) {
                if (range.format.fontWeight() == QFont::DemiBold)
                    return block.text().mid(range.start, range.length);
            }
            return QString();
        };
        QCOMPARE(boldIn(0), QStringLiteral("apiVersion"));
        QCOMPARE(boldIn(note - 1), QStringLiteral("flag"));
        QCOMPARE(boldIn(note), QStringLiteral("note"));
        QCOMPARE(boldIn(note + 1), QString()); // "server:" is text of the block, not a key
        QCOMPARE(boldIn(note + 2), QString());
        QCOMPARE(boldIn(note + 3), QString());
        QCOMPARE(boldIn(note + 4), QStringLiteral("creationTimestamp"));
        viewer.textView()->verticalScrollBar()->setValue(0);
        screenshot(&viewer, QStringLiteral("yamlviewer-literal.png"));
        auto keyColour = [doc] {
            const auto formats = doc->firstBlock().layout()->formats();
            return formats.isEmpty() ? QColor() : formats.first().format.foreground().color();
        };
        QCOMPARE(keyColour(), viewer.palette().color(QPalette::Link));
        viewer.setPalette(Theme::darkPalette());
        QCOMPARE(boldIn(note + 4), QStringLiteral("creationTimestamp"));
        QCOMPARE(keyColour(), Theme::darkPalette().color(QPalette::Link));
        screenshot(&viewer, QStringLiteral("yamlviewer-literal-dark.png"));
    }

    void logViewerShowsLinesAndSearches()
    {
        const QString pod = demoPod();
        QVERIFY(!pod.isEmpty());
        PodLogViewer viewer(m_client.get(), kNs, pod, {QStringLiteral("demo")});
        viewer.show();
        QCOMPARE(viewer.windowTitle(), QStringLiteral("Logs — %1/demo").arg(pod));
        QVERIFY(!viewer.findChild<QComboBox *>(QStringLiteral("containerBox"))->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(viewer.text().contains(u"listening on :8080\n"), kTimeout);
        QVERIFY(viewer.text().startsWith(u"starting "));
        QCOMPARE(viewer.textView()->toPlainText() + u'\n', viewer.text());
        QVERIFY(viewer.isFollowing());
        QTRY_VERIFY_WITH_TIMEOUT(viewer.statusText().startsWith(u"Following new lines."), kTimeout);
        QVERIFY2(columnsLineUp(viewer.textView()->font()),
                 qPrintable(QFontInfo(viewer.textView()->font()).family()));

        viewer.findBar()->setText(QStringLiteral("LISTENING")); // case-insensitive
        QCOMPARE(viewer.findBar()->statusText(), QStringLiteral("1 of 1"));
        // A new search starts at the cursor, as in editors: from the top here.
        viewer.textView()->setTextCursor(QTextCursor(viewer.textView()->document()));
        viewer.findBar()->setText(QStringLiteral("n"));
        const int ns = static_cast<int>(viewer.text().count(u'n', Qt::CaseInsensitive));
        QCOMPARE(viewer.findBar()->matchCount(), ns);
        QCOMPARE(viewer.findBar()->statusText(), QStringLiteral("1 of %1").arg(ns));
        screenshot(&viewer, QStringLiteral("podlogviewer.png"));

        // Save writes what is shown.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.log"));
        QVERIFY(viewer.saveTo(path));
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(saved.readAll()), viewer.text());

        // The pod goes: the follow ends and the window says why.
        kube::ApiRequest request;
        request.method = QByteArrayLiteral("DELETE");
        request.path = kube::ResourceKind::pods().objectPath(kNs, pod);
        Await<kube::ApiResponse> deleted;
        m_client->send(request, this, deleted.callback());
        QTRY_VERIFY_WITH_TIMEOUT(deleted.ready(), kTimeout);
        QSignalSpy ended(&viewer, &PodLogViewer::streamEnded);
        QVERIFY(QTest::qWaitFor(
            [&] {
                m_sim->cluster()->clock()->advance(2000);
                return ended.count() > 0;
            },
            kTimeout));
        QVERIFY(viewer.text().endsWith(u"received SIGTERM, shutting down\n"));
        QVERIFY2(viewer.statusText().startsWith(
                     u"Ended: the log of demo ended (the container stopped or the pod was "
                     u"deleted)."),
                 qPrintable(viewer.statusText()));
        QVERIFY(!viewer.isStreaming());
    }

    void logViewerFollowsDropsAndChoosesContainers()
    {
        const QString pod = demoPod();
        QVERIFY(!pod.isEmpty());
        m_scripted = std::make_unique<ViewerTestLogs>();
        m_sim->api()->setLogSource(m_scripted.get());
        PodLogViewer viewer(m_client.get(), kNs, pod,
                            {QStringLiteral("demo"), QStringLiteral("sidecar")});
        viewer.setMaxLines(200);
        viewer.resize(700, 400);
        viewer.show();
        QComboBox *containers = viewer.findChild<QComboBox *>(QStringLiteral("containerBox"));
        QVERIFY(containers->isVisible());
        QCOMPARE(containers->count(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(m_scripted->followers(), 1, kTimeout);

        QStringList batch;
        for (int i = 0; i < 150; ++i)
            batch << QStringLiteral("line %1").arg(i);
        m_scripted->push(batch);
        QTRY_COMPARE_WITH_TIMEOUT(viewer.lineCount(), 150, kTimeout);
        QScrollBar *bar = viewer.textView()->verticalScrollBar();
        QVERIFY(bar->maximum() > 0);
        QCOMPARE(bar->value(), bar->maximum()); // following: the newest line is in view

        // Scrolling up stops following; new lines do not move the view.
        bar->setValue(0);
        QVERIFY(!viewer.isFollowing());
        QVERIFY(viewer.statusText().startsWith(u"Streaming; new lines are added at the end"));
        m_scripted->push({QStringLiteral("line 150"), QStringLiteral("line 151")});
        QTRY_COMPARE_WITH_TIMEOUT(viewer.lineCount(), 152, kTimeout);
        QCOMPARE(bar->value(), 0);
        // Back at the end: following again.
        bar->setValue(bar->maximum());
        QVERIFY(viewer.isFollowing());

        // Over the cap: the oldest lines go, and the window says so.
        batch.clear();
        for (int i = 152; i < 300; ++i)
            batch << QStringLiteral("line %1").arg(i);
        m_scripted->push(batch);
        QTRY_COMPARE_WITH_TIMEOUT(viewer.droppedLines(), qint64(100), kTimeout);
        QCOMPARE(viewer.lineCount(), 200);
        QCOMPARE(viewer.textView()->document()->blockCount(), 200);
        QVERIFY(viewer.text().startsWith(u"line 100\n"));
        QVERIFY(viewer.text().endsWith(u"line 299\n"));
        QCOMPARE(viewer.textView()->toPlainText() + u'\n', viewer.text());
        QVERIFY2(viewer.statusText().contains(
                     u"Showing the newest 200 lines; 100 older lines were dropped."),
                 qPrintable(viewer.statusText()));
        viewer.findBar()->setText(QStringLiteral("line 1"));
        // "line 1", "line 10".."line 19", "line 100".."line 199": of those, 100..199 are kept.
        QTRY_COMPARE(viewer.findBar()->matchCount(), 100);

        // Wrap.
        viewer.findChild<QCheckBox *>(QStringLiteral("wrapBox"))->click();
        QCOMPARE(viewer.textView()->lineWrapMode(), QPlainTextEdit::WidgetWidth);

        // Another container: a new stream, and the API's error for it in the status line.
        m_sim->api()->setLogSource(nullptr); // the simulator then says logs are unavailable
        QSignalSpy ended(&viewer, &PodLogViewer::streamEnded);
        containers->setCurrentText(QStringLiteral("sidecar"));
        QCOMPARE(viewer.container(), QStringLiteral("sidecar"));
        QCOMPARE(viewer.windowTitle(), QStringLiteral("Logs — %1/sidecar").arg(pod));
        QCOMPARE(viewer.lineCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(ended.count(), 1, kTimeout);
        QVERIFY2(viewer.statusText().startsWith(u"Ended: ") &&
                     viewer.statusText().contains(u"logs are not available"),
                 qPrintable(viewer.statusText()));
        screenshot(&viewer, QStringLiteral("podlogviewer-error.png"));
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestObjectViewers)
#include "tst_objectviewers.moc"
