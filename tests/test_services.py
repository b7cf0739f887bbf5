"""Services: the only doorway. Typed results, validation in bokmål with nothing written,
optimistic locking (a stale save is refused), and the audit trail of every change."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlalchemy import func, select

from navoppfolging import domain as d
from navoppfolging import models as m
from navoppfolging.db import Database
from navoppfolging.errors import ConflictError, NotFoundError, ValidationError
from navoppfolging.services import (
    AdvisorService,
    AuditService,
    CaseService,
    ImportSummary,
    PortfolioService,
    SettingsService,
    next_item_id,
)


@pytest.fixture
def service(db: Database) -> CaseService:
    AdvisorService(db).save(d.Advisor(ident=d.AdvisorIdent("Z990001"), name="Kari Veileder", unit="0315"))
    return CaseService(db)


def _new(service: CaseService, **kw: object) -> d.Case:
    case = d.Case(ref=service.new_ref(), advisor=d.AdvisorIdent("Z990001"), name="Ola Nordmann",
                  birth_date=dt.date(2004, 5, 17), **kw)  # type: ignore[arg-type]
    return service.create(case)


def _rows(db: Database) -> int:
    with db.session() as s:
        return sum(s.scalar(select(func.count()).select_from(t)) or 0 for t in m.Base.metadata.sorted_tables
                   if t.name != "audit_log")


def test_create_returns_frozen_domain_case(service: CaseService) -> None:
    case = _new(service, goal="Få læreplass")
    assert isinstance(case, d.Case) and case.ref == "U-0001" and case.version == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        case.name = "x"  # type: ignore[misc]
    assert service.new_ref() == "U-0002"


def test_every_child_write_bumps_the_case_version_and_is_audited(service: CaseService, db: Database) -> None:
    case = _new(service)
    case = service.add_contact(case.ref, expected_version=case.version, date=dt.date(2024, 5, 2),
                               channel=d.Channel.TELEFON, status=d.ContactStatus.GJENNOMFORT, summary="Ringte")
    assert case.version == 2 and case.contacts[0].id == "k1"
    activity = d.Activity(id=d.ItemId(""), title="Søke jobber", category=d.ActivityCategory.JOBBSOKING,
                          status=d.ActivityStatus.PLANLAGT)
    case = service.add_activity(case.ref, expected_version=case.version, activity=activity)
    done = dataclasses.replace(case.activities[0], status=d.ActivityStatus.GJENNOMFORES)
    case = service.replace_item(case.ref, expected_version=case.version, item=done)
    assert case.version == 4 and case.activities[0].status == d.ActivityStatus.GJENNOMFORES
    history = AuditService(db).history(case.ref)
    update = next(e for e in history if e.entity == "activity" and e.action == "update")
    assert update.changes == {"status": ("PLANLAGT", "GJENNOMFORES")}
    assert update.actor == "Z990001"
    assert {(e.entity, e.action) for e in history} >= {("case", "insert"), ("contact", "insert"), ("activity", "insert")}


def test_stale_save_is_refused_and_nothing_is_overwritten(service: CaseService, db: Database) -> None:
    case = _new(service)
    other_window = CaseService(db)
    other_window.save(dataclasses.replace(case, phone="+47 400 00 000"))
    with pytest.raises(ConflictError, match="Last inn saken på nytt"):
        service.save(dataclasses.replace(case, goal="Overskriver ikke"))
    fresh = service.get(case.ref)
    assert fresh.phone == "+47 400 00 000" and fresh.goal is None
    with pytest.raises(ConflictError):
        service.add_reminder(case.ref, expected_version=case.version, date=dt.date(2024, 6, 1), text="x")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"fnr": "12345678901"}, "fnr"),
        ({"goal": "x" * 501}, "goal"),
        ({"name": "  "}, "name"),
        ({"activities": (d.Activity(id=d.ItemId("a1"), title="", category=d.ActivityCategory.ARBEID,
                                    status=d.ActivityStatus.FORSLAG),)}, "activities[0].title"),
        ({"activities": (d.Activity(id=d.ItemId("a1"), title="A", category=d.ActivityCategory.ARBEID,
                                    status=d.ActivityStatus.FORSLAG, start=dt.date(2024, 5, 2),
                                    end=dt.date(2024, 5, 1)),)}, "activities[0].end"),
        ({"closed_reason": "Flyttet"}, "closed_on"),
    ],
)
def test_invalid_input_is_rejected_in_bokmal_with_nothing_written(service: CaseService, db: Database,
                                                                    change: dict[str, object], path: str) -> None:
    case = _new(service)
    before = _rows(db)
    with pytest.raises(ValidationError) as info:
        service.save(dataclasses.replace(case, **change))  # type: ignore[arg-type]
    assert path in [p.path for p in info.value.problems]
    assert _rows(db) == before
    assert service.get(case.ref) == case


def test_create_refuses_duplicate_ref_and_unknown_advisor(service: CaseService) -> None:
    case = _new(service)
    with pytest.raises(ValidationError, match="allerede i bruk"):
        service.create(dataclasses.replace(case, version=0))
    with pytest.raises(ValidationError, match="ukjent veileder"):
        service.create(dataclasses.replace(case, ref="U-0100", advisor=d.AdvisorIdent("Z000000")))


def test_close_requires_a_reason(service: CaseService) -> None:
    case = _new(service)
    with pytest.raises(ValidationError, match="årsak"):
        service.close(case.ref, expected_version=case.version, closed_on=dt.date(2024, 6, 1), reason=" ")
    closed = service.close(case.ref, expected_version=case.version, closed_on=dt.date(2024, 6, 1), reason="Fått jobb")
    assert closed.closed_on == dt.date(2024, 6, 1)
    assert service.list(include_closed=False) == ()


def test_get_unknown_ref(service: CaseService) -> None:
    with pytest.raises(NotFoundError, match="U-9999"):
        service.get("U-9999")


def test_portfolio_load_filters_by_advisor(demo_db: Database) -> None:
    everything = PortfolioService(demo_db).load()
    assert len(everything.cases) == 50
    assert PortfolioService(demo_db).load(advisor="Z990002").cases == ()
    assert len(PortfolioService(demo_db).load(advisor="Z990001").advisors) == 1


def test_settings_round_trip(db: Database) -> None:
    settings = SettingsService(db)
    assert settings.get("AAP-END-INFO.days") is None
    settings.set("AAP-END-INFO.days", "60")
    settings.set("AAP-END-INFO.days", "75")
    assert settings.all() == {"AAP-END-INFO.days": "75"}
    settings.delete("AAP-END-INFO.days")
    assert settings.all() == {}
    settings.delete("AAP-END-INFO.days")  # nothing to delete: no error, no entry
    # Every change, the deletion too, is in the audit trail.
    with db.engine.connect() as conn:
        trail = conn.exec_driver_sql(
            "SELECT action, entity_key FROM audit_log WHERE entity = 'setting' ORDER BY id").fetchall()
    assert [tuple(r) for r in trail] == [("insert", "AAP-END-INFO.days"), ("update", "AAP-END-INFO.days"),
                                         ("delete", "AAP-END-INFO.days")]


def test_next_item_id() -> None:
    assert next_item_id("k", ["k1", "k7", "x9", "k"]) == "k8"
    assert next_item_id("a", []) == "a1"


def test_import_summary_agrees_in_number() -> None:
    """«1 ny sak», «3 oppdaterte» (it said «1 nye saker», «3 oppdatert»); the command line
    prints this line and the window shows it."""
    assert ImportSummary(advisors_created=1, advisors_updated=0, cases_created=1, cases_updated=3,
                         cases_unchanged=1).line() == (
        "Importert: 1 ny sak, 3 oppdaterte, 1 uendret; 1 ny veileder, 0 oppdaterte.")
    assert ImportSummary(advisors_created=2, advisors_updated=1, cases_created=0, cases_updated=1,
                         cases_unchanged=4).line() == (
        "Importert: 0 nye saker, 1 oppdatert, 4 uendrede; 2 nye veiledere, 1 oppdatert.")
