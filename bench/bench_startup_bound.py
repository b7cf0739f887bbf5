"""How far down navoppfolging's start-up could go if its own core cost nothing to import (issue 9).

``bench_startup.py`` times whole processes. This one answers a narrower question, to show where
the ratio's floor lies for this window: each start is timed from a ``fork()`` of a prepared
Python process, in three variants, over several rounds:
  (a) the floor's code (bare PySide6 window, empty table) in a fork of a bare interpreter;
  (b) navoppfolging's real start (``navoppfolging`` without arguments, to the painted table) in
      a fork of a bare interpreter;
  (c) the same start in a fork of an interpreter that has already imported every module of
      navoppfolging's core that the start imports before PySide6 (the command line, logging,
      the start-up read, the domain, the rule engine): the core's imports are free.
The interpreter's own start (``python -c pass`` with this venv's site) is timed separately and
added to each, so the ratios compare whole starts as ``bench_startup.py`` does. (c) still does
all the start's work — logging set-up, the lock and the fork of the read, the rule evaluation,
building and painting the window — so it bounds what moving the core off the window's critical
path (the idea in the issue's notes) could give.

    .venv/bin/python bench/bench_startup_bound.py [--runs 9]
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

from bench_startup import FLOOR, environment

# Imported by the start before PySide6 (see ui/app.py and cli.main); nothing of Qt.
CORE = ("navoppfolging.cli", "navoppfolging.errors", "navoppfolging.logs", "navoppfolging.quickread",
        "navoppfolging.domain", "navoppfolging.records", "navoppfolging.crypto", "navoppfolging.locking",
        "navoppfolging.paths", "navoppfolging.revisions", "navoppfolging.rules", "navoppfolging.holidays_no",
        "logging.handlers", "argparse", "pickle")

FORKED = textwrap.dedent("""
    import os, sys, time
    {preload}
    r, w = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        os.dup2(w, 1)
        sys.stdout = os.fdopen(1, "w")
        {body}
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as pipe:
        line = pipe.readline()
        elapsed = time.perf_counter() - started
        pipe.read()
    _pid, status = os.waitpid(pid, 0)
    if not line.startswith("READY") or os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {{line!r}} {{status}}")
    print(elapsed)
""")

APP_BODY = "from navoppfolging.cli import main; code = main([]); sys.stdout.flush(); os._exit(code)"


def _forked(preload: str, body: str) -> str:
    return FORKED.format(preload=preload, body=body.strip().replace("\n", "\n    "))


def _run(code: str, env: dict[str, str]) -> float:
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(out.stderr)
    return float(out.stdout.strip().splitlines()[-1])


def _interpreter(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    floor_code = _forked("", FLOOR)
    cold_code = _forked("", APP_BODY)
    warm_code = _forked("import " + ", ".join(CORE), APP_BODY)
    with tempfile.TemporaryDirectory() as tmp:
        env, app_env, encrypted = environment(tmp)
        _run(floor_code, env), _run(cold_code, app_env), _interpreter(env)  # warm the file cache
        py, floor, cold, warm = [], [], [], []
        for _ in range(args.runs):
            py.append(_interpreter(env))
            floor.append(_run(floor_code, env))
            cold.append(_run(cold_code, app_env))
            warm.append(_run(warm_code, app_env))
    p, f, c, w = (statistics.median(x) * 1000 for x in (py, floor, cold, warm))
    print(f"the interpreter's own start (python -c pass): median {p:.0f} ms")
    print(f"(a) floor, from fork: median {f:.0f} ms  → with the interpreter {p + f:.0f} ms")
    print(f"(b) navoppfolging (encrypted={encrypted}), from fork: median {c:.0f} ms  → {p + c:.0f} ms, "
          f"ratio {(p + c) / (p + f):.2f}")
    print(f"(c) the same with its core already imported: median {w:.0f} ms  → {p + w:.0f} ms, "
          f"ratio {(p + w) / (p + f):.2f}")
    print(f"the core's imports on the critical path: {c - w:.0f} ms; the rest of the start: {w - f:.0f} ms "
          "more than the floor")


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
