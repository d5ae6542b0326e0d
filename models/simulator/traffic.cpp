// SPDX-License-Identifier: MIT
#include "traffic.h"

#include "clock.h"
#include "httpparser.h"
#include "json.h"
#include "podlogs.h"
#include "podruntime.h"
#include "registry.h"

#include <QJsonDocument>
#include <QPointer>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <functional>
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

// The simulated app's answer to one request (the pod's process is `alive` when it runs and
// either has not had SIGTERM or shuts down gracefully).
struct AppAnswer
{
    int status = 200;
    QByteArray body;
    bool reset = false; // the process is gone or not listening: reset the connection
};

AppAnswer appAnswer(bool alive, const QString &pod, const QString &version, bool fail)
{
    AppAnswer a;
    if (!alive) {
        a.reset = true;
        return a;
    }
    a.status = fail ? 500 : 200;
    a.body = pod.toUtf8() + ' ' + version.toUtf8() +
             (fail ? QByteArrayLiteral(" internal error\n") : QByteArrayLiteral("\n"));
    return a;
}

// The access-log line the demo app writes for each answer.
QString accessLogLine(const QByteArray &method, const QByteArray &target, const AppAnswer &a)
{
    return QStringLiteral("\"%1 %2 HTTP/1.1\" %3 %4")
        .arg(QString::fromLatin1(method), QString::fromUtf8(target), QString::number(a.status),
             QString::number(a.body.size()));
}

} // namespace

namespace detail {

// What the serving thread knows of one pod's process: a copy of PodProcess's relevant parts.
struct ServedPod
{
    QString ns;
    QString name;
    QString container;
    QString version;
    bool running = false;
    bool listening = false;
    bool terminating = false;
    bool drain = true;
    qint64 latencyMs = 0;
    double failRate = 0.0;

    // Whether a request on an open connection is answered.
    bool answers() const { return running && (!terminating || drain); }
    // Whether a new connection is accepted by the pod.
    bool accepts() const { return answers() && listening; }
};

class TrafficConnection;

// The pods' serving and kube-proxy's routing, on the traffic thread. Everything it knows comes
// in as values from TrafficFront (queued calls); what it reports back (log lines) goes out the
// same way. It never touches the store.
class TrafficServer : public QObject
{
public:
    using LogSink = std::function<void(const QString &ns, const QString &pod,
                                       const QString &container, const QString &line)>;

    TrafficServer(quint64 seed, LogSink log)
        : m_random(quint32(seed ^ (seed >> 32)))
        , m_log(std::move(log))
    {}
    ~TrafficServer() override;

    void setListeners(const QString &key, const QList<TrafficFront::ListenerSpec> &wanted);
    void setEndpoints(const QString &key, const QStringList &pods);
    void upsertPod(const ServedPod &pod) { m_pods.insert(podKey(pod.ns, pod.name), pod); }
    void removePod(const QString &ns, const QString &name) { m_pods.remove(podKey(ns, name)); }
    void podTerminating(const QString &ns, const QString &name, bool abrupt);
    void podStopped(const QString &ns, const QString &name);

    AppAnswer answer(const QString &ns, const QString &pod, const QByteArray &method,
                     const QByteArray &target);
    qint64 latencyMs(const QString &ns, const QString &pod) const
    {
        const auto it = m_pods.constFind(podKey(ns, pod));
        return it == m_pods.cend() ? 0 : it->latencyMs;
    }

    void connectionOpened() { m_open.fetch_add(1, std::memory_order_relaxed); }
    void connectionClosed() { m_open.fetch_sub(1, std::memory_order_relaxed); }

    std::atomic<qint64> m_served{0};
    std::atomic<int> m_open{0};

private:
    struct Listener
    {
        TrafficFront::ListenerSpec spec;
        QTcpServer *server = nullptr; // null while the Service has no ready endpoint
    };

