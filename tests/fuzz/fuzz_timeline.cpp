// SPDX-License-Identifier: MIT
// Timelines being reopened: an export (.json) or an autosaved recording (.jsonl), told apart
// by their content. A file that loads is then used as the app uses it: summary, traffic
// intervals, the JSON, CSV and HTML (SVG charts) exports, and the JSON export read back.

#include "fuzzsupport.h"
#include "timeline/exporters.h"
#include "timeline/loader.h"
#include "timeline/timeline.h"
#include "timeline/timelinejson.h"

using namespace rollscope;
using namespace rollscope::timeline;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    const Result<Timeline> loaded = TimelineLoader::parse(rollscope::fuzz::bytes(data, size));
    if (!loaded) {
        FUZZ_CHECK(!loaded.error().message.isEmpty());
        return 0;
    }
    const Timeline &t = *loaded;
    (void)computeSummary(t);
    (void)trafficIntervals(t);
    (void)t.versionOrder();
    (void)t.newVersionIds();
    (void)t.oldVersionIds();
    (void)t.durationMs();
    (void)TimelineExport::csv(t);
    (void)TimelineExport::html(t);
    const QByteArray exported = TimelineExport::json(t);
    // What Rollscope writes, it reads back.
    const Result<Timeline> again = TimelineLoader::parse(exported);
    FUZZ_CHECK(again.ok());
    return 0;
}
