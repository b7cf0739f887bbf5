"""Case rules of rules.md, one block per rule: the day before/on/after the due date, where the
rule applies and where it does not, and satisfaction by each kind of evidence."""

from __future__ import annotations

import dataclasses

import pytest

from navoppfolging.domain import (
    Aap,
    ActivityCategory as Cat,
    ActivityStatus as St,
    Channel,
    ContactStatus as CS,
    ExceptionKind,
)
from navoppfolging.rules import LocalSettings, Status, evaluate
from tests.rules_builders import (
    D,
    EXPECTED_TRANSITIONS,
    SIT,
    SPES,
    STD,
    VARIG,
    activity,
    assess,
    benefits,
    case,
    contact,
    days,
    exception,
    held,
    items,
    one,
    statuses,
    ug,
)

REG = D(2024, 1, 8)


# --- UG-OFFER-8W -----------------------------------------------------------------------------

def test_ug_offer_due_56_days_after_registration_with_status_transitions() -> None:
    c = ug(REG)
    due = REG + days(56)
    assert one(c, due, "UG-OFFER-8W").due == D(2024, 3, 4)
    assert statuses(c, "UG-OFFER-8W", due) == EXPECTED_TRANSITIONS


def test_ug_offer_explanation_and_source_2023_and_2024() -> None:
    item = one(ug(REG), D(2024, 2, 1), "UG-OFFER-8W")
    assert "08.01.2024 + 56 dager" in item.explanation and "04.03.2024" in item.explanation
    assert str(item.source).startswith("MDB-2024 §2.1.1: «")
    assert "innen åtte uker" in item.source.quote
    old = one(ug(D(2023, 5, 1)), D(2023, 6, 1), "UG-OFFER-8W")
    assert old.source.letter == "MDB-2023" and "frist på åtte uker" in old.source.quote


def test_ug_offer_satisfied_by_offer_on_or_before_as_of_only() -> None:
    offered = ug(REG, follow_up_offered_on=D(2024, 2, 1))
    assert items(offered, D(2024, 2, 1), "UG-OFFER-8W") == []
    assert items(offered, D(2024, 3, 10), "UG-OFFER-8W") == []
    # An offer dated after as_of is ignored (records after as_of do not count).
    assert len(items(offered, D(2024, 1, 31), "UG-OFFER-8W")) == 1


def test_ug_offer_declined_exception_is_shown_but_does_not_satisfy() -> None:
    declined = exception("e1", D(2024, 2, 10), ExceptionKind.TILBUD_AVSLATT)
    later = exception("e2", D(2024, 4, 1), ExceptionKind.TILBUD_AVSLATT)
    c = ug(REG, exceptions=(declined, later))
    item = one(c, D(2024, 3, 10), "UG-OFFER-8W")
    assert item.status is Status.OVERDUE
    assert item.exceptions == (declined,)  # the one dated after as_of is not shown


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        (D(2008, 2, 2), 0),   # 15 on as_of
        (D(2008, 2, 1), 1),   # 16 on as_of (birthday)
        (D(1994, 2, 2), 1),   # 29 (30 tomorrow)
        (D(1994, 2, 1), 0),   # 30 on as_of
    ],
)
def test_ug_target_group_age_edges(birth: D, expected: int) -> None:
    as_of = D(2024, 2, 1)
    assert len(items(ug(REG, birth=birth), as_of, "UG-OFFER-8W")) == expected
    assert len(items(ug(REG, birth=birth), as_of, "CONTACT-30D")) == expected


@pytest.mark.parametrize("group", [STD, VARIG])
def test_ug_offer_not_for_other_innsatsgrupper(group: object) -> None:
    assert items(ug(REG, group=group), D(2024, 2, 1), "UG-OFFER-8W") == []  # type: ignore[arg-type]


def test_ug_offer_spesielt_tilpasset_counts() -> None:
    assert len(items(ug(REG, group=SPES), D(2024, 2, 1), "UG-OFFER-8W")) == 1


