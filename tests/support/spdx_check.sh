#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every source file carries its licence (LICENSE, MIT) as an SPDX line near its top: C++ and
# JavaScript sources, shell and Python scripts, CMake files. Test data, seeds and generated
# files are not sources. Usage: spdx_check.sh SOURCE_DIR
set -euo pipefail
root=${1:?usage: spdx_check.sh SOURCE_DIR}
missing=0
while IFS= read -r -d '' file; do
    if ! head -n 3 "$file" | grep -q 'SPDX-License-Identifier: MIT'; then
        echo "no SPDX-License-Identifier line: ${file#"$root"/}"
        missing=$((missing + 1))
    fi
done < <(find "$root" \
    \( -path "$root/build*" -o -path "$root/.git" -o -path '*/node_modules' \
       -o -path "$root/tests/data" -o -path "$root/tests/fuzz/seeds" \
       -o -path "$root/tests/fuzz/regressions" \) -prune -o \
    -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.mjs' -o -name '*.sh' -o -name '*.py' \
       -o -name '*.cmake' -o -name CMakeLists.txt \) -print0)
if [ "$missing" -gt 0 ]; then
    echo "$missing source file(s) without an SPDX line"
    exit 1
fi
echo "every source file has its SPDX line"
