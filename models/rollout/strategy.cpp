// SPDX-License-Identifier: MIT
#include "strategy.h"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>

namespace rollscope::rollout {

namespace {

class Text
{
    Q_DECLARE_TR_FUNCTIONS(Strategy)
};

bool isRolling(const QString &type)
{
    return type != u"Recreate";
}

// ResolveFenceposts (deployment_util.go): an unset value counts as 0 there; the API has already
// defaulted both to 25% for objects read from a server.
std::pair<int, int> resolveFenceposts(const kube::IntOrString &maxSurge,
                                      const kube::IntOrString &maxUnavailable, int replicas)
{
    const int surge = maxSurge.scaledValue(replicas, true).value_or(0);
    int unavailable = maxUnavailable.scaledValue(replicas, false).value_or(0);
    if (surge == 0 && unavailable == 0)
        unavailable = 1; // validation forbids both 0; rounding down may still get there
    return {std::max(0, surge), std::max(0, unavailable)};
}

QString countText(int n, const char *one, const char *many)
{
    return n == 1 ? Text::tr(one) : Text::tr(many).arg(n);
}

QString fencepostText(const char *name, const kube::IntOrString &given, int resolved)
{
    const QString givenText = given.toString();
    const bool needsResolving =
        given.type == kube::IntOrString::Type::String ||
        (given.type == kube::IntOrString::Type::Int && given.intValue != resolved);
    if (!given.isSet() || !needsResolving)
        return Text::tr("%1 %2").arg(QLatin1StringView(name)).arg(resolved);
    return Text::tr("%1 %2 → %3").arg(QLatin1StringView(name), givenText).arg(resolved);
}

} // namespace

StrategyNumbers resolveStrategy(int replicas, const kube::IntOrString &maxSurge,
                                const kube::IntOrString &maxUnavailable, const QString &type)
{
    StrategyNumbers n;
    n.type = type.isEmpty() ? QStringLiteral("RollingUpdate") : type;
    n.replicas = std::max(0, replicas);
    n.maxSurge = maxSurge;
    n.maxUnavailable = maxUnavailable;
    if (!isRolling(n.type)) {
        // MaxSurge/MaxUnavailable are 0 outside RollingUpdate; Recreate stops every old pod
        // before it starts a new one, so nothing stays available meanwhile.
        n.maxTotal = n.replicas;
        n.minAvailable = 0;
        return n;
    }
    const auto [surge, unavailable] = resolveFenceposts(maxSurge, maxUnavailable, n.replicas);
    n.surge = surge;
    // MaxUnavailable: 0 for 0 replicas, never more than the replicas.
    n.unavailable = n.replicas == 0 ? 0 : std::min(unavailable, n.replicas);
    n.maxTotal = n.replicas + n.surge;
    n.minAvailable = n.replicas - n.unavailable;
    return n;
}

StrategyNumbers resolveStrategy(const kube::DeploymentInfo &deployment)
{
    return resolveStrategy(deployment.replicas, deployment.strategy.maxSurge,
                           deployment.strategy.maxUnavailable, deployment.strategy.type);
}

QString describe(const StrategyNumbers &n)
{
    QStringList parts;
    parts << countText(n.replicas, QT_TRANSLATE_NOOP("Strategy", "1 replica"),
                       QT_TRANSLATE_NOOP("Strategy", "%1 replicas"));
    if (n.isRecreate()) {
        parts << Text::tr("Recreate");
        parts << countText(n.maxTotal, QT_TRANSLATE_NOOP("Strategy", "at most 1 pod"),
                           QT_TRANSLATE_NOOP("Strategy", "at most %1 pods"));
        parts << Text::tr("no pods available while they are replaced");
        return parts.join(QStringLiteral(" · "));
    }
    parts << fencepostText("maxSurge", n.maxSurge, n.surge);
    parts << fencepostText("maxUnavailable", n.maxUnavailable, n.unavailable);
    parts << countText(n.maxTotal, QT_TRANSLATE_NOOP("Strategy", "at most 1 pod"),
                       QT_TRANSLATE_NOOP("Strategy", "at most %1 pods"));
    parts << Text::tr("at least %1 available").arg(n.minAvailable);
    return parts.join(QStringLiteral(" · "));
}

namespace {

// The state the preview replays: one old ReplicaSet whose pods are all available, one new one.
class Replay
{
public:
    Replay(const StrategyNumbers &numbers)
        : m_n(numbers)
        , m_old(numbers.replicas)
    {}

