// SPDX-License-Identifier: MIT
#include "jsonwriter.h"

#include <QLocale>
#include <QVariant>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace rollscope::sim::jsonwriter {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Writes into `out` past its size through a raw cursor, growing it geometrically; finish()
// trims it to what was written. One capacity check per token instead of one per byte.
class Writer
{
public:
    explicit Writer(QByteArray &out, qsizetype expected = 256)
        : m_out(out)
    {
        const qsizetype at = out.size();
        out.resize(qMax(out.capacity(), at + expected));
        m_cursor = out.data() + at;
        m_end = out.data() + out.size();
    }

    void finish() { m_out.resize(m_cursor - m_out.constData()); }

    void ensure(qsizetype bytes)
    {
        if (m_end - m_cursor < bytes)
            grow(bytes);
    }

    void put(char c)
    {
        ensure(1);
        *m_cursor++ = c;
    }

    template<qsizetype N>
    void putLiteral(const char (&text)[N])
    {
        ensure(N - 1);
        std::memcpy(m_cursor, text, N - 1);
        m_cursor += N - 1;
    }

    void putBytes(const char *data, qsizetype size)
    {
        ensure(size);
        std::memcpy(m_cursor, data, size_t(size));
        m_cursor += size;
    }

    void string(QStringView text);
    void object(const QJsonObject &object, std::initializer_list<QStringView> skip = {});
    void array(const QJsonArray &array);
    void value(const QJsonValueConstRef &value);
    void value(const QJsonValue &value);
    template<class V>
    void anyValue(const V &value);

private:
    void grow(qsizetype bytes)
    {
        const qsizetype used = m_cursor - m_out.constData();
        m_out.resize(qMax(m_out.size() * 2, used + bytes + 256));
        m_cursor = m_out.data() + used;
        m_end = m_out.data() + m_out.size();
    }

    void integer(qint64 n)
    {
        ensure(24);
        m_cursor = std::to_chars(m_cursor, m_cursor + 24, n).ptr;
    }

    void number(double d, bool isInteger, qint64 integerValue);

    QByteArray &m_out;
    char *m_cursor = nullptr;
    char *m_end = nullptr;
};

// Qt's escaping (qjsonwriter.cpp): '"', '\\' and the C0 controls are escaped (\b \f \n \r \t,
// the others as \u00xx in lower-case hex); everything else, including '/' and U+007F, is written
// as UTF-8; a UTF-16 unit that does not encode (a lone surrogate) is written as \uxxxx.
void Writer::string(QStringView text)
{
    const char16_t *src = text.utf16();
    const char16_t *const end = src + text.size();
    // Worst case 6 bytes per UTF-16 unit (\u00xx or a lone surrogate's \uxxxx), plus quotes.
    ensure(text.size() * 6 + 2);
    char *out = m_cursor;
    *out++ = '"';
    while (src != end) {
#ifdef __SSE2__
        // Eight units at a time while they are all printable ASCII other than '"' and '\\'
        // (keys, names, labels: nearly everything).
        while (end - src >= 8) {
            const __m128i units = _mm_loadu_si128(reinterpret_cast<const __m128i *>(src));
            // Signed compares: units >= 0x8000 are negative and fail "> 0x1f".
            const __m128i printable = _mm_and_si128(_mm_cmpgt_epi16(units, _mm_set1_epi16(0x1f)),
                                                    _mm_cmplt_epi16(units, _mm_set1_epi16(0x80)));
            const __m128i special = _mm_or_si128(_mm_cmpeq_epi16(units, _mm_set1_epi16('"')),
                                                 _mm_cmpeq_epi16(units, _mm_set1_epi16('\\')));
            if (_mm_movemask_epi8(_mm_andnot_si128(special, printable)) != 0xffff)
                break;
            _mm_storel_epi64(reinterpret_cast<__m128i *>(out), _mm_packus_epi16(units, units));
            src += 8;
            out += 8;
        }
        if (src == end)
            break;
#endif
        const char16_t u = *src++;
        if (u < 0x80) {
            if (u >= 0x20 && u != u'"' && u != u'\\') {
                *out++ = char(u);
                continue;
            }
            *out++ = '\\';
            switch (u) {
            case u'"':
                *out++ = '"';
                break;
            case u'\\':
                *out++ = '\\';
                break;
            case 0x08:
                *out++ = 'b';
                break;
            case 0x0c:
                *out++ = 'f';
                break;
            case 0x0a:
                *out++ = 'n';
                break;
            case 0x0d:
                *out++ = 'r';
                break;
            case 0x09:
                *out++ = 't';
                break;
            default:
                *out++ = 'u';
                *out++ = '0';
                *out++ = '0';
                *out++ = kHexDigits[u >> 4];
                *out++ = kHexDigits[u & 0xf];
            }
        } else if (u < 0x800) {
            *out++ = char(0xc0 | (u >> 6));
            *out++ = char(0x80 | (u & 0x3f));
        } else if (!QChar::isSurrogate(u)) {
            *out++ = char(0xe0 | (u >> 12));
            *out++ = char(0x80 | ((u >> 6) & 0x3f));
            *out++ = char(0x80 | (u & 0x3f));
        } else if (QChar::isHighSurrogate(u) && src != end && QChar::isLowSurrogate(*src)) {
            const char32_t ucs4 = QChar::surrogateToUcs4(u, *src++);
            *out++ = char(0xf0 | (ucs4 >> 18));
            *out++ = char(0x80 | ((ucs4 >> 12) & 0x3f));
            *out++ = char(0x80 | ((ucs4 >> 6) & 0x3f));
            *out++ = char(0x80 | (ucs4 & 0x3f));
        } else {
            // A lone surrogate has no UTF-8 form: Qt writes the unit as an escape.
            *out++ = '\\';
            *out++ = 'u';
            *out++ = kHexDigits[(u >> 12) & 0xf];
            *out++ = kHexDigits[(u >> 8) & 0xf];
            *out++ = kHexDigits[(u >> 4) & 0xf];
            *out++ = kHexDigits[u & 0xf];
        }
    }
    *out++ = '"';
    m_cursor = out;
}

