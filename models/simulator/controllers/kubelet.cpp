// SPDX-License-Identifier: MIT
#include "kubelet.h"

#include "controllerutil.h"
#include "simulator/eventrecorder.h"
#include "simulator/json.h"
#include "simulator/podruntime.h"
#include "simulator/registry.h"
#include "simulator/store.h"

#include <QCryptographicHash>

#include <algorithm>

namespace rollscope::sim {

namespace {

constexpr qint64 kMaxBackOffMs = 300'000;
constexpr qint64 kInitialBackOffMs = 10'000;
// Hosts per pod-address block (.2 .. .254; .1 is the node's bridge).
constexpr int kHostsPerBlock = 253;

QString kubeletComponent()
{
    return QString::fromLatin1(Kubelet::kComponent);
}

// Second octets of the pod address blocks: 10.244/14 first, then the rest of 10/8 apart from
// the Service range 10.96/12.
const QList<int> &secondOctets()
{
    static const QList<int> octets = [] {
        QList<int> list;
        for (int i = 244; i <= 255; ++i)
            list << i;
        for (int i = 0; i <= 95; ++i)
            list << i;
        for (int i = 112; i <= 243; ++i)
            list << i;
        return list;
    }();
    return octets;
}

QByteArray sha256Hex(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex();
}

QString imageIdFor(const QString &normalized)
{
    if (const qsizetype at = normalized.indexOf(u'@'); at >= 0)
        return normalized;
    const qsizetype slash = normalized.lastIndexOf(u'/');
    const qsizetype colon = normalized.lastIndexOf(u':');
    const QString repository = colon > slash ? normalized.left(colon) : normalized;
    return repository + QStringLiteral("@sha256:") + QString::fromLatin1(sha256Hex(normalized));
}

qint64 imageSize(const QString &normalized)
{
    const QByteArray h = QCryptographicHash::hash(normalized.toUtf8(), QCryptographicHash::Md5);
    quint32 v = 0;
    for (int i = 0; i < 4; ++i)
        v = (v << 8) | quint8(h.at(i));
    return 10'000'000 + qint64(v % 80'000'000);
}

qint64 earliest(std::initializer_list<qint64> times)
{
    qint64 best = -1;
    for (const qint64 t : times) {
        if (t >= 0 && (best < 0 || t < best))
            best = t;
    }
    return best;
}

// The times are wall-clock instants (SimClock::toWallMs).
QJsonObject terminatedState(int exitCode, const QString &reason, qint64 startedAt,
                            qint64 finishedAt, const QString &containerId)
{
    return QJsonObject{{QStringLiteral("terminated"),
                        QJsonObject{{QStringLiteral("exitCode"), exitCode},
                                    {QStringLiteral("reason"), reason},
                                    {QStringLiteral("startedAt"), json::timestamp(startedAt)},
                                    {QStringLiteral("finishedAt"), json::timestamp(finishedAt)},
                                    {QStringLiteral("containerID"), containerId}}}};
}

} // namespace

// --- static helpers ---------------------------------------------------------------------------

qint64 Kubelet::backOffMs(int failures)
{
    if (failures <= 0)
        return 0;
    qint64 backOff = kInitialBackOffMs;
    for (int i = 1; i < failures && backOff < kMaxBackOffMs; ++i)
        backOff *= 2;
    return qMin(backOff, kMaxBackOffMs);
}

QString Kubelet::goDuration(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("0s");
    const bool negative = ms < 0;
    if (negative)
        ms = -ms;
    QString out;
    if (ms < 1000) {
        out = QString::number(ms) + QStringLiteral("ms");
    } else {
        const qint64 hours = ms / 3'600'000;
        const qint64 minutes = (ms / 60'000) % 60;
        const qint64 seconds = (ms / 1000) % 60;
        const qint64 millis = ms % 1000;
        if (hours > 0)
            out += QString::number(hours) + u'h';
        if (hours > 0 || minutes > 0)
            out += QString::number(minutes) + u'm';
        out += QString::number(seconds);
        if (millis > 0) {
            QString fraction = QStringLiteral("%1").arg(millis, 3, 10, QLatin1Char('0'));
            while (fraction.endsWith(u'0'))
                fraction.chop(1);
            out += u'.' + fraction;
        }
        out += u's';
    }
    return negative ? u'-' + out : out;
}

QString Kubelet::normalizedImage(const QString &image)
{
    QString name = image;
    QString suffix;
    if (const qsizetype at = name.indexOf(u'@'); at >= 0) {
        suffix = name.mid(at);
        name = name.left(at);
    }
    const qsizetype slash = name.lastIndexOf(u'/');
    const qsizetype colon = name.lastIndexOf(u':');
    if (colon > slash) {
        suffix = name.mid(colon) + suffix;
        name = name.left(colon);
    } else if (suffix.isEmpty()) {
        suffix = QStringLiteral(":latest");
    }
    const qsizetype firstSlash = name.indexOf(u'/');
    const QString first = firstSlash < 0 ? QString() : name.left(firstSlash);
    const bool hasDomain =
        !first.isEmpty() && (first.contains(u'.') || first.contains(u':') || first == u"localhost");
    if (!hasDomain)
        name = QStringLiteral("docker.io/") +
               (firstSlash < 0 ? QStringLiteral("library/") + name : name);
    return name + suffix;
}

// --- lifecycle ----------------------------------------------------------------------------------

Kubelet::Kubelet(const SimContext &context)
    : Controller(context)
{
    inform(Resources::nodes(), [this](const StoreEvent &e) { onNode(e); });
    inform(Resources::pods(), [this](const StoreEvent &e) { onPod(e); });
}

Kubelet::~Kubelet()
{
    for (const Pod &pod : std::as_const(m_pods)) {
        if (pod.timer != 0)
            m_ctx.clock->cancel(pod.timer);
    }
}

void Kubelet::onNode(const StoreEvent &e)
{
    const QString name = json::name(e.object);
    if (e.type == EventType::Deleted) {
        m_nodes.remove(name);
        return;
    }
    const bool isNew = !m_nodes.contains(name);
    NodeState &node = m_nodes[name];
    if (isNew) {
        static const QString prefix = QStringLiteral("sim-node-");
        bool ok = false;
        const int n = name.startsWith(prefix) ? name.mid(prefix.size()).toInt(&ok) : 0;
        node.index = ok && n > 0 ? n - 1 : m_nextCustomNodeIndex++ % 256;
    }
    node.address = QStringLiteral("127.0.0.1");
    for (const QJsonValue &v : json::array(e.object, {u"status", u"addresses"})) {
        const QJsonObject address = v.toObject();
        if (address.value(u"type").toString() == u"InternalIP") {
            node.address = address.value(u"address").toString();
            break;
        }
    }
    if (!isNew)
        return;
    // Pods bound before their node registered start now.
    QList<QJsonObject> waiting;
    m_ctx.store->forEach(Resources::pods(), {}, [&](const QJsonObject &pod) {
        if (json::string(pod, {u"spec", u"nodeName"}) == name)
            waiting << pod;
        return true;
    });
    for (const QJsonObject &pod : std::as_const(waiting)) {
        StoreEvent synthetic;
        synthetic.type = EventType::Modified;
        synthetic.resource = &Resources::pods();
        synthetic.object = pod;
        onPod(synthetic);
    }
}

void Kubelet::onPod(const StoreEvent &e)
{
    const ctrl::PodFacts &facts = ctrl::podFacts(e);
    const QString key = facts.key;
    if (e.type == EventType::Deleted) {
        forget(key);
        return;
    }
    const QString node = facts.nodeName;
    if (node.isEmpty() || !m_nodes.contains(node))
        return;
    const QString uid = facts.uid;
    auto it = m_pods.find(key);
    if (it != m_pods.end() && it->uid != uid) {
        forget(key);
        it = m_pods.end();
    }
    const bool deleting = facts.deleting;
    if (it != m_pods.end())
        it->resourceVersion = facts.resourceVersion;
    if (it == m_pods.end()) {
        if (facts.terminal)
            return;
        Pod pod;
        pod.ns = json::ns(e.object);
        pod.name = json::name(e.object);
        pod.uid = uid;
        pod.resourceVersion = facts.resourceVersion;
        pod.node = node;
        pod.annotations = json::object(e.object, {u"metadata", u"annotations"});
        pod.restartPolicy = json::string(e.object, {u"spec", u"restartPolicy"});
        for (const QJsonValue &v : json::array(e.object, {u"spec", u"containers"})) {
            const QJsonObject spec = v.toObject();
            Container c;
            c.name = spec.value(u"name").toString();
            c.image = spec.value(u"image").toString();
            c.pullPolicy = spec.value(u"imagePullPolicy").toString();
            c.behavior = behaviorFor(c.image, pod.annotations);
            c.waitingReason = QStringLiteral("ContainerCreating");
            const QJsonValue period =
                spec.value(u"readinessProbe").toObject().value(u"periodSeconds");
            if (period.isDouble() && period.toInteger() > 0)
                c.probePeriodMs = period.toInteger() * 1000;
            pod.containers << c;
        }
        pod.deleteRequested = deleting;
        it = m_pods.insert(key, pod);
        if (!deleting && adopt(*it, e.object))
            return;
        arm(*it, m_ctx.clock->nowMs());
        return;
    }
    if (deleting && !it->deleteRequested) {
        it->deleteRequested = true;
        arm(*it, m_ctx.clock->nowMs());
    }
    // A terminated pod held by finalizers goes once they are gone.
    if (it->terminal && deleting && !facts.hasFinalizers)
        arm(*it, m_ctx.clock->nowMs());
}

void Kubelet::arm(Pod &pod, qint64 at)
{
    if (pod.timer != 0 && pod.timerAt <= at)
        return;
    if (pod.timer != 0)
        m_ctx.clock->cancel(pod.timer);
    const QString key = ctrl::key(pod.ns, pod.name);
    pod.timerAt = at;
    pod.timer = m_ctx.clock->callAt(at, [this, key] { run(key); });
}

void Kubelet::rearm(Pod &pod)
{
    qint64 next = -1;
    for (const Container &c : std::as_const(pod.containers))
        next = earliest({next, c.dueAt});
    next = earliest({next, pod.listenAt, pod.exitAt});
    if (pod.deleteRequested && !pod.terminating && !pod.terminal)
        next = earliest({next, m_ctx.clock->nowMs()});
    if (next == pod.timerAt && pod.timer != 0)
        return;
    if (pod.timer != 0) {
        m_ctx.clock->cancel(pod.timer);
        pod.timer = 0;
        pod.timerAt = -1;
    }
    if (next >= 0)
        arm(pod, next);
}

void Kubelet::run(const QString &key)
{
    const auto it = m_pods.find(key);
    if (it == m_pods.end())
        return;
    Pod &pod = *it;
    pod.timer = 0;
    pod.timerAt = -1;
    const qint64 now = m_ctx.clock->nowMs();
    bool changed = false;

    if (pod.terminal) {
        // Waiting for finalizers: erase once they are gone.
        finalErase(pod);
        return;
    }
    if (!pod.admitted) {
        if (pod.deleteRequested) {
            // Deleted before the kubelet got to it: nothing ran, nothing to stop.
            finalErase(pod);
            return;
        }
        admit(pod, now);
        changed = true;
    }
    if (pod.deleteRequested && !pod.terminating) {
        if (!std::any_of(pod.containers.cbegin(), pod.containers.cend(), [](const Container &c) {
                return c.stage == Stage::Running || c.stage == Stage::Starting;
            })) {
            finalErase(pod); // nothing running: the pod goes at once
            return;
        }
        beginTermination(pod, now);
    }
    // Process everything due now, including what the steps make due now.
    for (int guard = 0; guard < 64; ++guard) {
        bool any = false;
        for (int i = 0; i < pod.containers.size(); ++i) {
            Container &c = pod.containers[i];
            if (c.dueAt >= 0 && c.dueAt <= now) {
                any = true;
                changed = step(pod, c, i, now) || changed;
            }
        }
        if (!any)
            break;
    }
    if (pod.listenAt >= 0 && pod.listenAt <= now) {
        pod.listenAt = -1;
        pod.listening = true;
        emitRuntime(pod);
    }
    if (pod.exitAt >= 0 && pod.exitAt <= now) {
        finishTermination(pod, now); // ends with the final delete: `pod` is gone after this
        return;
    }
    if (changed)
        writeStatus(pod, now);
    // writeStatus can delete nothing, so `pod` is still valid here.
    rearm(pod);
}

bool Kubelet::adopt(Pod &pod, const QJsonObject &object)
{
    const QJsonObject status = object.value(u"status").toObject();
    const QJsonArray statuses = status.value(u"containerStatuses").toArray();
    const QString podIp = status.value(u"podIP").toString();
    const qint64 startTime = m_ctx.clock->parseTimestamp(status.value(u"startTime").toString());
    NodeState &node = m_nodes[pod.node];
    const int slot = podAddressSlot(podIp);
    if (status.value(u"phase").toString() != u"Running" || startTime < 0 || slot < 0 ||
        podIp != podAddress(node.index, slot) || node.usedSlots.contains(slot) ||
        pod.containers.isEmpty() || statuses.size() != pod.containers.size())
        return false;
    // Every container running and ready, with an app that stays so (no crash, no failing
    // probe): nothing of its lifecycle is left to drive but its end.
    QList<Container> containers = pod.containers;
    for (qsizetype i = 0; i < containers.size(); ++i) {
        Container &c = containers[i];
        const QJsonObject s = statuses.at(i).toObject();
        const QJsonObject running = s.value(u"state").toObject().value(u"running").toObject();
        const qint64 startedAt =
            m_ctx.clock->parseTimestamp(running.value(u"startedAt").toString());
        const QString id = s.value(u"containerID").toString();
        if (s.value(u"name").toString() != c.name || !s.value(u"ready").toBool() || startedAt < 0 ||
            id.isEmpty() || !c.behavior.exists || c.behavior.invalidName || c.behavior.neverReady ||
            c.behavior.crashAfterMs >= 0)
            return false;
        c.stage = Stage::Running;
        c.everCreated = true;
        c.started = true;
        c.ready = true;
        c.startedAt = startedAt;
        c.containerId = id;
        c.restartCount = s.value(u"restartCount").toInt();
        c.lastState = s.value(u"lastState").toObject();
        c.waitingReason.clear();
        // The node has the image it runs.
        const QString image = normalizedImage(c.image);
        if (const auto present = node.images.constFind(image);
            present == node.images.cend() || *present > startedAt)
            node.images.insert(image, startedAt);
    }
    pod.containers = containers;
    pod.admitted = true;
    pod.hostIp = status.value(u"hostIP").toString();
    pod.podIp = podIp;
    pod.ipSlot = slot;
    node.usedSlots.insert(slot);
    node.nextSlot = std::max(node.nextSlot, slot + 1);
    pod.startTime = startTime;
    pod.cursor = int(containers.size());
    pod.listening = true;
    emitRuntime(pod);
    return true;
}

void Kubelet::admit(Pod &pod, qint64 now)
{
    pod.admitted = true;
    pod.hostIp = m_nodes.value(pod.node).address;
    pod.podIp = allocateIp(pod);
    pod.startTime = now;
    pod.cursor = 0;
    if (!pod.containers.isEmpty())
        pod.containers[0].dueAt = now;
}

bool Kubelet::step(Pod &pod, Container &c, int index, qint64 now)
{
    c.dueAt = -1;
    switch (c.stage) {
    case Stage::Queued: {
        if (c.behavior.invalidName) {
            c.stage = Stage::Invalid;
            c.waitingReason = QStringLiteral("InvalidImageName");
            c.waitingMessage =
                QStringLiteral("Failed to apply default image tag \"%1\": couldn't parse image "
                               "name \"%1\": invalid reference format")
                    .arg(c.image);
            containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("InspectFailed"),
                           c.waitingMessage);
            containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("Failed"),
                           QStringLiteral("Error: InvalidImageName"));
            c.dueAt = now + kErrorRetryMs;
            advanceCursor(pod, index, now);
            return true;
        }
        const QString image = normalizedImage(c.image);
        const NodeState &node = m_nodes[pod.node];
        const auto present = node.images.constFind(image);
        if (c.pullPolicy != u"Always" && present != node.images.cend() && *present <= now) {
            containerEvent(
                pod, c, QStringLiteral("Normal"), QStringLiteral("Pulled"),
                QStringLiteral("Container image \"%1\" already present on machine").arg(c.image));
            createAndStart(pod, c, now);
            return false; // still ContainerCreating until it has started
        }
        beginPull(pod, c, now);
        return false;
    }
    case Stage::Pulling: {
        if (!c.behavior.exists) {
            ++c.pullFailures;
            const QString normalized = normalizedImage(c.image);
            const QString error =
                QStringLiteral("rpc error: code = NotFound desc = failed to pull and unpack image "
                               "\"%1\": failed to resolve reference \"%1\": %1: not found")
                    .arg(normalized);
            containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("Failed"),
                           QStringLiteral("Failed to pull image \"%1\": %2").arg(c.image, error));
            containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("Failed"),
                           QStringLiteral("Error: ErrImagePull"));
            c.stage = Stage::PullFailed;
            c.waitingReason = QStringLiteral("ErrImagePull");
            c.waitingMessage = error;
            c.retryPullAt = now + backOffMs(c.pullFailures);
            c.backOffShown = false;
            c.dueAt = qMin(now + kResyncDelayMs, c.retryPullAt);
            advanceCursor(pod, index, now);
            return true;
        }
        const QString image = normalizedImage(c.image);
        NodeState &node = m_nodes[pod.node];
        const auto present = node.images.find(image);
        if (present == node.images.end() || *present > now)
            node.images.insert(image, now);
        const qint64 took = now - c.pullStartedAt;
        containerEvent(pod, c, QStringLiteral("Normal"), QStringLiteral("Pulled"),
                       QStringLiteral("Successfully pulled image \"%1\" in %2 (%2 including "
                                      "waiting). Image size: %3 bytes.")
                           .arg(c.image, goDuration(took))
                           .arg(imageSize(image)));
        createAndStart(pod, c, now);
        return false; // still ContainerCreating until it has started
    }
    case Stage::PullFailed: {
        if (now >= c.retryPullAt) {
            beginPull(pod, c, now);
            return false;
        }
        const bool changed = !c.backOffShown;
        if (!c.backOffShown) {
            c.backOffShown = true;
            c.waitingReason = QStringLiteral("ImagePullBackOff");
            c.waitingMessage = QStringLiteral("Back-off pulling image \"%1\"").arg(c.image);
            containerEvent(pod, c, QStringLiteral("Normal"), QStringLiteral("BackOff"),
                           c.waitingMessage);
            containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("Failed"),
                           QStringLiteral("Error: ImagePullBackOff"));
        }
        c.dueAt = c.retryPullAt;
        return changed;
    }
    case Stage::Invalid:
        // Every pod sync fails the same way; the events fold into growing counts.
        containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("InspectFailed"),
                       c.waitingMessage);
        containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("Failed"),
                       QStringLiteral("Error: InvalidImageName"));
        c.dueAt = now + kErrorRetryMs;
        return false;
    case Stage::Starting: {
        c.stage = Stage::Running;
        c.everCreated = true; // status shows the container (ID, resolved image) from here on
        c.started = true;
        c.startedAt = now;
        c.waitingReason.clear();
        c.waitingMessage.clear();
        containerEvent(pod, c, QStringLiteral("Normal"), QStringLiteral("Started"),
                       QStringLiteral("Started container %1").arg(c.name));
        c.readyAt = c.behavior.neverReady ? -1 : now + c.behavior.readyAfterMs;
        c.probeAt = c.behavior.neverReady ? now + c.behavior.readyAfterMs : -1;
        c.crashAt = c.behavior.crashAfterMs >= 0 ? now + c.behavior.crashAfterMs : -1;
        c.dueAt = earliest({c.readyAt, c.probeAt, c.crashAt});
        if (index == 0) {
            // The app serves once warmed up (its readiness delay) plus any listen delay.
            pod.listenAt = now + c.behavior.readyAfterMs + c.behavior.listenDelayMs;
            pod.listening = false;
            emitRuntime(pod);
        }
        advanceCursor(pod, index, now);
        return true;
    }
    case Stage::Running: {
        bool changed = false;
        if (c.readyAt >= 0 && c.readyAt <= now && (c.crashAt < 0 || c.readyAt <= c.crashAt)) {
            c.ready = true;
            c.readyAt = -1;
            changed = true;
        }
        if (c.probeAt >= 0 && c.probeAt <= now) {
            containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("Unhealthy"),
                           QStringLiteral("Readiness probe failed: HTTP probe failed with "
                                          "statuscode: 503"));
            c.probeAt = now + c.probePeriodMs;
        }
        if (c.crashAt >= 0 && c.crashAt <= now) {
            crash(pod, c, index, now);
            return true;
        }
        c.dueAt = earliest({c.readyAt, c.probeAt, c.crashAt});
        return changed;
    }
    case Stage::Exited: {
        // The resync after the container died: restart, or wait out the back-off.
        const int exitCode =
            c.terminated.value(u"terminated").toObject().value(u"exitCode").toInt();
        if (pod.restartPolicy == u"Never" || (pod.restartPolicy == u"OnFailure" && exitCode == 0)) {
            c.stage = Stage::Done;
            return true;
        }
        const bool expired =
            c.backOffUpdated >= 0 && c.finishedAt - c.backOffUpdated > 2 * kMaxBackOffMs;
        const bool inBackOff = c.backOffUpdated >= 0 && !expired && now - c.finishedAt < c.backOff;
        if (!inBackOff) {
            c.backOff = (c.backOffUpdated < 0 || expired) ? kInitialBackOffMs
                                                          : qMin(c.backOff * 2, kMaxBackOffMs);
            c.backOffUpdated = now;
            restart(pod, c, now);
            return true;
        }
        c.stage = Stage::BackOff;
        c.waitingReason = QStringLiteral("CrashLoopBackOff");
        const QString podText = pod.name + u'_' + pod.ns + u'(' + pod.uid + u')';
        c.waitingMessage = QStringLiteral("back-off %1 restarting failed container=%2 pod=%3")
                               .arg(goDuration(c.backOff), c.name, podText);
        containerEvent(pod, c, QStringLiteral("Warning"), QStringLiteral("BackOff"),
                       QStringLiteral("Back-off restarting failed container %1 in pod %2")
                           .arg(c.name, podText));
        c.dueAt = c.finishedAt + c.backOff;
        return true;
    }
    case Stage::BackOff:
        c.backOff = qMin(c.backOff * 2, kMaxBackOffMs);
        c.backOffUpdated = now;
        restart(pod, c, now);
        return true;
    case Stage::Done:
        return false;
    }
    return false;
}

