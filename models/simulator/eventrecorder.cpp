// SPDX-License-Identifier: MIT
#include "eventrecorder.h"

#include "clock.h"
#include "json.h"
#include "registry.h"
#include "store.h"

#include <algorithm>
#include <iterator>

namespace rollscope::sim {

namespace {

constexpr qint64 kFoldWindowMs = 600'000;
// client-go's EventCorrelator (tools/record/events_cache.go): more than 9 events that differ only
// in their message within 10 minutes are combined into one; a source may write 25 events about an
// object at once, then one every 5 minutes.
constexpr int kAggregateMaxEvents = 10;
constexpr qint64 kAggregateIntervalMs = 600'000;
constexpr double kSpamBurst = 25;
constexpr double kSpamRefillPerMs = 1.0 / 300'000;
// Records of objects not heard of for longer than this are forgotten (client-go keeps 4,096 in an
// LRU cache); a forgotten object starts with a full burst again, as it does there.
constexpr qint64 kCorrelatorMemoryMs = 900'000;
constexpr qsizetype kCorrelatorPruneAt = 8192;

// Two independently seeded hashes folded into 64 bits: a collision (two different keys taken for
// one) is vanishingly unlikely at the simulator's event counts.
quint64 hash64(const QString &text)
{
    return quint64(qHash(text, 0x9e3779b9u)) * 0x100000001b3ull ^ quint64(qHash(text, 0x85ebca6bu));
}

template<typename Map>
void forgetOlderThan(Map &map, qint64 cutoffMs)
{
    if (map.size() < kCorrelatorPruneAt)
        return;
    for (auto it = map.begin(); it != map.end();)
        it = it->lastMs < cutoffMs ? map.erase(it) : std::next(it);
}
// Collection runs at most this often, so a burst of expiries is one pass.
constexpr qint64 kMinCollectionGapMs = 10'000;

QString eventKey(const QString &ns, const QString &name)
{
    return ns + u'/' + name;
}

qint64 lastTimestampOf(const QJsonObject &event, const SimClock &clock)
{
    QString text = event.value(u"lastTimestamp").toString();
    if (text.isEmpty())
        text = event.value(u"eventTime").toString();
    if (text.isEmpty())
        text = json::string(event, {u"metadata", u"creationTimestamp"});
    return clock.parseTimestamp(text);
}

// Copies `from[fromKey]` to `to[toKey]` as Go would serialize the field: `omitEmpty` leaves an
// empty string, zero number or absent value out; otherwise an absent value is written as
// `absent` (null for times, {} for structs, "" for strings without omitempty).
void convertField(const QJsonObject &from, QStringView fromKey, QJsonObject &to, QStringView toKey,
                  bool omitEmpty, const QJsonValue &absent = QJsonValue(QJsonValue::Null))
{
    const QJsonValue value = from.value(fromKey);
    const bool empty = value.isUndefined() || value.isNull() ||
                       (value.isString() && value.toString().isEmpty()) ||
                       (value.isDouble() && value.toDouble() == 0);
    if (!empty)
        to.insert(toKey.toString(), value);
    else if (!omitEmpty)
        to.insert(toKey.toString(), value.isUndefined() ? absent : value);
}

} // namespace

namespace EventsV1 {

QJsonObject fromCore(const QJsonObject &core)
{
    QJsonObject e{{QStringLiteral("apiVersion"), QStringLiteral("events.k8s.io/v1")},
                  {QStringLiteral("kind"), QStringLiteral("Event")},
                  {QStringLiteral("metadata"), core.value(u"metadata")}};
    const QJsonValue none(QJsonValue::Null);
    const QJsonValue emptyStruct{QJsonObject()};
    convertField(core, u"eventTime", e, u"eventTime", false, none);
    convertField(core, u"series", e, u"series", true);
    convertField(core, u"reportingComponent", e, u"reportingController", true);
    convertField(core, u"reportingInstance", e, u"reportingInstance", true);
    convertField(core, u"action", e, u"action", true);
    convertField(core, u"reason", e, u"reason", true);
    convertField(core, u"involvedObject", e, u"regarding", false, emptyStruct);
    convertField(core, u"related", e, u"related", true);
    convertField(core, u"message", e, u"note", true);
    convertField(core, u"type", e, u"type", true);
    convertField(core, u"source", e, u"deprecatedSource", false, emptyStruct);
    convertField(core, u"firstTimestamp", e, u"deprecatedFirstTimestamp", false, none);
    convertField(core, u"lastTimestamp", e, u"deprecatedLastTimestamp", false, none);
    convertField(core, u"count", e, u"deprecatedCount", true);
    return e;
}

QJsonObject toCore(const QJsonObject &v1)
{
    QJsonObject e{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                  {QStringLiteral("kind"), QStringLiteral("Event")},
                  {QStringLiteral("metadata"), v1.value(u"metadata")}};
    const QJsonValue none(QJsonValue::Null);
    const QJsonValue emptyStruct{QJsonObject()};
    convertField(v1, u"regarding", e, u"involvedObject", false, emptyStruct);
    convertField(v1, u"reason", e, u"reason", true);
    convertField(v1, u"note", e, u"message", true);
    convertField(v1, u"deprecatedSource", e, u"source", false, emptyStruct);
    convertField(v1, u"deprecatedFirstTimestamp", e, u"firstTimestamp", false, none);
    convertField(v1, u"deprecatedLastTimestamp", e, u"lastTimestamp", false, none);
    convertField(v1, u"deprecatedCount", e, u"count", true);
    convertField(v1, u"type", e, u"type", true);
    convertField(v1, u"eventTime", e, u"eventTime", false, none);
    convertField(v1, u"series", e, u"series", true);
    convertField(v1, u"action", e, u"action", true);
    convertField(v1, u"related", e, u"related", true);
    // Without omitempty in core/v1: always written.
    convertField(v1, u"reportingController", e, u"reportingComponent", false, QString());
    convertField(v1, u"reportingInstance", e, u"reportingInstance", false, QString());
    return e;
}

} // namespace EventsV1

EventRecorder::EventRecorder(Registry *registry)
    : m_registry(registry)
{
    m_subscription =
        m_registry->store()->subscribe([this](const StoreEvent &e) { onStoreEvent(e); });
    // Events already in the store age out too.
    m_registry->store()->forEach(Resources::events(), {}, [this](const QJsonObject &event) {
        StoreEvent e;
        e.type = EventType::Added;
        e.resource = &Resources::events();
        e.object = event;
        onStoreEvent(e);
        return true;
    });
}

EventRecorder::~EventRecorder()
{
    m_registry->store()->unsubscribe(m_subscription);
    if (m_collectTask != 0)
        m_registry->clock()->cancel(m_collectTask);
}

void EventRecorder::normal(const QJsonObject &object, const QString &component,
                           const QString &reason, const QString &message, const QString &host)
{
    record(object, QStringLiteral("Normal"), component, reason, message, host);
}

void EventRecorder::warning(const QJsonObject &object, const QString &component,
                            const QString &reason, const QString &message, const QString &host)
{
    record(object, QStringLiteral("Warning"), component, reason, message, host);
}

void EventRecorder::record(const QJsonObject &object, const QString &type, const QString &component,
                           const QString &reason, const QString &message, const QString &host,
                           const QString &fieldPath)
{
    const qint64 now = m_registry->clock()->nowMs();
    const QString objectNs = json::ns(object);
    const QString ns = objectNs.isEmpty() ? QStringLiteral("default") : objectNs;
    const QString uid = json::uid(object);

    // Looked through at most once a simulated minute: a 20,000-pod scenario keeps more records
    // than the threshold the whole time, and a pass at every event made seeding quadratic.
    if (now >= m_nextPruneMs) {
        m_nextPruneMs = now + 60'000;
        forgetOlderThan(m_aggregates, now - kCorrelatorMemoryMs);
        forgetOlderThan(m_spam, now - kCorrelatorMemoryMs);
    }
    // The source and the involved object: the spam filter's key, and the start of the others.
    const QString objectKey =
        QString(component + u'\x1f' + host + u'\x1f' + object.value(u"kind").toString() + u'\x1f' +
                objectNs + u'\x1f' + json::name(object) + u'\x1f' + uid);

    // Aggregation: similar events (the same but for the message) are combined from the tenth
    // distinct message within 10 minutes on, into one event whose count grows.
    QString shownMessage = message;
    quint64 key = 0;
    Aggregate &aggregate = m_aggregates[hash64(objectKey + u'\x1f' + type + u'\x1f' + reason)];
    if (now - aggregate.lastMs > kAggregateIntervalMs)
        aggregate.messages.clear();
    aggregate.lastMs = now;
    aggregate.messages.insert(hash64(message));
    if (aggregate.messages.size() >= kAggregateMaxEvents) {
        aggregate.messages.erase(aggregate.messages.begin()); // kept below the threshold
        shownMessage = QStringLiteral("(combined from similar events): ") + message;
        key = hash64(objectKey + u'\x1f' + type + u'\x1f' + reason +
                     QStringLiteral("\x1f(combined)"));
    } else {
        // The fold: source, involved object, type, reason and message.
        key = hash64(objectKey + u'\x1f' + fieldPath + u'\x1f' + type + u'\x1f' + reason + u'\x1f' +
                     message);
    }

    // The fold's count goes on even when the spam filter drops the write, as client-go's
    // event log does: the next write that passes carries every occurrence.
    const auto folded = m_byKey.find(key);
    const bool folds = folded != m_byKey.end() && now - folded->lastMs < kFoldWindowMs;
    if (folds) {
        folded->lastMs = now;
        ++folded->count;
    }

    // The spam filter: a token bucket per source and object.
    const quint64 spamKey = hash64(objectKey);
    auto bucket = m_spam.find(spamKey);
    if (bucket == m_spam.end())
        bucket = m_spam.insert(spamKey, Spam{kSpamBurst, now});
    Spam &spam = *bucket;
    spam.tokens =
        std::min(kSpamBurst,
                 spam.tokens + double(std::max<qint64>(0, now - spam.lastMs)) * kSpamRefillPerMs);
    spam.lastMs = now;
    if (spam.tokens < 1)
        return;
    spam.tokens -= 1;

    if (folds) {
        const Folded f = *folded;
        const auto updated =
            m_registry->modify(Resources::events(), f.ns, f.name, [&](QJsonObject &e) {
                e.insert(QStringLiteral("count"), f.count);
                e.insert(QStringLiteral("lastTimestamp"), m_registry->clock()->timestamp(now));
                e.insert(QStringLiteral("message"), shownMessage);
                return true;
            });
        if (updated)
            return;
        // Deleted behind our back (TTL, namespace deletion, an API client): start afresh.
        m_byKey.erase(folded);
    }

    // Built as JSON text and parsed once: tens of thousands of events are recorded while a
    // large scenario settles, and key-by-key construction dominated the cost.
    const QString objectName = json::name(object);
    const QString stamp = m_registry->clock()->timestamp(now);
    QByteArray text;
    text.reserve(640 + shownMessage.size());
    text += "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"involvedObject\":{";
    json::appendField(text, "kind", object.value(u"kind").toString());
    if (!objectNs.isEmpty())
        json::appendField(text, "namespace", objectNs);
    json::appendField(text, "name", objectName);
    json::appendField(text, "uid", uid);
    json::appendField(text, "apiVersion", object.value(u"apiVersion").toString());
    if (!fieldPath.isEmpty())
        json::appendField(text, "fieldPath", fieldPath);
    json::appendField(text, "resourceVersion",
                      json::string(object, {u"metadata", u"resourceVersion"}));
    text.chop(1);
    text += "},";
    json::appendField(text, "reason", reason);
    json::appendField(text, "message", shownMessage);
    json::appendField(text, "type", type);
    text += "\"source\":{";
    json::appendField(text, "component", component);
    if (!host.isEmpty())
        json::appendField(text, "host", host);
    text.chop(1);
    text += "},";
    json::appendField(text, "firstTimestamp", stamp);
    json::appendField(text, "lastTimestamp", stamp);
    text += "\"count\":1,\"eventTime\":null,";
    json::appendField(text, "reportingComponent", component);
    json::appendField(text, "reportingInstance", host);
    text += "\"metadata\":{";
    json::appendField(text, "namespace", ns);
    text += "\"name\":";
    // "<object>.<hex nanoseconds>", as client-go names them; the random low digits keep two
    // events of one object in the same millisecond apart.
    auto eventName = [&]() -> QString {
        return objectName + u'.' +
               QString::number(now * 1000000 + qint64(m_registry->random()->bounded(1000000)), 16);
    };
    QString name = eventName();
    json::appendString(text, name);
    text += "}}";
    QJsonObject event = json::parseObject(text);
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (attempt > 0) {
            name = eventName();
            json::set(event, {u"metadata", u"name"}, name);
        }
        const auto created = m_registry->create(Resources::events(), ns, event);
        if (created) {
            m_byKey.insert(key, Folded{ns, name, now, 1});
            m_keyByEvent.insert(eventKey(ns, name), key);
            return;
        }
        if (created.error().reason != u"AlreadyExists")
            return; // e.g. the namespace is terminating: the real recorder drops it too
    }
}

