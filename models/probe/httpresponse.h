// SPDX-License-Identifier: MIT
#pragma once

// Reading one HTTP/1.1 answer on a connection the prober opened for a single request, and
// telling what came of the request. This is a client reading what a server sent, not a server
// parser: it accepts what real servers send and gives up (Malformed) on anything it cannot
// frame, never throwing and never growing without bound.

#include "probe/probetypes.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>
#include <utility>

namespace rollscope::probe {

class ResponseReader
{
public:
    enum class State
    {
        StatusLine, // waiting for the status line and headers
        Body,       // headers read, body in progress
        Complete,   // a whole answer (the connection may still be open)
        Malformed,  // not HTTP, or framing that cannot be trusted
    };

    // The body kept for attribution; longer bodies are framed and counted but not kept.
    static constexpr qsizetype kMaxKeptBody = 64 * 1024;
    // Status line plus headers; larger is Malformed (no real answer needs that much).
    static constexpr qsizetype kMaxHeaderBytes = 64 * 1024;

    State feed(QByteArrayView data);
    // The server closed the connection. An answer framed "until close" is complete now; any
    // other unfinished answer stays unfinished (a truncated answer).
    State closed();

    State state() const { return m_state; }
    bool isComplete() const { return m_state == State::Complete; }
    // Headers were read (a status code is known), whether or not the body is complete.
    bool hasHead() const { return m_status != 0; }
    int status() const { return m_status; }
    const QList<std::pair<QByteArray, QByteArray>> &headers() const { return m_headers; }
    // The first value of a header, case-insensitive name; empty when absent.
    QByteArray header(QByteArrayView name) const;
    // The (de-chunked) body, at most kMaxKeptBody bytes of it.
    const QByteArray &body() const { return m_body; }
    qint64 bodyBytes() const { return m_bodyBytes; }

private:
    enum class Framing
    {
        None,
        Length,
        Chunked,
        UntilClose
    };
    enum class ChunkStep
    {
        Size,
        Data,
        DataEnd,
        Trailers
    };

    State parseHead();
    State parseBody();
    State parseChunks();
    void keep(QByteArrayView data);
    // Nothing of a malformed answer is trusted, its status included.
    State fail()
    {
        m_buffer.clear();
        m_status = 0;
        return m_state = State::Malformed;
    }

    State m_state = State::StatusLine;
    QByteArray m_buffer;
    int m_status = 0;
    QList<std::pair<QByteArray, QByteArray>> m_headers;
    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // Length: body bytes left; Chunked: bytes left in this chunk
    ChunkStep m_chunkStep = ChunkStep::Size;
    QByteArray m_body;
    qint64 m_bodyBytes = 0;
};

// How the connection of one request ended, as the socket layer saw it.
enum class TransportEnd
{
    Answered, // the reader has a complete answer
    Closed,   // the server closed (FIN) or reset (RST) the connection first
    Refused,  // the connection was refused
    TimedOut, // the prober's deadline passed
    Error,    // anything else (DNS, TLS, a protocol error)
};

// What a request came to: nullopt for a successful answer (1xx-3xx), else the failure class.
// A truncated answer (closed before it was complete) is Reset; an answer with a complete head
// but a 4xx/5xx status is classified by that status even when its body was cut.
std::optional<FailureClass> classifyExchange(TransportEnd end, const ResponseReader &reader);
// 5xx -> Http5xx, 4xx -> Http4xx, anything else -> nullopt.
std::optional<FailureClass> classifyStatus(int status);

} // namespace rollscope::probe
