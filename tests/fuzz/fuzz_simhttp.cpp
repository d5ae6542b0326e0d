// SPDX-License-Identifier: MIT
// HTTP/1.1 requests to the simulator's API server, without a socket: the bytes go through the
// request reader (Boost.Beast's parser, simulator/httpparser.h), and each request it yields is
// handed to ApiServer's handler through an exchange that keeps the answer, on a fresh
// simulator with the demo scenario. That covers what Rollscope itself reads from a request:
// the path and its segments, query parameters (label and field selectors, continue tokens,
// limits, dry runs), bodies (JSON, YAML), patches of every type. A request without an
// Authorization header is sent as the admin, so the fuzzer needs no token to get past 401.

#include "fuzzsupport.h"
#include "simulator/apiserver.h"
#include "simulator/auth.h"
#include "simulator/clock.h"
#include "simulator/httpparser.h"
#include "simulator/registry.h"
#include "simulator/resources.h"
#include "simulator/scenarios.h"
#include "simulator/store.h"
#include "simulator/yamljson.h"

#include <QRandomGenerator>

#include <memory>

using namespace rollscope;
using namespace rollscope::sim;

namespace {

class FuzzExchange final : public HttpExchange
{
public:
    FuzzExchange(HttpRequest request, QObject *parent)
        : HttpExchange(std::move(request), parent)
    {}
    void respond(int s, const HttpHeaders &, const QByteArray &) override
    {
        FUZZ_CHECK(!m_finished && !streaming); // one answer per request
        FUZZ_CHECK(s >= 100 && s <= 599);
        m_finished = true;
    }
    void beginStream(int s, const HttpHeaders &) override
    {
        FUZZ_CHECK(!m_finished && !streaming);
        FUZZ_CHECK(s >= 100 && s <= 599);
        streaming = true;
    }
    void write(const QByteArray &) override { FUZZ_CHECK(streaming); }
    void end() override { m_finished = true; }
    void abort() override { m_finished = true; }
    qint64 pendingBytes() const override { return 0; }

    bool streaming = false;
};

const QByteArray kToken = "fuzz-admin-token";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    QByteArray input = rollscope::fuzz::bytes(data, size);
    Http1RequestReader reader;
    QList<HttpRequest> requests;
    while (requests.size() < 4) {
        const Http1RequestReader::State state = reader.feed(input);
        if (state != Http1RequestReader::State::Ready)
            break;
        bool keepAlive = false;
        HttpRequest request = reader.takeRequest(&keepAlive);
        (void)request.path();
        (void)request.query();
        (void)request.header("content-type");
        const bool tooLarge = request.bodyTooLarge;
        requests.append(std::move(request));
        if (tooLarge || !keepAlive)
            break;
    }
    if (requests.isEmpty())
        return 0;

    QObject exchanges; // outlives the server: watches hold exchanges
    SimClock clock(SimClock::Mode::Virtual, 1'700'000'000'000);
    Store store;
    QRandomGenerator random(7);
    Registry registry(&store, &clock, &random);
    Authenticator auth(nullptr);
    auth.addToken(QString::fromLatin1(kToken),
                  Identity{QStringLiteral("admin"), {QLatin1StringView(kAdminGroup)}});
    for (const char *ns : {"default", "kube-system"}) {
        QJsonObject object{{QStringLiteral("metadata"),
                            QJsonObject{{QStringLiteral("name"), QLatin1StringView(ns)}}}};
        FUZZ_CHECK(registry.create(Resources::namespaces(), {}, object).ok());
    }
    // The demo scenario's first objects, not all of it: a fresh cluster per input stays cheap.
    FUZZ_CHECK(seedScenario(&registry, Scenario{Scenario::Kind::Empty}).ok());
    FUZZ_CHECK(registry
                   .create(Resources::deployments(), QStringLiteral("default"),
                           yamlToJsonObject(demoDeploymentManifest()).value())
                   .ok());
    FUZZ_CHECK(registry
                   .create(Resources::services(), QStringLiteral("default"),
                           yamlToJsonObject(demoServiceManifest()).value())
                   .ok());
    auto api = std::make_unique<ApiServer>(&registry, &auth);
    api->setServerAddress(QStringLiteral("127.0.0.1:6443"));
    const HttpServer::Handler handler = api->handler();
    for (HttpRequest &request : requests) {
        if (request.header("authorization").isEmpty())
            request.headers.append({"authorization", "Bearer " + kToken});
        auto *exchange = new FuzzExchange(request, &exchanges);
        handler(exchange);
        // Without a proxy backend or log source, every request is answered or streams now.
        FUZZ_CHECK(exchange->isFinished() || exchange->streaming);
    }
    api->endWatches();
    api.reset();
    return 0;
}
