// SPDX-License-Identifier: MIT
#include "kube/fastjson.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <vector>

namespace rollscope::kube::fastjson {

namespace {

QString fromUtf8(std::string_view text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

// The per-thread parser, and a padded buffer the text is copied into (simdjson reads up to
// SIMDJSON_PADDING bytes past the end): no allocation per parse once both have grown.
struct ThreadParser
{
    simdjson::dom::parser parser;
    std::vector<char> buffer;
};

ThreadParser &threadParser()
{
    thread_local ThreadParser parser;
    return parser;
}

} // namespace

bool Value::isDouble() const
{
    if (!m_defined)
        return false;
    const auto type = m_element.type();
    return type == simdjson::dom::element_type::INT64 ||
           type == simdjson::dom::element_type::UINT64 ||
           type == simdjson::dom::element_type::DOUBLE;
}

QString Value::toString() const
{
    if (!isString())
        return {};
    return fromUtf8(std::string_view(m_element.get_string().value_unsafe()));
}

std::string_view Value::utf8() const
{
    if (!isString())
        return {};
    return m_element.get_string().value_unsafe();
}

bool Value::toBool(bool fallback) const
{
    return isBool() ? m_element.get_bool().value_unsafe() : fallback;
}

qint64 Value::toInteger(qint64 fallback) const
{
    if (!m_defined)
        return fallback;
    switch (m_element.type()) {
    case simdjson::dom::element_type::INT64:
        return m_element.get_int64().value_unsafe();
    case simdjson::dom::element_type::UINT64: {
        const quint64 n = m_element.get_uint64().value_unsafe();
        return n <= quint64(std::numeric_limits<qint64>::max()) ? qint64(n) : fallback;
    }
    case simdjson::dom::element_type::DOUBLE: {
        // As QJsonValue::toInteger(): an integral value that fits.
        const double d = m_element.get_double().value_unsafe();
        if (!std::isfinite(d) || std::trunc(d) != d || d < -9223372036854775808.0 ||
            d >= 9223372036854775808.0)
            return fallback;
        return qint64(d);
    }
    default:
        return fallback;
    }
}

Object Value::toObject() const
{
    if (!isObject())
        return {};
    return Object(m_element.get_object().value_unsafe());
}

Array Value::toArray() const
{
    if (!isArray())
        return {};
    return Array(m_element.get_array().value_unsafe());
}

Value Object::value(QStringView key) const
{
    Value found;
    values(&key, &found, 1);
    return found;
}

void Object::values(const QStringView *keys, Value *values, size_t count) const
{
    constexpr size_t kMaxKeys = 16;
    constexpr qsizetype kMaxKeyBytes = 64;
    for (size_t i = 0; i < count; ++i)
        values[i] = Value();
    if (!m_defined)
        return;
    if (count > kMaxKeys) {
        for (size_t i = 0; i < count; ++i)
            values[i] = value(keys[i]);
        return;
    }
    // The keys as bytes; a longer key than any decoder asks for is never found.
    char ascii[kMaxKeys][kMaxKeyBytes];
    uint32_t sizes[kMaxKeys];
    quint64 wantedSizes = 0; // bit n: a key of n bytes is wanted
    for (size_t i = 0; i < count; ++i) {
        const QStringView key = keys[i];
        sizes[i] =
            key.size() > kMaxKeyBytes ? std::numeric_limits<uint32_t>::max() : uint32_t(key.size());
        if (key.size() < kMaxKeyBytes)
            wantedSizes |= quint64(1) << key.size();
        for (qsizetype c = 0; c < key.size() && c < kMaxKeyBytes; ++c)
            ascii[i][c] = char(key[c].unicode());
    }
    // The last of duplicate keys, as Qt's parser keeps (at_key() would find the first). Most
    // members differ from every wanted key in length: their bytes are not compared.
    const auto end = m_object.end();
    for (auto it = m_object.begin(); it != end; ++it) {
        const uint32_t size = it.key_length();
        if (size < uint32_t(kMaxKeyBytes) && !(wantedSizes & (quint64(1) << size)))
            continue;
        for (size_t i = 0; i < count; ++i) {
            if (sizes[i] != size)
                continue;
            const char *key = it.key_c_str();
            if (size == 0 || (key[0] == ascii[i][0] && std::memcmp(key, ascii[i], size) == 0))
                values[i] = Value(it.value());
        }
    }
}

QString Object::const_iterator::key() const
{
    return fromUtf8(m_it.key());
}

Value Array::first() const
{
    if (isEmpty())
        return {};
    return Value(*m_array.begin());
}

Array::const_iterator Array::begin() const
{
    return const_iterator(m_defined ? m_array.begin() : simdjson::dom::array::iterator());
}

Array::const_iterator Array::end() const
{
    return const_iterator(m_defined ? m_array.end() : simdjson::dom::array::iterator());
}

std::optional<Value> parse(QByteArrayView json, qsizetype readableAfter)
{
    if (readableAfter < qsizetype(simdjson::SIMDJSON_PADDING))
        return parse(json);
    simdjson::dom::element root;
    if (threadParser().parser.parse(json.data(), size_t(json.size()), false).get(root))
        return std::nullopt;
    return Value(root);
}

std::optional<Value> parse(QByteArrayView json)
{
    ThreadParser &p = threadParser();
    const size_t size = size_t(json.size());
    if (p.buffer.size() < size + simdjson::SIMDJSON_PADDING)
        p.buffer.resize(size + simdjson::SIMDJSON_PADDING);
    std::copy(json.begin(), json.end(), p.buffer.begin());
    simdjson::dom::element root;
    if (p.parser.parse(p.buffer.data(), size, false).get(root))
        return std::nullopt;
    return Value(root);
}

} // namespace rollscope::kube::fastjson
