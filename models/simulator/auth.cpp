// SPDX-License-Identifier: MIT
#include "auth.h"

#include "certs.h"
#include "httpserver.h"

#include <QJsonArray>

namespace rollscope::sim {

Authenticator::Authenticator(const CertificateAuthority *ca)
    : m_ca(ca)
{}

void Authenticator::addToken(const QString &token, const Identity &identity)
{
    m_tokens.insert(token, identity);
}

std::optional<Identity> Authenticator::authenticate(const HttpRequest &request) const
{
    const QByteArray authorization = request.header(QByteArrayLiteral("authorization"));
    if (!authorization.isEmpty()) {
        // An Authorization header decides, even when a certificate is presented too.
        if (!authorization.startsWith("Bearer "))
            return std::nullopt;
        const QString token = QString::fromLatin1(authorization.mid(7).trimmed());
        const auto it = m_tokens.constFind(token);
        if (it == m_tokens.cend())
            return std::nullopt;
        Identity identity = *it;
        identity.groups << QStringLiteral("system:authenticated");
        return identity;
    }
    if (!request.peerCertificate.isNull() && m_ca && m_ca->verifyClient(request.peerCertificate)) {
        Identity identity;
        identity.user = request.peerCertificate.subjectInfo(QSslCertificate::CommonName).value(0);
        identity.groups = request.peerCertificate.subjectInfo(QSslCertificate::Organization);
        identity.groups << QStringLiteral("system:authenticated");
        if (!identity.user.isEmpty())
            return identity;
    }
    return std::nullopt;
}

namespace {

const char kAuthenticatedGroup[] = "system:authenticated";
const char kAuthorizationGroup[] = "authorization.k8s.io";
const char kAuthenticationGroup[] = "authentication.k8s.io";

// system:discovery and system:public-info-viewer: what every authenticated user may get.
QStringList discoveryUrls()
{
    return {QStringLiteral("/api"),     QStringLiteral("/api/*"),     QStringLiteral("/apis"),
            QStringLiteral("/apis/*"),  QStringLiteral("/healthz"),   QStringLiteral("/livez"),
            QStringLiteral("/openapi"), QStringLiteral("/openapi/*"), QStringLiteral("/readyz"),
            QStringLiteral("/version"), QStringLiteral("/version/")};
}

// RBAC's NonResourceURLMatches: a trailing '*' matches any rest of the path.
bool urlMatches(const QString &rule, const QString &path)
{
    if (rule == u"*" || rule == path)
        return true;
    return rule.endsWith(u'*') && path.startsWith(rule.chopped(1));
}

bool isSelfReview(const Attributes &a)
{
    if (!a.resourceRequest || a.verb != u"create" || !a.subresource.isEmpty())
        return false;
    if (a.group == QLatin1StringView(kAuthorizationGroup))
        return a.resource == u"selfsubjectaccessreviews" ||
               a.resource == u"selfsubjectrulesreviews";
    return a.group == QLatin1StringView(kAuthenticationGroup) &&
           a.resource == u"selfsubjectreviews";
}

QString boundTo(const char *binding, const char *role, const char *group)
{
    return QStringLiteral("RBAC: allowed by ClusterRoleBinding \"%1\" of ClusterRole \"%2\" to "
                          "Group \"%3\"")
        .arg(QLatin1StringView(binding), QLatin1StringView(role), QLatin1StringView(group));
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonObject resourceRule(const QStringList &verbs, const QStringList &groups,
                         const QStringList &resources)
{
    return QJsonObject{{QStringLiteral("verbs"), strings(verbs)},
                       {QStringLiteral("apiGroups"), strings(groups)},
                       {QStringLiteral("resources"), strings(resources)}};
}

QJsonObject nonResourceRule(const QStringList &verbs, const QStringList &urls)
{
    return QJsonObject{{QStringLiteral("verbs"), strings(verbs)},
                       {QStringLiteral("nonResourceURLs"), strings(urls)}};
}

} // namespace

Attributes Attributes::of(const Access &access)
{
    Attributes a;
    a.verb = access.verb;
    a.group = access.resource ? access.resource->group : QString();
    a.resource = access.resource ? access.resource->plural : QString();
    a.subresource = access.subresource;
    a.ns = access.ns;
    a.name = access.name;
    return a;
}

Decision Authorizer::decide(const Identity &identity, const Attributes &a)
{
    // system:masters is allowed before RBAC is asked, so no reason is given.
    if (identity.groups.contains(QLatin1StringView(kAdminGroup)))
        return {true, {}};
    if (identity.groups.contains(QLatin1StringView(kViewerGroup)) && a.resourceRequest) {
        const bool read = a.verb == u"get" || a.verb == u"list" || a.verb == u"watch";
        if (read && a.subresource != u"proxy")
            return {true, boundTo("rollscope:viewers", "view", kViewerGroup)};
    }
    if (identity.groups.contains(QLatin1StringView(kAuthenticatedGroup))) {
        if (isSelfReview(a))
            return {true, boundTo("system:basic-user", "system:basic-user", kAuthenticatedGroup)};
        if (!a.resourceRequest && a.verb == u"get") {
            for (const QString &url : discoveryUrls()) {
                if (urlMatches(url, a.path))
                    return {true,
                            boundTo("system:discovery", "system:discovery", kAuthenticatedGroup)};
            }
        }
    }
    return {false, {}};
}

bool Authorizer::allowed(const Identity &identity, const Access &access)
{
    return decide(identity, Attributes::of(access)).allowed;
}

QJsonObject Authorizer::rules(const Identity &identity)
{
    QJsonArray resourceRules;
    QJsonArray nonResourceRules;
    if (identity.groups.contains(QLatin1StringView(kAdminGroup))) {
        resourceRules.append(
            resourceRule({QStringLiteral("*")}, {QStringLiteral("*")}, {QStringLiteral("*")}));
        nonResourceRules.append(nonResourceRule({QStringLiteral("*")}, {QStringLiteral("*")}));
    }
    if (identity.groups.contains(QLatin1StringView(kViewerGroup))) {
        // RBAC has no deny: services/proxy, which the viewer may not get, cannot be carved out.
        resourceRules.append(
            resourceRule({QStringLiteral("get"), QStringLiteral("list"), QStringLiteral("watch")},
                         {QStringLiteral("*")}, {QStringLiteral("*")}));
    }
    if (identity.groups.contains(QLatin1StringView(kAuthenticatedGroup))) {
        resourceRules.append(resourceRule({QStringLiteral("create")},
                                          {QLatin1StringView(kAuthenticationGroup)},
                                          {QStringLiteral("selfsubjectreviews")}));
        resourceRules.append(resourceRule({QStringLiteral("create")},
                                          {QLatin1StringView(kAuthorizationGroup)},
                                          {QStringLiteral("selfsubjectaccessreviews"),
                                           QStringLiteral("selfsubjectrulesreviews")}));
        nonResourceRules.append(nonResourceRule({QStringLiteral("get")}, discoveryUrls()));
    }
    return QJsonObject{{QStringLiteral("resourceRules"), resourceRules},
                       {QStringLiteral("nonResourceRules"), nonResourceRules},
                       {QStringLiteral("incomplete"), false}};
}

QString Authorizer::forbiddenPathMessage(const Identity &identity, const QString &verb,
                                         const QString &path)
{
    return QStringLiteral("forbidden: User \"%1\" cannot %2 path \"%3\"")
        .arg(identity.user, verb, path);
}

QString Authorizer::forbiddenMessage(const Identity &identity, const Access &access)
{
    const ResourceType &t = *access.resource;
    const QString subject = access.name.isEmpty()
                                ? t.qualifiedPlural()
                                : QStringLiteral("%1 \"%2\"").arg(t.qualifiedPlural(), access.name);
    const QString resource =
        access.subresource.isEmpty() ? t.plural : t.plural + u'/' + access.subresource;
    const QString scope = access.ns.isEmpty()
                              ? QStringLiteral("at the cluster scope")
                              : QStringLiteral("in the namespace \"%1\"").arg(access.ns);
    return QStringLiteral("%1 is forbidden: User \"%2\" cannot %3 resource \"%4\" in API group "
                          "\"%5\" %6")
        .arg(subject, identity.user, access.verb, resource, t.group, scope);
}

} // namespace rollscope::sim
