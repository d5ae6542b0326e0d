// SPDX-License-Identifier: MIT
#include "apiserver.h"

#include "apimachinery/httpstatus.h"
#include "clock.h"
#include "discovery.h"
#include "eventrecorder.h"
#include "json.h"
#include "jsonwriter.h"
#include "managedfields.h"
#include "openapi.h"
#include "podstreams.h"
#include "protobufbody.h"
#include "registry.h"
#include "reviews.h"
#include "schema.h"
#include "selector.h"
#include "store.h"
#include "tables.h"
#include "yamljson.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QThread>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <atomic>
#include <thread>
#include <vector>

namespace rollscope::sim {

namespace {

const QByteArray kJson = QByteArrayLiteral("application/json");

// How the API server reads a boolean query parameter (apimachinery's
// Convert_Slice_string_To_bool, used for ListOptions, PodLogOptions and the request-info verb):
// absent, "0" or any case of "false" is false; every other value, even an empty one, is true.
// So `watch=True` (the Python client) and `watch=1` watch, and nothing is a 400.
bool queryFlag(const QUrlQuery &query, const char *key)
{
    const QLatin1StringView name(key);
    if (!query.hasQueryItem(name))
        return false;
    const QString value = query.queryItemValue(name, QUrl::FullyDecoded);
    return value != u"0" && value.compare(u"false", Qt::CaseInsensitive) != 0;
}

Error badRequest(const QString &message)
{
    return apimachinery::statusError(400, message);
}

// kube-apiserver's MaxRequestBodyBytes answer (limitedReadBody).
Error requestEntityTooLarge()
{
    return apimachinery::statusError(
        413, QStringLiteral("Request entity too large: limit is %1").arg(kMaxRequestBodyBytes));
}

QString decodeSegment(const QByteArray &segment)
{
    return QUrl::fromPercentEncoding(segment);
}

bool acceptsTable(const QByteArray &accept)
{
    return accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
}

bool isProtobufOnly(const QByteArray &accept)
{
    return accept.contains("application/vnd.kubernetes.protobuf") && !accept.contains("json") &&
           !accept.contains("*/*");
}

QByteArray line(const QJsonObject &event)
{
    QByteArray out;
    jsonwriter::append(out, event);
    out += '\n';
    return out;
}

// The store keeps events.k8s.io Events as core Events.
const ResourceType &storageType(const ResourceType &type)
{
    return type == Resources::eventsV1() ? Resources::events() : type;
}

} // namespace

QJsonObject statusObject(const Error &error, const QString &name, const ResourceType *type)
{
    QJsonObject status{{QStringLiteral("kind"), QStringLiteral("Status")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("metadata"), QJsonObject()},
                       {QStringLiteral("status"), QStringLiteral("Failure")},
                       {QStringLiteral("message"), error.message},
                       {QStringLiteral("reason"), error.reason},
                       {QStringLiteral("code"), error.httpStatus}};
    QJsonObject details;
    if (!name.isEmpty())
        details.insert(QStringLiteral("name"), name);
    if (type) {
        if (!type->group.isEmpty())
            details.insert(QStringLiteral("group"), type->group);
        details.insert(QStringLiteral("kind"), error.httpStatus == 422 ? type->kind : type->plural);
    }
    if (!error.causes.isEmpty()) {
        QJsonArray causes;
        for (const ErrorCause &c : error.causes)
            causes.append(QJsonObject{{QStringLiteral("reason"), c.reason},
                                      {QStringLiteral("message"), c.message},
                                      {QStringLiteral("field"), c.field}});
        details.insert(QStringLiteral("causes"), causes);
    }
    if (!details.isEmpty())
        status.insert(QStringLiteral("details"), details);
    if (error.reason.isEmpty())
        status.remove(QStringLiteral("reason"));
    return status;
}

struct ApiServer::Request
{
    QPointer<HttpExchange> exchange;
    HttpRequest http;
    QUrlQuery query;
    Identity identity;
    QStringList segments;
    const ResourceType *type = nullptr;
    QString ns;
    QString name;
    QString subresource;
    QString proxyPath;
    QString verb;
    bool table = false;
    Tables::IncludeObject include = Tables::IncludeObject::Metadata;

    QString param(const char *key) const
    {
        return query.queryItemValue(QLatin1StringView(key), QUrl::FullyDecoded);
    }
    bool hasParam(const char *key) const { return query.hasQueryItem(QLatin1StringView(key)); }
    bool flag(const char *key) const { return queryFlag(query, key); }
};

// --- watch ------------------------------------------------------------------------------------

class WatchStream : public QObject
{
public:
    WatchStream(ApiServer *server, ApiServer::Request request, ListSelector selector)
        : QObject(server)
        , m_server(server)
        , m_exchange(request.exchange)
        , m_type(*request.type)
        , m_ns(request.ns)
        , m_selector(std::move(selector))
        , m_table(request.table)
        , m_include(request.include)
        , m_bookmarks(request.flag("allowWatchBookmarks"))
    {
        connect(m_exchange, &HttpExchange::closed, this, &WatchStream::stop);
        const QString timeout = request.param("timeoutSeconds");
        // Without timeoutSeconds the API server picks 30-60 min; so do we.
        const qint64 seconds = timeout.isEmpty()
                                   ? 1800 + server->m_registry->random()->bounded(1800)
                                   : timeout.toLongLong();
        m_timeout.setSingleShot(true);
        connect(&m_timeout, &QTimer::timeout, this, &WatchStream::finish);
        m_timeout.start(int(qBound<qint64>(1, seconds, qint64(24 * 3600)) * 1000));
        if (m_bookmarks) {
            connect(&m_bookmarkTimer, &QTimer::timeout, this, [this] { sendBookmark(); });
            m_bookmarkTimer.start(server->m_bookmarkIntervalMs);
        }
        m_sendInitialEvents = request.flag("sendInitialEvents");
        m_resourceVersion = request.param("resourceVersion");
    }

    ~WatchStream() override { unsubscribe(); }

    void start()
    {
        Store *store = m_server->m_registry->store();
        m_exchange->beginStream(200, {{QByteArrayLiteral("Content-Type"), kJson},
                                      {QByteArrayLiteral("Cache-Control"), "no-cache, private"}});
        const ResourceType &storage = storageType(m_type);
        m_lastVersion = store->currentResourceVersion();
        if (m_resourceVersion.isEmpty() || m_resourceVersion == u"0") {
            // Synthetic ADDED events for the current state, then changes.
            store->forEachStored(storage, m_ns, [this](const StoredPtr &o) {
                if (matches(o->object()))
                    send(QStringLiteral("ADDED"), o->object(), o.get());
                return m_exchange != nullptr;
            });
            if (m_sendInitialEvents && m_bookmarks)
                sendBookmark(true);
        } else {
            bool ok = false;
            const qint64 since = m_resourceVersion.toLongLong(&ok);
            const auto events = ok ? store->eventsAfter(storage, since) : std::nullopt;
            if (!events) {
                // The watch cache answers 200, one ERROR event with a 410 Status, and closes.
                const Error expired = apimachinery::statusError(
                    410, QStringLiteral("too old resource version: %1 (%2)")
                             .arg(m_resourceVersion)
                             .arg(store->oldestResumableVersion(storage)));
                writeEvent(QStringLiteral("ERROR"), statusObject(expired));
                finish();
                return;
            }
            for (const StoreEvent &event : *events)
                onEvent(event);
        }
        m_subscription = store->subscribe([this](const StoreEvent &e) { onEvent(e); });
    }

    void stop()
    {
        unsubscribe();
        m_timeout.stop();
        m_bookmarkTimer.stop();
        deleteLater();
    }

    void finish()
    {
        unsubscribe();
        if (m_exchange)
            m_exchange->end();
        stop();
    }

    void drop()
    {
        unsubscribe();
        if (m_exchange)
            m_exchange->abort();
        stop();
    }

private:
    void unsubscribe()
    {
        if (m_subscription != 0) {
            m_server->m_registry->store()->unsubscribe(m_subscription);
            m_subscription = 0;
        }
    }

    bool inNamespace(const QJsonObject &o) const { return m_ns.isEmpty() || json::ns(o) == m_ns; }

    bool matches(const QJsonObject &o) const { return inNamespace(o) && m_selector.matches(o); }

