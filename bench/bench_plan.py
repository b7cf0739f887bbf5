"""Benchmark: the printed activity plan for a case with 20 activities.

    .venv/bin/python bench/bench_plan.py [N]

Prints the one-time costs (importing ReportLab, registering the embedded fonts) separately,
then the median and minimum of N renders (default 30). Target: median ≤ 150 ms.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import sys
import time

from navoppfolging.domain import (
    Activity,
    ActivityCategory,
    ActivityStatus,
    Advisor,
    AdvisorIdent,
    Case,
    CaseRef,
    Channel,
    Contact,
    ContactStatus,
    Hovedmal,
    ItemId,
    Responsible,
)

AS_OF = dt.date(2024, 3, 4)
TEXT = ("Du søker på minst fem læreplasser innen elektrofag og skriver ned hvem du har sendt søknad "
        "til, når du sendte den, og om du har fått svar. Ta med søknadsteksten til neste møte. ")


def bench_case(n: int = 20) -> Case:
    statuses = list(ActivityStatus)
    activities = tuple(
        Activity(ItemId(f"a{i}"), f"Aktivitet {i + 1}: søke læreplass", list(ActivityCategory)[i % 7],
                 statuses[i % len(statuses)], AS_OF - dt.timedelta(days=30 - i), AS_OF + dt.timedelta(days=i),
                 list(Responsible)[i % 4], TEXT * (1 + i % 3))
        for i in range(n))
    return Case(ref=CaseRef("U-0001"), advisor=AdvisorIdent("Z990001"), name="Ola Nordmann",
                birth_date=dt.date(2004, 5, 17), goal="Fullføre vg3 og få læreplass",
                hovedmal=Hovedmal.SKAFFE_ARBEID, activities=activities,
                contacts=(Contact(ItemId("k1"), dt.date(2024, 3, 12), Channel.OPPMOTE, ContactStatus.PLANLAGT,
                                  time=dt.time(10, 0), place="NAV Grünerløkka"),))


def main(argv: list[str]) -> int:
    runs = int(argv[1]) if len(argv) > 1 else 30
    advisor = Advisor(AdvisorIdent("Z990001"), "Kari Veileder", "0315", phone="+47 55 55 33 33",
                      email="kari.veileder@nav.no")
    case = bench_case()

    t0 = time.perf_counter()
    import reportlab.platypus  # noqa: F401 - the import itself is what is measured

    t1 = time.perf_counter()
    from navoppfolging import plan_pdf

    plan_pdf.register_fonts()
    t2 = time.perf_counter()
    # First render also warms ReportLab's caches (font subsetting tables, paragraph parser).
    first = plan_pdf.render_plan(case, advisor, as_of=AS_OF)
    t3 = time.perf_counter()

    times = []
    for i in range(runs):
        # A different name each run so no cached result could be reused.
        start = time.perf_counter()
        plan_pdf.render_plan(dataclasses.replace(case, name=f"Ola Nordmann {i}"), advisor, as_of=AS_OF)
        times.append((time.perf_counter() - start) * 1000)
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(first)).pages)
    print(f"import reportlab.platypus: {(t1 - t0) * 1000:.0f} ms (once)")
    print(f"font registration (DejaVu Sans + Bold): {(t2 - t1) * 1000:.0f} ms (once)")
    print(f"first render: {(t3 - t2) * 1000:.0f} ms")
    print(f"20 activities, {pages} pages, {len(first) // 1024} KB; {runs} renders: "
          f"median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, max {max(times):.1f} ms "
          f"(target ≤ 150 ms)")
    return 0 if statistics.median(times) <= 150 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
