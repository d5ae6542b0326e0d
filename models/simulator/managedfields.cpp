// SPDX-License-Identifier: MIT
#include "managedfields.h"

#include "apimachinery/httpstatus.h"
#include "json.h"

#include <QHash>
#include <QJsonDocument>
#include <QSet>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace rollscope::sim::managedfields {

namespace {

const QString kDot = QStringLiteral(".");

// How a list field merges and is tracked (the listType/listMapKey tags of k8s.io/api).
struct MfListKind
{
    enum Type
    {
        Atomic,
        Map,
        Set
    } type = Atomic;
    QStringList keys;
};

bool mfInContainer(const QStringList &names)
{
    return names.contains(QStringLiteral("containers")) ||
           names.contains(QStringLiteral("initContainers")) ||
           names.contains(QStringLiteral("ephemeralContainers"));
}

MfListKind mfListKind(const QStringList &names, const QString &kind)
{
    // Made once: this is asked for every list of every write.
    auto map = [](std::initializer_list<const char *> keys) {
        MfListKind k{MfListKind::Map, {}};
        for (const char *key : keys)
            k.keys << QLatin1StringView(key);
        return k;
    };
    static const MfListKind byName = map({"name"});
    static const MfListKind byMountPath = map({"mountPath"});
    static const MfListKind byDevicePath = map({"devicePath"});
    static const MfListKind byIp = map({"ip"});
    static const MfListKind byTopology = map({"topologyKey", "whenUnsatisfiable"});
    static const MfListKind byType = map({"type"});
    static const MfListKind byUid = map({"uid"});
    static const MfListKind byContainerPort = map({"containerPort", "protocol"});
    static const MfListKind byPort = map({"port", "protocol"});
    static const MfListKind set{MfListKind::Set, {}};
    static const MfListKind atomic;
    static const QHash<QString, const MfListKind *> byField{
        {QStringLiteral("containers"), &byName},
        {QStringLiteral("initContainers"), &byName},
        {QStringLiteral("ephemeralContainers"), &byName},
        {QStringLiteral("env"), &byName},
        {QStringLiteral("volumes"), &byName},
        {QStringLiteral("imagePullSecrets"), &byName},
        {QStringLiteral("resourceClaims"), &byName},
        {QStringLiteral("schedulingGates"), &byName},
        {QStringLiteral("claims"), &byName},
        {QStringLiteral("volumeMounts"), &byMountPath},
        {QStringLiteral("volumeDevices"), &byDevicePath},
        {QStringLiteral("hostAliases"), &byIp},
        {QStringLiteral("podIPs"), &byIp},
        {QStringLiteral("hostIPs"), &byIp},
        {QStringLiteral("topologySpreadConstraints"), &byTopology},
        {QStringLiteral("conditions"), &byType},
        {QStringLiteral("ownerReferences"), &byUid},
        {QStringLiteral("finalizers"), &set}};
    const QString field = names.isEmpty() ? QString() : names.last();
    if (const auto it = byField.constFind(field); it != byField.cend())
        return **it;
    if (field == u"ports") {
        if (mfInContainer(names))
            return byContainerPort;
        if (kind == u"Service" && names.size() == 2 && names.first() == u"spec")
            return byPort;
    }
    return atomic;
}

// Structs and maps tracked as one leaf (+structType=atomic / +mapType=atomic).
bool mfAtomicObject(const QString &field)
{
    return field == u"selector" || field == u"labelSelector" || field == u"namespaceSelector";
}

// Fields whose Go type is a map or a pointer: an Update that makes them appear owns the field
// itself (`.`) too. Non-pointer structs always exist in the typed object, so they do not.
bool mfOwnsItself(const QString &field)
{
    static const QSet<QString> fields{QStringLiteral("labels"),
                                      QStringLiteral("annotations"),
                                      QStringLiteral("nodeSelector"),
                                      QStringLiteral("limits"),
                                      QStringLiteral("requests"),
                                      QStringLiteral("data"),
                                      QStringLiteral("binaryData"),
                                      QStringLiteral("stringData"),
                                      QStringLiteral("rollingUpdate"),
                                      QStringLiteral("securityContext"),
                                      QStringLiteral("emptyDir"),
                                      QStringLiteral("configMap"),
                                      QStringLiteral("secret"),
                                      QStringLiteral("hostPath"),
                                      QStringLiteral("projected"),
                                      QStringLiteral("downwardAPI"),
                                      QStringLiteral("livenessProbe"),
                                      QStringLiteral("readinessProbe"),
                                      QStringLiteral("startupProbe"),
                                      QStringLiteral("httpGet"),
                                      QStringLiteral("tcpSocket"),
                                      QStringLiteral("exec"),
                                      QStringLiteral("grpc"),
                                      QStringLiteral("valueFrom"),
                                      QStringLiteral("fieldRef"),
                                      QStringLiteral("configMapKeyRef"),
                                      QStringLiteral("secretKeyRef"),
                                      QStringLiteral("resourceFieldRef"),
                                      QStringLiteral("affinity"),
                                      QStringLiteral("nodeAffinity"),
                                      QStringLiteral("podAffinity"),
                                      QStringLiteral("podAntiAffinity"),
                                      QStringLiteral("lifecycle"),
                                      QStringLiteral("capacity"),
                                      QStringLiteral("allocatable"),
                                      QStringLiteral("persistentVolumeClaim"),
                                      QStringLiteral("sessionAffinityConfig")};
    return fields.contains(field);
}

QString mfCompactValue(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    const QByteArray wrapped =
        QJsonDocument(QJsonArray{value.isArray() ? QJsonValue(value.toArray()) : value})
            .toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

// Whether a key value is written as is in a `k:` element (no escape, nothing Go's encoder
// writes as \u003c and the like).
bool mfPlainKeyText(QStringView v)
{
    return std::all_of(v.begin(), v.end(), [](QChar c) {
        return c.unicode() >= 0x20 && c.unicode() < 0x7f && c != u'"' && c != u'\\' && c != u'<' &&
               c != u'>' && c != u'&';
    });
}

// The `k:` element of an associative list item, or nullopt when a key field is missing.
std::optional<QString> mfItemKey(const QJsonValue &item, const MfListKind &list)
{
    if (!item.isObject())
        return std::nullopt;
    const QJsonObject o = item.toObject();
    // One plain string key (conditions by type, containers by name...) needs no key object.
    if (list.keys.size() == 1) {
        const QString &k = list.keys.first();
        const QJsonValue v = o.value(k);
        if (v.isString()) {
            const QString text = v.toString();
            if (mfPlainKeyText(text))
                return QStringLiteral("k:{\"") + k + QStringLiteral("\":\"") + text +
                       QStringLiteral("\"}");
        }
    }
    QJsonObject key;
    for (const QString &k : list.keys) {
        QJsonValue v = o.value(k);
        if (v.isUndefined() || v.isNull()) {
            if (k == u"protocol")
                v = QStringLiteral("TCP"); // the schema default, as structured-merge-diff uses
            else if (k == u"whenUnsatisfiable")
                continue;
            else
                return std::nullopt;
        }
        if (v.isObject() || v.isArray())
            return std::nullopt;
        key.insert(k, v);
    }
    // One plain string key (conditions by type, containers by name...) needs no JSON writer.
    if (key.size() == 1 && key.begin().value().isString()) {
        const QString k = key.begin().key();
        const QString v = key.begin().value().toString();
        if (mfPlainKeyText(v))
            return QStringLiteral("k:{\"") + k + QStringLiteral("\":\"") + v +
                   QStringLiteral("\"}");
    }
    return QStringLiteral("k:") + mfCompactValue(key);
}

// Items of an associative list by their `k:` element; nullopt when a key is missing or
// repeated (the list is then tracked as one atomic value).
std::optional<QList<std::pair<QString, QJsonValue>>> mfKeyedItems(const QJsonArray &items,
                                                                  const MfListKind &list)
{
    QList<std::pair<QString, QJsonValue>> out;
    QStringList seen;
    for (const QJsonValue &item : items) {
        const auto key = mfItemKey(item, list);
        if (!key || seen.contains(*key))
            return std::nullopt;
        seen << *key;
        out.append({*key, item});
    }
    return out;
}

// --- sets ------------------------------------------------------------------------------------

bool mfIsMember(const QJsonObject &node)
{
    return node.isEmpty() || node.contains(kDot);
}

// A node from its membership and children (children never hold `.`); undefined when empty.
QJsonValue mfNode(bool member, QJsonObject children)
{
    if (children.isEmpty())
        return member ? QJsonValue(QJsonObject()) : QJsonValue(QJsonValue::Undefined);
    if (member)
        children.insert(kDot, QJsonObject());
    return children;
}

QJsonObject mfChildren(QJsonObject node)
{
    node.remove(kDot);
    return node;
}

QJsonValue mfUnion(const QJsonObject &a, const QJsonObject &b)
{
    QJsonObject children = mfChildren(a);
    const QJsonObject other = mfChildren(b);
    for (auto it = other.begin(); it != other.end(); ++it) {
        const auto existing = children.constFind(it.key());
        if (existing == children.constEnd())
            children.insert(it.key(), it.value());
        else
            children.insert(it.key(), mfUnion(existing.value().toObject(), it.value().toObject()));
    }
    return mfNode(mfIsMember(a) || mfIsMember(b), children);
}

QJsonValue mfDifference(const QJsonObject &a, const QJsonObject &b)
{
    QJsonObject children = mfChildren(a);
    const QJsonObject other = mfChildren(b);
    for (auto it = other.begin(); it != other.end(); ++it) {
        const auto existing = children.constFind(it.key());
        if (existing == children.constEnd())
            continue;
        const QJsonValue rest = mfDifference(existing.value().toObject(), it.value().toObject());
        if (rest.isUndefined())
            children.remove(it.key());
        else
            children.insert(it.key(), rest);
    }
    return mfNode(mfIsMember(a) && !mfIsMember(b), children);
}

QJsonValue mfIntersection(const QJsonObject &a, const QJsonObject &b)
{
    QJsonObject children;
    const QJsonObject mine = mfChildren(a);
    const QJsonObject other = mfChildren(b);
    for (auto it = other.begin(); it != other.end(); ++it) {
        const auto existing = mine.constFind(it.key());
        if (existing == mine.constEnd())
            continue;
        const QJsonValue both = mfIntersection(existing.value().toObject(), it.value().toObject());
        if (!both.isUndefined())
            children.insert(it.key(), both);
    }
    return mfNode(mfIsMember(a) && mfIsMember(b), children);
}

// Removes from `a` the subtrees `removed` marks (a member node of `removed` drops the whole
// subtree at that path, as a removed field takes its children with it).
QJsonValue mfPrune(const QJsonObject &a, const QJsonObject &removed)
{
    if (removed.isEmpty() || mfIsMember(removed))
        return QJsonValue(QJsonValue::Undefined);
    QJsonObject children = mfChildren(a);
    for (auto it = removed.begin(); it != removed.end(); ++it) {
        const auto existing = children.constFind(it.key());
        if (existing == children.constEnd())
            continue;
        const QJsonValue rest = mfPrune(existing.value().toObject(), it.value().toObject());
        if (rest.isUndefined())
            children.remove(it.key());
        else
            children.insert(it.key(), rest);
    }
    return mfNode(mfIsMember(a), children);
}

// A whole field set from a set operation at its root (the root itself is never a member).
QJsonObject mfObject(const QJsonValue &v)
{
    if (v.isUndefined())
        return {};
    QJsonObject o = v.toObject();
    o.remove(kDot);
    return o;
}

void mfMembers(const QJsonObject &node, QStringList &path, QList<QStringList> &out)
{
    if (!path.isEmpty() && mfIsMember(node))
        out << path;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (it.key() == kDot)
            continue;
        path << it.key();
        mfMembers(it.value().toObject(), path, out);
        path.removeLast();
    }
}

// Whether the set holds the node at `path` or anything below it.
bool mfHoldsAtOrBelow(const QJsonObject &set, const QStringList &path)
{
    QJsonObject node = set;
    for (const QString &element : path) {
        const auto it = node.constFind(element);
        if (it == node.constEnd())
            return false;
        node = it.value().toObject();
    }
    return true;
}

// Fields are well-formed FieldsV1: known prefixes, `.` maps to {}, bounded depth.
bool mfValidFields(const QJsonObject &node, int depth)
{
    if (depth > 64)
        return false;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const QString &key = it.key();
        if (!it.value().isObject())
            return false;
        if (key == kDot) {
            if (!it.value().toObject().isEmpty())
                return false;
            continue;
        }
        if (!(key.startsWith(u"f:") || key.startsWith(u"k:") || key.startsWith(u"v:") ||
              key.startsWith(u"i:")))
            return false;
        if (!mfValidFields(it.value().toObject(), depth + 1))
            return false;
    }
    return true;
}

