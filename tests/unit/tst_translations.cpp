// SPDX-License-Identifier: MIT
// Every user-visible string is in resources/i18n/*.ts and translated there: a tr() string added
// without a translation fails here (run resources/i18n/update.sh, then translate what it marks
// unfinished). And the compiled translations really reach the program.
#include "cli/commandline.h"
#include "common/translations.h"
#include "kube/accessreview.h"
#include "kube/imagereference.h"
#include "kube/informer.h"
#include "testmain.h"
#include "timeline/exporters.h"
#include "timeline/timeline.h"

#include <QDate>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>

using namespace rollscope;
using rollscope::kube::AccessResults;
using rollscope::kube::ImageReferenceText;
using rollscope::kube::InformerText;
using rollscope::timeline::Timeline;
using rollscope::timeline::TimelineExport;

namespace {

struct Message
{
    QString context;
    QString source;
    QString comment;
    QString translationType;  // "unfinished", "obsolete", "vanished" or ""
    QStringList translations; // one, or one per numerus form
    bool numerus = false;
};

QString keyOf(const Message &m)
{
    return m.context + u'\x1f' + m.source + u'\x1f' + m.comment;
}

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, file.errorString());
        return {};
    }
    QList<Message> messages;
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == QLatin1StringView("name")) {
            context = xml.readElementText();
        } else if (name == QLatin1StringView("message")) {
            current = Message{};
            current.context = context;
            current.numerus =
                xml.attributes().value(QLatin1StringView("numerus")) == QLatin1StringView("yes");
        } else if (name == QLatin1StringView("source")) {
            current.source = xml.readElementText();
        } else if (name == QLatin1StringView("comment")) {
            current.comment = xml.readElementText();
        } else if (name == QLatin1StringView("translation")) {
            current.translationType = xml.attributes().value(QLatin1StringView("type")).toString();
            if (current.numerus) {
                while (xml.readNextStartElement())
                    current.translations << xml.readElementText();
            } else {
                current.translations << xml.readElementText();
            }
            messages << current;
        }
    }
    if (xml.hasError())
        *error =
            QStringLiteral("%1: %2 at line %3").arg(path, xml.errorString()).arg(xml.lineNumber());
    return messages;
}

QString sourceRoot()
{
    return QStringLiteral(ROLLSCOPE_SOURCE_ROOT);
}

QString committedTs()
{
    return sourceRoot() + QStringLiteral("/resources/i18n/rollscope_zh_CN.ts");
}

// %1..%99 and %n, sorted, each once: a translation may reorder them but not drop or add one.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("%(?:L?\\d{1,2}|n)"));
    QSet<QString> found;
    for (const QRegularExpressionMatch &m : re.globalMatch(text))
        found.insert(m.captured().remove(u'L'));
    QStringList sorted(found.begin(), found.end());
    sorted.sort();
    return sorted;
}