void Kubelet::beginPull(Pod &pod, Container &c, qint64 now)
{
    c.stage = Stage::Pulling;
    c.pullStartedAt = now;
    containerEvent(pod, c, QStringLiteral("Normal"), QStringLiteral("Pulling"),
                   QStringLiteral("Pulling image \"%1\"").arg(c.image));
    if (!c.behavior.exists) {
        c.dueAt = now + c.behavior.pullMs;
        return;
    }
    const QString image = normalizedImage(c.image);
    NodeState &node = m_nodes[pod.node];
    const auto present = node.images.constFind(image);
    if (c.pullPolicy != u"Always" && present != node.images.cend() && *present > now) {
        c.dueAt = *present; // another pod is pulling it: wait for that pull
        return;
    }
    if (present == node.images.cend())
        node.images.insert(image, now + c.behavior.pullMs);
    c.dueAt = now + c.behavior.pullMs;
}

void Kubelet::createAndStart(Pod &pod, Container &c, qint64 now)
{
    c.containerId = containerId();
    c.stage = Stage::Starting;
    containerEvent(pod, c, QStringLiteral("Normal"), QStringLiteral("Created"),
                   QStringLiteral("Created container %1").arg(c.name));
    c.dueAt = now + c.behavior.startMs;
}

void Kubelet::restart(Pod &pod, Container &c, qint64 now)
{
    c.lastState = c.terminated;
    c.terminated = {};
    ++c.restartCount;
    c.waitingReason = QStringLiteral("ContainerCreating");
    c.waitingMessage.clear();
    if (c.pullPolicy == u"Always") {
        beginPull(pod, c, now);
        return;
    }
    containerEvent(
        pod, c, QStringLiteral("Normal"), QStringLiteral("Pulled"),
        QStringLiteral("Container image \"%1\" already present on machine").arg(c.image));
    createAndStart(pod, c, now);
}

