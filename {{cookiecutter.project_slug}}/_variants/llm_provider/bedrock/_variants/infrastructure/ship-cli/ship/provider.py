"""The model provider's share of the deployment: Bedrock needs no key, only the right to
stream from the one model ship.toml names (``agent_model``). Nothing applies while
``llm_provider`` is echo.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .parts import Url

SETTINGS: dict[str, Url] = {}
MODEL_EXAMPLES = ("anthropic.claude-3-haiku-20240307-v1:0",)
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
    if plan.config.llm_provider != "bedrock":
        return []
    # ConverseStream is authorised as InvokeModelWithResponseStream, on the one model.
    model = f"arn:{partition}:bedrock:{plan.config.region}::foundation-model/{plan.agent_model}"
    return [
        {
            "Sid": "InvokeOwnModel",
            "Effect": "Allow",
            "Action": ["bedrock:InvokeModelWithResponseStream"],
            "Resource": model,
        }
    ]


def lines(secret_arn: str) -> list[str]:
    return []


def destroy(gone: Any) -> None:
    return None
