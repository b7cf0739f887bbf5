"""The team lead's workload figures («Teamoversikt»): counts per advisor, never case details.

    workload = compute_workload(portfolio, as_of)          # from domain objects (SQLite, tests)
    workload = compute_team_workload(db, as_of)            # team mode: counted in PostgreSQL

Per advisor: open cases, youth-guarantee (UG) cases against PORTFOLIO-CAP-50, overdue and
due-soon items per rule ID (the rule engine's items, as ``due`` shows them; in team mode counted
by revision 0004's SQL with the engine's semantics and the ruleset's parameters), cases per
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

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from navoppfolging.domain import (
    ActivityCategory,
    ActivityStatus,
    Case,
    Channel,
    ContactStatus,
    Innsatsgruppe,
    Portfolio,
)
from navoppfolging.errors import AccessDeniedError
from navoppfolging.rules import (
    LocalSettings,
    OfficeDeadline,
    RuleDef,
    Ruleset,
    RulesetRegistry,
    Status,
    evaluate,
    office_deadlines,
    ruleset_for,
)
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
TEAM_LEAD_ONLY = ("Teamoversikten er bare for teamledere: brukeren du er logget inn med, har ikke tilgang til "
                  "tallene for hele teamet. Skal du se dem, kan en administrator gi deg rollen teamleder.")


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
    rules: tuple[str, ...]  # IDs of the ruleset's item rules (case, activity, contact), in its order
    # True while only the SQL counts are in: overdue/due-soon (per rule) are not computed yet.
    rule_counts_pending: bool = False
    # (rule ID, the ruleset's Norwegian title) of every rule in force: what the readable views
    # show instead of the ID. Not part of ``to_json`` (the contract keeps the IDs).
    rule_titles: tuple[tuple[str, str], ...] = ()

    def rule_title(self, rule_id: str) -> str:
        """The ruleset's title of ``rule_id`` (the ID itself for a rule the ruleset lacks)."""
        return dict(self.rule_titles).get(rule_id, rule_id)

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "ruleset": self.ruleset,
            "cap": self.cap,
            **({"rule_counts_pending": True} if self.rule_counts_pending else {}),
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
    # Every rule that gives items (per case, per activity, per contact): ACTIVITY-EXPIRED and
    # INTERPRETER-BOOK are counted in «forfalt»/«snart» too, so the per-rule rows must list them.
    rules = tuple(r.id for r in ruleset.rules if r.kind.value in _EVALUATED_KINDS)
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
        total.groups.update(a.groups)  # type: ignore[union-attr]
        total.overdue.update(a.overdue)  # type: ignore[union-attr]
        total.due_soon.update(a.due_soon)  # type: ignore[union-attr]
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
        rule_titles=tuple((r.id, r.title) for r in ruleset.rules),
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

# Progress of the per-rule computation: (cases done, cases in all).
Progress = Callable[[int, int], None]
_CATEGORY_ORDER: tuple[ActivityCategory, ...] = tuple(ActivityCategory)
_CATEGORY = {c.value: c for c in ActivityCategory}
_ACTIVITY_STATUS = {s.value: s for s in ActivityStatus}
_GROUP = {g.value: g for g in Innsatsgruppe}
_CHANNEL = {c.value: c for c in Channel}


# Light stand-ins for the domain records (named tuples: the engine only reads attributes, and a
# frozen dataclass costs several times more to build, 100,000 times over).
class _Dp(NamedTuple):
    end: dt.date | None


class _Aap(NamedTuple):
    applied_on: dt.date | None
    decided_on: dt.date | None
    start: dt.date | None
    end: dt.date | None


class _Om(NamedTuple):
    death_date: dt.date | None


class _Benefits(NamedTuple):
    dagpenger: _Dp
    aap: _Aap
    omstillingsstonad: _Om


class _Assessment(NamedTuple):
    date: dt.date
    innsatsgruppe: Innsatsgruppe


class _Contact(NamedTuple):
    id: str
    date: dt.date
    channel: Channel
    status: ContactStatus
    interpreter_booked: bool = False


class _Activity(NamedTuple):
    id: str
    title: str
    category: ActivityCategory
    status: ActivityStatus
    start: dt.date | None = None
    end: dt.date | None = None


_NO_BENEFITS = _Benefits(_Dp(None), _Aap(None, None, None, None), _Om(None))


