// SPDX-License-Identifier: MIT
#pragma once

// For GUI tests that open modal dialogs: the dialog's exec() blocks the test, so what the test
// does in the dialog is set up before it opens.

#include <QApplication>
#include <QTimer>

#include <functional>

namespace rollscope::test {

// Runs `act` on the next modal dialog of type T as soon as it is shown.
template<typename T>
void whenDialogOpens(std::function<void(T *)> act)
{
    auto *poll = new QTimer(qApp);
    poll->setInterval(20);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, act] {
        if (auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget())) {
            poll->stop();
            poll->deleteLater();
            act(dialog);
        }
    });
    poll->start();
}

} // namespace rollscope::test
