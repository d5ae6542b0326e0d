// SPDX-License-Identifier: MIT
// Which rollout actions the user may perform, asked of the API server with
// SelfSubjectAccessReviews (issue 13 "Read-only contexts"): the admin may do everything, the
// read-only viewer is denied every write with a reason naming verb, resource and namespace; a
// server without reviews, a forbidden review, a timeout and an oversized or unreadable answer
// all give "unknown" (the action stays enabled); reviews are bounded in number; answers for a
// namespace the user already left are dropped; results are cached per identity and namespace.
#include "hostileserver.h"
#include "kube/accessreview.h"
#include "kube/operations.h"
#include "simfixture.h"
#include "testmain.h"

#include <QSignalSpy>

#include <memory>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::Await;
using rollscope::test::HostileServer;
using rollscope::test::SimFixture;
using Answer = HostileServer::Answer;

namespace {

constexpr int kTimeout = 15000;
const QString kNs = QStringLiteral("default");
const QString kAdmin = QStringLiteral("rollscope-sim");
const QString kViewer = QStringLiteral("rollscope-sim-viewer");
const QByteArray kReviewPath = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";

const QList<GuardedAction> kWrites{GuardedAction::UpdateImage, GuardedAction::PauseResume,
                                   GuardedAction::Restart,     GuardedAction::Rollback,
                                   GuardedAction::Abort,       GuardedAction::Scale};
const QList<GuardedAction> kReads{GuardedAction::PodLogs, GuardedAction::ViewYaml,
                                  GuardedAction::ViewPodYaml, GuardedAction::TrafficTargets};

Result<ClusterConfig> hostileConfig(HostileServer &server)
{
    Kubeconfig::LoadOptions load;
    load.explicitPath = server.writeKubeconfig(QStringLiteral("review-token"));
    Result<Kubeconfig> loaded = Kubeconfig::load(load);
    if (!loaded)
        return loaded.error();
    return loaded->resolve(QString());
}

// What a real API server answers to a review: the review with its status.
Answer reviewAnswer(bool allowed, const QString &reason = {}, const QByteArray &padding = {})
{
    QJsonObject status{{QStringLiteral("allowed"), allowed}};
    if (!reason.isEmpty())
        status.insert(QStringLiteral("reason"), reason);
    QJsonObject review{{QStringLiteral("kind"), QStringLiteral("SelfSubjectAccessReview")},
                       {QStringLiteral("apiVersion"), QStringLiteral("authorization.k8s.io/v1")},
                       {QStringLiteral("status"), status}};
    if (!padding.isEmpty())
        review.insert(
            QStringLiteral("metadata"),
            QJsonObject{{QStringLiteral("annotations"),
                         QJsonObject{{QStringLiteral("padding"), QString::fromLatin1(padding)}}}});
    return Answer::json(201, review);
}

QString actionName(GuardedAction action)
{
    return QString::number(int(action));
}

} // namespace

class TestAccessReviewSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_sim;

    std::unique_ptr<ApiClient> simClient(const QString &context)
    {
        Result<ClusterConfig> config = m_sim->config(context);
        if (!config)
            return nullptr;
        return std::make_unique<ApiClient>(*config);
    }

    // Runs one check and waits for its results (nullopt when none came).
    static std::optional<AccessResults> run(PermissionCheck &check, const QString &ns,
                                            const QList<AccessQuestion> &questions = {})
    {
        QSignalSpy spy(&check, &PermissionCheck::resultsReady);
        check.check(ns, questions);
        if (!QTest::qWaitFor([&] { return spy.count() > 0; }, kTimeout) || spy.count() != 1)
            return std::nullopt;
        return spy.at(0).at(0).value<AccessResults>();
    }

