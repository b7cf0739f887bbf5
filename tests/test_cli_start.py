"""The command line's fast path for the advisor's usual start (no arguments: the window)."""

from __future__ import annotations

import types

import pytest

from navoppfolging import cli


def test_no_arguments_is_what_the_parser_gives_for_an_empty_command_line() -> None:
    # Any option added to the parser must be added to the fast path too, or this fails.
    assert vars(cli.no_arguments()) == vars(cli.build_parser([]).parse_args([]))


@pytest.mark.parametrize("argv", [[], ["--debug"], ["--db", "sqlite:///x.db"]])
def test_window_start_gets_the_parsed_options(monkeypatch: pytest.MonkeyPatch, argv: list[str]) -> None:
    seen: dict[str, object] = {}

    class Pending:
        def __init__(self, db_url: str | None) -> None:
            seen["pending"] = db_url

    def run(*, db_url: str | None, pending: object) -> int:
        seen["run"] = db_url
        return 0

    monkeypatch.setattr("navoppfolging.quickread.PendingQuickOpen", Pending)
    monkeypatch.setattr("navoppfolging.logs.setup_logging", lambda *, debug: seen.setdefault("debug", debug))
    real_import = cli.importlib.import_module
    monkeypatch.setattr(cli.importlib, "import_module",
                        lambda name: types.SimpleNamespace(run=run) if name == "navoppfolging.ui.app"
                        else real_import(name))
    assert cli.main(argv) == 0
    expected_db = argv[1] if argv[:1] == ["--db"] else None
    assert seen == {"pending": expected_db, "run": expected_db, "debug": argv == ["--debug"]}
