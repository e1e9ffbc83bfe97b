"""ship.toml: what the deployment should look like, checked before any AWS call."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from {{ cookiecutter.package_name }}.kit.deployment import PROVIDERS

from . import provider
from .errors import ShipError
from .parts import Choice, Flag, Setting, Table, Url, Whole
from .parts import settings as part_settings

NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")
REGION = re.compile(r"[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}")
SCHEDULE = re.compile(r"(rate|cron)\([^()]+\)")
# A model id or name; no wildcard, since a role policy may name it.
MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}")
URL = re.compile(r"https?://[^\s/]+(/\S*)?")
RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557)
RETENTION_DAYS += (2922, 3288, 3653)


def extra_settings() -> dict[str, Setting]:
    """The settings of the model provider and of the deployment's optional parts, by key."""
    return {**provider.SETTINGS, **part_settings()}


def extra_defaults() -> dict[str, object]:
    return {key: setting.default for key, setting in extra_settings().items()}


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
    # active: X-Ray active tracing on every function, which send the agent's spans there.
    tracing: str = "disabled"
    env_file: str = ".env.lambda"
    # The model provider (one of the kit's), with the model id (empty: the provider's default).
    llm_provider: str = "echo"
    agent_model: str = ""
    # The settings of the model provider (provider.py) and the optional parts (parts/), by key.
    extra: Mapping[str, object] = field(default_factory=extra_defaults)

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
    _choice(source, "tracing", config.tracing, ("active", "disabled"))
    for key, setting in extra_settings().items():
        value = config.extra[key]
        if isinstance(setting, Whole):
            _whole(source, key, value, setting.low, setting.high)
        elif isinstance(setting, Choice):
            _choice(source, key, value, setting.values)
        elif isinstance(setting, Flag):
            if not isinstance(value, bool):
                raise ShipError(f"{source}: {key} must be true or false; got {value!r}")
        elif isinstance(setting, Table):
            try:
                setting.check(value)
            except ValueError as problem:
                raise ShipError(f"{source}: {key}: {problem}") from None
        elif value and not URL.fullmatch(str(value)):
            raise ShipError(f"{source}: {key} must be empty or an http(s):// URL; got {value!r}")
    _choice(source, "llm_provider", config.llm_provider, PROVIDERS)
    if config.agent_model and not MODEL.fullmatch(config.agent_model):
        examples = f" such as {' or '.join(provider.MODEL_EXAMPLES)}" if provider.MODEL_EXAMPLES else ""
        raise ShipError(
            f"{source}: agent_model {config.agent_model!r} must be a model id{examples} "
            "(no spaces or wildcards)"
        )
    return config


def load(path: Path) -> Config:
    """Read and check ship.toml; every problem is one line naming the setting."""
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError:
        raise ShipError(f"{path} not found: run ship from the kit's root folder or pass --config") from None
    except tomllib.TOMLDecodeError as error:
        raise ShipError(f"{path}: not valid TOML ({error})") from None
    extra = extra_settings()
    known = set(Config.__dataclass_fields__) - {"extra"} | set(extra)
    unknown = sorted(set(data) - known)
    if unknown:
        raise ShipError(f"{path}: unknown setting {unknown[0]!r}; known: {', '.join(sorted(known))}")
    for key in ("name", "region"):
        if key not in data:
            raise ShipError(f"{path}: {key} is required")
    strings = ("name", "region", "architecture", "function_url_auth", "api_key_source", "api_key_parameter")
    strings += ("llm_provider", "agent_model", "schedule_expression", "env_file", "tracing")
    strings += tuple(key for key, setting in extra.items() if isinstance(setting, (Choice, Url)))
    for key in strings:
        if key in data and not isinstance(data[key], str):
            raise ShipError(f"{path}: {key} must be a string; got {data[key]!r}")
    if "sqs_worker" in data and not isinstance(data["sqs_worker"], bool):
        raise ShipError(f"{path}: sqs_worker must be true or false; got {data['sqs_worker']!r}")
    origins = data.get("cors_allow_origins", [])
    if not isinstance(origins, list) or not all(isinstance(item, str) for item in origins):
        raise ShipError(f"{path}: cors_allow_origins must be a list of strings")
    data["cors_allow_origins"] = tuple(origins)
    for key in ("schedule_expression", "agent_model"):
        data[key] = data.get(key, "").strip()
    values = {key: data.pop(key, setting.default) for key, setting in extra.items()}
    for key, setting in extra.items():
        if isinstance(setting, Url):
            values[key] = str(values[key]).strip()
    return check(Config(**data, extra=values), str(path))
