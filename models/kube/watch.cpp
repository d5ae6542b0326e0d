// SPDX-License-Identifier: MIT
#include "kube/watch.h"

#include "kube/apierror.h"
#include "kube/fastjson.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace rollscope::kube {

QString WatchEvent::resourceVersion() const
{
    if (fromLine)
        return lineResourceVersion;
    return object.value(u"metadata").toObject().value(u"resourceVersion").toString();
}

Error WatchEvent::error() const
{
    return ApiErrors::fromStatus(object, 500);
}

namespace {

std::optional<WatchEvent::Type> typeOf(const QString &type)
{
    if (type == u"ADDED")
        return WatchEvent::Type::Added;
    if (type == u"MODIFIED")
        return WatchEvent::Type::Modified;
    if (type == u"DELETED")
        return WatchEvent::Type::Deleted;
    if (type == u"BOOKMARK")
        return WatchEvent::Type::Bookmark;
    if (type == u"ERROR")
        return WatchEvent::Type::Error;
    return std::nullopt;
}

} // namespace

WatchLineParser::WatchLineParser(qsizetype maxLineBytes)
    : m_maxLineBytes(maxLineBytes)
{}

WatchLineParser::Chunk WatchLineParser::feed(QByteArrayView data)
{
    Chunk chunk;
    if (m_failed)
        return chunk;
    const auto fail = [this, &chunk](Error error) {
        m_failed = true;
        m_buffer.clear();
        chunk.error = std::move(error);
    };
    // m_buffer holds the start of a line cut by the previous read, never a newline: the lines
    // that end in `data` are read where they are, without copying them into it first.
    qsizetype at = 0;
    if (!m_buffer.isEmpty()) {
        const qsizetype newline = data.indexOf('\n');
        m_buffer.append(newline < 0 ? data : data.first(newline));
        if (newline >= 0) {
            // The buffer's spare capacity lets simdjson read the line where it is.
            if (std::optional<Error> error =
                    parseLine(m_buffer, chunk.events, m_buffer.constData() + m_buffer.capacity())) {
                fail(std::move(*error));
                return chunk;
            }
            m_buffer.resize(0); // keeps its capacity
            at = newline + 1;
        } else {
            at = data.size();
        }
    }
    for (;;) {
        const qsizetype newline = data.indexOf('\n', at);
        if (newline < 0)
            break;
        if (std::optional<Error> error =
                parseLine(data.sliced(at, newline - at), chunk.events, data.end())) {
            fail(std::move(*error));
            return chunk;
        }
        at = newline + 1;
    }
    m_buffer.append(data.sliced(at));
    if (m_buffer.size() > m_maxLineBytes) {
        fail(Error::make(Error::Kind::Protocol,
                         tr("The server sent a watch event larger than %1 MiB.")
                             .arg(m_maxLineBytes / (1024 * 1024))));
    }
    return chunk;
}

WatchLineParser::Chunk WatchLineParser::finish()
{
    Chunk chunk;
    if (m_failed)
        return chunk;
    const QByteArray rest = std::exchange(m_buffer, {});
    if (std::optional<Error> error = parseLine(rest, chunk.events)) {
        m_failed = true;
        chunk.error = std::move(error);
    }
    return chunk;
}

std::optional<Error> WatchLineParser::parseLine(QByteArrayView line, QList<WatchEvent> &events,
                                                const char *allocationEnd) const
{
    line = line.trimmed();
    if (line.isEmpty())
        return std::nullopt;
    if (m_keepLines) {
        const qsizetype readableAfter = allocationEnd ? allocationEnd - line.end() : 0;
        const std::optional<fastjson::Value> root = fastjson::parse(line, readableAfter);
        const std::optional<WatchEvent::Type> type =
            root ? typeOf(root->toObject().value(u"type").toString()) : std::nullopt;
        if (type && type != WatchEvent::Type::Error &&
            root->toObject().value(u"object").isObject()) {
            const fastjson::Object object = root->toObject().value(u"object").toObject();
            WatchEvent event;
            event.type = *type;
            event.fromLine = true;
            event.lineResourceVersion =
                object.value(u"metadata").toObject().value(u"resourceVersion").toString();
            if (m_decoder && event.type != WatchEvent::Type::Bookmark)
                event.decoded = m_decoder(object);
            else
                event.line = line.toByteArray();
            events.append(std::move(event));
            return std::nullopt;
        }
        // ERROR events, and what is wrong, are read as below: the same words for the same lines.
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(line.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error::make(Error::Kind::Protocol,
                           tr("The server sent a watch event that is not valid JSON (%1 at "
                              "offset %2).")
                               .arg(parseError.errorString())
                               .arg(parseError.offset));
    const QJsonObject o = doc.object();
    const QString type = o.value(u"type").toString();
    WatchEvent event;
    if (const std::optional<WatchEvent::Type> known = typeOf(type))
        event.type = *known;
    else
        return Error::make(Error::Kind::Protocol,
                           tr("The server sent a watch event of unknown type \"%1\".").arg(type));
    if (!o.value(u"object").isObject())
        return Error::make(Error::Kind::Protocol,
                           tr("The server sent a %1 watch event without an object.").arg(type));
    event.object = o.value(u"object").toObject();
    events.append(std::move(event));
    return std::nullopt;
}

} // namespace rollscope::kube
