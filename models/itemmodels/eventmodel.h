// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/keyedrowsmodel.h"
#include "kube/resources.h"

namespace rollscope {

// Kubernetes Events of the Deployment, its ReplicaSets and pods: LAST SEEN, TYPE, REASON,
// OBJECT, MESSAGE, COUNT, newest first. The order is the model's own (an event seen again moves
// to the top with one row move), so a plain view shows the latest on top without a proxy. A
// sorting proxy shows them newest first when sorted by DefaultSortColumn/DefaultSortOrder
// (LAST SEEN sorts as the ages it shows: ascending is the youngest first).
class EventModel : public KeyedRowsModel<EventModel, kube::EventInfo, NewestFirst<QDateTime>>
{
    Q_OBJECT
public:
    enum Column
    {
        LastSeen,
        Type,
        Reason,
        Object,
        Message,
        Count,
        ColumnCount
    };
    enum Role
    {
        KeyRole = Qt::UserRole + 1, // "namespace/name" of the Event
        SortRole,
        WarningRole,      // bool: type Warning
        InvolvedKindRole, // "Pod", "ReplicaSet", "Deployment"
        InvolvedNameRole,
        EventRole, // the kube::EventInfo
    };

    static constexpr int DefaultSortColumn = LastSeen;
    static constexpr Qt::SortOrder DefaultSortOrder = Qt::AscendingOrder;

    explicit EventModel(QObject *parent = nullptr)
        : KeyedRowsModel({LastSeen}, parent)
    {}

    void setTracker(rollout::RolloutTracker *tracker);
    void setEvents(const QList<kube::EventInfo> &events) { setRows(events); }

    // True when `a` is shown above `b`: later lastSeen first, ties by key.
    static bool newerFirst(const kube::EventInfo &a, const kube::EventInfo &b);

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {QT_TR_NOOP("LAST SEEN"), QT_TR_NOOP("TYPE"),
                                               QT_TR_NOOP("REASON"),    QT_TR_NOOP("OBJECT"),
                                               QT_TR_NOOP("MESSAGE"),   QT_TR_NOOP("COUNT")};
    // Thousands of events in a burst: the tracker's changes come in batches (KeyedRowsModel).
    static constexpr bool kBatchedFeed = true;
    static constexpr RowChanges kRowChanges = RowChanges::WholeRow;
    static constexpr int kObjectRole = EventRole;
    static QString keyOf(const kube::EventInfo &event) { return event.key(); }
    // Newest first: an event seen again moves to the top with one row move.
    static NewestFirst<QDateTime> orderOf(const kube::EventInfo &event)
    {
        return {event.lastSeen(), event.key()};
    }
    QVariant rowData(const kube::EventInfo &e, int column, int role) const;
};

} // namespace rollscope
