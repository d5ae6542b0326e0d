// SPDX-License-Identifier: MIT
#pragma once

#include "simulator/simcontext.h"
#include "simulator/workqueue.h"

#include <QSet>
#include <QString>

namespace rollscope::sim {

struct StoreEvent;

// The namespace controller (pkg/controller/namespace): a namespace with a deletionTimestamp
// has everything in it deleted (pods gracefully, so their kubelets finish them), and once it
// is empty its `kubernetes` finalizer is dropped and the namespace itself goes.
class NamespaceController
{
public:
    explicit NamespaceController(const SimContext &context);
    ~NamespaceController();
    NamespaceController(const NamespaceController &) = delete;
    NamespaceController &operator=(const NamespaceController &) = delete;

    void start();

    // Re-check a namespace still emptying this often even without news.
    static constexpr qint64 kRecheckMs = 5000;

private:
    void onStoreEvent(const StoreEvent &event);
    void sync(const QString &name);

    SimContext m_ctx;
    WorkQueue m_queue;
    int m_subscription = 0;
    bool m_started = false;
    QSet<QString> m_terminating;
};

} // namespace rollscope::sim
