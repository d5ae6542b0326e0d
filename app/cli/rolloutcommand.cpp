// SPDX-License-Identifier: MIT
#include "cli/rolloutcommand.h"

#include "cli/commandline.h"
#include "kube/apierror.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"
#include "kube/operations.h"
#include "probe/targets.h"
#include "probe/trafficprober.h"
#include "rollout/rolloutsession.h"
#include "rollout/rollouttracker.h"
#include "rollout/strategy.h"
#include "timeline/exporters.h"

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
            m_session->endRecording(
                Outcome::Timeout, QString(),
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
            m_session->endRecording(
                Outcome::Failed, error.reason.isEmpty() ? QStringLiteral("ApiError") : error.reason,
                error.message);
        else
            fail(RolloutCommandText::tr("error: %1").arg(error.message));
    });

    rollout::SessionOptions session;
    session.context = m_context;
    session.requestedBy = QStringLiteral("rollscope rollout");
    session.autosave = m_options.autosave;
    session.autosavePath = m_options.autosavePath;
    session.sampleIntervalMs = m_options.sampleIntervalMs;
    // -v asks for every pod: in the output and in the recording alike.
    if (m_options.verbosity > 0)
        session.perPodEventsUpToReplicas = std::numeric_limits<int>::max();
    session.discoverTargets = m_options.probe == RolloutCommandOptions::Probe::Auto;
    // The traffic ends with the rollout: its last answers are delivered, then it is recorded.
    session.stopProbeAtOutcome = true;
    m_session = new rollout::RolloutSession(m_client, m_ns, m_options.deployment, session, this);
    using Session = rollout::RolloutSession;
    connect(m_session, &Session::recordingStarted, this,
            [this](const ChangeInfo &, qint64 t0) { onRecordingStarted(t0); });
    connect(m_session, &Session::eventRecorded, this, [this](const TimelineEvent &e) {
        if (e.type == QLatin1StringView("PodReady") && !podLinesWanted()) {
            readyPodsLine(e);
            return;
        }
        const QString line = eventLine(e);
        if (!line.isEmpty())
            queueLine(e.tMs, line);
    });
    connect(m_session, &Session::outcomeReached, this,
            [this](Outcome outcome, const rollout::RolloutStatus &, const QString &reason,
                   const QString &message,
                   qint64 durationMs) { onOutcome(outcome, reason, message, durationMs); });
    connect(m_session, &Session::recordingFinished, this,
            [this](const Timeline &recorded) { finalize(recorded); });
    connect(m_session, &Session::autosaveFailed, this, [this](const QString &message) {
        m_err(RolloutCommandText::tr("warning: %1").arg(message) + u'\n');
    });
    connect(m_session, &Session::autosaveClosed, this, [this] {
        m_autosaveClosed = true;
        if (m_phase == Phase::Done)
            done(m_exitCode);
    });
    connect(m_session, &Session::requestAccepted, this,
            [this](rollout::SessionAction, const QString &message) {
                if (m_phase != Phase::Recording)
                    return;
                m_out(message + u'\n');
                // Progress lines follow the "image updated" line, as with kubectl.
                m_changeSent = true;
                if (const std::optional<kube::DeploymentInfo> d = m_tracker->deployment())
                    onDeployment(*d);
            });
    connect(m_session, &Session::requestRejected, this,
            [this](rollout::SessionAction, const Error &error) {
                m_err(kube::ApiErrors::kubectlStyle(error) + u'\n');
            });
    connect(m_session, &Session::targetsChanged, this, &RolloutCommand::onTargets);
    m_session->start();
    m_tracker = m_session->tracker();
    connect(m_tracker, &rollout::RolloutTracker::liveChanged, this, &RolloutCommand::onLive);
    connect(m_tracker, &rollout::RolloutTracker::deploymentChanged, this,
            &RolloutCommand::onDeployment);
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
    // The Services of the namespace and the Nodes (for NodePorts), as the session lists them; a
    // user who may not list nodes still gets LoadBalancer and service-proxy targets.
    if (m_session->targetsResolved())
        onTargets();
}

