"""The printed activity plan: what is on paper, read back from the PDF itself.

Text comes back through pypdf (and pdftotext/pdftoppm from poppler-utils, which the test
scripts install); nothing here inspects ReportLab's internals.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from navoppfolging.domain import (
    Activity,
    ActivityCategory,
    ActivityStatus,
    Advisor,
    AdvisorIdent,
    Assessment,
    Case,
    CaseRef,
    Channel,
    Contact,
    ContactStatus,
    Hovedmal,
    Innsatsgruppe,
    ItemId,
    Responsible,
)
from navoppfolging.plan_pdf import (
    DEFAULT,
    PROFILES,
    PlanProfile,
    next_meeting,
    plan_filename,
    render_plan,
    select_activities,
)

AS_OF = dt.date(2024, 3, 4)
FNR = "17050440281"
ADVISOR = Advisor(ident=AdvisorIdent("Z990001"), name="Kari Veileder", unit="0315 NAV Grünerløkka",
                  phone="+47 55 55 33 33", email="kari.veileder@nav.no")
S, C, R = ActivityStatus, ActivityCategory, Responsible


def _act(i: str, title: str, status: ActivityStatus, responsible: Responsible | None = R.BRUKER, *,
         start: dt.date | None = None, end: dt.date | None = None, description: str = "",
         category: ActivityCategory = C.JOBBSOKING) -> Activity:
    return Activity(ItemId(i), title, category, status, start, end, responsible, description)


def make_case(**changes: object) -> Case:
    case = Case(
        ref=CaseRef("U-0001"), advisor=ADVISOR.ident, name="Ola Ærlig Øyen-Åsen",
        birth_date=dt.date(2004, 5, 17), fnr=FNR,
        goal="Fullføre vg3 og få læreplass på Ŋuolja-Čorgá verksted",
        hovedmal=Hovedmal.SKAFFE_ARBEID,
        assessments=(Assessment(dt.date(2024, 1, 15), Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),),
        contacts=(
            Contact(ItemId("k1"), dt.date(2024, 2, 1), Channel.OPPMOTE, ContactStatus.GJENNOMFORT,
                    "Hemmelig referat fra første samtale"),
            Contact(ItemId("k2"), dt.date(2024, 2, 28), Channel.VIDEO, ContactStatus.PLANLAGT),
            Contact(ItemId("k3"), dt.date(2024, 4, 2), Channel.TELEFON, ContactStatus.PLANLAGT),
            Contact(ItemId("k4"), dt.date(2024, 3, 12), Channel.OPPMOTE, ContactStatus.PLANLAGT,
                    time=dt.time(9, 30), place="Thorvald Meyers gate 51"),
            Contact(ItemId("k5"), dt.date(2024, 3, 8), Channel.VIDEO, ContactStatus.AVLYST),
        ),
        activities=(
            _act("a1", "Søke læreplass", S.GJENNOMFORES, R.BRUKER, start=dt.date(2024, 2, 1),
                 end=dt.date(2024, 4, 30), description="Minst fem søknader hver måned"),
            _act("a2", "Jobbsøkerkurs", S.PLANLAGT, R.NAV, start=dt.date(2024, 3, 11),
                 category=C.TILTAK, description="Tre dager i uken"),
            _act("a3", "Arbeidstrening", S.FORSLAG, R.BEGGE, category=C.TILTAK),
            _act("a4", "Oppdatere CV", S.FULLFORT, R.BRUKER, start=dt.date(2024, 1, 20),
                 end=dt.date(2024, 2, 10), category=C.EGEN_AKTIVITET),
            _act("a5", "Gammelt sertifikatkurs", S.FULLFORT, R.BRUKER, start=dt.date(2023, 1, 1),
                 end=dt.date(2023, 6, 1), category=C.UTDANNING),
            _act("a6", "Kartlegging hos OT", S.AVBRUTT, R.ANNEN, start=dt.date(2023, 11, 1),
                 end=dt.date(2023, 12, 1), category=C.UTDANNING),
            _act("a7", "Samtale med fastlegen", S.GJENNOMFORES, R.ANNEN, category=C.BEHANDLING),
        ),
    )
    return dataclasses.replace(case, **changes)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> str:
    """All pages' text in reading order, whitespace collapsed (pypdf)."""
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    assert path, f"{tool} mangler: installer poppler-utils (apt-get install -y poppler-utils)"
    return path


