// SPDX-License-Identifier: MIT
// What kubectl port-forward and exec send after the upgrade (simulator/spdy.h,
// simulator/websocket.h): SPDY/3.1 frames with zlib-compressed header blocks, raw or inside
// masked WebSocket frames. The first byte picks the mode and where the rest is split into two
// reads (incremental parsing):
//   bit 0: the bytes are WebSocket frames whose binary messages carry the SPDY bytes;
//   bit 1: the rest is read as header name/value pairs (NUL-separated), encoded as a client
//          does, and sent in a SYN_STREAM: the session must hand exactly those headers over
//          (when within its limits).
// The session answers as a server would (SYN_REPLY, data back, resets), so every path runs.
// Invariants: limits hold (open streams, message sizes), a failed session stays failed and
// says why once.

#include "fuzzsupport.h"
#include "simulator/spdy.h"
#include "simulator/websocket.h"

#include <QtEndian>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

QByteArray streamsBe32(quint32 v)
{
    char b[4];
    qToBigEndian(v, b);
    return QByteArray(b, 4);
}

void roundTripHeaders(const QByteArray &input)
{
    SpdyHeaders headers;
    const QList<QByteArray> parts = input.split('\0');
    for (qsizetype i = 0; i + 1 < parts.size() && headers.size() < 80; i += 2)
        headers.append({parts.at(i).toLower(), parts.at(i + 1)});
    SpdySession::HeaderEncoder encoder;
    const QByteArray frame = SpdySession::controlFrame(
        1, 0, streamsBe32(1) + streamsBe32(0) + QByteArray(2, '\0') + encoder.encode(headers));

    bool opened = false;
    bool failed = false;
    SpdySession::Callbacks cb;
    cb.write = [](const QByteArray &) {};
    cb.opened = [&](quint32 id, const SpdyHeaders &got, bool) {
        FUZZ_CHECK(id == 1);
        FUZZ_CHECK(got == headers);
        opened = true;
    };
    cb.failed = [&](const QString &) { failed = true; };
    SpdySession session(std::move(cb));
    session.feed(frame);
    bool withinLimits = headers.size() <= qsizetype(SpdySession::kMaxHeaders) &&
                        frame.size() - 8 <= qsizetype(SpdySession::kMaxControlFrame);
    qsizetype plain = 4;
    for (const auto &[name, value] : headers) {
        withinLimits = withinLimits && !name.isEmpty();
        plain += 8 + name.size() + value.size();
    }
    withinLimits = withinLimits && plain <= SpdySession::kMaxHeaderBlock;
    if (withinLimits)
        FUZZ_CHECK(opened && !failed);
    else
        FUZZ_CHECK(opened != failed);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    if (size < 2)
        return 0;
    const quint8 mode = data[0];
    const QByteArray input = rollscope::fuzz::bytes(data + 2, size - 2);
    if (mode & 2) {
        roundTripHeaders(input);
        return 0;
    }

    int failures = 0;
    qint64 written = 0;
    SpdySession *self = nullptr;
    SpdySession::Callbacks cb;
    cb.write = [&written](const QByteArray &bytes) { written += bytes.size(); };
    cb.opened = [&self](quint32 id, const SpdyHeaders &headers, bool fin) {
        FUZZ_CHECK(id % 2 == 1);
        FUZZ_CHECK(headers.size() <= qsizetype(SpdySession::kMaxHeaders));
        if (id % 7 == 0) {
            self->resetStream(id);
            return;
        }
        self->reply(id, headers.mid(0, 2));
        if (fin)
            self->send(id, "bye", true);
    };
    cb.data = [&self](quint32 id, const QByteArray &bytes, bool fin) {
        FUZZ_CHECK(bytes.size() <= qsizetype(SpdySession::kMaxDataFrame));
        self->send(id, bytes.left(64), fin);
    };
    cb.reset = [](quint32) {};
    cb.failed = [&failures](const QString &why) {
        FUZZ_CHECK(!why.isEmpty());
        ++failures;
    };
    SpdySession session(std::move(cb));
    self = &session;

    WebSocketReader reader;
    const qsizetype split = qsizetype(data[1]) % (input.size() + 1);
    for (const QByteArray &chunk : {input.left(split), input.mid(split)}) {
        if (mode & 1) {
            QList<WebSocketReader::Message> messages;
            const bool ok = reader.feed(chunk, &messages);
            FUZZ_CHECK(ok == reader.errorText().isEmpty());
            for (const auto &m : messages) {
                FUZZ_CHECK(m.payload.size() <= WebSocketReader::kMaxMessage);
                if (m.opcode == WebSocketOpcode::Binary)
                    session.feed(m.payload);
                else if (m.opcode != WebSocketOpcode::Text)
                    FUZZ_CHECK(m.payload.size() <= 125); // control frames
            }
        } else {
            const bool ok = session.feed(chunk);
            FUZZ_CHECK(ok == !session.hasFailed());
        }
        FUZZ_CHECK(session.openStreams() <= SpdySession::kMaxOpenStreams);
    }
    FUZZ_CHECK(failures == (session.hasFailed() ? 1 : 0));
    if (session.hasFailed())
        FUZZ_CHECK(!session.feed(QByteArray(8, '\0')));
    (void)webSocketFrame(WebSocketOpcode::Binary, input.left(70000));
    return 0;
}
