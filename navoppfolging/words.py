"""Counts in bokmål: «1 ny sak», «3 nye saker», «1 avvist», «3 avviste».

Shared by the command line and the window, so a summary reads the same in both. Kept free of
imports: the start-up path may load it.
"""

from __future__ import annotations


def count(n: int, one: str, many: str) -> str:
    """``n`` with the singular after 1 and the plural otherwise (also after 0: «0 saker»)."""
    return f"{n} {one if n == 1 else many}"
