"""The printed activity plan (aktivitetsplan): an A4 PDF for the meeting with the young person.

The plan is the young person's own document («ikke om meg uten meg»): it speaks to them («Du»),
in bokmål, without the rule engine's vocabulary. What goes on paper is chosen by a
:class:`PlanProfile`; «Til møtet» is the default and leaves out the fødselsnummer, contact
notes and internal details, «Saksmappe» is the fuller copy for the case file. The fødselsnummer
is printed only when asked for each time (``include_fnr``, the preview's «Ta med
fødselsnummer», the command line's ``--with-fnr``), and only in a profile that allows it.

ReportLab is imported only inside :func:`render_plan` (≈ 0.2 s): the window and the other
sub-commands import this module for :class:`PlanProfile` without paying for it.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from navoppfolging.dates import fmt, fmt_long
from navoppfolging.domain import (
    ACTIVITY_STATUS_LABELS,
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    CONTACT_STATUS_LABELS,
    HOVEDMAL_LABELS,
    INNSATSGRUPPE_LABELS,
    Activity,
    ActivityStatus,
    Advisor,
    Case,
    Contact,
    ContactStatus,
    Responsible,
    responsible_label,
)

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "DEFAULT",
    "GROUP_HEADINGS",
    "GROUP_ORDER",
    "OPEN_STATUSES",
    "PROFILES",
    "PlanProfile",
    "next_meeting",
    "office",
    "plan_filename",
    "render_plan",
    "select_activities",
]

# The order the groups are printed in, and their headings: what the young person is doing now
# comes first, what is finished or stopped last.
GROUP_ORDER: tuple[ActivityStatus, ...] = (
    ActivityStatus.GJENNOMFORES,
    ActivityStatus.PLANLAGT,
    ActivityStatus.FORSLAG,
    ActivityStatus.FULLFORT,
    ActivityStatus.AVBRUTT,
)
GROUP_HEADINGS: dict[ActivityStatus, str] = {
    ActivityStatus.GJENNOMFORES: "Dette holder jeg på med nå",
    ActivityStatus.PLANLAGT: ACTIVITY_STATUS_LABELS[ActivityStatus.PLANLAGT],
    ActivityStatus.FORSLAG: ACTIVITY_STATUS_LABELS[ActivityStatus.FORSLAG],
    ActivityStatus.FULLFORT: ACTIVITY_STATUS_LABELS[ActivityStatus.FULLFORT],
    ActivityStatus.AVBRUTT: ACTIVITY_STATUS_LABELS[ActivityStatus.AVBRUTT],
}
# «Hvem gjør hva til neste gang» lists what is still to be done.
OPEN_STATUSES: frozenset[ActivityStatus] = frozenset(
    {ActivityStatus.FORSLAG, ActivityStatus.PLANLAGT, ActivityStatus.GJENNOMFORES}
)
# None last: activities nobody has said who does («Ikke avklart») — to settle at the meeting.
_RESPONSIBLE_ORDER: tuple[Responsible | None, ...] = (
    Responsible.BRUKER, Responsible.NAV, Responsible.BEGGE, Responsible.ANNEN, None,
)
# Who is responsible, as the young person reads it. The window's «Annen» (someone other than
# the young person and NAV) is «Andre» here, and the activity's description says who (it is
# quoted under «Hvem gjør hva»); nobody recorded is something to agree on at the meeting.
_PARTY_LABELS: dict[Responsible | None, str] = {
    **{party: responsible_label(party) for party in _RESPONSIBLE_ORDER},
    Responsible.ANNEN: "Andre",
    None: "Ikke avklart ennå",
}
_UNSETTLED_HINT = "Avtal i møtet hvem som gjør dette."
_HINT_LENGTH = 120
_WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


@dataclass(frozen=True, slots=True)
class PlanProfile:
    """What one printed plan contains.

    ``statuses`` are the activity groups printed; ``date_from``/``date_to`` keep only activities
    whose period touches the range (undated activities are always kept: a suggestion without
    dates is still part of the plan); ``completed_within_days`` keeps only «Fullført» activities
    that ended at most that many days before the print date. ``notes_lines`` ruled lines give
    room for notes (0: none). ``may_include_fnr`` says the profile may carry the
    fødselsnummer (the preview then offers «Ta med fødselsnummer»); ``include_fnr`` is that
    choice, made explicitly for one print — no built-in profile has it on.
    """

    name: str
    label: str
    statuses: frozenset[ActivityStatus] = field(default_factory=lambda: frozenset(GROUP_ORDER))
    may_include_fnr: bool = False
    include_fnr: bool = False
    include_contact_notes: bool = False
    include_internal: bool = False
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    completed_within_days: int | None = None
    signature_lines: bool = False
    notes_lines: int = 6

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValueError("Fra-datoen kan ikke være etter til-datoen.")
        if self.notes_lines < 0:
            raise ValueError("Antall notatlinjer kan ikke være negativt.")
        if self.completed_within_days is not None and self.completed_within_days < 0:
            raise ValueError("Antall dager for fullførte aktiviteter kan ikke være negativt.")
        if self.include_fnr and not self.may_include_fnr:
            raise ValueError(f"Utskriften «{self.label}» kan ikke ta med fødselsnummer.")


PROFILES: dict[str, PlanProfile] = {
    "motet": PlanProfile(
        name="motet",
        label="Til møtet",
        statuses=frozenset(GROUP_ORDER) - {ActivityStatus.AVBRUTT},
        # Finished activities from the last three months show progress without burying
        # what is happening now under old history.
        completed_within_days=90,
        notes_lines=7,
    ),
    "saksmappe": PlanProfile(
        name="saksmappe",
        label="Til saksmappen",
        statuses=frozenset(GROUP_ORDER),
        # Offered, never on by default: the full number is printed only when asked for.
        may_include_fnr=True,
        include_contact_notes=True,
        include_internal=True,
        signature_lines=True,
        notes_lines=4,
    ),
}
DEFAULT: PlanProfile = PROFILES["motet"]


# --- Selection (pure, no ReportLab) -----------------------------------------------------------

def _overlaps(activity: Activity, start: dt.date | None, end: dt.date | None) -> bool:
    lo = activity.start or activity.end
    hi = activity.end or activity.start
    if lo is None or hi is None:
        return True
    if start is not None and hi < start:
        return False
    if end is not None and lo > end:
        return False
    return True


def _finished_on(activity: Activity) -> dt.date | None:
    return activity.end or activity.start


def _sort_key(activity: Activity) -> tuple[dt.date, dt.date, str]:
    return (activity.start or dt.date.max, activity.end or dt.date.max, activity.title.casefold())


def select_activities(
    case: Case, *, as_of: dt.date, profile: PlanProfile = DEFAULT,
) -> dict[ActivityStatus, list[Activity]]:
    """The activities the profile prints, per status in :data:`GROUP_ORDER` (empty groups left out).

    Open groups are ordered by start date; «Fullført» and «Avbrutt» with the latest first.
    """
    groups: dict[ActivityStatus, list[Activity]] = {}
    for status in GROUP_ORDER:
        if status not in profile.statuses:
            continue
        chosen = [a for a in case.activities
                  if a.status == status and _overlaps(a, profile.date_from, profile.date_to)]
        if status == ActivityStatus.FULLFORT and profile.completed_within_days is not None:
            since = as_of - dt.timedelta(days=profile.completed_within_days)
            # An activity finished without an end date has no age we can judge: keep it.
            chosen = [a for a in chosen if (done := _finished_on(a)) is None or done >= since]
        if status in OPEN_STATUSES:
            chosen.sort(key=_sort_key)
        else:
            chosen.sort(key=lambda a: (a.end or a.start or dt.date.min, a.title.casefold()), reverse=True)
        if chosen:
            groups[status] = chosen
    return groups


def next_meeting(case: Case, *, as_of: dt.date) -> Contact | None:
    """The earliest planned contact on or after ``as_of``."""
    planned = [c for c in case.contacts if c.status == ContactStatus.PLANLAGT and c.date >= as_of]
    if not planned:
        return None
    return min(planned, key=lambda c: (c.date, c.time or dt.time.min, c.id))


def plan_filename(case: Case, as_of: dt.date) -> str:
    """A file name that says what the file is without putting the name in it: names in file
    names end up in recent-file lists and print queues."""
    ref = re.sub(r"[^A-Za-z0-9_-]+", "-", case.ref).strip("-") or "plan"
    return f"aktivitetsplan-{ref}-{as_of.isoformat()}.pdf"


# --- Text helpers -----------------------------------------------------------------------------

def _x(text: str) -> str:
    """User text into ReportLab's paragraph mark-up: escaped, line breaks kept."""
    return escape(text.strip()).replace("\r\n", "\n").replace("\n", "<br/>")


