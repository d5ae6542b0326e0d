// SPDX-License-Identifier: MIT
#include "kube/apierror.h"
#include "testmain.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace rollscope;
using namespace rollscope::kube;

namespace {

QByteArray statusBody(int code, const QString &reason, const QString &message,
                      const QJsonObject &details = {})
{
    QJsonObject status{{QStringLiteral("kind"), QStringLiteral("Status")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("metadata"), QJsonObject()},
                       {QStringLiteral("status"), QStringLiteral("Failure")},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("reason"), reason},
                       {QStringLiteral("code"), code}};
    if (!details.isEmpty())
        status.insert(QStringLiteral("details"), details);
    return QJsonDocument(status).toJson(QJsonDocument::Compact);
}

QJsonObject details(const char *name, const char *group, const char *kind)
{
    return QJsonObject{{QStringLiteral("name"), QLatin1StringView(name)},
                       {QStringLiteral("group"), QLatin1StringView(group)},
                       {QStringLiteral("kind"), QLatin1StringView(kind)}};
}

} // namespace

class TestApiError : public QObject
{
    Q_OBJECT
private slots:
    void statusToPlainMessage_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("kubectl");

        QTest::newRow("401") << 401
                             << statusBody(401, QStringLiteral("Unauthorized"),
                                           QStringLiteral("Unauthorized"))
                             << int(Error::Kind::Unauthorized)
                             << "You must be logged in to the server (Unauthorized)"
                             << "error: You must be logged in to the server (Unauthorized)";

        const QString forbidden = QStringLiteral(
            "deployments.apps \"demo-dp\" is forbidden: User \"viewer\" cannot patch resource "
            "\"deployments\" in API group \"apps\" in the namespace \"default\"");
        QTest::newRow("403 patch one deployment")
            << 403
            << statusBody(403, QStringLiteral("Forbidden"), forbidden,
                          details("demo-dp", "apps", "deployments"))
            << int(Error::Kind::Forbidden)
            << "User \"viewer\" cannot patch deployment \"demo-dp\" in namespace \"default\"."
            << QStringLiteral("Error from server (Forbidden): ") + forbidden;

        const QString forbiddenList = QStringLiteral(
            "deployments.apps is forbidden: User \"system:anonymous\" cannot list resource "
            "\"deployments\" in API group \"apps\" at the cluster scope");
        QTest::newRow("403 list cluster-wide")
            << 403 << statusBody(403, QStringLiteral("Forbidden"), forbiddenList)
            << int(Error::Kind::Forbidden)
            << "User \"system:anonymous\" cannot list deployments (cluster-wide)."
            << QStringLiteral("Error from server (Forbidden): ") + forbiddenList;

        const QString forbiddenScale = QStringLiteral(
            "deployments.apps \"demo-dp\" is forbidden: User \"viewer\" cannot patch resource "
            "\"deployments/scale\" in API group \"apps\" in the namespace \"shop\"");
        QTest::newRow("403 subresource")
            << 403
            << statusBody(403, QStringLiteral("Forbidden"), forbiddenScale,
                          details("demo-dp", "apps", "deployments"))
            << int(Error::Kind::Forbidden)
            << "User \"viewer\" cannot patch the scale of deployment \"demo-dp\" in namespace "
               "\"shop\"."
            << QStringLiteral("Error from server (Forbidden): ") + forbiddenScale;

        QTest::newRow("404")
            << 404
            << statusBody(404, QStringLiteral("NotFound"),
                          QStringLiteral("deployments.apps \"nosuch\" not found"),
                          details("nosuch", "apps", "deployments"))
            << int(Error::Kind::NotFound) << "The deployment \"nosuch\" was not found."
            << "Error from server (NotFound): deployments.apps \"nosuch\" not found";

        const QString conflict = QStringLiteral(
            "Operation cannot be fulfilled on deployments.apps \"demo-dp\": the object has been "
            "modified; please apply your changes to the latest version and try again");
        QTest::newRow("409 conflict")
            << 409
            << statusBody(409, QStringLiteral("Conflict"), conflict,
                          details("demo-dp", "apps", "deployments"))
            << int(Error::Kind::Conflict)
            << "The deployment \"demo-dp\" was changed by someone else in the meantime; reload "
               "it and try again."
            << QStringLiteral("Error from server (Conflict): ") + conflict;

        QTest::newRow("409 already exists")
            << 409
            << statusBody(409, QStringLiteral("AlreadyExists"),
                          QStringLiteral("deployments.apps \"demo-dp\" already exists"),
                          details("demo-dp", "apps", "deployments"))
            << int(Error::Kind::Conflict) << "The deployment \"demo-dp\" already exists."
            << "Error from server (AlreadyExists): deployments.apps \"demo-dp\" already exists";

        QTest::newRow("410")
            << 410
            << statusBody(410, QStringLiteral("Expired"),
                          QStringLiteral("too old resource version: 5 (120)"))
            << int(Error::Kind::Expired)
            << "The requested data is too old and no longer available on the server (too old "
               "resource version: 5 (120))."
            << "Error from server (Expired): too old resource version: 5 (120)";