class _ReducedCase(NamedTuple):
    """What the rule engine reads from a case, built from one row of
    ``navoppfolging_workload_rule_facts`` (revision 0003). ``ref`` is the advisor's ident: the
    engine copies it into each item, and only the count per advisor is kept."""

    ref: str
    birth_date: dt.date
    registered_on: dt.date | None
    follow_up_offered_on: dt.date | None
    needs_interpreter: bool
    benefits: _Benefits
    sick_leave_start: dt.date | None
    assessments: tuple[_Assessment, ...]
    contacts: tuple[_Contact, ...]
    activities: tuple[_Activity, ...]
    closed_on: None = None
    exceptions: tuple[()] = ()
    flags: tuple[()] = ()


def _reduced_builder(idents: Mapping[int, str]) -> Callable[[tuple[Any, ...]], _ReducedCase]:
    """A function from a fact row to a ``_ReducedCase`` whose engine result equals the case's.

    The SQL has already reduced the child rows to the facts the engine derives from them on
    ``as_of``; the records here are chosen so the engine derives the same facts again:

    * the latest assessment on or before as_of → that one assessment (``latest``, ``ig``);
    * the latest held contact on or before as_of → one held contact with its date
      (``last_contact``); the unbooked planned contacts from as_of → themselves (one item each);
    * each active category → one FULLFORT activity of that category without dates (adds the
      category, not expirable); has_plan → one AVBRUTT activity without dates (a plan, nothing
      else); the expirable activities → themselves, with their real category, status and start
      (so what they add to the active categories is already in the set).

    Recurring values (dates, enum tuples, synthetic activity tuples) are shared between rows."""
    held_cache: dict[dt.date, tuple[_Contact, ...]] = {}
    assessment_cache: dict[tuple[dt.date, str], tuple[_Assessment, ...]] = {}
    activity_cache: dict[tuple[bool, int], tuple[_Activity, ...]] = {}
    held, planned = ContactStatus.GJENNOMFORT, ContactStatus.PLANLAGT
    new = tuple.__new__

    def plan_activities(has_plan: bool, mask: int) -> tuple[_Activity, ...]:
        key = (has_plan, mask)
        found = activity_cache.get(key)
        if found is None:
            acts = [_Activity("x", "", c, ActivityStatus.FULLFORT) for i, c in enumerate(_CATEGORY_ORDER) if mask >> i & 1]
            if has_plan:
                acts.append(_Activity("x", "", ActivityCategory.EGEN_AKTIVITET, ActivityStatus.AVBRUTT))
            found = activity_cache[key] = tuple(acts)
        return found

    def build(row: tuple[Any, ...]) -> _ReducedCase:
        (advisor_id, birth, registered, offered, interpreter, dp_end, aap_applied, aap_decided, aap_start,
         aap_end, death, sick, assessed_on, group, last, p_dates, p_channels, has_plan, mask,
         e_categories, e_statuses, e_starts, e_ends) = row
        if dp_end is None and aap_applied is None and aap_decided is None and aap_start is None \
                and aap_end is None and death is None:
            benefits = _NO_BENEFITS
        else:
            benefits = _Benefits(_Dp(dp_end), _Aap(aap_applied, aap_decided, aap_start, aap_end), _Om(death))
        if assessed_on is None:
            assessments: tuple[_Assessment, ...] = ()
        else:
            assessments = assessment_cache.get((assessed_on, group))  # type: ignore[assignment]
            if assessments is None:
                assessments = assessment_cache[(assessed_on, group)] = (_Assessment(assessed_on, _GROUP[group]),)
        if last is None:
            contacts: tuple[_Contact, ...] = ()
        else:
            contacts = held_cache.get(last)  # type: ignore[assignment]
            if contacts is None:
                contacts = held_cache[last] = (new(_Contact, ("k", last, Channel.TELEFON, held, False)),)
        if p_dates is not None:
            contacts = contacts + tuple(new(_Contact, ("k", d, _CHANNEL[c], planned, False))
                                        for d, c in zip(p_dates, p_channels, strict=True))
        activities = plan_activities(has_plan, mask) if has_plan else ()
        if e_ends is not None:
            activities = activities + tuple(
                new(_Activity, ("x", "", _CATEGORY[c], _ACTIVITY_STATUS[st], sd, ed))
                for c, st, sd, ed in zip(e_categories, e_statuses, e_starts, e_ends, strict=True))
        return new(_ReducedCase, (idents[advisor_id], birth, registered, offered, bool(interpreter), benefits, sick,
                                  assessments, contacts, activities, None, (), ()))

    return build