def _paragraphs(text: str) -> list[str]:
    return [p for p in (part.strip() for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))) if p]


def _hint(description: str) -> str:
    """The description's first paragraph on one line, shortened at a word to about
    :data:`_HINT_LENGTH` characters."""
    paragraphs = _paragraphs(description)
    if not paragraphs:
        return ""
    text = " ".join(paragraphs[0].split())
    if len(text) <= _HINT_LENGTH:
        return text
    cut = text[:_HINT_LENGTH].rsplit(" ", 1)[0] if " " in text[:_HINT_LENGTH] else text[:_HINT_LENGTH]
    return cut.rstrip(" ,;:–-") + " …"


def office(unit: str | None) -> tuple[str | None, str | None]:
    """The advisor's unit (``advisors.unit``, free text: «0315», «0315 NAV Grünerløkka»,
    «NAV Grünerløkka (0315)», «Grünerløkka») as (the office as people know it, the four-digit
    unit number), either None when the text does not have it. The name always starts with NAV
    («Grünerløkka» → «NAV Grünerløkka»), and never twice."""
    text = " ".join((unit or "").split())
    if not text:
        return None, None
    number: str | None = None
    if m := re.fullmatch(r"(\d{4})(?:\s*[-–,:]\s*|\s+|$)(.*)", text):
        number, rest = m.group(1), m.group(2)
    elif m := re.fullmatch(r"(.*?)(?:\s*[-–,(]\s*|\s+)(?:enhet\s*)?(\d{4})\)?", text, re.IGNORECASE):
        rest, number = m.group(1), m.group(2)
    else:
        rest = text
    name = rest.strip(" ,-–()") or None
    if name and not re.match(r"nav\b", name, re.IGNORECASE):
        name = f"NAV {name}"
    return name, number


