// SPDX-License-Identifier: MIT
#include "cluster.h"

#include "apiserver.h"
#include "auth.h"
#include "certs.h"
#include "clock.h"
#include "controllers/controllermanager.h"
#include "controllers/nodes.h"
#include "eventrecorder.h"
#include "httpserver.h"
#include "podlogs.h"
#include "podruntime.h"
#include "podstreams.h"
#include "registry.h"
#include "simcontext.h"
#include "store.h"
#include "traffic.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QSaveFile>
#include <QSslConfiguration>

#include <algorithm>

namespace rollscope::sim {

namespace {

QString randomToken(QRandomGenerator &random)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    QString token;
    for (int i = 0; i < 40; ++i)
        token += QLatin1Char(alphabet[random.bounded(36)]);
    return token;
}

QByteArray yamlQuote(const QString &text)
{
    QString escaped = text;
    escaped.replace(u'\\', QStringLiteral("\\\\")).replace(u'"', QStringLiteral("\\\""));
    return '"' + escaped.toUtf8() + '"';
}

} // namespace

SimCluster::SimCluster() = default;

SimCluster::~SimCluster()
{
    m_listWarmer.reset();
    // Network first, then the parts that feed it.
    delete m_http;
    delete m_api;
    delete m_traffic;
    m_controllers.reset();
    delete m_logs;
    delete m_runtime;
}

Result<std::unique_ptr<SimCluster>> SimCluster::start(const SimOptions &options)
{
    std::unique_ptr<SimCluster> cluster(new SimCluster());
    if (auto r = cluster->init(options); !r)
        return r.error();
    return cluster;
}

void SimCluster::scheduleCompaction(qint64 previousRevision)
{
    // kube-apiserver compacts etcd every 5 minutes (--etcd-compaction-interval), up to the
    // revision it saw at the previous compaction: a change is forgotten 5 to 10 minutes after
    // it was made, and a watch or continue token from before that gets 410 Expired.
    constexpr qint64 kCompactionIntervalMs = 5 * 60 * 1000;
    m_clock->callAfter(kCompactionIntervalMs, [this, previousRevision] {
        m_store->compactTo(previousRevision);
        scheduleCompaction(m_store->currentResourceVersion());
    });
}

