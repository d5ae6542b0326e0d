// SPDX-License-Identifier: MIT
#include "deploymentspane.h"

#include "itemmodels/deploymentlistmodel.h"
#include "kube/informer.h"
#include "rollout/rollouttypes.h"
#include "theme.h"

#include <QAction>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPainter>
#include <QProgressBar>
#include <QScopedValueRollback>
#include <QSettings>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace rollscope {

namespace {

// The columns the user chose to see, by stable name (QSettings, not the column numbers).
const auto kPaneColumnsKey = QStringLiteral("deploymentsPane/visibleColumns");

QString paneColumnId(int column)
{
    switch (column) {
    case DeploymentListModel::Name:
        return QStringLiteral("name");
    case DeploymentListModel::Namespace:
        return QStringLiteral("namespace");
    case DeploymentListModel::Ready:
        return QStringLiteral("ready");
    case DeploymentListModel::UpToDate:
        return QStringLiteral("upToDate");
    case DeploymentListModel::Available:
        return QStringLiteral("available");
    case DeploymentListModel::Images:
        return QStringLiteral("images");
    case DeploymentListModel::Strategy:
        return QStringLiteral("strategy");
    case DeploymentListModel::Status:
        return QStringLiteral("status");
    case DeploymentListModel::Age:
        return QStringLiteral("age");
    }
    return {};
}

QString paneColumnTitle(int column)
{
    switch (column) {
    case DeploymentListModel::Name:
        return DeploymentsPane::tr("Name");
    case DeploymentListModel::Namespace:
        return DeploymentsPane::tr("Namespace");
    case DeploymentListModel::Ready:
        return DeploymentsPane::tr("Ready");
    case DeploymentListModel::UpToDate:
        return DeploymentsPane::tr("Up-to-date");
    case DeploymentListModel::Available:
        return DeploymentsPane::tr("Available");
    case DeploymentListModel::Images:
        return DeploymentsPane::tr("Images");
    case DeploymentListModel::Strategy:
        return DeploymentsPane::tr("Strategy");
    case DeploymentListModel::Status:
        return DeploymentsPane::tr("Status");
    case DeploymentListModel::Age:
        return DeploymentsPane::tr("Age");
    }
    return {};
}

const QStringList &paneDefaultColumns()
{
    static const QStringList columns{paneColumnId(DeploymentListModel::Ready),
                                     paneColumnId(DeploymentListModel::Status)};
    return columns;
}

// Colours STATUS by meaning, with the Rollout view's badge colours.
class StatusDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.column() != DeploymentListModel::Status)
            return;
        const auto state =
            rollout::RolloutState(index.data(DeploymentListModel::StatusRole).toInt());
        Theme::Role role = Theme::Role::Muted;
        switch (state) {
        case rollout::RolloutState::Complete:
            role = Theme::Role::Ready;
            break;
        case rollout::RolloutState::Progressing:
            role = Theme::Role::VersionNew;
            break;
        case rollout::RolloutState::Paused:
            role = Theme::Role::Warning;
            break;
        case rollout::RolloutState::Failed:
            role = Theme::Role::Error;
            break;
        case rollout::RolloutState::Unknown:
            break;
        }
        option->font.setBold(state != rollout::RolloutState::Complete);
        // On the selection's background the text keeps the selection's colour, bold.
        option->palette.setColor(QPalette::Text, Theme::color(role, option->palette));
    }
};

// Knows whether the current row changes because of the user's own input (a click, a key) or
// because the model changed under it (rows filtered away, removed, re-sorted).
class DeploymentsTable : public QTableView
{
public:
    using QTableView::QTableView;
    bool isHandlingInput() const { return m_input > 0; }

protected:
    void mousePressEvent(QMouseEvent *event) override
    {
        ++m_input;
        QTableView::mousePressEvent(event);
        --m_input;
    }
    void mouseMoveEvent(QMouseEvent *event) override
    {
        ++m_input;
        QTableView::mouseMoveEvent(event);
        --m_input;
    }
    void mouseReleaseEvent(QMouseEvent *event) override
    {
        ++m_input;
        QTableView::mouseReleaseEvent(event);
        --m_input;
    }
    void keyPressEvent(QKeyEvent *event) override
    {
        ++m_input;
        QTableView::keyPressEvent(event);
        --m_input;
    }

private:
    int m_input = 0;
};

} // namespace

