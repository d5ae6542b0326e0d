// SPDX-License-Identifier: MIT
#include "commandline.h"

#include "common/translations.h"
#include "common/version.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace rollscope {

namespace {

// The commands an option applies to, as bits. An option given to a command it does not apply to
// is a usage error (misplacedOption): silently ignoring it would hide a mistake.
enum CommandScope : unsigned
{
    kWindow = 1U << 0,  // no command: the window, perhaps on a saved timeline
    kGet = 1U << 1,     // `get deployments`
    kRollout = 1U << 2, // `rollout deployment/NAME`
    kAnyCommand = kWindow | kGet | kRollout,
};

enum class Opt
{
    Help,
    Version,
    Kubeconfig,
    Context,
    Namespace,
    AllNamespaces,
    Output,
    Verbosity,
    Image,
    Probe,
    Rate,
    TimelineFile,
    ReportFile,
    CsvFile,
    Timeout,
    Demo,
    DemoSpeed,
    Language,
};

// One option, as QCommandLineParser learns it and as the command checks see it.
struct OptionSpec
{
    Opt id;
    QStringList names; // the first one is how the checks and their messages name it
    QString description;
    QString valueName; // empty: a flag
    unsigned scope;    // CommandScope bits
};

QString languageList()
{
    return Translations::languages().join(QLatin1StringView(", "));
}

// Every option, in the order --help lists them. Built per parse, not once: main() parses again
// after installing the translators, and the descriptions must come out in that language.
QList<OptionSpec> optionTable()
{
    return {
        {Opt::Help,
         {QStringLiteral("h"), QStringLiteral("help")},
         CommandLine::tr("Show this help and exit."),
         {},
         kAnyCommand},
        {Opt::Version,
         {QStringLiteral("version")},
         CommandLine::tr("Show the version and exit."),
         {},
         kAnyCommand},
        {Opt::Kubeconfig,
         {QStringLiteral("kubeconfig")},
         CommandLine::tr(
             "Use this kubeconfig file only (default: $KUBECONFIG, else ~/.kube/config)."),
         CommandLine::tr("file"),
         kAnyCommand},
        {Opt::Context,
         {QStringLiteral("context")},
         CommandLine::tr("Use this kubeconfig context instead of the current one."),
         CommandLine::tr("name"),
         kAnyCommand},
        {Opt::Namespace,
         {QStringLiteral("n"), QStringLiteral("namespace")},
         CommandLine::tr("Show this namespace (default: the context's namespace)."),
         CommandLine::tr("namespace"),
         kAnyCommand},
        {Opt::AllNamespaces,
         {QStringLiteral("A"), QStringLiteral("all-namespaces")},
         CommandLine::tr("get: list across all namespaces."),
         {},
         kGet},
        {Opt::Output,
         {QStringLiteral("o"), QStringLiteral("output")},
         CommandLine::tr("get: output format, wide or json (default: a table)."),
         CommandLine::tr("format"),
         kGet},
        {Opt::Verbosity,
         {QStringLiteral("v")},
         CommandLine::tr("Log API requests like kubectl -v: 6 requests, 7 request headers, 8 "
                         "response headers and bodies, 9 everything. Credentials are always "
                         "masked."),
         CommandLine::tr("level"),
         kAnyCommand},
        {Opt::Image,
         {QStringLiteral("image")},
         CommandLine::tr("rollout: the change to roll out, as kubectl set image takes it "
                         "(container=image)."),
         CommandLine::tr("container=image"),
         kRollout},
        {Opt::Probe,
         {QStringLiteral("probe")},
         CommandLine::tr("rollout: where to send requests: auto (the Deployment's Service: "
                         "LoadBalancer, else NodePort, else the API server's service proxy), a "
                         "URL, or off (default: auto)."),
         CommandLine::tr("auto|URL|off"),
         kRollout},
        {Opt::Rate,
         {QStringLiteral("rate")},
         CommandLine::tr("rollout: requests per second (default: 20)."),
         CommandLine::tr("n"),
         kRollout},
        {Opt::TimelineFile,
         {QStringLiteral("timeline")},
         CommandLine::tr("rollout: write the timeline as JSON to this file."),
         CommandLine::tr("file.json"),
         kRollout},
        {Opt::ReportFile,
         {QStringLiteral("report")},
         CommandLine::tr("rollout: write a self-contained HTML report (summary, charts, events) "
                         "to this file."),
         CommandLine::tr("file.html"),
         kRollout},
        {Opt::CsvFile,
         {QStringLiteral("csv")},
         CommandLine::tr("rollout: write the samples as CSV to this file."),
         CommandLine::tr("file.csv"),
         kRollout},
        {Opt::Timeout,
         {QStringLiteral("timeout")},
         CommandLine::tr("rollout: give up after this long, e.g. 300, 90s, 10m (default: 10m)."),
         CommandLine::tr("seconds"),
         kRollout},
        {Opt::Demo,
         {QStringLiteral("demo")},
         CommandLine::tr("Open on the built-in demo cluster (rollscope-sim, in-process on "
                         "loopback) even when a kubeconfig exists."),
         {},
         kWindow},
        {Opt::DemoSpeed,
         {QStringLiteral("demo-speed")},
         CommandLine::tr("With --demo: run the demo cluster's clock this many times faster, from "
                         "0.25 (four times slower) to 20 (default: 1)."),
         CommandLine::tr("factor"),
         kWindow},
        {Opt::Language,
         {QStringLiteral("lang")},
         CommandLine::tr("Speak this language: %1 (default: the View > Language choice, else "
                         "the system's LANGUAGE or LANG).")
             .arg(languageList()),
         CommandLine::tr("language"),
         kAnyCommand},
    };
}

QString applicationDescription()
{
    return CommandLine::tr(
        "Rollscope shows Kubernetes rolling updates as they happen: pods per version, "
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
        "kubectl does; the desktop app asks before the first run of a plugin.");
}

void describe(QCommandLineParser &parser, const QList<OptionSpec> &table)
{
    parser.setApplicationDescription(applicationDescription());
    parser.addPositionalArgument(QStringLiteral("command"),
                                 CommandLine::tr("A headless command, e.g. \"get deployments\"; "
                                                 "none opens the window."),
                                 CommandLine::tr("[get deployments | rollout deployment/NAME]"));
    parser.addPositionalArgument(QStringLiteral("timeline"),
                                 CommandLine::tr("A saved timeline (.json, or an autosaved "
                                                 ".jsonl) to open read-only in the window."),
                                 CommandLine::tr("[FILE.json]"));
    for (const OptionSpec &spec : table)
        parser.addOption(QCommandLineOption(spec.names, spec.description, spec.valueName));
}

// Qt's usage line names argv[0] of whatever process parses (or "<executable_name>" before a
// QCoreApplication exists); the help should name the command a user types.
QString helpText(const QCommandLineParser &parser)
{
    QString text = parser.helpText();
    const qsizetype endOfUsage = text.indexOf(u'\n');
    text.replace(0, endOfUsage < 0 ? text.size() : endOfUsage,
                 CommandLine::tr("Usage: %1 [options] [get deployments | rollout deployment/NAME "
                                 "| FILE.json]")
                     .arg(QStringLiteral("rollscope")));
    return text;
}

ParsedCommandLine textResult(const QString &text, int exitCode)
{
    ParsedCommandLine result;
    result.command = Command::ShowText;
    result.text = text;
    result.exitCode = exitCode;
    result.toStderr = exitCode != 0;
    return result;
}

ParsedCommandLine usageError(const QString &message)
{
    const QString hint =
        CommandLine::tr("Run '%1 --help' for usage.").arg(QStringLiteral("rollscope"));
    return textResult(message + u'\n' + hint + u'\n', kExitUsage);
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

// The number text spells if it lies within [min, max] (NaN does not).
std::optional<double> numberWithin(const QString &text, double min, double max)
{
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || !(value >= min && value <= max))
        return std::nullopt;
    return value;
}

// A positional argument that names a saved timeline rather than a command.
bool isTimelineArgument(const QString &argument)
{
    return argument.endsWith(QLatin1StringView(".json"), Qt::CaseInsensitive) ||
           argument.endsWith(QLatin1StringView(".jsonl"), Qt::CaseInsensitive);
}

// The resource names kubectl accepts for Deployments.
bool isDeploymentResource(const QString &word)
{
    static const QStringList names{
        QStringLiteral("deployments"),     QStringLiteral("deployment"),
        QStringLiteral("deploy"),          QStringLiteral("deployments.apps"),
        QStringLiteral("deployment.apps"), QStringLiteral("deploy.apps")};
    return names.contains(word);
}

// What QCommandLineParser made of the arguments, read by Opt.
class ParsedOptions
{
public:
    ParsedOptions(const QCommandLineParser &parser, const QList<OptionSpec> &table)
        : m_parser(parser)
        , m_table(table)
    {}

