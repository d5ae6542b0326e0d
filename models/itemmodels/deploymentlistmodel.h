// SPDX-License-Identifier: MIT
#pragma once

#include "kube/informerfwd.h"
#include "kube/resources.h"
#include "rollout/rollouttypes.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace rollscope {

// Deployments as the list shows them. Fed by a DeploymentInformer: a reset when it is bound
// (a whole new snapshot), then one row insert/remove/dataChanged per change.
class DeploymentListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Namespace,
        Ready,
        UpToDate,
        Available,
        Images,
        Strategy,
        Status,
        Age,
        ColumnCount
    };
    enum Role
    {
        KeyRole = Qt::UserRole + 1, // "namespace/name"
        SortRole,                   // a value that sorts naturally (numbers, timestamps)
        StatusRole,                 // rollout::RolloutState as int (what STATUS shows)
        DeploymentRole,             // the kube::DeploymentInfo
        RolloutStatusRole,          // the rollout::RolloutStatus STATUS shows
        LiveStatusRole,             // bool: STATUS is the Rollout view's live status
    };

    explicit DeploymentListModel(QObject *parent = nullptr);

    // Binds to `informer` (may be null: empties the model). The model does not own it.
    void setInformer(kube::DeploymentInformer *informer);
    // Replaces the content without an informer (tests, read-only views).
    void setDeployments(const QList<kube::DeploymentInfo> &deployments);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    QModelIndex indexOfKey(const QString &key) const;
    std::optional<kube::DeploymentInfo> deployment(const QString &key) const;

    // What STATUS shows for a Deployment alone: the Rollout view's rules (rollout::evaluateStatus)
    // without pods, so the list and the view never disagree on the same facts.
    static rollout::RolloutStatus statusOf(const kube::DeploymentInfo &deployment);
    // Ascending: the states that need attention first (Failed, Progressing, Paused, Complete).
    static int statusSortRank(rollout::RolloutState state);
    // The status the Rollout view shows for the Deployment it watches (it also sees the pods:
    // ImagePullBackOff or CrashLoopBackOff make it Failed): that row shows exactly this state,
    // message and colour instead of statusOf(). One at a time: it replaces the previous one. An
    // empty name or the Unknown state clears it, as clearLiveStatus() does.
    void setLiveStatus(const QString &ns, const QString &name,
                       const rollout::RolloutStatus &status);
    void clearLiveStatus();
    QString liveStatusKey() const { return m_liveKey; } // "" when there is none
    // What STATUS shows for this row: the live status if it has one, else statusOf().
    rollout::RolloutStatus statusAt(int row) const;

    static QString strategyText(const kube::DeploymentInfo &deployment);
    // Ages shown relative to this time (the clock; settable for tests).
    void setNow(const QDateTime &now);

    // One change, as the informer reports it (public so recorded sequences can be replayed).
    void onAdded(const kube::DeploymentInfo &deployment);
    void onUpdated(const kube::DeploymentInfo &before, const kube::DeploymentInfo &after);
    void onRemoved(const kube::DeploymentInfo &deployment);

private:
    int rowOfKey(const QString &key) const;
    QDateTime now() const;
    void emitStatusChanged(const QString &key);

    void replaceRows(const QList<kube::DeploymentInfo> &deployments);
    void reindexFrom(int row);

    QList<kube::DeploymentInfo> m_rows; // in arrival order; the proxy sorts
    QHash<QString, int> m_rowOf;        // by key (a thousand rows: no scan per change)
    QPointer<kube::DeploymentInformer> m_informer;
    kube::InformerHandlerId m_handlers = 0; // registered with m_informer
    QDateTime m_fixedNow;
    QTimer m_ageTimer;
    QString m_liveKey;
    rollout::RolloutStatus m_liveStatus;
};

// Sorting on SortRole, filtering by a text that matches name, namespace or images (as the
// `/` filter of k9s).
class DeploymentFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit DeploymentFilterProxy(QObject *parent = nullptr);
    void setFilterText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_text;
};

} // namespace rollscope
