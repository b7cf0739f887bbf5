"""Start-up time and footprint against the floor (issue 9).

In one run, over several runs each, it times from process start until the window shows a
filled table:
  (a) the floor: a bare PySide6 window with an empty QTableView;
  (b) navoppfolging: the real start — the ``navoppfolging`` command without arguments (argument
      parsing, logging, QApplication + theme, the default *encrypted* database locked and keyed
      from the keyring, schema revision checked, the 50-case demo portfolio read and evaluated,
      the main window built) until the portfolio table has its 50 rows and has painted.
Both stop the clock after ``show()`` and one round of ``processEvents()``, the round whose expose
paints the window (tests/test_ui_main_window.py proves the table's rows are painted in it); no
second, forced repaint is timed;
and reports medians, the ratio (b)/(a) and the peak resident memory of (b) over its whole run
(after the paint it goes on to load SQLAlchemy and open the full database, then exits). Two
references are timed in the same rounds and reported beside the floor, to show what any window
with text, or with a Python model and NAV's theme, costs before it reads or shows anything of
ours (see TEXT_TABLE and THEMED_TABLE).
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

# Every window below ends the same way: a QMainWindow ``window`` whose central widget is the
# table, shown, one round of events (the expose that paints it), then the READY line.
_SHOW = textwrap.dedent("""
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    print("READY", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
""")

FLOOR = textwrap.dedent("""
    import resource, sys
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QTableView())
""") + _SHOW

# Two references, reported beside the floor (the ratio stays navoppfolging against the floor):
# what the first text costs (the same window, the table filled with 50 × 9 short texts from Qt's
# own C++ model: the font database and glyphs, which the empty floor never touches), and a
# themed table from Python (a QAbstractTableModel in Python, which needs the ``Qt`` namespace —
# 96 enums built on first use — plus Fusion, the Aksel palette and stylesheet and the app icon
# from ``navoppfolging.ui.theme``). Neither reads a database nor builds anything else.
TEXT_TABLE = textwrap.dedent("""
    import resource, sys
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    model = QStandardItemModel(50, 9)
    for row in range(50):
        for column in range(9):
            model.setItem(row, column, QStandardItem(f"Tekst {row} {column}"))
    view = QTableView()
    view.setModel(model)
    window.setCentralWidget(view)
""") + _SHOW

THEMED_TABLE = textwrap.dedent("""
    import resource, sys
    from PySide6.QtCore import QAbstractTableModel, Qt
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
    from navoppfolging.ui import theme

    class Model(QAbstractTableModel):
        def rowCount(self, parent=None):
            return 50

        def columnCount(self, parent=None):
            return 9

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.DisplayRole:
                return f"Tekst {index.row()} {index.column()}"
            return None

    app = QApplication([*sys.argv[:1], "-style", "fusion"])
    theme.apply_theme(app, set_style=False)
    window = QMainWindow()
    view = QTableView()
    model = Model()
    view.setModel(model)
    window.setCentralWidget(view)
""") + _SHOW

# The real start: the ``navoppfolging`` command without arguments, as the advisor starts it
# (argument parsing, logging, the start-up read, the window). ``NAVOPPFOLGING_BENCH_READY``
# makes it print «READY <peak RSS> <rows> <heavy modules>» once the table has painted.
APP = "import sys; from navoppfolging.cli import main; sys.exit(main([]))"


def _time(code: str, env: dict[str, str]) -> tuple[float, int, str]:
    """Seconds until the READY line, the peak RSS (KiB) of the whole run — navoppfolging goes on
    to load SQLAlchemy and open the full database after the first paint, then exits — and the
    heavy modules that were loaded at READY."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    assert proc.stdout is not None and proc.stderr is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - started
    proc.stdout.read()
    errors = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if not line.startswith("READY") or proc.returncode != 0:
        raise SystemExit(f"child failed ({proc.returncode}): {line!r} {errors}")
    parts = line.split()
    return elapsed, usage.ru_maxrss, parts[-1] if len(parts) > 2 else ""


