// SPDX-License-Identifier: MIT
// bench_prober [SECONDS [RATE]] [--no-rollout]
//
// The traffic prober at RATE fresh-connection requests/s (default 1000) for SECONDS (default 10)
// against the demo Service of rollscope-sim running on its own thread (SimClusterThread, 4x
// speed), with a rolling update to v2 two seconds in, while the main thread's event loop (the
// GUI thread in the app) runs a 5 ms timer whose lateness is the stall. Then, in the same run,
// the seed guide's loop `while true; do curl -s URL; done` (a process per request) for as long.
// Prints both side by side: achieved rate, failures, attribution accuracy (every answer's
// version checked against the pod that sent it) and event-loop stall.

#include "kube/apiclient.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"
#include "kube/operations.h"
#include "probe/targets.h"
#include "probe/trafficprober.h"
#include "simulator/cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using namespace rollscope;
using namespace rollscope::probe;

namespace {

const QString kNs = QStringLiteral("default");
const QString kName = QStringLiteral("demo-dp");

// Lateness of a 5 ms repeating timer on the main thread: how long the event loop was held up.
class StallMeter
{
public:
    explicit StallMeter(QObject *context)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, context, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last >= 0)
                m_lateUs.push_back(qMax<qint64>(0, (now - m_last - 5'000'000) / 1000));
            m_last = now;
        });
    }
    void start()
    {
        m_lateUs.clear();
        m_last = -1;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double percentileMs(double q)
    {
        if (m_lateUs.empty())
            return 0;
        std::sort(m_lateUs.begin(), m_lateUs.end());
        const size_t i = std::min(m_lateUs.size() - 1, size_t(q * double(m_lateUs.size())));
        return double(m_lateUs[i]) / 1000.0;
    }
    double maxMs() const
    {
        return m_lateUs.empty()
                   ? 0
                   : double(*std::max_element(m_lateUs.begin(), m_lateUs.end())) / 1000.0;
    }
    size_t ticks() const { return m_lateUs.size(); }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    std::vector<qint64> m_lateUs;
};

struct Column
{
    QString name;
    double seconds = 0;
    qint64 requests = 0;
    qint64 answers = 0;
    qint64 failures = 0;
    QString failureClasses; // "refused 2, reset 1 (first: ...)"
    qint64 skipped = 0;
    qint64 attributedRight = 0;
    qint64 attributedWrong = 0; // wrong or unknown
    double stallP50 = 0;
    double stallP99 = 0;
    double stallMax = 0;
    QString note;
};

// "demo-dp-6b5b87b666-f4rck" -> "6b5b87b666": the hash a Deployment's pod name carries.
QString hashInName(const QString &pod)
{
    const QStringList parts = pod.split(u'-');
    return parts.size() >= 3 ? parts.at(parts.size() - 2) : QString();
}

