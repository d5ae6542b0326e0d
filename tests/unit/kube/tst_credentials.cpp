// SPDX-License-Identifier: MIT
#include "kube/credentials.h"
#include "kube/execconsent.h"
#include "kube/kubeconfig.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QNetworkRequest>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <memory>
#include <optional>
#include <sys/stat.h>
#include <utility>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

const QString kV1 = QStringLiteral("client.authentication.k8s.io/v1");
const QString kV1beta1 = QStringLiteral("client.authentication.k8s.io/v1beta1");
const QString kHint = QStringLiteral("Install the test plugin with: make test-plugin");

QString sourceDir()
{
    const QString source = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (!source.isEmpty())
        return source;
    return QDir::cleanPath(QFINDTESTDATA("../../data") + QStringLiteral("/../.."));
}

QString dataFile(const QString &relative)
{
    return QDir::cleanPath(sourceDir() + QStringLiteral("/tests/data/") + relative);
}

QString plugin()
{
    return dataFile(QStringLiteral("exec/plugin.sh"));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(content) == content.size();
}

using Env = QList<std::pair<QString, QString>>;

ExecConfig pluginExec(const Env &env = {}, const QStringList &args = {})
{
    ExecConfig exec;
    exec.apiVersion = kV1;
    exec.command = plugin();
    exec.args = args;
    exec.env = env;
    exec.installHint = kHint;
    exec.interactiveMode = ExecConfig::InteractiveMode::Never;
    return exec;
}

ClusterConfig configWith(std::optional<ExecConfig> exec)
{
    ClusterConfig config;
    config.contextName = QStringLiteral("test");
    config.cluster.name = QStringLiteral("test-cluster");
    config.cluster.server = QUrl(QStringLiteral("https://10.9.0.1:6443"));
    config.user.name = QStringLiteral("tester");
    config.user.definedIn = QStringLiteral("/home/me/.kube/config");
    config.user.exec = std::move(exec);
    return config;
}

using Outcome = std::shared_ptr<std::optional<Result<Credential>>>;

// Starts acquire() and waits (processing events) until done has been called.
Outcome acquireAndWait(CredentialProvider &provider, int timeoutMs = 20000)
{
    auto outcome = std::make_shared<std::optional<Result<Credential>>>();
    provider.acquire([outcome](Result<Credential> result) { *outcome = std::move(result); });
    // A timeout shows up as an empty outcome in the caller's checks.
    (void)QTest::qWaitFor([outcome] { return outcome->has_value(); }, timeoutMs);
    return outcome;
}

QString messageOf(const Outcome &outcome)
{
    if (!outcome->has_value())
        return QStringLiteral("(no answer)");
    return (*outcome)->ok() ? QStringLiteral("(ok)") : (*outcome)->error().message;
}

// Everything that passes through qDebug/qWarning while a test runs.
QStringList *g_captured = nullptr;
QtMessageHandler g_previousHandler = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (g_captured)
        g_captured->append(message);
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

} // namespace

class TestCredentials : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_record;

    QString recorded(const QString &name) const { return m_record->filePath(name); }

    int runs() const { return readAll(recorded(QStringLiteral("count"))).trimmed().toInt(); }

