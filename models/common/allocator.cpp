// SPDX-License-Identifier: MIT
#include "allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace rollscope {

bool limitAllocatorArenas()
{
#if defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, 2) == 1;
#else
    return false;
#endif
}

} // namespace rollscope