def test_default_plan_has_header_contact_goal_and_groups_in_order() -> None:
    """Everything the issue lists for «Til møtet» is on paper, groups in the prescribed order."""
    pdf = render_plan(make_case(), ADVISOR, as_of=AS_OF)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    for expected in ("Aktivitetsplan", "Ola Ærlig Øyen-Åsen", "Født 17.05.2004 · NAV Grünerløkka ·",
                     "Skrevet ut 4. mars 2024", "Din kontaktperson i NAV", "Kari Veileder",
                     "+47 55 55 33 33", "kari.veileder@nav.no", "Mitt mål",
                     "Fullføre vg3 og få læreplass på Ŋuolja-Čorgá verksted", "Hovedmål: Skaffe arbeid",
                     "Minst fem søknader hver måned", "Tre dager i uken", "Tiltak gjennom NAV",
                     "01.02.2024–30.04.2024", "Fra 11.03.2024", "Notater", "Side 1 av"):
        assert expected in text, expected
    # Group headings in order, each followed by exactly its own activities.
    order = ["Dette holder jeg på med nå", "Søke læreplass", "Samtale med fastlegen",
             "Planlagt", "Jobbsøkerkurs", "Forslag", "Arbeidstrening", "Fullført", "Oppdatere CV",
             "Hvem gjør hva til neste gang"]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions), list(zip(order, positions))
    # «Til møtet» leaves out old finished and stopped activities.
    assert "Gammelt sertifikatkurs" not in text
    assert "Kartlegging hos OT" not in text and "Avbrutt" not in text


def test_responsible_party_and_who_does_what() -> None:
    """Each activity says who is responsible; the to-do list splits open activities by party."""
    text = pdf_text(render_plan(make_case(), ADVISOR, as_of=AS_OF))
    assert "Jobbsøking · 01.02.2024–30.04.2024 · Ansvarlig: Du" in text
    assert "Ansvarlig: NAV" in text and "Ansvarlig: Begge" in text and "Ansvarlig: Andre" in text
    todo = text[text.index("Hvem gjør hva til neste gang"):text.index("Notater")]
    parts = re.split(r" (Du|NAV|Begge|Andre) ", todo)
    by_party = dict(zip(parts[1::2], parts[2::2]))
    assert set(by_party) == {"Du", "NAV", "Begge", "Andre"}
    assert "Søke læreplass – innen 30.04.2024" in by_party["Du"]
    assert "Jobbsøkerkurs" in by_party["NAV"] and "Arbeidstrening" in by_party["Begge"]
    assert "Samtale med fastlegen" in by_party["Andre"]
    assert "Annen" not in text
    # Finished activities are not on the to-do list.
    assert "Oppdatere CV" not in todo


def test_an_activity_nobody_is_responsible_for_says_so() -> None:
    """The exchange format allows responsible to be null: the plan then says «Ikke avklart
    ennå» — never «Du» for something nobody decided — and lists it last under «Hvem gjør hva»,
    with a word to settle it at the meeting."""
    case = make_case(activities=(
        _act("a1", "Søke læreplass", S.GJENNOMFORES, None),
        _act("a2", "Ringe arbeidsgiver", S.PLANLAGT, R.NAV),
    ))
    text = pdf_text(render_plan(case, ADVISOR, as_of=AS_OF))
    assert "Ansvarlig: Ikke avklart ennå" in text and "Ansvarlig: Du" not in text
    todo = text[text.index("Hvem gjør hva til neste gang"):text.index("Notater")]
    assert (todo.index("NAV") < todo.index("Ringe arbeidsgiver") < todo.index("Ikke avklart ennå")
            < todo.index("Avtal i møtet hvem som gjør dette.") < todo.index("Søke læreplass"))
    assert " Du " not in todo


