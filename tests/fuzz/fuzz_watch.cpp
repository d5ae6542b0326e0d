// SPDX-License-Identifier: MIT
// Watch streams: WatchLineParser splits a body into events as bytes arrive. Each input is fed
// twice: whole, and cut into pieces at points the input's first bytes choose. Lines may be cut
// anywhere between reads, so both must give the same events and the same failure. Fed a third
// time whole in the informers' mode (lines checked by simdjson, objects decoded into pods while
// parsed), it must give the same events, resource versions and failure too; and so must that
// mode fed in the same pieces.

#include "fuzzsupport.h"
#include "kube/resources.h"
#include "kube/watch.h"

using namespace rollscope;
using namespace rollscope::kube;

namespace {

struct Outcome
{
    QList<WatchEvent> events;
    bool failed = false;
};

void collect(Outcome &outcome, WatchLineParser::Chunk chunk)
{
    outcome.events.append(chunk.events);
    if (chunk.error) {
        FUZZ_CHECK(!outcome.failed); // one error per stream, then nothing
        outcome.failed = true;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    if (size < 2)
        return 0;
    // Byte 0 chooses the piece lengths (1..16 bytes, or 1..256), byte 1 seeds their sequence.
    const unsigned maxPiece = (data[0] & 1) ? 256 : 16;
    unsigned state = data[1] | 1u;
    const QByteArrayView body(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));

    Outcome whole;
    {
        WatchLineParser parser;
        collect(whole, parser.feed(body));
        collect(whole, parser.finish());
        FUZZ_CHECK(parser.pendingBytes() == 0 || whole.failed);
    }
    Outcome pieces;
    {
        WatchLineParser parser;
        qsizetype at = 0;
        while (at < body.size()) {
            state = state * 1103515245u + 12345u;
            const qsizetype n = std::min<qsizetype>(1 + (state >> 16) % maxPiece, body.size() - at);
            collect(pieces, parser.feed(body.sliced(at, n)));
            at += n;
        }
        collect(pieces, parser.finish());
    }
    const auto decodingParser = [] {
        WatchLineParser parser;
        parser.setKeepLines(true);
        parser.setObjectDecoder([](const fastjson::Object &object) -> std::shared_ptr<const void> {
            return std::make_shared<const PodInfo>(PodInfo::fromJson(object));
        });
        return parser;
    };
    Outcome decoded;
    {
        WatchLineParser parser = decodingParser();
        collect(decoded, parser.feed(body));
        collect(decoded, parser.finish());
    }
    // Decoded lines are read where they arrive, in the read or in the buffer joining a cut
    // line: in pieces too, the same events and values.
    Outcome decodedPieces;
    {
        WatchLineParser parser = decodingParser();
        unsigned cutState = data[1] | 1u;
        qsizetype at = 0;
        while (at < body.size()) {
            cutState = cutState * 1103515245u + 12345u;
            const qsizetype n =
                std::min<qsizetype>(1 + (cutState >> 16) % maxPiece, body.size() - at);
            collect(decodedPieces, parser.feed(body.sliced(at, n)));
            at += n;
        }
        collect(decodedPieces, parser.finish());
    }
    FUZZ_CHECK(decoded.failed == decodedPieces.failed);
    FUZZ_CHECK(decoded.events.size() == decodedPieces.events.size());
    for (qsizetype i = 0; i < decoded.events.size(); ++i) {
        const WatchEvent &event = decoded.events.at(i);
        const WatchEvent &other = decodedPieces.events.at(i);
        FUZZ_CHECK(event.type == other.type);
        FUZZ_CHECK(event.resourceVersion() == other.resourceVersion());
        FUZZ_CHECK(bool(event.decoded) == bool(other.decoded));
        if (event.decoded)
            FUZZ_CHECK(*static_cast<const PodInfo *>(event.decoded.get()) ==
                       *static_cast<const PodInfo *>(other.decoded.get()));
    }
    FUZZ_CHECK(whole.failed == decoded.failed);
    FUZZ_CHECK(whole.events.size() == decoded.events.size());
    for (qsizetype i = 0; i < whole.events.size(); ++i) {
        const WatchEvent &event = whole.events.at(i);
        const WatchEvent &other = decoded.events.at(i);
        FUZZ_CHECK(event.type == other.type);
        FUZZ_CHECK(event.resourceVersion() == other.resourceVersion());
        // What the informer gets is the value the object decodes to.
        if (other.decoded)
            FUZZ_CHECK(*static_cast<const PodInfo *>(other.decoded.get()) ==
                       PodInfo::fromJson(event.object));
    }
    FUZZ_CHECK(whole.failed == pieces.failed);
    FUZZ_CHECK(whole.events.size() == pieces.events.size());
    for (qsizetype i = 0; i < whole.events.size(); ++i) {
        const WatchEvent &event = whole.events.at(i);
        FUZZ_CHECK(event.type == pieces.events.at(i).type);
        FUZZ_CHECK(event.object == pieces.events.at(i).object);
        (void)event.resourceVersion();
        if (event.type == WatchEvent::Type::Error) {
            const Error error = event.error();
            (void)error.message;
        }
    }
    return 0;
}
