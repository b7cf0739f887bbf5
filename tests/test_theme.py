"""The Aksel theme: icons, colours, palette, stylesheet and the shipped resources."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import configparser
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPalette
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from navoppfolging import resources_path
from navoppfolging.domain import Channel
from navoppfolging.ui import theme

ICONS = resources_path() / "icons"


def _readme_icons() -> list[str]:
    text = (ICONS / "README.md").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"`([A-Za-z0-9-]+)\.svg`", text)))


def _opaque_pixels(image: QImage) -> list[QColor]:
    return [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]


def _luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_readme_lists_exactly_the_icon_files() -> None:
    """Every SVG we ship is documented in icons/README.md, and nothing documented is missing."""
    on_disk = sorted(p.stem for p in ICONS.glob("*.svg"))
    assert _readme_icons() == on_disk
    assert theme.available_icons() == on_disk
    assert len(on_disk) >= 40


@pytest.mark.parametrize("name", _readme_icons())
def test_listed_icon_loads_and_renders(qapp: QApplication, name: str) -> None:
    """Each documented icon gives a non-null QIcon whose pixmap has visible pixels."""
    icon = theme.icon(name)
    assert isinstance(icon, QIcon)
    assert not icon.isNull()
    pixmap = icon.pixmap(QSize(24, 24))
    assert not pixmap.isNull()
    assert pixmap.size() == QSize(24, 24)
    assert _opaque_pixels(pixmap.toImage()), f"{name} renders blank"


def test_icon_accepts_file_name_and_caches(qapp: QApplication) -> None:
    """'Plus' and 'Plus.svg' are the same icon, built once per colour."""
    first = theme.icon("Plus")
    assert theme.icon("Plus.svg").cacheKey() == first.cacheKey()
    assert theme.icon("Plus", theme.NAV_RED).cacheKey() != first.cacheKey()


def test_unknown_icon_raises(qapp: QApplication) -> None:
    with pytest.raises(KeyError):
        theme.icon("NoSuchIcon")


def test_recolouring_changes_pixels(qapp: QApplication) -> None:
    """An icon asked for in NAV red is painted red; the default is Aksel's text colour."""
    default = _opaque_pixels(theme.icon("Trash").pixmap(32, 32).toImage())
    red = _opaque_pixels(theme.icon("Trash", theme.NAV_RED).pixmap(32, 32).toImage())
    assert {c.rgb() for c in default} != {c.rgb() for c in red}
    assert QColor(theme.NAV_RED).rgb() in {c.rgb() for c in red}
    assert QColor(theme.TEXT_DEFAULT).rgb() in {c.rgb() for c in default}


def test_disabled_icon_fades(qapp: QApplication) -> None:
    """Disabled icons use Aksel's disabled opacity, so a greyed-out action looks greyed out."""
    icon = theme.icon("Pencil")
    normal = icon.pixmap(QSize(24, 24), QIcon.Mode.Normal).toImage()
    disabled = icon.pixmap(QSize(24, 24), QIcon.Mode.Disabled).toImage()
    max_normal = max(normal.pixelColor(x, y).alpha() for x in range(24) for y in range(24))
    max_disabled = max(disabled.pixelColor(x, y).alpha() for x in range(24) for y in range(24))
    assert max_normal == 255
    assert max_disabled <= round(255 * theme.OPACITY_DISABLED) + 1


def test_icon_maps_point_at_shipped_icons() -> None:
    """Action, channel and status maps name only icons that exist; every channel has one."""
    available = set(theme.available_icons())
    for mapping in (theme.ACTION_ICONS, theme.CHANNEL_ICONS, theme.STATUS_ICONS):
        assert set(mapping.values()) <= available
    assert set(theme.CHANNEL_ICONS) == {c.value for c in Channel}
    assert set(theme.STATUS_ICONS) == set(theme.STATUS_COLORS)


def test_apply_theme_sets_palette_font_and_stylesheet(themed_app: QApplication) -> None:
    palette = themed_app.palette()
    assert palette.color(QPalette.ColorRole.Window) == QColor(theme.SURFACE_SUBTLE)
    assert palette.color(QPalette.ColorRole.Base) == QColor(theme.SURFACE_DEFAULT)
    assert palette.color(QPalette.ColorRole.Text) == QColor(theme.TEXT_DEFAULT)
    assert palette.color(QPalette.ColorRole.Highlight) == QColor(theme.SURFACE_ACTION)
    assert 10 <= themed_app.font().pointSizeF() <= 11
    assert 'QPushButton[variant="primary"]' in themed_app.styleSheet()
    assert not themed_app.windowIcon().isNull()


