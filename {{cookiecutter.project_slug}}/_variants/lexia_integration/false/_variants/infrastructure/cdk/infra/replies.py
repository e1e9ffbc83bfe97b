"""Where replies go: back to the caller only, so the functions need no setting for it."""

from __future__ import annotations

from .context import Context


def environment(context: Context) -> dict[str, str]:
    return {}