def test_ug_needs_registration_on_or_before_as_of_and_an_assessment() -> None:
    assert items(case(assessments=(assess(REG),)), D(2024, 2, 1), "UG-OFFER-8W") == []
    assert items(ug(D(2024, 2, 2), assessments=(assess(REG),)), D(2024, 2, 1), "UG-OFFER-8W") == []
    assert items(ug(REG, assessments=()), D(2024, 2, 1), "UG-OFFER-8W") == []
    # The only assessment is dated after as_of: innsatsgruppe unknown, the rule does not apply.
    assert items(ug(REG, assessments=(assess(D(2024, 2, 5)),)), D(2024, 2, 1), "UG-OFFER-8W") == []


def test_current_innsatsgruppe_is_latest_assessment_on_or_before_as_of() -> None:
    c = ug(REG, assessments=(assess(REG, SIT), assess(D(2024, 2, 10), STD)))
    assert len(items(c, D(2024, 2, 9), "UG-OFFER-8W")) == 1
    assert items(c, D(2024, 2, 10), "UG-OFFER-8W") == []
    # Same date: the one listed last wins.
    same = ug(REG, assessments=(assess(REG, STD), assess(REG, SIT)))
    assert len(items(same, D(2024, 2, 1), "UG-OFFER-8W")) == 1


def test_closed_case_gets_no_items_from_closing_day() -> None:
    c = ug(REG, closed_on=D(2024, 2, 1), flags=())
    assert evaluate(c, D(2024, 2, 1)).items == ()
    assert evaluate(c, D(2024, 2, 1)).flags == ()
    assert len(items(c, D(2024, 1, 31), "UG-OFFER-8W")) == 1


# --- UG-STANDARD-REASSESS-8W -----------------------------------------------------------------

def test_standard_reassess_transitions() -> None:
    c = ug(REG, group=STD)
    due = REG + days(56)
    assert statuses(c, "UG-STANDARD-REASSESS-8W", due) == EXPECTED_TRANSITIONS
    assert one(c, due, "UG-STANDARD-REASSESS-8W").source.section == "§2.1.1"
    # The innsatsgruppe by NAV's current name, as the case view shows it.
    assert "innsatsgruppe «Gode muligheter»" in one(c, due, "UG-STANDARD-REASSESS-8W").explanation


@pytest.mark.parametrize("category", [Cat.ARBEID, Cat.UTDANNING, Cat.TILTAK, Cat.EGEN_AKTIVITET])
@pytest.mark.parametrize("status", [St.GJENNOMFORES, St.FULLFORT])
def test_standard_reassess_satisfied_by_activity(category: Cat, status: St) -> None:
    c = ug(REG, group=STD, activities=(activity("a1", category, status, start=D(2024, 2, 1)),))
    assert items(c, D(2024, 3, 10), "UG-STANDARD-REASSESS-8W") == []


@pytest.mark.parametrize(
    "act",
    [
        activity("a1", Cat.JOBBSOKING, St.GJENNOMFORES, start=D(2024, 2, 1)),
        activity("a1", Cat.BEHANDLING, St.GJENNOMFORES, start=D(2024, 2, 1)),
        activity("a1", Cat.ARBEID, St.PLANLAGT, start=D(2024, 2, 1)),
        activity("a1", Cat.ARBEID, St.FORSLAG, start=D(2024, 2, 1)),
        activity("a1", Cat.ARBEID, St.AVBRUTT, start=D(2024, 2, 1)),
        activity("a1", Cat.ARBEID, St.GJENNOMFORES, start=D(2024, 3, 11)),  # starts after as_of
    ],
)
def test_standard_reassess_not_satisfied_by_other_activity(act: object) -> None:
    c = ug(REG, group=STD, activities=(act,))
    assert len(items(c, D(2024, 3, 10), "UG-STANDARD-REASSESS-8W")) == 1


def test_standard_reassess_satisfied_by_assessment_from_due_date() -> None:
    due = REG + days(56)
    on_due = ug(REG, group=STD, assessments=(assess(REG, STD), assess(due, STD)))
    assert items(on_due, due, "UG-STANDARD-REASSESS-8W") == []
    before = ug(REG, group=STD, assessments=(assess(REG, STD), assess(due - days(1), STD)))
    assert len(items(before, due, "UG-STANDARD-REASSESS-8W")) == 1
    # Dated after as_of: ignored.
    assert len(items(on_due, due - days(1), "UG-STANDARD-REASSESS-8W")) == 1


