// SPDX-License-Identifier: MIT
// EventModel under QAbstractItemModelTester, bound to a RolloutTracker fed with recorded Events:
// rows in the order they came and never moved (an event seen again changes in place), newest
// first through the view's sorting proxy, foreign events never show.
#include "../unit/rollout/rolloutfixtures.h"
#include "itemmodels/eventmodel.h"
#include "rollout/rollouttracker.h"
#include "testmain.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSortFilterProxyModel>

using namespace rollscope;
using namespace rollscope::test;

namespace {
const QString kV1 = QStringLiteral("7c9f8d6b5d");

QStringList names(const QAbstractItemModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row)
        list << model.index(row, 0).data(EventModel::KeyRole).toString().section(u'/', 1);
    return list;
}

// `proxy` shows `model` as the Rollout view does: sorted on SortRole by the model's default.
void sortAsTheView(QSortFilterProxyModel &proxy, EventModel &model)
{
    proxy.setSourceModel(&model);
    proxy.setSortRole(EventModel::SortRole);
    proxy.sort(EventModel::DefaultSortColumn, EventModel::DefaultSortOrder);
}

// The names as the Rollout view shows them.
QStringList shown(EventModel &model)
{
    QSortFilterProxyModel proxy;
    sortAsTheView(proxy, model);
    return names(proxy);
}

// Every row as "name count lastSeen", in key order: what a model holds, whatever its order.
QStringList contents(const EventModel &model)
{
    QStringList list;
    for (int row = 0; row < model.rowCount(); ++row) {
        const auto e = model.index(row, 0).data(EventModel::EventRole).value<kube::EventInfo>();
        list << QStringLiteral("%1 %2 %3")
                    .arg(e.name)
                    .arg(e.count)
                    .arg(e.lastSeen().toString(Qt::ISODate));
    }
    list.sort();
    return list;
}
} // namespace

class TestEventModel : public QObject
{
    Q_OBJECT
private slots:
    void newestFirstThroughTheProxyAndIncremental()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        const QString rs = replicaSetName(kV1);
        tracker.scope().applyEvent(
            kubeEvent(QStringLiteral("e1"), QStringLiteral("Deployment"), kDeployment,
                      QStringLiteral("ScalingReplicaSet"),
                      QStringLiteral("Scaled up replica set ") + rs + QStringLiteral(" to 3"), 10));
        tracker.flush();

        EventModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(70));
        model.setTracker(&tracker);
        QCOMPARE(model.rowCount(), 1);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
        QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);

        // Recorded: pod events arrive, one repeats, another deployment's event is ignored.
        tracker.scope().applyEvent(kubeEvent(QStringLiteral("e2"), QStringLiteral("ReplicaSet"), rs,
                                             QStringLiteral("SuccessfulCreate"),
                                             QStringLiteral("Created pod"), 20));
        tracker.scope().applyEvent(
            kubeEvent(QStringLiteral("e3"), QStringLiteral("Pod"), rs + QStringLiteral("-aaaaa"),
                      QStringLiteral("Pulling"), QStringLiteral("Pulling image"), 30));
        kube::EventInfo backoff =
            kubeEvent(QStringLiteral("e4"), QStringLiteral("Pod"), rs + QStringLiteral("-bbbbb"),
                      QStringLiteral("BackOff"), QStringLiteral("Back-off restarting"), 40,
                      QStringLiteral("Warning"));
        tracker.scope().applyEvent(backoff);
        tracker.scope().applyEvent(
            kubeEvent(QStringLiteral("x1"), QStringLiteral("Deployment"), QStringLiteral("cart"),
                      QStringLiteral("ScalingReplicaSet"), QStringLiteral("x"), 50));
        // The tracker's changes wait for the end of the event-loop pass (kBatchedFeed).
        QCOMPARE(model.rowCount(), 1);
        model.applyPending();
        QCOMPARE(shown(model), (QStringList{QStringLiteral("e4"), QStringLiteral("e3"),
                                            QStringLiteral("e2"), QStringLiteral("e1")}));
        // In the model, in the order they came: e1 from the start, then the pass's three.
        QCOMPARE(names(model), (QStringList{QStringLiteral("e1"), QStringLiteral("e2"),
                                            QStringLiteral("e3"), QStringLiteral("e4")}));
        auto cell = [&](const QString &name, int column, int role = Qt::DisplayRole) {
            return model.index(model.rowOf(kNs + u'/' + name), column).data(role);
        };
        const QString e4 = QStringLiteral("e4");
        QCOMPARE(cell(e4, EventModel::LastSeen).toString(), QStringLiteral("30s"));
        QCOMPARE(cell(e4, EventModel::Type).toString(), QStringLiteral("Warning"));
        QCOMPARE(cell(e4, EventModel::Object).toString(),
                 QStringLiteral("pod/") + rs + QStringLiteral("-bbbbb"));
        QCOMPARE(cell(e4, EventModel::Count).toInt(), 1);
        QVERIFY(cell(e4, 0, EventModel::WarningRole).toBool());
        QVERIFY(!cell(QStringLiteral("e3"), 0, EventModel::WarningRole).toBool());

        // e2 is seen again: it changes where it is, and the proxy shows it on top.
        QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
        kube::EventInfo again =
            kubeEvent(QStringLiteral("e2"), QStringLiteral("ReplicaSet"), rs,
                      QStringLiteral("SuccessfulCreate"), QStringLiteral("Created pod"), 60,
                      QStringLiteral("Normal"), 2);
        tracker.scope().applyEvent(again);
        model.applyPending();
        QCOMPARE(shown(model), (QStringList{QStringLiteral("e2"), QStringLiteral("e4"),
                                            QStringLiteral("e3"), QStringLiteral("e1")}));
        QCOMPARE(names(model), (QStringList{QStringLiteral("e1"), QStringLiteral("e2"),
                                            QStringLiteral("e3"), QStringLiteral("e4")}));
        QCOMPARE(cell(QStringLiteral("e2"), EventModel::Count).toInt(), 2);
        QCOMPARE(changes.count(), 1);
        QCOMPARE(changes.at(0).at(0).toModelIndex().row(), 1);
        QCOMPARE(changes.at(0).at(1).toModelIndex().row(), 1);
        backoff.count = 5;
        tracker.scope().applyEvent(backoff);
        model.applyPending();
        QCOMPARE(cell(e4, EventModel::Count).toInt(), 5);

        tracker.scope().applyEventRemoved(backoff);
        model.applyPending();
        QCOMPARE(shown(model),
                 (QStringList{QStringLiteral("e2"), QStringLiteral("e3"), QStringLiteral("e1")}));
        QCOMPARE(resets.count(), 0);
        QCOMPARE(moves.count(), 0);   // never: a sorting proxy would sort every row again
        QCOMPARE(inserts.count(), 1); // e2, e3 and e4 came in one pass: one insertion
        QCOMPARE(removes.count(), 1);
    }

    // A burst of a tracker's changes in one event-loop pass reaches the model when the pass
    // ends, as one insertion at the bottom and one removal per run of neighbouring rows, leaving
    // the rows a reset would give; only the last change of a key counts.
    void burstsComeInBatches()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        const QString rs = replicaSetName(kV1);
        const auto podEvent = [&rs](int i, int lastSeen) {
            return kubeEvent(QStringLiteral("p%1").arg(i, 4, 10, QLatin1Char('0')),
                             QStringLiteral("Pod"), rs + QStringLiteral("-%1").arg(i),
                             QStringLiteral("Started"), QStringLiteral("Started container"),
                             lastSeen);
        };
        for (int i = 0; i < 10; ++i)
            tracker.scope().applyEvent(podEvent(i, 1000 + i)); // seconds 1000-1009
        tracker.flush();

        EventModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(5000));
        model.setTracker(&tracker);
        QCOMPARE(model.rowCount(), 10);
        QSignalSpy inserts(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removes(&model, &QAbstractItemModel::rowsRemoved);

        // 1,000 newer events (on top) and 5 older ones (at the bottom) in one pass.
        for (int i = 10; i < 1010; ++i)
            tracker.scope().applyEvent(podEvent(i, 2000 + i));
        for (int i = 1010; i < 1015; ++i)
            tracker.scope().applyEvent(podEvent(i, i - 1010)); // seconds 0-4
        // Added and removed in the same pass: never shown.
        tracker.scope().applyEvent(podEvent(2000, 2500));
        tracker.scope().applyEventRemoved(podEvent(2000, 2500));
        QCOMPARE(model.rowCount(), 10);
        QTRY_COMPARE(model.rowCount(), 1015); // when the pass ends, without being asked
        QCOMPARE(inserts.count(), 1);         // at the bottom, in the order they came
        QCOMPARE(inserts.at(0).at(1).toInt(), 10);
        QCOMPARE(inserts.at(0).at(2).toInt(), 1014);
        QCOMPARE(removes.count(), 0);
        EventModel reset; // the same events in one reset
        reset.setEvents(tracker.events());
        QCOMPARE(contents(model), contents(reset));
        const QStringList newestFirst = shown(model);
        QCOMPARE(newestFirst.first(), QStringLiteral("p1009"));
        QCOMPARE(newestFirst.last(), QStringLiteral("p1010"));

        // Removed: three neighbours and one apart, as two removals. Removed and added again in
        // the same pass: a new row (the uid changed). Changed twice: the last change stays.
        inserts.clear();
        for (int i : {500, 501, 502, 7})
            tracker.scope().applyEventRemoved(podEvent(i, 2000 + i));
        kube::EventInfo again = podEvent(300, 2000 + 300);
        tracker.scope().applyEventRemoved(again);
        again.uid = QStringLiteral("uid-again");
        tracker.scope().applyEvent(again);
        kube::EventInfo twice = podEvent(400, 2000 + 400);
        twice.count = 2;
        tracker.scope().applyEvent(twice);
        twice.count = 3;
        tracker.scope().applyEvent(twice);
        model.applyPending();
        QCOMPARE(model.rowCount(), 1011);
        QCOMPARE(removes.count(), 3); // 500-502, 7, and 300 before it comes back
        QCOMPARE(inserts.count(), 1);
        QCOMPARE(model.index(model.rowOf(again.key()), 0)
                     .data(EventModel::EventRole)
                     .value<kube::EventInfo>()
                     .uid,
                 QStringLiteral("uid-again"));
        QCOMPARE(model.index(model.rowOf(twice.key()), EventModel::Count).data().toInt(), 3);
        reset.setEvents(tracker.events());
        QCOMPARE(contents(model), contents(reset));

        // Unbound with changes pending: they are dropped, nothing arrives later.
        tracker.scope().applyEvent(podEvent(3000, 4000));
        model.setTracker(nullptr);
        QCOMPARE(model.rowCount(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(model.rowCount(), 0);
    }

    // Random bursts (adds, repeats, removals, removals then adds again, with equal times) applied
    // as one batch leave the rows a reset to the tracker's events would, under the model tester,
    // round after round; through the proxy they are newest first.
    void randomBurstsMatchAReset()
    {
        rollout::RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3));
        const QString rs = replicaSetName(kV1);
        tracker.flush();
        EventModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setNow(at(100'000));
        model.setTracker(&tracker);
        QRandomGenerator random(20261206);
        QHash<int, kube::EventInfo> live;
        for (int round = 0; round < 30; ++round) {
            for (int op = 0; op < 60; ++op) {
                const int id = int(random.bounded(80));
                kube::EventInfo e = kubeEvent(
                    QStringLiteral("r%1").arg(id, 3, 10, QLatin1Char('0')), QStringLiteral("Pod"),
                    rs + QStringLiteral("-%1").arg(id), QStringLiteral("Started"),
                    QStringLiteral("Started"), int(random.bounded(50)), QStringLiteral("Normal"),
                    1 + int(random.bounded(5)));
                if (random.bounded(4) == 0 && live.contains(id)) {
                    tracker.scope().applyEventRemoved(live.take(id));
                } else {
                    if (random.bounded(6) == 0)
                        e.uid += QStringLiteral("-again"); // deleted and created again
                    tracker.scope().applyEvent(e);
                    live.insert(id, e);
                }
            }
            model.applyPending();
            EventModel reset;
            reset.setEvents(tracker.events());
            QCOMPARE(model.rowCount(), int(live.size()));
            QCOMPARE(contents(model), contents(reset));
            QSortFilterProxyModel proxy;
            sortAsTheView(proxy, model);
            for (int row = 1; row < proxy.rowCount(); ++row) {
                const auto lastSeen = [&proxy](int r) {
                    return proxy.index(r, 0)
                        .data(EventModel::EventRole)
                        .value<kube::EventInfo>()
                        .lastSeen();
                };
                QVERIFY(lastSeen(row - 1) >= lastSeen(row));
            }
        }
    }

    void correctedTimesSortAgainAndPlainValues()
    {
        EventModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QString d = kDeployment;
        model.setEvents({kubeEvent(QStringLiteral("a"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 1),
                         kubeEvent(QStringLiteral("b"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 3),
                         kubeEvent(QStringLiteral("c"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 2)});
        QCOMPARE(shown(model),
                 (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));
        // A corrected (earlier) time puts a row lower.
        model.onUpdated({}, kubeEvent(QStringLiteral("b"), QStringLiteral("Deployment"), d,
                                      QStringLiteral("R"), {}, 0));
        QCOMPARE(shown(model),
                 (QStringList{QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("b")}));
        model.onUpdated({}, kubeEvent(QStringLiteral("b"), QStringLiteral("Deployment"), d,
                                      QStringLiteral("R"), {}, 2));
        QCOMPARE(shown(model),
                 (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));
        model.onAdded(kubeEvent(QStringLiteral("d"), QStringLiteral("Deployment"), d,
                                QStringLiteral("R"), {}, 5));
        QCOMPARE(shown(model).first(), QStringLiteral("d"));
    }

    // The Rollout view sorts with a proxy on SortRole: sorted by the model's default it shows the
    // newest first (ties in the order they came), and stays so as events come and repeat.
    void defaultSortOfAProxyIsNewestFirst()
    {
        EventModel model;
        const QString d = kDeployment;
        model.setEvents({kubeEvent(QStringLiteral("a"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 1),
                         kubeEvent(QStringLiteral("b"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 3),
                         kubeEvent(QStringLiteral("c"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 3),
                         kubeEvent(QStringLiteral("e"), QStringLiteral("Deployment"), d,
                                   QStringLiteral("R"), {}, 2)});
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setSortRole(EventModel::SortRole);
        QAbstractItemModelTester tester(&proxy,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        proxy.sort(EventModel::DefaultSortColumn, EventModel::DefaultSortOrder);
        auto shownNow = [&proxy] { return names(proxy); };
        QCOMPARE(shownNow(), (QStringList{QStringLiteral("b"), QStringLiteral("c"),
                                          QStringLiteral("e"), QStringLiteral("a")}));
        model.onAdded(kubeEvent(QStringLiteral("f"), QStringLiteral("Deployment"), d,
                                QStringLiteral("R"), {}, 9));
        model.onUpdated({}, kubeEvent(QStringLiteral("a"), QStringLiteral("Deployment"), d,
                                      QStringLiteral("R"), {}, 5));
        QCOMPARE(shownNow(),
                 (QStringList{QStringLiteral("f"), QStringLiteral("a"), QStringLiteral("b"),
                              QStringLiteral("c"), QStringLiteral("e")}));
    }
};

ROLLSCOPE_TEST_MAIN(TestEventModel)
#include "tst_eventmodel.moc"
