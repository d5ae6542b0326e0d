// SPDX-License-Identifier: MIT
// `rollscope rollout` (the built binary) against the built rollscope-sim (--scenario demo
// --speed 4), one fresh simulator per test:
//   - the seed guide's rollout to bebullish/demo:v2 with --probe auto exits 0, both versions
//     answered and nothing failed; the report has both charts; the autosave reopens;
//   - the careless strategy (maxSurge 0, maxUnavailable 100%) exits 2 with the failed requests
//     counted;
//   - no credential reaches any output: a kubeconfig token, an exec plugin's env value and a
//     pod template's env value are grepped for in every file written and in stdout/stderr.
// Changes the test itself makes go through rollscope_core's ApiClient, so no kubectl is needed.
#include "kube/apiclient.h"
#include "kube/kubeconfig.h"
#include "testmain.h"
#include "timeline/loader.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <memory>

using namespace rollscope;

namespace {

constexpr int kRolloutTimeoutMs = 150'000;

struct Output
{
    int exitCode = -1;
    QString out;
    QString err;
};

QString sourceDir()
{
    const QString dir = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    return dir.isEmpty() ? QDir::cleanPath(QStringLiteral(QT_TESTCASE_SOURCEDIR "/../../..")) : dir;
}

QString buildDir()
{
    const QString dir = qEnvironmentVariable("ROLLSCOPE_BUILD_DIR");
    return dir.isEmpty() ? QDir::currentPath() + QStringLiteral("/..") : dir;
}

QString rollscopeBinary()
{
    return buildDir() + QStringLiteral("/bin/rollscope");
}

QString yamlValue(const QByteArray &yaml, const QString &pattern)
{
    const QRegularExpressionMatch m = QRegularExpression(pattern).match(QString::fromUtf8(yaml));
    QString value = m.captured(1).trimmed();
    if (value.size() >= 2 && (value.startsWith(u'"') || value.startsWith(u'\'')))
        value = value.mid(1, value.size() - 2);
    return value;
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString randomCanary(const char *prefix)
{
    return QLatin1StringView(prefix) +
           QString::number(QRandomGenerator::global()->generate64(), 36);
}

} // namespace

class TestRolloutE2e : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_sim;
    QString m_kubeconfig;
    QString m_server;
    QString m_ca;
    QString m_token;
    QString m_outputDir = QDir::currentPath() + QStringLiteral("/rollout-e2e-output");

    QString path(const QString &name) const { return m_dir->filePath(name); }

    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.remove(QStringLiteral("KUBECONFIG"));
        // The autosave goes to the app data folder: keep it inside the test's folder.
        env.insert(QStringLiteral("HOME"), path(QStringLiteral("home")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        // Sanitizer builds: see lsan.supp.
        env.insert(QStringLiteral("LSAN_OPTIONS"),
                   QStringLiteral("fast_unwind_on_malloc=0:suppressions=") + sourceDir() +
                       QStringLiteral("/tests/e2e/lsan.supp"));
        return env;
    }

    Output run(const QStringList &arguments)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(rollscopeBinary(), arguments);
        Output output;
        if (!process.waitForFinished(kRolloutTimeoutMs)) {
            process.kill();
            process.waitForFinished();
            output.err = QStringLiteral("timed out: rollscope ") + arguments.join(u' ');
        } else {
            output.exitCode =
                process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        }
        output.out = QString::fromUtf8(process.readAllStandardOutput());
        output.err += QString::fromUtf8(process.readAllStandardError());
        return output;
    }

    // The whole output of a run, kept in the build tree (test folders are removed), and a
    // failure message that names the file and shows the end of the output.
    QString report(const Output &o, const char *what) const
    {
        QDir().mkpath(m_outputDir);
        const QString file = m_outputDir + u'/' + QLatin1StringView(QTest::currentTestFunction()) +
                             u'-' + QLatin1StringView(what) + QStringLiteral(".log");
        QFile log(file);
        if (log.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            log.write("exit code: " + QByteArray::number(o.exitCode) + "\n--- stdout ---\n" +
                      o.out.toUtf8() + "\n--- stderr ---\n" + o.err.toUtf8());
        }
        const QString all = o.out + o.err;
        return QStringLiteral("exit code %1; full output in %2; its end:\n%3")
            .arg(QString::number(o.exitCode), file, all.right(1500));
    }

