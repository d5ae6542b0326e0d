// SPDX-License-Identifier: MIT
#include "kube/logstream.h"

#include "common/version.h"
#include "kube/apierror.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>

#include <algorithm>

namespace rollscope::kube {

namespace {

// The start of a UTF-8 character at or before `at`, so a cut never splits one.
qsizetype logUtf8Boundary(const QByteArray &bytes, qsizetype at)
{
    while (at > 0 && at < bytes.size() && (static_cast<unsigned char>(bytes.at(at)) & 0xC0) == 0x80)
        --at;
    return at;
}

class LogStreamText
{
    Q_DECLARE_TR_FUNCTIONS(LogStream)
};

} // namespace

// --- LogLineSplitter ---------------------------------------------------------------------------

LogLineSplitter::LogLineSplitter(qsizetype maxLineBytes)
    : m_maxLineBytes(std::max<qsizetype>(4, maxLineBytes))
{}

QString LogLineSplitter::truncationMarker(qint64 fullBytes)
{
    return tr(" … [line cut: %1 bytes]").arg(fullBytes);
}

QString LogLineSplitter::takeLine()
{
    QByteArray bytes = std::exchange(m_pending, {});
    if (m_droppedOfLine == 0 && bytes.endsWith('\r'))
        bytes.chop(1);
    if (m_droppedOfLine == 0)
        return QString::fromUtf8(bytes);
    const qint64 full = bytes.size() + m_droppedOfLine;
    m_droppedOfLine = 0;
    ++m_truncatedLines;
    return QString::fromUtf8(bytes) + truncationMarker(full);
}

QStringList LogLineSplitter::feed(QByteArrayView data)
{
    QStringList lines;
    while (!data.isEmpty()) {
        const qsizetype newline = data.indexOf('\n');
        const QByteArrayView part = newline < 0 ? data : data.first(newline);
        // Keep at most m_maxLineBytes of the line; count the rest.
        const qsizetype room = std::max<qsizetype>(0, m_maxLineBytes - m_pending.size());
        if (m_droppedOfLine == 0 && part.size() <= room) {
            m_pending += part;
        } else {
            if (m_droppedOfLine == 0) {
                m_pending += part.first(room);
                const qsizetype cut = logUtf8Boundary(m_pending, m_pending.size());
                // Bytes of a character cut in two count as dropped.
                m_droppedOfLine += m_pending.size() - cut;
                m_pending.truncate(cut);
                m_droppedOfLine += part.size() - room;
            } else {
                m_droppedOfLine += part.size();
            }
        }
        if (newline < 0)
            break;
        lines.append(takeLine());
        data = data.sliced(newline + 1);
    }
    return lines;
}

QStringList LogLineSplitter::finish()
{
    if (m_pending.isEmpty() && m_droppedOfLine == 0)
        return {};
    return {takeLine()};
}

// --- LogBuffer ---------------------------------------------------------------------------------

LogBuffer::LogBuffer(int maxLines, qsizetype maxChars)
    : m_maxLines(std::max(1, maxLines))
    , m_maxChars(std::max<qsizetype>(1, maxChars))
{}

int LogBuffer::append(const QStringList &lines)
{
    for (const QString &line : lines) {
        m_lines.push_back(line);
        m_chars += line.size() + 1;
    }
    int dropped = 0;
    while (!m_lines.empty() &&
           (static_cast<qsizetype>(m_lines.size()) > m_maxLines || m_chars > m_maxChars)) {
        m_chars -= m_lines.front().size() + 1;
        m_lines.pop_front();
        ++dropped;
    }
    m_dropped += dropped;
    return dropped;
}

void LogBuffer::clear()
{
    m_lines.clear();
    m_chars = 0;
    m_dropped = 0;
}

QString LogBuffer::text() const
{
    QString all;
    all.reserve(m_chars);
    for (const QString &line : m_lines) {
        all += line;
        all += u'\n';
    }
    return all;
}

// --- LogStream ---------------------------------------------------------------------------------

LogStream::LogStream(ApiClient *client, QString ns, QString pod, LogOptions options,
                     QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_ns(std::move(ns))
    , m_pod(std::move(pod))
    , m_options(std::move(options))
    , m_splitter(m_options.maxLineBytes)
{}

LogStream::~LogStream()
{
    m_done = true;
    closeReply();
}

ApiRequest LogStream::request(const QString &ns, const QString &pod, const LogOptions &options)
{
    QUrlQuery query;
    if (!options.container.isEmpty())
        query.addQueryItem(QStringLiteral("container"), options.container);
    if (options.follow)
        query.addQueryItem(QStringLiteral("follow"), QStringLiteral("true"));
    if (options.tailLines >= 0)
        query.addQueryItem(QStringLiteral("tailLines"), QString::number(options.tailLines));
    if (options.timestamps)
        query.addQueryItem(QStringLiteral("timestamps"), QStringLiteral("true"));
    ApiRequest r = ApiRequest::get(QStringLiteral("/api/v1/namespaces/%1/pods/%2/log")
                                       .arg(QString::fromLatin1(QUrl::toPercentEncoding(ns)),
                                            QString::fromLatin1(QUrl::toPercentEncoding(pod))),
                                   query);
    r.accept = QByteArrayLiteral("application/json, */*");
    return r;
}

qint64 LogStream::bufferedBytes() const
{
    return (m_reply ? m_reply->bytesAvailable() : 0) + m_splitter.pendingBytes();
}

void LogStream::start()
{
    if (m_started)
        return;
    m_started = true;
    m_clock.start();
    if (!m_client) {
        QTimer::singleShot(0, this, [this] {
            finish(Error::make(Error::Kind::Cancelled,
                               LogStreamText::tr("The connection to the cluster is closed.")));
        });
        return;
    }
    QPointer<LogStream> self(this);
    m_client->credentials()->acquire([self](Result<Credential> credential) {
        if (self)
            self->onCredential(std::move(credential));
    });
}

void LogStream::stop()
{
    if (!m_started || m_done)
        return;
    closeReply();
    finish(std::nullopt, true);
}

void LogStream::onCredential(Result<Credential> credential)
{
    if (m_done)
        return;
    if (!m_client) {
        finish(Error::make(Error::Kind::Cancelled,
                           LogStreamText::tr("The connection to the cluster is closed.")));
        return;
    }
    if (!credential) {
        finish(credential.error());
        return;
    }
    const ClusterConfig &config = m_client->config();
    Result<QNetworkProxy> proxy = proxyFor(config);
    if (!proxy) {
        finish(proxy.error());
        return;
    }
    m_credential = *credential;
    m_manager = new QNetworkAccessManager(this);
    m_manager->setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    m_manager->setStrictTransportSecurityEnabled(false);
    m_manager->setAutoDeleteReplies(false);
    m_manager->setProxy(*proxy);

    const ApiRequest api = request(m_ns, m_pod, m_options);
    QUrl url = config.cluster.server;
    QString base = url.path();
    while (base.endsWith(u'/'))
        base.chop(1);
    url.setPath(base + api.path);
    QByteArray query;
    const auto items = api.query.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);

    QNetworkRequest r(url);
    configureRequest(config, r);
    // HTTP/1.1: Qt stops reading the socket when the read buffer is full (see Watch).
    QSslConfiguration ssl = r.sslConfiguration();
    ssl.setAllowedNextProtocols({QByteArray(QSslConfiguration::NextProtocolHttp1_1)});
    r.setSslConfiguration(ssl);
    r.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    r.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    r.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    r.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    r.setTransferTimeout(
        m_options.follow ? 0 : static_cast<int>(m_client->options().requestTimeout.count()));
    r.setRawHeader("User-Agent", QByteArrayLiteral("rollscope/") + QByteArray(kVersion));
    r.setRawHeader("Accept", api.accept);
    CredentialProvider::apply(m_credential, config.user, r);
    // The URL only: never the headers (they carry the credential).
    m_client->log(6, QStringLiteral("GET %1 (log stream)").arg(url.toString(QUrl::FullyEncoded)));

    m_reply = m_manager->get(r);
    m_reply->setReadBufferSize(std::max<qint64>(4096, m_options.readBufferBytes));
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &LogStream::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &LogStream::scheduleDrain);
    connect(m_reply, &QNetworkReply::finished, this, &LogStream::onReplyFinished);
}

