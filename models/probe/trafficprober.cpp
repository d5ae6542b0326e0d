// SPDX-License-Identifier: MIT
#include "probe/trafficprober.h"

#include "kube/apiclient.h"
#include "kube/apierror.h"
#include "probe/probeworker.h"
#include "probe/targets.h"

#include <QUrlQuery>

namespace rollscope::probe {

using detail::ProbeBatch;
using detail::ProbeWorker;

QString ProbeOptions::validationError() const
{
    if (!(rate >= kMinRate && rate <= kMaxRate))
        return TrafficProberText::tr("The rate must be between %1 and %2 requests per second.")
            .arg(kMinRate)
            .arg(kMaxRate);
    if (concurrency < 1 || concurrency > kMaxConcurrency)
        return TrafficProberText::tr("The concurrency must be between 1 and %1.")
            .arg(kMaxConcurrency);
    if (timeout.count() < 10 || timeout.count() > 120'000)
        return TrafficProberText::tr("The timeout must be between 10 ms and 120 s.");
    if (holdUnresolved.count() < 0 || holdUnresolved.count() > 60'000)
        return TrafficProberText::tr("The hold for unknown pods must be between 0 and 60 s.");
    if (const QString error = attribution.validationError(); !error.isEmpty())
        return error;
    if (!path.isEmpty() && !path.startsWith(u'/'))
        return TrafficProberText::tr("The path must start with \"/\".");
    switch (target.kind) {
    case ProbeTarget::Kind::ServiceProxy:
        if (target.serviceName.isEmpty() || target.serviceNamespace.isEmpty())
            return TrafficProberText::tr("Choose the Service to reach through the API server.");
        break;
    case ProbeTarget::Kind::LoadBalancer:
    case ProbeTarget::Kind::NodePort:
    case ProbeTarget::Kind::Url: {
        const QString scheme = target.url.scheme();
        if (!target.url.isValid() || target.url.host().isEmpty() ||
            (scheme != u"http" && scheme != u"https"))
            return TrafficProberText::tr(
                "Choose where to send the requests: a Service address or a URL.");
        break;
    }
    }
    return {};
}

QString ProbeOptions::requestPath() const
{
    if (!path.isEmpty())
        return path;
    QString own = target.url.path(QUrl::FullyEncoded);
    if (own.isEmpty())
        own = QStringLiteral("/");
    if (target.url.hasQuery())
        own += u'?' + target.url.query(QUrl::FullyEncoded);
    return own;
}

TrafficProber::TrafficProber(QObject *parent)
    : QObject(parent)
    , m_backlog(std::make_shared<std::atomic<int>>(0))
{
    qRegisterMetaType<ProbeBucket>();
    qRegisterMetaType<ProbeResult>();
    qRegisterMetaType<ProbeTotals>();
    qRegisterMetaType<QList<ProbeBucket>>();
    qRegisterMetaType<QList<ProbeResult>>();

    // The worker posts to this object; posting is safe until the destructor's blocking
    // shutdown() returns, after which the worker posts nothing.
    auto post = [this](ProbeBatch batch) {
        QMetaObject::invokeMethod(
            this, [this, batch = std::move(batch)] { deliver(batch); }, Qt::QueuedConnection);
    };
    auto send = [this](quint64 run, quint64 id) {
        QMetaObject::invokeMethod(
            this, [this, run, id] { sendProxied(run, id); }, Qt::QueuedConnection);
    };
    m_worker = new ProbeWorker(post, send, m_backlog);
    m_thread.setObjectName(QStringLiteral("rollscope-prober"));
    m_worker->moveToThread(&m_thread);
    m_podVersionsTimer.setSingleShot(true);
    m_podVersionsTimer.setInterval(kPodVersionsIntervalMs);
    connect(&m_podVersionsTimer, &QTimer::timeout, this, [this] {
        if (m_podVersionsPending)
            sendPodVersions();
    });
    // Deleted on its own thread, with its timers and sockets, when the thread ends.
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

TrafficProber::~TrafficProber()
{
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker] { worker->shutdown(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void TrafficProber::setApiClient(kube::ApiClient *client)
{
    m_client = client;
}

VoidResult TrafficProber::setOptions(const ProbeOptions &options)
{
    if (const QString error = options.validationError(); !error.isEmpty())
        return Error::make(Error::Kind::Usage, error);
    if (m_state != State::Stopped && options.target.kind == ProbeTarget::Kind::ServiceProxy &&
        !m_client)
        return Error::make(
            Error::Kind::Usage,
            TrafficProberText::tr("The API server proxy needs a connection to the cluster."));
    m_options = options;
    if (m_state != State::Stopped) {
        ProbeWorker *worker = m_worker;
        QMetaObject::invokeMethod(worker, [worker, options] { worker->apply(options); });
    }
    return Done{};
}

VoidResult TrafficProber::start()
{
    if (m_state == State::Running)
        return Done{};
    if (m_state == State::Stopping)
        return Error::make(
            Error::Kind::Usage,
            TrafficProberText::tr("The prober is still finishing its last requests; start it "
                                  "again in a moment."));
    if (const QString error = m_options.validationError(); !error.isEmpty())
        return Error::make(Error::Kind::Usage, error);
    if (m_options.target.kind == ProbeTarget::Kind::ServiceProxy && !m_client)
        return Error::make(
            Error::Kind::Usage,
            TrafficProberText::tr("The API server proxy needs a connection to the cluster."));
    const quint64 run = ++m_run;
    m_totals = {};
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, run, options = m_options, pods = m_podVersions, aliases = m_aliases] {
            worker->start(run, options, pods, aliases);
        });
    setState(State::Running);
    emit totalsChanged(m_totals);
    return Done{};
}

void TrafficProber::stop()
{
    if (m_state != State::Running)
        return;
    if (m_podVersionsPending)
        sendPodVersions(); // the requests still in flight are attributed with the latest
    setState(State::Stopping);
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker] { worker->stop(); });
}

void TrafficProber::setPodVersions(const QHash<QString, QString> &podVersions)
{
    m_podVersions = podVersions;
    if (m_podVersionsTimer.isActive()) {
        m_podVersionsPending = true;
        return;
    }
    sendPodVersions();
}

void TrafficProber::sendPodVersions()
{
    m_podVersionsPending = false;
    m_podVersionsTimer.start();
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        worker, [worker, podVersions = m_podVersions] { worker->setPodVersions(podVersions); });
}

void TrafficProber::setVersionAliases(const QHash<QString, QString> &aliases)
{
    m_aliases = aliases;
    ProbeWorker *worker = m_worker;
    QMetaObject::invokeMethod(worker, [worker, aliases] { worker->setVersionAliases(aliases); });
}

void TrafficProber::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void TrafficProber::deliver(const ProbeBatch &batch)
{
    m_backlog->fetch_sub(1);
    if (batch.run != m_run)
        return; // a run that was replaced
    const bool totalsChanged = batch.totals != m_totals;
    m_totals = batch.totals;
    if (!batch.buckets.isEmpty())
        emit bucketsReady(batch.buckets);
    if (!batch.results.isEmpty())
        emit resultsReady(batch.results);
    if (totalsChanged)
        emit this->totalsChanged(m_totals);
    if (batch.final)
        setState(State::Stopped);
}

void TrafficProber::sendProxied(quint64 run, quint64 id)
{
    ProbeWorker *worker = m_worker;
    auto reply = [worker, run, id](Exchange exchange) {
        QMetaObject::invokeMethod(worker, [worker, run, id, exchange = std::move(exchange)] {
            worker->proxyFinished(run, id, exchange);
        });
    };
    if (run != m_run)
        return;
    if (!m_client) {
        Exchange lost;
        lost.failure = FailureClass::Other;
        reply(lost);
        return;
    }
    const QString full = m_options.requestPath();
    const qsizetype question = full.indexOf(u'?');
    const QString path = question < 0 ? full : full.first(question);
    const QUrlQuery query(question < 0 ? QString() : full.sliced(question + 1));
    kube::ApiRequest request =
        kube::ApiRequest::get(serviceProxyPath(m_options.target, path), query);
    request.accept = QByteArrayLiteral("*/*");
    request.timeout = m_options.timeout;
    m_client->send(request, this, [reply](Result<kube::ApiResponse> response) {
        reply(exchangeFromProxy(response));
    });
}

Exchange TrafficProber::exchangeFromProxy(const Result<kube::ApiResponse> &response)
{
    Exchange exchange;
    if (response.ok()) {
        exchange.httpStatus = response->status;
        exchange.failure = classifyStatus(response->status);
        exchange.evidence.body =
            response->body.first(qMin(response->body.size(), ResponseReader::kMaxKeptBody));
        exchange.evidence.headers = response->headers;
        return exchange;
    }
    const Error &error = response.error();
    if (error.httpStatus == 0) {
        exchange.failure =
            error.kind == Error::Kind::Timeout ? FailureClass::Timeout : FailureClass::Other;
        return exchange;
    }
    const QString message = kube::serverMessage(error);
    exchange.httpStatus = error.httpStatus;
    exchange.failure = classifyStatus(error.httpStatus);
    if (!exchange.failure)
        exchange.failure = FailureClass::Other;
    // The API server's own Status (reason ServiceUnavailable), not the app's 503.
    if (error.httpStatus == 503 && error.reason == u"ServiceUnavailable") {
        if (message.contains(u"no endpoints available")) {
            exchange.failure = FailureClass::NoEndpoints;
        } else if (message.contains(u"error trying to reach service")) {
            if (message.contains(u"connection refused")) {
                exchange.failure = FailureClass::Refused;
                exchange.httpStatus = 0;
            } else if (message.contains(u"reset")) {
                exchange.failure = FailureClass::Reset;
                exchange.httpStatus = 0;
            }
        }
        return exchange;
    }
    // The app's error answer: its text may still name the pod.
    exchange.evidence.body = message.toUtf8();
    return exchange;
}

} // namespace rollscope::probe
