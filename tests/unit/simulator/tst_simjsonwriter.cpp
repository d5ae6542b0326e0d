// SPDX-License-Identifier: MIT
// The simulator's JSON writer against QJsonDocument::toJson(Compact), byte for byte: on every
// JSON fixture of the repository, on every object the simulator stores while it runs the demo
// scenario and a rollout, on the stored objects' cached encodings, and on hand-made edge cases
// (escapes, non-ASCII, lone surrogates, depth, numbers).

#include "simfixture.h"
#include "simulator/jsonwriter.h"
#include "simulator/scenarios.h"
#include "testmain.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>

#include <cmath>
#include <limits>

using namespace rollscope;
using namespace rollscope::sim;
using namespace rollscope::sim::test;

namespace {

QByteArray qtCompact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QByteArray qtCompact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

// Byte-for-byte comparison with the first differing offset in the message.
bool sameBytes(const QByteArray &ours, const QByteArray &qt, QString *why)
{
    if (ours == qt)
        return true;
    qsizetype at = 0;
    while (at < ours.size() && at < qt.size() && ours.at(at) == qt.at(at))
        ++at;
    *why = QStringLiteral("differs at byte %1 (ours %2 bytes, Qt %3): ours ...%4... Qt ...%5...")
               .arg(at)
               .arg(ours.size())
               .arg(qt.size())
               .arg(QString::fromLatin1(
                        ours.mid(qMax<qsizetype>(0, at - 20), 60).toPercentEncoding(" {}[]:,\"")),
                    QString::fromLatin1(
                        qt.mid(qMax<qsizetype>(0, at - 20), 60).toPercentEncoding(" {}[]:,\"")));
    return false;
}

// Reports the first difference and fails the test; true when the bytes are the same.
#define COMPARE_BYTES(ours, qt)                                                                    \
    do {                                                                                           \
        QString why_;                                                                              \
        if (!sameBytes((ours), (qt), &why_)) {                                                     \
            QTest::qFail(qPrintable(why_), __FILE__, __LINE__);                                    \
            return false;                                                                          \
        }                                                                                          \
    } while (false)

// Every way the writer can be asked for an object: whole, appended after existing bytes, as a
// value, inside an array.
[[nodiscard]] bool compareAllWays(const QJsonObject &object)
{
    const QByteArray qt = qtCompact(object);
    COMPARE_BYTES(jsonwriter::compact(object), qt);
    QByteArray appended("prefix");
    jsonwriter::append(appended, object);
    COMPARE_BYTES(appended, "prefix" + qt);
    QByteArray asValue;
    jsonwriter::append(asValue, QJsonValue(object));
    COMPARE_BYTES(asValue, qt);
    COMPARE_BYTES(jsonwriter::compact(QJsonArray{object, object}),
                  qtCompact(QJsonArray{object, object}));
    return true;
}

// `value` inside an object, inside an array and on its own.
[[nodiscard]] bool compareValue(const QJsonValue &value)
{
    const QJsonObject object{{QStringLiteral("v"), value}};
    COMPARE_BYTES(jsonwriter::compact(object), qtCompact(object));
    const QJsonArray array{value};
    COMPARE_BYTES(jsonwriter::compact(array), qtCompact(array));
    QByteArray single;
    jsonwriter::append(single, value);
    QByteArray qtSingle = qtCompact(array);
    qtSingle = qtSingle.mid(1, qtSingle.size() - 2); // "[x]" -> "x"
    COMPARE_BYTES(single, qtSingle);
    return true;
}

QJsonObject withoutKindAndApiVersion(QJsonObject object)
{
    object.remove(QStringLiteral("kind"));
    object.remove(QStringLiteral("apiVersion"));
    return object;
}

[[nodiscard]] bool compareFixture(const QJsonDocument &doc)
{
    if (!doc.isObject()) {
        COMPARE_BYTES(jsonwriter::compact(doc.array()), qtCompact(doc.array()));
        return true;
    }
    if (!compareAllWays(doc.object()))
        return false;
    COMPARE_BYTES(jsonwriter::compactWithout(doc.object(), {u"apiVersion", u"kind"}),
                  qtCompact(withoutKindAndApiVersion(doc.object())));
    return true;
}

// The object, its cached encodings.
[[nodiscard]] bool compareStored(const StoredObject &stored)
{
    if (!compareAllWays(stored.object()))
        return false;
    COMPARE_BYTES(stored.json(), qtCompact(stored.object()));
    COMPARE_BYTES(stored.listItemJson(), qtCompact(withoutKindAndApiVersion(stored.object())));
    return true;
}

QString sourceDir()
{
    const QString source = qEnvironmentVariable("ROLLSCOPE_SOURCE_DIR");
    if (!source.isEmpty())
        return source;
    return QDir::cleanPath(QFINDTESTDATA("../../data") + QStringLiteral("/../.."));
}

} // namespace

