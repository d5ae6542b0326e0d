// SPDX-License-Identifier: MIT
#include "kube/apierror.h"

#include "apimachinery/httpstatus.h"
#include "common/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace rollscope::kube {

namespace {

// "deployments" -> "deployment"; good enough for the resources Rollscope touches.
QString singular(const QString &plural)
{
    if (plural.endsWith(QLatin1StringView("sses")))
        return plural.chopped(2);
    if (plural.endsWith(u's'))
        return plural.chopped(1);
    return plural;
}

// What the object is called in a sentence: `deployment "demo-dp"`, or `deployments`.
QString subject(const QString &kindOrPlural, const QString &name)
{
    QString kind = kindOrPlural;
    if (!kind.isEmpty() && kind.at(0).isUpper())
        kind = kind.toLower(); // 422 details carry the Kind ("Deployment")
    else
        kind = singular(kind);
    if (kind.isEmpty())
        kind = ApiErrors::tr("object");
    if (name.isEmpty())
        return kind;
    return kind + u' ' + quoted(name);
}

// Printable text from a non-Status body (an HTML error page of a proxy, plain text).
QString bodyText(const QByteArray &body)
{
    QString text = QString::fromUtf8(body.left(512)).simplified();
    for (QChar &c : text) {
        if (c.category() == QChar::Other_Control)
            c = u'?';
    }
    if (body.size() > 512)
        text += QStringLiteral("...");
    return text;
}

QString forbiddenText(const QString &raw, const QJsonObject &details)
{
    // kube-apiserver's RBAC message: ... User "u" cannot VERB resource "R" in API group "G"
    // in the namespace "NS" | at the cluster scope
    static const QRegularExpression re(QStringLiteral(
        "User \"([^\"]*)\" cannot (\\S+) resource \"([^\"]+)\" in API group \"([^\"]*)\""
        "(?: in the namespace \"([^\"]+)\"| at the cluster scope)?"));
    const QRegularExpressionMatch m = re.match(raw);
    if (!m.hasMatch())
        return ApiErrors::tr("Access denied: %1").arg(raw);
    const QString user = m.captured(1);
    const QString verb = m.captured(2);
    QString resource = m.captured(3);
    const QString ns = m.captured(5);
    const QString name = details.value(u"name").toString();
    QString what;
    const qsizetype slash = resource.indexOf(u'/');
    if (slash > 0) {
        const QString sub = resource.mid(slash + 1);
        resource.truncate(slash);
        what = ApiErrors::tr("the %1 of %2").arg(sub, subject(resource, name));
    } else {
        what = name.isEmpty() ? resource : subject(resource, name);
    }
    if (ns.isEmpty())
        return ApiErrors::tr("User %1 cannot %2 %3 (cluster-wide).").arg(quoted(user), verb, what);
    return ApiErrors::tr("User %1 cannot %2 %3 in namespace %4.")
        .arg(quoted(user), verb, what, quoted(ns));
}

} // namespace

QString serverMessage(const Error &error)
{
    for (const ErrorCause &cause : error.causes) {
        if (cause.reason == kServerMessageCause)
            return cause.message;
    }
    return {};
}

QList<ErrorCause> fieldCauses(const Error &error)
{
    QList<ErrorCause> causes;
    for (const ErrorCause &cause : error.causes) {
        if (cause.reason != kServerMessageCause)
            causes.append(cause);
    }
    return causes;
}

Error ApiErrors::fromResponse(int httpStatus, const QByteArray &body)
{
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject() && doc.object().value(u"kind").toString() == u"Status")
        return fromStatus(doc.object(), httpStatus);
    QJsonObject synthetic;
    synthetic.insert(QStringLiteral("code"), httpStatus);
    const QString text = bodyText(body);
    if (!text.isEmpty())
        synthetic.insert(QStringLiteral("message"), text);
    Error e = fromStatus(synthetic, httpStatus);
    return e;
}

