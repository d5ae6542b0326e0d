// SPDX-License-Identifier: MIT
#include "deploymentlistmodel.h"

#include "kube/informer.h"
#include "kube/printing.h"
#include "rollout/statusrules.h"

#include <algorithm>

namespace rollscope {

using kube::DeploymentInfo;

DeploymentListModel::DeploymentListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    // Ages move on their own; refresh that column only, in one signal.
    m_ageTimer.setInterval(5000);
    connect(&m_ageTimer, &QTimer::timeout, this, [this] {
        if (!m_rows.isEmpty())
            emit dataChanged(index(0, Age), index(int(m_rows.size()) - 1, Age), {Qt::DisplayRole});
    });
    m_ageTimer.start();
}

void DeploymentListModel::setInformer(kube::DeploymentInformer *informer)
{
    if (m_informer)
        m_informer->removeHandlers(m_handlers);
    m_handlers = 0;
    m_informer = informer;
    replaceRows(informer ? informer->items() : QList<DeploymentInfo>());
    if (!informer)
        return;
    m_handlers = informer->addHandlers(
        this, {[this](const DeploymentInfo &d) { onAdded(d); },
               [this](const DeploymentInfo &before, const DeploymentInfo &after) {
                   onUpdated(before, after);
               },
               [this](const DeploymentInfo &d) { onRemoved(d); }});
}

void DeploymentListModel::setDeployments(const QList<DeploymentInfo> &deployments)
{
    setInformer(nullptr);
    replaceRows(deployments);
}

void DeploymentListModel::replaceRows(const QList<DeploymentInfo> &deployments)
{
    beginResetModel();
    m_rows.clear();
    m_rowOf.clear();
    m_rows.reserve(deployments.size());
    for (const DeploymentInfo &d : deployments) {
        const QString key = d.key();
        if (m_rowOf.contains(key))
            continue; // the same Deployment twice: the first one stays
        m_rowOf.insert(key, int(m_rows.size()));
        m_rows.append(d);
    }
    endResetModel();
}

void DeploymentListModel::reindexFrom(int row)
{
    for (qsizetype i = row; i < m_rows.size(); ++i)
        m_rowOf[m_rows.at(i).key()] = int(i);
}

int DeploymentListModel::rowOfKey(const QString &key) const
{
    return m_rowOf.value(key, -1);
}

QModelIndex DeploymentListModel::indexOfKey(const QString &key) const
{
    const int row = rowOfKey(key);
    return row < 0 ? QModelIndex() : index(row, 0);
}

std::optional<DeploymentInfo> DeploymentListModel::deployment(const QString &key) const
{
    const int row = rowOfKey(key);
    if (row < 0)
        return std::nullopt;
    return m_rows.at(row);
}

void DeploymentListModel::onAdded(const DeploymentInfo &deployment)
{
    const int existing = rowOfKey(deployment.key());
    if (existing >= 0) {
        m_rows[existing] = deployment;
        emit dataChanged(index(existing, 0), index(existing, ColumnCount - 1));
        return;
    }
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row);
    m_rows.append(deployment);
    m_rowOf.insert(deployment.key(), row);
    endInsertRows();
}

void DeploymentListModel::onUpdated(const DeploymentInfo &, const DeploymentInfo &after)
{
    const int row = rowOfKey(after.key());
    if (row < 0) {
        onAdded(after);
        return;
    }
    // Only the columns that changed: the sorting proxy re-sorts a thousand rows when the sorted
    // column (NAME by default) is in the range, and a rollout updates its Deployment often.
    const auto cells = [this, row] {
        QList<QVariant> values;
        for (int column = 0; column < ColumnCount; ++column) {
            const QModelIndex cell = index(row, column);
            values << data(cell, Qt::DisplayRole) << data(cell, SortRole)
                   << data(cell, Qt::ToolTipRole);
        }
        return values;
    };
    const QList<QVariant> before = cells();
    m_rows[row] = after;
    const QList<QVariant> now = cells();
    int first = ColumnCount;
    int last = -1;
    for (int column = 0; column < ColumnCount; ++column) {
        if (before.mid(3 * column, 3) != now.mid(3 * column, 3)) {
            first = std::min(first, column);
            last = column;
        }
    }
    if (last >= 0)
        emit dataChanged(index(row, first), index(row, last));
    // What the roles without a column carry (the Deployment itself) changed in any case.
    emit dataChanged(index(row, 0), index(row, 0), {DeploymentRole});
}

void DeploymentListModel::onRemoved(const DeploymentInfo &deployment)
{
    const int row = rowOfKey(deployment.key());
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    m_rowOf.remove(deployment.key());
    reindexFrom(row);
    endRemoveRows();
    if (deployment.key() == m_liveKey)
        clearLiveStatus();
}

int DeploymentListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeploymentListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

void DeploymentListModel::setNow(const QDateTime &now)
{
    m_fixedNow = now;
}

QDateTime DeploymentListModel::now() const
{
    return m_fixedNow.isValid() ? m_fixedNow : QDateTime::currentDateTimeUtc();
}

