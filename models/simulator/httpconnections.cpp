// SPDX-License-Identifier: MIT
#include "httpconnections.h"

#include "httpparser.h"

#include <QSslSocket>

#include <algorithm>
#include <limits>
#include <nghttp2/nghttp2.h>
#include <utility>

namespace rollscope::sim {

namespace {

// What a client may send ahead while its previous request is still being answered (pipelining
// behind a watch, say): a whole request of the largest size, no more.
constexpr qint64 kMaxPendingInput = kMaxRequestBodyBytes + 512 * 1024;

// What a socket holds and has not sent: plaintext and encrypted.
qint64 unsent(const QSslSocket *socket)
{
    return socket->bytesToWrite() + socket->encryptedBytesToWrite();
}

} // namespace

// --- HTTP/1.1 ---------------------------------------------------------------------------------

Http1Connection::Http1Connection(QSslSocket *socket, HttpServer::Handler handler)
    : QObject(socket)
    , m_socket(socket)
    , m_handler(std::move(handler))
{
    connect(socket, &QIODevice::readyRead, this, &Http1Connection::onReadyRead);
    connect(socket, &QAbstractSocket::disconnected, this, [this] {
        if (m_current)
            emit m_current->closed();
        m_socket->deleteLater();
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this] {
        if (m_socket->state() == QAbstractSocket::UnconnectedState && m_current)
            emit m_current->closed();
    });
    connect(socket, &QSslSocket::encryptedBytesWritten, this, [this] {
        if (!m_outgoing.empty() && unsent(m_socket) <= kWriteHighWater / 2)
            pump();
    });
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Http1Connection::onReadyRead, Qt::QueuedConnection);
}

Http1Connection::~Http1Connection() = default;

void Http1Connection::send(const QByteArray &data)
{
    if (data.isEmpty() || m_upgraded)
        return;
    m_outgoing.push_back(data);
    m_outgoingBytes += data.size();
    pump();
}

qint64 Http1Connection::pendingBytes() const
{
    return m_outgoingBytes + unsent(m_socket);
}

void Http1Connection::pump(qint64 highWater)
{
    // In slices: the socket copies what it is given, and a slice is what it holds at most
    // beyond the high-water mark.
    constexpr qsizetype kSlice = 256 * 1024;
    while (!m_outgoing.empty() && unsent(m_socket) <= highWater) {
        const QByteArray &front = m_outgoing.front();
        const qsizetype n = std::min(kSlice, front.size() - m_outgoingOffset);
        m_socket->write(front.constData() + m_outgoingOffset, n);
        m_outgoingOffset += n;
        m_outgoingBytes -= n;
        if (m_outgoingOffset == front.size()) {
            m_outgoing.pop_front();
            m_outgoingOffset = 0;
        }
    }
    if (m_outgoing.empty() && m_closeWhenSent) {
        m_closeWhenSent = false;
        m_socket->disconnectFromHost(); // sends what the socket holds, then closes
    }
}

void Http1Connection::closeWhenSent()
{
    m_closing = true;
    m_closeWhenSent = true;
    pump();
}

void Http1Connection::onReadyRead()
{
    if (m_upgraded)
        return;
    if (m_closing) {
        m_socket->readAll(); // the rest of a refused body, or anything after a failure
        return;
    }
    m_input += m_socket->readAll();
    if (m_input.size() > kMaxPendingInput) {
        m_socket->abort();
        return;
    }
    processInput();
}

