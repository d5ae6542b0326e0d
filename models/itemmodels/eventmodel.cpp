// SPDX-License-Identifier: MIT
#include "eventmodel.h"

#include "rollout/rollouttracker.h"

namespace rollscope {

using kube::EventInfo;

void EventModel::setTracker(rollout::RolloutTracker *tracker)
{
    using T = rollout::RolloutTracker;
    bindRows(tracker, &T::sharedEvents, &T::eventAdded, &T::eventUpdated, &T::eventRemoved);
}

QVariant EventModel::rowData(const EventInfo &e, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case LastSeen:
            return age(e.lastSeen());
        case Type:
            return e.type;
        case Reason:
            return e.reason;
        case Object:
            return QString(e.involvedKind.toLower() + u'/' + e.involvedName);
        case Message:
            return e.message;
        case Count:
            return e.count;
        }
        return {};
    case SortRole:
        if (column == LastSeen)
            return -e.lastSeen().toMSecsSinceEpoch(); // newest first when ascending
        return {};                                    // the others sort by what they show
    case Qt::ToolTipRole:
        if (column == LastSeen)
            return e.lastSeen().toString(Qt::ISODate);
        if (column == Message)
            return e.message;
        return {};
    case Qt::TextAlignmentRole:
        if (column == Count)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case WarningRole:
        return e.type == u"Warning";
    case InvolvedKindRole:
        return e.involvedKind;
    case InvolvedNameRole:
        return e.involvedName;
    }
    return {};
}

} // namespace rollscope
