// SPDX-License-Identifier: MIT
#include "timeline/timelinejson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rollscope::timeline {

namespace {

using Field = TimelineJson::Field;

constexpr double kMaxLatencyMs = 2'000'000; // about 33 minutes, in a qint32 of microseconds
constexpr double kMaxRate = 1'000'000;      // requests per second
constexpr qint32 kMinIntervalMs = 1;
constexpr qint32 kMaxIntervalMs = 3'600'000;
constexpr double kMaxRevision = 9007199254740992.0; // 2^53, exact in a double

QString elided(const QString &key)
{
    return key.size() > 64 ? key.left(61) + QStringLiteral("...") : key;
}

QString idKey(const QString &id)
{
    return id;
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toString();
}

// A number as the file spelled it, more or less: 1e308, 9.3e18, -5, 2147483647.
QString numberText(double d)
{
    if (d == std::trunc(d) && std::abs(d) < 1e16)
        return QString::number(qint64(d));
    QString text = QString::number(d, 'g', QLocale::FloatingPointShortest);
    const qsizetype e = text.indexOf(u'e');
    if (e >= 0) // "1e+308" -> "1e308", "1e-05" -> "1e-5"
        text = text.left(e + 1) + QString::number(text.mid(e + 1).toInt());
    return text;
}

// The number at `key` if there is one, held to [lo, hi]: a value outside is clamped, with a
// warning naming the field. JSON has no NaN or infinity, but 1e308 parses.
std::optional<double> readNumber(const QJsonObject &o, const QString &key, double lo, double hi,
                                 const Field &field)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    const double d = v.toDouble();
    if (d >= lo && d <= hi)
        return d;
    const double clamped = d > hi ? hi : lo;
    field.warn(key, TimelineJson::tr("%1 is out of range (%2 to %3), read as %4")
                        .arg(numberText(d), numberText(lo), numberText(hi), numberText(clamped)));
    return clamped;
}

int readCount(const QJsonObject &o, const QString &key, const Field &field, int fallback = 0,
              int lo = 0, int hi = kMaxCount)
{
    const std::optional<double> d = readNumber(o, key, lo, hi, field);
    return d ? int(std::llround(*d)) : fallback;
}

int readCount(const QJsonObject &o, const char *key, const Field &field, int fallback = 0,
              int lo = 0, int hi = kMaxCount)
{
    return readCount(o, QString(QLatin1StringView(key)), field, fallback, lo, hi);
}

// Seconds in the file, milliseconds in memory.
std::optional<qint64> readMillis(const QJsonObject &o, const char *key, qint64 loMs, qint64 hiMs,
                                 const Field &field)
{
    const std::optional<double> d = readNumber(o, QString(QLatin1StringView(key)),
                                               double(loMs) / 1000.0, double(hiMs) / 1000.0, field);
    if (!d)
        return std::nullopt;
    return std::clamp<qint64>(std::llround(*d * 1000.0), loMs, hiMs);
}

JsonText latency(const TimelineSample &sample)
{
    JsonText l = JsonText::object();
    const auto add = [&l](const char *key, const std::optional<qint32> &us) {
        if (us)
            l.insert(QLatin1StringView(key), JsonText::decimal(*us / 1000.0, 3));
    };
    add("p50", sample.latencyP50Us);
    add("p90", sample.latencyP90Us);
    add("p99", sample.latencyP99Us);
    return l;
}

std::optional<qint32> latencyFrom(const QJsonObject &o, const char *key, const Field &field)
{
    // Milliseconds in the file, microseconds in a qint32 in memory.
    const std::optional<double> ms =
        readNumber(o, QString(QLatin1StringView(key)), 0, kMaxLatencyMs, field);
    if (!ms)
        return std::nullopt;
    return qint32(std::llround(*ms * 1000.0));
}

QByteArray record(const char *type, const JsonText &body)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("record"), QLatin1StringView(type));
    o.insertAll(body);
    return o.toCompact();
}

} // namespace

