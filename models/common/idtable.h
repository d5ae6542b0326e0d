// SPDX-License-Identifier: MIT
#pragma once

#include <QLatin1StringView>
#include <QString>
#include <QStringView>

#include <array>
#include <cstddef>
#include <optional>
#include <utility>

namespace rollscope {

// An enum's names in a file format or on the wire, declared once: writing (idOf) and reading
// (fromId) use the same table, so the two directions cannot drift apart.
template<typename E, std::size_t N>
using IdTable = std::array<std::pair<E, QLatin1StringView>, N>;

// The id of `value`; `fallback` for a value the table lacks (a corrupt enum).
template<typename E, std::size_t N>
QString idOf(const IdTable<E, N> &table, E value, QLatin1StringView fallback = {})
{
    for (const auto &[e, id] : table) {
        if (e == value)
            return id;
    }
    return fallback;
}

// The value whose id is `id` (case matters); nullopt for an unknown id.
template<typename E, std::size_t N>
std::optional<E> fromId(const IdTable<E, N> &table, QStringView id)
{
    for (const auto &[e, name] : table) {
        if (name == id)
            return e;
    }
    return std::nullopt;
}

} // namespace rollscope
