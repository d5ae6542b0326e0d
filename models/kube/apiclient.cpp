// SPDX-License-Identifier: MIT
#include "kube/apiclient.h"

#include "apimachinery/httpstatus.h"
#include "common/allocator.h"
#include "common/version.h"
#include "kube/apierror.h"
#include "kube/offthread.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSslConfiguration>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <limits>
#include <utility>

namespace rollscope::kube {

using namespace std::chrono_literals;

namespace {

constexpr qsizetype kTruncatedBodyChars = 1024;
constexpr int kDefaultWatchTimeoutSeconds = 1800;

QByteArray percentEncoded(const QString &text)
{
    return QUrl::toPercentEncoding(text);
}

// Failures worth another attempt: the request may not have reached the server, or the answer
// was lost on the way. TLS, DNS and protocol mistakes repeat identically, so they are final.
bool transientNetworkError(QNetworkReply::NetworkError error)
{
    switch (error) {
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::HostNotFoundError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
    case QNetworkReply::AuthenticationRequiredError:
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
    case QNetworkReply::ProxyNotFoundError:
        return false;
    default:
        return true;
    }
}

std::optional<int> retryAfterSeconds(const QByteArray &value)
{
    // client-go accepts only whole seconds (no HTTP-date).
    bool ok = false;
    const int seconds = value.trimmed().toInt(&ok);
    if (!ok || seconds < 0)
        return std::nullopt;
    return seconds;
}

// What a Basic Authorization header carries, so an echo of the header is recognised too.
QString basicValue(const QString &username, const QString &password)
{
    return QString::fromLatin1((username + u':' + password).toUtf8().toBase64());
}

QString seconds(std::chrono::milliseconds ms)
{
    return QString::number(static_cast<double>(ms.count()) / 1000.0, 'g', 3);
}

} // namespace

// --- requests ------------------------------------------------------------------------------------

bool ApiRequest::idempotent() const
{
    return method == "GET" || method == "HEAD" || method == "PUT";
}

ApiRequest ApiRequest::get(const QString &path, const QUrlQuery &query)
{
    ApiRequest r;
    r.path = path;
    r.query = query;
    return r;
}

ApiRequest ApiRequest::patch(const QString &path, const QByteArray &contentType,
                             const QByteArray &body, const QUrlQuery &query)
{
    ApiRequest r;
    r.method = QByteArrayLiteral("PATCH");
    r.path = path;
    r.query = query;
    r.contentType = contentType;
    r.body = body;
    return r;
}

QByteArray ApiResponse::header(QByteArrayView name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject ApiResponse::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QUrlQuery ListOptions::query() const
{
    QUrlQuery q;
    if (!labelSelector.isEmpty())
        q.addQueryItem(QStringLiteral("labelSelector"), labelSelector);
    if (!fieldSelector.isEmpty())
        q.addQueryItem(QStringLiteral("fieldSelector"), fieldSelector);
    if (limit > 0)
        q.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    if (!continueToken.isEmpty())
        q.addQueryItem(QStringLiteral("continue"), continueToken);
    if (!resourceVersion.isEmpty())
        q.addQueryItem(QStringLiteral("resourceVersion"), resourceVersion);
    return q;
}

// --- ApiClient -----------------------------------------------------------------------------------

struct ApiClient::Call
{
    ApiRequest request;
    QPointer<QObject> context;
    bool hasContext = false;
    ResponseHandler done;
    Credential credential;
    QPointer<QNetworkReply> reply;
    QTimer *deadline = nullptr;
    QElapsedTimer attemptClock;
    int attempts = 0;
    int retryAfterRetries = 0;
    int connectionRetries = 0;
    bool authRetried = false;
    bool timedOut = false;
    bool waiting = false; // credential being acquired or retry scheduled
};

ApiClient::ApiClient(ClusterConfig config, QObject *parent)
    : ApiClient(std::move(config), Options(), parent)
{}

ApiClient::ApiClient(ClusterConfig config, Options options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_userAgent(QByteArrayLiteral("rollscope/") + QByteArray(kVersion))
{
    m_credentials = new CredentialProvider(std::move(config), this);
    Result<QNetworkProxy> proxy = proxyFor(m_credentials->config());
    if (!proxy)
        m_proxyError = proxy.error();
    m_manager = makeManager();
}

ApiClient::~ApiClient()
{
    // Nothing may call back into a half-destroyed client.
    const auto calls = std::exchange(m_calls, {});
    for (Call *call : calls) {
        if (call->reply) {
            call->reply->disconnect(this);
            call->reply->abort();
        }
        delete call;
    }
    for (const QPointer<Watch> &watch : std::as_const(m_watches)) {
        if (watch)
            watch->detach();
    }
}

const ClusterConfig &ApiClient::config() const
{
    return m_credentials->config();
}

QString ApiClient::serverAddress() const
{
    const QUrl &server = config().cluster.server;
    const int defaultPort = server.scheme() == u"http" ? 80 : 443;
    return server.host() + u':' + QString::number(server.port(defaultPort));
}

QNetworkAccessManager *ApiClient::makeManager()
{
    auto *manager = new QNetworkAccessManager(this);
    // The API never redirects; following one could carry the Authorization header elsewhere.
    manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    manager->setStrictTransportSecurityEnabled(false);
    manager->setAutoDeleteReplies(false);
    if (!m_proxyError) {
        Result<QNetworkProxy> proxy = proxyFor(config());
        if (proxy)
            manager->setProxy(*proxy);
    }
    return manager;
}

QUrl ApiClient::urlFor(const ApiRequest &request) const
{
    QUrl url = config().cluster.server;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + request.path);
    // Encoded by hand: QUrlQuery leaves '=' and ',' in values alone, kubectl encodes them
    // (labelSelector=app%3Ddemo), and so does this client.
    QByteArray query;
    const auto items = request.query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!query.isEmpty())
            query += '&';
        query += percentEncoded(key) + '=' + percentEncoded(value);
    }
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

QNetworkRequest ApiClient::buildRequest(const ApiRequest &request, const Credential &credential,
                                        std::chrono::milliseconds transferTimeout) const
{
    QNetworkRequest r(urlFor(request));
    configureRequest(config(), r);
    if (!m_options.http2) {
        QSslConfiguration ssl = r.sslConfiguration();
        ssl.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
        r.setSslConfiguration(ssl);
    }
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, m_options.http2);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    r.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    r.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    r.setTransferTimeout(static_cast<int>(transferTimeout.count()));
    r.setRawHeader("User-Agent", m_userAgent);
    r.setRawHeader("Accept", request.accept);
    if (!request.body.isEmpty() || request.method == "PATCH" || request.method == "POST" ||
        request.method == "PUT")
        r.setRawHeader("Content-Type", request.contentType.isEmpty()
                                           ? QByteArrayLiteral("application/json")
                                           : request.contentType);
    CredentialProvider::apply(credential, config().user, r);
    return r;
}

