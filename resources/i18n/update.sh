#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Brings resources/i18n/rollscope_zh_CN.ts up to date with the sources: new user-visible strings
# come in as type="unfinished" (translate them in Qt Linguist or an editor and drop the type),
# strings gone from the code are dropped. tst_translations fails until every entry is translated.
#   resources/i18n/update.sh
#   LUPDATE=/path/to/lupdate resources/i18n/update.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
lupdate=${LUPDATE:-$(command -v lupdate6 || echo /usr/lib/qt6/bin/lupdate)}
# The same sources and options as tests/unit/tst_translations.cpp.
exec "$lupdate" -locations none -no-obsolete -no-ui-lines -silent models ui app \
    -ts resources/i18n/rollscope_zh_CN.ts "$@"
