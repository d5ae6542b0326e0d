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
#include "kube/apiclient.h"
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

// The typed cache behind the concrete informers below. T is one of the values in resources.h.
template<typename T>
class InformerCache : public Informer
{
public:
    // Values sorted by key.
    QList<T> items() const
    {
        QList<QString> keys = m_items.keys();
        std::sort(keys.begin(), keys.end());
        QList<T> values;
        values.reserve(keys.size());
        for (const QString &key : std::as_const(keys))
            values.append(m_items.value(key));
        return values;
    }
    std::optional<T> find(const QString &key) const
    {
        const auto it = m_items.constFind(key);
        if (it == m_items.cend())
            return std::nullopt;
        return *it;
    }
    qsizetype size() const { return m_items.size(); }

protected:
    InformerCache(ApiClient *client, InformerOptions options, QObject *parent)
        : Informer(client, T::kind(), std::move(options), parent)
    {}

    virtual void emitAdded(const T &value) = 0;
    virtual void emitUpdated(const T &before, const T &after) = 0;
    virtual void emitRemoved(const T &value) = 0;

    // What a list changes in the cache. Computed on a worker from a snapshot of the cache; no
    // watch runs while a list is in flight, so nothing else changes the cache meanwhile (the
    // revision check below falls back to the owner thread if it ever does).
    struct Replacement
    {
        QHash<QString, T> fresh;
        QList<T> removed;
        QList<T> added;
        QList<std::pair<T, T>> updated;
    };

    static Replacement diff(const QHash<QString, T> &current, QHash<QString, T> fresh)
    {
        Replacement r;
        for (auto it = current.cbegin(); it != current.cend(); ++it) {
            const auto now = fresh.constFind(it.key());
            if (now == fresh.cend() || now->uid != it->uid)
                r.removed.append(*it); // gone, or deleted and created again under the same name
        }
        for (auto it = fresh.cbegin(); it != fresh.cend(); ++it) {
            const auto before = current.constFind(it.key());
            if (before == current.cend() || before->uid != it->uid)
                r.added.append(*it);
            else if (!(*before == *it))
                r.updated.append({*before, *it});
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
                T value = T::fromJson(std::exchange(object, {}));
                fresh.insert(value.key(), std::move(value));
            }
        }
        void restart() override { fresh.clear(); }

        QHash<QString, T> fresh;
    };

    std::shared_ptr<ListSink> listSink() override { return std::make_shared<TypedListSink>(); }

    void replaceAll(std::shared_ptr<ListSink> listed, std::function<bool()> wanted,
                    std::function<void()> then) override
    {
        const QHash<QString, T> snapshot = m_items; // implicitly shared: no copy
        const quint64 revision = m_revision;
        // The list is complete: no worker touches the sink any more.
        QHash<QString, T> fresh = std::move(static_cast<TypedListSink &>(*listed).fresh);
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
                for (const T &value : std::as_const(r.removed))
                    emitRemoved(value);
                for (const T &value : std::as_const(r.added))
                    emitAdded(value);
                for (const auto &[before, after] : std::as_const(r.updated))
                    emitUpdated(before, after);
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
                return std::make_shared<const T>(T::fromJson(object));
            };
        }
        return {};
    }

    static T decode(const WatchEvent &event)
    {
        if constexpr (kDecodesLines) {
            // Decoded by the parser with this cache's decoder: a T.
            if (event.decoded)
                return *static_cast<const T *>(event.decoded.get());
            if (!event.line.isEmpty())
                return T::fromWatchLine(event.line);
        }
        return T::fromJson(event.object);
    }

    void apply(const WatchEvent &event) override
    {
        ++m_revision;
        T value = decode(event);
        const QString key = value.key();
        const auto it = m_items.find(key);
        if (event.type == WatchEvent::Type::Deleted) {
            if (it == m_items.end())
                return;
            m_items.erase(it);
            emitRemoved(value);
            return;
        }
        if (it == m_items.end()) {
            m_items.insert(key, value);
            emitAdded(value);
            return;
        }
        if (it->uid != value.uid) {
            const T before = *it;
            *it = value;
            emitRemoved(before);
            emitAdded(value);
            return;
        }
        if (*it == value)
            return; // only the resourceVersion or fields we do not keep changed
        const T before = std::exchange(*it, value);
        emitUpdated(before, value);
    }

private:
    QHash<QString, T> m_items;
    quint64 m_revision = 0; // changes of m_items, to notice a change during a list decode
};