    static QString podKey(const QString &ns, const QString &name) { return ns + u'/' + name; }
    void refresh(const QString &key);
    void onNewConnection(Listener *listener);
    template<typename F>
    void forConnectionsOf(const QString &ns, const QString &name, F f);

    QRandomGenerator m_random;
    LogSink m_log;
    QHash<QString, QList<Listener *>> m_listeners; // "ns/service"
    QHash<QString, QStringList> m_endpoints;       // "ns/service" -> ready pods
    QHash<QString, ServedPod> m_pods;              // "ns/pod"
    QList<QPointer<TrafficConnection>> m_connections;
};

// One client connection, pinned to one pod for its lifetime (conntrack).
class TrafficConnection : public QObject
{
public:
    TrafficConnection(QTcpSocket *socket, QString ns, QString pod, TrafficServer *server)
        : QObject(server)
        , m_socket(socket)
        , m_ns(std::move(ns))
        , m_pod(std::move(pod))
        , m_server(server)
    {
        m_server->connectionOpened();
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
    ~TrafficConnection() override { m_server->connectionClosed(); }

    const QString &ns() const { return m_ns; }
    const QString &pod() const { return m_pod; }

    void reset()
    {
        m_dead = true;
        resetSocket(m_socket);
        deleteLater();
    }

    // SIGTERM to a graceful server (as Go's http.Server.Shutdown): a connection idle between
    // requests is closed now; one whose request is being served, or that has not sent its first
    // request yet, is left to finish, and its answer carries `Connection: close`. Closing an
    // accepted connection whose request is still unread would make the kernel send RST: a
    // failure no graceful server causes.
    void drain()
    {
        m_draining = true;
        if (!m_inFlight && m_answered > 0 && m_input.isEmpty() && m_socket->bytesAvailable() == 0) {
            m_dead = true;
            m_socket->disconnectFromHost();
        }
    }

private:
    void onReadyRead()
    {
        if (m_dead)
            return;
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
            const qint64 latency = m_server->latencyMs(m_ns, m_pod);
            QTimer::singleShot(int(latency), this,
                               [this, request, keepAlive] { finishRequest(request, keepAlive); });
        }
    }

