// SPDX-License-Identifier: MIT
#include "conditionmodel.h"

#include "rollout/rollouttracker.h"

namespace rollscope {

using kube::Condition;

void ConditionModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    const auto deployment = tracker ? tracker->deployment() : std::nullopt;
    resetRows(deployment ? deployment->conditions : QList<Condition>());
    if (!tracker)
        return;
    using T = rollout::RolloutTracker;
    follow(tracker, &T::deploymentChanged,
           [this](const kube::DeploymentInfo &d) { setConditions(d.conditions); });
    follow(tracker, &T::deploymentRemoved, [this] { setConditions({}); });
}

QVariant ConditionModel::rowData(const Condition &c, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
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
        if (column == LastUpdate)
            return -c.lastUpdateTime.toMSecsSinceEpoch();
        if (column == LastTransition)
            return -c.lastTransitionTime.toMSecsSinceEpoch();
        return {}; // the others sort by what they show
    case Qt::ToolTipRole:
        switch (column) {
        case LastUpdate:
            return c.lastUpdateTime.toString(Qt::ISODate);
        case LastTransition:
            return c.lastTransitionTime.toString(Qt::ISODate);
        case Message:
            return c.message;
        default:
            return {};
        }
    case SeverityRole:
        return int(rollout::conditionSeverity(c));
    }
    return {};
}

} // namespace rollscope
