"""X-Ray tracing, switched by ``tracing`` in ship.toml, for every function ship deploys.

``active`` turns on Lambda's X-Ray active tracing, tells the agent to send its spans there
(``OTEL_TRACES_EXPORTER=xray``: OTLP to the Lambda X-Ray daemon) and lets the role send them.
``disabled`` sets Lambda's default mode back, so a re-run with it off turns tracing off.
"""

from __future__ import annotations

from typing import Any

from .config import Config

# ship.toml value: the Lambda tracing mode.
MODES = {"active": "Active", "disabled": "PassThrough"}
VARIABLE = "OTEL_TRACES_EXPORTER"


def active(config: Config) -> bool:
    return config.tracing == "active"


def tracing_config(config: Config) -> dict[str, str]:
    return {"Mode": MODES[config.tracing]}


def current_mode(function_configuration: dict[str, Any]) -> str:
    """The mode a function has now (Lambda answers PassThrough when tracing was never set)."""
    return function_configuration.get("TracingConfig", {}).get("Mode", "PassThrough")


def environment(config: Config) -> dict[str, str]:
    return {VARIABLE: "xray"} if active(config) else {}


def statements(config: Config) -> list[dict]:
    """What the role needs to send traces; X-Ray names no resource in these actions, so "*"."""
    if not active(config):
        return []
    return [
        {
            "Sid": "SendTraces",
            "Effect": "Allow",
            "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            "Resource": "*",
        }
    ]