quint64 ApiClient::send(const ApiRequest &request, QObject *context, ResponseHandler done)
{
    const quint64 id = ++m_nextId;
    auto *call = new Call;
    call->request = request;
    call->context = context;
    call->hasContext = context != nullptr;
    call->done = std::move(done);
    call->deadline = new QTimer(this);
    call->deadline->setSingleShot(true);
    connect(call->deadline, &QTimer::timeout, this, [this, id] { onDeadline(id); });
    m_calls.insert(id, call);
    if (m_proxyError) {
        // Reported asynchronously like every other outcome.
        QTimer::singleShot(0, this, [this, id] { complete(id, *m_proxyError); });
        return id;
    }
    dispatch(id);
    return id;
}

void ApiClient::cancel(quint64 id)
{
    Call *call = m_calls.take(id);
    if (!call)
        return;
    if (call->reply) {
        call->reply->disconnect(this);
        call->reply->abort();
        call->reply->deleteLater();
    }
    delete call->deadline;
    delete call;
}

void ApiClient::dispatch(quint64 id)
{
    Call *call = m_calls.value(id);
    if (!call)
        return;
    call->waiting = true;
    QPointer<ApiClient> self(this);
    m_credentials->acquire([self, id](Result<Credential> credential) {
        if (self)
            self->onCredential(id, std::move(credential));
    });
}

void ApiClient::onCredential(quint64 id, Result<Credential> credential)
{
    Call *call = m_calls.value(id);
    if (!call || !call->waiting)
        return;
    call->waiting = false;
    if (!credential) {
        complete(id, credential.error());
        return;
    }
    call->credential = *credential;
    rememberSecrets(call->credential);
    const std::chrono::milliseconds timeout =
        call->request.timeout.count() > 0 ? call->request.timeout : m_options.requestTimeout;
    const QNetworkRequest request = buildRequest(call->request, call->credential, 0ms);
    ++call->attempts;
    ++m_requestsSent;
    call->timedOut = false;
    logRequest(request, call->request.method, call->request.body);
    call->attemptClock.start();
    QNetworkReply *reply =
        call->request.body.isEmpty() && call->request.method == "GET"
            ? m_manager->get(request)
            : m_manager->sendCustomRequest(request, call->request.method, call->request.body);
    call->reply = reply;
    connect(reply, &QNetworkReply::finished, this, [this, id] { onReplyFinished(id); });
    call->deadline->start(timeout);
}

