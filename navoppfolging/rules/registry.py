"""Loading the rulesets (one JSON file per letter) and choosing the one in force for ``as_of``.

The files are read once per registry; ``RulesetRegistry.default()`` is cached, so evaluation
itself never touches the disk. A new letter is a new file: the engine knows the rule IDs, the
file gives parameters, citations and effective dates.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from navoppfolging.dates import parse_iso
from navoppfolging.rules.facts import fmt
from navoppfolging.domain import ActivityCategory, ActivityStatus, ExceptionKind, Innsatsgruppe
from navoppfolging.errors import Problem, ValidationError
from navoppfolging.rules.model import (
    Citation,
    LocalSettingDefinition,
    RuleDef,
    RuleKind,
    Ruleset,
    TargetGroup,
)

# Every rule ID the engine implements, with its kind. A ruleset file may use any subset; an
# unknown ID is an error, because a rule without code would silently never fire.
KNOWN_RULES: dict[str, RuleKind] = {
    "UG-OFFER-8W": RuleKind.CASE,
    "UG-STANDARD-REASSESS-8W": RuleKind.CASE,
    "CONTACT-30D": RuleKind.CASE,
    "UG-AGE-OUT": RuleKind.CASE,
    "LONGTERM-REASSESS-6M": RuleKind.CASE,
    "DP-26W-LEFT": RuleKind.CASE,
    "AAP-ACTIVITY-26W": RuleKind.CASE,
    "AAP-APPLICATION-5W": RuleKind.CASE,
    "AAP-END-INFO": RuleKind.CASE,
    "SICK-NO-EMPLOYER-12W": RuleKind.CASE,
    "OMSTILLING-6M": RuleKind.CASE,
    "PLAN-MISSING": RuleKind.CASE,
    "ACTIVITY-EXPIRED": RuleKind.ACTIVITY,
    "INTERPRETER-BOOK": RuleKind.CONTACT,
    "PRIORITY-LONGTERM": RuleKind.FLAG,
    "PRIORITY-DP-END": RuleKind.FLAG,
    "LANDGRUPPE-3": RuleKind.FLAG,
    "UKRAINA": RuleKind.FLAG,
    "KVP": RuleKind.FLAG,
    "IPS": RuleKind.FLAG,
    "AMS": RuleKind.FLAG,
    "PORTFOLIO-CAP-50": RuleKind.ADVISOR,
    "QUALITY-REVIEW-AAP": RuleKind.OFFICE,
    "QUALITY-REVIEW-YOUTH": RuleKind.OFFICE,
}

EARLIEST_SUPPORTED = dt.date(2023, 1, 1)


def _date(value: object, where: str) -> dt.date:
    if not isinstance(value, str):
        raise ValueError(f"{where}: mangler dato")
    return parse_iso(value)


def _citation(raw: Mapping[str, Any]) -> Citation:
    return Citation(letter=str(raw["letter"]), section=str(raw.get("section", "")), quote=str(raw["quote"]))


def _rule(raw: Mapping[str, Any]) -> RuleDef:
    rule_id = str(raw["id"])
    kind = RuleKind(raw["kind"])
    if rule_id not in KNOWN_RULES:
        raise ValueError(f"ukjent regel {rule_id!r}")
    if KNOWN_RULES[rule_id] is not kind:
        raise ValueError(f"{rule_id}: feil type {kind.value!r}")
    params: Mapping[str, Any] = raw.get("parameters", {})
    categories = frozenset(ActivityCategory(c) for c in params.get("categories", ()))
    groups = frozenset(Innsatsgruppe(g) for g in params.get("innsatsgrupper", ()))
    return RuleDef(
        id=rule_id,
        kind=kind,
        title=str(raw["title"]),
        source=_citation(raw["source"]),
        letter_rule=bool(raw.get("letter_rule", True)),
        satisfied_by=str(raw.get("satisfied_by", "")),
        applies_to=str(raw.get("applies_to", "")),
        due_text=str(raw.get("due", "")),
        days=int(params["days"]) if "days" in params else None,
        months=int(params["months"]) if "months" in params else None,
        categories=categories,
        innsatsgrupper=groups,
        setting=str(params["setting"]) if "setting" in params else None,
        exception_kinds=frozenset(ExceptionKind(k) for k in raw.get("exceptions", ())),
        interpretation=tuple(str(t) for t in raw.get("interpretation", ())),
        month=int(params["month"]) if "month" in params else None,
        day=int(params["day"]) if "day" in params else None,
        cap=int(params["cap"]) if "cap" in params else None,
        age=int(params["age"]) if "age" in params else None,
        min_age=int(params["min_age"]) if "min_age" in params else None,
        innsatsgrupper_excluded=frozenset(Innsatsgruppe(g) for g in params.get("innsatsgrupper_excluded", ())),
        plan_statuses_excluded=frozenset(ActivityStatus(x) for x in params.get("plan_statuses_excluded", ())),
        statuses=frozenset(ActivityStatus(x) for x in params.get("statuses", ())),
        case_flag=str(params["case_flag"]) if "case_flag" in params else None,
    )


# Parameters each rule needs; checked at load time so evaluation never meets a missing one.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "UG-OFFER-8W": ("days",),
    "UG-STANDARD-REASSESS-8W": ("days", "categories", "innsatsgrupper"),
    "CONTACT-30D": ("days",),
    "UG-AGE-OUT": ("age", "min_age", "innsatsgrupper"),
    "LONGTERM-REASSESS-6M": ("months", "categories"),
    "DP-26W-LEFT": ("days",),
    "AAP-ACTIVITY-26W": ("days", "categories"),
    "AAP-APPLICATION-5W": ("days",),
    "AAP-END-INFO": ("setting",),
    "SICK-NO-EMPLOYER-12W": ("days",),
    "OMSTILLING-6M": ("months", "plan_statuses_excluded"),
    "PLAN-MISSING": ("plan_statuses_excluded",),
    "ACTIVITY-EXPIRED": ("statuses",),
    "INTERPRETER-BOOK": ("setting",),
    "PRIORITY-LONGTERM": ("months",),
    "PRIORITY-DP-END": ("days",),
    "PORTFOLIO-CAP-50": ("cap",),
    "QUALITY-REVIEW-AAP": ("month", "day"),
    "QUALITY-REVIEW-YOUTH": ("month", "day"),
}


def parse_ruleset(raw: Mapping[str, Any], *, path: str = "") -> Ruleset:
    """Build a ``Ruleset`` from a parsed file; raises ``ValidationError`` naming the file."""
    where = path or str(raw.get("id", "regelsett"))
    try:
        if raw.get("format") != "navoppfolging-ruleset":
            raise ValueError("ikke et regelsett (format)")
        rules = tuple(_rule(r) for r in raw["rules"])
        ids = [r.id for r in rules]
        if len(set(ids)) != len(ids):
            raise ValueError("samme regel-ID flere ganger")
        settings = tuple(
            LocalSettingDefinition(
                key=str(s["key"]), rule=str(s["rule"]), label=str(s["label"]), default=int(s["default"]),
                minimum=int(s.get("minimum", 0)), maximum=int(s.get("maximum", 3650)), unit=str(s.get("unit", "dager")),
            )
            for s in raw.get("local_settings", ())
        )
        setting_keys = {s.key for s in settings}
        for rule in rules:
            for name in _REQUIRED.get(rule.id, ()):
                value = getattr(rule, name)
                if value is None or value == frozenset():
                    raise ValueError(f"{rule.id}: mangler parameter {name!r}")
            if rule.setting is not None and rule.setting not in setting_keys:
                raise ValueError(f"{rule.id}: lokal innstilling {rule.setting!r} er ikke deklarert")
        definitions: Mapping[str, Any] = raw["definitions"]
        tg = definitions["target_group"]
        target = TargetGroup(
            min_age=int(tg["min_age"]),
            max_age_exclusive=int(tg["max_age_exclusive"]),
            innsatsgrupper=frozenset(Innsatsgruppe(g) for g in tg["innsatsgrupper"]),
            source=_citation(tg["source"]),
        )
        effective_to = raw.get("effective_to")
        return Ruleset(
            id=str(raw["id"]),
            year=int(raw["year"]),
            title=str(raw["title"]),
            effective_from=_date(raw["effective_from"], "effective_from"),
            effective_to=_date(effective_to, "effective_to") if effective_to is not None else None,
            rules=rules,
            local_settings=settings,
            target_group=target,
            due_soon_days=int(definitions.get("due_soon_days", 7)),
            in_activity_statuses=frozenset(ActivityStatus(x) for x in definitions["in_activity_statuses"]),
            letter_date=_date(raw["letter_date"], "letter_date") if raw.get("letter_date") else None,
            note=str(raw.get("effective_note", "")),
            path=path,
            _by_id={r.id: r for r in rules},
        )
    except (KeyError, ValueError, TypeError) as exc:
        raise ValidationError([Problem(where, f"ugyldig regelsett: {exc}")]) from None


@dataclass(frozen=True, slots=True)
class RulesetRegistry:
    """All known rulesets, sorted by effective date. Built once; immutable afterwards."""

    rulesets: tuple[Ruleset, ...]

    @classmethod
    def load(cls, *directories: Path | str, include_default: bool = True) -> RulesetRegistry:
        """Read every ``*.json`` in the package's ``rulesets`` directory and in ``directories``.

        A later directory may add a newer letter (a test adds MDB-2025 from a temporary
        directory); the same ruleset ID twice is an error.
        """
        dirs: list[Path] = []
        if include_default:
            dirs.append(default_directory())
        dirs.extend(Path(d) for d in directories)
        found: list[Ruleset] = []
        for directory in dirs:
            for file in sorted(Path(directory).glob("*.json")):
                try:
                    raw = json.loads(file.read_text(encoding="utf-8"))
                except (OSError, json.JSONDecodeError) as exc:
                    raise ValidationError([Problem(str(file), f"kan ikke lese regelsett: {exc}")]) from None
                found.append(parse_ruleset(raw, path=str(file)))
        return cls.of(found)

    @classmethod
    def of(cls, rulesets: Iterable[Ruleset]) -> RulesetRegistry:
        ordered = tuple(sorted(rulesets, key=lambda r: (r.effective_from, r.id)))
        ids = [r.id for r in ordered]
        if len(set(ids)) != len(ids):
            raise ValidationError("Samme regelsett (brev) er lagt inn flere ganger: " + ", ".join(sorted(ids)))
        if not ordered:
            raise ValidationError("Fant ingen regelsett (mål- og disponeringsbrev).")
        return cls(rulesets=ordered)

    @classmethod
    def default(cls) -> RulesetRegistry:
        return _default_registry()

    def for_date(self, as_of: dt.date) -> Ruleset:
        """The ruleset in force on ``as_of``: the newest one whose period contains it.

        The newest letter has no end date, so it stays in force until a newer file exists.
        """
        chosen: Ruleset | None = None
        for ruleset in self.rulesets:
            if ruleset.in_force(as_of):
                chosen = ruleset
        if chosen is None:
            first = self.rulesets[0].effective_from
            raise ValidationError(
                f"Ingen regler for {fmt(as_of)}: de første kjente reglene (mål- og disponeringsbrev "
                f"{self.rulesets[0].year}) gjelder fra {fmt(first)}. Velg en dato fra og med {fmt(first)}."
            )
        return chosen

    def by_id(self, ruleset_id: str) -> Ruleset:
        for ruleset in self.rulesets:
            if ruleset.id == ruleset_id:
                return ruleset
        raise ValidationError(f"Ukjent regelsett: {ruleset_id}")

    @property
    def latest(self) -> Ruleset:
        return self.rulesets[-1]

    def setting_definitions(self) -> tuple[LocalSettingDefinition, ...]:
        """Each local setting once (the newest ruleset's label and default win)."""
        seen: dict[str, LocalSettingDefinition] = {}
        for ruleset in self.rulesets:
            for definition in ruleset.local_settings:
                seen[definition.key] = definition
        return tuple(sorted(seen.values(), key=lambda d: d.key))


def default_directory() -> Path:
    from navoppfolging import resources_path

    return resources_path() / "rulesets"


@lru_cache(maxsize=1)
def _default_registry() -> RulesetRegistry:
    return RulesetRegistry.load()


@dataclass(frozen=True, slots=True)
class LocalSettings:
    """Values of the local settings (the numbers the letters leave open).

    ``overrides`` holds only what the office changed; everything else is the default declared
    in the ruleset in force, so the defaults live in the data, not here.
    """

    overrides: tuple[tuple[str, int], ...] = ()

    def get(self, key: str) -> int | None:
        for name, value in self.overrides:
            if name == key:
                return value
        return None

    def value(self, key: str, ruleset: Ruleset) -> int:
        override = self.get(key)
        if override is not None:
            return override
        default = ruleset.setting_default(key)
        if default is None:
            raise ValidationError(f"Lokal innstilling {key} finnes ikke i {ruleset.id}.")
        return default

    def is_default(self, key: str) -> bool:
        return self.get(key) is None

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, str], *, registry: RulesetRegistry | None = None) -> LocalSettings:
        """Read ``"AAP-END-INFO.days": "60"`` etc.; other keys in the mapping are not ours.

        An empty value means «use the default»; a value that is not a whole number in range is
        an error with a message naming the setting.
        """
        definitions = {d.key: d for d in (registry or RulesetRegistry.default()).setting_definitions()}
        overrides: list[tuple[str, int]] = []
        problems: list[Problem] = []
        for key in sorted(mapping):
            definition = definitions.get(key)
            if definition is None:
                continue
            text = str(mapping[key]).strip()
            if not text:
                continue
            try:
                value = int(text)
            except ValueError:
                problems.append(Problem(key, f"må være et helt tall ({definition.unit}): {text!r}"))
                continue
            if not definition.minimum <= value <= definition.maximum:
                problems.append(Problem(key, f"må være mellom {definition.minimum} og {definition.maximum} {definition.unit}: {value}"))
                continue
            overrides.append((key, value))
        if problems:
            raise ValidationError(problems)
        return cls(overrides=tuple(overrides))

    def to_mapping(self) -> dict[str, str]:
        return {key: str(value) for key, value in self.overrides}

    @classmethod
    def definitions(cls, registry: RulesetRegistry | None = None) -> tuple[LocalSettingDefinition, ...]:
        """Key, label (says «lokal innstilling»), default and range of each setting, for a dialog."""
        return (registry or RulesetRegistry.default()).setting_definitions()


def ruleset_for(as_of: dt.date, registry: RulesetRegistry | None = None) -> Ruleset:
    if not isinstance(as_of, dt.date):
        raise ValidationError(f"Ugyldig dato: {as_of!r}")
    return (registry or RulesetRegistry.default()).for_date(as_of)


def latest_letter_year(registry: RulesetRegistry | None = None) -> int:
    """The year of the newest letter the rulesets know (rules.md: the UI says which it is)."""
    return (registry or RulesetRegistry.default()).latest.year


def rules_of(ruleset: Ruleset, kinds: Sequence[str]) -> tuple[RuleDef, ...]:
    return tuple(r for r in ruleset.rules if r.kind in kinds)
