// SPDX-License-Identifier: MIT
#include "common/boundedfile.h"

#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rollscope {

namespace {

constexpr qint64 kBoundedReadChunk = 64 * 1024;

class BoundedFdCloser
{
public:
    explicit BoundedFdCloser(int fd)
        : m_fd(fd)
    {}
    ~BoundedFdCloser()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    BoundedFdCloser(const BoundedFdCloser &) = delete;
    BoundedFdCloser &operator=(const BoundedFdCloser &) = delete;

private:
    int m_fd;
};

Error boundedReadFailure(const QString &reason)
{
    return Error::make(Error::Kind::Generic, reason);
}

} // namespace

bool BoundedFile::isStdin(const QString &path)
{
    return path == QLatin1StringView("/dev/stdin");
}

QString BoundedFile::sizeText(qint64 bytes)
{
    constexpr qint64 kib = 1024;
    constexpr qint64 mib = kib * kib;
    if (bytes >= mib && bytes % mib == 0)
        return tr("%1 MiB").arg(bytes / mib);
    if (bytes >= kib && bytes % kib == 0)
        return tr("%1 KiB").arg(bytes / kib);
    return tr("%1 bytes").arg(bytes);
}

namespace {

// Reads until end of file, but never more than maxBytes + 1 bytes: one byte past the limit is
// enough to know the file is too large, whatever st_size claimed.
Result<QByteArray> readBounded(int fd, qint64 maxBytes, qint64 sizeHint)
{
    QByteArray data;
    // st_size is only a hint: 0 for /proc files, stale for a file that grows.
    data.reserve(static_cast<qsizetype>(qBound<qint64>(0, sizeHint, maxBytes) + 1));
    for (;;) {
        const qint64 room = maxBytes + 1 - data.size();
        if (room <= 0)
            return boundedReadFailure(
                BoundedFile::tr("it is larger than %1").arg(BoundedFile::sizeText(maxBytes)));
        const qsizetype old = data.size();
        const qint64 want = qMin(kBoundedReadChunk, room);
        data.resize(old + static_cast<qsizetype>(want));
        const ssize_t got = ::read(fd, data.data() + old, static_cast<size_t>(want));
        const int error = errno;
        data.resize(old + (got > 0 ? static_cast<qsizetype>(got) : 0));
        if (got == 0)
            return data;
        if (got > 0)
            continue;
        if (error == EINTR)
            continue;
        if (error == EAGAIN || error == EWOULDBLOCK) {
            // Standard input may have been left non-blocking by whoever shares it.
            pollfd readable{fd, POLLIN, 0};
            ::poll(&readable, 1, -1);
            continue;
        }
        return boundedReadFailure(qt_error_string(error));
    }
}

// Why a file of this type is not read, or empty for a regular file.
QString fileTypeProblem(mode_t mode)
{
    if (S_ISREG(mode))
        return {};
    if (S_ISDIR(mode))
        return BoundedFile::tr("it is a folder");
    if (S_ISFIFO(mode))
        return BoundedFile::tr("it is a FIFO (named pipe), not a regular file");
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return BoundedFile::tr("it is a device, not a regular file");
    if (S_ISSOCK(mode))
        return BoundedFile::tr("it is a socket, not a regular file");
    return BoundedFile::tr("it is not a regular file");
}

} // namespace

Result<QByteArray> BoundedFile::read(const QString &path, qint64 maxBytes, StdinPolicy stdinPolicy)
{
    if (stdinPolicy == StdinPolicy::Allow && isStdin(path))
        return readBounded(STDIN_FILENO, maxBytes, 0);

    const QByteArray native = QFile::encodeName(path);
    // Checked before opening: opening a FIFO blocks and opening a device can have effects.
    struct stat info = {};
    if (::stat(native.constData(), &info) != 0)
        return boundedReadFailure(qt_error_string(errno));
    if (const QString problem = fileTypeProblem(info.st_mode); !problem.isEmpty())
        return boundedReadFailure(problem);

    // O_NONBLOCK: should the path have been swapped for a FIFO since stat(), open() still
    // returns at once and fstat() below refuses it. Reads of regular files ignore the flag.
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return boundedReadFailure(qt_error_string(errno));
    const BoundedFdCloser closer(fd);
    if (::fstat(fd, &info) != 0)
        return boundedReadFailure(qt_error_string(errno));
    if (const QString problem = fileTypeProblem(info.st_mode); !problem.isEmpty())
        return boundedReadFailure(problem);
    return readBounded(fd, maxBytes, static_cast<qint64>(info.st_size));
}

} // namespace rollscope
