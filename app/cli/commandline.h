// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace rollscope {

// Exit status for a command line the program cannot use (sysexits.h EX_USAGE), as CI tools expect.
inline constexpr int kExitUsage = 64;

enum class Command
{
    Gui,            // open the desktop window
    ShowText,       // print ParsedCommandLine::text and exit with exitCode (help, version, usage)
    GetDeployments, // headless: `rollscope get deployments`, like `kubectl get deployments`
    Rollout,        // headless: `rollscope rollout deployment/NAME`: apply, watch, record
};

enum class OutputFormat
{
    Table,
    Wide,
    Json,
};

// Where `rollscope rollout` sends its requests.
enum class ProbeMode
{
    Auto, // the best target of the Services that select the pods (LB, NodePort, service proxy)
    Url,  // the URL given
    Off,
};

// `rollscope rollout deployment/NAME [--image CONTAINER=IMAGE] ...`.
struct RolloutArguments
{
    QString deployment; // NAME
    // --image CONTAINER=IMAGE; both empty: watch the rollout already in progress.
    QString container;
    QString image;
    ProbeMode probe = ProbeMode::Auto;
    QString probeUrl;
    double rate = 20.0;       // requests per second
    QString timelineFile;     // --timeline FILE.json
    QString reportFile;       // --report FILE.html
    QString csvFile;          // --csv FILE.csv
    int timeoutSeconds = 600; // --timeout
};

// Where to connect. Empty strings mean "as kubectl would decide" (KUBECONFIG, current-context).
struct ConnectionOptions
{
    QString kubeconfig;
    QString context;
    QString ns;
};

struct ParsedCommandLine
{
    Command command = Command::Gui;
    ConnectionOptions connection;
    // -v N: log API requests like kubectl -v (6: requests, 7: request headers, 8: response
    // headers and bodies, 9: everything), credentials always masked.
    int verbosity = 0;

    // --demo: the window starts on the built-in demo cluster (rollscope-sim in-process);
    // --demo-speed N: its simulated time runs N times faster (0.25 to 20; below 1 is slower,
    // so a demo can be followed step by step).
    bool demo = false;
    double demoSpeed = 1.0;
    static constexpr double kMinDemoSpeed = 0.25;
    static constexpr double kMaxDemoSpeed = 20.0;

    // `rollscope FILE.json` (or an autosaved FILE.jsonl): the window opens this saved timeline
    // in the read-only viewer. Absolute; the file existed when the command line was parsed.
    QString timelineFile;

    // --lang: a language of Translations::languages(), "" = the View > Language choice, else the
    // system's. main() installs the translators with Translations::installFor before it prints
    // anything (for help and usage errors it parses again once they are installed).
    QString language;

    // For headless commands.
    bool allNamespaces = false; // -A
    OutputFormat output = OutputFormat::Table;
    RolloutArguments rollout;

    // For Command::ShowText.
    QString text;
    int exitCode = 0;
    bool toStderr = false;
};

// Parses rollscope's arguments (arguments.first() is the program name) without side effects
// (it only looks whether a timeline file given exists): help, version and usage errors come back
// as text, so callers and tests decide what to print.
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
public:
    static ParsedCommandLine parse(const QStringList &arguments);
};

} // namespace rollscope
