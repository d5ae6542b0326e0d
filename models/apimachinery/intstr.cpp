// SPDX-License-Identifier: MIT
#include "apimachinery/intstr.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rollscope::apimachinery {

namespace {

int saturated(double value)
{
    if (std::isnan(value))
        return 0;
    constexpr double low = std::numeric_limits<int>::min();
    constexpr double high = std::numeric_limits<int>::max();
    return static_cast<int>(std::clamp(value, low, high));
}

// strconv.Atoi's syntax: an optional sign and decimal digits, nothing else (no spaces). Where
// Atoi fails on a number beyond int64 (and the deployment controller then stops syncing),
// Rollscope saturates, as the simulator always did: its validation lets such a maxSurge through.
std::optional<qint64> atoi(QStringView text)
{
    QStringView digits = text;
    if (digits.startsWith(u'+') || digits.startsWith(u'-'))
        digits = digits.mid(1);
    if (digits.isEmpty())
        return std::nullopt;
    for (QChar c : digits) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (ok)
        return value;
    return text.startsWith(u'-') ? std::numeric_limits<qint64>::min()
                                 : std::numeric_limits<qint64>::max();
}

} // namespace

IntOrString IntOrString::fromJson(const QJsonValue &value)
{
    if (value.isDouble())
        return fromInt(saturated(std::trunc(value.toDouble())));
    if (value.isString())
        return fromString(value.toString());
    return {};
}

IntOrString IntOrString::fromInt(int value)
{
    IntOrString v;
    v.type = Type::Int;
    v.intValue = value;
    return v;
}

IntOrString IntOrString::fromString(const QString &value)
{
    IntOrString v;
    v.type = Type::String;
    v.stringValue = value;
    return v;
}

QString IntOrString::toString() const
{
    switch (type) {
    case Type::Unset:
        return {};
    case Type::Int:
        return QString::number(intValue);
    case Type::String:
        return stringValue;
    }
    return {};
}

std::optional<int> IntOrString::scaledValue(int total, bool roundUp) const
{
    switch (type) {
    case Type::Unset:
        return std::nullopt;
    case Type::Int:
        return intValue;
    case Type::String: {
        if (!stringValue.endsWith(u'%'))
            return std::nullopt;
        const std::optional<qint64> percent = atoi(QStringView(stringValue).chopped(1));
        if (!percent)
            return std::nullopt;
        // float64(value) * float64(total) / 100, then math.Ceil or math.Floor, as upstream.
        const double scaled = static_cast<double>(*percent) * static_cast<double>(total) / 100.0;
        return saturated(roundUp ? std::ceil(scaled) : std::floor(scaled));
    }
    }
    return std::nullopt;
}

} // namespace rollscope::apimachinery