VoidResult SimCluster::init(const SimOptions &options)
{
    const quint32 seed = options.seed != 0 ? options.seed : QRandomGenerator::system()->generate();
    m_random.seed(seed);

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_clock = std::make_unique<SimClock>(SimClock::Mode::Virtual, now - options.warmUpMs);
    m_store = std::make_unique<Store>();
    m_registry = std::make_unique<Registry>(m_store.get(), m_clock.get(), &m_random);
    m_events = std::make_unique<EventRecorder>(m_registry.get());
    m_runtime = new PodRuntime;
    m_logs = new PodLogs(m_store.get(), m_clock.get());

    SimContext context;
    context.clock = m_clock.get();
    context.store = m_store.get();
    context.registry = m_registry.get();
    context.events = m_events.get();
    context.runtime = m_runtime;
    context.random = &m_random;
    m_controllers = std::make_unique<ControllerManager>(context);
    m_controllers->start();

    createSystemNamespaces(*m_registry);
    createNodes(*m_registry, qMax(1, options.nodes));
    scheduleCompaction(m_store->currentResourceVersion());

    if (options.traffic) {
        m_traffic = new TrafficFront(m_registry.get(), m_runtime, m_logs);
        TrafficFront *traffic = m_traffic;
        m_registry->setNodePortProbe(
            [traffic](int port) { return traffic->canBindNodePort(port); });
    }

    // The scenario's objects are created and settle on this thread; the list encodings of
    // those a client lists first are made meanwhile on another one.
    m_listWarmer = std::make_unique<ListEncodingWarmer>(
        m_store.get(),
        QList<const ResourceType *>{&Resources::pods(), &Resources::replicaSets(),
                                    &Resources::deployments()},
        [](const ResourceType &type, const QJsonObject &object) {
            // A pod is written until it is Ready (or done), then stays as it is. ReplicaSets and
            // Deployments, a few thousand, are encoded when the warm-up is over.
            if (!(type == Resources::pods()))
                return false;
            const QJsonObject status = object.value(u"status").toObject();
            const QString phase = status.value(u"phase").toString();
            if (phase == u"Succeeded" || phase == u"Failed")
                return true;
            const QJsonArray conditions = status.value(u"conditions").toArray();
            return std::any_of(conditions.begin(), conditions.end(), [](const QJsonValue &c) {
                const QJsonObject condition = c.toObject();
                return condition.value(u"type").toString() == u"Ready" &&
                       condition.value(u"status").toString() == u"True";
            });
        });
    if (auto seeded = seedScenario(m_registry.get(), options.scenario); !seeded)
        return seeded;
    // Fast-forward through the scenario's past so it starts settled, with realistic ages.
    m_clock->advance(options.warmUpMs);
    if (auto finished = finishScenario(m_registry.get(), options.scenario); !finished)
        return finished;
    m_listWarmer->finish();
    if (!options.virtualClock) {
        m_clock->switchToReal();
        m_clock->setSpeed(options.speed);
    }

    auto ca = CertificateAuthority::create(QStringLiteral("rollscope-sim-ca"));
    if (!ca)
        return ca.error();
    m_ca = std::move(ca.value());
    const QString host = options.address.toString();
    auto serving = m_ca->issueServer(QStringLiteral("rollscope-sim"),
                                     {QStringLiteral("localhost"), QStringLiteral("rollscope-sim"),
                                      QStringLiteral("kubernetes.default.svc")},
                                     {QStringLiteral("127.0.0.1"), host});
    if (!serving)
        return serving.error();
    auto admin =
        m_ca->issueClient(QStringLiteral("kubernetes-admin"), {QLatin1StringView(kAdminGroup)});
    if (!admin)
        return admin.error();
    m_adminCertPem = admin->certificatePem;
    m_adminKeyPem = admin->keyPem;

    m_authenticator = std::make_unique<Authenticator>(m_ca.get());
    m_adminToken = randomToken(m_random);
    m_viewerToken = randomToken(m_random);
    m_authenticator->addToken(m_adminToken, Identity{QStringLiteral("rollscope-admin"),
                                                     {QLatin1StringView(kAdminGroup)}});
    m_authenticator->addToken(
        m_viewerToken, Identity{QStringLiteral("viewer"), {QLatin1StringView(kViewerGroup)}});

    m_api = new ApiServer(m_registry.get(), m_authenticator.get());
    m_api->setProxyBackend(m_traffic);
    m_api->setLogSource(m_logs);
    m_api->setPodStreams(new PodStreams(m_traffic, m_api));

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(serving->certificate());
    tls.setPrivateKey(serving->key());
    tls.setCaCertificates({QSslCertificate(m_ca->certificatePem(), QSsl::Pem)});
    m_http = new HttpServer(tls, m_api->handler());
    if (!m_http->listen(options.address, options.port))
        return Error::make(Error::Kind::Network,
                           QCoreApplication::translate("SimCluster", "cannot listen on %1:%2: %3")
                               .arg(host)
                               .arg(options.port)
                               .arg(m_http->errorString()));
    const QString hostPort = options.address.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QStringLiteral("[%1]:%2").arg(host).arg(m_http->serverPort())
                                 : QStringLiteral("%1:%2").arg(host).arg(m_http->serverPort());
    m_api->setServerAddress(hostPort);
    if (auto published =
            publishApiServerEndpoints(m_registry.get(), options.address, m_http->serverPort());
        !published)
        return published;
    m_url = QUrl(QStringLiteral("https://") + hostPort);
    return Done{};
}

QUrl SimCluster::serverUrl() const
{
    return m_url;
}

QByteArray SimCluster::caCertificatePem() const
{
    return m_ca ? m_ca->certificatePem() : QByteArray();
}