void ApiClient::onDeadline(quint64 id)
{
    Call *call = m_calls.value(id);
    if (!call || !call->reply)
        return;
    call->timedOut = true;
    call->reply->abort(); // finished() follows
}

void ApiClient::onReplyFinished(quint64 id)
{
    Call *call = m_calls.value(id);
    if (!call || !call->reply)
        return;
    QNetworkReply *reply = call->reply;
    call->reply = nullptr;
    call->deadline->stop();
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const bool http2 = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    QByteArray reason = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toByteArray();
    if (reason.isEmpty()) // HTTP/2 has none; kubectl prints Go's http.StatusText
        reason = apimachinery::statusText(status);
    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    const qint64 ms = call->attemptClock.elapsed();
    noteReachable(status > 0);
    logResponse(call->request.method, reply->url(), status, reason, ms, reply, body);

    // No complete answer: nothing came back, the deadline cut it, or the connection broke in
    // the middle of a 2xx body (an error answer's body is complete enough to decode).
    const bool incomplete =
        status == 0 || call->timedOut ||
        (status >= 200 && status < 300 && reply->error() != QNetworkReply::NoError);
    if (incomplete) {
        const std::chrono::milliseconds timeout =
            call->request.timeout.count() > 0 ? call->request.timeout : m_options.requestTimeout;
        const Error error =
            call->timedOut
                ? ApiErrors::network(QNetworkReply::TimeoutError, {}, serverAddress(),
                                     timeout.count())
                : ApiErrors::network(reply->error(), reply->errorString(), serverAddress());
        const bool transient = call->timedOut || transientNetworkError(reply->error());
        if (transient && call->request.idempotent() &&
            call->connectionRetries < m_options.connectionRetries) {
            ++call->connectionRetries;
            const auto delay =
                m_options.connectionRetryDelay * (1 << (call->connectionRetries - 1));
            log(4, ApiClientText::tr("%1 %2 failed (%3); retrying in %4 s")
                       .arg(QString::fromLatin1(call->request.method),
                            reply->url().toDisplayString(), error.message, seconds(delay)));
            retryLater(id, delay);
            return;
        }
        complete(id, error);
        return;
    }
    noteProtocol(http2);

    if (status >= 200 && status < 300) {
        ApiResponse response;
        response.status = status;
        response.body = body;
        response.headers = reply->rawHeaderPairs();
        response.http2 = http2;
        response.attempts = call->attempts;
        complete(id, std::move(response));
        return;
    }

    if (status == 401 && !call->authRetried && m_credentials->invalidate(call->credential)) {
        call->authRetried = true;
        log(4, ApiClientText::tr(
                   "401 Unauthorized: fetching a fresh credential and trying once more"));
        dispatch(id);
        return;
    }

    if (status == 429 || status >= 500) {
        const std::optional<int> wait = retryAfterSeconds(reply->rawHeader("Retry-After"));
        if (wait && call->retryAfterRetries < m_options.maxRetryAfterRetries) {
            ++call->retryAfterRetries;
            log(4, ApiClientText::tr("Got %1 with Retry-After %2 s: retry %3 of %4")
                       .arg(status)
                       .arg(*wait)
                       .arg(call->retryAfterRetries)
                       .arg(m_options.maxRetryAfterRetries));
            retryLater(id, std::chrono::seconds(*wait));
            return;
        }
    }
    complete(id, ApiErrors::fromResponse(status, body));
}

void ApiClient::retryLater(quint64 id, std::chrono::milliseconds delay)
{
    Call *call = m_calls.value(id);
    if (!call)
        return;
    call->waiting = false;
    // The deadline timer doubles as the wait timer: one timer per call, stopped on cancel.
    call->deadline->disconnect(this);
    connect(call->deadline, &QTimer::timeout, this, [this, id] {
        Call *c = m_calls.value(id);
        if (!c)
            return;
        c->deadline->disconnect(this);
        connect(c->deadline, &QTimer::timeout, this, [this, id] { onDeadline(id); });
        dispatch(id);
    });
    call->deadline->start(delay);
}

void ApiClient::complete(quint64 id, Result<ApiResponse> result)
{
    Call *call = m_calls.take(id);
    if (!call)
        return;
    const bool deliver = !call->hasContext || call->context;
    ResponseHandler done = std::move(call->done);
    call->deadline->deleteLater();
    delete call;
    if (!result)
        result = scrubbed(result.error());
    if (deliver && done)
        done(std::move(result));
}

void ApiClient::noteProtocol(bool http2)
{
    const Protocol protocol = http2 ? Protocol::Http2 : Protocol::Http1;
    if (protocol == m_protocol)
        return;
    m_protocol = protocol;
    emit protocolDetected(protocol);
}

