// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"
#include "kube/credentials.h"
#include "kube/kubeconfig.h"
#include "kube/resourcekind.h"
#include "kube/watch.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrlQuery>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;
class QTimer;

namespace rollscope::kube {

class ApiClient;

// One HTTP request to the API server. `path` is the API path ("/apis/apps/v1/..."); the
// server URL's own path prefix, if any, is put in front.
struct ApiRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QString path;
    QUrlQuery query;
    QByteArray body;
    QByteArray contentType; // application/json when a body is given and this is empty
    QByteArray accept = QByteArrayLiteral("application/json");
    // Deadline of one attempt; 0 = the client's default (ApiClient::Options::requestTimeout).
    std::chrono::milliseconds timeout{0};

    // Repeating it cannot do harm, so connection failures are retried: GET and HEAD read, and a
    // PUT carries its resourceVersion (a repeat after a lost answer fails with 409 rather than
    // applying twice). DELETE is left out: a repeat would report NotFound for an object the
    // first attempt deleted. PATCH and POST are never repeated after a connection failure.
    bool idempotent() const;

    static ApiRequest get(const QString &path, const QUrlQuery &query = {});
    static ApiRequest patch(const QString &path, const QByteArray &contentType,
                            const QByteArray &body, const QUrlQuery &query = {});
};

struct ApiResponse
{
    int status = 0;
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers;
    bool http2 = false;
    int attempts = 1;

    QByteArray header(QByteArrayView name) const;
    // The body as a JSON object (empty when it is not one).
    QJsonObject json() const;
};

// Takes a list's items page by page, so that a big list is never held whole as JSON (2000 pods
// parsed into QJsonObjects take ~60 MB; as typed values, a tenth of that). take() runs on the
// worker thread that decoded the page, one page at a time, in page order; restart() runs on the
// client's thread when the list starts over (its continue token expired) and must forget what was
// taken.
class ListSink
{
public:
    virtual ~ListSink() = default;
    virtual void take(QList<QJsonObject> items) = 0;
    virtual void restart() = 0;
};

struct ListOptions
{
    QString ns; // "" = all namespaces
    QString labelSelector;
    QString fieldSelector;
    int limit = 500; // 0 = no paging
    QString resourceVersion;
    QString continueToken;
    // When set, the items go to it instead of ListResult::items (which stay empty), without the
    // kind and apiVersion a list may leave out.
    std::shared_ptr<ListSink> sink;

    QUrlQuery query() const;
};

struct ListResult
{
    QList<QJsonObject> items; // items carry kind and apiVersion even when the list left them out
    qsizetype itemCount = 0;  // how many items the list had (also when they went to a sink)
    QString resourceVersion;
    QString continueToken; // of the last page fetched
    int pages = 0;
};

// How a watch ended.
struct WatchEnd
{
    // nullopt: the server ended the stream cleanly (timeoutSeconds, EOF).
    std::optional<Error> error;
    bool opened = false; // the server answered 200 and the stream started
    int events = 0;      // events received, bookmarks included
    qint64 durationMs = 0;
};

// One watch stream (GET ...?watch=true). Started by ApiClient::watch(); events arrive batched per
// network read. Deleting it closes the stream without a finished() signal.
class Watch : public QObject
{
    Q_OBJECT

public:
    ~Watch() override;

    bool isOpen() const { return m_opened && !m_done; }
    int eventCount() const { return m_events; }
    // Bytes received but not yet turned into events: what Qt holds for the reply plus the
    // incomplete line. Bounded by Options::watchReadBufferBytes + maxWatchEventBytes.
    qint64 bufferedBytes() const;
    // True when the stream went over HTTP/2 (multiplexed with the other requests).
    bool usedHttp2() const { return m_http2; }
    // Deliver events with their lines instead of parsed objects (WatchLineParser::setKeepLines);
    // call it right after ApiClient::watch(), before the event loop runs.
    void setKeepLines(bool keep) { m_parser.setKeepLines(keep); }
    void setObjectDecoder(WatchLineParser::ObjectDecoder decoder)
    {
        m_parser.setObjectDecoder(std::move(decoder));
    }

signals:
    void opened();
    void eventsReceived(const QList<rollscope::kube::WatchEvent> &events);
    void finished(const rollscope::kube::WatchEnd &end);

private:
    friend class ApiClient;
    Watch(ApiClient *client, ApiRequest request, QObject *parent);

    void start();
    void onCredential(Result<Credential> credential);
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    // Turns at most one slice of the received bytes into events, then yields to the event loop
    // (scheduleDrain()) so timers, signals and other replies keep running under any input rate.
    void drain();
    void scheduleDrain();
    void endOfReply();
    // Emits a parsed chunk's events up to an ERROR event. `stopped`: a receiver deleted or
    // finished this watch (touch nothing more); else `error` is what ends the watch, if anything.
    struct Delivered
    {
        bool stopped = false;
        std::optional<Error> error;
    };
    Delivered deliver(WatchLineParser::Chunk chunk);
    void abortWith(Error error);
    void onIdle();
    void finish(std::optional<Error> error);
    void releaseManager();
    // The client is going away: drop the connection without signals.
    void detach();

