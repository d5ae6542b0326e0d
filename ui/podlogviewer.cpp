// SPDX-License-Identifier: MIT
#include "podlogviewer.h"

#include "kube/apiclient.h"
#include "textfindbar.h"
#include "theme.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QStandardPaths>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QVBoxLayout>

namespace rollscope {

namespace {

constexpr int kLogViewerDefaultMaxLines = 10000;

QString logFileStem(const QString &pod, const QString &container)
{
    QString stem = container.isEmpty() ? pod : pod + u'_' + container;
    for (QChar &c : stem) {
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.'))
            c = u'_';
    }
    return stem;
}

} // namespace

PodLogViewer::PodLogViewer(kube::ApiClient *client, const QString &ns, const QString &pod,
                           const QStringList &containers, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_client(client)
    , m_ns(ns)
    , m_pod(pod)
    , m_containers(containers)
    , m_container(containers.value(0))
    , m_buffer(kLogViewerDefaultMaxLines)
{
    setObjectName(QStringLiteral("podLogViewer"));
    m_saveDirectory = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);

    m_view = new QPlainTextEdit(this);
    m_view->setObjectName(QStringLiteral("logText"));
    m_view->setReadOnly(true);
    m_view->setUndoRedoEnabled(false);
    m_view->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_view->setAccessibleName(tr("Log lines"));

    m_containerLabel = new QLabel(tr("Container:"), this);
    m_containerBox = new QComboBox(this);
    m_containerBox->setObjectName(QStringLiteral("containerBox"));
    m_containerBox->addItems(m_containers);
    m_containerLabel->setBuddy(m_containerBox);
    const bool several = m_containers.size() > 1;
    m_containerLabel->setVisible(several);
    m_containerBox->setVisible(several);

    m_follow = new QCheckBox(tr("&Follow"), this);
    m_follow->setObjectName(QStringLiteral("followBox"));
    m_follow->setToolTip(tr("Keep the newest line in view. Scrolling up turns this off."));
    m_follow->setChecked(true);
    m_wrap = new QCheckBox(tr("&Wrap lines"), this);
    m_wrap->setObjectName(QStringLiteral("wrapBox"));
    m_copy = new QPushButton(tr("&Copy"), this);
    m_copy->setObjectName(QStringLiteral("copyButton"));
    m_copy->setToolTip(tr("Copy the selection, or every line when nothing is selected"));
    m_save = new QPushButton(tr("&Save…"), this);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_reload = new QPushButton(tr("&Reload"), this);
    m_reload->setObjectName(QStringLiteral("reloadButton"));
    m_reload->setToolTip(tr("Fetch the log again and follow it"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_containerLabel);
    top->addWidget(m_containerBox);
    top->addWidget(m_follow);
    top->addWidget(m_wrap);
    top->addStretch(1);
    top->addWidget(m_reload);
    top->addWidget(m_copy);
    top->addWidget(m_save);

    m_find = new TextFindBar(m_view, this, this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_find);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_containerBox, &QComboBox::currentTextChanged, this, &PodLogViewer::setContainer);
    connect(m_follow, &QCheckBox::toggled, this, [this](bool on) {
        if (on)
            scrollToEnd();
        updateStatus();
    });
    connect(m_wrap, &QCheckBox::toggled, this, [this](bool on) {
        m_view->setLineWrapMode(on ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
        if (m_follow->isChecked())
            scrollToEnd();
    });
    connect(m_copy, &QPushButton::clicked, this, &PodLogViewer::copy);
    connect(m_save, &QPushButton::clicked, this, &PodLogViewer::save);
    connect(m_reload, &QPushButton::clicked, this, &PodLogViewer::reload);
    connect(m_view->verticalScrollBar(), &QScrollBar::valueChanged, this,
            &PodLogViewer::onScrolled);

    resize(900, 560);
    updateTitle();
    // Opened from an event handler: the stream starts once the window exists.
    QMetaObject::invokeMethod(this, &PodLogViewer::startStream, Qt::QueuedConnection);
    updateStatus();
}

PodLogViewer::~PodLogViewer()
{
    // Closes the connection; no signal reaches a half-destroyed window.
    delete m_stream;
    m_stream = nullptr;
}

void PodLogViewer::setSaveDirectory(const QString &directory)
{
    if (!directory.isEmpty())
        m_saveDirectory = directory;
}

void PodLogViewer::setMaxLines(int lines)
{
    m_buffer = kube::LogBuffer(lines);
    m_view->clear();
}

void PodLogViewer::setContainer(const QString &container)
{
    if (container == m_container)
        return;
    m_container = container;
    if (m_containerBox->currentText() != container) {
        const QSignalBlocker block(m_containerBox);
        m_containerBox->setCurrentText(container);
    }
    updateTitle();
    reload();
}

bool PodLogViewer::isFollowing() const
{
    return m_follow->isChecked();
}

void PodLogViewer::setFollowing(bool follow)
{
    m_follow->setChecked(follow);
}

bool PodLogViewer::wrapsLines() const
{
    return m_wrap->isChecked();
}

void PodLogViewer::setWrapLines(bool wrap)
{
    m_wrap->setChecked(wrap);
}

bool PodLogViewer::isStreaming() const
{
    return m_stream && m_stream->isRunning();
}

QString PodLogViewer::statusText() const
{
    return m_status->text();
}

void PodLogViewer::reload()
{
    stopStream();
    m_buffer.clear();
    m_truncated = 0;
    {
        const QScopedValueRollback<bool> guard(m_adjustingScroll, true);
        m_view->clear();
    }
    m_find->refresh();
    startStream();
}

void PodLogViewer::stopStream()
{
    if (!m_stream)
        return;
    m_stream->disconnect(this);
    m_stream->stop();
    m_stream->deleteLater();
    m_stream = nullptr;
}

void PodLogViewer::startStream()
{
    if (m_stream)
        return;
    m_ended = false;
    m_endReason.clear();
    m_view->setPlaceholderText(QString());
    m_status->setPalette(palette());
    kube::LogOptions options;
    options.container = m_container;
    options.follow = true;
    options.tailLines = m_tailLines >= 0 ? m_tailLines : m_buffer.maxLines();
    m_stream = new kube::LogStream(m_client, m_ns, m_pod, options, this);
    connect(m_stream, &kube::LogStream::linesReceived, this, &PodLogViewer::onLines);
    connect(m_stream, &kube::LogStream::opened, this, &PodLogViewer::updateStatus);
    connect(m_stream, &kube::LogStream::finished, this, &PodLogViewer::onFinished);
    m_stream->start();
    updateStatus();
}

void PodLogViewer::onLines(const QStringList &lines)
{
    if (lines.isEmpty())
        return;
    const QScopedValueRollback<bool> guard(m_adjustingScroll, true);
    QScrollBar *bar = m_view->verticalScrollBar();
    const int before = m_buffer.size();
    const int dropped = m_buffer.append(lines);
    QTextDocument *doc = m_view->document();
    if (dropped >= before) {
        // Everything shown before is gone (a batch as large as the buffer): show the buffer.
        m_view->setPlainText(m_buffer.text().chopped(1));
    } else {
        if (dropped > 0) {
            QTextCursor top(doc->firstBlock());
            top.movePosition(QTextCursor::NextBlock, QTextCursor::KeepAnchor, dropped);
            top.removeSelectedText();
        }
        QTextCursor end(doc);
        end.movePosition(QTextCursor::End);
        end.beginEditBlock();
        if (before > 0)
            end.insertBlock();
        end.insertText(lines.join(u'\n'));
        end.endEditBlock();
    }
    if (m_follow->isChecked())
        bar->setValue(bar->maximum());
    m_find->refresh();
    updateStatus();
}

void PodLogViewer::onFinished(const kube::LogEnd &end)
{
    m_ended = true;
    m_truncated = end.truncatedLines;
    if (end.error)
        m_endReason = end.error->message;
    else if (end.stopped)
        m_endReason = tr("stopped.");
    else if (m_container.isEmpty())
        m_endReason = tr("the log ended (the container stopped or the pod was deleted).");
    else
        m_endReason = tr("the log of %1 ended (the container stopped or the pod was deleted).")
                          .arg(m_container);
    if (m_stream) {
        m_stream->deleteLater();
        m_stream = nullptr;
    }
    if (end.error && m_buffer.size() == 0)
        m_view->setPlaceholderText(end.error->message);
    QPalette statusPalette = palette();
    if (end.error)
        statusPalette.setColor(QPalette::WindowText, Theme::color(Theme::Role::Error, palette()));
    m_status->setPalette(statusPalette);
    updateStatus();
    emit streamEnded(m_endReason);
}

void PodLogViewer::onScrolled(int value)
{
    if (m_adjustingScroll)
        return;
    QScrollBar *bar = m_view->verticalScrollBar();
    const bool atEnd = value >= bar->maximum();
    if (m_follow->isChecked() && !atEnd)
        m_follow->setChecked(false);
    else if (!m_follow->isChecked() && atEnd && bar->maximum() > 0)
        m_follow->setChecked(true);
}

void PodLogViewer::scrollToEnd()
{
    const QScopedValueRollback<bool> guard(m_adjustingScroll, true);
    QScrollBar *bar = m_view->verticalScrollBar();
    bar->setValue(bar->maximum());
}

void PodLogViewer::updateTitle()
{
    setWindowTitle(m_container.isEmpty() ? tr("Logs — %1").arg(m_pod)
                                         : tr("Logs — %1/%2").arg(m_pod, m_container));
}

void PodLogViewer::updateStatus()
{
    const QLocale locale;
    QStringList parts;
    if (m_ended)
        parts << tr("Ended: %1").arg(m_endReason);
    else if (!m_stream || !m_stream->isOpen())
        parts << tr("Connecting…");
    else if (m_follow->isChecked())
        parts << tr("Following new lines.");
    else
        parts << tr("Streaming; new lines are added at the end (Follow is off).");
    if (m_buffer.dropped() > 0)
        parts << tr("Showing the newest %1 lines; %2 older lines were dropped.")
                     .arg(locale.toString(m_buffer.size()), locale.toString(m_buffer.dropped()));
    else if (m_buffer.size() > 0)
        parts << (m_buffer.size() == 1 ? tr("1 line.")
                                       : tr("%1 lines.").arg(locale.toString(m_buffer.size())));
    const qint64 truncated = m_stream ? 0 : m_truncated;
    if (truncated > 0)
        parts << tr("%1 very long lines were cut (marked “line cut”).")
                     .arg(locale.toString(truncated));
    m_status->setText(parts.join(u' '));
}

void PodLogViewer::copy()
{
    const QString selected = m_view->textCursor().selectedText();
    QString text;
    if (!selected.isEmpty())
        text = QString(selected).replace(QChar::ParagraphSeparator, u'\n');
    else
        text = m_buffer.text();
    QGuiApplication::clipboard()->setText(text);
}

bool PodLogViewer::saveTo(const QString &path, QString *error) const
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    for (int i = 0; i < m_buffer.size(); ++i) {
        file.write(m_buffer.at(i).toUtf8());
        file.write("\n", 1);
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

void PodLogViewer::save()
{
    const QString suggested =
        QDir(m_saveDirectory).filePath(logFileStem(m_pod, m_container) + QStringLiteral(".log"));
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save logs"), suggested,
                                     tr("Log files (*.log);;Text files (*.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error)) {
        m_status->setText(tr("Could not save %1: %2").arg(QDir::toNativeSeparators(path), error));
        return;
    }
    m_saveDirectory = QFileInfo(path).absolutePath();
    emit saveDirectoryChanged(m_saveDirectory);
    m_status->setText(
        tr("Saved %1 lines to %2.")
            .arg(QLocale().toString(m_buffer.size()), QDir::toNativeSeparators(path)));
}

void PodLogViewer::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_find->refresh();
}

} // namespace rollscope
