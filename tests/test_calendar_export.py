"""The .ics calendar parsed back with icalendar: one event per due item and planned meeting in the
horizon, on the right dates; UIDs stable across exports (also when a due date moves); no names
by default, names with the option, never a fødselsnummer; holiday notes in the description.
Also the XLSX export's layout (bold frozen header, real dates) and the export command's options."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from navoppfolging import domain as d
from navoppfolging.calendar_export import build_calendar, item_uid, meeting_uid
from navoppfolging.cli import main
from navoppfolging.rules import evaluate
from tests.conftest import TODAY

STAMP = dt.datetime(2024, 6, 3, 8, 0, tzinfo=dt.UTC)


def events(data: bytes) -> dict[str, object]:
    from icalendar import Calendar

    cal = Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def case(**kw: object) -> d.Case:
    base = d.Case(
        ref=d.CaseRef("U-0007"), advisor=d.AdvisorIdent("Z990001"), name="Ola Nordmann",
        birth_date=dt.date(2004, 5, 17), fnr="17050412345", registered_on=dt.date(2024, 4, 10),
        assessments=(d.Assessment(dt.date(2024, 4, 10), d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),),
        contacts=(
            d.Contact(d.ItemId("k1"), dt.date(2024, 6, 12), d.Channel.OPPMOTE, d.ContactStatus.PLANLAGT,
                      time=dt.time(10, 30), place="NAV Grünerløkka"),
            d.Contact(d.ItemId("k2"), dt.date(2024, 6, 20), d.Channel.TELEFON, d.ContactStatus.PLANLAGT),
            d.Contact(d.ItemId("k3"), dt.date(2024, 8, 20), d.Channel.VIDEO, d.ContactStatus.PLANLAGT),  # beyond
        ),
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def test_events_on_the_right_dates_with_stable_uids() -> None:
    c = case()
    items = [i for i in evaluate([c], TODAY).items if i.due <= TODAY + dt.timedelta(days=30)]
    assert items, "the case must have due items in the horizon for this test to mean anything"
    evs = events(build_calendar([c], TODAY, stamp=STAMP))
    assert len(evs) == len(items) + 2  # k3 is outside the 30-day horizon
    for item in items:
        ev = evs[item_uid(item.case, item.rule, item.activity or item.contact)]
        assert ev.decoded("DTSTART") == item.due  # type: ignore[attr-defined]
        assert ev.decoded("DTEND") == item.due + dt.timedelta(days=1)  # type: ignore[attr-defined]
        assert item.explanation in str(ev["DESCRIPTION"])  # type: ignore[index]
    timed = evs[meeting_uid("U-0007", "k1")]
    start = timed.decoded("DTSTART")  # type: ignore[attr-defined]
    assert isinstance(start, dt.datetime)
    assert (start.date(), start.time(), str(start.tzinfo)) == (dt.date(2024, 6, 12), dt.time(10, 30), "Europe/Oslo")
    assert str(timed["LOCATION"]) == "NAV Grünerløkka"  # type: ignore[index]
    assert evs[meeting_uid("U-0007", "k2")].decoded("DTSTART") == dt.date(2024, 6, 20)  # type: ignore[attr-defined]
    assert "U-0007-UG-OFFER-8W-@navoppfolging" in evs


def test_uids_are_stable_and_a_moved_due_date_keeps_its_uid() -> None:
    first = events(build_calendar([case()], TODAY, stamp=STAMP))
    again = events(build_calendar([case()], TODAY, stamp=STAMP + dt.timedelta(hours=5)))
    assert first.keys() == again.keys()
    # A later registration moves UG-OFFER-8W's due date; the event is the same one.
    moved = events(build_calendar([case(registered_on=dt.date(2024, 4, 20))], TODAY, stamp=STAMP))
    uid = "U-0007-UG-OFFER-8W-@navoppfolging"
    assert moved[uid].decoded("DTSTART") == first[uid].decoded("DTSTART") + dt.timedelta(days=10)  # type: ignore[attr-defined]


def test_no_names_by_default_names_with_the_option_never_the_fnr() -> None:
    plain = build_calendar([case()], TODAY, stamp=STAMP)
    text = plain.decode("utf-8").replace("\r\n ", "")  # unfold long lines
    assert "Ola" not in text and "Nordmann" not in text
    assert "U-0007 (ON)" in text
    named = build_calendar([case()], TODAY, stamp=STAMP, with_names=True).decode("utf-8").replace("\r\n ", "")
    assert "U-0007 Ola Nordmann" in named
    for data in (text, named):
        assert "17050412345" not in data and "170504" not in data


def test_holiday_note_in_the_description() -> None:
    # Registered 22 March 2024: UG-OFFER-8W is due 17 May.
    c = case(registered_on=dt.date(2024, 3, 22), contacts=())
    evs = events(build_calendar([c], dt.date(2024, 5, 10), stamp=STAMP))
    ev = evs["U-0007-UG-OFFER-8W-@navoppfolging"]
    assert ev.decoded("DTSTART") == dt.date(2024, 5, 17)  # type: ignore[attr-defined]
    assert "Fristen er 17. mai — planlegg senest 16. mai" in str(ev["DESCRIPTION"])  # type: ignore[index]


def test_practice_rule_is_labelled_once() -> None:
    """An expired activity (ACTIVITY-EXPIRED, practice): «ikke regel i brevet» once in the event."""
    expired = d.Activity(d.ItemId("a1"), "Jobbsøkerkurs", d.ActivityCategory.TILTAK, d.ActivityStatus.GJENNOMFORES,
                         start=dt.date(2024, 5, 1), end=dt.date(2024, 6, 10))
    evs = events(build_calendar([case(activities=(expired,))], TODAY, stamp=STAMP))
    text = str(evs["U-0007-ACTIVITY-EXPIRED-a1@navoppfolging"]["DESCRIPTION"])  # type: ignore[index]
    assert "Kilde: Praksis" in text and "ACTIVITY-EXPIRED" in text
    assert text.count("ikke regel i brevet") == 1 and text.lower().count("praksis") == 1


def test_closed_cases_and_held_meetings_give_no_events() -> None:
    closed = case(closed_on=dt.date(2024, 6, 1), closed_reason="Flyttet")
    assert events(build_calendar([closed], TODAY, stamp=STAMP)) == {}


def test_xlsx_export_layout(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from navoppfolging.spreadsheet_export import write_spreadsheet

    # Everything else satisfied or later, so the next deadline is UG-OFFER-8W on 17 May.
    c = case(registered_on=dt.date(2024, 3, 22),
             assessments=(d.Assessment(dt.date(2024, 3, 22), d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),),
             activities=(d.Activity(d.ItemId("a1"), "Vg3", d.ActivityCategory.UTDANNING, d.ActivityStatus.GJENNOMFORES,
                                    start=dt.date(2024, 3, 22)),),
             contacts=(*case().contacts, d.Contact(d.ItemId("k4"), dt.date(2024, 5, 1), d.Channel.OPPMOTE,
                                                   d.ContactStatus.GJENNOMFORT)))
    write_spreadsheet(tmp_path / "l.xlsx", [c], dt.date(2024, 5, 10))
    ws = load_workbook(tmp_path / "l.xlsx").active
    headers = [cell.value for cell in ws[1]]
    assert "Fødselsnummer" not in headers
    assert all(cell.font.bold for cell in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width == 26
    row = dict(zip(headers, (cell for cell in ws[2]), strict=True))
    assert row["Fødselsdato"].value == dt.datetime(2004, 5, 17) and row["Fødselsdato"].number_format == "DD.MM.YYYY"
    assert row["Innsatsgruppe"].value == "Trenger veiledning"
    assert row["Ungdomsgarantien"].value == "Ja"
    assert row["Neste frist"].value == dt.datetime(2024, 5, 17)
    assert row["Merknad frist"].value == "Fristen er 17. mai — planlegg senest 16. mai"
    assert row["Neste møte"].value == dt.datetime(2024, 6, 12, 10, 30)
    write_spreadsheet(tmp_path / "f.xlsx", [c], dt.date(2024, 5, 10), with_fnr=True)
    ws = load_workbook(tmp_path / "f.xlsx").active
    headers = [cell.value for cell in ws[1]]
    assert ws.cell(2, headers.index("Fødselsnummer") + 1).value == "17050412345"


def test_export_command_by_extension(demo_db, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    demo_db.close()
    base = ["--db", db_url, "export"]
    assert main([*base, str(tmp_path / "p.json")]) == 0
    assert main([*base, str(tmp_path / "l.csv"), "--as-of", "2024-06-03"]) == 0
    csv_bytes = (tmp_path / "l.csv").read_bytes()
    assert csv_bytes.startswith(b"\xef\xbb\xbfRef;Navn;")
    assert "Fødselsnummer" not in csv_bytes.decode("utf-8-sig")
    assert main([*base, str(tmp_path / "f.csv"), "--as-of", "2024-06-03", "--with-fnr"]) == 0
    assert "Fødselsnummer" in (tmp_path / "f.csv").read_bytes().decode("utf-8-sig")
    assert main([*base, str(tmp_path / "k.ics"), "--as-of", "2024-06-03", "--horizon", "10"]) == 0
    evs = events((tmp_path / "k.ics").read_bytes())
    assert evs
    for ev in evs.values():
        start = ev.decoded("DTSTART")  # type: ignore[attr-defined]
        day = start.date() if isinstance(start, dt.datetime) else start
        assert day <= dt.date(2024, 6, 13)
    capsys.readouterr()
    assert main([*base, str(tmp_path / "k.ics"), "--with-fnr"]) == 2
    assert "--with-fnr gjelder ikke" in capsys.readouterr().err
    assert main([*base, str(tmp_path / "k.ics"), "--horizon", "-3"]) == 2
