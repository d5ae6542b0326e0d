// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QMap>
#include <QNetworkProxy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>
#include <utility>

class QNetworkRequest;

namespace rollscope::kube {

// Certificate, key and token files that a kubeconfig names are small; larger ones are refused
// rather than read into memory.
inline constexpr qint64 kMaxReferencedFileBytes = 1024 * 1024;

// users[].user.exec: a credential plugin (client.authentication.k8s.io/v1 or /v1beta1).
struct ExecConfig
{
    enum class InteractiveMode
    {
        Never,
        IfAvailable,
        Always
    };

    QString apiVersion;
    // Absolute when the kubeconfig gave a path (it contained a '/'), else a bare name that is
    // looked up in PATH when the plugin runs.
    QString command;
    QStringList args;
    // Appended to the parent's environment. The values are secrets: never log or show them.
    QList<std::pair<QString, QString>> env;
    QString installHint;
    bool provideClusterInfo = false;
    InteractiveMode interactiveMode = InteractiveMode::IfAvailable;
};

// users[].user.auth-provider (legacy; only oidc still works upstream).
struct AuthProviderConfig
{
    QString name;
    // Values include id-token, refresh-token and client-secret: never log or show them.
    QMap<QString, QString> config;
};

struct ClusterInfo
{
    QString name;
    QUrl server;
    // The server field as the kubeconfig spells it, for messages about a URL that does not parse
    // (an invalid QUrl prints as "").
    QString serverAsWritten;
    // certificate-authority-data after load(); resolve() reads certificate-authority into it
    // when no -data was given.
    QByteArray caPem;
    QString certificateAuthorityFile; // absolute; empty when not set
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QUrl proxyUrl;
    bool disableCompression = false;
    // extensions[name=client.authentication.k8s.io/exec].extension; Null when absent. Passed to
    // exec plugins as spec.cluster.config.
    QJsonValue execExtension;
    QString definedIn; // the kubeconfig file this entry came from
};

// A kubeconfig user ("AuthInfo"). Every credential field is a secret: it never reaches a log, an
// error message or a string meant for people.
struct UserInfo
{
    QString name;
    // client-certificate-data / client-key-data after load(); resolve() reads the files into
    // them when no -data was given.
    QByteArray clientCertPem;
    QByteArray clientKeyPem;
    QString clientCertificateFile; // absolute; empty when not set
    QString clientKeyFile;         // absolute; empty when not set
    // After resolve(), `token` holds the tokenFile's content when only tokenFile was given.
    QString token;
    QString tokenFile; // absolute; empty when not set
    QString username;
    QString password;
    std::optional<ExecConfig> exec;
    std::optional<AuthProviderConfig> authProvider;
    QString impersonate;
    QStringList impersonateGroups;
    QString impersonateUid;
    QMap<QString, QStringList> impersonateUserExtra;
    QString definedIn;

    // Whether any field would authenticate a request (token, basic, certificate, exec, ...).
    bool hasCredentials() const;
    bool impersonates() const;
};

struct ContextInfo
{
    QString name;
    QString cluster;
    QString user;
    QString ns;
    QString definedIn;
};

// Everything needed to talk to one cluster; certificates already read and parsed.
struct ClusterConfig
{
    QString contextName;
    ClusterInfo cluster;
    UserInfo user;
    QString ns = QStringLiteral("default");
    QList<QSslCertificate> caCertificates;
    QSslCertificate clientCertificate;
    QSslKey clientKey;
    // Things the UI should show once, e.g. insecure-skip-tls-verify, CA file and -data both given.
    QStringList warnings;

    // True when the server's identity is not checked (insecure-skip-tls-verify) or the connection
    // is not encrypted at all (http://).
    bool isInsecure() const;
};

// The merged view of the loaded kubeconfig files, following client-go's loading rules: the first
// file that defines a cluster, user or context name wins with its whole entry, and scalars such
// as current-context take the first non-empty value.
class Kubeconfig
{
    Q_DECLARE_TR_FUNCTIONS(Kubeconfig)

public:
    struct LoadOptions
    {
        QString explicitPath;                 // --kubeconfig: only this file, and it must exist
        std::optional<QString> kubeconfigEnv; // unset = read $KUBECONFIG
        QString homeDir;                      // empty = QDir::homePath()
    };

    // Fails on a file that cannot be read or parsed (the message names file, line and column) and
    // on a missing --kubeconfig file. Finding no file at all is not an error: see isEmpty().
    // Only regular files up to 16 MiB are read, plus /dev/stdin (bounded the same way); devices
    // and FIFOs are refused without blocking.
    static Result<Kubeconfig> load(const LoadOptions &options);

    QStringList contextNames() const;
    QList<ContextInfo> contexts() const;
    QString currentContext() const;
    QStringList files() const; // files actually loaded, in precedence order
    // Notes about loading that are not errors, e.g. every $KUBECONFIG entry was missing.
    QStringList warnings() const;
    bool isEmpty() const; // no file found at all (the app then offers its demo cluster)

    std::optional<ContextInfo> context(const QString &name) const;
    std::optional<ClusterInfo> cluster(const QString &name) const;
    std::optional<UserInfo> user(const QString &name) const;

    // Validates the context and what it refers to, reads certificate and token files and parses
    // certificates. An empty contextName means current-context. All problems found are reported
    // together, each also as an ErrorCause whose `field` names the kubeconfig field.
    Result<ClusterConfig> resolve(const QString &contextName = {},
                                  const QString &namespaceOverride = {}) const;

    // Problems noticed while parsing that only matter when the entry is used (kubectl, too,
    // reports them only for the context in use).
    struct DeferredProblem
    {
        QString field;
        QString message;
    };

private:
    QStringList m_files;
    QStringList m_warnings;
    QString m_currentContext;
    QList<ContextInfo> m_contexts;
    QList<ClusterInfo> m_clusters;
    QList<UserInfo> m_users;
    // Position of each name in the lists above.
    QHash<QString, qsizetype> m_contextIndex;
    QHash<QString, qsizetype> m_clusterIndex;
    QHash<QString, qsizetype> m_userIndex;
    QMap<QString, QList<DeferredProblem>> m_userProblems; // by user name

    friend class KubeconfigParser;
};

// CA (only the kubeconfig's when it names one, as client-go does), peer verification,
// client certificate and key, TLS 1.2 or later, ALPN h2 + http/1.1.
QSslConfiguration sslConfigurationFor(const ClusterConfig &config);

// proxy-url as a QNetworkProxy: http -> HttpProxy, socks5 -> Socks5Proxy; https is explained as
// unsupported (Qt cannot speak TLS to a proxy). Without proxy-url: QNetworkProxy::DefaultProxy, so
// the application proxy (and with it HTTPS_PROXY / NO_PROXY) applies.
Result<QNetworkProxy> proxyFor(const ClusterConfig &config);

// Cluster-level request settings: sslConfigurationFor(), tls-server-name as the peer verify name
// (Qt uses it for SNI and certificate verification) and disable-compression.
void configureRequest(const ClusterConfig &config, QNetworkRequest &request);

} // namespace rollscope::kube
