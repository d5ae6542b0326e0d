// SPDX-License-Identifier: MIT
#include "json.h"

#include <QJsonDocument>

#include <cstring>
#include <limits>

namespace rollscope::sim::json {

namespace {

template<typename Keys>
QJsonValue getImpl(const QJsonObject &root, const Keys &path)
{
    const QJsonObject *current = &root;
    QJsonObject holder;
    qsizetype i = 0;
    const qsizetype n = qsizetype(path.size());
    for (const auto &key : path) {
        const QJsonValue value = current->value(key);
        if (++i == n)
            return value;
        if (!value.isObject())
            return QJsonValue(QJsonValue::Undefined);
        holder = value.toObject();
        current = &holder;
    }
    return QJsonValue(QJsonValue::Undefined);
}

template<typename It>
void setImpl(QJsonObject &object, It begin, It end, const QJsonValue &value)
{
    if (begin == end)
        return;
    const auto key = *begin;
    if (std::next(begin) == end) {
        if (value.isUndefined())
            object.remove(key);
        else
            object.insert(key, value);
        return;
    }
    QJsonObject child = object.value(key).toObject();
    setImpl(child, std::next(begin), end, value);
    object.insert(key, child);
}

// Proleptic Gregorian calendar arithmetic on day numbers (H. Hinnant's civil algorithms).
qint64 daysFromCivil(qint64 y, qint64 m, qint64 d)
{
    y -= m <= 2 ? 1 : 0;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const qint64 yoe = y - era * 400;
    const qint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const qint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

struct Civil
{
    int year = 0;
    int month = 0;
    int day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int millisecond = 0;
};

bool toCivil(qint64 ms, Civil &c)
{
    if (ms < 0 || ms >= 253402300800000) // 0001..9999 only; QDateTime handles the rest
        return false;
    const qint64 days = ms / 86'400'000;
    qint64 rest = ms % 86'400'000;
    c.hour = int(rest / 3'600'000);
    rest %= 3'600'000;
    c.minute = int(rest / 60'000);
    rest %= 60'000;
    c.second = int(rest / 1000);
    c.millisecond = int(rest % 1000);
    const qint64 z = days + 719468;
    const qint64 era = z / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    c.day = int(doy - (153 * mp + 2) / 5 + 1);
    c.month = int(mp < 10 ? mp + 3 : mp - 9);
    c.year = int(yoe + era * 400 + (c.month <= 2 ? 1 : 0));
    return true;
}

void writeDigits(char *out, int value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        out[i] = char('0' + value % 10);
        value /= 10;
    }
}

// Writes "YYYY-MM-DDTHH:MM:SS" (19 characters).
void writeCivil(const Civil &c, char *out)
{
    writeDigits(out, c.year, 4);
    out[4] = '-';
    writeDigits(out + 5, c.month, 2);
    out[7] = '-';
    writeDigits(out + 8, c.day, 2);
    out[10] = 'T';
    writeDigits(out + 11, c.hour, 2);
    out[13] = ':';
    writeDigits(out + 14, c.minute, 2);
    out[16] = ':';
    writeDigits(out + 17, c.second, 2);
}

constexpr qint64 kNoFastParse = std::numeric_limits<qint64>::min();

qint64 parseUtcFast(const QString &text)
{
    const qsizetype n = text.size();
    if (n < 20 || text.at(n - 1) != u'Z')
        return kNoFastParse;
    const QChar *p = text.constData();
    auto number = [p](qsizetype at, int width, int &out) {
        int value = 0;
        for (int i = 0; i < width; ++i) {
            const char16_t ch = p[at + i].unicode();
            if (ch < u'0' || ch > u'9')
                return false;
            value = value * 10 + int(ch - u'0');
        }
        out = value;
        return true;
    };
    Civil c;
    if (!number(0, 4, c.year) || p[4] != u'-' || !number(5, 2, c.month) || p[7] != u'-' ||
        !number(8, 2, c.day) || (p[10] != u'T' && p[10] != u't') || !number(11, 2, c.hour) ||
        p[13] != u':' || !number(14, 2, c.minute) || p[16] != u':' || !number(17, 2, c.second))
        return kNoFastParse;
    int millis = 0;
    if (n > 20) {
        if (p[19] != u'.' || n == 21)
            return kNoFastParse;
        // Fractions finer than a millisecond are truncated.
        int scale = 100;
        for (qsizetype i = 20; i < n - 1; ++i) {
            const char16_t ch = p[i].unicode();
            if (ch < u'0' || ch > u'9')
                return kNoFastParse;
            millis += int(ch - u'0') * scale;
            scale /= 10;
        }
    }
    static constexpr int kMonthDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > kMonthDays[c.month - 1] ||
        c.hour > 23 || c.minute > 59 || c.second > 59)
        return kNoFastParse; // QDateTime decides (and rejects what is invalid)
    const bool leap = (c.year % 4 == 0 && c.year % 100 != 0) || c.year % 400 == 0;
    if (c.month == 2 && c.day == 29 && !leap)
        return kNoFastParse;
    const qint64 days = daysFromCivil(c.year, c.month, c.day);
    return ((days * 24 + c.hour) * 60 + c.minute) * 60'000 + c.second * 1000 + millis;
}

} // namespace

QJsonValue get(const QJsonObject &object, Path path)
{
    return getImpl(object, path);
}

QJsonValue get(const QJsonObject &object, const QStringList &path)
{
    return getImpl(object, path);
}

QJsonObject object(const QJsonObject &o, Path path)
{
    return get(o, path).toObject();
}

QJsonArray array(const QJsonObject &o, Path path)
{
    return get(o, path).toArray();
}

QString string(const QJsonObject &o, Path path)
{
    return get(o, path).toString();
}

qint64 integer(const QJsonObject &o, Path path, qint64 fallback)
{
    const QJsonValue v = get(o, path);
    return v.isDouble() ? v.toInteger(fallback) : fallback;
}

bool boolean(const QJsonObject &o, Path path, bool fallback)
{
    const QJsonValue v = get(o, path);
    return v.isBool() ? v.toBool() : fallback;
}

bool has(const QJsonObject &o, Path path)
{
    const QJsonValue v = get(o, path);
    return !v.isUndefined() && !v.isNull();
}

void set(QJsonObject &object, Path path, const QJsonValue &value)
{
    setImpl(object, path.begin(), path.end(), value);
}

void set(QJsonObject &object, const QStringList &path, const QJsonValue &value)
{
    setImpl(object, path.cbegin(), path.cend(), value);
}

void remove(QJsonObject &object, Path path)
{
    set(object, path, QJsonValue(QJsonValue::Undefined));
}

QString name(const QJsonObject &o)
{
    return string(o, {u"metadata", u"name"});
}

QString ns(const QJsonObject &o)
{
    return string(o, {u"metadata", u"namespace"});
}

QString uid(const QJsonObject &o)
{
    return string(o, {u"metadata", u"uid"});
}

QString annotation(const QJsonObject &o, const QString &key)
{
    return o.value(u"metadata").toObject().value(u"annotations").toObject().value(key).toString();
}

void setAnnotation(QJsonObject &o, const QString &key, const QString &value)
{
    set(o, QStringList{QStringLiteral("metadata"), QStringLiteral("annotations"), key},
        value.isNull() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(value));
}

QString label(const QJsonObject &o, const QString &key)
{
    return labels(o).value(key).toString();
}

QJsonObject labels(const QJsonObject &o)
{
    return o.value(u"metadata").toObject().value(u"labels").toObject();
}

bool isBeingDeleted(const QJsonObject &o)
{
    return has(o, {u"metadata", u"deletionTimestamp"});
}

QString timestamp(qint64 ms)
{
    // The controllers stamp every condition and event: a hand-rolled formatter is an order of
    // magnitude faster than QDateTime::toString and gives the same text.
    Civil c;
    if (!toCivil(ms, c))
        return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
    char buffer[24];
    writeCivil(c, buffer);
    buffer[19] = 'Z';
    return QString::fromLatin1(buffer, 20);
}

QString microTimestamp(qint64 ms)
{
    Civil c;
    if (!toCivil(ms, c)) {
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        return t.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("000Z");
    }
    char buffer[32];
    writeCivil(c, buffer);
    buffer[19] = '.';
    writeDigits(buffer + 20, c.millisecond, 3);
    std::memcpy(buffer + 23, "000Z", 4);
    return QString::fromLatin1(buffer, 27);
}

qint64 parseTimestamp(const QString &text)
{
    // Fast path for what the simulator itself writes: "YYYY-MM-DDTHH:MM:SS[.fraction]Z".
    if (const qint64 fast = parseUtcFast(text); fast != kNoFastParse)
        return fast;
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.isValid() ? t.toMSecsSinceEpoch() : -1;
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

void appendString(QByteArray &out, QStringView text)
{
    static const char hex[] = "0123456789abcdef";
    out += '"';
    bool plain = true;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u < 0x20 || u == u'"' || u == u'\\' || u >= 0x80) {
            plain = false;
            break;
        }
    }
    if (plain) {
        // The common case: printable ASCII, one byte per character.
        const qsizetype at = out.size();
        out.resize(at + text.size());
        char *p = out.data() + at;
        for (const QChar c : text)
            *p++ = char(c.unicode());
    } else {
        const QByteArray utf8 = text.toUtf8();
        for (const char ch : utf8) {
            const uchar b = uchar(ch);
            if (b == '"' || b == '\\') {
                out += '\\';
                out += char(b);
            } else if (b < 0x20) {
                out += "\\u00";
                out += hex[b >> 4];
                out += hex[b & 0xf];
            } else {
                out += char(b);
            }
        }
    }
    out += '"';
}

void appendField(QByteArray &out, const char *key, QStringView value)
{
    out += '"';
    out += key;
    out += "\":";
    appendString(out, value);
    out += ',';
}

QJsonObject parseObject(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    Q_ASSERT_X(error.error == QJsonParseError::NoError, "json::parseObject",
               qPrintable(error.errorString()));
    return doc.object();
}

} // namespace rollscope::sim::json
