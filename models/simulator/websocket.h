// SPDX-License-Identifier: MIT
#pragma once

// The server side of RFC 6455 WebSocket framing, for Kubernetes streaming (exec's
// v5.channel.k8s.io, port-forward's SPDY/3.1+portforward.k8s.io tunnel): the opening
// handshake's checks and accept key, a bounded reader of client frames (masked, possibly
// fragmented, control frames interleaved) and unmasked server frames.

#include "httpserver.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace rollscope::sim {

enum class WebSocketOpcode : quint8
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Whether a comma-separated header value lists `token` (case-insensitive), as Connection and
// Upgrade do.
bool headerHasToken(const QByteArray &value, const QByteArray &token);
// Every comma-separated item of every `lowerCaseName` header of `request`, in order (at most 32:
// protocol lists such as Sec-WebSocket-Protocol and X-Stream-Protocol-Version).
QList<QByteArray> headerTokens(const HttpRequest &request, const QByteArray &lowerCaseName);

// Whether `request` asks for a WebSocket upgrade (GET, Connection: Upgrade, Upgrade: websocket).
bool isWebSocketRequest(const HttpRequest &request);
// The subprotocols the client offers (Sec-WebSocket-Protocol, in its order).
QList<QByteArray> webSocketProtocols(const HttpRequest &request);
// The 101 answer's headers for `request`, with `protocol` chosen; empty when the request lacks
// a valid Sec-WebSocket-Key or version 13.
HttpHeaders webSocketAcceptHeaders(const HttpRequest &request, const QByteArray &protocol);

// One server frame, unfragmented and unmasked.
QByteArray webSocketFrame(WebSocketOpcode opcode, const QByteArray &payload);
// A Close frame with a status code (1000 normal) and a reason.
QByteArray webSocketCloseFrame(quint16 code, const QByteArray &reason = {});

class WebSocketReader
{
public:
    static constexpr qsizetype kMaxMessage = 1024 * 1024;

    struct Message
    {
        WebSocketOpcode opcode = WebSocketOpcode::Binary; // Text/Binary whole, or a control
        QByteArray payload;
    };

    // Reads client bytes and appends every complete message; false on a protocol violation
    // (unmasked or malformed frame, a message over kMaxMessage), after which it reads nothing.
    bool feed(const QByteArray &bytes, QList<Message> *messages);
    QString errorText() const { return m_error; }

private:
    bool fail(const QString &why);

    QByteArray m_input;
    QByteArray m_partial;
    WebSocketOpcode m_partialOpcode = WebSocketOpcode::Binary;
    bool m_inMessage = false;
    QString m_error;
};

} // namespace rollscope::sim
