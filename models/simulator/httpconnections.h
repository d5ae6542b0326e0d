// SPDX-License-Identifier: MIT
#pragma once

// Private to the HTTP server: one class per protocol for a connection and its exchanges.

#include "httpserver.h"

#include <QHash>
#include <QTimer>

#include <deque>
#include <memory>

struct nghttp2_session;

namespace rollscope::sim {

class Http1Connection;
class Http1RequestReader;
class Http2Connection;

// How much a connection hands its socket beyond what the socket has sent (plaintext and
// encrypted): a 96 MiB list body goes to TLS as the connection drains, not copied whole into the
// socket's buffers, which are fresh memory the kernel must clear page by page. Past it, the
// connection waits for encryptedBytesWritten and goes on below half of it.
inline constexpr qint64 kWriteHighWater = 4 << 20;

// HTTP/1.1: one exchange at a time; keep-alive; chunked streaming.
class Http1Connection : public QObject
{
    Q_OBJECT
public:
    Http1Connection(QSslSocket *socket, HttpServer::Handler handler);
    ~Http1Connection() override;

    QSslSocket *socket() const { return m_socket; }
    // Queues bytes to send after everything queued before (a body is kept as it is, not
    // copied); they reach the socket as it drains (kWriteHighWater).
    void send(const QByteArray &data);
    // Queued here and not yet sent by the socket.
    qint64 pendingBytes() const;
    void exchangeFinished(bool keepAlive);
    // After a 101: stops reading the socket and returns what was read past the request. What
    // was queued is in the socket by then, before anything of the new protocol.
    QByteArray handOver();

private:
    void onReadyRead();
    void processInput();
    void fail(int status, const QByteArray &message);
    void pump(qint64 highWater = kWriteHighWater);
    void closeWhenSent();

    QSslSocket *m_socket;
    HttpServer::Handler m_handler;
    QByteArray m_input;
    QPointer<HttpExchange> m_current;
    bool m_closing = false;
    bool m_upgraded = false;
    std::unique_ptr<Http1RequestReader> m_reader;
    std::deque<QByteArray> m_outgoing;
    qsizetype m_outgoingOffset = 0; // into m_outgoing.front()
    qint64 m_outgoingBytes = 0;
    bool m_closeWhenSent = false;
};

class Http1Exchange final : public HttpExchange
{
    Q_OBJECT
public:
    Http1Exchange(HttpRequest request, Http1Connection *connection, bool keepAlive);

    void respond(int status, const HttpHeaders &headers, const QByteArray &body) override;
    void beginStream(int status, const HttpHeaders &headers) override;
    void write(const QByteArray &chunk) override;
    void end() override;
    void abort() override;
    qint64 pendingBytes() const override;
    QSslSocket *upgrade(const HttpHeaders &headers, QByteArray *early) override;

private:
    QByteArray head(int status, const HttpHeaders &headers, bool chunked, qint64 length) const;

    Http1Connection *m_connection;
    bool m_keepAlive;
    bool m_streaming = false;
};

// HTTP/2 through nghttp2: many concurrent streams on one connection.
class Http2Connection : public QObject
{
    Q_OBJECT
public:
    Http2Connection(QSslSocket *socket, HttpServer::Handler handler);
    ~Http2Connection() override;

    // Writes what nghttp2 has queued, while the socket holds less than kWriteHighWater unsent.
    // Never called from inside an nghttp2 callback.
    void pump();
    nghttp2_session *session() const { return m_session; }

    struct Stream;
    Stream *stream(int32_t id) const { return m_streams.value(id); }

private:
    friend struct Http2Callbacks;
    void onReadyRead();
    void dispatchCompleted();
    void teardown();

    QSslSocket *m_socket;
    HttpServer::Handler m_handler;
    nghttp2_session *m_session = nullptr;
    QHash<int32_t, Stream *> m_streams;
    QList<int32_t> m_completed;
    bool m_inCallback = false;
    bool m_tornDown = false;
};

class Http2Exchange final : public HttpExchange
{
    Q_OBJECT
public:
    Http2Exchange(HttpRequest request, Http2Connection *connection, int32_t streamId);

    void respond(int status, const HttpHeaders &headers, const QByteArray &body) override;
    void beginStream(int status, const HttpHeaders &headers) override;
    void write(const QByteArray &chunk) override;
    void end() override;
    void abort() override;
    qint64 pendingBytes() const override;

    // nghttp2 data provider side.
    QByteArray m_buffer;
    qsizetype m_offset = 0;
    bool m_ended = false;
    bool m_deferred = false;
    void streamClosed();

private:
    void submit(int status, const HttpHeaders &headers);

    QPointer<Http2Connection> m_connection;
    int32_t m_streamId;
    bool m_submitted = false;
    bool m_closed = false;
};

} // namespace rollscope::sim
