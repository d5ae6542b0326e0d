// SPDX-License-Identifier: MIT
#include "podstreams.h"

#include "httpparser.h"
#include "httpserver.h"
#include "json.h"
#include "spdy.h"
#include "websocket.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTimer>

#include <map>
#include <memory>

namespace rollscope::sim {

namespace {

const QByteArray kPortForwardProtocol = QByteArrayLiteral("portforward.k8s.io");
const QByteArray kPortForwardTunnel = QByteArrayLiteral("SPDY/3.1+portforward.k8s.io");
const QByteArray kExecV5 = QByteArrayLiteral("v5.channel.k8s.io");
const QByteArray kExecV4 = QByteArrayLiteral("v4.channel.k8s.io");
// The kubelet's wait for a forwarded connection's second stream (and exec's streams).
constexpr int kStreamCreationTimeoutMs = 30'000;
// How long an exec connection stays open after its Status for the client to close it.
constexpr int kExecLingerMs = 5'000;
// Forwarded connections per port-forward session, and what one may send that the app has not
// taken as a whole request yet (unparsed bytes and the body the request reader holds).
constexpr int kMaxForwards = 128;
constexpr qsizetype kMaxForwardInput = 256 * 1024;
// Output a client leaves unread: past this the connection is cut (TCP would stop the sender).
constexpr qint64 kMaxUnreadOutput = 16 * 1024 * 1024;

// An HTTP/1.1 `Upgrade: SPDY/3.1` request.
bool isSpdyUpgrade(const HttpRequest &request)
{
    return !request.http2 && headerHasToken(request.header("connection"), "upgrade") &&
           headerHasToken(request.header("upgrade"), "spdy/3.1");
}

// Every X-Stream-Protocol-Version the client offers, in its order.
QList<QByteArray> spdyProtocols(const HttpRequest &request)
{
    return headerTokens(request, "x-stream-protocol-version");
}

QByteArray spdyHeader(const SpdyHeaders &headers, const QByteArray &name)
{
    for (const auto &[n, v] : headers)
        if (n == name)
            return v;
    return {};
}

// Stable runtime identifiers of a pod's sandbox, derived from its uid.
QString sandboxIdOf(const QString &uid)
{
    return QString::fromLatin1(
        QCryptographicHash::hash("sandbox:" + uid.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString netnsOf(const QString &uid)
{
    const QString h = QString::fromLatin1(
        QCryptographicHash::hash("netns:" + uid.toUtf8(), QCryptographicHash::Sha256).toHex());
    return QStringLiteral("/var/run/netns/cni-%1-%2-%3-%4-%5")
        .arg(h.mid(0, 8), h.mid(8, 4), h.mid(12, 4), h.mid(16, 4), h.mid(20, 12));
}

QByteArray execStatusJson(const QString &cause)
{
    const QJsonObject status{
        {QStringLiteral("metadata"), QJsonObject()},
        {QStringLiteral("status"), QStringLiteral("Failure")},
        {QStringLiteral("message"), QStringLiteral("Internal error occurred: ") + cause},
        {QStringLiteral("reason"), QStringLiteral("InternalError")},
        {QStringLiteral("details"),
         QJsonObject{{QStringLiteral("causes"),
                      QJsonArray{QJsonObject{{QStringLiteral("message"), cause}}}}}},
        {QStringLiteral("code"), 500}};
    return QJsonDocument(status).toJson(QJsonDocument::Compact);
}

QString execFailureText(const QStringList &command)
{
    quint32 random[8];
    QRandomGenerator::global()->fillRange(random);
    const QByteArray execId =
        QByteArray(reinterpret_cast<const char *>(random), sizeof random).toHex();
    return QStringLiteral("error executing command in container: failed to exec in container: ") +
           PodStreams::execNotFoundMessage(command.value(0), execId);
}

// Keeps the upgraded socket's lifetime: a session is a child of its socket, which deletes
// itself when the client disconnects.
class StreamSessionBase : public QObject
{
public:
    explicit StreamSessionBase(QSslSocket *socket)
        : QObject(socket)
        , m_socket(socket)
    {}

protected:
    // Writes to the client; one that leaves this much unread is cut off (TCP would stop it;
    // here a flood of PINGs would otherwise grow the buffer without end).
    void send(const QByteArray &bytes)
    {
        if (!m_socket->isOpen())
            return; // aborted, while the session still runs
        if (m_socket->bytesToWrite() > kMaxUnreadOutput) {
            m_socket->abort();
            return;
        }
        m_socket->write(bytes);
    }

    void closeSoon()
    {
        if (m_closing)
            return;
        m_closing = true;
        m_socket->disconnectFromHost();
        // A client that never closes its side is cut off.
        QTimer::singleShot(10'000, this, [this] { m_socket->abort(); });
    }

    QSslSocket *m_socket;
    bool m_closing = false;
};

// --- exec ---------------------------------------------------------------------------------

// exec over WebSocket (v4/v5.channel.k8s.io): the command fails; the Status goes on the error
// channel, then a normal close. With a terminal the failure comes after the client's first
// resize message (channel 4), as with SPDY below: the runtime takes longer than that, and a
// client whose resize finds the connection closing reports an error of its own.
class ExecWebSocketSession final : public StreamSessionBase
{
public:
    ExecWebSocketSession(QSslSocket *socket, const QByteArray &early, const QByteArray &status,
                         bool tty)
        : StreamSessionBase(socket)
        , m_status(status)
        , m_waitForResize(tty)
    {
        connect(socket, &QIODevice::readyRead, this, [this] { onInput(m_socket->readAll()); });
        if (m_waitForResize)
            QTimer::singleShot(1000, this, [this] { answer(); });
        else
            answer();
        if (!early.isEmpty())
            onInput(early);
    }

private:
    void answer()
    {
        if (m_done)
            return;
        m_done = true;
        // Each frame in its own write, as a Go server writes them (one TLS record each).
        m_socket->write(webSocketFrame(WebSocketOpcode::Binary, '\x03' + m_status));
        m_socket->flush();
        m_socket->write(webSocketCloseFrame(1000));
        m_socket->flush();
        // A client that never answers the close is cut off.
        QTimer::singleShot(10'000, this, [this] { m_socket->abort(); });
    }

    void onInput(const QByteArray &bytes)
    {
        if (m_closing)
            return;
        QList<WebSocketReader::Message> messages;
        if (!m_reader.feed(bytes, &messages)) {
            m_socket->abort();
            return;
        }
        for (const auto &m : messages) {
            if (m.opcode == WebSocketOpcode::Close) {
                closeSoon();
                return;
            }
            // The terminal's size; stdin and close-stdin messages have no process to go to.
            if (m.opcode == WebSocketOpcode::Binary && m.payload.startsWith('\x04') &&
                m_waitForResize)
                answer();
        }
    }

    WebSocketReader m_reader;
    QByteArray m_status;
    bool m_waitForResize;
    bool m_done = false;
};

// exec over SPDY (v4.channel.k8s.io): the client opens its streams (error, and stdin,
// stdout, stderr, resize as asked); the Status goes on the error stream and the output streams
// end. The client closes the connection once it has read the Status (kubectl does); until then
// what it still sends (stdin, resizes) is read and dropped instead of hitting a closed
// connection (kubectl would print the broken pipe; a real node's slower runtime hides that
// race). A client that stays is cut off after kExecLingerMs.
class ExecSpdySession final : public StreamSessionBase
{
public:
    ExecSpdySession(QSslSocket *socket, const QByteArray &early, const QByteArray &status,
                    QList<QByteArray> expected)
        : StreamSessionBase(socket)
        , m_status(status)
        , m_expected(std::move(expected))
    {
        SpdySession::Callbacks cb;
        cb.write = [this](const QByteArray &bytes) { send(bytes); };
        cb.opened = [this](quint32 id, const SpdyHeaders &headers, bool) { onOpened(id, headers); };
        cb.data = [this](quint32 id, const QByteArray &data, bool) {
            // The terminal's first size, which the client sends as soon as its streams exist.
            if (!data.isEmpty() && id == m_streams.value("resize") && !m_resized) {
                m_resized = true;
                if (m_ready)
                    answer();
            }
        };
        cb.failed = [this](const QString &) { m_socket->abort(); };
        m_spdy = std::make_unique<SpdySession>(std::move(cb));
        connect(socket, &QIODevice::readyRead, this, [this] { m_spdy->feed(m_socket->readAll()); });
        QTimer::singleShot(kStreamCreationTimeoutMs, this, [this] { closeSoon(); });
        if (!early.isEmpty())
            m_spdy->feed(early);
    }

private:
    void onOpened(quint32 id, const SpdyHeaders &headers)
    {
        const QByteArray type = spdyHeader(headers, "streamtype");
        if (m_ready || type.isEmpty() || m_streams.contains(type)) {
            m_spdy->resetStream(id);
            return;
        }
        m_spdy->reply(id);
        // The kubelet accepts a stream of a type it does not wait for, and ignores it.
        if (!m_expected.contains(type))
            return;
        m_streams.insert(type, id);
        for (const QByteArray &want : m_expected)
            if (!m_streams.contains(want))
                return;
        m_ready = true;
        // With a terminal the runtime's failure comes after the first resize has gone through
        // (it takes the runtime longer than that); a client whose resize finds the connection
        // closed reports the EOF.
        if (!m_streams.contains("resize") || m_resized)
            answer();
        else
            QTimer::singleShot(1000, this, [this] { answer(); });
    }

    void answer()
    {
        if (m_done)
            return;
        m_done = true;
        m_spdy->send(m_streams.value("error"), m_status, true);
        for (auto it = m_streams.cbegin(); it != m_streams.cend(); ++it)
            if (it.key() == "stdout" || it.key() == "stderr")
                m_spdy->send(it.value(), {}, true);
        QTimer::singleShot(kExecLingerMs, this, [this] { closeSoon(); });
    }

    std::unique_ptr<SpdySession> m_spdy;
    QByteArray m_status;
    QList<QByteArray> m_expected;
    QHash<QByteArray, quint32> m_streams;
    bool m_ready = false;   // every expected stream is open
    bool m_resized = false; // the terminal's size arrived
    bool m_done = false;
};

// --- port-forward -------------------------------------------------------------------------

class PortForwardSession final : public StreamSessionBase
{
public:
    struct Target
    {
        QString ns;
        QString pod;
        QString sandboxId;
        QString netns;
        int port = 8080;
    };

    PortForwardSession(QSslSocket *socket, const QByteArray &early, bool tunnelled,
                       PodNetwork *network, Target target)
        : StreamSessionBase(socket)
        , m_tunnelled(tunnelled)
        , m_network(network)
        , m_target(std::move(target))
    {
        SpdySession::Callbacks cb;
        cb.write = [this](const QByteArray &bytes) {
            send(m_tunnelled ? webSocketFrame(WebSocketOpcode::Binary, bytes) : bytes);
        };
        cb.opened = [this](quint32 id, const SpdyHeaders &headers, bool fin) {
            onOpened(id, headers, fin);
        };
        cb.data = [this](quint32 id, const QByteArray &data, bool fin) { onData(id, data, fin); };
        cb.reset = [this](quint32 id) { onReset(id); };
        cb.failed = [this](const QString &) {
            forgetAll();
            m_socket->abort();
        };
        m_spdy = std::make_unique<SpdySession>(std::move(cb));
        connect(socket, &QIODevice::readyRead, this, [this] { onInput(m_socket->readAll()); });
        if (!early.isEmpty())
            onInput(early);
    }

private:
    // One forwarded connection: its two streams and the app's side of the connection.
    struct Forward
    {
        quint64 serial = 0;
        quint32 errorStream = 0;
        quint32 dataStream = 0;
        QByteArray port;
        bool started = false;
        bool closed = false;    // the app side is done: both streams half-closed by us
        bool clientFin = false; // the client sends no more on the data stream
        bool inFlight = false;
        QByteArray input;
        qsizetype unanswered = 0; // bytes received and not yet part of a taken request
        std::unique_ptr<Http1RequestReader> reader = std::make_unique<Http1RequestReader>();
    };

    void forgetAll()
    {
        m_forwards.clear();
        m_streamRequest.clear();
    }

    void onInput(const QByteArray &bytes)
    {
        if (m_closing)
            return; // after a close, nothing more is read
        if (!m_tunnelled) {
            m_spdy->feed(bytes);
            return;
        }
        QList<WebSocketReader::Message> messages;
        if (!m_ws.feed(bytes, &messages)) {
            send(webSocketCloseFrame(1002)); // protocol error
            forgetAll();
            closeSoon();
            return;
        }
        for (const auto &m : messages) {
            switch (m.opcode) {
            case WebSocketOpcode::Binary:
                if (!m_spdy->feed(m.payload))
                    return;
                break;
            case WebSocketOpcode::Ping:
                send(webSocketFrame(WebSocketOpcode::Pong, m.payload));
                break;
            case WebSocketOpcode::Close:
                send(webSocketCloseFrame(1000));
                forgetAll();
                closeSoon();
                return;
            case WebSocketOpcode::Text:
                send(webSocketCloseFrame(1003)); // unsupported data
                forgetAll();
                closeSoon();
                return;
            default:
                break;
            }
        }
    }

    Forward *forwardOf(quint32 stream)
    {
        const auto id = m_streamRequest.constFind(stream);
        if (id == m_streamRequest.cend())
            return nullptr;
        const auto it = m_forwards.find(*id);
        return it == m_forwards.end() ? nullptr : it->second.get();
    }

    void onOpened(quint32 id, const SpdyHeaders &headers, bool fin)
    {
        const QByteArray type = spdyHeader(headers, "streamtype");
        const QByteArray requestId = spdyHeader(headers, "requestid");
        const QByteArray port = spdyHeader(headers, "port");
        bool portOk = false;
        const uint portNumber = port.toUInt(&portOk);
        if ((type != "error" && type != "data") || requestId.isEmpty() || requestId.size() > 32 ||
            !portOk || portNumber == 0 || portNumber > 65535) {
            m_spdy->resetStream(id);
            return;
        }
        auto it = m_forwards.find(requestId);
        if (it == m_forwards.end()) {
            if (int(m_forwards.size()) >= kMaxForwards) {
                m_spdy->resetStream(id, 3 /* REFUSED_STREAM */);
                return;
            }
            auto f = std::make_unique<Forward>();
            f->serial = ++m_serial;
            const quint64 serial = f->serial;
            it = m_forwards.emplace(requestId, std::move(f)).first;
            QTimer::singleShot(kStreamCreationTimeoutMs, this,
                               [this, requestId, serial] { onPairTimeout(requestId, serial); });
        }
        Forward &f = *it->second;
        quint32 &slot = type == "error" ? f.errorStream : f.dataStream;
        if (slot != 0 || f.started) {
            m_spdy->resetStream(id);
            return;
        }
        slot = id;
        m_streamRequest.insert(id, requestId);
        m_spdy->reply(id);
        if (type == "data") {
            f.port = port;
            f.clientFin = fin;
        }
        if (f.errorStream && f.dataStream)
            start(requestId, f);
    }

    void onPairTimeout(const QByteArray &requestId, quint64 serial)
    {
        const auto it = m_forwards.find(requestId);
        if (it == m_forwards.end() || it->second->serial != serial || it->second->started)
            return;
        Forward &f = *it->second;
        if (f.errorStream) {
            m_spdy->send(f.errorStream,
                         QByteArrayLiteral("(request=") + requestId +
                             ") timed out waiting for streams",
                         true);
        }
        drop(requestId);
    }

    void drop(const QByteArray &requestId)
    {
        const auto it = m_forwards.find(requestId);
        if (it == m_forwards.end())
            return;
        const Forward &f = *it->second;
        for (quint32 stream : {f.errorStream, f.dataStream}) {
            if (stream) {
                m_streamRequest.remove(stream);
                m_spdy->resetStream(stream);
            }
        }
        m_forwards.erase(it);
    }

    void start(const QByteArray &requestId, Forward &f)
    {
        f.started = true;
        const int port = int(f.port.toUInt());
        if (port != m_target.port || !m_network ||
            !m_network->podAccepts(m_target.ns, m_target.pod)) {
            // containerd's dial into the pod's network namespace, refused.
            const QString text =
                QStringLiteral(
                    "error forwarding port %1 to pod %2, uid : failed to execute portforward in "
                    "network namespace \"%3\": failed to connect to localhost:%1 inside "
                    "namespace \"%2\", IPv4: dial tcp4 127.0.0.1:%1: connect: connection "
                    "refused IPv6 dial tcp6: address localhost: no suitable address found ")
                    .arg(QString::number(port), m_target.sandboxId, m_target.netns);
            m_spdy->send(f.errorStream, text.toUtf8());
            finish(requestId, f);
            return;
        }
        processInput(requestId, f);
    }

    // The app's side of the connection ends: both streams are half-closed, error first.
    void finish(const QByteArray &requestId, Forward &f)
    {
        if (f.closed)
            return;
        f.closed = true;
        f.input.clear();
        m_spdy->send(f.errorStream, {}, true);
        m_spdy->send(f.dataStream, {}, true);
        if (f.clientFin)
            forget(requestId);
    }

    void forget(const QByteArray &requestId)
    {
        const auto it = m_forwards.find(requestId);
        if (it == m_forwards.end())
            return;
        m_streamRequest.remove(it->second->errorStream);
        m_streamRequest.remove(it->second->dataStream);
        m_forwards.erase(it);
    }

    void onData(quint32 id, const QByteArray &data, bool fin)
    {
        Forward *f = forwardOf(id);
        if (!f || id != f->dataStream)
            return; // nothing is read from the error stream
        const QByteArray requestId = m_streamRequest.value(id);
        if (fin)
            f->clientFin = true;
        if (f->closed) {
            if (f->clientFin)
                forget(requestId);
            return;
        }
        f->input += data;
        f->unanswered += data.size();
        if (f->unanswered > kMaxForwardInput) {
            // More than the app reads ahead: it stops reading, the kernel buffers fill, and
            // the forward is cut (no flow control to push back with).
            drop(requestId);
            return;
        }
        if (f->started)
            processInput(requestId, *f);
    }

    void onReset(quint32 id)
    {
        Forward *f = forwardOf(id);
        if (!f)
            return;
        const QByteArray requestId = m_streamRequest.value(id);
        m_streamRequest.remove(id);
        (id == f->errorStream ? f->errorStream : f->dataStream) = 0;
        drop(requestId);
    }

    void processInput(const QByteArray &requestId, Forward &f)
    {
        while (!f.inFlight && !f.closed && !f.input.isEmpty()) {
            const auto state = f.reader->feed(f.input);
            if (state == Http1RequestReader::State::Failed) {
                m_spdy->send(f.dataStream, "HTTP/1.1 400 Bad Request\r\nContent-Length: "
                                           "0\r\nConnection: close\r\n\r\n");
                finish(requestId, f);
                return;
            }
            if (state == Http1RequestReader::State::NeedMore)
                break;
            bool keepAlive = true;
            const HttpRequest request = f.reader->takeRequest(&keepAlive);
            f.unanswered = f.input.size(); // what follows the request: the next ones
            f.inFlight = true;
            QPointer<PortForwardSession> self(this);
            const quint64 serial = f.serial;
            m_network->podAnswer(m_target.ns, m_target.pod, request.method, request.target,
                                 [self, requestId, serial, keepAlive](PodAppReply reply) {
                                     if (self)
                                         self->onAnswer(requestId, serial, keepAlive, reply);
                                 });
        }
        // The client closed its side: the app reads EOF and closes the connection.
        if (!f.inFlight && !f.closed && f.clientFin)
            finish(requestId, f);
    }

    void onAnswer(const QByteArray &requestId, quint64 serial, bool keepAlive,
                  const PodAppReply &reply)
    {
        const auto it = m_forwards.find(requestId);
        if (it == m_forwards.end() || it->second->serial != serial || it->second->closed)
            return;
        Forward &f = *it->second;
        f.inFlight = false;
        if (reply.reset) {
            // The process is gone; containerd only logs the copy error, so the streams just end.
            finish(requestId, f);
            return;
        }
        QByteArray out = "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' +
                         httpReasonPhrase(reply.status) +
                         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                         QByteArray::number(reply.body.size()) + "\r\nDate: " + httpDate() + "\r\n";
        if (!keepAlive)
            out += "Connection: close\r\n";
        out += "\r\n" + reply.body;
        m_spdy->send(f.dataStream, out);
        if (!keepAlive) {
            finish(requestId, f);
            return;
        }
        processInput(requestId, f);
    }

    bool m_tunnelled;
    PodNetwork *m_network;
    Target m_target;
    std::unique_ptr<SpdySession> m_spdy;
    WebSocketReader m_ws;
    std::map<QByteArray, std::unique_ptr<Forward>> m_forwards; // by requestID
    QHash<quint32, QByteArray> m_streamRequest;                // stream -> requestID
    quint64 m_serial = 0;
};

PodStreamRefusal plainRefusal(int status, const QString &message)
{
    return PodStreamRefusal{status, QString(), message};
}

PodStreamRefusal statusRefusal(int status, const QString &reason, const QString &message)
{
    return PodStreamRefusal{status, reason, message};
}

// A WebSocket upgrade that chose `protocol`: the socket and what the client sent after its
// handshake, or why there is none (the words the kubelet answers with, with status 400).
struct Upgraded
{
    QSslSocket *socket = nullptr;
    QByteArray early;
};

Result<Upgraded> upgradeToWebSocket(HttpExchange *exchange, const QByteArray &protocol)
{
    const HttpHeaders headers = webSocketAcceptHeaders(exchange->request(), protocol);
    if (headers.isEmpty())
        return Error::make(Error::Kind::Protocol,
                           QStringLiteral("unable to upgrade: bad WebSocket handshake"));
    Upgraded upgraded;
    upgraded.socket = exchange->upgrade(headers, &upgraded.early);
    if (!upgraded.socket)
        return Error::make(Error::Kind::Protocol, QStringLiteral("Upgrade request required"));
    return upgraded;
}

} // namespace

PodStreams::PodStreams(PodNetwork *network, QObject *parent)
    : QObject(parent)
    , m_network(network)
{}

PodStreams::~PodStreams() = default;

int PodStreams::listenPort(const QJsonObject &pod)
{
    const QJsonArray containers = json::array(pod, {u"spec", u"containers"});
    const QJsonArray ports = containers.first().toObject().value(u"ports").toArray();
    if (!ports.isEmpty()) {
        const qint64 port = ports.first().toObject().value(u"containerPort").toInteger();
        if (port > 0 && port <= 65535)
            return int(port);
    }
    return 8080;
}

QString PodStreams::execNotFoundMessage(const QString &argv0, const QByteArray &execId)
{
    // runc looks a bare name up in $PATH, and stats a path.
    const QString quoted = QStringLiteral("\"%1\"").arg(argv0);
    const QString why =
        argv0.contains(u'/')
            ? QStringLiteral("exec: %1: stat %2: no such file or directory").arg(quoted, argv0)
            : QStringLiteral("exec: %1: executable file not found in $PATH").arg(quoted);
    return QStringLiteral("failed to start exec \"%1\": OCI runtime exec failed: exec failed: "
                          "unable to start container process: %2: unknown")
        .arg(QString::fromLatin1(execId), why);
}

std::optional<PodStreamRefusal> PodStreams::serve(HttpExchange *exchange,
                                                  const QString &subresource,
                                                  const QUrlQuery &query, const QJsonObject &pod)
{
    if (subresource == u"exec")
        return serveExec(exchange, query, pod);
    return servePortForward(exchange, pod);
}

std::optional<PodStreamRefusal>
PodStreams::serveExec(HttpExchange *exchange, const QUrlQuery &query, const QJsonObject &pod)
{
    const QString name = json::name(pod);
    // The API server's checks (ExecLocation), then the kubelet's.
    QString container = query.queryItemValue(QStringLiteral("container"), QUrl::FullyDecoded);
    const QJsonArray containers = json::array(pod, {u"spec", u"containers"});
    QStringList names;
    for (const QJsonValue &c : containers)
        names << c.toObject().value(u"name").toString();
    QStringList allNames = names;
    for (const QJsonValue &c : json::array(pod, {u"spec", u"initContainers"}))
        allNames << c.toObject().value(u"name").toString();
    if (container.isEmpty()) {
        if (names.size() != 1)
            return statusRefusal(400, QStringLiteral("BadRequest"),
                                 QStringLiteral("a container name must be specified for pod %1, "
                                                "choose one of: [%2]")
                                     .arg(name, names.join(u' ')));
        container = names.first();
    }
    if (!allNames.contains(container))
        return statusRefusal(
            400, QStringLiteral("BadRequest"),
            QStringLiteral("container %1 is not valid for pod %2").arg(container, name));
    if (json::string(pod, {u"spec", u"nodeName"}).isEmpty())
        return statusRefusal(400, QStringLiteral("BadRequest"),
                             QStringLiteral("pod %1 does not have a host assigned").arg(name));

    bool running = false;
    for (const char16_t *field : {u"containerStatuses", u"initContainerStatuses"}) {
        for (const QJsonValue &s : json::array(pod, {u"status", field})) {
            const QJsonObject o = s.toObject();
            if (o.value(u"name").toString() == container)
                running = json::has(o, {u"state", u"running"});
        }
    }
    if (!running)
        return statusRefusal(500, QStringLiteral("InternalError"),
                             QStringLiteral("container not found (\"%1\")").arg(container));

    const QStringList command =
        query.allQueryItemValues(QStringLiteral("command"), QUrl::FullyDecoded);
    // As the API server converts a query parameter to a bool: present and not "0" or "false".
    auto flag = [&query](const char *key) {
        if (!query.hasQueryItem(QLatin1StringView(key)))
            return false;
        const QString v = query.queryItemValue(QLatin1StringView(key));
        return v != u"0" && v.compare(u"false", Qt::CaseInsensitive) != 0;
    };
    const bool in = flag("stdin"), out = flag("stdout"), err = flag("stderr"), tty = flag("tty");
    if (command.isEmpty() || command.first().isEmpty())
        return plainRefusal(400, QStringLiteral("you must specify at least 1 command"));
    if (!in && !out && !err)
        return plainRefusal(400,
                            QStringLiteral("you must specify at least 1 of stdin, stdout, stderr"));

    const HttpRequest &request = exchange->request();
    const QByteArray status = execStatusJson(execFailureText(command));
    if (isWebSocketRequest(request)) {
        const QList<QByteArray> offered = webSocketProtocols(request);
        const QByteArray chosen = offered.contains(kExecV5)   ? kExecV5
                                  : offered.contains(kExecV4) ? kExecV4
                                                              : QByteArray();
        if (chosen.isEmpty())
            return plainRefusal(400, QStringLiteral("unable to upgrade: requested protocol(s) "
                                                    "are not supported: [%1]; supports [%2 %3]")
                                         .arg(QString::fromLatin1(offered.join(' ')),
                                              QString::fromLatin1(kExecV5),
                                              QString::fromLatin1(kExecV4)));
        Result<Upgraded> upgraded = upgradeToWebSocket(exchange, chosen);
        if (!upgraded)
            return plainRefusal(400, upgraded.error().message);
        new ExecWebSocketSession(upgraded->socket, upgraded->early, status, tty);
        return std::nullopt;
    }
    if (isSpdyUpgrade(request)) {
        const QList<QByteArray> offered = spdyProtocols(request);
        if (!offered.contains(kExecV4))
            return plainRefusal(403, QStringLiteral("unable to upgrade: unable to negotiate "
                                                    "protocol: client supports [%1], server "
                                                    "accepts [%2]")
                                         .arg(QString::fromLatin1(offered.join(' ')),
                                              QString::fromLatin1(kExecV4)));
        QList<QByteArray> expected{"error"};
        if (in)
            expected << "stdin";
        if (out)
            expected << "stdout";
        if (err && !tty)
            expected << "stderr";
        if (tty)
            expected << "resize";
        QByteArray early;
        QSslSocket *socket = exchange->upgrade({{"X-Stream-Protocol-Version", kExecV4},
                                                {"Connection", "Upgrade"},
                                                {"Upgrade", "SPDY/3.1"}},
                                               &early);
        if (!socket)
            return plainRefusal(400, QStringLiteral("Upgrade request required"));
        new ExecSpdySession(socket, early, status, expected);
        return std::nullopt;
    }
    return plainRefusal(400, QStringLiteral("Upgrade request required"));
}

std::optional<PodStreamRefusal> PodStreams::servePortForward(HttpExchange *exchange,
                                                             const QJsonObject &pod)
{
    const QString name = json::name(pod);
    if (json::string(pod, {u"spec", u"nodeName"}).isEmpty())
        return statusRefusal(400, QStringLiteral("BadRequest"),
                             QStringLiteral("pod %1 does not have a host assigned").arg(name));
    const QString uid = json::uid(pod);
    PortForwardSession::Target target{json::ns(pod), name, sandboxIdOf(uid), netnsOf(uid),
                                      listenPort(pod)};
    const HttpRequest &request = exchange->request();
    if (isWebSocketRequest(request)) {
        if (!webSocketProtocols(request).contains(kPortForwardTunnel))
            return plainRefusal(400, QStringLiteral("unable to upgrade: requested protocol(s) "
                                                    "are not supported; supports [%1]")
                                         .arg(QString::fromLatin1(kPortForwardTunnel)));
        Result<Upgraded> upgraded = upgradeToWebSocket(exchange, kPortForwardTunnel);
        if (!upgraded)
            return plainRefusal(400, upgraded.error().message);
        new PortForwardSession(upgraded->socket, upgraded->early, true, m_network, target);
        return std::nullopt;
    }
    if (isSpdyUpgrade(request)) {
        const QList<QByteArray> offered = spdyProtocols(request);
        // A client that names no protocol gets the only one (the kubelet's legacy path).
        if (!offered.isEmpty() && !offered.contains(kPortForwardProtocol))
            return plainRefusal(403, QStringLiteral("unable to upgrade: unable to negotiate "
                                                    "protocol: client supports [%1], server "
                                                    "accepts [%2]")
                                         .arg(QString::fromLatin1(offered.join(' ')),
                                              QString::fromLatin1(kPortForwardProtocol)));
        HttpHeaders headers;
        if (!offered.isEmpty())
            headers.append({QByteArrayLiteral("X-Stream-Protocol-Version"), kPortForwardProtocol});
        headers.append({QByteArrayLiteral("Connection"), QByteArrayLiteral("Upgrade")});
        headers.append({QByteArrayLiteral("Upgrade"), QByteArrayLiteral("SPDY/3.1")});
        QByteArray early;
        QSslSocket *socket = exchange->upgrade(headers, &early);
        if (!socket)
            return plainRefusal(400, QStringLiteral("Upgrade request required"));
        new PortForwardSession(socket, early, false, m_network, target);
        return std::nullopt;
    }
    return plainRefusal(400, QStringLiteral("Upgrade request required"));
}

} // namespace rollscope::sim
