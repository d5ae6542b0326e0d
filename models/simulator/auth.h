// SPDX-License-Identifier: MIT
#pragma once

#include "resources.h"

#include <QHash>
#include <QJsonObject>
#include <QSslCertificate>
#include <QString>
#include <QStringList>

#include <optional>

namespace rollscope::sim {

class CertificateAuthority;
struct HttpRequest;

struct Identity
{
    QString user;
    QStringList groups;
};

// Who is calling: a bearer token from the token table, or a client certificate issued by the
// simulator's CA (user = CN, groups = O), as kube-apiserver's x509 and token authenticators.
class Authenticator
{
public:
    explicit Authenticator(const CertificateAuthority *ca);
    void addToken(const QString &token, const Identity &identity);
    std::optional<Identity> authenticate(const HttpRequest &request) const;

private:
    const CertificateAuthority *m_ca;
    QHash<QString, Identity> m_tokens;
};

// What a request wants to do, in RBAC terms.
struct Access
{
    QString verb; // get, list, watch, create, update, patch, delete, deletecollection
    const ResourceType *resource = nullptr;
    QString subresource; // "status", "scale", "log", "proxy"
    QString ns;          // empty = cluster scope
    QString name;
};

// An authorization question in the API server's terms (k8s.io/apiserver authorizer.Attributes):
// a resource request names a group, resource, subresource, namespace and name; a non-resource
// request a URL path. Serving requests and SelfSubjectAccessReviews both ask it.
struct Attributes
{
    QString verb; // get, list, ... for resources; the lower-case method for paths
    bool resourceRequest = true;
    QString group;
    QString resource; // "deployments", "*"
    QString subresource;
    QString ns;
    QString name;
    QString path; // non-resource requests: "/version", "/apis/apps"

    static Attributes of(const Access &access);
};

struct Decision
{
    bool allowed = false;
    QString reason; // as RBAC words it; empty for system:masters, which RBAC does not consult
};

// The simulator's policy, as RBAC would hold it:
// - members of system:masters may do everything (cluster-admin);
// - members of rollscope:viewers may read (get, list, watch) everything but services/proxy, as
//   the built-in `view` ClusterRole;
// - every authenticated user may create the self-reviews (system:basic-user) and get the
//   discovery, version, health and OpenAPI paths (system:discovery, system:public-info-viewer).
class Authorizer
{
public:
    static Decision decide(const Identity &identity, const Attributes &attributes);
    static bool allowed(const Identity &identity, const Access &access);
    // The status of a SelfSubjectRulesReview: the rules above that apply to the identity, as
    // RBAC's rule resolver renders them ({resourceRules, nonResourceRules, incomplete}).
    static QJsonObject rules(const Identity &identity);
    // The API server's message for a denial, e.g. `deployments.apps "demo-dp" is forbidden:
    // User "viewer" cannot patch resource "deployments" in API group "apps" in the namespace
    // "default"`.
    static QString forbiddenMessage(const Identity &identity, const Access &access);
    // `forbidden: User "viewer" cannot get path "/nosuch"`.
    static QString forbiddenPathMessage(const Identity &identity, const QString &verb,
                                        const QString &path);
};

inline constexpr char kAdminGroup[] = "system:masters";
inline constexpr char kViewerGroup[] = "rollscope:viewers";

} // namespace rollscope::sim
