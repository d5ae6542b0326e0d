// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/rollouttablemodel.h"
#include "kube/resources.h"

#include <QPointer>

namespace rollscope {

namespace rollout {
class RolloutTracker;
}

// The Deployment's ReplicaSets: REVISION, IMAGE, DESIRED, CURRENT, READY, AVAILABLE, AGE. Rows in
// arrival order (a proxy sorts on SortRole); colours are the view's business: it maps
// ColorIndexRole and IsNewRole.
class ReplicaSetModel : public RolloutTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Revision,
        Image,
        Desired,
        Current,
        Ready,
        Available,
        Age,
        ColumnCount
    };
    enum Role
    {
        KeyRole = Qt::UserRole + 1, // the ReplicaSet's name
        SortRole,                   // a value that sorts naturally
        VersionRole,                // version id (pod-template-hash)
        VersionLabelRole,           // the version's label; "" when the ReplicaSet is no version
        ColorIndexRole,             // the version's colorIndex; -1 when it is no version
        IsNewRole,                  // bool: the Deployment's current template
        ReplicaSetRole,             // the kube::ReplicaSetInfo
    };

    // The newest revision first.
    static constexpr int DefaultSortColumn = Revision;
    static constexpr Qt::SortOrder DefaultSortOrder = Qt::DescendingOrder;

    explicit ReplicaSetModel(QObject *parent = nullptr);

    // Binds to `tracker` (may be null: empties the model); a reset now, then incremental.
    void setTracker(rollout::RolloutTracker *tracker);
    // Without a tracker (tests, a loaded timeline).
    void setReplicaSets(const QList<kube::ReplicaSetInfo> &replicaSets);
    void setVersions(const QList<rollout::VersionInfo> &versions);

    // One change, as the tracker reports it.
    void onAdded(const kube::ReplicaSetInfo &replicaSet);
    void onUpdated(const kube::ReplicaSetInfo &before, const kube::ReplicaSetInfo &after);
    void onRemoved(const kube::ReplicaSetInfo &replicaSet);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(const QString &name) const;

private:
    const rollout::VersionInfo *versionOf(const kube::ReplicaSetInfo &replicaSet) const;
    void unbind();

    QList<kube::ReplicaSetInfo> m_rows;
    VersionLookup m_versions;
    QPointer<rollout::RolloutTracker> m_tracker;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace rollscope
