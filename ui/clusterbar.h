// SPDX-License-Identifier: MIT
#pragma once

#include "session/clustersession.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace rollscope {

// One entry of the context selector.
struct ContextEntry
{
    QString name;          // kubeconfig context name; empty for the demo cluster
    QString label;         // what the selector shows
    QString detail;        // tooltip: server, user, file
    bool insecure = false; // insecure-skip-tls-verify, or plain http
    bool isDemo = false;
};

// The strip above everything: which cluster (context), which namespace, and how the connection
// is doing. Warns visibly when the chosen context does not verify the server's certificate.
class ClusterBar : public QWidget
{
    Q_OBJECT
public:
    explicit ClusterBar(QWidget *parent = nullptr);

    void setContexts(const QList<ContextEntry> &contexts);
    // Selects an entry without emitting contextChosen (the window already acts on it).
    void selectContext(const ContextEntry &entry);
    ContextEntry currentContext() const;
    // The kubeconfig context names offered (the demo cluster has none).
    QStringList contextNames() const;

    // The namespaces offered (sorted); "All namespaces" is always first.
    void setNamespaces(const QStringList &namespaces, const QString &current);
    QString currentNamespace() const;

    void setConnectionState(ClusterSession::State state, const QString &message);

    QComboBox *contextBox() const { return m_contexts; }
    QComboBox *namespaceBox() const { return m_namespaces; }
    QLabel *stateLabel() const { return m_state; }
    QLabel *insecureWarning() const { return m_insecure; }

signals:
    void contextChosen(const rollscope::ContextEntry &entry);
    void namespaceChosen(const QString &ns); // "" = all

private:
    void updateInsecureWarning();

    QComboBox *m_contexts;
    QComboBox *m_namespaces;
    QLabel *m_stateDot;
    QLabel *m_state;
    QLabel *m_insecure;
    QList<ContextEntry> m_entries;
    bool m_updating = false;
};

} // namespace rollscope

Q_DECLARE_METATYPE(rollscope::ContextEntry)
