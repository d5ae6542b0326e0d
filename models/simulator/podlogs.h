// SPDX-License-Identifier: MIT
#pragma once

#include "apiserver.h"
#include "store.h"

#include <QHash>
#include <QObject>

#include <deque>

namespace rollscope::sim {

class SimClock;

// Container logs of the simulated apps: start-up and shutdown lines derived from the pods'
// container states, and one access-log line per request the traffic front served. Bounded per
// container, like a kubelet's log rotation.
class PodLogs : public QObject, public LogSource
{
    Q_OBJECT
public:
    PodLogs(Store *store, SimClock *clock, QObject *parent = nullptr);
    ~PodLogs() override;

    void append(const QString &ns, const QString &pod, const QString &container,
                const QString &line);

    QString logs(const QString &ns, const QString &pod, const QString &container,
                 QStringList *lines, QList<qint64> *timestamps) const override;
    int follow(const QString &ns, const QString &pod, const QString &container,
               std::function<void(qint64, const QString &)> onLine,
               std::function<void()> onEnd) override;
    void unfollow(int id) override;

private:
    void onStoreEvent(const StoreEvent &event);
    static QString key(const QString &ns, const QString &pod, const QString &container)
    {
        return ns + u'/' + pod + u'/' + container;
    }

    struct Line
    {
        qint64 at;
        QString text;
    };
    struct Follower
    {
        QString key;
        std::function<void(qint64, const QString &)> onLine;
        std::function<void()> onEnd;
    };
    Store *m_store;
    SimClock *m_clock;
    Store::SubscriptionId m_subscription = 0;
    QHash<QString, std::deque<Line>> m_lines;
    QHash<QString, QString> m_startedAt; // container key -> startedAt already logged
    QHash<int, Follower> m_followers;
    int m_nextFollower = 1;
};

} // namespace rollscope::sim
