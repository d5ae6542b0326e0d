// SPDX-License-Identifier: MIT
#pragma once

// List + watch caches of typed values, working like client-go's reflector (facts §3):
// - list with paging (limit + continue), the list's resourceVersion (RV) is the last synced RV;
// - watch from it with allowWatchBookmarks and a random timeoutSeconds of 300-600;
// - every event, bookmarks included, advances the RV; a clean end (or a connection lost after
//   the stream was healthy) resumes the watch from the last RV without relisting;
// - 410 Expired (HTTP or an ERROR event) relists at the last synced RV without paging (the
//   watch cache answers that), and only if that list expires too, at RV "" (a consistent read);
//   the cache is then reconciled and deletions are synthesized for objects that disappeared;
// - other errors back off exponentially, 0.8 s doubling to 30 s, reset after 2 min without
//   errors; a watch that ends within 1 s without events counts as an error.
// The cache holds the small values of resources.h, never JSON, and reports changes as values.

#include "common/result.h"
#include "common/sharedvalue.h"
#include "kube/apiclient.h"
#include "kube/informerfwd.h"
#include "kube/offthread.h"
#include "kube/resources.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QTimer;

namespace rollscope::kube {

struct InformerOptions
{
    QString ns; // "" = all namespaces (ignored for cluster-scoped kinds)
    QString labelSelector;
    QString fieldSelector;
    int pageSize = 500;
    std::chrono::milliseconds backoffInitial{std::chrono::milliseconds(800)};
    std::chrono::milliseconds backoffMax{std::chrono::seconds(30)};
    std::chrono::milliseconds backoffReset{std::chrono::minutes(2)};
    // A watch that ends sooner than this without events counts as an error.
    std::chrono::milliseconds shortWatch{std::chrono::seconds(1)};
    int watchTimeoutMinSeconds = 300;
    int watchTimeoutMaxSeconds = 600;
};

// What the UI shows about a cache: connecting, live, or waiting to retry and why.
struct InformerStatus
{
    enum class State
    {
        Stopped,
        Listing,
        Watching,
        WaitingToRetry
    };

    State state = State::Stopped;
    bool synced = false; // the cache has been filled by a list at least once
    QString message;     // plain words, e.g. "Connection lost; retrying in 3 s."
    std::optional<Error> error;
    QDateTime retryAt; // UTC; valid while WaitingToRetry
    // The last failure, kept after the informer recovered (error is cleared then).
    std::optional<InformerError> lastError;
};

class Informer : public QObject
{
    Q_OBJECT

public:
    ~Informer() override;

    void start();
    void stop();
    bool isRunning() const { return m_running; }
    bool hasSynced() const { return m_status.synced; }
    const InformerStatus &status() const { return m_status; }
    QString lastSyncResourceVersion() const { return m_lastSyncResourceVersion; }
    const ResourceKind &resourceKind() const { return m_kind; }
    const InformerOptions &options() const { return m_options; }

    // Counters for tests and diagnostics.
    int listCount() const { return m_listCount; }
    int watchCount() const { return m_watchCount; }

signals:
    void syncedChanged(bool synced);
    void statusChanged(const rollscope::kube::InformerStatus &status);
    // After every completed list (the first sync and each relist), once its changes were emitted.
    void resynced();
    // A list or watch failed; the informer retries after its backoff. Also relayed by
    // ApiClient::informerError(). Not emitted for 410 Expired, which is routine.
    void errorOccurred(const rollscope::kube::InformerError &error);

protected:
    Informer(ApiClient *client, const ResourceKind &kind, InformerOptions options, QObject *parent);

    // The typed cache: a list's items become typed values page by page as they are decoded
    // (listSink(), on worker threads), then replace everything, emitting the differences; apply()
    // takes one ADDED/MODIFIED/DELETED event. `wanted` is asked on this thread before the cache
    // changes, `then` runs after it did.
    virtual std::shared_ptr<ListSink> listSink() = 0;
    virtual void replaceAll(std::shared_ptr<ListSink> listed, std::function<bool()> wanted,
                            std::function<void()> then) = 0;
    virtual void apply(const WatchEvent &event) = 0;
    // Whether apply() decodes events from their lines (WatchEvent::line) rather than objects.
    virtual bool decodesWatchLines() const = 0;
    // For a watch whose lines are decoded: turns an event's object into the cache's value
    // (WatchLineParser::setObjectDecoder).
    virtual WatchLineParser::ObjectDecoder watchObjectDecoder() const = 0;

private:
    enum class ListMode
    {
        Initial, // RV "" (consistent), paged
        Resync,  // RV = last synced, not paged (served from the watch cache)
        Fresh    // RV "" paged, after the Resync list itself expired
    };

