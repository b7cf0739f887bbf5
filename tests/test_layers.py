"""The layers hold: the core imports no Qt and no UI, the UI imports no SQLAlchemy/Alembic.

Two independent checks: import-linter on the core package, and an AST scan of every source file
(also the directories that are mapped into the package: ui/, migrations/), which sees imports
inside functions too. A subprocess proves that the command line never loads Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0 and path.is_relative_to(ROOT / "navoppfolging"):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom) and node.level > 0 and path.is_relative_to(ROOT / "ui"):
            # ui/ is installed as navoppfolging.ui and imports its siblings relatively: resolve
            # those, so «from ..models import X» or «from .. import models» is seen for what it is.
            package = ["navoppfolging", "ui", *path.relative_to(ROOT / "ui").parent.parts]
            base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            found.add(base)
            if node.module is None:  # «from .. import models»: the names are modules
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def _offending(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for f in files:
        for name in _imports(f):
            if any(name == x or name.startswith(x + ".") for x in forbidden):
                bad.append(f"{f.relative_to(ROOT)} imports {name}")
    return bad


def test_core_never_imports_qt_or_ui() -> None:
    files = sorted((ROOT / "navoppfolging").rglob("*.py")) + sorted((ROOT / "migrations").rglob("*.py"))
    assert len(files) > 10
    assert _offending(files, ("PySide6", "shiboken6", "navoppfolging.ui", "ui")) == []


def test_ui_never_imports_sqlalchemy_or_alembic() -> None:
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert files
    assert _offending(files, ("sqlalchemy", "alembic", "navoppfolging.models", "navoppfolging.migrate")) == []


def test_scanner_catches_a_forbidden_import(tmp_path: Path) -> None:
    """The check itself can fail: an import hidden inside a function is found."""
    probe = ROOT / "navoppfolging" / "_layer_probe_tmp.py"
    probe.write_text("def f():\n    from PySide6 import QtCore\n", encoding="utf-8")
    try:
        assert _offending([probe], ("PySide6",)) == ["navoppfolging/_layer_probe_tmp.py imports PySide6"]
    finally:
        probe.unlink()


def test_scanner_resolves_relative_imports_in_ui() -> None:
    """The UI imports its own modules relatively; a relative reach into the core's database
    layer is still caught."""
    probe = ROOT / "ui" / "_layer_probe_tmp.py"
    probe.write_text("from . import theme\nfrom .. import models\n\ndef f():\n    from ..migrate import upgrade\n",
                     encoding="utf-8")
    try:
        assert sorted(_offending([probe], ("navoppfolging.models", "navoppfolging.migrate"))) == [
            "ui/_layer_probe_tmp.py imports navoppfolging.migrate",
            "ui/_layer_probe_tmp.py imports navoppfolging.models",
        ]
    finally:
        probe.unlink()


def test_import_linter_contract_holds() -> None:
    result = subprocess.run([str(Path(sys.executable).parent / "lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_command_line_does_not_load_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from navoppfolging.cli import main; "
        f"rc = main(['demo', {str(tmp_path / 'd.json')!r}, '--as-of', '2024-06-03']); "
        f"rc |= main(['--db', 'sqlite:///{tmp_path / 'x.db'}', 'import', {str(tmp_path / 'd.json')!r}]); "
        "assert rc == 0, rc; "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'navoppfolging.ui'))], 'Qt loaded'"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
