#include "appsettings.h"

namespace rollscope {

namespace Key {
const auto MainWindowGeometry = QStringLiteral("mainWindow/geometry");
const auto MainWindowState = QStringLiteral("mainWindow/state");
const auto SplitterPrefix = QStringLiteral("splitters/");
const auto LastContext = QStringLiteral("connection/lastContext");
const auto DarkPalette = QStringLiteral("view/darkPalette");
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

QString AppSettings::lastContext() const
{
    return m_settings.value(Key::LastContext).toString();
}

void AppSettings::setLastContext(const QString &context)
{
    m_settings.setValue(Key::LastContext, context);
}

} // namespace rollscope
