// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/versionedrowsmodel.h"
#include "kube/resources.h"

#include <array>

namespace rollscope {

// The Deployment's pods: NAME, VERSION, REPLICASET (the owner), STATUS (as kubectl prints it),
// READY, RESTARTS, NODE, AGE. Rows in arrival order (a proxy sorts on SortRole; sorted by
// DefaultSortColumn/DefaultSortOrder it shows the new version first, then the older versions from
// the most recent, each youngest pod first: during a rollout the pods being created come on top).
// The view colours rows from ColorIndexRole/IsNewRole and marks TerminatingRole/FailingRole; the
// core has no colours.
class PodModel : public VersionedRowsModel<PodModel, kube::PodInfo>
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

    explicit PodModel(QObject *parent = nullptr)
        : VersionedRowsModel({Restarts, Age}, parent)
    {}

    void setTracker(rollout::RolloutTracker *tracker);
    void setPods(const QList<kube::PodInfo> &pods) { setRows(pods); }

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {
        QT_TR_NOOP("NAME"),  QT_TR_NOOP("VERSION"),  QT_TR_NOOP("REPLICASET"), QT_TR_NOOP("STATUS"),
        QT_TR_NOOP("READY"), QT_TR_NOOP("RESTARTS"), QT_TR_NOOP("NODE"),       QT_TR_NOOP("AGE")};
    // A pod's status changes all the time during a rollout, its version and age do not: only the
    // cells that changed are signalled (see RowChanges), and the roles that colour and mark the
    // whole row when they changed.
    // Thousands of pods in a burst: the tracker's changes come in batches (KeyedRowsModel).
    static constexpr bool kBatchedFeed = true;
    static constexpr RowChanges kRowChanges = RowChanges::ChangedColumns;
    static constexpr std::array kRowRoles{int(ColorIndexRole), int(IsNewRole), int(TerminatingRole),
                                          int(FailingRole), int(FailureReasonRole)};
    static constexpr int kObjectRole = PodRole;
    static constexpr std::array kVersionRoles{int(Qt::DisplayRole), int(SortRole), int(VersionRole),
                                              int(ColorIndexRole), int(IsNewRole)};
    static QString keyOf(const kube::PodInfo &pod) { return pod.name; }
    static const rollout::VersionInfo *findVersion(const VersionLookup &versions,
                                                   const kube::PodInfo &pod)
    {
        return versions.find(pod.podTemplateHash, pod.ownerName);
    }
    QVariant rowData(const kube::PodInfo &pod, int column, int role) const;
};

} // namespace rollscope
