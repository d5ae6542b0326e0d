// SPDX-License-Identifier: MIT
// RolloutTracker against an in-process simulator with a virtual clock: the demo-dp rollout to v2
// within its guarantees, a missing image, a crash loop, a progress deadline, and a rollback that
// brings back the same version. The clock moves in steps; after each step the test waits (QTRY
// style, no sleeps) until the tracker shows what the simulator's store holds.
#include "../simfixture.h"
#include "itemmodels/eventmodel.h"
#include "itemmodels/podmodel.h"
#include "kube/informer.h"
#include "kube/operations.h"
#include "rollout/rollouttracker.h"
#include "simulator/clock.h"
#include "simulator/patch.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/store.h"
#include "testmain.h"

#include <QSet>
#include <QSignalSpy>

#include <algorithm>
#include <functional>

using namespace rollscope;
using namespace rollscope::kube;
using namespace rollscope::rollout;
using rollscope::test::Await;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 15000;
const QString kNs = QStringLiteral("default");
const QString kName = QStringLiteral("demo-dp");

template<typename T>
QMap<QString, T> byName(const QList<T> &values)
{
    QMap<QString, T> map;
    for (const T &v : values)
        map.insert(v.name, v);
    return map;
}

QString describe(const PodCountSample &s, const QList<VersionInfo> &versions)
{
    QStringList parts;
    for (const VersionPods &v : s.versions) {
        QString label = v.versionId;
        for (const VersionInfo &info : versions) {
            if (info.id == v.versionId)
                label = info.label;
        }
        parts << QStringLiteral("%1 %2/%3 (+%4 terminating)")
                     .arg(label)
                     .arg(v.ready)
                     .arg(v.total)
                     .arg(v.terminating);
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace

class TestRolloutTrackerSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_sim;
    std::unique_ptr<ApiClient> m_client;
    std::unique_ptr<RolloutTracker> m_tracker;

    sim::SimClock *clock() const { return m_sim->cluster()->clock(); }

    // The tracker holds what the store holds: the Deployment, its ReplicaSets and their pods.
    bool caughtUp() const
    {
        const sim::Store *store = m_sim->cluster()->store();
        const auto object = store->get(sim::Resources::deployments(), kNs, kName);
        if (!object || !m_tracker->deployment())
            return false;
        const DeploymentInfo deployment = DeploymentInfo::fromJson(*object);
        if (!(deployment == *m_tracker->deployment()))
            return false;
        QList<ReplicaSetInfo> replicaSets;
        QSet<QString> names;
        for (const QJsonObject &o : store->list(sim::Resources::replicaSets(), kNs)) {
            const ReplicaSetInfo rs = ReplicaSetInfo::fromJson(o);
            if (rs.ownerUid == deployment.uid) {
                replicaSets.append(rs);
                names.insert(rs.name);
            }
        }
        if (byName(replicaSets) != byName(m_tracker->replicaSets()))
            return false;
        QList<PodInfo> pods;
        for (const QJsonObject &o : store->list(sim::Resources::pods(), kNs)) {
            const PodInfo pod = PodInfo::fromJson(o);
            if (names.contains(pod.ownerName))
                pods.append(pod);
        }
        return byName(pods) == byName(m_tracker->pods());
    }

    // One step of simulated time, then wait until the tracker has seen it and sample it.
    bool step(qint64 ms)
    {
        clock()->advance(ms);
        if (!QTest::qWaitFor([this] { return caughtUp(); }, kTimeout))
            return false;
        m_tracker->sampleNow();
        return true;
    }

    // Steps until `done` (checked after each step), for at most `limitMs` of simulated time.
    bool stepUntil(const std::function<bool()> &done, qint64 stepMs, qint64 limitMs)
    {
        for (qint64 t = 0; t <= limitMs; t += stepMs) {
            if (!step(stepMs))
                return false;
            if (done())
                return true;
        }
        return false;
    }

    void startTracker()
    {
        m_tracker = std::make_unique<RolloutTracker>(m_client.get(), kNs, kName);
        TrackerOptions options;
        options.minSampleSpacingMs = 10;
        m_tracker->setOptions(options);
        sim::SimClock *simClock = clock();
        m_tracker->setClock([simClock] { return simClock->nowMs(); });
        m_tracker->start();
        QVERIFY(QTest::qWaitFor([this] { return m_tracker->isLive(); }, kTimeout));
        QVERIFY(QTest::qWaitFor([this] { return caughtUp(); }, kTimeout));
        m_tracker->flush();
    }

    Result<WriteOutcome> setImage(const QString &image)
    {
        m_tracker->markChange(clock()->nowMs());
        Await<WriteOutcome> outcome;
        DeploymentOperations::setImage(m_client.get(), kNs, kName,
                                       {{QStringLiteral("demo"), image}}, std::nullopt, this,
                                       outcome.callback());
        if (!QTest::qWaitFor([&] { return outcome.ready(); }, kTimeout))
            return Error::make(Error::Kind::Timeout, QStringLiteral("no answer"));
        return outcome.result();
    }

    std::optional<VersionInfo> versionWithImage(const QString &image) const
    {
        for (const VersionInfo &v : m_tracker->versions()) {
            if (v.image == image)
                return v;
        }
        return std::nullopt;
    }

    QStringList recordedTypes() const
    {
        QStringList types;
        for (const RolloutEvent &e : m_tracker->recordedEvents())
            types << e.type;
        return types;
    }

private slots:
    void init()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
        m_client = std::make_unique<ApiClient>(*m_sim->config());
    }
    void cleanup()
    {
        m_tracker.reset();
        m_client.reset();
        m_sim.reset();
    }

    void rollsOutWithinTheGuarantees()
    {
        startTracker();
        QCOMPARE(m_tracker->status().state, RolloutState::Complete);
        QCOMPARE(m_tracker->strategy().maxTotal, 4);
        QCOMPARE(m_tracker->strategy().minAvailable, 3);
        QCOMPARE(m_tracker->versions().size(), 1);
        const VersionInfo v1 = m_tracker->versions().first();
        QCOMPARE(v1.label, QStringLiteral("bebullish/demo:v1"));
        QVERIFY(v1.isNew);
        QSignalSpy outcomes(m_tracker.get(), &RolloutTracker::outcomeReached);

        const Result<WriteOutcome> patched = setImage(QStringLiteral("bebullish/demo:v2"));
        QVERIFY2(patched.ok(), patched.ok() ? "" : qPrintable(patched.error().message));
        const qint64 origin = m_tracker->originMs();
        QVERIFY(stepUntil([&] { return outcomes.count() > 0; }, 250, 60'000));
        QCOMPARE(outcomes.count(), 1);
        QCOMPARE(outcomes.first().first().value<RolloutStatus>().state, RolloutState::Complete);
        QCOMPARE(m_tracker->status().state, RolloutState::Complete);
        QCOMPARE(m_tracker->originMs(), origin);

        // Versions: v1 then v2, the new one is v2.
        QVERIFY(stepUntil([&] { return m_tracker->podCounts().first().terminating == 0; }, 500,
                          30'000));
        const QList<VersionInfo> versions = m_tracker->versions();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(0).id, v1.id);
        QCOMPARE(versions.at(1).label, QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(versions.at(1).colorIndex, 1);
        QVERIFY(versions.at(1).isNew && !versions.at(0).isNew);

        // Samples: 3 ready v1 -> mixed -> 3 ready v2 and no v1, never more than 4 pods, never
        // fewer than 3 available.
        const QString v2 = versions.at(1).id;
        bool sawStart = false, sawMixed = false;
        int maxTotal = 0, minAvailable = 1000;
        QStringList trace;
        for (const PodCountSample &s : m_tracker->samples()) {
            if (s.timeMs < origin)
                continue;
            trace << describe(s, versions);
            int total = 0, available = 0, oldReady = 0, newReady = 0;
            for (const VersionPods &v : s.versions) {
                total += v.total;
                available += v.available;
                (v.versionId == v2 ? newReady : oldReady) += v.ready;
            }
            maxTotal = std::max(maxTotal, total);
            minAvailable = std::min(minAvailable, available);
            sawStart |= oldReady == 3 && newReady == 0;
            sawMixed |= oldReady > 0 && newReady > 0;
            QCOMPARE(s.maxTotal, 4);
            QCOMPARE(s.minAvailable, 3);
        }
        // ROLLSCOPE_TRACE=1 prints the samples, for looking at a rollout.
        if (qEnvironmentVariableIsSet("ROLLSCOPE_TRACE"))
            qInfo().noquote() << trace.join(u'\n');
        const PodCountSample last = m_tracker->samples().last();
        QVERIFY2(sawStart && sawMixed, qPrintable(trace.join(u'\n')));
        QVERIFY2(maxTotal <= 4, qPrintable(trace.join(u'\n')));
        QVERIFY2(minAvailable >= 3, qPrintable(trace.join(u'\n')));
        QCOMPARE(last.versions.size(), 2);
        QCOMPARE(last.versions.at(0), (VersionPods{v1.id, 0, 0, 0, 0}));
        QCOMPARE(last.versions.at(1), (VersionPods{v2, 3, 3, 3, 0}));

        const QStringList types = recordedTypes();
        for (const char *expected : {"ReplicaSetCreated", "ReplicaSetScaled", "PodCreated",
                                     "PodScheduled", "PodStarted", "PodReady", "PodTerminating",
                                     "PodGone", "ConditionChanged", "KubernetesEvent", "Outcome"})
            QVERIFY2(types.contains(QString::fromLatin1(expected)),
                     qPrintable(QString::fromLatin1(expected) + QStringLiteral(" not in ") +
                                types.join(u' ')));
        QCOMPARE(types.count(QStringLiteral("PodCreated")), 3);
        QCOMPARE(types.count(QStringLiteral("Outcome")), 1);
        QCOMPARE(m_tracker->history().size(), 2);
        QCOMPARE(m_tracker->podVersions().size(), 3);
        for (const QString &version : m_tracker->podVersions())
            QCOMPARE(version, v2);
    }

    // The tracker's pods and events are the informers' values, held once: by the informers'
    // caches, the scope and the pods and events tables alike (sharedvalue.h), and the events stay
    // readable once the tracker stops.
    void eventsAreTheInformersAndOutliveStop()
    {
        startTracker();
        PodModel podModel;
        EventModel eventModel;
        podModel.setTracker(m_tracker.get());
        eventModel.setTracker(m_tracker.get());
        QSignalSpy outcomes(m_tracker.get(), &RolloutTracker::outcomeReached);
        const Result<WriteOutcome> patched = setImage(QStringLiteral("bebullish/demo:v2"));
        QVERIFY2(patched.ok(), patched.ok() ? "" : qPrintable(patched.error().message));
        QVERIFY(stepUntil([&] { return outcomes.count() > 0; }, 250, 60'000));
        podModel.applyPending();
        eventModel.applyPending();
        const QList<Shared<kube::EventInfo>> events = m_tracker->sharedEvents();
        QVERIFY(events.size() >= 3);
        QCOMPARE(events.size(), m_tracker->eventCount());
        QCOMPARE(eventModel.rowCount(), events.size());
        const kube::EventInformer *informer = m_tracker->eventInformer();
        QVERIFY(informer);
        QStringList keys;
        for (const Shared<kube::EventInfo> &e : events) {
            const kube::EventInfo *cached = informer->value(e->key());
            QCOMPARE(cached, e.get());
            QVERIFY(cached->key().isSharedWith(e->key()));
            QCOMPARE(eventModel.sharedRow(eventModel.rowOf(e->key())).get(), cached);
            keys << e->key();
        }
        const QList<Shared<kube::PodInfo>> pods = m_tracker->sharedPods();
        QVERIFY(pods.size() >= 3);
        QCOMPARE(podModel.rowCount(), pods.size());
        for (const Shared<kube::PodInfo> &pod : pods) {
            const kube::PodInfo *cached = m_tracker->podInformer()->value(pod->key());
            QCOMPARE(cached, pod.get());
            QCOMPARE(podModel.sharedRow(podModel.rowOf(pod->name)).get(), cached);
        }
        m_tracker->stop();
        QStringList kept;
        for (const Shared<kube::EventInfo> &e : m_tracker->sharedEvents()) {
            kept << e->key();
            QVERIFY(std::find(events.cbegin(), events.cend(), e) != events.cend()); // not copied
        }
        keys.sort();
        kept.sort();
        QCOMPARE(kept, keys);

        // Started again: the new informer lists the same events, and each is known as what was
        // kept (no update from an empty value, nothing added or removed).
        QSignalSpy updated(&m_tracker->scope(), &DeploymentScope::eventUpdated);
        QSignalSpy added(&m_tracker->scope(), &DeploymentScope::eventAdded);
        QSignalSpy removed(&m_tracker->scope(), &DeploymentScope::eventRemoved);
        m_tracker->start();
        QVERIFY(QTest::qWaitFor(
            [this] {
                return m_tracker->eventInformer() && m_tracker->eventInformer()->hasSynced();
            },
            kTimeout));
        QStringList again;
        for (const kube::EventInfo &e : m_tracker->events())
            again << e.key();
        again.sort();
        QCOMPARE(again, keys);
        QCOMPARE(updated.count(), 0);
        QCOMPARE(added.count(), 0);
        QCOMPARE(removed.count(), 0);
    }

    void missingImageFails()
    {
        startTracker();
        QSignalSpy outcomes(m_tracker.get(), &RolloutTracker::outcomeReached);
        QVERIFY(setImage(QStringLiteral("bebullish/demo:v9")).ok());
        QVERIFY(stepUntil([&] { return outcomes.count() > 0; }, 250, 30'000));
        const RolloutStatus outcome = outcomes.first().first().value<RolloutStatus>();
        QCOMPARE(outcome.state, RolloutState::Failed);
        QVERIFY2(outcome.reason == u"ErrImagePull" || outcome.reason == u"ImagePullBackOff",
                 qPrintable(outcome.reason));
        QVERIFY(outcome.message.contains(QStringLiteral("demo-dp-")));
        // The old version keeps serving: 3 ready v1 pods.
        const VersionInfo v1 = *versionWithImage(QStringLiteral("bebullish/demo:v1"));
        for (const VersionPods &c : m_tracker->podCounts()) {
            if (c.versionId == v1.id)
                QCOMPARE(c.ready, 3);
        }
        // It stays failed, and the outcome is not repeated.
        QVERIFY(!stepUntil([] { return false; }, 2000, 10'000));
        QCOMPARE(m_tracker->status().state, RolloutState::Failed);
        QCOMPARE(outcomes.count(), 1);
    }

    void crashLoopFails()
    {
        startTracker();
        QSignalSpy outcomes(m_tracker.get(), &RolloutTracker::outcomeReached);
        QVERIFY(setImage(QStringLiteral("bebullish/demo:v2-crash")).ok());
        QVERIFY(stepUntil([&] { return outcomes.count() > 0; }, 500, 60'000));
        const RolloutStatus outcome = outcomes.first().first().value<RolloutStatus>();
        QCOMPARE(outcome.state, RolloutState::Failed);
        QCOMPARE(outcome.reason, QStringLiteral("CrashLoopBackOff"));
        QVERIFY(recordedTypes().contains(QStringLiteral("PodRestarted")));
        QVERIFY(recordedTypes().contains(QStringLiteral("PodFailing")));
    }

    void progressDeadlineFails()
    {
        Result<QJsonObject> patched = m_sim->cluster()->registry()->patch(
            sim::Resources::deployments(), kNs, kName, sim::PatchType::Merge,
            QByteArrayLiteral("{\"spec\":{\"progressDeadlineSeconds\":30}}"));
        QVERIFY(patched.ok());
        clock()->advance(1000);
        startTracker();
        QSignalSpy outcomes(m_tracker.get(), &RolloutTracker::outcomeReached);
        QVERIFY(setImage(QStringLiteral("bebullish/demo:v2-neverready")).ok());
        const qint64 origin = m_tracker->originMs();
        QVERIFY(stepUntil([&] { return outcomes.count() > 0; }, 1000, 90'000));
        const RolloutStatus outcome = outcomes.first().first().value<RolloutStatus>();
        QCOMPARE(outcome.state, RolloutState::Failed);
        QCOMPARE(outcome.reason, QStringLiteral("ProgressDeadlineExceeded"));
        QVERIFY2(clock()->nowMs() - origin >= 30'000,
                 qPrintable(QString::number(clock()->nowMs() - origin)));
        QVERIFY(clock()->nowMs() - origin <= 45'000);
    }

    // rollout undo after v2: the controller reuses v1's ReplicaSet and renumbers it to 3; it is
    // the same version as before (same id and colour), now the new one.
    void rollbackBringsBackTheSameVersion()
    {
        startTracker();
        const VersionInfo v1 = m_tracker->versions().first();
        QSignalSpy outcomes(m_tracker.get(), &RolloutTracker::outcomeReached);
        QSignalSpy started(m_tracker.get(), &RolloutTracker::rolloutStarted);
        QVERIFY(setImage(QStringLiteral("bebullish/demo:v2")).ok());
        QVERIFY(stepUntil([&] { return outcomes.count() == 1; }, 250, 60'000));

        Await<WriteOutcome> undone;
        DeploymentOperations::rollback(m_client.get(), kNs, kName, 0, this, undone.callback());
        QTRY_VERIFY_WITH_TIMEOUT(undone.ready(), kTimeout);
        QVERIFY2(undone.result().ok(), qPrintable(undone.errorText()));
        QVERIFY(stepUntil([&] { return outcomes.count() == 2; }, 250, 60'000));
        QCOMPARE(outcomes.last().first().value<RolloutStatus>().state, RolloutState::Complete);
        QCOMPARE(started.count(), 2); // the rollback was a rollout of its own

        const QList<VersionInfo> versions = m_tracker->versions();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(0).id, v1.id);
        QCOMPARE(versions.at(0).colorIndex, v1.colorIndex);
        QCOMPARE(versions.at(0).revision, 3);
        QCOMPARE(versions.at(0).label, QStringLiteral("bebullish/demo:v1"));
        QVERIFY(versions.at(0).isNew);
        QVERIFY(!versions.at(1).isNew);
        QVERIFY(recordedTypes().contains(QStringLiteral("RolledBack")));
        const QList<RevisionInfo> history = m_tracker->history();
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).revision, 2);
        QCOMPARE(history.at(1).revision, 3);
        QVERIFY(history.at(1).current);
    }
};

ROLLSCOPE_TEST_MAIN(TestRolloutTrackerSim)
#include "tst_rollouttracker_sim.moc"
