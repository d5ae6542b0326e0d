// SPDX-License-Identifier: MIT
#include "timeline/autosave.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace rollscope::timeline {

namespace {

class AutosaveText
{
    Q_DECLARE_TR_FUNCTIONS(AutosaveWriter)
};

} // namespace

// Lives on the writer's thread; only ever called through queued functors.
class AutosaveWorker : public QObject
{
public:
    QString open(const QString &path)
    {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath()))
            return AutosaveText::tr("Cannot create the folder for autosaved timelines: %1")
                .arg(info.absolutePath());
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::WriteOnly | QIODevice::Append))
            return AutosaveText::tr("Cannot write the autosaved timeline: %1")
                .arg(m_file.errorString());
        m_file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        return {};
    }

    // A disk that is full stays full for a while: the failure is reported once, when writing
    // starts to fail, not for every second's lines, and again only after a write succeeded.
    // What could not be written stays in QFile's buffer and goes out with the next flush.
    QString append(const QByteArray &lines)
    {
        if (!m_file.isOpen())
            return {};
        if (m_file.write(lines) != lines.size() || !m_file.flush()) {
            if (m_failing)
                return {};
            m_failing = true;
            return AutosaveText::tr("Cannot write the autosaved timeline: %1")
                .arg(m_file.errorString());
        }
        m_failing = false;
        return {};
    }

    void close() { m_file.close(); }

private:
    QFile m_file;
    bool m_failing = false;
};

AutosaveWriter::AutosaveWriter(QObject *parent)
    : QObject(parent)
    , m_worker(new AutosaveWorker)
{
    m_thread.setObjectName(QStringLiteral("timeline-autosave"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start(QThread::LowPriority);
}

AutosaveWriter::~AutosaveWriter()
{
    // Queued after every pending write, so nothing handed over is lost.
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->close(); });
    m_thread.quit();
    m_thread.wait();
}

void AutosaveWriter::open(const QString &path)
{
    m_path = path;
    m_open = true;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, path, this] {
        const QString error = worker->open(path);
        if (!error.isEmpty())
            reportFailure(error);
    });
}

void AutosaveWriter::append(const QByteArray &lines)
{
    if (!m_open || lines.isEmpty())
        return;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, lines, this] {
        const QString error = worker->append(lines);
        if (!error.isEmpty())
            reportFailure(error);
    });
}

void AutosaveWriter::close()
{
    if (!m_open)
        return;
    m_open = false;
    const QString path = m_path;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, this, path] {
        worker->close();
        // Posted from the worker thread: delivered on this object's thread.
        QMetaObject::invokeMethod(this, [this, path] { emit closed(path); });
    });
}

// Called on the worker thread. `this` outlives every queued write (the destructor joins the
// thread first), and a report still queued when it is destroyed is discarded with it.
void AutosaveWriter::reportFailure(const QString &message)
{
    QMetaObject::invokeMethod(this, [this, message] { emit failed(message); });
}

} // namespace rollscope::timeline