def test_others_responsible_reads_as_andre_with_the_description_saying_who() -> None:
    """«Annen» told the young person nothing: the plan says «Andre», points to the description
    on the activity and quotes it (its first paragraph, shortened) under «Hvem gjør hva»."""
    long_text = "Skolen melder fra om fravær til kontaktlæreren og til NAV. " * 4
    case = make_case(activities=(
        _act("a1", "Fullføre vg3 elektro", S.GJENNOMFORES, R.ANNEN, category=C.UTDANNING,
             description="Ta opp faget matematikk. Skolen melder fra om fravær.\n\nAndre avsnitt."),
        _act("a2", "Samtale med fastlegen", S.PLANLAGT, R.ANNEN),
        _act("a3", "Kurs hos Aktiv Vekst", S.PLANLAGT, R.ANNEN, description=long_text),
    ))
    text = pdf_text(render_plan(case, ADVISOR, as_of=AS_OF))
    assert "Annen" not in text
    assert "Utdanning · Ansvarlig: Andre (se beskrivelsen)" in text
    assert "Jobbsøking · Ansvarlig: Andre " in text  # no description: nothing to point to
    todo = text[text.index("Hvem gjør hva til neste gang"):text.index("Notater")]
    assert todo.startswith("Hvem gjør hva til neste gang Andre ")
    assert "Fullføre vg3 elektro Ta opp faget matematikk. Skolen melder fra om fravær." in todo
    assert "Andre avsnitt" not in todo
    # Ordered by title (no end dates): the shortened quote ends before the next activity.
    quoted = todo[todo.index("Kurs hos Aktiv Vekst"):todo.index("Samtale med fastlegen")]
    quoted = quoted.replace("\x7f", "").strip()  # pypdf reads the bullet as DEL
    assert "Skolen melder fra" in quoted and quoted.endswith("…")
    assert len(quoted) < len("Kurs hos Aktiv Vekst ") + 130


