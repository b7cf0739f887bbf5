"""The team lead's workload figures («Teamoversikt»): counts per advisor, never case details.

    workload = compute_workload(portfolio, as_of)          # from domain objects (SQLite, tests)
    workload = compute_team_workload(db, as_of)            # team mode: aggregated in PostgreSQL

Per advisor: open cases, youth-guarantee (UG) cases against PORTFOLIO-CAP-50, overdue and
due-soon items per rule ID (from the rule engine: the same ``evaluate`` as ``due``), cases per
innsatsgruppe, and the letters' two steering figures for young people (MDB-2024 §3
«Styringsparametere for 2024»), each split by situasjonsbestemt / spesielt tilpasset innsats:

* **Dialog/møte/samtale siste 30 dager** — «Andel brukere under 30 år som har hatt dialog, møte
  eller samtale med NAV siste 30 dager»: a UG case whose latest held contact (status
  gjennomført, any channel — the same «contact» as CONTACT-30D) is at most 30 days before
  ``as_of``. This is exactly «CONTACT-30D is not overdue and has a contact behind it».
* **Arbeidsrettet aktivitet** — «Andel brukere under 30 år med arbeidsrettet aktivitet»: the
  letter gives no definition, so ours is stated here and in the view's tooltip: a UG case with an
  activity in category ARBEID, TILTAK, UTDANNING, JOBBSOKING or STILLING whose status is
  «gjennomføres», that has started on or before ``as_of`` (or has no start date) and has not
  ended before ``as_of``. Completed (fullført) activities do not count — the figure is about
  activity *now*; BEHANDLING and EGEN_AKTIVITET are not work-oriented in NAV's sense
  (MDB-2024 §2.1.1 separates «arbeidsrettet tiltak/arbeid» from «medisinsk behandling»).

The object holds advisor idents and numbers only: no case refs, no names, no dates of a case.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from navoppfolging.domain import (
    ActivityCategory,
    ActivityStatus,
    Case,
    Innsatsgruppe,
    Portfolio,
)
from navoppfolging.rules import LocalSettings, OfficeDeadline, RulesetRegistry, Status, evaluate, office_deadlines, ruleset_for
from navoppfolging.rules.facts import current_innsatsgruppe, in_ug_target_group, is_open, last_contact

if TYPE_CHECKING:
    from navoppfolging.db import Database

CONTACT_WINDOW_DAYS = 30
WORK_ORIENTED_CATEGORIES: frozenset[ActivityCategory] = frozenset(
    {ActivityCategory.ARBEID, ActivityCategory.TILTAK, ActivityCategory.UTDANNING,
     ActivityCategory.JOBBSOKING, ActivityCategory.STILLING}
)
# The two innsatsgrupper the steering figures are split by (the UG target group's two).
SPLIT_GROUPS: tuple[Innsatsgruppe, ...] = (Innsatsgruppe.SITUASJONSBESTEMT_INNSATS,
                                          Innsatsgruppe.SPESIELT_TILPASSET_INNSATS)
WORK_ORIENTED_DEFINITION = (
    "Arbeidsrettet aktivitet (lokal definisjon, brevet definerer det ikke): en aktivitet i kategori arbeid, "
    "tiltak, utdanning, jobbsøking eller stilling med status «gjennomføres», startet og ikke avsluttet."
)
CONTACT_DEFINITION = "Dialog, møte eller samtale: gjennomført kontakt (alle kanaler) de siste 30 dagene."


def has_recent_contact(case: Case, as_of: dt.date, days: int = CONTACT_WINDOW_DAYS) -> bool:
    """A held contact dated in ``[as_of - days, as_of]`` (CONTACT-30D's own «contact»)."""
    contact = last_contact(case, as_of)
    return contact is not None and (as_of - contact.date).days <= days


def has_work_oriented_activity(case: Case, as_of: dt.date) -> bool:
    """See the module docstring: work-oriented, being carried out, started and not ended."""
    for activity in case.activities:
        if (
            activity.category in WORK_ORIENTED_CATEGORIES
            and activity.status is ActivityStatus.GJENNOMFORES
            and (activity.start is None or activity.start <= as_of)
            and (activity.end is None or activity.end >= as_of)
        ):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Share:
    """``count`` of ``total`` UG cases; ``percent`` is None when there are none."""

    count: int = 0
    total: int = 0

    @property
    def percent(self) -> float | None:
        return 100.0 * self.count / self.total if self.total else None

    def __add__(self, other: Share) -> Share:
        return Share(self.count + other.count, self.total + other.total)

    def text(self) -> str:
        p = self.percent
        return "–" if p is None else f"{p:.0f} % ({self.count}/{self.total})"


@dataclass(frozen=True, slots=True)
class SteeringFigure:
    """One steering figure, for all UG cases and split by the two innsatsgrupper."""

    situasjonsbestemt: Share = Share()
    spesielt_tilpasset: Share = Share()

    @property
    def total(self) -> Share:
        return self.situasjonsbestemt + self.spesielt_tilpasset

    def __add__(self, other: SteeringFigure) -> SteeringFigure:
        return SteeringFigure(self.situasjonsbestemt + other.situasjonsbestemt,
                              self.spesielt_tilpasset + other.spesielt_tilpasset)


@dataclass(frozen=True, slots=True)
class AdvisorWorkload:
    advisor: str  # NAV-ident of the advisor (an employee), never a young person's data
    open_cases: int
    ug_cases: int
    breach: bool  # ug_cases > cap (PORTFOLIO-CAP-50), only when the ruleset has the cap
    overdue: int
    due_soon: int
    overdue_by_rule: tuple[tuple[str, int], ...]
    due_soon_by_rule: tuple[tuple[str, int], ...]
    by_innsatsgruppe: tuple[tuple[str | None, int], ...]  # code (None = ingen vurdering), count
    contact_30d: SteeringFigure
    work_activity: SteeringFigure

    def innsatsgruppe_count(self, code: str | None) -> int:
        return dict(self.by_innsatsgruppe).get(code, 0)


@dataclass(frozen=True, slots=True)
class Workload:
    as_of: dt.date
    ruleset: str
    cap: int | None
    cap_source: str | None
    advisors: tuple[AdvisorWorkload, ...]
    totals: AdvisorWorkload  # advisor == "" ; breach = team breach
    team_average: float | None  # over advisors with at least one UG case
    team_breach: bool
    office_deadlines: tuple[OfficeDeadline, ...]
    rules: tuple[str, ...]  # rule IDs in column order (those of the ruleset in force)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "ruleset": self.ruleset,
            "cap": self.cap,
            "advisors": [_advisor_json(a) for a in self.advisors],
            "team": {
                **{k: v for k, v in _advisor_json(self.totals).items() if k not in ("advisor", "breach")},
                "average_ug_cases": round(self.team_average, 2) if self.team_average is not None else None,
                "breach": self.team_breach,
            },
            "office_deadlines": [
                {"rule": d.rule, "title": d.title, "due": d.due.isoformat(), "days_left": d.days_left,
                 "status": d.status.value}
                for d in self.office_deadlines
            ],
        }


