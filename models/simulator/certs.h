// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>

#include <memory>

namespace rollscope::sim {

// A certificate and its private key, PEM encoded.
struct IssuedCertificate
{
    QByteArray certificatePem;
    QByteArray keyPem;

    QSslCertificate certificate() const { return QSslCertificate(certificatePem, QSsl::Pem); }
    QSslKey key() const { return QSslKey(keyPem, QSsl::Ec, QSsl::Pem); }
};

// The simulator's private CA, generated at start (OpenSSL, ECDSA P-256): it signs the API
// server's certificate and the client certificates written into the kubeconfig, and verifies
// the client certificates presented to the API server.
class CertificateAuthority
{
public:
    static Result<std::unique_ptr<CertificateAuthority>> create(const QString &commonName);
    ~CertificateAuthority();
    CertificateAuthority(const CertificateAuthority &) = delete;
    CertificateAuthority &operator=(const CertificateAuthority &) = delete;

    QByteArray certificatePem() const { return m_ca.certificatePem; }

    // A serving certificate for the given DNS names and IP addresses.
    Result<IssuedCertificate> issueServer(const QString &commonName, const QStringList &dnsNames,
                                          const QStringList &ipAddresses) const;
    // A client certificate: Kubernetes reads the user from CN and groups from O.
    Result<IssuedCertificate> issueClient(const QString &user, const QStringList &groups) const;

    // Whether `certificate` was issued by this CA for client authentication and is valid now.
    bool verifyClient(const QSslCertificate &certificate) const;

private:
    struct Private;
    explicit CertificateAuthority(std::unique_ptr<Private> d);
    std::unique_ptr<Private> d;
    IssuedCertificate m_ca;
};

} // namespace rollscope::sim
