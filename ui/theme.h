// SPDX-License-Identifier: MIT
#pragma once

#include "rollout/rollouttypes.h"

#include <QColor>
#include <QGuiApplication>
#include <QList>
#include <QPalette>

#include <initializer_list>

class QChart;
class QValueAxis;

namespace rollscope::Theme {

// Semantic colours (architecture convention 11): what a colour means, not which colour it is.
// Each follows the current palette: light and dark variants.
enum class Role
{
    VersionNew, // the version being rolled out
    VersionOld, // the version(s) being replaced
    Ready,      // a healthy state (complete, ready pods)
    Warning,    // progressing slowly, insecure connection
    Error,      // failed requests, failed rollout
    Guarantee,  // the strategy's bounds on charts
    Muted,      // secondary text
};

bool isDark(const QPalette &palette = QGuiApplication::palette());
QColor color(Role role, const QPalette &palette = QGuiApplication::palette());

// The colour of a version on every chart and table: the new version in VersionNew, older ones
// in a sequence of cool tones that stay apart from it and from each other.
QColor versionColor(int colorIndex, bool isNew,
                    const QPalette &palette = QGuiApplication::palette());

// The colour of an image (or any version key) on every chart and table, the same for the whole
// run of the program: the first key seen takes the first slot (blue), the next the second
// (green), and so on, so v1 stays blue when a later recording rolls back from v2 to v1. Every
// slot reads on the light and the dark palette and stays apart from the error red and the
// warning amber.
QColor colorForImage(const QString &imageKey, const QPalette &palette = QGuiApplication::palette());
// The key colorForImage() takes for `version` among `versions`: its image, or its label
// ("…:v2 (rev 4)") when an older listed version runs the same image (a restart).
QString colorKey(const rollout::VersionInfo &version, const QList<rollout::VersionInfo> &versions);
// colorForImage(colorKey(version, versions)).
QColor colorForVersion(const rollout::VersionInfo &version,
                       const QList<rollout::VersionInfo> &versions,
                       const QPalette &palette = QGuiApplication::palette());

// Dresses a chart in `palette`: chart theme, background, title, legend, and the axes' labels,
// titles and grid lines. Charts call it at creation and on every PaletteChange.
void applyToChart(QChart *chart, std::initializer_list<QValueAxis *> axes, const QPalette &palette);

// A dark palette for the Fusion style (View > Dark theme, screenshots).
QPalette darkPalette();

} // namespace rollscope::Theme
