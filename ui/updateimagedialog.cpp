// SPDX-License-Identifier: MIT
#include "updateimagedialog.h"

#include "kube/imagereference.h"
#include "kube/operations.h"
#include "rollout/strategy.h"
#include "theme.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStandardItemModel>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace rollscope {

namespace {

QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

bool hasUpperCase(const QString &text)
{
    return text != text.toLower();
}

// The repository an image belongs to ("bebullish/demo" of "bebullish/demo:v2"); "" when the
// text is not a reference.
QString repositoryOf(const QString &image)
{
    const auto parsed = kube::ImageReference::parse(image);
    return parsed ? parsed->name() : QString();
}

} // namespace

// The parser names the first rule broken; a person who typed upper case wants to know which
// parts must change and which may stay. The reference grammar: repository path components are
// lower case; a registry host and a tag may use upper case; a digest's hex is lower case.
// "" when the repository has no upper case (the parser's message is then the clearer one).
QString UpdateImageDialog::upperCaseProblem(const QString &text)
{
    const qsizetype at = text.indexOf(u'@');
    const QString digest = at >= 0 ? text.mid(at) : QString(); // with its "@"
    const QString rest = at >= 0 ? text.left(at) : text;
    const qsizetype tagColon = rest.indexOf(u':', rest.lastIndexOf(u'/') + 1);
    const QString tag = tagColon >= 0 ? rest.mid(tagColon + 1) : QString();
    QStringList components = (tagColon >= 0 ? rest.left(tagColon) : rest).split(u'/');
    // Docker also reads an upper-case first part as a registry host, but only a part with "."
    // or ":" (or localhost) is one a person means; "BEBULLISH/DEMO" is one repository typed in
    // capitals, and lower-casing all of it is the fix.
    QString registry;
    const QString first = components.constFirst();
    if (components.size() > 1 && (first.contains(u'.') || first.contains(u':') ||
                                  first == u"localhost" || first.startsWith(u'['))) {
        registry = first;
        components.removeFirst();
    }
    const QString repository = components.join(u'/');
    if (!hasUpperCase(repository))
        return {};

    QStringList parts{tr("the repository %1 must be lower case (%2)")
                          .arg(quoted(repository), quoted(repository.toLower()))};
    if (hasUpperCase(registry))
        parts << tr("the registry %1 may use upper case").arg(quoted(registry));
    static const QRegularExpression tagPattern(
        QStringLiteral("\\A[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\\z"));
    if (hasUpperCase(tag) && tagPattern.match(tag).hasMatch())
        parts << tr("the tag %1 is fine").arg(quoted(tag));
    QString message =
        tr("The image reference %1 is invalid: %2.").arg(quoted(text), parts.join(u"; "));
    // Whatever else is wrong shows once the case is right.
    QString lowered =
        registry.isEmpty() ? repository.toLower() : registry + u'/' + repository.toLower();
    if (tagColon >= 0)
        lowered += u':' + tag;
    lowered += digest;
    if (const auto parsed = kube::ImageReference::parse(lowered); !parsed)
        message += u' ' + parsed.error().message;
    return message;
}

