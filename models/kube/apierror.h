// SPDX-License-Identifier: MIT
#pragma once

// Turning what the API server (or the network) says into an Error a person can read.

#include "common/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QNetworkReply>
#include <QString>

namespace rollscope::kube {

// The server's own Status.message travels with the Error as a cause with this reason (Error has
// no field for it), so the plain message can stay short while kubectl-style output and details
// views can still show the exact words. serverMessage() and fieldCauses() read them apart.
inline constexpr QLatin1StringView kServerMessageCause("rollscope.dev/ServerMessage");

QString serverMessage(const Error &error);
// The causes of a 422 (field problems), without the server message.
QList<ErrorCause> fieldCauses(const Error &error);

class ApiErrors
{
    Q_DECLARE_TR_FUNCTIONS(ApiErrors)

public:
    // An HTTP error answer: decodes a Status body (kind "Status") into plain words, keeps the
    // raw message (serverMessage()), the reason and the causes; falls back to the body's text or
    // the status code when the body is not a Status.
    static Error fromResponse(int httpStatus, const QByteArray &body);
    // A Status object (also the object of a watch ERROR event). `httpStatus` is used when the
    // Status has no code.
    static Error fromStatus(const QJsonObject &status, int httpStatus = 0);
    // A failure below HTTP: refused, reset, DNS, TLS, timeout. `server` is "host:port".
    static Error network(QNetworkReply::NetworkError code, const QString &detail,
                         const QString &server, qint64 timeoutMs = 0);
    // As kubectl prints errors: "Error from server (Forbidden): <server message>" for Status
    // errors, else "error: <message>".
    static QString kubectlStyle(const Error &error);
};

} // namespace rollscope::kube
