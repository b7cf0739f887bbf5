"""Deleting closed cases after the retention period (a local setting: the letters give none).

``preview(as_of)`` lists what would go — reference, closing date and number of rows, no names —
and ``apply(as_of)`` deletes exactly that in one transaction, writes one ``deletion_log`` row per
case (ref, dates, count) and removes the free text from the case's audit trail (who, when, which
fields, dates and codes stay). Nothing here reads the clock: the caller passes ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Sequence
from typing import NamedTuple
from dataclasses import dataclass

from sqlalchemy import func, select

from navoppfolging import models as m
from navoppfolging.audit import scrub_free_text
from navoppfolging.db import Database
from navoppfolging.errors import ValidationError

log = logging.getLogger(__name__)

SETTING = "retention.days"
DEFAULT_DAYS = 730
MAX_DAYS = 36_500  # a period is whole days, at least 1 and at most 100 years
LABEL = "Sletting av avsluttede saker etter (dager) — lokal innstilling"

_CHILD_TABLES = (m.CaseFlagRow, m.AssessmentRow, m.ContactRow, m.ActivityRow, m.ReminderRow, m.ExceptionRow,
                 m.ExternalContactRow, m.DelegationRow)


@dataclass(frozen=True, slots=True)
class RetentionCandidate:
    ref: str
    closed_on: dt.date
    row_count: int  # the case row and every row under it


@dataclass(frozen=True, slots=True)
class RetentionResult:
    as_of: dt.date
    cutoff: dt.date
    deleted: tuple[RetentionCandidate, ...]

    @property
    def rows(self) -> int:
        return sum(c.row_count for c in self.deleted)


class DeletionEntry(NamedTuple):
    """One row of the deletion log, carried across a restore."""

    case_ref: str
    deleted_at: dt.datetime
    closed_on: dt.date | None
    row_count: int


def _delete_cases(s, rows: Sequence[m.CaseRow]) -> None:  # type: ignore[no-untyped-def]
    """Delete the cases ``rows`` with everything under them (the audit hook records each delete)
    and scrub the free text from their audit trail."""
    for row in rows:
        for child in s.scalars(select(m.DelegationRow).where(m.DelegationRow.case_id == row.id)):
            s.delete(child)
        s.delete(row)  # cascades to the children
    s.flush()
    scrub_free_text(s, [row.ref for row in rows])


def _check_days(days: int) -> None:
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"{SETTING}: må være mellom 1 og {MAX_DAYS} dager")


class RetentionService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def days(self) -> int:
        with self.db.session() as s:
            row = s.get(m.SettingRow, SETTING)
        if row is None:
            return DEFAULT_DAYS
        try:
            days = int(row.value)
        except ValueError:
            raise ValidationError(f"Den lokale innstillingen {SETTING} er ikke et helt tall: {row.value!r}") from None
        if not 1 <= days <= MAX_DAYS:
            raise ValidationError(f"Den lokale innstillingen {SETTING} må være mellom 1 og {MAX_DAYS} (dager).")
        return days

    def set_days(self, days: int) -> None:
        _check_days(days)
        from navoppfolging.services import SettingsService

        SettingsService(self.db).set(SETTING, str(int(days)))

    def cutoff(self, as_of: dt.date, *, days: int | None = None) -> dt.date:
        """Cases closed on or before this date are due for deletion (``days``: another period
        than the saved one, to see what it would delete)."""
        if days is not None:
            _check_days(days)
        return as_of - dt.timedelta(days=self.days() if days is None else days)

    def preview(self, as_of: dt.date, *, days: int | None = None) -> tuple[RetentionCandidate, ...]:
        cutoff = self.cutoff(as_of, days=days)
        with self.db.session() as s:
            return self._candidates(s, cutoff)

    def apply(self, as_of: dt.date, *, days: int | None = None, refs: Collection[str] | None = None,
              now: dt.datetime | None = None) -> RetentionResult:
        """Delete every case ``preview(as_of, days=days)`` lists — all in one transaction.

        ``days``: a new period, saved in the same transaction (nothing is saved if the deletion
        fails). ``refs``: the cases the user was shown and confirmed; only those are deleted (a
        case closed by someone else in the meantime waits for the next time it is shown)."""
        cutoff = self.cutoff(as_of, days=days)
        stamp = (now or dt.datetime.now()).replace(microsecond=0)
        with self.db.session() as s:
            candidates = self._candidates(s, cutoff)
            if refs is not None:
                confirmed = set(refs)
                candidates = tuple(c for c in candidates if c.ref in confirmed)
            if days is not None and days != self._stored_days(s):
                s.merge(m.SettingRow(key=SETTING, value=str(int(days))))
            refs = [c.ref for c in candidates]
            _delete_cases(s, list(s.scalars(select(m.CaseRow).where(m.CaseRow.ref.in_(refs)))) if refs else [])
            s.add_all(m.DeletionLogRow(deleted_at=stamp, case_ref=c.ref, closed_on=c.closed_on, row_count=c.row_count)
                      for c in candidates)
        result = RetentionResult(as_of=as_of, cutoff=cutoff, deleted=candidates)
        log.info("sletting etter oppbevaringstid: %d saker, %d rader (frist %s)", len(candidates), result.rows,
                 cutoff.isoformat())
        return result

    def reapply(self, entries: Sequence[DeletionEntry]) -> int:
        """After a backup is restored: what the deletion log said was deleted is deleted again —
        a restore must not bring back cases retention deleted — and the log's entries are kept.
        A case counts as the deleted one when its ref and closing date match the entry (a new
        case that reused the ref is left alone). Returns the number of cases deleted again."""
        if not entries:
            return 0
        with self.db.session() as s:
            logged = {(r.case_ref, r.deleted_at) for r in s.scalars(select(m.DeletionLogRow))}
            closed = {e.case_ref: e.closed_on for e in entries}
            rows = [row for row in s.scalars(select(m.CaseRow).where(m.CaseRow.ref.in_(list(closed))))
                    if row.closed_on is not None and row.closed_on == closed[row.ref]]
            _delete_cases(s, rows)
            s.add_all(m.DeletionLogRow(deleted_at=e.deleted_at, case_ref=e.case_ref, closed_on=e.closed_on,
                                       row_count=e.row_count)
                      for e in entries if (e.case_ref, e.deleted_at) not in logged)
        if rows:
            log.info("gjenoppretting: %d saker slettet på nytt etter slettingsloggen", len(rows))
        return len(rows)

    def deletion_entries(self) -> tuple[DeletionEntry, ...]:
        with self.db.session() as s:
            return tuple(DeletionEntry(r.case_ref, r.deleted_at, r.closed_on, r.row_count)
                         for r in s.scalars(select(m.DeletionLogRow).order_by(m.DeletionLogRow.id)))

    @staticmethod
    def _stored_days(s) -> int | None:  # type: ignore[no-untyped-def]
        row = s.get(m.SettingRow, SETTING)
        try:
            return int(row.value) if row is not None else None
        except ValueError:
            return None

    def deletion_log(self) -> tuple[m.DeletionLogRow, ...]:
        with self.db.session() as s:
            return tuple(s.scalars(select(m.DeletionLogRow).order_by(m.DeletionLogRow.id)))

    @staticmethod
    def _candidates(s, cutoff: dt.date) -> tuple[RetentionCandidate, ...]:  # type: ignore[no-untyped-def]
        rows = s.execute(
            select(m.CaseRow.id, m.CaseRow.ref, m.CaseRow.closed_on)
            .where(m.CaseRow.closed_on.is_not(None), m.CaseRow.closed_on <= cutoff)
            .order_by(m.CaseRow.closed_on, m.CaseRow.ref)
        ).all()
        if not rows:
            return ()
        ids = [r.id for r in rows]
        counts = {i: 1 for i in ids}
        for table in _CHILD_TABLES:
            for case_id, n in s.execute(select(table.case_id, func.count()).where(table.case_id.in_(ids))
                                        .group_by(table.case_id)):
                counts[case_id] += n
        return tuple(RetentionCandidate(ref=r.ref, closed_on=r.closed_on, row_count=counts[r.id]) for r in rows)