void printTable(const QList<Column> &columns)
{
    auto row = [&](const char *label, const std::function<QString(const Column &)> &cell) {
        std::printf("  %-26s", label);
        for (const Column &c : columns)
            std::printf(" %-34s", qPrintable(cell(c)));
        std::printf("\n");
    };
    row("", [](const Column &c) { return c.name; });
    row("requests/s achieved", [](const Column &c) {
        return c.seconds > 0 ? QString::number(double(c.requests) / c.seconds, 'f', 1) : QString();
    });
    row("requests sent", [](const Column &c) { return QString::number(c.requests); });
    row("answers", [](const Column &c) { return QString::number(c.answers); });
    row("failures", [](const Column &c) {
        return c.failureClasses.isEmpty()
                   ? QString::number(c.failures)
                   : QStringLiteral("%1: %2").arg(c.failures).arg(c.failureClasses);
    });
    row("skipped (busy or late)", [](const Column &c) { return QString::number(c.skipped); });
    row("attribution accuracy", [](const Column &c) {
        const qint64 n = c.attributedRight + c.attributedWrong;
        return n == 0 ? QStringLiteral("-")
                      : QStringLiteral("%1 % (%2/%3)")
                            .arg(100.0 * double(c.attributedRight) / double(n), 0, 'f', 3)
                            .arg(c.attributedRight)
                            .arg(n);
    });
    row("event-loop stall p50/p99/max", [](const Column &c) {
        return QStringLiteral("%1 / %2 / %3 ms")
            .arg(c.stallP50, 0, 'f', 2)
            .arg(c.stallP99, 0, 'f', 2)
            .arg(c.stallMax, 0, 'f', 2);
    });
    for (const Column &c : columns) {
        if (!c.note.isEmpty())
            std::printf("  %s: %s\n", qPrintable(c.name), qPrintable(c.note));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool rollout = args.removeAll(QStringLiteral("--no-rollout")) == 0;
    const int seconds = args.size() > 0 ? qMax(1, args.at(0).toInt()) : 10;
    const double rate = args.size() > 1 ? args.at(1).toDouble() : 1000.0;

    QTemporaryDir dir;
    const QString kubeconfigPath = dir.filePath(QStringLiteral("kubeconfig"));
    sim::SimClusterThread simThread;
    sim::SimOptions simOptions;
    simOptions.speed = 4;
    simOptions.seed = 11;
    simOptions.warmUpMs = 2 * 60 * 1000;

    std::unique_ptr<kube::ApiClient> client;
    kube::PodInformer *informer = nullptr;
    TrafficProber prober;
    StallMeter stall(&app);
    QHash<QString, QString> truth;  // every pod ever seen -> its pod-template-hash
    QHash<QString, QString> images; // every pod ever seen -> its image
    QList<Column> columns;
    Column proberColumn;
    proberColumn.name = QStringLiteral("prober (fresh connection)");
    QHash<QString, qint64> answersByImage;
    QElapsedTimer phase;
    QUrl url;
    int exitCode = 0;

    auto fail = [&](const QString &message) {
        std::fprintf(stderr, "bench_prober: %s\n", qPrintable(message));
        exitCode = 1;
        QCoreApplication::exit(1);
    };

    // Phase 2: the seed guide's curl loop, a process per request, for as long.
    auto runCurl = [&] {
        Column c;
        c.name = QStringLiteral("curl loop (process/request)");
        if (QStandardPaths::findExecutable(QStringLiteral("curl")).isEmpty()) {
            c.note = QStringLiteral("skipped: curl is not installed");
            columns << c;
            QCoreApplication::quit();
            return;
        }
        auto *loop = new QProcess(&app);
        const QString script =
            QStringLiteral("end=$(( $(date +%s%N) / 1000000 + %1 )); "
                           "while [ $(( $(date +%s%N) / 1000000 )) -lt $end ]; do "
                           "curl -s -m 2 '%2' || echo FAILED; done")
                .arg(qint64(seconds) * 1000)
                .arg(url.toString());
        stall.start();
        phase.start();
        QObject::connect(loop, &QProcess::finished, &app, [&, loop, c]() mutable {
            stall.stop();
            c.seconds = double(phase.elapsed()) / 1000.0;
            const QList<QByteArray> lines = loop->readAllStandardOutput().split('\n');
            for (const QByteArray &line : lines) {
                if (line.isEmpty())
                    continue;
                ++c.requests;
                if (line.startsWith("FAILED")) {
                    ++c.failures;
                    continue;
                }
                ++c.answers;
                // The human reading the loop attributes by the body: pod name and version tag.
                const QList<QByteArray> words = line.split(' ');
                const QString pod = QString::fromUtf8(words.value(0));
                const QString tag = QString::fromUtf8(words.value(1));
                if (truth.contains(pod) && images.value(pod).endsWith(u':' + tag))
                    ++c.attributedRight;
                else
                    ++c.attributedWrong;
            }
            c.stallP50 = stall.percentileMs(0.50);
            c.stallP99 = stall.percentileMs(0.99);
            c.stallMax = stall.maxMs();
            c.note = QStringLiteral("sequential, `curl -s URL` per request; attribution read "
                                    "from the body (pod name + version tag)");
            columns << c;
            loop->deleteLater();
            QCoreApplication::quit();
        });
        loop->start(QStringLiteral("sh"), {QStringLiteral("-c"), script});
    };

    QString firstError;
    QObject::connect(
        &prober, &TrafficProber::resultsReady, &app, [&](const QList<ProbeResult> &results) {
            for (const ProbeResult &r : results) {
                if (r.failure && firstError.isEmpty())
                    firstError = r.error;
                if (r.httpStatus == 0)
                    continue;
                const bool right = !r.pod.isEmpty() && truth.contains(r.pod) &&
                                   truth.value(r.pod) == r.versionId &&
                                   hashInName(r.pod) == r.versionId;
                ++(right ? proberColumn.attributedRight : proberColumn.attributedWrong);
                if (!r.failure)
                    ++answersByImage[images.value(r.pod, QStringLiteral("?"))];
            }
        });
    QObject::connect(&prober, &TrafficProber::stateChanged, &app, [&](TrafficProber::State state) {
        if (state != TrafficProber::State::Stopped)
            return;
        const ProbeTotals &t = prober.totals();
        proberColumn.requests = t.sent;
        proberColumn.answers = t.answered;
        proberColumn.failures = t.failedTotal();
        QStringList classes;
        for (int c = 0; c < kFailureClassCount; ++c) {
            if (t.failures[size_t(c)] > 0)
                classes << QStringLiteral("%1 %2")
                               .arg(failureClassId(FailureClass(c)))
                               .arg(t.failures[size_t(c)]);
        }
        if (!classes.isEmpty())
            proberColumn.failureClasses = QStringLiteral("%1 (first: %2)")
                                              .arg(classes.join(QStringLiteral(", ")), firstError);
        proberColumn.note +=
            QStringLiteral("prober's own thread held up at most %1 ms; ").arg(t.ownStallMaxMs);
        proberColumn.skipped = t.skippedBusy + t.skippedLate;
        QStringList mix;
        for (auto it = answersByImage.cbegin(); it != answersByImage.cend(); ++it)
            mix << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
        std::sort(mix.begin(), mix.end());
        proberColumn.note +=
            QStringLiteral("target %1; answers by image: %2")
                .arg(prober.options().target.description, mix.join(QStringLiteral(", ")));
        columns << proberColumn;
        runCurl();
    });

    // Phase 1: the prober, with a rollout two seconds in.
    auto runProber = [&](const ProbeTarget &target) {
        url = target.url;
        ProbeOptions options;
        options.target = target;
        options.rate = rate;
        options.concurrency = 200;
        options.timeout = std::chrono::milliseconds(2000);
        if (const VoidResult set = prober.setOptions(options); !set.ok())
            return fail(set.error().message);
        stall.start();
        phase.start();
        if (const VoidResult started = prober.start(); !started.ok())
            return fail(started.error().message);
        if (rollout) {
            QTimer::singleShot(2000, &app, [&] {
                kube::DeploymentOperations::setImage(
                    client.get(), kNs, kName,
                    {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2")}}, std::nullopt,
                    &app, [&](Result<kube::WriteOutcome> r) {
                        if (!r.ok())
                            fail(r.error().message);
                    });
            });
        }
        QTimer::singleShot(seconds * 1000, &app, [&] {
            proberColumn.seconds = double(phase.elapsed()) / 1000.0;
            stall.stop();
            proberColumn.stallP50 = stall.percentileMs(0.50);
            proberColumn.stallP99 = stall.percentileMs(0.99);
            proberColumn.stallMax = stall.maxMs();
            prober.stop();
        });
    };

    // Phase 0: connect as the app does, find the target, keep the pod -> version map.
    auto findTarget = [&] {
        auto deployment = std::make_shared<std::optional<kube::DeploymentInfo>>();
        auto services = std::make_shared<QList<kube::ServiceInfo>>();
        auto nodes = std::make_shared<QList<kube::NodeInfo>>();
        auto pending = std::make_shared<int>(3);
        auto next = [&, deployment, services, nodes, pending] {
            if (--*pending > 0)
                return;
            if (!*deployment)
                return fail(QStringLiteral("no demo deployment"));
            const QList<ProbeTarget> targets =
                candidateTargets(**deployment, *services, *nodes, kNs);
            for (const ProbeTarget &t : targets) {
                if (t.kind == ProbeTarget::Kind::LoadBalancer ||
                    t.kind == ProbeTarget::Kind::NodePort)
                    return runProber(t);
            }
            fail(QStringLiteral("no LoadBalancer or NodePort target"));
        };
        client->getJson(kube::ResourceKind::deployments().objectPath(kNs, kName), {}, &app,
                        [=](Result<QJsonObject> r) {
                            if (r.ok())
                                *deployment = kube::DeploymentInfo::fromJson(*r);
                            next();
                        });
        kube::ListOptions inNs;
        inNs.ns = kNs;
        client->listAll(kube::ResourceKind::services(), inNs, &app,
                        [=](Result<kube::ListResult> r) {
                            if (r.ok()) {
                                for (const QJsonObject &o : r->items)
                                    *services << kube::ServiceInfo::fromJson(o);
                            }
                            next();
                        });
        client->listAll(kube::ResourceKind::nodes(), {}, &app, [=](Result<kube::ListResult> r) {
            if (r.ok()) {
                for (const QJsonObject &o : r->items)
                    *nodes << kube::NodeInfo::fromJson(o);
            }
            next();
        });
    };

    QObject::connect(&simThread, &sim::SimClusterThread::failed, &app, fail);
    QObject::connect(&simThread, &sim::SimClusterThread::ready, &app, [&] {
        kube::Kubeconfig::LoadOptions load;
        load.explicitPath = kubeconfigPath;
        auto config = kube::Kubeconfig::load(load);
        if (!config.ok())
            return fail(config.error().message);
        auto cluster = config->resolve(QStringLiteral("rollscope-sim"));
        if (!cluster.ok())
            return fail(cluster.error().message);
        client = std::make_unique<kube::ApiClient>(*cluster);
        kube::InformerOptions podOptions;
        podOptions.ns = kNs;
        podOptions.labelSelector = QStringLiteral("app=demo");
        informer = new kube::PodInformer(client.get(), podOptions, client.get());
        auto publish = [&] {
            QHash<QString, QString> map;
            for (const kube::PodInfo &pod : informer->items()) {
                map.insert(pod.name, pod.podTemplateHash);
                truth.insert(pod.name, pod.podTemplateHash);
                if (!pod.specContainers.isEmpty())
                    images.insert(pod.name, pod.specContainers.first().image);
            }
            prober.setPodVersions(map);
        };
        informer->addHandlers(
            &app, {[publish](const kube::PodInfo &) { publish(); },
                   [publish](const kube::PodInfo &, const kube::PodInfo &) { publish(); },
                   [publish](const kube::PodInfo &) { publish(); }});
        QObject::connect(informer, &kube::PodInformer::syncedChanged, &app, [&](bool synced) {
            if (synced)
                findTarget();
        });
        informer->start();
    });
    simThread.start(simOptions, kubeconfigPath);

    const int rc = app.exec();
    simThread.stop();
    std::printf("bench_prober: %d s at %.0f requests/s against rollscope-sim (its own thread, "
                "4x speed)%s\n",
                seconds, rate, rollout ? ", rolling update to v2 at t = 2 s" : "");
    printTable(columns);
    return rc != 0 ? rc : exitCode;
}
