// SPDX-License-Identifier: MIT
#pragma once

// `rollscope get deployments`: a kubectl-like listing without a GUI, for terminals and CI.

#include "kube/apiclient.h"
#include "kube/resources.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

namespace rollscope::kube {

struct GetOptions
{
    enum class Output
    {
        Table,
        Wide,
        Json
    };

    QString kubeconfig; // --kubeconfig; "" = $KUBECONFIG, else ~/.kube/config
    QString context;    // --context; "" = current-context
    QString ns;         // -n; "" = the context's namespace
    bool allNamespaces = false;
    Output output = Output::Table;
    int verbosity = 0;
    // Tests only: overrides $KUBECONFIG / the home folder when loading.
    std::optional<QString> kubeconfigEnv;
};

// Loads the kubeconfig, lists deployments (limit=500 + continue, like kubectl) and prints them.
// Runs asynchronously on the event loop; finished() carries the exit code: 0 ok, 1 error (the
// message on the error writer, kubectl style). Exec plugins run without asking, as in kubectl.
class GetCommand : public QObject
{
    Q_OBJECT

public:
    using Writer = std::function<void(const QString &text)>;

    // Writers default to stdout and stderr.
    explicit GetCommand(GetOptions options, Writer out = {}, Writer err = {},
                        QObject *parent = nullptr);
    ~GetCommand() override;

    void start();
    int exitCode() const { return m_exitCode; }

    // kubectl's table: [NAMESPACE] NAME READY UP-TO-DATE AVAILABLE AGE [CONTAINERS IMAGES
    // SELECTOR], tabwriter-aligned.
    static QString formatTable(const QList<DeploymentInfo> &deployments, bool allNamespaces,
                               bool wide, const QDateTime &now);
    // A DeploymentList with the items as the server sent them.
    static QString formatJson(const ListResult &list);
    // The klog-like prefix of -v lines: "I1126 21:02:51.123456   12345 rollscope] ".
    static QString logPrefix(const QDateTime &now);

signals:
    void finished(int exitCode);

private:
    void fail(const QString &text);
    void done(int exitCode);

    GetOptions m_options;
    Writer m_out;
    Writer m_err;
    ApiClient *m_client = nullptr;
    std::unique_ptr<QtNetworkMessageFilter> m_messageFilter;
    int m_exitCode = -1;
};

class GetCommandText
{
    Q_DECLARE_TR_FUNCTIONS(GetCommand)
};

} // namespace rollscope::kube
