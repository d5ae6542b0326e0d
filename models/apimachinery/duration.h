// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace rollscope::apimachinery {

// duration.HumanDuration, as kubectl's AGE column and the API server's Table rows print ages:
// "0s".."119s", "2m5s" below 10 min, "10m".."179m", "3h5m" below 8 h, "8h".."47h", "2d3h"
// below 8 days, "8d".."729d", "2y45d" below 8 years, then "8y". Seconds are truncated toward
// zero, as Go's int(d.Seconds()). Negative durations of up to two seconds count as "0s" (clock
// skew), longer ones are "<invalid>".
QString humanDuration(qint64 milliseconds);

} // namespace rollscope::apimachinery
