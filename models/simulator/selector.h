// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace rollscope::sim {

// A label selector: the string form (`app=demo,tier in (web,api),!canary`) or the object form
// (matchLabels + matchExpressions). Empty matches everything.
class LabelSelector
{
public:
    enum class Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        DoesNotExist
    };
    struct Requirement
    {
        QString key;
        Op op = Op::Equals;
        QStringList values;
    };

    static Result<LabelSelector> parse(const QString &text);
    // metav1.LabelSelector. `nothingIfNull`: a null selector object selects nothing (as for
    // Deployments), where an empty one selects everything.
    static Result<LabelSelector> fromObject(const QJsonObject &selector);
    static LabelSelector fromMap(const QJsonObject &matchLabels);

    bool isEmpty() const { return m_requirements.isEmpty(); }
    bool matches(const QJsonObject &labels) const;
    QString toString() const;
    const QList<Requirement> &requirements() const { return m_requirements; }

private:
    QList<Requirement> m_requirements;
};

// A field selector (`metadata.name=demo,status.phase!=Running`), checked against the fields a
// resource supports; an unsupported field is an error, as on a real server.
class FieldSelector
{
public:
    struct Requirement
    {
        QString field;
        bool equals = true;
        QString value;
    };

    static Result<FieldSelector> parse(const QString &text, const QString &resourcePlural);
    bool isEmpty() const { return m_requirements.isEmpty(); }
    bool matches(const QJsonObject &object) const;

    // The value a field selector sees for `field` on `object` (empty when absent).
    static QString fieldValue(const QJsonObject &object, const QString &field);

private:
    QList<Requirement> m_requirements;
};

} // namespace rollscope::sim
