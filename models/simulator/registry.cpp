// SPDX-License-Identifier: MIT
#include "registry.h"

#include "apimachinery/httpstatus.h"
#include "apimachinery/intstr.h"
#include "apimachinery/validation.h"
#include "clock.h"
#include "json.h"
#include "managedfields.h"
#include "selector.h"
#include "store.h"
#include "yamljson.h"

#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QUuid>

namespace rollscope::sim {

namespace {

const QString kNameAlphabet = QStringLiteral("bcdfghjklmnpqrstvwxz2456789");

bool hasStatusSubresource(const ResourceType &type)
{
    return type.subresources.contains(QStringLiteral("status"));
}

bool tracksGeneration(const ResourceType &type)
{
    return type == Resources::deployments() || type == Resources::replicaSets();
}

// Go's %#v of the values validation messages quote.
QString goValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return u'"' + value.toString() + u'"';
    case QJsonValue::Double:
        return QString::number(value.toInteger());
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Object: {
        const QJsonObject o = value.toObject();
        QStringList parts;
        for (auto it = o.begin(); it != o.end(); ++it)
            parts << u'"' + it.key() + QStringLiteral("\":\"") + it.value().toString() + u'"';
        return QStringLiteral("map[string]string{") + parts.join(u", ") + u'}';
    }
    default:
        return QStringLiteral("null");
    }
}

QString intOrStringGo(const QJsonValue &value)
{
    if (value.isString())
        return QStringLiteral("intstr.IntOrString{Type:1, IntVal:0, StrVal:\"%1\"}")
            .arg(value.toString());
    return QStringLiteral("intstr.IntOrString{Type:0, IntVal:%1, StrVal:\"\"}")
        .arg(value.toInteger());
}

ErrorCause required(const QString &field, const QString &detail = {})
{
    return {QStringLiteral("FieldValueRequired"),
            detail.isEmpty() ? QStringLiteral("Required value")
                             : QStringLiteral("Required value: ") + detail,
            field};
}

ErrorCause invalidValue(const QString &field, const QString &goValueText, const QString &detail)
{
    return {QStringLiteral("FieldValueInvalid"),
            QStringLiteral("Invalid value: ") + goValueText + QStringLiteral(": ") + detail, field};
}

ErrorCause forbidden(const QString &field, const QString &detail)
{
    return {QStringLiteral("FieldValueForbidden"), QStringLiteral("Forbidden: ") + detail, field};
}

ErrorCause notSupported(const QString &field, const QString &value, const QStringList &supported)
{
    QStringList quoted;
    for (const QString &s : supported)
        quoted << u'"' + s + u'"';
    return {QStringLiteral("FieldValueNotSupported"),
            QStringLiteral("Unsupported value: \"%1\": supported values: %2")
                .arg(value, quoted.join(QStringLiteral(", "))),
            field};
}

void validateName(const ResourceType &type, const QJsonObject &object, QList<ErrorCause> &causes)
{
    const QString name = json::name(object);
    if (name.isEmpty()) {
        causes << required(QStringLiteral("metadata.name"),
                           QStringLiteral("name or generateName is required"));
        return;
    }
    if (type == Resources::services() || type == Resources::namespaces()) {
        if (!apimachinery::isDns1035Label(name)) {
            if (type == Resources::services())
                causes << invalidValue(
                    QStringLiteral("metadata.name"), goValue(name),
                    QStringLiteral("a DNS-1035 label must consist of lower case alphanumeric "
                                   "characters or '-', start with an alphabetic character, and "
                                   "end with an alphanumeric character (e.g. 'my-name',  or "
                                   "'abc-123', regex used for validation is "
                                   "'[a-z]([-a-z0-9]*[a-z0-9])?')"));
            else if (!apimachinery::isDns1123Label(name))
                causes << invalidValue(
                    QStringLiteral("metadata.name"), goValue(name),
                    QStringLiteral("a lowercase RFC 1123 label must consist of lower case "
                                   "alphanumeric characters or '-', and must start and end with "
                                   "an alphanumeric character (e.g. 'my-name',  or '123-abc', "
                                   "regex used for validation is "
                                   "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
        }
        return;
    }
    if (type == Resources::events())
        return; // event names carry dots and hex suffixes; anything non-empty goes
    if (!apimachinery::isDns1123Subdomain(name))
        causes << invalidValue(
            QStringLiteral("metadata.name"), goValue(name),
            QStringLiteral("a lowercase RFC 1123 subdomain must consist of lower case "
                           "alphanumeric characters, '-' or '.', and must start and end with an "
                           "alphanumeric character (e.g. 'example.com', regex used for "
                           "validation is "
                           "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"));
}

void validateContainers(const QJsonArray &containers, const QString &prefix,
                        QList<ErrorCause> &causes)
{
    QStringList seen;
    for (qsizetype i = 0; i < containers.size(); ++i) {
        const QJsonObject c = containers.at(i).toObject();
        const QString at = prefix + QStringLiteral("[%1]").arg(i);
        const QString name = c.value(u"name").toString();
        if (name.isEmpty())
            causes << required(at + QStringLiteral(".name"));
        else if (!apimachinery::isDns1123Label(name))
            causes << invalidValue(at + QStringLiteral(".name"), goValue(name),
                                   QStringLiteral("a lowercase RFC 1123 label must consist of "
                                                  "lower case alphanumeric characters or '-', and "
                                                  "must start and end with an alphanumeric "
                                                  "character"));
        else if (seen.contains(name))
            causes << ErrorCause{QStringLiteral("FieldValueDuplicate"),
                                 QStringLiteral("Duplicate value: ") + goValue(name),
                                 at + QStringLiteral(".name")};
        seen << name;
        const QString image = c.value(u"image").toString();
        if (image.isEmpty())
            causes << required(at + QStringLiteral(".image"));
        else if (image.trimmed() != image)
            causes << invalidValue(at + QStringLiteral(".image"), goValue(image),
                                   QStringLiteral("must not have leading or trailing whitespace"));
        const QJsonArray ports = c.value(u"ports").toArray();
        for (qsizetype p = 0; p < ports.size(); ++p) {
            const qint64 port = ports.at(p).toObject().value(u"containerPort").toInteger();
            if (port < 1 || port > 65535)
                causes << invalidValue(at + QStringLiteral(".ports[%1].containerPort").arg(p),
                                       QString::number(port),
                                       QStringLiteral("must be between 1 and 65535, inclusive"));
        }
    }
}

void validatePodSpec(const QJsonObject &spec, const QString &prefix, bool requireAlways,
                     QList<ErrorCause> &causes)
{
    const QJsonArray containers = spec.value(u"containers").toArray();
    if (containers.isEmpty())
        causes << required(prefix + QStringLiteral(".containers"));
    validateContainers(containers, prefix + QStringLiteral(".containers"), causes);
    validateContainers(spec.value(u"initContainers").toArray(),
                       prefix + QStringLiteral(".initContainers"), causes);
    const QString restartPolicy = spec.value(u"restartPolicy").toString();
    const QStringList policies{QStringLiteral("Always"), QStringLiteral("OnFailure"),
                               QStringLiteral("Never")};
    if (!policies.contains(restartPolicy))
        causes << notSupported(prefix + QStringLiteral(".restartPolicy"), restartPolicy, policies);
    else if (requireAlways && restartPolicy != u"Always")
        causes << notSupported(prefix + QStringLiteral(".restartPolicy"), restartPolicy,
                               {QStringLiteral("Always")});
    if (spec.value(u"terminationGracePeriodSeconds").toInteger() < 0)
        causes << invalidValue(
            prefix + QStringLiteral(".terminationGracePeriodSeconds"),
            QString::number(spec.value(u"terminationGracePeriodSeconds").toInteger()),
            QStringLiteral("must be greater than or equal to 0"));
}

bool isPercent(const QJsonValue &v)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]+%$"));
    return v.isString() && re.match(v.toString()).hasMatch();
}

void validateIntOrPercent(const QJsonValue &v, const QString &field, QList<ErrorCause> &causes)
{
    if (v.isDouble()) {
        if (v.toInteger() < 0)
            causes << invalidValue(field, QString::number(v.toInteger()),
                                   QStringLiteral("must be greater than or equal to 0"));
        return;
    }
    if (!isPercent(v)) {
        causes << invalidValue(field, goValue(v),
                               QStringLiteral("a valid percent string must be a numeric string "
                                              "followed by an ending '%' (e.g. '1%',  or '93%', "
                                              "regex used for validation is '[0-9]+%')"));
    }
}

