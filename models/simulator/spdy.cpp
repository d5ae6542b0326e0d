// SPDX-License-Identifier: MIT
#include "spdy.h"

#include <QtEndian>

#include <zlib.h>

namespace rollscope::sim {

namespace {

enum SpdyFrameType : quint16
{
    kSpdySynStream = 1,
    kSpdySynReply = 2,
    kSpdyRstStream = 3,
    kSpdySettings = 4,
    kSpdyPing = 6,
    kSpdyGoAway = 7,
    kSpdyHeaders = 8,
    kSpdyWindowUpdate = 9,
};
constexpr quint8 kSpdyFlagFin = 0x01;
constexpr quint32 kSpdyRstRefused = 3;
constexpr qsizetype kSpdySendChunk = 64 * 1024;

// The SPDY/3 header compression dictionary (draft 3, section 2.6.10.1): length-prefixed
// header names, then status lines, dates and common values. 1423 bytes, Adler-32 0xe3c6a7c2.
const QByteArray &spdyDictionary()
{
    static const QByteArray dictionary = [] {
        static const char *const names[] = {
            "options",
            "head",
            "post",
            "put",
            "delete",
            "trace",
            "accept",
            "accept-charset",
            "accept-encoding",
            "accept-language",
            "accept-ranges",
            "age",
            "allow",
            "authorization",
            "cache-control",
            "connection",
            "content-base",
            "content-encoding",
            "content-language",
            "content-length",
            "content-location",
            "content-md5",
            "content-range",
            "content-type",
            "date",
            "etag",
            "expect",
            "expires",
            "from",
            "host",
            "if-match",
            "if-modified-since",
            "if-none-match",
            "if-range",
            "if-unmodified-since",
            "last-modified",
            "location",
            "max-forwards",
            "pragma",
            "proxy-authenticate",
            "proxy-authorization",
            "range",
            "referer",
            "retry-after",
            "server",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "user-agent",
            "vary",
            "via",
            "warning",
            "www-authenticate",
            "method",
            "get",
            "status",
            "200 OK",
            "version",
            "HTTP/1.1",
            "url",
            "public",
            "set-cookie",
            "keep-alive",
            "origin",
        };
        QByteArray d;
        for (const char *name : names) {
            const QByteArray n(name);
            char length[4];
            qToBigEndian(quint32(n.size()), length);
            d.append(length, 4).append(n);
        }
        d += "100101201202205206300302303304305306307402405406407408409410411412413414415416417"
             "502504505203 Non-Authoritative Information204 No Content301 Moved Permanently400 "
             "Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server "
             "Error501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug "
             "Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,text/"
             "html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/"
             "plain,text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-"
             "8charset=iso-8859-1,utf-,*,enq=0.";
        return d;
    }();
    return dictionary;
}

quint32 spdyBe32(const char *p)
{
    return qFromBigEndian<quint32>(p);
}

QByteArray spdyBe32Bytes(quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    return QByteArray(b, 4);
}

} // namespace

namespace spdywire {

// One direction's zlib context, for the whole connection (SPDY compresses every header block
// of a direction as one stream, each block ending with a sync flush).
struct SpdyInflater
{
    z_stream z{};
    bool ok = false;
    SpdyInflater() { ok = inflateInit(&z) == Z_OK; }
    ~SpdyInflater() { inflateEnd(&z); }
    SpdyInflater(const SpdyInflater &) = delete;
    SpdyInflater &operator=(const SpdyInflater &) = delete;

