// SPDX-License-Identifier: MIT
#include "execapprovalprompter.h"

#include "kube/execconsent.h"

#include <QMessageBox>
#include <QPushButton>

namespace rollscope {

ExecApprovalPrompter::ExecApprovalPrompter(QWidget *window)
    : QObject(window)
    , m_window(window)
{}

kube::ExecApprovalHandler ExecApprovalPrompter::handler()
{
    QPointer<ExecApprovalPrompter> self(this);
    return [self](const kube::ExecApprovalRequest &request, kube::ExecApprovalReply reply) {
        if (!self) {
            reply(false);
            return;
        }
        self->ask(request, std::move(reply));
    };
}

void ExecApprovalPrompter::ask(const kube::ExecApprovalRequest &request,
                               kube::ExecApprovalReply reply)
{
    kube::ExecConsentStore consent;
    if (consent.isApproved(request.fingerprint)) {
        reply(true);
        return;
    }
    auto *box = new QMessageBox(m_window);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setIcon(QMessageBox::Question);
    box->setWindowTitle(tr("Run credential plugin?"));
    box->setText(tr("The kubeconfig asks Rollscope to run a program to get credentials for "
                    "user “%1”.")
                     .arg(request.userName.toHtmlEscaped()));
    QString details = tr("Command: %1").arg(request.command);
    if (!request.args.isEmpty())
        details += u'\n' + tr("Arguments: %1").arg(request.args.join(u' '));
    if (!request.envNames.isEmpty())
        details += u'\n' + tr("Environment: %1").arg(request.envNames.join(QStringLiteral(", ")));
    details += u'\n' + tr("Kubeconfig: %1").arg(request.kubeconfigFile);
    box->setInformativeText(details + QStringLiteral("\n\n") +
                            tr("Run it only if you trust this kubeconfig. Rollscope asks again "
                               "when the command, its arguments or its environment change."));
    QPushButton *run = box->addButton(tr("Run"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(run);
    const QString fingerprint = request.fingerprint;
    auto shared = std::make_shared<kube::ExecApprovalReply>(std::move(reply));
    connect(box, &QMessageBox::finished, this, [box, run, fingerprint, shared](int) {
        const bool approved = box->clickedButton() == run;
        if (approved)
            kube::ExecConsentStore().approve(fingerprint);
        (*shared)(approved);
    });
    box->open();
}

} // namespace rollscope