def test_standard_reassess_age_edges_and_sit_group() -> None:
    as_of = D(2024, 2, 1)
    assert items(ug(REG, group=STD, birth=D(2008, 2, 2)), as_of, "UG-STANDARD-REASSESS-8W") == []
    assert len(items(ug(REG, group=STD, birth=D(2008, 2, 1)), as_of, "UG-STANDARD-REASSESS-8W")) == 1
    assert items(ug(REG, group=STD, birth=D(1994, 2, 1)), as_of, "UG-STANDARD-REASSESS-8W") == []
    assert items(ug(REG, group=SIT), as_of, "UG-STANDARD-REASSESS-8W") == []


# --- CONTACT-30D -----------------------------------------------------------------------------

def test_contact_30d_from_latest_contact_with_transitions() -> None:
    c = ug(REG, contacts=(held(D(2024, 2, 1), "k1"), held(D(2024, 3, 12), "k2")))
    due = D(2024, 4, 11)
    item = one(c, D(2024, 4, 1), "CONTACT-30D")
    assert item.due == due
    assert item.explanation == "Siste kontakt 12.03.2024 + 30 dager = 11.04.2024"
    assert statuses(c, "CONTACT-30D", due) == EXPECTED_TRANSITIONS


def test_contact_30d_without_contact_from_registration() -> None:
    c = ug(REG)
    item = one(c, D(2024, 1, 20), "CONTACT-30D")
    assert item.due == REG + days(30)
    assert "registrert 08.01.2024 + 30 dager = 07.02.2024" in item.explanation


@pytest.mark.parametrize("channel", list(Channel))
def test_contact_30d_any_channel_counts(channel: Channel) -> None:
    c = ug(REG, contacts=(held(D(2024, 2, 1), channel=channel),))
    assert one(c, D(2024, 2, 5), "CONTACT-30D").due == D(2024, 3, 2)


@pytest.mark.parametrize("status", [CS.PLANLAGT, CS.IKKE_MOTT, CS.AVLYST])
def test_contact_30d_only_held_contacts_count(status: CS) -> None:
    c = ug(REG, contacts=(contact(D(2024, 2, 1), "k1", status),))
    assert one(c, D(2024, 2, 5), "CONTACT-30D").due == REG + days(30)


def test_contact_30d_ignores_contact_after_as_of_and_shows_attempts_since_last_contact() -> None:
    old_try = exception("e1", D(2024, 1, 20), ExceptionKind.IKKE_OPPNADD_KONTAKT)
    new_try = exception("e2", D(2024, 3, 5), ExceptionKind.IKKE_OPPNADD_KONTAKT)
    declined = exception("e3", D(2024, 3, 6), ExceptionKind.TILBUD_AVSLATT)
    c = ug(REG, contacts=(held(D(2024, 2, 1), "k1"), held(D(2024, 3, 20), "k2")),
           exceptions=(old_try, new_try, declined))
    item = one(c, D(2024, 3, 10), "CONTACT-30D")
    assert item.due == D(2024, 3, 2) and item.status is Status.OVERDUE
    assert item.exceptions == (new_try,)  # shown, the due date does not move


# --- UG-AGE-OUT ------------------------------------------------------------------------------

def test_age_out_due_on_30th_birthday_transitions() -> None:
    birth = D(1995, 6, 15)
    c = ug(D(2024, 1, 8), birth=birth)
    assert statuses(c, "UG-AGE-OUT", D(2025, 6, 15)) == EXPECTED_TRANSITIONS
    assert "fyller 30 år 15.06.2025" in one(c, D(2025, 6, 1), "UG-AGE-OUT").explanation


def test_age_out_29_february_birthday_falls_on_28_february() -> None:
    c = ug(D(2024, 1, 8), birth=D(1996, 2, 29))  # turns 30 in 2026, not a leap year
    assert one(c, D(2026, 2, 27), "UG-AGE-OUT").due == D(2026, 2, 28)
    assert one(c, D(2026, 2, 28), "UG-AGE-OUT").status is Status.DUE_SOON
    assert one(c, D(2026, 3, 1), "UG-AGE-OUT").status is Status.OVERDUE
    # On 28 February 2026 they are 30: out of the target group.
    assert len(items(c, D(2026, 2, 27), "CONTACT-30D")) == 1
    assert items(c, D(2026, 2, 28), "CONTACT-30D") == []
    # 30 is not a multiple of 4, so a 29 February child never turns 30 on a leap day.
    older = ug(D(2023, 1, 9), birth=D(1992, 2, 29))
    assert one(older, D(2023, 3, 1), "UG-AGE-OUT").due == D(2022, 2, 28)


