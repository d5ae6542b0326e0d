// SPDX-License-Identifier: MIT
#pragma once

#include "rollout/rollouttypes.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QTimer>

#include <functional>
#include <optional>

namespace rollscope {

namespace rollout {
class RolloutTracker;
}

// What the tables of the Deployments list and the Rollout view share: ages shown relative to a
// clock that tests can fix, refreshed every few seconds with one dataChanged per ticking column
// (never a reset), and the connections to what feeds the rows (a tracker, an informer).
class RolloutTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    // Ages shown relative to this time (the clock; settable for tests).
    void setNow(const QDateTime &now);
    QDateTime now() const;

protected:
    RolloutTableModel(QList<int> tickingColumns, QObject *parent);
    // kubectl's AGE: "5m", "" for an invalid time.
    QString age(const QDateTime &since) const;
    // Forgets what fed the rows: drops the connections kept so far and runs the undo steps
    // (an informer's handler registration).
    void unbind();
    void keepConnection(QMetaObject::Connection connection);
    void keepUnbind(std::function<void()> undo);

private:
    QList<int> m_tickingColumns;
    QList<QMetaObject::Connection> m_connections;
    QList<std::function<void()>> m_unbinds;
    QDateTime m_fixedNow;
    QTimer m_ageTimer;
};

// Versions by id and by ReplicaSet name, for the models whose rows belong to a version.
class VersionLookup
{
public:
    void set(const QList<rollout::VersionInfo> &versions);
    // The version with this id, else the one of this ReplicaSet; nullptr when there is none.
    const rollout::VersionInfo *find(const QString &id, const QString &replicaSet = {}) const;
    // What find() found, as a value that outlives the next set().
    static std::optional<rollout::VersionInfo> copyOf(const rollout::VersionInfo *version)
    {
        return version ? std::optional<rollout::VersionInfo>(*version) : std::nullopt;
    }

private:
    QHash<QString, rollout::VersionInfo> m_byId;
    QHash<QString, QString> m_idByReplicaSet;
};

} // namespace rollscope
