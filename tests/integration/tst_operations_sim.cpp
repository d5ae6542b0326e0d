// SPDX-License-Identifier: MIT
// Deployment writes against an in-process simulator, end to end: set image (with the
// change-cause), validation before sending, scale, pause/resume, restart, rollback and history,
// and typed errors (403, 409, 422). The virtual clock lets the controllers act when told.
#include "kube/apierror.h"
#include "kube/operations.h"
#include "simfixture.h"
#include "simulator/clock.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::kube;
using rollscope::test::Await;
using rollscope::test::SimFixture;

namespace {

constexpr int kTimeout = 15000;
const QString kNs = QStringLiteral("default");
const QString kName = QStringLiteral("demo-dp");

} // namespace

class TestOperationsSim : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<SimFixture> m_sim;
    std::unique_ptr<ApiClient> m_client;

    QJsonObject getDeployment()
    {
        Await<QJsonObject> got;
        m_client->getJson(ResourceKind::deployments().objectPath(kNs, kName), {}, this,
                          got.callback());
        if (!QTest::qWaitFor([&] { return got.ready(); }, kTimeout) || !got.result().ok())
            return {};
        return got.value();
    }

    // Lets the controllers react (new ReplicaSets, revision annotations).
    void settle() { m_sim->cluster()->clock()->advance(5000); }

    template<typename Op>
    Result<WriteOutcome> run(Op op)
    {
        Await<WriteOutcome> outcome;
        op(outcome.callback());
        if (!QTest::qWaitFor([&] { return outcome.ready(); }, kTimeout))
            return Error::make(Error::Kind::Timeout, QStringLiteral("no answer"));
        return outcome.result();
    }

    Result<QList<RevisionInfo>> history()
    {
        Await<QList<RevisionInfo>> got;
        DeploymentOperations::history(m_client.get(), kNs, kName, this, got.callback());
        if (!QTest::qWaitFor([&] { return got.ready(); }, kTimeout))
            return Error::make(Error::Kind::Timeout, QStringLiteral("no answer"));
        return got.result();
    }

    qint64 requests() const { return m_sim->api()->requestCount(); }

