"""What ``/api/v1/send_message`` reads from the environment: where Lexia replies stream.

A message's own ``stream_url`` / ``stream_token`` win; these are the fallbacks.
"""

from __future__ import annotations

from collections.abc import Callable

# The variables only the messages route reads, and whether each value is a secret.
VARIABLES = {"STREAM_URL": False, "STREAM_TOKEN": True}
DEFAULTS = {"stream_url": "", "stream_token": ""}


def read(text: Callable[[str], str]) -> dict[str, str]:
    """The messages route's settings, from ``text(name)``: the stripped value of a variable."""
    return {name.lower(): text(name) for name in VARIABLES}
