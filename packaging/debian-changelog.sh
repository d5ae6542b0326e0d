#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes the package's /usr/share/doc/rollscope/changelog.gz in Debian's changelog format
# (deb-changelog(5)): one entry for VERSION, dated by that release in the AppStream metainfo, so
# the same sources give the same bytes. What changed is in CHANGELOG.md.gz beside it.
#   debian-changelog.sh VERSION METAINFO MAINTAINER GZIP OUTPUT
set -eu
version=$1 metainfo=$2 maintainer=$3 gzip=$4 output=$5
day=$(sed -n "s/.*<release version=\"$version\" date=\"\([0-9-]*\)\".*/\1/p" "$metainfo" | head -n 1)
if [ -z "$day" ]; then
    echo "debian-changelog.sh: $metainfo has no <release version=\"$version\" date=...>" >&2
    exit 1
fi
date=$(LC_ALL=C date -u -R -d "$day 12:00:00 UTC")
{
    printf 'rollscope (%s) unstable; urgency=medium\n\n' "$version"
    printf '  * Release %s. The changes are listed in\n' "$version"
    printf '    /usr/share/doc/rollscope/CHANGELOG.md.gz.\n\n'
    printf ' -- %s  %s\n' "$maintainer" "$date"
} | "$gzip" -9n >"$output.tmp"
mv "$output.tmp" "$output"