def test_age_out_applies_from_16_and_after_30_but_not_to_standard() -> None:
    assert items(ug(REG, birth=D(2008, 2, 2)), D(2024, 2, 1), "UG-AGE-OUT") == []
    assert len(items(ug(REG, birth=D(2008, 2, 1)), D(2024, 2, 1), "UG-AGE-OUT")) == 1
    over = one(ug(REG, birth=D(1990, 1, 1)), D(2024, 2, 1), "UG-AGE-OUT")
    assert over.due == D(2020, 1, 1) and over.status is Status.OVERDUE
    assert items(ug(REG, group=STD), D(2024, 2, 1), "UG-AGE-OUT") == []
    assert items(case(assessments=(assess(REG),)), D(2024, 2, 1), "UG-AGE-OUT") == []  # not registered


# --- LONGTERM-REASSESS-6M (2024) ------------------------------------------------------------

def test_longterm_month_end_clamp_and_transitions() -> None:
    reg = D(2024, 8, 31)
    c = case(registered_on=reg)
    due = D(2025, 2, 28)
    assert one(c, D(2025, 1, 1), "LONGTERM-REASSESS-6M").due == due
    assert statuses(c, "LONGTERM-REASSESS-6M", due) == EXPECTED_TRANSITIONS


def test_longterm_any_age_and_innsatsgruppe_but_registered_and_open() -> None:
    assert len(items(case(birth=D(1970, 1, 1), registered_on=REG), D(2024, 3, 1), "LONGTERM-REASSESS-6M")) == 1
    assert items(case(), D(2024, 3, 1), "LONGTERM-REASSESS-6M") == []
    assert items(case(registered_on=D(2024, 3, 2)), D(2024, 3, 1), "LONGTERM-REASSESS-6M") == []


def test_longterm_not_when_in_work_and_satisfied_by_new_assessment() -> None:
    due = D(2024, 7, 8)
    working = case(registered_on=REG, activities=(activity("a1", Cat.ARBEID, St.GJENNOMFORES, start=D(2024, 5, 1)),))
    assert items(working, D(2024, 7, 1), "LONGTERM-REASSESS-6M") == []
    assert len(items(working, D(2024, 4, 30), "LONGTERM-REASSESS-6M")) == 1  # work starts after as_of
    tiltak = case(registered_on=REG, activities=(activity("a1", Cat.TILTAK, St.GJENNOMFORES, start=D(2024, 5, 1)),))
    assert len(items(tiltak, D(2024, 7, 1), "LONGTERM-REASSESS-6M")) == 1
    reassessed = case(registered_on=REG, assessments=(assess(REG, SIT), assess(due, SIT)))
    assert items(reassessed, due, "LONGTERM-REASSESS-6M") == []
    early = case(registered_on=REG, assessments=(assess(due - days(1), SIT),))
    assert len(items(early, due, "LONGTERM-REASSESS-6M")) == 1


def test_longterm_only_in_2024() -> None:
    c = case(registered_on=D(2023, 1, 10))
    assert items(c, D(2023, 12, 31), "LONGTERM-REASSESS-6M") == []
    assert one(c, D(2024, 1, 1), "LONGTERM-REASSESS-6M").due == D(2023, 7, 10)


# --- DP-26W-LEFT (2023) ---------------------------------------------------------------------

def test_dp_26w_left_transitions_and_end() -> None:
    end = D(2023, 12, 20)
    due = end - days(182)
    c = case(benefits=benefits(dp_end=end))
    assert due == D(2023, 6, 21)
    assert statuses(c, "DP-26W-LEFT", due) == EXPECTED_TRANSITIONS
    assert len(items(c, end, "DP-26W-LEFT")) == 1
    assert items(c, end + days(1), "DP-26W-LEFT") == []


