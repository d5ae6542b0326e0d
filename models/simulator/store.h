// SPDX-License-Identifier: MIT
#pragma once

#include "resources.h"

#include <QHash>
#include <QJsonObject>
#include <QList>

#include <array>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

namespace rollscope::sim {

enum class EventType
{
    Added,
    Modified,
    Deleted
};

// One stored version of an object and its JSON encodings, each made when first asked for and
// then shared by every list, watch event and get that sends this version: what the API server's
// cachingObject does, so 200 watches of a pod encode each of its versions once, and the second
// list of 20,000 pods encodes none.
//
// The object never changes, and each encoding is made once even when several threads ask for it
// at the same time (a large list encodes its items on several threads): the first one encodes,
// the others wait for its bytes.
class StoredObject
{
public:
    explicit StoredObject(QJsonObject object)
        : m_object(std::move(object))
    {}

    const QJsonObject &object() const { return m_object; }
    // Compact JSON of the object as stored.
    const QByteArray &json() const;
    // Compact JSON without kind and apiVersion, as the items of a list are written.
    const QByteArray &listItemJson() const;
    // Whether listItemJson() is encoded already (it costs nothing then).
    bool hasListItemJson() const { return m_listItemState.load(std::memory_order_acquire) == 2; }

private:
    // 0: not encoded, 1: being encoded by one thread, 2: encoded.
    using OnceState = std::atomic<int>;
    template<class Encode>
    static const QByteArray &encodeOnce(OnceState &state, QByteArray &bytes, Encode encode);

    QJsonObject m_object;
    mutable QByteArray m_json;
    mutable QByteArray m_listItemJson;
    mutable OnceState m_jsonState{0};
    mutable OnceState m_listItemState{0};
};

using StoredPtr = std::shared_ptr<const StoredObject>;

// One change in the store. `previous` is the state before the change (empty for Added), so
// watchers with a selector can tell "started matching" from "stopped matching".
struct StoreEvent
{
    EventType type = EventType::Added;
    const ResourceType *resource = nullptr;
    QJsonObject object;
    QJsonObject previous;
    qint64 resourceVersion = 0;
    // `object` with its cached encodings.
    StoredPtr stored;
};

// The object store: the etcd + watch cache of the simulator. It keeps every object as JSON,
// assigns the global, monotonically increasing resourceVersion, keeps a bounded per-resource
// history of changes for watches that resume, and tells subscribers about every change,
// synchronously. It knows nothing of API semantics (defaulting, validation, generation); the
// Registry above it does.
//
// Single-threaded: it lives on the simulator's thread, like everything it calls back.
class Store
{
public:
    using SubscriptionId = int;
    using Listener = std::function<void(const StoreEvent &)>;

    Store();
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    qint64 currentResourceVersion() const { return m_resourceVersion; }

    std::optional<QJsonObject> get(const ResourceType &type, const QString &ns,
                                   const QString &name) const;
    // Objects sorted by namespace, then name, as etcd returns them. Empty `ns` = all namespaces.
    QList<QJsonObject> list(const ResourceType &type, const QString &ns = {}) const;
    qsizetype count(const ResourceType &type) const;
    // Calls `visit` for each object without copying the list; stop by returning false.
    void forEach(const ResourceType &type, const QString &ns,
                 const std::function<bool(const QJsonObject &)> &visit) const;
    // The same with each object's cached encodings, for the API front.
    void forEachStored(const ResourceType &type, const QString &ns,
                       const std::function<bool(const StoredPtr &)> &visit) const;

    // Writes `object` (new or replacing), stamping metadata.resourceVersion. Returns the stored
    // object. The caller has done all API semantics.
    QJsonObject put(const ResourceType &type, QJsonObject object);
    // Removes the object; returns its last state stamped with the deletion's resourceVersion.
    std::optional<QJsonObject> erase(const ResourceType &type, const QString &ns,
                                     const QString &name);

    // Changes to `type` after `resourceVersion`, oldest first; nullopt when some of them are no
    // longer retained (the caller answers 410 Expired).
    std::optional<QList<StoreEvent>> eventsAfter(const ResourceType &type,
                                                 qint64 resourceVersion) const;
    // The oldest resourceVersion a watch of `type` can still resume from.
    qint64 oldestResumableVersion(const ResourceType &type) const;

