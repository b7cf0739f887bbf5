"""Evaluation of the case rules and flags of one ruleset (rules.md), pure and fast.

Each ruleset is compiled once into a ``_Compiled`` object (rule definitions looked up by ID,
parameters as plain attributes), so the per-case work is a single pass over the case's
assessments, contacts and activities plus a few comparisons per rule. No clock, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from navoppfolging.domain import (
    ACTIVITY_STATUS_LABELS,
    ActivityCategory,
    CHANNEL_LABELS,
    INNSATSGRUPPE_LABELS,
    ActivityStatus,
    Case,
    ContactStatus,
    Innsatsgruppe,
    ItemId,
    RecordedException,
)
from navoppfolging.rules.facts import add_months, age_at, birthday
from navoppfolging.rules.facts import fmt as _fmt
from navoppfolging.rules.model import (
    DueItem,
    FlagItem,
    RuleDef,
    RuleKind,
    Ruleset,
    Status,
)
from navoppfolging.rules.registry import LocalSettings

_OVERDUE = Status.OVERDUE
_DUE_SOON = Status.DUE_SOON
_UPCOMING = Status.UPCOMING
# The contact statuses the rules read (rules.md «General semantics»: a contact is a held one; a
# planned meeting is PLANLAGT), named once: the team workload's SQL
# (``navoppfolging.workload.sql_rule_arguments``, revision 0004) is given these same values. The
# activity statuses and groups the rules read come from the ruleset file (``compile_ruleset``).
HELD_CONTACT = ContactStatus.GJENNOMFORT
PLANNED_CONTACT = ContactStatus.PLANLAGT
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A ruleset prepared for evaluation: each rule or None when the letter does not have it."""

    ruleset: Ruleset
    soon: int
    tg_min: int
    tg_max: int
    tg_groups: frozenset[Innsatsgruppe]
    in_activity: frozenset[ActivityStatus]
    # Statuses that do not make a plan, for PLAN-MISSING and for OMSTILLING-6M (None: the same).
    not_plan: frozenset[ActivityStatus]
    not_plan_omstilling: frozenset[ActivityStatus] | None
    age_out_min: int
    plan_missing_excluded: frozenset[Innsatsgruppe]
    expirable: frozenset[ActivityStatus]
    ug_offer: RuleDef | None
    ug_standard: RuleDef | None
    contact30: RuleDef | None
    age_out: RuleDef | None
    longterm: RuleDef | None
    dp26: RuleDef | None
    aap_activity: RuleDef | None
    aap_application: RuleDef | None
    aap_end: RuleDef | None
    sick: RuleDef | None
    omstilling: RuleDef | None
    plan_missing: RuleDef | None
    expired: RuleDef | None
    interpreter: RuleDef | None
    flag_longterm: RuleDef | None
    flag_dp_end: RuleDef | None
    case_flags: tuple[tuple[str, RuleDef], ...]
    flag_order: dict[str, int]


_COMPILED: dict[int, tuple[Ruleset, _Compiled]] = {}


