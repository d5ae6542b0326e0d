// SPDX-License-Identifier: MIT
// bench_sim_seed [DEPLOYMENTS [PODS [NODES]]] [--services] [--every-deployment]
//
// The scale:DEPLOYMENTS:PODS scenario as rollscope-sim seeds it (default scale:1000:20 on the
// default 3 nodes): DEPLOYMENTS Deployments of PODS replicas spread over 10 namespaces. The
// first one is created through the registry, the virtual clock is advanced through the
// 20-minute warm-up in one go, then the others are written as copies of the settled first one
// (SettledCopier), as SimCluster does before switching to real time. --every-deployment creates
// them all through the registry and lets the controllers drive each one through the warm-up
// instead (how the scenario was seeded before the copies). --services adds a Service per
// Deployment (endpoints and EndpointSlices to maintain too). Prints the wall and CPU time it
// took, the object counts, the peak RSS and whether seeding fits the serving goal (rollscope-sim
// serving scale:1000:20 within 5 s: seeding is nearly all of it); exits 1 unless every
// Deployment rolled out and the goal was met.

#include "common/allocator.h"
#include "procstatus.h"
#include "simulator/clock.h"
#include "simulator/controllers/controllermanager.h"
#include "simulator/controllers/nodes.h"
#include "simulator/eventrecorder.h"
#include "simulator/json.h"
#include "simulator/podruntime.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/scenarios.h"
#include "simulator/simcontext.h"
#include "simulator/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRandomGenerator>

#include <cstdio>
#include <ctime>

using namespace rollscope::sim;

namespace {

QJsonObject service(const QString &name)
{
    return QJsonObject{
        {QStringLiteral("apiVersion"), QStringLiteral("v1")},
        {QStringLiteral("kind"), QStringLiteral("Service")},
        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("selector"), QJsonObject{{QStringLiteral("app"), name}}},
                     {QStringLiteral("ports"), QJsonArray{QJsonObject{{QStringLiteral("port"), 80},
                                                                      {QStringLiteral("targetPort"),
                                                                       QStringLiteral("http")}}}}}},
    };
}

using rollscope::bench::peakRssMiB;

int completeDeployments(const Store &store, int replicas)
{
    int complete = 0;
    store.forEach(Resources::deployments(), {}, [&](const QJsonObject &d) {
        const QJsonObject status = d.value(u"status").toObject();
        if (status.value(u"availableReplicas").toInt() == replicas &&
            status.value(u"updatedReplicas").toInt() == replicas &&
            status.value(u"replicas").toInt() == replicas)
            ++complete;
        return true;
    });
    return complete;
}

} // namespace

int main(int argc, char **argv)
{
    // As rollscope-sim starts (its heap on huge pages), so the figures are what it does.
    rollscope::restartWithHugePageHeap(argv);
    QCoreApplication app(argc, argv);
    QStringList args = app.arguments().mid(1);
    const bool services = args.removeAll(QStringLiteral("--services")) > 0;
    const bool everyDeployment = args.removeAll(QStringLiteral("--every-deployment")) > 0;
    const int deployments = args.size() > 0 ? args.at(0).toInt() : 1000;
    const int replicas = args.size() > 1 ? args.at(1).toInt() : 20;
    const int nodes = args.size() > 2 ? args.at(2).toInt() : 3;
    const int namespaces = qMin(10, deployments);
    constexpr qint64 warmUpMs = 20 * 60 * 1000;

    SimClock clock(SimClock::Mode::Virtual, 1'700'000'000'000);
    Store store;
    QRandomGenerator random(1);
    Registry registry(&store, &clock, &random);
    EventRecorder events(&registry);
    PodRuntime runtime;
    const SimContext context{&clock, &store, &registry, &events, &runtime, &random};
    ControllerManager manager(context);
    manager.start();
    createSystemNamespaces(registry);
    createNodes(registry, nodes);

    Scenario scenario;
    scenario.kind = Scenario::Kind::Scale;
    scenario.deployments = deployments;
    scenario.podsEach = replicas;
    scenario.copySettled = !everyDeployment;

    QElapsedTimer total;
    total.start();
    const std::clock_t cpuStart = std::clock();
    if (auto seeded = seedScenario(&registry, scenario); !seeded) {
        std::fprintf(stderr, "bench_sim_seed: %s\n", qPrintable(seeded.error().message));
        return 2;
    }
    if (services) {
        for (int i = 0; i < deployments; ++i) {
            (void)registry.create(Resources::services(), scaleNamespace(scenario, i),
                                  service(scaleDeploymentName(i)));
        }
    }
    const qint64 createdMs = total.elapsed();

    clock.advance(warmUpMs);
    const qint64 warmedMs = total.elapsed();
    if (auto finished = finishScenario(&registry, scenario); !finished) {
        std::fprintf(stderr, "bench_sim_seed: %s\n", qPrintable(finished.error().message));
        return 2;
    }
    const qint64 settledMs = total.elapsed();
    const double cpuSeconds = double(std::clock() - cpuStart) / CLOCKS_PER_SEC;
    const int complete = completeDeployments(store, replicas);
    const double simulatedMs = double(warmUpMs);

    std::printf("bench_sim_seed: %d deployments x %d pods on %d nodes, %d namespaces%s%s\n",
                deployments, replicas, nodes, namespaces, services ? ", with services" : "",
                everyDeployment ? ", every Deployment through the controllers"
                                : ", the first one copied");
    std::printf("  settled: %d/%d deployments complete after %.1f simulated s\n", complete,
                deployments, simulatedMs / 1000.0);
    std::printf("  wall: %.2f s total (%.2f s creating the objects, %.2f s settling, %.2f s "
                "copying the settled first Deployment)\n",
                double(settledMs) / 1000.0, double(createdMs) / 1000.0,
                double(warmedMs - createdMs) / 1000.0, double(settledMs - warmedMs) / 1000.0);
    std::printf("  cpu: %.2f s (wall differs when other processes share the cores)\n", cpuSeconds);
    std::printf(
        "  objects: %lld pods, %lld replicasets, %lld endpoints, %lld endpointslices, "
        "%lld events; resourceVersion %lld\n",
        qlonglong(store.count(Resources::pods())), qlonglong(store.count(Resources::replicaSets())),
        qlonglong(store.count(Resources::endpoints())),
        qlonglong(store.count(Resources::endpointSlices())),
        qlonglong(store.count(Resources::events())), qlonglong(store.currentResourceVersion()));
    std::printf("  peak RSS: %.0f MiB\n", peakRssMiB());
    const bool seedMet = settledMs <= 5000;
    std::printf("  goals: seed + warm-up <= 5 s (the serving goal, TLS aside) %s\n",
                seedMet ? "met" : "MISSED");
    return complete == deployments && seedMet ? 0 : 1;
}