void RolloutCommand::onTargets()
{
    if (m_phase != Phase::Preparing || m_options.probe != RolloutCommandOptions::Probe::Auto ||
        !m_session->targetsResolved())
        return;
    const QList<probe::ProbeTarget> targets = m_session->targets();
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
    if (m_phase != Phase::Preparing)
        return;
    m_target = std::move(target);
    if (m_target)
        startProber(*m_target);
    if (m_options.image.isEmpty())
        watchInProgress();
    else
        applyChange();
}

void RolloutCommand::startProber(const probe::ProbeTarget &target)
{
    probe::ProbeOptions options;
    options.target = target;
    options.rate = m_options.rate;
    if (const VoidResult started = m_session->startProbe(options); !started) {
        m_err(RolloutCommandText::tr("warning: requests are not probed: %1")
                  .arg(started.error().message) +
              u'\n');
        return;
    }
    m_probing = true;
    m_out(RolloutCommandText::tr("Probing %1 at %2 requests/s, a new connection per request")
              .arg(target.description, formatDecimal(m_options.rate, 2)) +
          u'\n');
}

void RolloutCommand::applyChange()
{
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    QString from;
    if (d) {
        for (const kube::ContainerImage &c : d->containers) {
            if (c.name == m_options.container || m_options.container == QLatin1StringView("*")) {
                from = c.image;
                break;
            }
        }
        m_generationAtChange = d->generation;
    }
    if (from == m_options.image) {
        // Nothing to send (kubectl sends nothing either): follow whatever is going on.
        m_out(RolloutCommandText::tr("deployment.apps/%1 image unchanged (%2)")
                  .arg(m_options.deployment, m_options.image) +
              u'\n');
        m_generationAtChange = -1;
        watchInProgress();
        return;
    }
    // The session sends the change once the watches are open, recording from the moment it
    // is sent (recordingStarted), and reports the answer (requestAccepted / requestRejected).
    m_changeSent = false;
    m_awaitingRecording = true;
    m_session->setImage(m_options.container, m_options.image);
}

void RolloutCommand::watchInProgress()
{
    m_lastStatusLine.clear();
    m_awaitingRecording = true;
    m_session->recordCurrent();
}

