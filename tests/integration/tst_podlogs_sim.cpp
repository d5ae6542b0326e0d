// SPDX-License-Identifier: MIT
// Pod logs through LogStream against an in-process rollscope-sim: plain and tailed logs, a follow
// that sees new lines and ends when the pod is gone, the API's words for a wrong container or a
// missing pod, a read-only (viewer) client, stop(); the memory bounds: a line over the cap is cut
// and marked, an endless line from a hostile server keeps the buffers bounded, many lines arrive
// in few batches; a 403 in plain words without the token.
#include "hostileserver.h"
#include "kube/apierror.h"
#include "kube/logstream.h"
#include "kube/resourcekind.h"
#include "simfixture.h"
#include "simulator/clock.h"
#include "testmain.h"

#include <QRegularExpression>
#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::Await;
using rollscope::test::HostileServer;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 20000;
const QString kNs = QStringLiteral("default");
const QString kSecretToken = QStringLiteral("t0ken-that-must-never-show-0123456789");

// Logs the test writes itself, for any pod that exists, with followers it can feed and end.
class ScriptedLogs : public sim::LogSource
{
public:
    QStringList lines;

    QString logs(const QString &, const QString &, const QString &, QStringList *out,
                 QList<qint64> *stamps) const override
    {
        *out = lines;
        for (qsizetype i = 0; i < lines.size(); ++i)
            stamps->append(0);
        return {};
    }
    int follow(const QString &, const QString &, const QString &,
               std::function<void(qint64, const QString &)> onLine,
               std::function<void()> onEnd) override
    {
        const int id = m_next++;
        m_followers.insert(id, {std::move(onLine), std::move(onEnd)});
        return id;
    }
    void unfollow(int id) override { m_followers.remove(id); }

    int followers() const { return static_cast<int>(m_followers.size()); }
    void push(const QString &line)
    {
        lines.append(line);
        const auto followers = m_followers;
        for (const auto &f : followers)
            f.first(0, line);
    }
    void endAll()
    {
        const auto followers = std::exchange(m_followers, {});
        for (const auto &f : followers)
            f.second();
    }

private:
    QHash<int, std::pair<std::function<void(qint64, const QString &)>, std::function<void()>>>
        m_followers;
    int m_next = 1;
};

// Everything a LogStream said, collected.
struct Collected
{
    QStringList lines;
    int batches = 0;
    std::optional<LogEnd> end;

    void attach(LogStream *stream)
    {
        QObject::connect(stream, &LogStream::linesReceived, stream, [this](const QStringList &l) {
            lines += l;
            ++batches;
        });
        QObject::connect(stream, &LogStream::finished, stream,
                         [this](const LogEnd &e) { end = e; });
    }
    QString errorText() const { return end && end->error ? end->error->message : QString(); }
};

Result<ClusterConfig> hostileConfig(const QString &kubeconfig)
{
    Kubeconfig::LoadOptions load;
    load.explicitPath = kubeconfig;
    Result<Kubeconfig> loaded = Kubeconfig::load(load);
    if (!loaded)
        return loaded.error();
    return loaded->resolve(QString());
}

} // namespace

class TestPodLogsSim : public QObject
{
    Q_OBJECT

private:
    // Outlives the simulator: the server may unfollow while it shuts down.
    std::unique_ptr<ScriptedLogs> m_scripted;
    std::unique_ptr<SimFixture> m_sim;
    std::unique_ptr<ApiClient> m_client;

    QString demoPod()
    {
        Await<ListResult> listed;
        ListOptions options;
        options.ns = kNs;
        options.labelSelector = QStringLiteral("app=demo");
        m_client->listAll(ResourceKind::pods(), options, this, listed.callback());
        if (!QTest::qWaitFor([&] { return listed.ready(); }, kTimeout) || !listed.result().ok() ||
            listed.value().items.isEmpty())
            return {};
        return listed.value().items.first().value(u"metadata").toObject().value(u"name").toString();
    }

    std::unique_ptr<LogStream> open(ApiClient *client, const QString &pod, LogOptions options,
                                    Collected &collected)
    {
        auto stream = std::make_unique<LogStream>(client, kNs, pod, options);
        collected.attach(stream.get());
        stream->start();
        return stream;
    }

