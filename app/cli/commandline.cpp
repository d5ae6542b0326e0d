// SPDX-License-Identifier: MIT
#include "commandline.h"

#include "common/translations.h"
#include "common/version.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <optional>

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

// kubectl (pflag) spells verbosity "-v N", "-v=N", "--v N" and "--v=N"; Qt knows only the
// first two for a one-letter option.
QStringList normalized(const QStringList &arguments)
{
    QStringList result;
    result.reserve(arguments.size());
    for (const QString &argument : arguments) {
        if (argument == QLatin1StringView("--v"))
            result << QStringLiteral("-v");
        else if (argument.startsWith(QLatin1StringView("--v=")))
            result << QStringLiteral("-v") << argument.mid(4);
        else
            result << argument;
    }
    return result;
}

// Seconds from "300", "90s", "10m", "1h30m" (the subset of Go durations kubectl's --timeout
// users type).
std::optional<int> parseDurationSeconds(const QString &text)
{
    bool ok = false;
    const int plain = text.toInt(&ok);
    if (ok)
        return plain;
    static const QRegularExpression duration(
        QStringLiteral("\\A(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?\\z"));
    const QRegularExpressionMatch m = duration.match(text);
    if (text.isEmpty() || !m.hasMatch())
        return std::nullopt;
    const qint64 seconds = m.captured(1).toLongLong() * 3600 + m.captured(2).toLongLong() * 60 +
                           m.captured(3).toLongLong();
    if (seconds > 7 * 24 * 3600)
        return std::nullopt;
    return int(seconds);
}

// A positional argument that names a saved timeline rather than a command.
bool isTimelineArgument(const QString &argument)
{
    return argument.endsWith(QLatin1StringView(".json"), Qt::CaseInsensitive) ||
           argument.endsWith(QLatin1StringView(".jsonl"), Qt::CaseInsensitive);
}

} // namespace

