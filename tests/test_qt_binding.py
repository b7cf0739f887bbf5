"""The Qt binding must not lose references to None.

PySide6 6.12.0 on Python 3.11 drops one reference to ``None`` on every call of a Qt method that
returns nothing (``QLabel.setText``, ``QWidget.update``, ``QApplication.processEvents`` …). On
3.11 ``None`` is not yet immortal, so after a few thousand such calls — minutes of an advisor's
work — the process aborts with «Fatal Python error: none_dealloc». pyproject.toml keeps PySide6
below 6.12; this test fails for any version in use that has the fault.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_void_qt_calls_keep_none_alive(qapp: QApplication) -> None:
    label = QLabel("x")
    calls = 2000
    before = sys.getrefcount(None)
    for _ in range(calls):
        label.setText("y")
        label.update()
    qapp.processEvents()
    drift = sys.getrefcount(None) - before
    # Unrelated code may hold or free a few references meanwhile; the fault loses one per call.
    assert drift > -calls // 10, f"{-drift} references to None lost over {2 * calls} void calls"
