// SPDX-License-Identifier: MIT
#include "chartlegend.h"

#include <QChartView>
#include <QEvent>
#include <QGraphicsLayout>
#include <QLabel>
#include <QPainter>

#include <algorithm>
#include <optional>
#include <utility>

namespace rollscope {

namespace {

constexpr int kLegendSwatchWidth = 26;
constexpr int kLegendGap = 4;      // swatch to label
constexpr int kLegendItemGap = 14; // entry to entry
constexpr int kLegendLineSpacing = 2;

class LegendSwatch : public QWidget
{
public:
    LegendSwatch(const ChartLegend::Entry &entry, QWidget *parent)
        : QWidget(parent)
        , m_entry(entry)
    {
        setFixedSize(kLegendSwatchWidth, 14);
        setToolTip(entry.toolTip);
    }

protected:
    void paintEvent(QPaintEvent *) override
    {
        QPainter p(this);
        p.setRenderHint(QPainter::Antialiasing);
        const QRectF r = QRectF(rect()).adjusted(1, 1, -1, -1);
        switch (m_entry.swatch) {
        case ChartLegend::Swatch::Line:
            p.setPen(QPen(m_entry.color, 2.2, m_entry.style, Qt::FlatCap));
            p.drawLine(QPointF(r.left(), r.center().y()), QPointF(r.right(), r.center().y()));
            break;
        case ChartLegend::Swatch::ReadyPair:
            p.setPen(QPen(m_entry.color, 2.6, Qt::SolidLine, Qt::FlatCap));
            p.drawLine(QPointF(r.left(), r.top() + 2.5), QPointF(r.right(), r.top() + 2.5));
            p.setPen(QPen(m_entry.color, 1.4, Qt::DashLine, Qt::FlatCap));
            p.drawLine(QPointF(r.left(), r.bottom() - 2), QPointF(r.right(), r.bottom() - 2));
            break;
        case ChartLegend::Swatch::Band: {
            QColor fill = m_entry.color;
            fill.setAlpha(150);
            p.setPen(QPen(m_entry.color, 1.2));
            p.setBrush(fill);
            p.drawRect(r.adjusted(0, 1, 0, -1));
            break;
        }
        }
    }

private:
    ChartLegend::Entry m_entry;
};

} // namespace

ChartLegend::ChartLegend(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("chartLegend"));
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ChartLegend::setEntries(const QList<Entry> &entries)
{
    if (entries == m_entries)
        return;
    m_entries = entries;
    for (const Item &item : std::as_const(m_items)) {
        delete item.swatch;
        delete item.label;
    }
    m_items.clear();
    for (const Entry &entry : entries) {
        Item item;
        item.swatch = new LegendSwatch(entry, this);
        item.label = new QLabel(entry.text, this);
        item.label->setObjectName(QStringLiteral("legendLabel"));
        item.label->setProperty("legendKey", entry.key);
        item.label->setTextFormat(Qt::PlainText);
        item.label->setToolTip(entry.toolTip);
        if (entry.bold) {
            QFont font = item.label->font();
            font.setBold(true);
            item.label->setFont(font);
        }
        item.swatch->show();
        item.label->show();
        m_items.append(item);
    }
    arrange(width(), true);
    updateGeometry();
    const int h = heightForWidth(width());
    if (h != m_lastHeight) {
        m_lastHeight = h;
        emit heightChanged();
    }
}

QLabel *ChartLegend::label(const QString &key) const
{
    for (qsizetype i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i).key == key)
            return m_items.at(i).label;
    }
    return nullptr;
}

QList<QLabel *> ChartLegend::labels() const
{
    QList<QLabel *> result;
    for (const Item &item : m_items)
        result << item.label;
    return result;
}

int ChartLegend::arrange(int width, bool apply) const
{
    if (m_items.isEmpty())
        return 0;
    width = std::max(width, kLegendSwatchWidth + kLegendGap + 20);
    int x = 0;
    int y = 0;
    int lineHeight = 0;
    for (const Item &item : m_items) {
        const int textRoom = width - kLegendSwatchWidth - kLegendGap;
        // The text on one line (a word-wrapped label's sizeHint() is narrower than that).
        const QMargins margins = item.label->contentsMargins();
        const QSize oneLine =
            item.label->fontMetrics().size(Qt::TextSingleLine, item.label->text()) +
            QSize(margins.left() + margins.right() + 2 * item.label->margin() + 1,
                  margins.top() + margins.bottom() + 2 * item.label->margin());
        const int textWidth = oneLine.width();
        // A label longer than the whole width wraps inside its entry.
        const bool wraps = textWidth > textRoom;
        const int labelWidth = wraps ? textRoom : textWidth;
        if (apply)
            item.label->setWordWrap(wraps);
        const int labelHeight = wraps ? item.label->heightForWidth(labelWidth) : oneLine.height();
        const int entryWidth = kLegendSwatchWidth + kLegendGap + labelWidth;
        if (x > 0 && x + entryWidth > width) {
            x = 0;
            y += lineHeight + kLegendLineSpacing;
            lineHeight = 0;
        }
        const int h = std::max(labelHeight, item.swatch->height());
        if (apply) {
            const int firstLine = std::min(h, item.label->fontMetrics().height());
            item.swatch->move(x, y + (firstLine - item.swatch->height()) / 2);
            item.label->setGeometry(x + kLegendSwatchWidth + kLegendGap, y, labelWidth,
                                    labelHeight);
        }
        x += entryWidth + kLegendItemGap;
        lineHeight = std::max(lineHeight, h);
    }
    return y + lineHeight;
}