def test_primary_button_is_painted_in_action_blue(themed_app: QApplication, qtbot: QtBot) -> None:
    """The variant property reaches the stylesheet: a primary button is filled with the action
    colour, a secondary one is not."""
    primary = QPushButton("Ny sak")
    secondary = QPushButton("Avbryt")
    for button in (primary, secondary):
        qtbot.addWidget(button)
        button.resize(140, 36)
    theme.set_variant(primary, "primary")
    theme.set_variant(secondary, "secondary")
    centre = QPoint(8, 18)  # inside the border, left of the text
    assert primary.grab().toImage().pixelColor(centre) == QColor(theme.SURFACE_ACTION)
    assert secondary.grab().toImage().pixelColor(centre) != QColor(theme.SURFACE_ACTION)
    with pytest.raises(ValueError):
        theme.set_variant(primary, "ghost")


def test_chip_toggles_to_selected_colour(themed_app: QApplication, qtbot: QtBot) -> None:
    """Clicking a chip checks it and fills it with Aksel's selected-chip blue."""
    chip = QPushButton("Forfalt")
    qtbot.addWidget(chip)
    theme.set_chip(chip)
    chip.resize(120, 32)
    chip.show()
    qtbot.waitExposed(chip)
    spot = QPoint(60, 4)  # inside the pill, above the text
    assert chip.grab().toImage().pixelColor(spot) == QColor(theme.SURFACE_ACTION_SUBTLE)
    with qtbot.waitSignal(chip.toggled) as toggled:
        qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert toggled.args == [True]
    chip.clearFocus()
    # The mouse is still over the chip, so Aksel's selected-hover colour applies.
    assert chip.grab().toImage().pixelColor(spot).name().upper() in {
        theme.SURFACE_ACTION_PRESSED,
        theme.SURFACE_ACTION_HOVER,
    }


def test_status_colors_are_distinct_for_due_statuses(qapp: QApplication) -> None:
    pairs = {status: theme.status_colors(status) for status in ("overdue", "due_soon", "upcoming")}
    backgrounds = {bg.rgb() for bg, _ in pairs.values()}
    foregrounds = {fg.rgb() for _, fg in pairs.values()}
    assert len(backgrounds) == 3
    assert len(foregrounds) == 3
    bg, fg = pairs["overdue"]
    assert (bg, fg) == (QColor(theme.DANGER_SUBTLE), QColor(theme.DANGER_TEXT))
    # Red for overdue, orange for due soon: the hue says it before the word does.
    assert fg.red() > fg.green() and fg.red() > fg.blue()
    assert pairs["due_soon"][1].red() > pairs["due_soon"][1].blue()
    with pytest.raises(KeyError):
        theme.status_colors("someday")


@pytest.mark.parametrize("status", sorted(theme.STATUS_COLORS))
def test_status_text_is_readable(status: str) -> None:
    """Every status and badge pair meets WCAG AA contrast (4.5:1) for normal text."""
    colours = theme.STATUS_COLORS[status]
    assert _contrast(QColor(colours.background), QColor(colours.foreground)) >= 4.5


