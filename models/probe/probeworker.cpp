// SPDX-License-Identifier: MIT
#include "probe/probeworker.h"

#include "common/version.h"
#include "probe/targets.h"

#include <QDateTime>
#include <QNetworkProxy>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>

#include <cmath>
#include <limits>

namespace rollscope::probe::detail {

namespace {

// The target of the request line, percent-encoded.
QByteArray encodedTarget(const QString &pathAndQuery)
{
    const QUrl url(QStringLiteral("http://h") + pathAndQuery, QUrl::TolerantMode);
    QByteArray target =
        url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty() || !target.startsWith('/'))
        target.prepend('/');
    return target;
}

QByteArray buildRequest(const ProbeOptions &options)
{
    return "GET " + encodedTarget(options.requestPath()) +
           " HTTP/1.1\r\nHost: " + hostHeader(options.target.url) +
           "\r\nUser-Agent: rollscope-prober/" + QByteArray(kVersion) +
           "\r\nAccept: */*\r\nConnection: close\r\n\r\n";
}

// The deadline sweep's period, and how late it may run before the prober counts itself stalled.
constexpr qint64 kSweepMs = 10;
constexpr qint64 kStallToleranceMs = 5;

TransportEnd endFor(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return TransportEnd::Refused;
    case QAbstractSocket::RemoteHostClosedError:
        return TransportEnd::Closed;
    case QAbstractSocket::SocketTimeoutError:
        return TransportEnd::TimedOut;
    default:
        return TransportEnd::Error;
    }
}

} // namespace

ProbeWorker::ProbeWorker(Deliver deliver, SendProxied sendProxied,
                         std::shared_ptr<std::atomic<int>> backlog)
    : m_deliver(std::move(deliver))
    , m_sendProxied(std::move(sendProxied))
    , m_backlog(std::move(backlog))
    , m_tick(new QTimer(this))
    , m_flush(new QTimer(this))
    , m_sweep(new QTimer(this))
{
    m_clock.start();
    m_tick->setSingleShot(true);
    m_tick->setTimerType(Qt::PreciseTimer);
    connect(m_tick, &QTimer::timeout, this, &ProbeWorker::onTick);
    m_flush->setInterval(kFlushMs);
    connect(m_flush, &QTimer::timeout, this, [this] { flush(false); });
    // Deadlines are checked every 10 ms: one timer for all requests instead of one each.
    m_sweep->setInterval(int(kSweepMs));
    m_sweep->setTimerType(Qt::PreciseTimer);
    connect(m_sweep, &QTimer::timeout, this, &ProbeWorker::sweep);
}

ProbeWorker::~ProbeWorker()
{
    shutdown();
}

void ProbeWorker::start(quint64 run, const ProbeOptions &options,
                        const QHash<QString, QString> &pods, const QHash<QString, QString> &aliases)
{
    shutdown();
    m_run = run;
    m_options = options;
    m_proxy = options.target.kind == ProbeTarget::Kind::ServiceProxy;
    m_requestBytes = m_proxy ? QByteArray() : buildRequest(options);
    const qint64 ns = nowNs();
    m_wallBaseMs = QDateTime::currentMSecsSinceEpoch() - ns / 1'000'000;

    ProbeAggregator::Limits limits;
    limits.holdMs = options.holdUnresolved.count();
    m_aggregator = ProbeAggregator(limits);
    m_aggregator.attributor().setOptions(options.attribution);
    m_aggregator.attributor().setVersionAliases(aliases);
    m_aggregator.setPodVersions(pods, wallMs(ns));
    m_lastDeliveredTotals = {};

    m_running = true;
    m_stopping = false;
    m_pacer.start(ns, options.rate);
    m_aggregator.begin(wallMs(ns));
    m_flush->start();
    onTick();
}

void ProbeWorker::apply(const ProbeOptions &options)
{
    const ProbeOptions before = std::exchange(m_options, options);
    m_proxy = options.target.kind == ProbeTarget::Kind::ServiceProxy;
    m_requestBytes = m_proxy ? QByteArray() : buildRequest(options);
    if (!m_running)
        return;
    if (before.attribution != options.attribution)
        m_aggregator.attributor().setOptions(options.attribution);
    m_aggregator.setHoldMs(options.holdUnresolved.count());
    if (before.rate != options.rate && !m_stopping) {
        m_pacer.setRate(nowNs(), options.rate);
        scheduleTick();
    }
}

void ProbeWorker::stop()
{
    if (!m_running || m_stopping)
        return;
    m_stopping = true;
    m_tick->stop();
    maybeFinishStop();
}

void ProbeWorker::shutdown()
{
    m_tick->stop();
    m_flush->stop();
    m_sweep->stop();
    for (auto &[id, request] : m_inFlight) {
        if (request->socket) {
            request->socket->disconnect();
            request->socket->abort();
            delete request->socket;
        }
    }
    m_inFlight.clear();
    for (auto it = m_draining.cbegin(); it != m_draining.cend(); ++it) {
        it.key()->disconnect();
        it.key()->abort();
        delete it.key();
    }
    m_draining.clear();
    m_running = false;
    m_stopping = false;
}

