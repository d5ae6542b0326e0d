// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace rollscope::sim {

// One served resource (what discovery lists), e.g. apps/v1 deployments.
struct ResourceType
{
    QString group;    // "" for the core group
    QString version;  // "v1"
    QString plural;   // "deployments"
    QString singular; // "deployment"
    QString kind;     // "Deployment"
    bool namespaced = true;
    QStringList shortNames;
    QStringList verbs;
    QStringList categories;
    QStringList subresources; // "status", "scale", "log", "proxy"

    QString groupVersion() const { return group.isEmpty() ? version : group + u'/' + version; }
    QString apiVersion() const { return groupVersion(); }
    // "deployments.apps", "pods": how error messages name the resource.
    QString qualifiedPlural() const { return group.isEmpty() ? plural : plural + u'.' + group; }
    QString listKind() const { return kind + QStringLiteral("List"); }
    bool operator==(const ResourceType &other) const
    {
        // The table's entries are compared with themselves most of the time.
        return this == &other || (group == other.group && plural == other.plural);
    }
};

// The resources the simulator serves, and lookups into them. The table is static and immutable.
namespace Resources {
const QList<ResourceType> &all();
const ResourceType *find(const QString &group, const QString &version, const QString &plural);
const ResourceType *byKind(const QString &apiVersion, const QString &kind);

const ResourceType &namespaces();
const ResourceType &nodes();
const ResourceType &pods();
const ResourceType &services();
const ResourceType &endpoints();
const ResourceType &events();
const ResourceType &deployments();
const ResourceType &replicaSets();
const ResourceType &endpointSlices();
const ResourceType &eventsV1(); // events.k8s.io/v1, the same objects seen through the new API
} // namespace Resources

} // namespace rollscope::sim