void RolloutCommand::onRecordingStarted(qint64 t0)
{
    // Only the recording this command asked for (the change it sends, or what it follows):
    // one the session started on its own before (a rollout seen while connecting) or after
    // (a later change, which ends this one) is not printed.
    if (m_phase != Phase::Preparing || !m_awaitingRecording)
        return;
    m_awaitingRecording = false;
    m_phase = Phase::Recording;
    m_t0 = t0;
    m_lineTimer = new QTimer(this);
    m_lineTimer->setInterval(std::chrono::milliseconds(100));
    connect(m_lineTimer, &QTimer::timeout, this, [this] {
        const qint64 upTo = std::min(nowMs() - m_t0 - kRolloutLineHoldMs,
                                     m_session->derivedEventsFinalBeforeMs() - 1);
        flushLines(upTo);
    });
    m_lineTimer->start();
    // Following a rollout in progress: where it stands, before its outcome.
    if (m_changeSent) {
        if (const std::optional<kube::DeploymentInfo> d = m_tracker->deployment())
            onDeployment(*d);
    }
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

bool RolloutCommand::podLinesWanted() const
{
    if (m_options.verbosity > 0)
        return true;
    const std::optional<kube::DeploymentInfo> d =
        m_tracker ? m_tracker->deployment() : std::nullopt;
    return !d || d->replicas <= kPerPodEventsUpToReplicas;
}

void RolloutCommand::readyPodsLine(const TimelineEvent &e)
{
    // A line per second at most: how many pods of that version are ready now (the tracker's
    // count, not a tally of events: pods also stop being ready, or go away).
    if (m_lastReadyLineMs >= 0 && e.tMs - m_lastReadyLineMs < kReadyLineIntervalMs)
        return;
    m_lastReadyLineMs = e.tMs;
    if (e.count > 1) {
        // A step of the recording (TimelineRecorder): its own words say how many, and where
        // the version stood at the end of it.
        queueLine(e.tMs,
                  QStringLiteral("[+%1s] ").arg(formatDecimal(e.tMs / 1000.0, 1)) + e.message);
        return;
    }
    const std::optional<kube::DeploymentInfo> d = m_tracker->deployment();
    int ready = 0;
    for (const rollout::VersionPods &pods : m_tracker->podCounts()) {
        if (pods.versionId == e.versionId)
            ready = pods.ready;
    }
    QString label = e.versionId;
    for (const rollout::VersionInfo &v : m_tracker->versions()) {
        if (v.id == e.versionId)
            label = v.label;
    }
    queueLine(e.tMs, QStringLiteral("[+%1s] ").arg(formatDecimal(e.tMs / 1000.0, 1)) +
                         RolloutCommandText::tr("%1 of %2 pods of %3 ready")
                             .arg(ready)
                             .arg(d ? d->replicas : 0)
                             .arg(label));
}

void RolloutCommand::queueLine(qint64 tMs, const QString &line)
{
    if (m_linesFlushed) {
        m_out(line + u'\n');
        return;
    }
    // After the lines of the same moment: they are printed in the order they came.
    m_pendingLines.insert(m_pendingLines.upperBound(tMs), tMs, line);
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

void RolloutCommand::onOutcome(Outcome outcome, const QString &reason, const QString &message,
                               qint64 durationMs)
{
    if (m_phase != Phase::Recording)
        return;
    m_phase = Phase::Draining;
    if (outcome == Outcome::Complete) {
        // After every event before it, including traffic events still on their way.
        queueLine(durationMs, RolloutCommandText::tr("deployment \"%1\" successfully rolled out")
                                  .arg(m_options.deployment));
    } else if (outcome == Outcome::Failed && reason == QLatin1StringView("Deleted")) {
        m_err(RolloutCommandText::tr("error: deployment \"%1\" was deleted")
                  .arg(m_options.deployment) +
              u'\n');
    } else if (outcome == Outcome::Failed &&
               reason == QLatin1StringView("ProgressDeadlineExceeded")) {
        m_err(RolloutCommandText::tr("error: deployment \"%1\" exceeded its progress deadline")
                  .arg(m_options.deployment) +
              u'\n');
    } else if (outcome == Outcome::Failed && reason != QLatin1StringView("ChangeRejected") &&
               reason != QLatin1StringView("Deleted") && reason != QLatin1StringView("ApiError")) {
        m_err(RolloutCommandText::tr("error: rollout of deployment \"%1\" failed: %2")
                  .arg(m_options.deployment,
                       message.isEmpty() ? reason : reason + QStringLiteral(": ") + message) +
              u'\n');
    }
    // The session stops the prober, lets it deliver the answers to the requests in flight and
    // then finishes the recording (finalize()).
}

void RolloutCommand::finalize(const Timeline &recorded)
{
    if ((m_phase != Phase::Draining && m_phase != Phase::Recording) || recorded.startedAtMs != m_t0)
        return;
    m_phase = Phase::Done;
    if (m_timeout)
        m_timeout->stop();
    // Everything derived from the traffic is recorded now: the progress lines go out in order.
    flushAllLines();
    const Timeline timeline = recorded.redacted(m_secrets);
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
        const probe::ProbeTotals &totals = m_session->prober()->totals();
        if (m_probing && totals.ownStallMaxMs > 0) {
            m_out(RolloutCommandText::tr("Prober: its own thread was held up %1 ms at most "
                                         "(%2 ms in all), not counted against the target")
                      .arg(totals.ownStallMaxMs)
                      .arg(totals.ownStallTotalMs) +
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
        m_session->endRecording(Outcome::Aborted, QStringLiteral("Interrupted"),
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
