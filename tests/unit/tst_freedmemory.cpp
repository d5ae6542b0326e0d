// SPDX-License-Identifier: MIT
// FreedMemory: when the memory let go by watch slices and list pages is given back to the system.
#include "common/allocator.h"
#include "testmain.h"

#include <QThreadPool>

using namespace rollscope;

class TestFreedMemory : public QObject
{
    Q_OBJECT
private slots:
    // The huge-page restart: only where the kernel gives huge pages on request, only once (the
    // tunable set, by the restart or by the user), and the other tunables kept.
    void hugePageRestartIsDecidedOnce()
    {
        const QByteArray onRequest = "always [madvise] never\n";
        QCOMPARE(hugePageTunables({}, onRequest), QByteArray("glibc.malloc.hugetlb=1"));
        QCOMPARE(hugePageTunables("glibc.malloc.arena_max=2", onRequest),
                 QByteArray("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1"));
        QCOMPARE(hugePageTunables("glibc.malloc.hugetlb=1", onRequest), std::nullopt);
        QCOMPARE(hugePageTunables("glibc.malloc.hugetlb=0", onRequest), std::nullopt);
        QCOMPARE(hugePageTunables({}, "[always] madvise never\n"), std::nullopt);
        QCOMPARE(hugePageTunables({}, "always madvise [never]\n"), std::nullopt);
        QCOMPARE(hugePageTunables({}, {}), std::nullopt);
    }

    // Due once enough went through, and not more often than the spacing.
    void theRule()
    {
        constexpr qint64 enough = FreedMemory::kTrimAfterBytes;
        constexpr qint64 spacing = FreedMemory::kTrimSpacingMs;
        QVERIFY(FreedMemory::trimDue(enough, -1));
        QVERIFY(FreedMemory::trimDue(enough, spacing));
        QVERIFY(FreedMemory::trimDue(10 * enough, 10 * spacing));
        QVERIFY(!FreedMemory::trimDue(enough - 1, -1));
        QVERIFY(!FreedMemory::trimDue(0, 10 * spacing));
        QVERIFY(!FreedMemory::trimDue(10 * enough, spacing - 1));
    }

    // Bytes noted from several threads add up; the first time enough went through, a trim runs
    // (on a worker), and a few bytes more do not start another.
    void noteAddsUpAndTrims()
    {
#if defined(__GLIBC__)
        const int before = FreedMemory::trims();
        constexpr int kThreads = 4;
        QThreadPool pool;
        for (int t = 0; t < kThreads; ++t) {
            pool.start([] {
                for (int i = 0; i < 64; ++i)
                    FreedMemory::noteTransientBytes(FreedMemory::kTrimAfterBytes / 256);
            });
        }
        pool.waitForDone();
        QTRY_COMPARE(FreedMemory::trims(), before + 1);
        QThreadPool::globalInstance()->waitForDone();
        FreedMemory::noteTransientBytes(1);
        QThreadPool::globalInstance()->waitForDone();
        QCOMPARE(FreedMemory::trims(), before + 1);
#else
        QSKIP("malloc_trim is glibc's");
#endif
    }
};

ROLLSCOPE_TEST_MAIN(TestFreedMemory)
#include "tst_freedmemory.moc"