void Http1Connection::fail(int status, const QByteArray &message)
{
    const QByteArray body = message + '\n';
    send("HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) +
         "\r\nContent-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body);
    closeWhenSent();
}

void Http1Connection::processInput()
{
    while (!m_current && !m_closing && !m_input.isEmpty()) {
        if (!m_reader)
            m_reader = std::make_unique<Http1RequestReader>();
        const auto state = m_reader->feed(m_input);
        if (state == Http1RequestReader::State::Failed) {
            fail(400, "Bad Request: " + m_reader->errorText());
            return;
        }
        if (state == Http1RequestReader::State::NeedMore)
            return;
        bool keepAlive = true;
        HttpRequest request = m_reader->takeRequest(&keepAlive);
        request.peerCertificate = m_socket->peerCertificate();
        request.peerAddress = m_socket->peerAddress();
        if (request.bodyTooLarge) {
            // The unread body follows in the input: nothing after it can be parsed.
            m_input.clear();
            m_closing = true;
        }
        auto *exchange = new Http1Exchange(std::move(request), this, keepAlive);
        m_current = exchange;
        m_handler(exchange);
    }
}

void Http1Connection::exchangeFinished(bool keepAlive)
{
    if (m_current)
        m_current->deleteLater();
    m_current = nullptr;
    if (!keepAlive) {
        closeWhenSent();
        return;
    }
    if (!m_input.isEmpty())
        QMetaObject::invokeMethod(this, &Http1Connection::processInput, Qt::QueuedConnection);
}

QByteArray Http1Connection::handOver()
{
    pump(std::numeric_limits<qint64>::max());
    m_upgraded = true;
    m_closing = true;
    disconnect(m_socket, &QIODevice::readyRead, this, nullptr);
    if (m_current)
        m_current->deleteLater();
    m_current = nullptr;
    m_reader.reset();
    return std::exchange(m_input, QByteArray());
}

Http1Exchange::Http1Exchange(HttpRequest request, Http1Connection *connection, bool keepAlive)
    : HttpExchange(std::move(request), connection)
    , m_connection(connection)
    , m_keepAlive(keepAlive)
{}

QByteArray Http1Exchange::head(int status, const HttpHeaders &headers, bool chunked,
                               qint64 length) const
{
    QByteArray out =
        "HTTP/1.1 " + QByteArray::number(status) + ' ' + httpReasonPhrase(status) + "\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "Date: " + httpDate() + "\r\n";
    if (chunked)
        out += "Transfer-Encoding: chunked\r\n";
    else
        out += "Content-Length: " + QByteArray::number(length) + "\r\n";
    if (!m_keepAlive)
        out += "Connection: close\r\n";
    out += "\r\n";
    return out;
}

void Http1Exchange::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_finished)
        return;
    m_finished = true;
    m_connection->send(head(status, headers, false, body.size()));
    m_connection->send(body);
    m_connection->exchangeFinished(m_keepAlive);
}

void Http1Exchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_finished || m_streaming)
        return;
    m_streaming = true;
    m_connection->send(head(status, headers, true, 0));
}

