// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"
#include "controllerutil.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace rollscope::sim {

struct ResourceType;
struct StoreEvent;

// The garbage collector (pkg/controller/garbagecollector) over a graph of owner references
// kept from store notifications:
//   background  an object whose owners are all gone is deleted (its own finalizers decide how);
//               references to owners that are gone are removed while another owner remains
//   foreground  an owner deleted with propagationPolicy Foreground (finalizer
//               foregroundDeletion) has its dependents deleted, in the foreground themselves if
//               they have dependents; its finalizer goes once no dependent with
//               blockOwnerDeletion is left
//   orphan      an owner with the orphan finalizer has its dependents' references to it
//               removed, then the finalizer
// Events are not part of the graph.
class GarbageCollector final : public Controller
{
public:
    explicit GarbageCollector(const SimContext &context);

private:
    struct Node
    {
        const ResourceType *type = nullptr;
        QString ns;
        QString name;
        QList<ctrl::OwnerRef> owners;
        bool deleting = false;
        bool foreground = false; // finalizer foregroundDeletion
        bool orphan = false;     // finalizer orphan
    };

    void onStoreEvent(const StoreEvent &event) override;
    void onStarted() override;
    void attemptToDelete(const QString &uid);
    void processDeletingOwner(const QString &uid);
    bool removeFinalizer(const Node &node, const QString &finalizer);

    WorkQueue m_attemptToDelete;  // dependents to check, by uid
    WorkQueue m_owners;           // owners being deleted with foreground/orphan, by uid
    QHash<QString, Node> m_nodes; // uid -> object
    QHash<QString, QSet<QString>> m_dependents; // owner uid -> dependent uids
};

} // namespace rollscope::sim
