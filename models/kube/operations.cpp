// SPDX-License-Identifier: MIT
#include "kube/operations.h"

#include "kube/imagereference.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>

#include <algorithm>

namespace rollscope::kube {

namespace {

using Ops = DeploymentOperations;

const QByteArray kStrategicMerge = QByteArrayLiteral("application/strategic-merge-patch+json");
const QByteArray kMergePatch = QByteArrayLiteral("application/merge-patch+json");
const QByteArray kJsonPatch = QByteArrayLiteral("application/json-patch+json");

// The annotations kubectl keeps from the Deployment on rollback (rollback.go annotationsToSkip).
const QStringList &skippedAnnotations()
{
    static const QStringList keys{keys::kLastApplied,     keys::kRevision,
                                  keys::kRevisionHistory, keys::kDesiredReplicas,
                                  keys::kMaxReplicas,     keys::kRollbackTo};
    return keys;
}

QString kindSlashName(const QString &name)
{
    return QStringLiteral("deployment.apps/") + name;
}

QUrlQuery fieldManager(QLatin1StringView manager)
{
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("fieldManager"), manager);
    return query;
}

QByteArray compact(const QJsonValue &value)
{
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
    return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
}

// Runs `then` with the Deployment's JSON, or reports the error.
void getDeployment(ApiClient *client, const QString &ns, const QString &name, QObject *context,
                   std::function<void(QJsonObject)> then, Ops::Done done)
{
    client->getJson(ResourceKind::deployments().objectPath(ns, name), {}, context,
                    [then = std::move(then), done](Result<QJsonObject> object) {
                        if (!object) {
                            done(object.error());
                            return;
                        }
                        then(*object);
                    });
}

void patchDeployment(ApiClient *client, const QString &path, const QByteArray &contentType,
                     const QByteArray &body, const QUrlQuery &query, QObject *context,
                     const QString &message, Ops::Done done)
{
    client->send(ApiRequest::patch(path, contentType, body, query), context,
                 [message, done = std::move(done)](Result<ApiResponse> response) {
                     if (!response) {
                         done(response.error());
                         return;
                     }
                     WriteOutcome outcome;
                     outcome.changed = true;
                     outcome.message = message;
                     const QJsonObject object = response->json();
                     if (object.value(u"kind").toString() == u"Deployment")
                         outcome.deployment = DeploymentInfo::fromJson(object);
                     done(std::move(outcome));
                 });
}

WriteOutcome unchanged(const QJsonObject &deployment, const QString &message)
{
    WriteOutcome outcome;
    outcome.changed = false;
    outcome.message = message;
    outcome.deployment = DeploymentInfo::fromJson(deployment);
    return outcome;
}

QString rfc3339Now()
{
    // Local time with its offset, as Go's time.Now().Format(time.RFC3339).
    const QDateTime now = QDateTime::currentDateTime();
    return now.toOffsetFromUtc(now.offsetFromUtc()).toString(Qt::ISODate);
}

Error usageError(const QString &message)
{
    return Error::make(Error::Kind::Usage, message);
}

struct OwnedReplicaSets
{
    QJsonObject deployment;
    QList<QJsonObject> replicaSets; // controlled by the deployment
};

// kubectl's GetAllReplicaSets: list by the Deployment's selector, keep those it controls.
void ownedReplicaSets(ApiClient *client, const QString &ns, const QString &name, QObject *context,
                      std::function<void(OwnedReplicaSets)> then, std::function<void(Error)> fail)
{
    QPointer<ApiClient> guard(client);
    client->getJson(
        ResourceKind::deployments().objectPath(ns, name), {}, context,
        [guard, ns, context, then = std::move(then), fail](Result<QJsonObject> deployment) {
            if (!deployment) {
                fail(deployment.error());
                return;
            }
            if (!guard)
                return;
            const DeploymentInfo info = DeploymentInfo::fromJson(*deployment);
            ListOptions options;
            options.ns = ns;
            options.labelSelector = info.selector.toString();
            options.limit = 0;
            const QJsonObject object = *deployment;
            guard->listAll(ResourceKind::replicaSets(), options, context,
                           [object, uid = info.uid, then, fail](Result<ListResult> list) {
                               if (!list) {
                                   fail(list.error());
                                   return;
                               }
                               OwnedReplicaSets owned;
                               owned.deployment = object;
                               for (const QJsonObject &rs : list->items) {
                                   if (ReplicaSetInfo::fromJson(rs).ownerUid == uid)
                                       owned.replicaSets.append(rs);
                               }
                               then(std::move(owned));
                           });
        });
}

} // namespace

