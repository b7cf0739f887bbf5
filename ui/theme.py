"""NAV's visual language (the Aksel design system) for the Qt application.

Colours are Aksel's design tokens from ``@navikt/ds-css`` 8.16.2 (``dist/global/tokens.css``,
light theme), resolved to hex: Aksel 8 names them ``--ax-…`` (the older ``--a-…`` names such as
``--a-surface-action`` no longer exist), so each constant names the token it came from. The
icons are ``@navikt/aksel-icons`` 8.16.2 outline SVGs in ``resources/icons/`` (see its
README.md); both packages are MIT (``resources/LICENSES/``).

Widgets opt into Aksel's looks through dynamic properties that the stylesheet matches:
``variant`` = ``primary`` | ``secondary`` | ``tertiary`` | ``danger`` on buttons,
``chip="true"`` on checkable buttons, ``invalid="true"`` on inputs, ``heading`` = ``large`` |
``medium`` | ``small`` and ``subtle="true"`` on labels. Use :func:`set_variant`,
:func:`set_chip`, :func:`set_invalid` so a change after start-up is re-polished. Spin boxes
and time fields get the line edits' text inset from :func:`pad_spin_box`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QLineEdit, QWidget

from navoppfolging import resources_path

# --- Text ------------------------------------------------------------------------------------
TEXT_DEFAULT = "#202733"  # --ax-text-neutral (--ax-neutral-1000)
TEXT_SUBTLE = "#49515E"  # --ax-text-neutral-subtle (--ax-neutral-900)
TEXT_DECORATION = "#6F7785"  # --ax-text-neutral-decoration (--ax-neutral-600)
TEXT_ON_ACTION = "#FFFFFF"  # --ax-text-accent-contrast (--ax-neutral-000)
TEXT_ACTION = "#005BB6"  # --ax-text-accent-subtle (--ax-accent-800): links, secondary buttons
TEXT_ACCENT = "#002459"  # --ax-text-accent (--ax-accent-1000): text on accent surfaces
NAV_RED = "#C30000"  # --ax-text-logo: the NAV logo red, for the logo and app icon only

# --- Surfaces (Aksel 8 calls them "bg") ---------------------------------------------------------
SURFACE_DEFAULT = "#FFFFFF"  # --ax-bg-default
SURFACE_SUBTLE = "#F5F6F7"  # --ax-bg-neutral-soft (--ax-neutral-100)
SURFACE_NEUTRAL = "#ECEDEF"  # --ax-bg-neutral-moderate (--ax-neutral-200), also --ax-bg-sunken
SURFACE_NEUTRAL_HOVER = "#E1E3E7"  # --ax-bg-neutral-moderate-hover (--ax-neutral-300)
SURFACE_NEUTRAL_PRESSED = "#CFD3D8"  # --ax-bg-neutral-moderate-pressed (--ax-neutral-400)
SURFACE_NEUTRAL_STRONG = "#5D6573"  # --ax-bg-neutral-strong (--ax-neutral-700): tooltips
SURFACE_ACTION = "#2176D4"  # --ax-bg-accent-strong (--ax-accent-600)
SURFACE_ACTION_HOVER = "#0063C1"  # --ax-bg-accent-strong-hover (--ax-accent-700)
SURFACE_ACTION_PRESSED = "#005BB6"  # --ax-bg-accent-strong-pressed (--ax-accent-800)
SURFACE_ACTION_SUBTLE = "#E4EEFF"  # --ax-bg-accent-moderate (--ax-accent-200)
SURFACE_ACTION_SUBTLE_HOVER = "#D4E5FD"  # --ax-bg-accent-moderate-hover (--ax-accent-300)
SURFACE_SELECTED = "#D4E5FD"  # --ax-bg-accent-moderate-hover: selected rows (see _stylesheet)
SURFACE_SELECTED_SOFT = "#F1F7FF"  # --ax-bg-accent-soft (--ax-accent-100)

# --- Borders -----------------------------------------------------------------------------------
BORDER_DEFAULT = "#6F7785"  # --ax-border-neutral (--ax-neutral-600): inputs
BORDER_STRONG = "#5D6573"  # --ax-border-neutral-strong (--ax-neutral-700)
BORDER_SUBTLE = "#CFD3D8"  # --ax-border-neutral-subtle (--ax-neutral-400): dividers, grid
BORDER_ACTION = "#2176D4"  # --ax-border-accent (--ax-accent-600)
BORDER_ACTION_SUBTLE = "#BAD5FB"  # --ax-border-accent-subtle (--ax-accent-400)
# Aksel 8's focus ring is dark neutral, not blue as in Aksel 7 (--a-border-focus #0067C5).
BORDER_FOCUS = "#202733"  # --ax-border-focus (--ax-neutral-1000)

# --- Semantic colours: strong (fills, icons), moderate (backgrounds), text, border --------------
DANGER = "#E22948"  # --ax-bg-danger-strong (--ax-danger-600): overdue
DANGER_HOVER = "#CB0035"  # --ax-bg-danger-strong-hover (--ax-danger-700)
DANGER_PRESSED = "#BC002A"  # --ax-bg-danger-strong-pressed (--ax-danger-800)
DANGER_SUBTLE = "#FFE8F0"  # --ax-bg-danger-moderate (--ax-danger-200)
DANGER_TEXT = "#BC002A"  # --ax-text-danger-subtle (--ax-danger-800)
DANGER_BORDER = "#FFC2D7"  # --ax-border-danger-subtle (--ax-danger-400)
DANGER_BORDER_STRONG = "#CB0035"  # --ax-border-danger-strong (--ax-danger-700): invalid input

WARNING = "#CA5000"  # --ax-bg-warning-strong (--ax-warning-600): due soon
WARNING_SUBTLE = "#FFEBC7"  # --ax-bg-warning-moderate (--ax-warning-200)
WARNING_TEXT = "#A03E00"  # --ax-text-warning-subtle (--ax-warning-800)
WARNING_BORDER = "#FFCB6F"  # --ax-border-warning-subtle (--ax-warning-400)

SUCCESS = "#00893C"  # --ax-bg-success-strong (--ax-success-600)
SUCCESS_SUBTLE = "#D5F6DB"  # --ax-bg-success-moderate (--ax-success-200)
SUCCESS_TEXT = "#006C1F"  # --ax-text-success-subtle (--ax-success-800)
SUCCESS_BORDER = "#A8DFB4"  # --ax-border-success-subtle (--ax-success-400)

INFO = "#457C9D"  # --ax-bg-info-strong (--ax-info-600)
INFO_SUBTLE = "#E3EFF7"  # --ax-bg-info-moderate (--ax-info-200)
INFO_TEXT = "#156389"  # --ax-text-info-subtle (--ax-info-800)
INFO_BORDER = "#C0D6E4"  # --ax-border-info-subtle (--ax-info-400)

NEUTRAL = "#5D6573"  # --ax-bg-neutral-strong (--ax-neutral-700)
NEUTRAL_SUBTLE = "#ECEDEF"  # --ax-bg-neutral-moderate (--ax-neutral-200)
NEUTRAL_TEXT = "#49515E"  # --ax-text-neutral-subtle (--ax-neutral-900)
NEUTRAL_BORDER = "#CFD3D8"  # --ax-border-neutral-subtle (--ax-neutral-400)

ACCENT_SUBTLE = "#E4EEFF"  # --ax-bg-accent-moderate (--ax-accent-200)
ACCENT_TEXT = "#005BB6"  # --ax-text-accent-subtle (--ax-accent-800)
ACCENT_BORDER = "#BAD5FB"  # --ax-border-accent-subtle (--ax-accent-400)

META_PURPLE = "#905BD3"  # --ax-bg-meta-purple-strong (--ax-meta-purple-600)
META_PURPLE_SUBTLE = "#F4EBFF"  # --ax-bg-meta-purple-moderate (--ax-meta-purple-200)
META_PURPLE_TEXT = "#7342B6"  # --ax-text-meta-purple-subtle (--ax-meta-purple-800)
META_PURPLE_BORDER = "#DECBF7"  # --ax-border-meta-purple-subtle (--ax-meta-purple-400)

OPACITY_DISABLED = 0.45  # --ax-opacity-disabled

# Aksel's radii and sizes, in pixels (1rem = 16 px).
RADIUS_SMALL = 4  # --ax-radius-4: tags, tooltips
RADIUS_MEDIUM = 8  # --ax-radius-8: buttons, inputs
# What a table cell's text needs beside it, for columns sized to their content: the stylesheet's
# cell padding (``QTableView::item``: 6 px a side), the item's own text margin (3 px a side) and
# a little air.
CELL_TEXT_PADDING = 6
CELL_PADDING = 2 * (CELL_TEXT_PADDING + 3) + 6
CONTROL_HEIGHT = 32  # 2rem: Aksel's "small" buttons and fields, the density a desktop list needs
FONT_POINT_SIZE = 10
SPIN_BUTTON_WIDTH = 20  # the up/down buttons of spin boxes and time fields
FIELD_TEXT_INSET = 9  # a field's 1 px border and 8 px padding, before the text


@dataclass(frozen=True, slots=True)
class StatusColors:
    """One status's colours as hex strings: a tinted background, readable text on it, a subtle
    border and a strong colour for icons and markers (Aksel's moderate/subtle/strong triple)."""

    background: str
    foreground: str
    border: str
    strong: str


# Due statuses (rules.md: overdue / due_soon / upcoming) plus a done state, and the badges.
# Text uses the "-subtle" text tokens rather than Aksel tags' near-black "--ax-text-<colour>"
# so the colour itself still reads in a dense table; all pairs keep at least 5:1 contrast.
STATUS_COLORS: dict[str, StatusColors] = {
    "overdue": StatusColors(DANGER_SUBTLE, DANGER_TEXT, DANGER_BORDER, DANGER),
    "due_soon": StatusColors(WARNING_SUBTLE, WARNING_TEXT, WARNING_BORDER, WARNING),
    "upcoming": StatusColors(INFO_SUBTLE, INFO_TEXT, INFO_BORDER, INFO),
    "done": StatusColors(SUCCESS_SUBTLE, SUCCESS_TEXT, SUCCESS_BORDER, SUCCESS),
    "neutral": StatusColors(NEUTRAL_SUBTLE, NEUTRAL_TEXT, NEUTRAL_BORDER, NEUTRAL),
    # Badges: the youth-guarantee marker in NAV blue; priority-group flags and other case flags
    # (rules.md "Flags") in meta purple, a colour no due status uses, so a flag never reads as
    # a deadline.
    "youth_guarantee": StatusColors(ACCENT_SUBTLE, ACCENT_TEXT, ACCENT_BORDER, SURFACE_ACTION),
    "flag": StatusColors(META_PURPLE_SUBTLE, META_PURPLE_TEXT, META_PURPLE_BORDER, META_PURPLE),
}

# The icon (file stem in resources/icons/) that goes with each status.
STATUS_ICONS: dict[str, str] = {
    "overdue": "ExclamationmarkTriangle",
    "due_soon": "Clock",
    "upcoming": "Calendar",
    "done": "CheckmarkCircle",
    "neutral": "InformationSquare",
    "youth_guarantee": "SealCheckmark",
    "flag": "Tag",
}

# The icon for each of the application's actions, so every menu, toolbar and dialog uses the
# same picture for the same thing. Values are file stems in resources/icons/.
ACTION_ICONS: dict[str, str] = {
    "new_case": "FolderPlus",
    "open_case": "Folder",
    "edit": "Pencil",
    "delete": "Trash",
    "register_contact": "ChatAdd",
    "register_assessment": "Paragraph",
    "record_offer": "Handshake",
    "record_exception": "CircleSlash",
    "hand_over_case": "ArrowForward",
    "close_case": "Archive",
    "activity_plan": "Tasklist",
    "note": "Clipboard",
    "reminder": "Bell",
    "workload": "BarChart",
    "team": "PersonGroup",
    "print_plan": "PrinterSmall",
    "save_pdf": "FilePdf",
    "import": "FileImport",
    "export": "FileExport",
    "download": "Download",
    "as_of_date": "ClockDashed",
    "search": "MagnifyingGlass",
    "filter": "Funnel",
    "refresh": "ArrowsCirclepath",
    "show_fnr": "Eye",
    "hide_fnr": "EyeSlash",
    "save": "Floppydisk",
    "settings": "Cog",
    "help": "QuestionmarkCircle",
    "lock": "PadlockLocked",
    "close": "XMark",
    "office": "Buildings3",
    "person": "Person",
    "interpreter": "Language",
    "bookmark": "Bookmark",
    "next": "ArrowRight",
    "previous": "ArrowLeft",
}

# Contact channels (domain.Channel values) and their icons.
CHANNEL_ICONS: dict[str, str] = {
    "OPPMOTE": "MeetingSmall",
    "VIDEO": "Video",
    "TELEFON": "Phone",
    "DIGITAL_DIALOG": "Chat",
}


def status_colors(status: str) -> tuple[QColor, QColor]:
    """(background, foreground) for a due status or badge key in :data:`STATUS_COLORS`.

    Raises ``KeyError`` for an unknown status: a silent grey would hide a missed deadline.
    """
    colours = STATUS_COLORS[status]
    return QColor(colours.background), QColor(colours.foreground)


# --- Icons ---------------------------------------------------------------------------------------


def icons_dir() -> str:
    return str(resources_path() / "icons")


def available_icons() -> list[str]:
    """The names :func:`icon` accepts: the SVG file stems in ``resources/icons/``."""
    return sorted(p.stem for p in (resources_path() / "icons").glob("*.svg"))


@cache
def _svg_source(name: str) -> bytes:
    stem = name.removesuffix(".svg")
    path = resources_path() / "icons" / f"{stem}.svg"
    if not path.is_file():
        raise KeyError(f"no icon named {name!r} in {path.parent}")
    return path.read_bytes()


def _recoloured(source: bytes, color: str) -> bytes:
    # Aksel's SVGs paint every shape with fill="currentColor"; Qt's renderer has no CSS colour
    # context, so the colour is written into the document instead.
    return source.replace(b"currentColor", color.encode("ascii"))


class _SvgIconEngine(QIconEngine):
    """Renders the SVG at whatever size is asked, so icons stay crisp in toolbars, menus and
    on high-DPI screens; disabled icons fade with Aksel's disabled opacity."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._parsed: QSvgRenderer | None = None

    @property
    def _renderer(self) -> QSvgRenderer:
        # Parsed when first painted: most actions' icons are only drawn when a menu opens, and
        # parsing them all while the window is built costs ≈ 4 ms of the start-up (issue 9).
        if self._parsed is None:
            self._parsed = QSvgRenderer(QByteArray(self._svg))
        return self._parsed

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if mode == QIcon.Mode.Disabled:
            painter.setOpacity(painter.opacity() * OPACITY_DISABLED)
        # Aksel icons are square; keep them square and centred in a non-square rect.
        side = min(rect.width(), rect.height())
        target = QRectF(
            rect.x() + (rect.width() - side) / 2, rect.y() + (rect.height() - side) / 2, side, side
        )
        self._renderer.render(painter, target)
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(
        self, size: QSize, mode: QIcon.Mode, state: QIcon.State, scale: float
    ) -> QPixmap:
        pixmap = QPixmap(size * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return _SvgIconEngine(self._svg)

    def isNull(self) -> bool:
        return not self._renderer.isValid()

    def key(self) -> str:
        return "navoppfolging-svg"


# Engines are kept here with their icons: QIcon shares the engine by reference, and keeping the
# Python wrapper alive for the application's life rules out it being collected under Qt.
_icon_cache: dict[tuple[str, str], tuple[QIcon, _SvgIconEngine]] = {}


def icon(name: str, color: str | None = None) -> QIcon:
    """The Aksel icon ``name`` (file stem such as ``"Plus"``; ``".svg"`` may be given) painted in
    ``color`` (any CSS colour Qt's SVG renderer accepts, e.g. ``"#C30000"``), or in
    :data:`TEXT_DEFAULT` when ``color`` is None. Cached per (name, colour).

    Raises ``KeyError`` when there is no such icon.
    """
    stem = name.removesuffix(".svg")
    fill = color or TEXT_DEFAULT
    key = (stem, fill.lower())
    cached = _icon_cache.get(key)
    if cached is None:
        engine = _SvgIconEngine(_recoloured(_svg_source(stem), fill))
        cached = (QIcon(engine), engine)
        _icon_cache[key] = cached
    return QIcon(cached[0])


def app_icon() -> QIcon:
    """The application icon: the SVG plus the rendered PNGs, for window managers that want
    bitmaps. Built once (the application and the main window both set it)."""
    return QIcon(_app_icon())


@cache
def _app_icon() -> QIcon:
    base = resources_path() / "icons"
    result = QIcon(str(base / "navoppfolging.svg"))
    for size in (48, 128, 256):
        result.addFile(str(base / f"navoppfolging-{size}.png"), QSize(size, size))
    return result


# --- Palette and stylesheet ----------------------------------------------------------------------


def palette() -> QPalette:
    pal = QPalette()
    roles: dict[QPalette.ColorRole, str] = {
        # A light grey window with white fields and tables, as in NAV's internal tools, so
        # the content stands out from the chrome.
        QPalette.ColorRole.Window: SURFACE_SUBTLE,
        QPalette.ColorRole.WindowText: TEXT_DEFAULT,
        QPalette.ColorRole.Base: SURFACE_DEFAULT,
        QPalette.ColorRole.AlternateBase: SURFACE_SUBTLE,
        QPalette.ColorRole.Text: TEXT_DEFAULT,
        QPalette.ColorRole.PlaceholderText: TEXT_DECORATION,
        QPalette.ColorRole.Button: SURFACE_DEFAULT,
        QPalette.ColorRole.ButtonText: TEXT_ACTION,
        QPalette.ColorRole.BrightText: TEXT_ON_ACTION,
        QPalette.ColorRole.Highlight: SURFACE_ACTION,
        QPalette.ColorRole.HighlightedText: TEXT_ON_ACTION,
        QPalette.ColorRole.Link: TEXT_ACTION,
        QPalette.ColorRole.LinkVisited: META_PURPLE_TEXT,
        QPalette.ColorRole.ToolTipBase: SURFACE_NEUTRAL_STRONG,
        QPalette.ColorRole.ToolTipText: TEXT_ON_ACTION,
        QPalette.ColorRole.Light: SURFACE_DEFAULT,
        QPalette.ColorRole.Midlight: SURFACE_NEUTRAL,
        QPalette.ColorRole.Mid: BORDER_SUBTLE,
        QPalette.ColorRole.Dark: BORDER_DEFAULT,
        QPalette.ColorRole.Shadow: TEXT_DEFAULT,
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    # Disabled text keeps Aksel's hue but fades like --ax-opacity-disabled does on the web.
    disabled = QColor(TEXT_DEFAULT)
    disabled.setAlphaF(OPACITY_DISABLED)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    # Inactive windows keep the same selection colours, so a selection does not seem to vanish
    # when a dialog opens on top.
    for role in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
        active = pal.color(QPalette.ColorGroup.Active, role)
        pal.setColor(QPalette.ColorGroup.Inactive, role, active)
    return pal


def stylesheet() -> str:
    """The application's QSS: Aksel's buttons, chips, fields, tables and focus ring."""
    # Qt's SVG renderer paints the file's currentColor black, near enough to TEXT_DEFAULT for
    # a small arrow; a path with forward slashes is what QSS url() accepts on every platform.
    chevron = (resources_path() / "icons" / "ChevronDown.svg").as_posix()
    chevron_up = (resources_path() / "icons" / "ChevronUp.svg").as_posix()
    return f"""
QToolTip {{
    color: {TEXT_ON_ACTION}; background: {SURFACE_NEUTRAL_STRONG};
    border: 1px solid {SURFACE_NEUTRAL_STRONG}; border-radius: {RADIUS_SMALL}px; padding: 2px 6px;
}}

/* Buttons. Unmarked buttons look like Aksel's secondary button, the usual one in a form.
   Every variant has a :disabled rule after its :hover/:pressed ones (same specificity: the later
   wins): on the web Aksel fades a disabled button to --ax-opacity-disabled, here its colours
   are the faded tokens (the -400 «subtle» fills, grey text), so it never looks clickable. */
QPushButton {{
    color: {TEXT_ACTION}; background: transparent;
    border: 2px solid {BORDER_ACTION}; border-radius: {RADIUS_MEDIUM}px;
    padding: 4px 14px; min-height: {CONTROL_HEIGHT - 12}px; font-weight: 600; icon-size: 20px;
}}
QPushButton:hover {{ background: {SURFACE_ACTION_SUBTLE_HOVER}; border-color: {SURFACE_ACTION_HOVER}; }}
QPushButton:pressed {{ background: {BORDER_ACTION_SUBTLE}; }}
QPushButton:focus {{ border-color: {BORDER_FOCUS}; }}
QPushButton:disabled {{ color: {TEXT_DECORATION}; border-color: {BORDER_SUBTLE}; background: transparent; }}

QPushButton[variant="primary"] {{
    color: {TEXT_ON_ACTION}; background: {SURFACE_ACTION}; border-color: {SURFACE_ACTION};
}}
QPushButton[variant="primary"]:hover {{ background: {SURFACE_ACTION_HOVER}; border-color: {SURFACE_ACTION_HOVER}; }}
QPushButton[variant="primary"]:pressed {{ background: {SURFACE_ACTION_PRESSED}; border-color: {SURFACE_ACTION_PRESSED}; }}
QPushButton[variant="primary"]:focus {{ border-color: {BORDER_FOCUS}; }}
QPushButton[variant="primary"]:disabled {{
    color: {SURFACE_DEFAULT}; background: {BORDER_ACTION_SUBTLE}; border-color: {BORDER_ACTION_SUBTLE};
}}

QPushButton[variant="danger"] {{
    color: {TEXT_ON_ACTION}; background: {DANGER}; border-color: {DANGER};
}}
QPushButton[variant="danger"]:hover {{ background: {DANGER_HOVER}; border-color: {DANGER_HOVER}; }}
QPushButton[variant="danger"]:pressed {{ background: {DANGER_PRESSED}; border-color: {DANGER_PRESSED}; }}
QPushButton[variant="danger"]:focus {{ border-color: {BORDER_FOCUS}; }}
QPushButton[variant="danger"]:disabled {{
    color: {SURFACE_DEFAULT}; background: {DANGER_BORDER}; border-color: {DANGER_BORDER};
}}

QPushButton[variant="tertiary"], QToolButton[variant="tertiary"] {{
    color: {TEXT_ACTION}; background: transparent; border: 2px solid transparent;
}}
QPushButton[variant="tertiary"]:hover, QToolButton[variant="tertiary"]:hover {{
    background: {SURFACE_ACTION_SUBTLE_HOVER};
}}
QPushButton[variant="tertiary"]:focus, QToolButton[variant="tertiary"]:focus {{ border-color: {BORDER_FOCUS}; }}
QPushButton[variant="tertiary"]:disabled, QToolButton[variant="tertiary"]:disabled {{
    color: {TEXT_DECORATION}; background: transparent; border-color: transparent;
}}

QToolButton {{
    color: {TEXT_ACTION}; background: transparent; border: 2px solid transparent;
    border-radius: {RADIUS_MEDIUM}px; padding: 3px 6px; icon-size: 20px;
}}
QToolButton:hover {{ background: {SURFACE_ACTION_SUBTLE_HOVER}; }}
QToolButton:pressed, QToolButton:checked {{ background: {BORDER_ACTION_SUBTLE}; }}
QToolButton:focus {{ border-color: {BORDER_FOCUS}; }}
QToolButton:disabled {{ color: {TEXT_DECORATION}; background: transparent; border-color: transparent; }}

/* Chips: Aksel's toggle chips, pill-shaped, filled dark blue when selected. */
QPushButton[chip="true"], QToolButton[chip="true"] {{
    color: {TEXT_ACCENT}; background: {SURFACE_ACTION_SUBTLE};
    border: 1px solid {BORDER_ACTION_SUBTLE}; border-radius: 14px;
    padding: 3px 12px; min-height: 20px; font-weight: 400;
}}
QPushButton[chip="true"]:hover, QToolButton[chip="true"]:hover {{
    background: {SURFACE_ACTION_SUBTLE_HOVER}; border-color: {BORDER_ACTION};
}}
QPushButton[chip="true"]:checked, QToolButton[chip="true"]:checked {{
    color: {TEXT_ON_ACTION}; background: {SURFACE_ACTION_PRESSED}; border-color: {SURFACE_ACTION_PRESSED};
}}
QPushButton[chip="true"]:checked:hover, QToolButton[chip="true"]:checked:hover {{
    background: {SURFACE_ACTION_HOVER}; border-color: {SURFACE_ACTION_HOVER};
}}
QPushButton[chip="true"]:focus, QToolButton[chip="true"]:focus {{ border: 2px solid {BORDER_FOCUS}; padding: 2px 11px; }}
QPushButton[chip="true"]:disabled, QToolButton[chip="true"]:disabled {{
    color: {TEXT_DECORATION}; background: {SURFACE_NEUTRAL}; border-color: {BORDER_SUBTLE};
}}

/* Fields. The focus ring is drawn as a 2 px border with 1 px less padding so nothing moves. */
QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QDateEdit, QTimeEdit, QSpinBox, QDoubleSpinBox {{
    color: {TEXT_DEFAULT}; background: {SURFACE_DEFAULT};
    border: 1px solid {BORDER_DEFAULT}; border-radius: {RADIUS_SMALL + 2}px;
    padding: 4px 8px; selection-background-color: {SURFACE_ACTION}; selection-color: {TEXT_ON_ACTION};
}}
QLineEdit, QComboBox, QDateEdit, QTimeEdit, QSpinBox, QDoubleSpinBox {{ min-height: {CONTROL_HEIGHT - 10}px; }}
QComboBox::drop-down, QDateEdit::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; width: 22px; border: none;
}}
QComboBox::down-arrow, QDateEdit::down-arrow {{ image: url("{chevron}"); width: 18px; height: 18px; }}
QComboBox::down-arrow:disabled, QDateEdit::down-arrow:disabled {{ image: none; }}
/* Spin boxes and the time field: a column of up/down buttons with Aksel's chevrons inside the
   field's border (Qt drew empty stubs: a bordered spin box is wholly drawn by the stylesheet).
   Qt places a spin box's text at the left border whatever the padding says: pad_spin_box()
   gives it the line edits' inset. */
