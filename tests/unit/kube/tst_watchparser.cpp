// SPDX-License-Identifier: MIT
#include "kube/resources.h"
#include "kube/watch.h"
#include "testmain.h"

#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

QByteArray line(const char *type, const QJsonObject &object)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("type"), QLatin1StringView(type)},
                                     {QStringLiteral("object"), object}})
               .toJson(QJsonDocument::Compact) +
           '\n';
}

QJsonObject pod(const QString &name, const QString &rv)
{
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("resourceVersion"), rv}}}};
}

QJsonObject status(int code, const char *reason, const char *message)
{
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("status"), QStringLiteral("Failure")},
                       {QStringLiteral("code"), code},
                       {QStringLiteral("reason"), QLatin1StringView(reason)},
                       {QStringLiteral("message"), QLatin1StringView(message)}};
}

QByteArray stream()
{
    return line("ADDED", pod(QStringLiteral("a"), QStringLiteral("10"))) +
           line("MODIFIED", pod(QStringLiteral("a"), QStringLiteral("11"))) +
           line("BOOKMARK", pod(QString(), QStringLiteral("15"))) +
           line("DELETED", pod(QStringLiteral("a"), QStringLiteral("16")));
}

} // namespace

class TestWatchParser : public QObject
{
    Q_OBJECT
private slots:
    void wholeLines()
    {
        WatchLineParser parser;
        const WatchLineParser::Chunk chunk = parser.feed(stream());
        QVERIFY(!chunk.error);
        QCOMPARE(chunk.events.size(), 4);
        QCOMPARE(chunk.events[0].type, WatchEvent::Type::Added);
        QCOMPARE(chunk.events[1].type, WatchEvent::Type::Modified);
        QCOMPARE(chunk.events[2].type, WatchEvent::Type::Bookmark);
        QCOMPARE(chunk.events[3].type, WatchEvent::Type::Deleted);
        QCOMPARE(chunk.events[1].resourceVersion(), QStringLiteral("11"));
        QCOMPARE(chunk.events[2].resourceVersion(), QStringLiteral("15"));
        QCOMPARE(parser.pendingBytes(), 0);
    }

    // Lines cut at every possible position, and one byte per read, give the same events.
    void partialLines_data()
    {
        QTest::addColumn<int>("split");
        const int size = static_cast<int>(stream().size());
        for (int split = 1; split < size; split += 7)
            QTest::addRow("split at %d", split) << split;
    }
    void partialLines()
    {
        QFETCH(int, split);
        const QByteArray data = stream();
        WatchLineParser parser;
        WatchLineParser::Chunk first = parser.feed(data.left(split));
        WatchLineParser::Chunk second = parser.feed(data.mid(split));
        QVERIFY(!first.error && !second.error);
        QCOMPARE(first.events.size() + second.events.size(), 4);
        QList<WatchEvent> all = first.events + second.events;
        QCOMPARE(all.last().resourceVersion(), QStringLiteral("16"));
    }
    void byteByByte()
    {
        const QByteArray data = stream();
        WatchLineParser parser;
        QList<WatchEvent> events;
        for (char c : data) {
            WatchLineParser::Chunk chunk = parser.feed(QByteArrayView(&c, 1));
            QVERIFY(!chunk.error);
            events += chunk.events;
        }
        QCOMPARE(events.size(), 4);
        QCOMPARE(events[0].object.value(u"metadata").toObject().value(u"name").toString(),
                 QStringLiteral("a"));
    }

    void lastLineWithoutNewlineCountsAtEnd()
    {
        QByteArray data = line("ADDED", pod(QStringLiteral("b"), QStringLiteral("3")));
        data.chop(1);
        WatchLineParser parser;
        QCOMPARE(parser.feed(data).events.size(), 0);
        QVERIFY(parser.pendingBytes() > 0);
        const WatchLineParser::Chunk end = parser.finish();
        QVERIFY(!end.error);
        QCOMPARE(end.events.size(), 1);
        QCOMPARE(end.events[0].resourceVersion(), QStringLiteral("3"));
    }

    void blankLinesAndCrLfAreIgnored()
    {
        QByteArray data = "\r\n\n" + line("ADDED", pod(QStringLiteral("c"), QStringLiteral("4")));
        data.replace("}\n", "}\r\n");
        WatchLineParser parser;
        const WatchLineParser::Chunk chunk = parser.feed(data);
        QVERIFY(!chunk.error);
        QCOMPARE(chunk.events.size(), 1);
    }