    QStringList rolloutArguments(const QString &image, const QString &prefix,
                                 const QString &kubeconfig = {},
                                 const QString &context = QStringLiteral("rollscope-sim"))
    {
        return {QStringLiteral("rollout"),      QStringLiteral("deployment/demo-dp"),
                QStringLiteral("--kubeconfig"), kubeconfig.isEmpty() ? m_kubeconfig : kubeconfig,
                QStringLiteral("--context"),    context,
                QStringLiteral("--image"),      QStringLiteral("demo=") + image,
                QStringLiteral("--probe"),      QStringLiteral("auto"),
                QStringLiteral("--rate"),       QStringLiteral("40"),
                QStringLiteral("--timeout"),    QStringLiteral("120"),
                QStringLiteral("--timeline"),   path(prefix + QStringLiteral(".json")),
                QStringLiteral("--report"),     path(prefix + QStringLiteral(".html")),
                QStringLiteral("--csv"),        path(prefix + QStringLiteral(".csv"))};
    }

    // A JSON or strategic-merge patch sent with the project's own client (admin context).
    bool patchDeployment(const QByteArray &contentType, const QByteArray &body)
    {
        kube::Kubeconfig::LoadOptions load;
        load.explicitPath = m_kubeconfig;
        Result<kube::Kubeconfig> kubeconfig = kube::Kubeconfig::load(load);
        if (!kubeconfig)
            return false;
        Result<kube::ClusterConfig> config = kubeconfig->resolve(QStringLiteral("rollscope-sim"));
        if (!config)
            return false;
        kube::ApiClient client(*config);
        bool done = false;
        bool ok = false;
        QString error;
        client.send(kube::ApiRequest::patch(
                        QStringLiteral("/apis/apps/v1/namespaces/default/deployments/demo-dp"),
                        contentType, body),
                    this, [&](Result<kube::ApiResponse> response) {
                        ok = response.ok();
                        if (!ok)
                            error = response.error().message;
                        done = true;
                    });
        if (!QTest::qWaitFor([&done] { return done; }, 30000))
            return false;
        if (!ok)
            qWarning("patch failed: %s", qPrintable(error));
        return ok;
    }

    QStringList autosaved() const
    {
        QStringList files;
        QDirIterator it(path(QStringLiteral("data")), {QStringLiteral("*.jsonl")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        return files;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFile::exists(rollscopeBinary()),
                 qPrintable(rollscopeBinary() + QStringLiteral(" is not built")));
        QVERIFY(QFile::exists(buildDir() + QStringLiteral("/bin/rollscope-sim")));
    }

    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_kubeconfig = path(QStringLiteral("kubeconfig"));
        m_sim = std::make_unique<QProcess>();
        m_sim->setProcessChannelMode(QProcess::SeparateChannels);
        m_sim->setProcessEnvironment(environment());
        QString banner;
        connect(m_sim.get(), &QProcess::readyReadStandardOutput, this,
                [this, &banner] { banner += QString::fromUtf8(m_sim->readAllStandardOutput()); });
        m_sim->start(buildDir() + QStringLiteral("/bin/rollscope-sim"),
                     {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                      QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("--scenario"),
                      QStringLiteral("demo"), QStringLiteral("--speed"), QStringLiteral("4")});
        QTRY_VERIFY_WITH_TIMEOUT(
            banner.contains(QStringLiteral("rollscope-sim: serving https://")) ||
                m_sim->state() == QProcess::NotRunning,
            60000);
        QVERIFY2(m_sim->state() == QProcess::Running,
                 qPrintable(QString::fromUtf8(m_sim->readAllStandardError())));
        m_sim->disconnect(this);
        const QByteArray yaml = readFile(m_kubeconfig);
        m_server = yamlValue(yaml, QStringLiteral("server: (\\S+)"));
        m_ca = yamlValue(yaml, QStringLiteral("certificate-authority-data: (\\S+)"));
        m_token = yamlValue(
            yaml, QStringLiteral("- name: rollscope-sim-token\\n  user:\\n    token: ([^\\n]+)"));
        QVERIFY(!m_server.isEmpty() && !m_ca.isEmpty() && m_token.size() >= 16);
    }

