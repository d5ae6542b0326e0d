#include "timeline/timelinejson.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>

namespace rollscope::timeline {

namespace {

QString idKey(const QString &id)
{
    return id;
}

QString str(const QJsonObject &o, const char *key)
{
    return o.value(QLatin1StringView(key)).toString();
}

int integer(const QJsonObject &o, const char *key, int fallback = 0)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    return v.isDouble() ? v.toInt(fallback) : fallback;
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

std::optional<qint32> latencyFrom(const QJsonObject &o, const char *key)
{
    const QJsonValue v = o.value(QLatin1StringView(key));
    if (!v.isDouble())
        return std::nullopt;
    return qint32(std::llround(v.toDouble() * 1000.0));
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
    return std::llround(value.toDouble() * 1000.0);
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

StrategyInfo TimelineJson::strategyFrom(const QJsonObject &o)
{
    StrategyInfo s;
    s.type = str(o, "type");
    s.replicas = integer(o, "replicas");
    s.maxSurge = str(o, "maxSurge");
    s.maxUnavailable = str(o, "maxUnavailable");
    s.maxTotal = integer(o, "maxTotal");
    s.minAvailable = integer(o, "minAvailable");
    s.minReadySeconds = integer(o, "minReadySeconds");
    s.progressDeadlineSeconds = integer(o, "progressDeadlineSeconds");
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

ProbeInfo TimelineJson::probeFrom(const QJsonObject &o)
{
    ProbeInfo p;
    p.enabled = o.value(QLatin1StringView("enabled")).toBool();
    p.kind = str(o, "kind");
    p.target = str(o, "target");
    p.ratePerSecond = o.value(QLatin1StringView("rate")).toDouble();
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
                                               std::optional<AnswerSpan> *answers)
{
    rollout::VersionInfo v;
    v.id = str(o, "id");
    v.label = str(o, "label");
    v.image = str(o, "image");
    v.replicaSet = str(o, "replicaSet");
    v.revision = qint64(o.value(QLatin1StringView("revision")).toDouble());
    v.isNew = o.value(QLatin1StringView("isNew")).toBool();
    v.colorIndex = integer(o, "colorIndex");
    if (v.id.isEmpty())
        v.id = v.label;
    if (answers) {
        answers->reset();
        if (o.contains(QLatin1StringView("firstAnswerT")) &&
            o.contains(QLatin1StringView("lastAnswerT")))
            *answers = AnswerSpan{msFromSeconds(o.value(QLatin1StringView("firstAnswerT"))),
                                  msFromSeconds(o.value(QLatin1StringView("lastAnswerT")))};
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

TimelineSample TimelineJson::sampleFrom(const QJsonObject &o, const ResolveFn &resolve)
{
    TimelineSample s;
    s.tMs = msFromSeconds(o.value(QLatin1StringView("t")));
    const QJsonObject pods = o.value(QLatin1StringView("pods")).toObject();
    for (auto it = pods.constBegin(); it != pods.constEnd(); ++it) {
        const QJsonObject p = it.value().toObject();
        s.pods.insert(resolve(it.key()),
                      PodCounts{integer(p, "total"), integer(p, "ready"), integer(p, "available"),
                                integer(p, "terminating")});
    }
    const QJsonObject responses = o.value(QLatin1StringView("responses")).toObject();
    for (auto it = responses.constBegin(); it != responses.constEnd(); ++it)
        s.responses.insert(resolve(it.key()), it.value().toInt());
    const QJsonObject failures = o.value(QLatin1StringView("failures")).toObject();
    int classified = 0;
    for (auto it = failures.constBegin(); it != failures.constEnd(); ++it) {
        const auto c = probe::failureClassFromId(it.key());
        const int n = it.value().toInt();
        if (c) {
            s.failures[size_t(*c)] += n;
            classified += n;
        }
    }
    // A file without the breakdown (or with a class this version does not know) still counts
    // every failure: the rest goes to "other".
    const int failed = integer(o, "failed", classified);
    if (failed > classified)
        s.failures[size_t(probe::FailureClass::Other)] += failed - classified;
    s.peakPods = integer(o, "peakPods", -1);
    s.lowAvailable = integer(o, "lowAvailable", -1);
    s.mixedReadyMs = msFromSeconds(o.value(QLatin1StringView("mixedReadySeconds")));
    s.desired = integer(o, "desired");
    s.maxTotal = integer(o, "maxTotal");
    s.minAvailable = integer(o, "minAvailable");
    const QJsonObject l = o.value(QLatin1StringView("latencyMs")).toObject();
    s.latencyP50Us = latencyFrom(l, "p50");
    s.latencyP90Us = latencyFrom(l, "p90");
    s.latencyP99Us = latencyFrom(l, "p99");
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
    return o;
}

TimelineEvent TimelineJson::eventFrom(const QJsonObject &o, const ResolveFn &resolve)
{
    TimelineEvent e;
    e.tMs = msFromSeconds(o.value(QLatin1StringView("t")));
    e.type = str(o, "type");
    e.message = str(o, "message");
    e.object = str(o, "object");
    const QString version = str(o, "version");
    e.versionId = version.isEmpty() ? QString() : resolve(version);
    e.severity = severityFromId(str(o, "severity"));
    e.durationMs = msFromSeconds(o.value(QLatin1StringView("durationSeconds")));
    e.count = integer(o, "count");
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
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error::make(Error::Kind::Protocol, tr("Not a Rollscope timeline: %1 at offset %2.")
                                                      .arg(error.errorString())
                                                      .arg(error.offset));
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
    const QJsonObject dep = o.value(QLatin1StringView("deployment")).toObject();
    t.ns = str(dep, "namespace");
    t.name = str(dep, "name");
    t.context = str(o, "context");
    t.change = changeFrom(o.value(QLatin1StringView("change")).toObject());
    t.startedAtMs = parseTimestamp(o.value(QLatin1StringView("startedAt")));
    t.finishedAtMs = parseTimestamp(o.value(QLatin1StringView("finishedAt")));
    t.outcome = outcomeFromId(str(o, "outcome")).value_or(Outcome::Aborted);
    t.outcomeReason = str(o, "outcomeReason");
    t.outcomeMessage = str(o, "outcomeMessage");
    t.interrupted = o.value(QLatin1StringView("interrupted")).toBool();
    const qint64 interval = msFromSeconds(o.value(QLatin1StringView("sampleIntervalSeconds")));
    t.sampleIntervalMs = interval > 0 ? qint32(interval) : t.sampleIntervalMs;
    t.strategy = strategyFrom(o.value(QLatin1StringView("strategy")).toObject());
    t.probe = probeFrom(o.value(QLatin1StringView("probe")).toObject());
    QHash<QString, QString> idByLabel;
    const QJsonArray versions = o.value(QLatin1StringView("versions")).toArray();
    for (const QJsonValue &v : versions) {
        std::optional<AnswerSpan> answers;
        const rollout::VersionInfo info = versionFrom(v.toObject(), &answers);
        t.versions << info;
        idByLabel.insert(info.label, info.id);
        if (answers)
            t.answers.insert(info.id, *answers);
    }
    const ResolveFn resolve = [&idByLabel](const QString &key) {
        return idByLabel.value(key, key);
    };
    const QJsonArray samples = o.value(QLatin1StringView("samples")).toArray();
    for (const QJsonValue &s : samples)
        t.samples << sampleFrom(s.toObject(), resolve);
    const QJsonArray events = o.value(QLatin1StringView("events")).toArray();
    for (const QJsonValue &e : events)
        t.insertEvent(eventFrom(e.toObject(), resolve));
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