def test_who_does_what_marks_a_passed_end_date(tmp_path: Path) -> None:
    """An open activity whose end date is before the print date is not «innen» a date that has
    passed: it says «fristen … er passert»; one ending on the print day or later is «innen»."""
    as_of = dt.date(2024, 6, 3)
    case = make_case(activities=(
        _act("a1", "Kvalifiseringskurs", S.GJENNOMFORES, R.BRUKER, start=dt.date(2024, 4, 1), end=dt.date(2024, 5, 10)),
        _act("a2", "Søke sommerjobb", S.PLANLAGT, R.BRUKER, end=as_of),
        _act("a3", "Ringe arbeidsgiver", S.PLANLAGT, R.NAV, end=dt.date(2024, 6, 20)),
    ))
    text = pdf_text(render_plan(case, ADVISOR, as_of=as_of))
    todo = text[text.index("Hvem gjør hva til neste gang"):text.index("Notater")]
    assert "Kvalifiseringskurs – fristen 10.05.2024 er passert" in todo
    assert "innen 10.05.2024" not in todo
    assert "Søke sommerjobb – innen 03.06.2024" in todo
    assert "Ringe arbeidsgiver – innen 20.06.2024" in todo
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_plan(case, ADVISOR, as_of=as_of))
    poppler = subprocess.run([_poppler("pdftotext"), str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Kvalifiseringskurs – fristen 10.05.2024 er passert" in re.sub(r"\s+", " ", poppler)


@pytest.mark.parametrize(("unit", "motet", "saksmappe"), [
    ("0315 NAV Grünerløkka", "NAV Grünerløkka", "Enhet 0315"),
    ("NAV Grünerløkka (0315)", "NAV Grünerløkka", "Enhet 0315"),
    ("0315 Grünerløkka", "NAV Grünerløkka", "Enhet 0315"),
    ("Grünerløkka", "NAV Grünerløkka", None),
    ("NAV Grünerløkka", "NAV Grünerløkka", None),
    ("0315", "NAV-kontor 0315", None),
])
def test_the_office_is_named_as_people_know_it(unit: str, motet: str, saksmappe: str | None) -> None:
    """The office reads «NAV Grünerløkka» (never «NAV-kontor 0315 NAV Grünerløkka»): the unit
    number is for the case file copy, and a unit stored as a bare number still reads as an
    office. ``advisors.unit`` is free text, so each way it is written is tried."""
    advisor = dataclasses.replace(ADVISOR, unit=unit)
    text = pdf_text(render_plan(make_case(), advisor, as_of=AS_OF))
    assert f"Født 17.05.2004 · {motet} · Skrevet ut" in text
    assert "NAV NAV" not in text and "NAV-kontor 0315 NAV" not in text
    if motet != "NAV-kontor 0315":
        assert "0315" not in text
    full = pdf_text(render_plan(make_case(), advisor, as_of=AS_OF, profile=PROFILES["saksmappe"]))
    assert f"Født 17.05.2004 · {motet} · Skrevet ut" in full
    if saksmappe:
        assert f"Saksnummer U-0001 · {saksmappe} ·" in full
    else:
        assert "Enhet" not in full
    # No unit: no office in the header, nothing empty.
    bare = pdf_text(render_plan(make_case(), dataclasses.replace(ADVISOR, unit=None), as_of=AS_OF))
    assert "Født 17.05.2004 · Skrevet ut" in bare


def test_next_meeting_is_earliest_planned_contact_from_as_of() -> None:
    """Past planned contacts and cancelled ones are skipped; date, time, channel and place shown."""
    case = make_case()
    meeting = next_meeting(case, as_of=AS_OF)
    assert meeting is not None and meeting.id == "k4"
    text = pdf_text(render_plan(case, ADVISOR, as_of=AS_OF))
    section = text[text.index("Neste møte"):text.index("Mitt mål")]
    assert "Tirsdag 12. mars 2024 kl. 09.30" in section
    assert "Oppmøte, Thorvald Meyers gate 51" in section
    # On the meeting day itself the same meeting is still «next».
    assert next_meeting(case, as_of=dt.date(2024, 3, 12)).id == "k4"  # type: ignore[union-attr]
    assert "Tolk er bestilt" not in section
    booked = make_case(contacts=(dataclasses.replace(case.contacts[3], interpreter_booked=True),))
    assert "Tolk er bestilt" in pdf_text(render_plan(booked, ADVISOR, as_of=AS_OF))
    # Without any planned contact ahead the plan says so.
    later = pdf_text(render_plan(case, ADVISOR, as_of=dt.date(2024, 5, 1)))
    assert "Ikke avtalt ennå" in later


def test_default_profile_hides_fnr_contact_notes_and_internal_detail() -> None:
    """«Til møtet»: no fødselsnummer (in any form), no contact summaries, no case number."""
    pdf = render_plan(make_case(), ADVISOR, as_of=AS_OF)
    text = pdf_text(pdf)
    assert DEFAULT is PROFILES["motet"] and not DEFAULT.include_fnr
    assert FNR not in text and FNR[6:] not in text and "Fødselsnummer" not in text
    assert "Hemmelig referat" not in text and "Møter og dialog" not in text
    assert "U-0001" not in text and "Innsatsgruppe" not in text
    # Nor hidden anywhere in the file (metadata, uncompressed streams).
    assert FNR.encode() not in pdf


def test_case_file_profile_includes_notes_all_groups_and_signatures() -> None:
    """«Til saksmappen» carries contact notes, every group and signature lines — and the
    fødselsnummer only when asked for (below)."""
    profile = PROFILES["saksmappe"]
    assert profile.include_contact_notes and profile.signature_lines
    text = pdf_text(render_plan(make_case(), ADVISOR, as_of=AS_OF, profile=profile))
    assert "Saksnummer U-0001" in text and "Trenger veiledning" in text
    assert "Møter og dialog" in text and "Hemmelig referat fra første samtale" in text
    assert "Gammelt sertifikatkurs" in text
    order = ["Dette holder jeg på med nå", "Planlagt", "Forslag", "Fullført", "Oppdatere CV",
             "Gammelt sertifikatkurs", "Avbrutt", "Kartlegging hos OT"]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions)
    assert "din underskrift" in text and "veileder i NAV" in text


def test_fnr_is_printed_only_when_asked_for_in_a_profile_that_allows_it() -> None:
    """No built-in profile prints the fødselsnummer by default — not the 11 digits, not the
    personal number part, not masked. «Til saksmappen» may include it when asked (include_fnr);
    «Til møtet» refuses to."""
    for name, profile in PROFILES.items():
        assert not profile.include_fnr, name
        pdf = render_plan(make_case(), ADVISOR, as_of=AS_OF, profile=profile)
        text = pdf_text(pdf)
        assert FNR not in text and FNR[6:] not in text and "Fødselsnummer" not in text, name
        assert FNR.encode() not in pdf, name
    saksmappe = PROFILES["saksmappe"]
    assert saksmappe.may_include_fnr and not DEFAULT.may_include_fnr
    asked = dataclasses.replace(saksmappe, include_fnr=True)
    text = pdf_text(render_plan(make_case(), ADVISOR, as_of=AS_OF, profile=asked))
    assert f"Fødselsnummer {FNR}" in text
    # A case without a registered number prints no empty label either.
    assert "Fødselsnummer" not in pdf_text(render_plan(make_case(fnr=None), ADVISOR, as_of=AS_OF, profile=asked))
    with pytest.raises(ValueError, match="fødselsnummer"):
        dataclasses.replace(DEFAULT, include_fnr=True)


def test_status_choice_and_date_range_filter_activities() -> None:
    """A profile with chosen statuses and a period prints only those activities."""
    profile = dataclasses.replace(DEFAULT, statuses=frozenset({S.GJENNOMFORES, S.FORSLAG}),
                                  date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))
    groups = select_activities(make_case(), as_of=AS_OF, profile=profile)
    assert {s: [a.id for a in acts] for s, acts in groups.items()} == {
        S.GJENNOMFORES: ["a1", "a7"],  # a7 has no dates: kept
        S.FORSLAG: ["a3"],
    }
    text = pdf_text(render_plan(make_case(), ADVISOR, as_of=AS_OF, profile=profile))
    assert "Viser aktiviteter i perioden 01.03.2024–31.03.2024" in text
    assert "Søke læreplass" in text and "Arbeidstrening" in text
    assert "Jobbsøkerkurs" not in text and "Oppdatere CV" not in text
    with pytest.raises(ValueError, match="Fra-datoen"):
        PlanProfile(name="x", label="x", date_from=dt.date(2024, 2, 1), date_to=dt.date(2024, 1, 1))


