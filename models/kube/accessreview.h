// SPDX-License-Identifier: MIT
#pragma once

// Which rollout actions the user may perform, asked of the API server before anything is sent
// (issue 13 "Read-only contexts"), the way `kubectl auth can-i` asks: one
// authorization.k8s.io/v1 SelfSubjectAccessReview per question. The window disables what is
// denied, with whyNot() as the tooltip, instead of letting the user run into a 403.
//
// Never wrongly disabled: a server that does not serve the reviews (404), credentials that may
// not create them (403), a timeout, an oversized or unreadable answer all give "unknown", and an
// unknown action stays enabled (the API's own 403, if it comes, is shown as before).
//
// What each action sends (see operations.cpp, probe/trafficprober.cpp):
// - set image, pause/resume, restart: GET, then PATCH of deployments.apps;
// - roll back and abort (abort = roll back to the previous template): GET of the Deployment,
//   LIST of replicasets.apps, PATCH of deployments.apps;
// - scale: PATCH of deployments.apps/scale;
// - pod logs: GET pods/log; YAML: GET of the deployment, GET of the pod;
// - traffic: the Service and Node informers (list/watch services; nodes are optional, only for
//   NodePort targets); LoadBalancer and NodePort targets are probed directly and need no API
//   permission; the API server's service proxy target needs GET services/proxy.

#include "kube/apiclient.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <optional>

namespace rollscope::kube {

// One question for the authorizer: may I `verb` `resource`[/`subresource`] of API group `group`
// in the namespace being checked? (`kubectl auth can-i VERB RESOURCE[/SUB] -n NS`)
struct AccessQuestion
{
    QString verb;        // get, list, watch, create, update, patch, delete
    QString group;       // "" = core, "apps"
    QString resource;    // plural: "deployments"
    QString subresource; // "scale", "log", "proxy"; "" = none

    // As kubectl spells the resource: "deployments.apps/scale", "pods/log".
    QString resourceText() const;
    // "patch deployments.apps/scale"
    QString text() const;
    bool isWrite() const;
    bool operator==(const AccessQuestion &) const = default;
};

size_t qHash(const AccessQuestion &question, size_t seed = 0);

enum class AccessVerdict
{
    Unknown, // not asked yet, or the server could not say (see AccessAnswer::reason)
    Allowed,
    Denied
};

struct AccessAnswer
{
    AccessQuestion question;
    AccessVerdict verdict = AccessVerdict::Unknown;
    // Plain words for a person: why it is denied, or why it is not known. Empty when allowed.
    QString reason;
    // status.reason and status.evaluationError as the server wrote them (e.g. the RBAC binding
    // that allowed it); may be empty.
    QString serverReason;
    QString evaluationError;
};

// Rollscope's actions that need a permission.
enum class GuardedAction
{
    UpdateImage,
    PauseResume,
    Restart,
    Rollback,
    Abort,
    Scale,
    PodLogs,
    ViewYaml,        // of the Deployment
    ViewPodYaml,     // of a pod
    TrafficTargets,  // finding Services to probe (the Service informer)
    TrafficViaProxy, // probing through the API server's service proxy
};

// The answers of one check: one namespace, one identity (server + user).
class AccessResults
{
    Q_DECLARE_TR_FUNCTIONS(AccessResults)

public:
    QString ns;
    QString identity; // PermissionCheck::identityOf() of the client that asked
    QDateTime checkedAt;
    QList<AccessAnswer> answers;

    bool isEmpty() const { return answers.isEmpty(); }
    // The answer to `question`, or nullopt when it was not asked.
    std::optional<AccessAnswer> answer(const AccessQuestion &question) const;

