// SPDX-License-Identifier: MIT
// The Kubernetes vocabulary the client and the simulator share (models/apimachinery).
#include "apimachinery/duration.h"
#include "apimachinery/httpstatus.h"
#include "apimachinery/intstr.h"
#include "apimachinery/labels.h"
#include "apimachinery/validation.h"
#include "apimachinery/yamljson.h"
#include "testmain.h"

#include <QJsonArray>

#include <limits>
#include <yaml-cpp/yaml.h>

using namespace rollscope;
using namespace rollscope::apimachinery;

class TestApimachinery : public QObject
{
    Q_OBJECT
private slots:
    // --- HTTP status ----------------------------------------------------------------------------

    void statusTable_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<int>("kind");
        QTest::newRow("200") << 200 << QByteArray("OK") << QString() << int(Error::Kind::Generic);
        QTest::newRow("400") << 400 << QByteArray("Bad Request") << "BadRequest"
                             << int(Error::Kind::Generic);
        QTest::newRow("401") << 401 << QByteArray("Unauthorized") << "Unauthorized"
                             << int(Error::Kind::Unauthorized);
        QTest::newRow("403") << 403 << QByteArray("Forbidden") << "Forbidden"
                             << int(Error::Kind::Forbidden);
        QTest::newRow("404") << 404 << QByteArray("Not Found") << "NotFound"
                             << int(Error::Kind::NotFound);
        QTest::newRow("405") << 405 << QByteArray("Method Not Allowed") << "MethodNotAllowed"
                             << int(Error::Kind::Generic);
        QTest::newRow("406") << 406 << QByteArray("Not Acceptable") << "NotAcceptable"
                             << int(Error::Kind::Protocol);
        QTest::newRow("408") << 408 << QByteArray("Request Timeout") << QString()
                             << int(Error::Kind::Timeout);
        QTest::newRow("409") << 409 << QByteArray("Conflict") << "Conflict"
                             << int(Error::Kind::Conflict);
        // kube-apiserver answers a too old resourceVersion with 410 Gone, reason Expired.
        QTest::newRow("410") << 410 << QByteArray("Gone") << "Expired" << int(Error::Kind::Expired);
        QTest::newRow("413") << 413 << QByteArray("Request Entity Too Large")
                             << "RequestEntityTooLarge" << int(Error::Kind::Generic);
        QTest::newRow("415") << 415 << QByteArray("Unsupported Media Type")
                             << "UnsupportedMediaType" << int(Error::Kind::Protocol);
        QTest::newRow("418") << 418 << QByteArray("I'm a teapot") << QString()
                             << int(Error::Kind::Generic);
        QTest::newRow("422") << 422 << QByteArray("Unprocessable Entity") << "Invalid"
                             << int(Error::Kind::Invalid);
        QTest::newRow("429") << 429 << QByteArray("Too Many Requests") << "TooManyRequests"
                             << int(Error::Kind::TooManyRequests);
        QTest::newRow("500") << 500 << QByteArray("Internal Server Error") << "InternalError"
                             << int(Error::Kind::Server);
        QTest::newRow("502") << 502 << QByteArray("Bad Gateway") << "InternalError"
                             << int(Error::Kind::Server);
        QTest::newRow("503") << 503 << QByteArray("Service Unavailable") << "ServiceUnavailable"
                             << int(Error::Kind::Server);
        QTest::newRow("504") << 504 << QByteArray("Gateway Timeout") << "Timeout"
                             << int(Error::Kind::Timeout);
        QTest::newRow("unknown 499")
            << 499 << QByteArray() << QString() << int(Error::Kind::Generic);
        QTest::newRow("unknown 599")
            << 599 << QByteArray() << "InternalError" << int(Error::Kind::Server);
    }
    void statusTable()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, text);
        QFETCH(QString, reason);
        QFETCH(int, kind);
        QCOMPARE(statusText(code), text);
        QCOMPARE(statusReason(code), reason);
        QCOMPARE(int(errorKind(code)), kind);
    }

    void statusErrorTakesTheCallersReason()
    {
        const Error conflict = statusError(409, QStringLiteral("changed"));
        QCOMPARE(conflict.httpStatus, 409);
        QCOMPARE(conflict.reason, QStringLiteral("Conflict"));
        QCOMPARE(conflict.message, QStringLiteral("changed"));
        QCOMPARE(conflict.kind, Error::Kind::Conflict);
        // A create of an existing name is also 409, with its own reason.
        const Error exists =
            statusError(409, QStringLiteral("exists"), QStringLiteral("AlreadyExists"));
        QCOMPARE(exists.reason, QStringLiteral("AlreadyExists"));
        QCOMPARE(exists.kind, Error::Kind::Conflict);
    }

    // --- HumanDuration --------------------------------------------------------------------------

    // As kubectl's AGE column and the API server's Table rows print ages.
    void humanDuration_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        const qint64 m = 60;
        const qint64 h = 3600;
        const qint64 d = 24 * h;
        const qint64 y = 365 * d;
        QTest::newRow("-3s") << qint64(-3) << "<invalid>";
        QTest::newRow("-1s") << qint64(-1) << "0s";
        QTest::newRow("0s") << qint64(0) << "0s";
        QTest::newRow("59s") << qint64(59) << "59s";
        QTest::newRow("119s") << qint64(119) << "119s";
        QTest::newRow("2m") << 2 * m << "2m";
        QTest::newRow("2m5s") << 2 * m + 5 << "2m5s";
        QTest::newRow("9m59s") << 10 * m - 1 << "9m59s";
        QTest::newRow("10m") << 10 * m << "10m";
        QTest::newRow("10m30s") << 10 * m + 30 << "10m";
        QTest::newRow("150m") << 150 * m << "150m";
        QTest::newRow("179m") << 180 * m - 1 << "179m";
        QTest::newRow("3h") << 3 * h << "3h";
        QTest::newRow("3h5m") << 3 * h + 5 * m << "3h5m";
        QTest::newRow("7h59m") << 8 * h - m << "7h59m";
        QTest::newRow("8h") << 8 * h << "8h";
        QTest::newRow("47h") << 48 * h - 1 << "47h";
        QTest::newRow("2d") << 2 * d << "2d";
        QTest::newRow("2d3h") << 2 * d + 3 * h << "2d3h";
        QTest::newRow("2d13h") << 61 * h << "2d13h";
        QTest::newRow("7d23h") << 8 * d - h << "7d23h";
        QTest::newRow("8d") << 8 * d << "8d";
        QTest::newRow("729d") << 2 * y - d << "729d";
        QTest::newRow("2y") << 2 * y << "2y";
        QTest::newRow("2y10d") << 2 * y + 10 * d << "2y10d";
        QTest::newRow("2y45d") << 2 * y + 45 * d << "2y45d";
        QTest::newRow("8y") << 8 * y + 100 * d << "8y";
    }
    void humanDuration()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(apimachinery::humanDuration(seconds * 1000), text);
    }
    void humanDurationTruncatesMilliseconds()
    {
        QCOMPARE(apimachinery::humanDuration(1999), QStringLiteral("1s"));
        QCOMPARE(apimachinery::humanDuration(-1999), QStringLiteral("0s"));
        QCOMPARE(apimachinery::humanDuration(-2000), QStringLiteral("<invalid>"));
    }

    // --- IntOrString ----------------------------------------------------------------------------

    void scaledValue_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<int>("total");
        QTest::addColumn<int>("up");
        QTest::addColumn<int>("down");
        QTest::newRow("25% of 3") << QJsonValue(QStringLiteral("25%")) << 3 << 1 << 0;
        QTest::newRow("25% of 4") << QJsonValue(QStringLiteral("25%")) << 4 << 1 << 1;
        QTest::newRow("25% of 10") << QJsonValue(QStringLiteral("25%")) << 10 << 3 << 2;
        QTest::newRow("int") << QJsonValue(2) << 10 << 2 << 2;
        QTest::newRow("100%") << QJsonValue(QStringLiteral("100%")) << 7 << 7 << 7;
        QTest::newRow("0%") << QJsonValue(QStringLiteral("0%")) << 7 << 0 << 0;
        QTest::newRow("150%") << QJsonValue(QStringLiteral("150%")) << 3 << 5 << 4;
        // strconv.Atoi takes a sign.
        QTest::newRow("+10%") << QJsonValue(QStringLiteral("+10%")) << 10 << 1 << 1;
        // Saturated: 150% of 2^31-1 does not fit an int.
        QTest::newRow("saturated")
            << QJsonValue(QStringLiteral("150%")) << std::numeric_limits<int>::max()
            << std::numeric_limits<int>::max() << std::numeric_limits<int>::max();
        // Beyond int64 (strconv.Atoi fails): saturated, as the simulator always did.
        QTest::newRow("absurd percent")
            << QJsonValue(QStringLiteral("99999999999999999999%")) << 5
            << std::numeric_limits<int>::max() << std::numeric_limits<int>::max();
        QTest::newRow("huge int") << QJsonValue(1e12) << 3 << std::numeric_limits<int>::max()
                                  << std::numeric_limits<int>::max();
    }
    void scaledValue()
    {
        QFETCH(QJsonValue, value);
        QFETCH(int, total);
        QFETCH(int, up);
        QFETCH(int, down);
        const IntOrString v = IntOrString::fromJson(value);
        QCOMPARE(v.scaledValue(total, true), std::optional<int>(up));
        QCOMPARE(v.scaledValue(total, false), std::optional<int>(down));
    }
    void scaledValueRejectsWhatAtoiRejects()
    {
        for (const char *text : {"abc", "abc%", "%", "2.5%", " 5%", "5 %", "5"})
            QVERIFY2(!IntOrString::fromString(QLatin1StringView(text)).scaledValue(3, true), text);
        QVERIFY(!IntOrString().scaledValue(3, true));
        QVERIFY(!IntOrString::fromJson(QJsonValue()).isSet());
        QCOMPARE(IntOrString::fromString(QStringLiteral("25%")).toString(), QStringLiteral("25%"));
        QCOMPARE(IntOrString::fromInt(3).toString(), QStringLiteral("3"));
    }

    // --- Label selectors ------------------------------------------------------------------------

    void labelSelectorParsesAndMatches_data()
    {
        QTest::addColumn<QString>("selector");
        QTest::addColumn<bool>("matches");
        QTest::newRow("empty") << QString() << true;
        QTest::newRow("equals") << QStringLiteral("app=demo") << true;
        QTest::newRow("double equals") << QStringLiteral("app==demo") << true;
        QTest::newRow("not equals") << QStringLiteral("app!=demo") << false;
        QTest::newRow("not equals absent") << QStringLiteral("nosuch!=x") << true;
        QTest::newRow("in") << QStringLiteral("tier in (web, api)") << true;
        QTest::newRow("notin") << QStringLiteral("tier notin (web)") << false;
        QTest::newRow("exists") << QStringLiteral("tier") << true;
        QTest::newRow("does not exist") << QStringLiteral("!canary") << true;
        QTest::newRow("and") << QStringLiteral("app=demo,!tier") << false;
    }
    void labelSelectorParsesAndMatches()
    {
        QFETCH(QString, selector);
        QFETCH(bool, matches);
        const auto parsed = LabelSelector::parse(selector);
        QVERIFY(parsed);
        const QJsonObject json{{QStringLiteral("app"), QStringLiteral("demo")},
                               {QStringLiteral("tier"), QStringLiteral("web")}};
        const QMap<QString, QString> map{{QStringLiteral("app"), QStringLiteral("demo")},
                                         {QStringLiteral("tier"), QStringLiteral("web")}};
        QCOMPARE(parsed->matches(json), matches);
        QCOMPARE(parsed->matches(map), matches); // the client's labels read the same
    }
    void labelSelectorErrorsAreBadRequests()
    {
        const auto bad = LabelSelector::parse(QStringLiteral("app in web"));
        QVERIFY(!bad);
        QCOMPARE(bad.error().httpStatus, 400);
        QCOMPARE(bad.error().reason, QStringLiteral("BadRequest"));
        const auto op = LabelSelector::fromObject(QJsonObject{
            {QStringLiteral("matchExpressions"),
             QJsonArray{QJsonObject{{QStringLiteral("key"), QStringLiteral("a")},
                                    {QStringLiteral("operator"), QStringLiteral("Near")}}}}});
        QVERIFY(!op);
        QCOMPARE(op.error().message, QStringLiteral("Near is not a valid label selector operator"));
    }
    void labelSelectorStringIsSorted()
    {
        // labels.Selector.String(): by key, values sorted, whatever order they were given in.
        const auto s = LabelSelector::fromObject(QJsonObject{
            {QStringLiteral("matchLabels"),
             QJsonObject{{QStringLiteral("app"), QStringLiteral("demo")}}},
            {QStringLiteral("matchExpressions"),
             QJsonArray{
                 QJsonObject{{QStringLiteral("key"), QStringLiteral("tier")},
                             {QStringLiteral("operator"), QStringLiteral("In")},
                             {QStringLiteral("values"),
                              QJsonArray{QStringLiteral("web"), QStringLiteral("api")}}},
                 QJsonObject{{QStringLiteral("key"), QStringLiteral("legacy")},
                             {QStringLiteral("operator"), QStringLiteral("DoesNotExist")}}}}});
        QVERIFY(s);
        QCOMPARE(s->toString(), QStringLiteral("app=demo,!legacy,tier in (api,web)"));
        QCOMPARE(LabelSelector::parse(QStringLiteral("b=1,a notin (y,x)"))->toString(),
                 QStringLiteral("a notin (x,y),b=1"));
    }

    // --- DNS names ------------------------------------------------------------------------------

    void dnsNames_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("label");
        QTest::addColumn<bool>("subdomain");
        QTest::addColumn<bool>("label1035");
        QTest::newRow("name") << QStringLiteral("my-name") << true << true << true;
        QTest::newRow("digit first") << QStringLiteral("123-abc") << true << true << false;
        QTest::newRow("dotted") << QStringLiteral("example.com") << false << true << false;
        QTest::newRow("upper") << QStringLiteral("Demo") << false << false << false;
        QTest::newRow("dash first") << QStringLiteral("-a") << false << false << false;
        QTest::newRow("dash last") << QStringLiteral("a-") << false << false << false;
        QTest::newRow("empty") << QString() << false << false << false;
        QTest::newRow("empty part") << QStringLiteral("a..b") << false << false << false;
        QTest::newRow("underscore") << QStringLiteral("a_b") << false << false << false;
        // Go's anchors end at the end of the text, not before a final newline.
        QTest::newRow("newline") << QStringLiteral("demo\n") << false << false << false;
        QTest::newRow("63") << QString(63, u'a') << true << true << true;
        // A subdomain limits only its total length.
        QTest::newRow("64") << QString(64, u'a') << false << true << false;
        const QString three = (QString(63, u'a') + u'.').repeated(3);
        QTest::newRow("253 dotted") << three + QString(61, u'b') << false << true << false;
        QTest::newRow("254 dotted") << three + QString(62, u'b') << false << false << false;
    }
    void dnsNames()
    {
        QFETCH(QString, text);
        QFETCH(bool, label);
        QFETCH(bool, subdomain);
        QFETCH(bool, label1035);
        QCOMPARE(isDns1123Label(text), label);
        QCOMPARE(isDns1123Subdomain(text), subdomain);
        QCOMPARE(isDns1035Label(text), label1035);
    }

    // --- YAML to JSON ---------------------------------------------------------------------------

    void yamlScalars()
    {
        const auto o = yamlToJsonObject(QByteArrayLiteral("int: 5\n"
                                                          "negative: -3\n"
                                                          "real: 1.5\n"
                                                          "exponent: 1e3\n"
                                                          "big: 123456789012345678901234\n"
                                                          "quoted: \"5\"\n"
                                                          "single: 'true'\n"
                                                          "tagged: !!str 7\n"
                                                          "yes: True\n"
                                                          "no: FALSE\n"
                                                          "nothing: ~\n"
                                                          "nil: NULL\n"
                                                          "empty:\n"
                                                          "inf: inf\n"
                                                          "text: hello world\n"
                                                          "list: [a, 2]\n"
                                                          "repeated: 1\n"
                                                          "repeated: 2\n"));
        QVERIFY2(o, qPrintable(o ? QString() : o.error().message));
        QCOMPARE(o->value(u"int"), QJsonValue(5));
        QCOMPARE(o->value(u"negative"), QJsonValue(-3));
        QCOMPARE(o->value(u"real"), QJsonValue(1.5));
        QCOMPARE(o->value(u"exponent"), QJsonValue(1000.0));
        QCOMPARE(o->value(u"big"), QJsonValue(1.2345678901234568e23));
        QCOMPARE(o->value(u"quoted"), QJsonValue(QStringLiteral("5")));
        QCOMPARE(o->value(u"single"), QJsonValue(QStringLiteral("true")));
        QCOMPARE(o->value(u"tagged"), QJsonValue(QStringLiteral("7")));
        QCOMPARE(o->value(u"yes"), QJsonValue(true));
        QCOMPARE(o->value(u"no"), QJsonValue(false));
        QVERIFY(o->value(u"nothing").isNull());
        QVERIFY(o->value(u"nil").isNull());
        QVERIFY(o->value(u"empty").isNull());
        QCOMPARE(o->value(u"inf"), QJsonValue(QStringLiteral("inf")));
        QCOMPARE(o->value(u"text"), QJsonValue(QStringLiteral("hello world")));
        QCOMPARE(o->value(u"list"), QJsonValue(QJsonArray{QStringLiteral("a"), 2}));
        QCOMPARE(o->value(u"repeated"), QJsonValue(2)); // the last one wins, as in kubectl
    }
    void yamlErrors()
    {
        const auto notMap = yamlToJsonObject(QByteArrayLiteral("- a\n- b\n"));
        QVERIFY(!notMap);
        QCOMPARE(notMap.error().message,
                 QStringLiteral("expected a YAML mapping at the top level"));
        const auto broken = yamlToJsonObject(QByteArrayLiteral("a: [1, 2\n"));
        QVERIFY(!broken);
        QVERIFY(broken.error().message.startsWith(
            QStringLiteral("error converting YAML to JSON: yaml: line ")));
        const auto complexKey = yamlToJsonObject(QByteArrayLiteral("? [a, b]\n: c\n"));
        QVERIFY(!complexKey);
        QVERIFY(complexKey.error().message.contains(u"unsupported map key"));
        // A null key: sigs.k8s.io/yaml cannot make a JSON key of it either.
        QVERIFY(!yamlToJsonObject(QByteArrayLiteral("~: c\n")));
    }
    void yamlDocuments()
    {
        const auto docs = yamlToJsonObjects(QByteArrayLiteral("a: 1\n---\n---\nb: 2\n"));
        QVERIFY(docs);
        QCOMPARE(docs->size(), 2);
        QCOMPARE(docs->at(1).value(u"b"), QJsonValue(2));
    }
    void yamlDepthLimit()
    {
        const YAML::Node node = YAML::Load("a: {b: {c: 1}}");
        QVERIFY(yamlNodeToJson(node, 3));
        const auto deep = yamlNodeToJson(node, 2);
        QVERIFY(!deep);
        QCOMPARE(deep.error().reason, kYamlNestedTooDeep);
    }
};

ROLLSCOPE_TEST_MAIN(TestApimachinery)
#include "tst_apimachinery.moc"
