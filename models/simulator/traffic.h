#pragma once

#include "apiserver.h"
#include "store.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QPointer>

#include <memory>

class QTcpServer;
class QTcpSocket;

namespace rollscope::sim {

class PodLogs;
class PodRuntime;
class Registry;
class SimClock;
class TrafficConnection;

// What kube-proxy and a cloud load balancer do for the simulated cluster, on loopback:
//  - every NodePort/LoadBalancer Service port is served at each node's InternalIP:nodePort;
//  - a LoadBalancer Service also gets an ingress address (127.0.1.x) serving its port, written
//    to status.loadBalancer.ingress as a cloud controller would;
//  - each new connection goes to a random ready endpoint (uniformly, as iptables mode) and stays
//    there for its lifetime (conntrack); with no ready endpoint the listener is closed, so
//    connections are refused;
//  - the endpoint's simulated app answers HTTP per its image behaviour: its pod name and
//    version, a share of 500s, refusal before it listens, resets when it dies without draining.
// It also serves the API server's service proxy.
class TrafficFront : public QObject, public ServiceProxyBackend
{
    Q_OBJECT
public:
    TrafficFront(Registry *registry, PodRuntime *runtime, PodLogs *logs, QObject *parent = nullptr);
    ~TrafficFront() override;

    // Whether `port` can be bound on every node address (for nodePort allocation).
    bool canBindNodePort(int port) const;

    void proxy(const QString &ns, const QString &service, const QString &port,
               const QByteArray &method, const QByteArray &pathAndQuery,
               std::function<void(ProxyReply)> done) override;

    // Listening address of a Service port, for tests: the first node's nodePort.
    QList<QPair<QHostAddress, quint16>> addressesOf(const QString &ns,
                                                    const QString &service) const;
    qint64 connectionsServed() const { return m_connectionsServed; }
    int openConnections() const;

    // Simulated app answer to one request on a connection pinned to pod ns/name.
    struct AppAnswer
    {
        int status = 200;
        QByteArray body;
        bool reset = false; // the process is gone or not listening: reset the connection
    };
    AppAnswer answer(const QString &ns, const QString &pod, const QByteArray &method,
                     const QByteArray &target);
    PodRuntime *runtime() const { return m_runtime; }
    qint64 latencyMs(const QString &ns, const QString &pod) const;

private:
    struct Listener;
    struct ServicePort;

    void onStoreEvent(const StoreEvent &event);
    void syncService(const QString &ns, const QString &name);
    void refreshReadiness(const QString &ns, const QString &service);
    void closeService(const QString &ns, const QString &name);
    void onNewConnection(Listener *listener);
    void onPodTerminating(const QString &ns, const QString &name, bool abrupt);
    void onPodStopped(const QString &ns, const QString &name);
    QStringList nodeAddresses() const;
    // Ready endpoints (pod names) of a Service, as kube-proxy picks them from its slices.
    QStringList readyEndpoints(const QString &ns, const QString &service) const;

    Registry *m_registry;
    Store *m_store;
    SimClock *m_clock;
    PodRuntime *m_runtime;
    PodLogs *m_logs;
    Store::SubscriptionId m_subscription = 0;
    QHash<QString, QList<Listener *>> m_listeners; // "ns/service" -> listeners
    QList<QPointer<TrafficConnection>> m_connections;
    qint64 m_connectionsServed = 0;
    quint32 m_lbCursor = 0;
};

} // namespace rollscope::sim
