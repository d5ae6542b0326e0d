// SPDX-License-Identifier: MIT
#pragma once

// File -> Recent timelines: the autosaved recordings, newest first. Scanning reads only each
// file's header line and the end of the file (where the end record with the verdict is), on a
// thread-pool thread; the model is filled with the values it returns.

#include "timeline/timeline.h"

#include <QAbstractListModel>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace rollscope::timeline {

struct RecentTimeline
{
    QString path;
    QString ns;
    QString name;
    QString changeFrom; // the image before, if known
    QString changeTo;   // the image rolled out, if known
    qint64 startedAtMs = 0;
    Outcome outcome = Outcome::Aborted;
    VerdictCode verdictCode = VerdictCode::Aborted;
    QString verdict;          // plain words
    bool interrupted = false; // no end record: Rollscope stopped while recording

    QString deployment() const { return ns + u'/' + name; }
    // "bebullish/demo:v1 → v2" (TimelineText::change()).
    QString change() const { return TimelineText::change(changeFrom, changeTo); }
    // The row of File > Recent timelines: deployment, change, start time (local) and verdict.
    QString label() const;
    bool operator==(const RecentTimeline &) const = default;
};

class RecentTimelines
{
    Q_DECLARE_TR_FUNCTIONS(RecentTimelines)

public:
    // Reads the header and the end record of one recording (.jsonl) or export (.json).
    static std::optional<RecentTimeline> peek(const QString &path);
    // The entry of a recording that just finished, from the recorder's own timeline: its
    // autosave may still be on its way to the disk when the list is refreshed.
    static RecentTimeline entryFor(const QString &path, const Timeline &timeline);
    // `entries` with `entry` in place of the one for the same file (or added), newest first,
    // at most `limit`.
    static QList<RecentTimeline> merged(QList<RecentTimeline> entries, const RecentTimeline &entry,
                                        int limit = 20);
    // The recordings in `directory` (default: TimelineRecorder::autosaveDirectory()), newest
    // first, at most `limit`. Files that are not timelines are skipped. Blocks on the disk:
    // call it off the GUI thread (RecentTimelinesModel::refresh() does).
    static QList<RecentTimeline> scan(const QString &directory = {}, int limit = 20);
};

class RecentTimelinesModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        PathRole = Qt::UserRole + 1,
        DeploymentRole,  // "namespace/name"
        StartedAtRole,   // QDateTime, UTC
        VerdictRole,     // plain words
        VerdictCodeRole, // verdictCodeId()
        InterruptedRole, // bool
        ChangeToRole,    // image
        ChangeRole,      // "bebullish/demo:v1 → v2"
    };

    explicit RecentTimelinesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const QList<RecentTimeline> &entries() const { return m_entries; }
    // Replaces the list (a reset: it is a new snapshot of the folder).
    void setEntries(const QList<RecentTimeline> &entries);
    // A recording finished: its row shows the verdict now, without a rescan of the folder.
    void updateEntry(const RecentTimeline &entry);
    // Scans `directory` on the thread pool; refreshed() follows when the model holds the result.
    void refresh(const QString &directory = {}, int limit = 20);

signals:
    void refreshed();

private:
    QList<RecentTimeline> m_entries;
    quint64 m_generation = 0; // a newer refresh() wins over an older one still running
};

} // namespace rollscope::timeline

Q_DECLARE_METATYPE(rollscope::timeline::RecentTimeline)