QString TimelineJson::timestamp(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

qint64 TimelineJson::parseTimestamp(const QJsonValue &value)
{
    const QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
    return t.isValid() ? t.toMSecsSinceEpoch() : 0;
}

qint64 TimelineJson::msFromSeconds(const QJsonValue &value)
{
    const double limit = double(kMaxSpanMs) / 1000.0;
    return std::llround(std::clamp(value.toDouble(), -limit, limit) * 1000.0);
}

QString TimelineField::name(const QString &member) const
{
    const QString m = elided(member);
    if (path.isEmpty())
        return m;
    // "line 14:" (a recording) reads "line 14: t"; "samples[3]" reads "samples[3].t".
    return path.endsWith(u':') ? path + u' ' + m : path + u'.' + m;
}

TimelineField TimelineField::at(const QString &member) const
{
    Field f = *this;
    f.path = name(member);
    return f;
}

void TimelineField::warn(const QString &member, const QString &text) const
{
    // Bounded: a corrupt file can hold millions of bad values.
    if (!warnings || warnings->size() > kMaxWarnings)
        return;
    if (warnings->size() == kMaxWarnings)
        warnings->append(TimelineJson::tr("More values were wrong; only the first %1 are listed.")
                             .arg(kMaxWarnings));
    else
        warnings->append(TimelineJson::tr("%1: %2").arg(name(member), text));
}

qint32 TimelineJson::sampleIntervalFrom(const QJsonObject &o, qint32 fallback, const Field &field)
{
    const std::optional<qint64> ms =
        readMillis(o, "sampleIntervalSeconds", kMinIntervalMs, kMaxIntervalMs, field);
    return ms ? qint32(*ms) : fallback;
}

qint64 TimelineJson::spanFrom(qint64 startedAtMs, qint64 *finishedAtMs, const Field &field)
{
    if (*finishedAtMs <= 0)
        return kMaxSpanMs;
    if (startedAtMs <= 0) {
        field.warn(QStringLiteral("finishedAt"),
                   tr("a finish without a valid startedAt; the length is taken from the "
                      "samples"));
        *finishedAtMs = 0;
        return kMaxSpanMs;
    }
    if (*finishedAtMs < startedAtMs) {
        field.warn(QStringLiteral("finishedAt"),
                   tr("%1 is before startedAt; the length is taken from the samples")
                       .arg(timestamp(*finishedAtMs)));
        *finishedAtMs = 0;
        return kMaxSpanMs;
    }
    if (*finishedAtMs - startedAtMs > kMaxSpanMs) {
        field.warn(QStringLiteral("finishedAt"),
                   tr("%1 is more than %2 days after startedAt; the recording is cut there")
                       .arg(timestamp(*finishedAtMs))
                       .arg(kMaxSpanMs / (24 * 3600 * 1000)));
        *finishedAtMs = startedAtMs + kMaxSpanMs;
        return kMaxSpanMs;
    }
    return *finishedAtMs - startedAtMs;
}

JsonText TimelineJson::deployment(const Timeline &timeline)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("namespace"), timeline.ns);
    o.insert(QStringLiteral("name"), timeline.name);
    return o;
}

JsonText TimelineJson::change(const ChangeInfo &change)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("container"), change.container);
    o.insert(QStringLiteral("from"), change.from);
    o.insert(QStringLiteral("to"), change.to);
    o.insert(QStringLiteral("cause"), change.cause);
    o.insert(QStringLiteral("requestedBy"), change.requestedBy);
    o.insert(QStringLiteral("observed"), JsonText::boolean(change.observed));
    if (!change.action.isEmpty())
        o.insert(QStringLiteral("action"), change.action);
    return o;
}

ChangeInfo TimelineJson::changeFrom(const QJsonObject &o)
{
    ChangeInfo c;
    c.container = str(o, "container");
    c.from = str(o, "from");
    c.to = str(o, "to");
    c.cause = str(o, "cause");
    c.requestedBy = str(o, "requestedBy");
    c.observed = o.value(QLatin1StringView("observed")).toBool();
    c.action = str(o, "action");
    return c;
}

