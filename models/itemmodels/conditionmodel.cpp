// SPDX-License-Identifier: MIT
#include "conditionmodel.h"

#include "rollout/rollouttracker.h"

namespace rollscope {

using kube::Condition;

ConditionModel::ConditionModel(QObject *parent)
    : RolloutTableModel({LastUpdate, LastTransition}, parent)
{}

void ConditionModel::unbind()
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = nullptr;
}

void ConditionModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    beginResetModel();
    m_rows.clear();
    if (tracker) {
        if (const auto deployment = tracker->deployment())
            m_rows = deployment->conditions;
    }
    endResetModel();
    m_tracker = tracker;
    if (!tracker)
        return;
    using T = rollout::RolloutTracker;
    m_connections << connect(
        tracker, &T::deploymentChanged, this,
        [this](const kube::DeploymentInfo &d) { setConditions(d.conditions); });
    m_connections << connect(tracker, &T::deploymentRemoved, this, [this] { setConditions({}); });
}

void ConditionModel::setConditions(const QList<Condition> &conditions)
{
    // Gone first, from the bottom so the rows above keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        const QString &type = m_rows.at(row).type;
        const bool kept = std::any_of(conditions.cbegin(), conditions.cend(),
                                      [&](const Condition &c) { return c.type == type; });
        if (!kept) {
            beginRemoveRows({}, row, row);
            m_rows.removeAt(row);
            endRemoveRows();
        }
    }
    for (const Condition &condition : conditions) {
        const int row = rowOf(condition.type);
        if (row < 0) {
            const int at = int(m_rows.size());
            beginInsertRows({}, at, at);
            m_rows.append(condition);
            endInsertRows();
        } else if (!(m_rows.at(row) == condition)) {
            m_rows[row] = condition;
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
}

int ConditionModel::rowOf(const QString &type) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).type == type)
            return int(i);
    }
    return -1;
}

int ConditionModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ConditionModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ConditionModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Condition &c = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Type:
            return c.type;
        case Status:
            return c.status;
        case Reason:
            return c.reason;
        case Message:
            return c.message;
        case LastUpdate:
            return age(c.lastUpdateTime);
        case LastTransition:
            return age(c.lastTransitionTime);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case LastUpdate:
            return -c.lastUpdateTime.toMSecsSinceEpoch();
        case LastTransition:
            return -c.lastTransitionTime.toMSecsSinceEpoch();
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case LastUpdate:
            return c.lastUpdateTime.toString(Qt::ISODate);
        case LastTransition:
            return c.lastTransitionTime.toString(Qt::ISODate);
        case Message:
            return c.message;
        default:
            return {};
        }
    case KeyRole:
        return c.type;
    case SeverityRole:
        return int(rollout::conditionSeverity(c));
    case ConditionRole:
        return QVariant::fromValue(c);
    }
    return {};
}

QVariant ConditionModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Type:
        return tr("TYPE");
    case Status:
        return tr("STATUS");
    case Reason:
        return tr("REASON");
    case Message:
        return tr("MESSAGE");
    case LastUpdate:
        return tr("LAST UPDATE");
    case LastTransition:
        return tr("LAST TRANSITION");
    }
    return {};
}

} // namespace rollscope
