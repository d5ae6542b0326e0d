// SPDX-License-Identifier: MIT
// `rollscope get deployments` (the built binary) prints the same rows as `kubectl get deploy`
// against the built rollscope-sim, for each of its contexts and for an exec-plugin kubeconfig.
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <memory>

namespace {

constexpr int kTimeout = 30000;

struct Output
{
    int exitCode = -1;
    QString out;
    QString err;
};

struct Table
{
    QStringList header;
    QList<QStringList> rows;
};

Table parseTable(const QString &text)
{
    Table table;
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        const QStringList cells = line.simplified().split(u' ');
        if (table.header.isEmpty())
            table.header = cells;
        else
            table.rows << cells;
    }
    return table;
}

QString sourceDir()
{
    const QString dir = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    return dir.isEmpty() ? QDir::cleanPath(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../..")) : dir;
}

QString buildDir()
{
    const QString dir = qEnvironmentVariable("ROLLSCOPE_BUILD_DIR");
    return dir.isEmpty() ? QDir::currentPath() + QStringLiteral("/..") : dir;
}

// Reads a scalar field from the simulator's kubeconfig (it writes a fixed layout).
QString yamlValue(const QByteArray &yaml, const QString &pattern)
{
    const QRegularExpressionMatch m = QRegularExpression(pattern).match(QString::fromUtf8(yaml));
    QString value = m.captured(1).trimmed();
    if (value.size() >= 2 && (value.startsWith(u'"') || value.startsWith(u'\'')))
        value = value.mid(1, value.size() - 2);
    return value;
}

} // namespace

class TestGetE2e : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_sim;
    QString m_kubectl;
    QString m_kubeconfig;
    QString m_execKubeconfig;

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        // kubectl caches discovery under ~/.kube/cache; keep it inside the test's folder.
        env.insert(QStringLiteral("KUBECACHEDIR"), m_dir.filePath(QStringLiteral("kube-cache")));
        env.remove(QStringLiteral("KUBECONFIG"));
        // Sanitizer builds: Qt's TLS backend leaks a cached connection at exit (see lsan.supp).
        env.insert(QStringLiteral("LSAN_OPTIONS"),
                   QStringLiteral("print_suppressions=0:suppressions=") + sourceDir() +
                       QStringLiteral("/tests/e2e/lsan.supp"));
        return env;
    }

    Output run(const QString &program, const QStringList &arguments)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(program, arguments);
        Output output;
        if (!process.waitForFinished(kTimeout)) {
            process.kill();
            process.waitForFinished();
            output.err = QStringLiteral("timed out: ") + program;
            return output;
        }
        output.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        output.out = QString::fromUtf8(process.readAllStandardOutput());
        output.err = QString::fromUtf8(process.readAllStandardError());
        return output;
    }

    QString rollscope() const { return buildDir() + QStringLiteral("/bin/rollscope"); }

    void compareWithKubectl(const QStringList &kubectlArgs, const QStringList &rollscopeArgs)
    {
        const Output expected = run(m_kubectl, kubectlArgs);
        QVERIFY2(expected.exitCode == 0, qPrintable(expected.err));
        const Output actual = run(rollscope(), rollscopeArgs);
        QVERIFY2(actual.exitCode == 0, qPrintable(actual.err));

        const Table want = parseTable(expected.out);
        const Table got = parseTable(actual.out);
        QCOMPARE(got.header, want.header);
        QVERIFY(!want.rows.isEmpty());
        QCOMPARE(got.rows.size(), want.rows.size());
        const qsizetype age = want.header.indexOf(QStringLiteral("AGE"));
        QVERIFY(age >= 0);
        bool agesEqual = true;
        for (qsizetype i = 0; i < want.rows.size(); ++i) {
            QStringList w = want.rows[i];
            QStringList g = got.rows[i];
            QCOMPARE(g.size(), w.size());
            // The AGE may differ where a second boundary falls between the two runs.
            agesEqual = agesEqual && w[age] == g[age];
            static const QRegularExpression duration(
                QStringLiteral("\\A(\\d+[smhdy])+\\z|\\A<unknown>\\z"));
            QVERIFY2(duration.match(g[age]).hasMatch(), qPrintable(g[age]));
            w.removeAt(age);
            g.removeAt(age);
            QCOMPARE(g, w);
        }
        // Same cells: then the padding must be kubectl's too, byte for byte.
        if (agesEqual)
            QCOMPARE(actual.out, expected.out);
    }

