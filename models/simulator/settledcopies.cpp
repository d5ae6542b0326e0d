// SPDX-License-Identifier: MIT
#include "settledcopies.h"

#include "controllers/deploymentutil.h"
#include "controllers/kubelet.h"
#include "json.h"
#include "registry.h"
#include "resources.h"
#include "store.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QUuid>

#include <algorithm>

namespace rollscope::sim {

namespace {

constexpr char kApiAccessPrefix[] = "kube-api-access-";

bool copyIsWordChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9');
}

QString copyText(const char *text)
{
    return QCoreApplication::translate("SettledCopier", text);
}

Error notSettled(const QString &ns, const QString &name, const QString &why)
{
    return Error::make(
        Error::Kind::Generic,
        copyText(QT_TRANSLATE_NOOP("SettledCopier",
                                   "cannot copy deployment %1/%2, it has not settled: %3"))
            .arg(ns, name, why));
}

} // namespace

SettledCopier::SettledCopier(Registry *registry)
    : m_registry(registry)
    , m_random(registry->random()->generate())
{}

void SettledCopier::addToken(TokenKind kind, const QString &text, int node)
{
    if (m_tokenTexts.contains(text))
        return; // a text is one token, of the kind it was first taken as
    m_tokenTexts.insert(text);
    m_tokens.append(Token{kind, text, node});
}

