// SPDX-License-Identifier: MIT
#include "kube/credentials.h"

#include "common/boundedfile.h"
#include "kube/execconsent.h"
#include "kube/execplugin.h"

#include <QCryptographicHash>
#include <QDebug>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkRequest>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <memory>
#include <utility>

namespace rollscope::kube {

namespace {

// Debug output is opt-in (QT_LOGGING_RULES="rollscope.kube.*=true"); failures reach the caller.
Q_LOGGING_CATEGORY(lcCredentials, "rollscope.kube.credentials", QtWarningMsg)

// A plugin's stderr is for people: enough to see the error, not enough to flood a dialog.
constexpr qsizetype kMaxStderrBytes = 4096;
// An ExecCredential is a few KiB; anything near this is a misbehaving plugin.
constexpr qsizetype kMaxStdoutBytes = 1024 * 1024;
// Shorter strings are too common to scrub from plugin output without mangling it, and too short
// to be a credential worth hiding.
constexpr qsizetype kMinScrubLength = 4;

constexpr QLatin1StringView kExecInfoVariable("KUBERNETES_EXEC_INFO");
constexpr QLatin1StringView kRedacted("<redacted>");

quint64 nextSerial()
{
    static std::atomic<quint64> serial{0};
    return ++serial;
}

// Exec credentials live as long as the process, like client-go's cache of authenticators: a
// second provider for the same plugin and cluster (a new window, a context switch back) reuses
// the credential instead of running the plugin again. Providers live on the GUI thread; the mutex
// only guards against one that does not.
class ExecCache
{
public:
    static ExecCache &instance()
    {
        static ExecCache cache;
        return cache;
    }
    std::optional<Credential> find(const QByteArray &key)
    {
        const QMutexLocker lock(&m_mutex);
        const auto it = m_entries.constFind(key);
        if (it == m_entries.cend())
            return std::nullopt;
        if (it->expiry.isValid() && QDateTime::currentDateTimeUtc() >= it->expiry) {
            m_entries.erase(it);
            return std::nullopt;
        }
        return *it;
    }
    void store(const QByteArray &key, const Credential &credential)
    {
        const QMutexLocker lock(&m_mutex);
        m_entries.insert(key, credential);
    }
    // Drops the entry only if it is still the credential that failed.
    void drop(const QByteArray &key, quint64 serial)
    {
        const QMutexLocker lock(&m_mutex);
        const auto it = m_entries.constFind(key);
        if (it != m_entries.cend() && it->serial == serial)
            m_entries.erase(it);
    }
    void clear()
    {
        const QMutexLocker lock(&m_mutex);
        m_entries.clear();
    }

private:
    QMutex m_mutex;
    QHash<QByteArray, Credential> m_entries;
};

bool tokenHasLineBreak(const QString &text)
{
    return text.contains(u'\n') || text.contains(u'\r') || text.contains(QChar(0));
}

QString secondsText(std::chrono::milliseconds duration)
{
    return QString::number(static_cast<double>(duration.count()) / 1000.0, 'g', 3);
}

// RFC 7230 token characters stay, everything else is percent-encoded, as Kubernetes expects for
// Impersonate-Extra-<key>.
QByteArray headerKeyEscape(const QString &key)
{
    return QUrl::toPercentEncoding(key, "!#$&'*+^`|");
}

} // namespace

QDebug operator<<(QDebug debug, const Credential &credential)
{
    const QDebugStateSaver saver(debug);
    debug.nospace() << "Credential(";
    switch (credential.kind) {
    case Credential::Kind::None:
        debug << "None";
        break;
    case Credential::Kind::Bearer:
        debug << "Bearer, token=<masked>";
        break;
    case Credential::Kind::Basic:
        debug << "Basic, username=" << credential.username << ", password=<masked>";
        break;
    case Credential::Kind::ClientCertificate:
        debug << "ClientCertificate";
        break;
    }
    if (!credential.certificate.isNull())
        debug << ", certificate=" << credential.certificate.subjectDisplayName()
              << ", key=<masked>";
    if (credential.expiry.isValid())
        debug << ", expiry=" << credential.expiry.toString(Qt::ISODate);
    debug << ", serial=" << credential.serial << ')';
    return debug;
}

QString redactHeaderValue(const QString &name, const QString &value)
{
    const bool authorization =
        name.compare(QLatin1StringView("Authorization"), Qt::CaseInsensitive) == 0 ||
        name.compare(QLatin1StringView("Proxy-Authorization"), Qt::CaseInsensitive) == 0;
    if (authorization) {
        const qsizetype space = value.indexOf(u' ');
        const QString scheme = space > 0 ? value.left(space) : QString();
        bool plainScheme = !scheme.isEmpty() && scheme.size() <= 20;
        for (const QChar c : scheme)
            plainScheme = plainScheme && (c.isLetter() || c == u'-');
        return plainScheme ? scheme + QLatin1StringView(" <masked>") : QStringLiteral("<masked>");
    }
    if (name.compare(QLatin1StringView("Cookie"), Qt::CaseInsensitive) == 0 ||
        name.compare(QLatin1StringView("Set-Cookie"), Qt::CaseInsensitive) == 0)
        return QStringLiteral("<masked>");
    return value;
}

// ---------------------------------------------------------------------------------------------

CredentialProvider::CredentialProvider(ClusterConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &CredentialProvider::onExecTimeout);