def test_theme_module_does_not_import_sqlalchemy() -> None:
    """The UI talks to services only: importing the theme must not pull in the database layer."""
    code = (
        "import sys; import navoppfolging.ui.theme; "
        "db = {'sqlalchemy', 'alembic'}; "
        "sys.exit(1 if any(m.split('.')[0] in db for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()


def test_licence_files_exist() -> None:
    licences = resources_path() / "LICENSES"
    for name, package in [
        ("aksel-icons-MIT.txt", "@navikt/aksel-icons"),
        ("aksel-ds-css-MIT.txt", "@navikt/ds-css"),
    ]:
        text = (licences / name).read_text(encoding="utf-8")
        assert package in text
        assert "Permission is hereby granted, free of charge" in text
        assert "Copyright (c) 2017 NAV" in text


def test_app_icon_pngs_and_desktop_file(qapp: QApplication) -> None:
    """The rendered PNGs have their stated sizes and the desktop entry names them."""
    for size in (48, 128, 256):
        image = QImage(str(ICONS / f"navoppfolging-{size}.png"))
        assert image.size() == QSize(size, size)
        # NAV red fills the square's centre-left, behind the white person.
        assert image.pixelColor(size // 10, size // 2) == QColor(theme.NAV_RED)
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    entry.read(Path(resources_path() / "navoppfolging.desktop"), encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "NAV oppfølging"
    assert desktop["Exec"] == "navoppfolging"
    assert desktop["Icon"] == "navoppfolging"
    assert desktop["Categories"] == "Office;"
    assert desktop["Comment"]


def test_variant_changed_after_show_is_repainted(themed_app: QApplication, qtbot: QtBot) -> None:
    """A widget already polished (shown) is re-polished when its variant changes; one still being
    built is polished with the property when it is first shown."""
    button = QPushButton("Lagre")
    qtbot.addWidget(button)
    button.resize(140, 36)
    button.show()
    qtbot.waitExposed(button)
    centre = QPoint(8, 18)
    assert button.grab().toImage().pixelColor(centre) != QColor(theme.SURFACE_ACTION)
    theme.set_variant(button, "primary")
    assert button.grab().toImage().pixelColor(centre) == QColor(theme.SURFACE_ACTION)
    theme.set_variant(button, "secondary")
    assert button.grab().toImage().pixelColor(centre) != QColor(theme.SURFACE_ACTION)


@pytest.mark.parametrize("override", ["", "windows"])
def test_new_application_gets_fusion_and_the_theme(override: str) -> None:
    """``create_application`` asks for Fusion with Qt's «-style» option (no QStyle wrapper at
    start-up); Fusion wins over a desktop's QT_STYLE_OVERRIDE, and the theme is applied."""
    code = (
        "import sys; from navoppfolging.ui.app import create_application; app = create_application(); "
        "themed = 'QPushButton[variant=\"primary\"]' in app.styleSheet(); "
        "window = app.palette().color(app.palette().ColorRole.Window).name().upper(); "
        # Under a stylesheet style() is Qt's stylesheet wrapper; without it, the base style.
        "app.setStyleSheet(''); print(app.style().name(), themed, window)"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("QT_STYLE_OVERRIDE", None)
    if override:
        env["QT_STYLE_OVERRIDE"] = override
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["fusion", "True", theme.SURFACE_SUBTLE]


def test_date_picker_calendar_shows_whole_day_names_and_dates(themed_app, qtbot: QtBot) -> None:  # type: ignore[no-untyped-def]
    """The month grid of the date pickers is a QTableView: the tables' cell padding must not
    reach it, or Qt's size (made for unpadded cells) cuts «man.» to «…» and «30» in half."""
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QCalendarWidget, QTableView

    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(2024, 6, 3))
    qtbot.addWidget(calendar)
    calendar.resize(calendar.sizeHint())
    calendar.show()
    qtbot.waitExposed(calendar)
    assert calendar.width() >= 300 and calendar.height() >= 220
    view = calendar.findChild(QTableView)
    model = view.model()
    metrics = view.fontMetrics()
    for column in range(model.columnCount()):
        for row in range(model.rowCount()):
            text = str(model.index(row, column).data() or "")
            rect = view.visualRect(model.index(row, column))
            assert metrics.horizontalAdvance(text) <= rect.width(), (row, column, text, rect.width())


@pytest.mark.parametrize(
    ("variant", "enabled_fill", "disabled_fill"),
    [
        ("primary", theme.SURFACE_ACTION, theme.BORDER_ACTION_SUBTLE),
        ("danger", theme.DANGER, theme.DANGER_BORDER),
    ],
)
def test_disabled_filled_button_is_faded(themed_app: QApplication, qtbot: QtBot, variant: str, enabled_fill: str,
                                         disabled_fill: str) -> None:
    """A disabled primary or danger button («Avslutt saken», «Slett») is filled with the faded
    token, not the solid colour that says «click me»."""
    assert f'QPushButton[variant="{variant}"]:disabled' in theme.stylesheet()
    button = QPushButton("Avslutt saken")
    qtbot.addWidget(button)
    button.resize(140, 36)
    theme.set_variant(button, variant)
    spot = QPoint(8, 18)
    assert button.grab().toImage().pixelColor(spot) == QColor(enabled_fill)
    button.setEnabled(False)
    assert button.grab().toImage().pixelColor(spot) == QColor(disabled_fill)


def _blue_text_pixels(image: QImage) -> int:
    """Pixels in (or near) the action blue of enabled link-like text."""
    blue = QColor(theme.TEXT_ACTION)
    count = 0
    for y in range(image.height()):
        for x in range(image.width()):
            c = image.pixelColor(x, y)
            count += abs(c.red() - blue.red()) + abs(c.green() - blue.green()) + abs(c.blue() - blue.blue()) < 60
    return count


@pytest.mark.parametrize("kind", ["tertiary", "secondary", "toolbutton"])
def test_disabled_text_buttons_lose_the_action_blue(themed_app: QApplication, qtbot: QtBot, kind: str) -> None:
    """Tertiary and secondary buttons and the toolbar's buttons («Registrer kontakt» with no case
    chosen) turn grey when disabled instead of keeping their blue text."""
    from PySide6.QtWidgets import QAbstractButton, QToolButton

    button: QAbstractButton
    if kind == "toolbutton":
        button = QToolButton()
        button.setText("Registrer kontakt")
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    else:
        button = QPushButton("Registrer kontakt")
        theme.set_variant(button, kind)
    qtbot.addWidget(button)
    button.resize(180, 36)
    assert _blue_text_pixels(button.grab().toImage()) > 20
    button.setEnabled(False)
    assert _blue_text_pixels(button.grab().toImage()) == 0


def _first_ink_x(image: QImage) -> int:
    """The leftmost column (past a 2 px border) with text-dark pixels in the middle band."""
    middle = image.height() // 2
    for x in range(3, image.width()):
        if any(image.pixelColor(x, y).lightness() < 90 for y in range(middle - 5, middle + 5)):
            return x
    return image.width()


def _arrow_pixels(image: QImage, top: bool) -> int:
    """Dark pixels inside the up (or down) button at the right edge, off its borders."""
    width, height = image.width(), image.height()
    ys = range(3, height // 2 - 1) if top else range(height // 2 + 1, height - 3)
    return sum(image.pixelColor(x, y).lightness() < 90 for x in range(width - theme.SPIN_BUTTON_WIDTH + 2, width - 3)
               for y in ys)


def test_spin_boxes_and_time_fields_have_arrows_and_the_fields_inset(themed_app, qtbot: QtBot, db) -> None:  # type: ignore[no-untyped-def]
    """The spin boxes of «Innstillinger», «Slett avsluttede saker» and «Eksporter», and the time
    in the contact dialog: visible up/down chevrons, the text as far in as a line edit's, and
    the time field drawn like the other fields (it was Fusion's own)."""
    import datetime as dt

    from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit

    from navoppfolging.services import PortfolioService
    from navoppfolging.ui.contact_dialog import ContactDialog
    from navoppfolging.ui.export_dialog import ExportDialog
    from navoppfolging.ui.retention_dialog import RetentionDialog
    from navoppfolging.ui.settings_dialog import SettingsDialog
    from navoppfolging.ui.state import AppState

    today = dt.date(2024, 6, 3)
    state = AppState(db, today=today)
    settings = SettingsDialog(state)
    retention = RetentionDialog(state)
    export = ExportDialog(load=PortfolioService(db).load, as_of=today)
    contact = ContactDialog(title="Planlegg møte", today=today)
    fields: list[QAbstractSpinBox] = [*settings.spins.values(), retention.days_spin, export.horizon, contact.time_edit]
    export.horizon.setEnabled(True)
    contact.time_edit.setEnabled(True)
    reference = QLineEdit("10:00")
    qtbot.addWidget(reference)
    for dialog in (settings, retention, export, contact):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
    for field in fields:
        field.clearFocus()
    qtbot.wait(10)
    for field in fields:
        reference.resize(field.size())
        image = field.grab().toImage()
        assert field.height() >= theme.CONTROL_HEIGHT - 2, field.objectName()
        assert image.pixelColor(0, field.height() // 2) == QColor(theme.BORDER_DEFAULT), field.objectName()
        assert _first_ink_x(image) >= _first_ink_x(reference.grab().toImage()) - 1, field.objectName()
        assert _arrow_pixels(image, top=True) > 4 and _arrow_pixels(image, top=False) > 4, field.objectName()
