#pragma once

#include <QMainWindow>

class QLabel;
class QStackedWidget;

namespace rollscope {

class EmptyStateWidget;

class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    EmptyStateWidget *emptyState() const { return m_emptyState; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createMenus();
    void showShortcuts();
    void showAbout();
    void restoreLayout();
    void saveLayout() const;

    QStackedWidget *m_pages = nullptr;
    EmptyStateWidget *m_emptyState = nullptr;
    QLabel *m_connectionLabel = nullptr;
};

} // namespace rollscope