    void cleanup()
    {
        if (m_sim && m_sim->state() != QProcess::NotRunning) {
            m_sim->terminate();
            if (!m_sim->waitForFinished(10000))
                m_sim->kill();
        }
        m_sim.reset();
        m_dir.reset();
    }

    void demoRolloutHasNoFailures()
    {
        const Output o =
            run(rolloutArguments(QStringLiteral("bebullish/demo:v2"), QStringLiteral("demo")));
        QVERIFY2(o.exitCode == 0, qPrintable(report(o, "rollout")));
        QVERIFY(o.out.contains(QStringLiteral("deployment.apps/demo-dp image updated")));
        QVERIFY(o.out.contains(
            QStringLiteral("Waiting for deployment \"demo-dp\" rollout to finish: ")));
        QVERIFY(o.out.contains(QStringLiteral("deployment \"demo-dp\" successfully rolled out")));
        QVERIFY(o.out.contains(QStringLiteral("First answer from bebullish/demo:v2")));
        // One time base (t = 0 is the PATCH), printed in order: an event derived from answers
        // arrives late, but is not printed after a later one.
        static const QRegularExpression stamp(QStringLiteral("^\\[([+-]?[0-9]+\\.[0-9])s\\] "),
                                              QRegularExpression::MultilineOption);
        double previousT = -1e9;
        int stamped = 0;
        for (auto it = stamp.globalMatch(o.out); it.hasNext();) {
            const double t = it.next().captured(1).toDouble();
            QVERIFY2(t >= previousT, qPrintable(report(o, "order")));
            previousT = t;
            ++stamped;
        }
        QVERIFY(stamped >= 4);

        const QJsonObject t =
            QJsonDocument::fromJson(readFile(path(QStringLiteral("demo.json")))).object();
        QCOMPARE(t[u"format"].toString(), QStringLiteral("rollscope-timeline/1"));
        QCOMPARE(t[u"outcome"].toString(), QStringLiteral("complete"));
        QCOMPARE(t[u"change"][u"from"].toString(), QStringLiteral("bebullish/demo:v1"));
        QCOMPARE(t[u"change"][u"to"].toString(), QStringLiteral("bebullish/demo:v2"));
        const QJsonObject summary = t[u"summary"].toObject();
        QCOMPARE(summary[u"failedRequests"].toInt(-1), 0);
        QVERIFY(summary[u"requests"].toInt() > 20);
        const QJsonObject byVersion = summary[u"responsesByVersion"].toObject();
        QVERIFY2(byVersion[u"bebullish/demo:v1"].toInt() > 0, qPrintable(o.out));
        QVERIFY2(byVersion[u"bebullish/demo:v2"].toInt() > 0, qPrintable(o.out));
        QCOMPARE(summary[u"verdict"].toString(), QStringLiteral("complete without failures"));
        // The strategy held: at most 3 + 1 pods, never fewer than 3 available.
        QVERIFY(summary[u"maxPods"].toInt() <= 4);
        QVERIFY(summary[u"minAvailable"].toInt() >= 3);
        QVERIFY(summary[u"mixedVersionSeconds"].toDouble() > 0);
        // The samples cover the rollout, whatever the machine's speed: from the change to the
        // outcome, in order, and every request sent is in one of them.
        const QJsonArray samples = t[u"samples"].toArray();
        QVERIFY(!samples.isEmpty());
        const double interval = t[u"sampleIntervalSeconds"].toDouble();
        QVERIFY2(interval > 0, "the timeline states its sample interval");
        const double duration = summary[u"durationSeconds"].toDouble();
        QVERIFY(duration > 0);
        QVERIFY(samples.first()[u"t"].toDouble() <= interval + 1e-9);
        QVERIFY2(samples.last()[u"t"].toDouble() >= duration - interval - 1e-9,
                 qPrintable(report(o, "samples")));
        int sampled = 0;
        double previous = -1;
        for (const QJsonValue &sample : samples) {
            QVERIFY(sample[u"t"].toDouble() > previous);
            previous = sample[u"t"].toDouble();
            sampled += sample[u"failed"].toInt();
            const QJsonObject responses = sample[u"responses"].toObject();
            for (auto it = responses.constBegin(); it != responses.constEnd(); ++it)
                sampled += it.value().toInt();
        }
        QCOMPARE(sampled, summary[u"requests"].toInt());

        const QByteArray html = readFile(path(QStringLiteral("demo.html")));
        QCOMPARE(html.count("<svg "), 2);
        QVERIFY(html.contains("class=\"guide-max\""));
        QVERIFY(html.contains("class=\"v-new ready\""));
        // A header line, then one line per sample.
        QCOMPARE(readFile(path(QStringLiteral("demo.csv"))).count('\n'), samples.size() + 1);
        if (qEnvironmentVariableIsSet("ROLLSCOPE_KEEP_REPORT"))
            QFile::copy(path(QStringLiteral("demo.html")),
                        qEnvironmentVariable("ROLLSCOPE_KEEP_REPORT"));

        // The autosave holds the same rollout and reopens as complete.
        const QStringList saved = autosaved();
        QCOMPARE(saved.size(), 1);
        const Result<timeline::Timeline> loaded = timeline::TimelineLoader::load(saved.first());
        QVERIFY(loaded.ok());
        QVERIFY(!loaded->interrupted);
        QCOMPARE(loaded->summary.requests, qint64(summary[u"requests"].toInt()));
        QCOMPARE(loaded->outcome, timeline::Outcome::Complete);
    }

