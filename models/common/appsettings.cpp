// SPDX-License-Identifier: MIT
#include "appsettings.h"

namespace rollscope {

namespace Key {
const auto MainWindowGeometry = QStringLiteral("mainWindow/geometry");
const auto MainWindowState = QStringLiteral("mainWindow/state");
const auto SplitterPrefix = QStringLiteral("splitters/");
const auto LastContext = QStringLiteral("connection/lastContext");
const auto DarkPalette = QStringLiteral("view/darkPalette");
const auto Language = QStringLiteral("view/language");
const auto AutoStartTraffic = QStringLiteral("traffic/autoStart");
const auto TrafficStopAfter = QStringLiteral("traffic/stopAfterOutcomeSeconds");
const auto LastFolderPrefix = QStringLiteral("folders/");
const auto ExecConsentPrefix = QStringLiteral("kube/execConsent/");
} // namespace Key

QString AppSettings::execConsentKey(const QString &fingerprint)
{
    return Key::ExecConsentPrefix + fingerprint;
}

QByteArray AppSettings::bytes(const QString &key) const
{
    return m_settings.value(key).toByteArray();
}

void AppSettings::setBytes(const QString &key, const QByteArray &value)
{
    m_settings.setValue(key, value);
}

QByteArray AppSettings::mainWindowGeometry() const
{
    return bytes(Key::MainWindowGeometry);
}

void AppSettings::setMainWindowGeometry(const QByteArray &geometry)
{
    setBytes(Key::MainWindowGeometry, geometry);
}

QByteArray AppSettings::mainWindowState() const
{
    return bytes(Key::MainWindowState);
}

void AppSettings::setMainWindowState(const QByteArray &state)
{
    setBytes(Key::MainWindowState, state);
}

QByteArray AppSettings::splitterState(const QString &splitterName) const
{
    return bytes(Key::SplitterPrefix + splitterName);
}

void AppSettings::setSplitterState(const QString &splitterName, const QByteArray &state)
{
    setBytes(Key::SplitterPrefix + splitterName, state);
}

bool AppSettings::darkPalette() const
{
    return m_settings.value(Key::DarkPalette, false).toBool();
}

void AppSettings::setDarkPalette(bool dark)
{
    m_settings.setValue(Key::DarkPalette, dark);
}

QString AppSettings::language() const
{
    return m_settings.value(Key::Language).toString();
}

void AppSettings::setLanguage(const QString &language)
{
    if (language.isEmpty())
        m_settings.remove(Key::Language);
    else
        m_settings.setValue(Key::Language, language);
}

QString AppSettings::lastContext() const
{
    return m_settings.value(Key::LastContext).toString();
}

void AppSettings::setLastContext(const QString &context)
{
    m_settings.setValue(Key::LastContext, context);
}

bool AppSettings::autoStartTraffic() const
{
    return m_settings.value(Key::AutoStartTraffic, true).toBool();
}

void AppSettings::setAutoStartTraffic(bool on)
{
    m_settings.setValue(Key::AutoStartTraffic, on);
}

int AppSettings::trafficStopAfterSeconds() const
{
    bool ok = false;
    const int seconds = m_settings.value(Key::TrafficStopAfter, 30).toInt(&ok);
    // A hand-edited file may hold anything: fall back to the default.
    return ok && seconds >= -1 && seconds <= 3600 ? seconds : 30;
}

void AppSettings::setTrafficStopAfterSeconds(int seconds)
{
    m_settings.setValue(Key::TrafficStopAfter, seconds);
}

QString AppSettings::lastFolder(const QString &kind) const
{
    return m_settings.value(Key::LastFolderPrefix + kind).toString();
}

void AppSettings::setLastFolder(const QString &kind, const QString &folder)
{
    m_settings.setValue(Key::LastFolderPrefix + kind, folder);
}

} // namespace rollscope
