// SPDX-License-Identifier: MIT
#include "translations.h"

#include "common/appsettings.h"

#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

namespace rollscope {

namespace {

const auto kSourceLanguage = QStringLiteral("en");
const auto kSimplifiedChinese = QStringLiteral("zh_CN");

// Rollscope's own translation. Strings a file translates through an alias of its text class
// (`using T = ApiClientText; T::tr(...)`) reach the .ts without a context, as lupdate cannot
// resolve the alias; at run time they are asked for in the class's context, so a miss there
// looks in the context-less entries too.
class OwnTranslator : public QTranslator
{
public:
    using QTranslator::QTranslator;

    QString translate(const char *context, const char *sourceText, const char *disambiguation,
                      int n) const override
    {
        QString text = QTranslator::translate(context, sourceText, disambiguation, n);
        if (text.isNull() && context && *context)
            text = QTranslator::translate("", sourceText, disambiguation, n);
        return text;
    }
};

// The translators installed last, owned by the application they were installed on.
QPointer<QTranslator> g_own;
QPointer<QTranslator> g_qt;

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

    auto *own = new OwnTranslator(QCoreApplication::instance());
    if (own->load(QStringLiteral("rollscope_") + language, QStringLiteral(":/i18n")) &&
        QCoreApplication::installTranslator(own)) {
        g_own = own;
        return true;
    }
    delete own;
    return false;
}

bool Translations::installFor(const QString &explicitLanguage)
{
    return install(chooseLocale(explicitLanguage, AppSettings().language()));
}

} // namespace rollscope
