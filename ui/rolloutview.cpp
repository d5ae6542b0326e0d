#include "rolloutview.h"

#include "itemmodels/conditionmodel.h"
#include "itemmodels/eventmodel.h"
#include "itemmodels/podmodel.h"
#include "itemmodels/replicasetmodel.h"
#include "itemmodels/revisionhistorymodel.h"
#include "kube/informer.h"
#include "kube/operations.h"
#include "podschart.h"
#include "probe/targets.h"
#include "probe/trafficprober.h"
#include "probepanel.h"
#include "responseschart.h"
#include "rollout/rollouttracker.h"
#include "rollout/strategy.h"
#include "session/clustersession.h"
#include "theme.h"
#include "timeline/recorder.h"
#include "timeline/rolloutcommand.h"
#include "updateimagedialog.h"

#include <QAction>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace rollscope {

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Rows of version-bearing tables carry their version's colour in the first column, bold for
// the new version; failing and terminating rows say so in colour too.
class VersionDelegate : public QStyledItemDelegate
{
public:
    VersionDelegate(int colorRole, int isNewRole, int failingRole, int terminatingRole,
                    QObject *parent)
        : QStyledItemDelegate(parent)
        , m_colorRole(colorRole)
        , m_isNewRole(isNewRole)
        , m_failingRole(failingRole)
        , m_terminatingRole(terminatingRole)
    {}

    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        const QVariant colorIndex = index.data(m_colorRole);
        const bool isNew = index.data(m_isNewRole).toBool();
        if (m_failingRole >= 0 && index.data(m_failingRole).toBool()) {
            option->palette.setColor(QPalette::Text,
                                     Theme::color(Theme::Role::Error, option->palette));
        } else if (m_terminatingRole >= 0 && index.data(m_terminatingRole).toBool()) {
            option->palette.setColor(QPalette::Text,
                                     Theme::color(Theme::Role::Muted, option->palette));
            option->font.setItalic(true);
        } else if (index.column() <= 1 && colorIndex.isValid() && colorIndex.toInt() >= 0) {
            option->palette.setColor(
                QPalette::Text, Theme::versionColor(colorIndex.toInt(), isNew, option->palette));
        }
        if (isNew && index.column() <= 1)
            option->font.setBold(true);
    }

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        if (index.column() != 0)
            return;
        const QVariant colorIndex = index.data(m_colorRole);
        if (!colorIndex.isValid() || colorIndex.toInt() < 0)
            return;
        // A swatch on the left edge ties the row to its line on the charts.
        const QColor color = Theme::versionColor(colorIndex.toInt(),
                                                 index.data(m_isNewRole).toBool(), option.palette);
        painter->fillRect(
            QRect(option.rect.left(), option.rect.top() + 2, 4, option.rect.height() - 4), color);
    }

private:
    int m_colorRole;
    int m_isNewRole;
    int m_failingRole;
    int m_terminatingRole;
};

class WarningDelegate : public QStyledItemDelegate
{
public:
    WarningDelegate(int warningRole, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_role(warningRole)
    {}
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        if (index.data(m_role).toBool())
            option->palette.setColor(QPalette::Text,
                                     Theme::color(Theme::Role::Warning, option->palette));
    }

private:
    int m_role;
};

