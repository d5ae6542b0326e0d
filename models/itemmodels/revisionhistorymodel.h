// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/keyedrowsmodel.h"
#include "kube/operations.h"
#include "kube/resources.h"

#include <QPointer>

namespace rollscope {

// The rollback chooser: REVISION, STATE, IMAGES, CHANGE-CAUSE, AGE, one row per ReplicaSet with a
// revision, newest revision on top (a rollback renumbers a ReplicaSet: its row moves up).
// CurrentRole marks the Deployment's revision (the view shows it; you cannot roll back to it),
// LastGoodRole the one to return to (rollout::lastGoodRevision); STATE names both.
class RevisionHistoryModel
    : public KeyedRowsModel<RevisionHistoryModel, kube::RevisionInfo, NewestFirst<qint64>>
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

    explicit RevisionHistoryModel(QObject *parent = nullptr)
        : KeyedRowsModel({Age}, parent)
    {}

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

    qint64 currentRevision() const { return m_current; }

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {QT_TR_NOOP("REVISION"), QT_TR_NOOP("STATE"),
                                               QT_TR_NOOP("IMAGES"), QT_TR_NOOP("CHANGE-CAUSE"),
                                               QT_TR_NOOP("AGE")};
    static constexpr RowChanges kRowChanges = RowChanges::WholeRow;
    static constexpr int kObjectRole = RevisionInfoRole;
    static QString keyOf(const kube::RevisionInfo &revision) { return revision.replicaSetName; }
    // The newest revision on top: a rollback renumbers a ReplicaSet, its row moves up.
    static NewestFirst<qint64> orderOf(const kube::RevisionInfo &revision)
    {
        return {revision.revision, revision.replicaSetName};
    }
    QVariant rowData(const kube::RevisionInfo &r, int column, int role) const;

private:
    void followTracker();

    qint64 m_current = 0;
    qint64 m_lastGood = 0;
    QPointer<rollout::RolloutTracker> m_tracker;
};

} // namespace rollscope
