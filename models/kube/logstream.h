// SPDX-License-Identifier: MIT
#pragma once

// Container logs (GET /api/v1/namespaces/NS/pods/NAME/log), as kubectl logs reads them: plain
// text, line by line, optionally followed until the container stops. Memory is bounded: Qt holds
// at most LogOptions::readBufferBytes of the reply (TCP holds back a faster server), a line
// longer than maxLineBytes is cut and marked, and LogBuffer keeps the newest lines only.

#include "common/result.h"
#include "kube/apiclient.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <deque>
#include <optional>

class QNetworkAccessManager;
class QNetworkReply;

namespace rollscope::kube {

struct LogOptions
{
    QString container; // empty: the pod's only container (the server refuses when it has several)
    bool follow = false;
    int tailLines = -1; // -1: every line the server keeps
    bool timestamps = false;
    // A longer line is cut at this many bytes and marked (kLogTruncatedMarker + the full size).
    qsizetype maxLineBytes = 64 * 1024;
    // What Qt may hold of the reply before it stops reading the socket, and how much of it is
    // split into lines per event-loop turn (one linesReceived() per turn at most).
    qint64 readBufferBytes = 256 * 1024;
    qint64 sliceBytes = 256 * 1024;
};

// How a log stream ended.
struct LogEnd
{
    std::optional<Error>
        error;            // nullopt: the server ended the stream (container stopped, pod gone)
    bool opened = false;  // the server answered 200
    bool stopped = false; // LogStream::stop() ended it
    qint64 lines = 0;
    qint64 truncatedLines = 0;
};

// Splits a byte stream into lines (\n, a \r before it is dropped), never holding more than
// maxLineBytes of an unfinished line: the rest of a longer line is counted, not kept, and the
// line ends with a marker giving its full size. Invalid UTF-8 becomes U+FFFD.
class LogLineSplitter
{
    Q_DECLARE_TR_FUNCTIONS(LogLineSplitter)

public:
    explicit LogLineSplitter(qsizetype maxLineBytes = 64 * 1024);

    QStringList feed(QByteArrayView data);
    // End of stream: an unfinished last line is a line too.
    QStringList finish();
    qsizetype pendingBytes() const { return m_pending.size(); }
    qint64 truncatedLines() const { return m_truncatedLines; }
    // The text appended to a cut line, e.g. " … [line cut: 1048576 bytes]".
    static QString truncationMarker(qint64 fullBytes);

private:
    QString takeLine();

    QByteArray m_pending;
    qsizetype m_maxLineBytes;
    qint64 m_droppedOfLine = 0; // bytes of the current line beyond the cap
    qint64 m_truncatedLines = 0;
};

// The newest lines of a log, at most maxLines of them and at most maxChars characters in all;
// older lines are dropped (and counted) as new ones come.
class LogBuffer
{
public:
    explicit LogBuffer(int maxLines = 10000, qsizetype maxChars = 32 * 1024 * 1024);

    // Appends and returns how many of the oldest lines were dropped to make room.
    int append(const QStringList &lines);
    void clear();
    int size() const { return static_cast<int>(m_lines.size()); }
    const QString &at(int i) const { return m_lines.at(static_cast<std::size_t>(i)); }
    qsizetype chars() const { return m_chars; }
    qint64 dropped() const { return m_dropped; }
    int maxLines() const { return m_maxLines; }
    QString text() const; // the lines joined with \n, ending with \n

private:
    std::deque<QString> m_lines;
    int m_maxLines;
    qsizetype m_maxChars;
    qsizetype m_chars = 0;
    qint64 m_dropped = 0;
};

// One log request. Lines arrive batched (at most one linesReceived() per event-loop turn);
// finished() comes once, also after stop(). Deleting it closes the connection without signals.
// Uses the client's cluster, credentials and TLS settings on a connection of its own (HTTP/1.1,
// so a followed log never holds one of the client's request connections and the read buffer
// bounds what a fast container can make this process hold).
class LogStream : public QObject
{
    Q_OBJECT

public:
    LogStream(ApiClient *client, QString ns, QString pod, LogOptions options,
              QObject *parent = nullptr);
    ~LogStream() override;

    // The request kubectl logs sends for these options.
    static ApiRequest request(const QString &ns, const QString &pod, const LogOptions &options);

    void start();
    // Closes the stream; finished() follows with stopped = true (unless it already ended).
    void stop();
    bool isRunning() const { return m_started && !m_done; }
    bool isOpen() const { return m_opened && !m_done; }
    const LogOptions &options() const { return m_options; }
    QString ns() const { return m_ns; }
    QString pod() const { return m_pod; }
    qint64 lineCount() const { return m_lines; }
    // What is held of the reply that is not lines yet (bounded by readBufferBytes + maxLineBytes).
    qint64 bufferedBytes() const;

signals:
    void opened();
    void linesReceived(const QStringList &lines);
    void finished(const rollscope::kube::LogEnd &end);

private:
    void onCredential(Result<Credential> credential);
    void onMetaData();
    void scheduleDrain();
    void drain();
    void onReplyFinished();
    void endOfReply();
    // Emits lines (if any); false when a receiver deleted or finished this stream meanwhile
    // (touch nothing more then).
    bool deliver(const QStringList &lines);
    void finish(std::optional<Error> error, bool stopped = false);
    void closeReply();

    QPointer<ApiClient> m_client;
    QString m_ns;
    QString m_pod;
    LogOptions m_options;
    LogLineSplitter m_splitter;
    QNetworkAccessManager *m_manager = nullptr;
    QPointer<QNetworkReply> m_reply;
    QByteArray m_errorBody;
    QElapsedTimer m_clock;
    Credential m_credential;
    qint64 m_lines = 0;
    int m_status = 0;
    bool m_started = false;
    bool m_opened = false;
    bool m_done = false;
    bool m_drainScheduled = false;
    bool m_replyFinished = false;
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::LogEnd)
