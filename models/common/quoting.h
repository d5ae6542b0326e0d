// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace rollscope {

// A name as messages quote it, as kubectl and Go's %q do for plain names: "demo-dp".
inline QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

} // namespace rollscope