void Http1Exchange::write(const QByteArray &chunk)
{
    if (m_finished || !m_streaming || chunk.isEmpty())
        return;
    // A small chunk goes out with its framing in one piece, a large one is queued as it is.
    if (chunk.size() < 64 * 1024) {
        m_connection->send(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
        return;
    }
    m_connection->send(QByteArray::number(chunk.size(), 16) + "\r\n");
    m_connection->send(chunk);
    m_connection->send(QByteArrayLiteral("\r\n"));
}

void Http1Exchange::end()
{
    if (m_finished)
        return;
    m_finished = true;
    if (m_streaming)
        m_connection->send(QByteArrayLiteral("0\r\n\r\n"));
    m_connection->exchangeFinished(m_keepAlive);
}

void Http1Exchange::abort()
{
    m_finished = true;
    m_connection->socket()->abort();
}

qint64 Http1Exchange::pendingBytes() const
{
    return m_connection->pendingBytes();
}

QSslSocket *Http1Exchange::upgrade(const HttpHeaders &headers, QByteArray *early)
{
    if (m_finished || m_streaming)
        return nullptr;
    m_finished = true;
    QByteArray out = "HTTP/1.1 101 Switching Protocols\r\n";
    for (const auto &[name, value] : headers)
        out += name + ": " + value + "\r\n";
    out += "\r\n";
    QSslSocket *socket = m_connection->socket();
    const QByteArray rest = m_connection->handOver(); // what was queued before goes first
    socket->write(out);
    // The 101 goes out on its own (its own TLS record): a client may read the handshake and
    // then wait on its socket for what follows (Python's websocket-client does).
    socket->flush();
    if (early)
        *early = rest;
    return socket;
}

// --- HTTP/2 -----------------------------------------------------------------------------------

struct Http2Connection::Stream
{
    HttpRequest request;
    QPointer<Http2Exchange> exchange;
    bool dispatched = false; // handed to the handler (once, even if its exchange is gone)
};

struct Http2Callbacks
{
    static Http2Connection *self(void *userData)
    {
        return static_cast<Http2Connection *>(userData);
    }

    static int onBeginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
            return 0;
        Http2Connection *c = self(userData);
        auto *stream = new Http2Connection::Stream;
        stream->request.http2 = true;
        stream->request.peerCertificate = c->m_socket->peerCertificate();
        stream->request.peerAddress = c->m_socket->peerAddress();
        c->m_streams.insert(frame->hd.stream_id, stream);
        return 0;
    }

    static int onHeader(nghttp2_session *, const nghttp2_frame *frame, const uint8_t *name,
                        size_t nameLength, const uint8_t *value, size_t valueLength, uint8_t,
                        void *userData)
    {
        Http2Connection::Stream *stream = self(userData)->stream(frame->hd.stream_id);
        if (!stream)
            return 0;
        const QByteArray n(reinterpret_cast<const char *>(name), qsizetype(nameLength));
        const QByteArray v(reinterpret_cast<const char *>(value), qsizetype(valueLength));
        if (n == ":method")
            stream->request.method = v;
        else if (n == ":path")
            stream->request.target = v;
        else if (n == ":authority")
            stream->request.headers.append({QByteArrayLiteral("host"), v});
        else if (!n.startsWith(':'))
            stream->request.headers.append({n, v});
        return 0;
    }

    static int onDataChunk(nghttp2_session *, uint8_t, int32_t streamId, const uint8_t *data,
                           size_t length, void *userData)
    {
        Http2Connection::Stream *stream = self(userData)->stream(streamId);
        if (!stream)
            return 0;
        if (stream->request.bodyTooLarge)
            return 0; // dropped; the request is answered 413 without it
        if (stream->request.body.size() + qsizetype(length) > kMaxRequestBodyBytes) {
            stream->request.bodyTooLarge = true;
            stream->request.body = QByteArray();
            return 0;
        }
        stream->request.body.append(reinterpret_cast<const char *>(data), qsizetype(length));
        return 0;
    }

    static int onFrameRecv(nghttp2_session *, const nghttp2_frame *frame, void *userData)
    {
        if (frame->hd.type == NGHTTP2_HEADERS && !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
            // A declared body over the limit: answer from the header, drop the data.
            Http2Connection *c = self(userData);
            Http2Connection::Stream *stream = c->stream(frame->hd.stream_id);
            bool ok = false;
            const qint64 length =
                stream ? stream->request.header(QByteArrayLiteral("content-length")).toLongLong(&ok)
                       : 0;
            if (stream && ok && length > kMaxRequestBodyBytes) {
                stream->request.bodyTooLarge = true;
                c->m_completed << frame->hd.stream_id;
            }
            return 0;
        }
        if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
            (frame->hd.flags & NGHTTP2_FLAG_END_STREAM)) {
            Http2Connection *c = self(userData);
            if (c->stream(frame->hd.stream_id))
                c->m_completed << frame->hd.stream_id;
        }
        return 0;
    }

    static int onStreamClose(nghttp2_session *, int32_t streamId, uint32_t, void *userData)
    {
        Http2Connection *c = self(userData);
        Http2Connection::Stream *stream = c->m_streams.take(streamId);
        c->m_completed.removeAll(streamId);
        if (stream) {
            if (stream->exchange)
                stream->exchange->streamClosed();
            delete stream;
        }
        return 0;
    }

    static ssize_t readData(nghttp2_session *, int32_t, uint8_t *buf, size_t length,
                            uint32_t *dataFlags, nghttp2_data_source *source, void *)
    {
        auto *exchange = static_cast<Http2Exchange *>(source->ptr);
        const qsizetype available = exchange->m_buffer.size() - exchange->m_offset;
        if (available == 0) {
            if (exchange->m_ended) {
                *dataFlags |= NGHTTP2_DATA_FLAG_EOF;
                return 0;
            }
            exchange->m_deferred = true;
            return NGHTTP2_ERR_DEFERRED;
        }
        const qsizetype n = qMin(available, qsizetype(length));
        memcpy(buf, exchange->m_buffer.constData() + exchange->m_offset, size_t(n));
        exchange->m_offset += n;
        if (exchange->m_offset == exchange->m_buffer.size()) {
            exchange->m_buffer.clear();
            exchange->m_offset = 0;
            if (exchange->m_ended)
                *dataFlags |= NGHTTP2_DATA_FLAG_EOF;
        } else if (exchange->m_offset > 1024 * 1024 &&
                   exchange->m_offset * 2 > exchange->m_buffer.size()) {
            // Compacted only once most of the buffer is sent: removing the sent megabyte from
            // the front of a 100 MB list body each time moved the rest again and again.
            exchange->m_buffer.remove(0, exchange->m_offset);
            exchange->m_offset = 0;
        }
        return ssize_t(n);
    }
};

