"""The rule engine: follow-ups due under NAV's yearly letters (rules.md), pure and explained.

    evaluation = evaluate(cases, as_of)              # items sorted by due, case ref, rule ID
    evaluation.items_for("U-0001"), evaluation.flags_for("U-0001")
    evaluate_advisors(portfolio, as_of)              # PORTFOLIO-CAP-50, office deadlines
    office_deadlines(as_of)                          # QUALITY-REVIEW-AAP / -YOUTH

Rule parameters, titles and citations are data (``resources/rulesets/*.json``), read once by a
``RulesetRegistry``; evaluation never reads the clock or the disk.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import Counter
from collections.abc import Iterable

from navoppfolging.domain import AdvisorIdent, Case, Innsatsgruppe, Portfolio
from navoppfolging.errors import ValidationError
from navoppfolging.rules.engine import compile_ruleset, evaluate_cases, sort_key
from navoppfolging.rules.facts import age_at
from navoppfolging.rules.model import (
    STATUS_LABELS,
    AdvisorEvaluation,
    AdvisorLoad,
    Citation,
    DueItem,
    Evaluation,
    FlagItem,
    LocalSettingDefinition,
    OfficeDeadline,
    RuleDef,
    RuleKind,
    Ruleset,
    Status,
    practice_note,
)
from navoppfolging.rules.registry import KNOWN_RULES, LocalSettings, RulesetRegistry, latest_letter_year, ruleset_for

__all__ = [
    "KNOWN_RULES",
    "STATUS_LABELS",
    "AdvisorEvaluation",
    "AdvisorLoad",
    "Citation",
    "DueItem",
    "Evaluation",
    "FlagItem",
    "LocalSettingDefinition",
    "LocalSettings",
    "OfficeDeadline",
    "RuleDef",
    "RuleKind",
    "Ruleset",
    "RulesetRegistry",
    "Status",
    "evaluate",
    "evaluate_advisors",
    "latest_letter_year",
    "office_deadlines",
    "practice_note",
    "ruleset_for",
    "status_for",
]

_NO_SETTINGS = LocalSettings()


def status_for(due: dt.date, as_of: dt.date, *, soon_days: int = 7) -> Status:
    """overdue when as_of > due; due_soon when 0 <= (due - as_of).days <= 7; else upcoming."""
    left = (due - as_of).days
    if left < 0:
        return Status.OVERDUE
    return Status.DUE_SOON if left <= soon_days else Status.UPCOMING


def evaluate(
    cases: Case | Iterable[Case],
    as_of: dt.date,
    *,
    settings: LocalSettings | None = None,
    registry: RulesetRegistry | None = None,
) -> Evaluation:
    """Every due item and flag for ``cases`` on ``as_of`` under the ruleset in force then.

    Raises ``ValidationError`` when no ruleset covers ``as_of`` (before 2023-01-01).
    """
    ruleset = ruleset_for(as_of, registry)
    compiled = compile_ruleset(ruleset)
    case_iter: Iterable[Case] = (cases,) if isinstance(cases, Case) else cases
    # The cyclic garbage collector would scan the whole (large, acyclic) portfolio again and
    # again while hundreds of thousands of items are created; pause it for the evaluation.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        items, flags = evaluate_cases(case_iter, as_of, compiled, settings or _NO_SETTINGS)
        items.sort(key=sort_key)
    finally:
        if gc_was_enabled:
            gc.enable()
    order = compiled.flag_order
    flags.sort(key=lambda f: (f.case, order.get(f.flag, 0)))
    return Evaluation(as_of=as_of, ruleset=ruleset, items=tuple(items), flags=tuple(flags))


def office_deadlines(as_of: dt.date, *, registry: RulesetRegistry | None = None) -> tuple[OfficeDeadline, ...]:
    """QUALITY-REVIEW-AAP and QUALITY-REVIEW-YOUTH of the ruleset in force, in ``as_of``'s year.

    When the newest letter is older than ``as_of``'s year it stays in force, and its day and
    month are used in ``as_of``'s year (``carried_over``), since the review is yearly.
    """
    ruleset = ruleset_for(as_of, registry)
    result: list[OfficeDeadline] = []
    for rule in ruleset.rules:
        if rule.kind is not RuleKind.OFFICE or rule.month is None or rule.day is None:
            continue
        due = dt.date(as_of.year, rule.month, rule.day)
        days_left = (due - as_of).days
        result.append(
            OfficeDeadline(
                rule=rule.id,
                title=rule.title,
                due=due,
                days_left=days_left,
                status=status_for(due, as_of, soon_days=ruleset.due_soon_days),
                source=rule.source,
                carried_over=as_of.year != ruleset.year,
            )
        )
    result.sort(key=lambda d: (d.due, d.rule))
    return tuple(result)


def evaluate_advisors(
    portfolio: Portfolio,
    as_of: dt.date,
    *,
    settings: LocalSettings | None = None,
    registry: RulesetRegistry | None = None,
) -> AdvisorEvaluation:
    """Workload per advisor: open cases, UG cases against PORTFOLIO-CAP-50 (only in years whose
    ruleset has it), overdue and due-soon counts, and the team's average over advisors with at
    least one UG case."""
    ruleset = ruleset_for(as_of, registry)
    cap_rule = ruleset.rule("PORTFOLIO-CAP-50")
    cap = cap_rule.cap if cap_rule is not None else None
    tg = ruleset.target_group
    evaluation = evaluate(portfolio.cases, as_of, settings=settings, registry=registry)

    open_cases: Counter[str] = Counter()
    ug_cases: Counter[str] = Counter()
    groups: dict[str, Counter[Innsatsgruppe | None]] = {}
    case_advisor: dict[str, str] = {}
    for case in portfolio.cases:
        case_advisor[case.ref] = case.advisor
        if case.closed_on is not None and case.closed_on <= as_of:
            continue
        open_cases[case.advisor] += 1
        latest = None
        for assessment in case.assessments:
            if assessment.date <= as_of and (latest is None or assessment.date >= latest.date):
                latest = assessment
        group = latest.innsatsgruppe if latest is not None else None
        groups.setdefault(case.advisor, Counter())[group] += 1
        registered = case.registered_on is not None and case.registered_on <= as_of
        if registered and group in tg.innsatsgrupper and tg.min_age <= age_at(case.birth_date, as_of) < tg.max_age_exclusive:
            ug_cases[case.advisor] += 1
    overdue: Counter[str] = Counter()
    due_soon: Counter[str] = Counter()
    for item in evaluation.items:
        advisor = case_advisor.get(item.case)
        if advisor is None:
            continue
        if item.status is Status.OVERDUE:
            overdue[advisor] += 1
        elif item.status is Status.DUE_SOON:
            due_soon[advisor] += 1

    idents: list[str] = [a.ident for a in portfolio.advisors]
    known = set(idents)
    idents.extend(sorted({c.advisor for c in portfolio.cases} - known))
    group_order = {g: i for i, g in enumerate(Innsatsgruppe)}
    loads = tuple(
        AdvisorLoad(
            advisor=AdvisorIdent(ident),
            open_cases=open_cases[ident],
            ug_cases=ug_cases[ident],
            overdue=overdue[ident],
            due_soon=due_soon[ident],
            breach=cap is not None and ug_cases[ident] > cap,
            by_innsatsgruppe=tuple(
                sorted(groups.get(ident, Counter()).items(), key=lambda kv: group_order.get(kv[0], len(group_order)) if kv[0] is not None else len(group_order))
            ),
        )
        for ident in idents
    )
    with_ug = [load.ug_cases for load in loads if load.ug_cases >= 1]
    average = sum(with_ug) / len(with_ug) if with_ug else None
    return AdvisorEvaluation(
        as_of=as_of,
        ruleset=ruleset,
        cap=cap,
        advisors=loads,
        team_average=average,
        team_breach=cap is not None and average is not None and average > cap,
        office_deadlines=office_deadlines(as_of, registry=registry),
        cap_source=cap_rule.source if cap_rule is not None else None,
    )


def require_date(value: object) -> dt.date:
    """Guard for callers passing user input: a ``date`` (not a ``datetime``) or an error."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(f"Ugyldig dato: {value!r}")
    return value