    const UserInfo &user = m_config.user;
    m_static.serial = nextSerial();
    if (!m_config.clientCertificate.isNull() && !m_config.clientKey.isNull()) {
        m_static.kind = Credential::Kind::ClientCertificate;
        m_static.certificate = m_config.clientCertificate;
        m_static.key = m_config.clientKey;
    }
    if (user.authProvider && user.authProvider->name == QLatin1StringView("oidc")) {
        m_static.kind = Credential::Kind::Bearer;
        m_static.token = user.authProvider->config.value(QStringLiteral("id-token"));
    } else if (!user.token.isEmpty()) {
        m_static.kind = Credential::Kind::Bearer;
        m_static.token = user.token;
    } else if (!user.username.isEmpty() || !user.password.isEmpty()) {
        m_static.kind = Credential::Kind::Basic;
        m_static.username = user.username;
        m_static.password = user.password;
    }
    if (user.exec) {
        // The plugin, how it runs, and what it is told about the cluster.
        QCryptographicHash key(QCryptographicHash::Sha256);
        key.addData(ExecConsent::fingerprint(user).toLatin1());
        key.addData(user.exec->apiVersion.toUtf8());
        key.addData(ExecPlugin::execInfo(m_config));
        m_execCacheKey = key.result();
    }
    // resolve() has read tokenFile already; a hand-made config may not have.
    m_tokenStale = !user.tokenFile.isEmpty() && user.token.isEmpty();
    m_tokenAge.start();
}

CredentialProvider::~CredentialProvider()
{
    if (m_process) {
        // Not interested in the outcome any more. Killed without waiting (that would block the
        // GUI thread); the process object goes away once the child is reaped.
        QProcess *process = m_process;
        process->disconnect(this);
        process->setParent(nullptr);
        connect(process, &QProcess::finished, process, &QObject::deleteLater);
        process->kill();
    }
}

void CredentialProvider::clearExecCache()
{
    ExecCache::instance().clear();
}

void CredentialProvider::setApprovalHandler(ExecApprovalHandler handler)
{
    m_approvalHandler = std::move(handler);
}

void CredentialProvider::setExecTimeout(std::chrono::milliseconds timeout)
{
    m_execTimeout = timeout;
}

void CredentialProvider::setTokenFileRefreshInterval(std::chrono::milliseconds interval)
{
    m_tokenRefresh = interval;
}

ExecApprovalRequest CredentialProvider::approvalRequest() const
{
    ExecApprovalRequest request;
    const UserInfo &user = m_config.user;
    if (!user.exec)
        return request;
    request.kubeconfigFile = user.definedIn;
    request.userName = user.name;
    request.command = user.exec->command;
    request.args = user.exec->args;
    for (const auto &entry : user.exec->env)
        request.envNames.append(entry.first);
    request.installHint = user.exec->installHint;
    request.fingerprint = ExecConsent::fingerprint(user);
    return request;
}

