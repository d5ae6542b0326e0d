// SPDX-License-Identifier: MIT
#include "clusterbar.h"

#include "theme.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>

namespace rollscope {

namespace {
QPixmap dot(const QColor &color)
{
    QPixmap pixmap(10, 10);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1, 1, 8, 8));
    return pixmap;
}
} // namespace

ClusterBar::ClusterBar(QWidget *parent)
    : QWidget(parent)
    , m_contexts(new QComboBox(this))
    , m_namespaces(new QComboBox(this))
    , m_stateDot(new QLabel(this))
    , m_state(new QLabel(this))
    , m_insecure(new QLabel(this))
{
    setObjectName(QStringLiteral("ClusterBar"));
    m_contexts->setObjectName(QStringLiteral("contextBox"));
    m_contexts->setMinimumContentsLength(18);
    m_contexts->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_contexts->setToolTip(tr("The kubeconfig context to work with"));
    m_namespaces->setObjectName(QStringLiteral("namespaceBox"));
    m_namespaces->setMinimumContentsLength(14);
    m_namespaces->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_namespaces->setToolTip(tr("Show the Deployments of this namespace"));

    m_insecure->setObjectName(QStringLiteral("insecureWarning"));
    m_insecure->setText(tr("⚠ Server certificate not verified"));
    m_insecure->setToolTip(tr("This context sets insecure-skip-tls-verify (or uses plain http): "
                              "anyone between you and the cluster can read and change what you "
                              "send, credentials included."));
    QPalette warningPalette = m_insecure->palette();
    warningPalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::Warning));
    m_insecure->setPalette(warningPalette);
    QFont bold = m_insecure->font();
    bold.setBold(true);
    m_insecure->setFont(bold);
    m_insecure->hide();

    m_state->setObjectName(QStringLiteral("connectionState"));
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *contextLabel = new QLabel(tr("&Cluster:"), this);
    contextLabel->setBuddy(m_contexts);
    auto *namespaceLabel = new QLabel(tr("&Namespace:"), this);
    namespaceLabel->setBuddy(m_namespaces);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(contextLabel);
    layout->addWidget(m_contexts);
    layout->addSpacing(12);
    layout->addWidget(namespaceLabel);
    layout->addWidget(m_namespaces);
    layout->addSpacing(12);
    layout->addWidget(m_insecure);
    layout->addStretch(1);
    layout->addWidget(m_stateDot);
    layout->addWidget(m_state);

    connect(m_contexts, &QComboBox::currentIndexChanged, this, [this](int index) {
        updateInsecureWarning();
        if (!m_updating && index >= 0 && index < m_entries.size())
            emit contextChosen(m_entries.at(index));
    });
    connect(m_namespaces, &QComboBox::currentIndexChanged, this, [this](int) {
        if (!m_updating)
            emit namespaceChosen(currentNamespace());
    });
    setConnectionState(ClusterSession::State::Disconnected, tr("Not connected"));
}

void ClusterBar::setContexts(const QList<ContextEntry> &contexts)
{
    m_updating = true;
    m_entries = contexts;
    m_contexts->clear();
    for (const ContextEntry &entry : contexts) {
        m_contexts->addItem(entry.label);
        m_contexts->setItemData(m_contexts->count() - 1, entry.detail, Qt::ToolTipRole);
    }
    m_updating = false;
    updateInsecureWarning();
}

QStringList ClusterBar::contextNames() const
{
    QStringList names;
    for (const ContextEntry &e : m_entries) {
        if (!e.isDemo)
            names << e.name;
    }
    return names;
}

void ClusterBar::selectContext(const ContextEntry &wanted)
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        const ContextEntry &e = m_entries.at(i);
        if (e.isDemo == wanted.isDemo && e.name == wanted.name && !e.label.isEmpty()) {
            m_updating = true;
            m_contexts->setCurrentIndex(int(i));
            m_updating = false;
            break;
        }
    }
    updateInsecureWarning();
}

ContextEntry ClusterBar::currentContext() const
{
    return m_entries.value(m_contexts->currentIndex());
}

void ClusterBar::updateInsecureWarning()
{
    m_insecure->setVisible(currentContext().insecure);
}

void ClusterBar::setNamespaces(const QStringList &namespaces, const QString &current)
{
    m_updating = true;
    m_namespaces->clear();
    m_namespaces->addItem(tr("All namespaces"), QString());
    for (const QString &ns : namespaces)
        m_namespaces->addItem(ns, ns);
    int index = current.isEmpty() ? 0 : m_namespaces->findData(current);
    if (index < 0) {
        // A namespace we cannot list (RBAC) or that does not exist yet: still offer it.
        m_namespaces->addItem(current, current);
        index = m_namespaces->count() - 1;
    }
    m_namespaces->setCurrentIndex(index);
    m_updating = false;
}

QString ClusterBar::currentNamespace() const
{
    return m_namespaces->currentData().toString();
}

void ClusterBar::setConnectionState(ClusterSession::State state, const QString &message)
{
    Theme::Role role = Theme::Role::Muted;
    switch (state) {
    case ClusterSession::State::Connected:
        role = Theme::Role::Ready;
        break;
    case ClusterSession::State::Connecting:
    case ClusterSession::State::Retrying:
        role = Theme::Role::Warning;
        break;
    case ClusterSession::State::Failed:
        role = Theme::Role::Error;
        break;
    case ClusterSession::State::Disconnected:
        break;
    }
    m_stateDot->setPixmap(dot(Theme::color(role)));
    m_state->setText(message);
}

} // namespace rollscope