def test_norwegian_and_sami_letters_survive() -> None:
    """æøåÆØÅ and Sámi letters come back as text (the embedded font covers them)."""
    name = "Áile Ŋuolja Čđšžŧ Æsa Øvre-Åberg"
    case = make_case(name=name, activities=(
        _act("a1", "Lære å sykle på glatt føre", S.GJENNOMFORES, description="æøå ÆØÅ Đ ŋ Ŧ á č"),))
    pdf = render_plan(case, ADVISOR, as_of=AS_OF)
    text = pdf_text(pdf)
    assert name in text
    assert "æøå ÆØÅ Đ ŋ Ŧ á č" in text
    assert "Lære å sykle på glatt føre" in text
    assert b"DejaVuSans" in pdf  # the embedded font, not Helvetica


def test_sixty_activities_paginate_without_losing_text() -> None:
    """60 activities with long descriptions: several pages, «Side X av N» on each, every title
    and a unique word from every description present."""
    filler = ("Denne aktiviteten handler om å komme nærmere arbeidslivet gjennom tett oppfølging, "
              "faste avtaler og jevnlige samtaler om hvordan det går. ") * 6
    statuses = [S.GJENNOMFORES, S.PLANLAGT, S.FORSLAG, S.FULLFORT]
    activities = tuple(
        _act(f"a{i}", f"Tittel nummer {i:02d}", statuses[i % 4], list(R)[i % 4],
             start=AS_OF - dt.timedelta(days=i), end=AS_OF + dt.timedelta(days=i),
             description=f"{filler}Kodeord{i:02d}xyz avslutter teksten.\n\nEkstra avsnitt {i:02d}.")
        for i in range(60))
    pdf = render_plan(make_case(activities=activities), ADVISOR, as_of=AS_OF)
    pages = page_count(pdf)
    assert pages >= 5
    text = pdf_text(pdf)
    for i in range(60):
        assert f"Tittel nummer {i:02d}" in text
        assert f"Kodeord{i:02d}xyz" in text
        assert f"Ekstra avsnitt {i:02d}." in text
    for n in range(1, pages + 1):
        assert f"Side {n} av {pages}" in text
    # Nothing is stranded at the foot of a page: no group heading, no activity title or its
    # date line without the description that follows (each page is read on its own).
    reader = PdfReader(io.BytesIO(pdf))
    headings = {"Planlagt", "Forslag", "Fullført", "Dette holder jeg på med nå", "Aktivitetene mine",
                "Hvem gjør hva til neste gang"}
    for page in reader.pages[:-1]:
        lines = [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]
        assert lines[-1].startswith("Side ") and lines[-2].startswith("Aktivitetsplan for ")
        last = lines[-3]
        assert last not in headings and not last.startswith("Fullført –"), last
        assert not last.startswith("Tittel nummer") and "Ansvarlig:" not in last, last


