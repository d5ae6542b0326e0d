#include "timeline/rolloutcommand.h"

#include "common/commandline.h"
#include "kube/apierror.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"
#include "kube/operations.h"
#include "probe/targets.h"
#include "probe/trafficprober.h"
#include "rollout/rollouttracker.h"
#include "rollout/strategy.h"
#include "timeline/exporters.h"
#include "timeline/recorder.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>

namespace rollscope::timeline {

namespace {

// How long an event line waits for earlier events that arrive late (one prober batch is
// ~100 ms; the GUI-thread handoff adds a little).
constexpr qint64 kRolloutLineHoldMs = 400;

void writeTo(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Events worth a line of their own while the rollout runs; warnings and errors always are.
bool notable(const TimelineEvent &e)
{
    static const QStringList types{QStringLiteral("ReplicaSetCreated"),
                                   QStringLiteral("ReplicaSetScaled"),
                                   QStringLiteral("PodReady"),
                                   QStringLiteral("PodFailing"),
                                   QStringLiteral("PodRestarted"),
                                   QStringLiteral("FirstAnswer"),
                                   QStringLiteral("LastAnswer"),
                                   QStringLiteral("FailureBurst"),
                                   QStringLiteral("Paused"),
                                   QStringLiteral("Resumed"),
                                   QStringLiteral("RolledBack"),
                                   QStringLiteral("Restarted"),
                                   QStringLiteral("Scaled")};
    if (e.type == QLatin1StringView("Outcome") ||
        e.type == QLatin1StringView("ImageChangeRequested"))
        return false; // printed as kubectl prints them
    return types.contains(e.type) || e.severity != rollout::RolloutEvent::Severity::Info;
}

} // namespace

QString RolloutCommand::probeKindId(probe::ProbeTarget::Kind kind)
{
    switch (kind) {
    case probe::ProbeTarget::Kind::LoadBalancer:
        return QStringLiteral("loadBalancer");
    case probe::ProbeTarget::Kind::NodePort:
        return QStringLiteral("nodePort");
    case probe::ProbeTarget::Kind::ServiceProxy:
        return QStringLiteral("serviceProxy");
    case probe::ProbeTarget::Kind::Url:
        return QStringLiteral("url");
    }
    return QStringLiteral("url");
}

RolloutCommand::RolloutCommand(RolloutCommandOptions options, Writer out, Writer err,
                               QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out ? std::move(out) : Writer([](const QString &t) { writeTo(stdout, t); }))
    , m_err(err ? std::move(err) : Writer([](const QString &t) { writeTo(stderr, t); }))
{}

RolloutCommand::~RolloutCommand()
{
    // The prober's thread and the autosave thread end with their objects (children).
}

QString RolloutCommand::statusLine(const kube::DeploymentInfo &d, bool *done)
{
    if (done)
        *done = false;
    // The checks and words of kubectl's DeploymentStatusViewer.
    if (d.generation <= d.observedGeneration) {
        const std::optional<kube::Condition> progressing =
            d.condition(QStringLiteral("Progressing"));
        if (progressing && progressing->reason == QLatin1StringView("ProgressDeadlineExceeded"))
            return RolloutCommandText::tr("error: deployment \"%1\" exceeded its progress deadline")
                .arg(d.name);
        if (d.status.updatedReplicas < d.replicas)
            return RolloutCommandText::tr(
                       "Waiting for deployment \"%1\" rollout to finish: %2 out of %3 new "
                       "replicas have been updated...")
                .arg(d.name)
                .arg(d.status.updatedReplicas)
                .arg(d.replicas);
        if (d.status.replicas > d.status.updatedReplicas)
            return RolloutCommandText::tr(
                       "Waiting for deployment \"%1\" rollout to finish: %2 old replicas are "
                       "pending termination...")
                .arg(d.name)
                .arg(d.status.replicas - d.status.updatedReplicas);
        if (d.status.availableReplicas < d.status.updatedReplicas)
            return RolloutCommandText::tr(
                       "Waiting for deployment \"%1\" rollout to finish: %2 of %3 updated "
                       "replicas are available...")
                .arg(d.name)
                .arg(d.status.availableReplicas)
                .arg(d.status.updatedReplicas);
        if (done)
            *done = true;
        return RolloutCommandText::tr("deployment \"%1\" successfully rolled out").arg(d.name);
    }
    return RolloutCommandText::tr("Waiting for deployment spec update to be observed...");
}

QString RolloutCommand::eventLine(const TimelineEvent &e)
{
    if (!notable(e))
        return {};
    QString line = u'[' + (e.tMs < 0 ? QString() : QStringLiteral("+")) +
                   formatDecimal(e.tMs / 1000.0, 1) + QStringLiteral("s] ") + e.message;
    if (!e.object.isEmpty() && e.type != QLatin1StringView("PodReady") &&
        !e.message.contains(e.object.section(u'/', 1)))
        line += QStringLiteral(" (") + e.object + u')';
    return line;
}

StrategyInfo RolloutCommand::strategyInfo(const rollout::StrategyNumbers &n,
                                          const std::optional<kube::DeploymentInfo> &deployment)
{
    StrategyInfo s;
    s.type = n.type;
    s.replicas = n.replicas;
    s.maxSurge = n.maxSurge.toString();
    s.maxUnavailable = n.maxUnavailable.toString();
    s.maxTotal = n.maxTotal;
    s.minAvailable = n.minAvailable;
    if (deployment) {
        s.minReadySeconds = deployment->minReadySeconds;
        s.progressDeadlineSeconds = deployment->progressDeadlineSeconds.value_or(0);
    }
    return s;
}

QStringList RolloutCommand::secretsOf(const kube::ClusterConfig &config, const QStringList &files)
{
    QStringList secrets;
    const kube::UserInfo &u = config.user;
    secrets << u.token << u.password << u.tokenFile << u.clientCertificateFile << u.clientKeyFile
            << u.definedIn << config.cluster.certificateAuthorityFile << config.cluster.definedIn;
    if (u.exec) {
        for (const auto &[name, value] : u.exec->env)
            secrets << value;
        if (QFileInfo(u.exec->command).isAbsolute())
            secrets << u.exec->command;
    }
    if (u.authProvider) {
        for (const QString &value : u.authProvider->config)
            secrets << value;
    }
    if (!config.cluster.proxyUrl.password().isEmpty())
        secrets << config.cluster.proxyUrl.password();
    for (const QString &file : files)
        secrets << file << QFileInfo(file).absoluteFilePath();
    secrets << QDir::homePath();
    secrets.removeAll(QString());
    secrets.removeDuplicates();
    return secrets;
}

void RolloutCommand::start()
{
    m_phase = Phase::Connecting;
    m_timeout = new QTimer(this);
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, [this] {
        if (m_phase == Phase::Recording) {
            m_err(RolloutCommandText::tr("error: timed out waiting for the condition") + u'\n');
            onOutcome(Outcome::Timeout, QString(),
                      RolloutCommandText::tr("the rollout did not finish within %1")
                          .arg(formatDecimal(m_options.timeoutSeconds, 0) + QStringLiteral(" s")));
        } else if (m_phase < Phase::Recording) {
            fail(RolloutCommandText::tr("error: timed out waiting for the cluster"));
        }
    });
    m_timeout->start(std::chrono::seconds(m_options.timeoutSeconds));

    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = m_options.kubeconfig;
    if (m_options.kubeconfigEnv)
        load.kubeconfigEnv = m_options.kubeconfigEnv;
    Result<kube::Kubeconfig> kubeconfig = kube::Kubeconfig::load(load);
    if (!kubeconfig) {
        fail(kube::ApiErrors::kubectlStyle(kubeconfig.error()));
        return;
    }
    if (kubeconfig->isEmpty()) {
        fail(RolloutCommandText::tr(
            "error: no kubeconfig found: pass --kubeconfig FILE, or set KUBECONFIG, or "
            "create ~/.kube/config"));
        return;
    }
    Result<kube::ClusterConfig> config = kubeconfig->resolve(m_options.context, m_options.ns);
    if (!config) {
        fail(kube::ApiErrors::kubectlStyle(config.error()));
        return;
    }
    QStringList paths = kubeconfig->files();
    for (const QString &f : {m_options.timelineFile, m_options.reportFile, m_options.csvFile})
        paths << f;
    m_secrets = secretsOf(*config, paths);
    m_context = config->contextName;
    m_ns = config->ns;
    m_client = new kube::ApiClient(*config, this);
    if (m_options.verbosity > 0) {
        Writer err = m_err;
        m_client->setLogSink(m_options.verbosity, [err](int, const QString &line) {
            err(QStringLiteral("I rollscope] ") + line + u'\n');
        });
    }
    // Qt's own warnings about the failures below stay out of the output (shown at -v 9).
    new kube::QtNetworkMessageFilter(m_options.verbosity, this);
    // Informers retry on their own: say what fails as it happens, and stop on 401/403 or a
    // server that has not answered for 30 s rather than wait out --timeout.
    auto *reporter = new kube::InformerErrorReporter(m_client, std::chrono::seconds(30), this);
    connect(reporter, &kube::InformerErrorReporter::report, this,
            [this](const QString &line) { m_err(QStringLiteral("E rollscope] ") + line + u'\n'); });
    connect(reporter, &kube::InformerErrorReporter::fatal, this, [this](const Error &error) {
        if (m_phase == Phase::Recording)
            onOutcome(Outcome::Failed,
                      error.reason.isEmpty() ? QStringLiteral("ApiError") : error.reason,
                      error.message);
        else
            fail(RolloutCommandText::tr("error: %1").arg(error.message));
    });