    // Forgets the watch history of every resource (as a compaction does): watches resuming
    // from an older resourceVersion get 410 Expired.
    void compact();
    // Compacts up to `resourceVersion` (etcd's compaction): the changes up to it are
    // forgotten, watches from a resourceVersion before it get 410 Expired, later ones resume.
    void compactTo(qint64 resourceVersion);
    qint64 compactedUpTo() const { return m_compactedUpTo; }

    // History bound per resource (the watch cache's capacity). Older events are dropped.
    void setHistoryLimit(qsizetype events) { m_historyLimit = qMax<qsizetype>(1, events); }

    SubscriptionId subscribe(Listener listener);
    void unsubscribe(SubscriptionId id);

private:
    struct Bucket
    {
        std::map<QString, StoredPtr> objects; // key: "ns/name" or "name"
        std::deque<StoreEvent> history;
        qint64 droppedUpTo = 0; // highest resourceVersion no longer in history
    };

    // The last bucket looked up for a type, by the type's address: every write and most reads
    // look one up, and building and hashing "deployments.apps" each time cost more than the
    // lookup. The type's group and plural are checked, so a copy of a ResourceType that reuses
    // an address finds its own bucket.
    struct BucketCache
    {
        const ResourceType *type = nullptr;
        QString group;
        QString plural;
        Bucket *bucket = nullptr;
    };

    static QString keyOf(const QString &ns, const QString &name);
    Bucket &bucket(const ResourceType &type);
    const Bucket *findBucket(const ResourceType &type) const;
    Bucket *cachedBucket(const ResourceType &type) const;
    void record(Bucket &bucket, StoreEvent event);

    qint64 m_resourceVersion = 1000;
    qint64 m_compactedUpTo = 0;
    qsizetype m_historyLimit = 20000;
    // By qualified plural; a node container, so the cache's pointers stay valid.
    std::unordered_map<QString, Bucket> m_buckets;
    mutable std::array<BucketCache, 8> m_bucketCache;
    mutable std::size_t m_nextCacheSlot = 0;
    std::map<SubscriptionId, Listener> m_listeners;
    QList<SubscriptionId> m_listenerIds; // m_listeners' keys, in order
    SubscriptionId m_nextSubscription = 1;
    std::deque<StoreEvent> m_undelivered;
    bool m_delivering = false;
};

// Encodes the list items of the objects of some types on a thread of its own while the
// simulator seeds a scenario, so the first lists after it starts serving find them encoded: a
// scale:1000:20 pod list is 96 MiB of JSON, a second of one core, and seeding keeps only one
// core busy. It follows the store's changes of those types and encodes a version once
// `settled` says it looks final (a Ready pod), all pending ones once finish() is called:
// objects are written several times while they settle, and encoding each version would cost
// five times the work saved. The bytes are StoredObject's, made once, so lists that ask for
// them meanwhile share the work rather than repeat it.
class ListEncodingWarmer
{
public:
    // Called on the warmer's thread with an immutable stored object.
    using Settled = std::function<bool(const ResourceType &, const QJsonObject &)>;

    ListEncodingWarmer(Store *store, QList<const ResourceType *> types, Settled settled);
    // Stops following the store and the thread (without encoding what is left).
    ~ListEncodingWarmer();
    ListEncodingWarmer(const ListEncodingWarmer &) = delete;
    ListEncodingWarmer &operator=(const ListEncodingWarmer &) = delete;

    // No more changes to follow: what is pending is encoded at once, then the thread ends.
    void finish();
    // Waits for the thread to end after finish(); how many encodings it made.
    qsizetype waitUntilFinished();

private:
    struct Pending
    {
        StoredPtr stored;
        const ResourceType *type = nullptr;
        bool checked = false; // `settled` said no to this version
    };

    void onEvent(const StoreEvent &event);
    void run();

    Store *m_store;
    QList<const ResourceType *> m_types;
    Settled m_settled;
    Store::SubscriptionId m_subscription = 0;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    QHash<QString, Pending> m_pending; // by type and key; guarded by m_mutex
    bool m_finishing = false;          // guarded by m_mutex
    std::atomic<bool> m_stopping{false};
    std::atomic<qsizetype> m_encoded{0};
    std::thread m_thread;
};

} // namespace rollscope::sim
