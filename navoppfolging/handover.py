"""Hand-over: move one or many cases to another advisor in one transaction.

    service = HandoverService(db)
    preview = service.preview(["U-0001", "U-0002"], to="Z990003", as_of=today)
    if preview.warning: ...                       # receiver would go over PORTFOLIO-CAP-50
    result = service.hand_over(["U-0001", "U-0002"], to="Z990003", expected_versions={...})

The receiver sees the cases marked «ny for deg» (``cases.new_for_advisor``) until opened
(``CaseService.mark_opened``); the audit trail gets the changed advisor (the audit hook) and an
explicit «overført fra X til Y» entry per case. Delegations of a moved case end: cover was
arranged for the sender.

In team mode an advisor cannot UPDATE a case away from themselves (PostgreSQL checks the new row
against the SELECT policy), so the move itself is done by the definer function
``navoppfolging_move_cases`` of revision 0002, after the cases were read and locked *through*
row-level security by the advisor's own session — what the sender cannot see, they cannot give.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from navoppfolging import models as m
from navoppfolging.db import Database
from navoppfolging.domain import Advisor, Role
from navoppfolging.errors import ConflictError, NotFoundError, ValidationError
from navoppfolging.rules import ruleset_for
from navoppfolging.rules.facts import in_ug_target_group
from navoppfolging.services import CONFLICT_MESSAGE, AdvisorService, CaseService, PortfolioService

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class HandoverPreview:
    receiver: str
    cases: int  # how many cases move
    ug_moving: int  # of which in the youth-guarantee target group on as_of
    receiver_ug_before: int
    cap: int | None  # PORTFOLIO-CAP-50 of the ruleset in force (None in 2023)

    @property
    def receiver_ug_after(self) -> int:
        return self.receiver_ug_before + self.ug_moving

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.receiver_ug_after > self.cap

    @property
    def warning(self) -> str | None:
        return self.warning_about(self.receiver)

    def warning_about(self, who: str) -> str | None:
        """The over-the-cap warning with the receiver called ``who`` (the window uses the name)."""
        if not self.over_cap:
            return None
        return (f"{who} får {self.receiver_ug_after} saker i ungdomsgarantien etter overføringen, "
                f"over taket på {self.cap} (PORTFOLIO-CAP-50, MDB-2024 §2.1.1 «inntil 50 brukere»).")


@dataclass(frozen=True, slots=True)
class HandoverResult:
    receiver: str
    moved: tuple[str, ...]  # case refs, for the sender's own confirmation (never in the workload)


def _is_team_advisor(s: Session) -> bool:
    """True when the session's login role is an advisor subject to row-level security."""
    if s.get_bind().dialect.name != "postgresql":
        return False
    return bool(s.scalar(text("SELECT EXISTS (SELECT 1 FROM advisors WHERE lower(ident) = current_user)")))


