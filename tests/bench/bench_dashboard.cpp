// SPDX-License-Identifier: MIT
// bench_dashboard: the window at scale (no arguments needed; offscreen unless QT_QPA_PLATFORM
// says otherwise; --charts measures only the charts' frame rate, part 3).
//
//  1. rollscope-sim (next to this executable, its own process: its memory is not ours) serves
//     scale:1000:1 at --speed 10: 1,000 Deployments in 10 namespaces. kubectl creates a
//     5,000-replica Deployment `big` (bebullish/demo:v1, 25 %/25 %, NodePort Service) in
//     `default` and waits until it is available.
//  2. The real MainWindow opens on that kubeconfig; All namespaces is chosen in the cluster bar,
//     `big` is clicked in the deployments table, and once its 5,000 pods are shown Update image
//     (the action, its dialog, its Update button) rolls it out to bebullish/demo:v2; the bench
//     waits for the outcome.
//     - GUI stall: a 1 ms precise timer on the GUI thread, the lateness of each firing, from the
//       window opening to the outcome (p99 and max).
//     - Pod Ready -> chart: a watch of the same pods on a thread of its own (its own client and
//       connection) notes when the n-th pod of v2 is Ready in the API; the GUI notes when the
//       Rollout view's pods chart first draws n ready v2 pods (PodsChart::dataSpanChanged, at
//       the end of each redraw). The latency of each n: chart minus API.
//  3. Chart frame rate: a PodsChart and a ResponsesChart each holding one hour at 10 Hz (36,000
//     samples whose counts all change at every sample, 36,000 buckets of 100 ms); a frame is one
//     more sample, the redraw from the data and a full repaint (grab), for about 2 s each.
//  4. Peak RSS: VmHWM of this process (the whole run).
//
// Prints one line per figure, met/MISSED per goal, and last
//   dashboard: stall p99 X ms, max Y ms, peak RSS Z MB, chart fps F
// Exits 1 when a goal is missed, 2 when the run itself failed. Needs kubectl on the PATH.

#include "clusterbar.h"
#include "common/allocator.h"
#include "common/openssl.h"
#include "deploymentspane.h"
#include "itemmodels/deploymentlistmodel.h"
#include "kube/apiclient.h"
#include "kube/kubeconfig.h"
#include "mainwindow.h"
#include "podschart.h"
#include "procstatus.h"
#include "responseschart.h"
#include "rollout/rollouttracker.h"
#include "rolloutview.h"
#include "session/clustersession.h"
#include "updateimagedialog.h"

#include <QApplication>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHash>
#include <QJsonArray>
#include <QLineSeries>
#include <QMutex>
#include <QPixmap>
#include <QProcess>
#include <QPushButton>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using namespace rollscope;

namespace {

constexpr int kReplicas = 5000;
constexpr auto kBigKey = "default/big";
constexpr auto kOldImage = "bebullish/demo:v1";
constexpr auto kNewImage = "bebullish/demo:v2";

// Goals (issue 15, items 2 and 5).
constexpr double kStallP99GoalMs = 50;
constexpr double kRssGoalMb = 150;
constexpr double kFpsGoal = 30;
constexpr double kReadyToChartGoalMs = 100;

qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void say(const QString &line)
{
    std::printf("%s\n", qPrintable(line));
    std::fflush(stdout);
}

[[noreturn]] void fail(const QString &why)
{
    std::fprintf(stderr, "bench_dashboard: %s\n", qPrintable(why));
    std::fflush(stderr);
    std::_Exit(2);
}

// Runs the event loop until `done` holds (checked every 20 ms and after each pass); false on
// timeout. Never sleeps on the GUI thread (QTest::qWaitFor would, and the stall meter would see
// its naps).
bool waitUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &loop, &QEventLoop::quit);
    poll.start();
    deadline.start(timeoutMs);
    loop.exec();
    return done();
}

double peakRssMb()
{
    return bench::peakRssMiB();
}

// "RSS 123 MB, peak 130 MB", for the lines of each phase.
QString rssSoFar()
{
    return QStringLiteral("RSS %1 MB, peak %2 MB")
        .arg(bench::procStatusMiB("VmRSS:"), 0, 'f', 0)
        .arg(peakRssMb(), 0, 'f', 0);
}

