// SPDX-License-Identifier: MIT
#include "controllermanager.h"

#include "deploymentcontroller.h"
#include "endpointscontroller.h"
#include "garbagecollector.h"
#include "kubelet.h"
#include "namespacecontroller.h"
#include "replicasetcontroller.h"
#include "scheduler.h"
#include "servicepodindex.h"

namespace rollscope::sim {

ControllerManager::ControllerManager(const SimContext &context)
    : m_context(context)
    , m_serviceIndex(std::make_unique<ServicePodIndex>(context))
    , m_garbageCollector(std::make_unique<GarbageCollector>(context))
    , m_namespaces(std::make_unique<NamespaceController>(context))
    , m_deployments(std::make_unique<DeploymentController>(context))
    , m_replicaSets(std::make_unique<ReplicaSetController>(context))
    , m_scheduler(std::make_unique<Scheduler>(context))
    , m_kubelet(std::make_unique<Kubelet>(context))
    , m_endpoints(std::make_unique<EndpointsController>(context, m_serviceIndex.get()))
    , m_endpointSlices(std::make_unique<EndpointSliceController>(context, m_serviceIndex.get()))
{}

ControllerManager::~ControllerManager() = default;

void ControllerManager::start()
{
    if (m_started)
        return;
    m_started = true;
    m_garbageCollector->start();
    m_namespaces->start();
    // Subscription order is the order work of one instant is queued in. The ReplicaSet
    // controller goes before the deployment controller, so an RS scale is carried out (pods
    // created or deleted) before the deployment looks again: the worked examples' "RS pod
    // creation and deletion are instantaneous", and never more than maxSurge extra pods.
    m_replicaSets->start();
    m_deployments->start();
    m_scheduler->start();
    m_kubelet->start();
    m_endpoints->start();
    m_endpointSlices->start();
}

} // namespace rollscope::sim