DeploymentsPane::DeploymentsPane(QWidget *parent)
    : QWidget(parent)
    , m_model(new DeploymentListModel(this))
    , m_proxy(new DeploymentFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_view(new DeploymentsTable(this))
    , m_loading(new QProgressBar(this))
    , m_placeholder(new QLabel(this))
    , m_headerMenu(new QMenu(this))
{
    setObjectName(QStringLiteral("DeploymentsPane"));
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("deploymentFilter"));
    m_filter->setPlaceholderText(tr("Filter deployments (/ or Ctrl+F)"));
    m_filter->setToolTip(tr("Esc clears the filter, or goes to the list when it is empty."));
    m_filter->setClearButtonEnabled(true);
    m_filter->installEventFilter(this);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &DeploymentFilterProxy::setFilterText);
    connect(m_filter, &QLineEdit::textChanged, this, &DeploymentsPane::updatePlaceholder);

    m_view->setObjectName(QStringLiteral("deploymentTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new StatusDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setTabKeyNavigation(false); // Tab goes on to the next pane
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(DeploymentListModel::Name, Qt::AscendingOrder);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    // Measured from the rows on screen: by default a thousand rows at every change of the list.
    header->setResizeContentsPrecision(0);
    // NAME takes the room the other columns leave and elides; IMAGES can be long: the user
    // sizes it.
    header->setSectionResizeMode(DeploymentListModel::Name, QHeaderView::Stretch);
    header->setSectionResizeMode(DeploymentListModel::Images, QHeaderView::Interactive);
    header->resizeSection(DeploymentListModel::Images,
                          m_view->fontMetrics().averageCharWidth() * 24);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(header, &QWidget::customContextMenuRequested, this, [this, header](const QPoint &pos) {
        m_headerMenu->popup(header->viewport()->mapToGlobal(pos));
    });
    buildColumnMenu();

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeploymentsPane::onCurrentRowChanged);
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QString key = index.data(DeploymentListModel::KeyRole).toString();
        watch(key);
        emit activated(key);
    });
    // After the view and its selection model have handled a change of rows (connected after
    // setModel(), so these run after them): the watched row is current again, or none is.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &DeploymentsPane::syncCurrentRow);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &DeploymentsPane::syncCurrentRow);
    connect(m_proxy, &QAbstractItemModel::rowsMoved, this, &DeploymentsPane::syncCurrentRow);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &DeploymentsPane::syncCurrentRow);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &DeploymentsPane::syncCurrentRow);

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
    setTabOrder(m_filter, m_view);

    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DeploymentsPane::updatePlaceholder);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DeploymentsPane::updatePlaceholder);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DeploymentsPane::updatePlaceholder);
    updatePlaceholder();
}

void DeploymentsPane::buildColumnMenu()
{
    QMenu *columns = m_headerMenu->addMenu(tr("&Columns"));
    QStringList visible = paneDefaultColumns();
    const QSettings settings;
    if (settings.contains(kPaneColumnsKey))
        visible = settings.value(kPaneColumnsKey).toStringList();
    m_columnActions.resize(DeploymentListModel::ColumnCount, nullptr);
    for (int column = 0; column < DeploymentListModel::ColumnCount; ++column) {
        if (column == DeploymentListModel::Name)
            continue; // always shown
        QAction *action = columns->addAction(paneColumnTitle(column));
        action->setObjectName(QStringLiteral("column-%1").arg(paneColumnId(column)));
        action->setCheckable(true);
        action->setChecked(visible.contains(paneColumnId(column)));
        connect(action, &QAction::toggled, this, [this] {
            applyColumnVisibility();
            saveColumnVisibility();
        });
        m_columnActions[column] = action;
    }
    columns->addSeparator();
    QAction *reset = columns->addAction(tr("&Default Columns"));
    reset->setObjectName(QStringLiteral("defaultColumns"));
    connect(reset, &QAction::triggered, this, [this] {
        for (int column = 0; column < DeploymentListModel::ColumnCount; ++column) {
            if (QAction *action = m_columnActions.value(column)) {
                const QSignalBlocker blocker(action);
                action->setChecked(paneDefaultColumns().contains(paneColumnId(column)));
            }
        }
        QSettings().remove(kPaneColumnsKey);
        applyColumnVisibility();
    });
    applyColumnVisibility();
}

