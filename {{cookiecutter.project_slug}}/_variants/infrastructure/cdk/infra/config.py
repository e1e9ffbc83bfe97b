"""The stack's settings, read once from the CDK context (cdk.json, or `-c key=value`).

Values given with `-c` arrive as text, so numbers and booleans are parsed here; a bad
value stops the synth with one line naming the key. The model's settings are read by
`infra/model.py`, the variables that say where replies go by `infra/replies.py`.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import model, replies
from .context import ConfigError, Context

__all__ = ["ConfigError", "StackConfig"]

ARCHITECTURES = ("arm64", "x86_64")
AUTH_TYPES = ("AWS_IAM", "NONE")
API_KEY_SOURCES = ("none", "secretsmanager", "ssm")
# active: X-Ray active tracing on every function, which then sends the agent's spans there.
TRACING = ("active", "disabled")
# The retention periods CloudWatch Logs accepts.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192)
LOG_RETENTION_DAYS += (2557, 2922, 3288, 3653)
SCHEDULE = re.compile(r"(rate|cron)\([^()]+\)")
STACK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,127}")
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
ORIGIN = re.compile(r"https?://[^/?#\s]+")


@dataclass(frozen=True)
class StackConfig:
    stack_name: str
    description: str
    service_name: str
    region: str
    architecture: str
    memory_mb: int
    timeout_s: int
    function_url_auth: str
    api_key_source: str
    api_key_parameter: str
    sqs_worker: bool
    schedule_expression: str
    log_retention_days: int
    allowed_cidrs: str
    allowed_origins: tuple[str, ...]
    llm_provider: str
    tracing: bool
    # The provider's own settings (infra/model.py) and the variables every function gets
    # to say where replies go (infra/replies.py).
    model: Mapping[str, str]
    reply_environment: Mapping[str, str]

    @property
    def queue_visibility_s(self) -> int:
        """Six function timeouts, so a batch still running is not handed to a second invocation."""
        return 6 * self.timeout_s

    @classmethod
    def from_context(cls, get: Callable[[str], Any]) -> StackConfig:
        """Build from a context lookup such as ``app.node.try_get_context``."""

        context = Context(get)
        text, choice, number, flag = context.text, context.choice, context.number, context.flag

        stack_name = text("stack_name")
        if not STACK_NAME.fullmatch(stack_name):
            raise ConfigError(f"context stack_name {stack_name!r} is not a CloudFormation stack name")
        region = text("region")
        if not REGION.fullmatch(region):
            raise ConfigError(f"context region {region!r} is not an AWS region such as us-east-1")
        retention = number("log_retention_days", 1, 3653)
        if retention not in LOG_RETENTION_DAYS:
            raise ConfigError(
                f"context log_retention_days must be one of {LOG_RETENTION_DAYS}; got {retention}"
            )
        schedule = text("schedule_expression")
        if schedule and not SCHEDULE.fullmatch(schedule):
            raise ConfigError(
                f"context schedule_expression {schedule!r} must be empty, rate(...) or cron(...)"
            )
        api_key_source = choice("api_key_source", API_KEY_SOURCES)
        parameter = text("api_key_parameter")
        if api_key_source == "ssm" and not parameter.startswith("/"):
            raise ConfigError(
                f"context api_key_parameter must be a parameter name starting with /; got {parameter!r}"
            )
        auth = choice("function_url_auth", AUTH_TYPES)
        if auth == "NONE" and api_key_source == "none":
            raise ConfigError(
                "context function_url_auth NONE with api_key_source none would publish an endpoint "
                "anyone can call; choose an api_key_source or AWS_IAM"
            )
        cidrs = text("allowed_cidrs")
        for item in filter(None, (part.strip() for part in cidrs.split(","))):
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ConfigError(f"context allowed_cidrs: {item!r} is not an IP network") from None
        origins = tuple(filter(None, (part.strip() for part in text("allowed_origins").split(","))))
        for item in origins:
            if item != "*" and not ORIGIN.fullmatch(item):
                raise ConfigError(
                    f"context allowed_origins: {item!r} is not an origin such as https://app.example.com"
                )
        provider = text("llm_provider")
        if provider != model.PROVIDER:
            raise ConfigError(
                f"context llm_provider must be {model.PROVIDER} (the provider the image holds); "
                f"got {provider!r}"
            )
        # A cdk.json written before this setting existed has none: disabled.
        tracing = text("tracing", "disabled")
        if tracing not in TRACING:
            raise ConfigError(f"context tracing must be one of {', '.join(TRACING)}; got {tracing!r}")

        return cls(
            stack_name=stack_name,
            description=text("description"),
            service_name=text("service_name", stack_name) or stack_name,
            region=region,
            architecture=choice("architecture", ARCHITECTURES),
            memory_mb=number("memory_mb", 128, 10240),
            timeout_s=number("timeout_s", 1, 900),
            function_url_auth=auth,
            api_key_source=api_key_source,
            api_key_parameter=parameter if api_key_source == "ssm" else "",
            sqs_worker=flag("sqs_worker"),
            schedule_expression=schedule,
            log_retention_days=retention,
            allowed_cidrs=cidrs,
            allowed_origins=origins,
            llm_provider=provider,
            tracing=tracing == "active",
            model=model.read(context),
            reply_environment=replies.environment(context),
        )
