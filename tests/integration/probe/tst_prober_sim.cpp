// SPDX-License-Identifier: MIT
// The traffic prober against an in-process rollscope-sim on a real clock (4x speed): what the
// seed guide's curl loop shows, measured. Targets are found through the API like the app does,
// the pod -> version map comes from a pod informer, and every answer is checked against the
// simulator's own pods: the pod the body names must belong to the version the prober chose.
#include "../simfixture.h"
#include "kube/informer.h"
#include "kube/operations.h"
#include "probe/targets.h"
#include "probe/trafficprober.h"
#include "simulator/json.h"
#include "simulator/resources.h"
#include "simulator/store.h"
#include "testmain.h"

#include <QDateTime>
#include <QJsonArray>
#include <QMutex>
#include <QThread>

#include <algorithm>
#include <limits>

using namespace rollscope;
using namespace rollscope::kube;
using namespace rollscope::probe;
using rollscope::test::Await;

namespace {

constexpr int kTimeout = 20000;
const QString kNs = QStringLiteral("default");
const QString kName = QStringLiteral("demo-dp");

// What the simulator knows about a pod: the truth attribution is checked against.
struct PodTruth
{
    QString hash;
    QString image;
};

// The simulator on a thread of its own, as the app runs it (SimClusterThread): the test
// thread's polling, the client and the informer do not delay the traffic front. It records the
// truth, every demo pod with its hash and image, as the store reports them.
class SimHost
{
public:
    ~SimHost() { stop(); }

    QString start(const sim::SimOptions &options, const QString &kubeconfig)
    {
        m_anchor.moveToThread(&m_thread);
        m_thread.start();
        QString error;
        QMetaObject::invokeMethod(
            &m_anchor,
            [&] {
                auto started = sim::SimCluster::start(options);
                if (!started) {
                    error = started.error().message;
                    return;
                }
                m_cluster = std::move(started).value();
                if (auto written = m_cluster->writeKubeconfig(kubeconfig); !written)
                    error = written.error().message;
                m_subscription = m_cluster->store()->subscribe([this](const sim::StoreEvent &e) {
                    if (e.resource != &sim::Resources::pods() || e.type == sim::EventType::Deleted)
                        return;
                    remember(e.object);
                    if (sim::json::isBeingDeleted(e.object) &&
                        !sim::json::isBeingDeleted(e.previous)) {
                        const QMutexLocker lock(&m_mutex);
                        m_terminations.append(QDateTime::currentMSecsSinceEpoch());
                    }
                });
                m_cluster->store()->forEach(sim::Resources::pods(), kNs,
                                            [this](const QJsonObject &pod) {
                                                remember(pod);
                                                return true;
                                            });
            },
            Qt::BlockingQueuedConnection);
        return error;
    }