Result<SettledCopier> SettledCopier::fromPrototype(Registry *registry, const QString &ns,
                                                   const QString &name)
{
    const Store &store = *registry->store();
    const auto deployment = store.get(Resources::deployments(), ns, name);
    if (!deployment)
        return notSettled(ns, name,
                          copyText(QT_TRANSLATE_NOOP("SettledCopier", "it does not exist")));
    const QString deploymentUid = json::uid(*deployment);
    QList<QJsonObject> replicaSets;
    store.forEach(Resources::replicaSets(), ns, [&](const QJsonObject &rs) {
        for (const QJsonValue &owner : json::array(rs, {u"metadata", u"ownerReferences"})) {
            if (owner.toObject().value(u"uid").toString() == deploymentUid)
                replicaSets << rs;
        }
        return true;
    });
    if (replicaSets.size() != 1)
        return notSettled(
            ns, name,
            copyText(QT_TRANSLATE_NOOP("SettledCopier", "it has %1 replica sets, not one"))
                .arg(replicaSets.size()));
    const QJsonObject &replicaSet = replicaSets.first();
    const QString replicaSetUid = json::uid(replicaSet);
    const QString hash = json::string(replicaSet, {u"metadata", u"labels", u"pod-template-hash"});
    const QString replicaSetName = json::name(replicaSet);
    if (hash.isEmpty() || replicaSetName != name + u'-' + hash)
        return notSettled(
            ns, name,
            copyText(QT_TRANSLATE_NOOP("SettledCopier", "replica set %1 has no pod-template-hash"))
                .arg(replicaSetName));

    QList<QJsonObject> pods;
    QString problem;
    store.forEach(Resources::pods(), ns, [&](const QJsonObject &pod) {
        const QJsonArray owners = json::array(pod, {u"metadata", u"ownerReferences"});
        if (owners.isEmpty() || owners.first().toObject().value(u"uid").toString() != replicaSetUid)
            return true;
        const QJsonObject status = pod.value(u"status").toObject();
        const QJsonArray statuses = status.value(u"containerStatuses").toArray();
        const bool ready = status.value(u"phase").toString() == u"Running" && !statuses.isEmpty() &&
                           std::all_of(statuses.begin(), statuses.end(), [](const QJsonValue &s) {
                               return s.toObject().value(u"ready").toBool();
                           });
        if (!ready || pod.value(u"metadata").toObject().contains(u"deletionTimestamp")) {
            problem =
                copyText(QT_TRANSLATE_NOOP("SettledCopier", "pod %1 is not running and ready"))
                    .arg(json::name(pod));
            return false;
        }
        pods << pod;
        return true;
    });
    if (!problem.isEmpty())
        return notSettled(ns, name, problem);
    const int replicas = int(json::get(*deployment, {u"spec", u"replicas"}).toInteger(1));
    if (pods.size() != replicas)
        return notSettled(
            ns, name,
            copyText(QT_TRANSLATE_NOOP("SettledCopier", "%1 of its %2 pods are running"))
                .arg(pods.size())
                .arg(replicas));

    SettledCopier copier(registry);
    // The longest tokens first where several start at one place (a pod name starts with its
    // ReplicaSet's, which starts with the Deployment's).
    copier.addToken(TokenKind::Namespace, ns);
    copier.addToken(TokenKind::Name, name);
    copier.addToken(TokenKind::ReplicaSetName, replicaSetName);
    copier.addToken(TokenKind::Hash, hash);
    QSet<QString> uids{deploymentUid, replicaSetUid};
    copier.addToken(TokenKind::Uid, deploymentUid);
    copier.addToken(TokenKind::Uid, replicaSetUid);
    for (const QJsonObject &pod : std::as_const(pods)) {
        uids.insert(json::uid(pod));
        copier.addToken(TokenKind::Uid, json::uid(pod));
        copier.addToken(TokenKind::PodName, json::name(pod));
        const QString address = json::string(pod, {u"status", u"podIP"});
        const QStringList octets = address.split(u'.');
        if (Kubelet::podAddressSlot(address) < 0 || octets.size() != 4)
            return notSettled(
                ns, name,
                copyText(QT_TRANSLATE_NOOP("SettledCopier",
                                           "pod address \"%1\" is not one the kubelet hands out"))
                    .arg(address));
        copier.addToken(TokenKind::PodAddress, address, octets.at(2).toInt());
        // The service account admission's projected token volume: a random name per pod.
        for (const QJsonValue &v : json::array(pod, {u"spec", u"volumes"})) {
            const QString volume = v.toObject().value(u"name").toString();
            if (volume.startsWith(QLatin1StringView(kApiAccessPrefix)))
                copier.addToken(TokenKind::ApiAccessVolume, volume);
        }
        for (const QJsonValue &s : json::array(pod, {u"status", u"containerStatuses"})) {
            const QString id = s.toObject().value(u"containerID").toString();
            if (id.isEmpty())
                return notSettled(
                    ns, name,
                    copyText(QT_TRANSLATE_NOOP("SettledCopier", "a container of pod %1 has no ID"))
                        .arg(json::name(pod)));
            copier.addToken(TokenKind::ContainerId, id);
        }
    }

    // The prototype's events: the ones about its objects.
    QList<QJsonObject> events;
    store.forEach(Resources::events(), ns, [&](const QJsonObject &event) {
        if (uids.contains(json::string(event, {u"involvedObject", u"uid"}))) {
            copier.addToken(TokenKind::Uid, json::uid(event));
            events << event;
        }
        return true;
    });

    copier.sortTokens();
    copier.m_deployment = copier.cutObject(*deployment);
    copier.m_replicaSet = copier.cutObject(replicaSet);
    for (const QJsonObject &pod : std::as_const(pods))
        copier.m_pods.append(copier.cutObject(pod));
    for (const QJsonObject &event : std::as_const(events))
        copier.m_events.append(copier.cutObject(event));

    // Copies take the addresses after the highest one in use on each node.
    store.forEach(Resources::pods(), {}, [&](const QJsonObject &pod) {
        const QString address = json::string(pod, {u"status", u"podIP"});
        const int slot = Kubelet::podAddressSlot(address);
        if (slot >= 0) {
            const int node = address.section(u'.', 2, 2).toInt();
            copier.m_nextSlot[node] = std::max(copier.m_nextSlot.value(node), slot + 1);
        }
        return true;
    });
    return copier;
}

void SettledCopier::sortTokens()
{
    // Longest first, so that the cut takes the longest token starting at a place.
    std::stable_sort(m_tokens.begin(), m_tokens.end(),
                     [](const Token &a, const Token &b) { return a.text.size() > b.text.size(); });
}

