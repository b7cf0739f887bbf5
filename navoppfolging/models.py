"""ORM models (SQLAlchemy 2 typed style). Only the services and the migrations use them.

Enum-valued columns hold NAV's codes as plain strings; the services validate them. Rows that a
user edits carry a ``version`` column used for optimistic locking: a case is the unit of
conflict, so every change to a case's children bumps the case's version as well.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints from the first migration on: SQLite batch migrations can only drop or
# alter constraints that have names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class AdvisorRow(Base):
    __tablename__ = "advisors"

    id: Mapped[int] = mapped_column(primary_key=True)
    ident: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="VEILEDER")
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    fnr: Mapped[str | None] = mapped_column(String(11))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(40))
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)
    follow_up_offered_on: Mapped[dt.date | None] = mapped_column(Date)
    goal: Mapped[str | None] = mapped_column(String(500))
    hovedmal: Mapped[str | None] = mapped_column(String(40))
    dagpenger_end: Mapped[dt.date | None] = mapped_column(Date)
    aap_applied_on: Mapped[dt.date | None] = mapped_column(Date)
    aap_decided_on: Mapped[dt.date | None] = mapped_column(Date)
    aap_start: Mapped[dt.date | None] = mapped_column(Date)
    aap_end: Mapped[dt.date | None] = mapped_column(Date)
    omstilling_death_date: Mapped[dt.date | None] = mapped_column(Date)
    sick_leave_start: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(String(2000))
    # Set on hand-over; cleared when the receiving advisor opens the case («ny for deg»).
    new_for_advisor: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    advisor: Mapped[AdvisorRow] = relationship(lazy="joined")
    flags: Mapped[list[CaseFlagRow]] = relationship(cascade="all, delete-orphan", backref="case", order_by="CaseFlagRow.flag")
    assessments: Mapped[list[AssessmentRow]] = relationship(cascade="all, delete-orphan", backref="case", order_by="AssessmentRow.position")
    contacts: Mapped[list[ContactRow]] = relationship(cascade="all, delete-orphan", backref="case", order_by="ContactRow.position")
    activities: Mapped[list[ActivityRow]] = relationship(cascade="all, delete-orphan", backref="case", order_by="ActivityRow.position")
    reminders: Mapped[list[ReminderRow]] = relationship(cascade="all, delete-orphan", backref="case", order_by="ReminderRow.position")
    exceptions: Mapped[list[ExceptionRow]] = relationship(cascade="all, delete-orphan", backref="case", order_by="ExceptionRow.position")
    external_contacts: Mapped[list[ExternalContactRow]] = relationship(
        cascade="all, delete-orphan", backref="case", order_by="ExternalContactRow.position"
    )

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class CaseFlagRow(Base):
    __tablename__ = "case_flags"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    flag: Mapped[str] = mapped_column(String(20), primary_key=True)


class _CaseChild:
    """Columns every list under a case has: the owning case and the position in the list
    (the order matters: «ties: the one listed last»)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class AssessmentRow(_CaseChild, Base):
    __tablename__ = "assessments"

    date: Mapped[dt.date] = mapped_column(Date)
    innsatsgruppe: Mapped[str] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(String(2000))


class ContactRow(_CaseChild, Base):
    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("case_id", "ext_id"),)

    ext_id: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    time: Mapped[dt.time | None] = mapped_column(Time)
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    summary: Mapped[str] = mapped_column(Text, default="")
    interpreter_booked: Mapped[bool] = mapped_column(Boolean, default=False)
    place: Mapped[str | None] = mapped_column(String(200))


class ActivityRow(_CaseChild, Base):
    __tablename__ = "activities"
    __table_args__ = (UniqueConstraint("case_id", "ext_id"),)

    ext_id: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(100))
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column(Date)
    responsible: Mapped[str | None] = mapped_column(String(10))  # NULL: not decided («Ikke avklart»)
    description: Mapped[str] = mapped_column(Text, default="")


class ReminderRow(_CaseChild, Base):
    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("case_id", "ext_id"),)

    ext_id: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(2000))
    done: Mapped[bool] = mapped_column(Boolean, default=False)


class ExceptionRow(_CaseChild, Base):
    __tablename__ = "case_exceptions"
    __table_args__ = (UniqueConstraint("case_id", "ext_id"),)

    ext_id: Mapped[str] = mapped_column(String(40))
    date: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(2000), default="")


class ExternalContactRow(_CaseChild, Base):
    __tablename__ = "external_contacts"

    role: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    organisation: Mapped[str | None] = mapped_column(String(200))


class DelegationRow(Base):
    """Cover while a colleague is away: the case is visible to ``advisor_id`` until ``until``."""

    __tablename__ = "delegations"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("advisors.id", ondelete="CASCADE"), index=True)
    until: Mapped[dt.date] = mapped_column(Date)


class SettingRow(Base):
    """Local settings (e.g. the 90 days of AAP-END-INFO): key/value, labelled local in the UI."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(String(500))

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}


class AuditRow(Base):
    """Who changed what, when: entity, fields, old → new (JSON). Kept when a case is deleted
    by retention, with free text removed (see services.retention)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    case_ref: Mapped[str | None] = mapped_column(String(40), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str | None] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[str] = mapped_column(Text, default="{}")


class DeletionLogRow(Base):
    """What retention deleted — ref, dates and row count only, no personal data."""

    __tablename__ = "deletion_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    deleted_at: Mapped[dt.datetime] = mapped_column(DateTime)
    case_ref: Mapped[str] = mapped_column(String(40))
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    row_count: Mapped[int] = mapped_column(Integer)
