"""Benchmark: the team workload on PostgreSQL with 200 advisors and 100,000 cases.

    .venv/bin/python bench/bench_workload.py [--cases 100000] [--advisors 200] [--repeat 3] [--engine]

Starts its own temporary PostgreSQL 15 cluster (as tests/pg.py does: as root the server runs as
the ``postgres`` user), migrates it, bulk-loads synthetic cases with COPY, then times

* path 1 — what the view shows at once: ``compute_team_counts`` (``navoppfolging_workload_counts``
  in SQL: open, UG, innsatsgruppe, steering figures; team average and office deadlines);
* path 2 — the complete workload, per-rule overdue/due-soon counts included:
  ``compute_team_workload``, which counts everything in one query
  (``navoppfolging_workload_rule_counts``, revision 0004), printed per phase (sql = the query and
  its rows, assemble = the ``Workload``) and in total — this is the figure against the target;
* with ``--engine`` also the engine path that ``compute_team_workload`` falls back to for a
  ruleset the SQL cannot count (counts = path 1's SQL, fetch = ``navoppfolging_workload_rule_facts``
  through a server-side cursor, build = reduced cases, engine = ``evaluate_cases``), and checks
  that both paths give the same workload.

Target: the complete workload (path 2) in ≤ 1 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = dt.date(2024, 6, 3)
GROUPS = ["STANDARD_INNSATS", "SITUASJONSBESTEMT_INNSATS", "SPESIELT_TILPASSET_INNSATS",
          "GRADERT_VARIG_TILPASSET_INNSATS", "VARIG_TILPASSET_INNSATS"]
CHANNELS = ["OPPMOTE", "VIDEO", "TELEFON", "DIGITAL_DIALOG"]
CONTACT_STATUSES = ["GJENNOMFORT", "GJENNOMFORT", "GJENNOMFORT", "PLANLAGT", "IKKE_MOTT", "AVLYST"]
CATEGORIES = ["JOBBSOKING", "STILLING", "ARBEID", "TILTAK", "UTDANNING", "BEHANDLING", "EGEN_AKTIVITET"]
ACTIVITY_STATUSES = ["FORSLAG", "PLANLAGT", "GJENNOMFORES", "GJENNOMFORES", "FULLFORT", "AVBRUTT"]


def _day(rng: random.Random, start: dt.date, span: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(span))


def load(url: str, n_advisors: int, n_cases: int, seed: int = 2024) -> dict[str, int]:
    """COPY synthetic rows straight into the tables (ids given, sequences set afterwards)."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    rng = random.Random(seed)
    counts = dict(cases=0, assessments=0, contacts=0, activities=0)
    with psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database) as conn:
        with conn.cursor().copy("COPY advisors (id, ident, name, role, version) FROM STDIN") as cp:
            for i in range(1, n_advisors + 1):
                cp.write_row((i, f"Z{900000 + i}", f"Veileder {i}", "VEILEDER", 1))
            cp.write_row((n_advisors + 1, "Z999999", "Teamleder", "TEAMLEDER", 1))
        cases, assessments, contacts, activities = [], [], [], []
        aid = kid = xid = 0
        for cid in range(1, n_cases + 1):
            birth = _day(rng, dt.date(1990, 1, 1), 365 * 18)
            registered = _day(rng, dt.date(2023, 1, 1), 520)
            closed = _day(rng, registered, 400) if rng.random() < 0.1 else None
            offered = registered + dt.timedelta(days=rng.randrange(80)) if rng.random() < 0.7 else None
            aap = _day(rng, dt.date(2023, 6, 1), 300) if rng.random() < 0.1 else None
            cases.append((cid, f"U-{cid:06d}", 1 + (cid - 1) % n_advisors, f"Person {cid}", birth, registered,
                          offered, aap, closed, False, False, 1))
            for pos in range(rng.choice((0, 1, 1, 2))):
                aid += 1
                assessments.append((aid, cid, pos, registered + dt.timedelta(days=7 + 120 * pos),
                                    rng.choice(GROUPS)))
            for pos in range(rng.randrange(5)):
                kid += 1
                contacts.append((kid, cid, pos, f"k{pos + 1}", _day(rng, registered, 520), rng.choice(CHANNELS),
                                 rng.choice(CONTACT_STATUSES), "", rng.random() < 0.1))
            for pos in range(rng.randrange(4)):
                xid += 1
                start = _day(rng, registered, 300)
                activities.append((xid, cid, pos, f"a{pos + 1}", "Aktivitet", rng.choice(CATEGORIES),
                                   rng.choice(ACTIVITY_STATUSES), start, start + dt.timedelta(days=rng.randrange(30, 200)),
                                   "BRUKER", ""))
        with conn.cursor().copy("COPY cases (id, ref, advisor_id, name, birth_date, registered_on, follow_up_offered_on, "
                                "aap_start, closed_on, needs_interpreter, new_for_advisor, version) FROM STDIN") as cp:
            for row in cases:
                cp.write_row(row)
        with conn.cursor().copy("COPY assessments (id, case_id, position, date, innsatsgruppe) FROM STDIN") as cp:
            for row in assessments:
                cp.write_row(row)
        with conn.cursor().copy("COPY contacts (id, case_id, position, ext_id, date, channel, status, summary, "
                                "interpreter_booked) FROM STDIN") as cp:
            for row in contacts:
                cp.write_row(row)
        with conn.cursor().copy("COPY activities (id, case_id, position, ext_id, title, category, status, start, "
                                '"end", responsible, description) FROM STDIN') as cp:
            for row in activities:
                cp.write_row(row)
        for table in ("advisors", "cases", "assessments", "contacts", "activities"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")
        counts.update(cases=len(cases), assessments=len(assessments), contacts=len(contacts), activities=len(activities))
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--advisors", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--engine", action="store_true", help="also time the engine fallback path and compare")
    args = parser.parse_args()

    from navoppfolging.db import Database
    from navoppfolging.domain import Role
    from navoppfolging.teamdb import create_login_role
    from navoppfolging.workload import Workload, compute_team_counts, compute_team_workload
    from tests.pg import PgCluster

    t0 = time.perf_counter()
    cluster = PgCluster.start()
    try:
        name = cluster.create_database("bench")
        owner_url = cluster.url(name)
        owner = Database.open(owner_url, actor="admin")
        print(f"cluster + migrations: {time.perf_counter() - t0:.2f} s")
        t = time.perf_counter()
        counts = load(owner_url, args.advisors, args.cases)
        print(f"bulk load (COPY) {counts}: {time.perf_counter() - t:.2f} s")
        with owner.engine.begin() as conn:
            create_login_role(conn, "Z999999", Role.TEAMLEDER, None)
        owner.close()
        lead = Database.open(cluster.url(name, user="z999999"))
        # Path 1: what the view shows at once (SQL only: open, UG, groups, steering, average).
        timings = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            first = compute_team_counts(lead, AS_OF)
            timings.append(time.perf_counter() - t)
        print(f"path 1, SQL counts (shown at once, {len(first.advisors)} advisors): best {min(timings) * 1000:.0f} ms, "
              f"all {', '.join(f'{x * 1000:.0f}' for x in timings)} ms "
              f"({'within' if min(timings) <= 1.0 else 'OVER'} the 1 s target)")
        # Path 2: the complete workload, per-rule counts included (one SQL query, revision 0004).
        def best_of(runs: list[tuple[float, dict[str, float]]]) -> tuple[float, dict[str, float]]:
            return min(runs, key=lambda r: r[0])

        def timed() -> tuple[list[tuple[float, dict[str, float]]], object]:
            runs: list[tuple[float, dict[str, float]]] = []
            result = None
            for _ in range(args.repeat):
                phases: dict[str, float] = {}
                t = time.perf_counter()
                result = compute_team_workload(lead, AS_OF, timings=phases)
                runs.append((time.perf_counter() - t, phases))
            return runs, result

        runs, workload = timed()
        total, phases = best_of(runs)
        print("path 2, complete workload with per-rule counts (SQL, best run): "
              + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
              + f"; total {total:.2f} s (all {', '.join(f'{r[0]:.2f}' for r in runs)} s) — "
              f"{'within' if total <= 1.0 else 'OVER'} the 1 s target")
        print(f"Teamoversikt: first figures after {min(timings):.2f} s (path 1), complete after "
              f"{min(timings) + total:.2f} s (path 2 runs next, in the background)")
        if args.engine:
            # The fallback for a ruleset with a case rule the SQL does not implement: forced here
            # by making the SQL arguments unavailable, as such a ruleset does.
            import navoppfolging.workload as workload_module

            sql_arguments = workload_module.sql_rule_arguments
            workload_module.sql_rule_arguments = lambda *a, **k: None  # type: ignore[assignment]
            try:
                engine_runs, engine_workload = timed()
            finally:
                workload_module.sql_rule_arguments = sql_arguments
            engine_total, engine_phases = best_of(engine_runs)
            print("engine path (fallback, best run): "
                  + ", ".join(f"{k} {v:.2f} s" for k, v in engine_phases.items())
                  + f"; total {engine_total:.2f} s (all {', '.join(f'{r[0]:.2f}' for r in engine_runs)} s); "
                  f"same workload as the SQL: {engine_workload == workload}")
        lead.close()
        assert isinstance(workload, Workload)
        tot = workload.totals
        avg = f"{workload.team_average:.1f}" if workload.team_average is not None else "-"
        print(f"figures: open {tot.open_cases}, UG {tot.ug_cases}, overdue {tot.overdue}, due soon {tot.due_soon}, "
              f"team average UG {avg} of {workload.cap}, advisors over cap "
              f"{sum(a.breach for a in workload.advisors)}")
        print("overdue per rule: " + ", ".join(f"{r} {n}" for r, n in tot.overdue_by_rule))
        print(f"contact 30 d: {tot.contact_30d.total.text()}, work-oriented activity: {tot.work_activity.total.text()}")
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