void CredentialProvider::acquire(Done done)
{
    if (!done)
        return;
    if (m_config.user.exec) {
        acquireExec(std::move(done));
        return;
    }
    if (!m_config.user.tokenFile.isEmpty()) {
        if (std::optional<Error> failure = refreshFileToken()) {
            done(*failure);
            return;
        }
    }
    done(m_static);
}

bool CredentialProvider::invalidate(const Credential &used)
{
    const UserInfo &user = m_config.user;
    if (user.exec) {
        // Only the credential that failed is dropped: a 401 for an older one must not throw
        // away the fresh credential another request already got.
        ExecCache::instance().drop(m_execCacheKey, used.serial);
        return true;
    }
    if (!user.tokenFile.isEmpty()) {
        if (used.serial == m_static.serial)
            m_tokenStale = true;
        return true;
    }
    return false;
}

std::optional<Error> CredentialProvider::refreshFileToken()
{
    const bool due = m_tokenStale || m_tokenAge.elapsed() >= m_tokenRefresh.count();
    if (!due)
        return std::nullopt;
    const UserInfo &user = m_config.user;
    // Bounded and regular files only, like the first read in Kubeconfig::resolve(): a token
    // cut off at a limit would be a wrong token, and a FIFO would block the GUI thread.
    const Result<QByteArray> content = BoundedFile::read(user.tokenFile, kMaxReferencedFileBytes);
    QString reason;
    QString token;
    if (!content) {
        reason = content.error().message;
    } else {
        token = QString::fromUtf8(*content).trimmed();
        if (token.isEmpty())
            reason = tr("the file is empty");
        else if (tokenHasLineBreak(token))
            reason = tr("the file holds more than one line");
    }
    m_tokenStale = false;
    m_tokenAge.restart();
    if (!reason.isEmpty()) {
        const QString message = tr("Cannot read the token file %1 of user \"%2\": %3")
                                    .arg(user.tokenFile, user.name, reason);
        if (m_static.token.isEmpty())
            return Error::make(Error::Kind::Config, message);
        // client-go keeps the last good token when a refresh fails; so do we, until next time.
        qCWarning(lcCredentials).noquote() << message << "- keeping the previous token";
        return std::nullopt;
    }
    if (token != m_static.token) {
        m_static.kind = Credential::Kind::Bearer;
        m_static.token = token;
        m_static.serial = nextSerial();
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------

void CredentialProvider::acquireExec(Done done)
{
    if (const std::optional<Credential> cached = ExecCache::instance().find(m_execCacheKey)) {
        done(*cached);
        return;
    }
    m_waiters.append(std::move(done));
    if (m_state == ExecState::Idle)
        beginExec();
}

void CredentialProvider::beginExec()
{
    const ExecConfig &exec = *m_config.user.exec;
    if (exec.interactiveMode == ExecConfig::InteractiveMode::Always) {
        completeExec(execError(
            Error::Kind::Config,
            tr("The exec plugin \"%1\" of user \"%2\" has interactiveMode Always: it needs an "
               "interactive terminal, which Rollscope does not provide. Log in from a terminal "
               "first, or set interactiveMode to IfAvailable or Never.")
                .arg(exec.command, m_config.user.name),
            {}, false));
        return;
    }
    if (m_approvalHandler && !m_execApproved) {
        m_state = ExecState::AwaitingApproval;
        const quint64 ticket = ++m_approvalTicket;
        QPointer<CredentialProvider> self(this);
        auto answered = std::make_shared<bool>(false);
        // A copy: the handler may replace itself through setApprovalHandler().
        const ExecApprovalHandler handler = m_approvalHandler;
        handler(approvalRequest(), [self, ticket, answered](bool approved) {
            if (*answered)
                return;
            *answered = true;
            if (self)
                self->onApprovalAnswer(ticket, approved);
        });
        return;
    }
    startProcess();
}

void CredentialProvider::onApprovalAnswer(quint64 ticket, bool approved)
{
    if (ticket != m_approvalTicket || m_state != ExecState::AwaitingApproval)
        return;
    if (!approved) {
        completeExec(execError(Error::Kind::Cancelled,
                               tr("Running the exec plugin \"%1\" of user \"%2\" was declined.")
                                   .arg(m_config.user.exec->command, m_config.user.name),
                               {}, false));
        return;
    }
    m_execApproved = true;
    startProcess();
}

void CredentialProvider::startProcess()
{
    const ExecConfig &exec = *m_config.user.exec;
    const QString &userName = m_config.user.name;

    // Resolved here rather than by QProcess so "not found" is told apart from other failures.
    // Like Go's exec.Command, PATH is the parent's, not one from the plugin's env entries, and
    // relative PATH entries (".") are ignored so a bare name never runs a program from the
    // working directory.
    QString program = exec.command;
    if (!program.contains(u'/')) {
        QStringList searchPath;
        const QStringList pathEntries =
            qEnvironmentVariable("PATH").split(QDir::listSeparator(), Qt::SkipEmptyParts);
        for (const QString &entry : pathEntries) {
            if (QDir::isAbsolutePath(entry))
                searchPath.append(entry);
        }
        program = searchPath.isEmpty() ? QString()
                                       : QStandardPaths::findExecutable(exec.command, searchPath);
        if (program.isEmpty()) {
            completeExec(execError(Error::Kind::Config,
                                   tr("The exec plugin command \"%1\" of user \"%2\" was not "
                                      "found in PATH.")
                                       .arg(exec.command, userName),
                                   {}, false));
            return;
        }
    } else {
        const QFileInfo info(program);
        if (info.isDir()) {
            completeExec(execError(Error::Kind::Config,
                                   tr("The exec plugin command \"%1\" of user \"%2\" is a folder, "
                                      "not a program.")
                                       .arg(exec.command, userName),
                                   {}, false));
            return;
        }
        if (!info.exists()) {
            completeExec(
                execError(Error::Kind::Config,
                          tr("The exec plugin command \"%1\" of user \"%2\" does not exist.")
                              .arg(exec.command, userName),
                          {}, false));
            return;
        }
        if (!info.isExecutable()) {
            completeExec(execError(Error::Kind::Config,
                                   tr("The exec plugin command \"%1\" of user \"%2\" is not "
                                      "executable.")
                                       .arg(exec.command, userName),
                                   {}, false));
            return;
        }
    }

    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const auto &[name, value] : exec.env)
        environment.insert(name, value); // appended: the plugin's entry wins, as in Go
    environment.insert(kExecInfoVariable, QString::fromUtf8(ExecPlugin::execInfo(m_config)));

    auto *process = new QProcess(this);
    process->setProgram(program); // an argument vector: no shell ever sees the arguments
    process->setArguments(exec.args);
    process->setProcessEnvironment(environment);
    process->setStandardInputFile(QProcess::nullDevice()); // never interactive
    process->setProcessChannelMode(QProcess::SeparateChannels);

    connect(process, &QProcess::readyReadStandardOutput, this, [this, process] {
        if (process != m_process)
            return;
        m_stdout += process->readAllStandardOutput();
        if (m_stdout.size() > kMaxStdoutBytes && !m_stdoutTooLarge) {
            m_stdoutTooLarge = true;
            m_stdout.clear();
            process->kill();
        }
    });
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        if (process != m_process)
            return;
        m_stderr += process->readAllStandardError();
        if (m_stderr.size() > kMaxStderrBytes) {
            // The end of the output is where the reason usually is.
            m_stderr = m_stderr.right(kMaxStderrBytes);
            m_stderrTruncated = true;
        }
    });
    connect(process, &QProcess::finished, this,
            [this, process](int exitCode, QProcess::ExitStatus status) {
                onProcessFinished(process, exitCode, status == QProcess::CrashExit);
            });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            onProcessFailedToStart(process);
    });

    m_process = process;
    m_state = ExecState::Running;
    m_stdout.clear();
    m_stderr.clear();
    m_stderrTruncated = false;
    m_stdoutTooLarge = false;
    m_timedOut = false;
    m_timer->start(m_execTimeout);
    qCDebug(lcCredentials).noquote()
        << "running exec plugin" << exec.command << "for user" << userName;
    emit execRunningChanged(true);
    process->start();
}

