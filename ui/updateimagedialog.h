// SPDX-License-Identifier: MIT
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

// Update image: which container, its current image, the new one (typed or picked from this
// Deployment's earlier revisions, other tags of the same repository, and - in a separate group -
// other images seen in the cluster), checked as an image reference before anything can be sent,
// the predicted steps of the rollout for this strategy, and an optional change-cause.
//
// What is accepted is exactly the text that was checked and shown: completion is case-sensitive
// and only offers, Enter on a text that is not valid does nothing but show why, and accepting
// re-checks the text on screen.
class UpdateImageDialog : public QDialog
{
    Q_OBJECT
public:
    // Which group a suggestion is in (GroupRole of the image box's items; headers and the
    // separator have none).
    enum class SuggestionGroup
    {
        Revision = 1,   // an image of one of this Deployment's revisions
        SameRepository, // another tag (or digest) of the current image's repository
        Other,          // any other image seen in the cluster
    };
    static constexpr int GroupRole = Qt::UserRole + 1;

    // `revisionImages`: the images of this Deployment's revisions, oldest first (as the tracker's
    // history lists them); `clusterImages`: images seen in the cluster.
    UpdateImageDialog(const kube::DeploymentInfo &deployment, const QStringList &revisionImages,
                      const QStringList &clusterImages, QWidget *parent = nullptr);

    QString container() const;
    // The image to roll out: the text the last check saw (and found valid, once accepted).
    QString image() const { return m_checked; }
    // "" = the default change-cause ("rollscope set image deployment/NAME c=image").
    QString changeCause() const;

    // Why Update is disabled ("" when it is enabled).
    QString problem() const { return m_problem; }
    QComboBox *imageBox() const { return m_image; }
    QComboBox *containerBox() const { return m_container; }
    QTableWidget *stepsTable() const { return m_steps; }
    QLabel *stepsLegend() const { return m_legend; }
    QPushButton *updateButton() const;

    void done(int result) override;

    // For an invalid reference with upper case in its repository: names each upper-case part
    // and whether it may stay; "" otherwise.
    static QString upperCaseProblem(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void onContainerChanged();
    void fillSuggestions(const QString &current);
    QString typedText() const;
    void validate();
    void showProblem();
    void fillSteps();

    kube::DeploymentInfo m_deployment;
    QStringList m_revisionImages;
    QStringList m_clusterImages;
    QComboBox *m_container;
    QLabel *m_current;
    QComboBox *m_image;
    QLabel *m_error;
    QLabel *m_strategy;
    QTableWidget *m_steps;
    QLabel *m_legend;
    QLineEdit *m_cause;
    QDialogButtonBox *m_buttons;
    QPushButton *m_update = nullptr;
    QString m_problem;
    QString m_checked;      // the text validate() last checked
    QString m_textAtEnter;  // the text when Enter was pressed, for that key press only
    bool m_inEnter = false; // an Enter key press is being handled
};

} // namespace rollscope
