#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;
class QTableView;

namespace rollscope {

class DeploymentFilterProxy;
class DeploymentListModel;

namespace kube {
class DeploymentInformer;
}

// The Deployments of the current namespace: a filterable, sortable table that follows the
// cluster live. `/` or Ctrl+F focuses the filter (as in k9s).
class DeploymentsPane : public QWidget
{
    Q_OBJECT
public:
    explicit DeploymentsPane(QWidget *parent = nullptr);

    void setInformer(kube::DeploymentInformer *informer);
    void focusFilter();
    QString currentKey() const;
    bool selectKey(const QString &key);

    DeploymentListModel *model() const { return m_model; }
    DeploymentFilterProxy *proxy() const { return m_proxy; }
    QTableView *view() const { return m_view; }
    QLineEdit *filter() const { return m_filter; }

signals:
    void currentDeploymentChanged(const QString &key); // "" when nothing is selected
    void activated(const QString &key);                // double click / Enter

private:
    void updatePlaceholder();

    DeploymentListModel *m_model;
    DeploymentFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QTableView *m_view;
    QProgressBar *m_loading;
    QLabel *m_placeholder;
    kube::DeploymentInformer *m_informer = nullptr;
};

} // namespace rollscope
