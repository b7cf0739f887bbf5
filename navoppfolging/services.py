"""Services: the only way to read and write. Plain Python, keyword arguments, frozen dataclasses
from ``navoppfolging.domain`` out, ``ValidationError`` with bokmål messages for bad input.

Every write goes through one mechanism, ``CaseService.save``: the caller hands over the whole
case as it should be (usually ``dataclasses.replace`` of what it read), it is validated with the
same rules as the exchange import, and the rows are brought in line field by field — so the
audit trail records exactly what changed, and the case's version refuses stale saves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from navoppfolging import domain as d
from navoppfolging import models as m
from navoppfolging.db import Database
from navoppfolging.errors import ConflictError, NotFoundError, Problem, ValidationError
from navoppfolging.exchange import MAX, validate_case, validate_fnr
from navoppfolging.records import advisor_from_row, case_from_row
from navoppfolging.words import count

log = logging.getLogger(__name__)

T = TypeVar("T")

CONFLICT_MESSAGE = (
    "Saken er endret av noen andre (eller i et annet vindu) siden du åpnet den. "
    "Last inn saken på nytt og gjør endringen igjen."
)


# --- row <-> domain ------------------------------------------------------------------------------


def _case_fields(c: d.Case) -> dict[str, Any]:
    return dict(
        name=c.name, birth_date=c.birth_date, fnr=c.fnr, phone=c.phone, email=c.email, language=c.language,
        needs_interpreter=c.needs_interpreter, registered_on=c.registered_on,
        follow_up_offered_on=c.follow_up_offered_on, goal=c.goal, hovedmal=c.hovedmal.value if c.hovedmal else None,
        dagpenger_end=c.benefits.dagpenger.end, aap_applied_on=c.benefits.aap.applied_on,
        aap_decided_on=c.benefits.aap.decided_on, aap_start=c.benefits.aap.start, aap_end=c.benefits.aap.end,
        omstilling_death_date=c.benefits.omstillingsstonad.death_date, sick_leave_start=c.sick_leave_start,
        closed_on=c.closed_on, closed_reason=c.closed_reason,
    )


def _values(item: Any) -> dict[str, Any]:
    """Column values of a child domain item (enums as codes, ``id`` as ``ext_id``)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(item):
        v = getattr(item, f.name)
        out["ext_id" if f.name == "id" else f.name] = v.value if isinstance(v, StrEnum) else v
    return out


# Each child list: (relationship name, row class, key of a row for matching). Lists whose items
# have no id in the exchange format (assessments, external contacts) are matched by position.
_CHILDREN: tuple[tuple[str, type[Any], bool], ...] = (
    ("assessments", m.AssessmentRow, False),
    ("contacts", m.ContactRow, True),
    ("activities", m.ActivityRow, True),
    ("reminders", m.ReminderRow, True),
    ("exceptions", m.ExceptionRow, True),
    ("external_contacts", m.ExternalContactRow, False),
)


