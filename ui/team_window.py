"""«Teamoversikt» on an open database, for the window's Verktøy menu and as the team lead's own
window.

In team mode a team lead's login gets no case rows (row-level security, revision 0002): only
the counts of the workload functions. So a team lead who starts the application gets this view
as the window, and an advisor opens it from the Verktøy menu on a local file (on the team
database an advisor is refused the counts, and the menu does not offer them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from .workload_view import WorkloadDialog

if TYPE_CHECKING:
    from navoppfolging.db import Database
    from navoppfolging.rules import LocalSettings
    from navoppfolging.workload import Workload

Loader = Callable[[dt.date], "Workload"]


def workload_loaders(db: Database, settings: LocalSettings | None = None) -> tuple[Loader, Loader]:
    """The full workload and the quick counts over ``db``, for ``WorkloadDialog``, with the
    office's local settings (e.g. INTERPRETER-BOOK days) as the command line's ``workload`` uses
    them — read from the database when not given."""
    from navoppfolging.rules import LocalSettings
    from navoppfolging.services import SettingsService
    from navoppfolging.workload import load_workload, load_workload_counts

    local = settings if settings is not None else LocalSettings.from_mapping(SettingsService(db).all())
    return (lambda day: load_workload(db, day, settings=local),
            lambda day: load_workload_counts(db, day, settings=local))


def team_lead_window(db: Database, *, today: dt.date) -> WorkloadDialog:
    """The team lead's window: Teamoversikt as a top-level window titled with the database, the
    advisors named (a team lead may read the advisor list, never a case)."""
    from navoppfolging.services import AdvisorService

    load, load_counts = workload_loaders(db)
    names = {str(a.ident): a.name for a in AdvisorService(db).list()}
    dialog = WorkloadDialog(load, as_of=today, load_counts=load_counts, names=names)
    dialog.setWindowTitle(f"Teamoversikt – {db.display_name}")
    return dialog
