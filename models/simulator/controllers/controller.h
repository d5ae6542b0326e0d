// SPDX-License-Identifier: MIT
#pragma once

#include "simulator/simcontext.h"
#include "simulator/workqueue.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <initializer_list>
#include <optional>
#include <utility>

namespace rollscope::sim {

struct ResourceType;
struct StoreEvent;

// What every part of the simulated control plane does the same way, in the shape of
// kube-controller-manager's controllers: a derived class registers an informer per resource
// type it watches (inform()); start() subscribes to the store, so that each change reaches the
// handler of its type, and then lists what the store already holds, type by type in
// registration order, as Added events (the informers' initial list). The subscription ends
// with the object. A derived class keeps only its handlers and its reconcile logic.
class Controller
{
public:
    virtual ~Controller();
    Controller(const Controller &) = delete;
    Controller &operator=(const Controller &) = delete;

    // Subscribes to the store and runs onStarted(); idempotent.
    void start();
    bool isStarted() const { return m_started; }

protected:
    using Handler = std::function<void(const StoreEvent &event)>;

    explicit Controller(const SimContext &context);

    // Registers the handler of `type`'s changes; before start().
    void inform(const ResourceType &type, Handler handler);

    // Every store change while started. By default, the handler of the change's type.
    virtual void onStoreEvent(const StoreEvent &event);
    // What start() does once subscribed. By default, listExisting() of the informed types.
    virtual void onStarted();
    // False for a controller whose informer is another object (it then takes no subscription:
    // subscribers are notified in subscription order, and that order is the order of work).
    virtual bool watchesStore() const { return true; }

    // Feeds every stored object of each type to onStoreEvent() as an Added event, type by type
    // in the order given; isInitialList() is true meanwhile.
    void listExisting(std::initializer_list<const ResourceType *> types);
    void listExisting(const ResourceType &type);
    bool isInitialList() const { return m_listing; }

    const SimContext m_ctx;

private:
    QList<std::pair<const ResourceType *, Handler>> m_informers;
    std::optional<int> m_subscription; // Store::SubscriptionId
    bool m_started = false;
    bool m_listing = false;
};

// A controller with one coalescing work queue whose single worker is sync(): event handlers
// enqueue keys, sync() reconciles one key against the store.
class QueueController : public Controller
{
protected:
    explicit QueueController(const SimContext &context);

    virtual void sync(const QString &key) = 0;

    // Queues the key `keys` holds for `uid` (an owner's uid -> its key), if it holds one.
    void enqueueByUid(const QHash<QString, QString> &keys, const QString &uid);
    // Queues `key`, an object of `type`, if its spec.selector (non-empty) selects `labels`:
    // how a pod or ReplicaSet change reaches the controllers that may adopt it.
    void enqueueIfSelects(const ResourceType &type, const QString &key, const QJsonObject &labels);

    WorkQueue m_queue;
};

} // namespace rollscope::sim
