// SPDX-License-Identifier: MIT
#include "probe/httpresponse.h"

#include <limits>

namespace rollscope::probe {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// A non-negative decimal number without sign or spaces; nullopt when it is not one or overflows.
std::optional<qint64> parseDecimal(QByteArrayView text)
{
    if (text.isEmpty())
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        if (!isDigit(c))
            return std::nullopt;
        if (value > (std::numeric_limits<qint64>::max() - 9) / 10)
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

std::optional<qint64> parseHex(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 15)
        return std::nullopt;
    qint64 value = 0;
    for (char c : text) {
        int digit;
        if (isDigit(c))
            digit = c - '0';
        else if (c >= 'a' && c <= 'f')
            digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F')
            digit = c - 'A' + 10;
        else
            return std::nullopt;
        value = value * 16 + digit;
    }
    return value;
}

// The index of the next line end ("\n", with or without "\r" before it), or -1.
qsizetype lineEnd(const QByteArray &buffer, qsizetype from)
{
    return buffer.indexOf('\n', from);
}

QByteArrayView chompLine(QByteArrayView line)
{
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

QByteArray ResponseReader::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ResponseReader::State ResponseReader::feed(QByteArrayView data)
{
    if (m_state == State::Malformed)
        return m_state;
    if (m_state == State::Complete) {
        // Bytes after a complete answer on a Connection: close exchange are ignored.
        return m_state;
    }
    if (m_state == State::Body && m_framing == Framing::UntilClose) {
        keep(data);
        return m_state;
    }
    m_buffer.append(data);
    if (m_state == State::StatusLine) {
        if (parseHead() != State::Body)
            return m_state;
    }
    return parseBody();
}

ResponseReader::State ResponseReader::closed()
{
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        m_state = State::Complete;
    return m_state;
}

void ResponseReader::keep(QByteArrayView data)
{
    m_bodyBytes += data.size();
    const qsizetype room = kMaxKeptBody - m_body.size();
    if (room > 0)
        m_body.append(data.first(qMin(room, data.size())));
}

ResponseReader::State ResponseReader::parseHead()
{
    for (;;) {
        // The whole head is needed before anything is decided: find the empty line.
        qsizetype end = -1;
        qsizetype bodyStart = -1;
        for (qsizetype from = 0;;) {
            const qsizetype nl = lineEnd(m_buffer, from);
            if (nl < 0)
                break;
            const QByteArrayView line = chompLine(QByteArrayView(m_buffer).sliced(from, nl - from));
            if (line.isEmpty() && from > 0) {
                end = from;
                bodyStart = nl + 1;
                break;
            }
            from = nl + 1;
        }
        if (end < 0) {
            if (m_buffer.size() > kMaxHeaderBytes)
                return fail();
            // A peer that is not speaking HTTP at all is recognised early.
            if (m_buffer.size() >= 5 && !m_buffer.startsWith("HTTP/"))
                return fail();
            return m_state;
        }
        if (end > kMaxHeaderBytes)
            return fail();

        const QByteArray head = m_buffer.first(end);
        const QList<QByteArray> lines = head.split('\n');
        // Status line: HTTP/1.x SP 3DIGIT [SP reason]
        const QByteArrayView statusLine = chompLine(lines.first());
        if (!statusLine.startsWith("HTTP/1.") || statusLine.size() < 12 || statusLine[8] != ' ')
            return fail();
        const QByteArrayView code = statusLine.sliced(9, 3);
        if (!isDigit(code[0]) || !isDigit(code[1]) || !isDigit(code[2]) ||
            (statusLine.size() > 12 && statusLine[12] != ' '))
            return fail();
        const int status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
        if (status < 100)
            return fail();

        QList<std::pair<QByteArray, QByteArray>> headers;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArrayView line = chompLine(lines.at(i));
            if (line.isEmpty())
                continue;
            if (line.front() == ' ' || line.front() == '\t') {
                // Obsolete line folding: part of the previous value.
                if (headers.isEmpty())
                    return fail();
                headers.last().second += ' ' + line.trimmed().toByteArray();
                continue;
            }
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return fail();
            headers.append({line.first(colon).trimmed().toByteArray(),
                            line.sliced(colon + 1).trimmed().toByteArray()});
        }
        m_buffer.remove(0, bodyStart);

        // An interim answer (100 Continue, 103 Early Hints) precedes the real one.
        if (status >= 100 && status < 200 && status != 101)
            continue;

        m_status = status;
        m_headers = std::move(headers);
        break;
    }

    // Framing, as RFC 9112 section 6.3 orders it.
    QByteArray transferEncoding;
    std::optional<qint64> length;
    for (const auto &[key, value] : std::as_const(m_headers)) {
        if (key.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0) {
            transferEncoding = value.toLower();
        } else if (key.compare("Content-Length", Qt::CaseInsensitive) == 0) {
            const std::optional<qint64> n = parseDecimal(value);
            if (!n || (length && *length != *n))
                return fail();
            length = n;
        }
    }
    if ((m_status >= 100 && m_status < 200) || m_status == 204 || m_status == 304) {
        m_framing = Framing::None;
    } else if (!transferEncoding.isEmpty()) {
        const QByteArray last = transferEncoding.split(',').last().trimmed();
        m_framing = last == "chunked" ? Framing::Chunked : Framing::UntilClose;
    } else if (length) {
        m_framing = Framing::Length;
        m_remaining = *length;
    } else {
        m_framing = Framing::UntilClose;
    }
    return m_state = State::Body;
}

ResponseReader::State ResponseReader::parseBody()
{
    switch (m_framing) {
    case Framing::None:
        m_buffer.clear();
        return m_state = State::Complete;
    case Framing::UntilClose:
        keep(m_buffer);
        m_buffer.clear();
        return m_state;
    case Framing::Length: {
        const qsizetype take = qsizetype(qMin<qint64>(m_remaining, m_buffer.size()));
        keep(QByteArrayView(m_buffer).first(take));
        m_remaining -= take;
        m_buffer.clear();
        if (m_remaining == 0)
            m_state = State::Complete;
        return m_state;
    }
    case Framing::Chunked:
        return parseChunks();
    }
    return m_state;
}

ResponseReader::State ResponseReader::parseChunks()
{
    qsizetype pos = 0;
    auto consumed = [this, &pos] {
        m_buffer.remove(0, pos);
        if (m_buffer.size() > kMaxHeaderBytes) // an endless chunk-size line or trailer
            fail();
        return m_state;
    };
    for (;;) {
        switch (m_chunkStep) {
        case ChunkStep::Size: {
            const qsizetype nl = lineEnd(m_buffer, pos);
            if (nl < 0)
                return consumed();
            QByteArrayView line = chompLine(QByteArrayView(m_buffer).sliced(pos, nl - pos));
            if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
                line = line.first(semicolon); // chunk extensions
            const std::optional<qint64> size = parseHex(line.trimmed());
            if (!size)
                return fail();
            pos = nl + 1;
            m_remaining = *size;
            m_chunkStep = *size == 0 ? ChunkStep::Trailers : ChunkStep::Data;
            break;
        }
        case ChunkStep::Data: {
            const qsizetype take = qsizetype(qMin<qint64>(m_remaining, m_buffer.size() - pos));
            keep(QByteArrayView(m_buffer).sliced(pos, take));
            pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return consumed();
            m_chunkStep = ChunkStep::DataEnd;
            break;
        }
        case ChunkStep::DataEnd: {
            const qsizetype nl = lineEnd(m_buffer, pos);
            if (nl < 0)
                return consumed();
            if (!chompLine(QByteArrayView(m_buffer).sliced(pos, nl - pos)).isEmpty())
                return fail();
            pos = nl + 1;
            m_chunkStep = ChunkStep::Size;
            break;
        }
        case ChunkStep::Trailers: {
            const qsizetype nl = lineEnd(m_buffer, pos);
            if (nl < 0)
                return consumed();
            const bool last = chompLine(QByteArrayView(m_buffer).sliced(pos, nl - pos)).isEmpty();
            pos = nl + 1;
            if (last) {
                m_buffer.clear();
                return m_state = State::Complete;
            }
            break;
        }
        }
    }
}

std::optional<FailureClass> classifyStatus(int status)
{
    if (status >= 500 && status <= 599)
        return FailureClass::Http5xx;
    if (status >= 400 && status <= 499)
        return FailureClass::Http4xx;
    return std::nullopt;
}

std::optional<FailureClass> classifyExchange(TransportEnd end, const ResponseReader &reader)
{
    if (reader.isComplete())
        return classifyStatus(reader.status());
    if (reader.state() == ResponseReader::State::Malformed)
        return FailureClass::Other;
    switch (end) {
    case TransportEnd::Closed:
        // The server said it failed before the connection broke: that is the answer.
        if (reader.hasHead() && reader.status() >= 400)
            return classifyStatus(reader.status());
        return FailureClass::Reset;
    case TransportEnd::Refused:
        return FailureClass::Refused;
    case TransportEnd::TimedOut:
        return FailureClass::Timeout;
    case TransportEnd::Answered: // claimed complete, but the reader disagrees
    case TransportEnd::Error:
        break;
    }
    return FailureClass::Other;
}

} // namespace rollscope::probe
