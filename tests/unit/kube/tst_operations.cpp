// SPDX-License-Identifier: MIT
#include "kube/operations.h"
#include "kubetestdata.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

QJsonObject deploymentWith(const QJsonArray &containers, const QJsonArray &initContainers = {})
{
    QJsonObject podSpec{{QStringLiteral("containers"), containers}};
    if (!initContainers.isEmpty())
        podSpec.insert(QStringLiteral("initContainers"), initContainers);
    return QJsonObject{
        {QStringLiteral("metadata"),
         QJsonObject{{QStringLiteral("name"), QStringLiteral("demo-dp")}}},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("template"),
                                              QJsonObject{{QStringLiteral("spec"), podSpec}}}}}};
}

QJsonObject container(const char *name, const char *image)
{
    return QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                       {QStringLiteral("image"), QLatin1StringView(image)}};
}

} // namespace

class TestOperations : public QObject
{
    Q_OBJECT
private slots:
    void setImagePatchIsKubectls()
    {
        const QJsonObject deployment = deploymentWith({container("demo", "bebullish/demo:v1")});
        const auto patch = DeploymentOperations::setImagePatch(
            deployment, {{QStringLiteral("demo"), QStringLiteral("repo/demo:v2")}}, QString());
        QVERIFY(patch.ok());
        QVERIFY(patch->has_value());
        // Byte for byte what kubectl set image sends (facts §4).
        QCOMPARE(**patch, QByteArray("{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/"
                                     "containers\":[{\"name\":\"demo\"}],\"containers\":[{"
                                     "\"image\":\"repo/demo:v2\",\"name\":\"demo\"}]}}}}"));
    }

