// SPDX-License-Identifier: MIT
#include "versions.h"

#include "rollout/statusrules.h"

#include <QSet>
#include <QStringList>

#include <algorithm>
#include <optional>

namespace rollscope::rollout {

using kube::DeploymentInfo;
using kube::PodInfo;
using kube::ReplicaSetInfo;

void labelVersions(QList<VersionSource> &versions)
{
    // The containers whose image is not the same in every version (or missing from some).
    QStringList names;
    for (const VersionSource &v : std::as_const(versions)) {
        for (const kube::ContainerImage &c : v.containers) {
            if (!names.contains(c.name))
                names.append(c.name);
        }
    }
    QSet<QString> differing;
    for (const QString &name : std::as_const(names)) {
        std::optional<QString> first;
        for (const VersionSource &v : std::as_const(versions)) {
            QString image = QStringLiteral("\x01"); // stands for "no such container"
            for (const kube::ContainerImage &c : v.containers) {
                if (c.name == name)
                    image = c.image;
            }
            if (!first)
                first = image;
            else if (*first != image)
                differing.insert(name);
        }
    }
    QHash<QString, int> uses;
    for (VersionSource &v : versions) {
        QStringList parts;
        for (const kube::ContainerImage &c : std::as_const(v.containers)) {
            if (differing.contains(c.name))
                parts.append(c.image);
        }
        if (parts.isEmpty())
            parts.append(v.containers.isEmpty() ? v.info.replicaSet : v.containers.first().image);
        v.info.image = parts.join(QStringLiteral(", "));
        ++uses[v.info.image];
    }
    for (VersionSource &v : versions) {
        v.info.label =
            uses.value(v.info.image) > 1
                ? RolloutTrackerText::tr("%1 (rev %2)").arg(v.info.image).arg(v.info.revision)
                : v.info.image;
    }
}

QString versionIdOf(const ReplicaSetInfo &replicaSet)
{
    return replicaSet.podTemplateHash.isEmpty() ? replicaSet.name : replicaSet.podTemplateHash;
}

QString versionIdOfPod(const PodInfo &pod, const QHash<QString, ReplicaSetInfo> &replicaSets)
{
    const auto rs = replicaSets.constFind(pod.ownerName);
    if (rs != replicaSets.cend())
        return versionIdOf(*rs);
    return pod.podTemplateHash;
}

QString findNewReplicaSet(const DeploymentInfo &d,
                          const QHash<QString, ReplicaSetInfo> &replicaSets)
{
    QString best;
    qint64 bestRevision = -1;
    for (const ReplicaSetInfo &rs : replicaSets) {
        if (rs.containers != d.containers)
            continue;
        if (d.revision > 0) {
            if (rs.revision == d.revision)
                return rs.name;
            continue;
        }
        // No revision annotation (hand-made data): the newest matching template.
        if (rs.revision > bestRevision || (rs.revision == bestRevision && rs.name < best)) {
            best = rs.name;
            bestRevision = rs.revision;
        }
    }
    return best;
}

kube::RevisionInfo revisionInfo(const ReplicaSetInfo &replicaSet, qint64 currentRevision)
{
    kube::RevisionInfo r;
    r.revision = replicaSet.revision;
    r.replicaSetName = replicaSet.name;
    r.containers = replicaSet.containers;
    r.changeCause = replicaSet.changeCause;
    r.created = replicaSet.creationTimestamp;
    r.current = replicaSet.revision > 0 && replicaSet.revision == currentRevision;
    return r;
}

QList<kube::RevisionInfo> revisionHistory(const QHash<QString, ReplicaSetInfo> &replicaSets,
                                          qint64 currentRevision)
{
    QList<kube::RevisionInfo> list;
    for (const ReplicaSetInfo &rs : replicaSets) {
        if (rs.revision > 0) // kubectl skips what it cannot parse
            list.append(revisionInfo(rs, currentRevision));
    }
    std::sort(list.begin(), list.end(),
              [](const kube::RevisionInfo &a, const kube::RevisionInfo &b) {
                  return a.revision < b.revision;
              });
    return list;
}

qint64 lastGoodRevision(const QHash<QString, ReplicaSetInfo> &replicaSets, qint64 currentRevision)
{
    qint64 serving = 0;
    qint64 before = 0;
    for (const ReplicaSetInfo &rs : replicaSets) {
        if (rs.revision <= 0 || rs.revision == currentRevision)
            continue;
        if (rs.available > 0)
            serving = qMax(serving, rs.revision);
        if (currentRevision <= 0 || rs.revision < currentRevision)
            before = qMax(before, rs.revision);
    }
    return serving > 0 ? serving : before;
}

void PodTally::add(const PodInfo &pod, int sign)
{
    all += sign;
    const bool finished = isTerminalPod(pod);
    if (pod.isTerminating()) {
        if (!finished)
            terminating += sign;
        return;
    }
    if (finished)
        return;
    counted += sign;
    if (pod.ready)
        ready += sign;
}

PodGroup podGroupOf(const PodInfo &pod)
{
    return {pod.ownerName, pod.podTemplateHash};
}

void tallyPod(PodTallies &tallies, const PodInfo &pod, int sign)
{
    const auto it = tallies.find(podGroupOf(pod));
    if (it == tallies.end()) {
        tallies[podGroupOf(pod)].add(pod, sign);
        return;
    }
    it->add(pod, sign);
    if (it->isEmpty())
        tallies.erase(it);
}

QList<VersionPods> countPods(const PodTallies &tallies,
                             const QHash<QString, ReplicaSetInfo> &replicaSets,
                             const QList<VersionInfo> &versions, bool availabilityLags)
{
    QHash<QString, VersionPods> byId;
    for (auto it = tallies.cbegin(); it != tallies.cend(); ++it) {
        const auto rs = replicaSets.constFind(it.key().first);
        const QString id = rs != replicaSets.cend() ? versionIdOf(*rs) : it.key().second;
        if (id.isEmpty())
            continue;
        VersionPods &c = byId[id];
        c.terminating += it->terminating;
        c.total += it->counted;
        c.ready += it->ready;
    }
    // Pods carry the cluster's clock, not ours: with minReadySeconds we cannot tell when a ready
    // pod becomes available, its ReplicaSet's controller can.
    QList<VersionPods> counts;
    counts.reserve(versions.size());
    for (const VersionInfo &version : versions) {
        VersionPods c = byId.value(version.id);
        c.versionId = version.id;
        c.available = c.ready;
        if (availabilityLags) {
            const auto rs = replicaSets.constFind(version.replicaSet);
            c.available = std::min(c.ready, rs == replicaSets.cend() ? 0 : rs->available);
        }
        counts.append(c);
    }
    return counts;
}

QList<VersionPods> countPods(const QHash<QString, PodInfo> &pods,
                             const QHash<QString, ReplicaSetInfo> &replicaSets,
                             const QList<VersionInfo> &versions, bool availabilityLags)
{
    PodTallies tallies;
    for (const PodInfo &pod : pods)
        tallyPod(tallies, pod, +1);
    return countPods(tallies, replicaSets, versions, availabilityLags);
}

QHash<QString, int> podsPerReplicaSet(const PodTallies &tallies)
{
    QHash<QString, int> perReplicaSet;
    for (auto it = tallies.cbegin(); it != tallies.cend(); ++it)
        perReplicaSet[it.key().first] += it->all;
    return perReplicaSet;
}

QList<VersionInfo> VersionBook::update(const QHash<QString, ReplicaSetInfo> &replicaSets,
                                       const QHash<QString, int> &podsPerReplicaSet,
                                       const QString &newReplicaSet)
{
    // ReplicaSets that are gone keep their version (old chart points need the label).
    for (State &state : m_states) {
        if (!replicaSets.contains(state.info.replicaSet))
            state.info.isNew = false;
    }
    QList<std::pair<qint64, QString>> fresh; // (revision, id) of versions seen for the first time
    for (const ReplicaSetInfo &rs : replicaSets) {
        const QString id = versionIdOf(rs);
        State &state = m_states[id];
        state.info.id = id;
        state.info.replicaSet = rs.name;
        state.info.revision = rs.revision;
        state.info.isNew = rs.name == newReplicaSet;
        state.containers = rs.containers;
        const bool active = rs.desired > 0 || rs.current > 0 || state.info.isNew ||
                            podsPerReplicaSet.value(rs.name) > 0;
        if (active && !state.shown)
            fresh.append({rs.revision, id});
    }
    std::sort(fresh.begin(), fresh.end());
    for (const auto &[revision, id] : std::as_const(fresh)) {
        State &state = m_states[id];
        state.shown = true;
        state.info.colorIndex = m_nextColor++;
    }
    m_newVersionId =
        newReplicaSet.isEmpty() ? QString() : versionIdOf(replicaSets.value(newReplicaSet));

    QList<VersionSource> sources;
    for (const State &state : std::as_const(m_states)) {
        if (state.shown)
            sources.append({state.info, state.containers});
    }
    labelVersions(sources);
    std::sort(sources.begin(), sources.end(), [](const VersionSource &a, const VersionSource &b) {
        return a.info.colorIndex < b.info.colorIndex;
    });
    QList<VersionInfo> versions;
    versions.reserve(sources.size());
    for (const VersionSource &source : std::as_const(sources)) {
        m_states[source.info.id].info = source.info;
        versions.append(source.info);
    }
    return versions;
}

} // namespace rollscope::rollout
