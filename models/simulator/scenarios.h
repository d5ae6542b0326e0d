// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QHostAddress>
#include <QString>

namespace rollscope::sim {

class Registry;

// What a fresh simulator contains (besides nodes and system namespaces).
//   demo       the seed guide's demo-dp (3 replicas, RollingUpdate 25%/25%, bebullish/demo:v1,
//              container demo, port 8080) and demo-service (LoadBalancer 80->8080) in default,
//              plus a few deployments in shop and monitoring so lists look real
//   empty      nothing
//   scale:D:P  D deployments of P pods each, spread over namespaces load-00..load-09; the first
//              one rolls out through the controllers, the others are copies of it once it has
//              settled (SettledCopier), so that 20,000 pods are there in seconds
struct Scenario
{
    enum class Kind
    {
        Demo,
        Empty,
        Scale
    } kind = Kind::Demo;
    int deployments = 0;
    int podsEach = 0;
    // scale: false drives every Deployment through the controllers instead of copying the first
    // one's settled state (what the copies are checked against).
    bool copySettled = true;

    static Result<Scenario> parse(const QString &text);
    QString toString() const;
};

// Creates the scenario's objects through the registry (the controllers do the rest). Every
// scenario, even "empty", has the API server's own Service default/kubernetes, as every cluster.
VoidResult seedScenario(Registry *registry, const Scenario &scenario);
// Once the warm-up has let the seeded objects settle: the rest of the scenario (scale: the
// copies of the first Deployment). The controllers' reactions to it are due at once.
VoidResult finishScenario(Registry *registry, const Scenario &scenario);
// The namespace and name of the scale scenario's Deployment `index`.
QString scaleNamespace(const Scenario &scenario, int index);
QString scaleDeploymentName(int index);

// Points default/kubernetes at the API server once it listens: the Service's targetPort and the
// selector-less Endpoints and EndpointSlice (which the apiserver itself maintains, not the
// endpoints controllers). `address` 0.0.0.0 or :: publishes the loopback address.
VoidResult publishApiServerEndpoints(Registry *registry, const QHostAddress &address, quint16 port);

// The seed guide's manifests, as the YAML a user would `kubectl apply -f`.
QByteArray demoDeploymentManifest();
QByteArray demoServiceManifest();

} // namespace rollscope::sim