void DeploymentsPane::applyColumnVisibility()
{
    for (int column = 0; column < DeploymentListModel::ColumnCount; ++column) {
        const QAction *action = m_columnActions.value(column);
        const bool shown = !action || action->isChecked() ||
                           (column == DeploymentListModel::Namespace && m_showNamespace);
        m_view->setColumnHidden(column, !shown);
    }
}

void DeploymentsPane::saveColumnVisibility() const
{
    QStringList visible;
    for (int column = 0; column < DeploymentListModel::ColumnCount; ++column) {
        if (const QAction *action = m_columnActions.value(column); action && action->isChecked())
            visible << paneColumnId(column);
    }
    QSettings().setValue(kPaneColumnsKey, visible);
}

void DeploymentsPane::setShowNamespace(bool show)
{
    if (show == m_showNamespace)
        return;
    m_showNamespace = show;
    if (QAction *action = m_columnActions.value(DeploymentListModel::Namespace)) {
        // While every namespace is listed the column is always there; the user's own choice
        // applies again to a single namespace.
        action->setEnabled(!show);
        action->setText(show ? tr("Namespace (all namespaces)")
                             : paneColumnTitle(DeploymentListModel::Namespace));
    }
    applyColumnVisibility();
}

void DeploymentsPane::setInformer(kube::DeploymentInformer *informer)
{
    if (m_informer)
        disconnect(m_informer, nullptr, this, nullptr);
    m_informer = informer;
    if (informer)
        setShowNamespace(informer->options().ns.isEmpty());
    // Another namespace or another connection: the watched Deployment is announced again when it
    // shows up (the window may have closed its view meanwhile).
    m_announcePending = informer && !m_watchedKey.isEmpty();
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
    updatePlaceholder();
}

void DeploymentsPane::onCurrentRowChanged(const QModelIndex &current)
{
    if (m_syncing)
        return;
    if (current.isValid() && static_cast<DeploymentsTable *>(m_view)->isHandlingInput()) {
        watch(current.data(DeploymentListModel::KeyRole).toString());
        return;
    }
    // The model moved the current row (rows filtered away, removed), or the view did on its own
    // (focus): the watched Deployment stays; put the table back in step once this is over.
    scheduleSync();
}

void DeploymentsPane::watch(const QString &key)
{
    m_announcePending = false;
    if (key == m_watchedKey)
        return;
    m_watchedKey = key;
    emit currentDeploymentChanged(key);
}

void DeploymentsPane::scheduleSync()
{
    if (m_syncScheduled)
        return;
    m_syncScheduled = true;
    QTimer::singleShot(0, this, &DeploymentsPane::syncCurrentRow);
}

void DeploymentsPane::syncCurrentRow()
{
    m_syncScheduled = false;
    QItemSelectionModel *selection = m_view->selectionModel();
    const QModelIndex watched = m_watchedKey.isEmpty()
                                    ? QModelIndex()
                                    : m_proxy->mapFromSource(m_model->indexOfKey(m_watchedKey));
    const QModelIndex current = m_view->currentIndex();
    {
        const QScopedValueRollback<bool> syncing(m_syncing, true);
        if (watched.isValid()) {
            if (current.row() != watched.row() || !selection->isRowSelected(watched.row()))
                selection->setCurrentIndex(
                    watched.siblingAtColumn(current.isValid() &&
                                                    !m_view->isColumnHidden(current.column())
                                                ? current.column()
                                                : int(DeploymentListModel::Name)),
                    QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        } else if (current.isValid() || selection->hasSelection()) {
            selection->clear();
        }
    }
    if (watched.isValid() && m_announcePending) {
        m_announcePending = false;
        emit currentDeploymentChanged(m_watchedKey);
    }
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

bool DeploymentsPane::selectKey(const QString &key)
{
    if (key.isEmpty()) {
        watch({});
        syncCurrentRow();
        return true;
    }
    const QModelIndex index = m_proxy->mapFromSource(m_model->indexOfKey(key));
    if (!index.isValid())
        return false;
    watch(key);
    syncCurrentRow();
    m_view->scrollTo(m_view->currentIndex());
    return true;
}

bool DeploymentsPane::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_filter && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
        if (!m_filter->text().isEmpty())
            m_filter->clear();
        else
            m_view->setFocus(Qt::ShortcutFocusReason);
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace rollscope
