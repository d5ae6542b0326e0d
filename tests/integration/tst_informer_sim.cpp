// SPDX-License-Identifier: MIT
// Informers against an in-process simulator: sync, resume without relist, 410 relist, a dropped
// connection with changes made meanwhile, scoping, and the retry status the UI shows.
#include "kube/informer.h"
#include "simfixture.h"
#include "simulator/clock.h"
#include "simulator/patch.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/store.h"
#include "testmain.h"

#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::Await;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 15000;

template<typename T>
QMap<QString, T> byKey(const QList<T> &values)
{
    QMap<QString, T> map;
    for (const T &v : values)
        map.insert(v.key(), v);
    return map;
}

InformerOptions informerIn(const QString &ns, const QString &fieldSelector = {})
{
    InformerOptions options;
    options.ns = ns;
    options.fieldSelector = fieldSelector;
    return options;
}

ListOptions listIn(const QString &ns)
{
    ListOptions options;
    options.ns = ns;
    return options;
}

// What an informer's handlers were called with, in order.
template<typename T>
struct Seen
{
    QList<T> added;
    QList<std::pair<T, T>> updated;
    QList<T> removed;
    InformerHandlerId id = 0;

    static std::shared_ptr<Seen> on(TypedInformer<T> &informer, const QObject *context = nullptr)
    {
        auto seen = std::make_shared<Seen>();
        Seen *s = seen.get();
        seen->id = informer.addHandlers(context, {[s](const T &v) { s->added << v; },
                                                  [s](const T &before, const T &after) {
                                                      s->updated.append({before, after});
                                                  },
                                                  [s](const T &v) { s->removed << v; }});
        return seen;
    }
};

} // namespace

class TestInformerSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_sim;
    std::unique_ptr<ApiClient> m_client;

    // A fresh list, parsed the same way, to compare a cache with.
    template<typename T>
    QMap<QString, T> freshList(const ListOptions &options = {})
    {
        Await<ListResult> list;
        ListOptions o = options;
        o.limit = 0;
        m_client->listAll(T::kind(), o, this, list.callback());
        if (!QTest::qWaitFor([&] { return list.ready(); }, kTimeout) || !list.result().ok())
            return {};
        QList<T> values;
        for (const QJsonObject &item : list.value().items)
            values.append(T::fromJson(item));
        return byKey(values);
    }

    void scale(const QString &ns, const QString &name, int replicas)
    {
        const QByteArray body = "{\"spec\":{\"replicas\":" + QByteArray::number(replicas) + "}}";
        Result<QJsonObject> patched = m_sim->cluster()->registry()->patch(
            sim::Resources::deployments(), ns, name, sim::PatchType::Merge, body);
        QVERIFY2(patched.ok(), patched.ok() ? "" : qPrintable(patched.error().message));
    }

    void removeDeployment(const QString &ns, const QString &name)
    {
        auto removed =
            m_sim->cluster()->registry()->remove(sim::Resources::deployments(), ns, name);
        QVERIFY2(removed.ok(), removed.ok() ? "" : qPrintable(removed.error().message));
    }

    QString anyDeploymentIn(const QString &ns)
    {
        const auto deployments = freshList<DeploymentInfo>();
        for (const DeploymentInfo &d : deployments) {
            if (d.ns == ns)
                return d.name;
        }
        return {};
    }

