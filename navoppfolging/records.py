"""Rows to domain objects: one conversion for both readers of the database.

``services`` hands it ORM rows (``models.CaseRow`` …); ``quickread`` hands it plain named tuples
with the same attribute names, read with the bare SQLCipher driver at start-up before SQLAlchemy
is loaded. Keeping a single conversion is what makes the two readers give equal objects (the
tests compare them).
"""

from __future__ import annotations

from typing import Any

from navoppfolging import domain as d

_FLAG_ORDER = {f: i for i, f in enumerate(d.Flag)}


def advisor_from_row(row: Any) -> d.Advisor:
    return d.Advisor(ident=d.AdvisorIdent(row.ident), name=row.name, unit=row.unit, role=d.Role(row.role),
                     phone=row.phone, email=row.email)


def case_from_row(row: Any) -> d.Case:
    return d.Case(
        ref=d.CaseRef(row.ref),
        advisor=d.AdvisorIdent(row.advisor.ident),
        name=row.name,
        birth_date=row.birth_date,
        fnr=row.fnr,
        phone=row.phone,
        email=row.email,
        language=row.language,
        needs_interpreter=row.needs_interpreter,
        flags=tuple(sorted((d.Flag(f.flag) for f in row.flags), key=_FLAG_ORDER.__getitem__)),
        registered_on=row.registered_on,
        follow_up_offered_on=row.follow_up_offered_on,
        goal=row.goal,
        hovedmal=d.Hovedmal(row.hovedmal) if row.hovedmal else None,
        benefits=d.Benefits(
            dagpenger=d.Dagpenger(end=row.dagpenger_end),
            aap=d.Aap(applied_on=row.aap_applied_on, decided_on=row.aap_decided_on, start=row.aap_start, end=row.aap_end),
            omstillingsstonad=d.Omstillingsstonad(death_date=row.omstilling_death_date),
        ),
        sick_leave_start=row.sick_leave_start,
        assessments=tuple(d.Assessment(date=a.date, innsatsgruppe=d.Innsatsgruppe(a.innsatsgruppe), note=a.note)
                          for a in row.assessments),
        contacts=tuple(d.Contact(id=d.ItemId(k.ext_id), date=k.date, channel=d.Channel(k.channel),
                                 status=d.ContactStatus(k.status), summary=k.summary,
                                 interpreter_booked=k.interpreter_booked, time=k.time, place=k.place)
                       for k in row.contacts),
        activities=tuple(d.Activity(id=d.ItemId(a.ext_id), title=a.title, category=d.ActivityCategory(a.category),
                                    status=d.ActivityStatus(a.status), start=a.start, end=a.end,
                                    responsible=d.Responsible(a.responsible) if a.responsible else None,
                                    description=a.description)
                         for a in row.activities),
        reminders=tuple(d.Reminder(id=d.ItemId(h.ext_id), date=h.date, text=h.text, done=h.done) for h in row.reminders),
        exceptions=tuple(d.RecordedException(id=d.ItemId(e.ext_id), date=e.date, kind=d.ExceptionKind(e.kind), note=e.note)
                         for e in row.exceptions),
        external_contacts=tuple(d.ExternalContact(role=x.role, name=x.name, phone=x.phone, organisation=x.organisation)
                                for x in row.external_contacts),
        closed_on=row.closed_on,
        closed_reason=row.closed_reason,
        version=row.version,
    )
