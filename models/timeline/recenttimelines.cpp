// SPDX-License-Identifier: MIT
#include "timeline/recenttimelines.h"

#include "timeline/recorder.h"
#include "timeline/timelinejson.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPromise>
#include <QThreadPool>

#include <algorithm>
#include <memory>

namespace rollscope::timeline {

namespace {

constexpr qint64 kHeadBytes = 64 * 1024;
constexpr qint64 kTailBytes = 64 * 1024;

std::optional<QJsonObject> object(const QByteArray &line)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    return doc.isObject() ? std::optional(doc.object()) : std::nullopt;
}

} // namespace

std::optional<RecentTimeline> RecentTimelines::peek(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    RecentTimeline entry;
    entry.path = QFileInfo(path).absoluteFilePath();

    if (!path.endsWith(QLatin1StringView(".jsonl"))) {
        // Exports are single documents, small enough to read whole.
        if (file.size() > 16 * 1024 * 1024)
            return std::nullopt;
        const Result<Timeline> t = TimelineJson::parseExport(file.readAll());
        if (!t)
            return std::nullopt;
        entry.ns = t->ns;
        entry.name = t->name;
        entry.changeFrom = t->change.from;
        entry.changeTo = t->change.to;
        entry.startedAtMs = t->startedAtMs;
        entry.outcome = t->outcome;
        entry.verdictCode = t->summary.verdictCode;
        entry.verdict = t->summary.verdict;
        entry.interrupted = t->interrupted;
        return entry;
    }

    const QByteArray head = file.read(kHeadBytes);
    const qsizetype newline = head.indexOf('\n');
    if (newline < 0)
        return std::nullopt;
    const std::optional<QJsonObject> header = object(head.left(newline));
    if (!header ||
        header->value(QLatin1StringView("record")).toString() != QLatin1StringView("header") ||
        header->value(QLatin1StringView("format")).toString() != kLogFormatId)
        return std::nullopt;
    const QJsonObject dep = header->value(QLatin1StringView("deployment")).toObject();
    entry.ns = dep.value(QLatin1StringView("namespace")).toString();
    entry.name = dep.value(QLatin1StringView("name")).toString();
    const QJsonObject change = header->value(QLatin1StringView("change")).toObject();
    entry.changeFrom = change.value(QLatin1StringView("from")).toString();
    entry.changeTo = change.value(QLatin1StringView("to")).toString();
    entry.startedAtMs = TimelineJson::parseTimestamp(header->value(QLatin1StringView("startedAt")));

    // The end record is the last complete line, when the recording finished. Only the tail is
    // read: a long recording's file can be large, and only its end says how it ended.
    const qint64 size = file.size();
    const qint64 from = std::max<qint64>(0, size - kTailBytes);
    file.seek(from);
    QList<QByteArray> lines = file.read(kTailBytes).split('\n');
    // A first line cut by the seek is no record.
    if (from > 0 && !lines.isEmpty())
        lines.removeFirst();
    std::optional<QJsonObject> end;
    for (auto it = lines.crbegin(); it != lines.crend() && !end; ++it) {
        if (!it->contains("\"record\":\"end\""))
            continue;
        end = object(*it);
        if (end && end->value(QLatin1StringView("record")).toString() != QLatin1StringView("end"))
            end.reset();
    }
    if (!end) {
        entry.interrupted = true;
        entry.outcome = Outcome::Aborted;
        entry.verdictCode = VerdictCode::Aborted;
        entry.verdict = TimelineText::verdict(VerdictCode::Aborted, 0, QString(), true);
        return entry;
    }
    entry.outcome = outcomeFromId(end->value(QLatin1StringView("outcome")).toString())
                        .value_or(Outcome::Aborted);
    const QJsonObject summary = end->value(QLatin1StringView("summary")).toObject();
    entry.verdictCode =
        verdictCodeFromId(summary.value(QLatin1StringView("verdictCode")).toString())
            .value_or(VerdictCode::Aborted);
    QString reason = end->value(QLatin1StringView("outcomeReason")).toString();
    if (reason.isEmpty())
        reason = end->value(QLatin1StringView("outcomeMessage")).toString();
    // Worded again rather than read, so the list follows the language of the running app.
    entry.verdict = TimelineText::verdict(
        entry.verdictCode, qint64(summary.value(QLatin1StringView("failedRequests")).toDouble()),
        reason, false);
    return entry;
}

RecentTimeline RecentTimelines::entryFor(const QString &path, const Timeline &timeline)
{
    RecentTimeline entry;
    entry.path = QFileInfo(path).absoluteFilePath();
    entry.ns = timeline.ns;
    entry.name = timeline.name;
    entry.changeFrom = timeline.change.from;
    entry.changeTo = timeline.change.to;
    entry.startedAtMs = timeline.startedAtMs;
    entry.outcome = timeline.outcome;
    entry.verdictCode = timeline.summary.verdictCode;
    entry.verdict = timeline.summary.verdict;
    entry.interrupted = timeline.interrupted;
    return entry;
}