quint64 ApiClient::getJson(const QString &path, const QUrlQuery &query, QObject *context,
                           JsonHandler done)
{
    return send(
        ApiRequest::get(path, query), context,
        [done = std::move(done)](Result<ApiResponse> response) {
            if (!response) {
                done(response.error());
                return;
            }
            const QJsonDocument doc = QJsonDocument::fromJson(response->body);
            if (!doc.isObject()) {
                done(Error::make(Error::Kind::Protocol,
                                 ApiClientText::tr("The server answered with something that is not "
                                                   "a JSON object.")));
                return;
            }
            done(doc.object());
        });
}

namespace {

// A list body as ListResult, or why it is not one. Runs on a worker thread.
Result<ListResult> decodeList(const QByteArray &body, const ResourceKind &kind,
                              const std::shared_ptr<ListSink> &sink)
{
    // The body and its parsed document are let go once this returns: the guard, made first, runs
    // last (see FreedMemory). Counted as three times the body, an estimate of the two together
    // (not measured; it only sets how soon the next trim comes).
    const auto letGo =
        qScopeGuard([size = body.size()] { FreedMemory::noteTransientBytes(3 * qint64(size)); });
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject list = doc.object();
    // "items": null is how Go encodes an empty list.
    const QJsonValue itemsValue = list.value(u"items");
    if (!doc.isObject() || !(itemsValue.isArray() || itemsValue.isNull()))
        return Error::make(
            Error::Kind::Protocol,
            ApiClientText::tr("The server answered the list of %1 with something that is not "
                              "a list.")
                .arg(kind.plural));
    ListResult result;
    const QJsonObject metadata = list.value(u"metadata").toObject();
    result.resourceVersion = metadata.value(u"resourceVersion").toString();
    result.continueToken = metadata.value(u"continue").toString();
    result.pages = 1;
    const QJsonArray items = itemsValue.toArray();
    result.itemCount = items.size();
    result.items.reserve(items.size());
    if (sink) {
        for (const QJsonValue &item : items)
            result.items.append(item.toObject());
        sink->take(std::exchange(result.items, {}));
        return result;
    }
    for (const QJsonValue &item : items) {
        QJsonObject o = item.toObject();
        // Items of a list may leave kind and apiVersion out, as real servers do; later
        // consumers (and -o json) expect them.
        if (!o.contains(u"kind"))
            o.insert(QStringLiteral("kind"), kind.kind);
        if (!o.contains(u"apiVersion"))
            o.insert(QStringLiteral("apiVersion"), kind.apiVersion());
        result.items.append(std::move(o));
    }
    return result;
}

} // namespace

quint64 ApiClient::listPage(const ResourceKind &kind, const ListOptions &options, QObject *context,
                            ListHandler done)
{
    const ResourceKind k = kind;
    QPointer<QObject> guard(context);
    const bool hasContext = context != nullptr;
    return send(ApiRequest::get(kind.collectionPath(options.ns), options.query()), context,
                [this, k, guard, hasContext, sink = options.sink,
                 done = std::move(done)](Result<ApiResponse> response) {
                    if (!response) {
                        done(response.error());
                        return;
                    }
                    // A page can be megabytes: parse it on a worker, deliver here.
                    runOffThread<Result<ListResult>>(
                        this,
                        [body = response->body, k, sink] { return decodeList(body, k, sink); },
                        [guard, hasContext, done](Result<ListResult> result) {
                            if (hasContext && !guard)
                                return;
                            done(std::move(result));
                        });
                });
}

void ApiClient::listAll(const ResourceKind &kind, const ListOptions &options, QObject *context,
                        ListHandler done)
{
    listNext(kind, options, std::make_shared<ListResult>(), QPointer<QObject>(context),
             context != nullptr, std::move(done));
}