    void setImagePatchCarriesTheChangeCause()
    {
        const QJsonObject deployment = deploymentWith({container("demo", "bebullish/demo:v1")});
        const QList<ImageChange> changes{
            {QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2")}};
        const QString cause =
            DeploymentOperations::defaultChangeCause(QStringLiteral("demo-dp"), changes);
        QCOMPARE(cause,
                 QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2"));
        const auto patch = DeploymentOperations::setImagePatch(deployment, changes, cause);
        QVERIFY(patch.ok() && patch->has_value());
        const QJsonObject json = QJsonDocument::fromJson(**patch).object();
        QCOMPARE(json.value(u"metadata")
                     .toObject()
                     .value(u"annotations")
                     .toObject()
                     .value(u"kubernetes.io/change-cause")
                     .toString(),
                 cause);
    }

    void onlyChangedContainersAreSentInOrder()
    {
        const QJsonObject deployment = deploymentWith(
            {container("demo", "bebullish/demo:v1"), container("sidecar", "envoy:v1")},
            {container("migrate", "migrate:v1")});
        const auto patch = DeploymentOperations::setImagePatch(
            deployment,
            {{QStringLiteral("sidecar"), QStringLiteral("envoy:v2")},
             {QStringLiteral("demo"), QStringLiteral("bebullish/demo:v1")}},
            QString());
        QVERIFY(patch.ok() && patch->has_value());
        const QJsonObject spec = QJsonDocument::fromJson(**patch)
                                     .object()[u"spec"]
                                     .toObject()[u"template"]
                                     .toObject()[u"spec"]
                                     .toObject();
        QCOMPARE(spec.value(u"$setElementOrder/containers").toArray(),
                 QJsonArray({QJsonObject{{QStringLiteral("name"), QStringLiteral("demo")}},
                             QJsonObject{{QStringLiteral("name"), QStringLiteral("sidecar")}}}));
        QCOMPARE(spec.value(u"containers").toArray(),
                 QJsonArray({container("sidecar", "envoy:v2")}));
        QVERIFY(!spec.contains(u"initContainers"));
    }

    void wildcardAndInitContainers()
    {
        const QJsonObject deployment = deploymentWith(
            {container("a", "x:1"), container("b", "y:1")}, {container("init", "z:1")});
        const auto all = DeploymentOperations::setImagePatch(
            deployment, {{QStringLiteral("*"), QStringLiteral("x:2")}}, QString());
        QVERIFY(all.ok() && all->has_value());
        const QJsonObject spec = QJsonDocument::fromJson(**all)
                                     .object()[u"spec"]
                                     .toObject()[u"template"]
                                     .toObject()[u"spec"]
                                     .toObject();
        // "a" changes (x:1 -> x:2) and "b" too (y:1 -> x:2).
        QCOMPARE(spec.value(u"containers").toArray().size(), 2);
        QCOMPARE(spec.value(u"initContainers").toArray(), QJsonArray({container("init", "x:2")}));
        QVERIFY(spec.contains(u"$setElementOrder/initContainers"));
    }

    void unchangedImageSendsNothing()
    {
        const QJsonObject deployment = deploymentWith({container("demo", "bebullish/demo:v1")});
        const auto patch = DeploymentOperations::setImagePatch(
            deployment, {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v1")}},
            QStringLiteral("cause"));
        QVERIFY(patch.ok());
        QVERIFY(!patch->has_value());
    }

    void unknownContainerIsAnError()
    {
        const QJsonObject deployment = deploymentWith({container("demo", "bebullish/demo:v1")});
        const auto patch = DeploymentOperations::setImagePatch(
            deployment, {{QStringLiteral("nosuch"), QStringLiteral("x:1")}}, QString());
        QVERIFY(!patch.ok());
        QCOMPARE(patch.error().kind, Error::Kind::Usage);
        QVERIFY(patch.error().message.contains(QStringLiteral("\"nosuch\"")));
        QVERIFY(patch.error().message.contains(QStringLiteral("demo")));
    }

    void templatesEqualIgnoringTheHashLabel()
    {
        const QJsonObject rs = test::kubeFixture(QStringLiteral("replicaset.json"));
        const QJsonObject rsTemplate = rs[u"spec"].toObject()[u"template"].toObject();
        QJsonObject deploymentTemplate = rsTemplate;
        QJsonObject metadata = deploymentTemplate[u"metadata"].toObject();
        QJsonObject labels = metadata[u"labels"].toObject();
        labels.remove(QStringLiteral("pod-template-hash"));
        metadata[u"labels"] = labels;
        deploymentTemplate[u"metadata"] = metadata;
        QVERIFY(DeploymentOperations::templatesEqualIgnoringHash(deploymentTemplate, rsTemplate));
        QJsonObject other = deploymentTemplate;
        other[u"spec"] = QJsonObject{
            {QStringLiteral("containers"), QJsonArray{container("demo", "bebullish/demo:v3")}}};
        QVERIFY(!DeploymentOperations::templatesEqualIgnoringHash(other, rsTemplate));
    }

    void rollbackPatchIsKubectls()
    {
        const QJsonObject deployment = test::kubeFixture(QStringLiteral("deployment.json"));
        QJsonObject rs = test::kubeFixture(QStringLiteral("replicaset.json"));
        const QJsonArray patch =
            QJsonDocument::fromJson(DeploymentOperations::rollbackPatch(deployment, rs)).array();
        QCOMPARE(patch.size(), 2);
        const QJsonObject replaceTemplate = patch[0].toObject();
        QCOMPARE(replaceTemplate[u"op"].toString(), QStringLiteral("replace"));
        QCOMPARE(replaceTemplate[u"path"].toString(), QStringLiteral("/spec/template"));
        const QJsonObject labels =
            replaceTemplate[u"value"].toObject()[u"metadata"].toObject()[u"labels"].toObject();
        QVERIFY(!labels.contains(u"pod-template-hash"));
        QCOMPARE(labels[u"app"].toString(), QStringLiteral("demo"));
        QCOMPARE(replaceTemplate[u"value"].toObject()[u"spec"],
                 rs[u"spec"].toObject()[u"template"].toObject()[u"spec"]);

        const QJsonObject replaceAnnotations = patch[1].toObject();
        QCOMPARE(replaceAnnotations[u"path"].toString(), QStringLiteral("/metadata/annotations"));
        const QJsonObject annotations = replaceAnnotations[u"value"].toObject();
        // Skip-list keys keep the Deployment's values (its revision 3), the RS's desired- and
        // max-replicas and revision-history are not copied, other RS annotations are.
        QCOMPARE(annotations[u"deployment.kubernetes.io/revision"].toString(), QStringLiteral("3"));
        QVERIFY(!annotations.contains(u"deployment.kubernetes.io/desired-replicas"));
        QVERIFY(!annotations.contains(u"deployment.kubernetes.io/max-replicas"));
        QVERIFY(!annotations.contains(u"deployment.kubernetes.io/revision-history"));
        QCOMPARE(annotations[u"kubernetes.io/change-cause"].toString(),
                 QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2"));
    }
};

ROLLSCOPE_TEST_MAIN(TestOperations)
#include "tst_operations.moc"
