"""The PyInstaller bundle builds from build.spec, carries migrations, resources, fonts, Qt's
bokmål translation and the keyring backends, and its headless self-test migrates a fresh
database, evaluates the demo portfolio and writes a plan PDF (exit 0)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    if shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None:
        pytest.fail("PyInstaller mangler i test-miljøet (pyproject: test-ekstra)")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target",
                    str(site), str(ROOT)], check=True, capture_output=True)
    env = {**os.environ, "NAVOPPFOLGING_PYI_SITE": str(site)}
    build = subprocess.run(
        [str(Path(sys.executable).parent / "pyinstaller"), "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "work"), str(ROOT / "build.spec")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr[-3000:]
    bundle = next((tmp_path / "dist").glob("navoppfolging-*"))
    internal = bundle / "_internal"
    for required in ("navoppfolging/migrations/versions/0001_initial_schema.py", "navoppfolging/migrations/env.py",
                     "navoppfolging/resources/rulesets/mdb-2024.json", "navoppfolging/resources/fonts/DejaVuSans.ttf",
                     "navoppfolging/resources/icons/navoppfolging.svg",
                     "navoppfolging/resources/translations/qtbase_nb.qm"):
        assert (internal / required).exists(), required
    result = subprocess.run([str(bundle / "navoppfolging"), "--self-test"], capture_output=True, text=True,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "selvtest OK" in result.stdout
    probe = subprocess.run([str(bundle / "navoppfolging"), "--version"], capture_output=True, text=True)
    assert probe.returncode == 0 and "navoppfolging" in probe.stdout
