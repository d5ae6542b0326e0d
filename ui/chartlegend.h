// SPDX-License-Identifier: MIT
#pragma once

#include "rollout/rollouttypes.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <QWidget>

class QLabel;

class QChartView;

namespace rollscope {

// A chart's legend as widgets: a swatch (the line or band as drawn) and the full label per
// entry, wrapping onto as many lines as the width needs, never elided (the QChart legend elides
// and does not wrap). Labels carry tooltips (the full image reference).
class ChartLegend : public QWidget
{
    Q_OBJECT
public:
    enum class Swatch
    {
        Line,      // one line in `style`
        ReadyPair, // a thick solid line over a thin dashed one: a version on the pods chart
        Band,      // a filled band: a version on the responses chart
    };
    struct Entry
    {
        QString key;
        QString text;
        QString toolTip;
        QColor color;
        Swatch swatch = Swatch::Line;
        Qt::PenStyle style = Qt::SolidLine;
        bool bold = false;

        bool operator==(const Entry &) const = default;
    };

    explicit ChartLegend(QWidget *parent = nullptr);

    void setEntries(const QList<Entry> &entries);
    const QList<Entry> &entries() const { return m_entries; }
    // The label of the entry `key`, or null.
    QLabel *label(const QString &key) const;
    QList<QLabel *> labels() const;

    // Places the entries for `width` at once (not waiting for a resize event, which a hidden
    // widget rendered for an export may never get) and returns the height they take.
    int relayout(int width);
    // Lays the legend out across the bottom of `view` (inside the chart's rounded background,
    // under the axis title) and gives the chart a bottom margin of the legend's height, so the
    // plot ends above it. `margin` is the chart's own margin on every side.
    void placeIn(QChartView *view, int margin);

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    // What the charts call each version: its tag ("v2") when every listed version comes from one
    // repository, else its label ("registry/app:v2"); "(rev N)" stays, and the new version is
    // marked "(new)".
    static QHash<QString, QString> versionTexts(const QList<rollout::VersionInfo> &versions);
    // The tooltip of a version's entry: its full image reference (or label).
    static QString versionToolTip(const rollout::VersionInfo &version);

signals:
    // The height the legend needs changed with its entries.
    void heightChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct Item
    {
        QWidget *swatch = nullptr;
        QLabel *label = nullptr;
    };
    // Places the items for `width`, or only measures when `apply` is false; returns the height.
    int arrange(int width, bool apply) const;

    QList<Entry> m_entries;
    QList<Item> m_items;
    int m_lastHeight = -1;
};

} // namespace rollscope
