"""Spreadsheet import: real XLSX and CSV files (every encoding and separator advisors' Excel
produces) with good and bad rows; the preview's per-row problems; one-transaction import; the
dry run writes nothing; export → import round trips; the command line's report and exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from navoppfolging import domain as d
from navoppfolging import tabular
from navoppfolging.cli import main
from navoppfolging.tabular import ColumnMapping, Field, RejectReport, preview, read_table
from tests.conftest import TODAY

HEADERS = ["Navn", "Fødselsdato", "Fnr", "Telefon", "Innsatsgruppe", "Registrert", "Siste møte", "Neste møte",
           "Mål", "Ytelse", "Tolk"]
def _fnr(birth: dt.date) -> str:
    import random

    from navoppfolging.demo import synthetic_fnr

    fnr = synthetic_fnr(birth, random.Random(1))
    assert fnr is not None
    return fnr


def rows() -> list[list[str]]:
    """Two good rows, four bad ones: bad date, invalid fnr, unknown innsatsgruppe, missing name."""
    return [
        ["Åse Ødegård", "17.05.2004", _fnr(dt.date(2004, 5, 17)), "400 00 000", "Trenger veiledning", "08.01.2024",
         "01.02.2024", "12.06.2024 10:30", "Fullføre vg3 – læreplass", "Dagpenger til 31.12.2024", "ja"],
        ["Per Ås", "3.4.05", "", "", "Standardinnsats", "", "", "", "", "", "nei"],
        ["Kari Bad Dato", "31.02.2004", "", "", "Gode muligheter", "", "", "", "", "", ""],
        ["Ola Feil Fnr", "01.01.2004", "01010412345", "", "BFORM", "", "", "", "", "", ""],
        ["Ukjent Gruppe", "01.01.2004", "", "", "Veldig god innsats", "", "", "", "", "", ""],
        ["", "01.01.2004", "", "", "Trenger veiledning", "", "", "", "", "", ""],
    ]


def write_csv(path: Path, *, encoding: str, delimiter: str) -> Path:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(HEADERS)
    w.writerows(rows())
    text = buf.getvalue()
    if encoding == "utf-8-sig":
        data = b"\xef\xbb\xbf" + text.encode("utf-8")
    else:
        data = text.encode(encoding)
    path.write_bytes(data)
    return path


def write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Min portefølje juni 2024"])  # a title line above the headers
    ws.append(HEADERS)
    for r in rows():
        ws.append(r)
    # Excel date cells instead of text in the first row, and a number where Excel dropped the zero.
    ws["B3"] = dt.datetime(2004, 5, 17)
    ws["G3"] = dt.datetime(2024, 2, 1)
    ws["H3"] = dt.datetime(2024, 6, 12, 10, 30)
    ws.append([])  # an empty row in between is skipped, the numbering still follows the sheet
    ws.append(["Siri Sist", "15.08.2003", "", "", "Trenger veiledning, nedsatt arbeidsevne"])
    wb.save(path)
    return path


def _check_good_and_bad(result: tabular.Preview, *, first_row: int) -> None:
    by_row = {r.row: r for r in result.rows}
    good = by_row[first_row]
    assert good.ok, good.problems
    c = good.case
    assert c is not None
    assert (c.name, c.birth_date, c.phone, c.goal) == ("Åse Ødegård", dt.date(2004, 5, 17), "400 00 000",
                                                     "Fullføre vg3 – læreplass")
    assert c.fnr == _fnr(dt.date(2004, 5, 17))
    assert c.assessments == (d.Assessment(dt.date(2024, 1, 8), d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS, "Fra regneark"),)
    held, planned = c.contacts
    assert (held.date, held.status, held.channel) == (dt.date(2024, 2, 1), d.ContactStatus.GJENNOMFORT, d.Channel.OPPMOTE)
    assert (planned.date, planned.time, planned.status) == (dt.date(2024, 6, 12), dt.time(10, 30), d.ContactStatus.PLANLAGT)
    assert c.benefits.dagpenger.end == dt.date(2024, 12, 31)
    assert c.needs_interpreter is True
    assert c.advisor == "Z990001"
    second = by_row[first_row + 1]
    assert second.ok
    assert second.case is not None and second.case.birth_date == dt.date(2005, 4, 3)  # d.m.yy
    # Without a registration date the innsatsgruppe is dated the import date (documented).
    assert second.case.assessments[0].date == TODAY
    assert second.case.assessments[0].innsatsgruppe is d.Innsatsgruppe.STANDARD_INNSATS  # old name
    assert [c.ref for c in result.cases][:2] == ["U-0051", "U-0052"]

    def problems(row: int) -> list[str]:
        return [f"{p.column}: {p.message}" for p in by_row[row].problems]

    assert problems(first_row + 2) == ["Fødselsdato (B): datoen finnes ikke: '31.02.2004'"]
    assert problems(first_row + 3) == ["Fnr (C): ugyldig fødselsnummer eller D-nummer (kontrollsifrene stemmer ikke)"]
    assert len(problems(first_row + 4)) == 1 and problems(first_row + 4)[0].startswith(
        "Innsatsgruppe (E): ukjent innsatsgruppe 'Veldig god innsats'")
    assert problems(first_row + 5) == ["Navn (A): navn mangler"]
    # The report never repeats a fødselsnummer.
    assert "01010412345" not in RejectReport.from_preview(result).to_text()


@pytest.mark.parametrize(
    ("encoding", "delimiter", "label"),
    [("utf-8", ";", "UTF-8"), ("utf-8", ",", "UTF-8"), ("utf-8-sig", ";", "UTF-8 med BOM"),
     ("utf-8-sig", ",", "UTF-8 med BOM"), ("cp1252", ";", "Windows-1252"), ("cp1252", ",", "Windows-1252")],
)
def test_csv_in_every_encoding_and_separator(tmp_path: Path, encoding: str, delimiter: str, label: str) -> None:
    table = read_table(write_csv(tmp_path / "liste.csv", encoding=encoding, delimiter=delimiter))
    assert table.headers == tuple(HEADERS)  # «Fødselsdato» decoded, no BOM glued to «Navn»
    assert table.delimiter == delimiter and label in table.describe()
    mapping = ColumnMapping.recognise(table.headers)
    assert mapping.fields == (Field.NAME, Field.BIRTH_DATE, Field.FNR, Field.PHONE, Field.INNSATSGRUPPE,
                              Field.REGISTERED_ON, Field.LAST_MEETING, Field.NEXT_MEETING, Field.GOAL, Field.BENEFIT,
                              Field.INTERPRETER)
    _check_good_and_bad(preview(table, mapping, "Z990001", TODAY, next_ref="U-0051"), first_row=2)


def test_xlsx_with_date_cells_title_line_and_empty_row(tmp_path: Path) -> None:
    table = read_table(write_xlsx(tmp_path / "liste.xlsx"))
    assert table.header_row == 2
    result = preview(table, ColumnMapping.recognise(table.headers), "Z990001", TODAY, next_ref="U-0051")
    _check_good_and_bad(result, first_row=3)
    last = result.rows[-1]
    assert last.row == 10 and last.ok  # row 9 is empty in the sheet
    assert last.case is not None and last.case.assessments[0].innsatsgruppe is d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS


@pytest.mark.parametrize(
    ("header", "field"),
    [("Navn", Field.NAME), ("Fornavn", Field.FIRST_NAME), ("Etternavn", Field.LAST_NAME), ("Fødselsnr.", Field.FNR),
     ("Fødselsnummer", Field.FNR), ("Mobil", Field.PHONE), ("E-post", Field.EMAIL), ("Innsatsbehov", Field.INNSATSGRUPPE),
     ("Registreringsdato", Field.REGISTERED_ON), ("Dato siste møte", Field.LAST_MEETING), ("Neste møte", Field.NEXT_MEETING),
     ("Hovedmål", Field.HOVEDMAL), ("Mål", Field.GOAL), ("Ytelse", Field.BENEFIT), ("Veileder", Field.ADVISOR),
     ("Saksnr", Field.REF), ("Ref", Field.REF), ("Språk", Field.LANGUAGE), ("Behov for tolk", Field.INTERPRETER),
     ("Alder", None), ("Neste frist", None), ("Kommentar", None)],
)
def test_header_recognition(header: str, field: Field | None) -> None:
    assert tabular.recognise_header(header) == field


@pytest.mark.parametrize(
    ("text", "group"),
    [("Gode muligheter", d.Innsatsgruppe.STANDARD_INNSATS), ("trenger veiledning", d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),
     ("Trenger veiledning, nedsatt arbeidsevne", d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS),
     ("Jobbe delvis", d.Innsatsgruppe.GRADERT_VARIG_TILPASSET_INNSATS),
     ("Liten mulighet til å jobbe", d.Innsatsgruppe.VARIG_TILPASSET_INNSATS),
     ("Situasjonsbestemt innsats", d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),
     ("Spesielt tilpasset innsats", d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS),
     ("Varig tilpasset innsats", d.Innsatsgruppe.VARIG_TILPASSET_INNSATS),
     ("IKVAL", d.Innsatsgruppe.STANDARD_INNSATS), ("BATT", d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS),
     ("VARIG", d.Innsatsgruppe.VARIG_TILPASSET_INNSATS), ("STANDARD_INNSATS", d.Innsatsgruppe.STANDARD_INNSATS)],
)
def test_innsatsgruppe_in_navs_words_old_names_and_codes(text: str, group: d.Innsatsgruppe) -> None:
    assert tabular.parse_innsatsgruppe(text) is group


@pytest.mark.parametrize(
    ("text", "code"),
    [("Ukrainsk", "uk"), ("ukrainsk", "uk"), ("Norsk", "nb"), ("Norsk (bokmål)", "nb"), ("Dari", "prs"),
     ("farsi", "fa"), ("Persisk (farsi)", "fa"), ("Fransk", "fr"), ("uk", "uk"), ("Tamil", "Tamil")],
)
def test_languages_by_the_names_of_the_one_list(text: str, code: str) -> None:
    """The window's list names the languages; a cell with one of those names (or a short form)
    is stored as the code, and Dari as «prs» as in the window (the import said «fa-AF»)."""
    assert tabular.parse_language(text) == code
    assert d.language_label(code) == (text if code == "Tamil" else d.LANGUAGE_LABELS[code])


@pytest.mark.parametrize(
    ("value", "expected"),
    [("17.05.2004", (dt.date(2004, 5, 17), None)), ("7.5.04", (dt.date(2004, 5, 7), None)),
     ("17.05.98", (dt.date(1998, 5, 17), None)), ("2004-05-17", (dt.date(2004, 5, 17), None)),
     ("17/05/2004", (dt.date(2004, 5, 17), None)), ("12.06.2024 kl. 10.30", (dt.date(2024, 6, 12), dt.time(10, 30))),
     (dt.datetime(2024, 6, 12, 9, 0), (dt.date(2024, 6, 12), dt.time(9, 0))), (45455, (dt.date(2024, 6, 12), None))],
)
def test_norwegian_dates(value: object, expected: tuple[dt.date, dt.time | None]) -> None:
    assert tabular.parse_date_time(value, as_of=TODAY, max_year=TODAY.year) == expected


@pytest.mark.parametrize("value", ["31.02.2004", "17.13.2004", "i morgen", "2004", "12.06.2024 25:00"])
def test_bad_dates_are_errors(value: str) -> None:
    with pytest.raises(tabular.CellError):
        tabular.parse_date_time(value, as_of=TODAY)


def test_csv_rows_are_numbered_as_excel_shows_them() -> None:
    """A quoted cell over two lines is one row in Excel; a blank line is a row too."""
    data = 'Navn;Fødselsdato;Mål\r\nOla;17.05.2004;"to\r\nlinjer"\r\n\r\nKari;xx;\r\n'.encode()
    table = tabular.read_csv_bytes(data)
    result = preview(table, ColumnMapping.recognise(table.headers), "Z990001", TODAY)
    assert [(r.row, r.ok) for r in result.rows] == [(2, True), (4, False)]
    assert result.cases[0].goal == "to\r\nlinjer"


def test_excel_number_fnr_gets_its_leading_zero_back_and_gives_the_birth_date() -> None:
    fnr = _fnr(dt.date(2004, 1, 5))
    assert fnr.startswith("0")
    table = tabular.Table(headers=("Navn", "Fødselsnummer"), rows=(tabular.SourceRow(2, ("Eva", int(fnr))),))
    result = preview(table, ColumnMapping.recognise(table.headers), "Z990001", TODAY)
    assert result.rows[0].ok
    assert result.cases[0].fnr == fnr and result.cases[0].birth_date == dt.date(2004, 1, 5)


def test_changing_the_mapping_changes_the_result() -> None:
    table = tabular.Table(headers=("Fornavn", "Etternavn", "Født", "Kommentar"),
                          rows=(tabular.SourceRow(2, ("Ola", "Nordmann", "17.05.2004", "Gode muligheter")),))
    mapping = ColumnMapping.recognise(table.headers)
    first = preview(table, mapping, "Z990001", TODAY)
    assert first.cases[0].name == "Ola Nordmann" and first.cases[0].assessments == ()
    second = preview(table, mapping.with_field(3, Field.INNSATSGRUPPE), "Z990001", TODAY)
    assert second.cases[0].assessments[0].innsatsgruppe is d.Innsatsgruppe.STANDARD_INNSATS
    # Without any name column nothing can be imported, and every row says why.
    none = preview(table, mapping.with_field(0, None).with_field(1, None), "Z990001", TODAY)
    assert none.mapping_problems and not none.valid
    assert "navn" in none.rows[0].problems[0].message.lower()


def test_import_in_one_transaction_and_reimport_changes_nothing(demo_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.services import AdvisorService, CaseService, PortfolioService

    table = read_table(write_csv(tmp_path / "l.csv", encoding="utf-8", delimiter=";"))
    cases = CaseService(demo_db)

    def run() -> tabular.Preview:
        return preview(table, ColumnMapping.recognise(table.headers), "Z990001", TODAY,
                       advisors=AdvisorService(demo_db).list(), existing=cases.list(), next_ref=cases.new_ref())

    first = run()
    summary = PortfolioService(demo_db).import_portfolio(first.portfolio())
    assert (summary.cases_created, summary.cases_updated) == (2, 0)
    assert cases.get("U-0051").name == "Åse Ødegård"
    # The same list again: both rows match by fødselsnummer / name + birth date → unchanged.
    second = run()
    assert second.counts() == (0, 2, 4)
    again = PortfolioService(demo_db).import_portfolio(second.portfolio())
    assert (again.cases_created, again.cases_updated, again.cases_unchanged) == (0, 0, 2)
    assert len(cases.list()) == 52


def test_update_by_ref_keeps_the_case_history(demo_db) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.services import CaseService, PortfolioService

    cases = CaseService(demo_db)
    before = cases.get("U-0001")
    assert dt.date(2024, 3, 15) not in {k.date for k in before.contacts}
    table = tabular.Table(headers=("Ref", "Navn", "Fødselsdato", "Telefon", "Siste møte"),
                          rows=(tabular.SourceRow(2, ("U-0001", before.name, before.birth_date, "99 99 99 99", "15.03.2024")),))
    result = preview(table, ColumnMapping.recognise(table.headers), "Z990002", TODAY, existing=cases.list())
    assert result.rows[0].action is tabular.RowAction.UPDATE
    PortfolioService(demo_db).import_portfolio(result.portfolio())
    after = cases.get("U-0001")
    assert after.phone == "99 99 99 99"
    assert after.advisor == before.advisor  # no Veileder column: no silent hand-over
    assert after.activities == before.activities and after.assessments == before.assessments
    assert len(after.contacts) == len(before.contacts) + 1
    assert {k.id for k in before.contacts} < {k.id for k in after.contacts}


def test_reject_report_saves_as_csv_and_text(tmp_path: Path) -> None:
    table = read_table(write_csv(tmp_path / "l.csv", encoding="utf-8", delimiter=";"))
    report = RejectReport.from_preview(preview(table, ColumnMapping.recognise(table.headers), "Z990001", TODAY), "l.csv")
    report.save(tmp_path / "r.csv")
    report.save(tmp_path / "r.txt")
    csv_text = (tmp_path / "r.csv").read_bytes().decode("utf-8-sig").splitlines()
    assert csv_text[0] == "Rad;Kolonne;Feil"
    assert csv_text[1].startswith("4;Fødselsdato (B);datoen finnes ikke")
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    assert text.startswith("Avviste rader i l.csv: 4 av 6")
    assert "Rad 7, Navn (A): navn mangler" in text
    assert "Åse" not in text and "Ødegård" not in text  # no names of imported people either


# --- the command line ----------------------------------------------------------------------------


def _count_cases(url: str) -> int:
    from navoppfolging.db import Database
    from navoppfolging.services import CaseService

    db = Database.open(url)
    try:
        return len(CaseService(db).list())
    finally:
        db.close()


def test_cli_dry_run_writes_nothing_then_import_reports(demo_db, db_url: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    demo_db.close()
    path = write_xlsx(tmp_path / "liste.xlsx")
    rc = main(["--db", db_url, "import", str(path), "--dry-run", "--advisor", "Z990001", "--as-of", TODAY.isoformat()])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Tørrkjøring: 3 nye saker og 0 oppdaterte ville blitt importert; 4 rader avvist. Ingenting er skrevet." in out
    assert "Rad 5, Fødselsdato (B): datoen finnes ikke: '31.02.2004'" in out
    assert _count_cases(db_url) == 50
    report = tmp_path / "avviste.csv"
    rc = main(["--db", db_url, "import", str(path), "--advisor", "Z990001", "--as-of", TODAY.isoformat(),
               "--report", str(report)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "Importert: 3 nye saker, 0 oppdaterte, 0 uendrede" in out and "Avvist: 4 rader." in out
    assert _count_cases(db_url) == 53
    assert report.read_bytes().startswith(b"\xef\xbb\xbfRad;Kolonne;Feil")


def test_cli_counts_agree_in_number(demo_db, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    """One of each: «1 ny sak», «1 rad avvist» (it said «1 nye saker», «1 rader avvist»)."""
    demo_db.close()
    path = tmp_path / "en.csv"
    path.write_bytes("Navn;Fødselsdato\r\nOla Nordmann;17.05.2004\r\nOla;31.02.2004\r\n".encode("cp1252"))
    args = ["--db", db_url, "import", str(path), "--advisor", "Z990001", "--as-of", TODAY.isoformat()]
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Tørrkjøring: 1 ny sak og 0 oppdaterte ville blitt importert; 1 rad avvist. Ingenting er skrevet." in out
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Importert: 1 ny sak, 0 oppdaterte, 0 uendrede; 0 nye veiledere, 0 oppdaterte. Avvist: 1 rad." in out


def test_cli_nothing_valid_is_exit_2(demo_db, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    demo_db.close()
    path = tmp_path / "tom.csv"
    path.write_bytes("Navn;Fødselsdato\r\nOla;31.02.2004\r\n;01.01.2004\r\n".encode("cp1252"))
    rc = main(["--db", db_url, "import", str(path), "--advisor", "Z990001", "--as-of", TODAY.isoformat()])
    err = capsys.readouterr().err
    assert rc == 2
    assert "Rad 2, Fødselsdato (B): datoen finnes ikke" in err and "Ingen gyldige rader" in err
    assert _count_cases(db_url) == 50


def test_cli_bad_usage_is_exit_2(demo_db, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    demo_db.close()
    path = write_csv(tmp_path / "l.csv", encoding="utf-8", delimiter=";")
    # Two advisors in the demo database and no Veileder column: which one must be said.
    assert main(["--db", db_url, "import", str(path)]) == 2
    assert "--advisor" in capsys.readouterr().err
    assert main(["--db", db_url, "import", str(path), "--advisor", "Z000000"]) == 2
    old = tmp_path / "gammel.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert main(["--db", db_url, "import", str(old), "--advisor", "Z990001"]) == 2
    assert ".xlsx" in capsys.readouterr().err


def test_round_trip_export_then_import(demo_db, demo_portfolio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Export XLSX and CSV, import into an empty database: the same cases for the mapped fields."""
    from navoppfolging.db import Database
    from navoppfolging.rules.facts import current_innsatsgruppe, last_meeting, next_planned_contact
    from navoppfolging.services import AdvisorService, CaseService, PortfolioService
    from navoppfolging.spreadsheet_export import write_spreadsheet

    original = {c.ref: c for c in CaseService(demo_db).list()}
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"liste{suffix}"
        write_spreadsheet(path, tuple(original.values()), TODAY, with_fnr=True)
        target = Database.open(f"sqlite:///{tmp_path / ('rt' + suffix + '.db')}")
        try:
            PortfolioService(target).import_portfolio(d.Portfolio(advisors=demo_portfolio.advisors))
            table = read_table(path)
            result = preview(table, ColumnMapping.recognise(table.headers), None, TODAY,
                             advisors=AdvisorService(target).list())
            assert not result.rejected, [str(p) for r in result.rejected for p in r.problems]
            PortfolioService(target).import_portfolio(result.portfolio())
            back = {c.ref: c for c in CaseService(target).list()}
        finally:
            target.close()
        assert back.keys() == original.keys()
        for ref, a in original.items():
            b = back[ref]
            fields = ("name", "birth_date", "fnr", "phone", "email", "goal", "hovedmal", "language",
                      "needs_interpreter", "flags", "registered_on", "advisor")
            assert {f: getattr(b, f) for f in fields} == {f: getattr(a, f) for f in fields}, ref
            assert current_innsatsgruppe(b, TODAY) == current_innsatsgruppe(a, TODAY), ref
            lm_a, lm_b = last_meeting(a, TODAY), last_meeting(b, TODAY)
            assert (lm_a and lm_a.date) == (lm_b and lm_b.date), ref
            np_a, np_b = next_planned_contact(a, TODAY), next_planned_contact(b, TODAY)
            assert (np_a and (np_a.date, np_a.time)) == (np_b and (np_b.date, np_b.time)), ref


def test_formula_text_stays_text_through_csv(tmp_path: Path) -> None:
    from navoppfolging.spreadsheet_export import write_spreadsheet

    case = d.Case(ref=d.CaseRef("U-0001"), advisor=d.AdvisorIdent("Z990001"), name="Ola Nordmann",
                  birth_date=dt.date(2004, 5, 17), goal="=HYPERLINK(\"http://x\")")
    write_spreadsheet(tmp_path / "l.csv", [case], TODAY)
    assert ";\"'=HYPERLINK" in (tmp_path / "l.csv").read_bytes().decode("utf-8-sig")
    table = read_table(tmp_path / "l.csv")
    result = preview(table, ColumnMapping.recognise(table.headers), "Z990001", TODAY,
                     advisors=[d.Advisor(d.AdvisorIdent("Z990001"), "Kari Veileder")])
    assert result.cases[0].goal == case.goal  # the apostrophe is removed again on import
