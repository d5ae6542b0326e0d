// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace rollscope {

// Reads a file whose name came from outside (a --kubeconfig flag, $KUBECONFIG, a path inside a
// kubeconfig). Such a name may point at a device (/dev/zero never ends), a FIFO (blocks until
// someone writes) or a file that grows while it is read, and QFile::size() is 0 for all of them.
// So only regular files are read, a FIFO or device is refused without a blocking open, and at
// most maxBytes + 1 bytes are ever read.
class BoundedFile
{
    Q_DECLARE_TR_FUNCTIONS(BoundedFile)

public:
    enum class StdinPolicy
    {
        Refuse,
        // "/dev/stdin" reads the process's standard input (kubectl --kubeconfig /dev/stdin).
        // Still bounded by maxBytes; it blocks until the writer closes it, as kubectl does.
        Allow
    };

    // The content, or an Error whose message is only the reason ("it is larger than 1 MiB"),
    // without the path: callers say which file and why they read it.
    static Result<QByteArray> read(const QString &path, qint64 maxBytes,
                                   StdinPolicy stdinPolicy = StdinPolicy::Refuse);

    static bool isStdin(const QString &path);
    // "16 MiB", "64 KiB", "100 bytes": for messages about a limit.
    static QString sizeText(qint64 bytes);
};

} // namespace rollscope
