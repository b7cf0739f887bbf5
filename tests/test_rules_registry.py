"""Rulesets as data: choice by as_of, the 2023→2024 switch, a new letter from a temporary
directory, the quotes against the letters, and the local settings."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from navoppfolging import resources_path
from navoppfolging.errors import ValidationError
from navoppfolging.rules import KNOWN_RULES, LocalSettings, RulesetRegistry, evaluate, latest_letter_year, ruleset_for
from tests.rules_builders import D, benefits, case, held, items, ug

RULESET_DIR = resources_path() / "rulesets"
# The letters are kept in the repository (docs/reference/) so this check runs in CI too.
REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference"


def _raw(name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((RULESET_DIR / name).read_text(encoding="utf-8"))


def test_ruleset_chosen_by_as_of_and_switch_at_new_year() -> None:
    assert ruleset_for(D(2023, 1, 1)).id == "MDB-2023"
    assert ruleset_for(D(2023, 12, 31)).id == "MDB-2023"
    assert ruleset_for(D(2024, 1, 1)).id == "MDB-2024"
    assert ruleset_for(D(2024, 1, 1)).year == 2024
    assert "2024" in ruleset_for(D(2024, 1, 1)).title
    # The newest letter stays in force until a newer file exists.
    assert ruleset_for(D(2027, 6, 1)).id == "MDB-2024"


def test_as_of_before_2023_is_a_clear_error() -> None:
    with pytest.raises(ValidationError) as info:
        evaluate(case(), D(2022, 12, 31))
    assert "01.01.2023" in str(info.value) and "Ingen regler" in str(info.value)


def test_evaluation_switches_rules_at_2024_01_01() -> None:
    c = case(registered_on=D(2023, 1, 10), benefits=benefits(dp_end=D(2024, 3, 1)))
    before = evaluate(c, D(2023, 12, 31))
    after = evaluate(c, D(2024, 1, 1))
    assert before.ruleset.id == "MDB-2023" and after.ruleset.id == "MDB-2024"
    assert {i.rule for i in before.items} == {"DP-26W-LEFT"}
    assert {i.rule for i in after.items} == {"LONGTERM-REASSESS-6M"}
    assert [f.flag for f in before.flags] == ["PRIORITY-LONGTERM"]
    assert [f.flag for f in after.flags] == ["PRIORITY-DP-END"]


def test_both_rulesets_declare_every_rule_of_their_year() -> None:
    ids_2023 = {r["id"] for r in _raw("mdb-2023.json")["rules"]}
    ids_2024 = {r["id"] for r in _raw("mdb-2024.json")["rules"]}
    common = {"UG-OFFER-8W", "UG-STANDARD-REASSESS-8W", "CONTACT-30D", "UG-AGE-OUT", "AAP-ACTIVITY-26W",
              "AAP-APPLICATION-5W", "SICK-NO-EMPLOYER-12W", "PLAN-MISSING", "ACTIVITY-EXPIRED", "INTERPRETER-BOOK",
              "LANDGRUPPE-3", "UKRAINA", "KVP", "IPS", "AMS", "QUALITY-REVIEW-AAP", "QUALITY-REVIEW-YOUTH"}
    assert ids_2023 == common | {"DP-26W-LEFT", "AAP-END-INFO", "PRIORITY-LONGTERM"}
    assert ids_2024 == common | {"LONGTERM-REASSESS-6M", "OMSTILLING-6M", "PRIORITY-DP-END", "PORTFOLIO-CAP-50"}
    assert ids_2023 | ids_2024 == set(KNOWN_RULES)
    for name in ("mdb-2023.json", "mdb-2024.json"):
        for rule in _raw(name)["rules"]:
            assert rule["title"] and rule["source"]["quote"] and rule["source"]["section"]
            if rule["kind"] in ("case", "activity", "contact"):
                assert rule["satisfied_by"]
        expired = next(r for r in _raw(name)["rules"] if r["id"] == "ACTIVITY-EXPIRED")
        assert expired["letter_rule"] is False


def _normalise(text: str) -> str:
    text = re.sub(r"<sup>.*?</sup>|<[^>]+>|[¹²³]|\*", "", text)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("name", ["mdb-2023.json", "mdb-2024.json"])
def test_quotes_are_verbatim_from_the_letters(name: str) -> None:
    letters = {
        "MDB-2023": _normalise((REFERENCE / "mdb-2023.md").read_text(encoding="utf-8")),
        "MDB-2024": _normalise((REFERENCE / "mdb-2024.md").read_text(encoding="utf-8")),
        "nav-kontor-anbefalinger": _normalise((REFERENCE / "nav-kontor-anbefalinger.txt").read_text(encoding="utf-8")),
    }
    raw = _raw(name)
    sources = [r["source"] for r in raw["rules"]] + [raw["definitions"]["target_group"]["source"]]
    sources += [r[k] for r in raw["rules"] for k in ("definition_source", "related_source") if k in r]
    checked = 0
    for source in sources:
        if source["letter"] not in letters:
            continue
        for part in source["quote"].split("…"):
            part = _normalise(part).strip(" .:")
            assert part in letters[source["letter"]], (source["letter"], part)
            checked += 1
    assert checked >= 15


def _write_2025(directory: Path, *, contact_days: int = 21) -> None:
    raw = _raw("mdb-2024.json")
    raw.update(id="MDB-2025", year=2025, title="Mål- og disponeringsbrev 2025 til NAV Fylke/Region",
               effective_from="2025-01-01", effective_to=None, letter_date="2025-02-15")
    for rule in raw["rules"]:
        if rule["id"] == "CONTACT-30D":
            rule["parameters"]["days"] = contact_days
            rule["source"]["letter"] = "MDB-2025"
    (directory / "mdb-2025.json").write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def test_a_new_letter_from_another_directory_is_chosen_from_its_start(tmp_path: Path) -> None:
    _write_2025(tmp_path)
    registry = RulesetRegistry.load(tmp_path)
    assert [r.id for r in registry.rulesets] == ["MDB-2023", "MDB-2024", "MDB-2025"]
    assert ruleset_for(D(2024, 12, 31), registry).id == "MDB-2024"
    assert ruleset_for(D(2025, 1, 1), registry).id == "MDB-2025"
    c = ug(D(2024, 11, 1), contacts=(held(D(2024, 12, 20)),))
    old = [i for i in evaluate(c, D(2024, 12, 31), registry=registry).items if i.rule == "CONTACT-30D"]
    new = [i for i in evaluate(c, D(2025, 1, 2), registry=registry).items if i.rule == "CONTACT-30D"]
    assert old[0].due == D(2025, 1, 19)
    assert new[0].due == D(2025, 1, 10) and new[0].source.letter == "MDB-2025"
    # The default registry is unchanged.
    assert ruleset_for(D(2025, 1, 1)).id == "MDB-2024"
    # «Siste kjente brev» (window, Om dialog) is read off the files, not written into the code.
    assert latest_letter_year(registry) == 2025
    assert latest_letter_year() == 2024


def test_broken_or_duplicate_ruleset_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "copy.json").write_text((RULESET_DIR / "mdb-2024.json").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ValidationError, match="flere ganger"):
        RulesetRegistry.load(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    raw = _raw("mdb-2024.json")
    raw["id"] = "MDB-2026"
    raw["rules"].append({"id": "NEW-RULE", "kind": "case", "title": "x", "source": {"letter": "x", "quote": "x"}})
    (bad / "mdb-2026.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValidationError, match="ukjent regel"):
        RulesetRegistry.load(bad)
    missing = tmp_path / "missing"
    missing.mkdir()
    raw = _raw("mdb-2024.json")
    raw["id"] = "MDB-2027"
    next(r for r in raw["rules"] if r["id"] == "UG-OFFER-8W")["parameters"] = {}
    (missing / "x.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ValidationError, match="days"):
        RulesetRegistry.load(missing)


def test_local_settings_definitions_are_labelled_local_with_defaults() -> None:
    definitions = {d.key: d for d in LocalSettings.definitions()}
    assert set(definitions) == {"AAP-END-INFO.days", "INTERPRETER-BOOK.days"}
    assert definitions["AAP-END-INFO.days"].default == 90
    assert definitions["INTERPRETER-BOOK.days"].default == 7
    assert all("lokal innstilling" in d.label for d in definitions.values())


def test_local_settings_from_mapping_validates_its_own_keys_only() -> None:
    settings = LocalSettings.from_mapping({"AAP-END-INFO.days": "45", "INTERPRETER-BOOK.days": "", "ui.theme": "dark"})
    assert settings.get("AAP-END-INFO.days") == 45
    assert settings.get("INTERPRETER-BOOK.days") is None
    assert settings.value("INTERPRETER-BOOK.days", ruleset_for(D(2024, 1, 1))) == 7
    assert settings.to_mapping() == {"AAP-END-INFO.days": "45"}
    with pytest.raises(ValidationError, match="INTERPRETER-BOOK.days"):
        LocalSettings.from_mapping({"INTERPRETER-BOOK.days": "sju"})
    with pytest.raises(ValidationError, match="mellom"):
        LocalSettings.from_mapping({"AAP-END-INFO.days": "-1"})


def test_items_carry_ruleset_year_specific_sources() -> None:
    c = ug(D(2023, 6, 1))
    assert items(c, D(2023, 6, 2), "CONTACT-30D")[0].source.letter == "MDB-2023"
    assert items(c, D(2024, 1, 2), "UG-AGE-OUT")[0].source.letter == "MDB-2024"


# --- the parameters the engine reads come from the file, not from code ----------------------------

def _variant(change) -> RulesetRegistry:  # type: ignore[no-untyped-def]
    """The 2024 letter as a registry of its own, with ``change(raw_rules_by_id, raw)`` applied."""
    from navoppfolging.rules.registry import parse_ruleset

    raw = _raw("mdb-2024.json")
    change({r["id"]: r for r in raw["rules"]}, raw)
    return RulesetRegistry((parse_ruleset(raw, path="variant"),))


def _rules(c, as_of, registry, rule):  # type: ignore[no-untyped-def]
    return [i for i in evaluate(c, as_of, registry=registry).items if i.rule == rule]


def test_plan_missing_groups_and_plan_statuses_come_from_the_file() -> None:
    from navoppfolging.domain import ActivityCategory as Cat, ActivityStatus as St, Innsatsgruppe as Ig
    from tests.rules_builders import activity, assess

    as_of = D(2024, 6, 3)
    standard = case(assessments=(assess(D(2024, 3, 1), Ig.STANDARD_INNSATS),))
    suggested_only = case(assessments=(assess(D(2024, 3, 1), Ig.SITUASJONSBESTEMT_INNSATS),),
                          activities=(activity("a1", Cat.ARBEID, St.FORSLAG),))
    planned = case(assessments=(assess(D(2024, 3, 1), Ig.SITUASJONSBESTEMT_INNSATS),),
                   activities=(activity("a1", Cat.ARBEID, St.PLANLAGT),))
    default = RulesetRegistry((ruleset_for(as_of),))
    assert _rules(standard, as_of, default, "PLAN-MISSING") == []
    assert len(_rules(suggested_only, as_of, default, "PLAN-MISSING")) == 1
    assert _rules(planned, as_of, default, "PLAN-MISSING") == []

    def no_exemption_and_planned_is_no_plan(rules, _raw):  # type: ignore[no-untyped-def]
        rules["PLAN-MISSING"]["parameters"] = {"innsatsgrupper_excluded": [],
                                               "plan_statuses_excluded": ["FORSLAG", "PLANLAGT"]}
    variant = _variant(no_exemption_and_planned_is_no_plan)
    assert len(_rules(standard, as_of, variant, "PLAN-MISSING")) == 1
    assert len(_rules(planned, as_of, variant, "PLAN-MISSING")) == 1


def test_in_activity_statuses_expiring_statuses_and_age_out_minimum_come_from_the_file() -> None:
    from navoppfolging.domain import ActivityCategory as Cat, ActivityStatus as St, Innsatsgruppe as Ig
    from tests.rules_builders import activity, assess

    as_of = D(2024, 6, 3)
    default = RulesetRegistry((ruleset_for(as_of),))
    # UG-STANDARD-REASSESS-8W is satisfied by a completed work activity, by default.
    standard = case(registered_on=D(2024, 1, 2), assessments=(assess(D(2024, 1, 2), Ig.STANDARD_INNSATS),),
                    activities=(activity("a1", Cat.ARBEID, St.FULLFORT, D(2024, 2, 1)),
                                activity("a2", Cat.BEHANDLING, St.GJENNOMFORES, D(2024, 2, 1), D(2024, 5, 1))))
    assert _rules(standard, as_of, default, "UG-STANDARD-REASSESS-8W") == []
    assert [i.activity for i in _rules(standard, as_of, default, "ACTIVITY-EXPIRED")] == ["a2"]
    young = case(birth=D(2007, 1, 1), registered_on=D(2024, 1, 2),
                 assessments=(assess(D(2024, 1, 2), Ig.SITUASJONSBESTEMT_INNSATS),))  # 17 on as_of
    assert len(_rules(young, as_of, default, "UG-AGE-OUT")) == 1

    def change(rules, raw):  # type: ignore[no-untyped-def]
        raw["definitions"]["in_activity_statuses"] = ["GJENNOMFORES"]
        rules["ACTIVITY-EXPIRED"]["parameters"]["statuses"] = ["PLANLAGT"]
        rules["UG-AGE-OUT"]["parameters"]["min_age"] = 18
    variant = _variant(change)
    assert len(_rules(standard, as_of, variant, "UG-STANDARD-REASSESS-8W")) == 1
    assert _rules(standard, as_of, variant, "ACTIVITY-EXPIRED") == []
    assert _rules(young, as_of, variant, "UG-AGE-OUT") == []


def test_a_case_flag_rule_is_raised_by_the_flag_its_file_names() -> None:
    from navoppfolging.domain import Flag

    as_of = D(2024, 6, 3)
    c = case(flags=(Flag.KVP,))
    assert [f.flag for f in evaluate(c, as_of).flags if f.flag in ("KVP", "UKRAINA")] == ["KVP"]

    def kvp_rule_reads_ukraina(rules, _raw):  # type: ignore[no-untyped-def]
        rules["KVP"]["parameters"]["case_flag"] = "UKRAINA"
    variant = _variant(kvp_rule_reads_ukraina)
    assert [f.flag for f in evaluate(c, as_of, registry=variant).flags if f.flag in ("KVP", "UKRAINA")] == []
    u = case(flags=(Flag.UKRAINA,))
    assert sorted(f.flag for f in evaluate(u, as_of, registry=variant).flags) == ["KVP", "UKRAINA"]


@pytest.mark.parametrize(("rule", "parameter"), [("UG-AGE-OUT", "min_age"), ("PLAN-MISSING", "plan_statuses_excluded"),
                                                 ("OMSTILLING-6M", "plan_statuses_excluded"),
                                                 ("ACTIVITY-EXPIRED", "statuses")])
def test_a_missing_rule_parameter_is_refused_at_load(rule: str, parameter: str) -> None:
    def drop(rules, _raw):  # type: ignore[no-untyped-def]
        del rules[rule]["parameters"][parameter]
    with pytest.raises(ValidationError, match=f"{rule}: mangler parameter '{parameter}'"):
        _variant(drop)


def test_in_activity_statuses_are_required() -> None:
    def drop(_rules, raw):  # type: ignore[no-untyped-def]
        del raw["definitions"]["in_activity_statuses"]
    with pytest.raises(ValidationError, match="in_activity_statuses"):
        _variant(drop)


def test_the_team_sql_gets_the_files_values_or_leaves_the_counting_to_the_engine() -> None:
    from navoppfolging.workload import sql_rule_arguments

    args = sql_rule_arguments(ruleset_for(D(2024, 6, 3)))
    assert args is not None
    assert args["p_not_plan_statuses"] == ["FORSLAG"] and args["p_plan_missing_excluded_groups"] == ["STANDARD_INNSATS"]
    assert args["p_in_activity_statuses"] == ["FULLFORT", "GJENNOMFORES"]
    assert args["p_expirable_statuses"] == ["GJENNOMFORES", "PLANLAGT"]

    def narrower(rules, raw):  # type: ignore[no-untyped-def]
        rules["PLAN-MISSING"]["parameters"]["innsatsgrupper_excluded"] = []
        rules["ACTIVITY-EXPIRED"]["parameters"]["statuses"] = ["PLANLAGT"]
    args = sql_rule_arguments(_variant(narrower).rulesets[0])
    assert args is not None and args["p_plan_missing_excluded_groups"] == [] and args["p_expirable_statuses"] == ["PLANLAGT"]

    def apart(rules, _raw):  # type: ignore[no-untyped-def]
        rules["OMSTILLING-6M"]["parameters"]["plan_statuses_excluded"] = ["FORSLAG", "AVBRUTT"]
    assert sql_rule_arguments(_variant(apart).rulesets[0]) is None

    def older(rules, _raw):  # type: ignore[no-untyped-def]
        rules["UG-AGE-OUT"]["parameters"]["min_age"] = 18
    assert sql_rule_arguments(_variant(older).rulesets[0]) is None