QTableView *makeTable(QAbstractItemModel *model, int sortRole, QWidget *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    auto *view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

RolloutView::RolloutView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_strategy(new QLabel(this))
    , m_outcome(new QLabel(this))
    , m_charts(new QSplitter(Qt::Horizontal, this))
    , m_podsChart(new PodsChart(this))
    , m_responsesChart(new ResponsesChart(this))
    , m_probePanel(new ProbePanel(this))
    , m_tabs(new QTabWidget(this))
    , m_replicaSetModel(new ReplicaSetModel(this))
    , m_podModel(new PodModel(this))
    , m_eventModel(new EventModel(this))
    , m_conditionModel(new ConditionModel(this))
{
    setObjectName(QStringLiteral("RolloutView"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_badge->setObjectName(QStringLiteral("statusBadge"));
    m_badge->setMargin(4);
    m_badge->setAutoFillBackground(true);
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(220);
    m_progress->setFormat(QStringLiteral("%p%"));
    m_strategy->setObjectName(QStringLiteral("strategyText"));
    m_strategy->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_outcome->setObjectName(QStringLiteral("outcomeBanner"));
    m_outcome->setWordWrap(true);
    m_outcome->setMargin(6);
    m_outcome->setAutoFillBackground(true);
    m_outcome->hide();

    buildActions();
    auto *toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(m_updateImage);
    toolbar->addSeparator();
    toolbar->addAction(m_pause);
    toolbar->addAction(m_restart);
    toolbar->addAction(m_rollback);
    toolbar->addAction(m_abort);
    toolbar->addAction(m_scale);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_badge);
    header->addWidget(m_progress);
    header->addStretch(1);
    header->addWidget(toolbar);

    // The two charts side by side at equal width, the traffic controls under both.
    auto *chartsArea = new QWidget(this);
    auto *chartsLayout = new QVBoxLayout(chartsArea);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->setSpacing(2);
    chartsLayout->addWidget(m_charts, 1);
    chartsLayout->addWidget(m_probePanel);
    m_charts->setObjectName(QStringLiteral("chartsSplitter"));
    m_charts->addWidget(m_podsChart);
    m_charts->addWidget(m_responsesChart);
    m_charts->setChildrenCollapsible(false);
    // Pods and responses share the time axis: give them the same width.
    m_charts->setStretchFactor(0, 1);
    m_charts->setStretchFactor(1, 1);

    auto *rsView = makeTable(m_replicaSetModel, ReplicaSetModel::SortRole, this);
    rsView->setItemDelegate(new VersionDelegate(ReplicaSetModel::ColorIndexRole,
                                                ReplicaSetModel::IsNewRole, -1, -1, rsView));
    rsView->setObjectName(QStringLiteral("replicaSetTable"));
    auto *podView = makeTable(m_podModel, PodModel::SortRole, this);
    podView->setItemDelegate(new VersionDelegate(PodModel::ColorIndexRole, PodModel::IsNewRole,
                                                 PodModel::FailingRole, PodModel::TerminatingRole,
                                                 podView));
    podView->setObjectName(QStringLiteral("podTable"));
    auto *eventView = makeTable(m_eventModel, EventModel::SortRole, this);
    eventView->setItemDelegate(new WarningDelegate(EventModel::WarningRole, eventView));
    eventView->setObjectName(QStringLiteral("eventTable"));
    auto *conditionView = makeTable(m_conditionModel, ConditionModel::SortRole, this);
    conditionView->setObjectName(QStringLiteral("conditionTable"));
    m_tabs->addTab(podView, tr("&Pods"));
    m_tabs->addTab(rsView, tr("&ReplicaSets"));
    m_tabs->addTab(eventView, tr("&Events"));
    m_tabs->addTab(conditionView, tr("C&onditions"));

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("rolloutSplitter"));
    vertical->addWidget(chartsArea);
    vertical->addWidget(m_tabs);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_strategy);
    layout->addWidget(m_outcome);
    layout->addWidget(vertical, 1);

    connect(m_podsChart, &PodsChart::dataSpanChanged, this, &RolloutView::syncTimeRange);
    connect(m_responsesChart, &ResponsesChart::dataSpanChanged, this, &RolloutView::syncTimeRange);
    connect(m_responsesChart, &ResponsesChart::totalsChanged, this,
            &RolloutView::updateProbeTotals);
    connect(m_probePanel, &ProbePanel::startRequested, this, &RolloutView::startProbe);
    connect(m_probePanel, &ProbePanel::stopRequested, this, &RolloutView::stopProbe);
    connect(m_probePanel, &ProbePanel::optionsEdited, this, [this] {
        if (m_prober && m_prober->state() == probe::TrafficProber::State::Running) {
            if (const auto options = m_probePanel->options())
                (void)m_prober->setOptions(*options);
        }
    });
    m_finishTimer.setSingleShot(true);
    // After the outcome, the last answers (all from the new version) still belong to it.
    m_finishTimer.setInterval(3000);
    connect(&m_finishTimer, &QTimer::timeout, this, &RolloutView::finishRecording);
    clear();
}

RolloutView::~RolloutView()
{
    if (m_recorder && m_recorder->isRecording())
        m_recorder->finish(timeline::Outcome::Aborted, QString(), tr("Rollscope was closed"),
                           nowMs());
}

void RolloutView::buildActions()
{
    m_updateImage = new QAction(tr("Update &image…"), this);
    m_updateImage->setShortcut(QKeySequence(Qt::Key_I));
    m_updateImage->setShortcutContext(Qt::WindowShortcut);
    m_updateImage->setToolTip(tr("Roll out a new container image (I)"));
    connect(m_updateImage, &QAction::triggered, this, &RolloutView::updateImage);

    m_pause = new QAction(tr("&Pause"), this);
    m_pause->setToolTip(tr("Pause or resume the rollout"));
    connect(m_pause, &QAction::triggered, this, &RolloutView::togglePause);

    m_restart = new QAction(tr("Re&start"), this);
    m_restart->setToolTip(tr("Replace every pod, following the strategy"));
    connect(m_restart, &QAction::triggered, this, &RolloutView::restart);

    m_rollback = new QAction(tr("Roll &back…"), this);
    m_rollback->setToolTip(tr("Return to an earlier revision"));
    connect(m_rollback, &QAction::triggered, this, &RolloutView::rollback);

    m_abort = new QAction(tr("&Abort"), this);
    m_abort->setToolTip(tr("Stop this rollout by rolling back to the previous revision"));
    connect(m_abort, &QAction::triggered, this, &RolloutView::abortRollout);

    m_scale = new QAction(tr("S&cale…"), this);
    m_scale->setToolTip(tr("Change the number of replicas"));
    connect(m_scale, &QAction::triggered, this, &RolloutView::scale);
}

