// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/rollouttablemodel.h"
#include "kube/resources.h"

#include <QHash>
#include <QPointer>

#include <memory>
#include <vector>

namespace rollscope {

namespace rollout {
class RolloutTracker;
}

// Kubernetes Events of the Deployment, its ReplicaSets and pods: LAST SEEN, TYPE, REASON,
// OBJECT, MESSAGE, COUNT, newest first. The order is the model's own (an event seen again moves
// to the top with one row move), so a plain view shows the latest on top without a proxy. A
// sorting proxy shows them newest first when sorted by DefaultSortColumn/DefaultSortOrder
// (LAST SEEN sorts as the ages it shows: ascending is the youngest first).
class EventModel : public RolloutTableModel
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

    explicit EventModel(QObject *parent = nullptr);

    void setTracker(rollout::RolloutTracker *tracker);
    void setEvents(const QList<kube::EventInfo> &events);

    void onAdded(const kube::EventInfo &event);
    void onUpdated(const kube::EventInfo &before, const kube::EventInfo &after);
    void onRemoved(const kube::EventInfo &event);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    int rowOf(const QString &key) const;
    // True when `a` is shown above `b`: later lastSeen first, ties by key.
    static bool newerFirst(const kube::EventInfo &a, const kube::EventInfo &b);

private:
    // Where `event` belongs in m_rows (m_rows must not hold it).
    int positionFor(const kube::EventInfo &event) const;
    void unbind();
    void replaceRows(QList<kube::EventInfo> events);

    // Newest first (newerFirst()). A big rollout has tens of thousands of events: a row is a
    // pointer, so that an insertion moves 8 bytes per row after it, and a key finds its row by
    // binary search on the time it is sorted by (m_lastSeen), never by a scan.
    std::vector<std::unique_ptr<kube::EventInfo>> m_rows;
    QHash<QString, QDateTime> m_lastSeen; // by key, the lastSeen() its row is sorted by
    QPointer<rollout::RolloutTracker> m_tracker;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace rollscope
