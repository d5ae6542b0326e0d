// SPDX-License-Identifier: MIT
#pragma once

// The server side of a SPDY/3.1 connection as Kubernetes streaming uses it (kubectl
// port-forward and exec through moby/spdystream): the client opens streams with SYN_STREAM,
// the server accepts each with SYN_REPLY, both send DATA and half-close with FIN, either resets
// with RST_STREAM; PING is echoed. Transport-agnostic: bytes in through feed(), bytes out
// through the `write` callback (a TLS socket after an HTTP Upgrade, or WebSocket binary
// messages). Everything read is bounded: frame sizes, decompressed header blocks, header
// counts, open streams. No flow control, as spdystream has none.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <memory>

namespace rollscope::sim {

using SpdyHeaders = QList<QPair<QByteArray, QByteArray>>; // names lower-case, as sent

class SpdySession
{
public:
    // Run from inside feed() (write also from reply(), send(), ...); none may destroy the
    // session (close the transport with deleteLater or abort, which deletes it later).
    struct Callbacks
    {
        std::function<void(const QByteArray &bytes)> write;
        // A stream the client opened. The session has not replied: call reply() or reset().
        std::function<void(quint32 id, const SpdyHeaders &headers, bool fin)> opened;
        // Data on a stream (fin: the client sends no more on it); empty data with fin is fine.
        std::function<void(quint32 id, const QByteArray &data, bool fin)> data;
        // The client reset a stream: it is gone.
        std::function<void(quint32 id)> reset;
        // The connection is unusable (protocol error, GOAWAY): close the transport.
        std::function<void(const QString &why)> failed;
    };

    // Limits on what a client may send.
    static constexpr quint32 kMaxControlFrame = 64 * 1024;
    static constexpr quint32 kMaxDataFrame = 1024 * 1024;
    static constexpr qsizetype kMaxHeaderBlock = 64 * 1024; // decompressed
    static constexpr quint32 kMaxHeaders = 64;
    static constexpr int kMaxOpenStreams = 256;

    explicit SpdySession(Callbacks callbacks);
    ~SpdySession();
    SpdySession(const SpdySession &) = delete;
    SpdySession &operator=(const SpdySession &) = delete;

    // Reads client bytes; returns false once the session has failed (callbacks.failed ran).
    bool feed(const QByteArray &bytes);
    bool hasFailed() const { return m_failed; }

    void reply(quint32 id, const SpdyHeaders &headers = {});
    // Sends `data` (in frames of at most 64 KiB) and, with `fin`, half-closes the stream.
    void send(quint32 id, const QByteArray &data, bool fin = false);
    void resetStream(quint32 id, quint32 status = 5 /* CANCEL */);
    void goAway();
    int openStreams() const;

    // Encodes a header block as the client would (for tests and fuzzing): the client's own
    // compression context, separate from the session's.
    class HeaderEncoder
    {
    public:
        HeaderEncoder();
        ~HeaderEncoder();
        QByteArray encode(const SpdyHeaders &headers);

    private:
        struct State;
        std::unique_ptr<State> d;
    };
    // A header block decoder with its own context (tests read the server's SYN_REPLY).
    class HeaderDecoder
    {
    public:
        HeaderDecoder();
        ~HeaderDecoder();
        bool decode(const QByteArray &compressed, SpdyHeaders *headers);

    private:
        struct State;
        std::unique_ptr<State> d;
    };

    static QByteArray controlFrame(quint16 type, quint8 flags, const QByteArray &payload);
    static QByteArray dataFrame(quint32 id, quint8 flags, const QByteArray &payload);

private:
    struct Zlib;
    void fail(const QString &why);
    bool processFrame(const QByteArray &frame);
    bool processControl(quint16 type, quint8 flags, const QByteArray &payload);

    Callbacks m_cb;
    std::unique_ptr<Zlib> m_zlib;
    QByteArray m_input;
    QList<quint32> m_open; // streams the client opened and neither side reset nor fully closed
    QList<quint32> m_remoteClosed;
    QList<quint32> m_localClosed;
    quint32 m_lastClientStream = 0;
    bool m_failed = false;
};

} // namespace rollscope::sim
