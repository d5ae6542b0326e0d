// SPDX-License-Identifier: MIT
// The kubelet's streaming endpoints of rollscope-sim (simulator/podstreams.h) over real TLS
// sockets, driven with this test's own client side: the HTTP/1.1 upgrade, SPDY/3.1 frames
// (plain, and tunnelled in masked WebSocket binary frames) and WebSocket exec channels, read
// back with a frame parser of its own.
#include "simulator/certs.h"
#include "simulator/httpserver.h"
#include "simulator/podstreams.h"
#include "simulator/spdy.h"
#include "testmain.h"

#include <QCryptographicHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslSocket>
#include <QTimer>
#include <QtEndian>

#include <algorithm>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

// The pods' network: one demo app that answers "<pod> v1" to every request.
class FakeNetwork final : public PodNetwork
{
public:
    bool accepts = true;
    bool resetNext = false;
    QList<QByteArray> targets;

    bool podAccepts(const QString &, const QString &) const override { return accepts; }
    void podAnswer(const QString &, const QString &pod, const QByteArray &method,
                   const QByteArray &target, std::function<void(PodAppReply)> done) override
    {
        targets << method + ' ' + target;
        const bool reset = std::exchange(resetNext, false);
        QTimer::singleShot(1, [pod, done, reset] {
            done(PodAppReply{200, pod.toUtf8() + " v1\n", reset});
        });
    }
};

QJsonObject demoPod(bool running = true)
{
    return QJsonDocument::fromJson(
               QByteArray(R"({"metadata":{"name":"demo-pod","namespace":"default","uid":"u-1"},
                 "spec":{"nodeName":"node-1","containers":[{"name":"demo",
                   "ports":[{"containerPort":8080}]}]},
                 "status":{"containerStatuses":[{"name":"demo","state":{")") +
               (running ? "running" : "waiting") + R"(":{}}}]}})")
        .object();
}

QByteArray be32(quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    return QByteArray(b, 4);
}

struct Frame
{
    bool control = false;
    quint16 type = 0; // control frames
    quint8 flags = 0;
    quint32 stream = 0; // data frames, and the id field of SYN_REPLY/RST_STREAM
    QByteArray payload;
};

// A client: TLS socket, the upgrade, then frames in either direction.
class Client
{
public:
    QSslSocket socket;
    QByteArray input;
    bool tunnelled = false;
    SpdySession::HeaderEncoder encoder;
    SpdySession::HeaderDecoder decoder;

