"""Result and definition types of the rule engine: plain, frozen data.

``Ruleset`` and ``RuleDef`` are built once from the JSON files in ``resources/rulesets`` by the
registry; ``DueItem``, ``FlagItem`` and ``Evaluation`` are what ``evaluate`` hands out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from navoppfolging.domain import (
    ActivityCategory,
    ActivityStatus,
    AdvisorIdent,
    CaseRef,
    ExceptionKind,
    Innsatsgruppe,
    ItemId,
    RecordedException,
)


class Status(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    UPCOMING = "upcoming"


STATUS_LABELS: dict[Status, str] = {
    Status.OVERDUE: "Forfalt",
    Status.DUE_SOON: "Snart",
    Status.UPCOMING: "Kommende",
}


class RuleKind(StrEnum):
    CASE = "case"
    ACTIVITY = "activity"
    CONTACT = "contact"
    ADVISOR = "advisor"
    OFFICE = "office"
    FLAG = "flag"


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: the letter (``MDB-2024``), the section and the quoted sentence."""

    letter: str
    section: str
    quote: str

    def __str__(self) -> str:
        section = f" {self.section}" if self.section else ""
        return f"{self.letter}{section}: «{self.quote}»"


# The «letter» of a citation that is NAV's own practice, not a letter (ACTIVITY-EXPIRED); its
# section says so itself: «Praksis (ikke regel i brevet) – NAVs egen oversikt».
PRACTICE = "Praksis"


def practice_note(source: Citation, letter_rule: bool) -> str:
    """What to add after ``source`` so that a rule the letter does not make is labelled so, once:
    nothing for a letter's rule, nothing for a practice citation (its own text says it)."""
    if letter_rule or source.letter == PRACTICE:
        return ""
    return " (praksis, ikke regel i brevet)"


@dataclass(frozen=True, slots=True)
class RuleDef:
    """One rule of one ruleset, as declared in the ruleset file."""

    id: str
    kind: RuleKind
    title: str
    source: Citation
    letter_rule: bool
    satisfied_by: str = ""
    applies_to: str = ""
    due_text: str = ""
    days: int | None = None
    months: int | None = None
    categories: frozenset[ActivityCategory] = frozenset()
    innsatsgrupper: frozenset[Innsatsgruppe] = frozenset()
    setting: str | None = None
    exception_kinds: frozenset[ExceptionKind] = frozenset()
    interpretation: tuple[str, ...] = ()
    month: int | None = None
    day: int | None = None
    cap: int | None = None
    age: int | None = None
    min_age: int | None = None  # UG-AGE-OUT: from this age on
    innsatsgrupper_excluded: frozenset[Innsatsgruppe] = frozenset()  # PLAN-MISSING: groups without the rule
    plan_statuses_excluded: frozenset[ActivityStatus] = frozenset()  # statuses that do not make a plan
    statuses: frozenset[ActivityStatus] = frozenset()  # ACTIVITY-EXPIRED: the statuses that expire
    case_flag: str | None = None  # flag rules: the case flag that raises it


@dataclass(frozen=True, slots=True)
class LocalSettingDefinition:
    """A number the letters leave open («i god tid»), set locally; the UI labels it local."""

    key: str
    rule: str
    label: str
    default: int
    minimum: int
    maximum: int
    unit: str = "dager"


@dataclass(frozen=True, slots=True)
class TargetGroup:
    min_age: int
    max_age_exclusive: int
    innsatsgrupper: frozenset[Innsatsgruppe]
    source: Citation