void validateTemplateAndSelector(const QJsonObject &spec, QList<ErrorCause> &causes)
{
    const QJsonValue selectorValue = spec.value(u"selector");
    const QJsonObject templ = spec.value(u"template").toObject();
    const QJsonObject templateLabels = json::labels(templ);
    if (!selectorValue.isObject()) {
        causes << required(QStringLiteral("spec.selector"));
    } else {
        const QJsonObject selectorObject = selectorValue.toObject();
        const auto selector = LabelSelector::fromObject(selectorObject);
        if (!selector) {
            causes << invalidValue(QStringLiteral("spec.selector"), goValue(selectorObject),
                                   selector.error().message);
        } else if (selector->isEmpty()) {
            causes << invalidValue(QStringLiteral("spec.selector"),
                                   QStringLiteral("v1.LabelSelector{MatchLabels:map[string]string"
                                                  "(nil), MatchExpressions:[]v1."
                                                  "LabelSelectorRequirement(nil)}"),
                                   QStringLiteral("empty selector is invalid for deployment"));
        } else if (!selector->matches(templateLabels)) {
            causes << invalidValue(QStringLiteral("spec.template.metadata.labels"),
                                   goValue(templateLabels),
                                   QStringLiteral("`selector` does not match template `labels`"));
        }
    }
    validatePodSpec(templ.value(u"spec").toObject(), QStringLiteral("spec.template.spec"), true,
                    causes);
}

// The spec fields a Deployment and a ReplicaSet validate alike.
void validateReplicasAndTemplate(const QJsonObject &spec, QList<ErrorCause> &causes)
{
    if (spec.value(u"replicas").toInteger() < 0)
        causes << invalidValue(QStringLiteral("spec.replicas"),
                               QString::number(spec.value(u"replicas").toInteger()),
                               QStringLiteral("must be greater than or equal to 0"));
    validateTemplateAndSelector(spec, causes);
}

void validateDeployment(const QJsonObject &d, const std::optional<QJsonObject> &old,
                        QList<ErrorCause> &causes)
{
    const QJsonObject spec = d.value(u"spec").toObject();
    validateReplicasAndTemplate(spec, causes);

    const QJsonObject strategy = spec.value(u"strategy").toObject();
    const QString type = strategy.value(u"type").toString();
    const QStringList types{QStringLiteral("Recreate"), QStringLiteral("RollingUpdate")};
    if (!types.contains(type)) {
        causes << notSupported(QStringLiteral("spec.strategy.type"), type, types);
    } else if (type == u"Recreate") {
        if (strategy.contains(u"rollingUpdate"))
            causes << forbidden(QStringLiteral("spec.strategy.rollingUpdate"),
                                QStringLiteral("may not be specified when strategy `type` is "
                                               "'Recreate'"));
    } else {
        const QJsonObject ru = strategy.value(u"rollingUpdate").toObject();
        const QJsonValue surge = ru.value(u"maxSurge");
        const QJsonValue unavailable = ru.value(u"maxUnavailable");
        const int before = int(causes.size());
        validateIntOrPercent(surge, QStringLiteral("spec.strategy.rollingUpdate.maxSurge"), causes);
        validateIntOrPercent(unavailable,
                             QStringLiteral("spec.strategy.rollingUpdate.maxUnavailable"), causes);
        if (causes.size() == before) {
            const bool surgeZero = surge.isDouble() ? surge.toInteger() == 0
                                                    : surge.toString().chopped(1).toInt() == 0;
            const bool unavailableZero = unavailable.isDouble()
                                             ? unavailable.toInteger() == 0
                                             : unavailable.toString().chopped(1).toInt() == 0;
            if (surgeZero && unavailableZero)
                causes << invalidValue(QStringLiteral("spec.strategy.rollingUpdate.maxUnavailable"),
                                       intOrStringGo(unavailable),
                                       QStringLiteral("may not be 0 when `maxSurge` is 0"));
            if (unavailable.isString() && unavailable.toString().chopped(1).toInt() > 100)
                causes << invalidValue(QStringLiteral("spec.strategy.rollingUpdate.maxUnavailable"),
                                       goValue(unavailable),
                                       QStringLiteral("must not be greater than 100%"));
        }
    }
    const qint64 minReady = spec.value(u"minReadySeconds").toInteger();
    if (minReady < 0)
        causes << invalidValue(QStringLiteral("spec.minReadySeconds"), QString::number(minReady),
                               QStringLiteral("must be greater than or equal to 0"));
    if (spec.contains(u"progressDeadlineSeconds")) {
        const qint64 deadline = spec.value(u"progressDeadlineSeconds").toInteger();
        if (deadline <= minReady)
            causes << invalidValue(QStringLiteral("spec.progressDeadlineSeconds"),
                                   QString::number(deadline),
                                   QStringLiteral("must be greater than minReadySeconds"));
    }
    if (spec.value(u"revisionHistoryLimit").toInteger() < 0)
        causes << invalidValue(QStringLiteral("spec.revisionHistoryLimit"),
                               QString::number(spec.value(u"revisionHistoryLimit").toInteger()),
                               QStringLiteral("must be greater than or equal to 0"));
    if (old) {
        const QJsonValue oldSelector = json::get(*old, {u"spec", u"selector"});
        if (oldSelector != spec.value(u"selector"))
            causes << invalidValue(QStringLiteral("spec.selector"),
                                   QStringLiteral("v1.LabelSelector{...}"),
                                   QStringLiteral("field is immutable"));
    }
}

void validateReplicaSet(const QJsonObject &rs, QList<ErrorCause> &causes)
{
    validateReplicasAndTemplate(rs.value(u"spec").toObject(), causes);
}

void validateService(const QJsonObject &svc, QList<ErrorCause> &causes)
{
    const QJsonObject spec = svc.value(u"spec").toObject();
    const QString type = spec.value(u"type").toString();
    const QStringList types{QStringLiteral("ClusterIP"), QStringLiteral("ExternalName"),
                            QStringLiteral("LoadBalancer"), QStringLiteral("NodePort")};
    if (!types.contains(type))
        causes << notSupported(QStringLiteral("spec.type"), type, types);
    const QJsonArray ports = spec.value(u"ports").toArray();
    if (ports.isEmpty() && type != u"ExternalName" &&
        spec.value(u"clusterIP").toString() != u"None")
        causes << required(QStringLiteral("spec.ports"));
    QStringList names;
    for (qsizetype i = 0; i < ports.size(); ++i) {
        const QJsonObject p = ports.at(i).toObject();
        const QString at = QStringLiteral("spec.ports[%1]").arg(i);
        const qint64 port = p.value(u"port").toInteger();
        if (port < 1 || port > 65535)
            causes << invalidValue(at + QStringLiteral(".port"), QString::number(port),
                                   QStringLiteral("must be between 1 and 65535, inclusive"));
        const QString name = p.value(u"name").toString();
        if (ports.size() > 1 && name.isEmpty())
            causes << required(at + QStringLiteral(".name"));
        else if (!name.isEmpty() && names.contains(name))
            causes << ErrorCause{QStringLiteral("FieldValueDuplicate"),
                                 QStringLiteral("Duplicate value: ") + goValue(name),
                                 at + QStringLiteral(".name")};
        names << name;
        const QString protocol = p.value(u"protocol").toString();
        const QStringList protocols{QStringLiteral("SCTP"), QStringLiteral("TCP"),
                                    QStringLiteral("UDP")};
        if (!protocols.contains(protocol))
            causes << notSupported(at + QStringLiteral(".protocol"), protocol, protocols);
        if (p.contains(u"nodePort") && type != u"NodePort" && type != u"LoadBalancer")
            causes << forbidden(at + QStringLiteral(".nodePort"),
                                QStringLiteral("may not be used when `type` is '%1'").arg(type));
    }
}

// ValidateAnnotations: keys and values together, in bytes.
constexpr qint64 kTotalAnnotationSizeLimit = 256 * 1024;