    void list(ListMode mode);
    void onListed(ListMode mode, std::shared_ptr<ListSink> sink, Result<ListResult> result);
    void startWatch();
    void onWatchEvents(const QList<WatchEvent> &events);
    void onWatchFinished(const WatchEnd &end);
    void retryAfterBackoff(const Error &error, bool relist, const QString &operation);
    void setState(InformerStatus::State state, const QString &message,
                  std::optional<Error> error = std::nullopt);
    void log(int level, const QString &line) const;
    QString describe() const;

    QPointer<ApiClient> m_client;
    ResourceKind m_kind;
    InformerOptions m_options;
    InformerStatus m_status;
    QString m_lastSyncResourceVersion;
    QPointer<Watch> m_watch;
    QTimer *m_retryTimer = nullptr;
    std::chrono::milliseconds m_backoff{0};
    QElapsedTimer m_sinceBackoff;
    QElapsedTimer m_sinceExpiredRelist;
    quint64 m_generation = 0;
    bool m_running = false;
    int m_listCount = 0;
    int m_watchCount = 0;
};

class InformerText
{
    Q_DECLARE_TR_FUNCTIONS(Informer)
};

// For headless commands: hears every informer of a client (ApiClient::informerError), says what
// went wrong as it happens instead of retrying silently, and decides when retrying is pointless:
// 401 and 403 are final (a retry gets the same answer), and so is a server that has not answered
// at all for `unreachableBound`.
class InformerErrorReporter : public QObject
{
    Q_OBJECT

public:
    InformerErrorReporter(ApiClient *client, std::chrono::milliseconds unreachableBound,
                          QObject *parent = nullptr);

signals:
    // A line to print (client-go's reflector words: "failed to list *v1.Pod: ..."); a failure
    // repeated by the same list or watch is reported once.
    void report(const QString &line);
    // Give up: the error says why in plain words. Emitted once.
    void fatal(const rollscope::Error &error);

private:
    void onError(const InformerError &error);
    void checkUnreachable();
    void giveUp(Error error);

    QPointer<ApiClient> m_client;
    std::chrono::milliseconds m_unreachableBound;
    QHash<QString, QString> m_lastLine; // resource + operation -> last line reported
    std::optional<Error> m_lastNetworkError;
    QTimer *m_unreachableTimer = nullptr;
    bool m_gaveUp = false;
};

// What a typed informer calls when its cache changes, as client-go's ResourceEventHandlerFuncs:
// any of them may be empty. `updated` gets the value before and after; a value deleted and
// created again under the same key (another uid) is a removal then an addition.
template<typename T>
struct InformerHandlers
{
    std::function<void(const T &value)> added = {};
    std::function<void(const T &before, const T &after)> updated = {};
    std::function<void(const T &value)> removed = {};
};

// The informer of one kind: T is one of the values in resources.h (DeploymentInfo, PodInfo...).
// Consumers register handlers instead of connecting to per-kind signals; handlers run on the
// informer's thread, in the order they were registered, and may add or remove registrations or
// delete the informer while they run.
//
// The cache holds each value once, in a Shared<T> that is never changed (a new value replaces the
// pointer): the values handlers get are those objects, and a consumer that keeps one keeps it
// with share() (sharedvalue.h) instead of a copy.
template<typename T>
class TypedInformer : public Informer
{
public:
    using Value = T;
    using Handlers = InformerHandlers<T>;

    explicit TypedInformer(ApiClient *client, InformerOptions options = {},
                           QObject *parent = nullptr)
        : Informer(client, T::kind(), std::move(options), parent)
    {}

    // Registers `handlers` until removeHandlers() or until `context` is destroyed (as a Qt
    // connection with a context object). Existing values are not replayed: a consumer that
    // joins a synced informer reads items().
    InformerHandlerId addHandlers(const QObject *context, Handlers handlers)
    {
        auto registration = std::make_shared<Registration>();
        registration->id = ++m_lastHandlerId;
        registration->context = context;
        registration->hasContext = context != nullptr;
        registration->handlers = std::move(handlers);
        if (context) {
            registration->onContextDestroyed =
                QObject::connect(context, &QObject::destroyed, this,
                                 [this, id = registration->id] { removeHandlers(id); });
        }
        m_registrations.append(registration);
        return registration->id;
    }