@dataclass(frozen=True, slots=True)
class Ruleset:
    """One letter's rules, in force for ``as_of`` in [effective_from, effective_to]."""

    id: str
    year: int
    title: str
    effective_from: dt.date
    effective_to: dt.date | None
    rules: tuple[RuleDef, ...]
    local_settings: tuple[LocalSettingDefinition, ...]
    target_group: TargetGroup
    due_soon_days: int = 7
    # «In activity»: an activity in one of these statuses that has started (rules.md).
    in_activity_statuses: frozenset[ActivityStatus] = frozenset()
    letter_date: dt.date | None = None
    note: str = ""
    path: str = ""
    _by_id: Mapping[str, RuleDef] = field(default_factory=dict, compare=False, repr=False)

    def rule(self, rule_id: str) -> RuleDef | None:
        return self._by_id.get(rule_id)

    def has(self, rule_id: str) -> bool:
        return rule_id in self._by_id

    def setting_default(self, key: str) -> int | None:
        for definition in self.local_settings:
            if definition.key == key:
                return definition.default
        return None

    def in_force(self, as_of: dt.date) -> bool:
        return self.effective_from <= as_of and (self.effective_to is None or as_of <= self.effective_to)


class DueItem(NamedTuple):
    """One follow-up that is due (or will be): identified by case, rule and activity/contact.

    Immutable like the other result types; a ``NamedTuple`` rather than a frozen dataclass
    because an office evaluation creates hundreds of thousands of them and a tuple is built
    about ten times faster (the 100,000-case target). Use ``_replace`` to derive a changed copy.
    """

    case: CaseRef
    rule: str
    due: dt.date
    status: Status
    title: str
    explanation: str
    source: Citation
    satisfied_by: str
    activity: ItemId | None = None
    contact: ItemId | None = None
    exceptions: tuple[RecordedException, ...] = ()
    letter_rule: bool = True
    local_setting: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """(case ref, rule ID, activity or contact id): the item's identity."""
        return (self.case, self.rule, self.activity or self.contact or "")


@dataclass(frozen=True, slots=True)
class FlagItem:
    """A badge without a due date (priority group, KVP/IPS/AMS …)."""

    case: CaseRef
    flag: str
    title: str
    source: Citation
    letter_rule: bool = True


@dataclass(frozen=True, slots=True)
class Evaluation:
    as_of: dt.date
    ruleset: Ruleset
    items: tuple[DueItem, ...]
    flags: tuple[FlagItem, ...]

    def items_for(self, ref: str) -> tuple[DueItem, ...]:
        return tuple(item for item in self.items if item.case == ref)

    def flags_for(self, ref: str) -> tuple[FlagItem, ...]:
        return tuple(flag for flag in self.flags if flag.case == ref)

    def by_case(self) -> dict[CaseRef, tuple[DueItem, ...]]:
        """All items grouped by case ref (each group keeps the overall order)."""
        grouped: dict[CaseRef, list[DueItem]] = {}
        for item in self.items:
            grouped.setdefault(item.case, []).append(item)
        return {ref: tuple(items) for ref, items in grouped.items()}

    def count(self, status: Status) -> int:
        return sum(1 for item in self.items if item.status is status)


@dataclass(frozen=True, slots=True)
class OfficeDeadline:
    """An office-level deadline (QUALITY-REVIEW-*) with days left (negative when passed)."""

    rule: str
    title: str
    due: dt.date
    days_left: int
    status: Status
    source: Citation
    carried_over: bool = False  # the ruleset's year is before as_of's year (no newer letter)


@dataclass(frozen=True, slots=True)
class AdvisorLoad:
    """PORTFOLIO-CAP-50 for one advisor, plus the counts the workload view shows."""

    advisor: AdvisorIdent
    open_cases: int
    ug_cases: int
    overdue: int
    due_soon: int
    breach: bool
    by_innsatsgruppe: tuple[tuple[Innsatsgruppe | None, int], ...] = ()


@dataclass(frozen=True, slots=True)
class AdvisorEvaluation:
    as_of: dt.date
    ruleset: Ruleset
    cap: int | None  # None when the ruleset has no PORTFOLIO-CAP-50 (2023)
    advisors: tuple[AdvisorLoad, ...]
    team_average: float | None  # average UG cases over advisors with at least one; None if none
    team_breach: bool
    office_deadlines: tuple[OfficeDeadline, ...]
    cap_source: Citation | None = None
