// SPDX-License-Identifier: MIT
#include "shortcutsdialog.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QMap>
#include <QTableWidget>
#include <QVBoxLayout>

namespace rollscope {

ShortcutsDialog::ShortcutsDialog(const QWidget *window, QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(this))
{
    setWindowTitle(tr("Keyboard Shortcuts"));

    // Sorted by description; an action reachable from several menus appears once.
    QMap<QString, QString> rows;
    const QList<QAction *> actions = window->findChildren<QAction *>();
    for (const QAction *action : actions) {
        const QList<QKeySequence> keys = action->shortcuts();
        if (keys.isEmpty())
            continue;
        QStringList texts;
        for (const QKeySequence &key : keys)
            texts << key.toString(QKeySequence::NativeText);
        QString description = action->toolTip().isEmpty() ? action->text() : action->toolTip();
        description.remove(u'&');
        rows.insert(description, texts.join(tr(" or ")));
    }

    m_table->setColumnCount(2);
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Shortcut")});
    m_table->setRowCount(int(rows.size()));
    int row = 0;
    for (auto it = rows.cbegin(); it != rows.cend(); ++it, ++row) {
        m_table->setItem(row, 0, new QTableWidgetItem(it.key()));
        m_table->setItem(row, 1, new QTableWidgetItem(it.value()));
    }
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table);
    layout->addWidget(buttons);
    resize(480, 420);
}

int ShortcutsDialog::shortcutCount() const
{
    return m_table->rowCount();
}

} // namespace rollscope
