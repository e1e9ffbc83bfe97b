"""Progress output: one aligned line per resource, and a count at the end."""

from __future__ import annotations

import sys
from collections import Counter
from typing import TextIO


class Report:
    def __init__(self, out: TextIO | None = None):
        self.out = out or sys.stdout
        self.counts: Counter[str] = Counter()

    def line(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def step(self, kind: str, name: str, action: str, detail: str = "") -> None:
        """``action`` is what happened: created, updated, unchanged, deleted, absent, kept, ..."""
        self.counts[action] += 1
        suffix = f" ({detail})" if detail else ""
        self.line(f"  {kind:<22} {name:<44} {action}{suffix}")

    def summary(self) -> str:
        return ", ".join(f"{count} {action}" for action, count in sorted(self.counts.items()))