SettledCopier::Text SettledCopier::cutText(const QString &text) const
{
    Text pieces;
    qsizetype literalFrom = 0;
    const qsizetype size = text.size();
    for (qsizetype i = 0; i < size;) {
        // A token is a whole word: not inside a longer name, number or address.
        if (i > 0 && copyIsWordChar(text.at(i - 1))) {
            ++i;
            continue;
        }
        int found = -1;
        for (int k = 0; k < m_tokens.size(); ++k) {
            const Token &token = m_tokens.at(k);
            const qsizetype end = i + token.text.size();
            if (end > size || text.at(i) != token.text.at(0) ||
                QStringView(text).sliced(i, token.text.size()) != token.text)
                continue;
            if (end < size && (copyIsWordChar(text.at(end)) ||
                               (token.kind == TokenKind::PodAddress && text.at(end) == u'.')))
                continue;
            found = k;
            break;
        }
        if (found < 0) {
            ++i;
            continue;
        }
        pieces.append(Piece{text.mid(literalFrom, i - literalFrom), found});
        i += m_tokens.at(found).text.size();
        literalFrom = i;
    }
    if (pieces.isEmpty())
        return {};
    pieces.append(Piece{text.mid(literalFrom), -1});
    return pieces;
}

int SettledCopier::cut(const QJsonValue &value)
{
    if (!value.isString() && !value.isObject() && !value.isArray())
        return -1;
    const QByteArray key = value.isObject() ? json::compact(value.toObject())
                           : value.isArray()
                               ? QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact)
                               : '"' + value.toString().toUtf8();
    if (const auto known = m_nodeIds.constFind(key); known != m_nodeIds.cend())
        return *known;
    Node node;
    node.base = value;
    if (value.isString()) {
        node.text = cutText(value.toString());
    } else if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const Node::Member member{it.key(), cutText(it.key()), cut(it.value())};
            if (member.node >= 0 || !member.newKey.isEmpty())
                node.members.append(member);
        }
    } else {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (const int item = cut(array.at(i)); item >= 0)
                node.items.append({i, item});
        }
    }
    const bool tokens = !node.text.isEmpty() || !node.members.isEmpty() || !node.items.isEmpty();
    const int id = tokens ? int(m_nodes.size()) : -1;
    if (tokens)
        m_nodes.push_back(std::move(node));
    m_nodeIds.insert(key, id);
    return id;
}

int SettledCopier::cutObject(const QJsonObject &object)
{
    if (const int id = cut(object); id >= 0)
        return id;
    m_nodes.push_back(Node{object, {}, {}, {}});
    return int(m_nodes.size() - 1);
}

QString SettledCopier::fillText(const Text &text, const QList<QString> &values)
{
    qsizetype size = 0;
    for (const Piece &p : text)
        size += p.literal.size() + (p.token >= 0 ? values.at(p.token).size() : 0);
    QString out;
    out.reserve(size);
    for (const Piece &p : text) {
        out += p.literal;
        if (p.token >= 0)
            out += values.at(p.token);
    }
    return out;
}

QJsonValue SettledCopier::fill(int id, const QList<QString> &values,
                               std::vector<std::optional<QJsonValue>> &made) const
{
    std::optional<QJsonValue> &result = made[std::size_t(id)];
    if (result)
        return *result;
    const Node &node = m_nodes[std::size_t(id)];
    if (!node.text.isEmpty()) {
        result = fillText(node.text, values);
    } else if (!node.members.isEmpty()) {
        // The prototype's object, shared, with the members that differ made again.
        QJsonObject object = node.base.toObject();
        for (const Node::Member &m : node.members) {
            if (!m.newKey.isEmpty())
                object.remove(m.key);
        }
        for (const Node::Member &m : node.members) {
            const QJsonValue value =
                m.node >= 0 ? fill(m.node, values, made) : node.base.toObject().value(m.key);
            object.insert(m.newKey.isEmpty() ? m.key : fillText(m.newKey, values), value);
        }
        result = object;
    } else if (!node.items.isEmpty()) {
        QJsonArray array = node.base.toArray();
        for (const auto &[index, item] : node.items)
            array.replace(index, fill(item, values, made));
        result = array;
    } else {
        result = node.base;
    }
    return *result;
}