void LogStream::onMetaData()
{
    if (!m_reply || m_status != 0)
        return;
    m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (m_status == 200 && !m_opened) {
        m_opened = true;
        emit opened();
    }
}

void LogStream::scheduleDrain()
{
    if (m_drainScheduled || m_done)
        return;
    m_drainScheduled = true;
    QMetaObject::invokeMethod(this, &LogStream::drain, Qt::QueuedConnection);
}

void LogStream::drain()
{
    m_drainScheduled = false;
    if (!m_reply || m_done)
        return;
    if (m_status == 0)
        onMetaData();
    if (m_done || !m_reply)
        return;
    const QByteArray data = m_reply->read(std::max<qint64>(4096, m_options.sliceBytes));
    if (m_status != 200) {
        if (m_errorBody.size() < 64 * 1024)
            m_errorBody += data.left(64 * 1024 - m_errorBody.size());
    } else if (!data.isEmpty()) {
        if (!deliver(m_splitter.feed(data)))
            return;
    }
    if (!m_reply)
        return;
    if (m_reply->bytesAvailable() > 0) {
        scheduleDrain();
        return;
    }
    if (m_replyFinished)
        endOfReply();
}

void LogStream::onReplyFinished()
{
    if (!m_reply || m_done)
        return;
    if (m_status == 0)
        onMetaData();
    m_replyFinished = true;
    if (m_reply->bytesAvailable() > 0)
        scheduleDrain();
    else
        endOfReply();
}