def _set_fields(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def _sync_case(session: Session, row: m.CaseRow, case: d.Case, advisor_id: int) -> bool:
    """Bring ``row`` and its children in line with ``case``; True when anything changed."""
    changed = _set_fields(row, _case_fields(case))
    if row.advisor_id != advisor_id:
        row.advisor_id = advisor_id
        changed = True
    wanted_flags = [f.value for f in case.flags]
    have = {f.flag: f for f in row.flags}
    for flag in list(have):
        if flag not in wanted_flags:
            row.flags.remove(have[flag])
            session.delete(have[flag])  # explicit, so the audit hook sees it before the flush
            changed = True
    for flag in wanted_flags:
        if flag not in have:
            row.flags.append(m.CaseFlagRow(flag=flag))
            changed = True
    for attr, row_cls, by_id in _CHILDREN:
        rows: list[Any] = getattr(row, attr)
        items: Sequence[Any] = getattr(case, attr)
        existing = {r.ext_id: r for r in rows} if by_id else dict(enumerate(rows))
        keep: set[int] = set()
        for pos, item in enumerate(items):
            values = _values(item)
            values["position"] = pos
            target = existing.get(item.id) if by_id else existing.get(pos)
            if target is None:
                rows.append(row_cls(**values))
                changed = True
            else:
                keep.add(id(target))
                changed |= _set_fields(target, values)
        for r in list(rows):
            if r.id is not None and id(r) not in keep and r in session:
                rows.remove(r)
                session.delete(r)
                changed = True
    if changed:
        # Touching the case row makes the version column advance even when only a child
        # changed: the case is the unit of conflict detection.
        row.updated_at = dt.datetime.now()
        flag_modified(row, "updated_at")
    return changed


_CASE_LOAD = (
    selectinload(m.CaseRow.flags),
    selectinload(m.CaseRow.assessments),
    selectinload(m.CaseRow.contacts),
    selectinload(m.CaseRow.activities),
    selectinload(m.CaseRow.reminders),
    selectinload(m.CaseRow.exceptions),
    selectinload(m.CaseRow.external_contacts),
)


def next_item_id(prefix: str, existing: Iterable[str]) -> d.ItemId:
    """«k7» after k1…k6: short ids like the exchange format's own."""
    numbers = [int(mm.group(1)) for x in existing if (mm := re.fullmatch(rf"{re.escape(prefix)}(\d+)", x))]
    return d.ItemId(f"{prefix}{max(numbers, default=0) + 1}")


# --- services ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportSummary:
    advisors_created: int
    advisors_updated: int
    cases_created: int
    cases_updated: int
    cases_unchanged: int

    def line(self) -> str:
        """The one-line summary the command line prints and the window shows, in bokmål with
        the numbers agreeing: «Importert: 1 ny sak, 3 oppdaterte, 0 uendrede; …»."""
        return (f"Importert: {count(self.cases_created, 'ny sak', 'nye saker')}, "
                f"{count(self.cases_updated, 'oppdatert', 'oppdaterte')}, "
                f"{count(self.cases_unchanged, 'uendret', 'uendrede')}; "
                f"{count(self.advisors_created, 'ny veileder', 'nye veiledere')}, "
                f"{count(self.advisors_updated, 'oppdatert', 'oppdaterte')}.")


class AdvisorService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self) -> tuple[d.Advisor, ...]:
        with self.db.session() as s:
            return tuple(advisor_from_row(r) for r in s.scalars(select(m.AdvisorRow).order_by(m.AdvisorRow.name)))

    def get(self, ident: str) -> d.Advisor | None:
        with self.db.session() as s:
            row = s.scalar(select(m.AdvisorRow).where(m.AdvisorRow.ident == ident))
            return advisor_from_row(row) if row else None

    def save(self, advisor: d.Advisor) -> d.Advisor:
        problems = validate_advisor(advisor)
        if problems:
            raise ValidationError(problems)
        with self.db.session() as s:
            row = s.scalar(select(m.AdvisorRow).where(m.AdvisorRow.ident == advisor.ident))
            if row is None:
                row = m.AdvisorRow(ident=advisor.ident, role=d.Role.VEILEDER.value)
                s.add(row)
            _set_fields(row, _advisor_fields(advisor))
        return advisor


def _advisor_fields(a: d.Advisor) -> dict[str, Any]:
    """The stored fields an advisor record sets. Unit, phone and e-mail are taken as given (left
    out = none, as for a case's fields: the record is complete). The role is the exception: it
    has no «none», and a default would silently change access in team mode (a TEAMLEDER
    re-imported from a file without ``role`` became a VEILEDER). So a role left out (None)
    keeps the stored one; new rows start as VEILEDER."""
    fields: dict[str, Any] = dict(name=a.name, unit=a.unit, phone=a.phone, email=a.email)
    if a.role is not None:
        fields["role"] = a.role.value
    return fields


def validate_advisor(a: d.Advisor, path: str = "") -> list[Problem]:
    p = f"{path}." if path else ""
    problems = []
    if not a.ident.strip():
        problems.append(Problem(f"{p}ident", "ident mangler"))
    if not a.name.strip():
        problems.append(Problem(f"{p}name", "navn mangler"))
    for key in ("ident", "name", "unit", "phone", "email"):
        value = getattr(a, key)
        if value and len(value) > MAX[key]:
            problems.append(Problem(f"{p}{key}", f"for lang tekst: {len(value)} tegn (maks {MAX[key]})"))
    return problems


