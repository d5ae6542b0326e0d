// SPDX-License-Identifier: MIT
// Reading one answer on a fresh connection and telling what came of the request: complete,
// truncated (Reset), 5xx, 4xx, refused, timed out, not HTTP at all. The answers are fed whole
// and byte by byte: the framing must not depend on how the network splits them. The
// service-proxy classification (503 "no endpoints available") is here too.
#include "kube/apiclient.h"
#include "kube/apierror.h"
#include "probe/httpresponse.h"
#include "probe/trafficprober.h"
#include "testmain.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace rollscope;
using namespace rollscope::probe;

Q_DECLARE_METATYPE(rollscope::probe::TransportEnd)
Q_DECLARE_METATYPE(std::optional<rollscope::probe::FailureClass>)

namespace {

using Failure = std::optional<FailureClass>;

const QByteArray kSimAnswer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                              "Content-Length: 28\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
                              "Connection: close\r\n\r\ndemo-dp-6b5b87b666-f4rck v1\n";

struct Fed
{
    ResponseReader reader;
    Failure failure;
};

Fed feed(const QByteArray &bytes, TransportEnd end, bool byteByByte)
{
    Fed fed;
    if (byteByByte) {
        for (char c : bytes)
            fed.reader.feed(QByteArrayView(&c, 1));
    } else {
        fed.reader.feed(bytes);
    }
    if (end == TransportEnd::Closed)
        fed.reader.closed();
    fed.failure =
        classifyExchange(fed.reader.isComplete() ? TransportEnd::Answered : end, fed.reader);
    return fed;
}

} // namespace

class TestProbeResponse : public QObject
{
    Q_OBJECT

private slots:
    void classification_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<TransportEnd>("end");
        QTest::addColumn<bool>("complete");
        QTest::addColumn<int>("status");
        QTest::addColumn<Failure>("failure");
        QTest::addColumn<QByteArray>("body");

        QTest::newRow("complete (Content-Length), server still open")
            << kSimAnswer << TransportEnd::Answered << true << 200 << Failure()
            << QByteArray("demo-dp-6b5b87b666-f4rck v1\n");
        QTest::newRow("complete, then closed")
            << kSimAnswer << TransportEnd::Closed << true << 200 << Failure()
            << QByteArray("demo-dp-6b5b87b666-f4rck v1\n");
        QTest::newRow("body until close")
            << QByteArray("HTTP/1.0 200 OK\r\nServer: old\r\n\r\npod-a v2") << TransportEnd::Closed
            << true << 200 << Failure() << QByteArray("pod-a v2");
        QTest::newRow("truncated body -> reset")
            << kSimAnswer.first(kSimAnswer.size() - 5) << TransportEnd::Closed << false << 200
            << Failure(FailureClass::Reset) << QByteArray("demo-dp-6b5b87b666-f4rc");
        QTest::newRow("truncated head -> reset")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Len") << TransportEnd::Closed << false << 0
            << Failure(FailureClass::Reset) << QByteArray();
        QTest::newRow("closed before any byte -> reset")
            << QByteArray() << TransportEnd::Closed << false << 0 << Failure(FailureClass::Reset)
            << QByteArray();
        QTest::newRow("5xx") << QByteArray("HTTP/1.1 500 Internal Server Error\r\nContent-Length: "
                                           "9\r\n\r\npod-a v1\n")
                             << TransportEnd::Answered << true << 500
                             << Failure(FailureClass::Http5xx) << QByteArray("pod-a v1\n");
        QTest::newRow("503 cut short is still 5xx")
            << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 100\r\n\r\nbusy")
            << TransportEnd::Closed << false << 503 << Failure(FailureClass::Http5xx)
            << QByteArray("busy");
        QTest::newRow("4xx") << QByteArray("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                             << TransportEnd::Answered << true << 404
                             << Failure(FailureClass::Http4xx) << QByteArray();
        QTest::newRow("3xx is an answer")
            << QByteArray("HTTP/1.1 302 Found\r\nLocation: /x\r\nContent-Length: 0\r\n\r\n")
            << TransportEnd::Answered << true << 302 << Failure() << QByteArray();
        QTest::newRow("204 has no body")
            << QByteArray("HTTP/1.1 204 No Content\r\n\r\n") << TransportEnd::Answered << true
            << 204 << Failure() << QByteArray();
        QTest::newRow("chunked") << QByteArray(
                                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        "6;ext=1\r\npod-b \r\n3\r\nv2\n\r\n0\r\nX-T: 1\r\n\r\n")
                                 << TransportEnd::Answered << true << 200 << Failure()
                                 << QByteArray("pod-b v2\n");
        QTest::newRow("chunked, cut in a chunk -> reset")
            << QByteArray("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\npod")
            << TransportEnd::Closed << false << 200 << Failure(FailureClass::Reset)
            << QByteArray("pod");
        QTest::newRow("100 Continue before the answer")
            << QByteArray("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: "
                          "2\r\n\r\nok")
            << TransportEnd::Answered << true << 200 << Failure() << QByteArray("ok");
        QTest::newRow("bare LF line ends")
            << QByteArray("HTTP/1.1 200 OK\nContent-Length: 2\n\nok") << TransportEnd::Answered
            << true << 200 << Failure() << QByteArray("ok");
        QTest::newRow("not HTTP -> other")
            << QByteArray("SSH-2.0-OpenSSH_9.2\r\n") << TransportEnd::Closed << false << 0
            << Failure(FailureClass::Other) << QByteArray();
        QTest::newRow("conflicting Content-Length -> other")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok")
            << TransportEnd::Closed << false << 0 << Failure(FailureClass::Other) << QByteArray();
        QTest::newRow("refused") << QByteArray() << TransportEnd::Refused << false << 0
                                 << Failure(FailureClass::Refused) << QByteArray();
        QTest::newRow("timeout, head only")
            << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n") << TransportEnd::TimedOut
            << false << 200 << Failure(FailureClass::Timeout) << QByteArray();
        QTest::newRow("socket error") << QByteArray() << TransportEnd::Error << false << 0
                                      << Failure(FailureClass::Other) << QByteArray();
    }