void EventRecorder::recordEventsV1(const QJsonObject &object, const QString &type,
                                   const QString &reportingController,
                                   const QString &reportingInstance, const QString &action,
                                   const QString &reason, const QString &note)
{
    const qint64 now = m_registry->clock()->nowMs();
    const QString objectNs = json::ns(object);
    const QString ns = objectNs.isEmpty() ? QStringLiteral("default") : objectNs;
    const QJsonValue kind = object.value(u"kind");
    const QJsonValue apiVersion = object.value(u"apiVersion");
    QJsonObject event;
    if ((kind.isString() || kind.isUndefined()) &&
        (apiVersion.isString() || apiVersion.isUndefined())) {
        // The core/v1 Event EventsV1::toCore makes of it, written as text and parsed once (see
        // record()): a Scheduled event for every pod.
        QByteArray text;
        text.reserve(640 + note.size());
        text += "{\"apiVersion\":\"v1\",\"kind\":\"Event\",\"involvedObject\":{";
        if (kind.isString())
            json::appendField(text, "kind", kind.toString());
        json::appendField(text, "name", json::name(object));
        json::appendField(text, "uid", json::uid(object));
        if (apiVersion.isString())
            json::appendField(text, "apiVersion", apiVersion.toString());
        json::appendField(text, "resourceVersion",
                          json::string(object, {u"metadata", u"resourceVersion"}));
        if (!objectNs.isEmpty())
            json::appendField(text, "namespace", objectNs);
        text.chop(1);
        text += "},";
        // Go's omitempty: empty strings left out; the deprecated fields empty.
        if (!reason.isEmpty())
            json::appendField(text, "reason", reason);
        if (!note.isEmpty())
            json::appendField(text, "message", note);
        if (!type.isEmpty())
            json::appendField(text, "type", type);
        if (!action.isEmpty())
            json::appendField(text, "action", action);
        text += "\"source\":{},\"firstTimestamp\":null,\"lastTimestamp\":null,";
        json::appendField(text, "eventTime", m_registry->clock()->microTimestamp(now));
        json::appendField(text, "reportingComponent", reportingController);
        json::appendField(text, "reportingInstance", reportingInstance);
        text += "\"metadata\":{";
        json::appendField(text, "namespace", ns);
        text.chop(1);
        text += "}}";
        event = json::parseObject(text);
    } else {
        QJsonObject regarding{{QStringLiteral("kind"), kind},
                              {QStringLiteral("name"), json::name(object)},
                              {QStringLiteral("uid"), json::uid(object)},
                              {QStringLiteral("apiVersion"), apiVersion},
                              {QStringLiteral("resourceVersion"),
                               json::string(object, {u"metadata", u"resourceVersion"})}};
        if (!objectNs.isEmpty())
            regarding.insert(QStringLiteral("namespace"), objectNs);
        const QJsonObject v1{
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("namespace"), ns}}},
            {QStringLiteral("eventTime"), m_registry->clock()->microTimestamp(now)},
            {QStringLiteral("reportingController"), reportingController},
            {QStringLiteral("reportingInstance"), reportingInstance},
            {QStringLiteral("action"), action},
            {QStringLiteral("reason"), reason},
            {QStringLiteral("regarding"), regarding},
            {QStringLiteral("note"), note},
            {QStringLiteral("type"), type}};
        event = EventsV1::toCore(v1);
    }
    // "<object>.<hex nanoseconds>", as client-go names them.
    for (int attempt = 0; attempt < 3; ++attempt) {
        json::set(event, {u"metadata", u"name"},
                  json::name(object) + u'.' +
                      QString::number(
                          now * 1000000 + qint64(m_registry->random()->bounded(1000000)), 16));
        const auto created = m_registry->create(Resources::events(), ns, event);
        if (created || created.error().reason != u"AlreadyExists")
            return;
    }
}

