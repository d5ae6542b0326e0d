// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"
#include "kube/kubeconfig.h"

#include <QByteArray>
#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSslCertificate>
#include <QSslKey>
#include <QString>
#include <QStringList>

#include <chrono>
#include <functional>
#include <optional>

class QDebug;
class QNetworkRequest;
class QProcess;
class QTimer;

namespace rollscope::kube {

// The credential to use for requests now. `kind` says which Authorization header is sent; a
// certificate and key, when set, go into the TLS configuration (a user may have both, e.g. a
// client certificate plus an exec token).
struct Credential
{
    enum class Kind
    {
        None,
        Bearer,
        Basic,
        ClientCertificate
    };

    Kind kind = Kind::None;
    QString token;
    QString username;
    QString password;
    QSslCertificate certificate;
    QSslKey key;
    QDateTime expiry;   // invalid = does not expire
    quint64 serial = 0; // identifies one issued credential for invalidate()
};

// Prints the kind, serial and expiry; secrets are masked.
QDebug operator<<(QDebug debug, const Credential &credential);

// What a consent dialog shows before an exec plugin runs. Holds env variable names only: their
// values may be secrets and never leave the kubeconfig.
struct ExecApprovalRequest
{
    QString kubeconfigFile;
    QString userName;
    QString command;
    QStringList args;
    QStringList envNames;
    QString installHint;
    QString fingerprint; // ExecConsent::fingerprint() of this plugin, for ExecConsentStore
};

using ExecApprovalReply = std::function<void(bool approved)>;
using ExecApprovalHandler =
    std::function<void(const ExecApprovalRequest &request, ExecApprovalReply reply)>;

// An Authorization / Proxy-Authorization value safe to log: "Bearer <masked>", "Basic <masked>".
// Other headers come back unchanged.
QString redactHeaderValue(const QString &name, const QString &value);

// Hands out the credential of one ClusterConfig: static token / basic / client certificate,
// tokenFile (re-read about once a minute, as client-go does), the oidc id-token, or an exec
// plugin's output (cached until its expirationTimestamp, per process: providers for the same
// plugin and cluster share it). Lives on
// the GUI thread and never blocks it: exec plugins run through QProcess, without a shell, with
// stdin closed, under a timeout.
class CredentialProvider : public QObject
{
    Q_OBJECT

public:
    using Done = std::function<void(Result<Credential>)>;

    explicit CredentialProvider(ClusterConfig config, QObject *parent = nullptr);
    ~CredentialProvider() override;

    const ClusterConfig &config() const { return m_config; }

    // Calls done with the credential to use now: synchronously for static credentials and cached
    // exec credentials, asynchronously when an exec plugin has to run. Calls made while a plugin
    // runs (or waits for approval) share that run. `done` is not called if this object is
    // destroyed first.
    void acquire(Done done);

    // After a 401 with `used`: drops the cached exec / tokenFile credential it came from, so the
    // next acquire() runs the plugin or re-reads the file (once per credential, like client-go).
    // Returns true if a retry could help (exec or tokenFile), false for static credentials.
    bool invalidate(const Credential &used);

    // Called before the first plugin run of this provider; the run waits for reply(true).
    // Without a handler plugins run without asking, as kubectl does. reply must be called on this
    // object's thread; extra calls are ignored.
    void setApprovalHandler(ExecApprovalHandler handler);
    void setExecTimeout(std::chrono::milliseconds timeout);
    std::chrono::milliseconds execTimeout() const { return m_execTimeout; }
    // How long a tokenFile's content is trusted before it is read again (default one minute).
    void setTokenFileRefreshInterval(std::chrono::milliseconds interval);

    // Forgets every cached exec credential of this process (e.g. after the user logs out).
    static void clearExecCache();

    // The request an approval handler gets for this provider's plugin (empty without exec).
    ExecApprovalRequest approvalRequest() const;

    // Sets the Authorization header (Bearer/Basic), Impersonate-* headers and the client
    // certificate in the request's QSslConfiguration. Does nothing for plain http URLs (kubectl
    // sends no credentials without TLS) and keeps an Authorization header already present.
    static void apply(const Credential &credential, const UserInfo &user, QNetworkRequest &request);

signals:
    void execRunningChanged(bool running);

private:
    enum class ExecState
    {
        Idle,
        AwaitingApproval,
        Running
    };

    void acquireExec(Done done);
    void beginExec();
    void onApprovalAnswer(quint64 ticket, bool approved);
    void startProcess();
    void onProcessFinished(QProcess *process, int exitCode, bool crashed);
    void onProcessFailedToStart(QProcess *process);
    void onExecTimeout();
    void completeExec(Result<Credential> result);
    Error execError(Error::Kind kind, const QString &headline, const QString &detail,
                    bool withStderr) const;
    QString stderrText() const;
    QString scrub(QString text) const;
    std::optional<Error> refreshFileToken();

    ClusterConfig m_config;
    Credential m_static;

    // tokenFile
    QElapsedTimer m_tokenAge;
    std::chrono::milliseconds m_tokenRefresh{std::chrono::minutes(1)};
    bool m_tokenStale = false;

    // exec
    ExecApprovalHandler m_approvalHandler;
    std::chrono::milliseconds m_execTimeout{std::chrono::seconds(60)};
    bool m_execApproved = false;
    quint64 m_approvalTicket = 0;
    ExecState m_state = ExecState::Idle;
    QByteArray m_execCacheKey;
    QList<Done> m_waiters;
    QPointer<QProcess> m_process;
    QTimer *m_timer = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
    bool m_stderrTruncated = false;
    bool m_stdoutTooLarge = false;
    bool m_timedOut = false;
};

} // namespace rollscope::kube
