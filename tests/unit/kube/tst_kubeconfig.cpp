// SPDX-License-Identifier: MIT
#include "kube/kubeconfig.h"
#include "testmain.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QScopeGuard>
#include <QSslConfiguration>
#include <QTemporaryDir>

#include <fcntl.h>
#include <initializer_list>
#include <memory>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

QString dataDir()
{
    const QString source = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (!source.isEmpty())
        return source + QStringLiteral("/tests/data/kubeconfig");
    return QFINDTESTDATA("../../data/kubeconfig");
}

QString fixture(const QString &name)
{
    return QDir::cleanPath(dataDir() + u'/' + name);
}

Result<Kubeconfig> loadFixture(const QString &name)
{
    Kubeconfig::LoadOptions options;
    options.explicitPath = fixture(name);
    return Kubeconfig::load(options);
}

Result<Kubeconfig> loadList(const QStringList &names)
{
    QStringList paths;
    for (const QString &name : names)
        paths.append(fixture(name));
    Kubeconfig::LoadOptions options;
    options.kubeconfigEnv = paths.join(QDir::listSeparator());
    return Kubeconfig::load(options);
}

QString commonName(const QSslCertificate &certificate)
{
    return certificate.subjectInfo(QSslCertificate::CommonName).value(0);
}

QString modeName(ExecConfig::InteractiveMode mode)
{
    switch (mode) {
    case ExecConfig::InteractiveMode::Never:
        return QStringLiteral("Never");
    case ExecConfig::InteractiveMode::IfAvailable:
        return QStringLiteral("IfAvailable");
    case ExecConfig::InteractiveMode::Always:
        return QStringLiteral("Always");
    }
    return {};
}

// One observable property of a resolved context, by name, so the table below can list what it
// expects without a column per field.
QVariant field(const ClusterConfig &c, const QString &key)
{
    const ExecConfig exec = c.user.exec.value_or(ExecConfig{});
    if (key == QLatin1StringView("cluster"))
        return c.cluster.name;
    if (key == QLatin1StringView("user"))
        return c.user.name;
    if (key == QLatin1StringView("server"))
        return c.cluster.server.toString();
    if (key == QLatin1StringView("tlsServerName"))
        return c.cluster.tlsServerName;
    if (key == QLatin1StringView("disableCompression"))
        return c.cluster.disableCompression;
    if (key == QLatin1StringView("skipVerify"))
        return c.cluster.insecureSkipTlsVerify;
    if (key == QLatin1StringView("isInsecure"))
        return c.isInsecure();
    if (key == QLatin1StringView("proxyUrl"))
        return c.cluster.proxyUrl.toString();
    if (key == QLatin1StringView("caSubjects")) {
        QStringList names;
        for (const QSslCertificate &certificate : c.caCertificates)
            names.append(commonName(certificate));
        return names;
    }
    if (key == QLatin1StringView("clientSubject"))
        return commonName(c.clientCertificate);
    if (key == QLatin1StringView("clientKey")) {
        if (c.clientKey.isNull())
            return QString();
        return c.clientKey.algorithm() == QSsl::Rsa  ? QStringLiteral("rsa")
               : c.clientKey.algorithm() == QSsl::Ec ? QStringLiteral("ec")
                                                     : QStringLiteral("other");
    }
    if (key == QLatin1StringView("token"))
        return c.user.token;
    if (key == QLatin1StringView("tokenFile"))
        return QFileInfo(c.user.tokenFile).fileName();
    if (key == QLatin1StringView("username"))
        return c.user.username;
    if (key == QLatin1StringView("password"))
        return c.user.password;
    if (key == QLatin1StringView("hasCredentials"))
        return c.user.hasCredentials();
    if (key == QLatin1StringView("ns"))
        return c.ns;
    if (key == QLatin1StringView("hasExec"))
        return c.user.exec.has_value();
    if (key == QLatin1StringView("exec.apiVersion"))
        return exec.apiVersion;
    if (key == QLatin1StringView("exec.command"))
        return exec.command;
    if (key == QLatin1StringView("exec.args"))
        return exec.args;
    if (key == QLatin1StringView("exec.env")) {
        QStringList pairs;
        for (const auto &[name, value] : exec.env)
            pairs.append(name + u'=' + value);
        return pairs;
    }
    if (key == QLatin1StringView("exec.installHint"))
        return exec.installHint;
    if (key == QLatin1StringView("exec.provideClusterInfo"))
        return exec.provideClusterInfo;
    if (key == QLatin1StringView("exec.interactiveMode"))
        return modeName(exec.interactiveMode);
    if (key == QLatin1StringView("execExtension"))
        return QString::fromUtf8(
            QJsonDocument(c.cluster.execExtension.toObject()).toJson(QJsonDocument::Compact));
    if (key == QLatin1StringView("authProvider"))
        return c.user.authProvider ? c.user.authProvider->name : QString();
    if (key == QLatin1StringView("idToken"))
        return c.user.authProvider ? c.user.authProvider->config.value(QStringLiteral("id-token"))
                                   : QString();
    if (key == QLatin1StringView("as"))
        return c.user.impersonate;
    if (key == QLatin1StringView("asUid"))
        return c.user.impersonateUid;
    if (key == QLatin1StringView("asGroups"))
        return c.user.impersonateGroups;
    if (key == QLatin1StringView("asExtra")) {
        QStringList pairs;
        for (auto it = c.user.impersonateUserExtra.cbegin();
             it != c.user.impersonateUserExtra.cend(); ++it)
            pairs.append(it.key() + u'=' + it.value().join(u','));
        return pairs;
    }
    if (key == QLatin1StringView("warnings"))
        return static_cast<int>(c.warnings.size());
    if (key == QLatin1StringView("definedIn"))
        return QFileInfo(c.user.definedIn.isEmpty() ? c.cluster.definedIn : c.user.definedIn)
            .fileName();
    qFatal("unknown field key %s", qPrintable(key));
    return {};
}

using Expectations = QList<std::pair<QString, QVariant>>;

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(content) == content.size();
}

// A file of `size` zero bytes without writing them (sparse where the file system allows).
bool makeFileOfSize(const QString &path, qint64 size)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.resize(size);
}

// A kubeconfig with `count` clusters, users and contexts named <prefix>-<i>.
QByteArray manyEntries(int count, const QByteArray &server)
{
    QByteArray clusters = "clusters:\n";
    QByteArray users = "users:\n";
    QByteArray contexts = "contexts:\n";
    for (int i = 0; i < count; ++i) {
        const QByteArray n = QByteArray::number(i);
        clusters += "- name: cluster-" + n + "\n  cluster:\n    server: " + server + "/" + n + "\n";
        users += "- name: user-" + n + "\n  user:\n    token: token-" + n + "\n";
        contexts += "- name: ctx-" + n + "\n  context: {cluster: cluster-" + n + ", user: user-" +
                    n + ", namespace: ns-" + n + "}\n";
    }
    return "apiVersion: v1\nkind: Config\ncurrent-context: ctx-0\n" + clusters + users + contexts;
}

