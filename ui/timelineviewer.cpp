// SPDX-License-Identifier: MIT
#include "timelineviewer.h"

#include "charttimeaxis.h"
#include "common/appsettings.h"
#include "podschart.h"
#include "responseschart.h"
#include "timeline/exporters.h"

#include <QBuffer>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetrics>
#include <QFutureWatcher>
#include <QHeaderView>
#include <QLabel>
#include <QMainWindow>
#include <QMenuBar>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace rollscope {

namespace {

// A stretch of a (corrupt) timeline longer than this is held at it: ProbeBucket counts in qint32.
constexpr qint64 kMaxBucketMs = std::numeric_limits<qint32>::max();

} // namespace

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
    for (qsizetype i = 1; i < t.samples.size(); ++i) {
        const timeline::TimelineSample &s = t.samples.at(i);
        const qint64 start = t.samples.at(i - 1).tMs;
        probe::ProbeBucket bucket;
        // A sample covers the interval since the previous one. The last ends at the outcome,
        // so it can be shorter than the interval: dated a full interval earlier it would
        // overlap the one before and be counted in the wrong bin.
        bucket.startMs = t.startedAtMs + start;
        bucket.durationMs = qint32(std::clamp<qint64>(s.tMs - start, 0, kMaxBucketMs));
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
    // Both charts zoom and pan together; fill() fits the axis to the recording.
    auto *axis = new ChartTimeAxis(this);
    m_pods->setTimeAxis(axis);
    m_responses->setTimeAxis(axis);
    TimelineImage::fill(m_timeline, m_pods, m_responses);

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

void TimelineViewer::exportAs()
{
    exportTimelineWithDialog(this, m_timeline);
}

QString TimelineImage::title(const timeline::Timeline &t)
{
    const QString change = timeline::TimelineText::change(t.change.from, t.change.to);
    const QString deployment = t.ns + u'/' + t.name;
    if (change.isEmpty())
        return tr("%1 · %2").arg(deployment, t.summary.verdict);
    return tr("%1 · %2 · %3").arg(deployment, change, t.summary.verdict);
}

double TimelineImage::spanSeconds(const timeline::Timeline &t)
{
    const qint64 last = t.samples.isEmpty() ? 0 : t.samples.last().tMs;
    return double(std::max({last, t.durationMs(), qint64(1)})) / 1000.0;
}

void TimelineImage::fill(const timeline::Timeline &t, PodsChart *pods, ResponsesChart *responses)
{
    pods->setLive(false);
    pods->setOrigin(t.startedAtMs);
    pods->setVersions(t.versions);
    pods->appendSamples(TimelineViewer::podSamples(t));
    responses->setOrigin(t.startedAtMs);
    responses->setVersions(t.versions);
    responses->appendBuckets(TimelineViewer::probeBuckets(t));
    const double span = spanSeconds(t);
    // The data ends there: the last bin's rate is over the time it covers, not a whole bin.
    responses->setEndMs(t.startedAtMs + qint64(std::llround(span * 1000)));
    pods->setTimeRange(span);
    responses->setTimeRange(span);
}

void TimelineImage::render(const timeline::Timeline &t, QObject *context,
                           const std::function<void(const QImage &)> &done, const QSize &size)
{
    // Hidden widgets: render() lays them out at the size asked for without showing them.
    auto *holder = new QWidget;
    holder->setAttribute(Qt::WA_DontShowOnScreen);
    auto *pods = new PodsChart(holder);
    auto *responses = new ResponsesChart(holder);
    fill(t, pods, responses);
    const QString text = title(t);
    auto drawn = std::make_shared<int>(0);
    const auto draw = [holder, pods, responses, drawn, done, size, text] {
        if (++*drawn != 2)
            return;
        QImage image(size, QImage::Format_ARGB32_Premultiplied);
        image.fill(holder->palette().color(QPalette::Base));
        QPainter painter(&image);
        QFont font = holder->font();
        font.setPointSizeF(font.pointSizeF() * 1.4);
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(holder->palette().color(QPalette::Text));
        const int titleHeight = QFontMetrics(font).height() * 2;
        painter.drawText(QRect(16, 0, size.width() - 32, titleHeight),
                         Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine, text);
        const int half = size.width() / 2;
        const int height = std::max(1, size.height() - titleHeight);
        int i = 0;
        for (QWidget *chart : {static_cast<QWidget *>(pods), static_cast<QWidget *>(responses)}) {
            chart->resize(half, height);
            chart->render(&painter, QPoint(i++ * half, titleHeight));
        }
        painter.end();
        holder->deleteLater();
        done(image);
    };
    // Each chart signals its first redraw, which holds all the data appended above.
    QObject::connect(pods, &PodsChart::dataSpanChanged, context ? context : holder, draw,
                     Qt::SingleShotConnection);
    QObject::connect(responses, &ResponsesChart::dataSpanChanged, context ? context : holder, draw,
                     Qt::SingleShotConnection);
    // The context going away takes the charts with it.
    if (context)
        QObject::connect(context, &QObject::destroyed, holder, &QObject::deleteLater);
}

void exportTimelineWithDialog(QWidget *parent, const timeline::Timeline &t)
{
    const QString base = QStringLiteral("%1-%2-%3")
                             .arg(t.ns, t.name,
                                  QDateTime::fromMSecsSinceEpoch(t.startedAtMs)
                                      .toString(QStringLiteral("yyyyMMdd-HHmmss")));
    QString dir = AppSettings().lastFolder(QStringLiteral("export"));
    if (dir.isEmpty() || !QFileInfo(dir).isDir())
        dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString selected;
    const QString path = QFileDialog::getSaveFileName(
        parent, QObject::tr("Export timeline"), dir + u'/' + base + QStringLiteral(".html"),
        QObject::tr("HTML report (*.html);;JSON timeline (*.json);;CSV samples (*.csv);;PNG "
                    "charts (*.png)"),
        &selected);
    if (path.isEmpty())
        return;
    AppSettings().setLastFolder(QStringLiteral("export"), QFileInfo(path).absolutePath());
    const bool png = path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive);
    const auto format = timeline::TimelineExport::formatForPath(path);
    if (!png && !format) {
        QMessageBox::warning(parent, QObject::tr("Export timeline"),
                             QObject::tr("Choose a file name ending in .html, .json, .csv or "
                                         ".png."));
        return;
    }
    // Encoding, rendering the report and writing the file happen on a worker thread, so a long
    // recording never freezes the window.
    const auto write = [parent, t, path, png, format](const QImage &image) {
        auto *watcher = new QFutureWatcher<VoidResult>(parent);
        QObject::connect(watcher, &QFutureWatcher<VoidResult>::finished, parent,
                         [watcher, parent, path] {
                             const VoidResult written = watcher->result();
                             watcher->deleteLater();
                             if (!written)
                                 QMessageBox::warning(parent, QObject::tr("Export timeline"),
                                                      written.error().message);
                             else
                                 showExported(parent, path);
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
    };
    // The charts are widgets: they draw here, on the GUI thread, once their redraw timer fired.
    if (png)
        TimelineImage::render(t, parent, write);
    else
        write(QImage());
}

void showExported(QWidget *parent, const QString &path)
{
    const QString folder = QFileInfo(path).absolutePath();
    const QString text = QObject::tr("Timeline exported to %1").arg(QDir::toNativeSeparators(path));
    const auto openFolder = [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); };
    if (auto *window = qobject_cast<QMainWindow *>(parent->window())) {
        QStatusBar *bar = window->statusBar();
        auto *button = bar->findChild<QPushButton *>(QStringLiteral("openExportFolder"));
        if (!button) {
            button = new QPushButton(QObject::tr("Open Folder"), bar);
            button->setObjectName(QStringLiteral("openExportFolder"));
            button->setFlat(true);
            bar->addWidget(button);
            // The button belongs to the message: it goes when the message does.
            QObject::connect(bar, &QStatusBar::messageChanged, button,
                             [button](const QString &message) {
                                 if (message.isEmpty())
                                     button->hide();
                             });
        }
        QObject::disconnect(button, &QPushButton::clicked, nullptr, nullptr);
        QObject::connect(button, &QPushButton::clicked, button, openFolder);
        bar->showMessage(text, 20'000);
        button->setToolTip(QDir::toNativeSeparators(folder));
        button->show();
        return;
    }
    QMessageBox box(QMessageBox::Information, QObject::tr("Export timeline"), text,
                    QMessageBox::Close, parent);
    box.setObjectName(QStringLiteral("exportedNotice"));
    box.setTextFormat(Qt::PlainText);
    QPushButton *open = box.addButton(QObject::tr("Open Folder"), QMessageBox::ActionRole);
    box.exec();
    if (box.clickedButton() == open)
        openFolder();
}

} // namespace rollscope
