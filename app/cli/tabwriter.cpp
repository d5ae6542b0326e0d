// SPDX-License-Identifier: MIT
#include "cli/tabwriter.h"

#include <algorithm>

namespace rollscope::cli {

namespace {

constexpr int kMinWidth = 6;
constexpr int kPadding = 3;

qsizetype displayWidth(const QString &text)
{
    return text.toUcs4().size();
}

} // namespace

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

} // namespace rollscope::cli
