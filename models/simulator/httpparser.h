// SPDX-License-Identifier: MIT
#pragma once

#include "httpserver.h"

#include <memory>
#include <optional>

namespace rollscope::sim {

// The HTTP/1.1 status line's phrase: Go's http.StatusText, "Unknown" where it has none.
QByteArray httpReasonPhrase(int status);
// RFC 7231 date for the Date header.
QByteArray httpDate();

// Incremental HTTP/1.1 request reader over Boost.Beast's parser: feed bytes, take requests.
class Http1RequestReader
{
public:
    Http1RequestReader();
    ~Http1RequestReader();

    enum class State
    {
        NeedMore,
        Ready,
        Failed
    };
    // Consumes what it can from `input` (removing it). Ready: takeRequest() has the request.
    // A request whose body exceeds kMaxRequestBodyBytes is Ready as soon as its header is
    // read, with `bodyTooLarge` set and no body; the connection must not be reused after it.
    State feed(QByteArray &input);
    HttpRequest takeRequest(bool *keepAlive);
    QByteArray errorText() const { return m_error; }

private:
    struct Parser;
    std::unique_ptr<Parser> m_parser;
    QByteArray m_error;
    bool m_bodyTooLarge = false;
};

} // namespace rollscope::sim
