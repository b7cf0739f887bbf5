"""team mode: pre-reduced rule facts for the workload (PostgreSQL only)

Revision ID: 0003
Revises: 0002

The team lead's overdue/due-soon counts come from the rule engine. Revision 0002 handed it every
assessment, contact and activity of every open case as arrays (``navoppfolging_workload_facts``);
for 100,000 cases that was ≈ 3 s to fetch and ≈ 4 s to turn back into ``Case`` objects. This
revision replaces it with ``navoppfolging_workload_rule_facts(as_of, categories)``, which reduces
each case's child rows in SQL to exactly what the engine reads from them on ``as_of``
(``navoppfolging/rules/engine.py``):

* the latest assessment dated on or before as_of (on equal dates the one with the highest
  position, i.e. listed last — the engine's ``>=``): its date and innsatsgruppe;
* the latest held (GJENNOMFORT) contact dated on or before as_of (CONTACT-30D, DP-26W-LEFT);
* the planned contacts without a booked interpreter dated on or after as_of (INTERPRETER-BOOK,
  one item each);
* whether the plan has an activity that is not a suggestion (PLAN-MISSING, OMSTILLING-6M);
* the categories with an activity being carried out or completed that has started (or has no
  start) on or before as_of, as a bit mask over ``categories`` (UG-STANDARD, LONGTERM, AAP);
* the PLANLAGT/GJENNOMFORES activities with an end date (ACTIVITY-EXPIRED, one item each), with
  their category, status, start and end.

Like 0002's function it is SECURITY DEFINER, executable by team leads only, and returns no ref,
name, fnr, phone, title or other free text: the advisor's id and dates/codes only.
On SQLite this revision does nothing.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAMLEDER = "navoppfolging_teamleder"
RULE_FACTS = "navoppfolging_workload_rule_facts(date, text[])"
OLD_FACTS = "navoppfolging_workload_facts(date)"

RULE_FACTS_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_workload_rule_facts(p_as_of date, p_categories text[])
RETURNS TABLE (advisor_id integer, birth_date date, registered_on date, follow_up_offered_on date,
               needs_interpreter boolean, dagpenger_end date, aap_applied_on date, aap_decided_on date,
               aap_start date, aap_end date, omstilling_death_date date, sick_leave_start date,
               assessed_on date, innsatsgruppe text, last_contact date,
               planned_dates date[], planned_channels text[],
               has_plan boolean, active_categories integer,
               expirable_categories text[], expirable_statuses text[], expirable_starts date[],
               expirable_ends date[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
    WITH o AS (
        SELECT * FROM cases c WHERE c.closed_on IS NULL OR c.closed_on > p_as_of
    ), a AS (  -- the engine's latest assessment: date <= as_of, on equal dates the last listed
        SELECT DISTINCT ON (a.case_id) a.case_id, a.date, a.innsatsgruppe::text AS ig
        FROM assessments a WHERE a.date <= p_as_of
        ORDER BY a.case_id, a.date DESC, a.position DESC
    ), k AS (
        -- No ORDER BY in the arrays: the two stay aligned (one input order), and the engine
        -- gives one item per planned contact whatever their order.
        SELECT k.case_id,
               max(k.date) FILTER (WHERE k.status = 'GJENNOMFORT' AND k.date <= p_as_of) AS last_contact,
               array_agg(k.date) FILTER (WHERE k.status = 'PLANLAGT') AS pdates,
               array_agg(k.channel::text) FILTER (WHERE k.status = 'PLANLAGT') AS pchannels
        FROM contacts k
        WHERE (k.status = 'GJENNOMFORT' AND k.date <= p_as_of)
           OR (k.status = 'PLANLAGT' AND NOT k.interpreter_booked AND k.date >= p_as_of)
        GROUP BY k.case_id
    ), x AS (  -- only non-suggestions, so a row here means has_plan
        SELECT x.case_id,
               bit_or(1 << (array_position(p_categories, x.category::text) - 1)) FILTER (
                   WHERE x.status IN ('GJENNOMFORES', 'FULLFORT') AND (x.start IS NULL OR x.start <= p_as_of)) AS active,
               array_agg(x.category::text) FILTER (WHERE x.status IN ('PLANLAGT', 'GJENNOMFORES') AND x."end" IS NOT NULL) AS ecat,
               array_agg(x.status::text) FILTER (WHERE x.status IN ('PLANLAGT', 'GJENNOMFORES') AND x."end" IS NOT NULL) AS estat,
               array_agg(x.start) FILTER (WHERE x.status IN ('PLANLAGT', 'GJENNOMFORES') AND x."end" IS NOT NULL) AS estart,
               array_agg(x."end") FILTER (WHERE x.status IN ('PLANLAGT', 'GJENNOMFORES') AND x."end" IS NOT NULL) AS eend
        FROM activities x WHERE x.status <> 'FORSLAG' GROUP BY x.case_id
    )
    SELECT o.advisor_id, o.birth_date, o.registered_on, o.follow_up_offered_on,
           o.needs_interpreter, o.dagpenger_end, o.aap_applied_on, o.aap_decided_on, o.aap_start, o.aap_end,
           o.omstilling_death_date, o.sick_leave_start,
           a.date, a.ig, k.last_contact, k.pdates, k.pchannels,
           x.case_id IS NOT NULL, coalesce(x.active, 0), x.ecat, x.estat, x.estart, x.eend
    FROM o LEFT JOIN a ON a.case_id = o.id LEFT JOIN k ON k.case_id = o.id LEFT JOIN x ON x.case_id = o.id
$$
"""


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _schema() -> str:
    return str(op.get_bind().execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one())


def upgrade() -> None:
    if not _is_postgres():
        return
    op.execute(RULE_FACTS_FUNCTION.format(schema=_schema()))
    op.execute(f"REVOKE ALL ON FUNCTION {RULE_FACTS} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {RULE_FACTS} TO {TEAMLEDER}")
    # The full per-record facts are no longer read by anything: one less way to de-identified rows.
    op.execute(f"DROP FUNCTION IF EXISTS {OLD_FACTS}")


def downgrade() -> None:
    if not _is_postgres():
        return
    # Alembic loads revision files by path, so read the sibling file the same way.
    spec = importlib.util.spec_from_file_location("_rev0002", Path(__file__).with_name("0002_team_mode_rls.py"))
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    op.execute(previous.FACTS_FUNCTION.format(schema=_schema()))
    op.execute(f"REVOKE ALL ON FUNCTION {OLD_FACTS} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION {OLD_FACTS} TO {TEAMLEDER}")
    op.execute(f"DROP FUNCTION IF EXISTS {RULE_FACTS}")
