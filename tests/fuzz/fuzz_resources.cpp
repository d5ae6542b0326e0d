// SPDX-License-Identifier: MIT
// API JSON into typed values: one object, or a list ({"items": [...]}) as a LIST answer
// carries it, turned into every typed value the informers keep (resources.h), and the texts
// and numbers the views derive from them. The kind does not pick the parser: every parser
// meets every object, as they meet wrong or partial objects from odd servers.

#include "fuzzsupport.h"
#include "kube/resources.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

const QDateTime &now()
{
    static const QDateTime t = QDateTime::fromMSecsSinceEpoch(1'700'000'000'000, Qt::UTC);
    return t;
}

void scale(const IntOrString &value, int total)
{
    (void)value.toString();
    (void)value.scaledValue(total, true);
    (void)value.scaledValue(total, false);
}

void selector(const LabelSelectorInfo &s, const Labels &labels)
{
    (void)s.toString();
    (void)s.expressionsString();
    (void)s.matches(labels);
    FUZZ_CHECK(LabelSelectorInfo::fromJson(QJsonValue()).matches(labels) == false);
}

void parseObject(const QJsonObject &object)
{
    (void)objectKey(object);

    const DeploymentInfo d = DeploymentInfo::fromJson(object);
    (void)d.key();
    (void)d.imagesText();
    (void)d.containerNamesText();
    (void)d.condition(QStringLiteral("Progressing"));
    selector(d.selector, d.templateLabels);
    scale(d.strategy.maxSurge, d.replicas);
    scale(d.strategy.maxUnavailable, d.replicas);
    FUZZ_CHECK(d == DeploymentInfo::fromJson(object)); // pure: same JSON, same value

    const ReplicaSetInfo r = ReplicaSetInfo::fromJson(object);
    (void)r.key();
    (void)r.imagesText();
    selector(r.selector, r.labels);

    const PodInfo p = PodInfo::fromJson(object);
    (void)p.key();
    (void)p.isTerminating();
    (void)p.readyText();
    (void)p.restartsText(now());
    selector(d.selector, p.labels);

    const ServiceInfo s = ServiceInfo::fromJson(object);
    (void)s.key();
    for (const auto &port : s.ports)
        scale(port.targetPort, 100);

    const EndpointSliceInfo e = EndpointSliceInfo::fromJson(object);
    (void)e.key();

    const EventInfo ev = EventInfo::fromJson(object);
    (void)ev.key();
    (void)ev.lastSeen();

    (void)NodeInfo::fromJson(object).key();
    (void)NamespaceInfo::fromJson(object).key();
    (void)parseTimestamp(object.value(u"metadata").toObject().value(u"creationTimestamp"));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    const QJsonDocument doc = QJsonDocument::fromJson(rollscope::fuzz::bytes(data, size));
    if (!doc.isObject())
        return 0;
    const QJsonObject object = doc.object();
    parseObject(object);
    int count = 0;
    const QJsonArray items = object.value(u"items").toArray();
    for (const QJsonValue &item : items) {
        if (++count > 64)
            break;
        parseObject(item.toObject());
    }
    return 0;
}