    // Beyond 20 replicas the output says how many pods are ready, a line a second at most,
    // instead of a line per pod; lines of the same moment keep the order they came in.
    void manyReplicasPrintReadyCountsNotPods()
    {
        QVERIFY(patchDeployment("application/merge-patch+json", R"({"spec":{"replicas":40}})"));
        const Output o =
            run(rolloutArguments(QStringLiteral("bebullish/demo:v2"), QStringLiteral("many")));
        QVERIFY2(o.exitCode == 0, qPrintable(report(o, "rollout")));
        QVERIFY2(!o.out.contains(QStringLiteral(" is ready")), qPrintable(o.out));
        // Either the recording's step ("12 pods of V ready within 0.3 s (15 of 40)") or, for a
        // single pod, the count now ("15 of 40 pods of V ready").
        static const QRegularExpression readyLine(
            QStringLiteral("^\\[\\+([0-9.]+)s\\] (?:([0-9]+) of 40 pods of (\\S+) ready|"
                           "[0-9]+ pods of (\\S+) ready(?: within [0-9.]+ s)?"
                           "(?: \\(([0-9]+) of 40\\))?)$"),
            QRegularExpression::MultilineOption);
        QHash<QString, QList<double>> linesByVersion;
        for (auto it = readyLine.globalMatch(o.out); it.hasNext();) {
            const QRegularExpressionMatch m = it.next();
            const bool step = m.captured(2).isEmpty();
            QVERIFY(m.captured(step ? 5 : 2).toInt() <= 40);
            linesByVersion[m.captured(step ? 4 : 3)] << m.captured(1).toDouble();
        }
        QVERIFY2(linesByVersion.contains(QStringLiteral("bebullish/demo:v2")), qPrintable(o.out));
        // One line a second at most: consecutive ones are a second apart or more (0.9 s as
        // printed: each time is rounded to 0.1 s).
        QList<double> all;
        for (const QList<double> &times : std::as_const(linesByVersion))
            all << times;
        std::sort(all.begin(), all.end());
        for (qsizetype i = 1; i < all.size(); ++i)
            QVERIFY2(all.at(i) - all.at(i - 1) >= 0.9 - 1e-9, qPrintable(o.out));
        QVERIFY2(o.out.count(u'\n') <= 200, qPrintable(o.out));
    }