def test_long_unbroken_text_and_markup_characters_wrap_and_escape() -> None:
    """User text is escaped (<, &) and a 300-character word wraps instead of running off the page."""
    long_word = "x" * 300
    case = make_case(goal="Jobb & skole <snart>", activities=(
        _act("a1", "Lenke <b>ikke fet</b>", S.GJENNOMFORES, description=f"Se {long_word} & mer"),))
    text = pdf_text(render_plan(case, ADVISOR, as_of=AS_OF))
    assert "Jobb & skole <snart>" in text and "Lenke <b>ikke fet</b>" in text
    assert text.replace(" ", "").count("x" * 300) == 1


def test_empty_plan_prints_a_sensible_page() -> None:
    """No activities, no goal, no meeting, no advisor: one page that says so and leaves room."""
    case = make_case(activities=(), contacts=(), goal=None, hovedmal=None)
    pdf = render_plan(case, None, as_of=AS_OF)
    assert page_count(pdf) == 1
    text = pdf_text(pdf)
    assert "Det er ingen aktiviteter i planen ennå" in text
    assert "Målet ditt er ikke skrevet ned ennå" in text
    assert "Ikke avtalt ennå" in text and "Ikke registrert" in text
    assert "Notater" in text and "Side 1 av 1" in text
    # Activities that exist but are all filtered away get a different message.
    only_cancelled = dataclasses.replace(DEFAULT, statuses=frozenset({S.AVBRUTT}))
    filtered = pdf_text(render_plan(make_case(activities=(
        _act("a1", "Søke læreplass", S.GJENNOMFORES),)), ADVISOR, as_of=AS_OF, profile=only_cancelled))
    assert "Ingen aktiviteter passer utvalget" in filtered


def _notes_page(pdf: bytes) -> tuple[int, int, str]:
    """(page number, ruled note lines under «Notater», the page's text without the footer) for
    the page «Notater» is on, read from the PDF's drawing operators with pypdf."""
    reader = PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        found: list[float] = []
        segments: list[tuple[float, float, float]] = []
        start: list[float] = []

        def text(t: str, cm: list[float], tm: list[float], _font: object, _size: object) -> None:
            if t.strip() == "Notater":
                found.append(cm[5] + tm[5])

        def ops(op: bytes, args: list[object], cm: list[float], _tm: list[float]) -> None:
            if op == b"m":
                start[:] = [cm[4] + float(args[0]), cm[5] + float(args[1])]  # type: ignore[arg-type]
            elif op == b"l" and start:
                x, y = cm[4] + float(args[0]), cm[5] + float(args[1])  # type: ignore[arg-type]
                if abs(y - start[1]) < 0.01:
                    segments.append((abs(x - start[0]), y, start[0]))

        content = page.extract_text(visitor_text=text, visitor_operand_before=ops)
        if found:
            width = float(page.mediabox.width) - 2 * (20 * 72 / 25.4 + 6)
            # Full-width rules below the heading and above the footer's rule (24 mm from the foot).
            lines = [s for s in segments if s[0] > 0.95 * width and 24 * 72 / 25.4 < s[1] < found[0]]
            body = [ln for ln in content.splitlines() if ln.strip()
                    and not ln.startswith(("Aktivitetsplan for ", "Side "))]
            return number, len(lines), "\n".join(body)
    raise AssertionError("«Notater» finnes ikke i PDF-en")


