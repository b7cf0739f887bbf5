"""The head revision of the migrations, read straight from the revision files.

No SQLAlchemy and no Alembic here: the window compares the database's stored revision with this
before SQLAlchemy is loaded (``quickread``), and ``migrate`` uses it to skip importing Alembic
when nothing is to be done. ``tests/test_migrations.py`` proves it equal to Alembic's answer.
"""

from __future__ import annotations

import re
from functools import lru_cache

from navoppfolging import migrations_path

_REVISION = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision(?::[^=]+)?=\s*(?:['\"]([^'\"]+)['\"]|None)", re.MULTILINE)


@lru_cache(maxsize=1)
def head_revision() -> str | None:
    """The head of the (linear) chain; Alembic's own answer when the files do not give one."""
    revisions: dict[str, str | None] = {}
    for path in (migrations_path() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev, down = _REVISION.search(source), _DOWN.search(source)
        if rev is not None and down is not None:
            revisions[rev.group(1)] = down.group(1)
    pointed_at = set(revisions.values())
    heads = [r for r in revisions if r not in pointed_at]
    if len(heads) == 1:
        return heads[0]
    from navoppfolging.migrate import alembic_head

    return alembic_head()
