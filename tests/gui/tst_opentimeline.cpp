// SPDX-License-Identifier: MIT
// `rollscope FILE.json` opens a saved timeline in the read-only viewer: the command line is
// parsed and the window started exactly as main() does, with the fixtures in tests/data/timeline.
#include "cli/commandline.h"
#include "dialogwatch.h"
#include "mainwindow.h"
#include "testmain.h"
#include "timelineviewer.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QMessageBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QTimer>

using namespace rollscope;
using rollscope::test::whenDialogOpens;

namespace {

QString timelineDir()
{
    QString dir = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (dir.isEmpty())
        dir = QStringLiteral(QT_TESTCASE_SOURCEDIR "/../..");
    return QDir::cleanPath(dir + QStringLiteral("/tests/data/timeline"));
}

} // namespace

class TestOpenTimeline : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // As main(): parse, then start the window with the parsed options. The kubeconfig is a
    // missing file, so the window shows its connection problem and talks to no cluster.
    std::unique_ptr<MainWindow> startLikeMain(const QString &file)
    {
        const ParsedCommandLine parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--kubeconfig"),
                                m_dir.filePath(QStringLiteral("no-kubeconfig.yaml")), file});
        if (parsed.command != Command::Gui) {
            qWarning("%s", qPrintable(parsed.text));
            return {};
        }
        auto window = std::make_unique<MainWindow>();
        window->show();
        StartOptions options;
        options.kubeconfig = parsed.connection.kubeconfig;
        options.context = parsed.connection.context;
        options.ns = parsed.connection.ns;
        options.demo = parsed.demo;
        options.demoSpeed = parsed.demoSpeed;
        options.timelineFile = parsed.timelineFile;
        window->start(options);
        return window;
    }

private slots:
    void initTestCase()
    {
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(timelineDir() + QStringLiteral("/demo.json")),
                 qPrintable(timelineDir()));
    }

    void opensASavedTimeline_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("demo.json") << QStringLiteral("demo.json");
        QTest::newRow("careless.json") << QStringLiteral("careless.json");
        QTest::newRow("autosaved .jsonl") << QStringLiteral("hostile/recording-with-end.jsonl");
    }

    void opensASavedTimeline()
    {
        QFETCH(QString, file);
        auto window = startLikeMain(timelineDir() + u'/' + file);
        QVERIFY(window);
        TimelineViewer *viewer = nullptr;
        QTRY_VERIFY((viewer = window->findChild<TimelineViewer *>()) != nullptr);
        QTRY_VERIFY(viewer->isVisible());
        QCOMPARE(viewer->timeline().name, QStringLiteral("demo-dp"));
        QVERIFY(viewer->windowTitle().contains(QStringLiteral("demo-dp")));
        QVERIFY(!viewer->timeline().samples.isEmpty());
    }

    // An existing file that is not a timeline: a message box names the file and what is wrong.
    void aBadFileIsExplained_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("other JSON") << QByteArray("{\"kind\": \"Deployment\"}")
                                    << QStringLiteral("Not a Rollscope timeline");
        QTest::newRow("empty") << QByteArray() << QStringLiteral("the file is empty");
        QTest::newRow("markup in the file")
            << QByteArray("{\"record\":\"header\",\"format\":\"<b>bold</b>\"}\n")
            << QStringLiteral("<b>bold</b>");
    }

    void aBadFileIsExplained()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        const QString path = m_dir.filePath(QStringLiteral("bad <b>name.json"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(content);
        file.close();

        QString text;
        Qt::TextFormat format = Qt::AutoText;
        whenDialogOpens<QMessageBox>([&text, &format](QMessageBox *box) {
            text = box->text();
            format = box->textFormat();
            box->accept();
        });
        auto window = startLikeMain(path);
        QVERIFY(window);
        QTRY_VERIFY(!text.isEmpty());
        QVERIFY2(text.contains(QDir::toNativeSeparators(path)), qPrintable(text));
        QVERIFY2(text.contains(mentions), qPrintable(text));
        // The file's name and content are shown as written, never as markup.
        QCOMPARE(format, Qt::PlainText);
        QVERIFY(!window->findChild<TimelineViewer *>());
    }
};

ROLLSCOPE_GUI_TEST_MAIN(TestOpenTimeline)
#include "tst_opentimeline.moc"