    void removeHandlers(InformerHandlerId id)
    {
        for (qsizetype i = 0; i < m_registrations.size(); ++i) {
            if (m_registrations.at(i)->id != id)
                continue;
            Registration &r = *m_registrations.at(i);
            r.removed = true; // a dispatch in progress skips it
            QObject::disconnect(r.onContextDestroyed);
            m_registrations.removeAt(i);
            return;
        }
    }

    qsizetype handlerCount() const { return m_registrations.size(); }

    // Values sorted by key.
    QList<T> items() const
    {
        QList<T> values;
        values.reserve(m_items.size());
        for (const Shared<T> &value : sharedItems())
            values.append(*value);
        return values;
    }
    // The same, the cache's own values.
    QList<Shared<T>> sharedItems() const
    {
        QList<QString> keys = m_items.keys();
        std::sort(keys.begin(), keys.end());
        QList<Shared<T>> values;
        values.reserve(keys.size());
        for (const QString &key : std::as_const(keys))
            values.append(m_items.value(key));
        return values;
    }
    std::optional<T> find(const QString &key) const
    {
        const T *found = value(key);
        return found ? std::optional<T>(*found) : std::nullopt;
    }
    // The cached value of `key` without a copy, or nullptr; it stays valid while it is shared,
    // and as it is in the cache until the cache next changes that key.
    const T *value(const QString &key) const
    {
        const auto it = m_items.constFind(key);
        return it == m_items.cend() ? nullptr : it->get();
    }
    qsizetype size() const { return m_items.size(); }

protected:
    // What a list changes in the cache. Computed on a worker from a snapshot of the cache; no
    // watch runs while a list is in flight, so nothing else changes the cache meanwhile (the
    // revision check below falls back to the owner thread if it ever does).
    struct Replacement
    {
        QHash<QString, Shared<T>> fresh;
        QList<Shared<T>> removed;
        QList<Shared<T>> added;
        QList<std::pair<Shared<T>, Shared<T>>> updated;
    };

    static Replacement diff(const QHash<QString, Shared<T>> &current,
                            QHash<QString, Shared<T>> fresh)
    {
        Replacement r;
        for (auto it = current.cbegin(); it != current.cend(); ++it) {
            const auto now = fresh.constFind(it.key());
            if (now == fresh.cend() || (*now)->uid != (*it)->uid)
                r.removed.append(*it); // gone, or deleted and created again under the same name
        }
        for (auto it = fresh.begin(); it != fresh.end(); ++it) {
            const auto before = current.constFind(it.key());
            if (before == current.cend() || (*before)->uid != (*it)->uid)
                r.added.append(*it);
            else if (!(**before == **it))
                r.updated.append({*before, *it});
            else
                *it = *before; // unchanged: those who share the cached value keep sharing it
        }
        r.fresh = std::move(fresh);
        return r;
    }

    // The typed values of one list, by key.
    class TypedListSink final : public ListSink
    {
    public:
        void take(QList<QJsonObject> items) override
        {
            fresh.reserve(fresh.size() + items.size());
            for (QJsonObject &object : items) {
                Shared<T> value = makeShared(T::fromJson(std::exchange(object, {})));
                fresh.insert(value->key(), std::move(value));
            }
        }
        void restart() override { fresh.clear(); }

        QHash<QString, Shared<T>> fresh;
    };

    std::shared_ptr<ListSink> listSink() override { return std::make_shared<TypedListSink>(); }