// --- field sets of values ----------------------------------------------------------------------

enum class Dots
{
    Apply,  // ToFieldSet of an applied configuration: leaves and list items
    Update, // fields an update adds: maps, pointers and lists own themselves too
};

// A field set is written as JSON text and parsed once: growing a QJsonObject key by key costs
// several times more, and every controller create builds one.
void mfWriteFields(QByteArray &out, const QJsonValue &value, QStringList &names,
                   const QString &kind, Dots dots, bool ownsItself);

void mfWriteObjectFields(QByteArray &out, const QJsonObject &object, QStringList &names,
                         const QString &kind, Dots dots, bool ownsItself)
{
    out += '{';
    bool any = false;
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (any)
            out += ',';
        any = true;
        const QString key = it.key();
        // `"f:<key>"`: the key written as a string, the prefix put in after its quote.
        const qsizetype at = out.size();
        json::appendString(out, key);
        out.insert(at + 1, "f:", 2);
        out += ':';
        names << key;
        mfWriteFields(out, it.value(), names, kind, dots,
                      dots == Dots::Update && mfOwnsItself(key));
        names.removeLast();
    }
    if (ownsItself && any)
        out += ",\".\":{}";
    out += '}';
}

void mfWriteFields(QByteArray &out, const QJsonValue &value, QStringList &names,
                   const QString &kind, Dots dots, bool ownsItself)
{
    const QString field = names.isEmpty() ? QString() : names.last();
    if (value.isObject() && !mfAtomicObject(field))
        return mfWriteObjectFields(out, value.toObject(), names, kind, dots, ownsItself);
    const MfListKind list = value.isArray() ? mfListKind(names, kind) : MfListKind();
    if (list.type == MfListKind::Atomic) {
        out += "{}";
        return;
    }
    const QJsonArray items = value.toArray();
    bool any = false;
    if (list.type == MfListKind::Set) {
        out += '{';
        for (const QJsonValue &item : items) {
            if (any)
                out += ',';
            any = true;
            json::appendString(out, QStringLiteral("v:") + mfCompactValue(item));
            out += ":{}";
        }
    } else {
        const auto keyed = mfKeyedItems(items, list);
        if (!keyed) {
            out += "{}";
            return;
        }
        out += '{';
        for (const auto &[key, item] : *keyed) {
            if (any)
                out += ',';
            any = true;
            json::appendString(out, key);
            out += ':';
            mfWriteObjectFields(out, item.toObject(), names, kind, dots, true);
        }
    }
    if (dots == Dots::Update && field != u"containers" && any)
        out += ",\".\":{}";
    out += '}';
}