void ApiClient::listNext(const ResourceKind &kind, ListOptions options,
                         std::shared_ptr<ListResult> collected, QPointer<QObject> context,
                         bool hasContext, ListHandler done)
{
    if (hasContext && !context)
        return;
    const ResourceKind k = kind;
    listPage(
        kind, options, this,
        [this, k, options, collected, context, hasContext,
         done = std::move(done)](Result<ListResult> page) mutable {
            if (hasContext && !context)
                return;
            if (!page) {
                if (page.error().kind == Error::Kind::Expired && !options.continueToken.isEmpty()) {
                    // The snapshot behind the continue token is gone: start over and
                    // take everything in one answer (client-go's FullListIfExpired).
                    log(4, ApiClientText::tr("The continue token of the %1 list expired; listing "
                                             "again without paging")
                               .arg(k.plural));
                    ListOptions full = options;
                    full.continueToken.clear();
                    full.limit = 0;
                    *collected = ListResult();
                    if (full.sink)
                        full.sink->restart();
                    listNext(k, full, collected, context, hasContext, std::move(done));
                    return;
                }
                done(page.error());
                return;
            }
            if (collected->pages == 0)
                collected->resourceVersion = page->resourceVersion;
            collected->items.append(page->items);
            collected->itemCount += page->itemCount;
            collected->pages += 1;
            collected->continueToken = page->continueToken;
            if (page->continueToken.isEmpty()) {
                done(std::move(*collected));
                return;
            }
            ListOptions next = options;
            next.continueToken = page->continueToken;
            // A continue token fixes the snapshot; resourceVersion must not be repeated.
            next.resourceVersion.clear();
            listNext(k, next, collected, context, hasContext, std::move(done));
        });
}

// --- watches ---------------------------------------------------------------------------------

Watch *ApiClient::watch(const ApiRequest &request, QObject *parent)
{
    auto *watch = new Watch(this, request, parent);
    m_watches.removeAll(nullptr);
    m_watches.append(watch);
    watch->start();
    return watch;
}

QNetworkAccessManager *ApiClient::acquireWatchManager()
{
    const bool http2 = false; // see Watch::onCredential
    const int capacity = std::max(1, m_options.watchesPerHttp1Manager);
    for (WatchManager &w : m_watchManagers) {
        if (w.http2 == http2 && w.watches < capacity) {
            ++w.watches;
            return w.manager;
        }
    }
    WatchManager w;
    w.manager = makeManager();
    w.watches = 1;
    w.http2 = http2;
    m_watchManagers.append(w);
    log(5, ApiClientText::tr("Opened watch connection pool %1 (%2)")
               .arg(m_watchManagers.size())
               .arg(http2 ? QStringLiteral("HTTP/2") : QStringLiteral("HTTP/1.1")));
    return w.manager;
}

void ApiClient::releaseWatchManager(QNetworkAccessManager *manager)
{
    for (WatchManager &w : m_watchManagers) {
        if (w.manager == manager) {
            w.watches = std::max(0, w.watches - 1);
            return;
        }
    }
}

int ApiClient::watchManagerCount() const
{
    int count = 0;
    for (const WatchManager &w : m_watchManagers) {
        if (w.watches > 0)
            ++count;
    }
    return count;
}

Watch::Watch(ApiClient *client, ApiRequest request, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_request(std::move(request))
    , m_idleTimer(new QTimer(this))
{
    m_idleTimer->setSingleShot(true);
    connect(m_idleTimer, &QTimer::timeout, this, &Watch::onIdle);
    bool ok = false;
    int timeoutSeconds =
        m_request.query.queryItemValue(QStringLiteral("timeoutSeconds")).toInt(&ok);
    if (!ok || timeoutSeconds <= 0)
        timeoutSeconds = kDefaultWatchTimeoutSeconds;
    m_idleTimeout = std::chrono::seconds(timeoutSeconds) + client->options().watchIdleGrace;
    m_parser = WatchLineParser(client->options().maxWatchEventBytes);
}

Watch::~Watch()
{
    m_done = true;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    releaseManager();
}

void Watch::releaseManager()
{
    if (m_manager && m_client)
        m_client->releaseWatchManager(m_manager);
    m_manager = nullptr;
}

void Watch::detach()
{
    m_done = true;
    m_idleTimer->stop();
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply = nullptr; // owned by the client's manager, which deletes it
    }
    m_manager = nullptr;
    m_client = nullptr;
}

void Watch::start()
{
    m_clock.start();
    QPointer<Watch> self(this);
    m_client->credentials()->acquire([self](Result<Credential> credential) {
        if (self)
            self->onCredential(std::move(credential));
    });
}

void Watch::onCredential(Result<Credential> credential)
{
    if (m_done || !m_client)
        return;
    if (!credential) {
        // Reported asynchronously, so a caller connecting after watch() still hears it.
        QTimer::singleShot(0, this, [this, error = credential.error()] { finish(error); });
        return;
    }
    if (m_client->m_proxyError) {
        QTimer::singleShot(0, this, [this] { finish(*m_client->m_proxyError); });
        return;
    }
    m_credential = *credential;
    m_client->rememberSecrets(m_credential);
    m_manager = m_client->acquireWatchManager();
    // No transfer timeout: a quiet watch is normal. The idle timer catches dead connections.
    QNetworkRequest request = m_client->buildRequest(m_request, m_credential, 0ms);
    // Watches always go over HTTP/1.1, on pooled connections of their own: there the read
    // buffer limit below stops reading the socket, so TCP holds a fast or hostile server back.
    // Qt 6.4's HTTP/2 grants flow-control window as frames arrive, whatever the reader does,
    // so one flooding watch could grow this process without bound.
    request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    QSslConfiguration ssl = request.sslConfiguration();
    ssl.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
    request.setSslConfiguration(ssl);
    m_client->logRequest(request, m_request.method, {});
    ++m_client->m_requestsSent;
    m_reply = m_manager->get(request);
    // Qt hands over at most this much unread data, then stops reading the socket: a server
    // sending faster than events are handled fills its own socket, not this process.
    m_reply->setReadBufferSize(m_client->options().watchReadBufferBytes);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &Watch::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &Watch::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &Watch::onReplyFinished);
    m_idleTimer->start(m_idleTimeout);
}

