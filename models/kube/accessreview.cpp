// SPDX-License-Identifier: MIT
#include "kube/accessreview.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <memory>

namespace rollscope::kube {

namespace {
namespace accessreview {

const QString kReviewPath =
    QStringLiteral("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews");

AccessQuestion question(const char *verb, const char *group, const char *resource,
                        const char *subresource = "")
{
    return AccessQuestion{QString::fromLatin1(verb), QString::fromLatin1(group),
                          QString::fromLatin1(resource), QString::fromLatin1(subresource)};
}

// The resource as a person names it, for the sentences below.
QString noun(const AccessQuestion &q)
{
    if (q.group == u"apps" && q.resource == u"deployments")
        return q.subresource == u"scale" ? AccessResults::tr("the scale of Deployments")
               : q.subresource.isEmpty() ? AccessResults::tr("Deployments")
                                         : q.resourceText();
    if (q.group == u"apps" && q.resource == u"replicasets" && q.subresource.isEmpty())
        return AccessResults::tr("ReplicaSets");
    if (q.group.isEmpty() && q.resource == u"pods")
        return q.subresource == u"log"   ? AccessResults::tr("pod logs")
               : q.subresource.isEmpty() ? AccessResults::tr("Pods")
                                         : q.resourceText();
    if (q.group.isEmpty() && q.resource == u"services")
        return q.subresource == u"proxy" ? AccessResults::tr("the API server's proxy to Services")
               : q.subresource.isEmpty() ? AccessResults::tr("Services")
                                         : q.resourceText();
    return q.resourceText();
}

// Why a question could not be answered, and what that means for the action.
QString unknownBecause(const AccessQuestion &q, const QString &ns, const QString &detail)
{
    return AccessResults::tr(
               "Could not check whether you may %1 %2 in namespace \"%3\": %4 The action stays "
               "available; if the server refuses it, it will say why.")
        .arg(q.verb, noun(q), ns, detail);
}

QString deniedBecause(const AccessQuestion &q, const QString &ns, bool readOnly,
                      const QString &serverReason, const QString &evaluationError)
{
    QString text =
        readOnly ? AccessResults::tr(
                       "Your credentials may not %1 %2 in namespace \"%3\" (read-only access).")
                       .arg(q.verb, noun(q), ns)
                 : AccessResults::tr("Your credentials may not %1 %2 in namespace \"%3\".")
                       .arg(q.verb, noun(q), ns);
    if (!serverReason.isEmpty())
        text = AccessResults::tr("%1 The server says: %2").arg(text, serverReason);
    if (!evaluationError.isEmpty())
        text = AccessResults::tr("%1 (The server could not evaluate every rule: %2)")
                   .arg(text, evaluationError);
    return text;
}

QByteArray reviewBody(const QString &ns, const AccessQuestion &q)
{
    QJsonObject attributes{{QStringLiteral("namespace"), ns},
                           {QStringLiteral("verb"), q.verb},
                           {QStringLiteral("group"), q.group},
                           {QStringLiteral("resource"), q.resource}};
    if (!q.subresource.isEmpty())
        attributes.insert(QStringLiteral("subresource"), q.subresource);
    const QJsonObject review{
        {QStringLiteral("kind"), QStringLiteral("SelfSubjectAccessReview")},
        {QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
        {QStringLiteral("spec"), QJsonObject{{QStringLiteral("resourceAttributes"), attributes}}}};
    return QJsonDocument(review).toJson(QJsonDocument::Compact);
}

// The error of a review request as the reason of an unknown answer.
QString reviewFailure(const Error &error, std::chrono::milliseconds timeout)
{
    switch (error.kind) {
    case Error::Kind::NotFound:
        return AccessResults::tr(
            "the server does not offer access reviews (SelfSubjectAccessReview, 404).");
    case Error::Kind::Forbidden:
        return AccessResults::tr(
            "your credentials may not ask the server what they may do (creating a "
            "SelfSubjectAccessReview is forbidden).");
    case Error::Kind::Timeout:
        return AccessResults::tr("the server did not answer within %1 s.")
            .arg(QString::number(double(timeout.count()) / 1000.0));
    default:
        break;
    }
    if (error.httpStatus == 404)
        return AccessResults::tr(
            "the server does not offer access reviews (SelfSubjectAccessReview, 404).");
    if (error.httpStatus == 403)
        return AccessResults::tr(
            "your credentials may not ask the server what they may do (creating a "
            "SelfSubjectAccessReview is forbidden).");
    return AccessResults::tr("the review failed: %1").arg(error.message);
}

// The review endpoint itself is unavailable to these credentials: every other question would
// get the same answer.
bool endpointUnavailable(const Error &error)
{
    return error.kind == Error::Kind::NotFound || error.kind == Error::Kind::Forbidden ||
           error.httpStatus == 404 || error.httpStatus == 403;
}

QString identityKey(const QString &identity, const QString &ns)
{
    return identity + u'\n' + ns;
}

} // namespace accessreview
} // namespace

// ---- AccessQuestion ----

QString AccessQuestion::resourceText() const
{
    QString text = resource;
    if (!group.isEmpty())
        text += u'.' + group;
    if (!subresource.isEmpty())
        text += u'/' + subresource;
    return text;
}

QString AccessQuestion::text() const
{
    return verb + u' ' + resourceText();
}

bool AccessQuestion::isWrite() const
{
    return verb != u"get" && verb != u"list" && verb != u"watch";
}

size_t qHash(const AccessQuestion &q, size_t seed)
{
    return qHashMulti(seed, q.verb, q.group, q.resource, q.subresource);
}

// ---- AccessResults ----

std::optional<AccessAnswer> AccessResults::answer(const AccessQuestion &question) const
{
    for (const AccessAnswer &a : answers) {
        if (a.question == question)
            return a;
    }
    return std::nullopt;
}

AccessVerdict AccessResults::verdict(GuardedAction action) const
{
    bool unknown = false;
    for (const AccessQuestion &q : PermissionCheck::questionsFor(action)) {
        const std::optional<AccessAnswer> a = answer(q);
        if (a && a->verdict == AccessVerdict::Denied)
            return AccessVerdict::Denied;
        if (!a || a->verdict == AccessVerdict::Unknown)
            unknown = true;
    }
    return unknown ? AccessVerdict::Unknown : AccessVerdict::Allowed;
}

bool AccessResults::allowed(GuardedAction action) const
{
    return verdict(action) != AccessVerdict::Denied;
}

QString AccessResults::whyNot(GuardedAction action) const
{
    for (const AccessQuestion &q : PermissionCheck::questionsFor(action)) {
        const std::optional<AccessAnswer> a = answer(q);
        if (a && a->verdict == AccessVerdict::Denied)
            return a->reason;
    }
    return {};
}

QString AccessResults::explanation(GuardedAction action) const
{
    if (const QString denied = whyNot(action); !denied.isEmpty())
        return denied;
    for (const AccessQuestion &q : PermissionCheck::questionsFor(action)) {
        const std::optional<AccessAnswer> a = answer(q);
        if (!a)
            return tr("Whether you may %1 %2 in namespace \"%3\" was not checked; the action "
                      "stays available.")
                .arg(q.verb, accessreview::noun(q), ns);
        if (a->verdict == AccessVerdict::Unknown)
            return a->reason;
    }
    return {};
}

// ---- PermissionCheck ----

PermissionCheck::PermissionCheck(ApiClient *client, QObject *parent)
    : PermissionCheck(client, Options{}, parent)
{}

PermissionCheck::PermissionCheck(ApiClient *client, Options options, QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_options(options)
{
    m_options.maxConcurrent = std::max(1, m_options.maxConcurrent);
    qRegisterMetaType<AccessResults>();
    watchClient();
}

PermissionCheck::~PermissionCheck()
{
    cancel();
}

QList<AccessQuestion> PermissionCheck::questionsFor(GuardedAction action)
{
    using accessreview::question;
    switch (action) {
    case GuardedAction::UpdateImage:
    case GuardedAction::PauseResume:
    case GuardedAction::Restart:
        // GET the Deployment, then a strategic-merge PATCH.
        return {question("get", "apps", "deployments"), question("patch", "apps", "deployments")};
    case GuardedAction::Rollback:
    case GuardedAction::Abort:
        // GET the Deployment, LIST its ReplicaSets, then a JSON PATCH of the template.
        return {question("get", "apps", "deployments"), question("list", "apps", "replicasets"),
                question("patch", "apps", "deployments")};
    case GuardedAction::Scale:
        // A merge PATCH of the scale subresource, nothing read first.
        return {question("patch", "apps", "deployments", "scale")};
    case GuardedAction::PodLogs:
        return {question("get", "", "pods", "log")};
    case GuardedAction::ViewYaml:
        return {question("get", "apps", "deployments")};
    case GuardedAction::ViewPodYaml:
        return {question("get", "", "pods")};
    case GuardedAction::TrafficTargets:
        return {question("list", "", "services"), question("watch", "", "services")};
    case GuardedAction::TrafficViaProxy:
        return {question("get", "", "services", "proxy")};
    }
    return {};
}

QList<GuardedAction> PermissionCheck::allActions()
{
    return {
        GuardedAction::UpdateImage,    GuardedAction::PauseResume,    GuardedAction::Restart,
        GuardedAction::Rollback,       GuardedAction::Abort,          GuardedAction::Scale,
        GuardedAction::PodLogs,        GuardedAction::ViewYaml,       GuardedAction::ViewPodYaml,
        GuardedAction::TrafficTargets, GuardedAction::TrafficViaProxy};
}

QList<AccessQuestion> PermissionCheck::allQuestions()
{
    QList<AccessQuestion> all;
    for (GuardedAction action : allActions()) {
        for (const AccessQuestion &q : questionsFor(action)) {
            if (!all.contains(q))
                all.append(q);
        }
    }
    return all;
}

QString PermissionCheck::identityOf(const ApiClient *client)
{
    if (!client)
        return {};
    const ClusterConfig &config = client->config();
    QString user = config.user.name;
    if (!config.user.impersonate.isEmpty())
        user += QStringLiteral(" as ") + config.user.impersonate;
    if (!config.user.impersonateGroups.isEmpty())
        user += QStringLiteral(" groups ") + config.user.impersonateGroups.join(u',');
    return config.cluster.server.toString() + u'|' + user;
}

void PermissionCheck::setClient(ApiClient *client)
{
    if (client == m_client)
        return;
    cancel();
    if (m_client)
        m_client->disconnect(this);
    m_client = client;
    watchClient();
}

void PermissionCheck::watchClient()
{
    if (!m_client)
        return;
    // A client deleted with reviews in flight never answers them.
    connect(m_client, &QObject::destroyed, this, [this] {
        if (isChecking())
            settleRemaining(AccessAnswer{});
    });
}

void PermissionCheck::cancel()
{
    ++m_generation;
    if (m_client) {
        for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
            m_client->cancel(it.key());
    }
    m_inFlight.clear();
    m_queue.clear();
    m_answers.clear();
    m_pending = 0;
}

void PermissionCheck::check(const QString &ns, const QList<AccessQuestion> &questions)
{
    cancel();
    m_ns = ns;
    m_identity = identityOf(m_client);
    const QList<AccessQuestion> asked = questions.isEmpty() ? allQuestions() : questions;
    for (const AccessQuestion &q : asked) {
        bool seen = false;
        for (const AccessAnswer &a : std::as_const(m_answers))
            seen = seen || a.question == q;
        if (seen)
            continue;
        AccessAnswer a;
        a.question = q;
        m_queue.append(int(m_answers.size()));
        m_answers.append(a);
    }
    m_pending = int(m_answers.size());
    if (!m_client) {
        settleRemaining(AccessAnswer{});
        return;
    }
    pump();
}

std::optional<AccessResults> PermissionCheck::cached(const QString &ns) const
{
    const auto it = m_cache.constFind(accessreview::identityKey(identityOf(m_client), ns));
    if (it == m_cache.constEnd())
        return std::nullopt;
    return *it;
}

void PermissionCheck::pump()
{
    const quint64 generation = m_generation;
    while (generation == m_generation && !m_queue.isEmpty() &&
           m_inFlight.size() < m_options.maxConcurrent) {
        ask(m_queue.takeFirst());
    }
}

void PermissionCheck::ask(int index)
{
    if (!m_client) {
        settleRemaining(AccessAnswer{});
        return;
    }
    ApiRequest request;
    request.method = QByteArrayLiteral("POST");
    request.path = accessreview::kReviewPath;
    request.body = accessreview::reviewBody(m_ns, m_answers.at(index).question);
    request.contentType = QByteArrayLiteral("application/json");
    request.timeout = m_options.timeout;
    const quint64 generation = m_generation;
    // The client may answer before send() returns (a credential that cannot be had).
    auto answered = std::make_shared<bool>(false);
    auto sentId = std::make_shared<quint64>(0);
    const quint64 id = m_client->send(
        request, this, [this, generation, index, answered, sentId](Result<ApiResponse> response) {
            *answered = true;
            onAnswer(generation, *sentId, index, response);
        });
    *sentId = id;
    if (!*answered && generation == m_generation)
        m_inFlight.insert(id, index);
}

void PermissionCheck::onAnswer(quint64 generation, quint64 requestId, int index,
                               const Result<ApiResponse> &response)
{
    if (generation != m_generation || index < 0 || index >= m_answers.size())
        return; // a check that was replaced: its answers are dropped
    m_inFlight.remove(requestId);
    AccessAnswer &a = m_answers[index];
    if (a.verdict != AccessVerdict::Unknown || !a.reason.isEmpty())
        return; // already settled (settleRemaining)
    const AccessQuestion q = a.question;
    if (!response) {
        const Error &error = response.error();
        a.reason = accessreview::unknownBecause(
            q, m_ns, accessreview::reviewFailure(error, m_options.timeout));
        --m_pending;
        if (accessreview::endpointUnavailable(error)) {
            AccessAnswer unknown;
            unknown.reason = accessreview::reviewFailure(error, m_options.timeout);
            settleRemaining(unknown);
            return;
        }
    } else if (response->body.size() > m_options.maxAnswerBytes) {
        a.reason = accessreview::unknownBecause(
            q, m_ns,
            AccessResults::tr("the server's answer was larger than %1 KiB.")
                .arg(m_options.maxAnswerBytes / 1024));
        --m_pending;
    } else {
        const QJsonObject review = response->json();
        const QJsonObject status = review.value(u"status").toObject();
        const QJsonValue allowed = status.value(u"allowed");
        if (review.value(u"kind").toString() != u"SelfSubjectAccessReview" || !allowed.isBool()) {
            a.reason = accessreview::unknownBecause(
                q, m_ns,
                AccessResults::tr("the server's answer was not a SelfSubjectAccessReview with a "
                                  "status."));
        } else {
            a.serverReason = status.value(u"reason").toString();
            a.evaluationError = status.value(u"evaluationError").toString();
            a.verdict = allowed.toBool() ? AccessVerdict::Allowed : AccessVerdict::Denied;
        }
        --m_pending;
    }
    pump();
    finishIfDone();
}

void PermissionCheck::settleRemaining(const AccessAnswer &unknown)
{
    m_queue.clear();
    if (m_client) {
        for (auto it = m_inFlight.cbegin(); it != m_inFlight.cend(); ++it)
            m_client->cancel(it.key());
    }
    m_inFlight.clear();
    for (AccessAnswer &a : m_answers) {
        if (a.verdict != AccessVerdict::Unknown || !a.reason.isEmpty())
            continue;
        const QString detail = !unknown.reason.isEmpty()
                                   ? unknown.reason
                                   : AccessResults::tr("there is no connection to a cluster.");
        a.reason = accessreview::unknownBecause(a.question, m_ns, detail);
    }
    m_pending = 0;
    if (!m_client || m_answers.isEmpty()) {
        // Reported asynchronously like every other outcome: check() has not returned yet.
        const quint64 generation = m_generation;
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation)
                finishIfDone();
        });
        return;
    }
    finishIfDone();
}

void PermissionCheck::finishIfDone()
{
    if (m_pending > 0 || !m_inFlight.isEmpty() || !m_queue.isEmpty())
        return;
    AccessResults results;
    results.ns = m_ns;
    results.identity = m_identity;
    results.checkedAt = QDateTime::currentDateTimeUtc();
    results.answers = m_answers;
    // Denied writes of credentials that may read: say it is read-only access.
    bool readsAllowed = false;
    for (const AccessAnswer &a : std::as_const(results.answers))
        readsAllowed =
            readsAllowed || (!a.question.isWrite() && a.verdict == AccessVerdict::Allowed);
    for (AccessAnswer &a : results.answers) {
        if (a.verdict == AccessVerdict::Denied)
            a.reason =
                accessreview::deniedBecause(a.question, m_ns, readsAllowed && a.question.isWrite(),
                                            a.serverReason, a.evaluationError);
    }
    // A finished check is done: the next answer belongs to the next check.
    ++m_generation;
    m_answers.clear();
    if (!results.identity.isEmpty())
        m_cache.insert(accessreview::identityKey(results.identity, results.ns), results);
    emit resultsReady(results);
}

} // namespace rollscope::kube
