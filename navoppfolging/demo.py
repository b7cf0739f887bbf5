"""A realistic synthetic portfolio: 50 invented young people with Norwegian names, a spread of
innsatsgrupper, contacts, activities and benefit dates around a given day. Deterministic for a
given seed and day, so tests and screenshots are reproducible. Nobody here is real."""

from __future__ import annotations

import datetime as dt
import random

from stdnum.no import fodselsnummer

from navoppfolging import domain as d
from navoppfolging.dates import add_days, add_months

FIRST = ("Emma", "Nora", "Sofie", "Ingrid", "Sara", "Leah", "Maja", "Thea", "Ida", "Aurora", "Ella", "Frida",
         "Jakob", "Emil", "Noah", "Oliver", "Filip", "William", "Lukas", "Aksel", "Henrik", "Sander", "Mathias",
         "Elias", "Tobias", "Ahmed", "Yusuf", "Oleksandr", "Sofiia", "Mariam", "Aisha", "Viktor", "Åsmund",
         "Sigrid", "Ørjan", "Ægir", "Mohammed", "Ibrahim", "Amina", "Jonas", "Linnea", "Marius", "Kristian")
LAST = ("Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen",
        "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen",
        "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Sætre", "Bråthen", "Kovalenko", "Ali", "Hussein",
        "Mohammed", "Nguyen", "Sæther", "Løken", "Aas")
GOALS = (
    "Fullføre vg3 og få læreplass som elektriker",
    "Få en fast jobb i butikk, gjerne dagligvare",
    "Komme i gang med noe som gir en fast rytme i hverdagen",
    "Bli frisk nok til å jobbe deltid, og så mer",
    "Lære meg norsk godt nok til å ta fagbrev",
    "Jobbe med dyr, kanskje på gård eller i dyrebutikk",
    "Ta førerkort og få jobb som sjåfør",
    "Bli barne- og ungdomsarbeider",
    "Finne ut hva jeg vil jobbe med",
    "Komme tilbake til skolen og ta studiekompetanse",
)
ACTIVITIES = (
    (d.ActivityCategory.JOBBSOKING, "Søke jobber i butikk", "Minst fem søknader hver uke. Bruk CV-en vi laget sammen og tilpass søknaden til hver stilling."),
    (d.ActivityCategory.UTDANNING, "Fullføre vg3 elektro", "Ta opp faget matematikk og fullføre vg3. Skolen melder fra om fravær."),
    (d.ActivityCategory.TILTAK, "Arbeidstrening på lager", "Arbeidstrening fire dager i uken hos Lager AS, med oppfølging fra arbeidskonsulent."),
    (d.ActivityCategory.BEHANDLING, "Samtaler hos psykolog", "Behandling hos DPS annenhver uke. Vi tar hensyn til timene i planen."),
    (d.ActivityCategory.EGEN_AKTIVITET, "Trening tre ganger i uka", "Fast treningsrytme for å få struktur på dagen."),
    (d.ActivityCategory.ARBEID, "Deltidsjobb på kafé", "Jobber 40 % på kafé i sentrum. Vi ser på mulighet for flere timer."),
    (d.ActivityCategory.STILLING, "Stilling som lagermedarbeider", "Søke stillingen hos Bygg & Lager innen fristen."),
    (d.ActivityCategory.JOBBSOKING, "Lage CV", "Lage en CV sammen med veileder og laste den opp på arbeidsplassen.no."),
    (d.ActivityCategory.UTDANNING, "Norskkurs B1", "Norskopplæring på voksenopplæringen, mandag til torsdag."),
    (d.ActivityCategory.TILTAK, "Kvalifiseringskurs", "Kurs i kundeservice og arbeidslivsnorsk, seks uker."),
)
UNIT = "0315 NAV Grünerløkka"


def synthetic_fnr(birth: dt.date, rng: random.Random) -> str | None:
    """A checksum-valid fødselsnummer for the birth date (individual number 500–999 for 2000s)."""
    for _ in range(50):
        individual = rng.randint(500, 999) if birth.year >= 2000 else rng.randint(0, 499)
        base = f"{birth:%d%m}{birth.year % 100:02d}{individual:03d}"
        k1 = fodselsnummer.calc_check_digit1(base)
        if k1 == "10" or len(k1) != 1:
            continue
        k2 = fodselsnummer.calc_check_digit2(base + k1)
        if len(k2) != 1:
            continue
        number = base + k1 + k2
        if fodselsnummer.is_valid(number):
            return number
    return None