Error ApiErrors::fromStatus(const QJsonObject &status, int httpStatus)
{
    int code = static_cast<int>(status.value(u"code").toInteger(0));
    if (code == 0)
        code = httpStatus;
    const QString raw = status.value(u"message").toString();
    QString reason = status.value(u"reason").toString();
    const QJsonObject details = status.value(u"details").toObject();
    const QString name = details.value(u"name").toString();
    const QString detailKind = details.value(u"kind").toString();

    Error e;
    e.httpStatus = code;
    e.kind = apimachinery::errorKind(code);
    if (reason == u"Expired" || reason == u"Gone")
        e.kind = Error::Kind::Expired;
    e.reason = reason;

    QList<ErrorCause> causes;
    for (const QJsonValue &c : details.value(u"causes").toArray()) {
        const QJsonObject o = c.toObject();
        causes.append({o.value(u"reason").toString(), o.value(u"message").toString(),
                       o.value(u"field").toString()});
    }

    const QString shown = raw.isEmpty() ? tr("no details given") : raw;
    switch (code) {
    case 401:
        e.message = tr("You must be logged in to the server (Unauthorized)");
        break;
    case 403:
        e.message = forbiddenText(shown, details);
        break;
    case 404:
        e.message = name.isEmpty() ? tr("Not found: %1").arg(shown)
                                   : tr("The %1 was not found.").arg(subject(detailKind, name));
        break;
    case 409:
        if (reason == u"AlreadyExists" && !name.isEmpty())
            e.message = tr("The %1 already exists.").arg(subject(detailKind, name));
        else if (!name.isEmpty())
            e.message = tr("The %1 was changed by someone else in the meantime; reload it and "
                           "try again.")
                            .arg(subject(detailKind, name));
        else
            e.message = tr("Conflict: %1").arg(shown);
        break;
    case 410:
        e.message = tr("The requested data is too old and no longer available on the server "
                       "(%1).")
                        .arg(shown);
        break;
    case 422: {
        QStringList problems;
        for (const ErrorCause &c : std::as_const(causes))
            problems.append(c.field.isEmpty() ? c.message
                                              : c.field + QStringLiteral(": ") + c.message);
        const QString what = subject(detailKind, name);
        e.message = problems.isEmpty()
                        ? tr("The server rejected the change as invalid: %1").arg(shown)
                        : tr("The %1 was rejected as invalid: %2")
                              .arg(what, problems.join(QStringLiteral("; ")));
        break;
    }
    case 429:
        e.message = tr("The server is too busy (too many requests); try again later.");
        break;
    case 400:
        e.message = tr("The server rejected the request as malformed: %1").arg(shown);
        break;
    case 500:
        e.message = tr("The server failed with an internal error: %1").arg(shown);
        break;
    case 503:
        e.message = tr("The server is unavailable: %1").arg(shown);
        break;
    default:
        if (code >= 500)
            e.message = tr("The server failed (HTTP %1): %2").arg(code).arg(shown);
        else
            e.message = tr("The server refused the request (HTTP %1): %2").arg(code).arg(shown);
        break;
    }
    if (reason.isEmpty() && code == 410)
        e.reason = apimachinery::statusReason(code);

    e.causes = causes;
    if (!raw.isEmpty())
        e.causes.append({QString(kServerMessageCause), raw, QString()});
    return e;
}

Error ApiErrors::network(QNetworkReply::NetworkError code, const QString &detail,
                         const QString &server, qint64 timeoutMs)
{
    Error e;
    e.kind = Error::Kind::Network;
    switch (code) {
    case QNetworkReply::ConnectionRefusedError:
        e.message = tr("The connection to the server %1 was refused - is the address right and "
                       "the server running?")
                        .arg(server);
        break;
    case QNetworkReply::RemoteHostClosedError:
        e.message = tr("The server %1 closed the connection unexpectedly.").arg(server);
        break;
    case QNetworkReply::HostNotFoundError:
        e.message = tr("The server name in %1 could not be resolved.").arg(server);
        break;
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        e.kind = Error::Kind::Timeout;
        e.message = timeoutMs > 0 ? tr("The server %1 did not answer within %2 s.")
                                        .arg(server)
                                        .arg(static_cast<double>(timeoutMs) / 1000.0, 0, 'g', 3)
                                  : tr("The request to %1 timed out.").arg(server);
        break;
    case QNetworkReply::SslHandshakeFailedError:
        e.message = tr("Cannot connect securely to %1: %2").arg(server, detail);
        break;
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
    case QNetworkReply::ProxyAuthenticationRequiredError:
        e.message = tr("Cannot reach %1 through the proxy: %2").arg(server, detail);
        break;
    default:
        e.message = tr("Cannot talk to the server %1: %2").arg(server, detail);
        break;
    }
    return e;
}

QString ApiErrors::kubectlStyle(const Error &error)
{
    const QString raw = serverMessage(error);
    if (error.httpStatus > 0 && error.kind != Error::Kind::Unauthorized && !raw.isEmpty() &&
        !error.reason.isEmpty())
        return tr("Error from server (%1): %2").arg(error.reason, raw);
    return tr("error: %1").arg(error.message);
}

} // namespace rollscope::kube