    const QList<OptionSpec> &table() const { return m_table; }
    bool isSet(Opt id) const { return m_parser.isSet(name(id)); }
    QString value(Opt id) const { return m_parser.value(name(id)); }
    QStringList values(Opt id) const { return m_parser.values(name(id)); }
    QStringList positional() const { return m_parser.positionalArguments(); }
    QString name(Opt id) const;
    CommandScope command() const;

private:
    const QCommandLineParser &m_parser;
    const QList<OptionSpec> &m_table;
};

QString ParsedOptions::name(Opt id) const
{
    const auto spec = std::ranges::find(m_table, id, &OptionSpec::id);
    Q_ASSERT(spec != m_table.end());
    return spec->names.constFirst();
}

// The command the positional arguments name. Any first word but "rollout" goes to parseGet: it
// names an unknown command only after the options no command takes, as it always did.
CommandScope ParsedOptions::command() const
{
    const QStringList words = positional();
    if (words.isEmpty() || isTimelineArgument(words.first()))
        return kWindow;
    return words.first() == QLatin1StringView("rollout") ? kRollout : kGet;
}

// The message of a usage error; none when the arguments are fine.
using Problem = std::optional<QString>;

// One check of the arguments; it writes what it reads into the result.
using Check = Problem (*)(const ParsedOptions &, ParsedCommandLine &);

// Runs the checks up to the first problem. Their order is the order in which usage errors take
// precedence when a command line has several.
Problem firstProblem(std::initializer_list<Check> checks, const ParsedOptions &options,
                     ParsedCommandLine &result)
{
    for (const Check check : checks) {
        if (Problem problem = check(options, result))
            return problem;
    }
    return std::nullopt;
}

// These words were written per group of options (a new window-only or get-only option needs
// its own); the messages stay as users and the translation know them.
QString misplacedMessage(const OptionSpec &spec, CommandScope command)
{
    switch (spec.scope) {
    case kWindow:
        return CommandLine::tr("--demo and --demo-speed only apply to the window; run "
                               "rollscope-sim for a headless demo cluster.");
    case kGet:
        return command == kRollout ? CommandLine::tr("-A and -o do not apply to \"rollout\".")
                                   : CommandLine::tr("-A and -o only apply to headless commands "
                                                     "such as \"get deployments\".");
    default:
        Q_ASSERT(spec.scope == kRollout);
        return CommandLine::tr("%1 only applies to \"rollout\".")
            .arg(QStringLiteral("--") + spec.names.constFirst());
    }
}

// The first option given that does not apply to the command. Options are taken by scope, then in
// table order: window-only ones first, so a headless command given --demo is sent to
// rollscope-sim before anything else is said, and -A and -o come before rollout's options.
Problem misplacedOption(const ParsedOptions &options, ParsedCommandLine &)
{
    const CommandScope command = options.command();
    for (unsigned scope = kWindow; scope < kAnyCommand; ++scope) {
        for (const OptionSpec &spec : options.table()) {
            if (spec.scope == scope && (scope & command) == 0 && options.isSet(spec.id))
                return misplacedMessage(spec, command);
        }
    }
    return std::nullopt;
}

Problem readLanguage(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Language))
        return std::nullopt;
    result.language = Translations::normalized(options.value(Opt::Language));
    if (result.language.isEmpty())
        return CommandLine::tr("Unsupported language \"%1\": use one of %2.")
            .arg(options.value(Opt::Language), languageList());
    return std::nullopt;
}

