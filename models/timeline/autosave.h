// SPDX-License-Identifier: MIT
#pragma once

// The append-only autosave file of a recording. The recorder hands it whole lines about once a
// second; they are written and flushed to the kernel on a worker thread, so the GUI thread never
// waits for the disk, and a crash or kill of the process loses at most the last second.

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QThread>

namespace rollscope::timeline {

class AutosaveWorker;

class AutosaveWriter : public QObject
{
    Q_OBJECT

public:
    explicit AutosaveWriter(QObject *parent = nullptr);
    // Writes what was handed over, closes the file and joins the thread.
    ~AutosaveWriter() override;

    // Asynchronous: open() creates the folder and the file (mode 0600: a timeline names
    // clusters and services, which is nobody else's business).
    void open(const QString &path);
    void append(const QByteArray &lines);
    // closed() follows once everything is on disk.
    void close();

    QString path() const { return m_path; }

signals:
    // Once per streak of failed writes (the first of them), not once per write.
    void failed(const QString &message);
    void closed(const QString &path);

private:
    void reportFailure(const QString &message);

    QThread m_thread;
    AutosaveWorker *m_worker = nullptr;
    QString m_path;
    bool m_open = false;
};

} // namespace rollscope::timeline
