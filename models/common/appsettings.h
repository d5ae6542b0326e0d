// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>

namespace rollscope {

// Typed access to the user's settings. Every key lives here and nowhere else, so a grep for a
// setting finds one place. QSettings is cheap to construct; each accessor opens its own.
class AppSettings
{
public:
    AppSettings() = default;

    QByteArray mainWindowGeometry() const;
    void setMainWindowGeometry(const QByteArray &geometry);

    QByteArray mainWindowState() const;
    void setMainWindowState(const QByteArray &state);

    QByteArray splitterState(const QString &splitterName) const;
    void setSplitterState(const QString &splitterName, const QByteArray &state);

    // View > Dark Palette (otherwise the system's palette is used).
    bool darkPalette() const;
    void setDarkPalette(bool dark);

    // View > Language: a language code of Translations::languages(), "" = the system's.
    QString language() const;
    void setLanguage(const QString &language);

    // The context the user last worked with ("" = the kubeconfig's current-context).
    QString lastContext() const;
    void setLastContext(const QString &context);

    // Traffic > Start Automatically: a change made in Rollscope starts traffic to the Service.
    bool autoStartTraffic() const;
    void setAutoStartTraffic(bool on);
    // Traffic > Stop After the Outcome: seconds after a rollout's outcome at which traffic stops;
    // -1 = keep sending until stopped by hand.
    int trafficStopAfterSeconds() const;
    void setTrafficStopAfterSeconds(int seconds);

    // The folder a file dialog of this kind ("export", "timeline", "kubeconfig") last used; ""
    // when none yet.
    QString lastFolder(const QString &kind) const;
    void setLastFolder(const QString &kind, const QString &folder);

    // Where the approval of one exec credential plugin is kept (ExecConsentStore reads and
    // writes it, also on a QSettings a test provides). `fingerprint` is ExecConsent's SHA-256.
    static QString execConsentKey(const QString &fingerprint);

private:
    QByteArray bytes(const QString &key) const;
    void setBytes(const QString &key, const QByteArray &value);

    mutable QSettings m_settings;
};

} // namespace rollscope
