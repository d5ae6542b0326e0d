// SPDX-License-Identifier: MIT
#include "cli/commandline.h"
#include "common/translations.h"
#include "common/version.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>

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

    void demoStartsTheBuiltInCluster()
    {
        const auto plain = CommandLine::parse({QStringLiteral("rollscope")});
        QVERIFY(!plain.demo);
        const auto demo =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--demo")});
        QCOMPARE(demo.command, Command::Gui);
        QVERIFY(demo.demo);
        QCOMPARE(demo.demoSpeed, 1.0);
        const auto fast = CommandLine::parse(
            {QStringLiteral("rollscope"), QStringLiteral("--demo-speed"), QStringLiteral("4")});
        QCOMPARE(fast.command, Command::Gui);
        QVERIFY(fast.demo);
        QCOMPARE(fast.demoSpeed, 4.0);
    }

    // The demo can be slowed down (below 1) as well as sped up; the simulator's clock takes any
    // positive factor.
    void demoSpeedRange_data()
    {
        QTest::addColumn<QString>("speed");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<double>("expected");
        QTest::newRow("0.25 (slowest)") << QStringLiteral("0.25") << true << 0.25;
        QTest::newRow("0.5") << QStringLiteral("0.5") << true << 0.5;
        QTest::newRow("1") << QStringLiteral("1") << true << 1.0;
        QTest::newRow("20 (fastest)") << QStringLiteral("20") << true << 20.0;
        QTest::newRow("0.2 too slow") << QStringLiteral("0.2") << false << 0.0;
        QTest::newRow("0") << QStringLiteral("0") << false << 0.0;
        QTest::newRow("negative") << QStringLiteral("-1") << false << 0.0;
        QTest::newRow("20.5 too fast") << QStringLiteral("20.5") << false << 0.0;
        QTest::newRow("nan") << QStringLiteral("nan") << false << 0.0;
        QTest::newRow("not a number") << QStringLiteral("slow") << false << 0.0;
    }

    void demoSpeedRange()
    {
        QFETCH(QString, speed);
        QFETCH(bool, accepted);
        QFETCH(double, expected);
        const auto parsed = CommandLine::parse(
            {QStringLiteral("rollscope"), QStringLiteral("--demo-speed"), speed});
        if (accepted) {
            QCOMPARE(parsed.command, Command::Gui);
            QVERIFY(parsed.demo);
            QCOMPARE(parsed.demoSpeed, expected);
        } else {
            QCOMPARE(parsed.command, Command::ShowText);
            QCOMPARE(parsed.exitCode, kExitUsage);
            QVERIFY2(parsed.text.contains(QStringLiteral("from 0.25 to 20")),
                     qPrintable(parsed.text));
        }
    }

    // `rollscope FILE.json` opens a saved timeline in the window; a missing file is a usage
    // error before any window opens.
    void timelineFileArgument_data()
    {
        QTest::addColumn<QStringList>("arguments"); // "@DIR" is replaced by a directory
        QTest::addColumn<int>("command");
        QTest::addColumn<QString>("timelineFile"); // relative to the directory; "" none
        QTest::addColumn<QString>("mentions");     // in the usage error
        QTest::newRow(".json") << QStringList{QStringLiteral("@DIR/saved.json")}
                               << int(Command::Gui) << QStringLiteral("saved.json") << QString();
        QTest::newRow(".jsonl autosave")
            << QStringList{QStringLiteral("@DIR/autosave.jsonl")} << int(Command::Gui)
            << QStringLiteral("autosave.jsonl") << QString();
        QTest::newRow("upper-case extension")
            << QStringList{QStringLiteral("@DIR/SAVED.JSON")} << int(Command::Gui)
            << QStringLiteral("SAVED.JSON") << QString();
        QTest::newRow("with --demo and a speed")
            << QStringList{QStringLiteral("--demo-speed=0.5"), QStringLiteral("@DIR/saved.json")}
            << int(Command::Gui) << QStringLiteral("saved.json") << QString();
        QTest::newRow("missing file")
            << QStringList{QStringLiteral("@DIR/missing.json")} << int(Command::ShowText)
            << QString() << QStringLiteral("no such file");
        QTest::newRow("a directory")
            << QStringList{QStringLiteral("@DIR/folder.json")} << int(Command::ShowText)
            << QString() << QStringLiteral("is a directory");
        QTest::newRow("two files")
            << QStringList{QStringLiteral("@DIR/saved.json"), QStringLiteral("@DIR/SAVED.JSON")}
            << int(Command::ShowText) << QString() << QStringLiteral("one timeline at a time");
        QTest::newRow("with -o") << QStringList{QStringLiteral("@DIR/saved.json"),
                                                QStringLiteral("-o"), QStringLiteral("json")}
                                 << int(Command::ShowText) << QString()
                                 << QStringLiteral("-A and -o");
        QTest::newRow("with --image")
            << QStringList{QStringLiteral("@DIR/saved.json"), QStringLiteral("--image=a=b")}
            << int(Command::ShowText) << QString()
            << QStringLiteral("--image only applies to \"rollout\"");
        QTest::newRow("other file names stay unknown commands")
            << QStringList{QStringLiteral("@DIR/saved.txt")} << int(Command::ShowText) << QString()
            << QStringLiteral("Unknown command");
    }

    void timelineFileArgument()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, command);
        QFETCH(QString, timelineFile);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        for (const char *name : {"saved.json", "autosave.jsonl", "SAVED.JSON", "saved.txt"}) {
            QFile file(dir.filePath(QLatin1StringView(name)));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("folder.json")));
        for (QString &argument : arguments)
            argument.replace(QStringLiteral("@DIR"), dir.path());
        arguments.prepend(QStringLiteral("rollscope"));

        const auto parsed = CommandLine::parse(arguments);
        QCOMPARE(int(parsed.command), command);
        if (parsed.command == Command::Gui) {
            QCOMPARE(parsed.timelineFile, QFileInfo(dir.filePath(timelineFile)).absoluteFilePath());
        } else {
            QCOMPARE(parsed.exitCode, kExitUsage);
            QVERIFY(parsed.toStderr);
            QVERIFY2(parsed.text.contains(mentions), qPrintable(parsed.text));
        }
    }

    void noTimelineFileByDefault()
    {
        QVERIFY(CommandLine::parse({QStringLiteral("rollscope")}).timelineFile.isEmpty());
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
        for (const char *option : {"--kubeconfig", "--context", "--namespace", "--version",
                                   "--help", "--all-namespaces", "--output", "-v", "--demo"})
            QVERIFY2(parsed.text.contains(QLatin1StringView(option)), option);
        QVERIFY(parsed.text.contains(QStringLiteral("get deployments")));
    }

    // Qt's usage line would name this process's argv[0] (here the test binary; before a
    // QCoreApplication exists, "<executable_name>").
    void helpSaysUsageRollscope()
    {
        const auto parsed = CommandLine::parse(
            {QStringLiteral("/usr/lib/some/where/rollscope-binary"), QStringLiteral("--help")});
        QVERIFY2(parsed.text.startsWith(QStringLiteral("Usage: rollscope [options] ")),
                 qPrintable(parsed.text.section(u'\n', 0, 0)));
        QVERIFY(!parsed.text.contains(QStringLiteral("executable_name")));
        QVERIFY(!parsed.text.contains(QCoreApplication::arguments().constFirst()));
        QVERIFY(parsed.text.contains(QStringLiteral("FILE.json")));
        QVERIFY(parsed.text.contains(QStringLiteral("0.25")));
    }

    // Headless commands run exec plugins without asking, as kubectl does; the help says so.
    void helpMentionsExecPluginsRunWithoutAsking()
    {
        const auto parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--help")});
        QVERIFY(parsed.text.contains(QStringLiteral("exec credential plugins without asking")));
    }

    void getDeployments_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<bool>("allNamespaces");
        QTest::addColumn<int>("output");
        QTest::addColumn<int>("verbosity");
        QTest::addColumn<QString>("ns");
        QTest::newRow("deployments")
            << QStringList{QStringLiteral("get"), QStringLiteral("deployments")} << false
            << int(OutputFormat::Table) << 0 << QString();
        QTest::newRow("deployment -A")
            << QStringList{QStringLiteral("get"), QStringLiteral("deployment"),
                           QStringLiteral("-A")}
            << true << int(OutputFormat::Table) << 0 << QString();
        QTest::newRow("deploy --all-namespaces -o wide")
            << QStringList{QStringLiteral("get"), QStringLiteral("deploy"),
                           QStringLiteral("--all-namespaces"), QStringLiteral("-o"),
                           QStringLiteral("wide")}
            << true << int(OutputFormat::Wide) << 0 << QString();
        QTest::newRow("-owide -n shop")
            << QStringList{QStringLiteral("get"), QStringLiteral("deploy"),
                           QStringLiteral("-owide"), QStringLiteral("-n"), QStringLiteral("shop")}
            << false << int(OutputFormat::Wide) << 0 << "shop";
        QTest::newRow("--output=json")
            << QStringList{QStringLiteral("get"), QStringLiteral("deployments"),
                           QStringLiteral("--output=json")}
            << false << int(OutputFormat::Json) << 0 << QString();
        QTest::newRow("-v 6 before the command")
            << QStringList{QStringLiteral("-v"), QStringLiteral("6"), QStringLiteral("get"),
                           QStringLiteral("deploy")}
            << false << int(OutputFormat::Table) << 6 << QString();
        QTest::newRow("-v=8") << QStringList{QStringLiteral("get"), QStringLiteral("deploy"),
                                             QStringLiteral("-v=8")}
                              << false << int(OutputFormat::Table) << 8 << QString();
        QTest::newRow("--v=9") << QStringList{QStringLiteral("get"), QStringLiteral("deploy"),
                                              QStringLiteral("--v=9")}
                               << false << int(OutputFormat::Table) << 9 << QString();
        QTest::newRow("--v 7") << QStringList{QStringLiteral("--v"), QStringLiteral("7"),
                                              QStringLiteral("get"), QStringLiteral("deploy")}
                               << false << int(OutputFormat::Table) << 7 << QString();
    }
    void getDeployments()
    {
        QFETCH(QStringList, arguments);
        QFETCH(bool, allNamespaces);
        QFETCH(int, output);
        QFETCH(int, verbosity);
        QFETCH(QString, ns);
        arguments.prepend(QStringLiteral("rollscope"));
        arguments << QStringLiteral("--kubeconfig") << QStringLiteral("/tmp/k.yaml")
                  << QStringLiteral("--context") << QStringLiteral("rollscope-sim");
        const auto parsed = CommandLine::parse(arguments);
        QCOMPARE(parsed.command, Command::GetDeployments);
        QCOMPARE(parsed.allNamespaces, allNamespaces);
        QCOMPARE(int(parsed.output), output);
        QCOMPARE(parsed.verbosity, verbosity);
        QCOMPARE(parsed.connection.ns, ns);
        QCOMPARE(parsed.connection.kubeconfig, QStringLiteral("/tmp/k.yaml"));
        QCOMPARE(parsed.connection.context, QStringLiteral("rollscope-sim"));
    }

    void verbosityAppliesToTheWindowToo()
    {
        const auto parsed = CommandLine::parse(
            {QStringLiteral("rollscope"), QStringLiteral("-v"), QStringLiteral("6")});
        QCOMPARE(parsed.command, Command::Gui);
        QCOMPARE(parsed.verbosity, 6);
    }

    void rollout_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("deployment");
        QTest::addColumn<QString>("container");
        QTest::addColumn<QString>("image");
        QTest::addColumn<int>("probe");
        QTest::addColumn<QString>("probeUrl");
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("timeout");
        QTest::newRow("defaults") << QStringList{QStringLiteral("rollout"),
                                                 QStringLiteral("deployment/demo-dp"),
                                                 QStringLiteral("--image"),
                                                 QStringLiteral("demo=bebullish/demo:v2")}
                                  << "demo-dp"
                                  << "demo"
                                  << "bebullish/demo:v2" << int(ProbeMode::Auto) << QString()
                                  << 20.0 << 600;
        QTest::newRow("watch, deploy NAME, probe off")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deploy"),
                           QStringLiteral("web"), QStringLiteral("--probe"), QStringLiteral("off")}
            << "web" << QString() << QString() << int(ProbeMode::Off) << QString() << 20.0 << 600;
        QTest::newRow("url, rate, timeout in minutes")
            << QStringList{QStringLiteral("rollout"),
                           QStringLiteral("deployments.apps/api"),
                           QStringLiteral("--image=app=registry.local:5000/api@sha256:abc"),
                           QStringLiteral("--probe"),
                           QStringLiteral("http://127.0.0.1:8080/health"),
                           QStringLiteral("--rate"),
                           QStringLiteral("2.5"),
                           QStringLiteral("--timeout"),
                           QStringLiteral("10m")}
            << "api"
            << "app"
            << "registry.local:5000/api@sha256:abc" << int(ProbeMode::Url)
            << "http://127.0.0.1:8080/health" << 2.5 << 600;
        QTest::newRow("timeout 1h30m")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/x"),
                           QStringLiteral("--timeout=1h30m")}
            << "x" << QString() << QString() << int(ProbeMode::Auto) << QString() << 20.0 << 5400;
        QTest::newRow("timeout 90s")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/x"),
                           QStringLiteral("--timeout"), QStringLiteral("90s")}
            << "x" << QString() << QString() << int(ProbeMode::Auto) << QString() << 20.0 << 90;
    }
    void rollout()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, deployment);
        QFETCH(QString, container);
        QFETCH(QString, image);
        QFETCH(int, probe);
        QFETCH(QString, probeUrl);
        QFETCH(double, rate);
        QFETCH(int, timeout);
        arguments.prepend(QStringLiteral("rollscope"));
        arguments << QStringLiteral("-n") << QStringLiteral("shop") << QStringLiteral("--context")
                  << QStringLiteral("prod");
        const auto parsed = CommandLine::parse(arguments);
        QCOMPARE(parsed.command, Command::Rollout);
        QCOMPARE(parsed.connection.ns, QStringLiteral("shop"));
        QCOMPARE(parsed.connection.context, QStringLiteral("prod"));
        const RolloutArguments &r = parsed.rollout;
        QCOMPARE(r.deployment, deployment);
        QCOMPARE(r.container, container);
        QCOMPARE(r.image, image);
        QCOMPARE(int(r.probe), probe);
        QCOMPARE(r.probeUrl, probeUrl);
        QCOMPARE(r.rate, rate);
        QCOMPARE(r.timeoutSeconds, timeout);
    }

    void rolloutFiles()
    {
        const auto parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("rollout"),
                                QStringLiteral("deployment/demo-dp"), QStringLiteral("--timeline"),
                                QStringLiteral("t.json"), QStringLiteral("--report=r.html"),
                                QStringLiteral("--csv"), QStringLiteral("c.csv")});
        QCOMPARE(parsed.command, Command::Rollout);
        QCOMPARE(parsed.rollout.timelineFile, QStringLiteral("t.json"));
        QCOMPARE(parsed.rollout.reportFile, QStringLiteral("r.html"));
        QCOMPARE(parsed.rollout.csvFile, QStringLiteral("c.csv"));
    }

    void helpDescribesRollout()
    {
        const auto parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--help")});
        for (const char *text :
             {"rollout deployment/NAME", "--image", "--probe", "--rate", "--timeline", "--report",
              "--csv", "--timeout", "2 complete but requests failed", "64 usage"})
            QVERIFY2(parsed.text.contains(QLatin1StringView(text)), text);
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
        QTest::newRow("get without a resource")
            << QStringList{QStringLiteral("get")} << QStringLiteral("needs a resource type");
        QTest::newRow("get pods") << QStringList{QStringLiteral("get"), QStringLiteral("pods")}
                                  << QStringLiteral("pods");
        QTest::newRow("get deploy NAME")
            << QStringList{QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("x")}
            << QStringLiteral("Unexpected argument: x");
        QTest::newRow("unknown output")
            << QStringList{QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("-o"),
                           QStringLiteral("yaml")}
            << QStringLiteral("allowed formats are: json,wide");
        QTest::newRow("-A without a command")
            << QStringList{QStringLiteral("-A")} << QStringLiteral("headless");
        QTest::newRow("verbosity not a number")
            << QStringList{QStringLiteral("-v"), QStringLiteral("lots")} << QStringLiteral("lots");
        // rollout
        QTest::newRow("rollout without a deployment")
            << QStringList{QStringLiteral("rollout")} << QStringLiteral("needs a Deployment");
        QTest::newRow("rollout of a pod")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("pod/x")}
            << QStringLiteral("deployment/NAME");
        QTest::newRow("rollout of two deployments")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/a"),
                           QStringLiteral("deployment/b")}
            << QStringLiteral("deployment/NAME");
        QTest::newRow("rollout deployment/ without a name")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/")}
            << QStringLiteral("deployment/NAME");
        QTest::newRow("--image without =")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--image"), QStringLiteral("bebullish/demo:v2")}
            << QStringLiteral("CONTAINER=IMAGE");
        QTest::newRow("--image without an image")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--image"), QStringLiteral("demo=")}
            << QStringLiteral("CONTAINER=IMAGE");
        QTest::newRow("two --image")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--image=a=x:1"), QStringLiteral("--image=b=y:1")}
            << QStringLiteral("one --image");
        QTest::newRow("--rate not a number")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--rate"), QStringLiteral("fast")}
            << QStringLiteral("--rate");
        QTest::newRow("--rate too high")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--rate"), QStringLiteral("1e6")}
            << QStringLiteral("--rate");
        QTest::newRow("--rate zero")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--rate=0")}
            << QStringLiteral("--rate");
        QTest::newRow("--timeout not a duration")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--timeout"), QStringLiteral("soon")}
            << QStringLiteral("--timeout");
        QTest::newRow("--timeout zero")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--timeout=0")}
            << QStringLiteral("--timeout");
        QTest::newRow("--timeline without a file")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--timeline=")}
            << QStringLiteral("--timeline");
        QTest::newRow("--probe empty")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("--probe=")}
            << QStringLiteral("--probe");
        QTest::newRow("-o with rollout")
            << QStringList{QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                           QStringLiteral("-o"), QStringLiteral("json")}
            << QStringLiteral("rollout");
        QTest::newRow("--image with get")
            << QStringList{QStringLiteral("get"), QStringLiteral("deploy"),
                           QStringLiteral("--image"), QStringLiteral("a=b")}
            << QStringLiteral("--image only applies to \"rollout\"");
        QTest::newRow("--demo with a kubeconfig")
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--kubeconfig"),
                           QStringLiteral("k.yaml")}
            << QStringLiteral("--demo cannot be combined");
        QTest::newRow("--demo with get")
            << QStringList{QStringLiteral("get"), QStringLiteral("deploy"),
                           QStringLiteral("--demo")}
            << QStringLiteral("only apply to the window");
        QTest::newRow("--demo-speed out of range")
            << QStringList{QStringLiteral("--demo-speed"), QStringLiteral("100")}
            << QStringLiteral("Invalid --demo-speed \"100\"");
        QTest::newRow("--report without a command")
            << QStringList{QStringLiteral("--report"), QStringLiteral("r.html")}
            << QStringLiteral("--report only applies to \"rollout\"");
    }

    // --help lists the options in one fixed order (the option table's); scripts and the manual
    // page follow it.
    void helpListsTheOptionsInOrder()
    {
        const auto parsed =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--help")});
        // Option lines start with two spaces; wrapped descriptions are indented further.
        static const QRegularExpression optionLine(QStringLiteral("^  (-[^ ,]+)(?:, (--[^ ]+))?"),
                                                   QRegularExpression::MultilineOption);
        QStringList options;
        for (const QRegularExpressionMatch &m : optionLine.globalMatch(parsed.text))
            options << (m.captured(2).isEmpty() ? m.captured(1) : m.captured(2));
        const QStringList expected{
            QStringLiteral("--help"),       QStringLiteral("--version"),
            QStringLiteral("--kubeconfig"), QStringLiteral("--context"),
            QStringLiteral("--namespace"),  QStringLiteral("--all-namespaces"),
            QStringLiteral("--output"),     QStringLiteral("-v"),
            QStringLiteral("--image"),      QStringLiteral("--probe"),
            QStringLiteral("--rate"),       QStringLiteral("--timeline"),
            QStringLiteral("--report"),     QStringLiteral("--csv"),
            QStringLiteral("--timeout"),    QStringLiteral("--demo"),
            QStringLiteral("--demo-speed"), QStringLiteral("--lang")};
        QCOMPARE(options, expected);
    }

    // When a command line has several problems, the one named is always the same: the checks
    // run in a fixed order, whatever the order of the arguments.
    void usageErrorPrecedence_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message"); // the first line of the text, exactly
        const QString demoOnHeadless =
            QStringLiteral("--demo and --demo-speed only apply to the window; run rollscope-sim "
                           "for a headless demo cluster.");
        const QString getOptionsOnWindow = QStringLiteral(
            "-A and -o only apply to headless commands such as \"get deployments\".");
        const auto args = [](std::initializer_list<const char *> words) {
            QStringList list;
            for (const char *word : words)
                list << QString::fromUtf8(word);
            return list;
        };
        QTest::newRow("language before verbosity")
            << args({"-v", "x", "--lang", "tlh"})
            << QStringLiteral("Unsupported language \"tlh\": use one of %1.")
                   .arg(Translations::languages().join(QLatin1StringView(", ")));
        QTest::newRow("verbosity before the command's checks")
            << args({"get", "deploy", "--demo", "-v", "x"})
            << QStringLiteral("Invalid verbosity \"x\": use a number from 0 to 10.");
        QTest::newRow("--demo on get before rollout options")
            << args({"get", "deploy", "--image", "a=b", "--demo"}) << demoOnHeadless;
        QTest::newRow("--demo-speed on rollout before -o")
            << args({"rollout", "deployment/x", "-o", "json", "--demo-speed", "2"})
            << demoOnHeadless;
        QTest::newRow("--demo on an unknown command before the command")
            << args({"frobnicate", "--demo"}) << demoOnHeadless;
        QTest::newRow("rollout option before an unknown command")
            << args({"frobnicate", "--timeout", "5"})
            << QStringLiteral("--timeout only applies to \"rollout\".");
        QTest::newRow("-A is no rollout option, and no problem for an unknown command")
            << args({"frobnicate", "-A"})
            << QStringLiteral("Unknown command: frobnicate (to open a saved timeline, give its "
                              ".json or .jsonl file)");
        QTest::newRow("-o on rollout before its Deployment")
            << args({"rollout", "pod/x", "-o", "json"})
            << QStringLiteral("-A and -o do not apply to \"rollout\".");
        QTest::newRow("window: --demo-speed before -A")
            << args({"-A", "--demo-speed", "100"})
            << QStringLiteral("Invalid --demo-speed \"100\": use a factor from 0.25 to 20.");
        QTest::newRow("window: --demo with a kubeconfig before rollout options")
            << args({"--report", "r.html", "--demo", "--kubeconfig", "k.yaml"})
            << QStringLiteral("--demo cannot be combined with --kubeconfig or --context.");
        QTest::newRow("window: -A before rollout options")
            << args({"--image", "a=b", "-A"}) << getOptionsOnWindow;
        QTest::newRow("rollout options in the table's order, not the line's")
            << args({"--csv", "c.csv", "--timeout", "5", "--image", "a=b"})
            << QStringLiteral("--image only applies to \"rollout\".");
        QTest::newRow("misplaced option before a missing timeline")
            << args({"/nonexistent/saved.json", "--rate", "5"})
            << QStringLiteral("--rate only applies to \"rollout\".");
        QTest::newRow("get: the resource before -o")
            << args({"get", "pods", "-o", "yaml"})
            << QStringLiteral("\"get\" supports only deployments (deployment, deploy), not "
                              "\"pods\".");
        QTest::newRow("rollout: the Deployment before --image")
            << args({"rollout", "pod/x", "--image", "bad"})
            << QStringLiteral("\"rollout\" takes one Deployment as deployment/NAME, not "
                              "\"pod/x\".");
        QTest::newRow("rollout: --image before --probe")
            << args({"rollout", "deployment/x", "--probe=", "--image", "bad"})
            << QStringLiteral("--image expects CONTAINER=IMAGE, e.g. demo=bebullish/demo:v2, "
                              "not \"bad\".");
        QTest::newRow("rollout: --rate before --timeout")
            << args({"rollout", "deployment/x", "--timeout", "soon", "--rate", "0"})
            << QStringLiteral("Invalid --rate \"0\": use a number of requests per second from "
                              "0.1 to 10000.");
        QTest::newRow("rollout: --timeout before the files")
            << args({"rollout", "deployment/x", "--csv=", "--timeout", "soon"})
            << QStringLiteral("Invalid --timeout \"soon\": use seconds (300) or a duration such "
                              "as 90s, 10m or 1h.");
        QTest::newRow("rollout: files in the table's order")
            << args({"rollout", "deployment/x", "--csv=", "--timeline="})
            << QStringLiteral("--timeline needs a file name.");
    }

    void usageErrorPrecedence()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        arguments.prepend(QStringLiteral("rollscope"));
        const auto parsed = CommandLine::parse(arguments);
        QCOMPARE(parsed.command, Command::ShowText);
        QCOMPARE(parsed.exitCode, kExitUsage);
        QVERIFY(parsed.toStderr);
        QCOMPARE(parsed.text, message + QStringLiteral("\nRun 'rollscope --help' for usage.\n"));
    }

    // Help and version win over any problem the rest of the line has.
    void helpAndVersionComeFirst()
    {
        const auto help = CommandLine::parse(
            {QStringLiteral("rollscope"), QStringLiteral("rollout"), QStringLiteral("--demo"),
             QStringLiteral("--version"), QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.text.startsWith(QStringLiteral("Usage: rollscope ")));
        const auto version =
            CommandLine::parse({QStringLiteral("rollscope"), QStringLiteral("--lang"),
                                QStringLiteral("tlh"), QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QCOMPARE(version.text, QStringLiteral("rollscope %1\n").arg(QLatin1StringView(kVersion)));
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
