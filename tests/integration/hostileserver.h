// SPDX-License-Identifier: MIT
#pragma once

// An API server that misbehaves on purpose, for the tests of the client against hostile or
// failing servers: HTTPS (HTTP/1.1 only, so TCP backpressure is what limits a flood), on the
// test thread, answering each request with whatever the test's handler says: a JSON answer or
// Status (any code, e.g. 401/403/429/500, or echoing the request's Authorization header), a
// watch flooding events, an endless line without a newline, a hang, or a closed connection.

#include "common/result.h"
#include "simulator/certs.h"

#include <QDir>
#include <QFile>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

namespace rollscope::test {

class HostileServer
{
public:
    struct Request
    {
        QByteArray method;
        QByteArray target;                                // path and query as sent
        QList<std::pair<QByteArray, QByteArray>> headers; // names in lower case

        QByteArray path() const { return target.left(target.indexOf('?')); }
        QByteArray header(const QByteArray &lowerCaseName) const
        {
            for (const auto &[name, value] : headers) {
                if (name == lowerCaseName)
                    return value;
            }
            return {};
        }
        bool isWatch() const { return target.contains("watch=true"); }
    };

    struct Answer
    {
        enum class Kind
        {
            Respond,     // status + body, connection kept
            Flood,       // 200, then `body` (whole lines) again and again, as fast as it is read
            EndlessLine, // 200, then bytes without a newline, as fast as they are read
            Hang,        // never answers
            Close        // closes the connection without an answer
        };

        Kind kind = Kind::Respond;
        int status = 200;
        QByteArray body;
        QList<std::pair<QByteArray, QByteArray>> headers;

        static Answer json(int status, const QJsonObject &object,
                           QList<std::pair<QByteArray, QByteArray>> headers = {})
        {
            Answer a;
            a.status = status;
            a.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
            a.headers = std::move(headers);
            return a;
        }
        // A Status object as kube-apiserver writes it.
        static Answer failure(int code, const QString &reason, const QString &message)
        {
            return json(code, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                          {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                          {QStringLiteral("status"), QStringLiteral("Failure")},
                                          {QStringLiteral("reason"), reason},
                                          {QStringLiteral("message"), message},
                                          {QStringLiteral("code"), code}});
        }
        static Answer flood(const QByteArray &lines)
        {
            Answer a;
            a.kind = Kind::Flood;
            a.body = lines;
            return a;
        }
        static Answer endlessLine()
        {
            Answer a;
            a.kind = Kind::EndlessLine;
            return a;
        }
        static Answer hang()
        {
            Answer a;
            a.kind = Kind::Hang;
            return a;
        }
        static Answer close()
        {
            Answer a;
            a.kind = Kind::Close;
            return a;
        }
    };

    using Handler = std::function<Answer(const Request &request)>;

    explicit HostileServer(Handler handler)
        : m_handler(std::move(handler))
    {
        Result<std::unique_ptr<sim::CertificateAuthority>> ca =
            sim::CertificateAuthority::create(QStringLiteral("hostile-ca"));
        if (!ca) {
            m_error = ca.error().message;
            return;
        }
        m_ca = std::move(ca).value();
        Result<sim::IssuedCertificate> cert =
            m_ca->issueServer(QStringLiteral("hostile"), {QStringLiteral("localhost")},
                              {QStringLiteral("127.0.0.1")});
        if (!cert) {
            m_error = cert.error().message;
            return;
        }
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(cert->certificate());
        tls.setPrivateKey(cert->key());
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
        // No h2: Qt's HTTP/1.1 stops reading a reply whose read buffer is full, which is the
        // behaviour under test.
        tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        m_server = std::make_unique<QSslServer>();
        m_server->setSslConfiguration(tls);
        QObject::connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, m_server.get(),
                         [this] { acceptConnections(); });
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            m_error = m_server->errorString();
    }

    ~HostileServer()
    {
        for (const QPointer<QSslSocket> &socket : std::as_const(m_sockets)) {
            if (socket) {
                socket->disconnect();
                socket->abort();
                delete socket.data();
            }
        }
    }

