// SPDX-License-Identifier: MIT
#pragma once

// kubectl's ways of printing: ages (apimachinery's duration.HumanDuration) and tables (Go's
// text/tabwriter as kubectl configures it).

#include <QList>
#include <QString>
#include <QStringList>

namespace rollscope::kube {

// duration.HumanDuration: "0s".."119s", "2m5s" below 10 min, "10m".."179m", "3h5m" below 8 h,
// "8h".."47h", "2d3h" below 8 days, "8d".."729d", "2y45d" below 8 years, then "8y". Negative
// durations of up to two seconds count as "0s" (clock skew), longer ones are "<invalid>".
QString humanDuration(qint64 milliseconds);

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

} // namespace rollscope::kube
