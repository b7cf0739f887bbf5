"""team mode: overdue/due-soon counts per advisor and rule computed in SQL (PostgreSQL only)

Revision ID: 0004
Revises: 0003

The team lead's per-rule counts went through the rule engine: 0003's reduced facts were fetched
(≈ 0.9 s for 100,000 cases), rebuilt as light cases (≈ 0.45 s) and evaluated (≈ 0.7 s). Counting
needs none of that: this revision adds ``navoppfolging_workload_rule_counts(...)``, which
evaluates every case rule of the catalogue (rules.md) in SQL, with the engine's semantics
(``navoppfolging/rules/engine.py``), and returns per advisor only numbers: the figures of 0002's
``navoppfolging_workload_counts`` (open and UG cases, cases per innsatsgruppe, the two steering
figures), and per rule ID the number of overdue and due-soon items — all from one pass over the
cases and their assessments, contacts and activities.

Nothing about a rule is fixed here but its ID and its logic: every parameter comes from the
ruleset in force (``navoppfolging.workload.sql_rule_arguments``), including which rules the
ruleset has (a rule it lacks gets NULL parameters, so a NULL due date, which is neither overdue
nor due soon), the local settings and the statuses. A ruleset with a case rule this function does
not implement is evaluated the old way (0003's facts and the engine), which stays.

Engine semantics reproduced (the tests compare the two on generated and boundary data):

* closed (``closed_on <= as_of``) cases give nothing; records dated after as_of are ignored,
  planned contacts excepted;
* current innsatsgruppe = latest assessment dated on or before as_of, on equal dates the one with
  the highest position (listed last);
* «contact» = the latest held contact dated on or before as_of; «in activity» = an activity with
  an in-activity status whose start is missing or on or before as_of; «plan» = an activity whose
  status is not a suggestion;
* months, ages and the 30th birthday with PostgreSQL's ``date + interval``, which clamps to the
  month's end like rules.md (2024-08-31 + 6 months = 2025-02-28; born 29 February: 28 February);
  age >= n exactly when the n-th birthday is on or before as_of;
* status: overdue when due < as_of, due soon when 0 <= due - as_of <= due_soon_days;
* ACTIVITY-EXPIRED and INTERPRETER-BOOK count one item per activity or planned contact.

SECURITY DEFINER with a fixed search_path, executable by team leads only, like 0002/0003.
On SQLite this revision does nothing.

Performance (EXPLAIN ANALYZE, 100,000 cases): the query reads every open case and all its
assessments, contacts and activities once (sequential scans, one aggregate per table, hash joins
on the case id), ≈ 0.5 s; no index would spare a row, so none is added. Two ``OFFSET 0`` fences keep
PostgreSQL from inlining each per-case value into every expression that reads it, and ages are
compared as birthdays (``birth_date + interval``) rather than through ``navoppfolging_age``, whose
``extract`` is slow: the first version, without either, took 1.2–1.9 s.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEAMLEDER = "navoppfolging_teamleder"

# The rule IDs this function implements; ``navoppfolging.workload.SQL_RULES`` must list the same.
RULE_IDS = ("UG-OFFER-8W", "UG-STANDARD-REASSESS-8W", "CONTACT-30D", "UG-AGE-OUT", "LONGTERM-REASSESS-6M",
            "DP-26W-LEFT", "AAP-ACTIVITY-26W", "AAP-APPLICATION-5W", "AAP-END-INFO", "SICK-NO-EMPLOYER-12W",
            "OMSTILLING-6M", "PLAN-MISSING", "ACTIVITY-EXPIRED", "INTERPRETER-BOOK")

ARGUMENTS = """
    p_as_of date,
    p_due_soon_days integer,
    -- the youth-guarantee target group
    p_min_age integer,
    p_max_age_exclusive integer,
    p_ug_groups text[],
    -- record statuses: in activity, part of a plan (not these), expirable, held and planned contact
    p_in_activity_statuses text[],
    p_not_plan_statuses text[],
    p_expirable_statuses text[],  -- NULL when the ruleset does not have ACTIVITY-EXPIRED
    p_held_status text,
    p_planned_status text,
    -- rule parameters; NULL when the ruleset in force does not have the rule
    p_offer_days integer,
    p_standard_days integer,
    p_standard_groups text[],
    p_standard_categories text[],
    p_contact_days integer,
    p_age_out_years integer,
    p_age_out_groups text[],
    p_longterm_months integer,
    p_longterm_categories text[],
    p_dp_days integer,
    p_aap_activity_days integer,
    p_aap_activity_categories text[],
    p_aap_application_days integer,
    p_aap_end_days integer,
    p_sick_days integer,
    p_omstilling_months integer,
    p_plan_missing_excluded_groups text[],
    p_interpreter_days integer,
    -- 0002's figures: the two groups the steering figures are split by, the contact window,
    -- and work-oriented activity (categories, status)
    p_split_groups text[],
    p_steering_contact_days integer,
    p_work_categories text[],
    p_work_status text