void RolloutView::setSession(ClusterSession *session)
{
    m_session = session;
}

QString RolloutView::deploymentKey() const
{
    return m_name.isEmpty() ? QString() : m_ns + u'/' + m_name;
}

void RolloutView::clear()
{
    if (m_recorder && m_recorder->isRecording()) {
        m_recorder->finish(timeline::Outcome::Aborted, QString(),
                           tr("Another Deployment was selected"), nowMs());
        m_lastTimeline = m_recorder->timeline();
    }
    delete m_recorder;
    m_recorder = nullptr;
    delete m_prober;
    m_prober = nullptr;
    delete m_tracker;
    m_tracker = nullptr;
    delete m_services;
    m_services = nullptr;
    delete m_nodes;
    m_nodes = nullptr;
    m_finishTimer.stop();
    m_replicaSetModel->setTracker(nullptr);
    m_podModel->setTracker(nullptr);
    m_eventModel->setTracker(nullptr);
    m_conditionModel->setTracker(nullptr);
    m_podsChart->clear();
    m_responsesChart->clear();
    m_probePanel->setCandidates({});
    m_probePanel->setRunning(false);
    m_probePanel->setTotals({}, QString());
    m_title->setText(tr("No Deployment selected"));
    m_badge->clear();
    m_badge->hide();
    m_progress->hide();
    m_strategy->clear();
    m_outcome->hide();
    m_pendingChange.reset();
    updateActions();
}

void RolloutView::showDeployment(const QString &ns, const QString &name)
{
    if (ns == m_ns && name == m_name && m_tracker)
        return;
    clear();
    m_ns = ns;
    m_name = name;
    if (name.isEmpty() || !m_session || !m_session->client()) {
        m_name.clear();
        return;
    }
    kube::ApiClient *client = m_session->client();
    m_title->setText(tr("%1 <span style='font-weight:normal'>in %2</span>").arg(name, ns));
    m_tracker = new rollout::RolloutTracker(client, ns, name, this);
    bindTracker();
    m_prober = new probe::TrafficProber(this);
    m_prober->setApiClient(client);
    connect(m_prober, &probe::TrafficProber::bucketsReady, this,
            [this](const QList<probe::ProbeBucket> &buckets) {
                // The prober runs on across recordings and delivers in batches: buckets that
                // ended before this recording's t = 0 belong to the previous one.
                const qint64 origin = m_responsesChart->data().originMs();
                QList<probe::ProbeBucket> current;
                current.reserve(buckets.size());
                for (const probe::ProbeBucket &bucket : buckets) {
                    if (bucket.startMs + bucket.durationMs > origin)
                        current.append(bucket);
                }
                m_responsesChart->appendBuckets(current);
            });
    connect(m_prober, &probe::TrafficProber::stateChanged, this,
            [this](probe::TrafficProber::State state) {
                m_probePanel->setRunning(state != probe::TrafficProber::State::Stopped);
            });
    const qint64 now = nowMs();
    m_podsChart->setOrigin(now);
    m_responsesChart->setOrigin(now);

    kube::InformerOptions scoped;
    scoped.ns = ns;
    m_services = new kube::ServiceInformer(client, scoped, this);
    m_nodes = new kube::NodeInformer(client, {}, this);
    for (kube::Informer *informer :
         {static_cast<kube::Informer *>(m_services), static_cast<kube::Informer *>(m_nodes)})
        connect(informer, &kube::Informer::resynced, this, &RolloutView::refreshTargets);
    connect(m_services, &kube::ServiceInformer::added, this, &RolloutView::refreshTargets);
    connect(m_services, &kube::ServiceInformer::updated, this, &RolloutView::refreshTargets);
    connect(m_services, &kube::ServiceInformer::removed, this, &RolloutView::refreshTargets);
    m_services->start();
    m_nodes->start();
    m_tracker->start();
    updateActions();
}

void RolloutView::bindTracker()
{
    m_replicaSetModel->setTracker(m_tracker);
    m_podModel->setTracker(m_tracker);
    m_eventModel->setTracker(m_tracker);
    m_conditionModel->setTracker(m_tracker);
    connect(m_tracker, &rollout::RolloutTracker::deploymentChanged, this,
            &RolloutView::onDeploymentChanged);
    connect(m_tracker, &rollout::RolloutTracker::statusChanged, this,
            &RolloutView::onStatusChanged);
    connect(m_tracker, &rollout::RolloutTracker::versionsChanged, this,
            &RolloutView::onVersionsChanged);
    connect(m_tracker, &rollout::RolloutTracker::samplesAppended, m_podsChart,
            &PodsChart::appendSamples);
    connect(m_tracker, &rollout::RolloutTracker::rolloutStarted, this,
            &RolloutView::onRolloutStarted);
    connect(m_tracker, &rollout::RolloutTracker::outcomeReached, this, &RolloutView::onOutcome);
    connect(m_tracker, &rollout::RolloutTracker::podVersionsChanged, this,
            [this](const QHash<QString, QString> &podVersions) {
                if (m_prober)
                    m_prober->setPodVersions(podVersions);
            });
    connect(m_tracker, &rollout::RolloutTracker::strategyChanged, this,
            [this](const rollout::StrategyNumbers &numbers) {
                m_strategy->setText(rollout::describe(numbers));
            });
    connect(m_tracker, &rollout::RolloutTracker::deploymentRemoved, this, [this] {
        m_badge->setText(tr("Deleted"));
        updateActions();
    });
}

