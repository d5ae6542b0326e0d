// SPDX-License-Identifier: MIT
// bench_decode [PODS]
//
// What the client pays per pod, measured on real data: rollscope-sim (in this process, seeded
// with one Deployment of PODS replicas, default 2000) is listed and then rolled from
// bebullish/demo:v1 to v2 while a pod watch records every line the server sends. Then, on this
// thread alone (one core):
//  1. the pod list body parsed by QJsonDocument and by simdjson (fastjson.h), MB/s each;
//  2. the recorded watch stream applied to a pod cache as the informers do it: read in the
//     slices Watch reads (ApiClient::Options::watchSliceBytes, each a new QByteArray as
//     QNetworkReply::read() returns it), lines split and checked (WatchLineParser), values
//     decoded, the cache updated (TypedInformer::apply) and the resourceVersion kept
//     (Informer::onWatchEvents), in events/s, once through QJsonObject (how every event was read
//     before) and once from the lines with simdjson (how the informers read them now). The
//     simulator is stopped first: nothing else of this process runs meanwhile. Wall time, best
//     of three; the thread's CPU time is printed too (close to it when the core was not shared);
//  3. the heap a cached pod keeps (typed values, malloc's own count before and after caching
//     every pod of the list, divided by the pods).
// Goals (issue: at scale): >= 100,000 events/s on one core, <= 2 KB per cached pod. Prints a
// line per figure, met/MISSED per goal and a last line
//   decode: N events at E events/s (QJsonDocument: Q events/s), B bytes per cached pod
// and exits 1 when a goal is missed.

#include "kube/apiclient.h"
#include "kube/fastjson.h"
#include "kube/informer.h"
#include "kube/kubeconfig.h"
#include "kube/operations.h"
#include "simulator/cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include <cstdio>
#include <ctime>
#include <malloc.h>

using namespace rollscope;

