// SPDX-License-Identifier: MIT
#pragma once

#include "apimachinery/labels.h"
#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace rollscope::sim {

// The label selector is apimachinery's, shared with the client.
using LabelSelector = apimachinery::LabelSelector;

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

// A list, watch or deletecollection request's labelSelector and fieldSelector together: the
// objects both select.
struct ListSelector
{
    LabelSelector labels;
    FieldSelector fields;

    // A 400 when either does not parse.
    static Result<ListSelector> parse(const QString &labelSelector, const QString &fieldSelector,
                                      const QString &resourcePlural);
    bool isEmpty() const { return labels.isEmpty() && fields.isEmpty(); }
    bool matches(const QJsonObject &object) const;
};

} // namespace rollscope::sim
