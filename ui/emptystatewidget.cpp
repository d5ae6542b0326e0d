// SPDX-License-Identifier: MIT
#include "emptystatewidget.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QVBoxLayout>

namespace rollscope {

EmptyStateWidget::EmptyStateWidget(QWidget *parent)
    : QWidget(parent)
    , m_icon(new QLabel(this))
    , m_title(new QLabel(this))
    , m_text(new QLabel(this))
{
    m_icon->setPixmap(QIcon(QStringLiteral(":/icons/rollscope.svg")).pixmap(96, 96));
    m_icon->setAlignment(Qt::AlignCenter);

    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setObjectName(QStringLiteral("emptyStateTitle"));

    m_text->setAlignment(Qt::AlignCenter);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_text->setOpenExternalLinks(true);
    m_text->setFixedWidth(560);
    m_text->setObjectName(QStringLiteral("emptyStateText"));

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(m_icon);
    layout->addSpacing(12);
    layout->addWidget(m_title);
    layout->addSpacing(8);
    // Centred by stretches, not an alignment flag: an aligned word-wrapped label gets its
    // height from the unwrapped size hint and is clipped.
    auto *textRow = new QHBoxLayout;
    textRow->addStretch();
    textRow->addWidget(m_text);
    textRow->addStretch();
    layout->addLayout(textRow);
    layout->addStretch(3);
}

void EmptyStateWidget::setTitle(const QString &title)
{
    m_title->setText(title);
}

void EmptyStateWidget::setText(const QString &richText)
{
    m_text->setText(richText);
}

QString EmptyStateWidget::title() const
{
    return m_title->text();
}

QString EmptyStateWidget::text() const
{
    return m_text->text();
}

} // namespace rollscope