void RolloutView::onDeploymentChanged(const kube::DeploymentInfo &deployment)
{
    m_pause->setText(deployment.paused ? tr("Res&ume") : tr("&Pause"));
    m_strategy->setText(rollout::describe(rollout::resolveStrategy(deployment)));
    m_conditionModel->setConditions(deployment.conditions);
    refreshTargets();
    updateActions();
}

void RolloutView::onStatusChanged(const rollout::RolloutStatus &status)
{
    Theme::Role role = Theme::Role::Muted;
    switch (status.state) {
    case rollout::RolloutState::Complete:
        role = Theme::Role::Ready;
        break;
    case rollout::RolloutState::Progressing:
        role = Theme::Role::VersionNew;
        break;
    case rollout::RolloutState::Paused:
        role = Theme::Role::Warning;
        break;
    case rollout::RolloutState::Failed:
        role = Theme::Role::Error;
        break;
    case rollout::RolloutState::Unknown:
        break;
    }
    QPalette badge = m_badge->palette();
    badge.setColor(QPalette::Window, Theme::color(role, palette()));
    badge.setColor(QPalette::WindowText, Qt::white);
    m_badge->setPalette(badge);
    m_badge->setText(rollout::RolloutTracker::stateText(status.state));
    m_badge->setToolTip(status.message);
    m_badge->show();
    m_progress->setValue(int(status.progress * 100 + 0.5));
    m_progress->setToolTip(tr("%1 of %2 pods updated and available")
                               .arg(qMin(status.updated, status.available))
                               .arg(status.desired));
    m_progress->show();
    updateActions();
}

void RolloutView::onVersionsChanged(const QList<rollout::VersionInfo> &versions)
{
    m_podsChart->setVersions(versions);
    m_responsesChart->setVersions(versions);
    if (m_recorder)
        m_recorder->setVersions(versions);
    if (m_prober) {
        // "v2" answers (a version in a header or regex) map to the version with that tag.
        QHash<QString, QString> aliases;
        for (const auto &v : versions) {
            aliases.insert(v.label, v.id);
            aliases.insert(v.image.section(u':', -1), v.id);
        }
        m_prober->setVersionAliases(aliases);
    }
}

void RolloutView::onRolloutStarted(qint64 originMs)
{
    m_outcome->hide();
    m_podsChart->clear();
    m_podsChart->setOrigin(originMs);
    m_podsChart->setLive(true);
    m_responsesChart->clear();
    m_responsesChart->setOrigin(originMs);
    if (m_tracker && !m_tracker->samples().isEmpty()) {
        // The pods as they are at t = 0. The tracker's last sample may be older (samples are
        // spaced), and its batches may still bring samples from before t = 0: those belong to
        // the previous recording and the chart drops them.
        m_tracker->flush();
        rollout::PodCountSample start = m_tracker->samples().last();
        start.timeMs = originMs;
        start.versions = m_tracker->podCounts();
        start.lowAvailable = -1;
        start.peakTotal = -1;
        m_podsChart->appendSamples({start});
    }
    const bool changedHere = m_pendingChange.has_value(); // startRecording() takes it
    startRecording(originMs);
    // A change made here gets traffic at once, if there is somewhere to send it (startProbe()
    // tells the new recording where the traffic goes).
    if (changedHere && m_prober && m_prober->state() == probe::TrafficProber::State::Stopped &&
        m_probePanel->options())
        startProbe();
    updateActions();
}

void RolloutView::onOutcome(const rollout::RolloutStatus &status)
{
    const bool success = status.state == rollout::RolloutState::Complete;
    QString title;
    QString message;
    if (success) {
        const qint64 seconds = m_tracker ? (nowMs() - m_tracker->originMs()) / 1000 : 0;
        title = tr("Rollout of %1 complete").arg(m_name);
        message = tr("All %1 pods run the new version (%2 s).").arg(status.desired).arg(seconds);
    } else {
        title = tr("Rollout of %1 failed").arg(m_name);
        message = status.reason.isEmpty() ? status.message
                                          : tr("%1: %2").arg(status.reason, status.message);
    }
    QPalette banner = m_outcome->palette();
    QColor background = Theme::color(success ? Theme::Role::Ready : Theme::Role::Error, palette());
    background.setAlpha(60);
    banner.setColor(QPalette::Window, background);
    m_outcome->setPalette(banner);
    m_outcome->setText(
        QStringLiteral("<b>%1.</b> %2").arg(title.toHtmlEscaped(), message.toHtmlEscaped()));
    m_outcome->show();
    m_finishTimer.start();
    emit rolloutFinished(title, message, success);
}

