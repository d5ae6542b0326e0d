// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace rollscope::kube {

// Where a resource lives in the API: group/version, plural, kind and scope, and the paths built
// from them (facts §2 URL shapes).
struct ResourceKind
{
    QString group; // "" for the core group
    QString version;
    QString plural;
    QString kind;
    bool namespaced = true;

    // "/api/v1" or "/apis/apps/v1".
    QString groupVersionPath() const;
    // The collection in one namespace, or across all namespaces when ns is empty.
    QString collectionPath(const QString &ns) const;
    QString objectPath(const QString &ns, const QString &name) const;
    // "apps/v1" or "v1".
    QString apiVersion() const;
    // "deployments.apps", "pods": how the API names the resource in messages.
    QString qualifiedPlural() const;

    bool operator==(const ResourceKind &) const = default;

    static const ResourceKind &deployments();
    static const ResourceKind &replicaSets();
    static const ResourceKind &pods();
    static const ResourceKind &services();
    static const ResourceKind &endpointSlices();
    static const ResourceKind &events();
    static const ResourceKind &nodes();
    static const ResourceKind &namespaces();
};

} // namespace rollscope::kube
