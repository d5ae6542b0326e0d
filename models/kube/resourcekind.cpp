// SPDX-License-Identifier: MIT
#include "kube/resourcekind.h"

namespace rollscope::kube {

QString ResourceKind::groupVersionPath() const
{
    if (group.isEmpty())
        return QStringLiteral("/api/") + version;
    return QStringLiteral("/apis/") + group + u'/' + version;
}

QString ResourceKind::collectionPath(const QString &ns) const
{
    if (!namespaced || ns.isEmpty())
        return groupVersionPath() + u'/' + plural;
    return groupVersionPath() + QStringLiteral("/namespaces/") + ns + u'/' + plural;
}

QString ResourceKind::objectPath(const QString &ns, const QString &name) const
{
    return collectionPath(namespaced ? ns : QString()) + u'/' + name;
}

QString ResourceKind::apiVersion() const
{
    return group.isEmpty() ? version : group + u'/' + version;
}

QString ResourceKind::qualifiedPlural() const
{
    return group.isEmpty() ? plural : plural + u'.' + group;
}

namespace {
ResourceKind make(const char *group, const char *version, const char *plural, const char *kind,
                  bool namespaced)
{
    return ResourceKind{QString::fromLatin1(group), QString::fromLatin1(version),
                        QString::fromLatin1(plural), QString::fromLatin1(kind), namespaced};
}
} // namespace

const ResourceKind &ResourceKind::deployments()
{
    static const ResourceKind kind = make("apps", "v1", "deployments", "Deployment", true);
    return kind;
}

const ResourceKind &ResourceKind::replicaSets()
{
    static const ResourceKind kind = make("apps", "v1", "replicasets", "ReplicaSet", true);
    return kind;
}

const ResourceKind &ResourceKind::pods()
{
    static const ResourceKind kind = make("", "v1", "pods", "Pod", true);
    return kind;
}

const ResourceKind &ResourceKind::services()
{
    static const ResourceKind kind = make("", "v1", "services", "Service", true);
    return kind;
}

const ResourceKind &ResourceKind::endpointSlices()
{
    static const ResourceKind kind =
        make("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", true);
    return kind;
}

const ResourceKind &ResourceKind::events()
{
    static const ResourceKind kind = make("", "v1", "events", "Event", true);
    return kind;
}

const ResourceKind &ResourceKind::nodes()
{
    static const ResourceKind kind = make("", "v1", "nodes", "Node", false);
    return kind;
}

const ResourceKind &ResourceKind::namespaces()
{
    static const ResourceKind kind = make("", "v1", "namespaces", "Namespace", false);
    return kind;
}

} // namespace rollscope::kube
