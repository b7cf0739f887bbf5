"""The print preview dialog, driven through its widgets and signals: it shows exactly the PDF
the renderer made, re-renders on every choice, saves those bytes and prints them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses  # noqa: E402
import datetime as dt  # noqa: E402
import io  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from pypdf import PdfReader  # noqa: E402
from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402

from navoppfolging.domain import ActivityStatus  # noqa: E402
from navoppfolging.plan_pdf import PROFILES, PlanProfile, render_plan  # noqa: E402
from navoppfolging.ui.plan_preview import PlanPreviewDialog  # noqa: E402
from tests.test_plan_pdf import ADVISOR, AS_OF, make_case  # noqa: E402


class Recorder:
    """A render callable that records the profiles it was asked for."""

    def __init__(self) -> None:
        self.profiles: list[PlanProfile] = []
        self.case = make_case()

    def __call__(self, profile: PlanProfile) -> bytes:
        self.profiles.append(profile)
        return render_plan(self.case, ADVISOR, as_of=AS_OF, profile=profile)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def dialog(qtbot, recorder: Recorder) -> PlanPreviewDialog:  # type: ignore[no-untyped-def]
    dlg = PlanPreviewDialog(recorder, suggested_name="aktivitetsplan-U-0001-2024-03-04.pdf", as_of=AS_OF)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    # Keyboard shortcuts belong to the active window.
    dlg.activateWindow()
    qtbot.waitActive(dlg)
    return dlg


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _text(pdf: bytes) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_loads_the_rendered_document(dialog: PlanPreviewDialog, recorder: Recorder) -> None:
    """On opening, the default profile is rendered once and QtPdf shows all its pages."""
    assert [p.name for p in recorder.profiles] == ["motet"]
    assert dialog.page_count() == _pages(dialog.pdf_bytes()) >= 1
    assert dialog.pages_label.text().endswith(("side", "sider"))
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    # The checkboxes mirror the profile: «Til møtet» leaves «Avbrutt» out.
    assert not dialog.status_boxes["AVBRUTT"].isChecked()
    assert dialog.status_boxes["GJENNOMFORES"].isChecked()


def test_switching_profile_re_renders(qtbot, dialog: PlanPreviewDialog, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    """Choosing «Til saksmappen» renders again with that profile, once, and the preview follows."""
    before = dialog.pdf_bytes()
    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000) as blocker:
        dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData("saksmappe"))
    assert [p.name for p in recorder.profiles] == ["motet", "saksmappe"]
    assert recorder.profiles[-1] == PROFILES["saksmappe"]
    assert dialog.pdf_bytes() != before
    assert blocker.args == [dialog.page_count()] and dialog.page_count() == _pages(dialog.pdf_bytes())
    assert "Møter og dialog" in _text(dialog.pdf_bytes())
    assert dialog.status_boxes["AVBRUTT"].isChecked()


def test_fnr_is_an_explicit_choice_offered_only_where_allowed(qtbot, dialog: PlanPreviewDialog,  # type: ignore[no-untyped-def]
                                                              recorder: Recorder) -> None:
    """«Ta med fødselsnummer» is not offered for «Til møtet»; for «Til saksmappen» it is offered
    unticked, the preview has no fødselsnummer until it is ticked, and choosing a profile again
    starts unticked."""
    fnr = recorder.case.fnr
    assert fnr
    assert dialog.fnr_box.isHidden() and not dialog.fnr_box.isChecked()
    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData("saksmappe"))
    assert dialog.fnr_box.isVisibleTo(dialog) and not dialog.fnr_box.isChecked()
    assert not recorder.profiles[-1].include_fnr
    assert fnr not in _text(dialog.pdf_bytes()) and fnr.encode() not in dialog.pdf_bytes()

    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        qtbot.mouseClick(dialog.fnr_box, Qt.MouseButton.LeftButton)
    assert recorder.profiles[-1].include_fnr
    assert f"Fødselsnummer {fnr}" in _text(dialog.pdf_bytes())

    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData("motet"))
    assert dialog.fnr_box.isHidden() and not dialog.fnr_box.isChecked()
    assert fnr not in _text(dialog.pdf_bytes())
    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        dialog.profile_combo.setCurrentIndex(dialog.profile_combo.findData("saksmappe"))
    assert not dialog.fnr_box.isChecked() and fnr not in _text(dialog.pdf_bytes())


def test_status_checkbox_and_period_filter_the_plan(qtbot, dialog: PlanPreviewDialog, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    """Unticking a status and choosing a period re-render with exactly those choices."""
    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        qtbot.mouseClick(dialog.status_boxes["PLANLAGT"], Qt.MouseButton.LeftButton)
    assert ActivityStatus.PLANLAGT not in recorder.profiles[-1].statuses
    assert "Jobbsøkerkurs" not in _text(dialog.pdf_bytes())

    dialog.date_from.setDate(QDate(2024, 3, 1))  # disabled edits do not render
    assert len(recorder.profiles) == 2
    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        dialog.range_box.setChecked(True)
    assert recorder.profiles[-1].date_from == dt.date(2024, 3, 1)
    assert "Viser aktiviteter i perioden 01.03.2024" in _text(dialog.pdf_bytes())

    # A period that ends before it starts is refused, and nothing can be printed meanwhile.
    dialog.date_to.setDate(QDate(2024, 2, 1))
    assert dialog.error_label.isVisibleTo(dialog) and "Fra-datoen" in dialog.error_label.text()
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.previewUpdated, timeout=5000):
        dialog.date_to.setDate(QDate(2024, 3, 31))
    assert dialog.print_button.isEnabled() and not dialog.error_label.isVisibleTo(dialog)


def test_save_writes_exactly_the_previewed_bytes(qtbot, dialog: PlanPreviewDialog, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """«Lagre som PDF…» asks for a path (replaced here) and writes the preview's bytes; «.pdf»
    is added when missing."""
    asked: list[str] = []

    def fake_ask(cls: type, parent: object, suggested: str) -> str:
        asked.append(suggested)
        return str(tmp_path / "plan")

    monkeypatch.setattr(PlanPreviewDialog, "ask_save_path", classmethod(fake_ask))
    with qtbot.waitSignal(dialog.saved, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert asked == ["aktivitetsplan-U-0001-2024-03-04.pdf"]
    assert blocker.args == [str(tmp_path / "plan.pdf")]
    assert (tmp_path / "plan.pdf").read_bytes() == dialog.pdf_bytes()


def test_ctrl_s_saves_and_cancel_writes_nothing(qtbot, dialog: PlanPreviewDialog, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl+S opens the save path question; cancelling it writes nothing."""
    answers: list[str | None] = [None, str(tmp_path / "via-tast.pdf")]
    monkeypatch.setattr(PlanPreviewDialog, "ask_save_path", classmethod(lambda cls, p, s: answers.pop(0)))
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert answers == [str(tmp_path / "via-tast.pdf")] and not list(tmp_path.iterdir())
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (tmp_path / "via-tast.pdf").read_bytes() == dialog.pdf_bytes()


