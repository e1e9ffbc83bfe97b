"""The stack's settings, read once from the CDK context (cdk.json, or `-c key=value`).

Values given with `-c` arrive as text, so numbers and booleans are parsed here; a bad
value stops the synth with one line naming the key.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

ARCHITECTURES = ("arm64", "x86_64")
AUTH_TYPES = ("AWS_IAM", "NONE")
API_GATEWAYS = ("none", "rest")
API_KEY_SOURCES = ("none", "secretsmanager", "ssm")
LLM_PROVIDERS = ("echo", "openai", "bedrock")
# The retention periods CloudWatch Logs accepts.
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192)
LOG_RETENTION_DAYS += (2557, 2922, 3288, 3653)
SCHEDULE = re.compile(r"(rate|cron)\([^()]+\)")
STACK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,127}")
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
# Model IDs as OpenAI-compatible endpoints and Bedrock spell them; the Bedrock one ends an ARN.
MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")
ORIGIN = re.compile(r"https?://[^/?#\s]+")


class ConfigError(ValueError):
    """A context value the stack cannot be built from."""


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
    agent_model: str
    openai_base_url: str
    lexia_integration: bool
    stream_url: str
    api_gateway: str = "none"
    api_rate_limit: int = 10
    api_burst_limit: int = 20
    api_daily_quota: int = 10_000

    @property
    def queue_visibility_s(self) -> int:
        """Six function timeouts, so a batch still running is not handed to a second invocation."""
        return 6 * self.timeout_s

    @classmethod
    def from_context(cls, get: Callable[[str], Any]) -> StackConfig:
        """Build from a context lookup such as ``app.node.try_get_context``."""

        def text(key: str, default: str = "") -> str:
            value = get(key)
            return default if value is None else str(value).strip()

        def choice(key: str, allowed: tuple[str, ...]) -> str:
            value = text(key)
            if value not in allowed:
                raise ConfigError(f"context {key} must be one of {', '.join(allowed)}; got {value!r}")
            return value

        def number(key: str, low: int, high: int) -> int:
            value = text(key)
            if not value.isdigit() or not low <= int(value) <= high:
                raise ConfigError(f"context {key} must be a whole number from {low} to {high}; got {value!r}")
            return int(value)

        def flag(key: str) -> bool:
            value = text(key).lower()
            if value not in ("true", "false"):
                raise ConfigError(f"context {key} must be true or false; got {value!r}")
            return value == "true"

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
        provider = choice("llm_provider", LLM_PROVIDERS)
        model = text("agent_model") if provider != "echo" else ""
        if provider != "echo" and not MODEL.fullmatch(model):
            raise ConfigError(f"context agent_model {model!r} is not a model ID such as gpt-4o-mini")
        base_url = text("openai_base_url") if provider == "openai" else ""
        if base_url and not base_url.startswith(("https://", "http://")):
            raise ConfigError(f"context openai_base_url {base_url!r} must be empty or an http(s) URL")
        lexia = flag("lexia_integration")
        stream_url = text("stream_url") if lexia else ""
        if stream_url and not stream_url.startswith(("https://", "http://")):
            raise ConfigError(f"context stream_url {stream_url!r} must be empty or an http(s) URL")
        api_gateway = text("api_gateway", "none")
        if api_gateway not in API_GATEWAYS:
            raise ConfigError(
                f"context api_gateway must be one of {', '.join(API_GATEWAYS)}; got {api_gateway!r}"
            )
        # The REST API's limits matter only with the API; CloudFormation takes them as whole numbers.
        rest = api_gateway == "rest"
        limits = {
            "api_rate_limit": number("api_rate_limit", 1, 10_000) if rest else 10,
            "api_burst_limit": number("api_burst_limit", 1, 5_000) if rest else 20,
            "api_daily_quota": number("api_daily_quota", 1, 10**9) if rest else 10_000,
        }

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
            agent_model=model,
            openai_base_url=base_url,
            lexia_integration=lexia,
            stream_url=stream_url,
            api_gateway=api_gateway,
            **limits,
        )
