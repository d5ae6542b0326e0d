// SPDX-License-Identifier: MIT
// share() and makeShared(): one copy of a value for all who keep it (common/sharedvalue.h).
#include "common/sharedvalue.h"
#include "kube/resources.h"
#include "testmain.h"

using namespace rollscope;

class TestSharedValue : public QObject
{
    Q_OBJECT
private slots:
    // A value made by makeShared() is handed out again by share() of a reference to it: the same
    // object, one more owner.
    void shareOfTheHeldValueIsTheHolder()
    {
        kube::PodInfo pod;
        pod.ns = QStringLiteral("default");
        pod.name = QStringLiteral("demo-1");
        const Shared<kube::PodInfo> held = makeShared(pod);
        const kube::PodInfo &reference = *held;
        const Shared<kube::PodInfo> again = share(reference);
        QCOMPARE(again.get(), held.get());
        QCOMPARE(held.use_count(), 2);
    }

    // A copy is a value of its own: share() of it makes a new holder, and changing the copy does
    // not change the held value. The link is never part of equality.
    void aCopyIsNotLinked()
    {
        kube::EventInfo event;
        event.ns = QStringLiteral("default");
        event.name = QStringLiteral("demo.1");
        event.count = 1;
        const Shared<kube::EventInfo> held = makeShared(event);
        kube::EventInfo copy = *held;
        QCOMPARE(copy, *held);
        const Shared<kube::EventInfo> ofCopy = share(copy);
        QVERIFY(ofCopy.get() != held.get());
        QCOMPARE(*ofCopy, *held);
        copy.count = 2;
        QCOMPARE(held->count, 1);
        QCOMPARE(share(*ofCopy).get(), ofCopy.get()); // the new holder links its own value
        kube::EventInfo assigned;
        assigned = *held; // assignment does not link either
        QVERIFY(share(assigned).get() != held.get());
    }

    // What share() hands out owns the value as the first holder did: the value lives on when the
    // first holder lets go, and is still handed out as itself.
    void aSharedValueOutlivesItsFirstHolder()
    {
        kube::PodInfo pod;
        pod.name = QStringLiteral("demo-1");
        Shared<kube::PodInfo> first = makeShared(pod);
        const Shared<kube::PodInfo> second = share(*first);
        first.reset();
        QCOMPARE(second.use_count(), 1);
        QCOMPARE(second->name, QStringLiteral("demo-1"));
        QCOMPARE(share(*second).get(), second.get());
    }

    // A type without a link is copied each time: still a valid holder.
    void withoutALinkEachShareIsACopy()
    {
        const kube::Condition condition{};
        const Shared<kube::Condition> a = share(condition);
        const Shared<kube::Condition> b = share(*a);
        QVERIFY(a.get() != b.get());
        QCOMPARE(*a, *b);
    }
};

ROLLSCOPE_TEST_MAIN(TestSharedValue)
#include "tst_sharedvalue.moc"