void validateAnnotations(const QJsonObject &object, QList<ErrorCause> &causes)
{
    const QJsonObject annotations = json::object(object, {u"metadata", u"annotations"});
    qint64 total = 0;
    for (auto it = annotations.begin(); it != annotations.end(); ++it)
        total += it.key().toUtf8().size() + it.value().toString().toUtf8().size();
    if (total > kTotalAnnotationSizeLimit)
        causes << ErrorCause{
            QStringLiteral("FieldValueTooLong"),
            QStringLiteral("Too long: must have at most %1 bytes").arg(kTotalAnnotationSizeLimit),
            QStringLiteral("metadata.annotations")};
}

// Who a write records in metadata.managedFields: the client's field manager, or for the
// simulator's own controllers the component a real cluster records.
managedfields::Writer ownershipWriter(const ResourceType &type, const WriteOptions &options,
                                      Subresource sub, const SimClock *clock)
{
    managedfields::Writer writer;
    if (options.fieldValidation)
        writer.manager = options.fieldManager;
    else if (sub == Subresource::Status && type == Resources::pods())
        writer.manager = QStringLiteral("kubelet");
    else
        writer.manager = QStringLiteral("kube-controller-manager");
    writer.apiVersion = type.apiVersion();
    writer.time = [clock] { return clock->timestamp(clock->nowMs()); };
    switch (sub) {
    case Subresource::Status:
        writer.subresource = QStringLiteral("status");
        writer.scope = managedfields::Scope::Status;
        break;
    case Subresource::Scale:
        writer.subresource = QStringLiteral("scale");
        writer.scope = managedfields::Scope::MainResource;
        break;
    case Subresource::None:
        writer.scope = hasStatusSubresource(type) ? managedfields::Scope::MainResource
                                                  : managedfields::Scope::Whole;
        break;
    }
    return writer;
}

} // namespace

std::optional<QString> Registry::decodeProblem(const ResourceType &type, const QJsonObject &object,
                                               Subresource sub)
{
    QJsonObject copy = object;
    return Schema::decode(type, copy, sub == Subresource::Scale).typeError;
}

namespace {

// A patched object its typed form cannot hold: 422 on the `patch` field, as the API server's
// patcher answers after decoding the patched JSON (a create or update body is 400 instead).
std::optional<Error> patchDecodeError(const ResourceType &type, const QJsonObject &patched,
                                      Subresource sub)
{
    const auto problem = Registry::decodeProblem(type, patched, sub);
    if (!problem)
        return std::nullopt;
    const QString value =
        QString::fromUtf8(QJsonDocument(QJsonArray{QString::fromUtf8(json::compact(patched))})
                              .toJson(QJsonDocument::Compact));
    const QString detail =
        QStringLiteral("Invalid value: %1: %2").arg(value.mid(1, value.size() - 2), *problem);
    Error e = apimachinery::statusError(422, QStringLiteral(" \"\" is invalid: patch: ") + detail);
    e.causes = {ErrorCause{QStringLiteral("FieldValueInvalid"), detail, QStringLiteral("patch")}};
    return e;
}

// Fields of a patched object its typed form does not have: dropped, and a warning or a 400 as
// `fieldValidation` asks (the patcher's strict decoding, worded without the "cannot be handled"
// prefix a create or update body gets).
std::optional<Error> unknownFieldProblem(const ResourceType &type, QJsonObject &patched,
                                         Subresource sub, const WriteOptions &options)
{
    if (!options.fieldValidation)
        return std::nullopt;
    const Schema::Decoded decoded = Schema::decode(type, patched, sub == Subresource::Scale);
    if (decoded.unknownFields.isEmpty())
        return std::nullopt;
    if (*options.fieldValidation == Schema::FieldValidation::Strict)
        return apimachinery::statusError(400, Schema::strictDecodingError(decoded.unknownFields));
    if (*options.fieldValidation == Schema::FieldValidation::Warn && options.warnings) {
        for (const QString &field : decoded.unknownFields)
            *options.warnings << QStringLiteral("unknown field \"%1\"").arg(field);
    }
    return std::nullopt;
}

// Server-side apply types the patch itself (structured-merge-diff) before anything else: a
// field the schema does not declare fails the request whatever fieldValidation says, as a 500
// from the field manager.
std::optional<Error> applyUnknownFields(const ResourceType &type, const QJsonObject &patch,
                                        const QString &ns, const QString &name,
                                        Subresource sub = Subresource::None)
{
    QJsonObject copy = patch;
    const Schema::Decoded decoded = Schema::decode(type, copy, sub == Subresource::Scale);
    if (decoded.unknownFields.isEmpty())
        return std::nullopt;
    const QString kind = sub == Subresource::Scale ? QStringLiteral("Scale") : type.kind;
    QStringList problems;
    for (const QString &field : decoded.unknownFields)
        problems << u'.' + field + QStringLiteral(": field not declared in schema");
    return apimachinery::statusError(
        500, QStringLiteral("failed to create typed patch object (%1%2; %3, Kind=%4): %5")
                 .arg(ns.isEmpty() ? QString() : ns + u'/', name,
                      type.group.isEmpty() ? u'/' + type.version : type.groupVersion(), kind,
                      problems.size() == 1
                          ? problems.first()
                          : QStringLiteral("errors:\n  ") + problems.join(QStringLiteral("\n  "))));
}

} // namespace

int scaledValue(const QJsonValue &v, int total, bool roundUp, bool *ok)
{
    // The client's IntOrString scaling, so the simulator rounds maxSurge as the client predicts.
    const std::optional<int> scaled =
        apimachinery::IntOrString::fromJson(v).scaledValue(total, roundUp);
    if (ok)
        *ok = scaled.has_value();
    return scaled.value_or(0);
}

Registry::Registry(Store *store, SimClock *clock, QRandomGenerator *random)
    : m_store(store)
    , m_clock(clock)
    , m_random(random)
{}

Error Registry::notFound(const ResourceType &type, const QString &name)
{
    return apimachinery::statusError(
        404, QStringLiteral("%1 \"%2\" not found").arg(type.qualifiedPlural(), name));
}

Error Registry::invalid(const ResourceType &type, const QString &name,
                        const QList<ErrorCause> &causes)
{
    QStringList parts;
    for (const ErrorCause &c : causes)
        parts << c.field + QStringLiteral(": ") + c.message;
    const QString kind = type.group.isEmpty() ? type.kind : type.kind + u'.' + type.group;
    const QString detail = parts.size() == 1 ? parts.first() : u'[' + parts.join(u", ") + u']';
    Error e = apimachinery::statusError(
        422, QStringLiteral("%1 \"%2\" is invalid: %3").arg(kind, name, detail));
    e.causes = causes;
    return e;
}

QString Registry::randomString(int length)
{
    return randomString(*m_random, length);
}

QString Registry::randomString(QRandomGenerator &random, int length)
{
    QString s;
    s.reserve(length);
    for (int i = 0; i < length; ++i)
        s += kNameAlphabet.at(int(random.bounded(quint32(kNameAlphabet.size()))));
    return s;
}

QString Registry::generateName(const ResourceType &type, const QString &ns, const QString &prefix)
{
    for (int attempt = 0; attempt < 64; ++attempt) {
        const QString candidate = prefix + randomString(5);
        if (!m_store->get(type, ns, candidate))
            return candidate;
    }
    return prefix + randomString(10);
}

void Registry::setNodePortRange(int first, int last)
{
    m_nodePortFirst = first;
    m_nodePortLast = last;
}

bool Registry::isNodePortAllocated(int port) const
{
    bool taken = false;
    m_store->forEach(Resources::services(), {}, [&](const QJsonObject &svc) {
        for (const QJsonValue &p : json::array(svc, {u"spec", u"ports"})) {
            if (p.toObject().value(u"nodePort").toInteger() == port) {
                taken = true;
                return false;
            }
        }
        return true;
    });
    return taken;
}

Error Registry::namespaceProblem(const ResourceType &type, const QString &ns) const
{
    if (!type.namespaced)
        return {};
    const auto nsObject = m_store->get(Resources::namespaces(), {}, ns);
    if (!nsObject)
        return apimachinery::statusError(404,
                                         QStringLiteral("namespaces \"%1\" not found").arg(ns));
    if (json::isBeingDeleted(*nsObject))
        return apimachinery::statusError(
            403, QStringLiteral("%1 is forbidden: unable to create new content in "
                                "namespace %2 because it is being terminated")
                     .arg(type.qualifiedPlural(), ns));
    return {};
}