QSpinBox::up-button, QDoubleSpinBox::up-button, QTimeEdit::up-button, QDateEdit::up-button {{
    subcontrol-origin: border; subcontrol-position: top right; width: {SPIN_BUTTON_WIDTH}px;
    border: none; border-left: 1px solid {BORDER_SUBTLE}; border-top-right-radius: {RADIUS_SMALL + 2}px;
    margin: 1px 1px 0px 0px;
}}
QSpinBox::down-button, QDoubleSpinBox::down-button, QTimeEdit::down-button, QDateEdit::down-button {{
    subcontrol-origin: border; subcontrol-position: bottom right; width: {SPIN_BUTTON_WIDTH}px;
    border: none; border-left: 1px solid {BORDER_SUBTLE}; border-bottom-right-radius: {RADIUS_SMALL + 2}px;
    margin: 0px 1px 1px 0px;
}}
QSpinBox::up-button:hover, QDoubleSpinBox::up-button:hover, QTimeEdit::up-button:hover, QDateEdit::up-button:hover,
QSpinBox::down-button:hover, QDoubleSpinBox::down-button:hover, QTimeEdit::down-button:hover,
QDateEdit::down-button:hover {{ background: {SURFACE_ACTION_SUBTLE_HOVER}; }}
QSpinBox::up-button:pressed, QDoubleSpinBox::up-button:pressed, QTimeEdit::up-button:pressed,
QDateEdit::up-button:pressed, QSpinBox::down-button:pressed, QDoubleSpinBox::down-button:pressed,
QTimeEdit::down-button:pressed, QDateEdit::down-button:pressed {{ background: {BORDER_ACTION_SUBTLE}; }}
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow, QTimeEdit::up-arrow, QDateEdit::up-arrow {{
    image: url("{chevron_up}"); width: 14px; height: 14px;
}}
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow, QTimeEdit::down-arrow {{
    image: url("{chevron}"); width: 14px; height: 14px;
}}
QSpinBox::up-arrow:disabled, QDoubleSpinBox::up-arrow:disabled, QTimeEdit::up-arrow:disabled,
QDateEdit::up-arrow:disabled, QSpinBox::down-arrow:disabled, QDoubleSpinBox::down-arrow:disabled,
QTimeEdit::down-arrow:disabled {{ image: none; }}
QComboBox QAbstractItemView {{
    background: {SURFACE_DEFAULT}; border: 1px solid {BORDER_SUBTLE};
    selection-background-color: {SURFACE_ACTION_SUBTLE}; selection-color: {TEXT_DEFAULT};
}}
QLineEdit:hover, QPlainTextEdit:hover, QTextEdit:hover, QComboBox:hover, QDateEdit:hover, QTimeEdit:hover,
QSpinBox:hover, QDoubleSpinBox:hover {{ border-color: {BORDER_ACTION}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QComboBox:focus, QDateEdit:focus, QTimeEdit:focus,
QSpinBox:focus, QDoubleSpinBox:focus {{ border: 2px solid {BORDER_FOCUS}; padding: 3px 7px; }}
QLineEdit:disabled, QPlainTextEdit:disabled, QTextEdit:disabled, QComboBox:disabled,
QDateEdit:disabled, QTimeEdit:disabled, QSpinBox:disabled, QDoubleSpinBox:disabled {{
    background: {SURFACE_NEUTRAL}; border-color: {BORDER_SUBTLE}; color: {TEXT_DECORATION};
}}
QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"], QTextEdit[readOnly="true"] {{
    background: {SURFACE_NEUTRAL};
}}
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QTextEdit[invalid="true"],
QComboBox[invalid="true"], QDateEdit[invalid="true"], QTimeEdit[invalid="true"], QSpinBox[invalid="true"] {{
    border: 2px solid {DANGER_BORDER_STRONG}; padding: 3px 7px;
}}

