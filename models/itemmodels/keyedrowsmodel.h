// SPDX-License-Identifier: MIT
#pragma once

#include "common/sharedvalue.h"
#include "itemmodels/rollouttablemodel.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QVariant>

#include <algorithm>
#include <array>
#include <compare>
#include <deque>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace rollscope {

// The order of rows kept in arrival order: a serial number that grows with each new row. A row
// keeps its serial when it changes, and removing one renumbers nothing.
struct ArrivalOrder
{
    quint64 serial = 0;
    auto operator<=>(const ArrivalOrder &) const = default;
};

// The order of rows shown newest first: the larger `value` (a time, a revision) on top, ties
// broken by the key, so that no two rows are equal in the order.
template<typename T>
struct NewestFirst
{
    T value{};
    QString key;

    friend bool operator<(const NewestFirst &a, const NewestFirst &b)
    {
        if (a.value != b.value)
            return a.value > b.value;
        return a.key < b.key;
    }
    friend bool operator==(const NewestFirst &, const NewestFirst &) = default;
};

// How a model tells that one row changed.
enum class RowChanges
{
    // One dataChanged over the whole row, all roles (tables of a few dozen rows).
    WholeRow,
    // Only the columns whose display, sort value or tooltip changed: a sorting proxy re-sorts when
    // its sort column is in the range, which with thousands of rows is what costs. The roles that
    // style the whole row (Derived::kRowRoles, read on column 0) get a signal over the row when
    // they change, and Derived::kObjectRole one on column 0 unless another signal covered it.
    ChangedColumns,
};

// A flat table of rows with a unique key each, for the models of the Deployments list and the
// Rollout view: it owns the rows and keeps them in the model's own order (Order): arrival order
// (ArrivalOrder, a proxy sorts), or sorted ascending by Derived::orderOf(). A key finds its row by
// a hash (key -> order) and a binary search (order -> row), never a scan: 5,000 pods, 45,000
// events. Rows are pointers in a deque: a new row at the bottom and the oldest going away cost no
// shifting of the others; elsewhere, the shorter side moves. Inserts, moves, removes and changes
// come with their signals, never a reset but in resetRows().
//
// A table a sorting proxy shows with thousands of rows keeps arrival order: a row that moves in
// the source makes QSortFilterProxyModel sort all of its rows again, where a row that changes in
// place costs it one row.
//
// A row is kept with share() (sharedvalue.h): the row an informer's cache holds is not copied.
// Rows are never changed in place; a changed row is a new value.
//
// Each model keeps its columns and what its cells show. Derived (a Q_OBJECT) provides, public:
//   enum roles KeyRole (what keyOf() returns) and SortRole (what a proxy sorts on: a column
//     whose rowData() has no value for it sorts by what it shows);
//   static constexpr const char *kHeaders[] = {QT_TR_NOOP("NAME"), ...}: one title a column;
//   static constexpr RowChanges kRowChanges; with ChangedColumns, a std::array<int, N> kRowRoles;
//   static constexpr int kObjectRole: the role that carries the Row itself;
//   static QString keyOf(const Row &);
//   static Order orderOf(const Row &), unless Order is ArrivalOrder;
//   QVariant rowData(const Row &row, int column, int role) const: a cell's value.
template<typename Derived, typename Row, typename Order = ArrivalOrder>
class KeyedRowsModel : public RolloutTableModel
{
public:
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