def _period(activity: Activity) -> str:
    if activity.start and activity.end:
        return f"{fmt(activity.start)}–{fmt(activity.end)}"
    if activity.start:
        return f"Fra {fmt(activity.start)}"
    if activity.end:
        return f"Til {fmt(activity.end)}"
    return ""


def _meeting_when(contact: Contact) -> str:
    text = f"{_WEEKDAYS[contact.date.weekday()].capitalize()} {fmt_long(contact.date)}"
    if contact.time is not None:
        text += f" kl. {contact.time.hour:02d}.{contact.time.minute:02d}"
    return text


def _latest_assessment_label(case: Case, as_of: dt.date) -> str | None:
    past = [a for a in case.assessments if a.date <= as_of]
    if not past:
        return None
    latest = max(past, key=lambda a: a.date)
    return f"{INNSATSGRUPPE_LABELS[latest.innsatsgruppe]} (vurdert {fmt(latest.date)})"


# --- ReportLab --------------------------------------------------------------------------------

# Colours from NAV's design system Aksel, kept sober: text, NAV red for one rule, light surfaces.
_TEXT = "#23262A"
_SUBTLE = "#49515E"
_NAV_RED = "#C30000"
_BLUE = "#0067C5"
_SURFACE = "#F1F1F1"
_BORDER = "#CFD3D8"

_FONT = "DejaVuSans"
_FONT_BOLD = "DejaVuSans-Bold"
_font_lock = threading.Lock()
_fonts_registered = False


def _font_dir() -> Path:
    from navoppfolging import resources_path

    return resources_path() / "fonts"