        QJsonObject invalid = details("demo-dp", "apps", "Deployment");
        invalid.insert(
            QStringLiteral("causes"),
            QJsonArray{QJsonObject{
                {QStringLiteral("reason"), QStringLiteral("FieldValueInvalid")},
                {QStringLiteral("message"), QStringLiteral("Invalid value: -1: must be greater "
                                                           "than or equal to 0")},
                {QStringLiteral("field"), QStringLiteral("spec.replicas")}}});
        const QString invalidMessage = QStringLiteral(
            "Deployment.apps \"demo-dp\" is invalid: spec.replicas: Invalid value: -1: must be "
            "greater than or equal to 0");
        QTest::newRow("422")
            << 422 << statusBody(422, QStringLiteral("Invalid"), invalidMessage, invalid)
            << int(Error::Kind::Invalid)
            << "The deployment \"demo-dp\" was rejected as invalid: spec.replicas: Invalid value: "
               "-1: must be greater than or equal to 0"
            << QStringLiteral("Error from server (Invalid): ") + invalidMessage;

        QTest::newRow("429")
            << 429
            << statusBody(429, QStringLiteral("TooManyRequests"),
                          QStringLiteral("Too many requests, please try again later."))
            << int(Error::Kind::TooManyRequests)
            << "The server is too busy (too many requests); try again later."
            << "Error from server (TooManyRequests): Too many requests, please try again later.";

        QTest::newRow("500")
            << 500
            << statusBody(500, QStringLiteral("InternalError"),
                          QStringLiteral("Internal error occurred: etcd timeout"))
            << int(Error::Kind::Server)
            << "The server failed with an internal error: Internal error occurred: etcd timeout"
            << "Error from server (InternalError): Internal error occurred: etcd timeout";

        QTest::newRow("502 html from a proxy")
            << 502 << QByteArray("<html><body>Bad gateway</body></html>")
            << int(Error::Kind::Server)
            << "The server failed (HTTP 502): <html><body>Bad gateway</body></html>"
            << "error: The server failed (HTTP 502): <html><body>Bad gateway</body></html>";
    }
    void statusToPlainMessage()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, body);
        QFETCH(int, kind);
        QFETCH(QString, message);
        QFETCH(QString, kubectl);
        const Error error = ApiErrors::fromResponse(code, body);
        QCOMPARE(int(error.kind), kind);
        QCOMPARE(error.httpStatus, code);
        QCOMPARE(error.message, message);
        QCOMPARE(ApiErrors::kubectlStyle(error), kubectl);
        const QJsonObject status = QJsonDocument::fromJson(body).object();
        if (!status.isEmpty())
            QCOMPARE(serverMessage(error), status.value(u"message").toString());
    }

    void invalidKeepsItsCauses()
    {
        QJsonObject d = details("demo-dp", "apps", "Deployment");
        d.insert(
            QStringLiteral("causes"),
            QJsonArray{QJsonObject{{QStringLiteral("reason"), QStringLiteral("FieldValueRequired")},
                                   {QStringLiteral("message"), QStringLiteral("Required value")},
                                   {QStringLiteral("field"),
                                    QStringLiteral("spec.template.spec.containers[0].image")}}});
        const Error error = ApiErrors::fromResponse(
            422, statusBody(422, QStringLiteral("Invalid"), QStringLiteral("invalid"), d));
        const QList<ErrorCause> causes = fieldCauses(error);
        QCOMPARE(causes.size(), 1);
        QCOMPARE(causes.first().field, QStringLiteral("spec.template.spec.containers[0].image"));
        QCOMPARE(causes.first().reason, QStringLiteral("FieldValueRequired"));
        QCOMPARE(error.reason, QStringLiteral("Invalid"));
    }

    void networkErrors_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("refused") << int(QNetworkReply::ConnectionRefusedError)
                                 << int(Error::Kind::Network) << "was refused";
        QTest::newRow("reset") << int(QNetworkReply::RemoteHostClosedError)
                               << int(Error::Kind::Network) << "closed the connection";
        QTest::newRow("timeout") << int(QNetworkReply::TimeoutError) << int(Error::Kind::Timeout)
                                 << "did not answer within 30 s";
        QTest::newRow("tls") << int(QNetworkReply::SslHandshakeFailedError)
                             << int(Error::Kind::Network) << "securely";
    }
    void networkErrors()
    {
        QFETCH(int, code);
        QFETCH(int, kind);
        QFETCH(QString, mentions);
        const Error error =
            ApiErrors::network(QNetworkReply::NetworkError(code), QStringLiteral("detail"),
                               QStringLiteral("127.0.0.1:6443"), 30000);
        QCOMPARE(int(error.kind), kind);
        QVERIFY2(error.message.contains(mentions), qPrintable(error.message));
        QVERIFY(error.message.contains(QStringLiteral("127.0.0.1:6443")));
        QVERIFY(ApiErrors::kubectlStyle(error).startsWith(QStringLiteral("error: ")));
    }
};

ROLLSCOPE_TEST_MAIN(TestApiError)
#include "tst_apierror.moc"
