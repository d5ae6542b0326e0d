// SPDX-License-Identifier: MIT
#pragma once

#include "clock.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

#include <map>

namespace rollscope::sim {

class Registry;
struct StoreEvent;

// core/v1 Event <-> events.k8s.io/v1 Event, field for field, as the API server converts the one
// it stores into the one asked for (k8s.io/kubernetes/pkg/apis/events/v1 conversion), with each
// version's JSON rules for empty fields (Go's omitempty: empty strings and zero counts left out,
// structs kept, zero times null).
namespace EventsV1 {
QJsonObject fromCore(const QJsonObject &core);
QJsonObject toCore(const QJsonObject &v1);
} // namespace EventsV1

// Writes core/v1 Events as the real components do, through client-go's event correlator
// (tools/record/events_cache.go): involvedObject set, source.component and reportingComponent
// filled; repeats of the same (source, object, type, reason, message) within ten minutes folded
// into one Event whose count and lastTimestamp grow; from the tenth distinct message of the same
// (source, object, type, reason) within ten minutes on, one Event "(combined from similar
// events): <latest message>" whose count grows (a ReplicaSet's "Created pod: ..." of a
// 5,000-replica rollout); and at most 25 writes about one object at once, then one every five
// minutes (the spam filter: the rest are dropped, their occurrences still counted by the fold).
//
// Repeats are found through an index keyed by the correlation key, not by scanning the
// namespace's events, and expired events are collected on the simulated clock (the API server's
// event TTL) without polling: the index knows when the oldest event expires.
class EventRecorder
{
public:
    explicit EventRecorder(Registry *registry);
    ~EventRecorder();
    EventRecorder(const EventRecorder &) = delete;
    EventRecorder &operator=(const EventRecorder &) = delete;

    // `object` is the involved object (kind/apiVersion/metadata are read from it).
    void normal(const QJsonObject &object, const QString &component, const QString &reason,
                const QString &message, const QString &host = {});
    void warning(const QJsonObject &object, const QString &component, const QString &reason,
                 const QString &message, const QString &host = {});
    // The involved object of a pod container event carries a fieldPath.
    void record(const QJsonObject &object, const QString &type, const QString &component,
                const QString &reason, const QString &message, const QString &host = {},
                const QString &fieldPath = {});

    // An event as components on client-go's events.k8s.io recorder (the scheduler) write it:
    // eventTime (microseconds), reportingController/-Instance and action set, the deprecated
    // firstTimestamp/lastTimestamp/count/source empty. Such a component does not fold repeats
    // into a count: it would start a series, which the simulator's only user of this shape
    // (Scheduled, once per pod) never needs.
    void recordEventsV1(const QJsonObject &object, const QString &type,
                        const QString &reportingController, const QString &reportingInstance,
                        const QString &action, const QString &reason, const QString &note);

    // Events older than this (by lastTimestamp) are deleted, as the API server's TTL does.
    void setTimeToLiveMs(qint64 ms);
    void collectExpired();

private:
    struct Folded
    {
        QString ns;
        QString name;
        qint64 lastMs = 0;
        qint64 count = 1; // occurrences, written or dropped by the spam filter
    };
    // The similar events (same source, object, type and reason) of the last 10 minutes, by
    // their messages' hashes.
    struct Aggregate
    {
        QSet<quint64> messages;
        qint64 lastMs = 0;
    };
    // A source's token bucket for one object.
    struct Spam
    {
        double tokens = 0;
        qint64 lastMs = 0;
    };

    void onStoreEvent(const StoreEvent &event);
    void scheduleCollection();

    Registry *m_registry;
    qint64 m_ttlMs = 3'600'000;
    int m_subscription = 0;
    // Correlation key (a 64-bit hash of source, object, type, reason and message: tens of
    // thousands of long keys would cost more memory than the events) -> the event our repeats
    // fold into.
    QHash<quint64, Folded> m_byKey;
    QHash<quint64, Aggregate> m_aggregates;
    QHash<quint64, Spam> m_spam;
    qint64 m_nextPruneMs = 0; // when the two above are next looked through for old records
    // "ns/name" -> correlation key, so a deleted event leaves the index.
    QHash<QString, quint64> m_keyByEvent;
    // "ns/name" -> lastTimestamp of every event in the store (ours and the API's).
    QHash<QString, qint64> m_lastSeen;
    // lastTimestamp -> "ns/name"; entries made stale by a later repeat are skipped when due.
    std::multimap<qint64, QString> m_byTime;
    SimClock::TaskId m_collectTask = 0;
    qint64 m_collectAt = -1;
};

} // namespace rollscope::sim
