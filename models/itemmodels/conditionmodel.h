// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/rollouttablemodel.h"
#include "kube/resources.h"

#include <QPointer>

namespace rollscope {

namespace rollout {
class RolloutTracker;
}

// The Deployment's conditions: TYPE, STATUS, REASON, MESSAGE, LAST UPDATE, LAST TRANSITION (as
// ages; the tooltip has the time). One row per condition type, in the order they first
// appeared; a change of the Deployment updates rows in place.
class ConditionModel : public RolloutTableModel
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

    explicit ConditionModel(QObject *parent = nullptr);

    void setTracker(rollout::RolloutTracker *tracker);
    // Updates the rows to `conditions`: dataChanged for changed ones, inserts and removes.
    void setConditions(const QList<kube::Condition> &conditions);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(const QString &type) const;

private:
    void unbind();

    QList<kube::Condition> m_rows;
    QPointer<rollout::RolloutTracker> m_tracker;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace rollscope
