// SPDX-License-Identifier: MIT
#pragma once

// Pieces of the exec credential protocol that need no process: building KUBERNETES_EXEC_INFO and
// reading a plugin's ExecCredential. Used by CredentialProvider; separate so tests can feed them
// directly.

#include "common/result.h"
#include "kube/credentials.h"
#include "kube/kubeconfig.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QSslKey>
#include <QString>

namespace rollscope::kube {

class ExecPlugin
{
    Q_DECLARE_TR_FUNCTIONS(ExecPlugin)

public:
    // The ExecCredential a plugin gets in KUBERNETES_EXEC_INFO: apiVersion, kind, and spec with
    // interactive=false and, with provideClusterInfo, spec.cluster (server, tls-server-name,
    // insecure-skip-tls-verify, certificate-authority-data, proxy-url, disable-compression,
    // config), shaped like client-go's JSON (omitempty fields left out, config null when absent).
    static QByteArray execInfo(const ClusterConfig &config);

    // Reads a plugin's stdout. The message of an error says what is wrong without quoting the
    // output (it may hold a token or key); callers prefix which plugin it was.
    static Result<Credential> parseOutput(const QByteArray &output, const QString &apiVersion);
};

// QSslKey needs the algorithm up front and PKCS#8 PEM does not say it; tries RSA, EC and DSA.
QSslKey privateKeyFromPem(const QByteArray &pem);

} // namespace rollscope::kube