def compile_ruleset(ruleset: Ruleset) -> _Compiled:
    cached = _COMPILED.get(id(ruleset))
    if cached is not None and cached[0] is ruleset:
        return cached[1]
    r = ruleset.rule
    flag_rules = [rule for rule in ruleset.rules if rule.kind is RuleKind.FLAG]
    plan_missing, omstilling = r("PLAN-MISSING"), r("OMSTILLING-6M")
    plan_rule = plan_missing or omstilling
    not_plan = plan_rule.plan_statuses_excluded if plan_rule else frozenset()
    not_plan_omstilling = omstilling.plan_statuses_excluded if omstilling is not None else None
    age_out, expired = r("UG-AGE-OUT"), r("ACTIVITY-EXPIRED")
    compiled = _Compiled(
        ruleset=ruleset,
        soon=ruleset.due_soon_days,
        tg_min=ruleset.target_group.min_age,
        tg_max=ruleset.target_group.max_age_exclusive,
        tg_groups=ruleset.target_group.innsatsgrupper,
        in_activity=ruleset.in_activity_statuses,
        not_plan=not_plan,
        not_plan_omstilling=None if not_plan_omstilling == not_plan else not_plan_omstilling,
        age_out_min=age_out.min_age if age_out is not None and age_out.min_age is not None else ruleset.target_group.min_age,
        plan_missing_excluded=plan_missing.innsatsgrupper_excluded if plan_missing is not None else frozenset(),
        expirable=expired.statuses if expired is not None else frozenset(),
        ug_offer=r("UG-OFFER-8W"),
        ug_standard=r("UG-STANDARD-REASSESS-8W"),
        contact30=r("CONTACT-30D"),
        age_out=r("UG-AGE-OUT"),
        longterm=r("LONGTERM-REASSESS-6M"),
        dp26=r("DP-26W-LEFT"),
        aap_activity=r("AAP-ACTIVITY-26W"),
        aap_application=r("AAP-APPLICATION-5W"),
        aap_end=r("AAP-END-INFO"),
        sick=r("SICK-NO-EMPLOYER-12W"),
        omstilling=r("OMSTILLING-6M"),
        plan_missing=r("PLAN-MISSING"),
        expired=r("ACTIVITY-EXPIRED"),
        interpreter=r("INTERPRETER-BOOK"),
        flag_longterm=r("PRIORITY-LONGTERM"),
        flag_dp_end=r("PRIORITY-DP-END"),
        case_flags=tuple(
            (rule.case_flag or rule.id, rule) for rule in flag_rules
            if rule.id not in ("PRIORITY-LONGTERM", "PRIORITY-DP-END")
        ),
        flag_order={rule.id: index for index, rule in enumerate(flag_rules)},
    )
    _COMPILED[id(ruleset)] = (ruleset, compiled)
    return compiled


def _related(rule: RuleDef, exceptions: list[RecordedException], after: dt.date | None = None) -> tuple[RecordedException, ...]:
    """Recorded exceptions of the kinds the ruleset relates to ``rule`` (shown, not satisfying)."""
    kinds = rule.exception_kinds
    return tuple(e for e in exceptions if e.kind in kinds and (after is None or e.date > after))


