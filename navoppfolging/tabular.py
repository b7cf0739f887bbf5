"""Import from the Excel and CSV lists advisors keep today.

    table = read_table(path)                          # XLSX or CSV (encoding and separator detected)
    mapping = ColumnMapping.recognise(table.headers)  # Norwegian headers → fields; the user may change it
    result = preview(table, mapping, advisor="Z990001", as_of=today, existing=cases, next_ref="U-0051")
    result.rows                                       # per spreadsheet row: a Case, or its problems
    PortfolioService(db).import_portfolio(result.portfolio())   # the valid rows, one transaction
    RejectReport.from_preview(result).save(path)      # rejected rows: row number, column, reason

What a row becomes: «Siste møte» a held meeting (gjennomført, oppmøte) on that date, «Neste møte»
a planned one (with its time when the cell has one), «Innsatsgruppe» an assessment dated the
registration date — or the import date when the row has none, since the spreadsheet does not say
when the § 14 a-vedtak was made and a date in the future of the registration would be invented.

A row that matches a case already in the database (same ref, else same fødselsnummer, else same
name and birth date) *updates* that case instead of creating a second one: the spreadsheet's
non-empty cells replace those fields, and its meetings and innsatsgruppe are added only when the
case does not already have them. So importing the same list twice changes nothing, and an import
never deletes the contacts, activities or assessments a case already has.

Problems never quote a fødselsnummer or a name: the reject report may be saved and mailed.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from navoppfolging import domain as d
from navoppfolging.errors import Problem, ValidationError
from navoppfolging.exchange import MAX, atomic_write_bytes, validate_case, validate_fnr

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
IMPORT_NOTE = "Fra regneark"


class Field(StrEnum):
    """What a spreadsheet column holds."""

    REF = "ref"
    NAME = "name"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    BIRTH_DATE = "birth_date"
    FNR = "fnr"
    PHONE = "phone"
    EMAIL = "email"
    INNSATSGRUPPE = "innsatsgruppe"
    REGISTERED_ON = "registered_on"
    LAST_MEETING = "last_meeting"
    NEXT_MEETING = "next_meeting"
    GOAL = "goal"
    HOVEDMAL = "hovedmal"
    BENEFIT = "benefit"
    ADVISOR = "advisor"
    LANGUAGE = "language"
    INTERPRETER = "interpreter"
    FLAGS = "flags"


FIELD_LABELS: dict[Field, str] = {
    Field.REF: "Ref (saksnr.)",
    Field.NAME: "Navn",
    Field.FIRST_NAME: "Fornavn",
    Field.LAST_NAME: "Etternavn",
    Field.BIRTH_DATE: "Fødselsdato",
    Field.FNR: "Fødselsnummer",
    Field.PHONE: "Telefon",
    Field.EMAIL: "E-post",
    Field.INNSATSGRUPPE: "Innsatsgruppe",
    Field.REGISTERED_ON: "Registrert",
    Field.LAST_MEETING: "Siste møte",
    Field.NEXT_MEETING: "Neste møte",
    Field.GOAL: "Mål",
    Field.HOVEDMAL: "Hovedmål",
    Field.BENEFIT: "Ytelse",
    Field.ADVISOR: "Veileder",
    Field.LANGUAGE: "Språk",
    Field.INTERPRETER: "Tolk",
    Field.FLAGS: "Markeringer",
}
IGNORE_LABEL = "(ikke importer)"

# Headers as advisors write them, normalised (lower case, punctuation → space). A header matches
# a synonym exactly, or contains it as whole words («Dato for siste møte»).
_SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.REF: ("ref", "referanse", "saksnr", "saksnummer", "sak", "saksref", "sak nr", "løpenr", "løpenummer"),
    Field.NAME: ("navn", "fullt navn", "bruker", "brukerens navn", "deltaker", "ungdom", "kandidat", "etternavn fornavn",
                 "fornavn etternavn"),
    Field.FIRST_NAME: ("fornavn",),
    Field.LAST_NAME: ("etternavn",),
    Field.BIRTH_DATE: ("fødselsdato", "født", "fødd", "fdato", "f dato", "fødselsdag", "fødd dato"),
    Field.FNR: ("fødselsnummer", "fnr", "fødselsnr", "personnummer", "d nummer", "dnr", "fnr dnr", "pnr", "fødselsnummer d nummer"),
    Field.PHONE: ("telefon", "tlf", "mobil", "mobilnummer", "telefonnummer", "tlf nr", "mob", "mobiltelefon"),
    Field.EMAIL: ("e post", "epost", "e mail", "email", "mail", "e postadresse", "epostadresse"),
    Field.INNSATSGRUPPE: ("innsatsgruppe", "innsatsbehov", "innsats", "§ 14 a", "14 a vedtak", "vedtak 14 a"),
    Field.REGISTERED_ON: ("registrert", "registreringsdato", "reg dato", "registrert dato", "dato registrert",
                          "registrert som arbeidssøker", "arbeidssøker fra", "regdato"),
    Field.LAST_MEETING: ("siste møte", "sist møte", "forrige møte", "siste samtale", "sist møtt", "siste oppmøte"),
    Field.NEXT_MEETING: ("neste møte", "neste avtale", "neste samtale", "neste treffpunkt", "avtalt møte", "neste oppmøte"),
    Field.GOAL: ("mål", "mitt mål", "brukers mål", "målsetting", "ønske", "mål for oppfølgingen"),
    Field.HOVEDMAL: ("hovedmål",),
    Field.BENEFIT: ("ytelse", "ytelser", "stønad", "livsopphold"),
    Field.ADVISOR: ("veileder", "kontaktperson", "fast kontaktperson", "saksbehandler", "nav veileder", "veilederident"),
    Field.LANGUAGE: ("språk", "morsmål", "foretrukket språk"),
    Field.INTERPRETER: ("tolk", "behov for tolk", "tolkebehov", "trenger tolk"),
    Field.FLAGS: ("markeringer", "markering", "flagg", "prioritert gruppe"),
}


def normalise_header(text: str) -> str:
    text = str(text).strip().lower().replace("§", " § ")
    text = re.sub(r"[-_./():,;?*]+", " ", text)
    return " ".join(text.split())


def recognise_header(text: str) -> Field | None:
    """The field a header names, or None («Alder», «Neste frist» and the like)."""
    norm = normalise_header(text)
    if not norm:
        return None
    for fld, names in _SYNONYMS.items():
        if norm in names:
            return fld
    words = norm.split()
    best: tuple[int, Field] | None = None
    for fld, names in _SYNONYMS.items():
        for name in names:
            parts = name.split()
            n = len(parts)
            if any(words[i:i + n] == parts for i in range(len(words) - n + 1)):
                # The longest synonym wins: «dato neste møte» is Neste møte, not a bare «møte».
                if best is None or len(name) > best[0]:
                    best = (len(name), fld)
    return best[1] if best else None


# --- reading files -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One spreadsheet row: its number as the spreadsheet shows it, and the cell values."""

    number: int
    cells: tuple[Any, ...]

    def cell(self, column: int | None) -> Any:
        if column is None or column >= len(self.cells):
            return None
        value = self.cells[column]
        if isinstance(value, str):
            value = value.strip()
            # Our own CSV export escapes text that Excel would run as a formula with «'».
            if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
                value = value[1:]
            return value or None
        return value


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[SourceRow, ...]
    header_row: int = 1
    kind: str = "xlsx"  # "xlsx" or "csv"
    encoding: str | None = None
    delimiter: str | None = None

    def column_name(self, column: int) -> str:
        """«Fødselsdato (C)»: the header and, as Excel shows it, the column letter."""
        return f"{self.headers[column]} ({column_letter(column)})"

    def describe(self) -> str:
        if self.kind == "csv":
            sep = {";": "semikolon", ",": "komma", "\t": "tabulator"}.get(self.delimiter or "", repr(self.delimiter))
            return f"CSV, tegnsett {ENCODING_LABELS.get(self.encoding or '', self.encoding)}, skilletegn {sep}"
        return "Excel-arbeidsbok (.xlsx)"