"""

# (rule ID, column of ``d`` with the rule's due date or, for the per-activity/per-contact rules,
# the prefix of its two per-case counts ``<prefix>_overdue``/``<prefix>_soon``), in catalogue order.
DUE_DATE_RULES = (
    ("UG-OFFER-8W", "offer"), ("UG-STANDARD-REASSESS-8W", "standard"), ("CONTACT-30D", "contact30"),
    ("UG-AGE-OUT", "age_out"), ("LONGTERM-REASSESS-6M", "longterm"), ("DP-26W-LEFT", "dp26"),
    ("AAP-ACTIVITY-26W", "aap_activity"), ("AAP-APPLICATION-5W", "aap_application"),
    ("AAP-END-INFO", "aap_end_info"), ("SICK-NO-EMPLOYER-12W", "sick"), ("OMSTILLING-6M", "omstilling"),
    ("PLAN-MISSING", "plan_missing"),
)
PER_ITEM_RULES = (("ACTIVITY-EXPIRED", "expired"), ("INTERPRETER-BOOK", "interpreter"))
assert tuple(r for r, _ in DUE_DATE_RULES + PER_ITEM_RULES) == RULE_IDS

RULE_COUNTS_FUNCTION = """
CREATE OR REPLACE FUNCTION navoppfolging_workload_rule_counts({arguments})
RETURNS TABLE (advisor text, open_cases integer, ug_cases integer, groups text[], group_counts integer[],
               sit_ug integer, sit_contact integer, sit_work integer,
               spes_ug integer, spes_contact integer, spes_work integer,
               rules text[], overdue integer[], due_soon integer[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema}
-- JIT compiling this many expressions costs more than it saves: 0.57 s became 1.7 s at 100,000
-- cases with inlining and optimisation, which the default cost thresholds reach at a few times that.
SET jit = off
AS $$
    WITH o AS (  -- the open cases
        SELECT c.id, c.advisor_id, c.birth_date, c.registered_on, c.follow_up_offered_on, c.needs_interpreter,
               c.dagpenger_end, c.aap_applied_on, c.aap_decided_on, c.aap_start, c.aap_end,
               c.omstilling_death_date, c.sick_leave_start,
               coalesce(c.registered_on <= p_as_of, false) AS registered,
               -- age >= n exactly when the n-th birthday is on or before as_of; date + interval
               -- puts a 29 February birthday on 28 February in other years, as rules.md does
               (c.birth_date + make_interval(years => p_min_age))::date <= p_as_of AS min_age,
               (c.birth_date + make_interval(years => p_max_age_exclusive))::date > p_as_of AS below_max_age
        FROM cases c WHERE c.closed_on IS NULL OR c.closed_on > p_as_of
    ), a AS (  -- the latest assessment: dated on or before as_of, on equal dates the last listed
        SELECT DISTINCT ON (a.case_id) a.case_id, a.date, a.innsatsgruppe::text AS ig
        FROM assessments a WHERE a.date <= p_as_of
        ORDER BY a.case_id, a.date DESC, a.position DESC
    ), k AS (  -- the latest held contact; the planned contacts without a booked interpreter
        SELECT k.case_id,
               max(k.date) FILTER (WHERE k.status = p_held_status) AS last_contact,
               count(*) FILTER (WHERE k.status = p_planned_status
                                  AND k.date - p_interpreter_days < p_as_of)::integer AS interpreter_overdue,
               count(*) FILTER (WHERE k.status = p_planned_status
                                  AND k.date - p_interpreter_days - p_as_of
                                      BETWEEN 0 AND p_due_soon_days)::integer AS interpreter_soon
        FROM contacts k
        WHERE (k.status = p_held_status AND k.date <= p_as_of)
           OR (k.status = p_planned_status AND NOT k.interpreter_booked AND k.date >= p_as_of)
        GROUP BY k.case_id
    ), x AS (  -- the plan, the categories in activity, the expirable activities, work-oriented now
        SELECT x.case_id,
               bool_or(x.status <> ALL (p_not_plan_statuses)) AS has_plan,
               bool_or(x.active AND x.category = ANY (p_standard_categories)) AS standard_active,
               bool_or(x.active AND x.category = ANY (p_longterm_categories)) AS longterm_active,
               bool_or(x.active AND x.category = ANY (p_aap_activity_categories)) AS aap_active,
               bool_or(x.status = p_work_status AND x.category = ANY (p_work_categories)
                       AND (x.start IS NULL OR x.start <= p_as_of)
                       AND (x."end" IS NULL OR x."end" >= p_as_of)) AS work,
               count(*) FILTER (WHERE x.expirable AND x."end" < p_as_of)::integer AS expired_overdue,
               count(*) FILTER (WHERE x.expirable AND x."end" - p_as_of
                                      BETWEEN 0 AND p_due_soon_days)::integer AS expired_soon
        FROM (SELECT x.case_id, x.category, x.status, x.start, x."end",
                     x.status = ANY (p_in_activity_statuses) AND (x.start IS NULL OR x.start <= p_as_of) AS active,
                     x.status = ANY (p_expirable_statuses) AS expirable
              FROM activities x) x
        GROUP BY x.case_id
    ), f AS (
        SELECT o.*, a.date AS assessed_on, a.ig, k.last_contact,
               coalesce(k.interpreter_overdue, 0) AS interpreter_overdue,
               coalesce(k.interpreter_soon, 0) AS interpreter_soon,
               coalesce(x.has_plan, false) AS has_plan,
               coalesce(x.standard_active, false) AS standard_active,
               coalesce(x.longterm_active, false) AS longterm_active,
               coalesce(x.aap_active, false) AS aap_active,
               coalesce(x.work, false) AS work,
               coalesce(x.expired_overdue, 0) AS expired_overdue,
               coalesce(x.expired_soon, 0) AS expired_soon,
               o.registered AND o.min_age AND o.below_max_age AND coalesce(a.ig = ANY (p_ug_groups), false) AS ug
        FROM o LEFT JOIN a ON a.case_id = o.id LEFT JOIN k ON k.case_id = o.id LEFT JOIN x ON x.case_id = o.id
        OFFSET 0  -- a fence: each column once per case, not once per use in the expressions below
    ), d AS (  -- each rule's due date: NULL when the rule gives no item (not applicable, satisfied, absent)
        SELECT f.advisor_id, f.ig, f.ug,
               f.ug AND coalesce(f.last_contact >= p_as_of - p_steering_contact_days, false) AS contact,
               f.ug AND f.work AS work,
               CASE WHEN f.ug AND (f.follow_up_offered_on IS NULL OR f.follow_up_offered_on > p_as_of)
                    THEN f.registered_on + p_offer_days END AS offer,
               CASE WHEN f.registered AND f.min_age AND f.below_max_age
                         AND f.ig = ANY (p_standard_groups) AND NOT f.standard_active
                         AND f.assessed_on < f.registered_on + p_standard_days
                    THEN f.registered_on + p_standard_days END AS standard,
               CASE WHEN f.ug THEN coalesce(f.last_contact, f.registered_on) + p_contact_days END AS contact30,
               CASE WHEN f.registered AND f.min_age AND f.ig = ANY (p_age_out_groups)
                    THEN (f.birth_date + make_interval(years => p_age_out_years))::date END AS age_out,
               CASE WHEN f.registered AND NOT f.longterm_active
                         AND (f.assessed_on IS NULL
                              OR f.assessed_on < (f.registered_on + make_interval(months => p_longterm_months))::date)
                    THEN (f.registered_on + make_interval(months => p_longterm_months))::date END AS longterm,
               CASE WHEN p_as_of <= f.dagpenger_end
                         AND (f.last_contact IS NULL OR f.last_contact < f.dagpenger_end - p_dp_days)
                    THEN f.dagpenger_end - p_dp_days END AS dp26,
               CASE WHEN f.aap_start <= p_as_of AND (f.aap_end IS NULL OR p_as_of <= f.aap_end) AND NOT f.aap_active
                    THEN f.aap_start + p_aap_activity_days END AS aap_activity,
               CASE WHEN f.aap_applied_on <= p_as_of AND (f.aap_decided_on IS NULL OR f.aap_decided_on > p_as_of)
                    THEN f.aap_applied_on + p_aap_application_days END AS aap_application,
               CASE WHEN p_as_of <= f.aap_end
                         AND (f.assessed_on IS NULL OR f.assessed_on < f.aap_end - p_aap_end_days)
                    THEN f.aap_end - p_aap_end_days END AS aap_end_info,
               CASE WHEN f.sick_leave_start <= p_as_of
                         AND (f.assessed_on IS NULL OR f.assessed_on < f.sick_leave_start)
                    THEN f.sick_leave_start + p_sick_days END AS sick,
               CASE WHEN f.omstilling_death_date <= p_as_of
                         AND NOT (coalesce(f.assessed_on >= f.omstilling_death_date, false) AND f.has_plan)
                    THEN (f.omstilling_death_date + make_interval(months => p_omstilling_months))::date END AS omstilling,
               CASE WHEN p_plan_missing_excluded_groups IS NOT NULL AND NOT f.has_plan
                         AND f.ig <> ALL (p_plan_missing_excluded_groups)
                    THEN f.assessed_on END AS plan_missing,
               f.expired_overdue, f.expired_soon,
               CASE WHEN f.needs_interpreter THEN f.interpreter_overdue ELSE 0 END AS interpreter_overdue,
               CASE WHEN f.needs_interpreter THEN f.interpreter_soon ELSE 0 END AS interpreter_soon
        FROM f
        OFFSET 0  -- each due date once per case, not once per count that reads it
    ), g AS (  -- per advisor and innsatsgruppe: cases, steering figures, each rule's overdue/due-soon items
        SELECT d.advisor_id, d.ig, count(*)::integer AS n,
               count(*) FILTER (WHERE d.ug)::integer AS ug,
               count(*) FILTER (WHERE d.contact)::integer AS contact,
               count(*) FILTER (WHERE d.work)::integer AS work,
               {group_counts}
        FROM d GROUP BY d.advisor_id, d.ig
    )
    SELECT ad.ident::text, sum(g.n)::integer, sum(g.ug)::integer,
           array_agg(g.ig ORDER BY g.ig), array_agg(g.n ORDER BY g.ig),
           coalesce(sum(g.ug) FILTER (WHERE g.ig = p_split_groups[1]), 0)::integer,
           coalesce(sum(g.contact) FILTER (WHERE g.ig = p_split_groups[1]), 0)::integer,
           coalesce(sum(g.work) FILTER (WHERE g.ig = p_split_groups[1]), 0)::integer,
           coalesce(sum(g.ug) FILTER (WHERE g.ig = p_split_groups[2]), 0)::integer,
           coalesce(sum(g.contact) FILTER (WHERE g.ig = p_split_groups[2]), 0)::integer,
           coalesce(sum(g.work) FILTER (WHERE g.ig = p_split_groups[2]), 0)::integer,
           ARRAY[{rule_ids}]::text[],
           ARRAY[{overdue_sums}]::integer[],
           ARRAY[{soon_sums}]::integer[]
    FROM g JOIN advisors ad ON ad.id = g.advisor_id
    GROUP BY ad.ident
    ORDER BY ad.ident
$$
"""


def function_sql(schema: str) -> str:
    """The CREATE FUNCTION statement, its per-rule parts generated from the two rule lists."""
    counts = [f"count(*) FILTER (WHERE d.{col} < p_as_of)::integer AS {col}_overdue,\n"
              f"               count(*) FILTER (WHERE d.{col} - p_as_of BETWEEN 0 AND p_due_soon_days)::integer"
              f" AS {col}_soon" for _, col in DUE_DATE_RULES]
    counts += [f"sum(d.{prefix}_overdue)::integer AS {prefix}_overdue,\n"
               f"               sum(d.{prefix}_soon)::integer AS {prefix}_soon" for _, prefix in PER_ITEM_RULES]
    columns = [col for _, col in DUE_DATE_RULES + PER_ITEM_RULES]
    return RULE_COUNTS_FUNCTION.format(
        arguments=ARGUMENTS, schema=schema, group_counts=",\n               ".join(counts),
        rule_ids=", ".join(f"'{rule}'" for rule in RULE_IDS),
        overdue_sums=", ".join(f"sum(g.{col}_overdue)" for col in columns),
        soon_sums=", ".join(f"sum(g.{col}_soon)" for col in columns))


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _schema() -> str:
    return str(op.get_bind().execute(sa.text("SELECT quote_ident(current_schema())")).scalar_one())


def upgrade() -> None:
    if not _is_postgres():
        return
    op.execute(function_sql(_schema()))
    # The name is unique in the schema, so no argument list is needed (there are thirty of them).
    op.execute("REVOKE ALL ON FUNCTION navoppfolging_workload_rule_counts FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION navoppfolging_workload_rule_counts TO {TEAMLEDER}")


def downgrade() -> None:
    if not _is_postgres():
        return
    op.execute("DROP FUNCTION IF EXISTS navoppfolging_workload_rule_counts")