def _check_lengths(case: d.Case) -> list[Problem]:
    """The exchange parser checks lengths while reading; the window's saves are checked here."""
    problems: list[Problem] = []

    def check(path: str, value: str | None, limit: str) -> None:
        if value and len(value) > MAX[limit]:
            problems.append(Problem(path, f"for lang tekst: {len(value)} tegn (maks {MAX[limit]})"))

    for key, limit in (("ref", "ref"), ("name", "name"), ("phone", "phone"), ("email", "email"),
                       ("language", "language"), ("goal", "goal"), ("closed_reason", "closed_reason")):
        check(key, getattr(case, key), limit)
    for i, k in enumerate(case.contacts):
        check(f"contacts[{i}].summary", k.summary, "summary")
        check(f"contacts[{i}].place", k.place, "place")
    for i, a in enumerate(case.activities):
        check(f"activities[{i}].title", a.title, "title")
        check(f"activities[{i}].description", a.description, "description")
        if not a.title.strip():
            problems.append(Problem(f"activities[{i}].title", "tittel mangler"))
    for i, h in enumerate(case.reminders):
        check(f"reminders[{i}].text", h.text, "text")
        if not h.text.strip():
            problems.append(Problem(f"reminders[{i}].text", "teksten mangler"))
    for i, e in enumerate(case.exceptions):
        check(f"exceptions[{i}].note", e.note, "note")
    for i, a2 in enumerate(case.assessments):
        check(f"assessments[{i}].note", a2.note, "note")
    for i, x in enumerate(case.external_contacts):
        check(f"external_contacts[{i}].name", x.name, "name")
        check(f"external_contacts[{i}].role", x.role, "role")
        check(f"external_contacts[{i}].phone", x.phone, "phone")
        check(f"external_contacts[{i}].organisation", x.organisation, "organisation")
        if not x.name.strip():
            problems.append(Problem(f"external_contacts[{i}].name", "navn mangler"))
    return problems


