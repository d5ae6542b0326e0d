// SPDX-License-Identifier: MIT
// The traffic front (what kube-proxy and the pods' servers do) on a virtual clock: connections
// to a Service's NodePort are pinned to one pod, and a pod that shuts down gracefully answers
// every request it accepted, even one whose bytes it had not read yet when SIGTERM came; only a
// process that is gone, or one that dies without draining, resets connections.
#include "simfixture.h"
#include "simulator/traffic.h"
#include "testmain.h"

#include <QDeadlineTimer>
#include <QTcpSocket>

#include <memory>
#include <vector>

using namespace rollscope;
using namespace rollscope::sim;
using namespace rollscope::sim::test;

namespace {

const QString kNs = QStringLiteral("default");

QJsonObject nodePortService(const QString &name)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Service")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("type"), QStringLiteral("NodePort")},
                     {QStringLiteral("selector"), QJsonObject{{QStringLiteral("app"), name}}},
                     {QStringLiteral("ports"),
                      QJsonArray{QJsonObject{{QStringLiteral("port"), 80},
                                             {QStringLiteral("targetPort"), 8080}}}}}}};
}

// Reads one HTTP answer (status line, headers, Content-Length body) or gives up at the deadline.
struct Answer
{
    int status = 0;
    QByteArray headers;
    QByteArray body;
    bool closedEarly = false;
};

Answer readAnswer(QTcpSocket &socket, int timeoutMs)
{
    Answer a;
    QByteArray buffer;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        buffer += socket.readAll();
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            a.headers = buffer.left(end);
            const QList<QByteArray> lines = a.headers.split('\n');
            a.status = lines.first().split(' ').value(1).toInt();
            qsizetype length = 0;
            for (const QByteArray &line : lines) {
                if (line.toLower().startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
            }
            if (buffer.size() >= end + 4 + length) {
                a.body = buffer.mid(end + 4, length);
                return a;
            }
        }
        if (socket.state() != QAbstractSocket::ConnectedState && socket.bytesAvailable() == 0) {
            a.closedEarly = true;
            return a;
        }
        socket.waitForReadyRead(50);
    }
    return a;
}

} // namespace

class TestTraffic : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_fx;
    std::unique_ptr<TrafficFront> m_front;

    // A Deployment `name` of 3 pods running `image` behind a NodePort Service, all Ready and
    // served; returns the first node's address of the Service.
    QPair<QHostAddress, quint16> serve(const QString &name, const QString &image)
    {
        m_fx->createDeployment(SimFixture::deploymentJson(name, 3, image, 1, 0));
        m_fx->create(Resources::services(), nodePortService(name));
        for (int i = 0; i < 20; ++i) {
            m_fx->advance(1000);
            QCoreApplication::processEvents(); // the front's deferred Service sync
        }
        QCoreApplication::processEvents();
        m_front->syncServing(); // kube-proxy has programmed the ready endpoints
        const auto addresses = m_front->addressesOf(kNs, name);
        if (addresses.isEmpty())
            return {};
        return addresses.first();
    }

    QList<QJsonObject> podsOf(const QString &app) const
    {
        QList<QJsonObject> pods;
        for (const QJsonObject &pod : m_fx->store.list(Resources::pods(), kNs)) {
            if (json::label(pod, QStringLiteral("app")) == app)
                pods << pod;
        }
        return pods;
    }

    // Opens `n` connections and waits until the serving thread has pinned each to a pod.
    std::vector<std::unique_ptr<QTcpSocket>> connectAll(const QPair<QHostAddress, quint16> &to,
                                                        int n)
    {
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (int i = 0; i < n; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->connectToHost(to.first, to.second);
            if (!socket->waitForConnected(5000))
                return {};
            sockets.push_back(std::move(socket));
        }
        if (!QTest::qWaitFor([&] { return m_front->openConnections() == n; }, 5000)) {
            qWarning("%d of %d connections taken by the pods", m_front->openConnections(), n);
            return {};
        }
        return sockets;
    }

    void terminateAll(const QString &app)
    {
        for (const QJsonObject &pod : podsOf(app))
            QVERIFY(m_fx->registry.remove(Resources::pods(), kNs, json::name(pod)).ok());
        m_fx->settle();         // the kubelet sends SIGTERM
        m_front->syncServing(); // ... and the serving side has acted on it
    }

