// SPDX-License-Identifier: MIT
// Versions as pure functions: which ReplicaSet is new, version ids, pods per version, the
// revision history, and VersionBook's stable colours (no tracker, no informers).
#include "rollout/versions.h"
#include "rolloutfixtures.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::rollout;
using namespace rollscope::test;
using kube::DeploymentInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

namespace {

const QString kV1 = QStringLiteral("7c9f8d6b5d");
const QString kV2 = QStringLiteral("6b5b87b666");
const QString kV3 = QStringLiteral("5d8f7c9b6d");

QHash<QString, ReplicaSetInfo> byName(const QList<ReplicaSetInfo> &list)
{
    QHash<QString, ReplicaSetInfo> hash;
    for (const ReplicaSetInfo &rs : list)
        hash.insert(rs.name, rs);
    return hash;
}

QHash<QString, PodInfo> podsByName(const QList<PodInfo> &list)
{
    QHash<QString, PodInfo> hash;
    for (const PodInfo &p : list)
        hash.insert(p.name, p);
    return hash;
}

QStringList ids(const QList<VersionInfo> &versions)
{
    QStringList list;
    for (const VersionInfo &v : versions)
        list << v.id + u':' + QString::number(v.colorIndex) + (v.isNew ? u'*' : u' ');
    return list;
}

} // namespace

class TestVersions : public QObject
{
    Q_OBJECT
private slots:
    void newReplicaSet_data()
    {
        QTest::addColumn<DeploymentInfo>("deployment");
        QTest::addColumn<QList<ReplicaSetInfo>>("replicaSets");
        QTest::addColumn<QString>("expected");

        const QString v1 = imageOf(QStringLiteral("v1"));
        const QString v2 = imageOf(QStringLiteral("v2"));
        const QList<ReplicaSetInfo> both = {replicaSet(kV1, v1, 1, 0), replicaSet(kV2, v2, 2, 3)};
        QTest::newRow("revision and template match")
            << demoDeployment(v2, 2) << both << replicaSetName(kV2);
        QTest::newRow("template changed, not created yet")
            << demoDeployment(imageOf(QStringLiteral("v3")), 2) << both << QString();
        // Right after a rollback to v1: the template is v1's, the revision not raised yet.
        QTest::newRow("template back, revision not yet")
            << demoDeployment(v1, 3) << both << QString();
        QTest::newRow("rolled back")
            << demoDeployment(v1, 3)
            << QList<ReplicaSetInfo>{replicaSet(kV1, v1, 3, 1), replicaSet(kV2, v2, 2, 3)}
            << replicaSetName(kV1);
        QTest::newRow("no annotation: newest with the template")
            << demoDeployment(v1, 0)
            << QList<ReplicaSetInfo>{replicaSet(kV1, v1, 1, 0), replicaSet(kV3, v1, 4, 1),
                                     replicaSet(kV2, v2, 2, 3)}
            << replicaSetName(kV3);
        QTest::newRow("no replica sets")
            << demoDeployment() << QList<ReplicaSetInfo>() << QString();
    }

    void newReplicaSet()
    {
        QFETCH(DeploymentInfo, deployment);
        QFETCH(QList<ReplicaSetInfo>, replicaSets);
        QFETCH(QString, expected);
        QCOMPARE(findNewReplicaSet(deployment, byName(replicaSets)), expected);
    }

