// SPDX-License-Identifier: MIT
#include "rollouttablemodel.h"

#include "apimachinery/duration.h"

#include <algorithm>

namespace rollscope {

RolloutTableModel::RolloutTableModel(QList<int> tickingColumns, QObject *parent)
    : QAbstractTableModel(parent)
    , m_tickingColumns(std::move(tickingColumns))
{
    // Ages move on their own: refresh only those columns, one signal each.
    m_ageTimer.setInterval(5000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        const int rows = rowCount();
        if (rows == 0)
            return;
        for (int column : std::as_const(m_tickingColumns))
            emit dataChanged(index(0, column), index(rows - 1, column), {Qt::DisplayRole});
    });
    m_ageTimer.start();
}

void RolloutTableModel::setNow(const QDateTime &now)
{
    m_fixedNow = now;
}

QDateTime RolloutTableModel::now() const
{
    return m_fixedNow.isValid() ? m_fixedNow : QDateTime::currentDateTimeUtc();
}

QString RolloutTableModel::age(const QDateTime &since) const
{
    if (!since.isValid())
        return {};
    // A timestamp ahead of this machine's clock (a skewed cluster) is "0s", never "<invalid>".
    return apimachinery::humanDuration(std::max<qint64>(0, since.msecsTo(now())));
}

void RolloutTableModel::unbind()
{
    for (const QMetaObject::Connection &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    for (const std::function<void()> &undo : std::exchange(m_unbinds, {}))
        undo();
}

void RolloutTableModel::keepUnbind(std::function<void()> undo)
{
    m_unbinds << std::move(undo);
}

void RolloutTableModel::keepConnection(QMetaObject::Connection connection)
{
    m_connections << connection;
}

void VersionLookup::set(const QList<rollout::VersionInfo> &versions)
{
    m_byId.clear();
    m_idByReplicaSet.clear();
    for (const rollout::VersionInfo &v : versions) {
        m_byId.insert(v.id, v);
        if (!v.replicaSet.isEmpty())
            m_idByReplicaSet.insert(v.replicaSet, v.id);
    }
}

const rollout::VersionInfo *VersionLookup::find(const QString &id, const QString &replicaSet) const
{
    auto it = m_byId.constFind(id);
    if (it == m_byId.cend() && !replicaSet.isEmpty())
        it = m_byId.constFind(m_idByReplicaSet.value(replicaSet));
    return it == m_byId.cend() ? nullptr : &*it;
}

} // namespace rollscope
