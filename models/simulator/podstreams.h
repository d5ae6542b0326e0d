// SPDX-License-Identifier: MIT
#pragma once

// The kubelet's streaming endpoints behind the API server: pods/NAME/portforward and
// pods/NAME/exec, served over an upgraded HTTP/1.1 connection.
//
// port-forward: SPDY/3.1 (`Upgrade: SPDY/3.1`, X-Stream-Protocol-Version portforward.k8s.io) or
// the same SPDY framing tunnelled in WebSocket binary messages (subprotocol
// SPDY/3.1+portforward.k8s.io, what kubectl 1.31+ tries first). Per forwarded connection the
// client opens an error stream and a data stream sharing a requestID; the data stream is
// connected to the pod's port, where the simulated app answers HTTP exactly as it answers
// Service traffic (through PodNetwork). A port the app does not listen on gets containerd's
// "connection refused" text on the error stream, as a real node gives it.
//
// exec: WebSocket with subprotocol v5.channel.k8s.io or v4.channel.k8s.io (the channel byte
// first: 0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize, 255 close), or SPDY/3.1 with
// v4.channel.k8s.io. The simulated images are distroless (one static binary, no shell, no
// tools), so every command fails as runc fails it: the error channel carries an InternalError
// Status whose message is containerd's "OCI runtime exec failed ... executable file not found
// in $PATH" text. kubectl prints it and exits 1.

#include <QByteArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrlQuery>

#include <functional>
#include <optional>

namespace rollscope::sim {

class HttpExchange;

// The simulated app's answer to one HTTP request on a forwarded connection.
struct PodAppReply
{
    int status = 200;
    QByteArray body;
    bool reset = false; // the process is gone: the connection is reset
};

// The pods' network as the node sees it (implemented by the traffic front).
class PodNetwork
{
public:
    virtual ~PodNetwork() = default;
    // Whether the pod's app accepts a new connection now (running and listening).
    virtual bool podAccepts(const QString &ns, const QString &pod) const = 0;
    // The app's answer to one request, after its latency (as Service traffic gets it). `done`
    // runs later from the event loop, never from inside podAnswer (the caller's state would
    // change under it).
    virtual void podAnswer(const QString &ns, const QString &pod, const QByteArray &method,
                           const QByteArray &target, std::function<void(PodAppReply)> done) = 0;
};

// An answer instead of an upgrade (the request was refused before any stream existed).
struct PodStreamRefusal
{
    int status = 400;
    QString reason; // Status reason; empty: a plain-text body, as the kubelet writes it
    QString message;
};

class PodStreams : public QObject
{
    Q_OBJECT
public:
    explicit PodStreams(PodNetwork *network, QObject *parent = nullptr);
    ~PodStreams() override;

    // Serves `subresource` ("exec" or "portforward") of `pod` (the stored object) on
    // `exchange`, the caller being authorized. Either the exchange is upgraded (nullopt) or
    // the caller answers with the refusal.
    std::optional<PodStreamRefusal> serve(HttpExchange *exchange, const QString &subresource,
                                          const QUrlQuery &query, const QJsonObject &pod);

    // The port the pod's app listens on: its first container's first containerPort, else 8080
    // (what the app logs as "listening on :PORT").
    static int listenPort(const QJsonObject &pod);
    // The runtime's text for exec of `argv0` in a container without it.
    static QString execNotFoundMessage(const QString &argv0, const QByteArray &execId);

private:
    std::optional<PodStreamRefusal> serveExec(HttpExchange *exchange, const QUrlQuery &query,
                                              const QJsonObject &pod);
    std::optional<PodStreamRefusal> servePortForward(HttpExchange *exchange,
                                                     const QJsonObject &pod);

    PodNetwork *m_network;
};

} // namespace rollscope::sim