QByteArray SimCluster::kubeconfig() const
{
    const QByteArray server = m_url.toString().toUtf8();
    const QByteArray ca = caCertificatePem().toBase64();
    QByteArray y;
    y += "apiVersion: v1\nkind: Config\npreferences: {}\ncurrent-context: rollscope-sim\n";
    y += "clusters:\n- name: rollscope-sim\n  cluster:\n    server: " + server +
         "\n    certificate-authority-data: " + ca + "\n";
    y += "contexts:\n";
    y += "- name: rollscope-sim\n  context:\n    cluster: rollscope-sim\n    user: "
         "rollscope-sim-admin\n    namespace: default\n";
    y += "- name: rollscope-sim-token\n  context:\n    cluster: rollscope-sim\n    user: "
         "rollscope-sim-token\n    namespace: default\n";
    y += "- name: rollscope-sim-viewer\n  context:\n    cluster: rollscope-sim\n    user: "
         "rollscope-sim-viewer\n    namespace: default\n";
    y += "users:\n";
    y += "- name: rollscope-sim-admin\n  user:\n    client-certificate-data: " +
         m_adminCertPem.toBase64() + "\n    client-key-data: " + m_adminKeyPem.toBase64() + "\n";
    y += "- name: rollscope-sim-token\n  user:\n    token: " + yamlQuote(m_adminToken) + "\n";
    y += "- name: rollscope-sim-viewer\n  user:\n    token: " + yamlQuote(m_viewerToken) + "\n";
    return y;
}

VoidResult SimCluster::writeKubeconfig(const QString &path) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return Error::make(Error::Kind::Generic,
                           QCoreApplication::translate("SimCluster", "cannot write %1: %2")
                               .arg(path, file.errorString()));
    }
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(kubeconfig());
    if (!file.commit())
        return Error::make(Error::Kind::Generic,
                           QCoreApplication::translate("SimCluster", "cannot write %1: %2")
                               .arg(path, file.errorString()));
    return Done{};
}

// --- thread -----------------------------------------------------------------------------------

namespace {

class ClusterWorker : public QObject
{
public:
    std::unique_ptr<SimCluster> cluster;
};

} // namespace

SimClusterThread::SimClusterThread(QObject *parent)
    : DemoCluster(parent)
{
    m_thread.setObjectName(QStringLiteral("rollscope-sim"));
}

SimClusterThread::~SimClusterThread()
{
    stop();
}

bool SimClusterThread::isRunning() const
{
    return m_thread.isRunning();
}

void SimClusterThread::startDemo(double speed, const QString &kubeconfigPath)
{
    SimOptions options;
    options.speed = speed;
    start(options, kubeconfigPath);
}

void SimClusterThread::installAsDemoCluster()
{
    DemoCluster::setFactory([](QObject *parent) { return new SimClusterThread(parent); });
}

void SimClusterThread::start(const SimOptions &options, const QString &kubeconfigPath)
{
    stop();
    auto *worker = new ClusterWorker;
    m_worker = worker;
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_thread.start();
    QPointer<SimClusterThread> self(this);
    QMetaObject::invokeMethod(worker, [worker, options, kubeconfigPath, self] {
        auto started = SimCluster::start(options);
        if (!started) {
            const QString message = started.error().message;
            QMetaObject::invokeMethod(self, [self, message] {
                if (self)
                    emit self->failed(message);
            });
            return;
        }
        worker->cluster = std::move(started.value());
        if (auto written = worker->cluster->writeKubeconfig(kubeconfigPath); !written) {
            const QString message = written.error().message;
            QMetaObject::invokeMethod(self, [self, message] {
                if (self)
                    emit self->failed(message);
            });
            return;
        }
        const QUrl url = worker->cluster->serverUrl();
        QMetaObject::invokeMethod(self, [self, url, kubeconfigPath] {
            if (self)
                emit self->ready(url, kubeconfigPath);
        });
    });
}

void SimClusterThread::stop()
{
    if (!m_thread.isRunning())
        return;
    // The cluster must be destroyed on its own thread (its sockets and timers live there).
    if (auto *worker = static_cast<ClusterWorker *>(m_worker.data())) {
        QMetaObject::invokeMethod(
            worker, [worker] { worker->cluster.reset(); }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

} // namespace rollscope::sim