def _count_reduced(cases: Iterable[_ReducedCase], as_of: dt.date, accs: dict[str, _Acc],
                   settings: LocalSettings | None, registry: RulesetRegistry | None) -> None:
    """Overdue / due-soon per rule from the engine's own ``evaluate_cases`` (``evaluate`` without
    the sort, which counting does not need)."""
    import gc

    from navoppfolging.rules.engine import compile_ruleset, evaluate_cases

    compiled = compile_ruleset(ruleset_for(as_of, registry))
    gc_was_enabled = gc.isenabled()
    gc.disable()  # as in ``evaluate``: many acyclic objects, nothing for the collector to find
    try:
        items, _flags = evaluate_cases(cases, as_of, compiled, settings or LocalSettings())  # type: ignore[arg-type]
    finally:
        if gc_was_enabled:
            gc.enable()
    overdue, due_soon = Status.OVERDUE, Status.DUE_SOON
    counted: Counter[tuple[str, str, Status]] = Counter(
        (item.case, item.rule, item.status) for item in items if item.status is overdue or item.status is due_soon)
    for (ident, rule, status), n in counted.items():
        acc = accs.get(ident)
        if acc is None:
            acc = accs[ident] = _Acc()
        (acc.overdue if status is overdue else acc.due_soon)[rule] += n  # type: ignore[index]


_VEILEDERE = "SELECT ident FROM advisors WHERE role = 'VEILEDER' ORDER BY ident"


def _set_counts(acc: _Acc, row: Mapping[str, Any]) -> None:
    """Open, UG, per-innsatsgruppe and steering counts of one row of ``navoppfolging_workload_counts``
    (0002) or ``navoppfolging_workload_rule_counts`` (0004), which have these columns in common."""
    acc.open_cases = row["open_cases"]
    acc.ug_cases = row["ug_cases"]
    for code, n in zip(row["groups"] or (), row["group_counts"] or (), strict=True):
        acc.groups[code] = n  # type: ignore[index]
    for g, prefix in ((SPLIT_GROUPS[0].value, "sit"), (SPLIT_GROUPS[1].value, "spes")):
        acc.contact[g] = [row[f"{prefix}_contact"], row[f"{prefix}_ug"]]  # type: ignore[index]
        acc.work[g] = [row[f"{prefix}_work"], row[f"{prefix}_ug"]]  # type: ignore[index]


def _team_counts(conn: Any, as_of: dt.date, registry: RulesetRegistry | None) -> tuple[list[str], dict[str, _Acc]]:
    """The advisors and what ``navoppfolging_workload_counts`` aggregates in SQL."""
    from sqlalchemy import text

    accs: dict[str, _Acc] = {}
    idents = [r[0] for r in conn.execute(text(_VEILEDERE))]
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
        _set_counts(accs.setdefault(row["advisor"], _Acc()), row)
    return idents, accs


# The case rules (kinds case, activity and contact) that ``navoppfolging_workload_rule_counts``
# (revision 0004) evaluates in SQL. A ruleset with any other case rule — a future letter's new
# rule — is counted by the engine instead (0003's reduced facts), until the SQL learns it.
SQL_RULES: frozenset[str] = frozenset({
    "UG-OFFER-8W", "UG-STANDARD-REASSESS-8W", "CONTACT-30D", "UG-AGE-OUT", "LONGTERM-REASSESS-6M",
    "DP-26W-LEFT", "AAP-ACTIVITY-26W", "AAP-APPLICATION-5W", "AAP-END-INFO", "SICK-NO-EMPLOYER-12W",
    "OMSTILLING-6M", "PLAN-MISSING", "ACTIVITY-EXPIRED", "INTERPRETER-BOOK",
})
_EVALUATED_KINDS = frozenset({"case", "activity", "contact"})

