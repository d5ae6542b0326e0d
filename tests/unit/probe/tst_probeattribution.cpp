// SPDX-License-Identifier: MIT
// Attribution is exact: a known pod name as a whole token of the body or a header value, a
// header, or a regular expression's capture; otherwise "unknown" (or held for a while when the
// answer names a pod of the Deployment that the map does not know yet).
#include "probe/aggregator.h"
#include "probe/attribution.h"
#include "testmain.h"

using namespace rollscope::probe;

namespace {

using Mode = AttributionOptions::Mode;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

const QString kOldPod = QStringLiteral("demo-dp-6b5b87b666-f4rck");
const QString kNewPod = QStringLiteral("demo-dp-7c9d8f7d4-x2x9z");
const QString kOld = QStringLiteral("6b5b87b666");
const QString kNew = QStringLiteral("7c9d8f7d4");

QHash<QString, QString> pods()
{
    return {{kOldPod, kOld},
            {kNewPod, kNew},
            // A name that is a prefix of another pod's name must not match inside it.
            {QStringLiteral("demo-dp-6b5b87b666-f4rc"), QStringLiteral("prefix")}};
}

} // namespace

Q_DECLARE_METATYPE(rollscope::probe::AttributionOptions::Mode)
Q_DECLARE_METATYPE(rollscope::probe::Attribution::Outcome)

class TestProbeAttribution : public QObject
{
    Q_OBJECT

private slots:
    void table_data()
    {
        QTest::addColumn<Mode>("mode");
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<Attribution::Outcome>("outcome");
        QTest::addColumn<QString>("pod");
        QTest::addColumn<QString>("version");

        using O = Attribution::Outcome;
        QTest::newRow("pod name in body (the demo app)")
            << Mode::PodName << QString() << QByteArray("demo-dp-6b5b87b666-f4rck v1\n")
            << Headers{} << O::Resolved << kOldPod << kOld;
        QTest::newRow("whole token only: longer name does not match its prefix")
            << Mode::PodName << QString() << QByteArray("served by demo-dp-6b5b87b666-f4rck.")
            << Headers{} << O::Resolved << kOldPod << kOld;
        QTest::newRow("inside HTML and JSON")
            << Mode::PodName << QString()
            << QByteArray(R"(<p>{"pod":"demo-dp-7c9d8f7d4-x2x9z","v":2}</p>)") << Headers{}
            << O::Resolved << kNewPod << kNew;
        QTest::newRow("fully qualified name")
            << Mode::PodName << QString()
            << QByteArray("host demo-dp-7c9d8f7d4-x2x9z.demo.default.svc ok") << Headers{}
            << O::Resolved << kNewPod << kNew;
        QTest::newRow("pod name in a header")
            << Mode::PodName << QString() << QByteArray("hello")
            << Headers{{"Server", "nginx"}, {"X-Served-By", "demo-dp-7c9d8f7d4-x2x9z"}}
            << O::Resolved << kNewPod << kNew;
        QTest::newRow("first known pod in the body wins")
            << Mode::PodName << QString()
            << QByteArray("demo-dp-7c9d8f7d4-x2x9z talked to demo-dp-6b5b87b666-f4rck") << Headers{}
            << O::Resolved << kNewPod << kNew;
        QTest::newRow("uppercase is not a pod name")
            << Mode::PodName << QString() << QByteArray("DEMO-DP-6B5B87B666-F4RCK") << Headers{}
            << O::Unknown << QString() << QString();
        QTest::newRow("no pod named -> unknown")
            << Mode::PodName << QString() << QByteArray("Hello, world! v1") << Headers{}
            << O::Unknown << QString() << QString();
        QTest::newRow("pod of the deployment not in the map yet -> pending")
            << Mode::PodName << QString() << QByteArray("demo-dp-5d7f9c8b-abcde v3") << Headers{}
            << O::Pending << QString() << QString();
        QTest::newRow("pod of another deployment -> unknown")
            << Mode::PodName << QString() << QByteArray("shop-api-5d7f9c8b-abcde v3") << Headers{}
            << O::Unknown << QString() << QString();

        QTest::newRow("header: version")
            << Mode::Header << QStringLiteral("X-Version") << QByteArray("hello")
            << Headers{{"x-version", " v7 "}} << O::Resolved << QString() << QStringLiteral("v7");
        QTest::newRow("header: alias to version id")
            << Mode::Header << QStringLiteral("X-Version") << QByteArray()
            << Headers{{"X-Version", "bebullish/demo:v1"}} << O::Resolved << QString() << kOld;
        QTest::newRow("header: pod name")
            << Mode::Header << QStringLiteral("X-Pod") << QByteArray()
            << Headers{{"X-Pod", "demo-dp-7c9d8f7d4-x2x9z"}} << O::Resolved << kNewPod << kNew;
        QTest::newRow("header missing -> unknown")
            << Mode::Header << QStringLiteral("X-Version") << QByteArray("demo-dp-7c9d8f7d4-x2x9z")
            << Headers{} << O::Unknown << QString() << QString();

        QTest::newRow("regex on body") << Mode::Regex << QStringLiteral(R"(\bversion=(\S+))")
                                       << QByteArray("ok version=v3 build=7") << Headers{}
                                       << O::Resolved << QString() << QStringLiteral("v3");
        QTest::newRow("regex on the demo body: version id by alias")
            << Mode::Regex << QStringLiteral(R"(^\S+ (v\d+)$)")
            << QByteArray("demo-dp-6b5b87b666-f4rck v2\n") << Headers{} << O::Resolved << QString()
            << kNew;
        QTest::newRow("regex on a header line")
            << Mode::Regex << QStringLiteral(R"(^X-App-Version: (.+)$)") << QByteArray("nothing")
            << Headers{{"X-App-Version", "2.4.1"}} << O::Resolved << QString()
            << QStringLiteral("2.4.1");
        QTest::newRow("regex capturing a pod") << Mode::Regex << QStringLiteral(R"(pod=(\S+))")
                                               << QByteArray("pod=demo-dp-6b5b87b666-f4rck")
                                               << Headers{} << O::Resolved << kOldPod << kOld;
        QTest::newRow("regex without match -> unknown")
            << Mode::Regex << QStringLiteral(R"(version=(\S+))") << QByteArray("no version here")
            << Headers{} << O::Unknown << QString() << QString();
    }

