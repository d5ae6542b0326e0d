#include "traffic.h"

#include "clock.h"
#include "httpparser.h"
#include "json.h"
#include "podlogs.h"
#include "podruntime.h"
#include "registry.h"

#include <QJsonDocument>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <sys/socket.h>

namespace rollscope::sim {

namespace {

QString serviceKey(const QString &ns, const QString &name)
{
    return ns + u'/' + name;
}

// Closes with RST instead of FIN: what a client sees when a process dies or nothing listens.
void resetSocket(QTcpSocket *socket)
{
    const qintptr fd = socket->socketDescriptor();
    if (fd >= 0) {
        struct linger l
        {
            1, 0
        };
        ::setsockopt(int(fd), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    socket->abort();
}

QByteArray statusJson(int code, const QString &reason, const QString &message)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                     {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                     {QStringLiteral("metadata"), QJsonObject()},
                                     {QStringLiteral("status"), QStringLiteral("Failure")},
                                     {QStringLiteral("message"), message},
                                     {QStringLiteral("reason"), reason},
                                     {QStringLiteral("code"), code}})
        .toJson(QJsonDocument::Compact);
}

} // namespace

// One client connection, pinned to one pod for its lifetime (conntrack).
class TrafficConnection : public QObject
{
public:
    TrafficConnection(QTcpSocket *socket, QString ns, QString pod, TrafficFront *front)
        : QObject(front)
        , m_socket(socket)
        , m_ns(std::move(ns))
        , m_pod(std::move(pod))
        , m_front(front)
    {
        socket->setParent(this);
        connect(socket, &QIODevice::readyRead, this, &TrafficConnection::onReadyRead);
        connect(socket, &QAbstractSocket::disconnected, this, &QObject::deleteLater);
        connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
            if (m_socket->state() == QAbstractSocket::UnconnectedState)
                deleteLater();
        });
        if (socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(this, &TrafficConnection::onReadyRead, Qt::QueuedConnection);
    }

    const QString &ns() const { return m_ns; }
    const QString &pod() const { return m_pod; }

    void reset()
    {
        m_dead = true;
        resetSocket(m_socket);
        deleteLater();
    }

    // SIGTERM with graceful shutdown: idle connections close now, busy ones after their answer.
    void drain()
    {
        m_draining = true;
        if (!m_inFlight) {
            m_dead = true;
            m_socket->disconnectFromHost();
        }
    }

private:
    void onReadyRead()
    {
        m_input += m_socket->readAll();
        processInput();
    }

    void processInput()
    {
        while (!m_inFlight && !m_dead && !m_input.isEmpty()) {
            const auto state = m_reader.feed(m_input);
            if (state == Http1RequestReader::State::Failed) {
                m_socket->write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: "
                                "close\r\n\r\n");
                m_dead = true;
                m_socket->disconnectFromHost();
                return;
            }
            if (state == Http1RequestReader::State::NeedMore)
                return;
            bool keepAlive = true;
            const HttpRequest request = m_reader.takeRequest(&keepAlive);
            m_inFlight = true;
            const qint64 latency = m_front->latencyMs(m_ns, m_pod);
            QTimer::singleShot(int(latency), this,
                               [this, request, keepAlive] { finishRequest(request, keepAlive); });
        }
    }

    void finishRequest(const HttpRequest &request, bool keepAlive)
    {
        m_inFlight = false;
        if (m_dead)
            return;
        const TrafficFront::AppAnswer a =
            m_front->answer(m_ns, m_pod, request.method, request.target);
        if (a.reset) {
            reset();
            return;
        }
        const bool close = !keepAlive || m_draining;
        QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + ' ' +
                         httpReasonPhrase(a.status) +
                         "\r\nContent-Type: text/plain; "
                         "charset=utf-8\r\nContent-Length: " +
                         QByteArray::number(a.body.size()) + "\r\nDate: " + httpDate() + "\r\n";
        if (close)
            out += "Connection: close\r\n";
        out += "\r\n" + a.body;
        m_socket->write(out);
        if (close) {
            m_dead = true;
            m_socket->disconnectFromHost();
            return;
        }
        processInput();
    }

    QTcpSocket *m_socket;
    QString m_ns;
    QString m_pod;
    TrafficFront *m_front;
    Http1RequestReader m_reader;
    QByteArray m_input;
    bool m_inFlight = false;
    bool m_draining = false;
    bool m_dead = false;
};

