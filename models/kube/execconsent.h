// SPDX-License-Identifier: MIT
#pragma once

#include "kube/kubeconfig.h"

#include <QString>

#include <memory>

class QSettings;

namespace rollscope::kube {

// Identifies "this exec plugin, run this way, for this user of this kubeconfig file", so the GUI
// asks for consent before the first run and again whenever command, args or env change.
class ExecConsent
{
public:
    // SHA-256 (hex) over kubeconfig file path, user name, command, args, env names and values.
    // Env values only enter the hash: the fingerprint can be stored and shown, the values cannot
    // be read back from it.
    static QString fingerprint(const QString &kubeconfigFile, const QString &userName,
                               const ExecConfig &exec);
    // For a resolved user with exec; empty without exec.
    static QString fingerprint(const UserInfo &user);
};

// Fingerprints the user approved, kept in QSettings (with the approval time).
class ExecConsentStore
{
public:
    ExecConsentStore();                             // the application's default QSettings
    explicit ExecConsentStore(QSettings *settings); // not owned; must outlive the store
    ~ExecConsentStore();

    ExecConsentStore(const ExecConsentStore &) = delete;
    ExecConsentStore &operator=(const ExecConsentStore &) = delete;

    bool isApproved(const QString &fingerprint) const;
    void approve(const QString &fingerprint);
    void revoke(const QString &fingerprint);

private:
    std::unique_ptr<QSettings> m_owned;
    QSettings *m_settings = nullptr;
};

} // namespace rollscope::kube