QList<RecentTimeline> RecentTimelines::merged(QList<RecentTimeline> entries,
                                              const RecentTimeline &entry, int limit)
{
    entries.removeIf([&entry](const RecentTimeline &e) { return e.path == entry.path; });
    const auto at = std::find_if(entries.begin(), entries.end(), [&entry](const RecentTimeline &e) {
        return e.startedAtMs < entry.startedAtMs;
    });
    entries.insert(at, entry);
    if (limit > 0 && entries.size() > limit)
        entries.resize(limit);
    return entries;
}

QString RecentTimeline::label() const
{
    const QString started =
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(startedAtMs), QLocale::ShortFormat);
    const QString changed = change();
    // The change tells a dozen recordings of the same deployment apart.
    if (changed.isEmpty())
        return RecentTimelines::tr("%1 — %2 — %3").arg(deployment(), started, verdict);
    return RecentTimelines::tr("%1: %2 — %3 — %4").arg(deployment(), changed, started, verdict);
}

QList<RecentTimeline> RecentTimelines::scan(const QString &directory, int limit)
{
    const QDir dir(directory.isEmpty() ? TimelineRecorder::autosaveDirectory() : directory);
    // File names start with the UTC start time, so name order is time order; the newest few
    // are peeked, not the whole folder.
    QStringList names = dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files, QDir::Name);
    std::reverse(names.begin(), names.end());
    QList<RecentTimeline> entries;
    for (const QString &name : std::as_const(names)) {
        if (limit > 0 && entries.size() >= limit)
            break;
        if (auto entry = peek(dir.filePath(name)))
            entries << *entry;
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const RecentTimeline &a, const RecentTimeline &b) {
                         return a.startedAtMs > b.startedAtMs;
                     });
    return entries;
}

RecentTimelinesModel::RecentTimelinesModel(QObject *parent)
    : QAbstractListModel(parent)
{}

int RecentTimelinesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

QVariant RecentTimelinesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RecentTimeline &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return e.label();
    case Qt::ToolTipRole:
    case PathRole:
        return e.path;
    case DeploymentRole:
        return e.deployment();
    case StartedAtRole:
        return QDateTime::fromMSecsSinceEpoch(e.startedAtMs, Qt::UTC);
    case VerdictRole:
        return e.verdict;
    case VerdictCodeRole:
        return verdictCodeId(e.verdictCode);
    case InterruptedRole:
        return e.interrupted;
    case ChangeToRole:
        return e.changeTo;
    case ChangeRole:
        return e.change();
    default:
        return {};
    }
}

QHash<int, QByteArray> RecentTimelinesModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(PathRole, "path");
    names.insert(DeploymentRole, "deployment");
    names.insert(StartedAtRole, "startedAt");
    names.insert(VerdictRole, "verdict");
    names.insert(VerdictCodeRole, "verdictCode");
    names.insert(InterruptedRole, "interrupted");
    names.insert(ChangeToRole, "changeTo");
    names.insert(ChangeRole, "change");
    return names;
}

void RecentTimelinesModel::setEntries(const QList<RecentTimeline> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

void RecentTimelinesModel::updateEntry(const RecentTimeline &entry)
{
    for (qsizetype row = 0; row < m_entries.size(); ++row) {
        if (m_entries.at(row).path != entry.path)
            continue;
        m_entries[row] = entry;
        emit dataChanged(index(int(row)), index(int(row)));
        return;
    }
    qsizetype row = 0;
    while (row < m_entries.size() && m_entries.at(row).startedAtMs >= entry.startedAtMs)
        ++row;
    beginInsertRows({}, int(row), int(row));
    m_entries.insert(row, entry);
    endInsertRows();
}

void RecentTimelinesModel::refresh(const QString &directory, int limit)
{
    const quint64 generation = ++m_generation;
    using Entries = QList<RecentTimeline>;
    auto promise = std::make_shared<QPromise<Entries>>();
    auto *watcher = new QFutureWatcher<Entries>(this);
    // The watcher belongs to the model: if the model goes first, so does the delivery.
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        if (generation == m_generation && watcher->future().resultCount() > 0)
            setEntries(watcher->result());
        watcher->deleteLater();
        if (generation == m_generation)
            emit refreshed();
    });
    watcher->setFuture(promise->future());
    promise->start();
    QThreadPool::globalInstance()->start([promise, directory, limit] {
        promise->addResult(RecentTimelines::scan(directory, limit));
        promise->finish();
    });
}

} // namespace rollscope::timeline
