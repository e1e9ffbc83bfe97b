"""The model provider's share of the deployment: echo answers offline, so it needs nothing.

The provider modules share these names: its ship.toml ``SETTINGS``, ``MODEL_EXAMPLES``,
``SETTING_OF`` (variables set from its settings), ``secret(steps)``, ``secret_arn(managed)``,
``environment(plan, secret_arn)``, ``check_user_environment(plan, user)``, ``statements(plan,
partition, account, secret_arn)``, ``lines(secret_arn)`` and ``destroy(gone)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .parts import Url

SETTINGS: dict[str, Url] = {}
MODEL_EXAMPLES: tuple[str, ...] = ()
SETTING_OF: dict[str, str] = {}


def uses_secret(plan: Any) -> bool:
    return False


def secret(steps: Any) -> str:
    return ""


def secret_arn(managed: Mapping[str, str]) -> str:
    return ""


def environment(plan: Any, secret_arn: str) -> dict[str, str]:
    return {}


def check_user_environment(plan: Any, user: Mapping[str, str]) -> tuple[str, ...]:
    """The user's variables ship refuses to pass on (none here)."""
    return ()


def statements(plan: Any, partition: str, account: str, secret_arn: str) -> list[dict]:
    return []


def lines(secret_arn: str) -> list[str]:
    return []


def destroy(gone: Any) -> None:
    return None
