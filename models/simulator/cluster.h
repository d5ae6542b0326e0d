// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"
#include "scenarios.h"
#include "session/democluster.h"

#include <QHostAddress>
#include <QObject>
#include <QPointer>
#include <QRandomGenerator>
#include <QThread>
#include <QUrl>

#include <memory>

namespace rollscope::sim {

class ApiServer;
class Authenticator;
class CertificateAuthority;
class ControllerManager;
class EventRecorder;
class HttpServer;
class ListEncodingWarmer;
class PodLogs;
class PodRuntime;
class Registry;
class SimClock;
class Store;
class TrafficFront;

struct SimOptions
{
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0; // 0 = any free port
    Scenario scenario;
    double speed = 1.0;
    // Tests: the clock stays virtual after seeding and only moves when the test advances it.
    bool virtualClock = false;
    quint32 seed = 0; // 0 = random
    int nodes = 3;
    bool traffic = true; // serve NodePort/LoadBalancer addresses and the service proxy
    // How long the scenario ran before "now": objects show this age and settled state.
    qint64 warmUpMs = 20 * 60 * 1000;
};

// One simulated cluster: object store, controllers, API server over HTTPS and the traffic
// front, composed and started. Lives on the thread that creates it.
class SimCluster : public QObject
{
    Q_OBJECT
public:
    static Result<std::unique_ptr<SimCluster>> start(const SimOptions &options);
    ~SimCluster() override;

    QUrl serverUrl() const;
    // A kubeconfig with contexts rollscope-sim (admin, client certificate), rollscope-sim-token
    // (admin, bearer token) and rollscope-sim-viewer (read-only token), CA embedded.
    QByteArray kubeconfig() const;
    // Written atomically with mode 0600 (it holds credentials).
    VoidResult writeKubeconfig(const QString &path) const;

    QString adminToken() const { return m_adminToken; }
    QString viewerToken() const { return m_viewerToken; }
    QByteArray caCertificatePem() const;

    SimClock *clock() const { return m_clock.get(); }
    Store *store() const { return m_store.get(); }
    Registry *registry() const { return m_registry.get(); }
    ApiServer *api() const { return m_api; }
    TrafficFront *traffic() const { return m_traffic; }
    PodRuntime *runtime() const { return m_runtime; }

private:
    // Compacts the store every 5 simulated minutes, as the API server compacts etcd.
    void scheduleCompaction(qint64 previousRevision);
    SimCluster();
    VoidResult init(const SimOptions &options);

    QRandomGenerator m_random;
    std::unique_ptr<SimClock> m_clock;
    std::unique_ptr<Store> m_store;
    // Encodes the seeded pods' list items on a thread of its own while the scenario settles.
    std::unique_ptr<ListEncodingWarmer> m_listWarmer;
    std::unique_ptr<Registry> m_registry;
    std::unique_ptr<EventRecorder> m_events;
    PodRuntime *m_runtime = nullptr;
    std::unique_ptr<ControllerManager> m_controllers;
    std::unique_ptr<CertificateAuthority> m_ca;
    std::unique_ptr<Authenticator> m_authenticator;
    PodLogs *m_logs = nullptr;
    TrafficFront *m_traffic = nullptr;
    ApiServer *m_api = nullptr;
    HttpServer *m_http = nullptr;
    QByteArray m_adminCertPem;
    QByteArray m_adminKeyPem;
    QString m_adminToken;
    QString m_viewerToken;
    QUrl m_url;
};

// Runs a SimCluster on its own thread (the in-process demo cluster of the desktop app), so the
// simulator never competes with the GUI's event loop. ready() or failed() follows start().
class SimClusterThread : public DemoCluster
{
    Q_OBJECT
public:
    explicit SimClusterThread(QObject *parent = nullptr);
    ~SimClusterThread() override;

    void start(const SimOptions &options, const QString &kubeconfigPath);
    void stop();
    bool isRunning() const override;

    // DemoCluster: the default scenario at `speed`.
    void startDemo(double speed, const QString &kubeconfigPath) override;
    // Installs SimClusterThread as the program's demo cluster (DemoCluster::setFactory).
    static void installAsDemoCluster();

private:
    QThread m_thread;
    QPointer<QObject> m_worker;
};

} // namespace rollscope::sim
