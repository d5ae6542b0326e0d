// SPDX-License-Identifier: MIT
#include "deploymentlistmodel.h"

#include "kube/informer.h"
#include "rollout/statusrules.h"

#include <algorithm>

namespace rollscope {

using kube::DeploymentInfo;

void DeploymentListModel::setInformer(kube::DeploymentInformer *informer)
{
    bindInformer(informer);
}

QModelIndex DeploymentListModel::indexOfKey(const QString &key) const
{
    const int row = rowOf(key);
    return row < 0 ? QModelIndex() : index(row, 0);
}

std::optional<DeploymentInfo> DeploymentListModel::deployment(const QString &key) const
{
    const int row = rowOf(key);
    if (row < 0)
        return std::nullopt;
    return rowAt(row);
}

void DeploymentListModel::onRemoved(const DeploymentInfo &deployment)
{
    removeKey(deployment.key());
    if (deployment.key() == m_liveKey)
        clearLiveStatus();
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
    if (const int row = rowOf(key); row >= 0)
        emit dataChanged(index(row, Status), index(row, Status));
}

rollout::RolloutStatus DeploymentListModel::statusAt(int row) const
{
    return statusFor(rowAt(row));
}

rollout::RolloutStatus DeploymentListModel::statusFor(const DeploymentInfo &d) const
{
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

QVariant DeploymentListModel::rowData(const DeploymentInfo &d, int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
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
            return rollout::stateText(statusFor(d).state);
        case Age:
            return age(d.creationTimestamp);
        }
        return {};
    case SortRole:
        switch (column) {
        case Ready:
            return double(d.status.readyReplicas) / qMax(1, d.replicas);
        case UpToDate:
            return d.status.updatedReplicas;
        case Available:
            return d.status.availableReplicas;
        case Age:
            return -d.creationTimestamp.toMSecsSinceEpoch(); // youngest first when ascending
        case Status:
            return statusSortRank(statusFor(d).state);
        }
        return {}; // the others sort by what they show
    case Qt::ToolTipRole:
        switch (column) {
        case Name:
            return tr("%1 in %2").arg(d.name, d.ns);
        case Status:
            return statusFor(d).message;
        case Images:
            return d.imagesText();
        }
        return {};
    case Qt::TextAlignmentRole:
        if (column == UpToDate || column == Available || column == Ready)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case StatusRole:
        return int(statusFor(d).state);
    case RolloutStatusRole:
        return QVariant::fromValue(statusFor(d));
    case LiveStatusRole:
        return !m_liveKey.isEmpty() && d.key() == m_liveKey;
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