void CredentialProvider::onExecTimeout()
{
    if (!m_process)
        return;
    m_timedOut = true;
    m_process->kill(); // finished() follows and reports the timeout
}

void CredentialProvider::onProcessFailedToStart(QProcess *process)
{
    if (process != m_process)
        return;
    m_timer->stop();
    m_process = nullptr;
    const QString reason = process->errorString();
    // Detached first: a done callback may delete this provider, and with it its children.
    process->setParent(nullptr);
    process->deleteLater();
    completeExec(execError(Error::Kind::Config,
                           tr("The exec plugin \"%1\" of user \"%2\" could not be started: %3")
                               .arg(m_config.user.exec->command, m_config.user.name, reason),
                           {}, false));
}

void CredentialProvider::onProcessFinished(QProcess *process, int exitCode, bool crashed)
{
    if (process != m_process)
        return;
    m_timer->stop();
    if (!m_stdoutTooLarge)
        m_stdout += process->readAllStandardOutput();
    m_stderr += process->readAllStandardError();
    if (m_stderr.size() > kMaxStderrBytes) {
        m_stderr = m_stderr.right(kMaxStderrBytes);
        m_stderrTruncated = true;
    }
    m_process = nullptr;
    // Detached first: a done callback may delete this provider, and with it its children.
    process->setParent(nullptr);
    process->deleteLater();

    const QString &command = m_config.user.exec->command;
    const QString &userName = m_config.user.name;
    if (m_timedOut) {
        completeExec(execError(Error::Kind::Timeout,
                               tr("The exec plugin \"%1\" of user \"%2\" did not finish within "
                                  "%3 s and was stopped.")
                                   .arg(command, userName, secondsText(m_execTimeout)),
                               {}, true));
        return;
    }
    if (m_stdoutTooLarge) {
        completeExec(execError(Error::Kind::Protocol,
                               tr("The exec plugin \"%1\" of user \"%2\" printed more than %3 KiB "
                                  "and was stopped.")
                                   .arg(command, userName, QString::number(kMaxStdoutBytes / 1024)),
                               {}, true));
        return;
    }
    if (crashed || exitCode != 0) {
        completeExec(execError(
            Error::Kind::Config,
            crashed ? tr("The exec plugin \"%1\" of user \"%2\" crashed.").arg(command, userName)
                    : tr("The exec plugin \"%1\" of user \"%2\" failed with exit code %3.")
                          .arg(command, userName, QString::number(exitCode)),
            {}, true));
        return;
    }
    Result<Credential> parsed = ExecPlugin::parseOutput(m_stdout, m_config.user.exec->apiVersion);
    m_stdout.clear(); // holds the credential; not needed any more
    if (!parsed) {
        completeExec(execError(parsed.error().kind,
                               tr("The exec plugin \"%1\" of user \"%2\" returned an unusable "
                                  "credential:")
                                   .arg(command, userName),
                               parsed.error().message, true));
        return;
    }
    completeExec(std::move(parsed));
}

