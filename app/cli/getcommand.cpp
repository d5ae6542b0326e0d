// SPDX-License-Identifier: MIT
#include "cli/getcommand.h"

#include "apimachinery/duration.h"
#include "cli/tabwriter.h"
#include "kube/apierror.h"
#include "kube/kubeconfig.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

namespace rollscope::kube {

namespace {

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stream);
    std::fflush(stream);
}

QString age(const QDateTime &created, const QDateTime &now)
{
    if (!created.isValid())
        return QStringLiteral("<unknown>");
    return apimachinery::humanDuration(created.msecsTo(now));
}

} // namespace

GetCommand::GetCommand(GetOptions options, Writer out, Writer err, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out ? std::move(out) : Writer([](const QString &t) { writeTo(stdout, t); }))
    , m_err(err ? std::move(err) : Writer([](const QString &t) { writeTo(stderr, t); }))
{}

GetCommand::~GetCommand() = default;

QString GetCommand::logPrefix(const QDateTime &now)
{
    // klog: I<MMdd> <HH:mm:ss.micros> <pid padded to 7> <source>]
    return u'I' + now.toString(QStringLiteral("MMdd HH:mm:ss.zzz")) + QStringLiteral("000 ") +
           QStringLiteral("%1").arg(static_cast<qint64>(::getpid()), 7) +
           QStringLiteral(" rollscope] ");
}

void GetCommand::start()
{
    // The errors Qt warns about reach the user as this command's own error line.
    m_messageFilter = std::make_unique<QtNetworkMessageFilter>(m_options.verbosity);
    Kubeconfig::LoadOptions load;
    load.explicitPath = m_options.kubeconfig;
    if (m_options.kubeconfigEnv)
        load.kubeconfigEnv = m_options.kubeconfigEnv;
    Result<Kubeconfig> kubeconfig = Kubeconfig::load(load);
    if (!kubeconfig) {
        fail(ApiErrors::kubectlStyle(kubeconfig.error()));
        return;
    }
    if (kubeconfig->isEmpty()) {
        fail(GetCommandText::tr(
            "error: no kubeconfig found: pass --kubeconfig FILE, or set KUBECONFIG, or "
            "create ~/.kube/config"));
        return;
    }
    Result<ClusterConfig> config = kubeconfig->resolve(m_options.context, m_options.ns);
    if (!config) {
        fail(ApiErrors::kubectlStyle(config.error()));
        return;
    }
    const QString ns = config->ns;
    m_client = new ApiClient(*config, this);
    if (m_options.verbosity > 0) {
        Writer err = m_err;
        m_client->setLogSink(m_options.verbosity, [err](int, const QString &line) {
            err(logPrefix(QDateTime::currentDateTime()) + line + u'\n');
        });
    }

    ListOptions list;
    list.ns = m_options.allNamespaces ? QString() : ns;
    list.limit = 500;
    m_client->listAll(
        ResourceKind::deployments(), list, this, [this, ns](Result<ListResult> result) {
            if (!result) {
                fail(ApiErrors::kubectlStyle(result.error()));
                return;
            }
            if (m_options.output == GetOptions::Output::Json) {
                m_out(formatJson(*result));
                done(0);
                return;
            }
            if (result->items.isEmpty()) {
                m_err(m_options.allNamespaces
                          ? GetCommandText::tr("No resources found") + u'\n'
                          : GetCommandText::tr("No resources found in %1 namespace.").arg(ns) +
                                u'\n');
                done(0);
                return;
            }
            QList<DeploymentInfo> deployments;
            for (const QJsonObject &item : std::as_const(result->items))
                deployments.append(DeploymentInfo::fromJson(item));
            m_out(formatTable(deployments, m_options.allNamespaces,
                              m_options.output == GetOptions::Output::Wide,
                              QDateTime::currentDateTimeUtc()));
            done(0);
        });
}

void GetCommand::fail(const QString &text)
{
    m_err(text + u'\n');
    done(1);
}

void GetCommand::done(int exitCode)
{
    m_exitCode = exitCode;
    emit finished(exitCode);
}

QString GetCommand::formatTable(const QList<DeploymentInfo> &deployments, bool allNamespaces,
                                bool wide, const QDateTime &now)
{
    cli::TabWriter writer;
    QStringList header;
    if (allNamespaces)
        header << QStringLiteral("NAMESPACE");
    header << QStringLiteral("NAME") << QStringLiteral("READY") << QStringLiteral("UP-TO-DATE")
           << QStringLiteral("AVAILABLE") << QStringLiteral("AGE");
    if (wide)
        header << QStringLiteral("CONTAINERS") << QStringLiteral("IMAGES")
               << QStringLiteral("SELECTOR");
    writer.addRow(header);
    for (const DeploymentInfo &d : deployments) {
        QStringList row;
        if (allNamespaces)
            row << d.ns;
        row << d.name << QStringLiteral("%1/%2").arg(d.status.readyReplicas).arg(d.replicas)
            << QString::number(d.status.updatedReplicas)
            << QString::number(d.status.availableReplicas) << age(d.creationTimestamp, now);
        if (wide) {
            const QString selector = d.selector.toString();
            row << d.containerNamesText() << d.imagesText()
                << (selector.isEmpty() ? QStringLiteral("<none>") : selector);
        }
        writer.addRow(row);
    }
    return writer.text();
}

QString GetCommand::formatJson(const ListResult &list)
{
    QJsonArray items;
    for (const QJsonObject &item : list.items)
        items.append(item);
    const QJsonObject object{
        {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
        {QStringLiteral("kind"), QStringLiteral("DeploymentList")},
        {QStringLiteral("items"), items},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("resourceVersion"), list.resourceVersion}}}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented));
}

} // namespace rollscope::kube
