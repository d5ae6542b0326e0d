// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPair>
#include <QPointer>
#include <QSslCertificate>
#include <QSslConfiguration>

#include <functional>

class QSslServer;
class QSslSocket;
class QTcpServer;

namespace rollscope::sim {

using HttpHeaders = QList<QPair<QByteArray, QByteArray>>;

// The largest request body the server buffers: kube-apiserver's MaxRequestBodyBytes (3 MiB).
// A larger body is not read into memory; its request reaches the handler with `bodyTooLarge`
// set and an empty body, so the handler can answer 413 as the API server does.
inline constexpr qint64 kMaxRequestBodyBytes = 3 * 1024 * 1024;

struct HttpRequest
{
    QByteArray method;   // "GET"
    QByteArray target;   // "/apis/apps/v1/deployments?watch=true"
    HttpHeaders headers; // names lower-cased
    QByteArray body;
    QSslCertificate peerCertificate;
    QHostAddress peerAddress;
    bool http2 = false;
    bool bodyTooLarge = false; // the body exceeded kMaxRequestBodyBytes and was dropped

    QByteArray header(const QByteArray &lowerCaseName) const;
    QByteArray path() const;
    QByteArray query() const;
};

// One request and its answer. The handler answers once with respond(), or streams with
// beginStream()/write()/end() (watches, follow logs). The object belongs to its connection;
// hold it in a QPointer: it is deleted when the client goes away (closed() first).
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    const HttpRequest &request() const { return m_request; }

    virtual void respond(int status, const HttpHeaders &headers, const QByteArray &body) = 0;
    virtual void beginStream(int status, const HttpHeaders &headers) = 0;
    virtual void write(const QByteArray &chunk) = 0;
    virtual void end() = 0;
    // Drops the connection without an answer (fault injection; the client sees a reset).
    virtual void abort() = 0;
    // Bytes accepted by write() and not yet sent; a slow reader shows here.
    virtual qint64 pendingBytes() const = 0;
    // Answers 101 Switching Protocols with `headers` and hands the connection over: the caller
    // reads and writes the returned socket from then on (`*early` gets bytes the client sent
    // after the request). The socket deletes itself when it disconnects. HTTP/1.1 only: null
    // on HTTP/2 (which has no Upgrade) and once the exchange has answered.
    virtual QSslSocket *upgrade(const HttpHeaders &headers, QByteArray *early)
    {
        Q_UNUSED(headers);
        Q_UNUSED(early);
        return nullptr;
    }

    bool isFinished() const { return m_finished; }

signals:
    void closed();

protected:
    explicit HttpExchange(HttpRequest request, QObject *parent)
        : QObject(parent)
        , m_request(std::move(request))
    {}
    HttpRequest m_request;
    bool m_finished = false;
};

// HTTPS server speaking HTTP/2 (ALPN "h2", via nghttp2) and HTTP/1.1 (Boost.Beast's parser),
// on the Qt event loop of the thread it lives on. Client certificates are requested but not
// required; the handler checks them.
class HttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(HttpExchange *exchange)>;

    HttpServer(const QSslConfiguration &tls, Handler handler, QObject *parent = nullptr);
    ~HttpServer() override;

    bool listen(const QHostAddress &address, quint16 port);
    quint16 serverPort() const;
    QString errorString() const;
    // Closes the listening socket and every connection.
    void close();
    // Drops every open connection abruptly (fault injection: a network cut).
    void dropConnections();

private:
    void onPendingConnection();

    Handler m_handler;
    QSslServer *m_server = nullptr;
};

} // namespace rollscope::sim
