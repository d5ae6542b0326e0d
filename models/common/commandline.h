#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace rollscope {

// Exit status for a command line the program cannot use (sysexits.h EX_USAGE), as CI tools expect.
inline constexpr int kExitUsage = 64;

enum class Command
{
    Gui,      // open the desktop window
    ShowText, // print ParsedCommandLine::text and exit with exitCode (help, version, usage errors)
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

    // For Command::ShowText.
    QString text;
    int exitCode = 0;
    bool toStderr = false;
};

// Parses rollscope's arguments (arguments.first() is the program name) without side effects:
// help, version and usage errors come back as text, so callers and tests decide what to print.
class CommandLine
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)
public:
    static ParsedCommandLine parse(const QStringList &arguments);
};

} // namespace rollscope
