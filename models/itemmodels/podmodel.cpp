// SPDX-License-Identifier: MIT
#include "podmodel.h"

#include "rollout/rollouttracker.h"

#include <algorithm>

namespace rollscope {

using kube::PodInfo;
using rollout::VersionInfo;

namespace {

// VERSION's sort key: the version's rank (new 0, then older versions from the most recent, then
// none), then the youngest pod first.
qint64 podVersionSortKey(const VersionInfo *version, const PodInfo &pod)
{
    constexpr qint64 kTimeSpan = qint64(1) << 43; // ms: beyond the year 2200
    qint64 rank = 4095;
    if (version)
        rank = version->isNew ? 0 : 1 + std::clamp(4000 - version->colorIndex, 0, 4000);
    const qint64 created =
        pod.creationTimestamp.isValid()
            ? std::clamp<qint64>(pod.creationTimestamp.toMSecsSinceEpoch(), 0, kTimeSpan - 1)
            : 0;
    return rank * kTimeSpan + (kTimeSpan - 1 - created);
}

} // namespace

PodModel::PodModel(QObject *parent)
    : RolloutTableModel({Restarts, Age}, parent)
{}

void PodModel::unbind()
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_tracker = nullptr;
}

void PodModel::setTracker(rollout::RolloutTracker *tracker)
{
    unbind();
    m_tracker = tracker;
    m_versions.set(tracker ? tracker->versions() : QList<VersionInfo>());
    replaceRows(tracker ? tracker->pods() : QList<PodInfo>());
    if (!tracker)
        return;
    using T = rollout::RolloutTracker;
    m_connections << connect(tracker, &T::podAdded, this, &PodModel::onAdded);
    m_connections << connect(tracker, &T::podUpdated, this, &PodModel::onUpdated);
    m_connections << connect(tracker, &T::podRemoved, this, &PodModel::onRemoved);
    m_connections << connect(tracker, &T::versionsChanged, this, &PodModel::setVersions);
}

void PodModel::setPods(const QList<PodInfo> &pods)
{
    unbind();
    replaceRows(pods);
}

void PodModel::replaceRows(const QList<PodInfo> &pods)
{
    beginResetModel();
    m_rows.clear();
    m_serials.clear();
    m_serialOf.clear();
    m_rows.reserve(pods.size());
    m_serials.reserve(pods.size());
    for (const PodInfo &pod : pods) {
        if (!m_serialOf.contains(pod.name)) // the same pod twice: the first one stays
            append(pod);
    }
    endResetModel();
}

void PodModel::append(const PodInfo &pod)
{
    m_serialOf.insert(pod.name, m_nextSerial);
    m_serials.append(m_nextSerial++);
    m_rows.append(pod);
}

QList<QVariant> PodModel::cellsOf(int row) const
{
    QList<QVariant> cells;
    cells.reserve(2 * ColumnCount + 4);
    for (int column = 0; column < ColumnCount; ++column) {
        const QModelIndex cell = index(row, column);
        cells << data(cell, Qt::DisplayRole) << data(cell, SortRole);
    }
    const QModelIndex first = index(row, 0);
    for (int role : {int(ColorIndexRole), int(IsNewRole), int(TerminatingRole), int(FailingRole)})
        cells << data(first, role);
    return cells;
}

void PodModel::setVersions(const QList<VersionInfo> &versions)
{
    QList<std::optional<VersionInfo>> before;
    before.reserve(m_rows.size());
    for (const PodInfo &pod : std::as_const(m_rows)) {
        const VersionInfo *v = versionOf(pod);
        before.append(v ? std::optional<VersionInfo>(*v) : std::nullopt);
    }
    m_versions.set(versions);
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        const VersionInfo *v = versionOf(m_rows.at(row));
        const std::optional<VersionInfo> now = v ? std::optional<VersionInfo>(*v) : std::nullopt;
        if (now != before.at(row))
            emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1),
                             {Qt::DisplayRole, SortRole, VersionRole, ColorIndexRole, IsNewRole});
    }
}

int PodModel::rowOf(const QString &name) const
{
    const auto serial = m_serialOf.constFind(name);
    if (serial == m_serialOf.cend())
        return -1;
    const auto it = std::lower_bound(m_serials.cbegin(), m_serials.cend(), serial.value());
    return it == m_serials.cend() || *it != serial.value() ? -1 : int(it - m_serials.cbegin());
}

