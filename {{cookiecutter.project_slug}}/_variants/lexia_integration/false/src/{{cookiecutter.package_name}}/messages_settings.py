"""What ``/api/v1/send_message`` reads from the environment: nothing, the reply goes back to the caller."""

from __future__ import annotations

from collections.abc import Callable

# The variables only the messages route reads (whether each value is a secret), and their defaults.
VARIABLES: dict[str, bool] = {}
DEFAULTS: dict[str, str] = {}


def read(text: Callable[[str], str]) -> dict[str, str]:
    """The messages route's settings, from ``text(name)``: the stripped value of a variable."""
    return {}
