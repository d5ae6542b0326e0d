// SPDX-License-Identifier: MIT
#pragma once

// Paced scheduling: request k of a run is due at anchor + k / rate, so a rate of 1,000/s sends
// one request every millisecond rather than bursts of a hundred every 100 ms. When the thread
// was held up (the scheduler, a slow event), at most a small catch-up burst is sent; requests
// beyond it are counted as late and the schedule moves on, so the prober never floods the
// service with the backlog of a stall.

#include <QtGlobal>

#include <cmath>

namespace rollscope::probe {

class Pacer
{
public:
    struct Due
    {
        int send = 0;    // send this many now
        qint64 late = 0; // due but skipped: more than the catch-up burst
    };

    void start(qint64 nowNs, double ratePerSecond)
    {
        m_anchorNs = nowNs;
        m_rate = ratePerSecond;
        m_issued = 0;
    }
    // A new rate applies from now on, without a burst or a gap.
    void setRate(qint64 nowNs, double ratePerSecond)
    {
        start(qMax(nowNs, nextDueNs()), ratePerSecond);
    }

    double rate() const { return m_rate; }

    // The largest catch-up burst: 20 ms worth of requests, at least 2.
    int maxBurst() const { return qMax(2, int(std::ceil(m_rate * 0.020))); }

    Due take(qint64 nowNs)
    {
        Due due;
        if (m_rate <= 0 || nowNs < m_anchorNs)
            return due;
        // Multiplied before dividing: exact for whole rates (0.103 s * 1000 would be 102.99...).
        const qint64 dueTotal = qint64(std::floor(double(nowNs - m_anchorNs) * m_rate / 1e9)) + 1;
        const qint64 count = dueTotal - m_issued;
        if (count <= 0)
            return due;
        m_issued = dueTotal;
        const int burst = maxBurst();
        due.send = int(qMin<qint64>(count, burst));
        due.late = count - due.send;
        return due;
    }

    // When the next request is due.
    qint64 nextDueNs() const
    {
        if (m_rate <= 0)
            return m_anchorNs;
        return m_anchorNs + qint64(std::ceil(double(m_issued) * 1e9 / m_rate));
    }

private:
    qint64 m_anchorNs = 0;
    double m_rate = 0;
    qint64 m_issued = 0;
};

} // namespace rollscope::probe
