// SPDX-License-Identifier: MIT
#include "rolloutview.h"

#include "charttimeaxis.h"
#include "common/appsettings.h"
#include "itemmodels/conditionmodel.h"
#include "itemmodels/eventmodel.h"
#include "itemmodels/podmodel.h"
#include "itemmodels/replicasetmodel.h"
#include "itemmodels/revisionhistorymodel.h"
#include "kube/informer.h"
#include "kube/operations.h"
#include "podlogviewer.h"
#include "podschart.h"
#include "probe/trafficprober.h"
#include "probepanel.h"
#include "responseschart.h"
#include "rollout/rollouttracker.h"
#include "rollout/strategy.h"
#include "session/clustersession.h"
#include "theme.h"
#include "updateimagedialog.h"
#include "yamlviewer.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace rollscope {

namespace {

// Rows of version-bearing tables carry their version's colour in the first column, bold for
// the new version; failing and terminating rows say so in colour too.
// The colour of a version (by its colorIndex) as the charts draw it.
using VersionColour = std::function<QColor(int colorIndex, const QPalette &palette)>;

class VersionDelegate : public QStyledItemDelegate
{
public:
    VersionDelegate(int colorRole, int isNewRole, int failingRole, int terminatingRole,
                    VersionColour colour, QObject *parent)
        : QStyledItemDelegate(parent)
        , m_colour(std::move(colour))
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
            option->palette.setColor(QPalette::Text, m_colour(colorIndex.toInt(), option->palette));
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
        const QColor color = m_colour(colorIndex.toInt(), option.palette);
        painter->fillRect(
            QRect(option.rect.left(), option.rect.top() + 2, 4, option.rect.height() - 4), color);
    }

private:
    VersionColour m_colour;
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

// Sizes a table's columns to their contents, as QHeaderView::ResizeToContents does, from the rows
// on screen only and at most every 200 ms. ResizeToContents measures up to 1,000 rows at every
// change of the model, and every row of a table that is not on screen (the tabs not shown): with
// thousands of pods or events, a stall of the GUI thread at each watch event. A column the user
// resized keeps the width given.
class TableColumnFitter : public QObject
{
public:
    explicit TableColumnFitter(QTableView *view)
        : QObject(view)
        , m_view(view)
    {
        QHeaderView *header = view->horizontalHeader();
        header->setSectionResizeMode(QHeaderView::Interactive);
        header->setResizeContentsPrecision(0); // the rows on screen
        m_timer.setSingleShot(true);
        m_timer.setInterval(200);
        connect(&m_timer, &QTimer::timeout, this, &TableColumnFitter::fit);
        connect(header, &QHeaderView::sectionResized, this, [this](int column) {
            if (!m_fitting)
                m_userSized.insert(column);
        });
        QAbstractItemModel *model = view->model();
        connect(model, &QAbstractItemModel::rowsInserted, this, &TableColumnFitter::schedule);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &TableColumnFitter::schedule);
        connect(model, &QAbstractItemModel::modelReset, this, &TableColumnFitter::schedule);
        connect(model, &QAbstractItemModel::layoutChanged, this, &TableColumnFitter::schedule);
        connect(model, &QAbstractItemModel::dataChanged, this, &TableColumnFitter::schedule);
        connect(view->verticalScrollBar(), &QScrollBar::valueChanged, this,
                &TableColumnFitter::schedule);
        view->installEventFilter(this);
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (watched == m_view && event->type() == QEvent::Show)
            schedule();
        return QObject::eventFilter(watched, event);
    }

private:
    void schedule()
    {
        if (!m_timer.isActive())
            m_timer.start();
    }
    void fit()
    {
        if (!m_view->isVisible())
            return; // measured when shown
        QHeaderView *header = m_view->horizontalHeader();
        const int last = header->logicalIndex(header->count() - 1);
        const QScopedValueRollback<bool> fitting(m_fitting, true);
        for (int column = 0; column < header->count(); ++column) {
            if (header->isSectionHidden(column) || m_userSized.contains(column) ||
                (column == last && header->stretchLastSection()))
                continue;
            const int width =
                std::max(static_cast<QAbstractItemView *>(m_view)->sizeHintForColumn(column),
                         header->sectionSizeHint(column));
            if (width != header->sectionSize(column))
                header->resizeSection(column, width);
        }
    }

    QTableView *m_view;
    QTimer m_timer;
    QSet<int> m_userSized;
    bool m_fitting = false;
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
    // Tab moves to the next pane; the arrow keys move between rows.
    view->setTabKeyNavigation(false);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    new TableColumnFitter(view);
    return view;
}

} // namespace