def register_fonts() -> None:
    """Register the embedded DejaVu Sans once per process (Helvetica has no Sámi letters)."""
    global _fonts_registered
    with _font_lock:
        if _fonts_registered:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = _font_dir()
        pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(_FONT_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
        # <b> in paragraphs maps to the bold face; there is no italic face, so italic maps to
        # the regular one rather than falling back to Helvetica.
        addMapping(_FONT, 0, 0, _FONT)
        addMapping(_FONT, 1, 0, _FONT_BOLD)
        addMapping(_FONT, 0, 1, _FONT)
        addMapping(_FONT, 1, 1, _FONT_BOLD)
        _fonts_registered = True


class _Styles:
    def __init__(self) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.styles import ParagraphStyle

        text, subtle = HexColor(_TEXT), HexColor(_SUBTLE)
        base = ParagraphStyle("base", fontName=_FONT, fontSize=10, leading=14.5, textColor=text,
                              splitLongWords=1, allowWidows=0, allowOrphans=0)
        self.body = base
        self.title = ParagraphStyle("title", base, fontName=_FONT_BOLD, fontSize=21, leading=25,
                                    spaceAfter=0)
        self.name = ParagraphStyle("name", base, fontName=_FONT_BOLD, fontSize=15, leading=19,
                                   spaceBefore=8)
        self.meta = ParagraphStyle("meta", base, fontSize=9, leading=13, textColor=subtle)
        self.box_heading = ParagraphStyle("boxh", base, fontName=_FONT_BOLD, fontSize=9,
                                          leading=13, textColor=subtle, spaceAfter=2)
        self.box_strong = ParagraphStyle("boxs", base, fontName=_FONT_BOLD, fontSize=11, leading=15)
        self.h1 = ParagraphStyle("h1", base, fontName=_FONT_BOLD, fontSize=14, leading=18,
                                 spaceBefore=16, spaceAfter=6)
        self.group = ParagraphStyle("group", base, fontName=_FONT_BOLD, fontSize=12, leading=16,
                                    textColor=text)
        self.goal = ParagraphStyle("goal", base, fontSize=12.5, leading=18, spaceAfter=4)
        self.act_title = ParagraphStyle("acttitle", base, fontName=_FONT_BOLD, fontSize=11,
                                        leading=15, spaceBefore=0)
        self.act_meta = ParagraphStyle("actmeta", base, fontSize=9, leading=13, textColor=subtle,
                                       spaceAfter=3)
        self.desc = ParagraphStyle("desc", base, spaceAfter=4)
        self.party = ParagraphStyle("party", base, fontName=_FONT_BOLD, fontSize=10.5, leading=15)
        self.bullet = ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2)
        self.hint = ParagraphStyle("hint", base, fontSize=9, leading=12.5, textColor=subtle,
                                   leftIndent=12, spaceAfter=1)
        self.party_note = ParagraphStyle("partynote", self.hint, leftIndent=0)
        self.empty = ParagraphStyle("empty", base, fontSize=10.5, leading=15)
        self.small = ParagraphStyle("small", base, fontSize=8.5, leading=11, textColor=subtle)
        self.cell = ParagraphStyle("cell", base, fontSize=9, leading=12.5)


_MM = 72 / 25.4