    bool ok() const { return m_server && m_server->isListening() && m_error.isEmpty(); }
    QString error() const { return m_error; }
    quint16 port() const { return m_server->serverPort(); }
    QString url() const { return QStringLiteral("https://127.0.0.1:%1").arg(port()); }
    const QList<Request> &requests() const { return m_requests; }
    // Body bytes written by Flood and EndlessLine answers so far.
    qint64 streamedBytes() const { return m_streamed.load(); }

    // Refuses new connections and drops the open ones: a server that died.
    void die()
    {
        m_server->close();
        for (const QPointer<QSslSocket> &socket : std::as_const(m_sockets)) {
            if (socket)
                socket->abort();
        }
    }

    // A kubeconfig for this server with a bearer token, or basic auth when `password` is set.
    QString writeKubeconfig(const QString &token, const QString &username = {},
                            const QString &password = {})
    {
        QByteArray y = "apiVersion: v1\nkind: Config\ncurrent-context: hostile\nclusters:\n"
                       "- name: hostile\n  cluster:\n    server: " +
                       url().toUtf8() +
                       "\n    certificate-authority-data: " + m_ca->certificatePem().toBase64() +
                       "\nusers:\n- name: u\n  user:\n";
        if (!token.isEmpty())
            y += "    token: " + token.toUtf8() + "\n";
        if (!password.isEmpty())
            y += "    username: " + username.toUtf8() + "\n    password: " + password.toUtf8() +
                 "\n";
        y += "contexts:\n- name: hostile\n  context:\n    cluster: hostile\n    user: u\n"
             "    namespace: demo\n";
        const QString path = m_dir.filePath(QStringLiteral("kubeconfig"));
        QFile file(path);
        if (file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            file.write(y);
        return path;
    }

    // A Deployment as the API returns it, for lists and watch events.
    static QJsonObject deployment(const QString &name, const QString &resourceVersion)
    {
        const QJsonObject labels{{QStringLiteral("app"), name}};
        const QJsonObject container{{QStringLiteral("name"), QStringLiteral("app")},
                                    {QStringLiteral("image"), QStringLiteral("demo:v1")}};
        return QJsonObject{
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("kind"), QStringLiteral("Deployment")},
            {QStringLiteral("metadata"),
             QJsonObject{
                 {QStringLiteral("name"), name},
                 {QStringLiteral("namespace"), QStringLiteral("demo")},
                 {QStringLiteral("uid"), QStringLiteral("uid-") + name},
                 {QStringLiteral("generation"), 1},
                 {QStringLiteral("resourceVersion"), resourceVersion},
                 {QStringLiteral("creationTimestamp"), QStringLiteral("2026-01-01T00:00:00Z")}}},
            {QStringLiteral("spec"),
             QJsonObject{
                 {QStringLiteral("replicas"), 1},
                 {QStringLiteral("selector"), QJsonObject{{QStringLiteral("matchLabels"), labels}}},
                 {QStringLiteral("template"),
                  QJsonObject{
                      {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("labels"), labels}}},
                      {QStringLiteral("spec"),
                       QJsonObject{{QStringLiteral("containers"), QJsonArray{container}}}}}}}},
            {QStringLiteral("status"), QJsonObject{{QStringLiteral("observedGeneration"), 1}}}};
    }

    // A list of `kind` with `items` at resourceVersion "10".
    static Answer list(const QString &kind, const QJsonArray &items = {})
    {
        return Answer::json(
            200,
            QJsonObject{{QStringLiteral("kind"), kind + QStringLiteral("List")},
                        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                        {QStringLiteral("metadata"),
                         QJsonObject{{QStringLiteral("resourceVersion"), QStringLiteral("10")}}},
                        {QStringLiteral("items"), items}});
    }