// Lateness of a 1 ms precise timer, in a histogram of 10 µs bins (bounded memory however long
// the run), plus the exact maximum.
class StallMeter : public QObject
{
public:
    StallMeter()
        : m_bins(kBins, 0)
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        connect(&m_timer, &QTimer::timeout, this, &StallMeter::fired);
    }
    void start()
    {
        m_last = steadyNs();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    qint64 count() const { return m_count; }
    // Late in all, seconds; firings 50 ms late or more.
    double lateSeconds() const { return double(m_sumNs) / 1e9; }
    qint64 over50() const { return m_over50; }
    double maxMs() const { return double(m_maxNs) / 1e6; }
    // The longest stalls (50 ms or more): when each began (steady clock, ns) and how long it was.
    const std::vector<std::pair<qint64, qint64>> &longest() const { return m_longest; }
    double percentileMs(double p) const
    {
        const auto wanted = qint64(std::ceil(p * double(m_count)));
        qint64 seen = 0;
        for (int i = 0; i < kBins; ++i) {
            seen += m_bins[std::size_t(i)];
            if (seen >= wanted)
                return i == kBins - 1 ? maxMs() : double(i + 1) * kBinNs / 1e6;
        }
        return maxMs();
    }

private:
    static constexpr int kBins = 100'000; // 10 µs each: up to 1 s, later ones in the last
    static constexpr qint64 kBinNs = 10'000;
    static constexpr std::size_t kLongest = 8;

    void fired()
    {
        const qint64 now = steadyNs();
        const qint64 late = std::max<qint64>(0, now - m_last - 1'000'000);
        m_last = now;
        ++m_count;
        m_sumNs += late;
        if (late >= 50'000'000)
            ++m_over50;
        m_maxNs = std::max(m_maxNs, late);
        ++m_bins[std::size_t(std::min<qint64>(late / kBinNs, kBins - 1))];
        if (late >= 50'000'000) {
            m_longest.push_back({now - late, late});
            std::sort(m_longest.begin(), m_longest.end(),
                      [](const auto &a, const auto &b) { return a.second > b.second; });
            if (m_longest.size() > kLongest)
                m_longest.pop_back();
        }
    }

    QTimer m_timer;
    std::vector<qint64> m_bins;
    qint64 m_last = 0;
    qint64 m_count = 0;
    qint64 m_maxNs = 0;
    qint64 m_sumNs = 0;
    qint64 m_over50 = 0;
    std::vector<std::pair<qint64, qint64>> m_longest;
};

// The Deployment's pods as the API reports them, on a thread of its own: when the n-th pod of
// the new image became Ready (steady clock, ns).
class ReadyWatcher : public QObject
{
public:
    ReadyWatcher(kube::ClusterConfig config, QString image)
        : m_config(std::move(config))
        , m_image(std::move(image))
    {}

    // On the watcher's thread.
    void open()
    {
        m_client = new kube::ApiClient(m_config, this);
        // The list's resourceVersion (one item: the existing pods are all of the old image).
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("labelSelector"), QStringLiteral("app=big"));
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("1"));
        m_client->getJson(
            QStringLiteral("/api/v1/namespaces/default/pods"), query, this,
            [this](Result<QJsonObject> list) {
                if (!list) {
                    m_failed = list.error().message;
                    return;
                }
                watchFrom(list->value(u"metadata").toObject().value(u"resourceVersion").toString());
            });
    }

    bool isOpen() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_opened;
    }
    QString failure() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_failed;
    }
    // readyAt()[n - 1]: when n pods of the image were Ready at once for the first time.
    std::vector<qint64> readyAt() const
    {
        const QMutexLocker lock(&m_mutex);
        return m_readyAt;
    }