void Kubelet::crash(Pod &pod, Container &c, int index, qint64 now)
{
    c.finishedAt = now;
    c.terminated = terminatedState(1, QStringLiteral("Error"), m_ctx.clock->toWallMs(c.startedAt),
                                   m_ctx.clock->toWallMs(now), c.containerId);
    c.ready = false;
    c.started = false;
    c.readyAt = c.probeAt = c.crashAt = -1;
    c.stage = Stage::Exited;
    c.dueAt = now + kResyncDelayMs;
    if (index == 0) {
        pod.listenAt = -1;
        pod.listening = false;
        emitRuntime(pod);
        emit m_ctx.runtime->stopped(pod.ns, pod.name);
    }
}

void Kubelet::advanceCursor(Pod &pod, int index, qint64 now)
{
    if (index != pod.cursor || pod.terminating)
        return;
    ++pod.cursor;
    if (pod.cursor < pod.containers.size())
        pod.containers[pod.cursor].dueAt = now;
}

void Kubelet::beginTermination(Pod &pod, qint64 now)
{
    pod.terminating = true;
    for (Container &c : pod.containers) {
        if (c.stage == Stage::Running || c.stage == Stage::Starting)
            containerEvent(pod, c, QStringLiteral("Normal"), QStringLiteral("Killing"),
                           QStringLiteral("Stopping container %1").arg(c.name));
        // Nothing else happens to the containers while they shut down.
        c.dueAt = -1;
        c.readyAt = c.probeAt = c.crashAt = -1;
    }
    qint64 graceMs = 30'000;
    if (const auto live = m_ctx.store->get(Resources::pods(), pod.ns, pod.name)) {
        const QJsonValue grace = json::get(*live, {u"metadata", u"deletionGracePeriodSeconds"});
        graceMs =
            grace.isDouble()
                ? grace.toInteger() * 1000
                : json::integer(*live, {u"spec", u"terminationGracePeriodSeconds"}, 30) * 1000;
    }
    const ImageBehavior &app = pod.containers.first().behavior;
    qint64 exitAfter = 0;
    if (app.drain) {
        exitAfter = qMin(app.drainMs, graceMs);
        pod.exitCode = app.drainMs <= graceMs ? 0 : 137; // SIGKILL at the end of the grace
    } else {
        pod.exitCode = 143; // dies of SIGTERM
    }
    pod.exitAt = now + exitAfter;
    pod.listenAt = -1;
    const bool appRunning = pod.containers.first().stage == Stage::Running ||
                            pod.containers.first().stage == Stage::Starting;
    emitRuntime(pod);
    if (appRunning)
        emit m_ctx.runtime->terminating(pod.ns, pod.name, !app.drain);
}

