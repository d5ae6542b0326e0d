#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package of a build folder, as a user gets it:
#   1. cpack -G DEB (packaging/cpack.cmake) into a temporary folder;
#   2. the control fields: name, the project's version, Qt in Depends (dpkg-shlibdeps);
#   3. the files: both binaries in /usr/bin, the desktop entry, the metainfo, the hicolor icon;
#      the copyright file, changelog (Debian's format) and CHANGELOG.md, man pages and bash
#      completions the source tree has;
#   4. desktop-file-validate and appstreamcli validate on the installed files;
#   5. dpkg -x into a temporary root, and the installed `rollscope --version` and
#      `rollscope-sim --help` run from there, finding their libraries by themselves.
# Environment (set by CMakeLists.txt): ROLLSCOPE_BUILD_DIR, ROLLSCOPE_SOURCE_DIR,
# ROLLSCOPE_VERSION, ROLLSCOPE_CPACK (the cpack that matches the cmake of the build).
set -euo pipefail

build=${ROLLSCOPE_BUILD_DIR:?set ROLLSCOPE_BUILD_DIR to the build folder}
source_dir=${ROLLSCOPE_SOURCE_DIR:?set ROLLSCOPE_SOURCE_DIR to the source folder}
version=${ROLLSCOPE_VERSION:?set ROLLSCOPE_VERSION to the project version}
cpack=${ROLLSCOPE_CPACK:-cpack}

failures=0
fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}
die() {
    echo "FAIL: $*" >&2
    exit 1
}
need() {
    command -v "$1" >/dev/null 2>&1 ||
        die "$1 not found: install the Debian package $2 (packaging/install-deps.sh build test)"
}
need "$cpack" cmake
need dpkg-deb dpkg
need dpkg-shlibdeps dpkg-dev
need readelf binutils
need desktop-file-validate desktop-file-utils
need appstreamcli appstream
[ -f "$build/CPackConfig.cmake" ] || die "$build/CPackConfig.cmake is missing: configure the build first"

