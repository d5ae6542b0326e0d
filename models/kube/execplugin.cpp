// SPDX-License-Identifier: MIT
#include "kube/execplugin.h"

#include "common/text.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>

namespace rollscope::kube {

namespace {

// Values from the plugin's output that end up in messages are cut short: they are not meant to
// be secret (apiVersion, kind, a timestamp), but a broken plugin could put anything there.
QString shortened(const QString &text)
{
    constexpr qsizetype limit = 80;
    const QString result = printablePrefix(text, limit);
    return text.size() > limit ? result + QStringLiteral("...") : result;
}

} // namespace

QSslKey privateKeyFromPem(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        QSslKey key(pem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            return key;
    }
    return {};
}

QByteArray ExecPlugin::execInfo(const ClusterConfig &config)
{
    const ExecConfig exec = config.user.exec.value_or(ExecConfig{});
    QJsonObject spec;
    // Rollscope never hands the plugin a terminal, so it is never interactive.
    spec.insert(QStringLiteral("interactive"), false);
    if (exec.provideClusterInfo) {
        const ClusterInfo &c = config.cluster;
        QJsonObject cluster;
        cluster.insert(QStringLiteral("server"), c.server.toString());
        if (!c.tlsServerName.isEmpty())
            cluster.insert(QStringLiteral("tls-server-name"), c.tlsServerName);
        if (c.insecureSkipTlsVerify)
            cluster.insert(QStringLiteral("insecure-skip-tls-verify"), true);
        if (!c.caPem.isEmpty())
            cluster.insert(QStringLiteral("certificate-authority-data"),
                           QString::fromLatin1(c.caPem.toBase64()));
        if (!c.proxyUrl.isEmpty())
            cluster.insert(QStringLiteral("proxy-url"), c.proxyUrl.toString());
        if (c.disableCompression)
            cluster.insert(QStringLiteral("disable-compression"), true);
        cluster.insert(QStringLiteral("config"), c.execExtension.isUndefined()
                                                     ? QJsonValue(QJsonValue::Null)
                                                     : c.execExtension);
        spec.insert(QStringLiteral("cluster"), cluster);
    }
    QJsonObject credential;
    credential.insert(QStringLiteral("apiVersion"), exec.apiVersion);
    credential.insert(QStringLiteral("kind"), QStringLiteral("ExecCredential"));
    credential.insert(QStringLiteral("spec"), spec);
    return QJsonDocument(credential).toJson(QJsonDocument::Compact);
}

Result<Credential> ExecPlugin::parseOutput(const QByteArray &output, const QString &apiVersion)
{
    const auto invalid = [](const QString &message) {
        return Error::make(Error::Kind::Protocol, message);
    };
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(output, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return invalid(tr("its output is not JSON (%1 at offset %2).")
                           .arg(parseError.errorString(), QString::number(parseError.offset)));
    if (!document.isObject())
        return invalid(tr("its output is not an ExecCredential object."));
    const QJsonObject object = document.object();

    const QString returnedVersion = object.value(QStringLiteral("apiVersion")).toString();
    if (returnedVersion != apiVersion)
        return invalid(tr("it returned apiVersion \"%1\", but the kubeconfig asks for \"%2\".")
                           .arg(shortened(returnedVersion), apiVersion));
    const QString kind = object.value(QStringLiteral("kind")).toString();
    if (kind != QLatin1StringView("ExecCredential"))
        return invalid(
            tr("it returned kind \"%1\" instead of ExecCredential.").arg(shortened(kind)));

    const QJsonValue statusValue = object.value(QStringLiteral("status"));
    if (!statusValue.isObject())
        return invalid(tr("its ExecCredential has no status."));
    const QJsonObject status = statusValue.toObject();
    const QString token = status.value(QStringLiteral("token")).toString();
    const QString certPem = status.value(QStringLiteral("clientCertificateData")).toString();
    const QString keyPem = status.value(QStringLiteral("clientKeyData")).toString();
    if (token.isEmpty() && certPem.isEmpty() && keyPem.isEmpty())
        return invalid(tr("its ExecCredential status holds neither a token nor a client "
                          "certificate and key."));
    if (certPem.isEmpty() != keyPem.isEmpty())
        return invalid(tr("it returned only a client certificate or only a client key; both are "
                          "needed."));
    if (hasLineBreak(token))
        return invalid(tr("it returned a token that is not a single line."));

    Credential credential;
    if (!certPem.isEmpty()) {
        const auto certificates = QSslCertificate::fromData(certPem.toUtf8(), QSsl::Pem);
        if (certificates.isEmpty())
            return invalid(tr("its clientCertificateData is not a PEM certificate."));
        credential.certificate = certificates.first();
        credential.key = privateKeyFromPem(keyPem.toUtf8());
        if (credential.key.isNull())
            return invalid(
                tr("its clientKeyData is not an unencrypted PEM RSA or EC private key."));
        credential.kind = Credential::Kind::ClientCertificate;
    }
    if (!token.isEmpty()) {
        credential.kind = Credential::Kind::Bearer;
        credential.token = token;
    }

    const QJsonValue expiry = status.value(QStringLiteral("expirationTimestamp"));
    if (!expiry.isUndefined() && !expiry.isNull()) {
        const QString text = expiry.toString();
        credential.expiry = QDateTime::fromString(text, Qt::ISODateWithMs);
        if (!expiry.isString() || !credential.expiry.isValid())
            return invalid(
                tr("its expirationTimestamp \"%1\" is not an RFC 3339 time.").arg(shortened(text)));
        credential.expiry = credential.expiry.toUTC();
    }
    return credential;
}

} // namespace rollscope::kube