def test_dp_26w_left_satisfied_by_contact_from_due_date() -> None:
    end = D(2023, 12, 20)
    due = end - days(182)
    assert items(case(benefits=benefits(dp_end=end), contacts=(held(due),)), due + days(3), "DP-26W-LEFT") == []
    assert len(items(case(benefits=benefits(dp_end=end), contacts=(held(due - days(1)),)), due + days(3),
                     "DP-26W-LEFT")) == 1
    planned = case(benefits=benefits(dp_end=end), contacts=(contact(due + days(1), "k1", CS.PLANLAGT),))
    assert len(items(planned, due + days(3), "DP-26W-LEFT")) == 1


def test_dp_26w_left_only_in_2023() -> None:
    c = case(benefits=benefits(dp_end=D(2024, 3, 1)))
    assert len(items(c, D(2023, 12, 31), "DP-26W-LEFT")) == 1
    assert items(c, D(2024, 1, 1), "DP-26W-LEFT") == []


# --- AAP-ACTIVITY-26W -----------------------------------------------------------------------

def test_aap_activity_transitions() -> None:
    start = D(2024, 1, 15)
    c = case(benefits=benefits(aap=Aap(start=start)))
    assert statuses(c, "AAP-ACTIVITY-26W", start + days(182)) == EXPECTED_TRANSITIONS


def test_aap_activity_does_not_apply_before_start_or_after_end() -> None:
    c = case(benefits=benefits(aap=Aap(start=D(2024, 1, 15), end=D(2024, 6, 30))))
    assert items(c, D(2024, 1, 14), "AAP-ACTIVITY-26W") == []
    assert len(items(c, D(2024, 6, 30), "AAP-ACTIVITY-26W")) == 1
    assert items(c, D(2024, 7, 1), "AAP-ACTIVITY-26W") == []


@pytest.mark.parametrize(
    ("category", "as_of", "satisfied"),
    [
        (Cat.ARBEID, D(2023, 9, 1), True),
        (Cat.TILTAK, D(2023, 9, 1), True),
        (Cat.BEHANDLING, D(2023, 9, 1), False),  # 2023: work or tiltak only
        (Cat.BEHANDLING, D(2024, 1, 2), True),   # 2024: medical treatment counts
        (Cat.JOBBSOKING, D(2024, 1, 2), False),
    ],
)
def test_aap_activity_categories_per_year(category: Cat, as_of: D, satisfied: bool) -> None:
    c = case(benefits=benefits(aap=Aap(start=D(2023, 6, 1))),
             activities=(activity("a1", category, St.GJENNOMFORES, start=D(2023, 7, 1)),))
    assert (items(c, as_of, "AAP-ACTIVITY-26W") == []) is satisfied


def test_aap_activity_counts_from_its_start_day_on() -> None:
    """«In activity»: start <= as_of. An activity starting on as_of satisfies the rule that day;
    one starting the day after does not yet."""
    aap = benefits(aap=Aap(start=D(2023, 6, 1)))
    as_of = D(2024, 1, 2)
    on_the_day = case(benefits=aap, activities=(activity("a1", Cat.TILTAK, St.GJENNOMFORES, start=as_of),))
    next_day = case(benefits=aap, activities=(activity("a1", Cat.TILTAK, St.GJENNOMFORES, start=as_of + days(1)),))
    assert items(on_the_day, as_of, "AAP-ACTIVITY-26W") == []
    assert len(items(next_day, as_of, "AAP-ACTIVITY-26W")) == 1


@pytest.mark.parametrize("rule", ["AAP-ACTIVITY-26W", "UG-STANDARD-REASSESS-8W", "LONGTERM-REASSESS-6M"])
def test_an_activity_without_a_start_date_counts_by_its_status(rule: str) -> None:
    """The «start <= as_of» test of «in activity» only ignores records dated after as_of (general
    semantics); an activity being carried out with no start recorded is in activity by its
    status (documented in rules/facts.in_activity). A suggestion (FORSLAG) never is."""
    reg, as_of = D(2024, 1, 8), D(2024, 9, 2)
    kw = {"benefits": benefits(aap=Aap(start=D(2024, 1, 8)))} if rule == "AAP-ACTIVITY-26W" else {}
    base = (ug(reg, group=STD, **kw) if rule == "UG-STANDARD-REASSESS-8W"
            else case(registered_on=reg, assessments=(assess(reg),), **kw))
    working = dataclasses.replace(base, activities=(activity("a1", Cat.ARBEID, St.GJENNOMFORES, start=None),))
    suggested = dataclasses.replace(base, activities=(activity("a1", Cat.ARBEID, St.FORSLAG, start=None),))
    assert items(working, as_of, rule) == []
    assert len(items(suggested, as_of, rule)) == 1


