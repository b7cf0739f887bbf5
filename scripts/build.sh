#!/usr/bin/env bash
# Build the standalone onedir bundle with PyInstaller (build.spec) and run its self-test.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
need_debs "${BASE_DEBS[@]}" "${QT_DEBS[@]}" binutils
ensure_venv "[build]"
cd "$ROOT"
rm -rf build/pyi-site
# Install the package non-editable into a private directory so the bundle sees ui/, migrations/
# and resources/ where they live at run time (under navoppfolging/).
"$VENV/bin/python" -m pip install -q --no-deps --no-build-isolation --target build/pyi-site .
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyi-work build.spec
bundle=$(ls -d dist/navoppfolging-*/ | tail -n 1)
echo "Bunt: $bundle ($(du -sh "$bundle" | cut -f1))"
QT_QPA_PLATFORM=offscreen "$bundle/navoppfolging" --self-test
