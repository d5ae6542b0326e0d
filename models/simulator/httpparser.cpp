#include "httpparser.h"

#include <QDateTime>
#include <QLocale>

#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace rollscope::sim {

namespace http = boost::beast::http;

const char *httpReasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 406:
        return "Not Acceptable";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 413:
        return "Request Entity Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
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
    Parser()
    {
        parser.header_limit(256 * 1024);
        parser.body_limit(64 * 1024 * 1024);
        parser.eager(true);
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
        if (ec || used == 0)
            break;
    }
    input.remove(0, consumed);
    if (ec) {
        m_error = QByteArray::fromStdString(ec.message());
        m_parser.reset();
        return State::Failed;
    }
    return m_parser->parser.is_done() ? State::Ready : State::NeedMore;
}

HttpRequest Http1RequestReader::takeRequest(bool *keepAlive)
{
    auto message = m_parser->parser.release();
    m_parser.reset();
    HttpRequest request;
    request.method = QByteArray::fromStdString(std::string(message.method_string()));
    request.target = QByteArray::fromStdString(std::string(message.target()));
    for (const auto &field : message)
        request.headers.append(
            {QByteArray::fromStdString(std::string(field.name_string())).toLower(),
             QByteArray::fromStdString(std::string(field.value()))});
    request.body = QByteArray::fromStdString(message.body());
    if (keepAlive)
        *keepAlive = message.keep_alive();
    return request;
}

} // namespace rollscope::sim
