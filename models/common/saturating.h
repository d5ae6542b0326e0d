// SPDX-License-Identifier: MIT
#pragma once

// Arithmetic on numbers that came from outside (a loaded file, a server): it saturates at the
// type's limits instead of overflowing.

#include <QtGlobal>

#include <algorithm>
#include <limits>

namespace rollscope {

inline qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 sum = 0;
    if (__builtin_add_overflow(a, b, &sum))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return sum;
}

inline qint64 saturatingSub(qint64 a, qint64 b)
{
    qint64 diff = 0;
    if (__builtin_sub_overflow(a, b, &diff))
        return b < 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return diff;
}

// `value` held to int's range.
inline int clampToInt(qint64 value)
{
    return int(std::clamp<qint64>(value, std::numeric_limits<int>::min(),
                                  std::numeric_limits<int>::max()));
}

} // namespace rollscope