private slots:
    void init()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
    }
    void cleanup() { m_sim.reset(); }

    // The questions are what operations.cpp sends.
    void questionsMatchTheRequestsSent()
    {
        const AccessQuestion patchDeployments{
            QStringLiteral("patch"), QStringLiteral("apps"), QStringLiteral("deployments"), {}};
        const AccessQuestion getDeployments{
            QStringLiteral("get"), QStringLiteral("apps"), QStringLiteral("deployments"), {}};
        const AccessQuestion listReplicaSets{
            QStringLiteral("list"), QStringLiteral("apps"), QStringLiteral("replicasets"), {}};
        for (GuardedAction a :
             {GuardedAction::UpdateImage, GuardedAction::PauseResume, GuardedAction::Restart}) {
            QCOMPARE(PermissionCheck::questionsFor(a),
                     (QList<AccessQuestion>{getDeployments, patchDeployments}));
        }
        for (GuardedAction a : {GuardedAction::Rollback, GuardedAction::Abort}) {
            QCOMPARE(PermissionCheck::questionsFor(a),
                     (QList<AccessQuestion>{getDeployments, listReplicaSets, patchDeployments}));
        }
        QCOMPARE(PermissionCheck::questionsFor(GuardedAction::Scale),
                 (QList<AccessQuestion>{{QStringLiteral("patch"), QStringLiteral("apps"),
                                         QStringLiteral("deployments"), QStringLiteral("scale")}}));
        QCOMPARE(PermissionCheck::questionsFor(GuardedAction::PodLogs).value(0).text(),
                 QStringLiteral("get pods/log"));
        QCOMPARE(PermissionCheck::questionsFor(GuardedAction::TrafficViaProxy).value(0).text(),
                 QStringLiteral("get services/proxy"));
        const QList<AccessQuestion> all = PermissionCheck::allQuestions();
        QCOMPARE(QSet<AccessQuestion>(all.begin(), all.end()).size(), all.size());
        for (GuardedAction a : PermissionCheck::allActions()) {
            QVERIFY(!PermissionCheck::questionsFor(a).isEmpty());
            for (const AccessQuestion &q : PermissionCheck::questionsFor(a))
                QVERIFY2(all.contains(q), qPrintable(q.text()));
        }
    }

    void adminMayDoEverything()
    {
        auto client = simClient(kAdmin);
        QVERIFY(client);
        PermissionCheck check(client.get());
        const qint64 before = m_sim->api()->requestCount();
        const std::optional<AccessResults> results = run(check, kNs);
        QVERIFY(results);
        QCOMPARE(results->ns, kNs);
        QCOMPARE(results->answers.size(), PermissionCheck::allQuestions().size());
        // One review per question, no more.
        QCOMPARE(m_sim->api()->requestCount() - before, qint64(results->answers.size()));
        for (const AccessAnswer &a : results->answers)
            QVERIFY2(a.verdict == AccessVerdict::Allowed, qPrintable(a.question.text() + a.reason));
        for (GuardedAction action : PermissionCheck::allActions()) {
            QVERIFY2(results->verdict(action) == AccessVerdict::Allowed,
                     qPrintable(actionName(action)));
            QVERIFY(results->allowed(action));
            QVERIFY(results->whyNot(action).isEmpty());
            QVERIFY(results->explanation(action).isEmpty());
        }
    }

    void viewerIsDeniedEveryWrite()
    {
        auto client = simClient(kViewer);
        QVERIFY(client);
        PermissionCheck check(client.get());
        const std::optional<AccessResults> results = run(check, kNs);
        QVERIFY(results);
        for (GuardedAction action : kWrites) {
            QVERIFY2(results->verdict(action) == AccessVerdict::Denied,
                     qPrintable(actionName(action)));
            QVERIFY(!results->allowed(action));
            const QString why = results->whyNot(action);
            QVERIFY2(why.contains(QStringLiteral("may not patch")), qPrintable(why));
            QVERIFY2(why.contains(QStringLiteral("Deployments")), qPrintable(why));
            QVERIFY2(why.contains(QStringLiteral("namespace \"default\"")), qPrintable(why));
            QVERIFY2(why.contains(QStringLiteral("read-only")), qPrintable(why));
            QCOMPARE(results->explanation(action), why);
        }
        QCOMPARE(results->whyNot(GuardedAction::UpdateImage),
                 QStringLiteral("Your credentials may not patch Deployments in namespace "
                                "\"default\" (read-only access)."));
        QVERIFY(results->whyNot(GuardedAction::Scale).contains(QStringLiteral("scale")));
        for (GuardedAction action : kReads) {
            QVERIFY2(results->verdict(action) == AccessVerdict::Allowed,
                     qPrintable(actionName(action) + results->explanation(action)));
            QVERIFY(results->whyNot(action).isEmpty());
        }
        // The sim's viewer is the built-in `view` role: no service proxy.
        QCOMPARE(results->verdict(GuardedAction::TrafficViaProxy), AccessVerdict::Denied);
        QVERIFY(results->whyNot(GuardedAction::TrafficViaProxy).contains(QStringLiteral("get")));
        // The RBAC binding that allows the reads comes along.
        const auto read =
            results->answer(PermissionCheck::questionsFor(GuardedAction::ViewYaml)[0]);
        QVERIFY(read);
        QVERIFY2(read->serverReason.contains(QStringLiteral("rollscope:viewers")),
                 qPrintable(read->serverReason));

        // The verdict is what the write itself meets.
        Await<WriteOutcome> scaled;
        DeploymentOperations::scale(client.get(), kNs, QStringLiteral("demo-dp"), 3, this,
                                    scaled.callback());
        QTRY_VERIFY_WITH_TIMEOUT(scaled.ready(), kTimeout);
        QVERIFY(!scaled.result().ok());
        QCOMPARE(scaled.result().error().httpStatus, 403);
    }

    void theReasonNamesTheNamespaceAsked()
    {
        auto client = simClient(kViewer);
        QVERIFY(client);
        PermissionCheck check(client.get());
        const std::optional<AccessResults> results = run(check, QStringLiteral("kube-system"));
        QVERIFY(results);
        QCOMPARE(results->ns, QStringLiteral("kube-system"));
        const QString why = results->whyNot(GuardedAction::Restart);
        QVERIFY2(why.contains(QStringLiteral("namespace \"kube-system\"")), qPrintable(why));
        QVERIFY(!why.contains(QStringLiteral("\"default\"")));
    }

    void answersForANamespaceLeftMidFlightAreDropped()
    {
        auto client = simClient(kViewer);
        QVERIFY(client);
        PermissionCheck check(client.get());
        QSignalSpy spy(&check, &PermissionCheck::resultsReady);
        check.check(kNs);
        QVERIFY(check.isChecking());
        QVERIFY(check.inFlight() > 0); // the reviews for "default" are on their way
        check.check(QStringLiteral("kube-system"));
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, kTimeout);
        QCOMPARE(spy.at(0).at(0).value<AccessResults>().ns, QStringLiteral("kube-system"));
        // A full round trip later, still nothing for "default" came out or was cached.
        check.check(QStringLiteral("kube-system"));
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, kTimeout);
        for (const QList<QVariant> &emitted : std::as_const(spy))
            QCOMPARE(emitted.at(0).value<AccessResults>().ns, QStringLiteral("kube-system"));
        QVERIFY(!check.cached(kNs));
        QVERIFY(check.cached(QStringLiteral("kube-system")));
    }

    // Answers to the admin's questions, still on their way when the context switches to the
    // viewer, never leak into the viewer's results (they would allow every write).
    void answersForAnIdentityLeftMidFlightAreDropped()
    {
        auto admin = simClient(kAdmin);
        auto viewer = simClient(kViewer);
        QVERIFY(admin && viewer);
        PermissionCheck check(admin.get());
        QSignalSpy spy(&check, &PermissionCheck::resultsReady);
        check.check(kNs);
        QVERIFY(check.inFlight() > 0);
        check.setClient(viewer.get());
        QVERIFY(!check.isChecking());
        check.check(kNs);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, kTimeout);
        const auto results = spy.at(0).at(0).value<AccessResults>();
        QCOMPARE(results.identity, PermissionCheck::identityOf(viewer.get()));
        for (const AccessAnswer &a : results.answers) {
            if (a.question.isWrite())
                QVERIFY2(a.verdict == AccessVerdict::Denied, qPrintable(a.question.text()));
        }
        // A round trip later, nothing else came out, and the admin's cache was not filled.
        check.check(kNs);
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 2, kTimeout);
        QVERIFY(!spy.at(1).at(0).value<AccessResults>().allowed(GuardedAction::Scale));
        check.setClient(admin.get());
        QVERIFY(!check.cached(kNs));
    }

    void resultsAreCachedPerIdentityAndNamespace()
    {
        auto admin = simClient(kAdmin);
        auto viewer = simClient(kViewer);
        QVERIFY(admin && viewer);
        QVERIFY(PermissionCheck::identityOf(admin.get()) !=
                PermissionCheck::identityOf(viewer.get()));
        PermissionCheck check(admin.get());
        QVERIFY(!check.cached(kNs));
        QVERIFY(run(check, kNs));
        QVERIFY(check.cached(kNs));
        QVERIFY(!check.cached(QStringLiteral("other")));
        QVERIFY(check.cached(kNs)->allowed(GuardedAction::Scale));

        check.setClient(viewer.get());
        QVERIFY(!check.cached(kNs)); // the admin's answers are not the viewer's
        const std::optional<AccessResults> viewerResults = run(check, kNs);
        QVERIFY(viewerResults);
        QVERIFY(!viewerResults->allowed(GuardedAction::Scale));
        QVERIFY(!check.cached(kNs)->allowed(GuardedAction::Scale));

        check.setClient(admin.get());
        QVERIFY(check.cached(kNs)->allowed(GuardedAction::Scale));
        // Asked again, the server is asked again.
        const qint64 before = m_sim->api()->requestCount();
        QVERIFY(run(check, kNs, PermissionCheck::questionsFor(GuardedAction::Scale)));
        QCOMPARE(m_sim->api()->requestCount() - before, qint64(1));
    }

    // A server without authorization.k8s.io: nothing is disabled, and it says why not known.
    void aServerWithoutReviewsGivesUnknown()
    {
        HostileServer server([](const HostileServer::Request &) {
            return Answer::failure(404, QStringLiteral("NotFound"),
                                   QStringLiteral("the server could not find the requested "
                                                  "resource"));
        });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        Result<ClusterConfig> config = hostileConfig(server);
        QVERIFY2(config.ok(), qPrintable(config ? QString() : config.error().message));
        ApiClient client(*config);
        PermissionCheck check(&client);
        const std::optional<AccessResults> results = run(check, QStringLiteral("demo"));
        QVERIFY(results);
        QCOMPARE(results->answers.size(), PermissionCheck::allQuestions().size());
        for (const AccessAnswer &a : results->answers)
            QCOMPARE(a.verdict, AccessVerdict::Unknown);
        for (GuardedAction action : PermissionCheck::allActions()) {
            QCOMPARE(results->verdict(action), AccessVerdict::Unknown);
            QVERIFY(results->allowed(action));
            QVERIFY(results->whyNot(action).isEmpty());
            const QString text = results->explanation(action);
            QVERIFY2(text.contains(QStringLiteral("does not offer access reviews")),
                     qPrintable(text));
            QVERIFY2(text.contains(QStringLiteral("stays available")), qPrintable(text));
        }
        // The first 404 settles the rest: at most one batch was sent, all to the review path.
        QVERIFY(!server.requests().isEmpty());
        QVERIFY(server.requests().size() <= check.options().maxConcurrent);
        for (const HostileServer::Request &r : server.requests()) {
            QCOMPARE(r.method, QByteArray("POST"));
            // (HostileServer::Request::path() is empty for a target without a query.)
            QCOMPARE(r.target, kReviewPath);
        }
    }

    void aForbiddenReviewGivesUnknown()
    {
        HostileServer server([](const HostileServer::Request &) {
            return Answer::failure(
                403, QStringLiteral("Forbidden"),
                QStringLiteral("selfsubjectaccessreviews.authorization.k8s.io is forbidden"));
        });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        ApiClient client(*hostileConfig(server));
        PermissionCheck check(&client);
        const std::optional<AccessResults> results = run(check, QStringLiteral("demo"));
        QVERIFY(results);
        for (GuardedAction action : PermissionCheck::allActions()) {
            QCOMPARE(results->verdict(action), AccessVerdict::Unknown);
            QVERIFY(results->allowed(action));
            QVERIFY2(results->explanation(action).contains(QStringLiteral("may not ask")),
                     qPrintable(results->explanation(action)));
        }
    }

    void aReviewThatTimesOutGivesUnknown()
    {
        HostileServer server([](const HostileServer::Request &) { return Answer::hang(); });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        ApiClient client(*hostileConfig(server));
        PermissionCheck::Options options;
        options.timeout = std::chrono::milliseconds(300);
        PermissionCheck check(&client, options);
        const std::optional<AccessResults> results =
            run(check, QStringLiteral("demo"), PermissionCheck::questionsFor(GuardedAction::Scale));
        QVERIFY(results);
        QCOMPARE(results->verdict(GuardedAction::Scale), AccessVerdict::Unknown);
        QVERIFY(results->allowed(GuardedAction::Scale));
        QVERIFY2(results->explanation(GuardedAction::Scale).contains(QStringLiteral("in time")) ||
                     results->explanation(GuardedAction::Scale).contains(QStringLiteral("within")),
                 qPrintable(results->explanation(GuardedAction::Scale)));
        // A POST is not repeated after a timeout.
        QCOMPARE(server.requests().size(), 1);
    }

    void reviewsInFlightAreBounded()
    {
        HostileServer server([](const HostileServer::Request &) { return Answer::hang(); });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        ApiClient client(*hostileConfig(server));
        PermissionCheck::Options options;
        options.maxConcurrent = 2;
        PermissionCheck check(&client, options);
        const int questions = int(PermissionCheck::allQuestions().size());
        QVERIFY(questions > 2);
        check.check(QStringLiteral("demo"));
        QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), 2, kTimeout);
        QCOMPARE(client.requestsSent(), qint64(2));
        QCOMPARE(check.inFlight(), 2);
        QCOMPARE(check.queued(), questions - 2);
        QVERIFY(check.isChecking());
        check.cancel();
        QVERIFY(!check.isChecking());
        QCOMPARE(check.inFlight(), 0);
    }

    void anOversizedOrUnreadableAnswerGivesUnknown()
    {
        enum class Mode
        {
            Small,
            Big,
            Unreadable
        };
        Mode mode = Mode::Small;
        HostileServer server([&mode](const HostileServer::Request &) {
            switch (mode) {
            case Mode::Small:
                return reviewAnswer(true, QStringLiteral("allowed by a test"));
            case Mode::Big:
                return reviewAnswer(true, {}, QByteArray(100 * 1024, 'x'));
            case Mode::Unreadable:
                return Answer::json(
                    201, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")}});
            }
            return Answer::close();
        });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        ApiClient client(*hostileConfig(server));
        PermissionCheck check(&client);
        const QList<AccessQuestion> scale = PermissionCheck::questionsFor(GuardedAction::Scale);

        std::optional<AccessResults> results = run(check, QStringLiteral("demo"), scale);
        QVERIFY(results);
        QCOMPARE(results->verdict(GuardedAction::Scale), AccessVerdict::Allowed);
        QCOMPARE(results->answers.value(0).serverReason, QStringLiteral("allowed by a test"));

        mode = Mode::Big;
        results = run(check, QStringLiteral("demo"), scale);
        QVERIFY(results);
        QCOMPARE(results->verdict(GuardedAction::Scale), AccessVerdict::Unknown);
        QVERIFY2(results->explanation(GuardedAction::Scale).contains(QStringLiteral("larger")),
                 qPrintable(results->explanation(GuardedAction::Scale)));

        mode = Mode::Unreadable;
        results = run(check, QStringLiteral("demo"), scale);
        QVERIFY(results);
        QCOMPARE(results->verdict(GuardedAction::Scale), AccessVerdict::Unknown);
        QVERIFY(results->allowed(GuardedAction::Scale));
    }

    // A denial from another authorizer (a webhook) carries its reason to the tooltip.
    void theServersDenialReasonIsShown()
    {
        HostileServer server([](const HostileServer::Request &) {
            return reviewAnswer(false, QStringLiteral("change freeze until Monday"));
        });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        ApiClient client(*hostileConfig(server));
        PermissionCheck check(&client);
        const std::optional<AccessResults> results =
            run(check, QStringLiteral("demo"), PermissionCheck::questionsFor(GuardedAction::Scale));
        QVERIFY(results);
        QCOMPARE(results->verdict(GuardedAction::Scale), AccessVerdict::Denied);
        const QString why = results->whyNot(GuardedAction::Scale);
        QVERIFY2(why.contains(QStringLiteral("change freeze until Monday")), qPrintable(why));
        QVERIFY2(why.contains(QStringLiteral("namespace \"demo\"")), qPrintable(why));
        // Nothing read was allowed, so it is not called read-only access.
        QVERIFY2(!why.contains(QStringLiteral("read-only")), qPrintable(why));
        // Questions not asked stay unknown, so their actions stay enabled.
        QCOMPARE(results->verdict(GuardedAction::PodLogs), AccessVerdict::Unknown);
        QVERIFY(results->allowed(GuardedAction::PodLogs));
    }

    void aClientDeletedMidCheckGivesUnknown()
    {
        HostileServer server([](const HostileServer::Request &) { return Answer::hang(); });
        QVERIFY2(server.ok(), qPrintable(server.error()));
        auto client = std::make_unique<ApiClient>(*hostileConfig(server));
        PermissionCheck check(client.get());
        QSignalSpy spy(&check, &PermissionCheck::resultsReady);
        check.check(QStringLiteral("demo"));
        QTRY_VERIFY_WITH_TIMEOUT(!server.requests().isEmpty(), kTimeout);
        client.reset();
        QTRY_COMPARE_WITH_TIMEOUT(spy.count(), 1, kTimeout);
        const auto results = spy.at(0).at(0).value<AccessResults>();
        for (GuardedAction action : PermissionCheck::allActions()) {
            QCOMPARE(results.verdict(action), AccessVerdict::Unknown);
            QVERIFY(results.allowed(action));
        }
        QVERIFY(!check.isChecking());
    }
};

ROLLSCOPE_TEST_MAIN(TestAccessReviewSim)
#include "tst_accessreview_sim.moc"
