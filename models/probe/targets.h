// SPDX-License-Identifier: MIT
#pragma once

// Where the prober can send its requests for a Deployment, found from the Services that select
// its pods, best first:
//   1. a LoadBalancer Service's ingress address and Service port (what users reach);
//   2. a NodePort on a node's InternalIP (first node first; Ready nodes before others);
//   3. the API server's service proxy with the cluster credentials (works for any Service
//      with a selector, ClusterIP included, but each request is proxied by the API server);
// and 4., not found here, a URL the user types (an Ingress, a port-forward): fromUserUrl().

#include "common/result.h"
#include "kube/resources.h"
#include "probe/probetypes.h"

#include <QList>
#include <QString>

namespace rollscope::probe {

// A Service selects the Deployment's pods when its selector is non-empty and every one of its
// key=value pairs is among the pod template's labels (a Service without a selector has
// hand-made endpoints and is not ours).
bool serviceSelectsPods(const kube::ServiceInfo &service, const kube::Labels &podLabels);

// Candidate targets for `deployment` among `services` of namespace `ns` (Services of other
// namespaces are ignored), in the order above; within one kind by Service name, and the ports
// of a Service with the one named "http" (or numbered 80, then 8080) first. Empty when no
// Service selects the pods: then only a URL typed by the user can be probed.
QList<ProbeTarget> candidateTargets(const kube::DeploymentInfo &deployment,
                                    const QList<kube::ServiceInfo> &services,
                                    const QList<kube::NodeInfo> &nodes, const QString &ns);

// A URL the user typed: http or https, with a host; a missing scheme means http:// and a
// missing path "/". Errors are plain words for the input field.
Result<ProbeTarget> fromUserUrl(const QString &text);

// The API path of a service-proxy request: /api/v1/namespaces/NS/services/NAME:PORT/proxy/PATH.
// `path` without its query (the query goes in ApiRequest::query).
QString serviceProxyPath(const ProbeTarget &target, const QString &path);

// "host:port" as it goes in the Host header (the port left out when it is the scheme's default).
QByteArray hostHeader(const QUrl &url);

} // namespace rollscope::probe
