// SPDX-License-Identifier: MIT
#pragma once

#include "kube/informerfwd.h"

#include <QList>
#include <QWidget>

class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QModelIndex;
class QProgressBar;
class QTableView;

namespace rollscope {

class DeploymentFilterProxy;
class DeploymentListModel;

// The Deployments of the current namespace: a filterable, sortable table that follows the
// cluster live. `/` or Ctrl+F focuses the filter (as in k9s); Esc there clears it, or, when it is
// empty, goes to the table. Tab leaves the table for the next pane.
//
// The watched Deployment (the one the Rollout view shows) changes only when the user picks one:
// a click, keyboard navigation in the table, Enter, or selectKey(). Filtering, sorting and rows
// coming and going never change it; while its row is filtered out the table has no current row.
//
// NAME, READY and STATUS show by default; the header's context menu (Columns) shows the others,
// remembered across starts. NAMESPACE shows by itself for "All namespaces".
class DeploymentsPane : public QWidget
{
    Q_OBJECT
public:
    explicit DeploymentsPane(QWidget *parent = nullptr);

    void setInformer(kube::DeploymentInformer *informer);
    void focusFilter();
    // The watched Deployment ("namespace/name"), "" when none was picked.
    QString currentKey() const { return m_watchedKey; }
    // Watches `key` as if the user had picked it (emits currentDeploymentChanged when it
    // changes); false when no row of the table shows it.
    bool selectKey(const QString &key);

    // NAMESPACE shown whatever the user chose (set by setInformer() from the informer's
    // namespace: "" = all namespaces).
    void setShowNamespace(bool show);
    bool showsNamespace() const { return m_showNamespace; }
    // The header's context menu: Columns ▸ one checkable action per column.
    QMenu *headerMenu() const { return m_headerMenu; }
    QAction *columnAction(int column) const { return m_columnActions.value(column); }

    DeploymentListModel *model() const { return m_model; }
    DeploymentFilterProxy *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }

signals:
    void currentDeploymentChanged(const QString &key); // "" when nothing is selected
    void activated(const QString &key);                // double click / Enter

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void updatePlaceholder();
    void onCurrentRowChanged(const QModelIndex &current);
    void watch(const QString &key);
    // Makes the table's current row the watched one, or none when it is filtered out.
    void syncCurrentRow();
    void scheduleSync();
    void buildColumnMenu();
    void applyColumnVisibility();
    void saveColumnVisibility() const;

    DeploymentListModel *m_model;
    DeploymentFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QProgressBar *m_loading;
    QLabel *m_placeholder;
    QMenu *m_headerMenu;
    QList<QAction *> m_columnActions; // by column; null for NAME (always shown)
    kube::DeploymentInformer *m_informer = nullptr;
    QString m_watchedKey;
    bool m_syncing = false;
    bool m_syncScheduled = false;
    bool m_announcePending = false;
    bool m_showNamespace = false;
};

} // namespace rollscope
