// SPDX-License-Identifier: MIT
#include "garbagecollector.h"

#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/store.h"

namespace rollscope::sim {

namespace {

const QString kForeground = QStringLiteral("foregroundDeletion");
const QString kOrphan = QStringLiteral("orphan");

bool isEventType(const ResourceType &type)
{
    return type == Resources::events() || type == Resources::eventsV1();
}

} // namespace

GarbageCollector::GarbageCollector(const SimContext &context)
    : Controller(context)
    , m_attemptToDelete(context.clock, [this](const QString &uid) { attemptToDelete(uid); })
    , m_owners(context.clock, [this](const QString &uid) { processDeletingOwner(uid); })
{}

void GarbageCollector::onStarted()
{
    // Build the whole graph first, so an owner listed after its dependent is not taken for
    // gone; then look at every node once.
    for (const ResourceType &type : Resources::all()) {
        if (!isEventType(type))
            listExisting(type);
    }
    for (auto it = m_nodes.cbegin(); it != m_nodes.cend(); ++it) {
        if (!it->owners.isEmpty())
            m_attemptToDelete.enqueue(it.key());
        if (it->deleting && (it->foreground || it->orphan))
            m_owners.enqueue(it.key());
    }
}

void GarbageCollector::onStoreEvent(const StoreEvent &e)
{
    if (isEventType(*e.resource))
        return;
    const QString uid =
        *e.resource == Resources::pods() ? ctrl::podFacts(e).uid : json::uid(e.object);
    if (uid.isEmpty())
        return;
    const auto previous = m_nodes.constFind(uid);
    QList<ctrl::OwnerRef> oldOwners;
    if (previous != m_nodes.cend())
        oldOwners = previous->owners;

    auto unlink = [&](const QList<ctrl::OwnerRef> &owners) {
        for (const ctrl::OwnerRef &ref : owners) {
            ctrl::unindex(m_dependents, ref.uid, uid);
        }
    };

    if (e.type == EventType::Deleted) {
        unlink(oldOwners);
        m_nodes.remove(uid);
        // Its dependents may now be orphans to collect...
        for (const QString &dependent : m_dependents.value(uid))
            m_attemptToDelete.enqueue(dependent);
        // ...and an owner waiting for it in the foreground may be done.
        for (const ctrl::OwnerRef &ref : std::as_const(oldOwners))
            m_owners.enqueue(ref.uid);
        return;
    }

    Node node;
    node.type = e.resource;
    if (*e.resource == Resources::pods()) {
        const ctrl::PodFacts &pod = ctrl::podFacts(e);
        node.ns = pod.ns;
        node.name = pod.name;
        node.owners = pod.owners;
        node.deleting = pod.deleting;
        node.foreground = pod.foregroundFinalizer;
        node.orphan = pod.orphanFinalizer;
    } else {
        node.ns = json::ns(e.object);
        node.name = json::name(e.object);
        node.owners = ctrl::ownerRefs(e.object);
        node.deleting = json::isBeingDeleted(e.object);
        const QJsonArray finalizers = json::array(e.object, {u"metadata", u"finalizers"});
        node.foreground = finalizers.contains(kForeground);
        node.orphan = finalizers.contains(kOrphan);
    }

    bool ownersChanged = previous == m_nodes.cend() || oldOwners.size() != node.owners.size();
    for (qsizetype i = 0; !ownersChanged && i < node.owners.size(); ++i) {
        ownersChanged = oldOwners.at(i).uid != node.owners.at(i).uid ||
                        oldOwners.at(i).blockOwnerDeletion != node.owners.at(i).blockOwnerDeletion;
    }
    if (ownersChanged) {
        unlink(oldOwners);
        for (const ctrl::OwnerRef &ref : std::as_const(node.owners))
            m_dependents[ref.uid].insert(uid);
    }
    m_nodes.insert(uid, node);
    if (isInitialList())
        return; // onStarted() looks at every node once the graph is whole

    if (ownersChanged) {
        // A reference to an owner that is gone (or never was): collect it.
        for (const ctrl::OwnerRef &ref : std::as_const(node.owners)) {
            const auto owner = m_nodes.constFind(ref.uid);
            if (owner == m_nodes.cend() || (owner->deleting && owner->foreground)) {
                m_attemptToDelete.enqueue(uid);
                break;
            }
        }
        // Owners that were waiting on this dependent look again.
        for (const ctrl::OwnerRef &ref : std::as_const(oldOwners))
            m_owners.enqueue(ref.uid);
    }
    if (node.deleting && (node.foreground || node.orphan))
        m_owners.enqueue(uid);
}

void GarbageCollector::attemptToDelete(const QString &uid)
{
    const auto it = m_nodes.constFind(uid);
    if (it == m_nodes.cend())
        return;
    const Node node = *it;
    if (node.deleting && !node.foreground)
        return; // already on its way out

    QList<ctrl::OwnerRef> solid;
    QList<ctrl::OwnerRef> dangling;
    QList<ctrl::OwnerRef> waiting; // owners being deleted in the foreground
    for (const ctrl::OwnerRef &ref : node.owners) {
        const auto owner = m_nodes.constFind(ref.uid);
        if (owner == m_nodes.cend())
            dangling << ref;
        else if (owner->deleting && owner->foreground)
            waiting << ref;
        else
            solid << ref;
    }
    if (node.owners.isEmpty())
        return;

    if (!solid.isEmpty()) {
        if (dangling.isEmpty() && waiting.isEmpty())
            return;
        // Another owner keeps it alive: only the references to gone (or going) owners go.
        QSet<QString> drop;
        for (const ctrl::OwnerRef &ref : std::as_const(dangling))
            drop.insert(ref.uid);
        for (const ctrl::OwnerRef &ref : std::as_const(waiting))
            drop.insert(ref.uid);
        (void)m_ctx.registry->modify(*node.type, node.ns, node.name, [&drop](QJsonObject &o) {
            ctrl::removeOwnerRefs(o, drop);
            return true;
        });
        return;
    }

    if (node.deleting)
        return; // in the foreground already; processDeletingOwner finishes it
    DeleteOptions options;
    if (!waiting.isEmpty() && !m_dependents.value(uid).isEmpty())
        options.propagationPolicy = QStringLiteral("Foreground"); // it has dependents to wait for
    else if (node.orphan)
        options.propagationPolicy = QStringLiteral("Orphan");
    else if (node.foreground)
        options.propagationPolicy = QStringLiteral("Foreground");
    else
        options.propagationPolicy = QStringLiteral("Background");
    (void)m_ctx.registry->remove(*node.type, node.ns, node.name, options);
}

bool GarbageCollector::removeFinalizer(const Node &node, const QString &finalizer)
{
    const auto done =
        m_ctx.registry->modify(*node.type, node.ns, node.name, [&finalizer](QJsonObject &o) {
            QJsonArray list = json::array(o, {u"metadata", u"finalizers"});
            for (qsizetype i = list.size() - 1; i >= 0; --i) {
                if (list.at(i).toString() == finalizer)
                    list.removeAt(i);
            }
            json::set(o, {u"metadata", u"finalizers"},
                      list.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(list));
            return true;
        });
    return bool(done);
}

void GarbageCollector::processDeletingOwner(const QString &uid)
{
    const auto it = m_nodes.constFind(uid);
    if (it == m_nodes.cend() || !it->deleting)
        return;
    const Node node = *it;
    const QSet<QString> dependents = m_dependents.value(uid);

    if (node.orphan) {
        // Orphan the dependents first, then let the owner go.
        for (const QString &dependentUid : dependents) {
            const auto dependent = m_nodes.constFind(dependentUid);
            if (dependent == m_nodes.cend())
                continue;
            const Node d = *dependent;
            (void)m_ctx.registry->modify(*d.type, d.ns, d.name, [&uid](QJsonObject &o) {
                ctrl::removeOwnerRefs(o, {uid});
                return true;
            });
        }
        removeFinalizer(node, kOrphan);
        return;
    }

    if (!node.foreground)
        return;
    bool blocked = false;
    for (const QString &dependentUid : dependents) {
        const auto dependent = m_nodes.constFind(dependentUid);
        if (dependent == m_nodes.cend())
            continue;
        for (const ctrl::OwnerRef &ref : dependent->owners) {
            if (ref.uid == uid && ref.blockOwnerDeletion)
                blocked = true;
        }
        if (!dependent->deleting || dependent->foreground)
            m_attemptToDelete.enqueue(dependentUid);
    }
    if (!blocked)
        removeFinalizer(node, kForeground);
}

} // namespace rollscope::sim