RolloutView::RolloutView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_badge(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_strategy(new QLabel(this))
    , m_outcomeFrame(new QWidget(this))
    , m_outcome(new QLabel(m_outcomeFrame))
    , m_outcomeAction(new QPushButton(m_outcomeFrame))
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
    m_outcomeAction->setObjectName(QStringLiteral("outcomeAction"));
    m_outcomeAction->hide();
    connect(m_outcomeAction, &QPushButton::clicked, this, &RolloutView::rollbackToLastGood);
    m_outcomeFrame->setObjectName(QStringLiteral("outcomeFrame"));
    m_outcomeFrame->setAutoFillBackground(true);
    auto *bannerLayout = new QHBoxLayout(m_outcomeFrame);
    bannerLayout->setContentsMargins(0, 0, 6, 0);
    bannerLayout->addWidget(m_outcome, 1);
    bannerLayout->addWidget(m_outcomeAction);
    m_outcomeFrame->hide();
    m_stallTimer.setInterval(1000);
    connect(&m_stallTimer, &QTimer::timeout, this, &RolloutView::checkStall);
    m_trafficStopTimer.setSingleShot(true);
    connect(&m_trafficStopTimer, &QTimer::timeout, this, [this] {
        if (!prober() || prober()->state() == probe::TrafficProber::State::Stopped)
            return;
        stopProbe();
        emit statusMessage(
            tr("Traffic stopped %1 s after the outcome (Traffic ▸ Stop After the Outcome).")
                .arg(m_trafficStopAfterS),
            10'000);
    });

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

    // Title and status on one line, the actions on the next: all six stay visible at 1024 px
    // (on one line the toolbar hid Roll back behind its overflow button).
    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_badge);
    header->addWidget(m_progress);
    header->addStretch(1);
    auto *actionsRow = new QHBoxLayout;
    actionsRow->setContentsMargins(0, 0, 0, 0);
    actionsRow->addWidget(toolbar);
    actionsRow->addStretch(1);

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
    // Tables colour a version as the charts do: one colour per image, kept across recordings.
    const VersionColour colour = [this](int colorIndex, const QPalette &pal) {
        const QList<rollout::VersionInfo> versions =
            tracker() ? tracker()->versions() : QList<rollout::VersionInfo>();
        for (const rollout::VersionInfo &v : versions) {
            if (v.colorIndex == colorIndex)
                return Theme::colorForVersion(v, versions, pal);
        }
        return Theme::color(Theme::Role::Muted, pal);
    };
    rsView->setItemDelegate(new VersionDelegate(
        ReplicaSetModel::ColorIndexRole, ReplicaSetModel::IsNewRole, -1, -1, colour, rsView));
    rsView->setObjectName(QStringLiteral("replicaSetTable"));
    auto *podView = makeTable(m_podModel, PodModel::SortRole, this);
    podView->setItemDelegate(new VersionDelegate(PodModel::ColorIndexRole, PodModel::IsNewRole,
                                                 PodModel::FailingRole, PodModel::TerminatingRole,
                                                 colour, podView));
    podView->setObjectName(QStringLiteral("podTable"));
    auto *eventView = makeTable(m_eventModel, EventModel::SortRole, this);
    eventView->setItemDelegate(new WarningDelegate(EventModel::WarningRole, eventView));
    eventView->setObjectName(QStringLiteral("eventTable"));
    auto *conditionView = makeTable(m_conditionModel, ConditionModel::SortRole, this);
    conditionView->setObjectName(QStringLiteral("conditionTable"));
    m_podTable = podView;
    rsView->sortByColumn(ReplicaSetModel::DefaultSortColumn, ReplicaSetModel::DefaultSortOrder);
    podView->sortByColumn(PodModel::DefaultSortColumn, PodModel::DefaultSortOrder);
    eventView->sortByColumn(EventModel::DefaultSortColumn, EventModel::DefaultSortOrder);
    for (QTableView *table : {podView, rsView}) {
        table->setContextMenuPolicy(Qt::CustomContextMenu);
        connect(table, &QWidget::customContextMenuRequested, this,
                [this, table, isPod = table == podView](const QPoint &at) {
                    showObjectMenu(table, isPod, at);
                });
    }
    m_tabs->addTab(podView, tr("&Pods"));
    m_tabs->addTab(rsView, tr("&ReplicaSets"));
    m_tabs->addTab(eventView, tr("&Events"));
    m_tabs->addTab(conditionView, tr("C&onditions"));
    const QStringList tabNames = {tr("Show Pods"), tr("Show ReplicaSets"), tr("Show Events"),
                                  tr("Show Conditions")};
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *show = new QAction(tabNames.at(i), this);
        show->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        show->setShortcutContext(Qt::WindowShortcut);
        connect(show, &QAction::triggered, this, [this, i] {
            m_tabs->setCurrentIndex(i);
            m_tabs->currentWidget()->setFocus(Qt::ShortcutFocusReason);
        });
        addAction(show);
        m_tabActions << show;
    }

    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->setObjectName(QStringLiteral("rolloutSplitter"));
    vertical->addWidget(chartsArea);
    vertical->addWidget(m_tabs);
    // The charts are what the view is for: they get most of the height at every size.
    vertical->setStretchFactor(0, 5);
    vertical->setStretchFactor(1, 2);
    vertical->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addLayout(actionsRow);
    layout->addWidget(m_strategy);
    layout->addWidget(m_outcomeFrame);
    layout->addWidget(vertical, 1);

    // One time axis for both charts: fitted to the rollout, followed live, zoomed together.
    m_timeAxis = new ChartTimeAxis(this);
    m_podsChart->setTimeAxis(m_timeAxis);
    m_responsesChart->setTimeAxis(m_timeAxis);
    m_resetZoom = new QAction(tr("Reset Chart &Zoom"), this);
    m_resetZoom->setToolTip(
        tr("Fit the charts to the rollout again (wheel zooms, drag pans, double-click resets)"));
    m_resetZoom->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_resetZoom->setShortcutContext(Qt::WindowShortcut);
    connect(m_resetZoom, &QAction::triggered, m_timeAxis, &ChartTimeAxis::resetZoom);
    addAction(m_resetZoom);
    connect(m_responsesChart, &ResponsesChart::totalsChanged, this,
            &RolloutView::updateProbeTotals);
    connect(m_probePanel, &ProbePanel::startRequested, this, &RolloutView::startProbe);
    connect(m_probePanel, &ProbePanel::stopRequested, this, &RolloutView::stopProbe);
    connect(m_probePanel, &ProbePanel::optionsEdited, this, [this] {
        if (m_rollout && prober()->state() == probe::TrafficProber::State::Running) {
            if (const auto options = m_probePanel->options())
                (void)m_rollout->setProbeOptions(*options);
        }
    });
    clear();
}