/* Tables and lists: a bold header on a subtle surface with Aksel's 2 px rule under it,
   light grid lines and a light blue selection that keeps status colours legible. */
QTableView, QTreeView, QListView {{
    background: {SURFACE_DEFAULT}; alternate-background-color: {SURFACE_SUBTLE};
    border: 1px solid {BORDER_SUBTLE}; border-radius: {RADIUS_SMALL}px;
    gridline-color: {SURFACE_NEUTRAL};
    selection-background-color: {SURFACE_SELECTED}; selection-color: {TEXT_DEFAULT};
}}
QTableView:focus, QTreeView:focus, QListView:focus {{ border: 1px solid {BORDER_FOCUS}; }}
QTableView::item, QTreeView::item {{ padding: 4px {CELL_TEXT_PADDING}px; }}
/* The date pickers' month grid is a QTableView too, sized by Qt for unpadded cells: padding
   there cut the day names to «…» and two-digit days in half. */
QCalendarWidget {{ min-width: 300px; min-height: 220px; }}
QCalendarWidget QTableView {{ border: none; border-radius: 0px; }}
QCalendarWidget QWidget#qt_calendar_navigationbar {{ background: {SURFACE_ACTION}; }}
QCalendarWidget QToolButton {{ color: {TEXT_ON_ACTION}; background: transparent; font-weight: 600; }}
QCalendarWidget QToolButton:hover {{ background: {SURFACE_ACTION_HOVER}; }}
QCalendarWidget QTableView::item {{ padding: 0px; }}
QHeaderView {{ background: {SURFACE_SUBTLE}; }}
QHeaderView::section {{
    color: {TEXT_DEFAULT}; background: {SURFACE_SUBTLE}; font-weight: 600;
    border: none; border-bottom: 2px solid {BORDER_SUBTLE}; border-right: 1px solid {SURFACE_NEUTRAL};
    padding: 5px 8px;
}}
QHeaderView::section:hover {{ background: {SURFACE_NEUTRAL}; }}
QTableCornerButton::section {{ background: {SURFACE_SUBTLE}; border: none; border-bottom: 2px solid {BORDER_SUBTLE}; }}

