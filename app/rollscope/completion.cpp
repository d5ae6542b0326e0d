// SPDX-License-Identifier: MIT
#include "completion.h"

#include "cli/commandline.h"
#include "common/translations.h"
#include "kube/apiclient.h"
#include "kube/kubeconfig.h"
#include "kube/resourcekind.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <unistd.h>

namespace rollscope {

namespace {

using namespace std::chrono_literals;

// The whole helper, exec plugin and API request included, ends within this.
constexpr auto kDeadline = 2s;

class Completion
{
    Q_DECLARE_TR_FUNCTIONS(Completion)
public:
    static QString usage()
    {
        return tr("Usage: %1 __complete contexts|namespaces|deployments|languages "
                  "[--kubeconfig FILE] [--context NAME] [-n NAMESPACE]")
                   .arg(QStringLiteral("rollscope")) +
               u'\n';
    }
};

struct CompletionRequest
{
    QString subject; // contexts, namespaces, deployments, languages
    QString kubeconfig;
    QString context;
    QString ns;
};

// Takes the connection options as the command line spells them (--opt VALUE, --opt=VALUE,
// -nVALUE); anything else on the line is ignored, so a half-typed command still completes.
std::optional<CompletionRequest> parseRequest(const QStringList &arguments)
{
    if (arguments.size() < 3)
        return std::nullopt;
    CompletionRequest request;
    request.subject = arguments.at(2);
    static const QStringList subjects{QStringLiteral("contexts"), QStringLiteral("namespaces"),
                                      QStringLiteral("deployments"), QStringLiteral("languages")};
    if (!subjects.contains(request.subject))
        return std::nullopt;
    const struct
    {
        QStringList names;
        QString CompletionRequest::*field;
    } options[] = {
        {{QStringLiteral("--kubeconfig")}, &CompletionRequest::kubeconfig},
        {{QStringLiteral("--context")}, &CompletionRequest::context},
        {{QStringLiteral("-n"), QStringLiteral("--namespace")}, &CompletionRequest::ns},
    };
    for (qsizetype i = 3; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        for (const auto &option : options) {
            for (const QString &name : option.names) {
                if (argument == name && i + 1 < arguments.size()) {
                    request.*option.field = arguments.at(++i);
                } else if (argument.startsWith(name + u'=')) {
                    request.*option.field = argument.mid(name.size() + 1);
                } else if (name.size() == 2 && argument.size() > 2 && argument.startsWith(name) &&
                           !argument.startsWith(QLatin1StringView("--"))) {
                    request.*option.field = argument.mid(2);
                }
            }
        }
    }
    return request;
}

void print(QStringList candidates)
{
    candidates.removeAll(QString());
    candidates.removeDuplicates();
    std::sort(candidates.begin(), candidates.end());
    for (const QString &candidate : std::as_const(candidates)) {
        // Object and context names never span lines; a name that does is not offered.
        if (candidate.contains(u'\n') || candidate.contains(u'\r'))
            continue;
        const QByteArray line = candidate.toUtf8() + '\n';
        std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stdout);
    }
    std::fflush(stdout);
}

// Completion output shares the terminal with the command line being edited: Qt's warnings
// (TLS, HTTP/2, connection errors) are dropped.
void dropMessage(QtMsgType, const QMessageLogContext &, const QString &) {}

int complete(const CompletionRequest &request, bool detachedFromTerminal)
{
    if (request.subject == QLatin1StringView("languages")) {
        print(Translations::languages());
        return 0;
    }
    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = request.kubeconfig;
    // Reading the kubeconfig from stdin would wait for the terminal.
    if (load.explicitPath == QLatin1StringView("-") ||
        load.explicitPath.startsWith(QLatin1StringView("/dev/")))
        return 0;
    const Result<kube::Kubeconfig> kubeconfig = kube::Kubeconfig::load(load);
    if (!kubeconfig || kubeconfig->isEmpty())
        return 0;
    if (request.subject == QLatin1StringView("contexts")) {
        print(kubeconfig->contextNames());
        return 0;
    }

    Result<kube::ClusterConfig> config = kubeconfig->resolve(request.context, request.ns);
    if (!config)
        return 0;
    // An exec plugin runs with stdin closed, and only when this process has no controlling
    // terminal left that it could open to prompt; one that always wants a terminal never runs.
    if (config->user.exec &&
        (!detachedFromTerminal ||
         config->user.exec->interactiveMode == kube::ExecConfig::InteractiveMode::Always))
        return 0;
    const QString ns = config->ns;

    kube::ApiClient::Options options;
    options.requestTimeout = kDeadline;
    options.connectionRetries = 0;
    options.maxRetryAfterRetries = 0;
    kube::ApiClient client(*config, options);
    client.credentials()->setExecTimeout(kDeadline);

    const bool namespaces = request.subject == QLatin1StringView("namespaces");
    kube::ListOptions list;
    list.ns = namespaces ? QString() : ns;
    list.limit = 500;
    QObject context;
    // Started from the event loop, so that an answer that comes at once still ends it.
    QTimer::singleShot(0, &context, [&] {
        client.listAll(namespaces ? kube::ResourceKind::namespaces()
                                  : kube::ResourceKind::deployments(),
                       list, &context, [](Result<kube::ListResult> result) {
                           if (result) {
                               QStringList names;
                               for (const QJsonObject &item : std::as_const(result->items))
                                   names << item.value(QLatin1StringView("metadata"))
                                                .toObject()
                                                .value(QLatin1StringView("name"))
                                                .toString();
                               print(names);
                           }
                           QCoreApplication::exit(0);
                       });
    });
    QTimer::singleShot(kDeadline, &context, [] { QCoreApplication::exit(0); });
    QCoreApplication::exec();
    return 0;
}

} // namespace

bool isCompletionRequest(int argc, char **argv)
{
    return argc >= 2 && std::strcmp(argv[1], "__complete") == 0;
}

int runCompletion(int argc, char **argv)
{
    // A session of its own: no controlling terminal for this process or the exec plugins it
    // starts, so nothing can prompt. Fails only for a process group leader.
    const bool detached = ::setsid() != -1;
    qInstallMessageHandler(dropMessage);
    QCoreApplication app(argc, argv);
    const std::optional<CompletionRequest> request = parseRequest(QCoreApplication::arguments());
    if (!request) {
        const QByteArray text = Completion::usage().toUtf8();
        std::fwrite(text.constData(), 1, static_cast<size_t>(text.size()), stderr);
        return kExitUsage;
    }
    return complete(*request, detached);
}

} // namespace rollscope