RolloutView::~RolloutView()
{
    if (m_rollout)
        m_rollout->close(tr("Rollscope was closed"));
}

rollout::RolloutTracker *RolloutView::tracker() const
{
    return m_rollout ? m_rollout->tracker() : nullptr;
}

probe::TrafficProber *RolloutView::prober() const
{
    return m_rollout ? m_rollout->prober() : nullptr;
}

void RolloutView::buildActions()
{
    m_updateImage = new QAction(tr("Update &image…"), this);
    m_updateImage->setToolTip(tr("Roll out a new container image"));
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

    m_traffic = new QAction(tr("Start &Traffic"), this);
    m_traffic->setToolTip(tr("Start or stop sending requests to the Service"));
    connect(m_traffic, &QAction::triggered, this, &RolloutView::toggleTraffic);

    m_yaml = new QAction(tr("View &YAML…"), this);
    m_yaml->setToolTip(tr("Show the Deployment as the API stores it (read-only)"));
    connect(m_yaml, &QAction::triggered, this, &RolloutView::viewDeploymentYaml);

    m_logs = new QAction(tr("Pod &Logs…"), this);
    m_logs->setToolTip(tr("Follow the logs of the pod chosen in the Pods table"));
    connect(m_logs, &QAction::triggered, this, &RolloutView::showCurrentPodLogs);

    // One key each, as k9s has them; they do not fire while a text field has the focus.
    const QList<std::pair<QAction *, Qt::Key>> keys = {
        {m_updateImage, Qt::Key_I}, {m_pause, Qt::Key_P}, {m_restart, Qt::Key_R},
        {m_rollback, Qt::Key_B},    {m_abort, Qt::Key_A}, {m_scale, Qt::Key_S},
        {m_traffic, Qt::Key_T},     {m_yaml, Qt::Key_Y},  {m_logs, Qt::Key_L}};
    for (const auto &[action, key] : keys) {
        action->setShortcut(QKeySequence(key));
        action->setShortcutContext(Qt::WindowShortcut);
        addAction(action);
    }
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
    if (m_rollout) {
        // Its recording ends here; the timeline stays available (currentTimeline()).
        m_rollout->close(tr("Another Deployment was selected"));
        m_lastTimeline = m_rollout->timeline();
    }
    m_replicaSetModel->setTracker(nullptr);
    m_podModel->setTracker(nullptr);
    m_eventModel->setTracker(nullptr);
    m_conditionModel->setTracker(nullptr);
    delete m_rollout;
    m_rollout = nullptr;
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
    m_outcomeFrame->hide();
    m_outcomeShown = false;
    m_stallShown = false;
    m_stallTimer.stop();
    m_trafficStopTimer.stop();
    m_change = {};
    m_access.reset();
    emit liveStatusChanged({}, {}, {});
    updateActions();
}