void CredentialProvider::completeExec(Result<Credential> result)
{
    m_stdout.clear();
    const bool wasRunning = m_state == ExecState::Running;
    m_state = ExecState::Idle;
    if (result) {
        Credential &credential = result.value();
        // A static client certificate still applies when the plugin returns only a token.
        if (credential.certificate.isNull() && !m_static.certificate.isNull()) {
            credential.certificate = m_static.certificate;
            credential.key = m_static.key;
        }
        credential.serial = nextSerial();
        ExecCache::instance().store(m_execCacheKey, credential);
    } else {
        qCDebug(lcCredentials).noquote() << result.error().message;
    }
    if (wasRunning)
        emit execRunningChanged(false);
    // A callback may acquire() again or even delete this provider: take the list first and
    // touch no member afterwards.
    const QList<Done> waiters = std::exchange(m_waiters, {});
    for (const Done &done : waiters)
        done(result);
}

QString CredentialProvider::stderrText() const
{
    QString text = QString::fromUtf8(m_stderr);
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control && c != u'\n' && c != u'\t')
            c = u'?';
    }
    if (m_stderrTruncated) {
        // Start at a line boundary rather than mid-line.
        const qsizetype newline = text.indexOf(u'\n');
        if (newline >= 0 && newline + 1 < text.size())
            text = text.mid(newline + 1);
    }
    text = text.trimmed();
    if (m_stderrTruncated && !text.isEmpty())
        text.prepend(QStringLiteral("[...]\n"));
    return text;
}

