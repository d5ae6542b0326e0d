// SPDX-License-Identifier: MIT
#include "reviews.h"

#include "apimachinery/httpstatus.h"

#include <QHash>

#include <initializer_list>
#include <optional>

namespace rollscope::sim::Reviews {

namespace {

const char kAuthorization[] = "authorization.k8s.io";
const char kAuthentication[] = "authentication.k8s.io";

struct Kind
{
    const char *group;
    const char *plural;
    const char *singular;
    const char *kind;
};

const Kind kKinds[] = {
    {kAuthentication, "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview"},
    {kAuthorization, "selfsubjectaccessreviews", "selfsubjectaccessreview",
     "SelfSubjectAccessReview"},
    {kAuthorization, "selfsubjectrulesreviews", "selfsubjectrulesreview", "SelfSubjectRulesReview"},
};

Error invalid(const QString &kind, const QString &group, const QString &field,
              const QString &detail)
{
    Error e = apimachinery::statusError(
        422, QStringLiteral("%1.%2 \"\" is invalid: %3: %4").arg(kind, group, field, detail));
    e.causes.append(ErrorCause{QStringLiteral("FieldValueInvalid"), detail, field});
    return e;
}

// The review as the API server echoes it: the request's spec, a fresh metadata, the status.
QJsonObject echo(const QJsonObject &body, const Kind &kind, const QJsonObject &status)
{
    QJsonObject out;
    out.insert(QStringLiteral("kind"), QLatin1StringView(kind.kind));
    out.insert(QStringLiteral("apiVersion"),
               QString(QLatin1StringView(kind.group) + QStringLiteral("/v1")));
    QJsonObject metadata = body.value(u"metadata").toObject();
    metadata.insert(QStringLiteral("creationTimestamp"), QJsonValue::Null);
    out.insert(QStringLiteral("metadata"), metadata);
    if (body.contains(u"spec"))
        out.insert(QStringLiteral("spec"), body.value(u"spec"));
    out.insert(QStringLiteral("status"), status);
    return out;
}

Result<QJsonObject> accessReview(const Identity &identity, const Kind &kind,
                                 const QJsonObject &body)
{
    const QJsonObject spec = body.value(u"spec").toObject();
    const bool hasResource = spec.value(u"resourceAttributes").isObject();
    const bool hasNonResource = spec.value(u"nonResourceAttributes").isObject();
    if (hasResource == hasNonResource)
        return invalid(QLatin1StringView(kind.kind), QLatin1StringView(kind.group),
                       QStringLiteral("spec.resourceAttributes"),
                       QStringLiteral("exactly one of nonResourceAttributes or "
                                      "resourceAttributes must be specified"));
    Attributes a;
    if (hasResource) {
        const QJsonObject r = spec.value(u"resourceAttributes").toObject();
        a.verb = r.value(u"verb").toString();
        a.group = r.value(u"group").toString();
        a.resource = r.value(u"resource").toString();
        a.subresource = r.value(u"subresource").toString();
        a.ns = r.value(u"namespace").toString();
        a.name = r.value(u"name").toString();
    } else {
        const QJsonObject n = spec.value(u"nonResourceAttributes").toObject();
        a.resourceRequest = false;
        a.verb = n.value(u"verb").toString();
        a.path = n.value(u"path").toString();
    }
    const Decision decision = Authorizer::decide(identity, a);
    QJsonObject status{{QStringLiteral("allowed"), decision.allowed}};
    if (!decision.reason.isEmpty())
        status.insert(QStringLiteral("reason"), decision.reason);
    return echo(body, kind, status);
}

// The length-delimited fields of one protobuf message, by number (the last one wins): strings
// and nested messages, all that a review's request carries. Other wire types are skipped;
// nullopt for a malformed message.
std::optional<QHash<quint64, QByteArray>> protoFields(const QByteArray &data)
{
    QHash<quint64, QByteArray> fields;
    qsizetype i = 0;
    auto varint = [&](quint64 &out) {
        out = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (i >= data.size())
                return false;
            const auto byte = quint8(data.at(i++));
            out |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return true;
        }
        return false;
    };
    while (i < data.size()) {
        quint64 key = 0;
        quint64 value = 0;
        if (!varint(key))
            return std::nullopt;
        switch (key & 7) {
        case 0:
            if (!varint(value))
                return std::nullopt;
            break;
        case 1:
        case 5: {
            const qsizetype width = (key & 7) == 1 ? 8 : 4;
            if (data.size() - i < width)
                return std::nullopt;
            i += width;
            break;
        }
        case 2:
            if (!varint(value) || value > quint64(data.size() - i))
                return std::nullopt;
            fields.insert(key >> 3, data.mid(i, qsizetype(value)));
            i += qsizetype(value);
            break;
        default:
            return std::nullopt;
        }
    }
    return fields;
}

// The string fields of a message as JSON; an unset or empty string is omitted (omitempty).
QJsonObject protoStrings(const QHash<quint64, QByteArray> &fields,
                         std::initializer_list<std::pair<quint64, const char *>> names)
{
    QJsonObject out;
    for (const auto &[number, name] : names) {
        const QByteArray value = fields.value(number);
        if (!value.isEmpty())
            out.insert(QLatin1StringView(name), QString::fromUtf8(value));
    }
    return out;
}

} // namespace