QJsonObject mfFieldsOf(const QJsonValue &value, QStringList &names, const QString &kind, Dots dots,
                       bool ownsItself)
{
    QByteArray out;
    out.reserve(1024);
    mfWriteFields(out, value, names, kind, dots, ownsItself);
    if (out == "{}")
        return {}; // a leaf (most fields a write adds): nothing to parse
    return json::parseObject(out);
}

QJsonObject mfFieldsOfObject(const QJsonObject &object, QStringList &names, const QString &kind,
                             Dots dots, bool ownsItself)
{
    QByteArray out;
    out.reserve(1024);
    mfWriteObjectFields(out, object, names, kind, dots, ownsItself);
    if (out == "{}")
        return {};
    return json::parseObject(out);
}

// --- comparison ------------------------------------------------------------------------------

void mfDiffValues(const QJsonValue &a, const QJsonValue &b, QStringList &names, const QString &kind,
                  QJsonValue *changed, QJsonValue *removed);

void mfDiffObjects(const QJsonObject &a, const QJsonObject &b, QStringList &names,
                   const QString &kind, QJsonObject &changed, QJsonObject &removed)
{
    for (auto it = b.begin(); it != b.end(); ++it) {
        const QString key = it.key();
        const auto old = a.constFind(key);
        if (old != a.constEnd() && old.value() == it.value())
            continue; // most fields of a write: nothing to track
        const QString element = QStringLiteral("f:") + key;
        names << key;
        if (old == a.constEnd()) {
            changed.insert(element,
                           mfFieldsOf(it.value(), names, kind, Dots::Update, mfOwnsItself(key)));
        } else {
            QJsonValue c(QJsonValue::Undefined);
            QJsonValue r(QJsonValue::Undefined);
            mfDiffValues(old.value(), it.value(), names, kind, &c, &r);
            if (!c.isUndefined())
                changed.insert(element, c);
            if (!r.isUndefined())
                removed.insert(element, r);
        }
        names.removeLast();
    }
    for (auto it = a.begin(); it != a.end(); ++it) {
        if (!b.contains(it.key()))
            removed.insert(QStringLiteral("f:") + it.key(), QJsonObject());
    }
}