    // Decompresses one block; false on corrupt input or more than `limit` bytes of output.
    bool inflateBlock(const QByteArray &in, qsizetype limit, QByteArray *out)
    {
        if (!ok)
            return false;
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
        z.avail_in = uInt(in.size());
        char buffer[4096];
        for (;;) {
            z.next_out = reinterpret_cast<Bytef *>(buffer);
            z.avail_out = sizeof buffer;
            const uInt before = z.avail_in;
            int rc = inflate(&z, Z_SYNC_FLUSH);
            if (rc == Z_NEED_DICT) {
                const QByteArray &d = spdyDictionary();
                if (inflateSetDictionary(&z, reinterpret_cast<const Bytef *>(d.constData()),
                                         uInt(d.size())) != Z_OK)
                    return (ok = false);
                continue;
            }
            const qsizetype produced = qsizetype(sizeof buffer - z.avail_out);
            if (rc != Z_OK && rc != Z_BUF_ERROR)
                return (ok = false); // corrupt, or a stream end SPDY never sends
            out->append(buffer, produced);
            if (out->size() > limit)
                return (ok = false);
            if (z.avail_in == 0 && z.avail_out != 0)
                return true;
            if (produced == 0 && z.avail_in == before)
                return z.avail_in == 0; // no progress
        }
    }
};

struct SpdyDeflater
{
    z_stream z{};
    bool ok = false;
    SpdyDeflater()
    {
        ok = deflateInit(&z, Z_DEFAULT_COMPRESSION) == Z_OK;
        const QByteArray &d = spdyDictionary();
        ok = ok && deflateSetDictionary(&z, reinterpret_cast<const Bytef *>(d.constData()),
                                        uInt(d.size())) == Z_OK;
    }
    ~SpdyDeflater() { deflateEnd(&z); }
    SpdyDeflater(const SpdyDeflater &) = delete;
    SpdyDeflater &operator=(const SpdyDeflater &) = delete;

    QByteArray deflateBlock(const QByteArray &in)
    {
        QByteArray out;
        if (!ok)
            return out;
        z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.constData()));
        z.avail_in = uInt(in.size());
        char buffer[4096];
        do {
            z.next_out = reinterpret_cast<Bytef *>(buffer);
            z.avail_out = sizeof buffer;
            if (deflate(&z, Z_SYNC_FLUSH) == Z_STREAM_ERROR) {
                ok = false;
                return {};
            }
            out.append(buffer, qsizetype(sizeof buffer - z.avail_out));
        } while (z.avail_out == 0);
        return out;
    }
};

} // namespace spdywire

namespace {

QByteArray spdyHeaderBlock(const SpdyHeaders &headers)
{
    QByteArray plain = spdyBe32Bytes(quint32(headers.size()));
    for (const auto &[name, value] : headers)
        plain += spdyBe32Bytes(quint32(name.size())) + name + spdyBe32Bytes(quint32(value.size())) +
                 value;
    return plain;
}

// Parses a decompressed header block; false when malformed or over the limits.
bool spdyParseHeaderBlock(const QByteArray &plain, SpdyHeaders *headers)
{
    if (plain.size() < 4)
        return false;
    const quint32 count = spdyBe32(plain.constData());
    if (count > SpdySession::kMaxHeaders)
        return false;
    qsizetype at = 4;
    auto take = [&](QByteArray *field) {
        if (plain.size() - at < 4)
            return false;
        const quint32 length = spdyBe32(plain.constData() + at);
        at += 4;
        if (length > quint32(plain.size() - at))
            return false;
        *field = plain.mid(at, qsizetype(length));
        at += qsizetype(length);
        return true;
    };
    for (quint32 i = 0; i < count; ++i) {
        QByteArray name, value;
        if (!take(&name) || !take(&value) || name.isEmpty())
            return false;
        headers->append({name.toLower(), value});
    }
    return at == plain.size();
}

} // namespace

struct SpdySession::Zlib
{
    spdywire::SpdyInflater in;
    spdywire::SpdyDeflater out;
};

struct SpdySession::HeaderEncoder::State
{
    spdywire::SpdyDeflater deflater;
};

SpdySession::HeaderEncoder::HeaderEncoder()
    : d(std::make_unique<State>())
{}
SpdySession::HeaderEncoder::~HeaderEncoder() = default;

QByteArray SpdySession::HeaderEncoder::encode(const SpdyHeaders &headers)
{
    return d->deflater.deflateBlock(spdyHeaderBlock(headers));
}

struct SpdySession::HeaderDecoder::State
{
    spdywire::SpdyInflater inflater;
};

SpdySession::HeaderDecoder::HeaderDecoder()
    : d(std::make_unique<State>())
{}
SpdySession::HeaderDecoder::~HeaderDecoder() = default;

