"""The audit trail: every insert, update and delete of a case or anything under it records who,
when, which entity, which fields, old → new. Installed as a session hook, so no service can
forget it."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from navoppfolging import models as m

# Entity name and how to find the case ref / a readable key for each audited row type.
_AUDITED: dict[type, str] = {
    m.AdvisorRow: "advisor",
    m.CaseRow: "case",
    m.CaseFlagRow: "flag",
    m.AssessmentRow: "assessment",
    m.ContactRow: "contact",
    m.ActivityRow: "activity",
    m.ReminderRow: "reminder",
    m.ExceptionRow: "exception",
    m.ExternalContactRow: "external_contact",
    m.DelegationRow: "delegation",
    m.SettingRow: "setting",
}
_SKIP_FIELDS = {"id", "case_id", "version", "updated_at", "position"}


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat()
    return value


def _entity_key(obj: Any) -> str | None:
    for attr in ("ext_id", "ref", "ident", "key", "flag"):
        if hasattr(obj, attr):
            return str(getattr(obj, attr))
    return None


def _case_ref(session: Session, obj: Any) -> str | None:
    if isinstance(obj, m.CaseRow):
        return obj.ref
    # New children have no case_id before the flush; the backref knows their case.
    parent = getattr(obj, "case", None)
    if parent is not None:
        return str(parent.ref)
    case_id = getattr(obj, "case_id", None)
    if case_id is None:
        return None
    case = session.get(m.CaseRow, case_id)
    return case.ref if case is not None else None


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in _SKIP_FIELDS:
            continue
        hist = state.attrs[key].history
        if action == "insert":
            value = getattr(obj, key)
            if value not in (None, "", False):
                out[key] = [None, _plain(value)]
        elif action == "delete":
            value = hist.unchanged[0] if hist.unchanged else (hist.deleted[0] if hist.deleted else None)
            if value not in (None, "", False):
                out[key] = [_plain(value), None]
        elif hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                out[key] = [_plain(old), _plain(new)]
    return out


def install_audit(factory: sessionmaker[Session], *, actor: Callable[[], str]) -> None:
    def before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
        now = dt.datetime.now().replace(microsecond=0)
        entries: list[m.AuditRow] = []
        for action, objs in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
            for obj in list(objs):
                entity = _AUDITED.get(type(obj))
                if entity is None:
                    continue
                if action == "update" and not session.is_modified(obj, include_collections=False):
                    continue
                changes = _changes(obj, action)
                if action == "update" and not changes:
                    continue
                entries.append(
                    m.AuditRow(
                        at=now,
                        actor=actor(),
                        case_ref=_case_ref(session, obj),
                        entity=entity,
                        entity_key=_entity_key(obj),
                        action=action,
                        changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
                    )
                )
        session.add_all(entries)

    event.listen(factory, "before_flush", before_flush)


# --- retention: the audit trail outlives the case, its free text does not ---------------------

SCRUBBED = "[slettet]"
# Values kept when a case is deleted: codes, ids, yes/no — the «what happened when» of the trail.
_KEEP_FIELDS = frozenset({
    "ref", "ext_id", "advisor_id", "flag", "channel", "status", "category", "responsible", "kind",
    "innsatsgruppe", "hovedmal", "needs_interpreter", "interpreter_booked", "done", "new_for_advisor",
})
# Dates that describe the young person rather than the follow-up are personal data.
_PERSONAL_DATES = frozenset({"birth_date", "omstilling_death_date"})
_DATE_OR_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?|\d{2}:\d{2}(:\d{2})?")


def scrub_value(field: str, value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if field in _PERSONAL_DATES:
        return SCRUBBED
    if field in _KEEP_FIELDS:
        return value
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and _DATE_OR_TIME.fullmatch(value):
        return value
    return SCRUBBED


def scrub_free_text(session: Session, refs: Collection[str]) -> int:
    """Remove names, fødselsnummer, phone numbers and free text from the audit entries of the
    cases ``refs`` (field names, dates and codes stay). Returns the number of entries changed."""
    if not refs:
        return 0
    changed = 0
    for row in session.scalars(select(m.AuditRow).where(m.AuditRow.case_ref.in_(list(refs)))):
        changes = json.loads(row.changes or "{}")
        scrubbed = {k: [scrub_value(k, v[0]), scrub_value(k, v[1])] for k, v in changes.items()}
        key = row.entity_key
        if row.entity == "external_contact" or (key is not None and row.entity == "setting"):
            key = None
        if scrubbed != changes or key != row.entity_key:
            row.changes = json.dumps(scrubbed, ensure_ascii=False, sort_keys=True)
            row.entity_key = key
            changed += 1
    session.flush()
    return changed
