// SPDX-License-Identifier: MIT
// ApiClient against an in-process simulator over loopback HTTPS: credentials of every kind,
// readable errors, paging, retries, HTTP/2 and many concurrent watches.
#include "kube/apiclient.h"
#include "kube/apierror.h"
#include "kube/resources.h"
#include "simfixture.h"
#include "simulator/clock.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/store.h"
#include "testmain.h"

#include <QJsonDocument>
#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::Await;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 15000;

QStringList names(const QList<QJsonObject> &items)
{
    QStringList result;
    for (const QJsonObject &item : items)
        result << objectKey(item);
    return result;
}

} // namespace

class TestClientSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_sim;

private slots:
    void initTestCase()
    {
        CredentialProvider::clearExecCache();
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
    }
    void cleanupTestCase() { m_sim.reset(); }
    void init() { m_sim->api()->clearFaults(); }

    // Client certificate, bearer token, viewer token: all read the demo deployment.
    void contextsAuthenticate_data()
    {
        QTest::addColumn<QString>("context");
        QTest::newRow("client certificate") << QStringLiteral("rollscope-sim");
        QTest::newRow("token") << QStringLiteral("rollscope-sim-token");
        QTest::newRow("viewer") << QStringLiteral("rollscope-sim-viewer");
    }
    void contextsAuthenticate()
    {
        QFETCH(QString, context);
        Result<ClusterConfig> config = m_sim->config(context);
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().message));
        ApiClient client(*config);
        Await<QJsonObject> got;
        client.getJson(ResourceKind::deployments().objectPath(QStringLiteral("default"),
                                                              QStringLiteral("demo-dp")),
                       {}, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY2(got.result().ok(), qPrintable(got.errorText()));
        const DeploymentInfo d = DeploymentInfo::fromJson(got.value());
        QCOMPARE(d.name, QStringLiteral("demo-dp"));
        QCOMPARE(d.replicas, 3);
        QCOMPARE(d.containers.first().image, QStringLiteral("bebullish/demo:v1"));
    }

    void execPluginAuthenticates()
    {
        CredentialProvider::clearExecCache();
        const QString plugin = m_sim->writePlugin(m_sim->cluster()->adminToken());
        const QString path = m_sim->writeExecKubeconfig(plugin);
        Result<ClusterConfig> config = m_sim->config(QStringLiteral("exec"), path);
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().message));
        const int runsBefore = m_sim->pluginRuns();
        ApiClient client(*config);
        Await<ListResult> list;
        client.listAll(ResourceKind::deployments(), {}, this, list.callback());
        QTRY_VERIFY_WITH_TIMEOUT(list.ready(), kTimeout);
        QVERIFY2(list.result().ok(), qPrintable(list.errorText()));
        QVERIFY(names(list.value().items).contains(QStringLiteral("default/demo-dp")));
        QCOMPARE(m_sim->pluginRuns(), runsBefore + 1);
    }

    // A 401 drops the exec credential, runs the plugin again and repeats the request once.
    void execPluginRunsAgainAfter401()
    {
        CredentialProvider::clearExecCache();
        const QString plugin = m_sim->writePlugin(m_sim->cluster()->adminToken(),
                                                  QStringLiteral("revoked-token-0000"));
        const QString path = m_sim->writeExecKubeconfig(plugin);
        QFile::remove(m_sim->dir() + QStringLiteral("/runs.log"));
        Result<ClusterConfig> config = m_sim->config(QStringLiteral("exec"), path);
        QVERIFY(config.ok());
        ApiClient client(*config);
        const qint64 before = m_sim->api()->requestCount();
        Await<QJsonObject> got;
        client.getJson(ResourceKind::namespaces().collectionPath({}), {}, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY2(got.result().ok(), qPrintable(got.errorText()));
        QCOMPARE(m_sim->pluginRuns(), 2);
        QCOMPARE(m_sim->api()->requestCount() - before, 2);
    }

    void wrongTokenIsAPlainUnauthorized()
    {
        Result<ClusterConfig> config = m_sim->config(QStringLiteral("rollscope-sim-token"));
        QVERIFY(config.ok());
        ClusterConfig wrong = *config;
        wrong.user.token = QStringLiteral("not-the-token-1234");
        ApiClient client(wrong);
        Await<QJsonObject> got;
        client.getJson(QStringLiteral("/api/v1/namespaces"), {}, this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY(!got.result().ok());
        QCOMPARE(got.result().error().kind, Error::Kind::Unauthorized);
        QCOMPARE(got.result().error().message,
                 QStringLiteral("You must be logged in to the server (Unauthorized)"));
        QVERIFY(!got.result().error().message.contains(QStringLiteral("not-the-token")));
    }

    // The viewer may read but not write; the message names user, verb, resource, namespace.
    void viewerWriteIsForbiddenInPlainWords()
    {
        Result<ClusterConfig> config = m_sim->config(QStringLiteral("rollscope-sim-viewer"));
        QVERIFY(config.ok());
        ApiClient client(*config);
        Await<ApiResponse> patched;
        client.send(ApiRequest::patch(ResourceKind::deployments().objectPath(
                                          QStringLiteral("default"), QStringLiteral("demo-dp")),
                                      "application/merge-patch+json", R"({"spec":{"replicas":4}})"),
                    this, patched.callback());
        QTRY_VERIFY_WITH_TIMEOUT(patched.ready(), kTimeout);
        QVERIFY(!patched.result().ok());
        const Error &error = patched.result().error();
        QCOMPARE(error.kind, Error::Kind::Forbidden);
        QCOMPARE(error.httpStatus, 403);
        for (const char *word : {"User", "cannot patch", "deployment", "\"default\""})
            QVERIFY2(error.message.contains(QLatin1StringView(word)), qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("viewer")), qPrintable(error.message));
        QVERIFY(serverMessage(error).contains(QStringLiteral("is forbidden")));
        QVERIFY(ApiErrors::kubectlStyle(error).startsWith(
            QStringLiteral("Error from server (Forbidden): ")));
    }

    // limit=2 across continue tokens gives exactly the items of one list.
    void pagingEqualsOneList()
    {
        Result<ClusterConfig> config = m_sim->config();
        ApiClient client(*config);
        Await<ListResult> whole;
        ListOptions all;
        all.limit = 0;
        client.listAll(ResourceKind::pods(), all, this, whole.callback());
        QTRY_VERIFY_WITH_TIMEOUT(whole.ready(), kTimeout);
        QVERIFY2(whole.result().ok(), qPrintable(whole.errorText()));
        QVERIFY2(whole.value().items.size() > 4, "the demo scenario should have several pods");
        QCOMPARE(whole.value().pages, 1);

        Await<ListResult> paged;
        ListOptions small;
        small.limit = 2;
        client.listAll(ResourceKind::pods(), small, this, paged.callback());
        QTRY_VERIFY_WITH_TIMEOUT(paged.ready(), kTimeout);
        QVERIFY2(paged.result().ok(), qPrintable(paged.errorText()));
        QVERIFY(paged.value().pages >= 3);
        QCOMPARE(names(paged.value().items), names(whole.value().items));
        QCOMPARE(paged.value().items, whole.value().items);
        QCOMPARE(paged.value().resourceVersion, whole.value().resourceVersion);
    }

    void retryAfterIsHonoured()
    {
        Result<ClusterConfig> config = m_sim->config();
        ApiClient client(*config);
        sim::FaultRule rule;
        rule.method = "GET";
        rule.path =
            QRegularExpression(QStringLiteral("^/apis/apps/v1/namespaces/default/deployments$"));
        rule.status = 429;
        rule.count = 2;
        rule.retryAfterSeconds = 1;
        m_sim->api()->addFault(rule);
        const qint64 before = m_sim->api()->requestCount();
        Await<ApiResponse> got;
        client.send(
            ApiRequest::get(ResourceKind::deployments().collectionPath(QStringLiteral("default"))),
            this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY2(got.result().ok(), qPrintable(got.errorText()));
        QCOMPARE(got.value().attempts, 3);
        QCOMPARE(m_sim->api()->requestCount() - before, 3);
    }

    void retryAfterOn5xxIsHonouredToo()
    {
        ApiClient client(*m_sim->config());
        sim::FaultRule rule;
        rule.path = QRegularExpression(QStringLiteral("^/api/v1/namespaces$"));
        rule.status = 503;
        rule.count = 1;
        rule.retryAfterSeconds = 1;
        m_sim->api()->addFault(rule);
        Await<ApiResponse> got;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces")), this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY2(got.result().ok(), qPrintable(got.errorText()));
        QCOMPARE(got.value().attempts, 2);
    }

    void noRetryAfterMeansNoRetry_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("kind");
        QTest::newRow("429") << 429 << int(Error::Kind::TooManyRequests);
        QTest::newRow("500") << 500 << int(Error::Kind::Server);
    }
    void noRetryAfterMeansNoRetry()
    {
        QFETCH(int, status);
        QFETCH(int, kind);
        ApiClient client(*m_sim->config());
        sim::FaultRule rule;
        rule.path = QRegularExpression(QStringLiteral("^/api/v1/namespaces$"));
        rule.status = status;
        rule.count = 5;
        m_sim->api()->addFault(rule);
        const qint64 before = m_sim->api()->requestCount();
        Await<ApiResponse> got;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces")), this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY(!got.result().ok());
        QCOMPARE(int(got.result().error().kind), kind);
        QCOMPARE(m_sim->api()->requestCount() - before, 1);
    }

    // A dropped connection is retried for a GET, never for a PATCH.
    void droppedConnectionRetriesOnlyIdempotentRequests()
    {
        ApiClient client(*m_sim->config());
        sim::FaultRule rule;
        rule.path = QRegularExpression(QStringLiteral("^/api/v1/namespaces$"));
        rule.status = 0;
        rule.count = 1;
        m_sim->api()->addFault(rule);
        Await<ApiResponse> got;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces")), this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY2(got.result().ok(), qPrintable(got.errorText()));
        QCOMPARE(got.value().attempts, 2);

        rule.method = "PATCH";
        rule.path = QRegularExpression(QStringLiteral("/deployments/demo-dp$"));
        m_sim->api()->addFault(rule);
        const qint64 before = m_sim->api()->requestCount();
        Await<ApiResponse> patched;
        client.send(ApiRequest::patch(ResourceKind::deployments().objectPath(
                                          QStringLiteral("default"), QStringLiteral("demo-dp")),
                                      "application/merge-patch+json", R"({"metadata":{}})"),
                    this, patched.callback());
        QTRY_VERIFY_WITH_TIMEOUT(patched.ready(), kTimeout);
        QVERIFY(!patched.result().ok());
        QCOMPARE(patched.result().error().kind, Error::Kind::Network);
        QCOMPARE(m_sim->api()->requestCount() - before, 1);
    }

    void deadlineEndsASlowRequest()
    {
        ApiClient::Options options;
        options.requestTimeout = std::chrono::milliseconds(300);
        options.connectionRetries = 0;
        ApiClient client(*m_sim->config(), options);
        // A watch never finishes on its own: as a plain request it must hit the deadline.
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        Await<ApiResponse> got;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces"), query), this,
                    got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY(!got.result().ok());
        QCOMPARE(got.result().error().kind, Error::Kind::Timeout);
    }

    void http2IsNegotiated()
    {
        ApiClient client(*m_sim->config());
        QSignalSpy detected(&client, &ApiClient::protocolDetected);
        Await<ApiResponse> got;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces")), this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY2(got.result().ok(), qPrintable(got.errorText()));
        QVERIFY(got.value().http2);
        QCOMPARE(client.protocol(), ApiClient::Protocol::Http2);
        QCOMPARE(detected.count(), 1);
    }

    // Nine watches stay open while normal requests keep working, whether requests go over
    // HTTP/2 or HTTP/1.1. Watches always use HTTP/1.1 connections of their own, 4 per pool:
    // there a read-buffer limit holds a flooding server back (TCP), which Qt's HTTP/2 cannot.
    void manyWatchesDoNotStarveRequests_data()
    {
        QTest::addColumn<bool>("http2");
        QTest::newRow("HTTP/2") << true;
        QTest::newRow("HTTP/1.1") << false;
    }
    void manyWatchesDoNotStarveRequests()
    {
        QFETCH(bool, http2);
        ApiClient::Options options;
        options.http2 = http2;
        ApiClient client(*m_sim->config(), options);
        // Learn the protocol first, as an informer's list does.
        Await<ApiResponse> first;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces")), this, first.callback());
        QTRY_VERIFY_WITH_TIMEOUT(first.ready(), kTimeout);
        QVERIFY(first.result().ok());
        QCOMPARE(first.value().http2, http2);

        const int openBefore = m_sim->api()->openWatchCount();
        const QStringList kinds{QStringLiteral("/api/v1/pods"),
                                QStringLiteral("/api/v1/services"),
                                QStringLiteral("/api/v1/events"),
                                QStringLiteral("/api/v1/nodes"),
                                QStringLiteral("/api/v1/namespaces"),
                                QStringLiteral("/apis/apps/v1/deployments"),
                                QStringLiteral("/apis/apps/v1/replicasets"),
                                QStringLiteral("/apis/discovery.k8s.io/v1/endpointslices"),
                                QStringLiteral("/apis/apps/v1/namespaces/default/deployments")};
        std::vector<std::unique_ptr<Watch>> watches;
        int opened = 0;
        for (const QString &path : kinds) {
            QUrlQuery query;
            query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
            query.addQueryItem(QStringLiteral("timeoutSeconds"), QStringLiteral("600"));
            watches.emplace_back(client.watch(ApiRequest::get(path, query)));
            connect(watches.back().get(), &Watch::opened, this, [&opened] { ++opened; });
        }
        QTRY_COMPARE_WITH_TIMEOUT(opened, int(kinds.size()), kTimeout);
        QCOMPARE(m_sim->api()->openWatchCount() - openBefore, int(kinds.size()));
        for (const auto &watch : watches)
            QVERIFY(!watch->usedHttp2());
        QCOMPARE(client.watchManagerCount(), 3); // 9 watches, 4 per HTTP/1.1 pool

        // Ordinary requests still get through promptly.
        QList<std::shared_ptr<Await<ApiResponse>>> gets;
        for (int i = 0; i < 10; ++i) {
            gets << std::make_shared<Await<ApiResponse>>();
            client.send(ApiRequest::get(ResourceKind::deployments().objectPath(
                            QStringLiteral("default"), QStringLiteral("demo-dp"))),
                        this, gets.last()->callback());
        }
        for (const auto &get : std::as_const(gets)) {
            QTRY_VERIFY_WITH_TIMEOUT(get->ready(), 5000);
            QVERIFY(get->result().ok());
        }
        // The watches saw their initial objects (resourceVersion unset = ADDED for each).
        for (const auto &watch : watches)
            QVERIFY(watch->isOpen());
        watches.clear();
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->api()->openWatchCount(), openBefore, kTimeout);
        QCOMPARE(client.watchManagerCount(), 0);
    }

    void userAgentAndJson()
    {
        ApiClient client(*m_sim->config());
        int lines = 0;
        QStringList seen;
        client.setLogSink(7, [&](int, const QString &line) {
            ++lines;
            seen << line;
        });
        Await<ApiResponse> got;
        client.send(ApiRequest::get(QStringLiteral("/api/v1/namespaces")), this, got.callback());
        QTRY_VERIFY_WITH_TIMEOUT(got.ready(), kTimeout);
        QVERIFY(got.result().ok());
        const QString all = seen.join(u'\n');
        QVERIFY2(all.contains(QStringLiteral("User-Agent: rollscope/")), qPrintable(all));
        QVERIFY(all.contains(QStringLiteral("Accept: application/json")));
        QVERIFY(all.contains(QStringLiteral("GET https://")));
        QVERIFY(all.contains(QStringLiteral(" 200 OK in ")));
    }

    // Last: it moves the shared cluster's clock 10 minutes on.
    // The API server compacts every 5 minutes to the revision of the compaction before: a
    // change stays watchable for at least 5 minutes, and is gone (410 Expired) within 10.
    void oldResourceVersionsExpireWithinTenMinutes()
    {
        sim::SimCluster *cluster = m_sim->cluster();
        sim::Store *store = cluster->store();
        const qint64 before = store->currentResourceVersion();
        QVERIFY(cluster->registry()->create(
            sim::Resources::namespaces(), QString(),
            QJsonObject{{QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("name"), QStringLiteral("compaction")}}}}));
        constexpr qint64 kMinute = 60 * 1000;
        cluster->clock()->advance(5 * kMinute - 1);
        QVERIFY2(store->eventsAfter(sim::Resources::namespaces(), before),
                 "a change younger than 5 minutes was compacted away");

        cluster->clock()->advance(5 * kMinute + 2);
        QVERIFY2(!store->eventsAfter(sim::Resources::namespaces(), before),
                 "a change older than 10 minutes can still be watched from before it");
        // The revision the last compaction kept stays resumable.
        QVERIFY(store->eventsAfter(sim::Resources::namespaces(), store->compactedUpTo()));
    }
};

ROLLSCOPE_TEST_MAIN(TestClientSim)
#include "tst_client_sim.moc"