    QPointer<ApiClient> m_client;
    ApiRequest m_request;
    Credential m_credential;
    QPointer<QNetworkReply> m_reply;
    QNetworkAccessManager *m_manager = nullptr;
    QTimer *m_idleTimer = nullptr;
    std::chrono::milliseconds m_idleTimeout{0};
    WatchLineParser m_parser;
    QElapsedTimer m_clock;
    int m_status = 0;
    int m_events = 0;
    bool m_opened = false;
    bool m_done = false;
    bool m_idleExpired = false;
    bool m_http2 = false;
    bool m_drainScheduled = false;
    bool m_replyFinished = false; // finished() came; what is still buffered is drained first
    QByteArray m_errorBody;
};

// A list or watch of an informer that failed; the informer retries after a backoff. The client
// relays these for every informer built on it (ApiClient::informerError), so a command hears
// informers that are created later too.
struct InformerError
{
    QString operation; // "list" or "watch"
    QString resource;  // plural, "pods"
    QString kind;      // "Pod"
    QString version;   // "v1", "apps/v1"
    Error error;       // already scrubbed of credentials

    // As client-go's reflector logs it: "failed to list *v1.Pod: <server message>".
    QString text() const;
};

// The one owner of the network for a cluster connection (architecture convention 3). Every
// request gets the credential from its CredentialProvider, the kubeconfig's TLS settings, a
// deadline, JSON in and out, and one typed result. Lives on the thread that creates it and
// never blocks it.
//
// Retries, as client-go does:
// - 429 and 5xx are retried only when the answer has Retry-After, after that many seconds, at
//   most 10 times; without Retry-After the error goes straight to the caller.
// - connection failures (refused, reset, timeout) are retried with backoff for idempotent
//   requests (ApiRequest::idempotent()).
// - 401: the credential is invalidated and the request sent once more when a fresh credential
//   could help (exec plugin, tokenFile); else "You must be logged in to the server
//   (Unauthorized)".
//
// Connections: Qt opens at most 6 HTTP/1.1 connections per host and QNetworkAccessManager, and
// a watch holds one for minutes, so a few watches would starve every other request on a server
// without HTTP/2. Watches therefore never use the request manager: over HTTP/2 they share one
// watch manager (one multiplexed connection), over HTTP/1.1 every block of
// Options::watchesPerHttp1Manager watches gets its own manager.
class ApiClient : public QObject
{
    Q_OBJECT

public:
    enum class Protocol
    {
        Unknown,
        Http1,
        Http2
    };
    Q_ENUM(Protocol)

    struct Options
    {
        std::chrono::milliseconds requestTimeout{std::chrono::seconds(30)};
        bool http2 = true;
        int maxRetryAfterRetries = 10;
        int connectionRetries = 3;
        std::chrono::milliseconds connectionRetryDelay{std::chrono::milliseconds(200)};
        int watchesPerHttp1Manager = 4;
        // A watch with no data for timeoutSeconds plus this long is a dead connection.
        std::chrono::milliseconds watchIdleGrace{std::chrono::seconds(30)};
        // What Qt may hold for one watch reply before it stops reading the socket (TCP
        // backpressure on HTTP/1.1), and how much of it is parsed per event-loop turn.
        qint64 watchReadBufferBytes = 1024 * 1024;
        qint64 watchSliceBytes = 256 * 1024;
        // The longest watch event line accepted. client-go's streaming decoder stops at 16 MiB;
        // the API server cannot store objects anywhere near that (etcd's request limit is
        // 1.5 MiB), so a longer line is a broken or hostile server.
        qsizetype maxWatchEventBytes = 16 * 1024 * 1024;
    };

    using ResponseHandler = std::function<void(Result<ApiResponse>)>;
    using JsonHandler = std::function<void(Result<QJsonObject>)>;
    using ListHandler = std::function<void(Result<ListResult>)>;
    // level follows kubectl's -v: 6 requests, 7 request headers, 8 response headers and
    // truncated bodies, 9 full bodies.
    using LogSink = std::function<void(int level, const QString &line)>;

    explicit ApiClient(ClusterConfig config, QObject *parent = nullptr);
    ApiClient(ClusterConfig config, Options options, QObject *parent = nullptr);
    ~ApiClient() override;

    const ClusterConfig &config() const;
    CredentialProvider *credentials() const { return m_credentials; }
    const Options &options() const { return m_options; }
    // "host:port" of the server, for messages.
    QString serverAddress() const;

    // Sends `request`; `done` runs once with the response (2xx) or the error, unless `context`
    // is destroyed or cancel() is called first. Returns an id for cancel().
    quint64 send(const ApiRequest &request, QObject *context, ResponseHandler done);
    void cancel(quint64 id);