class TestSimJsonWriter : public QObject
{
    Q_OBJECT

private slots:
    void repositoryFixtures()
    {
        const QString root = sourceDir() + QStringLiteral("/tests/data");
        QVERIFY2(QFileInfo(root).isDir(), qPrintable(root));
        int compared = 0;
        QDirIterator it(root, {QStringLiteral("*.json")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            // Fixtures are small; anything beyond 64 MiB is not one.
            QVERIFY(file.size() < 64 * 1024 * 1024);
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &error);
            if (error.error != QJsonParseError::NoError)
                continue;
            QVERIFY2(compareFixture(doc), qPrintable(file.fileName()));
            ++compared;
        }
        QVERIFY2(compared >= 10, qPrintable(QString::number(compared)));
    }

    // Everything the simulator stores in the demo scenario and through a rollout: pods,
    // ReplicaSets, Events, Endpoints, Leases, managedFields...; the cached encodings too.
    void everythingTheSimulatorStores()
    {
        SimFixture f;
        Scenario demo;
        demo.kind = Scenario::Kind::Demo;
        QVERIFY(seedScenario(&f.registry, demo).ok());
        f.advance(5 * 60 * 1000);
        QVERIFY(
            f.registry
                .modify(
                    Resources::deployments(), QStringLiteral("default"), QStringLiteral("demo-dp"),
                    [](QJsonObject &d) {
                        QJsonArray containers =
                            json::array(d, {u"spec", u"template", u"spec", u"containers"});
                        QJsonObject c = containers.at(0).toObject();
                        c.insert(QStringLiteral("image"), QStringLiteral("bebullish/demo:v2"));
                        containers.replace(0, c);
                        json::set(d, {u"spec", u"template", u"spec", u"containers"}, containers);
                        return true;
                    })
                .ok());
        f.advance(2000);
        QList<StoredPtr> stored;
        for (const ResourceType &type : Resources::all()) {
            f.store.forEachStored(type, {}, [&](const StoredPtr &object) {
                stored << object;
                return true;
            });
        }
        QVERIFY2(stored.size() >= 20, qPrintable(QString::number(stored.size())));
        QList<QJsonObject> all;
        for (const StoredPtr &object : std::as_const(stored)) {
            QVERIFY2(compareStored(*object), qPrintable(json::name(object->object())));
            all << object->object();
        }

        // Not a pass/fail figure: how the two compare on these objects, for the record.
        QElapsedTimer timer;
        qsizetype bytes = 0;
        timer.start();
        for (int round = 0; round < 20; ++round)
            for (const QJsonObject &object : std::as_const(all))
                bytes += qtCompact(object).size();
        const qint64 qtNs = timer.nsecsElapsed();
        timer.restart();
        for (int round = 0; round < 20; ++round)
            for (const QJsonObject &object : std::as_const(all))
                bytes -= jsonwriter::compact(object).size();
        const qint64 oursNs = timer.nsecsElapsed();
        QCOMPARE(bytes, 0);
        qInfo("%d objects x 20: QJsonDocument::toJson %.1f ms, jsonwriter %.1f ms (%.1fx)",
              int(all.size()), double(qtNs) / 1e6, double(oursNs) / 1e6,
              double(qtNs) / double(qMax<qint64>(1, oursNs)));
    }

    void strings()
    {
        // Every C0 control and DEL, alone and between text.
        for (char16_t c = 0; c < 0x20; ++c) {
            QVERIFY(compareValue(QString(QChar(c))));
            QVERIFY(compareValue(QStringLiteral("a") + QChar(c) + QStringLiteral("b")));
        }
        QVERIFY(compareValue(QString(QChar(0x7f))));
        QString allAscii;
        for (char16_t c = 0; c < 0x80; ++c)
            allAscii += QChar(c);
        QVERIFY(compareValue(allAscii));
        QVERIFY(compareValue(QStringLiteral("\"quoted\" back\\slash / slash </script>")));
        QVERIFY(compareValue(QString()));
        QVERIFY(compareValue(QStringLiteral("")));
        QVERIFY(compareValue(
            QStringLiteral("héllo wörld ß € 中文 日本語 \u0800 \u07ff \u00a0 \ufffd \ufeff")));
        QVERIFY(compareValue(QString(QChar(0xfffe)) + QChar(0xffff)));
        QVERIFY(compareValue(QStringLiteral("emoji 😀 🇩🇪 👩‍👩‍👧 𝄞")));
        // Lone surrogates: high at the end, high before a non-surrogate, high high low,
        // low alone, low low.
        const QChar high(char16_t(0xd83d)), low(char16_t(0xde00));
        QVERIFY(compareValue(QStringLiteral("end") + high));
        QVERIFY(compareValue(QString(high) + QStringLiteral("x")));
        QVERIFY(compareValue(QString(high) + high + low));
        QVERIFY(compareValue(QString(low)));
        QVERIFY(compareValue(QString(low) + low + QStringLiteral("y")));
        QVERIFY(compareValue(QString(low) + high));
        // Long strings past any initial buffer, plain and all-escapes.
        QVERIFY(compareValue(QString(100000, QChar(u'x'))));
        QVERIFY(compareValue(QString(50000, QChar(char16_t(0x01)))));
        QVERIFY(compareValue(QString(50000, QChar(char16_t(0xdc00)))));

        // The same characters as keys.
        QJsonObject keys;
        for (char16_t c = 0; c < 0x80; ++c)
            keys.insert(QString(QChar(c)), int(c));
        keys.insert(QString(high), 1);
        keys.insert(QStringLiteral("😀"), 2);
        keys.insert(QStringLiteral("ключ"), 3);
        keys.insert(QString(), 4);
        QVERIFY(compareAllWays(keys));

        QByteArray direct("x");
        jsonwriter::appendString(direct, QString(QStringLiteral("a\"b\n") + low));
        QCOMPARE(direct, QByteArray("x\"a\\\"b\\n\\ude00\""));
    }

