"""The JSON exchange format, version 1 (portfolio-format.md): parsing with validation that
reports every problem as ``path: message``, and serialisation.

The same field rules (lengths, codes, fødselsnummer) validate what the window saves, through
``validate_case``; the import and the window cannot disagree about what is valid.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Collection, Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from navoppfolging import domain as d
from navoppfolging.dates import parse_hh_mm, parse_iso
from navoppfolging.errors import Problem, ValidationError

FORMAT = "navoppfolging-portfolio"
VERSION = 1

# Maximum lengths, as NAV's own forms have them (portfolio-format.md), plus sensible limits for
# the short fields the contract does not name.
MAX = {
    "name": 200, "goal": 500, "title": 100, "description": 5000, "summary": 5000, "note": 2000,
    "ref": 40, "ident": 20, "unit": 200, "phone": 40, "email": 200, "language": 40,
    "role": 100, "organisation": 200, "place": 200, "text": 2000, "closed_reason": 2000, "id": 40,
}

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")


class _Reader:
    """Collects problems while turning untrusted JSON into domain objects."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def bad(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def obj(self, value: Any, path: str, *, keys: Collection[str]) -> dict[str, Any] | None:
        """``value`` if it is an object; unknown keys are reported. A missing required key is
        reported by the reader of that field (``required=True``), once — not here as well."""
        if not isinstance(value, dict):
            self.bad(path, f"forventet et objekt, fikk {_kind(value)}")
            return None
        for key in value:
            if key not in keys:
                self.bad(_key_path(path, key), "ukjent felt (skrivefeil?)")
        for key in getattr(value, "duplicates", ()):
            self.bad(_key_path(path, key), "står flere ganger i samme objekt (bare én verdi er tillatt)")
        return value

    def text(self, value: Any, path: str, *, limit: str, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.bad(path, "mangler (påkrevd)")
            return None
        if not isinstance(value, str):
            self.bad(path, f"forventet tekst, fikk {_kind(value)}")
            return None
        if required and not value.strip():
            self.bad(path, "kan ikke være tom")
            return None
        if len(value) > MAX[limit]:
            self.bad(path, f"for lang tekst: {len(value)} tegn (maks {MAX[limit]})")
            return None
        if "\x00" in value:
            self.bad(path, "inneholder ugyldige tegn")
            return None
        return value

    def date(self, value: Any, path: str, *, required: bool = False) -> dt.date | None:
        if value is None:
            if required:
                self.bad(path, "mangler (påkrevd)")
            return None
        if not isinstance(value, str):
            self.bad(path, f"forventet dato som tekst ÅÅÅÅ-MM-DD, fikk {_kind(value)}")
            return None
        try:
            return parse_iso(value)
        except ValueError:
            self.bad(path, f"ikke en gyldig dato (ÅÅÅÅ-MM-DD): {_short(value)!r}")
            return None

    def time(self, value: Any, path: str) -> dt.time | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return parse_hh_mm(value)
            except ValueError:
                pass
        self.bad(path, f"ikke et gyldig klokkeslett (TT:MM): {_short(value)!r}")
        return None

    def enum(self, value: Any, path: str, cls: type[E], *, required: bool = False) -> E | None:
        if value is None:
            if required:
                self.bad(path, "mangler (påkrevd)")
            return None
        try:
            return cls(value) if isinstance(value, str) else cls("\x00")
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            self.bad(path, f"ukjent kode {_short(value)!r} (gyldige: {allowed})")
            return None

    def bool(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.bad(path, f"forventet true/false, fikk {_kind(value)}")
            return False
        return value

    def items(self, value: Any, path: str, parse: Callable[[Any, str], T | None]) -> tuple[T, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.bad(path, f"forventet en liste, fikk {_kind(value)}")
            return ()
        out = []
        for i, item in enumerate(value):
            parsed = parse(item, f"{path}[{i}]")
            if parsed is not None:
                out.append(parsed)
        return tuple(out)


class _JsonObject(dict[str, Any]):
    """A JSON object as read by ``read_file``; ``duplicates`` names the keys that occurred more
    than once. ``json`` keeps the last value silently, so ``"name": "Ola", "name": "Kari"`` would
    import as Kari; ``_Reader.obj`` reports each duplicated key instead."""

    duplicates: tuple[str, ...] = ()


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = _JsonObject(pairs)
    if len(obj) != len(pairs):
        counts: dict[str, int] = {}
        for key, _value in pairs:
            counts[key] = counts.get(key, 0) + 1
        obj.duplicates = tuple(key for key, n in counts.items() if n > 1)
    return obj


def _key_path(path: str, key: str) -> str:
    """``cases[0].nmae``; a key that is empty, odd or long is quoted: ``cases[0]["a b"]``."""
    if key.isidentifier() and len(key) <= 40:
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key[:40] + ('…' if len(key) > 40 else ''), ensure_ascii=False)}]"