void mfDiffValues(const QJsonValue &a, const QJsonValue &b, QStringList &names, const QString &kind,
                  QJsonValue *changed, QJsonValue *removed)
{
    const QString field = names.isEmpty() ? QString() : names.last();
    if (a.isObject() && b.isObject() && !mfAtomicObject(field)) {
        QJsonObject c, r;
        mfDiffObjects(a.toObject(), b.toObject(), names, kind, c, r);
        if (!c.isEmpty())
            *changed = c;
        if (!r.isEmpty())
            *removed = r;
        return;
    }
    if (a.isArray() && b.isArray()) {
        const MfListKind list = mfListKind(names, kind);
        if (list.type == MfListKind::Set) {
            QJsonObject c, r;
            const QJsonArray before = a.toArray();
            const QJsonArray after = b.toArray();
            for (const QJsonValue &v : after) {
                if (!before.contains(v))
                    c.insert(QStringLiteral("v:") + mfCompactValue(v), QJsonObject());
            }
            for (const QJsonValue &v : before) {
                if (!after.contains(v))
                    r.insert(QStringLiteral("v:") + mfCompactValue(v), QJsonObject());
            }
            if (!c.isEmpty())
                *changed = c;
            if (!r.isEmpty())
                *removed = r;
            return;
        }
        if (list.type == MfListKind::Map) {
            const auto before = mfKeyedItems(a.toArray(), list);
            const auto after = mfKeyedItems(b.toArray(), list);
            if (before && after) {
                QJsonObject c, r;
                // (Pairs, not structured bindings: clang 14, the fuzz build's compiler, cannot
                // capture a binding in a lambda.)
                for (const auto &entry : *after) {
                    const auto &key = entry.first;
                    const auto &item = entry.second;
                    const auto old = std::find_if(before->begin(), before->end(),
                                                  [&key](const auto &p) { return p.first == key; });
                    if (old == before->end()) {
                        c.insert(key, mfFieldsOfObject(item.toObject(), names, kind, Dots::Update,
                                                       true));
                    } else if (old->second != item) {
                        QJsonObject ic, ir;
                        mfDiffObjects(old->second.toObject(), item.toObject(), names, kind, ic, ir);
                        if (!ic.isEmpty())
                            c.insert(key, ic);
                        if (!ir.isEmpty())
                            r.insert(key, ir);
                    }
                }
                for (const auto &entry : *before) {
                    const auto &key = entry.first;
                    const bool kept = std::any_of(after->begin(), after->end(),
                                                  [&key](const auto &p) { return p.first == key; });
                    if (!kept)
                        r.insert(key, QJsonObject());
                }
                if (!c.isEmpty())
                    *changed = c;
                if (!r.isEmpty())
                    *removed = r;
                return;
            }
        }
    }
    if (a == b)
        return;
    // An atomic value, a scalar, or a change of type: the whole value is the writer's, and
    // whatever was below the old value is gone.
    *changed = QJsonObject();
    // An object or list that became something else takes what was tracked below it along (an
    // atomic value replaced by another has nothing tracked below it).
    if ((a.isObject() && !b.isObject()) || (a.isArray() && !b.isArray()))
        *removed = QJsonObject();
}

// --- entries -----------------------------------------------------------------------------------

struct MfEntry
{
    QString manager;
    QString operation;
    QString apiVersion;
    QString subresource;
    QString time;
    QJsonObject fields;
    QJsonObject encoded; // as stored, while unchanged

    bool sameIdentity(const MfEntry &o) const
    {
        return manager == o.manager && operation == o.operation && subresource == o.subresource &&
               (operation == u"Apply" || apiVersion == o.apiVersion);
    }
};

// The entries of a managedFields list; nullopt when one is invalid. `validate` checks the
// field sets too (client-sent ones; the stored ones were written here).
std::optional<QList<MfEntry>> mfDecode(const QJsonArray &array, bool validate)
{
    QList<MfEntry> entries;
    for (const QJsonValue &v : array) {
        if (!v.isObject())
            return std::nullopt;
        const QJsonObject o = v.toObject();
        MfEntry e;
        e.manager = o.value(u"manager").toString();
        e.operation = o.value(u"operation").toString();
        e.apiVersion = o.value(u"apiVersion").toString();
        e.subresource = o.value(u"subresource").toString();
        e.time = o.value(u"time").toString();
        if (e.operation != u"Apply" && e.operation != u"Update")
            return std::nullopt;
        if (e.apiVersion.isEmpty() || o.value(u"fieldsType").toString() != u"FieldsV1")
            return std::nullopt;
        if (e.manager.size() > kMaxManagerLength || e.apiVersion.size() > 256 ||
            e.subresource.size() > 256 || e.time.size() > 64)
            return std::nullopt;
        const QJsonValue fields = o.value(u"fieldsV1");
        if (!fields.isUndefined() && !fields.isNull()) {
            if (!fields.isObject() || (validate && !mfValidFields(fields.toObject(), 0)))
                return std::nullopt;
            e.fields = fields.toObject();
        }
        if (!validate)
            e.encoded = o;
        auto same = std::find_if(entries.begin(), entries.end(),
                                 [&e](const MfEntry &x) { return x.sameIdentity(e); });
        if (same != entries.end()) {
            same->fields = mfObject(mfUnion(same->fields, e.fields));
            same->encoded = {};
        } else
            entries.append(e);
    }
    return entries;
}