Result<QJsonObject> Registry::get(const ResourceType &type, const QString &ns, const QString &name,
                                  Subresource sub) const
{
    const auto object = m_store->get(type, ns, name);
    if (!object)
        return notFound(type, name);
    if (sub == Subresource::Scale)
        return toScale(type, *object);
    return *object;
}

// --- defaulting -------------------------------------------------------------------------------

namespace {

void defaultProbe(QJsonObject &probe)
{
    if (probe.isEmpty())
        return;
    if (!probe.contains(u"timeoutSeconds"))
        probe.insert(QStringLiteral("timeoutSeconds"), 1);
    if (!probe.contains(u"periodSeconds"))
        probe.insert(QStringLiteral("periodSeconds"), 10);
    if (!probe.contains(u"successThreshold"))
        probe.insert(QStringLiteral("successThreshold"), 1);
    if (!probe.contains(u"failureThreshold"))
        probe.insert(QStringLiteral("failureThreshold"), 3);
    if (probe.contains(u"httpGet")) {
        QJsonObject http = probe.value(u"httpGet").toObject();
        if (!http.contains(u"scheme"))
            http.insert(QStringLiteral("scheme"), QStringLiteral("HTTP"));
        if (!http.contains(u"path"))
            http.insert(QStringLiteral("path"), QStringLiteral("/"));
        probe.insert(QStringLiteral("httpGet"), http);
    }
}

QJsonArray defaultContainers(QJsonArray containers)
{
    for (qsizetype i = 0; i < containers.size(); ++i) {
        QJsonObject c = containers.at(i).toObject();
        if (!c.contains(u"terminationMessagePath"))
            c.insert(QStringLiteral("terminationMessagePath"),
                     QStringLiteral("/dev/termination-log"));
        if (!c.contains(u"terminationMessagePolicy"))
            c.insert(QStringLiteral("terminationMessagePolicy"), QStringLiteral("File"));
        if (!c.contains(u"imagePullPolicy")) {
            // Always for :latest or no tag, IfNotPresent otherwise (k8s.io/api defaults).
            const QString image = c.value(u"image").toString();
            const QString last = image.section(u'/', -1);
            const bool latest = !last.contains(u':') || last.endsWith(QStringLiteral(":latest"));
            c.insert(QStringLiteral("imagePullPolicy"), latest && !image.contains(u'@')
                                                            ? QStringLiteral("Always")
                                                            : QStringLiteral("IfNotPresent"));
        }
        if (!c.contains(u"resources"))
            c.insert(QStringLiteral("resources"), QJsonObject());
        QJsonArray ports = c.value(u"ports").toArray();
        for (qsizetype p = 0; p < ports.size(); ++p) {
            QJsonObject port = ports.at(p).toObject();
            if (!port.contains(u"protocol"))
                port.insert(QStringLiteral("protocol"), QStringLiteral("TCP"));
            ports.replace(p, port);
        }
        if (!ports.isEmpty())
            c.insert(QStringLiteral("ports"), ports);
        for (const char *probeName : {"readinessProbe", "livenessProbe", "startupProbe"}) {
            const QString key = QLatin1StringView(probeName);
            if (c.contains(key)) {
                QJsonObject probe = c.value(key).toObject();
                defaultProbe(probe);
                c.insert(key, probe);
            }
        }
        containers.replace(i, c);
    }
    return containers;
}

void defaultPodSpec(QJsonObject &spec)
{
    if (!spec.contains(u"restartPolicy"))
        spec.insert(QStringLiteral("restartPolicy"), QStringLiteral("Always"));
    if (!spec.contains(u"terminationGracePeriodSeconds"))
        spec.insert(QStringLiteral("terminationGracePeriodSeconds"), 30);
    if (!spec.contains(u"dnsPolicy"))
        spec.insert(QStringLiteral("dnsPolicy"), QStringLiteral("ClusterFirst"));
    if (!spec.contains(u"securityContext"))
        spec.insert(QStringLiteral("securityContext"), QJsonObject());
    if (!spec.contains(u"schedulerName"))
        spec.insert(QStringLiteral("schedulerName"), QStringLiteral("default-scheduler"));
    spec.insert(QStringLiteral("containers"),
                defaultContainers(spec.value(u"containers").toArray()));
    if (spec.contains(u"initContainers"))
        spec.insert(QStringLiteral("initContainers"),
                    defaultContainers(spec.value(u"initContainers").toArray()));
}

void defaultTemplate(QJsonObject &workload)
{
    QJsonObject templ = json::object(workload, {u"spec", u"template"});
    QJsonObject podSpec = templ.value(u"spec").toObject();
    defaultPodSpec(podSpec);
    templ.insert(QStringLiteral("spec"), podSpec);
    json::set(workload, {u"spec", u"template"}, templ);
}

constexpr QStringView kServiceAccountMountPath = u"/var/run/secrets/kubernetes.io/serviceaccount";

// The ServiceAccount admission plugin, for a new pod whose token is automounted: a projected
// volume "kube-api-access-xxxxx" (a bound token, the cluster CA, the namespace) mounted read-only
// in every container that has nothing mounted at the service-account path yet.
void mountServiceAccountToken(QJsonObject &spec, const QString &volumeName)
{
    if (spec.value(u"automountServiceAccountToken").toBool(true) == false)
        return;
    auto mountsToken = [](const QJsonValue &container) {
        const QJsonArray mounts = container.toObject().value(u"volumeMounts").toArray();
        return std::any_of(mounts.cbegin(), mounts.cend(), [](const QJsonValue &m) {
            return m.toObject().value(u"mountPath").toString() == kServiceAccountMountPath;
        });
    };
    const QJsonObject mount{{QStringLiteral("name"), volumeName},
                            {QStringLiteral("readOnly"), true},
                            {QStringLiteral("mountPath"), kServiceAccountMountPath.toString()}};
    bool added = false;
    for (const char *list : {"initContainers", "containers"}) {
        const QString key = QLatin1StringView(list);
        if (!spec.contains(key))
            continue;
        QJsonArray containers = spec.value(key).toArray();
        for (qsizetype i = 0; i < containers.size(); ++i) {
            if (mountsToken(containers.at(i)))
                continue;
            QJsonObject c = containers.at(i).toObject();
            QJsonArray mounts = c.value(u"volumeMounts").toArray();
            mounts.append(mount);
            c.insert(QStringLiteral("volumeMounts"), mounts);
            containers.replace(i, c);
            added = true;
        }
        spec.insert(key, containers);
    }
    if (!added)
        return;
    const auto item = [](const char *key, const QJsonValue &value, const char *path) {
        return QJsonObject{{QLatin1StringView(key), value},
                           {QStringLiteral("path"), QLatin1StringView(path)}};
    };
    // The same for every pod: made once, and shared by the pods' specs.
    static const QJsonArray sources{
        QJsonObject{{QStringLiteral("serviceAccountToken"),
                     QJsonObject{{QStringLiteral("expirationSeconds"), 3607},
                                 {QStringLiteral("path"), QStringLiteral("token")}}}},
        QJsonObject{{QStringLiteral("configMap"),
                     QJsonObject{{QStringLiteral("name"), QStringLiteral("kube-root-ca.crt")},
                                 {QStringLiteral("items"),
                                  QJsonArray{item("key", QStringLiteral("ca.crt"), "ca.crt")}}}}},
        QJsonObject{
            {QStringLiteral("downwardAPI"),
             QJsonObject{
                 {QStringLiteral("items"),
                  QJsonArray{item("fieldRef",
                                  QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                              {QStringLiteral("fieldPath"),
                                               QStringLiteral("metadata.namespace")}},
                                  "namespace")}}}}}};
    QJsonArray volumes = spec.value(u"volumes").toArray();
    volumes.append(QJsonObject{
        {QStringLiteral("name"), volumeName},
        {QStringLiteral("projected"),
         QJsonObject{{QStringLiteral("sources"), sources}, {QStringLiteral("defaultMode"), 420}}}});
    spec.insert(QStringLiteral("volumes"), volumes);
}

