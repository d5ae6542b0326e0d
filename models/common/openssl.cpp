// SPDX-License-Identifier: MIT
#include "common/openssl.h"

#include <openssl/crypto.h>

namespace rollscope {

bool keepOpenSslUntilExit()
{
    return OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
}

} // namespace rollscope
