// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"

#include <QHash>
#include <QJsonObject>
#include <QSet>
#include <QString>

namespace rollscope::sim {

class ServicePodIndex;
struct StoreEvent;

// What the endpoints and EndpointSlice controllers share: the ServicePodIndex is their pod and
// Service informer, and a sync is keyed by Service.
class ServiceEndpointsController : public QueueController
{
protected:
    ServiceEndpointsController(const SimContext &context, ServicePodIndex *index);

    // Hears the Service keys the index reports, starts it, and queues every existing Service.
    void watchServices();

    ServicePodIndex *m_index;
};

// The endpoints controller (pkg/controller/endpoint): for every Service with a selector, an
// Endpoints object of the same name whose subsets hold the matching pods that have an address
// and are not terminal: ready pods in `addresses`, the others in `notReadyAddresses`,
// terminating pods left out (all of them in `addresses` with publishNotReadyAddresses). Ports
// carry the resolved targetPort; pods that resolve a named port differently land in different
// subsets. The object is written only when its content changes, and goes with its Service.
class EndpointsController final : public ServiceEndpointsController
{
public:
    EndpointsController(const SimContext &context, ServicePodIndex *index);

private:
    // Everything it needs comes through the index.
    bool watchesStore() const override { return false; }
    void onStarted() override { watchServices(); }
    void sync(const QString &serviceKey) override;
};

// The EndpointSlice controller (staging/src/k8s.io/endpointslice): the same pods as
// EndpointSlices `<service>-<random>` labelled kubernetes.io/service-name and
// endpointslice.kubernetes.io/managed-by, owned by the Service, addressType IPv4, at most 100
// endpoints per slice. Terminating pods stay, with conditions serving = Ready,
// terminating = being deleted, ready = publishNotReadyAddresses || (serving && !terminating).
// A Service without endpoints keeps one empty placeholder slice. Slices are rewritten only
// when they change; the garbage collector removes them with their Service.
class EndpointSliceController final : public ServiceEndpointsController
{
public:
    EndpointSliceController(const SimContext &context, ServicePodIndex *index);

    static constexpr int kMaxEndpointsPerSlice = 100;
    static constexpr char kManagedBy[] = "endpointslice-controller.k8s.io";

private:
    void onStarted() override;
    void onSlice(const StoreEvent &event);
    void sync(const QString &serviceKey) override;

    QHash<QString, QSet<QString>> m_slicesByService; // service key -> slice names
    QHash<QString, QString> m_serviceBySlice;        // slice key -> service key
};

} // namespace rollscope::sim
