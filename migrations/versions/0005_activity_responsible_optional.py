"""an activity's «responsible» may be unknown

Revision ID: 0005
Revises: 0004

The exchange format lets ``responsible`` be missing or null (portfolio-format.md: «Everything
else may be missing or null»). An import used to store BRUKER for it, so the printed plan said
the young person («Du») was responsible for something nobody had decided. The column now takes
NULL, which the window and the plan show as «Ikke avklart». Going back fills NULL with BRUKER,
the value the older versions assumed.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("responsible", existing_type=sa.String(length=10), nullable=True)


def downgrade() -> None:
    op.execute("UPDATE activities SET responsible = 'BRUKER' WHERE responsible IS NULL")
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("responsible", existing_type=sa.String(length=10), nullable=False)
