// SPDX-License-Identifier: MIT
#pragma once

// kubectl's ways of printing: ages (apimachinery's duration.HumanDuration) and tables (Go's
// text/tabwriter as kubectl configures it).

#include "apimachinery/duration.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace rollscope::kube {

// duration.HumanDuration, one copy with the simulator's Table rows (apimachinery/duration.h).
using apimachinery::humanDuration;

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
