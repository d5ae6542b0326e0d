// SPDX-License-Identifier: MIT
#include "apimachinery/yamljson.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <optional>
#include <yaml-cpp/yaml.h>

namespace rollscope::apimachinery {

namespace {

// A plain (unquoted, untagged or non-string-tagged) scalar resolved as go-yaml resolves it.
QJsonValue resolvedScalar(const QString &text)
{
    if (text.isEmpty() || text == u"~" || text == u"null" || text == u"Null" || text == u"NULL")
        return QJsonValue(QJsonValue::Null);
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    static const QRegularExpression integer(QStringLiteral("\\A[-+]?[0-9]+\\z"));
    // go-yaml's yamlStyleFloat: "1.5", ".5", "1.", "1e3", "-2.5E-3".
    static const QRegularExpression real(
        QStringLiteral("\\A[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?\\z"));
    if (integer.match(text).hasMatch()) {
        bool ok = false;
        const qlonglong value = text.toLongLong(&ok);
        if (ok)
            return QJsonValue(value);
        // Too large for an int64: go-yaml falls back to a float.
    }
    if (real.match(text).hasMatch())
        return QJsonValue(text.toDouble());
    return text;
}

class Converter
{
public:
    explicit Converter(int maxDepth)
        : m_maxDepth(maxDepth)
    {}

    // The first problem met, if any; the value is then incomplete.
    const std::optional<Error> &error() const { return m_error; }

    QJsonValue convert(const YAML::Node &node, int depth)
    {
        if (m_error)
            return {};
        if (depth > m_maxDepth) {
            Error e =
                Error::make(Error::Kind::Usage,
                            QStringLiteral("nested more than %1 levels deep").arg(m_maxDepth));
            e.reason = kYamlNestedTooDeep;
            m_error = e;
            return {};
        }
        switch (node.Type()) {
        case YAML::NodeType::Undefined:
        case YAML::NodeType::Null:
            return QJsonValue(QJsonValue::Null);
        case YAML::NodeType::Scalar: {
            const QString text = QString::fromStdString(node.Scalar());
            // yaml-cpp tags quoted scalars "!", plain ones "?".
            if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str")
                return text;
            return resolvedScalar(text);
        }
        case YAML::NodeType::Sequence: {
            QJsonArray array;
            for (const auto &item : node)
                array.append(convert(item, depth + 1));
            return array;
        }
        case YAML::NodeType::Map: {
            // QJsonObject::insert replaces: a repeated key keeps its last value, as in kubectl
            // (yaml-cpp's own lookup would return the first).
            QJsonObject object;
            for (const auto &entry : node) {
                if (!entry.first.IsScalar()) {
                    m_error = Error::make(Error::Kind::Usage,
                                          QStringLiteral("yaml: line %1: unsupported map key")
                                              .arg(entry.first.Mark().line + 1));
                    return {};
                }
                object.insert(QString::fromStdString(entry.first.Scalar()),
                              convert(entry.second, depth + 1));
            }
            return object;
        }
        }
        return QJsonValue(QJsonValue::Null);
    }

private:
    int m_maxDepth;
    std::optional<Error> m_error;
};

Error conversionError(const QString &detail)
{
    return Error::make(Error::Kind::Usage,
                       QStringLiteral("error converting YAML to JSON: ") + detail);
}

Error yamlError(const YAML::Exception &e)
{
    return conversionError(QStringLiteral("yaml: line %1: %2")
                               .arg(e.mark.line + 1)
                               .arg(QString::fromStdString(e.msg)));
}

} // namespace

Result<QJsonValue> yamlNodeToJson(const YAML::Node &node, int maxDepth)
{
    Converter converter(maxDepth);
    QJsonValue value = converter.convert(node, 0);
    if (converter.error())
        return *converter.error();
    return value;
}

Result<QJsonObject> yamlToJsonObject(const QByteArray &yaml)
{
    try {
        const Result<QJsonValue> value = yamlNodeToJson(YAML::Load(yaml.toStdString()));
        if (!value)
            return conversionError(value.error().message);
        if (!value->isObject())
            return Error::make(Error::Kind::Usage,
                               QStringLiteral("expected a YAML mapping at the top level"));
        return value->toObject();
    } catch (const YAML::Exception &e) {
        return yamlError(e);
    }
}

Result<QList<QJsonObject>> yamlToJsonObjects(const QByteArray &yaml)
{
    try {
        QList<QJsonObject> objects;
        for (const YAML::Node &doc : YAML::LoadAll(yaml.toStdString())) {
            const Result<QJsonValue> value = yamlNodeToJson(doc);
            if (!value)
                return conversionError(value.error().message);
            if (value->isObject() && !value->toObject().isEmpty())
                objects << value->toObject();
        }
        return objects;
    } catch (const YAML::Exception &e) {
        return yamlError(e);
    }
}

} // namespace rollscope::apimachinery