    QList<PredictedStep> run()
    {
        const bool rolling = !m_n.isRecreate();
        while (rolling ? rollingPass() : recreatePass()) {
        }
        if (m_rows.isEmpty())
            m_rows.append(row()); // nothing to do (0 replicas): the state is the outcome
        PredictedStep last = m_rows.last();
        // Every pod needs one T to be ready, and each T at least one pod more is ready or the
        // rollout stalls: 2·replicas + 2 bounds a progressing replay.
        const int limit = 2 * m_n.replicas + 2;
        for (m_time = 1; m_time <= limit && !complete(last); ++m_time) {
            while (rolling ? rollingPass() : recreatePass()) {
            }
            const PredictedStep now = row();
            const bool changed = now.oldReplicas != last.oldReplicas ||
                                 now.newReplicas != last.newReplicas ||
                                 now.newReady != last.newReady;
            if (!changed)
                break; // stalled: nothing more would happen
            m_rows.append(now);
            last = now;
        }
        return m_rows;
    }

private:
    int newReady() const
    {
        // A pod created at k·T is ready at (k+1)·T.
        int ready = 0;
        for (int created : m_newPodsCreatedAt) {
            if (created + 1 <= m_time)
                ++ready;
        }
        return ready;
    }

    PredictedStep row() const
    {
        const int ready = newReady();
        return {m_time, m_old, m_new, ready, m_old + m_new, m_old + ready};
    }

    bool complete(const PredictedStep &row) const
    {
        return row.oldReplicas == 0 && row.newReplicas == m_n.replicas &&
               row.newReady == m_n.replicas;
    }

    // At t = 0 each change is a row; later ones are summed up per k·T by run().
    void changed()
    {
        if (m_time == 0)
            m_rows.append(row());
    }

    void scaleNew(int to)
    {
        for (int i = m_new; i < to; ++i)
            m_newPodsCreatedAt.append(m_time);
        // Scaling the new ReplicaSet down does not happen in a forward rollout.
        m_new = to;
        changed();
    }

    // NewRSNewReplicas for RollingUpdate.
    int newReplicasTarget() const
    {
        const int current = m_old + m_new;
        if (current >= m_n.maxTotal)
            return m_new;
        return m_new + std::min(m_n.maxTotal - current, m_n.replicas - m_new);
    }

    // One pass of rolloutRolling: create or scale up the new ReplicaSet (a scale-up ends the
    // pass), else reconcileOldReplicaSets. Returns whether anything changed.
    bool rollingPass()
    {
        bool anything = false;
        if (!m_newExists) {
            m_newExists = true;
            anything = true;
            const int target = newReplicasTarget();
            if (target != m_new)
                scaleNew(target);
            // reconcileNewReplicaSet computes the same size again: no change, go on.
        } else if (m_new < m_n.replicas) {
            const int target = newReplicasTarget();
            if (target != m_new) {
                scaleNew(target);
                return true;
            }
        }
        return reconcileOld() || anything;
    }

    bool reconcileOld()
    {
        if (m_old == 0)
            return false;
        const int ready = newReady();
        const int allPods = m_old + m_new;
        const int newUnavailable = m_new - ready;
        const int maxScaledDown = allPods - m_n.minAvailable - newUnavailable;
        if (maxScaledDown <= 0)
            return false;
        // cleanupUnhealthyReplicas removes old pods that are not available: all of ours are.
        const int available = m_old + ready;
        if (available <= m_n.minAvailable)
            return false;
        const int down = std::min(m_old, available - m_n.minAvailable);
        m_old -= down;
        changed();
        return true;
    }

    // rolloutRecreate: scale every old ReplicaSet to 0, wait until their pods are gone (at once
    // here), then create the new ReplicaSet at full size.
    bool recreatePass()
    {
        if (m_old > 0) {
            m_old = 0;
            changed();
            return true;
        }
        if (!m_newExists) {
            m_newExists = true;
            if (m_n.replicas != m_new)
                scaleNew(m_n.replicas);
            return true;
        }
        return false;
    }

    StrategyNumbers m_n;
    int m_time = 0;
    int m_old = 0;
    int m_new = 0;
    bool m_newExists = false;
    QList<int> m_newPodsCreatedAt;
    QList<PredictedStep> m_rows;
};

} // namespace

QList<PredictedStep> predictSteps(int replicas, const kube::IntOrString &maxSurge,
                                  const kube::IntOrString &maxUnavailable, const QString &type)
{
    return Replay(resolveStrategy(replicas, maxSurge, maxUnavailable, type)).run();
}

} // namespace rollscope::rollout