    int columnCount(const QModelIndex &parent = {}) const override
    {
        static_assert(std::size(Derived::kHeaders) == std::size_t(Derived::ColumnCount));
        return parent.isValid() ? 0 : int(std::size(Derived::kHeaders));
    }

    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
            section >= columnCount())
            return {};
        return Derived::tr(Derived::kHeaders[section]);
    }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const Row &row = rowAt(index.row());
        if (role == Derived::KeyRole)
            return Derived::keyOf(row);
        if (role == Derived::kObjectRole)
            return QVariant::fromValue(row);
        QVariant value = derived().rowData(row, index.column(), role);
        if (role == Derived::SortRole && !value.isValid())
            return derived().rowData(row, index.column(), Qt::DisplayRole);
        return value;
    }

    // The value a row holds (not a copy, as Derived::kObjectRole's QVariant is).
    Shared<Row> sharedRow(int row) const { return m_rows.at(std::size_t(row))->row; }

    // The row of `key`; -1 when there is none.
    int rowOf(const QString &key) const
    {
        const auto order = m_orderOf.constFind(key);
        return order == m_orderOf.cend() ? -1 : find(order.value());
    }

    // Replaces the rows without a feed (tests, a loaded timeline, read-only views): one reset.
    void setRows(const QList<Row> &rows)
    {
        unbind();
        resetRows(shareAll(rows));
    }

    // One change, as the feed reports it (public so that recorded sequences can be replayed).
    // Applied at once, after the changes a bound feed left pending.
    void onAdded(const Row &row)
    {
        applyPending();
        upsert(row);
    }
    void onUpdated(const Row &, const Row &after)
    {
        applyPending();
        upsert(after);
    }
    void onRemoved(const Row &row)
    {
        applyPending();
        removeKey(Derived::keyOf(row));
    }

    // With Derived::kBatchedFeed (the tables that hold thousands of rows: pods, events), the
    // changes a feed bound with bindRows() signals wait for the end of the event-loop pass
    // and come in as few model signals as they can: the rows that went away in one removal per
    // run of neighbouring rows, the new ones in one insertion per place in the order. A feed
    // reports a burst of watch events one by one, and a sorting proxy and a view each take time
    // in proportion to all the rows for every insertion: 25,000 events inserted one at a time
    // kept the GUI thread busy for seconds. Only the last change of a key counts; a key removed
    // and added again in one pass is removed, then added as new. Applied now by this call, by
    // onAdded() and the like, and by unbind() (which drops them).
    void applyPending()
    {
        if (m_pending.isEmpty())
            return;
        const QHash<QString, Pending> pending = std::exchange(m_pending, {});
        const std::vector<QString> keys = std::exchange(m_pendingKeys, {});
        // Gone, or to be added again as new: the rows they have now, from the bottom.
        std::vector<int> removed;
        for (const QString &key : keys) {
            const Pending &p = *pending.constFind(key);
            if (p.removeFirst || !p.value) {
                if (const int row = rowOf(key); row >= 0)
                    removed.push_back(row);
            }
        }
        std::sort(removed.begin(), removed.end(), std::greater<>());
        for (std::size_t i = 0; i < removed.size();) {
            std::size_t j = i + 1;
            while (j < removed.size() && removed[j] == removed[j - 1] - 1)
                ++j;
            removeRange(removed[j - 1], removed[i]);
            i = j;
        }
        // Changed in place (or moved), then the new ones in the order they came.
        std::vector<std::unique_ptr<Entry>> added;
        for (const QString &key : keys) {
            const Pending &p = *pending.constFind(key);
            if (!p.value)
                continue;
            if (rowOf(key) >= 0)
                upsert(p.value);
            else
                added.push_back(std::make_unique<Entry>(Entry{orderFor(*p.value), p.value}));
        }
        insertEntries(std::move(added));
    }