JsonText TimelineJson::strategy(const StrategyInfo &strategy)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("type"), strategy.type);
    o.insert(QStringLiteral("replicas"), JsonText::integer(strategy.replicas));
    o.insert(QStringLiteral("maxSurge"), strategy.maxSurge);
    o.insert(QStringLiteral("maxUnavailable"), strategy.maxUnavailable);
    o.insert(QStringLiteral("maxTotal"), JsonText::integer(strategy.maxTotal));
    o.insert(QStringLiteral("minAvailable"), JsonText::integer(strategy.minAvailable));
    o.insert(QStringLiteral("minReadySeconds"), JsonText::integer(strategy.minReadySeconds));
    o.insert(QStringLiteral("progressDeadlineSeconds"),
             JsonText::integer(strategy.progressDeadlineSeconds));
    return o;
}

StrategyInfo TimelineJson::strategyFrom(const QJsonObject &o, const Field &field)
{
    constexpr int intMax = std::numeric_limits<int>::max(); // "no deadline" in Kubernetes
    StrategyInfo s;
    s.type = str(o, "type");
    s.replicas = readCount(o, "replicas", field);
    s.maxSurge = str(o, "maxSurge");
    s.maxUnavailable = str(o, "maxUnavailable");
    s.maxTotal = readCount(o, "maxTotal", field);
    s.minAvailable = readCount(o, "minAvailable", field);
    s.minReadySeconds = readCount(o, "minReadySeconds", field, 0, 0, intMax);
    s.progressDeadlineSeconds = readCount(o, "progressDeadlineSeconds", field, 0, 0, intMax);
    return s;
}

JsonText TimelineJson::probe(const ProbeInfo &probe)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("enabled"), JsonText::boolean(probe.enabled));
    o.insert(QStringLiteral("kind"), probe.kind);
    o.insert(QStringLiteral("target"), probe.target);
    o.insert(QStringLiteral("rate"), JsonText::decimal(probe.ratePerSecond, 3));
    return o;
}

ProbeInfo TimelineJson::probeFrom(const QJsonObject &o, const Field &field)
{
    ProbeInfo p;
    p.enabled = o.value(QLatin1StringView("enabled")).toBool();
    p.kind = str(o, "kind");
    p.target = str(o, "target");
    p.ratePerSecond = readNumber(o, QStringLiteral("rate"), 0, kMaxRate, field).value_or(0);
    return p;
}

JsonText TimelineJson::version(const rollout::VersionInfo &version,
                               const std::optional<AnswerSpan> &answers)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("id"), version.id);
    o.insert(QStringLiteral("label"), version.label);
    o.insert(QStringLiteral("image"), version.image);
    o.insert(QStringLiteral("replicaSet"), version.replicaSet);
    o.insert(QStringLiteral("revision"), JsonText::integer(version.revision));
    o.insert(QStringLiteral("isNew"), JsonText::boolean(version.isNew));
    o.insert(QStringLiteral("colorIndex"), JsonText::integer(version.colorIndex));
    if (answers) {
        o.insert(QStringLiteral("firstAnswerT"), JsonText::seconds(answers->firstMs));
        o.insert(QStringLiteral("lastAnswerT"), JsonText::seconds(answers->lastMs));
    }
    return o;
}

rollout::VersionInfo TimelineJson::versionFrom(const QJsonObject &o,
                                               std::optional<AnswerSpan> *answers,
                                               const Field &field)
{
    rollout::VersionInfo v;
    v.id = str(o, "id");
    v.label = str(o, "label");
    v.image = str(o, "image");
    v.replicaSet = str(o, "replicaSet");
    v.revision =
        qint64(readNumber(o, QStringLiteral("revision"), 0, kMaxRevision, field).value_or(0));
    v.isNew = o.value(QLatin1StringView("isNew")).toBool();
    v.colorIndex = readCount(o, "colorIndex", field);
    if (v.id.isEmpty())
        v.id = v.label;
    if (answers) {
        answers->reset();
        const std::optional<qint64> first =
            readMillis(o, "firstAnswerT", -kMaxLeadMs, field.spanMs, field);
        const std::optional<qint64> last =
            readMillis(o, "lastAnswerT", -kMaxLeadMs, field.spanMs, field);
        if (first && last)
            *answers = AnswerSpan{*first, std::max(*first, *last)};
    }
    return v;
}

