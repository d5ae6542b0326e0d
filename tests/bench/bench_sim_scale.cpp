// SPDX-License-Identifier: MIT
// bench_sim_scale [DEPLOYMENTS [PODS [WATCHES]]]
//
// rollscope-sim at scale, over HTTPS as clients see it (default scale:1000:20 and 200 watches):
//  1. start: rollscope-sim started as a process until it serves (the serving goal), then the
//     same simulator on a thread of this process, which the clients below use;
//  2. a full pod list (no paging), again (encodings cached), again read as it arrives and let
//     go (the simulator's share of the time), and the same list in pages of 500, as kubectl does;
//  3. WATCHES concurrent pod watches (each on its own connection) from the list's
//     resourceVersion; one Deployment is then scaled up by 2, and every watch must receive every
//     event of the new pods.
// Prints the figures, the process's peak RSS (simulator and client together) and whether the
// goals were met (serving <= 5 s, a full pod list as the simulator sends it <= 1 s); exits 1 if a
// watch missed an event or a goal was missed.

#include "common/allocator.h"
#include "kube/kubeconfig.h"
#include "procstatus.h"
#include "simulator/cluster.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cstdio>
#include <memory>

using namespace rollscope;

namespace {

struct Connection
{
    kube::ClusterConfig config;
    QString token;
    QUrl server;

