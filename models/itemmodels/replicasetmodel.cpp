// SPDX-License-Identifier: MIT
#include "replicasetmodel.h"

#include "rollout/rollouttracker.h"

namespace rollscope {

using kube::ReplicaSetInfo;
using rollout::VersionInfo;

ReplicaSetModel::ReplicaSetModel(QObject *parent)
    : RolloutTableModel({Age}, parent)
{}

void ReplicaSetModel::unbind()
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = nullptr;
}

void ReplicaSetModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    m_tracker = tracker;
    beginResetModel();
    m_rows = tracker ? tracker->replicaSets() : QList<ReplicaSetInfo>();
    m_versions.set(tracker ? tracker->versions() : QList<VersionInfo>());
    endResetModel();
    if (!tracker)
        return;
    using T = rollout::RolloutTracker;
    m_connections << connect(tracker, &T::replicaSetAdded, this, &ReplicaSetModel::onAdded);
    m_connections << connect(tracker, &T::replicaSetUpdated, this, &ReplicaSetModel::onUpdated);
    m_connections << connect(tracker, &T::replicaSetRemoved, this, &ReplicaSetModel::onRemoved);
    m_connections << connect(tracker, &T::versionsChanged, this, &ReplicaSetModel::setVersions);
}

void ReplicaSetModel::setReplicaSets(const QList<ReplicaSetInfo> &replicaSets)
{
    unbind();
    beginResetModel();
    m_rows = replicaSets;
    endResetModel();
}

void ReplicaSetModel::setVersions(const QList<VersionInfo> &versions)
{
    QList<std::optional<VersionInfo>> before;
    before.reserve(m_rows.size());
    for (const ReplicaSetInfo &rs : std::as_const(m_rows)) {
        const VersionInfo *v = versionOf(rs);
        before.append(v ? std::optional<VersionInfo>(*v) : std::nullopt);
    }
    m_versions.set(versions);
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        const VersionInfo *v = versionOf(m_rows.at(row));
        const std::optional<VersionInfo> now = v ? std::optional<VersionInfo>(*v) : std::nullopt;
        if (now != before.at(row))
            emit dataChanged(
                index(int(row), 0), index(int(row), ColumnCount - 1),
                {VersionRole, VersionLabelRole, ColorIndexRole, IsNewRole, Qt::ToolTipRole});
    }
}

int ReplicaSetModel::rowOf(const QString &name) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return int(i);
    }
    return -1;
}

void ReplicaSetModel::onAdded(const ReplicaSetInfo &replicaSet)
{
    if (const int existing = rowOf(replicaSet.name); existing >= 0) {
        onUpdated(m_rows.at(existing), replicaSet);
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(replicaSet);
    endInsertRows();
}

void ReplicaSetModel::onUpdated(const ReplicaSetInfo &, const ReplicaSetInfo &after)
{
    const int row = rowOf(after.name);
    if (row < 0) {
        onAdded(after);
        return;
    }
    m_rows[row] = after;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ReplicaSetModel::onRemoved(const ReplicaSetInfo &replicaSet)
{
    const int row = rowOf(replicaSet.name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
}

const VersionInfo *ReplicaSetModel::versionOf(const ReplicaSetInfo &replicaSet) const
{
    return m_versions.find(replicaSet.podTemplateHash.isEmpty() ? replicaSet.name
                                                                : replicaSet.podTemplateHash,
                           replicaSet.name);
}

int ReplicaSetModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ReplicaSetModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReplicaSetModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReplicaSetInfo &rs = m_rows.at(index.row());
    const VersionInfo *version = versionOf(rs);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Revision:
            return rs.revision;
        case Image:
            return rs.imagesText();
        case Desired:
            return rs.desired;
        case Current:
            return rs.current;
        case Ready:
            return rs.ready;
        case Available:
            return rs.available;
        case Age:
            return age(rs.creationTimestamp);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Age:
            return -rs.creationTimestamp.toMSecsSinceEpoch(); // youngest first when ascending
        case Image:
            return rs.imagesText();
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (index.column() == Revision && !rs.revisionHistory.isEmpty())
            return tr("Also revision %1 before").arg(rs.revisionHistory);
        if (index.column() == Image)
            return version ? version->label : rs.imagesText();
        return rs.name;
    case Qt::TextAlignmentRole:
        if (index.column() != Image && index.column() != Age)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return rs.name;
    case VersionRole:
        return version ? version->id
                       : (rs.podTemplateHash.isEmpty() ? rs.name : rs.podTemplateHash);
    case VersionLabelRole:
        return version ? version->label : QString();
    case ColorIndexRole:
        return version ? version->colorIndex : -1;
    case IsNewRole:
        return version ? version->isNew : false;
    case ReplicaSetRole:
        return QVariant::fromValue(rs);
    }
    return {};
}

QVariant ReplicaSetModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Revision:
        return tr("REVISION");
    case Image:
        return tr("IMAGE");
    case Desired:
        return tr("DESIRED");
    case Current:
        return tr("CURRENT");
    case Ready:
        return tr("READY");
    case Available:
        return tr("AVAILABLE");
    case Age:
        return tr("AGE");
    }
    return {};
}

} // namespace rollscope
