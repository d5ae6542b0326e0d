// SPDX-License-Identifier: MIT
#pragma once

#include <QRandomGenerator>

namespace rollscope::sim {

class EventRecorder;
class PodRuntime;
class Registry;
class SimClock;
class Store;

// What every controller gets: the shared parts of one simulated cluster. Non-owning; the
// Cluster that creates the controllers owns all of these and outlives them.
struct SimContext
{
    SimClock *clock = nullptr;
    Store *store = nullptr;
    Registry *registry = nullptr;
    EventRecorder *events = nullptr;
    PodRuntime *runtime = nullptr;
    QRandomGenerator *random = nullptr;
};

} // namespace rollscope::sim
