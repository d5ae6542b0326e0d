// SPDX-License-Identifier: MIT
#include "probe/probetypes.h"

#include "common/idtable.h"

#include <QCoreApplication>

namespace rollscope::probe {

namespace {

class ProbeText
{
    Q_DECLARE_TR_FUNCTIONS(ProbeText)

public:
    static QString failure(FailureClass failure)
    {
        switch (failure) {
        case FailureClass::Refused:
            return tr("Connection refused");
        case FailureClass::Reset:
            return tr("Connection reset");
        case FailureClass::Timeout:
            return tr("Timed out");
        case FailureClass::Http5xx:
            return tr("HTTP 5xx");
        case FailureClass::Http4xx:
            return tr("HTTP 4xx");
        case FailureClass::NoEndpoints:
            return tr("No endpoints");
        case FailureClass::Other:
            break;
        }
        return tr("Other error");
    }
};

// Stable: these strings are written to timelines and exports.
constexpr IdTable<FailureClass, kFailureClassCount> kIds{{
    {FailureClass::Refused, QLatin1StringView("refused")},
    {FailureClass::Reset, QLatin1StringView("reset")},
    {FailureClass::Timeout, QLatin1StringView("timeout")},
    {FailureClass::Http5xx, QLatin1StringView("http5xx")},
    {FailureClass::Http4xx, QLatin1StringView("http4xx")},
    {FailureClass::NoEndpoints, QLatin1StringView("noEndpoints")},
    {FailureClass::Other, QLatin1StringView("other")},
}};

} // namespace

QString failureClassId(FailureClass failure)
{
    return idOf(kIds, failure, QLatin1StringView("other"));
}

std::optional<FailureClass> failureClassFromId(const QString &id)
{
    return fromId(kIds, id);
}

QString failureClassText(FailureClass failure)
{
    return ProbeText::failure(failure);
}

} // namespace rollscope::probe