protected:
    using RolloutTableModel::RolloutTableModel;

    const Row &rowAt(int row) const { return *m_rows[std::size_t(row)]->row; }

    // Connects `signal` of what feeds the rows to `slot` (a member of Derived or a functor) until
    // the next unbind().
    template<typename Sender, typename Signal, typename Slot>
    void follow(const Sender *sender, Signal signal, Slot &&slot)
    {
        keepConnection(QObject::connect(sender, signal, static_cast<Derived *>(this),
                                        std::forward<Slot>(slot)));
    }

    // Binds to `feed` (may be null: no rows, as unbind()): its `rows` now in one reset (see
    // resetRows()), then each change it signals: at once to Derived's onAdded/onUpdated/
    // onRemoved, or in batches when Derived::kBatchedFeed is true (see applyPending()).
    template<typename Feed, typename Rows, typename Added, typename Updated, typename Removed>
    void bindRows(Feed *feed, Rows rows, Added added, Updated updated, Removed removed,
                  const std::function<void()> &inReset = {})
    {
        unbind();
        resetRows(feed ? shareAll(std::invoke(rows, *feed)) : QList<Shared<Row>>(), inReset);
        if (!feed)
            return;
        if constexpr (batchedFeed()) {
            follow(feed, added, [this](const Row &row) { queue(row, false); });
            follow(feed, updated, [this](const Row &, const Row &after) { queue(after, false); });
            follow(feed, removed, [this](const Row &row) { queue(row, true); });
            keepUnbind([this] { dropPending(); });
        } else {
            follow(feed, added, &Derived::onAdded);
            follow(feed, updated, &Derived::onUpdated);
            follow(feed, removed, &Derived::onRemoved);
        }
    }

    // Binds to a typed informer (kube::TypedInformer<Row>; may be null: no rows, as unbind()): its
    // items now in one reset, then each change its handlers report, to Derived's onAdded,
    // onUpdated and onRemoved, until the next unbind().
    template<typename Informer>
    void bindInformer(Informer *informer)
    {
        unbind();
        resetRows(informer ? informer->sharedItems() : QList<Shared<Row>>());
        if (!informer)
            return;
        auto *self = static_cast<Derived *>(this);
        const auto id = informer->addHandlers(
            self, {[self](const Row &row) { self->onAdded(row); },
                   [self](const Row &before, const Row &after) { self->onUpdated(before, after); },
                   [self](const Row &row) { self->onRemoved(row); }});
        keepUnbind([informer = QPointer<Informer>(informer), id] {
            if (informer)
                informer->removeHandlers(id);
        });
    }

    // Replaces every row with one reset. The same key twice: the first in the model's order stays.
    // `inReset` changes what else the rows are shown with, between the reset's two signals.
    void resetRows(const QList<Row> &rows, const std::function<void()> &inReset = {})
    {
        resetRows(shareAll(rows), inReset);
    }
    void resetRows(QList<Shared<Row>> rows, const std::function<void()> &inReset = {})
    {
        std::vector<std::unique_ptr<Entry>> entries;
        entries.reserve(std::size_t(rows.size()));
        for (Shared<Row> &row : rows) {
            Order order = orderFor(*row);
            entries.push_back(std::make_unique<Entry>(Entry{std::move(order), std::move(row)}));
        }
        if constexpr (!kArrival)
            std::stable_sort(entries.begin(), entries.end(), &Entry::before);
        std::deque<std::unique_ptr<Entry>> unique;
        QHash<QString, Order> orderOf;
        orderOf.reserve(qsizetype(entries.size()));
        for (std::unique_ptr<Entry> &entry : entries) {
            const QString key = Derived::keyOf(*entry->row);
            if (orderOf.contains(key))
                continue;
            shareKey(entry->order, key);
            orderOf.insert(key, entry->order);
            unique.push_back(std::move(entry));
        }
        beginResetModel();
        m_rows = std::move(unique);
        m_orderOf = std::move(orderOf);
        if (inReset)
            inReset();
        endResetModel();
    }

    // A new key comes in where the order puts it; a known one changes in place, or moves first
    // when its place in the order changed. Nothing happens when nothing changed.
    void upsert(const Row &value) { upsert(share(value)); }
    void upsert(const Shared<Row> &value)
    {
        const QString key = Derived::keyOf(*value);
        const int row = rowOf(key);
        if (row < 0) {
            insert(key, value);
            return;
        }
        if (rowAt(row) == *value)
            return;
        int to = row;
        if constexpr (!kArrival) {
            Order order = Derived::orderOf(*value);
            shareKey(order, key);
            if (order != m_rows[std::size_t(row)]->order) {
                // Where it goes among the others: the row itself counts when it is before.
                const int position = lowerBound(order);
                to = position > row ? position - 1 : position;
                if (to != row) {
                    // beginMoveRows counts the destination before the move.
                    beginMoveRows({}, row, row, {}, to > row ? to + 1 : to);
                    std::unique_ptr<Entry> taken = std::move(m_rows[std::size_t(row)]);
                    m_rows.erase(m_rows.begin() + row);
                    m_rows.insert(m_rows.begin() + to, std::move(taken));
                    endMoveRows();
                }
                m_rows[std::size_t(to)]->order = order;
                m_orderOf.insert(key, std::move(order));
            }
        }
        replace(to, value);
    }

    // Removes the row of `key`, if there is one.
    void removeKey(const QString &key)
    {
        if (const int row = rowOf(key); row >= 0)
            removeAt(row);
    }

    // The rows become `rows` without a reset: rows whose key is gone are removed (from the
    // bottom, so that the rows above keep their numbers), then each of `rows` is upsert().
    void assign(const QList<Row> &rows)
    {
        QSet<QString> kept;
        for (const Row &row : rows)
            kept.insert(Derived::keyOf(row));
        for (int row = rowCount() - 1; row >= 0; --row) {
            if (!kept.contains(Derived::keyOf(rowAt(row))))
                removeAt(row);
        }
        for (const Row &row : rows)
            upsert(row);
    }

    // Changes what the rows are shown with (`change`: versions, the last good revision), then
    // signals `roles` (empty: all) over each row whose `probe` of it reads differently.
    template<typename Probe, typename Change>
    void refreshRows(const Probe &probe, const Change &change, const QList<int> &roles)
    {
        std::vector<std::decay_t<std::invoke_result_t<const Probe &, const Row &>>> before;
        before.reserve(m_rows.size());
        for (const auto &entry : m_rows)
            before.push_back(probe(*entry->row));
        change();
        for (std::size_t row = 0; row < m_rows.size(); ++row) {
            if (probe(*m_rows[row]->row) != before[row])
                emitRowChanged(int(row), roles);
        }
    }

    // Edits the rows (`edit` returns whether it changed a row, and leaves its key and place in the
    // order as they are), signalling `roles` over each row it changed. An edited row is a copy.
    template<typename Edit>
    void editRows(const Edit &edit, const QList<int> &roles)
    {
        for (std::size_t row = 0; row < m_rows.size(); ++row) {
            Row edited = *m_rows[row]->row;
            if (edit(edited)) {
                m_rows[row]->row = makeShared(std::move(edited));
                emitRowChanged(int(row), roles);
            }
        }
    }

    void emitRowChanged(int row, const QList<int> &roles = {})
    {
        emit this->dataChanged(index(row, 0), index(row, columnCount() - 1), roles);
    }

