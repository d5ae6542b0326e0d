// SPDX-License-Identifier: MIT
#include "patch.h"

#include "apimachinery/httpstatus.h"

#include <QJsonDocument>
#include <QJsonValue>
#include <QStringList>

#include <optional>

namespace rollscope::sim {

std::optional<PatchType> patchTypeFor(const QByteArray &contentType)
{
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    if (type == "application/json-patch+json")
        return PatchType::Json;
    if (type == "application/merge-patch+json")
        return PatchType::Merge;
    if (type == "application/strategic-merge-patch+json")
        return PatchType::StrategicMerge;
    if (type == "application/apply-patch+yaml" || type == "application/apply-patch+json")
        return PatchType::Apply;
    return std::nullopt;
}

// --- JSON merge patch -------------------------------------------------------------------------

QJsonObject applyMergePatch(const QJsonObject &target, const QJsonObject &patch)
{
    QJsonObject result = target;
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        if (it.value().isNull()) {
            result.remove(it.key());
        } else if (it.value().isObject()) {
            result.insert(it.key(), applyMergePatch(result.value(it.key()).toObject(),
                                                    it.value().toObject()));
        } else {
            result.insert(it.key(), it.value());
        }
    }
    return result;
}

// --- JSON patch -------------------------------------------------------------------------------

namespace {

std::optional<QStringList> parsePointer(const QString &pointer)
{
    if (pointer.isEmpty())
        return QStringList{};
    if (!pointer.startsWith(u'/'))
        return std::nullopt;
    QStringList tokens = pointer.mid(1).split(u'/');
    for (QString &t : tokens) {
        t.replace(QStringLiteral("~1"), QStringLiteral("/"));
        t.replace(QStringLiteral("~0"), QStringLiteral("~"));
    }
    return tokens;
}

bool arrayIndex(const QString &token, qsizetype size, bool allowEnd, qsizetype *index)
{
    if (allowEnd && token == u"-") {
        *index = size;
        return true;
    }
    bool ok = false;
    const qsizetype i = token.toLongLong(&ok);
    if (!ok || i < 0 || i > size || (!allowEnd && i == size))
        return false;
    if (token.size() > 1 && token.startsWith(u'0'))
        return false;
    *index = i;
    return true;
}

enum class Op
{
    Get,
    Add,
    Remove,
    Replace
};

// Walks `doc` along tokens and applies `op` at the end. Returns false with a message on failure.
bool walk(QJsonValue &doc, const QStringList &tokens, qsizetype depth, Op op,
          const QJsonValue &value, QJsonValue *out, QString *error)
{
    if (depth == tokens.size()) {
        // Root-level operations.
        switch (op) {
        case Op::Get:
            *out = doc;
            return true;
        case Op::Add:
        case Op::Replace:
            doc = value;
            return true;
        case Op::Remove:
            *error = QStringLiteral("cannot remove the root");
            return false;
        }
    }
    const QString &token = tokens[depth];
    const bool last = depth + 1 == tokens.size();
    if (doc.isObject()) {
        QJsonObject o = doc.toObject();
        if (last) {
            switch (op) {
            case Op::Get:
                if (!o.contains(token)) {
                    *error = QStringLiteral("missing key %1").arg(token);
                    return false;
                }
                *out = o.value(token);
                return true;
            case Op::Add:
                o.insert(token, value);
                break;
            case Op::Replace:
                if (!o.contains(token)) {
                    *error = QStringLiteral("replace operation does not apply: doc is missing "
                                            "key: /%1: missing value")
                                 .arg(tokens.mid(0, depth + 1).join(u'/'));
                    return false;
                }
                o.insert(token, value);
                break;
            case Op::Remove:
                if (!o.contains(token)) {
                    *error = QStringLiteral("remove operation does not apply: doc is missing "
                                            "path: \"/%1\": missing value")
                                 .arg(tokens.mid(0, depth + 1).join(u'/'));
                    return false;
                }
                o.remove(token);
                break;
            }
            doc = o;
            return true;
        }
        if (!o.contains(token)) {
            *error = QStringLiteral("doc is missing path: \"/%1\": missing value")
                         .arg(tokens.join(u'/'));
            return false;
        }
        QJsonValue child = o.value(token);
        if (!walk(child, tokens, depth + 1, op, value, out, error))
            return false;
        if (op != Op::Get) {
            o.insert(token, child);
            doc = o;
        }
        return true;
    }
    if (doc.isArray()) {
        QJsonArray a = doc.toArray();
        qsizetype index = 0;
        if (!arrayIndex(token, a.size(), last && op == Op::Add, &index)) {
            *error = QStringLiteral("unable to access invalid index: %1").arg(token);
            return false;
        }
        if (last) {
            switch (op) {
            case Op::Get:
                *out = a.at(index);
                return true;
            case Op::Add:
                a.insert(index, value);
                break;
            case Op::Replace:
                a.replace(index, value);
                break;
            case Op::Remove:
                a.removeAt(index);
                break;
            }
            doc = a;
            return true;
        }
        QJsonValue child = a.at(index);
        if (!walk(child, tokens, depth + 1, op, value, out, error))
            return false;
        if (op != Op::Get) {
            a.replace(index, child);
            doc = a;
        }
        return true;
    }
    *error = QStringLiteral("doc is missing path: \"/%1\"").arg(tokens.join(u'/'));
    return false;
}

// The bytes a copied value adds, as evanphx/json-patch counts them: its compact JSON length.
qint64 jsonSize(const QJsonValue &value)
{
    if (value.isObject())
        return QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact).size();
    if (value.isArray())
        return QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact).size();
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).size() - 2;
}

} // namespace