def _weeks(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return f"{days} dager ({weeks} {'uke' if weeks == 1 else 'uker'})"
    return f"{days} dager"


def evaluate_cases(
    cases: Iterable[Case],
    as_of: dt.date,
    compiled: _Compiled,
    settings: LocalSettings,
) -> tuple[list[DueItem], list[FlagItem]]:
    """All items and flags for ``cases`` (unsorted)."""
    ruleset = compiled.ruleset
    soon = compiled.soon
    tg_min, tg_max, tg_groups = compiled.tg_min, compiled.tg_max, compiled.tg_groups
    in_activity_statuses = compiled.in_activity
    not_plan, not_plan_om = compiled.not_plan, compiled.not_plan_omstilling
    age_out_min, plan_missing_excluded, expirable = compiled.age_out_min, compiled.plan_missing_excluded, compiled.expirable
    ug_offer, ug_standard, contact30 = compiled.ug_offer, compiled.ug_standard, compiled.contact30
    age_out, longterm, dp26 = compiled.age_out, compiled.longterm, compiled.dp26
    aap_activity, aap_application, aap_end = compiled.aap_activity, compiled.aap_application, compiled.aap_end
    sick, omstilling, plan_missing = compiled.sick, compiled.omstilling, compiled.plan_missing
    expired, interpreter = compiled.expired, compiled.interpreter
    flag_longterm, flag_dp_end, case_flags = compiled.flag_longterm, compiled.flag_dp_end, compiled.case_flags

    aap_end_days = settings.value(aap_end.setting, ruleset) if aap_end is not None and aap_end.setting else 0
    aap_end_label = (
        f"Lokal innstilling: {aap_end_days} dager før AAP-slutt («i god tid»)" if aap_end is not None else None
    )
    interp_days = (
        settings.value(interpreter.setting, ruleset) if interpreter is not None and interpreter.setting else 0
    )
    interp_label = (
        f"Lokal innstilling: tolk bestilles {interp_days} dager før møtet" if interpreter is not None else None
    )
    as_of_ord = as_of.toordinal()
    # Portfolios share few distinct dates: format each once per evaluation (strftime-free, cached).
    fmt_cache: dict[dt.date, str] = {}

    def fmt(day: dt.date) -> str:
        text = fmt_cache.get(day)
        if text is None:
            text = fmt_cache[day] = _fmt(day)
        return text

    # Parameter texts, once per evaluation rather than once per item.
    offer_w = _weeks(ug_offer.days or 0) if ug_offer is not None else ""
    standard_w = _weeks(ug_standard.days or 0) if ug_standard is not None else ""
    dp_w = _weeks(dp26.days or 0) if dp26 is not None else ""
    aap_w = _weeks(aap_activity.days or 0) if aap_activity is not None else ""
    aap_names = ", ".join(sorted(c.lower() for c in aap_activity.categories)) if aap_activity is not None else ""
    application_w = _weeks(aap_application.days or 0) if aap_application is not None else ""
    sick_w = _weeks(sick.days or 0) if sick is not None else ""

    items: list[DueItem] = []
    flags: list[FlagItem] = []
    add = items.append
    # DueItem is a NamedTuple: building it through tuple.__new__ skips the generated __new__.
    new_item = tuple.__new__

    def item(
        case: Case, rule: RuleDef, due: dt.date, explanation: str,
        exceptions: tuple[RecordedException, ...] = (), activity: ItemId | None = None,
        contact: ItemId | None = None, local: str | None = None,
    ) -> None:
        left = due.toordinal() - as_of_ord
        status = _OVERDUE if left < 0 else (_DUE_SOON if left <= soon else _UPCOMING)
        add(new_item(DueItem, (case.ref, rule.id, due, status, rule.title, explanation, rule.source,
                               rule.satisfied_by, activity, contact, exceptions, rule.letter_rule, local)))

    for case in cases:
        closed = case.closed_on
        if closed is not None and closed <= as_of:
            continue
        ref = case.ref
        reg = case.registered_on
        registered = reg is not None and reg <= as_of
        age = age_at(case.birth_date, as_of)

        # One pass over each record list; dates after as_of are ignored.
        latest = None
        for assessment in case.assessments:
            if assessment.date <= as_of and (latest is None or assessment.date >= latest.date):
                latest = assessment
        ig = latest.innsatsgruppe if latest is not None else None
        last_assessed = latest.date if latest is not None else None

        last_contact: dt.date | None = None
        for contact in case.contacts:
            if contact.status is HELD_CONTACT:
                cdate = contact.date
                if cdate <= as_of and (last_contact is None or cdate > last_contact):
                    last_contact = cdate

        has_plan = has_plan_om = False
        active_categories: set[ActivityCategory] = set()
        for activity in case.activities:
            status = activity.status
            if status not in not_plan:
                has_plan = True
            if not_plan_om is not None and status not in not_plan_om:
                has_plan_om = True
            if status in in_activity_statuses and (activity.start is None or activity.start <= as_of):
                active_categories.add(activity.category)
        if not_plan_om is None:
            has_plan_om = has_plan

        exceptions = [e for e in case.exceptions if e.date <= as_of] if case.exceptions else []

        in_ug = registered and tg_min <= age < tg_max and ig in tg_groups

        # UG-OFFER-8W
        if ug_offer is not None and in_ug and reg is not None:
            offered = case.follow_up_offered_on
            if offered is None or offered > as_of:
                due = reg + dt.timedelta(days=ug_offer.days or 0)
                item(case, ug_offer, due,
                     f"Registrert {fmt(reg)} + {offer_w} = {fmt(due)}; tilbud om oppfølging er ikke registrert.",
                     _related(ug_offer, exceptions) if exceptions else ())

        # UG-STANDARD-REASSESS-8W
        if (ug_standard is not None and registered and reg is not None and tg_min <= age < tg_max
                and ig is not None and ig in ug_standard.innsatsgrupper):
            due = reg + dt.timedelta(days=ug_standard.days or 0)
            if not (active_categories and not active_categories.isdisjoint(ug_standard.categories)) and not (
                last_assessed is not None and last_assessed >= due
            ):
                item(case, ug_standard, due,
                     f"Registrert {fmt(reg)} + {standard_w} = {fmt(due)}; innsatsgruppe «{INNSATSGRUPPE_LABELS[ig]}», "
                     "ikke i arbeid, utdanning, tiltak eller egen aktivitet, og ingen ny vurdering av bistandsbehovet.",
                     _related(ug_standard, exceptions) if exceptions else ())

        # CONTACT-30D: never satisfied, a newer contact moves the date.
        if contact30 is not None and in_ug and reg is not None:
            days = contact30.days or 0
            if last_contact is not None:
                due = last_contact + dt.timedelta(days=days)
                text = f"Siste kontakt {fmt(last_contact)} + {days} dager = {fmt(due)}"
            else:
                due = reg + dt.timedelta(days=days)
                text = f"Ingen gjennomført kontakt; registrert {fmt(reg)} + {days} dager = {fmt(due)}"
            item(case, contact30, due, text, _related(contact30, exceptions, last_contact) if exceptions else ())

        # UG-AGE-OUT: also at 30 and above (then overdue).
        if age_out is not None and registered and age >= age_out_min and ig is not None and ig in age_out.innsatsgrupper:
            due = birthday(case.birth_date, age_out.age or tg_max)
            item(case, age_out, due,
                 f"Født {fmt(case.birth_date)}: fyller {age_out.age} år {fmt(due)} og går ut av målgruppen for ungdomsgarantien.",
                 _related(age_out, exceptions) if exceptions else ())

        # LONGTERM-REASSESS-6M
        if longterm is not None and registered and reg is not None and (
            not active_categories or active_categories.isdisjoint(longterm.categories)
        ):
            due = add_months(reg, longterm.months or 0)
            if last_assessed is None or last_assessed < due:
                item(case, longterm, due,
                     f"Registrert {fmt(reg)} + {longterm.months} måneder = {fmt(due)}; ikke i arbeid og ingen ny "
                     f"vurdering av innsatsbehov fra {fmt(due)}.",
                     _related(longterm, exceptions) if exceptions else ())

        benefits = case.benefits
        # DP-26W-LEFT
        if dp26 is not None:
            dp_end = benefits.dagpenger.end
            if dp_end is not None and as_of <= dp_end:
                due = dp_end - dt.timedelta(days=dp26.days or 0)
                if last_contact is None or last_contact < due:
                    item(case, dp26, due,
                         f"Dagpenger slutter {fmt(dp_end)} − {dp_w} = {fmt(due)}; "
                         f"ingen gjennomført kontakt fra {fmt(due)}.",
                         _related(dp26, exceptions, due - _DAY) if exceptions else ())

        aap = benefits.aap
        # AAP-ACTIVITY-26W
        if aap_activity is not None:
            start = aap.start
            if start is not None and start <= as_of and (aap.end is None or as_of <= aap.end):
                if not active_categories or active_categories.isdisjoint(aap_activity.categories):
                    due = start + dt.timedelta(days=aap_activity.days or 0)
                    item(case, aap_activity, due,
                         f"AAP fra {fmt(start)} + {aap_w} = {fmt(due)}; ingen aktivitet "
                         f"({aap_names}) som gjennomføres eller er fullført.",
                         _related(aap_activity, exceptions) if exceptions else ())

        # AAP-APPLICATION-5W
        if aap_application is not None:
            applied = aap.applied_on
            if applied is not None and applied <= as_of:
                decided = aap.decided_on
                if decided is None or decided > as_of:
                    due = applied + dt.timedelta(days=aap_application.days or 0)
                    item(case, aap_application, due,
                         f"Søkt AAP {fmt(applied)} + {application_w} = {fmt(due)}; vedtak er ikke registrert.",
                         _related(aap_application, exceptions) if exceptions else ())

        # AAP-END-INFO (local setting «i god tid»)
        if aap_end is not None:
            end = aap.end
            if end is not None and as_of <= end:
                due = end - dt.timedelta(days=aap_end_days)
                if last_assessed is None or last_assessed < due:
                    item(case, aap_end, due,
                         f"AAP slutter {fmt(end)} − {aap_end_days} dager (lokal innstilling) = {fmt(due)}; "
                         f"ingen vurdering av arbeidsevne/innsatsbehov fra {fmt(due)}.",
                         _related(aap_end, exceptions) if exceptions else (), local=aap_end_label)

        # SICK-NO-EMPLOYER-12W
        if sick is not None:
            sick_start = case.sick_leave_start
            if sick_start is not None and sick_start <= as_of and (last_assessed is None or last_assessed < sick_start):
                due = sick_start + dt.timedelta(days=sick.days or 0)
                item(case, sick, due,
                     f"Sykmeldt uten arbeidsgiver fra {fmt(sick_start)} + {sick_w} = {fmt(due)}; "
                     f"ingen § 14 a-vedtak fra {fmt(sick_start)}.",
                     _related(sick, exceptions) if exceptions else ())

        # OMSTILLING-6M
        if omstilling is not None:
            death = benefits.omstillingsstonad.death_date
            if death is not None and death <= as_of:
                assessed = last_assessed is not None and last_assessed >= death
                if not (assessed and has_plan_om):
                    due = add_months(death, omstilling.months or 0)
                    missing = []
                    if not assessed:
                        missing.append(f"§ 14 a-vedtak etter {fmt(death)}")
                    if not has_plan_om:
                        missing.append("aktivitetsplan")
                    item(case, omstilling, due,
                         f"Dødsfall {fmt(death)} + {omstilling.months} måneder = {fmt(due)}; mangler "
                         + " og ".join(missing) + ".",
                         _related(omstilling, exceptions) if exceptions else ())

        # PLAN-MISSING
        if plan_missing is not None and ig is not None and last_assessed is not None and not has_plan:
            if ig not in plan_missing_excluded:
                item(case, plan_missing, last_assessed,
                     f"Vurdert {fmt(last_assessed)} («{INNSATSGRUPPE_LABELS[ig]}»): "
                     "aktivitetsplanen har ingen aktivitet utover forslag.",
                     _related(plan_missing, exceptions) if exceptions else ())

        # ACTIVITY-EXPIRED: one item per activity (practice, not a letter rule).
        if expired is not None:
            for activity in case.activities:
                end = activity.end
                if end is not None and activity.status in expirable:
                    item(case, expired, end,
                         f"Aktiviteten «{activity.title}» ({ACTIVITY_STATUS_LABELS[activity.status].lower()}) har "
                         f"sluttdato {fmt(end)}.",
                         activity=activity.id)

        # INTERPRETER-BOOK: one item per planned contact without a booked interpreter.
        if interpreter is not None and case.needs_interpreter:
            for contact in case.contacts:
                if contact.status is PLANNED_CONTACT and not contact.interpreter_booked and contact.date >= as_of:
                    due = contact.date - dt.timedelta(days=interp_days)
                    item(case, interpreter, due,
                         f"Møte {fmt(contact.date)} ({CHANNEL_LABELS[contact.channel].lower()}) − {interp_days} dager "
                         f"(lokal innstilling) = {fmt(due)}; tolk er ikke bestilt.",
                         contact=contact.id, local=interp_label)

        # Flags.
        if flag_longterm is not None and registered and reg is not None:
            if as_of > add_months(reg, flag_longterm.months or 0):
                flags.append(FlagItem(ref, flag_longterm.id, flag_longterm.title, flag_longterm.source,
                                      flag_longterm.letter_rule))
        if flag_dp_end is not None:
            dp_end = benefits.dagpenger.end
            if dp_end is not None and 0 <= dp_end.toordinal() - as_of_ord <= (flag_dp_end.days or 0):
                flags.append(FlagItem(ref, flag_dp_end.id, flag_dp_end.title, flag_dp_end.source, flag_dp_end.letter_rule))
        if case.flags:
            present = set(case.flags)
            for case_flag, rule in case_flags:
                if case_flag in present:
                    flags.append(FlagItem(ref, rule.id, rule.title, rule.source, rule.letter_rule))
    return items, flags


def item_sort_key(item: DueItem) -> tuple[dt.date, str, str, str]:
    return (item.due, item.case, item.rule, item.activity or item.contact or "")


# The same order as ``item_sort_key``, computed in C: within one (due, case, rule) the items are
# either all per-activity (contact None) or all per-contact (activity None), so comparing
# activity then contact never compares None with a string.
sort_key = attrgetter("due", "case", "rule", "activity", "contact")
