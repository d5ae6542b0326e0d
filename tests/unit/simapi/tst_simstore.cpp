// SPDX-License-Identifier: MIT
#include "simulator/clock.h"
#include "simulator/json.h"
#include "simulator/jsonwriter.h"
#include "simulator/resources.h"
#include "simulator/selector.h"
#include "simulator/store.h"
#include "testmain.h"

#include <thread>
#include <vector>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

QJsonObject pod(const QString &ns, const QString &name, const QJsonObject &labels = {})
{
    QJsonObject o{{QStringLiteral("kind"), QStringLiteral("Pod")},
                  {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("namespace"), ns},
                                                           {QStringLiteral("name"), name},
                                                           {QStringLiteral("labels"), labels}}}};
    return o;
}

} // namespace

class TestSimStore : public QObject
{
    Q_OBJECT
private slots:
    void resourceVersionsIncreaseAndAreStamped()
    {
        Store store;
        const qint64 start = store.currentResourceVersion();
        const QJsonObject a =
            store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("a")));
        const QJsonObject b =
            store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("b")));
        QCOMPARE(json::string(a, {u"metadata", u"resourceVersion"}).toLongLong(), start + 1);
        QCOMPARE(json::string(b, {u"metadata", u"resourceVersion"}).toLongLong(), start + 2);
        QCOMPARE(store.currentResourceVersion(), start + 2);
        const auto erased =
            store.erase(Resources::pods(), QStringLiteral("default"), QStringLiteral("a"));
        QVERIFY(erased);
        QCOMPARE(json::string(*erased, {u"metadata", u"resourceVersion"}).toLongLong(), start + 3);
        QVERIFY(!store.get(Resources::pods(), QStringLiteral("default"), QStringLiteral("a")));
    }

    void encodingsAreMadeOnceAndAgreeAcrossThreads()
    {
        Store store;
        QList<StoredPtr> stored;
        store.subscribe([&stored](const StoreEvent &e) { stored << e.stored; });
        for (int i = 0; i < 64; ++i) {
            QJsonObject p = pod(QStringLiteral("default"), QStringLiteral("p%1").arg(i),
                                QJsonObject{{QStringLiteral("app"), QStringLiteral("x")}});
            p.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
            p.insert(QStringLiteral("spec"), QJsonObject{{QStringLiteral("n"), i}});
            store.put(Resources::pods(), p);
        }
        QCOMPARE(stored.size(), 64);
        // Four threads ask for every object's encodings at once; each is made once (the
        // references all point at one buffer) and is what the writer makes of the object.
        QList<QList<quintptr>> seen(4);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&stored, &seen, t] {
                for (const StoredPtr &s : stored)
                    seen[t] << quintptr(s->listItemJson().constData())
                            << quintptr(s->json().constData());
            });
        }
        for (std::thread &t : threads)
            t.join();
        for (int t = 1; t < 4; ++t)
            QCOMPARE(seen.at(t), seen.at(0));
        for (const StoredPtr &s : std::as_const(stored)) {
            QVERIFY(s->hasListItemJson());
            QCOMPARE(s->json(), jsonwriter::compact(s->object()));
            QCOMPARE(s->listItemJson(),
                     jsonwriter::compactWithout(s->object(), {u"apiVersion", u"kind"}));
            QVERIFY(!s->listItemJson().contains("\"kind\""));
        }
    }

    void listEncodingWarmerEncodesSettledVersionsAndTheRestAtFinish()
    {
        Store store;
        QList<StoredPtr> podVersions;
        StoredPtr service;
        store.subscribe([&](const StoreEvent &e) {
            if (e.resource == &Resources::pods())
                podVersions << e.stored;
            else
                service = e.stored;
        });
        // "Settled" pods carry a label; the warmer encodes those as they come and the latest
        // version of every other pod when told the writes are over, and nothing else.
        ListEncodingWarmer warmer(&store, {&Resources::pods()},
                                  [](const ResourceType &, const QJsonObject &o) {
                                      return !json::label(o, QStringLiteral("done")).isEmpty();
                                  });
        const QJsonObject done{{QStringLiteral("done"), QStringLiteral("yes")}};
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("a")));
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("a"), done));
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("b")));
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("c")));
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("c")));
        store.erase(Resources::pods(), QStringLiteral("default"), QStringLiteral("b"));
        store.put(Resources::services(), pod(QStringLiteral("default"), QStringLiteral("s")));
        warmer.finish();
        // Writes after finish() are not followed.
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("d")));
        QCOMPARE(warmer.waitUntilFinished(), qsizetype(2));
        QCOMPARE(podVersions.size(), 7);                 // a, a', b, c, c', b deleted, d
        QVERIFY(!podVersions.at(0)->hasListItemJson());  // a, replaced
        QVERIFY(podVersions.at(1)->hasListItemJson());   // a' (settled)
        QVERIFY(!podVersions.at(2)->hasListItemJson());  // b, deleted
        QVERIFY(!podVersions.at(3)->hasListItemJson());  // c, replaced
        QVERIFY(podVersions.at(4)->hasListItemJson());   // c' (latest at finish)
        QVERIFY(!podVersions.last()->hasListItemJson()); // d, after finish
        QVERIFY(service && !service->hasListItemJson());
        QCOMPARE(podVersions.at(1)->listItemJson(),
                 jsonwriter::compactWithout(podVersions.at(1)->object(), {u"apiVersion", u"kind"}));
    }

    void listIsSortedByNamespaceThenName()
    {
        Store store;
        store.put(Resources::pods(), pod(QStringLiteral("b"), QStringLiteral("x")));
        store.put(Resources::pods(), pod(QStringLiteral("a"), QStringLiteral("z")));
        store.put(Resources::pods(), pod(QStringLiteral("a"), QStringLiteral("y")));
        QStringList names;
        for (const QJsonObject &o : store.list(Resources::pods()))
            names << json::ns(o) + u'/' + json::name(o);
        QCOMPARE(names, (QStringList{QStringLiteral("a/y"), QStringLiteral("a/z"),
                                     QStringLiteral("b/x")}));
        QCOMPARE(store.list(Resources::pods(), QStringLiteral("a")).size(), 2);
        // A namespace that is a prefix of another does not leak into it.
        store.put(Resources::pods(), pod(QStringLiteral("ab"), QStringLiteral("w")));
        QCOMPARE(store.list(Resources::pods(), QStringLiteral("a")).size(), 2);
    }

    void historyResumesAndExpires()
    {
        Store store;
        store.setHistoryLimit(3);
        const qint64 start = store.currentResourceVersion();
        for (int i = 0; i < 5; ++i)
            store.put(Resources::pods(),
                      pod(QStringLiteral("default"), QStringLiteral("p%1").arg(i)));
        // The last three changes are retained: resuming from start+2 works, from start+1 not.
        const auto recent = store.eventsAfter(Resources::pods(), start + 2);
        QVERIFY(recent);
        QCOMPARE(recent->size(), 3);
        QCOMPARE(recent->first().resourceVersion, start + 3);
        QVERIFY(!store.eventsAfter(Resources::pods(), start + 1));
        store.compact();
        QVERIFY(!store.eventsAfter(Resources::pods(), start + 4));
        QVERIFY(store.eventsAfter(Resources::pods(), store.currentResourceVersion()));
    }

    void compactToForgetsOnlyWhatCameBefore()
    {
        Store store;
        const qint64 start = store.currentResourceVersion();
        for (int i = 0; i < 3; ++i)
            store.put(Resources::pods(),
                      pod(QStringLiteral("default"), QStringLiteral("p%1").arg(i)));
        store.compactTo(start + 2);
        QCOMPARE(store.compactedUpTo(), start + 2);
        QVERIFY(!store.eventsAfter(Resources::pods(), start + 1));
        const auto after = store.eventsAfter(Resources::pods(), start + 2);
        QVERIFY(after);
        QCOMPARE(after->size(), 1);
        QCOMPARE(after->first().resourceVersion, start + 3);
        QCOMPARE(store.oldestResumableVersion(Resources::pods()), start + 2);
        // A kind that never changed is compacted too: its old resourceVersions are as gone.
        QVERIFY(!store.eventsAfter(Resources::services(), start));
        QVERIFY(store.eventsAfter(Resources::services(), start + 2));
        // Compaction never goes back, nor past the present.
        store.compactTo(start);
        QCOMPARE(store.compactedUpTo(), start + 2);
        store.compactTo(start + 1000);
        QCOMPARE(store.compactedUpTo(), store.currentResourceVersion());
    }

    void listenersSeeChangesInOrderEvenWhenTheyWrite()
    {
        Store store;
        QList<qint64> seenByFirst;
        QList<qint64> seenBySecond;
        store.subscribe([&](const StoreEvent &e) {
            seenByFirst << e.resourceVersion;
            if (json::name(e.object) == u"trigger")
                store.put(Resources::pods(),
                          pod(QStringLiteral("default"), QStringLiteral("echo")));
        });
        store.subscribe([&](const StoreEvent &e) { seenBySecond << e.resourceVersion; });
        store.put(Resources::pods(), pod(QStringLiteral("default"), QStringLiteral("trigger")));
        QCOMPARE(seenByFirst.size(), 2);
        QCOMPARE(seenBySecond, seenByFirst);
        QVERIFY(seenByFirst[0] < seenByFirst[1]);
    }

    void labelSelectors_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<bool>("matches");
        // Labels under test: app=demo, tier=web.
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("equals") << QStringLiteral("app=demo") << true;
        QTest::newRow("double equals") << QStringLiteral("app==demo") << true;
        QTest::newRow("not equals") << QStringLiteral("app!=demo") << false;
        QTest::newRow("not equals absent") << QStringLiteral("x!=y") << true;
        QTest::newRow("in") << QStringLiteral("tier in (api, web)") << true;
        QTest::newRow("notin") << QStringLiteral("tier notin (web)") << false;
        QTest::newRow("exists") << QStringLiteral("app") << true;
        QTest::newRow("does not exist") << QStringLiteral("!app") << false;
        QTest::newRow("and") << QStringLiteral("app=demo,tier=api") << false;
        QTest::newRow("key with prefix") << QStringLiteral("example.com/x") << false;
    }

    void labelSelectors()
    {
        QFETCH(QString, selector);
        QFETCH(bool, matches);
        const auto parsed = LabelSelector::parse(selector);
        QVERIFY2(parsed, qPrintable(parsed ? QString() : parsed.error().message));
        const QJsonObject labels{{QStringLiteral("app"), QStringLiteral("demo")},
                                 {QStringLiteral("tier"), QStringLiteral("web")}};
        QCOMPARE(parsed->matches(labels), matches);
    }

    void badLabelSelectorIsA400()
    {
        const auto parsed = LabelSelector::parse(QStringLiteral("app in demo"));
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().httpStatus, 400);
    }

    void fieldSelectors()
    {
        QJsonObject p = pod(QStringLiteral("default"), QStringLiteral("demo"));
        json::set(p, {u"status", u"phase"}, QStringLiteral("Running"));
        auto byName =
            FieldSelector::parse(QStringLiteral("metadata.name=demo"), QStringLiteral("pods"));
        QVERIFY(byName);
        QVERIFY(byName->matches(p));
        auto notRunning =
            FieldSelector::parse(QStringLiteral("status.phase!=Running"), QStringLiteral("pods"));
        QVERIFY(notRunning);
        QVERIFY(!notRunning->matches(p));
        // Pods support status.phase; deployments do not.
        const auto unsupported = FieldSelector::parse(QStringLiteral("status.phase=Running"),
                                                      QStringLiteral("deployments"));
        QVERIFY(!unsupported);
        QCOMPARE(unsupported.error().httpStatus, 400);
        QVERIFY(unsupported.error().message.contains(QStringLiteral("field label not supported")));
    }

    void virtualClockRunsTasksInTimeOrder()
    {
        SimClock clock(SimClock::Mode::Virtual, 1'000'000);
        QList<QPair<int, qint64>> ran;
        clock.callAfter(200, [&] { ran << qMakePair(2, clock.nowMs()); });
        clock.callAfter(100, [&] {
            ran << qMakePair(1, clock.nowMs());
            clock.callAfter(50, [&] { ran << qMakePair(3, clock.nowMs()); });
        });
        const auto cancelled = clock.callAfter(120, [&] { ran << qMakePair(99, clock.nowMs()); });
        clock.cancel(cancelled);
        clock.advance(149);
        QCOMPARE(ran.size(), 1);
        clock.advance(100);
        QCOMPARE(ran, (QList<QPair<int, qint64>>{{1, 1'000'100}, {3, 1'000'150}, {2, 1'000'200}}));
        QCOMPARE(clock.nowMs(), 1'000'249);
    }
};

ROLLSCOPE_TEST_MAIN(TestSimStore)
#include "tst_simstore.moc"