/* Text roles. */
QLabel[heading="large"] {{ font-size: {FONT_POINT_SIZE + 8}pt; font-weight: 600; }}
QLabel[heading="medium"] {{ font-size: {FONT_POINT_SIZE + 4}pt; font-weight: 600; }}
QLabel[heading="small"] {{ font-size: {FONT_POINT_SIZE + 2}pt; font-weight: 600; }}
QLabel[subtle="true"] {{ color: {TEXT_SUBTLE}; }}

QGroupBox {{
    background: {SURFACE_DEFAULT}; border: 1px solid {BORDER_SUBTLE}; border-radius: {RADIUS_MEDIUM}px;
    margin-top: 14px; padding: 10px 8px 8px 8px; font-weight: 600;
}}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {TEXT_DEFAULT}; }}

QTabBar::tab {{
    color: {TEXT_SUBTLE}; background: transparent; padding: 6px 14px;
    border: none; border-bottom: 3px solid transparent;
}}
QTabBar::tab:hover {{ color: {TEXT_DEFAULT}; border-bottom-color: {BORDER_SUBTLE}; }}
QTabBar::tab:selected {{ color: {TEXT_DEFAULT}; border-bottom-color: {SURFACE_ACTION}; font-weight: 600; }}
QTabWidget::pane {{ border: none; border-top: 1px solid {BORDER_SUBTLE}; }}

