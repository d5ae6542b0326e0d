// SPDX-License-Identifier: MIT
// Throttle (common/throttle.h): at most one run per interval, the first one at once.
#include "common/throttle.h"
#include "testmain.h"

#include <QElapsedTimer>

using namespace rollscope;

class TestThrottle : public QObject
{
    Q_OBJECT
private slots:
    // After a quiet interval a request runs on the next pass, however long the interval: the
    // requests of one pass run it once.
    void leadingEdge()
    {
        int runs = 0;
        Throttle throttle(60'000, [&runs] { ++runs; });
        throttle.request();
        throttle.request();
        QVERIFY(throttle.isPending());
        QCOMPARE(runs, 0); // not from inside request()
        QElapsedTimer clock;
        clock.start();
        QTRY_COMPARE(runs, 1);
        QVERIFY(clock.elapsed() < 30'000);
        QVERIFY(!throttle.isPending());
    }

    // Within the interval since the last run, a request waits; ran() (a direct run) restarts the
    // interval and drops what was pending; cancel() drops it too.
    void withinTheIntervalItWaits()
    {
        int runs = 0;
        Throttle throttle(60'000, [&runs] { ++runs; });
        throttle.request();
        QTRY_COMPARE(runs, 1);
        throttle.request();
        QVERIFY(throttle.isPending());
        QCoreApplication::processEvents();
        QCOMPARE(runs, 1);
        throttle.ran();
        QVERIFY(!throttle.isPending());
        throttle.request();
        QVERIFY(throttle.isPending());
        throttle.cancel();
        QVERIFY(!throttle.isPending());
        QCOMPARE(runs, 1);
    }

    // A short interval: a request right after a run comes once the interval is over.
    void afterTheInterval()
    {
        int runs = 0;
        Throttle throttle(20, [&runs] { ++runs; });
        throttle.ran();
        throttle.request();
        QTRY_COMPARE(runs, 1);
        throttle.setInterval(0);
        throttle.request();
        QTRY_COMPARE(runs, 2);
    }
};

ROLLSCOPE_TEST_MAIN(TestThrottle)
#include "tst_throttle.moc"
