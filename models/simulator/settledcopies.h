// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QHash>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QRandomGenerator>
#include <QSet>
#include <QString>

#include <optional>
#include <vector>

namespace rollscope::sim {

class Registry;
struct ResourceType;

// Copies of a Deployment that has rolled out and settled: how the other Deployments of a large
// scenario look once the controllers are done with them, made from one that the controllers did
// drive (the prototype) instead of driving each of them through the same steps again.
//
// The prototype's Deployment, ReplicaSet, pods and events are the controllers' own output. A
// copy is that output for another Deployment: its own namespace and name, and from them its
// pod-template-hash (computed from its template, as the deployment controller does), ReplicaSet
// and pod names (a fresh random suffix per pod), service account token volume names, uids, pod
// addresses (the next free ones of the
// pod's node, as the kubelet hands them out) and container IDs, everywhere they appear: labels,
// owner references, managedFields keys, event names, involved objects and messages. Times are
// the prototype's: the scenario creates every Deployment at the same instant, so the
// controllers would have gone through the same steps at the same times (the pods of all of them
// start while the nodes pull the image, and report the pull as the prototype's do).
//
// Copies are written straight to the store. The controllers learn of them as of any stored
// object, find them settled and have nothing to write; the kubelet takes the running pods up
// where they are (Kubelet adoption), so they serve traffic and roll out like the prototype's.
class SettledCopier
{
public:
    // Reads the prototype, `ns`/`name`: a Deployment whose one ReplicaSet has all its pods
    // running and ready. An error says what is not settled yet.
    static Result<SettledCopier> fromPrototype(Registry *registry, const QString &ns,
                                               const QString &name);

    // Writes the copy `ns`/`name` (the namespace exists, the name is free).
    VoidResult copyTo(const QString &ns, const QString &name);
    // Writes a copy for each (namespace, name), in order, once it has checked that every name
    // is free.
    VoidResult copyAll(const QList<std::pair<QString, QString>> &targets);

private:
    enum class TokenKind
    {
        Namespace,
        Name,
        ReplicaSetName,
        Hash,
        Uid,
        PodName,
        PodAddress,
        ContainerId,
        ApiAccessVolume, // kube-api-access-<random>, one per pod
    };
    struct Token
    {
        TokenKind kind = TokenKind::Uid;
        QString text;  // in the prototype
        int node = -1; // PodAddress: the node index (the address' third octet)
    };
    // A string of the prototype cut at its tokens: literal, token, literal, ... (token -1 after
    // the last literal).
    struct Piece
    {
        QString literal;
        int token = -1;
    };
    using Text = QList<Piece>;
    // A prototype value with tokens in it, and how a copy differs: the members (keys or values)
    // and items with tokens are made again, everything else is the prototype's own value,
    // shared (a copy costs only what it changes). Equal values are one node, made once per
    // copy and shared by every object of the copy that has it (a pod's involved object in its
    // events, its ReplicaSet's owner reference and labels in every pod).
    struct Node
    {
        QJsonValue base;
        Text text; // a string: its pieces
        struct Member
        {
            QString key;   // in the prototype
            Text newKey;   // empty when the key has no token
            int node = -1; // the value's node; -1 when it has no token
        };
        QList<Member> members;                  // an object
        QList<std::pair<qsizetype, int>> items; // an array: (index, node)
    };
    // One copy's objects, in the order they are written.
    using Objects = QList<std::pair<const ResourceType *, QJsonObject>>;

    explicit SettledCopier(Registry *registry);
    // Makes the copy's objects (reads only the prototype and the copier's own state).
    Objects make(const QString &ns, const QString &name);
    VoidResult checkFree(const QString &ns, const QString &name) const;
    void write(const Objects &objects);
    void addToken(TokenKind kind, const QString &text, int node = -1);
    void sortTokens();
    Text cutText(const QString &text) const;
    // The node of `value`; -1 when it has no token.
    int cut(const QJsonValue &value);
    // The node of an object written whole (a node even without a token).
    int cutObject(const QJsonObject &object);
    static QString fillText(const Text &text, const QList<QString> &values);
    // Node `id` of one copy, whose token values are `values`; `made` holds the nodes made so far.
    QJsonValue fill(int id, const QList<QString> &values,
                    std::vector<std::optional<QJsonValue>> &made) const;

    Registry *m_registry = nullptr;
    // For names, suffixes and container IDs: seeded from the registry's, used by make() alone.
    QRandomGenerator m_random;
    QList<Token> m_tokens;
    QSet<QString> m_tokenTexts; // the texts taken as tokens
    std::vector<Node> m_nodes;
    QHash<QByteArray, int> m_nodeIds; // a value's compact JSON -> its node
    int m_deployment = -1;
    int m_replicaSet = -1;
    QList<int> m_pods;
    QList<int> m_events;
    // Node index -> the next pod address slot the copies hand out there.
    QHash<int, int> m_nextSlot;
};

} // namespace rollscope::sim