private:
    void watchFrom(const QString &resourceVersion)
    {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("labelSelector"), QStringLiteral("app=big"));
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
        if (!resourceVersion.isEmpty())
            query.addQueryItem(QStringLiteral("resourceVersion"), resourceVersion);
        auto *watch = m_client->watch(
            kube::ApiRequest::get(QStringLiteral("/api/v1/namespaces/default/pods"), query), this);
        connect(watch, &kube::Watch::opened, this, [this] {
            const QMutexLocker lock(&m_mutex);
            m_opened = true;
        });
        connect(watch, &kube::Watch::eventsReceived, this, &ReadyWatcher::onEvents);
        connect(watch, &kube::Watch::finished, this, [this, watch](const kube::WatchEnd &end) {
            watch->deleteLater();
            if (end.error) {
                const QMutexLocker lock(&m_mutex);
                m_failed = end.error->message;
                return;
            }
            watchFrom(m_lastVersion); // the server ended it: go on from there
        });
    }

    void onEvents(const QList<kube::WatchEvent> &events)
    {
        const qint64 now = steadyNs();
        for (const kube::WatchEvent &event : events) {
            if (event.type == kube::WatchEvent::Type::Error)
                continue;
            if (const QString rv = event.resourceVersion(); !rv.isEmpty())
                m_lastVersion = rv;
            if (event.type == kube::WatchEvent::Type::Bookmark)
                continue;
            const QJsonObject &pod = event.object;
            const QJsonObject metadata = pod.value(u"metadata").toObject();
            const QString name = metadata.value(u"name").toString();
            const QString image = pod.value(u"spec")
                                      .toObject()
                                      .value(u"containers")
                                      .toArray()
                                      .first()
                                      .toObject()
                                      .value(u"image")
                                      .toString();
            if (image != m_image)
                continue;
            bool ready = false;
            for (const QJsonValue &c :
                 pod.value(u"status").toObject().value(u"conditions").toArray()) {
                const QJsonObject condition = c.toObject();
                if (condition.value(u"type").toString() == u"Ready")
                    ready = condition.value(u"status").toString() == u"True";
            }
            if (event.type == kube::WatchEvent::Type::Deleted)
                ready = false;
            if (ready)
                m_ready.insert(name);
            else
                m_ready.remove(name);
        }
        const QMutexLocker lock(&m_mutex);
        while (qsizetype(m_readyAt.size()) < m_ready.size())
            m_readyAt.push_back(now);
    }

    kube::ClusterConfig m_config;
    QString m_image;
    kube::ApiClient *m_client = nullptr;
    QSet<QString> m_ready;
    QString m_lastVersion;
    mutable QMutex m_mutex;
    bool m_opened = false;
    QString m_failed;
    std::vector<qint64> m_readyAt;
};

struct Percentiles
{
    double p50 = 0;
    double p99 = 0;
    double max = 0;
    qsizetype n = 0;
};

Percentiles percentiles(std::vector<double> values)
{
    Percentiles p;
    p.n = qsizetype(values.size());
    if (values.empty())
        return p;
    std::sort(values.begin(), values.end());
    const auto at = [&values](double q) {
        const auto i = std::size_t(std::ceil(q * double(values.size()))) - 1;
        return values[std::min(i, values.size() - 1)];
    };
    p.p50 = at(0.50);
    p.p99 = at(0.99);
    p.max = values.back();
    return p;
}

QString ms(double v)
{
    return QString::number(v, 'f', 1);
}

// The sim's first line: "rollscope-sim: serving https://127.0.0.1:PORT".
std::unique_ptr<QProcess> startSimulator(const QString &kubeconfig, const QString &errFile)
{
    const QString sim = QCoreApplication::applicationDirPath() + QStringLiteral("/rollscope-sim");
    if (!QFileInfo(sim).isExecutable())
        fail(QStringLiteral("%1 is not built (target rollscope-sim)").arg(sim));
    auto process = std::make_unique<QProcess>();
    process->setStandardErrorFile(errFile);
    process->start(sim, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                         QStringLiteral("--kubeconfig"), kubeconfig, QStringLiteral("--scenario"),
                         QStringLiteral("scale:1000:1"), QStringLiteral("--speed"),
                         QStringLiteral("10")});
    QByteArray out;
    const bool serving = waitUntil(
        [&] {
            out += process->readAllStandardOutput();
            return out.contains("serving") || process->state() == QProcess::NotRunning;
        },
        300'000);
    if (!serving || !out.contains("serving"))
        fail(QStringLiteral("rollscope-sim did not start: %1").arg(QString::fromUtf8(out)));
    // Whatever it prints later is read and dropped.
    QObject::connect(process.get(), &QProcess::readyReadStandardOutput, process.get(),
                     [p = process.get()] { p->readAllStandardOutput(); });
    return process;
}

