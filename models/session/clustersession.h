// SPDX-License-Identifier: MIT
#pragma once

#include "kube/apiclient.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"

#include <QObject>
#include <QPointer>

namespace rollscope {

// The connection the window works with: one ApiClient for the chosen context, the namespaces
// of the cluster, and the Deployments of the chosen namespace (or all of them). Replacing the
// context or the namespace replaces the client or the informer; nothing here blocks.
class ClusterSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Disconnected,
        Connecting,
        Connected,
        Retrying,
        Failed
    };
    Q_ENUM(State)

    explicit ClusterSession(QObject *parent = nullptr);
    ~ClusterSession() override;

    // Starts talking to the cluster of `config` (a resolved kubeconfig context). `label` is what
    // the window shows for it ("kind-dev", "Demo cluster").
    void open(const kube::ClusterConfig &config, const QString &label);
    void close();

    // Asked before an exec credential plugin runs for the first time (the GUI shows a prompt;
    // headless commands set none and behave like kubectl). Applies to later open() calls.
    void setExecApprovalHandler(kube::ExecApprovalHandler handler)
    {
        m_approval = std::move(handler);
    }

    // "" = all namespaces.
    void setNamespace(const QString &ns);
    QString currentNamespace() const { return m_namespace; }

    State state() const { return m_state; }
    QString stateMessage() const { return m_stateMessage; }
    QString label() const { return m_label; }
    bool isOpen() const { return m_client != nullptr; }
    const kube::ClusterConfig &config() const { return m_config; }

    kube::ApiClient *client() const { return m_client; }
    kube::DeploymentInformer *deployments() const { return m_deployments; }
    kube::NamespaceInformer *namespaces() const { return m_namespaces; }

signals:
    void stateChanged(rollscope::ClusterSession::State state, const QString &message);
    // A new client and informers exist; views bind to them.
    void opened();
    void closed();
    // The Deployment informer was replaced (another namespace).
    void deploymentsReplaced();

private:
    void startDeployments();
    void updateState();

    kube::ClusterConfig m_config;
    QString m_label;
    QString m_namespace;
    QPointer<kube::ApiClient> m_client;
    QPointer<kube::DeploymentInformer> m_deployments;
    QPointer<kube::NamespaceInformer> m_namespaces;
    kube::ExecApprovalHandler m_approval;
    State m_state = State::Disconnected;
    QString m_stateMessage;
};

} // namespace rollscope