// The DefaultTolerationSeconds admission plugin: a new pod tolerates a not-ready or unreachable
// node for 300 s unless it says otherwise.
void addDefaultTolerations(QJsonObject &spec)
{
    QJsonArray tolerations = spec.value(u"tolerations").toArray();
    for (const char *key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
        const QString taint = QLatin1StringView(key);
        const bool tolerated =
            std::any_of(tolerations.cbegin(), tolerations.cend(), [&](const QJsonValue &t) {
                const QJsonObject o = t.toObject();
                const QString effect = o.value(u"effect").toString();
                return (o.value(u"key").toString() == taint ||
                        (o.value(u"key").toString().isEmpty() &&
                         o.value(u"operator").toString() == u"Exists")) &&
                       (effect.isEmpty() || effect == u"NoExecute");
            });
        if (tolerated)
            continue;
        tolerations.append(QJsonObject{{QStringLiteral("key"), taint},
                                       {QStringLiteral("operator"), QStringLiteral("Exists")},
                                       {QStringLiteral("effect"), QStringLiteral("NoExecute")},
                                       {QStringLiteral("tolerationSeconds"), 300}});
    }
    spec.insert(QStringLiteral("tolerations"), tolerations);
}

} // namespace

void Registry::applyDefaults(const ResourceType &type, QJsonObject &object,
                             const std::optional<QJsonObject> &old)
{
    if (type == Resources::deployments()) {
        QJsonObject spec = object.value(u"spec").toObject();
        if (!spec.value(u"replicas").isDouble()) // absent or null (a nil *int32)
            spec.insert(QStringLiteral("replicas"), 1);
        QJsonObject strategy = spec.value(u"strategy").toObject();
        if (strategy.value(u"type").toString().isEmpty())
            strategy.insert(QStringLiteral("type"), QStringLiteral("RollingUpdate"));
        if (strategy.value(u"type").toString() == u"RollingUpdate") {
            QJsonObject ru = strategy.value(u"rollingUpdate").toObject();
            if (!ru.contains(u"maxUnavailable"))
                ru.insert(QStringLiteral("maxUnavailable"), QStringLiteral("25%"));
            if (!ru.contains(u"maxSurge"))
                ru.insert(QStringLiteral("maxSurge"), QStringLiteral("25%"));
            strategy.insert(QStringLiteral("rollingUpdate"), ru);
        }
        spec.insert(QStringLiteral("strategy"), strategy);
        if (!spec.contains(u"revisionHistoryLimit"))
            spec.insert(QStringLiteral("revisionHistoryLimit"), 10);
        if (!spec.contains(u"progressDeadlineSeconds"))
            spec.insert(QStringLiteral("progressDeadlineSeconds"), 600);
        object.insert(QStringLiteral("spec"), spec);
        defaultTemplate(object);
    } else if (type == Resources::replicaSets()) {
        if (!json::get(object, {u"spec", u"replicas"}).isDouble())
            json::set(object, {u"spec", u"replicas"}, 1);
        defaultTemplate(object);
    } else if (type == Resources::pods()) {
        QJsonObject spec = object.value(u"spec").toObject();
        defaultPodSpec(spec);
        if (!spec.contains(u"serviceAccountName"))
            spec.insert(QStringLiteral("serviceAccountName"), QStringLiteral("default"));
        if (!spec.contains(u"serviceAccount"))
            spec.insert(QStringLiteral("serviceAccount"), spec.value(u"serviceAccountName"));
        if (!spec.contains(u"enableServiceLinks"))
            spec.insert(QStringLiteral("enableServiceLinks"), true);
        if (!spec.contains(u"preemptionPolicy"))
            spec.insert(QStringLiteral("preemptionPolicy"), QStringLiteral("PreemptLowerPriority"));
        if (!spec.contains(u"priority"))
            spec.insert(QStringLiteral("priority"), 0);
        if (!old) { // admission, on create only
            mountServiceAccountToken(spec, QStringLiteral("kube-api-access-") + randomString(5));
            addDefaultTolerations(spec);
        }
        object.insert(QStringLiteral("spec"), spec);
        if (!old) {
            QJsonObject status;
            status.insert(QStringLiteral("phase"), QStringLiteral("Pending"));
            status.insert(QStringLiteral("qosClass"), QStringLiteral("BestEffort"));
            object.insert(QStringLiteral("status"), status);
        }
    } else if (type == Resources::services()) {
        QJsonObject spec = object.value(u"spec").toObject();
        if (spec.value(u"type").toString().isEmpty())
            spec.insert(QStringLiteral("type"), QStringLiteral("ClusterIP"));
        if (!spec.contains(u"sessionAffinity"))
            spec.insert(QStringLiteral("sessionAffinity"), QStringLiteral("None"));
        if (!spec.contains(u"internalTrafficPolicy"))
            spec.insert(QStringLiteral("internalTrafficPolicy"), QStringLiteral("Cluster"));
        const QString svcType = spec.value(u"type").toString();
        if ((svcType == u"NodePort" || svcType == u"LoadBalancer") &&
            !spec.contains(u"externalTrafficPolicy"))
            spec.insert(QStringLiteral("externalTrafficPolicy"), QStringLiteral("Cluster"));
        if (svcType == u"LoadBalancer" && !spec.contains(u"allocateLoadBalancerNodePorts"))
            spec.insert(QStringLiteral("allocateLoadBalancerNodePorts"), true);
        QJsonArray ports = spec.value(u"ports").toArray();
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (!p.contains(u"protocol"))
                p.insert(QStringLiteral("protocol"), QStringLiteral("TCP"));
            if (!p.contains(u"targetPort"))
                p.insert(QStringLiteral("targetPort"), p.value(u"port"));
            ports.replace(i, p);
        }
        spec.insert(QStringLiteral("ports"), ports);
        object.insert(QStringLiteral("spec"), spec);
        if (!json::has(object, {u"status"}))
            object.insert(QStringLiteral("status"),
                          QJsonObject{{QStringLiteral("loadBalancer"), QJsonObject()}});
    } else if (type == Resources::namespaces()) {
        json::set(object,
                  QStringList{QStringLiteral("metadata"), QStringLiteral("labels"),
                              QStringLiteral("kubernetes.io/metadata.name")},
                  json::name(object));
        if (!json::has(object, {u"spec", u"finalizers"}))
            json::set(object, {u"spec", u"finalizers"}, QJsonArray{QStringLiteral("kubernetes")});
        if (!json::has(object, {u"status", u"phase"}))
            json::set(object, {u"status", u"phase"}, QStringLiteral("Active"));
    }
}

void Registry::allocateServiceAddresses(QJsonObject &service, const std::optional<QJsonObject> &old)
{
    QJsonObject spec = service.value(u"spec").toObject();
    const QString type = spec.value(u"type").toString();
    if (old && json::has(*old, {u"spec", u"clusterIP"}) && !spec.contains(u"clusterIP"))
        spec.insert(QStringLiteral("clusterIP"), json::get(*old, {u"spec", u"clusterIP"}));
    if (type != u"ExternalName" && spec.value(u"clusterIP").toString().isEmpty()) {
        // 10.96.0.0/12, skipping .0.1 (the kubernetes Service in real clusters).
        const quint32 offset = 2 + (m_nextClusterIp++ * 37 + 11) % 65000;
        const QString ip = QStringLiteral("10.96.%1.%2").arg(offset / 250).arg(offset % 250 + 1);
        spec.insert(QStringLiteral("clusterIP"), ip);
    }
    if (spec.contains(u"clusterIP")) {
        spec.insert(QStringLiteral("clusterIPs"), QJsonArray{spec.value(u"clusterIP")});
        if (spec.value(u"clusterIP").toString() != u"None") {
            spec.insert(QStringLiteral("ipFamilies"), QJsonArray{QStringLiteral("IPv4")});
            spec.insert(QStringLiteral("ipFamilyPolicy"), QStringLiteral("SingleStack"));
        }
    }
    if (type == u"NodePort" || type == u"LoadBalancer") {
        QJsonArray ports = spec.value(u"ports").toArray();
        const QJsonArray oldPorts = old ? json::array(*old, {u"spec", u"ports"}) : QJsonArray();
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (!p.contains(u"nodePort")) {
                // Keep the port an update did not mention.
                for (const QJsonValue &op : oldPorts) {
                    if (op.toObject().value(u"port") == p.value(u"port") &&
                        op.toObject().contains(u"nodePort"))
                        p.insert(QStringLiteral("nodePort"), op.toObject().value(u"nodePort"));
                }
            }
            if (!p.contains(u"nodePort")) {
                const int span = m_nodePortLast - m_nodePortFirst + 1;
                int chosen = 0;
                for (int attempt = 0; attempt < 200 && chosen == 0; ++attempt) {
                    const int candidate = m_nodePortFirst + int(m_random->bounded(span));
                    if (isNodePortAllocated(candidate))
                        continue;
                    if (m_nodePortProbe && !m_nodePortProbe(candidate))
                        continue;
                    chosen = candidate;
                }
                if (chosen != 0)
                    p.insert(QStringLiteral("nodePort"), chosen);
            }
            ports.replace(i, p);
        }
        spec.insert(QStringLiteral("ports"), ports);
    }
    service.insert(QStringLiteral("spec"), spec);
}