void RolloutView::updateActions()
{
    const bool haveDeployment = m_tracker && m_tracker->deployment().has_value();
    const bool paused = haveDeployment && m_tracker->deployment()->paused;
    const bool progressing =
        m_tracker && m_tracker->status().state == rollout::RolloutState::Progressing;
    m_updateImage->setEnabled(haveDeployment);
    m_pause->setEnabled(haveDeployment);
    m_restart->setEnabled(haveDeployment && !paused);
    m_rollback->setEnabled(haveDeployment && !paused && m_tracker->history().size() > 1);
    m_abort->setEnabled(haveDeployment && !paused && progressing &&
                        m_tracker->history().size() > 1);
    m_scale->setEnabled(haveDeployment);
}

void RolloutView::syncTimeRange()
{
    const double span = qMax(m_podsChart->dataSpan(), m_responsesChart->dataSpan());
    // Round up to a whole minute so the axis does not creep every second.
    const double range = qMax(60.0, std::ceil(span * 1.05 / 60.0) * 60.0);
    m_podsChart->setTimeRange(range);
    m_responsesChart->setTimeRange(range);
}

void RolloutView::refreshTargets()
{
    if (!m_tracker || !m_services || !m_nodes)
        return;
    const auto deployment = m_tracker->deployment();
    if (!deployment)
        return;
    const QList<probe::ProbeTarget> targets =
        probe::candidateTargets(*deployment, m_services->items(), m_nodes->items(), m_ns);
    m_probePanel->setCandidates(targets);
}

void RolloutView::startProbe()
{
    if (!m_prober)
        return;
    QString problem;
    const auto options = m_probePanel->options(&problem);
    if (!options) {
        m_probePanel->setRunning(false);
        showError(tr("Cannot send traffic"), problem);
        return;
    }
    if (auto set = m_prober->setOptions(*options); !set) {
        m_probePanel->setRunning(false);
        showError(tr("Cannot send traffic"), set.error().message);
        return;
    }
    if (m_tracker)
        m_prober->setPodVersions(m_tracker->podVersions());
    if (auto started = m_prober->start(); !started) {
        m_probePanel->setRunning(false);
        showError(tr("Cannot send traffic"), started.error().message);
        return;
    }
    if (m_recorder) {
        timeline::ProbeInfo info;
        info.enabled = true;
        info.kind = timeline::RolloutCommand::probeKindId(options->target.kind);
        info.target = options->target.description;
        info.ratePerSecond = options->rate;
        m_recorder->setProbe(info);
    }
}

void RolloutView::stopProbe()
{
    if (m_prober)
        m_prober->stop();
}

void RolloutView::updateProbeTotals()
{
    // The counters are this recording's, as the responses chart holds them: the prober's own
    // totals run on across recordings (and Deployments share none of them).
    const ResponseChartData &data = m_responsesChart->data();
    probe::ProbeTotals totals;
    for (const QString &id : data.versions())
        totals.responsesByVersion.insert(id, data.total(id));
    totals.failures = data.failuresByClass();
    if (!m_prober ||
        (data.requests() == 0 && m_prober->state() == probe::TrafficProber::State::Stopped)) {
        m_probePanel->setTotals(totals, QString());
        return;
    }
    QStringList parts;
    const QList<rollout::VersionInfo> versions =
        m_tracker ? m_tracker->versions() : QList<rollout::VersionInfo>();
    qint64 answered = 0;
    for (auto it = totals.responsesByVersion.cbegin(); it != totals.responsesByVersion.cend(); ++it)
        answered += it.value();
    for (const rollout::VersionInfo &v : versions) {
        const qint64 n = totals.responsesByVersion.value(v.id);
        if (n == 0)
            continue;
        parts << QStringLiteral("<span style='color:%1'>■</span> %2: <b>%3</b>")
                     .arg(Theme::versionColor(v.colorIndex, v.isNew, palette()).name(),
                          v.label.toHtmlEscaped())
                     .arg(n);
    }
    if (const qint64 unknown =
            totals.responsesByVersion.value(QLatin1StringView(probe::kUnknownVersion)))
        parts << tr("unattributed: %1").arg(unknown);
    const qint64 failed = totals.failedTotal();
    QString failures = tr("failed: <b>%1</b>").arg(failed);
    if (failed > 0) {
        QStringList classes;
        for (int i = 0; i < probe::kFailureClassCount; ++i) {
            if (totals.failures[std::size_t(i)] > 0)
                classes << QStringLiteral("%1 %2")
                               .arg(totals.failures[std::size_t(i)])
                               .arg(probe::failureClassText(probe::FailureClass(i)));
        }
        failures = QStringLiteral("<span style='color:%1'>%2 (%3)</span>")
                       .arg(Theme::color(Theme::Role::Error, palette()).name(), failures,
                            classes.join(QStringLiteral(", ")));
    }
    parts << failures;
    if (m_tracker && !m_tracker->newVersionId().isEmpty() && answered > 0) {
        const double share = m_responsesChart->data().share(m_tracker->newVersionId(), 5000);
        parts << tr("new version: %1% of the last 5 s").arg(qRound(share * 100));
    }
    m_probePanel->setTotals(totals, parts.join(QStringLiteral(" · ")));
}