def _kind(value: Any) -> str:
    return {dict: "objekt", list: "liste", str: "tekst", bool: "true/false", int: "tall", float: "tall", type(None): "null"}.get(
        type(value), type(value).__name__
    )


class _Elided:
    """Stands in for a value too big to quote in a message (its ``!r`` is its kind)."""

    def __init__(self, value: Any) -> None:
        self.kind = _kind(value)

    def __repr__(self) -> str:
        return f"<{self.kind}>"


def _short(value: Any) -> Any:
    """A value as quoted in a message: long text cut, objects and lists (which may be huge or
    nested thousands deep) named by kind, never repr'd whole."""
    if isinstance(value, str):
        return value[:40] + "…" if len(value) > 40 else value
    if isinstance(value, (dict, list)):
        return _Elided(value)
    if isinstance(value, (int, float)) and len(repr(value)) > 40:
        return _Elided(value)
    return value


# --- parsing -----------------------------------------------------------------------------------


def _advisor(r: _Reader, v: Any, path: str) -> d.Advisor | None:
    o = r.obj(v, path, keys=("ident", "name", "unit", "role", "phone", "email"))
    if o is None:
        return None
    n = len(r.problems)
    adv = d.Advisor(
        ident=d.AdvisorIdent(r.text(o.get("ident"), f"{path}.ident", limit="ident", required=True) or ""),
        name=r.text(o.get("name"), f"{path}.name", limit="name", required=True) or "",
        unit=r.text(o.get("unit"), f"{path}.unit", limit="unit"),
        role=r.enum(o.get("role"), f"{path}.role", d.Role),  # None: keep the stored role (d.Advisor)
        phone=r.text(o.get("phone"), f"{path}.phone", limit="phone"),
        email=r.text(o.get("email"), f"{path}.email", limit="email"),
    )
    return adv if len(r.problems) == n else None


def _case(r: _Reader, v: Any, path: str) -> d.Case | None:
    o = r.obj(
        v, path,
        keys=("ref", "advisor", "name", "birth_date", "fnr", "phone", "email", "language", "needs_interpreter",
              "flags", "registered_on", "follow_up_offered_on", "goal", "hovedmal", "benefits",
              "sick_leave_without_employer", "assessments", "contacts", "activities", "reminders", "exceptions",
              "external_contacts", "closed_on", "closed_reason"),
    )
    if o is None:
        return None
    n = len(r.problems)
    benefits = _benefits(r, o.get("benefits"), f"{path}.benefits")
    sick = None
    s = o.get("sick_leave_without_employer")
    if s is not None:
        so = r.obj(s, f"{path}.sick_leave_without_employer", keys=("start",))
        if so is not None:
            sick = r.date(so.get("start"), f"{path}.sick_leave_without_employer.start")
    case = d.Case(
        ref=d.CaseRef(r.text(o.get("ref"), f"{path}.ref", limit="ref", required=True) or ""),
        advisor=d.AdvisorIdent(r.text(o.get("advisor"), f"{path}.advisor", limit="ident", required=True) or ""),
        name=r.text(o.get("name"), f"{path}.name", limit="name", required=True) or "",
        birth_date=r.date(o.get("birth_date"), f"{path}.birth_date", required=True) or dt.date.min,
        fnr=r.text(o.get("fnr"), f"{path}.fnr", limit="phone"),
        phone=r.text(o.get("phone"), f"{path}.phone", limit="phone"),
        email=r.text(o.get("email"), f"{path}.email", limit="email"),
        language=r.text(o.get("language"), f"{path}.language", limit="language"),
        needs_interpreter=r.bool(o.get("needs_interpreter"), f"{path}.needs_interpreter"),
        flags=r.items(o.get("flags"), f"{path}.flags", lambda x, p: r.enum(x, p, d.Flag, required=True)),
        registered_on=r.date(o.get("registered_on"), f"{path}.registered_on"),
        follow_up_offered_on=r.date(o.get("follow_up_offered_on"), f"{path}.follow_up_offered_on"),
        goal=r.text(o.get("goal"), f"{path}.goal", limit="goal"),
        hovedmal=r.enum(o.get("hovedmal"), f"{path}.hovedmal", d.Hovedmal),
        benefits=benefits or d.Benefits(),
        sick_leave_start=sick,
        assessments=r.items(o.get("assessments"), f"{path}.assessments", lambda x, p: _assessment(r, x, p)),
        contacts=r.items(o.get("contacts"), f"{path}.contacts", lambda x, p: _contact(r, x, p)),
        activities=r.items(o.get("activities"), f"{path}.activities", lambda x, p: _activity(r, x, p)),
        reminders=r.items(o.get("reminders"), f"{path}.reminders", lambda x, p: _reminder(r, x, p)),
        exceptions=r.items(o.get("exceptions"), f"{path}.exceptions", lambda x, p: _exception(r, x, p)),
        external_contacts=r.items(o.get("external_contacts"), f"{path}.external_contacts", lambda x, p: _external(r, x, p)),
        closed_on=r.date(o.get("closed_on"), f"{path}.closed_on"),
        closed_reason=r.text(o.get("closed_reason"), f"{path}.closed_reason", limit="closed_reason"),
    )
    # Cross-field checks run even when a field failed, so one pass reports everything — but a
    # field that already has a problem is not reported again: a failed field is left empty in
    # ``case`` («navn kan ikke være tomt» after «for lang tekst» would be false).
    reported = {p.path for p in r.problems[n:]}
    r.problems.extend(p for p in validate_case(case, path) if p.path not in reported)
    return case if len(r.problems) == n else None