ENCODING_LABELS = {"utf-8-sig": "UTF-8 med BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252", "utf-16": "UTF-16"}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def read_table(path: Path | str) -> Table:
    """Read an .xlsx/.xlsm or .csv file into a Table; ValidationError when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise ValidationError([Problem(path.name, "det gamle Excel-formatet (.xls) kan ikke leses: lagre filen som "
                                                  ".xlsx (Fil → Lagre som → Excel-arbeidsbok) og prøv igjen")])
    try:
        if suffix in SPREADSHEET_SUFFIXES:
            return _read_xlsx(path)
        if suffix in CSV_SUFFIXES:
            return read_csv_bytes(path.read_bytes())
    except FileNotFoundError:
        raise ValidationError([Problem(path.name, "filen finnes ikke")]) from None
    except IsADirectoryError:
        raise ValidationError([Problem(path.name, "er en mappe, ikke en fil")]) from None
    except PermissionError:
        raise ValidationError([Problem(path.name, "kan ikke lese filen (mangler tilgang, eller er den åpen i Excel?)")]) from None
    raise ValidationError([Problem(path.name, "ukjent filtype: bruk .xlsx eller .csv")])


def _read_xlsx(path: Path) -> Table:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        if isinstance(exc, (FileNotFoundError, PermissionError, IsADirectoryError)):
            raise
        raise ValidationError([Problem(path.name, "ikke en gyldig Excel-fil (.xlsx)")]) from None
    try:
        ws = wb.active if wb.active is not None else wb.worksheets[0]
        # Files written by other programs can carry wrong dimensions; read-only mode trusts them.
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()
        raw = [(number, tuple(values)) for number, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    finally:
        wb.close()
    return _table(raw, kind="xlsx")


def read_csv_bytes(data: bytes) -> Table:
    """CSV in UTF-8 (with or without BOM), UTF-16 (BOM) or Windows-1252; separator ; , or tab."""
    text, encoding = _decode(data)
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    raw: list[tuple[int, tuple[Any, ...]]] = []
    try:
        # Rows are numbered as Excel shows the file: one row per record (a quoted cell spanning
        # two lines is still one row), blank lines included.
        for number, cells in enumerate(reader, start=1):
            raw.append((number, tuple(cells)))
    except csv.Error as exc:
        raise ValidationError([Problem(f"linje {reader.line_num}", f"CSV-filen kan ikke leses ({exc})")]) from None
    return _table(raw, kind="csv", encoding=encoding, delimiter=delimiter)


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Norwegian Excel saves «CSV (semikolondelt)» in Windows-1252. Five byte values are
        # undefined there; latin-1 reads them rather than failing on one odd character.
        try:
            return data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            return data.decode("latin-1"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """The separator that splits the first lines into the same number (> 1) of cells."""
    lines = [line for line in text.splitlines() if line.strip()][:20]
    if not lines:
        return ";"
    best = (";", -1.0)
    for delimiter in (";", ",", "\t"):
        try:
            counts = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        head = counts[0]
        if head < 2:
            continue
        consistent = sum(1 for c in counts if c == head) / len(counts)
        score = consistent * 1000 + head
        if score > best[1]:
            best = (delimiter, score)
    return best[0]


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _table(raw: list[tuple[int, tuple[Any, ...]]], *, kind: str, encoding: str | None = None,
           delimiter: str | None = None) -> Table:
    rows = [(n, cells) for n, cells in raw if not all(_is_empty(c) for c in cells)]
    if not rows:
        raise ValidationError([Problem("", "filen er tom (fant ingen rader)")])
    # A title line («Min portefølje, juni 2024») may sit above the headers: take the first of the
    # first ten rows where at least two headers are recognised, else the first non-empty row.
    header_index = 0
    for i, (_, cells) in enumerate(rows[:10]):
        if sum(1 for c in cells if isinstance(c, str) and recognise_header(c)) >= 2:
            header_index = i
            break
    header_number, header_cells = rows[header_index]
    width = max(len(cells) for _, cells in rows[header_index:])
    headers = []
    for i in range(width):
        value = header_cells[i] if i < len(header_cells) else None
        headers.append(str(value).strip() if not _is_empty(value) else f"Kolonne {column_letter(i)}")
    # Columns with neither a header nor any value are dropped (Excel's trailing empty columns).
    data = rows[header_index + 1:]
    keep = [i for i in range(width) if not _is_empty(header_cells[i] if i < len(header_cells) else None)
            or any(i < len(cells) and not _is_empty(cells[i]) for _, cells in data)]
    return Table(
        headers=tuple(headers[i] for i in keep),
        rows=tuple(SourceRow(n, tuple(cells[i] if i < len(cells) else None for i in keep)) for n, cells in data),
        header_row=header_number,
        kind=kind,
        encoding=encoding,
        delimiter=delimiter,
    )


# --- the mapping ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """For each column of the table, the field it fills (None: not imported)."""

    fields: tuple[Field | None, ...]

    @classmethod
    def recognise(cls, headers: Sequence[str]) -> ColumnMapping:
        """Pre-filled from the headers; when two columns name the same field, the first wins."""
        seen: set[Field] = set()
        out: list[Field | None] = []
        for header in headers:
            fld = recognise_header(header)
            if fld in seen:
                fld = None
            if fld is not None:
                seen.add(fld)
            out.append(fld)
        return cls(tuple(out))

    def with_field(self, column: int, fld: Field | None) -> ColumnMapping:
        """A copy with ``column`` mapped to ``fld``; another column holding ``fld`` is released."""
        out = [None if (fld is not None and f == fld and i != column) else f for i, f in enumerate(self.fields)]
        out[column] = fld
        return ColumnMapping(tuple(out))

    def column_of(self, fld: Field) -> int | None:
        for i, f in enumerate(self.fields):
            if f == fld:
                return i
        return None

    def mapped(self) -> frozenset[Field]:
        return frozenset(f for f in self.fields if f is not None)

    def problems(self) -> list[str]:
        """What makes the mapping unusable (then no row can be imported)."""
        have = self.mapped()
        out = []
        if Field.NAME not in have and not {Field.FIRST_NAME, Field.LAST_NAME} <= have:
            out.append("Ingen kolonne er valgt for navn (Navn, eller Fornavn og Etternavn).")
        if Field.BIRTH_DATE not in have and Field.FNR not in have:
            out.append("Ingen kolonne er valgt for fødselsdato (Fødselsdato eller Fødselsnummer).")
        return out


# --- values --------------------------------------------------------------------------------------

_DMY = re.compile(r"(\d{1,2})\s*[./-]\s*(\d{1,2})\s*[./-]\s*(\d{4}|\d{2})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIME = re.compile(r"(?:[T ,]\s*|\s+)(?:kl\.?\s*)?(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class CellError(ValueError):
    """A cell that cannot be read; the message is bokmål and names no personal data."""


def show(value: Any) -> str:
    """A cell as the spreadsheet shows it (for the preview table and problem texts)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%d.%m.%Y")
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _quote(value: Any) -> str:
    text = show(value)
    return repr(text[:40] + "…" if len(text) > 40 else text)


