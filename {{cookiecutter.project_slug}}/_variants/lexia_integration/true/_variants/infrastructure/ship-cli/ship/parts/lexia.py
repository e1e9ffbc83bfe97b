"""Lexia's fallback stream URL: ship.toml's ``stream_url`` set as STREAM_URL on every function.

A part with a setting and a variable only; it creates nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import Url

# The Centrifugo URL for replies whose ChatMessage carries no stream_url (empty: none).
SETTINGS = {"stream_url": Url()}
SETTING_OF = {"STREAM_URL": "stream_url"}


def function_names(plan: Any) -> list[str]:
    return []


def environment(plan: Any, identity: Any) -> dict[str, str]:
    return {"STREAM_URL": str(plan.config.extra["stream_url"])}


def deploy(steps: Any, image: str | None, user_env: Mapping[str, str], managed: Mapping[str, str]) -> None:
    """Nothing to make: the variable travels with the functions."""


def destroy(gone: Any) -> None:
    """Nothing to remove."""