QStringList RevisionInfo::images() const
{
    QStringList result;
    for (const ContainerImage &c : containers)
        result.append(c.image);
    return result;
}

QString DeploymentOperations::defaultChangeCause(const QString &name,
                                                 const QList<ImageChange> &changes)
{
    QStringList parts;
    for (const ImageChange &c : changes)
        parts.append(c.container + u'=' + c.image);
    return QStringLiteral("rollscope set image deployment/%1 %2").arg(name, parts.join(u' '));
}

Result<std::optional<QByteArray>>
DeploymentOperations::setImagePatch(const QJsonObject &deployment,
                                    const QList<ImageChange> &changes, const QString &changeCause)
{
    const QJsonObject podSpec = deployment.value(u"spec")
                                    .toObject()
                                    .value(u"template")
                                    .toObject()
                                    .value(u"spec")
                                    .toObject();
    const QString name = deployment.value(u"metadata").toObject().value(u"name").toString();
    QJsonObject specPatch;
    bool anyChange = false;
    QList<bool> matched(changes.size(), false);
    for (const QString &listName :
         {QStringLiteral("initContainers"), QStringLiteral("containers")}) {
        const QJsonArray containers = podSpec.value(listName).toArray();
        QJsonArray order;
        QJsonArray changed;
        for (const QJsonValue &c : containers) {
            const QJsonObject container = c.toObject();
            const QString containerName = container.value(u"name").toString();
            order.append(QJsonObject{{QStringLiteral("name"), containerName}});
            QString image = container.value(u"image").toString();
            for (qsizetype i = 0; i < changes.size(); ++i) {
                if (changes[i].container == u"*" || changes[i].container == containerName) {
                    image = changes[i].image;
                    matched[i] = true;
                }
            }
            if (image != container.value(u"image").toString())
                changed.append(QJsonObject{{QStringLiteral("image"), image},
                                           {QStringLiteral("name"), containerName}});
        }
        if (!changed.isEmpty()) {
            anyChange = true;
            specPatch.insert(QStringLiteral("$setElementOrder/") + listName, order);
            specPatch.insert(listName, changed);
        }
    }
    for (qsizetype i = 0; i < changes.size(); ++i) {
        if (!matched[i]) {
            QStringList names;
            for (const QString &listName :
                 {QStringLiteral("containers"), QStringLiteral("initContainers")}) {
                for (const QJsonValue &c : podSpec.value(listName).toArray())
                    names.append(c.toObject().value(u"name").toString());
            }
            return usageError(
                tr("The deployment \"%1\" has no container named \"%2\" (its containers: "
                   "%3).")
                    .arg(name, changes[i].container, names.join(QStringLiteral(", "))));
        }
    }
    if (!anyChange)
        return std::optional<QByteArray>();
    QJsonObject patch{
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("template"),
                                              QJsonObject{{QStringLiteral("spec"), specPatch}}}}}};
    if (!changeCause.isEmpty())
        patch.insert(QStringLiteral("metadata"),
                     QJsonObject{{QStringLiteral("annotations"),
                                  QJsonObject{{QString(keys::kChangeCause), changeCause}}}});
    return std::optional<QByteArray>(compact(patch));
}

