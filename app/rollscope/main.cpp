// The composition root of the desktop app and its headless commands.
#include "common/commandline.h"
#include "common/version.h"
#include "mainwindow.h"

#include <QApplication>
#include <QTextStream>

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

int printText(const ParsedCommandLine &parsed)
{
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

} // namespace

int main(int argc, char **argv)
{
    setApplicationIdentity();
    const ParsedCommandLine parsed = CommandLine::parse(argumentsOf(argc, argv));
    if (parsed.command == Command::ShowText)
        return printText(parsed);

    QApplication app(argc, argv);
    QApplication::setDesktopFileName(QStringLiteral("dev.rollscope.Rollscope"));

    MainWindow window;
    window.show();
    return app.exec();
}
