"""A plain (non-editable) install works from any directory: the wheel carries migrations and
resources under the navoppfolging namespace and nothing lands bare in site-packages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("navoppfolging-*.whl"))


def test_wheel_maps_ui_migrations_resources_under_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops <= {"navoppfolging", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"}, tops
    for required in ("navoppfolging/migrations/env.py", "navoppfolging/migrations/script.py.mako",
                     "navoppfolging/migrations/versions/0001_initial_schema.py", "navoppfolging/ui/app.py",
                     "navoppfolging/resources/rulesets/mdb-2024.json",
                     "navoppfolging/resources/translations/qtbase_nb.qm"):
        assert required in names, required


def test_installed_copy_runs_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    db = f"sqlite:///{tmp_path / 'x.db'}"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "navoppfolging", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True)

    where = subprocess.run([sys.executable, "-c", "import navoppfolging; print(navoppfolging.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True)
    assert where.stdout.startswith(str(target)), where.stdout + where.stderr
    assert run("demo", "d.json", "--as-of", "2024-06-03").returncode == 0
    result = run("--db", db, "import", "d.json")
    assert result.returncode == 0, result.stderr
    assert run("--db", db, "export", "e.json").returncode == 0
    assert json.loads((elsewhere / "d.json").read_text()) == json.loads((elsewhere / "e.json").read_text())