Result<QJsonObject> applyJsonPatch(const QJsonObject &target, const QJsonArray &operations)
{
    if (operations.size() > kMaxJsonPatchOperations)
        return apimachinery::statusError(
            413, QStringLiteral("Request entity too large: The allowed maximum "
                                "operations in a JSON patch is %1, got %2")
                     .arg(kMaxJsonPatchOperations)
                     .arg(operations.size()));
    // Every `copy` can double a value: without a bound 25 operations reach gigabytes.
    qint64 copiedBytes = 0;
    QJsonValue doc = target;
    for (const QJsonValue &opValue : operations) {
        const QJsonObject operation = opValue.toObject();
        const QString op = operation.value(u"op").toString();
        const auto path = parsePointer(operation.value(u"path").toString());
        if (!path)
            return apimachinery::statusError(422, QStringLiteral("invalid JSON pointer: %1")
                                                      .arg(operation.value(u"path").toString()));
        QString error;
        QJsonValue got;
        bool ok = true;
        if (op == u"add") {
            ok = walk(doc, *path, 0, Op::Add, operation.value(u"value"), nullptr, &error);
        } else if (op == u"remove") {
            ok = walk(doc, *path, 0, Op::Remove, {}, nullptr, &error);
        } else if (op == u"replace") {
            ok = walk(doc, *path, 0, Op::Replace, operation.value(u"value"), nullptr, &error);
        } else if (op == u"test") {
            ok = walk(doc, *path, 0, Op::Get, {}, &got, &error);
            if (ok && got != operation.value(u"value")) {
                ok = false;
                error = QStringLiteral("testing value %1 failed: test failed")
                            .arg(operation.value(u"path").toString());
            }
        } else if (op == u"move" || op == u"copy") {
            const auto from = parsePointer(operation.value(u"from").toString());
            if (!from)
                return apimachinery::statusError(422,
                                                 QStringLiteral("invalid JSON pointer in from"));
            ok = walk(doc, *from, 0, Op::Get, {}, &got, &error);
            if (ok && op == u"copy") {
                copiedBytes += jsonSize(got);
                if (copiedBytes > kJsonPatchMaxCopyBytes)
                    return apimachinery::statusError(
                        422, QStringLiteral("Unable to complete the copy, the "
                                            "accumulated size increase of copy is %1, "
                                            "exceeding the limit %2")
                                 .arg(copiedBytes)
                                 .arg(kJsonPatchMaxCopyBytes));
            }
            if (ok && op == u"move")
                ok = walk(doc, *from, 0, Op::Remove, {}, nullptr, &error);
            if (ok)
                ok = walk(doc, *path, 0, Op::Add, got, nullptr, &error);
        } else {
            return apimachinery::statusError(422, QStringLiteral("Unexpected kind: %1").arg(op));
        }
        if (!ok)
            return apimachinery::statusError(422, error);
    }
    if (!doc.isObject())
        return apimachinery::statusError(
            422, QStringLiteral("the patch replaced the object with a non-object"));
    return doc.toObject();
}

// --- Strategic merge patch --------------------------------------------------------------------