    Client(quint16 port, const QByteArray &caPem)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates({QSslCertificate(caPem, QSsl::Pem)});
        tls.setAllowedNextProtocols({QByteArrayLiteral("http/1.1")});
        socket.setSslConfiguration(tls);
        QObject::connect(&socket, &QIODevice::readyRead, [this] { input += socket.readAll(); });
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    }

    bool connected()
    {
        return QTest::qWaitFor([this] { return socket.isEncrypted(); }, 10'000);
    }
    bool disconnected()
    {
        return QTest::qWaitFor(
            [this] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10'000);
    }

    // Sends a request and returns the response head (status line and headers).
    QByteArray request(const QByteArray &head)
    {
        socket.write(head + "\r\n");
        if (!QTest::qWaitFor([this] { return input.contains("\r\n\r\n"); }, 10'000))
            return {};
        const qsizetype end = input.indexOf("\r\n\r\n") + 4;
        const QByteArray response = input.left(end);
        input.remove(0, end);
        return response;
    }

    // Client bytes: raw, or in one masked WebSocket binary frame.
    void send(const QByteArray &bytes, quint8 opcode = 0x2)
    {
        if (!tunnelled && opcode == 0x2) {
            socket.write(bytes);
            return;
        }
        socket.write(maskedFrame(opcode, bytes));
    }

    static QByteArray maskedFrame(quint8 opcode, const QByteArray &payload, bool fin = true)
    {
        QByteArray out;
        out += char((fin ? 0x80 : 0) | opcode);
        if (payload.size() < 126) {
            out += char(0x80 | payload.size());
        } else {
            out += char(0x80 | 126);
            char b[2];
            qToBigEndian(quint16(payload.size()), b);
            out.append(b, 2);
        }
        const char mask[4] = {'\x12', '\x34', '\x56', '\x78'};
        out.append(mask, 4);
        for (qsizetype i = 0; i < payload.size(); ++i)
            out += char(payload[i] ^ mask[i % 4]);
        return out;
    }

    void synStream(quint32 id, const SpdyHeaders &headers, bool fin = false)
    {
        send(SpdySession::controlFrame(
            1, fin ? 1 : 0, be32(id) + be32(0) + QByteArray(2, '\0') + encoder.encode(headers)));
    }
    void data(quint32 id, const QByteArray &bytes, bool fin = false)
    {
        send(SpdySession::dataFrame(id, fin ? 1 : 0, bytes));
    }
    void openForward(quint32 errorId, quint32 dataId, const QByteArray &port,
                     const QByteArray &requestId)
    {
        synStream(errorId, {{"streamtype", "error"}, {"port", port}, {"requestid", requestId}},
                  true);
        synStream(dataId, {{"streamtype", "data"}, {"port", port}, {"requestid", requestId}});
    }

    // The server's bytes as a stream: raw, or the payloads of its WebSocket binary messages.
    QByteArray streamBytes;
    QList<QPair<quint8, QByteArray>> wsMessages; // every server WebSocket message

    void drainWebSocket()
    {
        for (;;) {
            if (input.size() < 2)
                return;
            const auto *p = reinterpret_cast<const uchar *>(input.constData());
            QVERIFY2(!(p[1] & 0x80), "server frames are unmasked");
            qsizetype header = 2;
            quint64 length = p[1] & 0x7f;
            if (length == 126) {
                if (input.size() < 4)
                    return;
                length = qFromBigEndian<quint16>(p + 2);
                header = 4;
            } else if (length == 127) {
                if (input.size() < 10)
                    return;
                length = qFromBigEndian<quint64>(p + 2);
                header = 10;
            }
            if (input.size() < header + qsizetype(length))
                return;
            const quint8 opcode = p[0] & 0x0f;
            const QByteArray payload = input.mid(header, qsizetype(length));
            input.remove(0, header + qsizetype(length));
            wsMessages.append({opcode, payload});
            if (opcode == 0x2 && tunnelled)
                streamBytes += payload;
        }
    }

    // Waits for the next SPDY frame from the server.
    // The stream of the next frame; 0 (no stream has it) when none came in time.
    quint32 nextFrameStream()
    {
        const std::optional<Frame> frame = nextFrame();
        return frame ? frame->stream : 0;
    }

    std::optional<Frame> nextFrame()
    {
        std::optional<Frame> frame;
        (void)QTest::qWaitFor(
            [&] {
                if (tunnelled) {
                    drainWebSocket();
                } else {
                    streamBytes += input;
                    input.clear();
                }
                if (streamBytes.size() < 8)
                    return false;
                const quint32 w1 = qFromBigEndian<quint32>(streamBytes.constData());
                const quint32 w2 = qFromBigEndian<quint32>(streamBytes.constData() + 4);
                const qsizetype length = qsizetype(w2 & 0xffffff);
                if (streamBytes.size() < 8 + length)
                    return false;
                Frame f;
                f.control = w1 & 0x80000000u;
                f.flags = quint8(w2 >> 24);
                f.payload = streamBytes.mid(8, length);
                if (f.control) {
                    f.type = quint16(w1 & 0xffff);
                    if (f.payload.size() >= 4)
                        f.stream = qFromBigEndian<quint32>(f.payload.constData()) & 0x7fffffff;
                } else {
                    f.stream = w1 & 0x7fffffff;
                }
                streamBytes.remove(0, 8 + length);
                frame = f;
                return true;
            },
            10'000);
        return frame;
    }

    // Reads frames until stream `id` has ended (FIN), collecting its data; other streams'
    // frames go to `others`.
    QByteArray readStream(quint32 id, QList<Frame> *others = nullptr)
    {
        QByteArray data;
        while (auto f = nextFrame()) {
            if (!f->control && f->stream == id) {
                data += f->payload;
                if (f->flags & 1)
                    return data;
            } else if (others) {
                others->append(*f);
            }
        }
        return data + "<no FIN>";
    }
};

QByteArray spdyUpgrade(const QByteArray &path, const QByteArray &protocol = "portforward.k8s.io")
{
    return "POST " + path +
           " HTTP/1.1\r\nHost: sim\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
           "X-Stream-Protocol-Version: " +
           protocol + "\r\n";
}

QByteArray webSocketUpgrade(const QByteArray &path, const QByteArray &protocols)
{
    return "GET " + path +
           " HTTP/1.1\r\nHost: sim\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
           "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
           "Sec-WebSocket-Protocol: " +
           protocols + "\r\n";
}

} // namespace

class TestSimPortForward : public QObject
{
    Q_OBJECT

    std::unique_ptr<CertificateAuthority> m_ca;
    std::unique_ptr<HttpServer> m_server;
    FakeNetwork m_network;
    std::unique_ptr<PodStreams> m_streams;
    bool m_podRunning = true;

    std::unique_ptr<Client> client()
    {
        auto c = std::make_unique<Client>(m_server->serverPort(), m_ca->certificatePem());
        return c->connected() ? std::move(c) : nullptr;
    }

    // One forwarded connection's request and answer, checked.
    void expectAnswer(Client &c, quint32 dataId, const QByteArray &request)
    {
        c.data(dataId, request);
        QByteArray got;
        QVERIFY(QTest::qWaitFor(
            [&] {
                while (!got.contains("demo-pod v1\n")) {
                    auto f = c.nextFrame();
                    if (!f)
                        return false;
                    if (!f->control && f->stream == dataId)
                        got += f->payload;
                }
                return true;
            },
            10'000));
        QVERIFY2(got.startsWith("HTTP/1.1 200 OK\r\n"), got.constData());
        QVERIFY(got.contains("\r\nContent-Length: 12\r\n"));
        QVERIFY(got.endsWith("\r\n\r\ndemo-pod v1\n"));
    }

private slots:
    void initTestCase()
    {
        auto ca = CertificateAuthority::create(QStringLiteral("test-ca"));
        QVERIFY(ca);
        m_ca = std::move(ca.value());
        const auto serving = m_ca->issueServer(
            QStringLiteral("server"), {QStringLiteral("localhost")}, {QStringLiteral("127.0.0.1")});
        QVERIFY(serving);
        m_streams = std::make_unique<PodStreams>(&m_network);
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setLocalCertificate(serving->certificate());
        tls.setPrivateKey(serving->key());
        m_server = std::make_unique<HttpServer>(tls, [this](HttpExchange *exchange) {
            const QByteArray path = exchange->request().path();
            const QString sub =
                path.endsWith("/exec") ? QStringLiteral("exec") : QStringLiteral("portforward");
            const auto refusal = m_streams->serve(
                exchange, sub, QUrlQuery(QString::fromUtf8(exchange->request().query())),
                demoPod(m_podRunning));
            if (refusal)
                exchange->respond(
                    refusal->status,
                    {{"Content-Type", "text/plain"}, {"X-Reason", refusal->reason.toUtf8()}},
                    refusal->message.toUtf8());
        });
        QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
    }

    void init()
    {
        m_network.accepts = true;
        m_network.targets.clear();
        m_podRunning = true;
    }

    void portForwardOverSpdy()
    {
        auto c = client();
        QVERIFY(c);
        const QByteArray head = c->request(spdyUpgrade("/pods/demo-pod/portforward"));
        QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
        QVERIFY(head.contains("\r\nUpgrade: SPDY/3.1\r\n"));
        QVERIFY(head.contains("\r\nX-Stream-Protocol-Version: portforward.k8s.io\r\n"));

        c->openForward(1, 3, "8080", "0");
        for (quint32 id : {1u, 3u}) {
            auto f = c->nextFrame();
            QVERIFY(f);
            QCOMPARE(f->type, quint16(2)); // SYN_REPLY
            QCOMPARE(f->stream, id);
            SpdyHeaders headers;
            QVERIFY(c->decoder.decode(f->payload.mid(4), &headers));
            QVERIFY(headers.isEmpty());
        }
        // Keep-alive: two requests on the one forwarded connection.
        expectAnswer(*c, 3, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
        expectAnswer(*c, 3, "GET /second HTTP/1.1\r\nHost: localhost\r\n\r\n");
        QCOMPARE(m_network.targets, (QList<QByteArray>{"GET /", "GET /second"}));

        // A PING comes back as it went.
        c->send(SpdySession::controlFrame(6, 0, be32(7)));
        auto ping = c->nextFrame();
        QVERIFY(ping);
        QCOMPARE(ping->type, quint16(6));
        QCOMPARE(ping->payload, be32(7));

        // The client closes its side: the app closes too; the error stream ends empty.
        c->data(3, {}, true);
        QList<Frame> others;
        QCOMPARE(c->readStream(1, &others), QByteArray());
        bool dataFin = false;
        for (const Frame &f : others)
            dataFin = dataFin || (!f.control && f.stream == 3 && (f.flags & 1));
        if (!dataFin)
            QCOMPARE(c->readStream(3), QByteArray());

        // A second forwarded connection on the same session.
        c->openForward(5, 7, "8080", "1");
        QCOMPARE(c->nextFrameStream(), 5u);
        QCOMPARE(c->nextFrameStream(), 7u);
        expectAnswer(*c, 7, "GET /again HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        QCOMPARE(c->readStream(7), QByteArray()); // the app closes after `Connection: close`
    }

    void refusedPortAnswersOnTheErrorStream()
    {
        auto c = client();
        QVERIFY(c);
        QVERIFY(c->request(spdyUpgrade("/pods/demo-pod/portforward")).startsWith("HTTP/1.1 101"));
        c->openForward(1, 3, "9999", "0");
        QList<Frame> others;
        const QByteArray error = c->readStream(1, &others);
        const QString sandbox = QString::fromLatin1(
            QCryptographicHash::hash("sandbox:u-1", QCryptographicHash::Sha256).toHex());
        QVERIFY2(error.startsWith("error forwarding port 9999 to pod " + sandbox.toLatin1() +
                                  ", uid : failed to execute portforward in network namespace "
                                  "\"/var/run/netns/cni-"),
                 error.constData());
        QVERIFY(error.contains("failed to connect to localhost:9999 inside namespace \"" +
                               sandbox.toLatin1() +
                               "\", IPv4: dial tcp4 127.0.0.1:9999: connect: connection refused"));
        QVERIFY(m_network.targets.isEmpty());

        // The app's port, while the app does not listen: refused the same way.
        m_network.accepts = false;
        c->openForward(5, 7, "8080", "1");
        QVERIFY(c->readStream(5).contains("dial tcp4 127.0.0.1:8080: connect: connection refused"));
    }

    void portForwardTunnelledInWebSocket()
    {
        auto c = client();
        QVERIFY(c);
        const QByteArray head = c->request(
            webSocketUpgrade("/pods/demo-pod/portforward", "SPDY/3.1+portforward.k8s.io"));
        QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
        // RFC 6455's example key and its accept value.
        QVERIFY(head.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        QVERIFY(head.contains("\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n"));
        c->tunnelled = true;
        c->openForward(1, 3, "8080", "0");
        QCOMPARE(c->nextFrameStream(), 1u);
        QCOMPARE(c->nextFrameStream(), 3u);
        // The request split over two WebSocket frames of one message, and over two DATA frames.
        const QByteArray first = SpdySession::dataFrame(3, 0, "GET /tunnel HTTP/1.1\r\n");
        c->socket.write(Client::maskedFrame(0x2, first.left(5), false) +
                        Client::maskedFrame(0x0, first.mid(5), true));
        expectAnswer(*c, 3, "Host: localhost\r\n\r\n");
        QCOMPARE(m_network.targets, (QList<QByteArray>{"GET /tunnel"}));

        // A WebSocket ping gets its pong; a close gets a close.
        c->socket.write(Client::maskedFrame(0x9, "hi"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                c->drainWebSocket();
                return !c->wsMessages.isEmpty() && c->wsMessages.last().first == 0xA;
            },
            10'000));
        QCOMPARE(c->wsMessages.last().second, QByteArray("hi"));
        c->socket.write(Client::maskedFrame(0x8, QByteArray("\x03\xe8", 2)));
        QVERIFY(QTest::qWaitFor(
            [&] {
                c->drainWebSocket();
                return !c->wsMessages.isEmpty() && c->wsMessages.last().first == 0x8;
            },
            10'000));
        QVERIFY(c->disconnected());
    }

    void execOverWebSocketFailsAsDistroless_data()
    {
        QTest::addColumn<QByteArray>("protocols");
        QTest::addColumn<QByteArray>("chosen");
        QTest::addColumn<QByteArray>("command");
        QTest::addColumn<QByteArray>("why");
        QTest::newRow("kubectl v5")
            << QByteArray("v5.channel.k8s.io, v4.channel.k8s.io") << QByteArray("v5.channel.k8s.io")
            << QByteArray("ls") << QByteArray("exec: \"ls\": executable file not found in $PATH");
        QTest::newRow("python v4, a path")
            << QByteArray("v4.channel.k8s.io") << QByteArray("v4.channel.k8s.io")
            << QByteArray("%2Fbin%2Fsh")
            << QByteArray("exec: \"/bin/sh\": stat /bin/sh: no such file or directory");
    }

    void execOverWebSocketFailsAsDistroless()
    {
        QFETCH(QByteArray, protocols);
        QFETCH(QByteArray, chosen);
        QFETCH(QByteArray, command);
        QFETCH(QByteArray, why);
        auto c = client();
        QVERIFY(c);
        const QByteArray head = c->request(webSocketUpgrade(
            "/pods/demo-pod/exec?command=" + command + "&command=-c&stdout=True&stderr=true",
            protocols));
        QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
        QVERIFY(head.contains("\r\nSec-WebSocket-Protocol: " + chosen + "\r\n"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                c->drainWebSocket();
                return c->wsMessages.size() >= 2;
            },
            10'000));
        QCOMPARE(c->wsMessages.at(0).first, quint8(0x2));
        const QByteArray message = c->wsMessages.at(0).second;
        QCOMPARE(message.at(0), '\x03'); // the error channel
        const QJsonObject status = QJsonDocument::fromJson(message.mid(1)).object();
        QCOMPARE(status.value(u"status").toString(), QStringLiteral("Failure"));
        QCOMPARE(status.value(u"reason").toString(), QStringLiteral("InternalError"));
        QCOMPARE(status.value(u"code").toInt(), 500);
        const QString text = status.value(u"message").toString();
        const QRegularExpression expected(
            QStringLiteral("^Internal error occurred: error executing command in container: "
                           "failed to exec in container: failed to start exec \"[0-9a-f]{64}\": "
                           "OCI runtime exec failed: exec failed: unable to start container "
                           "process: %1: unknown$")
                .arg(QRegularExpression::escape(QString::fromUtf8(why))));
        QVERIFY2(expected.match(text).hasMatch(), qPrintable(text));
        // Then a normal close; the client's close ends the connection.
        QCOMPARE(c->wsMessages.at(1).first, quint8(0x8));
        QCOMPARE(c->wsMessages.at(1).second.left(2), QByteArray("\x03\xe8", 2));
        c->socket.write(Client::maskedFrame(0x8, QByteArray("\x03\xe8", 2)));
        QVERIFY(c->disconnected());
    }

    void execOverSpdy()
    {
        auto c = client();
        QVERIFY(c);
        QVERIFY(c->request(spdyUpgrade("/pods/demo-pod/exec?command=ls&stdout=true&stderr=true",
                                       "v4.channel.k8s.io"))
                    .startsWith("HTTP/1.1 101"));
        c->synStream(1, {{"streamtype", "error"}}, true);
        c->synStream(3, {{"streamtype", "stdout"}}, true);
        c->synStream(5, {{"streamtype", "stderr"}}, true);
        // The Status on the error stream; stdout and stderr end too (in any order).
        QByteArray status;
        QList<quint32> ended;
        while (ended.size() < 3) {
            auto f = c->nextFrame();
            QVERIFY(f);
            if (f->control)
                continue;
            if (f->stream == 1)
                status += f->payload;
            if (f->flags & 1)
                ended << f->stream;
        }
        std::sort(ended.begin(), ended.end());
        QCOMPARE(ended, (QList<quint32>{1, 3, 5}));
        QVERIFY2(status.contains("executable file not found in $PATH"), status.constData());
        // The connection stays for the client to close.
        QCOMPARE(c->socket.state(), QAbstractSocket::ConnectedState);
        c->socket.disconnectFromHost();
        QVERIFY(c->disconnected());
    }

    void refusals()
    {
        auto c = client();
        QVERIFY(c);
        // No upgrade: the kubelet wants one.
        QByteArray head = c->request("POST /pods/demo-pod/exec?command=ls&stdout=true HTTP/1.1\r\n"
                                     "Host: sim\r\nContent-Length: 0\r\n");
        QVERIFY2(head.startsWith("HTTP/1.1 400 "), head.constData());
        QVERIFY(QTest::qWaitFor([&] { return c->input.contains("Upgrade request required"); }));
        c->input.clear();
        // A container that is not running.
        m_podRunning = false;
        head = c->request(
            webSocketUpgrade("/pods/demo-pod/exec?command=ls&stdout=true", "v5.channel.k8s.io"));
        QVERIFY2(head.startsWith("HTTP/1.1 500 "), head.constData());
        QVERIFY(head.contains("X-Reason: InternalError"));
        QVERIFY(
            QTest::qWaitFor([&] { return c->input.contains("container not found (\"demo\")"); }));
        c->input.clear();
        m_podRunning = true;
        // A WebSocket port-forward without the SPDY tunnel subprotocol.
        head = c->request(webSocketUpgrade("/pods/demo-pod/portforward", "portforward.k8s.io"));
        QVERIFY2(head.startsWith("HTTP/1.1 400 "), head.constData());
    }

    void hostileInputClosesTheConnection_data()
    {
        QTest::addColumn<bool>("tunnelled");
        QTest::addColumn<QByteArray>("bytes");
        // A DATA frame longer than the 1 MiB limit (only its header is sent).
        QTest::newRow("huge data frame") << false << (be32(3) + be32(0x00ffffff));
        // A SYN_STREAM whose header block is not zlib.
        QTest::newRow("bad header block")
            << false
            << SpdySession::controlFrame(1, 0, be32(1) + be32(0) + QByteArray(2, '\0') + "junk!");
        QTest::newRow("even stream id")
            << false << SpdySession::controlFrame(1, 0, be32(2) + be32(0) + QByteArray(2, '\0'));
        // A header block of a few hundred bytes that inflates past the 64 KiB limit.
        SpdySession::HeaderEncoder bomb;
        QTest::newRow("header block bomb")
            << false
            << SpdySession::controlFrame(
                   1, 0,
                   be32(1) + be32(0) + QByteArray(2, '\0') +
                       bomb.encode({{"streamtype", QByteArray(256 * 1024, 'a')}}));
        QTest::newRow("SPDY/2") << false << QByteArray("\x80\x02\x00\x06\x00\x00\x00\x04xxxx", 12);
        // An unmasked WebSocket frame.
        QTest::newRow("unmasked") << true << QByteArray("\x82\x02hi", 4);
        QTest::newRow("text message") << true << Client::maskedFrame(0x1, "hello");
        QTest::newRow("huge message")
            << true << QByteArray("\x82\xff\x00\x00\x00\x00\x10\x00\x00\x00", 10);
    }

    void hostileInputClosesTheConnection()
    {
        QFETCH(bool, tunnelled);
        QFETCH(QByteArray, bytes);
        auto c = client();
        QVERIFY(c);
        const QByteArray head = tunnelled
                                    ? c->request(webSocketUpgrade("/pods/demo-pod/portforward",
                                                                  "SPDY/3.1+portforward.k8s.io"))
                                    : c->request(spdyUpgrade("/pods/demo-pod/portforward"));
        QVERIFY(head.startsWith("HTTP/1.1 101"));
        c->socket.write(bytes);
        QVERIFY(c->disconnected());
    }

    void forwardInputIsBounded()
    {
        auto c = client();
        QVERIFY(c);
        QVERIFY(c->request(spdyUpgrade("/pods/demo-pod/portforward")).startsWith("HTTP/1.1 101"));
        c->openForward(1, 3, "8080", "0");
        QCOMPARE(c->nextFrameStream(), 1u);
        QCOMPARE(c->nextFrameStream(), 3u);
        // A request whose body the app would have to hold: past 256 KiB the forward is cut,
        // though the request reader has taken every byte so far.
        c->data(3, "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\n\r\n");
        for (int i = 0; i < 5; ++i)
            c->data(3, QByteArray(64 * 1024, 'x'));
        QList<quint32> reset;
        while (reset.size() < 2) {
            auto f = c->nextFrame();
            QVERIFY(f);
            if (f->control && f->type == 3)
                reset << f->stream;
        }
        std::sort(reset.begin(), reset.end());
        QCOMPARE(reset, (QList<quint32>{1, 3}));
        QVERIFY(m_network.targets.isEmpty());
    }

    void execWithTerminalOverWebSocket()
    {
        auto c = client();
        QVERIFY(c);
        const QByteArray head = c->request(webSocketUpgrade(
            "/pods/demo-pod/exec?command=sh&stdin=true&stdout=true&tty=true", "v5.channel.k8s.io"));
        QVERIFY2(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), head.constData());
        // The terminal's size, as kubectl sends it first; the failure follows it.
        c->socket.write(Client::maskedFrame(0x2, "\x04{\"Width\":80,\"Height\":24}"));
        QVERIFY(QTest::qWaitFor(
            [&] {
                c->drainWebSocket();
                return c->wsMessages.size() >= 2;
            },
            10'000));
        QCOMPARE(c->wsMessages.at(0).first, quint8(0x2));
        QVERIFY(c->wsMessages.at(0).second.startsWith('\x03'));
        QVERIFY(c->wsMessages.at(0).second.contains("exec: \\\"sh\\\": executable file not found"));
        QCOMPARE(c->wsMessages.at(1).first, quint8(0x8));
        c->socket.write(Client::maskedFrame(0x8, QByteArray("\x03\xe8", 2)));
        QVERIFY(c->disconnected());
    }

    void streamLimits()
    {
        auto c = client();
        QVERIFY(c);
        QVERIFY(c->request(spdyUpgrade("/pods/demo-pod/portforward")).startsWith("HTTP/1.1 101"));
        // 128 forwarded connections waiting for their data stream; the next one is refused.
        for (quint32 i = 0; i < 128; ++i)
            c->synStream(
                1 + 2 * i,
                {{"streamtype", "error"}, {"port", "8080"}, {"requestid", QByteArray::number(i)}},
                true);
        c->synStream(257, {{"streamtype", "error"}, {"port", "8080"}, {"requestid", "x"}}, true);
        for (;;) {
            auto f = c->nextFrame();
            QVERIFY(f);
            if (f->type == 3) { // RST_STREAM
                QCOMPARE(f->stream, 257u);
                QCOMPARE(f->payload.mid(4), be32(3)); // REFUSED_STREAM
                break;
            }
            QCOMPARE(f->type, quint16(2));
        }
        // A stream without the port-forward headers is reset.
        c->synStream(259, {{"streamtype", "bogus"}});
        auto f = c->nextFrame();
        QVERIFY(f);
        QCOMPARE(f->type, quint16(3));
        QCOMPARE(f->stream, 259u);
    }
};

ROLLSCOPE_TEST_MAIN(TestSimPortForward)
#include "tst_simportforward.moc"