bool SpdySession::HeaderDecoder::decode(const QByteArray &compressed, SpdyHeaders *headers)
{
    QByteArray plain;
    return d->inflater.inflateBlock(compressed, kMaxHeaderBlock, &plain) &&
           spdyParseHeaderBlock(plain, headers);
}

SpdySession::SpdySession(Callbacks callbacks)
    : m_cb(std::move(callbacks))
    , m_zlib(std::make_unique<Zlib>())
{}

SpdySession::~SpdySession() = default;

QByteArray SpdySession::controlFrame(quint16 type, quint8 flags, const QByteArray &payload)
{
    return spdyBe32Bytes(0x80000000u | (3u << 16) | type) +
           spdyBe32Bytes((quint32(flags) << 24) | (quint32(payload.size()) & 0xffffff)) + payload;
}

QByteArray SpdySession::dataFrame(quint32 id, quint8 flags, const QByteArray &payload)
{
    return spdyBe32Bytes(id & 0x7fffffff) +
           spdyBe32Bytes((quint32(flags) << 24) | (quint32(payload.size()) & 0xffffff)) + payload;
}

void SpdySession::fail(const QString &why)
{
    if (m_failed)
        return;
    m_failed = true;
    m_input.clear();
    if (m_cb.failed)
        m_cb.failed(why);
}

int SpdySession::openStreams() const
{
    return int(m_open.size());
}

bool SpdySession::feed(const QByteArray &bytes)
{
    if (m_failed)
        return false;
    m_input += bytes;
    qsizetype at = 0;
    while (!m_failed && m_input.size() - at >= 8) {
        const char *p = m_input.constData() + at;
        const quint32 w1 = spdyBe32(p);
        const quint32 length = spdyBe32(p + 4) & 0xffffff;
        const bool control = w1 & 0x80000000u;
        if (length > (control ? kMaxControlFrame : kMaxDataFrame)) {
            fail(QStringLiteral("frame too large"));
            return false;
        }
        if (m_input.size() - at < 8 + qsizetype(length))
            break;
        const QByteArray frame = m_input.mid(at, 8 + qsizetype(length));
        at += 8 + qsizetype(length);
        if (!processFrame(frame))
            return false;
    }
    if (!m_failed)
        m_input.remove(0, at);
    return !m_failed;
}

bool SpdySession::processFrame(const QByteArray &frame)
{
    const quint32 w1 = spdyBe32(frame.constData());
    const quint8 flags = quint8(spdyBe32(frame.constData() + 4) >> 24);
    const QByteArray payload = frame.mid(8);
    if (w1 & 0x80000000u) {
        const quint16 version = quint16((w1 >> 16) & 0x7fff);
        if (version != 3) {
            fail(QStringLiteral("unsupported SPDY version %1").arg(version));
            return false;
        }
        return processControl(quint16(w1 & 0xffff), flags, payload);
    }
    const quint32 id = w1 & 0x7fffffff;
    if (id == 0) {
        fail(QStringLiteral("data frame on stream 0"));
        return false;
    }
    if (!m_open.contains(id) || m_remoteClosed.contains(id))
        return true; // a stream already reset or closed: data in flight is dropped
    const bool fin = flags & kSpdyFlagFin;
    if (fin) {
        m_remoteClosed << id;
        if (m_localClosed.contains(id)) {
            m_open.removeAll(id);
            m_remoteClosed.removeAll(id);
            m_localClosed.removeAll(id);
        }
    }
    if (m_cb.data)
        m_cb.data(id, payload, fin);
    return !m_failed;
}