    void onEvent(const StoreEvent &event)
    {
        if (!m_exchange || *event.resource != storageType(m_type))
            return;
        m_lastVersion = event.resourceVersion;
        const bool now = matches(event.object);
        const bool before = !event.previous.isEmpty() && matches(event.previous);
        switch (event.type) {
        case EventType::Added:
            if (now)
                send(QStringLiteral("ADDED"), event.object, event.stored.get());
            break;
        case EventType::Modified:
            if (now && before)
                send(QStringLiteral("MODIFIED"), event.object, event.stored.get());
            else if (now)
                send(QStringLiteral("ADDED"), event.object, event.stored.get());
            else if (before) {
                // Stopped matching: DELETED with the previous state and the new version.
                QJsonObject last = event.previous;
                json::set(last, {u"metadata", u"resourceVersion"},
                          QString::number(event.resourceVersion));
                send(QStringLiteral("DELETED"), last);
            }
            break;
        case EventType::Deleted:
            if (before || now)
                send(QStringLiteral("DELETED"), event.object, event.stored.get());
            break;
        }
    }

    // `cached`: the stored version's shared encodings, when it is sent as stored.
    void send(const QString &type, const QJsonObject &stored, const StoredObject *cached = nullptr)
    {
        if (cached && !m_table && !(m_type == Resources::eventsV1())) {
            // The line `line()` writes, around the one encoding every watch shares (keys in
            // QJsonObject's order: "object" before "type").
            if (!m_exchange)
                return;
            const QByteArray &encoded = cached->json();
            QByteArray out;
            out.reserve(encoded.size() + 32);
            out += "{\"object\":";
            out += encoded;
            out += ",\"type\":";
            jsonwriter::appendString(out, type);
            out += "}\n";
            writeLine(out);
            return;
        }
        QJsonObject object = m_type == Resources::eventsV1() ? EventsV1::fromCore(stored) : stored;
        if (m_table) {
            object = Tables::table(
                m_type, {object}, m_server->m_clock->wallNowMs(), m_include, !m_sentColumns,
                QJsonObject{{QStringLiteral("resourceVersion"),
                             json::string(stored, {u"metadata", u"resourceVersion"})}});
            m_sentColumns = true;
        }
        writeEvent(type, object);
    }

    void sendBookmark(bool initialEventsEnd = false)
    {
        if (!m_exchange)
            return;
        QJsonObject metadata{
            {QStringLiteral("resourceVersion"),
             QString::number(m_server->m_registry->store()->currentResourceVersion())}};
        if (initialEventsEnd)
            metadata.insert(
                QStringLiteral("annotations"),
                QJsonObject{{QStringLiteral("k8s.io/initial-events-end"), QStringLiteral("true")}});
        writeEvent(QStringLiteral("BOOKMARK"),
                   QJsonObject{{QStringLiteral("kind"), m_type.kind},
                               {QStringLiteral("apiVersion"), m_type.apiVersion()},
                               {QStringLiteral("metadata"), metadata}});
    }

    void writeEvent(const QString &type, const QJsonObject &object)
    {
        if (!m_exchange)
            return;
        writeLine(
            line(QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("object"), object}}));
    }

    void writeLine(const QByteArray &text)
    {
        m_exchange->write(text);
        // A reader that falls this far behind is cut off, as the API server does.
        if (m_exchange && m_exchange->pendingBytes() > 64 * 1024 * 1024)
            drop();
    }

    ApiServer *m_server;
    QPointer<HttpExchange> m_exchange;
    const ResourceType &m_type;
    QString m_ns;
    ListSelector m_selector;
    bool m_table;
    Tables::IncludeObject m_include;
    bool m_bookmarks;
    bool m_sendInitialEvents = false;
    bool m_sentColumns = false;
    QString m_resourceVersion;
    qint64 m_lastVersion = 0;
    Store::SubscriptionId m_subscription = 0;
    QTimer m_timeout;
    QTimer m_bookmarkTimer;
};

// --- server -----------------------------------------------------------------------------------

ApiServer::ApiServer(Registry *registry, Authenticator *authenticator, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_clock(registry->clock())
    , m_authenticator(authenticator)
{
    // Never the seeded generator: continue tokens must not be predictable.
    m_continueKey.resize(32);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(m_continueKey.data()),
                                          m_continueKey.size() / 4);
}

ApiServer::~ApiServer()
{
    for (const auto &watch : std::as_const(m_watches)) {
        if (watch)
            delete watch.data();
    }
}

HttpServer::Handler ApiServer::handler()
{
    return [this](HttpExchange *exchange) { handle(exchange); };
}

void ApiServer::addFault(const FaultRule &rule)
{
    m_faults << rule;
}

void ApiServer::clearFaults()
{
    m_faults.clear();
}

void ApiServer::dropWatches()
{
    const auto watches = m_watches;
    for (const auto &w : watches) {
        if (w)
            w->drop();
    }
}

void ApiServer::endWatches()
{
    const auto watches = m_watches;
    for (const auto &w : watches) {
        if (w)
            w->finish();
    }
}

int ApiServer::openWatchCount() const
{
    int n = 0;
    for (const auto &w : m_watches) {
        if (w)
            ++n;
    }
    return n;
}