# The arguments of ``navoppfolging_workload_rule_counts`` and their SQL types, in its order (a
# test compares this with the function's signature in the database).
SQL_RULE_ARGUMENTS: tuple[tuple[str, str], ...] = (
    ("p_as_of", "date"), ("p_due_soon_days", "integer"),
    ("p_min_age", "integer"), ("p_max_age_exclusive", "integer"), ("p_ug_groups", "text[]"),
    ("p_in_activity_statuses", "text[]"), ("p_not_plan_statuses", "text[]"), ("p_expirable_statuses", "text[]"),
    ("p_held_status", "text"), ("p_planned_status", "text"),
    ("p_offer_days", "integer"),
    ("p_standard_days", "integer"), ("p_standard_groups", "text[]"), ("p_standard_categories", "text[]"),
    ("p_contact_days", "integer"),
    ("p_age_out_years", "integer"), ("p_age_out_groups", "text[]"),
    ("p_longterm_months", "integer"), ("p_longterm_categories", "text[]"),
    ("p_dp_days", "integer"),
    ("p_aap_activity_days", "integer"), ("p_aap_activity_categories", "text[]"),
    ("p_aap_application_days", "integer"), ("p_aap_end_days", "integer"), ("p_sick_days", "integer"),
    ("p_omstilling_months", "integer"), ("p_plan_missing_excluded_groups", "text[]"),
    ("p_interpreter_days", "integer"),
    ("p_split_groups", "text[]"), ("p_steering_contact_days", "integer"), ("p_work_categories", "text[]"),
    ("p_work_status", "text"),
)


def _codes(values: Iterable[Any]) -> list[str]:
    return sorted(v.value for v in values)


def sql_rule_arguments(ruleset: Ruleset, settings: LocalSettings | None = None) -> dict[str, Any] | None:
    """The arguments of ``navoppfolging_workload_rule_counts`` for ``ruleset`` (without ``p_as_of``),
    taken from what the engine itself evaluates with: ``compile_ruleset``'s rules and parameters
    (a rule the ruleset lacks gets NULL), the local settings' values, the engine's statuses.
    None when the ruleset has a case rule the SQL does not implement (not in ``SQL_RULES``)."""
    from navoppfolging.rules.engine import HELD_CONTACT, PLANNED_CONTACT, compile_ruleset

    if any(rule.kind.value in _EVALUATED_KINDS and rule.id not in SQL_RULES for rule in ruleset.rules):
        return None
    c = compile_ruleset(ruleset)
    # What the SQL takes as one value: one set of «not a plan» statuses for PLAN-MISSING and
    # OMSTILLING-6M, and UG-AGE-OUT from the target group's minimum age. A ruleset that sets them
    # apart is counted by the engine instead.
    if c.not_plan_omstilling is not None or (c.age_out is not None and c.age_out_min != c.tg_min):
        return None
    settings = settings or LocalSettings()

    def days(rule: RuleDef | None) -> int | None:  # the engine reads ``days or 0``
        return None if rule is None else rule.days or 0

    def months(rule: RuleDef | None) -> int | None:
        return None if rule is None else rule.months or 0

    def setting(rule: RuleDef | None) -> int | None:  # as the engine: the setting's value, else 0
        if rule is None:
            return None
        return settings.value(rule.setting, ruleset) if rule.setting else 0

    def groups(rule: RuleDef | None) -> list[str] | None:
        return None if rule is None else _codes(rule.innsatsgrupper)

    def categories(rule: RuleDef | None) -> list[str] | None:
        return None if rule is None else _codes(rule.categories)

    return {
        "p_due_soon_days": c.soon,
        "p_min_age": c.tg_min, "p_max_age_exclusive": c.tg_max, "p_ug_groups": _codes(c.tg_groups),
        "p_in_activity_statuses": _codes(c.in_activity), "p_not_plan_statuses": _codes(c.not_plan),
        "p_expirable_statuses": _codes(c.expirable) if c.expired is not None else None,
        "p_held_status": HELD_CONTACT.value, "p_planned_status": PLANNED_CONTACT.value,
        "p_offer_days": days(c.ug_offer),
        "p_standard_days": days(c.ug_standard), "p_standard_groups": groups(c.ug_standard),
        "p_standard_categories": categories(c.ug_standard),
        "p_contact_days": days(c.contact30),
        "p_age_out_years": None if c.age_out is None else c.age_out.age or c.tg_max,
        "p_age_out_groups": groups(c.age_out),
        "p_longterm_months": months(c.longterm), "p_longterm_categories": categories(c.longterm),
        "p_dp_days": days(c.dp26),
        "p_aap_activity_days": days(c.aap_activity), "p_aap_activity_categories": categories(c.aap_activity),
        "p_aap_application_days": days(c.aap_application),
        "p_aap_end_days": setting(c.aap_end),
        "p_sick_days": days(c.sick),
        "p_omstilling_months": months(c.omstilling),
        "p_plan_missing_excluded_groups": _codes(c.plan_missing_excluded) if c.plan_missing is not None else None,
        "p_interpreter_days": setting(c.interpreter),
        "p_split_groups": [g.value for g in SPLIT_GROUPS], "p_steering_contact_days": CONTACT_WINDOW_DAYS,
        "p_work_categories": _codes(WORK_ORIENTED_CATEGORIES), "p_work_status": ActivityStatus.GJENNOMFORES.value,
    }


