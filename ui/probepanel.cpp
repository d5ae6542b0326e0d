// SPDX-License-Identifier: MIT
#include "probepanel.h"

#include "probe/targets.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace rollscope {

ProbePanel::ProbePanel(QWidget *parent)
    : QWidget(parent)
    , m_target(new QComboBox(this))
    , m_url(new QLineEdit(this))
    , m_path(new QLineEdit(this))
    , m_rate(new QSpinBox(this))
    , m_concurrency(new QSpinBox(this))
    , m_timeout(new QSpinBox(this))
    , m_start(new QToolButton(this))
    , m_totals(new QLabel(this))
{
    setObjectName(QStringLiteral("ProbePanel"));
    m_target->setObjectName(QStringLiteral("probeTarget"));
    m_target->setToolTip(tr("Where the requests go. Each request opens a fresh connection, so "
                            "the Service balances every one of them (a browser's kept-alive "
                            "connection always sees one pod)."));
    // Target descriptions are long ("LoadBalancer 127.0.1.18:80 of service …"): the panel must
    // not push the responses chart wider than the pods chart; the full text is in the popup.
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target->setMinimumContentsLength(16);
    m_url->setPlaceholderText(tr("http://host:port/ (an Ingress, a port-forward…)"));
    m_url->hide();
    m_path->setText(QStringLiteral("/"));
    m_path->setMaximumWidth(120);
    m_path->setToolTip(tr("Path of every request"));
    m_rate->setRange(1, 2000);
    m_rate->setValue(20);
    m_rate->setSuffix(tr(" req/s"));
    m_rate->setToolTip(tr("Requests per second, evenly paced"));
    m_concurrency->setRange(1, 10000);
    m_concurrency->setValue(100);
    m_concurrency->setPrefix(tr("≤ "));
    m_concurrency->setSuffix(tr(" in flight"));
    m_concurrency->setToolTip(tr("Most requests in flight at once; requests due beyond it are "
                                 "skipped and counted"));
    m_timeout->setRange(50, 60000);
    m_timeout->setSingleStep(250);
    m_timeout->setValue(2000);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setToolTip(tr("A request without a complete answer in this time counts as a "
                             "timeout"));
    m_start->setObjectName(QStringLiteral("probeStart"));
    m_start->setCheckable(true);
    m_start->setText(tr("Send traffic"));
    m_start->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_totals->setObjectName(QStringLiteral("probeTotals"));
    m_totals->setTextFormat(Qt::RichText);
    m_totals->setWordWrap(true);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(m_start);
    row->addWidget(m_target, 1);
    row->addWidget(m_url, 1);
    row->addWidget(m_path);
    row->addWidget(m_rate);
    row->addWidget(m_concurrency);
    row->addWidget(m_timeout);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(row);
    layout->addWidget(m_totals);

    connect(m_start, &QToolButton::clicked, this, [this](bool on) {
        if (on)
            emit startRequested();
        else
            emit stopRequested();
    });
    connect(m_target, &QComboBox::activated, this,
            [this](int index) { m_customChosen = index == m_target->count() - 1; });
    connect(m_target, &QComboBox::currentIndexChanged, this, [this] {
        m_url->setVisible(m_target->currentIndex() == m_target->count() - 1);
        emit optionsEdited();
    });
    for (QSpinBox *box : {m_rate, m_concurrency, m_timeout})
        connect(box, &QSpinBox::valueChanged, this, &ProbePanel::optionsEdited);
    connect(m_path, &QLineEdit::editingFinished, this, &ProbePanel::optionsEdited);
    connect(m_url, &QLineEdit::editingFinished, this, &ProbePanel::optionsEdited);
    setCandidates({});
}

void ProbePanel::setCandidates(const QList<probe::ProbeTarget> &targets)
{
    // Keep what was chosen: a target that still exists, or the custom URL if the user picked
    // it; otherwise the best target (the custom URL only when there is none).
    const bool wasCustom = m_customChosen;
    const QString previous = m_target->currentText();
    m_candidates = targets;
    QSignalBlocker block(m_target);
    m_target->clear();
    for (const probe::ProbeTarget &t : targets)
        m_target->addItem(t.description);
    m_target->addItem(tr("Custom URL…"));
    const int found = m_target->findText(previous);
    const int keep = wasCustom ? m_target->count() - 1 : (found < targets.size() ? found : -1);
    m_target->setCurrentIndex(keep >= 0 ? keep : 0);
    m_url->setVisible(m_target->currentIndex() == m_target->count() - 1);
}

QString ProbePanel::targetDescription() const
{
    return m_target->currentIndex() < m_candidates.size() ? m_target->currentText() : m_url->text();
}

std::optional<probe::ProbeOptions> ProbePanel::options(QString *problem) const
{
    probe::ProbeOptions options;
    const int index = m_target->currentIndex();
    if (index >= 0 && index < m_candidates.size()) {
        options.target = m_candidates.at(index);
    } else {
        const auto target = probe::fromUserUrl(m_url->text());
        if (!target) {
            if (problem)
                *problem = m_url->text().isEmpty()
                               ? tr("No Service selects these pods: type a URL to probe.")
                               : target.error().message;
            return std::nullopt;
        }
        options.target = target.value();
    }
    options.path =
        m_path->text().trimmed().isEmpty() ? QStringLiteral("/") : m_path->text().trimmed();
    options.rate = m_rate->value();
    options.concurrency = m_concurrency->value();
    options.timeout = std::chrono::milliseconds(m_timeout->value());
    const QString error = options.validationError();
    if (!error.isEmpty()) {
        if (problem)
            *problem = error;
        return std::nullopt;
    }
    return options;
}

void ProbePanel::setRunning(bool running)
{
    m_running = running;
    m_start->setChecked(running);
    m_start->setText(running ? tr("Stop traffic") : tr("Send traffic"));
}

void ProbePanel::setTotals(const probe::ProbeTotals &, const QString &summary)
{
    m_totals->setText(summary);
}

} // namespace rollscope
