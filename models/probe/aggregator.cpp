// SPDX-License-Identifier: MIT
#include "probe/aggregator.h"

#include <algorithm>
#include <cmath>

namespace rollscope::probe {

qint32 latencyPercentile(std::vector<qint32> &samples, double q)
{
    if (samples.empty())
        return 0;
    std::sort(samples.begin(), samples.end());
    const auto n = qsizetype(samples.size());
    const qsizetype rank = qBound<qsizetype>(1, qsizetype(std::ceil(q * double(n))), n);
    return samples[size_t(rank - 1)];
}

ProbeAggregator::ProbeAggregator()
    : ProbeAggregator(Limits{})
{}

ProbeAggregator::ProbeAggregator(Limits limits)
    : m_limits(limits)
{}

void ProbeAggregator::setPodVersions(const QHash<QString, QString> &podVersions, qint64 nowMs)
{
    m_attributor.setPodVersions(podVersions, nowMs);
    if (m_held.isEmpty())
        return;
    QList<Held> still;
    for (Held &held : m_held) {
        const Attribution a = m_attributor.retry(held.candidates);
        if (a.outcome != Attribution::Outcome::Resolved) {
            still.append(std::move(held));
            continue;
        }
        held.result.pod = a.pod;
        held.result.versionId = a.versionId;
        record(std::move(held.result), true);
    }
    m_held = std::move(still);
}

void ProbeAggregator::begin(qint64 nowMs)
{
    m_active = true;
    ensureUntil(nowMs);
}

void ProbeAggregator::ensureUntil(qint64 ms)
{
    const qint64 start = bucketStart(ms);
    if (!m_open.empty() && start - m_open.back().bucket.startMs > kStaleBucketMs) {
        // A long gap (a suspended machine): do not fill it with thousands of empty buckets.
        Open open;
        open.bucket.startMs = start;
        open.bucket.durationMs = qint32(kBucketMs);
        m_open.push_back(std::move(open));
        return;
    }
    qint64 next = m_open.empty() ? start : m_open.back().bucket.startMs + kBucketMs;
    for (; next <= start; next += kBucketMs) {
        Open open;
        open.bucket.startMs = next;
        open.bucket.durationMs = qint32(kBucketMs);
        m_open.push_back(std::move(open));
    }
}

ProbeAggregator::Open *ProbeAggregator::bucketFor(qint64 ms, bool create)
{
    const qint64 start = bucketStart(ms);
    for (auto it = m_open.rbegin(); it != m_open.rend(); ++it) {
        if (it->bucket.startMs == start)
            return &*it;
        if (it->bucket.startMs < start)
            break;
    }
    if (create && (m_open.empty() || start > m_open.back().bucket.startMs)) {
        ensureUntil(ms);
        return &m_open.back();
    }
    return nullptr;
}

void ProbeAggregator::started(qint64 startMs)
{
    ++m_totals.sent;
    if (Open *open = bucketFor(startMs, true))
        ++open->inFlight;
}

void ProbeAggregator::skipped(qint64 atMs, SkipReason reason, qint64 count)
{
    if (count <= 0)
        return;
    (reason == SkipReason::Busy ? m_totals.skippedBusy : m_totals.skippedLate) += count;
    if (Open *open = bucketFor(atMs, true))
        open->bucket.skipped += int(count);
}

void ProbeAggregator::finished(Exchange exchange, qint64 nowMs)
{
    Open *open = bucketFor(exchange.startMs, false);
    if (open)
        --open->inFlight;

    ProbeResult result;
    result.startMs = exchange.startMs;
    result.latencyUs = exchange.latencyUs;
    result.httpStatus = exchange.httpStatus;
    result.failure = exchange.failure;
    if (exchange.failure)
        result.error = exchange.error;
    result.versionId = QString::fromLatin1(kUnknownVersion);
    if (exchange.httpStatus != 0) {
        const Attribution a = m_attributor.attribute(exchange.evidence);
        if (a.outcome == Attribution::Outcome::Pending) {
            if (open)
                ++open->held;
            m_held.append(Held{std::move(result), a.candidates, nowMs});
            return;
        }
        if (a.outcome == Attribution::Outcome::Resolved) {
            result.pod = a.pod;
            result.versionId = a.versionId;
        }
    }
    record(std::move(result), false);
}

void ProbeAggregator::record(ProbeResult result, bool heldBefore)
{
    if (result.versionId.isEmpty())
        result.versionId = QString::fromLatin1(kUnknownVersion);
    if (Open *open = bucketFor(result.startMs, false)) {
        if (heldBefore)
            --open->held;
        if (result.failure)
            ++open->bucket.failures[size_t(*result.failure)];
        else
            ++open->bucket.responsesByVersion[result.versionId];
        // Latency of answers the app gave: cut or proxy-made answers would skew it.
        const bool appAnswer = result.httpStatus != 0 &&
                               (!result.failure || *result.failure == FailureClass::Http4xx ||
                                *result.failure == FailureClass::Http5xx);
        if (appAnswer) {
            // Reservoir sampling keeps the percentiles honest with a fixed amount of memory.
            ++open->latencySeen;
            if (qsizetype(open->latencies.size()) < m_limits.maxLatencySamples) {
                open->latencies.push_back(result.latencyUs);
            } else {
                m_random ^= m_random << 13;
                m_random ^= m_random >> 7;
                m_random ^= m_random << 17;
                const auto slot = qint64(m_random % quint64(open->latencySeen));
                if (slot < m_limits.maxLatencySamples)
                    open->latencies[size_t(slot)] = result.latencyUs;
            }
        }
    }
    if (result.failure)
        ++m_totals.failures[size_t(*result.failure)];
    else
        ++m_totals.responsesByVersion[result.versionId];
    if (result.httpStatus != 0)
        ++m_totals.answered;
    pushResult(std::move(result));
}

void ProbeAggregator::pushResult(ProbeResult result)
{
    m_outResults.append(std::move(result));
    // Trim in chunks: removing from the front one by one would be quadratic.
    const qsizetype max = m_limits.maxOutboxResults;
    if (m_outResults.size() > max + max / 10) {
        const qsizetype drop = m_outResults.size() - max;
        m_outResults.remove(0, drop);
        m_totals.droppedResults += drop;
    }
}

void ProbeAggregator::advance(qint64 nowMs)
{
    if (!m_held.isEmpty()) {
        QList<Held> still;
        for (Held &held : m_held) {
            if (nowMs - held.heldAtMs < m_limits.holdMs) {
                still.append(std::move(held));
                continue;
            }
            record(std::move(held.result), true); // versionId is "unknown"
        }
        m_held = std::move(still);
    }
    if (m_active)
        ensureUntil(nowMs);
    while (!m_open.empty()) {
        const Open &front = m_open.front();
        const qint64 end = front.bucket.startMs + kBucketMs;
        const bool done = end <= nowMs && front.inFlight <= 0 && front.held <= 0;
        if (!done && nowMs - end <= kStaleBucketMs)
            break;
        finalizeFront();
    }
}

void ProbeAggregator::end(qint64 nowMs)
{
    for (Held &held : m_held)
        record(std::move(held.result), true);
    m_held.clear();
    Q_UNUSED(nowMs);
    while (!m_open.empty())
        finalizeFront();
    m_active = false;
}

void ProbeAggregator::finalizeFront()
{
    Open open = std::move(m_open.front());
    m_open.pop_front();
    open.bucket.latencyP50Us = latencyPercentile(open.latencies, 0.50);
    open.bucket.latencyP90Us = latencyPercentile(open.latencies, 0.90);
    open.bucket.latencyP99Us = latencyPercentile(open.latencies, 0.99);
    m_outBuckets.append(std::move(open.bucket));
    if (m_outBuckets.size() > m_limits.maxOutboxBuckets)
        m_outBuckets.remove(0, m_outBuckets.size() - m_limits.maxOutboxBuckets);
}

ProbeAggregator::Output ProbeAggregator::take()
{
    Output out;
    out.buckets = std::exchange(m_outBuckets, {});
    out.results = std::exchange(m_outResults, {});
    std::stable_sort(
        out.results.begin(), out.results.end(),
        [](const ProbeResult &a, const ProbeResult &b) { return a.startMs < b.startMs; });
    out.totals = m_totals;
    return out;
}

} // namespace rollscope::probe