void Kubelet::finishTermination(Pod &pod, qint64 now)
{
    pod.exitAt = -1;
    for (Container &c : pod.containers) {
        if (c.stage == Stage::Running || c.stage == Stage::Starting) {
            c.terminated = terminatedState(
                pod.exitCode,
                pod.exitCode == 0 ? QStringLiteral("Completed") : QStringLiteral("Error"),
                m_ctx.clock->toWallMs(c.startedAt >= 0 ? c.startedAt : now),
                m_ctx.clock->toWallMs(now), c.containerId);
            c.finishedAt = now;
        }
        c.ready = false;
        c.started = false;
        c.dueAt = -1;
        c.stage = Stage::Done;
    }
    pod.terminal = true;
    writeStatus(pod, now);
    const bool wasRunning = m_ctx.runtime->find(pod.ns, pod.name) != nullptr;
    pod.listening = false;
    if (wasRunning) {
        emitRuntime(pod);
        emit m_ctx.runtime->stopped(pod.ns, pod.name);
        m_ctx.runtime->remove(pod.ns, pod.name);
    }
    finalErase(pod);
}

void Kubelet::finalErase(Pod &pod)
{
    const auto live = m_ctx.store->get(Resources::pods(), pod.ns, pod.name);
    if (live && !json::array(*live, {u"metadata", u"finalizers"}).isEmpty()) {
        // Finalizers hold the object; onPod re-arms once they are removed.
        pod.terminal = true;
        return;
    }
    const QString ns = pod.ns;
    const QString name = pod.name;
    if (live)
        m_ctx.registry->erase(Resources::pods(), ns, name); // our onPod forgets the pod
    else
        forget(ctrl::key(ns, name));
}

