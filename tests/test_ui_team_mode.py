"""The window in team mode, against a real PostgreSQL server (tests/pg.py): a team lead's login
opens Teamoversikt as the window (row-level security gives it no case rows, so the advisor's
window could not open at all), an advisor's login opens the advisor's window with only their own
cases and without Teamoversikt (the database refuses an advisor the team's counts)."""

from __future__ import annotations


import pytest
from PySide6.QtCore import QSettings

from navoppfolging.db import Database
from navoppfolging.domain import Role
from navoppfolging.ui.app import TeamLead, open_state
from navoppfolging.ui.main_window import MainWindow
from navoppfolging.ui.state import AppState
from navoppfolging.ui.team_window import team_lead_window
from tests.conftest import TODAY
from tests.pg import as_user, pg_server, pg_url, team  # noqa: F401  (fixtures)
from tests.team_data import A, B, team_portfolio

pytestmark = pytest.mark.postgres


def test_the_login_s_group_role_is_read_from_the_server(team: str, db: Database) -> None:
    """TEAMLEDER and VEILEDER logins by their group; the owner (a superuser here, a member of
    every role to PostgreSQL) and a local file have none."""
    for user, expected in (("z990002", Role.TEAMLEDER), ("z990001", Role.VEILEDER), ("postgres", None)):
        opened = Database.open(as_user(team, user))
        try:
            assert opened.team_role() is expected, user
        finally:
            opened.close()
    assert db.team_role() is None


def test_a_team_lead_gets_teamoversikt_as_the_window(qtbot, team: str) -> None:  # type: ignore[no-untyped-def]
    """The advisor's window cannot open for a team lead (no case rows); open_state says so, and
    the team lead's window shows every advisor's counts from the server."""
    state = open_state(as_user(team, "z990002"))
    assert isinstance(state, TeamLead)
    try:
        window = team_lead_window(state.db, today=TODAY)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        assert window.windowTitle().startswith("Teamoversikt – ")
        assert "z990002" in window.windowTitle() and "pw-l" not in window.windowTitle()
        qtbot.waitUntil(lambda: window.model.workload is not None and not window.model.workload.rule_counts_pending,
                        timeout=10_000)
        workload = window.model.workload
        assert workload is not None
        portfolio = team_portfolio(TODAY)
        open_by = {a.advisor: a.open_cases for a in workload.advisors}
        shown = {window.proxy.index(r, 0).data() for r in range(window.proxy.rowCount())}
        assert {"Kari Veileder (Z990001)", "Ola Veileder (Z990003)"} <= shown
        assert open_by[A] == sum(1 for c in portfolio.cases if c.advisor == A and (c.closed_on is None or c.closed_on > TODAY))
        assert open_by[B] == sum(1 for c in portfolio.cases if c.advisor == B and (c.closed_on is None or c.closed_on > TODAY))
    finally:
        state.db.close()


def test_an_advisor_gets_own_cases_and_no_teamoversikt(qtbot, team: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = open_state(as_user(team, "z990001"))
    assert isinstance(state, AppState)
    try:
        assert state.team_role is Role.VEILEDER and not state.may_see_workload
        assert {c.advisor for c in state.case_list(include_closed=True)} == {A}
        window = MainWindow(state, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)
        texts = [a.text() for a in window.menu_tools.actions()]
        assert "Teamoversikt…" not in texts
        assert "Importer fra Excel/CSV…" in texts
    finally:
        state.close()


def test_a_local_file_still_offers_teamoversikt(qtbot, demo_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = AppState(demo_db, today=TODAY)
    assert state.team_role is None and state.may_see_workload
    window = MainWindow(state, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert "Teamoversikt…" in [a.text() for a in window.menu_tools.actions()]
