// SPDX-License-Identifier: MIT
// Patches as the simulator's API server applies them (simulator/patch.h): JSON patch, merge
// patch, strategic merge patch and server-side apply (JSON or YAML), on a Deployment, a
// Service or a Pod. Byte 0 picks the patch type, byte 1 the object; the rest is the body.

#include "fuzzsupport.h"
#include "simulator/patch.h"
#include "simulator/scenarios.h"
#include "simulator/yamljson.h"

#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

struct Target
{
    QJsonObject object;
    QString kind;
};

const Target &target(uint8_t which)
{
    static const Target targets[] = {
        {yamlToJsonObject(demoDeploymentManifest()).value(), QStringLiteral("Deployment")},
        {yamlToJsonObject(demoServiceManifest()).value(), QStringLiteral("Service")},
        {QJsonDocument::fromJson(R"({"apiVersion": "v1", "kind": "Pod",
             "metadata": {"name": "demo-1", "namespace": "default", "labels": {"app": "demo"},
                          "finalizers": ["a", "b"]},
             "spec": {"containers": [{"name": "demo", "image": "bebullish/demo:v1",
                                      "ports": [{"containerPort": 8080}],
                                      "env": [{"name": "A", "value": "1"}]}],
                      "initContainers": [{"name": "init", "image": "busybox"}]},
             "status": {"conditions": [{"type": "Ready", "status": "True"}]}})")
             .object(),
         QStringLiteral("Pod")},
    };
    return targets[which % std::size(targets)];
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    if (size < 2)
        return 0;
    const Target &t = target(data[1]);
    const QByteArray body = rollscope::fuzz::bytes(data + 2, size - 2);
    switch (data[0] % 5) {
    case 0: {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isArray())
            (void)applyJsonPatch(t.object, doc.array());
        break;
    }
    case 1: {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isObject())
            (void)applyMergePatch(t.object, doc.object());
        break;
    }
    case 2: {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isObject())
            (void)applyStrategicMergePatch(t.object, doc.object(), t.kind);
        break;
    }
    case 3: {
        const QJsonDocument doc = QJsonDocument::fromJson(body);
        if (doc.isObject())
            (void)applyApplyPatch(t.object, doc.object(), t.kind);
        break;
    }
    case 4: {
        // application/apply-patch+yaml: the body is YAML.
        const Result<QJsonObject> applied = yamlToJsonObject(body);
        if (applied)
            (void)applyApplyPatch(t.object, *applied, t.kind);
        break;
    }
    }
    (void)patchTypeFor(body.left(64));
    return 0;
}
