// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/versionedrowsmodel.h"
#include "kube/resources.h"

#include <array>

namespace rollscope {

// The Deployment's ReplicaSets: REVISION, IMAGE, DESIRED, CURRENT, READY, AVAILABLE, AGE. Rows in
// arrival order (a proxy sorts on SortRole); colours are the view's business: it maps
// ColorIndexRole and IsNewRole.
class ReplicaSetModel : public VersionedRowsModel<ReplicaSetModel, kube::ReplicaSetInfo>
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

    explicit ReplicaSetModel(QObject *parent = nullptr)
        : VersionedRowsModel({Age}, parent)
    {}

    // Binds to `tracker` (may be null: empties the model); a reset now, then incremental.
    void setTracker(rollout::RolloutTracker *tracker);
    // Without a tracker (tests, a loaded timeline).
    void setReplicaSets(const QList<kube::ReplicaSetInfo> &replicaSets) { setRows(replicaSets); }

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {QT_TR_NOOP("REVISION"), QT_TR_NOOP("IMAGE"),
                                               QT_TR_NOOP("DESIRED"),  QT_TR_NOOP("CURRENT"),
                                               QT_TR_NOOP("READY"),    QT_TR_NOOP("AVAILABLE"),
                                               QT_TR_NOOP("AGE")};
    static constexpr RowChanges kRowChanges = RowChanges::WholeRow;
    static constexpr int kObjectRole = ReplicaSetRole;
    static constexpr std::array kVersionRoles{int(VersionRole), int(VersionLabelRole),
                                              int(ColorIndexRole), int(IsNewRole),
                                              int(Qt::ToolTipRole)};
    static QString keyOf(const kube::ReplicaSetInfo &replicaSet) { return replicaSet.name; }
    // A ReplicaSet without a pod-template-hash is a version of its own name.
    static const rollout::VersionInfo *findVersion(const VersionLookup &versions,
                                                   const kube::ReplicaSetInfo &rs)
    {
        return versions.find(rs.podTemplateHash.isEmpty() ? rs.name : rs.podTemplateHash, rs.name);
    }
    QVariant rowData(const kube::ReplicaSetInfo &rs, int column, int role) const;
};

} // namespace rollscope