namespace {

// The informers' pod cache with no handler registered: apply() as a watch event arrives.
class PodCache final : public kube::PodInformer
{
public:
    PodCache()
        : TypedInformer(nullptr, {}, nullptr)
    {}
    using TypedInformer::apply;
    kube::WatchLineParser::ObjectDecoder decoder() const { return watchObjectDecoder(); }
};

qint64 heapInUse()
{
    const struct mallinfo2 info = mallinfo2();
    return qint64(info.uordblks) + qint64(info.hblkhd);
}

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

struct Applied
{
    double seconds = 0;    // wall
    double cpuSeconds = 0; // this thread's CPU time
    qsizetype events = 0;
};

// Applies every line of `stream` to a fresh cache as a watch delivers it to an informer;
// `keepLines` as the informers now read them.
Applied applyStream(const QByteArray &stream, bool keepLines)
{
    PodCache cache;
    kube::WatchLineParser parser(kube::ApiClient::Options().maxWatchEventBytes);
    parser.setKeepLines(keepLines);
    if (keepLines)
        parser.setObjectDecoder(cache.decoder());
    const qsizetype slice = qsizetype(kube::ApiClient::Options().watchSliceBytes);
    Applied applied;
    QString lastResourceVersion;
    QElapsedTimer timer;
    timer.start();
    const double cpuStart = threadCpuSeconds();
    for (qsizetype at = 0; at < stream.size(); at += slice) {
        const QByteArray read = stream.mid(at, slice); // what QNetworkReply::read() hands over
        const kube::WatchLineParser::Chunk chunk = parser.feed(read);
        if (chunk.error) {
            std::printf("bench_decode: the recorded stream does not parse: %s\n",
                        qPrintable(chunk.error->message));
            break;
        }
        for (const kube::WatchEvent &event : chunk.events) {
            const QString resourceVersion = event.resourceVersion();
            if (event.type != kube::WatchEvent::Type::Bookmark)
                cache.apply(event);
            if (!resourceVersion.isEmpty())
                lastResourceVersion = resourceVersion;
        }
        applied.events += chunk.events.size();
    }
    applied.cpuSeconds = threadCpuSeconds() - cpuStart;
    applied.seconds = double(timer.nsecsElapsed()) / 1e9;
    return applied;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int replicas = app.arguments().value(1, QStringLiteral("2000")).toInt();

    QTemporaryDir dir;
    const QString kubeconfigPath = dir.filePath(QStringLiteral("kubeconfig"));
    sim::SimOptions options;
    options.scenario.kind = sim::Scenario::Kind::Scale;
    options.scenario.deployments = 1;
    options.scenario.podsEach = replicas;
    options.speed = 10;
    options.seed = 5;
    sim::SimClusterThread simulator;
    QSignalSpy ready(&simulator, &sim::SimClusterThread::ready);
    QSignalSpy failed(&simulator, &sim::SimClusterThread::failed);
    simulator.start(options, kubeconfigPath);
    if (!ready.wait(600'000)) {
        std::printf("bench_decode: the simulator did not start: %s\n",
                    failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        return 1;
    }
    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = kubeconfigPath;
    const auto config =
        kube::Kubeconfig::load(load)->resolve(QStringLiteral("rollscope-sim-token"));
    if (!config) {
        std::printf("bench_decode: %s\n", qPrintable(config.error().message));
        return 1;
    }
    kube::ApiClient client(config.value());
    const QString ns = QStringLiteral("load-00");
    const QString name = QStringLiteral("app-0000");
    const QString podsPath = QStringLiteral("/api/v1/namespaces/%1/pods").arg(ns);

    // The list, as a body.
    QByteArray listBody;
    {
        bool finished = false;
        client.send(kube::ApiRequest::get(podsPath), &app, [&](Result<kube::ApiResponse> response) {
            if (response)
                listBody = response->body;
            finished = true;
        });
        QElapsedTimer wait;
        wait.start();
        while (!finished && wait.elapsed() < 120'000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    }
    const QJsonObject list = QJsonDocument::fromJson(listBody).object();
    const QJsonArray items = list.value(u"items").toArray();
    if (items.size() != replicas) {
        std::printf("bench_decode: listed %lld pods, expected %d\n", qlonglong(items.size()),
                    replicas);
        return 1;
    }
    const QString container = items.first()
                                  .toObject()
                                  .value(u"spec")
                                  .toObject()
                                  .value(u"containers")
                                  .toArray()
                                  .first()
                                  .toObject()
                                  .value(u"name")
                                  .toString();

    // The watch, recorded line by line while the rollout runs.
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("resourceVersion"),
                       list.value(u"metadata").toObject().value(u"resourceVersion").toString());
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    QByteArray stream;
    qsizetype recorded = 0;
    QElapsedTimer sinceLastEvent;
    sinceLastEvent.start();
    kube::Watch *watch = client.watch(kube::ApiRequest::get(podsPath, query), &app);
    watch->setKeepLines(true);
    QObject::connect(watch, &kube::Watch::eventsReceived, &app,
                     [&](const QList<kube::WatchEvent> &events) {
                         for (const kube::WatchEvent &event : events) {
                             stream += event.line + '\n';
                             ++recorded;
                         }
                         sinceLastEvent.restart();
                     });
    QSignalSpy opened(watch, &kube::Watch::opened);
    if (!opened.wait(60'000)) {
        std::printf("bench_decode: the watch did not open\n");
        return 1;
    }
    bool changed = false;
    kube::DeploymentOperations::setImage(
        &client, ns, name, {{container, QStringLiteral("bebullish/demo:v2")}}, std::nullopt, &app,
        [&](Result<kube::WriteOutcome> outcome) { changed = bool(outcome); });
    // Every pod is replaced: created, scheduled, started, ready; the old ones terminate and go.
    QElapsedTimer overall;
    overall.start();
    while (overall.elapsed() < 300'000 &&
           !(recorded >= qsizetype(replicas) * 6 && sinceLastEvent.elapsed() > 3000))
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    delete watch;
    if (!changed || recorded < replicas) {
        std::printf("bench_decode: the rollout was not recorded (%lld events)\n",
                    qlonglong(recorded));
        return 1;
    }
    std::printf("recorded: %lld pod events of a %d-replica rollout, %.1f MiB\n",
                qlonglong(recorded), replicas, double(stream.size()) / (1024.0 * 1024.0));
    // Recorded: nothing but this thread works from here on.
    simulator.stop();

    // 1. The list body, both parsers.
    QElapsedTimer timer;
    timer.start();
    qsizetype qtItems = 0;
    for (int i = 0; i < 3; ++i)
        qtItems += QJsonDocument::fromJson(listBody).object().value(u"items").toArray().size();
    const double qtSeconds = double(timer.nsecsElapsed()) / 1e9 / 3;
    timer.restart();
    qsizetype fastItems = 0;
    for (int i = 0; i < 3; ++i) {
        const std::optional<kube::fastjson::Value> root = kube::fastjson::parse(listBody);
        fastItems += root ? root->toObject().value(u"items").toArray().size() : 0;
    }
    const double fastSeconds = double(timer.nsecsElapsed()) / 1e9 / 3;
    const double mb = double(listBody.size()) / 1e6;
    std::printf("pod list (%lld pods, %.1f MB): QJsonDocument %.0f MB/s, simdjson %.0f MB/s "
                "(x%.1f)\n",
                qlonglong(qtItems / 3), mb, mb / qtSeconds, mb / fastSeconds,
                qtSeconds / fastSeconds);
    if (fastItems != qtItems)
        return 1;

    // 2. The watch stream applied to a cache, both ways (the better of three runs each).
    double qtApply = 1e9;
    double fastApply = 1e9;
    double fastCpu = 1e9;
    qsizetype events = 0;
    for (int i = 0; i < 3; ++i) {
        qtApply = std::min(qtApply, applyStream(stream, false).seconds);
        const Applied fast = applyStream(stream, true);
        fastApply = std::min(fastApply, fast.seconds);
        fastCpu = std::min(fastCpu, fast.cpuSeconds);
        events = fast.events;
    }
    const double rate = double(events) / fastApply;
    const double qtRate = double(events) / qtApply;
    std::printf("watch stream applied to a pod cache, one core: %.0f events/s "
                "(%.1f MB/s; by thread CPU time %.0f events/s); through QJsonObject: %.0f "
                "events/s\n",
                rate, double(stream.size()) / 1e6 / fastApply, double(events) / fastCpu, qtRate);

    // 3. What a cached pod keeps: every pod of the list in a cache, heap before and after.
    QList<QByteArray> lines;
    lines.reserve(items.size());
    for (const QJsonValue &item : items)
        lines.append(QJsonDocument(QJsonObject{{QStringLiteral("type"), QStringLiteral("ADDED")},
                                               {QStringLiteral("object"), item}})
                         .toJson(QJsonDocument::Compact));
    qint64 perPod = 0;
    {
        // Parsed first (the lines, not decoded), so that the heap grows by what the cache
        // keeps and nothing else: what decoding allocates for a moment is freed again.
        kube::WatchLineParser parser;
        parser.setKeepLines(true);
        QList<kube::WatchEvent> added;
        for (const QByteArray &line : std::as_const(lines))
            added += parser.feed(line + '\n').events;
        auto cache = std::make_unique<PodCache>();
        const qint64 before = heapInUse();
        for (const kube::WatchEvent &event : std::as_const(added))
            cache->apply(event);
        perPod = (heapInUse() - before) / std::max<qsizetype>(1, cache->size());
        std::printf("cached pods: %lld, %lld bytes of heap each (typed values)\n",
                    qlonglong(cache->size()), qlonglong(perPod));
    }

    const bool rateMet = rate >= 100'000;
    const bool memoryMet = perPod <= 2048;
    std::printf("  %-6s >= 100,000 events/s on one core\n", verdict(rateMet));
    std::printf("  %-6s <= 2 KB per cached pod\n", verdict(memoryMet));
    std::printf("decode: %lld events at %.0f events/s (QJsonDocument: %.0f events/s), %lld bytes "
                "per cached pod\n",
                qlonglong(events), rate, qtRate, qlonglong(perPod));
    return rateMet && memoryMet ? 0 : 1;
}