def _plan_of_length(n: int, words: int) -> Case:
    """n open activities whose descriptions have ``words`` words each: plans of every length."""
    statuses = [S.GJENNOMFORES, S.PLANLAGT, S.FORSLAG]
    return make_case(activities=tuple(
        _act(f"a{i}", f"Aktivitet {i}", statuses[i % 3], list(R)[i % 4], start=AS_OF,
             description=" ".join(["arbeidslivet"] * words))
        for i in range(n)))


@pytest.mark.parametrize("profile", ["motet", "saksmappe"])
def test_notes_take_the_room_left_instead_of_a_page_of_their_own(profile: str) -> None:
    """«Notater» fits as many lines as there is room for on the last page (at least 3, at most
    the profile's number) and moves on only when not even 3 fit; then the section before it
    goes along, so the last page never holds «Notater» alone. Read back from the PDF."""
    chosen = PROFILES[profile]
    pages_seen = set()
    for n in range(0, 9):
        for words in (0, 25, 60):
            pdf = render_plan(_plan_of_length(n, words), ADVISOR, as_of=AS_OF, profile=chosen)
            pages = page_count(pdf)
            pages_seen.add(pages)
            number, lines, body = _notes_page(pdf)
            most = chosen.notes_lines if n else max(chosen.notes_lines, 12)
            assert number == pages, (n, words)
            assert min(3, most) <= lines <= most, (n, words, lines)
            assert body.strip() != "Notater" and len(body.splitlines()) > 1, (n, words, body)
            if lines < most:
                # Fewer lines than asked for only where the page is full: not on a fresh page.
                assert not body.startswith("Notater"), (n, words)
    assert len(pages_seen) > 1  # the lengths tried do cross a page break


def test_a_short_plan_with_room_left_on_page_one_has_one_page() -> None:
    """The review's case (demo U-0021): two open activities and a third of page 1 empty — the
    notes go there, with fewer lines if need be, instead of onto a near-blank page 2."""
    case = make_case(activities=(
        _act("a1", "Stilling som lagermedarbeider", S.GJENNOMFORES, R.BRUKER, start=dt.date(2023, 9, 6),
             end=dt.date(2024, 2, 5), description="Søke stillingen hos Bygg & Lager innen fristen."),
        _act("a2", "Fullføre vg3 elektro", S.GJENNOMFORES, R.ANNEN, start=dt.date(2023, 10, 9),
             end=dt.date(2024, 3, 26), category=C.UTDANNING,
             description="Ta opp faget matematikk og fullføre vg3. Skolen melder fra om fravær."),
    ))
    pdf = render_plan(case, ADVISOR, as_of=dt.date(2024, 6, 3))
    assert page_count(pdf) == 1
    number, lines, _ = _notes_page(pdf)
    assert number == 1 and 3 <= lines <= DEFAULT.notes_lines


def test_same_input_gives_same_bytes() -> None:
    """No clock or random id in the file: the preview saves exactly what the CLI would write."""
    assert render_plan(make_case(), ADVISOR, as_of=AS_OF) == render_plan(make_case(), ADVISOR, as_of=AS_OF)