void Writer::number(double d, bool isInteger, qint64 integerValue)
{
    if (isInteger)
        return integer(integerValue);
    if (!std::isfinite(d))
        return putLiteral("null"); // as Qt: JSON has no infinities or NaN
    // Rare in Kubernetes objects: Qt's own shortest round-trip formatting, so the text is its.
    const QByteArray text = QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    putBytes(text.constData(), text.size());
}

void Writer::object(const QJsonObject &object, std::initializer_list<QStringView> skip)
{
    put('{');
    bool first = true;
    for (auto it = object.constBegin(), end = object.constEnd(); it != end; ++it) {
        const QString key = it.key();
        if (skip.size() != 0 && std::find(skip.begin(), skip.end(), QStringView(key)) != skip.end())
            continue;
        if (!first)
            put(',');
        first = false;
        string(key);
        put(':');
        value(it.value());
    }
    put('}');
}

void Writer::array(const QJsonArray &array)
{
    put('[');
    bool first = true;
    for (auto it = array.constBegin(), end = array.constEnd(); it != end; ++it) {
        if (!first)
            put(',');
        first = false;
        value(*it);
    }
    put(']');
}

// QJsonValue and the const reference an array's or object's iterator gives have the same
// reading API: one body for both.
template<class V>
void Writer::anyValue(const V &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        if (value.toBool())
            putLiteral("true");
        else
            putLiteral("false");
        return;
    case QJsonValue::Double: {
        // QJsonValue::type() says Double for both of the stored number kinds; Qt writes an
        // integer as one and a double with 'g' (1e6 as a double is "1e+06"): tell them apart.
        const QVariant variant = value.toVariant();
        const bool isInteger = variant.typeId() == QMetaType::LongLong;
        return number(isInteger ? 0.0 : variant.toDouble(), isInteger,
                      isInteger ? variant.toLongLong() : 0);
    }
    case QJsonValue::String:
        return string(value.toString());
    case QJsonValue::Array:
        return array(value.toArray());
    case QJsonValue::Object:
        return object(value.toObject());
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        break;
    }
    putLiteral("null");
}

void Writer::value(const QJsonValueConstRef &value)
{
    anyValue(value);
}

void Writer::value(const QJsonValue &value)
{
    anyValue(value);
}

// Objects are encoded into one scratch buffer per thread, grown to the largest encoding seen,
// and copied out at their exact size: no reallocation while writing, no slack kept per object.
QByteArray &scratch()
{
    thread_local QByteArray buffer;
    buffer.resize(0);
    return buffer;
}

} // namespace

QByteArray compact(const QJsonObject &object)
{
    return compactWithout(object, {});
}

QByteArray compact(const QJsonArray &array)
{
    QByteArray &buffer = scratch();
    Writer writer(buffer, 4096);
    writer.array(array);
    writer.finish();
    return QByteArray(buffer.constData(), buffer.size());
}

QByteArray compactWithout(const QJsonObject &object, std::initializer_list<QStringView> skip)
{
    QByteArray &buffer = scratch();
    Writer writer(buffer, 4096);
    writer.object(object, skip);
    writer.finish();
    return QByteArray(buffer.constData(), buffer.size());
}

void append(QByteArray &out, const QJsonObject &object, std::initializer_list<QStringView> skip)
{
    Writer writer(out);
    writer.object(object, skip);
    writer.finish();
}

void append(QByteArray &out, const QJsonArray &array)
{
    Writer writer(out);
    writer.array(array);
    writer.finish();
}

void append(QByteArray &out, const QJsonValue &value)
{
    Writer writer(out);
    writer.value(value);
    writer.finish();
}

void appendString(QByteArray &out, QStringView text)
{
    Writer writer(out, text.size() * 6 + 2);
    writer.string(text);
    writer.finish();
}

} // namespace rollscope::sim::jsonwriter