SettledCopier::Objects SettledCopier::make(const QString &ns, const QString &name)
{
    QList<QString> values(m_tokens.size());
    QList<int> hashDependent;
    for (int k = 0; k < m_tokens.size(); ++k) {
        const Token &token = m_tokens.at(k);
        switch (token.kind) {
        case TokenKind::Namespace:
            values[k] = ns;
            break;
        case TokenKind::Name:
            values[k] = name;
            break;
        case TokenKind::Uid:
            values[k] = QUuid::createUuid().toString(QUuid::WithoutBraces);
            break;
        case TokenKind::ContainerId: {
            QString id = QStringLiteral("containerd://");
            for (int i = 0; i < 4; ++i)
                id += QString::number(m_random.generate64(), 16).rightJustified(16, u'0');
            values[k] = id;
            break;
        }
        case TokenKind::PodAddress: {
            int &slot = m_nextSlot[token.node];
            values[k] = Kubelet::podAddress(token.node, slot++);
            break;
        }
        case TokenKind::ApiAccessVolume:
            values[k] = QLatin1StringView(kApiAccessPrefix) + Registry::randomString(m_random, 5);
            break;
        case TokenKind::ReplicaSetName:
        case TokenKind::Hash:
        case TokenKind::PodName:
            hashDependent << k;
            break;
        }
    }
    // The copy's template gives its hash (the template has no hash in it; the rest of the
    // Deployment names its ReplicaSet, and is filled again once that name is known).
    std::vector<std::optional<QJsonValue>> made(m_nodes.size());
    const QJsonObject unhashed = fill(m_deployment, values, made).toObject();
    const QJsonValue collisions = json::get(unhashed, {u"status", u"collisionCount"});
    const QString hash = deployutil::computeHash(
        json::object(unhashed, {u"spec", u"template"}),
        collisions.isDouble() ? std::optional<qint64>(collisions.toInteger()) : std::nullopt);
    const QString replicaSetName = name + u'-' + hash;
    QSet<QString> podNames;
    for (const int k : std::as_const(hashDependent)) {
        switch (m_tokens.at(k).kind) {
        case TokenKind::ReplicaSetName:
            values[k] = replicaSetName;
            break;
        case TokenKind::Hash:
            values[k] = hash;
            break;
        default: {
            QString podName;
            do {
                podName = replicaSetName + u'-' + Registry::randomString(m_random, 5);
            } while (podNames.contains(podName));
            podNames.insert(podName);
            values[k] = podName;
            break;
        }
        }
    }
    Objects objects;
    objects.reserve(2 + m_pods.size() + m_events.size());
    // Made again now that every value is known.
    made.assign(m_nodes.size(), std::nullopt);
    objects.append({&Resources::deployments(), fill(m_deployment, values, made).toObject()});
    objects.append({&Resources::replicaSets(), fill(m_replicaSet, values, made).toObject()});
    for (const int pod : std::as_const(m_pods))
        objects.append({&Resources::pods(), fill(pod, values, made).toObject()});
    for (const int event : std::as_const(m_events))
        objects.append({&Resources::events(), fill(event, values, made).toObject()});
    return objects;
}

VoidResult SettledCopier::checkFree(const QString &ns, const QString &name) const
{
    if (m_registry->store()->get(Resources::deployments(), ns, name))
        return Error::make(
            Error::Kind::Generic,
            QCoreApplication::translate("SettledCopier", "deployment %1/%2 exists already")
                .arg(ns, name));
    return Done{};
}

void SettledCopier::write(const Objects &objects)
{
    Store *store = m_registry->store();
    for (const auto &[type, object] : objects)
        store->put(*type, object);
}

VoidResult SettledCopier::copyTo(const QString &ns, const QString &name)
{
    if (auto free = checkFree(ns, name); !free)
        return free;
    write(make(ns, name));
    return Done{};
}

VoidResult SettledCopier::copyAll(const QList<std::pair<QString, QString>> &targets)
{
    for (const auto &[ns, name] : targets) {
        if (auto free = checkFree(ns, name); !free)
            return free;
    }
    for (const auto &[ns, name] : targets)
        write(make(ns, name));
    return Done{};
}

} // namespace rollscope::sim
