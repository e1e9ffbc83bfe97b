"""ship.toml: what the deployment should look like, checked before any AWS call."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ShipError

NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
SCHEDULE = re.compile(r"(rate|cron)\([^()]+\)")
# A Bedrock model id or an OpenAI model name; no wildcard, since the bedrock policy names it.
MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")
URL = re.compile(r"https?://[^\s/]+(/\S*)?")
LLM_PROVIDERS = ("echo", "openai", "bedrock")
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557)
RETENTION_DAYS += (2922, 3288, 3653)


@dataclass(frozen=True)
class Config:
    name: str
    region: str
    architecture: str = "arm64"
    memory_mb: int = 1024
    timeout_s: int = 60
    function_url_auth: str = "AWS_IAM"
    cors_allow_origins: tuple[str, ...] = ()
    api_key_source: str = "none"
    api_key_parameter: str = ""
    sqs_worker: bool = True
    schedule_expression: str = ""
    log_retention_days: int = 30
    env_file: str = ".env.lambda"
    # The model: echo, openai or bedrock, with the model id (empty: the provider's default).
    llm_provider: str = "echo"
    agent_model: str = ""
    openai_base_url: str = ""
    # Lexia kits set STREAM_URL from this; None (absent from ship.toml): the variable is not set.
    stream_url: str | None = None
    # none, or rest: a REST API in front of the URL function, with its stage's limits.
    api_gateway: str = "none"
    api_rate_limit: int = 10
    api_burst_limit: int = 20
    api_daily_quota: int = 10_000
{% if cookiecutter.durable_runs == "yes" %}
    # The runs function (runs.py): how long a run may last, how long Lambda keeps a finished
    # one, and how long a tool waits for a person's approval.
    runs_execution_timeout_s: int = 86_400
    runs_retention_days: int = 14
    runs_approval_timeout_s: int = 86_400
    # SEND_MESSAGE_TO_RUNS: /api/v1/send_message starts a run for each message.
    send_message_to_runs: bool = False
{% endif %}

    def with_overrides(self, memory_mb: int | None = None, timeout_s: int | None = None) -> Config:
        changed = replace(
            self,
            memory_mb=self.memory_mb if memory_mb is None else memory_mb,
            timeout_s=self.timeout_s if timeout_s is None else timeout_s,
        )
        return check(changed, "command line")


def _choice(source: str, key: str, value: object, allowed: tuple) -> None:
    if value not in allowed:
        raise ShipError(f"{source}: {key} must be one of {', '.join(map(str, allowed))}; got {value!r}")


def _whole(source: str, key: str, value: object, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ShipError(f"{source}: {key} must be a whole number from {low} to {high}; got {value!r}")


def check(config: Config, source: str) -> Config:
    """Raise ShipError naming the first setting AWS would refuse."""
    if not NAME.fullmatch(config.name):
        raise ShipError(f"{source}: name {config.name!r} must be lowercase letters, digits and hyphens")
    if not REGION.fullmatch(config.region):
        raise ShipError(f"{source}: region {config.region!r} is not an AWS region such as us-east-1")
    _choice(source, "architecture", config.architecture, ("arm64", "x86_64"))
    _whole(source, "memory_mb", config.memory_mb, 128, 10240)
    _whole(source, "timeout_s", config.timeout_s, 1, 900)
    _choice(source, "function_url_auth", config.function_url_auth, ("AWS_IAM", "NONE"))
    _choice(source, "api_key_source", config.api_key_source, ("none", "secretsmanager", "ssm"))
    if config.api_key_source == "ssm" and not config.api_key_parameter.startswith("/"):
        raise ShipError(f"{source}: api_key_parameter must be a parameter name starting with '/'")
    if config.function_url_auth == "NONE" and config.api_key_source == "none":
        raise ShipError(f"{source}: a NONE-auth Function URL needs an api_key_source (or use AWS_IAM)")
    for origin in config.cors_allow_origins:
        if origin != "*" and not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ShipError(
                f"{source}: cors_allow_origins entry {origin!r} must look like https://host[:port]"
            )
    if config.schedule_expression and not SCHEDULE.fullmatch(config.schedule_expression):
        raise ShipError(f"{source}: schedule_expression must be empty, rate(...) or cron(...)")
    _choice(source, "log_retention_days", config.log_retention_days, RETENTION_DAYS)
    _choice(source, "api_gateway", config.api_gateway, ("none", "rest"))
    _whole(source, "api_rate_limit", config.api_rate_limit, 1, 10_000)
    _whole(source, "api_burst_limit", config.api_burst_limit, 1, 5_000)
    _whole(source, "api_daily_quota", config.api_daily_quota, 1, 10**9)
{% if cookiecutter.durable_runs == "yes" %}
    _whole(source, "runs_execution_timeout_s", config.runs_execution_timeout_s, 1, 31_622_400)
    _whole(source, "runs_retention_days", config.runs_retention_days, 1, 90)
    _whole(source, "runs_approval_timeout_s", config.runs_approval_timeout_s, 1, 31_622_400)
    if not isinstance(config.send_message_to_runs, bool):
        value = config.send_message_to_runs
        raise ShipError(f"{source}: send_message_to_runs must be true or false; got {value!r}")
{% endif %}
    _choice(source, "llm_provider", config.llm_provider, LLM_PROVIDERS)
    if config.agent_model and not MODEL.fullmatch(config.agent_model):
        raise ShipError(
            f"{source}: agent_model {config.agent_model!r} must be a model id such as "
            "gpt-4o-mini or anthropic.claude-3-haiku-20240307-v1:0 (no spaces or wildcards)"
        )
    for key in ("openai_base_url", "stream_url"):
        value = getattr(config, key)
        if value and not URL.fullmatch(value):
            raise ShipError(f"{source}: {key} must be empty or an http(s):// URL; got {value!r}")
    return config


def load(path: Path) -> Config:
    """Read and check ship.toml; every problem is one line naming the setting."""
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ShipError(f"{path} not found: run ship from the kit's root folder or pass --config") from None
    except tomllib.TOMLDecodeError as error:
        raise ShipError(f"{path}: not valid TOML ({error})") from None
    known = set(Config.__dataclass_fields__)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ShipError(f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
    for key in ("name", "region"):
        if key not in data:
            raise ShipError(f"{path}: {key} is required")
    strings = ("name", "region", "architecture", "function_url_auth", "api_key_source", "api_key_parameter")
    strings += ("api_gateway",)
    model = ("llm_provider", "agent_model", "openai_base_url", "stream_url")
    for key in (*strings, *model, "schedule_expression", "env_file"):
        if key in data and not isinstance(data[key], str):
            raise ShipError(f"{path}: {key} must be a string; got {data[key]!r}")
    if "sqs_worker" in data and not isinstance(data["sqs_worker"], bool):
        raise ShipError(f"{path}: sqs_worker must be true or false; got {data['sqs_worker']!r}")
    origins = data.get("cors_allow_origins", [])
    if not isinstance(origins, list) or not all(isinstance(item, str) for item in origins):
        raise ShipError(f"{path}: cors_allow_origins must be a list of strings")
    data["cors_allow_origins"] = tuple(origins)
    for key in ("schedule_expression", "agent_model", "openai_base_url"):
        data[key] = data.get(key, "").strip()
    if "stream_url" in data:
        data["stream_url"] = data["stream_url"].strip()
    return check(Config(**data), str(path))