    void carelessStrategyCountsFailedRequests()
    {
        QVERIFY(patchDeployment(
            "application/merge-patch+json",
            R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":"100%"}}}})"));
        const Output o =
            run(rolloutArguments(QStringLiteral("bebullish/demo:v2"), QStringLiteral("careless")));
        QVERIFY2(o.exitCode == 2, qPrintable(report(o, "rollout")));
        const QJsonObject t =
            QJsonDocument::fromJson(readFile(path(QStringLiteral("careless.json")))).object();
        QCOMPARE(t[u"outcome"].toString(), QStringLiteral("complete"));
        const QJsonObject summary = t[u"summary"].toObject();
        const int failed = summary[u"failedRequests"].toInt();
        QVERIFY(failed > 0);
        const QJsonObject byClass = summary[u"failedByClass"].toObject();
        int classified = 0;
        for (auto it = byClass.constBegin(); it != byClass.constEnd(); ++it)
            classified += it.value().toInt();
        QCOMPARE(classified, failed);
        QVERIFY(summary[u"verdict"].toString().startsWith(QStringLiteral("complete with ")));
        QCOMPARE(summary[u"minAvailable"].toInt(-1), 0);
        QVERIFY(summary[u"failureBursts"].toInt() >= 1);
        QVERIFY(o.out.contains(QStringLiteral("requests failed")) ||
                o.out.contains(QStringLiteral("request failed")));
        QVERIFY(o.out.contains(QStringLiteral("Verdict: complete with ")));
        int failedInSamples = 0;
        for (const QJsonValue &s : t[u"samples"].toArray())
            failedInSamples += s[u"failed"].toInt();
        QCOMPARE(failedInSamples, failed);
    }

