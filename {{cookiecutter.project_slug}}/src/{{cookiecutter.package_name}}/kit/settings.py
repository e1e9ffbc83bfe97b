"""Settings, read once from the environment into one typed object."""

from __future__ import annotations

import ipaddress
import os
from collections import namedtuple
from collections.abc import Mapping
from functools import cache

from . import gateway_settings, messages_settings
from .agent import provider_settings
from .agent.provider_settings import DEFAULT_MODELS
from .agent.remote_config import parse_servers

# The settings of the parts this kit was made with: the model provider, the messages route,
# the front of the function. Each lists its VARIABLES and their DEFAULTS (a bool default
# reads the variable as true/false, a text default as stripped text).
PARTS = (provider_settings, messages_settings, gateway_settings)

API_KEY_SOURCES = ("none", "env", "secretsmanager", "ssm")
LLM_PROVIDERS = tuple(DEFAULT_MODELS)  # the values LLM_PROVIDER may take
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# OTEL_TRACES_EXPORTER: unset or none is off; timeline draws each run on stderr (local);
# xray sends spans to the X-Ray daemon of a function with active tracing.
TRACES_EXPORTERS = ("none", "otlp", "console", "timeline", "xray")

# Every variable the function reads, and whether its value is a secret.
VARIABLES = {
    "SERVICE_NAME": False,
    "LOG_LEVEL": False,
    "API_KEY_SOURCE": False,
    "API_KEY": True,
    "API_KEY_SECRET_ID": False,
    "API_KEY_PARAMETER": False,
    "ALLOWED_CIDRS": False,
    "ALLOWED_ORIGINS": False,
    "SQS_QUEUE_URL": False,
    "MESSAGES_TABLE": False,
    "MESSAGES_TTL_DAYS": False,
    "LLM_PROVIDER": False,
    "AGENT_MODEL": False,
    "LLM_TIMEOUT_S": False,
    "AGENT_MAX_STEPS": False,
    "ECHO_DELAY_MS": False,
    "MAX_REQUEST_BYTES": False,
    "AGENT_METRICS": False,
    "METRICS_NAMESPACE": False,
    "OTEL_TRACES_EXPORTER": False,
    "OTEL_EXPORTER_OTLP_PROTOCOL": False,
    "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT": False,
    "MCP_SERVERS": True,  # its headers may hold keys
    **{name: secret for part in PARTS for name, secret in part.VARIABLES.items()},
}


class ConfigError(ValueError):
    """An environment variable holds a value the function cannot use."""


# Every setting and its default. Settings is a named tuple of these: immutable and hashable
# (a cache key), and cheaper at cold start than a dataclass.
DEFAULTS = {
    "service_name": "agent",
    "log_level": "INFO",
    "api_key_source": "none",
    "api_key": "",
    "api_key_secret_id": "",
    "api_key_parameter": "",
    "allowed_cidrs": (),  # ip networks
    "allowed_origins": (),  # browser origins allowed to call (CORS); "*" for any
    "sqs_queue_url": "",
    "messages_table": "",  # the DynamoDB table that keeps queued messages and their replies
    "messages_ttl_days": 7,
    "llm_provider": "echo",
    "agent_model": "echo",
    "llm_timeout_s": 60,
    "agent_max_steps": 8,
    "echo_delay_ms": 30,
    "max_request_bytes": 1_000_000,
    "metrics": True,  # one CloudWatch EMF line per agent run, on stdout
    "metrics_namespace": "Agents",
    "traces_exporter": "none",
    "trace_content": False,  # message and tool contents in spans: the operator opts in
    "mcp_servers": (),  # remote MCP servers whose tools the agent may call (agent/remote_config.py)
    **{field: default for part in PARTS for field, default in part.DEFAULTS.items()},
}


