"""Render demo activity plans to PDF and PNG so a person can look at them.

    .venv/bin/python scripts/render_demo_plans.py [OUT_DIR]

Writes kort/lang/tom/ekstrem (short, long with 24 activities, empty, maximum lengths) in both print profiles, each as
PDF and as one PNG per page (pdftoppm -r 80, from poppler-utils). The data is made up.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

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
    ExternalContact,
    Hovedmal,
    Innsatsgruppe,
    ItemId,
    Responsible,
)
from navoppfolging.plan_pdf import PROFILES, render_plan

AS_OF = dt.date(2024, 3, 4)

ADVISOR = Advisor(ident=AdvisorIdent("Z990001"), name="Kari Veileder", unit="0315 NAV Grünerløkka",
                  phone="+47 55 55 33 33", email="kari.veileder@nav.no")

_LONG_TEXTS = [
    "Du søker på minst fem læreplasser innen elektrofag. Bruk listen fra opplæringskontoret og "
    "skriv ned hvem du har sendt søknad til, når du sendte den, og om du har fått svar. Hvis du "
    "står fast med søknadsteksten, ta den med til neste møte så ser vi på den sammen.",
    "Kurset går over seks uker, tre dager i uken fra kl. 09.00 til 14.00 i Storgata 12. Du får "
    "dekket reise med månedskort. Gi beskjed til kontaktpersonen din og til kursholder samme dag "
    "hvis du er syk eller ikke kan komme.\n\nEtter kurset skal du ha en CV som er klar til bruk, "
    "og du skal ha øvd på jobbintervju minst to ganger.",
    "Samtaler med fastlegen om søvn og energi. Du bestemmer selv hva du vil fortelle NAV om "
    "behandlingen; det vi trenger å vite er om den påvirker hva du kan delta på framover.",
    "Arbeidstrening i butikk hos Rema 1000 Grünerløkka, fire timer om dagen. Målet er å prøve ut "
    "faste arbeidstider, varemottak og kundekontakt. Bedriften har en fast kontaktperson, "
    "Áila Ŋuolja-Čorgá, som følger deg opp på arbeidsplassen og sier fra hvis noe ikke fungerer. "
    "Etter fire uker har vi et trepartsmøte der vi går gjennom hvordan det har gått.",
]


def _activities_short() -> tuple[Activity, ...]:
    A, C, S, R = Activity, ActivityCategory, ActivityStatus, Responsible
    return (
        A(ItemId("a1"), "Søke læreplass som elektriker", C.JOBBSOKING, S.GJENNOMFORES,
          dt.date(2024, 2, 1), dt.date(2024, 4, 30), R.BRUKER, _LONG_TEXTS[0]),
        A(ItemId("a2"), "Jobbsøkerkurs hos Aktiv Vekst", C.TILTAK, S.PLANLAGT,
          dt.date(2024, 3, 11), dt.date(2024, 4, 19), R.NAV, _LONG_TEXTS[1]),
        A(ItemId("a3"), "Kontakt med fastlegen", C.BEHANDLING, S.GJENNOMFORES,
          dt.date(2024, 1, 15), None, R.BRUKER, _LONG_TEXTS[2]),
        A(ItemId("a4"), "Arbeidstrening i butikk", C.TILTAK, S.FORSLAG,
          None, None, R.BEGGE, _LONG_TEXTS[3]),
        A(ItemId("a5"), "Oppdatere CV på arbeidsplassen.no", C.EGEN_AKTIVITET, S.FULLFORT,
          dt.date(2024, 1, 20), dt.date(2024, 2, 10), R.BRUKER, "Ferdig og lagt ut."),
        A(ItemId("a6"), "Kartlegging hos oppfølgingstjenesten", C.UTDANNING, S.AVBRUTT,
          dt.date(2023, 11, 1), dt.date(2023, 12, 1), R.ANNEN, "Flyttet til ny skole."),
    )


def _activities_long(n: int = 24) -> tuple[Activity, ...]:
    cats = list(ActivityCategory)
    statuses = [ActivityStatus.GJENNOMFORES, ActivityStatus.PLANLAGT, ActivityStatus.FORSLAG,
                ActivityStatus.FULLFORT, ActivityStatus.AVBRUTT]
    parties = list(Responsible)
    out = []
    for i in range(n):
        text = " ".join(_LONG_TEXTS[(i + k) % len(_LONG_TEXTS)] for k in range(1 + i % 3))
        start = AS_OF - dt.timedelta(days=60 - 5 * i)
        out.append(Activity(
            ItemId(f"a{i + 1}"), f"Aktivitet {i + 1}: {['Søke jobb', 'Kurs i norsk', 'Praksisplass', 'Møte med OT', 'Sertifikat'][i % 5]}",
            cats[i % len(cats)], statuses[i % len(statuses)], start, start + dt.timedelta(days=40),
            parties[i % len(parties)], text))
    return tuple(out)


def demo_case(kind: str) -> Case:
    contacts = (
        Contact(ItemId("k1"), dt.date(2024, 2, 1), Channel.OPPMOTE, ContactStatus.GJENNOMFORT,
                "Første samtale. Snakket om skole og ønsker."),
        Contact(ItemId("k2"), dt.date(2024, 3, 12), Channel.OPPMOTE, ContactStatus.PLANLAGT,
                time=dt.time(10, 0), place="NAV Grünerløkka, Thorvald Meyers gate 51"),
        Contact(ItemId("k3"), dt.date(2024, 4, 2), Channel.VIDEO, ContactStatus.PLANLAGT),
    )
    base = Case(
        ref=CaseRef("U-0001"), advisor=ADVISOR.ident, name="Ánde Ørnulf Ødegård-Ŋuolja",
        birth_date=dt.date(2004, 5, 17), fnr="17050440281", goal="Fullføre vg3 og få læreplass "
        "som elektriker, så jeg kan ta fagbrev og få fast jobb.",
        hovedmal=Hovedmal.SKAFFE_ARBEID, contacts=contacts,
        assessments=(Assessment(dt.date(2024, 1, 15), Innsatsgruppe.SITUASJONSBESTEMT_INNSATS),),
        external_contacts=(ExternalContact("OT", "Per Rådgiver", "+47 900 00 000",
                                           "Oppfølgingstjenesten"),),
    )
    if kind == "kort":
        return _replace(base, activities=_activities_short())
    if kind == "lang":
        return _replace(base, activities=_activities_long())
    if kind == "ekstrem":
        # The format's maximum lengths: 100-character titles, 5,000-character descriptions.
        words = " ".join(_LONG_TEXTS) * 6
        acts = tuple(
            Activity(ItemId(f"a{i}"), ("Veldig lang tittel på en aktivitet som bruker nesten hele "
                                       "plassen som finnes i skjemaet til NAV nr " + str(i))[:100],
                     ActivityCategory.TILTAK, status, dt.date(2024, 1, 1), dt.date(2024, 12, 31),
                     Responsible.BEGGE, words[:5000])
            for i, status in enumerate([ActivityStatus.GJENNOMFORES] * 3 + [ActivityStatus.PLANLAGT] * 2))
        return _replace(base, activities=acts, name="Maria-Kristine Sofie Ødegård Ŋuolja-Čorgá Haugen "
                        "Andersen-Berg", goal="Jeg vil " + "komme meg i jobb og ha det bra, " * 15)
    if kind == "tom":
        return _replace(base, name="Åse Lyngstad", goal=None, hovedmal=None, contacts=())
    raise ValueError(kind)


def _replace(case: Case, **changes: object) -> Case:
    import dataclasses

    return dataclasses.replace(case, **changes)  # type: ignore[arg-type]


def main(argv: list[str]) -> int:
    out = Path(argv[1] if len(argv) > 1 else "demo-plans")
    out.mkdir(parents=True, exist_ok=True)
    have_pdftoppm = shutil.which("pdftoppm") is not None
    for kind in ("kort", "lang", "tom", "ekstrem"):
        case = demo_case(kind)
        for name, profile in PROFILES.items():
            pdf = out / f"{kind}-{name}.pdf"
            pdf.write_bytes(render_plan(case, ADVISOR, as_of=AS_OF, profile=profile))
            if have_pdftoppm:
                subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(out / f"{kind}-{name}")],
                               check=True)
            print(pdf)
    if not have_pdftoppm:
        print("pdftoppm mangler (poppler-utils): bare PDF skrevet", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
