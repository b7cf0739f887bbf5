"""Flags (badges), PORTFOLIO-CAP-50 per advisor and team, and the office review deadlines."""

from __future__ import annotations

import pytest

from navoppfolging.domain import Advisor, AdvisorIdent, Case, CaseRef, Flag, Portfolio
from navoppfolging.rules import Status, evaluate, evaluate_advisors, office_deadlines
from tests.rules_builders import D, STD, assess, benefits, case, days, ug


def _flags(c: object, as_of: D) -> list[str]:
    return [f.flag for f in evaluate(c, as_of).flags]  # type: ignore[arg-type]


def test_priority_longterm_2023_after_more_than_six_months() -> None:
    c = case(registered_on=D(2023, 1, 31))  # + 6 months = 2023-07-31
    assert _flags(c, D(2023, 7, 31)) == []
    assert _flags(c, D(2023, 8, 1)) == ["PRIORITY-LONGTERM"]
    assert _flags(c, D(2024, 1, 1)) == []  # not a 2024 flag
    assert _flags(case(registered_on=D(2023, 1, 31), closed_on=D(2023, 8, 1)), D(2023, 8, 1)) == []
    assert _flags(case(), D(2023, 8, 1)) == []


def test_priority_dp_end_2024_within_182_days() -> None:
    end = D(2024, 12, 31)
    c = case(benefits=benefits(dp_end=end))
    assert _flags(c, end - days(183)) == []
    assert _flags(c, end - days(182)) == ["PRIORITY-DP-END"]
    assert _flags(c, end) == ["PRIORITY-DP-END"]
    assert _flags(c, end + days(1)) == []
    assert _flags(case(benefits=benefits(dp_end=D(2023, 12, 31))), D(2023, 12, 1)) == []  # 2023: not a flag


@pytest.mark.parametrize("flag", list(Flag))
@pytest.mark.parametrize("as_of", [D(2023, 5, 1), D(2024, 5, 1)])
def test_case_flags_are_shown_in_both_years(flag: Flag, as_of: D) -> None:
    found = evaluate(case(flags=(flag,)), as_of).flags
    assert [f.flag for f in found] == [flag.value]
    assert found[0].source.letter == f"MDB-{as_of.year}"


def test_kvp_ips_ams_rule_text_only_from_2024() -> None:
    kvp_2024 = evaluate(case(flags=(Flag.KVP,)), D(2024, 5, 1)).flags[0]
    assert "KVP-veileder den samlede oppfølgingen" in kvp_2024.source.quote and kvp_2024.letter_rule
    assert not evaluate(case(flags=(Flag.KVP,)), D(2023, 5, 1)).flags[0].letter_rule


def test_flags_sorted_by_case_then_ruleset_order() -> None:
    cases = [case("U-2", flags=(Flag.UKRAINA, Flag.LANDGRUPPE_3)), case("U-1", flags=(Flag.AMS,))]
    found = evaluate(cases, D(2024, 5, 1)).flags
    assert [(f.case, f.flag) for f in found] == [("U-1", "AMS"), ("U-2", "LANDGRUPPE-3"), ("U-2", "UKRAINA")]
    assert evaluate(cases, D(2024, 5, 1)).flags_for("U-2") == found[1:]


def _ug_cases(advisor: str, n: int, reg: D = D(2024, 1, 8)) -> list[Case]:
    return [Case(
        ref=CaseRef(f"{advisor}-{i}"), advisor=AdvisorIdent(advisor), name="x", birth_date=D(2000, 5, 17),
        registered_on=reg, assessments=(assess(reg),)) for i in range(n)]


def test_portfolio_cap_50_per_advisor_and_team_2024() -> None:
    cases = _ug_cases("Z1", 51) + _ug_cases("Z2", 50) + _ug_cases("Z3", 1)
    cases += [case("Z3-std", advisor="Z3", registered_on=D(2024, 1, 8), assessments=ug(D(2024, 1, 8), group=STD).assessments)]
    cases += [case("Z3-closed", advisor="Z3", registered_on=D(2024, 1, 8), closed_on=D(2024, 2, 1),
                   assessments=ug(D(2024, 1, 8)).assessments)]
    advisors = tuple(Advisor(AdvisorIdent(i), i) for i in ("Z1", "Z2", "Z3", "Z4"))
    result = evaluate_advisors(Portfolio(advisors=advisors, cases=tuple(cases)), D(2024, 3, 1))
    loads = {a.advisor: a for a in result.advisors}
    assert result.cap == 50 and result.cap_source is not None
    assert (loads["Z1"].ug_cases, loads["Z1"].breach) == (51, True)
    assert (loads["Z2"].ug_cases, loads["Z2"].breach) == (50, False)
    assert (loads["Z3"].open_cases, loads["Z3"].ug_cases) == (2, 1)
    assert loads["Z4"].open_cases == 0
    assert result.team_average == pytest.approx((51 + 50 + 1) / 3)  # Z4 has no UG case: not counted
    assert result.team_breach is False
    assert loads["Z1"].overdue > 0  # UG-OFFER-8W etc. are overdue on 2024-03-04 + …