def _benefits(r: _Reader, v: Any, path: str) -> d.Benefits | None:
    if v is None:
        return None
    o = r.obj(v, path, keys=("dagpenger", "aap", "omstillingsstonad"))
    if o is None:
        return None
    dp, aap, om = o.get("dagpenger"), o.get("aap"), o.get("omstillingsstonad")
    dagpenger = d.Dagpenger()
    if dp is not None and (dpo := r.obj(dp, f"{path}.dagpenger", keys=("end",))) is not None:
        dagpenger = d.Dagpenger(end=r.date(dpo.get("end"), f"{path}.dagpenger.end"))
    aap_v = d.Aap()
    if aap is not None and (ao := r.obj(aap, f"{path}.aap", keys=("applied_on", "decided_on", "start", "end"))) is not None:
        aap_v = d.Aap(**{k: r.date(ao.get(k), f"{path}.aap.{k}") for k in ("applied_on", "decided_on", "start", "end")})
    oms = d.Omstillingsstonad()
    if om is not None and (oo := r.obj(om, f"{path}.omstillingsstonad", keys=("death_date",))) is not None:
        oms = d.Omstillingsstonad(death_date=r.date(oo.get("death_date"), f"{path}.omstillingsstonad.death_date"))
    return d.Benefits(dagpenger=dagpenger, aap=aap_v, omstillingsstonad=oms)


def _item_id(r: _Reader, v: Any, path: str) -> d.ItemId:
    return d.ItemId(r.text(v, path, limit="id", required=True) or "")


def _assessment(r: _Reader, v: Any, path: str) -> d.Assessment | None:
    o = r.obj(v, path, keys=("date", "innsatsgruppe", "note"))
    if o is None:
        return None
    date = r.date(o.get("date"), f"{path}.date", required=True)
    group = r.enum(o.get("innsatsgruppe"), f"{path}.innsatsgruppe", d.Innsatsgruppe, required=True)
    note = r.text(o.get("note"), f"{path}.note", limit="note")
    return d.Assessment(date=date, innsatsgruppe=group, note=note) if date and group else None


def _contact(r: _Reader, v: Any, path: str) -> d.Contact | None:
    o = r.obj(v, path, keys=("id", "date", "channel", "status", "summary", "interpreter_booked", "time", "place"))
    if o is None:
        return None
    n = len(r.problems)
    c = d.Contact(
        id=_item_id(r, o.get("id"), f"{path}.id"),
        date=r.date(o.get("date"), f"{path}.date", required=True) or dt.date.min,
        channel=r.enum(o.get("channel"), f"{path}.channel", d.Channel, required=True) or d.Channel.OPPMOTE,
        status=r.enum(o.get("status"), f"{path}.status", d.ContactStatus, required=True) or d.ContactStatus.PLANLAGT,
        summary=r.text(o.get("summary"), f"{path}.summary", limit="summary") or "",
        interpreter_booked=r.bool(o.get("interpreter_booked"), f"{path}.interpreter_booked"),
        time=r.time(o.get("time"), f"{path}.time"),
        place=r.text(o.get("place"), f"{path}.place", limit="place"),
    )
    return c if len(r.problems) == n else None


