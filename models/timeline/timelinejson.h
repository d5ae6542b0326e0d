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

#include <functional>

namespace rollscope::timeline {

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

    // Readers. `resolve` maps a key found in the file back to a version id.
    using ResolveFn = std::function<QString(const QString &key)>;
    static ChangeInfo changeFrom(const QJsonObject &o);
    static StrategyInfo strategyFrom(const QJsonObject &o);
    static ProbeInfo probeFrom(const QJsonObject &o);
    static rollout::VersionInfo versionFrom(const QJsonObject &o,
                                            std::optional<AnswerSpan> *answers);
    static TimelineSample sampleFrom(const QJsonObject &o, const ResolveFn &resolve);
    static TimelineEvent eventFrom(const QJsonObject &o, const ResolveFn &resolve);
    static qint64 msFromSeconds(const QJsonValue &value);
    static qint64 parseTimestamp(const QJsonValue &value); // 0 when absent or invalid
};

} // namespace rollscope::timeline
