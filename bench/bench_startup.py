"""Start-up time and footprint against the floor (issue 9).

In one run, over several runs each, it times from process start until the window shows a
filled table:
  (a) the floor: a bare PySide6 window with an empty QTableView;
  (b) navoppfolging: the real start path (QApplication + theme, open the default *encrypted*
      database with the key from the keyring, migrate check, load and evaluate the 50-case demo
      portfolio, build the main window) until the portfolio table has its 50 rows and has painted;
and reports medians, the ratio (b)/(a) and the peak resident memory of (b).
Target: ratio ≤ 1.5 and ≤ 200 MB.

    .venv/bin/python bench/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

FLOOR = textwrap.dedent("""
    import resource, sys
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    window.centralWidget().repaint()
    print("READY", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
""")

APP = textwrap.dedent("""
    import resource, sys
    from navoppfolging.ui.app import create_application, open_database
    app = create_application()
    db = open_database(None)
    from navoppfolging.ui.main_window import MainWindow
    from navoppfolging.ui.state import AppState
    from PySide6.QtWidgets import QTableView
    window = MainWindow(AppState(db))
    window.show()
    table = next(v for v in window.findChildren(QTableView) if v.model() is not None and v.model().rowCount() >= 50)
    app.processEvents()
    table.viewport().repaint()
    heavy = sorted(m for m in ("reportlab", "openpyxl", "psycopg", "icalendar") if m in sys.modules)
    print("READY", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, ",".join(heavy) or "-", flush=True)
    db.close()
""")


def _time(code: str, env: dict[str, str]) -> tuple[float, int, str]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.wait(timeout=60)
    if not line.startswith("READY"):
        raise SystemExit(f"child failed: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    parts = line.split()
    return elapsed, int(parts[1]), parts[2] if len(parts) > 2 else ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
               "XDG_DATA_HOME": f"{tmp}/data", "XDG_CONFIG_HOME": f"{tmp}/config", "XDG_STATE_HOME": f"{tmp}/state",
               "XDG_CACHE_HOME": f"{tmp}/cache", "NAVOPPFOLGING_LOG_DIR": f"{tmp}/logs",
               "PYTHONPATH": str(HERE), "PYTHON_KEYRING_BACKEND": "bench_keyring.BenchFileKeyring",
               "NAVOPPFOLGING_BENCH_KEYRING": f"{tmp}/keyring.json"}
        env.pop("NAVOPPFOLGING_DB", None)
        # Prepare the default (encrypted) database with the demo portfolio, outside the timing.
        prep = subprocess.run(
            [sys.executable, "-c",
             "import datetime as dt; from navoppfolging.db import Database; from navoppfolging.demo import generate; "
             "from navoppfolging.services import PortfolioService; db = Database.open(None); "
             "PortfolioService(db).import_portfolio(generate(dt.date.today())); print(db.encrypted); db.close()"],
            env=env, capture_output=True, text=True)
        if prep.returncode != 0:
            raise SystemExit(prep.stderr)
        encrypted = prep.stdout.strip()
        # One warm-up of each (file cache), then alternate so both see the same machine load.
        _time(FLOOR, env)
        _time(APP, env)
        floor, app, rss, heavy = [], [], [], ""
        for _ in range(args.runs):
            floor.append(_time(FLOOR, env)[0])
            t, r, heavy = _time(APP, env)
            app.append(t)
            rss.append(r)
    f, a = statistics.median(floor), statistics.median(app)
    print(f"floor (bare PySide6 window, empty table): median {f * 1000:.0f} ms  (min {min(floor) * 1000:.0f})")
    print(f"navoppfolging, 50 cases, encrypted={encrypted}: median {a * 1000:.0f} ms  (min {min(app) * 1000:.0f})")
    print(f"ratio: {a / f:.2f}  (target ≤ 1.5)")
    print(f"peak RSS navoppfolging: {max(rss) / 1024:.0f} MB  (target ≤ 200 MB)")
    print(f"heavy modules loaded at start-up: {heavy}")


if __name__ == "__main__":
    main()