_RULE_COUNTS_SQL = ("SELECT * FROM navoppfolging_workload_rule_counts("
                    + ", ".join(f"{name} => CAST(:{name} AS {kind})" for name, kind in SQL_RULE_ARGUMENTS) + ")")


def _team_sql_counts(conn: Any, as_of: dt.date, arguments: Mapping[str, Any]) -> tuple[list[str], dict[str, _Acc]]:
    """The advisors and everything ``navoppfolging_workload_rule_counts`` (0004) counts in SQL:
    0002's figures and, per rule ID, the overdue and due-soon items."""
    from sqlalchemy import text

    accs: dict[str, _Acc] = {}
    idents = [r[0] for r in conn.execute(text(_VEILEDERE))]
    for row in conn.execute(text(_RULE_COUNTS_SQL), {**arguments, "p_as_of": as_of}).mappings():
        acc = accs.setdefault(row["advisor"], _Acc())
        _set_counts(acc, row)
        for rule, overdue, due_soon in zip(row["rules"], row["overdue"], row["due_soon"], strict=True):
            acc.overdue[rule] += overdue  # type: ignore[index]
            acc.due_soon[rule] += due_soon  # type: ignore[index]
    return idents, accs


def _team_rule_counts(conn: Any, as_of: dt.date, accs: dict[str, _Acc], *, settings: LocalSettings | None,
                      registry: RulesetRegistry | None, chunk_size: int, progress: Progress | None,
                      timings: dict[str, float] | None) -> None:
    """Overdue / due-soon per rule through the engine, for a ruleset the SQL of 0004 cannot count:
    the reduced facts of revision 0003, fetched through a server-side cursor in chunks, each chunk
    built into ``_ReducedCase`` rows and run through the engine (``progress`` after each chunk)."""
    import time

    from psycopg import sql

    total = sum(a.open_cases for a in accs.values())
    idents = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT id, ident FROM advisors")}
    build = _reduced_builder(idents)
    raw = conn.connection.driver_connection
    clock = time.perf_counter
    spent = {"fetch": 0.0, "build": 0.0, "engine": 0.0}
    done = 0
    if progress is not None:
        progress(0, total)
    with raw.cursor(name="navoppfolging_workload_rule_facts") as cur:
        t = clock()
        cur.execute(sql.SQL("SELECT * FROM navoppfolging_workload_rule_facts(%s, %s)"),
                    (as_of, [c.value for c in _CATEGORY_ORDER]))
        spent["fetch"] += clock() - t
        while True:
            t = clock()
            rows = cur.fetchmany(chunk_size)
            t1 = clock()
            spent["fetch"] += t1 - t
            if not rows:
                break
            cases = [build(r) for r in rows]
            t2 = clock()
            spent["build"] += t2 - t1
            _count_reduced(cases, as_of, accs, settings, registry)
            spent["engine"] += clock() - t2
            done += len(rows)
            if progress is not None:
                progress(done, max(total, done))
    if timings is not None:
        timings.update(spent)


@contextmanager
def _team_lead_access() -> Iterator[None]:
    """Turns the database's refusal (an advisor's role may not execute the workload functions)
    into ``AccessDeniedError`` with ``TEAM_LEAD_ONLY``; the server's text (with the SQL) is
    kept only as the cause."""
    from navoppfolging.teamdb import is_permission_denied

    try:
        yield
    except Exception as exc:  # SQLAlchemy's wrapper, or psycopg's own error from the raw cursor
        if not is_permission_denied(exc):
            raise
        raise AccessDeniedError(TEAM_LEAD_ONLY) from exc


