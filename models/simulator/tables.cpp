// SPDX-License-Identifier: MIT
#include "tables.h"

#include "eventrecorder.h"
#include "json.h"
#include "selector.h"

#include <QSet>

#include <algorithm>

namespace rollscope::sim::Tables {

namespace {

const QString kNameDoc = QStringLiteral(
    "Name must be unique within a namespace. Is required when creating resources, although some "
    "resources may allow a client to request the generation of an appropriate name "
    "automatically. Name is primarily intended for creation idempotence and configuration "
    "definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names");
const QString kAgeDoc = QStringLiteral(
    "CreationTimestamp is a timestamp representing the server time when this object was created. "
    "It is not guaranteed to be set in happens-before order across separate operations. Clients "
    "may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the "
    "system. Read-only. Null for lists. More info: "
    "https://git.k8s.io/community/contributors/devel/sig-architecture/"
    "api-conventions.md#metadata");

QJsonObject column(const char *name, const char *type, const QString &description, int priority,
                   const char *format = "")
{
    return QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                       {QStringLiteral("type"), QLatin1StringView(type)},
                       {QStringLiteral("format"), QLatin1StringView(format)},
                       {QStringLiteral("description"), description},
                       {QStringLiteral("priority"), priority}};
}

QJsonObject nameColumn()
{
    return column("Name", "string", kNameDoc, 0, "name");
}

QJsonObject ageColumn()
{
    return column("Age", "string", kAgeDoc, 0);
}

// The wide columns of the workloads with a pod template (Deployments, ReplicaSets).
QJsonObject containersColumn()
{
    return column("Containers", "string",
                  QStringLiteral("Names of each container in the template."), 1);
}

QJsonObject imagesColumn()
{
    return column("Images", "string",
                  QStringLiteral("Images referenced by each container in the template."), 1);
}

QString age(const QJsonObject &object, qint64 now)
{
    const qint64 created =
        json::parseTimestamp(json::string(object, {u"metadata", u"creationTimestamp"}));
    if (created < 0)
        return QStringLiteral("<unknown>");
    return humanDuration(now - created);
}

QString since(const QString &timestamp, qint64 now)
{
    const qint64 t = json::parseTimestamp(timestamp);
    return t < 0 ? QStringLiteral("<unknown>") : humanDuration(now - t);
}

// labels.Selector.String(), `empty` for a selector without requirements.
QString selectorString(const QJsonObject &selector, const QString &empty)
{
    const auto parsed = LabelSelector::fromObject(selector);
    if (!parsed)
        return QStringLiteral("<invalid>");
    return parsed->isEmpty() ? empty : parsed->toString();
}

QString formatLabels(const QJsonObject &map)
{
    QStringList keys = map.keys();
    if (keys.isEmpty())
        return QStringLiteral("<none>");
    std::sort(keys.begin(), keys.end());
    QStringList parts;
    for (const QString &k : keys)
        parts << k + u'=' + map.value(k).toString();
    return parts.join(u',');
}

QPair<QString, QString> containerNamesAndImages(const QJsonObject &podSpec)
{
    QStringList names;
    QStringList images;
    for (const QJsonValue &c : podSpec.value(u"containers").toArray()) {
        names << c.toObject().value(u"name").toString();
        images << c.toObject().value(u"image").toString();
    }
    return {names.join(u','), images.join(u',')};
}

QJsonArray deploymentCells(const QJsonObject &d, qint64 now)
{
    const auto [names, images] =
        containerNamesAndImages(json::object(d, {u"spec", u"template", u"spec"}));
    return QJsonArray{json::name(d),
                      QStringLiteral("%1/%2")
                          .arg(json::integer(d, {u"status", u"readyReplicas"}))
                          .arg(json::integer(d, {u"spec", u"replicas"}, 1)),
                      json::integer(d, {u"status", u"updatedReplicas"}),
                      json::integer(d, {u"status", u"availableReplicas"}),
                      age(d, now),
                      names,
                      images,
                      selectorString(json::object(d, {u"spec", u"selector"}), QString())};
}

QJsonArray replicaSetCells(const QJsonObject &rs, qint64 now)
{
    const auto [names, images] =
        containerNamesAndImages(json::object(rs, {u"spec", u"template", u"spec"}));
    return QJsonArray{
        json::name(rs),
        json::integer(rs, {u"spec", u"replicas"}, 1),
        json::integer(rs, {u"status", u"replicas"}),
        json::integer(rs, {u"status", u"readyReplicas"}),
        age(rs, now),
        names,
        images,
        selectorString(json::object(rs, {u"spec", u"selector"}), QStringLiteral("<none>"))};
}

bool conditionTrue(const QJsonObject &pod, const QString &type)
{
    for (const QJsonValue &c : json::array(pod, {u"status", u"conditions"})) {
        if (c.toObject().value(u"type").toString() == type)
            return c.toObject().value(u"status").toString() == u"True";
    }
    return false;
}

QJsonArray podCells(const QJsonObject &pod, qint64 now)
{
    const QJsonObject spec = pod.value(u"spec").toObject();
    const QJsonObject status = pod.value(u"status").toObject();
    qint64 restarts = 0;
    qint64 ready = 0;
    qint64 total = spec.value(u"containers").toArray().size();
    qint64 lastRestart = -1;
    QString reason = status.value(u"phase").toString();
    if (!status.value(u"reason").toString().isEmpty())
        reason = status.value(u"reason").toString();

    const QJsonArray statuses = status.value(u"containerStatuses").toArray();
    bool hasRunning = false;
    for (qsizetype i = statuses.size() - 1; i >= 0; --i) {
        const QJsonObject cs = statuses.at(i).toObject();
        restarts += cs.value(u"restartCount").toInteger();
        const QJsonObject lastTerminated =
            cs.value(u"lastState").toObject().value(u"terminated").toObject();
        if (!lastTerminated.isEmpty())
            lastRestart = qMax(
                lastRestart, json::parseTimestamp(lastTerminated.value(u"finishedAt").toString()));
        const QJsonObject state = cs.value(u"state").toObject();
        const QJsonObject waiting = state.value(u"waiting").toObject();
        const QJsonObject terminated = state.value(u"terminated").toObject();
        if (!waiting.isEmpty() && !waiting.value(u"reason").toString().isEmpty()) {
            reason = waiting.value(u"reason").toString();
        } else if (!terminated.isEmpty() && !terminated.value(u"reason").toString().isEmpty()) {
            reason = terminated.value(u"reason").toString();
        } else if (!terminated.isEmpty()) {
            const qint64 signal = terminated.value(u"signal").toInteger();
            reason =
                signal != 0
                    ? QStringLiteral("Signal:%1").arg(signal)
                    : QStringLiteral("ExitCode:%1").arg(terminated.value(u"exitCode").toInteger());
        } else if (cs.value(u"ready").toBool() && state.contains(u"running")) {
            hasRunning = true;
            ++ready;
        }
    }
    if (reason == u"Completed" && hasRunning)
        reason = conditionTrue(pod, QStringLiteral("Ready")) ? QStringLiteral("Running")
                                                             : QStringLiteral("NotReady");
    const QString phase = status.value(u"phase").toString();
    if (json::isBeingDeleted(pod)) {
        if (status.value(u"reason").toString() == u"NodeLost")
            reason = QStringLiteral("Unknown");
        else if (phase != u"Succeeded" && phase != u"Failed")
            reason = QStringLiteral("Terminating");
    }
    QString restartsText = QString::number(restarts);
    if (restarts != 0 && lastRestart > 0)
        restartsText += QStringLiteral(" (%1 ago)").arg(humanDuration(now - lastRestart));

    const QJsonArray podIPs = status.value(u"podIPs").toArray();
    const QString ip = podIPs.isEmpty() ? QStringLiteral("<none>")
                                        : podIPs.first().toObject().value(u"ip").toString();
    const QString node = spec.value(u"nodeName").toString();
    const QString nominated = status.value(u"nominatedNodeName").toString();
    QString gates = QStringLiteral("<none>");
    const QJsonArray readinessGates = spec.value(u"readinessGates").toArray();
    if (!readinessGates.isEmpty()) {
        int trueCount = 0;
        for (const QJsonValue &g : readinessGates) {
            if (conditionTrue(pod, g.toObject().value(u"conditionType").toString()))
                ++trueCount;
        }
        gates = QStringLiteral("%1/%2").arg(trueCount).arg(readinessGates.size());
    }
    return QJsonArray{json::name(pod),
                      QStringLiteral("%1/%2").arg(ready).arg(total),
                      reason,
                      restartsText,
                      age(pod, now),
                      ip,
                      node.isEmpty() ? QStringLiteral("<none>") : node,
                      nominated.isEmpty() ? QStringLiteral("<none>") : nominated,
                      gates};
}

QJsonArray serviceCells(const QJsonObject &svc, qint64 now)
{
    const QJsonObject spec = svc.value(u"spec").toObject();
    const QString type = spec.value(u"type").toString();
    const QJsonArray clusterIPs = spec.value(u"clusterIPs").toArray();
    const QString clusterIp = clusterIPs.isEmpty() || clusterIPs.first().toString().isEmpty()
                                  ? QStringLiteral("<none>")
                                  : clusterIPs.first().toString();
    QStringList externalIPs;
    for (const QJsonValue &v : spec.value(u"externalIPs").toArray())
        externalIPs << v.toString();
    QString external;
    if (type == u"ClusterIP" || type == u"NodePort") {
        external = externalIPs.isEmpty() ? QStringLiteral("<none>") : externalIPs.join(u',');
    } else if (type == u"LoadBalancer") {
        QSet<QString> lb;
        for (const QJsonValue &v : json::array(svc, {u"status", u"loadBalancer", u"ingress"})) {
            const QJsonObject ingress = v.toObject();
            const QString ip = ingress.value(u"ip").toString();
            lb.insert(ip.isEmpty() ? ingress.value(u"hostname").toString() : ip);
        }
        QStringList sorted(lb.cbegin(), lb.cend());
        std::sort(sorted.begin(), sorted.end());
        sorted += externalIPs;
        external = sorted.isEmpty() ? QStringLiteral("<pending>") : sorted.join(u',');
    } else if (type == u"ExternalName") {
        external = spec.value(u"externalName").toString();
    } else {
        external = QStringLiteral("<unknown>");
    }
    QStringList ports;
    for (const QJsonValue &v : spec.value(u"ports").toArray()) {
        const QJsonObject p = v.toObject();
        const qint64 nodePort = p.value(u"nodePort").toInteger();
        if (nodePort > 0)
            ports << QStringLiteral("%1:%2/%3")
                         .arg(p.value(u"port").toInteger())
                         .arg(nodePort)
                         .arg(p.value(u"protocol").toString());
        else
            ports << QStringLiteral("%1/%2")
                         .arg(p.value(u"port").toInteger())
                         .arg(p.value(u"protocol").toString());
    }
    return QJsonArray{json::name(svc),
                      type,
                      clusterIp,
                      external,
                      ports.isEmpty() ? QStringLiteral("<none>") : ports.join(u','),
                      age(svc, now),
                      formatLabels(spec.value(u"selector").toObject())};
}

QJsonArray endpointsCells(const QJsonObject &ep, qint64 now)
{
    const QJsonArray subsets = ep.value(u"subsets").toArray();
    QString text;
    if (subsets.isEmpty()) {
        text = QStringLiteral("<none>");
    } else {
        QStringList list;
        bool more = false;
        qsizetype count = 0;
        for (const QJsonValue &s : subsets) {
            const QJsonObject subset = s.toObject();
            const QJsonArray addresses = subset.value(u"addresses").toArray();
            const QJsonArray ports = subset.value(u"ports").toArray();
            if (ports.isEmpty()) {
                count += addresses.size();
                for (const QJsonValue &a : addresses) {
                    if (list.size() == 3) {
                        more = true;
                        break;
                    }
                    list << a.toObject().value(u"ip").toString();
                }
                continue;
            }
            for (const QJsonValue &p : ports) {
                count += addresses.size();
                for (const QJsonValue &a : addresses) {
                    if (list.size() == 3) {
                        more = true;
                        break;
                    }
                    list << a.toObject().value(u"ip").toString() + u':' +
                                QString::number(p.toObject().value(u"port").toInteger());
                }
            }
        }
        text = list.join(u',');
        if (more)
            text += QStringLiteral(" + %1 more...").arg(count - 3);
    }
    return QJsonArray{json::name(ep), text, age(ep, now)};
}

QJsonArray endpointSliceCells(const QJsonObject &slice, qint64 now)
{
    auto limited = [](const QStringList &all) {
        if (all.isEmpty())
            return QStringLiteral("<unset>");
        QString text = all.mid(0, 3).join(u',');
        if (all.size() > 3)
            text += QStringLiteral(" + %1 more...").arg(all.size() - 3);
        return text;
    };
    QStringList ports;
    for (const QJsonValue &v : slice.value(u"ports").toArray()) {
        const QJsonObject p = v.toObject();
        if (p.contains(u"port"))
            ports << QString::number(p.value(u"port").toInteger());
        else if (p.contains(u"name"))
            ports << p.value(u"name").toString();
        else
            ports << QStringLiteral("*");
    }
    QStringList addresses;
    for (const QJsonValue &e : slice.value(u"endpoints").toArray()) {
        for (const QJsonValue &a : e.toObject().value(u"addresses").toArray())
            addresses << a.toString();
    }
    return QJsonArray{json::name(slice), slice.value(u"addressType").toString(), limited(ports),
                      limited(addresses), age(slice, now)};
}

QJsonArray eventCells(const QJsonObject &ev, qint64 now)
{
    const QJsonObject involved = ev.value(u"involvedObject").toObject();
    const QString kind = involved.value(u"kind").toString().toLower();
    const QString name = involved.value(u"name").toString();
    QString firstTs;
    if (!ev.value(u"firstTimestamp").toString().isEmpty())
        firstTs = since(ev.value(u"firstTimestamp").toString(), now);
    else if (!ev.value(u"eventTime").toString().isEmpty())
        firstTs = since(ev.value(u"eventTime").toString(), now);
    else
        firstTs = QStringLiteral("<unknown>");
    QString lastTs = ev.value(u"lastTimestamp").toString().isEmpty()
                         ? firstTs
                         : since(ev.value(u"lastTimestamp").toString(), now);
    qint64 count = ev.value(u"count").toInteger();
    const QJsonObject series = ev.value(u"series").toObject();
    if (!series.isEmpty()) {
        lastTs = since(series.value(u"lastObservedTime").toString(), now);
        count = series.value(u"count").toInteger();
    } else if (count == 0) {
        count = 1;
    }
    const QJsonObject source = ev.value(u"source").toObject();
    QString component = source.value(u"component").toString();
    if (component.isEmpty())
        component = ev.value(u"reportingComponent").toString();
    QString instance = source.value(u"host").toString();
    if (instance.isEmpty())
        instance = ev.value(u"reportingInstance").toString();
    return QJsonArray{lastTs,
                      ev.value(u"type").toString(),
                      ev.value(u"reason").toString(),
                      name.isEmpty() ? kind : kind + u'/' + name,
                      involved.value(u"fieldPath").toString(),
                      instance.isEmpty() ? component : component + QStringLiteral(", ") + instance,
                      ev.value(u"message").toString().trimmed(),
                      firstTs,
                      count,
                      json::name(ev)};
}

QJsonArray nodeCells(const QJsonObject &node, qint64 now)
{
    QString status = QStringLiteral("Unknown");
    for (const QJsonValue &c : json::array(node, {u"status", u"conditions"})) {
        if (c.toObject().value(u"type").toString() == u"Ready")
            status = c.toObject().value(u"status").toString() == u"True"
                         ? QStringLiteral("Ready")
                         : QStringLiteral("NotReady");
    }
    if (json::boolean(node, {u"spec", u"unschedulable"}))
        status += QStringLiteral(",SchedulingDisabled");
    QStringList roles;
    const QJsonObject labels = json::labels(node);
    for (auto it = labels.begin(); it != labels.end(); ++it) {
        if (it.key().startsWith(QStringLiteral("node-role.kubernetes.io/")) && it.key().size() > 24)
            roles << it.key().mid(24);
        else if (it.key() == u"kubernetes.io/role" && !it.value().toString().isEmpty())
            roles << it.value().toString();
    }
    roles.removeDuplicates();
    std::sort(roles.begin(), roles.end());
    auto address = [&](const QString &type) {
        for (const QJsonValue &a : json::array(node, {u"status", u"addresses"})) {
            if (a.toObject().value(u"type").toString() == type)
                return a.toObject().value(u"address").toString();
        }
        return QStringLiteral("<none>");
    };
    auto orUnknown = [](const QString &s) { return s.isEmpty() ? QStringLiteral("<unknown>") : s; };
    const QJsonObject info = json::object(node, {u"status", u"nodeInfo"});
    return QJsonArray{json::name(node),
                      status,
                      roles.isEmpty() ? QStringLiteral("<none>") : roles.join(u','),
                      age(node, now),
                      info.value(u"kubeletVersion").toString(),
                      address(QStringLiteral("InternalIP")),
                      address(QStringLiteral("ExternalIP")),
                      orUnknown(info.value(u"osImage").toString()),
                      orUnknown(info.value(u"kernelVersion").toString()),
                      orUnknown(info.value(u"containerRuntimeVersion").toString())};
}

QJsonArray namespaceCells(const QJsonObject &ns, qint64 now)
{
    return QJsonArray{json::name(ns), json::string(ns, {u"status", u"phase"}), age(ns, now)};
}

} // namespace

