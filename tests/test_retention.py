"""Retention: closed cases past the local period are previewed (no names), deleted in one
transaction, logged without personal data; their audit trail stays with the free text removed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from navoppfolging import models as m
from navoppfolging.audit import SCRUBBED
from navoppfolging.cli import main
from navoppfolging.errors import ValidationError
from navoppfolging.retention import DEFAULT_DAYS, SETTING, RetentionService
from navoppfolging.services import AuditService, CaseService, SettingsService
from tests.conftest import TODAY

CHILD_TABLES = (m.CaseFlagRow, m.AssessmentRow, m.ContactRow, m.ActivityRow, m.ReminderRow, m.ExceptionRow,
                m.ExternalContactRow)


def _close(db, ref: str, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    service = CaseService(db)
    case = service.get(ref)
    if case.closed_on is not None:
        case = service.reopen(ref, expected_version=case.version)
    service.close(ref, expected_version=case.version, closed_on=day, reason="Fått fast jobb hos Rema 1000")


def _rows_of(db, ref: str) -> int:  # type: ignore[no-untyped-def]
    with db.session() as s:
        case_id = s.scalar(select(m.CaseRow.id).where(m.CaseRow.ref == ref))
        if case_id is None:
            return 0
        return 1 + sum(s.scalar(select(func.count()).select_from(t).where(t.case_id == case_id)) for t in CHILD_TABLES)


@pytest.fixture
def closed_db(demo_db):  # type: ignore[no-untyped-def]
    cases = CaseService(demo_db).list()
    # Make the free text unmistakable, so we can prove it is gone.
    first = cases[0]
    CaseService(demo_db).save(dataclasses.replace(first, goal="Bli snekker i Drammen",
                                                  phone="+47 412 34 567"))
    for c in cases:  # every other case open, so only ours are candidates
        if c.closed_on is not None:
            CaseService(demo_db).reopen(c.ref, expected_version=CaseService(demo_db).get(c.ref).version)
    _close(demo_db, cases[0].ref, dt.date(2021, 1, 10))
    _close(demo_db, cases[1].ref, dt.date(2022, 5, 1))
    _close(demo_db, cases[2].ref, dt.date(2024, 1, 1))
    return demo_db, [c.ref for c in cases[:3]]


def test_preview_lists_ref_date_and_rows_without_names(closed_db) -> None:  # type: ignore[no-untyped-def]
    db, refs = closed_db
    service = RetentionService(db)
    assert service.days() == DEFAULT_DAYS
    preview = service.preview(TODAY)
    assert [c.ref for c in preview] == refs[:2]
    assert [c.closed_on for c in preview] == [dt.date(2021, 1, 10), dt.date(2022, 5, 1)]
    assert [c.row_count for c in preview] == [_rows_of(db, r) for r in refs[:2]]
    assert set(dataclasses.asdict(preview[0])) == {"ref", "closed_on", "row_count"}
    # The local setting moves the cutoff.
    SettingsService(db).set(SETTING, "10000")
    assert service.preview(TODAY) == ()
    SettingsService(db).set(SETTING, "100")
    assert [c.ref for c in service.preview(TODAY)] == refs
    SettingsService(db).set(SETTING, "mange")
    with pytest.raises(ValidationError, match="retention.days"):
        service.preview(TODAY)


def test_apply_deletes_logs_and_scrubs_the_audit_trail(closed_db) -> None:  # type: ignore[no-untyped-def]
    db, refs = closed_db
    gone = CaseService(db).get(refs[0])
    kept_before = CaseService(db).get(refs[2])
    others_before = {c.ref: c for c in CaseService(db).list() if c.ref not in refs[:2]}
    audit_before = {r: len(AuditService(db).history(r)) for r in refs}
    expected_rows = {r: _rows_of(db, r) for r in refs[:2]}

    result = RetentionService(db).apply(TODAY, now=dt.datetime(2024, 6, 3, 12, 0))
    assert [c.ref for c in result.deleted] == refs[:2]
    assert result.rows == sum(expected_rows.values())

    assert {r: _rows_of(db, r) for r in refs[:2]} == {refs[0]: 0, refs[1]: 0}
    assert {c.ref: c for c in CaseService(db).list()} == others_before
    assert CaseService(db).get(refs[2]) == kept_before
    with db.session() as s:
        log = [(r.case_ref, r.closed_on, r.row_count, r.deleted_at) for r in s.scalars(select(m.DeletionLogRow))]
    assert log == [(refs[0], dt.date(2021, 1, 10), expected_rows[refs[0]], dt.datetime(2024, 6, 3, 12, 0)),
                   (refs[1], dt.date(2022, 5, 1), expected_rows[refs[1]], dt.datetime(2024, 6, 3, 12, 0))]

    # The audit trail stays (plus the deletions), free text gone, dates and codes kept.
    history = AuditService(db).history(refs[0])
    assert len(history) > audit_before[refs[0]]
    dump = json.dumps([e.changes for e in history], ensure_ascii=False)
    secrets = [gone.name, gone.phone, gone.goal, gone.closed_reason, gone.fnr, gone.birth_date.isoformat()]
    secrets += [k.summary for k in gone.contacts if k.summary] + [a.title for a in gone.activities]
    secrets += [x.name for x in gone.external_contacts] + [h.text for h in gone.reminders]
    for secret in filter(None, secrets):
        assert secret not in dump, secret
    assert SCRUBBED in dump
    assert "2021-01-10" in dump  # closed_on: a date, kept
    assert any(e.action == "delete" and e.entity == "case" for e in history)
    assert any("channel" in e.changes for e in history) or not gone.contacts
    # Fields are still named, who and when still known.
    assert all(e.actor and e.at for e in history)
    # A case that stays keeps its full audit trail.
    assert len(AuditService(db).history(refs[2])) == audit_before[refs[2]]
    assert RetentionService(db).preview(TODAY) == ()


def test_apply_is_all_or_nothing(closed_db, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    db, refs = closed_db
    import navoppfolging.retention as retention

    def boom(session, refs):  # type: ignore[no-untyped-def]
        raise RuntimeError("midway")

    monkeypatch.setattr(retention, "scrub_free_text", boom)
    with pytest.raises(RuntimeError):
        RetentionService(db).apply(TODAY)
    assert all(_rows_of(db, r) > 0 for r in refs)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(m.DeletionLogRow)) == 0


def test_retention_command(closed_db, db_url: str, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    db, refs = closed_db
    names = [CaseService(db).get(r).name for r in refs]
    db.close()
    assert main(["--db", db_url, "retention", "--as-of", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert refs[0] in out and refs[1] in out and refs[2] not in out and "--apply" in out
    assert not any(n in out for n in names)
    assert main(["--db", db_url, "retention", "--as-of", TODAY.isoformat(), "--apply", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["applied"] and [c["ref"] for c in data["cases"]] == refs[:2]
    assert main(["--db", db_url, "retention", "--as-of", TODAY.isoformat(), "--days", "100", "--json"]) == 0
    assert [c["ref"] for c in json.loads(capsys.readouterr().out)["cases"]] == [refs[2]]
    assert main(["--db", db_url, "retention", "--days", "0"]) == 2


def test_apply_saves_a_new_period_in_the_same_transaction_and_deletes_only_confirmed(db) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.demo import generate
    from navoppfolging.services import PortfolioService

    PortfolioService(db).import_portfolio(generate(TODAY, n=3))
    refs = [c.ref for c in CaseService(db).list()]
    for ref in refs[:2]:
        _close(db, ref, TODAY - dt.timedelta(days=400))
    service = RetentionService(db)
    result = service.apply(TODAY, days=365, refs=[refs[0]])
    assert [c.ref for c in result.deleted] == [refs[0]]
    assert service.days() == 365
    assert {c.ref for c in CaseService(db).list()} == set(refs[1:])
    with pytest.raises(ValidationError):
        service.apply(TODAY, days=0)
    assert service.days() == 365  # a refused period is not saved


def test_period_limits(db) -> None:  # type: ignore[no-untyped-def]
    from navoppfolging.retention import MAX_DAYS

    service = RetentionService(db)
    service.set_days(MAX_DAYS)
    assert service.days() == MAX_DAYS
    for bad in (0, MAX_DAYS + 1):
        with pytest.raises(ValidationError):
            service.set_days(bad)


def test_help_says_what_the_log_keeps(capsys: pytest.CaptureFixture[str]) -> None:
    """As in the window: «logges med bare referanse, datoer og antall rader – ingen
    personopplysninger» (it said «uten personopplysninger (referanse, …)»)."""
    with pytest.raises(SystemExit):
        main(["retention", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "Slettingen logges med bare referanse, datoer og antall rader – ingen personopplysninger." in text