def _share_json(s: Share) -> dict[str, Any]:
    return {"count": s.count, "total": s.total, "percent": round(s.percent, 1) if s.percent is not None else None}


def _steering_json(f: SteeringFigure) -> dict[str, Any]:
    return {"all": _share_json(f.total), "situasjonsbestemt": _share_json(f.situasjonsbestemt),
            "spesielt_tilpasset": _share_json(f.spesielt_tilpasset)}


def _advisor_json(a: AdvisorWorkload) -> dict[str, Any]:
    return {
        "advisor": a.advisor,
        "open_cases": a.open_cases,
        "ug_cases": a.ug_cases,
        "breach": a.breach,
        "overdue": a.overdue,
        "due_soon": a.due_soon,
        "overdue_by_rule": dict(a.overdue_by_rule),
        "due_soon_by_rule": dict(a.due_soon_by_rule),
        "by_innsatsgruppe": {code or "UKJENT": n for code, n in a.by_innsatsgruppe},
        "contact_30d": _steering_json(a.contact_30d),
        "work_activity": _steering_json(a.work_activity),
    }


# --- assembling -----------------------------------------------------------------------------------

_GROUP_ORDER = {g.value: i for i, g in enumerate(Innsatsgruppe)}


def _group_key(kv: tuple[str | None, int]) -> int:
    return _GROUP_ORDER.get(kv[0], len(_GROUP_ORDER)) if kv[0] is not None else len(_GROUP_ORDER)


@dataclass
class _Acc:
    """Mutable per-advisor counters while computing (frozen into AdvisorWorkload at the end)."""

    open_cases: int = 0
    ug_cases: int = 0
    groups: Counter[str | None] | None = None
    overdue: Counter[str] | None = None
    due_soon: Counter[str] | None = None
    contact: dict[str, list[int]] | None = None  # group -> [count, total]
    work: dict[str, list[int]] | None = None

    def __post_init__(self) -> None:
        self.groups = Counter()
        self.overdue = Counter()
        self.due_soon = Counter()
        self.contact = {g.value: [0, 0] for g in SPLIT_GROUPS}
        self.work = {g.value: [0, 0] for g in SPLIT_GROUPS}


def _figure(values: Mapping[str, list[int]]) -> SteeringFigure:
    s, t = SPLIT_GROUPS
    return SteeringFigure(Share(*values[s.value]), Share(*values[t.value]))