void PodModel::onAdded(const PodInfo &pod)
{
    if (const int existing = rowOf(pod.name); existing >= 0) {
        onUpdated(m_rows.at(existing), pod);
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    append(pod);
    endInsertRows();
}

void PodModel::onUpdated(const PodInfo &, const PodInfo &after)
{
    const int row = rowOf(after.name);
    if (row < 0) {
        onAdded(after);
        return;
    }
    // Only the cells that changed: a pod's status changes all the time during a rollout, its
    // version and age do not, and a sorting proxy re-sorts when the sorted column is in the
    // range (with thousands of pods, once per watch event).
    const QList<QVariant> before = cellsOf(row);
    m_rows[row] = after;
    const QList<QVariant> now = cellsOf(row);
    int first = ColumnCount;
    int last = -1;
    for (int column = 0; column < ColumnCount; ++column) {
        if (before.at(2 * column) != now.at(2 * column) ||
            before.at(2 * column + 1) != now.at(2 * column + 1)) {
            first = std::min(first, column);
            last = column;
        }
    }
    if (before.mid(2 * ColumnCount) != now.mid(2 * ColumnCount)) {
        // Colour and font of the whole row (see the roles).
        emit dataChanged(
            index(row, 0), index(row, ColumnCount - 1),
            {ColorIndexRole, IsNewRole, TerminatingRole, FailingRole, FailureReasonRole, PodRole});
    }
    if (last >= 0)
        emit dataChanged(index(row, first), index(row, last));
    else
        emit dataChanged(index(row, 0), index(row, 0), {PodRole, Qt::ToolTipRole});
}

void PodModel::onRemoved(const PodInfo &pod)
{
    const int row = rowOf(pod.name);
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_serials.removeAt(row);
    m_serialOf.remove(pod.name);
    endRemoveRows();
}

const VersionInfo *PodModel::versionOf(const PodInfo &pod) const
{
    return m_versions.find(pod.podTemplateHash, pod.ownerName);
}

int PodModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PodModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PodModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const PodInfo &pod = m_rows.at(index.row());
    const VersionInfo *version = versionOf(pod);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return pod.name;
        case Version:
            return version ? version->label : pod.podTemplateHash;
        case ReplicaSet:
            return pod.ownerKind == u"ReplicaSet" ? pod.ownerName : QString();
        case Status:
            return pod.statusText;
        case Ready:
            return pod.readyText();
        case Restarts:
            // A restart a little ahead of this machine's clock reads "0s ago", not "<invalid>".
            return pod.restartsText(std::max(now(), pod.lastRestart));
        case Node:
            return pod.node.isEmpty() ? tr("<none>") : pod.node;
        case Age:
            return age(pod.creationTimestamp);
        }
        return {};
    case SortRole:
        switch (index.column()) {
        case Version:
            return podVersionSortKey(version, pod);
        case Ready:
            return pod.totalContainers > 0 ? double(pod.readyContainers) / pod.totalContainers
                                           : 0.0;
        case Restarts:
            return pod.restarts;
        case Age:
            return -pod.creationTimestamp.toMSecsSinceEpoch();
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (index.column() == Status) {
            if (const auto failure = rollout::podFailure(pod))
                return failure->message.isEmpty() ? failure->reason : failure->message;
            return pod.message;
        }
        if (index.column() == Version && version)
            return version->replicaSet;

        return {};
    case KeyRole:
        return pod.name;
    case VersionRole:
        return version ? version->id : pod.podTemplateHash;
    case ColorIndexRole:
        return version ? version->colorIndex : -1;
    case IsNewRole:
        return version ? version->isNew : false;
    case TerminatingRole:
        return pod.isTerminating();
    case FailingRole:
        return rollout::podFailure(pod).has_value();
    case FailureReasonRole: {
        const auto failure = rollout::podFailure(pod);
        return failure ? failure->reason : QString();
    }
    case PodRole:
        return QVariant::fromValue(pod);
    }
    return {};
}

QVariant PodModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("NAME");
    case Version:
        return tr("VERSION");
    case ReplicaSet:
        return tr("REPLICASET");
    case Status:
        return tr("STATUS");
    case Ready:
        return tr("READY");
    case Restarts:
        return tr("RESTARTS");
    case Node:
        return tr("NODE");
    case Age:
        return tr("AGE");
    }
    return {};
}

} // namespace rollscope
