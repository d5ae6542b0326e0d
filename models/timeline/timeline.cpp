// SPDX-License-Identifier: MIT
#include "timeline/timeline.h"

#include "common/idtable.h"
#include "common/saturating.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace rollscope::timeline {

using Severity = rollout::RolloutEvent::Severity;

namespace {

using namespace Qt::StringLiterals;

constexpr IdTable<Outcome, 5> kOutcomeIds{{{Outcome::Recording, "recording"_L1},
                                           {Outcome::Complete, "complete"_L1},
                                           {Outcome::Failed, "failed"_L1},
                                           {Outcome::Timeout, "timeout"_L1},
                                           {Outcome::Aborted, "aborted"_L1}}};

constexpr IdTable<VerdictCode, 6> kVerdictCodeIds{
    {{VerdictCode::Recording, "recording"_L1},
     {VerdictCode::Success, "success"_L1},
     {VerdictCode::FailedRequests, "failedRequests"_L1},
     {VerdictCode::Failed, "failed"_L1},
     {VerdictCode::TimedOut, "timeout"_L1},
     {VerdictCode::Aborted, "aborted"_L1}}};

constexpr IdTable<Severity, 3> kSeverityIds{{{Severity::Info, "info"_L1},
                                             {Severity::Warning, "warning"_L1},
                                             {Severity::Error, "error"_L1}}};

} // namespace

QString outcomeId(Outcome outcome)
{
    return idOf(kOutcomeIds, outcome, "aborted"_L1);
}

std::optional<Outcome> outcomeFromId(const QString &id)
{
    return fromId(kOutcomeIds, id);
}

QString verdictCodeId(VerdictCode code)
{
    return idOf(kVerdictCodeIds, code, "aborted"_L1);
}

std::optional<VerdictCode> verdictCodeFromId(const QString &id)
{
    return fromId(kVerdictCodeIds, id);
}

int exitCodeFor(VerdictCode code)
{
    switch (code) {
    case VerdictCode::Success:
        return 0;
    case VerdictCode::FailedRequests:
        return 2;
    default:
        return 1;
    }
}

QString severityId(Severity severity)
{
    return idOf(kSeverityIds, severity, "info"_L1);
}

Severity severityFromId(const QString &id)
{
    return fromId(kSeverityIds, id).value_or(Severity::Info);
}

int TimelineSample::failed() const
{
    qint64 n = 0;
    for (int f : failures)
        n += f;
    return clampToInt(n);
}

int TimelineSample::answered() const
{
    qint64 n = 0; // no overflow: that would take 2^32 versions
    for (int r : responses)
        n += r;
    return clampToInt(n);
}

QString Timeline::versionLabel(const QString &versionId) const
{
    const rollout::VersionInfo *v = version(versionId);
    return v && !v->label.isEmpty() ? v->label : versionId;
}

const rollout::VersionInfo *Timeline::version(const QString &versionId) const
{
    for (const rollout::VersionInfo &v : versions) {
        if (v.id == versionId)
            return &v;
    }
    return nullptr;
}

QStringList Timeline::newVersionIds() const
{
    QStringList ids;
    for (const rollout::VersionInfo &v : versions) {
        if (v.isNew)
            ids << v.id;
    }
    return ids;
}

QStringList Timeline::oldVersionIds() const
{
    QStringList ids;
    for (const rollout::VersionInfo &v : versions) {
        if (!v.isNew)
            ids << v.id;
    }
    return ids;
}

QStringList Timeline::versionOrder() const
{
    QStringList ids;
    for (const rollout::VersionInfo &v : versions)
        ids << v.id;
    QStringList extra;
    const auto note = [&](const QString &id) {
        if (!ids.contains(id) && !extra.contains(id))
            extra << id;
    };
    for (const TimelineSample &s : samples) {
        for (auto it = s.pods.cbegin(); it != s.pods.cend(); ++it)
            note(it.key());
        for (auto it = s.responses.cbegin(); it != s.responses.cend(); ++it)
            note(it.key());
    }
    // Unattributed answers go last: they are not a version of the Deployment.
    const QString unknown = QLatin1StringView(probe::kUnknownVersion);
    std::stable_partition(extra.begin(), extra.end(),
                          [&unknown](const QString &id) { return id != unknown; });
    return ids + extra;
}

qint64 Timeline::durationMs() const
{
    if (finishedAtMs > 0)
        return std::max<qint64>(0, saturatingSub(finishedAtMs, startedAtMs));
    qint64 last = 0;
    if (!samples.isEmpty())
        last = samples.last().tMs;
    for (const TimelineEvent &e : events)
        last = std::max(last, saturatingAdd(e.tMs, e.durationMs));
    return last;
}

void Timeline::insertEvent(const TimelineEvent &event)
{
    const auto at =
        std::upper_bound(events.begin(), events.end(), event.tMs,
                         [](qint64 t, const TimelineEvent &existing) { return t < existing.tMs; });
    events.insert(at, event);
}