class Settings(namedtuple("Settings", DEFAULTS, defaults=DEFAULTS.values())):
    """The function's settings; ``Settings(field=value)`` for tests, ``from_env`` for real."""

    __slots__ = ()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def text(name: str, default: str = "") -> str:
            return env.get(name, default).strip()

        source = text("API_KEY_SOURCE", "none").lower() or "none"
        if source not in API_KEY_SOURCES:
            raise ConfigError(f"API_KEY_SOURCE must be one of {', '.join(API_KEY_SOURCES)}; got {source!r}")
        needs = {"env": "API_KEY", "secretsmanager": "API_KEY_SECRET_ID", "ssm": "API_KEY_PARAMETER"}
        if source in needs and not text(needs[source]):
            raise ConfigError(f"API_KEY_SOURCE={source} needs {needs[source]} to be set")

        provider = text("LLM_PROVIDER", "echo").lower() or "echo"
        if provider not in LLM_PROVIDERS:
            raise ConfigError(f"LLM_PROVIDER must be one of {', '.join(LLM_PROVIDERS)}; got {provider!r}")

        level = text("LOG_LEVEL", "INFO").upper() or "INFO"
        if level not in LOG_LEVELS:
            raise ConfigError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; got {level!r}")

        exporter = text("OTEL_TRACES_EXPORTER", "none").lower() or "none"
        if exporter not in TRACES_EXPORTERS:
            choices = ", ".join(TRACES_EXPORTERS)
            raise ConfigError(f"OTEL_TRACES_EXPORTER must be one of {choices}; got {exporter!r}")
        protocol = text("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or text("OTEL_EXPORTER_OTLP_PROTOCOL")
        if exporter == "otlp" and protocol not in ("", "http/protobuf"):
            raise ConfigError(
                f"OTEL_EXPORTER_OTLP_PROTOCOL: only http/protobuf is built in; got {protocol!r}"
            )
        namespace = text("METRICS_NAMESPACE", "Agents") or "Agents"
        if len(namespace) > 255 or namespace.startswith("AWS/"):
            raise ConfigError(
                f"METRICS_NAMESPACE must be 1 to 255 characters, not AWS/...; got {namespace!r}"
            )

        try:
            mcp_servers = parse_servers(text("MCP_SERVERS"))
        except ValueError as problem:
            raise ConfigError(f"MCP_SERVERS: {problem}") from None

        return cls(
            service_name=text("SERVICE_NAME", "agent") or "agent",
            log_level=level,
            api_key_source=source,
            api_key=text("API_KEY"),
            api_key_secret_id=text("API_KEY_SECRET_ID"),
            api_key_parameter=text("API_KEY_PARAMETER"),
            allowed_cidrs=_networks(text("ALLOWED_CIDRS")),
            allowed_origins=_origins(text("ALLOWED_ORIGINS")),
            sqs_queue_url=text("SQS_QUEUE_URL"),
            messages_table=text("MESSAGES_TABLE"),
            messages_ttl_days=_whole_number(env, "MESSAGES_TTL_DAYS", 7, low=1, high=365),
            llm_provider=provider,
            agent_model=text("AGENT_MODEL") or DEFAULT_MODELS[provider],
            llm_timeout_s=_whole_number(env, "LLM_TIMEOUT_S", 60, low=1, high=900),
            agent_max_steps=_whole_number(env, "AGENT_MAX_STEPS", 8, low=1, high=100),
            echo_delay_ms=_whole_number(env, "ECHO_DELAY_MS", 30, high=10_000),
            max_request_bytes=_whole_number(env, "MAX_REQUEST_BYTES", 1_000_000, low=1),
            metrics=_flag(env, "AGENT_METRICS", "true"),
            metrics_namespace=namespace,
            traces_exporter=exporter,
            trace_content=_flag(env, "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"),
            mcp_servers=mcp_servers,
            **{name.lower(): _part_value(env, name) for part in PARTS for name in part.VARIABLES},
        )


def _part_value(env: Mapping[str, str], name: str) -> str | bool:
    if isinstance(DEFAULTS[name.lower()], bool):
        return _flag(env, name)
    return env.get(name, "").strip()


def _whole_number(env: Mapping[str, str], name: str, default: int, low: int = 0, high: int = 10**9) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ConfigError(f"{name} must be a whole number from {low} to {high}; got {raw!r}")
    return int(raw)


def _flag(env: Mapping[str, str], name: str, default: str = "false") -> bool:
    value = env.get(name, default).strip().lower() or default
    if value not in ("true", "false"):
        raise ConfigError(f"{name} must be true or false; got {value!r}")
    return value == "true"


def _networks(raw: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    networks = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(f"ALLOWED_CIDRS: {item!r} is not an IP network") from None
    return tuple(networks)


def _origins(raw: str) -> tuple[str, ...]:
    """``https://app.example.com,http://localhost:3000``: scheme, host and port, nothing more."""
    origins = []
    for item in filter(None, (part.strip() for part in raw.split(","))):
        scheme, _, rest = item.partition("://")
        if item != "*" and (scheme not in ("http", "https") or not rest or any(c in rest for c in "/?# ")):
            raise ConfigError(f"ALLOWED_ORIGINS: {item!r} is not an origin such as https://app.example.com")
        origins.append(item)
    return tuple(origins)


def mask(value: str) -> str:
    """Show that a secret is set without showing it."""
    if not value:
        return ""
    return "****" if len(value) < 12 else f"{value[:2]}****{value[-2:]}"


def describe_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every expected variable with its value, secrets masked, unset ones marked."""
    env = os.environ if environ is None else environ
    shown = {}
    for name, secret in VARIABLES.items():
        if name not in env:
            shown[name] = "<unset>"
        else:
            shown[name] = mask(env[name]) if secret else env[name]
    return shown


@cache
def get_settings() -> Settings:
    """The settings of this process, parsed on first use."""
    return Settings.from_env()
