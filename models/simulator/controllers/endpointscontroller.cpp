// SPDX-License-Identifier: MIT
#include "endpointscontroller.h"

#include "controllerutil.h"
#include "servicepodindex.h"
#include "simulator/clock.h"
#include "simulator/json.h"
#include "simulator/registry.h"
#include "simulator/store.h"

#include <QMap>

#include <algorithm>

namespace rollscope::sim {

namespace {

constexpr char kTriggerTime[] = "endpoints.kubernetes.io/last-change-trigger-time";
constexpr char kServiceNameLabel[] = "kubernetes.io/service-name";
constexpr char kManagedByLabel[] = "endpointslice.kubernetes.io/managed-by";

QJsonObject targetRef(const ServicePodIndex::PodInfo &pod)
{
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("Pod")},
                       {QStringLiteral("namespace"), pod.ns},
                       {QStringLiteral("name"), pod.name},
                       {QStringLiteral("uid"), pod.uid}};
}

// The pod's ports for the Service's ports, targetPort resolved. `forSlice` keeps an empty
// name, as EndpointSlice ports always carry one.
QJsonArray podPorts(const ServicePodIndex::PodInfo &pod, const QJsonArray &servicePorts,
                    bool forSlice)
{
    QJsonArray ports;
    for (const QJsonValue &v : servicePorts) {
        const QJsonObject sp = v.toObject();
        const auto number = ServicePodIndex::resolvePort(pod, sp);
        if (!number)
            continue; // this pod has no such named port
        QJsonObject port;
        const QString name = sp.value(u"name").toString();
        if (forSlice || !name.isEmpty())
            port.insert(QStringLiteral("name"), name);
        port.insert(QStringLiteral("port"), *number);
        port.insert(QStringLiteral("protocol"),
                    sp.value(u"protocol").toString(QStringLiteral("TCP")));
        if (sp.contains(u"appProtocol"))
            port.insert(QStringLiteral("appProtocol"), sp.value(u"appProtocol"));
        ports.append(port);
    }
    return ports;
}

QString portsKey(const QJsonArray &ports)
{
    QJsonObject holder{{QStringLiteral("p"), ports}};
    return QString::fromUtf8(json::compact(holder));
}

} // namespace

// --- Endpoints --------------------------------------------------------------------------------

ServiceEndpointsController::ServiceEndpointsController(const SimContext &context,
                                                       ServicePodIndex *index)
    : QueueController(context)
    , m_index(index)
{}

void ServiceEndpointsController::watchServices()
{
    m_index->addListener([this](const QString &key) { m_queue.enqueue(key); });
    m_index->start();
    m_ctx.store->forEach(Resources::services(), {}, [this](const QJsonObject &svc) {
        m_queue.enqueue(ctrl::keyOf(svc));
        return true;
    });
}

EndpointsController::EndpointsController(const SimContext &context, ServicePodIndex *index)
    : ServiceEndpointsController(context, index)
{}

