// SPDX-License-Identifier: MIT
#pragma once

// A whole simulated cluster on a virtual clock for the controller tests: clock, store,
// registry, events, pod runtime and the ControllerManager, with a seeded random generator,
// the system namespaces and Ready nodes. Nothing runs unless the test advances the clock.

#include "simulator/clock.h"
#include "simulator/controllers/controllermanager.h"
#include "simulator/controllers/controllerutil.h"
#include "simulator/controllers/nodes.h"
#include "simulator/eventrecorder.h"
#include "simulator/json.h"
#include "simulator/podruntime.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/simcontext.h"
#include "simulator/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>

namespace rollscope::sim::test {

class SimFixture
{
public:
    // A whole second, so second-precision timestamps line up with the steps of a test.
    static constexpr qint64 kStartMs = 1'700'000'000'000;

    explicit SimFixture(int nodeCount = 3, quint32 seed = 42)
        : clock(SimClock::Mode::Virtual, kStartMs)
        , random(seed)
        , registry(&store, &clock, &random)
        , events(&registry)
        , context{&clock, &store, &registry, &events, &runtime, &random}
        , manager(context)
    {
        createSystemNamespaces(registry);
        createNodes(registry, nodeCount);
        manager.start();
        clock.runDue();
    }

    SimClock clock;
    Store store;
    QRandomGenerator random;
    Registry registry;
    EventRecorder events;
    PodRuntime runtime;
    SimContext context;
    ControllerManager manager;

    // --- time ---------------------------------------------------------------------------------

    qint64 now() const { return clock.nowMs(); }
    qint64 elapsed() const { return clock.nowMs() - kStartMs; }
    void advance(qint64 ms) { clock.advance(ms); }
    // Runs what is due now (the controllers' reactions to a write) without moving time.
    void settle() { clock.advance(0); }
    // Advances to `kStartMs + offsetMs`.
    void advanceTo(qint64 offsetMs) { clock.advance(kStartMs + offsetMs - clock.nowMs()); }

    // --- objects ------------------------------------------------------------------------------

    static QJsonObject parse(const QByteArray &text)
    {
        return QJsonDocument::fromJson(text).object();
    }

