// SPDX-License-Identifier: MIT
#include "apimachinery/httpstatus.h"

#include <algorithm>
#include <array>
#include <optional>

namespace rollscope::apimachinery {

namespace {

struct StatusRow
{
    int code;
    const char *text;   // Go's http.StatusText
    const char *reason; // metav1.StatusReason, "" when apimachinery gives none
    // How Rollscope classifies the answer; Generic (or Server for 5xx) where nothing more is said.
    std::optional<Error::Kind> kind = std::nullopt;
};

// Sorted by code (statusRow() searches it). 406 and 415 are Protocol errors: client and server
// could not agree on a media type. Go keeps the RFC 2616 names for 413, 414 and 416,
// so Rollscope does too: kubectl prints them.
constexpr std::array kStatusTable{
    StatusRow{100, "Continue", ""},
    StatusRow{101, "Switching Protocols", ""},
    StatusRow{102, "Processing", ""},
    StatusRow{103, "Early Hints", ""},
    StatusRow{200, "OK", ""},
    StatusRow{201, "Created", ""},
    StatusRow{202, "Accepted", ""},
    StatusRow{203, "Non-Authoritative Information", ""},
    StatusRow{204, "No Content", ""},
    StatusRow{205, "Reset Content", ""},
    StatusRow{206, "Partial Content", ""},
    StatusRow{207, "Multi-Status", ""},
    StatusRow{208, "Already Reported", ""},
    StatusRow{226, "IM Used", ""},
    StatusRow{300, "Multiple Choices", ""},
    StatusRow{301, "Moved Permanently", ""},
    StatusRow{302, "Found", ""},
    StatusRow{303, "See Other", ""},
    StatusRow{304, "Not Modified", ""},
    StatusRow{305, "Use Proxy", ""},
    StatusRow{307, "Temporary Redirect", ""},
    StatusRow{308, "Permanent Redirect", ""},
    StatusRow{400, "Bad Request", "BadRequest"},
    StatusRow{401, "Unauthorized", "Unauthorized", Error::Kind::Unauthorized},
    StatusRow{402, "Payment Required", ""},
    StatusRow{403, "Forbidden", "Forbidden", Error::Kind::Forbidden},
    StatusRow{404, "Not Found", "NotFound", Error::Kind::NotFound},
    StatusRow{405, "Method Not Allowed", "MethodNotAllowed"},
    StatusRow{406, "Not Acceptable", "NotAcceptable", Error::Kind::Protocol},
    StatusRow{407, "Proxy Authentication Required", ""},
    StatusRow{408, "Request Timeout", "", Error::Kind::Timeout},
    StatusRow{409, "Conflict", "Conflict", Error::Kind::Conflict},
    StatusRow{410, "Gone", "Expired", Error::Kind::Expired},
    StatusRow{411, "Length Required", ""},
    StatusRow{412, "Precondition Failed", ""},
    StatusRow{413, "Request Entity Too Large", "RequestEntityTooLarge"},
    StatusRow{414, "Request URI Too Long", ""},
    StatusRow{415, "Unsupported Media Type", "UnsupportedMediaType", Error::Kind::Protocol},
    StatusRow{416, "Requested Range Not Satisfiable", ""},
    StatusRow{417, "Expectation Failed", ""},
    StatusRow{418, "I'm a teapot", ""},
    StatusRow{421, "Misdirected Request", ""},
    StatusRow{422, "Unprocessable Entity", "Invalid", Error::Kind::Invalid},
    StatusRow{423, "Locked", ""},
    StatusRow{424, "Failed Dependency", ""},
    StatusRow{425, "Too Early", ""},
    StatusRow{426, "Upgrade Required", ""},
    StatusRow{428, "Precondition Required", ""},
    StatusRow{429, "Too Many Requests", "TooManyRequests", Error::Kind::TooManyRequests},
    StatusRow{431, "Request Header Fields Too Large", ""},
    StatusRow{451, "Unavailable For Legal Reasons", ""},
    StatusRow{500, "Internal Server Error", "InternalError"},
    StatusRow{501, "Not Implemented", ""},
    StatusRow{502, "Bad Gateway", ""},
    StatusRow{503, "Service Unavailable", "ServiceUnavailable"},
    StatusRow{504, "Gateway Timeout", "Timeout", Error::Kind::Timeout},
    StatusRow{505, "HTTP Version Not Supported", ""},
    StatusRow{506, "Variant Also Negotiates", ""},
    StatusRow{507, "Insufficient Storage", ""},
    StatusRow{508, "Loop Detected", ""},
    StatusRow{510, "Not Extended", ""},
    StatusRow{511, "Network Authentication Required", ""},
};

static_assert(std::is_sorted(kStatusTable.begin(), kStatusTable.end(),
                             [](const StatusRow &a, const StatusRow &b) {
                                 return a.code < b.code;
                             }));

const StatusRow *statusRow(int code)
{
    const auto it = std::lower_bound(kStatusTable.begin(), kStatusTable.end(), code,
                                     [](const StatusRow &row, int c) { return row.code < c; });
    return it != kStatusTable.end() && it->code == code ? &*it : nullptr;
}

} // namespace

QByteArray statusText(int code)
{
    const StatusRow *row = statusRow(code);
    return row ? QByteArray(row->text) : QByteArray();
}

QString statusReason(int code)
{
    const StatusRow *row = statusRow(code);
    if (row && *row->reason)
        return QLatin1StringView(row->reason);
    // NewGenericServerResponse: any other server error is an InternalError.
    return code >= 500 ? QStringLiteral("InternalError") : QString();
}

Error::Kind errorKind(int code)
{
    const StatusRow *row = statusRow(code);
    if (row && row->kind)
        return *row->kind;
    return code >= 500 ? Error::Kind::Server : Error::Kind::Generic;
}

Error statusError(int code, const QString &message, const QString &reason)
{
    Error e = Error::make(errorKind(code), message);
    e.httpStatus = code;
    e.reason = reason.isEmpty() ? statusReason(code) : reason;
    return e;
}

} // namespace rollscope::apimachinery
