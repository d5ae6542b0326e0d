// SPDX-License-Identifier: MIT
#pragma once

// One HTTP status table for the client and the simulator: the reason phrase Go's net/http gives
// (kubectl logs it, HTTP/1.1 status lines carry it), the metav1.StatusReason apimachinery's
// errors.go pairs with it, and the Error::Kind the rest of Rollscope reacts to.

#include "common/result.h"

#include <QByteArray>
#include <QString>

namespace rollscope::apimachinery {

// http.StatusText: "Not Found" for 404; empty for a code Go does not name.
QByteArray statusText(int code);

// The metav1.StatusReason an API server gives a code when nothing more specific is known
// (errors.go's NewGenericServerResponse and the New*Error constructors): "NotFound" for 404,
// "Conflict" for 409 (a create's "AlreadyExists" is also 409: the caller says so), "Expired"
// for 410, "InternalError" for other 5xx. Empty where apimachinery has none (e.g. 2xx, 418).
QString statusReason(int code);

// How Rollscope classifies an answer with this code.
Error::Kind errorKind(int code);

// An API server's error answer: the code, `reason` (statusReason(code) when empty) and kind.
Error statusError(int code, const QString &message, const QString &reason = {});

} // namespace rollscope::apimachinery