QList<ErrorCause> Registry::validate(const ResourceType &type, const QJsonObject &object,
                                     const std::optional<QJsonObject> &old) const
{
    QList<ErrorCause> causes;
    validateName(type, object, causes);
    validateAnnotations(object, causes);
    if (type == Resources::deployments())
        validateDeployment(object, old, causes);
    else if (type == Resources::replicaSets())
        validateReplicaSet(object, causes);
    else if (type == Resources::pods())
        validatePodSpec(object.value(u"spec").toObject(), QStringLiteral("spec"), false, causes);
    else if (type == Resources::services()) {
        validateService(object, causes);
        // nodePorts must be in range and unique across Services.
        const QJsonArray ports = json::array(object, {u"spec", u"ports"});
        for (qsizetype i = 0; i < ports.size(); ++i) {
            const QJsonObject p = ports.at(i).toObject();
            if (!p.contains(u"nodePort"))
                continue;
            const qint64 nodePort = p.value(u"nodePort").toInteger();
            const QString field = QStringLiteral("spec.ports[%1].nodePort").arg(i);
            if (nodePort < m_nodePortFirst || nodePort > m_nodePortLast) {
                causes << invalidValue(
                    field, QString::number(nodePort),
                    QStringLiteral("provided port is not in the valid range. The range of valid "
                                   "ports is %1-%2")
                        .arg(m_nodePortFirst)
                        .arg(m_nodePortLast));
                continue;
            }
            bool takenByOther = false;
            m_store->forEach(Resources::services(), {}, [&](const QJsonObject &svc) {
                if (json::ns(svc) == json::ns(object) && json::name(svc) == json::name(object))
                    return true;
                for (const QJsonValue &q : json::array(svc, {u"spec", u"ports"})) {
                    if (q.toObject().value(u"nodePort").toInteger() == nodePort)
                        takenByOther = true;
                }
                return !takenByOther;
            });
            if (takenByOther)
                causes << invalidValue(field, QString::number(nodePort),
                                       QStringLiteral("provided port is already allocated"));
        }
    }
    return causes;
}

// --- writes -----------------------------------------------------------------------------------

Result<QJsonObject> Registry::writeValidated(const ResourceType &type, QJsonObject object,
                                             const std::optional<QJsonObject> &old,
                                             const WriteOptions &options, bool statusWrite)
{
    // A status write keeps the stored spec and metadata, which were defaulted and validated
    // when they were written (the status strategies validate status only): skipping both keeps
    // the controllers' many status writes cheap.
    if (statusWrite && old &&
        json::get(object, {u"metadata", u"annotations"}) !=
            json::get(*old, {u"metadata", u"annotations"})) {
        QList<ErrorCause> causes;
        validateAnnotations(object, causes);
        if (!causes.isEmpty())
            return invalid(type, json::name(object), causes);
    }
    if (!statusWrite) {
        applyDefaults(type, object, old);
        if (type == Resources::services())
            allocateServiceAddresses(object, old);
        const QList<ErrorCause> causes = validate(type, object, old);
        if (!causes.isEmpty())
            return invalid(type, json::name(object), causes);
    }

    if (tracksGeneration(type) && !statusWrite) {
        if (!old) {
            json::set(object, {u"metadata", u"generation"}, 1);
        } else {
            qint64 generation = json::integer(*old, {u"metadata", u"generation"}, 1);
            const bool specChanged = object.value(u"spec") != old->value(u"spec");
            const bool annotationsChanged = type == Resources::deployments() &&
                                            json::get(object, {u"metadata", u"annotations"}) !=
                                                json::get(*old, {u"metadata", u"annotations"});
            if (specChanged || annotationsChanged)
                ++generation;
            json::set(object, {u"metadata", u"generation"}, generation);
        }
    }

    if (!options.ownershipRecorded) {
        const Subresource sub = statusWrite ? Subresource::Status : options.subresource;
        managedfields::recordUpdate(object, old ? &*old : nullptr,
                                    ownershipWriter(type, options, sub, m_clock), type.kind);
    }

    if (options.dryRun) {
        if (!old)
            json::set(object, {u"metadata", u"resourceVersion"}, QJsonValue(QJsonValue::Undefined));
        return object;
    }

    // The last finalizer of an object being deleted is gone: the object goes. Pods on a node
    // wait for their kubelet's final delete instead; namespaces for the namespace controller.
    if (old && json::isBeingDeleted(object) &&
        json::array(object, {u"metadata", u"finalizers"}).isEmpty() &&
        type != Resources::namespaces() &&
        !(type == Resources::pods() && json::has(object, {u"spec", u"nodeName"}))) {
        const auto last = m_store->erase(type, json::ns(object), json::name(object));
        return last.value_or(object);
    }
    return m_store->put(type, object);
}

Result<QJsonObject> Registry::create(const ResourceType &type, const QString &nsArgument,
                                     QJsonObject object, const WriteOptions &options)
{
    const QString ns = type.namespaced ? nsArgument : QString();
    QJsonObject metadata = object.value(u"metadata").toObject();
    if (type.namespaced) {
        const QString bodyNs = metadata.value(u"namespace").toString();
        if (!bodyNs.isEmpty() && bodyNs != ns)
            return apimachinery::statusError(
                400, QStringLiteral("the namespace of the provided object does not match "
                                    "the namespace sent on the request"));
        metadata.insert(QStringLiteral("namespace"), ns);
        const Error problem = namespaceProblem(type, ns);
        if (problem.httpStatus != 0)
            return problem;
    } else {
        metadata.remove(QStringLiteral("namespace"));
    }
    QString name = metadata.value(u"name").toString();
    if (name.isEmpty() && !metadata.value(u"generateName").toString().isEmpty()) {
        name = generateName(type, ns, metadata.value(u"generateName").toString());
        metadata.insert(QStringLiteral("name"), name);
    }
    if (!name.isEmpty() && m_store->get(type, ns, name))
        return apimachinery::statusError(
            409, QStringLiteral("%1 \"%2\" already exists").arg(type.qualifiedPlural(), name),
            QStringLiteral("AlreadyExists"));

    metadata.remove(QStringLiteral("resourceVersion"));
    metadata.remove(QStringLiteral("deletionTimestamp"));
    metadata.remove(QStringLiteral("deletionGracePeriodSeconds"));
    metadata.insert(QStringLiteral("uid"), QUuid::createUuid().toString(QUuid::WithoutBraces));
    metadata.insert(QStringLiteral("creationTimestamp"), m_clock->timestamp(m_clock->nowMs()));
    object.insert(QStringLiteral("metadata"), metadata);
    object.insert(QStringLiteral("apiVersion"), type.apiVersion());
    object.insert(QStringLiteral("kind"), type.kind);
    // A create resets status to what the strategies leave, serialized as Go's encoding/json
    // writes it: non-pointer structs are always present, and fields without omitempty too. So a
    // Deployment has `status: {}` (every field omitempty), a ReplicaSet `status: {replicas: 0}`.
    if (type == Resources::deployments())
        object.insert(QStringLiteral("status"), QJsonObject());
    if (type == Resources::replicaSets())
        object.insert(QStringLiteral("status"), QJsonObject{{QStringLiteral("replicas"), 0}});
    if (type == Resources::nodes()) {
        // Nodes keep the status they are created with (the kubelet registers that way), but
        // NodeStatus.daemonEndpoints and .nodeInfo are structs whose fields are not omitempty.
        QJsonObject status = object.value(u"status").toObject();
        if (!json::has(status, {u"daemonEndpoints", u"kubeletEndpoint", u"Port"}))
            json::set(status, {u"daemonEndpoints", u"kubeletEndpoint", u"Port"}, 0);
        QJsonObject info = status.value(u"nodeInfo").toObject();
        for (const char *field : {"machineID", "systemUUID", "bootID", "kernelVersion", "osImage",
                                  "containerRuntimeVersion", "kubeletVersion", "kubeProxyVersion",
                                  "operatingSystem", "architecture"}) {
            if (!info.value(QLatin1StringView(field)).isString())
                info.insert(QLatin1StringView(field), QString());
        }
        status.insert(QStringLiteral("nodeInfo"), info);
        object.insert(QStringLiteral("status"), status);
    }
    if (type == Resources::services())
        object.insert(QStringLiteral("status"),
                      QJsonObject{{QStringLiteral("loadBalancer"), QJsonObject()}});
    if (type == Resources::pods())
        object.remove(QStringLiteral("status"));
    return writeValidated(type, object, std::nullopt, options);
}