QMenu {{ background: {SURFACE_DEFAULT}; border: 1px solid {BORDER_SUBTLE}; padding: 4px; }}
QMenu::item {{ padding: 5px 24px 5px 8px; border-radius: {RADIUS_SMALL}px; }}
QMenu::item:selected {{ background: {SURFACE_ACTION_SUBTLE}; color: {TEXT_DEFAULT}; }}
QMenu::separator {{ height: 1px; background: {BORDER_SUBTLE}; margin: 4px 2px; }}
QToolBar {{ background: {SURFACE_DEFAULT}; border: none; border-bottom: 1px solid {BORDER_SUBTLE}; spacing: 4px; padding: 2px 6px; }}
QStatusBar {{ background: {SURFACE_DEFAULT}; border-top: 1px solid {BORDER_SUBTLE}; color: {TEXT_SUBTLE}; }}
"""


def _system_font() -> QFont:
    # Aksel's font is Source Sans 3, which we do not ship: the system sans at 10 pt reads as
    # close to it as anything installed, without a font licence to carry.
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    if not 10 <= font.pointSizeF() <= 11:
        font.setPointSize(FONT_POINT_SIZE)
    return font


def apply_theme(app: QApplication, *, set_style: bool = True) -> None:
    """Give the whole application Aksel's look: Fusion style (the same on every desktop, and
    it honours the palette), the palette, the system sans at 10–11 pt, the stylesheet and the
    application icon. ``set_style=False``: the application was created with ``-style fusion``."""
    if set_style:
        app.setStyle("Fusion")
    app.setPalette(palette())
    app.setFont(_system_font())
    app.setStyleSheet(stylesheet())
    app.setWindowIcon(app_icon())


def _repolish(widget: QWidget) -> None:
    # Dynamic properties are read when a widget is polished; a later change needs a re-polish.
    # A widget not polished yet (still being built) reads them when it is first shown.
    if not widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        return
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_variant(button: QAbstractButton, variant: str) -> None:
    """Mark ``button`` as an Aksel ``primary``, ``secondary``, ``tertiary`` or ``danger``
    button."""
    if variant not in {"primary", "secondary", "tertiary", "danger"}:
        raise ValueError(f"unknown button variant {variant!r}")
    button.setProperty("variant", variant)
    _repolish(button)


def set_chip(button: QAbstractButton, *, checked: bool = False) -> None:
    """Make ``button`` a checkable Aksel toggle chip."""
    button.setCheckable(True)
    button.setChecked(checked)
    button.setProperty("chip", "true")
    button.setCursor(Qt.CursorShape.PointingHandCursor)
    _repolish(button)


def pad_spin_box(box: QAbstractSpinBox) -> None:
    """Give a spin box's (or time field's) text the same inset as a line edit's: Qt lays out a
    stylesheet-drawn spin box's editor at the left border and ignores the padding there."""
    editor = box.findChild(QLineEdit)
    if editor is not None:
        editor.setTextMargins(FIELD_TEXT_INSET, 0, 0, 0)


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Show (or clear) Aksel's error border on an input whose value was rejected."""
    widget.setProperty("invalid", "true" if invalid else "false")
    _repolish(widget)