# --- AAP-APPLICATION-5W ---------------------------------------------------------------------

def test_aap_application_transitions_and_decision() -> None:
    applied = D(2024, 3, 1)
    c = case(benefits=benefits(aap=Aap(applied_on=applied)))
    assert statuses(c, "AAP-APPLICATION-5W", applied + days(35)) == EXPECTED_TRANSITIONS
    decided = case(benefits=benefits(aap=Aap(applied_on=applied, decided_on=D(2024, 3, 20))))
    assert items(decided, D(2024, 3, 20), "AAP-APPLICATION-5W") == []
    assert len(items(decided, D(2024, 3, 19), "AAP-APPLICATION-5W")) == 1
    assert items(c, applied - days(1), "AAP-APPLICATION-5W") == []


# --- AAP-END-INFO (2023, local setting) -----------------------------------------------------

def test_aap_end_info_default_90_days_and_transitions() -> None:
    end = D(2023, 12, 1)
    c = case(benefits=benefits(aap=Aap(start=D(2022, 1, 1), end=end)))
    due = end - days(90)
    item = one(c, due, "AAP-END-INFO")
    assert item.local_setting is not None and "Lokal innstilling" in item.local_setting
    assert "90 dager (lokal innstilling)" in item.explanation
    assert statuses(c, "AAP-END-INFO", due) == EXPECTED_TRANSITIONS
    assert len(items(c, end, "AAP-END-INFO")) == 1
    assert items(c, end + days(1), "AAP-END-INFO") == []


def test_aap_end_info_local_setting_changes_due_date() -> None:
    end = D(2023, 12, 1)
    c = case(benefits=benefits(aap=Aap(end=end)))
    settings = LocalSettings.from_mapping({"AAP-END-INFO.days": "60", "window.geometry": "x"})
    assert one(c, D(2023, 9, 1), "AAP-END-INFO", settings=settings).due == end - days(60)


def test_aap_end_info_satisfied_by_assessment_from_due_and_2023_only() -> None:
    end = D(2023, 12, 1)
    due = end - days(90)
    ok = case(benefits=benefits(aap=Aap(end=end)), assessments=(assess(due, SPES),))
    assert items(ok, due + days(1), "AAP-END-INFO") == []
    early = case(benefits=benefits(aap=Aap(end=end)), assessments=(assess(due - days(1), SPES),))
    assert len(items(early, due + days(1), "AAP-END-INFO")) == 1
    assert items(case(benefits=benefits(aap=Aap(end=D(2024, 6, 1)))), D(2024, 4, 1), "AAP-END-INFO") == []


# --- SICK-NO-EMPLOYER-12W -------------------------------------------------------------------

def test_sick_no_employer_transitions_and_satisfaction() -> None:
    start = D(2024, 2, 1)
    c = case(sick_leave_start=start)
    assert statuses(c, "SICK-NO-EMPLOYER-12W", start + days(84)) == EXPECTED_TRANSITIONS
    assert items(case(sick_leave_start=start, assessments=(assess(start, SIT),)), D(2024, 3, 1),
                 "SICK-NO-EMPLOYER-12W") == []
    before = case(sick_leave_start=start, assessments=(assess(start - days(1), SIT),))
    assert len(items(before, D(2024, 3, 1), "SICK-NO-EMPLOYER-12W")) == 1
    assert items(c, start - days(1), "SICK-NO-EMPLOYER-12W") == []
    assert one(case(sick_leave_start=D(2023, 3, 1)), D(2023, 4, 1), "SICK-NO-EMPLOYER-12W").source.letter == "MDB-2023"


# --- OMSTILLING-6M (2024) -------------------------------------------------------------------

