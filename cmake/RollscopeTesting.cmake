# SPDX-License-Identifier: MIT
# rollscope_add_test(<name> [GUI] [SOURCES files...] [LIBS targets...] [LABELS labels...]
#                    [TIMEOUT seconds] [ENVIRONMENT VAR=value...] [RUN_SERIAL])
# Adds a Qt Test executable and registers it with CTest in one line. SOURCES defaults to
# <name>.cpp; the executable links the shared test main and the libraries it tests, never their
# sources.
function(rollscope_add_test name)
    cmake_parse_arguments(T "GUI;RUN_SERIAL" "TIMEOUT" "SOURCES;LIBS;LABELS;ENVIRONMENT" ${ARGN})
    if(NOT T_SOURCES)
        set(T_SOURCES "${name}.cpp")
    endif()
    add_executable(${name} ${T_SOURCES})
    # Qt's headers come precompiled (tests/support); AUTOMOC's all-in-one file of a test is
    # empty (tests include their .moc), and loading the header would only slow it down.
    # (Only for tests of our libraries: the header needs their Qt modules and definitions.)
    if(T_LIBS MATCHES "rollscope_(core|simulator|ui)")
        target_precompile_headers(${name} REUSE_FROM rollscope_test_pch)
        set_source_files_properties(
            "${CMAKE_CURRENT_BINARY_DIR}/${name}_autogen/mocs_compilation.cpp"
            PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
    endif()
    target_link_libraries(${name} PRIVATE rollscope_testsupport Qt6::Test ${T_LIBS} rollscope_strict)
    if(T_GUI)
        # The window's demo cluster, installed as the app's main() does (tests/support/guidemo.cpp).
        target_sources(${name} PRIVATE "${PROJECT_SOURCE_DIR}/tests/support/guidemo.cpp")
        target_link_libraries(${name} PRIVATE Qt6::Widgets rollscope_simulator)
    endif()
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/tests")
    add_test(NAME ${name} COMMAND ${name})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 120)
    endif()
    set_tests_properties(${name} PROPERTIES
        TIMEOUT ${T_TIMEOUT}
        LABELS "${T_LABELS}"
        ENVIRONMENT "ROLLSCOPE_BUILD_DIR=${PROJECT_BINARY_DIR};ROLLSCOPE_SOURCE_DIR=${PROJECT_SOURCE_DIR};${T_ENVIRONMENT}")
    if(T_RUN_SERIAL)
        set_tests_properties(${name} PROPERTIES RUN_SERIAL TRUE)
    endif()
endfunction()
