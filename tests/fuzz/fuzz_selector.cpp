// SPDX-License-Identifier: MIT
// Label and field selectors from query strings (?labelSelector=..., ?fieldSelector=...), as the
// simulator's API server reads them (simulator/selector.h). The input's first line is a label
// selector, the rest a field selector for a resource its last byte picks; an input that is a
// JSON object is also read as a metav1.LabelSelector. A label selector that parses must print
// as a selector that parses to the same.

#include "fuzzsupport.h"
#include "simulator/selector.h"

#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

const QJsonObject &sampleObject()
{
    static const QJsonObject o = QJsonDocument::fromJson(R"({
        "metadata": {"name": "demo-1", "namespace": "default",
                     "labels": {"app": "demo", "tier": "web", "pod-template-hash": "abc"}},
        "spec": {"nodeName": "node-1", "restartPolicy": "Always"},
        "status": {"phase": "Running", "podIP": "10.0.0.1"},
        "involvedObject": {"kind": "Pod", "name": "demo-1"},
        "type": "Normal", "reason": "Started"})")
                                     .object();
    return o;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    const QByteArray input = rollscope::fuzz::bytes(data, size);
    const QJsonObject labels =
        sampleObject().value(u"metadata").toObject().value(u"labels").toObject();

    const qsizetype newline = input.indexOf('\n');
    const QString labelText = QString::fromUtf8(newline < 0 ? input : input.left(newline));
    const Result<LabelSelector> label = LabelSelector::parse(labelText);
    if (label) {
        (void)label->matches(labels);
        (void)label->isEmpty();
        const QString printed = label->toString();
        const Result<LabelSelector> again = LabelSelector::parse(printed);
        FUZZ_CHECK(again.ok());
        FUZZ_CHECK(again->toString() == printed);
        FUZZ_CHECK(again->matches(labels) == label->matches(labels));
    }

    if (newline >= 0) {
        static const QString plurals[] = {
            QStringLiteral("pods"),       QStringLiteral("deployments"), QStringLiteral("events"),
            QStringLiteral("namespaces"), QStringLiteral("replicasets"), QStringLiteral("nodes")};
        const QString &plural = plurals[uint8_t(input.back()) % std::size(plurals)];
        const Result<FieldSelector> field =
            FieldSelector::parse(QString::fromUtf8(input.mid(newline + 1)), plural);
        if (field) {
            (void)field->isEmpty();
            (void)field->matches(sampleObject());
        }
    }

    const QJsonDocument doc = QJsonDocument::fromJson(input);
    if (doc.isObject()) {
        const Result<LabelSelector> fromObject = LabelSelector::fromObject(doc.object());
        if (fromObject) {
            (void)fromObject->matches(labels);
            (void)fromObject->toString();
        }
        (void)LabelSelector::fromMap(doc.object()).matches(labels);
    }
    return 0;
}
