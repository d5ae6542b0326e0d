// SPDX-License-Identifier: MIT
// The client against a hostile or failing API server (issue "Hostile and careless input"): a
// flood of watch events and an endless line stay bounded and leave the event loop alive,
// credentials echoed by the server never reach an error message, informers say what fails and
// commands give up on 401/403 and on a dead server, Qt's own network warnings stay hidden, and
// -v 6 prints URLs with %3D as they are.
#include "cli/getcommand.h"
#include "cli/rolloutcommand.h"
#include "hostileserver.h"
#include "kube/apierror.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"
#include "testmain.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QSignalSpy>
#include <QTimer>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::HostileServer;
using rollscope::test::ThreadedHostileServer;
using Answer = HostileServer::Answer;

namespace {

constexpr int kTimeout = 20000;
const QString kToken = QStringLiteral("s3cr3t-t0ken-abcdef0123456789");

Result<ClusterConfig> configFor(const QString &kubeconfig)
{
    Kubeconfig::LoadOptions load;
    load.explicitPath = kubeconfig;
    Result<Kubeconfig> loaded = Kubeconfig::load(load);
    if (!loaded)
        return loaded.error();
    return loaded->resolve(QString());
}

QByteArray eventLine(const QString &type, const QJsonObject &object)
{
    return QJsonDocument(
               QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("object"), object}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

// A server for `rollscope rollout deployment/demo`: the Deployment is listed, its watch answers
// `deploymentWatch`, every other list is empty and every other watch hangs.
HostileServer::Handler rolloutServer(Answer deploymentWatch)
{
    return [deploymentWatch](const HostileServer::Request &r) {
        const QByteArray path = r.path();
        if (path.endsWith("/deployments")) {
            if (r.isWatch())
                return deploymentWatch;
            return HostileServer::list(
                QStringLiteral("Deployment"),
                {HostileServer::deployment(QStringLiteral("demo"), QStringLiteral("10"))});
        }
        if (r.isWatch())
            return Answer::hang();
        return HostileServer::list(QStringLiteral("Thing"));
    };
}

QtMessageHandler g_previous = nullptr;
QStringList g_captured;

void capture(QtMsgType, const QMessageLogContext &context, const QString &message)
{
    g_captured << QString::fromLatin1(context.category ? context.category : "") + u' ' + message;
}

Q_LOGGING_CATEGORY(fakeHttp2, "qt.network.http2")
Q_LOGGING_CATEGORY(otherCategory, "rollscope.test")

} // namespace

class TestHostileServer : public QObject
{
    Q_OBJECT

private slots:
    // Item 3: a server streaming events as fast as the connection takes them. Qt may buffer only
    // the reply's read buffer, the loop keeps running (a 20 ms timer never waits long), and the
    // events still arrive.
    void watchFloodStaysBoundedAndLoopStaysAlive()
    {
        const QByteArray line =
            eventLine(QStringLiteral("MODIFIED"),
                      HostileServer::deployment(QStringLiteral("demo"), QStringLiteral("11")));
        ThreadedHostileServer threaded(
            [line](const HostileServer::Request &) { return Answer::flood(line); });
        HostileServer *server = threaded.server();
        QVERIFY2(server->ok(), qPrintable(server->error()));
        Result<ClusterConfig> config = configFor(server->writeKubeconfig(kToken));
        QVERIFY2(config.ok(), config.ok() ? "" : qPrintable(config.error().message));
        ApiClient client(*config);

        QUrlQuery query;
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        Watch *watch = client.watch(
            ApiRequest::get(QStringLiteral("/apis/apps/v1/namespaces/demo/deployments"), query),
            this);
        qint64 events = 0;
        connect(watch, &Watch::eventsReceived, this,
                [&events](const QList<WatchEvent> &batch) { events += batch.size(); });

        qint64 maxBuffered = 0;
        qint64 maxGapMs = 0;
        int ticks = 0;
        QElapsedTimer sinceTick;
        QTimer ticker;
        ticker.setInterval(20);
        connect(&ticker, &QTimer::timeout, this, [&] {
            if (sinceTick.isValid())
                maxGapMs = std::max(maxGapMs, sinceTick.elapsed());
            sinceTick.start();
            ++ticks;
            maxBuffered = std::max(maxBuffered, watch->bufferedBytes());
        });
        QTRY_VERIFY_WITH_TIMEOUT(watch->isOpen(), kTimeout);
        ticker.start();
        QTRY_VERIFY_WITH_TIMEOUT(ticks >= 100, kTimeout);
        ticker.stop();

        QVERIFY(events > 1000);
        QVERIFY2(maxBuffered <= client.options().watchReadBufferBytes + line.size(),
                 qPrintable(QString::number(maxBuffered)));
        // Everything the server wrote that was not handled yet sits in socket buffers and Qt's
        // bounded buffers: megabytes, not the gigabytes of an unbounded read.
        const qint64 unread = server->streamedBytes() - events * line.size();
        QVERIFY2(unread < 64 * 1024 * 1024, qPrintable(QString::number(unread)));
        // A slice takes milliseconds (tens under ASan on a busy machine); without bounds and
        // slicing the loop is busy with the backlog for seconds.
        QVERIFY2(maxGapMs < 1500, qPrintable(QString::number(maxGapMs)));
        delete watch;
    }

