// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/rollouttablemodel.h"
#include "kube/resources.h"

#include <QHash>
#include <QPointer>

namespace rollscope {

namespace rollout {
class RolloutTracker;
}

// The Deployment's pods: NAME, VERSION, REPLICASET (the owner), STATUS (as kubectl prints it),
// READY, RESTARTS, NODE, AGE. Rows in arrival order (a proxy sorts on SortRole; sorted by
// DefaultSortColumn/DefaultSortOrder it shows the new version first, then the older versions from
// the most recent, each youngest pod first: during a rollout the pods being created come on top).
// The view colours rows from ColorIndexRole/IsNewRole and marks TerminatingRole/FailingRole; the
// core has no colours.
class PodModel : public RolloutTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Version,
        ReplicaSet,
        Status,
        Ready,
        Restarts,
        Node,
        Age,
        ColumnCount
    };
    enum Role
    {
        KeyRole = Qt::UserRole + 1, // the pod's name
        SortRole,
        VersionRole,       // version id
        ColorIndexRole,    // the version's colorIndex; -1 when unknown
        IsNewRole,         // bool: a pod of the new version
        TerminatingRole,   // bool: deletionTimestamp set
        FailingRole,       // bool: a container waits for a failure reason (see podFailure())
        FailureReasonRole, // that reason ("CrashLoopBackOff"), or ""
        PodRole,           // the kube::PodInfo
    };

    // VERSION's SortRole orders by version (new first, then the more recent older ones, then pods
    // of no known version), then by age (youngest first), both ascending.
    static constexpr int DefaultSortColumn = Version;
    static constexpr Qt::SortOrder DefaultSortOrder = Qt::AscendingOrder;

    explicit PodModel(QObject *parent = nullptr);

    void setTracker(rollout::RolloutTracker *tracker);
    void setPods(const QList<kube::PodInfo> &pods);
    void setVersions(const QList<rollout::VersionInfo> &versions);

    void onAdded(const kube::PodInfo &pod);
    void onUpdated(const kube::PodInfo &before, const kube::PodInfo &after);
    void onRemoved(const kube::PodInfo &pod);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(const QString &name) const;

private:
    const rollout::VersionInfo *versionOf(const kube::PodInfo &pod) const;
    void unbind();
    void replaceRows(const QList<kube::PodInfo> &pods);
    void append(const kube::PodInfo &pod);
    // What a change of one row may alter: each column's display and sort values, then the
    // roles that style the whole row.
    QList<QVariant> cellsOf(int row) const;

    QList<kube::PodInfo> m_rows;
    // Thousands of pods: a change finds its row without a scan. Each row has a serial number,
    // increasing with the rows (they only ever append), so a pod's row is a binary search of its
    // serial; removing a row renumbers nothing.
    QList<quint64> m_serials;
    QHash<QString, quint64> m_serialOf;
    quint64 m_nextSerial = 0;
    VersionLookup m_versions;
    QPointer<rollout::RolloutTracker> m_tracker;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace rollscope