void Watch::onMetaData()
{
    if (!m_reply || m_status != 0)
        return;
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status == 0)
        return;
    m_http2 = m_reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    if (m_client) {
        m_client->noteReachable(true);
        m_client->noteProtocol(m_http2);
        // One arg() call: the URL holds %3D and the like, which a later arg() would take for
        // placeholders.
        m_client->log(6, QStringLiteral("%1 %2 %3 %4 in %5 milliseconds (watch)")
                             .arg(QString::fromLatin1(m_request.method),
                                  m_reply->url().toString(QUrl::FullyEncoded),
                                  QString::number(m_status),
                                  QString::fromLatin1(apimachinery::statusText(m_status)),
                                  QString::number(m_clock.elapsed())));
    }
    if (m_status == 200) {
        m_opened = true;
        emit opened();
    }
}

qint64 Watch::bufferedBytes() const
{
    return (m_reply ? m_reply->bytesAvailable() : 0) + m_parser.pendingBytes();
}

void Watch::onReadyRead()
{
    if (!m_reply || m_done)
        return;
    if (m_status == 0)
        onMetaData();
    scheduleDrain();
}

void Watch::scheduleDrain()
{
    if (m_drainScheduled || m_done)
        return;
    m_drainScheduled = true;
    // Queued, not direct: whatever else is due (timers, signals such as SIGTERM's notifier,
    // other replies) runs between two slices.
    QMetaObject::invokeMethod(this, &Watch::drain, Qt::QueuedConnection);
}

void Watch::drain()
{
    m_drainScheduled = false;
    if (!m_reply || m_done)
        return;
    if (m_status == 0)
        onMetaData();
    if (m_done || !m_reply)
        return;
    const qint64 slice = m_client ? m_client->options().watchSliceBytes : 256 * 1024;
    const QByteArray data = m_reply->read(std::max<qint64>(slice, 4096));
    if (m_status != 200) {
        // An error answer: keep the start of its body (bounded) for the Status.
        if (m_errorBody.size() < 1024 * 1024)
            m_errorBody += data.left(1024 * 1024 - m_errorBody.size());
    } else if (!data.isEmpty()) {
        m_idleTimer->start(m_idleTimeout);
        if (m_client && m_client->verbosity() >= 9)
            m_client->log(9, QStringLiteral("Watch data: %1")
                                 .arg(m_client->scrub(QString::fromUtf8(data).trimmed())));
        Delivered delivered = deliver(m_parser.feed(data));
        // The slice and what decoding it allocated for a moment are let go (see FreedMemory).
        FreedMemory::noteTransientBytes(data.size());
        if (delivered.stopped)
            return;
        if (delivered.error) {
            abortWith(std::move(*delivered.error));
            return;
        }
    }
    if (!m_reply)
        return;
    if (m_reply->bytesAvailable() > 0) {
        scheduleDrain();
        return;
    }
    if (m_replyFinished)
        endOfReply();
}

void Watch::abortWith(Error error)
{
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    finish(std::move(error));
}

void Watch::onIdle()
{
    if (!m_reply || m_done)
        return;
    m_idleExpired = true;
    m_reply->abort(); // finished() follows
}

void Watch::onReplyFinished()
{
    if (!m_reply || m_done)
        return;
    if (m_status == 0)
        onMetaData();
    if (m_done)
        return;
    // Bytes still buffered are events too: drain them (in slices) before the end counts.
    m_replyFinished = true;
    if (m_reply->bytesAvailable() > 0 && !m_idleExpired)
        scheduleDrain();
    else
        endOfReply();
}