private slots:
    void init()
    {
        m_fx = std::make_unique<SimFixture>();
        m_front = std::make_unique<TrafficFront>(&m_fx->registry, &m_fx->runtime, nullptr);
        TrafficFront *front = m_front.get();
        m_fx->registry.setNodePortProbe([front](int port) { return front->canBindNodePort(port); });
    }

    void cleanup()
    {
        m_front.reset();
        m_fx.reset();
    }

    void servesEachConnectionFromOnePod()
    {
        const auto address = serve(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1"));
        QVERIFY(!address.first.isNull());
        auto sockets = connectAll(address, 6);
        QCOMPARE(int(sockets.size()), 6);
        for (auto &socket : sockets) {
            socket->write("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
            const Answer a = readAnswer(*socket, 5000);
            QCOMPARE(a.status, 200);
            QVERIFY2(a.body.startsWith("web-") && a.body.endsWith(" v1\n"), a.body.constData());
            // Kept alive: the same connection asks again and the same pod answers.
            socket->write("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
            const Answer again = readAnswer(*socket, 5000);
            QCOMPARE(again.status, 200);
            QCOMPARE(again.body, a.body);
        }
    }

    // The cause of the false "Connection reset" in the demo rollout: at SIGTERM a draining pod
    // closed every connection with no request in flight, including ones accepted a moment
    // earlier whose request it had not read yet; the kernel answered that request with RST.
    void gracefulShutdownAnswersRequestsNotReadYet()
    {
        const auto address = serve(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1"));
        QVERIFY(!address.first.isNull());
        auto sockets = connectAll(address, 12);
        QCOMPARE(int(sockets.size()), 12);
        terminateAll(QStringLiteral("web"));
        // Every pod has had SIGTERM and drains (1 s on the virtual clock, which stays put).
        for (auto &socket : sockets) {
            socket->write("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
            const Answer a = readAnswer(*socket, 5000);
            QVERIFY2(!a.closedEarly, "a request sent on an accepted connection went unanswered");
            QCOMPARE(a.status, 200);
            QVERIFY(a.body.endsWith(" v1\n"));
            // A shutting-down server says it closes the connection after this answer.
            QVERIFY2(a.headers.toLower().contains("connection: close"), a.headers.constData());
        }
    }

    // A kept-alive connection idle between requests is closed at SIGTERM (what a graceful Go
    // server does): the client sees a clean close, not a reset.
    void gracefulShutdownClosesIdleKeptAliveConnections()
    {
        const auto address = serve(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1"));
        auto sockets = connectAll(address, 3);
        QCOMPARE(int(sockets.size()), 3);
        for (auto &socket : sockets) {
            socket->write("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
            QCOMPARE(readAnswer(*socket, 5000).status, 200);
        }
        terminateAll(QStringLiteral("web"));
        for (auto &socket : sockets) {
            QTRY_VERIFY_WITH_TIMEOUT(socket->state() == QAbstractSocket::UnconnectedState, 5000);
            QCOMPARE(socket->error(), QAbstractSocket::RemoteHostClosedError);
        }
    }

    // An app without graceful shutdown (`nodrain`) dies of SIGTERM: its connections are reset.
    void abruptShutdownResetsConnections()
    {
        const auto address =
            serve(QStringLiteral("web"), QStringLiteral("bebullish/demo:v1-nodrain"));
        auto sockets = connectAll(address, 3);
        QCOMPARE(int(sockets.size()), 3);
        terminateAll(QStringLiteral("web"));
        for (auto &socket : sockets) {
            socket->write("GET / HTTP/1.1\r\nHost: web\r\n\r\n");
            const Answer a = readAnswer(*socket, 5000);
            QVERIFY(a.closedEarly);
            QCOMPARE(a.status, 0);
        }
    }
};

ROLLSCOPE_TEST_MAIN(TestTraffic)
#include "tst_traffic.moc"
