// SPDX-License-Identifier: MIT
// No token, password, key or exec env value reaches a log line, an error message or -v output,
// at the highest verbosity, for every kind of credential. Canary values are searched for in
// everything the client printed and in every qDebug/qWarning message.
#include "cli/getcommand.h"
#include "kube/informer.h"
#include "simfixture.h"
#include "testmain.h"

#include <QFile>
#include <QLoggingCategory>
#include <QMutex>
#include <QSignalSpy>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 20000;

// Every message Qt logs while a test runs.
QMutex g_mutex;
QStringList g_messages;
QtMessageHandler g_previous = nullptr;

void capture(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        const QMutexLocker lock(&g_mutex);
        g_messages << message;
    }
    if (g_previous)
        g_previous(type, context, message);
}

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestSecretsSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_sim;

    Run get(const QString &kubeconfig, const QString &context, int verbosity = 9)
    {
        Run run;
        GetOptions options;
        options.kubeconfig = kubeconfig;
        options.context = context;
        options.allNamespaces = true;
        options.verbosity = verbosity;
        GetCommand command(
            options, [&run](const QString &t) { run.out += t; },
            [&run](const QString &t) { run.err += t; });
        command.start();
        if (!QTest::qWaitFor([&] { return command.exitCode() >= 0; }, kTimeout))
            return run;
        run.exitCode = command.exitCode();
        return run;
    }

    void verifyAbsent(const QString &text, const QStringList &secrets)
    {
        QStringList logged;
        {
            const QMutexLocker lock(&g_mutex);
            logged = g_messages;
        }
        const QString all = text + u'\n' + logged.join(u'\n');
        for (const QString &secret : secrets) {
            QVERIFY(!secret.isEmpty());
            QVERIFY2(!all.contains(secret),
                     qPrintable(QStringLiteral("a secret leaked: ...%1...").arg(secret.left(3))));
        }
    }

private slots:
    void initTestCase()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
        g_previous = qInstallMessageHandler(capture);
        // Let every category speak, Qt's network internals included.
        QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true\nqt.*.debug=true"));
    }
    void cleanupTestCase()
    {
        QLoggingCategory::setFilterRules(QString());
        qInstallMessageHandler(g_previous);
        m_sim.reset();
    }
    void init()
    {
        const QMutexLocker lock(&g_mutex);
        g_messages.clear();
        CredentialProvider::clearExecCache();
    }

    void tokenAtVerbosity9()
    {
        const Run run = get(m_sim->kubeconfigPath(), QStringLiteral("rollscope-sim-token"));
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QStringLiteral("demo-dp")));
        QVERIFY(run.err.contains(QStringLiteral("Authorization: Bearer <masked>")));
        QVERIFY(run.err.contains(QStringLiteral("Response Body:")));
        QVERIFY(run.err.contains(QStringLiteral("curl -v -XGET")));
        verifyAbsent(run.out + run.err, {m_sim->cluster()->adminToken()});
    }

    void clientCertificateAtVerbosity9()
    {
        const Run run = get(m_sim->kubeconfigPath(), QStringLiteral("rollscope-sim"));
        QCOMPARE(run.exitCode, 0);
        const QString all = run.out + run.err;
        QVERIFY(!all.contains(QStringLiteral("PRIVATE KEY")));
        QFile kubeconfig(m_sim->kubeconfigPath());
        QVERIFY(kubeconfig.open(QIODevice::ReadOnly));
        const QByteArray yaml = kubeconfig.readAll();
        const qsizetype at = yaml.indexOf("client-key-data: ");
        QVERIFY(at > 0);
        const QString keyData = QString::fromLatin1(yaml.mid(at + 17, 40));
        verifyAbsent(all, {keyData});
    }

    void execPluginAndItsEnvironmentAtVerbosity9()
    {
        const QString canaryEnv = QStringLiteral("canary-env-value-7c1f");
        const QString plugin = m_sim->writePlugin(m_sim->cluster()->adminToken());
        const QString path =
            m_sim->writeExecKubeconfig(plugin, QStringLiteral("CANARY_SECRET"), canaryEnv);
        const Run run = get(path, QStringLiteral("exec"));
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.out.contains(QStringLiteral("demo-dp")));
        QVERIFY(run.err.contains(QStringLiteral("Bearer <masked>")));
        verifyAbsent(run.out + run.err, {m_sim->cluster()->adminToken(), canaryEnv});
    }

    // A plugin that fails and prints its secrets to stderr: the error is scrubbed.
    void failingExecPluginIsScrubbed()
    {
        const QString canaryEnv = QStringLiteral("canary-env-value-9d2e");
        const QString path = m_sim->dir() + QStringLiteral("/leaky.sh");
        QFile script(path);
        QVERIFY(script.open(QIODevice::WriteOnly | QIODevice::Truncate));
        script.write("#!/bin/sh\necho \"login failed for secret $CANARY_SECRET\" >&2\nexit 3\n");
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString kubeconfig =
            m_sim->writeExecKubeconfig(path, QStringLiteral("CANARY_SECRET"), canaryEnv);
        const Run run = get(kubeconfig, QStringLiteral("exec"));
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.startsWith(QStringLiteral("error: ")));
        QVERIFY(run.err.contains(QStringLiteral("login failed for secret")));
        verifyAbsent(run.out + run.err, {canaryEnv});
    }

    void rejectedTokenAtVerbosity9()
    {
        const QString canary = QStringLiteral("canary-token-5b8a0e");
        QFile original(m_sim->kubeconfigPath());
        QVERIFY(original.open(QIODevice::ReadOnly));
        QByteArray yaml = original.readAll();
        yaml.replace(m_sim->cluster()->viewerToken().toUtf8(), canary.toUtf8());
        const QString path = m_sim->dir() + QStringLiteral("/canary-kubeconfig");
        QFile copy(path);
        QVERIFY(copy.open(QIODevice::WriteOnly | QIODevice::Truncate));
        copy.write(yaml);
        copy.close();
        const Run run = get(path, QStringLiteral("rollscope-sim-viewer"));
        QCOMPARE(run.exitCode, 1);
        QVERIFY(run.err.contains(
            QStringLiteral("error: You must be logged in to the server (Unauthorized)")));
        verifyAbsent(run.out + run.err, {canary});
    }

    // Watch streams at -v 9 (bodies logged) carry no credential either.
    void informerAtVerbosity9()
    {
        Result<ClusterConfig> config = m_sim->config(QStringLiteral("rollscope-sim-token"));
        QVERIFY(config.ok());
        ApiClient client(*config);
        QString log;
        client.setLogSink(9, [&log](int, const QString &line) { log += line + u'\n'; });
        DeploymentInformer deployments(&client);
        deployments.start();
        QTRY_COMPARE_WITH_TIMEOUT(deployments.status().state, InformerStatus::State::Watching,
                                  kTimeout);
        m_sim->api()->endWatches();
        QTRY_VERIFY_WITH_TIMEOUT(deployments.watchCount() == 2 &&
                                     deployments.status().state == InformerStatus::State::Watching,
                                 kTimeout);
        QVERIFY(log.contains(QStringLiteral("200 OK in")));
        QVERIFY(log.contains(QStringLiteral("(watch)")));
        QVERIFY(log.contains(QStringLiteral("Bearer <masked>")));
        verifyAbsent(log, {m_sim->cluster()->adminToken()});
    }
};

ROLLSCOPE_TEST_MAIN(TestSecretsSim)
#include "tst_secrets_sim.moc"