work=$(mktemp -d "${TMPDIR:-/tmp}/rollscope-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

# 1. The package. gzip instead of the release setting (xz): the sanitizer build's libraries are
# over 100 MB and xz alone would take a minute; nothing else differs from `cpack -G DEB`.
started=$SECONDS
if ! "$cpack" -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" \
    -D CPACK_DEBIAN_COMPRESSION_TYPE=gzip >"$work/cpack.log" 2>&1; then
    cat "$work/cpack.log" >&2
    die "cpack -G DEB failed (its output is above)"
fi
echo "cpack -G DEB: $((SECONDS - started)) s"
shopt -s nullglob
debs=("$work/out"/*.deb)
shopt -u nullglob
[ ${#debs[@]} -eq 1 ] || die "expected one .deb in the cpack output, found ${#debs[@]}: ${debs[*]-}"
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[ "$(basename "$deb")" = "rollscope_${version}_${arch}.deb" ] ||
    fail "package file is $(basename "$deb"), expected rollscope_${version}_${arch}.deb"

# 2. Control fields.
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = rollscope ] || fail "Package is '$(field Package)', expected rollscope"
[ "$(field Version)" = "$version" ] || fail "Version is '$(field Version)', expected $version (project VERSION)"
[ "$(field Architecture)" = "$arch" ] || fail "Architecture is '$(field Architecture)', expected $arch"
[ -n "$(field Maintainer)" ] || fail "Maintainer is empty"
depends=$(field Depends)
echo "Depends: $depends"
for lib in libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6charts6 libqt6svg6 libc6; do
    grep -Eq "(^|, )$lib( |,|$)" <<<"$depends" ||
        fail "Depends lacks $lib (computed by CPACK_DEBIAN_PACKAGE_SHLIBDEPS; libqt6svg6, which the binaries load as a plugin, is named in packaging/cpack.cmake)"
done
if grep -q rollscope <<<"$depends"; then
    fail "Depends names a rollscope library; the package must bring its own: $depends"
fi

# 3. Files, as dpkg sees them.
dpkg-deb --contents "$deb" | awk '{ print $1, $NF }' | sed 's| \./| /|' >"$work/contents"
has() {
    local mode=$1 path=$2
    grep -Eq "^$mode /usr/$path\$" "$work/contents" || fail "package lacks /usr/$path (mode $mode)"
}
has '-rwxr-xr-x' bin/rollscope
has '-rwxr-xr-x' bin/rollscope-sim
has '-rw-r--r--' share/applications/dev.rollscope.Rollscope.desktop
has '-rw-r--r--' share/metainfo/dev.rollscope.Rollscope.metainfo.xml
has '-rw-r--r--' share/icons/hicolor/scalable/apps/dev.rollscope.Rollscope.svg
if [ -f "$source_dir/LICENSE" ]; then
    has '-rw-r--r--' share/doc/rollscope/copyright
fi
if [ -f "$source_dir/CHANGELOG.md" ]; then
    has '-rw-r--r--' share/doc/rollscope/changelog.gz
    has '-rw-r--r--' share/doc/rollscope/CHANGELOG\.md\.gz
fi
# Written alongside this test; checked once they are in the source tree.
for page in "$source_dir"/packaging/*.1; do
    [ -f "$page" ] || continue
    name=$(basename "$page")
    has '-rw-r--r--' "share/man/man1/${name//./\\.}(\\.gz)?"
done
for script in "$source_dir"/packaging/completion/*.bash; do
    [ -f "$script" ] || continue
    has '-rw-r--r--' "share/bash-completion/completions/$(basename "$script" .bash)"
done
if grep -Eq " /usr/(local|include)/| /(home|tmp|work)/" "$work/contents"; then
    fail "package installs outside /usr's usual folders: $(grep -E ' /usr/(local|include)/| /(home|tmp|work)/' "$work/contents" | head -3)"
fi

# 4. Installed as a user gets it, and the validators on the installed files.
root="$work/root"
dpkg-deb --extract "$deb" "$root"
desktop="$root/usr/share/applications/dev.rollscope.Rollscope.desktop"
metainfo="$root/usr/share/metainfo/dev.rollscope.Rollscope.metainfo.xml"
if [ -f "$desktop" ]; then
    out=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $out"
    [ -z "$out" ] || fail "desktop-file-validate reports: $out"
    icon=$(sed -n 's/^Icon=//p' "$desktop")
    [ -f "$root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] ||
        fail "the desktop entry's Icon=$icon is not in the package's hicolor theme"
    exec_binary=$(sed -n 's/^Exec=\([^ ]*\).*/\1/p' "$desktop")
    [ -x "$root/usr/bin/$exec_binary" ] || fail "the desktop entry's Exec=$exec_binary is not in /usr/bin"
fi
if [ -f "$metainfo" ]; then
    out=$(appstreamcli validate --no-net --no-color "$metainfo" 2>&1) || fail "appstreamcli validate: $out"
    release=$(grep -o '<release [^>]*version="[^"]*"' "$metainfo" | head -1 | sed 's/.*version="\([^"]*\)"/\1/')
    [ "$release" = "$version" ] ||
        fail "the metainfo's newest <release> is '$release', expected the project VERSION $version"
fi

# A package version without a Debian revision makes changelog.gz the Debian changelog
# (lintian: syntax-error-in-debian-changelog otherwise): it must parse, for this version.
changelog="$root/usr/share/doc/rollscope/changelog.gz"
if [ -f "$changelog" ]; then
    need dpkg-parsechangelog dpkg-dev
    gzip -dc "$changelog" >"$work/changelog"
    if parsed=$(dpkg-parsechangelog -l "$work/changelog" -S Version 2>&1); then
        [ "$parsed" = "$version" ] ||
            fail "the Debian changelog's newest entry is for '$parsed', expected $version"
    else
        fail "usr/share/doc/rollscope/changelog.gz is not a Debian changelog: $parsed"
    fi
fi

# 5. The installed binaries, with no help from the environment or the build folder.
for elf in "$root"/usr/bin/* "$root"/usr/lib/rollscope/*.so; do
    [ -f "$elf" ] || continue
    runpath=$(readelf --dynamic "$elf" | grep -E '\((RUNPATH|RPATH)\)' || true)
    if grep -Fq -e "$build" -e "$source_dir" <<<"$runpath"; then
        fail "$(basename "$elf") looks for libraries in the build tree: $runpath"
    fi
done
run_installed() {
    env -u LD_LIBRARY_PATH -u LD_PRELOAD QT_QPA_PLATFORM=offscreen \
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
        timeout 60 "$@"
}
for binary in rollscope rollscope-sim; do
    [ -x "$root/usr/bin/$binary" ] || continue
    missing=$(env -u LD_LIBRARY_PATH ldd "$root/usr/bin/$binary" | grep 'not found' || true)
    [ -z "$missing" ] || fail "installed $binary cannot find: $missing"
    # The test build's own shared libraries must come from the package's /usr/lib/rollscope.
    while read -r lib _ path _; do
        resolved=$(readlink -f "$path")
        [ "${resolved#"$root"/usr/lib/rollscope/}" != "$resolved" ] ||
            fail "installed $binary loads $lib from outside the package: $path"
    done < <(env -u LD_LIBRARY_PATH ldd "$root/usr/bin/$binary" | grep 'librollscope' || true)
done
if [ -x "$root/usr/bin/rollscope" ]; then
    status=0
    out=$(run_installed "$root/usr/bin/rollscope" --version 2>&1) || status=$?
    [ $status -eq 0 ] || fail "installed rollscope --version exited $status: $out"
    grep -Fq "$version" <<<"$out" || fail "installed rollscope --version does not print $version: $out"
fi
if [ -x "$root/usr/bin/rollscope-sim" ]; then
    status=0
    out=$(run_installed "$root/usr/bin/rollscope-sim" --help 2>&1) || status=$?
    [ $status -eq 0 ] || fail "installed rollscope-sim --help exited $status: $out"
    grep -Eq '^Usage: (.*/)?rollscope-sim ' <<<"$out" || fail "installed rollscope-sim --help prints no usage: $out"
fi

if [ $failures -gt 0 ]; then
    echo "$failures check(s) failed for $(basename "$deb")" >&2
    exit 1
fi
echo "PASS: $(basename "$deb") ($(du -h "$deb" | cut -f1)) in $((SECONDS - started)) s"