    // Item 3: an endless line fails the watch with a clear error once it passes the bound.
    void endlessLineFailsTheWatch()
    {
        ThreadedHostileServer threaded(
            [](const HostileServer::Request &) { return Answer::endlessLine(); });
        HostileServer *server = threaded.server();
        QVERIFY2(server->ok(), qPrintable(server->error()));
        Result<ClusterConfig> config = configFor(server->writeKubeconfig(kToken));
        QVERIFY(config.ok());
        ApiClient::Options options;
        options.maxWatchEventBytes = 2 * 1024 * 1024;
        ApiClient client(*config, options);

        QUrlQuery query;
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        Watch *watch = client.watch(
            ApiRequest::get(QStringLiteral("/apis/apps/v1/namespaces/demo/deployments"), query),
            this);
        QSignalSpy finished(watch, &Watch::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
        const auto end = finished.at(0).at(0).value<WatchEnd>();
        QVERIFY(end.error);
        QCOMPARE(end.error->kind, Error::Kind::Protocol);
        QVERIFY2(end.error->message.contains(QLatin1StringView("larger than 2 MiB")),
                 qPrintable(end.error->message));
        QVERIFY(server->streamedBytes() < options.maxWatchEventBytes + 64 * 1024 * 1024);
        delete watch;
    }

    // Item 10: the server echoes the Authorization header in its Status message (and in a
    // plain-text error body); the token reaches neither stdout nor stderr of `get`, at any -v.
    void echoedTokenNeverPrinted_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("statusBody");
        QTest::addColumn<int>("verbosity");
        QTest::addColumn<bool>("basic");
        QTest::newRow("403 Status") << 403 << true << 0 << false;
        QTest::newRow("401 Status") << 401 << true << 0 << false;
        QTest::newRow("500 text body") << 500 << false << 0 << false;
        QTest::newRow("422 Status -v 9") << 422 << true << 9 << false;
        QTest::newRow("403 Status basic auth") << 403 << true << 0 << true;
    }
    void echoedTokenNeverPrinted()
    {
        QFETCH(int, status);
        QFETCH(bool, statusBody);
        QFETCH(int, verbosity);
        QFETCH(bool, basic);
        HostileServer server([status, statusBody](const HostileServer::Request &r) {
            const QString echoed = QStringLiteral("you sent Authorization: ") +
                                   QString::fromLatin1(r.header("authorization"));
            if (!statusBody) {
                Answer a;
                a.status = status;
                a.body = echoed.toUtf8();
                return a;
            }
            return Answer::failure(status, QStringLiteral("Forbidden"), echoed);
        });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const QString password = QStringLiteral("pa55w0rd-very-secret");
        const QString kubeconfig =
            basic ? server.writeKubeconfig({}, QStringLiteral("admin"), password)
                  : server.writeKubeconfig(kToken);
        GetOptions options;
        options.kubeconfig = kubeconfig;
        options.verbosity = verbosity;
        QString out;
        QString err;
        GetCommand command(
            options, [&out](const QString &t) { out += t; },
            [&err](const QString &t) { err += t; });
        QSignalSpy finished(&command, &GetCommand::finished);
        command.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
        QCOMPARE(command.exitCode(), 1);
        // The server did get the credential, and echoed it.
        QVERIFY(!server.requests().isEmpty());
        const QByteArray sent = server.requests().constFirst().header("authorization");
        QVERIFY(!sent.isEmpty());
        const QString secret = basic ? password : kToken;
        const QString basicValue =
            QString::fromLatin1((QStringLiteral("admin:") + password).toUtf8().toBase64());
        for (const QString &text : {out, err}) {
            QVERIFY2(!text.contains(secret), qPrintable(text));
            QVERIFY2(!text.contains(QString::fromLatin1(sent.mid(sent.indexOf(' ') + 1))),
                     qPrintable(text));
            QVERIFY2(!basic || !text.contains(basicValue), qPrintable(text));
        }
        QVERIFY2(err.contains(QLatin1StringView("<masked>")) || status == 401, qPrintable(err));
    }