Result<QJsonObject> fromProtobuf(const QString &resource, const QByteArray &body)
{
    const Error bad = apimachinery::statusError(
        400, QStringLiteral("the body of the request could not be decoded as a protobuf %1")
                 .arg(resource));
    // The envelope: "k8s\0", then runtime.Unknown{typeMeta = 1, raw = 2, ...}.
    if (!body.startsWith(QByteArray("k8s\0", 4)))
        return bad;
    const auto envelope = protoFields(body.mid(4));
    if (!envelope)
        return bad;
    const auto typeMeta = protoFields(envelope->value(1));
    const auto object = protoFields(envelope->value(2));
    if (!typeMeta || !object)
        return bad;
    QJsonObject out = protoStrings(*typeMeta, {{1, "apiVersion"}, {2, "kind"}});
    // Every review: metadata = 1, spec = 2 (SelfSubjectReview has no spec).
    if (resource == u"selfsubjectreviews" || !object->contains(2))
        return out;
    const auto spec = protoFields(object->value(2));
    if (!spec)
        return bad;
    QJsonObject specJson;
    if (resource == u"selfsubjectrulesreviews") {
        specJson = protoStrings(*spec, {{1, "namespace"}});
    } else {
        if (spec->contains(1)) {
            const auto attributes = protoFields(spec->value(1));
            if (!attributes)
                return bad;
            specJson.insert(QStringLiteral("resourceAttributes"),
                            protoStrings(*attributes, {{1, "namespace"},
                                                       {2, "verb"},
                                                       {3, "group"},
                                                       {4, "version"},
                                                       {5, "resource"},
                                                       {6, "subresource"},
                                                       {7, "name"}}));
        }
        if (spec->contains(2)) {
            const auto attributes = protoFields(spec->value(2));
            if (!attributes)
                return bad;
            specJson.insert(QStringLiteral("nonResourceAttributes"),
                            protoStrings(*attributes, {{1, "path"}, {2, "verb"}}));
        }
    }
    out.insert(QStringLiteral("spec"), specJson);
    return out;
}

QStringList groupVersions()
{
    return {QString(QLatin1StringView(kAuthentication) + QStringLiteral("/v1")),
            QString(QLatin1StringView(kAuthorization) + QStringLiteral("/v1"))};
}

bool serves(const QString &group, const QString &version, const QString &resource)
{
    if (version != u"v1")
        return false;
    for (const Kind &k : kKinds) {
        if (group == QLatin1StringView(k.group) && resource == QLatin1StringView(k.plural))
            return true;
    }
    return false;
}

QJsonArray discoveryResources(const QString &groupVersion)
{
    QJsonArray out;
    for (const Kind &k : kKinds) {
        if (groupVersion != QString(QLatin1StringView(k.group) + QStringLiteral("/v1")))
            continue;
        out.append(QJsonObject{{QStringLiteral("name"), QLatin1StringView(k.plural)},
                               {QStringLiteral("singularName"), QLatin1StringView(k.singular)},
                               {QStringLiteral("namespaced"), false},
                               {QStringLiteral("kind"), QLatin1StringView(k.kind)},
                               {QStringLiteral("verbs"), QJsonArray{QStringLiteral("create")}}});
    }
    return out;
}

Result<QJsonObject> answer(const Identity &identity, const QString &group, const QString &resource,
                           const QJsonObject &body)
{
    const Kind *kind = nullptr;
    for (const Kind &k : kKinds) {
        if (group == QLatin1StringView(k.group) && resource == QLatin1StringView(k.plural))
            kind = &k;
    }
    if (!kind) {
        return apimachinery::statusError(
            404, QStringLiteral("the server could not find the requested resource"));
    }
    if (resource == u"selfsubjectaccessreviews")
        return accessReview(identity, *kind, body);
    if (resource == u"selfsubjectrulesreviews")
        return echo(body, *kind, Authorizer::rules(identity));
    // SelfSubjectReview: who the authenticators said the caller is.
    const QJsonObject userInfo{
        {QStringLiteral("username"), identity.user},
        {QStringLiteral("groups"), QJsonArray::fromStringList(identity.groups)}};
    return echo(body, *kind, QJsonObject{{QStringLiteral("userInfo"), userInfo}});
}

} // namespace rollscope::sim::Reviews
