// SPDX-License-Identifier: MIT
#include "certs.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace rollscope::sim {

namespace {

template<typename T, void (*Free)(T *)>
struct Deleter
{
    void operator()(T *p) const { Free(p); }
};
using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE, X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX, X509_STORE_CTX_free>>;

Error opensslError(const char *what)
{
    char buffer[256] = {};
    ERR_error_string_n(ERR_get_error(), buffer, sizeof buffer);
    return Error::make(
        Error::Kind::Generic,
        QStringLiteral("%1: %2").arg(QLatin1StringView(what), QLatin1StringView(buffer)));
}

PKeyPtr generateKey()
{
    return PKeyPtr(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
}

bool addExtension(X509 *cert, X509 *issuer, int nid, const QByteArray &value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.constData());
    if (!ext)
        return false;
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

void setName(X509_NAME *name, const QString &commonName, const QStringList &organizations)
{
    for (const QString &o : organizations)
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                   reinterpret_cast<const unsigned char *>(o.toUtf8().constData()),
                                   -1, -1, 0);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_UTF8,
        reinterpret_cast<const unsigned char *>(commonName.toUtf8().constData()), -1, -1, 0);
}

X509Ptr newCertificate(EVP_PKEY *key, const QString &commonName, const QStringList &orgs,
                       long validSeconds)
{
    X509Ptr cert(X509_new());
    X509_set_version(cert.get(), 2);
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f; // positive
    BIGNUM *bn = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), validSeconds);
    X509_set_pubkey(cert.get(), key);
    setName(X509_get_subject_name(cert.get()), commonName, orgs);
    return cert;
}

QByteArray certificateToPem(X509 *cert)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

QByteArray keyToPem(EVP_PKEY *key)
{
    BioPtr bio(BIO_new(BIO_s_mem()));
    // Traditional "EC PRIVATE KEY" PEM: what kubeadm writes and every client reads.
    PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return QByteArray(data, qsizetype(size));
}

X509Ptr pemToCertificate(const QByteArray &pem)
{
    BioPtr bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

constexpr long kYear = 365L * 24 * 3600;

} // namespace

struct CertificateAuthority::Private
{
    PKeyPtr key;
    X509Ptr cert;
};

CertificateAuthority::CertificateAuthority(std::unique_ptr<Private> p)
    : d(std::move(p))
{
    m_ca.certificatePem = certificateToPem(d->cert.get());
    m_ca.keyPem = keyToPem(d->key.get());
}

CertificateAuthority::~CertificateAuthority() = default;

Result<std::unique_ptr<CertificateAuthority>> CertificateAuthority::create(const QString &cn)
{
    auto p = std::make_unique<Private>();
    p->key = generateKey();
    if (!p->key)
        return opensslError("generating the CA key");
    p->cert = newCertificate(p->key.get(), cn, {}, 10 * kYear);
    X509_set_issuer_name(p->cert.get(), X509_get_subject_name(p->cert.get()));
    X509 *c = p->cert.get();
    if (!addExtension(c, c, NID_basic_constraints, "critical,CA:TRUE") ||
        !addExtension(c, c, NID_key_usage,
                      "critical,digitalSignature,keyEncipherment,keyCertSign") ||
        !addExtension(c, c, NID_subject_key_identifier, "hash"))
        return opensslError("building the CA certificate");
    if (X509_sign(c, p->key.get(), EVP_sha256()) == 0)
        return opensslError("signing the CA certificate");
    return std::unique_ptr<CertificateAuthority>(new CertificateAuthority(std::move(p)));
}

Result<IssuedCertificate> CertificateAuthority::issueServer(const QString &commonName,
                                                            const QStringList &dnsNames,
                                                            const QStringList &ipAddresses) const
{
    PKeyPtr key = generateKey();
    if (!key)
        return opensslError("generating a server key");
    X509Ptr cert = newCertificate(key.get(), commonName, {}, kYear);
    X509 *c = cert.get();
    X509_set_issuer_name(c, X509_get_subject_name(d->cert.get()));
    QStringList san;
    for (const QString &dns : dnsNames)
        san << QStringLiteral("DNS:") + dns;
    for (const QString &ip : ipAddresses)
        san << QStringLiteral("IP:") + ip;
    if (!addExtension(c, d->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(c, d->cert.get(), NID_key_usage,
                      "critical,digitalSignature,keyEncipherment") ||
        !addExtension(c, d->cert.get(), NID_ext_key_usage, "serverAuth") ||
        !addExtension(c, d->cert.get(), NID_authority_key_identifier, "keyid:always") ||
        !addExtension(c, d->cert.get(), NID_subject_alt_name, san.join(u',').toUtf8()))
        return opensslError("building the server certificate");
    if (X509_sign(c, d->key.get(), EVP_sha256()) == 0)
        return opensslError("signing the server certificate");
    return IssuedCertificate{certificateToPem(c), keyToPem(key.get())};
}

Result<IssuedCertificate> CertificateAuthority::issueClient(const QString &user,
                                                            const QStringList &groups) const
{
    PKeyPtr key = generateKey();
    if (!key)
        return opensslError("generating a client key");
    X509Ptr cert = newCertificate(key.get(), user, groups, kYear);
    X509 *c = cert.get();
    X509_set_issuer_name(c, X509_get_subject_name(d->cert.get()));
    if (!addExtension(c, d->cert.get(), NID_basic_constraints, "critical,CA:FALSE") ||
        !addExtension(c, d->cert.get(), NID_key_usage,
                      "critical,digitalSignature,keyEncipherment") ||
        !addExtension(c, d->cert.get(), NID_ext_key_usage, "clientAuth") ||
        !addExtension(c, d->cert.get(), NID_authority_key_identifier, "keyid:always"))
        return opensslError("building the client certificate");
    if (X509_sign(c, d->key.get(), EVP_sha256()) == 0)
        return opensslError("signing the client certificate");
    return IssuedCertificate{certificateToPem(c), keyToPem(key.get())};
}

bool CertificateAuthority::verifyClient(const QSslCertificate &certificate) const
{
    if (certificate.isNull())
        return false;
    X509Ptr cert = pemToCertificate(certificate.toPem());
    if (!cert)
        return false;
    StorePtr store(X509_STORE_new());
    X509_STORE_add_cert(store.get(), d->cert.get());
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr) != 1)
        return false;
    X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
    return X509_verify_cert(ctx.get()) == 1;
}

} // namespace rollscope::sim
