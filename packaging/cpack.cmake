# SPDX-License-Identifier: MIT
# The Debian package (`cpack -G DEB` in a build folder): everything the install() rules install,
# under /usr; name, version, summary and homepage come from project().
# Included from the top-level CMakeLists.txt, after every install() rule.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME rollscope)
set(CPACK_PACKAGE_VENDOR "Rollscope Developers")
set(CPACK_PACKAGE_CONTACT "${ROLLSCOPE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION [=[
Rollscope charts a Kubernetes rolling update as it happens: the pods of each
version against the strategy's maxSurge/maxUnavailable guarantees, and the
responses of each version as seen by a prober that opens a fresh connection
for every request. Every rollout is recorded as a timeline that can be
exported (JSON, CSV, HTML, PNG) and opened again; headless commands do the
same in CI.

The package also contains rollscope-sim, a Kubernetes-API-compatible cluster
simulator used as a demo cluster and test bed.]=])
if(EXISTS "${PROJECT_SOURCE_DIR}/LICENSE")
    set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
endif()
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_VERBATIM_VARIABLES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # rollscope_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# Depends from the binaries' NEEDED entries (dpkg-shlibdeps, from dpkg-dev): Qt, yaml-cpp,
# OpenSSL, nghttp2, libc, libstdc++.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# What the binaries load at run time without linking it: the SVG icon engine and image plugins
# (the window and hicolor icons are SVG). Listed here, the computed ones are added after it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS libqt6svg6)
# Qt's own strings (dialog buttons and the like) in the user's language, read at run time, and
# glyphs for the Chinese translation.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, fonts-noto-cjk")

include(CPack)