    // Denied when any of the action's questions is denied; else Unknown when any is unknown or
    // was not asked; else Allowed.
    AccessVerdict verdict(GuardedAction action) const;
    // False only when the server said no: unknown counts as allowed.
    bool allowed(GuardedAction action) const;
    // For the tooltip of a disabled action: why it is denied, e.g. `Your credentials may not
    // patch Deployments in namespace "default" (read-only access).`; empty unless denied.
    QString whyNot(GuardedAction action) const;
    // Why the verdict is what it is, for any verdict: whyNot(), or for an unknown verdict why
    // it could not be checked (the action stays enabled); empty when allowed.
    QString explanation(GuardedAction action) const;
};

// Asks the API server which of a set of questions the user may do, without blocking: one
// SelfSubjectAccessReview per question, at most Options::maxConcurrent at a time, each with its
// own deadline. Lives on the thread of its ApiClient.
//
//   auto *permissions = new PermissionCheck(client, this);
//   connect(permissions, &PermissionCheck::resultsReady, this, [=](const AccessResults &r) {
//       update->setEnabled(r.allowed(GuardedAction::UpdateImage) && ...);
//       update->setToolTip(r.whyNot(GuardedAction::UpdateImage));
//   });
//   permissions->check(ns); // on connect, on namespace change, on reconnect
//
// A new check() drops the one in flight (its answers never reach resultsReady or the cache), so
// answers for a namespace the user already left are never applied. Results are cached per
// (identity, namespace): cached() returns the last ones at once, e.g. when switching back.
class PermissionCheck : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        int maxConcurrent = 4;
        std::chrono::milliseconds timeout{std::chrono::seconds(10)}; // per review
        // A review's answer is a few hundred bytes; a larger one is a broken or hostile server.
        qsizetype maxAnswerBytes = 64 * 1024;
    };

    explicit PermissionCheck(ApiClient *client, QObject *parent = nullptr);
    PermissionCheck(ApiClient *client, Options options, QObject *parent = nullptr);
    ~PermissionCheck() override;

    // What `action` sends, as questions.
    static QList<AccessQuestion> questionsFor(GuardedAction action);
    static QList<GuardedAction> allActions();
    // The questions of every action, each once.
    static QList<AccessQuestion> allQuestions();
    // "server|user" of a client's config (user = kubeconfig user name plus impersonation): whose
    // permissions a result describes.
    static QString identityOf(const ApiClient *client);

    // Another cluster connection (context switch, reconnect): drops the check in flight; the
    // cache stays, keyed by identity.
    void setClient(ApiClient *client);
    ApiClient *client() const { return m_client; }
    const Options &options() const { return m_options; }

    // Asks the server now (a fresh check even when cached), dropping the check in flight;
    // resultsReady() follows once every question has an answer. Empty `questions` = all.
    void check(const QString &ns, const QList<AccessQuestion> &questions = {});
    // Drops the check in flight without an answer.
    void cancel();
    // The last results for `ns` of the current client's identity, if any.
    std::optional<AccessResults> cached(const QString &ns) const;
    void clearCache() { m_cache.clear(); }

    bool isChecking() const { return m_pending > 0; }
    QString checkingNamespace() const { return m_ns; }
    int inFlight() const { return int(m_inFlight.size()); }
    int queued() const { return int(m_queue.size()); }

signals:
    void resultsReady(const rollscope::kube::AccessResults &results);

private:
    void watchClient();
    void pump();
    void ask(int index);
    void onAnswer(quint64 generation, quint64 requestId, int index, const Result<ApiResponse> &r);
    // An answer that applies to every question still waiting (404, 403: the review endpoint
    // itself is unavailable, asking again cannot help).
    void settleRemaining(const AccessAnswer &unknown);
    void finishIfDone();

    QPointer<ApiClient> m_client;
    Options m_options;
    quint64 m_generation = 0;
    QString m_ns;
    QString m_identity;
    QList<AccessAnswer> m_answers;
    QList<int> m_queue;                    // indexes into m_answers still to send
    QHash<quint64, int> m_inFlight;        // ApiClient request id -> index
    int m_pending = 0;                     // questions without an answer
    QHash<QString, AccessResults> m_cache; // identity + '\n' + namespace
};

} // namespace rollscope::kube

Q_DECLARE_METATYPE(rollscope::kube::AccessResults)