void Watch::endOfReply()
{
    if (!m_reply || m_done)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    const QString server = m_client ? m_client->serverAddress() : QString();

    if (m_status != 200 && m_status != 0) {
        Error error = ApiErrors::fromResponse(m_status, m_errorBody);
        if (m_status == 401 && m_client)
            m_client->credentials()->invalidate(m_credential);
        finish(std::move(error));
        return;
    }
    if (m_idleExpired) {
        finish(Error::make(
            Error::Kind::Timeout,
            ApiClientText::tr("The watch connection to %1 went quiet for %2 s and was closed.")
                .arg(
                    server,
                    QString::number(
                        std::chrono::duration_cast<std::chrono::seconds>(m_idleTimeout).count()))));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        if (m_status == 0 && m_client)
            m_client->noteReachable(false);
        finish(ApiErrors::network(reply->error(), reply->errorString(), server));
        return;
    }
    // A clean end; a last line without a newline still counts.
    Delivered delivered = deliver(m_parser.finish());
    if (delivered.stopped)
        return;
    finish(std::move(delivered.error));
}

Watch::Delivered Watch::deliver(WatchLineParser::Chunk chunk)
{
    // An ERROR event ends the watch: the events before it are delivered, none after it.
    std::optional<Error> error = std::move(chunk.error);
    QList<WatchEvent> events;
    for (WatchEvent &event : chunk.events) {
        if (event.type == WatchEvent::Type::Error) {
            error = event.error();
            break;
        }
        events.append(std::move(event));
    }
    m_events += static_cast<int>(events.size());
    if (!events.isEmpty()) {
        QPointer<Watch> self(this);
        emit eventsReceived(events);
        if (!self || m_done)
            return {true, std::nullopt};
    }
    return {false, std::move(error)};
}

void Watch::finish(std::optional<Error> error)
{
    if (m_done)
        return;
    m_done = true;
    m_idleTimer->stop();
    releaseManager();
    WatchEnd end;
    if (error && m_client)
        error = m_client->scrubbed(std::move(*error));
    end.error = std::move(error);
    end.opened = m_opened;
    end.events = m_events;
    end.durationMs = m_clock.elapsed();
    if (m_client)
        m_client->log(6,
                      QStringLiteral("watch %1 ended after %2 ms and %3 events%4")
                          .arg(m_request.path, QString::number(end.durationMs),
                               QString::number(end.events),
                               end.error ? QStringLiteral(": ") + end.error->message : QString()));
    emit finished(end);
}

// --- logging -------------------------------------------------------------------------------------

void ApiClient::setLogSink(int verbosity, LogSink sink)
{
    m_verbosity = verbosity;
    m_logSink = std::move(sink);
}

void ApiClient::log(int level, const QString &line) const
{
    if (level > m_verbosity || !m_logSink)
        return;
    m_logSink(level, scrub(line));
}

QString ApiClient::scrub(QString text) const
{
    // Belt and braces: headers are masked where they are printed, but a body or an error text
    // could still echo a credential. Every secret this client knows is cut out.
    const UserInfo &user = config().user;
    QStringList secrets{user.token, user.password};
    if (!user.password.isEmpty())
        secrets.append(basicValue(user.username, user.password));
    if (user.exec) {
        for (const auto &entry : user.exec->env)
            secrets.append(entry.second);
    }
    if (user.authProvider) {
        for (const QString &value : user.authProvider->config)
            secrets.append(value);
    }
    secrets += m_issuedSecrets;
    std::sort(secrets.begin(), secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &secret : std::as_const(secrets)) {
        if (secret.size() >= 4)
            text.replace(secret, QStringLiteral("<masked>"));
    }
    return text;
}

Error ApiClient::scrubbed(Error error) const
{
    error.message = scrub(std::move(error.message));
    error.reason = scrub(std::move(error.reason));
    for (ErrorCause &cause : error.causes) {
        cause.message = scrub(std::move(cause.message));
        cause.field = scrub(std::move(cause.field));
        cause.reason = scrub(std::move(cause.reason));
    }
    return error;
}

void ApiClient::rememberSecrets(const Credential &credential)
{
    QStringList secrets{credential.token, credential.password};
    if (!credential.password.isEmpty())
        secrets.append(basicValue(credential.username, credential.password));
    for (const QString &secret : std::as_const(secrets)) {
        if (!secret.isEmpty() && !m_issuedSecrets.contains(secret))
            m_issuedSecrets.append(secret);
    }
    // Exec credentials rotate; the last few are enough to scrub what is still in flight.
    while (m_issuedSecrets.size() > 8)
        m_issuedSecrets.removeFirst();
}

void ApiClient::noteReachable(bool answered)
{
    if (answered)
        m_unreachableSince.invalidate();
    else if (!m_unreachableSince.isValid())
        m_unreachableSince.start();
}

qint64 ApiClient::unreachableForMs() const
{
    return m_unreachableSince.isValid() ? m_unreachableSince.elapsed() : -1;
}