    // A Deployment like the seed guide's demo-dp: selector app=<name>, one container "demo"
    // with port 8080 (named "http"). `behavior` goes into the template's
    // sim.rollscope.dev/behavior annotation.
    static QJsonObject deploymentJson(const QString &name, int replicas, const QString &image,
                                      const QJsonValue &maxSurge, const QJsonValue &maxUnavailable,
                                      const QString &behavior = {})
    {
        QJsonObject templateMeta{
            {QStringLiteral("labels"), QJsonObject{{QStringLiteral("app"), name}}}};
        if (!behavior.isEmpty())
            templateMeta.insert(
                QStringLiteral("annotations"),
                QJsonObject{{QStringLiteral("sim.rollscope.dev/behavior"), behavior}});
        const QJsonObject container{
            {QStringLiteral("name"), QStringLiteral("demo")},
            {QStringLiteral("image"), image},
            {QStringLiteral("ports"),
             QJsonArray{QJsonObject{{QStringLiteral("containerPort"), 8080},
                                    {QStringLiteral("name"), QStringLiteral("http")}}}}};
        return QJsonObject{
            {QStringLiteral("apiVersion"), QStringLiteral("apps/v1")},
            {QStringLiteral("kind"), QStringLiteral("Deployment")},
            {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), name}}},
            {QStringLiteral("spec"),
             QJsonObject{
                 {QStringLiteral("replicas"), replicas},
                 {QStringLiteral("selector"),
                  QJsonObject{
                      {QStringLiteral("matchLabels"), QJsonObject{{QStringLiteral("app"), name}}}}},
                 {QStringLiteral("strategy"),
                  QJsonObject{{QStringLiteral("type"), QStringLiteral("RollingUpdate")},
                              {QStringLiteral("rollingUpdate"),
                               QJsonObject{{QStringLiteral("maxSurge"), maxSurge},
                                           {QStringLiteral("maxUnavailable"), maxUnavailable}}}}},
                 {QStringLiteral("template"),
                  QJsonObject{{QStringLiteral("metadata"), templateMeta},
                              {QStringLiteral("spec"), QJsonObject{{QStringLiteral("containers"),
                                                                    QJsonArray{container}}}}}}}},
        };
    }

    QJsonObject create(const ResourceType &type, const QJsonObject &object,
                       const QString &ns = QStringLiteral("default"))
    {
        const auto created = registry.create(type, ns, object);
        if (!created) {
            qWarning("create failed: %s", qPrintable(created.error().message));
            return {};
        }
        return created.value();
    }

    QJsonObject createDeployment(const QJsonObject &deployment,
                                 const QString &ns = QStringLiteral("default"))
    {
        return create(Resources::deployments(), deployment, ns);
    }

    QJsonObject patch(const ResourceType &type, const QString &name, PatchType patchType,
                      const QByteArray &body, const QString &ns = QStringLiteral("default"))
    {
        const auto patched = registry.patch(type, ns, name, patchType, body);
        if (!patched) {
            qWarning("patch failed: %s", qPrintable(patched.error().message));
            return {};
        }
        return patched.value();
    }

    // What `kubectl set image deployment/NAME demo=IMAGE` sends.
    QJsonObject setImage(const QString &deployment, const QString &image,
                         const QString &ns = QStringLiteral("default"))
    {
        const QByteArray body =
            QStringLiteral("{\"spec\":{\"template\":{\"spec\":{\"$setElementOrder/containers\":"
                           "[{\"name\":\"demo\"}],\"containers\":[{\"image\":\"%1\",\"name\":"
                           "\"demo\"}]}}}}")
                .arg(image)
                .toUtf8();
        return patch(Resources::deployments(), deployment, PatchType::StrategicMerge, body, ns);
    }

    // --- reading ------------------------------------------------------------------------------

    QJsonObject get(const ResourceType &type, const QString &name,
                    const QString &ns = QStringLiteral("default")) const
    {
        return store.get(type, ns, name).value_or(QJsonObject());
    }
    QJsonObject deployment(const QString &name, const QString &ns = QStringLiteral("default")) const
    {
        return get(Resources::deployments(), name, ns);
    }

    // The ReplicaSets a deployment controls, oldest first.
    QList<QJsonObject> replicaSets(const QString &deploymentName,
                                   const QString &ns = QStringLiteral("default")) const
    {
        const QString uid = json::uid(deployment(deploymentName, ns));
        QList<QJsonObject> result;
        for (const QJsonObject &rs : store.list(Resources::replicaSets(), ns)) {
            const auto ref = ctrl::controllerRef(rs);
            if (ref && ref->uid == uid)
                result << rs;
        }
        std::sort(result.begin(), result.end(), [](const QJsonObject &a, const QJsonObject &b) {
            const QString ta = json::string(a, {u"metadata", u"creationTimestamp"});
            const QString tb = json::string(b, {u"metadata", u"creationTimestamp"});
            return ta != tb ? ta < tb : json::name(a) < json::name(b);
        });
        return result;
    }

    // The ReplicaSet whose template has `image` (empty when none).
    QJsonObject replicaSetWithImage(const QString &deploymentName, const QString &image,
                                    const QString &ns = QStringLiteral("default")) const
    {
        for (const QJsonObject &rs : replicaSets(deploymentName, ns)) {
            const QJsonArray containers =
                json::array(rs, {u"spec", u"template", u"spec", u"containers"});
            if (!containers.isEmpty() &&
                containers.first().toObject().value(u"image").toString() == image)
                return rs;
        }
        return {};
    }

    QList<QJsonObject> podsOf(const QJsonObject &owner,
                              const QString &ns = QStringLiteral("default")) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &pod : store.list(Resources::pods(), ns)) {
            const auto ref = ctrl::controllerRef(pod);
            if (ref && ref->uid == json::uid(owner))
                result << pod;
        }
        return result;
    }

    QList<QJsonObject> pods(const QString &ns = QStringLiteral("default")) const
    {
        return store.list(Resources::pods(), ns);
    }

    // Events in creation order, optionally only those of `reason` or about `involvedName`.
    QList<QJsonObject> eventList(const QString &reason = {}, const QString &involvedName = {},
                                 const QString &ns = QStringLiteral("default")) const
    {
        QList<QJsonObject> result;
        for (const QJsonObject &e : store.list(Resources::events(), ns)) {
            if (!reason.isEmpty() && e.value(u"reason").toString() != reason)
                continue;
            if (!involvedName.isEmpty() &&
                json::string(e, {u"involvedObject", u"name"}) != involvedName)
                continue;
            result << e;
        }
        std::sort(result.begin(), result.end(), [](const QJsonObject &a, const QJsonObject &b) {
            return json::string(a, {u"metadata", u"resourceVersion"}).toLongLong() <
                   json::string(b, {u"metadata", u"resourceVersion"}).toLongLong();
        });
        return result;
    }
    QStringList eventMessages(const QString &reason, const QString &involvedName = {},
                              const QString &ns = QStringLiteral("default")) const
    {
        QStringList messages;
        for (const QJsonObject &e : eventList(reason, involvedName, ns))
            messages << e.value(u"message").toString();
        return messages;
    }

    static int specReplicas(const QJsonObject &o)
    {
        return int(json::integer(o, {u"spec", u"replicas"}, 1));
    }
    static int statusInt(const QJsonObject &o, QStringView field)
    {
        return int(o.value(u"status").toObject().value(field).toInteger());
    }
    static QJsonObject condition(const QJsonObject &o, QStringView type)
    {
        return ctrl::findCondition(o.value(u"status").toObject(), type);
    }
    // "replicas/updated/available/unavailable" as the worked examples print it.
    static QString statusLine(const QJsonObject &d)
    {
        return QStringLiteral("%1/%2/%3/%4")
            .arg(statusInt(d, u"replicas"))
            .arg(statusInt(d, u"updatedReplicas"))
            .arg(statusInt(d, u"availableReplicas"))
            .arg(statusInt(d, u"unavailableReplicas"));
    }

    // What `kubectl rollout status` prints for the deployment (facts §6, checks in order).
    static QString rolloutStatus(const QJsonObject &d)
    {
        const QString name = json::name(d);
        if (json::integer(d, {u"metadata", u"generation"}) >
            json::integer(d, {u"status", u"observedGeneration"}))
            return QStringLiteral("Waiting for deployment spec update to be observed...");
        if (condition(d, u"Progressing").value(u"reason").toString() == u"ProgressDeadlineExceeded")
            return QStringLiteral("error: deployment \"%1\" exceeded its progress deadline")
                .arg(name);
        const int replicas = specReplicas(d);
        const int updated = statusInt(d, u"updatedReplicas");
        const int total = statusInt(d, u"replicas");
        const int available = statusInt(d, u"availableReplicas");
        if (updated < replicas)
            return QStringLiteral("Waiting for deployment \"%1\" rollout to finish: %2 out of %3 "
                                  "new replicas have been updated...")
                .arg(name)
                .arg(updated)
                .arg(replicas);
        if (total > updated)
            return QStringLiteral("Waiting for deployment \"%1\" rollout to finish: %2 old "
                                  "replicas are pending termination...")
                .arg(name)
                .arg(total - updated);
        if (available < updated)
            return QStringLiteral("Waiting for deployment \"%1\" rollout to finish: %2 of %3 "
                                  "updated replicas are available...")
                .arg(name)
                .arg(available)
                .arg(updated);
        return QStringLiteral("deployment \"%1\" successfully rolled out").arg(name);
    }
};

} // namespace rollscope::sim::test
