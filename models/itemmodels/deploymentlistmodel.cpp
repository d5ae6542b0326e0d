#include "deploymentlistmodel.h"

#include "kube/informer.h"
#include "kube/printing.h"

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
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    m_informer = informer;
    beginResetModel();
    m_rows = informer ? informer->items() : QList<DeploymentInfo>();
    endResetModel();
    if (!informer)
        return;
    m_connections << connect(informer, &kube::DeploymentInformer::added, this,
                             &DeploymentListModel::onAdded);
    m_connections << connect(informer, &kube::DeploymentInformer::updated, this,
                             &DeploymentListModel::onUpdated);
    m_connections << connect(informer, &kube::DeploymentInformer::removed, this,
                             &DeploymentListModel::onRemoved);
}

void DeploymentListModel::setDeployments(const QList<DeploymentInfo> &deployments)
{
    setInformer(nullptr);
    beginResetModel();
    m_rows = deployments;
    endResetModel();
}

int DeploymentListModel::rowOfKey(const QString &key) const
{
    for (qsizetype i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).key() == key)
            return int(i);
    }
    return -1;
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
    endInsertRows();
}

void DeploymentListModel::onUpdated(const DeploymentInfo &, const DeploymentInfo &after)
{
    const int row = rowOfKey(after.key());
    if (row < 0) {
        onAdded(after);
        return;
    }
    m_rows[row] = after;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void DeploymentListModel::onRemoved(const DeploymentInfo &deployment)
{
    const int row = rowOfKey(deployment.key());
    if (row < 0)
        return;
    beginRemoveRows({}, row, row);
    m_rows.removeAt(row);
    endRemoveRows();
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

DeploymentListModel::RolloutStatus DeploymentListModel::rolloutStatus(const DeploymentInfo &d)
{
    if (d.paused)
        return RolloutStatus::Paused;
    if (const auto progressing = d.condition(QStringLiteral("Progressing"));
        progressing && progressing->reason == u"ProgressDeadlineExceeded")
        return RolloutStatus::Failed;
    const bool observed = d.observedGeneration >= d.generation;
    const bool complete = observed && d.status.updatedReplicas == d.replicas &&
                          d.status.replicas == d.replicas &&
                          d.status.availableReplicas == d.replicas;
    return complete ? RolloutStatus::Complete : RolloutStatus::Progressing;
}

QString DeploymentListModel::statusText(RolloutStatus status)
{
    switch (status) {
    case RolloutStatus::Complete:
        return tr("Complete");
    case RolloutStatus::Progressing:
        return tr("Progressing");
    case RolloutStatus::Paused:
        return tr("Paused");
    case RolloutStatus::Failed:
        return tr("Failed");
    }
    return {};
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
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const DeploymentInfo &d = m_rows.at(index.row());
    const RolloutStatus status = rolloutStatus(d);
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
            return statusText(status);
        case Age:
            return kube::humanDuration(d.creationTimestamp.msecsTo(now()));
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
            return int(status);
        default:
            return data(index, Qt::DisplayRole);
        }
    case Qt::ToolTipRole:
        if (index.column() == Status) {
            if (const auto c = d.condition(QStringLiteral("Progressing")))
                return c->message;
        }
        if (index.column() == Images)
            return d.imagesText();
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == UpToDate || index.column() == Available || index.column() == Ready)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case KeyRole:
        return d.key();
    case StatusRole:
        return int(status);
    case DeploymentRole:
        return QVariant::fromValue(d);
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
