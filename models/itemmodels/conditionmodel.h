// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/keyedrowsmodel.h"
#include "kube/resources.h"

namespace rollscope {

// The Deployment's conditions: TYPE, STATUS, REASON, MESSAGE, LAST UPDATE, LAST TRANSITION (as
// ages; the tooltip has the time). One row per condition type, in the order they first
// appeared; a change of the Deployment updates rows in place.
class ConditionModel : public KeyedRowsModel<ConditionModel, kube::Condition>
{
    Q_OBJECT
public:
    enum Column
    {
        Type,
        Status,
        Reason,
        Message,
        LastUpdate,
        LastTransition,
        ColumnCount
    };
    enum Role
    {
        KeyRole = Qt::UserRole + 1, // the condition type
        SortRole,
        SeverityRole, // int(rollout::RolloutEvent::Severity): the view picks the colour
        ConditionRole,
    };

    explicit ConditionModel(QObject *parent = nullptr)
        : KeyedRowsModel({LastUpdate, LastTransition}, parent)
    {}

    void setTracker(rollout::RolloutTracker *tracker);
    // Updates the rows to `conditions`: dataChanged for changed ones, inserts and removes.
    void setConditions(const QList<kube::Condition> &conditions) { assign(conditions); }

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {
        QT_TR_NOOP("TYPE"),    QT_TR_NOOP("STATUS"),      QT_TR_NOOP("REASON"),
        QT_TR_NOOP("MESSAGE"), QT_TR_NOOP("LAST UPDATE"), QT_TR_NOOP("LAST TRANSITION")};
    static constexpr RowChanges kRowChanges = RowChanges::WholeRow;
    static constexpr int kObjectRole = ConditionRole;
    static QString keyOf(const kube::Condition &condition) { return condition.type; }
    QVariant rowData(const kube::Condition &c, int column, int role) const;
};

} // namespace rollscope