bool mfIsReset(const QJsonArray &array)
{
    if (array.isEmpty())
        return false;
    for (const QJsonValue &v : array) {
        if (!v.isObject() || !v.toObject().isEmpty())
            return false;
    }
    return true;
}

QJsonArray mfEncode(QList<MfEntry> entries)
{
    entries.removeIf([](const MfEntry &e) { return e.fields.isEmpty(); });
    std::stable_sort(entries.begin(), entries.end(), [](const MfEntry &p, const MfEntry &q) {
        if (p.operation != q.operation)
            return p.operation < q.operation;
        // RFC 3339 UTC at second precision orders as text.
        if (p.time != q.time)
            return p.time < q.time;
        if (p.manager != q.manager)
            return p.manager < q.manager;
        if (p.apiVersion != q.apiVersion)
            return p.apiVersion < q.apiVersion;
        return p.subresource < q.subresource;
    });
    QJsonArray out;
    for (const MfEntry &e : entries) {
        if (!e.encoded.isEmpty()) {
            out.append(e.encoded);
            continue;
        }
        QJsonObject o{{QStringLiteral("manager"), e.manager},
                      {QStringLiteral("operation"), e.operation},
                      {QStringLiteral("apiVersion"), e.apiVersion},
                      {QStringLiteral("fieldsType"), QStringLiteral("FieldsV1")},
                      {QStringLiteral("fieldsV1"), e.fields}};
        if (!e.time.isEmpty())
            o.insert(QStringLiteral("time"), e.time);
        if (!e.subresource.isEmpty())
            o.insert(QStringLiteral("subresource"), e.subresource);
        out.append(o);
    }
    return out;
}

void mfStore(QJsonObject &object, const QList<MfEntry> &entries)
{
    QJsonObject metadata = object.value(u"metadata").toObject();
    const QJsonArray encoded = mfEncode(entries);
    if (encoded.isEmpty())
        metadata.remove(QStringLiteral("managedFields"));
    else
        metadata.insert(QStringLiteral("managedFields"), encoded);
    object.insert(QStringLiteral("metadata"), metadata);
}

// The part of an object ownership is tracked on: no type meta, no server-owned metadata, and
// only what the write's scope can change.
QJsonObject mfTracked(const QJsonObject &object, Scope scope)
{
    if (scope == Scope::Status) {
        // A status write changes status (and the controllers' annotations) only: build that
        // much rather than copy and trim the whole object.
        QJsonObject out;
        const auto status = object.constFind(QStringLiteral("status"));
        if (status != object.constEnd())
            out.insert(QStringLiteral("status"), status.value());
        const QJsonObject metadata = object.value(u"metadata").toObject();
        QJsonObject kept;
        for (const char *key : {"annotations", "labels"}) {
            const auto it = metadata.constFind(QLatin1StringView(key));
            if (it != metadata.constEnd())
                kept.insert(QLatin1StringView(key), it.value());
        }
        if (!kept.isEmpty())
            out.insert(QStringLiteral("metadata"), kept);
        return out;
    }
    QJsonObject out = object;
    out.remove(QStringLiteral("apiVersion"));
    out.remove(QStringLiteral("kind"));
    if (scope == Scope::MainResource)
        out.remove(QStringLiteral("status"));
    if (scope == Scope::Status)
        out.remove(QStringLiteral("spec"));
    const auto metaIt = out.constFind(QStringLiteral("metadata"));
    if (metaIt != out.constEnd()) {
        QJsonObject metadata = metaIt.value().toObject();
        for (const char *key :
             {"name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
              "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"})
            metadata.remove(QLatin1StringView(key));
        if (metadata.isEmpty())
            out.remove(QStringLiteral("metadata"));
        else
            out.insert(QStringLiteral("metadata"), metadata);
    }
    return out;
}

// Removes the value at a FieldsV1 path from a JSON value. Key fields of list items stay.
bool mfRemovePath(QJsonValue &value, const QStringList &path, qsizetype depth)
{
    const QString &element = path.at(depth);
    const bool last = depth + 1 == path.size();
    if (element.startsWith(u"f:")) {
        if (!value.isObject())
            return false;
        QJsonObject o = value.toObject();
        const QString key = element.mid(2);
        if (!o.contains(key))
            return false;
        if (last) {
            o.remove(key);
        } else {
            QJsonValue child = o.value(key);
            if (!mfRemovePath(child, path, depth + 1))
                return false;
            // What is left empty of a list or map is omitted, as the typed object serializes.
            const bool emptyMap =
                child.isObject() && child.toObject().isEmpty() &&
                (key == u"labels" || key == u"annotations" || key == u"nodeSelector" ||
                 key == u"data" || key == u"limits" || key == u"requests");
            if ((child.isArray() && child.toArray().isEmpty()) || emptyMap)
                o.remove(key);
            else
                o.insert(key, child);
        }
        value = o;
        return true;
    }
    if (!value.isArray())
        return false;
    QJsonArray items = value.toArray();
    qsizetype index = -1;
    if (element.startsWith(u"k:")) {
        const QJsonObject key = QJsonDocument::fromJson(element.mid(2).toUtf8()).object();
        for (qsizetype i = 0; i < items.size() && index < 0; ++i) {
            const QJsonObject item = items.at(i).toObject();
            bool match = !key.isEmpty();
            for (auto it = key.begin(); it != key.end() && match; ++it) {
                QJsonValue v = item.value(it.key());
                if (v.isUndefined() && it.key() == u"protocol")
                    v = QStringLiteral("TCP");
                match = v == it.value();
            }
            if (match)
                index = i;
        }
    } else if (element.startsWith(u"v:")) {
        const QJsonArray wrapped =
            QJsonDocument::fromJson("[" + element.mid(2).toUtf8() + "]").array();
        for (qsizetype i = 0; wrapped.size() == 1 && i < items.size() && index < 0; ++i) {
            if (items.at(i) == wrapped.first())
                index = i;
        }
    }
    if (index < 0)
        return false;
    if (last) {
        items.removeAt(index);
    } else {
        QJsonValue child = items.at(index);
        if (!mfRemovePath(child, path, depth + 1))
            return false;
        items.replace(index, child);
    }
    value = items;
    return true;
}