class CaseService:
    """Reading and writing one case at a time (the window's doorway)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def list(self, *, advisor: str | None = None, include_closed: bool = True) -> tuple[d.Case, ...]:
        with self.db.session() as s:
            stmt = select(m.CaseRow).options(*_CASE_LOAD).order_by(m.CaseRow.ref)
            if advisor is not None:
                stmt = stmt.join(m.CaseRow.advisor).where(m.AdvisorRow.ident == advisor)
            if not include_closed:
                stmt = stmt.where(m.CaseRow.closed_on.is_(None))
            return tuple(case_from_row(r) for r in s.scalars(stmt))

    def get(self, ref: str) -> d.Case:
        with self.db.session() as s:
            return case_from_row(self._row(s, ref))

    def exists(self, ref: str) -> bool:
        with self.db.session() as s:
            return s.scalar(select(func.count()).select_from(m.CaseRow).where(m.CaseRow.ref == ref)) == 1

    def _row(self, s: Session, ref: str) -> m.CaseRow:
        row = s.scalar(select(m.CaseRow).options(*_CASE_LOAD).where(m.CaseRow.ref == ref))
        if row is None:
            raise NotFoundError(f"Fant ingen sak med referanse {ref!r}.")
        return row

    def new_ref(self) -> d.CaseRef:
        """The next free «U-0051»-style reference."""
        with self.db.session() as s:
            refs = s.scalars(select(m.CaseRow.ref)).all()
        numbers = [int(x[2:]) for x in refs if re.fullmatch(r"U-\d+", x)]
        return d.CaseRef(f"U-{max(numbers, default=0) + 1:04d}")

    def create(self, case: d.Case) -> d.Case:
        self._validate(case)
        try:
            with self.db.session() as s:
                if s.scalar(select(m.CaseRow.id).where(m.CaseRow.ref == case.ref)) is not None:
                    raise ValidationError([Problem("ref", f"referansen {case.ref!r} er allerede i bruk")])
                advisor_id = self._advisor_id(s, case.advisor)
                row = m.CaseRow(ref=case.ref, advisor_id=advisor_id, name=case.name, birth_date=case.birth_date)
                s.add(row)
                _sync_case(s, row, case, advisor_id)
        finally:
            pass
        log.info("sak opprettet: %s", case.ref)
        return self.get(case.ref)

    def save(self, case: d.Case) -> d.Case:
        """Write the case as given. Refused with ConflictError when ``case.version`` is not the
        stored version (somebody saved in between) — never a silent overwrite."""
        self._validate(case)
        try:
            with self.db.session() as s:
                row = self._row(s, case.ref)
                if row.version != case.version:
                    raise ConflictError(CONFLICT_MESSAGE)
                changed = _sync_case(s, row, case, self._advisor_id(s, case.advisor))
        except StaleDataError:
            raise ConflictError(CONFLICT_MESSAGE) from None
        if changed:
            log.info("sak lagret: %s", case.ref)
        return self.get(case.ref)

    def update(self, ref: str, *, expected_version: int, change: Callable[[d.Case], d.Case]) -> d.Case:
        """Read, apply ``change``, save — refused if the stored version is not ``expected_version``."""
        current = self.get(ref)
        if current.version != expected_version:
            raise ConflictError(CONFLICT_MESSAGE)
        return self.save(change(current))

    # Convenience operations the window's buttons call. Each is one `update`.

    def add_contact(self, ref: str, *, expected_version: int, date: dt.date, channel: d.Channel,
                    status: d.ContactStatus, summary: str = "", interpreter_booked: bool = False,
                    time: dt.time | None = None, place: str | None = None) -> d.Case:
        def change(c: d.Case) -> d.Case:
            k = d.Contact(id=next_item_id("k", (x.id for x in c.contacts)), date=date, channel=channel, status=status,
                          summary=summary, interpreter_booked=interpreter_booked, time=time, place=place)
            return dataclasses.replace(c, contacts=(*c.contacts, k))
        return self.update(ref, expected_version=expected_version, change=change)

    def add_activity(self, ref: str, *, expected_version: int, activity: d.Activity) -> d.Case:
        def change(c: d.Case) -> d.Case:
            a = dataclasses.replace(activity, id=next_item_id("a", (x.id for x in c.activities)))
            return dataclasses.replace(c, activities=(*c.activities, a))
        return self.update(ref, expected_version=expected_version, change=change)

    def replace_item(self, ref: str, *, expected_version: int, item: Any) -> d.Case:
        """Replace the contact/activity/reminder/exception with the same id."""
        attr = _list_for(item)

        def change(c: d.Case) -> d.Case:
            items = getattr(c, attr)
            if not any(x.id == item.id for x in items):
                raise NotFoundError(f"Fant ikke {item.id!r} i saken.")
            # The field is chosen at run time, so mypy cannot match the value to one field's type.
            changes: dict[str, Any] = {attr: tuple(item if x.id == item.id else x for x in items)}
            return dataclasses.replace(c, **changes)
        return self.update(ref, expected_version=expected_version, change=change)

    def remove_item(self, ref: str, *, expected_version: int, item: Any) -> d.Case:
        attr = _list_for(item)

        def change(c: d.Case) -> d.Case:
            changes: dict[str, Any] = {attr: tuple(x for x in getattr(c, attr) if x.id != item.id)}  # as in replace_item
            return dataclasses.replace(c, **changes)
        return self.update(ref, expected_version=expected_version, change=change)

    def add_assessment(self, ref: str, *, expected_version: int, assessment: d.Assessment,
                       hovedmal: d.Hovedmal | None = None) -> d.Case:
        def change(c: d.Case) -> d.Case:
            return dataclasses.replace(c, assessments=(*c.assessments, assessment), hovedmal=hovedmal or c.hovedmal)
        return self.update(ref, expected_version=expected_version, change=change)

    def add_reminder(self, ref: str, *, expected_version: int, date: dt.date, text: str) -> d.Case:
        def change(c: d.Case) -> d.Case:
            h = d.Reminder(id=next_item_id("h", (x.id for x in c.reminders)), date=date, text=text)
            return dataclasses.replace(c, reminders=(*c.reminders, h))
        return self.update(ref, expected_version=expected_version, change=change)

    def add_exception(self, ref: str, *, expected_version: int, date: dt.date, kind: d.ExceptionKind,
                      note: str = "") -> d.Case:
        def change(c: d.Case) -> d.Case:
            e = d.RecordedException(id=next_item_id("e", (x.id for x in c.exceptions)), date=date, kind=kind, note=note)
            return dataclasses.replace(c, exceptions=(*c.exceptions, e))
        return self.update(ref, expected_version=expected_version, change=change)

    def record_offer(self, ref: str, *, expected_version: int, offered_on: dt.date) -> d.Case:
        return self.update(ref, expected_version=expected_version,
                           change=lambda c: dataclasses.replace(c, follow_up_offered_on=offered_on))

    def close(self, ref: str, *, expected_version: int, closed_on: dt.date, reason: str) -> d.Case:
        if not reason.strip():
            raise ValidationError([Problem("closed_reason", "oppgi en årsak til at saken avsluttes")])
        return self.update(ref, expected_version=expected_version,
                           change=lambda c: dataclasses.replace(c, closed_on=closed_on, closed_reason=reason))

    def reopen(self, ref: str, *, expected_version: int) -> d.Case:
        return self.update(ref, expected_version=expected_version,
                           change=lambda c: dataclasses.replace(c, closed_on=None, closed_reason=None))

    def mark_opened(self, ref: str) -> None:
        """Clear «ny for deg» once the receiving advisor has opened a handed-over case."""
        with self.db.session() as s:
            row = s.scalar(select(m.CaseRow).where(m.CaseRow.ref == ref))
            if row is not None and row.new_for_advisor:
                row.new_for_advisor = False

    def new_for_advisor(self) -> frozenset[str]:
        with self.db.session() as s:
            return frozenset(s.scalars(select(m.CaseRow.ref).where(m.CaseRow.new_for_advisor.is_(True))))

    def _advisor_id(self, s: Session, ident: str) -> int:
        advisor_id = s.scalar(select(m.AdvisorRow.id).where(m.AdvisorRow.ident == ident))
        if advisor_id is None:
            raise ValidationError([Problem("advisor", f"ukjent veileder {ident!r}")])
        return advisor_id

    def _validate(self, case: d.Case) -> None:
        problems = _check_lengths(case) + validate_case(case)
        if problems:
            raise ValidationError(problems)


def _list_for(item: Any) -> str:
    for cls, attr in ((d.Contact, "contacts"), (d.Activity, "activities"), (d.Reminder, "reminders"),
                      (d.RecordedException, "exceptions")):
        if isinstance(item, cls):
            return attr
    raise TypeError(type(item).__name__)


class PortfolioService:
    """Whole-portfolio reads (rule engine, workload) and the exchange-format import/export."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self, *, advisor: str | None = None, include_closed: bool = True) -> d.Portfolio:
        with self.db.session() as s:
            advisors = tuple(advisor_from_row(r) for r in s.scalars(select(m.AdvisorRow).order_by(m.AdvisorRow.ident)))
        cases = CaseService(self.db).list(advisor=advisor, include_closed=include_closed)
        if advisor is not None:
            advisors = tuple(a for a in advisors if a.ident == advisor)
        return d.Portfolio(advisors=advisors, cases=cases)

    export = load

    def advisor_idents(self) -> frozenset[str]:
        with self.db.session() as s:
            return frozenset(s.scalars(select(m.AdvisorRow.ident)))

    def import_portfolio(self, portfolio: d.Portfolio) -> ImportSummary:
        """All or nothing: one transaction, cases updated by ``ref``."""
        problems: list[Problem] = []
        for i, a in enumerate(portfolio.advisors):
            problems += validate_advisor(a, f"advisors[{i}]")
        for i, c in enumerate(portfolio.cases):
            problems += [Problem(f"cases[{i}].{p.path}", p.message) for p in _check_lengths(c)]
            problems += validate_case(c, f"cases[{i}]")
        if problems:
            raise ValidationError(problems)
        counts = dict(ac=0, au=0, cc=0, cu=0, cn=0)
        with self.db.session() as s:
            advisor_rows = {r.ident: r for r in s.scalars(select(m.AdvisorRow))}
            for a in portfolio.advisors:
                row = advisor_rows.get(a.ident)
                if row is None:
                    row = m.AdvisorRow(ident=a.ident, name=a.name, role=d.Role.VEILEDER.value)
                    s.add(row)
                    advisor_rows[a.ident] = row
                    counts["ac"] += 1
                if _set_fields(row, _advisor_fields(a)):
                    counts["au"] += row.id is not None
            s.flush()
            missing = [(i, c.advisor) for i, c in enumerate(portfolio.cases) if c.advisor not in advisor_rows]
            if missing:
                raise ValidationError([Problem(f"cases[{i}].advisor", f"ukjent veileder {ident!r}") for i, ident in missing])
            refs = [c.ref for c in portfolio.cases]
            existing = {r.ref: r for r in s.scalars(select(m.CaseRow).options(*_CASE_LOAD).where(m.CaseRow.ref.in_(refs)))} if refs else {}
            for c in portfolio.cases:
                case_row = existing.get(c.ref)
                if case_row is None:
                    case_row = m.CaseRow(ref=c.ref, advisor_id=advisor_rows[c.advisor].id, name=c.name, birth_date=c.birth_date)
                    s.add(case_row)
                    _sync_case(s, case_row, c, advisor_rows[c.advisor].id)
                    counts["cc"] += 1
                elif _sync_case(s, case_row, c, advisor_rows[c.advisor].id):
                    counts["cu"] += 1
                else:
                    counts["cn"] += 1
        summary = ImportSummary(counts["ac"], counts["au"], counts["cc"], counts["cu"], counts["cn"])
        log.info("import: %d nye, %d oppdatert, %d uendret saker", summary.cases_created, summary.cases_updated,
                 summary.cases_unchanged)
        return summary


