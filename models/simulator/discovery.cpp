// SPDX-License-Identifier: MIT
#include "discovery.h"

#include "resources.h"
#include "reviews.h"

#include <QJsonArray>
#include <QSysInfo>

namespace rollscope::sim::Discovery {

namespace {

QJsonArray toArray(const QStringList &list)
{
    QJsonArray a;
    for (const QString &s : list)
        a.append(s);
    return a;
}

// In kube-apiserver's order. autoscaling/v1 is not listed: the simulator serves no
// HorizontalPodAutoscalers, and a listed group without resources fails discovery (`kubectl
// api-resources` exits 1). The scale subresources still name autoscaling/v1 Scale, as on a real
// server.
QStringList groupVersions()
{
    QStringList list{QStringLiteral("apps/v1"), QStringLiteral("events.k8s.io/v1")};
    list << Reviews::groupVersions();
    list << QStringLiteral("discovery.k8s.io/v1");
    return list;
}

QJsonObject subresource(const ResourceType &t, const QString &sub, const QString &kind,
                        const QStringList &verbs, const QString &group = {},
                        const QString &version = {})
{
    QJsonObject o{{QStringLiteral("name"), QString(t.plural + u'/' + sub)},
                  {QStringLiteral("singularName"), QString()},
                  {QStringLiteral("namespaced"), t.namespaced},
                  {QStringLiteral("kind"), kind},
                  {QStringLiteral("verbs"), toArray(verbs)}};
    if (!group.isEmpty()) {
        o.insert(QStringLiteral("group"), group);
        o.insert(QStringLiteral("version"), version);
    }
    return o;
}

} // namespace

QJsonObject version()
{
    return QJsonObject{
        {QStringLiteral("major"), QStringLiteral("1")},
        {QStringLiteral("minor"), QStringLiteral("32")},
        {QStringLiteral("gitVersion"), QLatin1StringView(kGitVersion)},
        {QStringLiteral("gitCommit"), QStringLiteral("0000000000000000000000000000000000000000")},
        {QStringLiteral("gitTreeState"), QStringLiteral("clean")},
        {QStringLiteral("buildDate"), QStringLiteral("2026-01-01T00:00:00Z")},
        {QStringLiteral("goVersion"), QStringLiteral("go1.23.4")},
        {QStringLiteral("compiler"), QStringLiteral("gc")},
        {QStringLiteral("platform"), QStringLiteral("linux/amd64")},
    };
}

QJsonObject apiVersions(const QString &serverAddress)
{
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("APIVersions")},
        {QStringLiteral("versions"), QJsonArray{QStringLiteral("v1")}},
        {QStringLiteral("serverAddressByClientCIDRs"),
         QJsonArray{QJsonObject{{QStringLiteral("clientCIDR"), QStringLiteral("0.0.0.0/0")},
                                {QStringLiteral("serverAddress"), serverAddress}}}},
    };
}

QJsonObject apiGroupList()
{
    QJsonArray groups;
    for (const QString &gv : groupVersions()) {
        const QString group = gv.section(u'/', 0, 0);
        const QString ver = gv.section(u'/', 1, 1);
        const QJsonObject versionObject{{QStringLiteral("groupVersion"), gv},
                                        {QStringLiteral("version"), ver}};
        groups.append(QJsonObject{{QStringLiteral("name"), group},
                                  {QStringLiteral("versions"), QJsonArray{versionObject}},
                                  {QStringLiteral("preferredVersion"), versionObject}});
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("groups"), groups}};
}

QJsonObject apiResourceList(const QString &groupVersion)
{
    QJsonArray resources;
    bool known = groupVersion == u"v1" || groupVersions().contains(groupVersion);
    if (!known)
        return {};
    for (const ResourceType &t : Resources::all()) {
        if (t.groupVersion() != groupVersion)
            continue;
        QJsonObject r{{QStringLiteral("name"), t.plural},
                      {QStringLiteral("singularName"), t.singular},
                      {QStringLiteral("namespaced"), t.namespaced},
                      {QStringLiteral("kind"), t.kind},
                      {QStringLiteral("verbs"), toArray(t.verbs)}};
        if (!t.shortNames.isEmpty())
            r.insert(QStringLiteral("shortNames"), toArray(t.shortNames));
        if (!t.categories.isEmpty())
            r.insert(QStringLiteral("categories"), toArray(t.categories));
        resources.append(r);
        const QStringList getPatchUpdate{QStringLiteral("get"), QStringLiteral("patch"),
                                         QStringLiteral("update")};
        for (const QString &sub : t.subresources) {
            if (sub == u"status")
                resources.append(subresource(t, sub, t.kind, getPatchUpdate));
            else if (sub == u"scale")
                resources.append(subresource(t, sub, QStringLiteral("Scale"), getPatchUpdate,
                                             QStringLiteral("autoscaling"), QStringLiteral("v1")));
            else if (sub == u"log")
                resources.append(
                    subresource(t, sub, QStringLiteral("Pod"), {QStringLiteral("get")}));
            else if (sub == u"proxy")
                resources.append(subresource(t, sub, QStringLiteral("ServiceProxyOptions"),
                                             {QStringLiteral("create"), QStringLiteral("delete"),
                                              QStringLiteral("get"), QStringLiteral("patch"),
                                              QStringLiteral("update")}));
        }
    }
    for (const QJsonValue &review : Reviews::discoveryResources(groupVersion))
        resources.append(review);
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("groupVersion"), groupVersion},
                       {QStringLiteral("resources"), resources}};
}

} // namespace rollscope::sim::Discovery