void Kubelet::forget(const QString &key)
{
    const auto it = m_pods.find(key);
    if (it == m_pods.end())
        return;
    if (it->timer != 0)
        m_ctx.clock->cancel(it->timer);
    if (m_ctx.runtime->find(it->ns, it->name)) {
        // Removed from the store behind our back (force delete, namespace, ...): the process
        // dies with it.
        PodProcess process = *m_ctx.runtime->find(it->ns, it->name);
        process.running = false;
        process.listening = false;
        m_ctx.runtime->upsert(process);
        emit m_ctx.runtime->stopped(it->ns, it->name);
        m_ctx.runtime->remove(it->ns, it->name);
    }
    releaseIp(*it);
    m_pods.erase(it);
}

void Kubelet::emitRuntime(Pod &pod)
{
    if (pod.containers.isEmpty())
        return;
    const Container &app = pod.containers.first();
    PodProcess process;
    process.ns = pod.ns;
    process.name = pod.name;
    process.uid = pod.uid;
    process.podIp = pod.podIp;
    process.nodeName = pod.node;
    process.container = app.name;
    process.behavior = app.behavior;
    process.image = app.image;
    process.running = app.stage == Stage::Running && !pod.terminal;
    process.listening = process.running && pod.listening;
    process.terminating = pod.terminating;
    m_ctx.runtime->upsert(process);
}