// Any values will do here: the kubeconfig loader judges them, for the window and commands alike.
Problem readConnection(const ParsedOptions &options, ParsedCommandLine &result)
{
    result.connection.kubeconfig = options.value(Opt::Kubeconfig);
    result.connection.context = options.value(Opt::Context);
    result.connection.ns = options.value(Opt::Namespace);
    return std::nullopt;
}

Problem readVerbosity(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Verbosity))
        return std::nullopt;
    bool ok = false;
    result.verbosity = options.value(Opt::Verbosity).toInt(&ok);
    if (!ok || result.verbosity < 0)
        return CommandLine::tr("Invalid verbosity \"%1\": use a number from 0 to 10.")
            .arg(options.value(Opt::Verbosity));
    return std::nullopt;
}

Problem readDemoSpeed(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::DemoSpeed))
        return std::nullopt;
    const QString text = options.value(Opt::DemoSpeed);
    const std::optional<double> speed =
        numberWithin(text, ParsedCommandLine::kMinDemoSpeed, ParsedCommandLine::kMaxDemoSpeed);
    if (!speed)
        return CommandLine::tr("Invalid --demo-speed \"%1\": use a factor from %2 to %3.")
            .arg(text)
            .arg(ParsedCommandLine::kMinDemoSpeed)
            .arg(ParsedCommandLine::kMaxDemoSpeed);
    result.demoSpeed = *speed;
    return std::nullopt;
}

