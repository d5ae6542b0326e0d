#pragma once

#include "resources.h"

#include <QHash>
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

// Two roles: members of system:masters may do everything; members of rollscope:viewers may
// read (get, list, watch) everything but services/proxy, as the built-in `view` ClusterRole.
class Authorizer
{
public:
    static bool allowed(const Identity &identity, const Access &access);
    // The API server's message for a denial, e.g. `deployments.apps "demo-dp" is forbidden:
    // User "viewer" cannot patch resource "deployments" in API group "apps" in the namespace
    // "default"`.
    static QString forbiddenMessage(const Identity &identity, const Access &access);
};

inline constexpr char kAdminGroup[] = "system:masters";
inline constexpr char kViewerGroup[] = "rollscope:viewers";

} // namespace rollscope::sim
