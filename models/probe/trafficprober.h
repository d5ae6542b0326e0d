// SPDX-License-Identifier: MIT
#pragma once

// The traffic prober: requests to a Deployment's Service at a steady rate, each on a fresh
// connection (a kept-alive connection stays on one pod and hides the rollout), every answer
// attributed to the version that sent it, every failure classified.
//
// Threading. TrafficProber lives on the GUI thread; its worker lives on a thread of its own
// and owns the sockets, the pacing timer, attribution and bucketing, so 1,000 requests/s never
// touch the GUI's event loop. The GUI thread only receives one batch every ~100 ms
// (bucketsReady, resultsReady, totalsChanged). The worker stops sending batches while the
// receiver has not taken three earlier ones; what piles up meanwhile is bounded (see
// ProbeAggregator). The one exception is the ServiceProxy target: its requests must go through
// the cluster connection's ApiClient, which lives on the GUI thread, so for it the worker paces
// and counts as usual and the GUI thread only sends and hands each answer back.
//
// Attribution is exact or "unknown", never a guess; see attribution.h for the rules.

#include "common/result.h"
#include "probe/aggregator.h"
#include "probe/attribution.h"
#include "probe/probetypes.h"

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <chrono>
#include <memory>

namespace rollscope::kube {
class ApiClient;
struct ApiResponse;
} // namespace rollscope::kube

namespace rollscope::probe {

namespace detail {
class ProbeWorker;
struct ProbeBatch;
} // namespace detail

struct ProbeOptions
{
    static constexpr double kMinRate = 0.1;
    static constexpr double kMaxRate = 10'000.0;
    static constexpr int kMaxConcurrency = 10'000;

    ProbeTarget target;
    // Path and query of every request. Empty: the target URL's own path ("/" for Services).
    QString path = QStringLiteral("/");
    double rate = 20.0; // requests per second, paced evenly
    // Most requests in flight at once; a request that falls due beyond it is skipped and
    // counted (ProbeTotals::skippedBusy), never queued.
    int concurrency = 100;
    // Connection, request and complete answer.
    std::chrono::milliseconds timeout{2000};
    AttributionOptions attribution;
    // How long an answer from a pod the version map does not know yet waits for the map.
    std::chrono::milliseconds holdUnresolved{2000};

    // Plain words when the options cannot run; empty when they can.
    QString validationError() const;
    // The path and query that go on the request line.
    QString requestPath() const;

    bool operator==(const ProbeOptions &) const = default;
};

class TrafficProber : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Stopped,
        Running,
        Stopping, // no new requests; waiting for those in flight (at most the timeout)
    };
    Q_ENUM(State)

    explicit TrafficProber(QObject *parent = nullptr);
    // Stops at once: requests in flight are abandoned and nothing more is emitted.
    ~TrafficProber() override;

    // The cluster connection, for the ServiceProxy target. Not owned.
    void setApiClient(kube::ApiClient *client);

    // Applies at once while running (target, path, rate, concurrency, timeout, attribution);
    // invalid options are refused with the reason.
    VoidResult setOptions(const ProbeOptions &options);
    const ProbeOptions &options() const { return m_options; }

    // Starts a run with the current options. Totals start from zero.
    VoidResult start();
    // Stops sending; requests in flight finish, the last buckets and results are delivered,
    // then the state becomes Stopped.
    void stop();
    State state() const { return m_state; }

    // The pod -> version id map (every pod of the Deployment, terminating ones included) and
    // other names of versions ("v2" -> id) for the Header/Regex modes. Call from the GUI
    // thread whenever the pods change; the worker gets a copy.
    void setPodVersions(const QHash<QString, QString> &podVersions);
    void setVersionAliases(const QHash<QString, QString> &aliases);

    // As of the last batch delivered.
    const ProbeTotals &totals() const { return m_totals; }

    // How an answer through the API server's service proxy is classified: 2xx -> answer;
    // 503 Status "no endpoints available" -> NoEndpoints; 503 Status "error trying to reach
    // service ... connection refused / reset" -> Refused / Reset; other 5xx -> Http5xx; 4xx ->
    // Http4xx; a timeout -> Timeout; anything else -> Other.
    static Exchange exchangeFromProxy(const Result<kube::ApiResponse> &response);

signals:
    void bucketsReady(const QList<rollscope::probe::ProbeBucket> &buckets);
    void resultsReady(const QList<rollscope::probe::ProbeResult> &results);
    void totalsChanged(const rollscope::probe::ProbeTotals &totals);
    void stateChanged(rollscope::probe::TrafficProber::State state);

private:
    void deliver(const detail::ProbeBatch &batch);
    void sendProxied(quint64 run, quint64 id);
    void setState(State state);
    void sendPodVersions();

    ProbeOptions m_options;
    QPointer<kube::ApiClient> m_client;
    QHash<QString, QString> m_podVersions;
    // A rollout of thousands of pods changes the pods' versions many times a second, and the
    // worker's attribution index costs a pass over every pod: it gets them at most every
    // kPodVersionsIntervalMs (the first change at once, the last one at the end of the interval).
    // An answer from a pod it does not know yet is held until then (Attributor).
    static constexpr int kPodVersionsIntervalMs = 100;
    QTimer m_podVersionsTimer;
    bool m_podVersionsPending = false;
    QHash<QString, QString> m_aliases;
    State m_state = State::Stopped;
    ProbeTotals m_totals;
    quint64 m_run = 0;
    QThread m_thread;
    detail::ProbeWorker *m_worker = nullptr;     // lives on m_thread
    std::shared_ptr<std::atomic<int>> m_backlog; // batches posted to this thread, not taken yet
};

class TrafficProberText
{
    Q_DECLARE_TR_FUNCTIONS(TrafficProber)
};

} // namespace rollscope::probe
