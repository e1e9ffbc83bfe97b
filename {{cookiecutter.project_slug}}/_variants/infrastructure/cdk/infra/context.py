"""Reading the CDK context (cdk.json, or `-c key=value`).

Values given with `-c` arrive as text, so numbers, booleans and URLs are parsed here; a bad
value stops the synth with one line naming the key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ConfigError(ValueError):
    """A context value the stack cannot be built from."""


class Context:
    """Typed reads over a context lookup such as ``app.node.try_get_context``."""

    def __init__(self, get: Callable[[str], Any]) -> None:
        self.get = get

    def text(self, key: str, default: str = "") -> str:
        value = self.get(key)
        return default if value is None else str(value).strip()

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.text(key)
        if value not in allowed:
            raise ConfigError(f"context {key} must be one of {', '.join(allowed)}; got {value!r}")
        return value

    def number(self, key: str, low: int, high: int) -> int:
        value = self.text(key)
        if not value.isdigit() or not low <= int(value) <= high:
            raise ConfigError(f"context {key} must be a whole number from {low} to {high}; got {value!r}")
        return int(value)

    def flag(self, key: str) -> bool:
        value = self.text(key).lower()
        if value not in ("true", "false"):
            raise ConfigError(f"context {key} must be true or false; got {value!r}")
        return value == "true"

    def url(self, key: str) -> str:
        """An http(s) URL, or empty."""
        value = self.text(key)
        if value and not value.startswith(("https://", "http://")):
            raise ConfigError(f"context {key} {value!r} must be empty or an http(s) URL")
        return value