    void stop()
    {
        if (!m_thread.isRunning())
            return;
        QThread *home = QCoreApplication::instance()->thread();
        QMetaObject::invokeMethod(
            &m_anchor,
            [this, home] {
                if (m_cluster)
                    m_cluster->store()->unsubscribe(m_subscription);
                m_cluster.reset();
                m_anchor.moveToThread(home);
            },
            Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    PodTruth truth(const QString &pod) const
    {
        const QMutexLocker lock(&m_mutex);
        return m_truth.value(pod);
    }
    // When pods started terminating (wall clock, ms), for explaining failures.
    QList<qint64> terminations() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_terminations;
    }
    bool knows(const QString &pod) const
    {
        const QMutexLocker lock(&m_mutex);
        return m_truth.contains(pod);
    }

    // The three demo pods all run `image`, Running and not terminating, and no other is left.
    bool demoSettledOn(const QString &image)
    {
        bool settled = false;
        QMetaObject::invokeMethod(
            &m_anchor,
            [&] {
                int pods = 0;
                bool all = true;
                m_cluster->store()->forEach(
                    sim::Resources::pods(), kNs, [&](const QJsonObject &pod) {
                        if (sim::json::label(pod, QStringLiteral("app")) != u"demo")
                            return true;
                        ++pods;
                        all = all && imageOf(pod) == image &&
                              sim::json::string(pod, {u"status", u"phase"}) == u"Running" &&
                              !sim::json::isBeingDeleted(pod);
                        return true;
                    });
                settled = all && pods == 3;
            },
            Qt::BlockingQueuedConnection);
        return settled;
    }

private:
    static QString imageOf(const QJsonObject &pod)
    {
        return sim::json::array(pod, {u"spec", u"containers"})
            .first()
            .toObject()
            .value(u"image")
            .toString();
    }
    void remember(const QJsonObject &pod)
    {
        const QMutexLocker lock(&m_mutex);
        m_truth.insert(
            sim::json::name(pod),
            PodTruth{sim::json::label(pod, QStringLiteral("pod-template-hash")), imageOf(pod)});
    }

    QThread m_thread;
    QObject m_anchor;
    std::unique_ptr<sim::SimCluster> m_cluster;
    sim::Store::SubscriptionId m_subscription = 0;
    mutable QMutex m_mutex;
    QHash<QString, PodTruth> m_truth;
    QList<qint64> m_terminations;
};

} // namespace

class TestProberSim : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<SimHost> m_sim;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<TrafficProber> m_prober;
    PodInformer *m_pods = nullptr;
    QList<ProbeResult> m_results;
    QList<ProbeBucket> m_buckets;

    template<typename T, typename Op>
    Result<T> await(Op op)
    {
        Await<T> got;
        op(got.callback());
        if (!QTest::qWaitFor([&] { return got.ready(); }, kTimeout))
            return Error::make(Error::Kind::Timeout, QStringLiteral("no answer"));
        return got.result();
    }

    Result<WriteOutcome> setImage(const QString &image)
    {
        return await<WriteOutcome>([&](auto done) {
            DeploymentOperations::setImage(m_client.get(), kNs, kName,
                                           {{QStringLiteral("demo"), image}}, std::nullopt, this,
                                           done);
        });
    }

    Result<ApiResponse> patchDeployment(const QByteArray &contentType, const QByteArray &body)
    {
        return await<ApiResponse>([&](auto done) {
            m_client->send(ApiRequest::patch(ResourceKind::deployments().objectPath(kNs, kName),
                                             contentType, body),
                           this, done);
        });
    }

    // Targets as the app finds them: the Deployment, the Services and the nodes, through the API.
    QList<ProbeTarget> targets()
    {
        const auto deployment = await<QJsonObject>([&](auto done) {
            m_client->getJson(ResourceKind::deployments().objectPath(kNs, kName), {}, this, done);
        });
        ListOptions inNs;
        inNs.ns = kNs;
        const auto services = await<ListResult>(
            [&](auto done) { m_client->listAll(ResourceKind::services(), inNs, this, done); });
        const auto nodes = await<ListResult>([&](auto done) {
            m_client->listAll(ResourceKind::nodes(), ListOptions{}, this, done);
        });
        if (!deployment.ok() || !services.ok() || !nodes.ok())
            return {};
        QList<ServiceInfo> serviceInfos;
        for (const QJsonObject &o : services->items)
            serviceInfos << ServiceInfo::fromJson(o);
        QList<NodeInfo> nodeInfos;
        for (const QJsonObject &o : nodes->items)
            nodeInfos << NodeInfo::fromJson(o);
        return candidateTargets(DeploymentInfo::fromJson(*deployment), serviceInfos, nodeInfos,
                                kNs);
    }

    // The first target of `kind` (once the simulator has published the LoadBalancer ingress).
    std::optional<ProbeTarget> target(ProbeTarget::Kind kind)
    {
        std::optional<ProbeTarget> found;
        (void)QTest::qWaitFor(
            [&] {
                for (const ProbeTarget &t : targets()) {
                    if (t.kind == kind) {
                        found = t;
                        return true;
                    }
                }
                return false;
            },
            kTimeout);
        return found;
    }

