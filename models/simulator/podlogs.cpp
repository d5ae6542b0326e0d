// SPDX-License-Identifier: MIT
#include "podlogs.h"

#include "clock.h"
#include "images.h"
#include "json.h"

namespace rollscope::sim {

namespace {
constexpr std::size_t kMaxLines = 5000;
}

PodLogs::PodLogs(Store *store, SimClock *clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_clock(clock)
{
    m_subscription = m_store->subscribe([this](const StoreEvent &e) { onStoreEvent(e); });
}

PodLogs::~PodLogs()
{
    m_store->unsubscribe(m_subscription);
}

void PodLogs::append(const QString &ns, const QString &pod, const QString &container,
                     const QString &text)
{
    const QString k = key(ns, pod, container);
    const qint64 now = m_clock->nowMs();
    auto &lines = m_lines[k];
    lines.push_back({now, text});
    while (lines.size() > kMaxLines)
        lines.pop_front();
    const auto followers = m_followers;
    for (const Follower &f : followers) {
        if (f.key == k)
            f.onLine(now, text);
    }
}

void PodLogs::onStoreEvent(const StoreEvent &event)
{
    if (*event.resource != Resources::pods())
        return;
    const QString ns = json::ns(event.object);
    const QString pod = json::name(event.object);
    if (event.type == EventType::Deleted) {
        const QString prefix = ns + u'/' + pod + u'/';
        for (auto it = m_lines.begin(); it != m_lines.end();) {
            if (it.key().startsWith(prefix))
                it = m_lines.erase(it);
            else
                ++it;
        }
        for (auto it = m_startedAt.begin(); it != m_startedAt.end();) {
            if (it.key().startsWith(prefix))
                it = m_startedAt.erase(it);
            else
                ++it;
        }
        const auto followers = m_followers;
        for (auto it = followers.cbegin(); it != followers.cend(); ++it) {
            if (it.value().key.startsWith(prefix)) {
                it.value().onEnd();
                m_followers.remove(it.key());
            }
        }
        return;
    }
    // A container that (re)started logs its start-up lines; one being deleted, its shutdown.
    const QJsonArray statuses = json::array(event.object, {u"status", u"containerStatuses"});
    const QJsonArray containers = json::array(event.object, {u"spec", u"containers"});
    for (const QJsonValue &v : statuses) {
        const QJsonObject cs = v.toObject();
        const QString container = cs.value(u"name").toString();
        const QString startedAt = json::string(cs, {u"state", u"running", u"startedAt"});
        const QString k = key(ns, pod, container);
        if (!startedAt.isEmpty() && m_startedAt.value(k) != startedAt) {
            m_startedAt.insert(k, startedAt);
            const ImageBehavior behavior =
                behaviorFor(cs.value(u"image").toString(),
                            json::object(event.object, {u"metadata", u"annotations"}));
            int port = 8080;
            for (const QJsonValue &c : containers) {
                if (c.toObject().value(u"name").toString() == container) {
                    const QJsonArray ports = c.toObject().value(u"ports").toArray();
                    if (!ports.isEmpty())
                        port = int(ports.first().toObject().value(u"containerPort").toInteger());
                }
            }
            append(ns, pod, container,
                   QStringLiteral("starting %1 (version %2)")
                       .arg(cs.value(u"image").toString(), behavior.version));
            append(ns, pod, container, QStringLiteral("listening on :%1").arg(port));
        }
    }
    if (json::isBeingDeleted(event.object) && !json::isBeingDeleted(event.previous)) {
        for (const QJsonValue &v : statuses) {
            const QString container = v.toObject().value(u"name").toString();
            if (json::has(v.toObject(), {u"state", u"running"}))
                append(ns, pod, container, QStringLiteral("received SIGTERM, shutting down"));
        }
    }
}

QString PodLogs::logs(const QString &ns, const QString &pod, const QString &container,
                      QStringList *lines, QList<qint64> *timestamps) const
{
    const auto podObject = m_store->get(Resources::pods(), ns, pod);
    if (!podObject)
        return QStringLiteral("pods \"%1\" not found").arg(pod);
    bool known = false;
    for (const QJsonValue &c : json::array(*podObject, {u"spec", u"containers"}))
        known = known || c.toObject().value(u"name").toString() == container;
    if (!known)
        return QStringLiteral("container %1 is not valid for pod %2").arg(container, pod);
    const auto it = m_lines.constFind(key(ns, pod, container));
    if (it == m_lines.cend() || it->empty()) {
        for (const QJsonValue &v : json::array(*podObject, {u"status", u"containerStatuses"})) {
            const QJsonObject cs = v.toObject();
            if (cs.value(u"name").toString() == container && json::has(cs, {u"state", u"waiting"}))
                return QStringLiteral("container \"%1\" in pod \"%2\" is waiting to start: %3")
                    .arg(container, pod, json::string(cs, {u"state", u"waiting", u"reason"}));
        }
        if (json::array(*podObject, {u"status", u"containerStatuses"}).isEmpty())
            return QStringLiteral("container \"%1\" in pod \"%2\" is waiting to start: "
                                  "ContainerCreating")
                .arg(container, pod);
        return {};
    }
    for (const Line &l : *it) {
        *lines << l.text;
        *timestamps << l.at;
    }
    return {};
}

int PodLogs::follow(const QString &ns, const QString &pod, const QString &container,
                    std::function<void(qint64, const QString &)> onLine,
                    std::function<void()> onEnd)
{
    const int id = m_nextFollower++;
    m_followers.insert(id, Follower{key(ns, pod, container), std::move(onLine), std::move(onEnd)});
    return id;
}

void PodLogs::unfollow(int id)
{
    m_followers.remove(id);
}

} // namespace rollscope::sim
