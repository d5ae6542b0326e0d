#pragma once

#include "kube/resources.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QPointer>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace rollscope {

namespace kube {
class DeploymentInformer;
}

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
        StatusRole,                 // DeploymentListModel::RolloutStatus as int
        DeploymentRole,             // the kube::DeploymentInfo
    };
    enum class RolloutStatus
    {
        Complete,
        Progressing,
        Paused,
        Failed
    };
    Q_ENUM(RolloutStatus)

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

    // What STATUS shows, from the Deployment's spec, status and conditions.
    static RolloutStatus rolloutStatus(const kube::DeploymentInfo &deployment);
    static QString statusText(RolloutStatus status);
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

    QList<kube::DeploymentInfo> m_rows; // in arrival order; the proxy sorts
    QPointer<kube::DeploymentInformer> m_informer;
    QList<QMetaObject::Connection> m_connections;
    QDateTime m_fixedNow;
    QTimer m_ageTimer;
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
