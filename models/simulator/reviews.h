// SPDX-License-Identifier: MIT
#pragma once

#include "auth.h"
#include "common/result.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace rollscope::sim::Reviews {

// The create-only review resources, which are answered and never stored:
// authorization.k8s.io/v1 selfsubjectaccessreviews and selfsubjectrulesreviews, and
// authentication.k8s.io/v1 selfsubjectreviews. `kubectl auth can-i` and `auth whoami` use them,
// and the dashboard asks them which actions to offer.
QStringList groupVersions();
bool serves(const QString &group, const QString &version, const QString &resource);
// The APIResourceList entries of a group version above (empty for any other).
QJsonArray discoveryResources(const QString &groupVersion);
// A review sent as application/vnd.kubernetes.protobuf (kubectl's typed clients do), as the
// JSON object it stands for; 400 for a body that is not one.
Result<QJsonObject> fromProtobuf(const QString &resource, const QByteArray &body);
// The review of `body` with its status filled in for `identity`, or a 400/422 Status error.
Result<QJsonObject> answer(const Identity &identity, const QString &group, const QString &resource,
                           const QJsonObject &body);

} // namespace rollscope::sim::Reviews
