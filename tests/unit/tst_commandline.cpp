#include "common/commandline.h"
#include "common/version.h"
#include "testmain.h"

using namespace rollscope;

class TestCommandLine : public QObject
{
    Q_OBJECT
private slots:
    void noArgumentsOpensTheWindow()
    {
        const auto parsed = CommandLine::parse({QStringLiteral("rollscope")});
        QCOMPARE(parsed.command, Command::Gui);
        QVERIFY(parsed.connection.kubeconfig.isEmpty());
        QVERIFY(parsed.connection.context.isEmpty());
    }

    void connectionOptions()
    {
        const auto parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--kubeconfig"),
                                QStringLiteral("/tmp/k.yaml"), QStringLiteral("--context=prod"),
                                QStringLiteral("-n"), QStringLiteral("team-a")});
        QCOMPARE(parsed.command, Command::Gui);
        QCOMPARE(parsed.connection.kubeconfig, QStringLiteral("/tmp/k.yaml"));
        QCOMPARE(parsed.connection.context, QStringLiteral("prod"));
        QCOMPARE(parsed.connection.ns, QStringLiteral("team-a"));
    }

    void versionIsPrintedToStdout()
    {
        const auto parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--version")});
        QCOMPARE(parsed.command, Command::ShowText);
        QCOMPARE(parsed.exitCode, 0);
        QVERIFY(!parsed.toStderr);
        QCOMPARE(parsed.text, QStringLiteral("rollscope %1\n").arg(QLatin1StringView(kVersion)));
    }

    void helpListsTheOptions_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::newRow("--help") << QStringLiteral("--help");
        QTest::newRow("-h") << QStringLiteral("-h");
    }

    void helpListsTheOptions()
    {
        QFETCH(QString, flag);
        const auto parsed = CommandLine::parse({QStringLiteral("rollscope"), flag});
        QCOMPARE(parsed.command, Command::ShowText);
        QCOMPARE(parsed.exitCode, 0);
        for (const char *option :
             {"--kubeconfig", "--context", "--namespace", "--version", "--help"})
            QVERIFY2(parsed.text.contains(QLatin1StringView(option)), option);
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown option")
            << QStringList{QStringLiteral("--frobnicate")} << QStringLiteral("frobnicate");
        QTest::newRow("missing value")
            << QStringList{QStringLiteral("--context")} << QStringLiteral("context");
        QTest::newRow("unknown command")
            << QStringList{QStringLiteral("deploy")} << QStringLiteral("deploy");
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, mentions);
        arguments.prepend(QStringLiteral("rollscope"));
        const auto parsed = CommandLine::parse(arguments);
        QCOMPARE(parsed.command, Command::ShowText);
        QCOMPARE(parsed.exitCode, kExitUsage);
        QVERIFY(parsed.toStderr);
        QVERIFY2(parsed.text.contains(mentions), qPrintable(parsed.text));
    }
};

ROLLSCOPE_TEST_MAIN(TestCommandLine)
#include "tst_commandline.moc"
