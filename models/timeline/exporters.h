// SPDX-License-Identifier: MIT
#pragma once

// Exports of a timeline: JSON (full fidelity, README "Timeline format"), CSV (one row per
// sample) and a self-contained HTML report (summary, both charts as inline SVG, the events;
// no script, no network, light and dark, print-friendly). Pure functions of the value, so they
// can run on any thread; write() replaces a regular file atomically.
//
// Exports hold what the timeline holds and nothing else: no kubeconfig, no credential, no
// environment value, no local path. Callers that fear a secret reached a message anyway pass
// the timeline through Timeline::redacted() first (the headless command does).

#include "common/result.h"
#include "timeline/timeline.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include <optional>

namespace rollscope::timeline {

class TimelineExport
{
    Q_DECLARE_TR_FUNCTIONS(TimelineExport)

public:
    enum class Format
    {
        Json,
        Csv,
        Html
    };

    static QByteArray json(const Timeline &timeline);
    static QByteArray csv(const Timeline &timeline);
    static QByteArray html(const Timeline &timeline);
    static QByteArray render(const Timeline &timeline, Format format);

    // From the file name's suffix (.json, .csv, .html/.htm).
    static std::optional<Format> formatForPath(const QString &path);
    // A regular or new file is written all or nothing (QSaveFile: a reader never sees half a
    // file, and a failed write leaves the previous file as it was). Anything else that exists
    // (a character device such as /dev/null, a FIFO) is written to directly and never
    // replaced; "-", /dev/stdout, /dev/stderr and /dev/fd/N write to that descriptor. Runs on
    // any thread; a FIFO nobody reads fails after a few seconds.
    static VoidResult write(const QString &path, const QByteArray &data);

private:
    // The HTML report's parts, in page order: the head and the verdict, the summary table (with
    // its traffic rows), the two charts with their legends, the events and the footer.
    static QString htmlHeader(const Timeline &timeline);
    static QString htmlSummary(const Timeline &timeline);
    static QString htmlTrafficRows(const Timeline &timeline);
    static QString htmlCharts(const Timeline &timeline);
    static QString htmlEvents(const Timeline &timeline);
};

} // namespace rollscope::timeline