def _compile_package(env: dict[str, str]) -> None:
    """Byte-compile navoppfolging as pip does when it installs a wheel (and as Python does on the
    first start of an editable install). Without it, a shell with PYTHONDONTWRITEBYTECODE set —
    this machine's — recompiles every module of ours on every start (≈ 65 ms) and the figure
    would measure the compiler, not the start."""
    code = ("import compileall, navoppfolging, navoppfolging.ui, navoppfolging.migrations, sys; "
            "ok = all(compileall.compile_dir(p, quiet=1) for m in (navoppfolging, navoppfolging.ui, "
            "navoppfolging.migrations) for p in m.__path__); sys.exit(0 if ok else 1)")
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def environment(tmp: str) -> tuple[dict[str, str], dict[str, str], str]:
    """The environment of every timed process (a throw-away home in ``tmp``, the bench keyring),
    the same plus the READY switch for navoppfolging, and whether the default database — made here,
    with the demo portfolio, outside the timing — is encrypted. The package is byte-compiled."""
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "XDG_DATA_HOME": f"{tmp}/data", "XDG_CONFIG_HOME": f"{tmp}/config", "XDG_STATE_HOME": f"{tmp}/state",
           "XDG_CACHE_HOME": f"{tmp}/cache", "NAVOPPFOLGING_LOG_DIR": f"{tmp}/logs",
           "PYTHONPATH": str(HERE), "PYTHON_KEYRING_BACKEND": "bench_keyring.BenchFileKeyring",
           "NAVOPPFOLGING_BENCH_KEYRING": f"{tmp}/keyring.json"}
    env.pop("NAVOPPFOLGING_DB", None)
    app_env = {**env, "NAVOPPFOLGING_BENCH_READY": "1"}
    prep = subprocess.run(
        [sys.executable, "-c",
         "import datetime as dt; from navoppfolging.db import Database; from navoppfolging.demo import generate; "
         "from navoppfolging.services import PortfolioService; db = Database.open(None); "
         "PortfolioService(db).import_portfolio(generate(dt.date.today())); print(db.encrypted); db.close()"],
        env=env, capture_output=True, text=True)
    if prep.returncode != 0:
        raise SystemExit(prep.stderr)
    _compile_package(env)
    return env, app_env, prep.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env, app_env, encrypted = environment(tmp)
        # One warm-up of each (file cache), then alternate so both see the same machine load.
        _time(FLOOR, env)
        _time(APP, app_env)
        floor, app, rss, heavy = [], [], [], ""
        text, themed = [], []
        for _ in range(args.runs):
            floor.append(_time(FLOOR, env)[0])
            t, r, heavy = _time(APP, app_env)
            app.append(t)
            rss.append(r)
            text.append(_time(TEXT_TABLE, env)[0])
            themed.append(_time(THEMED_TABLE, env)[0])
    f, a = statistics.median(floor), statistics.median(app)
    print(f"floor (bare PySide6 window, empty table): median {f * 1000:.0f} ms  (min {min(floor) * 1000:.0f})")
    for label, times in (("reference: the floor's table with 50 × 9 texts (Qt's C++ model)", text),
                         ("reference: a themed table from a Python model (Qt namespace, Aksel theme)", themed)):
        m = statistics.median(times)
        print(f"{label}: median {m * 1000:.0f} ms  (min {min(times) * 1000:.0f}), {m / f:.2f} × the floor")
    print(f"navoppfolging, 50 cases, encrypted={encrypted}: median {a * 1000:.0f} ms  (min {min(app) * 1000:.0f})")
    print(f"ratio: {a / f:.2f}  (target ≤ 1.5)")
    print(f"peak RSS navoppfolging: {max(rss) / 1024:.0f} MB  (target ≤ 200 MB)")
    print(f"heavy modules loaded at start-up: {heavy}")


if __name__ == "__main__":
    main()