    QNetworkRequest request(const QString &path, const QUrlQuery &query = {}) const
    {
        QUrl url = server;
        url.setPath(path);
        url.setQuery(query);
        QNetworkRequest r(url);
        kube::configureRequest(config, r);
        r.setRawHeader("Authorization", "Bearer " + token.toLatin1());
        r.setRawHeader("Accept", "application/json");
        r.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        return r;
    }
};

bool waitFor(QNetworkReply *reply, int ms = 120'000)
{
    if (reply->isFinished())
        return true;
    QSignalSpy spy(reply, &QNetworkReply::finished);
    return spy.wait(ms);
}

double percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    const qsizetype i = qMin(values.size() - 1, qsizetype(p * double(values.size() - 1) + 0.5));
    return double(values.at(i));
}

using rollscope::bench::peakRssMiB;

const char *verdict(bool met)
{
    return met ? "met" : "MISSED";
}

// rollscope-sim itself, as a user starts it: seconds until it prints that it serves, and its peak
// RSS then (-1, -1 when it did not start).
std::pair<double, double> startRollscopeSim(int deployments, int pods)
{
    QProcess sim;
    sim.setProgram(QCoreApplication::applicationDirPath() + QStringLiteral("/rollscope-sim"));
    sim.setArguments({QStringLiteral("--scenario"),
                      QStringLiteral("scale:%1:%2").arg(deployments).arg(pods),
                      QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                      QStringLiteral("--seed"), QStringLiteral("3")});
    QElapsedTimer timer;
    timer.start();
    sim.start();
    QByteArray out;
    while (!out.contains("rollscope-sim: serving") && sim.state() != QProcess::NotRunning &&
           timer.elapsed() < 600'000) {
        if (sim.waitForReadyRead(1000))
            out += sim.readAllStandardOutput();
    }
    const double seconds = double(timer.elapsed()) / 1000.0;
    if (!out.contains("rollscope-sim: serving"))
        return {-1, -1};
    double rssMiB = -1;
    QFile status(QStringLiteral("/proc/%1/status").arg(sim.processId()));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n')) {
            if (line.startsWith("VmHWM:"))
                rssMiB = line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    sim.terminate();
    if (!sim.waitForFinished(10'000))
        sim.kill();
    sim.waitForFinished(10'000);
    return {seconds, rssMiB};
}

} // namespace

int main(int argc, char **argv)
{
    // As rollscope-sim starts (its heap on huge pages), so the figures are what it does.
    rollscope::restartWithHugePageHeap(argv);
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    const int deployments = args.value(0, QStringLiteral("1000")).toInt();
    const int pods = args.value(1, QStringLiteral("20")).toInt();
    const int watchCount = args.value(2, QStringLiteral("200")).toInt();

    // 1. rollscope-sim as a process: the serving goal is the program's. (The simulator below
    // runs on a thread of this process, whose heap glibc does not put on huge pages.)
    const auto [processSeconds, processRss] = startRollscopeSim(deployments, pods);

    QTemporaryDir dir;
    const QString kubeconfigPath = dir.filePath(QStringLiteral("kubeconfig"));
    sim::SimOptions options;
    options.scenario.kind = sim::Scenario::Kind::Scale;
    options.scenario.deployments = deployments;
    options.scenario.podsEach = pods;
    options.seed = 3;
    sim::SimClusterThread simulator;
    QElapsedTimer startTimer;
    startTimer.start();
    QSignalSpy ready(&simulator, &sim::SimClusterThread::ready);
    QSignalSpy failed(&simulator, &sim::SimClusterThread::failed);
    simulator.start(options, kubeconfigPath);
    if (!ready.wait(600'000)) {
        std::printf("bench_sim_scale: the simulator did not start: %s\n",
                    failed.isEmpty() ? "timeout" : qPrintable(failed.first().first().toString()));
        return 1;
    }
    const double startSeconds = double(startTimer.elapsed()) / 1000.0;
    // Before any client work: what the seeded simulator alone took at its peak.
    const double startRss = peakRssMiB();

    kube::Kubeconfig::LoadOptions load;
    load.explicitPath = kubeconfigPath;
    const auto kubeconfig = kube::Kubeconfig::load(load);
    const auto resolved = kubeconfig->resolve(QStringLiteral("rollscope-sim-token"));
    Connection c{resolved.value(), resolved->user.token, resolved->cluster.server};

    // 2. Full list, then paged like kubectl.
    QNetworkAccessManager nam;
    QElapsedTimer listTimer;
    listTimer.start();
    QNetworkReply *list = nam.get(c.request(QStringLiteral("/api/v1/pods")));
    waitFor(list);
    const QByteArray body = list->readAll();
    const double listSeconds = double(listTimer.elapsed()) / 1000.0;
    const QJsonObject listObject = QJsonDocument::fromJson(body).object();
    const qsizetype items = listObject.value(u"items").toArray().size();
    const QString listVersion =
        listObject.value(u"metadata").toObject().value(u"resourceVersion").toString();
    list->deleteLater();

    // The same list again: every pod's encoding is now cached, as for every later list.
    listTimer.restart();
    QNetworkReply *again = nam.get(c.request(QStringLiteral("/api/v1/pods")));
    waitFor(again);
    const qsizetype againBytes = again->readAll().size();
    const double againSeconds = double(listTimer.elapsed()) / 1000.0;
    again->deleteLater();

    // The same list read as it arrives and let go (curl -o /dev/null): what the simulator takes
    // to send it, without the client's 96 MiB buffer (whose fresh pages are a large part of the
    // figures above on a virtual machine).
    listTimer.restart();
    QNetworkReply *streamed = nam.get(c.request(QStringLiteral("/api/v1/pods")));
    qint64 streamedBytes = 0;
    QObject::connect(streamed, &QIODevice::readyRead, streamed, [streamed, &streamedBytes] {
        char chunk[64 * 1024];
        qint64 n;
        while ((n = streamed->read(chunk, sizeof chunk)) > 0)
            streamedBytes += n;
    });
    streamed->setReadBufferSize(1024 * 1024);
    waitFor(streamed);
    const double streamedSeconds = double(listTimer.elapsed()) / 1000.0;
    streamed->deleteLater();

    // Paged like kubectl: each page is parsed for its continue token before the next is asked
    // for, so the client's own JSON parsing is part of the time; it is measured apart as well.
    listTimer.restart();
    QElapsedTimer parseTimer;
    qint64 parseNs = 0;
    qsizetype pagedItems = 0;
    int pages = 0;
    QString continueToken;
    do {
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("limit"), QStringLiteral("500"));
        if (!continueToken.isEmpty())
            query.addQueryItem(QStringLiteral("continue"), continueToken);
        QNetworkReply *page = nam.get(c.request(QStringLiteral("/api/v1/pods"), query));
        waitFor(page);
        const QByteArray pageBody = page->readAll();
        parseTimer.start();
        const QJsonObject o = QJsonDocument::fromJson(pageBody).object();
        pagedItems += o.value(u"items").toArray().size();
        continueToken = o.value(u"metadata").toObject().value(u"continue").toString();
        parseNs += parseTimer.nsecsElapsed();
        page->deleteLater();
        ++pages;
    } while (!continueToken.isEmpty());
    const double pagedSeconds = double(listTimer.elapsed()) / 1000.0;
    const double pagedParseSeconds = double(parseNs) / 1e9;

    // 3. Watches, each on its own connection.
    struct Watch
    {
        std::unique_ptr<QNetworkAccessManager> nam;
        QNetworkReply *reply = nullptr;
        QByteArray buffer;
        int events = 0;
        qint64 firstEventMs = -1;
        bool open = false;
    };
    std::vector<std::unique_ptr<Watch>> watches;
    QElapsedTimer changeTimer;
    for (int i = 0; i < watchCount; ++i) {
        auto w = std::make_unique<Watch>();
        w->nam = std::make_unique<QNetworkAccessManager>();
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
        query.addQueryItem(QStringLiteral("resourceVersion"), listVersion);
        query.addQueryItem(QStringLiteral("labelSelector"), QStringLiteral("app=app-0000"));
        w->reply = w->nam->get(c.request(QStringLiteral("/api/v1/pods"), query));
        Watch *raw = w.get();
        QObject::connect(w->reply, &QNetworkReply::metaDataChanged, w->reply,
                         [raw] { raw->open = true; });
        QObject::connect(w->reply, &QIODevice::readyRead, w->reply, [raw, &changeTimer] {
            raw->buffer += raw->reply->readAll();
            qsizetype nl;
            while ((nl = raw->buffer.indexOf('\n')) >= 0) {
                raw->buffer.remove(0, nl + 1);
                if (raw->events++ == 0 && changeTimer.isValid())
                    raw->firstEventMs = changeTimer.elapsed();
            }
        });
        watches.push_back(std::move(w));
    }
    QElapsedTimer openTimer;
    openTimer.start();
    while (openTimer.elapsed() < 60'000 &&
           std::any_of(watches.begin(), watches.end(), [](const auto &w) { return !w->open; }))
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    const int opened =
        int(std::count_if(watches.begin(), watches.end(), [](const auto &w) { return w->open; }));

    // Scale app-0000 up by 2: two pods are created and go through their lifecycle.
    changeTimer.start();
    QNetworkRequest scale =
        c.request(QStringLiteral("/apis/apps/v1/namespaces/load-00/deployments/app-0000/scale"));
    scale.setHeader(QNetworkRequest::ContentTypeHeader,
                    QByteArrayLiteral("application/merge-patch+json"));
    QNetworkReply *patch = nam.sendCustomRequest(
        scale, "PATCH", QStringLiteral("{\"spec\":{\"replicas\":%1}}").arg(pods + 2).toUtf8());
    waitFor(patch);
    patch->deleteLater();
    // Let the new pods become ready (~3 s of simulated start-up), then compare the counts.
    QElapsedTimer settle;
    settle.start();
    int expected = 0;
    while (settle.elapsed() < 15'000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        expected = 0;
        for (const auto &w : watches)
            expected = qMax(expected, w->events);
        if (settle.elapsed() > 8'000)
            break;
    }
    QCoreApplication::processEvents(QEventLoop::AllEvents, 500);
    int complete = 0;
    QList<qint64> latencies;
    for (const auto &w : watches) {
        if (w->events == expected)
            ++complete;
        if (w->firstEventMs >= 0)
            latencies << w->firstEventMs;
    }

    std::printf("bench_sim_scale: scale:%d:%d over HTTPS\n", deployments, pods);
    std::printf("  rollscope-sim started as a process: serving after %.1f s, peak RSS %.0f MiB\n",
                processSeconds, processRss);
    std::printf("  in this process (on a thread): start (seed + warm-up + TLS) until serving: "
                "%.1f s\n",
                startSeconds);
    std::printf("  full pod list: %lld pods, %.1f MiB, %.2f s\n", qlonglong(items),
                double(body.size()) / (1024.0 * 1024.0), listSeconds);
    std::printf("  full pod list again (encodings cached): %.1f MiB, %.2f s\n",
                double(againBytes) / (1024.0 * 1024.0), againSeconds);
    std::printf("  full pod list read as it arrives and let go: %.1f MiB, %.2f s\n",
                double(streamedBytes) / (1024.0 * 1024.0), streamedSeconds);
    std::printf("  paged pod list (limit 500): %lld pods in %d pages, %.2f s (%.2f s of it the "
                "client parsing the pages)\n",
                qlonglong(pagedItems), pages, pagedSeconds, pagedParseSeconds);
    std::printf("  watches: %d/%d open; after scaling app-0000 by 2, %d/%d received all %d "
                "events; first event after p50 %.0f ms, p99 %.0f ms\n",
                opened, watchCount, complete, watchCount, expected, percentile(latencies, 0.5),
                percentile(latencies, 0.99));
    std::printf("  peak RSS: %.0f MiB when serving (simulator alone), %.0f MiB at the end "
                "(simulator and clients in one process)\n",
                startRss, peakRssMiB());
    const bool servingMet = processSeconds >= 0 && processSeconds <= 5.0;
    // The goal is the simulator's: the list as it sends it, not the in-process client's buffer.
    const bool listMet = streamedSeconds <= 1.0;
    std::printf("  goals: serving <= 5 s %s, full pod list (as sent) <= 1 s %s\n",
                verdict(servingMet), verdict(listMet));
    for (auto &w : watches)
        w->reply->abort();
    simulator.stop();
    const bool correct = complete == watchCount && items == qsizetype(deployments) * pods;
    return correct && servingMet && listMet ? 0 : 1;
}
