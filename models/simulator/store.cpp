// SPDX-License-Identifier: MIT
#include "store.h"

#include "json.h"
#include "jsonwriter.h"

#include <QSet>

#include <algorithm>
#include <chrono>

namespace rollscope::sim {

template<class Encode>
const QByteArray &StoredObject::encodeOnce(OnceState &state, QByteArray &bytes, Encode encode)
{
    int seen = state.load(std::memory_order_acquire);
    if (seen == 2)
        return bytes;
    if (seen == 0 && state.compare_exchange_strong(seen, 1, std::memory_order_acq_rel)) {
        bytes = encode();
        state.store(2, std::memory_order_release);
        state.notify_all();
        return bytes;
    }
    // Another thread is encoding it: its bytes, once written.
    while ((seen = state.load(std::memory_order_acquire)) != 2)
        state.wait(seen, std::memory_order_acquire);
    return bytes;
}

const QByteArray &StoredObject::json() const
{
    return encodeOnce(m_jsonState, m_json, [this] { return jsonwriter::compact(m_object); });
}

const QByteArray &StoredObject::listItemJson() const
{
    return encodeOnce(m_listItemState, m_listItemJson, [this] {
        if (!m_object.contains(u"kind") && !m_object.contains(u"apiVersion"))
            return json();
        // Written without the two keys rather than from a copy without them.
        return jsonwriter::compactWithout(m_object, {u"apiVersion", u"kind"});
    });
}

Store::Store() = default;

Store::~Store() = default;

QString Store::keyOf(const QString &ns, const QString &name)
{
    return ns.isEmpty() ? name : ns + u'/' + name;
}

Store::Bucket *Store::cachedBucket(const ResourceType &type) const
{
    for (const BucketCache &c : m_bucketCache) {
        if (c.type == &type && c.plural == type.plural && c.group == type.group)
            return c.bucket;
    }
    return nullptr;
}

Store::Bucket &Store::bucket(const ResourceType &type)
{
    if (Bucket *cached = cachedBucket(type))
        return *cached;
    Bucket &b = m_buckets[type.qualifiedPlural()];
    m_bucketCache[m_nextCacheSlot] = BucketCache{&type, type.group, type.plural, &b};
    m_nextCacheSlot = (m_nextCacheSlot + 1) % m_bucketCache.size();
    return b;
}

const Store::Bucket *Store::findBucket(const ResourceType &type) const
{
    if (const Bucket *cached = cachedBucket(type))
        return cached;
    const auto it = m_buckets.find(type.qualifiedPlural());
    if (it == m_buckets.end())
        return nullptr;
    m_bucketCache[m_nextCacheSlot] =
        BucketCache{&type, type.group, type.plural, const_cast<Bucket *>(&it->second)};
    m_nextCacheSlot = (m_nextCacheSlot + 1) % m_bucketCache.size();
    return &it->second;
}

std::optional<QJsonObject> Store::get(const ResourceType &type, const QString &ns,
                                      const QString &name) const
{
    const Bucket *b = findBucket(type);
    if (!b)
        return std::nullopt;
    const auto it = b->objects.find(keyOf(type.namespaced ? ns : QString(), name));
    if (it == b->objects.end())
        return std::nullopt;
    return it->second->object();
}

QList<QJsonObject> Store::list(const ResourceType &type, const QString &ns) const
{
    QList<QJsonObject> result;
    forEach(type, ns, [&result](const QJsonObject &o) {
        result << o;
        return true;
    });
    return result;
}

qsizetype Store::count(const ResourceType &type) const
{
    const Bucket *b = findBucket(type);
    return b ? qsizetype(b->objects.size()) : 0;
}

void Store::forEach(const ResourceType &type, const QString &ns,
                    const std::function<bool(const QJsonObject &)> &visit) const
{
    forEachStored(type, ns, [&visit](const StoredPtr &stored) { return visit(stored->object()); });
}

void Store::forEachStored(const ResourceType &type, const QString &ns,
                          const std::function<bool(const StoredPtr &)> &visit) const
{
    const Bucket *b = findBucket(type);
    if (!b)
        return;
    if (ns.isEmpty() || !type.namespaced) {
        for (const auto &[key, object] : b->objects) {
            if (!visit(object))
                return;
        }
        return;
    }
    const QString prefix = ns + u'/';
    for (auto it = b->objects.lower_bound(prefix); it != b->objects.end(); ++it) {
        if (!it->first.startsWith(prefix))
            break;
        if (!visit(it->second))
            return;
    }
}

QJsonObject Store::put(const ResourceType &type, QJsonObject object)
{
    Bucket &b = bucket(type);
    // The metadata is looked up once for the key and the new resourceVersion: every write of
    // the simulator comes through here.
    QJsonObject metadata = object.value(u"metadata").toObject();
    const QString key = keyOf(type.namespaced ? metadata.value(u"namespace").toString() : QString(),
                              metadata.value(u"name").toString());
    ++m_resourceVersion;
    metadata.insert(QStringLiteral("resourceVersion"), QString::number(m_resourceVersion));
    object.insert(QStringLiteral("metadata"), metadata);

    StoreEvent event;
    event.resource = &type;
    event.object = object;
    event.resourceVersion = m_resourceVersion;
    event.stored = std::make_shared<const StoredObject>(object);
    auto it = b.objects.find(key);
    if (it == b.objects.end()) {
        event.type = EventType::Added;
        b.objects.emplace(key, event.stored);
    } else {
        event.type = EventType::Modified;
        event.previous = it->second->object();
        it->second = event.stored;
    }
    record(b, std::move(event));
    return object;
}

std::optional<QJsonObject> Store::erase(const ResourceType &type, const QString &ns,
                                        const QString &name)
{
    Bucket &b = bucket(type);
    const auto it = b.objects.find(keyOf(type.namespaced ? ns : QString(), name));
    if (it == b.objects.end())
        return std::nullopt;
    QJsonObject last = it->second->object();
    b.objects.erase(it);
    ++m_resourceVersion;
    StoreEvent event;
    event.type = EventType::Deleted;
    event.resource = &type;
    event.previous = last;
    json::set(last, {u"metadata", u"resourceVersion"}, QString::number(m_resourceVersion));
    event.object = last;
    event.resourceVersion = m_resourceVersion;
    event.stored = std::make_shared<const StoredObject>(last);
    record(b, std::move(event));
    return last;
}

void Store::record(Bucket &b, StoreEvent event)
{
    b.history.push_back(event);
    while (qsizetype(b.history.size()) > m_historyLimit) {
        b.droppedUpTo = b.history.front().resourceVersion;
        b.history.pop_front();
    }
    // Listeners may write to the store. Their events queue behind the current one, so every
    // listener sees every change in resourceVersion order.
    m_undelivered.push_back(std::move(event));
    if (m_delivering)
        return;
    m_delivering = true;
    while (!m_undelivered.empty()) {
        const StoreEvent next = std::move(m_undelivered.front());
        m_undelivered.pop_front();
        // Ids first (a copy that shares the list): a listener may unsubscribe itself or others
        // while we iterate.
        const QList<SubscriptionId> ids = m_listenerIds;
        for (SubscriptionId id : ids) {
            const auto it = m_listeners.find(id);
            if (it != m_listeners.end())
                it->second(next);
        }
    }
    m_delivering = false;
}

std::optional<QList<StoreEvent>> Store::eventsAfter(const ResourceType &type,
                                                    qint64 resourceVersion) const
{
    QList<StoreEvent> result;
    if (resourceVersion < oldestResumableVersion(type))
        return std::nullopt;
    const Bucket *b = findBucket(type);
    if (!b)
        return result;
    // History is ordered by resourceVersion; find the first newer event from the back, since
    // resuming watches are usually close to now.
    auto it = b->history.end();
    while (it != b->history.begin() && std::prev(it)->resourceVersion > resourceVersion)
        --it;
    for (; it != b->history.end(); ++it)
        result << *it;
    return result;
}

qint64 Store::oldestResumableVersion(const ResourceType &type) const
{
    const Bucket *b = findBucket(type);
    return qMax(m_compactedUpTo, b ? b->droppedUpTo : 0);
}

void Store::compact()
{
    compactTo(m_resourceVersion);
}

void Store::compactTo(qint64 resourceVersion)
{
    resourceVersion = qMin(resourceVersion, m_resourceVersion);
    if (resourceVersion <= m_compactedUpTo)
        return;
    m_compactedUpTo = resourceVersion;
    for (auto &entry : m_buckets) {
        Bucket &b = entry.second;
        while (!b.history.empty() && b.history.front().resourceVersion <= resourceVersion) {
            b.droppedUpTo = b.history.front().resourceVersion;
            b.history.pop_front();
        }
    }
}

Store::SubscriptionId Store::subscribe(Listener listener)
{
    const SubscriptionId id = m_nextSubscription++;
    m_listeners.emplace(id, std::move(listener));
    m_listenerIds.append(id); // ids only grow: the list stays in subscription order
    return id;
}

void Store::unsubscribe(SubscriptionId id)
{
    m_listeners.erase(id);
    m_listenerIds.removeOne(id);
}

// --- ListEncodingWarmer -------------------------------------------------------------------

ListEncodingWarmer::ListEncodingWarmer(Store *store, QList<const ResourceType *> types,
                                       Settled settled)
    : m_store(store)
    , m_types(std::move(types))
    , m_settled(std::move(settled))
{
    m_subscription = m_store->subscribe([this](const StoreEvent &e) { onEvent(e); });
    m_thread = std::thread([this] { run(); });
}

ListEncodingWarmer::~ListEncodingWarmer()
{
    if (m_subscription != 0)
        m_store->unsubscribe(m_subscription);
    m_stopping = true;
    {
        const std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

void ListEncodingWarmer::onEvent(const StoreEvent &event)
{
    const auto type =
        std::find_if(m_types.cbegin(), m_types.cend(),
                     [&event](const ResourceType *t) { return *t == *event.resource; });
    if (type == m_types.cend())
        return;
    const QString key = event.resource->qualifiedPlural() + u'/' + json::ns(event.object) + u'/' +
                        json::name(event.object);
    const std::lock_guard lock(m_mutex);
    if (event.type == EventType::Deleted)
        m_pending.remove(key);
    else
        m_pending.insert(key, Pending{event.stored, *type, false});
}

void ListEncodingWarmer::finish()
{
    if (m_subscription != 0) {
        m_store->unsubscribe(m_subscription);
        m_subscription = 0;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_finishing = true;
    }
    m_wake.notify_all();
}

qsizetype ListEncodingWarmer::waitUntilFinished()
{
    if (m_thread.joinable())
        m_thread.join();
    return m_encoded;
}

void ListEncodingWarmer::run()
{
    QList<StoredPtr> batch;
    QList<std::pair<QString, Pending>> check;
    while (!m_stopping) {
        bool last = false;
        {
            std::unique_lock lock(m_mutex);
            if (!m_finishing)
                m_wake.wait_for(lock, std::chrono::milliseconds(50));
            last = m_finishing;
            for (auto it = m_pending.begin(); it != m_pending.end();) {
                if (last) {
                    batch << std::move(it->stored);
                    it = m_pending.erase(it);
                } else {
                    if (!it->checked)
                        check << std::make_pair(it.key(), *it);
                    ++it;
                }
            }
        }
        // Whether the new versions look final, outside the lock: the simulator thread writes on.
        QSet<QString> settled;
        for (const auto &[key, pending] : std::as_const(check)) {
            if (m_settled && m_settled(*pending.type, pending.stored->object()))
                settled.insert(key);
        }
        if (!check.isEmpty()) {
            const std::lock_guard lock(m_mutex);
            for (const auto &[key, pending] : std::as_const(check)) {
                const auto it = m_pending.find(key);
                if (it == m_pending.end() || it->stored != pending.stored)
                    continue; // replaced meanwhile: checked again next time
                if (settled.contains(key)) {
                    batch << std::move(it->stored);
                    m_pending.erase(it);
                } else {
                    it->checked = true;
                }
            }
            check.clear();
        }
        for (const StoredPtr &stored : std::as_const(batch)) {
            if (m_stopping)
                return;
            if (!stored->hasListItemJson()) {
                (void)stored->listItemJson();
                ++m_encoded;
            }
        }
        batch.clear();
        if (last)
            return;
    }
}

} // namespace rollscope::sim
