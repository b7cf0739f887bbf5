"""The exchange format and the import/export commands: round trips, every problem reported as
``path: message`` with exit 2, and nothing written when anything is wrong."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from navoppfolging.cli import main
from navoppfolging.db import Database
from navoppfolging.demo import generate
from navoppfolging.exchange import parse_portfolio, portfolio_to_dict
from navoppfolging.errors import ValidationError
from tests.conftest import TODAY

MINIMAL: dict[str, Any] = {
    "format": "navoppfolging-portfolio",
    "version": 1,
    "advisors": [{"ident": "Z990001", "name": "Kari Veileder"}],
    "cases": [{"ref": "U-0001", "advisor": "Z990001", "name": "Ola Nordmann", "birth_date": "2004-05-17"}],
}

SPEC_EXAMPLE: dict[str, Any] = {
    "format": "navoppfolging-portfolio", "version": 1,
    "advisors": [{"ident": "Z990001", "name": "Kari Veileder", "unit": "0315", "role": "VEILEDER",
                  "phone": "+47 55 55 33 33", "email": "kari.veileder@nav.no"}],
    "cases": [{
        "ref": "U-0001", "advisor": "Z990001", "name": "Ola Nordmann", "birth_date": "2004-05-17", "fnr": None,
        "phone": "+47 400 00 000", "email": None, "language": "nb", "needs_interpreter": False,
        "flags": ["LANDGRUPPE-3"], "registered_on": "2024-01-08", "follow_up_offered_on": "2024-02-01",
        "goal": "Fullføre vg3 og få læreplass", "hovedmal": "SKAFFE_ARBEID",
        "benefits": {"dagpenger": {"end": "2024-12-31"},
                     "aap": {"applied_on": None, "decided_on": None, "start": None, "end": None},
                     "omstillingsstonad": {"death_date": None}},
        "sick_leave_without_employer": {"start": None},
        "assessments": [{"date": "2024-01-15", "innsatsgruppe": "SITUASJONSBESTEMT_INNSATS", "note": "§ 14 a-vedtak"}],
        "contacts": [
            {"id": "k1", "date": "2024-02-01", "channel": "OPPMOTE", "status": "GJENNOMFORT",
             "summary": "Første samtale", "interpreter_booked": False},
            {"id": "k2", "date": "2024-03-05", "channel": "VIDEO", "status": "PLANLAGT", "summary": "",
             "interpreter_booked": False}],
        "activities": [{"id": "a1", "title": "Søke læreplass", "category": "JOBBSOKING", "status": "GJENNOMFORES",
                        "start": "2024-02-01", "end": "2024-04-30", "responsible": "BRUKER",
                        "description": "Minst fem søknader"}],
        "reminders": [{"id": "h1", "date": "2024-03-01", "text": "Sjekk svar fra OT", "done": False}],
        "exceptions": [{"id": "e1", "date": "2024-02-20", "kind": "IKKE_OPPNADD_KONTAKT", "note": "Ringt to ganger"}],
        "external_contacts": [{"role": "OT", "name": "Per Rådgiver", "phone": "+47 900 00 000",
                               "organisation": "Oppfølgingstjenesten"}],
        "closed_on": None, "closed_reason": None,
    }],
}


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _table_counts(url: str) -> dict[str, int]:
    db = Database.open(url)
    with db.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        counts = {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}
    db.close()
    return counts


def test_spec_example_round_trips_exactly(tmp_path: Path, db_url: str) -> None:
    src = _write(tmp_path / "in.json", SPEC_EXAMPLE)
    assert main(["--db", db_url, "import", str(src)]) == 0
    assert main(["--db", db_url, "export", str(tmp_path / "out.json")]) == 0
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == SPEC_EXAMPLE


def test_an_activity_without_responsible_stays_without_one(tmp_path: Path, db_url: str) -> None:
    """«Everything else may be missing or null»: an activity with responsible null (or left out)
    is stored and exported as null — not as BRUKER, which would put the young person down as
    responsible for something nobody decided."""
    data = copy.deepcopy(SPEC_EXAMPLE)
    data["cases"][0]["activities"][0]["responsible"] = None
    second = dict(data["cases"][0]["activities"][0], id="a2")
    del second["responsible"]
    data["cases"][0]["activities"].append(second)
    assert main(["--db", db_url, "import", str(_write(tmp_path / "in.json", data))]) == 0
    assert main(["--db", db_url, "export", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [a["responsible"] for a in out["cases"][0]["activities"]] == [None, None]


def test_demo_portfolio_round_trips(tmp_path: Path, db_url: str) -> None:
    assert main(["demo", str(tmp_path / "d.json"), "--as-of", TODAY.isoformat()]) == 0
    demo = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert len(demo["cases"]) == 50
    assert main(["--db", db_url, "import", str(tmp_path / "d.json")]) == 0
    assert main(["--db", db_url, "export", str(tmp_path / "e.json")]) == 0
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8")) == demo


def test_minimal_file_fills_defaults_and_reimport_updates_by_ref(tmp_path: Path, db_url: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "import", str(_write(tmp_path / "a.json", MINIMAL))]) == 0
    changed = copy.deepcopy(MINIMAL)
    changed["cases"][0]["name"] = "Ola Nordmann-Berg"
    changed["cases"][0]["contacts"] = [{"id": "k1", "date": "2024-05-01", "channel": "TELEFON", "status": "GJENNOMFORT",
                                        "time": "09:30", "place": "Telefon"}]
    capsys.readouterr()
    assert main(["--db", db_url, "import", str(_write(tmp_path / "b.json", changed))]) == 0
    assert "0 nye saker, 1 oppdatert" in capsys.readouterr().out
    assert main(["--db", db_url, "export", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert len(out["cases"]) == 1
    case = out["cases"][0]
    assert case["name"] == "Ola Nordmann-Berg"
    assert case["contacts"][0]["time"] == "09:30" and case["contacts"][0]["place"] == "Telefon"
    assert case["assessments"] == [] and case["flags"] == [] and case["needs_interpreter"] is False


def _bad_file() -> dict[str, Any]:
    bad = copy.deepcopy(SPEC_EXAMPLE)
    c = bad["cases"][0]
    c["birth_date"] = "2004-13-01"
    c["fnr"] = "12345678901"
    c["flags"] = ["LANDGRUPPE-4"]
    c["contacts"][0]["channel"] = "BREV"
    c["nickname"] = "Ola"
    c["activities"][0]["title"] = "x" * 101
    bad["cases"].append(copy.deepcopy(SPEC_EXAMPLE["cases"][0]))  # duplicate ref
    bad["cases"].append({"ref": "U-0009", "advisor": "Z000000", "name": "Kari", "birth_date": "2001-01-01"})
    return bad


def test_bad_file_lists_every_problem_and_writes_nothing(tmp_path: Path, db_url: str,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "import", str(_write(tmp_path / "ok.json", MINIMAL))]) == 0
    before = _table_counts(db_url)
    capsys.readouterr()
    assert main(["--db", db_url, "import", str(_write(tmp_path / "bad.json", _bad_file()))]) == 2
    err = capsys.readouterr().err.splitlines()
    expected = {
        "cases[0].birth_date": "ikke en gyldig dato",
        "cases[0].fnr": "fødselsnummer",
        "cases[0].flags[0]": "ukjent kode 'LANDGRUPPE-4'",
        "cases[0].contacts[0].channel": "ukjent kode 'BREV'",
        "cases[0].nickname": "ukjent felt",
        "cases[0].activities[0].title": "for lang tekst",
        "cases[1].ref": "står to ganger",
    }
    for path, fragment in expected.items():
        assert any(line.startswith(f"{path}: ") and fragment in line for line in err), (path, err)
    assert "Traceback" not in "\n".join(err)
    assert _table_counts(db_url) == before
    # The one check that needs the database (advisors not in the file) runs once the file is
    # otherwise valid — the command refuses a bad file before opening the database. Given the
    # database's advisors, parse_portfolio reports it in the same pass as everything else.
    with pytest.raises(ValidationError) as info:
        parse_portfolio(_bad_file(), known_advisors={"Z990001"})
    assert "cases[2].advisor: ukjent veileder 'Z000000' (ikke i filen eller databasen)" in map(str, info.value.problems)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"{not json", "ikke gyldig JSON"),
        (b"\xff\xfe{}", "ikke gyldig UTF-8"),
        (b"[]", "forventet et objekt"),
        (json.dumps({"format": "x", "version": 2}).encode(), "version"),
        (b"[" * 100000 + b"]" * 100000, "nøsting"),
    ],
)
def test_unreadable_files_are_rejected_with_a_message(tmp_path: Path, db_url: str, content: bytes, fragment: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "f.json"
    path.write_bytes(content)
    assert main(["--db", db_url, "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


@pytest.mark.parametrize("value", ["2004-W20-1", "2004-W201", "20040517", "2004-138", "2004-5-17", "2004-05-17T00:00",
                                   "２００４-０５-１７", "2004-02-30"])
def test_only_yyyy_mm_dd_dates_are_accepted(value: str) -> None:
    """Week dates and the basic format are ISO 8601 too (and date.fromisoformat takes them since
    Python 3.11), but the exchange format says ``YYYY-MM-DD``."""
    data = copy.deepcopy(MINIMAL)
    data["cases"][0]["birth_date"] = value
    data["cases"][0]["registered_on"] = value
    with pytest.raises(ValidationError) as info:
        parse_portfolio(data)
    assert [str(p) for p in info.value.problems] == [
        f"cases[0].{key}: ikke en gyldig dato (ÅÅÅÅ-MM-DD): {value!r}" for key in ("birth_date", "registered_on")]


def test_parse_iso_is_strict() -> None:
    import datetime as dt

    from navoppfolging.dates import parse_iso

    assert parse_iso("2024-02-29") == dt.date(2024, 2, 29)
    for bad in ("2024-W09-4", "20240229", "2023-02-29", "0000-01-01", "2024-02-29\n"):
        with pytest.raises(ValueError):
            parse_iso(bad)


@pytest.mark.parametrize("value", ["T1230", "1230Z", "12:30:00", "12.30", "24:00", "١٢:٣٠"])
def test_a_meeting_time_is_strictly_hh_mm(value: str) -> None:
    """A contact's time (the format's extension for planned meetings) is «TT:MM»;
    time.fromisoformat would also take «T1230» and «1230Z» (with a time zone)."""
    data = copy.deepcopy(MINIMAL)
    data["cases"][0]["contacts"] = [{"id": "k1", "date": "2024-03-05", "channel": "VIDEO", "status": "PLANLAGT",
                                     "time": value}]
    with pytest.raises(ValidationError) as info:
        parse_portfolio(data)
    assert [str(p) for p in info.value.problems] == [
        f"cases[0].contacts[0].time: ikke et gyldig klokkeslett (TT:MM): {value!r}"]
    data["cases"][0]["contacts"][0]["time"] = "09:30"
    import datetime as dt

    assert parse_portfolio(data).cases[0].contacts[0].time == dt.time(9, 30)


def _case_with(**fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    for key, value in fields.items():
        if value is _MISSING:
            del data["cases"][0][key]
        else:
            data["cases"][0][key] = value
    return data


_MISSING = object()


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"birth_date": _MISSING}, ["cases[0].birth_date: mangler (påkrevd)"]),
        ({"name": None}, ["cases[0].name: mangler (påkrevd)"]),
        ({"name": "n" * 201}, ["cases[0].name: for lang tekst: 201 tegn (maks 200)"]),
        ({"name": "   "}, ["cases[0].name: kan ikke være tom"]),
        ({"ref": "r" * 41}, ["cases[0].ref: for lang tekst: 41 tegn (maks 40)"]),
        ({"ref": None, "advisor": None}, ["cases[0].ref: mangler (påkrevd)", "cases[0].advisor: mangler (påkrevd)"]),
        ({"contacts": [{"date": "2024-01-01", "channel": "VIDEO", "status": None}]},
         ["cases[0].contacts[0].id: mangler (påkrevd)", "cases[0].contacts[0].status: mangler (påkrevd)"]),
    ],
)
def test_each_problem_is_reported_once_and_no_false_ones(fields: dict[str, Any], expected: list[str]) -> None:
    """A missing field used to be reported twice (by the object and by the field's reader), and a
    field that failed (too long, null) was then also «navn kan ikke være tomt»."""
    with pytest.raises(ValidationError) as info:
        parse_portfolio(_case_with(**fields))
    assert [str(p) for p in info.value.problems] == expected


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        ({"format": None}, ["format: mangler (påkrevd)"]),
        ({"version": None}, ["version: mangler (påkrevd)"]),
        # Not also «cases[0].advisor: ukjent veileder»: the advisor is in the file.
        ({"advisors": [{"ident": "Z990001", "name": None}]}, ["advisors[0].name: mangler (påkrevd)"]),
        ({"advisors": [{"ident": "Z990001", "name": "x" * 201}]},
         ["advisors[0].name: for lang tekst: 201 tegn (maks 200)"]),
    ],
)
def test_missing_top_level_and_advisor_fields_are_reported_once(top: dict[str, Any], expected: list[str]) -> None:
    data = {**copy.deepcopy(MINIMAL), **top}
    with pytest.raises(ValidationError) as info:
        parse_portfolio(data)
    assert [str(p) for p in info.value.problems] == expected


def test_missing_birth_date_is_one_line_on_the_command_line(tmp_path: Path, db_url: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path / "f.json", _case_with(birth_date=_MISSING))
    assert main(["--db", db_url, "import", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == ["cases[0].birth_date: mangler (påkrevd)"]


@pytest.mark.parametrize("version", [1.0, True, "1", 1.5, 2, 0])
def test_version_must_be_the_integer_1(version: Any) -> None:
    with pytest.raises(ValidationError) as info:
        parse_portfolio({**copy.deepcopy(MINIMAL), "version": version})
    assert [str(p) for p in info.value.problems] == [f"version: versjon {version!r} støttes ikke (forventet 1)"]


def test_version_1_0_in_a_file_is_rejected(tmp_path: Path, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "f.json"
    path.write_text(json.dumps(MINIMAL).replace('"version": 1,', '"version": 1.0,'), encoding="utf-8")
    assert main(["--db", db_url, "import", str(path)]) == 2
    assert "version: versjon 1.0 støttes ikke (forventet 1)" in capsys.readouterr().err


def test_valid_fnr_and_d_number_are_accepted() -> None:
    data = copy.deepcopy(MINIMAL)
    data["cases"][0]["fnr"] = "15108695088"  # fødselsnummer with valid checksums
    data["cases"].append({"ref": "U-0002", "advisor": "Z990001", "name": "D Nummer", "birth_date": "1986-10-15",
                          "fnr": "55108695089"})
    with pytest.raises(ValidationError) as info:
        parse_portfolio(data)
    # 55108695089 has a wrong check digit; a correct D-number for the same person passes.
    assert [p.path for p in info.value.problems] == ["cases[1].fnr"]
    from stdnum.no import fodselsnummer

    base = "551086950"
    k1 = fodselsnummer.calc_check_digit1(base)
    d_number = base + k1 + fodselsnummer.calc_check_digit2(base + k1)
    data["cases"][1]["fnr"] = d_number
    assert len(parse_portfolio(data).cases) == 2


def test_unknown_advisor_known_from_database_is_accepted(tmp_path: Path, db_url: str) -> None:
    assert main(["--db", db_url, "import", str(_write(tmp_path / "a.json", MINIMAL))]) == 0
    only_case = {"format": "navoppfolging-portfolio", "version": 1,
                 "cases": [{"ref": "U-0002", "advisor": "Z990001", "name": "Kari", "birth_date": "2001-02-03"}]}
    assert main(["--db", db_url, "import", str(_write(tmp_path / "b.json", only_case))]) == 0


def test_serialisation_is_stable() -> None:
    p = generate(TODAY)
    assert portfolio_to_dict(parse_portfolio(portfolio_to_dict(p))) == portfolio_to_dict(p)


def test_missing_file_and_bad_usage_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(tmp_path / "nope.json"), "--db", f"sqlite:///{tmp_path / 'x.db'}"]) == 2
    assert "filen finnes ikke" in capsys.readouterr().err
    assert main(["import"]) == 2
    assert main(["frobnicate"]) == 2


def test_duplicate_keys_are_rejected_and_nothing_is_written(tmp_path: Path, db_url: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    """JSON keeps the last of two equal keys: «"name": "Ola", "name": "Kari"» imported as Kari."""
    assert main(["--db", db_url, "import", str(_write(tmp_path / "ok.json", MINIMAL))]) == 0
    before = _table_counts(db_url)
    case = ('{"ref": "U-0001", "advisor": "Z990001", "name": "Ola", "name": "Kari", "birth_date": "2004-05-17",'
            ' "benefits": {"dagpenger": {"end": null, "end": "2024-01-01"}}}')
    path = tmp_path / "dup.json"
    path.write_text('{"format": "navoppfolging-portfolio", "version": 1, "version": 1, '
                    f'"cases": [{case}]}}', encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", db_url, "import", str(path)]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "version: står flere ganger i samme objekt (bare én verdi er tillatt)",
        "cases[0].name: står flere ganger i samme objekt (bare én verdi er tillatt)",
        "cases[0].benefits.dagpenger.end: står flere ganger i samme objekt (bare én verdi er tillatt)",
    ]
    assert _table_counts(db_url) == before


def test_invalid_file_does_not_create_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A bad file used to create and migrate the database (and its lock file) before it was read."""
    folder = tmp_path / "db"
    folder.mkdir()
    bad = _write(tmp_path / "bad.json", _bad_file())
    assert main(["--db", f"sqlite:///{folder / 'new.db'}", "import", str(bad)]) == 2
    assert "cases[0].birth_date: ikke en gyldig dato" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_an_unknown_advisor_does_not_create_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A database that does not exist knows no advisor: a case whose advisor the file does not
    bring is refused before anything is created."""
    folder = tmp_path / "db"
    folder.mkdir()
    data = copy.deepcopy(MINIMAL)
    data["advisors"] = []
    assert main(["--db", f"sqlite:///{folder / 'new.db'}", "import", str(_write(tmp_path / "a.json", data))]) == 2
    assert "cases[0].advisor" in capsys.readouterr().err
    assert list(folder.iterdir()) == []


def test_invalid_file_writes_no_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Opening an existing database takes the day's first backup: not for a file that is refused."""
    folder = tmp_path / "db"
    folder.mkdir()
    url = f"sqlite:///{folder / 'x.db'}"
    assert main(["--db", url, "import", str(_write(tmp_path / "ok.json", MINIMAL))]) == 0
    before = sorted(p.name for p in folder.rglob("*"))
    assert main(["--db", url, "import", str(_write(tmp_path / "bad.json", _bad_file()))]) == 2
    assert sorted(p.name for p in folder.rglob("*")) == before
    assert not (folder / "backups").exists()
    # The check that needs the database still runs (an advisor neither in the file nor there).
    only_case = {"format": "navoppfolging-portfolio", "version": 1,
                 "cases": [{"ref": "U-0002", "advisor": "Z000000", "name": "Kari", "birth_date": "2001-02-03"}]}
    capsys.readouterr()
    assert main(["--db", url, "import", str(_write(tmp_path / "c.json", only_case))]) == 2
    assert capsys.readouterr().err.splitlines() == [
        "cases[0].advisor: ukjent veileder 'Z000000' (ikke i filen eller databasen)"]


def test_advisor_role_left_out_keeps_the_stored_role(tmp_path: Path, db_url: str) -> None:
    """Re-importing a team leader without ``role`` demoted him to VEILEDER (team-mode access
    depends on the role). A role left out or null now keeps the stored one; a new advisor without
    one is a VEILEDER; a stated role is still applied."""
    from navoppfolging.domain import Advisor, AdvisorIdent, Role
    from navoppfolging.services import AdvisorService

    first = {"format": "navoppfolging-portfolio", "version": 1,
             "advisors": [{"ident": "Z990002", "name": "Per Teamleder", "role": "TEAMLEDER", "unit": "0315"}]}
    assert main(["--db", db_url, "import", str(_write(tmp_path / "a.json", first))]) == 0

    def roles() -> dict[str, Role | None]:
        db = Database.open(db_url)
        try:
            return {a.ident: a.role for a in AdvisorService(db).list()}
        finally:
            db.close()

    again = {"format": "navoppfolging-portfolio", "version": 1,
             "advisors": [{"ident": "Z990002", "name": "Per Teamleder"},
                          {"ident": "Z990003", "name": "Nina Ny", "role": None}]}
    assert main(["--db", db_url, "import", str(_write(tmp_path / "b.json", again))]) == 0
    assert roles() == {"Z990002": Role.TEAMLEDER, "Z990003": Role.VEILEDER}
    again["advisors"][0]["role"] = None
    assert main(["--db", db_url, "import", str(_write(tmp_path / "c.json", again))]) == 0
    assert roles()["Z990002"] is Role.TEAMLEDER
    # Stated: applied, both ways.
    again["advisors"][0]["role"] = "VEILEDER"
    again["advisors"][1]["role"] = "TEAMLEDER"
    assert main(["--db", db_url, "import", str(_write(tmp_path / "d.json", again))]) == 0
    assert roles() == {"Z990002": Role.VEILEDER, "Z990003": Role.TEAMLEDER}
    # The same rule for the service the window and `admin` save through.
    db = Database.open(db_url)
    try:
        AdvisorService(db).save(Advisor(ident=AdvisorIdent("Z990003"), name="Nina Ny"))
        AdvisorService(db).save(Advisor(ident=AdvisorIdent("Z990004"), name="Ola Ny"))
    finally:
        db.close()
    assert roles() == {"Z990002": Role.VEILEDER, "Z990003": Role.TEAMLEDER, "Z990004": Role.VEILEDER}
    # Export always states the role.
    assert main(["--db", db_url, "export", str(tmp_path / "out.json")]) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert {a["ident"]: a["role"] for a in out["advisors"]} == {
        "Z990002": "VEILEDER", "Z990003": "TEAMLEDER", "Z990004": "VEILEDER"}