private:
    static constexpr bool kArrival = std::is_same_v<Order, ArrivalOrder>;

    static constexpr bool batchedFeed()
    {
        if constexpr (requires { Derived::kBatchedFeed; })
            return Derived::kBatchedFeed;
        else
            return false;
    }

    struct Entry
    {
        Order order;
        Shared<Row> row;

        static bool before(const std::unique_ptr<Entry> &a, const std::unique_ptr<Entry> &b)
        {
            return a->order < b->order;
        }
    };

    const Derived &derived() const { return static_cast<const Derived &>(*this); }

    // A new row's place in the order: the next serial, or where its values put it.
    Order orderFor(const Row &row)
    {
        if constexpr (kArrival) {
            Q_UNUSED(row);
            return ArrivalOrder{m_nextSerial++};
        } else {
            return Derived::orderOf(row);
        }
    }

    // `order`'s copy of the key, when it carries one (NewestFirst), made the same string as
    // `key`: one allocation a row instead of two.
    static void shareKey(Order &order, const QString &key)
    {
        if constexpr (requires { order.key; }) {
            if (order.key == key)
                order.key = key;
        }
    }

    // The first row not before `order`.
    int lowerBound(const Order &order) const
    {
        const auto it = std::lower_bound(
            m_rows.cbegin(), m_rows.cend(), order,
            [](const std::unique_ptr<Entry> &entry, const Order &o) { return entry->order < o; });
        return int(it - m_rows.cbegin());
    }

    int find(const Order &order) const
    {
        const int row = lowerBound(order);
        return row < int(m_rows.size()) && m_rows[std::size_t(row)]->order == order ? row : -1;
    }

    struct Pending
    {
        bool removeFirst = false; // removed in this pass (and maybe added again)
        Shared<Row> value;        // what it is now; null: removed
    };

    template<typename List>
    static QList<Shared<Row>> shareAll(const List &rows)
    {
        if constexpr (std::is_same_v<List, QList<Shared<Row>>>) {
            return rows;
        } else {
            QList<Shared<Row>> shared;
            shared.reserve(rows.size());
            for (const Row &row : rows)
                shared.append(share(row));
            return shared;
        }
    }

    void queue(const Row &row, bool removal)
    {
        const QString key = Derived::keyOf(row);
        auto it = m_pending.find(key);
        if (it == m_pending.end()) {
            it = m_pending.insert(key, {});
            m_pendingKeys.push_back(key);
        }
        if (removal) {
            it->removeFirst = true;
            it->value.reset();
        } else {
            it->value = share(row);
        }
        if (!m_applyPosted) {
            m_applyPosted = true;
            QMetaObject::invokeMethod(
                this,
                [this] {
                    m_applyPosted = false;
                    applyPending();
                },
                Qt::QueuedConnection);
        }
    }

    void dropPending()
    {
        m_pending.clear();
        m_pendingKeys.clear();
    }

    // New rows (keys not in the model): sorted into the order, each run that lands between the
    // same two rows inserted with one signal.
    void insertEntries(std::vector<std::unique_ptr<Entry>> entries)
    {
        if constexpr (!kArrival)
            std::stable_sort(entries.begin(), entries.end(), &Entry::before);
        for (std::size_t i = 0; i < entries.size();) {
            const int at = kArrival ? int(m_rows.size()) : lowerBound(entries[i]->order);
            std::size_t j = i + 1;
            if constexpr (kArrival) {
                j = entries.size();
            } else {
                // The next row already there: the run ends at the first entry not before it.
                while (j < entries.size() && (at == int(m_rows.size()) ||
                                              entries[j]->order < m_rows[std::size_t(at)]->order))
                    ++j;
            }
            beginInsertRows({}, at, at + int(j - i) - 1);
            for (std::size_t k = i; k < j; ++k) {
                const QString key = Derived::keyOf(*entries[k]->row);
                shareKey(entries[k]->order, key);
                m_orderOf.insert(key, entries[k]->order);
            }
            // One range: the rows after `at` move once, not once for each new row.
            m_rows.insert(m_rows.begin() + at, std::make_move_iterator(entries.begin() + i),
                          std::make_move_iterator(entries.begin() + j));
            endInsertRows();
            i = j;
        }
    }

    // Rows first..last (inclusive), with one signal.
    void removeRange(int first, int last)
    {
        beginRemoveRows({}, first, last);
        for (int row = first; row <= last; ++row)
            m_orderOf.remove(Derived::keyOf(rowAt(row)));
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + last + 1);
        endRemoveRows();
    }

    void insert(const QString &key, const Shared<Row> &value)
    {
        Order order = orderFor(*value);
        shareKey(order, key);
        const int row = kArrival ? int(m_rows.size()) : lowerBound(order);
        beginInsertRows({}, row, row);
        m_rows.insert(m_rows.begin() + row, std::make_unique<Entry>(Entry{order, value}));
        m_orderOf.insert(key, std::move(order));
        endInsertRows();
    }

    void removeAt(int row)
    {
        beginRemoveRows({}, row, row);
        m_orderOf.remove(Derived::keyOf(rowAt(row)));
        m_rows.erase(m_rows.begin() + row);
        endRemoveRows();
    }

    void replace(int row, const Shared<Row> &value)
    {
        Shared<Row> &current = m_rows[std::size_t(row)]->row;
        if constexpr (Derived::kRowChanges == RowChanges::WholeRow) {
            current = value;
            emitRowChanged(row);
        } else {
            const int columns = columnCount();
            const QList<QVariant> before = cellsOf(row);
            current = value;
            const QList<QVariant> now = cellsOf(row);
            const auto changed = [&](qsizetype from, qsizetype count) {
                return !std::equal(before.cbegin() + from, before.cbegin() + from + count,
                                   now.cbegin() + from);
            };
            int first = columns;
            int last = -1;
            for (int column = 0; column < columns; ++column) {
                if (changed(kCellRoles * column, kCellRoles)) {
                    first = std::min(first, column);
                    last = column;
                }
            }
            const qsizetype rowRolesAt = qsizetype(kCellRoles) * columns;
            const bool restyled = changed(rowRolesAt, before.size() - rowRolesAt);
            if (restyled) {
                QList<int> roles(Derived::kRowRoles.cbegin(), Derived::kRowRoles.cend());
                roles << Derived::kObjectRole;
                emitRowChanged(row, roles);
            }
            if (last >= 0)
                emit this->dataChanged(index(row, first), index(row, last));
            if (!restyled && !(last >= 0 && first == 0))
                emit this->dataChanged(index(row, 0), index(row, 0), {Derived::kObjectRole});
        }
    }

    // What a change of one row may alter, for ChangedColumns: each column's display, sort value
    // and tooltip, then the roles that style the whole row.
    static constexpr int kCellRoles = 3;
    QList<QVariant> cellsOf(int row) const
    {
        const int columns = columnCount();
        QList<QVariant> cells;
        cells.reserve(kCellRoles * columns + qsizetype(Derived::kRowRoles.size()));
        for (int column = 0; column < columns; ++column) {
            const QModelIndex cell = index(row, column);
            cells << data(cell, Qt::DisplayRole) << data(cell, Derived::SortRole)
                  << data(cell, Qt::ToolTipRole);
        }
        const QModelIndex first = index(row, 0);
        for (int role : Derived::kRowRoles)
            cells << data(first, role);
        return cells;
    }

    std::deque<std::unique_ptr<Entry>> m_rows; // in the model's order
    QHash<QString, Order> m_orderOf;           // by key
    quint64 m_nextSerial = 0;
    QHash<QString, Pending> m_pending;  // a bound feed's changes, until applyPending()
    std::vector<QString> m_pendingKeys; // their keys, in the order they first came
    bool m_applyPosted = false;
};

} // namespace rollscope
