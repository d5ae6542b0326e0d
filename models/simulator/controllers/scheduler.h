// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMap>
#include <QSet>
#include <QString>

namespace rollscope::sim {

struct StoreEvent;

// The default scheduler, reduced to what a rollout shows: pending pods (no nodeName,
// schedulerName default-scheduler) are bound to a Ready, schedulable node whose taints they
// tolerate and whose labels match their nodeSelector. Pods spread evenly: fewest pods of the
// same owner on the node first (the default topology spread), then fewest pods in all, then a
// random pick among equals (the real scheduler also samples among the best scores).
//
// Binding sets spec.nodeName and the PodScheduled condition (what the pods/binding subresource
// does) and records "Scheduled". With no feasible node the pod stays Pending with PodScheduled
// False/Unschedulable and a FailedScheduling warning; it is retried when nodes change and every
// five minutes (podMaxInUnschedulablePodsDuration).
//
// Node capacity ("pods": 110) is not enforced, so a small simulated cluster can hold the large
// scale scenarios.
class Scheduler final : public QueueController
{
public:
    explicit Scheduler(const SimContext &context);

    static constexpr char kComponent[] = "default-scheduler";

private:
    struct NodeInfo
    {
        bool ready = false;
        bool unschedulable = false;
        QJsonObject labels;
        QJsonArray taints;
    };
    struct Placement
    {
        QString node;
        QString owner;
    };

    void onNode(const StoreEvent &event);
    void onPod(const StoreEvent &event);
    // Schedules one pending pod.
    void sync(const QString &podKey) override;
    void unplace(const QString &podKey);

    QMap<QString, NodeInfo> m_nodes;                   // by name, in name order
    QHash<QString, int> m_podsOnNode;                  // node -> non-terminal pods bound there
    QHash<QString, QHash<QString, int>> m_ownerOnNode; // owner uid -> node -> pods
    QHash<QString, Placement> m_placement;             // pod key -> where it is counted
    QSet<QString> m_unschedulable;                     // pod keys waiting for a node
};

} // namespace rollscope::sim
