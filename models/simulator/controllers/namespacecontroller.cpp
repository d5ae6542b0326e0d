// SPDX-License-Identifier: MIT
#include "namespacecontroller.h"

#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/store.h"

namespace rollscope::sim {

NamespaceController::NamespaceController(const SimContext &context)
    : QueueController(context)
{}

void NamespaceController::onStarted()
{
    // A namespace already being deleted is queued as onStoreEvent() queues one that starts to.
    listExisting(Resources::namespaces());
}

void NamespaceController::onStoreEvent(const StoreEvent &e)
{
    if (*e.resource == Resources::namespaces()) {
        const QString name = json::name(e.object);
        if (e.type == EventType::Deleted) {
            m_terminating.remove(name);
            return;
        }
        if (json::isBeingDeleted(e.object) && !m_terminating.contains(name)) {
            m_terminating.insert(name);
            m_queue.enqueue(name);
        }
        return;
    }
    // Something left a terminating namespace: maybe it is empty now.
    if (e.type == EventType::Deleted && e.resource->namespaced && !m_terminating.isEmpty()) {
        const QString ns = json::ns(e.object);
        if (m_terminating.contains(ns))
            m_queue.enqueue(ns);
    }
}

void NamespaceController::sync(const QString &name)
{
    const auto ns = m_ctx.store->get(Resources::namespaces(), {}, name);
    if (!ns || !json::isBeingDeleted(*ns))
        return;
    int remaining = 0;
    for (const ResourceType &type : Resources::all()) {
        if (!type.namespaced)
            continue;
        QList<std::pair<QString, bool>> objects; // name, already being deleted
        m_ctx.store->forEach(type, name, [&](const QJsonObject &object) {
            objects.append({json::name(object), json::isBeingDeleted(object)});
            return true;
        });
        remaining += int(objects.size());
        for (const auto &[objectName, deleting] : std::as_const(objects)) {
            if (!deleting)
                (void)m_ctx.registry->remove(type, name, objectName);
        }
    }
    if (remaining > 0) {
        m_queue.enqueueAfter(name, kRecheckMs);
        return;
    }
    // Empty: the namespace's own finalizer ("kubernetes") goes, and with it the namespace,
    // unless someone else's finalizer still holds it.
    const auto updated =
        m_ctx.registry->modify(Resources::namespaces(), {}, name, [](QJsonObject &o) {
            QJsonArray finalizers = json::array(o, {u"spec", u"finalizers"});
            for (qsizetype i = finalizers.size() - 1; i >= 0; --i) {
                if (finalizers.at(i).toString() == u"kubernetes")
                    finalizers.removeAt(i);
            }
            // An empty list, not an absent one: the registry would default it back.
            json::set(o, {u"spec", u"finalizers"}, finalizers);
            return true;
        });
    const QJsonObject current = updated ? updated.value() : *ns;
    if (json::array(current, {u"metadata", u"finalizers"}).isEmpty())
        m_ctx.registry->erase(Resources::namespaces(), {}, name);
    else
        m_queue.enqueueAfter(name, kRecheckMs);
}

} // namespace rollscope::sim
