"""Screenshots of the advisor's window with the demo portfolio, for the README and for review.

    .venv/bin/python scripts/screenshots.py [--out docs] [--as-of 2024-06-03] [--all]

Builds a temporary database from the migrations, loads the demo portfolio generated for the
as-of date, opens the main window at 1800×1000 and saves PNGs with ``QWidget.grab()``:
``hovedvindu.png`` (the whole window) and ``frister.png`` (the due list, wider, with «Forfalt»
folded so every group shows). With ``--all`` it also
saves the case view on each tab (``sak-<tab>.png``) and an as-of date in the future
(``hovedvindu-fram-i-tid.png``). Runs offscreen unless a display is set (xvfb-run works too).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TABS = ("oversikt", "vurderinger", "kontakter", "aktivitetsplan", "oppfolging", "huskelapp", "historikk")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2024, 6, 3))
    parser.add_argument("--all", action="store_true", help="also the case tabs and a shifted as-of date")
    parser.add_argument("--case", default="U-0001", help="the case shown on the case tabs")
    args = parser.parse_args(argv)

    from PySide6.QtCore import QBuffer, QIODevice, QSettings
    from PySide6.QtWidgets import QApplication

    from navoppfolging.db import Database
    from navoppfolging.demo import generate
    from navoppfolging.services import PortfolioService
    from navoppfolging.ui.app import create_application
    from navoppfolging.ui.main_window import MainWindow
    from navoppfolging.ui.state import AppState

    app = create_application([sys.argv[0]])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(f"sqlite:///{Path(tmp) / 'demo.db'}", actor="Z990001", backup=False)
        PortfolioService(db).import_portfolio(generate(args.as_of))
        state = AppState(db, today=args.as_of)
        settings = QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(state, settings=settings)
        window.resize(1800, 1000)
        window.splitter.setSizes(window.default_splitter_sizes(1800))
        window.show()
        for _ in range(5):
            app.processEvents()

        def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
            app.processEvents()
            path = args.out / name
            buffer = QBuffer()
            buffer.open(QIODevice.OpenModeFlag.WriteOnly)
            widget.grab().save(buffer, "PNG")
            # A 128-colour palette (Pillow comes with ReportLab) keeps the README images small;
            # the UI's flat colours and grey anti-aliasing survive it without visible banding.
            from PIL import Image

            with Image.open(io.BytesIO(bytes(buffer.data()))) as full:
                full.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)
            print(f"{path} ({path.stat().st_size // 1024} KB)")

        save(window, "hovedvindu.png")
        # The due list on its own: wider, with «Forfalt» folded so all three groups show.
        window.splitter.setSizes([1800 - 820, 820])
        panel = window.due_panel
        panel.view.collapse(panel.model.index(0, 0))
        panel.view.expand(panel.model.index(2, 0))
        save(panel, "frister.png")
        panel.view.expand(panel.model.index(0, 0))
        panel.view.collapse(panel.model.index(2, 0))
        window.splitter.setSizes(window.default_splitter_sizes(1800))
        if args.all:
            for tab in TABS:
                try:
                    window.open_case(args.case, tab)
                except ImportError:
                    print("ui/case_view.py finnes ikke ennå: ingen bilder av saken")
                    break
                save(window, f"sak-{tab}.png")
            window.show_list()
            window.set_as_of(args.as_of + dt.timedelta(days=14))
            save(window, "hovedvindu-fram-i-tid.png")
        window.close()
        db.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