    void replaceAll(std::shared_ptr<ListSink> listed, std::function<bool()> wanted,
                    std::function<void()> then) override
    {
        const QHash<QString, Shared<T>> snapshot = m_items; // implicitly shared: no copy
        const quint64 revision = m_revision;
        // The list is complete: no worker touches the sink any more.
        QHash<QString, Shared<T>> fresh = std::move(static_cast<TypedListSink &>(*listed).fresh);
        runOffThread<Replacement>(
            this,
            [fresh = std::move(fresh), snapshot]() mutable {
                return diff(snapshot, std::move(fresh));
            },
            [this, revision, wanted = std::move(wanted), then = std::move(then)](Replacement r) {
                if (!wanted())
                    return;
                if (revision != m_revision)
                    r = diff(m_items, std::move(r.fresh));
                m_items = std::move(r.fresh);
                ++m_revision;
                // A handler may delete this informer: stop at once then.
                const QPointer<Informer> alive(this);
                for (const Shared<T> &value : std::as_const(r.removed)) {
                    if (!alive)
                        return;
                    dispatch([&value](const Handlers &h) { call(h.removed, *value); });
                }
                for (const Shared<T> &value : std::as_const(r.added)) {
                    if (!alive)
                        return;
                    dispatch([&value](const Handlers &h) { call(h.added, *value); });
                }
                // (A pair, not a structured binding: clang 14 cannot capture one in a lambda.)
                for (const std::pair<Shared<T>, Shared<T>> &change : std::as_const(r.updated)) {
                    if (!alive)
                        return;
                    dispatch([&change](const Handlers &h) {
                        call(h.updated, *change.first, *change.second);
                    });
                }
                if (alive)
                    then();
            });
    }

    // The kinds watched at scale decode watch events straight from their lines with simdjson
    // (fromWatchLine); the others from the parsed object.
    static constexpr bool kDecodesLines = requires(QByteArrayView line) { T::fromWatchLine(line); };

    bool decodesWatchLines() const override { return kDecodesLines; }

    WatchLineParser::ObjectDecoder watchObjectDecoder() const override
    {
        if constexpr (kDecodesLines) {
            return [](const fastjson::Object &object) -> std::shared_ptr<const void> {
                return makeShared(T::fromJson(object));
            };
        }
        return {};
    }

    // The event's value: the one the parser decoded (not copied: the cache keeps it), or one
    // decoded here.
    static Shared<T> decode(const WatchEvent &event)
    {
        if constexpr (kDecodesLines) {
            // Decoded by the parser with this cache's decoder: a T, held by makeShared().
            if (event.decoded)
                return std::static_pointer_cast<const T>(event.decoded);
            if (!event.line.isEmpty())
                return makeShared(T::fromWatchLine(event.line));
        }
        return makeShared(T::fromJson(event.object));
    }

    void apply(const WatchEvent &event) override
    {
        ++m_revision;
        const Shared<T> value = decode(event);
        const QString key = value->key();
        const auto it = m_items.find(key);
        if (event.type == WatchEvent::Type::Deleted) {
            if (it == m_items.end())
                return;
            m_items.erase(it);
            dispatch([&value](const Handlers &h) { call(h.removed, *value); });
            return;
        }
        if (it == m_items.end()) {
            m_items.insert(key, value);
            dispatch([&value](const Handlers &h) { call(h.added, *value); });
            return;
        }
        if ((*it)->uid != value->uid) {
            const Shared<T> before = std::exchange(*it, value);
            const QPointer<Informer> alive(this);
            dispatch([&before](const Handlers &h) { call(h.removed, *before); });
            if (alive)
                dispatch([&value](const Handlers &h) { call(h.added, *value); });
            return;
        }
        if (**it == *value)
            return; // only the resourceVersion or fields we do not keep changed
        const Shared<T> before = std::exchange(*it, value);
        dispatch([&](const Handlers &h) { call(h.updated, *before, *value); });
    }

private:
    struct Registration
    {
        InformerHandlerId id = 0;
        QPointer<const QObject> context;
        Handlers handlers;
        QMetaObject::Connection onContextDestroyed;
        bool hasContext = false;
        bool removed = false;
    };

    template<typename F, typename... Args>
    static void call(const F &handler, const Args &...args)
    {
        if (handler)
            handler(args...);
    }

    // Calls every registration present when it starts and not removed since, as long as this
    // informer lives. The list is implicitly shared: copying it costs nothing unless a handler
    // changes the registrations.
    template<typename F>
    void dispatch(const F &each)
    {
        if (m_registrations.isEmpty())
            return;
        const QList<std::shared_ptr<Registration>> registrations = m_registrations;
        const QPointer<Informer> alive(this);
        for (const std::shared_ptr<Registration> &r : registrations) {
            if (!alive)
                return;
            if (r->removed || (r->hasContext && !r->context))
                continue;
            each(r->handlers);
        }
    }

    QHash<QString, Shared<T>> m_items;
    quint64 m_revision = 0; // changes of m_items, to notice a change during a list decode
    QList<std::shared_ptr<Registration>> m_registrations;
    InformerHandlerId m_lastHandlerId = 0;
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::InformerStatus)