def generate(today: dt.date, *, n: int = 50, seed: int = 2024, advisor: str = "Z990001") -> d.Portfolio:
    rng = random.Random(f"{seed}-{today.isoformat()}-{n}")
    advisors = (
        d.Advisor(ident=d.AdvisorIdent(advisor), name="Kari Veileder", unit=UNIT, role=d.Role.VEILEDER,
                  phone="+47 55 55 33 33", email="kari.veileder@nav.no"),
        d.Advisor(ident=d.AdvisorIdent("Z990002"), name="Per Teamleder", unit=UNIT, role=d.Role.TEAMLEDER,
                  phone="+47 55 55 33 34", email="per.teamleder@nav.no"),
    )
    groups = [d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS] * 20 + [d.Innsatsgruppe.SPESIELT_TILPASSET_INNSATS] * 12 \
        + [d.Innsatsgruppe.STANDARD_INNSATS] * 10 + [d.Innsatsgruppe.GRADERT_VARIG_TILPASSET_INNSATS] * 3 \
        + [d.Innsatsgruppe.VARIG_TILPASSET_INNSATS] * 2
    cases = []
    used_names: set[str] = set()
    for i in range(n):
        while True:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if name not in used_names:
                used_names.add(name)
                break
        age_days = rng.randint(16 * 365 + 30, 29 * 365 + 300)
        if i == 3:
            age_days = 30 * 365 - 40  # turns 30 soon: UG-AGE-OUT
        birth = add_days(today, -age_days)
        registered = add_days(today, -rng.randint(5, 400))
        group = groups[i % len(groups)] if i else d.Innsatsgruppe.SITUASJONSBESTEMT_INNSATS
        assessed = add_days(registered, rng.randint(3, 20))
        assessments = []
        if assessed <= today and i % 17 != 5:
            assessments.append(d.Assessment(date=assessed, innsatsgruppe=group, note="§ 14 a-vedtak"))
            # Long-term unemployed get a new assessment after six months (MDB-2024), most of them.
            reassess = add_days(add_months(registered, 6), rng.randint(0, 20))
            if reassess <= today and rng.random() < 0.8:
                assessments.append(d.Assessment(date=reassess, innsatsgruppe=group, note="Ny vurdering etter seks måneder"))
        offered = add_days(registered, rng.randint(5, 50)) if rng.random() < 0.9 else None
        if offered and offered > today:
            offered = None
        # Held contacts counted back from a recent last one: most advisors keep up, a few slip.
        contacts: list[d.Contact] = []
        days_since = rng.randint(2, 28) if rng.random() < 0.82 else rng.randint(31, 70)
        day = add_days(today, -days_since)
        dates: list[dt.date] = []
        while day > registered and len(dates) < rng.randint(1, 6):
            dates.append(day)
            day = add_days(day, -rng.randint(14, 45))
        for k, day in enumerate(sorted(dates)):
            contact_status = d.ContactStatus.GJENNOMFORT if rng.random() < 0.9 else d.ContactStatus.IKKE_MOTT
            channel = rng.choice(list(d.Channel))
            contacts.append(d.Contact(id=d.ItemId(f"k{k + 1}"), date=day, channel=channel, status=contact_status,
                                      summary="Gikk gjennom aktivitetsplanen og avtalte neste steg." if contact_status == d.ContactStatus.GJENNOMFORT else ""))
        if rng.random() < 0.7:
            planned = add_days(today, rng.randint(1, 25))
            contacts.append(d.Contact(id=d.ItemId(f"k{len(contacts) + 1}"), date=planned, channel=d.Channel.OPPMOTE,
                                      status=d.ContactStatus.PLANLAGT, time=dt.time(rng.choice((9, 10, 12, 13, 14)), rng.choice((0, 30))),
                                      place="NAV Grünerløkka, møterom 2", interpreter_booked=rng.random() < 0.5))
        activities = []
        if group != d.Innsatsgruppe.STANDARD_INNSATS and i % 9 == 4:
            pass  # no plan yet: PLAN-MISSING
        else:
            for a in range(rng.randint(1, 5)):
                cat, title, desc = rng.choice(ACTIVITIES)
                start = add_days(registered, rng.randint(0, 60))
                end = add_days(start, rng.randint(30, 180))
                if end < today:
                    # Most finished activities have been closed; some are left running (expired).
                    roll = rng.random()
                    status = (d.ActivityStatus.FULLFORT if roll < 0.78 else
                              d.ActivityStatus.AVBRUTT if roll < 0.92 else d.ActivityStatus.GJENNOMFORES)
                elif start > today:
                    status = rng.choice((d.ActivityStatus.PLANLAGT, d.ActivityStatus.FORSLAG))
                else:
                    status = rng.choice((d.ActivityStatus.GJENNOMFORES, d.ActivityStatus.GJENNOMFORES, d.ActivityStatus.PLANLAGT))
                activities.append(d.Activity(id=d.ItemId(f"a{a + 1}"), title=title, category=cat, status=status,
                                             start=start, end=end, responsible=rng.choice(list(d.Responsible)),
                                             description=desc))
        benefits = d.Benefits()
        roll = rng.random()
        if roll < 0.2:
            benefits = d.Benefits(dagpenger=d.Dagpenger(end=add_days(today, rng.randint(20, 300))))
        elif roll < 0.35:
            aap_start = add_days(today, -rng.randint(60, 250))
            benefits = d.Benefits(aap=d.Aap(applied_on=add_days(aap_start, -40), decided_on=add_days(aap_start, -5),
                                            start=aap_start, end=add_days(aap_start, 3 * 365)))
        elif roll < 0.4:
            benefits = d.Benefits(aap=d.Aap(applied_on=add_days(today, -rng.randint(10, 40))))
        elif roll < 0.43:
            benefits = d.Benefits(omstillingsstonad=d.Omstillingsstonad(death_date=add_days(today, -rng.randint(30, 150))))
        flags: list[d.Flag] = []
        if rng.random() < 0.12:
            flags.append(d.Flag.UKRAINA)
        elif rng.random() < 0.1:
            flags.append(d.Flag.LANDGRUPPE_3)
        if rng.random() < 0.06:
            flags.append(d.Flag.KVP)
        if rng.random() < 0.08:
            flags.append(d.Flag.IPS)
        needs_interpreter = d.Flag.UKRAINA in flags or d.Flag.LANDGRUPPE_3 in flags
        reminders = []
        if rng.random() < 0.25:
            reminders.append(d.Reminder(id=d.ItemId("h1"), date=add_days(today, rng.randint(-5, 20)),
                                        text=rng.choice(("Sjekk svar fra OT", "Ring arbeidsgiver om praksisplass",
                                                         "Følg opp legeerklæring", "Spør om status på søknad"))))
        exceptions = []
        if rng.random() < 0.1:
            exceptions.append(d.RecordedException(id=d.ItemId("e1"), date=add_days(today, -rng.randint(1, 20)),
                                                  kind=d.ExceptionKind.IKKE_OPPNADD_KONTAKT,
                                                  note="Ringt to ganger og sendt melding, ikke svar"))
        external = []
        if rng.random() < 0.3:
            external.append(d.ExternalContact(role="OT", name="Per Rådgiver", phone="+47 900 00 000",
                                              organisation="Oppfølgingstjenesten"))
        cases.append(d.Case(
            ref=d.CaseRef(f"U-{i + 1:04d}"), advisor=d.AdvisorIdent(advisor), name=name, birth_date=birth,
            fnr=synthetic_fnr(birth, rng) if i % 2 == 0 else None,
            phone=f"+47 4{rng.randint(0, 9)}{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(100, 999)}",
            email=None, language="uk" if d.Flag.UKRAINA in flags else ("ar" if d.Flag.LANDGRUPPE_3 in flags else "nb"),
            needs_interpreter=needs_interpreter, flags=tuple(flags), registered_on=registered,
            follow_up_offered_on=offered, goal=rng.choice(GOALS), hovedmal=rng.choice(list(d.Hovedmal)),
            benefits=benefits,
            sick_leave_start=add_days(today, -rng.randint(20, 100)) if rng.random() < 0.05 else None,
            assessments=tuple(assessments), contacts=tuple(contacts), activities=tuple(activities),
            reminders=tuple(reminders), exceptions=tuple(exceptions), external_contacts=tuple(external),
        ))
    return d.Portfolio(advisors=advisors, cases=tuple(cases))