private slots:
    void init()
    {
        m_sim = std::make_unique<SimFixture>();
        ROLLSCOPE_SIM_OR_SKIP(*m_sim);
        m_client = std::make_unique<ApiClient>(*m_sim->config());
    }
    void cleanup()
    {
        m_client.reset();
        m_sim.reset();
    }

    void setImageEndToEnd()
    {
        const Result<WriteOutcome> outcome = run([&](auto done) {
            DeploymentOperations::setImage(
                m_client.get(), kNs, kName,
                {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2")}}, std::nullopt, this,
                done);
        });
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
        QVERIFY(outcome->changed);
        QCOMPARE(outcome->message, QStringLiteral("deployment.apps/demo-dp image updated"));
        QVERIFY(outcome->deployment);
        QCOMPARE(outcome->deployment->containers.first().image,
                 QStringLiteral("bebullish/demo:v2"));

        const DeploymentInfo live = DeploymentInfo::fromJson(getDeployment());
        QCOMPARE(live.containers.first().image, QStringLiteral("bebullish/demo:v2"));
        QCOMPARE(live.changeCause,
                 QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2"));

        // A cause the user gave replaces the generated one; the new RS inherits it.
        const Result<WriteOutcome> again = run([&](auto done) {
            DeploymentOperations::setImage(
                m_client.get(), kNs, kName,
                {{QStringLiteral("*"), QStringLiteral("bebullish/demo:v3")}},
                QStringLiteral("hotfix 42"), this, done);
        });
        QVERIFY(again.ok());
        QCOMPARE(DeploymentInfo::fromJson(getDeployment()).changeCause,
                 QStringLiteral("hotfix 42"));
        settle();
        const auto revisions = history();
        QVERIFY(revisions.ok());
        QCOMPARE(revisions->last().changeCause, QStringLiteral("hotfix 42"));
        QCOMPARE(revisions->last().images(), QStringList{QStringLiteral("bebullish/demo:v3")});
        QVERIFY(revisions->last().current);
    }

    void invalidReferenceSendsNothing_data()
    {
        QTest::addColumn<QString>("image");
        QTest::newRow("upper case") << QStringLiteral("Bebullish/Demo:v2");
        QTest::newRow("bad tag") << QStringLiteral("bebullish/demo:-v2");
        QTest::newRow("empty") << QString();
        QTest::newRow("space") << QStringLiteral("bebullish/demo v2");
    }
    void invalidReferenceSendsNothing()
    {
        QFETCH(QString, image);
        const qint64 before = requests();
        const Result<WriteOutcome> outcome = run([&](auto done) {
            DeploymentOperations::setImage(m_client.get(), kNs, kName,
                                           {{QStringLiteral("demo"), image}}, std::nullopt, this,
                                           done);
        });
        QVERIFY(!outcome.ok());
        QCOMPARE(outcome.error().kind, Error::Kind::Usage);
        QVERIFY(outcome.error().message.contains(QStringLiteral("image reference")));
        QCOMPARE(requests(), before); // refused before anything was sent
        QCOMPARE(m_client->requestsSent(), 0);
    }

    void unchangedImageSendsNoPatch()
    {
        const qint64 before = requests();
        const Result<WriteOutcome> outcome = run([&](auto done) {
            DeploymentOperations::setImage(
                m_client.get(), kNs, kName,
                {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v1")}}, std::nullopt, this,
                done);
        });
        QVERIFY(outcome.ok());
        QVERIFY(!outcome->changed);
        QCOMPARE(requests() - before, 1); // the GET only
        QVERIFY(DeploymentInfo::fromJson(getDeployment()).changeCause.isEmpty());
    }

    void unknownContainerSendsNoPatch()
    {
        const qint64 before = requests();
        const Result<WriteOutcome> outcome = run([&](auto done) {
            DeploymentOperations::setImage(m_client.get(), kNs, kName,
                                           {{QStringLiteral("nosuch"), QStringLiteral("x:1")}},
                                           std::nullopt, this, done);
        });
        QVERIFY(!outcome.ok());
        QVERIFY(outcome.error().message.contains(QStringLiteral("no container named \"nosuch\"")));
        QCOMPARE(requests() - before, 1);
    }

    void scale()
    {
        const Result<WriteOutcome> outcome = run([&](auto done) {
            DeploymentOperations::scale(m_client.get(), kNs, kName, 5, this, done);
        });
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
        QCOMPARE(outcome->message, QStringLiteral("deployment.apps/demo-dp scaled"));
        QCOMPARE(DeploymentInfo::fromJson(getDeployment()).replicas, 5);

        const qint64 before = requests();
        const Result<WriteOutcome> negative = run([&](auto done) {
            DeploymentOperations::scale(m_client.get(), kNs, kName, -1, this, done);
        });
        QVERIFY(!negative.ok());
        QCOMPARE(requests(), before);
    }

    void pauseAndResume()
    {
        auto pause = [&] {
            return run([&](auto done) {
                DeploymentOperations::pause(m_client.get(), kNs, kName, this, done);
            });
        };
        auto resume = [&] {
            return run([&](auto done) {
                DeploymentOperations::resume(m_client.get(), kNs, kName, this, done);
            });
        };
        Result<WriteOutcome> paused = pause();
        QVERIFY2(paused.ok(), paused.ok() ? "" : qPrintable(paused.error().message));
        QCOMPARE(paused->message, QStringLiteral("deployment.apps/demo-dp paused"));
        QVERIFY(DeploymentInfo::fromJson(getDeployment()).paused);

        qint64 before = requests();
        Result<WriteOutcome> twice = pause();
        QVERIFY(!twice.ok());
        QCOMPARE(twice.error().message,
                 QStringLiteral("deployments.apps \"demo-dp\" is already paused"));
        QCOMPARE(requests() - before, 1);

        // Restart and rollback refuse a paused deployment, as kubectl does.
        before = requests();
        Result<WriteOutcome> restart = run([&](auto done) {
            DeploymentOperations::restart(m_client.get(), kNs, kName, this, done);
        });
        QVERIFY(!restart.ok());
        QVERIFY(
            restart.error().message.contains(QStringLiteral("can't restart paused deployment")));
        QCOMPARE(requests() - before, 1);

        Result<WriteOutcome> resumed = resume();
        QVERIFY(resumed.ok());
        QCOMPARE(resumed->message, QStringLiteral("deployment.apps/demo-dp resumed"));
        const QJsonObject live = getDeployment();
        QVERIFY(!live[u"spec"].toObject().contains(u"paused") ||
                !live[u"spec"].toObject()[u"paused"].toBool());
        Result<WriteOutcome> notPaused = resume();
        QVERIFY(!notPaused.ok());
        QCOMPARE(notPaused.error().message,
                 QStringLiteral("deployments.apps \"demo-dp\" is not paused"));
    }

    void restart()
    {
        const Result<WriteOutcome> outcome = run([&](auto done) {
            DeploymentOperations::restart(m_client.get(), kNs, kName, this, done);
        });
        QVERIFY2(outcome.ok(), outcome.ok() ? "" : qPrintable(outcome.error().message));
        QCOMPARE(outcome->message, QStringLiteral("deployment.apps/demo-dp restarted"));
        const QString restartedAt = DeploymentInfo::fromJson(getDeployment()).templateRestartedAt;
        QVERIFY(!restartedAt.isEmpty());
        const QDateTime at = QDateTime::fromString(restartedAt, Qt::ISODate);
        QVERIFY2(at.isValid(), qPrintable(restartedAt));
        QVERIFY(qAbs(at.secsTo(QDateTime::currentDateTimeUtc())) < 60);
    }

    void rollbackAndHistory()
    {
        settle();
        Result<QList<RevisionInfo>> revisions = history();
        QVERIFY2(revisions.ok(), revisions.ok() ? "" : qPrintable(revisions.error().message));
        QCOMPARE(revisions->size(), 1);
        QCOMPARE(revisions->first().revision, 1);

        // Nothing to roll back to yet.
        Result<WriteOutcome> none = run([&](auto done) {
            DeploymentOperations::rollback(m_client.get(), kNs, kName, 0, this, done);
        });
        QVERIFY(!none.ok());
        QCOMPARE(none.error().message,
                 QStringLiteral("no rollout history found for deployment \"demo-dp\""));

        QVERIFY(run([&](auto done) {
                    DeploymentOperations::setImage(
                        m_client.get(), kNs, kName,
                        {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2")}},
                        std::nullopt, this, done);
                }).ok());
        settle();
        revisions = history();
        QVERIFY(revisions.ok());
        QCOMPARE(revisions->size(), 2);
        QCOMPARE(revisions->at(0).images(), QStringList{QStringLiteral("bebullish/demo:v1")});
        QCOMPARE(revisions->at(1).revision, 2);
        QCOMPARE(revisions->at(1).images(), QStringList{QStringLiteral("bebullish/demo:v2")});
        QCOMPARE(revisions->at(1).changeCause,
                 QStringLiteral("rollscope set image deployment/demo-dp demo=bebullish/demo:v2"));
        QVERIFY(revisions->at(1).current && !revisions->at(0).current);

        Result<WriteOutcome> unknown = run([&](auto done) {
            DeploymentOperations::rollback(m_client.get(), kNs, kName, 99, this, done);
        });
        QVERIFY(!unknown.ok());
        QCOMPARE(unknown.error().message,
                 QStringLiteral("unable to find specified revision 99 in history"));

        // The current template is revision 2: rolling back to it is skipped without a PATCH.
        qint64 before = requests();
        Result<WriteOutcome> skipped = run([&](auto done) {
            DeploymentOperations::rollback(m_client.get(), kNs, kName, 2, this, done);
        });
        QVERIFY(skipped.ok());
        QVERIFY(!skipped->changed);
        QCOMPARE(skipped->message,
                 QStringLiteral("deployment.apps/demo-dp skipped rollback (current "
                                "template already matches revision 2)"));
        QCOMPARE(requests() - before, 2); // GET deployment, list replicasets

        // Undo: back to the second-highest revision (1, image v1).
        Result<WriteOutcome> undone = run([&](auto done) {
            DeploymentOperations::rollback(m_client.get(), kNs, kName, 0, this, done);
        });
        QVERIFY2(undone.ok(), undone.ok() ? "" : qPrintable(undone.error().message));
        QVERIFY(undone->changed);
        QCOMPARE(undone->message, QStringLiteral("deployment.apps/demo-dp rolled back"));
        const DeploymentInfo live = DeploymentInfo::fromJson(getDeployment());
        QCOMPARE(live.containers.first().image, QStringLiteral("bebullish/demo:v1"));
        QVERIFY(!live.templateLabels.contains(QStringLiteral("pod-template-hash")));
        // The RS's change-cause came back with its template (revision 1 had none).
        QVERIFY(live.changeCause.isEmpty());

        // The controller renumbers the reused ReplicaSet: history 2, 3 (revisions never reused).
        settle();
        revisions = history();
        QVERIFY(revisions.ok());
        QCOMPARE(revisions->size(), 2);
        QCOMPARE(revisions->at(0).revision, 2);
        QCOMPARE(revisions->at(1).revision, 3);
        QCOMPARE(revisions->at(1).images(), QStringList{QStringLiteral("bebullish/demo:v1")});
    }

    void conflictAndInvalidAreTyped()
    {
        QJsonObject deployment = getDeployment();
        QJsonObject metadata = deployment[u"metadata"].toObject();
        metadata[u"resourceVersion"] = QStringLiteral("1");
        deployment[u"metadata"] = metadata;
        ApiRequest put;
        put.method = "PUT";
        put.path = ResourceKind::deployments().objectPath(kNs, kName);
        put.body = QJsonDocument(deployment).toJson(QJsonDocument::Compact);
        Await<ApiResponse> conflict;
        m_client->send(put, this, conflict.callback());
        QTRY_VERIFY_WITH_TIMEOUT(conflict.ready(), kTimeout);
        QVERIFY(!conflict.result().ok());
        QCOMPARE(conflict.result().error().kind, Error::Kind::Conflict);
        QCOMPARE(conflict.result().error().httpStatus, 409);
        QVERIFY(
            conflict.result().error().message.contains(QStringLiteral("changed by someone else")));

        Await<ApiResponse> invalid;
        m_client->send(ApiRequest::patch(ResourceKind::deployments().objectPath(kNs, kName),
                                         "application/merge-patch+json",
                                         R"({"spec":{"replicas":-1}})"),
                       this, invalid.callback());
        QTRY_VERIFY_WITH_TIMEOUT(invalid.ready(), kTimeout);
        QVERIFY(!invalid.result().ok());
        const Error &error = invalid.result().error();
        QCOMPARE(error.kind, Error::Kind::Invalid);
        QCOMPARE(error.httpStatus, 422);
        const QList<ErrorCause> causes = fieldCauses(error);
        QVERIFY(!causes.isEmpty());
        QCOMPARE(causes.first().field, QStringLiteral("spec.replicas"));
        QVERIFY2(error.message.contains(QStringLiteral("spec.replicas")),
                 qPrintable(error.message));
    }

    void viewerCannotSetImage()
    {
        ApiClient viewer(*m_sim->config(QStringLiteral("rollscope-sim-viewer")));
        Await<WriteOutcome> outcome;
        DeploymentOperations::setImage(
            &viewer, kNs, kName, {{QStringLiteral("demo"), QStringLiteral("bebullish/demo:v2")}},
            std::nullopt, this, outcome.callback());
        QTRY_VERIFY_WITH_TIMEOUT(outcome.ready(), kTimeout);
        QVERIFY(!outcome.result().ok());
        const Error &error = outcome.result().error();
        QCOMPARE(error.kind, Error::Kind::Forbidden);
        QVERIFY2(error.message.contains(QStringLiteral("cannot patch deployment \"demo-dp\" in "
                                                       "namespace \"default\"")),
                 qPrintable(error.message));
        QVERIFY(error.message.startsWith(QStringLiteral("User \"")));
        QCOMPARE(DeploymentInfo::fromJson(getDeployment()).containers.first().image,
                 QStringLiteral("bebullish/demo:v1"));
    }
};

ROLLSCOPE_TEST_MAIN(TestOperationsSim)
#include "tst_operations_sim.moc"