def _activity(r: _Reader, v: Any, path: str) -> d.Activity | None:
    o = r.obj(v, path, keys=("id", "title", "category", "status", "start", "end", "responsible", "description"))
    if o is None:
        return None
    n = len(r.problems)
    a = d.Activity(
        id=_item_id(r, o.get("id"), f"{path}.id"),
        title=r.text(o.get("title"), f"{path}.title", limit="title", required=True) or "",
        category=r.enum(o.get("category"), f"{path}.category", d.ActivityCategory, required=True) or d.ActivityCategory.JOBBSOKING,
        status=r.enum(o.get("status"), f"{path}.status", d.ActivityStatus, required=True) or d.ActivityStatus.FORSLAG,
        start=r.date(o.get("start"), f"{path}.start"),
        end=r.date(o.get("end"), f"{path}.end"),
        responsible=r.enum(o.get("responsible"), f"{path}.responsible", d.Responsible),  # null: not decided
        description=r.text(o.get("description"), f"{path}.description", limit="description") or "",
    )
    return a if len(r.problems) == n else None


def _reminder(r: _Reader, v: Any, path: str) -> d.Reminder | None:
    o = r.obj(v, path, keys=("id", "date", "text", "done"))
    if o is None:
        return None
    n = len(r.problems)
    h = d.Reminder(
        id=_item_id(r, o.get("id"), f"{path}.id"),
        date=r.date(o.get("date"), f"{path}.date", required=True) or dt.date.min,
        text=r.text(o.get("text"), f"{path}.text", limit="text", required=True) or "",
        done=r.bool(o.get("done"), f"{path}.done"),
    )
    return h if len(r.problems) == n else None


def _exception(r: _Reader, v: Any, path: str) -> d.RecordedException | None:
    o = r.obj(v, path, keys=("id", "date", "kind", "note"))
    if o is None:
        return None
    n = len(r.problems)
    e = d.RecordedException(
        id=_item_id(r, o.get("id"), f"{path}.id"),
        date=r.date(o.get("date"), f"{path}.date", required=True) or dt.date.min,
        kind=r.enum(o.get("kind"), f"{path}.kind", d.ExceptionKind, required=True) or d.ExceptionKind.ANNET,
        note=r.text(o.get("note"), f"{path}.note", limit="note") or "",
    )
    return e if len(r.problems) == n else None


def _external(r: _Reader, v: Any, path: str) -> d.ExternalContact | None:
    o = r.obj(v, path, keys=("role", "name", "phone", "organisation"))
    if o is None:
        return None
    n = len(r.problems)
    x = d.ExternalContact(
        role=r.text(o.get("role"), f"{path}.role", limit="role", required=True) or "",
        name=r.text(o.get("name"), f"{path}.name", limit="name", required=True) or "",
        phone=r.text(o.get("phone"), f"{path}.phone", limit="phone"),
        organisation=r.text(o.get("organisation"), f"{path}.organisation", limit="organisation"),
    )
    return x if len(r.problems) == n else None


def validate_fnr(fnr: str) -> str | None:
    """None when valid; otherwise a bokmål message. Accepts fødselsnummer and D-nummer."""
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.no import fodselsnummer

    if not (len(fnr) == 11 and fnr.isdigit()):
        return "fødselsnummer må ha 11 sifre"
    try:
        fodselsnummer.validate(fnr)
    except StdnumError:
        return "ugyldig fødselsnummer eller D-nummer (kontrollsifrene stemmer ikke)"
    return None