void EndpointsController::sync(const QString &serviceKey)
{
    const auto [ns, name] = ctrl::splitKey(serviceKey);
    const auto service = m_ctx.store->get(Resources::services(), ns, name);
    const auto existing = m_ctx.store->get(Resources::endpoints(), ns, name);
    if (!service) {
        // The Service is gone: so are its endpoints (they carry no owner reference).
        if (existing)
            (void)m_ctx.registry->remove(Resources::endpoints(), ns, name);
        return;
    }
    const QJsonObject selector = json::object(*service, {u"spec", u"selector"});
    if (selector.isEmpty())
        return; // user-managed Endpoints
    const bool publishNotReady = json::boolean(*service, {u"spec", u"publishNotReadyAddresses"});
    const QJsonArray servicePorts = json::array(*service, {u"spec", u"ports"});
    const bool headless = json::string(*service, {u"spec", u"clusterIP"}) == u"None";

    struct Subset
    {
        QJsonArray ports;
        QList<std::pair<QString, QJsonObject>> ready; // (sort key, address)
        QList<std::pair<QString, QJsonObject>> notReady;
    };
    QMap<QString, Subset> subsets; // by port set
    for (const ServicePodIndex::PodInfo *pod :
         m_index->podsFor(ns, LabelSelector::fromMap(selector))) {
        if (pod->terminal || pod->ip.isEmpty())
            continue;
        if (pod->terminating && !publishNotReady)
            continue;
        const QJsonArray ports = podPorts(*pod, servicePorts, false);
        if (ports.isEmpty() && !(servicePorts.isEmpty() && headless))
            continue;
        QJsonObject address{{QStringLiteral("ip"), pod->ip},
                            {QStringLiteral("targetRef"), targetRef(*pod)}};
        if (!pod->nodeName.isEmpty())
            address.insert(QStringLiteral("nodeName"), pod->nodeName);
        Subset &subset = subsets[portsKey(ports)];
        subset.ports = ports;
        // addrsByIPAndUID: byte order of the IP text, then uid.
        const QString sortKey = pod->ip + u'\x1f' + pod->uid;
        if (publishNotReady || pod->ready)
            subset.ready.append({sortKey, address});
        else
            subset.notReady.append({sortKey, address});
    }
    QJsonArray subsetArray;
    for (Subset &subset : subsets) {
        auto byKey = [](const auto &a, const auto &b) { return a.first < b.first; };
        std::sort(subset.ready.begin(), subset.ready.end(), byKey);
        std::sort(subset.notReady.begin(), subset.notReady.end(), byKey);
        QJsonObject s;
        if (!subset.ready.isEmpty()) {
            QJsonArray addresses;
            for (const auto &[k, a] : std::as_const(subset.ready))
                addresses.append(a);
            s.insert(QStringLiteral("addresses"), addresses);
        }
        if (!subset.notReady.isEmpty()) {
            QJsonArray addresses;
            for (const auto &[k, a] : std::as_const(subset.notReady))
                addresses.append(a);
            s.insert(QStringLiteral("notReadyAddresses"), addresses);
        }
        if (!subset.ports.isEmpty())
            s.insert(QStringLiteral("ports"), subset.ports);
        subsetArray.append(s);
    }

    const QJsonObject labels = json::labels(*service);
    if (existing && json::array(*existing, {u"subsets"}) == subsetArray &&
        json::labels(*existing) == labels)
        return; // unchanged: no write

    const QString now = m_ctx.clock->timestamp(m_ctx.clock->nowMs());
    if (existing) {
        (void)m_ctx.registry->modify(Resources::endpoints(), ns, name, [&](QJsonObject &o) {
            json::set(o, {u"metadata", u"labels"},
                      labels.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(labels));
            json::setAnnotation(o, QString::fromLatin1(kTriggerTime), now);
            if (subsetArray.isEmpty())
                o.remove(QStringLiteral("subsets"));
            else
                o.insert(QStringLiteral("subsets"), subsetArray);
            return true;
        });
        return;
    }
    QJsonObject metadata{
        {QStringLiteral("name"), name},
        {QStringLiteral("namespace"), ns},
        {QStringLiteral("annotations"), QJsonObject{{QString::fromLatin1(kTriggerTime), now}}}};
    if (!labels.isEmpty())
        metadata.insert(QStringLiteral("labels"), labels);
    QJsonObject endpoints{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                          {QStringLiteral("kind"), QStringLiteral("Endpoints")},
                          {QStringLiteral("metadata"), metadata}};
    if (!subsetArray.isEmpty())
        endpoints.insert(QStringLiteral("subsets"), subsetArray);
    (void)m_ctx.registry->create(Resources::endpoints(), ns, endpoints);
}

// --- EndpointSlices ---------------------------------------------------------------------------

EndpointSliceController::EndpointSliceController(const SimContext &context, ServicePodIndex *index)
    : ServiceEndpointsController(context, index)
{
    inform(Resources::endpointSlices(), [this](const StoreEvent &e) { onSlice(e); });
}

void EndpointSliceController::onStarted()
{
    // Its own slices first, so a sync finds those it already made.
    Controller::onStarted();
    watchServices();
}

void EndpointSliceController::onSlice(const StoreEvent &e)
{
    const QString sliceKey = ctrl::keyOf(e.object);
    if (const auto it = m_serviceBySlice.constFind(sliceKey); it != m_serviceBySlice.cend()) {
        ctrl::unindex(m_slicesByService, *it, json::name(e.object));
        m_serviceBySlice.erase(it);
    }
    if (e.type == EventType::Deleted)
        return;
    if (json::label(e.object, QString::fromLatin1(kManagedByLabel)) !=
        QLatin1StringView(kManagedBy))
        return;
    const QString service = json::label(e.object, QString::fromLatin1(kServiceNameLabel));
    if (service.isEmpty())
        return;
    const QString serviceKey = ctrl::key(json::ns(e.object), service);
    m_slicesByService[serviceKey].insert(json::name(e.object));
    m_serviceBySlice.insert(sliceKey, serviceKey);
}