Http2Connection::Http2Connection(QSslSocket *socket, HttpServer::Handler handler)
    : QObject(socket)
    , m_socket(socket)
    , m_handler(std::move(handler))
{
    nghttp2_session_callbacks *callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks,
                                                            &Http2Callbacks::onBeginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Http2Callbacks::onHeader);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks,
                                                              &Http2Callbacks::onDataChunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Http2Callbacks::onFrameRecv);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks,
                                                           &Http2Callbacks::onStreamClose);
    nghttp2_session_server_new(&m_session, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);

    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 1000},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1 << 20},
    };
    nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, 2);
    // A larger connection-level receive window, like Go's HTTP/2 server.
    nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, 16 << 20);

    connect(socket, &QIODevice::readyRead, this, &Http2Connection::onReadyRead);
    connect(socket, &QSslSocket::encryptedBytesWritten, this, [this] {
        if (m_session && nghttp2_session_want_write(m_session) &&
            unsent(m_socket) <= kWriteHighWater / 2)
            pump();
    });
    connect(socket, &QAbstractSocket::disconnected, this, [this] {
        teardown();
        m_socket->deleteLater();
    });
    pump();
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &Http2Connection::onReadyRead, Qt::QueuedConnection);
}

Http2Connection::~Http2Connection()
{
    teardown();
}

void Http2Connection::teardown()
{
    if (m_tornDown)
        return;
    m_tornDown = true;
    const QList<Stream *> streams = m_streams.values();
    m_streams.clear();
    for (Stream *stream : streams) {
        if (stream->exchange)
            stream->exchange->streamClosed();
        delete stream;
    }
    if (m_session) {
        nghttp2_session_del(m_session);
        m_session = nullptr;
    }
}

void Http2Connection::onReadyRead()
{
    if (!m_session)
        return;
    const QByteArray data = m_socket->readAll();
    m_inCallback = true;
    const ssize_t rv = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const uint8_t *>(data.constData()), size_t(data.size()));
    m_inCallback = false;
    if (rv < 0) {
        m_socket->abort();
        return;
    }
    dispatchCompleted();
    pump();
}

void Http2Connection::dispatchCompleted()
{
    while (!m_completed.isEmpty()) {
        const int32_t id = m_completed.takeFirst();
        Stream *stream = m_streams.value(id);
        if (!stream || stream->dispatched)
            continue;
        stream->dispatched = true;
        auto *exchange = new Http2Exchange(stream->request, this, id);
        stream->exchange = exchange;
        m_handler(exchange);
    }
}