def test_omstilling_month_end_clamp_transitions_and_2024_only() -> None:
    death = D(2024, 8, 31)
    c = case(benefits=benefits(death=death))
    due = D(2025, 2, 28)
    assert statuses(c, "OMSTILLING-6M", due) == EXPECTED_TRANSITIONS
    assert items(case(benefits=benefits(death=D(2023, 5, 1))), D(2023, 6, 1), "OMSTILLING-6M") == []


def test_omstilling_needs_both_assessment_after_death_and_a_plan() -> None:
    death = D(2024, 3, 10)
    plan = (activity("a1", Cat.JOBBSOKING, St.PLANLAGT),)
    both = case(benefits=benefits(death=death), assessments=(assess(death, SIT),), activities=plan)
    assert items(both, D(2024, 5, 1), "OMSTILLING-6M") == []
    only_assessment = case(benefits=benefits(death=death), assessments=(assess(death, SIT),))
    assert "aktivitetsplan" in one(only_assessment, D(2024, 5, 1), "OMSTILLING-6M").explanation
    only_plan = case(benefits=benefits(death=death), activities=plan, assessments=(assess(death - days(1), SIT),))
    assert len(items(only_plan, D(2024, 5, 1), "OMSTILLING-6M")) == 1
    suggestion = case(benefits=benefits(death=death), assessments=(assess(death, SIT),),
                      activities=(activity("a1", Cat.JOBBSOKING, St.FORSLAG),))
    assert len(items(suggestion, D(2024, 5, 1), "OMSTILLING-6M")) == 1


# --- PLAN-MISSING ---------------------------------------------------------------------------

def test_plan_missing_due_on_latest_assessment() -> None:
    assessed = D(2024, 2, 1)
    c = case(assessments=(assess(D(2024, 1, 1), STD), assess(assessed, VARIG)))
    assert items(c, assessed - days(1), "PLAN-MISSING") == []  # still standard then
    assert one(c, assessed, "PLAN-MISSING").status is Status.DUE_SOON
    assert one(c, assessed + days(1), "PLAN-MISSING").status is Status.OVERDUE
    assert one(c, assessed + days(1), "PLAN-MISSING").source.letter == "nav-kontor-anbefalinger"
    assert one(c, assessed, "PLAN-MISSING").explanation.startswith("Vurdert 01.02.2024 («Liten mulighet til å jobbe»):")


def test_plan_missing_satisfaction_and_non_application() -> None:
    as_of = D(2024, 3, 1)
    assert items(case(assessments=(assess(REG, STD),)), as_of, "PLAN-MISSING") == []
    assert items(case(), as_of, "PLAN-MISSING") == []
    suggestion = case(assessments=(assess(REG, SIT),), activities=(activity("a1", Cat.ARBEID, St.FORSLAG),))
    assert len(items(suggestion, as_of, "PLAN-MISSING")) == 1
    for status in (St.PLANLAGT, St.GJENNOMFORES, St.FULLFORT, St.AVBRUTT):
        planned = case(assessments=(assess(REG, SIT),), activities=(activity("a1", Cat.ARBEID, status),))
        assert items(planned, as_of, "PLAN-MISSING") == []


# --- ACTIVITY-EXPIRED (practice) ------------------------------------------------------------

def test_activity_expired_per_activity_with_transitions() -> None:
    end = D(2024, 4, 30)
    c = case(activities=(
        activity("a1", Cat.JOBBSOKING, St.GJENNOMFORES, start=D(2024, 2, 1), end=end),
        activity("a2", Cat.ARBEID, St.PLANLAGT, end=end),
        activity("a3", Cat.ARBEID, St.FULLFORT, end=end),
        activity("a4", Cat.ARBEID, St.AVBRUTT, end=end),
        activity("a5", Cat.ARBEID, St.FORSLAG, end=end),
        activity("a6", Cat.ARBEID, St.GJENNOMFORES),
    ))
    found = items(c, D(2024, 5, 1), "ACTIVITY-EXPIRED")
    assert [i.activity for i in found] == ["a1", "a2"]
    assert all(i.status is Status.OVERDUE and not i.letter_rule for i in found)
    assert found[0].source.letter == "Praksis"
    single = case(activities=(activity("a1", Cat.JOBBSOKING, St.GJENNOMFORES, start=D(2024, 2, 1), end=end),))
    assert statuses(single, "ACTIVITY-EXPIRED", end) == EXPECTED_TRANSITIONS