void EventRecorder::setTimeToLiveMs(qint64 ms)
{
    m_ttlMs = qMax<qint64>(1, ms);
    // Expiry times are derived from the TTL when due; a shorter TTL may make some due sooner.
    if (m_collectTask != 0) {
        m_registry->clock()->cancel(m_collectTask);
        m_collectTask = 0;
        m_collectAt = -1;
    }
    scheduleCollection();
}

void EventRecorder::onStoreEvent(const StoreEvent &e)
{
    if (!(*e.resource == Resources::events()))
        return;
    const QString key = eventKey(json::ns(e.object), json::name(e.object));
    if (e.type == EventType::Deleted) {
        m_lastSeen.remove(key);
        if (const auto it = m_keyByEvent.find(key); it != m_keyByEvent.end()) {
            const auto folded = m_byKey.find(*it);
            if (folded != m_byKey.end() && eventKey(folded->ns, folded->name) == key)
                m_byKey.erase(folded);
            m_keyByEvent.erase(it);
        }
        return;
    }
    const qint64 last = lastTimestampOf(e.object, *m_registry->clock());
    if (last < 0)
        return;
    const auto previous = m_lastSeen.constFind(key);
    if (previous != m_lastSeen.cend() && *previous == last)
        return;
    m_lastSeen.insert(key, last);
    m_byTime.emplace(last, key);
    scheduleCollection();
}

