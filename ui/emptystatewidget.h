// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;

namespace rollscope {

// What the window shows before there is anything to show: a title, an explanation of how to
// connect, and (optionally) a button for the next step.
class EmptyStateWidget final : public QWidget
{
    Q_OBJECT
public:
    explicit EmptyStateWidget(QWidget *parent = nullptr);

    void setTitle(const QString &title);
    void setText(const QString &richText);

    QString title() const;
    QString text() const;

private:
    QLabel *m_icon = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_text = nullptr;
};

} // namespace rollscope