    void containers()
    {
        QVERIFY(compareAllWays(QJsonObject()));
        QVERIFY(compareValue(QJsonArray()));
        QVERIFY(compareValue(QJsonObject()));
        QVERIFY(compareValue(QJsonArray{QJsonArray(), QJsonObject(), QJsonValue(), true, false,
                                        QJsonValue(QJsonValue::Undefined)}));
        QVERIFY(compareAllWays(
            QJsonObject{{QStringLiteral("null"), QJsonValue()},
                        {QStringLiteral("t"), true},
                        {QStringLiteral("f"), false},
                        {QStringLiteral("z"), QJsonArray{1, QStringLiteral("2"), 3.5}},
                        {QStringLiteral("a"), QJsonObject{{QStringLiteral("b"), 1}}}}));
        // Depth 100 of objects, of arrays, and alternating.
        QJsonValue objects = QStringLiteral("leaf");
        QJsonValue arrays = 1;
        QJsonValue mixed = QJsonValue();
        for (int depth = 0; depth < 100; ++depth) {
            objects = QJsonObject{{QStringLiteral("k%1").arg(depth), objects},
                                  {QStringLiteral("n"), depth}};
            arrays = QJsonArray{arrays, depth};
            mixed = depth % 2 ? QJsonValue(QJsonObject{{QStringLiteral("m"), mixed}})
                              : QJsonValue(QJsonArray{mixed});
        }
        QVERIFY(compareValue(objects));
        QVERIFY(compareValue(arrays));
        QVERIFY(compareValue(mixed));
        QVERIFY(compareAllWays(objects.toObject()));

        // compactWithout leaves out only top-level keys, wherever they sort.
        const QJsonObject o{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                            {QStringLiteral("data"), QJsonObject{{QStringLiteral("kind"), 1}}},
                            {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                            {QStringLiteral("zzz"), 2}};
        QCOMPARE(jsonwriter::compactWithout(o, {u"apiVersion", u"kind"}),
                 QByteArray(R"({"data":{"kind":1},"zzz":2})"));
        QCOMPARE(jsonwriter::compactWithout(QJsonObject{{QStringLiteral("kind"), 1}}, {u"kind"}),
                 QByteArray("{}"));
    }

    void numbers()
    {
        const double inf = std::numeric_limits<double>::infinity();
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const QList<QJsonValue> values{
            0,
            -1,
            42,
            0.0,
            -0.0,
            1e300,
            -1e300,
            1e-300,
            5e-324,
            std::numeric_limits<double>::max(),
            std::numeric_limits<double>::lowest(),
            1.5,
            0.1,
            0.1 + 0.2,
            1.0 / 3.0,
            -2.5e-7,
            3.0,
            -3.0,
            100.0,
            1e6,
            123456789.0,
            1e15,
            1e16,
            1e17,
            1e21,
            9007199254740992.0,       // 2^53 as a double
            qint64(9007199254740992), // 2^53
            qint64(9007199254740993), // 2^53 + 1
            std::numeric_limits<qint64>::min(),
            std::numeric_limits<qint64>::max(),
            qint64(-9007199254740993),
            std::numeric_limits<int>::min(),
            inf,
            -inf,
            nan,
        };
        for (const QJsonValue &value : values)
            QVERIFY(compareValue(value));

        // Numbers as Qt's parser stores them: integers, doubles, exponents, huge ones.
        const QByteArray parsed = R"({"a":0,"b":-0,"c":-0.0,"d":1e300,"e":1.5,"f":0.1,)"
                                  R"("g":9007199254740993,"h":-9223372036854775808,)"
                                  R"("i":9223372036854775807,"j":9223372036854775808,"k":3.0,)"
                                  R"("l":1e6,"m":1000000,"n":12345678901234567890,"o":1E-7,)"
                                  R"("p":[1,2.0,-3e2,4.25e-3]})";
        const QJsonObject object = QJsonDocument::fromJson(parsed).object();
        QCOMPARE(object.size(), 16);
        QVERIFY(compareAllWays(object));
    }
};

ROLLSCOPE_TEST_MAIN(TestSimJsonWriter)
#include "tst_simjsonwriter.moc"
