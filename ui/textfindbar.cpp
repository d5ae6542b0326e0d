// SPDX-License-Identifier: MIT
#include "textfindbar.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QShortcut>
#include <QTextBlock>
#include <QTextDocument>
#include <QTimer>
#include <QToolButton>

namespace rollscope {

namespace {

// More matches than this are counted as "10000+": the highlight list stays small.
constexpr int kFindBarMaxMatches = 10000;

} // namespace

TextFindBar::TextFindBar(QPlainTextEdit *edit, QWidget *shortcutScope, QWidget *parent)
    : QWidget(parent)
    , m_edit(edit)
    , m_field(new QLineEdit(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_status(new QLabel(this))
    , m_refreshTimer(new QTimer(this))
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_field->setObjectName(QStringLiteral("findField"));
    m_field->setPlaceholderText(tr("Find (Ctrl+F)"));
    m_field->setClearButtonEnabled(true);
    m_field->setAccessibleName(tr("Find"));
    m_previous->setText(tr("Previous"));
    m_previous->setToolTip(tr("Previous match (Shift+F3)"));
    m_previous->setArrowType(Qt::UpArrow);
    m_next->setText(tr("Next"));
    m_next->setToolTip(tr("Next match (F3, Enter)"));
    m_next->setArrowType(Qt::DownArrow);
    m_status->setObjectName(QStringLiteral("findStatus"));
    m_status->setMinimumWidth(fontMetrics().horizontalAdvance(tr("10000+ matches")));
    layout->addWidget(m_field, 1);
    layout->addWidget(m_previous);
    layout->addWidget(m_next);
    layout->addWidget(m_status);

    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(0);
    connect(m_refreshTimer, &QTimer::timeout, this, [this] { search(true); });
    connect(m_field, &QLineEdit::textChanged, this, [this] { search(false); });
    connect(m_field, &QLineEdit::returnPressed, this, [this] {
        if (QGuiApplication::keyboardModifiers() & Qt::ShiftModifier)
            findPrevious();
        else
            findNext();
    });
    connect(m_previous, &QToolButton::clicked, this, &TextFindBar::findPrevious);
    connect(m_next, &QToolButton::clicked, this, &TextFindBar::findNext);

    QWidget *scope = shortcutScope ? shortcutScope : this;
    auto *find = new QShortcut(QKeySequence::Find, scope);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, &TextFindBar::focusField);
    auto *next = new QShortcut(QKeySequence::FindNext, scope);
    next->setContext(Qt::WidgetWithChildrenShortcut);
    connect(next, &QShortcut::activated, this, &TextFindBar::findNext);
    auto *previous = new QShortcut(QKeySequence::FindPrevious, scope);
    previous->setContext(Qt::WidgetWithChildrenShortcut);
    connect(previous, &QShortcut::activated, this, &TextFindBar::findPrevious);
    search(false);
}

QString TextFindBar::text() const
{
    return m_field->text();
}

void TextFindBar::setText(const QString &text)
{
    m_field->setText(text);
}

void TextFindBar::focusField()
{
    m_field->setFocus(Qt::ShortcutFocusReason);
    m_field->selectAll();
}

QString TextFindBar::statusText() const
{
    return m_status->text();
}

void TextFindBar::refresh()
{
    if (!m_field->text().isEmpty())
        m_refreshTimer->start();
}

void TextFindBar::refreshNow()
{
    if (m_refreshTimer->isActive()) {
        m_refreshTimer->stop();
        search(true);
    }
}

void TextFindBar::search(bool keepPosition)
{
    m_refreshTimer->stop();
    const QString needle = m_field->text();
    const int previousPosition = keepPosition && m_current >= 0 && m_current < m_matches.size()
                                     ? m_matches.at(m_current).selectionStart()
                                     : -1;
    m_matches.clear();
    m_current = -1;
    m_capped = false;
    if (!needle.isEmpty()) {
        QTextDocument *doc = m_edit->document();
        QTextCursor cursor(doc);
        while (true) {
            cursor = doc->find(needle, cursor);
            if (cursor.isNull())
                break;
            if (m_matches.size() >= kFindBarMaxMatches) {
                m_capped = true;
                break;
            }
            m_matches.append(cursor);
        }
    }
    if (m_matches.isEmpty()) {
        updateHighlights();
        emit currentMatchChanged(-1, 0);
        return;
    }
    // The current match stays (by position) when the text grew; a new search starts at the
    // first match at or after the cursor, as editors do.
    const int from =
        previousPosition >= 0 ? previousPosition : m_edit->textCursor().selectionStart();
    int index = 0;
    for (int i = 0; i < m_matches.size(); ++i) {
        if (m_matches.at(i).selectionStart() >= from) {
            index = i;
            break;
        }
    }
    if (keepPosition && previousPosition < 0) {
        // Refresh without a current match (e.g. the text was empty): highlight only.
        m_current = -1;
        updateHighlights();
        emit currentMatchChanged(-1, matchCount());
        return;
    }
    if (keepPosition) {
        m_current = index;
        updateHighlights();
        emit currentMatchChanged(m_current, matchCount());
        return;
    }
    select(index);
}

void TextFindBar::findNext()
{
    refreshNow();
    if (m_matches.isEmpty()) {
        if (!m_field->text().isEmpty())
            search(false);
        return;
    }
    select(m_current < 0 ? 0 : (m_current + 1) % static_cast<int>(m_matches.size()));
}

void TextFindBar::findPrevious()
{
    refreshNow();
    if (m_matches.isEmpty())
        return;
    const int count = static_cast<int>(m_matches.size());
    select(m_current <= 0 ? count - 1 : m_current - 1);
}

void TextFindBar::select(int index)
{
    m_current = index;
    if (index >= 0 && index < m_matches.size()) {
        // Moving the edit's cursor scrolls the match into view.
        m_edit->setTextCursor(m_matches.at(index));
        m_edit->ensureCursorVisible();
    }
    updateHighlights();
    emit currentMatchChanged(m_current, matchCount());
}

void TextFindBar::updateHighlights()
{
    QList<QTextEdit::ExtraSelection> selections;
    const QPalette pal = m_edit->palette();
    QColor all = pal.color(QPalette::Highlight);
    all.setAlpha(70);
    QColor current = pal.color(QPalette::Highlight);
    current.setAlpha(170);
    selections.reserve(m_matches.size());
    for (int i = 0; i < m_matches.size(); ++i) {
        QTextEdit::ExtraSelection s;
        s.cursor = m_matches.at(i);
        s.format.setBackground(i == m_current ? current : all);
        selections.append(s);
    }
    m_edit->setExtraSelections(selections);

    const int count = matchCount();
    QString status;
    if (m_field->text().isEmpty())
        status.clear();
    else if (count == 0)
        status = tr("no match");
    else if (m_capped)
        status = m_current >= 0 ? tr("%1 of %2+").arg(m_current + 1).arg(count)
                                : tr("%1+ matches").arg(count);
    else if (m_current >= 0)
        status = tr("%1 of %2").arg(m_current + 1).arg(count);
    else
        status = count == 1 ? tr("1 match") : tr("%1 matches").arg(count);
    m_status->setText(status);
    m_previous->setEnabled(count > 0);
    m_next->setEnabled(count > 0);
}

} // namespace rollscope