struct TrafficFront::Listener
{
    QString ns;
    QString service;
    QHostAddress address;
    quint16 port = 0;
    bool loadBalancer = false;
    QTcpServer *server = nullptr; // null while the Service has no ready endpoint
};

TrafficFront::TrafficFront(Registry *registry, PodRuntime *runtime, PodLogs *logs, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_store(registry->store())
    , m_clock(registry->clock())
    , m_runtime(runtime)
    , m_logs(logs)
    , m_lbCursor(registry->random()->bounded(200u))
{
    m_subscription = m_store->subscribe([this](const StoreEvent &e) { onStoreEvent(e); });
    if (m_runtime) {
        connect(m_runtime, &PodRuntime::terminating, this, &TrafficFront::onPodTerminating);
        connect(m_runtime, &PodRuntime::stopped, this, &TrafficFront::onPodStopped);
    }
    // Services that exist already (a front started after seeding).
    m_store->forEach(Resources::services(), {}, [this](const QJsonObject &svc) {
        const QString ns = json::ns(svc);
        const QString name = json::name(svc);
        QMetaObject::invokeMethod(
            this, [this, ns, name] { syncService(ns, name); }, Qt::QueuedConnection);
        return true;
    });
}

TrafficFront::~TrafficFront()
{
    m_store->unsubscribe(m_subscription);
    for (auto &listeners : m_listeners) {
        for (Listener *l : listeners)
            delete l;
    }
}

int TrafficFront::openConnections() const
{
    int n = 0;
    for (const auto &c : m_connections) {
        if (c)
            ++n;
    }
    return n;
}

QStringList TrafficFront::nodeAddresses() const
{
    QStringList addresses;
    m_store->forEach(Resources::nodes(), {}, [&](const QJsonObject &node) {
        for (const QJsonValue &a : json::array(node, {u"status", u"addresses"})) {
            if (a.toObject().value(u"type").toString() == u"InternalIP")
                addresses << a.toObject().value(u"address").toString();
        }
        return true;
    });
    if (addresses.isEmpty())
        addresses << QStringLiteral("127.0.0.1");
    return addresses;
}

bool TrafficFront::canBindNodePort(int port) const
{
    for (const QString &address : nodeAddresses()) {
        QTcpServer probe;
        if (!probe.listen(QHostAddress(address), quint16(port)))
            return false;
    }
    return true;
}

void TrafficFront::onStoreEvent(const StoreEvent &event)
{
    const ResourceType &type = *event.resource;
    if (type == Resources::services()) {
        const QString ns = json::ns(event.object);
        const QString name = json::name(event.object);
        // Deferred: binding sockets and writing the Service status do not belong inside the
        // store's notification.
        QMetaObject::invokeMethod(
            this, [this, ns, name] { syncService(ns, name); }, Qt::QueuedConnection);
    } else if (type == Resources::endpointSlices() || type == Resources::endpoints()) {
        QString service =
            type == Resources::endpoints()
                ? json::name(event.object)
                : json::label(event.object, QStringLiteral("kubernetes.io/service-name"));
        const QString ns = json::ns(event.object);
        if (m_listeners.contains(serviceKey(ns, service)))
            refreshReadiness(ns, service);
    }
}

QStringList TrafficFront::readyEndpoints(const QString &ns, const QString &service) const
{
    QStringList ready;
    QStringList servingTerminating;
    bool anySlice = false;
    m_store->forEach(Resources::endpointSlices(), ns, [&](const QJsonObject &slice) {
        if (json::label(slice, QStringLiteral("kubernetes.io/service-name")) != service)
            return true;
        anySlice = true;
        for (const QJsonValue &v : slice.value(u"endpoints").toArray()) {
            const QJsonObject e = v.toObject();
            const QJsonObject conditions = e.value(u"conditions").toObject();
            const QString pod = json::string(e, {u"targetRef", u"name"});
            if (pod.isEmpty())
                continue;
            if (conditions.value(u"ready").toBool())
                ready << pod;
            else if (conditions.value(u"serving").toBool() &&
                     conditions.value(u"terminating").toBool())
                servingTerminating << pod;
        }
        return true;
    });
    if (!anySlice) {
        const auto ep = m_store->get(Resources::endpoints(), ns, service);
        if (ep) {
            for (const QJsonValue &s : ep->value(u"subsets").toArray()) {
                for (const QJsonValue &a : s.toObject().value(u"addresses").toArray())
                    ready << json::string(a.toObject(), {u"targetRef", u"name"});
            }
        }
    }
    ready.removeAll(QString());
    ready.removeDuplicates();
    // kube-proxy falls back to serving-and-terminating endpoints when none is ready.
    return ready.isEmpty() ? servingTerminating : ready;
}

void TrafficFront::closeService(const QString &ns, const QString &name)
{
    const QList<Listener *> listeners = m_listeners.take(serviceKey(ns, name));
    for (Listener *l : listeners) {
        delete l->server;
        delete l;
    }
}

void TrafficFront::syncService(const QString &ns, const QString &name)
{
    const auto svc = m_store->get(Resources::services(), ns, name);
    const QString type = svc ? json::string(*svc, {u"spec", u"type"}) : QString();
    if (!svc || (type != u"NodePort" && type != u"LoadBalancer")) {
        closeService(ns, name);
        return;
    }
    const QJsonArray ports = json::array(*svc, {u"spec", u"ports"});

    struct Wanted
    {
        QHostAddress address;
        quint16 port;
        bool lb;
    };
    QList<Wanted> wanted;
    for (const QJsonValue &v : ports) {
        const int nodePort = int(v.toObject().value(u"nodePort").toInteger());
        if (nodePort <= 0)
            continue;
        for (const QString &address : nodeAddresses())
            wanted << Wanted{QHostAddress(address), quint16(nodePort), false};
    }

    if (type == u"LoadBalancer" && !ports.isEmpty()) {
        QString ingressIp;
        const QJsonArray ingress = json::array(*svc, {u"status", u"loadBalancer", u"ingress"});
        if (!ingress.isEmpty())
            ingressIp = ingress.first().toObject().value(u"ip").toString();
        if (ingressIp.isEmpty()) {
            // Find a loopback address where every Service port can be bound (ports below 1024
            // need privileges; other simulators may hold an address already).
            for (int attempt = 0; attempt < 250 && ingressIp.isEmpty(); ++attempt) {
                const QString candidate =
                    QStringLiteral("127.0.1.%1").arg(1 + (m_lbCursor + quint32(attempt)) % 250);
                bool all = true;
                bool denied = false;
                for (const QJsonValue &v : ports) {
                    QTcpServer probe;
                    if (!probe.listen(QHostAddress(candidate),
                                      quint16(v.toObject().value(u"port").toInteger()))) {
                        all = false;
                        denied = probe.serverError() == QAbstractSocket::SocketAccessError;
                        break;
                    }
                }
                if (all)
                    ingressIp = candidate;
                if (denied)
                    break; // unprivileged: no address will do
            }
            m_lbCursor += 1;
            if (ingressIp.isEmpty()) {
                qWarning("rollscope-sim: LoadBalancer %s/%s stays <pending>: its port cannot be "
                         "bound here; use its nodePort instead",
                         qPrintable(ns), qPrintable(name));
            } else {
                (void)m_registry->modify(
                    Resources::services(), ns, name,
                    [&](QJsonObject &o) {
                        json::set(o, {u"status", u"loadBalancer", u"ingress"},
                                  QJsonArray{QJsonObject{
                                      {QStringLiteral("ip"), ingressIp},
                                      {QStringLiteral("ipMode"), QStringLiteral("VIP")}}});
                        return true;
                    },
                    Subresource::Status);
            }
        }
        if (!ingressIp.isEmpty()) {
            for (const QJsonValue &v : ports)
                wanted << Wanted{QHostAddress(ingressIp),
                                 quint16(v.toObject().value(u"port").toInteger()), true};
        }
    }

    QList<Listener *> &current = m_listeners[serviceKey(ns, name)];
    // Drop listeners no longer wanted.
    for (qsizetype i = current.size() - 1; i >= 0; --i) {
        Listener *l = current[i];
        const bool keep = std::any_of(wanted.cbegin(), wanted.cend(), [l](const Wanted &w) {
            return w.address == l->address && w.port == l->port;
        });
        if (!keep) {
            delete l->server;
            delete l;
            current.removeAt(i);
        }
    }
    for (const Wanted &w : wanted) {
        const bool have = std::any_of(current.cbegin(), current.cend(), [&w](const Listener *l) {
            return l->address == w.address && l->port == w.port;
        });
        if (!have) {
            auto *l = new Listener;
            l->ns = ns;
            l->service = name;
            l->address = w.address;
            l->port = w.port;
            l->loadBalancer = w.lb;
            current << l;
        }
    }
    refreshReadiness(ns, name);
}

void TrafficFront::refreshReadiness(const QString &ns, const QString &service)
{
    const bool anyReady = !readyEndpoints(ns, service).isEmpty();
    const QList<Listener *> listeners = m_listeners.value(serviceKey(ns, service));
    for (Listener *l : listeners) {
        if (anyReady && !l->server) {
            l->server = new QTcpServer(this);
            if (!l->server->listen(l->address, l->port)) {
                qWarning("rollscope-sim: cannot serve %s/%s on %s:%u: %s", qPrintable(ns),
                         qPrintable(service), qPrintable(l->address.toString()), l->port,
                         qPrintable(l->server->errorString()));
                delete l->server;
                l->server = nullptr;
                continue;
            }
            connect(l->server, &QTcpServer::newConnection, this, [this, l] { onNewConnection(l); });
        } else if (!anyReady && l->server) {
            // No ready endpoint: kube-proxy rejects, so the port refuses connections.
            delete l->server;
            l->server = nullptr;
        }
    }
}

void TrafficFront::onNewConnection(Listener *listener)
{
    if (!listener->server)
        return;
    while (QTcpSocket *socket = listener->server->nextPendingConnection()) {
        ++m_connectionsServed;
        const QStringList endpoints = readyEndpoints(listener->ns, listener->service);
        if (endpoints.isEmpty()) {
            resetSocket(socket);
            socket->deleteLater();
            continue;
        }
        const QString pod =
            endpoints.at(int(m_registry->random()->bounded(quint32(endpoints.size()))));
        const PodProcess *process = m_runtime ? m_runtime->find(listener->ns, pod) : nullptr;
        if (!process || !process->running || !process->listening ||
            (process->terminating && !process->behavior.drain)) {
            // The packet reaches a pod where nothing listens: the connection is refused. A
            // user-space proxy has already accepted it, so the client sees a reset.
            resetSocket(socket);
            socket->deleteLater();
            continue;
        }
        m_connections.removeAll(nullptr);
        m_connections << new TrafficConnection(socket, listener->ns, pod, this);
    }
}

qint64 TrafficFront::latencyMs(const QString &ns, const QString &pod) const
{
    const PodProcess *process = m_runtime ? m_runtime->find(ns, pod) : nullptr;
    return process ? process->behavior.latencyMs : 0;
}

TrafficFront::AppAnswer TrafficFront::answer(const QString &ns, const QString &pod,
                                             const QByteArray &method, const QByteArray &target)
{
    AppAnswer a;
    const PodProcess *process = m_runtime ? m_runtime->find(ns, pod) : nullptr;
    if (!process || !process->running || (process->terminating && !process->behavior.drain)) {
        a.reset = true;
        return a;
    }
    const bool fail = process->behavior.failRate > 0 &&
                      m_registry->random()->generateDouble() < process->behavior.failRate;
    a.status = fail ? 500 : 200;
    a.body = fail ? QByteArray(pod.toUtf8() + ' ' + process->behavior.version.toUtf8() +
                               " internal error\n")
                  : QByteArray(pod.toUtf8() + ' ' + process->behavior.version.toUtf8() + '\n');
    if (m_logs) {
        const auto podObject = m_store->get(Resources::pods(), ns, pod);
        const QString container = podObject ? json::array(*podObject, {u"spec", u"containers"})
                                                  .first()
                                                  .toObject()
                                                  .value(u"name")
                                                  .toString()
                                            : QString();
        if (!container.isEmpty())
            m_logs->append(ns, pod, container,
                           QStringLiteral("\"%1 %2 HTTP/1.1\" %3 %4")
                               .arg(QString::fromLatin1(method), QString::fromUtf8(target))
                               .arg(a.status)
                               .arg(a.body.size()));
    }
    return a;
}

void TrafficFront::onPodTerminating(const QString &ns, const QString &name, bool abrupt)
{
    const auto connections = m_connections;
    for (const auto &c : connections) {
        if (!c || c->ns() != ns || c->pod() != name)
            continue;
        if (abrupt)
            c->reset();
        else
            c->drain();
    }
}

void TrafficFront::onPodStopped(const QString &ns, const QString &name)
{
    const auto connections = m_connections;
    for (const auto &c : connections) {
        if (c && c->ns() == ns && c->pod() == name)
            c->reset();
    }
}

QList<QPair<QHostAddress, quint16>> TrafficFront::addressesOf(const QString &ns,
                                                              const QString &service) const
{
    QList<QPair<QHostAddress, quint16>> result;
    for (const Listener *l : m_listeners.value(serviceKey(ns, service)))
        result << qMakePair(l->address, l->port);
    return result;
}

void TrafficFront::proxy(const QString &ns, const QString &service, const QString &port,
                         const QByteArray &method, const QByteArray &pathAndQuery,
                         std::function<void(ProxyReply)> done)
{
    const auto svc = m_store->get(Resources::services(), ns, service);
    auto unavailable = [&done](const QString &message) {
        done(
            ProxyReply{503,
                       {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}},
                       statusJson(503, QStringLiteral("ServiceUnavailable"), message)});
    };
    if (!port.isEmpty() && svc) {
        bool isNumber = false;
        const int number = port.toInt(&isNumber);
        bool found = false;
        for (const QJsonValue &p : json::array(*svc, {u"spec", u"ports"})) {
            const QJsonObject o = p.toObject();
            found = found || (isNumber ? o.value(u"port").toInteger() == number
                                       : o.value(u"name").toString() == port);
        }
        if (!found)
            return unavailable(
                QStringLiteral("no service port %1 found for service \"%2\"").arg(port, service));
    }
    // The API server's proxy picks a random address from the Endpoints' ready addresses.
    QStringList pods;
    const auto ep = m_store->get(Resources::endpoints(), ns, service);
    if (ep) {
        for (const QJsonValue &s : ep->value(u"subsets").toArray()) {
            for (const QJsonValue &a : s.toObject().value(u"addresses").toArray())
                pods << json::string(a.toObject(), {u"targetRef", u"name"});
        }
    }
    pods.removeAll(QString());
    if (pods.isEmpty())
        return unavailable(
            QStringLiteral("no endpoints available for service \"%1\"").arg(service));
    const QString pod = pods.at(int(m_registry->random()->bounded(quint32(pods.size()))));
    const PodProcess *process = m_runtime ? m_runtime->find(ns, pod) : nullptr;
    if (!process || !process->running || !process->listening) {
        const QString ip = process ? process->podIp : QString();
        return unavailable(QStringLiteral("error trying to reach service: dial tcp %1: connect: "
                                          "connection refused")
                               .arg(ip));
    }
    const QString podName = pod;
    const QString nsName = ns;
    QPointer<TrafficFront> self(this);
    QTimer::singleShot(
        int(process->behavior.latencyMs), this,
        [self, nsName, podName, method, pathAndQuery, done] {
            if (!self)
                return;
            const AppAnswer a = self->answer(nsName, podName, method, pathAndQuery);
            if (a.reset) {
                done(ProxyReply{
                    503,
                    {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}},
                    statusJson(503, QStringLiteral("ServiceUnavailable"),
                               QStringLiteral("error trying to reach service: "
                                              "read: connection reset by peer"))});
                return;
            }
            done(ProxyReply{a.status,
                            {{QByteArrayLiteral("Content-Type"),
                              QByteArrayLiteral("text/plain; charset=utf-8")}},
                            a.body});
        });
}

} // namespace rollscope::sim