def _assemble(
    accs: Mapping[str, _Acc],
    idents: Iterable[str],
    as_of: dt.date,
    registry: RulesetRegistry | None,
) -> Workload:
    ruleset = ruleset_for(as_of, registry)
    cap_rule = ruleset.rule("PORTFOLIO-CAP-50")
    cap = cap_rule.cap if cap_rule is not None else None
    rules = tuple(r.id for r in ruleset.rules if r.kind.value == "case")
    order = {r: i for i, r in enumerate(rules)}

    def by_rule(c: Counter[str]) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(((k, v) for k, v in c.items() if v), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))

    def freeze(ident: str, a: _Acc, breach: bool | None = None) -> AdvisorWorkload:
        assert a.groups is not None and a.overdue is not None and a.due_soon is not None
        assert a.contact is not None and a.work is not None
        return AdvisorWorkload(
            advisor=ident,
            open_cases=a.open_cases,
            ug_cases=a.ug_cases,
            breach=(cap is not None and a.ug_cases > cap) if breach is None else breach,
            overdue=sum(a.overdue.values()),
            due_soon=sum(a.due_soon.values()),
            overdue_by_rule=by_rule(a.overdue),
            due_soon_by_rule=by_rule(a.due_soon),
            by_innsatsgruppe=tuple(sorted(((k, v) for k, v in a.groups.items() if v), key=_group_key)),
            contact_30d=_figure(a.contact),
            work_activity=_figure(a.work),
        )

    advisors = tuple(freeze(ident, accs.get(ident) or _Acc()) for ident in idents)
    total = _Acc()
    for a in accs.values():
        total.open_cases += a.open_cases
        total.ug_cases += a.ug_cases
        total.groups.update(a.groups)  # type: ignore[union-attr, arg-type]
        total.overdue.update(a.overdue)  # type: ignore[union-attr, arg-type]
        total.due_soon.update(a.due_soon)  # type: ignore[union-attr, arg-type]
        for src, dst in ((a.contact, total.contact), (a.work, total.work)):
            for g, (n, t) in src.items():  # type: ignore[union-attr]
                dst[g][0] += n  # type: ignore[index]
                dst[g][1] += t  # type: ignore[index]
    with_ug = [a.ug_cases for a in advisors if a.ug_cases >= 1]
    average = sum(with_ug) / len(with_ug) if with_ug else None
    team_breach = cap is not None and average is not None and average > cap
    return Workload(
        as_of=as_of,
        ruleset=ruleset.id,
        cap=cap,
        cap_source=str(cap_rule.source) if cap_rule is not None else None,
        advisors=advisors,
        totals=freeze("", total, team_breach),
        team_average=average,
        team_breach=team_breach,
        office_deadlines=office_deadlines(as_of, registry=registry),
        rules=rules,
    )


def _count_cases(cases: Iterable[Case], as_of: dt.date, accs: dict[str, _Acc], registry: RulesetRegistry | None) -> None:
    tg = ruleset_for(as_of, registry).target_group
    for case in cases:
        if not is_open(case, as_of):
            continue
        acc = accs.get(case.advisor)
        if acc is None:
            acc = accs[case.advisor] = _Acc()
        acc.open_cases += 1
        group = current_innsatsgruppe(case, as_of)
        acc.groups[group.value if group is not None else None] += 1  # type: ignore[index]
        if not in_ug_target_group(case, as_of, min_age=tg.min_age, max_age_exclusive=tg.max_age_exclusive,
                                  innsatsgrupper=tg.innsatsgrupper):
            continue
        acc.ug_cases += 1
        if group is None or group.value not in acc.contact:  # type: ignore[operator]
            continue
        contact = acc.contact[group.value]  # type: ignore[index]
        work = acc.work[group.value]  # type: ignore[index]
        contact[1] += 1
        work[1] += 1
        contact[0] += has_recent_contact(case, as_of)
        work[0] += has_work_oriented_activity(case, as_of)


def _count_items(cases: Iterable[Case], as_of: dt.date, accs: dict[str, _Acc], settings: LocalSettings | None,
                 registry: RulesetRegistry | None) -> None:
    """Overdue / due-soon per rule from the rule engine itself (items, not cases)."""
    case_list = list(cases)
    advisor_of = {c.ref: c.advisor for c in case_list}
    evaluation = evaluate(case_list, as_of, settings=settings, registry=registry)
    for item in evaluation.items:
        acc = accs.get(advisor_of[item.case])
        if acc is None:
            acc = accs[advisor_of[item.case]] = _Acc()
        if item.status is Status.OVERDUE:
            acc.overdue[item.rule] += 1  # type: ignore[index]
        elif item.status is Status.DUE_SOON:
            acc.due_soon[item.rule] += 1  # type: ignore[index]


