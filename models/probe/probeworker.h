// SPDX-License-Identifier: MIT
#pragma once

// The prober's worker thread side (internal to TrafficProber): pacing, one socket per request,
// reading and classifying answers, attribution and buckets. Every method runs on the worker's
// thread; TrafficProber calls them through queued invocations and gets batches back the same
// way, so no state here is shared between threads.

#include "probe/aggregator.h"
#include "probe/httpresponse.h"
#include "probe/pacing.h"
#include "probe/trafficprober.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>

#include <functional>
#include <memory>
#include <unordered_map>

class QTcpSocket;
class QTimer;

namespace rollscope::probe::detail {

struct ProbeBatch
{
    quint64 run = 0;
    QList<ProbeBucket> buckets;
    QList<ProbeResult> results;
    ProbeTotals totals;
    bool final = false; // the run is over: nothing more will come for it
};

class ProbeWorker : public QObject
{
public:
    using Deliver = std::function<void(ProbeBatch)>;
    // Asks the GUI thread to send service-proxy request `id` of run `run`.
    using SendProxied = std::function<void(quint64 run, quint64 id)>;

    // The flush period: buckets and results reach the GUI thread this often.
    static constexpr int kFlushMs = 100;
    // Batches posted but not taken yet beyond which the worker waits (and its outbox grows,
    // bounded, instead of the receiver's event queue).
    static constexpr int kMaxBacklog = 3;
    // After a complete answer the server closes (Connection: close); waiting for its FIN
    // leaves TIME_WAIT on the server side, not on the prober's ephemeral ports.
    static constexpr qint64 kDrainGraceMs = 1000;

    ProbeWorker(Deliver deliver, SendProxied sendProxied,
                std::shared_ptr<std::atomic<int>> backlog);
    ~ProbeWorker() override;

    void start(quint64 run, const ProbeOptions &options, const QHash<QString, QString> &pods,
               const QHash<QString, QString> &aliases);
    void apply(const ProbeOptions &options);
    void stop();
    // Abandons everything at once, without a last batch (the prober is going away).
    void shutdown();
    void setPodVersions(const QHash<QString, QString> &pods);
    void setVersionAliases(const QHash<QString, QString> &aliases);
    void proxyFinished(quint64 run, quint64 id, Exchange exchange);

private:
    struct Request
    {
        quint64 id = 0;
        QTcpSocket *socket = nullptr; // null for a service-proxy request
        ResponseReader reader;
        qint64 startNs = 0;
        qint64 startMs = 0;
        qint64 deadlineNs = 0;
        QString error; // what the socket said when it failed
    };

    qint64 nowNs() const { return m_clock.nsecsElapsed(); }
    qint64 wallMs(qint64 ns) const { return m_wallBaseMs + ns / 1'000'000; }

    void onTick();
    void scheduleTick();
    void launch(qint64 ns);
    void onReadyRead(quint64 id);
    void onSocketEnded(quint64 id, QTcpSocket *socket, TransportEnd end);
    void finish(quint64 id, TransportEnd end);
    void sweep();
    void flush(bool final);
    void maybeFinishStop();
    void releaseSocket(QTcpSocket *socket, bool graceful);
    void destroySocket(QTcpSocket *socket);
    void updateSweepTimer();

    Deliver m_deliver;
    SendProxied m_sendProxied;
    std::shared_ptr<std::atomic<int>> m_backlog;

    ProbeOptions m_options;
    QByteArray m_requestBytes; // the request, built once per options change
    bool m_proxy = false;
    quint64 m_run = 0;
    bool m_running = false;
    bool m_stopping = false;

    QElapsedTimer m_clock;
    qint64 m_lastSweepNs = -1; // when the sweep timer last ran; -1 while it is stopped
    qint64 m_wallBaseMs = 0;
    Pacer m_pacer;
    ProbeAggregator m_aggregator;
    QTimer *m_tick = nullptr;
    QTimer *m_flush = nullptr;
    QTimer *m_sweep = nullptr;
    quint64 m_nextId = 1;
    std::unordered_map<quint64, std::unique_ptr<Request>> m_inFlight;
    QHash<QTcpSocket *, qint64> m_draining; // socket -> when to give up waiting for the FIN
    ProbeTotals m_lastDeliveredTotals;
};

} // namespace rollscope::probe::detail