void ApiServer::sendRaw(HttpExchange *exchange, int status, const QByteArray &body,
                        const QByteArray &contentType, const HttpHeaders &extra)
{
    if (!exchange)
        return;
    HttpHeaders headers{
        {QByteArrayLiteral("Content-Type"), contentType},
        {QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache, private")}};
    headers += extra;
    exchange->respond(status, headers, body);
}

void ApiServer::sendJson(HttpExchange *exchange, int status, const QJsonObject &object,
                         const HttpHeaders &extra)
{
    sendRaw(exchange, status, jsonwriter::compact(object), kJson, extra);
}

void ApiServer::sendError(HttpExchange *exchange, const Error &error, const QString &name,
                          const ResourceType *type)
{
    Error e = error;
    if (e.httpStatus == 0) { // not an API error: whatever failed inside is an internal error
        e.httpStatus = 500;
        e.reason = apimachinery::statusReason(500);
    }
    sendJson(exchange, e.httpStatus, statusObject(e, name, type));
}

QJsonObject ApiServer::present(const Request &r, const QJsonObject &stored) const
{
    if (*r.type == Resources::eventsV1())
        return EventsV1::fromCore(stored);
    return stored;
}

void ApiServer::sendObject(Request &r, int status, const QJsonObject &object,
                           const HttpHeaders &extra)
{
    if (r.table && r.subresource.isEmpty()) {
        sendJson(
            r.exchange, status,
            Tables::table(*r.type, {present(r, object)}, m_clock->wallNowMs(), r.include, true,
                          QJsonObject{{QStringLiteral("resourceVersion"),
                                       json::string(object, {u"metadata", u"resourceVersion"})}}),
            extra);
        return;
    }
    sendJson(r.exchange, status, present(r, object), extra);
}

void ApiServer::handle(HttpExchange *exchange)
{
    ++m_requests;
    Request r;
    r.exchange = exchange;
    r.http = exchange->request();
    // Query strings are form-encoded, as Go's url.ParseQuery reads them: '+' is a space (a
    // literal plus arrives as %2B), so `labelSelector=app+in+(a,b)` works.
    QByteArray rawQuery = r.http.query();
    rawQuery.replace('+', "%20");
    r.query = QUrlQuery(QString::fromUtf8(rawQuery));
    const QList<QByteArray> raw = r.http.path().split('/');
    for (const QByteArray &s : raw) {
        if (!s.isEmpty())
            r.segments << decodeSegment(s);
    }
    const QString path = QString::fromUtf8(r.http.path());

    // Health endpoints are open, as on kube-apiserver with anonymous auth for them.
    if (path == u"/healthz" || path == u"/livez" || path == u"/readyz") {
        sendRaw(exchange, 200, QByteArrayLiteral("ok"),
                QByteArrayLiteral("text/plain; charset=utf-8"));
        return;
    }

    const auto identity = m_authenticator->authenticate(r.http);
    if (!identity) {
        sendError(exchange, apimachinery::statusError(401, QStringLiteral("Unauthorized")));
        return;
    }
    r.identity = *identity;

    if (injectFault(r))
        return;
    // Resource requests answer 413 after authorization (handleResource); the rest here.
    if (r.http.bodyTooLarge && r.segments.value(0) != u"api" && r.segments.value(0) != u"apis")
        return sendError(exchange, requestEntityTooLarge());
    if (handleControl(r))
        return;
    if (handleNonResource(r))
        return;
    handleResource(r);
}

bool ApiServer::injectFault(Request &r)
{
    const QString path = QString::fromUtf8(r.http.path());
    for (qsizetype i = 0; i < m_faults.size(); ++i) {
        FaultRule &rule = m_faults[i];
        if (!rule.method.isEmpty() && rule.method != r.http.method)
            continue;
        if (!rule.path.match(path).hasMatch())
            continue;
        const FaultRule hit = rule;
        if (--rule.count <= 0)
            m_faults.removeAt(i);
        if (hit.status == 0) {
            r.exchange->abort(); // a dropped connection
            return true;
        }
        QString reason = QStringLiteral("InternalError");
        QString message = QStringLiteral("Internal error occurred: injected fault");
        if (hit.status == 429) {
            reason = QStringLiteral("TooManyRequests");
            message = QStringLiteral("Too many requests, please try again later.");
        } else if (hit.status == 503) {
            reason = QStringLiteral("ServiceUnavailable");
            message = QStringLiteral("The server is currently unable to handle the request");
        }
        Error e = apimachinery::statusError(hit.status, message, reason);
        QJsonObject status = statusObject(e);
        HttpHeaders extra;
        if (hit.retryAfterSeconds > 0) {
            extra.append(
                {QByteArrayLiteral("Retry-After"), QByteArray::number(hit.retryAfterSeconds)});
            status.insert(
                QStringLiteral("details"),
                QJsonObject{{QStringLiteral("retryAfterSeconds"), hit.retryAfterSeconds}});
        }
        sendJson(r.exchange, hit.status, status, extra);
        return true;
    }
    return false;
}

bool ApiServer::handleControl(Request &r)
{
    // /sim/v1/...: test control for out-of-process clients (admin only).
    if (r.segments.value(0) != u"sim")
        return false;
    if (!r.identity.groups.contains(QLatin1StringView(kAdminGroup))) {
        sendError(r.exchange, apimachinery::statusError(
                                  403, QStringLiteral("forbidden: User \"%1\" cannot use the "
                                                      "simulator control API")
                                           .arg(r.identity.user)));
        return true;
    }
    const QString action = r.segments.value(2);
    if (r.http.method != "POST") {
        sendError(r.exchange, apimachinery::statusError(405, QStringLiteral("use POST")));
        return true;
    }
    const QJsonObject body = QJsonDocument::fromJson(r.http.body).object();
    if (action == u"faults") {
        FaultRule rule;
        rule.method = body.value(u"method").toString().toLatin1();
        rule.path = QRegularExpression(body.value(u"path").toString());
        rule.status = int(body.value(u"status").toInteger(500));
        rule.count = int(body.value(u"count").toInteger(1));
        rule.retryAfterSeconds = int(body.value(u"retryAfterSeconds").toInteger(0));
        addFault(rule);
    } else if (action == u"drop-watches") {
        dropWatches();
    } else if (action == u"end-watches") {
        endWatches();
    } else if (action == u"compact") {
        // Forget the watch history so resuming watches get 410 Expired.
        m_registry->store()->compact();
    } else {
        sendError(r.exchange,
                  apimachinery::statusError(404, QStringLiteral("unknown control action")));
        return true;
    }
    sendJson(r.exchange, 200,
             QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                         {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                         {QStringLiteral("status"), QStringLiteral("Success")}});
    return true;
}

bool ApiServer::handleNonResource(Request &r)
{
    const QStringList &s = r.segments;
    const QString path = QString::fromUtf8(r.http.path());
    // Discovery, /version and /openapi are non-resource requests, authorized by their path as
    // kube-apiserver does (system:discovery lets every authenticated user get them).
    const bool resourceRequest =
        (s.value(0) == u"api" && s.size() > 2) || (s.value(0) == u"apis" && s.size() > 3);
    if (!resourceRequest) {
        Attributes attributes;
        attributes.resourceRequest = false;
        attributes.verb = QString::fromLatin1(r.http.method).toLower();
        attributes.path = path;
        if (!Authorizer::decide(r.identity, attributes).allowed) {
            sendError(r.exchange,
                      apimachinery::statusError(403, Authorizer::forbiddenPathMessage(
                                                         r.identity, attributes.verb, path)));
            return true;
        }
    }
    if (path == u"/version") {
        sendJson(r.exchange, 200, Discovery::version());
        return true;
    }
    if (s.value(0) == u"openapi") {
        const OpenApi::Reply reply =
            OpenApi::serve(s.mid(1).join(u'/'), r.query.queryItemValue(QStringLiteral("hash")),
                           r.http.header(QByteArrayLiteral("accept")),
                           r.http.header(QByteArrayLiteral("if-none-match")));
        if (reply.status == 404) {
            sendError(r.exchange,
                      apimachinery::statusError(404, QStringLiteral("the server could not find the "
                                                                    "requested resource")));
        } else if (r.exchange) {
            // The reply's caching headers replace the default no-cache.
            HttpHeaders headers;
            if (!reply.contentType.isEmpty())
                headers << qMakePair(QByteArrayLiteral("Content-Type"), reply.contentType);
            bool cacheControl = false;
            for (const auto &h : reply.headers)
                cacheControl = cacheControl || h.first == "Cache-Control";
            if (!cacheControl)
                headers << qMakePair(QByteArrayLiteral("Cache-Control"),
                                     QByteArrayLiteral("no-cache, private"));
            headers += reply.headers;
            r.exchange->respond(reply.status, headers, reply.body);
        }
        return true;
    }
    if (path == u"/api" || path == u"/api/") {
        sendJson(r.exchange, 200, Discovery::apiVersions(m_serverAddress));
        return true;
    }
    if (path == u"/apis" || path == u"/apis/") {
        sendJson(r.exchange, 200, Discovery::apiGroupList());
        return true;
    }
    QString groupVersion;
    if (s.value(0) == u"api" && s.size() == 2)
        groupVersion = s.value(1);
    else if (s.value(0) == u"apis" && s.size() == 3)
        groupVersion = s.value(1) + u'/' + s.value(2);
    else if (s.value(0) == u"apis" && s.size() == 2)
        groupVersion = s.value(1);
    if (!groupVersion.isEmpty()) {
        if (!groupVersion.contains(u'/') && s.value(0) == u"apis") {
            // /apis/GROUP: APIGroup.
            const QJsonArray groups = Discovery::apiGroupList().value(u"groups").toArray();
            for (const QJsonValue &g : groups) {
                if (g.toObject().value(u"name").toString() == groupVersion) {
                    QJsonObject group = g.toObject();
                    group.insert(QStringLiteral("kind"), QStringLiteral("APIGroup"));
                    group.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
                    sendJson(r.exchange, 200, group);
                    return true;
                }
            }
        } else {
            const QJsonObject list = Discovery::apiResourceList(groupVersion);
            if (!list.isEmpty()) {
                sendJson(r.exchange, 200, list);
                return true;
            }
        }
        sendError(r.exchange, apimachinery::statusError(
                                  404, QStringLiteral("the server could not find the requested "
                                                      "resource")));
        return true;
    }
    if (s.value(0) != u"api" && s.value(0) != u"apis") {
        sendError(r.exchange, apimachinery::statusError(
                                  404, QStringLiteral("the server could not find the requested "
                                                      "resource")));
        return true;
    }
    return false;
}

void ApiServer::handleResource(Request &r)
{
    const QStringList &s = r.segments;
    QString group;
    QString version;
    QStringList rest;
    if (s.value(0) == u"api") {
        version = s.value(1);
        rest = s.mid(2);
    } else {
        group = s.value(1);
        version = s.value(2);
        rest = s.mid(3);
    }
    auto notFound = [&] {
        sendError(r.exchange, apimachinery::statusError(
                                  404, QStringLiteral("the server could not find the requested "
                                                      "resource")));
    };
    if (rest.isEmpty())
        return notFound();
    if (rest.size() == 1 && Reviews::serves(group, version, rest.value(0)))
        return handleReview(r, group, rest.value(0));

    QString resource;
    if (rest.value(0) == u"namespaces" && rest.size() >= 3 && group.isEmpty() &&
        (rest.value(2) == u"status" || rest.value(2) == u"finalize")) {
        resource = QStringLiteral("namespaces");
        r.name = rest.value(1);
        r.subresource = rest.value(2);
    } else if (rest.value(0) == u"namespaces" && rest.size() >= 3) {
        r.ns = rest.value(1);
        resource = rest.value(2);
        r.name = rest.value(3);
        r.subresource = rest.value(4);
        if (rest.size() > 5)
            r.proxyPath = rest.mid(5).join(u'/');
    } else {
        resource = rest.value(0);
        r.name = rest.value(1);
        r.subresource = rest.value(2);
        if (rest.size() > 3)
            r.proxyPath = rest.mid(3).join(u'/');
    }
    r.type = Resources::find(group, version, resource);
    if (!r.type)
        return notFound();
    if (!r.type->namespaced && !r.ns.isEmpty())
        return notFound();
    if (r.type->namespaced && r.ns.isEmpty() && !r.name.isEmpty())
        return notFound();
    const bool eviction = r.subresource == u"eviction" && *r.type == Resources::pods();
    // The kubelet's streaming subresources (podstreams.h).
    const bool podStream = *r.type == Resources::pods() && !r.name.isEmpty() &&
                           (r.subresource == u"exec" || r.subresource == u"portforward");
    const bool knownSubresource =
        r.subresource.isEmpty() || r.type->subresources.contains(r.subresource) || eviction ||
        podStream || (r.subresource == u"finalize" && *r.type == Resources::namespaces());

    const QByteArray method = r.http.method;
    const bool watch = r.flag("watch");
    if (method == "GET")
        r.verb = !r.name.isEmpty() ? QStringLiteral("get")
                 : watch           ? QStringLiteral("watch")
                                   : QStringLiteral("list");
    else if (method == "POST")
        r.verb = QStringLiteral("create");
    else if (method == "PUT")
        r.verb = QStringLiteral("update");
    else if (method == "PATCH")
        r.verb = QStringLiteral("patch");
    else if (method == "DELETE")
        r.verb = r.name.isEmpty() ? QStringLiteral("deletecollection") : QStringLiteral("delete");
    else {
        sendError(r.exchange, apimachinery::statusError(
                                  405, QStringLiteral("the server does not allow this method on "
                                                      "the requested resource")));
        return;
    }
    if (r.subresource == u"proxy")
        r.verb = method == "GET" ? QStringLiteral("get") : r.verb;
    // A WebSocket GET to exec or portforward needs `create`, as a POST does (Kubernetes 1.31+).
    if (podStream && (method == "GET" || method == "POST"))
        r.verb = QStringLiteral("create");

    // Authorization comes first, as in kube-apiserver's filter chain: a caller that may not do
    // something learns nothing about what exists (a viewer evicting a missing pod gets 403).
    Access access{r.verb, r.type, r.subresource, r.ns, r.name};
    if (!Authorizer::allowed(r.identity, access)) {
        Error e = apimachinery::statusError(403, Authorizer::forbiddenMessage(r.identity, access));
        sendError(r.exchange, e, r.name, r.type);
        return;
    }
    if (!knownSubresource)
        return notFound();
    if (r.http.bodyTooLarge)
        return sendError(r.exchange, requestEntityTooLarge());

    const QByteArray accept = r.http.header(QByteArrayLiteral("accept"));
    if (isProtobufOnly(accept)) {
        sendError(r.exchange, apimachinery::statusError(
                                  406, QStringLiteral("only the following media types are "
                                                      "accepted: application/json, "
                                                      "application/yaml")));
        return;
    }
    r.table = acceptsTable(accept);
    const QString include = r.param("includeObject");
    if (include == u"Object")
        r.include = Tables::IncludeObject::Object;
    else if (include == u"None")
        r.include = Tables::IncludeObject::None;

    if (eviction)
        return handleEviction(r);
    if (podStream)
        return handlePodStream(r);
    if (r.subresource == u"log")
        return handleLog(r);
    if (r.subresource == u"proxy")
        return handleProxy(r);
    // The request-info verb picks the handler; what remains is a "deletecollection".
    using Handler = void (ApiServer::*)(Request &);
    static constexpr std::pair<QStringView, Handler> byVerb[] = {
        {u"get", &ApiServer::handleGet},       {u"list", &ApiServer::handleList},
        {u"watch", &ApiServer::handleWatch},   {u"create", &ApiServer::handleCreate},
        {u"update", &ApiServer::handleUpdate}, {u"patch", &ApiServer::handlePatch},
        {u"delete", &ApiServer::handleDelete}};
    for (const auto &[verb, handler] : byVerb) {
        if (r.verb == verb)
            return (this->*handler)(r);
    }
    return handleDeleteCollection(r);
}

namespace {

// Encodes the items of a list that no list or watch has encoded yet on several threads before
// the list is written: the first list of 20,000 pods after the simulator starts encodes ~96 MiB,
// which one core does in about a second. The snapshot's objects are immutable and each encoding
// is made once (StoredObject), so the threads share the work without further coordination; the
// simulator's thread takes part and waits for the others, so nothing else runs meanwhile.
void encodeListItemsInParallel(const QList<StoredPtr> &items, qsizetype start, qsizetype end)
{
    constexpr qsizetype kMinItems = 512;
    constexpr qsizetype kChunk = 64;
    const int helpers = qBound(0, QThread::idealThreadCount() - 1, 3);
    if (helpers == 0 || end - start < kMinItems)
        return;
    qsizetype missing = 0;
    for (qsizetype i = start; i < end && missing < kMinItems; ++i)
        missing += items.at(i)->hasListItemJson() ? 0 : 1;
    if (missing < kMinItems)
        return;
    std::atomic<qsizetype> next{start};
    const auto work = [&items, &next, end] {
        for (;;) {
            const qsizetype from = next.fetch_add(kChunk, std::memory_order_relaxed);
            if (from >= end)
                return;
            for (qsizetype i = from; i < qMin(from + kChunk, end); ++i)
                (void)items.at(i)->listItemJson();
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(size_t(helpers));
    for (int h = 0; h < helpers; ++h)
        threads.emplace_back(work);
    work();
    for (std::thread &t : threads)
        t.join();
}

// An object's key in the store, the order lists come in: "ns/name", or "name".
QString storeKey(const QJsonObject &object)
{
    const QString ns = json::ns(object);
    return ns.isEmpty() ? json::name(object) : ns + u'/' + json::name(object);
}

Subresource subresourceOf(const QString &name)
{
    if (name == u"status")
        return Subresource::Status;
    if (name == u"scale")
        return Subresource::Scale;
    return Subresource::None;
}

// `into`: the endpoint's type for a create or update, whose body may be protobuf (typed clients
// such as kubectl create send it); `scale` when that is its scale subresource.
Result<QJsonObject> parseBody(const HttpRequest &http, const ResourceType *into = nullptr,
                              bool scale = false)
{
    const QByteArray type = http.header(QByteArrayLiteral("content-type"));
    if (type.contains("protobuf") && into)
        return scale ? ProtobufBody::decode(http.body, QStringLiteral("autoscaling/v1"),
                                            QStringLiteral("Scale"))
                     : ProtobufBody::decode(http.body, into->apiVersion(), into->kind);
    if (type.contains("protobuf")) {
        return apimachinery::statusError(
            415, QStringLiteral("the body of the request was in an unknown format - accepted media "
                                "types include: application/json, application/yaml"));
    }
    if (type.contains("yaml"))
        return yamlToJsonObject(http.body);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(http.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject()) {
        return badRequest(QStringLiteral("couldn't get version/kind; json parse error: %1")
                              .arg(error.errorString()));
    }
    return doc.object();
}

// A body its typed object cannot hold: 400, worded as the API server's transformDecodeError.
std::optional<Error> decodeError(const ResourceType &type, const QJsonObject &body,
                                 const QByteArray &raw, Subresource sub)
{
    const auto problem = Registry::decodeProblem(type, body, sub);
    if (!problem)
        return std::nullopt;
    const QString into = sub == Subresource::Scale ? QStringLiteral("Scale") : type.kind;
    const QString kind = body.value(u"kind").toString();
    if (!kind.isEmpty())
        return badRequest(QStringLiteral("%1 in version \"%2\" cannot be handled as a %3: %4")
                              .arg(kind.left(256),
                                   body.value(u"apiVersion").toString().section(u'/', -1).left(256),
                                   into, *problem));
    const QString summary = raw.size() > 30
                                ? QString::fromUtf8(raw.left(30)) + QStringLiteral(" ...")
                                : QString::fromUtf8(raw);
    return badRequest(
        QStringLiteral("the object provided is unrecognized (must be of type %1): %2 (%3)")
            .arg(into, *problem, summary));
}

// 422 on a write's options object (CreateOptions, UpdateOptions, PatchOptions), as
// ValidateCreateOptions and its siblings answer: `field` is invalid, `cause` says how.
Error invalidWriteOption(const QString &verb, const QString &field, const QString &cause,
                         const QString &detail)
{
    const QString options = verb == u"create"   ? QStringLiteral("CreateOptions")
                            : verb == u"update" ? QStringLiteral("UpdateOptions")
                                                : QStringLiteral("PatchOptions");
    Error e = apimachinery::statusError(
        422, QStringLiteral("%1.meta.k8s.io \"\" is invalid: %2: %3").arg(options, field, detail));
    e.causes = {ErrorCause{cause, detail, field}};
    return e;
}

// The options of a client's write. fieldValidation is Warn when absent (the API server's default
// since 1.27); any other value than Ignore, Warn or Strict (case matters) is 422 on the options
// object, as ValidateCreateOptions/UpdateOptions/PatchOptions answer.
Result<WriteOptions> writeOptions(const QUrlQuery &query, const QString &verb,
                                  const QByteArray &userAgent, QStringList *warnings)
{
    WriteOptions o;
    o.dryRun = query.queryItemValue(QStringLiteral("dryRun")) == u"All";
    o.fieldManager = query.queryItemValue(QStringLiteral("fieldManager"), QUrl::FullyDecoded);
    o.warnings = warnings;
    const QString force = query.queryItemValue(QStringLiteral("force"));
    o.force = force == u"true" || force == u"1" || force == u"t" || force == u"T" ||
              force == u"TRUE" || force == u"True";
    if (o.fieldManager.toUtf8().size() > managedfields::kMaxManagerLength) {
        return invalidWriteOption(verb, QStringLiteral("fieldManager"),
                                  QStringLiteral("FieldValueTooLong"),
                                  QStringLiteral("Too long: may not be more than %1 bytes")
                                      .arg(managedfields::kMaxManagerLength));
    }
    // managerOrUserAgent: without fieldManager, the User-Agent's product names the manager.
    if (o.fieldManager.isEmpty())
        o.fieldManager = managedfields::managerFromUserAgent(userAgent);
    const QString directive =
        query.queryItemValue(QStringLiteral("fieldValidation"), QUrl::FullyDecoded);
    if (directive.isEmpty() || directive == u"Warn") {
        o.fieldValidation = Schema::FieldValidation::Warn;
    } else if (directive == u"Strict") {
        o.fieldValidation = Schema::FieldValidation::Strict;
    } else if (directive == u"Ignore") {
        o.fieldValidation = Schema::FieldValidation::Ignore;
    } else {
        return invalidWriteOption(verb, QStringLiteral("fieldValidation"),
                                  QStringLiteral("FieldValueNotSupported"),
                                  QStringLiteral("Unsupported value: \"%1\": supported values: "
                                                 "\"\", \"Ignore\", \"Strict\", \"Warn\"")
                                      .arg(directive.left(256)));
    }
    return o;
}

// A create or update body decoded into its typed object: the fields it does not have are
// dropped from `object`, and refused (400, worded as transformDecodeError) or reported, as the
// directive asks.
std::optional<Error> unknownFieldError(const ResourceType &type, QJsonObject &object,
                                       Subresource sub, const WriteOptions &options)
{
    const Schema::Decoded decoded = Schema::decode(type, object, sub == Subresource::Scale);
    if (decoded.unknownFields.isEmpty() || !options.fieldValidation)
        return std::nullopt;
    if (*options.fieldValidation == Schema::FieldValidation::Strict) {
        const QString into = sub == Subresource::Scale ? QStringLiteral("Scale") : type.kind;
        const QString kind = object.value(u"kind").toString();
        const QString problem = Schema::strictDecodingError(decoded.unknownFields);
        if (!kind.isEmpty())
            return badRequest(
                QStringLiteral("%1 in version \"%2\" cannot be handled as a %3: %4")
                    .arg(kind.left(256),
                         object.value(u"apiVersion").toString().section(u'/', -1).left(256), into,
                         problem));
        return badRequest(QStringLiteral("the object provided is unrecognized (must be of type "
                                         "%1): %2")
                              .arg(into, problem));
    }
    if (*options.fieldValidation == Schema::FieldValidation::Warn && options.warnings) {
        for (const QString &field : decoded.unknownFields)
            *options.warnings << QStringLiteral("unknown field \"%1\"").arg(field);
    }
    return std::nullopt;
}

// A create's or update's body and options, checked in the API server's order: the body decodes
// into the type, the options are valid, then unknown fields (as fieldValidation says).
struct WriteInput
{
    QJsonObject object;
    WriteOptions options;
};

Result<WriteInput> readWrite(const HttpRequest &http, const QUrlQuery &query, const QString &verb,
                             const ResourceType &type, Subresource sub, QStringList *warnings)
{
    auto body = parseBody(http, &type, sub == Subresource::Scale);
    if (!body)
        return body.error();
    WriteInput input{body.value(), {}};
    if (const auto error = decodeError(type, input.object, http.body, sub))
        return *error;
    auto options =
        writeOptions(query, verb, http.header(QByteArrayLiteral("user-agent")), warnings);
    if (!options)
        return options.error();
    input.options = options.value();
    if (const auto error = unknownFieldError(type, input.object, sub, input.options))
        return *error;
    return input;
}

// Go's strconv.QuoteToASCII: the text in double quotes, with backslash, quote, control
// characters and everything beyond ASCII escaped. A field name a client chose can then never
// break out of the header it is quoted in.
QByteArray goQuoteAscii(const QString &text)
{
    QByteArray out = "\"";
    for (const char32_t c : text.toUcs4()) {
        switch (c) {
        case U'"':
            out += "\\\"";
            break;
        case U'\\':
            out += "\\\\";
            break;
        case U'\a':
            out += "\\a";
            break;
        case U'\b':
            out += "\\b";
            break;
        case U'\f':
            out += "\\f";
            break;
        case U'\n':
            out += "\\n";
            break;
        case U'\r':
            out += "\\r";
            break;
        case U'\t':
            out += "\\t";
            break;
        case U'\v':
            out += "\\v";
            break;
        default:
            if (c >= 0x20 && c < 0x7f)
                out += char(c);
            else if (c < 0x80)
                out += "\\x" + QByteArray::number(uint(c), 16).rightJustified(2, '0');
            else if (c < 0x10000)
                out += "\\u" + QByteArray::number(uint(c), 16).rightJustified(4, '0');
            else
                out += "\\U" + QByteArray::number(uint(c), 16).rightJustified(8, '0');
        }
    }
    return out + '"';
}

// Warnings as the API server sends them: one `Warning: 299 - "text"` header each, the text
// quoted as Go's strconv.Quote does (here as QuoteToASCII). Bounded as its warning recorder
// bounds them: duplicates once, and past 4 KiB of text each is cut to 256 characters and the
// rest are dropped.
HttpHeaders warningHeaders(const QStringList &warnings)
{
    constexpr qsizetype kTotal = 4 * 1024;
    constexpr qsizetype kItem = 256;
    QStringList unique;
    qsizetype total = 0;
    for (const QString &warning : warnings) {
        if (!unique.contains(warning)) {
            unique << warning;
            total += warning.size();
        }
    }
    HttpHeaders headers;
    qsizetype written = 0;
    for (QString warning : std::as_const(unique)) {
        if (total > kTotal)
            warning.truncate(kItem);
        written += warning.size();
        if (written > kTotal)
            break;
        headers.append({QByteArrayLiteral("Warning"), "299 - " + goQuoteAscii(warning)});
    }
    return headers;
}

} // namespace

void ApiServer::handleGet(Request &r)
{
    const ResourceType &storage = storageType(*r.type);
    auto object = m_registry->get(storage, r.ns, r.name, subresourceOf(r.subresource));
    if (!object)
        return sendError(r.exchange, object.error(), r.name, r.type);
    if (r.subresource == u"scale")
        return sendJson(r.exchange, 200, object.value());
    sendObject(r, 200, object.value());
}

QByteArray ApiServer::continueMac(const ContinueToken &token, const QString &scope) const
{
    const QByteArray message =
        token.id.toUtf8() + '\n' + QByteArray::number(token.resourceVersion) + '\n' +
        QByteArray::number(token.start) + '\n' + token.key.toUtf8() + '\n' + scope.toUtf8();
    return QMessageAuthenticationCode::hash(message, m_continueKey, QCryptographicHash::Sha256);
}

QString ApiServer::encodeContinue(const ContinueToken &token, const QString &scope) const
{
    // The real token is base64 JSON with "v", "rv" and "start" (the next key) too; ours adds
    // the snapshot, its position and the MAC.
    const QJsonObject json{{QStringLiteral("v"), QStringLiteral("meta.k8s.io/v1")},
                           {QStringLiteral("rv"), token.resourceVersion},
                           {QStringLiteral("id"), token.id},
                           {QStringLiteral("start"), token.start},
                           {QStringLiteral("key"), token.key},
                           {QStringLiteral("mac"),
                            QString::fromLatin1(continueMac(token, scope)
                                                    .toBase64(QByteArray::Base64UrlEncoding |
                                                              QByteArray::OmitTrailingEquals))}};
    return QString::fromLatin1(
        QJsonDocument(json).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding));
}

Result<ApiServer::ContinueToken> ApiServer::decodeContinue(const QString &text,
                                                           const QString &scope) const
{
    // Malformed is 400, as the storage answers "invalid continue token: continue key is not
    // valid: ..."; well-formed but not ours (or not this list's) is 410.
    auto malformed = [](const QString &why) {
        return badRequest(
            QStringLiteral("invalid continue token: continue key is not valid: %1").arg(why));
    };
    if (text.size() > 4096)
        return malformed(QStringLiteral("token too long"));
    const auto bytes = QByteArray::fromBase64Encoding(
        text.toLatin1(), QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!bytes)
        return malformed(QStringLiteral("illegal base64 data"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return malformed(QStringLiteral("invalid character in JSON"));
    const QJsonObject o = doc.object();
    if (o.value(u"v").toString() != u"meta.k8s.io/v1")
        return malformed(QStringLiteral("server does not recognize this encoding"));
    const QJsonValue rv = o.value(u"rv");
    const QJsonValue start = o.value(u"start");
    if (!rv.isDouble() || (rv.toInteger() <= 0 && rv.toInteger() != -1))
        return malformed(
            QStringLiteral("incorrect encoded start resourceVersion (version meta.k8s.io/v1)"));
    if (!start.isDouble() || !o.value(u"id").isString() || !o.value(u"mac").isString() ||
        !o.value(u"key").isString())
        return malformed(QStringLiteral("no start key"));
    ContinueToken token;
    token.id = o.value(u"id").toString();
    token.resourceVersion = rv.toInteger();
    token.start = start.toInteger();
    token.key = o.value(u"key").toString();
    const QByteArray mac = QByteArray::fromBase64(o.value(u"mac").toString().toLatin1(),
                                                  QByteArray::Base64UrlEncoding);
    if (mac != continueMac(token, scope))
        return continueExpired();
    return token;
}

Error ApiServer::continueExpired()
{
    return apimachinery::statusError(
        410, QStringLiteral("The provided continue parameter is too old to display a "
                            "consistent list result. You can start a new list without "
                            "the continue parameter."));
}

// The etcd storage's answer to a continue token whose snapshot has been compacted away: 410
// Expired, with a token that lists the rest as it is now (inconsistent with the pages before).
QJsonObject ApiServer::inconsistentContinue(const QString &key, const QString &scope) const
{
    QJsonObject status = statusObject(apimachinery::statusError(
        410,
        QStringLiteral("The provided continue parameter is too old to display a consistent list "
                       "result. You can start a new list without the continue parameter, or use "
                       "the continue token in this response to retrieve the remainder of the "
                       "results. Continuing with the provided token results in an inconsistent "
                       "list - objects that were created, modified, or deleted between the time "
                       "the first chunk was returned and now may show up in the list.")));
    ContinueToken rest;
    rest.resourceVersion = -1;
    rest.key = key;
    status.insert(QStringLiteral("metadata"),
                  QJsonObject{{QStringLiteral("continue"), encodeContinue(rest, scope)}});
    return status;
}

Result<ListSelector> ApiServer::listSelector(const Request &r) const
{
    return ListSelector::parse(r.param("labelSelector"), r.param("fieldSelector"),
                               storageType(*r.type).plural);
}

void ApiServer::handleList(Request &r)
{
    const auto selector = listSelector(r);
    if (!selector)
        return sendError(r.exchange, selector.error());
    const ResourceType &storage = storageType(*r.type);
    Store *store = m_registry->store();

    // ListOptions.limit is an int64; zero or negative means no limit, as the storage reads it.
    qint64 limit = 0;
    if (r.hasParam("limit")) {
        bool ok = false;
        const QString text = r.param("limit");
        limit = text.toLongLong(&ok);
        if (!ok)
            return sendError(r.exchange,
                             badRequest(QStringLiteral("strconv.ParseInt: parsing \"%1\": invalid "
                                                       "syntax")
                                            .arg(text.left(64))));
    }
    // A continue token ties a page to one snapshot, one list (type, namespace, selectors) and
    // one position. It is authenticated with a per-process key, so a client can neither forge
    // a position nor replay another list's (or another server's) token: what we did not issue
    // is 410 Expired, and the client starts over, as after a compaction.
    const QString scope = storage.plural + u'/' + r.ns + u'?' + r.param("labelSelector") + u'&' +
                          r.param("fieldSelector");
    const QString continueToken = r.param("continue");
    std::shared_ptr<Snapshot> snapshot;
    QString snapshotId;
    qsizetype start = 0;
    auto takeSnapshot = [&] {
        auto taken = std::make_shared<Snapshot>();
        taken->resourceVersion = store->currentResourceVersion();
        taken->age.start();
        store->forEachStored(storage, r.ns, [&](const StoredPtr &o) {
            if (selector->matches(o->object()))
                taken->items << o;
            return true;
        });
        return taken;
    };
    if (!continueToken.isEmpty()) {
        auto decoded = decodeContinue(continueToken, scope);
        if (!decoded)
            return sendError(r.exchange, decoded.error());
        if (decoded->resourceVersion == -1) {
            // The rest of the list as it is now, after the last key returned.
            snapshot = takeSnapshot();
            while (start < snapshot->items.size() &&
                   storeKey(snapshot->items.at(start)->object()) <= decoded->key)
                ++start;
        } else {
            snapshotId = decoded->id;
            snapshot = m_snapshots.value(snapshotId);
            // A snapshot older than the compaction (or forgotten) cannot be read consistently.
            if (!snapshot || snapshot->age.elapsed() > 5 * 60 * 1000 ||
                decoded->resourceVersion < store->oldestResumableVersion(storage))
                return sendJson(r.exchange, 410, inconsistentContinue(decoded->key, scope));
            if (snapshot->resourceVersion != decoded->resourceVersion || decoded->start <= 0 ||
                decoded->start >= snapshot->items.size())
                return sendError(r.exchange, continueExpired());
            start = qsizetype(decoded->start);
        }
    } else {
        snapshot = takeSnapshot();
    }

    // 0 <= start <= size here (size only after an inconsistent continuation found nothing
    // left), so size - start cannot overflow and a token always moves forward.
    const qsizetype remaining = snapshot->items.size() - start;
    qsizetype end = snapshot->items.size();
    QString nextToken;
    if (limit > 0 && limit < remaining) {
        end = start + qsizetype(limit);
        if (snapshotId.isEmpty()) {
            snapshotId = QString::number(m_nextSnapshot++);
            m_snapshots.insert(snapshotId, snapshot);
            // Bounded: forget the oldest snapshots beyond 64.
            while (m_snapshots.size() > 64) {
                auto oldest = m_snapshots.begin();
                for (auto it = m_snapshots.begin(); it != m_snapshots.end(); ++it) {
                    if (it.value()->age.elapsed() > oldest.value()->age.elapsed())
                        oldest = it;
                }
                m_snapshots.erase(oldest);
            }
        }
        ContinueToken next;
        next.id = snapshotId;
        next.resourceVersion = snapshot->resourceVersion;
        next.start = end;
        next.key = storeKey(snapshot->items.at(end - 1)->object());
        nextToken = encodeContinue(next, scope);
    }

    QJsonObject listMeta{
        {QStringLiteral("resourceVersion"), QString::number(snapshot->resourceVersion)}};
    if (!nextToken.isEmpty()) {
        listMeta.insert(QStringLiteral("continue"), nextToken);
        if (selector->isEmpty())
            listMeta.insert(QStringLiteral("remainingItemCount"),
                            qint64(snapshot->items.size() - end));
    }

    if (r.table) {
        QList<QJsonObject> presented;
        presented.reserve(end - start);
        for (qsizetype i = start; i < end; ++i)
            presented << present(r, snapshot->items.at(i)->object());
        return sendJson(
            r.exchange, 200,
            Tables::table(*r.type, presented, m_clock->wallNowMs(), r.include, true, listMeta));
    }

    // Assembled as bytes: a 20,000-pod list should not go through one giant QJsonArray.
    const bool asStored = !(*r.type == Resources::eventsV1());
    qsizetype size = 256;
    if (asStored) {
        encodeListItemsInParallel(snapshot->items, start, end);
        for (qsizetype i = start; i < end; ++i)
            size += snapshot->items.at(i)->listItemJson().size() + 1;
    } else {
        size += (end - start) * 1024;
    }
    QByteArray body;
    body.reserve(size);
    body += "{\"kind\":\"" + r.type->listKind().toUtf8() + "\",\"apiVersion\":\"" +
            r.type->apiVersion().toUtf8() + "\",\"metadata\":";
    jsonwriter::append(body, listMeta);
    body += ",\"items\":[";
    for (qsizetype i = start; i < end; ++i) {
        if (i != start)
            body += ',';
        // List items carry no kind/apiVersion, as a real API server's JSON lists. Objects sent
        // as stored share one encoding per version with every other list and watch.
        if (asStored) {
            body += snapshot->items.at(i)->listItemJson();
            continue;
        }
        jsonwriter::append(body, present(r, snapshot->items.at(i)->object()),
                           {u"apiVersion", u"kind"});
    }
    body += "]}";
    sendRaw(r.exchange, 200, body, kJson);
}

void ApiServer::handleWatch(Request &r)
{
    auto selector = listSelector(r);
    if (!selector)
        return sendError(r.exchange, selector.error());
    auto *stream = new WatchStream(this, r, std::move(selector).value());
    m_watches.removeAll(nullptr);
    m_watches << stream;
    stream->start();
}

// The self-reviews are answered, not stored: a POST gets the review back with its status.
void ApiServer::handleReview(Request &r, const QString &group, const QString &resource)
{
    if (r.http.method != "POST")
        return sendError(r.exchange,
                         apimachinery::statusError(
                             405, QStringLiteral("the server does not allow this method on the "
                                                 "requested resource")));
    Attributes attributes;
    attributes.verb = QStringLiteral("create");
    attributes.group = group;
    attributes.resource = resource;
    if (!Authorizer::decide(r.identity, attributes).allowed)
        return sendError(r.exchange,
                         apimachinery::statusError(
                             403, QStringLiteral("%1.%2 is forbidden: User \"%3\" cannot create "
                                                 "resource \"%1\" in API group \"%2\" at the "
                                                 "cluster scope")
                                      .arg(resource, group, r.identity.user)));
    if (r.http.bodyTooLarge)
        return sendError(r.exchange, requestEntityTooLarge());
    // kubectl's typed clients send these as protobuf: decode them rather than answer 415.
    const auto body = r.http.header(QByteArrayLiteral("content-type")).contains("protobuf")
                          ? Reviews::fromProtobuf(resource, r.http.body)
                          : parseBody(r.http);
    if (!body.ok())
        return sendError(r.exchange, body.error());
    const auto answer = Reviews::answer(r.identity, group, resource, *body);
    if (!answer.ok())
        return sendError(r.exchange, answer.error());
    sendJson(r.exchange, 201, *answer);
}

void ApiServer::handleCreate(Request &r)
{
    if (!r.subresource.isEmpty())
        return sendError(r.exchange, apimachinery::statusError(
                                         405, QStringLiteral("create is not supported on this "
                                                             "subresource")));
    QStringList warnings;
    auto input = readWrite(r.http, r.query, r.verb, *r.type, Subresource::None, &warnings);
    if (!input)
        return sendError(r.exchange, input.error());
    QJsonObject &object = input->object;
    const WriteOptions &options = input->options;
    if (*r.type == Resources::eventsV1())
        object = EventsV1::toCore(object);
    auto created = m_registry->create(storageType(*r.type), r.ns, object, options);
    if (!created)
        return sendError(r.exchange, created.error(), json::name(object), r.type);
    sendObject(r, 201, created.value(), warningHeaders(warnings));
}

void ApiServer::handleUpdate(Request &r)
{
    const Subresource sub = subresourceOf(r.subresource);
    QStringList warnings;
    auto input = readWrite(r.http, r.query, r.verb, *r.type, sub, &warnings);
    if (!input)
        return sendError(r.exchange, input.error());
    QJsonObject &object = input->object;
    const WriteOptions &options = input->options;
    auto updated = m_registry->update(storageType(*r.type), r.ns, r.name, object, sub, options);
    if (!updated)
        return sendError(r.exchange, updated.error(), r.name, r.type);
    if (r.subresource == u"scale")
        return sendJson(r.exchange, 200,
                        m_registry->get(*r.type, r.ns, r.name, Subresource::Scale).value(),
                        warningHeaders(warnings));
    sendObject(r, 200, updated.value(), warningHeaders(warnings));
}

void ApiServer::handlePatch(Request &r)
{
    const auto patchType = patchTypeFor(r.http.header(QByteArrayLiteral("content-type")));
    if (!patchType) {
        Error e = apimachinery::statusError(
            415, QStringLiteral("the body of the request was in an unknown format - "
                                "accepted media types include: "
                                "application/json-patch+json, "
                                "application/merge-patch+json, "
                                "application/apply-patch+yaml, "
                                "application/strategic-merge-patch+json"));
        return sendError(r.exchange, e);
    }
    if (*patchType == PatchType::Apply && r.param("fieldManager").isEmpty())
        return sendError(r.exchange,
                         apimachinery::statusError(
                             422, QStringLiteral("PatchOptions.meta.k8s.io \"\" is invalid: "
                                                 "fieldManager: Required value: is required for "
                                                 "apply patch")));
    if (*patchType != PatchType::Apply && r.query.hasQueryItem(QStringLiteral("force"))) {
        const QString detail =
            QStringLiteral("Forbidden: may not be specified for non-apply patch");
        Error e = apimachinery::statusError(
            422, QStringLiteral("PatchOptions.meta.k8s.io \"\" is invalid: force: ") + detail);
        e.causes = {
            ErrorCause{QStringLiteral("FieldValueForbidden"), detail, QStringLiteral("force")}};
        return sendError(r.exchange, e);
    }
    QStringList warnings;
    const auto options =
        writeOptions(r.query, r.verb, r.http.header(QByteArrayLiteral("user-agent")), &warnings);
    if (!options)
        return sendError(r.exchange, options.error());
    const ResourceType &storage = storageType(*r.type);
    const Subresource sub = subresourceOf(r.subresource);
    // Server-side apply creates what does not exist, and says so with 201.
    const bool creates = *patchType == PatchType::Apply && sub == Subresource::None &&
                         !m_registry->store()->get(storage, r.ns, r.name);
    auto patched = m_registry->patch(storage, r.ns, r.name, *patchType, r.http.body, sub, *options);
    if (!patched) {
        // An apply conflict's Status details hold only the causes (errors.NewApplyConflict).
        const Error &error = patched.error();
        if (error.httpStatus == 409 && !error.causes.isEmpty() &&
            error.causes.first().reason == u"FieldManagerConflict")
            return sendError(r.exchange, error);
        return sendError(r.exchange, error, r.name, r.type);
    }
    if (r.subresource == u"scale")
        return sendJson(r.exchange, 200,
                        m_registry->get(*r.type, r.ns, r.name, Subresource::Scale).value(),
                        warningHeaders(warnings));
    sendObject(r, creates ? 201 : 200, patched.value(), warningHeaders(warnings));
}

namespace {

DeleteOptions deleteOptionsFrom(const QUrlQuery &query, const QByteArray &body)
{
    DeleteOptions o;
    const QJsonObject b = QJsonDocument::fromJson(body).object();
    if (b.contains(u"gracePeriodSeconds"))
        o.gracePeriodSeconds = b.value(u"gracePeriodSeconds").toInteger();
    o.propagationPolicy = b.value(u"propagationPolicy").toString();
    o.preconditionUid = json::string(b, {u"preconditions", u"uid"});
    o.preconditionResourceVersion = json::string(b, {u"preconditions", u"resourceVersion"});
    o.dryRun = b.value(u"dryRun").toArray().contains(QStringLiteral("All"));
    if (query.hasQueryItem(QStringLiteral("gracePeriodSeconds")))
        o.gracePeriodSeconds =
            query.queryItemValue(QStringLiteral("gracePeriodSeconds")).toLongLong();
    if (query.hasQueryItem(QStringLiteral("propagationPolicy")))
        o.propagationPolicy = query.queryItemValue(QStringLiteral("propagationPolicy"));
    if (query.queryItemValue(QStringLiteral("dryRun")) == u"All")
        o.dryRun = true;
    return o;
}

} // namespace

void ApiServer::handleDelete(Request &r)
{
    const ResourceType &storage = storageType(*r.type);
    auto outcome =
        m_registry->remove(storage, r.ns, r.name, deleteOptionsFrom(r.query, r.http.body));
    if (!outcome)
        return sendError(r.exchange, outcome.error(), r.name, r.type);
    if (outcome->removed && !(storage == Resources::pods())) {
        QJsonObject details{{QStringLiteral("name"), r.name},
                            {QStringLiteral("kind"), r.type->plural},
                            {QStringLiteral("uid"), json::uid(outcome->object)}};
        if (!r.type->group.isEmpty())
            details.insert(QStringLiteral("group"), r.type->group);
        return sendJson(r.exchange, 200,
                        QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                    {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                    {QStringLiteral("metadata"), QJsonObject()},
                                    {QStringLiteral("status"), QStringLiteral("Success")},
                                    {QStringLiteral("details"), details}});
    }
    sendJson(r.exchange, outcome->removed ? 200 : 202, present(r, outcome->object));
}

void ApiServer::handleEviction(Request &r)
{
    // pods/eviction is create-only (policy/v1 Eviction); no disruption budgets to consult.
    if (r.verb != u"create")
        return sendError(r.exchange, apimachinery::statusError(
                                         405, QStringLiteral("the server does not allow this "
                                                             "method on the requested resource")));
    const QJsonObject eviction = QJsonDocument::fromJson(r.http.body).object();
    const QByteArray options =
        QJsonDocument(eviction.value(u"deleteOptions").toObject()).toJson(QJsonDocument::Compact);
    auto outcome =
        m_registry->remove(Resources::pods(), r.ns, r.name, deleteOptionsFrom(r.query, options));
    if (!outcome)
        return sendError(r.exchange, outcome.error(), r.name, r.type);
    sendJson(r.exchange, 201,
             QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                         {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                         {QStringLiteral("metadata"), QJsonObject()},
                         {QStringLiteral("status"), QStringLiteral("Success")},
                         {QStringLiteral("code"), 201}});
}

void ApiServer::handleDeleteCollection(Request &r)
{
    const auto selector = listSelector(r);
    if (!selector)
        return sendError(r.exchange, selector.error());
    const ResourceType &storage = storageType(*r.type);
    QStringList names;
    QStringList namespaces;
    m_registry->store()->forEach(storage, r.ns, [&](const QJsonObject &o) {
        if (selector->matches(o)) {
            names << json::name(o);
            namespaces << json::ns(o);
        }
        return true;
    });
    const DeleteOptions options = deleteOptionsFrom(r.query, r.http.body);
    QJsonArray items;
    for (qsizetype i = 0; i < names.size(); ++i) {
        auto outcome = m_registry->remove(storage, namespaces[i], names[i], options);
        if (outcome) {
            QJsonObject item = outcome->object;
            item.remove(QStringLiteral("kind"));
            item.remove(QStringLiteral("apiVersion"));
            items.append(item);
        }
    }
    sendJson(
        r.exchange, 200,
        QJsonObject{{QStringLiteral("kind"), r.type->listKind()},
                    {QStringLiteral("apiVersion"), r.type->apiVersion()},
                    {QStringLiteral("metadata"),
                     QJsonObject{{QStringLiteral("resourceVersion"),
                                  QString::number(m_registry->store()->currentResourceVersion())}}},
                    {QStringLiteral("items"), items}});
}

void ApiServer::handleLog(Request &r)
{
    if (!m_logs)
        return sendError(r.exchange,
                         apimachinery::statusError(404, QStringLiteral("logs are not available")));
    const auto pod = m_registry->get(Resources::pods(), r.ns, r.name);
    if (!pod)
        return sendError(r.exchange, pod.error(), r.name, r.type);
    QString container = r.param("container");
    const QJsonArray containers = json::array(*pod, {u"spec", u"containers"});
    if (container.isEmpty()) {
        if (containers.size() > 1) {
            QStringList names;
            for (const QJsonValue &c : containers)
                names << c.toObject().value(u"name").toString();
            return sendError(r.exchange,
                             apimachinery::statusError(
                                 400, QStringLiteral("a container name must be specified for pod "
                                                     "%1, choose one of: [%2]")
                                          .arg(r.name, names.join(u' '))));
        }
        container = containers.first().toObject().value(u"name").toString();
    }
    QStringList lines;
    QList<qint64> stamps;
    const QString problem = m_logs->logs(r.ns, r.name, container, &lines, &stamps);
    if (!problem.isEmpty())
        return sendError(r.exchange, apimachinery::statusError(400, problem));
    const bool timestamps = r.flag("timestamps");
    const qint64 tail = r.hasParam("tailLines") ? r.param("tailLines").toLongLong() : -1;
    if (tail >= 0 && lines.size() > tail) {
        lines = lines.mid(lines.size() - tail);
        stamps = stamps.mid(stamps.size() - tail);
    }
    // Log times are stamped when the line is read, as the wall-clock instant it was written.
    auto format = [timestamps, clock = m_clock](qint64 ms, const QString &text) -> QByteArray {
        return (timestamps ? clock->microTimestamp(ms).toUtf8() + ' ' : QByteArray()) +
               text.toUtf8() + '\n';
    };
    QByteArray body;
    for (qsizetype i = 0; i < lines.size(); ++i)
        body += format(stamps.value(i), lines.at(i));
    const QByteArray textPlain = QByteArrayLiteral("text/plain");
    if (!r.flag("follow"))
        return sendRaw(r.exchange, 200, body, textPlain);

    QPointer<HttpExchange> exchange = r.exchange;
    exchange->beginStream(200, {{QByteArrayLiteral("Content-Type"), textPlain}});
    exchange->write(body);
    const int id = m_logs->follow(
        r.ns, r.name, container,
        [exchange, format](qint64 ms, const QString &text) {
            if (exchange)
                exchange->write(format(ms, text));
        },
        [exchange] {
            if (exchange)
                exchange->end();
        });
    LogSource *logs = m_logs;
    connect(exchange, &HttpExchange::closed, this, [logs, id] { logs->unfollow(id); });
}

void ApiServer::handlePodStream(Request &r)
{
    if (r.http.method != "GET" && r.http.method != "POST")
        return sendError(r.exchange, apimachinery::statusError(
                                         405, QStringLiteral("the server does not allow this "
                                                             "method on the requested resource")));
    const auto pod = m_registry->get(Resources::pods(), r.ns, r.name);
    if (!pod)
        return sendError(r.exchange, pod.error(), r.name, r.type);
    if (!m_podStreams)
        return sendError(r.exchange, apimachinery::statusError(
                                         404, QStringLiteral("the server could not find the "
                                                             "requested resource")));
    const auto refusal = m_podStreams->serve(r.exchange, r.subresource, r.query, *pod);
    if (!refusal)
        return;
    if (refusal->reason.isEmpty())
        return sendRaw(r.exchange, refusal->status, refusal->message.toUtf8() + '\n',
                       QByteArrayLiteral("text/plain; charset=utf-8"));
    sendError(r.exchange,
              apimachinery::statusError(refusal->status, refusal->message, refusal->reason));
}

void ApiServer::handleProxy(Request &r)
{
    if (*r.type != Resources::services())
        return sendError(r.exchange, apimachinery::statusError(
                                         404, QStringLiteral("the server could not find the "
                                                             "requested resource")));
    // NAME, NAME:PORT or SCHEME:NAME:PORT.
    QStringList parts = r.name.split(u':');
    if (parts.size() == 3)
        parts.removeFirst();
    const QString service = parts.value(0);
    const QString port = parts.value(1);
    const auto svc = m_registry->get(Resources::services(), r.ns, service);
    if (!svc)
        return sendError(r.exchange, svc.error(), service, r.type);
    if (!m_proxy)
        return sendError(r.exchange, apimachinery::statusError(
                                         503, QStringLiteral("no endpoints available for service "
                                                             "\"%1\"")
                                                  .arg(service)));
    QByteArray pathAndQuery = '/' + r.proxyPath.toUtf8();
    if (!r.http.query().isEmpty())
        pathAndQuery += '?' + r.http.query();
    QPointer<HttpExchange> exchange = r.exchange;
    m_proxy->proxy(r.ns, service, port, r.http.method, pathAndQuery, [exchange](ProxyReply reply) {
        if (!exchange)
            return;
        exchange->respond(reply.status, reply.headers, reply.body);
    });
}

} // namespace rollscope::sim