    void table()
    {
        QFETCH(Mode, mode);
        QFETCH(QString, setting);
        QFETCH(QByteArray, body);
        QFETCH(Headers, headers);
        QFETCH(Attribution::Outcome, outcome);
        QFETCH(QString, pod);
        QFETCH(QString, version);

        AttributionOptions options;
        options.mode = mode;
        if (mode == Mode::Header)
            options.header = setting;
        if (mode == Mode::Regex)
            options.pattern = setting;
        QCOMPARE(options.validationError(), QString());

        Attributor attributor;
        attributor.setOptions(options);
        attributor.setPodVersions(pods(), 0);
        attributor.setVersionAliases(
            {{QStringLiteral("bebullish/demo:v1"), kOld}, {QStringLiteral("v2"), kNew}});
        const Attribution a = attributor.attribute(AnswerEvidence{body, headers});
        QCOMPARE(a.outcome, outcome);
        QCOMPARE(a.pod, pod);
        QCOMPARE(a.versionId, version);
    }

    void validation()
    {
        AttributionOptions header;
        header.mode = Mode::Header;
        QVERIFY(!header.validationError().isEmpty());
        AttributionOptions regex;
        regex.mode = Mode::Regex;
        regex.pattern = QStringLiteral("v\\d+");
        QVERIFY2(regex.validationError().contains(QStringLiteral("capture group")),
                 qPrintable(regex.validationError()));
        regex.pattern = QStringLiteral("(v\\d+");
        QVERIFY(regex.validationError().contains(QStringLiteral("not valid")));
    }