QJsonObject Kubelet::podReference(const Pod &pod) const
{
    // A pod's events come in bursts (Pulled, Created, Started) about one version of it.
    if (json::string(pod.reference, {u"metadata", u"resourceVersion"}) == pod.resourceVersion &&
        !pod.reference.isEmpty())
        return pod.reference;
    const QJsonObject metadata{{QStringLiteral("name"), pod.name},
                               {QStringLiteral("namespace"), pod.ns},
                               {QStringLiteral("uid"), pod.uid},
                               {QStringLiteral("resourceVersion"), pod.resourceVersion}};
    pod.reference = QJsonObject{{QStringLiteral("kind"), QStringLiteral("Pod")},
                                {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                                {QStringLiteral("metadata"), metadata}};
    return pod.reference;
}

void Kubelet::containerEvent(const Pod &pod, const Container &c, const QString &type,
                             const QString &reason, const QString &message)
{
    m_ctx.events->record(podReference(pod), type, kubeletComponent(), reason, message, pod.node,
                         QStringLiteral("spec.containers{%1}").arg(c.name));
}

QString Kubelet::podAddress(int nodeIndex, int slot)
{
    return QStringLiteral("10.%1.%2.%3")
        .arg(secondOctets().at(slot / kHostsPerBlock))
        .arg(nodeIndex % 256)
        .arg(slot % kHostsPerBlock + 2);
}

int Kubelet::podAddressSlot(const QString &address)
{
    const QStringList parts = address.split(u'.');
    if (parts.size() != 4 || parts.at(0) != u"10")
        return -1;
    bool blockOk = false;
    bool nodeOk = false;
    bool hostOk = false;
    const int block = int(secondOctets().indexOf(parts.at(1).toInt(&blockOk)));
    const int node = parts.at(2).toInt(&nodeOk);
    const int host = parts.at(3).toInt(&hostOk) - 2;
    if (!blockOk || !nodeOk || !hostOk || block < 0 || node < 0 || node > 255 || host < 0 ||
        host >= kHostsPerBlock)
        return -1;
    return block * kHostsPerBlock + host;
}

QString Kubelet::allocateIp(Pod &pod)
{
    NodeState &node = m_nodes[pod.node];
    const int capacity = int(secondOctets().size()) * kHostsPerBlock;
    // host-local IPAM hands addresses out round robin, skipping those in use.
    int slot = node.nextSlot % capacity;
    for (int tries = 0; tries < capacity && node.usedSlots.contains(slot); ++tries)
        slot = (slot + 1) % capacity;
    node.usedSlots.insert(slot);
    node.nextSlot = slot + 1;
    pod.ipSlot = slot;
    return podAddress(node.index, slot);
}

void Kubelet::releaseIp(Pod &pod)
{
    if (pod.ipSlot < 0)
        return;
    const auto node = m_nodes.find(pod.node);
    if (node != m_nodes.end())
        node->usedSlots.remove(pod.ipSlot);
    pod.ipSlot = -1;
}

QString Kubelet::containerId()
{
    QString id;
    id.reserve(64);
    for (int i = 0; i < 4; ++i)
        id += QStringLiteral("%1").arg(m_ctx.random->generate64(), 16, 16, QLatin1Char('0'));
    return id.prepend(QStringLiteral("containerd://"));
}

// --- status -----------------------------------------------------------------------------------

void Kubelet::writeStatus(Pod &pod, qint64 now)
{
    const auto live = m_ctx.store->get(Resources::pods(), pod.ns, pod.name);
    if (!live || json::uid(*live) != pod.uid)
        return;
    const QJsonObject current = live->value(u"status").toObject();

    // Phase (kubelet getPhase).
    bool anyWaitingFresh = false;
    bool allSucceeded = true;
    bool allDone = true;
    for (const Container &c : std::as_const(pod.containers)) {
        const bool running = c.stage == Stage::Running;
        const bool hasTerminated = !c.terminated.isEmpty() || !c.lastState.isEmpty();
        if (!running && !hasTerminated)
            anyWaitingFresh = true;
        if (c.stage != Stage::Done)
            allDone = false;
        if (c.terminated.value(u"terminated").toObject().value(u"exitCode").toInt(-1) != 0)
            allSucceeded = false;
    }
    if (!pod.terminal && allDone && !pod.containers.isEmpty() && pod.restartPolicy != u"Always")
        pod.terminal = true; // restartPolicy Never/OnFailure: the pod has run to completion
    QString phase;
    if (pod.terminal)
        phase = allSucceeded ? QStringLiteral("Succeeded") : QStringLiteral("Failed");
    else if (anyWaitingFresh)
        phase = QStringLiteral("Pending");
    else
        phase = QStringLiteral("Running");

    // The status is written as JSON text and parsed once (see json::appendString): this runs
    // for every pod several times while a scenario settles.
    QByteArray text;
    text.reserve(1400);
    text += '{';
    json::appendField(text, "phase", phase);

    // Conditions, in the kubelet's order; PodScheduled is the scheduler's. lastTransitionTime
    // moves only when a condition's status does.
    QStringList unready;
    for (const Container &c : std::as_const(pod.containers)) {
        if (!c.ready)
            unready << c.name;
    }
    const QJsonArray existing = current.value(u"conditions").toArray();
    // type -> (status, lastTransitionTime) of the conditions written before.
    QHash<QString, std::pair<QString, QString>> previous;
    QJsonObject scheduled;
    for (const QJsonValue &v : existing) {
        const QJsonObject old = v.toObject();
        const QString type = old.value(u"type").toString();
        if (type == u"PodScheduled")
            scheduled = old;
        else
            previous.insert(type, {old.value(u"status").toString(),
                                   old.value(u"lastTransitionTime").toString()});
    }
    const QString nowText = m_ctx.clock->timestamp(now);
    auto condition = [&](const char *type, bool value, const QString &reason,
                         const QString &message) {
        const QString status = value ? QStringLiteral("True") : QStringLiteral("False");
        const QLatin1StringView typeName(type);
        QString transition = nowText;
        const auto old = previous.constFind(QString(typeName));
        if (old != previous.cend() && old->first == status)
            transition = old->second;
        text += '{';
        json::appendField(text, "type", QString(typeName));
        json::appendField(text, "status", status);
        text += "\"lastProbeTime\":null,";
        json::appendField(text, "lastTransitionTime", transition);
        if (!reason.isEmpty())
            json::appendField(text, "reason", reason);
        if (!message.isEmpty())
            json::appendField(text, "message", message);
        text.chop(1);
        text += "},";
    };
    text += "\"conditions\":[";
    condition("PodReadyToStartContainers", !pod.terminal, {}, {});
    condition("Initialized", true, {}, {});
    if (pod.terminal) {
        condition("Ready", false, QStringLiteral("PodCompleted"), {});
        condition("ContainersReady", false, QStringLiteral("PodCompleted"), {});
    } else if (unready.isEmpty()) {
        condition("Ready", true, {}, {});
        condition("ContainersReady", true, {}, {});
    } else {
        const QString message =
            QStringLiteral("containers with unready status: [%1]").arg(unready.join(u' '));
        condition("Ready", false, QStringLiteral("ContainersNotReady"), message);
        condition("ContainersReady", false, QStringLiteral("ContainersNotReady"), message);
    }
    if (!scheduled.isEmpty()) {
        text += json::compact(scheduled);
        text += ',';
    }
    text.chop(1);
    text += "],";

    json::appendField(text, "hostIP", pod.hostIp);
    text += "\"hostIPs\":[{";
    json::appendField(text, "ip", pod.hostIp);
    text.chop(1);
    text += "}],";
    if (!pod.podIp.isEmpty()) {
        json::appendField(text, "podIP", pod.podIp);
        text += "\"podIPs\":[{";
        json::appendField(text, "ip", pod.podIp);
        text.chop(1);
        text += "}],";
    }
    json::appendField(text, "startTime", m_ctx.clock->timestamp(pod.startTime));

    text += "\"containerStatuses\":[";
    for (const Container &c : std::as_const(pod.containers)) {
        text += '{';
        json::appendField(text, "name", c.name);
        const QString normalized = normalizedImage(c.image);
        json::appendField(text, "image", c.everCreated ? normalized : c.image);
        json::appendField(text, "imageID", c.everCreated ? imageIdFor(normalized) : QString());
        if (c.everCreated)
            json::appendField(text, "containerID", c.containerId);
        text += c.ready ? "\"ready\":true," : "\"ready\":false,";
        text += "\"restartCount\":" + QByteArray::number(c.restartCount) + ',';
        text += c.started ? "\"started\":true," : "\"started\":false,";
        text += "\"lastState\":" + json::compact(c.lastState) + ',';
        text += "\"state\":";
        if (c.stage == Stage::Running) {
            text += "{\"running\":{";
            json::appendField(text, "startedAt", m_ctx.clock->timestamp(c.startedAt));
            text.chop(1);
            text += "}}";
        } else if ((c.stage == Stage::Exited || c.stage == Stage::Done) &&
                   !c.terminated.isEmpty()) {
            text += json::compact(c.terminated);
        } else {
            text += "{\"waiting\":{";
            json::appendField(text, "reason",
                              c.waitingReason.isEmpty() ? QStringLiteral("ContainerCreating")
                                                        : c.waitingReason);
            if (!c.waitingMessage.isEmpty())
                json::appendField(text, "message", c.waitingMessage);
            text.chop(1);
            text += "}}";
        }
        text += "},";
    }
    if (!pod.containers.isEmpty())
        text.chop(1);
    text += "]}";

    QJsonObject status = json::parseObject(text);
    // Fields the kubelet does not own here (qosClass, nominatedNodeName...) stay.
    for (auto it = current.begin(); it != current.end(); ++it) {
        if (!status.contains(it.key()))
            status.insert(it.key(), it.value());
    }
    if (status == current)
        return;
    (void)m_ctx.registry->modify(
        Resources::pods(), pod.ns, pod.name,
        [&status](QJsonObject &o) {
            o.insert(QStringLiteral("status"), status);
            return true;
        },
        Subresource::Status);
}

} // namespace rollscope::sim
