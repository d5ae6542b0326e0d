// SPDX-License-Identifier: MIT
#include "httpserver.h"

#include "httpconnections.h"

#include <QSslServer>
#include <QSslSocket>

namespace rollscope::sim {

QByteArray HttpRequest::header(const QByteArray &lowerCaseName) const
{
    for (const auto &[name, value] : headers) {
        if (name == lowerCaseName)
            return value;
    }
    return {};
}

QByteArray HttpRequest::path() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? target : target.left(q);
}

QByteArray HttpRequest::query() const
{
    const qsizetype q = target.indexOf('?');
    return q < 0 ? QByteArray() : target.mid(q + 1);
}

HttpServer::HttpServer(const QSslConfiguration &tls, Handler handler, QObject *parent)
    : QObject(parent)
    , m_handler(std::move(handler))
    , m_server(new QSslServer(this))
{
    QSslConfiguration config = tls;
    config.setAllowedNextProtocols({QByteArrayLiteral("h2"), QByteArrayLiteral("http/1.1")});
    config.setPeerVerifyMode(QSslSocket::QueryPeer);
    config.setProtocol(QSsl::TlsV1_2OrLater);
    m_server->setSslConfiguration(config);
    m_server->setHandshakeTimeout(10'000);
    connect(m_server, &QTcpServer::pendingConnectionAvailable, this,
            &HttpServer::onPendingConnection);
}

HttpServer::~HttpServer() = default;

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

quint16 HttpServer::serverPort() const
{
    return m_server->serverPort();
}

QString HttpServer::errorString() const
{
    return m_server->errorString();
}

void HttpServer::close()
{
    m_server->close();
    dropConnections();
}

void HttpServer::dropConnections()
{
    const QList<QSslSocket *> sockets = findChildren<QSslSocket *>();
    for (QSslSocket *socket : sockets)
        socket->abort();
}

void HttpServer::onPendingConnection()
{
    while (QTcpSocket *tcp = m_server->nextPendingConnection()) {
        auto *socket = qobject_cast<QSslSocket *>(tcp);
        if (!socket) {
            tcp->deleteLater();
            continue;
        }
        socket->setParent(this);
        const bool h2 = socket->sslConfiguration().nextNegotiatedProtocol() == "h2";
        if (h2)
            new Http2Connection(socket, m_handler);
        else
            new Http1Connection(socket, m_handler);
    }
}

} // namespace rollscope::sim