Error CredentialProvider::execError(Error::Kind kind, const QString &headline,
                                    const QString &detail, bool withStderr) const
{
    // The headline is Rollscope's own text; what came from the plugin or the kubeconfig is
    // scrubbed of known secrets.
    QString message = headline;
    if (!detail.isEmpty())
        message += u' ' + scrub(detail);
    const QString output = withStderr ? stderrText() : QString();
    if (!output.isEmpty())
        message += u'\n' + tr("Its error output:") + u'\n' + scrub(output);
    const QString &hint = m_config.user.exec->installHint;
    if (!hint.isEmpty())
        message += QLatin1StringView("\n\n") + scrub(hint.trimmed());
    return Error::make(kind, message);
}

// Plugins sometimes echo their environment or the credential they got; whatever Rollscope knows
// to be secret is cut out before the text reaches a dialog or a log.
QString CredentialProvider::scrub(QString text) const
{
    QStringList secrets;
    const UserInfo &user = m_config.user;
    if (user.exec) {
        for (const auto &entry : user.exec->env)
            secrets.append(entry.second);
    }
    secrets << user.token << user.password << m_static.token << m_static.password;
    if (const std::optional<Credential> cached = ExecCache::instance().find(m_execCacheKey))
        secrets << cached->token;
    if (user.authProvider) {
        for (const QString &value : user.authProvider->config)
            secrets.append(value);
    }
    // Longest first, so a secret containing another is cut out whole.
    std::sort(secrets.begin(), secrets.end(),
              [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &secret : std::as_const(secrets)) {
        if (secret.size() >= kMinScrubLength)
            text.replace(secret, kRedacted);
    }
    return text;
}

// ---------------------------------------------------------------------------------------------

void CredentialProvider::apply(const Credential &credential, const UserInfo &user,
                               QNetworkRequest &request)
{
    if (request.url().scheme() == QLatin1StringView("http"))
        return;
    if (!request.hasRawHeader("Authorization")) {
        switch (credential.kind) {
        case Credential::Kind::Bearer:
            request.setRawHeader("Authorization", "Bearer " + credential.token.toUtf8());
            break;
        case Credential::Kind::Basic:
            request.setRawHeader(
                "Authorization",
                "Basic " + (credential.username + u':' + credential.password).toUtf8().toBase64());
            break;
        case Credential::Kind::None:
        case Credential::Kind::ClientCertificate:
            break;
        }
    }
    if (!credential.certificate.isNull() && !credential.key.isNull()) {
        QSslConfiguration ssl = request.sslConfiguration();
        ssl.setLocalCertificate(credential.certificate);
        ssl.setPrivateKey(credential.key);
        request.setSslConfiguration(ssl);
    }
    if (!user.impersonate.isEmpty())
        request.setRawHeader("Impersonate-User", user.impersonate.toUtf8());
    if (!user.impersonateUid.isEmpty())
        request.setRawHeader("Impersonate-Uid", user.impersonateUid.toUtf8());
    // resolve() allows at most one group and one value per extra key (see there).
    if (!user.impersonateGroups.isEmpty())
        request.setRawHeader("Impersonate-Group", user.impersonateGroups.first().toUtf8());
    for (auto it = user.impersonateUserExtra.cbegin(); it != user.impersonateUserExtra.cend();
         ++it) {
        if (!it.value().isEmpty())
            request.setRawHeader("Impersonate-Extra-" + headerKeyEscape(it.key()),
                                 it.value().first().toUtf8());
    }
}

} // namespace rollscope::kube
