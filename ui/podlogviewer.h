// SPDX-License-Identifier: MIT
#pragma once

// A window with a container's logs (issue 13): follows new lines live, keeps the newest
// maxLines() lines (saying when older ones were dropped), search, wrap, copy and save.

#include "kube/logstream.h"

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace rollscope {

class TextFindBar;

namespace kube {
class ApiClient;
}

// Non-modal; delete-on-close friendly (the caller may set Qt::WA_DeleteOnClose). The stream
// always follows the container (kubectl logs -f) until it stops or the window closes; "Follow"
// keeps the view at the newest line, and scrolling up turns it off (scrolling back to the end
// turns it on again).
class PodLogViewer : public QWidget
{
    Q_OBJECT

public:
    PodLogViewer(kube::ApiClient *client, const QString &ns, const QString &pod,
                 const QStringList &containers, QWidget *parent = nullptr);
    ~PodLogViewer() override;

    // Where Save… starts (the lead's last-used folder); updated to the folder saved into.
    void setSaveDirectory(const QString &directory);
    QString saveDirectory() const { return m_saveDirectory; }
    // At most this many lines are kept (default 10,000); must be set before lines arrive.
    void setMaxLines(int lines);
    int maxLines() const { return m_buffer.maxLines(); }
    // Lines fetched when a stream opens (kubectl logs --tail); default: maxLines().
    void setTailLines(int lines) { m_tailLines = lines; }

    QString container() const { return m_container; }
    void setContainer(const QString &container);
    bool isFollowing() const;
    void setFollowing(bool follow);
    bool wrapsLines() const;
    void setWrapLines(bool wrap);

    // For tests and the lead's wiring.
    int lineCount() const { return m_buffer.size(); }
    qint64 droppedLines() const { return m_buffer.dropped(); }
    QString text() const { return m_buffer.text(); }
    QString statusText() const;
    bool isStreaming() const;
    TextFindBar *findBar() const { return m_find; }
    QPlainTextEdit *textView() const { return m_view; }
    // Writes the lines kept to `path` (UTF-8); false with `error` set when it cannot.
    bool saveTo(const QString &path, QString *error = nullptr) const;

public slots:
    void reload();
    void copy();
    void save();

signals:
    // A file was saved into `directory` (for the caller's last-used folder).
    void saveDirectoryChanged(const QString &directory);
    // The stream ended (container stopped, pod deleted, error); `reason` in plain words.
    void streamEnded(const QString &reason);

protected:
    void changeEvent(QEvent *event) override;

private:
    void startStream();
    void stopStream();
    void onLines(const QStringList &lines);
    void onFinished(const kube::LogEnd &end);
    void onScrolled(int value);
    void scrollToEnd();
    void updateTitle();
    void updateStatus();

    QPointer<kube::ApiClient> m_client;
    QString m_ns;
    QString m_pod;
    QStringList m_containers;
    QString m_container;
    QString m_saveDirectory;
    int m_tailLines = -1;
    kube::LogBuffer m_buffer;
    kube::LogStream *m_stream = nullptr;
    QString m_endReason;
    bool m_ended = false;
    bool m_adjustingScroll = false;
    qint64 m_truncated = 0;

    QComboBox *m_containerBox = nullptr;
    QLabel *m_containerLabel = nullptr;
    QCheckBox *m_follow = nullptr;
    QCheckBox *m_wrap = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_reload = nullptr;
    TextFindBar *m_find = nullptr;
    QPlainTextEdit *m_view = nullptr;
    QLabel *m_status = nullptr;
};

} // namespace rollscope
