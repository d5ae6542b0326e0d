// SPDX-License-Identifier: MIT
#pragma once

// A JSON value that keeps keys in the order they were inserted and numbers exactly as
// formatted, for files people read and golden tests compare: QJsonDocument sorts keys and
// prints doubles with as many digits as it likes. Reading goes through QJsonDocument.

#include <QByteArray>
#include <QString>

#include <utility>
#include <vector>

namespace rollscope::timeline {

class JsonText
{
public:
    enum class Type
    {
        Null,
        Bool,
        Number,
        String,
        Array,
        Object
    };

    JsonText() = default;
    static JsonText object() { return JsonText(Type::Object); }
    static JsonText array() { return JsonText(Type::Array); }
    static JsonText string(const QString &text);
    static JsonText boolean(bool value);
    static JsonText integer(qint64 value);
    // `decimals` at most, trailing zeros dropped (1.50 -> 1.5).
    static JsonText decimal(double value, int decimals);
    // Milliseconds written as seconds with millisecond precision.
    static JsonText seconds(qint64 ms);

    Type type() const { return m_type; }
    bool isEmpty() const { return m_members.empty() && m_items.empty(); }

    // Objects: members in insertion order (a repeated key is appended again; don't).
    JsonText &insert(const QString &key, JsonText value);
    JsonText &insert(const QString &key, const QString &text) { return insert(key, string(text)); }
    // Appends the members of another object.
    JsonText &insertAll(const JsonText &other);
    // Arrays.
    JsonText &append(JsonText value);

    // One line, no spaces: a JSON Lines record.
    QByteArray toCompact() const;
    // Indented by two spaces down to `expandDepth` levels (0 = the top object's members); values
    // deeper than that are written on one line, so that one sample or event is one line.
    QByteArray toIndented(int expandDepth) const;

private:
    explicit JsonText(Type type)
        : m_type(type)
    {}
    // `spaced`: ", " and ": " between items of a one-line value, for readers.
    void write(QByteArray &out, int depth, int expandDepth, bool spaced) const;
    static void writeString(QByteArray &out, const QString &text);

    Type m_type = Type::Null;
    QString m_text; // string content, or a number's formatted digits
    bool m_bool = false;
    std::vector<std::pair<QString, JsonText>> m_members;
    std::vector<JsonText> m_items;
};

} // namespace rollscope::timeline
