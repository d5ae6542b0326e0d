// SPDX-License-Identifier: MIT
#include "simfixture.h"
#include "testmain.h"

#include <QDateTime>
#include <QTest>

using namespace rollscope::sim;
using rollscope::sim::test::SimFixture;

namespace {

QJsonObject involved(const QString &name)
{
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Pod")},
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), name},
                     {QStringLiteral("namespace"), QStringLiteral("default")},
                     {QStringLiteral("uid"), QString(name + QStringLiteral("-uid"))}}}};
}

} // namespace

class TestEventRecorder : public QObject
{
    Q_OBJECT

private slots:
    void timestampsMatchQDateTime();
    void shapeAndFolding();
    void differentSourceOrMessageDoesNotFold();
    void similarEventsCombineAndSpamIsDropped();
    void expiresAfterTimeToLive();
    void deletedEventStartsAfresh();
    void jsonTextHelpersEscape();
    void eventsV1RecorderWritesTheCoreConversion();
};

void TestEventRecorder::timestampsMatchQDateTime()
{
    for (const qint64 ms : {qint64(0), qint64(951'782'400'123), SimFixture::kStartMs,
                            qint64(4'102'444'799'999), qint64(1'709'164'800'000)}) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        QCOMPARE(json::timestamp(ms), t.toString(Qt::ISODate));
        QCOMPARE(json::microTimestamp(ms),
                 t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z"));
        QCOMPARE(json::parseTimestamp(json::timestamp(ms)), ms - ms % 1000);
        QCOMPARE(json::parseTimestamp(json::microTimestamp(ms)), ms);
    }
    QCOMPARE(json::parseTimestamp(QStringLiteral("2024-02-29T12:00:00Z")),
             QDateTime::fromString(QStringLiteral("2024-02-29T12:00:00Z"), Qt::ISODate)
                 .toMSecsSinceEpoch());
    QCOMPARE(json::parseTimestamp(QStringLiteral("2023-02-29T12:00:00Z")), -1);
    QCOMPARE(json::parseTimestamp(QStringLiteral("2024-01-01T01:00:00+01:00")),
             json::parseTimestamp(QStringLiteral("2024-01-01T00:00:00Z")));
    QCOMPARE(json::parseTimestamp(QStringLiteral("nonsense")), -1);
}

void TestEventRecorder::shapeAndFolding()
{
    SimFixture f(0);
    f.events.record(involved(QStringLiteral("web")), QStringLiteral("Warning"),
                    QStringLiteral("kubelet"), QStringLiteral("BackOff"),
                    QStringLiteral("Back-off \"x\""), QStringLiteral("sim-node-1"),
                    QStringLiteral("spec.containers{demo}"));
    QList<QJsonObject> list = f.eventList(QStringLiteral("BackOff"));
    QCOMPARE(list.size(), 1);
    const QJsonObject e = list.first();
    QVERIFY(json::name(e).startsWith(QStringLiteral("web.")));
    QCOMPARE(json::ns(e), QStringLiteral("default"));
    QCOMPARE(e.value(u"message").toString(), QStringLiteral("Back-off \"x\""));
    QCOMPARE(e.value(u"type").toString(), QStringLiteral("Warning"));
    QCOMPARE(e.value(u"count").toInt(), 1);
    QCOMPARE(json::string(e, {u"source", u"component"}), QStringLiteral("kubelet"));
    QCOMPARE(json::string(e, {u"source", u"host"}), QStringLiteral("sim-node-1"));
    QCOMPARE(json::string(e, {u"involvedObject", u"kind"}), QStringLiteral("Pod"));
    QCOMPARE(json::string(e, {u"involvedObject", u"uid"}), QStringLiteral("web-uid"));
    QCOMPARE(json::string(e, {u"involvedObject", u"fieldPath"}),
             QStringLiteral("spec.containers{demo}"));
    QCOMPARE(e.value(u"reportingComponent").toString(), QStringLiteral("kubelet"));
    QVERIFY(e.value(u"eventTime").isNull());
    QCOMPARE(e.value(u"firstTimestamp").toString(), json::timestamp(SimFixture::kStartMs));

    // A repeat within ten minutes folds: same object, count 2, lastTimestamp moves.
    f.advance(60'000);
    f.events.record(involved(QStringLiteral("web")), QStringLiteral("Warning"),
                    QStringLiteral("kubelet"), QStringLiteral("BackOff"),
                    QStringLiteral("Back-off \"x\""), QStringLiteral("sim-node-1"),
                    QStringLiteral("spec.containers{demo}"));
    list = f.eventList(QStringLiteral("BackOff"));
    QCOMPARE(list.size(), 1);
    QCOMPARE(json::name(list.first()), json::name(e));
    QCOMPARE(list.first().value(u"count").toInt(), 2);
    QCOMPARE(list.first().value(u"firstTimestamp").toString(),
             json::timestamp(SimFixture::kStartMs));
    QCOMPARE(list.first().value(u"lastTimestamp").toString(),
             json::timestamp(SimFixture::kStartMs + 60'000));
    // After more than ten minutes without a repeat, a new event starts.
    f.advance(600'000);
    f.events.record(involved(QStringLiteral("web")), QStringLiteral("Warning"),
                    QStringLiteral("kubelet"), QStringLiteral("BackOff"),
                    QStringLiteral("Back-off \"x\""), QStringLiteral("sim-node-1"),
                    QStringLiteral("spec.containers{demo}"));
    QCOMPARE(f.eventList(QStringLiteral("BackOff")).size(), 2);
}

void TestEventRecorder::differentSourceOrMessageDoesNotFold()
{
    SimFixture f(0);
    const QJsonObject pod = involved(QStringLiteral("web"));
    f.events.normal(pod, QStringLiteral("kubelet"), QStringLiteral("Pulled"), QStringLiteral("a"),
                    QStringLiteral("sim-node-1"));
    f.events.normal(pod, QStringLiteral("kubelet"), QStringLiteral("Pulled"), QStringLiteral("b"),
                    QStringLiteral("sim-node-1"));
    f.events.normal(pod, QStringLiteral("kubelet"), QStringLiteral("Pulled"), QStringLiteral("a"),
                    QStringLiteral("sim-node-2"));
    f.events.normal(involved(QStringLiteral("other")), QStringLiteral("kubelet"),
                    QStringLiteral("Pulled"), QStringLiteral("a"), QStringLiteral("sim-node-1"));
    f.events.normal(pod, QStringLiteral("kubelet"), QStringLiteral("Pulled"), QStringLiteral("a"),
                    QStringLiteral("sim-node-1"));
    const QList<QJsonObject> list = f.eventList(QStringLiteral("Pulled"));
    QCOMPARE(list.size(), 4);
    int folded = 0;
    for (const QJsonObject &e : list) {
        const bool same = e.value(u"message").toString() == u"a" &&
                          json::string(e, {u"source", u"host"}) == u"sim-node-1" &&
                          json::string(e, {u"involvedObject", u"name"}) == u"web";
        QCOMPARE(e.value(u"count").toInt(), same ? 2 : 1);
        folded += same ? 1 : 0;
    }
    QCOMPARE(folded, 1);
}

// client-go's event correlator: a ReplicaSet creating 30 pods at once writes 9 "Created pod"
// events and one "(combined from similar events)" whose count grows, and only 25 writes in all
// (the spam filter); a token comes back every five minutes, and the combined event then carries
// every occurrence since.
void TestEventRecorder::similarEventsCombineAndSpamIsDropped()
{
    SimFixture f(0);
    QJsonObject rs = involved(QStringLiteral("web-5d8f7c9b6d"));
    rs.insert(QStringLiteral("kind"), QStringLiteral("ReplicaSet"));
    const auto create = [&](int i) {
        f.events.normal(rs, QStringLiteral("replicaset-controller"),
                        QStringLiteral("SuccessfulCreate"),
                        QStringLiteral("Created pod: web-5d8f7c9b6d-%1").arg(i));
    };
    for (int i = 1; i <= 30; ++i)
        create(i);
    QList<QJsonObject> list = f.eventList(QStringLiteral("SuccessfulCreate"));
    QCOMPARE(list.size(), 10);
    const auto combined = [&list]() -> QJsonObject {
        for (const QJsonObject &e : std::as_const(list)) {
            if (e.value(u"message").toString().startsWith(u"(combined from similar events): "))
                return e;
        }
        return {};
    };
    QCOMPARE(combined().value(u"message").toString(),
             QStringLiteral("(combined from similar events): Created pod: web-5d8f7c9b6d-25"));
    QCOMPARE(combined().value(u"count").toInt(), 16); // the 10th to the 25th write
    for (const QJsonObject &e : std::as_const(list))
        QVERIFY(e == combined() || e.value(u"count").toInt() == 1);

    // Four minutes on, still no token; at five, one: the 33rd occurrence is written.
    f.advance(240'000);
    create(31);
    list = f.eventList(QStringLiteral("SuccessfulCreate"));
    QCOMPARE(combined().value(u"count").toInt(), 16);
    f.advance(60'000);
    create(32);
    create(33);
    list = f.eventList(QStringLiteral("SuccessfulCreate"));
    QCOMPARE(list.size(), 10);
    QCOMPARE(combined().value(u"count").toInt(), 23); // 16 + the 26th to the 32nd
    QCOMPARE(combined().value(u"message").toString(),
             QStringLiteral("(combined from similar events): Created pod: web-5d8f7c9b6d-32"));

    // Another object has a burst of its own, and fewer than ten messages never combine.
    for (int i = 1; i <= 9; ++i)
        f.events.normal(involved(QStringLiteral("web-%1").arg(i)), QStringLiteral("kubelet"),
                        QStringLiteral("Pulled"), QStringLiteral("pulled %1").arg(i));
    QCOMPARE(f.eventList(QStringLiteral("Pulled")).size(), 9);
}

void TestEventRecorder::expiresAfterTimeToLive()
{
    SimFixture f(0);
    f.events.setTimeToLiveMs(60'000);
    f.events.normal(involved(QStringLiteral("a")), QStringLiteral("kubelet"),
                    QStringLiteral("Started"), QStringLiteral("one"));
    f.advance(30'000);
    f.events.normal(involved(QStringLiteral("b")), QStringLiteral("kubelet"),
                    QStringLiteral("Started"), QStringLiteral("two"));
    f.advance(20'000);
    // "one" is repeated at 50 s: its lastTimestamp moves, so it lives on.
    f.events.normal(involved(QStringLiteral("a")), QStringLiteral("kubelet"),
                    QStringLiteral("Started"), QStringLiteral("one"));
    f.advanceTo(90'000);
    QCOMPARE(f.eventList().size(), 2);
    f.advanceTo(90'001); // "two" (last at 30 s) is past the TTL
    QCOMPARE(f.eventMessages(QStringLiteral("Started")), QStringList{QStringLiteral("one")});
    // "one" (last at 50 s) goes the first millisecond past 110 s.
    f.advanceTo(110'000);
    QCOMPARE(f.eventList().size(), 1);
    f.advanceTo(110'001);
    QCOMPARE(f.eventList().size(), 0);
    // Nothing left to collect: no timer stays behind.
    QCOMPARE(f.clock.nextDueMs(), -1);
}

void TestEventRecorder::deletedEventStartsAfresh()
{
    SimFixture f(0);
    const QJsonObject pod = involved(QStringLiteral("web"));
    f.events.normal(pod, QStringLiteral("kubelet"), QStringLiteral("Killing"), QStringLiteral("x"));
    const QString first = json::name(f.eventList().first());
    QVERIFY(f.registry.remove(Resources::events(), QStringLiteral("default"), first).ok());
    f.events.normal(pod, QStringLiteral("kubelet"), QStringLiteral("Killing"), QStringLiteral("x"));
    const QList<QJsonObject> list = f.eventList();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().value(u"count").toInt(), 1);
}

void TestEventRecorder::jsonTextHelpersEscape()
{
    QByteArray text = "{";
    json::appendField(text, "plain", u"abc");
    json::appendField(text, "quote", u"say \"hi\" \\ there");
    json::appendField(text, "control", QStringLiteral("a\nb\tc"));
    json::appendField(text, "unicode", QStringLiteral("h\u00e9llo \u2713"));
    text.chop(1);
    text += '}';
    const QJsonObject o = json::parseObject(text);
    QCOMPARE(o.value(u"plain").toString(), QStringLiteral("abc"));
    QCOMPARE(o.value(u"quote").toString(), QStringLiteral("say \"hi\" \\ there"));
    QCOMPARE(o.value(u"control").toString(), QStringLiteral("a\nb\tc"));
    QCOMPARE(o.value(u"unicode").toString(), QStringLiteral("h\u00e9llo \u2713"));
}

// recordEventsV1 writes its events as text: they must be exactly what EventsV1::toCore makes of
// the events.k8s.io event (Go's omitempty rules included), for a namespaced object and for a
// cluster-scoped one with an empty note and instance.
void TestEventRecorder::eventsV1RecorderWritesTheCoreConversion()
{
    SimFixture f(0);
    QJsonObject pod = involved(QStringLiteral("web"));
    json::set(pod, {u"metadata", u"resourceVersion"}, QStringLiteral("42"));
    const QJsonObject node{{QStringLiteral("kind"), QStringLiteral("Node")},
                           {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                           {QStringLiteral("metadata"),
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("n1")},
                                        {QStringLiteral("uid"), QStringLiteral("n1-uid")}}}};
    struct Case
    {
        QJsonObject object;
        QString type, controller, instance, action, reason, note;
    };
    const QList<Case> cases{{pod, QStringLiteral("Normal"), QStringLiteral("default-scheduler"),
                             QStringLiteral("default-scheduler-rollscope-sim"),
                             QStringLiteral("Binding"), QStringLiteral("Scheduled"),
                             QStringLiteral("Successfully assigned default/web to n1")},
                            {node, QStringLiteral("Warning"), QStringLiteral("checker"), QString(),
                             QStringLiteral("Check"), QStringLiteral("Odd"), QString()}};
    for (const Case &c : cases) {
        f.events.recordEventsV1(c.object, c.type, c.controller, c.instance, c.action, c.reason,
                                c.note);
        const QList<QJsonObject> written = f.eventList(c.reason);
        QCOMPARE(written.size(), 1);
        QJsonObject regarding{{QStringLiteral("kind"), c.object.value(u"kind")},
                              {QStringLiteral("name"), json::name(c.object)},
                              {QStringLiteral("uid"), json::uid(c.object)},
                              {QStringLiteral("apiVersion"), c.object.value(u"apiVersion")},
                              {QStringLiteral("resourceVersion"),
                               json::string(c.object, {u"metadata", u"resourceVersion"})}};
        if (!json::ns(c.object).isEmpty())
            regarding.insert(QStringLiteral("namespace"), json::ns(c.object));
        QJsonObject expected = EventsV1::toCore(
            QJsonObject{{QStringLiteral("eventTime"), json::microTimestamp(SimFixture::kStartMs)},
                        {QStringLiteral("reportingController"), c.controller},
                        {QStringLiteral("reportingInstance"), c.instance},
                        {QStringLiteral("action"), c.action},
                        {QStringLiteral("reason"), c.reason},
                        {QStringLiteral("regarding"), regarding},
                        {QStringLiteral("note"), c.note},
                        {QStringLiteral("type"), c.type}});
        QJsonObject actual = written.first();
        QCOMPARE(json::ns(actual),
                 json::ns(c.object).isEmpty() ? QStringLiteral("default") : json::ns(c.object));
        QVERIFY(json::name(actual).startsWith(json::name(c.object) + u'.'));
        actual.remove(QStringLiteral("metadata"));
        expected.remove(QStringLiteral("metadata"));
        QCOMPARE(actual, expected);
    }
}

ROLLSCOPE_TEST_MAIN(TestEventRecorder)
#include "tst_eventrecorder.moc"