void EndpointSliceController::sync(const QString &serviceKey)
{
    const auto [ns, name] = ctrl::splitKey(serviceKey);
    const auto service = m_ctx.store->get(Resources::services(), ns, name);
    QStringList existing = m_slicesByService.value(serviceKey).values();
    std::sort(existing.begin(), existing.end());
    if (!service) {
        for (const QString &slice : std::as_const(existing))
            (void)m_ctx.registry->remove(Resources::endpointSlices(), ns, slice);
        return;
    }
    const QJsonObject selector = json::object(*service, {u"spec", u"selector"});
    if (selector.isEmpty())
        return;
    const bool publishNotReady = json::boolean(*service, {u"spec", u"publishNotReadyAddresses"});
    const QJsonArray servicePorts = json::array(*service, {u"spec", u"ports"});

    // Endpoints grouped by their resolved port set, each group sorted by pod name.
    struct Group
    {
        QJsonArray ports;
        QList<std::pair<QString, QJsonObject>> endpoints;
    };
    QMap<QString, Group> groups;
    for (const ServicePodIndex::PodInfo *pod :
         m_index->podsFor(ns, LabelSelector::fromMap(selector))) {
        if (pod->terminal || pod->ip.isEmpty())
            continue;
        const bool serving = pod->ready;
        const bool terminating = pod->terminating;
        const bool ready = publishNotReady || (serving && !terminating);
        QJsonObject endpoint{
            {QStringLiteral("addresses"), QJsonArray{pod->ip}},
            {QStringLiteral("conditions"),
             QJsonObject{{QStringLiteral("ready"), ready},
                         {QStringLiteral("serving"), serving},
                         {QStringLiteral("terminating"), terminating}}},
            {QStringLiteral("targetRef"), targetRef(*pod)},
        };
        if (!pod->nodeName.isEmpty())
            endpoint.insert(QStringLiteral("nodeName"), pod->nodeName);
        const QJsonArray ports = podPorts(*pod, servicePorts, true);
        Group &group = groups[portsKey(ports)];
        group.ports = ports;
        group.endpoints.append({pod->name, endpoint});
    }
    struct Desired
    {
        QJsonValue ports;
        QJsonValue endpoints;
    };
    QList<Desired> desired;
    for (Group &group : groups) {
        std::sort(group.endpoints.begin(), group.endpoints.end(),
                  [](const auto &a, const auto &b) { return a.first < b.first; });
        for (qsizetype start = 0; start < group.endpoints.size(); start += kMaxEndpointsPerSlice) {
            QJsonArray chunk;
            for (qsizetype i = start;
                 i < qMin<qsizetype>(start + kMaxEndpointsPerSlice, group.endpoints.size()); ++i)
                chunk.append(group.endpoints.at(i).second);
            desired.append({group.ports, chunk});
        }
    }
    if (desired.isEmpty()) // the placeholder slice of a Service without endpoints
        desired.append({QJsonValue(QJsonValue::Null), QJsonValue(QJsonValue::Null)});

    QJsonObject labels = json::labels(*service);
    labels.insert(QLatin1StringView(kServiceNameLabel), name);
    labels.insert(QLatin1StringView(kManagedByLabel), QLatin1StringView(kManagedBy));
    const QString now = m_ctx.clock->timestamp(m_ctx.clock->nowMs());

    for (qsizetype i = 0; i < desired.size(); ++i) {
        const Desired &want = desired.at(i);
        if (i < existing.size()) {
            const auto slice = m_ctx.store->get(Resources::endpointSlices(), ns, existing.at(i));
            if (slice && slice->value(u"endpoints") == want.endpoints &&
                slice->value(u"ports") == want.ports && json::labels(*slice) == labels &&
                slice->value(u"addressType").toString() == u"IPv4")
                continue; // unchanged: no write
            (void)m_ctx.registry->modify(
                Resources::endpointSlices(), ns, existing.at(i), [&](QJsonObject &o) {
                    json::set(o, {u"metadata", u"labels"}, labels);
                    json::setAnnotation(o, QString::fromLatin1(kTriggerTime), now);
                    o.insert(QStringLiteral("addressType"), QStringLiteral("IPv4"));
                    o.insert(QStringLiteral("endpoints"), want.endpoints);
                    o.insert(QStringLiteral("ports"), want.ports);
                    return true;
                });
            continue;
        }
        QJsonObject slice{
            {QStringLiteral("apiVersion"), QStringLiteral("discovery.k8s.io/v1")},
            {QStringLiteral("kind"), QStringLiteral("EndpointSlice")},
            {QStringLiteral("metadata"),
             QJsonObject{{QStringLiteral("generateName"), QString(name + u'-')},
                         {QStringLiteral("namespace"), ns},
                         {QStringLiteral("labels"), labels},
                         {QStringLiteral("annotations"),
                          QJsonObject{{QString::fromLatin1(kTriggerTime), now}}},
                         {QStringLiteral("ownerReferences"),
                          QJsonArray{ctrl::newControllerRef(*service)}}}},
            {QStringLiteral("addressType"), QStringLiteral("IPv4")},
            {QStringLiteral("endpoints"), want.endpoints},
            {QStringLiteral("ports"), want.ports},
        };
        (void)m_ctx.registry->create(Resources::endpointSlices(), ns, slice);
    }
    for (qsizetype i = desired.size(); i < existing.size(); ++i)
        (void)m_ctx.registry->remove(Resources::endpointSlices(), ns, existing.at(i));
}

} // namespace rollscope::sim