    void tokens()
    {
        const QList<QByteArrayView> t =
            Attributor::tokens("a-b.c, Hello -x- pod/name:demo-dp-1.", 100);
        QStringList s;
        for (QByteArrayView v : t)
            s << QString::fromLatin1(v);
        QCOMPARE(s, (QStringList{QStringLiteral("a-b.c"), QStringLiteral("ello"),
                                 QStringLiteral("x"), QStringLiteral("pod"), QStringLiteral("name"),
                                 QStringLiteral("demo-dp-1")}));
    }

    // The map learns a new pod after its first answer arrived: the held answer is resolved
    // exactly, in the bucket of the request that got it, not as "unknown".
    void heldAnswerResolvesWhenTheMapLearnsThePod()
    {
        ProbeAggregator aggregator;
        aggregator.setPodVersions(pods(), 0);
        aggregator.begin(1000);
        aggregator.started(1010);
        aggregator.finished(Exchange{1010,
                                     800,
                                     200,
                                     std::nullopt,
                                     AnswerEvidence{"demo-dp-5d7f9c8b-abcde v3\n", {}},
                                     {}},
                            1011);
        QCOMPARE(aggregator.heldAnswers(), 1);
        aggregator.advance(1500);
        QVERIFY2(aggregator.take().buckets.isEmpty(), "a bucket waits for its held answers");

        QHash<QString, QString> more = pods();
        more.insert(QStringLiteral("demo-dp-5d7f9c8b-abcde"), QStringLiteral("5d7f9c8b"));
        aggregator.setPodVersions(more, 1600);
        QCOMPARE(aggregator.heldAnswers(), 0);
        aggregator.advance(1700);
        const ProbeAggregator::Output out = aggregator.take();
        QCOMPARE(out.results.size(), 1);
        QCOMPARE(out.results.first().pod, QStringLiteral("demo-dp-5d7f9c8b-abcde"));
        QCOMPARE(out.results.first().versionId, QStringLiteral("5d7f9c8b"));
        QVERIFY(!out.buckets.isEmpty());
        QCOMPARE(out.buckets.first().startMs, 1000);
        QCOMPARE(out.buckets.first().responsesByVersion,
                 (QMap<QString, int>{{QStringLiteral("5d7f9c8b"), 1}}));
    }

    void heldAnswerBecomesUnknownAfterTheHold()
    {
        ProbeAggregator aggregator;
        aggregator.setHoldMs(2000);
        aggregator.setPodVersions(pods(), 0);
        aggregator.begin(1000);
        aggregator.started(1010);
        aggregator.finished(Exchange{1010,
                                     800,
                                     200,
                                     std::nullopt,
                                     AnswerEvidence{"demo-dp-5d7f9c8b-abcde v3\n", {}},
                                     {}},
                            1011);
        aggregator.advance(2900);
        QCOMPARE(aggregator.heldAnswers(), 1);
        aggregator.advance(3011);
        QCOMPARE(aggregator.heldAnswers(), 0);
        const ProbeAggregator::Output out = aggregator.take();
        QCOMPARE(out.results.size(), 1);
        QCOMPARE(out.results.first().versionId, QStringLiteral("unknown"));
        QCOMPARE(out.results.first().pod, QString());
        QCOMPARE(out.totals.responsesByVersion.value(QStringLiteral("unknown")), 1);
    }

    // A pod deleted from the map still has answers in flight: they resolve exactly.
    void podsThatLeftTheMapAreRemembered()
    {
        Attributor attributor;
        attributor.setPodVersions(pods(), 0);
        attributor.setPodVersions({{kNewPod, kNew}}, 1000);
        Attribution a = attributor.attribute(AnswerEvidence{kOldPod.toUtf8() + " v1", {}});
        QCOMPARE(a.outcome, Attribution::Outcome::Resolved);
        QCOMPARE(a.versionId, kOld);
        // ... for a while.
        attributor.setPodVersions({{kNewPod, kNew}}, 1000 + Attributor::kForgetAfterMs + 1);
        a = attributor.attribute(AnswerEvidence{kOldPod.toUtf8() + " v1", {}});
        QVERIFY(a.outcome != Attribution::Outcome::Resolved);
    }
};

ROLLSCOPE_TEST_MAIN(TestProbeAttribution)
#include "tst_probeattribution.moc"