    void finishRequest(const HttpRequest &request, bool keepAlive)
    {
        m_inFlight = false;
        if (m_dead)
            return;
        const AppAnswer a = m_server->answer(m_ns, m_pod, request.method, request.target);
        if (a.reset) {
            reset();
            return;
        }
        ++m_answered;
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
    TrafficServer *m_server;
    Http1RequestReader m_reader;
    QByteArray m_input;
    int m_answered = 0;
    bool m_inFlight = false;
    bool m_draining = false;
    bool m_dead = false;
};

TrafficServer::~TrafficServer()
{
    // Connections first, while this object is whole: each one reports its end to it.
    const auto connections = m_connections;
    for (const auto &c : connections)
        delete c.data();
    for (auto &listeners : m_listeners) {
        for (Listener *l : listeners)
            delete l;
    }
}

void TrafficServer::setListeners(const QString &key,
                                 const QList<TrafficFront::ListenerSpec> &wanted)
{
    QList<Listener *> &current = m_listeners[key];
    for (qsizetype i = current.size() - 1; i >= 0; --i) {
        Listener *l = current[i];
        const bool keep = std::any_of(wanted.cbegin(), wanted.cend(), [l](const auto &w) {
            return w.address == l->spec.address && w.port == l->spec.port;
        });
        if (!keep) {
            delete l->server;
            delete l;
            current.removeAt(i);
        }
    }
    for (const TrafficFront::ListenerSpec &w : wanted) {
        const bool have = std::any_of(current.cbegin(), current.cend(), [&w](const Listener *l) {
            return l->spec.address == w.address && l->spec.port == w.port;
        });
        if (!have)
            current << new Listener{w, nullptr};
    }
    if (current.isEmpty()) {
        m_listeners.remove(key);
        m_endpoints.remove(key);
        return;
    }
    refresh(key);
}

void TrafficServer::setEndpoints(const QString &key, const QStringList &pods)
{
    m_endpoints.insert(key, pods);
    refresh(key);
}

void TrafficServer::refresh(const QString &key)
{
    const bool anyReady = !m_endpoints.value(key).isEmpty();
    const QList<Listener *> listeners = m_listeners.value(key);
    for (Listener *l : listeners) {
        if (anyReady && !l->server) {
            l->server = new QTcpServer(this);
            if (!l->server->listen(l->spec.address, l->spec.port)) {
                qWarning("rollscope-sim: cannot serve %s on %s:%u: %s", qPrintable(key),
                         qPrintable(l->spec.address.toString()), l->spec.port,
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

void TrafficServer::onNewConnection(Listener *listener)
{
    if (!listener->server)
        return;
    const QString key = listener->spec.ns + u'/' + listener->spec.service;
    while (QTcpSocket *socket = listener->server->nextPendingConnection()) {
        m_served.fetch_add(1, std::memory_order_relaxed);
        const QStringList endpoints = m_endpoints.value(key);
        if (endpoints.isEmpty()) {
            resetSocket(socket);
            socket->deleteLater();
            continue;
        }
        const QString pod = endpoints.at(int(m_random.bounded(quint32(endpoints.size()))));
        const auto process = m_pods.constFind(podKey(listener->spec.ns, pod));
        if (process == m_pods.cend() || !process->accepts()) {
            // The packet reaches a pod where nothing listens: the connection is refused. A
            // user-space proxy has already accepted it, so the client sees a reset.
            resetSocket(socket);
            socket->deleteLater();
            continue;
        }
        m_connections.removeAll(nullptr);
        m_connections << new TrafficConnection(socket, listener->spec.ns, pod, this);
    }
}

AppAnswer TrafficServer::answer(const QString &ns, const QString &pod, const QByteArray &method,
                                const QByteArray &target)
{
    const auto process = m_pods.constFind(podKey(ns, pod));
    const bool alive = process != m_pods.cend() && process->answers();
    const bool fail =
        alive && process->failRate > 0 && m_random.generateDouble() < process->failRate;
    const AppAnswer a = appAnswer(alive, pod, alive ? process->version : QString(), fail);
    if (alive && m_log && !process->container.isEmpty())
        m_log(ns, pod, process->container, accessLogLine(method, target, a));
    return a;
}

template<typename F>
void TrafficServer::forConnectionsOf(const QString &ns, const QString &name, F f)
{
    m_connections.removeAll(nullptr);
    const auto connections = m_connections;
    for (const auto &c : connections) {
        if (c && c->ns() == ns && c->pod() == name)
            f(c.data());
    }
}

void TrafficServer::podTerminating(const QString &ns, const QString &name, bool abrupt)
{
    forConnectionsOf(ns, name, [abrupt](TrafficConnection *c) {
        if (abrupt)
            c->reset();
        else
            c->drain();
    });
}

void TrafficServer::podStopped(const QString &ns, const QString &name)
{
    forConnectionsOf(ns, name, [](TrafficConnection *c) { c->reset(); });
}

} // namespace detail

namespace {

detail::ServedPod servedPod(const PodProcess &p)
{
    detail::ServedPod s;
    s.ns = p.ns;
    s.name = p.name;
    s.container = p.container;
    s.version = p.behavior.version;
    s.running = p.running;
    s.listening = p.listening;
    s.terminating = p.terminating;
    s.drain = p.behavior.drain;
    s.latencyMs = p.behavior.latencyMs;
    s.failRate = p.behavior.failRate;
    return s;
}

} // namespace

TrafficFront::TrafficFront(Registry *registry, PodRuntime *runtime, PodLogs *logs, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_store(registry->store())
    , m_clock(registry->clock())
    , m_runtime(runtime)
    , m_logs(logs)
    , m_lbCursor(registry->random()->bounded(200u))
    , m_thread(std::make_unique<QThread>())
{
    m_thread->setObjectName(QStringLiteral("rollscope-sim traffic"));
    // Log lines come back to this thread, where PodLogs lives. The front outlives the serving
    // thread (the destructor joins it), so `front` is valid whenever the sink runs.
    TrafficFront *front = this;
    m_server = new detail::TrafficServer(
        registry->random()->generate64(), [front](const QString &ns, const QString &pod,
                                                  const QString &container, const QString &line) {
            QMetaObject::invokeMethod(
                front,
                [front, ns, pod, container, line] { front->onServed(ns, pod, container, line); },
                Qt::QueuedConnection);
        });
    m_server->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_server, &QObject::deleteLater);
    m_thread->start();

    m_subscription = m_store->subscribe([this](const StoreEvent &e) { onStoreEvent(e); });
    if (m_runtime) {
        detail::TrafficServer *server = m_server;
        connect(m_runtime, &PodRuntime::changed, this, &TrafficFront::onProcessChanged);
        connect(m_runtime, &PodRuntime::removed, this,
                [server](const QString &ns, const QString &name) {
                    QMetaObject::invokeMethod(
                        server, [server, ns, name] { server->removePod(ns, name); },
                        Qt::QueuedConnection);
                });
        connect(m_runtime, &PodRuntime::terminating, this,
                [server](const QString &ns, const QString &name, bool abrupt) {
                    QMetaObject::invokeMethod(
                        server,
                        [server, ns, name, abrupt] { server->podTerminating(ns, name, abrupt); },
                        Qt::QueuedConnection);
                });
        connect(m_runtime, &PodRuntime::stopped, this,
                [server](const QString &ns, const QString &name) {
                    QMetaObject::invokeMethod(
                        server, [server, ns, name] { server->podStopped(ns, name); },
                        Qt::QueuedConnection);
                });
        for (const PodProcess &p : m_runtime->all())
            onProcessChanged(p);
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
    // The serving thread's objects (listeners, connections) go with its event loop.
    m_thread->quit();
    m_thread->wait();
}

qint64 TrafficFront::connectionsServed() const
{
    return m_server->m_served.load(std::memory_order_relaxed);
}

int TrafficFront::openConnections() const
{
    return m_server->m_open.load(std::memory_order_relaxed);
}

void TrafficFront::syncServing() const
{
    QMetaObject::invokeMethod(
        m_server, [] {}, Qt::BlockingQueuedConnection);
}

void TrafficFront::onProcessChanged(const PodProcess &process)
{
    detail::TrafficServer *server = m_server;
    const detail::ServedPod pod = servedPod(process);
    QMetaObject::invokeMethod(
        server, [server, pod] { server->upsertPod(pod); }, Qt::QueuedConnection);
}

void TrafficFront::onServed(const QString &ns, const QString &pod, const QString &container,
                            const QString &line)
{
    if (m_logs)
        m_logs->append(ns, pod, container, line);
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
    const QString key = serviceKey(ns, name);
    if (!m_listeners.contains(key))
        return;
    m_listeners.remove(key);
    m_programmedEndpoints.remove(key);
    detail::TrafficServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, key] { server->setListeners(key, {}); }, Qt::QueuedConnection);
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

    QList<ListenerSpec> specs;
    for (const Wanted &w : wanted)
        specs << ListenerSpec{ns, name, w.address, w.port, w.lb};
    const QString key = serviceKey(ns, name);
    m_listeners.insert(key, specs);
    detail::TrafficServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, key, specs] { server->setListeners(key, specs); }, Qt::QueuedConnection);
    m_programmedEndpoints.remove(key); // the serving thread dropped them if it had none
    refreshReadiness(ns, name);
}

// What kube-proxy programs for a Service: sent to the serving thread when it changes.
void TrafficFront::refreshReadiness(const QString &ns, const QString &service)
{
    const QString key = serviceKey(ns, service);
    const QStringList ready = readyEndpoints(ns, service);
    const auto it = m_programmedEndpoints.constFind(key);
    if (it != m_programmedEndpoints.cend() && *it == ready)
        return;
    m_programmedEndpoints.insert(key, ready);
    detail::TrafficServer *server = m_server;
    QMetaObject::invokeMethod(
        server, [server, key, ready] { server->setEndpoints(key, ready); }, Qt::QueuedConnection);
}

QList<QPair<QHostAddress, quint16>> TrafficFront::addressesOf(const QString &ns,
                                                              const QString &service) const
{
    QList<QPair<QHostAddress, quint16>> result;
    for (const ListenerSpec &l : m_listeners.value(serviceKey(ns, service)))
        result << qMakePair(l.address, l.port);
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
    // The proxy's requests are the API server's own (this thread): the pod's answer is decided
    // from the kubelet's table when it is due.
    const QString podName = pod;
    const QString nsName = ns;
    QPointer<TrafficFront> self(this);
    QTimer::singleShot(
        int(process->behavior.latencyMs), this,
        [self, nsName, podName, method, pathAndQuery, done] {
            if (!self)
                return;
            const PodProcess *p =
                self->m_runtime ? self->m_runtime->find(nsName, podName) : nullptr;
            const bool alive = p && p->running && (!p->terminating || p->behavior.drain);
            const bool fail = alive && p->behavior.failRate > 0 &&
                              self->m_registry->random()->generateDouble() < p->behavior.failRate;
            const AppAnswer a =
                appAnswer(alive, podName, alive ? p->behavior.version : QString(), fail);
            if (a.reset) {
                done(ProxyReply{
                    503,
                    {{QByteArrayLiteral("Content-Type"), QByteArrayLiteral("application/json")}},
                    statusJson(503, QStringLiteral("ServiceUnavailable"),
                               QStringLiteral("error trying to reach service: "
                                              "read: connection reset by peer"))});
                return;
            }
            if (!p->container.isEmpty())
                self->onServed(nsName, podName, p->container,
                               accessLogLine(method, pathAndQuery, a));
            done(ProxyReply{a.status,
                            {{QByteArrayLiteral("Content-Type"),
                              QByteArrayLiteral("text/plain; charset=utf-8")}},
                            a.body});
        });
}

bool TrafficFront::podAccepts(const QString &ns, const QString &pod) const
{
    const PodProcess *p = m_runtime ? m_runtime->find(ns, pod) : nullptr;
    return p && p->running && p->listening && (!p->terminating || p->behavior.drain);
}

void TrafficFront::podAnswer(const QString &ns, const QString &pod, const QByteArray &method,
                             const QByteArray &target, std::function<void(PodAppReply)> done)
{
    // As the service proxy: the answer is decided from the kubelet's table when it is due.
    const PodProcess *process = m_runtime ? m_runtime->find(ns, pod) : nullptr;
    const qint64 latency = process ? process->behavior.latencyMs : 0;
    QPointer<TrafficFront> self(this);
    QTimer::singleShot(int(latency), this, [self, ns, pod, method, target, done] {
        if (!self)
            return;
        const PodProcess *p = self->m_runtime ? self->m_runtime->find(ns, pod) : nullptr;
        const bool alive = p && p->running && (!p->terminating || p->behavior.drain);
        const bool fail = alive && p->behavior.failRate > 0 &&
                          self->m_registry->random()->generateDouble() < p->behavior.failRate;
        const AppAnswer a = appAnswer(alive, pod, alive ? p->behavior.version : QString(), fail);
        if (alive && !p->container.isEmpty())
            self->onServed(ns, pod, p->container, accessLogLine(method, target, a));
        done(PodAppReply{a.status, a.body, a.reset});
    });
}

} // namespace rollscope::sim