JsonText TimelineJson::sample(const TimelineSample &sample, const KeyFn &key)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("t"), JsonText::seconds(sample.tMs));
    JsonText pods = JsonText::object();
    for (auto it = sample.pods.cbegin(); it != sample.pods.cend(); ++it) {
        JsonText p = JsonText::object();
        p.insert(QStringLiteral("total"), JsonText::integer(it->total));
        p.insert(QStringLiteral("ready"), JsonText::integer(it->ready));
        p.insert(QStringLiteral("available"), JsonText::integer(it->available));
        p.insert(QStringLiteral("terminating"), JsonText::integer(it->terminating));
        pods.insert(key(it.key()), std::move(p));
    }
    o.insert(QStringLiteral("pods"), std::move(pods));
    JsonText responses = JsonText::object();
    for (auto it = sample.responses.cbegin(); it != sample.responses.cend(); ++it)
        responses.insert(key(it.key()), JsonText::integer(it.value()));
    o.insert(QStringLiteral("responses"), std::move(responses));
    o.insert(QStringLiteral("failed"), JsonText::integer(sample.failed()));
    JsonText failures = JsonText::object();
    for (int c = 0; c < probe::kFailureClassCount; ++c) {
        if (sample.failures[size_t(c)] > 0)
            failures.insert(probe::failureClassId(probe::FailureClass(c)),
                            JsonText::integer(sample.failures[size_t(c)]));
    }
    o.insert(QStringLiteral("failures"), std::move(failures));
    if (sample.peakPods >= 0)
        o.insert(QStringLiteral("peakPods"), JsonText::integer(sample.peakPods));
    if (sample.lowAvailable >= 0)
        o.insert(QStringLiteral("lowAvailable"), JsonText::integer(sample.lowAvailable));
    o.insert(QStringLiteral("mixedReadySeconds"), JsonText::seconds(sample.mixedReadyMs));
    o.insert(QStringLiteral("desired"), JsonText::integer(sample.desired));
    o.insert(QStringLiteral("maxTotal"), JsonText::integer(sample.maxTotal));
    o.insert(QStringLiteral("minAvailable"), JsonText::integer(sample.minAvailable));
    JsonText l = latency(sample);
    if (!l.isEmpty())
        o.insert(QStringLiteral("latencyMs"), std::move(l));
    return o;
}

