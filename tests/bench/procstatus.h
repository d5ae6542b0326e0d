// SPDX-License-Identifier: MIT
#pragma once

// Memory figures of the benchmark's own process, from /proc/self/status.

#include <QByteArray>
#include <QFile>
#include <QList>

namespace rollscope::bench {

// A field of /proc/self/status in MiB ("VmHWM:" the peak resident set, "VmRSS:" the resident set
// now); -1 when /proc does not tell.
inline double procStatusMiB(const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.read(64 * 1024).split('\n');
    for (const QByteArray &line : lines) {
        if (!line.startsWith(field))
            continue;
        bool ok = false;
        const qint64 kib = line.mid(field.size()).trimmed().split(' ').value(0).toLongLong(&ok);
        return ok ? double(kib) / 1024.0 : -1;
    }
    return -1;
}

inline double peakRssMiB()
{
    return procStatusMiB("VmHWM:");
}

} // namespace rollscope::bench