void EventRecorder::scheduleCollection()
{
    if (m_byTime.empty())
        return;
    SimClock *clock = m_registry->clock();
    const qint64 due = qMax(m_byTime.begin()->first + m_ttlMs + 1, clock->nowMs());
    if (m_collectTask != 0 && m_collectAt <= due)
        return;
    if (m_collectTask != 0)
        clock->cancel(m_collectTask);
    m_collectAt = due;
    m_collectTask = clock->callAt(due, [this] {
        m_collectTask = 0;
        m_collectAt = -1;
        collectExpired();
    });
}

void EventRecorder::collectExpired()
{
    const qint64 now = m_registry->clock()->nowMs();
    QList<QString> expired;
    while (!m_byTime.empty()) {
        const auto it = m_byTime.begin();
        if (now - it->first <= m_ttlMs)
            break;
        const auto seen = m_lastSeen.constFind(it->second);
        // Stale entries (the event was repeated later, or is gone) are dropped.
        if (seen != m_lastSeen.cend() && *seen == it->first)
            expired << it->second;
        m_byTime.erase(it);
    }
    for (const QString &key : std::as_const(expired)) {
        const qsizetype slash = key.indexOf(u'/');
        m_registry->erase(Resources::events(), key.left(slash), key.mid(slash + 1));
    }
    if (!m_byTime.empty()) {
        // Pace the next pass so a steady trickle of expiries does not mean a pass per event.
        const qint64 due = qMax(m_byTime.begin()->first + m_ttlMs + 1, now + kMinCollectionGapMs);
        if (m_collectTask == 0) {
            m_collectAt = due;
            m_collectTask = m_registry->clock()->callAt(due, [this] {
                m_collectTask = 0;
                m_collectAt = -1;
                collectExpired();
            });
        }
    }
}

} // namespace rollscope::sim