// --demo-speed implies --demo. The demo cluster brings its own connection, so none may be given.
Problem readDemo(const ParsedOptions &options, ParsedCommandLine &result)
{
    result.demo = options.isSet(Opt::Demo) || options.isSet(Opt::DemoSpeed);
    if (result.demo && (options.isSet(Opt::Kubeconfig) || options.isSet(Opt::Context)))
        return CommandLine::tr("--demo cannot be combined with --kubeconfig or --context.");
    return std::nullopt;
}

// A missing file is a typo on the command line: say so before any window opens. What is wrong
// inside an existing file is the loader's to say, in the window.
Problem readTimelineFile(const ParsedOptions &options, ParsedCommandLine &result)
{
    const QStringList words = options.positional();
    if (words.isEmpty())
        return std::nullopt;
    if (words.size() > 1)
        return CommandLine::tr("Open one timeline at a time; unexpected argument: %1")
            .arg(words.at(1));
    const QFileInfo file(words.first());
    if (!file.exists())
        return CommandLine::tr("Cannot open the timeline \"%1\": there is no such file.")
            .arg(words.first());
    if (file.isDir())
        return CommandLine::tr("Cannot open the timeline \"%1\": it is a directory, not a "
                               "timeline file.")
            .arg(words.first());
    result.timelineFile = file.absoluteFilePath();
    return std::nullopt;
}

// `rollscope [FILE.json]`: the window, on a saved timeline or the demo cluster if asked.
Problem parseWindow(const ParsedOptions &options, ParsedCommandLine &result)
{
    result.command = Command::Gui;
    // The demo options' own mistakes are named before options meant for other commands.
    return firstProblem({readDemoSpeed, readDemo, misplacedOption, readTimelineFile}, options,
                        result);
}

// `get deployments` (or deployment, deploy, ...): one resource type and no names, for now.
Problem readGetCommand(const ParsedOptions &options, ParsedCommandLine &)
{
    const QStringList words = options.positional();
    if (words.first() != QLatin1StringView("get"))
        return CommandLine::tr("Unknown command: %1 (to open a saved timeline, give its .json or "
                               ".jsonl file)")
            .arg(words.first());
    if (words.size() < 2)
        return CommandLine::tr("\"get\" needs a resource type: %1 get deployments")
            .arg(QStringLiteral("rollscope"));
    if (!isDeploymentResource(words.at(1)))
        return CommandLine::tr("\"get\" supports only deployments (deployment, deploy), not "
                               "\"%1\".")
            .arg(words.at(1));
    if (words.size() > 2)
        return CommandLine::tr("Unexpected argument: %1").arg(words.at(2));
    return std::nullopt;
}

// kubectl's -o formats that `get` prints; without -o, the table. The error is kubectl's own.
Problem readOutputFormat(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Output))
        return std::nullopt;
    const QString format = options.value(Opt::Output);
    if (format == QLatin1StringView("wide"))
        result.output = OutputFormat::Wide;
    else if (format == QLatin1StringView("json"))
        result.output = OutputFormat::Json;
    else
        return CommandLine::tr("Unable to match a printer suitable for the output format "
                               "\"%1\", allowed formats are: json,wide")
            .arg(format);
    return std::nullopt;
}

// `get deployments`, and any command but rollout (readGetCommand names unknown ones).
Problem parseGet(const ParsedOptions &options, ParsedCommandLine &result)
{
    result.command = Command::GetDeployments;
    result.allNamespaces = options.isSet(Opt::AllNamespaces);
    return firstProblem({misplacedOption, readGetCommand, readOutputFormat}, options, result);
}

// kubectl spells the object deployment/NAME or "deployment NAME".
Problem readDeployment(const ParsedOptions &options, ParsedCommandLine &result)
{
    const QStringList words = options.positional().mid(1);
    QStringList object = words;
    if (object.size() == 1 && object.first().contains(u'/'))
        object = object.first().split(u'/');
    if (object.isEmpty())
        return CommandLine::tr("\"rollout\" needs a Deployment: %1 rollout deployment/NAME "
                               "--image CONTAINER=IMAGE")
            .arg(QStringLiteral("rollscope"));
    if (object.size() != 2 || !isDeploymentResource(object.first()) || object.at(1).isEmpty())
        return CommandLine::tr("\"rollout\" takes one Deployment as deployment/NAME, not \"%1\".")
            .arg(words.join(u' '));
    result.rollout.deployment = object.at(1);
    return std::nullopt;
}

