#!/usr/bin/env bash
# Install into .venv (first time) and start navoppfolging with the default local database.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
need_debs "${BASE_DEBS[@]}" "${QT_DEBS[@]}"
ensure_venv ""
exec "$VENV/bin/navoppfolging" "$@"
