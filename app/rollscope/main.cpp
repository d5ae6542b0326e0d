// SPDX-License-Identifier: MIT
// The composition root of the desktop app and its headless commands.
#include "cli/commandline.h"
#include "cli/getcommand.h"
#include "cli/interrupt.h"
#include "cli/rolloutcommand.h"
#include "common/allocator.h"
#include "common/openssl.h"
#include "common/translations.h"
#include "common/version.h"
#include "completion.h"
#include "mainwindow.h"
#include "simulator/cluster.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace rollscope;

namespace {

void setApplicationIdentity()
{
    QCoreApplication::setApplicationName(QLatin1StringView(kApplicationName));
    QCoreApplication::setOrganizationName(QLatin1StringView(kOrganizationName));
    QCoreApplication::setOrganizationDomain(QLatin1StringView(kOrganizationDomain));
    QCoreApplication::setApplicationVersion(QLatin1StringView(kVersion));
}

// Help and usage errors in the user's language: translators need a QCoreApplication, so this
// parses again once they are installed.
int printText(int argc, char **argv, const QStringList &arguments)
{
    QCoreApplication app(argc, argv);
    Translations::installFor(Translations::languageFromArguments(arguments));
    const ParsedCommandLine parsed = CommandLine::parse(arguments);
    QTextStream out(parsed.toStderr ? stderr : stdout);
    out << parsed.text;
    return parsed.exitCode;
}

QStringList argumentsOf(int argc, char **argv)
{
    QStringList arguments;
    arguments.reserve(argc);
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    return arguments;
}

// Headless commands: a QCoreApplication, no GUI, the same client code as the window.
int runGetDeployments(int argc, char **argv, const ParsedCommandLine &parsed)
{
    QCoreApplication app(argc, argv);
    Translations::installFor(parsed.language);
    kube::GetOptions options;
    options.kubeconfig = parsed.connection.kubeconfig;
    options.context = parsed.connection.context;
    options.ns = parsed.connection.ns;
    options.allNamespaces = parsed.allNamespaces;
    options.verbosity = parsed.verbosity;
    switch (parsed.output) {
    case OutputFormat::Table:
        options.output = kube::GetOptions::Output::Table;
        break;
    case OutputFormat::Wide:
        options.output = kube::GetOptions::Output::Wide;
        break;
    case OutputFormat::Json:
        options.output = kube::GetOptions::Output::Json;
        break;
    }
    kube::GetCommand command(options);
    QObject::connect(&command, &kube::GetCommand::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    QTimer::singleShot(0, &command, &kube::GetCommand::start);
    return app.exec();
}

// `rollscope rollout`: Ctrl-C still writes the timeline, marked aborted.
int runRollout(int argc, char **argv, const ParsedCommandLine &parsed)
{
    QCoreApplication app(argc, argv);
    Translations::installFor(parsed.language);
    timeline::RolloutCommandOptions options;
    options.kubeconfig = parsed.connection.kubeconfig;
    options.context = parsed.connection.context;
    options.ns = parsed.connection.ns;
    options.verbosity = parsed.verbosity;
    const RolloutArguments &r = parsed.rollout;
    options.deployment = r.deployment;
    options.container = r.container;
    options.image = r.image;
    switch (r.probe) {
    case ProbeMode::Auto:
        options.probe = timeline::RolloutCommandOptions::Probe::Auto;
        break;
    case ProbeMode::Url:
        options.probe = timeline::RolloutCommandOptions::Probe::Url;
        break;
    case ProbeMode::Off:
        options.probe = timeline::RolloutCommandOptions::Probe::Off;
        break;
    }
    options.probeUrl = r.probeUrl;
    options.rate = r.rate;
    options.timelineFile = r.timelineFile;
    options.reportFile = r.reportFile;
    options.csvFile = r.csvFile;
    options.timeoutSeconds = r.timeoutSeconds;
    timeline::RolloutCommand command(options);
    QObject::connect(&command, &timeline::RolloutCommand::finished, &app,
                     [](int exitCode) { QCoreApplication::exit(exitCode); });
    cli::onInterrupt(&command, [&command] { command.abort(); });
    QTimer::singleShot(0, &command, &timeline::RolloutCommand::start);
    return app.exec();
}

} // namespace

int main(int argc, char **argv)
{
    keepOpenSslUntilExit(); // before anything uses TLS: see common/openssl.h
    limitAllocatorArenas(); // before any thread starts: see common/allocator.h
    setApplicationIdentity();
    // The shell completion's hidden helper, before anything parses or prints.
    if (isCompletionRequest(argc, argv))
        return runCompletion(argc, argv);
    const QStringList arguments = argumentsOf(argc, argv);
    const ParsedCommandLine parsed = CommandLine::parse(arguments);
    if (parsed.command == Command::ShowText)
        return printText(argc, argv, arguments);
    if (parsed.command == Command::GetDeployments)
        return runGetDeployments(argc, argv, parsed);
    if (parsed.command == Command::Rollout)
        return runRollout(argc, argv, parsed);

    QApplication app(argc, argv);
    Translations::installFor(parsed.language);
    QApplication::setDesktopFileName(QStringLiteral("dev.rollscope.Rollscope"));
    // The window's demo cluster is the simulator, on its own thread.
    sim::SimClusterThread::installAsDemoCluster();

    MainWindow window;
    window.show();
    StartOptions options;
    options.kubeconfig = parsed.connection.kubeconfig;
    options.context = parsed.connection.context;
    options.ns = parsed.connection.ns;
    options.demo = parsed.demo;
    options.demoSpeed = parsed.demoSpeed;
    options.timelineFile = parsed.timelineFile;
    window.start(options);
    return app.exec();
}