std::optional<TimelineSample> TimelineJson::sampleFrom(const QJsonObject &o,
                                                       const ResolveFn &resolve, const Field &field)
{
    TimelineSample s;
    // A sample outside the recording is left out rather than moved: moved to the end it would
    // stretch the timeline (and its charts) to wherever the corruption pointed.
    const double t = o.value(QLatin1StringView("t")).toDouble();
    const qint64 tMs = t >= 0 && t <= double(kMaxSpanMs) / 1000.0 ? std::llround(t * 1000.0) : -1;
    if (tMs < 0 || tMs > field.spanMs) {
        field.warn(QStringLiteral("t"),
                   tr("%1 is outside the recording (0 to %2 s); the sample is left out")
                       .arg(numberText(t), formatSeconds(field.spanMs)));
        return std::nullopt;
    }
    s.tMs = tMs;
    const QJsonObject pods = o.value(QLatin1StringView("pods")).toObject();
    const Field podsField = field.at(QStringLiteral("pods"));
    for (auto it = pods.constBegin(); it != pods.constEnd(); ++it) {
        const QJsonObject p = it.value().toObject();
        const Field f = podsField.at(it.key());
        s.pods.insert(resolve(it.key()),
                      PodCounts{readCount(p, "total", f), readCount(p, "ready", f),
                                readCount(p, "available", f), readCount(p, "terminating", f)});
    }
    const QJsonObject responses = o.value(QLatin1StringView("responses")).toObject();
    const Field responsesField = field.at(QStringLiteral("responses"));
    for (auto it = responses.constBegin(); it != responses.constEnd(); ++it)
        s.responses.insert(resolve(it.key()), readCount(responses, it.key(), responsesField));
    const QJsonObject failures = o.value(QLatin1StringView("failures")).toObject();
    const Field failuresField = field.at(QStringLiteral("failures"));
    // At most kFailureClassCount * kMaxCount, which fits in an int.
    static_assert(qint64(probe::kFailureClassCount) * kMaxCount * 2 <
                  std::numeric_limits<int>::max());
    int classified = 0;
    for (auto it = failures.constBegin(); it != failures.constEnd(); ++it) {
        const auto c = probe::failureClassFromId(it.key());
        if (!c)
            continue;
        const int n = readCount(failures, it.key(), failuresField);
        s.failures[size_t(*c)] = n;
        classified += n;
    }
    // A file without the breakdown (or with a class this version does not know) still counts
    // every failure: the rest goes to "other".
    const int failed =
        readCount(o, "failed", field, classified, 0, probe::kFailureClassCount * kMaxCount);
    if (failed > classified) {
        int &other = s.failures[size_t(probe::FailureClass::Other)];
        // Held to kMaxCount like every count, so that an export of it reads back unchanged.
        other = std::min(kMaxCount, other + (failed - classified));
    }
    s.peakPods = readCount(o, "peakPods", field, -1, -1);
    s.lowAvailable = readCount(o, "lowAvailable", field, -1, -1);
    s.mixedReadyMs = readMillis(o, "mixedReadySeconds", 0, kMaxSpanMs, field).value_or(0);
    s.desired = readCount(o, "desired", field);
    s.maxTotal = readCount(o, "maxTotal", field);
    s.minAvailable = readCount(o, "minAvailable", field);
    const QJsonObject l = o.value(QLatin1StringView("latencyMs")).toObject();
    const Field latencyField = field.at(QStringLiteral("latencyMs"));
    s.latencyP50Us = latencyFrom(l, "p50", latencyField);
    s.latencyP90Us = latencyFrom(l, "p90", latencyField);
    s.latencyP99Us = latencyFrom(l, "p99", latencyField);
    return s;
}

JsonText TimelineJson::event(const TimelineEvent &event, const KeyFn &key)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("t"), JsonText::seconds(event.tMs));
    o.insert(QStringLiteral("type"), event.type);
    o.insert(QStringLiteral("message"), event.message);
    o.insert(QStringLiteral("object"), event.object);
    if (!event.versionId.isEmpty())
        o.insert(QStringLiteral("version"), key(event.versionId));
    o.insert(QStringLiteral("severity"), severityId(event.severity));
    if (event.durationMs > 0)
        o.insert(QStringLiteral("durationSeconds"), JsonText::seconds(event.durationMs));
    if (event.count > 0)
        o.insert(QStringLiteral("count"), JsonText::integer(event.count));
    if (event.request) {
        JsonText r = JsonText::object();
        r.insert(QStringLiteral("requestedBy"), event.request->requestedBy);
        r.insert(QStringLiteral("from"), event.request->from);
        r.insert(QStringLiteral("to"), event.request->to);
        r.insert(QStringLiteral("accepted"), JsonText::boolean(event.request->accepted));
        if (!event.request->result.isEmpty())
            r.insert(QStringLiteral("result"), event.request->result);
        o.insert(QStringLiteral("request"), r);
    }
    return o;
}

TimelineEvent TimelineJson::eventFrom(const QJsonObject &o, const ResolveFn &resolve,
                                      const Field &field)
{
    TimelineEvent e;
    // Events are kept (they carry messages), held to the recording; Kubernetes events can
    // precede the change a little (RecorderOptions::keepEventsBeforeMs).
    e.tMs = readMillis(o, "t", -kMaxLeadMs, field.spanMs, field).value_or(0);
    e.type = str(o, "type");
    e.message = str(o, "message");
    e.object = str(o, "object");
    const QString version = str(o, "version");
    e.versionId = version.isEmpty() ? QString() : resolve(version);
    e.severity = severityFromId(str(o, "severity"));
    e.durationMs = readMillis(o, "durationSeconds", 0, kMaxSpanMs, field).value_or(0);
    e.count = readCount(o, "count", field);
    if (const QJsonValue r = o.value(QLatin1StringView("request")); r.isObject()) {
        const QJsonObject request = r.toObject();
        rollout::RequestInfo info;
        info.requestedBy = str(request, "requestedBy");
        info.from = str(request, "from");
        info.to = str(request, "to");
        info.accepted = request.value(QLatin1StringView("accepted")).toBool();
        info.result = str(request, "result");
        e.request = info;
    }
    return e;
}