def _build_story(case: Case, advisor: Advisor | None, as_of: dt.date, profile: PlanProfile,
                 st: _Styles, frame_height: float, width: float) -> list[Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import (
        CondPageBreak,
        Flowable,
        KeepTogether,
        Paragraph,
        Spacer,
        Table,
        TableStyle,
    )
    from reportlab.platypus.flowables import HRFlowable

    class Block(KeepTogether):  # type: ignore[misc]  # ReportLab ships no type hints
        """Kept on one page when it fits; a block longer than half a page starts where it is
        (if there is room for its heading and a few lines) instead of leaving a page half empty."""

        def split(self, aW: float, aH: float) -> list[Any]:
            if getattr(self, "_wrapInfo", None) != (aW, aH):
                self.wrap(aW, aH)
            if self._H > aH and self._H > frame_height * 0.5 and aH >= 70 * _MM:
                return list(self._content)
            return super().split(aW, aH)  # type: ignore[no-any-return]

    class Separator(Flowable):  # type: ignore[misc]
        """A hairline between two activities, left out at the top of a page."""

        def wrap(self, aW: float, aH: float) -> tuple[float, float]:
            frame = getattr(self, "_frame", None)
            self._skip = bool(frame is not None and getattr(frame, "_atTop", 0))
            self.width = aW
            return aW, (0 if self._skip else 11)

        def draw(self) -> None:
            if not self._skip:
                self.canv.setStrokeColor(border)
                self.canv.setLineWidth(0.5)
                self.canv.line(0, 6, self.width, 6)

    surface, border = HexColor(_SURFACE), HexColor(_BORDER)
    story: list[Any] = []

    # Header: title, NAV-red rule, the young person's name and the facts of this print.
    story.append(Paragraph("Aktivitetsplan", st.title))
    story.append(HRFlowable(width="100%", thickness=1.4, color=HexColor(_NAV_RED),
                            spaceBefore=5, spaceAfter=2))
    story.append(Paragraph(_x(case.name), st.name))
    facts = [f"Født {fmt(case.birth_date)}"]
    office_name, office_number = office(advisor.unit if advisor is not None else None)
    if office_name:
        facts.append(_x(office_name))
    elif office_number:
        facts.append(f"NAV-kontor {office_number}")
    facts.append(f"Skrevet ut {fmt_long(as_of)}")
    story.append(Paragraph("   ·   ".join(facts), st.meta))
    internal: list[str] = []
    if profile.include_internal:
        internal.append(f"Saksnummer {_x(case.ref)}")
        if office_name and office_number:
            # The unit number is for the caseworker filing the copy, not the young person.
            internal.append(f"Enhet {office_number}")
    if profile.include_fnr and case.fnr:
        internal.append(f"Fødselsnummer {_x(case.fnr)}")
    if profile.include_internal:
        assessed = _latest_assessment_label(case, as_of)
        if assessed:
            internal.append(f"Innsatsgruppe: {_x(assessed)}")
    if internal:
        story.append(Paragraph("   ·   ".join(internal), st.meta))
    if profile.date_from or profile.date_to:
        span = (f"{fmt(profile.date_from) if profile.date_from else '…'}–"
                f"{fmt(profile.date_to) if profile.date_to else '…'}")
        story.append(Paragraph(f"Viser aktiviteter i perioden {span}", st.meta))
    story.append(Spacer(1, 10))

    # Contact person and next meeting side by side: the two things to find again quickly.
    left: list[Any] = [Paragraph("Din kontaktperson i NAV", st.box_heading)]
    if advisor is not None:
        left.append(Paragraph(_x(advisor.name), st.box_strong))
        if advisor.phone:
            left.append(Paragraph(f"Telefon {_x(advisor.phone)}", st.body))
        if advisor.email:
            left.append(Paragraph(f"E-post {_x(advisor.email)}", st.body))
    else:
        left.append(Paragraph("Ikke registrert", st.body))
    right: list[Any] = [Paragraph("Neste møte", st.box_heading)]
    meeting = next_meeting(case, as_of=as_of)
    if meeting is not None:
        right.append(Paragraph(_meeting_when(meeting), st.box_strong))
        how = CHANNEL_LABELS[meeting.channel]
        if meeting.place:
            how += f", {meeting.place.strip()}"
        right.append(Paragraph(_x(how), st.body))
        if meeting.interpreter_booked:
            right.append(Paragraph("Tolk er bestilt", st.body))
    else:
        right.append(Paragraph("Ikke avtalt ennå", st.box_strong))
        right.append(Paragraph("Avtal neste møte med kontaktpersonen din.", st.body))
    box = Table([[left, right]], colWidths=[width / 2, width / 2])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), surface),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 10),
        ("LINEAFTER", (0, 0), (0, 0), 0.6, HexColor("#FFFFFF")),
    ]))
    story.append(box)

    # «Mitt mål»: the goal in the young person's own words.
    goal: list[Any] = [Paragraph("Mitt mål", st.h1)]
    if case.goal and case.goal.strip():
        goal.append(Paragraph(_x(case.goal), st.goal))
    else:
        goal.append(Paragraph("Målet ditt er ikke skrevet ned ennå. Dere kan skrive det inn "
                              "sammen i neste møte.", st.body))
    if case.hovedmal is not None:
        goal.append(Paragraph(f"Hovedmål: {_x(HOVEDMAL_LABELS[case.hovedmal])}", st.meta))
    story.append(KeepTogether(goal))

    # Activities by group.
    groups = select_activities(case, as_of=as_of, profile=profile)
    story.append(Paragraph("Aktivitetene mine", st.h1))
    if not groups:
        if case.activities:
            text = ("Ingen aktiviteter passer utvalget for denne utskriften. Velg flere statuser "
                    "eller en annen periode for å se resten av planen.")
        else:
            text = ("Det er ingen aktiviteter i planen ennå. Sammen med kontaktpersonen din kan du "
                    "legge inn aktiviteter som hjelper deg mot målet ditt.")
        empty = Table([[Paragraph(text, st.empty)]], colWidths=[width])
        empty.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), surface),
            ("LEFTPADDING", (0, 0), (-1, -1), 12), ("RIGHTPADDING", (0, 0), (-1, -1), 12),
            ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 12),
        ]))
        story.append(empty)
    for status, activities in groups.items():
        heading_text = _x(GROUP_HEADINGS[status])
        if status == ActivityStatus.FULLFORT and profile.completed_within_days is not None:
            heading_text += (f' <font name="{_FONT}" size="9" color="{_SUBTLE}">'
                             f"– avsluttet siste {profile.completed_within_days} dager</font>")
        heading = Table([[Paragraph(heading_text, st.group)]], colWidths=[width])
        heading.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, -1), surface),
            ("LINEBEFORE", (0, 0), (0, 0), 3, HexColor(_BLUE)),
            ("LEFTPADDING", (0, 0), (-1, -1), 9),
            ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]))
        # spaceBefore (unlike a Spacer) is dropped at the top of a page.
        heading.spaceBefore, heading.spaceAfter = 14, 6
        story.append(CondPageBreak(45 * _MM))
        for i, activity in enumerate(activities):
            block: list[Any] = []
            if i == 0:
                block.append(heading)
            else:
                block.append(Separator())
            block.append(Paragraph(_x(activity.title), st.act_title))
            meta = [CATEGORY_LABELS[activity.category]]
            if period := _period(activity):
                meta.append(period)
            who_label = _PARTY_LABELS[activity.responsible]
            if activity.responsible == Responsible.ANNEN and activity.description.strip():
                who_label += " (se beskrivelsen)"
            meta.append(f"Ansvarlig: {who_label}")
            block.append(Paragraph("   ·   ".join(_x(m) for m in meta), st.act_meta))
            block += [Paragraph(_x(p), st.desc) for p in _paragraphs(activity.description)]
            story.append(Block(block))

    # «Hvem gjør hva til neste gang»: the open activities by who is responsible.
    open_by_party: dict[Responsible | None, list[Activity]] = {}
    for status in GROUP_ORDER:
        if status in OPEN_STATUSES:
            for activity in groups.get(status, []):
                open_by_party.setdefault(activity.responsible, []).append(activity)
    for party_items in open_by_party.values():
        # Earliest deadline first: this list is the to-do list until the next meeting.
        party_items.sort(key=lambda a: (a.end or dt.date.max, a.title.casefold()))
    who: list[Any] = [Spacer(1, 6), Paragraph("Hvem gjør hva til neste gang", st.h1)]
    lead = len(story)  # where the last section before the notes starts (see «Notater»)
    if not open_by_party:
        hint = " Bruk notatfeltet til å skrive ned hva dere blir enige om." if profile.notes_lines else ""
        who.append(Paragraph(f"Ingen åpne aktiviteter.{hint}", st.body))
        story.append(KeepTogether(who))
    first = True
    for party in _RESPONSIBLE_ORDER:
        items = open_by_party.get(party)
        if not items:
            continue
        lines: list[Any] = [Paragraph(_x(_PARTY_LABELS[party]), st.party)]
        if party is None:
            lines.append(Paragraph(_UNSETTLED_HINT, st.party_note))
        for activity in items:
            text = _x(activity.title)
            if activity.end and activity.end < as_of:
                # Not upcoming: the date has passed and the activity is still open. Said in words
                # (the plan is often printed in black and white), bold so it is not missed.
                text += f' <font name="{_FONT_BOLD}" color="{_NAV_RED}">– fristen {fmt(activity.end)} er passert</font>'
            elif activity.end:
                text += f' <font color="{_SUBTLE}">– innen {fmt(activity.end)}</font>'
            lines.append(Paragraph(text, st.bullet, bulletText="•"))
            if party == Responsible.ANNEN and (hint := _hint(activity.description)):
                # «Andre» alone does not say who: the description usually does («Skolen …»).
                lines.append(Paragraph(_x(hint), st.hint))
        lines.append(Spacer(1, 6))
        lead = len(story)
        story.append(Block((who if first else []) + lines))
        first = False

    # Internal detail for the case file only.
    if profile.include_contact_notes and case.contacts:
        story.append(CondPageBreak(40 * _MM))
        lead = len(story)
        story.append(Paragraph("Møter og dialog", st.h1))
        rows: list[list[Any]] = [[Paragraph(f"<b>{h}</b>", st.cell) for h in
                                  ("Dato", "Form", "Status", "Referat")]]
        for contact in sorted(case.contacts, key=lambda c: (c.date, c.time or dt.time.min)):
            rows.append([
                Paragraph(fmt(contact.date), st.cell),
                Paragraph(_x(CHANNEL_LABELS[contact.channel]), st.cell),
                Paragraph(_x(CONTACT_STATUS_LABELS[contact.status]), st.cell),
                Paragraph(_x(contact.summary) or "–", st.cell),
            ])
        log = Table(rows, colWidths=[24 * _MM, 27 * _MM, 25 * _MM, width - 76 * _MM], repeatRows=1)
        log.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), surface),
            ("LINEBELOW", (0, 0), (-1, -1), 0.5, border),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ]))
        story.append(log)
    if profile.include_internal and case.external_contacts:
        others: list[Any] = [Paragraph("Andre kontaktpersoner", st.h1)]
        for ext in case.external_contacts:
            parts = [f"<b>{_x(ext.name)}</b>", _x(ext.role)]
            if ext.organisation:
                parts.append(_x(ext.organisation))
            if ext.phone:
                parts.append(f"telefon {_x(ext.phone)}")
            others.append(Paragraph(", ".join(parts), st.body))
        lead = len(story)
        story.append(KeepTogether(others))

    # Room for notes, then signatures. The notes take the room left on the last page (at least
    # _MIN_NOTE_LINES, at most the profile's number) instead of moving alone onto a new page.
    sign: list[Any] = []
    if profile.signature_lines:
        def sig(label: str) -> list[Any]:
            return [Spacer(1, 30), HRFlowable(width="100%", thickness=0.6, color=HexColor(_TEXT),
                                              spaceAfter=3), Paragraph(label, st.small)]

        gap = 12 * _MM
        table = Table([[sig("Sted og dato, din underskrift"), "",
                        sig("Sted og dato, veileder i NAV")]],
                      colWidths=[(width - gap) / 2, gap, (width - gap) / 2])
        table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
        sign = [Spacer(1, 14), table]
    if profile.notes_lines:
        # A plan without activities is usually the first meeting's: more room to write.
        most = profile.notes_lines if case.activities else max(profile.notes_lines, 12)
        notes = _notes_flowable(Paragraph("Notater", st.h1), most=most,
                                least=min(most, _MIN_NOTE_LINES), after=sign)
        # The last section before the notes (usually the last group of «Hvem gjør hva») goes
        # with them to a new page when they do, so the last page never holds the notes alone.
        story.insert(lead, _room_for(story[lead:], notes, frame_height))
        story.append(notes)
    elif sign:
        story.append(KeepTogether(sign))
    return story


