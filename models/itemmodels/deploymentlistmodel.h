// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/keyedrowsmodel.h"
#include "kube/informerfwd.h"
#include "kube/resources.h"
#include "rollout/rollouttypes.h"

#include <QSortFilterProxyModel>

#include <array>

namespace rollscope {

// Deployments as the list shows them. Fed by a DeploymentInformer: a reset when it is bound
// (a whole new snapshot), then one row insert/remove/dataChanged per change. Rows in arrival
// order; DeploymentFilterProxy sorts.
class DeploymentListModel : public KeyedRowsModel<DeploymentListModel, kube::DeploymentInfo>
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

    explicit DeploymentListModel(QObject *parent = nullptr)
        : KeyedRowsModel({Age}, parent)
    {}

    // Binds to `informer` (may be null: empties the model). The model does not own it.
    void setInformer(kube::DeploymentInformer *informer);
    // Replaces the content without an informer (tests, read-only views).
    void setDeployments(const QList<kube::DeploymentInfo> &deployments) { setRows(deployments); }

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

    // A removed Deployment takes its live status with it.
    void onRemoved(const kube::DeploymentInfo &deployment);

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {
        QT_TR_NOOP("NAME"),       QT_TR_NOOP("NAMESPACE"), QT_TR_NOOP("READY"),
        QT_TR_NOOP("UP-TO-DATE"), QT_TR_NOOP("AVAILABLE"), QT_TR_NOOP("IMAGES"),
        QT_TR_NOOP("STRATEGY"),   QT_TR_NOOP("STATUS"),    QT_TR_NOOP("AGE")};
    // The sorting proxy re-sorts a thousand rows when the sorted column (NAME by default) is in a
    // change's range, and a rollout updates its Deployment often: only the columns that changed.
    static constexpr RowChanges kRowChanges = RowChanges::ChangedColumns;
    static constexpr std::array<int, 0> kRowRoles{};
    static constexpr int kObjectRole = DeploymentRole;
    static QString keyOf(const kube::DeploymentInfo &deployment) { return deployment.key(); }
    QVariant rowData(const kube::DeploymentInfo &d, int column, int role) const;

private:
    // What STATUS shows for `deployment`: the live status if it is the one, else statusOf().
    rollout::RolloutStatus statusFor(const kube::DeploymentInfo &deployment) const;
    void emitStatusChanged(const QString &key);

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
