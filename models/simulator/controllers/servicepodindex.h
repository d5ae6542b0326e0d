// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"
#include "simulator/selector.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>

namespace rollscope::sim {

struct StoreEvent;

// The pod and Service informers the endpoints and EndpointSlice controllers share. It keeps
// what they read of each pod (address, node, readiness, deletion, labels, named ports) and an
// inverted label index, so that a pod change reaches only the Services whose selector matches
// it, and a Service sync reads only its own pods. Listeners hear the Service keys to sync;
// a pod change that does not touch what endpoints show notifies nobody. It is an informer, not
// a controller, but subscribes and lists as they do; start() is idempotent.
class ServicePodIndex final : public Controller
{
public:
    struct PodInfo
    {
        QString ns;
        QString name;
        QString uid;
        QString ip;
        QString nodeName;
        QJsonObject labels;
        QJsonArray ports; // [{name, containerPort, protocol}] of every container
        bool ready = false;
        bool terminating = false;
        bool terminal = false;

        bool operator==(const PodInfo &other) const = default;
    };
    using Listener = std::function<void(const QString &serviceKey)>;

    explicit ServicePodIndex(const SimContext &context);

    void addListener(Listener listener) { m_listeners << std::move(listener); }

    // The pods in the Service's namespace that its selector matches (any state).
    QList<const PodInfo *> podsFor(const QString &ns, const LabelSelector &selector) const;
    // Service keys whose selector matches `labels` in `ns`.
    QSet<QString> servicesFor(const QString &ns, const QJsonObject &labels) const;

    // targetPort resolution (podutil.FindPort): a number as is, a name through the pod's
    // container ports; nullopt when the pod has no such named port.
    static std::optional<int> resolvePort(const PodInfo &pod, const QJsonObject &servicePort);

private:
    struct ServiceInfo
    {
        QString ns;
        LabelSelector selector;
        QStringList labelKeys; // "ns\x1fkey=value" of the Equals requirements
        bool scan = false;     // no Equals requirement: checked against every pod change
    };

    void onPod(const StoreEvent &event);
    void onService(const StoreEvent &event);
    void notify(const QSet<QString> &services);
    void unindexLabels(const QString &podKey, const PodInfo &pod);
    static QString labelKey(const QString &ns, const QString &key, const QString &value);

    QList<Listener> m_listeners;
    QHash<QString, PodInfo> m_pods;                  // pod key -> info
    QHash<QString, QSet<QString>> m_podsByLabel;     // "ns\x1fk=v" -> pod keys
    QHash<QString, QSet<QString>> m_podsByNamespace; // ns -> pod keys
    QHash<QString, ServiceInfo> m_services;          // service key -> selector
    QHash<QString, QSet<QString>> m_servicesByLabel; // "ns\x1fk=v" -> service keys
    QHash<QString, QSet<QString>> m_scanServices;    // ns -> service keys without Equals
};

} // namespace rollscope::sim
