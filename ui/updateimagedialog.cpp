#include "updateimagedialog.h"

#include "kube/imagereference.h"
#include "kube/operations.h"
#include "rollout/strategy.h"
#include "theme.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace rollscope {

UpdateImageDialog::UpdateImageDialog(const kube::DeploymentInfo &deployment,
                                     const QStringList &suggestions, QWidget *parent)
    : QDialog(parent)
    , m_deployment(deployment)
    , m_suggestions(suggestions)
    , m_container(new QComboBox(this))
    , m_current(new QLabel(this))
    , m_image(new QComboBox(this))
    , m_error(new QLabel(this))
    , m_strategy(new QLabel(this))
    , m_steps(new QTableWidget(this))
    , m_cause(new QLineEdit(this))
    , m_buttons(new QDialogButtonBox(this))
{
    setObjectName(QStringLiteral("UpdateImageDialog"));
    setWindowTitle(tr("Update image of %1").arg(deployment.name));

    for (const kube::ContainerImage &c : deployment.containers)
        m_container->addItem(c.name, c.image);
    m_container->setEnabled(deployment.containers.size() > 1);
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_image->setEditable(true);
    m_image->setInsertPolicy(QComboBox::NoInsert);
    m_image->setMinimumContentsLength(32);
    m_image->setObjectName(QStringLiteral("newImage"));
    m_error->setObjectName(QStringLiteral("imageError"));
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::Error));
    m_error->setPalette(errorPalette);
    m_strategy->setWordWrap(true);
    m_cause->setPlaceholderText(tr("Recorded as kubernetes.io/change-cause (optional)"));

    m_steps->setObjectName(QStringLiteral("predictedSteps"));
    m_steps->setColumnCount(6);
    m_steps->setHorizontalHeaderLabels(
        {tr("Step"), tr("Old"), tr("New"), tr("New ready"), tr("Pods"), tr("Available")});
    m_steps->verticalHeader()->hide();
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_steps->setMinimumHeight(150);

    auto *form = new QFormLayout;
    form->addRow(tr("&Container:"), m_container);
    form->addRow(tr("Current image:"), m_current);
    form->addRow(tr("&New image:"), m_image);
    form->addRow(QString(), m_error);
    form->addRow(tr("Change &cause:"), m_cause);

    m_update = m_buttons->addButton(tr("&Update"), QDialogButtonBox::AcceptRole);
    m_update->setObjectName(QStringLiteral("updateButton"));
    m_buttons->addButton(QDialogButtonBox::Cancel);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *stepsTitle = new QLabel(tr("<b>How the rollout will go</b>"), this);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addWidget(stepsTitle);
    layout->addWidget(m_strategy);
    layout->addWidget(m_steps);
    layout->addWidget(m_buttons);

    connect(m_container, &QComboBox::currentIndexChanged, this,
            &UpdateImageDialog::onContainerChanged);
    connect(m_image, &QComboBox::editTextChanged, this, &UpdateImageDialog::validate);
    onContainerChanged();
    fillSteps();
    resize(560, 520);
}

QPushButton *UpdateImageDialog::updateButton() const
{
    return m_update;
}

QString UpdateImageDialog::container() const
{
    return m_container->currentText();
}

QString UpdateImageDialog::image() const
{
    return m_image->currentText().trimmed();
}

QString UpdateImageDialog::changeCause() const
{
    return m_cause->text().trimmed();
}

void UpdateImageDialog::onContainerChanged()
{
    const QString current = m_container->currentData().toString();
    m_current->setText(current);
    // Suggestions: the same repository first (other tags seen), then the rest.
    const QString repository = current.section(u':', 0, 0).section(u'@', 0, 0);
    QStringList same;
    QStringList others;
    for (const QString &s : std::as_const(m_suggestions)) {
        if (s == current || same.contains(s) || others.contains(s))
            continue;
        (s.startsWith(repository + u':') || s.startsWith(repository + u'@') ? same : others) << s;
    }
    const QString typed = m_image->currentText();
    m_image->clear();
    m_image->addItems(same + others);
    m_image->setEditText(typed.isEmpty() ? current : typed);
    validate();
}

void UpdateImageDialog::validate()
{
    const QString typed = image();
    m_problem.clear();
    if (typed.isEmpty()) {
        m_problem = tr("Type the new image.");
    } else if (typed == m_container->currentData().toString()) {
        m_problem = tr("This is the current image; nothing would change.");
    } else if (const auto parsed = kube::ImageReference::parse(typed); !parsed) {
        m_problem = parsed.error().message;
    }
    // An unchanged image is not an error worth red text, only a disabled button.
    const bool unchanged = typed == m_container->currentData().toString();
    m_error->setText(unchanged ? QString() : m_problem);
    m_error->setVisible(!m_error->text().isEmpty());
    if (QPushButton *update = updateButton())
        update->setEnabled(m_problem.isEmpty());
}

void UpdateImageDialog::fillSteps()
{
    const rollout::StrategyNumbers numbers = rollout::resolveStrategy(m_deployment);
    m_strategy->setText(rollout::describe(numbers));
    const QList<rollout::PredictedStep> steps =
        rollout::predictSteps(m_deployment.replicas, m_deployment.strategy.maxSurge,
                              m_deployment.strategy.maxUnavailable, m_deployment.strategy.type);
    m_steps->setRowCount(int(steps.size()));
    for (int row = 0; row < steps.size(); ++row) {
        const rollout::PredictedStep &s = steps.at(row);
        const QStringList cells{s.timeIndex == 0 ? tr("at once")
                                                 : tr("after %1 T").arg(s.timeIndex),
                                QString::number(s.oldReplicas),
                                QString::number(s.newReplicas),
                                QString::number(s.newReady),
                                QString::number(s.totalPods),
                                QString::number(s.available)};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setTextAlignment(Qt::AlignCenter);
            m_steps->setItem(row, column, item);
        }
    }
    m_steps->setToolTip(tr("T is the time a new pod needs to become ready. At no step are there "
                           "more than %1 pods or fewer than %2 available.")
                            .arg(numbers.maxTotal)
                            .arg(numbers.minAvailable));
}

} // namespace rollscope
