// SPDX-License-Identifier: MIT
#include "simulator/patch.h"
#include "testmain.h"

#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

QJsonObject obj(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).object();
}

QJsonArray arr(const char *text)
{
    return QJsonDocument::fromJson(QByteArray(text)).array();
}

const char *kDeployment = R"({"metadata":{"name":"demo-dp","annotations":{"a":"1"}},
 "spec":{"template":{"spec":{"containers":[
   {"name":"demo","image":"bebullish/demo:v1","ports":[{"containerPort":8080,"protocol":"TCP"}],
    "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},
   {"name":"side","image":"busybox:1.36"}]}}}})";

} // namespace

class TestSimPatch : public QObject
{
    Q_OBJECT
private slots:
    void contentTypes()
    {
        QCOMPARE(patchTypeFor("application/strategic-merge-patch+json"), PatchType::StrategicMerge);
        QCOMPARE(patchTypeFor("application/merge-patch+json; charset=utf-8"), PatchType::Merge);
        QCOMPARE(patchTypeFor("application/json-patch+json"), PatchType::Json);
        QCOMPARE(patchTypeFor("application/apply-patch+yaml"), PatchType::Apply);
        QVERIFY(!patchTypeFor("application/json"));
    }

    void kubectlSetImageStrategicMergePatch()
    {
        // The body `kubectl set image deployment/demo-dp demo=bebullish/demo:v2` sends.
        const auto patched = applyStrategicMergePatch(
            obj(kDeployment),
            obj(R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"demo"},{"name":"side"}],
                  "containers":[{"image":"bebullish/demo:v2","name":"demo"}]}}}})"),
            QStringLiteral("Deployment"));
        QVERIFY(patched);
        const QJsonArray containers = patched->value(u"spec")
                                          .toObject()
                                          .value(u"template")
                                          .toObject()
                                          .value(u"spec")
                                          .toObject()
                                          .value(u"containers")
                                          .toArray();
        QCOMPARE(containers.size(), 2);
        const QJsonObject demo = containers.at(0).toObject();
        QCOMPARE(demo.value(u"image").toString(), QStringLiteral("bebullish/demo:v2"));
        // Merged by name: the other fields of the container survive.
        QCOMPARE(demo.value(u"env").toArray().size(), 2);
        QCOMPARE(demo.value(u"ports").toArray().size(), 1);
        QCOMPARE(containers.at(1).toObject().value(u"image").toString(),
                 QStringLiteral("busybox:1.36"));
    }

    void deleteDirectiveAndOrder()
    {
        const auto patched = applyStrategicMergePatch(
            obj(kDeployment),
            obj(R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"demo"}],
                  "containers":[{"$patch":"delete","name":"side"}]}}}})"),
            QStringLiteral("Deployment"));
        QVERIFY(patched);
        const QJsonArray containers = patched->value(u"spec")
                                          .toObject()
                                          .value(u"template")
                                          .toObject()
                                          .value(u"spec")
                                          .toObject()
                                          .value(u"containers")
                                          .toArray();
        QCOMPARE(containers.size(), 1);
        QCOMPARE(containers.at(0).toObject().value(u"name").toString(), QStringLiteral("demo"));
    }

    void envMergesByNameAndNullDeletesKeys()
    {
        const auto patched = applyStrategicMergePatch(
            obj(kDeployment),
            obj(R"({"metadata":{"annotations":{"a":null,"b":"2"}},"spec":{"template":{"spec":{
                  "containers":[{"name":"demo","env":[{"name":"B","value":"20"},{"name":"C","value":"3"}]}]}}}})"),
            QStringLiteral("Deployment"));
        QVERIFY(patched);
        const QJsonObject annotations =
            patched->value(u"metadata").toObject().value(u"annotations").toObject();
        QVERIFY(!annotations.contains(u"a"));
        QCOMPARE(annotations.value(u"b").toString(), QStringLiteral("2"));
        const QJsonArray env = patched->value(u"spec")
                                   .toObject()
                                   .value(u"template")
                                   .toObject()
                                   .value(u"spec")
                                   .toObject()
                                   .value(u"containers")
                                   .toArray()
                                   .at(0)
                                   .toObject()
                                   .value(u"env")
                                   .toArray();
        QCOMPARE(env.size(), 3);
        QCOMPARE(env.at(1).toObject().value(u"value").toString(), QStringLiteral("20"));
    }

    void servicePortsMergeByPort()
    {
        const QJsonObject svc =
            obj(R"({"spec":{"ports":[{"name":"http","port":80,"targetPort":8080}]}})");
        const auto patched = applyStrategicMergePatch(
            svc, obj(R"({"spec":{"$setElementOrder/ports":[{"port":80},{"port":443}],
                  "ports":[{"name":"http","port":80,"targetPort":9090},{"name":"https","port":443,"targetPort":8443}]}})"),
            QStringLiteral("Service"));
        QVERIFY(patched);
        const QJsonArray ports = patched->value(u"spec").toObject().value(u"ports").toArray();
        QCOMPARE(ports.size(), 2);
        QCOMPARE(ports.at(0).toObject().value(u"targetPort").toInt(), 9090);
        QCOMPARE(ports.at(1).toObject().value(u"port").toInt(), 443);
    }

    void pausedNullResumes()
    {
        const auto patched = applyStrategicMergePatch(
            obj(R"({"spec":{"paused":true,"replicas":3}})"), obj(R"({"spec":{"paused":null}})"),
            QStringLiteral("Deployment"));
        QVERIFY(patched);
        QVERIFY(!patched->value(u"spec").toObject().contains(u"paused"));
        QCOMPARE(patched->value(u"spec").toObject().value(u"replicas").toInt(), 3);
    }

    void mergePatchReplacesLists()
    {
        const QJsonObject patched = applyMergePatch(
            obj(kDeployment),
            obj(R"({"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x:1"}]}}}})"));
        QCOMPARE(patched.value(u"spec")
                     .toObject()
                     .value(u"template")
                     .toObject()
                     .value(u"spec")
                     .toObject()
                     .value(u"containers")
                     .toArray()
                     .size(),
                 1);
    }

    void jsonPatchAsRolloutUndoSendsIt()
    {
        const auto patched = applyJsonPatch(
            obj(kDeployment),
            arr(R"([{"op":"test","path":"/spec/template/spec/containers/0/name","value":"demo"},
                    {"op":"replace","path":"/spec/template/spec/containers/0/image","value":"bebullish/demo:v0"},
                    {"op":"replace","path":"/metadata/annotations","value":{"deployment.kubernetes.io/revision":"2"}}])"));
        QVERIFY(patched);
        QCOMPARE(patched->value(u"spec")
                     .toObject()
                     .value(u"template")
                     .toObject()
                     .value(u"spec")
                     .toObject()
                     .value(u"containers")
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"image")
                     .toString(),
                 QStringLiteral("bebullish/demo:v0"));
    }

    void jsonPatchIsAtomicAndFailsWith422()
    {
        const auto failed = applyJsonPatch(
            obj(kDeployment), arr(R"([{"op":"replace","path":"/metadata/name","value":"changed"},
                    {"op":"test","path":"/spec/template/spec/containers/0/name","value":"other"}])"));
        QVERIFY(!failed);
        QCOMPARE(failed.error().httpStatus, 422);
        const auto missing =
            applyJsonPatch(obj(kDeployment), arr(R"([{"op":"remove","path":"/spec/nothing"}])"));
        QVERIFY(!missing);
        QCOMPARE(missing.error().httpStatus, 422);
    }

    void jsonPatchPointerEscapes()
    {
        const auto patched = applyJsonPatch(
            obj(R"({"metadata":{"annotations":{"kubernetes.io/change-cause":"x"}}})"),
            arr(R"([{"op":"replace","path":"/metadata/annotations/kubernetes.io~1change-cause","value":"y"},
                    {"op":"add","path":"/metadata/labels","value":{}},
                    {"op":"add","path":"/metadata/labels/a~0b","value":"1"}])"));
        QVERIFY(patched);
        QCOMPARE(patched->value(u"metadata")
                     .toObject()
                     .value(u"annotations")
                     .toObject()
                     .value(u"kubernetes.io/change-cause")
                     .toString(),
                 QStringLiteral("y"));
        QVERIFY(
            patched->value(u"metadata").toObject().value(u"labels").toObject().contains(u"a~b"));
    }

    // 25 copies of a value into itself would double it to gigabytes; the accumulated copy size
    // stops at 3 MiB as evanphx/json-patch's AccumulatedCopySizeLimit in the API server.
    void jsonPatchCopyBombStopsAtTheCopyLimit_data()
    {
        QTest::addColumn<int>("copies");
        QTest::addColumn<bool>("ok");
        QTest::newRow("a few copies") << 5 << true; // 1 KiB * (2^5 - 1) copied
        QTest::newRow("the bomb") << 25 << false;   // stops near 2^12 * 1 KiB
    }

    void jsonPatchCopyBombStopsAtTheCopyLimit()
    {
        QFETCH(int, copies);
        QFETCH(bool, ok);
        QJsonArray ops{QJsonObject{{QStringLiteral("op"), QStringLiteral("add")},
                                   {QStringLiteral("path"), QStringLiteral("/x")},
                                   {QStringLiteral("value"), QJsonArray{QString(1024, u'x')}}}};
        for (int i = 0; i < copies; ++i)
            ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("copy")},
                                   {QStringLiteral("from"), QStringLiteral("/x")},
                                   {QStringLiteral("path"), QStringLiteral("/x/-")}});
        const auto patched = applyJsonPatch(obj(kDeployment), ops);
        QCOMPARE(patched.ok(), ok);
        if (!ok) {
            QCOMPARE(patched.error().httpStatus, 422);
            QCOMPARE(patched.error().reason, QStringLiteral("Invalid"));
            QVERIFY(patched.error().message.endsWith(
                QStringLiteral("exceeding the limit %1").arg(kJsonPatchMaxCopyBytes)));
        }
    }

    void jsonPatchOperationCountIsLimited()
    {
        QJsonArray ops;
        for (qsizetype i = 0; i <= kMaxJsonPatchOperations; ++i)
            ops.append(QJsonObject{{QStringLiteral("op"), QStringLiteral("test")},
                                   {QStringLiteral("path"), QStringLiteral("/metadata/name")},
                                   {QStringLiteral("value"), QStringLiteral("demo-dp")}});
        const auto tooMany = applyJsonPatch(obj(kDeployment), ops);
        QVERIFY(!tooMany);
        QCOMPARE(tooMany.error().httpStatus, 413);
        ops.removeLast();
        QVERIFY(applyJsonPatch(obj(kDeployment), ops).ok());
    }
};

ROLLSCOPE_TEST_MAIN(TestSimPatch)
#include "tst_simpatch.moc"