bool mfIsItemKeyField(const QStringList &path)
{
    if (path.size() < 2 || !path.last().startsWith(u"f:") ||
        !path.at(path.size() - 2).startsWith(u"k:"))
        return false;
    const QJsonObject key =
        QJsonDocument::fromJson(path.at(path.size() - 2).mid(2).toUtf8()).object();
    return key.contains(path.last().mid(2));
}

QString mfPrintManager(const MfEntry &e)
{
    QString out = u'"' + e.manager + u'"';
    if (!e.subresource.isEmpty())
        out += QStringLiteral(" with subresource \"%1\"").arg(e.subresource);
    if (e.operation == u"Update")
        out += QStringLiteral(" using ") + e.apiVersion;
    return out;
}

// What a write changed or removed leaves every other set.
void mfTakeAway(QList<MfEntry> &entries, const QJsonObject &changed, const QJsonObject &removed)
{
    // Whether a set has a top-level field of `paths`: a set that has none keeps all it has.
    // (A status write's changes never touch the spec and metadata sets of a create, which
    // are the largest: comparing them whole after a no-op prune cost more than the write.)
    auto touches = [](const QJsonObject &set, const QJsonObject &paths) {
        for (auto it = paths.begin(); it != paths.end(); ++it) {
            if (it.key() != kDot && set.contains(it.key()))
                return true;
        }
        return false;
    };
    const bool prunesAll = !removed.isEmpty() && removed.contains(kDot);
    for (MfEntry &e : entries) {
        // (A set with a root `.`, which a client may send, loses it below: not skipped.)
        if (!prunesAll && !e.fields.contains(kDot) && !touches(e.fields, changed) &&
            !touches(e.fields, removed))
            continue;
        QJsonValue rest = removed.isEmpty() ? QJsonValue(e.fields) : mfPrune(e.fields, removed);
        if (!rest.isUndefined() && !changed.isEmpty())
            rest = mfDifference(rest.toObject(), changed);
        const QJsonObject fields = mfObject(rest);
        if (fields != e.fields) {
            e.fields = fields;
            e.encoded = {};
        }
    }
}

// Whether every member of `sub` is a member of `set` (roots are never members).
bool mfCovers(const QJsonObject &set, const QJsonObject &sub, bool root)
{
    if (!root && mfIsMember(sub) && !mfIsMember(set))
        return false;
    for (auto it = sub.begin(); it != sub.end(); ++it) {
        if (it.key() == kDot)
            continue;
        const auto found = set.constFind(it.key());
        if (found == set.constEnd() ||
            !mfCovers(found.value().toObject(), it.value().toObject(), false))
            return false;
    }
    return true;
}

// Whether the sets share a member.
bool mfOverlaps(const QJsonObject &a, const QJsonObject &b, bool root)
{
    if (!root && mfIsMember(a) && mfIsMember(b))
        return true;
    for (auto it = b.begin(); it != b.end(); ++it) {
        if (it.key() == kDot)
            continue;
        const auto found = a.constFind(it.key());
        if (found != a.constEnd() &&
            mfOverlaps(found.value().toObject(), it.value().toObject(), false))
            return true;
    }
    return false;
}

void mfSetManagedFields(QJsonObject &object, const QJsonArray &entries)
{
    QJsonObject metadata = object.value(u"metadata").toObject();
    if (entries.isEmpty())
        metadata.remove(QStringLiteral("managedFields"));
    else
        metadata.insert(QStringLiteral("managedFields"), entries);
    object.insert(QStringLiteral("metadata"), metadata);
}

// The common controller write: what it changed or added nobody else owns, and nothing was
// removed. Then only the writer's own entry changes (its fields grow, its time moves, and it
// goes to the end: entries sort by time); the others stay as stored. False when the general
// path is needed.
bool mfRecordOwnChange(QJsonObject &next, const QJsonArray &live, bool sentIsLive,
                       const QJsonObject &changed, const Writer &writer)
{
    qsizetype mine = -1;
    for (qsizetype i = 0; i < live.size(); ++i) {
        const QJsonObject e = live.at(i).toObject();
        const bool same = e.value(u"manager").toString() == writer.manager &&
                          e.value(u"operation").toString() == u"Update" &&
                          e.value(u"apiVersion").toString() == writer.apiVersion &&
                          e.value(u"subresource").toString() == writer.subresource;
        if (same) {
            if (mine >= 0)
                return false;
            mine = i;
        } else if (mfOverlaps(e.value(u"fieldsV1").toObject(), changed, true)) {
            return false;
        }
    }
    const QString now = writer.time ? writer.time() : QString();
    QJsonObject entry;
    if (mine >= 0) {
        entry = live.at(mine).toObject();
        const QJsonObject fields = entry.value(u"fieldsV1").toObject();
        const bool covered = mfCovers(fields, changed, true);
        if (covered && entry.value(u"time").toString() == now) {
            if (!sentIsLive)
                mfSetManagedFields(next, live);
            return true;
        }
        if (!covered)
            entry.insert(QStringLiteral("fieldsV1"), mfObject(mfUnion(fields, changed)));
        entry.insert(QStringLiteral("time"), now);
    } else {
        entry = QJsonObject{{QStringLiteral("manager"), writer.manager},
                            {QStringLiteral("operation"), QStringLiteral("Update")},
                            {QStringLiteral("apiVersion"), writer.apiVersion},
                            {QStringLiteral("fieldsType"), QStringLiteral("FieldsV1")},
                            {QStringLiteral("fieldsV1"), changed},
                            {QStringLiteral("time"), now}};
        if (!writer.subresource.isEmpty())
            entry.insert(QStringLiteral("subresource"), writer.subresource);
    }
    QJsonArray out = live;
    if (mine >= 0)
        out.removeAt(mine);
    out.append(entry);
    mfSetManagedFields(next, out);
    return true;
}