void kubectl(const QStringList &arguments, const QByteArray &input, const QString &kubeconfig,
             int timeoutMs)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("KUBECONFIG"), kubeconfig);
    env.insert(QStringLiteral("KUBECACHEDIR"),
               QFileInfo(kubeconfig).absolutePath() + QStringLiteral("/cache"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("kubectl"), arguments);
    if (!process.waitForStarted(30'000))
        fail(QStringLiteral("kubectl cannot be started (it must be on the PATH)"));
    process.write(input);
    process.closeWriteChannel();
    if (!waitUntil([&] { return process.state() == QProcess::NotRunning; }, timeoutMs) ||
        process.exitCode() != 0)
        fail(QStringLiteral("kubectl %1 failed: %2")
                 .arg(arguments.join(u' '),
                      QString::fromUtf8(process.readAllStandardError()).trimmed()));
}

QByteArray bigManifest()
{
    return QStringLiteral(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: big
spec:
  selector:
    matchLabels:
      app: big
  replicas: %1
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 25%
  template:
    metadata:
      labels:
        app: big
    spec:
      containers:
      - name: demo
        image: %2
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: big
spec:
  type: NodePort
  selector:
    app: big
  ports:
  - port: 80
    targetPort: 8080
)")
        .arg(kReplicas)
        .arg(QLatin1StringView(kOldImage))
        .toUtf8();
}

// --- chart frame rate -----------------------------------------------------------------------

rollout::VersionInfo chartVersion(const QString &id, int colorIndex, bool isNew)
{
    rollout::VersionInfo v;
    v.id = id;
    v.label = isNew ? QStringLiteral("v2 (rev 2)") : QStringLiteral("v1 (rev 1)");
    v.image = isNew ? QLatin1StringView(kNewImage) : QLatin1StringView(kOldImage);
    v.colorIndex = colorIndex;
    v.isNew = isNew;
    return v;
}

// The i-th sample of an hour-long rollout at 10 Hz in which every count changes every time.
rollout::PodCountSample podSample(qint64 originMs, int i, int of)
{
    rollout::PodCountSample s;
    s.timeMs = originMs + qint64(i) * 100;
    const int moved = int(qint64(kReplicas) * i / of);
    const int jitter = i % 2;
    rollout::VersionPods oldPods;
    oldPods.versionId = QStringLiteral("old");
    oldPods.total = kReplicas - moved + 1 - jitter;
    oldPods.ready = std::max(0, oldPods.total - 2 + jitter);
    oldPods.available = oldPods.ready;
    rollout::VersionPods newPods;
    newPods.versionId = QStringLiteral("new");
    newPods.total = moved + 1 - jitter;
    newPods.ready = std::max(0, newPods.total - 1 + jitter);
    newPods.available = newPods.ready;
    s.versions = {oldPods, newPods};
    s.maxTotal = kReplicas + kReplicas / 4;
    s.minAvailable = kReplicas - kReplicas / 4;
    return s;
}

probe::ProbeBucket responseBucket(qint64 originMs, int i, int of)
{
    probe::ProbeBucket b;
    b.startMs = originMs + qint64(i) * 100;
    b.durationMs = 100;
    const int fresh = int(qint64(20) * i / of);
    b.responsesByVersion.insert(QStringLiteral("old"), 20 - fresh + i % 3);
    b.responsesByVersion.insert(QStringLiteral("new"), fresh + (i + 1) % 3);
    b.failures[0] = i % 7 == 0 ? 1 : 0;
    return b;
}

// Frames per second of `frame` (which redraws and repaints `widget`), over about `ms`.
double measureFps(const std::function<void(int)> &frame, int ms)
{
    QElapsedTimer clock;
    clock.start();
    int frames = 0;
    while (clock.elapsed() < ms) {
        frame(frames);
        ++frames;
        QCoreApplication::processEvents();
    }
    return double(frames) * 1000.0 / double(std::max<qint64>(1, clock.elapsed()));
}

struct ChartFps
{
    double pods = 0;
    double responses = 0;
    qsizetype podPoints = 0;
    QSize size;
};

ChartFps measureCharts()
{
    constexpr int kSamples = 36'000; // one hour at 10 Hz
    const qint64 origin = QDateTime::currentMSecsSinceEpoch() - qint64(kSamples) * 100;
    const QList<rollout::VersionInfo> versions = {chartVersion(QStringLiteral("old"), 0, false),
                                                  chartVersion(QStringLiteral("new"), 1, true)};
    ChartFps result;
    QWidget host;
    host.resize(1400, 420);
    auto *layout = new QHBoxLayout(&host);
    auto *pods = new PodsChart(&host);
    auto *responses = new ResponsesChart(&host);
    layout->addWidget(pods);
    layout->addWidget(responses);
    host.show();
    pods->setOrigin(origin);
    pods->setVersions(versions);
    responses->setOrigin(origin);
    responses->setVersions(versions);
    QList<rollout::PodCountSample> samples;
    QList<probe::ProbeBucket> buckets;
    samples.reserve(kSamples);
    buckets.reserve(kSamples);
    for (int i = 0; i < kSamples; ++i) {
        samples.append(podSample(origin, i, kSamples));
        buckets.append(responseBucket(origin, i, kSamples));
    }
    pods->appendSamples(samples);
    responses->appendBuckets(buckets);
    samples.clear();
    buckets.clear();
    pods->redrawNow();
    responses->redrawNow();
    result.size = pods->size();
    result.podPoints = pods->data().pointCount();
    // Warm up once, then count.
    (void)pods->grab();
    (void)responses->grab();
    result.pods = measureFps(
        [&](int n) {
            pods->appendSamples({podSample(origin, kSamples + n, kSamples)});
            pods->redrawNow();
            (void)pods->grab();
        },
        2000);
    result.responses = measureFps(
        [&](int n) {
            responses->appendBuckets({responseBucket(origin, kSamples + n, kSamples)});
            responses->redrawNow();
            (void)responses->grab();
        },
        2000);
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    keepOpenSslUntilExit();
    limitAllocatorArenas(); // as the application does, before any thread starts
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // The user's settings and autosaved timelines stay untouched.
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Rollscope"));
    QCoreApplication::setApplicationName(QStringLiteral("Rollscope-bench"));
    QSettings().clear();
    // `bench_dashboard --charts`: only the chart frame rate (part 3), to profile the charts.
    if (QCoreApplication::arguments().contains(QStringLiteral("--charts"))) {
        const ChartFps fps = measureCharts();
        say(QStringLiteral("charts (%1x%2): pods %3 fps, responses %4 fps")
                .arg(fps.size.width())
                .arg(fps.size.height())
                .arg(fps.pods, 0, 'f', 1)
                .arg(fps.responses, 0, 'f', 1));
        return 0;
    }

    QTemporaryDir work;
    if (!work.isValid())
        fail(QStringLiteral("no temporary directory"));
    const QString kubeconfig = work.filePath(QStringLiteral("kubeconfig"));

    // 1. The cluster, in a process of its own.
    QElapsedTimer phase;
    phase.start();
    const std::unique_ptr<QProcess> sim =
        startSimulator(kubeconfig, work.filePath(QStringLiteral("sim.err")));
    say(QStringLiteral("rollscope-sim: scale:1000:1 serving after %1 s")
            .arg(phase.elapsed() / 1000.0, 0, 'f', 1));
    phase.restart();
    kubectl({QStringLiteral("apply"), QStringLiteral("-f"), QStringLiteral("-")}, bigManifest(),
            kubeconfig, 60'000);
    kubectl({QStringLiteral("rollout"), QStringLiteral("status"), QStringLiteral("deployment/big"),
             QStringLiteral("--timeout=900s")},
            {}, kubeconfig, 960'000);
    say(QStringLiteral("deployment big: %1 replicas available after %2 s")
            .arg(kReplicas)
            .arg(phase.elapsed() / 1000.0, 0, 'f', 1));

    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = kubeconfig;
    const auto config = kube::Kubeconfig::load(load);
    if (!config)
        fail(config.error().message);
    const auto cluster = config->resolve();
    if (!cluster)
        fail(cluster.error().message);

    // 2. The window.
    StallMeter stall;
    auto window = std::make_unique<MainWindow>();
    window->resize(1440, 900);
    QElapsedTimer stallClock;
    stallClock.start();
    stall.start();
    phase.restart();
    window->show();
    StartOptions options;
    options.kubeconfig = kubeconfig;
    window->start(options);
    if (!waitUntil([&] { return window->session()->state() == ClusterSession::State::Connected; },
                   120'000))
        fail(QStringLiteral("the window did not connect"));

    QComboBox *namespaces = window->clusterBar()->namespaceBox();
    if (!waitUntil([&] { return namespaces->count() >= 11; }, 120'000))
        fail(QStringLiteral("the namespaces were not offered"));
    const int all = namespaces->findData(QString());
    if (all < 0)
        fail(QStringLiteral("no All namespaces entry"));
    if (namespaces->currentIndex() != all)
        namespaces->setCurrentIndex(all);
    DeploymentsPane *pane = window->deploymentsPane();
    if (!waitUntil(
            [&] {
                return window->session()->currentNamespace().isEmpty() &&
                       pane->model()->rowCount() >= 1001 &&
                       pane->model()->indexOfKey(QLatin1StringView(kBigKey)).isValid();
            },
            300'000))
        fail(QStringLiteral("All namespaces did not list 1,001 Deployments"));
    say(QStringLiteral("window: %1 Deployments listed (All namespaces) %2 s after it opened; %3")
            .arg(pane->model()->rowCount())
            .arg(phase.elapsed() / 1000.0, 0, 'f', 1)
            .arg(rssSoFar()));

    // Click `big` as a user does.
    phase.restart();
    const QModelIndex big =
        pane->proxy()->mapFromSource(pane->model()->indexOfKey(QLatin1StringView(kBigKey)));
    pane->view()->scrollTo(big);
    QTest::mouseClick(pane->view()->viewport(), Qt::LeftButton, {},
                      pane->view()->visualRect(big).center());
    if (pane->currentKey() != QLatin1StringView(kBigKey))
        fail(QStringLiteral("clicking the row of big did not select it"));
    RolloutView *view = window->rolloutView();
    if (!waitUntil(
            [&] {
                const rollout::RolloutTracker *t = view->tracker();
                return t && t->isLive() && t->status().state == rollout::RolloutState::Complete &&
                       view->podTable()->model()->rowCount() >= kReplicas &&
                       view->access().has_value();
            },
            300'000))
        fail(QStringLiteral("the Rollout view did not show big complete with its pods"));
    say(QStringLiteral("rollout view: big and its %1 pods shown %2 s after the click; %3")
            .arg(view->podTable()->model()->rowCount())
            .arg(phase.elapsed() / 1000.0, 0, 'f', 1)
            .arg(rssSoFar()));

    // The Ready watcher, on its own thread, before the change.
    QThread watcherThread;
    auto *watcher = new ReadyWatcher(*cluster, QLatin1StringView(kNewImage));
    watcher->moveToThread(&watcherThread);
    QObject::connect(&watcherThread, &QThread::finished, watcher, &QObject::deleteLater);
    watcherThread.start();
    QMetaObject::invokeMethod(
        watcher, [watcher] { watcher->open(); }, Qt::QueuedConnection);
    if (!waitUntil([&] { return watcher->isOpen() || !watcher->failure().isEmpty(); }, 60'000) ||
        !watcher->isOpen())
        fail(QStringLiteral("the Ready watch did not open: %1").arg(watcher->failure()));

    // When the window's own pod watch delivered the n-th ready pod of the new version (on the
    // GUI thread, as the tracker's scope takes it): splits the latency into the way to the
    // window and the way from there to the chart.
    std::vector<qint64> informerAt;
    QSet<QString> informerReady;
    rollout::DeploymentScope &scope = view->tracker()->scope();
    const auto notePod = [&](const kube::PodInfo *pod, bool gone) {
        const bool isNew = pod && !pod->specContainers.isEmpty() &&
                           pod->specContainers.first().image == QLatin1StringView(kNewImage);
        if (!isNew)
            return;
        if (pod->ready && !gone)
            informerReady.insert(pod->name);
        else
            informerReady.remove(pod->name);
        const qint64 now = steadyNs();
        while (qsizetype(informerAt.size()) < informerReady.size())
            informerAt.push_back(now);
    };
    QObject::connect(&scope, &rollout::DeploymentScope::podAdded, view,
                     [&](const kube::PodInfo &pod) { notePod(&pod, false); });
    QObject::connect(
        &scope, &rollout::DeploymentScope::podUpdated, view,
        [&](const kube::PodInfo &, const kube::PodInfo &after) { notePod(&after, false); });
    QObject::connect(&scope, &rollout::DeploymentScope::podRemoved, view,
                     [&](const kube::PodInfo &pod, bool) { notePod(&pod, true); });

    // What the pods chart draws: when it first showed n ready pods of the new version.
    std::vector<qint64> chartAt;
    PodsChart *podsChart = view->podsChart();
    QObject::connect(podsChart, &PodsChart::dataSpanChanged, podsChart, [&] {
        const rollout::RolloutTracker *t = view->tracker();
        if (!t)
            return;
        QString newId;
        for (const rollout::VersionInfo &v : t->versions()) {
            if (v.image == QLatin1StringView(kNewImage))
                newId = v.id;
        }
        const QLineSeries *ready =
            newId.isEmpty() ? nullptr : podsChart->series(newId + QStringLiteral("/ready"));
        if (!ready || ready->count() == 0)
            return;
        const int n = qRound(ready->at(ready->count() - 1).y());
        const qint64 now = steadyNs();
        while (int(chartAt.size()) < n)
            chartAt.push_back(now);
    });

    // Roll out through Update image: the action, its dialog, its Update button.
    bool outcome = false;
    bool success = false;
    QString outcomeTitle;
    QObject::connect(view, &RolloutView::rolloutFinished, view,
                     [&](const QString &title, const QString &, bool ok) {
                         outcome = true;
                         success = ok;
                         outcomeTitle = title;
                     });
    bool dialogSeen = false;
    QTimer dialogPoll;
    dialogPoll.setInterval(20);
    QObject::connect(&dialogPoll, &QTimer::timeout, &dialogPoll, [&] {
        auto *dialog = qobject_cast<UpdateImageDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialogPoll.stop();
        dialogSeen = true;
        dialog->imageBox()->setEditText(QLatin1StringView(kNewImage));
        if (!dialog->updateButton()->isEnabled()) {
            std::fprintf(stderr, "bench_dashboard: Update is disabled: %s\n",
                         qPrintable(dialog->problem()));
            dialog->reject();
            return;
        }
        dialog->updateButton()->click();
    });
    dialogPoll.start();
    phase.restart();
    view->updateImageAction()->trigger();
    if (!dialogSeen)
        fail(QStringLiteral("the Update image dialog did not open"));
    if (!waitUntil([&] { return outcome; }, 1'800'000))
        fail(QStringLiteral("no outcome within 30 minutes"));
    stall.stop();
    const double stallSpan = stallClock.elapsed() / 1000.0;
    const double rolloutS = phase.elapsed() / 1000.0;
    // The last samples reach the chart a batch later.
    waitUntil([&] { return int(chartAt.size()) >= kReplicas; }, 5000);
    say(QStringLiteral("rollout: %1 after %2 s (%3); %4; %5 events of big tracked")
            .arg(success ? QStringLiteral("complete") : QStringLiteral("NOT complete"))
            .arg(rolloutS, 0, 'f', 1)
            .arg(outcomeTitle, rssSoFar())
            .arg(view->tracker() ? view->tracker()->eventCount() : 0));

    const std::vector<qint64> apiAt = watcher->readyAt();
    watcherThread.quit();
    watcherThread.wait(); // the watcher is deleted with its thread (QThread::finished)
    std::vector<double> latencies;
    for (std::size_t n = 0; n < std::min(apiAt.size(), chartAt.size()); ++n)
        latencies.push_back(double(chartAt[n] - apiAt[n]) / 1e6);
    const Percentiles ready = percentiles(latencies);
    std::vector<double> toWindow;
    std::vector<double> toChart;
    for (std::size_t n = 0; n < std::min({apiAt.size(), chartAt.size(), informerAt.size()}); ++n) {
        toWindow.push_back(double(informerAt[n] - apiAt[n]) / 1e6);
        toChart.push_back(double(chartAt[n] - informerAt[n]) / 1e6);
    }
    const Percentiles readyToWindow = percentiles(toWindow);
    const Percentiles windowToChart = percentiles(toChart);
    if (apiAt.size() != chartAt.size())
        say(QStringLiteral("pod ready -> chart: the watch saw up to %1 ready v2 pods, the chart "
                           "drew up to %2")
                .arg(apiAt.size())
                .arg(chartAt.size()));

    const double stallP99 = stall.percentileMs(0.99);
    const double stallMax = stall.maxMs();
    say(QStringLiteral("stall: %1 firings of a 1 ms timer from the window opening to the "
                       "outcome, lateness p50 %2 ms, p99 %3 ms, max %4 ms")
            .arg(stall.count())
            .arg(ms(stall.percentileMs(0.5)), ms(stallP99), ms(stallMax)));
    say(QStringLiteral("stall: %1 s of %2 s late in all, %3 firings 50 ms late or more")
            .arg(stall.lateSeconds(), 0, 'f', 1)
            .arg(stallSpan, 0, 'f', 1)
            .arg(stall.over50()));
    QStringList longest;
    for (const auto &[at, late] : stall.longest())
        longest << QStringLiteral("%1 ms at %2 s")
                       .arg(ms(double(late) / 1e6))
                       .arg(double(at) / 1e9, 0, 'f', 3);
    if (!longest.isEmpty())
        say(QStringLiteral("stall: the longest (steady clock): %1").arg(longest.join(u", ")));
    window.reset();
    sim->terminate();
    sim->waitForFinished(30'000);

    // 3. Charts.
    const ChartFps fps = measureCharts();
    const double chartFps = std::min(fps.pods, fps.responses);
    say(QStringLiteral("charts (%1x%2, one hour at 10 Hz, %3 points kept by the pods chart): "
                       "pods %4 fps, responses %5 fps")
            .arg(fps.size.width())
            .arg(fps.size.height())
            .arg(fps.podPoints)
            .arg(fps.pods, 0, 'f', 1)
            .arg(fps.responses, 0, 'f', 1));

    const double rss = peakRssMb();
    say(QStringLiteral("peak RSS: %1 MB (VmHWM); freed memory given back %2 times")
            .arg(rss, 0, 'f', 1)
            .arg(FreedMemory::trims()));
    say(QStringLiteral("pod ready -> chart: p50 %1 ms, p99 %2 ms, max %3 ms over %4 ready counts "
                       "(n-th v2 pod Ready in a watch on its own thread -> the pods chart first "
                       "draws n ready v2 pods)")
            .arg(ms(ready.p50), ms(ready.p99), ms(ready.max))
            .arg(ready.n));

    say(QStringLiteral(
            "  of which API -> the window's pod watch: p50 %1 ms, p99 %2 ms; the window's "
            "pod watch -> chart: p50 %3 ms, p99 %4 ms")
            .arg(ms(readyToWindow.p50), ms(readyToWindow.p99), ms(windowToChart.p50),
                 ms(windowToChart.p99)));

    struct Goal
    {
        QString name;
        bool met;
    };
    const QList<Goal> goals = {
        {QStringLiteral("rollout complete"), success},
        {QStringLiteral("stall p99 < %1 ms").arg(kStallP99GoalMs), stallP99 < kStallP99GoalMs},
        {QStringLiteral("peak RSS <= %1 MB").arg(kRssGoalMb), rss > 0 && rss <= kRssGoalMb},
        {QStringLiteral("chart >= %1 fps").arg(kFpsGoal), chartFps >= kFpsGoal},
        {QStringLiteral("pod ready -> chart p99 <= %1 ms").arg(kReadyToChartGoalMs),
         ready.n >= kReplicas && ready.p99 <= kReadyToChartGoalMs},
    };
    bool allMet = true;
    for (const Goal &g : goals) {
        say(QStringLiteral("  %1 %2").arg(
            g.met ? QStringLiteral("met   ") : QStringLiteral("MISSED"), g.name));
        allMet = allMet && g.met;
    }
    say(QStringLiteral("dashboard: stall p99 %1 ms, max %2 ms, peak RSS %3 MB, chart fps %4")
            .arg(ms(stallP99), ms(stallMax))
            .arg(rss, 0, 'f', 0)
            .arg(chartFps, 0, 'f', 1));
    return allMet ? 0 : 1;
}
