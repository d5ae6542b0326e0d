// SPDX-License-Identifier: MIT
#include "kube/informer.h"

#include <QRandomGenerator>
#include <QTimer>

namespace rollscope::kube {

namespace {

QString secondsText(std::chrono::milliseconds ms)
{
    const double s = static_cast<double>(ms.count()) / 1000.0;
    return QString::number(s, 'f', s < 10 ? 1 : 0);
}

} // namespace

Informer::Informer(ApiClient *client, const ResourceKind &kind, InformerOptions options,
                   QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_kind(kind)
    , m_options(std::move(options))
    , m_retryTimer(new QTimer(this))
{
    m_retryTimer->setSingleShot(true);
    if (!m_kind.namespaced)
        m_options.ns.clear();
}

Informer::~Informer()
{
    ++m_generation;
    delete m_watch.data();
}

void Informer::start()
{
    if (m_running)
        return;
    m_running = true;
    ++m_generation;
    list(m_lastSyncResourceVersion.isEmpty() ? ListMode::Initial : ListMode::Resync);
}

void Informer::stop()
{
    if (!m_running)
        return;
    m_running = false;
    ++m_generation; // outstanding list answers are ignored
    m_retryTimer->stop();
    delete m_watch.data();
    setState(InformerStatus::State::Stopped, InformerText::tr("Stopped."));
}

QString Informer::describe() const
{
    QString text = m_kind.plural;
    text += m_options.ns.isEmpty() ? QStringLiteral(" (all namespaces)")
                                   : QStringLiteral(" in ") + m_options.ns;
    if (!m_options.labelSelector.isEmpty())
        text += QStringLiteral(" [") + m_options.labelSelector + u']';
    if (!m_options.fieldSelector.isEmpty())
        text += QStringLiteral(" [") + m_options.fieldSelector + u']';
    return text;
}

void Informer::log(int level, const QString &line) const
{
    if (m_client)
        m_client->log(level, QStringLiteral("informer %1: %2").arg(describe(), line));
}

void Informer::setState(InformerStatus::State state, const QString &message,
                        std::optional<Error> error)
{
    m_status.state = state;
    m_status.message = message;
    m_status.error = std::move(error);
    if (state != InformerStatus::State::WaitingToRetry)
        m_status.retryAt = QDateTime();
    emit statusChanged(m_status);
}

void Informer::list(ListMode mode)
{
    if (!m_running || !m_client)
        return;
    ListOptions options;
    options.ns = m_options.ns;
    options.labelSelector = m_options.labelSelector;
    options.fieldSelector = m_options.fieldSelector;
    if (mode == ListMode::Resync) {
        options.resourceVersion = m_lastSyncResourceVersion;
        options.limit = 0;
    } else {
        options.limit = m_options.pageSize;
    }
    ++m_listCount;
    log(4, InformerText::tr("listing (resourceVersion \"%1\", limit %2)")
               .arg(options.resourceVersion, QString::number(options.limit)));
    setState(InformerStatus::State::Listing,
             m_status.synced ? InformerText::tr("Reloading %1...").arg(m_kind.plural)
                             : InformerText::tr("Loading %1...").arg(m_kind.plural));
    const quint64 generation = m_generation;
    options.sink = listSink();
    m_client->listAll(m_kind, options, this,
                      [this, generation, mode, sink = options.sink](Result<ListResult> result) {
                          if (generation != m_generation)
                              return;
                          onListed(mode, sink, std::move(result));
                      });
}

void Informer::onListed(ListMode mode, std::shared_ptr<ListSink> sink, Result<ListResult> result)
{
    if (!result) {
        if (result.error().kind == Error::Kind::Expired && mode == ListMode::Resync) {
            // The last synced RV is too old even for a list: read the current state.
            log(4, InformerText::tr("resourceVersion %1 expired for the list too; listing afresh")
                       .arg(m_lastSyncResourceVersion));
            list(ListMode::Fresh);
            return;
        }
        retryAfterBackoff(result.error(), true, QStringLiteral("list"));
        return;
    }
    const quint64 generation = m_generation;
    const QString resourceVersion = result->resourceVersion;
    const qsizetype count = result->itemCount;
    const int pages = result->pages;
    replaceAll(
        std::move(sink), [this, generation] { return generation == m_generation && m_running; },
        [this, resourceVersion, count, pages] {
            m_lastSyncResourceVersion = resourceVersion;
            log(4, InformerText::tr("listed %1 items in %2 pages at resourceVersion %3")
                       .arg(QString::number(count), QString::number(pages), resourceVersion));
            const bool wasSynced = m_status.synced;
            m_status.synced = true;
            if (!wasSynced)
                emit syncedChanged(true);
            emit resynced();
            if (m_running)
                startWatch();
        });
}

void Informer::startWatch()
{
    if (!m_running || !m_client)
        return;
    delete m_watch.data();
    QUrlQuery query;
    if (!m_options.labelSelector.isEmpty())
        query.addQueryItem(QStringLiteral("labelSelector"), m_options.labelSelector);
    if (!m_options.fieldSelector.isEmpty())
        query.addQueryItem(QStringLiteral("fieldSelector"), m_options.fieldSelector);
    query.addQueryItem(QStringLiteral("allowWatchBookmarks"), QStringLiteral("true"));
    query.addQueryItem(QStringLiteral("resourceVersion"), m_lastSyncResourceVersion);
    const int low = m_options.watchTimeoutMinSeconds;
    const int high = std::max(low, m_options.watchTimeoutMaxSeconds);
    query.addQueryItem(QStringLiteral("timeoutSeconds"),
                       QString::number(QRandomGenerator::global()->bounded(low, high + 1)));
    query.addQueryItem(QStringLiteral("watch"), QStringLiteral("true"));
    ++m_watchCount;
    Watch *watch =
        m_client->watch(ApiRequest::get(m_kind.collectionPath(m_options.ns), query), this);
    watch->setKeepLines(decodesWatchLines());
    watch->setObjectDecoder(watchObjectDecoder());
    m_watch = watch;
    connect(watch, &Watch::opened, this, [this] {
        setState(InformerStatus::State::Watching,
                 InformerText::tr("Up to date; watching for changes."));
    });
    connect(watch, &Watch::eventsReceived, this, &Informer::onWatchEvents);
    connect(watch, &Watch::finished, this, &Informer::onWatchFinished);
}

void Informer::onWatchEvents(const QList<WatchEvent> &events)
{
    const QPointer<Informer> alive(this); // a handler may delete this informer
    for (const WatchEvent &event : events) {
        const QString rv = event.resourceVersion();
        if (event.type != WatchEvent::Type::Bookmark)
            apply(event);
        if (!alive)
            return;
        if (!rv.isEmpty())
            m_lastSyncResourceVersion = rv;
    }
}

void Informer::onWatchFinished(const WatchEnd &end)
{
    if (m_watch)
        m_watch->deleteLater();
    m_watch = nullptr;
    if (!m_running)
        return;

    const bool healthy =
        end.opened && (end.events > 0 || end.durationMs >= m_options.shortWatch.count());
    if (end.error && end.error->kind == Error::Kind::Expired) {
        log(4, InformerText::tr("watch from resourceVersion %1 expired: %2")
                   .arg(m_lastSyncResourceVersion, end.error->message));
        // Relist at once, as the reflector does; only 410s in quick succession (a server that
        // keeps expiring what it just listed) wait for the backoff.
        const bool repeated = m_sinceExpiredRelist.isValid() &&
                              m_sinceExpiredRelist.elapsed() < m_options.shortWatch.count() &&
                              !healthy;
        if (!repeated) {
            m_sinceExpiredRelist.start();
            list(ListMode::Resync);
            return;
        }
        retryAfterBackoff(*end.error, true, QStringLiteral("watch"));
        return;
    }

    const bool connectionProblem = end.error && (end.error->kind == Error::Kind::Network ||
                                                 end.error->kind == Error::Kind::Timeout);
    if (!end.opened && end.error &&
        (connectionProblem || end.error->kind == Error::Kind::TooManyRequests)) {
        // client-go waits and watches again from the same RV (refused, 429): nothing was lost.
        retryAfterBackoff(*end.error, false, QStringLiteral("watch"));
        return;
    }
    if (!end.error || connectionProblem) {
        if (!healthy) {
            Error shortWatch = end.error.value_or(Error::make(
                Error::Kind::Network,
                InformerText::tr(
                    "The watch of %1 ended after %2 ms without events (very short watch).")
                    .arg(m_kind.plural)
                    .arg(end.durationMs)));
            retryAfterBackoff(shortWatch, true, QStringLiteral("watch"));
            return;
        }
        // Timed out, ended by the server, or cut while healthy: resume, nothing is relisted.
        log(4, InformerText::tr(
                   "watch closed after %1 ms and %2 events; resuming from resourceVersion %3")
                   .arg(QString::number(end.durationMs), QString::number(end.events),
                        m_lastSyncResourceVersion));
        startWatch();
        return;
    }
    retryAfterBackoff(*end.error, true, QStringLiteral("watch"));
}

void Informer::retryAfterBackoff(const Error &error, bool relist, const QString &operation)
{
    using namespace std::chrono;
    // Reset after a quiet spell, as client-go's backoff manager does.
    if (m_sinceBackoff.isValid() && m_sinceBackoff.elapsed() >= m_options.backoffReset.count())
        m_backoff = milliseconds(0);
    m_backoff = m_backoff.count() == 0 ? m_options.backoffInitial
                                       : std::min(m_backoff * 2, m_options.backoffMax);
    // A little jitter so informers that failed together do not retry in lockstep.
    const auto jitter = milliseconds(
        QRandomGenerator::global()->bounded(static_cast<int>(m_backoff.count() / 10) + 1));
    const milliseconds delay = m_backoff + jitter;
    m_sinceBackoff.start();

    const bool connection =
        error.kind == Error::Kind::Network || error.kind == Error::Kind::Timeout;
    const QString message =
        connection
            ? InformerText::tr("Connection lost; retrying in %1 s.").arg(secondsText(delay))
            : InformerText::tr("%1 Retrying in %2 s.").arg(error.message, secondsText(delay));
    log(4, message);
    InformerError failure;
    failure.operation = operation;
    failure.resource = m_kind.plural;
    failure.kind = m_kind.kind;
    failure.version = m_kind.apiVersion();
    failure.error = error;
    m_status.lastError = failure;
    m_status.retryAt = QDateTime::currentDateTimeUtc().addMSecs(delay.count());
    setState(InformerStatus::State::WaitingToRetry, message, error);

    m_retryTimer->disconnect(this);
    const quint64 generation = m_generation;
    connect(m_retryTimer, &QTimer::timeout, this, [this, generation, relist] {
        if (generation != m_generation || !m_running)
            return;
        if (relist)
            list(m_lastSyncResourceVersion.isEmpty() ? ListMode::Initial : ListMode::Resync);
        else
            startWatch();
    });
    m_retryTimer->start(delay);
    // Last: a receiver may stop or delete this informer.
    if (m_client)
        m_client->reportInformerError(failure);
    emit errorOccurred(failure);
}

// --- InformerErrorReporter -----------------------------------------------------------------------

InformerErrorReporter::InformerErrorReporter(ApiClient *client,
                                             std::chrono::milliseconds unreachableBound,
                                             QObject *parent)
    : QObject(parent)
    , m_client(client)
    , m_unreachableBound(unreachableBound)
    , m_unreachableTimer(new QTimer(this))
{
    m_unreachableTimer->setSingleShot(true);
    connect(m_unreachableTimer, &QTimer::timeout, this, &InformerErrorReporter::checkUnreachable);
    if (client)
        connect(client, &ApiClient::informerError, this, &InformerErrorReporter::onError);
}

void InformerErrorReporter::onError(const InformerError &error)
{
    if (m_gaveUp)
        return;
    const QString key = error.resource + u' ' + error.operation;
    const QString line = error.text();
    if (m_lastLine.value(key) != line) {
        m_lastLine.insert(key, line);
        emit report(line);
    }
    switch (error.error.kind) {
    case Error::Kind::Unauthorized:
    case Error::Kind::Forbidden:
        giveUp(error.error);
        return;
    case Error::Kind::Network:
    case Error::Kind::Timeout:
        m_lastNetworkError = error.error;
        checkUnreachable();
        return;
    default:
        return;
    }
}

void InformerErrorReporter::checkUnreachable()
{
    if (m_gaveUp || !m_client)
        return;
    const qint64 down = m_client->unreachableForMs();
    if (down < 0)
        return; // it answered since
    const qint64 bound = m_unreachableBound.count();
    if (down < bound) {
        // Informers back off up to 30 s: look again when the bound is reached, not at the next
        // error.
        m_unreachableTimer->start(std::chrono::milliseconds(bound - down));
        return;
    }
    const QString last = m_lastNetworkError ? m_lastNetworkError->message : QString();
    Error error = Error::make(
        Error::Kind::Network,
        last.isEmpty() ? InformerText::tr("The API server %1 has not answered for %2 s.")
                             .arg(m_client->serverAddress(), QString::number(down / 1000))
                       : InformerText::tr("The API server %1 has not answered for %2 s: %3")
                             .arg(m_client->serverAddress(), QString::number(down / 1000), last));
    error.reason = QStringLiteral("Unreachable");
    giveUp(std::move(error));
}

void InformerErrorReporter::giveUp(Error error)
{
    if (m_gaveUp)
        return;
    m_gaveUp = true;
    m_unreachableTimer->stop();
    emit fatal(error);
}

} // namespace rollscope::kube