    // GET that returns the body as a JSON object.
    quint64 getJson(const QString &path, const QUrlQuery &query, QObject *context,
                    JsonHandler done);
    // One page of a list (limit/continue as given).
    quint64 listPage(const ResourceKind &kind, const ListOptions &options, QObject *context,
                     ListHandler done);
    // A whole list, following continue tokens (all pages show the first page's snapshot). An
    // expired continue token restarts the list without paging, like client-go's pager.
    void listAll(const ResourceKind &kind, const ListOptions &options, QObject *context,
                 ListHandler done);

    // Opens a watch; the Watch is owned by `parent` (or the caller, when null).
    Watch *watch(const ApiRequest &request, QObject *parent = nullptr);

    // Request logging like kubectl -v N. Credentials are masked at every level.
    void setLogSink(int verbosity, LogSink sink);
    int verbosity() const { return m_verbosity; }
    void log(int level, const QString &line) const;

    // `text` with every credential this client knows cut out (tokens, exec-plugin tokens,
    // basic-auth passwords, also base64-encoded as in a Basic header). Every Error this client
    // hands out has been passed through scrubbed(): servers can echo what they were sent.
    QString scrub(QString text) const;
    Error scrubbed(Error error) const;

    // How long no HTTP answer has come back from the server (connection refused, reset, TLS or
    // timeouts on every attempt since the last answer); -1 while it answers.
    qint64 unreachableForMs() const;
    // Informers report their failures here; informerError() relays them.
    void reportInformerError(const InformerError &error);

    Protocol protocol() const { return m_protocol; }
    // Managers that carry watches now (for tests and diagnostics).
    int watchManagerCount() const;
    qint64 requestsSent() const { return m_requestsSent; }

signals:
    void protocolDetected(rollscope::kube::ApiClient::Protocol protocol);
    void informerError(const rollscope::kube::InformerError &error);

private:
    friend class Watch;
    struct Call;
    struct WatchManager
    {
        QNetworkAccessManager *manager = nullptr;
        int watches = 0;
        bool http2 = false;
    };

    QNetworkAccessManager *makeManager();
    QNetworkAccessManager *acquireWatchManager();
    void releaseWatchManager(QNetworkAccessManager *manager);
    QNetworkRequest buildRequest(const ApiRequest &request, const Credential &credential,
                                 std::chrono::milliseconds transferTimeout) const;
    QUrl urlFor(const ApiRequest &request) const;
    void dispatch(quint64 id);
    void onCredential(quint64 id, Result<Credential> credential);
    void onReplyFinished(quint64 id);
    void onDeadline(quint64 id);
    void retryLater(quint64 id, std::chrono::milliseconds delay);
    void complete(quint64 id, Result<ApiResponse> result);
    void noteProtocol(bool http2);
    void logRequest(const QNetworkRequest &request, const QByteArray &method,
                    const QByteArray &body) const;
    void logResponse(const QByteArray &method, const QUrl &url, int status,
                     const QByteArray &reason, qint64 ms, const QNetworkReply *reply,
                     const QByteArray &body) const;
    void rememberSecrets(const Credential &credential);
    void noteReachable(bool answered);
    void listNext(const ResourceKind &kind, ListOptions options,
                  std::shared_ptr<ListResult> collected, QPointer<QObject> context, bool hasContext,
                  ListHandler done);

    Options m_options;
    CredentialProvider *m_credentials = nullptr;
    std::optional<Error> m_proxyError;
    QNetworkAccessManager *m_manager = nullptr;
    QList<WatchManager> m_watchManagers;
    QHash<quint64, Call *> m_calls;
    QList<QPointer<Watch>> m_watches;
    // Credentials handed out (tokens from exec plugins are in no config), for scrub().
    QStringList m_issuedSecrets;
    quint64 m_nextId = 0;
    qint64 m_requestsSent = 0;
    Protocol m_protocol = Protocol::Unknown;
    QElapsedTimer m_unreachableSince; // invalid while the server answers
    int m_verbosity = 0;
    LogSink m_logSink;
    QByteArray m_userAgent;
};

class ApiClientText
{
    Q_DECLARE_TR_FUNCTIONS(ApiClient)
};

// Keeps Qt's own network warnings ("qt.network.http2: stream 3 finished with error") away from
// the user of a headless command: the command prints the errors they lead to in plain words.
// They still show at -v 9 (kubectl's level for everything on the wire). Other messages go to
// the handler that was installed before. Installs a process-wide message handler for its
// lifetime (a QObject only to be owned by one); create one per command, on the main thread.
class QtNetworkMessageFilter : public QObject
{
public:
    explicit QtNetworkMessageFilter(int verbosity, QObject *parent = nullptr);
    ~QtNetworkMessageFilter() override;
    QtNetworkMessageFilter(const QtNetworkMessageFilter &) = delete;
    QtNetworkMessageFilter &operator=(const QtNetworkMessageFilter &) = delete;

private:
    QtMessageHandler m_previous = nullptr;
    int m_previousVerbosity = 0;
    bool m_installed = false;
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::WatchEnd)
Q_DECLARE_METATYPE(rollscope::kube::InformerError)