void LogStream::endOfReply()
{
    if (!m_reply || m_done)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->deleteLater();
    const QString server = m_client ? m_client->serverAddress() : QString();
    if (m_status != 200 && m_status != 0) {
        if (m_status == 401 && m_client)
            m_client->credentials()->invalidate(m_credential);
        Error error = ApiErrors::fromResponse(m_status, m_errorBody);
        // The log endpoint answers 400 for "no logs to give" (unknown container, a container
        // still waiting to start): the server's words say it better than "malformed".
        if (m_status == 400 && !serverMessage(error).isEmpty())
            error.message = LogStreamText::tr("No logs: %1").arg(serverMessage(error));
        finish(std::move(error));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        finish(ApiErrors::network(reply->error(), reply->errorString(), server));
        return;
    }
    if (deliver(m_splitter.finish()))
        finish(std::nullopt);
}

bool LogStream::deliver(const QStringList &lines)
{
    if (lines.isEmpty())
        return true;
    m_lines += lines.size();
    QPointer<LogStream> self(this);
    emit linesReceived(lines);
    return self && !m_done;
}

void LogStream::closeReply()
{
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    reply->disconnect(this);
    reply->abort();
    reply->deleteLater();
}

void LogStream::finish(std::optional<Error> error, bool stopped)
{
    if (m_done)
        return;
    m_done = true;
    LogEnd end;
    if (error && m_client)
        error = m_client->scrubbed(std::move(*error));
    end.error = std::move(error);
    end.opened = m_opened;
    end.stopped = stopped;
    end.lines = m_lines;
    end.truncatedLines = m_splitter.truncatedLines();
    if (m_client)
        m_client->log(
            6, QStringLiteral("log of %1/%2 ended after %3 ms and %4 lines%5")
                   .arg(m_ns, m_pod, QString::number(m_clock.elapsed()), QString::number(m_lines),
                        end.error ? QStringLiteral(": ") + end.error->message : QString()));
    emit finished(end);
}

} // namespace rollscope::kube