    void versionIds()
    {
        ReplicaSetInfo rs = replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3);
        QCOMPARE(versionIdOf(rs), kV1);
        rs.podTemplateHash.clear();
        QCOMPARE(versionIdOf(rs), replicaSetName(kV1)); // hand-made data: the name
        const QHash<QString, ReplicaSetInfo> known = byName({rs});
        PodInfo p = pod(kV1, QStringLiteral("aaaaa"), true);
        QCOMPARE(versionIdOfPod(p, known), replicaSetName(kV1)); // its ReplicaSet's
        p.ownerName = QStringLiteral("gone");
        QCOMPARE(versionIdOfPod(p, known), kV1); // else its own hash
    }

    void history()
    {
        const QString v1 = imageOf(QStringLiteral("v1"));
        ReplicaSetInfo unparsed = replicaSet(kV3, v1, 0, 0);
        ReplicaSetInfo first = replicaSet(kV1, v1, 1, 0);
        first.changeCause = QStringLiteral("kubectl create");
        const QList<kube::RevisionInfo> list = revisionHistory(
            byName({replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 3), unparsed, first}), 2);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).revision, 1);
        QCOMPARE(list.at(0).changeCause, QStringLiteral("kubectl create"));
        QVERIFY(!list.at(0).current);
        QCOMPARE(list.at(1).revision, 2);
        QCOMPARE(list.at(1).replicaSetName, replicaSetName(kV2));
        QVERIFY(list.at(1).current);
    }

    void lastGoodIsTheServingRevision()
    {
        const QString v1 = imageOf(QStringLiteral("v1"));
        const QString v2 = imageOf(QStringLiteral("v2"));
        const QString v3 = imageOf(QStringLiteral("v3"));
        // v3 (revision 3) fails while v2's pods still serve: return to 2, not to 1.
        QCOMPARE(lastGoodRevision(byName({replicaSet(kV1, v1, 1, 0), replicaSet(kV2, v2, 2, 2),
                                          replicaSet(kV3, v3, 3, 2, 0)}),
                                  3),
                 2);
        // A rollback renumbered v1 to 4 while v2 still serves: v2 (2) is the last good one.
        QCOMPARE(lastGoodRevision(byName({replicaSet(kV1, v1, 4, 3, 0), replicaSet(kV2, v2, 2, 1),
                                          replicaSet(kV3, v3, 3, 0)}),
                                  4),
                 2);
        // Nothing serves (every old pod gone): the newest revision before the current one.
        QCOMPARE(lastGoodRevision(byName({replicaSet(kV1, v1, 1, 0), replicaSet(kV2, v2, 2, 0),
                                          replicaSet(kV3, v3, 3, 3, 0)}),
                                  3),
                 2);
        // Only the current revision: there is nothing to return to.
        QCOMPARE(lastGoodRevision(byName({replicaSet(kV1, v1, 1, 3)}), 1), 0);
        // ReplicaSets without a revision never count.
        QCOMPARE(
            lastGoodRevision(byName({replicaSet(kV1, v1, 0, 3), replicaSet(kV2, v2, 2, 3)}), 2), 0);
    }

    void podsPerVersion()
    {
        const QString v1 = imageOf(QStringLiteral("v1"));
        const QString v2 = imageOf(QStringLiteral("v2"));
        ReplicaSetInfo rs1 = replicaSet(kV1, v1, 1, 2);
        ReplicaSetInfo rs2 = replicaSet(kV2, v2, 2, 2, 2);
        rs2.available = 1; // minReadySeconds: the controller counts one available yet
        const QHash<QString, ReplicaSetInfo> sets = byName({rs1, rs2});
        PodInfo done = pod(kV1, QStringLiteral("ddddd"), false);
        done.phase = QStringLiteral("Succeeded");
        const QHash<QString, PodInfo> pods = podsByName(
            {pod(kV1, QStringLiteral("aaaaa"), true),
             terminating(pod(kV1, QStringLiteral("bbbbb"), true)), done,
             pod(kV2, QStringLiteral("xxxxx"), true), pod(kV2, QStringLiteral("yyyyy"), true)});
        QList<VersionInfo> versions(2);
        versions[0].id = kV2;
        versions[0].replicaSet = rs2.name;
        versions[1].id = kV1;
        versions[1].replicaSet = rs1.name;
        QCOMPARE(countPods(pods, sets, versions, false),
                 (QList<VersionPods>{{kV2, 2, 2, 2, 0}, {kV1, 1, 1, 1, 1}}));
        QCOMPARE(countPods(pods, sets, versions, true),
                 (QList<VersionPods>{{kV2, 2, 2, 1, 0}, {kV1, 1, 1, 1, 1}}));
    }

    // The tracker keeps tallies up to date one pod change at a time (DeploymentScope): after
    // any sequence of adds, changes and removals they equal the tallies of the pods left, and
    // count the same as the pods themselves.
    void talliesFollowPodChanges()
    {
        const QString v1 = imageOf(QStringLiteral("v1"));
        const QString v2 = imageOf(QStringLiteral("v2"));
        const QHash<QString, ReplicaSetInfo> sets =
            byName({replicaSet(kV1, v1, 1, 3), replicaSet(kV2, v2, 2, 3)});
        QList<VersionInfo> versions(2);
        versions[0].id = kV1;
        versions[0].replicaSet = replicaSetName(kV1);
        versions[1].id = kV2;
        versions[1].replicaSet = replicaSetName(kV2);

        QHash<QString, PodInfo> pods;
        PodTallies tallies;
        auto change = [&](const PodInfo &after, bool remove) {
            const auto known = pods.constFind(after.name);
            if (known != pods.cend())
                tallyPod(tallies, *known, -1);
            if (remove) {
                pods.remove(after.name);
            } else {
                tallyPod(tallies, after, +1);
                pods.insert(after.name, after);
            }
            PodTallies fresh;
            for (const PodInfo &p : std::as_const(pods))
                tallyPod(fresh, p, +1);
            QCOMPARE(tallies, fresh);
            QCOMPARE(countPods(tallies, sets, versions, false),
                     countPods(pods, sets, versions, false));
        };
        const QStringList names = {QStringLiteral("aaaaa"), QStringLiteral("bbbbb"),
                                   QStringLiteral("ccccc")};
        for (const QString &name : names)
            change(pod(kV1, name, true), false);
        change(pod(kV2, QStringLiteral("xxxxx"), false), false);
        change(pod(kV2, QStringLiteral("xxxxx"), true), false);
        change(terminating(pod(kV1, names[0], true)), false);
        change(pod(kV1, names[0], true), true);
        PodInfo done = pod(kV1, names[1], false);
        done.phase = QStringLiteral("Failed");
        change(done, false);
        change(terminating(done), false);
        QCOMPARE(countPods(tallies, sets, versions, false),
                 (QList<VersionPods>{{kV1, 1, 1, 1, 0}, {kV2, 1, 1, 1, 0}}));
        QCOMPARE(podsPerReplicaSet(tallies),
                 (QHash<QString, int>{{versions[0].replicaSet, 2}, {versions[1].replicaSet, 1}}));
        change(done, true);
        change(pod(kV1, names[2], true), true);
        change(pod(kV2, QStringLiteral("xxxxx"), true), true);
        QVERIFY(tallies.isEmpty()); // groups that empty out are dropped
    }

    // A rollout to v2 and a rollback to v1: ids and colours stay, the gone version keeps its
    // place, history that never ran is no version.
    void bookKeepsColours()
    {
        const QString v1 = imageOf(QStringLiteral("v1"));
        const QString v2 = imageOf(QStringLiteral("v2"));
        VersionBook book;
        const ReplicaSetInfo history = replicaSet(kV3, imageOf(QStringLiteral("v0")), 1, 0);
        QHash<QString, ReplicaSetInfo> sets = byName({history, replicaSet(kV1, v1, 2, 3)});
        QCOMPARE(ids(book.update(sets, {}, replicaSetName(kV1))),
                 QStringList{kV1 + QStringLiteral(":0*")});
        QCOMPARE(book.newVersionId(), kV1);

        sets.insert(replicaSetName(kV2), replicaSet(kV2, v2, 3, 1));
        QList<VersionInfo> versions = book.update(sets, {}, replicaSetName(kV2));
        QCOMPARE(ids(versions),
                 (QStringList{kV1 + QStringLiteral(":0 "), kV2 + QStringLiteral(":1*")}));
        QCOMPARE(versions.at(1).label, v2);

        // Rolled back: v1's ReplicaSet renumbered, same id and colour, new again.
        sets.insert(replicaSetName(kV1), replicaSet(kV1, v1, 4, 3));
        sets.insert(replicaSetName(kV2), replicaSet(kV2, v2, 3, 0));
        versions = book.update(sets, {}, replicaSetName(kV1));
        QCOMPARE(ids(versions),
                 (QStringList{kV1 + QStringLiteral(":0*"), kV2 + QStringLiteral(":1 ")}));
        QCOMPARE(versions.at(0).revision, 4);

        // v2's ReplicaSet deleted: still a version (old chart points), no longer new.
        sets.remove(replicaSetName(kV2));
        versions = book.update(sets, {}, QString());
        QCOMPARE(ids(versions),
                 (QStringList{kV1 + QStringLiteral(":0 "), kV2 + QStringLiteral(":1 ")}));
        QVERIFY(book.newVersionId().isEmpty());

        // A ReplicaSet at 0 becomes a version once it has pods.
        versions = book.update(sets, {{history.name, 1}}, QString());
        QCOMPARE(ids(versions),
                 (QStringList{kV1 + QStringLiteral(":0 "), kV2 + QStringLiteral(":1 "),
                              kV3 + QStringLiteral(":2 ")}));
    }

    void firstSightColoursByRevision()
    {
        VersionBook book;
        const QHash<QString, ReplicaSetInfo> sets =
            byName({replicaSet(kV2, imageOf(QStringLiteral("v2")), 2, 1),
                    replicaSet(kV1, imageOf(QStringLiteral("v1")), 1, 3)});
        QCOMPARE(ids(book.update(sets, {}, replicaSetName(kV2))),
                 (QStringList{kV1 + QStringLiteral(":0 "), kV2 + QStringLiteral(":1*")}));
    }
};

ROLLSCOPE_TEST_MAIN(TestVersions)
#include "tst_versions.moc"