void DeploymentOperations::setImage(ApiClient *client, const QString &ns, const QString &name,
                                    const QList<ImageChange> &changes,
                                    const std::optional<QString> &changeCause, QObject *context,
                                    Done done)
{
    if (changes.isEmpty()) {
        done(usageError(tr("No image change was given.")));
        return;
    }
    for (const ImageChange &change : changes) {
        if (change.container.isEmpty()) {
            done(usageError(tr("An image change needs a container name (or \"*\").")));
            return;
        }
        Result<ImageReference> reference = ImageReference::parse(change.image);
        if (!reference) {
            done(reference.error());
            return;
        }
    }
    const QString cause = changeCause.value_or(defaultChangeCause(name, changes));
    QPointer<ApiClient> guard(client);
    getDeployment(
        client, ns, name, context,
        [guard, ns, name, changes, cause, context, done](const QJsonObject &deployment) {
            if (!guard)
                return;
            Result<std::optional<QByteArray>> patch = setImagePatch(deployment, changes, cause);
            if (!patch) {
                done(patch.error());
                return;
            }
            if (!patch->has_value()) {
                // kubectl computes an empty patch and sends nothing.
                done(unchanged(deployment, tr("%1 image unchanged").arg(kindSlashName(name))));
                return;
            }
            patchDeployment(guard, ResourceKind::deployments().objectPath(ns, name),
                            kStrategicMerge, **patch, fieldManager(kFieldManagerSet), context,
                            tr("%1 image updated").arg(kindSlashName(name)), done);
        },
        done);
}

void DeploymentOperations::scale(ApiClient *client, const QString &ns, const QString &name,
                                 int replicas, QObject *context, Done done)
{
    if (replicas < 0) {
        done(usageError(tr("The number of replicas cannot be negative (%1).").arg(replicas)));
        return;
    }
    const QJsonObject patch{
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("replicas"), replicas}}}};
    client->send(ApiRequest::patch(ResourceKind::deployments().objectPath(ns, name) +
                                       QStringLiteral("/scale"),
                                   kMergePatch, compact(patch), fieldManager(kFieldManagerScale)),
                 context, [name, done = std::move(done)](Result<ApiResponse> response) {
                     if (!response) {
                         done(response.error());
                         return;
                     }
                     WriteOutcome outcome;
                     outcome.changed = true;
                     outcome.message = tr("%1 scaled").arg(kindSlashName(name));
                     done(std::move(outcome));
                 });
}

void DeploymentOperations::pause(ApiClient *client, const QString &ns, const QString &name,
                                 QObject *context, Done done)
{
    setPaused(client, ns, name, true, context, std::move(done));
}

void DeploymentOperations::resume(ApiClient *client, const QString &ns, const QString &name,
                                  QObject *context, Done done)
{
    setPaused(client, ns, name, false, context, std::move(done));
}

void DeploymentOperations::setPaused(ApiClient *client, const QString &ns, const QString &name,
                                     bool paused, QObject *context, Done done)
{
    QPointer<ApiClient> guard(client);
    getDeployment(
        client, ns, name, context,
        [guard, ns, name, paused, context, done](const QJsonObject &deployment) {
            if (!guard)
                return;
            // kubectl's words for a change that would change nothing.
            if (DeploymentInfo::fromJson(deployment).paused == paused) {
                done(usageError(paused ? tr("deployments.apps \"%1\" is already paused").arg(name)
                                       : tr("deployments.apps \"%1\" is not paused").arg(name)));
                return;
            }
            // false is omitempty in Go, so kubectl's two-way patch deletes the field.
            const QJsonObject patch{
                {QStringLiteral("spec"), QJsonObject{{QStringLiteral("paused"),
                                                      paused ? QJsonValue(true) : QJsonValue()}}}};
            patchDeployment(guard, ResourceKind::deployments().objectPath(ns, name),
                            kStrategicMerge, compact(patch), fieldManager(kFieldManagerRollout),
                            context,
                            paused ? tr("%1 paused").arg(kindSlashName(name))
                                   : tr("%1 resumed").arg(kindSlashName(name)),
                            done);
        },
        done);
}

