// SPDX-License-Identifier: MIT
#include "controller.h"

#include "controllerutil.h"
#include "simulator/json.h"
#include "simulator/selector.h"
#include "simulator/store.h"

namespace rollscope::sim {

Controller::Controller(const SimContext &context)
    : m_ctx(context)
{}

Controller::~Controller()
{
    if (m_subscription)
        m_ctx.store->unsubscribe(*m_subscription);
}

void Controller::start()
{
    if (m_started)
        return;
    m_started = true;
    if (watchesStore())
        m_subscription = m_ctx.store->subscribe([this](const StoreEvent &e) { onStoreEvent(e); });
    onStarted();
}

void Controller::inform(const ResourceType &type, Handler handler)
{
    m_informers.append({&type, std::move(handler)});
}

void Controller::onStoreEvent(const StoreEvent &event)
{
    for (const auto &[type, handler] : std::as_const(m_informers)) {
        if (*event.resource == *type) {
            handler(event);
            return;
        }
    }
}

void Controller::onStarted()
{
    for (const auto &informer : std::as_const(m_informers))
        listExisting(*informer.first);
}

void Controller::listExisting(std::initializer_list<const ResourceType *> types)
{
    for (const ResourceType *type : types)
        listExisting(*type);
}

void Controller::listExisting(const ResourceType &type)
{
    m_listing = true;
    m_ctx.store->forEach(type, {}, [&](const QJsonObject &object) {
        StoreEvent e;
        e.type = EventType::Added;
        e.resource = &type;
        e.object = object;
        onStoreEvent(e);
        return true;
    });
    m_listing = false;
}

QueueController::QueueController(const SimContext &context)
    : Controller(context)
    , m_queue(context.clock, [this](const QString &key) { sync(key); })
{}

void QueueController::enqueueByUid(const QHash<QString, QString> &keys, const QString &uid)
{
    if (uid.isEmpty())
        return;
    const auto it = keys.constFind(uid);
    if (it != keys.cend())
        m_queue.enqueue(*it);
}

void QueueController::enqueueIfSelects(const ResourceType &type, const QString &key,
                                       const QJsonObject &labels)
{
    const auto [ns, name] = ctrl::splitKey(key);
    const auto object = m_ctx.store->get(type, ns, name);
    if (!object)
        return;
    const auto selector = LabelSelector::fromObject(json::object(*object, {u"spec", u"selector"}));
    if (selector && !selector->isEmpty() && selector->matches(labels))
        m_queue.enqueue(key);
}

} // namespace rollscope::sim
