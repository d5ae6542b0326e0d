// SPDX-License-Identifier: MIT
#include "kube/printing.h"

#include <algorithm>

namespace rollscope::kube {

namespace {

constexpr int kMinWidth = 6;
constexpr int kPadding = 3;

qsizetype displayWidth(const QString &text)
{
    return text.toUcs4().size();
}

} // namespace

QString humanDuration(qint64 milliseconds)
{
    // Go's int(d.Seconds()) truncates toward zero.
    const qint64 seconds = milliseconds / 1000;
    if (seconds < -1)
        return QStringLiteral("<invalid>");
    if (seconds < 0)
        return QStringLiteral("0s");
    if (seconds < 60 * 2)
        return QStringLiteral("%1s").arg(seconds);
    const qint64 minutes = seconds / 60;
    if (minutes < 10) {
        const qint64 s = seconds % 60;
        if (s == 0)
            return QStringLiteral("%1m").arg(minutes);
        return QStringLiteral("%1m%2s").arg(minutes).arg(s);
    }
    if (minutes < 60 * 3)
        return QStringLiteral("%1m").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 8) {
        const qint64 m = minutes % 60;
        if (m == 0)
            return QStringLiteral("%1h").arg(hours);
        return QStringLiteral("%1h%2m").arg(hours).arg(m);
    }
    if (hours < 48)
        return QStringLiteral("%1h").arg(hours);
    if (hours < 24 * 8) {
        const qint64 h = hours % 24;
        if (h == 0)
            return QStringLiteral("%1d").arg(hours / 24);
        return QStringLiteral("%1d%2h").arg(hours / 24).arg(h);
    }
    if (hours < 24 * 365 * 2)
        return QStringLiteral("%1d").arg(hours / 24);
    if (hours < 24 * 365 * 8) {
        const qint64 dy = (hours / 24) % 365;
        if (dy == 0)
            return QStringLiteral("%1y").arg(hours / 24 / 365);
        return QStringLiteral("%1y%2d").arg(hours / 24 / 365).arg(dy);
    }
    return QStringLiteral("%1y").arg(hours / 24 / 365);
}

void TabWriter::addRow(const QStringList &cells)
{
    m_rows.append(cells);
}

QString TabWriter::text() const
{
    // Every cell but a row's last is terminated by a tab and so belongs to a column; kubectl's
    // rows all have the same number of cells, so one block covers the table.
    QList<qsizetype> widths;
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i + 1 < row.size(); ++i) {
            if (widths.size() <= i)
                widths.append(0);
            widths[i] = std::max(widths[i],
                                 std::max<qsizetype>(kMinWidth, displayWidth(row[i]) + kPadding));
        }
    }
    QString out;
    for (const QStringList &row : m_rows) {
        for (qsizetype i = 0; i < row.size(); ++i) {
            out += row[i];
            if (i + 1 < row.size())
                out += QString(widths[i] - displayWidth(row[i]), u' ');
        }
        out += u'\n';
    }
    return out;
}

} // namespace rollscope::kube
