// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QString>
#include <QStringList>

namespace rollscope {

// The languages Rollscope speaks and the translators that make it speak one. English is the
// source language; rollscope_LANG.qm files sit under :/i18n (resources/i18n/*.ts), Qt's own
// strings come from qtbase_LANG.qm in QLibraryInfo::TranslationsPath.
class Translations
{
    Q_DECLARE_TR_FUNCTIONS(Translations)
public:
    // Language codes --lang and the View > Language menu accept, source language first.
    static QStringList languages();
    // The name of a language in that language ("English", "简体中文").
    static QString nativeName(const QString &language);
    // Whether `language` is one of languages(), also spelled zh-CN, zh_CN.UTF-8 or zh.
    static bool isSupported(const QString &language);
    static QString normalized(const QString &language);

    // The value of --lang in raw arguments ("--lang zh_CN" or "--lang=zh_CN"), "" if none:
    // translators must be installed before the command line parser writes help or errors.
    static QString languageFromArguments(const QStringList &arguments);

    // The locale to speak: `explicitLanguage` (--lang) if given, else `setting` (View >
    // Language), else the system's (LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
    static QLocale chooseLocale(const QString &explicitLanguage, const QString &setting);

    // Installs the translators for `locale` on the running QCoreApplication (replacing ones
    // installed before) and makes it the default QLocale, so numbers, dates and durations
    // follow it. Returns whether Rollscope's own translation was loaded (false for English).
    static bool install(const QLocale &locale);
    // install(chooseLocale(explicitLanguage, AppSettings().language())): what the app and
    // its headless commands call once their QCoreApplication exists.
    static bool installFor(const QString &explicitLanguage);
    // The language Rollscope's own strings are in now: one of languages() ("en" until a
    // translation is installed). What generated documents declare (the HTML report's lang).
    static QString activeLanguage();
};

} // namespace rollscope
