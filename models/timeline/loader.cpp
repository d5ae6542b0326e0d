// SPDX-License-Identifier: MIT
#include "timeline/loader.h"

#include "timeline/timelinejson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>

#include <algorithm>

namespace rollscope::timeline {

namespace {

std::optional<QJsonObject> parseLine(const QByteArray &line)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

// A recording that stopped without its end record has no answer spans: they are worked out
// from what it has, the FirstAnswer events (exact) and the samples (to the interval).
void deriveAnswers(Timeline &t)
{
    for (const rollout::VersionInfo &v : std::as_const(t.versions)) {
        if (t.answers.contains(v.id))
            continue;
        std::optional<AnswerSpan> span;
        for (const TimelineSample &s : std::as_const(t.samples)) {
            if (s.responses.value(v.id) <= 0)
                continue;
            const qint64 from = std::max<qint64>(0, s.tMs - t.sampleIntervalMs);
            if (!span)
                span = AnswerSpan{from, s.tMs};
            span->lastMs = s.tMs;
        }
        for (const TimelineEvent &e : std::as_const(t.events)) {
            if (e.type == QLatin1StringView("FirstAnswer") && e.versionId == v.id) {
                if (!span)
                    span = AnswerSpan{e.tMs, e.tMs};
                span->firstMs = e.tMs;
                span->lastMs = std::max(span->lastMs, e.tMs);
                break;
            }
        }
        if (span)
            t.answers.insert(v.id, *span);
    }
}

void upsertVersion(Timeline &t, const rollout::VersionInfo &v)
{
    const auto it = std::find_if(t.versions.begin(), t.versions.end(),
                                 [&v](const rollout::VersionInfo &o) { return o.id == v.id; });
    if (it == t.versions.end())
        t.versions << v;
    else
        *it = v;
}

} // namespace

Result<Timeline> TimelineLoader::load(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Kind::Generic,
                           tr("Cannot open the timeline: %1").arg(file.errorString()));
    if (file.size() > kMaxFileSize)
        return Error::make(Error::Kind::Generic,
                           tr("The file is too large to be a Rollscope timeline (%1 MiB).")
                               .arg(file.size() / (1024 * 1024)));
    return parse(file.readAll());
}

Result<Timeline> TimelineLoader::parse(const QByteArray &data)
{
    // A recording's first line is a complete object with "record": "header"; an export is one
    // indented document, so its first line is just "{".
    const qsizetype newline = data.indexOf('\n');
    const QByteArray first = (newline < 0 ? data : data.left(newline)).trimmed();
    if (first.startsWith('{') && first.contains("\"record\""))
        return parseRecording(data);
    return TimelineJson::parseExport(data);
}