Result<QJsonObject> Registry::update(const ResourceType &type, const QString &nsArgument,
                                     const QString &name, QJsonObject object, Subresource sub,
                                     const WriteOptions &options)
{
    const QString ns = type.namespaced ? nsArgument : QString();
    const auto current = m_store->get(type, ns, name);
    if (!current)
        return notFound(type, name);

    if (sub == Subresource::Scale) {
        auto converted = fromScale(type, *current, object);
        if (!converted)
            return converted.error();
        object = converted.value();
    }

    const QString bodyName = json::name(object);
    if (!bodyName.isEmpty() && bodyName != name)
        return apimachinery::statusError(
            400, QStringLiteral("the name of the object (%1) does not match the name on "
                                "the URL (%2)")
                     .arg(bodyName, name));
    const QString requestedVersion = json::string(object, {u"metadata", u"resourceVersion"});
    const QString currentVersion = json::string(*current, {u"metadata", u"resourceVersion"});
    if (!requestedVersion.isEmpty() && requestedVersion != currentVersion)
        return apimachinery::statusError(
            409, QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": the object "
                                "has been modified; please apply your changes to the "
                                "latest version and try again")
                     .arg(type.qualifiedPlural(), name));

    QJsonObject next;
    if (sub == Subresource::Status) {
        next = *current;
        next.insert(QStringLiteral("status"), object.value(u"status"));
        // deploymentStatusStrategy resets only spec and labels: the deployment controller
        // writes the revision annotation through /status, without a generation bump.
        if (type == Resources::deployments())
            json::set(next, {u"metadata", u"annotations"},
                      json::get(object, {u"metadata", u"annotations"}));
        if (options.ownershipRecorded) // an apply to /status
            json::set(next, {u"metadata", u"managedFields"},
                      json::get(object, {u"metadata", u"managedFields"}));
    } else {
        next = object;
        QJsonObject metadata = next.value(u"metadata").toObject();
        const QJsonObject oldMetadata = current->value(u"metadata").toObject();
        for (const char *owned : {"uid", "creationTimestamp", "generation", "deletionTimestamp",
                                  "deletionGracePeriodSeconds", "namespace", "name"}) {
            const QString key = QLatin1StringView(owned);
            if (oldMetadata.contains(key))
                metadata.insert(key, oldMetadata.value(key));
            else
                metadata.remove(key);
        }
        next.insert(QStringLiteral("metadata"), metadata);
        next.insert(QStringLiteral("apiVersion"), type.apiVersion());
        next.insert(QStringLiteral("kind"), type.kind);
        if (hasStatusSubresource(type)) {
            if (current->contains(u"status"))
                next.insert(QStringLiteral("status"), current->value(u"status"));
            else
                next.remove(QStringLiteral("status"));
        }
        if (type == Resources::pods()) {
            // Pod updates may change images (and a few fields we do not model) only.
            QJsonObject a = current->value(u"spec").toObject();
            QJsonObject b = next.value(u"spec").toObject();
            auto maskImages = [](QJsonObject &spec) {
                QJsonArray cs = spec.value(u"containers").toArray();
                for (qsizetype i = 0; i < cs.size(); ++i) {
                    QJsonObject c = cs.at(i).toObject();
                    c.remove(QStringLiteral("image"));
                    cs.replace(i, c);
                }
                spec.insert(QStringLiteral("containers"), cs);
                spec.remove(QStringLiteral("activeDeadlineSeconds"));
                spec.remove(QStringLiteral("tolerations"));
            };
            maskImages(a);
            defaultPodSpec(b);
            maskImages(b);
            if (!b.contains(u"serviceAccountName"))
                b.insert(QStringLiteral("serviceAccountName"), a.value(u"serviceAccountName"));
            for (const char *k : {"serviceAccount", "enableServiceLinks", "preemptionPolicy",
                                  "priority", "nodeName"}) {
                const QString key = QLatin1StringView(k);
                if (!b.contains(key) && a.contains(key))
                    b.insert(key, a.value(key));
            }
            if (a != b)
                return invalid(type, name,
                               {forbidden(QStringLiteral("spec"),
                                          QStringLiteral("pod updates may not change fields "
                                                         "other than `spec.containers[*].image`,"
                                                         "`spec.initContainers[*].image`,"
                                                         "`spec.activeDeadlineSeconds`,"
                                                         "`spec.tolerations` (only additions to "
                                                         "existing tolerations),"
                                                         "`spec.terminationGracePeriodSeconds` "
                                                         "(allow it to be set to 1 if it was "
                                                         "previously negative)"))});
        }
    }
    // (A status write's copy of the stored object has it already: setting it would copy the
    // metadata for nothing.)
    if (json::string(next, {u"metadata", u"resourceVersion"}) != currentVersion)
        json::set(next, {u"metadata", u"resourceVersion"}, currentVersion);
    WriteOptions writeOptions = options;
    writeOptions.subresource = sub;
    return writeValidated(type, next, current, writeOptions, sub == Subresource::Status);
}

Result<QJsonObject> Registry::patch(const ResourceType &type, const QString &nsArgument,
                                    const QString &name, PatchType patchType,
                                    const QByteArray &body, Subresource sub,
                                    const WriteOptions &options)
{
    const QString ns = type.namespaced ? nsArgument : QString();
    auto current = m_store->get(type, ns, name);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    QJsonObject patchObject;
    QJsonArray patchArray;
    if (patchType == PatchType::Apply) {
        auto parsed = yamlToJsonObject(body);
        if (!parsed)
            return apimachinery::statusError(400, parsed.error().message);
        patchObject = parsed.value();
    } else if (parseError.error != QJsonParseError::NoError) {
        return apimachinery::statusError(
            400, QStringLiteral("error decoding patch: %1").arg(parseError.errorString()));
    } else if (patchType == PatchType::Json) {
        if (!doc.isArray())
            return apimachinery::statusError(
                400, QStringLiteral("json: cannot unmarshal object into Go value of type "
                                    "jsonpatch.Patch"));
        patchArray = doc.array();
    } else {
        if (!doc.isObject())
            return apimachinery::statusError(
                400, QStringLiteral("error decoding patch: expected a JSON object"));
        patchObject = doc.object();
    }

    if (!current) {
        if (patchType == PatchType::Apply && sub == Subresource::None) {
            // Server-side apply creates what does not exist.
            if (auto problem = patchDecodeError(type, patchObject, sub))
                return *problem;
            json::set(patchObject, {u"metadata", u"name"}, name);
            if (auto problem = applyUnknownFields(type, patchObject, ns, name))
                return *problem;
            auto owned = managedfields::recordApply(nullptr, patchObject, patchObject,
                                                    ownershipWriter(type, options, sub, m_clock),
                                                    type.kind, options.force);
            if (!owned)
                return owned.error();
            WriteOptions applyOptions = options;
            applyOptions.ownershipRecorded = true;
            return create(type, ns, owned.value(), applyOptions);
        }
        return notFound(type, name);
    }

    const QJsonObject base = sub == Subresource::Scale ? toScale(type, *current) : *current;
    const QString kind = sub == Subresource::Scale ? QStringLiteral("Scale") : type.kind;
    Result<QJsonObject> patched = QJsonObject();
    bool appliedOwnership = false;
    switch (patchType) {
    case PatchType::Merge:
        patched = applyMergePatch(base, patchObject);
        break;
    case PatchType::Json:
        patched = applyJsonPatch(base, patchArray);
        break;
    case PatchType::StrategicMerge:
        patched = applyStrategicMergePatch(base, patchObject, kind);
        break;
    case PatchType::Apply:
        patched = applyApplyPatch(base, patchObject, kind);
        // Field ownership, conflicts and the removal of fields no longer applied (the scale
        // subresource records an Update instead).
        if (patched && sub != Subresource::Scale) {
            patched = managedfields::recordApply(&base, patchObject, patched.value(),
                                                 ownershipWriter(type, options, sub, m_clock),
                                                 type.kind, options.force);
            appliedOwnership = true;
        }
        break;
    }
    if (!patched)
        return patched.error();
    QJsonObject result = patched.value();
    // The patched JSON is decoded into the typed object next; what does not fit is 422 on the
    // `patch` field, as the API server's patcher answers (a create or update body is 400).
    if (auto problem = patchDecodeError(type, result, sub))
        return *problem;
    if (patchType == PatchType::Apply) {
        if (auto problem = applyUnknownFields(type, patchObject, ns, name, sub))
            return *problem;
    }
    if (auto problem = unknownFieldProblem(type, result, sub, options))
        return *problem;
    // A patch that names a resourceVersion is a precondition; otherwise it applies to the
    // current version.
    if (!json::has(patchObject, {u"metadata", u"resourceVersion"}))
        json::set(result, {u"metadata", u"resourceVersion"},
                  json::string(base, {u"metadata", u"resourceVersion"}));
    WriteOptions patchOptions = options;
    patchOptions.ownershipRecorded = appliedOwnership;
    return update(type, ns, name, result, sub, patchOptions);
}

