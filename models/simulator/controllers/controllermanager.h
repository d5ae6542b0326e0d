// SPDX-License-Identifier: MIT
#pragma once

#include "simulator/simcontext.h"

#include <memory>

namespace rollscope::sim {

class DeploymentController;
class EndpointSliceController;
class EndpointsController;
class GarbageCollector;
class Kubelet;
class NamespaceController;
class ReplicaSetController;
class Scheduler;
class ServicePodIndex;

// The simulated control plane: kube-controller-manager's deployment, replicaset, endpoints,
// endpointslice, garbage-collector and namespace controllers, the scheduler, and the kubelets of
// every node. The constructor creates them; start() subscribes them to the store and queues
// what it already holds (the informers' initial list). Everything then runs on the SimClock of
// the context: tests advance a virtual clock, the server lets real time drive it.
//
// The context's parts must outlive the manager.
class ControllerManager
{
public:
    explicit ControllerManager(const SimContext &context);
    ~ControllerManager();
    ControllerManager(const ControllerManager &) = delete;
    ControllerManager &operator=(const ControllerManager &) = delete;

    void start();
    bool isStarted() const { return m_started; }

    const SimContext &context() const { return m_context; }
    DeploymentController &deployments() const { return *m_deployments; }
    ReplicaSetController &replicaSets() const { return *m_replicaSets; }
    Scheduler &scheduler() const { return *m_scheduler; }
    Kubelet &kubelet() const { return *m_kubelet; }
    EndpointsController &endpoints() const { return *m_endpoints; }
    EndpointSliceController &endpointSlices() const { return *m_endpointSlices; }
    GarbageCollector &garbageCollector() const { return *m_garbageCollector; }
    NamespaceController &namespaces() const { return *m_namespaces; }

private:
    SimContext m_context;
    bool m_started = false;
    // Declared first, destroyed last: the endpoints controllers read it.
    std::unique_ptr<ServicePodIndex> m_serviceIndex;
    std::unique_ptr<GarbageCollector> m_garbageCollector;
    std::unique_ptr<NamespaceController> m_namespaces;
    std::unique_ptr<DeploymentController> m_deployments;
    std::unique_ptr<ReplicaSetController> m_replicaSets;
    std::unique_ptr<Scheduler> m_scheduler;
    std::unique_ptr<Kubelet> m_kubelet;
    std::unique_ptr<EndpointsController> m_endpoints;
    std::unique_ptr<EndpointSliceController> m_endpointSlices;
};

} // namespace rollscope::sim