Timeline Timeline::redacted(const QStringList &secrets) const
{
    QStringList needles;
    for (const QString &s : secrets) {
        // Very short values would mangle ordinary words; no credential is that short.
        if (s.trimmed().size() >= 4)
            needles << s;
    }
    // Longest first, so a secret that contains another is replaced whole.
    std::sort(needles.begin(), needles.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    if (needles.isEmpty())
        return *this;
    const QString mask = QStringLiteral("[redacted]");
    const auto scrub = [&needles, &mask](QString &text) {
        for (const QString &n : std::as_const(needles))
            text.replace(n, mask);
    };

    Timeline t = *this;
    scrub(t.ns);
    scrub(t.name);
    scrub(t.context);
    scrub(t.change.container);
    scrub(t.change.from);
    scrub(t.change.to);
    scrub(t.change.cause);
    scrub(t.change.requestedBy);
    scrub(t.outcomeReason);
    scrub(t.outcomeMessage);
    scrub(t.probe.target);
    for (rollout::VersionInfo &v : t.versions) {
        scrub(v.label);
        scrub(v.image);
    }
    for (TimelineEvent &e : t.events) {
        scrub(e.message);
        scrub(e.object);
        if (e.request) {
            scrub(e.request->requestedBy);
            scrub(e.request->from);
            scrub(e.request->to);
            scrub(e.request->result);
        }
    }
    for (QString &w : t.warnings)
        scrub(w);
    scrub(t.summary.verdict);
    return t;
}

namespace {

// Span covering the answers of `ids`, if any answered.
std::optional<AnswerSpan> spanOf(const Timeline &timeline, const QStringList &ids)
{
    std::optional<AnswerSpan> span;
    for (const QString &id : ids) {
        const auto it = timeline.answers.constFind(id);
        if (it == timeline.answers.cend())
            continue;
        if (!span) {
            span = *it;
        } else {
            span->firstMs = std::min(span->firstMs, it->firstMs);
            span->lastMs = std::max(span->lastMs, it->lastMs);
        }
    }
    return span;
}

} // namespace

Summary computeSummary(const Timeline &timeline)
{
    Summary s;
    s.durationMs = timeline.durationMs();
    const QStringList newIds = timeline.newVersionIds();
    const QStringList oldIds = timeline.oldVersionIds();

    // The first ready new pod: the PodReady event is exact; the samples catch it when the
    // tracker reported no such event (a watch that started late).
    std::optional<qint64> firstReady;
    for (const TimelineEvent &e : timeline.events) {
        if (e.type == QLatin1StringView("PodReady") && newIds.contains(e.versionId)) {
            firstReady = e.tMs;
            break;
        }
    }
    for (const TimelineSample &sample : timeline.samples) {
        bool ready = false;
        for (const QString &id : newIds)
            ready = ready || sample.pods.value(id).ready > 0;
        if (ready) {
            firstReady = firstReady ? std::min(*firstReady, sample.tMs) : sample.tMs;
            break;
        }
    }
    if (firstReady)
        s.firstNewReadyMs = std::max<qint64>(0, *firstReady);

    const std::optional<AnswerSpan> newSpan = spanOf(timeline, newIds);
    const std::optional<AnswerSpan> oldSpan = spanOf(timeline, oldIds);
    if (newSpan && oldSpan) {
        const qint64 from = std::max(newSpan->firstMs, oldSpan->firstMs);
        const qint64 to = std::min(newSpan->lastMs, oldSpan->lastMs);
        s.mixedAnsweringMs = std::max<qint64>(0, saturatingSub(to, from));
    }

    for (const TimelineSample &sample : timeline.samples) {
        s.mixedReadyMs = saturatingAdd(s.mixedReadyMs, sample.mixedReadyMs);
        if (sample.peakPods >= 0)
            s.maxPods = std::max(s.maxPods, sample.peakPods);
        if (sample.lowAvailable >= 0)
            s.minAvailable = s.minAvailable < 0 ? sample.lowAvailable
                                                : std::min(s.minAvailable, sample.lowAvailable);
        for (auto it = sample.responses.cbegin(); it != sample.responses.cend(); ++it) {
            qint64 &total = s.responsesByVersion[it.key()];
            total = saturatingAdd(total, it.value());
            s.requests = saturatingAdd(s.requests, it.value());
        }
        for (int c = 0; c < probe::kFailureClassCount; ++c) {
            const int n = sample.failures[size_t(c)];
            s.failedByClass[size_t(c)] = saturatingAdd(s.failedByClass[size_t(c)], n);
            s.failedRequests = saturatingAdd(s.failedRequests, n);
            s.requests = saturatingAdd(s.requests, n);
        }
    }

    // The guarantees: the strategy's, else the last ones a sample carried.
    s.maxPodsAllowed = timeline.strategy.maxTotal;
    s.minAvailableRequired = timeline.strategy.minAvailable;
    if (s.maxPodsAllowed <= 0 || timeline.strategy.replicas <= 0) {
        for (auto it = timeline.samples.crbegin(); it != timeline.samples.crend(); ++it) {
            if (it->maxTotal > 0) {
                s.maxPodsAllowed = it->maxTotal;
                s.minAvailableRequired = it->minAvailable;
                break;
            }
        }
    }

    for (const TimelineEvent &e : timeline.events) {
        if (e.type == QLatin1StringView("FailureBurst"))
            ++s.failureBursts;
    }

    switch (timeline.outcome) {
    case Outcome::Recording:
        s.verdictCode = VerdictCode::Recording;
        break;
    case Outcome::Complete:
        s.verdictCode = s.failedRequests > 0 ? VerdictCode::FailedRequests : VerdictCode::Success;
        break;
    case Outcome::Failed:
        s.verdictCode = VerdictCode::Failed;
        break;
    case Outcome::Timeout:
        s.verdictCode = VerdictCode::TimedOut;
        break;
    case Outcome::Aborted:
        s.verdictCode = VerdictCode::Aborted;
        break;
    }
    const QString reason =
        timeline.outcomeReason.isEmpty() ? timeline.outcomeMessage : timeline.outcomeReason;
    s.verdict =
        TimelineText::verdict(s.verdictCode, s.failedRequests, reason, timeline.interrupted);
    return s;
}

double TrafficInterval::requestRate() const
{
    double answered = 0;
    for (qint64 n : responses)
        answered += double(n);
    return (answered + double(failed)) / seconds();
}

QList<TrafficInterval> trafficIntervals(const Timeline &timeline)
{
    QList<TrafficInterval> out;
    const qint64 nominal = std::max<qint32>(timeline.sampleIntervalMs, 1);
    for (qsizetype i = 1; i < timeline.samples.size(); ++i) {
        const TimelineSample &s = timeline.samples.at(i);
        const qint64 start = timeline.samples.at(i - 1).tMs;
        const qint64 end = std::max(s.tMs, start);
        // Short stretches join their neighbour until it spans a whole interval: a rate over a
        // few milliseconds is one answer's timing, not the traffic.
        const bool merge = !out.isEmpty() && (end - start < nominal ||
                                              out.last().endMs - out.last().startMs < nominal);
        if (!merge)
            out.append(TrafficInterval{start, end, {}, 0});
        TrafficInterval &t = out.last();
        t.endMs = end;
        for (auto it = s.responses.cbegin(); it != s.responses.cend(); ++it)
            t.responses[it.key()] += it.value();
        t.failed += s.failed();
    }
    return out;
}

QString TimelineText::verdict(VerdictCode code, qint64 failedRequests, const QString &reason,
                              bool interrupted)
{
    switch (code) {
    case VerdictCode::Recording:
        return tr("recording");
    case VerdictCode::Success:
        return tr("complete without failures");
    case VerdictCode::FailedRequests:
        // Spelled out rather than %n: without an English translation loaded, %n keeps "(s)".
        return failedRequests == 1 ? tr("complete with 1 failed request")
                                   : tr("complete with %1 failed requests").arg(failedRequests);
    case VerdictCode::Failed:
        return reason.isEmpty() ? tr("failed") : tr("failed: %1").arg(reason);
    case VerdictCode::TimedOut:
        return tr("timed out");
    case VerdictCode::Aborted:
        return interrupted ? tr("interrupted: the recording stopped before the rollout finished")
                           : tr("aborted");
    }
    return {};
}

QString formatDecimal(double value, int decimals)
{
    QString text = QString::number(value, 'f', decimals);
    if (text.contains(u'.')) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    if (text == QLatin1StringView("-0"))
        text = QStringLiteral("0");
    return text;
}

QString TimelineText::change(const QString &from, const QString &to)
{
    if (from.isEmpty() || from == to)
        return to;
    if (to.isEmpty())
        return from;
    // "repo:tag" (or "repo@digest"): the part after the repository, when both share it.
    const auto split = [](const QString &image) -> std::pair<QString, QString> {
        const qsizetype slash = image.lastIndexOf(u'/');
        qsizetype cut = image.indexOf(u'@', slash + 1);
        if (cut < 0)
            cut = image.indexOf(u':', slash + 1);
        if (cut < 0)
            return {image, QString()};
        return {image.left(cut), image.mid(cut)};
    };
    const auto [fromRepo, fromTag] = split(from);
    const auto [toRepo, toTag] = split(to);
    if (fromRepo == toRepo && !toTag.isEmpty())
        return tr("%1 → %2").arg(from, toTag.mid(1));
    return tr("%1 → %2").arg(from, to);
}

QString formatSeconds(qint64 ms)
{
    const bool negative = ms < 0;
    // Unsigned: -LLONG_MIN does not fit in a qint64.
    const quint64 a = negative ? quint64(0) - quint64(ms) : quint64(ms);
    QString text = QString::number(a / 1000);
    const int frac = int(a % 1000);
    if (frac != 0) {
        QString digits = QStringLiteral("%1").arg(frac, 3, 10, QLatin1Char('0'));
        while (digits.endsWith(u'0'))
            digits.chop(1);
        text += u'.' + digits;
    }
    return negative ? u'-' + text : text;
}

} // namespace rollscope::timeline