# At least this many note lines on the page the notes are printed on.
_MIN_NOTE_LINES = 3
_NOTE_LINE_GAP = 21.0
_NOTE_LINE_THICKNESS = 0.5


def _notes_flowable(heading: Any, *, most: int, least: int, after: list[Any]) -> Any:
    """«Notater» with as many ruled lines as fit where it lands: ``most`` when there is room,
    down to ``least``; when not even ``least`` fit it asks for the next page, where it gets
    ``most``. ``after`` (the signatures) is drawn below the lines, on the same page."""
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Flowable

    class Notes(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
        def __init__(self) -> None:
            super().__init__()
            self.lines = most

        def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
            return float(heading.getSpaceBefore())

        def _fixed(self, canv: Any, aW: float) -> tuple[float, list[float]]:
            """Height of everything but the lines: the heading, its space, what follows."""
            heights = [f.wrapOn(canv, aW, 0x7FFFFFFF)[1] for f in after]
            head = heading.wrapOn(canv, aW, 0x7FFFFFFF)[1] + heading.getSpaceAfter() + 2
            return head + sum(heights), heights

        def min_height(self, canv: Any, aW: float) -> float:
            """The height with ``least`` lines, and the space asked for above it."""
            fixed, _ = self._fixed(canv, aW)
            return self.getSpaceBefore() + fixed + least * (_NOTE_LINE_GAP + _NOTE_LINE_THICKNESS)

        def wrap(self, aW: float, aH: float) -> tuple[float, float]:
            fixed, self._after_heights = self._fixed(self.canv, aW)
            step = _NOTE_LINE_GAP + _NOTE_LINE_THICKNESS
            fits = int((aH - fixed) // step)
            # Too little room for the minimum: ask for all the lines (the frame then moves on).
            self.lines = most if fits < least else min(most, fits)
            self.width, self.height = aW, fixed + self.lines * step
            return self.width, self.height

        def split(self, aW: float, aH: float) -> list[Any]:
            return []

        def draw(self) -> None:
            y = self.height
            _, h = heading.wrapOn(self.canv, self.width, 0x7FFFFFFF)
            heading.drawOn(self.canv, 0, y - h)
            y -= h + heading.getSpaceAfter() + 2
            self.canv.saveState()
            self.canv.setStrokeColor(HexColor("#9EA4AD"))
            self.canv.setLineWidth(_NOTE_LINE_THICKNESS)
            for _ in range(self.lines):
                y -= _NOTE_LINE_GAP + _NOTE_LINE_THICKNESS / 2
                self.canv.line(0, y, self.width, y)
                y -= _NOTE_LINE_THICKNESS / 2
            self.canv.restoreState()
            for f, h in zip(after, self._after_heights, strict=True):
                f.drawOn(self.canv, 0, y - h)
                y -= h

    return Notes()


def _room_for(lead: list[Any], notes: Any, frame_height: float) -> Any:
    """A conditional page break placed before the flowables ``lead``: when they fit where they
    are but the notes' minimum would not fit after them, lead and notes start on the next page."""
    from reportlab.platypus import CondPageBreak, KeepTogether
    from reportlab.platypus.flowables import _listWrapOn

    # A KeepTogether measures as «too tall» on purpose (to be split): measure what it holds.
    flat = [part for f in lead for part in (f._content if isinstance(f, KeepTogether) else [f])]

    class RoomForNotes(CondPageBreak):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(0)

        def wrap(self, aW: float, aH: float) -> tuple[float, float]:
            _, lead_height = _listWrapOn(flat, aW, self.canv)
            need = flat[0].getSpaceBefore() + lead_height + notes.min_height(self.canv, aW)
            # A block too long to share a page with the notes stays where it is.
            self.height = need if need <= frame_height else 0
            return super().wrap(aW, aH)  # type: ignore[no-any-return]

    return RoomForNotes()


def _canvas_maker(footer_name: str, footer_date: str) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Holds each page until the end so the footer can say «Side X av Y» in one pass."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            x0, x1 = 20 * _MM + 6, width - 20 * _MM - 6  # the frame's text edges
            y = 13 * _MM
            self.saveState()
            self.setStrokeColor(HexColor(_BORDER))
            self.setLineWidth(0.5)
            self.line(x0, y + 9, x1, y + 9)
            self.setFillColor(HexColor(_SUBTLE))
            self.setFont(_FONT, 8.5)
            # A very long name is shortened so it never runs into the page number; the date stays.
            room = x1 - x0 - stringWidth("Side 999 av 999", _FONT, 8.5) - 12
            name = footer_name
            while len(name) > 1 and stringWidth(f"Aktivitetsplan for {name} · {footer_date}", _FONT, 8.5) > room:
                name = name[:-2].rstrip() + "…"
            self.drawString(x0, y, f"Aktivitetsplan for {name} · {footer_date}")
            self.drawRightString(x1, y, f"Side {self._pageNumber} av {total}")
            self.restoreState()

    return NumberedCanvas


def render_plan(
    case: Case, advisor: Advisor | None, *, as_of: dt.date, profile: PlanProfile = DEFAULT,
) -> bytes:
    """The activity plan as an A4 PDF (bytes). ``as_of`` is the date printed and the day the
    next meeting is looked up from; nothing here reads the clock."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    register_fonts()
    buffer = io.BytesIO()
    left = right = 20 * _MM
    top, bottom = 17 * _MM, 24 * _MM
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=left, rightMargin=right, topMargin=top,
        bottomMargin=bottom, title="Aktivitetsplan", author="NAV", subject="Aktivitetsplan",
        creator="navoppfolging",
        # The same plan gives the same bytes (no creation time or random id in the file).
        invariant=1,
    )
    # The frame pads 6 pt on each side: tables and rules get the width text actually has.
    story = _build_story(case, advisor, as_of, profile, _Styles(), doc.height - 12, doc.width - 12)
    doc.build(story, canvasmaker=_canvas_maker(case.name, fmt(as_of)))
    return buffer.getvalue()