def test_activity_expired_moves_with_its_end_date() -> None:
    """Satisfied when «end moved»: the same activity with a later end is no longer overdue, and
    its item comes back when the new end passes."""
    old_end, new_end = D(2024, 4, 30), D(2024, 6, 30)
    expired = case(activities=(activity("a1", Cat.TILTAK, St.GJENNOMFORES, start=D(2024, 2, 1), end=old_end),))
    moved = case(activities=(activity("a1", Cat.TILTAK, St.GJENNOMFORES, start=D(2024, 2, 1), end=new_end),))
    as_of = D(2024, 5, 15)
    assert one(expired, as_of, "ACTIVITY-EXPIRED").status is Status.OVERDUE
    item = one(moved, as_of, "ACTIVITY-EXPIRED")
    assert item.due == new_end and item.status is Status.UPCOMING
    assert one(moved, new_end + days(1), "ACTIVITY-EXPIRED").status is Status.OVERDUE


def test_practice_is_said_once_in_the_source() -> None:
    """ACTIVITY-EXPIRED's citation says «ikke regel i brevet» itself, so nothing is added to it;
    a non-letter rule citing a letter (a flag such as KVP in 2023) gets the note; a letter's rule never."""
    from navoppfolging.rules import Citation, practice_note

    end = D(2024, 4, 30)
    item = items(case(activities=(activity("a1", Cat.JOBBSOKING, St.GJENNOMFORES, end=end),)),
                 D(2024, 5, 1), "ACTIVITY-EXPIRED")[0]
    text = f"{item.source}{practice_note(item.source, item.letter_rule)}"
    assert text.count("ikke regel i brevet") == 1 and text.lower().count("praksis") == 1
    letter = Citation("MDB-2023", "§2.3.5", "…")
    assert practice_note(letter, False) == " (praksis, ikke regel i brevet)"
    assert practice_note(letter, True) == ""


# --- INTERPRETER-BOOK (local setting) -------------------------------------------------------

def test_interpreter_book_per_planned_contact() -> None:
    meeting = D(2024, 3, 15)
    c = case(needs_interpreter=True, contacts=(
        contact(meeting, "k1", CS.PLANLAGT),
        contact(D(2024, 3, 20), "k2", CS.PLANLAGT, booked=True),
        contact(D(2024, 3, 22), "k3", CS.PLANLAGT),
        contact(D(2024, 3, 1), "k4", CS.GJENNOMFORT),
    ))
    found = items(c, D(2024, 3, 5), "INTERPRETER-BOOK")
    assert [(i.contact, i.due) for i in found] == [("k1", D(2024, 3, 8)), ("k3", D(2024, 3, 15))]
    assert found[0].local_setting is not None
    # The meeting day itself still applies; after it, the planned contact is in the past.
    assert one(case(needs_interpreter=True, contacts=(contact(meeting, "k1", CS.PLANLAGT),)), meeting,
               "INTERPRETER-BOOK").status is Status.OVERDUE
    assert items(case(needs_interpreter=True, contacts=(contact(meeting, "k1", CS.PLANLAGT),)), meeting + days(1),
                 "INTERPRETER-BOOK") == []
    assert items(case(contacts=(contact(meeting, "k1", CS.PLANLAGT),)), D(2024, 3, 5), "INTERPRETER-BOOK") == []


def test_interpreter_book_transitions_and_local_setting() -> None:
    meeting = D(2024, 3, 30)
    c = case(needs_interpreter=True, contacts=(contact(meeting, "k1", CS.PLANLAGT),))
    due = meeting - days(7)
    # The item exists only while the meeting is on or after as_of, so "8 days before" is as far back as it goes.
    assert statuses(c, "INTERPRETER-BOOK", due) == EXPECTED_TRANSITIONS
    settings = LocalSettings.from_mapping({"INTERPRETER-BOOK.days": "14"})
    assert one(c, D(2024, 3, 1), "INTERPRETER-BOOK", settings=settings).due == meeting - days(14)
