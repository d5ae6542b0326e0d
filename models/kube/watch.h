// SPDX-License-Identifier: MIT
#pragma once

// The body of a watch: one JSON document per line, {"type": T, "object": {...}} (facts §3).

#include "common/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace rollscope::kube {

struct WatchEvent
{
    enum class Type
    {
        Added,
        Modified,
        Deleted,
        Bookmark,
        Error
    };

    Type type = Type::Added;
    QJsonObject object;

    // metadata.resourceVersion of the object ("" for ERROR events).
    QString resourceVersion() const;
    // For ERROR events: the Status as an Error (410 / Expired / Gone -> Error::Kind::Expired).
    Error error() const;
};

// Splits a watch body into events as bytes arrive; lines may be cut anywhere between reads.
class WatchLineParser
{
    Q_DECLARE_TR_FUNCTIONS(WatchLineParser)

public:
    struct Chunk
    {
        QList<WatchEvent> events;
        // A line that is not a watch event: the stream cannot be trusted after it (client-go
        // ends the watch on a decode error too).
        std::optional<Error> error;
    };

    // A line longer than this is an error rather than an unbounded buffer.
    explicit WatchLineParser(qsizetype maxLineBytes = 16 * 1024 * 1024);

    Chunk feed(QByteArrayView data);
    // End of stream: a last line without a newline is still an event.
    Chunk finish();
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    std::optional<Error> parseLine(QByteArrayView line, QList<WatchEvent> &events) const;

    QByteArray m_buffer;
    qsizetype m_scanned = 0; // bytes of m_buffer already known to hold no newline
    qsizetype m_maxLineBytes;
    bool m_failed = false;
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::WatchEvent)
