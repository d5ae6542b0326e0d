// SPDX-License-Identifier: MIT
#pragma once

// Opens a saved timeline read-only: an autosaved recording (.jsonl) or an export (.json).
// A recording cut off by a crash or a kill loads as far as it got: a last line without its
// newline is ignored, and the timeline is marked interrupted (outcome "aborted").

#include "common/result.h"
#include "timeline/timeline.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace rollscope::timeline {

class TimelineLoader
{
    Q_DECLARE_TR_FUNCTIONS(TimelineLoader)

public:
    static Result<Timeline> load(const QString &path);
    // Either format, told apart by the content.
    static Result<Timeline> parse(const QByteArray &data);
    static Result<Timeline> parseRecording(const QByteArray &data);

    // Largest file the loader reads (a ten-minute rollout is well under 1 MiB).
    static constexpr qint64 kMaxFileSize = 256LL * 1024 * 1024;
};

} // namespace rollscope::timeline
