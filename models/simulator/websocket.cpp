// SPDX-License-Identifier: MIT
#include "websocket.h"

#include <QCryptographicHash>
#include <QtEndian>

#include <utility>

namespace rollscope::sim {

bool headerHasToken(const QByteArray &value, const QByteArray &token)
{
    for (const QByteArray &part : value.split(','))
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QList<QByteArray> headerTokens(const HttpRequest &request, const QByteArray &lowerCaseName)
{
    QList<QByteArray> tokens;
    for (const auto &[name, value] : request.headers) {
        if (name != lowerCaseName)
            continue;
        for (const QByteArray &p : value.split(',')) {
            const QByteArray t = p.trimmed();
            if (!t.isEmpty() && tokens.size() < 32)
                tokens << t;
        }
    }
    return tokens;
}

bool isWebSocketRequest(const HttpRequest &request)
{
    return !request.http2 && request.method == "GET" &&
           headerHasToken(request.header("connection"), "upgrade") &&
           headerHasToken(request.header("upgrade"), "websocket");
}

QList<QByteArray> webSocketProtocols(const HttpRequest &request)
{
    return headerTokens(request, "sec-websocket-protocol");
}

HttpHeaders webSocketAcceptHeaders(const HttpRequest &request, const QByteArray &protocol)
{
    const QByteArray key = request.header("sec-websocket-key").trimmed();
    if (request.header("sec-websocket-version").trimmed() != "13" ||
        QByteArray::fromBase64(key).size() != 16)
        return {};
    const QByteArray accept = QCryptographicHash::hash(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11",
                                                       QCryptographicHash::Sha1)
                                  .toBase64();
    HttpHeaders headers{
        {"Upgrade", "websocket"}, {"Connection", "Upgrade"}, {"Sec-WebSocket-Accept", accept}};
    if (!protocol.isEmpty())
        headers.append({"Sec-WebSocket-Protocol", protocol});
    return headers;
}

QByteArray webSocketFrame(WebSocketOpcode opcode, const QByteArray &payload)
{
    QByteArray out;
    out += char(0x80 | quint8(opcode));
    const quint64 n = quint64(payload.size());
    if (n < 126) {
        out += char(n);
    } else if (n <= 0xffff) {
        out += char(126);
        char b[2];
        qToBigEndian(quint16(n), b);
        out.append(b, 2);
    } else {
        out += char(127);
        char b[8];
        qToBigEndian(n, b);
        out.append(b, 8);
    }
    return out + payload;
}

QByteArray webSocketCloseFrame(quint16 code, const QByteArray &reason)
{
    char b[2];
    qToBigEndian(code, b);
    return webSocketFrame(WebSocketOpcode::Close, QByteArray(b, 2) + reason.left(120));
}

bool WebSocketReader::fail(const QString &why)
{
    m_error = why;
    m_input.clear();
    m_partial.clear();
    return false;
}

bool WebSocketReader::feed(const QByteArray &bytes, QList<Message> *messages)
{
    if (!m_error.isEmpty())
        return false;
    m_input += bytes;
    qsizetype at = 0;
    for (;;) {
        const qsizetype available = m_input.size() - at;
        if (available < 2)
            break;
        const auto *p = reinterpret_cast<const uchar *>(m_input.constData() + at);
        const bool fin = p[0] & 0x80;
        if (p[0] & 0x70)
            return fail(QStringLiteral("reserved bits set"));
        const quint8 opcode = p[0] & 0x0f;
        if (!(p[1] & 0x80))
            return fail(QStringLiteral("unmasked client frame"));
        quint64 length = p[1] & 0x7f;
        qsizetype header = 2;
        if (length == 126) {
            if (available < 4)
                break;
            length = qFromBigEndian<quint16>(p + 2);
            header = 4;
        } else if (length == 127) {
            if (available < 10)
                break;
            length = qFromBigEndian<quint64>(p + 2);
            header = 10;
        }
        const bool control = opcode & 0x08;
        if (control && (length > 125 || !fin))
            return fail(QStringLiteral("malformed control frame"));
        if (length > quint64(kMaxMessage))
            return fail(QStringLiteral("frame too large"));
        header += 4; // masking key
        if (available < header + qsizetype(length))
            break;
        const uchar *mask = p + header - 4;
        QByteArray payload(reinterpret_cast<const char *>(p + header), qsizetype(length));
        for (qsizetype i = 0; i < payload.size(); ++i)
            payload[i] = char(payload[i] ^ mask[i % 4]);
        at += header + qsizetype(length);

        if (control) {
            if (opcode != quint8(WebSocketOpcode::Close) &&
                opcode != quint8(WebSocketOpcode::Ping) && opcode != quint8(WebSocketOpcode::Pong))
                return fail(QStringLiteral("unknown control opcode"));
            messages->append({WebSocketOpcode(opcode), payload});
            continue;
        }
        if (opcode == quint8(WebSocketOpcode::Continuation)) {
            if (!m_inMessage)
                return fail(QStringLiteral("continuation without a message"));
        } else if (opcode == quint8(WebSocketOpcode::Text) ||
                   opcode == quint8(WebSocketOpcode::Binary)) {
            if (m_inMessage)
                return fail(QStringLiteral("new message inside a fragmented one"));
            m_inMessage = true;
            m_partialOpcode = WebSocketOpcode(opcode);
            m_partial.clear();
        } else {
            return fail(QStringLiteral("unknown data opcode"));
        }
        if (m_partial.size() + payload.size() > kMaxMessage)
            return fail(QStringLiteral("message too large"));
        m_partial += payload;
        if (fin) {
            messages->append({m_partialOpcode, std::exchange(m_partial, QByteArray())});
            m_inMessage = false;
        }
    }
    m_input.remove(0, at);
    return true;
}

} // namespace rollscope::sim
