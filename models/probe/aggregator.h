// SPDX-License-Identifier: MIT
#pragma once

// Turns finished requests into what the views and the timeline get: attributed raw samples
// (ProbeResult) and 100 ms buckets (ProbeBucket), plus running totals. Pure bookkeeping with
// the time passed in, so tests drive it without a network or a clock; the prober's worker owns
// one.
//
// A bucket holds the requests *started* in its 100 ms, so it is final only when all of them
// have ended (answer, failure or timeout) and been attributed; then it goes to the outbox once,
// in time order. Memory is bounded whatever the rate:
// - open buckets: at most (timeout + hold) / 100 ms of them, plus a safety cut at
//   kStaleBucketMs after which a bucket is closed whatever is missing;
// - latency samples per bucket: at most Limits::maxLatencySamples (a uniform reservoir beyond);
// - held answers: one per request in flight at most, each with <= 8 short candidate names;
// - the outbox, when nobody collects it: Limits::maxOutboxResults / maxOutboxBuckets, oldest
//   dropped first and counted in ProbeTotals::droppedResults.

#include "probe/attribution.h"
#include "probe/probetypes.h"

#include <QHash>
#include <QList>

#include <algorithm>
#include <deque>
#include <optional>
#include <vector>

namespace rollscope::probe {

// A request that ended, before attribution.
struct Exchange
{
    qint64 startMs = 0;
    qint32 latencyUs = 0;
    int httpStatus = 0; // 0: no HTTP answer
    std::optional<FailureClass> failure;
    AnswerEvidence evidence; // only looked at when httpStatus != 0
    QString error;           // the socket's or reader's words for a failure
};

// Nearest-rank percentile (q in (0, 1]) of `samples`, which it sorts; 0 when empty.
qint32 latencyPercentile(std::vector<qint32> &samples, double q);

class ProbeAggregator
{
public:
    static constexpr qint64 kBucketMs = 100;
    static constexpr qint64 kStaleBucketMs = 120'000;

    struct Limits
    {
        qint64 holdMs = 2000;
        qsizetype maxLatencySamples = 4096;
        qsizetype maxOutboxResults = 50'000;
        qsizetype maxOutboxBuckets = 6000; // ten minutes
    };

    enum class SkipReason
    {
        Busy,
        Late
    };

    struct Output
    {
        QList<ProbeBucket> buckets;
        QList<ProbeResult> results; // sorted by startMs
        ProbeTotals totals;
    };

    ProbeAggregator();
    explicit ProbeAggregator(Limits limits);

    Attributor &attributor() { return m_attributor; }
    void setHoldMs(qint64 holdMs) { m_limits.holdMs = holdMs; }
    const Limits &limits() const { return m_limits; }

    // The pod -> version map changed: held answers are tried again.
    void setPodVersions(const QHash<QString, QString> &podVersions, qint64 nowMs);

    // Buckets exist from the first call to begin() on, empty ones included, until end().
    void begin(qint64 nowMs);
    void started(qint64 startMs);
    void skipped(qint64 atMs, SkipReason reason, qint64 count = 1);
    // The prober's own thread was held up for `ms` (see ProbeTotals::ownStallMaxMs).
    void stalled(qint64 ms)
    {
        m_totals.ownStallMaxMs = std::max(m_totals.ownStallMaxMs, ms);
        m_totals.ownStallTotalMs += ms;
    }
    void finished(Exchange exchange, qint64 nowMs);
    // Expires holds and moves final buckets to the outbox.
    void advance(qint64 nowMs);
    // The run is over and nothing is in flight any more: every hold resolves ("unknown" if it
    // must) and every open bucket becomes final.
    void end(qint64 nowMs);

    // Takes what the outbox holds (after advance()).
    Output take();
    bool hasOutput() const { return !m_outBuckets.isEmpty() || !m_outResults.isEmpty(); }

    const ProbeTotals &totals() const { return m_totals; }
    void resetTotals() { m_totals = {}; }
    qsizetype openBuckets() const { return qsizetype(m_open.size()); }
    qsizetype heldAnswers() const { return m_held.size(); }
    qsizetype outboxResults() const { return m_outResults.size(); }
    qsizetype outboxBuckets() const { return m_outBuckets.size(); }

private:
    struct Open
    {
        ProbeBucket bucket;
        int inFlight = 0;
        int held = 0;
        std::vector<qint32> latencies;
        qint64 latencySeen = 0;
    };
    struct Held
    {
        ProbeResult result;
        QStringList candidates;
        qint64 heldAtMs = 0;
    };

    static qint64 bucketStart(qint64 ms) { return ms - ms % kBucketMs; }
    Open *bucketFor(qint64 ms, bool create);
    void ensureUntil(qint64 ms);
    void record(ProbeResult result, bool heldBefore);
    void finalizeFront();
    void pushResult(ProbeResult result);

    Limits m_limits;
    Attributor m_attributor;
    std::deque<Open> m_open; // contiguous 100 ms buckets, oldest first
    bool m_active = false;
    QList<Held> m_held;
    QList<ProbeBucket> m_outBuckets;
    QList<ProbeResult> m_outResults;
    ProbeTotals m_totals;
    quint64 m_random = 0x9e3779b97f4a7c15ULL;
};

} // namespace rollscope::probe
