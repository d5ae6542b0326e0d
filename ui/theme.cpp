// SPDX-License-Identifier: MIT
#include "theme.h"

#include <QChart>
#include <QHash>
#include <QLegend>
#include <QValueAxis>

namespace rollscope::Theme {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor color(Role role, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (role) {
    case Role::VersionNew:
        return dark ? QColor(0x4c, 0xc3, 0x7e) : QColor(0x1f, 0x9d, 0x55);
    case Role::VersionOld:
        return dark ? QColor(0x6f, 0x9c, 0xe6) : QColor(0x3b, 0x6f, 0xc4);
    case Role::Ready:
        return dark ? QColor(0x4c, 0xc3, 0x7e) : QColor(0x1f, 0x9d, 0x55);
    case Role::Warning:
        return dark ? QColor(0xf0, 0xb4, 0x3c) : QColor(0xb7, 0x79, 0x00);
    case Role::Error:
        return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xd0, 0x35, 0x35);
    case Role::Guarantee:
        return dark ? QColor(0xc8, 0xc8, 0xd0) : QColor(0x5a, 0x5a, 0x66);
    case Role::Muted:
        return dark ? QColor(0x9a, 0x9a, 0xa6) : QColor(0x70, 0x70, 0x7c);
    }
    return {};
}

QColor versionColor(int colorIndex, bool isNew, const QPalette &palette)
{
    if (isNew)
        return color(Role::VersionNew, palette);
    const bool dark = isDark(palette);
    // Blue, violet, slate, teal, brown: cool or muted, never green (new) or red (errors).
    static const QColor light[] = {QColor(0x3b, 0x6f, 0xc4), QColor(0x7b, 0x4f, 0xb8),
                                   QColor(0x55, 0x65, 0x7a), QColor(0x1b, 0x86, 0x8f),
                                   QColor(0x8a, 0x63, 0x3d)};
    static const QColor darkColors[] = {QColor(0x6f, 0x9c, 0xe6), QColor(0xa9, 0x86, 0xe0),
                                        QColor(0x9a, 0xa8, 0xbc), QColor(0x4f, 0xbf, 0xc8),
                                        QColor(0xc4, 0x9a, 0x6c)};
    const int i = ((colorIndex % 5) + 5) % 5;
    return dark ? darkColors[i] : light[i];
}

namespace {

constexpr int kImageSlots = 8;

QColor imageSlotColor(int slot, bool dark)
{
    // Blue, green, violet, teal, brown, magenta, slate, olive: never the error red or the
    // warning amber of the guarantee line.
    static const QColor light[kImageSlots] = {QColor(0x2f, 0x6b, 0xc9), QColor(0x1f, 0x9d, 0x55),
                                              QColor(0x7b, 0x4f, 0xb8), QColor(0x13, 0x86, 0x90),
                                              QColor(0x8a, 0x5a, 0x2b), QColor(0xb8, 0x3f, 0x8c),
                                              QColor(0x4f, 0x60, 0x78), QColor(0x6b, 0x7d, 0x1a)};
    static const QColor darkColors[kImageSlots] = {
        QColor(0x6f, 0x9c, 0xe6), QColor(0x4c, 0xc3, 0x7e), QColor(0xb0, 0x8c, 0xe8),
        QColor(0x4f, 0xc4, 0xcc), QColor(0xd0, 0xa0, 0x70), QColor(0xe8, 0x7e, 0xc4),
        QColor(0xa4, 0xb2, 0xc6), QColor(0xb4, 0xc8, 0x5a)};
    return dark ? darkColors[slot % kImageSlots] : light[slot % kImageSlots];
}

} // namespace

QColor colorForImage(const QString &imageKey, const QPalette &palette)
{
    // For the program's lifetime; only the GUI thread asks.
    static QHash<QString, int> assigned;
    auto it = assigned.constFind(imageKey);
    if (it == assigned.cend())
        it = assigned.insert(imageKey, int(assigned.size()));
    return imageSlotColor(it.value(), isDark(palette));
}

QString colorKey(const rollout::VersionInfo &version, const QList<rollout::VersionInfo> &versions)
{
    const QString image = version.image.isEmpty() ? version.label : version.image;
    for (const rollout::VersionInfo &other : versions) {
        if (other.id == version.id || other.image != version.image)
            continue;
        // A restart: the same image twice. The older version keeps the image's colour.
        if (other.revision < version.revision ||
            (other.revision == version.revision && other.colorIndex < version.colorIndex))
            return version.label.isEmpty() ? version.id : version.label;
    }
    return image.isEmpty() ? version.id : image;
}

QColor colorForVersion(const rollout::VersionInfo &version,
                       const QList<rollout::VersionInfo> &versions, const QPalette &palette)
{
    return colorForImage(colorKey(version, versions), palette);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x26, 0x28, 0x2e);
    const QColor base(0x1d, 0x1f, 0x24);
    const QColor text(0xe6, 0xe6, 0xea);
    const QColor disabled(0x7a, 0x7a, 0x84);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2c, 0x33));
    p.setColor(QPalette::ToolTipBase, QColor(0x33, 0x35, 0x3c));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x31, 0x33, 0x3a));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Link, QColor(0x6f, 0x9c, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x6f, 0xc4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x44, 0x46, 0x4e));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1d));
    p.setColor(QPalette::Light, QColor(0x3c, 0x3e, 0x46));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

void applyToChart(QChart *chart, std::initializer_list<QValueAxis *> axes, const QPalette &palette)
{
    chart->setTheme(isDark(palette) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.base());
    chart->setTitleBrush(palette.text());
    chart->legend()->setLabelColor(palette.color(QPalette::Text));
    for (QValueAxis *axis : axes) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.text());
        axis->setGridLineColor(palette.color(QPalette::Mid));
    }
}

} // namespace rollscope::Theme
