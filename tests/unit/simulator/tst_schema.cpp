// SPDX-License-Identifier: MIT
// The typed-object schemas (models/simulator/schema.*) against what the simulator itself writes:
// every object of the demo cluster, after it has run a rollout, decodes into its Go type with no
// unknown field and no type error. A field missing from a schema would otherwise be dropped from
// clients' writes (and reported to them as unknown).

#include "simfixture.h"
#include "simulator/scenarios.h"
#include "simulator/schema.h"
#include "testmain.h"

using namespace rollscope;
using namespace rollscope::sim;
using namespace rollscope::sim::test;

class TestSchema : public QObject
{
    Q_OBJECT

private slots:
    void everythingTheSimulatorWritesDecodes()
    {
        SimFixture f;
        Scenario demo;
        demo.kind = Scenario::Kind::Demo;
        QVERIFY(seedScenario(&f.registry, demo).ok());
        f.advance(5 * 60 * 1000);
        // A rollout, so old and new ReplicaSets, terminating pods and conditions all exist.
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
        int checked = 0;
        for (const ResourceType &type : Resources::all()) {
            if (!Schema::hasSchema(type))
                continue;
            for (const QJsonObject &stored : f.store.list(type)) {
                QJsonObject copy = stored;
                const Schema::Decoded decoded = Schema::decode(type, copy);
                const QString what = type.plural + u'/' + json::name(stored);
                QVERIFY2(!decoded.typeError, qPrintable(what + QStringLiteral(": ") +
                                                        decoded.typeError.value_or(QString())));
                QVERIFY2(
                    decoded.unknownFields.isEmpty(),
                    qPrintable(what + QStringLiteral(": ") + decoded.unknownFields.join(u',')));
                QCOMPARE(copy, stored);
                ++checked;
            }
        }
        QVERIFY2(checked > 20, qPrintable(QString::number(checked)));
    }

    void scaleDecodes()
    {
        SimFixture f;
        Scenario demo;
        demo.kind = Scenario::Kind::Demo;
        QVERIFY(seedScenario(&f.registry, demo).ok());
        const auto scale = f.registry.get(Resources::deployments(), QStringLiteral("default"),
                                          QStringLiteral("demo-dp"), Subresource::Scale);
        QVERIFY(scale.ok());
        QJsonObject copy = scale.value();
        const Schema::Decoded decoded = Schema::decode(Resources::deployments(), copy, true);
        QVERIFY(!decoded.typeError);
        QCOMPARE(decoded.unknownFields, QStringList());
    }
};

ROLLSCOPE_TEST_MAIN(TestSchema)
#include "tst_schema.moc"