private:
    struct Connection
    {
        QByteArray in;
        Answer::Kind streaming = Answer::Kind::Respond; // Flood / EndlessLine while streaming
        QByteArray streamBody;
    };

    void acceptConnections()
    {
        while (QTcpSocket *next = m_server->nextPendingConnection()) {
            auto *socket = qobject_cast<QSslSocket *>(next);
            if (!socket) {
                delete next;
                continue;
            }
            m_sockets.append(socket);
            auto connection = std::make_shared<Connection>();
            QObject::connect(socket, &QIODevice::readyRead, socket,
                             [this, socket, connection] { onReadyRead(socket, *connection); });
            const auto refill = [this, socket, connection] { feed(socket, *connection); };
            QObject::connect(socket, &QIODevice::bytesWritten, socket, refill);
            QObject::connect(socket, &QSslSocket::encryptedBytesWritten, socket, refill);
            QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        }
    }

    void onReadyRead(QSslSocket *socket, Connection &c)
    {
        c.in += socket->readAll();
        for (;;) {
            const qsizetype end = c.in.indexOf("\r\n\r\n");
            if (end < 0 || c.streaming != Answer::Kind::Respond)
                return;
            const QList<QByteArray> lines = c.in.left(end).split('\n');
            qsizetype consumed = end + 4;
            Request request;
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.target = first.value(1);
            qsizetype contentLength = 0;
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const qsizetype colon = lines[i].indexOf(':');
                if (colon <= 0)
                    continue;
                const QByteArray name = lines[i].left(colon).trimmed().toLower();
                const QByteArray value = lines[i].mid(colon + 1).trimmed();
                request.headers.append({name, value});
                if (name == "content-length")
                    contentLength = value.toLongLong();
            }
            if (c.in.size() < consumed + contentLength)
                return; // the body is still coming
            c.in.remove(0, consumed + contentLength);
            m_requests.append(request);
            answer(socket, c, m_handler(request));
        }
    }

    void answer(QSslSocket *socket, Connection &c, const Answer &a)
    {
        switch (a.kind) {
        case Answer::Kind::Hang:
            return;
        case Answer::Kind::Close:
            socket->abort();
            return;
        case Answer::Kind::Respond: {
            QByteArray out = "HTTP/1.1 " + QByteArray::number(a.status) + " Whatever\r\n" +
                             "Content-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(a.body.size()) + "\r\n";
            for (const auto &[name, value] : a.headers)
                out += name + ": " + value + "\r\n";
            socket->write(out + "\r\n" + a.body);
            return;
        }
        case Answer::Kind::Flood:
        case Answer::Kind::EndlessLine:
            c.streaming = a.kind;
            c.streamBody = a.kind == Answer::Kind::Flood ? a.body : QByteArray(16 * 1024, 'x');
            // Whole lines up to ~64 KiB per chunk.
            while (c.streamBody.size() < 64 * 1024)
                c.streamBody += c.streamBody;
            socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n");
            feed(socket, c);
            return;
        }
    }

    // Keeps a little queued and no more: how fast this goes is up to the client's reading.
    void feed(QSslSocket *socket, Connection &c)
    {
        if (c.streaming == Answer::Kind::Respond ||
            socket->state() != QAbstractSocket::ConnectedState)
            return;
        while (socket->bytesToWrite() + socket->encryptedBytesToWrite() < 256 * 1024) {
            socket->write(QByteArray::number(c.streamBody.size(), 16) + "\r\n" + c.streamBody +
                          "\r\n");
            m_streamed.fetch_add(c.streamBody.size());
        }
    }

    Handler m_handler;
    QTemporaryDir m_dir;
    std::unique_ptr<sim::CertificateAuthority> m_ca;
    std::unique_ptr<QSslServer> m_server;
    QList<QPointer<QSslSocket>> m_sockets;
    QList<Request> m_requests;
    std::atomic<qint64> m_streamed{0};
    QString m_error;
};

// A HostileServer on a thread of its own, so it floods at full speed however busy the test
// thread (where the client runs) is. The handler runs on that thread.
class ThreadedHostileServer
{
public:
    explicit ThreadedHostileServer(HostileServer::Handler handler)
    {
        m_thread.start();
        m_context.moveToThread(&m_thread);
        QMetaObject::invokeMethod(
            &m_context, [this, &handler] { m_server = std::make_unique<HostileServer>(handler); },
            Qt::BlockingQueuedConnection);
    }
    ~ThreadedHostileServer()
    {
        QMetaObject::invokeMethod(
            &m_context, [this] { m_server.reset(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
    }

    // Immutable after construction, so safe to read from the test thread, except streamedBytes()
    // (atomic).
    HostileServer *server() const { return m_server.get(); }

private:
    QThread m_thread;
    QObject m_context;
    std::unique_ptr<HostileServer> m_server;
};

} // namespace rollscope::test
