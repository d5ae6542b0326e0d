// SPDX-License-Identifier: MIT
#pragma once

// Search in a read-only QPlainTextEdit, as the log and YAML viewers use it: a field, previous and
// next, every match highlighted, "3 of 12" / "no match". Ctrl+F (in the owning window) focuses
// the field, Enter and F3 go to the next match, Shift+Enter and Shift+F3 to the previous one.

#include <QList>
#include <QString>
#include <QTextCursor>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTimer;
class QToolButton;

namespace rollscope {

class TextFindBar : public QWidget
{
    Q_OBJECT

public:
    // The shortcuts are installed on `shortcutScope` (a window) so they work wherever the focus
    // is in it; the bar belongs to `parent` as usual.
    TextFindBar(QPlainTextEdit *edit, QWidget *shortcutScope, QWidget *parent = nullptr);

    QLineEdit *field() const { return m_field; }
    QString text() const;
    void setText(const QString &text);
    int matchCount() const { return static_cast<int>(m_matches.size()); }
    // 0-based index of the current match, -1 when there is none.
    int currentIndex() const { return m_current; }
    QString statusText() const;

    // Finds the matches again (the text changed); keeps the current one where it can. Cheap to
    // call often: the work is coalesced into one pass per event-loop turn.
    void refresh();
    // Runs a pending refresh() now.
    void refreshNow();

public slots:
    void findNext();
    void findPrevious();
    void focusField();

signals:
    void currentMatchChanged(int index, int count);

private:
    void search(bool keepPosition);
    void select(int index);
    void updateHighlights();

    QPlainTextEdit *m_edit;
    QLineEdit *m_field;
    QToolButton *m_previous;
    QToolButton *m_next;
    QLabel *m_status;
    QTimer *m_refreshTimer;
    QList<QTextCursor> m_matches;
    int m_current = -1;
    bool m_capped = false;
};

} // namespace rollscope
