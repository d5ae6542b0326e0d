// SPDX-License-Identifier: MIT
#include "resources.h"

namespace rollscope::sim::Resources {

namespace {

const QStringList kAllVerbs = {
    QStringLiteral("create"), QStringLiteral("delete"), QStringLiteral("deletecollection"),
    QStringLiteral("get"),    QStringLiteral("list"),   QStringLiteral("patch"),
    QStringLiteral("update"), QStringLiteral("watch")};

ResourceType make(const char *group, const char *plural, const char *singular, const char *kind,
                  bool namespaced, QStringList shortNames, QStringList subresources,
                  QStringList categories = {})
{
    ResourceType t;
    t.group = QLatin1StringView(group);
    t.version = QStringLiteral("v1");
    t.plural = QLatin1StringView(plural);
    t.singular = QLatin1StringView(singular);
    t.kind = QLatin1StringView(kind);
    t.namespaced = namespaced;
    t.shortNames = std::move(shortNames);
    t.verbs = kAllVerbs;
    t.categories = std::move(categories);
    t.subresources = std::move(subresources);
    return t;
}

const QList<ResourceType> &table()
{
    static const QList<ResourceType> resources = [] {
        const QStringList all{QStringLiteral("all")};
        QList<ResourceType> list;
        list << make("", "namespaces", "namespace", "Namespace", false, {QStringLiteral("ns")},
                     {QStringLiteral("status")});
        list << make("", "nodes", "node", "Node", false, {QStringLiteral("no")},
                     {QStringLiteral("status")});
        list << make("", "pods", "pod", "Pod", true, {QStringLiteral("po")},
                     {QStringLiteral("status"), QStringLiteral("log")}, all);
        list << make("", "services", "service", "Service", true, {QStringLiteral("svc")},
                     {QStringLiteral("status"), QStringLiteral("proxy")}, all);
        list << make("", "endpoints", "endpoints", "Endpoints", true, {QStringLiteral("ep")}, {});
        list << make("", "events", "event", "Event", true, {QStringLiteral("ev")}, {});
        list << make("apps", "deployments", "deployment", "Deployment", true,
                     {QStringLiteral("deploy")},
                     {QStringLiteral("status"), QStringLiteral("scale")}, all);
        list << make("apps", "replicasets", "replicaset", "ReplicaSet", true,
                     {QStringLiteral("rs")}, {QStringLiteral("status"), QStringLiteral("scale")},
                     all);
        list << make("discovery.k8s.io", "endpointslices", "endpointslice", "EndpointSlice", true,
                     {}, {});
        list << make("events.k8s.io", "events", "event", "Event", true, {QStringLiteral("ev")}, {});
        return list;
    }();
    return resources;
}

} // namespace

const QList<ResourceType> &all()
{
    return table();
}

const ResourceType *find(const QString &group, const QString &version, const QString &plural)
{
    for (const ResourceType &t : table()) {
        if (t.group == group && t.version == version && t.plural == plural)
            return &t;
    }
    return nullptr;
}

const ResourceType *byKind(const QString &apiVersion, const QString &kind)
{
    for (const ResourceType &t : table()) {
        if (t.apiVersion() == apiVersion && t.kind == kind)
            return &t;
    }
    return nullptr;
}

const ResourceType &namespaces()
{
    return table()[0];
}
const ResourceType &nodes()
{
    return table()[1];
}
const ResourceType &pods()
{
    return table()[2];
}
const ResourceType &services()
{
    return table()[3];
}
const ResourceType &endpoints()
{
    return table()[4];
}
const ResourceType &events()
{
    return table()[5];
}
const ResourceType &deployments()
{
    return table()[6];
}
const ResourceType &replicaSets()
{
    return table()[7];
}
const ResourceType &endpointSlices()
{
    return table()[8];
}
const ResourceType &eventsV1()
{
    return table()[9];
}

} // namespace rollscope::sim::Resources