void ProbeWorker::setPodVersions(const QHash<QString, QString> &pods)
{
    m_aggregator.setPodVersions(pods, wallMs(nowNs()));
}

void ProbeWorker::setVersionAliases(const QHash<QString, QString> &aliases)
{
    m_aggregator.attributor().setVersionAliases(aliases);
}

void ProbeWorker::onTick()
{
    if (!m_running || m_stopping)
        return;
    const qint64 ns = nowNs();
    const Pacer::Due due = m_pacer.take(ns);
    if (due.late > 0)
        m_aggregator.skipped(wallMs(ns), ProbeAggregator::SkipReason::Late, due.late);
    for (int i = 0; i < due.send; ++i) {
        if (qsizetype(m_inFlight.size()) >= m_options.concurrency) {
            m_aggregator.skipped(wallMs(ns), ProbeAggregator::SkipReason::Busy, due.send - i);
            break;
        }
        launch(nowNs());
    }
    updateSweepTimer();
    scheduleTick();
}

void ProbeWorker::scheduleTick()
{
    if (!m_running || m_stopping)
        return;
    const qint64 waitNs = m_pacer.nextDueNs() - nowNs();
    const qint64 waitMs = waitNs <= 0 ? 0 : (waitNs + 999'999) / 1'000'000;
    m_tick->start(int(qMin<qint64>(waitMs, 60'000)));
}

void ProbeWorker::launch(qint64 ns)
{
    auto request = std::make_unique<Request>();
    request->id = m_nextId++;
    request->startNs = ns;
    request->startMs = wallMs(ns);
    request->deadlineNs = ns + qint64(m_options.timeout.count()) * 1'000'000;
    const quint64 id = request->id;
    m_aggregator.started(request->startMs);

    if (m_proxy) {
        // The ApiClient enforces the timeout and reports first; this deadline is the backstop
        // for a GUI thread that cannot answer.
        request->deadlineNs += 1'000'000'000;
        m_inFlight.emplace(id, std::move(request));
        m_sendProxied(m_run, id);
        return;
    }

    const QUrl &url = m_options.target.url;
    const bool tls = url.scheme() == u"https";
    QTcpSocket *socket = tls ? new QSslSocket : new QTcpSocket;
    request->socket = socket;
    // A fresh, direct connection: never a proxy from the environment.
    socket->setProxy(QNetworkProxy::NoProxy);
    connect(socket, &QIODevice::readyRead, this, [this, id] { onReadyRead(id); });
    connect(socket, &QAbstractSocket::disconnected, this,
            [this, id, socket] { onSocketEnded(id, socket, TransportEnd::Closed); });
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [this, id, socket](QAbstractSocket::SocketError error) {
                if (const auto it = m_inFlight.find(id); it != m_inFlight.end())
                    it->second->error = socket->errorString();
                onSocketEnded(id, socket, endFor(error));
            });
    m_inFlight.emplace(id, std::move(request));
    if (tls)
        static_cast<QSslSocket *>(socket)->connectToHostEncrypted(url.host(),
                                                                  quint16(url.port(443)));
    else
        socket->connectToHost(url.host(), quint16(url.port(80)));
    // Buffered by the socket until the connection is up.
    socket->write(m_requestBytes);
}

void ProbeWorker::onReadyRead(quint64 id)
{
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end() || !it->second->socket)
        return;
    Request &request = *it->second;
    const ResponseReader::State state = request.reader.feed(request.socket->readAll());
    if (state == ResponseReader::State::Complete)
        finish(id, TransportEnd::Answered);
    else if (state == ResponseReader::State::Malformed)
        finish(id, TransportEnd::Error);
}

void ProbeWorker::onSocketEnded(quint64 id, QTcpSocket *socket, TransportEnd end)
{
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end()) {
        // A socket that already delivered its answer: the server closed it, as expected.
        if (m_draining.contains(socket))
            destroySocket(socket);
        return;
    }
    Request &request = *it->second;
    if (end != TransportEnd::Refused) {
        // Whatever arrived before the close is part of the answer.
        if (socket->bytesAvailable() > 0)
            request.reader.feed(socket->readAll());
        if (end == TransportEnd::Closed)
            request.reader.closed();
    }
    finish(id, request.reader.isComplete() ? TransportEnd::Answered : end);
}

void ProbeWorker::finish(quint64 id, TransportEnd end)
{
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return;
    std::unique_ptr<Request> request = std::move(it->second);
    m_inFlight.erase(it);

    const qint64 ns = nowNs();
    Exchange exchange;
    exchange.startMs = request->startMs;
    exchange.latencyUs =
        qint32(qMin<qint64>((ns - request->startNs) / 1000, std::numeric_limits<qint32>::max()));
    exchange.failure = classifyExchange(end, request->reader);
    if (exchange.failure) {
        if (request->reader.state() == ResponseReader::State::Malformed)
            exchange.error = QStringLiteral("malformed HTTP answer");
        else if (end == TransportEnd::TimedOut)
            exchange.error =
                QStringLiteral("no complete answer within %1 ms").arg(m_options.timeout.count());
        else if (!request->error.isEmpty())
            exchange.error = request->error;
        else if (end == TransportEnd::Closed)
            exchange.error = QStringLiteral("connection closed before a complete answer");
        else if (exchange.httpStatus != 0)
            exchange.error = QStringLiteral("HTTP %1").arg(exchange.httpStatus);
    }
    if (request->reader.hasHead()) {
        exchange.httpStatus = request->reader.status();
        exchange.evidence.body = request->reader.body();
        exchange.evidence.headers = request->reader.headers();
    }
    m_aggregator.finished(std::move(exchange), wallMs(ns));

    if (request->socket) {
        const bool graceful = end == TransportEnd::Answered &&
                              request->socket->state() == QAbstractSocket::ConnectedState;
        releaseSocket(request->socket, graceful);
    }
    maybeFinishStop();
}

void ProbeWorker::proxyFinished(quint64 run, quint64 id, Exchange exchange)
{
    if (run != m_run)
        return;
    const auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return; // timed out here already
    const std::unique_ptr<Request> request = std::move(it->second);
    m_inFlight.erase(it);
    const qint64 ns = nowNs();
    exchange.startMs = request->startMs;
    exchange.latencyUs =
        qint32(qMin<qint64>((ns - request->startNs) / 1000, std::numeric_limits<qint32>::max()));
    m_aggregator.finished(std::move(exchange), wallMs(ns));
    maybeFinishStop();
}

void ProbeWorker::releaseSocket(QTcpSocket *socket, bool graceful)
{
    if (!graceful) {
        destroySocket(socket);
        return;
    }
    m_draining.insert(socket, nowNs() + kDrainGraceMs * 1'000'000);
    updateSweepTimer();
}

void ProbeWorker::destroySocket(QTcpSocket *socket)
{
    m_draining.remove(socket);
    // No more signals: abort() would otherwise report this very socket again.
    socket->disconnect();
    socket->abort();
    socket->deleteLater();
}

void ProbeWorker::sweep()
{
    const qint64 ns = nowNs();
    if (m_lastSweepNs >= 0) {
        // This timer is due every kSweepMs: if it ran much later, this thread was held up, and
        // nothing it owed the requests in flight (connecting, writing, reading what had
        // arrived) happened meanwhile. That time is not the target's: it is credited back, so a
        // request times out only after `timeout` of the prober's own running time, and it is
        // reported apart (ProbeTotals::ownStallMaxMs).
        const qint64 lateNs = ns - m_lastSweepNs - kSweepMs * 1'000'000;
        if (lateNs > kStallToleranceMs * 1'000'000) {
            for (const auto &[id, request] : m_inFlight)
                request->deadlineNs += lateNs;
            m_aggregator.stalled(lateNs / 1'000'000);
        }
    }
    m_lastSweepNs = ns;
    QList<quint64> expired;
    for (const auto &[id, request] : m_inFlight) {
        if (request->deadlineNs <= ns)
            expired.append(id);
    }
    for (quint64 id : std::as_const(expired))
        finish(id, TransportEnd::TimedOut);
    QList<QTcpSocket *> stale;
    for (auto it = m_draining.cbegin(); it != m_draining.cend(); ++it) {
        if (it.value() <= ns)
            stale.append(it.key());
    }
    for (QTcpSocket *socket : std::as_const(stale))
        destroySocket(socket);
    updateSweepTimer();
}

void ProbeWorker::updateSweepTimer()
{
    const bool needed = !m_inFlight.empty() || !m_draining.isEmpty();
    if (needed && !m_sweep->isActive()) {
        m_sweep->start();
        m_lastSweepNs = nowNs();
    } else if (!needed && m_sweep->isActive()) {
        m_sweep->stop();
        m_lastSweepNs = -1;
    }
}

void ProbeWorker::maybeFinishStop()
{
    if (!m_stopping || !m_inFlight.empty())
        return;
    flush(true);
    m_running = false;
    m_stopping = false;
    m_flush->stop();
    updateSweepTimer();
}

void ProbeWorker::flush(bool final)
{
    const qint64 ms = wallMs(nowNs());
    if (final)
        m_aggregator.end(ms);
    else
        m_aggregator.advance(ms);
    if (!final && m_backlog->load() >= kMaxBacklog)
        return; // the receiver is behind: keep collecting (bounded) instead of queueing
    const bool totalsChanged = m_aggregator.totals() != m_lastDeliveredTotals;
    if (!final && !m_aggregator.hasOutput() && !totalsChanged)
        return;
    ProbeAggregator::Output out = m_aggregator.take();
    ProbeBatch batch;
    batch.run = m_run;
    batch.buckets = std::move(out.buckets);
    batch.results = std::move(out.results);
    batch.totals = out.totals;
    batch.final = final;
    m_lastDeliveredTotals = out.totals;
    m_backlog->fetch_add(1);
    m_deliver(std::move(batch));
}

} // namespace rollscope::probe::detail
