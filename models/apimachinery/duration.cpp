// SPDX-License-Identifier: MIT
#include "apimachinery/duration.h"

namespace rollscope::apimachinery {

namespace {

// "<big><bigUnit>" when `small` is 0, else "<big><bigUnit><small><smallUnit>": "2m", "2m5s".
QString twoUnits(qint64 big, char16_t bigUnit, qint64 small, char16_t smallUnit)
{
    QString text = QString::number(big) + QChar(bigUnit);
    if (small != 0)
        text += QString::number(small) + QChar(smallUnit);
    return text;
}

} // namespace

QString humanDuration(qint64 milliseconds)
{
    const qint64 seconds = milliseconds / 1000;
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (seconds < 0)
        return QStringLiteral("0s");
    if (seconds < 60 * 2)
        return QString::number(seconds) + u's';
    const qint64 minutes = seconds / 60;
    if (minutes < 10)
        return twoUnits(minutes, u'm', seconds % 60, u's');
    if (minutes < 60 * 3)
        return QString::number(minutes) + u'm';
    const qint64 hours = minutes / 60;
    if (hours < 8)
        return twoUnits(hours, u'h', minutes % 60, u'm');
    if (hours < 48)
        return QString::number(hours) + u'h';
    const qint64 days = hours / 24;
    if (hours < 24 * 8)
        return twoUnits(days, u'd', hours % 24, u'h');
    if (hours < 24 * 365 * 2)
        return QString::number(days) + u'd';
    const qint64 years = days / 365;
    if (hours < 24 * 365 * 8)
        return twoUnits(years, u'y', days % 365, u'd');
    return QString::number(years) + u'y';
}

} // namespace rollscope::apimachinery