    void classification()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(TransportEnd, end);
        QFETCH(bool, complete);
        QFETCH(int, status);
        QFETCH(Failure, failure);
        QFETCH(QByteArray, body);
        for (bool byteByByte : {false, true}) {
            const Fed fed = feed(bytes, end, byteByByte);
            QCOMPARE(fed.reader.isComplete(), complete);
            QCOMPARE(fed.reader.status(), status);
            QCOMPARE(fed.failure, failure);
            QCOMPARE(fed.reader.body(), body);
        }
    }

    void headersAreKept()
    {
        ResponseReader reader;
        reader.feed("HTTP/1.1 200 OK\r\nX-Pod-Name:  demo-dp-abc-12345 \r\nX-Folded: a\r\n  b\r\n"
                    "content-length: 0\r\n\r\n");
        QVERIFY(reader.isComplete());
        QCOMPARE(reader.header("x-pod-name"), QByteArray("demo-dp-abc-12345"));
        QCOMPARE(reader.header("X-FOLDED"), QByteArray("a b"));
        QCOMPARE(reader.header("missing"), QByteArray());
    }

    void bytesAfterCompleteAnswerAreIgnored()
    {
        ResponseReader reader;
        QCOMPARE(reader.feed(QByteArray(kSimAnswer + "HTTP/1.1 200 OK\r\n")),
                 ResponseReader::State::Complete);
        QCOMPARE(reader.body(), QByteArray("demo-dp-6b5b87b666-f4rck v1\n"));
    }

    void boundedMemory()
    {
        // A huge body is framed and counted, but only kMaxKeptBody of it is kept.
        ResponseReader reader;
        const qint64 size = 10 * ResponseReader::kMaxKeptBody;
        reader.feed(QByteArray("HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(size) +
                               "\r\n\r\n"));
        const QByteArray chunk(4096, 'x');
        for (qint64 sent = 0; sent < size; sent += chunk.size())
            reader.feed(chunk);
        QVERIFY(reader.isComplete());
        QCOMPARE(reader.bodyBytes(), size);
        QCOMPARE(reader.body().size(), ResponseReader::kMaxKeptBody);

        // Endless headers are refused rather than buffered.
        ResponseReader endless;
        endless.feed("HTTP/1.1 200 OK\r\n");
        const QByteArray header = "X-Filler: " + QByteArray(1000, 'y') + "\r\n";
        for (int i = 0; i < 100 && endless.state() != ResponseReader::State::Malformed; ++i)
            endless.feed(header);
        QCOMPARE(endless.state(), ResponseReader::State::Malformed);
    }

    void serviceProxy_data()
    {
        QTest::addColumn<int>("httpStatus");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Failure>("failure");
        QTest::addColumn<int>("exchangeStatus");

        // A Status as the API server sends it (built, not written out: moc misreads raw strings
        // with quotes inside).
        const auto status = [](int code, const char *reason, const char *message) {
            return QJsonDocument(
                       QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                                   {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                   {QStringLiteral("status"), QStringLiteral("Failure")},
                                   {QStringLiteral("message"), QString::fromUtf8(message)},
                                   {QStringLiteral("reason"), QString::fromUtf8(reason)},
                                   {QStringLiteral("code"), code}})
                .toJson(QJsonDocument::Compact);
        };
        QTest::newRow("503 no endpoints")
            << 503
            << status(503, "ServiceUnavailable",
                      "no endpoints available for service \"demo-service\"")
            << Failure(FailureClass::NoEndpoints) << 503;
        QTest::newRow("503 pod refused")
            << 503
            << status(503, "ServiceUnavailable",
                      "error trying to reach service: dial tcp 10.244.1.5:8080: connect: "
                      "connection refused")
            << Failure(FailureClass::Refused) << 0;
        QTest::newRow("503 pod reset")
            << 503
            << status(503, "ServiceUnavailable",
                      "error trying to reach service: read: connection reset by peer")
            << Failure(FailureClass::Reset) << 0;
        QTest::newRow("app 503 is 5xx")
            << 503 << QByteArray("overloaded") << Failure(FailureClass::Http5xx) << 503;
        QTest::newRow("app 500") << 500 << QByteArray("demo-dp-abc-12345 v1 internal error\n")
                                 << Failure(FailureClass::Http5xx) << 500;
        QTest::newRow("404") << 404 << QByteArray("not here") << Failure(FailureClass::Http4xx)
                             << 404;
    }

    void serviceProxy()
    {
        QFETCH(int, httpStatus);
        QFETCH(QByteArray, body);
        QFETCH(Failure, failure);
        QFETCH(int, exchangeStatus);
        const Exchange exchange =
            TrafficProber::exchangeFromProxy(kube::ApiErrors::fromResponse(httpStatus, body));
        QCOMPARE(exchange.failure, failure);
        QCOMPARE(exchange.httpStatus, exchangeStatus);
    }

    void serviceProxyAnswerAndTransport()
    {
        kube::ApiResponse ok;
        ok.status = 200;
        ok.body = "demo-dp-abc-12345 v2\n";
        const Exchange answered = TrafficProber::exchangeFromProxy(ok);
        QVERIFY(!answered.failure.has_value());
        QCOMPARE(answered.httpStatus, 200);
        QCOMPARE(answered.evidence.body, ok.body);

        const Exchange timedOut = TrafficProber::exchangeFromProxy(
            Error::make(Error::Kind::Timeout, QStringLiteral("no answer")));
        QCOMPARE(timedOut.failure, Failure(FailureClass::Timeout));
        QCOMPARE(timedOut.httpStatus, 0);
        const Exchange network = TrafficProber::exchangeFromProxy(
            Error::make(Error::Kind::Network, QStringLiteral("refused")));
        QCOMPARE(network.failure, Failure(FailureClass::Other));
    }

    void failureClassIds()
    {
        QSet<QString> ids;
        for (int i = 0; i < kFailureClassCount; ++i) {
            const auto failure = FailureClass(i);
            const QString id = failureClassId(failure);
            QVERIFY(!id.isEmpty());
            ids.insert(id);
            QCOMPARE(failureClassFromId(id), std::optional<FailureClass>(failure));
            QVERIFY(!failureClassText(failure).isEmpty());
        }
        QCOMPARE(ids.size(), kFailureClassCount);
        QCOMPARE(failureClassId(FailureClass::NoEndpoints), QStringLiteral("noEndpoints"));
        QCOMPARE(failureClassFromId(QStringLiteral("bogus")), std::optional<FailureClass>());
    }
};

ROLLSCOPE_TEST_MAIN(TestProbeResponse)
#include "tst_proberesponse.moc"
