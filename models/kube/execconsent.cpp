// SPDX-License-Identifier: MIT
#include "kube/execconsent.h"

#include "common/appsettings.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QSettings>
#include <QtEndian>

namespace rollscope::kube {

namespace {

// Length-prefixed so that ("ab", "c") and ("a", "bc") hash differently.
void addField(QCryptographicHash &hash, const QString &field)
{
    const QByteArray bytes = field.toUtf8();
    const quint32 size = qToBigEndian(static_cast<quint32>(bytes.size()));
    hash.addData(QByteArrayView(reinterpret_cast<const char *>(&size), sizeof size));
    hash.addData(bytes);
}

bool isFingerprint(const QString &fingerprint)
{
    if (fingerprint.size() != 64)
        return false;
    for (const QChar c : fingerprint) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

} // namespace

QString ExecConsent::fingerprint(const QString &kubeconfigFile, const QString &userName,
                                 const ExecConfig &exec)
{
    QCryptographicHash hash(QCryptographicHash::Sha256);
    addField(hash, QStringLiteral("rollscope-exec-consent/1"));
    addField(hash, kubeconfigFile);
    addField(hash, userName);
    addField(hash, exec.command);
    addField(hash, QString::number(exec.args.size()));
    for (const QString &arg : exec.args)
        addField(hash, arg);
    addField(hash, QString::number(exec.env.size()));
    for (const auto &[name, value] : exec.env) {
        addField(hash, name);
        addField(hash, value);
    }
    return QString::fromLatin1(hash.result().toHex());
}

QString ExecConsent::fingerprint(const UserInfo &user)
{
    if (!user.exec)
        return {};
    return fingerprint(user.definedIn, user.name, *user.exec);
}

ExecConsentStore::ExecConsentStore()
    : m_owned(std::make_unique<QSettings>())
    , m_settings(m_owned.get())
{}

ExecConsentStore::ExecConsentStore(QSettings *settings)
    : m_settings(settings)
{}

ExecConsentStore::~ExecConsentStore() = default;

bool ExecConsentStore::isApproved(const QString &fingerprint) const
{
    return isFingerprint(fingerprint) &&
           m_settings->contains(AppSettings::execConsentKey(fingerprint));
}

void ExecConsentStore::approve(const QString &fingerprint)
{
    // Anything else would let a caller write arbitrary keys (or a secret) into the settings.
    if (!isFingerprint(fingerprint))
        return;
    m_settings->setValue(AppSettings::execConsentKey(fingerprint), QDateTime::currentDateTimeUtc());
}

void ExecConsentStore::revoke(const QString &fingerprint)
{
    if (isFingerprint(fingerprint))
        m_settings->remove(AppSettings::execConsentKey(fingerprint));
}

} // namespace rollscope::kube
