// SPDX-License-Identifier: MIT
#pragma once

#include "images.h"

#include <QHash>
#include <QObject>
#include <QString>

namespace rollscope::sim {

// The simulated container process of one pod, as the node running it sees it. The kubelet
// keeps this table; the traffic front mirrors it (as values, on its own thread) to decide what a
// connection to the pod gets.
struct PodProcess
{
    QString ns;
    QString name;
    QString uid;
    QString podIp;
    QString nodeName;
    QString container; // the serving (first) container's name, for its log
    ImageBehavior behavior;
    QString image;
    bool running = false;     // the container process exists
    bool listening = false;   // its server accepts connections
    bool terminating = false; // got SIGTERM; a draining app still answers in-flight requests
};

class PodRuntime : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    const PodProcess *find(const QString &ns, const QString &name) const
    {
        const auto it = m_processes.constFind(key(ns, name));
        return it == m_processes.cend() ? nullptr : &*it;
    }
    QList<PodProcess> all() const { return m_processes.values(); }

    // Kubelet side.
    void upsert(const PodProcess &process)
    {
        m_processes.insert(key(process.ns, process.name), process);
        emit changed(process);
    }
    void remove(const QString &ns, const QString &name)
    {
        if (m_processes.remove(key(ns, name)))
            emit removed(ns, name);
    }

    static QString key(const QString &ns, const QString &name) { return ns + u'/' + name; }

signals:
    // The table changed: a process was added or its state changed, or it was removed.
    void changed(const rollscope::sim::PodProcess &process);
    void removed(const QString &ns, const QString &name);
    // The process got SIGTERM. A draining app finishes in-flight requests and answers the
    // next request on a kept-alive connection with `Connection: close`; a non-draining one
    // (`abrupt`) resets every connection at once.
    void terminating(const QString &ns, const QString &name, bool abrupt);
    // The process is gone (exited, crashed, pod deleted): any connection left is reset.
    void stopped(const QString &ns, const QString &name);

private:
    QHash<QString, PodProcess> m_processes;
};

} // namespace rollscope::sim