void RolloutView::showDeployment(const QString &ns, const QString &name)
{
    if (ns == m_ns && name == m_name && m_rollout)
        return;
    clear();
    m_ns = ns;
    m_name = name;
    if (name.isEmpty() || !m_session || !m_session->client()) {
        m_name.clear();
        return;
    }
    m_title->setText(tr("%1 <span style='font-weight:normal'>in %2</span>").arg(name, ns));
    rollout::SessionOptions options;
    options.context = m_session->label();
    options.requestedBy = QStringLiteral("Rollscope");
    m_rollout = new rollout::RolloutSession(m_session->client(), ns, name, options, this);
    using Session = rollout::RolloutSession;
    connect(m_rollout, &Session::seriesReset, this, [this](qint64 originMs) {
        m_podsChart->clear();
        m_podsChart->setOrigin(originMs);
        m_podsChart->setLive(true);
        m_responsesChart->clear();
        m_responsesChart->setOrigin(originMs);
        updateProbeTotals();
    });
    connect(m_rollout, &Session::podSamples, m_podsChart, &PodsChart::appendSamples);
    connect(m_rollout, &Session::probeBuckets, m_responsesChart, &ResponsesChart::appendBuckets);
    connect(m_rollout, &Session::targetsChanged, m_probePanel, &ProbePanel::setCandidates);
    connect(m_rollout, &Session::recordingStarted, this, &RolloutView::onRecordingStarted);
    connect(m_rollout, &Session::outcomeReached, this, &RolloutView::onOutcome);
    connect(m_rollout, &Session::recordingFinished, this,
            [this](const timeline::Timeline &recorded, const QString &autosavePath) {
                m_lastTimeline = recorded;
                emit timelineRecorded(autosavePath);
            });
    connect(m_rollout, &Session::requestRejected, this,
            [this](rollout::SessionAction action, const Error &error) {
                showError(failureTitle(action), error.message);
            });
    m_rollout->start();
    // On screen, a pod that becomes ready shows on the pods chart within a tenth of a second: a
    // change is sampled at most 25 ms after the last sample and handed over at once (the chart
    // batches its redraws itself, at most one per 25 ms). With 50 ms and 40 ms, a 5,000-replica
    // rollout's p99 was 85-120 ms (bench_dashboard).
    rollout::TrackerOptions tracking = m_rollout->tracker()->options();
    tracking.minSampleSpacingMs = 25;
    tracking.batchIntervalMs = 0;
    m_rollout->tracker()->setOptions(tracking);
    if (!m_permissions) {
        m_permissions = new kube::PermissionCheck(m_session->client(), this);
        connect(m_permissions, &kube::PermissionCheck::resultsReady, this,
                [this](const kube::AccessResults &results) {
                    if (results.ns != m_ns)
                        return;
                    m_access = results;
                    updateActions();
                });
    } else {
        m_permissions->setClient(m_session->client());
    }
    m_access = m_permissions->cached(ns);
    m_permissions->check(ns);
    connect(prober(), &probe::TrafficProber::stateChanged, this,
            [this](probe::TrafficProber::State state) {
                m_probePanel->setRunning(state != probe::TrafficProber::State::Stopped);
                updateActions();
            });
    bindTracker();
    updateActions();
}

QString RolloutView::failureTitle(rollout::SessionAction action)
{
    switch (action) {
    case rollout::SessionAction::SetImage:
        return tr("The image was not updated");
    case rollout::SessionAction::Rollback:
        return tr("The rollback failed");
    case rollout::SessionAction::Abort:
        return tr("The rollout was not aborted");
    case rollout::SessionAction::Restart:
        return tr("The Deployment was not restarted");
    case rollout::SessionAction::Scale:
        return tr("The Deployment was not scaled");
    case rollout::SessionAction::Pause:
    case rollout::SessionAction::Resume:
        return tr("The rollout was not changed");
    }
    return {};
}

void RolloutView::bindTracker()
{
    rollout::RolloutTracker *tracker = this->tracker();
    m_replicaSetModel->setTracker(tracker);
    m_podModel->setTracker(tracker);
    m_eventModel->setTracker(tracker);
    m_conditionModel->setTracker(tracker);
    connect(tracker, &rollout::RolloutTracker::deploymentChanged, this,
            &RolloutView::onDeploymentChanged);
    connect(tracker, &rollout::RolloutTracker::statusChanged, this, &RolloutView::onStatusChanged);
    connect(tracker, &rollout::RolloutTracker::versionsChanged, this,
            &RolloutView::onVersionsChanged);
    connect(tracker, &rollout::RolloutTracker::strategyChanged, this,
            [this](const rollout::StrategyNumbers &numbers) {
                m_strategy->setText(rollout::describe(numbers));
            });
    connect(tracker, &rollout::RolloutTracker::deploymentRemoved, this, [this] {
        m_badge->setText(tr("Deleted"));
        updateActions();
    });
}

void RolloutView::onDeploymentChanged(const kube::DeploymentInfo &deployment)
{
    m_pause->setText(deployment.paused ? tr("Res&ume") : tr("&Pause"));
    m_strategy->setText(rollout::describe(rollout::resolveStrategy(deployment)));
    m_conditionModel->setConditions(deployment.conditions);
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
    // Progress is any change of the counts; the stall warning measures the time since.
    const QList<int> key = {status.desired, status.updated, status.ready, status.available};
    if (key != m_progressKey || status.state != rollout::RolloutState::Progressing) {
        m_progressKey = key;
        m_lastProgressMs = QDateTime::currentMSecsSinceEpoch();
        if (m_stallShown) {
            m_stallShown = false;
            m_outcomeFrame->hide();
        }
    }
    if (status.state == rollout::RolloutState::Progressing)
        m_stallTimer.start();
    else
        m_stallTimer.stop();
    emit liveStatusChanged(m_ns, m_name, status);
    updateActions();
}

