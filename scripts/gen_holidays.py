"""Write resources/holidays/no.json: Norway's public holidays 2015–2045 as the ``holidays``
package gives them (bokmål names). The application reads this table instead of importing the
package at start-up — importing it loads every country (≈ 0.25 s) — and falls back to the
package for years outside it. ``tests/test_holidays_table.py`` proves the table equals the
package's output, so it cannot drift; re-run this after upgrading ``holidays``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from navoppfolging.holidays_no import FIRST_TABLE_YEAR, LAST_TABLE_YEAR, holidays_from_package  # noqa: E402


def main() -> None:
    table = {str(year): {day.isoformat(): name for day, name in sorted(holidays_from_package(year).items())}
             for year in range(FIRST_TABLE_YEAR, LAST_TABLE_YEAR + 1)}
    out = ROOT / "resources" / "holidays" / "no.json"
    out.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"skrev {out} ({len(table)} år)")


if __name__ == "__main__":
    main()