class HandoverService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def receivers(self, *, exclude: str | None = None) -> tuple[Advisor, ...]:
        """Advisors who can receive cases (role VEILEDER), sorted by name."""
        return tuple(a for a in AdvisorService(self.db).list() if a.role is Role.VEILEDER and a.ident != exclude)

    def _receiver_ug(self, to: str, as_of: dt.date) -> int:
        tg = ruleset_for(as_of).target_group
        with self.db.session() as s:
            if s.get_bind().dialect.name == "postgresql" and _is_team_advisor(s):
                groups = sorted(g.value for g in tg.innsatsgrupper)
                return int(s.scalar(
                    text("SELECT navoppfolging_ug_count(:ident, :as_of, :min, :max, CAST(:groups AS text[]))"),
                    {"ident": to, "as_of": as_of, "min": tg.min_age, "max": tg.max_age_exclusive, "groups": groups},
                ) or 0)
        portfolio = PortfolioService(self.db).load(advisor=to, include_closed=False)
        return sum(1 for c in portfolio.cases if in_ug_target_group(
            c, as_of, min_age=tg.min_age, max_age_exclusive=tg.max_age_exclusive, innsatsgrupper=tg.innsatsgrupper))

    def preview(self, refs: Iterable[str], *, to: str, as_of: dt.date) -> HandoverPreview:
        refs = list(dict.fromkeys(refs))
        self._check_receiver(to)
        if not refs:
            raise ValidationError("Velg minst én sak som skal overføres.")
        cases = [CaseService(self.db).get(ref) for ref in refs]
        ruleset = ruleset_for(as_of)
        tg = ruleset.target_group
        cap_rule = ruleset.rule("PORTFOLIO-CAP-50")
        moving = [c for c in cases if c.advisor != to]
        ug_moving = sum(1 for c in moving if in_ug_target_group(
            c, as_of, min_age=tg.min_age, max_age_exclusive=tg.max_age_exclusive, innsatsgrupper=tg.innsatsgrupper))
        return HandoverPreview(receiver=to, cases=len(moving), ug_moving=ug_moving,
                               receiver_ug_before=self._receiver_ug(to, as_of),
                               cap=cap_rule.cap if cap_rule is not None else None)

    def _check_receiver(self, to: str) -> None:
        advisor = AdvisorService(self.db).get(to)
        if advisor is None:
            raise ValidationError(f"Ukjent veileder {to!r}.")
        if advisor.role is not Role.VEILEDER:
            raise ValidationError(f"{to} er teamleder og kan ikke få saker overført.")

    def hand_over(self, refs: Iterable[str], *, to: str,
                  expected_versions: Mapping[str, int] | None = None) -> HandoverResult:
        """Move the cases in one transaction; all or nothing. With ``expected_versions`` a case
        changed since it was read is refused (ConflictError), as every other save."""
        refs = list(dict.fromkeys(refs))
        if not refs:
            raise ValidationError("Velg minst én sak som skal overføres.")
        self._check_receiver(to)
        now = dt.datetime.now().replace(microsecond=0)
        with self.db.session() as s:
            to_id = s.scalar(select(m.AdvisorRow.id).where(m.AdvisorRow.ident == to))
            rows = s.execute(
                select(m.CaseRow.id, m.CaseRow.ref, m.CaseRow.version, m.AdvisorRow.ident)
                .join(m.AdvisorRow, m.AdvisorRow.id == m.CaseRow.advisor_id)
                .where(m.CaseRow.ref.in_(refs)).with_for_update(of=m.CaseRow)
            ).all()
            found = {r.ref: r for r in rows}
            missing = [ref for ref in refs if ref not in found]
            if missing:
                raise NotFoundError(f"Fant ikke (eller har ikke tilgang til) sak {', '.join(missing)}.")
            for ref, version in (expected_versions or {}).items():
                if ref in found and found[ref].version != version:
                    raise ConflictError(CONFLICT_MESSAGE)
            moving = [found[ref] for ref in refs if found[ref].ident != to]
            for r in moving:
                s.add(m.AuditRow(at=now, actor=self.db.actor, case_ref=r.ref, entity="case", entity_key=r.ref,
                                 action="handover", changes=json.dumps({"advisor": [r.ident, to]}, ensure_ascii=False)))
            if not moving:
                return HandoverResult(receiver=to, moved=())
            if _is_team_advisor(s):
                s.flush()
                s.execute(text("SELECT navoppfolging_move_cases(CAST(:ids AS integer[]), CAST(:versions AS integer[]), :to)"),
                          {"ids": [r.id for r in moving], "versions": [r.version for r in moving], "to": to})
            else:
                for r in moving:
                    row = s.get(m.CaseRow, r.id)
                    assert row is not None
                    row.advisor_id = to_id  # type: ignore[assignment]
                    row.new_for_advisor = True
                    row.updated_at = now
                s.execute(delete(m.DelegationRow).where(m.DelegationRow.case_id.in_([r.id for r in moving])))
        log.info("overført %d saker", len(moving))
        return HandoverResult(receiver=to, moved=tuple(r.ref for r in moving))


def describe(entry_changes: str) -> str:
    """«overført fra X til Y» for an audit entry's changes of action ``handover``."""
    old, new = json.loads(entry_changes)["advisor"]
    return f"overført fra {old} til {new}"


def delegate(db: Database, ref: str, ident: str, *, until: dt.date) -> None:
    """Cover while a colleague is away: ``ident`` may see and edit ``ref`` until ``until``
    (inclusive). Run by the database owner (``admin delegate``); replaces an earlier delegation
    of the same case to the same advisor."""
    with db.session() as s:
        case_id = s.scalar(select(m.CaseRow.id).where(m.CaseRow.ref == ref))
        if case_id is None:
            raise NotFoundError(f"Fant ingen sak med referanse {ref!r}.")
        advisor_id = s.scalar(select(m.AdvisorRow.id).where(m.AdvisorRow.ident == ident))
        if advisor_id is None:
            raise ValidationError(f"Ukjent veileder {ident!r}.")
        existing = s.scalar(select(m.DelegationRow).where(m.DelegationRow.case_id == case_id,
                                                          m.DelegationRow.advisor_id == advisor_id))
        if existing is None:
            s.add(m.DelegationRow(case_id=case_id, advisor_id=advisor_id, until=until))
        else:
            existing.until = until

