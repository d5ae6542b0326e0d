// SPDX-License-Identifier: MIT
#include "clustersession.h"

namespace rollscope {

using kube::InformerStatus;

ClusterSession::ClusterSession(QObject *parent)
    : QObject(parent)
{}

ClusterSession::~ClusterSession()
{
    close();
}

void ClusterSession::open(const kube::ClusterConfig &config, const QString &label)
{
    close();
    m_config = config;
    m_label = label;
    m_namespace = config.ns;
    m_client = new kube::ApiClient(config, this);
    if (m_approval)
        m_client->credentials()->setApprovalHandler(m_approval);
    m_namespaces = new kube::NamespaceInformer(m_client, {}, m_client);
    connect(m_namespaces, &kube::Informer::statusChanged, this, &ClusterSession::updateState);
    m_namespaces->start();
    startDeployments();
    updateState();
    emit opened();
}

void ClusterSession::close()
{
    if (!m_client)
        return;
    // Informers are children of the client: one delete stops everything.
    delete m_client.data();
    m_client = nullptr;
    m_deployments = nullptr;
    m_namespaces = nullptr;
    m_state = State::Disconnected;
    m_stateMessage.clear();
    emit stateChanged(m_state, m_stateMessage);
    emit closed();
}

void ClusterSession::setNamespace(const QString &ns)
{
    if (ns == m_namespace || !m_client)
        return;
    m_namespace = ns;
    startDeployments();
    updateState();
    emit deploymentsReplaced();
}

void ClusterSession::startDeployments()
{
    delete m_deployments.data();
    kube::InformerOptions options;
    options.ns = m_namespace;
    m_deployments = new kube::DeploymentInformer(m_client, options, m_client);
    connect(m_deployments, &kube::Informer::statusChanged, this, &ClusterSession::updateState);
    m_deployments->start();
}

void ClusterSession::updateState()
{
    State state = State::Connecting;
    QString message = tr("Connecting to %1…").arg(m_label);
    const kube::Informer *informers[] = {m_deployments, m_namespaces};
    bool allSynced = true;
    for (const kube::Informer *informer : informers) {
        if (!informer)
            continue;
        const InformerStatus &status = informer->status();
        if (status.state == InformerStatus::State::WaitingToRetry) {
            state = status.synced ? State::Retrying : State::Failed;
            message = status.message;
            allSynced = false;
            break;
        }
        allSynced = allSynced && status.synced;
    }
    if (allSynced && state == State::Connecting) {
        state = State::Connected;
        message = tr("Connected to %1").arg(m_label);
    }
    if (state == m_state && message == m_stateMessage)
        return;
    m_state = state;
    m_stateMessage = message;
    emit stateChanged(m_state, m_stateMessage);
}

} // namespace rollscope
