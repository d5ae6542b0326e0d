// SPDX-License-Identifier: MIT
#include "servicepodindex.h"

#include "controllerutil.h"
#include "simulator/json.h"
#include "simulator/store.h"

namespace rollscope::sim {

ServicePodIndex::ServicePodIndex(const SimContext &context)
    : Controller(context)
{
    inform(Resources::services(), [this](const StoreEvent &e) { onService(e); });
    inform(Resources::pods(), [this](const StoreEvent &e) { onPod(e); });
}

QString ServicePodIndex::labelKey(const QString &ns, const QString &key, const QString &value)
{
    return ns + u'\x1f' + key + u'=' + value;
}

void ServicePodIndex::notify(const QSet<QString> &services)
{
    for (const QString &key : services) {
        for (const Listener &listener : std::as_const(m_listeners))
            listener(key);
    }
}

void ServicePodIndex::unindexLabels(const QString &podKey, const PodInfo &pod)
{
    for (auto l = pod.labels.begin(); l != pod.labels.end(); ++l)
        ctrl::unindex(m_podsByLabel, labelKey(pod.ns, l.key(), l.value().toString()), podKey);
}

void ServicePodIndex::onPod(const StoreEvent &e)
{
    const ctrl::PodFacts &facts = ctrl::podFacts(e);
    const QString key = facts.key;
    std::optional<PodInfo> old;
    if (const auto it = m_pods.constFind(key); it != m_pods.cend())
        old = *it;

    if (e.type == EventType::Deleted) {
        if (!old)
            return;
        unindexLabels(key, *old);
        ctrl::unindex(m_podsByNamespace, old->ns, key);
        m_pods.remove(key);
        notify(servicesFor(old->ns, old->labels));
        return;
    }

    PodInfo info;
    info.ns = facts.ns;
    info.name = facts.name;
    info.uid = facts.uid;
    info.ip = facts.podIp;
    info.nodeName = facts.nodeName;
    info.labels = facts.labels;
    info.ready = facts.ready;
    info.terminating = facts.deleting;
    info.terminal = facts.terminal;
    info.ports = facts.ports;
    if (old && *old == info)
        return; // nothing endpoints show has changed

    if (!old || old->labels != info.labels) {
        if (old)
            unindexLabels(key, *old);
        for (auto l = info.labels.begin(); l != info.labels.end(); ++l)
            m_podsByLabel[labelKey(info.ns, l.key(), l.value().toString())].insert(key);
    }
    m_podsByNamespace[info.ns].insert(key);
    m_pods.insert(key, info);

    // A pod without an address, never in endpoints before or now, concerns nobody.
    const bool wasVisible = old && !old->ip.isEmpty() && !old->terminal;
    const bool isVisible = !info.ip.isEmpty() && !info.terminal;
    if (!wasVisible && !isVisible)
        return;
    QSet<QString> services = servicesFor(info.ns, info.labels);
    if (old && old->labels != info.labels)
        services.unite(servicesFor(old->ns, old->labels));
    notify(services);
}

void ServicePodIndex::onService(const StoreEvent &e)
{
    const QString key = ctrl::keyOf(e.object);
    if (const auto it = m_services.constFind(key); it != m_services.cend()) {
        for (const QString &lk : it->labelKeys) {
            ctrl::unindex(m_servicesByLabel, lk, key);
        }
        if (it->scan) {
            ctrl::unindex(m_scanServices, it->ns, key);
        }
        m_services.erase(it);
    }
    if (e.type != EventType::Deleted) {
        // Service selectors are plain maps; no selector means no managed endpoints.
        const QJsonObject selector = json::object(e.object, {u"spec", u"selector"});
        if (!selector.isEmpty()) {
            ServiceInfo info;
            info.ns = json::ns(e.object);
            info.selector = LabelSelector::fromMap(selector);
            for (auto it = selector.begin(); it != selector.end(); ++it) {
                const QString lk = labelKey(info.ns, it.key(), it.value().toString());
                info.labelKeys << lk;
                m_servicesByLabel[lk].insert(key);
            }
            info.scan = info.labelKeys.isEmpty();
            if (info.scan)
                m_scanServices[info.ns].insert(key);
            m_services.insert(key, info);
        }
    }
    notify({key});
}

QSet<QString> ServicePodIndex::servicesFor(const QString &ns, const QJsonObject &labels) const
{
    QSet<QString> result;
    QSet<QString> candidates = m_scanServices.value(ns);
    for (auto l = labels.begin(); l != labels.end(); ++l)
        candidates.unite(m_servicesByLabel.value(labelKey(ns, l.key(), l.value().toString())));
    for (const QString &key : std::as_const(candidates)) {
        const auto it = m_services.constFind(key);
        if (it != m_services.cend() && it->selector.matches(labels))
            result.insert(key);
    }
    return result;
}

QList<const ServicePodIndex::PodInfo *>
ServicePodIndex::podsFor(const QString &ns, const LabelSelector &selector) const
{
    // Start from the smallest posting list among the selector's equalities.
    const QSet<QString> *smallest = nullptr;
    static const QSet<QString> empty;
    for (const LabelSelector::Requirement &req : selector.requirements()) {
        if (req.op != LabelSelector::Op::Equals)
            continue;
        const auto it = m_podsByLabel.constFind(labelKey(ns, req.key, req.values.value(0)));
        if (it == m_podsByLabel.cend()) {
            smallest = &empty;
            break;
        }
        if (!smallest || it->size() < smallest->size())
            smallest = &*it;
    }
    if (!smallest) {
        const auto it = m_podsByNamespace.constFind(ns);
        smallest = it == m_podsByNamespace.cend() ? &empty : &*it;
    }
    QList<const PodInfo *> result;
    for (const QString &key : *smallest) {
        const auto it = m_pods.constFind(key);
        if (it != m_pods.cend() && selector.matches(it->labels))
            result << &*it;
    }
    return result;
}

std::optional<int> ServicePodIndex::resolvePort(const PodInfo &pod, const QJsonObject &servicePort)
{
    const QJsonValue target = servicePort.value(u"targetPort");
    if (target.isDouble())
        return int(target.toInteger());
    const QString name = target.toString();
    if (name.isEmpty())
        return int(servicePort.value(u"port").toInteger());
    bool numeric = false;
    const int asNumber = name.toInt(&numeric);
    if (numeric)
        return asNumber;
    const QString protocol = servicePort.value(u"protocol").toString(QStringLiteral("TCP"));
    for (const QJsonValue &v : pod.ports) {
        const QJsonObject p = v.toObject();
        if (p.value(u"name").toString() == name &&
            p.value(u"protocol").toString(QStringLiteral("TCP")) == protocol)
            return int(p.value(u"containerPort").toInteger());
    }
    return std::nullopt;
}

} // namespace rollscope::sim
