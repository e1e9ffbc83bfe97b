"""The model provider's share of the deployment: the OpenAI-compatible endpoint and its key.

The key lives in the secret ``<name>/openai-api-key``, which ship creates once with a
placeholder and never overwrites; the functions get its ARN (``OPENAI_API_KEY_SECRET_ID``)
and may read that secret only. Nothing here applies while ``llm_provider`` is echo.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ShipError
from .parts import Url

SETTINGS = {"openai_base_url": Url()}
MODEL_EXAMPLES = ("gpt-4o-mini",)
# Variables ship sets from a ship.toml setting, named in the error when a user variable clashes.
SETTING_OF = {"OPENAI_BASE_URL": "openai_base_url"}
ARN_VARIABLE = "OPENAI_API_KEY_SECRET_ID"
# What the provider key secret holds until the user stores the key; the provider refuses it.
PROVIDER_KEY_PLACEHOLDER = "replace-me"


def uses_secret(plan: Any) -> bool:
    return plan.config.llm_provider == "openai"


def secret_name(plan: Any) -> str:
    return f"{plan.name}/openai-api-key"


def secret(steps: Any) -> str:
    """The model provider's key: created with a placeholder the user replaces; never rewritten."""
    if not uses_secret(steps.plan):
        return ""
    return steps.owned_secret(
        secret_name(steps.plan),
        f"OpenAI-compatible API key for {steps.plan.name}; set it with put-secret-value",
        PROVIDER_KEY_PLACEHOLDER,
        f"placeholder {PROVIDER_KEY_PLACEHOLDER!r}",
    )


def secret_arn(managed: Mapping[str, str]) -> str:
    return managed.get(ARN_VARIABLE, "")


def environment(plan: Any, secret_arn: str) -> dict[str, str]:
    if not uses_secret(plan):
        return {}
    return {"OPENAI_BASE_URL": plan.config.extra["openai_base_url"], ARN_VARIABLE: secret_arn}


def check_user_environment(plan: Any, user: Mapping[str, str]) -> tuple[str, ...]:
    """The user's variables ship refuses to pass on: the plain key, which would beat the secret."""
    if not uses_secret(plan):
        return ()
    if user.get("OPENAI_API_KEY"):
        raise ShipError(
            "OPENAI_API_KEY would store the key in plain function configuration (and override the "
            f"secret); store it in the secret {secret_name(plan)} with put-secret-value instead"
        )
    return ("OPENAI_API_KEY",)


def statements(plan: Any, partition: str, account: str, secret_arn: str) -> list[dict]:
    if not uses_secret(plan):
        return []
    return [
        {
            "Sid": "ReadProviderKey",
            "Effect": "Allow",
            "Action": ["secretsmanager:GetSecretValue"],
            "Resource": secret_arn,
        }
    ]


def lines(secret_arn: str) -> list[str]:
    if not secret_arn:
        return []
    return [
        f"provider key secret: {secret_arn}",
        "  store the key (once; ship never overwrites it): aws secretsmanager put-secret-value "
        f"--secret-id {secret_arn} --secret-string <key>",
    ]


def destroy(gone: Any) -> None:
    gone.secret(secret_name(gone.plan))