JsonText TimelineJson::summary(const Summary &summary, const KeyFn &key)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("durationSeconds"), JsonText::seconds(summary.durationMs));
    o.insert(QStringLiteral("verdict"), summary.verdict);
    o.insert(QStringLiteral("verdictCode"), verdictCodeId(summary.verdictCode));
    o.insert(QStringLiteral("requests"), JsonText::integer(summary.requests));
    o.insert(QStringLiteral("failedRequests"), JsonText::integer(summary.failedRequests));
    JsonText byClass = JsonText::object();
    for (int c = 0; c < probe::kFailureClassCount; ++c)
        byClass.insert(probe::failureClassId(probe::FailureClass(c)),
                       JsonText::integer(summary.failedByClass[size_t(c)]));
    o.insert(QStringLiteral("failedByClass"), std::move(byClass));
    JsonText byVersion = JsonText::object();
    for (auto it = summary.responsesByVersion.cbegin(); it != summary.responsesByVersion.cend();
         ++it)
        byVersion.insert(key(it.key()), JsonText::integer(it.value()));
    o.insert(QStringLiteral("responsesByVersion"), std::move(byVersion));
    o.insert(QStringLiteral("failureBursts"), JsonText::integer(summary.failureBursts));
    o.insert(QStringLiteral("maxPods"),
             summary.maxPods >= 0 ? JsonText::integer(summary.maxPods) : JsonText());
    o.insert(QStringLiteral("maxPodsAllowed"), JsonText::integer(summary.maxPodsAllowed));
    o.insert(QStringLiteral("maxPodsExceeded"), JsonText::boolean(summary.maxPodsExceeded()));
    o.insert(QStringLiteral("minAvailable"),
             summary.minAvailable >= 0 ? JsonText::integer(summary.minAvailable) : JsonText());
    o.insert(QStringLiteral("minAvailableRequired"),
             JsonText::integer(summary.minAvailableRequired));
    o.insert(QStringLiteral("minAvailableViolated"),
             JsonText::boolean(summary.minAvailableViolated()));
    o.insert(QStringLiteral("timeToFirstNewReadySeconds"),
             summary.firstNewReadyMs ? JsonText::seconds(*summary.firstNewReadyMs) : JsonText());
    o.insert(QStringLiteral("mixedVersionSeconds"), JsonText::seconds(summary.mixedAnsweringMs));
    o.insert(QStringLiteral("mixedReadySeconds"), JsonText::seconds(summary.mixedReadyMs));
    return o;
}

