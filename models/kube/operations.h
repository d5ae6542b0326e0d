// SPDX-License-Identifier: MIT
#pragma once

// Changes to Deployments, sent exactly as kubectl sends them (facts §4 and §6), so what the
// server, the controllers and `kubectl rollout history` see is what kubectl would have done.
// Every operation checks what it can before sending anything: an invalid image reference, an
// unknown container or a paused deployment costs no request.

#include "common/result.h"
#include "kube/apiclient.h"
#include "kube/resources.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QObject;

namespace rollscope::kube {

// Field managers written into managedFields, as kubectl uses kubectl-set / kubectl-rollout.
inline constexpr QLatin1StringView kFieldManagerSet("rollscope-set");
inline constexpr QLatin1StringView kFieldManagerScale("rollscope-scale");
inline constexpr QLatin1StringView kFieldManagerRollout("rollscope-rollout");

struct ImageChange
{
    QString container; // "*" = every container
    QString image;
};

struct WriteOutcome
{
    bool changed = false; // false: nothing was sent (already so) or the rollback was skipped
    // What kubectl prints: "deployment.apps/demo-dp image updated", "... skipped rollback
    // (current template already matches revision 2)".
    QString message;
    // The Deployment as the server returned it after the change (set image, pause, resume,
    // restart), or as read when nothing was sent.
    std::optional<DeploymentInfo> deployment;
};

struct RevisionInfo
{
    qint64 revision = 0;
    QString replicaSetName;
    QList<ContainerImage> containers;
    QString changeCause; // "" when none (kubectl shows <none>)
    QDateTime created;
    bool current = false; // the Deployment's revision

    QStringList images() const;
    bool operator==(const RevisionInfo &) const = default;
};

class DeploymentOperations
{
    Q_DECLARE_TR_FUNCTIONS(DeploymentOperations)

public:
    using Done = std::function<void(Result<WriteOutcome>)>;
    using HistoryDone = std::function<void(Result<QList<RevisionInfo>>)>;

    // kubectl set image: GET, then a strategic-merge PATCH of the changed containers with
    // $setElementOrder, plus the kubernetes.io/change-cause annotation in the same patch.
    // `changeCause`: nullopt = "rollscope set image deployment/NAME c=image ...", "" = leave the
    // annotation alone. Images are validated first; an unchanged image sends nothing.
    static void setImage(ApiClient *client, const QString &ns, const QString &name,
                         const QList<ImageChange> &changes,
                         const std::optional<QString> &changeCause, QObject *context, Done done);
    // kubectl scale: a merge PATCH of {"spec":{"replicas":N}} on the scale subresource.
    static void scale(ApiClient *client, const QString &ns, const QString &name, int replicas,
                      QObject *context, Done done);
    // kubectl rollout pause / resume / restart.
    static void pause(ApiClient *client, const QString &ns, const QString &name, QObject *context,
                      Done done);
    static void resume(ApiClient *client, const QString &ns, const QString &name, QObject *context,
                       Done done);
    static void restart(ApiClient *client, const QString &ns, const QString &name, QObject *context,
                        Done done);
    // kubectl rollout undo [--to-revision=N]; toRevision 0 = the previous revision.
    static void rollback(ApiClient *client, const QString &ns, const QString &name,
                         qint64 toRevision, QObject *context, Done done);
    // kubectl rollout history: the Deployment's ReplicaSets (controller ownerReference = its
    // uid) by revision, ascending.
    static void history(ApiClient *client, const QString &ns, const QString &name, QObject *context,
                        HistoryDone done);

    // Pieces of the above without a network, for tests and previews.
    // The patch body of set image, or nullopt when nothing changes; an unknown container is an
    // error.
    static Result<std::optional<QByteArray>> setImagePatch(const QJsonObject &deployment,
                                                           const QList<ImageChange> &changes,
                                                           const QString &changeCause);
    static QString defaultChangeCause(const QString &name, const QList<ImageChange> &changes);
    // kubectl's equalIgnoreHash: pod templates equal once pod-template-hash is dropped.
    static bool templatesEqualIgnoringHash(QJsonObject a, QJsonObject b);
    // The JSON patch of rollout undo: the RS template without pod-template-hash, and the
    // annotations (the Deployment's values for the skip-list keys plus the RS's other ones).
    static QByteArray rollbackPatch(const QJsonObject &deployment, const QJsonObject &replicaSet);

private:
    // pause (true) and resume (false): refused when the Deployment already is so.
    static void setPaused(ApiClient *client, const QString &ns, const QString &name, bool paused,
                          QObject *context, Done done);
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::RevisionInfo)