// One class per kind: moc needs concrete classes for typed signals.
#define ROLLSCOPE_INFORMER_OVERRIDES(Type)                                                         \
protected:                                                                                         \
    void emitAdded(const Type &value) override                                                     \
    {                                                                                              \
        emit added(value);                                                                         \
    }                                                                                              \
    void emitUpdated(const Type &before, const Type &after) override                               \
    {                                                                                              \
        emit updated(before, after);                                                               \
    }                                                                                              \
    void emitRemoved(const Type &value) override                                                   \
    {                                                                                              \
        emit removed(value);                                                                       \
    }

class DeploymentInformer final : public InformerCache<DeploymentInfo>
{
    Q_OBJECT
public:
    explicit DeploymentInformer(ApiClient *client, InformerOptions options = {},
                                QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(DeploymentInfo)
signals:
    void added(const rollscope::kube::DeploymentInfo &value);
    void updated(const rollscope::kube::DeploymentInfo &before,
                 const rollscope::kube::DeploymentInfo &after);
    void removed(const rollscope::kube::DeploymentInfo &value);
};

class ReplicaSetInformer final : public InformerCache<ReplicaSetInfo>
{
    Q_OBJECT
public:
    explicit ReplicaSetInformer(ApiClient *client, InformerOptions options = {},
                                QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(ReplicaSetInfo)
signals:
    void added(const rollscope::kube::ReplicaSetInfo &value);
    void updated(const rollscope::kube::ReplicaSetInfo &before,
                 const rollscope::kube::ReplicaSetInfo &after);
    void removed(const rollscope::kube::ReplicaSetInfo &value);
};

class PodInformer final : public InformerCache<PodInfo>
{
    Q_OBJECT
public:
    explicit PodInformer(ApiClient *client, InformerOptions options = {}, QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(PodInfo)
signals:
    void added(const rollscope::kube::PodInfo &value);
    void updated(const rollscope::kube::PodInfo &before, const rollscope::kube::PodInfo &after);
    void removed(const rollscope::kube::PodInfo &value);
};

class ServiceInformer final : public InformerCache<ServiceInfo>
{
    Q_OBJECT
public:
    explicit ServiceInformer(ApiClient *client, InformerOptions options = {},
                             QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(ServiceInfo)
signals:
    void added(const rollscope::kube::ServiceInfo &value);
    void updated(const rollscope::kube::ServiceInfo &before,
                 const rollscope::kube::ServiceInfo &after);
    void removed(const rollscope::kube::ServiceInfo &value);
};

class EndpointSliceInformer final : public InformerCache<EndpointSliceInfo>
{
    Q_OBJECT
public:
    explicit EndpointSliceInformer(ApiClient *client, InformerOptions options = {},
                                   QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(EndpointSliceInfo)
signals:
    void added(const rollscope::kube::EndpointSliceInfo &value);
    void updated(const rollscope::kube::EndpointSliceInfo &before,
                 const rollscope::kube::EndpointSliceInfo &after);
    void removed(const rollscope::kube::EndpointSliceInfo &value);
};

class EventInformer final : public InformerCache<EventInfo>
{
    Q_OBJECT
public:
    explicit EventInformer(ApiClient *client, InformerOptions options = {},
                           QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(EventInfo)
signals:
    void added(const rollscope::kube::EventInfo &value);
    void updated(const rollscope::kube::EventInfo &before, const rollscope::kube::EventInfo &after);
    void removed(const rollscope::kube::EventInfo &value);
};

class NodeInformer final : public InformerCache<NodeInfo>
{
    Q_OBJECT
public:
    explicit NodeInformer(ApiClient *client, InformerOptions options = {},
                          QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(NodeInfo)
signals:
    void added(const rollscope::kube::NodeInfo &value);
    void updated(const rollscope::kube::NodeInfo &before, const rollscope::kube::NodeInfo &after);
    void removed(const rollscope::kube::NodeInfo &value);
};

class NamespaceInformer final : public InformerCache<NamespaceInfo>
{
    Q_OBJECT
public:
    explicit NamespaceInformer(ApiClient *client, InformerOptions options = {},
                               QObject *parent = nullptr)
        : InformerCache(client, std::move(options), parent)
    {}
    ROLLSCOPE_INFORMER_OVERRIDES(NamespaceInfo)
signals:
    void added(const rollscope::kube::NamespaceInfo &value);
    void updated(const rollscope::kube::NamespaceInfo &before,
                 const rollscope::kube::NamespaceInfo &after);
    void removed(const rollscope::kube::NamespaceInfo &value);
};

#undef ROLLSCOPE_INFORMER_OVERRIDES

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::InformerStatus)