private slots:
    void initTestCase() { QVERIFY2(QFileInfo(plugin()).isExecutable(), qPrintable(plugin())); }

    void init()
    {
        m_record = std::make_unique<QTemporaryDir>();
        QVERIFY(m_record->isValid());
        // Inherited from this process: the plugin records into this folder.
        qputenv("ROLLSCOPE_EXEC_RECORD", m_record->path().toLocal8Bit());
        // Exec credentials are cached per process; every test starts without them.
        CredentialProvider::clearExecCache();
    }

    void cleanup()
    {
        qunsetenv("ROLLSCOPE_EXEC_RECORD");
        m_record.reset();
    }

    void execInfoShapes_data()
    {
        QTest::addColumn<QString>("apiVersion");
        QTest::addColumn<bool>("provideClusterInfo");
        QTest::addColumn<bool>("insecure");
        QTest::addColumn<QJsonObject>("expectedSpec");

        const QByteArray caPem = readAll(dataFile(QStringLiteral("kubeconfig/certs/ca.crt")));
        QJsonObject cluster{
            {QStringLiteral("server"), QStringLiteral("https://10.9.0.1:6443")},
            {QStringLiteral("tls-server-name"), QStringLiteral("api.internal")},
            {QStringLiteral("certificate-authority-data"), QString::fromLatin1(caPem.toBase64())},
            {QStringLiteral("proxy-url"), QStringLiteral("socks5://127.0.0.1:1080")},
            {QStringLiteral("disable-compression"), true},
            {QStringLiteral("config"), QJsonValue(QJsonValue::Null)}};
        QTest::newRow("v1 with cluster info") << kV1 << true << false
                                              << QJsonObject{{QStringLiteral("interactive"), false},
                                                             {QStringLiteral("cluster"), cluster}};

        QJsonObject insecureCluster = cluster;
        insecureCluster.remove(QStringLiteral("certificate-authority-data"));
        insecureCluster.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        insecureCluster.insert(QStringLiteral("config"),
                               QJsonObject{{QStringLiteral("audience"), QStringLiteral("sim")}});
        QTest::newRow("v1beta1 with cluster info, insecure, extension")
            << kV1beta1 << true << true
            << QJsonObject{{QStringLiteral("interactive"), false},
                           {QStringLiteral("cluster"), insecureCluster}};
        QTest::newRow("v1beta1 without cluster info")
            << kV1beta1 << false << false << QJsonObject{{QStringLiteral("interactive"), false}};
        QTest::newRow("v1 without cluster info")
            << kV1 << false << false << QJsonObject{{QStringLiteral("interactive"), false}};
    }

    void execInfoShapes()
    {
        QFETCH(QString, apiVersion);
        QFETCH(bool, provideClusterInfo);
        QFETCH(bool, insecure);
        QFETCH(QJsonObject, expectedSpec);

        ExecConfig exec = pluginExec({{QStringLiteral("PLUGIN_API_VERSION"), apiVersion}});
        exec.apiVersion = apiVersion;
        exec.provideClusterInfo = provideClusterInfo;
        ClusterConfig config = configWith(exec);
        config.cluster.tlsServerName = QStringLiteral("api.internal");
        config.cluster.proxyUrl = QUrl(QStringLiteral("socks5://127.0.0.1:1080"));
        config.cluster.disableCompression = true;
        if (insecure) {
            config.cluster.insecureSkipTlsVerify = true;
            config.cluster.execExtension =
                QJsonObject{{QStringLiteral("audience"), QStringLiteral("sim")}};
        } else {
            config.cluster.caPem = readAll(dataFile(QStringLiteral("kubeconfig/certs/ca.crt")));
        }

        CredentialProvider provider(config);
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY2(outcome->has_value() && (*outcome)->ok(), qPrintable(messageOf(outcome)));

        const QJsonObject info =
            QJsonDocument::fromJson(readAll(recorded(QStringLiteral("exec-info.json")))).object();
        QCOMPARE(info.value(QStringLiteral("apiVersion")).toString(), apiVersion);
        QCOMPARE(info.value(QStringLiteral("kind")).toString(), QStringLiteral("ExecCredential"));
        QCOMPARE(info.value(QStringLiteral("spec")).toObject(), expectedSpec);
        QVERIFY(!info.contains(QStringLiteral("status")));
    }

    void envIsAppendedAndArgsAreVerbatim()
    {
        qputenv("ROLLSCOPE_PARENT_MARKER", "from-parent");
        qputenv("ROLLSCOPE_OVERRIDDEN", "parent-value");
        const QString marker = recorded(QStringLiteral("pwned"));
        // If any of these went through a shell, the marker file would appear or words would split.
        const QStringList args{QStringLiteral("--flag"),
                               QStringLiteral("two words"),
                               QStringLiteral("$(rm -rf)"),
                               QStringLiteral("$(touch %1)").arg(marker),
                               QStringLiteral("`touch %1`; echo hi").arg(marker),
                               QStringLiteral("*"),
                               QString(),
                               QStringLiteral("multi\nline")};
        CredentialProvider provider(configWith(
            pluginExec({{QStringLiteral("DEMO_ENV"), QStringLiteral("hello world")},
                        {QStringLiteral("ROLLSCOPE_OVERRIDDEN"), QStringLiteral("plugin-value")}},
                       args)));
        const Outcome outcome = acquireAndWait(provider);
        qunsetenv("ROLLSCOPE_PARENT_MARKER");
        qunsetenv("ROLLSCOPE_OVERRIDDEN");
        QVERIFY2(outcome->has_value() && (*outcome)->ok(), qPrintable(messageOf(outcome)));

        QByteArray rawArgs = readAll(recorded(QStringLiteral("args")));
        QVERIFY(rawArgs.endsWith('\0'));
        rawArgs.chop(1);
        QStringList got;
        for (const QByteArray &arg : rawArgs.split('\0'))
            got.append(QString::fromUtf8(arg));
        QCOMPARE(got, args);
        QVERIFY(!QFileInfo::exists(marker));

        const QStringList env =
            QString::fromUtf8(readAll(recorded(QStringLiteral("env")))).split(u'\n');
        QVERIFY(env.contains(QStringLiteral("DEMO_ENV=hello world")));
        QVERIFY(env.contains(QStringLiteral("ROLLSCOPE_PARENT_MARKER=from-parent")));
        QVERIFY(env.contains(QStringLiteral("ROLLSCOPE_OVERRIDDEN=plugin-value")));
        QVERIFY(!env.contains(QStringLiteral("ROLLSCOPE_OVERRIDDEN=parent-value")));
    }

    void pluginFailures_data()
    {
        QTest::addColumn<Env>("env");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("mentions");

        const auto mode = [](const char *m) {
            return std::pair{QStringLiteral("PLUGIN_MODE"), QString::fromLatin1(m)};
        };
        // The plugin echoes an env value here, so the message shows it as <redacted>.
        QTest::newRow("apiVersion mismatch")
            << Env{{QStringLiteral("PLUGIN_API_VERSION"), kV1beta1}} << int(Error::Kind::Protocol)
            << QStringList{QStringLiteral("returned apiVersion \"<redacted>\""),
                           QStringLiteral("asks for \"%1\"").arg(kV1)};
        QTest::newRow("missing status") << Env{mode("no-status")} << int(Error::Kind::Protocol)
                                        << QStringList{QStringLiteral("has no status")};
        QTest::newRow("not JSON") << Env{mode("not-json")} << int(Error::Kind::Protocol)
                                  << QStringList{QStringLiteral("not JSON")};
        QTest::newRow("invalid expirationTimestamp")
            << Env{{QStringLiteral("PLUGIN_EXPIRY"), QStringLiteral("tomorrow")}}
            << int(Error::Kind::Protocol) << QStringList{QStringLiteral("not an RFC 3339 time")};
        QTest::newRow("non-zero exit shows stderr and installHint")
            << Env{mode("fail")} << int(Error::Kind::Config)
            << QStringList{QStringLiteral("failed with exit code 3"),
                           QStringLiteral("error: could not get a token: the session expired"),
                           kHint};
        QTest::newRow("stderr is bounded, its end kept")
            << Env{mode("noisy")} << int(Error::Kind::Config)
            << QStringList{QStringLiteral("the real reason is at the end"), kHint};
    }

    void pluginFailures()
    {
        QFETCH(Env, env);
        QFETCH(int, kind);
        QFETCH(QStringList, mentions);

        CredentialProvider provider(configWith(pluginExec(env)));
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value());
        QVERIFY(!(*outcome)->ok());
        const Error &error = (*outcome)->error();
        QCOMPARE(int(error.kind), kind);
        for (const QString &mention : mentions)
            QVERIFY2(error.message.contains(mention), qPrintable(error.message));
        QVERIFY2(error.message.size() < 4096 + 512,
                 qPrintable(QString::number(error.message.size())));
        QCOMPARE(runs(), 1);
    }

    void commandNotFound_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("mention");
        QTest::newRow("bare name not in PATH")
            << QStringLiteral("rollscope-no-such-plugin") << QStringLiteral("not found in PATH");
        QTest::newRow("path that does not exist")
            << dataFile(QStringLiteral("exec/no-such-plugin.sh"))
            << QStringLiteral("does not exist");
        QTest::newRow("folder") << dataFile(QStringLiteral("exec"))
                                << QStringLiteral("is a folder");
    }

    void commandNotFound()
    {
        QFETCH(QString, command);
        QFETCH(QString, mention);
        ExecConfig exec = pluginExec();
        exec.command = command;
        CredentialProvider provider(configWith(exec));
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && !(*outcome)->ok());
        const QString message = (*outcome)->error().message;
        QVERIFY2(message.contains(mention), qPrintable(message));
        QVERIFY2(message.contains(command), qPrintable(message));
        QVERIFY2(message.contains(kHint), qPrintable(message));
    }

    void bareCommandIsLookedUpInPath()
    {
        const QByteArray path = qgetenv("PATH");
        qputenv("PATH", QFile::encodeName(dataFile(QStringLiteral("exec"))) + ':' + path);
        ExecConfig exec = pluginExec();
        exec.command = QStringLiteral("plugin.sh");
        CredentialProvider provider(configWith(exec));
        const Outcome outcome = acquireAndWait(provider);
        qputenv("PATH", path);
        QVERIFY2(outcome->has_value() && (*outcome)->ok(), qPrintable(messageOf(outcome)));
        QCOMPARE((*outcome)->value().token, QStringLiteral("exec-token"));
    }

    void relativePathEntriesAreIgnored()
    {
        // "." in PATH must not make a bare command run a program from the working directory.
        const QByteArray path = qgetenv("PATH");
        const QString previous = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dataFile(QStringLiteral("exec"))));
        qputenv("PATH", ".:" + path);
        ExecConfig exec = pluginExec();
        exec.command = QStringLiteral("plugin.sh");
        CredentialProvider provider(configWith(exec));
        const Outcome outcome = acquireAndWait(provider);
        qputenv("PATH", path);
        QDir::setCurrent(previous);
        QVERIFY(outcome->has_value() && !(*outcome)->ok());
        QVERIFY2((*outcome)->error().message.contains(QStringLiteral("not found in PATH")),
                 qPrintable(messageOf(outcome)));
        QCOMPARE(runs(), 0);
    }

    void interactiveAlwaysIsRefused()
    {
        ExecConfig exec = pluginExec();
        exec.interactiveMode = ExecConfig::InteractiveMode::Always;
        CredentialProvider provider(configWith(exec));
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && !(*outcome)->ok());
        QVERIFY2(
            (*outcome)->error().message.contains(QStringLiteral("needs an interactive terminal")),
            qPrintable(messageOf(outcome)));
        QCOMPARE(runs(), 0);
    }

    void ifAvailableRunsWithoutTerminal()
    {
        ExecConfig exec = pluginExec();
        exec.interactiveMode = ExecConfig::InteractiveMode::IfAvailable;
        CredentialProvider provider(configWith(exec));
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY2(outcome->has_value() && (*outcome)->ok(), qPrintable(messageOf(outcome)));
        const QJsonObject info =
            QJsonDocument::fromJson(readAll(recorded(QStringLiteral("exec-info.json")))).object();
        QCOMPARE(info.value(QStringLiteral("spec")).toObject().value(QStringLiteral("interactive")),
                 QJsonValue(false));
    }

    void timeoutStopsThePlugin()
    {
        CredentialProvider provider(
            configWith(pluginExec({{QStringLiteral("PLUGIN_MODE"), QStringLiteral("sleep")}})));
        provider.setExecTimeout(std::chrono::milliseconds(300));
        QSignalSpy running(&provider, &CredentialProvider::execRunningChanged);
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && !(*outcome)->ok());
        QCOMPARE((*outcome)->error().kind, Error::Kind::Timeout);
        QVERIFY2(
            (*outcome)->error().message.contains(QStringLiteral("did not finish within 0.3 s")),
            qPrintable(messageOf(outcome)));
        QCOMPARE(running.size(), 2);
        QCOMPARE(running.at(1).at(0).toBool(), false);
    }

    void cachesUntilExpiry_data()
    {
        QTest::addColumn<QString>("expiry");
        QTest::addColumn<int>("expectedRuns");
        QTest::newRow("no expiry: kept for the process") << QString() << 1;
        QTest::newRow("future expiry") << QStringLiteral("2999-01-01T00:00:00Z") << 1;
        QTest::newRow("fractional seconds and offset")
            << QStringLiteral("2999-01-01T02:00:00.123+02:00") << 1;
        QTest::newRow("past expiry: every acquire runs it")
            << QStringLiteral("2001-01-01T00:00:00Z") << 3;
    }

    void cachesUntilExpiry()
    {
        QFETCH(QString, expiry);
        QFETCH(int, expectedRuns);
        Env env;
        if (!expiry.isEmpty())
            env.append({QStringLiteral("PLUGIN_EXPIRY"), expiry});
        CredentialProvider provider(configWith(pluginExec(env)));
        Outcome last;
        for (int i = 0; i < 3; ++i) {
            last = acquireAndWait(provider);
            QVERIFY2(last->has_value() && (*last)->ok(), qPrintable(messageOf(last)));
        }
        QCOMPARE(runs(), expectedRuns);
        const Credential credential = (*last)->value();
        QCOMPARE(credential.kind, Credential::Kind::Bearer);
        QCOMPARE(credential.expiry.isValid(), !expiry.isEmpty());
        if (!expiry.isEmpty())
            QCOMPARE(credential.expiry, QDateTime::fromString(expiry, Qt::ISODateWithMs));
    }

    void invalidateRunsThePluginAgainOncePerCredential()
    {
        CredentialProvider provider(configWith(pluginExec()));
        const Outcome first = acquireAndWait(provider);
        QVERIFY(first->has_value() && (*first)->ok());
        const Credential used = (*first)->value();
        QCOMPARE(runs(), 1);

        QVERIFY(provider.invalidate(used));
        const Outcome second = acquireAndWait(provider);
        QVERIFY(second->has_value() && (*second)->ok());
        QCOMPARE(runs(), 2);
        QVERIFY((*second)->value().serial != used.serial);

        // A late 401 for the old credential must not drop the new one.
        QVERIFY(provider.invalidate(used));
        const Outcome third = acquireAndWait(provider);
        QVERIFY(third->has_value() && (*third)->ok());
        QCOMPARE(runs(), 2);
        QCOMPARE((*third)->value().serial, (*second)->value().serial);
    }

    void cacheIsSharedAcrossProviders()
    {
        const ClusterConfig config = configWith(pluginExec());
        {
            CredentialProvider first(config);
            const Outcome outcome = acquireAndWait(first);
            QVERIFY(outcome->has_value() && (*outcome)->ok());
        }
        CredentialProvider second(config);
        const Outcome outcome = acquireAndWait(second);
        QVERIFY(outcome->has_value() && (*outcome)->ok());
        QCOMPARE(runs(), 1);

        // Another cluster is another cache entry, even with the same plugin.
        ExecConfig exec = pluginExec();
        exec.provideClusterInfo = true;
        ClusterConfig other = configWith(exec);
        CredentialProvider third(other);
        QVERIFY((*acquireAndWait(third))->ok());
        other.cluster.server = QUrl(QStringLiteral("https://10.9.0.2:6443"));
        CredentialProvider fourth(other);
        QVERIFY((*acquireAndWait(fourth))->ok());
        QCOMPARE(runs(), 3);

        CredentialProvider::clearExecCache();
        CredentialProvider fifth(config);
        QVERIFY((*acquireAndWait(fifth))->ok());
        QCOMPARE(runs(), 4);
    }

    void destroyingAProviderWhileItsPluginRuns()
    {
        auto called = std::make_shared<bool>(false);
        {
            CredentialProvider provider(
                configWith(pluginExec({{QStringLiteral("PLUGIN_MODE"), QStringLiteral("sleep")}})));
            provider.acquire([called](Result<Credential>) { *called = true; });
            QTRY_COMPARE_WITH_TIMEOUT(runs(), 1, 20000); // the plugin is running
        }
        QVERIFY(!*called);
    }

    void concurrentAcquiresShareOneRun()
    {
        CredentialProvider provider(configWith(pluginExec()));
        QSignalSpy running(&provider, &CredentialProvider::execRunningChanged);
        QList<Outcome> outcomes;
        for (int i = 0; i < 3; ++i) {
            auto outcome = std::make_shared<std::optional<Result<Credential>>>();
            provider.acquire([outcome](Result<Credential> r) { *outcome = std::move(r); });
            outcomes.append(outcome);
        }
        QVERIFY(!outcomes.first()->has_value()); // asynchronous: the plugin has not run yet
        QTRY_VERIFY_WITH_TIMEOUT(outcomes.last()->has_value(), 20000);
        for (const Outcome &outcome : std::as_const(outcomes)) {
            QVERIFY(outcome->has_value() && (*outcome)->ok());
            QCOMPARE((*outcome)->value().serial, (*outcomes.first())->value().serial);
        }
        QCOMPARE(runs(), 1);
        QCOMPARE(running.size(), 2);
    }

    void certificateCredentialFromExec()
    {
        CredentialProvider provider(configWith(
            pluginExec({{QStringLiteral("PLUGIN_MODE"), QStringLiteral("cert")},
                        {QStringLiteral("PLUGIN_CERT"),
                         dataFile(QStringLiteral("kubeconfig/certs/exec-client.crt"))},
                        {QStringLiteral("PLUGIN_KEY"),
                         dataFile(QStringLiteral("kubeconfig/certs/exec-client.key"))}})));
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY2(outcome->has_value() && (*outcome)->ok(), qPrintable(messageOf(outcome)));
        const Credential credential = (*outcome)->value();
        QCOMPARE(credential.kind, Credential::Kind::ClientCertificate);
        QCOMPARE(credential.certificate.subjectInfo(QSslCertificate::CommonName).value(0),
                 QStringLiteral("rollscope-exec-user"));
        QCOMPARE(credential.key.algorithm(), QSsl::Ec);

        QNetworkRequest request(QUrl(QStringLiteral("https://10.9.0.1:6443/api")));
        CredentialProvider::apply(credential, provider.config().user, request);
        QVERIFY(!request.hasRawHeader("Authorization"));
        QCOMPARE(request.sslConfiguration().localCertificate(), credential.certificate);
        QCOMPARE(request.sslConfiguration().privateKey(), credential.key);
    }

    void tokenFileIsReadAgain()
    {
        const QString tokenFile = recorded(QStringLiteral("token"));
        QVERIFY(writeFile(tokenFile, "first-token\n"));
        ClusterConfig config = configWith(std::nullopt);
        config.user.tokenFile = tokenFile;

        CredentialProvider provider(config);
        Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && (*outcome)->ok());
        const Credential first = (*outcome)->value();
        QCOMPARE(first.kind, Credential::Kind::Bearer);
        QCOMPARE(first.token, QStringLiteral("first-token"));

        QVERIFY(writeFile(tokenFile, "second-token\n"));
        outcome = acquireAndWait(provider);
        QCOMPARE((*outcome)->value().token, QStringLiteral("first-token")); // within the minute

        QVERIFY(provider.invalidate(first));
        outcome = acquireAndWait(provider);
        QCOMPARE((*outcome)->value().token, QStringLiteral("second-token"));
        QVERIFY((*outcome)->value().serial != first.serial);

        // With the period over, the file is read again without a 401.
        provider.setTokenFileRefreshInterval(std::chrono::milliseconds(0));
        QVERIFY(writeFile(tokenFile, "third-token"));
        outcome = acquireAndWait(provider);
        QCOMPARE((*outcome)->value().token, QStringLiteral("third-token"));

        // A file that disappears keeps the last good token, with a warning naming the file.
        QVERIFY(QFile::remove(tokenFile));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QRegularExpression::escape(tokenFile) +
                                                QStringLiteral(".*keeping the previous token")));
        outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && (*outcome)->ok());
        QCOMPARE((*outcome)->value().token, QStringLiteral("third-token"));
    }

    void tokenFileMustBeARegularFile_data()
    {
        QTest::addColumn<QString>("path"); // "fifo" and "oversize" are made by the test
        QTest::addColumn<QString>("mention");

        const QString device = QStringLiteral("it is a device, not a regular file");
        QTest::newRow("/dev/zero") << QStringLiteral("/dev/zero") << device;
        QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom") << device;
        QTest::newRow("a FIFO nobody writes to")
            << QStringLiteral("fifo") << QStringLiteral("FIFO (named pipe)");
        QTest::newRow("a regular file over the limit")
            << QStringLiteral("oversize") << QStringLiteral("larger than 1 MiB");
    }

    void tokenFileMustBeARegularFile()
    {
        QFETCH(QString, path);
        QFETCH(QString, mention);
        QString file = path;
        if (path == QLatin1StringView("fifo")) {
            file = recorded(path);
            QCOMPARE(::mkfifo(QFile::encodeName(file).constData(), 0600), 0);
        } else if (path == QLatin1StringView("oversize")) {
            file = recorded(path);
            QVERIFY(writeFile(file, QByteArray(kMaxReferencedFileBytes + 1, 'a')));
        }
        ClusterConfig config = configWith(std::nullopt);
        config.user.tokenFile = file;
        CredentialProvider provider(config);
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value());
        QVERIFY(!(*outcome)->ok());
        const QString message = (*outcome)->error().message;
        QVERIFY2(message.contains(file) && message.contains(mention), qPrintable(message));
    }

    void oversizeTokenFileKeepsThePreviousToken()
    {
        // Reading only the first 64 KiB used to turn an oversize file into a wrong token.
        const QString tokenFile = recorded(QStringLiteral("token"));
        QVERIFY(writeFile(tokenFile, "good-token\n"));
        ClusterConfig config = configWith(std::nullopt);
        config.user.tokenFile = tokenFile;
        CredentialProvider provider(config);
        Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && (*outcome)->ok());
        QCOMPARE((*outcome)->value().token, QStringLiteral("good-token"));

        QVERIFY(writeFile(tokenFile, QByteArray(kMaxReferencedFileBytes + 1, 'a')));
        provider.setTokenFileRefreshInterval(std::chrono::milliseconds(0));
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(QStringLiteral("larger than 1 MiB.*keeping the "
                                                               "previous token")));
        outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && (*outcome)->ok());
        QCOMPARE((*outcome)->value().token, QStringLiteral("good-token"));
    }

    void tokenAndTokenFileStartWithToken()
    {
        const QString tokenFile = recorded(QStringLiteral("token"));
        QVERIFY(writeFile(tokenFile, "file-token"));
        ClusterConfig config = configWith(std::nullopt);
        config.user.token = QStringLiteral("inline-token");
        config.user.tokenFile = tokenFile;
        CredentialProvider provider(config);
        Outcome outcome = acquireAndWait(provider);
        QCOMPARE((*outcome)->value().token, QStringLiteral("inline-token"));
        QVERIFY(provider.invalidate((*outcome)->value()));
        outcome = acquireAndWait(provider);
        QCOMPARE((*outcome)->value().token, QStringLiteral("file-token"));
    }

    void staticCredentials_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("context");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<bool>("hasCertificate");

        QTest::newRow("token") << QStringLiteral("token.yaml") << QString()
                               << int(Credential::Kind::Bearer)
                               << QByteArray("Bearer static-token-1") << false;
        QTest::newRow("basic") << QStringLiteral("basic.yaml") << QString()
                               << int(Credential::Kind::Basic)
                               << QByteArray("Basic " + QByteArray("admin:s3cret-pw").toBase64())
                               << false;
        QTest::newRow("oidc id-token")
            << QStringLiteral("oidc.yaml") << QStringLiteral("oidc")
            << int(Credential::Kind::Bearer)
            << QByteArray("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl") << false;
        QTest::newRow("client certificate")
            << QStringLiteral("kind.yaml") << QString() << int(Credential::Kind::ClientCertificate)
            << QByteArray() << true;
        QTest::newRow("anonymous")
            << QStringLiteral("namespaces.yaml") << QStringLiteral("with-namespace")
            << int(Credential::Kind::None) << QByteArray() << false;
    }

    void staticCredentials()
    {
        QFETCH(QString, file);
        QFETCH(QString, context);
        QFETCH(int, kind);
        QFETCH(QByteArray, authorization);
        QFETCH(bool, hasCertificate);

        Kubeconfig::LoadOptions options;
        options.explicitPath = dataFile(QStringLiteral("kubeconfig/") + file);
        const auto kubeconfig = Kubeconfig::load(options);
        QVERIFY(kubeconfig.ok());
        const auto config = kubeconfig->resolve(context);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));

        CredentialProvider provider(*config);
        std::optional<Result<Credential>> outcome;
        provider.acquire([&outcome](Result<Credential> r) { outcome = std::move(r); });
        QVERIFY(outcome.has_value()); // static credentials answer synchronously
        QVERIFY(outcome->ok());
        const Credential credential = outcome->value();
        QCOMPARE(int(credential.kind), kind);
        QCOMPARE(!credential.certificate.isNull(), hasCertificate);
        QVERIFY(!provider.invalidate(credential)); // a retry cannot help

        QNetworkRequest request(QUrl(QStringLiteral("https://10.0.0.1:6443/api")));
        CredentialProvider::apply(credential, config->user, request);
        QCOMPARE(request.rawHeader("Authorization"), authorization);
        QCOMPARE(request.sslConfiguration().localCertificate().isNull(), !hasCertificate);
    }

    void applySetsImpersonationHeaders()
    {
        Kubeconfig::LoadOptions options;
        options.explicitPath = dataFile(QStringLiteral("kubeconfig/impersonation.yaml"));
        const auto kubeconfig = Kubeconfig::load(options);
        QVERIFY(kubeconfig.ok());
        const auto config = kubeconfig->resolve();
        QVERIFY(config.ok());
        CredentialProvider provider(*config);
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && (*outcome)->ok());

        QNetworkRequest request(QUrl(QStringLiteral("https://k8s.example.com/api")));
        CredentialProvider::apply((*outcome)->value(), config->user, request);
        QCOMPARE(request.rawHeader("Authorization"), QByteArray("Bearer admin-token"));
        QCOMPARE(request.rawHeader("Impersonate-User"), QByteArray("jane"));
        QCOMPARE(request.rawHeader("Impersonate-Uid"), QByteArray("1234"));
        QCOMPARE(request.rawHeader("Impersonate-Group"), QByteArray("developers"));
        QCOMPARE(request.rawHeader("Impersonate-Extra-reason"), QByteArray("on-call"));

        // An Authorization header already present wins (kubectl bypasses the plugin then).
        QNetworkRequest preset(QUrl(QStringLiteral("https://k8s.example.com/api")));
        preset.setRawHeader("Authorization", "Bearer explicit");
        CredentialProvider::apply((*outcome)->value(), config->user, preset);
        QCOMPARE(preset.rawHeader("Authorization"), QByteArray("Bearer explicit"));

        // Never over plain http.
        QNetworkRequest plain(QUrl(QStringLiteral("http://k8s.example.com/api")));
        CredentialProvider::apply((*outcome)->value(), config->user, plain);
        QVERIFY(plain.rawHeaderList().isEmpty());
    }

    void execFromKubeconfig()
    {
        // The relative command resolves against the kubeconfig's folder; the CA file's content
        // reaches the plugin inline.
        Kubeconfig::LoadOptions options;
        options.explicitPath = dataFile(QStringLiteral("kubeconfig/exec-plugin.yaml"));
        const auto kubeconfig = Kubeconfig::load(options);
        QVERIFY(kubeconfig.ok());
        const auto config = kubeconfig->resolve();
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->user.exec->command, plugin());
        CredentialProvider provider(*config);
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY2(outcome->has_value() && (*outcome)->ok(), qPrintable(messageOf(outcome)));

        const QJsonObject cluster =
            QJsonDocument::fromJson(readAll(recorded(QStringLiteral("exec-info.json"))))
                .object()
                .value(QStringLiteral("spec"))
                .toObject()
                .value(QStringLiteral("cluster"))
                .toObject();
        QCOMPARE(cluster.value(QStringLiteral("server")).toString(),
                 QStringLiteral("https://10.0.7.1:6443"));
        QCOMPARE(cluster.value(QStringLiteral("tls-server-name")).toString(),
                 QStringLiteral("api.exec.internal"));
        QCOMPARE(
            QByteArray::fromBase64(
                cluster.value(QStringLiteral("certificate-authority-data")).toString().toLatin1()),
            readAll(dataFile(QStringLiteral("kubeconfig/certs/ca.crt"))));
        const QStringList env =
            QString::fromUtf8(readAll(recorded(QStringLiteral("env")))).split(u'\n');
        QVERIFY(env.contains(QStringLiteral("DEMO_ENV=from-kubeconfig")));
    }

    void approvalDeniedDoesNotRun()
    {
        const ExecConfig exec =
            pluginExec({{QStringLiteral("SECRET_ENV"), QStringLiteral("do-not-show-me")}},
                       {QStringLiteral("get-token")});
        CredentialProvider provider(configWith(exec));
        QList<ExecApprovalRequest> requests;
        provider.setApprovalHandler(
            [&requests](const ExecApprovalRequest &request, ExecApprovalReply reply) {
                requests.append(request);
                reply(false);
                reply(true); // ignored: the first answer counts
            });
        const Outcome outcome = acquireAndWait(provider);
        QVERIFY(outcome->has_value() && !(*outcome)->ok());
        QCOMPARE((*outcome)->error().kind, Error::Kind::Cancelled);
        QVERIFY2((*outcome)->error().message.contains(QStringLiteral("declined")),
                 qPrintable(messageOf(outcome)));
        QCOMPARE(runs(), 0);

        QCOMPARE(requests.size(), 1);
        const ExecApprovalRequest &request = requests.first();
        QCOMPARE(request.kubeconfigFile, QStringLiteral("/home/me/.kube/config"));
        QCOMPARE(request.userName, QStringLiteral("tester"));
        QCOMPARE(request.command, plugin());
        QCOMPARE(request.args, QStringList{QStringLiteral("get-token")});
        QCOMPARE(request.envNames, QStringList{QStringLiteral("SECRET_ENV")});
        QCOMPARE(request.installHint, kHint);
        QCOMPARE(request.fingerprint,
                 ExecConsent::fingerprint(QStringLiteral("/home/me/.kube/config"),
                                          QStringLiteral("tester"), exec));
    }

    void approvalGrantedLaterRunsOnce()
    {
        CredentialProvider provider(configWith(pluginExec()));
        int asked = 0;
        ExecApprovalReply pending;
        provider.setApprovalHandler(
            [&asked, &pending](const ExecApprovalRequest &, ExecApprovalReply reply) {
                ++asked;
                pending = std::move(reply);
            });
        auto first = std::make_shared<std::optional<Result<Credential>>>();
        auto second = std::make_shared<std::optional<Result<Credential>>>();
        provider.acquire([first](Result<Credential> r) { *first = std::move(r); });
        provider.acquire([second](Result<Credential> r) { *second = std::move(r); });
        QCOMPARE(asked, 1);
        QVERIFY(!first->has_value());
        QCOMPARE(runs(), 0); // nothing runs before the answer
        pending(true);
        QTRY_VERIFY_WITH_TIMEOUT(second->has_value(), 20000);
        QVERIFY(first->has_value() && (*first)->ok() && (*second)->ok());
        QCOMPARE(runs(), 1);

        // Approved once per provider: a later run after a 401 does not ask again.
        QVERIFY(provider.invalidate((*first)->value()));
        const Outcome third = acquireAndWait(provider);
        QVERIFY(third->has_value() && (*third)->ok());
        QCOMPARE(asked, 1);
        QCOMPARE(runs(), 2);
    }

    void replyAfterProviderIsGoneIsHarmless()
    {
        ExecApprovalReply pending;
        bool called = false;
        {
            CredentialProvider provider(configWith(pluginExec()));
            provider.setApprovalHandler(
                [&pending](const ExecApprovalRequest &, ExecApprovalReply reply) {
                    pending = std::move(reply);
                });
            provider.acquire([&called](Result<Credential>) { called = true; });
        }
        pending(true);
        QVERIFY(!called);
        QCOMPARE(runs(), 0);
    }

    void consentFingerprint()
    {
        const QString file = QStringLiteral("/home/me/.kube/config");
        const QString user = QStringLiteral("dev");
        const ExecConfig base =
            pluginExec({{QStringLiteral("AWS_PROFILE"), QStringLiteral("CANARY-ENV-VALUE")}},
                       {QStringLiteral("eks"), QStringLiteral("get-token")});
        const QString fingerprint = ExecConsent::fingerprint(file, user, base);
        QCOMPARE(fingerprint.size(), 64);
        QVERIFY(!fingerprint.contains(QStringLiteral("CANARY")));
        QCOMPARE(ExecConsent::fingerprint(file, user, base), fingerprint);

        ExecConfig otherArgs = base;
        otherArgs.args.append(QStringLiteral("--debug"));
        ExecConfig otherEnvValue = base;
        otherEnvValue.env[0].second = QStringLiteral("other-profile");
        ExecConfig otherEnvName = base;
        otherEnvName.env[0].first = QStringLiteral("AWS_DEFAULT_PROFILE");
        ExecConfig otherCommand = base;
        otherCommand.command = QStringLiteral("/usr/bin/aws");
        ExecConfig shiftedArgs = base; // ("eks", "get-token") vs ("eksget-", "token")
        shiftedArgs.args = {QStringLiteral("eksget-"), QStringLiteral("token")};
        const QStringList others{
            ExecConsent::fingerprint(file, user, otherArgs),
            ExecConsent::fingerprint(file, user, otherEnvValue),
            ExecConsent::fingerprint(file, user, otherEnvName),
            ExecConsent::fingerprint(file, user, otherCommand),
            ExecConsent::fingerprint(file, user, shiftedArgs),
            ExecConsent::fingerprint(file, QStringLiteral("prod"), base),
            ExecConsent::fingerprint(QStringLiteral("/tmp/other-config"), user, base),
        };
        for (const QString &other : others)
            QVERIFY(other != fingerprint);

        QTemporaryDir dir;
        const QString iniPath = dir.filePath(QStringLiteral("consent.ini"));
        {
            QSettings settings(iniPath, QSettings::IniFormat);
            ExecConsentStore store(&settings);
            QVERIFY(!store.isApproved(fingerprint));
            store.approve(fingerprint);
            QVERIFY(store.isApproved(fingerprint));
            QVERIFY(!store.isApproved(others.first()));
            store.approve(QStringLiteral("CANARY-ENV-VALUE")); // not a fingerprint: ignored
            QVERIFY(!store.isApproved(QStringLiteral("CANARY-ENV-VALUE")));
        }
        {
            QSettings settings(iniPath, QSettings::IniFormat);
            ExecConsentStore store(&settings);
            QVERIFY(store.isApproved(fingerprint)); // persisted
            store.revoke(fingerprint);
            QVERIFY(!store.isApproved(fingerprint));
            store.approve(fingerprint);
        }
        const QByteArray stored = readAll(iniPath);
        QVERIFY(stored.contains(fingerprint.toLatin1()));
        QVERIFY(!stored.contains("CANARY"));
    }

    void redactHeaderValue_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bearer") << QStringLiteral("Authorization")
                                << QStringLiteral("Bearer CANARY-TOKEN-4711")
                                << QStringLiteral("Bearer <masked>");
        QTest::newRow("basic, lower-case name")
            << QStringLiteral("authorization") << QStringLiteral("Basic YWRtaW46cHc=")
            << QStringLiteral("Basic <masked>");
        QTest::newRow("no scheme")
            << QStringLiteral("Authorization") << QStringLiteral("CANARY-TOKEN-4711")
            << QStringLiteral("<masked>");
        QTest::newRow("proxy") << QStringLiteral("Proxy-Authorization")
                               << QStringLiteral("Basic cHJveHk6cHc=")
                               << QStringLiteral("Basic <masked>");
        QTest::newRow("cookie") << QStringLiteral("Cookie") << QStringLiteral("session=abc")
                                << QStringLiteral("<masked>");
        QTest::newRow("other headers unchanged")
            << QStringLiteral("Impersonate-User") << QStringLiteral("jane")
            << QStringLiteral("jane");
    }

    void redactHeaderValue()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QCOMPARE(kube::redactHeaderValue(name, value), expected);
    }

    void canarySecretsNeverLeak()
    {
        const QStringList canaries{
            QStringLiteral("CANARY-TOKEN-4711"),
            QStringLiteral("CANARY-PASSWORD"),
            QStringLiteral("CANARY-ENV-VALUE"),
            QStringLiteral("CANARY-KEY-MATERIAL"),
            QString::fromLatin1(QByteArray("admin:CANARY-PASSWORD").toBase64()),
            QString::fromLatin1(
                QByteArray("-----BEGIN PRIVATE KEY-----\nCANARY-KEY-MATERIAL\n").toBase64()),
        };
        QStringList captured;
        g_captured = &captured;
        g_previousHandler = qInstallMessageHandler(capture);
        QLoggingCategory::setFilterRules(QStringLiteral("rollscope.*=true"));
        const auto restore = qScopeGuard([] {
            qInstallMessageHandler(g_previousHandler);
            g_captured = nullptr;
            QLoggingCategory::setFilterRules(QString());
        });

        QStringList produced; // every string meant for people or logs
        for (const char *malformed : {"canary-malformed.yaml", "canary-bad-data.yaml"}) {
            Kubeconfig::LoadOptions options;
            options.explicitPath =
                dataFile(QStringLiteral("kubeconfig/") + QLatin1StringView(malformed));
            const auto failed = Kubeconfig::load(options);
            QVERIFY(!failed.ok());
            produced << failed.error().message;
        }
        Kubeconfig::LoadOptions options;
        options.explicitPath = dataFile(QStringLiteral("kubeconfig/canary.yaml"));
        const auto kubeconfig = Kubeconfig::load(options);
        QVERIFY2(kubeconfig.ok(),
                 qPrintable(kubeconfig.ok() ? QString() : kubeconfig.error().message));
        int failures = 0;
        int credentials = 0;
        const QStringList contexts = kubeconfig->contextNames();
        for (const QString &context : contexts) {
            const auto config = kubeconfig->resolve(context);
            if (!config.ok()) {
                ++failures;
                produced << config.error().message;
                for (const ErrorCause &cause : config.error().causes)
                    produced << cause.message << cause.field;
                continue;
            }
            produced << config->warnings;
            const auto proxy = proxyFor(*config);
            if (!proxy.ok())
                produced << proxy.error().message;
            CredentialProvider provider(*config);
            const ExecApprovalRequest request = provider.approvalRequest();
            produced << request.command << request.args << request.envNames << request.installHint
                     << request.fingerprint;
            const Outcome outcome = acquireAndWait(provider);
            QVERIFY2(outcome->has_value(), qPrintable(context));
            if (!(*outcome)->ok()) {
                ++failures;
                produced << (*outcome)->error().message;
                continue;
            }
            ++credentials;
            const Credential credential = (*outcome)->value();
            qDebug() << credential; // captured below
            QNetworkRequest request2(QUrl(QStringLiteral("https://10.0.6.1:6443/api")));
            CredentialProvider::apply(credential, config->user, request2);
            const QList<QByteArray> headers = request2.rawHeaderList();
            for (const QByteArray &header : headers)
                produced << kube::redactHeaderValue(QString::fromLatin1(header),
                                                    QString::fromUtf8(request2.rawHeader(header)));
        }
        // The fixture exercises both paths; make sure it keeps doing so.
        QVERIFY2(failures >= 8, qPrintable(QString::number(failures)));
        QVERIFY2(credentials >= 2, qPrintable(QString::number(credentials)));
        QVERIFY(!captured.isEmpty());
        produced << captured;

        for (const QString &text : std::as_const(produced)) {
            for (const QString &canary : canaries)
                QVERIFY2(!text.contains(canary), qPrintable(text));
        }
        // The leaking plugin's output did reach the message, minus the secret.
        QVERIFY(produced.join(u'\n').contains(QStringLiteral("CANARY_SECRET=<redacted>")));
    }
};

ROLLSCOPE_TEST_MAIN(TestCredentials)
#include "tst_credentials.moc"
