#pragma once

#include "kube/resources.h"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace rollscope {

// Update image: which container, its current image, the new one (typed or picked from earlier
// revisions and other tags of the same repository seen in the cluster), checked as an image
// reference before anything can be sent, the predicted steps of the rollout for this strategy,
// and an optional change-cause.
class UpdateImageDialog : public QDialog
{
    Q_OBJECT
public:
    UpdateImageDialog(const kube::DeploymentInfo &deployment, const QStringList &suggestions,
                      QWidget *parent = nullptr);

    QString container() const;
    QString image() const;
    // "" = the default change-cause ("rollscope set image deployment/NAME c=image").
    QString changeCause() const;

    // Why Update is disabled ("" when it is enabled).
    QString problem() const { return m_problem; }
    QComboBox *imageBox() const { return m_image; }
    QComboBox *containerBox() const { return m_container; }
    QTableWidget *stepsTable() const { return m_steps; }
    QPushButton *updateButton() const;

private:
    void onContainerChanged();
    void validate();
    void fillSteps();

    kube::DeploymentInfo m_deployment;
    QStringList m_suggestions;
    QComboBox *m_container;
    QLabel *m_current;
    QComboBox *m_image;
    QLabel *m_error;
    QLabel *m_strategy;
    QTableWidget *m_steps;
    QLineEdit *m_cause;
    QDialogButtonBox *m_buttons;
    QPushButton *m_update = nullptr;
    QString m_problem;
};

} // namespace rollscope
