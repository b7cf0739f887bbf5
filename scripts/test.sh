#!/usr/bin/env bash
# Install everything the tests need (Debian packages, .venv) and run the whole test suite.
# Works as root on a fresh Debian without a display or standard input; PostgreSQL tests start
# their own temporary server (tests/pg.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# poppler-utils reads printed PDFs back; postgresql serves the team-mode tests.
need_debs "${BASE_DEBS[@]}" "${QT_DEBS[@]}" poppler-utils postgresql
ensure_venv "[test]"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
# In this script the PostgreSQL tests must run, never skip quietly.
export NAVOPPFOLGING_REQUIRE_POSTGRES=1 CI=1
"$VENV/bin/lint-imports"
# Types: mypy strict (configured in pyproject.toml) on the core and the UI; ≈ 12 s without a cache.
echo "+ mypy navoppfolging ui"
"$VENV/bin/mypy" navoppfolging ui
exec "$VENV/bin/python" -m pytest -q "$@" </dev/null