// Points the process's standard input at `fd` until the guard is destroyed.
class StdinRedirect
{
public:
    explicit StdinRedirect(int fd)
        : m_saved(::dup(STDIN_FILENO))
    {
        m_ok = m_saved >= 0 && ::dup2(fd, STDIN_FILENO) >= 0;
    }
    ~StdinRedirect()
    {
        if (m_saved >= 0) {
            ::dup2(m_saved, STDIN_FILENO);
            ::close(m_saved);
        }
    }
    StdinRedirect(const StdinRedirect &) = delete;
    StdinRedirect &operator=(const StdinRedirect &) = delete;
    bool ok() const { return m_ok; }

private:
    int m_saved;
    bool m_ok = false;
};

} // namespace

class TestKubeconfig : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_temp;

    // Special files for the refusal tests, made once: "fifo" (a named pipe nobody writes to),
    // "oversize-kubeconfig" (16 MiB + 1) and "oversize-referenced" (1 MiB + 1).
    QString special(const QString &name) const { return m_temp->filePath(name); }

private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(fixture(QStringLiteral("token.yaml"))), qPrintable(dataDir()));
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        QCOMPARE(::mkfifo(QFile::encodeName(special(QStringLiteral("fifo"))).constData(), 0600), 0);
        QVERIFY(
            makeFileOfSize(special(QStringLiteral("oversize-kubeconfig")), 16 * 1024 * 1024 + 1));
        QVERIFY(makeFileOfSize(special(QStringLiteral("oversize-referenced")),
                               kMaxReferencedFileBytes + 1));
    }

    void resolvesFields_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("warningContains");
        QTest::addColumn<Expectations>("expected");

        const QString none;
        QTest::newRow("token, every cluster field")
            << QStringLiteral("token.yaml") << none << none
            << Expectations{
                   {QStringLiteral("cluster"), QStringLiteral("dev-cluster")},
                   {QStringLiteral("user"), QStringLiteral("dev")},
                   {QStringLiteral("server"), QStringLiteral("https://10.0.0.1:6443")},
                   {QStringLiteral("tlsServerName"), QStringLiteral("api.dev.internal")},
                   {QStringLiteral("disableCompression"), true},
                   {QStringLiteral("skipVerify"), false},
                   {QStringLiteral("isInsecure"), false},
                   {QStringLiteral("caSubjects"), QStringList{QStringLiteral("rollscope-test-ca")}},
                   {QStringLiteral("token"), QStringLiteral("static-token-1")},
                   {QStringLiteral("ns"), QStringLiteral("team-a")},
                   {QStringLiteral("warnings"), 0},
                   {QStringLiteral("definedIn"), QStringLiteral("token.yaml")}};
        QTest::newRow("basic auth")
            << QStringLiteral("basic.yaml") << none << none
            << Expectations{{QStringLiteral("username"), QStringLiteral("admin")},
                            {QStringLiteral("password"), QStringLiteral("s3cret-pw")},
                            {QStringLiteral("token"), QString()},
                            {QStringLiteral("ns"), QStringLiteral("default")}};
        QTest::newRow("kind: client certificate as data")
            << QStringLiteral("kind.yaml") << none << none
            << Expectations{
                   {QStringLiteral("server"), QStringLiteral("https://127.0.0.1:40403")},
                   {QStringLiteral("caSubjects"), QStringList{QStringLiteral("rollscope-test-ca")}},
                   {QStringLiteral("clientSubject"), QStringLiteral("rollscope-test-admin")},
                   {QStringLiteral("clientKey"), QStringLiteral("rsa")},
                   {QStringLiteral("warnings"), 0}};
        QTest::newRow("minikube: certificate files")
            << QStringLiteral("minikube.yaml") << none << none
            << Expectations{
                   {QStringLiteral("server"), QStringLiteral("https://192.168.49.2:8443")},
                   {QStringLiteral("caSubjects"), QStringList{QStringLiteral("rollscope-test-ca")}},
                   {QStringLiteral("clientSubject"), QStringLiteral("rollscope-test-admin")},
                   {QStringLiteral("clientKey"), QStringLiteral("rsa")},
                   {QStringLiteral("ns"), QStringLiteral("default")},
                   {QStringLiteral("execExtension"), QStringLiteral("{}")}};
        QTest::newRow("-data wins over file, with warnings")
            << QStringLiteral("ca-data-and-file.yaml") << none
            << QStringLiteral("certificate-authority-data is used")
            << Expectations{
                   {QStringLiteral("caSubjects"), QStringList{QStringLiteral("rollscope-test-ca")}},
                   {QStringLiteral("clientSubject"), QStringLiteral("rollscope-test-admin")},
                   {QStringLiteral("warnings"), 2}};
        QTest::newRow("insecure-skip-tls-verify")
            << QStringLiteral("insecure.yaml") << QStringLiteral("insecure")
            << QStringLiteral("insecure-skip-tls-verify")
            << Expectations{{QStringLiteral("skipVerify"), true},
                            {QStringLiteral("isInsecure"), true},
                            {QStringLiteral("caSubjects"), QStringList{}},
                            {QStringLiteral("warnings"), 1}};
        QTest::newRow("EKS: exec aws, v1beta1")
            << QStringLiteral("eks.yaml") << none << none
            << Expectations{
                   {QStringLiteral("exec.command"), QStringLiteral("aws")},
                   {QStringLiteral("exec.apiVersion"),
                    QStringLiteral("client.authentication.k8s.io/v1beta1")},
                   {QStringLiteral("exec.args"),
                    QStringList{QStringLiteral("--region"), QStringLiteral("us-west-2"),
                                QStringLiteral("eks"), QStringLiteral("get-token"),
                                QStringLiteral("--cluster-name"), QStringLiteral("prod"),
                                QStringLiteral("--output"), QStringLiteral("json")}},
                   {QStringLiteral("exec.env"),
                    QStringList{QStringLiteral("AWS_PROFILE=prod-admin")}},
                   {QStringLiteral("exec.interactiveMode"), QStringLiteral("IfAvailable")},
                   {QStringLiteral("exec.provideClusterInfo"), false},
                   {QStringLiteral("caSubjects"), QStringList{QStringLiteral("rollscope-test-ca")}},
                   {QStringLiteral("hasCredentials"), true}};
        QTest::newRow("GKE: exec gke-gcloud-auth-plugin")
            << QStringLiteral("gke.yaml") << none << none
            << Expectations{
                   {QStringLiteral("exec.command"), QStringLiteral("gke-gcloud-auth-plugin")},
                   {QStringLiteral("exec.args"), QStringList{}},
                   {QStringLiteral("exec.provideClusterInfo"), true},
                   {QStringLiteral("exec.interactiveMode"), QStringLiteral("IfAvailable")},
                   {QStringLiteral("exec.installHint"),
                    QStringLiteral("Install gke-gcloud-auth-plugin for use with kubectl by "
                                   "following https://cloud.google.com/kubernetes-engine/docs/"
                                   "how-to/cluster-access-for-kubectl#install_plugin")}};
        QTest::newRow("AKS: exec kubelogin")
            << QStringLiteral("aks.yaml") << none << none
            << Expectations{
                   {QStringLiteral("server"),
                    QStringLiteral("https://prod-dns-12345678.hcp.westeurope.azmk8s.io:443")},
                   {QStringLiteral("exec.command"), QStringLiteral("kubelogin")},
                   {QStringLiteral("exec.args"),
                    QStringList{QStringLiteral("get-token"), QStringLiteral("--login"),
                                QStringLiteral("azurecli"), QStringLiteral("--server-id"),
                                QStringLiteral("6dae42f8-4368-4678-94ff-3960e28e3630")}},
                   {QStringLiteral("exec.env"), QStringList{}},
                   {QStringLiteral("exec.installHint"),
                    QStringLiteral("\nkubelogin is not installed which is required to connect to "
                                   "AAD enabled cluster.\n\nTo learn more, please go to "
                                   "https://aka.ms/aks/kubelogin\n")}};
        QTest::newRow("OIDC auth-provider: id-token is the bearer")
            << QStringLiteral("oidc.yaml") << QStringLiteral("oidc") << none
            << Expectations{
                   {QStringLiteral("authProvider"), QStringLiteral("oidc")},
                   {QStringLiteral("idToken"),
                    QStringLiteral("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJl")},
                   {QStringLiteral("hasExec"), false}};
        QTest::newRow("impersonation")
            << QStringLiteral("impersonation.yaml") << none << none
            << Expectations{
                   {QStringLiteral("as"), QStringLiteral("jane")},
                   {QStringLiteral("asUid"), QStringLiteral("1234")},
                   {QStringLiteral("asGroups"), QStringList{QStringLiteral("developers")}},
                   {QStringLiteral("asExtra"), QStringList{QStringLiteral("reason=on-call")}},
                   {QStringLiteral("token"), QStringLiteral("admin-token")}};
        QTest::newRow("JSON kubeconfig")
            << QStringLiteral("kubeconfig.json") << none << none
            << Expectations{{QStringLiteral("server"), QStringLiteral("https://10.0.4.1:6443")},
                            {QStringLiteral("token"), QStringLiteral("json-token")},
                            {QStringLiteral("ns"), QStringLiteral("from-json")},
                            {QStringLiteral("asGroups"), QStringList{}},
                            {QStringLiteral("caSubjects"),
                             QStringList{QStringLiteral("rollscope-test-ca")}}};
        QTest::newRow("proxy-url")
            << QStringLiteral("proxy.yaml") << QStringLiteral("socks-proxy") << none
            << Expectations{{QStringLiteral("proxyUrl"), QStringLiteral("socks5://127.0.0.1:1080")},
                            {QStringLiteral("user"), QString()},
                            {QStringLiteral("hasCredentials"), false}};
        QTest::newRow("exec cluster extension")
            << QStringLiteral("exec-extension.yaml") << none << none
            << Expectations{{QStringLiteral("execExtension"),
                             QStringLiteral("{\"audience\":\"rollscope\",\"quoted\":\"42\","
                                            "\"retries\":3,\"scopes\":[\"a\",\"b\"],"
                                            "\"verbose\":false}")},
                            {QStringLiteral("exec.interactiveMode"), QStringLiteral("Never")}};
        QTest::newRow("plain http: no credentials are sent")
            << QStringLiteral("http-server.yaml") << none
            << QStringLiteral("are not sent over plain http")
            << Expectations{{QStringLiteral("server"), QStringLiteral("http://127.0.0.1:8080")},
                            {QStringLiteral("user"), QStringLiteral("u")},
                            {QStringLiteral("token"), QString()},
                            {QStringLiteral("as"), QString()},
                            {QStringLiteral("hasCredentials"), false},
                            {QStringLiteral("isInsecure"), true},
                            {QStringLiteral("warnings"), 2}};
        QTest::newRow("client key matches its certificate (PKCS#8 RSA)")
            << QStringLiteral("key-mismatch.yaml") << QStringLiteral("rsa-pkcs8-match") << none
            << Expectations{
                   {QStringLiteral("clientSubject"), QStringLiteral("rollscope-test-admin")},
                   {QStringLiteral("clientKey"), QStringLiteral("rsa")}};
        QTest::newRow("client key matches its certificate (PKCS#8 EC)")
            << QStringLiteral("key-mismatch.yaml") << QStringLiteral("ec-match") << none
            << Expectations{
                   {QStringLiteral("clientSubject"), QStringLiteral("rollscope-exec-user")},
                   {QStringLiteral("clientKey"), QStringLiteral("ec")}};
    }

    void resolvesFields()
    {
        QFETCH(QString, file);
        QFETCH(QString, context);
        QFETCH(QString, warningContains);
        QFETCH(Expectations, expected);

        const auto config = loadFixture(file);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        const auto resolved = config->resolve(context);
        QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
        for (const auto &[key, value] : expected) {
            const QVariant actual = field(*resolved, key);
            QVERIFY2(actual == value,
                     qPrintable(QStringLiteral("%1: got %2, expected %3")
                                    .arg(key, actual.toString(), value.toString())));
        }
        if (!warningContains.isEmpty()) {
            const QString all = resolved->warnings.join(u'\n');
            QVERIFY2(all.contains(warningContains), qPrintable(all));
        }
    }

    void resolveErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QStringList>("mentions");
        QTest::addColumn<QString>("causeField");

        const QString conflicts = QStringLiteral("conflicts.yaml");
        QTest::newRow("unknown context lists the existing ones")
            << QStringLiteral("insecure.yaml") << QStringLiteral("prod")
            << QStringList{QStringLiteral("\"prod\" does not exist"),
                           QStringLiteral("Available contexts: insecure, insecure-with-ca")}
            << QString();
        QTest::newRow("no current-context lists the contexts")
            << QStringLiteral("no-current-context.yaml") << QString()
            << QStringList{QStringLiteral("no current-context"), QStringLiteral("one, two")}
            << QString();
        QTest::newRow("insecure + CA")
            << QStringLiteral("insecure.yaml") << QStringLiteral("insecure-with-ca")
            << QStringList{QStringLiteral("insecure-skip-tls-verify together with a certificate "
                                          "authority")}
            << QStringLiteral("clusters[name=lab-with-ca].cluster.insecure-skip-tls-verify");
        QTest::newRow("token + basic")
            << conflicts << QStringLiteral("token-and-basic")
            << QStringList{QStringLiteral(
                   "username/password or bearer token may be set, but not both")}
            << QStringLiteral("users[name=token-and-basic].user");
        QTest::newRow("tokenFile + basic")
            << conflicts << QStringLiteral("tokenfile-and-basic")
            << QStringList{QStringLiteral(
                   "username/password or bearer token may be set, but not both")}
            << QString();
        QTest::newRow("exec + auth-provider")
            << conflicts << QStringLiteral("exec-and-auth-provider")
            << QStringList{QStringLiteral("sets both exec and auth-provider")} << QString();
        QTest::newRow("client certificate without key")
            << conflicts << QStringLiteral("cert-without-key")
            << QStringList{QStringLiteral("has a client certificate but no client-key")}
            << QStringLiteral("users[name=cert-without-key].user.client-key");
        QTest::newRow("client key without certificate")
            << conflicts << QStringLiteral("key-without-cert")
            << QStringList{QStringLiteral("has a client key but no client-certificate")}
            << QString();
        QTest::newRow("exec v1 needs interactiveMode")
            << conflicts << QStringLiteral("exec-v1-without-mode")
            << QStringList{QStringLiteral("needs interactiveMode")}
            << QStringLiteral("users[name=exec-v1-without-mode].user.exec.interactiveMode");
        QTest::newRow("exec v1alpha1 was removed")
            << conflicts << QStringLiteral("exec-v1alpha1")
            << QStringList{QStringLiteral("removed in 1.24")} << QString();
        QTest::newRow("exec invalid interactiveMode")
            << conflicts << QStringLiteral("exec-bad-mode")
            << QStringList{QStringLiteral("\"Sometimes\" is not Never, IfAvailable or Always")}
            << QString();
        QTest::newRow("exec without command")
            << conflicts << QStringLiteral("exec-no-command")
            << QStringList{QStringLiteral("has no command")} << QString();
        QTest::newRow("as-groups without as")
            << conflicts << QStringLiteral("groups-without-as")
            << QStringList{QStringLiteral("without as")} << QString();
        QTest::newRow("more than one impersonated group")
            << conflicts << QStringLiteral("two-groups")
            << QStringList{QStringLiteral("impersonates 2 groups")} << QString();
        QTest::newRow("context names a missing cluster")
            << conflicts << QStringLiteral("missing-cluster")
            << QStringList{QStringLiteral("cluster \"nowhere\" is not defined")}
            << QStringLiteral("contexts[name=missing-cluster].context.cluster");
        QTest::newRow("context names a missing user")
            << conflicts << QStringLiteral("missing-user")
            << QStringList{QStringLiteral("user \"nobody\" is not defined")} << QString();
        QTest::newRow("context without cluster")
            << conflicts << QStringLiteral("no-cluster")
            << QStringList{QStringLiteral("names no cluster")} << QString();
        QTest::newRow("invalid namespace")
            << conflicts << QStringLiteral("bad-namespace")
            << QStringList{QStringLiteral("namespace \"Team_A\" is not a valid name")} << QString();
        QTest::newRow("all problems at once")
            << conflicts << QStringLiteral("two-problems")
            << QStringList{QStringLiteral("cluster \"nowhere\""), QStringLiteral("user \"nobody\"")}
            << QString();
        QTest::newRow("missing client certificate names path and field")
            << QStringLiteral("missing-files.yaml") << QStringLiteral("missing-cert")
            << QStringList{fixture(QStringLiteral("certs/missing-client.crt")),
                           QStringLiteral("users[name=dev].user.client-certificate"),
                           fixture(QStringLiteral("missing-files.yaml"))}
            << QStringLiteral("users[name=dev].user.client-certificate");
        QTest::newRow("missing CA file names path and field")
            << QStringLiteral("missing-files.yaml") << QStringLiteral("missing-ca")
            << QStringList{fixture(QStringLiteral("certs/missing-ca.crt")),
                           QStringLiteral("clusters[name=no-ca].cluster.certificate-authority")}
            << QString();
        QTest::newRow("missing token file names path and field")
            << QStringLiteral("missing-files.yaml") << QStringLiteral("missing-token-file")
            << QStringList{fixture(QStringLiteral("tokens/missing-token")),
                           QStringLiteral("users[name=token-file].user.tokenFile")}
            << QString();
        QTest::newRow("gcp auth-provider was removed")
            << QStringLiteral("legacy-auth-providers.yaml") << QStringLiteral("gcp")
            << QStringList{QStringLiteral("gcp auth-provider, which was removed"),
                           QStringLiteral("gke-gcloud-auth-plugin")}
            << QStringLiteral("users[name=gcp].user.auth-provider");
        QTest::newRow("azure auth-provider was removed")
            << QStringLiteral("legacy-auth-providers.yaml") << QStringLiteral("azure")
            << QStringList{QStringLiteral("azure auth-provider, which was removed"),
                           QStringLiteral("kubelogin")}
            << QString();
        QTest::newRow("unknown auth-provider")
            << QStringLiteral("legacy-auth-providers.yaml") << QStringLiteral("openstack")
            << QStringList{QStringLiteral("\"openstack\""), QStringLiteral("exec plugin")}
            << QString();
        QTest::newRow("oidc without id-token")
            << QStringLiteral("oidc.yaml") << QStringLiteral("oidc-without-id-token")
            << QStringList{QStringLiteral("has no id-token"), QStringLiteral("kubelogin")}
            << QString();
        QTest::newRow("unsupported proxy scheme")
            << QStringLiteral("proxy.yaml") << QStringLiteral("ftp-proxy")
            << QStringList{QStringLiteral("ftp://proxy.corp:21"), QStringLiteral("socks5")}
            << QStringLiteral("clusters[name=ftp-proxy].cluster.proxy-url");
        QTest::newRow("unparsable server is shown as written, with its file")
            << QStringLiteral("bad-server.yaml") << QStringLiteral("bad-port")
            << QStringList{QStringLiteral(
                               "server \"https://10.0.0.1:port\" of cluster \"bad-port\""),
                           fixture(QStringLiteral("bad-server.yaml"))}
            << QStringLiteral("clusters[name=bad-port].cluster.server");
        QTest::newRow("unparsable server hides its password")
            << QStringLiteral("bad-server.yaml") << QStringLiteral("bad-host")
            << QStringList{QStringLiteral("server \"https://admin:<masked>@[::1:6443/api\"")}
            << QString();
        const QString mismatch = QStringLiteral("key-mismatch.yaml");
        QTest::newRow("client key of another algorithm names both files and the kubeconfig")
            << mismatch << QStringLiteral("rsa-cert-ec-key")
            << QStringList{QStringLiteral("does not belong to its client certificate"),
                           fixture(mismatch), fixture(QStringLiteral("certs/exec-client.key")),
                           fixture(QStringLiteral("certs/client.crt"))}
            << QStringLiteral("users[name=rsa-cert-ec-key].user.client-key");
        QTest::newRow("another RSA key")
            << mismatch << QStringLiteral("other-rsa-key")
            << QStringList{QStringLiteral("does not belong to its client certificate"),
                           fixture(mismatch), fixture(QStringLiteral("certs/unrelated-rsa.key"))}
            << QStringLiteral("users[name=other-rsa-key].user.client-key");
        QTest::newRow("another EC key")
            << mismatch << QStringLiteral("other-ec-key")
            << QStringList{QStringLiteral("does not belong to its client certificate"),
                           fixture(QStringLiteral("certs/unrelated-ec.key"))}
            << QStringLiteral("users[name=other-ec-key].user.client-key");
        QTest::newRow("another RSA key, both as -data")
            << mismatch << QStringLiteral("other-rsa-key-data")
            << QStringList{QStringLiteral("does not belong to its client certificate"),
                           fixture(mismatch), QStringLiteral("client-key-data")}
            << QStringLiteral("users[name=other-rsa-key-data].user.client-key-data");
    }

    void resolveErrors()
    {
        QFETCH(QString, file);
        QFETCH(QString, context);
        QFETCH(QStringList, mentions);
        QFETCH(QString, causeField);

        const auto config = loadFixture(file);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        const auto resolved = config->resolve(context);
        QVERIFY(!resolved.ok());
        QCOMPARE(resolved.error().kind, Error::Kind::Config);
        const QString message = resolved.error().message;
        for (const QString &mention : mentions)
            QVERIFY2(message.contains(mention), qPrintable(message));
        if (!causeField.isEmpty()) {
            bool found = false;
            for (const ErrorCause &cause : resolved.error().causes)
                found = found || cause.field == causeField;
            QVERIFY2(found, qPrintable(causeField));
        }
    }

    void loadErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QStringList>("mentions");

        QTest::newRow("malformed YAML names file, line and column")
            << QStringLiteral("bad-yaml.yaml")
            << QStringList{fixture(QStringLiteral("bad-yaml.yaml")),
                           QStringLiteral("line 7, column 25"),
                           QStringLiteral("illegal map value")};
        QTest::newRow("wrong type names file, line, column and field")
            << QStringLiteral("bad-type.yaml")
            << QStringList{fixture(QStringLiteral("bad-type.yaml")),
                           QStringLiteral("line 7, column 12"),
                           QStringLiteral("users[name=dev].user.token must be a string")};
        QTest::newRow("invalid base64 names the field")
            << QStringLiteral("bad-base64.yaml")
            << QStringList{QStringLiteral("line 7, column 33"),
                           QStringLiteral("clusters[name=c].cluster.certificate-authority-data is "
                                          "not valid base64")};
        QTest::newRow("a name defined twice in one file")
            << QStringLiteral("duplicate.yaml")
            << QStringList{QStringLiteral("line 6, column 3"),
                           QStringLiteral("contexts[name=twice] is defined twice")};
        QTest::newRow("--kubeconfig must exist")
            << QStringLiteral("no-such-file.yaml")
            << QStringList{fixture(QStringLiteral("no-such-file.yaml")),
                           QStringLiteral("does not exist")};
        // kubectl: "excessive aliasing". Before the bound this file took gigabytes and minutes.
        QTest::newRow("alias bomb in the exec extension")
            << QStringLiteral("alias-bomb.yaml")
            << QStringList{fixture(QStringLiteral("alias-bomb.yaml")),
                           QStringLiteral("line 15, column 28"),
                           QStringLiteral("YAML aliases expand this file by more than 400000 "
                                          "values")};
        QTest::newRow("aliases repeating a long string")
            << QStringLiteral("alias-text-bomb.yaml")
            << QStringList{fixture(QStringLiteral("alias-text-bomb.yaml")),
                           QStringLiteral("line 15, column 13"),
                           QStringLiteral("by more than 16 MiB of text")};
        QTest::newRow("an alias inside its own anchor")
            << QStringLiteral("alias-cycle.yaml")
            << QStringList{fixture(QStringLiteral("alias-cycle.yaml")),
                           QStringLiteral("line 10, column 16"),
                           QStringLiteral("this alias is used inside its own anchor")};
    }

    void loadErrors()
    {
        QFETCH(QString, file);
        QFETCH(QStringList, mentions);
        const auto config = loadFixture(file);
        QVERIFY(!config.ok());
        QCOMPARE(config.error().kind, Error::Kind::Config);
        for (const QString &mention : mentions)
            QVERIFY2(config.error().message.contains(mention), qPrintable(config.error().message));
    }

    void emptyFileIsAnEmptyConfig()
    {
        const auto config = loadFixture(QStringLiteral("empty.yaml"));
        QVERIFY(config.ok());
        QVERIFY(!config->isEmpty());
        QVERIFY(config->contextNames().isEmpty());
        const auto resolved = config->resolve();
        QVERIFY(!resolved.ok());
        QVERIFY2(resolved.error().message.contains(QStringLiteral("defines no contexts")),
                 qPrintable(resolved.error().message));
    }

    void mergeFirstDefinitionWinsWhole()
    {
        // Duplicates removed, a missing entry skipped, later definitions of a name ignored.
        const auto config =
            loadList({QStringLiteral("merge/a.yaml"), QStringLiteral("merge/missing.yaml"),
                      QStringLiteral("merge/sub/b.yaml"), QStringLiteral("merge/a.yaml")});
        QVERIFY(config.ok());
        QCOMPARE(config->files(), (QStringList{fixture(QStringLiteral("merge/a.yaml")),
                                               fixture(QStringLiteral("merge/sub/b.yaml"))}));
        QCOMPARE(config->currentContext(), QStringLiteral("ctx-a"));
        QCOMPARE(config->contextNames(),
                 (QStringList{QStringLiteral("ctx-a"), QStringLiteral("ctx-b")}));
        QVERIFY(config->warnings().isEmpty());

        const auto a = config->resolve();
        QVERIFY(a.ok());
        QCOMPARE(a->cluster.server.toString(), QStringLiteral("https://a.example.com"));
        QCOMPARE(a->ns, QStringLiteral("from-a"));
        QCOMPARE(a->user.token, QStringLiteral("token-from-a"));
        // b's client certificate for the same user is not merged in.
        QVERIFY(a->user.clientCertificateFile.isEmpty());
        QVERIFY(a->clientCertificate.isNull());
        QCOMPARE(a->cluster.definedIn, fixture(QStringLiteral("merge/a.yaml")));

        const auto b = config->resolve(QStringLiteral("ctx-b"));
        QVERIFY2(b.ok(), qPrintable(b.ok() ? QString() : b.error().message));
        QCOMPARE(b->cluster.name, QStringLiteral("only-b"));
        // Relative to merge/sub/, where only-b is defined.
        QCOMPARE(b->cluster.certificateAuthorityFile,
                 fixture(QStringLiteral("certs/other-ca.crt")));
        QCOMPARE(commonName(b->caCertificates.value(0)), QStringLiteral("rollscope-other-ca"));
        QCOMPARE(b->user.token, QStringLiteral("token-from-a"));
    }

    void mergeOrderDecides()
    {
        const auto config =
            loadList({QStringLiteral("merge/sub/b.yaml"), QStringLiteral("merge/a.yaml")});
        QVERIFY(config.ok());
        QCOMPARE(config->currentContext(), QStringLiteral("ctx-b"));
        const auto a = config->resolve(QStringLiteral("ctx-a"));
        QVERIFY(a.ok());
        QCOMPARE(a->cluster.name, QStringLiteral("only-b"));
        QCOMPARE(a->ns, QStringLiteral("from-b"));
        QCOMPARE(a->user.token, QStringLiteral("token-from-b"));
        QCOMPARE(config->cluster(QStringLiteral("shared"))->server.toString(),
                 QStringLiteral("https://b.example.com"));
    }

    void currentContextIsFirstNonEmpty()
    {
        const auto config =
            loadList({QStringLiteral("no-current-context.yaml"), QStringLiteral("merge/a.yaml")});
        QVERIFY(config.ok());
        QCOMPARE(config->currentContext(), QStringLiteral("ctx-a"));
    }

    void whichFilesAreLoaded_data()
    {
        QTest::addColumn<QString>("explicitPath");
        QTest::addColumn<QString>("env");
        QTest::addColumn<QString>("home");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<bool>("warns");

        const QString token = fixture(QStringLiteral("token.yaml"));
        const QString basic = fixture(QStringLiteral("basic.yaml"));
        const QString home = fixture(QStringLiteral("home"));
        const QString homeConfig = fixture(QStringLiteral("home/.kube/config"));
        QTest::newRow("--kubeconfig only, never merged")
            << token << basic << home << QStringList{token} << false;
        QTest::newRow("KUBECONFIG before home")
            << QString() << basic << home << QStringList{basic} << false;
        QTest::newRow("empty KUBECONFIG means home")
            << QString() << QString() << home << QStringList{homeConfig} << false;
        QTest::newRow("KUBECONFIG of separators only means nothing")
            << QString() << QStringLiteral("::") << home << QStringList{} << false;
        QTest::newRow("all KUBECONFIG entries missing: empty, with a warning")
            << QString() << fixture(QStringLiteral("nope-1")) << home << QStringList{} << true;
        QTest::newRow("no ~/.kube/config: empty, quietly")
            << QString() << QString() << fixture(QStringLiteral("certs")) << QStringList{} << false;
    }

    void whichFilesAreLoaded()
    {
        QFETCH(QString, explicitPath);
        QFETCH(QString, env);
        QFETCH(QString, home);
        QFETCH(QStringList, files);
        QFETCH(bool, warns);

        Kubeconfig::LoadOptions options;
        options.explicitPath = explicitPath;
        options.kubeconfigEnv = env;
        options.homeDir = home;
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QCOMPARE(config->files(), files);
        QCOMPARE(config->isEmpty(), files.isEmpty());
        QCOMPARE(!config->warnings().isEmpty(), warns);
    }

    void relativePathsFollowTheDefiningFile()
    {
        // The working directory must not matter.
        const QString previous = QDir::currentPath();
        QDir::setCurrent(QDir::rootPath());
        const auto config = loadFixture(QStringLiteral("relative/nested/config"));
        QDir::setCurrent(previous);
        QVERIFY(config.ok());

        const auto rel = config->resolve();
        QVERIFY2(rel.ok(), qPrintable(rel.ok() ? QString() : rel.error().message));
        QCOMPARE(rel->cluster.certificateAuthorityFile, fixture(QStringLiteral("certs/ca.crt")));
        QCOMPARE(rel->user.clientCertificateFile, fixture(QStringLiteral("certs/client.crt")));
        QCOMPARE(rel->user.clientKeyFile, fixture(QStringLiteral("certs/client.key")));
        QCOMPARE(rel->user.tokenFile, fixture(QStringLiteral("relative/nested/token.txt")));
        QCOMPARE(rel->user.token, QStringLiteral("token-from-file"));
        QCOMPARE(commonName(rel->clientCertificate), QStringLiteral("rollscope-test-admin"));

        const auto exec = config->user(QStringLiteral("rel-exec"));
        QVERIFY(exec && exec->exec);
        QCOMPARE(exec->exec->command, fixture(QStringLiteral("relative/nested/bin/get-token")));
        const auto bare = config->user(QStringLiteral("rel-bare-exec"));
        QVERIFY(bare && bare->exec);
        QCOMPARE(bare->exec->command, QStringLiteral("kubectl-oidc_login"));
    }

    void namespaces_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("override");
        QTest::addColumn<QString>("expected");

        QTest::newRow("context's namespace")
            << QStringLiteral("with-namespace") << QString() << QStringLiteral("payments");
        QTest::newRow("default") << QStringLiteral("without-namespace") << QString()
                                 << QStringLiteral("default");
        QTest::newRow("override wins") << QStringLiteral("with-namespace")
                                       << QStringLiteral("team-b") << QStringLiteral("team-b");
        QTest::newRow("override without context namespace")
            << QStringLiteral("without-namespace") << QStringLiteral("kube-system")
            << QStringLiteral("kube-system");
        QTest::newRow("invalid override is refused")
            << QStringLiteral("with-namespace") << QStringLiteral("../secrets") << QString();
    }

    void namespaces()
    {
        QFETCH(QString, context);
        QFETCH(QString, override);
        QFETCH(QString, expected);
        const auto config = loadFixture(QStringLiteral("namespaces.yaml"));
        QVERIFY(config.ok());
        const auto resolved = config->resolve(context, override);
        QCOMPARE(resolved.ok(), !expected.isEmpty());
        if (resolved.ok())
            QCOMPARE(resolved->ns, expected);
        else
            QVERIFY(resolved.error().message.contains(QStringLiteral("../secrets")));
    }

    void proxyFor_data()
    {
        QTest::addColumn<QString>("context");
        QTest::addColumn<int>("type"); // -1: an error
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("mention");

        QTest::newRow("none: the application proxy (HTTPS_PROXY) applies")
            << QStringLiteral("no-proxy") << int(QNetworkProxy::DefaultProxy) << QString() << 0
            << QString();
        QTest::newRow("http") << QStringLiteral("http-proxy") << int(QNetworkProxy::HttpProxy)
                              << QStringLiteral("proxy.corp") << 3128 << QString();
        QTest::newRow("socks5") << QStringLiteral("socks-proxy") << int(QNetworkProxy::Socks5Proxy)
                                << QStringLiteral("127.0.0.1") << 1080 << QString();
        QTest::newRow("https is explained")
            << QStringLiteral("https-proxy") << -1 << QString() << 0 << QStringLiteral("http://");
    }

    void proxyFor()
    {
        QFETCH(QString, context);
        QFETCH(int, type);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, mention);

        const auto config = loadFixture(QStringLiteral("proxy.yaml"));
        QVERIFY(config.ok());
        const auto resolved = config->resolve(context);
        QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
        const auto proxy = kube::proxyFor(*resolved);
        QCOMPARE(proxy.ok(), type != -1);
        if (!proxy.ok()) {
            QVERIFY2(proxy.error().message.contains(mention), qPrintable(proxy.error().message));
            return;
        }
        QCOMPARE(int(proxy->type()), type);
        QCOMPARE(proxy->hostName(), host);
        QCOMPARE(int(proxy->port()), port);
        if (context == QLatin1StringView("http-proxy")) {
            QCOMPARE(proxy->user(), QStringLiteral("proxyuser"));
            QCOMPARE(proxy->password(), QStringLiteral("proxy-pass"));
        }
    }

    void sslConfiguration_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("context");
        QTest::addColumn<bool>("verifyPeer");
        QTest::addColumn<QString>("caSubject");
        QTest::addColumn<QString>("localSubject");

        QTest::newRow("CA and client certificate")
            << QStringLiteral("kind.yaml") << QString() << true
            << QStringLiteral("rollscope-test-ca") << QStringLiteral("rollscope-test-admin");
        QTest::newRow("insecure: no verification")
            << QStringLiteral("insecure.yaml") << QStringLiteral("insecure") << false << QString()
            << QString();
    }

    void sslConfiguration()
    {
        QFETCH(QString, file);
        QFETCH(QString, context);
        QFETCH(bool, verifyPeer);
        QFETCH(QString, caSubject);
        QFETCH(QString, localSubject);

        const auto config = loadFixture(file);
        QVERIFY(config.ok());
        const auto resolved = config->resolve(context);
        QVERIFY(resolved.ok());
        const QSslConfiguration ssl = sslConfigurationFor(*resolved);
        QCOMPARE(ssl.protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(ssl.peerVerifyMode(),
                 verifyPeer ? QSslSocket::VerifyPeer : QSslSocket::VerifyNone);
        if (!caSubject.isEmpty()) {
            // Only the kubeconfig's CA, not the system roots.
            QCOMPARE(ssl.caCertificates().size(), 1);
            QCOMPARE(commonName(ssl.caCertificates().first()), caSubject);
        }
        QCOMPARE(commonName(ssl.localCertificate()), localSubject);
        QCOMPARE(ssl.privateKey().isNull(), localSubject.isEmpty());
        QCOMPARE(ssl.allowedNextProtocols(),
                 (QList<QByteArray>{QByteArray(QSslConfiguration::ALPNProtocolHTTP2),
                                    QByteArray(QSslConfiguration::NextProtocolHttp1_1)}));
    }

    void configureRequestAppliesClusterSettings()
    {
        const auto config = loadFixture(QStringLiteral("token.yaml"));
        QVERIFY(config.ok());
        const auto resolved = config->resolve();
        QVERIFY(resolved.ok());
        QNetworkRequest request(QUrl(QStringLiteral("https://10.0.0.1:6443/version")));
        configureRequest(*resolved, request);
        QCOMPARE(request.peerVerifyName(), QStringLiteral("api.dev.internal"));
        QCOMPARE(request.rawHeader("Accept-Encoding"), QByteArray("identity"));
        QCOMPARE(request.sslConfiguration().caCertificates().size(), 1);
    }

    void duplicateKeysKeepTheLastValue()
    {
        // As kubectl: sigs.k8s.io/yaml's non-strict YAMLToJSON lets a repeated key overwrite.
        const auto config = loadFixture(QStringLiteral("duplicate-keys.yaml"));
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->currentContext(), QStringLiteral("second"));
        const auto resolved = config->resolve();
        QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
        QCOMPARE(resolved->cluster.server.toString(), QStringLiteral("https://second.example.com"));
        QCOMPARE(resolved->ns, QStringLiteral("ns-second"));
        // The second users list replaced the first, and within it the second token won.
        QCOMPARE(resolved->user.token, QStringLiteral("second-token"));
    }

    void aliasedStringFieldsAreBounded()
    {
        // Not only extensions: every string field copies what its alias points to. 200 tokens
        // aliasing one 100 KB string are 20 MB.
        QByteArray yaml = "apiVersion: v1\nkind: Config\nusers:\n- name: u0\n  user:\n"
                          "    token: &s " +
                          QByteArray(100 * 1000, 'y') + "\n";
        for (int i = 1; i < 200; ++i)
            yaml += "- {name: u" + QByteArray::number(i) + ", user: {token: *s}}\n";
        const QString file = m_temp->filePath(QStringLiteral("aliased-tokens.yaml"));
        QVERIFY(writeFile(file, yaml));
        Kubeconfig::LoadOptions options;
        options.explicitPath = file;
        const auto config = Kubeconfig::load(options);
        QVERIFY(!config.ok());
        const QString message = config.error().message;
        QVERIFY2(message.contains(file) && message.contains(QStringLiteral("16 MiB of text")),
                 qPrintable(message));

        // A few aliases are fine, and read as what they point to.
        QByteArray few = "apiVersion: v1\nkind: Config\ncurrent-context: a\nclusters:\n"
                         "- name: c\n  cluster: &cluster {server: 'https://10.0.0.1:6443'}\n"
                         "- name: d\n  cluster: *cluster\n"
                         "users:\n- {name: u, user: {token: &t shared-token}}\n"
                         "- {name: v, user: {token: *t}}\n"
                         "contexts:\n- {name: a, context: {cluster: d, user: v}}\n";
        QVERIFY(writeFile(file, few));
        const auto fine = Kubeconfig::load(options);
        QVERIFY2(fine.ok(), qPrintable(fine.ok() ? QString() : fine.error().message));
        const auto resolved = fine->resolve();
        QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
        QCOMPARE(resolved->cluster.server.toString(), QStringLiteral("https://10.0.0.1:6443"));
        QCOMPARE(resolved->user.token, QStringLiteral("shared-token"));
    }

    void unparsableServerDoesNotShowItsPassword()
    {
        const auto config = loadFixture(QStringLiteral("bad-server.yaml"));
        QVERIFY(config.ok());
        const auto resolved = config->resolve(QStringLiteral("bad-host"));
        QVERIFY(!resolved.ok());
        QVERIFY2(!resolved.error().message.contains(QStringLiteral("hunter2")),
                 qPrintable(resolved.error().message));
    }

    void kubeconfigMustBeARegularFile_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("mention");

        QTest::newRow("/dev/zero")
            << QStringLiteral("/dev/zero") << QStringLiteral("it is a device, not a regular file");
        QTest::newRow("/dev/urandom") << QStringLiteral("/dev/urandom")
                                      << QStringLiteral("it is a device, not a regular file");
        QTest::newRow("a FIFO nobody writes to")
            << special(QStringLiteral("fifo")) << QStringLiteral("FIFO (named pipe)");
        QTest::newRow("a regular file over the limit")
            << special(QStringLiteral("oversize-kubeconfig"))
            << QStringLiteral("larger than 16 MiB");
    }

    void kubeconfigMustBeARegularFile()
    {
        QFETCH(QString, path);
        QFETCH(QString, mention);
        for (const bool viaEnv : {false, true}) {
            Kubeconfig::LoadOptions options;
            if (viaEnv)
                options.kubeconfigEnv = path;
            else
                options.explicitPath = path;
            const auto config = Kubeconfig::load(options);
            QVERIFY(!config.ok());
            QCOMPARE(config.error().kind, Error::Kind::Config);
            const QString message = config.error().message;
            QVERIFY2(message.contains(path) && message.contains(mention), qPrintable(message));
        }
    }

    void referencedFilesMustBeRegularFiles_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("mention");

        const QString device = QStringLiteral("it is a device, not a regular file");
        const QString clientCrt = fixture(QStringLiteral("certs/client.crt"));
        const QString clientKey = fixture(QStringLiteral("certs/client.key"));
        QTest::newRow("CA from /dev/urandom")
            << QStringLiteral("{token: t}") << QStringLiteral("/dev/urandom")
            << QStringLiteral("clusters[name=c].cluster.certificate-authority") << device;
        QTest::newRow("CA over the limit")
            << QStringLiteral("{token: t}") << special(QStringLiteral("oversize-referenced"))
            << QStringLiteral("clusters[name=c].cluster.certificate-authority")
            << QStringLiteral("larger than 1 MiB");
        QTest::newRow("tokenFile is a FIFO")
            << QStringLiteral("{tokenFile: %1}").arg(special(QStringLiteral("fifo")))
            << special(QStringLiteral("fifo")) << QStringLiteral("users[name=u].user.tokenFile")
            << QStringLiteral("FIFO (named pipe)");
        QTest::newRow("tokenFile is /dev/zero")
            << QStringLiteral("{tokenFile: /dev/zero}") << QStringLiteral("/dev/zero")
            << QStringLiteral("users[name=u].user.tokenFile") << device;
        QTest::newRow("client-key is /dev/zero")
            << QStringLiteral("{client-certificate: %1, client-key: /dev/zero}").arg(clientCrt)
            << QStringLiteral("/dev/zero") << QStringLiteral("users[name=u].user.client-key")
            << device;
        QTest::newRow("client-certificate is a FIFO")
            << QStringLiteral("{client-certificate: %1, client-key: %2}")
                   .arg(special(QStringLiteral("fifo")), clientKey)
            << special(QStringLiteral("fifo"))
            << QStringLiteral("users[name=u].user.client-certificate")
            << QStringLiteral("FIFO (named pipe)");
    }

    void referencedFilesMustBeRegularFiles()
    {
        QFETCH(QString, user);
        QFETCH(QString, path);
        QFETCH(QString, field);
        QFETCH(QString, mention);

        // The CA row names `path` as the CA; the others use a real CA.
        const bool caRow = field.startsWith(QLatin1StringView("clusters"));
        const QString ca = caRow ? path : fixture(QStringLiteral("certs/ca.crt"));
        const QString file = m_temp->filePath(QStringLiteral("referencing.yaml"));
        QVERIFY(writeFile(file, QStringLiteral("apiVersion: v1\nkind: Config\ncurrent-context: x\n"
                                               "clusters:\n- name: c\n  cluster:\n"
                                               "    server: https://10.0.0.1:6443\n"
                                               "    certificate-authority: %1\n"
                                               "users:\n- name: u\n  user: %2\n"
                                               "contexts:\n- name: x\n  context: {cluster: c, "
                                               "user: u}\n")
                                    .arg(ca, user)
                                    .toUtf8()));
        Kubeconfig::LoadOptions options;
        options.explicitPath = file;
        const auto config = Kubeconfig::load(options);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        const auto resolved = config->resolve();
        QVERIFY(!resolved.ok());
        const QString message = resolved.error().message;
        QVERIFY2(message.contains(path) && message.contains(mention) && message.contains(field) &&
                     message.contains(file),
                 qPrintable(message));
        bool found = false;
        for (const ErrorCause &cause : resolved.error().causes)
            found = found || cause.field == field;
        QVERIFY2(found, qPrintable(field));
    }

    void kubeconfigFromStandardInput()
    {
        // kubectl --kubeconfig /dev/stdin works; so must this, from a pipe.
        int fds[2] = {-1, -1};
        QCOMPARE(::pipe(fds), 0);
        const auto closePipe = qScopeGuard([&fds] {
            ::close(fds[0]);
            if (fds[1] >= 0)
                ::close(fds[1]);
        });
        const QByteArray content = manyEntries(3, "https://stdin.example.com");
        QCOMPARE(::write(fds[1], content.constData(), size_t(content.size())),
                 ssize_t(content.size()));
        ::close(fds[1]);
        fds[1] = -1;
        const StdinRedirect redirect(fds[0]);
        QVERIFY(redirect.ok());

        Kubeconfig::LoadOptions options;
        options.explicitPath = QStringLiteral("/dev/stdin");
        const auto config = Kubeconfig::load(options);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        QCOMPARE(config->files(), QStringList{QStringLiteral("/dev/stdin")});
        QCOMPARE(config->contextNames(),
                 (QStringList{QStringLiteral("ctx-0"), QStringLiteral("ctx-1"),
                              QStringLiteral("ctx-2")}));
        QCOMPARE(config->cluster(QStringLiteral("cluster-2"))->server.toString(),
                 QStringLiteral("https://stdin.example.com/2"));
    }

    void standardInputIsBoundedToo()
    {
        // `--kubeconfig /dev/stdin < /dev/zero` must end, at the limit.
        const int zero = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
        QVERIFY(zero >= 0);
        const auto closeZero = qScopeGuard([zero] { ::close(zero); });
        const StdinRedirect redirect(zero);
        QVERIFY(redirect.ok());

        Kubeconfig::LoadOptions options;
        options.explicitPath = QStringLiteral("/dev/stdin");
        const auto config = Kubeconfig::load(options);
        QVERIFY(!config.ok());
        QVERIFY2(config.error().message.contains(QStringLiteral("/dev/stdin")) &&
                     config.error().message.contains(QStringLiteral("larger than 16 MiB")),
                 qPrintable(config.error().message));
    }

    void manyEntriesLoad()
    {
        // Merging used to look every name up in the lists loaded so far: 200k contexts took
        // minutes. Content only here; the timing is in the change's notes.
        constexpr int count = 20000;
        const QString big = m_temp->filePath(QStringLiteral("big.yaml"));
        const QString overlap = m_temp->filePath(QStringLiteral("overlap.yaml"));
        QVERIFY(writeFile(big, manyEntries(count, "https://big.example.com")));
        QVERIFY(writeFile(overlap, manyEntries(count / 2, "https://overlap.example.com")));

        Kubeconfig::LoadOptions options;
        options.kubeconfigEnv = overlap + QDir::listSeparator() + big;
        const auto config = Kubeconfig::load(options);
        QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));
        const QStringList names = config->contextNames();
        QCOMPARE(names.size(), count);
        QCOMPARE(names.first(), QStringLiteral("ctx-0"));
        QCOMPARE(names.last(), QStringLiteral("ctx-%1").arg(count - 1));
        // The first file defines the first half; the rest comes from the second.
        QCOMPARE(config->cluster(QStringLiteral("cluster-42"))->server.toString(),
                 QStringLiteral("https://overlap.example.com/42"));
        QCOMPARE(config->cluster(QStringLiteral("cluster-%1").arg(count - 1))->server.toString(),
                 QStringLiteral("https://big.example.com/%1").arg(count - 1));
        QCOMPARE(config->user(QStringLiteral("user-12345"))->token, QStringLiteral("token-12345"));
        QCOMPARE(config->context(QStringLiteral("ctx-12345"))->ns, QStringLiteral("ns-12345"));
        QVERIFY(!config->context(QStringLiteral("ctx-%1").arg(count)));

        const auto resolved = config->resolve(QStringLiteral("ctx-19999"));
        QVERIFY2(resolved.ok(), qPrintable(resolved.ok() ? QString() : resolved.error().message));
        QCOMPARE(resolved->cluster.name, QStringLiteral("cluster-19999"));
        QCOMPARE(resolved->user.token, QStringLiteral("token-19999"));
        QCOMPARE(resolved->ns, QStringLiteral("ns-19999"));
    }

    void resolveWithoutAnyFile()
    {
        Kubeconfig::LoadOptions options;
        options.kubeconfigEnv = fixture(QStringLiteral("nope-1"));
        const auto config = Kubeconfig::load(options);
        QVERIFY(config.ok());
        QVERIFY(config->isEmpty());
        const auto resolved = config->resolve();
        QVERIFY(!resolved.ok());
        QVERIFY(resolved.error().message.contains(QStringLiteral("No kubeconfig file was found")));
    }
};

ROLLSCOPE_TEST_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
