// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonValue>
#include <QString>

#include <optional>

namespace rollscope::apimachinery {

// intstr.IntOrString: maxSurge 1 or "25%".
struct IntOrString
{
    enum class Type
    {
        Unset,
        Int,
        String
    };
    Type type = Type::Unset;
    int intValue = 0;
    QString stringValue;

    // A JSON number (truncated and saturated to the int range: the controllers' arithmetic must
    // not overflow on a hostile value) or string; anything else is Unset.
    static IntOrString fromJson(const QJsonValue &value);
    static IntOrString fromInt(int value);
    static IntOrString fromString(const QString &value);
    bool isSet() const { return type != Type::Unset; }
    // "1", "25%", or "" when unset.
    QString toString() const;
    // GetScaledValueFromIntOrPercent: an int as is; "p%" (p an integer, as strconv.Atoi reads
    // it) as p*total/100 rounded up or down, saturated to the int range (maxSurge may exceed
    // 100%). nullopt for unset or a string that is not such a percentage. The client's strategy
    // text and the simulator's deployment controller both scale with this, so the simulator
    // cannot confirm a rounding mistake of the client.
    std::optional<int> scaledValue(int total, bool roundUp) const;

    bool operator==(const IntOrString &) const = default;
};

} // namespace rollscope::apimachinery