QJsonArray columnDefinitions(const ResourceType &type)
{
    if (type == Resources::deployments())
        return {nameColumn(),
                column("Ready", "string", QStringLiteral("Number of the pod with ready state"), 0),
                column("Up-to-date", "string",
                       QStringLiteral("Total number of non-terminated pods targeted by this "
                                      "deployment that have the desired template spec."),
                       0),
                column("Available", "string",
                       QStringLiteral("Total number of available pods (ready for at least "
                                      "minReadySeconds) targeted by this deployment."),
                       0),
                ageColumn(),
                containersColumn(),
                imagesColumn(),
                column("Selector", "string",
                       QStringLiteral("Label selector for pods. Existing ReplicaSets whose pods "
                                      "are selected by this will be the ones affected by this "
                                      "deployment."),
                       1)};
    if (type == Resources::replicaSets())
        return {nameColumn(),
                column("Desired", "integer",
                       QStringLiteral("Replicas is the number of desired replicas."), 0),
                column("Current", "integer",
                       QStringLiteral("Replicas is the most recently observed number of "
                                      "replicas."),
                       0),
                column("Ready", "integer",
                       QStringLiteral("readyReplicas is the number of pods targeted by this "
                                      "ReplicaSet with a Ready Condition."),
                       0),
                ageColumn(),
                containersColumn(),
                imagesColumn(),
                column("Selector", "string",
                       QStringLiteral("Selector is a label query over pods that should match the "
                                      "replica count."),
                       1)};
    if (type == Resources::pods())
        return {nameColumn(),
                column("Ready", "string",
                       QStringLiteral("The aggregate readiness state of this pod for accepting "
                                      "traffic."),
                       0),
                column("Status", "string",
                       QStringLiteral("The aggregate status of the containers in this pod."), 0),
                column("Restarts", "string",
                       QStringLiteral("The number of times the containers in this pod have been "
                                      "restarted and when the last container in this pod has "
                                      "restarted."),
                       0),
                ageColumn(),
                column("IP", "string",
                       QStringLiteral("IP address allocated to the pod. Routable at least within "
                                      "the cluster. Empty if not yet allocated."),
                       1),
                column("Node", "string",
                       QStringLiteral("NodeName is a request to schedule this pod onto a specific "
                                      "node."),
                       1),
                column("Nominated Node", "string",
                       QStringLiteral("nominatedNodeName is set only when this pod preempts other "
                                      "pods on the node."),
                       1),
                column("Readiness Gates", "string",
                       QStringLiteral("If specified, all readiness gates will be evaluated for "
                                      "pod readiness."),
                       1)};
    if (type == Resources::services())
        return {nameColumn(),
                column("Type", "string",
                       QStringLiteral("type determines how the Service is exposed."), 0),
                column("Cluster-IP", "string",
                       QStringLiteral("clusterIP is the IP address of the service."), 0),
                column("External-IP", "string",
                       QStringLiteral("externalIPs is a list of IP addresses for which nodes in "
                                      "the cluster will also accept traffic for this service."),
                       0),
                column("Port(s)", "string",
                       QStringLiteral("The list of ports that are exposed by this service."), 0),
                ageColumn(),
                column("Selector", "string",
                       QStringLiteral("Route service traffic to pods with label keys and values "
                                      "matching this selector."),
                       1)};
    if (type == Resources::endpoints())
        return {nameColumn(),
                column("Endpoints", "string",
                       QStringLiteral("The set of all endpoints is the union of all subsets."), 0),
                ageColumn()};
    if (type == Resources::endpointSlices())
        return {nameColumn(),
                column("AddressType", "string",
                       QStringLiteral("addressType specifies the type of address carried by this "
                                      "EndpointSlice."),
                       0),
                column("Ports", "string",
                       QStringLiteral("ports specifies the list of network ports exposed by each "
                                      "endpoint in this slice."),
                       0),
                column("Endpoints", "string",
                       QStringLiteral("endpoints is a list of unique endpoints in this slice."), 0),
                ageColumn()};
    if (type == Resources::events() || type == Resources::eventsV1())
        return {
            column("Last Seen", "string",
                   QStringLiteral("The time at which the most recent occurrence of this event "
                                  "was recorded."),
                   0),
            column("Type", "string", QStringLiteral("Type of this event (Normal, Warning)."), 0),
            column("Reason", "string",
                   QStringLiteral("This should be a short, machine understandable string that "
                                  "gives the reason for the transition into the object's "
                                  "current status."),
                   0),
            column("Object", "string", QStringLiteral("The object that this event is about."), 0),
            column("Subobject", "string",
                   QStringLiteral("The field of the object that this event is about."), 1),
            column("Source", "string", QStringLiteral("The component reporting this event."), 1),
            column("Message", "string",
                   QStringLiteral("A human-readable description of the status of this "
                                  "operation."),
                   0),
            column("First Seen", "string",
                   QStringLiteral("The time at which the event was first recorded."), 1),
            column("Count", "string",
                   QStringLiteral("The number of times this event has occurred."), 1),
            column("Name", "string", kNameDoc, 1, "name")};
    if (type == Resources::nodes())
        return {
            nameColumn(),
            column("Status", "string", QStringLiteral("The status of the node"), 0),
            column("Roles", "string", QStringLiteral("The roles of the node"), 0),
            ageColumn(),
            column("Version", "string", QStringLiteral("Kubelet Version reported by the node."), 0),
            column("Internal-IP", "string",
                   QStringLiteral("List of addresses reachable to the node."), 1),
            column("External-IP", "string",
                   QStringLiteral("List of addresses reachable to the node."), 1),
            column("OS-Image", "string",
                   QStringLiteral("OS Image reported by the node from /etc/os-release."), 1),
            column("Kernel-Version", "string",
                   QStringLiteral("Kernel Version reported by the node."), 1),
            column("Container-Runtime", "string",
                   QStringLiteral("ContainerRuntime Version reported by the node."), 1)};
    if (type == Resources::namespaces())
        return {nameColumn(),
                column("Status", "string", QStringLiteral("The status of the namespace"), 0),
                ageColumn()};
    return {nameColumn(), column("Created At", "date", kAgeDoc, 0)};
}

