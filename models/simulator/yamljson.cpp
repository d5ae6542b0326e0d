// SPDX-License-Identifier: MIT
#include "yamljson.h"

#include <QJsonArray>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace rollscope::sim {

namespace {

QJsonValue scalarToJson(const YAML::Node &node)
{
    const QString text = QString::fromStdString(node.Scalar());
    if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str")
        return text; // quoted in the source
    static const QRegularExpression integer(QStringLiteral("^[-+]?[0-9]+$"));
    static const QRegularExpression real(
        QStringLiteral("^[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$"));
    if (integer.match(text).hasMatch())
        return QJsonValue(text.toLongLong());
    if (real.match(text).hasMatch())
        return QJsonValue(text.toDouble());
    if (text == u"true" || text == u"True" || text == u"TRUE")
        return true;
    if (text == u"false" || text == u"False" || text == u"FALSE")
        return false;
    if (text == u"null" || text == u"~" || text == u"Null" || text == u"NULL" || text.isEmpty())
        return QJsonValue(QJsonValue::Null);
    return text;
}

QJsonValue toJson(const YAML::Node &node)
{
    switch (node.Type()) {
    case YAML::NodeType::Map: {
        QJsonObject o;
        for (const auto &item : node)
            o.insert(QString::fromStdString(item.first.as<std::string>()), toJson(item.second));
        return o;
    }
    case YAML::NodeType::Sequence: {
        QJsonArray a;
        for (const auto &item : node)
            a.append(toJson(item));
        return a;
    }
    case YAML::NodeType::Scalar:
        return scalarToJson(node);
    default:
        return QJsonValue(QJsonValue::Null);
    }
}

Error yamlError(const YAML::Exception &e)
{
    return Error::make(Error::Kind::Usage,
                       QStringLiteral("error converting YAML to JSON: yaml: line %1: %2")
                           .arg(e.mark.line + 1)
                           .arg(QString::fromStdString(e.msg)));
}

} // namespace

Result<QJsonObject> yamlToJsonObject(const QByteArray &yaml)
{
    try {
        const YAML::Node node = YAML::Load(yaml.toStdString());
        const QJsonValue value = toJson(node);
        if (!value.isObject())
            return Error::make(Error::Kind::Usage,
                               QStringLiteral("expected a YAML mapping at the top level"));
        return value.toObject();
    } catch (const YAML::Exception &e) {
        return yamlError(e);
    }
}

Result<QList<QJsonObject>> yamlToJsonObjects(const QByteArray &yaml)
{
    try {
        QList<QJsonObject> objects;
        const std::vector<YAML::Node> docs = YAML::LoadAll(yaml.toStdString());
        for (const YAML::Node &doc : docs) {
            const QJsonValue value = toJson(doc);
            if (value.isObject() && !value.toObject().isEmpty())
                objects << value.toObject();
        }
        return objects;
    } catch (const YAML::Exception &e) {
        return yamlError(e);
    }
}

} // namespace rollscope::sim