void DeploymentOperations::restart(ApiClient *client, const QString &ns, const QString &name,
                                   QObject *context, Done done)
{
    QPointer<ApiClient> guard(client);
    getDeployment(
        client, ns, name, context,
        [guard, ns, name, context, done](const QJsonObject &deployment) {
            if (!guard)
                return;
            const DeploymentInfo info = DeploymentInfo::fromJson(deployment);
            if (info.paused) {
                done(usageError(tr("can't restart paused deployment (run rollout resume first)")));
                return;
            }
            const QString now = rfc3339Now();
            if (info.templateRestartedAt == now) {
                // kubectl's patch would be empty and fail the same way.
                done(usageError(tr("%1 was already restarted at %2; try again in a second.")
                                    .arg(kindSlashName(name), now)));
                return;
            }
            const QJsonObject patch{
                {QStringLiteral("spec"),
                 QJsonObject{{QStringLiteral("template"),
                              QJsonObject{{QStringLiteral("metadata"),
                                           QJsonObject{{QStringLiteral("annotations"),
                                                        QJsonObject{{QString(keys::kRestartedAt),
                                                                     now}}}}}}}}}};
            patchDeployment(guard, ResourceKind::deployments().objectPath(ns, name),
                            kStrategicMerge, compact(patch), fieldManager(kFieldManagerRollout),
                            context, tr("%1 restarted").arg(kindSlashName(name)), done);
        },
        done);
}

bool DeploymentOperations::templatesEqualIgnoringHash(QJsonObject a, QJsonObject b)
{
    const auto strip = [](QJsonObject &podTemplate) {
        QJsonObject metadata = podTemplate.value(u"metadata").toObject();
        QJsonObject labels = metadata.value(u"labels").toObject();
        labels.remove(keys::kPodTemplateHash);
        if (labels.isEmpty())
            metadata.remove(QStringLiteral("labels"));
        else
            metadata.insert(QStringLiteral("labels"), labels);
        if (metadata.isEmpty())
            podTemplate.remove(QStringLiteral("metadata"));
        else
            podTemplate.insert(QStringLiteral("metadata"), metadata);
    };
    strip(a);
    strip(b);
    return a == b;
}

QByteArray DeploymentOperations::rollbackPatch(const QJsonObject &deployment,
                                               const QJsonObject &replicaSet)
{
    QJsonObject podTemplate = replicaSet.value(u"spec").toObject().value(u"template").toObject();
    QJsonObject metadata = podTemplate.value(u"metadata").toObject();
    QJsonObject labels = metadata.value(u"labels").toObject();
    labels.remove(keys::kPodTemplateHash);
    metadata.insert(QStringLiteral("labels"), labels);
    podTemplate.insert(QStringLiteral("metadata"), metadata);

    const QJsonObject current =
        deployment.value(u"metadata").toObject().value(u"annotations").toObject();
    const QJsonObject fromRs =
        replicaSet.value(u"metadata").toObject().value(u"annotations").toObject();
    QJsonObject annotations;
    for (const QString &key : skippedAnnotations()) {
        if (current.contains(key))
            annotations.insert(key, current.value(key));
    }
    for (auto it = fromRs.begin(); it != fromRs.end(); ++it) {
        if (!skippedAnnotations().contains(it.key()))
            annotations.insert(it.key(), it.value());
    }
    const QJsonArray patch{
        QJsonObject{{QStringLiteral("op"), QStringLiteral("replace")},
                    {QStringLiteral("path"), QStringLiteral("/spec/template")},
                    {QStringLiteral("value"), podTemplate}},
        QJsonObject{{QStringLiteral("op"), QStringLiteral("replace")},
                    {QStringLiteral("path"), QStringLiteral("/metadata/annotations")},
                    {QStringLiteral("value"), annotations}}};
    return compact(patch);
}

