// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/keyedrowsmodel.h"
#include "kube/resources.h"

namespace rollscope {

// Kubernetes Events of the Deployment, its ReplicaSets and pods: LAST SEEN, TYPE, REASON,
// OBJECT, MESSAGE, COUNT. The rows stay in the order they came (an event seen again changes in
// place); the view sorts them with a proxy, newest first when sorted by DefaultSortColumn/
// DefaultSortOrder (LAST SEEN sorts as the ages it shows: ascending is the youngest first).
//
// Rows never move in the model, because a sorting proxy takes a move of its source as a change of
// the whole layout and sorts every row again: with the 45,000 events of a 5,000-replica rollout
// that held the GUI thread for 200-340 ms each time a combined event was seen again. A row that
// changes in place is taken out and put back where it sorts, by the proxy, at the cost of one row.
class EventModel : public KeyedRowsModel<EventModel, kube::EventInfo>
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

    // What KeyedRowsModel asks of a model (see there).
    static constexpr const char *kHeaders[] = {QT_TR_NOOP("LAST SEEN"), QT_TR_NOOP("TYPE"),
                                               QT_TR_NOOP("REASON"),    QT_TR_NOOP("OBJECT"),
                                               QT_TR_NOOP("MESSAGE"),   QT_TR_NOOP("COUNT")};
    // Thousands of events in a burst: the tracker's changes come in batches (KeyedRowsModel).
    static constexpr bool kBatchedFeed = true;
    static constexpr RowChanges kRowChanges = RowChanges::WholeRow;
    static constexpr int kObjectRole = EventRole;
    static QString keyOf(const kube::EventInfo &event) { return event.key(); }
    QVariant rowData(const kube::EventInfo &e, int column, int role) const;
};

} // namespace rollscope
