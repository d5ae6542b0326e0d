// SPDX-License-Identifier: MIT
#pragma once

#include "controller.h"

#include <QSet>
#include <QString>

namespace rollscope::sim {

struct StoreEvent;

// The namespace controller (pkg/controller/namespace): a namespace with a deletionTimestamp
// has everything in it deleted (pods gracefully, so their kubelets finish them), and once it
// is empty its `kubernetes` finalizer is dropped and the namespace itself goes.
class NamespaceController final : public QueueController
{
public:
    explicit NamespaceController(const SimContext &context);

    // Re-check a namespace still emptying this often even without news.
    static constexpr qint64 kRecheckMs = 5000;

private:
    void onStoreEvent(const StoreEvent &event) override;
    void onStarted() override;
    void sync(const QString &name) override;

    QSet<QString> m_terminating;
};

} // namespace rollscope::sim