private slots:
    void initTestCase()
    {
        m_kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
        if (m_kubectl.isEmpty())
            QSKIP("kubectl is not on PATH: these tests compare rollscope's output with kubectl's");
        QVERIFY(m_dir.isValid());
        const QString simulator = buildDir() + QStringLiteral("/bin/rollscope-sim");
        QVERIFY2(QFile::exists(simulator), qPrintable(simulator + QStringLiteral(" is not built")));
        QVERIFY2(QFile::exists(rollscope()),
                 qPrintable(rollscope() + QStringLiteral(" is not built")));

        m_kubeconfig = m_dir.filePath(QStringLiteral("kubeconfig"));
        m_sim = std::make_unique<QProcess>();
        m_sim->setProcessChannelMode(QProcess::SeparateChannels);
        QString banner;
        connect(m_sim.get(), &QProcess::readyReadStandardOutput, this,
                [this, &banner] { banner += QString::fromUtf8(m_sim->readAllStandardOutput()); });
        m_sim->start(simulator, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                 QStringLiteral("--kubeconfig"), m_kubeconfig,
                                 QStringLiteral("--scenario"), QStringLiteral("demo")});
        QTRY_VERIFY_WITH_TIMEOUT(
            banner.contains(QStringLiteral("rollscope-sim: serving https://")) ||
                m_sim->state() == QProcess::NotRunning,
            kTimeout);
        QVERIFY2(m_sim->state() == QProcess::Running,
                 qPrintable(QString::fromUtf8(m_sim->readAllStandardError())));
        m_sim->disconnect(this);

        // An exec-plugin kubeconfig for the same cluster: the plugin prints the admin token.
        QFile file(m_kubeconfig);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray yaml = file.readAll();
        const QString server = yamlValue(yaml, QStringLiteral("server: (\\S+)"));
        const QString ca = yamlValue(yaml, QStringLiteral("certificate-authority-data: (\\S+)"));
        const QString token = yamlValue(
            yaml, QStringLiteral("- name: rollscope-sim-token\\n  user:\\n    token: ([^\\n]+)"));
        QVERIFY(!server.isEmpty() && !ca.isEmpty() && !token.isEmpty());
        const QString plugin = m_dir.filePath(QStringLiteral("plugin.sh"));
        QFile script(plugin);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(
            QStringLiteral("#!/bin/sh\nprintf '%s' '{\"apiVersion\":\"client.authentication."
                           "k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":"
                           "\"%1\"}}'\n")
                .arg(token)
                .toUtf8());
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        m_execKubeconfig = m_dir.filePath(QStringLiteral("exec-kubeconfig"));
        QFile exec(m_execKubeconfig);
        QVERIFY(exec.open(QIODevice::WriteOnly));
        exec.write(QStringLiteral("apiVersion: v1\nkind: Config\ncurrent-context: exec\n"
                                  "clusters:\n- name: sim\n  cluster:\n    server: %1\n"
                                  "    certificate-authority-data: %2\n"
                                  "users:\n- name: exec-user\n  user:\n    exec:\n"
                                  "      apiVersion: client.authentication.k8s.io/v1\n"
                                  "      interactiveMode: Never\n      command: %3\n"
                                  "contexts:\n- name: exec\n  context:\n    cluster: sim\n"
                                  "    user: exec-user\n    namespace: default\n")
                       .arg(server, ca, plugin)
                       .toUtf8());
    }

    void cleanupTestCase()
    {
        if (m_sim && m_sim->state() != QProcess::NotRunning) {
            m_sim->terminate();
            if (!m_sim->waitForFinished(10000))
                m_sim->kill();
        }
    }

    void allNamespacesMatchesKubectl_data()
    {
        QTest::addColumn<QString>("kubeconfig");
        QTest::addColumn<QString>("context");
        QTest::newRow("client certificate") << QString() << QStringLiteral("rollscope-sim");
        QTest::newRow("token") << QString() << QStringLiteral("rollscope-sim-token");
        QTest::newRow("viewer") << QString() << QStringLiteral("rollscope-sim-viewer");
        QTest::newRow("exec plugin") << QStringLiteral("exec") << QStringLiteral("exec");
    }
    void allNamespacesMatchesKubectl()
    {
        QFETCH(QString, kubeconfig);
        QFETCH(QString, context);
        const QString path = kubeconfig.isEmpty() ? m_kubeconfig : m_execKubeconfig;
        const QStringList connection{QStringLiteral("--kubeconfig"), path,
                                     QStringLiteral("--context"), context};
        compareWithKubectl(
            QStringList{QStringLiteral("get"), QStringLiteral("deploy"), QStringLiteral("-A")} +
                connection,
            QStringList{QStringLiteral("get"), QStringLiteral("deployments"),
                        QStringLiteral("-A")} +
                connection);
    }

    void oneNamespaceAndWideMatchKubectl_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::newRow("-n shop") << QStringList{QStringLiteral("-n"), QStringLiteral("shop")};
        QTest::newRow("context namespace") << QStringList();
        QTest::newRow("-o wide") << QStringList{QStringLiteral("-o"), QStringLiteral("wide")};
    }
    void oneNamespaceAndWideMatchKubectl()
    {
        QFETCH(QStringList, arguments);
        const QStringList common =
            QStringList{QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("--context"),
                        QStringLiteral("rollscope-sim-token")} +
            arguments;
        compareWithKubectl(QStringList{QStringLiteral("get"), QStringLiteral("deployment")} +
                               common,
                           QStringList{QStringLiteral("get"), QStringLiteral("deploy")} + common);
    }

    void jsonListsTheSameDeployments()
    {
        const QStringList common{QStringLiteral("-A"), QStringLiteral("-o"), QStringLiteral("json"),
                                 QStringLiteral("--kubeconfig"), m_kubeconfig};
        const Output expected =
            run(m_kubectl, QStringList{QStringLiteral("get"), QStringLiteral("deploy")} + common);
        QVERIFY2(expected.exitCode == 0, qPrintable(expected.err));
        const Output actual =
            run(rollscope(), QStringList{QStringLiteral("get"), QStringLiteral("deploy")} + common);
        QVERIFY2(actual.exitCode == 0, qPrintable(actual.err));
        const QJsonObject want = QJsonDocument::fromJson(expected.out.toUtf8()).object();
        const QJsonObject got = QJsonDocument::fromJson(actual.out.toUtf8()).object();
        QCOMPARE(got[u"kind"].toString(), QStringLiteral("DeploymentList"));
        const auto names = [](const QJsonObject &list) {
            QStringList result;
            for (const QJsonValue &item : list[u"items"].toArray()) {
                const QJsonObject metadata = item[u"metadata"].toObject();
                result << metadata[u"namespace"].toString() + u'/' + metadata[u"name"].toString();
            }
            return result;
        };
        QVERIFY(!names(want).isEmpty());
        QCOMPARE(names(got), names(want));
        for (const QJsonValue &item : got[u"items"].toArray()) {
            QCOMPARE(item[u"kind"].toString(), QStringLiteral("Deployment"));
            QCOMPARE(item[u"apiVersion"].toString(), QStringLiteral("apps/v1"));
        }
    }

    void errorsAndExitCodesLikeKubectl()
    {
        const Output missing = run(rollscope(), {QStringLiteral("get"), QStringLiteral("deploy"),
                                                 QStringLiteral("--kubeconfig"),
                                                 m_dir.filePath(QStringLiteral("nosuch"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.startsWith(QStringLiteral("error: ")), qPrintable(missing.err));

        const Output usage = run(rollscope(), {QStringLiteral("get"), QStringLiteral("pods")});
        QCOMPARE(usage.exitCode, 64);

        const Output empty = run(rollscope(), {QStringLiteral("get"), QStringLiteral("deploy"),
                                               QStringLiteral("-n"), QStringLiteral("nothing-here"),
                                               QStringLiteral("--kubeconfig"), m_kubeconfig});
        QCOMPARE(empty.exitCode, 0);
        QCOMPARE(empty.out, QString());
        QCOMPARE(empty.err, QStringLiteral("No resources found in nothing-here namespace.\n"));
    }
};

ROLLSCOPE_TEST_MAIN(TestGetE2e)
#include "tst_get_e2e.moc"