bool SpdySession::processControl(quint16 type, quint8 flags, const QByteArray &payload)
{
    auto malformed = [this](const char *what) {
        fail(QStringLiteral("malformed %1 frame").arg(QLatin1StringView(what)));
        return false;
    };
    auto headersOf = [this](const QByteArray &compressed, SpdyHeaders *headers) {
        QByteArray plain;
        if (!m_zlib->in.inflateBlock(compressed, kMaxHeaderBlock, &plain) ||
            !spdyParseHeaderBlock(plain, headers)) {
            fail(QStringLiteral("malformed header block"));
            return false;
        }
        return true;
    };
    switch (type) {
    case kSpdySynStream: {
        if (payload.size() < 10)
            return malformed("SYN_STREAM");
        const quint32 id = spdyBe32(payload.constData()) & 0x7fffffff;
        SpdyHeaders headers;
        if (!headersOf(payload.mid(10), &headers))
            return false;
        // Client streams are odd and increasing.
        if (id == 0 || id % 2 == 0 || id <= m_lastClientStream) {
            fail(QStringLiteral("invalid stream id %1").arg(id));
            return false;
        }
        m_lastClientStream = id;
        if (m_open.size() >= kMaxOpenStreams) {
            m_cb.write(controlFrame(kSpdyRstStream, 0,
                                    spdyBe32Bytes(id) + spdyBe32Bytes(kSpdyRstRefused)));
            return true;
        }
        const bool fin = flags & kSpdyFlagFin;
        m_open << id;
        if (fin)
            m_remoteClosed << id;
        if (m_cb.opened)
            m_cb.opened(id, headers, fin);
        return !m_failed;
    }
    case kSpdySynReply:
        return malformed("SYN_REPLY"); // the server opens no streams
    case kSpdyRstStream: {
        if (payload.size() != 8)
            return malformed("RST_STREAM");
        const quint32 id = spdyBe32(payload.constData()) & 0x7fffffff;
        if (m_open.removeAll(id) > 0) {
            m_remoteClosed.removeAll(id);
            m_localClosed.removeAll(id);
            if (m_cb.reset)
                m_cb.reset(id);
        }
        return !m_failed;
    }
    case kSpdySettings: {
        if (payload.size() < 4 ||
            qsizetype(spdyBe32(payload.constData())) * 8 + 4 != payload.size())
            return malformed("SETTINGS");
        return true;
    }
    case kSpdyPing:
        if (payload.size() != 4)
            return malformed("PING");
        m_cb.write(controlFrame(kSpdyPing, 0, payload));
        return true;
    case kSpdyGoAway:
        if (payload.size() != 8)
            return malformed("GOAWAY");
        return true; // the client closes the transport next
    case kSpdyHeaders: {
        if (payload.size() < 4)
            return malformed("HEADERS");
        SpdyHeaders headers;
        return headersOf(payload.mid(4), &headers);
    }
    case kSpdyWindowUpdate:
        if (payload.size() != 8)
            return malformed("WINDOW_UPDATE");
        return true;
    default:
        return true; // unknown control frames are ignored (draft 3, 2.2.1)
    }
}

void SpdySession::reply(quint32 id, const SpdyHeaders &headers)
{
    if (m_failed || !m_open.contains(id))
        return;
    m_cb.write(controlFrame(
        kSpdySynReply, 0, spdyBe32Bytes(id) + m_zlib->out.deflateBlock(spdyHeaderBlock(headers))));
}

void SpdySession::send(quint32 id, const QByteArray &data, bool fin)
{
    if (m_failed || !m_open.contains(id) || m_localClosed.contains(id))
        return;
    qsizetype at = 0;
    do {
        const QByteArray chunk = data.mid(at, kSpdySendChunk);
        at += chunk.size();
        const bool last = at >= data.size();
        m_cb.write(dataFrame(id, last && fin ? kSpdyFlagFin : 0, chunk));
    } while (at < data.size());
    if (fin) {
        m_localClosed << id;
        if (m_remoteClosed.contains(id)) {
            m_open.removeAll(id);
            m_remoteClosed.removeAll(id);
            m_localClosed.removeAll(id);
        }
    }
}

void SpdySession::resetStream(quint32 id, quint32 status)
{
    if (m_failed || m_open.removeAll(id) == 0)
        return;
    m_remoteClosed.removeAll(id);
    m_localClosed.removeAll(id);
    m_cb.write(controlFrame(kSpdyRstStream, 0, spdyBe32Bytes(id) + spdyBe32Bytes(status)));
}

void SpdySession::goAway()
{
    if (m_failed)
        return;
    m_cb.write(controlFrame(kSpdyGoAway, 0, spdyBe32Bytes(m_lastClientStream) + spdyBe32Bytes(0)));
}

} // namespace rollscope::sim