    void noCredentialReachesAnyOutput()
    {
        const QString podCanary = randomCanary("pod-canary-");
        const QString execCanary = randomCanary("exec-canary-");
        // A pod template env value (rolled out first, so both versions carry it).
        QVERIFY(patchDeployment(
            "application/strategic-merge-patch+json",
            QStringLiteral(
                R"({"spec":{"template":{"spec":{"containers":[{"name":"demo","env":[{"name":"SECRET_CANARY","value":"%1"}]}]}}}})")
                .arg(podCanary)
                .toUtf8()));
        const Output settle =
            run({QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                 QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("--probe"),
                 QStringLiteral("off"), QStringLiteral("--timeline"),
                 path(QStringLiteral("settle.json"))});
        QVERIFY2(settle.exitCode == 0, qPrintable(report(settle, "settle")));

        // An exec plugin with an env value; it hands out the admin token.
        const QString plugin = path(QStringLiteral("plugin.sh"));
        QFile script(plugin);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(
            QStringLiteral("#!/bin/sh\n[ \"$SECRET_EXEC\" = \"%1\" ] || exit 3\n"
                           "printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/"
                           "v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%2\"}}'\n")
                .arg(execCanary, m_token)
                .toUtf8());
        script.close();
        script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString execKubeconfig = path(QStringLiteral("exec-kubeconfig"));
        QFile exec(execKubeconfig);
        QVERIFY(exec.open(QIODevice::WriteOnly));
        exec.write(QStringLiteral("apiVersion: v1\nkind: Config\ncurrent-context: exec\n"
                                  "clusters:\n- name: sim\n  cluster:\n    server: %1\n"
                                  "    certificate-authority-data: %2\n"
                                  "users:\n- name: exec-user\n  user:\n    exec:\n"
                                  "      apiVersion: client.authentication.k8s.io/v1\n"
                                  "      interactiveMode: Never\n      command: %3\n"
                                  "      env:\n      - name: SECRET_EXEC\n        value: %4\n"
                                  "contexts:\n- name: exec\n  context:\n    cluster: sim\n"
                                  "    user: exec-user\n    namespace: default\n")
                       .arg(m_server, m_ca, plugin, execCanary)
                       .toUtf8());
        exec.close();

        // One rollout with the kubeconfig token, one back with the exec plugin.
        const Output withToken =
            run(rolloutArguments(QStringLiteral("bebullish/demo:v2"), QStringLiteral("token"),
                                 m_kubeconfig, QStringLiteral("rollscope-sim-token")));
        QVERIFY2(withToken.exitCode == 0, qPrintable(report(withToken, "token")));
        const Output withExec =
            run(rolloutArguments(QStringLiteral("bebullish/demo:v1"), QStringLiteral("exec"),
                                 execKubeconfig, QStringLiteral("exec")));
        QVERIFY2(withExec.exitCode == 0, qPrintable(report(withExec, "exec")));

        QStringList files;
        for (const char *prefix : {"settle", "token", "exec"}) {
            for (const char *suffix : {".json", ".html", ".csv"}) {
                const QString file = path(QLatin1StringView(prefix) + QLatin1StringView(suffix));
                if (QFile::exists(file))
                    files << file;
            }
        }
        files << autosaved();
        QCOMPARE(files.size(), 1 + 3 + 3 + 3);
        const QStringList canaries{m_token, podCanary, execCanary};
        for (const QString &file : std::as_const(files)) {
            const QByteArray content = readFile(file);
            QVERIFY(!content.isEmpty());
            for (const QString &canary : canaries)
                QVERIFY2(!content.contains(canary.toUtf8()),
                         qPrintable(file + QStringLiteral(" contains a credential")));
            // No local path either: not the test folder, not the plugin, not the kubeconfig.
            QVERIFY2(!content.contains(m_dir->path().toUtf8()),
                     qPrintable(file + QStringLiteral(" contains a local path")));
        }
        for (const Output *o : {&settle, &withToken, &withExec}) {
            for (const QString &canary : canaries) {
                QVERIFY2(!o->out.contains(canary), "stdout contains a credential");
                QVERIFY2(!o->err.contains(canary), "stderr contains a credential");
            }
        }
    }

    void usageAndConnectionErrors()
    {
        const Output usage = run({QStringLiteral("rollout"), QStringLiteral("pod/x")});
        QCOMPARE(usage.exitCode, 64);
        const Output badUrl =
            run({QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                 QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("--probe"),
                 QStringLiteral("ftp://example.invalid/")});
        QCOMPARE(badUrl.exitCode, 64);
        const Output missing =
            run({QStringLiteral("rollout"), QStringLiteral("deployment/nope"),
                 QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("--image"),
                 QStringLiteral("demo=bebullish/demo:v2")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral("not found")), qPrintable(missing.err));
        const Output container =
            run({QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                 QStringLiteral("--kubeconfig"), m_kubeconfig, QStringLiteral("--image"),
                 QStringLiteral("nosuch=bebullish/demo:v2")});
        QCOMPARE(container.exitCode, 1);
        QVERIFY2(container.err.contains(QStringLiteral("unable to find container named")),
                 qPrintable(container.err));
        // Nothing in progress: watching returns at once, like kubectl rollout status.
        const Output idle = run({QStringLiteral("rollout"), QStringLiteral("deployment/demo-dp"),
                                 QStringLiteral("--kubeconfig"), m_kubeconfig,
                                 QStringLiteral("--probe"), QStringLiteral("off")});
        QCOMPARE(idle.exitCode, 0);
        QVERIFY(idle.out.contains(QStringLiteral("successfully rolled out")));
    }
};

ROLLSCOPE_TEST_MAIN(TestRolloutE2e)
#include "tst_rollout_e2e.moc"