def test_print_to_cups_sends_the_pdf_itself(qtbot, dialog: PlanPreviewDialog,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A CUPS printer gets the PDF bytes via lp, with the dialog's copies, pages and duplex."""
    sent: list[tuple[str, bytes, Sequence[str]]] = []
    printers: list[QPrinter] = []

    def fake_setup(cls: type, parent: object, printer: QPrinter, pages: int) -> bool:
        assert pages == dialog.page_count()
        printers.append(printer)
        printer.setCopyCount(2)
        return True

    monkeypatch.setattr(PlanPreviewDialog, "ask_print_setup", classmethod(fake_setup))
    monkeypatch.setattr(PlanPreviewDialog, "is_cups_printer", staticmethod(lambda printer: True))
    monkeypatch.setattr(PlanPreviewDialog, "send_to_print_system",
                        staticmethod(lambda name, pdf, options: sent.append((name, pdf, options))))
    with qtbot.waitSignal(dialog.printed, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert blocker.args == ["cups"]
    ((name, pdf, options),) = sent
    assert name == printers[0].printerName() and pdf == dialog.pdf_bytes()
    joined = " ".join(options)
    assert "-n 2" in joined and "collate=true" in joined
    # The print queue sees a neutral job name, never the young person's name.
    assert "-t Aktivitetsplan" in joined and make_case().name not in joined


class _PrinterChoices:
    """What a real print dialog leaves on a CUPS printer (duplex and page range are not
    settable on a QPrinter without a printer, which is all these machines have)."""

    def copyCount(self) -> int:  # noqa: N802 - Qt's API
        return 1

    def collateCopies(self) -> bool:  # noqa: N802
        return True

    def printRange(self) -> QPrinter.PrintRange:  # noqa: N802
        return QPrinter.PrintRange.PageRange

    def fromPage(self) -> int:  # noqa: N802
        return 2

    def toPage(self) -> int:  # noqa: N802
        return 3

    def duplex(self) -> QPrinter.DuplexMode:
        return QPrinter.DuplexMode.DuplexLongSide


def test_lp_options_carry_page_range_and_duplex(dialog: PlanPreviewDialog) -> None:
    options = dialog.lp_options(_PrinterChoices())  # type: ignore[arg-type]
    assert options == ["-t", "Aktivitetsplan", "-n", "1", "-P", "2-3", "-o", "sides=two-sided-long-edge"]


def test_print_cancelled_prints_nothing(qtbot, dialog: PlanPreviewDialog, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[object] = []
    monkeypatch.setattr(PlanPreviewDialog, "ask_print_setup", classmethod(lambda cls, p, pr, n: False))
    monkeypatch.setattr(PlanPreviewDialog, "send_to_print_system", staticmethod(lambda *a: calls.append(a)))
    dialog.printed.connect(calls.append)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert calls == []


def test_print_to_file_from_print_dialog_writes_our_pdf(qtbot, dialog: PlanPreviewDialog, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """«Skriv til fil» in the print dialog (Ctrl+P) gives the vector PDF, not a re-rendering."""
    target = tmp_path / "utskrift.pdf"

    def fake_setup(cls: type, parent: object, printer: QPrinter, pages: int) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(PlanPreviewDialog, "ask_print_setup", classmethod(fake_setup))
    with qtbot.waitSignal(dialog.printed, timeout=5000) as blocker:
        qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["file"]
    assert target.read_bytes() == dialog.pdf_bytes()


def test_raster_print_paints_every_page(dialog: PlanPreviewDialog, tmp_path: Path) -> None:
    """The fallback for non-CUPS printers paints each page as an image onto the QPrinter."""
    out = tmp_path / "raster.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    dialog.print_raster(printer)
    reader = PdfReader(str(out))
    assert len(reader.pages) == dialog.page_count()
    # Image-only pages: no text layer, but an image on each.
    assert all(not page.extract_text().strip() for page in reader.pages)
    assert all(page.images for page in reader.pages)


def test_render_failure_is_shown_not_raised(qtbot) -> None:  # type: ignore[no-untyped-def]
    """If the plan cannot be made the dialog says so and offers nothing to print."""
    def broken(profile: PlanProfile) -> bytes:
        raise RuntimeError("boom")

    dlg = PlanPreviewDialog(broken, suggested_name="x.pdf", as_of=AS_OF)
    qtbot.addWidget(dlg)
    assert dlg.error_label.isVisibleTo(dlg) and "kunne ikke lages" in dlg.error_label.text()
    assert not dlg.print_button.isEnabled() and dlg.pdf_bytes() == b""


def test_escape_closes(qtbot, dialog: PlanPreviewDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.show()
    qtbot.waitExposed(dialog)
    with qtbot.waitSignal(dialog.rejected, timeout=5000):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_ask_runs_the_dialog_modally(qtbot, monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    """``ask`` is the one entry the main window calls; here exec is replaced to close at once."""
    shown: list[PlanPreviewDialog] = []

    def fake_exec(self: PlanPreviewDialog) -> int:
        shown.append(self)
        qtbot.addWidget(self)
        return 0

    monkeypatch.setattr(PlanPreviewDialog, "exec", fake_exec)
    saksmappe: Callable[[], PlanProfile] = lambda: PROFILES["saksmappe"]  # noqa: E731
    assert PlanPreviewDialog.ask(recorder, suggested_name="x.pdf", profile=saksmappe(), as_of=AS_OF) == 0
    assert shown and shown[0].profile_combo.currentData() == "saksmappe"
    assert recorder.profiles[0].name == "saksmappe"


def test_custom_starting_profile_is_kept(qtbot, recorder: Recorder) -> None:  # type: ignore[no-untyped-def]
    """A profile passed in (say with a period and no notes) is rendered as given and offered
    in the chooser next to the built-in ones."""
    custom = dataclasses.replace(PROFILES["motet"], name="kort", label="Kort utgave", notes_lines=0,
                                 date_from=dt.date(2024, 3, 1), date_to=dt.date(2024, 3, 31))
    dlg = PlanPreviewDialog(recorder, suggested_name="x.pdf", profile=custom, as_of=AS_OF)
    qtbot.addWidget(dlg)
    assert recorder.profiles == [custom]
    assert dlg.profile_combo.currentText() == "Kort utgave" and dlg.range_box.isChecked()
    assert [dlg.profile_combo.itemData(i) for i in range(dlg.profile_combo.count())] == ["motet", "saksmappe", "kort"]
    assert "Notater" not in _text(dlg.pdf_bytes())
