#include "commandline.h"

#include "common/version.h"

#include <QCommandLineParser>

namespace rollscope {

namespace {

ParsedCommandLine textResult(const QString &text, int exitCode)
{
    ParsedCommandLine result;
    result.command = Command::ShowText;
    result.text = text;
    result.exitCode = exitCode;
    result.toStderr = exitCode != 0;
    return result;
}

} // namespace

ParsedCommandLine CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Rollscope shows Kubernetes rolling updates as they happen: pods per version, "
           "responses per version, and a timeline you can export."));
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);

    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"), tr("Show the version and exit."));
    const QCommandLineOption kubeconfig(
        QStringLiteral("kubeconfig"),
        tr("Use this kubeconfig file only (default: $KUBECONFIG, else ~/.kube/config)."),
        tr("file"));
    const QCommandLineOption context(QStringLiteral("context"),
                                     tr("Use this kubeconfig context instead of the current one."),
                                     tr("name"));
    const QCommandLineOption ns({QStringLiteral("n"), QStringLiteral("namespace")},
                                tr("Show this namespace (default: the context's namespace)."),
                                tr("namespace"));
    parser.addOptions({help, version, kubeconfig, context, ns});

    if (!parser.parse(arguments))
        return textResult(parser.errorText() + u'\n' +
                              tr("Run '%1 --help' for usage.").arg(QStringLiteral("rollscope")) +
                              u'\n',
                          kExitUsage);

    if (parser.isSet(help))
        return textResult(parser.helpText(), 0);
    if (parser.isSet(version))
        return textResult(QStringLiteral("rollscope %1\n").arg(QLatin1StringView(kVersion)), 0);

    if (!parser.positionalArguments().isEmpty())
        return textResult(
            tr("Unknown command: %1").arg(parser.positionalArguments().first()) + u'\n' +
                tr("Run '%1 --help' for usage.").arg(QStringLiteral("rollscope")) + u'\n',
            kExitUsage);

    ParsedCommandLine result;
    result.command = Command::Gui;
    result.connection.kubeconfig = parser.value(kubeconfig);
    result.connection.context = parser.value(context);
    result.connection.ns = parser.value(ns);
    return result;
}

} // namespace rollscope