rollout::RolloutStatus DeploymentListModel::statusOf(const DeploymentInfo &d)
{
    // Without pods, the new version's available pods are at most the updated ones.
    return rollout::evaluateStatus(d, {},
                                   std::min(d.status.updatedReplicas, d.status.availableReplicas));
}

int DeploymentListModel::statusSortRank(rollout::RolloutState state)
{
    switch (state) {
    case rollout::RolloutState::Failed:
        return 0;
    case rollout::RolloutState::Progressing:
        return 1;
    case rollout::RolloutState::Paused:
        return 2;
    case rollout::RolloutState::Complete:
        return 3;
    case rollout::RolloutState::Unknown:
        break;
    }
    return 4;
}

void DeploymentListModel::setLiveStatus(const QString &ns, const QString &name,
                                        const rollout::RolloutStatus &status)
{
    if (name.isEmpty() || status.state == rollout::RolloutState::Unknown) {
        clearLiveStatus();
        return;
    }
    const QString key = QStringLiteral("%1/%2").arg(ns, name);
    if (key == m_liveKey && status == m_liveStatus)
        return;
    const QString previous = m_liveKey;
    m_liveKey = key;
    m_liveStatus = status;
    if (previous != key)
        emitStatusChanged(previous);
    emitStatusChanged(key);
}

void DeploymentListModel::clearLiveStatus()
{
    if (m_liveKey.isEmpty())
        return;
    const QString previous = m_liveKey;
    m_liveKey.clear();
    m_liveStatus = {};
    emitStatusChanged(previous);
}

void DeploymentListModel::emitStatusChanged(const QString &key)
{
    if (const int row = rowOfKey(key); row >= 0)
        emit dataChanged(index(row, Status), index(row, Status));
}

rollout::RolloutStatus DeploymentListModel::statusAt(int row) const
{
    const DeploymentInfo &d = m_rows.at(row);
    if (!m_liveKey.isEmpty() && d.key() == m_liveKey)
        return m_liveStatus;
    return statusOf(d);
}

QString DeploymentListModel::strategyText(const DeploymentInfo &d)
{
    if (d.strategy.type == u"Recreate")
        return tr("Recreate");
    return tr("Rolling %1/%2")
        .arg(d.strategy.maxSurge.toString(), d.strategy.maxUnavailable.toString());
}

QVariant DeploymentListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeploymentInfo &d = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return d.name;
        case Namespace:
            return d.ns;
        case Ready:
            return QStringLiteral("%1/%2").arg(d.status.readyReplicas).arg(d.replicas);
        case UpToDate:
            return d.status.updatedReplicas;
        case Available:
            return d.status.availableReplicas;
        case Images:
            return d.imagesText();
        case Strategy:
            return strategyText(d);
        case Status:
            return rollout::stateText(statusAt(index.row()).state);
        case Age:
            // A creation time a little ahead of this machine's clock (clock skew with the API
            // server) reads "0s", never kubectl's "<invalid>".
            if (!d.creationTimestamp.isValid())
                return QString();
            return kube::humanDuration(std::max<qint64>(0, d.creationTimestamp.msecsTo(now())));
        }
        break;
    case SortRole:
        switch (index.column()) {
        case Ready:
            return double(d.status.readyReplicas) / qMax(1, d.replicas);
        case UpToDate:
            return d.status.updatedReplicas;
        case Available:
            return d.status.availableReplicas;
        case Age:
            return -d.creationTimestamp.toMSecsSinceEpoch(); // youngest first when ascending
        case Status:
            return statusSortRank(statusAt(index.row()).state);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Name:
            return tr("%1 in %2").arg(d.name, d.ns);
        case Status:
            return statusAt(index.row()).message;
        case Images:
            return d.imagesText();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == UpToDate || index.column() == Available || index.column() == Ready)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return d.key();
    case StatusRole:
        return int(statusAt(index.row()).state);
    case DeploymentRole:
        return QVariant::fromValue(d);
    case RolloutStatusRole:
        return QVariant::fromValue(statusAt(index.row()));
    case LiveStatusRole:
        return !m_liveKey.isEmpty() && d.key() == m_liveKey;
    }
    return {};
}

QVariant DeploymentListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("NAME");
    case Namespace:
        return tr("NAMESPACE");
    case Ready:
        return tr("READY");
    case UpToDate:
        return tr("UP-TO-DATE");
    case Available:
        return tr("AVAILABLE");
    case Images:
        return tr("IMAGES");
    case Strategy:
        return tr("STRATEGY");
    case Status:
        return tr("STATUS");
    case Age:
        return tr("AGE");
    }
    return {};
}

DeploymentFilterProxy::DeploymentFilterProxy(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(DeploymentListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void DeploymentFilterProxy::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

bool DeploymentFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_text.isEmpty())
        return true;
    const QAbstractItemModel *model = sourceModel();
    for (int column : {DeploymentListModel::Name, DeploymentListModel::Namespace,
                       DeploymentListModel::Images, DeploymentListModel::Status}) {
        const QString value = model->index(sourceRow, column, sourceParent).data().toString();
        if (value.contains(m_text, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace rollscope