void RolloutView::startRecording(qint64 originMs)
{
    if (!m_tracker)
        return;
    if (m_recorder && m_recorder->isRecording()) {
        m_recorder->finish(timeline::Outcome::Aborted, QString(),
                           tr("A new change started before this rollout finished"), originMs);
        m_lastTimeline = m_recorder->timeline();
    }
    delete m_recorder;
    timeline::RecorderOptions options;
    options.autosavePath = timeline::TimelineRecorder::autosavePathFor(m_ns, m_name, originMs);
    m_recorder = new timeline::TimelineRecorder(options, this);
    timeline::RecordingStart start;
    start.ns = m_ns;
    start.name = m_name;
    start.context = m_session ? m_session->label() : QString();
    start.startedAtMs = originMs;
    start.versions = m_tracker->versions();
    start.strategy =
        timeline::RolloutCommand::strategyInfo(m_tracker->strategy(), m_tracker->deployment());
    if (m_pendingChange) {
        start.change = *m_pendingChange;
    } else if (const auto d = m_tracker->deployment()) {
        start.change.observed = true;
        start.change.cause = d->changeCause;
        if (!d->containers.isEmpty()) {
            start.change.container = d->containers.first().name;
            start.change.to = d->containers.first().image;
        }
    }
    m_pendingChange.reset();
    if (m_prober && m_prober->state() == probe::TrafficProber::State::Running) {
        start.probe.enabled = true;
        start.probe.kind = timeline::RolloutCommand::probeKindId(m_prober->options().target.kind);
        start.probe.target = m_prober->options().target.description;
        start.probe.ratePerSecond = m_prober->options().rate;
    }
    const QList<rollout::PodCountSample> samples = m_tracker->samples();
    if (!samples.isEmpty())
        start.pods = samples.last();
    m_recorder->start(start);
    connect(m_tracker, &rollout::RolloutTracker::samplesAppended, m_recorder,
            &timeline::TimelineRecorder::addPodCounts);
    connect(m_tracker, &rollout::RolloutTracker::eventRecorded, m_recorder,
            &timeline::TimelineRecorder::addEvent);
    connect(m_tracker, &rollout::RolloutTracker::statusChanged, m_recorder,
            &timeline::TimelineRecorder::setStatus);
    connect(m_tracker, &rollout::RolloutTracker::versionsChanged, m_recorder,
            &timeline::TimelineRecorder::setVersions);
    // As the headless command does: a strategy changed mid-rollout is the recording's too.
    connect(m_tracker, &rollout::RolloutTracker::strategyChanged, m_recorder,
            [recorder = m_recorder, tracker = m_tracker](const rollout::StrategyNumbers &numbers) {
                recorder->setStrategy(
                    timeline::RolloutCommand::strategyInfo(numbers, tracker->deployment()));
            });
    if (m_prober) {
        connect(m_prober, &probe::TrafficProber::resultsReady, m_recorder,
                &timeline::TimelineRecorder::addProbeResults);
    }
    for (const rollout::RolloutEvent &event : m_tracker->recordedEvents()) {
        if (event.timeMs >= originMs)
            m_recorder->addEvent(event);
    }
}

void RolloutView::finishRecording()
{
    if (!m_recorder || !m_recorder->isRecording() || !m_tracker)
        return;
    const rollout::RolloutStatus status = m_tracker->status();
    const bool complete = status.state == rollout::RolloutState::Complete;
    m_recorder->finish(complete ? timeline::Outcome::Complete : timeline::Outcome::Failed,
                       complete ? QString() : status.reason, status.message, nowMs());
    m_lastTimeline = m_recorder->timeline();
    emit timelineRecorded(m_recorder->autosavePath());
}

std::optional<timeline::Timeline> RolloutView::currentTimeline() const
{
    if (m_recorder)
        return m_recorder->timeline();
    return m_lastTimeline;
}

QImage RolloutView::renderCharts(const QSize &size) const
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    const int half = size.width() / 2;
    // QWidget::render draws the charts at the export size, not the size they have on screen.
    const QSize chartSize(half, size.height());
    for (int i = 0; i < 2; ++i) {
        QWidget *chart =
            i == 0 ? static_cast<QWidget *>(m_podsChart) : static_cast<QWidget *>(m_responsesChart);
        const QSize old = chart->size();
        chart->resize(chartSize);
        chart->render(&painter, QPoint(i * half, 0));
        chart->resize(old);
    }
    return image;
}