def compute_team_workload(
    db: Database,
    as_of: dt.date,
    *,
    settings: LocalSettings | None = None,
    registry: RulesetRegistry | None = None,
    chunk_size: int = 20000,
    progress: Progress | None = None,
    timings: dict[str, float] | None = None,
) -> Workload:
    """The whole workload in team mode, through the SECURITY DEFINER functions that a team lead
    may execute but whose tables it cannot read; nothing but counts leave the database:

    * ``navoppfolging_workload_rule_counts(as_of, …)`` (0004) counts everything in one query:
      open and UG cases, cases per innsatsgruppe, both steering figures, and the overdue and
      due-soon items per advisor and rule ID, with the engine's semantics and the parameters of
      the ruleset in force and ``settings`` (``sql_rule_arguments``), so they equal ``due``'s;
    * when the ruleset in force has a case rule that SQL does not implement, the engine counts
      instead: ``navoppfolging_workload_counts`` (0002) for the figures, and
      ``navoppfolging_workload_rule_facts`` (0003) for per-case facts reduced in SQL (no ref, name,
      fnr, phone or free text), which run through the engine.

    ``progress(done, total)`` is called with the cases counted (at the start and the end only on
    the SQL path, after each chunk on the engine path). ``timings`` (when given) gets the seconds of
    each phase: ``sql`` and ``assemble`` on the SQL path; ``counts``, ``fetch``, ``build``,
    ``engine`` and ``assemble`` on the engine path.

    Raises ``AccessDeniedError`` (``TEAM_LEAD_ONLY``) when the logged-in role may not run the
    functions (an advisor).
    """
    import time

    clock = time.perf_counter
    arguments = sql_rule_arguments(ruleset_for(as_of, registry), settings)
    spent: dict[str, float] = {}
    t = clock()
    with _team_lead_access(), db.engine.connect() as conn:
        if arguments is not None:
            if progress is not None:
                progress(0, 0)
            idents, accs = _team_sql_counts(conn, as_of, arguments)
            spent["sql"] = clock() - t
            if progress is not None:
                done = sum(a.open_cases for a in accs.values())
                progress(done, done)
        else:
            idents, accs = _team_counts(conn, as_of, registry)
            spent["counts"] = clock() - t
            _team_rule_counts(conn, as_of, accs, settings=settings, registry=registry, chunk_size=chunk_size,
                              progress=progress, timings=spent)
    t = clock()
    workload = _assemble(accs, _idents(idents, accs), as_of, registry)
    spent["assemble"] = clock() - t
    if timings is not None:
        timings.update(spent)
    return workload


def compute_team_counts(db: Database, as_of: dt.date, *, registry: RulesetRegistry | None = None) -> Workload:
    """The part of the workload the cheapest SQL gives at once (open, UG, innsatsgrupper, steering
    figures, team average, office deadlines: 0002's function); the per-rule counts are left out
    (``rule_counts_pending``) until ``compute_team_workload`` has counted them. Raises
    ``AccessDeniedError`` as ``compute_team_workload``."""
    with _team_lead_access(), db.engine.connect() as conn:
        idents, accs = _team_counts(conn, as_of, registry)
    return dataclasses.replace(_assemble(accs, _idents(idents, accs), as_of, registry), rule_counts_pending=True)


def load_workload_counts(db: Database, as_of: dt.date, *, settings: LocalSettings | None = None) -> Workload:
    """The first, fast step of the view: the SQL counts in team mode. On SQLite (one advisor's
    own file, the ORM and the engine in one go) the whole workload, which is then not pending."""
    from navoppfolging.db import is_sqlite

    if not is_sqlite(db.url) and db.url.get_backend_name() == "postgresql":
        return compute_team_counts(db, as_of)
    return load_workload(db, as_of, settings=settings)


def load_workload(db: Database, as_of: dt.date, *, settings: LocalSettings | None = None,
                  progress: Progress | None = None) -> Workload:
    """The whole workload (with the per-rule counts): counted in SQL in team mode
    (``compute_team_workload``), else from the ORM through the engine. ``progress(done, total)``
    is called as the team-mode cases are counted."""
    from navoppfolging.db import is_sqlite

    if not is_sqlite(db.url) and db.url.get_backend_name() == "postgresql":
        return compute_team_workload(db, as_of, settings=settings, progress=progress)
    from navoppfolging.services import PortfolioService

    portfolio = PortfolioService(db).load()
    idents = [a.ident for a in portfolio.advisors if a.role is not None and a.role.value == "VEILEDER"]
    return compute_workload(portfolio, as_of, settings=settings, advisors=idents)