int ChartLegend::relayout(int width)
{
    const int h = arrange(width, true);
    m_lastHeight = h;
    return h;
}

int ChartLegend::heightForWidth(int width) const
{
    return arrange(width, false);
}

QSize ChartLegend::sizeHint() const
{
    int w = 0;
    for (const Item &item : m_items)
        w += kLegendSwatchWidth + kLegendGap +
             item.label->fontMetrics().horizontalAdvance(item.label->text()) + kLegendItemGap + 1;
    w = std::max(0, w - kLegendItemGap);
    return QSize(w, heightForWidth(w));
}

QSize ChartLegend::minimumSizeHint() const
{
    return QSize(kLegendSwatchWidth + kLegendGap + 20, 0);
}

void ChartLegend::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    arrange(width(), true);
}

void ChartLegend::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        arrange(width(), true);
    QWidget::changeEvent(event);
}

namespace {

// "repo/name" and the tag ("v2", "@sha256:…") of a single image reference; nothing for a list
// of images ("a:v1, b:v2").
std::optional<std::pair<QString, QString>> splitImageReference(const QString &image)
{
    if (image.isEmpty() || image.contains(u',') || image.contains(u' '))
        return std::nullopt;
    const qsizetype at = image.indexOf(u'@');
    if (at > 0) {
        const QString digest = image.mid(at + 1);
        const qsizetype colon = digest.indexOf(u':');
        // "@sha256:" and the first 12 hex digits, as `docker images` shows digests.
        const QString shortDigest = colon >= 0 ? digest.left(colon + 13) : digest.left(12);
        return std::make_pair(image.left(at), QStringLiteral("@%1").arg(shortDigest));
    }
    const qsizetype slash = image.lastIndexOf(u'/');
    const qsizetype colon = image.lastIndexOf(u':');
    if (colon > slash && colon > 0)
        return std::make_pair(image.left(colon), image.mid(colon + 1));
    return std::make_pair(image, QStringLiteral("latest"));
}

} // namespace

QHash<QString, QString> ChartLegend::versionTexts(const QList<rollout::VersionInfo> &versions)
{
    std::optional<QString> repository;
    bool shared = !versions.isEmpty();
    for (const rollout::VersionInfo &v : versions) {
        const auto ref = splitImageReference(v.image);
        if (!ref || !v.label.startsWith(v.image) || (repository && *repository != ref->first)) {
            shared = false;
            break;
        }
        repository = ref->first;
    }
    QHash<QString, QString> texts;
    for (const rollout::VersionInfo &v : versions) {
        QString text = v.label.isEmpty() ? v.id : v.label;
        if (shared) // the tag, and what the label adds to the image: " (rev 4)"
            text = splitImageReference(v.image)->second + v.label.mid(v.image.size());
        texts.insert(v.id, v.isNew ? tr("%1 (new)").arg(text) : text);
    }
    return texts;
}

QString ChartLegend::versionToolTip(const rollout::VersionInfo &version)
{
    QString text = version.image.isEmpty() ? version.label : version.image;
    if (!version.replicaSet.isEmpty())
        text = tr("%1\nReplicaSet %2").arg(text, version.replicaSet);
    if (version.revision > 0)
        text = tr("%1, revision %2").arg(text).arg(version.revision);
    return text;
}

void ChartLegend::placeIn(QChartView *view, int margin)
{
    const int inset = 3 * margin;
    const int width = qMax(0, view->width() - 2 * inset);
    const int height = relayout(width);
    setGeometry(inset, view->height() - height - 2 * margin, width, height);
    raise();
    const QMargins margins(margin, margin, margin, margin + (height > 0 ? height + margin + 4 : 0));
    QChart *chart = view->chart();
    if (chart->margins() != margins) {
        chart->setMargins(margins);
        // Now, not on the next turn of the event loop: an export renders right after resizing.
        if (QGraphicsLayout *layout = chart->layout())
            layout->activate();
    }
}

} // namespace rollscope