Result<Timeline> TimelineLoader::parseRecording(const QByteArray &data)
{
    QList<QByteArray> lines = data.split('\n');
    bool interrupted = false;
    // The text after the last newline is a line the writer had not finished.
    const QByteArray tail = lines.takeLast();
    if (!tail.trimmed().isEmpty())
        interrupted = true;

    qsizetype i = 0;
    while (i < lines.size() && lines.at(i).trimmed().isEmpty())
        ++i;
    const std::optional<QJsonObject> header =
        i < lines.size() ? parseLine(lines.at(i)) : std::nullopt;
    if (!header ||
        header->value(QLatin1StringView("record")).toString() != QLatin1StringView("header"))
        return Error::make(Error::Kind::Protocol,
                           tr("Not a Rollscope recording: the first line is not its header."));
    const QString format = header->value(QLatin1StringView("format")).toString();
    if (format != kLogFormatId)
        return Error::make(Error::Kind::Protocol,
                           tr("This recording was written in format %1, which this version of "
                              "Rollscope cannot read (it reads %2).")
                               .arg(format, kLogFormatId));

    Timeline t;
    TimelineJson::Field top{QString(), &t.warnings};
    const QJsonObject dep = header->value(QLatin1StringView("deployment")).toObject();
    t.ns = dep.value(QLatin1StringView("namespace")).toString();
    t.name = dep.value(QLatin1StringView("name")).toString();
    t.context = header->value(QLatin1StringView("context")).toString();
    t.change = TimelineJson::changeFrom(header->value(QLatin1StringView("change")).toObject());
    t.startedAtMs = TimelineJson::parseTimestamp(header->value(QLatin1StringView("startedAt")));
    // Times are checked against the recording's length, which only the end record (the last
    // line) tells: look there first. A recording without one can be up to kMaxSpanMs long.
    for (qsizetype last = lines.size() - 1; last > i; --last) {
        if (lines.at(last).trimmed().isEmpty())
            continue;
        const std::optional<QJsonObject> end = parseLine(lines.at(last));
        if (end && end->value(QLatin1StringView("record")).toString() == QLatin1StringView("end")) {
            qint64 finished =
                TimelineJson::parseTimestamp(end->value(QLatin1StringView("finishedAt")));
            top.spanMs = TimelineJson::spanFrom(t.startedAtMs, &finished,
                                                top.at(tr("line %1:").arg(last + 1)));
        }
        break;
    }
    const TimelineJson::Field headerField = top.at(tr("line %1:").arg(i + 1));
    t.sampleIntervalMs = TimelineJson::sampleIntervalFrom(*header, t.sampleIntervalMs, headerField);
    t.strategy = TimelineJson::strategyFrom(header->value(QLatin1StringView("strategy")).toObject(),
                                            headerField.at(QStringLiteral("strategy")));
    t.probe = TimelineJson::probeFrom(header->value(QLatin1StringView("probe")).toObject(),
                                      headerField.at(QStringLiteral("probe")));

    // Records are keyed by version id.
    const TimelineJson::ResolveFn id = [](const QString &key) { return key; };
    bool ended = false;
    for (++i; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        if (line.trimmed().isEmpty())
            continue;
        const std::optional<QJsonObject> o = parseLine(line);
        if (!o) {
            // Damage in the middle (a disk problem, a hand edit): keep what can be read.
            interrupted = true;
            continue;
        }
        const QString record = o->value(QLatin1StringView("record")).toString();
        const TimelineJson::Field field = top.at(tr("line %1:").arg(i + 1));
        if (record == QLatin1StringView("sample")) {
            if (std::optional<TimelineSample> s = TimelineJson::sampleFrom(*o, id, field))
                t.samples << std::move(*s);
        } else if (record == QLatin1StringView("event")) {
            t.insertEvent(TimelineJson::eventFrom(*o, id, field));
        } else if (record == QLatin1StringView("version")) {
            upsertVersion(t, TimelineJson::versionFrom(*o, nullptr, field));
        } else if (record == QLatin1StringView("strategy")) {
            t.strategy = TimelineJson::strategyFrom(*o, field);
        } else if (record == QLatin1StringView("probe")) {
            t.probe = TimelineJson::probeFrom(*o, field);
        } else if (record == QLatin1StringView("end")) {
            ended = true;
            t.finishedAtMs =
                TimelineJson::parseTimestamp(o->value(QLatin1StringView("finishedAt")));
            // Checked once more, quietly: the look-ahead above already said what was wrong.
            TimelineJson::spanFrom(t.startedAtMs, &t.finishedAtMs, TimelineJson::Field());
            t.outcome = outcomeFromId(o->value(QLatin1StringView("outcome")).toString())
                            .value_or(Outcome::Aborted);
            t.outcomeReason = o->value(QLatin1StringView("outcomeReason")).toString();
            t.outcomeMessage = o->value(QLatin1StringView("outcomeMessage")).toString();
            const QJsonArray versions = o->value(QLatin1StringView("versions")).toArray();
            for (qsizetype k = 0; k < versions.size(); ++k) {
                std::optional<AnswerSpan> answers;
                const rollout::VersionInfo info =
                    TimelineJson::versionFrom(versions.at(k).toObject(), &answers,
                                              field.at(QStringLiteral("versions[%1]").arg(k)));
                upsertVersion(t, info);
                if (answers)
                    t.answers.insert(info.id, *answers);
            }
        }
        // Unknown records come from a newer minor version of the writer: skipped.
    }
    std::stable_sort(
        t.samples.begin(), t.samples.end(),
        [](const TimelineSample &a, const TimelineSample &b) { return a.tMs < b.tMs; });

    if (!ended || t.outcome == Outcome::Recording) {
        interrupted = true;
        t.outcome = Outcome::Aborted;
        t.finishedAtMs = 0;
        t.finishedAtMs = t.startedAtMs + t.durationMs();
    }
    t.interrupted = interrupted;
    deriveAnswers(t);
    t.summary = computeSummary(t);
    return t;
}

} // namespace rollscope::timeline
