// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QTableWidget;

namespace rollscope {

// Lists every action of a window that has a shortcut. It reads the actions at open time, so the
// list cannot drift from what the keys really do.
class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
public:
    ShortcutsDialog(const QWidget *window, QWidget *parent = nullptr);

    int shortcutCount() const;

private:
    QTableWidget *m_table = nullptr;
};

} // namespace rollscope