    QString imageOf(const ProbeResult &r) const { return m_sim->truth(r.pod).image; }

    QList<ProbeResult> sortedResults() const
    {
        QList<ProbeResult> sorted = m_results;
        std::stable_sort(sorted.begin(), sorted.end(),
                         [](const auto &a, const auto &b) { return a.startMs < b.startMs; });
        return sorted;
    }

    // The last `n` requests (by start) were all answered by pods running `image`.
    bool lastAnsweredBy(const QString &image, int n) const
    {
        const QList<ProbeResult> sorted = sortedResults();
        if (sorted.size() < n)
            return false;
        return std::all_of(sorted.cend() - n, sorted.cend(),
                           [&](const ProbeResult &r) { return !r.failure && imageOf(r) == image; });
    }

    int answersBy(const QString &image) const
    {
        return int(std::count_if(m_results.cbegin(), m_results.cend(),
                                 [&](const auto &r) { return !r.failure && imageOf(r) == image; }));
    }

    void startProber(const ProbeTarget &target, double rate)
    {
        ProbeOptions options;
        options.target = target;
        options.rate = rate;
        options.timeout = std::chrono::milliseconds(2000);
        QVERIFY(m_prober->setOptions(options).ok());
        const VoidResult started = m_prober->start();
        QVERIFY2(started.ok(), started.ok() ? "" : qPrintable(started.error().message));
    }

    void stopProber()
    {
        m_prober->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_prober->state(), TrafficProber::State::Stopped, kTimeout);
    }

    void logFailures() const
    {
        for (const ProbeResult &r : std::as_const(m_results)) {
            if (!r.failure)
                continue;
            // The nearest moment a pod began terminating, relative to the failure's end.
            const qint64 end = r.startMs + r.latencyUs / 1000;
            qint64 nearest = std::numeric_limits<qint64>::max();
            for (qint64 t : m_sim->terminations()) {
                if (qAbs(t - end) < qAbs(nearest))
                    nearest = t - end;
            }
            qWarning("failure %s at %lld after %d us, status %d, pod %s; a pod began "
                     "terminating %lld ms from its end",
                     qPrintable(failureClassId(*r.failure)), qlonglong(r.startMs), int(r.latencyUs),
                     r.httpStatus, qPrintable(r.pod), qlonglong(nearest));
        }
    }

    // Every answer of the app is attributed to the version of the pod that sent it (its
    // pod-template-hash, as the simulator created it), and the counts add up: results, buckets,
    // totals.
    void verifyExactAndConsistent()
    {
        int answers = 0;
        for (const ProbeResult &r : std::as_const(m_results)) {
            // Answers from the app (the proxy's own 503s name no pod).
            const bool fromApp =
                r.httpStatus != 0 && (!r.failure || r.failure == FailureClass::Http4xx ||
                                      r.failure == FailureClass::Http5xx);
            if (!fromApp)
                continue;
            ++answers;
            QVERIFY2(!r.pod.isEmpty(), "every answer names its pod");
            QVERIFY2(m_sim->knows(r.pod), qPrintable(r.pod));
            QCOMPARE(r.versionId, m_sim->truth(r.pod).hash);
        }
        QVERIFY(answers > 0);
        const ProbeTotals &totals = m_prober->totals();
        QCOMPARE(qint64(m_results.size()), totals.sent);
        QCOMPARE(totals.droppedResults, qint64(0));
        qint64 inBuckets = 0;
        qint64 skipped = 0;
        for (const ProbeBucket &b : std::as_const(m_buckets)) {
            for (int n : b.responsesByVersion)
                inBuckets += n;
            inBuckets += b.failedTotal();
            skipped += b.skipped;
        }
        QCOMPARE(inBuckets, totals.sent);
        QCOMPARE(skipped, totals.skippedBusy + totals.skippedLate);
        QCOMPARE(totals.responsesByVersion.value(QStringLiteral("unknown")), qint64(0));
        for (int i = 1; i < m_buckets.size(); ++i)
            QVERIFY2(m_buckets.at(i).startMs > m_buckets.at(i - 1).startMs, "buckets in order");
    }

