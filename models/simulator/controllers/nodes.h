// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace rollscope::sim {

class Registry;

// Seeding helpers for a simulated cluster.

// Creates Ready nodes sim-node-1..count (skipping names that exist) as a kubelet registers
// them: InternalIP 127.0.0.N (the traffic front binds node ports there), Hostname, capacity and
// allocatable, the four node conditions, nodeInfo (kubelet v1.32.0, containerd://1.7.0, Debian
// bookworm) and the well-known labels. Returns how many were created.
int createNodes(Registry &registry, int count);

// The name of node `index` (1-based) as createNodes makes it, and its InternalIP.
QString simNodeName(int index);
QString simNodeAddress(int index);

// Creates the namespaces every cluster starts with: default, kube-system, kube-public and
// kube-node-lease (those that exist are left alone).
void createSystemNamespaces(Registry &registry);

} // namespace rollscope::sim