// The entries a create's text stands for. Creates of one shape by one manager within one second
// write the same text (the events of a pod's start, the pods of a ReplicaSet): each is parsed
// once and the array shared by the objects, which also keeps one copy of it in memory instead
// of one per object.
QJsonArray mfParsedEntries(const QByteArray &text)
{
    thread_local QHash<QByteArray, QJsonArray> parsed;
    const auto it = parsed.constFind(text);
    if (it != parsed.cend())
        return it.value();
    if (parsed.size() >= 1024)
        parsed.clear(); // bounded: the shapes in use come back at once
    const QJsonArray entries = QJsonDocument::fromJson(text).array();
    parsed.insert(text, entries);
    return entries;
}

QJsonArray mfManagedFieldsOf(const QJsonObject &object)
{
    return object.value(u"metadata").toObject().value(u"managedFields").toArray();
}

} // namespace

QString managerFromUserAgent(const QByteArray &userAgent)
{
    const QString prefix = QString::fromUtf8(userAgent.left(4096)).section(u'/', 0, 0);
    QString out;
    qsizetype bytes = 0;
    for (const char32_t c : prefix.toUcs4()) {
        if (!QChar::isPrint(c))
            continue;
        const QString s = QString::fromUcs4(&c, 1);
        const qsizetype n = s.toUtf8().size();
        if (bytes + n > kMaxManagerLength)
            break;
        bytes += n;
        out += s;
    }
    return out;
}

QString pathString(const QStringList &elements)
{
    QString out;
    for (const QString &e : elements) {
        if (e.startsWith(u"f:")) {
            out += u'.' + e.mid(2);
        } else if (e.startsWith(u"k:")) {
            const QJsonObject key = QJsonDocument::fromJson(e.mid(2).toUtf8()).object();
            QStringList parts;
            for (auto it = key.begin(); it != key.end(); ++it)
                parts << it.key() + u'=' + mfCompactValue(it.value());
            out += u'[' + parts.join(u',') + u']';
        } else if (e.startsWith(u"v:")) {
            out += QStringLiteral("[=") + e.mid(2) + u']';
        } else if (e.startsWith(u"i:")) {
            out += u'[' + e.mid(2) + u']';
        }
    }
    return out;
}

QJsonObject fieldSet(const QJsonObject &object, const QString &kind)
{
    QStringList names;
    return mfFieldsOfObject(object, names, kind, Dots::Apply, false);
}

void recordUpdate(QJsonObject &next, const QJsonObject *old, const Writer &writer,
                  const QString &kind)
{
    const QJsonArray live = old ? mfManagedFieldsOf(*old) : QJsonArray();
    const QJsonArray sent = mfManagedFieldsOf(next);
    const bool statusLike = writer.scope == Scope::Status || !writer.subresource.isEmpty();
    QStringList names;

    // A create without managedFields of its own (every controller create): its one entry is
    // written as text and parsed once.
    if (!old && sent.isEmpty()) {
        QByteArray text = "[{";
        json::appendField(text, "apiVersion", writer.apiVersion);
        text += "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":";
        const qsizetype before = text.size();
        mfWriteObjectFields(text, mfTracked(next, writer.scope), names, kind, Dots::Update, false);
        if (text.size() - before <= 2)
            return; // nothing tracked
        text += ',';
        json::appendField(text, "manager", writer.manager);
        json::appendField(text, "operation", u"Update");
        if (!writer.subresource.isEmpty())
            json::appendField(text, "subresource", writer.subresource);
        text += "\"time\":";
        json::appendString(text, writer.time ? writer.time() : QString());
        text += "}]";
        mfSetManagedFields(next, mfParsedEntries(text));
        return;
    }

    // The stored entries are the base: a controller's writes, and clients that do not send
    // managedFields (or send them back unchanged).
    // (A status write copies the stored object: what it carries is the stored list.)
    const bool sentIsLive = statusLike || sent == live;
    const bool usesLive = sentIsLive || sent.isEmpty();
    QJsonObject changed, removed;
    if (old && usesLive) {
        mfDiffObjects(mfTracked(*old, writer.scope), mfTracked(next, writer.scope), names, kind,
                      changed, removed);
        if (changed.isEmpty() && removed.isEmpty()) {
            if (!sentIsLive)
                mfSetManagedFields(next, live);
            return;
        }
        if (removed.isEmpty() && mfRecordOwnChange(next, live, sentIsLive, changed, writer))
            return;
    }

    QList<MfEntry> entries;
    if (writer.scope == Scope::Status || !writer.subresource.isEmpty()) {
        entries = mfDecode(live, false).value_or(QList<MfEntry>());
    } else if (mfIsReset(sent)) {
        // `[{}]` clears them.
    } else if (!sent.isEmpty() && sent != live) {
        auto decoded = mfDecode(sent, true);
        if (!decoded || decoded->isEmpty())
            decoded = mfDecode(live, false);
        entries = decoded.value_or(QList<MfEntry>());
    } else {
        entries = mfDecode(live, false).value_or(QList<MfEntry>());
    }

    if (!old)
        changed = mfFieldsOfObject(mfTracked(next, writer.scope), names, kind, Dots::Update, false);
    else if (!usesLive) // the fast path above compared them already otherwise
        mfDiffObjects(mfTracked(*old, writer.scope), mfTracked(next, writer.scope), names, kind,
                      changed, removed);

    if (changed.isEmpty() && removed.isEmpty() && sent == live)
        return; // nothing changed hands
    if (!changed.isEmpty() || !removed.isEmpty())
        mfTakeAway(entries, changed, removed);
    if (!changed.isEmpty()) {
        MfEntry self{writer.manager,
                     QStringLiteral("Update"),
                     writer.apiVersion,
                     writer.subresource,
                     writer.time ? writer.time() : QString(),
                     changed,
                     {}};
        auto mine = std::find_if(entries.begin(), entries.end(),
                                 [&self](const MfEntry &e) { return e.sameIdentity(self); });
        if (mine != entries.end()) {
            mine->fields = mfObject(mfUnion(mine->fields, changed));
            mine->time = self.time;
            mine->encoded = {};
        } else {
            entries.append(self);
        }
    }
    const QJsonArray encoded = mfEncode(entries);
    if (encoded == sent)
        return;
    QJsonObject metadata = next.value(u"metadata").toObject();
    if (encoded.isEmpty())
        metadata.remove(QStringLiteral("managedFields"));
    else
        metadata.insert(QStringLiteral("managedFields"), encoded);
    next.insert(QStringLiteral("metadata"), metadata);
}

