// SPDX-License-Identifier: MIT
#pragma once

// The two on-disk forms of a timeline (README "Timeline format"):
// - the export, one JSON document ("format": "rollscope-timeline/1"), versions keyed by label;
// - the autosave, JSON Lines ("rollscope-timeline-log/1"): a header record, then version,
//   strategy, probe, sample and event records as they happen, and an end record. Versions are
//   keyed by id there, since a label can still change while recording.
// Both are written with JsonText (stable key order and number formatting) and read with
// QJsonDocument.

#include "common/result.h"
#include "timeline/jsontext.h"
#include "timeline/timeline.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

#include <functional>

namespace rollscope::timeline {

// Where a reader is in a file, so that a warning names the field ("samples[12].t: ..."), and
// where warnings go (nowhere when null). Every number read is checked against its range
// (timeline.h) and clamped into it with a warning: a corrupt or hostile file loads as far as it
// makes sense and never feeds overflowing values to the arithmetic.
struct TimelineField
{
    QString path; // "samples[12]", "line 14:", "" at the top
    QStringList *warnings = nullptr;
    qint64 spanMs = kMaxSpanMs; // the recording's length: later times are out of range

    TimelineField at(const QString &member) const;
    QString name(const QString &member) const;
    void warn(const QString &member, const QString &text) const;

    // At most this many warnings are kept; one more says that there were others.
    static constexpr qsizetype kMaxWarnings = 50;
};

class TimelineJson
{
    Q_DECLARE_TR_FUNCTIONS(TimelineJson)

public:
    // Maps a version id to the key written in the file.
    using KeyFn = std::function<QString(const QString &versionId)>;

    // The full export document.
    static QByteArray exportDocument(const Timeline &timeline);
    // Reads an export document back (the versions' ids come from its "versions").
    static Result<Timeline> parseExport(const QByteArray &data);

    // Pieces, shared by the export and the autosave records.
    static JsonText deployment(const Timeline &timeline);
    static JsonText change(const ChangeInfo &change);
    static JsonText strategy(const StrategyInfo &strategy);
    static JsonText probe(const ProbeInfo &probe);
    static JsonText version(const rollout::VersionInfo &version,
                            const std::optional<AnswerSpan> &answers);
    static JsonText sample(const TimelineSample &sample, const KeyFn &key);
    static JsonText event(const TimelineEvent &event, const KeyFn &key);
    static JsonText summary(const Summary &summary, const KeyFn &key);
    static QString timestamp(qint64 msSinceEpoch);

    // Autosave records, one line each (no trailing newline).
    static QByteArray headerRecord(const Timeline &timeline);
    static QByteArray versionRecord(const rollout::VersionInfo &version,
                                    const std::optional<AnswerSpan> &answers);
    static QByteArray strategyRecord(const StrategyInfo &strategy);
    static QByteArray probeRecord(const ProbeInfo &probe);
    static QByteArray sampleRecord(const TimelineSample &sample);
    static QByteArray eventRecord(const TimelineEvent &event);
    static QByteArray endRecord(const Timeline &timeline);

    using Field = TimelineField;

    // Readers. `resolve` maps a key found in the file back to a version id.
    using ResolveFn = std::function<QString(const QString &key)>;
    static ChangeInfo changeFrom(const QJsonObject &o);
    static StrategyInfo strategyFrom(const QJsonObject &o, const Field &field = {});
    static ProbeInfo probeFrom(const QJsonObject &o, const Field &field = {});
    static rollout::VersionInfo
    versionFrom(const QJsonObject &o, std::optional<AnswerSpan> *answers, const Field &field = {});
    // Nothing when the sample's t lies outside [0, field.spanMs]: such a sample is left out.
    static std::optional<TimelineSample> sampleFrom(const QJsonObject &o, const ResolveFn &resolve,
                                                    const Field &field = {});
    static TimelineEvent eventFrom(const QJsonObject &o, const ResolveFn &resolve,
                                   const Field &field = {});
    // The sample interval of a header or an export, checked; `fallback` when absent.
    static qint32 sampleIntervalFrom(const QJsonObject &o, qint32 fallback,
                                     const Field &field = {});
    // Seconds to milliseconds, held to +-kMaxSpanMs (no check message: see Field).
    static qint64 msFromSeconds(const QJsonValue &value);
    static qint64 parseTimestamp(const QJsonValue &value); // 0 when absent or invalid
    // The span later times are checked against: finishedAt - startedAt when both are known and
    // make sense (else kMaxSpanMs, with a warning when they do not). Clears `finishedAtMs`
    // when it cannot be right.
    static qint64 spanFrom(qint64 startedAtMs, qint64 *finishedAtMs, const Field &field);
};

} // namespace rollscope::timeline