    void errorEventWithExpiredStatus_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("kind");
        QTest::newRow("410 Expired")
            << 410 << QStringLiteral("Expired") << static_cast<int>(Error::Kind::Expired);
        QTest::newRow("410 Gone (older servers)")
            << 410 << QStringLiteral("Gone") << static_cast<int>(Error::Kind::Expired);
        QTest::newRow("500") << 500 << QStringLiteral("InternalError")
                             << static_cast<int>(Error::Kind::Server);
    }
    void errorEventWithExpiredStatus()
    {
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(int, kind);
        WatchLineParser parser;
        const QByteArray data = line("ERROR", status(code, reason.toLatin1().constData(),
                                                     "too old resource version: 5 (120)"));
        const WatchLineParser::Chunk chunk = parser.feed(data);
        QVERIFY(!chunk.error);
        QCOMPARE(chunk.events.size(), 1);
        QCOMPARE(chunk.events[0].type, WatchEvent::Type::Error);
        const Error error = chunk.events[0].error();
        QCOMPARE(static_cast<int>(error.kind), kind);
        QCOMPARE(error.httpStatus, code);
        QVERIFY(!error.message.isEmpty());
    }

    void malformedLinesAreErrors_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::newRow("not json") << QByteArray("{\"type\":\"ADDED\",\"object\":\n");
        QTest::newRow("unknown type") << QByteArray("{\"type\":\"SYNC\",\"object\":{}}\n");
        QTest::newRow("no object") << QByteArray("{\"type\":\"ADDED\"}\n");
        QTest::newRow("array") << QByteArray("[1,2]\n");
    }
    void malformedLinesAreErrors()
    {
        QFETCH(QByteArray, data);
        WatchLineParser parser;
        const WatchLineParser::Chunk chunk = parser.feed(
            QByteArray(line("ADDED", pod(QStringLiteral("a"), QStringLiteral("1"))) + data));
        QCOMPARE(chunk.events.size(), 1); // what came before the bad line still counts
        QVERIFY(chunk.error);
        QCOMPARE(chunk.error->kind, Error::Kind::Protocol);
        // A broken stream stays broken.
        QVERIFY(parser.feed(line("ADDED", pod(QStringLiteral("b"), QStringLiteral("2"))))
                    .events.isEmpty());
    }

    // The informers' mode: lines checked with simdjson and kept for the decoder, the same
    // events otherwise, ERROR events still parsed, and the same words for the same bad lines.
    void keptLinesGiveTheSameEvents()
    {
        const QByteArray expired =
            line("ERROR", status(410, "Expired", "too old resource version: 5 (120)"));
        const QByteArray data = stream() + expired;
        WatchLineParser parsing;
        WatchLineParser keeping;
        keeping.setKeepLines(true);
        const WatchLineParser::Chunk parsed = parsing.feed(data);
        const WatchLineParser::Chunk kept = keeping.feed(data);
        QVERIFY(!parsed.error && !kept.error);
        QCOMPARE(kept.events.size(), parsed.events.size());
        const QList<QByteArray> lines = data.trimmed().split('\n');
        for (qsizetype i = 0; i < kept.events.size(); ++i) {
            QCOMPARE(kept.events[i].type, parsed.events[i].type);
            QCOMPARE(kept.events[i].resourceVersion(), parsed.events[i].resourceVersion());
            if (kept.events[i].type == WatchEvent::Type::Error) {
                QVERIFY(kept.events[i].line.isEmpty());
                QCOMPARE(kept.events[i].object, parsed.events[i].object);
                QCOMPARE(kept.events[i].error().kind, Error::Kind::Expired);
            } else {
                QVERIFY(kept.events[i].object.isEmpty());
                QCOMPARE(kept.events[i].line, lines.at(i));
            }
        }
        QCOMPARE(kept.events[1].resourceVersion(), QStringLiteral("11"));
    }
    // With a decoder (the informers'), objects are decoded while the line is parsed, once:
    // events carry the value instead of their line, bookmarks keep theirs.
    void decodedWhileParsed()
    {
        WatchLineParser parser;
        parser.setKeepLines(true);
        int calls = 0;
        parser.setObjectDecoder(
            [&calls](const fastjson::Object &object) -> std::shared_ptr<const void> {
                ++calls;
                return std::make_shared<const PodInfo>(PodInfo::fromJson(object));
            });
        const WatchLineParser::Chunk chunk = parser.feed(stream());
        QVERIFY(!chunk.error);
        QCOMPARE(chunk.events.size(), 4);
        QCOMPARE(calls, 3);
        for (const WatchEvent &event : chunk.events) {
            QVERIFY(event.fromLine);
            if (event.type == WatchEvent::Type::Bookmark) {
                QVERIFY(!event.decoded);
                QVERIFY(!event.line.isEmpty());
                QCOMPARE(event.resourceVersion(), QStringLiteral("15"));
                continue;
            }
            QVERIFY(event.line.isEmpty());
            QVERIFY(event.decoded);
            QCOMPARE(static_cast<const PodInfo *>(event.decoded.get())->name, QStringLiteral("a"));
        }
        QCOMPARE(chunk.events[3].resourceVersion(), QStringLiteral("16"));
    }

    // Lines are read where they arrive (in the read, or in the buffer that joins a line cut
    // between reads), with whatever bytes follow them: cut anywhere, fed whole or line by
    // line, the decoded values are the ones each object decodes to on its own.
    void decodedWhereverLinesAreCut()
    {
        QByteArray data;
        QList<PodInfo> expected;
        for (int i = 0; i < 6; ++i) {
            QJsonObject object = pod(QStringLiteral("p%1").arg(i), QString::number(20 + i));
            object.insert(
                QStringLiteral("status"),
                QJsonObject{{QStringLiteral("phase"), QStringLiteral("Running")},
                            {QStringLiteral("podIP"), QStringLiteral("10.0.0.%1").arg(i)}});
            data += line(i % 2 ? "MODIFIED" : "ADDED", object);
            expected.append(PodInfo::fromJson(object));
        }
        // Bytes after a line that would change its reading if they were taken as part of it.
        data += "{\"type\":\"ADDED\",\"obj";
        const auto decodeAll = [&](const QList<qsizetype> &cuts) {
            WatchLineParser parser;
            parser.setKeepLines(true);
            parser.setObjectDecoder(
                [](const fastjson::Object &object) -> std::shared_ptr<const void> {
                    return std::make_shared<const PodInfo>(PodInfo::fromJson(object));
                });
            QList<PodInfo> pods;
            qsizetype at = 0;
            for (qsizetype cut : cuts) {
                const WatchLineParser::Chunk chunk =
                    parser.feed(QByteArrayView(data).sliced(at, cut - at));
                if (chunk.error)
                    return QList<PodInfo>();
                for (const WatchEvent &event : chunk.events)
                    pods.append(*static_cast<const PodInfo *>(event.decoded.get()));
                at = cut;
            }
            return pods;
        };
        QCOMPARE(decodeAll({data.size()}), expected);
        QList<qsizetype> atNewlines;
        for (qsizetype i = 0; i < data.size(); ++i) {
            if (data.at(i) == '\n')
                atNewlines.append(i + 1);
        }
        atNewlines.append(data.size());
        QCOMPARE(decodeAll(atNewlines), expected);
        for (qsizetype piece : {1, 2, 7, 63, 64, 65, 200}) {
            QList<qsizetype> cuts;
            for (qsizetype at = piece; at < data.size(); at += piece)
                cuts.append(at);
            cuts.append(data.size());
            QCOMPARE(decodeAll(cuts), expected);
        }
    }
    // A line completed by the next read and found wrong ends the stream there, as any other.
    void errorInALineCutBetweenReads()
    {
        const QByteArray good = line("ADDED", pod(QStringLiteral("a"), QStringLiteral("1")));
        for (const bool keep : {false, true}) {
            WatchLineParser parser;
            parser.setKeepLines(keep);
            QVERIFY(parser.feed(good + "{\"type\":\"ADD").events.size() == 1);
            QVERIFY(parser.pendingBytes() > 0);
            const WatchLineParser::Chunk chunk = parser.feed("ED\",\"object\":{}}x\n" + good);
            QVERIFY(chunk.error);
            QVERIFY(chunk.events.isEmpty());
            QCOMPARE(parser.pendingBytes(), 0);
            QVERIFY(parser.feed(good).events.isEmpty());
        }
    }

    void keptLinesRejectWhatParsingRejects_data()
    {
        malformedLinesAreErrors_data();
        QTest::newRow("object not an object") << QByteArray("{\"type\":\"ADDED\",\"object\":[]}\n");
        QTest::newRow("invalid UTF-8")
            << QByteArray("{\"type\":\"ADDED\",\"object\":{\"a\":\"\xff\"}}\n");
    }
    void keptLinesRejectWhatParsingRejects()
    {
        QFETCH(QByteArray, data);
        WatchLineParser parsing;
        WatchLineParser keeping;
        keeping.setKeepLines(true);
        const WatchLineParser::Chunk parsed = parsing.feed(data);
        const WatchLineParser::Chunk kept = keeping.feed(data);
        QVERIFY(parsed.error);
        QVERIFY(kept.error);
        QCOMPARE(kept.error->message, parsed.error->message);
        QVERIFY(kept.events.isEmpty());
    }

    void oversizedLineIsAnError()
    {
        WatchLineParser parser(64);
        const WatchLineParser::Chunk chunk = parser.feed(QByteArray(100, 'x'));
        QVERIFY(chunk.error);
        QCOMPARE(chunk.error->kind, Error::Kind::Protocol);
    }
};

ROLLSCOPE_TEST_MAIN(TestWatchParser)
#include "tst_watchparser.moc"