Result<QJsonObject> recordApply(const QJsonObject *live, const QJsonObject &config,
                                QJsonObject merged, const Writer &writer, const QString &kind,
                                bool force)
{
    QList<MfEntry> entries =
        live ? mfDecode(mfManagedFieldsOf(*live), false).value_or(QList<MfEntry>())
             : QList<MfEntry>();
    MfEntry self{writer.manager,
                 QStringLiteral("Apply"),
                 writer.apiVersion,
                 writer.subresource,
                 writer.time ? writer.time() : QString(),
                 fieldSet(mfTracked(config, writer.scope), kind),
                 {}};
    const auto previous = std::find_if(entries.begin(), entries.end(),
                                       [&self](const MfEntry &e) { return e.sameIdentity(self); });
    QJsonObject lastSet;
    if (previous != entries.end()) {
        lastSet = previous->fields;
        entries.erase(previous);
    }

    // Fields applied before and omitted now go, unless someone (this apply included) still
    // owns them or something below them.
    if (!lastSet.isEmpty()) {
        const QJsonObject dropped = mfObject(mfDifference(lastSet, self.fields));
        QList<QStringList> paths;
        QStringList path;
        mfMembers(dropped, path, paths);
        QJsonValue value = merged;
        for (const QStringList &p : paths) {
            if (mfIsItemKeyField(p) || mfHoldsAtOrBelow(self.fields, p))
                continue;
            const bool ownedElsewhere =
                std::any_of(entries.begin(), entries.end(),
                            [&p](const MfEntry &e) { return mfHoldsAtOrBelow(e.fields, p); });
            if (!ownedElsewhere)
                mfRemovePath(value, p, 0);
        }
        merged = value.toObject();
    }

    QJsonObject changed, removed;
    QStringList names;
    mfDiffObjects(live ? mfTracked(*live, writer.scope) : QJsonObject(),
                  mfTracked(merged, writer.scope), names, kind, changed, removed);

    struct Conflict
    {
        QString manager;
        QString path;
    };
    QList<Conflict> conflicts;
    for (MfEntry &e : entries) {
        const QJsonValue overlap = mfIntersection(e.fields, changed);
        if (!overlap.isUndefined()) {
            QList<QStringList> paths;
            QStringList path;
            mfMembers(overlap.toObject(), path, paths);
            for (const QStringList &p : paths)
                conflicts.append({mfPrintManager(e), pathString(p)});
        }
    }
    mfTakeAway(entries, changed, removed);
    if (!conflicts.isEmpty() && !force) {
        std::stable_sort(
            conflicts.begin(), conflicts.end(),
            [](const Conflict &a, const Conflict &b) { return a.manager < b.manager; });
        QString message;
        QList<ErrorCause> causes;
        for (const Conflict &c : conflicts)
            causes << ErrorCause{QStringLiteral("FieldManagerConflict"),
                                 QStringLiteral("conflict with ") + c.manager, c.path};
        if (conflicts.size() == 1) {
            message = QStringLiteral("Apply failed with 1 conflict: conflict with %1: %2")
                          .arg(conflicts.first().manager, conflicts.first().path);
        } else {
            QStringList lines;
            QString current;
            for (const Conflict &c : conflicts) {
                if (c.manager != current) {
                    lines << QStringLiteral("conflicts with %1:").arg(c.manager);
                    current = c.manager;
                }
                lines << QStringLiteral("- ") + c.path;
            }
            message = QStringLiteral("Apply failed with %1 conflicts: %2")
                          .arg(conflicts.size())
                          .arg(lines.join(u'\n'));
        }
        Error e = apimachinery::statusError(409, message);
        e.causes = causes;
        return e;
    }
    entries.append(self);
    mfStore(merged, entries);
    return merged;
}

} // namespace rollscope::sim::managedfields