namespace {

const QString kPatchDirective = QStringLiteral("$patch");
const QString kRetainKeys = QStringLiteral("$retainKeys");
const QString kSetElementOrderPrefix = QStringLiteral("$setElementOrder/");
const QString kDeleteFromPrimitiveListPrefix = QStringLiteral("$deleteFromPrimitiveList/");

// How a list field merges: by a key, as a set of primitives, or replaced whole.
struct ListStrategy
{
    enum Kind
    {
        Replace,
        MergeByKey,
        MergePrimitives
    } kind = Replace;
    QString key;
};

// Merge metadata for the fields of the served types (patchStrategy/patchMergeKey tags in
// k8s.io/api). `path` holds the field names from the object root to the list.
ListStrategy strategyFor(const QStringList &path, const QString &kind)
{
    const QString field = path.isEmpty() ? QString() : path.last();
    auto byKey = [](const char *key) {
        return ListStrategy{ListStrategy::MergeByKey, QLatin1StringView(key)};
    };
    if (field == u"containers" || field == u"initContainers" || field == u"ephemeralContainers" ||
        field == u"env" || field == u"volumes" || field == u"imagePullSecrets" ||
        field == u"resourceClaims" || field == u"schedulingGates")
        return byKey("name");
    if (field == u"volumeMounts")
        return byKey("mountPath");
    if (field == u"volumeDevices")
        return byKey("devicePath");
    if (field == u"hostAliases")
        return byKey("ip");
    if (field == u"topologySpreadConstraints")
        return byKey("topologyKey");
    if (field == u"conditions")
        return byKey("type");
    if (field == u"ownerReferences")
        return byKey("uid");
    if (field == u"finalizers")
        return ListStrategy{ListStrategy::MergePrimitives, {}};
    if (field == u"ports") {
        // Container ports merge by containerPort; Service ports by port.
        const bool inContainer = path.contains(QStringLiteral("containers")) ||
                                 path.contains(QStringLiteral("initContainers")) ||
                                 path.contains(QStringLiteral("ephemeralContainers"));
        if (inContainer)
            return byKey("containerPort");
        if (kind == u"Service")
            return byKey("port");
        return {};
    }
    return {};
}

Result<QJsonObject> mergeObject(const QJsonObject &target, const QJsonObject &patch,
                                QStringList &path, const QString &kind);

Result<QJsonArray> mergeList(const QJsonArray &target, const QJsonArray &patch,
                             const QJsonArray &order, const QJsonArray &deletePrimitives,
                             QStringList &path, const QString &kind)
{
    const ListStrategy strategy = strategyFor(path, kind);
    if (strategy.kind == ListStrategy::Replace) {
        // Elements may carry directives even in replaced lists; strip them.
        return patch;
    }
    if (strategy.kind == ListStrategy::MergePrimitives) {
        QJsonArray result = target;
        for (const QJsonValue &v : patch) {
            if (!result.contains(v))
                result.append(v);
        }
        for (const QJsonValue &v : deletePrimitives) {
            for (qsizetype i = result.size() - 1; i >= 0; --i) {
                if (result.at(i) == v)
                    result.removeAt(i);
            }
        }
        return result;
    }

    // A `{"$patch": "replace"}` element replaces the whole list with the other elements.
    for (const QJsonValue &v : patch) {
        if (v.toObject().value(kPatchDirective).toString() == u"replace") {
            QJsonArray replaced;
            for (const QJsonValue &e : patch) {
                if (!e.toObject().contains(kPatchDirective))
                    replaced.append(e);
            }
            return replaced;
        }
    }

    QJsonArray result = target;
    auto findIndex = [&strategy](const QJsonArray &list, const QJsonValue &keyValue) {
        for (qsizetype i = 0; i < list.size(); ++i) {
            if (list.at(i).toObject().value(strategy.key) == keyValue)
                return i;
        }
        return qsizetype(-1);
    };
    for (const QJsonValue &v : patch) {
        QJsonObject element = v.toObject();
        const QJsonValue keyValue = element.value(strategy.key);
        if (keyValue.isUndefined())
            return apimachinery::statusError(
                400,
                QStringLiteral("map: %1 does not contain declared merge key: %2")
                    .arg(QString::fromUtf8(QJsonDocument(element).toJson(QJsonDocument::Compact)),
                         strategy.key));
        const qsizetype index = findIndex(result, keyValue);
        const QString directive = element.value(kPatchDirective).toString();
        if (directive == u"delete") {
            if (index >= 0)
                result.removeAt(index);
            continue;
        }
        element.remove(kPatchDirective);
        if (index >= 0) {
            path << QStringLiteral("[]");
            auto merged = mergeObject(result.at(index).toObject(), element, path, kind);
            path.removeLast();
            if (!merged)
                return merged.error();
            result.replace(index, merged.value());
        } else {
            // New elements are merged against nothing so nested directives are stripped.
            path << QStringLiteral("[]");
            auto merged = mergeObject(QJsonObject(), element, path, kind);
            path.removeLast();
            if (!merged)
                return merged.error();
            result.append(merged.value());
        }
    }

    if (!order.isEmpty()) {
        // $setElementOrder: elements named in the order come first, in that order; the rest
        // keep their relative order after them.
        QJsonArray ordered;
        QList<bool> used(result.size(), false);
        for (const QJsonValue &o : order) {
            const qsizetype i = findIndex(result, o.toObject().value(strategy.key));
            if (i >= 0 && !used[i]) {
                ordered.append(result.at(i));
                used[i] = true;
            }
        }
        for (qsizetype i = 0; i < result.size(); ++i) {
            if (!used[i])
                ordered.append(result.at(i));
        }
        result = ordered;
    }
    return result;
}

Result<QJsonObject> mergeObject(const QJsonObject &target, const QJsonObject &patch,
                                QStringList &path, const QString &kind)
{
    const QString directive = patch.value(kPatchDirective).toString();
    if (directive == u"replace") {
        QJsonObject replaced = patch;
        replaced.remove(kPatchDirective);
        return replaced;
    }
    if (directive == u"delete")
        return QJsonObject();

    QJsonObject result = target;
    if (patch.contains(kRetainKeys)) {
        const QJsonArray keep = patch.value(kRetainKeys).toArray();
        QStringList keepKeys;
        for (const QJsonValue &k : keep)
            keepKeys << k.toString();
        const QStringList existing = result.keys();
        for (const QString &k : existing) {
            if (!keepKeys.contains(k))
                result.remove(k);
        }
    }
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const QString &key = it.key();
        if (key.startsWith(u'$'))
            continue; // directives handled with their list or above
        const QJsonValue &value = it.value();
        if (value.isNull()) {
            result.remove(key);
            continue;
        }
        path << key;
        if (value.isObject()) {
            auto merged = mergeObject(result.value(key).toObject(), value.toObject(), path, kind);
            if (!merged) {
                path.removeLast();
                return merged.error();
            }
            if (merged->isEmpty() &&
                value.toObject().value(kPatchDirective).toString() == u"delete")
                result.remove(key);
            else
                result.insert(key, merged.value());
        } else if (value.isArray()) {
            auto merged =
                mergeList(result.value(key).toArray(), value.toArray(),
                          patch.value(kSetElementOrderPrefix + key).toArray(),
                          patch.value(kDeleteFromPrimitiveListPrefix + key).toArray(), path, kind);
            if (!merged) {
                path.removeLast();
                return merged.error();
            }
            result.insert(key, merged.value());
        } else {
            result.insert(key, value);
        }
        path.removeLast();
    }
    // Directives for lists the patch does not otherwise touch.
    for (auto it = patch.begin(); it != patch.end(); ++it) {
        const QString &key = it.key();
        QString list;
        if (key.startsWith(kSetElementOrderPrefix))
            list = key.mid(kSetElementOrderPrefix.size());
        else if (key.startsWith(kDeleteFromPrimitiveListPrefix))
            list = key.mid(kDeleteFromPrimitiveListPrefix.size());
        if (list.isEmpty() || patch.contains(list))
            continue;
        path << list;
        auto merged =
            mergeList(result.value(list).toArray(), QJsonArray(),
                      patch.value(kSetElementOrderPrefix + list).toArray(),
                      patch.value(kDeleteFromPrimitiveListPrefix + list).toArray(), path, kind);
        path.removeLast();
        if (!merged)
            return merged.error();
        if (result.contains(list) || !merged->isEmpty())
            result.insert(list, merged.value());
    }
    return result;
}

} // namespace

Result<QJsonObject> applyStrategicMergePatch(const QJsonObject &target, const QJsonObject &patch,
                                             const QString &kind)
{
    QStringList path;
    return mergeObject(target, patch, path, kind);
}

Result<QJsonObject> applyApplyPatch(const QJsonObject &target, const QJsonObject &applied,
                                    const QString &kind)
{
    return applyStrategicMergePatch(target, applied, kind);
}

} // namespace rollscope::sim
