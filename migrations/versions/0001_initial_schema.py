"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:33:34.012824

"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('advisors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ident', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisors')),
    sa.UniqueConstraint('ident', name=op.f('uq_advisors_ident'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('case_ref', sa.String(length=40), nullable=True),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_key', sa.String(length=80), nullable=True),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('changes', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_case_ref'), ['case_ref'], unique=False)

    op.create_table('deletion_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=False),
    sa.Column('case_ref', sa.String(length=40), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deletion_log'))
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.String(length=500), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_settings'))
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=40), nullable=False),
    sa.Column('advisor_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('fnr', sa.String(length=11), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=40), nullable=True),
    sa.Column('needs_interpreter', sa.Boolean(), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('follow_up_offered_on', sa.Date(), nullable=True),
    sa.Column('goal', sa.String(length=500), nullable=True),
    sa.Column('hovedmal', sa.String(length=40), nullable=True),
    sa.Column('dagpenger_end', sa.Date(), nullable=True),
    sa.Column('aap_applied_on', sa.Date(), nullable=True),
    sa.Column('aap_decided_on', sa.Date(), nullable=True),
    sa.Column('aap_start', sa.Date(), nullable=True),
    sa.Column('aap_end', sa.Date(), nullable=True),
    sa.Column('omstilling_death_date', sa.Date(), nullable=True),
    sa.Column('sick_leave_start', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_reason', sa.String(length=2000), nullable=True),
    sa.Column('new_for_advisor', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisors.id'], name=op.f('fk_cases_advisor_id_advisors')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases')),
    sa.UniqueConstraint('ref', name=op.f('uq_cases_ref'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cases_advisor_id'), ['advisor_id'], unique=False)

    op.create_table('activities',
    sa.Column('ext_id', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('responsible', sa.String(length=10), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_activities_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities')),
    sa.UniqueConstraint('case_id', 'ext_id', name=op.f('uq_activities_case_id'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activities_case_id'), ['case_id'], unique=False)

    op.create_table('assessments',
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('innsatsgruppe', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_assessments_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessments'))
    )
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessments_case_id'), ['case_id'], unique=False)

    op.create_table('case_exceptions',
    sa.Column('ext_id', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('note', sa.String(length=2000), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_exceptions_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_exceptions')),
    sa.UniqueConstraint('case_id', 'ext_id', name=op.f('uq_case_exceptions_case_id'))
    )
    with op.batch_alter_table('case_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_exceptions_case_id'), ['case_id'], unique=False)

    op.create_table('case_flags',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('flag', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_flags_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', 'flag', name=op.f('pk_case_flags'))
    )
    op.create_table('contacts',
    sa.Column('ext_id', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('time', sa.Time(), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('interpreter_booked', sa.Boolean(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_contacts_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('case_id', 'ext_id', name=op.f('uq_contacts_case_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_case_id'), ['case_id'], unique=False)

    op.create_table('delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('advisor_id', sa.Integer(), nullable=False),
    sa.Column('until', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['advisor_id'], ['advisors.id'], name=op.f('fk_delegations_advisor_id_advisors'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_delegations_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delegations'))
    )
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delegations_advisor_id'), ['advisor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_delegations_case_id'), ['case_id'], unique=False)

    op.create_table('external_contacts',
    sa.Column('role', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_external_contacts_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_contacts'))
    )
    with op.batch_alter_table('external_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_contacts_case_id'), ['case_id'], unique=False)

    op.create_table('reminders',
    sa.Column('ext_id', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_reminders_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('case_id', 'ext_id', name=op.f('uq_reminders_case_id'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_case_id'), ['case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_case_id'))

    op.drop_table('reminders')
    with op.batch_alter_table('external_contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_contacts_case_id'))

    op.drop_table('external_contacts')
    with op.batch_alter_table('delegations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delegations_case_id'))
        batch_op.drop_index(batch_op.f('ix_delegations_advisor_id'))

    op.drop_table('delegations')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_case_id'))

    op.drop_table('contacts')
    op.drop_table('case_flags')
    with op.batch_alter_table('case_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_exceptions_case_id'))

    op.drop_table('case_exceptions')
    with op.batch_alter_table('assessments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessments_case_id'))

    op.drop_table('assessments')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activities_case_id'))

    op.drop_table('activities')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_advisor_id'))

    op.drop_table('cases')
    op.drop_table('settings')
    op.drop_table('deletion_log')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_case_ref'))

    op.drop_table('audit_log')
    op.drop_table('advisors')
