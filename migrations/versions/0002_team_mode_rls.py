"""team mode: roles, row-level security and the workload functions (PostgreSQL only)

Revision ID: 0002
Revises: 0001

On SQLite this revision does nothing (one file per advisor needs no access control). On
PostgreSQL it creates:

* the group roles ``navoppfolging_veileder`` and ``navoppfolging_teamleder`` (NOLOGIN; roles are
  cluster-wide, so they are created only when missing and never dropped by the downgrade);
* row-level security on ``cases`` and every table under a case: an advisor's login role is named
  after their NAV-ident in lower case (``Z990001`` → ``z990001``); it sees and writes the cases
  whose advisor's ident is ``current_user`` and the cases delegated to it with ``until >=
  current_date``; child rows follow their case;
* ``audit_log``: advisors may insert entries with themselves as actor, and read entries of cases
  they can see (and their own);
* four SECURITY DEFINER functions, owned by the migrating (owner) role, which bypasses RLS:
  ``navoppfolging_workload_counts`` (counts only) and ``navoppfolging_workload_facts`` (the
  de-identified facts the rule engine needs for the overdue counts: no ref, name, fnr, phone or
  free text), executable by team leads only; ``navoppfolging_move_cases`` for hand-over, which an
  advisor needs because PostgreSQL checks the SELECT policy against the *new* row of an UPDATE
  whose WHERE reads columns (the version check does), so a plain UPDATE can never give a case away;
  ``navoppfolging_ug_count`` (one advisor's number of UG cases, for the hand-over warning).
* team leads get no privilege at all on case tables: ``SELECT * FROM cases`` is refused.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VEILEDER = "navoppfolging_veileder"
TEAMLEDER = "navoppfolging_teamleder"
CHILD_TABLES = ("case_flags", "assessments", "contacts", "activities", "reminders", "case_exceptions",
                "external_contacts")

# The cases the current login role may see: its own, and those delegated to it until a date.
VISIBLE_CASE = """(
    advisor_id IN (SELECT a.id FROM advisors a WHERE lower(a.ident) = current_user)
    OR id IN (SELECT d.case_id FROM delegations d JOIN advisors a ON a.id = d.advisor_id
              WHERE lower(a.ident) = current_user AND d.until >= current_date)
)"""
OWN_ADVISOR = "advisor_id IN (SELECT a.id FROM advisors a WHERE lower(a.ident) = current_user)"

AGE_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_age(p_birth date, p_day date) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    -- Whole years; a 29 February birthday falls on 28 February in non-leap years (rules.md).
    SELECT (extract(year FROM p_day) - extract(year FROM p_birth))::integer
         - CASE WHEN (extract(month FROM p_day), extract(day FROM p_day))
                     < (extract(month FROM p_birth),
                        CASE WHEN extract(month FROM p_birth) = 2 AND extract(day FROM p_birth) = 29
                                  AND NOT (extract(year FROM p_day)::integer % 4 = 0
                                           AND (extract(year FROM p_day)::integer % 100 <> 0
                                                OR extract(year FROM p_day)::integer % 400 = 0))
                             THEN 28 ELSE extract(day FROM p_birth) END)
                THEN 1 ELSE 0 END
$$
"""

COUNTS_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_workload_counts(
    p_as_of date,
    p_min_age integer DEFAULT 16,
    p_max_age_exclusive integer DEFAULT 30,
    p_ug_groups text[] DEFAULT ARRAY['SITUASJONSBESTEMT_INNSATS', 'SPESIELT_TILPASSET_INNSATS'],
    p_contact_days integer DEFAULT 30,
    p_work_categories text[] DEFAULT ARRAY['ARBEID', 'TILTAK', 'UTDANNING', 'JOBBSOKING', 'STILLING'],
    p_only_ident text DEFAULT NULL)
