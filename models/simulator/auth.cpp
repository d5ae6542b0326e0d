#include "auth.h"

#include "certs.h"
#include "httpserver.h"

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

bool Authorizer::allowed(const Identity &identity, const Access &access)
{
    if (identity.groups.contains(QLatin1StringView(kAdminGroup)))
        return true;
    if (identity.groups.contains(QLatin1StringView(kViewerGroup))) {
        const bool read =
            access.verb == u"get" || access.verb == u"list" || access.verb == u"watch";
        return read && access.subresource != u"proxy";
    }
    return false;
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
