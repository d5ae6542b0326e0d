// SPDX-License-Identifier: MIT
// SimClock's two times: simulated time, which --speed makes run faster (every delay shorter),
// and the timestamps objects carry, which follow the wall clock and never run ahead of it
// (issue 14 item 11: with --speed N, `describe` and `events` showed <invalid> ages).

#include "simulator/clock.h"
#include "simulator/json.h"
#include "testmain.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace rollscope;
using namespace rollscope::sim;

class TestSimClock : public QObject
{
    Q_OBJECT

private slots:
    // Real time: a burst of work that keeps tasks due faster than they run is done in slices
    // with the event loop in between (the API server's sockets, here a zero timer).
    void realTimeYieldsToTheEventLoopDuringABurst()
    {
        SimClock clock(SimClock::Mode::Virtual, 1'000'000);
        clock.switchToReal();
        clock.setSpeed(10);
        constexpr int kTasks = 2000;
        int ran = 0;
        int ranWhenServed = -1;
        std::function<void()> work = [&] {
            QElapsedTimer busy; // 0.1 ms of controller work
            busy.start();
            while (busy.nsecsElapsed() < 100'000) {
            }
            // Once the burst is under way, something else waits for the event loop.
            if (++ran == 1)
                QTimer::singleShot(0, this, [&] { ranWhenServed = ran; });
            if (ran < kTasks)
                clock.callAfter(0, work);
        };
        clock.callAfter(0, work);
        QTRY_VERIFY_WITH_TIMEOUT(ran == kTasks, 30000);
        QVERIFY(ranWhenServed >= 0);
        QVERIFY2(ranWhenServed < kTasks / 2,
                 qPrintable(QStringLiteral("the event loop waited for %1 of %2 tasks")
                                .arg(ranWhenServed)
                                .arg(kTasks)));
    }

    void virtualTimeIsItsOwnTimestamp()
    {
        SimClock clock(SimClock::Mode::Virtual, 1'700'000'000'000);
        clock.advance(90'500);
        QCOMPARE(clock.toWallMs(clock.nowMs()), clock.nowMs());
        QCOMPARE(clock.fromWallMs(12345), 12345);
        QCOMPARE(clock.timestamp(clock.nowMs()), QStringLiteral("2023-11-14T22:14:50Z"));
        QCOMPARE(clock.parseTimestamp(QStringLiteral("2023-11-14T22:14:50Z")), 1'700'000'090'000);
        QCOMPARE(clock.parseTimestamp(QStringLiteral("not a time")), -1);
    }

    void fastTimeNeverStampsAheadOfTheWallClock()
    {
        const qint64 start = QDateTime::currentMSecsSinceEpoch();
        // Warmed up in fast-forward to "now", then real time at 50x, as rollscope-sim --speed.
        SimClock clock(SimClock::Mode::Virtual, start - 60'000);
        clock.advance(60'000);
        const qint64 seeded = clock.nowMs() - 30'000; // something the warm-up wrote
        clock.switchToReal();
        clock.setSpeed(50);
        QElapsedTimer real;
        real.start();
        bool fired = false;
        // Ten simulated seconds are a fifth of a real one.
        clock.callAfter(10'000, [&fired] { fired = true; });
        QTRY_VERIFY_WITH_TIMEOUT(fired, 5000);
        QVERIFY2(real.elapsed() < 2000, qPrintable(QString::number(real.elapsed())));
        const qint64 wall = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(clock.nowMs() - wall >= 9'000); // simulated time is ahead ...
        // ... but what objects carry is the wall clock, to the second.
        const qint64 stamped = json::parseTimestamp(clock.timestamp(clock.nowMs()));
        QVERIFY2(stamped <= wall && stamped > wall - 2000,
                 qPrintable(clock.timestamp(clock.nowMs())));
        QVERIFY(qAbs(clock.wallNowMs() - wall) < 500);
        const qint64 micro = json::parseTimestamp(clock.microTimestamp(clock.nowMs()));
        QVERIFY(micro <= wall + 50 && micro > wall - 500);
        // What the warm-up wrote keeps its time, and times read back are simulated again, to
        // the precision a timestamp has (a wall second is 50 simulated seconds here).
        QCOMPARE(clock.toWallMs(seeded), seeded);
        QCOMPARE(clock.parseTimestamp(json::timestamp(seeded)), seeded / 1000 * 1000);
        const qint64 back = clock.parseTimestamp(clock.timestamp(clock.nowMs()));
        QVERIFY(back <= clock.nowMs() && back > clock.nowMs() - 51'000);
        // Order is kept across the switch and later changes of speed.
        const qint64 before = clock.nowMs();
        clock.setSpeed(2);
        QVERIFY(clock.toWallMs(before) <= clock.toWallMs(clock.nowMs()));
        QVERIFY(qAbs(clock.toWallMs(clock.nowMs()) - QDateTime::currentMSecsSinceEpoch()) < 500);
        QVERIFY(clock.toWallMs(seeded) < clock.toWallMs(before));
    }
};

ROLLSCOPE_TEST_MAIN(TestSimClock)
#include "tst_simclock.moc"