    m_tracker = new rollout::RolloutTracker(m_client, m_ns, m_options.deployment, this);
    connect(m_tracker, &rollout::RolloutTracker::liveChanged, this, &RolloutCommand::onLive);
    m_tracker->start();
}

void RolloutCommand::onLive(bool live)
{
    if (!live || m_phase != Phase::Connecting)
        return;
    m_phase = Phase::Preparing;
    m_tracker->flush();
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    if (!d) {
        fail(RolloutCommandText::tr(
                 "Error from server (NotFound): deployments.apps \"%1\" not found")
                 .arg(m_options.deployment));
        return;
    }
    if (!m_options.image.isEmpty() && m_options.container != QLatin1StringView("*")) {
        bool found = false;
        for (const kube::ContainerImage &c : d->containers)
            found = found || c.name == m_options.container;
        if (!found) {
            fail(RolloutCommandText::tr("error: unable to find container named \"%1\"")
                     .arg(m_options.container));
            return;
        }
    }
    resolveProbe();
}

void RolloutCommand::resolveProbe()
{
    switch (m_options.probe) {
    case RolloutCommandOptions::Probe::Off:
        begin(std::nullopt);
        return;
    case RolloutCommandOptions::Probe::Url: {
        Result<probe::ProbeTarget> target = probe::fromUserUrl(m_options.probeUrl);
        if (!target) {
            fail(RolloutCommandText::tr("error: --probe %1: %2")
                     .arg(m_options.probeUrl, target.error().message),
                 kExitUsage);
            return;
        }
        // A password typed into the URL is a credential like any other.
        if (!target->url.password().isEmpty())
            m_secrets << target->url.password();
        begin(*target);
        return;
    }
    case RolloutCommandOptions::Probe::Auto:
        break;
    }
    // Services of the namespace and the nodes (for NodePorts); a user who may not list nodes
    // still gets LoadBalancer and service-proxy targets.
    auto services = std::make_shared<std::optional<QList<kube::ServiceInfo>>>();
    auto nodes = std::make_shared<std::optional<QList<kube::NodeInfo>>>();
    const auto maybeDone = [this, services, nodes] {
        if (*services && *nodes)
            onTargets(**services, **nodes);
    };
    kube::ListOptions list;
    list.ns = m_ns;
    m_client->listAll(kube::ResourceKind::services(), list, this,
                      [services, maybeDone](Result<kube::ListResult> result) {
                          QList<kube::ServiceInfo> found;
                          if (result) {
                              for (const QJsonObject &item : std::as_const(result->items))
                                  found << kube::ServiceInfo::fromJson(item);
                          }
                          *services = found;
                          maybeDone();
                      });
    m_client->listAll(kube::ResourceKind::nodes(), kube::ListOptions{}, this,
                      [nodes, maybeDone](Result<kube::ListResult> result) {
                          QList<kube::NodeInfo> found;
                          if (result) {
                              for (const QJsonObject &item : std::as_const(result->items))
                                  found << kube::NodeInfo::fromJson(item);
                          }
                          *nodes = found;
                          maybeDone();
                      });
}

void RolloutCommand::onTargets(const QList<kube::ServiceInfo> &services,
                               const QList<kube::NodeInfo> &nodes)
{
    if (m_phase != Phase::Preparing)
        return;
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    const QList<probe::ProbeTarget> targets =
        d ? probe::candidateTargets(*d, services, nodes, m_ns) : QList<probe::ProbeTarget>();
    if (targets.isEmpty()) {
        m_err(RolloutCommandText::tr(
                  "warning: no Service selects the pods of deployment/%1, so no requests are "
                  "sent (give one with --probe URL)")
                  .arg(m_options.deployment) +
              u'\n');
        begin(std::nullopt);
        return;
    }
    begin(targets.first());
}

void RolloutCommand::begin(std::optional<probe::ProbeTarget> target)
{
    m_target = std::move(target);
    if (m_options.image.isEmpty()) {
        watchInProgress();
        return;
    }
    // The change waits until every watch is open (a list fills the caches first; the watch then
    // needs a connection of its own, a TLS handshake that can take seconds on a loaded
    // machine). A change sent earlier is seen only once the watches open, its first steps in
    // one burst: the pods' states in between, and the progress lines' times, would be lost.
    const QList<const kube::Informer *> informers = trackerInformers();
    auto ready = [informers] {
        return std::all_of(informers.cbegin(), informers.cend(), [](const kube::Informer *i) {
            return i->status().state == kube::InformerStatus::State::Watching;
        });
    };
    if (ready()) {
        applyChange(nowMs());
        return;
    }
    // One context object for the waits: deleting it ends them all, so the change goes once.
    auto *waiting = new QObject(this);
    auto go = [this, waiting] {
        waiting->deleteLater();
        waiting->disconnect();
        if (m_phase == Phase::Preparing && !m_changeRequested)
            applyChange(nowMs());
    };
    for (const kube::Informer *informer : informers) {
        connect(informer, &kube::Informer::statusChanged, waiting, [ready, go] {
            if (ready())
                go();
        });
    }
    // A watch that cannot open is reported by the informer; the change goes ahead anyway.
    QTimer::singleShot(std::chrono::seconds(10), waiting, go);
}

QList<const kube::Informer *> RolloutCommand::trackerInformers() const
{
    QList<const kube::Informer *> informers;
    for (const kube::Informer *i :
         {static_cast<const kube::Informer *>(m_tracker->deploymentInformer()),
          static_cast<const kube::Informer *>(m_tracker->replicaSetInformer()),
          static_cast<const kube::Informer *>(m_tracker->podInformer()),
          static_cast<const kube::Informer *>(m_tracker->eventInformer())}) {
        if (i)
            informers << i;
    }
    return informers;
}

ChangeInfo RolloutCommand::observedChange() const
{
    ChangeInfo change;
    change.observed = true;
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    if (d)
        change.cause = d->changeCause;
    // From the newest old version that still has pods to the new one.
    const QList<rollout::VersionInfo> versions = m_tracker->versions();
    const rollout::VersionInfo *to = nullptr;
    const rollout::VersionInfo *from = nullptr;
    for (const rollout::VersionInfo &v : versions) {
        if (v.isNew)
            to = &v;
        else if (!from || v.revision > from->revision)
            from = &v;
    }
    if (to)
        change.to = to->image;
    if (from)
        change.from = from->image;
    // The container whose image differs between the two ReplicaSets.
    if (to && from) {
        QList<kube::ContainerImage> before;
        QList<kube::ContainerImage> after;
        for (const kube::ReplicaSetInfo &rs : m_tracker->replicaSets()) {
            if (rs.name == from->replicaSet)
                before = rs.containers;
            if (rs.name == to->replicaSet)
                after = rs.containers;
        }
        for (const kube::ContainerImage &c : std::as_const(after)) {
            for (const kube::ContainerImage &b : std::as_const(before)) {
                if (b.name == c.name && b.image != c.image && change.container.isEmpty())
                    change.container = c.name;
            }
        }
    }
    if (change.container.isEmpty() && d && !d->containers.isEmpty())
        change.container = d->containers.first().name;
    return change;
}

void RolloutCommand::startRecording(qint64 t0, const ChangeInfo &change)
{
    RecorderOptions options;
    options.sampleIntervalMs = m_options.sampleIntervalMs;
    if (m_options.autosave) {
        options.autosavePath =
            m_options.autosavePath.isEmpty()
                ? TimelineRecorder::autosavePathFor(m_ns, m_options.deployment, t0)
                : m_options.autosavePath;
    }
    // A rollout that was already running: its earlier events belong to it.
    if (change.observed)
        options.keepEventsBeforeMs = 10 * 60 * 1000;
    m_recorder = new TimelineRecorder(options, this);
    connect(m_recorder, &TimelineRecorder::autosaveFailed, this, [this](const QString &message) {
        m_err(RolloutCommandText::tr("warning: %1").arg(message) + u'\n');
    });
    connect(m_recorder, &TimelineRecorder::autosaveClosed, this, [this] {
        m_autosaveClosed = true;
        if (m_phase == Phase::Done)
            done(m_exitCode);
    });
    m_t0 = t0;
    m_lineTimer = new QTimer(this);
    m_lineTimer->setInterval(std::chrono::milliseconds(100));
    connect(m_lineTimer, &QTimer::timeout, this, [this] {
        qint64 upTo = nowMs() - m_t0 - kRolloutLineHoldMs;
        if (m_recorder)
            upTo = std::min(upTo, m_recorder->derivedEventsFinalBeforeMs() - 1);
        flushLines(upTo);
    });
    m_lineTimer->start();
    connect(m_recorder, &TimelineRecorder::eventRecorded, this, [this](const TimelineEvent &e) {
        const QString line = eventLine(e);
        if (!line.isEmpty())
            queueLine(e.tMs, line);
    });

    RecordingStart start;
    start.ns = m_ns;
    start.name = m_options.deployment;
    start.context = m_context;
    start.change = change;
    start.startedAtMs = t0;
    start.strategy = strategyInfo(m_tracker->strategy(), m_tracker->deployment());
    if (m_target) {
        start.probe.enabled = true;
        start.probe.kind = probeKindId(m_target->kind);
        start.probe.target = m_target->description;
        start.probe.ratePerSecond = m_options.rate;
    }
    start.versions = m_tracker->versions();
    const QList<rollout::PodCountSample> samples = m_tracker->samples();
    if (!samples.isEmpty()) {
        start.pods = samples.last();
    } else {
        rollout::PodCountSample pods;
        pods.timeMs = t0;
        pods.versions = m_tracker->podCounts();
        pods.desired = start.strategy.replicas;
        pods.maxTotal = start.strategy.maxTotal;
        pods.minAvailable = start.strategy.minAvailable;
        start.pods = pods;
    }
    m_recorder->start(start);

    using Tracker = rollout::RolloutTracker;
    connect(m_tracker, &Tracker::versionsChanged, m_recorder, &TimelineRecorder::setVersions);
    connect(m_tracker, &Tracker::samplesAppended, m_recorder, &TimelineRecorder::addPodCounts);
    connect(m_tracker, &Tracker::eventRecorded, m_recorder, &TimelineRecorder::addEvent);
    connect(m_tracker, &Tracker::statusChanged, m_recorder, &TimelineRecorder::setStatus);
    connect(m_tracker, &Tracker::strategyChanged, this,
            [this](const rollout::StrategyNumbers &numbers) {
                if (m_recorder)
                    m_recorder->setStrategy(strategyInfo(numbers, m_tracker->deployment()));
            });
    connect(m_tracker, &Tracker::deploymentChanged, this, &RolloutCommand::onDeployment);
    connect(m_tracker, &Tracker::outcomeReached, this,
            [this](const rollout::RolloutStatus &status) {
                if (status.state == rollout::RolloutState::Complete)
                    onOutcome(Outcome::Complete, QString(), status.message);
                else
                    onOutcome(Outcome::Failed, status.reason, status.message);
            });
    connect(m_tracker, &Tracker::deploymentRemoved, this, [this] {
        m_err(RolloutCommandText::tr("error: deployment \"%1\" was deleted")
                  .arg(m_options.deployment) +
              u'\n');
        onOutcome(
            Outcome::Failed, QStringLiteral("Deleted"),
            RolloutCommandText::tr("deployment \"%1\" was deleted").arg(m_options.deployment));
    });
    m_recorder->setVersions(m_tracker->versions());
    m_recorder->setStatus(m_tracker->status());
    m_phase = Phase::Recording;
    if (m_target)
        startProber(*m_target);
}

void RolloutCommand::startProber(const probe::ProbeTarget &target)
{
    m_prober = new probe::TrafficProber(this);
    m_prober->setApiClient(m_client);
    probe::ProbeOptions options;
    options.target = target;
    options.rate = m_options.rate;
    if (const VoidResult set = m_prober->setOptions(options); !set) {
        m_err(RolloutCommandText::tr("warning: requests are not probed: %1")
                  .arg(set.error().message) +
              u'\n');
        return;
    }
    m_prober->setPodVersions(m_tracker->podVersions());
    connect(m_tracker, &rollout::RolloutTracker::podVersionsChanged, m_prober,
            &probe::TrafficProber::setPodVersions);
    connect(m_prober, &probe::TrafficProber::resultsReady, m_recorder,
            &TimelineRecorder::addProbeResults);
    connect(m_prober, &probe::TrafficProber::bucketsReady, m_recorder,
            &TimelineRecorder::addProbeBuckets);
    if (const VoidResult started = m_prober->start(); !started) {
        m_err(RolloutCommandText::tr("warning: requests are not probed: %1")
                  .arg(started.error().message) +
              u'\n');
        return;
    }
    m_out(RolloutCommandText::tr("Probing %1 at %2 requests/s, a new connection per request")
              .arg(target.description, formatDecimal(m_options.rate, 2)) +
          u'\n');
}

void RolloutCommand::applyChange(qint64 t0)
{
    m_changeRequested = true;
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    ChangeInfo change;
    change.container = m_options.container;
    change.to = m_options.image;
    change.requestedBy = QStringLiteral("rollscope rollout");
    const QList<kube::ImageChange> changes{{m_options.container, m_options.image}};
    change.cause = kube::DeploymentOperations::defaultChangeCause(m_options.deployment, changes);
    if (d) {
        for (const kube::ContainerImage &c : d->containers) {
            if (c.name == m_options.container || m_options.container == QLatin1StringView("*")) {
                change.from = c.image;
                break;
            }
        }
        m_generationAtChange = d->generation;
    }
    if (change.from == change.to) {
        // Nothing to send (kubectl sends nothing either): follow whatever is going on.
        m_out(RolloutCommandText::tr("deployment.apps/%1 image unchanged (%2)")
                  .arg(m_options.deployment, m_options.image) +
              u'\n');
        watchInProgress();
        return;
    }

    m_changeSent = false;
    startRecording(t0, change);
    const QString description = RolloutCommandText::tr("Image of container %1 set to %2 (was %3)")
                                    .arg(change.container, change.to, change.from);
    kube::DeploymentOperations::setImage(
        m_client, m_ns, m_options.deployment, changes, std::nullopt, this,
        [this, t0, description](Result<kube::WriteOutcome> outcome) {
            if (m_phase != Phase::Recording)
                return;
            if (!outcome) {
                const QString message = kube::ApiErrors::kubectlStyle(outcome.error());
                m_err(message + u'\n');
                onOutcome(Outcome::Failed, QStringLiteral("ChangeRejected"), message);
                return;
            }
            m_out(outcome->message + u'\n');
            m_tracker->markChange(t0, description);
            // Progress lines follow the "image updated" line, as with kubectl.
            m_changeSent = true;
            if (const std::optional<kube::DeploymentInfo> d = m_tracker->deployment())
                onDeployment(*d);
        });
}

void RolloutCommand::watchInProgress()
{
    m_tracker->flush();
    const rollout::RolloutStatus status = m_tracker->status();
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    const bool active = m_tracker->rolloutActive();
    const qint64 t0 = active && m_tracker->originMs() > 0 ? m_tracker->originMs() : nowMs();
    startRecording(t0, observedChange());
    if (d) {
        m_lastStatusLine.clear();
        onDeployment(*d);
    }
    // Nothing in progress: the recording says so at once, as kubectl rollout status does.
    if (!active && status.state == rollout::RolloutState::Complete)
        onOutcome(Outcome::Complete, QString(), status.message);
    else if (!active && status.state == rollout::RolloutState::Failed)
        onOutcome(Outcome::Failed, status.reason, status.message);
}

void RolloutCommand::onDeployment(const kube::DeploymentInfo &deployment)
{
    if (m_phase != Phase::Recording || !m_changeSent)
        return;
    // Until the controller has seen the change, the old status would read "rolled out".
    if (m_generationAtChange >= 0 && deployment.generation <= m_generationAtChange)
        return;
    bool complete = false;
    const QString line = statusLine(deployment, &complete);
    // The final line comes with the outcome, so it is printed once and in order.
    if (complete || line == m_lastStatusLine || line.startsWith(QLatin1StringView("error:")))
        return;
    m_lastStatusLine = line;
    queueLine(nowMs() - m_t0, line);
}

void RolloutCommand::queueLine(qint64 tMs, const QString &line)
{
    if (m_linesFlushed) {
        m_out(line + u'\n');
        return;
    }
    m_pendingLines.insert(tMs, line);
}

void RolloutCommand::flushAllLines()
{
    if (m_lineTimer)
        m_lineTimer->stop();
    flushLines(std::numeric_limits<qint64>::max());
    m_linesFlushed = true;
}

void RolloutCommand::flushLines(qint64 upToMs)
{
    while (!m_pendingLines.isEmpty() && m_pendingLines.firstKey() <= upToMs) {
        m_out(m_pendingLines.first() + u'\n');
        m_pendingLines.erase(m_pendingLines.begin());
    }
}

void RolloutCommand::onOutcome(Outcome outcome, const QString &reason, const QString &message)
{
    if (m_phase != Phase::Recording)
        return;
    m_phase = Phase::Draining;
    m_finishAtMs = nowMs();
    m_outcome = outcome;
    m_outcomeReason = reason;
    m_outcomeMessage = message;
    if (outcome == Outcome::Complete) {
        // After every event before it, including traffic events still on their way.
        queueLine(m_finishAtMs - m_t0,
                  RolloutCommandText::tr("deployment \"%1\" successfully rolled out")
                      .arg(m_options.deployment));
    } else if (outcome == Outcome::Failed &&
               reason == QLatin1StringView("ProgressDeadlineExceeded")) {
        m_err(RolloutCommandText::tr("error: deployment \"%1\" exceeded its progress deadline")
                  .arg(m_options.deployment) +
              u'\n');
    } else if (outcome == Outcome::Failed && reason != QLatin1StringView("ChangeRejected") &&
               reason != QLatin1StringView("Deleted")) {
        m_err(RolloutCommandText::tr("error: rollout of deployment \"%1\" failed: %2")
                  .arg(m_options.deployment,
                       message.isEmpty() ? reason : reason + QStringLiteral(": ") + message) +
              u'\n');
    }
    // The requests in flight still belong to the rollout: let the prober deliver them.
    if (m_prober && m_prober->state() != probe::TrafficProber::State::Stopped) {
        connect(m_prober, &probe::TrafficProber::stateChanged, this,
                [this](probe::TrafficProber::State state) {
                    if (state == probe::TrafficProber::State::Stopped)
                        finalize();
                });
        // Whatever happens to the prober, the command ends.
        QTimer::singleShot(std::chrono::seconds(5), this, &RolloutCommand::finalize);
        m_prober->stop();
        return;
    }
    finalize();
}

void RolloutCommand::finalize()
{
    if (m_phase != Phase::Draining)
        return;
    m_phase = Phase::Done;
    if (m_timeout)
        m_timeout->stop();
    m_recorder->finish(m_outcome, m_outcomeReason, m_outcomeMessage, m_finishAtMs);
    // Everything derived from the traffic is recorded now: the progress lines go out in order.
    flushAllLines();
    const Timeline timeline = m_recorder->timeline().redacted(m_secrets);
    const Summary &s = timeline.summary;

    if (timeline.probe.enabled) {
        QStringList perVersion;
        for (auto it = s.responsesByVersion.cbegin(); it != s.responsesByVersion.cend(); ++it)
            perVersion << timeline.versionLabel(it.key()) + u' ' + QString::number(it.value());
        m_out(RolloutCommandText::tr("Requests: %1 sent, %2 failed%3")
                  .arg(s.requests)
                  .arg(s.failedRequests)
                  .arg(perVersion.isEmpty()
                           ? QString()
                           : QStringLiteral(" (") + perVersion.join(QStringLiteral(", ")) + u')') +
              u'\n');
        // Rollscope's own lateness, apart from the target's (never counted as a failure).
        if (m_prober && m_prober->totals().ownStallMaxMs > 0) {
            m_out(RolloutCommandText::tr("Prober: its own thread was held up %1 ms at most "
                                         "(%2 ms in all), not counted against the target")
                      .arg(m_prober->totals().ownStallMaxMs)
                      .arg(m_prober->totals().ownStallTotalMs) +
                  u'\n');
        }
    }
    m_out(RolloutCommandText::tr("Verdict: %1 (%2 s)")
              .arg(s.verdict, formatDecimal(s.durationMs / 1000.0, 1)) +
          u'\n');
    m_exitCode = exitCodeFor(s.verdictCode);
    writeFiles(timeline);
    // The autosave file is complete before the process ends.
    if (!m_options.autosave || m_autosaveClosed) {
        done(m_exitCode);
        return;
    }
    QTimer::singleShot(std::chrono::seconds(5), this, [this] { done(m_exitCode); });
}

void RolloutCommand::writeFiles(const Timeline &timeline)
{
    const struct
    {
        QString path;
        TimelineExport::Format format;
    } files[] = {{m_options.timelineFile, TimelineExport::Format::Json},
                 {m_options.reportFile, TimelineExport::Format::Html},
                 {m_options.csvFile, TimelineExport::Format::Csv}};
    for (const auto &file : files) {
        if (file.path.isEmpty())
            continue;
        const VoidResult written =
            TimelineExport::write(file.path, TimelineExport::render(timeline, file.format));
        if (!written) {
            m_err(RolloutCommandText::tr("error: %1").arg(written.error().message) + u'\n');
            // Not being able to write what CI asked for is a failure of its own.
            m_exitCode = 1;
        }
    }
}

void RolloutCommand::abort()
{
    if (m_phase == Phase::Recording) {
        m_err(RolloutCommandText::tr("Interrupted: writing what was recorded") + u'\n');
        onOutcome(Outcome::Aborted, QStringLiteral("Interrupted"),
                  RolloutCommandText::tr("stopped before the rollout finished"));
    } else if (m_phase < Phase::Recording) {
        fail(RolloutCommandText::tr("Interrupted"));
    }
}

void RolloutCommand::fail(const QString &text, int exitCode)
{
    if (m_phase == Phase::Done)
        return;
    m_phase = Phase::Done;
    if (m_timeout)
        m_timeout->stop();
    flushAllLines(); // what was seen before the failure, in order
    m_err(text + u'\n');
    done(exitCode);
}

void RolloutCommand::done(int exitCode)
{
    if (m_reported)
        return;
    m_reported = true;
    m_exitCode = exitCode;
    emit finished(exitCode);
}

} // namespace rollscope::timeline
