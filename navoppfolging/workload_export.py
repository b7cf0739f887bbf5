"""The workload as a table of text (command line), XLSX (openpyxl) and PDF (ReportLab).

Counts only: an advisor's ident and numbers, never a case. What a person reads names rules by
the ruleset's Norwegian title and writes decimals with a comma (33,0); rule IDs stay in the
spreadsheet's «Regel-ID» columns and, unchanged with the numbers, in ``Workload.to_json``. openpyxl and ReportLab are imported
inside the functions that need them (they are slow to import and not needed at start-up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from navoppfolging.domain import INNSATSGRUPPE_LABELS, Innsatsgruppe
from navoppfolging.rules import STATUS_LABELS
from navoppfolging.rules.facts import fmt
from navoppfolging.workload import (
    CONTACT_DEFINITION,
    SPLIT_GROUPS,
    WORK_ORIENTED_DEFINITION,
    AdvisorWorkload,
    Share,
    Workload,
)

TEAM_LABEL = "Teamet"
# Innsatsgrupper by NAV's current names (domain.INNSATSGRUPPE_LABELS), as the case view shows them.
GROUP_COLUMNS: tuple[tuple[str | None, str], ...] = (
    *((g.value, INNSATSGRUPPE_LABELS[g]) for g in Innsatsgruppe),
    (None, "Uten vurdering"),
)
_SIT, _SPES = (INNSATSGRUPPE_LABELS[g] for g in SPLIT_GROUPS)


def headers(workload: Workload) -> list[str]:
    cap = workload.cap if workload.cap is not None else "–"
    return [
        "Veileder", "Åpne saker", f"UG-saker (tak {cap})", "Over taket", "Forfalt", "Snart",
        *(label for _, label in GROUP_COLUMNS),
        f"Kontakt 30 d: {_SIT}", f"Kontakt 30 d: {_SPES}",
        f"Arbeidsrettet: {_SIT}", f"Arbeidsrettet: {_SPES}",
    ]


def fmt_decimal(value: float, places: int = 1) -> str:
    """A number as Norwegian text: decimal comma (33.0 → «33,0»)."""
    return f"{value:.{places}f}".replace(".", ",")


def _pct(share: Share) -> float | None:
    p = share.percent
    return round(p, 1) if p is not None else None


PENDING = "…"  # overdue / due soon while the rule engine is still counting (team mode)
PENDING_LINE = "Forfalt og snart forfaller (per regel) beregnes …"


def row_values(a: AdvisorWorkload, *, label: str | None = None, pending: bool = False) -> list[object]:
    """One row of numbers (percentages as floats, None where there are no UG cases); with
    ``pending`` the overdue and due-soon cells say they are not computed yet."""
    return [
        label if label is not None else a.advisor, a.open_cases, a.ug_cases, "ja" if a.breach else "",
        PENDING if pending else a.overdue, PENDING if pending else a.due_soon,
        *(a.innsatsgruppe_count(code) for code, _ in GROUP_COLUMNS),
        _pct(a.contact_30d.situasjonsbestemt), _pct(a.contact_30d.spesielt_tilpasset),
        _pct(a.work_activity.situasjonsbestemt), _pct(a.work_activity.spesielt_tilpasset),
    ]


def rows(workload: Workload) -> list[list[object]]:
    """Every advisor, then the team totals row."""
    pending = workload.rule_counts_pending
    return ([row_values(a, pending=pending) for a in workload.advisors]
            + [row_values(workload.totals, label=TEAM_LABEL, pending=pending)])


def rule_rows(workload: Workload) -> list[tuple[str, str, int, int, str]]:
    """Per advisor and rule (rules with at least one item): advisor, the rule's title, overdue
    and due-soon counts, and the rule ID last (for the spreadsheet's «Regel-ID» column)."""
    out: list[tuple[str, str, int, int, str]] = []
    for a in (*workload.advisors, workload.totals):
        overdue, soon = dict(a.overdue_by_rule), dict(a.due_soon_by_rule)
        for rule in workload.rules:
            if overdue.get(rule) or soon.get(rule):
                out.append((a.advisor or TEAM_LABEL, workload.rule_title(rule), overdue.get(rule, 0),
                            soon.get(rule, 0), rule))
    return out


def summary_lines(workload: Workload) -> list[str]:
    avg = fmt_decimal(workload.team_average) if workload.team_average is not None else "–"
    lines = [f"Arbeidsmengde per {fmt(workload.as_of)} ({workload.ruleset})"]
    if workload.cap is not None:
        lines.append(f"Snitt UG-saker per veileder (med minst én): {avg} av {workload.cap}"
                     + (" — over taket" if workload.team_breach else ""))
    else:
        lines.append(f"Snitt UG-saker per veileder: {avg} (brevet for {workload.as_of.year} har ikke noe tak)")
    if workload.rule_counts_pending:
        lines.append(PENDING_LINE)
    for d in workload.office_deadlines:
        left = (f"{d.days_left} dager igjen" if d.days_left >= 0 else f"{-d.days_left} dager over fristen")
        lines.append(f"{d.title} — frist {fmt(d.due)}, {left} ({STATUS_LABELS[d.status].lower()})")
    return lines


def _cell(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.0f} %"
    return str(value)


def write_table(workload: Workload, out: TextIO) -> None:
    for line in summary_lines(workload):
        out.write(line + "\n")
    out.write("\n")
    head = headers(workload)
    body = [[_cell(v) for v in r] for r in rows(workload)]
    # The long headers would make the table unreadable in a terminal: number them instead.
    short = [h if len(h) <= 12 else f"({i})" for i, h in enumerate(head)]
    widths = [max(len(short[i]), *(len(r[i]) for r in body)) for i in range(len(head))]
    out.write("  ".join(s.rjust(w) if i else s.ljust(w) for i, (s, w) in enumerate(zip(short, widths, strict=True))) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for r in body:
        out.write("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) + "\n")
    notes = [f"({i}) {h}" for i, h in enumerate(head) if len(h) > 12]
    out.write("\n" + "\n".join(notes) + "\n")
    per_rule = rule_rows(workload)
    if per_rule:
        out.write("\nForfalt / snart per regel:\n")
        who = max(len(r[0]) for r in per_rule)
        what = max(len(r[1]) for r in per_rule)
        for advisor, title, overdue, soon, _rule in per_rule:
            out.write(f"  {advisor:<{who}}  {title:<{what}}  forfalt {overdue:>5}  snart {soon:>5}\n")
    out.write(f"\n{CONTACT_DEFINITION}\n{WORK_ORIENTED_DEFINITION}\n")


def write_xlsx(workload: Workload, path: Path) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Teamoversikt"
    for line in summary_lines(workload):
        ws.append([line])
    ws.append([])
    ws.append(headers(workload))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
    for r in rows(workload):
        ws.append(r)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    first_pct = 6 + len(GROUP_COLUMNS) + 1  # 1-based column of the first percentage
    for row in ws.iter_rows(min_row=header_row + 1, min_col=first_pct, max_col=first_pct + 3):
        for cell in row:
            cell.number_format = '0.0" %"'
    ws.append([])
    ws.append([CONTACT_DEFINITION])
    ws.append([WORK_ORIENTED_DEFINITION])
    ws.column_dimensions["A"].width = 14
    rules_ws = wb.create_sheet("Per regel")
    rules_ws.append(["Veileder", "Regel", "Forfalt", "Snart", "Regel-ID"])
    for cell in rules_ws[1]:
        cell.font = Font(bold=True)
    for rule_row in rule_rows(workload):
        rules_ws.append(list(rule_row))
    rules_ws.column_dimensions["B"].width = 60
    rules_ws.column_dimensions["E"].width = 26
    deadlines = wb.create_sheet("Kontorfrister")
    deadlines.append(["Hva", "Frist", "Dager igjen", "Regel-ID"])
    for d in workload.office_deadlines:
        deadlines.append([d.title, d.due, d.days_left, d.rule])
    deadlines.column_dimensions["A"].width = 55
    path = Path(path)
    wb.save(path)
    return path


def write_pdf(workload: Workload, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from navoppfolging.plan_pdf import register_fonts

    register_fonts()
    font, bold = "DejaVuSans", "DejaVuSans-Bold"
    body = ParagraphStyle("body", fontName=font, fontSize=9, leading=12)
    title = ParagraphStyle("title", fontName=bold, fontSize=14, leading=18, spaceAfter=6)
    small = ParagraphStyle("small", fontName=font, fontSize=7, leading=9)
    head_style = ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.5)
    story: list[object] = [Paragraph("Teamoversikt", title)]
    story += [Paragraph(line, body) for line in summary_lines(workload)]
    story.append(Spacer(1, 4 * mm))
    data: list[list[object]] = [[Paragraph(h, head_style) for h in headers(workload)]]
    data += [[_cell(v) for v in r] for r in rows(workload)]
    table = Table(data, repeatRows=1)
    style = [
        ("FONT", (0, 1), (-1, -1), font, 7.5),
        ("FONT", (0, -1), (-1, -1), bold, 7.5),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#5D6573")),
        ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.HexColor("#5D6573")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, a in enumerate(workload.advisors, start=1):
        if a.breach:
            style.append(("TEXTCOLOR", (2, i), (3, i), colors.HexColor("#BC002A")))
    table.setStyle(TableStyle(style))
    story += [table, Spacer(1, 4 * mm)]
    per_rule = rule_rows(workload)
    if per_rule:
        story.append(Paragraph("Forfalt og snart per regel", ParagraphStyle("h2", fontName=bold, fontSize=10, leading=13)))
        rt = Table([["Veileder", "Regel", "Forfalt", "Snart"], *[[str(c) for c in r[:4]] for r in per_rule]],
                   repeatRows=1)
        rt.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 7.5), ("FONT", (0, 0), (-1, 0), bold, 7.5),
                                ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
                                ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.HexColor("#5D6573"))]))
        story += [rt, Spacer(1, 4 * mm)]
    story += [Paragraph(CONTACT_DEFINITION, small), Paragraph(WORK_ORIENTED_DEFINITION, small)]
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, title="Teamoversikt",
                            author="navoppfolging")
    doc.build(story)
    return path