private slots:
    void init()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
        m_client = std::make_unique<ApiClient>(*m_sim->config());
        // ROLLSCOPE_KUBE_LOG=N prints the client's -v N log, for debugging a failure.
        if (const int level = qEnvironmentVariableIntValue("ROLLSCOPE_KUBE_LOG"); level > 0)
            m_client->setLogSink(level,
                                 [](int, const QString &line) { qInfo().noquote() << line; });
    }
    void cleanup()
    {
        m_client.reset();
        m_sim.reset();
    }

    void syncEqualsFreshList()
    {
        DeploymentInformer deployments(m_client.get());
        PodInformer pods(m_client.get(), informerIn(QStringLiteral("default")));
        NamespaceInformer namespaces(m_client.get());
        QSignalSpy synced(&deployments, &Informer::syncedChanged);
        const auto seen = Seen<DeploymentInfo>::on(deployments);
        deployments.start();
        pods.start();
        namespaces.start();
        QTRY_VERIFY_WITH_TIMEOUT(
            deployments.hasSynced() && pods.hasSynced() && namespaces.hasSynced(), kTimeout);
        QCOMPARE(synced.count(), 1);
        QCOMPARE(seen->added.size(), deployments.size());
        QVERIFY(deployments.size() >= 3); // default, shop, monitoring
        QCOMPARE(byKey(deployments.items()), freshList<DeploymentInfo>());
        QCOMPARE(byKey(pods.items()), freshList<PodInfo>(listIn(QStringLiteral("default"))));
        QCOMPARE(byKey(namespaces.items()), freshList<NamespaceInfo>());
        QVERIFY(deployments.find(QStringLiteral("default/demo-dp")).has_value());
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
        QCOMPARE(deployments.listCount(), 1);
    }

    // Handlers run in the order they were registered; a registration ends when removed or when
    // its context is destroyed, also from inside a dispatch, and a handler may delete the
    // informer it was called by.
    void handlerRegistrations()
    {
        auto deployments = std::make_unique<DeploymentInformer>(m_client.get());
        QList<QString> order;
        deployments->addHandlers(
            nullptr, {.added = [&order](const DeploymentInfo &) { order << QStringLiteral("a"); }});
        auto context = std::make_unique<QObject>();
        const auto withContext = Seen<DeploymentInfo>::on(*deployments, context.get());
        // At the first added value, this one removes itself and the next registration (whose
        // turn has not come yet): neither is called again, nor the next one at all.
        InformerHandlerId remover = 0;
        std::shared_ptr<Seen<DeploymentInfo>> removedLater;
        remover = deployments->addHandlers(nullptr, {.added = [&](const DeploymentInfo &) {
                                               order << QStringLiteral("b");
                                               deployments->removeHandlers(removedLater->id);
                                               deployments->removeHandlers(remover);
                                           }});
        removedLater = Seen<DeploymentInfo>::on(*deployments);
        const auto last = Seen<DeploymentInfo>::on(*deployments);
        QCOMPARE(deployments->handlerCount(), 5);
        deployments->start();
        QTRY_VERIFY_WITH_TIMEOUT(deployments->hasSynced(), kTimeout);
        const qsizetype n = deployments->size();
        QVERIFY(n >= 3);
        QCOMPARE(order.size(), n + 1); // "a" for each value, "b" once, after the first "a"
        QCOMPARE(order.mid(0, 2), (QList<QString>{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(withContext->added.size(), n);
        QCOMPARE(removedLater->added.size(), 0);
        QCOMPARE(last->added.size(), n);
        QCOMPARE(deployments->handlerCount(), 3);

        // The context goes: its handlers with it.
        context.reset();
        QCOMPARE(deployments->handlerCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(deployments->status().state, InformerStatus::State::Watching,
                                  kTimeout);
        // A handler deletes its informer: the handlers after it are not called.
        deployments->addHandlers(nullptr,
                                 {{},
                                  [&deployments](const DeploymentInfo &, const DeploymentInfo &) {
                                      deployments.reset();
                                  },
                                  {}});
        const auto afterDelete = Seen<DeploymentInfo>::on(*deployments);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 4);
        QTRY_VERIFY_WITH_TIMEOUT(!deployments, kTimeout);
        QCOMPARE(last->updated.size(), 1);
        QCOMPARE(last->updated.first().second.replicas, 4);
        QCOMPARE(afterDelete->updated.size(), 0);
        QCOMPARE(withContext->updated.size(), 0);
    }

    // A selector-scoped informer holds exactly what the same list returns.
    void scopedBySelectorAndNamespace()
    {
        InformerOptions options;
        options.ns = QStringLiteral("default");
        options.labelSelector = QStringLiteral("app=demo");
        PodInformer pods(m_client.get(), options);
        pods.start();
        QTRY_VERIFY_WITH_TIMEOUT(pods.hasSynced(), kTimeout);
        QVERIFY(pods.size() >= 3);
        for (const PodInfo &pod : pods.items()) {
            QCOMPARE(pod.ns, QStringLiteral("default"));
            QCOMPARE(pod.labels.value(QStringLiteral("app")), QStringLiteral("demo"));
        }
        ListOptions list;
        list.ns = options.ns;
        list.labelSelector = options.labelSelector;
        QCOMPARE(byKey(pods.items()), freshList<PodInfo>(list));

        DeploymentInformer one(m_client.get(), informerIn(QStringLiteral("default"),
                                                          QStringLiteral("metadata.name=demo-dp")));
        one.start();
        QTRY_VERIFY_WITH_TIMEOUT(one.hasSynced(), kTimeout);
        QCOMPARE(one.size(), 1);
    }

    // The server ends the watch cleanly: the informer watches again from its last RV, without a
    // list, and changes made in between are not lost.
    void resumesAfterCleanEndWithoutRelist()
    {
        DeploymentInformer deployments(m_client.get());
        const auto seen = Seen<DeploymentInfo>::on(deployments);
        deployments.start();
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 4);
        QTRY_COMPARE_WITH_TIMEOUT(seen->updated.size(), 1, kTimeout);
        QCOMPARE(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 4);

        const int lists = deployments.listCount();
        const int watches = deployments.watchCount();
        const qint64 requests = m_sim->api()->requestCount();
        m_sim->api()->endWatches();
        // Changed while no watch is open: the resumed watch must deliver it.
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 5);
        QTRY_COMPARE_WITH_TIMEOUT(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 5,
                                  kTimeout);
        QCOMPARE(deployments.listCount(), lists);
        QCOMPARE(deployments.watchCount(), watches + 1);
        QCOMPARE(m_sim->api()->requestCount() - requests, 1); // the new watch, no list
        QCOMPARE(byKey(deployments.items()), freshList<DeploymentInfo>());
    }

    // 410: the history is compacted while no watch is open; the resumed watch expires, the
    // informer relists and reconciles, synthesizing the deletion it never saw.
    void relistsAfterExpired()
    {
        DeploymentInformer deployments(m_client.get());
        const auto seen = Seen<DeploymentInfo>::on(deployments);
        QSignalSpy resynced(&deployments, &Informer::resynced);
        deployments.start();
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 2); // a healthy watch
        QTRY_COMPARE_WITH_TIMEOUT(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 2,
                                  kTimeout);
        const QString victim = anyDeploymentIn(QStringLiteral("shop"));
        QVERIFY(!victim.isEmpty());
        const int lists = deployments.listCount();

        m_sim->api()->endWatches();
        removeDeployment(QStringLiteral("shop"), victim);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 6);
        m_sim->cluster()->store()->compact();

        QTRY_COMPARE_WITH_TIMEOUT(resynced.count(), 2, kTimeout);
        QVERIFY(deployments.listCount() > lists);
        QCOMPARE(seen->removed.size(), 1);
        QCOMPARE(seen->removed.first().name, victim);
        QVERIFY(!deployments.find(QStringLiteral("shop/") + victim));
        QCOMPARE(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 6);
        QCOMPARE(byKey(deployments.items()), freshList<DeploymentInfo>());
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
    }

    // The cache holds each value once and hands it out (sharedvalue.h): what a handler is called
    // with is the cached object itself, for values decoded from a list, from a watch line
    // (pods) and from a parsed watch object (Deployments). A change replaces the value and leaves
    // the one kept by a consumer as it was; a relist keeps the values it did not change.
    void valuesAreSharedNotCopied()
    {
        DeploymentInformer deployments(m_client.get());
        PodInformer pods(m_client.get(), informerIn(QStringLiteral("default")));
        QHash<QString, Shared<DeploymentInfo>> keptDeployments;
        QHash<QString, Shared<PodInfo>> keptPods;
        int notTheCached = 0;
        const auto keep = [&notTheCached](auto &kept, const auto &informer, const auto &value) {
            Shared<std::decay_t<decltype(value)>> held = share(value);
            if (held.get() != informer.value(value.key()))
                ++notTheCached;
            kept.insert(value.key(), std::move(held));
        };
        deployments.addHandlers(
            this, {[&](const DeploymentInfo &d) { keep(keptDeployments, deployments, d); },
                   [&](const DeploymentInfo &, const DeploymentInfo &d) {
                       keep(keptDeployments, deployments, d);
                   },
                   {}});
        pods.addHandlers(this, {[&](const PodInfo &p) { keep(keptPods, pods, p); },
                                [&](const PodInfo &, const PodInfo &p) { keep(keptPods, pods, p); },
                                {}});
        deployments.start();
        pods.start();
        QTRY_VERIFY_WITH_TIMEOUT(deployments.status().state == InformerStatus::State::Watching &&
                                     pods.status().state == InformerStatus::State::Watching,
                                 kTimeout);
        QVERIFY(!keptPods.isEmpty());
        QCOMPARE(keptDeployments.size(), deployments.size());
        const QString demo = QStringLiteral("default/demo-dp");
        const Shared<DeploymentInfo> listed = keptDeployments.value(demo);
        QVERIFY(listed);
        const DeploymentInfo listedCopy = *listed;
        const QSet<QString> listedPods(keptPods.keyBegin(), keptPods.keyEnd());

        // New pods, by watch: the controllers create them as the virtual clock goes on.
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 5);
        sim::SimClock *clock = m_sim->cluster()->clock();
        QVERIFY(QTest::qWaitFor(
            [&] {
                clock->advance(250);
                return keptPods.size() > listedPods.size() && deployments.find(demo)->replicas == 5;
            },
            kTimeout));
        QCOMPARE(notTheCached, 0);
        QVERIFY(deployments.value(demo) != listed.get()); // replaced, not changed in place
        QCOMPARE(*listed, listedCopy);
        QCOMPARE(deployments.value(demo), keptDeployments.value(demo).get());

        // A relist (the watch cut, a change, the history compacted: 410 Expired): the values it
        // finds unchanged stay the ones kept.
        QSignalSpy resynced(&deployments, &Informer::resynced);
        const int lists = deployments.listCount();
        m_sim->api()->endWatches();
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 4);
        m_sim->cluster()->store()->compact();
        QTRY_VERIFY_WITH_TIMEOUT(resynced.count() >= 1, kTimeout);
        QVERIFY(deployments.listCount() > lists);
        int same = 0;
        for (auto it = keptDeployments.cbegin(); it != keptDeployments.cend(); ++it) {
            QVERIFY(deployments.value(it.key()));
            if (it.key() != demo && deployments.value(it.key()) == it->get())
                ++same;
        }
        QCOMPARE(same, keptDeployments.size() - 1);
        // A copy is a value of its own: share() of it is not the cached one.
        const DeploymentInfo copy = *deployments.value(demo);
        QVERIFY(share(copy).get() != deployments.value(demo));
        QCOMPARE(*share(copy), copy);
    }

    // The connection drops mid-watch and things change meanwhile: after recovery the cache
    // equals a fresh list, deletions included. A watch that was healthy resumes from its RV
    // (the changes arrive as events); a watch cut before it saw anything counts as a very short
    // watch and relists after a backoff.
    void recoversFromDroppedConnection()
    {
        InformerOptions options;
        options.backoffInitial = std::chrono::milliseconds(200);
        DeploymentInformer deployments(m_client.get(), options);
        options.ns = QStringLiteral("default");
        PodInformer pods(m_client.get(), options);
        const auto seen = Seen<DeploymentInfo>::on(deployments);
        deployments.start();
        pods.start();
        QTRY_VERIFY_WITH_TIMEOUT(deployments.status().state == InformerStatus::State::Watching &&
                                     pods.status().state == InformerStatus::State::Watching,
                                 kTimeout);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 2);
        QTRY_COMPARE_WITH_TIMEOUT(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 2,
                                  kTimeout);

        // 1. Healthy watch dropped: resumed, nothing relisted.
        const QString first = anyDeploymentIn(QStringLiteral("monitoring"));
        QVERIFY(!first.isEmpty());
        const int lists = deployments.listCount();
        m_sim->api()->dropWatches();
        removeDeployment(QStringLiteral("monitoring"), first);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 7);
        QTRY_VERIFY_WITH_TIMEOUT(!deployments.find(QStringLiteral("monitoring/") + first),
                                 kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 7,
                                  kTimeout);
        QCOMPARE(deployments.listCount(), lists);
        QCOMPARE(seen->removed.size(), 1);
        QCOMPARE(byKey(deployments.items()), freshList<DeploymentInfo>());

        // 2. A fresh watch (no events yet) is cut: a very short watch, so a relist reconciles
        // and synthesizes the deletion.
        QSignalSpy statuses(&deployments, &Informer::statusChanged);
        m_sim->api()->endWatches(); // the healthy watch resumes; wait for the new one to open
        QTRY_VERIFY_WITH_TIMEOUT(!statuses.isEmpty() &&
                                     deployments.status().state == InformerStatus::State::Watching,
                                 kTimeout);
        const QString second = anyDeploymentIn(QStringLiteral("shop"));
        QVERIFY(!second.isEmpty());
        m_sim->api()->dropWatches();
        removeDeployment(QStringLiteral("shop"), second);
        QTRY_VERIFY_WITH_TIMEOUT(!deployments.find(QStringLiteral("shop/") + second), kTimeout);
        QCOMPARE(deployments.listCount(), lists + 1);
        QCOMPARE(seen->removed.size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
        QCOMPARE(byKey(deployments.items()), freshList<DeploymentInfo>());
        QTRY_COMPARE_WITH_TIMEOUT(pods.status().state, InformerStatus::State::Watching, kTimeout);
        QCOMPARE(byKey(pods.items()), freshList<PodInfo>(listIn(QStringLiteral("default"))));
    }

    // A watch that cannot be opened waits and says why, in words the UI can show.
    void reportsRetryStatus_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("dropped connection") << 0 << QStringLiteral("Connection lost; retrying in");
        QTest::newRow("server error") << 500 << QStringLiteral("internal error");
    }
    void reportsRetryStatus()
    {
        QFETCH(int, status);
        QFETCH(QString, message);
        InformerOptions options;
        options.ns = QStringLiteral("default");
        options.backoffInitial = std::chrono::milliseconds(200);
        DeploymentInformer deployments(m_client.get(), options);
        deployments.start();
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
        scale(QStringLiteral("default"), QStringLiteral("demo-dp"), 2);
        QTRY_COMPARE_WITH_TIMEOUT(deployments.find(QStringLiteral("default/demo-dp"))->replicas, 2,
                                  kTimeout);

        QList<InformerStatus> statuses;
        connect(&deployments, &Informer::statusChanged, this,
                [&statuses](const InformerStatus &s) { statuses << s; });
        sim::FaultRule rule;
        rule.method = "GET";
        rule.path =
            QRegularExpression(QStringLiteral("^/apis/apps/v1/namespaces/default/deployments$"));
        rule.status = status;
        // Watches run over HTTP/1.1, where Qt itself sends a request again when its connection
        // closes before any answer (RFC 9112 allows it for a GET): a dropped connection reaches
        // the informer only when the retries are dropped too. So the fault lasts until the
        // informer has said it waits, however many attempts that took.
        rule.count = status == 0 ? 1000 : 1;
        m_sim->api()->addFault(rule);
        m_sim->api()->endWatches();
        if (status == 0) {
            QTRY_VERIFY_WITH_TIMEOUT(std::any_of(statuses.cbegin(), statuses.cend(),
                                                 [](const InformerStatus &s) {
                                                     return s.state ==
                                                            InformerStatus::State::WaitingToRetry;
                                                 }),
                                     kTimeout);
            m_sim->api()->clearFaults();
        }

        QTRY_VERIFY_WITH_TIMEOUT(!statuses.isEmpty() &&
                                     statuses.last().state == InformerStatus::State::Watching,
                                 kTimeout);
        const auto waiting =
            std::find_if(statuses.cbegin(), statuses.cend(), [](const InformerStatus &s) {
                return s.state == InformerStatus::State::WaitingToRetry;
            });
        QVERIFY(waiting != statuses.cend());
        QVERIFY2(waiting->message.contains(message), qPrintable(waiting->message));
        QVERIFY(waiting->message.contains(QStringLiteral(" s.")));
        QVERIFY(waiting->retryAt.isValid());
        QVERIFY(waiting->error.has_value());
        QVERIFY(deployments.hasSynced()); // the cache stays usable while retrying
        QCOMPARE(byKey(deployments.items()),
                 freshList<DeploymentInfo>(listIn(QStringLiteral("default"))));
    }

    void stopClosesTheWatch()
    {
        const int before = m_sim->api()->openWatchCount();
        DeploymentInformer deployments(m_client.get());
        deployments.start();
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->api()->openWatchCount(), before + 1, kTimeout);
        deployments.stop();
        QCOMPARE(deployments.status().state, InformerStatus::State::Stopped);
        QTRY_COMPARE_WITH_TIMEOUT(m_sim->api()->openWatchCount(), before, kTimeout);
    }
};

ROLLSCOPE_TEST_MAIN(TestInformerSim)
#include "tst_informer_sim.moc"
