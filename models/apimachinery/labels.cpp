// SPDX-License-Identifier: MIT
#include "apimachinery/labels.h"

#include "apimachinery/httpstatus.h"

#include <QJsonArray>

#include <algorithm>

namespace rollscope::apimachinery {

namespace {

Error badSelector(const QString &message)
{
    return statusError(400, message);
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

QString requirementString(const LabelSelector::Requirement &req)
{
    // Requirement.String() sorts the values on output only.
    QStringList values = req.values;
    std::sort(values.begin(), values.end());
    switch (req.op) {
    case LabelSelector::Op::Equals:
        return req.key + u'=' + values.value(0);
    case LabelSelector::Op::NotEquals:
        return req.key + QStringLiteral("!=") + values.value(0);
    case LabelSelector::Op::In:
        return req.key + QStringLiteral(" in (") + values.join(u',') + u')';
    case LabelSelector::Op::NotIn:
        return req.key + QStringLiteral(" notin (") + values.join(u',') + u')';
    case LabelSelector::Op::Exists:
        return req.key;
    case LabelSelector::Op::DoesNotExist:
        return u'!' + req.key;
    }
    return {};
}

} // namespace

LabelSelector::LabelSelector(QList<Requirement> requirements)
    : m_requirements(std::move(requirements))
{}

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

std::optional<LabelSelector::Op> LabelSelector::operatorNamed(QStringView name)
{
    if (name == u"In")
        return Op::In;
    if (name == u"NotIn")
        return Op::NotIn;
    if (name == u"Exists")
        return Op::Exists;
    if (name == u"DoesNotExist")
        return Op::DoesNotExist;
    return std::nullopt;
}

Result<LabelSelector> LabelSelector::fromObject(const QJsonObject &selector)
{
    LabelSelector result = fromMap(selector.value(u"matchLabels").toObject());
    const QJsonArray expressions = selector.value(u"matchExpressions").toArray();
    for (const QJsonValue &value : expressions) {
        const QJsonObject e = value.toObject();
        const QString op = e.value(u"operator").toString();
        const std::optional<Op> known = operatorNamed(op);
        if (!known)
            return badSelector(QStringLiteral("%1 is not a valid label selector operator").arg(op));
        Requirement req{e.value(u"key").toString(), *known, {}};
        for (const QJsonValue &v : e.value(u"values").toArray())
            req.values << v.toString();
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

// `lookup(key)` is the label's value, nullopt when the label is absent.
template<typename Lookup>
bool LabelSelector::matchesLookup(const Lookup &lookup) const
{
    for (const Requirement &req : m_requirements) {
        const std::optional<QString> value = lookup(req.key);
        bool holds = true;
        switch (req.op) {
        case Op::Equals:
            holds = value && *value == req.values.value(0);
            break;
        case Op::NotEquals:
            holds = !value || *value != req.values.value(0);
            break;
        case Op::In:
            holds = value && req.values.contains(*value);
            break;
        case Op::NotIn:
            holds = !value || !req.values.contains(*value);
            break;
        case Op::Exists:
            holds = value.has_value();
            break;
        case Op::DoesNotExist:
            holds = !value;
            break;
        }
        if (!holds)
            return false;
    }
    return true;
}

bool LabelSelector::matches(const QJsonObject &labels) const
{
    return matchesLookup([&labels](const QString &key) -> std::optional<QString> {
        const auto it = labels.constFind(key);
        if (it == labels.constEnd())
            return std::nullopt;
        return it->toString();
    });
}

bool LabelSelector::matches(const QMap<QString, QString> &labels) const
{
    return matchesLookup([&labels](const QString &key) -> std::optional<QString> {
        const auto it = labels.constFind(key);
        if (it == labels.cend())
            return std::nullopt;
        return *it;
    });
}

QString LabelSelector::toString() const
{
    QList<Requirement> sorted = m_requirements;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Requirement &a, const Requirement &b) { return a.key < b.key; });
    QStringList parts;
    for (const Requirement &req : std::as_const(sorted))
        parts << requirementString(req);
    return parts.join(u',');
}

} // namespace rollscope::apimachinery