void RolloutView::showError(const QString &title, const QString &message)
{
    m_lastError = message;
    emit actionFailed(message);
    if (m_confirm)
        QMessageBox::warning(this, title, message);
}

bool RolloutView::confirm(const QString &title, const QString &text, const QString &button)
{
    if (!m_confirm)
        return true;
    QMessageBox box(QMessageBox::Question, title, text, QMessageBox::Cancel, this);
    QPushButton *yes = box.addButton(button, QMessageBox::AcceptRole);
    box.setDefaultButton(yes);
    box.exec();
    return box.clickedButton() == yes;
}

// --- actions ----------------------------------------------------------------------------------

void RolloutView::updateImage()
{
    if (!m_tracker || !m_tracker->deployment())
        return;
    QStringList revisionImages;
    for (const kube::RevisionInfo &revision : m_tracker->history())
        revisionImages += revision.images();
    UpdateImageDialog dialog(*m_tracker->deployment(), revisionImages, m_clusterImages, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    applyImage(dialog.container(), dialog.image(), dialog.changeCause());
}

void RolloutView::updateImageTo(const QString &container, const QString &image,
                                const QString &cause)
{
    applyImage(container, image, cause);
}

void RolloutView::applyImage(const QString &container, const QString &image, const QString &cause)
{
    if (!m_tracker || !m_tracker->deployment() || !m_session || !m_session->client())
        return;
    const kube::DeploymentInfo deployment = *m_tracker->deployment();
    timeline::ChangeInfo change;
    change.container = container;
    for (const kube::ContainerImage &c : deployment.containers) {
        if (c.name == container)
            change.from = c.image;
    }
    change.to = image;
    change.requestedBy = QStringLiteral("Rollscope");
    const QList<kube::ImageChange> changes{{container, image}};
    change.cause = cause.isEmpty()
                       ? kube::DeploymentOperations::defaultChangeCause(deployment.name, changes)
                       : cause;
    const qint64 t0 = nowMs(); // t = 0 is the PATCH
    QPointer<rollout::RolloutTracker> tracker = m_tracker;
    // The watch may show the new ReplicaSet before the PATCH's answer arrives: the change is
    // pending from now on, so a rollout seen first is still recorded (and probed) as this one.
    m_pendingChange = change;
    kube::DeploymentOperations::setImage(
        m_session->client(), m_ns, m_name, changes,
        cause.isEmpty() ? std::optional<QString>() : std::optional<QString>(cause), this,
        [this, tracker, t0](Result<kube::WriteOutcome> result) {
            if (!result) {
                m_pendingChange.reset();
                showError(tr("The image was not updated"), result.error().message);
                return;
            }
            if (!result->changed || !tracker) {
                m_pendingChange.reset();
                return;
            }
            tracker->markChange(t0, result->message);
            // A change made here gets traffic at once, if there is somewhere to send it.
            if (m_prober && m_prober->state() == probe::TrafficProber::State::Stopped &&
                m_probePanel->options())
                startProbe();
        });
}

timeline::ChangeInfo RolloutView::requestedChange(const QList<kube::ContainerImage> &target,
                                                  const QString &cause) const
{
    timeline::ChangeInfo change;
    change.requestedBy = QStringLiteral("Rollscope");
    change.cause = cause;
    const auto deployment = m_tracker ? m_tracker->deployment() : std::nullopt;
    if (!deployment)
        return change;
    // The container whose image the change moves; a restart moves none: its first container.
    for (const kube::ContainerImage &c : deployment->containers) {
        for (const kube::ContainerImage &t : target) {
            if (change.container.isEmpty() && t.name == c.name && t.image != c.image) {
                change.container = c.name;
                change.from = c.image;
                change.to = t.image;
            }
        }
    }
    if (change.container.isEmpty() && !deployment->containers.isEmpty()) {
        change.container = deployment->containers.first().name;
        change.from = deployment->containers.first().image;
        change.to = change.from;
    }
    return change;
}

void RolloutView::requestRollout(
    const timeline::ChangeInfo &change, const QString &failureTitle,
    const std::function<void(QObject *, std::function<void(Result<kube::WriteOutcome>)>)> &send)
{
    // As for an image update: the new ReplicaSet may be seen before the answer, so the change is
    // pending from now on and the rollout it starts is recorded as requested here, not observed.
    m_pendingChange = change;
    send(this, [this, failureTitle](Result<kube::WriteOutcome> result) {
        if (!result) {
            m_pendingChange.reset();
            showError(failureTitle, result.error().message);
            return;
        }
        // Nothing changed (a rollback to the current template): no rollout will take it.
        if (!result->changed)
            m_pendingChange.reset();
    });
}

void RolloutView::togglePause()
{
    if (!m_tracker || !m_tracker->deployment() || !m_session)
        return;
    const bool paused = m_tracker->deployment()->paused;
    auto done = [this](Result<kube::WriteOutcome> result) {
        if (!result)
            showError(tr("The rollout was not changed"), result.error().message);
    };
    if (paused)
        kube::DeploymentOperations::resume(m_session->client(), m_ns, m_name, this, done);
    else
        kube::DeploymentOperations::pause(m_session->client(), m_ns, m_name, this, done);
}

void RolloutView::restart()
{
    if (!m_tracker || !m_session)
        return;
    if (!confirm(tr("Restart %1?").arg(m_name),
                 tr("Every pod of %1 is replaced by a new one, following the rollout strategy.")
                     .arg(m_name),
                 tr("Restart")))
        return;
    const auto deployment = m_tracker->deployment();
    const timeline::ChangeInfo change =
        requestedChange(deployment ? deployment->containers : QList<kube::ContainerImage>(),
                        QStringLiteral("rollscope rollout restart deployment/%1").arg(m_name));
    requestRollout(
        change, tr("The Deployment was not restarted"), [this](QObject *context, auto done) {
            kube::DeploymentOperations::restart(m_session->client(), m_ns, m_name, context, done);
        });
}

void RolloutView::rollback()
{
    if (!m_tracker || !m_session)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Roll back %1").arg(m_name));
    auto *model = new RevisionHistoryModel(&dialog);
    model->setTracker(m_tracker);
    auto *view = makeTable(model, RevisionHistoryModel::SortRole, &dialog);
    view->sortByColumn(0, Qt::DescendingOrder);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, &dialog);
    QPushButton *go = buttons->addButton(tr("Roll back"), QDialogButtonBox::AcceptRole);
    go->setEnabled(false);
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, &dialog,
            [go](const QModelIndex &current) {
                go->setEnabled(current.isValid() &&
                               !current.data(RevisionHistoryModel::CurrentRole).toBool());
            });
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(tr("Choose the revision to return to:"), &dialog));
    layout->addWidget(view);
    layout->addWidget(buttons);
    dialog.resize(640, 320);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const qint64 revision =
        view->currentIndex().data(RevisionHistoryModel::RevisionRole).toLongLong();
    QList<kube::ContainerImage> target;
    for (const kube::RevisionInfo &r : m_tracker->history()) {
        if (r.revision == revision)
            target = r.containers;
    }
    const timeline::ChangeInfo change = requestedChange(
        target, QStringLiteral("rollscope rollout undo deployment/%1 --to-revision=%2")
                    .arg(m_name)
                    .arg(revision));
    requestRollout(change, tr("The rollback failed"),
                   [this, revision](QObject *context, auto done) {
                       kube::DeploymentOperations::rollback(m_session->client(), m_ns, m_name,
                                                            revision, context, done);
                   });
}

