// SPDX-License-Identifier: MIT
#pragma once

#include "kube/credentials.h"

#include <QObject>
#include <QPointer>

class QWidget;

namespace rollscope {

// Asks the user before a kubeconfig's exec credential plugin runs for the first time (per
// kubeconfig file, user, command, arguments and environment), remembering the answer. The
// prompt is window-modal and asynchronous; nothing waits on it.
class ExecApprovalPrompter : public QObject
{
    Q_OBJECT
public:
    explicit ExecApprovalPrompter(QWidget *window);
    kube::ExecApprovalHandler handler();

    void ask(const kube::ExecApprovalRequest &request, kube::ExecApprovalReply reply);

private:
    QPointer<QWidget> m_window;
};

} // namespace rollscope