class SettingsService:
    """Local settings as text key/value pairs (the rule engine parses its own)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def all(self) -> dict[str, str]:
        with self.db.session() as s:
            return {r.key: r.value for r in s.scalars(select(m.SettingRow))}

    def get(self, key: str, default: str | None = None) -> str | None:
        with self.db.session() as s:
            row = s.get(m.SettingRow, key)
            return row.value if row else default

    def set(self, key: str, value: str) -> None:
        with self.db.session() as s:
            row = s.get(m.SettingRow, key)
            if row is None:
                s.add(m.SettingRow(key=key, value=value))
            elif row.value != value:
                row.value = value

    def delete(self, key: str) -> None:
        # Through the unit of work (not a bulk DELETE) so the audit hook records it.
        with self.db.session() as s:
            row = s.get(m.SettingRow, key)
            if row is not None:
                s.delete(row)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: dt.datetime
    actor: str
    case_ref: str | None
    entity: str
    entity_key: str | None
    action: str
    changes: dict[str, tuple[Any, Any]]


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def history(self, ref: str) -> tuple[AuditEntry, ...]:
        """The case's audit entries, newest first. ``advisor_id`` changes (the row id of an
        advisor, meaningless to a reader) come as the advisor's NAV-ident."""
        with self.db.session() as s:
            rows = list(s.scalars(select(m.AuditRow).where(m.AuditRow.case_ref == ref).order_by(m.AuditRow.id.desc())))
            entries = [(r, {k: (v[0], v[1]) for k, v in json.loads(r.changes).items()}) for r in rows]
            idents: dict[Any, str] = {}
            if any("advisor_id" in changes for _, changes in entries):
                idents = {row_id: ident for row_id, ident in s.execute(select(m.AdvisorRow.id, m.AdvisorRow.ident))}
            out: list[AuditEntry] = []
            for r, changes in entries:
                if "advisor_id" in changes:
                    old, new = changes["advisor_id"]
                    changes["advisor_id"] = (idents.get(old, old), idents.get(new, new))
                out.append(AuditEntry(at=r.at, actor=r.actor, case_ref=r.case_ref, entity=r.entity,
                                      entity_key=r.entity_key, action=r.action, changes=changes))
            return tuple(out)


def check_fnr(fnr: str) -> str | None:
    """For inline validation in the window: None when valid, else the bokmål message."""
    return validate_fnr(fnr)
