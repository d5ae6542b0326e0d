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
    target_compile_options(rollscope_strict INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(rollscope_strict INTERFACE -fsanitize=address,undefined)
endif()