void Http2Connection::pump()
{
    if (m_inCallback || !m_session)
        return;
    for (;;) {
        // What the socket has not sent yet stays small (kWriteHighWater).
        if (unsent(m_socket) > kWriteHighWater)
            break;
        const uint8_t *data = nullptr;
        const ssize_t n = nghttp2_session_mem_send(m_session, &data);
        if (n < 0) {
            m_socket->abort();
            return;
        }
        if (n == 0)
            break;
        m_socket->write(reinterpret_cast<const char *>(data), qint64(n));
    }
    if (!nghttp2_session_want_read(m_session) && !nghttp2_session_want_write(m_session))
        m_socket->disconnectFromHost();
}

Http2Exchange::Http2Exchange(HttpRequest request, Http2Connection *connection, int32_t streamId)
    : HttpExchange(std::move(request), connection)
    , m_connection(connection)
    , m_streamId(streamId)
{}

void Http2Exchange::submit(int status, const HttpHeaders &headers)
{
    if (!m_connection || m_closed || m_submitted)
        return;
    m_submitted = true;
    QList<QByteArray> storage; // keeps name/value bytes alive for the nv array
    storage.reserve(2 + headers.size() * 2);
    std::vector<nghttp2_nv> nva;
    auto add = [&](const QByteArray &name, const QByteArray &value) {
        storage << name.toLower() << value;
        const QByteArray &n = storage[storage.size() - 2];
        const QByteArray &v = storage.last();
        nva.push_back({reinterpret_cast<uint8_t *>(const_cast<char *>(n.constData())),
                       reinterpret_cast<uint8_t *>(const_cast<char *>(v.constData())),
                       size_t(n.size()), size_t(v.size()), NGHTTP2_NV_FLAG_NONE});
    };
    add(QByteArrayLiteral(":status"), QByteArray::number(status));
    for (const auto &[name, value] : headers) {
        const QByteArray lower = name.toLower();
        if (lower == "connection" || lower == "transfer-encoding" || lower == "keep-alive")
            continue;
        add(name, value);
    }
    add(QByteArrayLiteral("date"), httpDate());
    nghttp2_data_provider provider;
    provider.source.ptr = this;
    provider.read_callback = &Http2Callbacks::readData;
    nghttp2_submit_response(m_connection->session(), m_streamId, nva.data(), nva.size(), &provider);
}

void Http2Exchange::respond(int status, const HttpHeaders &headers, const QByteArray &body)
{
    if (m_finished)
        return;
    m_finished = true;
    m_buffer = body;
    m_offset = 0;
    m_ended = true;
    HttpHeaders all = headers;
    all.append({QByteArrayLiteral("content-length"), QByteArray::number(body.size())});
    submit(status, all);
    if (m_connection)
        m_connection->pump();
}

void Http2Exchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_finished)
        return;
    submit(status, headers);
    if (m_connection)
        m_connection->pump();
}

void Http2Exchange::write(const QByteArray &chunk)
{
    if (m_finished || m_closed || !m_connection || chunk.isEmpty())
        return;
    m_buffer += chunk;
    if (m_deferred) {
        m_deferred = false;
        nghttp2_session_resume_data(m_connection->session(), m_streamId);
    }
    m_connection->pump();
}

void Http2Exchange::end()
{
    if (m_finished)
        return;
    m_finished = true;
    m_ended = true;
    if (m_closed || !m_connection)
        return;
    if (m_deferred) {
        m_deferred = false;
        nghttp2_session_resume_data(m_connection->session(), m_streamId);
    }
    m_connection->pump();
}

void Http2Exchange::abort()
{
    m_finished = true;
    if (m_closed || !m_connection)
        return;
    nghttp2_submit_rst_stream(m_connection->session(), NGHTTP2_FLAG_NONE, m_streamId,
                              NGHTTP2_INTERNAL_ERROR);
    m_connection->pump();
}

qint64 Http2Exchange::pendingBytes() const
{
    return m_buffer.size() - m_offset;
}

void Http2Exchange::streamClosed()
{
    if (m_closed)
        return;
    m_closed = true;
    m_finished = true;
    emit closed();
    deleteLater();
}

} // namespace rollscope::sim
