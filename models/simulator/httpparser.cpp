// SPDX-License-Identifier: MIT
#include "httpparser.h"

#include "apimachinery/httpstatus.h"

#include <QDateTime>
#include <QLocale>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <limits>
#include <utility>

namespace rollscope::sim {

namespace http = boost::beast::http;

QByteArray httpReasonPhrase(int status)
{
    // A status line needs some phrase; Go's table has none for codes it does not name.
    const QByteArray text = apimachinery::statusText(status);
    return text.isEmpty() ? QByteArrayLiteral("Unknown") : text;
}

QByteArray httpDate()
{
    return QLocale::c()
               .toString(QDateTime::currentDateTimeUtc(),
                         QStringLiteral("ddd, dd MMM yyyy hh:mm:ss"))
               .toLatin1() +
           " GMT";
}

struct Http1RequestReader::Parser
{
    http::request_parser<http::string_body> parser;
    bool headerChecked = false;
    Parser()
    {
        parser.header_limit(256 * 1024);
        // The header first, whole (Beast would reject a big Content-Length in the middle of
        // the fields); the body limit is applied once the header is read.
        parser.body_limit((std::numeric_limits<std::uint64_t>::max)());
        parser.eager(false);
    }
};

Http1RequestReader::Http1RequestReader() = default;
Http1RequestReader::~Http1RequestReader() = default;

Http1RequestReader::State Http1RequestReader::feed(QByteArray &input)
{
    if (!m_parser)
        m_parser = std::make_unique<Parser>();
    boost::system::error_code ec;
    qsizetype consumed = 0;
    while (!m_parser->parser.is_done() && consumed < input.size()) {
        const std::size_t used = m_parser->parser.put(
            boost::asio::buffer(input.constData() + consumed, std::size_t(input.size() - consumed)),
            ec);
        consumed += qsizetype(used);
        if (ec == http::error::need_more) {
            ec = {};
            break;
        }
        if (ec)
            break;
        if (!m_parser->headerChecked && m_parser->parser.is_header_done()) {
            m_parser->headerChecked = true;
            // A larger body is never buffered: a declared one is refused from the header, a
            // chunked one as soon as it grows past the limit.
            const auto length = m_parser->parser.content_length();
            if (length && *length > std::uint64_t(kMaxRequestBodyBytes)) {
                input.remove(0, consumed);
                m_bodyTooLarge = true;
                return State::Ready;
            }
            m_parser->parser.body_limit(std::uint64_t(kMaxRequestBodyBytes));
            m_parser->parser.eager(true);
            continue;
        }
        if (used == 0)
            break;
    }
    input.remove(0, consumed);
    if (ec == http::error::body_limit && m_parser->parser.is_header_done()) {
        // The request is answered (413) from its header; the rest of the input is the body.
        m_bodyTooLarge = true;
        return State::Ready;
    }
    if (ec) {
        m_error = QByteArray::fromStdString(ec.message());
        m_parser.reset();
        return State::Failed;
    }
    return m_parser->parser.is_done() ? State::Ready : State::NeedMore;
}

HttpRequest Http1RequestReader::takeRequest(bool *keepAlive)
{
    const bool tooLarge = std::exchange(m_bodyTooLarge, false);
    auto message = tooLarge ? std::move(m_parser->parser.get()) : m_parser->parser.release();
    m_parser.reset();
    HttpRequest request;
    request.method = QByteArray::fromStdString(std::string(message.method_string()));
    request.target = QByteArray::fromStdString(std::string(message.target()));
    for (const auto &field : message)
        request.headers.append(
            {QByteArray::fromStdString(std::string(field.name_string())).toLower(),
             QByteArray::fromStdString(std::string(field.value()))});
    if (tooLarge)
        request.bodyTooLarge = true;
    else
        request.body = QByteArray::fromStdString(message.body());
    if (keepAlive)
        *keepAlive = !tooLarge && message.keep_alive();
    return request;
}

} // namespace rollscope::sim