def validate_case(case: d.Case, path: str = "") -> list[Problem]:
    """Rules that span fields: valid fnr, unique ids in each list, dates in order.

    Used for imported cases and for everything the window saves."""
    p = f"{path}." if path else ""
    problems: list[Problem] = []
    if case.fnr:
        message = validate_fnr(case.fnr)
        if message:
            problems.append(Problem(f"{p}fnr", message))
    if not case.name.strip():
        problems.append(Problem(f"{p}name", "navn kan ikke være tomt"))
    if not case.ref.strip():
        problems.append(Problem(f"{p}ref", "referanse kan ikke være tom"))
    for attr in ("contacts", "activities", "reminders", "exceptions"):
        seen: set[str] = set()
        for i, item in enumerate(getattr(case, attr)):
            if item.id in seen:
                problems.append(Problem(f"{p}{attr}[{i}].id", f"id {item.id!r} finnes allerede i denne saken"))
            seen.add(item.id)
    for i, a in enumerate(case.activities):
        if a.start and a.end and a.end < a.start:
            problems.append(Problem(f"{p}activities[{i}].end", "til-dato er før fra-dato"))
    if case.closed_reason and case.closed_on is None:
        problems.append(Problem(f"{p}closed_on", "avslutningsdato mangler når årsak er oppgitt"))
    if len(set(case.flags)) != len(case.flags):
        problems.append(Problem(f"{p}flags", "samme markering står flere ganger"))
    return problems


def parse_portfolio(data: Any, *, known_advisors: Collection[str] | None = ()) -> d.Portfolio:
    """Validate the whole document; raise ValidationError listing every problem.

    A case's advisor must be in the file or in ``known_advisors`` (the database's). With
    ``known_advisors=None`` that check is left to the caller (``unknown_advisors``), so a file
    can be validated before the database is opened."""
    r = _Reader()
    o = r.obj(data, "", keys=("format", "version", "advisors", "cases"))
    if o is None:
        raise ValidationError(r.problems)
    if o.get("format") is None:
        r.bad("format", "mangler (påkrevd)")
    elif o.get("format") != FORMAT:
        r.bad("format", f"forventet {FORMAT!r}, fikk {_short(o.get('format'))!r}")
    if o.get("version") is None:
        r.bad("version", "mangler (påkrevd)")
    elif type(o.get("version")) is not int or o.get("version") != VERSION:
        # The integer 1 only: 1.0 == 1 and True == 1 in Python, but neither is version 1.
        r.bad("version", f"versjon {_short(o.get('version'))!r} støttes ikke (forventet {VERSION})")
    advisors = r.items(o.get("advisors"), "advisors", lambda x, p: _advisor(r, x, p))
    cases = r.items(o.get("cases"), "cases", lambda x, p: _case(r, x, p))
    seen: dict[str, int] = {}
    if isinstance(o.get("advisors"), list):
        for i, raw in enumerate(o["advisors"]):
            ident = raw.get("ident") if isinstance(raw, dict) else None
            if isinstance(ident, str):
                if ident in seen:
                    r.bad(f"advisors[{i}].ident", f"ident {ident!r} står to ganger (også advisors[{seen[ident]}])")
                seen[ident] = i
    refs: dict[str, int] = {}
    if isinstance(o.get("cases"), list):
        for i, raw in enumerate(o["cases"]):
            if not isinstance(raw, dict):
                continue
            ref, adv = raw.get("ref"), raw.get("advisor")
            if isinstance(ref, str):
                if ref in refs:
                    r.bad(f"cases[{i}].ref", f"referansen {_short(ref)!r} står to ganger (også cases[{refs[ref]}])")
                else:
                    refs[ref] = i
            # Against every ident the file names, valid or not: an advisor with a problem of its
            # own is reported there, not again as «ukjent veileder» for each of its cases.
            if (isinstance(adv, str) and adv and adv not in seen and known_advisors is not None
                    and adv not in known_advisors):
                r.bad(f"cases[{i}].advisor", f"ukjent veileder {_short(adv)!r} (ikke i filen eller databasen)")
    if r.problems:
        raise ValidationError(r.problems)
    return d.Portfolio(advisors=advisors, cases=cases)


def unknown_advisors(portfolio: d.Portfolio, known_advisors: Collection[str]) -> list[Problem]:
    """The check ``parse_portfolio(known_advisors=None)`` left out: each case whose advisor is
    neither in the file nor in ``known_advisors``. A parsed portfolio holds every case of the
    file in order, so ``cases[i]`` is the file's."""
    in_file = {a.ident for a in portfolio.advisors}
    return [Problem(f"cases[{i}].advisor", f"ukjent veileder {_short(c.advisor)!r} (ikke i filen eller databasen)")
            for i, c in enumerate(portfolio.cases) if c.advisor not in in_file and c.advisor not in known_advisors]