def _idents(advisors: Iterable[str], accs: Mapping[str, _Acc]) -> list[str]:
    idents = list(dict.fromkeys(advisors))
    known = set(idents)
    idents.extend(sorted(set(accs) - known))
    return idents


def compute_workload(
    portfolio: Portfolio,
    as_of: dt.date,
    *,
    settings: LocalSettings | None = None,
    registry: RulesetRegistry | None = None,
    advisors: Iterable[str] | None = None,
) -> Workload:
    """The workload on ``as_of`` from a loaded portfolio (one rule-engine run over all cases).

    ``advisors`` orders the rows (default: every advisor of the portfolio, in its order); an
    ident that only appears on a case is added after them, so no case is left out of the totals.
    """
    accs: dict[str, _Acc] = {}
    _count_cases(portfolio.cases, as_of, accs, registry)
    _count_items(portfolio.cases, as_of, accs, settings, registry)
    idents = _idents(advisors if advisors is not None else (a.ident for a in portfolio.advisors), accs)
    return _assemble(accs, idents, as_of, registry)


# --- team mode: PostgreSQL ----------------------------------------------------------------------


def compute_team_workload(
    db: Database,
    as_of: dt.date,
    *,
    settings: LocalSettings | None = None,
    registry: RulesetRegistry | None = None,
    chunk_size: int = 5000,
) -> Workload:
    """The workload in team mode, through the two SECURITY DEFINER functions of revision 0002
    (which a team lead may execute but whose tables it cannot read):

    * ``navoppfolging_workload_counts(as_of)`` aggregates in SQL: open and UG cases, cases per
      innsatsgruppe and both steering figures per advisor (counts only);
    * ``navoppfolging_workload_facts(as_of)`` returns de-identified facts of the *open* cases —
      a row number instead of the ref, no name/fnr/phone/free text — which are streamed in chunks
      and run through the rule engine for the overdue/due-soon counts per rule, so these equal
      ``due`` exactly; nothing but counts leave this function.
    """
    from sqlalchemy import text

    from navoppfolging.teamdb import facts_to_case

    accs: dict[str, _Acc] = {}
    with db.engine.connect() as conn:
        idents = [r[0] for r in conn.execute(text("SELECT ident FROM advisors WHERE role = 'VEILEDER' ORDER BY ident"))]
        tg = ruleset_for(as_of, registry).target_group
        params = {
            "as_of": as_of, "min_age": tg.min_age, "max_age": tg.max_age_exclusive,
            # The SQL splits by the first two groups in this order (situasjonsbestemt, spesielt).
            "groups": [g.value for g in SPLIT_GROUPS] + sorted(g.value for g in tg.innsatsgrupper if g not in SPLIT_GROUPS),
            "days": CONTACT_WINDOW_DAYS, "categories": sorted(c.value for c in WORK_ORIENTED_CATEGORIES),
        }
        counts = text("SELECT * FROM navoppfolging_workload_counts(:as_of, :min_age, :max_age, "
                      "CAST(:groups AS text[]), :days, CAST(:categories AS text[]))")
        for row in conn.execute(counts, params).mappings():
            acc = accs.setdefault(row["advisor"], _Acc())
            acc.open_cases = row["open_cases"]
            acc.ug_cases = row["ug_cases"]
            for code, n in zip(row["groups"] or (), row["group_counts"] or (), strict=True):
                acc.groups[code] = n  # type: ignore[index]
            for g, prefix in ((SPLIT_GROUPS[0].value, "sit"), (SPLIT_GROUPS[1].value, "spes")):
                acc.contact[g] = [row[f"{prefix}_contact"], row[f"{prefix}_ug"]]  # type: ignore[index]
                acc.work[g] = [row[f"{prefix}_work"], row[f"{prefix}_ug"]]  # type: ignore[index]
        result = conn.execution_options(stream_results=True, max_row_buffer=chunk_size).execute(
            text("SELECT * FROM navoppfolging_workload_facts(:as_of)"), {"as_of": as_of})
        while True:
            rows = result.fetchmany(chunk_size)
            if not rows:
                break
            _count_items((facts_to_case(r) for r in rows), as_of, accs, settings, registry)
    return _assemble(accs, _idents(idents, accs), as_of, registry)


def load_workload(db: Database, as_of: dt.date, *, settings: LocalSettings | None = None) -> Workload:
    """The one entry point the command line and the window use: SQL in team mode, else the ORM."""
    from navoppfolging.db import is_sqlite

    if not is_sqlite(db.url) and db.url.get_backend_name() == "postgresql":
        return compute_team_workload(db, as_of, settings=settings)
    from navoppfolging.services import PortfolioService

    portfolio = PortfolioService(db).load()
    idents = [a.ident for a in portfolio.advisors if a.role.value == "VEILEDER"]
    return compute_workload(portfolio, as_of, settings=settings, advisors=idents)