void RolloutView::abortRollout()
{
    if (!m_tracker || !m_session)
        return;
    if (!confirm(tr("Abort the rollout of %1?").arg(m_name),
                 tr("This rolls back to the previous revision, as “kubectl rollout undo” does; "
                    "the pods of the new version are replaced again."),
                 tr("Abort")))
        return;
    // "undo" returns to the newest revision before the current one.
    QList<kube::ContainerImage> target;
    qint64 previous = 0;
    const qint64 current = m_tracker->deployment() ? m_tracker->deployment()->revision : 0;
    for (const kube::RevisionInfo &r : m_tracker->history()) {
        if (r.revision != current && r.revision > previous && !r.current) {
            previous = r.revision;
            target = r.containers;
        }
    }
    const timeline::ChangeInfo change =
        requestedChange(target, QStringLiteral("rollscope rollout undo deployment/%1").arg(m_name));
    requestRollout(change, tr("The rollout was not aborted"), [this](QObject *context, auto done) {
        kube::DeploymentOperations::rollback(m_session->client(), m_ns, m_name, 0, context, done);
    });
}

void RolloutView::scale()
{
    if (!m_tracker || !m_tracker->deployment() || !m_session)
        return;
    bool ok = false;
    const int replicas = QInputDialog::getInt(this, tr("Scale %1").arg(m_name), tr("Replicas:"),
                                              m_tracker->deployment()->replicas, 0, 10000, 1, &ok);
    if (!ok || replicas == m_tracker->deployment()->replicas)
        return;
    if (replicas == 0 &&
        !confirm(tr("Scale %1 to 0?").arg(m_name),
                 tr("Every pod is stopped; the Service has no endpoint until you scale up again."),
                 tr("Scale to 0")))
        return;
    kube::DeploymentOperations::scale(m_session->client(), m_ns, m_name, replicas, this,
                                      [this](Result<kube::WriteOutcome> result) {
                                          if (!result)
                                              showError(tr("The Deployment was not scaled"),
                                                        result.error().message);
                                      });
}

} // namespace rollscope
