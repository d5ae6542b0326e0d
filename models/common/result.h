// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <utility>
#include <variant>

namespace rollscope {

// One field-level problem, as in a Kubernetes Status's details.causes[].
struct ErrorCause
{
    QString reason;
    QString message;
    QString field;

    bool operator==(const ErrorCause &) const = default;
};

// A failure a person can read. `message` is complete and safe to show or log: it never holds a
// credential (tokens, keys, passwords, exec env values). The other fields let code react.
struct Error
{
    enum class Kind
    {
        Generic,
        Usage,        // bad input from the user, caught before anything was sent
        Config,       // kubeconfig and credential problems
        Network,      // could not reach the server (refused, reset, DNS, TLS)
        Timeout,      // deadline passed
        Unauthorized, // 401
        Forbidden,    // 403
        NotFound,     // 404
        Conflict,     // 409 (stale resourceVersion, already exists)
        Expired,      // 410 (watch or continue token too old)
        Invalid,      // 422 (validation)
        TooManyRequests,
        Server,   // 5xx
        Protocol, // the server answered something we cannot decode
        Cancelled,
    };

    Kind kind = Kind::Generic;
    QString message;
    int httpStatus = 0; // 0 when no HTTP answer was involved
    QString reason;     // Status.reason (e.g. "Forbidden", "Invalid"), if any
    QList<ErrorCause> causes;

    static Error make(Kind kind, QString message)
    {
        Error e;
        e.kind = kind;
        e.message = std::move(message);
        return e;
    }
};

// Either a value or an Error. Small on purpose: holds, tests, and moves; no monadic chains.
template<typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_data(std::move(value))
    {}
    Result(Error error)
        : m_data(std::move(error))
    {}

    bool ok() const { return std::holds_alternative<T>(m_data); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_data); }
    T &value() & { return std::get<T>(m_data); }
    T &&value() && { return std::get<T>(std::move(m_data)); }
    const T &operator*() const & { return value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const Error &error() const { return std::get<Error>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that produce nothing but may fail.
struct Done
{};
using VoidResult = Result<Done>;

} // namespace rollscope
