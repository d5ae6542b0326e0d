#include "timelineviewer.h"

#include "podschart.h"
#include "responseschart.h"
#include "timeline/exporters.h"

#include <QBuffer>
#include <QDateTime>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace rollscope {

QList<rollout::PodCountSample> TimelineViewer::podSamples(const timeline::Timeline &t)
{
    QList<rollout::PodCountSample> samples;
    samples.reserve(t.samples.size());
    for (const timeline::TimelineSample &s : t.samples) {
        if (s.pods.isEmpty())
            continue;
        rollout::PodCountSample sample;
        sample.timeMs = t.startedAtMs + s.tMs;
        sample.desired = s.desired;
        sample.maxTotal = s.maxTotal;
        sample.minAvailable = s.minAvailable;
        for (auto it = s.pods.cbegin(); it != s.pods.cend(); ++it)
            sample.versions << rollout::VersionPods{it.key(), it->total, it->ready, it->available,
                                                    0};
        samples << sample;
    }
    return samples;
}

QList<probe::ProbeBucket> TimelineViewer::probeBuckets(const timeline::Timeline &t)
{
    QList<probe::ProbeBucket> buckets;
    buckets.reserve(t.samples.size());
    for (const timeline::TimelineSample &s : t.samples) {
        probe::ProbeBucket bucket;
        bucket.durationMs = t.sampleIntervalMs;
        // A sample covers the interval that ends at its t.
        bucket.startMs = t.startedAtMs + s.tMs - t.sampleIntervalMs;
        bucket.responsesByVersion = s.responses;
        bucket.failures = s.failures;
        buckets << bucket;
    }
    return buckets;
}

TimelineViewer::TimelineViewer(timeline::Timeline t, QWidget *parent)
    : QMainWindow(parent)
    , m_timeline(std::move(t))
    , m_summary(new QLabel(this))
    , m_pods(new PodsChart(this))
    , m_responses(new ResponsesChart(this))
    , m_events(new QTableWidget(this))
{
    setAttribute(Qt::WA_DeleteOnClose);
    setObjectName(QStringLiteral("TimelineViewer"));
    const QDateTime started = QDateTime::fromMSecsSinceEpoch(m_timeline.startedAtMs);
    setWindowTitle(tr("Rollout of %1/%2 at %3 — Rollscope")
                       .arg(m_timeline.ns, m_timeline.name,
                            QLocale().toString(started, QLocale::ShortFormat)));

    const timeline::Summary &s = m_timeline.summary;
    QString text = tr("<p><b>%1</b></p>").arg(s.verdict.toHtmlEscaped());
    text +=
        tr("<p>%1 → %2 · %3 s · %4 requests, %5 failed · at most %6 pods (allowed %7) · at "
           "least %8 available (required %9)%10</p>")
            .arg(m_timeline.change.from.toHtmlEscaped(), m_timeline.change.to.toHtmlEscaped())
            .arg(s.durationMs / 1000.0, 0, 'f', 1)
            .arg(s.requests)
            .arg(s.failedRequests)
            .arg(s.maxPods)
            .arg(s.maxPodsAllowed)
            .arg(s.minAvailable)
            .arg(s.minAvailableRequired)
            .arg(m_timeline.interrupted ? tr(" · <i>the recording was cut off</i>") : QString());
    m_summary->setText(text);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    for (auto *chart : {static_cast<QWidget *>(m_pods), static_cast<QWidget *>(m_responses)})
        chart->setMinimumSize(360, 240);
    m_pods->setLive(false);
    m_pods->setOrigin(m_timeline.startedAtMs);
    m_pods->setVersions(m_timeline.versions);
    m_pods->appendSamples(podSamples(m_timeline));
    m_responses->setOrigin(m_timeline.startedAtMs);
    m_responses->setVersions(m_timeline.versions);
    m_responses->appendBuckets(probeBuckets(m_timeline));
    const double span = qMax(60.0, double(m_timeline.summary.durationMs) / 1000.0 * 1.05);
    m_pods->setTimeRange(span);
    m_responses->setTimeRange(span);

    m_events->setColumnCount(4);
    m_events->setHorizontalHeaderLabels({tr("t (s)"), tr("Type"), tr("Object"), tr("Message")});
    m_events->setRowCount(int(m_timeline.events.size()));
    for (int row = 0; row < m_timeline.events.size(); ++row) {
        const timeline::TimelineEvent &e = m_timeline.events.at(row);
        const QStringList cells{QString::number(e.tMs / 1000.0, 'f', 1), e.type, e.object,
                                e.message};
        for (int c = 0; c < cells.size(); ++c)
            m_events->setItem(row, c, new QTableWidgetItem(cells.at(c)));
    }
    m_events->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_events->verticalHeader()->hide();
    m_events->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_events->horizontalHeader()->setStretchLastSection(true);

    auto *charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_pods);
    charts->addWidget(m_responses);
    auto *vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(charts);
    vertical->addWidget(m_events);
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->addWidget(m_summary);
    layout->addWidget(vertical, 1);
    setCentralWidget(central);

    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Export…"), this, &TimelineViewer::exportAs)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    file->addAction(tr("&Close"), this, &QWidget::close)
        ->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_W));
    resize(1280, 820);
}

