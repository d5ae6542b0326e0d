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

#include <functional>
#include <memory>
#include <optional>

namespace rollscope::kube {

namespace fastjson {
class Object;
}

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
    // The object; empty for an event read as a line (see WatchLineParser::setKeepLines()).
    QJsonObject object;
    // Read as a line (WatchLineParser::setKeepLines(); ERROR events never are): the line itself
    // (not kept when an ObjectDecoder made `decoded`, except for bookmarks) and the object's
    // metadata.resourceVersion read from it.
    bool fromLine = false;
    QByteArray line;
    QString lineResourceVersion;
    // What the parser's ObjectDecoder made of the object, for an event read as a line when one
    // is set: the typed value its consumer asked for (see WatchLineParser::setObjectDecoder()).
    std::shared_ptr<const void> decoded;

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

    // Events are then checked and typed with simdjson and keep their line instead of a parsed
    // object (ERROR events excepted), for a consumer that decodes the object itself, faster than
    // through QJsonObject (the informers: TypedInformer::apply()). The same lines are errors
    // either way.
    void setKeepLines(bool keep) { m_keepLines = keep; }
    // With kept lines, decodes each event's object while the line is parsed anyway (once, not
    // again by the consumer), into WatchEvent::decoded. The consumer that sets it knows the type
    // it returns (TypedInformer sets one that makes its T).
    using ObjectDecoder = std::function<std::shared_ptr<const void>(const fastjson::Object &)>;
    void setObjectDecoder(ObjectDecoder decoder) { m_decoder = std::move(decoder); }

    Chunk feed(QByteArrayView data);
    // End of stream: a last line without a newline is still an event.
    Chunk finish();
    qsizetype pendingBytes() const { return m_buffer.size(); }

private:
    // `allocationEnd`: where the memory `line` lies in ends (readable up to there), or null.
    std::optional<Error> parseLine(QByteArrayView line, QList<WatchEvent> &events,
                                   const char *allocationEnd = nullptr) const;

    QByteArray m_buffer; // the start of a line whose end has not arrived yet
    qsizetype m_maxLineBytes;
    bool m_failed = false;
    bool m_keepLines = false;
    ObjectDecoder m_decoder;
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::WatchEvent)
