"""Due follow-ups and planned meetings as an iCalendar file (.ics) for Outlook and the like.

One VEVENT per due item from the rule engine (all-day, on the due date) and one per planned
meeting (timed when the contact has a time, else all-day), within ``as_of + horizon``; overdue
items are included, as in the due list, because they are still open.

UIDs are stable: the same item gives the same UID in every export, so importing a newer file
into the calendar *updates* the event (also when its due date moved) instead of adding a second
one. Due items: ``{ref}-{rule}-{activity or contact or ''}@navoppfolging``; meetings:
``{ref}-MOTE-{contact id}@navoppfolging``.

Calendars are shared and synchronised to phones: event texts use the case ref and the initials,
not the name, unless ``with_names``; a fødselsnummer is never written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from navoppfolging import domain as d
from navoppfolging.holidays_no import deadline_note

UID_DOMAIN = "navoppfolging"
PRODID = "-//NAV//navoppfolging//NO"
TIMEZONE = "Europe/Oslo"
MEETING_MINUTES = 60  # a meeting without an end: one hour, as the calendar needs an end


def item_uid(ref: str, rule: str, item_id: str | None) -> str:
    return f"{ref}-{rule}-{item_id or ''}@{UID_DOMAIN}"


def meeting_uid(ref: str, contact_id: str) -> str:
    return f"{ref}-MOTE-{contact_id}@{UID_DOMAIN}"


def who(case: d.Case, *, with_names: bool) -> str:
    """«U-0001 (ON)», or «U-0001 Ola Nordmann» with names."""
    return f"{case.ref} {case.name}" if with_names else f"{case.ref} ({d.initials(case.name)})"


def build_calendar(
    cases: Iterable[d.Case],
    as_of: dt.date,
    *,
    horizon: int = 30,
    with_names: bool = False,
    settings: Any = None,
    stamp: dt.datetime | None = None,
) -> bytes:
    """The .ics file's bytes. ``stamp`` (DTSTAMP, UTC) defaults to now; tests fix it."""
    from zoneinfo import ZoneInfo

    from icalendar import Calendar, Event

    from navoppfolging.dates import fmt
    from navoppfolging.rules import STATUS_LABELS, evaluate, practice_note

    cases = tuple(cases)
    by_ref = {c.ref: c for c in cases}
    limit = as_of + dt.timedelta(days=horizon)
    stamp = stamp or dt.datetime.now(dt.UTC)
    evaluation = evaluate(cases, as_of, settings=settings)

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Oppfølging – frister og møter")
    cal.add("x-wr-timezone", TIMEZONE)

    for item in evaluation.items:
        if item.due > limit:
            continue
        case = by_ref[item.case]
        event = Event()
        event.add("uid", item_uid(item.case, item.rule, item.activity or item.contact))
        event.add("dtstamp", stamp)
        event.add("dtstart", item.due)
        event.add("dtend", item.due + dt.timedelta(days=1))
        event.add("summary", f"Frist {who(case, with_names=with_names)}: {item.title}")
        lines = [
            item.explanation,
            f"Oppfylt når: {item.satisfied_by}" if item.satisfied_by else "",
            f"Kilde: {item.source}{practice_note(item.source, item.letter_rule)}",
            f"Regel: {item.rule}",
            f"Status per {fmt(as_of)}: {STATUS_LABELS[item.status]}",
        ]
        note = deadline_note(item.due)
        if note is not None:
            lines.insert(0, note.text)
        event.add("description", "\n".join(x for x in lines if x))
        event.add("categories", ["Oppfølging"])
        event.add("transp", "TRANSPARENT")  # a deadline does not make the advisor busy
        cal.add_component(event)

    zone = ZoneInfo(TIMEZONE)
    for case in sorted(cases, key=lambda c: c.ref):
        if case.closed_on is not None and case.closed_on <= as_of:
            continue
        for contact in case.contacts:
            if contact.status is not d.ContactStatus.PLANLAGT or not as_of <= contact.date <= limit:
                continue
            event = Event()
            event.add("uid", meeting_uid(case.ref, contact.id))
            event.add("dtstamp", stamp)
            if contact.time is not None:
                start = dt.datetime.combine(contact.date, contact.time, tzinfo=zone)
                event.add("dtstart", start)
                event.add("dtend", start + dt.timedelta(minutes=MEETING_MINUTES))
            else:
                event.add("dtstart", contact.date)
                event.add("dtend", contact.date + dt.timedelta(days=1))
            channel = d.CHANNEL_LABELS[contact.channel]
            event.add("summary", f"Møte {who(case, with_names=with_names)} ({channel.lower()})")
            lines = [f"Planlagt møte ({channel.lower()}) med {who(case, with_names=with_names)}."]
            if case.needs_interpreter:
                lines.append("Tolk: " + ("bestilt" if contact.interpreter_booked else "trengs, ikke bestilt ennå"))
            note = deadline_note(contact.date)
            if note is not None:
                lines.append(f"Merk: møtet er {note.deadline_phrase}.")
            event.add("description", "\n".join(lines))
            if contact.place:
                event.add("location", contact.place)
            event.add("categories", ["Møte"])
            cal.add_component(event)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def write_calendar(path: Any, cases: Iterable[d.Case], as_of: dt.date, *, horizon: int = 30,
                   with_names: bool = False, settings: Any = None) -> int:
    """Write the .ics atomically; returns the number of events."""
    from pathlib import Path

    from navoppfolging.exchange import atomic_write_bytes

    data = build_calendar(cases, as_of, horizon=horizon, with_names=with_names, settings=settings)
    atomic_write_bytes(Path(path), data)
    return data.count(b"BEGIN:VEVENT")
