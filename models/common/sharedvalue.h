// SPDX-License-Identifier: MIT
#pragma once

// One copy of a value for all who keep it. An informer's cache holds each value as a
// std::shared_ptr<const T>; what it reports is a `const T &` to that object. Those who keep what
// they are told (the rollout's scope, the pods and events tables) keep it with share(), which
// hands out the cache's own object when the reference is to one, instead of a copy: the 45,000
// events and 5,000 pods of a 5,000-replica rollout are then held once, not two or three times.
//
// A value type opts in with a ShareLink member named `shareLink`: makeShared() records there the
// std::shared_ptr that holds the value. A copy of the value is a new value and is not linked, so a
// value copied out of a cache and changed never passes for the cached one. A value held this way
// is never changed: whoever has a new value puts a new pointer in its place.

#include <memory>
#include <utility>

namespace rollscope {

class ShareLink
{
public:
    ShareLink() = default;
    // A copy (or a value moved from) is another value: it starts unlinked.
    ShareLink(const ShareLink &) noexcept {}
    ShareLink &operator=(const ShareLink &) noexcept { return *this; }
    // Never part of the value's equality.
    bool operator==(const ShareLink &) const { return true; }

private:
    template<typename T>
    friend std::shared_ptr<const T> makeShared(T value);
    template<typename T>
    friend std::shared_ptr<const T> share(const T &value);

    mutable std::weak_ptr<const void> m_holder;
};

template<typename T>
using Shared = std::shared_ptr<const T>;

// `value`, held by a new shared pointer (and linked to it, where T has a ShareLink).
template<typename T>
Shared<T> makeShared(T value)
{
    auto held = std::make_shared<T>(std::move(value));
    if constexpr (requires { held->shareLink; })
        held->shareLink.m_holder = held;
    return held;
}

// The shared pointer that holds `value` itself, when makeShared() made one that is still alive;
// otherwise a new one holding a copy.
template<typename T>
Shared<T> share(const T &value)
{
    if constexpr (requires { value.shareLink; }) {
        if (std::shared_ptr<const void> holder = value.shareLink.m_holder.lock()) {
            if (holder.get() == static_cast<const void *>(&value))
                return std::static_pointer_cast<const T>(std::move(holder));
        }
    }
    return makeShared(value);
}

} // namespace rollscope