QByteArray TimelineJson::exportDocument(const Timeline &timeline)
{
    const KeyFn label = [&timeline](const QString &id) { return timeline.versionLabel(id); };
    JsonText doc = JsonText::object();
    doc.insert(QStringLiteral("format"), QString(kFormatId));
    doc.insert(QStringLiteral("deployment"), deployment(timeline));
    doc.insert(QStringLiteral("context"), timeline.context);
    doc.insert(QStringLiteral("change"), change(timeline.change));
    doc.insert(QStringLiteral("startedAt"), timestamp(timeline.startedAtMs));
    doc.insert(QStringLiteral("finishedAt"),
               timeline.finishedAtMs > 0 ? JsonText::string(timestamp(timeline.finishedAtMs))
                                         : JsonText());
    doc.insert(QStringLiteral("outcome"), outcomeId(timeline.outcome));
    doc.insert(QStringLiteral("outcomeReason"), timeline.outcomeReason);
    doc.insert(QStringLiteral("outcomeMessage"), timeline.outcomeMessage);
    doc.insert(QStringLiteral("interrupted"), JsonText::boolean(timeline.interrupted));
    doc.insert(QStringLiteral("sampleIntervalSeconds"),
               JsonText::seconds(timeline.sampleIntervalMs));
    doc.insert(QStringLiteral("strategy"), strategy(timeline.strategy));
    doc.insert(QStringLiteral("probe"), probe(timeline.probe));
    JsonText versions = JsonText::array();
    for (const rollout::VersionInfo &v : timeline.versions) {
        const auto it = timeline.answers.constFind(v.id);
        versions.append(version(v, it == timeline.answers.cend() ? std::optional<AnswerSpan>()
                                                                 : std::optional(*it)));
    }
    doc.insert(QStringLiteral("versions"), std::move(versions));
    doc.insert(QStringLiteral("summary"), summary(timeline.summary, label));
    JsonText samples = JsonText::array();
    for (const TimelineSample &s : timeline.samples)
        samples.append(sample(s, label));
    doc.insert(QStringLiteral("samples"), std::move(samples));
    JsonText events = JsonText::array();
    for (const TimelineEvent &e : timeline.events)
        events.append(event(e, label));
    doc.insert(QStringLiteral("events"), std::move(events));
    // Two levels expanded: the top object's members, then one sample or event per line.
    return doc.toIndented(1);
}

Result<Timeline> TimelineJson::parseExport(const QByteArray &data)
{
    if (data.trimmed().isEmpty())
        return Error::make(Error::Kind::Protocol,
                           tr("Not a Rollscope timeline: the file is empty."));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError)
        return Error::make(Error::Kind::Protocol, tr("Not a Rollscope timeline: %1 at offset %2.")
                                                      .arg(error.errorString())
                                                      .arg(error.offset));
    // A document that parsed but is not an object has no error to report: say what it is.
    if (!doc.isObject())
        return Error::make(Error::Kind::Protocol,
                           doc.isArray() ? tr("Not a Rollscope timeline: the file holds a JSON "
                                              "array, not an object.")
                                         : tr("Not a Rollscope timeline: the file holds no JSON "
                                              "object."));
    const QJsonObject o = doc.object();
    const QString format = str(o, "format");
    if (format != kFormatId)
        return Error::make(
            Error::Kind::Protocol,
            format.startsWith(QLatin1StringView("rollscope-timeline/"))
                ? tr("This timeline was written in format %1, which this version "
                     "of Rollscope cannot read (it reads %2).")
                      .arg(format, kFormatId)
                : tr("Not a Rollscope timeline (no \"format\": \"%1\").").arg(kFormatId));
    Timeline t;
    Field top{QString(), &t.warnings};
    const QJsonObject dep = o.value(QLatin1StringView("deployment")).toObject();
    t.ns = str(dep, "namespace");
    t.name = str(dep, "name");
    t.context = str(o, "context");
    t.change = changeFrom(o.value(QLatin1StringView("change")).toObject());
    t.startedAtMs = parseTimestamp(o.value(QLatin1StringView("startedAt")));
    t.finishedAtMs = parseTimestamp(o.value(QLatin1StringView("finishedAt")));
    top.spanMs = spanFrom(t.startedAtMs, &t.finishedAtMs, top);
    t.outcome = outcomeFromId(str(o, "outcome")).value_or(Outcome::Aborted);
    t.outcomeReason = str(o, "outcomeReason");
    t.outcomeMessage = str(o, "outcomeMessage");
    t.interrupted = o.value(QLatin1StringView("interrupted")).toBool();
    t.sampleIntervalMs = sampleIntervalFrom(o, t.sampleIntervalMs, top);
    t.strategy = strategyFrom(o.value(QLatin1StringView("strategy")).toObject(),
                              top.at(QStringLiteral("strategy")));
    t.probe =
        probeFrom(o.value(QLatin1StringView("probe")).toObject(), top.at(QStringLiteral("probe")));
    const auto item = [&top](const char *array, qsizetype i) {
        return top.at(QString(QLatin1StringView(array)) + u'[' + QString::number(i) + u']');
    };
    QHash<QString, QString> idByLabel;
    const QJsonArray versions = o.value(QLatin1StringView("versions")).toArray();
    for (qsizetype i = 0; i < versions.size(); ++i) {
        std::optional<AnswerSpan> answers;
        const rollout::VersionInfo info =
            versionFrom(versions.at(i).toObject(), &answers, item("versions", i));
        t.versions << info;
        idByLabel.insert(info.label, info.id);
        if (answers)
            t.answers.insert(info.id, *answers);
    }
    const ResolveFn resolve = [&idByLabel](const QString &key) {
        return idByLabel.value(key, key);
    };
    const QJsonArray samples = o.value(QLatin1StringView("samples")).toArray();
    for (qsizetype i = 0; i < samples.size(); ++i) {
        if (std::optional<TimelineSample> s =
                sampleFrom(samples.at(i).toObject(), resolve, item("samples", i)))
            t.samples << std::move(*s);
    }
    // Everything downstream reads samples in time order; a hand edit need not keep it.
    std::stable_sort(
        t.samples.begin(), t.samples.end(),
        [](const TimelineSample &a, const TimelineSample &b) { return a.tMs < b.tMs; });
    const QJsonArray events = o.value(QLatin1StringView("events")).toArray();
    for (qsizetype i = 0; i < events.size(); ++i)
        t.insertEvent(eventFrom(events.at(i).toObject(), resolve, item("events", i)));
    // The numbers are derived again rather than trusted, so a hand-edited file stays coherent.
    t.summary = computeSummary(t);
    return t;
}