UpdateImageDialog::UpdateImageDialog(const kube::DeploymentInfo &deployment,
                                     const QStringList &revisionImages,
                                     const QStringList &clusterImages, QWidget *parent)
    : QDialog(parent)
    , m_deployment(deployment)
    , m_revisionImages(revisionImages)
    , m_clusterImages(clusterImages)
    , m_container(new QComboBox(this))
    , m_current(new QLabel(this))
    , m_image(new QComboBox(this))
    , m_error(new QLabel(this))
    , m_strategy(new QLabel(this))
    , m_steps(new QTableWidget(this))
    , m_legend(new QLabel(this))
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
    // The default completer is case-insensitive and inline: it would offer (and the combo box
    // would then pick) "bebullish/demo:v1" for a typed "BEBULLISH/DEMO:V1". Suggestions are
    // offered in a popup, matched case-sensitively, and replace the text only when chosen.
    auto *completer = new QCompleter(m_image->model(), m_image);
    completer->setCaseSensitivity(Qt::CaseSensitive);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    completer->setFilterMode(Qt::MatchStartsWith);
    m_image->setCompleter(completer);
    m_image->lineEdit()->installEventFilter(this);
    m_error->setObjectName(QStringLiteral("imageError"));
    m_error->setWordWrap(true);
    m_error->setTextFormat(Qt::PlainText); // it quotes what was typed
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::Error));
    m_error->setPalette(errorPalette);
    m_strategy->setWordWrap(true);
    m_cause->setPlaceholderText(tr("Recorded as kubernetes.io/change-cause (optional)"));

    m_steps->setObjectName(QStringLiteral("predictedSteps"));
    m_steps->setColumnCount(6);
    m_steps->setHorizontalHeaderLabels(
        {tr("When"), tr("Old"), tr("New"), tr("New ready"), tr("Pods"), tr("Available")});
    m_steps->verticalHeader()->hide();
    m_steps->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_steps->setSelectionMode(QAbstractItemView::NoSelection);
    m_steps->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_steps->setMinimumHeight(150);
    m_legend->setObjectName(QStringLiteral("stepsLegend"));
    m_legend->setWordWrap(true);

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
    layout->addWidget(m_legend);
    layout->addWidget(m_buttons);

    connect(m_container, &QComboBox::currentIndexChanged, this,
            &UpdateImageDialog::onContainerChanged);
    connect(m_image, &QComboBox::editTextChanged, this, &UpdateImageDialog::validate);
    onContainerChanged();
    fillSteps();
    resize(560, 560);
}

QPushButton *UpdateImageDialog::updateButton() const
{
    return m_update;
}

QString UpdateImageDialog::container() const
{
    return m_container->currentText();
}

QString UpdateImageDialog::typedText() const
{
    return m_image->lineEdit()->text().trimmed();
}

QString UpdateImageDialog::changeCause() const
{
    return m_cause->text().trimmed();
}

void UpdateImageDialog::onContainerChanged()
{
    const QString current = m_container->currentData().toString();
    m_current->setText(current);
    const QString typed = m_image->lineEdit()->text();
    fillSuggestions(current);
    m_image->setEditText(typed.isEmpty() ? current : typed);
    validate();
}

// This Deployment's revisions first (newest first: the likeliest rollback), then other tags of
// the same repository, then - after a separator and a header, so they are not taken for
// versions of this app - every other image in the cluster. Headers are disabled items.
void UpdateImageDialog::fillSuggestions(const QString &current)
{
    const QString repository = repositoryOf(current);
    QStringList seen{current};
    QStringList revisions;
    for (auto it = m_revisionImages.crbegin(); it != m_revisionImages.crend(); ++it) {
        if (!seen.contains(*it)) {
            revisions << *it;
            seen << *it;
        }
    }
    QStringList same;
    QStringList others;
    for (const QString &image : std::as_const(m_clusterImages)) {
        if (seen.contains(image))
            continue;
        seen << image;
        (!repository.isEmpty() && repositoryOf(image) == repository ? same : others) << image;
    }

    m_image->clear();
    auto *model = qobject_cast<QStandardItemModel *>(m_image->model());
    const auto addHeader = [this, model](const QString &text) {
        m_image->addItem(text);
        if (QStandardItem *item = model ? model->item(m_image->count() - 1) : nullptr) {
            item->setFlags(item->flags() & ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable));
            QFont font = item->font();
            font.setBold(true);
            item->setFont(font);
        }
    };
    const auto addGroup = [this](const QStringList &images, SuggestionGroup group) {
        for (const QString &image : images) {
            m_image->addItem(image);
            m_image->setItemData(m_image->count() - 1, int(group), GroupRole);
        }
    };
    if (!revisions.isEmpty()) {
        addHeader(tr("Earlier revisions of %1").arg(m_deployment.name));
        addGroup(revisions, SuggestionGroup::Revision);
    }
    if (!same.isEmpty()) {
        addHeader(tr("Other tags of %1").arg(repository));
        addGroup(same, SuggestionGroup::SameRepository);
    }
    if (!others.isEmpty()) {
        if (m_image->count() > 0)
            m_image->insertSeparator(m_image->count());
        addHeader(tr("Other images in the cluster"));
        addGroup(others, SuggestionGroup::Other);
    }
}