RETURNS TABLE (advisor text, open_cases integer, ug_cases integer, groups text[], group_counts integer[],
               sit_ug integer, sit_contact integer, sit_work integer,
               spes_ug integer, spes_contact integer, spes_work integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
    WITH open_cases AS (
        SELECT c.id, c.advisor_id, c.birth_date, c.registered_on
        FROM cases c WHERE (c.closed_on IS NULL OR c.closed_on > p_as_of)
          AND (p_only_ident IS NULL OR c.advisor_id = (SELECT id FROM advisors WHERE ident = p_only_ident))
    ), latest AS (  -- latest assessment on or before as_of; on equal dates the one listed last
        SELECT DISTINCT ON (a.case_id) a.case_id, a.innsatsgruppe
        FROM assessments a JOIN open_cases o ON o.id = a.case_id
        WHERE a.date <= p_as_of
        ORDER BY a.case_id, a.date DESC, a.position DESC
    ), f AS (
        SELECT o.id, o.advisor_id, l.innsatsgruppe AS ig,
               (o.registered_on IS NOT NULL AND o.registered_on <= p_as_of
                AND l.innsatsgruppe = ANY (p_ug_groups)
                AND navoppfolging_age(o.birth_date, p_as_of) >= p_min_age
                AND navoppfolging_age(o.birth_date, p_as_of) < p_max_age_exclusive) AS ug
        FROM open_cases o LEFT JOIN latest l ON l.case_id = o.id
    ), contact AS (
        SELECT DISTINCT k.case_id FROM contacts k JOIN f ON f.id = k.case_id AND f.ug
        WHERE k.status = 'GJENNOMFORT' AND k.date <= p_as_of AND k.date >= p_as_of - p_contact_days
    ), work AS (
        SELECT DISTINCT x.case_id FROM activities x JOIN f ON f.id = x.case_id AND f.ug
        WHERE x.category = ANY (p_work_categories) AND x.status = 'GJENNOMFORES'
          AND (x.start IS NULL OR x.start <= p_as_of) AND (x."end" IS NULL OR x."end" >= p_as_of)
    ), per_case AS (
        SELECT f.advisor_id, f.ig, f.ug, (c.case_id IS NOT NULL) AS has_contact, (w.case_id IS NOT NULL) AS has_work
        FROM f LEFT JOIN contact c ON c.case_id = f.id LEFT JOIN work w ON w.case_id = f.id
    ), by_group AS (
        SELECT advisor_id, ig, count(*)::integer AS n FROM per_case GROUP BY advisor_id, ig
    ), groups AS (
        SELECT advisor_id, array_agg(ig ORDER BY ig) AS groups, array_agg(n ORDER BY ig) AS counts
        FROM by_group GROUP BY advisor_id
    ), totals AS (
        SELECT advisor_id,
               count(*)::integer AS open_cases,
               count(*) FILTER (WHERE ug)::integer AS ug_cases,
               count(*) FILTER (WHERE ug AND ig = p_ug_groups[1])::integer AS sit_ug,
               count(*) FILTER (WHERE ug AND ig = p_ug_groups[1] AND has_contact)::integer AS sit_contact,
               count(*) FILTER (WHERE ug AND ig = p_ug_groups[1] AND has_work)::integer AS sit_work,
               count(*) FILTER (WHERE ug AND ig = p_ug_groups[2])::integer AS spes_ug,
               count(*) FILTER (WHERE ug AND ig = p_ug_groups[2] AND has_contact)::integer AS spes_contact,
               count(*) FILTER (WHERE ug AND ig = p_ug_groups[2] AND has_work)::integer AS spes_work
        FROM per_case GROUP BY advisor_id
    )
    SELECT a.ident::text, t.open_cases, t.ug_cases, g.groups::text[], g.counts,
           t.sit_ug, t.sit_contact, t.sit_work, t.spes_ug, t.spes_contact, t.spes_work
    FROM totals t JOIN advisors a ON a.id = t.advisor_id JOIN groups g ON g.advisor_id = t.advisor_id
    ORDER BY a.ident
$$
"""

# Facts of the open cases for the rule engine, without anything that names the person: the row
# number replaces the ref, and the text columns (name, fnr, phone, email, goal, summaries,
# descriptions, notes, external contacts) are not returned. Contacts dated after as_of that are
# not planned are dropped, since the engine ignores them.
FACTS_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_workload_facts(p_as_of date)
RETURNS TABLE (n bigint, advisor text, birth_date date, registered_on date, follow_up_offered_on date,
               needs_interpreter boolean, dagpenger_end date, aap_applied_on date, aap_decided_on date,
               aap_start date, aap_end date, omstilling_death_date date, sick_leave_start date,
               a_dates date[], a_groups text[],
               k_dates date[], k_channels text[], k_statuses text[], k_interpreter boolean[],
               x_categories text[], x_statuses text[], x_starts date[], x_ends date[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
    WITH open_cases AS (
        SELECT * FROM cases c WHERE c.closed_on IS NULL OR c.closed_on > p_as_of
    ), a AS (
        SELECT a.case_id, array_agg(a.date ORDER BY a.position) AS dates,
               array_agg(a.innsatsgruppe::text ORDER BY a.position) AS groups
        FROM assessments a JOIN open_cases o ON o.id = a.case_id GROUP BY a.case_id
    ), k AS (
        SELECT k.case_id, array_agg(k.date ORDER BY k.position) AS dates,
               array_agg(k.channel::text ORDER BY k.position) AS channels,
               array_agg(k.status::text ORDER BY k.position) AS statuses,
               array_agg(k.interpreter_booked ORDER BY k.position) AS interpreter
        FROM contacts k JOIN open_cases o ON o.id = k.case_id
        WHERE k.date <= p_as_of OR k.status = 'PLANLAGT' GROUP BY k.case_id
    ), x AS (
        SELECT x.case_id, array_agg(x.category::text ORDER BY x.position) AS categories,
               array_agg(x.status::text ORDER BY x.position) AS statuses,
               array_agg(x.start ORDER BY x.position) AS starts, array_agg(x."end" ORDER BY x.position) AS ends
        FROM activities x JOIN open_cases o ON o.id = x.case_id GROUP BY x.case_id
    )
    SELECT row_number() OVER (), ad.ident::text, o.birth_date, o.registered_on, o.follow_up_offered_on,
           o.needs_interpreter, o.dagpenger_end, o.aap_applied_on, o.aap_decided_on, o.aap_start, o.aap_end,
           o.omstilling_death_date, o.sick_leave_start,
           a.dates, a.groups, k.dates, k.channels, k.statuses, k.interpreter,
           x.categories, x.statuses, x.starts, x.ends
    FROM open_cases o JOIN advisors ad ON ad.id = o.advisor_id
    LEFT JOIN a ON a.case_id = o.id LEFT JOIN k ON k.case_id = o.id LEFT JOIN x ON x.case_id = o.id
$$
"""

# Hand-over: the caller must be able to see every case (own, or delegated now), the versions
# must be the ones the caller read (optimistic locking), the receiver must be an advisor. The
# case gets «ny for deg», a new version, and loses its delegations (cover was for the sender).
MOVE_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_move_cases(p_case_ids integer[], p_versions integer[], p_to_ident text)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
DECLARE
    v_to integer;
    v_me text := lower(session_user);
    v_moved integer;
BEGIN
    SELECT id INTO v_to FROM advisors WHERE ident = p_to_ident;
    IF v_to IS NULL THEN
        RAISE EXCEPTION 'ukjent veileder %', p_to_ident USING ERRCODE = 'no_data_found';
    END IF;
    IF EXISTS (
        SELECT 1 FROM unnest(p_case_ids) AS t(case_id)
        WHERE NOT EXISTS (
            SELECT 1 FROM cases c WHERE c.id = t.case_id AND (
                c.advisor_id IN (SELECT a.id FROM advisors a WHERE lower(a.ident) = v_me)
                OR c.id IN (SELECT d.case_id FROM delegations d JOIN advisors a ON a.id = d.advisor_id
                            WHERE lower(a.ident) = v_me AND d.until >= current_date)))
    ) THEN
        RAISE EXCEPTION 'ingen tilgang til en av sakene' USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE cases c SET advisor_id = v_to, new_for_advisor = true, version = c.version + 1,
                       updated_at = localtimestamp(0)
    FROM unnest(p_case_ids, p_versions) AS t(case_id, version)
    WHERE c.id = t.case_id AND c.version = t.version;
    GET DIAGNOSTICS v_moved = ROW_COUNT;
    IF v_moved <> cardinality(p_case_ids) THEN
        RAISE EXCEPTION 'saken er endret av noen andre' USING ERRCODE = 'serialization_failure';
    END IF;
    DELETE FROM delegations WHERE case_id = ANY (p_case_ids);
    RETURN v_moved;
END
$$
"""

# How many youth-guarantee cases one advisor has: the only figure about a colleague's portfolio
# an advisor may ask for (the hand-over preview warns before the receiver goes over 50).
UG_COUNT_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_ug_count(
    p_ident text, p_as_of date, p_min_age integer, p_max_age_exclusive integer, p_ug_groups text[])
RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
    SELECT coalesce((SELECT ug_cases FROM navoppfolging_workload_counts(
        p_as_of, p_min_age, p_max_age_exclusive, p_ug_groups, 30, ARRAY[]::text[], p_ident)), 0)
$$
"""

FUNCTIONS = ("navoppfolging_workload_counts(date, integer, integer, text[], integer, text[], text)",
             "navoppfolging_workload_facts(date)",
             "navoppfolging_move_cases(integer[], integer[], text)",
             "navoppfolging_age(date, date)",
             "navoppfolging_ug_count(text, date, integer, integer, text[])")


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgres():
        return
    bind = op.get_bind()
    schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    database = bind.execute(sa.text("SELECT quote_ident(current_database())")).scalar_one()
    for role in (VEILEDER, TEAMLEDER):
        op.execute(f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') "
                   f"THEN CREATE ROLE {role} NOLOGIN; END IF; END $$")
        op.execute(f"GRANT CONNECT ON DATABASE {database} TO {role}")
        op.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
    # Nobody but the groups below gets anything; PUBLIC may otherwise execute new functions.
    op.execute(AGE_FUNCTION)
    op.execute(COUNTS_FUNCTION.format(schema=schema))
    op.execute(FACTS_FUNCTION.format(schema=schema))
    op.execute(MOVE_FUNCTION.format(schema=schema))
    op.execute(UG_COUNT_FUNCTION.format(schema=schema))
    for fn in FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION navoppfolging_age(date, date) TO {VEILEDER}, {TEAMLEDER}")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTIONS[0]}, {FUNCTIONS[1]} TO {TEAMLEDER}")
    op.execute(f"GRANT EXECUTE ON FUNCTION {FUNCTIONS[2]}, {FUNCTIONS[4]} TO {VEILEDER}")

    # Advisors: the list of colleagues (receivers of a hand-over), settings and delegations are
    # readable; only the owner (admin commands) writes them.
    op.execute(f"GRANT SELECT ON advisors, settings, alembic_version TO {VEILEDER}, {TEAMLEDER}")
    op.execute(f"GRANT SELECT ON delegations TO {VEILEDER}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON cases, {', '.join(CHILD_TABLES)} TO {VEILEDER}")
    op.execute(f"GRANT SELECT, INSERT ON audit_log, deletion_log TO {VEILEDER}")
    op.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {VEILEDER}")

    op.execute("ALTER TABLE cases ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY cases_select ON cases FOR SELECT TO {VEILEDER} USING {VISIBLE_CASE}")
    op.execute(f"CREATE POLICY cases_insert ON cases FOR INSERT TO {VEILEDER} WITH CHECK ({OWN_ADVISOR})")
    # The new row must stay visible (a hand-over goes through navoppfolging_move_cases).
    op.execute(f"CREATE POLICY cases_update ON cases FOR UPDATE TO {VEILEDER} USING {VISIBLE_CASE} "
               f"WITH CHECK {VISIBLE_CASE}")
    op.execute(f"CREATE POLICY cases_delete ON cases FOR DELETE TO {VEILEDER} USING ({OWN_ADVISOR})")
    for table in CHILD_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        # The subquery on cases is itself filtered by the cases policies above.
        op.execute(f"CREATE POLICY {table}_case ON {table} FOR ALL TO {VEILEDER} "
                   f"USING (case_id IN (SELECT id FROM cases)) WITH CHECK (case_id IN (SELECT id FROM cases))")
    op.execute("ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY audit_log_insert ON audit_log FOR INSERT TO {VEILEDER} "
               f"WITH CHECK (lower(actor) = current_user)")
    op.execute(f"CREATE POLICY audit_log_select ON audit_log FOR SELECT TO {VEILEDER} "
               f"USING (lower(actor) = current_user OR case_ref IN (SELECT ref FROM cases))")
    op.execute("ALTER TABLE deletion_log ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY deletion_log_insert ON deletion_log FOR INSERT TO {VEILEDER} WITH CHECK (true)")
    op.execute(f"CREATE POLICY deletion_log_select ON deletion_log FOR SELECT TO {VEILEDER} USING (false)")


def downgrade() -> None:
    if not _is_postgres():
        return
    bind = op.get_bind()
    schema = bind.execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one()
    database = bind.execute(sa.text("SELECT quote_ident(current_database())")).scalar_one()
    for table in ("cases", *CHILD_TABLES, "audit_log", "deletion_log"):
        for (policy,) in bind.execute(sa.text("SELECT policyname FROM pg_policies WHERE tablename = :t "
                                              "AND schemaname = current_schema()"), {"t": table}):
            op.execute(f'DROP POLICY "{policy}" ON {table}')
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    for fn in reversed(FUNCTIONS):
        op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    tables = ("advisors, settings, alembic_version, delegations, cases, audit_log, deletion_log, "
              + ", ".join(CHILD_TABLES))
    for role in (VEILEDER, TEAMLEDER):
        op.execute(f"REVOKE ALL ON {tables} FROM {role}")
        op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}")
        op.execute(f"REVOKE USAGE ON SCHEMA {schema} FROM {role}")
        op.execute(f"REVOKE CONNECT ON DATABASE {database} FROM {role}")