QImage TimelineViewer::renderCharts(const QSize &size) const
{
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(palette().color(QPalette::Base));
    QPainter painter(&image);
    const int half = size.width() / 2;
    for (int i = 0; i < 2; ++i) {
        QWidget *chart =
            i == 0 ? static_cast<QWidget *>(m_pods) : static_cast<QWidget *>(m_responses);
        const QSize old = chart->size();
        chart->resize(half, size.height());
        chart->render(&painter, QPoint(i * half, 0));
        chart->resize(old);
    }
    return image;
}

void TimelineViewer::exportAs()
{
    exportTimelineWithDialog(this, m_timeline, [this] { return renderCharts(); });
}

void exportTimelineWithDialog(QWidget *parent, const timeline::Timeline &t,
                              const std::function<QImage()> &charts)
{
    const QString base = QStringLiteral("%1-%2-%3")
                             .arg(t.ns, t.name,
                                  QDateTime::fromMSecsSinceEpoch(t.startedAtMs)
                                      .toString(QStringLiteral("yyyyMMdd-HHmmss")));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export timeline"), dir + u'/' + base + QStringLiteral(".html"),
        QObject::tr("HTML report (*.html);;JSON timeline (*.json);;CSV samples (*.csv);;PNG "
                    "charts (*.png)"),
        &selected);
    if (path.isEmpty())
        return;
    const bool png = path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive);
    const auto format = timeline::TimelineExport::formatForPath(path);
    if (!png && !format) {
        QMessageBox::warning(parent, QObject::tr("Export timeline"),
                             QObject::tr("Choose a file name ending in .html, .json, .csv or "
                                         ".png."));
        return;
    }
    // The charts are widgets and render here; encoding, rendering the report and writing the
    // file happen on a worker thread, so a long recording never freezes the window.
    const QImage image = png ? charts() : QImage();
    auto *watcher = new QFutureWatcher<VoidResult>(parent);
    QObject::connect(watcher, &QFutureWatcher<VoidResult>::finished, parent,
                     [watcher, parent, path] {
                         const VoidResult written = watcher->result();
                         watcher->deleteLater();
                         if (!written)
                             QMessageBox::warning(parent, QObject::tr("Export timeline"),
                                                  written.error().message);
                     });
    watcher->setFuture(QtConcurrent::run([t, path, image, png, format]() -> VoidResult {
        QByteArray data;
        if (png) {
            QBuffer buffer(&data);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "PNG");
        } else {
            data = timeline::TimelineExport::render(t, *format);
        }
        return timeline::TimelineExport::write(path, data);
    }));
}

} // namespace rollscope
