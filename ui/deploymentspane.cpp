#include "deploymentspane.h"

#include "itemmodels/deploymentlistmodel.h"
#include "kube/informer.h"
#include "theme.h"

#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QProgressBar>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace rollscope {

namespace {

// Colours the STATUS column by meaning.
class StatusDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != DeploymentListModel::Status)
            return;
        const auto status =
            DeploymentListModel::RolloutStatus(index.data(DeploymentListModel::StatusRole).toInt());
        Theme::Role role = Theme::Role::Ready;
        if (status == DeploymentListModel::RolloutStatus::Progressing)
            role = Theme::Role::VersionNew;
        else if (status == DeploymentListModel::RolloutStatus::Paused)
            role = Theme::Role::Warning;
        else if (status == DeploymentListModel::RolloutStatus::Failed)
            role = Theme::Role::Error;
        if (status != DeploymentListModel::RolloutStatus::Complete) {
            option->font.setBold(true);
            option->palette.setColor(QPalette::Text, Theme::color(role, option->palette));
        }
    }
};

} // namespace

DeploymentsPane::DeploymentsPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new DeploymentListModel(this))
    , m_proxy(new DeploymentFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTableView(this))
    , m_loading(new QProgressBar(this))
    , m_placeholder(new QLabel(this))
{
    setObjectName(QStringLiteral("DeploymentsPane"));
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("deploymentFilter"));
    m_filter->setPlaceholderText(tr("Filter deployments (/ or Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &DeploymentFilterProxy::setFilterText);
    connect(m_filter, &QLineEdit::textChanged, this, &DeploymentsPane::updatePlaceholder);

    m_view->setObjectName(QStringLiteral("deploymentTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new StatusDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DeploymentListModel::Name, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(DeploymentListModel::Images,
                                                     QHeaderView::Stretch);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                emit currentDeploymentChanged(
                    current.data(DeploymentListModel::KeyRole).toString());
            });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit activated(index.data(DeploymentListModel::KeyRole).toString());
    });

    m_loading->setRange(0, 0);
    m_loading->setMaximumHeight(4);
    m_loading->setTextVisible(false);
    m_loading->hide();

    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setObjectName(QStringLiteral("deploymentsPlaceholder"));
    QPalette muted = m_placeholder->palette();
    muted.setColor(QPalette::WindowText, Theme::color(Theme::Role::Muted));
    m_placeholder->setPalette(muted);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_filter);
    layout->addWidget(m_loading);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_placeholder);

    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DeploymentsPane::updatePlaceholder);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DeploymentsPane::updatePlaceholder);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DeploymentsPane::updatePlaceholder);
    updatePlaceholder();
}

void DeploymentsPane::setInformer(kube::DeploymentInformer *informer)
{
    if (m_informer)
        disconnect(m_informer, nullptr, this, nullptr);
    m_informer = informer;
    const QString previous = currentKey();
    m_model->setInformer(informer);
    if (informer) {
        connect(informer, &kube::Informer::syncedChanged, this,
                &DeploymentsPane::updatePlaceholder);
        connect(informer, &kube::Informer::statusChanged, this,
                &DeploymentsPane::updatePlaceholder);
        connect(informer, &QObject::destroyed, this, [this] {
            m_informer = nullptr;
            updatePlaceholder();
        });
    }
    if (!previous.isEmpty())
        selectKey(previous);
    updatePlaceholder();
}

void DeploymentsPane::updatePlaceholder()
{
    const bool loading = m_informer && !m_informer->hasSynced();
    m_loading->setVisible(loading);
    QString text;
    if (m_informer && !m_informer->hasSynced()) {
        const auto &status = m_informer->status();
        text = status.state == kube::InformerStatus::State::WaitingToRetry
                   ? status.message
                   : tr("Loading deployments…");
    } else if (m_model->rowCount() == 0) {
        text = m_informer ? tr("No Deployments here.") : QString();
    } else if (m_proxy->rowCount() == 0) {
        text = tr("No Deployment matches “%1”.").arg(m_filter->text());
    }
    m_placeholder->setText(text);
    m_placeholder->setVisible(!text.isEmpty());
}

void DeploymentsPane::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

QString DeploymentsPane::currentKey() const
{
    return m_view->currentIndex().data(DeploymentListModel::KeyRole).toString();
}

bool DeploymentsPane::selectKey(const QString &key)
{
    const QModelIndex source = m_model->indexOfKey(key);
    const QModelIndex index = m_proxy->mapFromSource(source);
    if (!index.isValid())
        return false;
    m_view->setCurrentIndex(index);
    m_view->scrollTo(index);
    return true;
}

} // namespace rollscope