def parse_date_time(value: Any, *, as_of: dt.date, max_year: int | None = None) -> tuple[dt.date, dt.time | None]:
    """A date (and time, when given) from an Excel cell or Norwegian text.

    Accepts Excel date cells, 17.05.2024, 17.5.24, 17/05/2024, 17-05-2024, 2024-05-17 and an
    optional time («17.05.2024 10:30», «kl. 10.30»). Two-digit years are 20yy up to
    ``max_year`` (default: ten years after ``as_of``), otherwise 19yy."""
    if isinstance(value, dt.datetime):
        clock = value.time().replace(second=0, microsecond=0)
        return value.date(), (clock if clock != dt.time(0, 0) else None)
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, bool):
        raise CellError(f"ikke en dato: {_quote(value)}")
    if isinstance(value, (int, float)):
        # An Excel serial number in a cell without date format (1927–2119 only).
        if 10_000 <= value <= 80_000:
            day = _EXCEL_EPOCH + dt.timedelta(days=int(value))
            fraction = value - int(value)
            minutes = round(fraction * 24 * 60)
            return day, (dt.time(minutes // 60, minutes % 60) if 0 < minutes < 24 * 60 else None)
        raise CellError(f"ikke en dato: {_quote(value)} (skriv dd.mm.åååå)")
    text = str(value).strip()
    m = _ISO.match(text)
    if m:
        y, mo, dd = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _DMY.match(text)
        if not m:
            raise CellError(f"ikke en dato: {_quote(value)} (skriv dd.mm.åååå)")
        dd, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if len(m.group(3)) == 2:
            limit = (max_year if max_year is not None else as_of.year + 10) % 100
            y += 2000 if y <= limit else 1900
    rest = text[m.end():]
    t: dt.time | None = None
    if rest.strip():
        tm = _TIME.fullmatch(rest.rstrip())
        if not tm:
            raise CellError(f"ikke en dato: {_quote(value)} (skriv dd.mm.åååå)")
        hh, mm = int(tm.group(1)), int(tm.group(2))
        if hh > 23 or mm > 59:
            raise CellError(f"ugyldig klokkeslett i {_quote(value)}")
        t = dt.time(hh, mm) if (hh, mm) != (0, 0) else None
    try:
        return dt.date(y, mo, dd), t
    except ValueError:
        raise CellError(f"datoen finnes ikke: {_quote(value)}") from None


def parse_date(value: Any, *, as_of: dt.date, max_year: int | None = None) -> dt.date:
    return parse_date_time(value, as_of=as_of, max_year=max_year)[0]


def clean_fnr(value: Any) -> str:
    """Digits only; an Excel number loses a leading zero (010504… → 10504…), which is restored."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.\-]", "", str(value))
    if isinstance(value, int) or (text.isdigit() and len(text) == 10):
        text = text.zfill(11)
    return text


def _key(text: str) -> str:
    return " ".join(re.sub(r"[-_.,/()«»\"']+", " ", text.lower()).split())


_INNSATS: dict[str, d.Innsatsgruppe] = {}
for _g, _label in d.INNSATSGRUPPE_LABELS.items():
    _INNSATS[_key(_label)] = _g
    _INNSATS[_key(_g.value)] = _g
for _g, _label in d.INNSATSGRUPPE_SHORT.items():
    _INNSATS[_key(_label)] = _g
    _INNSATS[_key(_label + " innsats")] = _g
_I = d.Innsatsgruppe
_INNSATS.update({
    # Arena's old codes and the names used before 2023, as lists from those years have them.
    "ikval": _I.STANDARD_INNSATS, "bform": _I.SITUASJONSBESTEMT_INNSATS, "batt": _I.SPESIELT_TILPASSET_INNSATS,
    "varig": _I.VARIG_TILPASSET_INNSATS, "standardinnsats": _I.STANDARD_INNSATS, "standard": _I.STANDARD_INNSATS,
    "situasjonsbestemt innsats": _I.SITUASJONSBESTEMT_INNSATS, "spesielt tilpasset innsats": _I.SPESIELT_TILPASSET_INNSATS,
    "varig tilpasset innsats": _I.VARIG_TILPASSET_INNSATS, "gradert varig tilpasset innsats": _I.GRADERT_VARIG_TILPASSET_INNSATS,
    "delvis varig tilpasset innsats": _I.GRADERT_VARIG_TILPASSET_INNSATS, "varig tilpasset": _I.VARIG_TILPASSET_INNSATS,
    "gode muligheter for å komme i arbeid": _I.STANDARD_INNSATS, "trenger veiledning nedsatt arbeidsevne": _I.SPESIELT_TILPASSET_INNSATS,
    "liten mulighet": _I.VARIG_TILPASSET_INNSATS, "jobbe delvis": _I.GRADERT_VARIG_TILPASSET_INNSATS,
})

_HOVEDMAL: dict[str, d.Hovedmal] = {}
for _h, _label in d.HOVEDMAL_LABELS.items():
    _HOVEDMAL[_key(_label)] = _h
    _HOVEDMAL[_key(_h.value)] = _h
_HOVEDMAL.update({"øke deltakelse": d.Hovedmal.OKE_DELTAKELSE, "mål om arbeid": d.Hovedmal.OKE_DELTAKELSE})

_FLAGS: dict[str, d.Flag] = {}
for _f, _label in d.FLAG_LABELS.items():
    _FLAGS[_key(_label)] = _f
    _FLAGS[_key(_f.value)] = _f
_FLAGS.update({"landgruppe3": d.Flag.LANDGRUPPE_3, "lg3": d.Flag.LANDGRUPPE_3, "ukrainsk": d.Flag.UKRAINA,
               "kvalifiseringsprogrammet": d.Flag.KVP})

_YES = {"ja", "j", "x", "yes", "true", "1", "sann", "trenger tolk", "behov"}
_NO = {"nei", "n", "no", "false", "0", "usann", "-", "ingen", "ikke behov"}

# A language named in a cell → its code: the names of the one list (domain.LANGUAGE_LABELS)
# and the short forms people write.
LANGUAGES = {
    **{label.lower(): code for code, label in d.LANGUAGE_LABELS.items()},
    "norsk": "nb", "bokmål": "nb", "nynorsk": "nn", "samisk": "se", "somalisk": "so", "persisk": "fa",
    "farsi": "fa",
}


def parse_innsatsgruppe(value: Any) -> d.Innsatsgruppe:
    key = _key(show(value))
    group = _INNSATS.get(key) or _INNSATS.get(key.replace(" ", "_"))
    if group is None:
        known = ", ".join(f"«{label}»" for label in d.INNSATSGRUPPE_LABELS.values())
        raise CellError(f"ukjent innsatsgruppe {_quote(value)} (kjente: {known}, eller kodene IKVAL/BFORM/BATT/VARIG)")
    return group


def parse_hovedmal(value: Any) -> d.Hovedmal:
    key = _key(show(value))
    goal = _HOVEDMAL.get(key) or _HOVEDMAL.get(key.replace(" ", "_"))
    if goal is None:
        known = ", ".join(f"«{label}»" for label in d.HOVEDMAL_LABELS.values())
        raise CellError(f"ukjent hovedmål {_quote(value)} (kjente: {known})")
    return goal


def parse_flags(value: Any) -> tuple[d.Flag, ...]:
    out: list[d.Flag] = []
    for part in re.split(r"[,;/\n]+", show(value)):
        if not part.strip():
            continue
        key = _key(part)
        fl = _FLAGS.get(key) or _FLAGS.get(key.replace(" ", "-")) or _FLAGS.get(key.replace(" ", ""))
        if fl is None:
            known = ", ".join(d.FLAG_LABELS.values())
            raise CellError(f"ukjent markering {_quote(part.strip())} (kjente: {known})")
        if fl not in out:
            out.append(fl)
    return tuple(out)


def parse_yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    key = _key(show(value))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise CellError(f"forstår ikke {_quote(value)} (skriv ja eller nei)")


def parse_language(value: Any) -> str:
    text = show(value)
    return LANGUAGES.get(text.lower(), text)


@dataclass(frozen=True, slots=True)
class _Benefit:
    benefits: d.Benefits
    notes: tuple[str, ...]


_BENEFIT_PART = re.compile(r"(?P<name>[^\d]+?)\s*(?:(?P<word>til|fra|slutt|start|søkt|innvilget|vedtak)\s*)?(?P<date>[\d][\d./-]*\d)?\s*$")


def parse_benefit(value: Any, *, as_of: dt.date, current: d.Benefits) -> _Benefit:
    """«Dagpenger til 31.12.2024», «AAP fra 01.02.2024», «AAP søkt 15.05.2024», «Omstillingsstønad».

    The rules need the benefit's dates; a benefit named without a date is noted, not invented."""
    dp, aap, oms = current.dagpenger, current.aap, current.omstillingsstonad
    notes: list[str] = []
    for part in re.split(r"[;,\n]+|\s+og\s+|\s*\+\s*", show(value)):
        part = part.strip()
        if not part or _key(part) in ("ingen", "nei", "-"):
            continue
        m = _BENEFIT_PART.match(part)
        name = _key(m.group("name")) if m else _key(part)
        word = (m.group("word") or "") if m else ""
        day = parse_date(m.group("date"), as_of=as_of) if m and m.group("date") else None
        if name in ("dagpenger", "dp"):
            if day is None:
                notes.append("Ytelse «Dagpenger» uten sluttdato er ikke registrert (skriv «Dagpenger til dd.mm.åååå»).")
            else:
                dp = d.Dagpenger(end=day)
        elif name in ("aap", "arbeidsavklaringspenger"):
            if day is None:
                notes.append("Ytelse «AAP» uten dato er ikke registrert (skriv «AAP fra dd.mm.åååå» eller «AAP søkt dd.mm.åååå»).")
            elif word == "søkt":
                aap = dataclasses.replace(aap, applied_on=day)
            elif word in ("innvilget", "vedtak"):
                aap = dataclasses.replace(aap, decided_on=day)
            elif word in ("til", "slutt"):
                aap = dataclasses.replace(aap, end=day)
            else:
                aap = dataclasses.replace(aap, start=day)
        elif name in ("omstillingsstønad", "omstillingsstonad"):
            notes.append("Ytelse «Omstillingsstønad» er ikke registrert: legg inn dødsdatoen i saken.")
        else:
            # Sosialhjelp, sykepenger, KVP-stønad …: real, but nothing the rules read.
            notes.append(f"Ytelse {_quote(part)} registreres ikke i porteføljen (bare dagpenger og AAP har frister).")
    return _Benefit(d.Benefits(dagpenger=dp, aap=aap, omstillingsstonad=oms), tuple(notes))


# --- preview -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    column: str  # «Fødselsdato (C)»; "" for the row as a whole
    message: str

    def __str__(self) -> str:
        where = f"Rad {self.row}, {self.column}" if self.column else f"Rad {self.row}"
        return f"{where}: {self.message}"


class RowAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    REJECT = "reject"


@dataclass(frozen=True, slots=True)
class RowResult:
    row: int
    case: d.Case | None
    problems: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()  # not errors: what was left out or assumed
    action: RowAction = RowAction.CREATE
    cells: tuple[str, ...] = ()  # the row's cells as shown, for the preview

    @property
    def ok(self) -> bool:
        return self.case is not None and not self.problems

    def problem_text(self) -> str:
        return "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in self.problems)


@dataclass(frozen=True, slots=True)
class Preview:
    table: Table
    mapping: ColumnMapping
    rows: tuple[RowResult, ...]
    mapping_problems: tuple[str, ...] = ()

    @property
    def valid(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.rows if r.ok)

    @property
    def rejected(self) -> tuple[RowResult, ...]:
        return tuple(r for r in self.rows if not r.ok)

    @property
    def cases(self) -> tuple[d.Case, ...]:
        return tuple(r.case for r in self.rows if r.ok and r.case is not None)

    def counts(self) -> tuple[int, int, int]:
        """(new cases, updated cases, rejected rows)."""
        v = self.valid
        return (sum(1 for r in v if r.action is RowAction.CREATE), sum(1 for r in v if r.action is RowAction.UPDATE),
                len(self.rejected))

    def portfolio(self) -> d.Portfolio:
        """The valid rows, ready for ``PortfolioService.import_portfolio`` (one transaction)."""
        return d.Portfolio(cases=self.cases)


def _ref_number(ref: str) -> int | None:
    m = re.fullmatch(r"U-(\d+)", ref)
    return int(m.group(1)) if m else None


class _RowReader:
    def __init__(self, table: Table, mapping: ColumnMapping, row: SourceRow) -> None:
        self.table, self.mapping, self.row = table, mapping, row
        self.problems: list[RowProblem] = []
        self.notes: list[str] = []

    def col(self, fld: Field) -> str:
        c = self.mapping.column_of(fld)
        return self.table.column_name(c) if c is not None else FIELD_LABELS[fld]

    def raw(self, fld: Field) -> Any:
        return self.row.cell(self.mapping.column_of(fld))

    def bad(self, fld: Field | None, message: str) -> None:
        self.problems.append(RowProblem(self.row.number, self.col(fld) if fld else "", message))

    def text(self, fld: Field, limit: str) -> str | None:
        value = self.raw(fld)
        if value is None:
            return None
        text = " ".join(show(value).split()) if limit != "goal" else show(value)
        if len(text) > MAX[limit]:
            self.bad(fld, f"for lang tekst: {len(text)} tegn (maks {MAX[limit]})")
            return None
        if "\x00" in text:
            self.bad(fld, "inneholder ugyldige tegn")
            return None
        return text

    def parsed(self, fld: Field, parse: Any, **kw: Any) -> Any:
        value = self.raw(fld)
        if value is None:
            return None
        try:
            return parse(value, **kw)
        except CellError as exc:
            self.bad(fld, str(exc))
            return None


def preview(
    table: Table,
    mapping: ColumnMapping,
    advisor: str | None,
    as_of: dt.date,
    *,
    advisors: Collection[d.Advisor] = (),
    existing: Iterable[d.Case] = (),
    next_ref: str = "U-0001",
) -> Preview:
    """Each row as a Case (new, or an update of the matching existing case) or its problems.

    ``advisor`` is the ident new cases get when the row has no Veileder cell; ``advisors`` are the
    known advisors (a Veileder cell may hold an ident or a name); ``existing`` the cases already
    in the database; ``next_ref`` the next free «U-NNNN» (``CaseService.new_ref()``)."""
    mapping_problems = tuple(mapping.problems())
    if len(mapping.fields) != len(table.headers):
        raise ValueError("the mapping does not fit the table")
    existing = tuple(existing)
    by_ref: dict[str, d.Case] = {c.ref: c for c in existing}
    by_fnr = {c.fnr: c for c in existing if c.fnr}
    by_person = {(_key(c.name), c.birth_date): c for c in existing}
    idents = {a.ident for a in advisors}
    names = {_key(a.name): a.ident for a in advisors}
    # Generated refs continue the U-NNNN series after the database's and the file's own refs.
    file_refs = {show(r.cell(mapping.column_of(Field.REF))) for r in table.rows} if Field.REF in mapping.mapped() else set()
    numbers = [n for n in (_ref_number(x) for x in (*by_ref, *file_refs)) if n is not None]
    counter = max([*numbers, (_ref_number(next_ref) or 1) - 1])

    seen_refs: dict[str, int] = {}
    seen_fnr: dict[str, int] = {}
    results: list[RowResult] = []
    for src in table.rows:
        cells = tuple(show(c) for c in src.cells)
        if mapping_problems:
            results.append(RowResult(src.number, None, (RowProblem(src.number, "", mapping_problems[0]),),
                                     action=RowAction.REJECT, cells=cells))
            continue
        r = _RowReader(table, mapping, src)
        case = _read_case(r, advisor, as_of, idents, names)
        match: d.Case | None = None
        if case is not None:
            ref_cell = r.text(Field.REF, "ref")
            if ref_cell:
                match = by_ref.get(ref_cell)
            elif case.fnr and case.fnr in by_fnr:
                match = by_fnr[case.fnr]
            else:
                match = by_person.get((_key(case.name), case.birth_date))
            if match is not None:
                case = _merge(match, case, mapping.mapped(), as_of, advisor_given=r.raw(Field.ADVISOR) is not None)
            elif ref_cell:
                case = dataclasses.replace(case, ref=d.CaseRef(ref_cell))
            else:
                counter += 1
                case = dataclasses.replace(case, ref=d.CaseRef(f"U-{counter:04d}"))
            if case.fnr:
                if case.fnr in seen_fnr:
                    r.bad(Field.FNR, f"samme fødselsnummer som rad {seen_fnr[case.fnr]}")
                else:
                    seen_fnr[case.fnr] = src.number
            if case.ref in seen_refs:
                r.bad(Field.REF if ref_cell else None, f"samme sak som rad {seen_refs[case.ref]} ({case.ref})")
            else:
                seen_refs[case.ref] = src.number
            for p in validate_case(case):
                r.problems.append(RowProblem(src.number, "", p.message))
        if r.problems or case is None:
            results.append(RowResult(src.number, None, tuple(r.problems), tuple(r.notes), RowAction.REJECT, cells))
        else:
            action = RowAction.UPDATE if match is not None else RowAction.CREATE
            results.append(RowResult(src.number, case, (), tuple(r.notes), action, cells))
    return Preview(table=table, mapping=mapping, rows=tuple(results), mapping_problems=mapping_problems)


def _read_case(r: _RowReader, advisor: str | None, as_of: dt.date, idents: Collection[str],
               names: Mapping[str, str]) -> d.Case | None:
    # Name
    name = r.text(Field.NAME, "name")
    if name is None and (r.raw(Field.FIRST_NAME) is not None or r.raw(Field.LAST_NAME) is not None):
        first, last = r.text(Field.FIRST_NAME, "name"), r.text(Field.LAST_NAME, "name")
        name = " ".join(x for x in (first, last) if x) or None
        if name and len(name) > MAX["name"]:
            r.bad(Field.LAST_NAME, f"for langt navn: {len(name)} tegn (maks {MAX['name']})")
            name = None
    if name is None and not any(p.column for p in r.problems):
        column = Field.NAME if Field.NAME in r.mapping.mapped() else Field.FIRST_NAME
        r.bad(column, "navn mangler")

    # Fødselsnummer and birth date (the birth date may come from the fnr)
    fnr: str | None = None
    fnr_birth: dt.date | None = None
    raw_fnr = r.raw(Field.FNR)
    if raw_fnr is not None:
        fnr = clean_fnr(raw_fnr)
        message = validate_fnr(fnr)
        if message:
            r.bad(Field.FNR, message)  # the number itself is never repeated
            fnr = None
        else:
            from stdnum.no import fodselsnummer

            try:
                fnr_birth = fodselsnummer.get_birth_date(fnr)
            except Exception:  # noqa: BLE001 - a valid checksum with an odd date part (D-/H-number)
                fnr_birth = None
    birth = r.parsed(Field.BIRTH_DATE, parse_date, as_of=as_of, max_year=as_of.year)
    if birth is None and r.raw(Field.BIRTH_DATE) is None:
        if fnr_birth is not None:
            birth = fnr_birth
        elif raw_fnr is None or fnr is not None:
            r.bad(Field.BIRTH_DATE if Field.BIRTH_DATE in r.mapping.mapped() else Field.FNR, "fødselsdato mangler")
    if birth is not None:
        if fnr_birth is not None and birth != fnr_birth:
            r.bad(Field.BIRTH_DATE, "fødselsdatoen stemmer ikke med fødselsnummeret")
        if birth > as_of:
            r.bad(Field.BIRTH_DATE, f"fødselsdatoen er etter dagens dato ({birth:%d.%m.%Y})")
        elif birth.year < 1900:
            r.bad(Field.BIRTH_DATE, f"urimelig fødselsdato ({birth:%d.%m.%Y})")
        else:
            from navoppfolging.dates import age_on

            age = age_on(birth, as_of)
            if not 16 <= age < 30:
                r.notes.append(f"Alder {age} år: utenfor ungdomsgarantien (16–29 år).")

    registered = r.parsed(Field.REGISTERED_ON, parse_date, as_of=as_of)
    if registered is not None and registered > as_of:
        r.notes.append("Registreringsdatoen er etter dagens dato.")
    group = r.parsed(Field.INNSATSGRUPPE, parse_innsatsgruppe)
    assessments: tuple[d.Assessment, ...] = ()
    if group is not None:
        when = registered if registered is not None and registered <= as_of else as_of
        if registered is None:
            r.notes.append("Innsatsgruppen er datert i dag (raden har ingen registreringsdato).")
        assessments = (d.Assessment(date=when, innsatsgruppe=group, note=IMPORT_NOTE),)

    contacts: list[d.Contact] = []
    last = r.parsed(Field.LAST_MEETING, parse_date_time, as_of=as_of)
    if last is not None:
        if last[0] > as_of:
            r.bad(Field.LAST_MEETING, f"siste møte kan ikke være etter dagens dato ({last[0]:%d.%m.%Y})")
        else:
            contacts.append(d.Contact(id=d.ItemId("k1"), date=last[0], channel=d.Channel.OPPMOTE,
                                      status=d.ContactStatus.GJENNOMFORT, time=last[1]))
    nxt = r.parsed(Field.NEXT_MEETING, parse_date_time, as_of=as_of)
    if nxt is not None:
        if nxt[0] < as_of:
            r.notes.append("Neste møte er før dagens dato; det er lagt inn som planlagt møte.")
        contacts.append(d.Contact(id=d.ItemId(f"k{len(contacts) + 1}"), date=nxt[0], channel=d.Channel.OPPMOTE,
                                  status=d.ContactStatus.PLANLAGT, time=nxt[1]))

    email = r.text(Field.EMAIL, "email")
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        r.bad(Field.EMAIL, "ikke en gyldig e-postadresse")
        email = None
    benefits = d.Benefits()
    raw_benefit = r.raw(Field.BENEFIT)
    if raw_benefit is not None:
        try:
            parsed = parse_benefit(raw_benefit, as_of=as_of, current=benefits)
            benefits = parsed.benefits
            r.notes.extend(parsed.notes)
        except CellError as exc:
            r.bad(Field.BENEFIT, str(exc))

    ident = advisor
    advisor_cell = r.text(Field.ADVISOR, "name")
    if advisor_cell is not None:
        if advisor_cell in idents or advisor_cell.upper() in idents:
            ident = advisor_cell if advisor_cell in idents else advisor_cell.upper()
        elif _key(advisor_cell) in names:
            ident = names[_key(advisor_cell)]
        else:
            r.bad(Field.ADVISOR, f"ukjent veileder {_quote(advisor_cell)} (bruk NAV-ident eller navnet på en veileder i databasen)")
    if not ident and advisor_cell is None:
        r.bad(None, "ingen veileder: velg veileder for importen eller fyll ut kolonnen Veileder")

    case = d.Case(
        ref=d.CaseRef(""),
        advisor=d.AdvisorIdent(ident or ""),
        name=name or "",
        birth_date=birth or dt.date.min,
        fnr=fnr,
        phone=r.text(Field.PHONE, "phone"),
        email=email,
        language=r.parsed(Field.LANGUAGE, parse_language),
        needs_interpreter=bool(r.parsed(Field.INTERPRETER, parse_yes_no)),
        flags=r.parsed(Field.FLAGS, parse_flags) or (),
        registered_on=registered,
        goal=r.text(Field.GOAL, "goal"),
        hovedmal=r.parsed(Field.HOVEDMAL, parse_hovedmal),
        benefits=benefits,
        assessments=assessments,
        contacts=tuple(contacts),
    )
    if case.language is not None and len(case.language) > MAX["language"]:
        r.bad(Field.LANGUAGE, f"for lang tekst (maks {MAX['language']})")
    return None if r.problems else case


# Scalar fields a row replaces on an existing case when its cell is filled.
_SCALARS: dict[Field, tuple[str, ...]] = {
    Field.NAME: ("name",), Field.FIRST_NAME: ("name",), Field.LAST_NAME: ("name",),
    Field.BIRTH_DATE: ("birth_date",), Field.FNR: ("fnr", "birth_date"), Field.PHONE: ("phone",),
    Field.EMAIL: ("email",), Field.REGISTERED_ON: ("registered_on",), Field.GOAL: ("goal",),
    Field.HOVEDMAL: ("hovedmal",), Field.LANGUAGE: ("language",), Field.INTERPRETER: ("needs_interpreter",),
    Field.FLAGS: ("flags",),
}


def _next_id(prefix: str, existing: Iterable[str]) -> d.ItemId:
    """«k7» after k1…k6, as ``services.next_item_id`` (not imported: this module stays light)."""
    numbers = [int(m.group(1)) for x in existing if (m := re.fullmatch(rf"{re.escape(prefix)}(\d+)", x))]
    return d.ItemId(f"{prefix}{max(numbers, default=0) + 1}")


def _merge(old: d.Case, new: d.Case, mapped: frozenset[Field], as_of: dt.date, *, advisor_given: bool) -> d.Case:
    """``old`` with the row's filled cells applied; its history is kept, never replaced."""
    changes: dict[str, Any] = {}
    empty = d.Case(ref=d.CaseRef(""), advisor=d.AdvisorIdent(""), name="", birth_date=dt.date.min)
    for fld, attrs in _SCALARS.items():
        if fld not in mapped:
            continue
        for attr in attrs:
            value = getattr(new, attr)
            if value != getattr(empty, attr) and value is not None:
                changes[attr] = value
    if Field.INTERPRETER in mapped:
        changes["needs_interpreter"] = new.needs_interpreter
    if advisor_given:
        changes["advisor"] = new.advisor
    if Field.BENEFIT in mapped and new.benefits != d.Benefits():
        b = old.benefits
        nb = new.benefits
        changes["benefits"] = d.Benefits(
            dagpenger=nb.dagpenger if nb.dagpenger.end else b.dagpenger,
            aap=d.Aap(**{k: getattr(nb.aap, k) or getattr(b.aap, k) for k in ("applied_on", "decided_on", "start", "end")}),
            omstillingsstonad=b.omstillingsstonad,
        )
    assessments = old.assessments
    for a in new.assessments:
        current = max(old.assessments, key=lambda x: x.date, default=None)
        if current is None or current.innsatsgruppe != a.innsatsgruppe:
            # A new group dated before the latest assessment would not become current.
            when = a.date if current is None or a.date > current.date else max(as_of, current.date)
            assessments = (*assessments, dataclasses.replace(a, date=when))
    contacts = old.contacts
    for k in new.contacts:
        if any(x.date == k.date and x.status == k.status for x in contacts):
            continue
        contacts = (*contacts, dataclasses.replace(k, id=_next_id("k", (x.id for x in contacts))))
    return dataclasses.replace(old, **changes, assessments=assessments, contacts=contacts)


# --- the report of rejected rows -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RejectReport:
    """Rejected rows with row number and reason; no names or fødselsnummer, so it can be shared."""

    source: str
    problems: tuple[RowProblem, ...] = ()
    mapping_problems: tuple[str, ...] = ()
    rows_total: int = 0
    rows_rejected: int = 0
    notes: tuple[tuple[int, str], ...] = field(default=())

    @classmethod
    def from_preview(cls, result: Preview, source: str = "") -> RejectReport:
        return cls(
            source=source,
            problems=tuple(p for r in result.rejected for p in r.problems),
            mapping_problems=result.mapping_problems,
            rows_total=len(result.rows),
            rows_rejected=len(result.rejected),
            notes=tuple((r.row, n) for r in result.valid for n in r.notes),
        )

    def lines(self) -> list[str]:
        return [*self.mapping_problems, *(str(p) for p in self.problems)]

    def to_text(self) -> str:
        head = f"Avviste rader{f' i {self.source}' if self.source else ''}: {self.rows_rejected} av {self.rows_total}"
        out = [head, ""]
        out += self.lines() or ["Ingen rader er avvist."]
        if self.notes:
            out += ["", "Merknader til importerte rader:"]
            out += [f"Rad {row}: {text}" for row, text in self.notes]
        return "\n".join(out) + "\n"

    def to_csv(self) -> bytes:
        """UTF-8 with BOM and semicolons: what Norwegian Excel opens as columns."""
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
        w.writerow(["Rad", "Kolonne", "Feil"])
        for text in self.mapping_problems:
            w.writerow(["", "", text])
        for p in self.problems:
            w.writerow([p.row, p.column, p.message])
        return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")

    def save(self, path: Path | str) -> None:
        path = Path(path)
        data = self.to_csv() if path.suffix.lower() == ".csv" else self.to_text().encode("utf-8")
        atomic_write_bytes(path, data)