QJsonArray cells(const ResourceType &type, const QJsonObject &object, qint64 now)
{
    if (type == Resources::deployments())
        return deploymentCells(object, now);
    if (type == Resources::replicaSets())
        return replicaSetCells(object, now);
    if (type == Resources::pods())
        return podCells(object, now);
    if (type == Resources::services())
        return serviceCells(object, now);
    if (type == Resources::endpoints())
        return endpointsCells(object, now);
    if (type == Resources::endpointSlices())
        return endpointSliceCells(object, now);
    if (type == Resources::events())
        return eventCells(object, now);
    if (type == Resources::eventsV1()) // printed from the same fields, as the real printer does
        return eventCells(EventsV1::toCore(object), now);
    if (type == Resources::nodes())
        return nodeCells(object, now);
    if (type == Resources::namespaces())
        return namespaceCells(object, now);
    return {json::name(object), json::string(object, {u"metadata", u"creationTimestamp"})};
}

QJsonObject row(const ResourceType &type, const QJsonObject &object, qint64 now,
                IncludeObject include)
{
    QJsonObject r{{QStringLiteral("cells"), cells(type, object, now)}};
    switch (include) {
    case IncludeObject::Metadata:
        r.insert(QStringLiteral("object"),
                 QJsonObject{{QStringLiteral("kind"), QStringLiteral("PartialObjectMetadata")},
                             {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
                             {QStringLiteral("metadata"), object.value(u"metadata")}});
        break;
    case IncludeObject::Object:
        r.insert(QStringLiteral("object"), object);
        break;
    case IncludeObject::None:
        r.insert(QStringLiteral("object"), QJsonValue(QJsonValue::Null));
        break;
    }
    if (type == Resources::pods()) {
        const QString phase = json::string(object, {u"status", u"phase"});
        if (phase == u"Succeeded" || phase == u"Failed")
            r.insert(
                QStringLiteral("conditions"),
                QJsonArray{QJsonObject{{QStringLiteral("type"), QStringLiteral("Completed")},
                                       {QStringLiteral("status"), QStringLiteral("True")},
                                       {QStringLiteral("reason"), phase},
                                       {QStringLiteral("message"),
                                        phase == u"Succeeded"
                                            ? QStringLiteral("The pod has completed successfully.")
                                            : QStringLiteral("The pod failed.")}}});
    }
    return r;
}

QJsonObject table(const ResourceType &type, const QList<QJsonObject> &objects, qint64 now,
                  IncludeObject include, bool withColumns, const QJsonObject &listMetadata)
{
    QJsonArray rows;
    for (const QJsonObject &o : objects)
        rows.append(row(type, o, now, include));
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Table")},
        {QStringLiteral("apiVersion"), QStringLiteral("meta.k8s.io/v1")},
        {QStringLiteral("metadata"), listMetadata},
        {QStringLiteral("columnDefinitions"),
         withColumns ? QJsonValue(columnDefinitions(type)) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("rows"), rows},
    };
}

} // namespace rollscope::sim::Tables
