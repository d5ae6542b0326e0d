// SPDX-License-Identifier: MIT
#include "kube/yamlprint.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <cmath>

namespace rollscope::kube {

namespace {

// libyaml's IS_PRINTABLE (unicode mode): what may appear unescaped in a scalar.
bool yamlPrintable(char32_t c)
{
    return c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
}

bool yamlAllPrintable(const QString &text)
{
    const QList<uint> points = text.toUcs4();
    for (const uint c : points) {
        if (!yamlPrintable(c))
            return false;
    }
    return true;
}

// A plain scalar with this text would be read as null, a bool, a number or a timestamp
// (YAML 1.1, as go-yaml v2 and thus kubectl resolve it), so the string must be quoted.
bool yamlResolvesToNonString(const QString &s)
{
    static const QStringList words = {
        QStringLiteral("~"),     QStringLiteral("null"),  QStringLiteral("Null"),
        QStringLiteral("NULL"),  QStringLiteral("y"),     QStringLiteral("Y"),
        QStringLiteral("yes"),   QStringLiteral("Yes"),   QStringLiteral("YES"),
        QStringLiteral("n"),     QStringLiteral("N"),     QStringLiteral("no"),
        QStringLiteral("No"),    QStringLiteral("NO"),    QStringLiteral("true"),
        QStringLiteral("True"),  QStringLiteral("TRUE"),  QStringLiteral("false"),
        QStringLiteral("False"), QStringLiteral("FALSE"), QStringLiteral("on"),
        QStringLiteral("On"),    QStringLiteral("ON"),    QStringLiteral("off"),
        QStringLiteral("Off"),   QStringLiteral("OFF"),   QStringLiteral("<<"),
        QStringLiteral("=")};
    if (s.isEmpty() || words.contains(s))
        return true;
    const QChar first = s.front();
    if (!(first.isDigit() || first == u'-' || first == u'+' || first == u'.'))
        return false;
    // Generous on purpose: a needless pair of quotes is harmless, a missing one changes the type.
    static const QRegularExpression number(
        QStringLiteral("^[-+]?("
                       "(\\.[0-9_]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?" // decimal, float
                       "|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+" // hex, octal, binary
                       "|[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"    // base 60
                       "|\\.(inf|Inf|INF)"
                       ")$|^\\.(nan|NaN|NAN)$"));
    static const QRegularExpression timestamp(
        QStringLiteral("^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \\t]|$)"));
    return number.match(s).hasMatch() || timestamp.match(s).hasMatch();
}

// libyaml's analysis of a single-line scalar for the block context: may it be written plain?
bool yamlPlainAllowed(const QString &s)
{
    if (s.isEmpty() || s.contains(u'\n'))
        return false;
    const QChar first = s.front();
    const QChar last = s.back();
    if (first == u' ' || last == u' ' || first == u'\t' || last == u'\t')
        return false;
    static const QString indicators = QStringLiteral("#,[]{}&*!|>'\"%@`");
    if (indicators.contains(first))
        return false;
    const bool blankAfterFirst = s.size() == 1 || s.at(1) == u' ';
    if ((first == u'-' || first == u'?' || first == u':') && blankAfterFirst)
        return false;
    if (s.startsWith(QLatin1StringView("---")) || s.startsWith(QLatin1StringView("...")))
        return false;
    if (s.contains(QLatin1StringView(": ")) || s.contains(QLatin1StringView(" #")) || last == u':')
        return false;
    return yamlAllPrintable(s) && !yamlResolvesToNonString(s);
}

QString yamlDoubleQuoted(const QString &s)
{
    QString out;
    out.reserve(s.size() + 2);
    out += u'"';
    const QList<uint> points = s.toUcs4();
    for (const uint c : points) {
        switch (c) {
        case '"':
            out += QLatin1StringView("\\\"");
            continue;
        case '\\':
            out += QLatin1StringView("\\\\");
            continue;
        case '\n':
            out += QLatin1StringView("\\n");
            continue;
        case '\t':
            out += QLatin1StringView("\\t");
            continue;
        case '\r':
            out += QLatin1StringView("\\r");
            continue;
        case 0:
            out += QLatin1StringView("\\0");
            continue;
        case 0x1B:
            out += QLatin1StringView("\\e");
            continue;
        default:
            break;
        }
        if (c != '\n' && yamlPrintable(c)) {
            const char32_t point = c;
            out += QString::fromUcs4(&point, 1);
        } else {
            const int width = c <= 0xFF ? 2 : (c <= 0xFFFF ? 4 : 8);
            const QChar letter = c <= 0xFF ? u'x' : (c <= 0xFFFF ? u'u' : u'U');
            out += u'\\';
            out += letter;
            out += QString::number(c, 16).toUpper().rightJustified(width, u'0');
        }
    }
    out += u'"';
    return out;
}

// A literal block (|) keeps the text exactly: allowed when no line ends in a blank (it would
// be lost), nothing needs escaping, and the first line does not start with a blank.
bool yamlLiteralAllowed(const QString &s)
{
    if (!s.contains(u'\n') || s.startsWith(u' ') || s.startsWith(u'\n'))
        return false;
    if (s.contains(QLatin1StringView(" \n")) || s.endsWith(u' '))
        return false;
    return yamlAllPrintable(s);
}

QString yamlNumber(double d)
{
    if (std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9007199254740992.0)
        return QString::number(static_cast<qint64>(d));
    if (std::isnan(d))
        return QStringLiteral(".nan");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral(".inf") : QStringLiteral("-.inf");
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

class YamlWriter
{
public:
    QString out;

    // `first` replaces the indentation on the first line (e.g. "  - "); its length is `indent`.
    void map(const QJsonObject &o, int indent, const QString &first)
    {
        bool firstLine = true;
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            out += firstLine ? first : QString(indent, u' ');
            firstLine = false;
            out += yamlInlineScalar(it.key());
            out += u':';
            afterKey(it.value(), indent);
        }
    }

    void sequence(const QJsonArray &a, int indent, const QString &first)
    {
        bool firstLine = true;
        for (const QJsonValue &v : a) {
            const QString dash = (firstLine ? first : QString(indent, u' ')) + QStringLiteral("- ");
            firstLine = false;
            if (v.isObject() && !v.toObject().isEmpty()) {
                map(v.toObject(), indent + 2, dash);
            } else if (v.isArray() && !v.toArray().isEmpty()) {
                sequence(v.toArray(), indent + 2, dash);
            } else {
                out += dash.chopped(1); // the value adds its own separating blank
                inlineValue(v, indent + 2);
            }
        }
    }

private:
    void afterKey(const QJsonValue &v, int indent)
    {
        if (v.isObject() && !v.toObject().isEmpty()) {
            out += u'\n';
            map(v.toObject(), indent + 2, QString(indent + 2, u' '));
        } else if (v.isArray() && !v.toArray().isEmpty()) {
            out += u'\n';
            // kubectl (go-yaml) puts a sequence's dashes at its key's indentation.
            sequence(v.toArray(), indent, QString(indent, u' '));
        } else {
            inlineValue(v, indent + 2);
        }
    }

    // A value that fits after "key:" or "-": scalars, {} and [], literal blocks.
    void inlineValue(const QJsonValue &v, int contentIndent)
    {
        out += u' ';
        switch (v.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            out += QLatin1StringView("null\n");
            return;
        case QJsonValue::Bool:
            out += v.toBool() ? QLatin1StringView("true\n") : QLatin1StringView("false\n");
            return;
        case QJsonValue::Double:
            out += yamlNumber(v.toDouble());
            out += u'\n';
            return;
        case QJsonValue::Object:
            out += QLatin1StringView("{}\n");
            return;
        case QJsonValue::Array:
            out += QLatin1StringView("[]\n");
            return;
        case QJsonValue::String:
            break;
        }
        const QString s = v.toString();
        if (!yamlLiteralAllowed(s)) {
            out += yamlInlineScalar(s);
            out += u'\n';
            return;
        }
        QString body = s;
        int trailing = 0;
        while (trailing < body.size() && body.at(body.size() - 1 - trailing) == u'\n')
            ++trailing;
        out += trailing == 0
                   ? QLatin1StringView("|-\n")
                   : (trailing == 1 ? QLatin1StringView("|\n") : QLatin1StringView("|+\n"));
        if (trailing > 0)
            body.chop(1);
        const QString pad(contentIndent, u' ');
        const QStringList lines = body.split(u'\n');
        for (const QString &line : lines) {
            if (!line.isEmpty())
                out += pad + line;
            out += u'\n';
        }
    }
};

} // namespace

QString yamlInlineScalar(const QString &text)
{
    if (yamlPlainAllowed(text))
        return text;
    // Strings that would read as another type: double quotes, as go-yaml writes them.
    if (!text.contains(u'\n') && yamlAllPrintable(text) && !yamlResolvesToNonString(text))
        return u'\'' + QString(text).replace(u'\'', QLatin1StringView("''")) + u'\'';
    return yamlDoubleQuoted(text);
}

QString toYaml(const QJsonObject &object, const YamlPrintOptions &options)
{
    QJsonObject o = object;
    if (!options.showManagedFields && o.value(u"metadata").toObject().contains(u"managedFields")) {
        QJsonObject metadata = o.value(u"metadata").toObject();
        metadata.remove(QStringLiteral("managedFields"));
        o.insert(QStringLiteral("metadata"), metadata);
    }
    if (o.isEmpty())
        return QStringLiteral("{}\n");
    YamlWriter writer;
    writer.map(o, 0, QString());
    return writer.out;
}

} // namespace rollscope::kube