ParsedCommandLine CommandLine::parse(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Rollscope shows Kubernetes rolling updates as they happen: pods per version, "
           "responses per version, and a timeline you can export.\n\n"
           "Headless commands (no window):\n"
           "  get deployments   list Deployments like kubectl get deployments (also: "
           "deployment, deploy)\n"
           "  rollout deployment/NAME --image CONTAINER=IMAGE\n"
           "                    change the image (as kubectl set image does), follow the "
           "rollout like kubectl rollout status, probe the Service with a fresh connection per "
           "request, record the timeline and write it (--timeline, --report, --csv). Without "
           "--image it follows the rollout already in progress. Exit status: 0 complete with no "
           "failed request, 2 complete but requests failed, 1 failed or timed out, 64 usage "
           "error. Recordings are also autosaved under the app data folder (timelines/).\n\n"
           "Headless commands run the kubeconfig's exec credential plugins without asking, as "
           "kubectl does; the desktop app asks before the first run of a plugin."));
    parser.addPositionalArgument(QStringLiteral("command"),
                                 tr("A headless command, e.g. \"get deployments\"; none opens "
                                    "the window."),
                                 tr("[get deployments | rollout deployment/NAME]"));
    parser.addPositionalArgument(QStringLiteral("timeline"),
                                 tr("A saved timeline (.json, or an autosaved .jsonl) to open "
                                    "read-only in the window."),
                                 tr("[FILE.json]"));

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
    const QCommandLineOption allNamespaces({QStringLiteral("A"), QStringLiteral("all-namespaces")},
                                           tr("get: list across all namespaces."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    tr("get: output format, wide or json (default: a table)."),
                                    tr("format"));
    const QCommandLineOption verbosity(
        QStringLiteral("v"),
        tr("Log API requests like kubectl -v: 6 requests, 7 request headers, 8 response headers "
           "and bodies, 9 everything. Credentials are always masked."),
        tr("level"));
    const QCommandLineOption image(
        QStringLiteral("image"),
        tr("rollout: the change to roll out, as kubectl set image takes it (container=image)."),
        tr("container=image"));
    const QCommandLineOption probe(
        QStringLiteral("probe"),
        tr("rollout: where to send requests: auto (the Deployment's Service: LoadBalancer, "
           "else NodePort, else the API server's service proxy), a URL, or off (default: auto)."),
        tr("auto|URL|off"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  tr("rollout: requests per second (default: 20)."), tr("n"));
    const QCommandLineOption timelineFile(QStringLiteral("timeline"),
                                          tr("rollout: write the timeline as JSON to this file."),
                                          tr("file.json"));
    const QCommandLineOption reportFile(
        QStringLiteral("report"),
        tr("rollout: write a self-contained HTML report (summary, charts, events) to this file."),
        tr("file.html"));
    const QCommandLineOption csvFile(QStringLiteral("csv"),
                                     tr("rollout: write the samples as CSV to this file."),
                                     tr("file.csv"));
    const QCommandLineOption timeout(
        QStringLiteral("timeout"),
        tr("rollout: give up after this long, e.g. 300, 90s, 10m (default: 10m)."), tr("seconds"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        tr("Open on the built-in demo cluster (rollscope-sim, in-process on loopback) even when "
           "a kubeconfig exists."));
    const QCommandLineOption demoSpeed(
        QStringLiteral("demo-speed"),
        tr("With --demo: run the demo cluster's clock this many times faster, from 0.25 (four "
           "times slower) to 20 (default: 1)."),
        tr("factor"));
    const QCommandLineOption language(
        QStringLiteral("lang"),
        tr("Speak this language: %1 (default: the View > Language choice, else the system's "
           "LANGUAGE or LANG).")
            .arg(Translations::languages().join(QLatin1StringView(", "))),
        tr("language"));
    parser.addOptions({help, version, kubeconfig, context, ns, allNamespaces, output, verbosity,
                       image, probe, rate, timelineFile, reportFile, csvFile, timeout, demo,
                       demoSpeed, language});
    const QList<const QCommandLineOption *> rolloutOptions{
        &image, &probe, &rate, &timelineFile, &reportFile, &csvFile, &timeout};
    const auto rolloutOptionSet = [&parser, &rolloutOptions]() -> QString {
        for (const QCommandLineOption *o : rolloutOptions) {
            if (parser.isSet(*o))
                return QStringLiteral("--") + o->names().constFirst();
        }
        return {};
    };

    const QString usageHint =
        tr("Run '%1 --help' for usage.").arg(QStringLiteral("rollscope")) + u'\n';
    const auto usageError = [&usageHint](const QString &message) {
        return textResult(message + u'\n' + usageHint, kExitUsage);
    };

    if (!parser.parse(normalized(arguments)))
        return usageError(parser.errorText());

    if (parser.isSet(help)) {
        // Qt's usage line names argv[0] of whatever process parses (or "<executable_name>"
        // before a QCoreApplication exists); the help should name the command a user types.
        QString text = parser.helpText();
        const qsizetype endOfUsage = text.indexOf(u'\n');
        text.replace(0, endOfUsage < 0 ? text.size() : endOfUsage,
                     tr("Usage: %1 [options] [get deployments | rollout deployment/NAME | "
                        "FILE.json]")
                         .arg(QStringLiteral("rollscope")));
        return textResult(text, 0);
    }
    if (parser.isSet(version))
        return textResult(QStringLiteral("rollscope %1\n").arg(QLatin1StringView(kVersion)), 0);

    ParsedCommandLine result;
    if (parser.isSet(language)) {
        result.language = Translations::normalized(parser.value(language));
        if (result.language.isEmpty())
            return usageError(tr("Unsupported language \"%1\": use one of %2.")
                                  .arg(parser.value(language),
                                       Translations::languages().join(QLatin1StringView(", "))));
    }
    result.connection.kubeconfig = parser.value(kubeconfig);
    result.connection.context = parser.value(context);
    result.connection.ns = parser.value(ns);
    if (parser.isSet(verbosity)) {
        bool ok = false;
        result.verbosity = parser.value(verbosity).toInt(&ok);
        if (!ok || result.verbosity < 0)
            return usageError(tr("Invalid verbosity \"%1\": use a number from 0 to 10.")
                                  .arg(parser.value(verbosity)));
    }

    const QStringList positional = parser.positionalArguments();
    const bool opensTimeline = !positional.isEmpty() && isTimelineArgument(positional.first());
    if (!positional.isEmpty() && !opensTimeline && (parser.isSet(demo) || parser.isSet(demoSpeed)))
        return usageError(tr("--demo and --demo-speed only apply to the window; run "
                             "rollscope-sim for a headless demo cluster."));
    if (parser.isSet(demoSpeed)) {
        bool ok = false;
        result.demoSpeed = parser.value(demoSpeed).toDouble(&ok);
        if (!ok || !(result.demoSpeed >= ParsedCommandLine::kMinDemoSpeed &&
                     result.demoSpeed <= ParsedCommandLine::kMaxDemoSpeed))
            return usageError(tr("Invalid --demo-speed \"%1\": use a factor from %2 to %3.")
                                  .arg(parser.value(demoSpeed))
                                  .arg(ParsedCommandLine::kMinDemoSpeed)
                                  .arg(ParsedCommandLine::kMaxDemoSpeed));
    }
    result.demo = parser.isSet(demo) || parser.isSet(demoSpeed);
    if (result.demo && (parser.isSet(kubeconfig) || parser.isSet(context)))
        return usageError(tr("--demo cannot be combined with --kubeconfig or --context."));
    if (positional.isEmpty() || opensTimeline) {
        if (parser.isSet(allNamespaces) || parser.isSet(output))
            return usageError(tr("-A and -o only apply to headless commands such as \"get "
                                 "deployments\"."));
        if (const QString option = rolloutOptionSet(); !option.isEmpty())
            return usageError(tr("%1 only applies to \"rollout\".").arg(option));
        if (opensTimeline) {
            if (positional.size() > 1)
                return usageError(tr("Open one timeline at a time; unexpected argument: %1")
                                      .arg(positional.at(1)));
            // A missing file is a typo on the command line: say so before any window opens.
            // What is wrong inside an existing file is the loader's to say, in the window.
            const QFileInfo file(positional.first());
            if (!file.exists())
                return usageError(tr("Cannot open the timeline \"%1\": there is no such file.")
                                      .arg(positional.first()));
            if (file.isDir())
                return usageError(tr("Cannot open the timeline \"%1\": it is a directory, not "
                                     "a timeline file.")
                                      .arg(positional.first()));
            result.timelineFile = file.absoluteFilePath();
        }
        result.command = Command::Gui;
        return result;
    }

    static const QStringList deploymentNames{
        QStringLiteral("deployments"),     QStringLiteral("deployment"),
        QStringLiteral("deploy"),          QStringLiteral("deployments.apps"),
        QStringLiteral("deployment.apps"), QStringLiteral("deploy.apps")};

    if (positional.first() == QLatin1StringView("rollout")) {
        if (parser.isSet(allNamespaces) || parser.isSet(output))
            return usageError(tr("-A and -o do not apply to \"rollout\"."));
        // kubectl spells the object deployment/NAME or "deployment NAME".
        QStringList object = positional.mid(1);
        if (object.size() == 1 && object.first().contains(u'/'))
            object = object.first().split(u'/');
        if (object.isEmpty())
            return usageError(tr("\"rollout\" needs a Deployment: %1 rollout deployment/NAME "
                                 "--image CONTAINER=IMAGE")
                                  .arg(QStringLiteral("rollscope")));
        if (object.size() != 2 || !deploymentNames.contains(object.first()) ||
            object.at(1).isEmpty())
            return usageError(tr("\"rollout\" takes one Deployment as deployment/NAME, not "
                                 "\"%1\".")
                                  .arg(positional.mid(1).join(u' ')));
        RolloutArguments &r = result.rollout;
        r.deployment = object.at(1);
        if (parser.isSet(image)) {
            const QStringList images = parser.values(image);
            if (images.size() > 1)
                return usageError(tr("Give one --image CONTAINER=IMAGE: a rollout records one "
                                     "change."));
            const QString change = images.first();
            const qsizetype eq = change.indexOf(u'=');
            if (eq <= 0 || eq == change.size() - 1)
                return usageError(
                    tr("--image expects CONTAINER=IMAGE, e.g. demo=bebullish/demo:v2, not "
                       "\"%1\".")
                        .arg(change));
            r.container = change.left(eq);
            r.image = change.mid(eq + 1);
        }
        if (parser.isSet(probe)) {
            const QString value = parser.value(probe);
            if (value == QLatin1StringView("auto")) {
                r.probe = ProbeMode::Auto;
            } else if (value == QLatin1StringView("off")) {
                r.probe = ProbeMode::Off;
            } else if (value.isEmpty()) {
                return usageError(tr("--probe expects auto, off or a URL."));
            } else {
                r.probe = ProbeMode::Url;
                r.probeUrl = value;
            }
        }
        if (parser.isSet(rate)) {
            bool ok = false;
            r.rate = parser.value(rate).toDouble(&ok);
            // The prober's limits (ProbeOptions::kMinRate, kMaxRate).
            if (!ok || !(r.rate >= 0.1 && r.rate <= 10000))
                return usageError(tr("Invalid --rate \"%1\": use a number of requests per "
                                     "second from 0.1 to 10000.")
                                      .arg(parser.value(rate)));
        }
        if (parser.isSet(timeout)) {
            const std::optional<int> seconds = parseDurationSeconds(parser.value(timeout));
            if (!seconds || *seconds <= 0)
                return usageError(tr("Invalid --timeout \"%1\": use seconds (300) or a "
                                     "duration such as 90s, 10m or 1h.")
                                      .arg(parser.value(timeout)));
            r.timeoutSeconds = *seconds;
        }
        r.timelineFile = parser.value(timelineFile);
        r.reportFile = parser.value(reportFile);
        r.csvFile = parser.value(csvFile);
        for (const QCommandLineOption *o : {&timelineFile, &reportFile, &csvFile}) {
            if (parser.isSet(*o) && parser.value(*o).isEmpty())
                return usageError(tr("--%1 needs a file name.").arg(o->names().constFirst()));
        }
        result.command = Command::Rollout;
        return result;
    }

    if (const QString option = rolloutOptionSet(); !option.isEmpty())
        return usageError(tr("%1 only applies to \"rollout\".").arg(option));
    if (positional.first() != QLatin1StringView("get"))
        return usageError(tr("Unknown command: %1 (to open a saved timeline, give its .json or "
                             ".jsonl file)")
                              .arg(positional.first()));
    if (positional.size() < 2)
        return usageError(tr("\"get\" needs a resource type: %1 get deployments")
                              .arg(QStringLiteral("rollscope")));
    if (!deploymentNames.contains(positional.at(1)))
        return usageError(tr("\"get\" supports only deployments (deployment, deploy), not "
                             "\"%1\".")
                              .arg(positional.at(1)));
    if (positional.size() > 2)
        return usageError(tr("Unexpected argument: %1").arg(positional.at(2)));

    if (parser.isSet(output)) {
        const QString format = parser.value(output);
        if (format == QLatin1StringView("wide"))
            result.output = OutputFormat::Wide;
        else if (format == QLatin1StringView("json"))
            result.output = OutputFormat::Json;
        else
            return usageError(tr("Unable to match a printer suitable for the output format "
                                 "\"%1\", allowed formats are: json,wide")
                                  .arg(format));
    }
    result.allNamespaces = parser.isSet(allNamespaces);
    result.command = Command::GetDeployments;
    return result;
}

} // namespace rollscope
