// SPDX-License-Identifier: MIT
#include "translations.h"

#include "common/appsettings.h"

#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

#include <atomic>

namespace rollscope {

namespace {

const auto kSourceLanguage = QStringLiteral("en");
const auto kSimplifiedChinese = QStringLiteral("zh_CN");

// The translators installed last, owned by the application they were installed on.
QPointer<QTranslator> g_own;
QPointer<QTranslator> g_qt;
// languages().indexOf(the language of g_own), 0 (English) without it; read by exports that
// may run on a worker thread.
std::atomic<int> g_activeLanguage{0};

void uninstall(QPointer<QTranslator> &translator)
{
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator.data();
}

// The first of the locale's UI languages that Rollscope speaks; English if none is.
QString languageOf(const QLocale &locale)
{
    const QStringList uiLanguages = locale.uiLanguages();
    for (const QString &language : uiLanguages) {
        if (const QString ours = Translations::normalized(language); !ours.isEmpty())
            return ours;
    }
    return kSourceLanguage;
}

} // namespace

QStringList Translations::languages()
{
    return {kSourceLanguage, kSimplifiedChinese};
}

QString Translations::nativeName(const QString &language)
{
    const QString ours = normalized(language);
    if (ours == kSimplifiedChinese)
        return QStringLiteral("简体中文");
    if (ours == kSourceLanguage)
        return QStringLiteral("English");
    return language;
}

bool Translations::isSupported(const QString &language)
{
    return !normalized(language).isEmpty();
}

QString Translations::normalized(const QString &language)
{
    // zh_CN.UTF-8, zh-Hans-CN, en_US@euro: language, script and territory only.
    QString name = language.section(u'.', 0, 0).section(u'@', 0, 0).toLower();
    name.replace(u'-', u'_');
    if (name == QLatin1StringView("c") || name == QLatin1StringView("posix") ||
        name == QLatin1StringView("en") || name.startsWith(QLatin1StringView("en_")))
        return kSourceLanguage;
    // Simplified Chinese; Traditional (zh_TW, zh_HK, zh_Hant) is another translation.
    if (name == QLatin1StringView("zh") || name == QLatin1StringView("zh_cn") ||
        name == QLatin1StringView("zh_sg") || name.startsWith(QLatin1StringView("zh_hans")))
        return kSimplifiedChinese;
    return {};
}

QString Translations::languageFromArguments(const QStringList &arguments)
{
    const auto option = QLatin1StringView("--lang");
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        if (argument == QLatin1StringView("--"))
            break;
        if (argument == option && i + 1 < arguments.size())
            return arguments.at(i + 1);
        if (argument.startsWith(option + u'='))
            return argument.mid(option.size() + 1);
    }
    return {};
}

QLocale Translations::chooseLocale(const QString &explicitLanguage, const QString &setting)
{
    for (const QString &choice : {explicitLanguage, setting}) {
        if (const QString ours = normalized(choice); !ours.isEmpty())
            return QLocale(ours);
    }
    return QLocale::system();
}

bool Translations::install(const QLocale &locale)
{
    uninstall(g_own);
    uninstall(g_qt);
    g_activeLanguage.store(0, std::memory_order_relaxed);
    QLocale::setDefault(locale);
    const QString language = languageOf(locale);
    if (language == kSourceLanguage || !QCoreApplication::instance())
        return false;

    auto *qt = new QTranslator(QCoreApplication::instance());
    if (qt->load(QStringLiteral("qtbase_") + language,
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)) &&
        QCoreApplication::installTranslator(qt))
        g_qt = qt;
    else
        delete qt;

    auto *own = new QTranslator(QCoreApplication::instance());
    if (own->load(QStringLiteral("rollscope_") + language, QStringLiteral(":/i18n")) &&
        QCoreApplication::installTranslator(own)) {
        g_own = own;
        g_activeLanguage.store(int(languages().indexOf(language)), std::memory_order_relaxed);
        return true;
    }
    delete own;
    return false;
}

QString Translations::activeLanguage()
{
    const int index = g_activeLanguage.load(std::memory_order_relaxed);
    return index > 0 ? languages().value(index, kSourceLanguage) : kSourceLanguage;
}

bool Translations::installFor(const QString &explicitLanguage)
{
    return install(chooseLocale(explicitLanguage, AppSettings().language()));
}

} // namespace rollscope