void ApiClient::reportInformerError(const InformerError &error)
{
    emit informerError(error);
}

QString InformerError::text() const
{
    const QString raw = serverMessage(error);
    return ApiClientText::tr("failed to %1 *%2.%3: %4")
        .arg(operation, version.section(u'/', -1), kind, raw.isEmpty() ? error.message : raw);
}

// --- Qt's network warnings -----------------------------------------------------------------------

namespace {

std::atomic<QtMessageHandler> g_previousHandler{nullptr};
std::atomic<int> g_filterVerbosity{0};

void filterNetworkMessages(QtMsgType type, const QMessageLogContext &context,
                           const QString &message)
{
    const bool network =
        context.category && QByteArrayView(context.category).startsWith("qt.network");
    if (network && g_filterVerbosity.load() < 9)
        return;
    if (QtMessageHandler previous = g_previousHandler.load()) {
        previous(type, context, message);
        return;
    }
    const QByteArray line = qFormatLogMessage(type, context, message).toLocal8Bit() + '\n';
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
}

} // namespace

QtNetworkMessageFilter::QtNetworkMessageFilter(int verbosity, QObject *parent)
    : QObject(parent)
{
    m_previousVerbosity = g_filterVerbosity.exchange(verbosity);
    m_previous = qInstallMessageHandler(filterNetworkMessages);
    m_installed = true;
    // Nested filters: the outer one's previous handler stays the one that gets the rest.
    if (m_previous != filterNetworkMessages)
        g_previousHandler.store(m_previous);
}

QtNetworkMessageFilter::~QtNetworkMessageFilter()
{
    if (!m_installed)
        return;
    g_filterVerbosity.store(m_previousVerbosity);
    if (m_previous != filterNetworkMessages) {
        qInstallMessageHandler(m_previous);
        g_previousHandler.store(nullptr);
    }
}

void ApiClient::logRequest(const QNetworkRequest &request, const QByteArray &method,
                           const QByteArray &body) const
{
    if (m_verbosity < 7 || !m_logSink)
        return;
    QStringList lines;
    if (m_verbosity >= 9) {
        QString curl = QStringLiteral("curl -v -X%1").arg(QString::fromLatin1(method));
        for (const QByteArray &name : request.rawHeaderList())
            curl += QStringLiteral(" -H \"%1: %2\"")
                        .arg(QString::fromLatin1(name),
                             redactHeaderValue(QString::fromLatin1(name),
                                               QString::fromLatin1(request.rawHeader(name))));
        curl += QStringLiteral(" '%1'").arg(request.url().toString(QUrl::FullyEncoded));
        lines << curl;
    }
    lines << QStringLiteral("Request Headers:");
    for (const QByteArray &name : request.rawHeaderList())
        lines << QStringLiteral("    %1: %2")
                     .arg(QString::fromLatin1(name),
                          redactHeaderValue(QString::fromLatin1(name),
                                            QString::fromLatin1(request.rawHeader(name))));
    if (m_verbosity >= 8 && !body.isEmpty())
        lines << QStringLiteral("Request Body: %1").arg(QString::fromUtf8(body));
    for (const QString &line : std::as_const(lines))
        log(7, line);
}

void ApiClient::logResponse(const QByteArray &method, const QUrl &url, int status,
                            const QByteArray &reason, qint64 ms, const QNetworkReply *reply,
                            const QByteArray &body) const
{
    if (m_verbosity < 6 || !m_logSink)
        return;
    const QString statusText = status > 0 ? QStringLiteral("%1 %2").arg(QString::number(status),
                                                                        QString::fromLatin1(reason))
                                          : QString();
    // One arg() call: the URL holds %3D and the like, which a later arg() would take for
    // placeholders.
    log(6, QStringLiteral("%1 %2 %3 in %4 milliseconds")
               .arg(QString::fromLatin1(method), url.toString(QUrl::FullyEncoded), statusText,
                    QString::number(ms)));
    if (m_verbosity >= 8) {
        log(8, QStringLiteral("Response Headers:"));
        for (const auto &[name, value] : reply->rawHeaderPairs())
            log(8,
                QStringLiteral("    %1: %2")
                    .arg(QString::fromLatin1(name),
                         redactHeaderValue(QString::fromLatin1(name), QString::fromLatin1(value))));
        QString text = QString::fromUtf8(body);
        if (m_verbosity < 9 && text.size() > kTruncatedBodyChars)
            text = text.left(kTruncatedBodyChars) +
                   QStringLiteral(" [truncated %1 chars]").arg(text.size() - kTruncatedBodyChars);
        log(8, QStringLiteral("Response Body: %1").arg(text));
    }
}

} // namespace rollscope::kube
