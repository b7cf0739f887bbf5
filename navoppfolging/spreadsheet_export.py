"""The portfolio as a spreadsheet: one row per case, for Excel (XLSX) or as CSV.

The headers are the ones the spreadsheet import recognises, so an exported list can be edited
in Excel and imported again. Fødselsnummer is left out unless asked for (``with_fnr``); the
«Neste frist» columns come from the rule engine on ``as_of``, with the holiday note when the
deadline falls on a weekend or a public holiday.

Text cells are always written as text: a goal or a name that starts with «=» never becomes an
Excel formula (in XLSX the cell type is forced; in CSV such a cell gets a leading apostrophe,
which the import removes again).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from navoppfolging import domain as d
from navoppfolging.exchange import atomic_write_bytes
from navoppfolging.holidays_no import note_text


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    width: int  # in Excel's character units
    kind: str = "text"  # "text", "date", "datetime", "int"


@dataclass(frozen=True, slots=True)
class Sheet:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)


def build_sheet(cases: Iterable[d.Case], as_of: dt.date, *, with_fnr: bool = False, settings: Any = None) -> Sheet:
    """The rows, as plain values (dates as ``date``/``datetime``, yes/no as «Ja»/«Nei»)."""
    from navoppfolging.rules import evaluate
    from navoppfolging.rules.facts import age_at, current_innsatsgruppe, in_ug_target_group, last_meeting, next_planned_contact

    cases = tuple(cases)
    evaluation = evaluate(cases, as_of, settings=settings)
    first_due: dict[str, Any] = {}
    for due_item in evaluation.items:  # sorted by due date: the first per case is the next deadline
        first_due.setdefault(due_item.case, due_item)
    letter_flags: dict[str, list[str]] = {}
    for flag in evaluation.flags:
        if flag.flag not in {f.value for f in d.Flag}:
            letter_flags.setdefault(flag.case, []).append(flag.title)

    columns = [Column("Ref", 9), Column("Navn", 26), Column("Fødselsdato", 12, "date"), Column("Alder", 6, "int")]
    if with_fnr:
        columns.append(Column("Fødselsnummer", 14))
    columns += [
        Column("Telefon", 16), Column("E-post", 26), Column("Innsatsgruppe", 30), Column("Ungdomsgarantien", 10),
        Column("Registrert", 12, "date"), Column("Siste møte", 12, "date"), Column("Neste møte", 16, "datetime"),
        Column("Neste frist", 12, "date"), Column("Hva", 40), Column("Merknad frist", 44),
        Column("Markeringer", 18), Column("Prioritet etter brevet", 28), Column("Hovedmål", 22), Column("Mål", 40),
        Column("Språk", 8), Column("Tolk", 6), Column("Veileder", 10), Column("Avsluttet", 12, "date"),
    ]
    rows = []
    for c in sorted(cases, key=lambda x: x.ref):
        group = current_innsatsgruppe(c, as_of)
        meeting = last_meeting(c, as_of)
        planned = next_planned_contact(c, as_of)
        item = first_due.get(c.ref)
        nxt: Any = None
        if planned is not None:
            nxt = dt.datetime.combine(planned.date, planned.time) if planned.time else planned.date
        row: list[Any] = [c.ref, c.name, c.birth_date, age_at(c.birth_date, as_of)]
        if with_fnr:
            row.append(c.fnr or "")
        row += [
            c.phone or "", c.email or "", d.INNSATSGRUPPE_LABELS[group] if group else "",
            "Ja" if in_ug_target_group(c, as_of) else "Nei",
            c.registered_on, meeting.date if meeting else None, nxt,
            item.due if item else None, item.title if item else "", note_text(item.due) if item else "",
            ", ".join(d.FLAG_LABELS[f] for f in c.flags), ", ".join(letter_flags.get(c.ref, ())),
            d.HOVEDMAL_LABELS[c.hovedmal] if c.hovedmal else "", c.goal or "", c.language or "",
            "Ja" if c.needs_interpreter else "Nei", c.advisor, c.closed_on,
        ]
        rows.append(tuple(row))
    return Sheet(tuple(columns), tuple(rows))


def xlsx_bytes(sheet: Sheet, *, title: str = "Portefølje") -> bytes:
    """Header row bold and frozen, filter on, column widths set, dates as real Excel dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    ws.append(list(sheet.headers))
    header_fill = PatternFill("solid", fgColor="ECEDEF")  # Aksel --ax-bg-neutral-moderate
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for values in sheet.rows:
        ws.append(list(values))
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        fmt = {"date": "DD.MM.YYYY", "datetime": "DD.MM.YYYY HH:MM"}.get(column.kind)
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            if column.kind == "datetime" and isinstance(cell.value, dt.date) and not isinstance(cell.value, dt.datetime):
                cell.number_format = "DD.MM.YYYY"
            elif fmt and cell.value is not None:
                cell.number_format = fmt
            elif isinstance(cell.value, str):
                # Never a formula, never a number: «=…» stays text, fnr keeps its leading zero.
                cell.data_type = "s"
                cell.number_format = "@"
    ws.freeze_panes = "A2"
    if sheet.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PHONE = re.compile(r"\+?[\d ()-]+")


def csv_cell(value: Any) -> str:
    """A CSV cell as Norwegian Excel shows it; text that Excel would run as a formula is escaped."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PHONE.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(sheet: Sheet) -> bytes:
    """UTF-8 with BOM and semicolons, CRLF: what Norwegian Excel opens as columns with æøå."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet.rows:
        writer.writerow([csv_cell(v) for v in row])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def write_spreadsheet(path: Path | str, cases: Sequence[d.Case], as_of: dt.date, *, with_fnr: bool = False,
                      settings: Any = None) -> int:
    """Write .xlsx or .csv by the file's extension (atomically); returns the number of rows."""
    path = Path(path)
    sheet = build_sheet(cases, as_of, with_fnr=with_fnr, settings=settings)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        data = xlsx_bytes(sheet)
    elif suffix == ".csv":
        data = csv_bytes(sheet)
    else:
        raise ValueError(f"unsupported spreadsheet extension: {suffix}")
    atomic_write_bytes(path, data)
    return len(sheet.rows)