QByteArray TimelineJson::headerRecord(const Timeline &timeline)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("format"), QString(kLogFormatId));
    o.insert(QStringLiteral("deployment"), deployment(timeline));
    o.insert(QStringLiteral("context"), timeline.context);
    o.insert(QStringLiteral("change"), change(timeline.change));
    o.insert(QStringLiteral("startedAt"), timestamp(timeline.startedAtMs));
    o.insert(QStringLiteral("sampleIntervalSeconds"), JsonText::seconds(timeline.sampleIntervalMs));
    o.insert(QStringLiteral("strategy"), strategy(timeline.strategy));
    o.insert(QStringLiteral("probe"), probe(timeline.probe));
    return record("header", o);
}

QByteArray TimelineJson::versionRecord(const rollout::VersionInfo &v,
                                       const std::optional<AnswerSpan> &answers)
{
    return record("version", version(v, answers));
}

QByteArray TimelineJson::strategyRecord(const StrategyInfo &s)
{
    return record("strategy", strategy(s));
}

QByteArray TimelineJson::probeRecord(const ProbeInfo &p)
{
    return record("probe", probe(p));
}

QByteArray TimelineJson::sampleRecord(const TimelineSample &s)
{
    return record("sample", sample(s, idKey));
}

QByteArray TimelineJson::eventRecord(const TimelineEvent &e)
{
    return record("event", event(e, idKey));
}

QByteArray TimelineJson::endRecord(const Timeline &timeline)
{
    JsonText o = JsonText::object();
    o.insert(QStringLiteral("finishedAt"), timestamp(timeline.finishedAtMs));
    o.insert(QStringLiteral("outcome"), outcomeId(timeline.outcome));
    o.insert(QStringLiteral("outcomeReason"), timeline.outcomeReason);
    o.insert(QStringLiteral("outcomeMessage"), timeline.outcomeMessage);
    JsonText versions = JsonText::array();
    for (const rollout::VersionInfo &v : timeline.versions) {
        const auto it = timeline.answers.constFind(v.id);
        versions.append(version(v, it == timeline.answers.cend() ? std::optional<AnswerSpan>()
                                                                 : std::optional(*it)));
    }
    o.insert(QStringLiteral("versions"), std::move(versions));
    // Keyed by id like every record here; the label is in "versions".
    o.insert(QStringLiteral("summary"), summary(timeline.summary, idKey));
    return record("end", o);
}

} // namespace rollscope::timeline
