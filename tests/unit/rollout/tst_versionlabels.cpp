// SPDX-License-Identifier: MIT
// Version labelling: the image of the container that changed, " (rev N)" where two versions share
// it, and how the tracker keeps ids and colours through a restart and a rollback.
#include "rollout/rollouttracker.h"
#include "rolloutfixtures.h"
#include "testmain.h"

#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;

namespace {

VersionSource source(const QString &id, qint64 revision,
                     const QList<kube::ContainerImage> &containers)
{
    VersionSource s;
    s.info.id = id;
    s.info.revision = revision;
    s.info.replicaSet = replicaSetName(id);
    s.containers = containers;
    return s;
}

kube::ContainerImage container(const char *name, const char *image)
{
    return {QString::fromLatin1(name), QString::fromLatin1(image)};
}

QStringList labels(const QList<VersionSource> &versions)
{
    QStringList list;
    for (const VersionSource &v : versions)
        list << v.info.label;
    return list;
}

} // namespace

class TestVersionLabels : public QObject
{
    Q_OBJECT
private slots:
    void singleContainerIsItsImage()
    {
        QList<VersionSource> v = {
            source(QStringLiteral("a"), 1, {container("demo", "bebullish/demo:v1")}),
            source(QStringLiteral("b"), 2, {container("demo", "bebullish/demo:v2")})};
        labelVersions(v);
        QCOMPARE(labels(v), (QStringList{QStringLiteral("bebullish/demo:v1"),
                                         QStringLiteral("bebullish/demo:v2")}));
        QCOMPARE(v.at(1).info.image, QStringLiteral("bebullish/demo:v2"));
    }

    void oneVersionAlone()
    {
        QList<VersionSource> v = {
            source(QStringLiteral("a"), 1,
                   {container("app", "shop/cart:3"), container("proxy", "envoy:1.30")})};
        labelVersions(v);
        QCOMPARE(labels(v), QStringList{QStringLiteral("shop/cart:3")}); // the first container
    }

    void sameImageInTwoRevisions()
    {
        // kubectl rollout restart: a new template with the same image.
        QList<VersionSource> v = {
            source(QStringLiteral("a"), 1, {container("demo", "bebullish/demo:v1")}),
            source(QStringLiteral("b"), 2, {container("demo", "bebullish/demo:v1")}),
            source(QStringLiteral("c"), 3, {container("demo", "bebullish/demo:v2")})};
        labelVersions(v);
        QCOMPARE(labels(v), (QStringList{QStringLiteral("bebullish/demo:v1 (rev 1)"),
                                         QStringLiteral("bebullish/demo:v1 (rev 2)"),
                                         QStringLiteral("bebullish/demo:v2")}));
        QCOMPARE(v.at(0).info.image, QStringLiteral("bebullish/demo:v1"));
    }

    void theContainerThatChanged()
    {
        QList<VersionSource> v = {
            source(QStringLiteral("a"), 1,
                   {container("app", "shop/cart:3"), container("proxy", "envoy:1.30")}),
            source(QStringLiteral("b"), 2,
                   {container("app", "shop/cart:3"), container("proxy", "envoy:1.31")}),
            source(QStringLiteral("c"), 3,
                   {container("app", "shop/cart:4"), container("proxy", "envoy:1.31")})};
        labelVersions(v);
        // Both containers changed somewhere in the set: both images, in template order.
        QCOMPARE(labels(v), (QStringList{QStringLiteral("shop/cart:3, envoy:1.30"),
                                         QStringLiteral("shop/cart:3, envoy:1.31"),
                                         QStringLiteral("shop/cart:4, envoy:1.31")}));
        v.removeFirst();
        labelVersions(v);
        QCOMPARE(labels(v),
                 (QStringList{QStringLiteral("shop/cart:3"), QStringLiteral("shop/cart:4")}));
    }

    void addedSidecarCountsAsChange()
    {
        QList<VersionSource> v = {
            source(QStringLiteral("a"), 1, {container("app", "shop/cart:3")}),
            source(QStringLiteral("b"), 2,
                   {container("app", "shop/cart:3"), container("log", "fluent:2")})};
        labelVersions(v);
        // The first version lacks the changed container: it falls back to its first image.
        QCOMPARE(labels(v),
                 (QStringList{QStringLiteral("shop/cart:3"), QStringLiteral("fluent:2")}));
    }

