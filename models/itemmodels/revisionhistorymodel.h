// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/rollouttablemodel.h"
#include "kube/operations.h"
#include "kube/resources.h"

#include <QPointer>

namespace rollscope {

namespace rollout {
class RolloutTracker;
}

// The rollback chooser: REVISION, STATE, IMAGES, CHANGE-CAUSE, AGE, one row per ReplicaSet with a
// revision, newest revision on top (a rollback renumbers a ReplicaSet: its row moves up).
// CurrentRole marks the Deployment's revision (the view shows it; you cannot roll back to it),
// LastGoodRole the one to return to (rollout::lastGoodRevision); STATE names both.
class RevisionHistoryModel : public RolloutTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Revision,
        State,
        Images,
        ChangeCause,
        Age,
        ColumnCount
    };
    enum Role
    {
        KeyRole = Qt::UserRole + 1, // the ReplicaSet's name
        SortRole,
        CurrentRole,  // bool: the Deployment's current revision
        RevisionRole, // qint64
        RevisionInfoRole,
        LastGoodRole, // bool: the revision to return to
    };

    explicit RevisionHistoryModel(QObject *parent = nullptr);

    void setTracker(rollout::RolloutTracker *tracker);
    void setRevisions(const QList<kube::RevisionInfo> &revisions);
    // The Deployment's revision annotation: which row is current.
    void setCurrentRevision(qint64 revision);
    // The revision to return to (0: none); follows the tracker when one is set.
    void setLastGoodRevision(qint64 revision);
    qint64 lastGoodRevision() const { return m_lastGood; }

    void onReplicaSetAdded(const kube::ReplicaSetInfo &replicaSet);
    void onReplicaSetUpdated(const kube::ReplicaSetInfo &before, const kube::ReplicaSetInfo &after);
    void onReplicaSetRemoved(const kube::ReplicaSetInfo &replicaSet);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(const QString &replicaSetName) const;
    qint64 currentRevision() const { return m_current; }

private:
    void place(const kube::RevisionInfo &revision);
    void remove(const QString &replicaSetName);
    int positionFor(const kube::RevisionInfo &revision) const;
    void unbind();
    void followTracker();
    void emitRowChanged(qint64 revision);

    QList<kube::RevisionInfo> m_rows; // by revision, descending
    qint64 m_current = 0;
    qint64 m_lastGood = 0;
    QPointer<rollout::RolloutTracker> m_tracker;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace rollscope