private slots:
    void init()
    {
        sim::SimOptions options;
        options.speed = 4;
        options.seed = 7;
        options.warmUpMs = 2 * 60 * 1000;
        const QString kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        m_sim = std::make_unique<SimHost>();
        const QString error = m_sim->start(options, kubeconfig);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        Kubeconfig::LoadOptions load;
        load.explicitPath = kubeconfig;
        auto config = Kubeconfig::load(load);
        QVERIFY(config.ok());
        auto cluster = config->resolve(QStringLiteral("rollscope-sim"));
        QVERIFY(cluster.ok());
        m_client = std::make_unique<ApiClient>(*cluster);

        m_prober = std::make_unique<TrafficProber>();
        m_prober->setApiClient(m_client.get());
        connect(m_prober.get(), &TrafficProber::resultsReady, this,
                [this](const QList<ProbeResult> &r) { m_results += r; });
        connect(m_prober.get(), &TrafficProber::bucketsReady, this,
                [this](const QList<ProbeBucket> &b) { m_buckets += b; });

        // The pod -> version map, as the tracker keeps it: every pod of the Deployment.
        InformerOptions pods;
        pods.ns = kNs;
        pods.labelSelector = QStringLiteral("app=demo");
        m_pods = new PodInformer(m_client.get(), pods, m_client.get());
        auto publish = [this] {
            QHash<QString, QString> map;
            for (const PodInfo &pod : m_pods->items())
                map.insert(pod.name, pod.podTemplateHash);
            m_prober->setPodVersions(map);
        };
        m_pods->addHandlers(this, {[publish](const PodInfo &) { publish(); },
                                   [publish](const PodInfo &, const PodInfo &) { publish(); },
                                   [publish](const PodInfo &) { publish(); }});
        m_pods->start();
        QTRY_VERIFY_WITH_TIMEOUT(m_pods->hasSynced(), kTimeout);
    }

    void cleanup()
    {
        m_prober.reset();
        m_pods = nullptr;
        m_client.reset();
        m_sim.reset();
        m_results.clear();
        m_buckets.clear();
    }

    // The seed guide's experiment: 25%/25% from v1 to v2 through the LoadBalancer address.
    void rollingUpdateSeenThroughTheLoadBalancer()
    {
        const std::optional<ProbeTarget> lb = target(ProbeTarget::Kind::LoadBalancer);
        QVERIFY(lb);
        QVERIFY2(lb->description.contains(QStringLiteral("demo-service")),
                 qPrintable(lb->description));
        startProber(*lb, 50);
        QTRY_VERIFY_WITH_TIMEOUT(answersBy(QStringLiteral("bebullish/demo:v1")) >= 25, kTimeout);

        const Result<WriteOutcome> changed = setImage(QStringLiteral("bebullish/demo:v2"));
        QVERIFY2(changed.ok(), changed.ok() ? "" : qPrintable(changed.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->demoSettledOn(QStringLiteral("bebullish/demo:v2")),
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(lastAnsweredBy(QStringLiteral("bebullish/demo:v2"), 40), kTimeout);
        stopProber();

        const ProbeTotals &totals = m_prober->totals();
        logFailures();
        // A graceful app behind a real kube-proxy fails no request of a rolling update with
        // surge: not one, however the requests and the terminations interleave.
        QCOMPARE(totals.failedTotal(), qint64(0));
        QCOMPARE(totals.skippedBusy, qint64(0));
        verifyExactAndConsistent();

        // v1 first, then both side by side, then only v2.
        const QList<ProbeResult> sorted = sortedResults();
        for (int i = 0; i < 20; ++i)
            QCOMPARE(imageOf(sorted.at(i)), QStringLiteral("bebullish/demo:v1"));
        qsizetype firstV2 = -1;
        qsizetype lastV1 = -1;
        for (qsizetype i = 0; i < sorted.size(); ++i) {
            if (imageOf(sorted.at(i)) == u"bebullish/demo:v2" && firstV2 < 0)
                firstV2 = i;
            if (imageOf(sorted.at(i)) == u"bebullish/demo:v1")
                lastV1 = i;
        }
        QVERIFY(firstV2 > 0);
        QVERIFY2(firstV2 < lastV1, "v1 and v2 answered side by side during the rollout");
        QCOMPARE(imageOf(sorted.last()), QStringLiteral("bebullish/demo:v2"));
        qInfo("%lld requests: %d v1, %d v2 answers; overlap %lld requests",
              qlonglong(sorted.size()), answersBy(QStringLiteral("bebullish/demo:v1")),
              answersBy(QStringLiteral("bebullish/demo:v2")), qlonglong(lastV1 - firstV2));
    }

    // maxUnavailable 100%, maxSurge 0: every old pod goes at once, and until a new one is
    // ready the Service address refuses connections.
    void everythingUnavailableIsRefused()
    {
        const Result<ApiResponse> patched = patchDeployment(
            "application/merge-patch+json", "{\"spec\":{\"strategy\":{\"rollingUpdate\":"
                                            "{\"maxUnavailable\":\"100%\",\"maxSurge\":0}}}}");
        QVERIFY2(patched.ok(), patched.ok() ? "" : qPrintable(patched.error().message));
        const std::optional<ProbeTarget> nodePort = target(ProbeTarget::Kind::NodePort);
        QVERIFY(nodePort);
        startProber(*nodePort, 50);
        QTRY_VERIFY_WITH_TIMEOUT(answersBy(QStringLiteral("bebullish/demo:v1")) >= 25, kTimeout);

        QVERIFY(setImage(QStringLiteral("bebullish/demo:v2")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->demoSettledOn(QStringLiteral("bebullish/demo:v2")),
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(lastAnsweredBy(QStringLiteral("bebullish/demo:v2"), 40), kTimeout);
        stopProber();

        const ProbeTotals &totals = m_prober->totals();
        const qint64 refused = totals.failures[size_t(FailureClass::Refused)];
        QVERIFY2(refused > 0, "connections are refused while no pod is ready");
        verifyExactAndConsistent();

        // No overlap of versions, and the refusals fall in the gap between them.
        const QList<ProbeResult> sorted = sortedResults();
        qint64 lastV1 = 0;
        qint64 firstV2 = std::numeric_limits<qint64>::max();
        for (const ProbeResult &r : sorted) {
            if (imageOf(r) == u"bebullish/demo:v1")
                lastV1 = qMax(lastV1, r.startMs);
            if (imageOf(r) == u"bebullish/demo:v2")
                firstV2 = qMin(firstV2, r.startMs);
        }
        QVERIFY(lastV1 < firstV2);
        for (const ProbeResult &r : sorted) {
            if (r.failure == FailureClass::Refused) {
                QVERIFY(r.startMs >= lastV1 - 100);
                QVERIFY(r.startMs <= firstV2 + 100);
                QCOMPARE(r.httpStatus, 0);
            }
        }
        qInfo("%lld requests, %lld refused between the last v1 and the first v2 answer (%lld ms)",
              qlonglong(sorted.size()), qlonglong(refused), qlonglong(firstV2 - lastV1));
    }

    // Pods that do not drain (nodrain) reset the requests in flight when they get SIGTERM;
    // 300 ms of latency keeps several in flight per pod.
    void podsThatDoNotDrainResetRequests()
    {
        const Result<ApiResponse> patched = patchDeployment(
            "application/strategic-merge-patch+json",
            "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":"
            "{\"sim.rollscope.dev/behavior\":\"latency=300ms\"}},\"spec\":{\"containers\":"
            "[{\"name\":\"demo\",\"image\":\"bebullish/demo:v1-nodrain\"}]}}}}");
        QVERIFY2(patched.ok(), patched.ok() ? "" : qPrintable(patched.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->demoSettledOn(QStringLiteral("bebullish/demo:v1-nodrain")),
                                 kTimeout);

        const std::optional<ProbeTarget> lb = target(ProbeTarget::Kind::LoadBalancer);
        QVERIFY(lb);
        startProber(*lb, 50);
        QTRY_VERIFY_WITH_TIMEOUT(answersBy(QStringLiteral("bebullish/demo:v1-nodrain")) >= 25,
                                 kTimeout);
        QVERIFY(setImage(QStringLiteral("bebullish/demo:v2")).ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_sim->demoSettledOn(QStringLiteral("bebullish/demo:v2")),
                                 kTimeout);
        QTRY_VERIFY_WITH_TIMEOUT(lastAnsweredBy(QStringLiteral("bebullish/demo:v2"), 30), kTimeout);
        stopProber();

        const ProbeTotals &totals = m_prober->totals();
        const qint64 resets = totals.failures[size_t(FailureClass::Reset)];
        QVERIFY2(resets > 0, "requests in flight are reset when a pod dies without draining");
        QCOMPARE(totals.failedTotal(), resets);
        verifyExactAndConsistent();
        // Answers took the configured latency.
        for (const ProbeResult &r : std::as_const(m_results)) {
            if (!r.failure)
                QVERIFY2(r.latencyUs >= 290'000, qPrintable(QString::number(r.latencyUs)));
        }
        qInfo("%lld requests, %lld reset", qlonglong(m_results.size()), qlonglong(resets));
    }

    // Through the API server's service proxy: answers attributed the same way; scaled to zero,
    // the proxy says "no endpoints available".
    void serviceProxyAndNoEndpoints()
    {
        const std::optional<ProbeTarget> proxy = target(ProbeTarget::Kind::ServiceProxy);
        QVERIFY(proxy);
        startProber(*proxy, 20);
        QTRY_VERIFY_WITH_TIMEOUT(answersBy(QStringLiteral("bebullish/demo:v1")) >= 15, kTimeout);

        const Result<WriteOutcome> scaled = await<WriteOutcome>([&](auto done) {
            DeploymentOperations::scale(m_client.get(), kNs, kName, 0, this, done);
        });
        QVERIFY(scaled.ok());
        QTRY_VERIFY_WITH_TIMEOUT(
            m_prober->totals().failures[size_t(FailureClass::NoEndpoints)] >= 5, kTimeout);
        stopProber();

        const ProbeTotals &totals = m_prober->totals();
        verifyExactAndConsistent();
        // While pods wind down a proxied request can still meet one that stopped listening.
        const qint64 transitional = totals.failures[size_t(FailureClass::Refused)] +
                                    totals.failures[size_t(FailureClass::Reset)];
        QCOMPARE(totals.failedTotal(),
                 totals.failures[size_t(FailureClass::NoEndpoints)] + transitional);
        for (const ProbeResult &r : std::as_const(m_results)) {
            if (r.failure == FailureClass::NoEndpoints) {
                QCOMPARE(r.httpStatus, 503);
                QCOMPARE(r.versionId, QStringLiteral("unknown"));
            }
        }
        qInfo("%lld requests through the API server, %lld no endpoints, %lld transitional",
              qlonglong(m_results.size()),
              qlonglong(totals.failures[size_t(FailureClass::NoEndpoints)]),
              qlonglong(transitional));
    }
};

ROLLSCOPE_TEST_MAIN(TestProberSim)
#include "tst_prober_sim.moc"