void RolloutView::checkStall()
{
    const rollout::RolloutTracker *tracker = this->tracker();
    if (!tracker || !tracker->deployment() || m_outcomeShown ||
        tracker->status().state != rollout::RolloutState::Progressing ||
        tracker->deployment()->paused)
        return;
    const int deadline = tracker->deployment()->progressDeadlineSeconds.value_or(600);
    const qint64 threshold = qMin<qint64>(m_stallWarningMs, qint64(deadline) * 250);
    const qint64 idle = QDateTime::currentMSecsSinceEpoch() - m_lastProgressMs;
    if (idle < threshold)
        return;
    const rollout::RolloutStatus &status = tracker->status();
    // Short enough for the banner's two lines; the badge's tooltip has the pods' own words.
    const QString text = tr("%1 of %2 new pods available, nothing changed for %3 s; the rollout "
                            "fails after %4 s without progress (progressDeadlineSeconds).")
                             .arg(qMin(status.updated, status.available))
                             .arg(status.desired)
                             .arg(idle / 1000)
                             .arg(deadline);
    showBanner(int(Theme::Role::Warning), tr("No progress"), text, true);
    m_stallShown = true;
}

void RolloutView::showBanner(int role, const QString &title, const QString &text,
                             bool offerRollback)
{
    QPalette banner = m_outcomeFrame->palette();
    QColor background = Theme::color(Theme::Role(role), palette());
    background.setAlpha(60);
    banner.setColor(QPalette::Window, background);
    m_outcomeFrame->setPalette(banner);
    // At most two lines, so that the charts keep their height at 1024x700: a long message (an
    // image pull error quotes the registry's answer) is cut, and whole in the tooltip.
    constexpr qsizetype kBannerChars = 140;
    const QString shown =
        text.size() > kBannerChars ? text.left(kBannerChars - 1).trimmed() + u'…' : text;
    m_outcome->setText(
        //: The outcome banner: its title in bold, then the message.
        tr("<b>%1.</b> %2").arg(title.toHtmlEscaped(), shown.toHtmlEscaped()));
    m_outcome->setToolTip(shown == text ? QString() : text);
    const rollout::RolloutTracker *tracker = this->tracker();
    const qint64 good = tracker ? tracker->lastGoodRevision() : 0;
    if (offerRollback && good > 0) {
        const QString images = imagesOfRevision(good);
        m_outcomeAction->setText(images.isEmpty()
                                     ? tr("Roll back to revision %1…").arg(good)
                                     : tr("Roll back to revision %1 (%2)…").arg(good).arg(images));
        m_outcomeAction->setToolTip(
            tr("Return to the last good revision: the newest earlier one whose pods still "
               "serve"));
        m_outcomeAction->setEnabled(m_rollback->isEnabled() || m_abort->isEnabled());
        m_outcomeAction->show();
    } else {
        m_outcomeAction->hide();
    }
    m_outcomeFrame->show();
}

QString RolloutView::imagesOfRevision(qint64 revision) const
{
    const rollout::RolloutTracker *tracker = this->tracker();
    for (const kube::RevisionInfo &r : tracker ? tracker->history() : QList<kube::RevisionInfo>()) {
        if (r.revision == revision)
            return r.images().join(QStringLiteral(", "));
    }
    return {};
}

void RolloutView::rollbackToLastGood()
{
    const rollout::RolloutTracker *tracker = this->tracker();
    const qint64 good = tracker ? tracker->lastGoodRevision() : 0;
    if (!m_rollout || good <= 0)
        return;
    const QString images = imagesOfRevision(good);
    if (!confirm(tr("Roll back %1?").arg(m_name),
                 tr("%1 returns to revision %2 (%3), the last good one; the pods of the current "
                    "revision are replaced, following the rollout strategy.")
                     .arg(m_name)
                     .arg(good)
                     .arg(images),
                 tr("Roll back")))
        return;
    m_outcomeAction->setEnabled(false);
    rollbackTo(good);
}

void RolloutView::showObjectMenu(QTableView *table, bool isPod, const QPoint &at)
{
    const QModelIndex index = table->indexAt(at);
    if (!index.isValid())
        return;
    // Both models keep the object's name under the same role.
    static_assert(int(PodModel::KeyRole) == int(ReplicaSetModel::KeyRole));
    const QString name = index.data(PodModel::KeyRole).toString();
    QMenu menu(this);
    menu.addAction(tr("Copy Name"), this, [name] { QGuiApplication::clipboard()->setText(name); });
    QAction *yaml = menu.addAction(tr("View YAML…"), this, [this, name, isPod] {
        openYaml(isPod
                     ? QStringLiteral("/api/v1/namespaces/%1/pods/%2").arg(m_ns, name)
                     : QStringLiteral("/apis/apps/v1/namespaces/%1/replicasets/%2").arg(m_ns, name),
                 (isPod ? QStringLiteral("pod/%1") : QStringLiteral("replicaset/%1")).arg(name));
    });
    yaml->setEnabled(m_session && m_session->client());
    if (isPod) {
        QAction *logs = menu.addAction(tr("Show Logs…"), this, [this, name] { openLogs(name); });
        logs->setShortcut(m_logs->shortcut());
        logs->setEnabled(m_logs->isEnabled());
    }
    menu.exec(table->viewport()->mapToGlobal(at));
}