    // The tracker: restart gives "(rev N)", a rollback brings back the same version.
    void trackerThroughRestartAndRollback()
    {
        RolloutTracker tracker(nullptr, kNs, kDeployment);
        const QString v1 = QStringLiteral("7c9f8d6b5d");
        const QString restarted = QStringLiteral("5d8f7c9b6d");
        const QString v2 = QStringLiteral("6b5b87b666");
        kube::DeploymentInfo d = demoDeployment();
        tracker.scope().applyDeployment(d);
        tracker.scope().applyReplicaSet(replicaSet(v1, imageOf(QStringLiteral("v1")), 1, 3));
        tracker.flush();
        QCOMPARE(tracker.versions().size(), 1);
        QCOMPARE(tracker.versions().first().label, QStringLiteral("bebullish/demo:v1"));
        QCOMPARE(tracker.versions().first().colorIndex, 0);
        QVERIFY(tracker.versions().first().isNew);

        // rollout restart: revision 2, same image.
        d.generation = d.observedGeneration = 2;
        d.revision = 2;
        d.templateRestartedAt = QStringLiteral("2026-11-26T21:00:00+01:00");
        tracker.scope().applyDeployment(d);
        tracker.scope().applyReplicaSet(replicaSet(restarted, imageOf(QStringLiteral("v1")), 2, 3));
        tracker.scope().applyReplicaSet(replicaSet(v1, imageOf(QStringLiteral("v1")), 1, 0));
        tracker.flush();
        QList<VersionInfo> versions = tracker.versions();
        QCOMPARE(versions.size(), 2);
        QCOMPARE(versions.at(0).label, QStringLiteral("bebullish/demo:v1 (rev 1)"));
        QCOMPARE(versions.at(1).label, QStringLiteral("bebullish/demo:v1 (rev 2)"));
        QVERIFY(!versions.at(0).isNew);
        QVERIFY(versions.at(1).isNew);
        QCOMPARE(versions.at(1).colorIndex, 1);

        // set image v2: revision 3.
        d = demoDeployment(imageOf(QStringLiteral("v2")), 3);
        tracker.scope().applyDeployment(d);
        tracker.scope().applyReplicaSet(replicaSet(v2, imageOf(QStringLiteral("v2")), 3, 3));
        tracker.scope().applyReplicaSet(replicaSet(restarted, imageOf(QStringLiteral("v1")), 2, 0));
        tracker.flush();
        versions = tracker.versions();
        QCOMPARE(versions.size(), 3);
        QCOMPARE(versions.at(2).id, v2);
        QCOMPARE(versions.at(2).label, QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(versions.at(2).colorIndex, 2);

        // rollout undo: the controller reuses the restarted ReplicaSet and renumbers it to 4.
        QSignalSpy recorded(&tracker, &RolloutTracker::eventRecorded);
        d = demoDeployment(imageOf(QStringLiteral("v1")), 4);
        d.templateRestartedAt = QStringLiteral("2026-11-26T21:00:00+01:00");
        tracker.scope().applyDeployment(d);
        kube::ReplicaSetInfo reused = replicaSet(restarted, imageOf(QStringLiteral("v1")), 4, 3);
        reused.revisionHistory = QStringLiteral("2");
        tracker.scope().applyReplicaSet(reused);
        tracker.scope().applyReplicaSet(replicaSet(v2, imageOf(QStringLiteral("v2")), 3, 0));
        tracker.flush();
        versions = tracker.versions();
        QCOMPARE(versions.size(), 3); // the same version, not a fourth
        QCOMPARE(versions.at(1).id, restarted);
        QCOMPARE(versions.at(1).revision, 4);
        QCOMPARE(versions.at(1).colorIndex, 1);
        QVERIFY(versions.at(1).isNew);
        QVERIFY(!versions.at(2).isNew);
        QCOMPARE(versions.at(1).label, QStringLiteral("bebullish/demo:v1 (rev 4)"));
        QCOMPARE(versions.at(0).label, QStringLiteral("bebullish/demo:v1 (rev 1)"));
        bool rolledBack = false;
        for (const QList<QVariant> &args : std::as_const(recorded))
            rolledBack |= args.first().value<RolloutEvent>().type == u"RolledBack";
        QVERIFY(rolledBack);
    }

    // Old ReplicaSets at 0 (history) are no versions; a rollback to one makes it a version.
    void historyIsNoVersionUntilItRunsAgain()
    {
        RolloutTracker tracker(nullptr, kNs, kDeployment);
        const QString v1 = QStringLiteral("7c9f8d6b5d");
        const QString v2 = QStringLiteral("6b5b87b666");
        tracker.scope().applyDeployment(demoDeployment(imageOf(QStringLiteral("v2")), 2));
        tracker.scope().applyReplicaSet(replicaSet(v1, imageOf(QStringLiteral("v1")), 1, 0));
        tracker.scope().applyReplicaSet(replicaSet(v2, imageOf(QStringLiteral("v2")), 2, 3));
        tracker.flush();
        QCOMPARE(tracker.versions().size(), 1);
        QCOMPARE(tracker.versions().first().id, v2);
        QCOMPARE(tracker.versions().first().colorIndex, 0);
        QCOMPARE(tracker.history().size(), 2);

        tracker.scope().applyDeployment(demoDeployment(imageOf(QStringLiteral("v1")), 3));
        tracker.scope().applyReplicaSet(replicaSet(v1, imageOf(QStringLiteral("v1")), 3, 1, 0));
        tracker.flush();
        QCOMPARE(tracker.versions().size(), 2);
        QCOMPARE(tracker.versions().at(1).id, v1);
        QCOMPARE(tracker.versions().at(1).colorIndex, 1);
        QVERIFY(tracker.versions().at(1).isNew);
        const QList<kube::RevisionInfo> history = tracker.history();
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).revision, 2);
        QCOMPARE(history.at(1).revision, 3);
        QVERIFY(history.at(1).current);
        QCOMPARE(history.at(1).images(), QStringList{imageOf(QStringLiteral("v1"))});
    }

    // Right after the template changed, before the controller made the new ReplicaSet, no
    // version is new (the old one is not the Deployment's template any more).
    void noNewVersionUntilTheControllerCatchesUp()
    {
        RolloutTracker tracker(nullptr, kNs, kDeployment);
        tracker.scope().applyDeployment(demoDeployment());
        tracker.scope().applyReplicaSet(
            replicaSet(QStringLiteral("7c9f8d6b5d"), imageOf(QStringLiteral("v1")), 1, 3));
        tracker.flush();
        QVERIFY(tracker.versions().first().isNew);
        kube::DeploymentInfo changed = demoDeployment();
        changed.containers = {{QStringLiteral("demo"), imageOf(QStringLiteral("v2"))}};
        changed.generation = 2;
        tracker.scope().applyDeployment(changed);
        tracker.flush();
        QVERIFY(!tracker.versions().first().isNew);
        QVERIFY(tracker.newVersionId().isEmpty());
    }
};

ROLLSCOPE_TEST_MAIN(TestVersionLabels)
#include "tst_versionlabels.moc"