def test_team_breach_when_average_over_50() -> None:
    cases = _ug_cases("Z1", 52) + _ug_cases("Z2", 51)
    result = evaluate_advisors(Portfolio(cases=tuple(cases)), D(2024, 3, 1))
    assert result.team_average == 51.5 and result.team_breach


def test_team_average_of_exactly_50_is_not_a_breach() -> None:
    """PORTFOLIO-CAP-50: «> 50» is a breach; an average of exactly 50 (49 and 51) is not, while
    the advisor with 51 is."""
    cases = _ug_cases("Z1", 49) + _ug_cases("Z2", 51)
    result = evaluate_advisors(Portfolio(cases=tuple(cases)), D(2024, 3, 1))
    loads = {a.advisor: a for a in result.advisors}
    assert result.team_average == 50 and result.team_breach is False
    assert loads["Z2"].breach and not loads["Z1"].breach


def test_no_cap_in_2023() -> None:
    cases = _ug_cases("Z1", 60, D(2023, 1, 9))
    result = evaluate_advisors(Portfolio(cases=tuple(cases)), D(2023, 3, 1))
    assert result.cap is None and not result.team_breach
    assert not result.advisors[0].breach and result.advisors[0].ug_cases == 60


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2023, 3, 1), [("QUALITY-REVIEW-AAP", D(2023, 3, 31), 30, "upcoming"),
                         ("QUALITY-REVIEW-YOUTH", D(2023, 10, 31), 244, "upcoming")]),
        (D(2024, 4, 23), [("QUALITY-REVIEW-AAP", D(2024, 4, 30), 7, "due_soon"),
                          ("QUALITY-REVIEW-YOUTH", D(2024, 10, 31), 191, "upcoming")]),
        (D(2024, 11, 1), [("QUALITY-REVIEW-AAP", D(2024, 4, 30), -185, "overdue"),
                          ("QUALITY-REVIEW-YOUTH", D(2024, 10, 31), -1, "overdue")]),
        # On the due day itself (0 days left: due soon) and the day after (overdue), both years.
        (D(2023, 3, 31), [("QUALITY-REVIEW-AAP", D(2023, 3, 31), 0, "due_soon"),
                          ("QUALITY-REVIEW-YOUTH", D(2023, 10, 31), 214, "upcoming")]),
        (D(2023, 4, 1), [("QUALITY-REVIEW-AAP", D(2023, 3, 31), -1, "overdue"),
                         ("QUALITY-REVIEW-YOUTH", D(2023, 10, 31), 213, "upcoming")]),
        (D(2024, 4, 30), [("QUALITY-REVIEW-AAP", D(2024, 4, 30), 0, "due_soon"),
                          ("QUALITY-REVIEW-YOUTH", D(2024, 10, 31), 184, "upcoming")]),
        (D(2023, 10, 31), [("QUALITY-REVIEW-AAP", D(2023, 3, 31), -214, "overdue"),
                           ("QUALITY-REVIEW-YOUTH", D(2023, 10, 31), 0, "due_soon")]),
        (D(2023, 11, 1), [("QUALITY-REVIEW-AAP", D(2023, 3, 31), -215, "overdue"),
                          ("QUALITY-REVIEW-YOUTH", D(2023, 10, 31), -1, "overdue")]),
        (D(2024, 10, 31), [("QUALITY-REVIEW-AAP", D(2024, 4, 30), -184, "overdue"),
                           ("QUALITY-REVIEW-YOUTH", D(2024, 10, 31), 0, "due_soon")]),
    ],
)
def test_office_deadlines(as_of: D, expected: list[tuple[str, D, int, str]]) -> None:
    found = office_deadlines(as_of)
    assert [(d.rule, d.due, d.days_left, d.status.value) for d in found] == expected
    assert all(not d.carried_over for d in found)


def test_office_deadlines_carried_over_after_last_letter() -> None:
    found = office_deadlines(D(2025, 4, 30))
    assert found[0].due == D(2025, 4, 30) and found[0].status is Status.DUE_SOON and found[0].carried_over