void RolloutView::openYaml(const QString &apiPath, const QString &title)
{
    if (!m_session || !m_session->client())
        return;
    auto *viewer = new YamlViewer(m_session->client(), apiPath, title, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    viewer->show();
}

void RolloutView::viewDeploymentYaml()
{
    if (!m_name.isEmpty())
        openYaml(QStringLiteral("/apis/apps/v1/namespaces/%1/deployments/%2").arg(m_ns, m_name),
                 QStringLiteral("deployment/%1").arg(m_name));
}

void RolloutView::openLogs(const QString &pod)
{
    if (!m_session || !m_session->client() || pod.isEmpty())
        return;
    QStringList containers;
    if (const rollout::RolloutTracker *tracker = this->tracker()) {
        for (const kube::PodInfo &p : tracker->pods()) {
            if (p.name == pod) {
                for (const kube::ContainerImage &c : p.specContainers)
                    containers << c.name;
            }
        }
    }
    auto *viewer = new PodLogViewer(m_session->client(), m_ns, pod, containers, this);
    viewer->setAttribute(Qt::WA_DeleteOnClose);
    AppSettings settings;
    viewer->setSaveDirectory(settings.lastFolder(QStringLiteral("logs")));
    connect(viewer, &PodLogViewer::saveDirectoryChanged, viewer, [](const QString &folder) {
        AppSettings().setLastFolder(QStringLiteral("logs"), folder);
    });
    viewer->show();
}

void RolloutView::showCurrentPodLogs()
{
    const QModelIndex current = m_podTable->currentIndex();
    QString pod = current.isValid() ? current.data(PodModel::KeyRole).toString() : QString();
    if (pod.isEmpty() && m_podTable->model()->rowCount() > 0)
        pod = m_podTable->model()->index(0, 0).data(PodModel::KeyRole).toString();
    openLogs(pod);
}

void RolloutView::toggleTraffic()
{
    if (!prober())
        return;
    m_trafficStopTimer.stop();
    if (prober()->state() == probe::TrafficProber::State::Stopped)
        startProbe();
    else
        stopProbe();
}

void RolloutView::onVersionsChanged(const QList<rollout::VersionInfo> &versions)
{
    m_podsChart->setVersions(versions);
    m_responsesChart->setVersions(versions);
}

void RolloutView::onRecordingStarted(const timeline::ChangeInfo &change)
{
    m_change = change;
    m_outcomeFrame->hide();
    m_outcomeShown = false;
    m_stallShown = false;
    m_lastProgressMs = QDateTime::currentMSecsSinceEpoch();
    m_trafficStopTimer.stop();
    // A change made here gets traffic at once, if there is somewhere to send it, and says so.
    if (m_autoTraffic && !change.observed &&
        prober()->state() == probe::TrafficProber::State::Stopped && m_probePanel->options()) {
        startProbe();
        if (prober()->state() != probe::TrafficProber::State::Stopped)
            emit statusMessage(tr("Traffic started by itself to measure this change: %1 "
                                  "(Traffic ▸ Start Automatically).")
                                   .arg(m_probePanel->targetDescription()),
                               10'000);
    }
    updateActions();
}

void RolloutView::onOutcome(timeline::Outcome outcome, const rollout::RolloutStatus &status,
                            const QString &reason, const QString &message, qint64 durationMs)
{
    const bool success = outcome == timeline::Outcome::Complete;
    // The rollout's one duration, as the exports and the terminal give it.
    const QString seconds = QLocale().toString(durationMs / 1000.0, 'f', 1);
    QString title;
    QString text;
    switch (outcome) {
    case timeline::Outcome::Complete:
        if (m_change.action == u"scale") {
            // A scale changes no version: say what it did.
            title = tr("Scaling of %1 complete").arg(m_name);
            text = status.desired == 1
                       ? tr("1 pod ready (%1 s).").arg(seconds)
                       : tr("%1 pods ready (%2 s).").arg(status.desired).arg(seconds);
        } else {
            title = tr("Rollout of %1 complete").arg(m_name);
            text = tr("All %1 pods run the new version (%2 s).").arg(status.desired).arg(seconds);
        }
        break;
    case timeline::Outcome::Aborted:
        title = tr("Rollout of %1 stopped").arg(m_name);
        text = tr("%1 (after %2 s).").arg(message, seconds);
        break;
    case timeline::Outcome::Failed:
    case timeline::Outcome::Timeout:
    case timeline::Outcome::Recording:
        title = tr("Rollout of %1 failed").arg(m_name);
        text = reason.isEmpty() ? message : tr("%1: %2").arg(reason, message);
        break;
    }
    const bool failed = !success && outcome != timeline::Outcome::Aborted;
    // The axis keeps the rollout fitted: change -> outcome, plus a margin.
    m_timeAxis->setEnd(double(durationMs) / 1000.0);
    m_outcomeShown = true;
    m_stallShown = false;
    m_stallTimer.stop();
    // The way out of a failed rollout is in the banner: back to the last good revision.
    showBanner(int(success   ? Theme::Role::Ready
                   : !failed ? Theme::Role::Warning
                             : Theme::Role::Error),
               title, text, failed);
    if (m_trafficStopAfterS >= 0 && prober() &&
        prober()->state() != probe::TrafficProber::State::Stopped)
        m_trafficStopTimer.start(m_trafficStopAfterS * 1000);
    emit rolloutFinished(title, text, success);
}

void RolloutView::updateActions()
{
    const rollout::RolloutTracker *tracker = this->tracker();
    const bool haveDeployment = tracker && tracker->deployment().has_value();
    const bool paused = haveDeployment && tracker->deployment()->paused;
    // A failed rollout is still the current one: it can be aborted (ImagePullBackOff,
    // CrashLoopBackOff, ProgressDeadlineExceeded are exactly when one wants to).
    const rollout::RolloutState state =
        tracker ? tracker->status().state : rollout::RolloutState::Unknown;
    const bool unfinished =
        state == rollout::RolloutState::Progressing || state == rollout::RolloutState::Failed;
    m_updateImage->setEnabled(haveDeployment);
    m_pause->setEnabled(haveDeployment);
    m_restart->setEnabled(haveDeployment && !paused);
    m_rollback->setEnabled(haveDeployment && !paused && tracker->history().size() > 1);
    m_abort->setEnabled(haveDeployment && !paused && unfinished && tracker->history().size() > 1);
    m_scale->setEnabled(haveDeployment);
    const bool sending = prober() && prober()->state() != probe::TrafficProber::State::Stopped;
    m_traffic->setEnabled(m_rollout != nullptr);
    m_yaml->setEnabled(haveDeployment);
    // The pods table has the tracker's pods (without copying thousands of them).
    m_logs->setEnabled(tracker && m_podModel->rowCount() > 0);
    m_traffic->setText(sending ? tr("Stop &Traffic") : tr("Start &Traffic"));
    // What the API says the user may not do is disabled, with the reason as the tooltip.
    using kube::GuardedAction;
    const QList<std::pair<QAction *, GuardedAction>> guarded = {
        {m_updateImage, GuardedAction::UpdateImage},
        {m_pause, GuardedAction::PauseResume},
        {m_restart, GuardedAction::Restart},
        {m_rollback, GuardedAction::Rollback},
        {m_abort, GuardedAction::Abort},
        {m_yaml, GuardedAction::ViewYaml},
        {m_logs, GuardedAction::PodLogs},
        {m_scale, GuardedAction::Scale}};
    for (const auto &[action, what] : guarded) {
        if (!m_defaultTips.contains(action))
            m_defaultTips.insert(action, action->toolTip());
        const bool denied = m_access && !m_access->allowed(what);
        if (denied)
            action->setEnabled(false);
        action->setToolTip(denied ? m_access->whyNot(what) : m_defaultTips.value(action));
    }
    if (m_outcomeAction->isVisible())
        m_outcomeAction->setEnabled(m_rollback->isEnabled() || m_abort->isEnabled());
}

void RolloutView::startProbe()
{
    if (!m_rollout)
        return;
    QString problem;
    const auto options = m_probePanel->options(&problem);
    if (!options) {
        m_probePanel->setRunning(false);
        showError(tr("Cannot send traffic"), problem);
        return;
    }
    if (auto started = m_rollout->startProbe(*options); !started) {
        m_probePanel->setRunning(false);
        showError(tr("Cannot send traffic"), started.error().message);
    }
}

void RolloutView::stopProbe()
{
    if (m_rollout)
        m_rollout->stopProbe();
}

void RolloutView::updateProbeTotals()
{
    // The counters are this recording's, as the responses chart holds them: the prober's own
    // totals run on across recordings (and Deployments share none of them).
    const rollout::RolloutTracker *tracker = this->tracker();
    const probe::TrafficProber *prober = this->prober();
    const ResponseChartData &data = m_responsesChart->data();
    probe::ProbeTotals totals;
    for (const QString &id : data.versions())
        totals.responsesByVersion.insert(id, data.total(id));
    totals.failures = data.failuresByClass();
    if (!prober ||
        (data.requests() == 0 && prober->state() == probe::TrafficProber::State::Stopped)) {
        m_probePanel->setTotals(totals, QString());
        return;
    }
    QStringList parts;
    const QList<rollout::VersionInfo> versions =
        tracker ? tracker->versions() : QList<rollout::VersionInfo>();
    qint64 answered = 0;
    for (auto it = totals.responsesByVersion.cbegin(); it != totals.responsesByVersion.cend(); ++it)
        answered += it.value();
    for (const rollout::VersionInfo &v : versions) {
        const qint64 n = totals.responsesByVersion.value(v.id);
        if (n == 0)
            continue;
        parts << QStringLiteral("<span style='color:%1'>■</span> ")
                         .arg(Theme::colorForVersion(v, versions, palette()).name()) +
                     //: Responses served by one version: its label, then how many.
                     tr("%1: <b>%2</b>").arg(v.label.toHtmlEscaped()).arg(n);
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
    if (tracker && !tracker->newVersionId().isEmpty() && answered > 0) {
        const double share = m_responsesChart->data().share(tracker->newVersionId(), 5000);
        parts << tr("new version: %1% of the last 5 s").arg(qRound(share * 100));
    }
    m_probePanel->setTotals(totals, parts.join(QStringLiteral(" · ")));
}

std::optional<timeline::Timeline> RolloutView::currentTimeline() const
{
    if (m_rollout) {
        if (auto recorded = m_rollout->timeline())
            return recorded;
    }
    return m_lastTimeline;
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
    rollout::RolloutTracker *tracker = this->tracker();
    if (!tracker || !tracker->deployment())
        return;
    QStringList revisionImages;
    for (const kube::RevisionInfo &revision : tracker->history())
        revisionImages += revision.images();
    UpdateImageDialog dialog(*tracker->deployment(), revisionImages,
                             m_clusterImageSource ? m_clusterImageSource() : m_clusterImages, this);
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
    if (m_rollout)
        m_rollout->setImage(container, image, cause);
}

void RolloutView::togglePause()
{
    rollout::RolloutTracker *tracker = this->tracker();
    if (!tracker || !tracker->deployment())
        return;
    m_rollout->setPaused(!tracker->deployment()->paused);
}

void RolloutView::restart()
{
    if (!m_rollout)
        return;
    if (!confirm(tr("Restart %1?").arg(m_name),
                 tr("Every pod of %1 is replaced by a new one, following the rollout strategy.")
                     .arg(m_name),
                 tr("Restart")))
        return;
    m_rollout->restart();
}

void RolloutView::rollback()
{
    rollout::RolloutTracker *tracker = this->tracker();
    if (!tracker || !m_rollout)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Roll back %1").arg(m_name));
    auto *model = new RevisionHistoryModel(&dialog);
    model->setTracker(tracker);
    auto *view = makeTable(model, RevisionHistoryModel::SortRole, &dialog);
    view->sortByColumn(0, Qt::DescendingOrder);
    view->setItemDelegate(
        new VersionDelegate(-1, RevisionHistoryModel::CurrentRole, -1, -1, {}, view));
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
    // The last good revision is chosen already: Enter rolls back to it.
    for (int row = 0; row < view->model()->rowCount(); ++row) {
        const QModelIndex index = view->model()->index(row, 0);
        if (index.data(RevisionHistoryModel::LastGoodRole).toBool())
            view->setCurrentIndex(index);
    }
    auto *layout = new QVBoxLayout(&dialog);
    layout->addWidget(new QLabel(tr("Choose the revision to return to. <i>current</i> is the "
                                    "running one; <i>last good</i> is the newest earlier "
                                    "revision whose pods still serve."),
                                 &dialog));
    layout->addWidget(view);
    layout->addWidget(buttons);
    dialog.resize(640, 320);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const qint64 revision =
        view->currentIndex().data(RevisionHistoryModel::RevisionRole).toLongLong();
    rollbackTo(revision);
}

void RolloutView::rollbackTo(qint64 revision)
{
    if (m_rollout)
        m_rollout->rollback(revision);
}

void RolloutView::abortRollout()
{
    if (!m_rollout)
        return;
    if (!confirm(tr("Abort the rollout of %1?").arg(m_name),
                 tr("This rolls back to the previous revision, as “kubectl rollout undo” does; "
                    "the pods of the new version are replaced again."),
                 tr("Abort")))
        return;
    m_rollout->abort();
}

void RolloutView::scale()
{
    rollout::RolloutTracker *tracker = this->tracker();
    if (!tracker || !tracker->deployment())
        return;
    bool ok = false;
    const int replicas = QInputDialog::getInt(this, tr("Scale %1").arg(m_name), tr("Replicas:"),
                                              tracker->deployment()->replicas, 0, 10000, 1, &ok);
    if (!ok || replicas == tracker->deployment()->replicas)
        return;
    scaleTo(replicas);
}

void RolloutView::scaleTo(int replicas)
{
    if (!m_rollout)
        return;
    if (replicas == 0 &&
        !confirm(tr("Scale %1 to 0?").arg(m_name),
                 tr("Every pod is stopped; the Service has no endpoint until you scale up again."),
                 tr("Scale to 0")))
        return;
    m_rollout->scale(replicas);
}

} // namespace rollscope
