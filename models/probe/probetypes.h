// SPDX-License-Identifier: MIT
#pragma once

// Values the traffic prober hands to the tracker's views and the timeline.

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QUrl>

#include <array>
#include <optional>

namespace rollscope::probe {

// Why a request failed, as the user needs to tell them apart.
enum class FailureClass
{
    Refused,     // the connection was refused (nothing listening, no endpoint behind the port)
    Reset,       // the connection closed before a complete answer (reset or premature close)
    Timeout,     // no complete answer within the timeout
    Http5xx,     // the server answered 5xx (other than "no endpoints")
    Http4xx,     // the server answered 4xx
    NoEndpoints, // the API server's service proxy answered 503 "no endpoints available"
    Other,       // DNS, TLS, protocol errors
};
inline constexpr int kFailureClassCount = 7;

// Stable identifiers for files and exports: "refused", "reset", "timeout", "http5xx",
// "http4xx", "noEndpoints", "other".
QString failureClassId(FailureClass failure);
std::optional<FailureClass> failureClassFromId(const QString &id);
// Plain words for the UI, translated.
QString failureClassText(FailureClass failure);

// One request the prober sent and what came of it.
struct ProbeResult
{
    qint64 startMs = 0;   // wall clock when the connection was opened
    qint32 latencyUs = 0; // until the answer was complete, or until it failed
    int httpStatus = 0;   // 0 when there was no HTTP answer
    std::optional<FailureClass> failure;
    QString pod;       // the answering pod, when it could be found
    QString versionId; // the version it belongs to; "unknown" when it could not be attributed
    // For a failure: what the socket or the HTTP reader said ("Connection refused", "malformed
    // status line"); empty for answers.
    QString error;

    bool operator==(const ProbeResult &) const = default;
};

// What the charts show: answers per version and failures per class in one time bucket.
struct ProbeBucket
{
    qint64 startMs = 0;
    qint32 durationMs = 100;
    QMap<QString, int> responsesByVersion; // successful answers (2xx/3xx) per version id
    std::array<int, kFailureClassCount> failures{};
    qint32 latencyP50Us = 0;
    qint32 latencyP90Us = 0;
    qint32 latencyP99Us = 0;
    // Requests due in this bucket that were not sent: the concurrency cap was reached, or the
    // prober fell behind its schedule (see ProbeTotals for which).
    int skipped = 0;

    int failedTotal() const
    {
        int n = 0;
        for (int f : failures)
            n += f;
        return n;
    }
    bool operator==(const ProbeBucket &) const = default;
};

inline constexpr char kUnknownVersion[] = "unknown";

// Everything one prober run has seen so far.
struct ProbeTotals
{
    qint64 sent = 0;                          // requests sent (connections opened)
    qint64 answered = 0;                      // complete HTTP answers, whatever the status
    QMap<QString, qint64> responsesByVersion; // successful answers (2xx/3xx) per version id
    std::array<qint64, kFailureClassCount> failures{};
    qint64 skippedBusy = 0;    // due while `concurrency` requests were in flight
    qint64 skippedLate = 0;    // due while the prober was stalled (never sent as a burst)
    qint64 droppedResults = 0; // raw samples dropped because the receiver fell behind
    // The prober's own lateness, apart from the target's: the longest its thread was held up
    // (a timer due every 10 ms that ran late by this much), and the time so credited back to
    // requests in flight: a request times out only after `timeout` of the prober's running time.
    qint64 ownStallMaxMs = 0;
    qint64 ownStallTotalMs = 0;

    qint64 failedTotal() const
    {
        qint64 n = 0;
        for (qint64 f : failures)
            n += f;
        return n;
    }
    bool operator==(const ProbeTotals &) const = default;
};

// Where the prober sends its requests.
struct ProbeTarget
{
    enum class Kind
    {
        LoadBalancer, // status.loadBalancer.ingress of a LoadBalancer Service
        NodePort,     // a node address and the Service's nodePort
        ServiceProxy, // the API server's service proxy, with the cluster credentials
        Url,          // typed by the user (an Ingress, a port-forward...)
    };
    Kind kind = Kind::Url;
    QUrl url; // for ServiceProxy: the API path is built by the prober
    QString serviceNamespace;
    QString serviceName;
    QString servicePort; // name or number, for ServiceProxy
    QString description; // plain words: "LoadBalancer 127.0.1.18:80 of service demo-service"

    bool operator==(const ProbeTarget &) const = default;
};

} // namespace rollscope::probe

Q_DECLARE_METATYPE(rollscope::probe::ProbeResult)
Q_DECLARE_METATYPE(rollscope::probe::ProbeBucket)
Q_DECLARE_METATYPE(rollscope::probe::ProbeTarget)
Q_DECLARE_METATYPE(rollscope::probe::ProbeTotals)
