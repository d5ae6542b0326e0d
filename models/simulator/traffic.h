// SPDX-License-Identifier: MIT
#pragma once

#include "apiserver.h"
#include "podstreams.h"
#include "store.h"

#include <QHash>
#include <QHostAddress>
#include <QObject>

#include <memory>

class QThread;

namespace rollscope::sim {

class PodLogs;
class PodRuntime;
class Registry;
class SimClock;
struct PodProcess;

namespace detail {
class TrafficServer;
}

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
//
// Threading. The pods' serving runs on a thread of its own (detail::TrafficServer), as a real
// cluster's pods and kube-proxy keep serving whatever the control plane does: list, watch and
// controller work on the main thread never delays an answer. This object stays on the main
// thread, watches the store and the kubelet's process table, and sends the serving thread
// values only: the listeners wanted, each Service's ready endpoints (what kube-proxy programs)
// and each pod's process state. Those arrive a moment later, as kube-proxy's updates do.
class TrafficFront : public QObject, public ServiceProxyBackend, public PodNetwork
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

    // The node's side of kubectl port-forward: a connection straight to a pod's app.
    bool podAccepts(const QString &ns, const QString &pod) const override;
    void podAnswer(const QString &ns, const QString &pod, const QByteArray &method,
                   const QByteArray &target, std::function<void(PodAppReply)> done) override;

    // Listening addresses of a Service's ports (each node's nodePort, then the ingress).
    QList<QPair<QHostAddress, quint16>> addressesOf(const QString &ns,
                                                    const QString &service) const;
    qint64 connectionsServed() const;
    int openConnections() const;
    // Returns once the serving thread has taken every update sent to it so far (for tests that
    // need "the pods have had SIGTERM" to be true on the serving side before they go on).
    void syncServing() const;

    // One listening address of a Service port, as the serving thread binds it.
    struct ListenerSpec
    {
        QString ns;
        QString service;
        QHostAddress address;
        quint16 port = 0;
        bool loadBalancer = false;
    };

private:
    void onStoreEvent(const StoreEvent &event);
    void syncService(const QString &ns, const QString &name);
    void refreshReadiness(const QString &ns, const QString &service);
    void closeService(const QString &ns, const QString &name);
    void onProcessChanged(const PodProcess &process);
    void onServed(const QString &ns, const QString &pod, const QString &container,
                  const QString &line);
    QStringList nodeAddresses() const;
    // Ready endpoints (pod names) of a Service, as kube-proxy picks them from its slices.
    QStringList readyEndpoints(const QString &ns, const QString &service) const;

    Registry *m_registry;
    Store *m_store;
    SimClock *m_clock;
    PodRuntime *m_runtime;
    PodLogs *m_logs;
    Store::SubscriptionId m_subscription = 0;
    QHash<QString, QList<ListenerSpec>> m_listeners;   // "ns/service" -> wanted listeners
    QHash<QString, QStringList> m_programmedEndpoints; // "ns/service" -> last sent endpoints
    quint32 m_lbCursor = 0;
    std::unique_ptr<QThread> m_thread;
    detail::TrafficServer *m_server = nullptr; // lives on m_thread
};

} // namespace rollscope::sim
