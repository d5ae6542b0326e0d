// SPDX-License-Identifier: MIT
#include "selector.h"

#include "json.h"

#include <QCoreApplication>

namespace rollscope::sim {

namespace {

Error badSelector(const QString &message)
{
    Error e = Error::make(Error::Kind::Usage, message);
    e.httpStatus = 400;
    e.reason = QStringLiteral("BadRequest");
    return e;
}

bool isKeyChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.' || c == u'/';
}

// A small recursive-descent reader over the selector grammar of
// k8s.io/apimachinery/pkg/labels/selector.go.
class Reader
{
public:
    explicit Reader(QStringView text)
        : m_text(text)
    {}

    void skipSpaces()
    {
        while (m_pos < m_text.size() && m_text[m_pos].isSpace())
            ++m_pos;
    }
    bool atEnd()
    {
        skipSpaces();
        return m_pos >= m_text.size();
    }
    bool consume(QStringView token)
    {
        skipSpaces();
        if (m_text.mid(m_pos).startsWith(token)) {
            m_pos += token.size();
            return true;
        }
        return false;
    }
    QString word()
    {
        skipSpaces();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && isKeyChar(m_text[m_pos]))
            ++m_pos;
        return m_text.mid(start, m_pos - start).toString();
    }
    bool peekWord(QStringView w)
    {
        skipSpaces();
        const QStringView rest = m_text.mid(m_pos);
        return rest.startsWith(w) && (rest.size() == w.size() || !isKeyChar(rest[w.size()]));
    }
    qsizetype pos() const { return m_pos; }

private:
    QStringView m_text;
    qsizetype m_pos = 0;
};

} // namespace

Result<LabelSelector> LabelSelector::parse(const QString &text)
{
    LabelSelector selector;
    Reader r(text);
    if (r.atEnd())
        return selector;
    while (true) {
        Requirement req;
        if (r.consume(u"!")) {
            req.key = r.word();
            req.op = Op::DoesNotExist;
        } else {
            req.key = r.word();
            if (req.key.isEmpty())
                return badSelector(
                    QStringLiteral("unable to parse requirement: found '%1', expected: identifier")
                        .arg(text.mid(r.pos(), 1)));
            if (r.consume(u"==") || r.consume(u"=")) {
                req.op = Op::Equals;
                req.values << r.word();
            } else if (r.consume(u"!=")) {
                req.op = Op::NotEquals;
                req.values << r.word();
            } else if (r.peekWord(u"notin") || r.peekWord(u"in")) {
                req.op = r.consume(u"notin") ? Op::NotIn : (r.consume(u"in"), Op::In);
                if (!r.consume(u"("))
                    return badSelector(QStringLiteral("unable to parse requirement: expected '('"));
                while (true) {
                    const QString value = r.word();
                    if (!value.isEmpty())
                        req.values << value;
                    if (r.consume(u")"))
                        break;
                    if (!r.consume(u","))
                        return badSelector(
                            QStringLiteral("unable to parse requirement: expected ',' or ')'"));
                }
            } else {
                req.op = Op::Exists;
            }
        }
        selector.m_requirements << req;
        if (r.atEnd())
            break;
        if (!r.consume(u","))
            return badSelector(
                QStringLiteral("unable to parse requirement: found '%1', expected: ','")
                    .arg(text.mid(r.pos(), 1)));
    }
    return selector;
}

Result<LabelSelector> LabelSelector::fromObject(const QJsonObject &selector)
{
    LabelSelector result = fromMap(selector.value(u"matchLabels").toObject());
    const QJsonArray expressions = selector.value(u"matchExpressions").toArray();
    for (const QJsonValue &value : expressions) {
        const QJsonObject e = value.toObject();
        Requirement req;
        req.key = e.value(u"key").toString();
        const QString op = e.value(u"operator").toString();
        for (const QJsonValue &v : e.value(u"values").toArray())
            req.values << v.toString();
        if (op == u"In")
            req.op = Op::In;
        else if (op == u"NotIn")
            req.op = Op::NotIn;
        else if (op == u"Exists")
            req.op = Op::Exists;
        else if (op == u"DoesNotExist")
            req.op = Op::DoesNotExist;
        else
            return badSelector(QStringLiteral("%1 is not a valid label selector operator").arg(op));
        result.m_requirements << req;
    }
    return result;
}

LabelSelector LabelSelector::fromMap(const QJsonObject &matchLabels)
{
    LabelSelector result;
    for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it)
        result.m_requirements << Requirement{it.key(), Op::Equals, {it.value().toString()}};
    return result;
}

bool LabelSelector::matches(const QJsonObject &labels) const
{
    for (const Requirement &req : m_requirements) {
        const bool present = labels.contains(req.key);
        const QString value = labels.value(req.key).toString();
        switch (req.op) {
        case Op::Equals:
            if (!present || value != req.values.value(0))
                return false;
            break;
        case Op::NotEquals:
            if (present && value == req.values.value(0))
                return false;
            break;
        case Op::In:
            if (!present || !req.values.contains(value))
                return false;
            break;
        case Op::NotIn:
            if (present && req.values.contains(value))
                return false;
            break;
        case Op::Exists:
            if (!present)
                return false;
            break;
        case Op::DoesNotExist:
            if (present)
                return false;
            break;
        }
    }
    return true;
}

QString LabelSelector::toString() const
{
    QStringList parts;
    for (const Requirement &req : m_requirements) {
        switch (req.op) {
        case Op::Equals:
            parts << req.key + u'=' + req.values.value(0);
            break;
        case Op::NotEquals:
            parts << req.key + QStringLiteral("!=") + req.values.value(0);
            break;
        case Op::In:
            parts << req.key + QStringLiteral(" in (") + req.values.join(u',') + u')';
            break;
        case Op::NotIn:
            parts << req.key + QStringLiteral(" notin (") + req.values.join(u',') + u')';
            break;
        case Op::Exists:
            parts << req.key;
            break;
        case Op::DoesNotExist:
            parts << u'!' + req.key;
            break;
        }
    }
    return parts.join(u',');
}

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
            return badSelector(
                QStringLiteral("invalid selector: '%1'; can't understand '%2'").arg(text, term));
        }
        req.field = term.left(at).trimmed();
        req.value = term.mid(at + opLength).trimmed();
        if (!supported.contains(req.field))
            return badSelector(QStringLiteral("field label not supported: %1").arg(req.field));
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

} // namespace rollscope::sim
