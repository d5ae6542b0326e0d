# SPDX-License-Identifier: MIT
# Toolchain-wide settings shared by every target: language level, output folders, Qt.
set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# Both executables land in build/bin so scripts and tests find them in one place.
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bin")
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")
set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")

set(CMAKE_AUTOMOC ON)
set(CMAKE_AUTORCC ON)

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
    set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

find_package(Qt6 6.4 REQUIRED COMPONENTS Core Concurrent Network Gui Widgets Charts Svg Test LinguistTools)
find_package(yaml-cpp REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)

if(ROLLSCOPE_SHARED_LIBS)
    set(ROLLSCOPE_LIBRARY_TYPE SHARED)
else()
    set(ROLLSCOPE_LIBRARY_TYPE STATIC)
endif()
set(CMAKE_POSITION_INDEPENDENT_CODE ON)

# The test build compiles the libraries in batches (unity build): under the sanitizers most of
# the time goes to instantiating the same Qt templates in every file, once per batch instead.
option(ROLLSCOPE_UNITY_BUILD "Compile the libraries in batches of files" OFF)
function(rollscope_unity target)
    if(ROLLSCOPE_UNITY_BUILD)
        set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    endif()
endfunction()
