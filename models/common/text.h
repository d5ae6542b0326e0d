// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace rollscope {

// A name as messages quote it, as kubectl and Go's %q do for plain names: "demo-dp".
inline QString quoted(const QString &text)
{
    return u'"' + text + u'"';
}

// Whether a value that must be one line (a token, a header value) holds a line break or a NUL.
inline bool hasLineBreak(const QString &text)
{
    return text.contains(u'\n') || text.contains(u'\r') || text.contains(QChar(0));
}

// At most `limit` characters of untrusted text for a message, control characters replaced by
// '?' (a broken plugin or file could put anything there).
inline QString printablePrefix(const QString &text, qsizetype limit)
{
    QString result = text.left(limit);
    for (QChar &c : result) {
        if (c.category() == QChar::Other_Control)
            c = u'?';
    }
    return result;
}

} // namespace rollscope
