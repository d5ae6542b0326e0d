// SPDX-License-Identifier: MIT
#include "selector.h"

#include "apimachinery/httpstatus.h"
#include "json.h"

namespace rollscope::sim {

namespace {

QStringList supportedFields(const QString &plural)
{
    QStringList fields{QStringLiteral("metadata.name"), QStringLiteral("metadata.namespace")};
    if (plural == u"pods")
        fields << QStringLiteral("spec.nodeName") << QStringLiteral("spec.restartPolicy")
               << QStringLiteral("spec.schedulerName") << QStringLiteral("spec.serviceAccountName")
               << QStringLiteral("spec.hostNetwork") << QStringLiteral("status.phase")
               << QStringLiteral("status.podIP") << QStringLiteral("status.nominatedNodeName");
    else if (plural == u"events")
        fields << QStringLiteral("involvedObject.kind")
               << QStringLiteral("involvedObject.namespace")
               << QStringLiteral("involvedObject.name") << QStringLiteral("involvedObject.uid")
               << QStringLiteral("involvedObject.apiVersion")
               << QStringLiteral("involvedObject.resourceVersion")
               << QStringLiteral("involvedObject.fieldPath") << QStringLiteral("reason")
               << QStringLiteral("reportingComponent") << QStringLiteral("source")
               << QStringLiteral("type");
    else if (plural == u"replicasets")
        fields << QStringLiteral("status.replicas");
    else if (plural == u"namespaces")
        fields << QStringLiteral("status.phase");
    return fields;
}

} // namespace

Result<FieldSelector> FieldSelector::parse(const QString &text, const QString &resourcePlural)
{
    FieldSelector selector;
    const QStringList supported = supportedFields(resourcePlural);
    const QStringList terms = text.split(u',', Qt::SkipEmptyParts);
    for (const QString &rawTerm : terms) {
        const QString term = rawTerm.trimmed();
        Requirement req;
        qsizetype at = term.indexOf(QStringLiteral("!="));
        qsizetype opLength = 2;
        if (at >= 0) {
            req.equals = false;
        } else if ((at = term.indexOf(QStringLiteral("=="))) >= 0) {
            opLength = 2;
        } else if ((at = term.indexOf(u'=')) >= 0) {
            opLength = 1;
        } else {
            return apimachinery::statusError(
                400,
                QStringLiteral("invalid selector: '%1'; can't understand '%2'").arg(text, term));
        }
        req.field = term.left(at).trimmed();
        req.value = term.mid(at + opLength).trimmed();
        if (!supported.contains(req.field))
            return apimachinery::statusError(
                400, QStringLiteral("field label not supported: %1").arg(req.field));
        selector.m_requirements << req;
    }
    return selector;
}

QString FieldSelector::fieldValue(const QJsonObject &object, const QString &field)
{
    if (field == u"source")
        return json::string(object, {u"source", u"component"});
    QJsonValue value = object;
    for (const QString &part : field.split(u'.'))
        value = value.toObject().value(part);
    if (value.isBool())
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.isDouble())
        return QString::number(value.toInteger());
    return value.toString();
}

bool FieldSelector::matches(const QJsonObject &object) const
{
    for (const Requirement &req : m_requirements) {
        const bool equal = fieldValue(object, req.field) == req.value;
        if (equal != req.equals)
            return false;
    }
    return true;
}

Result<ListSelector> ListSelector::parse(const QString &labelSelector, const QString &fieldSelector,
                                         const QString &resourcePlural)
{
    auto labels = LabelSelector::parse(labelSelector);
    if (!labels)
        return labels.error();
    auto fields = FieldSelector::parse(fieldSelector, resourcePlural);
    if (!fields)
        return fields.error();
    return ListSelector{std::move(labels).value(), std::move(fields).value()};
}

bool ListSelector::matches(const QJsonObject &object) const
{
    return labels.matches(json::labels(object)) && fields.matches(object);
}

} // namespace rollscope::sim
