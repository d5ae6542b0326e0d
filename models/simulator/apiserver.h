// SPDX-License-Identifier: MIT
#pragma once

#include "auth.h"
#include "common/result.h"
#include "httpserver.h"
#include "resources.h"
#include "selector.h"
#include "store.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QRegularExpression>

#include <functional>
#include <memory>

namespace rollscope::sim {

class Registry;
class PodStreams;
class SimClock;
class WatchStream;

// The answer of a Service's backend to a proxied request (apiserver service proxy).
struct ProxyReply
{
    int status = 503;
    HttpHeaders headers;
    QByteArray body;
};

// Implemented by the traffic front: forwards one request to a ready endpoint of a Service.
class ServiceProxyBackend
{
public:
    virtual ~ServiceProxyBackend() = default;
    virtual void proxy(const QString &ns, const QString &service, const QString &port,
                       const QByteArray &method, const QByteArray &pathAndQuery,
                       std::function<void(ProxyReply)> done) = 0;
};

// Container logs, per pod: what `kubectl logs` reads and follows.
class LogSource
{
public:
    virtual ~LogSource() = default;
    // All lines so far ("" on success), or an error text for a container that has no logs yet.
    virtual QString logs(const QString &ns, const QString &pod, const QString &container,
                         QStringList *lines, QList<qint64> *timestamps) const = 0;
    // Calls back with each new line until the returned id is cancelled.
    virtual int follow(const QString &ns, const QString &pod, const QString &container,
                       std::function<void(qint64 timestampMs, const QString &line)> onLine,
                       std::function<void()> onEnd) = 0;
    virtual void unfollow(int id) = 0;
};

// An injected failure: the next `count` requests whose method and path match get `status`
// (with Retry-After when retryAfterSeconds > 0). Used by tests to exercise client retries.
struct FaultRule
{
    QByteArray method; // empty = any
    QRegularExpression path;
    int status = 500;
    int count = 1;
    int retryAfterSeconds = 0;
};

// The Kubernetes API over HTTPS: discovery, OpenAPI, CRUD with patches, watch, tables,
// subresources (status, scale, log, service proxy), authentication and authorization, Status
// errors. Runs on the simulator's thread; every handler answers without blocking.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    ApiServer(Registry *registry, Authenticator *authenticator, QObject *parent = nullptr);
    ~ApiServer() override;

    void setProxyBackend(ServiceProxyBackend *backend) { m_proxy = backend; }
    void setLogSource(LogSource *logs) { m_logs = logs; }
    // pods/exec and pods/portforward (the kubelet's streaming); without it they answer 404.
    void setPodStreams(PodStreams *streams) { m_podStreams = streams; }

    // Serve on an already configured HttpServer.
    HttpServer::Handler handler();
    void setServerAddress(const QString &hostPort) { m_serverAddress = hostPort; }

    // Fault injection and control, for tests.
    void addFault(const FaultRule &rule);
    void clearFaults();
    // Closes every open watch abruptly (a dropped connection).
    void dropWatches();
    // Ends every open watch cleanly (as a watch timeout would).
    void endWatches();
    int openWatchCount() const;
    // Bookmark period of watches with allowWatchBookmarks (default 60 s real time).
    void setBookmarkIntervalMs(int ms) { m_bookmarkIntervalMs = ms; }
    // Count of requests served, by verb (for tests and benchmarks).
    qint64 requestCount() const { return m_requests; }

    Registry *registry() const { return m_registry; }

private:
    friend class WatchStream;
    struct Request;

    void handle(HttpExchange *exchange);
    bool handleNonResource(Request &r);
    bool handleControl(Request &r);
    void handleResource(Request &r);
    void handleList(Request &r);
    void handleGet(Request &r);
    void handleCreate(Request &r);
    void handleUpdate(Request &r);
    void handlePatch(Request &r);
    void handleDelete(Request &r);
    void handleDeleteCollection(Request &r);
    void handleWatch(Request &r);
    // The labelSelector and fieldSelector of a list, watch or deletecollection.
    Result<ListSelector> listSelector(const Request &r) const;
    void handleLog(Request &r);
    void handleEviction(Request &r);
    void handleProxy(Request &r);
    void handlePodStream(Request &r);
    void handleReview(Request &r, const QString &group, const QString &resource);

    void sendJson(HttpExchange *exchange, int status, const QJsonObject &object,
                  const HttpHeaders &extra = {});
    void sendRaw(HttpExchange *exchange, int status, const QByteArray &body,
                 const QByteArray &contentType, const HttpHeaders &extra = {});
    void sendError(HttpExchange *exchange, const Error &error, const QString &name = {},
                   const ResourceType *type = nullptr);
    void sendObject(Request &r, int status, const QJsonObject &object,
                    const HttpHeaders &extra = {});
    bool injectFault(Request &r);

    QJsonObject present(const Request &r, const QJsonObject &stored) const;

    Registry *m_registry;
    SimClock *m_clock;
    Authenticator *m_authenticator;
    ServiceProxyBackend *m_proxy = nullptr;
    LogSource *m_logs = nullptr;
    PodStreams *m_podStreams = nullptr;
    QString m_serverAddress;
    QList<FaultRule> m_faults;
    QList<QPointer<WatchStream>> m_watches;
    int m_bookmarkIntervalMs = 60'000;
    qint64 m_requests = 0;

    // List snapshots behind continue tokens, so every page shows the first page's state.
    struct Snapshot
    {
        QList<StoredPtr> items; // with their cached encodings
        qint64 resourceVersion = 0;
        QElapsedTimer age;
    };
    QHash<QString, std::shared_ptr<Snapshot>> m_snapshots;
    quint64 m_nextSnapshot = 1;
    QByteArray m_continueKey; // per-process random HMAC key for continue tokens

    // resourceVersion -1 (with no snapshot) continues at the latest state after `key`: the
    // token a 410 hands out for the rest of a list whose snapshot is gone.
    struct ContinueToken
    {
        QString id;
        qint64 resourceVersion = 0;
        qint64 start = 0;
        QString key; // store key ("ns/name") of the last item returned: the next page is after it
    };
    QByteArray continueMac(const ContinueToken &token, const QString &scope) const;
    QString encodeContinue(const ContinueToken &token, const QString &scope) const;
    Result<ContinueToken> decodeContinue(const QString &text, const QString &scope) const;
    static Error continueExpired();
    QJsonObject inconsistentContinue(const QString &key, const QString &scope) const;
};

// Status object for an error, as the API server writes it.
QJsonObject statusObject(const Error &error, const QString &name = {},
                         const ResourceType *type = nullptr);

} // namespace rollscope::sim
