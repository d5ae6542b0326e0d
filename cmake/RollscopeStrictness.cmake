# SPDX-License-Identifier: MIT
# One INTERFACE target carries the project's strictness; every target links it.
add_library(rollscope_strict INTERFACE)
add_library(Rollscope::strict ALIAS rollscope_strict)

target_compile_options(rollscope_strict INTERFACE -Wall -Wextra -pedantic)
target_compile_definitions(rollscope_strict INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_NO_URL_CAST_FROM_STRING
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(ROLLSCOPE_WERROR)
    target_compile_options(rollscope_strict INTERFACE -Werror)
endif()

if(ROLLSCOPE_SANITIZE)
    # float-cast-overflow is not part of GCC's "undefined" (it is of clang's): a double too
    # large for the integer it is cast to would otherwise pass the GCC suite unnoticed.
    target_compile_options(rollscope_strict INTERFACE
        -fsanitize=address,undefined,float-cast-overflow
        -fno-sanitize-recover=undefined,float-cast-overflow -fno-omit-frame-pointer)
    target_link_options(rollscope_strict INTERFACE -fsanitize=address,undefined,float-cast-overflow)
endif()