    // Item 10: errors of watches are scrubbed too (a watch answered with an echoing Status).
    void echoedTokenNotInWatchError()
    {
        HostileServer server([](const HostileServer::Request &r) {
            return Answer::failure(403, QStringLiteral("Forbidden"),
                                   QStringLiteral("nope: ") +
                                       QString::fromLatin1(r.header("authorization")));
        });
        QVERIFY(server.ok());
        Result<ClusterConfig> config = configFor(server.writeKubeconfig(kToken));
        QVERIFY(config.ok());
        ApiClient client(*config);
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        Watch *watch = client.watch(ApiRequest::get(QStringLiteral("/api/v1/pods"), query), this);
        QSignalSpy finished(watch, &Watch::finished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
        const auto end = finished.at(0).at(0).value<WatchEnd>();
        QVERIFY(end.error);
        QCOMPARE(end.error->kind, Error::Kind::Forbidden);
        QVERIFY(!ApiErrors::kubectlStyle(*end.error).contains(kToken));
        QVERIFY(ApiErrors::kubectlStyle(*end.error).contains(QLatin1StringView("<masked>")));
        delete watch;
    }

    // Item 11: an informer whose list fails says so, with the error, every time it fails.
    void informerReportsListErrors()
    {
        HostileServer server([](const HostileServer::Request &) {
            return Answer::failure(500, QStringLiteral("InternalError"),
                                   QStringLiteral("etcdserver: request timed out"));
        });
        QVERIFY(server.ok());
        Result<ClusterConfig> config = configFor(server.writeKubeconfig(kToken));
        QVERIFY(config.ok());
        ApiClient client(*config);
        InformerOptions options;
        options.ns = QStringLiteral("demo");
        options.backoffInitial = std::chrono::milliseconds(50);
        options.backoffMax = std::chrono::milliseconds(100);
        DeploymentInformer informer(&client, options);
        QSignalSpy errors(&informer, &Informer::errorOccurred);
        QSignalSpy relayed(&client, &ApiClient::informerError);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(errors.size() >= 2, kTimeout);
        QVERIFY(relayed.size() >= 2);
        const auto error = errors.at(0).at(0).value<InformerError>();
        QCOMPARE(error.operation, QStringLiteral("list"));
        QCOMPARE(error.error.kind, Error::Kind::Server);
        QCOMPARE(error.text(),
                 QStringLiteral("failed to list *v1.Deployment: etcdserver: request timed out"));
        QVERIFY(informer.status().lastError);
        QCOMPARE(informer.status().state, InformerStatus::State::WaitingToRetry);
    }

    // Item 11: the reporter prints a repeated failure once and gives up on 403 at once.
    void reporterGivesUpOnForbidden()
    {
        HostileServer server([](const HostileServer::Request &) {
            return Answer::failure(
                403, QStringLiteral("Forbidden"),
                QStringLiteral("deployments.apps is forbidden: User \"ci\" cannot list resource "
                               "\"deployments\" in API group \"apps\" in the namespace \"demo\""));
        });
        QVERIFY(server.ok());
        Result<ClusterConfig> config = configFor(server.writeKubeconfig(kToken));
        QVERIFY(config.ok());
        ApiClient client(*config);
        InformerErrorReporter reporter(&client, std::chrono::seconds(30));
        QSignalSpy lines(&reporter, &InformerErrorReporter::report);
        QSignalSpy fatal(&reporter, &InformerErrorReporter::fatal);
        InformerOptions options;
        options.ns = QStringLiteral("demo");
        options.backoffInitial = std::chrono::milliseconds(20);
        options.backoffMax = std::chrono::milliseconds(20);
        DeploymentInformer informer(&client, options);
        QSignalSpy errors(&informer, &Informer::errorOccurred);
        informer.start();
        QTRY_VERIFY_WITH_TIMEOUT(errors.size() >= 3, kTimeout);
        QCOMPARE(fatal.size(), 1);
        QCOMPARE(lines.size(), 1);
        QVERIFY(lines.at(0).at(0).toString().startsWith(
            QLatin1StringView("failed to list *v1.Deployment: deployments.apps is forbidden")));
        const auto error = fatal.at(0).at(0).value<Error>();
        QCOMPARE(error.kind, Error::Kind::Forbidden);
        QCOMPARE(error.message,
                 QStringLiteral("User \"ci\" cannot list deployments in namespace \"demo\"."));
    }

    // Item 11: a server that died is given up on after the bound, not after --timeout.
    void reporterGivesUpOnDeadServer()
    {
        auto server = std::make_unique<HostileServer>(
            [](const HostileServer::Request &) { return HostileServer::list({}); });
        QVERIFY(server->ok());
        Result<ClusterConfig> config = configFor(server->writeKubeconfig(kToken));
        QVERIFY(config.ok());
        server->die();
        ApiClient::Options clientOptions;
        clientOptions.connectionRetries = 0;
        ApiClient client(*config, clientOptions);
        InformerErrorReporter reporter(&client, std::chrono::milliseconds(1500));
        QSignalSpy fatal(&reporter, &InformerErrorReporter::fatal);
        QSignalSpy lines(&reporter, &InformerErrorReporter::report);
        InformerOptions options;
        options.backoffInitial = std::chrono::milliseconds(100);
        options.backoffMax = std::chrono::seconds(30); // the bound, not the backoff, decides
        PodInformer informer(&client, options);
        QElapsedTimer clock;
        clock.start();
        informer.start();
        QTRY_COMPARE_WITH_TIMEOUT(fatal.size(), 1, kTimeout);
        QVERIFY(clock.elapsed() >= 1400);
        QVERIFY2(clock.elapsed() < 10000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(lines.size() >= 1);
        const auto error = fatal.at(0).at(0).value<Error>();
        QCOMPARE(error.reason, QStringLiteral("Unreachable"));
        QVERIFY2(error.message.contains(QLatin1StringView("has not answered")),
                 qPrintable(error.message));
    }

    // Item 11: `rollout` against a server that forbids listing pods fails fast with exit 1 and
    // says why, instead of waiting out --timeout.
    void rolloutFailsFastOnForbidden()
    {
        HostileServer server([](const HostileServer::Request &r) {
            if (r.path().endsWith("/pods"))
                return Answer::failure(
                    403, QStringLiteral("Forbidden"),
                    QStringLiteral("pods is forbidden: User \"ci\" cannot list resource \"pods\" "
                                   "in API group \"\" in the namespace \"demo\""));
            return rolloutServer(Answer::hang())(r);
        });
        QVERIFY(server.ok());
        timeline::RolloutCommandOptions options;
        options.kubeconfig = server.writeKubeconfig(kToken);
        options.deployment = QStringLiteral("demo");
        options.probe = timeline::RolloutCommandOptions::Probe::Off;
        options.timeoutSeconds = 600;
        options.autosave = false;
        QString out;
        QString err;
        timeline::RolloutCommand command(
            options, [&out](const QString &t) { out += t; },
            [&err](const QString &t) { err += t; });
        QSignalSpy finished(&command, &timeline::RolloutCommand::finished);
        QElapsedTimer clock;
        clock.start();
        command.start();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
        QCOMPARE(command.exitCode(), 1);
        QVERIFY(clock.elapsed() < 15000);
        QVERIFY2(err.contains(QLatin1StringView("failed to list *v1.Pod: pods is forbidden")),
                 qPrintable(err));
        QVERIFY2(err.contains(QLatin1StringView("User \"ci\" cannot list pods in namespace "
                                                "\"demo\"")),
                 qPrintable(err));
        QVERIFY2(!err.contains(QLatin1StringView("timed out")), qPrintable(err));
    }

    // Item 3: `rollout` against a flooding watch still honours --timeout and an interrupt
    // (what SIGTERM calls) promptly.
    void rolloutUnderFloodHonoursTimeoutAndAbort_data()
    {
        QTest::addColumn<bool>("interrupt");
        QTest::newRow("--timeout") << false;
        QTest::newRow("SIGTERM") << true;
    }
    void rolloutUnderFloodHonoursTimeoutAndAbort()
    {
        QFETCH(bool, interrupt);
        const QByteArray line =
            eventLine(QStringLiteral("MODIFIED"),
                      HostileServer::deployment(QStringLiteral("demo"), QStringLiteral("12")));
        ThreadedHostileServer threaded(rolloutServer(Answer::flood(line)));
        HostileServer *server = threaded.server();
        QVERIFY(server->ok());
        timeline::RolloutCommandOptions options;
        options.kubeconfig = server->writeKubeconfig(kToken);
        options.deployment = QStringLiteral("demo");
        options.probe = timeline::RolloutCommandOptions::Probe::Off;
        options.timeoutSeconds = interrupt ? 600 : 3;
        options.autosave = false;
        QString out;
        QString err;
        timeline::RolloutCommand command(
            options, [&out](const QString &t) { out += t; },
            [&err](const QString &t) { err += t; });
        QSignalSpy finished(&command, &timeline::RolloutCommand::finished);
        QElapsedTimer clock;
        clock.start();
        command.start();
        if (interrupt) {
            // Once the flood runs, as a signal would arrive.
            QTRY_VERIFY_WITH_TIMEOUT(server->streamedBytes() > 8 * 1024 * 1024, kTimeout);
            QElapsedTimer sinceInterrupt;
            sinceInterrupt.start();
            QTimer::singleShot(0, &command, &timeline::RolloutCommand::abort);
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
            QVERIFY2(sinceInterrupt.elapsed() < 2000,
                     qPrintable(QString::number(sinceInterrupt.elapsed())));
        } else {
            QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kTimeout);
            QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
            QVERIFY2(err.contains(QLatin1StringView("timed out")), qPrintable(out + err));
        }
        QCOMPARE(command.exitCode(), 1);
    }

    // Item 11: Qt's qt.network.* warnings do not reach the user below -v 9; the rest passes.
    void qtNetworkWarningsHiddenBelowV9()
    {
        g_captured.clear();
        g_previous = qInstallMessageHandler(capture);
        {
            QtNetworkMessageFilter filter(0);
            qCWarning(fakeHttp2, "stream 3 finished with error: \"Server is unreachable\"");
            qCWarning(otherCategory, "kept");
        }
        {
            QtNetworkMessageFilter filter(9);
            qCWarning(fakeHttp2, "shown at -v 9");
        }
        qInstallMessageHandler(g_previous);
        QCOMPARE(g_captured.size(), 2);
        QCOMPARE(g_captured.at(0), QStringLiteral("rollscope.test kept"));
        QCOMPARE(g_captured.at(1), QStringLiteral("qt.network.http2 shown at -v 9"));
    }

    // Item 12a: -v 6 lines show URLs with %3D unchanged (a chained arg() took %3 for a
    // placeholder).
    void verboseLogKeepsPercentEncodedUrls()
    {
        HostileServer server([](const HostileServer::Request &r) {
            if (r.isWatch())
                return Answer::flood(eventLine(
                    QStringLiteral("ADDED"),
                    HostileServer::deployment(QStringLiteral("demo"), QStringLiteral("11"))));
            return HostileServer::list(QStringLiteral("Deployment"));
        });
        QVERIFY(server.ok());
        Result<ClusterConfig> config = configFor(server.writeKubeconfig(kToken));
        QVERIFY(config.ok());
        ApiClient client(*config);
        QStringList lines;
        client.setLogSink(6, [&lines](int, const QString &line) { lines << line; });
        ListOptions list;
        list.ns = QStringLiteral("demo");
        list.labelSelector = QStringLiteral("app=demo");
        bool listed = false;
        client.listAll(ResourceKind::deployments(), list, this,
                       [&listed](Result<ListResult> result) { listed = result.ok(); });
        QTRY_VERIFY_WITH_TIMEOUT(listed, kTimeout);
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("fieldSelector"), QStringLiteral("metadata.name=demo"));
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        Watch *watch = client.watch(
            ApiRequest::get(QStringLiteral("/apis/apps/v1/namespaces/demo/deployments"), query),
            this);
        QTRY_VERIFY_WITH_TIMEOUT(watch->isOpen(), kTimeout);
        delete watch;

        const QString base = server.url() + QStringLiteral("/apis/apps/v1/namespaces/demo/");
        const QRegularExpression listLine(
            QStringLiteral("^GET ") + QRegularExpression::escape(base) +
            QStringLiteral("deployments\\?labelSelector=app%3Ddemo&limit=500 200 Whatever in "
                           "\\d+ milliseconds$"));
        const QRegularExpression watchLine(
            QStringLiteral("^GET ") + QRegularExpression::escape(base) +
            QStringLiteral("deployments\\?fieldSelector=metadata.name%3Ddemo&watch=true 200 OK in "
                           "\\d+ milliseconds \\(watch\\)$"));
        QVERIFY2(lines.indexOf(listLine) >= 0, qPrintable(lines.join(u'\n')));
        QVERIFY2(lines.indexOf(watchLine) >= 0, qPrintable(lines.join(u'\n')));
    }
};

ROLLSCOPE_TEST_MAIN(TestHostileServer)
#include "tst_hostile_server.moc"
