// SPDX-License-Identifier: MIT
#include "timeline/jsontext.h"

#include "timeline/timeline.h"

#include <cmath>

namespace rollscope::timeline {

JsonText JsonText::string(const QString &text)
{
    JsonText v(Type::String);
    v.m_text = text;
    return v;
}

JsonText JsonText::boolean(bool value)
{
    JsonText v(Type::Bool);
    v.m_bool = value;
    return v;
}

JsonText JsonText::integer(qint64 value)
{
    JsonText v(Type::Number);
    v.m_text = QString::number(value);
    return v;
}

JsonText JsonText::decimal(double value, int decimals)
{
    // JSON has no NaN or infinity; such a value is a bug upstream, and null keeps the file valid.
    if (!std::isfinite(value))
        return JsonText();
    JsonText v(Type::Number);
    v.m_text = formatDecimal(value, decimals);
    return v;
}

JsonText JsonText::seconds(qint64 ms)
{
    JsonText v(Type::Number);
    v.m_text = formatSeconds(ms);
    return v;
}

JsonText &JsonText::insert(const QString &key, JsonText value)
{
    m_members.emplace_back(key, std::move(value));
    return *this;
}

JsonText &JsonText::insertAll(const JsonText &other)
{
    for (const auto &member : other.m_members)
        m_members.push_back(member);
    return *this;
}

JsonText &JsonText::append(JsonText value)
{
    m_items.push_back(std::move(value));
    return *this;
}

QByteArray JsonText::toCompact() const
{
    QByteArray out;
    write(out, 0, -1, false);
    return out;
}

QByteArray JsonText::toIndented(int expandDepth) const
{
    QByteArray out;
    write(out, 0, expandDepth, true);
    out += '\n';
    return out;
}

void JsonText::writeString(QByteArray &out, const QString &text)
{
    out += '"';
    const QByteArray utf8 = text.toUtf8();
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void JsonText::write(QByteArray &out, int depth, int expandDepth, bool spaced) const
{
    const bool expand = depth <= expandDepth;
    const auto newline = [&out](int level) {
        out += '\n';
        out += QByteArray(2 * level, ' ');
    };
    switch (m_type) {
    case Type::Null:
        out += "null";
        return;
    case Type::Bool:
        out += m_bool ? "true" : "false";
        return;
    case Type::Number:
        out += m_text.toLatin1();
        return;
    case Type::String:
        writeString(out, m_text);
        return;
    case Type::Array:
        out += '[';
        for (size_t i = 0; i < m_items.size(); ++i) {
            if (i > 0)
                out += expand || !spaced ? "," : ", ";
            if (expand)
                newline(depth + 1);
            m_items[i].write(out, depth + 1, expandDepth, spaced);
        }
        if (expand && !m_items.empty())
            newline(depth);
        out += ']';
        return;
    case Type::Object:
        out += '{';
        for (size_t i = 0; i < m_members.size(); ++i) {
            if (i > 0)
                out += expand || !spaced ? "," : ", ";
            if (expand)
                newline(depth + 1);
            writeString(out, m_members[i].first);
            out += expand || spaced ? ": " : ":";
            m_members[i].second.write(out, depth + 1, expandDepth, spaced);
        }
        if (expand && !m_members.empty())
            newline(depth);
        out += '}';
        return;
    }
}

} // namespace rollscope::timeline