    void useScriptedLogs()
    {
        m_scripted = std::make_unique<ScriptedLogs>();
        m_sim->api()->setLogSource(m_scripted.get());
    }

private slots:
    void init()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
        m_client = std::make_unique<ApiClient>(*m_sim->config());
    }
    void cleanup()
    {
        m_client.reset();
        m_sim.reset();
        m_scripted.reset();
    }

    void requestIsKubectls()
    {
        LogOptions o;
        o.container = QStringLiteral("demo");
        o.follow = true;
        o.tailLines = 10;
        o.timestamps = true;
        const ApiRequest r = LogStream::request(QStringLiteral("ns"), QStringLiteral("p-1"), o);
        QCOMPARE(r.method, QByteArray("GET"));
        QCOMPARE(r.path, QStringLiteral("/api/v1/namespaces/ns/pods/p-1/log"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("container")), QStringLiteral("demo"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("follow")), QStringLiteral("true"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("tailLines")), QStringLiteral("10"));
        QCOMPARE(r.query.queryItemValue(QStringLiteral("timestamps")), QStringLiteral("true"));
        const ApiRequest plain = LogStream::request(QStringLiteral("ns"), QStringLiteral("p"), {});
        QVERIFY(plain.query.isEmpty());
    }

    void logsOfADemoPodArrive()
    {
        const QString pod = demoPod();
        QVERIFY(!pod.isEmpty());
        Collected got;
        LogOptions options;
        options.container = QStringLiteral("demo");
        auto stream = open(m_client.get(), pod, options, got);
        QTRY_VERIFY_WITH_TIMEOUT(got.end.has_value(), kTimeout);
        QVERIFY2(!got.end->error, qPrintable(got.errorText()));
        QVERIFY(got.end->opened);
        QVERIFY(!got.end->stopped);
        QVERIFY2(got.lines.size() >= 2, qPrintable(got.lines.join(u'\n')));
        QVERIFY(got.lines.first().startsWith(u"starting "));
        QVERIFY(got.lines.contains(QStringLiteral("listening on :8080")));
        QCOMPARE(got.end->lines, qint64(got.lines.size()));
        QCOMPARE(stream->lineCount(), qint64(got.lines.size()));
        QVERIFY(!stream->isRunning());

        // --tail=1 --timestamps
        Collected tail;
        options.tailLines = 1;
        options.timestamps = true;
        auto tailed = open(m_client.get(), pod, options, tail);
        QTRY_VERIFY_WITH_TIMEOUT(tail.end.has_value(), kTimeout);
        QVERIFY2(!tail.end->error, qPrintable(tail.errorText()));
        QCOMPARE(tail.lines.size(), 1);
        static const QRegularExpression stamped(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z (.*)$"));
        const QRegularExpressionMatch m = stamped.match(tail.lines.first());
        QVERIFY2(m.hasMatch(), qPrintable(tail.lines.first()));
        QCOMPARE(m.captured(2), got.lines.last());
    }

    void followSeesNewLinesAndEndsWhenThePodIsDeleted()
    {
        const QString pod = demoPod();
        QVERIFY(!pod.isEmpty());
        Collected got;
        LogOptions options;
        options.follow = true; // one container: the server picks it
        auto stream = open(m_client.get(), pod, options, got);
        QSignalSpy opened(stream.get(), &LogStream::opened);
        QTRY_VERIFY_WITH_TIMEOUT(got.lines.contains(QStringLiteral("listening on :8080")),
                                 kTimeout);
        QVERIFY(opened.count() == 1 || stream->isOpen());
        QVERIFY(stream->isRunning());
        QVERIFY(!got.end);

        ApiRequest del;
        del.method = QByteArrayLiteral("DELETE");
        del.path = ResourceKind::pods().objectPath(kNs, pod);
        Await<ApiResponse> deleted;
        m_client->send(del, this, deleted.callback());
        QTRY_VERIFY_WITH_TIMEOUT(deleted.ready(), kTimeout);
        QVERIFY2(deleted.result().ok(), qPrintable(deleted.errorText()));

        // The container is told to stop (a new line), then the pod goes and the follow ends.
        QTRY_VERIFY_WITH_TIMEOUT(
            got.lines.contains(QStringLiteral("received SIGTERM, shutting down")), kTimeout);
        QVERIFY(!got.end);
        QVERIFY(QTest::qWaitFor(
            [&] {
                m_sim->cluster()->clock()->advance(2000);
                return got.end.has_value();
            },
            kTimeout));
        QVERIFY2(!got.end->error, qPrintable(got.errorText()));
        QVERIFY(got.end->opened);
        QVERIFY(!got.end->stopped);
        QCOMPARE(got.lines.last(), QStringLiteral("received SIGTERM, shutting down"));
    }

    void wrongContainerAndMissingPodInTheApisWords()
    {
        const QString pod = demoPod();
        QVERIFY(!pod.isEmpty());
        Collected got;
        LogOptions options;
        options.container = QStringLiteral("nope");
        options.follow = true;
        auto stream = open(m_client.get(), pod, options, got);
        QTRY_VERIFY_WITH_TIMEOUT(got.end.has_value(), kTimeout);
        QVERIFY(got.end->error);
        QVERIFY(!got.end->opened);
        QCOMPARE(got.end->error->httpStatus, 400);
        QCOMPARE(serverMessage(*got.end->error),
                 QStringLiteral("container nope is not valid for pod %1").arg(pod));
        QCOMPARE(got.errorText(),
                 QStringLiteral("No logs: container nope is not valid for pod %1").arg(pod));
        QVERIFY(got.lines.isEmpty());

        Collected missing;
        auto gone = open(m_client.get(), QStringLiteral("no-such-pod"), {}, missing);
        QTRY_VERIFY_WITH_TIMEOUT(missing.end.has_value(), kTimeout);
        QVERIFY(missing.end->error);
        QCOMPARE(missing.end->error->kind, Error::Kind::NotFound);
        QVERIFY2(missing.errorText().contains(u"no-such-pod"), qPrintable(missing.errorText()));
    }

    void viewerMayReadLogs()
    {
        // rollscope:viewers hold the built-in `view` role's reads, pods/log included.
        const QString pod = demoPod();
        QVERIFY(!pod.isEmpty());
        const Result<ClusterConfig> viewerConfig =
            m_sim->config(QStringLiteral("rollscope-sim-viewer"));
        QVERIFY(viewerConfig.ok());
        ApiClient viewer(*viewerConfig);
        Collected got;
        auto stream = open(&viewer, pod, {}, got);
        QTRY_VERIFY_WITH_TIMEOUT(got.end.has_value(), kTimeout);
        QVERIFY2(!got.end->error, qPrintable(got.errorText()));
        QVERIFY(got.lines.contains(QStringLiteral("listening on :8080")));
    }

    void stopEndsTheFollow()
    {
        const QString pod = demoPod();
        useScriptedLogs();
        m_scripted->lines = {QStringLiteral("one")};
        Collected got;
        LogOptions options;
        options.follow = true;
        auto stream = open(m_client.get(), pod, options, got);
        QTRY_COMPARE_WITH_TIMEOUT(got.lines, QStringList{QStringLiteral("one")}, kTimeout);
        QTRY_COMPARE_WITH_TIMEOUT(m_scripted->followers(), 1, kTimeout);
        stream->stop();
        QVERIFY(got.end);
        QVERIFY(got.end->stopped);
        QVERIFY(!got.end->error);
        QVERIFY(!stream->isRunning());
        // The server notices the closed connection and drops its follower; nothing more arrives.
        QTRY_COMPARE_WITH_TIMEOUT(m_scripted->followers(), 0, kTimeout);
        m_scripted->push(QStringLiteral("two"));
        QCOMPARE(got.lines, QStringList{QStringLiteral("one")});
    }

    void lineOverTheCapIsCutAndMarked()
    {
        const QString pod = demoPod();
        useScriptedLogs();
        Collected got;
        LogOptions options;
        options.follow = true;
        options.maxLineBytes = 1024;
        auto stream = open(m_client.get(), pod, options, got);
        QTRY_COMPARE_WITH_TIMEOUT(m_scripted->followers(), 1, kTimeout);
        const QString longLine = QStringLiteral("é").repeated(100 * 1024); // 200 KiB of UTF-8
        m_scripted->push(QStringLiteral("before"));
        m_scripted->push(longLine);
        m_scripted->push(QStringLiteral("after"));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), 3, kTimeout);
        QCOMPARE(got.lines.at(0), QStringLiteral("before"));
        QCOMPARE(got.lines.at(2), QStringLiteral("after"));
        const QString cut = got.lines.at(1);
        QCOMPARE(cut,
                 QStringLiteral("é").repeated(512) + LogLineSplitter::truncationMarker(200 * 1024));
        QVERIFY(!cut.contains(QChar::ReplacementCharacter)); // never cut inside a character
        m_scripted->endAll();
        QTRY_VERIFY_WITH_TIMEOUT(got.end.has_value(), kTimeout);
        QCOMPARE(got.end->truncatedLines, qint64(1));
        QCOMPARE(got.end->lines, qint64(3));
    }

    void manyLinesArriveInFewBatches()
    {
        const QString pod = demoPod();
        useScriptedLogs();
        Collected got;
        LogOptions options;
        options.follow = true;
        auto stream = open(m_client.get(), pod, options, got);
        QTRY_COMPARE_WITH_TIMEOUT(m_scripted->followers(), 1, kTimeout);
        constexpr int kLines = 5000;
        for (int i = 0; i < kLines; ++i)
            m_scripted->push(QStringLiteral("line %1").arg(i));
        QTRY_COMPARE_WITH_TIMEOUT(got.lines.size(), kLines, kTimeout);
        for (int i = 0; i < kLines; i += 997)
            QCOMPARE(got.lines.at(i), QStringLiteral("line %1").arg(i));
        QVERIFY2(got.batches < kLines / 10, qPrintable(QString::number(got.batches)));
    }

    void splitterAndBuffer()
    {
        LogLineSplitter s(8);
        QCOMPARE(s.feed("ab"), QStringList());
        QCOMPARE(s.feed("c\r\nd\n\nxy"),
                 (QStringList{QStringLiteral("abc"), QStringLiteral("d"), QString()}));
        QCOMPARE(s.feed("0123456789"), QStringList());
        QVERIFY(s.pendingBytes() <= 8);
        QCOMPARE(s.feed("z\nok"),
                 QStringList{QStringLiteral("xy012345") + LogLineSplitter::truncationMarker(13)});
        QCOMPARE(s.finish(), QStringList{QStringLiteral("ok")});
        QCOMPARE(s.truncatedLines(), qint64(1));

        LogBuffer buffer(3, 1000);
        QCOMPARE(buffer.append({QStringLiteral("a"), QStringLiteral("b")}), 0);
        QCOMPARE(buffer.append({QStringLiteral("c"), QStringLiteral("d"), QStringLiteral("e")}), 2);
        QCOMPARE(buffer.size(), 3);
        QCOMPARE(buffer.at(0), QStringLiteral("c"));
        QCOMPARE(buffer.dropped(), qint64(2));
        QCOMPARE(buffer.text(), QStringLiteral("c\nd\ne\n"));
        LogBuffer bytes(100, 10); // 10 characters, newlines counted
        bytes.append({QStringLiteral("1234"), QStringLiteral("5678")});
        QCOMPARE(bytes.append({QStringLiteral("9")}), 1);
        QCOMPARE(bytes.chars(), qsizetype(7));
    }

    void forbiddenInPlainWordsWithoutTheToken()
    {
        HostileServer server([](const HostileServer::Request &) {
            return HostileServer::Answer::failure(
                403, QStringLiteral("Forbidden"),
                QStringLiteral("pods \"p\" is forbidden: User \"u\" cannot get resource "
                               "\"pods/log\" in the namespace \"default\" (token %1)")
                    .arg(kSecretToken));
        });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const Result<ClusterConfig> config = hostileConfig(server.writeKubeconfig(kSecretToken));
        QVERIFY(config.ok());
        ApiClient client(*config);
        QStringList clientLog;
        client.setLogSink(9, [&](int, const QString &line) { clientLog << line; });
        Collected got;
        auto stream = std::make_unique<LogStream>(&client, kNs, QStringLiteral("p"), LogOptions{});
        got.attach(stream.get());
        stream->start();
        QTRY_VERIFY_WITH_TIMEOUT(got.end.has_value(), kTimeout);
        QVERIFY(got.end->error);
        QCOMPARE(got.end->error->kind, Error::Kind::Forbidden);
        QVERIFY2(got.errorText().contains(u"cannot get resource \"pods/log\""),
                 qPrintable(got.errorText()));
        QVERIFY2(!got.errorText().contains(kSecretToken), qPrintable(got.errorText()));
        QVERIFY(!clientLog.isEmpty());
        QVERIFY(!clientLog.join(u'\n').contains(kSecretToken));
        // The request carried the credential, as kubectl's does.
        QVERIFY(!server.requests().isEmpty());
        QCOMPARE(server.requests().first().target,
                 QByteArray("/api/v1/namespaces/default/pods/p/log"));
        QCOMPARE(server.requests().first().header("authorization"),
                 QByteArray("Bearer ") + kSecretToken.toUtf8());
    }

    void endlessLineKeepsMemoryBounded()
    {
        HostileServer server(
            [](const HostileServer::Request &) { return HostileServer::Answer::endlessLine(); });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const Result<ClusterConfig> config = hostileConfig(server.writeKubeconfig(kSecretToken));
        QVERIFY(config.ok());
        ApiClient client(*config);
        LogOptions options;
        options.follow = true;
        options.maxLineBytes = 64 * 1024;
        options.readBufferBytes = 256 * 1024;
        Collected got;
        auto stream = std::make_unique<LogStream>(&client, kNs, QStringLiteral("p"), options);
        got.attach(stream.get());
        stream->start();
        qint64 maxBuffered = 0;
        QVERIFY(QTest::qWaitFor(
            [&] {
                maxBuffered = std::max(maxBuffered, stream->bufferedBytes());
                return server.streamedBytes() > 16 * 1024 * 1024;
            },
            60000));
        QVERIFY2(maxBuffered <= options.readBufferBytes + options.maxLineBytes + 64 * 1024,
                 qPrintable(QString::number(maxBuffered)));
        QVERIFY(got.lines.isEmpty()); // no newline, so no line yet
        QVERIFY(!got.end);
        stream->stop();
        QVERIFY(got.end && got.end->stopped);
    }
};

ROLLSCOPE_TEST_MAIN(TestPodLogsSim)
#include "tst_podlogs_sim.moc"