def test_pdftotext_and_pdftoppm_render_page_one(tmp_path: Path) -> None:
    """Poppler reads the file: text in order and page 1 rasterises to a non-blank A4 image."""
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(render_plan(make_case(), ADVISOR, as_of=AS_OF))
    text = subprocess.run([_poppler("pdftotext"), str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout
    assert "Ola Ærlig Øyen-Åsen" in text and "Dette holder jeg på med nå" in text
    out = tmp_path / "side"
    subprocess.run([_poppler("pdftoppm"), "-r", "40", "-f", "1", "-l", "1", "-gray", str(pdf), str(out)],
                   check=True, capture_output=True)
    (image,) = tmp_path.glob("side*.pgm")
    header, width, height, maxval, pixels = _read_pgm(image.read_bytes())
    assert header == b"P5" and maxval == 255
    assert abs(height / width - 297 / 210) < 0.01  # A4 portrait
    dark = sum(1 for p in pixels if p < 128)
    assert dark > 0.005 * width * height  # text was drawn
    assert pixels.count(255) > 0.5 * width * height  # and it is mostly paper


def _read_pgm(data: bytes) -> tuple[bytes, int, int, int, bytes]:
    fields = data.split(maxsplit=4)
    header, width, height, maxval, pixels = fields
    return header, int(width), int(height), int(maxval), pixels[: int(width) * int(height)]


def test_file_name_has_ref_not_name() -> None:
    assert plan_filename(make_case(), AS_OF) == "aktivitetsplan-U-0001-2024-03-04.pdf"


def test_reportlab_not_imported_by_importing_the_module() -> None:
    """The window imports plan_pdf for PlanProfile; ReportLab must load only when rendering."""
    code = ("import sys, navoppfolging.plan_pdf, navoppfolging.cli; "
            "print(any(m.startswith('reportlab') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_writes_the_plan_and_refuses_unknown_ref(db, db_url: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """`navoppfolging plan REF -o FILE --as-of --profile` writes the same PDF as render_plan;
    an unknown ref exits 2 with a Norwegian message and writes nothing."""
    from navoppfolging.cli import main
    from navoppfolging.services import AdvisorService, CaseService

    AdvisorService(db).save(ADVISOR)
    case = CaseService(db).create(make_case())
    out = tmp_path / "plan.pdf"
    assert main(["plan", "U-0001", "-o", str(out), "--as-of", "2024-03-04", "--db", db_url]) == 0
    assert out.read_bytes() == render_plan(case, ADVISOR, as_of=AS_OF)
    printed = capsys.readouterr().out
    assert "U-0001" in printed and case.name not in printed

    # «saksmappe» has no fødselsnummer unless --with-fnr; --with-fnr is refused for «motet».
    full = tmp_path / "saksmappe.pdf"
    assert main(["plan", "U-0001", "-o", str(full), "--as-of", "2024-03-04", "--profile", "saksmappe",
                 "--db", db_url]) == 0
    text = pdf_text(full.read_bytes())
    assert "Saksnummer U-0001" in text and FNR not in text and "Fødselsnummer" not in text
    assert FNR.encode() not in full.read_bytes()
    assert "med fødselsnummer" not in capsys.readouterr().out
    assert main(["plan", "U-0001", "-o", str(full), "--as-of", "2024-03-04", "--profile", "saksmappe",
                 "--with-fnr", "--db", db_url]) == 0
    assert f"Fødselsnummer {FNR}" in pdf_text(full.read_bytes())
    assert "med fødselsnummer" in capsys.readouterr().out
    refused = tmp_path / "motet.pdf"
    assert main(["plan", "U-0001", "-o", str(refused), "--with-fnr", "--db", db_url]) == 2
    assert "--with-fnr" in capsys.readouterr().err and not refused.exists()

    missing = tmp_path / "mangler.pdf"
    assert main(["plan", "U-9999", "-o", str(missing), "--db", db_url]) == 2
    assert "Fant ingen sak" in capsys.readouterr().err and not missing.exists()
    assert main(["plan", "U-0001", "-o", str(missing), "--as-of", "2024-13-01", "--db", db_url]) == 2
    assert main(["plan", "U-0001", "-o", str(missing), "--profile", "alt", "--db", db_url]) == 2
    assert not missing.exists()
