// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace rollscope::apimachinery {

// A label selector (k8s.io/apimachinery/pkg/labels): the string form
// (`app=demo,tier in (web,api),!canary`) or metav1.LabelSelector's object form (matchLabels +
// matchExpressions). Empty matches everything. The client and the simulator match with this one
// reading, so the simulator selects the pods the client expects it to.
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

        bool operator==(const Requirement &) const = default;
    };

    LabelSelector() = default;
    explicit LabelSelector(QList<Requirement> requirements);

    // labels.Parse. A syntax error is a 400 BadRequest, as the API server answers it.
    static Result<LabelSelector> parse(const QString &text);
    // metav1.LabelSelectorAsSelector; an unknown operator is an error.
    static Result<LabelSelector> fromObject(const QJsonObject &selector);
    static LabelSelector fromMap(const QJsonObject &matchLabels);
    // A matchExpressions operator ("In", "NotIn", "Exists", "DoesNotExist").
    static std::optional<Op> operatorNamed(QStringView name);

    bool isEmpty() const { return m_requirements.isEmpty(); }
    bool matches(const QJsonObject &labels) const;
    bool matches(const QMap<QString, QString> &labels) const;
    // labels.Selector.String(): requirements sorted by key, the values of each sorted:
    // "app=demo,!legacy,tier in (api,web)".
    QString toString() const;
    const QList<Requirement> &requirements() const { return m_requirements; }

private:
    template<typename Lookup>
    bool matchesLookup(const Lookup &lookup) const;

    QList<Requirement> m_requirements;
};

} // namespace rollscope::apimachinery
