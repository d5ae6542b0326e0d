// SPDX-License-Identifier: MIT
// Protobuf request bodies as the simulator's API server decodes them (simulator/protobufbody.h):
// "k8s\0" + runtime.Unknown, then the object by the decoding table. The whole input is the body;
// its size picks the endpoint it is sent to (which only matters for an envelope without a kind,
// and for the wording of errors). Seeds: the bodies kubectl create sent (tests/data/protobuf).

#include "fuzzsupport.h"
#include "simulator/protobufbody.h"

using namespace rollscope;
using namespace rollscope::sim;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    static const char *const endpoints[][2] = {
        {"apps/v1", "Deployment"}, {"apps/v1", "ReplicaSet"}, {"v1", "Pod"},
        {"v1", "Service"},         {"v1", "Namespace"},       {"autoscaling/v1", "Scale"},
    };
    const auto &endpoint = endpoints[size % std::size(endpoints)];
    const QByteArray body = rollscope::fuzz::bytes(data, size);
    const Result<QJsonObject> object =
        ProtobufBody::decode(body, QLatin1StringView(endpoint[0]), QLatin1StringView(endpoint[1]));
    if (object.ok()) {
        if (!object->value(u"kind").isString() || !object->value(u"apiVersion").isString())
            abort(); // a decoded body always names its kind
    } else if (object.error().httpStatus != 400 && object.error().httpStatus != 415) {
        abort();
    }
    return 0;
}