// A single '&' before a character marks a mnemonic; "&&" is a literal ampersand.
bool hasMnemonic(const QString &text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text.at(i) != u'&')
            continue;
        if (text.at(i + 1) == u'&') {
            ++i;
            continue;
        }
        if (text.at(i + 1).isLetterOrNumber())
            return true;
    }
    return false;
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT
private slots:
    void everySourceStringIsInTheTsFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fresh = dir.filePath(QStringLiteral("rollscope_zh_CN.ts"));
        // The same sources and options as resources/i18n/update.sh.
        QProcess lupdate;
        lupdate.setWorkingDirectory(sourceRoot());
        lupdate.start(QStringLiteral(ROLLSCOPE_LUPDATE),
                      {QStringLiteral("-locations"), QStringLiteral("none"),
                       QStringLiteral("-no-obsolete"), QStringLiteral("-no-ui-lines"),
                       QStringLiteral("-silent"), QStringLiteral("models"), QStringLiteral("ui"),
                       QStringLiteral("app"), QStringLiteral("-ts"), fresh});
        QVERIFY2(lupdate.waitForFinished(60'000), qPrintable(lupdate.errorString()));
        QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
                 lupdate.readAllStandardError().constData());

        QString error;
        const QList<Message> extracted = readTs(fresh, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(extracted.size() > 500, qPrintable(QString::number(extracted.size())));
        const QList<Message> committed = readTs(committedTs(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        QSet<QString> known;
        for (const Message &m : committed)
            known.insert(keyOf(m));
        QStringList missing;
        for (const Message &m : extracted) {
            if (!known.contains(keyOf(m)))
                missing << QStringLiteral("  [%1] %2").arg(m.context, m.source.left(100));
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("%1 string(s) the code shows are not in %2; run "
                                           "resources/i18n/update.sh and translate them:\n%3")
                                .arg(missing.size())
                                .arg(committedTs(), missing.mid(0, 40).join(u'\n'))));
    }

    void everyEntryIsTranslated()
    {
        QString error;
        const QList<Message> messages = readTs(committedTs(), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(!messages.isEmpty());
        QStringList problems;
        for (const Message &m : messages) {
            const QString where = QStringLiteral("  [%1] %2").arg(m.context, m.source.left(80));
            // lupdate files a tr() it cannot attribute to a class (one called through an alias,
            // `using T = Text; T::tr(...)`) under no context; Qt never looks there at run time.
            if (m.context.isEmpty()) {
                problems << where + QStringLiteral(": no context (call the class's tr directly)");
                continue;
            }
            if (!m.translationType.isEmpty()) {
                problems << where + QStringLiteral(": ") + m.translationType;
                continue;
            }
            if (m.translations.isEmpty() ||
                std::any_of(m.translations.cbegin(), m.translations.cend(),
                            [](const QString &t) { return t.trimmed().isEmpty(); })) {
                problems << where + QStringLiteral(": empty translation");
                continue;
            }
            for (const QString &t : m.translations) {
                QStringList expected = placeholders(m.source);
                // A numerus form may spell the count out ("one") instead of %n.
                QStringList got = placeholders(t);
                if (m.numerus) {
                    expected.removeAll(QStringLiteral("%n"));
                    got.removeAll(QStringLiteral("%n"));
                }
                if (expected != got)
                    problems << where + QStringLiteral(": placeholders %1 in the translation, "
                                                       "%2 in the source")
                                            .arg(got.join(u' '), expected.join(u' '));
                if (hasMnemonic(m.source) != hasMnemonic(t))
                    problems << where + QStringLiteral(": the & mnemonic is lost or added");
            }
        }
        QVERIFY2(problems.isEmpty(),
                 qPrintable(QStringLiteral("%1 problem(s) in %2:\n%3")
                                .arg(problems.size())
                                .arg(committedTs(), problems.mid(0, 40).join(u'\n'))));
    }

    void compiledTranslationIsInTheResources()
    {
        QTranslator translator;
        QVERIFY(translator.load(QStringLiteral(":/i18n/rollscope_zh_CN.qm")));
        QCOMPARE(translator.translate("rollscope::MainWindow", "&File"),
                 QStringLiteral("文件(&F)"));
        QCOMPARE(translator.translate("CommandLine", "Show this help and exit."),
                 QStringLiteral("显示此帮助并退出。"));
    }

    void languageChoice()
    {
        QCOMPARE(Translations::normalized(QStringLiteral("zh_CN.UTF-8")), QStringLiteral("zh_CN"));
        QCOMPARE(Translations::normalized(QStringLiteral("zh-Hans-CN")), QStringLiteral("zh_CN"));
        QCOMPARE(Translations::normalized(QStringLiteral("C")), QStringLiteral("en"));
        QCOMPARE(Translations::normalized(QStringLiteral("en_GB")), QStringLiteral("en"));
        QVERIFY(Translations::normalized(QStringLiteral("zh_TW")).isEmpty());
        QVERIFY(Translations::normalized(QStringLiteral("fr")).isEmpty());
        QCOMPARE(Translations::languageFromArguments(
                     {QStringLiteral("rollscope"), QStringLiteral("--lang"), QStringLiteral("en")}),
                 QStringLiteral("en"));
        QCOMPARE(Translations::languageFromArguments(
                     {QStringLiteral("rollscope"), QStringLiteral("--lang=zh_CN")}),
                 QStringLiteral("zh_CN"));
        // --lang wins over the setting, the setting over the system.
        QCOMPARE(Translations::chooseLocale(QStringLiteral("zh_CN"), QStringLiteral("en")).name(),
                 QStringLiteral("zh_CN"));
        QCOMPARE(Translations::chooseLocale(QString(), QStringLiteral("zh_CN")).name(),
                 QStringLiteral("zh_CN"));
        QCOMPARE(Translations::chooseLocale(QString(), QString()), QLocale::system());

        const auto parsed = CommandLine::parse(
            {QStringLiteral("rollscope"), QStringLiteral("--lang"), QStringLiteral("zh-CN")});
        QCOMPARE(parsed.command, Command::Gui);
        QCOMPARE(parsed.language, QStringLiteral("zh_CN"));
        const auto unsupported = CommandLine::parse(
            {QStringLiteral("rollscope"), QStringLiteral("--lang"), QStringLiteral("tlh")});
        QCOMPARE(unsupported.command, Command::ShowText);
        QCOMPARE(unsupported.exitCode, kExitUsage);
    }

    void helpSpeaksTheInstalledLanguage()
    {
        const QStringList help{QStringLiteral("rollscope"), QStringLiteral("--help")};
        QVERIFY(Translations::install(QLocale(QStringLiteral("zh_CN"))));
        const QString chinese = CommandLine::parse(help).text;
        QVERIFY2(chinese.contains(QStringLiteral("显示此帮助并退出。")), qPrintable(chinese));
        // Qt's own strings (QCommandLineParser's headings) come from qtbase_zh_CN.qm.
        QVERIFY2(chinese.contains(QStringLiteral("选项：")), qPrintable(chinese));
        // Strings of the text classes declared with Q_DECLARE_TR_FUNCTIONS are found in the
        // context they are looked up in at run time.
        QCOMPARE(AccessResults::tr("the review failed: %1"), QStringLiteral("访问审查失败：%1"));
        QCOMPARE(ImageReferenceText::tr("The image reference is empty."),
                 QStringLiteral("镜像引用为空。"));
        QCOMPARE(InformerText::tr("Stopped."), QStringLiteral("已停止。"));
        // The HTML report says which language its words are in.
        QCOMPARE(Translations::activeLanguage(), QStringLiteral("zh_CN"));
        Timeline timeline;
        timeline.name = QStringLiteral("demo-dp");
        timeline.ns = QStringLiteral("default");
        const QString zhReport = QString::fromUtf8(TimelineExport::html(timeline));
        QVERIFY2(zhReport.contains(QStringLiteral("<html lang=\"zh-CN\">")),
                 qPrintable(zhReport.left(200)));
        // Numbers and dates follow the language chosen.
        QCOMPARE(QLocale().name(), QStringLiteral("zh_CN"));
        QVERIFY(QLocale()
                    .toString(QDate(2026, 12, 5), QLocale::LongFormat)
                    .contains(QStringLiteral("年")));

        QVERIFY(!Translations::install(QLocale(QStringLiteral("en"))));
        const QString english = CommandLine::parse(help).text;
        QVERIFY2(english.contains(QStringLiteral("Show this help and exit.")), qPrintable(english));
        QCOMPARE(Translations::activeLanguage(), QStringLiteral("en"));
        QVERIFY(TimelineExport::html(timeline).contains("<html lang=\"en\">"));
        QLocale::setDefault(QLocale::c());
    }
};

ROLLSCOPE_TEST_MAIN(TestTranslations)
#include "tst_translations.moc"