void DeploymentOperations::rollback(ApiClient *client, const QString &ns, const QString &name,
                                    qint64 toRevision, QObject *context, Done done)
{
    if (toRevision < 0) {
        done(usageError(
            tr("The revision to roll back to cannot be negative (%1).").arg(toRevision)));
        return;
    }
    QPointer<ApiClient> guard(client);
    ownedReplicaSets(
        client, ns, name, context,
        [guard, ns, name, toRevision, context, done](const OwnedReplicaSets &owned) {
            if (!guard)
                return;
            // kubectl's deploymentRevision: revision N, or the second-highest one.
            const QJsonObject *target = nullptr;
            const QJsonObject *latest = nullptr;
            const QJsonObject *previous = nullptr;
            qint64 latestRevision = -1;
            qint64 previousRevision = -1;
            for (const QJsonObject &rs : owned.replicaSets) {
                const qint64 revision = ReplicaSetInfo::fromJson(rs).revision;
                if (toRevision == 0) {
                    if (latestRevision < revision) {
                        previousRevision = latestRevision;
                        previous = latest;
                        latestRevision = revision;
                        latest = &rs;
                    } else if (previousRevision < revision) {
                        previousRevision = revision;
                        previous = &rs;
                    }
                } else if (revision == toRevision) {
                    target = &rs;
                    break;
                }
            }
            if (toRevision > 0 && !target) {
                done(usageError(
                    tr("unable to find specified revision %1 in history").arg(toRevision)));
                return;
            }
            if (toRevision == 0) {
                if (!previous) {
                    done(
                        usageError(tr("no rollout history found for deployment \"%1\"").arg(name)));
                    return;
                }
                target = previous;
            }
            const qint64 revision = ReplicaSetInfo::fromJson(*target).revision;
            if (DeploymentInfo::fromJson(owned.deployment).paused) {
                done(usageError(tr("you cannot rollback a paused deployment; resume it first with "
                                   "'kubectl rollout resume' and try again")));
                return;
            }
            const QJsonObject deploymentTemplate =
                owned.deployment.value(u"spec").toObject().value(u"template").toObject();
            const QJsonObject rsTemplate =
                target->value(u"spec").toObject().value(u"template").toObject();
            if (templatesEqualIgnoringHash(deploymentTemplate, rsTemplate)) {
                done(unchanged(owned.deployment,
                               tr("%1 skipped rollback (current template already matches "
                                  "revision %2)")
                                   .arg(kindSlashName(name))
                                   .arg(revision)));
                return;
            }
            patchDeployment(guard, ResourceKind::deployments().objectPath(ns, name), kJsonPatch,
                            rollbackPatch(owned.deployment, *target), {}, context,
                            tr("%1 rolled back").arg(kindSlashName(name)), done);
        },
        [done](Error error) { done(std::move(error)); });
}

void DeploymentOperations::history(ApiClient *client, const QString &ns, const QString &name,
                                   QObject *context, HistoryDone done)
{
    ownedReplicaSets(
        client, ns, name, context,
        [done](const OwnedReplicaSets &owned) {
            const qint64 current = DeploymentInfo::fromJson(owned.deployment).revision;
            QList<RevisionInfo> revisions;
            for (const QJsonObject &object : owned.replicaSets) {
                const ReplicaSetInfo rs = ReplicaSetInfo::fromJson(object);
                RevisionInfo info;
                info.revision = rs.revision;
                info.replicaSetName = rs.name;
                info.containers = rs.containers;
                info.changeCause = rs.changeCause;
                info.created = rs.creationTimestamp;
                info.current = rs.revision == current && current != 0;
                revisions.append(info);
            }
            std::sort(revisions.begin(), revisions.end(),
                      [](const RevisionInfo &a, const RevisionInfo &b) {
                          return a.revision < b.revision;
                      });
            done(std::move(revisions));
        },
        [done](Error error) { done(std::move(error)); });
}

} // namespace rollscope::kube