Result<QJsonObject> Registry::modify(const ResourceType &type, const QString &ns,
                                     const QString &name,
                                     const std::function<bool(QJsonObject &)> &mutate,
                                     Subresource sub)
{
    const auto current = m_store->get(type, ns, name);
    if (!current)
        return notFound(type, name);
    QJsonObject next = *current;
    if (!mutate(next))
        return *current;
    // Only what the write can change is compared: a status write cannot change the spec, so
    // comparing the whole object (spec first) would be wasted on every controller status write.
    if (sub == Subresource::Status) {
        if (next.value(u"status") == current->value(u"status") &&
            (!(type == Resources::deployments()) ||
             json::get(next, {u"metadata", u"annotations"}) ==
                 json::get(*current, {u"metadata", u"annotations"})))
            return *current;
    } else if (next == *current) {
        return *current;
    }
    return update(type, ns, name, next, sub);
}

void Registry::erase(const ResourceType &type, const QString &ns, const QString &name)
{
    m_store->erase(type, ns, name);
}

Result<DeleteOutcome> Registry::remove(const ResourceType &type, const QString &nsArgument,
                                       const QString &name, const DeleteOptions &options)
{
    const QString ns = type.namespaced ? nsArgument : QString();
    const auto current = m_store->get(type, ns, name);
    if (!current)
        return notFound(type, name);
    if (!options.preconditionUid.isEmpty() && options.preconditionUid != json::uid(*current))
        return apimachinery::statusError(
            409,
            QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": Precondition "
                           "failed: UID in precondition: %3, UID in object meta: %4")
                .arg(type.qualifiedPlural(), name, options.preconditionUid, json::uid(*current)));
    if (!options.preconditionResourceVersion.isEmpty() &&
        options.preconditionResourceVersion !=
            json::string(*current, {u"metadata", u"resourceVersion"}))
        return apimachinery::statusError(
            409, QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": the object "
                                "has been modified; please apply your changes to the "
                                "latest version and try again")
                     .arg(type.qualifiedPlural(), name));
    if (options.dryRun)
        return DeleteOutcome{*current, false};

    QJsonObject object = *current;
    const qint64 now = m_clock->nowMs();

    if (type == Resources::pods()) {
        const QString phase = json::string(object, {u"status", u"phase"});
        qint64 grace = options.gracePeriodSeconds.value_or(
            json::integer(object, {u"spec", u"terminationGracePeriodSeconds"}, 30));
        // Negative means 1 s on the delete path (rest.BeforeDelete); a client-sent int64 must
        // not overflow the deletion timestamp: a century is as good as forever.
        if (grace < 0)
            grace = 1;
        grace = qMin(grace, qint64(100) * 365 * 24 * 3600);
        if (phase == u"Succeeded" || phase == u"Failed" ||
            !json::has(object, {u"spec", u"nodeName"}))
            grace = 0;
        const bool hasFinalizers = !json::array(object, {u"metadata", u"finalizers"}).isEmpty();
        if (grace == 0 && !hasFinalizers) {
            const auto last = m_store->erase(type, ns, name);
            return DeleteOutcome{last.value_or(object), true};
        }
        // Graceful: the kubelet sees the deletionTimestamp, stops the containers and does the
        // final delete. A second delete may only shorten the grace period.
        const qint64 existing =
            json::has(object, {u"metadata", u"deletionGracePeriodSeconds"})
                ? json::integer(object, {u"metadata", u"deletionGracePeriodSeconds"})
                : -1;
        if (existing >= 0 && existing <= grace)
            return DeleteOutcome{object, false};
        json::set(object, {u"metadata", u"deletionTimestamp"},
                  m_clock->timestamp(now + grace * 1000));
        json::set(object, {u"metadata", u"deletionGracePeriodSeconds"}, grace);
        return DeleteOutcome{m_store->put(type, object), false};
    }

    QJsonArray finalizers = json::array(object, {u"metadata", u"finalizers"});
    const QString policy = options.propagationPolicy;
    if (policy == u"Foreground" && !finalizers.contains(QStringLiteral("foregroundDeletion")))
        finalizers.append(QStringLiteral("foregroundDeletion"));
    if (policy == u"Orphan" && !finalizers.contains(QStringLiteral("orphan")))
        finalizers.append(QStringLiteral("orphan"));
    const bool waitsForNamespaceController = type == Resources::namespaces();
    if (finalizers.isEmpty() && !waitsForNamespaceController) {
        const auto last = m_store->erase(type, ns, name);
        return DeleteOutcome{last.value_or(object), true};
    }
    if (json::isBeingDeleted(object) &&
        json::array(object, {u"metadata", u"finalizers"}) == finalizers)
        return DeleteOutcome{object, false};
    json::set(object, {u"metadata", u"finalizers"}, finalizers);
    if (!json::isBeingDeleted(object)) {
        json::set(object, {u"metadata", u"deletionTimestamp"}, m_clock->timestamp(now));
        json::set(object, {u"metadata", u"deletionGracePeriodSeconds"}, 0);
    }
    if (type == Resources::namespaces())
        json::set(object, {u"status", u"phase"}, QStringLiteral("Terminating"));
    return DeleteOutcome{m_store->put(type, object), false};
}

// --- scale ------------------------------------------------------------------------------------

QJsonObject Registry::toScale(const ResourceType &type, const QJsonObject &live) const
{
    QJsonObject metadata;
    const QJsonObject liveMeta = live.value(u"metadata").toObject();
    for (const char *k : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        const QString key = QLatin1StringView(k);
        if (liveMeta.contains(key))
            metadata.insert(key, liveMeta.value(key));
    }
    const auto selector = LabelSelector::fromObject(json::object(live, {u"spec", u"selector"}));
    QJsonObject status;
    status.insert(QStringLiteral("replicas"), json::integer(live, {u"status", u"replicas"}));
    if (selector)
        status.insert(QStringLiteral("selector"), selector->toString());
    Q_UNUSED(type);
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Scale")},
        {QStringLiteral("apiVersion"), QStringLiteral("autoscaling/v1")},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("replicas"), json::integer(live, {u"spec", u"replicas"})}}},
        {QStringLiteral("status"), status},
    };
}

Result<QJsonObject> Registry::fromScale(const ResourceType &type, const QJsonObject &live,
                                        const QJsonObject &scale) const
{
    const QJsonValue replicas = json::get(scale, {u"spec", u"replicas"});
    if (replicas.isDouble() && replicas.toInteger() < 0)
        return invalid(
            type, json::name(live),
            {invalidValue(QStringLiteral("spec.replicas"), QString::number(replicas.toInteger()),
                          QStringLiteral("must be greater than or equal to 0"))});
    QJsonObject next = live;
    json::set(next, {u"spec", u"replicas"}, replicas.isDouble() ? replicas.toInteger() : 0);
    json::set(next, {u"metadata", u"resourceVersion"},
              json::string(scale, {u"metadata", u"resourceVersion"}));
    return next;
}

} // namespace rollscope::sim