def read_file(path: Path, *, known_advisors: Collection[str] | None = ()) -> d.Portfolio:
    """Read and validate an exchange file; every problem becomes a ValidationError line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError([Problem(str(path), "filen finnes ikke")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(str(path), "er en mappe, ikke en fil")]) from None
    except OSError:
        raise ValidationError([Problem(str(path), "kan ikke lese filen (mangler tilgang?)")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError([Problem("", f"filen er ikke gyldig UTF-8 (byte {exc.start})")]) from None
    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise ValidationError([Problem("", f"ikke gyldig JSON: linje {exc.lineno}, kolonne {exc.colno}")]) from None
    except RecursionError:
        raise ValidationError([Problem("", "ikke gyldig: for dyp nøsting")]) from None
    except ValueError:
        # Python refuses integers of more than 4,300 digits (int_max_str_digits).
        raise ValidationError([Problem("", "ikke gyldig JSON: et tall er for langt")]) from None
    return parse_portfolio(data, known_advisors=known_advisors)


# --- serialisation -----------------------------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def case_to_dict(c: d.Case) -> dict[str, Any]:
    def contact(k: d.Contact) -> dict[str, Any]:
        out: dict[str, Any] = {"id": k.id, "date": _iso(k.date), "channel": k.channel.value, "status": k.status.value,
                               "summary": k.summary, "interpreter_booked": k.interpreter_booked}
        # Optional extensions: written only when set, so files from elsewhere round-trip unchanged.
        if k.time is not None:
            out["time"] = k.time.strftime("%H:%M")
        if k.place:
            out["place"] = k.place
        return out

    return {
        "ref": c.ref, "advisor": c.advisor, "name": c.name, "birth_date": _iso(c.birth_date), "fnr": c.fnr,
        "phone": c.phone, "email": c.email, "language": c.language, "needs_interpreter": c.needs_interpreter,
        "flags": [f.value for f in c.flags], "registered_on": _iso(c.registered_on),
        "follow_up_offered_on": _iso(c.follow_up_offered_on), "goal": c.goal,
        "hovedmal": c.hovedmal.value if c.hovedmal else None,
        "benefits": {
            "dagpenger": {"end": _iso(c.benefits.dagpenger.end)},
            "aap": {k: _iso(getattr(c.benefits.aap, k)) for k in ("applied_on", "decided_on", "start", "end")},
            "omstillingsstonad": {"death_date": _iso(c.benefits.omstillingsstonad.death_date)},
        },
        "sick_leave_without_employer": {"start": _iso(c.sick_leave_start)},
        "assessments": [{"date": _iso(a.date), "innsatsgruppe": a.innsatsgruppe.value, "note": a.note} for a in c.assessments],
        "contacts": [contact(k) for k in c.contacts],
        "activities": [{"id": a.id, "title": a.title, "category": a.category.value, "status": a.status.value,
                        "start": _iso(a.start), "end": _iso(a.end), "responsible": a.responsible.value if a.responsible else None,
                        "description": a.description} for a in c.activities],
        "reminders": [{"id": h.id, "date": _iso(h.date), "text": h.text, "done": h.done} for h in c.reminders],
        "exceptions": [{"id": e.id, "date": _iso(e.date), "kind": e.kind.value, "note": e.note} for e in c.exceptions],
        "external_contacts": [{"role": x.role, "name": x.name, "phone": x.phone, "organisation": x.organisation}
                              for x in c.external_contacts],
        "closed_on": _iso(c.closed_on), "closed_reason": c.closed_reason,
    }


def portfolio_to_dict(p: d.Portfolio) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "advisors": [{"ident": a.ident, "name": a.name, "unit": a.unit, "role": a.role.value if a.role else None,
                      "phone": a.phone,
                      "email": a.email} for a in p.advisors],
        "cases": [case_to_dict(c) for c in p.cases],
    }


def write_file(p: d.Portfolio, path: Path) -> None:
    """Atomic: a crash mid-write never leaves half a file where the old one was."""
    atomic_write_bytes(path, json.dumps(portfolio_to_dict(p), ensure_ascii=False, indent=2).encode("utf-8") + b"\n")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def sorted_cases(cases: Iterable[d.Case]) -> list[d.Case]:
    return sorted(cases, key=lambda c: c.ref)