void UpdateImageDialog::validate()
{
    const QString typed = typedText();
    m_checked = typed;
    m_problem.clear();
    if (typed.isEmpty()) {
        m_problem = tr("Type the new image.");
    } else if (typed == m_container->currentData().toString()) {
        m_problem = tr("This is the current image; nothing would change.");
    } else if (const auto parsed = kube::ImageReference::parse(typed); !parsed) {
        const QString caseProblem = upperCaseProblem(typed);
        m_problem = caseProblem.isEmpty() ? parsed.error().message : caseProblem;
    }
    // An unchanged image is not an error worth red text, only a disabled button.
    const bool unchanged = typed == m_container->currentData().toString();
    m_error->setText(unchanged ? QString() : m_problem);
    m_error->setVisible(!m_error->text().isEmpty());
    if (QPushButton *update = updateButton())
        update->setEnabled(m_problem.isEmpty());
}

void UpdateImageDialog::showProblem()
{
    m_error->setText(m_problem);
    m_error->setVisible(!m_problem.isEmpty());
    m_image->lineEdit()->setFocus();
}

bool UpdateImageDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_image->lineEdit() && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Return || key == Qt::Key_Enter) {
            validate();
            if (!m_problem.isEmpty()) {
                // Stop the key here: past this point the combo box looks the text up among its
                // items (and may put an item's text in its place) and the dialog presses its
                // default button.
                showProblem();
                return true;
            }
            // done() refuses if anything changes the text while this key press is handled.
            m_textAtEnter = m_checked;
            m_inEnter = true;
            QTimer::singleShot(0, this, [this] {
                m_inEnter = false;
                m_textAtEnter.clear();
            });
        }
    }
    return QDialog::eventFilter(watched, event);
}

void UpdateImageDialog::done(int result)
{
    if (result == QDialog::Accepted) {
        // Check the text on screen now, whatever set it: what is sent is what was checked.
        const QString before = m_checked;
        validate();
        const bool changedByEnter = m_inEnter && m_checked != m_textAtEnter;
        if (changedByEnter || m_checked != before) {
            m_problem = tr("The image changed to %1 as you pressed Enter; check it and press "
                           "Update again.")
                            .arg(quoted(m_checked));
            if (QPushButton *update = updateButton())
                update->setEnabled(false);
            // Enabled again by the next edit (validate()); or by this timer, so a careful
            // user can accept the shown text without retyping it.
            QTimer::singleShot(0, this, &UpdateImageDialog::validate);
        }
        if (!m_problem.isEmpty()) {
            showProblem();
            return;
        }
    }
    QDialog::done(result);
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
        const QString when = s.timeIndex == 0 ? tr("at once") : tr("after %1 T").arg(s.timeIndex);
        const QString whenTip =
            s.timeIndex == 0
                ? tr("As soon as the update is applied")
                : tr("After %1 × T, T being the time one new pod takes to become ready")
                      .arg(s.timeIndex);
        const QStringList cells{when,
                                QString::number(s.oldReplicas),
                                QString::number(s.newReplicas),
                                QString::number(s.newReady),
                                QString::number(s.totalPods),
                                QString::number(s.available)};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setTextAlignment(Qt::AlignCenter);
            if (column == 0)
                item->setToolTip(whenTip);
            m_steps->setItem(row, column, item);
        }
    }
    // Written out under the table: a tooltip alone left "after 1 T" a riddle.
    m_legend->setText(tr("T is the time one new pod takes to become ready (start-up plus readiness "
                         "checks); \"after 2 T\" is two such rounds after the update. At no step "
                         "are there more than %1 pods or fewer than %2 available.")
                          .arg(numbers.maxTotal)
                          .arg(numbers.minAvailable));
    m_steps->setToolTip(m_legend->text());
}

} // namespace rollscope