// Without --image the rollout already in progress is watched; with it, exactly one change.
Problem readImage(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Image))
        return std::nullopt;
    const QStringList images = options.values(Opt::Image);
    if (images.size() > 1)
        return CommandLine::tr("Give one --image CONTAINER=IMAGE: a rollout records one change.");
    const QString &change = images.first();
    const qsizetype eq = change.indexOf(u'=');
    if (eq <= 0 || eq == change.size() - 1)
        return CommandLine::tr("--image expects CONTAINER=IMAGE, e.g. demo=bebullish/demo:v2, "
                               "not \"%1\".")
            .arg(change);
    result.rollout.container = change.left(eq);
    result.rollout.image = change.mid(eq + 1);
    return std::nullopt;
}

Problem readProbe(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Probe))
        return std::nullopt;
    const QString value = options.value(Opt::Probe);
    RolloutArguments &r = result.rollout;
    if (value.isEmpty())
        return CommandLine::tr("--probe expects auto, off or a URL.");
    if (value == QLatin1StringView("auto")) {
        r.probe = ProbeMode::Auto;
    } else if (value == QLatin1StringView("off")) {
        r.probe = ProbeMode::Off;
    } else {
        r.probe = ProbeMode::Url;
        r.probeUrl = value;
    }
    return std::nullopt;
}

Problem readRate(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Rate))
        return std::nullopt;
    const QString text = options.value(Opt::Rate);
    // The prober's limits (ProbeOptions::kMinRate, kMaxRate).
    const std::optional<double> rate = numberWithin(text, 0.1, 10000);
    if (!rate)
        return CommandLine::tr("Invalid --rate \"%1\": use a number of requests per second from "
                               "0.1 to 10000.")
            .arg(text);
    result.rollout.rate = *rate;
    return std::nullopt;
}

Problem readTimeout(const ParsedOptions &options, ParsedCommandLine &result)
{
    if (!options.isSet(Opt::Timeout))
        return std::nullopt;
    const QString text = options.value(Opt::Timeout);
    const std::optional<int> seconds = parseDurationSeconds(text);
    if (!seconds || *seconds <= 0)
        return CommandLine::tr("Invalid --timeout \"%1\": use seconds (300) or a duration such "
                               "as 90s, 10m or 1h.")
            .arg(text);
    result.rollout.timeoutSeconds = *seconds;
    return std::nullopt;
}

// --timeline, --report and --csv: an empty name ("--csv=") is a mistake, not "no file".
Problem readOutputFiles(const ParsedOptions &options, ParsedCommandLine &result)
{
    RolloutArguments &r = result.rollout;
    r.timelineFile = options.value(Opt::TimelineFile);
    r.reportFile = options.value(Opt::ReportFile);
    r.csvFile = options.value(Opt::CsvFile);
    for (const Opt id : {Opt::TimelineFile, Opt::ReportFile, Opt::CsvFile}) {
        if (options.isSet(id) && options.value(id).isEmpty())
            return CommandLine::tr("--%1 needs a file name.").arg(options.name(id));
    }
    return std::nullopt;
}

// `rollout deployment/NAME [--image CONTAINER=IMAGE] ...`.
Problem parseRollout(const ParsedOptions &options, ParsedCommandLine &result)
{
    result.command = Command::Rollout;
    return firstProblem({misplacedOption, readDeployment, readImage, readProbe, readRate,
                         readTimeout, readOutputFiles},
                        options, result);
}

Check validatorFor(CommandScope command)
{
    switch (command) {
    case kWindow:
        return parseWindow;
    case kRollout:
        return parseRollout;
    default:
        return parseGet;
    }
}

} // namespace

ParsedCommandLine CommandLine::parse(const QStringList &arguments)
{
    const QList<OptionSpec> table = optionTable();
    QCommandLineParser parser;
    describe(parser, table);
    if (!parser.parse(normalized(arguments)))
        return usageError(parser.errorText());
    const ParsedOptions options(parser, table);
    if (options.isSet(Opt::Help))
        return textResult(helpText(parser), 0);
    if (options.isSet(Opt::Version))
        return textResult(QStringLiteral("rollscope %1\n").arg(QLatin1StringView(kVersion)), 0);

    ParsedCommandLine result;
    const Problem problem =
        firstProblem({readLanguage, readConnection, readVerbosity, validatorFor(options.command())},
                     options, result);
    return problem ? usageError(*problem) : result;
}

} // namespace rollscope
