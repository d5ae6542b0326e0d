// SPDX-License-Identifier: MIT
#pragma once

// kubectl's tables: Go's text/tabwriter as kubectl configures it.

#include <QList>
#include <QString>
#include <QStringList>

namespace rollscope::cli {

// kubectl's tabwriter: minimum cell width 6, padding 3, padded with spaces; the last cell of a
// row is not padded. Widths count characters (code points), as Go counts runes.
class TabWriter
{
public:
    void addRow(const QStringList &cells);
    QString text() const;

private:
    QList<QStringList> m_rows;
};

} // namespace rollscope::cli
