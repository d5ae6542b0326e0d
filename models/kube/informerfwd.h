// SPDX-License-Identifier: MIT
#pragma once

// The informers' names, for headers that only hold pointers to them (informer.h defines them).

#include <QtGlobal>

namespace rollscope::kube {

// A registration of handlers, to remove them (TypedInformer::removeHandlers).
using InformerHandlerId = quint64;

struct DeploymentInfo;
struct ReplicaSetInfo;
struct PodInfo;
struct ServiceInfo;
struct EndpointSliceInfo;
struct EventInfo;
struct NodeInfo;
struct NamespaceInfo;

template<typename T>
class TypedInformer;

using DeploymentInformer = TypedInformer<DeploymentInfo>;
using ReplicaSetInformer = TypedInformer<ReplicaSetInfo>;
using PodInformer = TypedInformer<PodInfo>;
using ServiceInformer = TypedInformer<ServiceInfo>;
using EndpointSliceInformer = TypedInformer<EndpointSliceInfo>;
using EventInformer = TypedInformer<EventInfo>;
using NodeInformer = TypedInformer<NodeInfo>;
using NamespaceInformer = TypedInformer<NamespaceInfo>;

} // namespace rollscope::kube
